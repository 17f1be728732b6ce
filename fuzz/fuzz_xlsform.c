/*
 * fuzz_xlsform.c — libFuzzer target for the XLSForm readers and writer.
 *
 * The input is read three ways.  As CSV sheets: split at '\x1e' (the
 * ASCII record separator, which no spreadsheet writes) into survey,
 * choices and settings, the missing ones NULL.  Whole, as an .xlsx
 * workbook.  And, when it starts with '<', as the XML of a workbook's
 * parts, split the same way into xl/sharedStrings.xml and the survey,
 * choices and settings sheets, zipped here (stored, with right CRCs)
 * behind a fixed workbook.xml and its relationships: mutations then
 * reach the XML readers instead of dying at the zip's checksums.
 *
 * A refusal must be VG_EINVAL or VG_ENOMEM with one line of message that
 * names a sheet; an accepted form must have the keys the header
 * promises, and is written back as .xlsx and read again, which must give
 * an equal form.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* mkstemp */
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "surveys/xlsform.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_xlsform: %s\n", what);
		abort();
	}
}

static void
check_refusal(vg_rc rc, const json_t *form, const char *err, size_t errlen)
{
	if (strlen(err) < errlen && strpbrk(err, "\r\n") != NULL)
		fprintf(stderr, "fuzz_xlsform: message: %s\n", err);
	check(rc == VG_EINVAL || rc == VG_ENOMEM, "refusal code");
	check(form == NULL, "form on error");
	check(strlen(err) < errlen, "err overflow");
	check(err[0] != '\0', "empty message");
	check(strchr(err, '\n') == NULL && strchr(err, '\r') == NULL,
	    "message on two lines");
	check(strncmp(err, "survey", 6) == 0 || strncmp(err, "choices", 7) ==
	    0 || strncmp(err, "settings", 8) == 0 ||
	    strncmp(err, "classeur", 8) == 0 ||
	    strncmp(err, "sharedStrings", 13) == 0 ||
	    strncmp(err, "mémoire", 8) == 0, "message names no sheet");
}

static void
check_form(const json_t *f)
{
	const json_t *pages = json_object_get(f, "pages"), *pg, *q;
	size_t i, j, n = 0;

	check(json_is_string(json_object_get(f, "id")), "id");
	check(json_is_string(json_object_get(f, "title")), "title");
	check(json_is_string(json_object_get(f, "version")), "version");
	check(json_is_string(json_object_get(f, "default_language")),
	    "default_language");
	check(strcmp(json_string_value(json_array_get(json_object_get(f,
	    "languages"), 0)), "fr") == 0, "French first");
	check(json_is_object(json_object_get(f, "choices")), "choices");
	json_array_foreach(pages, i, pg) {
		check(json_array_size(json_object_get(pg, "questions")) > 0,
		    "empty page");
		json_array_foreach(json_object_get(pg, "questions"), j, q) {
			const char *type = json_string_value(
			    json_object_get(q, "type"));

			check(type != NULL, "type");
			check(json_is_integer(json_object_get(q, "row")),
			    "row");
			check(json_object_get(json_object_get(q, "label"),
			    "fr") != NULL, "French label");
			check(json_is_boolean(json_object_get(q, "required")),
			    "required");
			if (strncmp(type, "select_", 7) == 0)
				check(json_object_get(json_object_get(f,
				    "choices"), json_string_value(
				    json_object_get(q, "list"))) != NULL,
				    "list");
			n++;
		}
	}
	check(n > 0, "no question");
}

/* Write f as .xlsx, read it back: the same form. */
static void
round_trip(const json_t *f)
{
	char path[] = "/tmp/vg-fuzz-xlsform-XXXXXX", err[300], *buf;
	json_t *back = NULL;
	FILE *fp;
	long n;
	int fd;
	vg_rc rc;

	fd = mkstemp(path);
	check(fd >= 0, "mkstemp");
	close(fd);
	check(vg_xlsform_write_xlsx(f, path) == VG_OK, "write");
	fp = fopen(path, "rb");
	check(fp != NULL, "reopen");
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	check(buf != NULL && fread(buf, 1, (size_t)n, fp) == (size_t)n,
	    "read back");
	fclose(fp);
	unlink(path);
	rc = vg_xlsform_read_xlsx(buf, (size_t)n, NULL, &back, err,
	    sizeof(err));
	if (rc != VG_OK)
		fprintf(stderr, "fuzz_xlsform: written form refused: %s\n",
		    err);
	check(rc == VG_OK, "round trip read");
	check(json_equal(f, back), "round trip differs");
	json_decref(back);
	free(buf);
}

