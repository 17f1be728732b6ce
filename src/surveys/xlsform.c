/*
 * xlsform.c — both readers first turn each sheet into a table of trimmed
 * cells that keep the row the spreadsheet shows (struct table), then one
 * function builds the form from the tables, so that a CSV sheet and an
 * .xlsx sheet are held to exactly the same checks and messages.
 *
 * The .xlsx side reads only what XLSForm needs from the Office Open XML
 * package: xl/workbook.xml (the sheets' names), its relationships (their
 * parts), xl/sharedStrings.xml and the three sheets.  Every part goes
 * through libxml2's streaming reader, never a tree: memory stays near the
 * size of the text kept, whatever the markup.  A workbook is untrusted
 * input: the network is off, a document type declaration (the door to
 * entity expansion) refuses the part, and every part's uncompressed size
 * is checked against MAX_PART before and while it is read, so a zip bomb
 * costs at most MAX_PART bytes of memory.
 *
 * Storage is one arena per reading, released at the end; only the jansson
 * form outlives it.
 */
#include "surveys/xlsform.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/xmlreader.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "surveys/expr.h"

#define MAX_PART        ((zip_uint64_t)50 * 1024 * 1024)
#define MAX_TOTAL       ((zip_uint64_t)100 * 1024 * 1024)
#define MAX_COLS        VG_CSV_MAX_FIELDS
#define MAX_CELL        32767   /* Excel's limit, in characters */
#define MAX_SHARED      1000000
#define MAX_NAME        64
#define MAX_LANGS       16
#define EXCERPT         40

enum { SH_SURVEY, SH_CHOICES, SH_SETTINGS, SH_COUNT };

static const char *const sheet_names[SH_COUNT] = {
	"survey", "choices", "settings"
};

struct row {
	size_t line;            /* as the spreadsheet numbers it */
	size_t n;
	const char **f;         /* trimmed, never NULL */
};

struct table {
	const char *sheet;
	size_t nrows;           /* rows[0] is the header */
	struct row *rows;
};

/* What a column of the survey or choices sheet means. */
enum ckind {
	C_NONE,                 /* unknown: ignored */
	C_TYPE, C_NAME, C_LIST, C_LABEL, C_HINT, C_CMSG, C_REQUIRED,
	C_RELEVANT, C_CONSTRAINT,
	C_REFUSED               /* changes behaviour: refused when filled */
};

struct col {
	enum ckind k;
	const char *head;       /* as written, for messages */
	char lang[16];          /* C_LABEL, C_HINT, C_CMSG */
};

struct ctx {
	vg_arena *a;
	char *err;
	size_t errlen;
	char deflang[16];
	char langs[MAX_LANGS][16];
	size_t nlangs;
	const struct table *survey;
	int name_col;           /* of the survey sheet */
	json_t *defined;        /* name → {"row", "kind"} seen so far */
	json_t *choices;        /* list → [choice] */
};

/*
 * ASCII classes: <ctype.h> follows the locale, and under a Latin-1 one
 * would take a UTF-8 byte for a letter or a space (0xA0).
 */
static bool
a_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
a_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
a_alnum(char c)
{
	return a_alpha(c) || a_digit(c);
}

static bool
a_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

static char
a_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char
a_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static const char *excerpt(struct ctx *, const char *);

/* Line breaks and tabs of quoted cells (a heading, a label) as spaces:
 * a message is one line. */
static void
one_line(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20)
			*s = ' ';
}

static vg_rc fail(struct ctx *, const char *, size_t, const char *,
    const char *, ...) __attribute__((format(printf, 5, 6)));

/*
 * "sheet, ligne L, colonne C : message"; line 0 names no row, col NULL
 * no column.  Returns VG_EINVAL.
 */
static vg_rc
fail(struct ctx *c, const char *sheet, size_t line, const char *col,
    const char *fmt, ...)
{
	va_list ap;
	int k;

	if (c->err == NULL || c->errlen == 0)
		return VG_EINVAL;
	if (line > 0 && col != NULL)
		k = snprintf(c->err, c->errlen,
		    _("%s, ligne %zu, colonne %s : "), sheet, line,
		    excerpt(c, col));
	else if (line > 0)
		k = snprintf(c->err, c->errlen, _("%s, ligne %zu : "), sheet,
		    line);
	else
		k = snprintf(c->err, c->errlen, "%s : ", sheet);
	if (k >= 0 && (size_t)k < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
		va_end(ap);
	}
	one_line(c->err);
	return VG_EINVAL;
}

static vg_rc
nomem(struct ctx *c)
{
	if (c->err != NULL && c->errlen > 0)
		snprintf(c->err, c->errlen, "%s", _("mémoire insuffisante"));
	return VG_ENOMEM;
}

/*
 * s quoted for a message: at most EXCERPT bytes cut on a character, line
 * breaks as spaces so the message stays on one line.  In the arena.
 */
static const char *
excerpt(struct ctx *c, const char *s)
{
	size_t n = strlen(s), i;
	char *d;

	if (n > EXCERPT) {
		n = EXCERPT;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	d = vg_arena_printf(c->a, "%.*s%s", (int)n, s, n < strlen(s) ?
	    "…" : "");
	if (d == NULL)
		return "";
	for (i = 0; d[i] != '\0'; i++)
		if ((unsigned char)d[i] < 0x20)
			d[i] = ' ';
	return d;
}

/* --- tables --------------------------------------------------------------- */

/*
 * A copy of s[0..n) in the arena, trimmed of spaces and line breaks at
 * both ends, inner line ends made "\n" (a label written from a CSV's CRLF
 * must read back the same from the .xlsx, whose writer would escape CR).
 */
static char *
clean(vg_arena *a, const char *s, size_t n)
{
	char *d;
	size_t i, k = 0;

	while (n > 0 && a_space(*s)) {
		s++;
		n--;
	}
	while (n > 0 && a_space(s[n - 1]))
		n--;
	if ((d = vg_arena_alloc(a, n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\r') {
			d[k++] = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			d[k++] = s[i];
		}
	}
	d[k] = '\0';
	return d;
}

static const char *
cell(const struct row *r, int col)
{
	if (col < 0 || (size_t)col >= r->n)
		return "";
	return r->f[col];
}

/* Refuse text a person cannot have meant (control characters) and text
 * no spreadsheet cell holds. */
static vg_rc
check_cells(struct ctx *c, const struct table *t)
{
	size_t i, j;

	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->rows[i].n; j++) {
			const char *f = t->rows[i].f[j];
			size_t n = strlen(f);

			if (!vg_utf8_valid_text(f, n))
				return fail(c, t->sheet, t->rows[i].line,
				    vg_arena_printf(c->a, "%zu", j + 1), "%s",
				    _("caractère de contrôle ou texte mal "
				    "encodé"));
			/* Bytes bound characters: what passes here fits in
			 * a cell when the form is written back. */
			if (n > MAX_CELL)
				return fail(c, t->sheet, t->rows[i].line,
				    vg_arena_printf(c->a, "%zu", j + 1),
				    _("texte de plus de %d octets"), MAX_CELL);
		}
	return VG_OK;
}

static vg_rc
table_from_csv(struct ctx *c, const char *sheet, const char *data,
    size_t len, struct table *t)
{
	char err[256];
	vg_csv *csv = NULL;
	vg_rc rc;
	size_t i, j;

	t->sheet = sheet;
	t->nrows = 0;
	t->rows = NULL;
	if ((rc = vg_csv_parse(data, len, &csv, err, sizeof(err))) != VG_OK) {
		if (rc == VG_ENOMEM)
			return nomem(c);
		/* "survey, ligne 3, colonne 2 : …" like every other error. */
		if (c->err != NULL && c->errlen > 0)
			snprintf(c->err, c->errlen, "%s, %s", sheet, err);
		return VG_EINVAL;
	}
	if (csv->nrows > (size_t)VG_XLSFORM_MAX_ROWS + 1) {
		vg_csv_free(csv);
		return fail(c, sheet, 0, NULL, _("plus de %d lignes"),
		    VG_XLSFORM_MAX_ROWS);
	}
	t->rows = vg_arena_calloc(c->a, csv->nrows + 1, sizeof(*t->rows));
	if (t->rows == NULL)
		goto nomem;
	for (i = 0; i < csv->nrows; i++) {
		const vg_csv_row *cr = &csv->rows[i];
		struct row *r = &t->rows[i];

		r->line = cr->line;
		r->n = cr->n;
		if ((r->f = vg_arena_calloc(c->a, cr->n, sizeof(*r->f))) ==
		    NULL)
			goto nomem;
		for (j = 0; j < cr->n; j++)
			if ((r->f[j] = clean(c->a, cr->field[j],
			    strlen(cr->field[j]))) == NULL)
				goto nomem;
	}
	t->nrows = csv->nrows;
	vg_csv_free(csv);
	return check_cells(c, t);
nomem:
	vg_csv_free(csv);
	return nomem(c);
}

/* --- the .xlsx package ---------------------------------------------------- */

struct xlsx {
	zip_t *za;
	zip_uint64_t total;     /* bytes inflated so far */
	const char **shared;
	size_t nshared, capshared;
};

static vg_rc
bad_workbook(struct ctx *c, const char *why)
{
	return fail(c, _("classeur"), 0, NULL, _("ce fichier n'est pas un "
	    "classeur .xlsx lisible (%s) ; enregistrez-le depuis votre tableur "
	    "au format « Classeur Excel (.xlsx) »"), why);
}

/*
 * The part at name, whole, NUL-terminated; caller frees.  *found false
 * (and VG_OK) when there is no such part.  The size the archive states is
 * checked first, against MAX_PART and what is left of MAX_TOTAL, and no
 * more than it is ever read: an archive that lies inflates no further.
 */
static vg_rc
read_part(struct ctx *c, struct xlsx *x, const char *name, char **out,
    size_t *len, bool *found)
{
	zip_stat_t st;
	zip_int64_t idx, n;
	zip_file_t *f;
	zip_uint64_t got = 0;
	char *buf;

	*out = NULL;
	*len = 0;
	*found = false;
	if ((idx = zip_name_locate(x->za, name, 0)) < 0)
		return VG_OK;
	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0 ||
	    !(st.valid & ZIP_STAT_SIZE))
		return bad_workbook(c, name);
	if (st.size > MAX_PART || st.size > MAX_TOTAL - x->total)
		return fail(c, _("classeur"), 0, NULL, _("trop gros une fois "
		    "décompressé (%s : plus de %d Mo)"), excerpt(c, name),
		    (int)((st.size > MAX_PART ? MAX_PART : MAX_TOTAL) /
		    (1024 * 1024)));
	x->total += st.size;
	if ((buf = malloc((size_t)st.size + 1)) == NULL)
		return nomem(c);
	if ((f = zip_fopen_index(x->za, (zip_uint64_t)idx, 0)) == NULL) {
		free(buf);
		return bad_workbook(c, excerpt(c, name));
	}
	while (got < st.size) {
		n = zip_fread(f, buf + got, st.size - got);
		if (n <= 0)
			break;
		got += (zip_uint64_t)n;
	}
	/* Reading one byte more tells a part longer than announced. */
	if (got == st.size) {
		char extra;

		n = zip_fread(f, &extra, 1);
	}
	zip_fclose(f);
	if (got != st.size || n != 0) {
		free(buf);
		return bad_workbook(c, excerpt(c, name));
	}
	buf[got] = '\0';
	*out = buf;
	*len = (size_t)got;
	*found = true;
	return VG_OK;
}

