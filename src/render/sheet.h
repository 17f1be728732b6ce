/*
 * sheet.h — a table (a header and rows) written as a spreadsheet: XLSX
 * for people (libxlsxwriter), CSV for machines (core/csv.h).
 *
 * Rows are a JSON array of arrays; each cell a string (written as text,
 * never as a formula), a number, or null (empty).
 */
#ifndef VG_SHEET_H
#define VG_SHEET_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/vg.h"

/* The table as CSV in b: a BOM (so that Excel reads the accents), the
 * header, the rows, RFC 4180. */
void vg_sheet_csv(vg_buf *b, const char *const *header, size_t ncols,
    const json_t *rows);

/* The table as an XLSX workbook of one sheet named sheet, with title
 * (may be NULL) in bold on the first row and the header two rows below
 * it, built in a temporary file under tmpdir (removed before returning),
 * in *out (caller frees).  VG_EIO when the file cannot be written. */
vg_rc vg_sheet_xlsx(const char *tmpdir, const char *sheet, const char *title,
    const char *const *header, size_t ncols, const json_t *rows, char **out,
    size_t *len);

#endif
