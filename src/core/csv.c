/*
 * csv.c — one pass over the whole input, after a first look at the first
 * record to choose the separator.
 *
 * Storage is one arena, freed by vg_csv_free(): the vg_csv, the rows, each
 * row's array of field pointers, and a single text block of len + 1 bytes
 * that receives every field.  That block is large enough because a field
 * never grows when unescaped ("" becomes ", quotes go) and its NUL takes
 * the place of the separator or line end that closes it; only the last
 * field of the input may end without one, hence the + 1.
 *
 * UTF-8 is checked here rather than with vg_utf8_valid_text(), which
 * refuses control characters the contract lets through and cannot say
 * where the bad byte is: a message names the line and the column.
 */
#include "core/csv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/i18n.h"

#define BOM	"\xef\xbb\xbf"

/* Characters that make a spreadsheet read a cell as a formula. */
#define TRIGGERS "=+-@\t\r"

struct parser {
	const unsigned char *s;
	size_t n;
	size_t i;               /* reading position in s */
	size_t line;            /* physical line of s[i], from 1 */
	char delim;
	char *text;             /* the text block; fields are written here */
	size_t tlen;
	const char *field[VG_CSV_MAX_FIELDS];   /* the record being read */
	size_t nf;
	vg_csv *c;
	size_t cap;             /* of c->rows */
	vg_arena *a;
	char *err;
	size_t errlen;
};

