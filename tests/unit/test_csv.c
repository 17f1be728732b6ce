/*
 * test_csv.c — the CSV reader and writer: byte order mark, both
 * separators and the tie, quotes and line breaks inside them, the line
 * each row starts on, skipped empty rows, every refusal with its line and
 * column, the limits, the writer's quoting and formula guard, and a write
 * then read round trip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"

#define BOM "\xef\xbb\xbf"
#define UTF8_HINT "le fichier n'est pas en UTF-8 ; enregistrez-le en " \
	"« CSV UTF-8 » depuis votre tableur"

/* Parse len bytes of src; fail the test unless accepted. */
static vg_csv *
parse_len(const char *src, size_t len)
{
	char err[256] = "unset";
	vg_csv *c = NULL;
	vg_rc rc;

	rc = vg_csv_parse(src, len, &c, err, sizeof(err));
	if (rc != VG_OK)
		fail_msg("\"%s\": rc %d, err \"%s\"", src, rc, err);
	assert_non_null(c);
	assert_string_equal(err, "");
	return c;
}

static vg_csv *
parse(const char *src)
{
	return parse_len(src, strlen(src));
}

/* Row i of c starts on line and holds exactly the fields given, then
 * NULL. */
static void
expect_row(const vg_csv *c, size_t i, size_t line, ...)
{
	const vg_csv_row *r;
	const char *want;
	va_list ap;
	size_t k = 0;

	if (i >= c->nrows)
		fail_msg("row %zu: only %zu rows", i, c->nrows);
	r = &c->rows[i];
	if (r->line != line)
		fail_msg("row %zu: line %zu, want %zu", i, r->line, line);
	va_start(ap, line);
	while ((want = va_arg(ap, const char *)) != NULL) {
		if (k >= r->n)
			fail_msg("row %zu: %zu fields, want more", i, r->n);
		assert_non_null(r->field[k]);
		if (strcmp(r->field[k], want) != 0)
			fail_msg("row %zu field %zu: \"%s\", want \"%s\"", i, k,
			    r->field[k], want);
		k++;
	}
	va_end(ap);
	if (k != r->n)
		fail_msg("row %zu: %zu fields, want %zu", i, r->n, k);
}

/* Parse len bytes of src and expect VG_EINVAL with exactly want. */
static void
expect_error_len(const char *src, size_t len, const char *want)
{
	char err[512];
	vg_csv *c = (vg_csv *)1;
	vg_rc rc;

	rc = vg_csv_parse(src, len, &c, err, sizeof(err));
	if (rc != VG_EINVAL)
		fail_msg("\"%s\": rc %d, want VG_EINVAL", src, rc);
	assert_null(c);
	if (strcmp(err, want) != 0)
		fail_msg("\"%s\":\n got err \"%s\"\nwant err \"%s\"", src, err,
		    want);
}

static void
expect_error(const char *src, const char *want)
{
	expect_error_len(src, strlen(src), want);
}

static void
test_empty(void **state)
{
	vg_csv *c;

	(void)state;
	c = parse("");
	assert_int_equal(c->nrows, 0);
	assert_int_equal(c->delim, ';');
	vg_csv_free(c);
	c = parse_len(NULL, 0);
	assert_int_equal(c->nrows, 0);
	vg_csv_free(c);
	c = parse(BOM);
	assert_int_equal(c->nrows, 0);
	vg_csv_free(c);
	/* Only empty rows: nothing. */
	c = parse(";;;\r\n\r\n;;\r\n\"\";\"\"\n");
	assert_int_equal(c->nrows, 0);
	vg_csv_free(c);
	vg_csv_free(NULL);
}

static void
test_bom(void **state)
{
	vg_csv *c;

	(void)state;
	c = parse(BOM "nom;département;téléphone\r\n"
	    "Dupont;Hérault;+33 4 67 00 00 00\r\n");
	assert_int_equal(c->delim, ';');
	assert_int_equal(c->nrows, 2);
	expect_row(c, 0, 1, "nom", "département", "téléphone", NULL);
	expect_row(c, 1, 2, "Dupont", "Hérault", "+33 4 67 00 00 00", NULL);
	vg_csv_free(c);

	/* Without a BOM, the same. */
	c = parse("nom;département\nDupont;Hérault\n");
	expect_row(c, 0, 1, "nom", "département", NULL);
	expect_row(c, 1, 2, "Dupont", "Hérault", NULL);
	vg_csv_free(c);

	/* Only the first BOM is the file's: a second one is text. */
	c = parse(BOM BOM "a,b\n");
	assert_int_equal(c->delim, ',');
	expect_row(c, 0, 1, BOM "a", "b", NULL);
	vg_csv_free(c);

	/* A BOM not at the start is text too. */
	c = parse("a;b\n" BOM "c;d\n");
	expect_row(c, 1, 2, BOM "c", "d", NULL);
	vg_csv_free(c);
}

