/*
 * fuzz_csv.c — libFuzzer target for the CSV reader and writer.
 *
 * The input is the file.  A refusal must be VG_EINVAL with one line of
 * message naming the line.  A table that is accepted must keep the
 * header's promises (limits, well-formed UTF-8, no all-empty row, lines
 * rising), and is then written back with vg_csv_field()/vg_csv_end(),
 * behind a BOM when the input's length is odd, and read again.
 *
 * The second reading must give the same fields whenever the header says
 * it does: always, except when the first row has a single field and a
 * later one more (the written first record then shows no ',' and the
 * reader, rightly, chooses ';').  All-empty rows never reach the writer,
 * the first reading having skipped them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_csv: %s\n", what);
		abort();
	}
}

/* Well-formed UTF-8: no overlong, no surrogate, at most U+10FFFF.
 * Written apart from csv.c on purpose, as a second opinion. */
static int
utf8_ok(const unsigned char *s)
{
	unsigned long cp, min;
	int need, k;

	while (*s != '\0') {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			need = 1;
			cp = *s & 0x1f;
			min = 0x80;
		} else if ((*s & 0xf0) == 0xe0) {
			need = 2;
			cp = *s & 0x0f;
			min = 0x800;
		} else if ((*s & 0xf8) == 0xf0) {
			need = 3;
			cp = *s & 0x07;
			min = 0x10000;
		} else {
			return 0;
		}
		for (k = 1; k <= need; k++) {
			if ((s[k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		s += need + 1;
	}
	return 1;
}

static void
check_table(const vg_csv *c)
{
	size_t i, k, nonempty;

	check(c->delim == ';' || c->delim == ',', "delimiter");
	check(c->nrows <= VG_CSV_MAX_ROWS, "too many rows");
	check(c->nrows == 0 || c->rows != NULL, "rows");
	for (i = 0; i < c->nrows; i++) {
		const vg_csv_row *r = &c->rows[i];

		check(r->line >= 1, "line 0");
		check(i == 0 || r->line > c->rows[i - 1].line, "lines");
		check(r->n >= 1 && r->n <= VG_CSV_MAX_FIELDS, "field count");
		nonempty = 0;
		for (k = 0; k < r->n; k++) {
			check(r->field[k] != NULL, "NULL field");
			check(strlen(r->field[k]) <= VG_CSV_MAX_FIELD,
			    "field too long");
			check(utf8_ok((const unsigned char *)r->field[k]),
			    "field not UTF-8");
			nonempty += r->field[k][0] != '\0';
		}
		check(nonempty > 0, "all-empty row kept");
	}
}

static void
check_refusal(vg_rc rc, const vg_csv *c, const char *err, size_t errlen)
{
	check(rc == VG_EINVAL, "refusal not VG_EINVAL");
	check(c == NULL, "table on error");
	check(strlen(err) < errlen, "err overflow");
	check(strncmp(err, "ligne ", 6) == 0, "message names no line");
	check(strpbrk(err, "\r\n") == NULL, "message on two lines");
}

/* Whether writing c and reading it back must give the same fields. */
static int
must_round_trip(const vg_csv *c)
{
	size_t i;

	if (c->nrows == 0 || c->rows[0].n >= 2)
		return 1;
	for (i = 1; i < c->nrows; i++)
		if (c->rows[i].n != 1)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[160], err2[160];
	vg_buf b = VG_BUF_INIT;
	vg_csv *c = (vg_csv *)1, *d = (vg_csv *)1;
	size_t i, k;
	vg_rc rc;

	memset(err, 'x', sizeof(err));
	rc = vg_csv_parse((const char *)data, size, &c, err, sizeof(err));
	if (rc != VG_OK) {
		check_refusal(rc, c, err, sizeof(err));
		return 0;
	}
	check(c != NULL && err[0] == '\0', "accepted");
	check_table(c);

	if (size & 1)
		vg_csv_bom(&b);
	for (i = 0; i < c->nrows; i++) {
		for (k = 0; k < c->rows[i].n; k++)
			vg_csv_field(&b, c->rows[i].field[k], k == 0);
		vg_csv_end(&b);
	}
	check(!vg_buf_failed(&b), "write");

	rc = vg_csv_parse(b.data, b.len, &d, err2, sizeof(err2));
	if (must_round_trip(c)) {
		if (rc != VG_OK)
			fprintf(stderr, "fuzz_csv: rewritten table refused: "
			    "%s\n", err2);
		check(rc == VG_OK, "round trip parse");
		check_table(d);
		check(d->nrows == c->nrows, "round trip rows");
		if (c->nrows > 0)
			check(d->delim == (c->rows[0].n >= 2 ? ',' : ';'),
			    "round trip delimiter");
		for (i = 0; i < c->nrows; i++) {
			check(d->rows[i].n == c->rows[i].n, "round trip n");
			for (k = 0; k < c->rows[i].n; k++)
				check(strcmp(d->rows[i].field[k],
				    c->rows[i].field[k]) == 0,
				    "round trip field");
		}
	} else if (rc == VG_OK) {
		check_table(d);
	} else {
		check_refusal(rc, d, err2, sizeof(err2));
	}
	vg_csv_free(d);
	vg_csv_free(c);
	vg_buf_free(&b);
	return 0;
}