static vg_rc fail(struct parser *, size_t, size_t, const char *, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Write "ligne L, colonne C : message" (col 0: no column) in p->err and
 * return VG_EINVAL.  The column is the field's number, as a spreadsheet
 * user counts them.
 */
static vg_rc
fail(struct parser *p, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (p->err == NULL || p->errlen == 0)
		return VG_EINVAL;
	if (col > 0)
		k = snprintf(p->err, p->errlen, _("ligne %zu, colonne %zu : "),
		    line, col);
	else
		k = snprintf(p->err, p->errlen, _("ligne %zu : "), line);
	if (k < 0 || (size_t)k >= p->errlen)
		return VG_EINVAL;
	va_start(ap, fmt);
	vsnprintf(p->err + k, p->errlen - (size_t)k, fmt, ap);
	va_end(ap);
	return VG_EINVAL;
}

static bool
is_trigger(char ch)
{
	return ch != '\0' && strchr(TRIGGERS, ch) != NULL;
}

/* Length of the well-formed UTF-8 sequence at s[0..n) (no overlong, no
 * surrogate, at most U+10FFFF), or 0.  s[0] is at least 0x80. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned cp;
	size_t need, k;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 1;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n - 1 < need)
		return 0;
	for (k = 1; k <= need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

/*
 * The separator: the more frequent of ';' and ',' outside quotes in the
 * first record, ';' on a tie as French spreadsheets write it.  Blank
 * lines before it are passed over, or a file opening on one would always
 * be read with ';'.  Quotes simply toggle here; the parse proper judges
 * whether they are well placed.
 */
static char
detect(const unsigned char *s, size_t n)
{
	size_t i = 0, semi = 0, comma = 0;
	bool quoted = false;

	while (i < n && (s[i] == '\r' || s[i] == '\n'))
		i++;
	for (; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (s[i] == ';')
			semi++;
		else if (s[i] == ',')
			comma++;
		else if (s[i] == '\r' || s[i] == '\n')
			break;
	}
	return comma > semi ? ',' : ';';
}

/* Copy the character at s[i] into the text block: one byte, or a whole
 * UTF-8 sequence once checked. */
static vg_rc
put_char(struct parser *p, size_t col)
{
	size_t k = 1;

	if (p->s[p->i] == '\0')
		return fail(p, p->line, col, "%s", _("le fichier contient un "
		    "caractère nul, ce n'est pas du texte ; enregistrez-le en "
		    "« CSV UTF-8 » depuis votre tableur"));
	if (p->s[p->i] >= 0x80 &&
	    (k = utf8_seq(p->s + p->i, p->n - p->i)) == 0)
		return fail(p, p->line, col, "%s", _("le fichier n'est pas en "
		    "UTF-8 ; enregistrez-le en « CSV UTF-8 » depuis votre "
		    "tableur"));
	memcpy(p->text + p->tlen, p->s + p->i, k);
	p->tlen += k;
	p->i += k;
	return VG_OK;
}

/* Copy the line break at s[i] (CR, LF or CRLF, counted once). */
static void
put_break(struct parser *p)
{
	if (p->s[p->i] == '\r' && p->i + 1 < p->n && p->s[p->i + 1] == '\n')
		p->text[p->tlen++] = (char)p->s[p->i++];
	p->text[p->tlen++] = (char)p->s[p->i++];
	p->line++;
}

static bool
ends_field(const struct parser *p)
{
	unsigned char ch;

	if (p->i == p->n)
		return true;
	ch = p->s[p->i];
	return ch == (unsigned char)p->delim || ch == '\r' || ch == '\n';
}

/*
 * Read one field at s[i], quoted or not, leaving i on what ends it (a
 * separator, a line break or the end), and add it to the record.
 */
static vg_rc
read_field(struct parser *p)
{
	size_t start = p->tlen, col = p->nf + 1, line = p->line, k, len;
	char *f;
	vg_rc rc;

	if (p->i < p->n && p->s[p->i] == '"') {
		p->i++;
		for (;;) {
			if (p->i == p->n)
				return fail(p, line, col, "%s",
				    _("guillemet ouvert mais jamais fermé"));
			if (p->s[p->i] == '"') {
				if (p->i + 1 < p->n && p->s[p->i + 1] == '"') {
					p->text[p->tlen++] = '"';
					p->i += 2;
					continue;
				}
				p->i++;
				break;
			}
			if (p->s[p->i] == '\r' || p->s[p->i] == '\n')
				put_break(p);
			else if ((rc = put_char(p, col)) != VG_OK)
				return rc;
		}
		if (!ends_field(p))
			return fail(p, p->line, col, "%s", _("texte après le "
			    "guillemet qui ferme la cellule"));
	} else {
		while (!ends_field(p)) {
			if (p->s[p->i] == '"')
				return fail(p, p->line, col, "%s",
				    _("guillemet au milieu d'une cellule ; "
				    "une cellule qui contient des guillemets "
				    "doit être entre guillemets, les siens "
				    "doublés"));
			if ((rc = put_char(p, col)) != VG_OK)
				return rc;
		}
	}
	f = p->text + start;
	len = p->tlen - start;
	p->text[p->tlen++] = '\0';

	/* '=1 reads as =1, and ''=1 as '=1: the inverse of the writer,
	 * which adds one apostrophe before any such run. */
	for (k = 0; f[k] == '\''; k++)
		;
	if (k > 0 && is_trigger(f[k])) {
		f++;
		len--;
	}
	if (len > VG_CSV_MAX_FIELD)
		return fail(p, line, col, _("cellule trop longue (plus de "
		    "%d Ko)"), VG_CSV_MAX_FIELD / 1024);
	p->field[p->nf++] = f;
	return VG_OK;
}

/* Keep the record just read as a row, unless all its fields are empty. */
static vg_rc
keep_record(struct parser *p, size_t line, size_t start)
{
	vg_csv *c = p->c;
	vg_csv_row *rows;
	const char **fields;
	size_t k;

	for (k = 0; k < p->nf && p->field[k][0] == '\0'; k++)
		;
	if (k == p->nf) {
		p->tlen = start;        /* reuse the skipped row's bytes */
		return VG_OK;
	}
	if (c->nrows == VG_CSV_MAX_ROWS)
		return fail(p, line, 0, _("le fichier a plus de %d lignes ; "
		    "découpez-le en plusieurs fichiers"), VG_CSV_MAX_ROWS);
	if (c->nrows == p->cap) {
		/* The arena cannot grow a block: copy into one twice the
		 * size; what is left behind adds up to less than the last. */
		p->cap = p->cap ? 2 * p->cap : 64;
		rows = vg_arena_calloc(p->a, p->cap, sizeof(*rows));
		if (rows == NULL)
			return VG_ENOMEM;
		if (c->nrows > 0)
			memcpy(rows, c->rows, c->nrows * sizeof(*rows));
		c->rows = rows;
	}
	fields = vg_arena_calloc(p->a, p->nf, sizeof(*fields));
	if (fields == NULL)
		return VG_ENOMEM;
	memcpy(fields, p->field, p->nf * sizeof(*fields));
	c->rows[c->nrows].line = line;
	c->rows[c->nrows].n = p->nf;
	c->rows[c->nrows].field = fields;
	c->nrows++;
	return VG_OK;
}

static vg_rc
parse(struct parser *p)
{
	size_t line, start;
	vg_rc rc;

	while (p->i < p->n) {
		line = p->line;
		start = p->tlen;
		p->nf = 0;
		for (;;) {
			if (p->nf == VG_CSV_MAX_FIELDS)
				return fail(p, line, 0, _("plus de %d "
				    "colonnes"), VG_CSV_MAX_FIELDS);
			if ((rc = read_field(p)) != VG_OK)
				return rc;
			if (p->i == p->n ||
			    p->s[p->i] != (unsigned char)p->delim)
				break;
			p->i++;
		}
		if (p->i < p->n) {
			/* The record's line break is not part of any field. */
			if (p->s[p->i] == '\r' && p->i + 1 < p->n &&
			    p->s[p->i + 1] == '\n')
				p->i++;
			p->i++;
			p->line++;
		}
		if ((rc = keep_record(p, line, start)) != VG_OK)
			return rc;
	}
	return VG_OK;
}

vg_rc
vg_csv_parse(const char *data, size_t len, vg_csv **out, char *err,
    size_t errlen)
{
	struct parser *p;
	vg_arena *a;
	vg_rc rc;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (data == NULL)
		len = 0;
	if ((a = vg_arena_new()) == NULL)
		goto nomem;
	/* The parser (1.6 KB of a record's field pointers) lives in the
	 * arena too: one release on every path. */
	if ((p = vg_arena_calloc(a, 1, sizeof(*p))) == NULL ||
	    (p->c = vg_arena_calloc(a, 1, sizeof(*p->c))) == NULL)
		goto nomem;
	p->a = a;
	p->c->priv = a;
	p->err = err;
	p->errlen = errlen;
	p->line = 1;
	p->s = (const unsigned char *)(data != NULL ? data : "");
	p->n = len;
	if (p->n >= 3 && memcmp(p->s, BOM, 3) == 0) {
		p->s += 3;
		p->n -= 3;
	} else if (p->n >= 2 && ((p->s[0] == 0xff && p->s[1] == 0xfe) ||
	    (p->s[0] == 0xfe && p->s[1] == 0xff))) {
		/* Excel's "Texte Unicode": say so rather than "caractère
		 * nul" at its second byte. */
		rc = fail(p, 1, 0, "%s", _("le fichier est en UTF-16 ; "
		    "enregistrez-le en « CSV UTF-8 » depuis votre tableur"));
		goto fail;
	}
	if ((p->text = vg_arena_alloc(a, p->n + 1)) == NULL)
		goto nomem;
	p->delim = p->c->delim = detect(p->s, p->n);
	if ((rc = parse(p)) != VG_OK)
		goto fail;
	*out = p->c;
	return VG_OK;

nomem:
	rc = VG_ENOMEM;
fail:
	if (rc == VG_ENOMEM && err != NULL && errlen > 0)
		snprintf(err, errlen, "%s", _("mémoire insuffisante"));
	vg_arena_free(a);
	return rc;
}

void
vg_csv_free(vg_csv *c)
{
	if (c != NULL)
		vg_arena_free(c->priv);
}

/* [+-]digits[.,digits][e[+-]digits]: what a spreadsheet reads as a
 * number, not a formula. */
static bool
is_number(const char *s)
{
	size_t digits = 0;

	if (*s == '+' || *s == '-')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.' || *s == ',')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	if (digits == 0)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/* "+33 1 23 45 67 89", "+1 (555) 010-0199": digits and punctuation, no
 * name a formula could call nor cell it could reach. */
static bool
is_phone(const char *s)
{
	if (s[0] != '+' || s[1] < '0' || s[1] > '9')
		return false;
	return s[1 + strspn(s + 1, "0123456789 .-()")] == '\0';
}

/* Whether s needs a leading "'" so that no spreadsheet runs it.  A value
 * whose own apostrophes come before a trigger gets one more, so that the
 * reader, which removes one, gives it back whole. */
static bool
needs_guard(const char *s)
{
	const char *t = s;

	while (*t == '\'')
		t++;
	if (!is_trigger(*t))
		return false;
	return t > s || (!is_number(s) && !is_phone(s));
}

void
vg_csv_field(vg_buf *b, const char *s, bool first)
{
	const char *q;
	size_t n;
	bool quote;

	if (!first)
		vg_buf_putc(b, ',');
	if (s == NULL)
		s = "";
	n = strlen(s);
	/* ';' too, and a leading BOM: a reader that guesses the separator
	 * or skips a BOM (ours does both) then still reads the same. */
	quote = strpbrk(s, ",;\"\r\n") != NULL ||
	    (n > 0 && (s[0] == ' ' || s[n - 1] == ' ')) ||
	    strncmp(s, BOM, 3) == 0;
	if (quote)
		vg_buf_putc(b, '"');
	if (needs_guard(s))
		vg_buf_putc(b, '\'');
	if (!quote) {
		vg_buf_append(b, s, n);
		return;
	}
	while ((q = strchr(s, '"')) != NULL) {
		vg_buf_append(b, s, (size_t)(q - s) + 1);
		vg_buf_putc(b, '"');
		s = q + 1;
	}
	vg_buf_puts(b, s);
	vg_buf_putc(b, '"');
}

void
vg_csv_end(vg_buf *b)
{
	vg_buf_append(b, "\r\n", 2);
}

void
vg_csv_bom(vg_buf *b)
{
	vg_buf_append(b, BOM, 3);
}