static void
test_delimiters(void **state)
{
	vg_csv *c;

	(void)state;
	c = parse("a,b,c\nd,e,f\n");
	assert_int_equal(c->delim, ',');
	assert_int_equal(c->nrows, 2);
	expect_row(c, 0, 1, "a", "b", "c", NULL);
	expect_row(c, 1, 2, "d", "e", "f", NULL);
	vg_csv_free(c);

	/* The more frequent wins; the other is text. */
	c = parse("a,b;c;d\n1,5;2;3\n");
	assert_int_equal(c->delim, ';');
	expect_row(c, 0, 1, "a,b", "c", "d", NULL);
	expect_row(c, 1, 2, "1,5", "2", "3", NULL);
	vg_csv_free(c);
	c = parse("a;b,c,d\n1;2,3,4\n");
	assert_int_equal(c->delim, ',');
	expect_row(c, 0, 1, "a;b", "c", "d", NULL);
	vg_csv_free(c);

	/* A tie goes to ';', 0 to 0 as well. */
	c = parse("a;b,c\n1;2,3\n");
	assert_int_equal(c->delim, ';');
	expect_row(c, 0, 1, "a", "b,c", NULL);
	expect_row(c, 1, 2, "1", "2,3", NULL);
	vg_csv_free(c);
	c = parse("email\nx@example.org,y@example.org\n");
	assert_int_equal(c->delim, ';');
	expect_row(c, 1, 2, "x@example.org,y@example.org", NULL);
	vg_csv_free(c);

	/* Only the first record counts. */
	c = parse("a,b\n1;2;3;4\n");
	assert_int_equal(c->delim, ',');
	expect_row(c, 1, 2, "1;2;3;4", NULL);
	vg_csv_free(c);

	/* Separators inside quotes do not count. */
	c = parse("\"a;b;c\",d\n");
	assert_int_equal(c->delim, ',');
	expect_row(c, 0, 1, "a;b;c", "d", NULL);
	vg_csv_free(c);
	c = parse("\"x,y\";z\n");
	assert_int_equal(c->delim, ';');
	expect_row(c, 0, 1, "x,y", "z", NULL);
	vg_csv_free(c);

	/* Blank lines before the first record are passed over; a row of
	 * separators is a record and chooses. */
	c = parse("\r\n\na,b\r\n");
	assert_int_equal(c->delim, ',');
	assert_int_equal(c->nrows, 1);
	expect_row(c, 0, 3, "a", "b", NULL);
	vg_csv_free(c);
	c = parse(";;;\r\na;b,c,d\r\n");
	assert_int_equal(c->delim, ';');
	expect_row(c, 0, 2, "a", "b,c,d", NULL);
	vg_csv_free(c);
}

static void
test_quotes(void **state)
{
	vg_csv *c;

	(void)state;
	c = parse("\"il a dit \"\"oui\"\"\";\"\";\"a;b\";\"\"\"\"\n"
	    "\"x\";y;\"\"\n");
	assert_int_equal(c->nrows, 2);
	expect_row(c, 0, 1, "il a dit \"oui\"", "", "a;b", "\"", NULL);
	expect_row(c, 1, 2, "x", "y", "", NULL);
	vg_csv_free(c);

	/* A quoted field at the end of the input, and an empty last field. */
	c = parse("a;\"b\"");
	expect_row(c, 0, 1, "a", "b", NULL);
	vg_csv_free(c);
	c = parse("a;");
	expect_row(c, 0, 1, "a", "", NULL);
	vg_csv_free(c);

	/* Spaces are kept: only quotes delimit. */
	c = parse(" a ; b \n");
	expect_row(c, 0, 1, " a ", " b ", NULL);
	vg_csv_free(c);
}

