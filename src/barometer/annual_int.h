/*
 * annual_int.h — shared between the annual report's files only: the data
 * of a year (annual_data.c), the PDF drawn from it (annual_pdf.c), and the
 * French number formatting both use.
 */
#ifndef VG_ANNUAL_INT_H
#define VG_ANNUAL_INT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/crypto.h"
#include "core/vg.h"

#define ANNUAL_YEAR_MIN 2000

/*
 * Everything the report says about year, gathered as of now: a new object
 * {year, previous_year, organisation, generated (YYYY-MM-DD),
 * generated_at, threshold, indicators: [{id, title, method, waves,
 * previous_waves, current, previous, change, breakdowns}], reports:
 * {reports, by_category, by_platform, by_outcome, removals, notices}
 * (reports_stats_year), actions: {rows, totals, waves, resources}, empty:
 * {indicators, reports, notices, actions}}.  Cells under the threshold
 * carry "suppressed": true and a "text" instead of their figure.  The
 * barometer's indicators and the reports' content must be loaded.
 */
vg_rc annual_gather(const vg_config *c, const vg_keys *k, int year,
    int64_t now, json_t **out);

/* The years with data (survey answers, trainings held, reports, notices),
 * latest first: a new array of integers. */
vg_rc annual_years(int64_t now, json_t **out);

/*
 * Draw data (from annual_gather) as an A4 PDF at path: written to a
 * temporary file next to it, renamed over path only once complete, so a
 * failure leaves nothing behind.  *pages the pages written, *size the
 * bytes.  VG_EIO with a French reason in err.
 */
vg_rc annual_pdf_write(const json_t *data, const char *path, int *pages,
    int64_t *size, char *err, size_t errlen);

/* v with `decimals` decimals, French style: a comma before the decimals,
 * a no-break space between thousands from 10 000 ("12 345,6"), and
 * "-" before a negative number; sign adds "+" before a positive one. */
void annual_fmt_number(double v, int decimals, int sign, char *out,
    size_t n);

/* A proportion p (0…1) as a percentage with one decimal: "32,1 %" (a
 * no-break space before the sign). */
void annual_fmt_percent(double p, char *out, size_t n);

/* A duration in hours as people read it: "45 min" under an hour, "5,5 h"
 * under two days, "3,2 jours" beyond. */
void annual_fmt_hours(double h, char *out, size_t n);

#endif