/*
 * A streaming reader on buf, or NULL.  No network, no entity
 * substitution, no DTD loading, and no messages on stderr: errors come
 * back as xmlTextReaderRead() < 0.
 */
static xmlTextReaderPtr
xml_open(const char *buf, size_t len, const char *name)
{
	if (len > (size_t)MAX_PART)
		return NULL;
	return xmlReaderForMemory(buf, (int)len, name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/*
 * The next node, 1; 0 at the end; -1 on malformed XML or a document type
 * declaration (never in a workbook, the way to entity bombs).
 */
static int
xml_next(xmlTextReaderPtr r)
{
	int k = xmlTextReaderRead(r);

	if (k == 1 && xmlTextReaderNodeType(r) ==
	    XML_READER_TYPE_DOCUMENT_TYPE)
		return -1;
	return k;
}

static bool
is_elem(xmlTextReaderPtr r, const char *local)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);

	return n != NULL && strcmp((const char *)n, local) == 0;
}

/* The attribute of that local name, whatever its namespace, in the
 * arena; NULL when absent. */
static const char *
attr(struct ctx *c, xmlTextReaderPtr r, const char *local)
{
	const char *v = NULL;

	if (xmlTextReaderMoveToFirstAttribute(r) != 1)
		return NULL;
	do {
		const xmlChar *n = xmlTextReaderConstLocalName(r);

		if (n != NULL && strcmp((const char *)n, local) == 0) {
			const xmlChar *val = xmlTextReaderConstValue(r);

			v = vg_arena_strdup(c->a, val ? (const char *)val :
			    "");
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(r) == 1);
	xmlTextReaderMoveToElement(r);
	return v;
}

/* The attribute into buf (n bytes); false when absent.  A value too long
 * for buf comes back as "!", which no caller accepts. */
static bool
attr_buf(xmlTextReaderPtr r, const char *local, char *buf, size_t n)
{
	bool found = false;

	if (xmlTextReaderMoveToFirstAttribute(r) != 1)
		return false;
	do {
		const xmlChar *an = xmlTextReaderConstLocalName(r);

		if (an != NULL && strcmp((const char *)an, local) == 0) {
			const char *v;

			v = (const char *)xmlTextReaderConstValue(r);

			if (v == NULL)
				v = "";
			if (strlen(v) >= n)
				v = "!";
			snprintf(buf, n, "%s", v);
			found = true;
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(r) == 1);
	xmlTextReaderMoveToElement(r);
	return found;
}

/* A sheet of the workbook: its name and relationship. */
struct wbsheet {
	const char *name, *rid, *path;
};

/* Sheet names and relationship ids from xl/workbook.xml. */
static vg_rc
read_workbook(struct ctx *c, struct xlsx *x, struct wbsheet *found)
{
	xmlTextReaderPtr r;
	char *buf;
	size_t len;
	bool ok;
	int k, i;
	vg_rc rc;

	if ((rc = read_part(c, x, "xl/workbook.xml", &buf, &len, &ok)) !=
	    VG_OK)
		return rc;
	if (!ok)
		return bad_workbook(c, _("xl/workbook.xml manquant"));
	if ((r = xml_open(buf, len, "workbook.xml")) == NULL) {
		free(buf);
		return nomem(c);
	}
	while ((k = xml_next(r)) == 1) {
		const char *name, *rid;

		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
		    !is_elem(r, "sheet"))
			continue;
		name = attr(c, r, "name");
		rid = attr(c, r, "id");
		if (name == NULL || rid == NULL)
			continue;
		for (i = 0; i < SH_COUNT; i++)
			if (strcasecmp(name, sheet_names[i]) == 0 &&
			    found[i].name == NULL) {
				found[i].name = name;
				found[i].rid = rid;
			}
	}
	xmlFreeTextReader(r);
	free(buf);
	if (k < 0)
		return bad_workbook(c, _("xl/workbook.xml illisible"));
	return VG_OK;
}

/*
 * The part a relationship target names: relative to xl/, or absolute from
 * the package root; "." and ".." segments resolved.
 */
static const char *
part_path(struct ctx *c, const char *target)
{
	char *full, *out, *seg, *save = NULL;
	size_t k = 0;

	if (target[0] == '/')
		full = vg_arena_strdup(c->a, target + 1);
	else
		full = vg_arena_printf(c->a, "xl/%s", target);
	if (full == NULL || (out = vg_arena_alloc(c->a, strlen(full) + 1)) ==
	    NULL)
		return NULL;
	out[0] = '\0';
	for (seg = strtok_r(full, "/", &save); seg != NULL;
	    seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			while (k > 0 && out[k - 1] != '/')
				k--;
			if (k > 0)
				k--;
			out[k] = '\0';
			continue;
		}
		if (k > 0)
			out[k++] = '/';
		memcpy(out + k, seg, strlen(seg) + 1);
		k += strlen(seg);
	}
	return out;
}

/* The parts of the sheets found, from xl/_rels/workbook.xml.rels. */
static vg_rc
read_rels(struct ctx *c, struct xlsx *x, struct wbsheet *found)
{
	xmlTextReaderPtr r;
	char *buf;
	size_t len;
	bool ok;
	int k, i;
	vg_rc rc;

	if ((rc = read_part(c, x, "xl/_rels/workbook.xml.rels", &buf, &len,
	    &ok)) != VG_OK)
		return rc;
	if (!ok)
		return bad_workbook(c, _("xl/_rels/workbook.xml.rels "
		    "manquant"));
	if ((r = xml_open(buf, len, "workbook.xml.rels")) == NULL) {
		free(buf);
		return nomem(c);
	}
	while ((k = xml_next(r)) == 1) {
		const char *id, *target;

		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
		    !is_elem(r, "Relationship"))
			continue;
		if ((id = attr(c, r, "Id")) == NULL ||
		    (target = attr(c, r, "Target")) == NULL)
			continue;
		for (i = 0; i < SH_COUNT; i++)
			if (found[i].rid != NULL && found[i].path == NULL &&
			    strcmp(found[i].rid, id) == 0)
				found[i].path = part_path(c, target);
	}
	xmlFreeTextReader(r);
	free(buf);
	if (k < 0)
		return bad_workbook(c, _("xl/_rels/workbook.xml.rels "
		    "illisible"));
	return VG_OK;
}

/* Append the text node's value to b, refusing text beyond MAX_CELL. */
static bool
take_text(xmlTextReaderPtr r, vg_buf *b)
{
	const xmlChar *v = xmlTextReaderConstValue(r);
	size_t n;

	if (v == NULL)
		return true;
	n = strlen((const char *)v);
	if (b->len + n > MAX_CELL)
		return false;
	vg_buf_append(b, v, n);
	return true;
}

static bool
is_text_node(xmlTextReaderPtr r)
{
	int t = xmlTextReaderNodeType(r);

	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
	    t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
	    t == XML_READER_TYPE_WHITESPACE;
}

/*
 * xl/sharedStrings.xml: each <si> is the text of its <t>s, rich text runs
 * <r><t> joined, phonetic guides <rPh> left out.  A workbook without
 * strings has no such part.
 */