static void
test_line_breaks_in_quotes(void **state)
{
	vg_csv *c;

	(void)state;
	c = parse("nom;adresse\r\n"
	    "Dupont;\"1 rue Haute\r\n75001 Paris\"\r\n"
	    "Martin;\"2 rue Basse\n\n69001 Lyon\"\r\n"
	    "\"Durand\rJeanne\";\"3 place\"\r\n"
	    "Petit;4\r\n");
	assert_int_equal(c->nrows, 5);
	expect_row(c, 0, 1, "nom", "adresse", NULL);
	expect_row(c, 1, 2, "Dupont", "1 rue Haute\r\n75001 Paris", NULL);
	expect_row(c, 2, 4, "Martin", "2 rue Basse\n\n69001 Lyon", NULL);
	expect_row(c, 3, 7, "Durand\rJeanne", "3 place", NULL);
	expect_row(c, 4, 9, "Petit", "4", NULL);
	vg_csv_free(c);
}

static void
test_line_ends(void **state)
{
	vg_csv *c;

	(void)state;
	/* CR only (old Mac), a blank line among them. */
	c = parse("a;b\rc;d\r\re;f");
	assert_int_equal(c->nrows, 3);
	expect_row(c, 0, 1, "a", "b", NULL);
	expect_row(c, 1, 2, "c", "d", NULL);
	expect_row(c, 2, 4, "e", "f", NULL);
	vg_csv_free(c);

	/* Mixed: CR then CRLF is two breaks, LF then CR too. */
	c = parse("a\r\r\nb\n\rc\r\nd\n");
	assert_int_equal(c->nrows, 4);
	expect_row(c, 0, 1, "a", NULL);
	expect_row(c, 1, 3, "b", NULL);
	expect_row(c, 2, 5, "c", NULL);
	expect_row(c, 3, 6, "d", NULL);
	vg_csv_free(c);

	/* No line break at the end. */
	c = parse("a;b\nc;d");
	expect_row(c, 1, 2, "c", "d", NULL);
	vg_csv_free(c);
}

static void
test_skip_empty(void **state)
{
	vg_csv *c;

	(void)state;
	c = parse("a;b;c\r\n;;\r\n\r\n1;2;3\r\n\"\";;\"\"\r\n;;\r\n4;;\r\n"
	    ";;\r\n");
	assert_int_equal(c->nrows, 3);
	expect_row(c, 0, 1, "a", "b", "c", NULL);
	expect_row(c, 1, 4, "1", "2", "3", NULL);
	expect_row(c, 2, 7, "4", "", "", NULL);
	vg_csv_free(c);

	/* A single space is not empty. */
	c = parse("a\n \n");
	expect_row(c, 1, 2, " ", NULL);
	vg_csv_free(c);
}

static void
test_apostrophe(void **state)
{
	vg_csv *c;

	(void)state;
	c = parse("'=SUM(A1);'+x;'-2;'@y;'abc;'';''=z;';\"'\t\";x'=\n");
	expect_row(c, 0, 1, "=SUM(A1)", "+x", "-2", "@y", "'abc", "''",
	    "'=z", "'", "\t", "x'=", NULL);
	vg_csv_free(c);
	c = parse("\"'\r\";\"'=a;b\"\n");
	expect_row(c, 0, 1, "\r", "=a;b", NULL);
	vg_csv_free(c);
}

