/*
 * throttle.h — rate limits kept in memory only.
 *
 * A visitor is known here by a tag: a keyed hash of its address with a
 * salt drawn at random each day and never written anywhere, so neither
 * the database nor the logs can ever link two visits, and yesterday's tags
 * cannot be recomputed.
 */
#ifndef VG_THROTTLE_H
#define VG_THROTTLE_H

#include <stdbool.h>
#include <stddef.h>

#define VG_TAG_CHARS 22

/* Write the tag of the address addr[0..n) into out (VG_TAG_CHARS + 1). */
void vg_client_tag(const void *addr, size_t n, char out[VG_TAG_CHARS + 1]);

/* Count one event of `bucket` for tag; false once more than max events
 * happened within the last window seconds (the event is still counted).
 * Thread-safe; the table is bounded, the oldest entries are forgotten. */
bool vg_throttle_allow(const char *bucket, const char *tag, int max,
    int window);

/* Forget everything (tests). */
void vg_throttle_reset(void);

#endif