static vg_rc
read_shared(struct ctx *c, struct xlsx *x)
{
	xmlTextReaderPtr r;
	vg_buf b = VG_BUF_INIT;
	char *buf;
	size_t len;
	bool ok, in_si = false, in_t = false;
	int k, rph = 0;
	vg_rc rc;

	if ((rc = read_part(c, x, "xl/sharedStrings.xml", &buf, &len, &ok)) !=
	    VG_OK || !ok)
		return rc;
	if ((r = xml_open(buf, len, "sharedStrings.xml")) == NULL) {
		free(buf);
		return nomem(c);
	}
	rc = VG_OK;
	while (rc == VG_OK && (k = xml_next(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		bool empty = xmlTextReaderIsEmptyElement(r) == 1;

		if (type == XML_READER_TYPE_ELEMENT) {
			if (is_elem(r, "si")) {
				in_si = !empty;
				vg_buf_reset(&b);
				vg_buf_puts(&b, "");
				if (!empty)
					continue;
				/* <si/>: an empty string, kept in its place. */
			} else if (is_elem(r, "rPh") && !empty) {
				rph++;
				continue;
			} else if (is_elem(r, "t") && in_si && !empty) {
				in_t = true;
				continue;
			} else {
				continue;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (is_elem(r, "rPh") && rph > 0)
				rph--;
			else if (is_elem(r, "t"))
				in_t = false;
			if (!is_elem(r, "si") || !in_si)
				continue;
			in_si = false;
		} else {
			if (in_t && rph == 0 && is_text_node(r) &&
			    !take_text(r, &b))
				rc = fail(c, "sharedStrings.xml", 0, NULL,
				    _("texte de plus de %d octets"),
				    MAX_CELL);
			continue;
		}
		/* The end of an <si>: keep its text. */
		if (x->nshared == MAX_SHARED) {
			rc = fail(c, "sharedStrings.xml", 0, NULL,
			    _("plus de %d textes"), MAX_SHARED);
			break;
		}
		if (x->nshared == x->capshared) {
			size_t cap = x->capshared ? x->capshared * 2 : 256;
			const char **s = realloc(x->shared, cap *
			    sizeof(*s));

			if (s == NULL) {
				rc = nomem(c);
				break;
			}
			x->shared = s;
			x->capshared = cap;
		}
		if (vg_buf_failed(&b) || (x->shared[x->nshared++] =
		    vg_arena_strndup(c->a, b.data ? b.data : "", b.len)) ==
		    NULL)
			rc = nomem(c);
	}
	xmlFreeTextReader(r);
	free(buf);
	vg_buf_free(&b);
	if (rc == VG_OK && k < 0)
		rc = bad_workbook(c, _("xl/sharedStrings.xml illisible"));
	return rc;
}

/*
 * "C7" → column 3 (from 1) and row 7; row 0 when the reference has no
 * digits.  False when malformed or beyond the sheet's limits (XFD,
 * 1048576).
 */
static bool
cell_ref(const char *s, size_t *col, size_t *row)
{
	size_t cl = 0, rw = 0, nl = 0, nd = 0;

	for (; a_alpha(*s) && nl < 4; s++, nl++)
		cl = cl * 26 + (size_t)(a_upper(*s) - 'A' + 1);
	for (; *s >= '0' && *s <= '9'; s++, nd++)
		if ((rw = rw * 10 + (size_t)(*s - '0')) > 1048576)
			return false;
	if (*s != '\0' || nl == 0 || nl > 3 || cl > 16384 ||
	    (nd > 0 && rw == 0))
		return false;
	*col = cl;
	*row = rw;
	return true;
}

static bool
parse_index(const char *s, size_t *out)
{
	size_t v = 0;

	while (*s == ' ')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++)
		if ((v = v * 10 + (size_t)(*s - '0')) > MAX_SHARED)
			return false;
	while (*s == ' ')
		s++;
	*out = v;
	return *s == '\0';
}

/* The state of one sheet's reading. */
struct sheetread {
	struct ctx *c;
	struct xlsx *x;
	struct table *t;
	size_t cap;
	size_t line;            /* current row number */
	size_t ncols;           /* cells of the current row so far */
	const char *cells[MAX_COLS];
	size_t col;             /* current cell's column (from 1) */
	char type[16];          /* its t attribute */
	vg_buf v;               /* its <v> or inline text */
};

static vg_rc
sheet_fail(struct sheetread *s, const char *what)
{
	return fail(s->c, s->t->sheet, s->line, NULL, "%s", what);
}

/* The current cell is complete: its text, by type, into cells. */
static vg_rc
end_cell(struct sheetread *s)
{
	const char *v = s->v.data != NULL ? s->v.data : "", *text = v;
	size_t i;

	if (vg_buf_failed(&s->v))
		return nomem(s->c);
	if (strcmp(s->type, "s") == 0) {
		if (*v == '\0')
			return VG_OK;
		if (!parse_index(v, &i) || i >= s->x->nshared)
			return sheet_fail(s, _("référence à un texte partagé "
			    "inexistant"));
		text = s->x->shared[i];
	} else if (strcmp(s->type, "b") == 0) {
		text = strcmp(v, "1") == 0 ? "TRUE" : strcmp(v, "0") == 0 ?
		    "FALSE" : v;
	}
	/* Numbers (no t or t="n"), formula results ("str"), errors ("e")
	 * and inline strings are their text as stored. */
	if (s->col > MAX_COLS) {
		const char *p = text;

		while (a_space(*p))
			p++;
		if (*p == '\0')
			return VG_OK;
		return fail(s->c, s->t->sheet, s->line, NULL, _("cellule "
		    "au-delà de la colonne %d"), MAX_COLS);
	}
	if ((s->cells[s->col - 1] = clean(s->c->a, text, strlen(text))) ==
	    NULL)
		return nomem(s->c);
	if (s->col > s->ncols)
		s->ncols = s->col;
	return VG_OK;
}

/* The current row is complete: kept unless every cell is empty. */
static vg_rc
end_row(struct sheetread *s)
{
	struct table *t = s->t;
	struct row *r;
	size_t j, filled = 0;

	for (j = 0; j < s->ncols; j++) {
		if (s->cells[j] == NULL)
			s->cells[j] = "";
		filled += s->cells[j][0] != '\0';
	}
	if (filled == 0)
		goto done;
	if (t->nrows > (size_t)VG_XLSFORM_MAX_ROWS)
		return fail(s->c, t->sheet, 0, NULL, _("plus de %d lignes"),
		    VG_XLSFORM_MAX_ROWS);
	if (t->nrows == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct row *rows = vg_arena_calloc(s->c->a, cap,
		    sizeof(*rows));

		if (rows == NULL)
			return nomem(s->c);
		if (t->nrows > 0)
			memcpy(rows, t->rows, t->nrows * sizeof(*rows));
		t->rows = rows;
		s->cap = cap;
	}
	r = &t->rows[t->nrows];
	r->line = s->line;
	r->n = s->ncols;
	if ((r->f = vg_arena_calloc(s->c->a, s->ncols + 1, sizeof(*r->f))) ==
	    NULL)
		return nomem(s->c);
	memcpy(r->f, s->cells, s->ncols * sizeof(*r->f));
	t->nrows++;
done:
	memset(s->cells, 0, sizeof(s->cells));
	s->ncols = 0;
	return VG_OK;
}

/* A <row>: its number, which must rise. */
static vg_rc
start_row(struct sheetread *s, xmlTextReaderPtr r)
{
	char ref[16];
	size_t line = s->line + 1;

	if (attr_buf(r, "r", ref, sizeof(ref))) {
		char *end;
		unsigned long v = strtoul(ref, &end, 10);

		if (*ref < '0' || *ref > '9' || *end != '\0' || v == 0 ||
		    v > 1048576 || v <= s->line)
			return sheet_fail(s, _("numéro de ligne incohérent "
			    "dans le classeur"));
		line = v;
	} else if (line > 1048576) {
		return sheet_fail(s, _("trop de lignes"));
	}
	s->line = line;
	s->col = 0;
	memset(s->cells, 0, sizeof(s->cells));
	s->ncols = 0;
	return VG_OK;
}

/* A <c>: its column, from r="C7" or the one after the last. */
static vg_rc
start_cell(struct sheetread *s, xmlTextReaderPtr r)
{
	char ref[16];
	size_t col = s->col + 1, row;

	if (attr_buf(r, "r", ref, sizeof(ref))) {
		if (!cell_ref(ref, &col, &row) || (row != 0 && row != s->line))
			return sheet_fail(s, _("référence de cellule "
			    "incohérente dans le classeur"));
		if (col <= s->col)
			return sheet_fail(s, _("cellules dans le désordre "
			    "dans le classeur"));
	} else if (col > 16384) {
		return sheet_fail(s, _("trop de colonnes"));
	}
	s->col = col;
	if (!attr_buf(r, "t", s->type, sizeof(s->type)))
		s->type[0] = '\0';
	vg_buf_reset(&s->v);
	return VG_OK;
}

/*
 * One worksheet part into t.  Cells are placed by their r="C7", so empty
 * cells Excel leaves out and gaps between rows come out right.
 */
static vg_rc
read_sheet(struct ctx *c, struct xlsx *x, const char *path,
    struct table *t)
{
	struct sheetread *s;
	xmlTextReaderPtr r;
	char *buf;
	size_t len;
	bool ok, in_row = false, in_cell = false, in_v = false, in_is = false;
	bool in_t = false;
	int k, rph = 0;
	vg_rc rc;

	if ((rc = read_part(c, x, path, &buf, &len, &ok)) != VG_OK)
		return rc;
	if (!ok)
		return bad_workbook(c, excerpt(c, path));
	if ((s = vg_arena_calloc(c->a, 1, sizeof(*s))) == NULL ||
	    (r = xml_open(buf, len, path)) == NULL) {
		free(buf);
		return nomem(c);
	}
	s->c = c;
	s->x = x;
	s->t = t;
	rc = VG_OK;
	while (rc == VG_OK && (k = xml_next(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		bool empty = xmlTextReaderIsEmptyElement(r) == 1;

		if (type == XML_READER_TYPE_ELEMENT) {
			if (is_elem(r, "row")) {
				if (in_row)
					rc = sheet_fail(s, _("ligne dans une "
					    "ligne"));
				else if ((rc = start_row(s, r)) == VG_OK &&
				    empty)
					rc = end_row(s);
				else
					in_row = true;
			} else if (is_elem(r, "c") && in_row && !in_cell) {
				if ((rc = start_cell(s, r)) == VG_OK && empty)
					rc = end_cell(s);
				else
					in_cell = !empty;
			} else if (in_cell && is_elem(r, "v") && !empty) {
				in_v = true;
			} else if (in_cell && is_elem(r, "is") && !empty) {
				in_is = true;
			} else if (in_is && is_elem(r, "rPh") && !empty) {
				rph++;
			} else if (in_is && is_elem(r, "t") && !empty) {
				in_t = true;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (is_elem(r, "row") && in_row) {
				in_row = false;
				rc = end_row(s);
			} else if (is_elem(r, "c") && in_cell) {
				in_cell = in_v = in_is = in_t = false;
				rph = 0;
				rc = end_cell(s);
			} else if (is_elem(r, "v")) {
				in_v = false;
			} else if (is_elem(r, "is")) {
				in_is = false;
			} else if (is_elem(r, "rPh") && rph > 0) {
				rph--;
			} else if (is_elem(r, "t")) {
				in_t = false;
			}
		} else if (is_text_node(r) && (in_v || (in_t && rph == 0))) {
			if (!take_text(r, &s->v))
				rc = sheet_fail(s, vg_arena_printf(c->a,
				    _("texte de plus de %d octets"),
				    MAX_CELL));
		}
	}
	xmlFreeTextReader(r);
	free(buf);
	vg_buf_free(&s->v);
	if (rc == VG_OK && k < 0)
		rc = fail(c, t->sheet, 0, NULL, "%s", _("feuille illisible "
		    "(XML mal formé)"));
	if (rc == VG_OK && in_row)
		rc = end_row(s);
	if (rc == VG_OK)
		rc = check_cells(c, t);
	return rc;
}

/* --- columns and languages ------------------------------------------------ */

static const struct {
	const char *name, *code;
} lang_names[] = {
	{"french", "fr"}, {"français", "fr"}, {"francais", "fr"},
	{"english", "en"}, {"anglais", "en"},
	{"spanish", "es"}, {"español", "es"}, {"espagnol", "es"},
	{"german", "de"}, {"deutsch", "de"}, {"allemand", "de"},
	{"italian", "it"}, {"italiano", "it"}, {"italien", "it"},
	{"portuguese", "pt"}, {"português", "pt"}, {"portugais", "pt"},
	{"arabic", "ar"}, {"arabe", "ar"},
};

/* The names the writer gives columns ("label::French (fr)"). */
static const struct {
	const char *code, *name;
} lang_titles[] = {
	{"fr", "French"}, {"en", "English"}, {"es", "Spanish"},
	{"de", "German"}, {"it", "Italian"}, {"pt", "Portuguese"},
	{"ar", "Arabic"},
};

/* Whether s[0..n) is a language code: 2 or 3 letters, then optionally
 * "-" and 2 to 8 letters or digits ("pt-BR"). */
static bool
is_code(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n && a_alpha(s[i]))
		i++;
	if (i < 2 || i > 3)
		return false;
	if (i == n)
		return true;
	if (s[i] != '-')
		return false;
	for (k = ++i; i < n && a_alnum(s[i]); i++)
		;
	return i == n && i - k >= 2 && i - k <= 8;
}

/*
 * The code of a language as a column or the settings write it: "French
 * (fr)", "fr", "French".  False when none can be told.
 */
static bool
lang_code(const char *spec, char out[16])
{
	const char *s = spec, *open, *close;
	size_t n, i;

	while (a_space(*s))
		s++;
	n = strlen(s);
	while (n > 0 && a_space(s[n - 1]))
		n--;
	open = memchr(s, '(', n);
	if (open != NULL && n > 0 && s[n - 1] == ')') {
		close = s + n - 1;
		s = open + 1;
		while (s < close && a_space(*s))
			s++;
		n = (size_t)(close - s);
		while (n > 0 && a_space(s[n - 1]))
			n--;
	}
	if (n > 0 && n < 16 && is_code(s, n)) {
		bool sub = false;

		/* "FR" is "fr"; a region keeps its case ("pt-BR"). */
		for (i = 0; i < n; i++) {
			sub = sub || s[i] == '-';
			out[i] = sub ? s[i] : a_lower(s[i]);
		}
		out[n] = '\0';
		return true;
	}
	for (i = 0; i < VG_ARRAY_LEN(lang_names); i++)
		if (strlen(lang_names[i].name) == n &&
		    strncasecmp(s, lang_names[i].name, n) == 0) {
			snprintf(out, 16, "%s", lang_names[i].code);
			return true;
		}
	return false;
}

static bool
add_lang(struct ctx *c, const char *code)
{
	size_t i;

	for (i = 0; i < c->nlangs; i++)
		if (strcmp(c->langs[i], code) == 0)
			return true;
	if (c->nlangs == MAX_LANGS)
		return false;
	snprintf(c->langs[c->nlangs++], 16, "%s", code);
	return true;
}

static bool
has_lang(const struct ctx *c, const char *code)
{
	size_t i;

	for (i = 0; i < c->nlangs; i++)
		if (strcmp(c->langs[i], code) == 0)
			return true;
	return false;
}

/* Columns whose content Vigie would have to act on and cannot. */
static const char *const refused_survey[] = {
	"appearance", "choice_filter", "default", "read_only", "calculation",
	"trigger", "parameters", "repeat_count", "required_message", "image",
	"audio", "video", "big-image", "body", "bind", "instance", "media",
	"jr:count", "jr:choice_name", NULL
};

static const char *const refused_choices[] = {
	"image", "audio", "video", "big-image", "media", NULL
};

static bool
in_list(const char *const *l, const char *s)
{
	for (; *l != NULL; l++)
		if (strcasecmp(*l, s) == 0)
			return true;
	return false;
}

/*
 * What each column of t's header means.  Labels, hints and messages take
 * their language from "::…", the default language without one.  Two
 * columns that mean the same are refused: one would silently win.
 */
static vg_rc
read_header(struct ctx *c, const struct table *t, bool survey,
    struct col **out)
{
	const struct row *h = &t->rows[0];
	struct col *cols;
	size_t j, i;

	if ((cols = vg_arena_calloc(c->a, h->n + 1, sizeof(*cols))) == NULL)
		return nomem(c);
	for (j = 0; j < h->n; j++) {
		const char *head = h->f[j], *sep = strstr(head, "::");
		char base[40];
		size_t n = sep ? (size_t)(sep - head) : strlen(head);
		struct col *cl = &cols[j];

		cl->head = head;
		cl->k = C_NONE;
		if (n == 0 || n >= sizeof(base))
			continue;
		for (i = 0; i < n; i++)
			base[i] = head[i] == ' ' ? '_' : a_lower(head[i]);
		base[n] = '\0';
		if (strcmp(base, "label") == 0)
			cl->k = C_LABEL;
		else if (survey && strcmp(base, "hint") == 0)
			cl->k = C_HINT;
		else if (survey && strcmp(base, "constraint_message") == 0)
			cl->k = C_CMSG;
		else if (sep != NULL)
			cl->k = in_list(survey ? refused_survey :
			    refused_choices, base) ? C_REFUSED : C_NONE;
		else if (strcmp(base, "name") == 0)
			cl->k = C_NAME;
		else if (survey && strcmp(base, "type") == 0)
			cl->k = C_TYPE;
		else if (survey && strcmp(base, "required") == 0)
			cl->k = C_REQUIRED;
		else if (survey && strcmp(base, "relevant") == 0)
			cl->k = C_RELEVANT;
		else if (survey && strcmp(base, "constraint") == 0)
			cl->k = C_CONSTRAINT;
		else if (!survey && strcmp(base, "list_name") == 0)
			cl->k = C_LIST;
		else if (in_list(survey ? refused_survey : refused_choices,
		    base))
			cl->k = C_REFUSED;
		if (cl->k == C_LABEL || cl->k == C_HINT || cl->k == C_CMSG) {
			if (sep == NULL)
				snprintf(cl->lang, sizeof(cl->lang), "%s",
				    c->deflang);
			else if (!lang_code(sep + 2, cl->lang))
				return fail(c, t->sheet, h->line, head,
				    _("langue « %s » inconnue : écrivez-la "
				    "« Nom (code) », par exemple « English "
				    "(en) »"), excerpt(c, sep + 2));
			if (cl->k == C_LABEL && !add_lang(c, cl->lang))
				return fail(c, t->sheet, h->line, head,
				    _("plus de %d langues"), MAX_LANGS);
		}
		for (i = 0; i < j; i++)
			if (cols[i].k == cl->k && cl->k != C_NONE &&
			    cl->k != C_REFUSED &&
			    strcmp(cols[i].lang, cl->lang) == 0)
				return fail(c, t->sheet, h->line, head,
				    _("colonne en double (déjà en colonne "
				    "%zu, « %s »)"), i + 1, cols[i].head);
	}
	*out = cols;
	return VG_OK;
}

/* The first column of kind k (and language, for texts), or -1. */
static int
col_of(const struct table *t, const struct col *cols, enum ckind k)
{
	size_t j;

	for (j = 0; j < t->rows[0].n; j++)
		if (cols[j].k == k)
			return (int)j;
	return -1;
}

/* The French label column's heading, for "libellé manquant". */
static const char *
fr_head(const struct table *t, const struct col *cols)
{
	size_t j;

	for (j = 0; j < t->rows[0].n; j++)
		if (cols[j].k == C_LABEL && strcmp(cols[j].lang, "fr") == 0)
			return cols[j].head;
	return "label::French (fr)";
}

/* {LANG: TEXT} from the row's columns of kind k, empty texts left out. */
static json_t *
texts(const struct table *t, const struct row *r, const struct col *cols,
    enum ckind k)
{
	json_t *o = json_object();
	size_t j;

	if (o == NULL)
		return NULL;
	for (j = 0; j < t->rows[0].n; j++)
		if (cols[j].k == k && *cell(r, (int)j) != '\0')
			json_object_set_new(o, cols[j].lang,
			    json_string(cell(r, (int)j)));
	return o;
}

/* Refuse the columns that would change behaviour when filled. */
static vg_rc
check_refused(struct ctx *c, const struct table *t, const struct row *r,
    const struct col *cols)
{
	size_t j;

	for (j = 0; j < t->rows[0].n; j++)
		if (cols[j].k == C_REFUSED && *cell(r, (int)j) != '\0')
			return fail(c, t->sheet, r->line, cols[j].head,
			    _("la colonne « %s » n'est pas prise en charge "
			    "par Vigie (valeur « %s ») ; videz-la"),
			    cols[j].head, excerpt(c, cell(r, (int)j)));
	return VG_OK;
}

/* A question or list name: [A-Za-z_][A-Za-z0-9_.-]*, as expressions
 * write them, at most MAX_NAME bytes. */
static bool
name_ok(const char *s, bool digit_first)
{
	size_t i;

	if (!(a_alpha(s[0]) || s[0] == '_' || (digit_first &&
	    a_digit(s[0]))))
		return false;
	for (i = 1; s[i] != '\0'; i++)
		if (!(a_alnum(s[i]) || s[i] == '_' ||
		    s[i] == '.' || s[i] == '-'))
			return false;
	return i <= MAX_NAME && (unsigned char)s[0] < 0x80;
}

/* --- settings ------------------------------------------------------------- */

struct settings {
	const char *title, *id, *version;
	size_t line;            /* of the values, for messages */
};

static vg_rc
read_settings(struct ctx *c, const struct table *t, struct settings *st)
{
	const struct row *h, *v;
	size_t j;

	st->line = 2;
	if (t == NULL || t->nrows == 0)
		return VG_OK;
	h = &t->rows[0];
	st->line = h->line + 1;
	if (t->nrows > 2)
		return fail(c, t->sheet, t->rows[2].line, NULL, "%s",
		    _("une seule ligne de réglages est attendue, sous la ligne "
		    "des noms de colonnes"));
	if (t->nrows < 2)
		return VG_OK;
	v = &t->rows[1];
	st->line = v->line;
	for (j = 0; j < h->n; j++) {
		const char *k = h->f[j], *val = cell(v, (int)j);

		if (*val == '\0')
			continue;
		if (strcasecmp(k, "form_title") == 0)
			st->title = val;
		else if (strcasecmp(k, "form_id") == 0)
			st->id = val;
		else if (strcasecmp(k, "version") == 0)
			st->version = val;
		else if (strcasecmp(k, "default_language") == 0) {
			if (!lang_code(val, c->deflang))
				return fail(c, t->sheet, v->line, k,
				    _("langue « %s » inconnue : écrivez-la "
				    "« Nom (code) », par exemple « French "
				    "(fr) »"), excerpt(c, val));
		} else if (*k == '\0') {
			return fail(c, t->sheet, v->line, vg_arena_printf(c->a,
			    "%zu", j + 1), "%s", _("valeur sans nom de réglage "
			    "au-dessus"));
		} else {
			return fail(c, t->sheet, v->line, k, _("réglage « %s » "
			    "non pris en charge (réglages possibles : "
			    "form_title, form_id, version, default_language)"),
			    excerpt(c, k));
		}
	}
	return VG_OK;
}

static bool
id_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || a_digit(
		    s[i]) || s[i] == '_' || s[i] == '-'))
			return false;
	return i > 0 && i <= MAX_NAME;
}

/* --- choices -------------------------------------------------------------- */

static vg_rc
read_choices(struct ctx *c, const struct table *t, const struct col *cols)
{
	int cl, cn;
	size_t i, k;
	json_t *list, *ch, *label;

	if (t == NULL || t->nrows == 0)
		return VG_OK;
	cl = col_of(t, cols, C_LIST);
	cn = col_of(t, cols, C_NAME);
	if (cl < 0 || cn < 0)
		return fail(c, t->sheet, t->rows[0].line, NULL, _("colonne "
		    "« %s » manquante"), cl < 0 ? "list_name" : "name");
	for (i = 1; i < t->nrows; i++) {
		const struct row *r = &t->rows[i];
		const char *ln = cell(r, cl), *name = cell(r, cn);
		vg_rc rc;

		if (*ln == '\0' && *name == '\0')
			continue;       /* a comment in another column */
		if ((rc = check_refused(c, t, r, cols)) != VG_OK)
			return rc;
		if (*ln == '\0')
			return fail(c, t->sheet, r->line, cols[cl].head, "%s",
			    _("nom de liste manquant"));
		if (!name_ok(ln, true))
			return fail(c, t->sheet, r->line, cols[cl].head,
			    _("nom de liste « %s » invalide : lettres sans "
			    "accents, chiffres, « _ », « . » ou « - », sans "
			    "espace"), excerpt(c, ln));
		if (*name == '\0')
			return fail(c, t->sheet, r->line, cols[cn].head, "%s",
			    _("nom du choix manquant"));
		/* Names of a select_multiple's answer are separated by
		 * spaces: a name must not hold one. */
		if (!name_ok(name, true))
			return fail(c, t->sheet, r->line, cols[cn].head,
			    _("nom de choix « %s » invalide : lettres sans "
			    "accents, chiffres, « _ », « . » ou « - », sans "
			    "espace"), excerpt(c, name));
		if ((list = json_object_get(c->choices, ln)) == NULL) {
			if ((list = json_array()) == NULL ||
			    json_object_set_new(c->choices, ln, list) != 0)
				return nomem(c);
		}
		json_array_foreach(list, k, ch)
			if (strcmp(json_string_value(json_object_get(ch,
			    "name")), name) == 0)
				return fail(c, t->sheet, r->line,
				    cols[cn].head, _("le choix « %s » figure "
				    "déjà dans la liste « %s »"),
				    excerpt(c, name), excerpt(c, ln));
		if ((label = texts(t, r, cols, C_LABEL)) == NULL)
			return nomem(c);
		if (json_object_get(label, "fr") == NULL) {
			json_decref(label);
			return fail(c, t->sheet, r->line, fr_head(t, cols),
			    "%s", _("libellé en français manquant"));
		}
		if ((ch = json_pack("{s:s, s:o}", "name", name, "label",
		    label)) == NULL || json_array_append_new(list, ch) != 0)
			return nomem(c);
	}
	return VG_OK;
}

/* --- survey --------------------------------------------------------------- */

struct check {
	struct ctx *c;
	const struct row *r;
	const char *col;
	const char *self;       /* the question's own name */
	bool constraint;
	vg_rc rc;
};

/* The row where name is defined after the current one, or 0. */
static size_t
defined_later(const struct ctx *c, const struct row *from, int cn,
    const char *name)
{
	const struct table *t = c->survey;
	size_t i;

	for (i = (size_t)(from - t->rows) + 1; i < t->nrows; i++)
		if (strcmp(cell(&t->rows[i], cn), name) == 0)
			return t->rows[i].line;
	return 0;
}

static void
check_name(void *arg, const char *name)
{
	struct check *k = arg;
	struct ctx *c = k->c;
	const char *sheet = c->survey->sheet, *kind;
	json_t *d;
	size_t later;

	if (k->rc != VG_OK)
		return;
	d = json_object_get(c->defined, name);
	if (d == NULL && k->self != NULL && strcmp(name, k->self) == 0) {
		k->rc = fail(c, sheet, k->r->line, k->col, k->constraint ?
		    _("${%s} est la question elle-même : écrivez « . »") :
		    _("${%s} est la question elle-même : une question ne "
		    "peut dépendre de sa propre réponse"), name);
	} else if (d == NULL && (later = defined_later(c, k->r,
	    c->name_col, name)) > 0) {
		k->rc = fail(c, sheet, k->r->line, k->col, _("${%s} est "
		    "définie plus loin (ligne %zu) : une condition ne peut "
		    "porter que sur une question précédente"), name, later);
	} else if (d == NULL) {
		k->rc = fail(c, sheet, k->r->line, k->col, _("${%s} n'est pas "
		    "une question du formulaire"), name);
	} else if ((kind = json_string_value(json_object_get(d, "kind"))) !=
	    NULL && strcmp(kind, "question") != 0) {
		k->rc = fail(c, sheet, k->r->line, k->col, strcmp(kind,
		    "group") == 0 ? _("${%s} est un groupe, pas une question") :
		    _("${%s} est une note, sans réponse"), name);
	}
}

/*
 * The expression of column col on row r, checked: it parses, refers only
 * to questions defined above, and uses "." exactly when it is a
 * constraint.  *out is NULL for an empty cell.
 */
static vg_rc
check_expr(struct ctx *c, const struct row *r, const struct col *cols,
    int col, const char *self, bool constraint, json_t **out)
{
	const char *src = cell(r, col), *head = cols[col].head;
	const char *sheet = c->survey->sheet;
	char err[200];
	struct check k = {c, r, head, self, constraint, VG_OK};
	vg_expr *e;
	vg_rc rc;

	*out = NULL;
	if (*src == '\0')
		return VG_OK;
	if ((rc = vg_expr_parse(src, &e, err, sizeof(err))) != VG_OK)
		return rc == VG_ENOMEM ? nomem(c) : fail(c, sheet, r->line,
		    head, "%s", err);
	if (constraint && !vg_expr_uses_self(e))
		rc = fail(c, sheet, r->line, head, "%s", _("une contrainte "
		    "porte sur la réponse elle-même, écrite « . » (par "
		    "exemple « . > 0 »)"));
	else if (!constraint && vg_expr_uses_self(e))
		rc = fail(c, sheet, r->line, head, "%s", _("« . » n'a pas de "
		    "sens dans une condition d'affichage : nommez la question, "
		    "${nom}"));
	if (rc == VG_OK) {
		vg_expr_names(e, check_name, &k);
		rc = k.rc;
	}
	vg_expr_free(e);
	if (rc == VG_OK && (*out = json_string(src)) == NULL)
		rc = nomem(c);
	return rc;
}

/* yes/true/1 or no/false/0/empty, whatever the case. */
static int
yes_no(const char *s)
{
	static const char *const yes[] = {"yes", "true", "1", "true()",
		"oui", "vrai", NULL};
	static const char *const no[] = {"", "no", "false", "0", "false()",
		"non", "faux", NULL};

	if (in_list(yes, s))
		return 1;
	if (in_list(no, s))
		return 0;
	return -1;
}

/* "select_one  list" → "select_one", "list"; other spaces collapsed. */
static void
split_type(struct ctx *c, const char *type, const char **base,
    const char **arg, const char **rest)
{
	char *t = vg_arena_strdup(c->a, type), *p;

	*base = *arg = *rest = "";
	if (t == NULL)
		return;
	for (p = t; *p != '\0' && !a_space(*p); p++)
		*p = a_lower(*p);
	*base = t;
	if (*p == '\0')
		return;
	*p++ = '\0';
	while (a_space(*p))
		p++;
	*arg = p;
	while (*p != '\0' && !a_space(*p))
		p++;
	if (*p == '\0')
		return;
	*p++ = '\0';
	while (a_space(*p))
		p++;
	*rest = p;
}

static vg_rc
define(struct ctx *c, const char *name, size_t line, const char *kind)
{
	json_t *d = json_pack("{s:I, s:s}", "row", (json_int_t)line, "kind",
	    kind);

	if (d == NULL || json_object_set_new(c->defined, name, d) != 0)
		return nomem(c);
	return VG_OK;
}

/* A name for a question or group: present, well-formed, new. */
static vg_rc
check_new_name(struct ctx *c, const struct table *t, const struct row *r,
    const struct col *cols, int cn)
{
	const char *name = cell(r, cn);
	json_t *d;

	if (*name == '\0')
		return fail(c, t->sheet, r->line, cn >= 0 ? cols[cn].head :
		    "name", "%s", _("nom manquant"));
	if (!name_ok(name, false))
		return fail(c, t->sheet, r->line, cols[cn].head, _("nom « %s » "
		    "invalide : une lettre sans accent ou « _ », puis lettres, "
		    "chiffres, « _ », « . » ou « - », sans espace (%d "
		    "caractères au plus)"), excerpt(c, name), MAX_NAME);
	if ((d = json_object_get(c->defined, name)) != NULL)
		return fail(c, t->sheet, r->line, cols[cn].head, _("le nom "
		    "« %s » est déjà utilisé ligne %lld"), name,
		    (long long)json_integer_value(json_object_get(d, "row")));
	return VG_OK;
}

static const char *const question_types[] = {
	"text", "integer", "decimal", "date", "select_one", "select_multiple",
	"note", "departement", NULL
};

/* Build the pages from the survey sheet. */
static vg_rc
read_survey(struct ctx *c, const struct table *t, const struct col *cols,
    json_t *pages)
{
	int ct, cn, crq, crl, cco;
	size_t i, nquestions = 0;
	json_t *page = NULL, *questions = NULL, *q;
	const struct row *group = NULL;
	vg_rc rc;

	ct = col_of(t, cols, C_TYPE);
	cn = col_of(t, cols, C_NAME);
	crq = col_of(t, cols, C_REQUIRED);
	crl = col_of(t, cols, C_RELEVANT);
	cco = col_of(t, cols, C_CONSTRAINT);
	if (ct < 0 || cn < 0)
		return fail(c, t->sheet, t->rows[0].line, NULL, _("colonne "
		    "« %s » manquante"), ct < 0 ? "type" : "name");
	c->name_col = cn;
	for (i = 1; i < t->nrows; i++) {
		const struct row *r = &t->rows[i];
		const char *type = cell(r, ct), *name = cell(r, cn);
		const char *base, *arg, *rest, *th = cols[ct].head;
		json_t *label, *relevant = NULL, *constraint = NULL;
		int required = 0;

		if (*type == '\0') {
			json_t *l = texts(t, r, cols, C_LABEL);
			bool some = *name != '\0' || json_object_size(l) > 0;

			json_decref(l);
			if (some)
				return fail(c, t->sheet, r->line, th, "%s",
				    _("type manquant"));
			continue;       /* a comment in another column */
		}
		if ((rc = check_refused(c, t, r, cols)) != VG_OK)
			return rc;
		split_type(c, type, &base, &arg, &rest);
		if (strcmp(base, "begin") == 0 || strcmp(base, "end") == 0) {
			/* "begin group" is the older spelling. */
			char *b = vg_arena_printf(c->a, "%s_%s", base, arg);

			if (b == NULL)
				return nomem(c);
			for (base = b; *b != '\0'; b++)
				*b = a_lower(*b);
			arg = rest;
			rest = "";
		}
		if ((strstr(base, "_group") != NULL ||
		    strstr(base, "_repeat") != NULL) && *arg != '\0')
			return fail(c, t->sheet, r->line, th, _("« %s » après "
			    "%s n'est pas pris en charge"), excerpt(c, arg),
			    base);
		if (strcmp(base, "begin_repeat") == 0 ||
		    strcmp(base, "end_repeat") == 0)
			return fail(c, t->sheet, r->line, th, _("les "
			    "répétitions (%s) ne sont pas prises en charge"),
			    base);
		if (strcmp(base, "begin_group") == 0) {
			if (group != NULL)
				return fail(c, t->sheet, r->line, th,
				    _("groupes imbriqués non pris en charge : "
				    "le groupe « %s » ouvert ligne %zu n'est "
				    "pas fermé (end_group)"), excerpt(c,
				    cell(group, cn)), group->line);
			if ((rc = check_new_name(c, t, r, cols, cn)) != VG_OK)
				return rc;
			if (crq >= 0 && yes_no(cell(r, crq)) != 0)
				return fail(c, t->sheet, r->line,
				    cols[crq].head, "%s", _("un groupe n'est "
				    "pas une question : il ne peut être "
				    "obligatoire"));
			if (cco >= 0 && *cell(r, cco) != '\0')
				return fail(c, t->sheet, r->line,
				    cols[cco].head, "%s", _("un groupe n'est "
				    "pas une question : il n'a pas de "
				    "contrainte"));
			if (crl >= 0 && (rc = check_expr(c, r, cols, crl, NULL,
			    false, &relevant)) != VG_OK)
				return rc;
			if ((label = texts(t, r, cols, C_LABEL)) == NULL ||
			    (questions = json_array()) == NULL ||
			    (page = json_pack("{s:s, s:o, s:o?, s:o}", "name",
			    name, "label", label, "relevant", relevant,
			    "questions", questions)) == NULL ||
			    json_array_append_new(pages, page) != 0)
				return nomem(c);
			if (relevant == NULL)
				json_object_set_new(page, "relevant",
				    json_null());
			group = r;
			if ((rc = define(c, name, r->line, "group")) != VG_OK)
				return rc;
			continue;
		}
		if (strcmp(base, "end_group") == 0) {
			if (group == NULL)
				return fail(c, t->sheet, r->line, th, "%s",
				    _("end_group sans begin_group"));
			if (json_array_size(questions) == 0)
				return fail(c, t->sheet, group->line, th,
				    _("le groupe « %s » ne contient aucune "
				    "question"), excerpt(c, cell(group, cn)));
			group = NULL;
			page = NULL;
			continue;
		}
		if (!in_list(question_types, base))
			return fail(c, t->sheet, r->line, th, strcmp(base,
			    "calculate") == 0 ? _("type « %s » non pris en "
			    "charge : les calculs ne sont pas possibles ici") :
			    _("type « %s » non pris en charge (types "
			    "possibles : text, integer, decimal, date, "
			    "select_one, select_multiple, note, departement, "
			    "begin_group, end_group)"), excerpt(c, base));
		if (strcmp(base, "select_one") == 0 ||
		    strcmp(base, "select_multiple") == 0) {
			if (*arg == '\0')
				return fail(c, t->sheet, r->line, th,
				    _("nom de liste manquant après %s"), base);
			if (*rest != '\0')
				return fail(c, t->sheet, r->line, th,
				    _("« %s » après le nom de la liste n'est "
				    "pas pris en charge"), excerpt(c, rest));
			if (json_object_get(c->choices, arg) == NULL)
				return fail(c, t->sheet, r->line, th,
				    _("la liste « %s » n'existe pas dans la "
				    "feuille choices"), excerpt(c, arg));
		} else if (*arg != '\0') {
			return fail(c, t->sheet, r->line, th, _("« %s » après "
			    "le type %s n'est pas pris en charge"),
			    excerpt(c, arg), base);
		}
		if ((rc = check_new_name(c, t, r, cols, cn)) != VG_OK)
			return rc;
		if ((label = texts(t, r, cols, C_LABEL)) == NULL)
			return nomem(c);
		if (json_object_get(label, "fr") == NULL) {
			json_decref(label);
			return fail(c, t->sheet, r->line, fr_head(t, cols),
			    "%s", _("libellé en français manquant"));
		}
		if ((q = json_pack("{s:s, s:s, s:o}", "name", name, "type",
		    base, "label", label)) == NULL)
			return nomem(c);
		/* From here q is owned by the page (or freed on failure). */
		if (page == NULL) {
			if ((questions = json_array()) == NULL ||
			    (page = json_pack("{s:n, s:{}, s:n, s:o}", "name",
			    "label", "relevant", "questions", questions)) ==
			    NULL || json_array_append_new(pages, page) != 0) {
				json_decref(q);
				return nomem(c);
			}
		}
		if (json_array_append_new(questions, q) != 0)
			return nomem(c);
		if (*arg != '\0')
			json_object_set_new(q, "list", json_string(arg));
		json_object_set_new(q, "hint", texts(t, r, cols, C_HINT));
		if (crq >= 0 && (required = yes_no(cell(r, crq))) < 0)
			return fail(c, t->sheet, r->line, cols[crq].head,
			    _("« %s » n'est ni oui (yes, true, 1) ni non (no, "
			    "false, 0)"), excerpt(c, cell(r, crq)));
		if (strcmp(base, "note") == 0 && required)
			return fail(c, t->sheet, r->line, cols[crq].head, "%s",
			    _("une note n'attend pas de réponse : elle ne "
			    "peut être obligatoire"));
		json_object_set_new(q, "required", json_boolean(required));
		if (crl >= 0 && (rc = check_expr(c, r, cols, crl, name, false,
		    &relevant)) != VG_OK)
			return rc;
		json_object_set_new(q, "relevant", relevant ? relevant :
		    json_null());
		if (cco >= 0 && *cell(r, cco) != '\0' &&
		    strcmp(base, "note") == 0)
			return fail(c, t->sheet, r->line, cols[cco].head, "%s",
			    _("une note n'attend pas de réponse : elle n'a pas "
			    "de contrainte"));
		if (cco >= 0 && (rc = check_expr(c, r, cols, cco, name, true,
		    &constraint)) != VG_OK)
			return rc;
		json_object_set_new(q, "constraint", constraint ? constraint :
		    json_null());
		json_object_set_new(q, "constraint_message", texts(t, r, cols,
		    C_CMSG));
		json_object_set_new(q, "row", json_integer((json_int_t)
		    r->line));
		if (json_object_size(q) < 9)
			return nomem(c);
		if ((rc = define(c, name, r->line, strcmp(base, "note") == 0 ?
		    "note" : "question")) != VG_OK)
			return rc;
		if (strcmp(base, "note") != 0)
			nquestions++;
	}
	if (group != NULL)
		return fail(c, t->sheet, group->line, cols[ct].head,
		    _("le groupe « %s » n'est jamais fermé (end_group "
		    "manquant)"), excerpt(c, cell(group, cn)));
	if (nquestions == 0)
		return fail(c, t->sheet, t->rows[0].line, NULL, "%s",
		    _("le formulaire ne contient aucune question"));
	return VG_OK;
}

/*
 * Hints and messages need a label column in their language: a person
 * reading that language would otherwise see them under French labels.
 */
static vg_rc
check_text_langs(struct ctx *c, const struct table *t, const struct col *cols)
{
	size_t j;

	for (j = 0; j < t->rows[0].n; j++)
		if ((cols[j].k == C_HINT || cols[j].k == C_CMSG) &&
		    !has_lang(c, cols[j].lang))
			return fail(c, t->sheet, t->rows[0].line, cols[j].head,
			    _("aucune colonne label dans la langue « %s »"),
			    cols[j].lang);
	return VG_OK;
}

/* The form from its three tables (choices and settings may be NULL). */
static vg_rc
build(struct ctx *c, const struct table *survey, const struct table *choices,
    const struct table *settings, const char *default_id, json_t **form)
{
	struct settings st = {NULL, NULL, NULL, 2};
	struct col *scols, *ccols = NULL;
	json_t *f = NULL, *pages, *langs;
	size_t i;
	vg_rc rc;

	snprintf(c->deflang, sizeof(c->deflang), "fr");
	if ((rc = read_settings(c, settings, &st)) != VG_OK)
		return rc;
	if (survey->nrows == 0)
		return fail(c, survey->sheet, 0, NULL, "%s", _("feuille vide"));
	c->survey = survey;
	if ((rc = read_header(c, survey, true, &scols)) != VG_OK)
		return rc;
	if (choices != NULL && choices->nrows > 0 &&
	    (rc = read_header(c, choices, false, &ccols)) != VG_OK)
		return rc;
	if (!has_lang(c, "fr"))
		return fail(c, survey->sheet, survey->rows[0].line, NULL, "%s",
		    _("aucune colonne de libellé en français : « label::French "
		    "(fr) », ou « label » quand la langue par défaut est le "
		    "français"));
	if ((rc = check_text_langs(c, survey, scols)) != VG_OK)
		return rc;
	if (st.id == NULL)
		st.id = default_id;
	if (st.id == NULL)
		return fail(c, "settings", st.line, "form_id", "%s",
		    _("identifiant du formulaire manquant"));
	if (!id_ok(st.id))
		return fail(c, "settings", st.line, "form_id", _("identifiant "
		    "« %s » invalide : lettres minuscules sans accents, "
		    "chiffres, « _ » ou « - » (%d caractères au plus)"),
		    excerpt(c, st.id), MAX_NAME);
	if ((c->defined = json_object()) == NULL ||
	    (c->choices = json_object()) == NULL)
		return nomem(c);
	if ((rc = read_choices(c, choices, ccols)) != VG_OK)
		return rc;
	if ((pages = json_array()) == NULL)
		return nomem(c);
	if ((rc = read_survey(c, survey, scols, pages)) != VG_OK) {
		json_decref(pages);
		return rc;
	}
	if ((langs = json_array()) == NULL) {
		json_decref(pages);
		return nomem(c);
	}
	json_array_append_new(langs, json_string("fr"));
	for (i = 0; i < c->nlangs; i++)
		if (strcmp(c->langs[i], "fr") != 0)
			json_array_append_new(langs, json_string(c->langs[i]));
	f = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:O}", "id", st.id,
	    "title", st.title ? st.title : st.id, "version",
	    st.version ? st.version : "", "default_language", c->deflang,
	    "languages", langs, "pages", pages, "choices", c->choices);
	if (f == NULL || json_array_size(langs) != c->nlangs) {
		json_decref(f);
		return nomem(c);
	}
	*form = f;
	return VG_OK;
}

