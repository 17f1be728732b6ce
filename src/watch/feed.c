/*
 * feed.c — the watch area's feed reader: RSS 2.0, RSS 1.0 (RDF), Atom 1.0
 * and, for a source without a feed, an HTML page (see feed.h).
 *
 * The document is read by libxml2 without ever building it whole: feeds
 * through the XML parser's SAX2 callbacks, pages through the HTML
 * parser's SAX callbacks, so memory stays near the largest text kept and
 * time linear in the document.  No network, no DTD loading, and no
 * entity expansion by construction: libxml2 asks our getEntity callback
 * and, our callbacks' data not being its parser, never looks at the
 * document's own declarations (see on_get_entity()); the HTML names of
 * our table (&eacute;, &nbsp;…) read as characters, any other entity is
 * unknown.  A billion laughs, an external entity are refused before
 * anything of them is read.
 * Malformed UTF-8 in a UTF-8 document is replaced before parsing, so a
 * stray Latin-1 byte costs a character, not the feed.
 *
 * What comes out is built here, not taken from libxml2: plain text
 * (HTML tags removed, entities decoded, white space collapsed, controls
 * dropped, cut in characters with an ellipsis, always valid UTF-8), URLs
 * resolved and made canonical by our own RFC 3986 code (http and https
 * only), dates computed from the civil calendar without timegm() or TZ.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>    /* xmlCreateMemoryParserCtxt */

#include "core/i18n.h"
#include "watch/feed.h"

#define GUID_MAX 2000           /* characters of a guid or an id */
#define RAW_MAX (2u << 20)      /* bytes of markup kept for one text */
#define VALUE_MAX 8192          /* bytes of a link or a date */
#define URL_MAX 8192            /* bytes of a canonical URL */
#define META_MAX 65536          /* bytes of a page's meta or link value */
#define MAX_BASES 32            /* nested xml:base kept; deeper inherit */

/* ------------------------------------------------------------------ */
/* Characters                                                          */
/* ------------------------------------------------------------------ */

/* ASCII classes and case, whatever the locale. */
static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_xdigit(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int
xvalue(int c)
{
	if (is_digit(c))
		return c - '0';
	return lower(c) - 'a' + 10;
}

/* ASCII white space as HTML and XML see it. */
static bool
is_ascii_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

/* Whether s[0..n) equals the NUL-terminated word w, ASCII case ignored. */
static bool
eq_ci(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i] == '\0' || lower((unsigned char)s[i]) !=
		    lower((unsigned char)w[i]))
			return false;
	return w[n] == '\0';
}

/* Whether the NUL-terminated s starts with w, ASCII case ignored. */
static bool
prefix_ci(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && eq_ci(s, k, w);
}

/*
 * The code point at s[0..n) (n ≥ 1) and its length in *len.  A byte that
 * does not start a well-formed sequence (overlong, surrogate, beyond
 * U+10FFFF, cut short) is U+FFFD of length 1, so that the caller always
 * moves on.
 */
static uint32_t
utf8_next(const unsigned char *s, size_t n, size_t *len)
{
	uint32_t cp, min;
	size_t need, k;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		need = 1;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		need = 2;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		need = 3;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0xfffd;
	}
	if (n - 1 < need)
		return 0xfffd;
	for (k = 1; k <= need; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0xfffd;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0xfffd;
	*len = need + 1;
	return cp;
}

/* cp written as UTF-8 into out (4 bytes at least); its length. */
static size_t
utf8_put(char *out, uint32_t cp)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* White space for the collapsing: ASCII, NEL, no-break and the Unicode
 * spaces. */
static bool
is_space_cp(uint32_t cp)
{
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 ||
	    cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000;
}

/* Dropped from texts: C0 and C1 controls, DEL, the byte order mark, the
 * zero width space and the bidirectional overrides and isolates (which
 * would let a title disguise what follows it on screen). */
