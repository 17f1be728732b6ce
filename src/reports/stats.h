/*
 * stats.h — the trusted flagger's yearly statistics (used by routes.c).
 */
#ifndef VG_REPORTS_STATS_H
#define VG_REPORTS_STATS_H

#include <jansson.h>

#include "core/buf.h"
#include "core/vg.h"

/* The year's counts as a new object {year, by_host, by_type, by_action,
 * removals, median_hours_to_removal}. */
vg_rc reports_stats(int year, json_t **out);

/* The same as CSV (RFC 4180, UTF-8), appended to b. */
void reports_stats_csv(const json_t *stats, vg_buf *b);

/* The same as an XLSX workbook written at path (one sheet a table). */
vg_rc reports_stats_xlsx(const json_t *stats, const char *path);

const char *reports_action_label(const char *action);

#endif