static void
test_errors(void **state)
{
	char err[64];
	vg_csv *c;

	(void)state;
	/* Unclosed quote: named at the line where it opens. */
	expect_error("a;b\n\"x;y\n",
	    "ligne 2, colonne 1 : guillemet ouvert mais jamais fermé");
	expect_error("a;b\nc;\"x\ny\nz",
	    "ligne 2, colonne 2 : guillemet ouvert mais jamais fermé");
	expect_error("a;b\n\"x\ny\";\"z\n",
	    "ligne 3, colonne 2 : guillemet ouvert mais jamais fermé");

	/* A quote inside an unquoted field. */
	expect_error("a;b\nc;Écran 24\"\n",
	    "ligne 2, colonne 2 : guillemet au milieu d'une cellule ; une "
	    "cellule qui contient des guillemets doit être entre guillemets, "
	    "les siens doublés");

	/* Text after a closing quote, space included; after a field over
	 * two lines, the line of the text. */
	expect_error("a;b\n\"x\"y;z\n",
	    "ligne 2, colonne 1 : texte après le guillemet qui ferme la "
	    "cellule");
	expect_error("a;b\n\"x\" ;z\n",
	    "ligne 2, colonne 1 : texte après le guillemet qui ferme la "
	    "cellule");
	expect_error("a;b\n\"x\ny\";\"q\"r\n",
	    "ligne 3, colonne 2 : texte après le guillemet qui ferme la "
	    "cellule");

	/* Latin-1 from "CSV (séparateur : point-virgule)". */
	expect_error("nom;ville\nDupont;B\xe9ziers\n",
	    "ligne 2, colonne 2 : " UTF8_HINT);
	expect_error("a\n\"x\n\xff\"\n", "ligne 3, colonne 1 : " UTF8_HINT);
	expect_error("\xc3", "ligne 1, colonne 1 : " UTF8_HINT);
	expect_error("a;b;\xc3\xa9\xc3", "ligne 1, colonne 3 : " UTF8_HINT);
	expect_error("\xc0\xaf", "ligne 1, colonne 1 : " UTF8_HINT);
	expect_error("\xe0\x80\xaf", "ligne 1, colonne 1 : " UTF8_HINT);
	expect_error("\xed\xa0\x80", "ligne 1, colonne 1 : " UTF8_HINT);
	expect_error("\xf4\x90\x80\x80", "ligne 1, colonne 1 : " UTF8_HINT);
	expect_error("\x80", "ligne 1, colonne 1 : " UTF8_HINT);
	expect_error("\xe2\x82;", "ligne 1, colonne 1 : " UTF8_HINT);

	/* NUL, and a UTF-16 file. */
	expect_error_len("a;b\nc\0d;e\n", 10,
	    "ligne 2, colonne 1 : le fichier contient un caractère nul, ce "
	    "n'est pas du texte ; enregistrez-le en « CSV UTF-8 » depuis "
	    "votre tableur");
	expect_error_len("\xff\xfe" "a\0;\0b\0", 8,
	    "ligne 1 : le fichier est en UTF-16 ; enregistrez-le en "
	    "« CSV UTF-8 » depuis votre tableur");
	expect_error_len("\xfe\xff\0a", 4,
	    "ligne 1 : le fichier est en UTF-16 ; enregistrez-le en "
	    "« CSV UTF-8 » depuis votre tableur");

	/* err may be NULL or short: still refused, the message cut. */
	c = (vg_csv *)1;
	assert_int_equal(vg_csv_parse("\"", 1, &c, NULL, 0), VG_EINVAL);
	assert_null(c);
	assert_int_equal(vg_csv_parse("a\n\"", 3, &c, err, 12), VG_EINVAL);
	assert_string_equal(err, "ligne 2, co");
	assert_int_equal(vg_csv_parse("a\n\"", 3, &c, err, 8), VG_EINVAL);
	assert_string_equal(err, "ligne 2");

	/* Valid four-byte characters pass. */
	c = parse("🙂;x\n");
	expect_row(c, 0, 1, "🙂", "x", NULL);
	vg_csv_free(c);
}

static void
test_limit_fields(void **state)
{
	vg_buf b = VG_BUF_INIT;
	vg_csv *c;
	size_t i;

	(void)state;
	vg_buf_puts(&b, "a;b\n");
	for (i = 0; i < VG_CSV_MAX_FIELDS; i++)
		vg_buf_puts(&b, i == 0 ? "x" : ";x");
	c = parse(b.data);
	assert_int_equal(c->rows[1].n, VG_CSV_MAX_FIELDS);
	vg_csv_free(c);
	vg_buf_puts(&b, ";\n");
	expect_error(b.data, "ligne 2 : plus de 200 colonnes");
	vg_buf_free(&b);
}

static void
test_limit_rows(void **state)
{
	vg_buf b = VG_BUF_INIT;
	vg_csv *c;
	size_t i;

	(void)state;
	/* Skipped rows do not count. */
	vg_buf_puts(&b, "h\n;\n");
	for (i = 1; i < VG_CSV_MAX_ROWS; i++)
		vg_buf_puts(&b, "x\n");
	c = parse(b.data);
	assert_int_equal(c->nrows, VG_CSV_MAX_ROWS);
	expect_row(c, VG_CSV_MAX_ROWS - 1, VG_CSV_MAX_ROWS + 1, "x", NULL);
	vg_csv_free(c);
	vg_buf_puts(&b, "\ny\n");
	expect_error(b.data, "ligne 100003 : le fichier a plus de 100000 "
	    "lignes ; découpez-le en plusieurs fichiers");
	vg_buf_free(&b);
}

