/*
 * stats.h — the trusted flagger's yearly statistics (used by routes.c).
 */
#ifndef VG_REPORTS_STATS_H
#define VG_REPORTS_STATS_H

#include <jansson.h>
#include <stdint.h>

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

/* The figures of a year's reports for the observatory's annual report, a
 * new object {year, reports, by_category, by_platform, by_outcome (each
 * [{group, label, count}], largest first), removals: {count, median_hours,
 * q1_hours, q3_hours} (the hours only when count > 0), notices: {sent,
 * answered, removed, refused, overdue, pending}}.  Reports count by their
 * date of reporting (UTC), notices by their date of sending; a removal is
 * a notice of the year the host answered "retire", timed from sending to
 * answer (quartiles interpolated as R's type 7); overdue: unanswered past
 * its due date at now.  Counts only: nothing of a report. */
vg_rc reports_stats_year(int year, int64_t now, json_t **out);

/* The years with reports or notices sent, latest first: a new array of
 * integers. */
vg_rc reports_stats_years(json_t **out);

#endif