/* Set up c; the caller calls done() whatever happens. */
static vg_rc
begin(struct ctx *c, json_t **form, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	*form = NULL;
	c->err = err;
	c->errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if ((c->a = vg_arena_new()) == NULL)
		return nomem(c);
	return VG_OK;
}

static void
done(struct ctx *c)
{
	json_decref(c->defined);
	json_decref(c->choices);
	vg_arena_free(c->a);
}

vg_rc
vg_xlsform_read_csv(const char *survey, size_t survey_len,
    const char *choices, size_t choices_len, const char *settings,
    size_t settings_len, const char *default_id, json_t **form, char *err,
    size_t errlen)
{
	struct table t[SH_COUNT];
	const char *data[SH_COUNT] = {survey, choices, settings};
	size_t len[SH_COUNT] = {survey_len, choices_len, settings_len};
	struct ctx c;
	vg_rc rc;
	int i;

	if ((rc = begin(&c, form, err, errlen)) != VG_OK)
		return rc;
	memset(t, 0, sizeof(t));
	for (i = 0; i < SH_COUNT && rc == VG_OK; i++) {
		t[i].sheet = sheet_names[i];
		if (data[i] != NULL)
			rc = table_from_csv(&c, sheet_names[i], data[i], len[i],
			    &t[i]);
	}
	if (rc == VG_OK && survey == NULL)
		rc = fail(&c, "survey", 0, NULL, "%s", _("feuille manquante"));
	if (rc == VG_OK)
		rc = build(&c, &t[SH_SURVEY], &t[SH_CHOICES], &t[SH_SETTINGS],
		    default_id, form);
	done(&c);
	return rc;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

vg_rc
vg_xlsform_read_xlsx(const void *data, size_t len, const char *default_id,
    json_t **form, char *err, size_t errlen)
{
	struct table t[SH_COUNT];
	struct wbsheet ws[SH_COUNT];
	struct xlsx x;
	zip_source_t *src = NULL;
	zip_error_t ze;
	struct ctx c;
	vg_rc rc;
	int i;

	/* libxml2 2.9 must be set up once before threads use it. */
	pthread_once(&xml_once, xmlInitParser);
	if ((rc = begin(&c, form, err, errlen)) != VG_OK)
		return rc;
	memset(t, 0, sizeof(t));
	memset(ws, 0, sizeof(ws));
	memset(&x, 0, sizeof(x));
	if (len > VG_XLSFORM_MAX_FILE) {
		rc = fail(&c, _("classeur"), 0, NULL, _("fichier trop gros "
		    "(plus de %zu Mo)"), VG_XLSFORM_MAX_FILE / (1024 * 1024));
		goto out;
	}
	zip_error_init(&ze);
	if (data == NULL || len == 0 ||
	    (src = zip_source_buffer_create(data, len, 0, &ze)) == NULL ||
	    (x.za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS,
	    &ze)) == NULL) {
		zip_source_free(src);
		rc = bad_workbook(&c, _("archive ZIP invalide ou tronquée"));
		zip_error_fini(&ze);
		goto out;
	}
	zip_error_fini(&ze);
	if ((rc = read_workbook(&c, &x, ws)) != VG_OK ||
	    (rc = read_rels(&c, &x, ws)) != VG_OK)
		goto out;
	if (ws[SH_SURVEY].name == NULL) {
		rc = fail(&c, _("classeur"), 0, NULL, "%s", _("aucune feuille "
		    "nommée « survey »"));
		goto out;
	}
	for (i = 0; i < SH_COUNT; i++)
		if (ws[i].name != NULL && ws[i].path == NULL) {
			rc = bad_workbook(&c, sheet_names[i]);
			goto out;
		}
	if ((rc = read_shared(&c, &x)) != VG_OK)
		goto out;
	for (i = 0; i < SH_COUNT; i++) {
		t[i].sheet = sheet_names[i];
		if (ws[i].name != NULL &&
		    (rc = read_sheet(&c, &x, ws[i].path, &t[i])) != VG_OK)
			goto out;
	}
	rc = build(&c, &t[SH_SURVEY], &t[SH_CHOICES], &t[SH_SETTINGS],
	    default_id, form);
out:
	if (x.za != NULL)
		zip_discard(x.za);
	free(x.shared);
	done(&c);
	return rc;
}