static void
test_limit_field(void **state)
{
	vg_buf b = VG_BUF_INIT;
	char *big;
	vg_csv *c;

	(void)state;
	big = malloc(VG_CSV_MAX_FIELD + 2);
	assert_non_null(big);
	memset(big, 'a', VG_CSV_MAX_FIELD + 1);
	big[VG_CSV_MAX_FIELD + 1] = '\0';

	/* At the limit. */
	vg_buf_puts(&b, "h;i\n");
	vg_buf_append(&b, big, VG_CSV_MAX_FIELD);
	vg_buf_puts(&b, ";x\n");
	c = parse(b.data);
	assert_int_equal(strlen(c->rows[1].field[0]), VG_CSV_MAX_FIELD);
	vg_csv_free(c);

	/* One byte over, in a later column. */
	vg_buf_reset(&b);
	vg_buf_puts(&b, "h;i\nx;");
	vg_buf_append(&b, big, VG_CSV_MAX_FIELD + 1);
	expect_error(b.data,
	    "ligne 2, colonne 2 : cellule trop longue (plus de 64 Ko)");
	/* Named at the line where the field starts. */
	vg_buf_reset(&b);
	vg_buf_puts(&b, "h;i\nx;\"\n");
	vg_buf_append(&b, big, VG_CSV_MAX_FIELD + 1);
	vg_buf_puts(&b, "\"\n");
	expect_error(b.data,
	    "ligne 2, colonne 2 : cellule trop longue (plus de 64 Ko)");

	/* The limit is on the field read: escaped quotes count once, a
	 * guard apostrophe not at all. */
	vg_buf_reset(&b);
	vg_buf_puts(&b, "\"\"\"");
	vg_buf_append(&b, big, VG_CSV_MAX_FIELD - 1);
	vg_buf_puts(&b, "\";'=");
	vg_buf_append(&b, big, VG_CSV_MAX_FIELD - 1);
	c = parse(b.data);
	assert_int_equal(strlen(c->rows[0].field[0]), VG_CSV_MAX_FIELD);
	assert_int_equal(strlen(c->rows[0].field[1]), VG_CSV_MAX_FIELD);
	assert_memory_equal(c->rows[0].field[1], "=aaa", 4);
	vg_csv_free(c);

	vg_buf_free(&b);
	free(big);
}

/* The text vg_csv_field() writes for s, alone in its record. */
static void
expect_written(const char *s, const char *want)
{
	vg_buf b = VG_BUF_INIT;
	char got[128];

	vg_csv_field(&b, s, true);
	snprintf(got, sizeof(got), "%s", b.data != NULL ? b.data : "");
	vg_buf_free(&b);
	if (strcmp(got, want) != 0)
		fail_msg("\"%s\": wrote \"%s\", want \"%s\"",
		    s != NULL ? s : "(null)", got, want);
}

static void
test_writer_quoting(void **state)
{
	vg_buf b = VG_BUF_INIT;

	(void)state;
	expect_written("abc", "abc");
	expect_written("", "");
	expect_written(NULL, "");
	expect_written("mid space", "mid space");
	expect_written("é\ttab", "é\ttab");
	expect_written("a,b", "\"a,b\"");
	expect_written("a;b", "\"a;b\"");
	expect_written("il a dit \"oui\"", "\"il a dit \"\"oui\"\"\"");
	expect_written("\"", "\"\"\"\"");
	expect_written("l1\nl2", "\"l1\nl2\"");
	expect_written("l1\rl2", "\"l1\rl2\"");
	expect_written(" lead", "\" lead\"");
	expect_written("trail ", "\"trail \"");
	expect_written(" ", "\" \"");
	expect_written(BOM "x", "\"" BOM "x\"");

	vg_csv_field(&b, "a", true);
	vg_csv_field(&b, NULL, false);
	vg_csv_field(&b, "b c", false);
	vg_csv_field(&b, "", false);
	vg_csv_end(&b);
	vg_csv_field(&b, "x,y", true);
	vg_csv_end(&b);
	assert_string_equal(b.data, "a,,b c,\r\n\"x,y\"\r\n");
	vg_buf_reset(&b);
	vg_csv_bom(&b);
	vg_csv_field(&b, "nom", true);
	vg_csv_end(&b);
	assert_string_equal(b.data, BOM "nom\r\n");
	vg_buf_free(&b);
}

