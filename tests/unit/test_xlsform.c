/*
 * test_xlsform.c — XLSForm questionnaires read from real workbooks that
 * the test writes with libxlsxwriter (shared strings, rich text, inline
 * strings, numbers and booleans, gaps, sheets named in any case), from
 * hand-made packages (cells without references, namespace prefixes,
 * phonetic runs, absolute targets, a DTD, a zip bomb), and from CSV; every
 * refusal with its sheet, row and column; and the write then read round
 * trip.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* memmem */
#endif

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "surveys/xlsform.h"

/*
 * A sheet for the workbook writer: rows of cells separated by '|'.  A
 * cell "#12" is the number 12, "?1" / "?0" a boolean, "*a*b" rich text
 * ("a" then "b" in bold); "" is an empty row (a gap).
 */
struct sheet {
	const char *name;
	const char *const *rows;
};

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
temp_path(char *path, size_t n, const char *suffix)
{
	int fd;

	snprintf(path, n, "/tmp/vg-test-xlsform-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	strncat(path, suffix, n - strlen(path) - 1);
}

static void
write_cell(lxw_worksheet *ws, lxw_format *bold, lxw_row_t y, lxw_col_t x,
    const char *s)
{
	if (*s == '\0')
		return;
	if (s[0] == '#') {
		worksheet_write_number(ws, y, x, atof(s + 1), NULL);
	} else if (s[0] == '?') {
		worksheet_write_boolean(ws, y, x, s[1] == '1', NULL);
	} else if (s[0] == '*') {
		char buf[256], *b;
		lxw_rich_string_tuple t1 = {NULL, NULL}, t2 = {bold, NULL};
		lxw_rich_string_tuple *rich[] = {&t1, &t2, NULL};

		snprintf(buf, sizeof(buf), "%s", s + 1);
		b = strchr(buf, '*');
		assert_non_null(b);
		*b = '\0';
		t1.string = buf;
		t2.string = b + 1;
		assert_int_equal(worksheet_write_rich_string(ws, y, x, rich,
		    NULL), LXW_NO_ERROR);
	} else {
		worksheet_write_string(ws, y, x, s, NULL);
	}
}

/* Write the sheets as an .xlsx; constant memory makes libxlsxwriter
 * write inline strings instead of shared ones.  Caller frees. */
static char *
workbook(const struct sheet *sheets, size_t n, bool inline_strings,
    size_t *len)
{
	lxw_workbook_options opt = {.constant_memory = inline_strings};
	char path[256], *data;
	lxw_workbook *wb;
	lxw_format *bold;
	size_t i, r;

	temp_path(path, sizeof(path), ".xlsx");
	wb = workbook_new_opt(path, &opt);
	assert_non_null(wb);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	for (i = 0; i < n; i++) {
		lxw_worksheet *ws = workbook_add_worksheet(wb, sheets[i].name);

		assert_non_null(ws);
		for (r = 0; sheets[i].rows[r] != NULL; r++) {
			char row[1024], *cell, *p;
			lxw_col_t x = 0;

			snprintf(row, sizeof(row), "%s", sheets[i].rows[r]);
			/* strsep keeps empty cells, strtok would not. */
			p = row;
			while ((cell = strsep(&p, "|")) != NULL)
				write_cell(ws, bold, (lxw_row_t)r, x++, cell);
		}
	}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	data = slurp(path, len);
	unlink(path);
	return data;
}

/* A zip of the given entries (name, text pairs, NULL-terminated); a
 * text may repeat: "\x01" followed by a count in bytes of zeros. */
static char *
zip_of(const char *const *entries, size_t *len)
{
	char path[256], *data;
	zip_t *za;
	int err;
	size_t i;

	temp_path(path, sizeof(path), ".zip");
	za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(za);
	for (i = 0; entries[i] != NULL; i += 2) {
		const char *text = entries[i + 1];
		zip_source_t *src;

		if (text[0] == '\x01') {
			size_t n = strtoul(text + 1, NULL, 10);
			char *z = calloc(1, n);

			assert_non_null(z);
			memcpy(z, "<sst>", 5);
			src = zip_source_buffer(za, z, n, 1);
		} else {
			src = zip_source_buffer(za, text, strlen(text), 0);
		}
		assert_non_null(src);
		assert_true(zip_file_add(za, entries[i], src,
		    ZIP_FL_OVERWRITE) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	data = slurp(path, len);
	unlink(path);
	return data;
}

/* --- the full form -------------------------------------------------------- */

static const char *const survey_rows[] = {
	"type|name|label::French (fr)|label::English (en)|hint::French (fr)|"
	    "required|relevant|constraint|constraint_message::French (fr)|"
	    "appearance|notes",
	"note|intro|Bienvenue|Welcome",
	"integer|age|Votre âge ?|Your age?|En années|?1||. >= 11 and . <= 120|"
	    "Entre 11 et 120 ans||commentaire interne",
	"",
	"begin_group|faits|Les faits|The facts|||${age} >= 15",
	"select_multiple violences|violences|Quelles violences ?|Which?||yes",
	"select_one  oui_non|plainte|Avez-vous porté plainte ?|Did you?|||"
	    "selected(${violences}, 'harcelement')",
	"date|date_plainte|Date de la plainte|Date|||${plainte} = 'oui'|"
	    ". >= '2000-01-01'|Date après 2000",
	"end_group",
	"departement|dept|Votre département|Your département",
	"text|commentaire|*Autre *chose ?|Anything else?|||"
	    "count-selected(${violences}) > 1",
	NULL
};

static const char *const choices_rows[] = {
	"list_name|name|label::French (fr)|label::English (en)",
	"violences|harcelement|Harcèlement|Harassment",
	"violences|menaces|Menaces|Threats",
	"violences|#3|Autre|Other",
	"oui_non|oui|Oui|Yes",
	"oui_non|non|Non|No",
	NULL
};

static const char *const settings_rows[] = {
	"form_title|form_id|version|default_language",
	"Enquête 2024|enquete_2024|#3|French (fr)",
	NULL
};

static const char *const notes_rows[] = {
	"Ce classeur décrit l'enquête.",
	NULL
};

/* Sheets named in any case, in any order, with one Vigie ignores. */
static const struct sheet full[] = {
	{"Settings", settings_rows},
	{"Survey", survey_rows},
	{"notes", notes_rows},
	{"CHOICES", choices_rows},
};

static json_t *
read_ok(const char *data, size_t len, const char *default_id)
{
	char err[512] = "unset";
	json_t *form = NULL;
	vg_rc rc;

	rc = vg_xlsform_read_xlsx(data, len, default_id, &form, err,
	    sizeof(err));
	if (rc != VG_OK)
		fail_msg("refused: rc %d, %s", rc, err);
	assert_non_null(form);
	assert_string_equal(err, "");
	return form;
}

static const char *
s(const json_t *o, const char *path)
{
	char key[64], *dot;
	const json_t *v = o;
	const char *p = path;

	/* "pages.1.questions.0.name": objects by key, arrays by index. */
	while (*p != '\0') {
		size_t n;

		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		snprintf(key, sizeof(key), "%.*s", (int)n, p);
		if (json_is_array(v))
			v = json_array_get(v, strtoul(key, NULL, 10));
		else
			v = json_object_get(v, key);
		if (v == NULL)
			fail_msg("%s: no %s", path, key);
		p += n + (dot != NULL);
	}
	if (json_is_null(v))
		return NULL;
	if (json_is_true(v))
		return "true";
	if (json_is_false(v))
		return "false";
	if (json_is_integer(v)) {
		static char num[32];

		snprintf(num, sizeof(num), "%lld",
		    (long long)json_integer_value(v));
		return num;
	}
	if (!json_is_string(v))
		fail_msg("%s: not a string", path);
	return json_string_value(v);
}

#define EQ(form, path, want) assert_string_equal(s(form, path), want)

static void
check_full(const json_t *f)
{
	const json_t *pages = json_object_get(f, "pages"), *q;

	EQ(f, "id", "enquete_2024");
	EQ(f, "title", "Enquête 2024");
	EQ(f, "version", "3");
	EQ(f, "default_language", "fr");
	assert_int_equal(json_array_size(json_object_get(f, "languages")), 2);
	EQ(f, "languages.0", "fr");
	EQ(f, "languages.1", "en");
	assert_int_equal(json_array_size(pages), 3);

	/* Questions outside a group: a page of their own per run. */
	assert_null(s(f, "pages.0.name"));
	assert_null(s(f, "pages.0.relevant"));
	assert_int_equal(json_object_size(json_object_get(json_array_get(
	    pages, 0), "label")), 0);
	assert_int_equal(json_array_size(json_object_get(json_array_get(
	    pages, 0), "questions")), 2);
	EQ(f, "pages.0.questions.0.name", "intro");
	EQ(f, "pages.0.questions.0.type", "note");
	EQ(f, "pages.0.questions.0.label.fr", "Bienvenue");
	EQ(f, "pages.0.questions.0.label.en", "Welcome");
	EQ(f, "pages.0.questions.0.required", "false");
	EQ(f, "pages.0.questions.0.row", "2");
	q = json_array_get(json_object_get(json_array_get(pages, 0),
	    "questions"), 0);
	assert_null(json_object_get(q, "list"));
	assert_int_equal(json_object_size(json_object_get(q, "hint")), 0);
	EQ(f, "pages.0.questions.1.name", "age");
	EQ(f, "pages.0.questions.1.type", "integer");
	EQ(f, "pages.0.questions.1.label.fr", "Votre âge ?");
	EQ(f, "pages.0.questions.1.hint.fr", "En années");
	EQ(f, "pages.0.questions.1.required", "true");      /* a boolean cell */
	assert_null(s(f, "pages.0.questions.1.relevant"));
	EQ(f, "pages.0.questions.1.constraint", ". >= 11 and . <= 120");
	EQ(f, "pages.0.questions.1.constraint_message.fr",
	    "Entre 11 et 120 ans");
	assert_null(json_object_get(json_object_get(json_array_get(
	    json_object_get(json_array_get(pages, 0), "questions"), 1),
	    "constraint_message"), "en"));
	EQ(f, "pages.0.questions.1.row", "3");

	/* The group: a page with the group's name, label and relevant. */
	EQ(f, "pages.1.name", "faits");
	EQ(f, "pages.1.label.fr", "Les faits");
	EQ(f, "pages.1.label.en", "The facts");
	EQ(f, "pages.1.relevant", "${age} >= 15");
	EQ(f, "pages.1.questions.0.name", "violences");
	EQ(f, "pages.1.questions.0.type", "select_multiple");
	EQ(f, "pages.1.questions.0.list", "violences");
	EQ(f, "pages.1.questions.0.required", "true");
	EQ(f, "pages.1.questions.0.row", "6");
	EQ(f, "pages.1.questions.1.type", "select_one");
	EQ(f, "pages.1.questions.1.list", "oui_non");
	EQ(f, "pages.1.questions.1.relevant",
	    "selected(${violences}, 'harcelement')");
	EQ(f, "pages.1.questions.2.name", "date_plainte");
	EQ(f, "pages.1.questions.2.type", "date");
	EQ(f, "pages.1.questions.2.relevant", "${plainte} = 'oui'");
	EQ(f, "pages.1.questions.2.constraint", ". >= '2000-01-01'");
	EQ(f, "pages.1.questions.2.row", "8");

	EQ(f, "pages.2.questions.0.name", "dept");
	EQ(f, "pages.2.questions.0.type", "departement");
	assert_null(json_object_get(json_array_get(json_object_get(
	    json_array_get(pages, 2), "questions"), 0), "list"));
	EQ(f, "pages.2.questions.1.label.fr", "Autre chose ?");  /* rich */
	EQ(f, "pages.2.questions.1.required", "false");
	EQ(f, "pages.2.questions.1.row", "11");

	assert_int_equal(json_object_size(json_object_get(f, "choices")), 2);
	EQ(f, "choices.violences.0.name", "harcelement");
	EQ(f, "choices.violences.0.label.fr", "Harcèlement");
	EQ(f, "choices.violences.0.label.en", "Harassment");
	EQ(f, "choices.violences.2.name", "3");             /* a number cell */
	EQ(f, "choices.oui_non.1.label.en", "No");
	assert_int_equal(json_array_size(json_object_get(json_object_get(f,
	    "choices"), "oui_non")), 2);
}

static void
test_full_form(void **state)
{
	char *data;
	size_t len;
	json_t *f;

	(void)state;
	data = workbook(full, 4, false, &len);
	f = read_ok(data, len, NULL);
	check_full(f);
	json_decref(f);
	free(data);
}

/* The same workbook with inline strings instead of shared ones. */
static void
test_inline_strings(void **state)
{
	char *data;
	size_t len;
	json_t *f;

	(void)state;
	data = workbook(full, 4, true, &len);
	assert_null(memmem(data, len, "sharedStrings", 13));
	f = read_ok(data, len, NULL);
	check_full(f);
	json_decref(f);
	free(data);
}

/* --- hand-made packages --------------------------------------------------- */

#define CT "[Content_Types].xml"
#define CT_XML "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas." \
	"openxmlformats.org/package/2006/content-types\"/>"
#define WB_OPEN "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
	"<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/" \
	"spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats." \
	"org/officeDocument/2006/relationships\"><x:sheets>"
#define WB_CLOSE "</x:sheets></x:workbook>"
#define RELS "<?xml version=\"1.0\"?><Relationships xmlns=\"http://" \
	"schemas.openxmlformats.org/package/2006/relationships\">" \
	"<Relationship Id=\"rId1\" Type=\"worksheet\" " \
	"Target=\"/xl/worksheets/s1.xml\"/>" \
	"<Relationship Id=\"rId2\" Type=\"worksheet\" " \
	"Target=\"./worksheets/../sheets/s2.xml\"/></Relationships>"

#define S1(row4) "<?xml version=\"1.0\"?><worksheet xmlns=" \
	"\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
	"<sheetData>" \
	"<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c>" \
	"<c t=\"s\"><v>2</v></c><c t=\"s\"><v>3</v></c></row>" \
	"<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>integer</t></is>" \
	"</c><c r=\"B2\" t=\"str\"><f>LOWER(\"AGE\")</f><v>age</v></c>" \
	"<c r=\"C2\" t=\"inlineStr\"><is><r><t>Â</t></r><r><t>ge</t></r>" \
	"</is></c></row>" \
	"<row r=\"4\">" row4 "</row>" \
	"</sheetData></worksheet>"
#define A4 "<c r=\"A4\" t=\"inlineStr\"><is><t>text</t></is></c>"
#define B4 "<c t=\"inlineStr\"><is><t>nom</t></is></c>"
#define C4 "<c r=\"C4\" t=\"inlineStr\"><is><t><![CDATA[Nom & " \
	"<prénom>]]></t></is></c>"

/*
 * Cells without r: each follows the last (B4); rows without r follow too;
 * a gap at row 3; inline strings in runs; a formula's cached string; a
 * CDATA text; shared strings with runs, a phonetic guide and an empty
 * <si/>; targets absolute and with "." and ".."; a namespace prefix.
 */
#define HANDMADE(sheet1) { \
	CT, CT_XML, \
	"xl/workbook.xml", WB_OPEN \
	    "<x:sheet name=\"survey\" sheetId=\"1\" r:id=\"rId1\"/>" \
	    "<x:sheet name=\"sEtTiNgS\" sheetId=\"2\" r:id=\"rId2\"/>" \
	    WB_CLOSE, \
	"xl/_rels/workbook.xml.rels", RELS, \
	"xl/sharedStrings.xml", "<?xml version=\"1.0\"?><sst xmlns=\"http://" \
	    "schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
	    "<si><t>type</t></si>" \
	    "<si><r><t xml:space=\"preserve\">na</t></r><r><rPr><b/></rPr>" \
	    "<t>me</t></r></si>" \
	    "<si><t>label</t><rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh>" \
	    "</si>" \
	    "<si/>" \
	    "</sst>", \
	"xl/worksheets/s1.xml", sheet1, \
	"xl/sheets/s2.xml", "<worksheet><sheetData>" \
	    "<row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>form_id</t></is>" \
	    "</c></row>" \
	    "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t> fait_main " \
	    "</t></is></c></row>" \
	    "</sheetData></worksheet>", \
	NULL }

static void
test_handmade(void **state)
{
	static const char *const ok[] = HANDMADE(S1(A4 B4 C4));
	static const char *const disorder[] = HANDMADE(S1(C4 A4));
	char err[512], *data, *dump;
	size_t len;
	json_t *f = NULL;

	(void)state;
	data = zip_of(ok, &len);
	f = read_ok(data, len, "ignored");
	free(data);
	EQ(f, "id", "fait_main");                   /* settings win */
	EQ(f, "title", "fait_main");                /* no title: the id */
	EQ(f, "version", "");
	EQ(f, "pages.0.questions.0.name", "age");
	EQ(f, "pages.0.questions.0.type", "integer");
	EQ(f, "pages.0.questions.0.label.fr", "Âge");
	EQ(f, "pages.0.questions.0.row", "2");
	EQ(f, "pages.0.questions.1.name", "nom");
	EQ(f, "pages.0.questions.1.label.fr", "Nom & <prénom>");
	EQ(f, "pages.0.questions.1.row", "4");
	/* The phonetic guide is not part of the text. */
	dump = json_dumps(f, 0);
	assert_non_null(dump);
	assert_null(strstr(dump, "PHONETIC"));
	free(dump);
	json_decref(f);

	/* A4 after C4: out of order, refused with the row. */
	data = zip_of(disorder, &len);
	f = (json_t *)1;
	assert_int_equal(vg_xlsform_read_xlsx(data, len, NULL, &f, err,
	    sizeof(err)), VG_EINVAL);
	assert_null(f);
	assert_string_equal(err, "survey, ligne 4 : cellules dans le désordre "
	    "dans le classeur");
	free(data);
}

/* --- errors --------------------------------------------------------------- */

/* Read sheets (survey, then choices and settings when given) as a
 * workbook and expect exactly want. */
static void
expect_sheets(const char *const *survey, const char *const *choices,
    const char *const *settings, const char *default_id, const char *want)
{
	struct sheet sh[3];
	size_t n = 0, len;
	char *data, err[512];
	json_t *f = (json_t *)1;
	vg_rc rc;

	sh[n++] = (struct sheet){"survey", survey};
	if (choices != NULL)
		sh[n++] = (struct sheet){"choices", choices};
	if (settings != NULL)
		sh[n++] = (struct sheet){"settings", settings};
	data = workbook(sh, n, false, &len);
	memset(err, 'x', sizeof(err));
	rc = vg_xlsform_read_xlsx(data, len, default_id, &f, err,
	    sizeof(err));
	free(data);
	if (rc != VG_EINVAL)
		fail_msg("rc %d, want \"%s\"", rc, want);
	assert_null(f);
	if (strcmp(err, want) != 0)
		fail_msg("\"%s\", want \"%s\"", err, want);
}

#define HEAD "type|name|label|required|relevant|constraint|appearance"

/* A survey of a header and the rows given, with the standard choices. */
#define SURVEY(...) (const char *const[]){HEAD, __VA_ARGS__, NULL}
#define ERR(want, ...) expect_sheets(SURVEY(__VA_ARGS__), choices_rows, \
	NULL, "f", want)

static void
test_errors_survey(void **state)
{
	(void)state;
	ERR("survey, ligne 3, colonne type : type « geopoint » non pris en "
	    "charge (types possibles : text, integer, decimal, date, "
	    "select_one, select_multiple, note, departement, begin_group, "
	    "end_group)",
	    "text|a|A", "geopoint|b|B");
	ERR("survey, ligne 2, colonne type : type « calculate » non pris en "
	    "charge : les calculs ne sont pas possibles ici",
	    "calculate|a|A");
	ERR("survey, ligne 2, colonne type : la liste « pays » n'existe pas "
	    "dans la feuille choices",
	    "select_one pays|a|A");
	ERR("survey, ligne 2, colonne type : nom de liste manquant après "
	    "select_multiple",
	    "select_multiple|a|A");
	ERR("survey, ligne 2, colonne type : « or_other » après le nom de la "
	    "liste n'est pas pris en charge",
	    "select_one oui_non or_other|a|A");
	ERR("survey, ligne 2, colonne type : « x » après le type text n'est "
	    "pas pris en charge",
	    "text x|a|A");
	ERR("survey, ligne 4, colonne name : le nom « a » est déjà utilisé "
	    "ligne 2",
	    "text|a|A", "text|b|B", "integer|a|C");
	ERR("survey, ligne 3, colonne name : le nom « g » est déjà utilisé "
	    "ligne 2",
	    "begin_group|g|G", "text|g|A", "end_group");
	ERR("survey, ligne 2, colonne name : nom manquant", "text||A");
	ERR("survey, ligne 2, colonne name : nom « mon âge » invalide : une "
	    "lettre sans accent ou « _ », puis lettres, chiffres, « _ », "
	    "« . » ou « - », sans espace (64 caractères au plus)",
	    "text|mon âge|A");
	ERR("survey, ligne 2, colonne name : nom « 1a » invalide : une lettre "
	    "sans accent ou « _ », puis lettres, chiffres, « _ », « . » ou "
	    "« - », sans espace (64 caractères au plus)",
	    "text|1a|A");
	ERR("survey, ligne 2, colonne type : type manquant", "|a|A");
	ERR("survey, ligne 2, colonne label : libellé en français manquant",
	    "text|a|");
	ERR("survey, ligne 2, colonne relevant : ${b} est définie plus loin "
	    "(ligne 3) : une condition ne peut porter que sur une question "
	    "précédente",
	    "text|a|A||${b} = 'x'", "text|b|B");
	ERR("survey, ligne 2, colonne relevant : ${zz} n'est pas une question "
	    "du formulaire",
	    "text|a|A||${zz} = 'x'");
	ERR("survey, ligne 2, colonne relevant : ${a} est la question "
	    "elle-même : une question ne peut dépendre de sa propre réponse",
	    "text|a|A||${a} = 'x'");
	ERR("survey, ligne 3, colonne constraint : ${b} est la question "
	    "elle-même : écrivez « . »",
	    "text|a|A", "integer|b|B|||. > 1 and ${b} < 5");
	ERR("survey, ligne 3, colonne relevant : ${n} est une note, sans "
	    "réponse",
	    "note|n|N", "text|a|A||${n} = 'x'");
	ERR("survey, ligne 4, colonne relevant : ${g} est un groupe, pas une "
	    "question",
	    "begin_group|g|G", "text|a|A", "text|b|B||${g} = 'x'",
	    "end_group");
	ERR("survey, ligne 3, colonne relevant : position 8 : fonction "
	    "today() non prise en charge",
	    "text|a|A", "date|b|B||${a} > today()");
	ERR("survey, ligne 3, colonne relevant : position 6 : opérateur « + » "
	    "non pris en charge : les calculs ne sont pas possibles ici",
	    "integer|a|A", "text|b|B||${a} + 1 > 2");
	ERR("survey, ligne 3, colonne relevant : « . » n'a pas de sens dans "
	    "une condition d'affichage : nommez la question, ${nom}",
	    "text|a|A", "text|b|B||. = 'x'");
	ERR("survey, ligne 3, colonne constraint : une contrainte porte sur "
	    "la réponse elle-même, écrite « . » (par exemple « . > 0 »)",
	    "integer|a|A", "integer|b|B|||${a} > 0");
	ERR("survey, ligne 2, colonne required : « peut-être » n'est ni oui "
	    "(yes, true, 1) ni non (no, false, 0)",
	    "text|a|A|peut-être");
	ERR("survey, ligne 2, colonne required : une note n'attend pas de "
	    "réponse : elle ne peut être obligatoire",
	    "note|a|A|yes");
	ERR("survey, ligne 2, colonne appearance : la colonne « appearance » "
	    "n'est pas prise en charge par Vigie (valeur « minimal ») ; "
	    "videz-la",
	    "select_one oui_non|a|A||||minimal");
	ERR("survey, ligne 1 : le formulaire ne contient aucune question",
	    "note|a|A");
}

static void
test_errors_groups(void **state)
{
	(void)state;
	ERR("survey, ligne 2, colonne type : le groupe « g » n'est jamais "
	    "fermé (end_group manquant)",
	    "begin_group|g|G", "text|a|A");
	ERR("survey, ligne 3, colonne type : end_group sans begin_group",
	    "text|a|A", "end_group");
	ERR("survey, ligne 4, colonne type : groupes imbriqués non pris en "
	    "charge : le groupe « g » ouvert ligne 2 n'est pas fermé "
	    "(end_group)",
	    "begin_group|g|G", "text|a|A", "begin_group|h|H", "text|b|B",
	    "end_group", "end_group");
	ERR("survey, ligne 2, colonne type : le groupe « g » ne contient "
	    "aucune question",
	    "begin_group|g|G", "end_group", "text|a|A");
	ERR("survey, ligne 3, colonne type : les répétitions (begin_repeat) "
	    "ne sont pas prises en charge",
	    "text|a|A", "begin_repeat|r|R", "text|b|B", "end_repeat");
	ERR("survey, ligne 3, colonne type : les répétitions (begin_repeat) "
	    "ne sont pas prises en charge",
	    "text|a|A", "begin repeat|r|R", "text|b|B", "end repeat");
	ERR("survey, ligne 2, colonne required : un groupe n'est pas une "
	    "question : il ne peut être obligatoire",
	    "begin_group|g|G|yes", "text|a|A", "end_group");
	ERR("survey, ligne 2, colonne relevant : ${a} est définie plus loin "
	    "(ligne 3) : une condition ne peut porter que sur une question "
	    "précédente",
	    "begin_group|g|G||${a} = 'x'", "text|a|A", "end_group");
}

static void
test_errors_sheets(void **state)
{
	static const char *const survey[] = {
		"type|name|label", "text|a|A", NULL
	};
	static const char *const unknown_setting[] = {
		"form_id|style", "f|pages", NULL
	};
	static const char *const bad_id[] = {"form_id", "Mon Formulaire", NULL};
	static const char *const two_rows[] = {"form_id", "a", "b", NULL};
	static const char *const bad_lang[] = {
		"default_language", "Klingon", NULL
	};
	static const char *const english[] = {
		"default_language", "English (en)", NULL
	};
	static const char *const dup_choice[] = {
		"list_name|name|label", "l|a|A", "l|a|B", NULL
	};
	static const char *const choice_no_label[] = {
		"list_name|name|label::English (en)|label::French (fr)",
		"l|a|A", NULL
	};
	static const char *const choice_bad_name[] = {
		"list_name|name|label", "l|a b|A", NULL
	};
	static const char *const no_list_col[] = {"name|label", "a|A", NULL};
	static const char *const dup_col[] = {
		"type|name|label::fr|label::French (fr)", "text|a|A|A", NULL
	};
	static const char *const bad_col_lang[] = {
		"type|name|label|label::Klingon", "text|a|A|A", NULL
	};
	static const char *const hint_no_label[] = {
		"type|name|label|hint::English (en)", "text|a|A|H", NULL
	};
	static const char *const no_type[] = {"name|label", "a|A", NULL};

	(void)state;
	expect_sheets(survey, NULL, unknown_setting, NULL, "settings, ligne 2, "
	    "colonne style : réglage « style » non pris en charge (réglages "
	    "possibles : form_title, form_id, version, default_language)");
	expect_sheets(survey, NULL, NULL, NULL, "settings, ligne 2, colonne "
	    "form_id : identifiant du formulaire manquant");
	expect_sheets(survey, NULL, bad_id, NULL, "settings, ligne 2, colonne "
	    "form_id : identifiant « Mon Formulaire » invalide : lettres "
	    "minuscules sans accents, chiffres, « _ » ou « - » (64 caractères "
	    "au plus)");
	expect_sheets(survey, NULL, NULL, "Mon Formulaire", "settings, "
	    "ligne 2, colonne form_id : identifiant « Mon Formulaire » invalide : "
	    "lettres minuscules sans accents, chiffres, « _ » ou « - » (64 "
	    "caractères au plus)");
	expect_sheets(survey, NULL, two_rows, NULL, "settings, ligne 3 : une "
	    "seule ligne de réglages est attendue, sous la ligne des noms de "
	    "colonnes");
	expect_sheets(survey, NULL, bad_lang, "f", "settings, ligne 2, colonne "
	    "default_language : langue « Klingon » inconnue : écrivez-la "
	    "« Nom (code) », par exemple « French (fr) »");
	/* "label" is then English, and French is missing. */
	expect_sheets(survey, NULL, english, "f", "survey, ligne 1 : aucune "
	    "colonne de libellé en français : « label::French (fr) », ou "
	    "« label » quand la langue par défaut est le français");
	expect_sheets(SURVEY("select_one l|q|Q"), dup_choice, NULL, "f",
	    "choices, ligne 3, colonne name : le choix « a » figure déjà dans "
	    "la liste « l »");
	expect_sheets(SURVEY("select_one l|q|Q"), choice_no_label, NULL, "f",
	    "choices, ligne 2, colonne label::French (fr) : libellé en "
	    "français manquant");
	expect_sheets(SURVEY("select_one l|q|Q"), choice_bad_name, NULL, "f",
	    "choices, ligne 2, colonne name : nom de choix « a b » invalide : "
	    "lettres sans accents, chiffres, « _ », « . » ou « - », sans "
	    "espace");
	expect_sheets(SURVEY("select_one l|q|Q"), no_list_col, NULL, "f",
	    "choices, ligne 1 : colonne « list_name » manquante");
	expect_sheets(dup_col, NULL, NULL, "f", "survey, ligne 1, colonne "
	    "label::French (fr) : colonne en double (déjà en colonne 3, "
	    "« label::fr »)");
	expect_sheets(bad_col_lang, NULL, NULL, "f", "survey, ligne 1, colonne "
	    "label::Klingon : langue « Klingon » inconnue : écrivez-la « Nom "
	    "(code) », par exemple « English (en) »");
	expect_sheets(hint_no_label, NULL, NULL, "f", "survey, ligne 1, "
	    "colonne hint::English (en) : aucune colonne label dans la langue "
	    "« en »");
	expect_sheets(no_type, NULL, NULL, "f", "survey, ligne 1 : colonne "
	    "« type » manquante");
}

/* Read raw bytes as a workbook and expect exactly want. */
static void
expect_bytes(const char *data, size_t len, const char *want)
{
	char err[512];
	json_t *f = (json_t *)1;

	memset(err, 'x', sizeof(err));
	assert_int_equal(vg_xlsform_read_xlsx(data, len, "f", &f, err,
	    sizeof(err)), VG_EINVAL);
	assert_null(f);
	if (strcmp(err, want) != 0)
		fail_msg("\"%s\", want \"%s\"", err, want);
}

#define NOT_XLSX(why) "classeur : ce fichier n'est pas un classeur .xlsx " \
	"lisible (" why ") ; enregistrez-le depuis votre tableur au format " \
	"« Classeur Excel (.xlsx) »"

static void
test_errors_package(void **state)
{
	static const char *const not_workbook[] = {
		"readme.txt", "Bonjour", NULL
	};
	static const char *const no_survey[] = {
		CT, CT_XML,
		"xl/workbook.xml", WB_OPEN "<x:sheet name=\"feuil1\" "
		    "r:id=\"rId1\"/>" WB_CLOSE,
		"xl/_rels/workbook.xml.rels", RELS,
		NULL
	};
	static const char *const no_part[] = {
		"xl/workbook.xml", WB_OPEN "<x:sheet name=\"survey\" "
		    "r:id=\"rId1\"/>" WB_CLOSE,
		"xl/_rels/workbook.xml.rels", RELS,
		NULL
	};
	static const char *const dtd[] = {
		"xl/workbook.xml", "<?xml version=\"1.0\"?><!DOCTYPE lolz ["
		    "<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;"
		    "&lol;&lol;&lol;&lol;\">]><workbook><sheets><sheet name="
		    "\"&lol2;\" id=\"rId1\"/></sheets></workbook>",
		NULL
	};
	static const char *const bomb[] = {
		"xl/workbook.xml", WB_OPEN "<x:sheet name=\"survey\" "
		    "r:id=\"rId1\"/>" WB_CLOSE,
		"xl/_rels/workbook.xml.rels", RELS,
		"xl/sharedStrings.xml", "\x01" "60000000",
		NULL
	};
	static const char *const bad_xml[] = {
		"xl/workbook.xml", WB_OPEN "<x:sheet name=\"survey\" "
		    "r:id=\"rId1\"/>" WB_CLOSE,
		"xl/_rels/workbook.xml.rels", RELS,
		"xl/worksheets/s1.xml", "<worksheet><sheetData><row r=\"1\">"
		    "<c r=\"A1\" t=\"inlineStr\"><is><t>type</t></is></c>"
		    "</sheetData>",
		NULL
	};
	static const char *const bad_shared[] = {
		"xl/workbook.xml", WB_OPEN "<x:sheet name=\"survey\" "
		    "r:id=\"rId1\"/>" WB_CLOSE,
		"xl/_rels/workbook.xml.rels", RELS,
		"xl/worksheets/s1.xml", "<worksheet><sheetData><row r=\"7\">"
		    "<c r=\"A7\" t=\"s\"><v>12</v></c></row></sheetData>"
		    "</worksheet>",
		NULL
	};
	static const char *const bad_ref[] = {
		"xl/workbook.xml", WB_OPEN "<x:sheet name=\"survey\" "
		    "r:id=\"rId1\"/>" WB_CLOSE,
		"xl/_rels/workbook.xml.rels", RELS,
		"xl/worksheets/s1.xml", "<worksheet><sheetData><row r=\"3\">"
		    "<c r=\"A4\"><v>1</v></c></row></sheetData></worksheet>",
		NULL
	};
	static const char *const far_col[] = {
		"xl/workbook.xml", WB_OPEN "<x:sheet name=\"survey\" "
		    "r:id=\"rId1\"/>" WB_CLOSE,
		"xl/_rels/workbook.xml.rels", RELS,
		"xl/worksheets/s1.xml", "<worksheet><sheetData><row r=\"1\">"
		    "<c r=\"ZZ1\"><v>1</v></c><c r=\"ZZZ1\"/></row></sheetData>"
		    "</worksheet>",
		NULL
	};
	char *data, *big;
	size_t len;

	(void)state;
	expect_bytes("", 0, NOT_XLSX("archive ZIP invalide ou tronquée"));
	expect_bytes("type;name;label\n", 16, NOT_XLSX("archive ZIP invalide "
	    "ou tronquée"));
	/* A real workbook cut in half. */
	data = workbook(full, 4, false, &len);
	expect_bytes(data, len / 2, NOT_XLSX("archive ZIP invalide ou "
	    "tronquée"));
	/* One byte changed inside the compressed data: the CRC tells. */
	free(data);
	data = zip_of(not_workbook, &len);
	expect_bytes(data, len, NOT_XLSX("xl/workbook.xml manquant"));
	free(data);
	data = zip_of(no_survey, &len);
	expect_bytes(data, len, "classeur : aucune feuille nommée « survey »");
	free(data);
	data = zip_of(no_part, &len);
	expect_bytes(data, len, NOT_XLSX("xl/worksheets/s1.xml"));
	free(data);
	data = zip_of(dtd, &len);
	expect_bytes(data, len, NOT_XLSX("xl/workbook.xml illisible"));
	free(data);
	data = zip_of(bomb, &len);
	assert_true(len < 1024 * 1024);
	expect_bytes(data, len, "classeur : trop gros une fois décompressé "
	    "(xl/sharedStrings.xml : plus de 50 Mo)");
	free(data);
	data = zip_of(bad_xml, &len);
	expect_bytes(data, len, "survey : feuille illisible (XML mal formé)");
	free(data);
	data = zip_of(bad_shared, &len);
	expect_bytes(data, len, "survey, ligne 7 : référence à un texte "
	    "partagé inexistant");
	free(data);
	data = zip_of(bad_ref, &len);
	expect_bytes(data, len, "survey, ligne 3 : référence de cellule "
	    "incohérente dans le classeur");
	free(data);
	data = zip_of(far_col, &len);
	expect_bytes(data, len, "survey, ligne 1 : cellule au-delà de la "
	    "colonne 200");
	free(data);
	/* Over the size limit: refused before anything is read. */
	big = calloc(1, VG_XLSFORM_MAX_FILE + 1);
	assert_non_null(big);
	expect_bytes(big, VG_XLSFORM_MAX_FILE + 1, "classeur : fichier trop "
	    "gros (plus de 20 Mo)");
	free(big);
}

/* --- CSV ------------------------------------------------------------------ */

static const char csv_survey[] =
	"\xef\xbb\xbftype;name;label::French (fr);label::English (en);"
	"required;relevant;constraint\r\n"
	"integer;age;Votre âge ?;Your age?;oui;;. > 0\r\n"
	";;;;;;\r\n"
	"begin group;g;Groupe;Group;;${age} >= 18\r\n"
	"select_one yn;ok;\"D'accord ;\r\nvraiment ?\";Agreed?\r\n"
	"end group\r\n";

static const char csv_choices[] =
	"list_name,name,label::French (fr),label::English (en)\n"
	"yn,y,Oui,Yes\n"
	"yn,n,Non,No\n";

/* vg_xlsform_read_csv() on NUL-terminated texts (NULL: no sheet). */
static vg_rc
csv3(const char *survey, const char *choices, const char *settings,
    const char *id, json_t **f, char *err, size_t errlen)
{
	return vg_xlsform_read_csv(survey, survey ? strlen(survey) : 0,
	    choices, choices ? strlen(choices) : 0, settings,
	    settings ? strlen(settings) : 0, id, f, err, errlen);
}

static void
test_csv(void **state)
{
	char err[512] = "unset";
	json_t *f = NULL;

	(void)state;
	assert_int_equal(vg_xlsform_read_csv(csv_survey, strlen(csv_survey),
	    csv_choices, strlen(csv_choices), NULL, 0, "depuis_csv", &f, err,
	    sizeof(err)), VG_OK);
	assert_string_equal(err, "");
	EQ(f, "id", "depuis_csv");
	EQ(f, "title", "depuis_csv");
	EQ(f, "languages.1", "en");
	EQ(f, "pages.0.questions.0.name", "age");
	EQ(f, "pages.0.questions.0.required", "true");
	EQ(f, "pages.0.questions.0.row", "2");
	EQ(f, "pages.1.name", "g");
	EQ(f, "pages.1.relevant", "${age} >= 18");
	/* A line break in a quoted field: the next record's line counts
	 * it, and CRLF inside a label becomes LF. */
	EQ(f, "pages.1.questions.0.label.fr", "D'accord ;\nvraiment ?");
	EQ(f, "pages.1.questions.0.row", "5");
	EQ(f, "choices.yn.1.label.en", "No");
	json_decref(f);

	/* Errors name the sheet, the line and the column. */
	f = (json_t *)1;
	assert_int_equal(csv3("type;name;label\ntext;a;\"A\n", NULL, NULL,
	    "f", &f, err, sizeof(err)), VG_EINVAL);
	assert_null(f);
	assert_string_equal(err, "survey, ligne 2, colonne 3 : guillemet "
	    "ouvert mais jamais fermé");
	assert_int_equal(csv3("type;name;label\ntext;a;A\n"
	    "text;b;B\nselect_one x;c;C\n", NULL, NULL, "f", &f,
	    err, sizeof(err)), VG_EINVAL);
	assert_string_equal(err, "survey, ligne 4, colonne type : la liste "
	    "« x » n'existe pas dans la feuille choices");
	assert_int_equal(csv3("type;name;label\ntext;a;A\x01\n", NULL, NULL,
	    "f", &f, err, sizeof(err)), VG_EINVAL);
	assert_string_equal(err, "survey, ligne 2, colonne 3 : caractère de "
	    "contrôle ou texte mal encodé");
	assert_int_equal(csv3("type;name;label\ntext;a;A\n", NULL,
	    "form_id;color\nx;red\n", NULL, &f, err, sizeof(err)),
	    VG_EINVAL);
	assert_string_equal(err, "settings, ligne 2, colonne color : réglage "
	    "« color » non pris en charge (réglages possibles : form_title, "
	    "form_id, version, default_language)");
	assert_int_equal(csv3(NULL, NULL, NULL, "f", &f, err, sizeof(err)),
	    VG_EINVAL);
	assert_string_equal(err, "survey : feuille manquante");
	/* A heading with a line break, long: cut, and on one line. */
	assert_int_equal(csv3("type;name;\"label::Fran\nçais de France, de "
	    "Navarre et d'ailleurs\"\ntext;a;A\n", NULL, NULL, "f", &f, err,
	    sizeof(err)), VG_EINVAL);
	assert_string_equal(err, "survey, ligne 1, colonne label::Fran çais "
	    "de France, de Navarre … : langue « Fran çais de France, de "
	    "Navarre et d'ai… » inconnue : écrivez-la « Nom (code) », par "
	    "exemple « English (en) »");
	assert_int_equal(csv3("", NULL, NULL, "f", &f, err, sizeof(err)),
	    VG_EINVAL);
	assert_string_equal(err, "survey : feuille vide");
	assert_null(f);
	/* A plain "label" is the default language; settings may say it. */
	f = NULL;
	assert_int_equal(csv3("type,name,label,label::fr\n"
	    "text,a,Name,Nom\n", NULL, "default_language\nen\n",
	    "f", &f, err, sizeof(err)), VG_OK);
	EQ(f, "default_language", "en");
	EQ(f, "languages.0", "fr");
	EQ(f, "languages.1", "en");
	EQ(f, "pages.0.questions.0.label.en", "Name");
	EQ(f, "pages.0.questions.0.label.fr", "Nom");
	json_decref(f);
}

/* --- round trip ----------------------------------------------------------- */

static json_t *
round_trip(const json_t *form)
{
	char path[256], *data;
	size_t len;
	json_t *back;

	temp_path(path, sizeof(path), ".xlsx");
	assert_int_equal(vg_xlsform_write_xlsx(form, path), VG_OK);
	data = slurp(path, &len);
	unlink(path);
	back = read_ok(data, len, NULL);
	free(data);
	if (!json_equal(form, back)) {
		char *a = json_dumps(form, JSON_SORT_KEYS);
		char *b = json_dumps(back, JSON_SORT_KEYS);

		fail_msg("round trip differs:\n%s\n%s", a, b);
	}
	return back;
}

static void
test_round_trip(void **state)
{
	char *data, err[512];
	size_t len;
	json_t *f, *back;

	(void)state;
	data = workbook(full, 4, false, &len);
	f = read_ok(data, len, NULL);
	free(data);
	back = round_trip(f);
	check_full(back);
	json_decref(back);
	json_decref(f);

	/* From CSV (gaps, a line break in a label) through .xlsx. */
	f = NULL;
	assert_int_equal(vg_xlsform_read_csv(csv_survey, strlen(csv_survey),
	    csv_choices, strlen(csv_choices), NULL, 0, "depuis_csv", &f, err,
	    sizeof(err)), VG_OK);
	json_decref(round_trip(f));
	json_decref(f);

	/* Rows that cannot be kept are renumbered, and the form reads. */
	f = NULL;
	assert_int_equal(csv3("type,name,label\n"
	    "begin_group,g,G\ntext,a,A\nend_group\n", NULL, NULL,
	    "f", &f, err, sizeof(err)), VG_OK);
	json_object_set_new(json_array_get(json_object_get(json_array_get(
	    json_object_get(f, "pages"), 0), "questions"), 0), "row",
	    json_integer(2));
	{
		char path[256];
		json_t *b;

		temp_path(path, sizeof(path), ".xlsx");
		assert_int_equal(vg_xlsform_write_xlsx(f, path), VG_OK);
		data = slurp(path, &len);
		unlink(path);
		b = read_ok(data, len, NULL);
		free(data);
		EQ(b, "pages.0.questions.0.row", "3");
		json_decref(b);
	}
	json_decref(f);

	/* A text no cell can hold: refused on reading, and on writing. */
	{
		char *big = malloc(40100);
		size_t h;

		assert_non_null(big);
		strcpy(big, "type,name,label\ntext,a,");
		h = strlen(big);
		memset(big + h, 'a', 32768);
		strcpy(big + h + 32768, "\n");
		assert_int_equal(csv3(big, NULL, NULL, "f", &f, err,
		    sizeof(err)), VG_EINVAL);
		assert_string_equal(err, "survey, ligne 2, colonne 3 : texte "
		    "de plus de 32767 octets");
		strcpy(big + h + 32767, "\n");
		f = NULL;
		assert_int_equal(csv3(big, NULL, NULL, "f", &f, err,
		    sizeof(err)), VG_OK);
		json_decref(round_trip(f));
		memset(big, 'b', 40000);
		big[40000] = '\0';
		json_object_set_new(json_object_get(json_array_get(
		    json_object_get(json_array_get(json_object_get(f, "pages"),
		    0), "questions"), 0), "label"), "fr", json_string(big));
		{
			char path[256];

			temp_path(path, sizeof(path), ".xlsx");
			assert_int_equal(vg_xlsform_write_xlsx(f, path),
			    VG_EIO);
			assert_int_equal(access(path, F_OK), -1);
		}
		json_decref(f);
		free(big);
	}

	/* An unwritable path. */
	f = json_pack("{s:s}", "id", "x");
	assert_int_equal(vg_xlsform_write_xlsx(f, "/nonexistent/dir/f.xlsx"),
	    VG_EIO);
	json_decref(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_form),
		cmocka_unit_test(test_inline_strings),
		cmocka_unit_test(test_handmade),
		cmocka_unit_test(test_errors_survey),
		cmocka_unit_test(test_errors_groups),
		cmocka_unit_test(test_errors_sheets),
		cmocka_unit_test(test_errors_package),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
