/*
 * surveys.h — the observatory's questionnaires: forms imported from
 * XLSForm (xlsform.h), waves that open and close, access by an open link
 * or a panel of invited participants, the answering pages, and the
 * answers' exports.
 */
#ifndef VG_SURVEYS_H
#define VG_SURVEYS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "http/http.h"

/* Import an XLSForm file (.xlsx, or a .csv of the survey sheet, with
 * NAME.choices.csv and NAME.settings.csv beside it when present) and store
 * it.  A form_id that exists is replaced while no answer uses it.  *form_id
 * gets the form's identifier (allocated, caller frees).  VG_EINVAL or
 * VG_ECONFLICT with a French message in err. */
vg_rc surveys_import_file(const char *path, int64_t user, char **form_id,
    char *err, size_t errlen);

/* Add the starter questionnaires of share/content/questionnaires that the
 * database does not have yet; *added counts them. */
vg_rc surveys_content_sync(const char *share, int *added, char *err,
    size_t errlen);

/* Store a form read by xlsform.h (same rules). */
vg_rc surveys_form_store(const json_t *form, int64_t user, int64_t *id,
    char *err, size_t errlen);

struct wave_options {
	const char *name;
	int64_t opens_at;         /* 0: now */
	int64_t closes_at;        /* 0: until closed by hand */
	bool panel;               /* access by invitation codes */
	bool identified;          /* answers linked to participants */
	bool linkage;             /* pseudonymous before/after code */
};

/* Open a wave of the form form_id.  *wave_id its number.  VG_ENOTFOUND,
 * VG_EINVAL or VG_ECONFLICT (a wave of that name exists) with a French
 * message in err. */
vg_rc surveys_wave_open(const char *form_id, const struct wave_options *o,
    int64_t *wave_id, char *err, size_t errlen);

/* Write every answer of a wave to f, as CSV (one column per question, one
 * per choice of a multiple choice; codes, or labels when labels) or JSON
 * lines, one response at a time (constant memory).  *count the rows. */
vg_rc surveys_export(int64_t wave_id, const vg_keys *keys, const char *format,
    bool labels, FILE *f, int64_t *count, char *err, size_t errlen);

/* The same answers as an XLSX workbook written at path (constant memory
 * too). */
vg_rc surveys_export_xlsx(int64_t wave_id, const vg_keys *keys, bool labels,
    const char *path, int64_t *count, char *err, size_t errlen);

/* What each column of the exports means, as CSV to f: variable,
 * question, type, label, code, code's label. */
vg_rc surveys_codebook(int64_t wave_id, FILE *f, char *err, size_t errlen);

/* Write the answering starts counted in memory (the daily job, the
 * editors' page and the end of the server call it). */
void surveys_flush_starts(void);

const vg_route *surveys_routes(size_t *n);

#endif