static bool
is_dropped_cp(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xfeff ||
	    cp == 0x200b || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/* ------------------------------------------------------------------ */
/* Byte buffer                                                         */
/* ------------------------------------------------------------------ */

/* A growable byte buffer, NUL-terminated, keeping at most max bytes:
 * beyond, the rest is cut (at a UTF-8 boundary) and `over` says so. */
struct sbuf {
	char *s;
	size_t len, cap, max;
	bool over, failed;
};

/* An empty buffer that keeps at most max bytes. */
static void
sb_init(struct sbuf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

/* Append p[0..n); false only when out of memory. */
static bool
sb_add(struct sbuf *b, const void *p, size_t n)
{
	if (b->failed)
		return false;
	if (n > b->max - b->len) {
		const unsigned char *q = p;

		n = b->max - b->len;
		/* Never leave half a UTF-8 sequence behind. */
		while (n > 0 && (q[n] & 0xc0) == 0x80)
			n--;
		b->over = true;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *s;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((s = realloc(b->s, cap)) == NULL) {
			b->failed = true;
			return false;
		}
		b->s = s;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return true;
}

/* Append the byte c. */
static bool
sb_addc(struct sbuf *b, char c)
{
	return sb_add(b, &c, 1);
}

/* Release b's memory; b is empty again. */
static void
sb_free(struct sbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

/* ------------------------------------------------------------------ */
/* Plain text                                                          */
/* ------------------------------------------------------------------ */

/*
 * A plain text being built: valid UTF-8, white space collapsed to one
 * space and trimmed, controls dropped, at most max characters.  When a
 * character would go beyond, the text ends with "…" (still within max,
 * when `ellipsis`) and everything after is ignored.
 */
struct text {
	char *s;
	size_t len, cap;
	size_t nchars, max;
	bool ellipsis;
	bool space;             /* white space pending before the next char */
	bool full;
	bool failed;
};

/* An empty text of at most max characters, cut with "…" when
 * ellipsis. */
static void
tx_init(struct text *t, size_t max, bool ellipsis)
{
	memset(t, 0, sizeof(*t));
	t->max = max;
	t->ellipsis = ellipsis;
}

/* Release t's memory; t is empty again. */
static void
tx_free(struct text *t)
{
	free(t->s);
	memset(t, 0, sizeof(*t));
}

/* Room for n more bytes and a NUL; false when out of memory. */
static bool
tx_room(struct text *t, size_t n)
{
	size_t cap;
	char *s;

	if (t->len + n + 1 <= t->cap)
		return true;
	cap = t->cap ? t->cap : 64;
	while (cap < t->len + n + 1)
		cap *= 2;
	if ((s = realloc(t->s, cap)) == NULL) {
		t->failed = true;
		return false;
	}
	t->s = s;
	t->cap = cap;
	return true;
}

/* The text is full: cut it, with "…" in place of its last character
 * when that is needed to stay within max. */
static void
tx_cut(struct text *t)
{
	t->full = true;
	if (!t->ellipsis)
		return;
	if (t->nchars >= t->max) {
		/* Drop the last character (its continuation bytes first). */
		while (t->len > 0 && ((unsigned char)t->s[t->len - 1] & 0xc0)
		    == 0x80)
			t->len--;
		if (t->len > 0)
			t->len--;
		t->nchars--;
	}
	if (t->len > 0 && t->s[t->len - 1] == ' ') {
		t->len--;
		t->nchars--;
	}
	if (!tx_room(t, 3))
		return;
	memcpy(t->s + t->len, "\xe2\x80\xa6", 3);
	t->len += 3;
	t->nchars++;
	t->s[t->len] = '\0';
}

/* Append the code point cp. */
static void
tx_putc(struct text *t, uint32_t cp)
{
	size_t need;

	if (t->full || t->failed)
		return;
	if (is_space_cp(cp)) {
		t->space = true;
		return;
	}
	if (is_dropped_cp(cp))
		return;
	if (cp == 0xfffe || cp == 0xffff)
		cp = 0xfffd;
	need = t->space && t->len > 0 ? 2 : 1;
	if (t->nchars + need > t->max) {
		tx_cut(t);
		return;
	}
	if (!tx_room(t, 5))
		return;
	if (need == 2) {
		t->s[t->len++] = ' ';
		t->nchars++;
	}
	t->space = false;
	t->len += utf8_put(t->s + t->len, cp);
	t->nchars++;
	t->s[t->len] = '\0';
}

/* Append s[0..n), UTF-8; a malformed byte becomes U+FFFD. */
static void
tx_puts(struct text *t, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, run, sp, room;

	while (i < n && !t->full && !t->failed) {
		sp = t->space && t->len > 0 ? 1 : 0;
		room = t->max - t->nchars;
		if (p[i] > 0x20 && p[i] < 0x7f && room > sp) {
			/* A run of visible ASCII, the common case, copied in
			 * one go, as much of it as fits: the character after
			 * (if any) then cuts the text.  Never scanned further
			 * than that, so that a long run costs its length. */
			for (k = i; k < n && k - i < room - sp && p[k] > 0x20 &&
			    p[k] < 0x7f; k++)
				;
			run = k - i;
			if (!tx_room(t, run + sp))
				return;
			if (sp) {
				t->s[t->len++] = ' ';
				t->nchars++;
			}
			memcpy(t->s + t->len, p + i, run);
			t->len += run;
			t->nchars += run;
			t->s[t->len] = '\0';
			t->space = false;
			i = k;
			continue;
		}
		tx_putc(t, utf8_next(p + i, n - i, &k));
		i += k;
	}
}

/* The text as a new string (caller frees), "" when empty; NULL when out
 * of memory.  The builder is left empty. */
static char *
tx_take(struct text *t)
{
	char *s;

	if (t->failed) {
		tx_free(t);
		return NULL;
	}
	s = t->s != NULL ? t->s : strdup("");
	memset(t, 0, sizeof(*t));
	return s;
}

/* ------------------------------------------------------------------ */
/* HTML to text                                                        */
/* ------------------------------------------------------------------ */

/* Entities from U+00A0 to U+00FF, in order. */
static const char *const latin1_names[96] = {
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
	"uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr", "deg",
	"plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
	"cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34",
	"iquest", "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring",
	"AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave",
	"Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
	"Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute",
	"Ucirc", "Uuml", "Yacute", "THORN", "szlig", "agrave", "aacute",
	"acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave",
	"eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth",
	"ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide",
	"oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn",
	"yuml",
};

/* The other entities met in feeds: markup, typography, a few symbols. */
static const struct {
	const char *name;
	uint32_t cp;
} other_entities[] = {
	{"quot", 0x22}, {"amp", 0x26}, {"apos", 0x27}, {"lt", 0x3c},
	{"gt", 0x3e}, {"OElig", 0x152}, {"oelig", 0x153}, {"Scaron", 0x160},
	{"scaron", 0x161}, {"Yuml", 0x178}, {"fnof", 0x192}, {"circ", 0x2c6},
	{"tilde", 0x2dc}, {"ensp", 0x2002}, {"emsp", 0x2003},
	{"thinsp", 0x2009}, {"zwnj", 0x200c}, {"zwj", 0x200d},
	{"lrm", 0x200e}, {"rlm", 0x200f}, {"ndash", 0x2013},
	{"mdash", 0x2014}, {"lsquo", 0x2018}, {"rsquo", 0x2019},
	{"sbquo", 0x201a}, {"ldquo", 0x201c}, {"rdquo", 0x201d},
	{"bdquo", 0x201e}, {"dagger", 0x2020}, {"Dagger", 0x2021},
	{"bull", 0x2022}, {"hellip", 0x2026}, {"permil", 0x2030},
	{"prime", 0x2032}, {"Prime", 0x2033}, {"lsaquo", 0x2039},
	{"rsaquo", 0x203a}, {"oline", 0x203e}, {"euro", 0x20ac},
	{"trade", 0x2122}, {"larr", 0x2190}, {"uarr", 0x2191},
	{"rarr", 0x2192}, {"darr", 0x2193}, {"harr", 0x2194},
	{"minus", 0x2212}, {"ne", 0x2260}, {"le", 0x2264}, {"ge", 0x2265},
	{"hearts", 0x2665},
};

/* Windows-1252 for the references &#128; to &#159; (as browsers read
 * them); 0 where that code page has nothing. */
static const uint16_t cp1252[32] = {
	0x20ac, 0, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6,
	0x2030, 0x160, 0x2039, 0x152, 0, 0x17d, 0, 0, 0x2018, 0x2019,
	0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161,
	0x203a, 0x153, 0, 0x17e, 0x178,
};

/* The code point of the named entity name[0..n) (case matters), or 0. */
static uint32_t
entity_lookup(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < VG_ARRAY_LEN(latin1_names); i++)
		if (strlen(latin1_names[i]) == n &&
		    memcmp(latin1_names[i], name, n) == 0)
			return 0xa0 + (uint32_t)i;
	for (i = 0; i < VG_ARRAY_LEN(other_entities); i++)
		if (strlen(other_entities[i].name) == n &&
		    memcmp(other_entities[i].name, name, n) == 0)
			return other_entities[i].cp;
	return 0;
}

/*
 * The character reference at s[0..n) (s[0] is '&'): its code point in
 * *cp and its length; 0 when it is not one (the '&' is then literal).
 * Named references need their ';', numeric ones do not.
 */
static size_t
entity_decode(const char *s, size_t n, uint32_t *cp)
{
	size_t i = 1, start;
	uint32_t v = 0;
	bool hex = false, big = false;

	if (n < 3)
		return 0;
	if (s[1] == '#') {
		i = 2;
		if (i < n && (s[i] == 'x' || s[i] == 'X')) {
			hex = true;
			i++;
		}
		start = i;
		while (i < n && (hex ? is_xdigit((unsigned char)s[i]) :
		    is_digit((unsigned char)s[i]))) {
			v = v * (hex ? 16 : 10) + (uint32_t)xvalue(
			    (unsigned char)s[i]);
			if (v > 0x10ffff) {
				big = true;
				v = 0x110000;
			}
			i++;
		}
		if (i == start)
			return 0;
		if (i < n && s[i] == ';')
			i++;
		if (big || v == 0 || (v >= 0xd800 && v <= 0xdfff))
			v = 0xfffd;
		else if (v >= 0x80 && v <= 0x9f && cp1252[v - 0x80] != 0)
			v = cp1252[v - 0x80];
		*cp = v;
		return i;
	}
	while (i < n && i <= 32 && (is_alpha((unsigned char)s[i]) ||
	    is_digit((unsigned char)s[i])))
		i++;
	if (i == 1 || i >= n || s[i] != ';')
		return 0;
	if ((v = entity_lookup(s + 1, i - 1)) == 0)
		return 0;
	*cp = v;
	return i + 1;
}

/* Elements that separate words: a space stands where they are. */
static bool
is_block(const char *name, size_t n)
{
	static const char *const blocks[] = {
		"address", "article", "aside", "blockquote", "br", "caption",
		"dd", "details", "div", "dl", "dt", "figcaption", "figure",
		"footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
		"img", "li", "main", "nav", "ol", "option", "p", "pre",
		"section", "summary", "table", "tbody", "td", "tfoot", "th",
		"thead", "title", "tr", "ul",
	};
	size_t i;

	for (i = 0; i < VG_ARRAY_LEN(blocks); i++)
		if (eq_ci(name, n, blocks[i]))
			return true;
	return false;
}

/* Elements whose content is never text. */
static bool
is_hidden(const char *name, size_t n)
{
	return eq_ci(name, n, "script") || eq_ci(name, n, "style");
}

/*
 * The end of the tag starting at s[i] ('<'): the index after its '>',
 * or n when it has none.  A quoted attribute value may hold '>'.
 */
static size_t
tag_end(const char *s, size_t n, size_t i)
{
	char q;

	for (i++; i < n; i++) {
		if (s[i] == '>')
			return i + 1;
		if (s[i] != '=')
			continue;
		for (i++; i < n && is_ascii_space((unsigned char)s[i]); i++)
			;
		if (i >= n)
			break;
		if (s[i] == '"' || s[i] == '\'') {
			q = s[i];
			for (i++; i < n && s[i] != q; i++)
				;
			if (i >= n)
				break;
		} else if (s[i] == '>') {
			return i + 1;
		}
	}
	return n;
}

/* Whether a[0..n) and b[0..n) are equal, ASCII case ignored. */
static bool
memeq_ci(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return false;
	return true;
}

/* The index after the end tag "</name…>" from i on, or n. */
static size_t
skip_to_end_tag(const char *s, size_t n, size_t i, const char *name,
    size_t nlen)
{
	for (; i + 2 + nlen <= n; i++)
		if (s[i] == '<' && s[i + 1] == '/' &&
		    memeq_ci(s + i + 2, name, nlen))
			return tag_end(s, n, i);
	return n;
}

/*
 * HTML (or text that may hold some) s[0..n) into t as plain text: tags
 * and comments removed (a space where a block was), the content of
 * script and style dropped, character references decoded.  A '<' that
 * does not open a tag is text; a tag never closed ends the text.
 */
static void
html_to_text(struct text *t, const char *s, size_t n)
{
	size_t i = 0, run = 0, j, k;
	uint32_t cp;

	while (i < n && !t->full && !t->failed) {
		unsigned char c = (unsigned char)s[i];

		if (c == '<' && i + 1 < n && (is_alpha((unsigned char)s[i + 1])
		    || s[i + 1] == '/' || s[i + 1] == '!' || s[i + 1] == '?')) {
			bool closing = s[i + 1] == '/';
			const char *name = s + i + (closing ? 2 : 1);

			tx_puts(t, s + run, i - run);
			if (prefix_ci(s + i, n - i, "<!--")) {
				const char *e = NULL;

				for (j = i + 4; j + 3 <= n; j++)
					if (memcmp(s + j, "-->", 3) == 0) {
						e = s + j + 3;
						break;
					}
				j = e != NULL ? (size_t)(e - s) : n;
			} else {
				j = tag_end(s, n, i);
				for (k = 0; name + k < s + n &&
				    (is_alpha((unsigned char)name[k]) ||
				    is_digit((unsigned char)name[k])); k++)
					;
				if (is_block(name, k))
					tx_putc(t, ' ');
				if (!closing && k > 0 && is_hidden(name, k))
					j = skip_to_end_tag(s, n, j, name, k);
			}
			i = run = j;
			continue;
		}
		if (c == '&') {
			tx_puts(t, s + run, i - run);
			if ((k = entity_decode(s + i, n - i, &cp)) > 0) {
				tx_putc(t, cp);
				i += k;
			} else {
				tx_putc(t, '&');
				i++;
			}
			run = i;
			continue;
		}
		i++;
	}
	if (!t->full)
		tx_puts(t, s + run, (i < n ? i : n) - run);
}

/* ------------------------------------------------------------------ */
/* Dates                                                               */
/* ------------------------------------------------------------------ */

/* Days from 1970-01-01 to the proleptic Gregorian y-m-d (H. Hinnant's
 * days_from_civil): no timegm(), no TZ. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Days in month m (1-12) of year y, Gregorian leap years. */
static int
days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Seconds since 1970 UTC of a civil date and time at offset off (seconds
 * east of UTC); 0 when a field is out of range or the moment is not
 * after 1970. */
static int64_t
make_time(int y, int mo, int d, int h, int mi, int s, int off)
{
	int64_t t;

	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || s > 60)
		return 0;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - off;
	return t > 0 ? t : 0;
}

/* Between min and max digits at *pp into *val (max ≤ 9); the number
 * read, 0 when fewer than min (*pp then unchanged). */
static int
digits(const char **pp, int min, int max, int *val)
{
	const char *p = *pp;
	int n = 0, v = 0;

	while (n < max && is_digit((unsigned char)p[n]))
		v = v * 10 + (p[n++] - '0');
	if (n < min)
		return 0;
	*pp = p + n;
	*val = v;
	return n;
}

/* p past ASCII white space. */
static const char *
skip_spaces(const char *p)
{
	while (is_ascii_space((unsigned char)*p))
		p++;
	return p;
}

/* A numeric zone "+hhmm", "+hh:mm" or "+hh" at *pp (which is on the
 * sign) into *off seconds; false when malformed. */
static bool
numeric_zone(const char **pp, int *off)
{
	const char *p = *pp;
	int sign = *p == '-' ? -1 : 1, h, m = 0;

	p++;
	if (digits(&p, 2, 2, &h) == 0)
		return false;
	if (*p == ':')
		p++;
	if (is_digit((unsigned char)*p) && digits(&p, 2, 2, &m) == 0)
		return false;
	if (h > 23 || m > 59)
		return false;
	*off = sign * (h * 3600 + m * 60);
	*pp = p;
	return true;
}

/* RFC 3339 and the W3C profile of ISO 8601 (dc:date): "2026-11-23",
 * "2026-11-23T10:00Z", "2026-11-23T10:00:00.25+01:00"; a time without a
 * zone is taken as UTC. */
static int64_t
parse_rfc3339(const char *p)
{
	int y, mo = 1, d = 1, h = 0, mi = 0, s = 0, off = 0;

	if (digits(&p, 4, 4, &y) == 0)
		return 0;
	if (*p == '-') {
		p++;
		if (digits(&p, 2, 2, &mo) == 0)
			return 0;
		if (*p == '-') {
			p++;
			if (digits(&p, 2, 2, &d) == 0)
				return 0;
			if (*p == 'T' || *p == 't' || (*p == ' ' &&
			    is_digit((unsigned char)p[1]))) {
				p++;
				if (digits(&p, 2, 2, &h) == 0 || *p++ != ':' ||
				    digits(&p, 2, 2, &mi) == 0)
					return 0;
				if (*p == ':') {
					p++;
					if (digits(&p, 2, 2, &s) == 0)
						return 0;
					if (*p == '.' || *p == ',') {
						p++;
						if (!is_digit((unsigned char)*p))
							return 0;
						while (is_digit((unsigned char)*p))
							p++;
					}
				}
				p = skip_spaces(p);
				if (*p == 'Z' || *p == 'z')
					p++;
				else if ((*p == '+' || *p == '-') &&
				    !numeric_zone(&p, &off))
					return 0;
			}
		}
	}
	if (*skip_spaces(p) != '\0')
		return 0;
	return make_time(y, mo, d, h, mi, s, off);
}

/* The letters at *pp (at most max, else false) into word. */
static bool
word(const char **pp, char *w, size_t max)
{
	const char *p = *pp;
	size_t n = 0;

	while (is_alpha((unsigned char)p[n])) {
		if (n + 1 >= max)
			return false;
		w[n] = (char)lower((unsigned char)p[n]);
		n++;
	}
	w[n] = '\0';
	*pp = p + n;
	return n > 0;
}

/* The offset of a named zone (RFC 822 and the European names feeds use);
 * military letters count as UTC, as RFC 2822 advises; false when
 * unknown. */
static bool
named_zone(const char *w, int *off)
{
	static const struct {
		const char *name;
		int hours;
	} zones[] = {
		{"ut", 0}, {"utc", 0}, {"gmt", 0}, {"z", 0}, {"est", -5},
		{"edt", -4}, {"cst", -6}, {"cdt", -5}, {"mst", -7},
		{"mdt", -6}, {"pst", -8}, {"pdt", -7}, {"wet", 0}, {"west", 1},
		{"bst", 1}, {"cet", 1}, {"cest", 2}, {"met", 1}, {"mest", 2},
		{"eet", 2}, {"eest", 3},
	};
	size_t i;

	for (i = 0; i < VG_ARRAY_LEN(zones); i++)
		if (strcmp(w, zones[i].name) == 0) {
			*off = zones[i].hours * 3600;
			return true;
		}
	if (w[1] == '\0' && w[0] != 'j') {
		*off = 0;
		return true;
	}
	return false;
}

/* RFC 822 / 1123 / 2822: "[Mon, ]23 Nov 2026 10:00[:00] [+0100|GMT…]",
 * two- and three-digit years as RFC 2822 maps them, '-' allowed between
 * day, month and year; no zone is UTC; a trailing "(comment)" is
 * ignored. */
static int64_t
parse_rfc822(const char *p)
{
	static const char *const months[12] = {"jan", "feb", "mar", "apr",
	    "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
	static const char *const wdays[7] = {"mon", "tue", "wed", "thu",
	    "fri", "sat", "sun"};
	char w[16];
	int d, mo = 0, y, n, h = 0, mi = 0, s = 0, off = 0, i;

	if (is_alpha((unsigned char)*p)) {
		if (!word(&p, w, sizeof(w)) || strlen(w) < 3)
			return 0;
		for (i = 0; i < 7 && strncmp(w, wdays[i], 3) != 0; i++)
			;
		if (i == 7)
			return 0;
		if (*p == '.')
			p++;
		p = skip_spaces(p);
		if (*p == ',')
			p = skip_spaces(p + 1);
	}
	if (digits(&p, 1, 2, &d) == 0)
		return 0;
	while (*p == ' ' || *p == '-' || *p == '\t')
		p++;
	if (!word(&p, w, sizeof(w)) || strlen(w) < 3)
		return 0;
	for (i = 0; i < 12 && strncmp(w, months[i], 3) != 0; i++)
		;
	if (i == 12)
		return 0;
	mo = i + 1;
	if (*p == '.')
		p++;
	while (*p == ' ' || *p == '-' || *p == '\t')
		p++;
	if ((n = digits(&p, 2, 4, &y)) == 0)
		return 0;
	if (n == 2)
		y += y < 50 ? 2000 : 1900;
	else if (n == 3)
		y += 1900;
	p = skip_spaces(p);
	if (is_digit((unsigned char)*p)) {
		if (digits(&p, 1, 2, &h) == 0 || *p++ != ':' ||
		    digits(&p, 2, 2, &mi) == 0)
			return 0;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, 2, &s) == 0)
				return 0;
		}
		p = skip_spaces(p);
	}
	if (*p == '+' || *p == '-') {
		if (!numeric_zone(&p, &off))
			return 0;
	} else if (is_alpha((unsigned char)*p)) {
		if (!word(&p, w, 6) || !named_zone(w, &off))
			return 0;
	}
	p = skip_spaces(p);
	if (*p == '(') {
		while (*p != '\0' && *p != ')')
			p++;
		if (*p++ != ')')
			return 0;
		p = skip_spaces(p);
	}
	if (*p != '\0')
		return 0;
	return make_time(y, mo, d, h, mi, s, off);
}

