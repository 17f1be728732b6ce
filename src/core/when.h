/*
 * when.h — dates and times as Vigie shows and reads them (UTC).
 */
#ifndef VG_WHEN_H
#define VG_WHEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Format the Unix time t (UTC) with strftime's fmt into out (n bytes). */
void vg_time_text(int64_t t, const char *fmt, char *out, size_t n);

/* Read a strict "YYYY-MM-DD" that names a real calendar day (no 30
 * February) into *out, the Unix time of its midnight UTC.  False
 * otherwise. */
bool vg_date_parse(const char *s, int64_t *out);

#endif