static const char workbook_xml[] =
	"<workbook xmlns:r=\"http://schemas.openxmlformats.org/"
	"officeDocument/2006/relationships\"><sheets>"
	"<sheet name=\"survey\" r:id=\"rId1\"/>"
	"<sheet name=\"Choices\" r:id=\"rId2\"/>"
	"<sheet name=\"SETTINGS\" r:id=\"rId3\"/></sheets></workbook>";
static const char rels_xml[] =
	"<Relationships>"
	"<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Target=\"worksheets/sheet2.xml\"/>"
	"<Relationship Id=\"rId3\" Target=\"/xl/worksheets/sheet3.xml\"/>"
	"</Relationships>";

/* A zip of the fixed parts and the given ones (NULL: left out), in
 * memory; caller frees. */
static char *
zip_parts(const char *const *part, const size_t *len, size_t *outlen)
{
	static const char *const names[] = {
		"xl/sharedStrings.xml", "xl/worksheets/sheet1.xml",
		"xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"
	};
	zip_error_t ze;
	zip_source_t *src, *zs;
	zip_t *za;
	zip_stat_t st;
	zip_int64_t idx;
	char *out = NULL;
	size_t i;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	check(src != NULL, "zip source");
	za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	check(za != NULL, "zip open");
	zip_source_keep(src);
	zs = zip_source_buffer(za, workbook_xml, strlen(workbook_xml), 0);
	check(zs != NULL && zip_file_add(za, "xl/workbook.xml", zs, 0) >= 0,
	    "zip add");
	zs = zip_source_buffer(za, rels_xml, strlen(rels_xml), 0);
	check(zs != NULL && zip_file_add(za, "xl/_rels/workbook.xml.rels",
	    zs, 0) >= 0, "zip add");
	for (i = 0; i < 4; i++) {
		if (part[i] == NULL)
			continue;
		zs = zip_source_buffer(za, part[i], len[i], 0);
		check(zs != NULL, "zip source part");
		idx = zip_file_add(za, names[i], zs, 0);
		check(idx >= 0, "zip add part");
		zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE,
		    0);
	}
	check(zip_close(za) == 0, "zip close");
	zip_stat_init(&st);
	check(zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0,
	    "zip reopen");
	out = malloc(st.size + 1);
	check(out != NULL && zip_source_read(src, out, st.size) ==
	    (zip_int64_t)st.size, "zip read");
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*outlen = st.size;
	return out;
}

/* Read a workbook; check what comes back. */
static void
read_workbook(const char *data, size_t size)
{
	char err[300];
	json_t *form = NULL;
	vg_rc rc;

	memset(err, 'x', sizeof(err));
	rc = vg_xlsform_read_xlsx(data, size, "fuzz", &form, err, sizeof(err));
	if (rc == VG_OK) {
		check(err[0] == '\0', "message on success");
		check_form(form);
		round_trip(form);
		json_decref(form);
	} else {
		check_refusal(rc, form, err, sizeof(err));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *part[3] = {NULL, NULL, NULL};
	size_t len[3] = {0, 0, 0}, start = 0, i, k = 0;
	char err[300];
	json_t *form = NULL;
	vg_rc rc;

	for (i = 0; i <= size && k < 3; i++)
		if (i == size || data[i] == 0x1e) {
			part[k] = (const char *)data + start;
			len[k++] = i - start;
			start = i + 1;
		}
	memset(err, 'x', sizeof(err));
	rc = vg_xlsform_read_csv(part[0], len[0], part[1], len[1], part[2],
	    len[2], size & 1 ? "fuzz" : NULL, &form, err, sizeof(err));
	if (rc == VG_OK) {
		check(err[0] == '\0', "message on success");
		check_form(form);
		round_trip(form);
		json_decref(form);
	} else {
		check_refusal(rc, form, err, sizeof(err));
	}

	read_workbook((const char *)data, size);

	if (size > 0 && data[0] == '<') {
		const char *xp[4] = {NULL, NULL, NULL, NULL};
		size_t xl[4] = {0, 0, 0, 0}, zlen;
		char *zip;

		for (i = 0, k = 0, start = 0; i <= size && k < 4; i++)
			if (i == size || data[i] == 0x1e) {
				xp[k] = (const char *)data + start;
				xl[k++] = i - start;
				start = i + 1;
			}
		zip = zip_parts(xp, xl, &zlen);
		read_workbook(zip, zlen);
		free(zip);
	}
	return 0;
}