/* See feed.h.  Four digits and a '-' (or nothing) start RFC 3339;
 * anything else is read as RFC 822. */
int64_t
watch_parse_date(const char *s)
{
	const char *p;

	if (s == NULL)
		return 0;
	p = skip_spaces(s);
	if (is_digit((unsigned char)p[0]) && is_digit((unsigned char)p[1]) &&
	    is_digit((unsigned char)p[2]) && is_digit((unsigned char)p[3]) &&
	    (p[4] == '-' || p[4] == '\0' || is_ascii_space((unsigned char)p[4])))
		return parse_rfc3339(p);
	return parse_rfc822(p);
}

/* ------------------------------------------------------------------ */
/* URLs                                                                */
/* ------------------------------------------------------------------ */

/* A URI reference cut in its parts (RFC 3986, appendix B); the pointers
 * are into the string cut, lengths beside. */
struct uparts {
	const char *scheme, *auth, *path, *query;
	size_t scheme_len, auth_len, path_len, query_len;
	bool has_scheme, has_auth, has_query;
};

/* Cut s[0..n) into its parts; the fragment is dropped. */
static void
uri_split(const char *s, size_t n, struct uparts *u)
{
	size_t i = 0, k;

	memset(u, 0, sizeof(*u));
	if (n > 0 && is_alpha((unsigned char)s[0])) {
		for (k = 1; k < n && (is_alpha((unsigned char)s[k]) ||
		    is_digit((unsigned char)s[k]) || s[k] == '+' ||
		    s[k] == '-' || s[k] == '.'); k++)
			;
		if (k < n && s[k] == ':') {
			u->has_scheme = true;
			u->scheme = s;
			u->scheme_len = k;
			i = k + 1;
		}
	}
	if (i + 1 < n && s[i] == '/' && s[i + 1] == '/') {
		i += 2;
		u->has_auth = true;
		u->auth = s + i;
		while (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')
			i++;
		u->auth_len = (size_t)(s + i - u->auth);
	}
	u->path = s + i;
	while (i < n && s[i] != '?' && s[i] != '#')
		i++;
	u->path_len = (size_t)(s + i - u->path);
	if (i < n && s[i] == '?') {
		u->has_query = true;
		u->query = s + ++i;
		while (i < n && s[i] != '#')
			i++;
		u->query_len = (size_t)(s + i - u->query);
	}
}

/* RFC 3986 unreserved characters. */
static bool
is_unreserved(int c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' ||
	    c == '_' || c == '~';
}

/* RFC 3986 sub-delims. */
static bool
is_subdelim(int c)
{
	return c != '\0' && strchr("!$&'()*+,;=", c) != NULL;
}

/*
 * Path or query s[0..n) into b, its percent-escapes normalised: those of
 * unreserved characters decoded, the others upper-cased, a '%' that
 * starts none written "%25", and whatever RFC 3986 does not allow there
 * (space, quotes, brackets, non-ASCII bytes…) percent-encoded.
 */
static void
pct_normalize(struct sbuf *b, const char *s, size_t n, bool query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	char e[3];

	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '%' && i + 2 < n &&
		    is_xdigit((unsigned char)s[i + 1]) &&
		    is_xdigit((unsigned char)s[i + 2])) {
			int v = xvalue((unsigned char)s[i + 1]) * 16 +
			    xvalue((unsigned char)s[i + 2]);

			if (is_unreserved(v)) {
				sb_addc(b, (char)v);
			} else {
				e[0] = '%';
				e[1] = hex[v >> 4];
				e[2] = hex[v & 15];
				sb_add(b, e, 3);
			}
			i += 2;
		} else if (c != '%' && (is_unreserved(c) || is_subdelim(c) ||
		    c == ':' || c == '@' || c == '/' || (query && c == '?'))) {
			sb_addc(b, (char)c);
		} else {
			e[0] = '%';
			e[1] = hex[c >> 4];
			e[2] = hex[c & 15];
			sb_add(b, e, 3);
		}
	}
}

/* Remove the dot segments of the path in b (RFC 3986, 5.2.4), in
 * place. */
static void
remove_dots(struct sbuf *b)
{
	char *in = b->s, *out = b->s;
	size_t n = b->len, i = 0, o = 0, k;

	if (in == NULL)
		return;
	while (i < n) {
		size_t left = n - i;

		if (left >= 3 && memcmp(in + i, "../", 3) == 0) {
			i += 3;
		} else if (left >= 2 && memcmp(in + i, "./", 2) == 0) {
			i += 2;
		} else if (left >= 3 && memcmp(in + i, "/./", 3) == 0) {
			i += 2;
		} else if (left == 2 && memcmp(in + i, "/.", 2) == 0) {
			i += 1;
			in[i] = '/';
		} else if ((left >= 4 && memcmp(in + i, "/../", 4) == 0) ||
		    (left == 3 && memcmp(in + i, "/..", 3) == 0)) {
			/* "/../x" goes on as "/x", "/.." as "/". */
			if (left >= 4) {
				i += 3;
			} else {
				i += 2;
				in[i] = '/';
			}
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else if ((left == 1 && in[i] == '.') ||
		    (left == 2 && memcmp(in + i, "..", 2) == 0)) {
			i = n;
		} else {
			k = i + (in[i] == '/' ? 1 : 0);
			while (k < n && in[k] != '/')
				k++;
			/* o ≤ i always: the output never outgrows the
			 * input it was taken from. */
			memmove(out + o, in + i, k - i);
			o += k - i;
			i = k;
		}
	}
	b->len = o;
	b->s[o] = '\0';
}

/* Whether s[0..n) is well-formed UTF-8 without controls (C0, DEL, C1). */
static bool
utf8_clean(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		cp = utf8_next(p + i, n - i, &k);
		if ((cp == 0xfffd && k == 1) || cp < 0x20 ||
		    (cp >= 0x7f && cp < 0xa0))
			return false;
		i += k;
	}
	return true;
}

/*
 * The authority a[0..n) of scheme (true: https) written canonical into
 * b: user information dropped, host lower-cased (IPv6 literals kept in
 * brackets, IDN left as they come), default or empty port removed.
 * False when there is no host or it holds what no host may.
 */
static bool
authority_normalize(struct sbuf *b, const char *a, size_t n, bool https)
{
	const char *host, *port = NULL, *end = a + n, *at;
	size_t hlen, plen = 0, i;
	unsigned long pv = 0;
	char num[8];

	for (at = end; at > a && at[-1] != '@'; at--)
		;
	host = at;
	if (host < end && *host == '[') {
		const char *close = memchr(host, ']', (size_t)(end - host));
		bool colon = false;

		if (close == NULL)
			return false;
		for (i = 1; host + i < close; i++) {
			int c = (unsigned char)host[i];

			if (!is_xdigit(c) && c != ':' && c != '.')
				return false;
			colon |= c == ':';
		}
		if (!colon)
			return false;
		hlen = (size_t)(close + 1 - host);
		if (close + 1 < end) {
			if (close[1] != ':')
				return false;
			port = close + 2;
		}
		for (i = 0; i < hlen; i++)
			sb_addc(b, (char)lower((unsigned char)host[i]));
	} else {
		const char *colon = memchr(host, ':', (size_t)(end - host));

		hlen = (size_t)((colon ? colon : end) - host);
		if (colon != NULL)
			port = colon + 1;
		if (hlen == 0)
			return false;
		for (i = 0; i < hlen; i++) {
			int c = (unsigned char)host[i];

			if (c == '%' && i + 2 < hlen &&
			    is_xdigit((unsigned char)host[i + 1]) &&
			    is_xdigit((unsigned char)host[i + 2])) {
				c = xvalue((unsigned char)host[i + 1]) * 16 +
				    xvalue((unsigned char)host[i + 2]);
				i += 2;
				if (c >= 0x80)
					return false;
			}
			if (c >= 0x80) {
				sb_addc(b, (char)c);   /* IDN, as it comes */
				continue;
			}
			if (!is_alpha(c) && !is_digit(c) && c != '-' &&
			    c != '.' && c != '_')
				return false;
			sb_addc(b, (char)lower(c));
		}
		if (!utf8_clean(host, hlen))
			return false;
	}
	if (port != NULL) {
		plen = (size_t)(end - port);
		for (i = 0; i < plen; i++) {
			if (!is_digit((unsigned char)port[i]))
				return false;
			pv = pv * 10 + (unsigned long)(port[i] - '0');
			if (pv > 65535)
				return false;
		}
		if (plen > 0 && pv != (https ? 443ul : 80ul)) {
			snprintf(num, sizeof(num), ":%lu", pv);
			sb_add(b, num, strlen(num));
		}
	}
	return true;
}

/* Whether scheme s[0..n) is http (0) or https (1); -1 otherwise. */
static int
http_scheme(const char *s, size_t n)
{
	if (eq_ci(s, n, "http"))
		return 0;
	if (eq_ci(s, n, "https"))
		return 1;
	return -1;
}

/*
 * See feed.h.  The reference is cut in its parts, each normalised
 * (percent-escapes first, so that "%2E%2E" is a dot segment and the
 * result is stable), then resolved against the canonical base as RFC
 * 3986 (5.2.2, non-strict) says, dot segments removed, and written
 * back: scheme, host and port by authority_normalize(), path ("/" when
 * empty), query when not empty; never the fragment.
 */