/* --- writing -------------------------------------------------------------- */

/* "label::French (fr)", or "label::xx" for a language without a title. */
static void
lang_head(char *dst, size_t n, const char *col, const char *code)
{
	size_t i;

	for (i = 0; i < VG_ARRAY_LEN(lang_titles); i++)
		if (strcmp(lang_titles[i].code, code) == 0) {
			snprintf(dst, n, "%s::%s (%s)", col,
			    lang_titles[i].name, code);
			return;
		}
	snprintf(dst, n, "%s::%s", col, code);
}

static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

/* Whether a write failed (a text over Excel's 32,767 characters, a row
 * beyond its last): the writer then says VG_EIO rather than leave a cell
 * out of a form that would read back different. */
struct out {
	lxw_format *bold;
	bool bad;
};

static void
put(struct out *o, lxw_worksheet *ws, lxw_row_t y, lxw_col_t x,
    const char *s)
{
	if (s != NULL && *s != '\0' &&
	    worksheet_write_string(ws, y, x, s, NULL) != LXW_NO_ERROR)
		o->bad = true;
}

/* The texts of t in the language columns from x on. */
static void
put_texts(struct out *o, lxw_worksheet *ws, lxw_row_t y, lxw_col_t x,
    const json_t *t, const json_t *langs)
{
	size_t i;
	json_t *l;

	json_array_foreach(langs, i, l)
		put(o, ws, y, (lxw_col_t)(x + i), json_string_value(
		    json_object_get(t, json_string_value(l))));
}

