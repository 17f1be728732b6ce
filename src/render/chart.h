/*
 * chart.h — charts drawn by Vigie as inline SVG: proportions as bars with
 * their confidence interval as whiskers.  The numbers are always given in
 * a table next to the chart, its text alternative.
 */
#ifndef VG_CHART_H
#define VG_CHART_H

#include <jansson.h>

#include "core/buf.h"

/* Horizontal bars for estimates [{label, estimate, ci_low, ci_high,
 * suppressed}] (proportions in [0, 1]), the chart labelled by label. */
void vg_chart_bars(vg_buf *b, const json_t *estimates, const char *label);

/* A line through points [{label, estimate, ci_low, ci_high, suppressed}]
 * (waves, oldest first), each with its interval as a whisker; a hidden
 * point breaks the line. */
void vg_chart_line(vg_buf *b, const json_t *points, const char *label);

#endif