static void
test_writer_formulas(void **state)
{
	(void)state;
	expect_written("=SUM(A1)", "'=SUM(A1)");
	expect_written("@x", "'@x");
	expect_written("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0");
	expect_written("-x", "'-x");
	expect_written("-", "'-");
	expect_written("+", "'+");
	expect_written("=", "'=");
	expect_written("-2+3", "'-2+3");
	expect_written("-1e", "'-1e");
	expect_written("+33 (0)1 23 45 67 89 x", "'+33 (0)1 23 45 67 89 x");
	expect_written("\tx", "'\tx");
	expect_written("\rx", "\"'\rx\"");
	expect_written("=A1,B1", "\"'=A1,B1\"");
	expect_written("=\"x\"", "\"'=\"\"x\"\"\"");

	/* Numbers and phone numbers stay as they are. */
	expect_written("-2.5", "-2.5");
	expect_written("-3", "-3");
	expect_written("+4", "+4");
	expect_written("-.5", "-.5");
	expect_written("-1e5", "-1e5");
	expect_written("+2.5E-3", "+2.5E-3");
	expect_written("-2,5", "\"-2,5\"");
	expect_written("+33 1 23 45 67 89", "+33 1 23 45 67 89");
	expect_written("+33 (0)1 23 45 67 89", "+33 (0)1 23 45 67 89");
	expect_written("+1-555-010-0199", "+1-555-010-0199");
	expect_written("+33.1.23.45.67.89", "+33.1.23.45.67.89");

	/* Not at the start: nothing to guard. */
	expect_written("a=b", "a=b");
	expect_written("x@example.org", "x@example.org");

	/* A value's own apostrophe before a trigger gets one more, so the
	 * reader gives it back; elsewhere it is plain text. */
	expect_written("'=x", "''=x");
	expect_written("''-2", "'''-2");
	expect_written("'abc", "'abc");
	expect_written("'", "'");
}

/* Write rows (n fields each, NULL-terminated list of rows), read back,
 * and compare; lines are those given. */
static void
round_trip(const char *const *const *rows, const size_t *lines, bool bom,
    char want_delim)
{
	vg_buf b = VG_BUF_INIT;
	size_t i, k, n;
	vg_csv *c;

	if (bom)
		vg_csv_bom(&b);
	for (i = 0; rows[i] != NULL; i++) {
		for (k = 0; rows[i][k] != NULL; k++)
			vg_csv_field(&b, rows[i][k], k == 0);
		vg_csv_end(&b);
	}
	assert_false(vg_buf_failed(&b));
	c = parse_len(b.data, b.len);
	assert_int_equal(c->delim, want_delim);
	assert_int_equal(c->nrows, i);
	for (i = 0; rows[i] != NULL; i++) {
		for (n = 0; rows[i][n] != NULL; n++)
			;
		assert_int_equal(c->rows[i].line, lines[i]);
		assert_int_equal(c->rows[i].n, n);
		for (k = 0; k < n; k++)
			if (strcmp(c->rows[i].field[k], rows[i][k]) != 0)
				fail_msg("row %zu field %zu: \"%s\", wrote "
				    "\"%s\"", i, k, c->rows[i].field[k],
				    rows[i][k]);
	}
	vg_csv_free(c);
	vg_buf_free(&b);
}

static void
test_round_trip(void **state)
{
	static const char *const r0[] = {BOM "nom", "département",
	    "téléphone", "note", NULL};
	static const char *const r1[] = {"=SUM(A1)", "'=x", "''@", "a;b",
	    NULL};
	static const char *const r2[] = {"deux\r\nlignes", "x\"y", " sp ",
	    "", NULL};
	static const char *const r3[] = {"-2.5", "+33 1 23 45 67 89",
	    "\tTab", "\rCR\n", NULL};
	static const char *const r4[] = {"", "", "", "fin", NULL};
	static const char *const r5[] = {"seul", NULL};
	static const char *const *const table[] = {r0, r1, r2, r3, r4, r5,
	    NULL};
	static const size_t lines[] = {1, 2, 3, 5, 8, 9};
	static const char *const c0[] = {"une colonne", NULL};
	static const char *const c1[] = {"b,c", NULL};
	static const char *const c2[] = {"d;e", NULL};
	static const char *const c3[] = {"'-f", NULL};
	static const char *const *const column[] = {c0, c1, c2, c3, NULL};
	static const size_t clines[] = {1, 2, 3, 4};

	(void)state;
	round_trip(table, lines, false, ',');
	round_trip(table, lines, true, ',');
	/* One column: no ',' to see, ';' chosen, and still the same. */
	round_trip(column, clines, false, ';');
	round_trip(column, clines, true, ';');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_delimiters),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_line_breaks_in_quotes),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_skip_empty),
		cmocka_unit_test(test_apostrophe),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limit_fields),
		cmocka_unit_test(test_limit_rows),
		cmocka_unit_test(test_limit_field),
		cmocka_unit_test(test_writer_quoting),
		cmocka_unit_test(test_writer_formulas),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