char *
watch_canonical_url(const char *url, const char *base)
{
	struct sbuf out, path, query;
	struct uparts r, bu;
	const char *s, *e;
	char *b = NULL, *res = NULL;
	const char *scheme_s, *auth_s;
	size_t scheme_n, auth_n, i;
	bool use_auth_of_base, has_query;
	int https;

	sb_init(&out, URL_MAX);
	sb_init(&path, URL_MAX * 3);
	sb_init(&query, URL_MAX * 3);
	if (url == NULL)
		goto done;
	/* Leading and trailing white space and controls go; inside, a
	 * control refuses the URL. */
	for (s = url; *s != '\0' && (unsigned char)*s <= 0x20; s++)
		;
	for (e = s + strlen(s); e > s && (unsigned char)e[-1] <= 0x20; e--)
		;
	if ((size_t)(e - s) > URL_MAX)
		goto done;
	for (i = 0; s + i < e; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			goto done;
	if (!utf8_clean(s, (size_t)(e - s)))
		goto done;
	uri_split(s, (size_t)(e - s), &r);

	/* Non-strict resolution (RFC 3986, 5.2.2): "http:x" against an
	 * http base is relative. */
	if (r.has_scheme && base != NULL && !r.has_auth) {
		const char *p = base;

		while (*p != '\0' && (unsigned char)*p <= 0x20)
			p++;
		if (strlen(p) > r.scheme_len && p[r.scheme_len] == ':' &&
		    memeq_ci(p, r.scheme, r.scheme_len))
			r.has_scheme = false;
	}
	if (r.has_scheme) {
		if ((https = http_scheme(r.scheme, r.scheme_len)) < 0 ||
		    !r.has_auth)
			goto done;
		scheme_s = r.scheme;
		scheme_n = r.scheme_len;
		auth_s = r.auth;
		auth_n = r.auth_len;
		pct_normalize(&path, r.path, r.path_len, false);
		has_query = r.has_query;
		pct_normalize(&query, r.query, r.query_len, true);
	} else {
		if (base == NULL || (b = watch_canonical_url(base, NULL)) ==
		    NULL)
			goto done;
		uri_split(b, strlen(b), &bu);
		scheme_s = bu.scheme;
		scheme_n = bu.scheme_len;
		https = http_scheme(scheme_s, scheme_n);
		use_auth_of_base = !r.has_auth;
		auth_s = use_auth_of_base ? bu.auth : r.auth;
		auth_n = use_auth_of_base ? bu.auth_len : r.auth_len;
		if (r.has_auth) {
			pct_normalize(&path, r.path, r.path_len, false);
			has_query = r.has_query;
			pct_normalize(&query, r.query, r.query_len, true);
		} else if (r.path_len == 0) {
			sb_add(&path, bu.path, bu.path_len);
			has_query = r.has_query || bu.has_query;
			if (r.has_query)
				pct_normalize(&query, r.query, r.query_len,
				    true);
			else
				sb_add(&query, bu.query, bu.query_len);
		} else {
			if (r.path[0] != '/') {
				/* Merge: the base's path up to its last
				 * '/', then the reference's. */
				const char *slash = NULL;

				for (i = 0; i < bu.path_len; i++)
					if (bu.path[i] == '/')
						slash = bu.path + i;
				if (slash != NULL)
					sb_add(&path, bu.path, (size_t)(slash +
					    1 - bu.path));
				else
					sb_addc(&path, '/');
			}
			pct_normalize(&path, r.path, r.path_len, false);
			has_query = r.has_query;
			pct_normalize(&query, r.query, r.query_len, true);
		}
	}
	remove_dots(&path);

	for (i = 0; i < scheme_n; i++)
		sb_addc(&out, (char)lower((unsigned char)scheme_s[i]));
	sb_add(&out, "://", 3);
	if (!authority_normalize(&out, auth_s, auth_n, https == 1))
		goto done;
	if (path.len == 0 || path.s[0] != '/')
		sb_addc(&out, '/');
	if (path.len > 0)
		sb_add(&out, path.s, path.len);
	if (has_query && query.len > 0) {
		sb_addc(&out, '?');
		sb_add(&out, query.s, query.len);
	}
	if (out.failed || out.over || path.over || query.over)
		goto done;
	res = out.s;
	out.s = NULL;
done:
	sb_free(&query);
	sb_free(&path);
	sb_free(&out);
	free(b);
	return res;
}

/* See feed.h: the first of guid, link and title that is there. */
char *
watch_item_key(const struct watch_item *it)
{
	const char *kind, *v;
	size_t kl, vl;
	char *k;

	if (it == NULL)
		return NULL;
	if (it->guid != NULL && it->guid[0] != '\0') {
		kind = "guid:";
		v = it->guid;
	} else if (it->link != NULL && it->link[0] != '\0') {
		kind = "link:";
		v = it->link;
	} else {
		kind = "title:";
		v = it->title != NULL ? it->title : "";
	}
	kl = strlen(kind);
	vl = strlen(v);
	if ((k = malloc(kl + vl + 1)) == NULL)
		return NULL;
	memcpy(k, kind, kl);
	memcpy(k + kl, v, vl + 1);
	return k;
}

/* ------------------------------------------------------------------ */
/* What is gathered for the feed and for each item                     */
/* ------------------------------------------------------------------ */

/* The best values met so far for the feed or an item; all owned. */
struct entry {
	char *title, *summary, *content, *author, *creator, *guid, *link;
	int link_rank;          /* 0 none, 1 permalink guid, 2 link, 3 best */
	int64_t published, updated, dcdate;
};

/* Release what e holds; e is empty again. */
static void
entry_clear(struct entry *e)
{
	free(e->title);
	free(e->summary);
	free(e->content);
	free(e->author);
	free(e->creator);
	free(e->guid);
	free(e->link);
	memset(e, 0, sizeof(*e));
}

/* Keep s (taken) in *slot unless it already has a value or s is empty. */
static void
keep_first(char **slot, char *s)
{
	if (*slot == NULL && s != NULL && s[0] != '\0')
		*slot = s;
	else
		free(s);
}

/* Keep the canonical link l (taken) when it ranks above the one kept. */
static void
keep_link(struct entry *e, char *l, int rank)
{
	if (l != NULL && rank > e->link_rank) {
		free(e->link);
		e->link = l;
		e->link_rank = rank;
	} else {
		free(l);
	}
}

/* Append e as an item of f (its strings taken, e left empty); false
 * when out of memory. */
static bool
feed_push(struct watch_feed *f, size_t *cap, struct entry *e)
{
	struct watch_item *it;

	if (f->nitems == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;

		if (ncap > WATCH_FEED_MAX_ITEMS)
			ncap = WATCH_FEED_MAX_ITEMS;
		if ((it = realloc(f->items, ncap * sizeof(*it))) == NULL)
			return false;
		f->items = it;
		*cap = ncap;
	}
	it = &f->items[f->nitems];
	memset(it, 0, sizeof(*it));
	if (e->title == NULL && (e->title = strdup("")) == NULL)
		return false;
	if (e->summary == NULL) {
		e->summary = e->content != NULL ? e->content : strdup("");
		e->content = NULL;
		if (e->summary == NULL)
			return false;
	}
	if (e->author == NULL) {
		e->author = e->creator;
		e->creator = NULL;
	}
	it->guid = e->guid;
	it->link = e->link;
	it->title = e->title;
	it->summary = e->summary;
	it->author = e->author;
	it->published = e->published ? e->published : e->updated ?
	    e->updated : e->dcdate;
	e->guid = e->link = e->title = e->summary = e->author = NULL;
	entry_clear(e);
	f->nitems++;
	return true;
}

/* ------------------------------------------------------------------ */
/* RSS and Atom, through SAX2                                          */
/* ------------------------------------------------------------------ */

enum ns {
	NS_NONE, NS_RSS, NS_ATOM, NS_DC, NS_CONTENT, NS_RDF, NS_OTHER
};

enum field {
	F_TITLE, F_LINK, F_GUID, F_SUMMARY, F_CONTENT, F_AUTHOR, F_CREATOR,
	F_PUBLISHED, F_UPDATED, F_DCDATE
};

enum mode {
	M_TEXT,         /* plain text: only white space collapsed */
	M_HTML,         /* HTML: gathered whole, then tags stripped */
	M_XHTML,        /* XHTML elements: their text, blocks spaced */
	M_RAW           /* a link or a date: gathered whole, trimmed */
};

/* The element whose text is being gathered. */
struct capture {
	int depth;              /* its depth; -1 when none */
	int hidden_depth;       /* inside a script or style: its depth */
	enum field field;
	enum mode mode;
	struct entry *to;
	struct sbuf raw;        /* M_HTML, M_RAW */
	struct text text;       /* M_TEXT, M_XHTML */
	char *base;             /* the base in scope at the element */
	bool permalink;         /* RSS guid: isPermaLink is not "false" */
};

/* An xml:base in scope: the element's depth and the base it makes. */
struct base {
	int depth;
	char *url;              /* canonical; NULL when it resolves to none */
};

/* What the reading ended on. */
enum outcome {
	X_FEED,                 /* a feed, read to its end */
	X_HTML,                 /* the root is <html> */
	X_OTHER,                /* well-formed, another root */
	X_MALFORMED,            /* an XML error (error_* say which) */
	X_NOMEM
};

/* The state of the SAX callbacks reading a feed. */
struct xreader {
	xmlParserCtxtPtr ctxt;
	struct watch_feed *f;
	size_t icap;            /* items allocated */
	int depth;              /* of the next element to start */
	const xmlChar **atts;   /* the starting element's attributes (SAX2:
				 * local name, prefix, URI, value, end) */
	int natts;
	enum outcome stop;      /* X_FEED, or why the parser was stopped */
	bool root_seen;
	bool other;             /* another root: only read to its end */
	int chan_depth;         /* RSS <channel>, or -1 */
	int item_depth;         /* <item> or <entry> being read, or -1 */
	bool item_skip;         /* WATCH_FEED_MAX_ITEMS reached */
	int author_depth;       /* Atom <author>, or -1 */
	struct entry feed, item;
	struct capture cap;
	struct base bases[MAX_BASES];
	int nbases;
	const char *docbase;    /* the document's URL, canonical, or NULL */
	bool nomem;
	int error_line, error_code, error_level;
	xmlEntity entity;       /* what on_get_entity() hands libxml2 */
	char entity_text[5];
};

/* The reader: libxml2 passes it (userData) to every callback. */
static struct xreader *
sax_reader(void *ctx)
{
	return ctx;
}

/*
 * SAX2: the entity of that name.  libxml2 asks us first, and since
 * userData is not the parser, it never looks in the document's own
 * declarations: those are never found, never parsed, never expanded (a
 * reference to one is an unknown entity).  The HTML names of our table
 * are answered as predefined entities, which libxml2 inlines as plain
 * characters: "&nbsp;" in a feed without DTD is common and harmless.
 * (In an attribute value libxml2 copies only the first byte of such an
 * entity: a non-ASCII one there leaves malformed UTF-8, and the link or
 * base it was in is refused.)
 */
static xmlEntityPtr
on_get_entity(void *ctx, const xmlChar *name)
{
	struct xreader *x = sax_reader(ctx);
	uint32_t cp;
	size_t n;

	if (x == NULL || name == NULL || (cp = entity_lookup(
	    (const char *)name, strlen((const char *)name))) == 0)
		return NULL;
	n = utf8_put(x->entity_text, cp);
	x->entity_text[n] = '\0';
	memset(&x->entity, 0, sizeof(x->entity));
	x->entity.type = XML_ENTITY_DECL;
	x->entity.name = name;
	x->entity.etype = XML_INTERNAL_PREDEFINED_ENTITY;
	x->entity.content = (xmlChar *)x->entity_text;
	x->entity.orig = (xmlChar *)x->entity_text;
	x->entity.length = (int)n;
	return &x->entity;
}

/* libxml2's errors, the first of the worst level kept for the message;
 * nothing is printed. */
#if LIBXML_VERSION >= 21200
static void
on_xml_error(void *ctx, const xmlError *e)
#else
static void
on_xml_error(void *ctx, xmlErrorPtr e)
#endif
{
	struct xreader *x = sax_reader(ctx);

	if (x == NULL || e == NULL || e->level < XML_ERR_ERROR)
		return;
	if (x->error_level == 0 || (int)e->level > x->error_level) {
		x->error_level = (int)e->level;
		x->error_code = e->code;
		x->error_line = e->line;
	}
}

/* The class of an element's namespace, from its URI or, when its prefix
 * is not declared (feeds are sloppy with those), from the usual
 * prefixes. */
static enum ns
ns_of(const xmlChar *uuri, const xmlChar *uprefix)
{
	static const struct {
		const char *uri;
		enum ns ns;
	} uris[] = {
		{"http://purl.org/rss/1.0/", NS_RSS},
		{"http://my.netscape.com/rdf/simple/0.9/", NS_RSS},
		{"http://backend.userland.com/rss2", NS_RSS},
		{"http://www.w3.org/2005/Atom", NS_ATOM},
		{"http://purl.org/dc/elements/1.1/", NS_DC},
		{"http://purl.org/rss/1.0/modules/content/", NS_CONTENT},
		{"http://www.w3.org/1999/02/22-rdf-syntax-ns#", NS_RDF},
	};
	static const struct {
		const char *prefix;
		enum ns ns;
	} prefixes[] = {
		{"dc", NS_DC}, {"content", NS_CONTENT}, {"atom", NS_ATOM},
		{"rdf", NS_RDF},
	};
	const char *uri = (const char *)uuri, *prefix = (const char *)uprefix;
	size_t i;

	if (uri == NULL) {
		if (prefix == NULL)
			return NS_NONE;
		for (i = 0; i < VG_ARRAY_LEN(prefixes); i++)
			if (eq_ci(prefix, strlen(prefix), prefixes[i].prefix))
				return prefixes[i].ns;
		return NS_OTHER;
	}
	for (i = 0; i < VG_ARRAY_LEN(uris); i++)
		if (strcmp(uri, uris[i].uri) == 0)
			return uris[i].ns;
	return NS_OTHER;
}

/*
 * An attribute value v[0..n) as SAX2 gives it, as a new string (caller
 * frees), trimmed, NULL when out of memory.  Without entity substitution
 * libxml2 leaves references in attribute values ('&' itself as "&#38;"):
 * they are decoded here, an unknown one kept as written.
 */
static char *
attr_value(const char *v, size_t n)
{
	struct sbuf b;
	uint32_t cp;
	size_t i = 0, k, run = 0;
	char u[4];

	while (n > 0 && is_ascii_space((unsigned char)*v)) {
		v++;
		n--;
	}
	while (n > 0 && is_ascii_space((unsigned char)v[n - 1]))
		n--;
	sb_init(&b, n + 1);
	sb_add(&b, "", 0);
	while (i < n) {
		if (v[i] != '&' || (k = entity_decode(v + i, n - i, &cp)) == 0) {
			i++;
			continue;
		}
		sb_add(&b, v + run, i - run);
		sb_add(&b, u, utf8_put(u, cp));
		i += k;
		run = i;
	}
	sb_add(&b, v + run, n - run);
	if (b.failed) {
		sb_free(&b);
		return NULL;
	}
	return b.s;
}

/* The attribute name (no namespace; xml_ns: the xml: one) of the
 * element starting, as a new string (caller frees); NULL when absent.
 * Out of memory sets x->nomem. */
static char *
get_attr_ns(struct xreader *x, const char *name, bool xml_ns)
{
	const xmlChar **a = x->atts;
	char *v;
	int i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < x->natts; i++, a += 5) {
		if (a[0] == NULL || strcmp((const char *)a[0], name) != 0)
			continue;
		if (xml_ns ? a[2] == NULL || strcmp((const char *)a[2],
		    (const char *)XML_XML_NAMESPACE) != 0 : a[2] != NULL)
			continue;
		if ((v = attr_value((const char *)a[3], (size_t)(a[4] -
		    a[3]))) == NULL)
			x->nomem = true;
		return v;
	}
	return NULL;
}