static void
head(struct out *o, lxw_worksheet *ws, lxw_col_t *x, const char *name,
    double width)
{
	if (worksheet_write_string(ws, 0, *x, name, o->bold) != LXW_NO_ERROR)
		o->bad = true;
	worksheet_set_column(ws, *x, *x, width, NULL);
	(*x)++;
}

static void
lang_heads(struct out *o, lxw_worksheet *ws, lxw_col_t *x,
    const char *col, const json_t *langs, double width)
{
	char h[64];
	size_t i;
	json_t *l;

	json_array_foreach(langs, i, l) {
		lang_head(h, sizeof(h), col, json_string_value(l));
		head(o, ws, x, h, width);
	}
}

/* Row n (from 1) as libxlsxwriter counts (from 0) when it is below the
 * next free one and on the sheet; else the next free one. */
static lxw_row_t
row_at(json_int_t n, lxw_row_t next)
{
	if (n - 1 > (json_int_t)next && n - 1 < 1048576)
		return (lxw_row_t)(n - 1);
	return next;
}

/*
 * Each question goes back to its own row when the rows allow it (they
 * rise, with room for the begin_group row above a group's first
 * question), so that the row numbers of messages and exports stay those
 * of the original sheet; otherwise to the next free row.
 */
vg_rc
vg_xlsform_write_xlsx(const json_t *form, const char *path)
{
	struct out o = {NULL, false};
	lxw_workbook *wb;
	lxw_worksheet *sv, *ch, *st;
	const json_t *langs = json_object_get(form, "languages");
	json_t *pg, *q, *list, *c;
	const char *key;
	size_t i, j;
	lxw_col_t x = 0, xlabel, xhint, xreq, xrel, xcon, xmsg;
	lxw_row_t next = 1, y;

	if ((wb = workbook_new(path)) == NULL)
		return VG_EIO;
	o.bold = workbook_add_format(wb);
	format_set_bold(o.bold);
	sv = workbook_add_worksheet(wb, "survey");
	ch = workbook_add_worksheet(wb, "choices");
	st = workbook_add_worksheet(wb, "settings");
	if (sv == NULL || ch == NULL || st == NULL) {
		workbook_close(wb);
		return VG_EIO;
	}

	head(&o, sv, &x, "type", 24);
	head(&o, sv, &x, "name", 20);
	xlabel = x;
	lang_heads(&o, sv, &x, "label", langs, 40);
	xhint = x;
	lang_heads(&o, sv, &x, "hint", langs, 30);
	xreq = x;
	head(&o, sv, &x, "required", 10);
	xrel = x;
	head(&o, sv, &x, "relevant", 30);
	xcon = x;
	head(&o, sv, &x, "constraint", 24);
	xmsg = x;
	lang_heads(&o, sv, &x, "constraint_message", langs, 30);
	worksheet_freeze_panes(sv, 1, 0);
	json_array_foreach(json_object_get(form, "pages"), i, pg) {
		const json_t *qs = json_object_get(pg, "questions");
		bool group = json_is_string(json_object_get(pg, "name"));

		if (group) {
			y = row_at(json_integer_value(json_object_get(
			    json_array_get(qs, 0), "row")) - 1, next);
			put(&o, sv, y, 0, "begin_group");
			put(&o, sv, y, 1, str(pg, "name"));
			put_texts(&o, sv, y, xlabel, json_object_get(pg,
			    "label"), langs);
			put(&o, sv, y, xrel, str(pg, "relevant"));
			next = y + 1;
		}
		json_array_foreach(qs, j, q) {
			const char *type = str(q, "type"), *l = str(q, "list");
			char t[200];

			y = row_at(json_integer_value(json_object_get(q,
			    "row")), next);
			snprintf(t, sizeof(t), "%s%s%s", type, *l ? " " : "",
			    l);
			put(&o, sv, y, 0, t);
			put(&o, sv, y, 1, str(q, "name"));
			put_texts(&o, sv, y, xlabel, json_object_get(q,
			    "label"), langs);
			put_texts(&o, sv, y, xhint, json_object_get(q, "hint"),
			    langs);
			if (json_is_true(json_object_get(q, "required")))
				put(&o, sv, y, xreq, "yes");
			put(&o, sv, y, xrel, str(q, "relevant"));
			put(&o, sv, y, xcon, str(q, "constraint"));
			put_texts(&o, sv, y, xmsg, json_object_get(q,
			    "constraint_message"), langs);
			next = y + 1;
		}
		if (group)
			put(&o, sv, next++, 0, "end_group");
	}

	x = 0;
	head(&o, ch, &x, "list_name", 20);
	head(&o, ch, &x, "name", 20);
	lang_heads(&o, ch, &x, "label", langs, 40);
	worksheet_freeze_panes(ch, 1, 0);
	y = 1;
	json_object_foreach(json_object_get(form, "choices"), key, list)
		json_array_foreach(list, j, c) {
			put(&o, ch, y, 0, key);
			put(&o, ch, y, 1, str(c, "name"));
			put_texts(&o, ch, y, 2, json_object_get(c, "label"),
			    langs);
			y++;
		}

	x = 0;
	head(&o, st, &x, "form_title", 40);
	head(&o, st, &x, "form_id", 20);
	head(&o, st, &x, "version", 12);
	head(&o, st, &x, "default_language", 18);
	put(&o, st, 1, 0, str(form, "title"));
	put(&o, st, 1, 1, str(form, "id"));
	put(&o, st, 1, 2, str(form, "version"));
	put(&o, st, 1, 3, str(form, "default_language"));

	if (workbook_close(wb) != LXW_NO_ERROR || o.bad) {
		unlink(path);
		return VG_EIO;
	}
	return VG_OK;
}
