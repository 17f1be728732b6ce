/*
 * sheet.c — tables as CSV or XLSX (see sheet.h).
 */
#include "render/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/csv.h"

void
vg_sheet_csv(vg_buf *b, const char *const *header, size_t ncols,
    const json_t *rows)
{
	size_t i, j;
	json_t *row, *cell;

	vg_csv_bom(b);
	for (j = 0; j < ncols; j++)
		vg_csv_field(b, header[j], j == 0);
	vg_csv_end(b);
	json_array_foreach(rows, i, row) {
		for (j = 0; j < ncols; j++) {
			char num[32];
			const char *s = NULL;

			cell = json_array_get(row, j);
			if (json_is_string(cell))
				s = json_string_value(cell);
			else if (json_is_integer(cell)) {
				snprintf(num, sizeof(num), "%lld",
				    (long long)json_integer_value(cell));
				s = num;
			} else if (json_is_real(cell)) {
				snprintf(num, sizeof(num), "%.17g",
				    json_real_value(cell));
				s = num;
			}
			vg_csv_field(b, s, j == 0);
		}
		vg_csv_end(b);
	}
}

vg_rc
vg_sheet_xlsx(const char *tmpdir, const char *sheet, const char *title,
    const char *const *header, size_t ncols, const json_t *rows, char **out,
    size_t *len)
{
	char path[1200], chunk[8192];
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	vg_buf b = VG_BUF_INIT;
	json_t *row, *cell;
	size_t i, j, n;
	lxw_row_t top = title != NULL ? 2 : 0;
	FILE *f;
	int fd;
	vg_rc rc = VG_OK;

	*out = NULL;
	*len = 0;
	snprintf(path, sizeof(path), "%s/vg-upload-xlsx-XXXXXX", tmpdir);
	if ((fd = mkstemp(path)) < 0)
		return VG_EIO;
	close(fd);
	if ((wb = workbook_new(path)) == NULL) {
		unlink(path);
		return VG_EIO;
	}
	ws = workbook_add_worksheet(wb, sheet);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	if (title != NULL)
		worksheet_write_string(ws, 0, 0, title, bold);
	for (j = 0; j < ncols; j++) {
		worksheet_write_string(ws, top, (lxw_col_t)j, header[j], bold);
		worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, 22, NULL);
	}
	worksheet_freeze_panes(ws, top + 1, 0);
	json_array_foreach(rows, i, row)
		for (j = 0; j < ncols; j++) {
			lxw_row_t y = (lxw_row_t)(top + i + 1);
			lxw_col_t x = (lxw_col_t)j;

			cell = json_array_get(row, j);
			/* Text is written as text: never run as a formula. */
			if (json_is_string(cell))
				worksheet_write_string(ws, y, x,
				    json_string_value(cell), NULL);
			else if (json_is_number(cell))
				worksheet_write_number(ws, y, x,
				    json_number_value(cell), NULL);
		}
	if (workbook_close(wb) != LXW_NO_ERROR)
		rc = VG_EIO;
	if (rc == VG_OK && (f = fopen(path, "rb")) != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			vg_buf_append(&b, chunk, n);
		fclose(f);
	} else if (rc == VG_OK) {
		rc = VG_EIO;
	}
	unlink(path);
	if (rc == VG_OK && vg_buf_failed(&b))
		rc = VG_ENOMEM;
	if (rc != VG_OK) {
		vg_buf_free(&b);
		return rc;
	}
	*out = vg_buf_detach(&b, len);
	return *out != NULL ? VG_OK : VG_ENOMEM;
}