/* The attribute name, in no namespace, as get_attr_ns() gives it. */
static char *
get_attr(struct xreader *x, const char *name)
{
	return get_attr_ns(x, name, false);
}

/* The base in scope: the innermost xml:base, else the document's URL. */
static const char *
current_base(const struct xreader *x)
{
	return x->nbases > 0 ? x->bases[x->nbases - 1].url : x->docbase;
}

/* Forget the xml:base of elements at depth or deeper. */
static void
pop_bases(struct xreader *x, int depth)
{
	while (x->nbases > 0 && x->bases[x->nbases - 1].depth >= depth) {
		x->nbases--;
		free(x->bases[x->nbases].url);
	}
}

/* The starting element's xml:base, resolved against the base in scope,
 * becomes the base for it and its content. */
static void
push_base(struct xreader *x, int depth)
{
	char *v, *url;

	if ((v = get_attr_ns(x, "base", true)) == NULL)
		return;
	url = watch_canonical_url(v, current_base(x));
	free(v);
	if (x->nbases == MAX_BASES) {
		free(url);
		return;
	}
	x->bases[x->nbases].depth = depth;
	x->bases[x->nbases].url = url;
	x->nbases++;
}

/* The mode of an Atom text construct or content of that type; -1 for
 * what is not text (another media type, base64). */
static int
atom_mode(const char *type)
{
	if (type == NULL || type[0] == '\0' || eq_ci(type, strlen(type),
	    "text") || eq_ci(type, strlen(type), "text/plain"))
		return M_TEXT;
	if (eq_ci(type, strlen(type), "html") || eq_ci(type, strlen(type),
	    "text/html"))
		return M_HTML;
	if (eq_ci(type, strlen(type), "xhtml") || eq_ci(type, strlen(type),
	    "application/xhtml+xml"))
		return M_XHTML;
	return -1;
}

/* The number of characters kept for a field. */
static size_t
field_max(enum field field)
{
	switch (field) {
	case F_SUMMARY:
	case F_CONTENT:
		return WATCH_SUMMARY_MAX;
	case F_GUID:
		return GUID_MAX;
	default:
		return WATCH_TITLE_MAX;
	}
}

/* The capture ends: its value goes to its entry. */
static void
capture_end(struct xreader *x)
{
	struct capture *c = &x->cap;
	struct entry *e = c->to;
	char *v = NULL;
	const char *s;
	size_t n;

	if (c->mode == M_HTML) {
		html_to_text(&c->text, c->raw.s != NULL ? c->raw.s : "",
		    c->raw.len);
		if (c->raw.failed)
			x->nomem = true;
		v = tx_take(&c->text);
	} else if (c->mode == M_RAW) {
		if (c->raw.failed)
			x->nomem = true;
		if (!c->raw.over) {
			s = c->raw.s != NULL ? c->raw.s : "";
			while (is_ascii_space((unsigned char)*s))
				s++;
			n = strlen(s);
			while (n > 0 && is_ascii_space((unsigned char)s[n - 1]))
				n--;
			if ((v = strndup(s, n)) == NULL)
				x->nomem = true;
		}
	} else {
		v = tx_take(&c->text);
	}
	if (v == NULL && c->mode != M_RAW)
		x->nomem = true;

	switch (c->field) {
	case F_TITLE:
		keep_first(&e->title, v);
		break;
	case F_SUMMARY:
		keep_first(&e->summary, v);
		break;
	case F_CONTENT:
		keep_first(&e->content, v);
		break;
	case F_AUTHOR:
		keep_first(&e->author, v);
		break;
	case F_CREATOR:
		keep_first(&e->creator, v);
		break;
	case F_GUID:
		/* A permalink guid must be a whole URL by itself. */
		if (v != NULL && v[0] != '\0' && c->permalink &&
		    e->link_rank < 1)
			keep_link(e, watch_canonical_url(v, NULL), 1);
		keep_first(&e->guid, v);
		break;
	case F_LINK:
		if (v != NULL)
			keep_link(e, watch_canonical_url(v, c->base), 2);
		free(v);
		break;
	case F_PUBLISHED:
		if (e->published == 0)
			e->published = watch_parse_date(v);
		free(v);
		break;
	case F_UPDATED:
		if (e->updated == 0)
			e->updated = watch_parse_date(v);
		free(v);
		break;
	case F_DCDATE:
		if (e->dcdate == 0)
			e->dcdate = watch_parse_date(v);
		free(v);
		break;
	}
	sb_free(&c->raw);
	tx_free(&c->text);
	free(c->base);
	c->base = NULL;
	c->depth = -1;
}

/* Gather the text of the element starting, at depth, into field of e. */
static void
capture_start(struct xreader *x, int depth, struct entry *e,
    enum field field, enum mode mode)
{
	struct capture *c = &x->cap;

	c->depth = depth;
	c->hidden_depth = -1;
	c->field = field;
	c->mode = mode;
	c->to = e;
	c->permalink = false;
	sb_init(&c->raw, mode == M_RAW ? VALUE_MAX : RAW_MAX);
	tx_init(&c->text, field_max(field), field != F_GUID);
	c->base = NULL;
	if (field == F_LINK) {
		const char *b = current_base(x);

		if (b != NULL && (c->base = strdup(b)) == NULL)
			x->nomem = true;
	}
	if (field == F_GUID) {
		char *p = get_attr(x, "isPermaLink");

		c->permalink = p == NULL || !eq_ci(p, strlen(p), "false");
		free(p);
	}
}

/* An element inside the capture (at depth, its name local): markup for
 * M_HTML, a space for a block otherwise; script and style hidden. */
static void
capture_element(struct xreader *x, const char *local, int depth, bool end)
{
	struct capture *c = &x->cap;
	size_t n = strlen(local);

	if (c->mode == M_RAW)
		return;
	if (c->mode == M_HTML) {
		sb_add(&c->raw, end ? "</" : "<", end ? 2 : 1);
		sb_add(&c->raw, local, n);
		sb_addc(&c->raw, '>');
		return;
	}
	if (is_block(local, n))
		tx_putc(&c->text, ' ');
	if (!end && c->hidden_depth < 0 && is_hidden(local, n))
		c->hidden_depth = depth;
	else if (end && depth == c->hidden_depth)
		c->hidden_depth = -1;
}

/* Text s[0..n) inside the capture, or (entity) the name of a reference
 * left unexpanded. */
static void
capture_text(struct xreader *x, const char *s, size_t n, bool entity)
{
	struct capture *c = &x->cap;
	uint32_t cp;

	if (s == NULL || c->hidden_depth >= 0)
		return;
	if (entity) {
		/* Never expanded: an HTML name is read from our table. */
		if ((cp = entity_lookup(s, n)) == 0)
			return;
		if (c->mode == M_HTML) {
			sb_addc(&c->raw, '&');
			sb_add(&c->raw, s, n);
			sb_addc(&c->raw, ';');
		} else if (c->mode != M_RAW) {
			tx_putc(&c->text, cp);
		}
		return;
	}
	if (c->mode == M_HTML || c->mode == M_RAW)
		sb_add(&c->raw, s, n);
	else
		tx_puts(&c->text, s, n);
}

/* An Atom <link>: an alternate one (rel absent or "alternate") is the
 * entry's link, an HTML one rather than another type. */
static void
atom_link(struct xreader *x, struct entry *e)
{
	char *rel = get_attr(x, "rel"), *href, *type;
	int rank;

	if (rel != NULL && rel[0] != '\0' && !eq_ci(rel, strlen(rel),
	    "alternate") && strcmp(rel,
	    "http://www.iana.org/assignments/relation/alternate") != 0) {
		free(rel);
		return;
	}
	free(rel);
	if ((href = get_attr(x, "href")) == NULL)
		return;
	type = get_attr(x, "type");
	rank = type == NULL || strstr(type, "html") != NULL ? 3 : 2;
	keep_link(e, watch_canonical_url(href, current_base(x)), rank);
	free(type);
	free(href);
}

/* A child of an RSS <item> or <channel>. */
static void
rss_field(struct xreader *x, struct entry *e, bool item, enum ns ns,
    const char *local, int depth)
{
	bool core = ns == NS_NONE || ns == NS_RSS;

	if (core && strcmp(local, "title") == 0)
		capture_start(x, depth, e, F_TITLE, M_HTML);
	else if (core && strcmp(local, "link") == 0)
		capture_start(x, depth, e, F_LINK, M_RAW);
	else if (!item)
		return;
	else if (core && strcmp(local, "guid") == 0)
		capture_start(x, depth, e, F_GUID, M_TEXT);
	else if (core && strcmp(local, "description") == 0)
		capture_start(x, depth, e, F_SUMMARY, M_HTML);
	else if (core && strcmp(local, "pubDate") == 0)
		capture_start(x, depth, e, F_PUBLISHED, M_RAW);
	else if (core && strcmp(local, "author") == 0)
		capture_start(x, depth, e, F_AUTHOR, M_TEXT);
	else if (ns == NS_DC && strcmp(local, "creator") == 0)
		capture_start(x, depth, e, F_CREATOR, M_TEXT);
	else if (ns == NS_DC && strcmp(local, "date") == 0)
		capture_start(x, depth, e, F_DCDATE, M_RAW);
	else if (ns == NS_CONTENT && strcmp(local, "encoded") == 0)
		capture_start(x, depth, e, F_CONTENT, M_HTML);
}

/* A child of an Atom <entry> or <feed>. */
static void
atom_field(struct xreader *x, struct entry *e, bool item,
    const char *local, int depth)
{
	char *type, *src;
	int mode;

	if (strcmp(local, "link") == 0) {
		atom_link(x, e);
	} else if (strcmp(local, "author") == 0) {
		if (x->author_depth < 0)
			x->author_depth = depth;
	} else if (strcmp(local, "title") == 0 || (item &&
	    (strcmp(local, "summary") == 0 || strcmp(local, "content") ==
	    0))) {
		src = get_attr(x, "src");
		type = get_attr(x, "type");
		mode = atom_mode(type);
		free(type);
		if (src == NULL && mode >= 0)
			capture_start(x, depth, e, local[0] == 't' ? F_TITLE :
			    local[0] == 's' ? F_SUMMARY : F_CONTENT,
			    (enum mode)mode);
		free(src);
	} else if (!item) {
		return;
	} else if (strcmp(local, "id") == 0) {
		capture_start(x, depth, e, F_GUID, M_TEXT);
	} else if (strcmp(local, "published") == 0) {
		capture_start(x, depth, e, F_PUBLISHED, M_RAW);
	} else if (strcmp(local, "updated") == 0) {
		capture_start(x, depth, e, F_UPDATED, M_RAW);
	}
}

/* An item or entry ends: kept unless it has nothing to know it by. */
static void
item_end(struct xreader *x)
{
	struct entry *e = &x->item;

	if (!x->item_skip && (e->link != NULL || e->guid != NULL ||
	    (e->title != NULL && e->title[0] != '\0'))) {
		if (!feed_push(x->f, &x->icap, e))
			x->nomem = true;
	}
	entry_clear(e);
	x->item_depth = -1;
	x->item_skip = false;
}

/* The root element: which kind of document this is. */
static enum outcome
root_element(struct xreader *x, enum ns ns, const char *local)
{
	x->root_seen = true;
	if (eq_ci(local, strlen(local), "rss") || (ns == NS_RDF &&
	    strcmp(local, "RDF") == 0)) {
		x->f->kind = WATCH_RSS;
		return X_FEED;
	}
	if (ns == NS_ATOM && strcmp(local, "feed") == 0) {
		x->f->kind = WATCH_ATOM;
		return X_FEED;
	}
	if (eq_ci(local, strlen(local), "html"))
		return X_HTML;
	return X_OTHER;
}

/* An element starts, at depth. */
static enum outcome
element_start(struct xreader *x, int depth, enum ns ns, const char *local)
{
	bool atom = x->f->kind == WATCH_ATOM;

	if (!x->root_seen) {
		enum outcome o = root_element(x, ns, local);

		/* Another root is read to its end: well-formed it is
		 * neither a feed nor a page, malformed it may be a page. */
		x->other = o == X_OTHER;
		return x->other ? X_FEED : o;
	}
	if (x->other)
		return X_FEED;
	if (x->cap.depth >= 0) {
		capture_element(x, local, depth, false);
		return X_FEED;
	}
	if (x->item_depth >= 0) {
		if (x->item_skip)
			return X_FEED;
		if (depth == x->item_depth + 1 && (atom ? ns == NS_ATOM :
		    true)) {
			if (atom)
				atom_field(x, &x->item, true, local, depth);
			else
				rss_field(x, &x->item, true, ns, local, depth);
		} else if (atom && x->author_depth >= 0 && depth ==
		    x->author_depth + 1 && ns == NS_ATOM &&
		    strcmp(local, "name") == 0) {
			capture_start(x, depth, &x->item, F_AUTHOR, M_TEXT);
		}
		return X_FEED;
	}
	if (atom) {
		if (ns != NS_ATOM)
			return X_FEED;
		if (depth == 1 && strcmp(local, "entry") == 0) {
			x->item_depth = depth;
			x->item_skip = x->f->nitems >= WATCH_FEED_MAX_ITEMS;
			x->author_depth = -1;
		} else if (depth == 1) {
			atom_field(x, &x->feed, false, local, depth);
		} else if (x->author_depth >= 0 && depth == x->author_depth +
		    1 && strcmp(local, "name") == 0) {
			capture_start(x, depth, &x->feed, F_AUTHOR, M_TEXT);
		}
		return X_FEED;
	}
	if ((ns == NS_NONE || ns == NS_RSS) && strcmp(local, "item") == 0 &&
	    (depth == 1 || (x->chan_depth >= 0 && depth == x->chan_depth +
	    1))) {
		x->item_depth = depth;
		x->item_skip = x->f->nitems >= WATCH_FEED_MAX_ITEMS;
	} else if ((ns == NS_NONE || ns == NS_RSS) && depth == 1 &&
	    strcmp(local, "channel") == 0) {
		x->chan_depth = depth;
	} else if (x->chan_depth >= 0 && depth == x->chan_depth + 1) {
		rss_field(x, &x->feed, false, ns, local, depth);
	}
	return X_FEED;
}

/* An element ends, at depth. */
static void
element_end(struct xreader *x, int depth, const char *local)
{
	if (x->cap.depth >= 0) {
		if (depth == x->cap.depth)
			capture_end(x);
		else if (depth > x->cap.depth)
			capture_element(x, local, depth, true);
		return;
	}
	if (depth == x->author_depth)
		x->author_depth = -1;
	else if (depth == x->item_depth)
		item_end(x);
	else if (depth == x->chan_depth)
		x->chan_depth = -1;
}

/* SAX2: an element starts. */
static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
    int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	struct xreader *x = sax_reader(ctx);
	const char *local = localname != NULL ? (const char *)localname : "";
	enum outcome o;
	int depth;

	(void)nb_namespaces;
	(void)namespaces;
	(void)nb_defaulted;
	if (x == NULL)
		return;
	depth = x->depth++;
	x->atts = attributes;
	x->natts = nb_attributes;
	pop_bases(x, depth);
	push_base(x, depth);
	o = element_start(x, depth, ns_of(uri, prefix), local);
	x->atts = NULL;
	x->natts = 0;
	if (x->nomem)
		o = X_NOMEM;
	if (o != X_FEED) {
		x->stop = o;
		xmlStopParser(x->ctxt);
	}
}

/* SAX2: an element ends. */
static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct xreader *x = sax_reader(ctx);

	(void)prefix;
	(void)uri;
	if (x == NULL || x->depth == 0)
		return;
	x->depth--;
	element_end(x, x->depth, localname != NULL ? (const char *)localname :
	    "");
	pop_bases(x, x->depth);
	if (x->nomem) {
		x->stop = X_NOMEM;
		xmlStopParser(x->ctxt);
	}
}

/* SAX2: text, CDATA or white space. */
static void
on_text(void *ctx, const xmlChar *s, int len)
{
	struct xreader *x = sax_reader(ctx);

	if (x != NULL && x->cap.depth >= 0 && len > 0)
		capture_text(x, (const char *)s, (size_t)len, false);
}

/* SAX2: an entity reference, left as it is (never expanded). */
static void
on_reference(void *ctx, const xmlChar *name)
{
	struct xreader *x = sax_reader(ctx);

	if (x != NULL && x->cap.depth >= 0 && name != NULL)
		capture_text(x, (const char *)name, strlen((const char *)name),
		    true);
}

/*
 * Read the XML document buf[0..len) into x->f, with libxml2's parser
 * pulling through the whole buffer (linear, where the push parser under
 * xmlTextReader is not on long texts: seconds for megabytes of CDATA)
 * and our SAX2 callbacks only: no tree, and entities resolved by
 * on_get_entity() alone.  X_FEED when it was an RSS or Atom
 * feed read to its end; X_HTML as soon as the root says it is a page;
 * X_OTHER for well-formed XML of another kind; X_MALFORMED on an XML
 * error (x->error_* name it).
 */
static enum outcome
xml_read(struct xreader *x, const char *buf, size_t len)
{
	xmlParserCtxtPtr ctxt;
	xmlSAXHandler *sax;
	enum outcome out;

	if ((ctxt = xmlCreateMemoryParserCtxt(buf, (int)len)) == NULL)
		return X_NOMEM;
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING);
	sax = ctxt->sax;
	memset(sax, 0, sizeof(*sax));
	sax->initialized = XML_SAX2_MAGIC;
	sax->startElementNs = on_start;
	sax->endElementNs = on_end;
	sax->characters = on_text;
	sax->ignorableWhitespace = on_text;
	sax->cdataBlock = on_text;
	sax->reference = on_reference;
	sax->getEntity = on_get_entity;
	sax->serror = on_xml_error;
	ctxt->userData = x;     /* see on_get_entity() */
	x->ctxt = ctxt;
	x->stop = X_FEED;
	xmlParseDocument(ctxt);

	if (x->stop != X_FEED)
		out = x->stop;
	else if (x->nomem || x->error_code == XML_ERR_NO_MEMORY)
		out = X_NOMEM;
	else if (!ctxt->wellFormed || !x->root_seen)
		out = X_MALFORMED;
	else if (x->other)
		out = X_OTHER;
	else
		out = X_FEED;
	x->ctxt = NULL;
	/* The document libxml2 makes in SAX mode to hold a DTD's
	 * declarations stays behind when the parse fails. */
	if (ctxt->myDoc != NULL)
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
	return out;
}

/* libxml2's error, said in French. */
static const char *
xml_error_text(int code)
{
	switch (code) {
	case XML_ERR_DOCUMENT_EMPTY:
	case XML_ERR_DOCUMENT_START:
		return _("document vide ou sans élément");
	case XML_ERR_DOCUMENT_END:
		return _("contenu après l'élément racine");
	case XML_ERR_INVALID_HEX_CHARREF:
	case XML_ERR_INVALID_DEC_CHARREF:
	case XML_ERR_INVALID_CHARREF:
	case XML_ERR_INVALID_CHAR:
		return _("caractère interdit");
	case XML_ERR_UNDECLARED_ENTITY:
		return _("entité inconnue");
	case XML_ERR_ENTITYREF_NO_NAME:
	case XML_ERR_ENTITYREF_SEMICOL_MISSING:
	case XML_ERR_NAME_REQUIRED:
		return _("« & » ou « < » isolé dans le texte");
	case XML_ERR_ENTITY_LOOP:
		return _("entités en boucle ou démesurées");
	case XML_ERR_LT_IN_ATTRIBUTE:
	case XML_ERR_ATTRIBUTE_NOT_STARTED:
	case XML_ERR_ATTRIBUTE_NOT_FINISHED:
	case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
	case XML_ERR_ATTRIBUTE_REDEFINED:
		return _("attribut mal formé");
	case XML_ERR_GT_REQUIRED:
	case XML_ERR_LTSLASH_REQUIRED:
		return _("balise mal formée");
	case XML_ERR_TAG_NAME_MISMATCH:
		return _("balise fermante qui ne correspond pas");
	case XML_ERR_TAG_NOT_FINISHED:
		return _("balise jamais fermée");
	case XML_ERR_CDATA_NOT_FINISHED:
		return _("section CDATA jamais fermée");
	case XML_ERR_COMMENT_NOT_FINISHED:
		return _("commentaire jamais fermé");
	case XML_ERR_UNSUPPORTED_ENCODING:
	case XML_ERR_INVALID_ENCODING:
		return _("encodage inconnu ou incorrect");
	case XML_ERR_RESERVED_XML_NAME:
		return _("déclaration XML mal placée");
	default:
		return _("XML invalide");
	}
}

/* ------------------------------------------------------------------ */
/* HTML pages, through SAX                                             */
/* ------------------------------------------------------------------ */

/* What a page says of itself, gathered by the SAX callbacks. */
struct hreader {
	struct text title;      /* the first <title>'s text */
	bool in_title, title_done;
	int foreign;            /* depth inside <svg> or <math> */
	char *og_title, *description, *og_description, *author, *published;
	char *canonical, *base, *feed;  /* hrefs as written */
	bool nomem;
};

/* The value of attribute name in atts (SAX pairs), or NULL. */
static const char *
sax_attr(const xmlChar **atts, const char *name)
{
	size_t i;

	if (atts == NULL)
		return NULL;
	for (i = 0; atts[i] != NULL; i += 2)
		if (eq_ci((const char *)atts[i], strlen((const char *)atts[i]),
		    name))
			return atts[i + 1] != NULL ? (const char *)atts[i + 1] :
			    "";
	return NULL;
}

/* Keep a copy of v (at most META_MAX bytes) in *slot, the first only. */
static void
keep_value(struct hreader *h, char **slot, const char *v)
{
	if (*slot != NULL || v == NULL)
		return;
	if ((*slot = strndup(v, META_MAX)) == NULL)
		h->nomem = true;
}

/* Whether the space-separated list v holds token, case ignored. */
static bool
has_token(const char *v, const char *token)
{
	const char *s = v, *e;

	while (s != NULL && *s != '\0') {
		while (is_ascii_space((unsigned char)*s))
			s++;
		for (e = s; *e != '\0' && !is_ascii_space((unsigned char)*e);
		    e++)
			;
		if (e > s && eq_ci(s, (size_t)(e - s), token))
			return true;
		s = e;
	}
	return false;
}

/* Whether a <link type> announces a feed: RSS or Atom, parameters
 * aside. */
static bool
is_feed_type(const char *type)
{
	const char *s = type, *e;

	if (s == NULL)
		return false;
	while (is_ascii_space((unsigned char)*s))
		s++;
	for (e = s; *e != '\0' && *e != ';' && !is_ascii_space(
	    (unsigned char)*e); e++)
		;
	return eq_ci(s, (size_t)(e - s), "application/rss+xml") ||
	    eq_ci(s, (size_t)(e - s), "application/atom+xml");
}

/* SAX: an element starts.  What the page says of itself is in its
 * head: <title>, <meta> (og:title, description, author, publication
 * time), <link> (alternate feed, canonical URL), <base>.  A <title>
 * inside SVG or MathML is not the page's. */
static void
on_html_start(void *ctx, const xmlChar *uname, const xmlChar **atts)
{
	struct hreader *h = ((htmlParserCtxtPtr)ctx)->_private;
	const char *name = (const char *)uname, *v;

	if (name == NULL)
		return;
	if (strcmp(name, "svg") == 0 || strcmp(name, "math") == 0)
		h->foreign++;
	if (h->foreign > 0)
		return;
	if (strcmp(name, "title") == 0) {
		h->in_title = !h->title_done;
	} else if (strcmp(name, "meta") == 0) {
		const char *prop = sax_attr(atts, "property");
		const char *mname = sax_attr(atts, "name");
		const char *content = sax_attr(atts, "content");

		if (prop == NULL)
			prop = "";
		if (mname == NULL)
			mname = "";
		if (eq_ci(prop, strlen(prop), "og:title"))
			keep_value(h, &h->og_title, content);
		else if (eq_ci(prop, strlen(prop), "og:description"))
			keep_value(h, &h->og_description, content);
		else if (eq_ci(prop, strlen(prop), "article:published_time"))
			keep_value(h, &h->published, content);
		else if (eq_ci(mname, strlen(mname), "description"))
			keep_value(h, &h->description, content);
		else if (eq_ci(mname, strlen(mname), "author"))
			keep_value(h, &h->author, content);
	} else if (strcmp(name, "link") == 0) {
		const char *rel = sax_attr(atts, "rel");
		const char *href = sax_attr(atts, "href");

		if (rel == NULL || href == NULL)
			return;
		if (has_token(rel, "alternate") &&
		    is_feed_type(sax_attr(atts, "type")))
			keep_value(h, &h->feed, href);
		else if (has_token(rel, "canonical"))
			keep_value(h, &h->canonical, href);
	} else if (strcmp(name, "base") == 0) {
		if ((v = sax_attr(atts, "href")) != NULL)
			keep_value(h, &h->base, v);
	}
}

/* SAX: an element ends. */
static void
on_html_end(void *ctx, const xmlChar *uname)
{
	struct hreader *h = ((htmlParserCtxtPtr)ctx)->_private;
	const char *name = (const char *)uname;

	if (name == NULL)
		return;
	if ((strcmp(name, "svg") == 0 || strcmp(name, "math") == 0) &&
	    h->foreign > 0)
		h->foreign--;
	else if (strcmp(name, "title") == 0 && h->in_title) {
		h->in_title = false;
		h->title_done = true;
	}
}

/* SAX: text, kept while inside the page's <title>. */
static void
on_html_text(void *ctx, const xmlChar *s, int len)
{
	struct hreader *h = ((htmlParserCtxtPtr)ctx)->_private;

	if (h->in_title && h->foreign == 0 && len > 0)
		tx_puts(&h->title, (const char *)s, (size_t)len);
}

/* s as plain text of at most max characters, a new string (caller
 * frees); "" for NULL; NULL when out of memory. */
static char *
plain(const char *s, size_t max)
{
	struct text t;

	tx_init(&t, max, true);
	if (s != NULL)
		tx_puts(&t, s, strlen(s));
	return tx_take(&t);
}

/* The host of the canonical URL u (scheme "://" host…), length in *n. */
static const char *
url_host(const char *u, size_t *n)
{
	const char *h = strstr(u, "://"), *e;

	h = h != NULL ? h + 3 : u;
	if (*h == '[') {
		e = strchr(h, ']');
		e = e != NULL ? e + 1 : h + strlen(h);
	} else {
		e = h + strcspn(h, ":/");
	}
	*n = (size_t)(e - h);
	return h;
}

/* Whether canonical URLs a and b name the same host. */
static bool
same_host(const char *a, const char *b)
{
	size_t na, nb;
	const char *ha = url_host(a, &na), *hb = url_host(b, &nb);

	return na == nb && memcmp(ha, hb, na) == 0;
}

/*
 * The page data[0..len) into f: its title (<title>, else og:title), its
 * URL (its <link rel=canonical> when on the same host as docbase, else
 * docbase), the feed it announces, and one item for the page itself.
 */
static vg_rc
page_read(struct watch_feed *f, const char *data, size_t len,
    const char *docbase)
{
	struct hreader h;
	htmlParserCtxtPtr ctxt;
	struct entry e;
	char *base = NULL, *page = NULL, *title = NULL;
	const char *b;
	size_t icap = 0;
	vg_rc rc = VG_ENOMEM;

	memset(&h, 0, sizeof(h));
	memset(&e, 0, sizeof(e));
	tx_init(&h.title, WATCH_TITLE_MAX, true);
	if ((ctxt = htmlCreateMemoryParserCtxt(data, (int)len)) == NULL)
		goto done;
	htmlCtxtUseOptions(ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING);
	/* Our callbacks only: no tree is built, nothing is printed. */
	memset(ctxt->sax, 0, sizeof(*ctxt->sax));
	ctxt->sax->startElement = on_html_start;
	ctxt->sax->endElement = on_html_end;
	ctxt->sax->characters = on_html_text;
	ctxt->_private = &h;
	htmlParseDocument(ctxt);
	if (ctxt->myDoc != NULL)
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	htmlFreeParserCtxt(ctxt);
	if (h.nomem || h.title.failed)
		goto done;

	f->kind = WATCH_PAGE;
	if (h.base != NULL)
		base = watch_canonical_url(h.base, docbase);
	b = base != NULL ? base : docbase;
	if (h.canonical != NULL && (page = watch_canonical_url(h.canonical,
	    b)) != NULL && docbase != NULL && !same_host(page, docbase)) {
		free(page);
		page = NULL;
	}
	if (page == NULL && docbase != NULL && (page = strdup(docbase)) ==
	    NULL)
		goto done;
	if (h.feed != NULL)
		f->feed_url = watch_canonical_url(h.feed, b);
	if ((title = tx_take(&h.title)) == NULL)
		goto done;
	if (title[0] == '\0') {
		free(title);
		if ((title = plain(h.og_title, WATCH_TITLE_MAX)) == NULL)
			goto done;
	}
	if ((f->title = strdup(title)) == NULL)
		goto done;
	if (page != NULL && (f->link = strdup(page)) == NULL)
		goto done;

	e.title = title;
	title = NULL;
	e.link = page;
	e.link_rank = 3;
	page = NULL;
	if (e.link != NULL && (e.guid = strdup(e.link)) == NULL)
		goto done;
	if ((e.summary = plain(h.description != NULL ? h.description :
	    h.og_description, WATCH_SUMMARY_MAX)) == NULL)
		goto done;
	if (h.author != NULL && (e.author = plain(h.author, WATCH_TITLE_MAX))
	    == NULL)
		goto done;
	if (e.author != NULL && e.author[0] == '\0') {
		free(e.author);         /* blank: absent */
		e.author = NULL;
	}
	e.published = watch_parse_date(h.published);
	if ((e.link != NULL || e.title[0] != '\0') && !feed_push(f, &icap, &e))
		goto done;
	rc = VG_OK;
done:
	entry_clear(&e);
	free(title);
	free(page);
	free(base);
	tx_free(&h.title);
	free(h.og_title);
	free(h.description);
	free(h.og_description);
	free(h.author);
	free(h.published);
	free(h.canonical);
	free(h.base);
	free(h.feed);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The document                                                        */
/* ------------------------------------------------------------------ */

/* Whether the XML declaration at p[0..n), if any, leaves the document in
 * UTF-8 (no encoding named, or UTF-8 named). */
static bool
xml_says_utf8(const char *p, size_t n)
{
	const char *end, *s;
	size_t lim = n < 512 ? n : 512, k;
	char q;

	if (!prefix_ci(p, n, "<?xml"))
		return true;
	for (end = p; end + 1 < p + lim && !(end[0] == '?' && end[1] == '>');
	    end++)
		;
	for (s = p; s + 8 <= end && memcmp(s, "encoding", 8) != 0; s++)
		;
	if (s + 8 > end)
		return true;
	for (s += 8; s < end && is_ascii_space((unsigned char)*s); s++)
		;
	if (s >= end || *s++ != '=')
		return true;
	while (s < end && is_ascii_space((unsigned char)*s))
		s++;
	if (s >= end || (*s != '"' && *s != '\''))
		return true;
	q = *s++;
	for (k = 0; s + k < end && s[k] != q; k++)
		;
	return eq_ci(s, k, "utf-8") || eq_ci(s, k, "utf8");
}

/*
 * data[0..len) with every malformed UTF-8 byte and every control XML
 * forbids (C0 but tab, LF, CR) replaced by U+FFFD, so that libxml2 reads
 * the rest instead of giving up.  A new buffer (caller frees) and its
 * length in *outlen; NULL with *nomem false when nothing needed
 * replacing.
 */
static char *
utf8_repair(const char *data, size_t len, size_t *outlen, bool *nomem)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0, k, o = 0;
	uint32_t cp;
	char *out;

	*nomem = false;
	for (; i < len; i += k) {
		cp = utf8_next(p + i, len - i, &k);
		if ((cp == 0xfffd && k == 1) || (cp < 0x20 && cp != '\t' &&
		    cp != '\n' && cp != '\r'))
			break;
	}
	if (i == len)
		return NULL;
	if ((out = malloc(len * 3 + 1)) == NULL) {
		*nomem = true;
		return NULL;
	}
	memcpy(out, data, i);
	o = i;
	for (; i < len; i += k) {
		cp = utf8_next(p + i, len - i, &k);
		if ((cp == 0xfffd && k == 1) || (cp < 0x20 && cp != '\t' &&
		    cp != '\n' && cp != '\r')) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
		} else {
			memcpy(out + o, p + i, k);
			o += k;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* Whether data[0..len) shows an HTML page's elements somewhere. */
static bool
looks_like_html(const char *data, size_t len)
{
	static const char *const marks[] = {"<html", "<head", "<body",
	    "<title", "<!doctype html"};
	const char *p = data, *end = data + len;
	size_t i, k;

	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		for (i = 0; i < VG_ARRAY_LEN(marks); i++) {
			k = strlen(marks[i]);
			if (prefix_ci(p, (size_t)(end - p), marks[i]) &&
			    (p + k == end || is_ascii_space((unsigned char)p[k])
			    || p[k] == '>' || p[k] == '/'))
				return true;
		}
		p++;
	}
	return false;
}

/* Whether the document at p[0..n) (after BOM and white space) claims to
 * be XML or a feed by its first characters. */
static bool
claims_feed(const char *p, size_t n)
{
	static const char *const starts[] = {"<?xml", "<rss", "<feed",
	    "<rdf:rdf"};
	size_t i, k;

	for (i = 0; i < VG_ARRAY_LEN(starts); i++) {
		k = strlen(starts[i]);
		if (prefix_ci(p, n, starts[i]) && (k == n ||
		    is_ascii_space((unsigned char)p[k]) || p[k] == '>' ||
		    p[k] == '/' || p[k] == '?'))
			return true;
	}
	return false;
}

/* The index after the first occurrence of w in p[i..n), or n. */
static size_t
skip_past(const char *p, size_t n, size_t i, const char *w)
{
	size_t k = strlen(w);

	for (; i + k <= n; i++)
		if (memcmp(p + i, w, k) == 0)
			return i + k;
	return n;
}

/*
 * Whether the first element of p[0..n) is named like a feed's root (rss,
 * feed, RDF, whatever the prefix), past the XML declaration, comments,
 * processing instructions and a document type with its internal subset.
 * The streaming reader may meet an error before it hands over the root,
 * so the root's claim is read from the bytes.
 */
static bool
root_claims_feed(const char *p, size_t n)
{
	size_t i = 0, k, depth;
	const char *name;
	char q;

	for (;;) {
		while (i < n && is_ascii_space((unsigned char)p[i]))
			i++;
		if (i + 1 >= n || p[i] != '<')
			return false;
		if (p[i + 1] == '?') {
			i = skip_past(p, n, i + 2, "?>");
		} else if (prefix_ci(p + i, n - i, "<!--")) {
			i = skip_past(p, n, i + 4, "-->");
		} else if (prefix_ci(p + i, n - i, "<!doctype")) {
			/* To its '>', past a bracketed subset and quotes. */
			for (i += 9, depth = 0; i < n; i++) {
				if (p[i] == '"' || p[i] == '\'') {
					q = p[i];
					for (i++; i < n && p[i] != q; i++)
						;
				} else if (p[i] == '[') {
					depth++;
				} else if (p[i] == ']' && depth > 0) {
					depth--;
				} else if (p[i] == '>' && depth == 0) {
					break;
				}
			}
			i++;
		} else {
			break;
		}
	}
	name = p + i + 1;
	for (k = 0; name + k < p + n && (is_alpha((unsigned char)name[k]) ||
	    is_digit((unsigned char)name[k]) || name[k] == ':' ||
	    name[k] == '-' || name[k] == '_' || name[k] == '.'); k++)
		;
	for (i = k; i > 0 && name[i - 1] != ':'; i--)
		;
	return eq_ci(name + i, k - i, "rss") || eq_ci(name + i, k - i,
	    "feed") || eq_ci(name + i, k - i, "rdf");
}

/* One line of message into err. */
static void
set_error(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Release what the reader holds (after xml_read()). */
static void
xreader_done(struct xreader *x)
{
	sb_free(&x->cap.raw);
	tx_free(&x->cap.text);
	free(x->cap.base);
	x->cap.base = NULL;
	entry_clear(&x->item);
	entry_clear(&x->feed);
	pop_bases(x, 0);
}

/* The feed read: its own title and link; Atom entries without an
 * author take the feed's. */
static bool
feed_finish(struct watch_feed *f, struct xreader *x)
{
	size_t i;

	f->title = x->feed.title != NULL ? x->feed.title : strdup("");
	x->feed.title = NULL;
	f->link = x->feed.link;
	x->feed.link = NULL;
	if (f->title == NULL)
		return false;
	if (f->kind == WATCH_ATOM && x->feed.author != NULL)
		for (i = 0; i < f->nitems; i++)
			if (f->items[i].author == NULL &&
			    (f->items[i].author = strdup(x->feed.author)) ==
			    NULL)
				return false;
	return true;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2's generic error channel, silenced: its encoding layer reports
 * there, with no parser to relay to our handler. */
static void
quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/*
 * See feed.h.  The first bytes say how to read the document: nothing
 * that starts with '<' (after a BOM and white space) is neither a feed
 * nor a page; a document that claims to be XML or a feed (declaration,
 * feed root) is read as XML and only as XML; the rest is tried as XML,
 * then, when it fails and shows HTML elements, as a page.
 */
vg_rc
watch_feed_parse(const char *data, size_t len, const char *url,
    struct watch_feed **out, char *err, size_t errlen)
{
	struct watch_feed *f = NULL;
	struct xreader x;
	char *fixed = NULL, *docbase = NULL;
	const char *p, *doc;
	size_t n, doclen;
	int skipped_lines = 0;
	bool wide, claim, nomem;
	enum outcome o;
	xmlGenericErrorFunc old_handler;
	void *old_context;
	vg_rc rc = VG_EINVAL;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (out == NULL)
		return VG_EINVAL;
	*out = NULL;
	if (len > WATCH_FEED_MAX_BYTES) {
		set_error(err, errlen, _("document trop gros (plus de %u Mo)"),
		    (unsigned)(WATCH_FEED_MAX_BYTES >> 20));
		return VG_ETOOBIG;
	}
	if (data == NULL)
		len = 0;
	pthread_once(&xml_once, xmlInitParser);
	/* Per thread in libxml2: set back before returning. */
	old_handler = xmlGenericError;
	old_context = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, quiet);

	/* UTF-16 or 32 (a BOM, or a NUL among the first bytes) is left to
	 * libxml2; else skip a UTF-8 BOM and white space to see what the
	 * document starts with. */
	wide = len >= 2 && (((unsigned char)data[0] == 0xfe &&
	    (unsigned char)data[1] == 0xff) || ((unsigned char)data[0] ==
	    0xff && (unsigned char)data[1] == 0xfe) || memchr(data, '\0',
	    len < 4 ? len : 4) != NULL);
	p = data;
	n = len;
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		p += 3;
		n -= 3;
	}
	while (n > 0 && is_ascii_space((unsigned char)*p)) {
		p++;
		n--;
	}
	if (!wide && (n == 0 || *p != '<'))
		goto neither;
	claim = wide || claims_feed(p, n) || root_claims_feed(p, n);

	if ((f = calloc(1, sizeof(*f))) == NULL)
		goto nomem;
	if (url != NULL)
		docbase = watch_canonical_url(url, NULL);
	doc = data;
	doclen = len;
	if (!wide && p != data && prefix_ci(p, n, "<?xml")) {
		/* White space before the XML declaration (PHP sites send
		 * some) is forgiven: the reading starts at it, and errors
		 * still name the lines of the whole document. */
		for (doc = data; doc < p; doc++)
			skipped_lines += *doc == '\n';
		doclen = n;
	}
	if (!wide && xml_says_utf8(p, n)) {
		fixed = utf8_repair(doc, doclen, &doclen, &nomem);
		if (nomem)
			goto nomem;
		if (fixed != NULL)
			doc = fixed;
	}

	memset(&x, 0, sizeof(x));
	x.f = f;
	x.chan_depth = x.item_depth = x.author_depth = x.cap.depth = -1;
	x.docbase = docbase;
	o = xml_read(&x, doc, doclen);
	if (o == X_FEED && !feed_finish(f, &x))
		o = X_NOMEM;
	xreader_done(&x);
	switch (o) {
	case X_FEED:
		rc = VG_OK;
		goto done;
	case X_NOMEM:
		goto nomem;
	case X_OTHER:
		goto neither;
	case X_MALFORMED:
		/* Broken XML is a page ("<head>…" without <html>, HTML
		 * that is not XHTML) unless it claimed to be a feed. */
		if (claim || f->kind != 0) {
			set_error(err, errlen, _("flux mal formé (ligne %d : "
			    "%s)"), x.error_line + skipped_lines, xml_error_text(
			    x.error_code));
			rc = VG_EINVAL;
			goto done;
		}
		if (wide || !looks_like_html(data, len))
			goto neither;
		break;
	case X_HTML:
		break;
	}
	/* A web page: what the XML reading gathered goes. */
	watch_feed_free(f);
	if ((f = calloc(1, sizeof(*f))) == NULL)
		goto nomem;
	if ((rc = page_read(f, data, len, docbase)) != VG_OK)
		goto nomem;
	goto done;

neither:
	set_error(err, errlen, "%s", _("ce n'est ni un flux RSS ou Atom, ni "
	    "une page web"));
	rc = VG_EINVAL;
	goto done;
nomem:
	set_error(err, errlen, "%s", _("mémoire insuffisante"));
	rc = VG_ENOMEM;
done:
	xmlSetGenericErrorFunc(old_context, old_handler);
	free(fixed);
	free(docbase);
	if (rc == VG_OK) {
		*out = f;
		if (err != NULL && errlen > 0)
			err[0] = '\0';
	} else {
		watch_feed_free(f);
	}
	return rc;
}

/* See feed.h: everything the feed holds, and the feed. */
void
watch_feed_free(struct watch_feed *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nitems; i++) {
		free(f->items[i].guid);
		free(f->items[i].link);
		free(f->items[i].title);
		free(f->items[i].summary);
		free(f->items[i].author);
	}
	free(f->items);
	free(f->title);
	free(f->link);
	free(f->feed_url);
	free(f);
}
