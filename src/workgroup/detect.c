/*
 * detect.c — the detector of identifying data (see detect.h).
 *
 * One pass over the text: at each code point that may start something
 * (a digit, a '+', a letter), every recogniser is tried and the longest
 * match kept; a match that overlaps the one pending replaces it only if
 * it is longer.  Nothing is allocated, so the cost is linear and bounded
 * (each recogniser reads at most a few words of at most WORD_MAX bytes).
 *
 * The recognisers are written by hand rather than with regex.h: they
 * need UTF-8 letters, the NIR's key and the first-name list, and a
 * POSIX regex would not say where a French word starts.
 *
 * The first names come from two lists read at start: the one
 * scripts/firstnames.mjs writes from @faker-js/faker and the editable
 * content/workgroup/prenoms.txt, minus content/workgroup/prenoms-exclus.txt.
 * They are compared folded: lower case, accents removed ("Lea" finds
 * "Léa"), since people writing about someone often drop accents.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "workgroup/detect.h"

#define WORD_MAX        64      /* bytes of a word worth looking at */
#define FOLD_MAX        (2 * WORD_MAX + 1)
#define FAKER_LIST      "node_modules/.vigie/prenoms.txt"
#define EXTRA_LIST      "content/workgroup/prenoms.txt"
#define EXCLUDED_LIST   "content/workgroup/prenoms-exclus.txt"

typedef unsigned char uchar;

/* The first names, folded, sorted, unique. */
static char **names;
static size_t nnames;

/* ---- UTF-8 and letters ---- */

/*
 * The code point at s[i] (i < n) in *cp; returns its length.  A malformed
 * sequence reads as one byte of U+FFFD, which is neither a letter nor a
 * space, so that no match starts or ends inside it.
 */
static size_t
decode(const uchar *s, size_t n, size_t i, uint32_t *cp)
{
	uint32_t c = s[i], min;
	size_t need, k;

	*cp = 0xfffd;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 1;
	}
	if (n - i <= need)
		return 1;
	for (k = 1; k <= need; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return 1;
		c = (c << 6) | (s[i + k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 1;
	*cp = c;
	return need + 1;
}

/* The code point that ends at s[i] (i > 0), or U+FFFD. */
static uint32_t
before(const uchar *s, size_t i)
{
	size_t j = i - 1, back = 0;
	uint32_t cp;

	while (j > 0 && back < 3 && (s[j] & 0xc0) == 0x80) {
		j--;
		back++;
	}
	if (decode(s, i, j, &cp) != i - j)
		return 0xfffd;
	return cp;
}

/* Latin-1 and Latin Extended-A letters without their accents; upper case
 * stays upper case so that the same table says which letters are. */
static const char latin1[] =
    "AAAAAA\0CEEEEIIII" "DNOOOOO\0OUUUUY\0s"
    "aaaaaa\0ceeeeiiii" "dnooooo\0ouuuuy\0y";
static const char latin_a[] =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLl"
    "NnNnNnnNnOoOoOo\0\0RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
_Static_assert(sizeof(latin1) == 65, "Latin-1 table");
_Static_assert(sizeof(latin_a) == 129, "Latin Extended-A table");

static bool
is_letter(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	if (cp < 0xc0)
		return cp == 0xaa || cp == 0xb5 || cp == 0xba;
	if (cp == 0xd7 || cp == 0xf7)
		return false;
	/* Punctuation, symbols, spaces, private use and specials are not
	 * letters; the rest of the scripts is, roughly. */
	return !(cp >= 0x2000 && cp <= 0x2bff) &&
	    !(cp >= 0x3000 && cp <= 0x303f) &&
	    !(cp >= 0xe000 && cp <= 0xf8ff) &&
	    !(cp >= 0xfe00 && cp <= 0xfe6f) && !(cp >= 0xfff0 && cp <= 0xffff);
}

static bool
is_upper(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z';
	if (cp >= 0xc0 && cp <= 0xde)
		return cp != 0xd7;
	if (cp == 0x152)                /* Œ */
		return true;
	if (cp >= 0x100 && cp <= 0x17f)
		return latin_a[cp - 0x100] >= 'A' &&
		    latin_a[cp - 0x100] <= 'Z';
	if (cp >= 0x391 && cp <= 0x3a9)
		return true;
	return cp >= 0x410 && cp <= 0x42f;
}

static bool
is_digit(uchar c)
{
	return c >= '0' && c <= '9';
}

/* A letter or a digit at s[i]. */
static bool
alnum_at(const uchar *s, size_t n, size_t i)
{
	uint32_t cp;

	if (i >= n)
		return false;
	decode(s, n, i, &cp);
	return is_letter(cp) || (cp < 0x80 && is_digit((uchar)cp));
}

/* A letter or a digit just before s[i]. */
static bool
alnum_before(const uchar *s, size_t i)
{
	uint32_t cp;

	if (i == 0)
		return false;
	cp = before(s, i);
	return is_letter(cp) || (cp < 0x80 && is_digit((uchar)cp));
}

/* Length of the horizontal space at s[i] (space, tab, no-break spaces),
 * 0 if none. */
static size_t
hspace(const uchar *s, size_t n, size_t i)
{
	if (i >= n)
		return 0;
	if (s[i] == ' ' || s[i] == '\t')
		return 1;
	if (n - i >= 2 && s[i] == 0xc2 && s[i + 1] == 0xa0)
		return 2;
	if (n - i >= 3 && s[i] == 0xe2 && s[i + 1] == 0x80 &&
	    (s[i + 2] == 0xaf || s[i + 2] == 0x89))
		return 3;
	return 0;
}

/* After any horizontal space at s[i]. */
static size_t
skip_hspace(const uchar *s, size_t n, size_t i)
{
	size_t k, count = 0;

	while (count < 8 && (k = hspace(s, n, i)) > 0) {
		i += k;
		count++;
	}
	return i;
}

/*
 * Appends the folded form of cp (lower case, no accent, œ as "oe", ’ as
 * ') to out[*len], within FOLD_MAX; false if it does not fit.
 */
static bool
fold_cp(uint32_t cp, char *out, size_t *len)
{
	char buf[4];
	size_t k = 0, i;
	char c = 0;

	if (cp < 0x80)
		c = (char)cp;
	else if (cp >= 0xc0 && cp <= 0xff)
		c = latin1[cp - 0xc0];
	else if (cp >= 0x100 && cp <= 0x17f)
		c = latin_a[cp - 0x100];
	else if (cp == 0x2019)
		c = '\'';
	if (cp == 0xc6 || cp == 0xe6) {
		buf[k++] = 'a';
		buf[k++] = 'e';
	} else if (cp == 0x152 || cp == 0x153) {
		buf[k++] = 'o';
		buf[k++] = 'e';
	} else if (cp == 0xdf) {
		buf[k++] = 's';
		buf[k++] = 's';
	} else if (c != 0) {
		buf[k++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	} else if (cp < 0x800) {
		buf[k++] = (char)(0xc0 | (cp >> 6));
		buf[k++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		buf[k++] = (char)(0xe0 | (cp >> 12));
		buf[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[k++] = (char)(0x80 | (cp & 0x3f));
	} else {
		buf[k++] = (char)(0xf0 | (cp >> 18));
		buf[k++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		buf[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[k++] = (char)(0x80 | (cp & 0x3f));
	}
	if (*len + k >= FOLD_MAX)
		return false;
	for (i = 0; i < k; i++)
		out[(*len)++] = buf[i];
	out[*len] = '\0';
	return true;
}

/* The folded form of s[a..b) in out; false if too long. */
static bool
fold(const uchar *s, size_t a, size_t b, char *out)
{
	size_t len = 0;
	uint32_t cp;

	out[0] = '\0';
	while (a < b) {
		a += decode(s, b, a, &cp);
		if (!fold_cp(cp, out, &len))
			return false;
	}
	return true;
}

/* Whether folded w is one of the NULL-terminated words. */
static bool
one_of(const char *w, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(w, *list) == 0)
			return true;
	return false;
}

/*
 * The end of the word at s[i]: letters, possibly joined by one hyphen or
 * apostrophe (', ’) each; 0 if no word starts there or it is longer than
 * WORD_MAX.  *caps counts its letters and *upper its upper-case ones.
 */
static size_t
word_end(const uchar *s, size_t n, size_t i, size_t *letters, size_t *upper)
{
	size_t start = i, k;
	uint32_t cp;

	*letters = *upper = 0;
	for (;;) {
		while (i < n) {
			k = decode(s, n, i, &cp);
			if (!is_letter(cp))
				break;
			(*letters)++;
			if (is_upper(cp))
				(*upper)++;
			i += k;
			if (i - start > WORD_MAX)
				return 0;
		}
		if (i == start || i >= n)
			break;
		/* A joiner followed by a letter continues the word. */
		k = s[i] == '-' || s[i] == '\'' ? 1 :
		    (n - i >= 3 && s[i] == 0xe2 && s[i + 1] == 0x80 &&
		    s[i + 2] == 0x99) ? 3 : 0;
		if (k == 0 || i + k >= n)
			break;
		decode(s, n, i + k, &cp);
		if (!is_letter(cp))
			break;
		i += k;
	}
	return *letters > 0 ? i : 0;
}

/* Whether the word at s[i] starts with an upper-case letter. */
static bool
starts_upper(const uchar *s, size_t n, size_t i)
{
	uint32_t cp;

	decode(s, n, i, &cp);
	return is_upper(cp);
}

/* ---- e-mail addresses ---- */

static bool
local_char(uchar c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' &&
	    c <= 'Z') || c == '.' || c == '_' || c == '%' || c == '+' ||
	    c == '-';
}

static bool
ascii_alnum(uchar c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static size_t
try_email(const uchar *s, size_t n, size_t i)
{
	size_t j = i, at, end, label, tld;
	bool tld_alpha = true;

	if (!ascii_alnum(s[i]) || (i > 0 && (local_char(s[i - 1]) ||
	    alnum_before(s, i))))
		return 0;
	while (j < n && j - i <= 64 && local_char(s[j]))
		j++;
	if (j >= n || s[j] != '@' || s[j - 1] == '.')
		return 0;
	at = j++;
	end = j;
	label = j;
	tld = 0;
	while (j < n && j - at <= 255 && (ascii_alnum(s[j]) || s[j] == '-' ||
	    s[j] == '.')) {
		if (s[j] == '.') {
			if (j == label || s[j - 1] == '-')
				break;
			label = j + 1;
		} else if (s[j] != '-' || j != label) {
			if (j == label)
				tld_alpha = true;
			if (is_digit(s[j]))
				tld_alpha = false;
			if (s[j] != '-') {
				end = j + 1;
				tld = label;
			}
		} else {
			break;
		}
		j++;
	}
	/* At least two labels, the last of two letters or more. */
	if (tld <= at + 1 || end - tld < 2 || !tld_alpha || alnum_at(s, n, end))
		return 0;
	return end - i;
}

/* ---- phone numbers ---- */

/* The kind of separator at s[i] between groups of digits and its length
 * in *len: 0 none, then space, dot, hyphen, no-break spaces. */
static int
sep_at(const uchar *s, size_t n, size_t i, size_t *len)
{
	*len = 0;
	if (i >= n)
		return 0;
	if (s[i] == ' ' || s[i] == '.' || s[i] == '-') {
		*len = 1;
		return s[i];
	}
	if ((*len = hspace(s, n, i)) > 1)
		return 0x100 | s[i + *len - 1];
	*len = 0;
	return 0;
}

/*
 * Reads groups of digits of the sizes given (NUL-terminated), with the
 * same separator (or none) between each; returns the end, 0 if they are
 * not there.  digits[] gets the digits read.
 */
static size_t
groups(const uchar *s, size_t n, size_t i, const char *sizes, char *digits)
{
	int kind = -1, k;
	size_t g, d, len, nd = 0;

	for (g = 0; sizes[g] != '\0'; g++) {
		if (g > 0) {
			k = sep_at(s, n, i, &len);
			if (kind >= 0 && k != kind)
				return 0;
			kind = k;
			if (k != 0 && !(i + len < n && is_digit(s[i + len])))
				return 0;
			i += len;
		}
		for (d = 0; d < (size_t)(sizes[g] - '0'); d++, i++) {
			if (i >= n || !is_digit(s[i]))
				return 0;
			digits[nd++] = (char)s[i];
		}
	}
	digits[nd] = '\0';
	/* Not the beginning of a longer number. */
	if (i < n && is_digit(s[i]))
		return 0;
	k = sep_at(s, n, i, &len);
	if (k != 0 && kind > 0 && k == kind && i + len < n &&
	    is_digit(s[i + len]))
		return 0;
	return i;
}

static size_t
try_phone(const uchar *s, size_t n, size_t i)
{
	char digits[16];
	size_t j = i, len, end;

	if (i > 0 && (alnum_before(s, i) || s[i - 1] == '+' ||
	    s[i - 1] == '.' || s[i - 1] == ',' || s[i - 1] == '/'))
		return 0;
	if (s[i] == '0' && !(n - i >= 4 && memcmp(s + i, "0033", 4) == 0)) {
		end = groups(s, n, i, "22222", digits);
		return end != 0 && digits[1] != '0' ? end - i : 0;
	}
	if (n - i >= 3 && memcmp(s + i, "+33", 3) == 0)
		j += 3;
	else if (n - i >= 4 && memcmp(s + i, "0033", 4) == 0)
		j += 4;
	else
		return 0;
	if (sep_at(s, n, j, &len) != 0 && s[j] != '.')
		j += len;
	if (n - j >= 3 && memcmp(s + j, "(0)", 3) == 0) {
		j += 3;
		if (sep_at(s, n, j, &len) != 0 && s[j] != '.')
			j += len;
	}
	end = groups(s, n, j, "12222", digits);
	return end != 0 && digits[0] != '0' ? end - i : 0;
}

/* ---- social security numbers (NIR) ---- */

static size_t
try_nir(const uchar *s, size_t n, size_t i)
{
	static const size_t sizes[] = { 1, 2, 2, 2, 3, 3, 2 };
	char c[16];
	size_t g, d, j = i, len, nc = 0;
	int kind = -1, k, month;
	uint64_t num = 0;

	if ((s[i] != '1' && s[i] != '2' && s[i] != '7' && s[i] != '8') ||
	    alnum_before(s, i))
		return 0;
	for (g = 0; g < VG_ARRAY_LEN(sizes); g++) {
		if (g > 0) {
			k = sep_at(s, n, j, &len);
			if (k == '-' || (kind >= 0 && k != kind && k != 0))
				return 0;
			if (k != 0)
				kind = k;
			j += len;
		}
		for (d = 0; d < sizes[g]; d++, j++) {
			if (j >= n)
				return 0;
			/* Corsica: 2A and 2B in the département. */
			if (!is_digit(s[j]) && !(g == 3 && d == 1 &&
			    c[nc - 1] == '2' && (s[j] == 'A' || s[j] == 'B' ||
			    s[j] == 'a' || s[j] == 'b')))
				return 0;
			c[nc++] = (char)s[j];
		}
	}
	if (alnum_at(s, n, j))
		return 0;
	month = (c[3] - '0') * 10 + (c[4] - '0');
	if (month == 0 || (month > 12 && month < 20) || (month > 42 &&
	    month < 50))
		return 0;
	for (d = 0; d < 13; d++) {
		if (d == 5 && (c[6] == 'A' || c[6] == 'a'))
			num = num * 100 + 19;
		else if (d == 5 && (c[6] == 'B' || c[6] == 'b'))
			num = num * 100 + 18;
		else if (d == 6 && !is_digit((uchar)c[6]))
			continue;
		else
			num = num * 10 + (uint64_t)(c[d] - '0');
	}
	if (97 - num % 97 != (uint64_t)((c[13] - '0') * 10 + (c[14] - '0')))
		return 0;
	return j - i;
}

/* ---- licence plates ---- */

static bool
plate_letter(uchar c, bool lower)
{
	if (lower && c >= 'a' && c <= 'z')
		c = (uchar)(c - 'a' + 'A');
	return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'U';
}

/* SIV, since 2009: AB-123-CD, AB 123 CD or AB123CD (upper case then). */
static size_t
try_siv(const uchar *s, size_t n, size_t i)
{
	size_t j;
	uchar sep;
	bool lower;

	if (n - i < 7 || alnum_before(s, i))
		return 0;
	sep = s[i + 2];
	if (sep != '-' && sep != ' ')
		sep = 0;
	if (n - i < (sep ? 9u : 7u))
		return 0;
	lower = sep == '-';
	j = i;
	if (!plate_letter(s[j], lower) || !plate_letter(s[j + 1], lower))
		return 0;
	j += 2 + (sep != 0);
	if (!is_digit(s[j]) || !is_digit(s[j + 1]) || !is_digit(s[j + 2]))
		return 0;
	j += 3;
	if (sep != 0 && s[j++] != sep)
		return 0;
	if (!plate_letter(s[j], lower) || !plate_letter(s[j + 1], lower) ||
	    alnum_at(s, n, j + 2))
		return 0;
	return j + 2 - i;
}

/* FNI, before 2009: 1234 AB 75, 123 ABC 2A, 12-AB-974. */
static size_t
try_fni(const uchar *s, size_t n, size_t i)
{
	static const char *const units[] = { "H", "KM", "KG", "CM", "MM", "MG",
	    "GB", "MB", "KB", "TB", "EUR", "HT", "TTC", "AM", "PM", "KW",
	    "MW", "AN", "ANS", "ME", "MN", "MIN", "NO", NULL };
	char let[4];
	size_t j = i, d, l;
	uchar sep;

	if (alnum_before(s, i))
		return 0;
	for (d = 0; j < n && is_digit(s[j]) && d < 5; d++)
		j++;
	if (d == 0 || d > 4 || s[i] == '0' || j >= n ||
	    (s[j] != ' ' && s[j] != '-'))
		return 0;
	sep = s[j++];
	for (l = 0; j < n && s[j] >= 'A' && s[j] <= 'Z' && l < 4; l++)
		let[l] = (char)s[j++];
	if (l == 0 || l > 3 || j >= n || s[j] != sep)
		return 0;
	let[l] = '\0';
	if (one_of(let, units))
		return 0;
	j++;
	if (n - j < 2 || !is_digit(s[j]))
		return 0;
	if (s[j] == '2' && (s[j + 1] == 'A' || s[j + 1] == 'B')) {
		j += 2;
	} else if (n - j >= 3 && s[j] == '9' && s[j + 1] == '7' &&
	    s[j + 2] >= '1' && s[j + 2] <= '6' && !alnum_at(s, n, j + 3)) {
		j += 3;
	} else {
		if (!is_digit(s[j + 1]) || (s[j] == '0' && s[j + 1] == '0') ||
		    (s[j] == '9' && s[j + 1] > '5'))
			return 0;
		j += 2;
	}
	return alnum_at(s, n, j) ? 0 : j - i;
}

/* ---- street addresses ---- */

/* Street words after which any name will do ("3 rue des lilas"). */
static const char *const streets_sure[] = { "rue", "avenue", "av", "ave",
    "boulevard", "bd", "bld", "bvd", "blvd", "impasse", "imp",
    "lotissement", "faubourg", "fbg", "rte", "ruelle", "venelle", "chaussee",
    "montee", "traverse", "lieu-dit", "rond-point", "allee", NULL };
/* Street words that are also common words ("3 cours de danse"): the name
 * must hold a capitalised word. */
static const char *const streets_maybe[] = { "place", "pl", "route",
    "chemin", "quai", "cours", "square", "residence", "voie", "passage",
    "villa", "domaine", "clos", "cite", "promenade", "esplanade", "parvis",
    "hameau", "sentier", "mail", "cour", "sq", "ch", NULL };
static const char *const particles[] = { "de", "du", "des", "la", "le",
    "les", "l'", "d'", "au", "aux", "sous", "sur", "en", NULL };
/* Capitalised words after a postcode that are not a town. */
static const char *const not_towns[] = { "euros", "euro", "eur",
    "habitants", "personnes", "km", "exemplaires", "signalements",
    "victimes", "messages", "abonnes", "vues", "comptes", NULL };

static size_t
try_postcode(const uchar *s, size_t n, size_t i)
{
	char f[FOLD_MAX];
	size_t j = i, k, e, letters, upper, words = 0, last;

	if (alnum_before(s, i) || n - i < 7)
		return 0;
	for (k = 0; k < 5; k++)
		if (!is_digit(s[i + k]))
			return 0;
	if (is_digit(s[i + 5]) || (s[i] == '0' && s[i + 1] == '0') ||
	    (s[i] == '9' && s[i + 1] == '6') || (s[i] == '9' && s[i + 1] == '9'))
		return 0;
	j = skip_hspace(s, n, i + 5);
	if (j == i + 5 || j >= n || !starts_upper(s, n, j) ||
	    (e = word_end(s, n, j, &letters, &upper)) == 0 || letters < 2 ||
	    !fold(s, j, e, f) || one_of(f, not_towns))
		return 0;
	last = e;
	/* "Le Mans", "Saint Denis", "Aix en Provence", "Paris Cedex 07". */
	while (words++ < 4) {
		j = skip_hspace(s, n, last);
		if (j == last || j >= n ||
		    (e = word_end(s, n, j, &letters, &upper)) == 0)
			break;
		if (!fold(s, j, e, f))
			break;
		if (starts_upper(s, n, j)) {
			last = e;
			if (strcmp(f, "cedex") == 0) {
				k = skip_hspace(s, n, e);
				if (k > e && n - k >= 2 && is_digit(s[k]) &&
				    is_digit(s[k + 1]) && !alnum_at(s, n, k + 2))
					last = k + 2;
				break;
			}
			continue;
		}
		if (!one_of(f, particles))
			break;
		k = skip_hspace(s, n, e);
		if (k == e || k >= n || !starts_upper(s, n, k))
			break;
	}
	return last - i;
}

/* The number of a building: 1 to 4 digits, maybe bis, ter, B... */
static size_t
house_number(const uchar *s, size_t n, size_t i)
{
	static const char *const suffixes[] = { "bis", "ter", "quater", "b",
	    "t", "a", "c", NULL };
	char f[FOLD_MAX];
	size_t j = i, e, k, letters, upper;

	while (j < n && is_digit(s[j]) && j - i < 5)
		j++;
	if (j == i || j - i > 4 || s[i] == '0' || j >= n)
		return 0;
	k = skip_hspace(s, n, j);
	if (k < n && (e = word_end(s, n, k, &letters, &upper)) != 0 &&
	    fold(s, k, e, f) && one_of(f, suffixes)) {
		/* "12 B rue" but not "3 a" alone: a street word must follow,
		 * which the caller checks. */
		j = e;
	}
	if (j < n && s[j] == ',')
		j++;
	return j;
}

static size_t
try_address(const uchar *s, size_t n, size_t i)
{
	char f[FOLD_MAX];
	size_t j, e, k, letters, upper, end = 0, words = 0, content = 0, pc;
	bool sure, cap = false;

	if (alnum_before(s, i) || (j = house_number(s, n, i)) == 0)
		return 0;
	k = skip_hspace(s, n, j);
	if (k == j || k >= n || (e = word_end(s, n, k, &letters, &upper)) == 0 ||
	    !fold(s, k, e, f))
		return 0;
	sure = one_of(f, streets_sure);
	if (!sure && !one_of(f, streets_maybe))
		return 0;
	if (e < n && s[e] == '.')
		e++;
	j = skip_hspace(s, n, e);
	if (j == e)
		return 0;
	while (words < 8 && j < n) {
		uint32_t cp;
		size_t part = j;

		if (is_digit(s[j])) {
			for (e = j; e < n && is_digit(s[e]) && e - j < 5; e++)
				;
			if (alnum_at(s, n, e))
				break;
			end = e;
			content++;
		} else if ((e = word_end(s, n, j, &letters, &upper)) == 0 ||
		    !fold(s, j, e, f)) {
			break;
		} else if (one_of(f, particles)) {
			/* a particle alone: its name follows */
		} else {
			/* "d'Alsace": the capital is after the apostrophe. */
			if ((f[0] == 'd' || f[0] == 'l') && f[1] == '\'')
				part = j + (s[j + 1] == '\'' ? 2 : 4);
			decode(s, n, part, &cp);
			if (is_upper(cp)) {
				cap = true;
			} else if (content > 0 || !sure) {
				break;
			}
			end = e;
			content++;
		}
		words++;
		k = skip_hspace(s, n, e);
		if (k == e)
			break;
		j = k;
	}
	if (content == 0 || (!sure && !cap))
		return 0;
	/* The postcode and town that may follow, on the same line or the
	 * next. */
	j = end;
	if (j < n && s[j] == ',')
		j++;
	j = skip_hspace(s, n, j);
	if (j < n && s[j] == '\n')
		j = skip_hspace(s, n, j + 1);
	if (j < n && is_digit(s[j]) && (pc = try_postcode(s, n, j)) != 0)
		end = j + pc;
	return end - i;
}

/* ---- names ---- */

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
known_name(const char *folded)
{
	return nnames > 0 && bsearch(&folded, names, nnames, sizeof(*names),
	    cmp_names) != NULL;
}

/* Whether s[a..b) is a first name of the list, whole or each part of a
 * compound one (Jean-Pierre, Marie-Ève). */
static bool
first_name(const uchar *s, size_t a, size_t b)
{
	char f[FOLD_MAX], *p, *q;

	if (!fold(s, a, b, f))
		return false;
	if (known_name(f))
		return true;
	if (strchr(f, '-') == NULL)
		return false;
	for (p = f; p != NULL; p = q) {
		if ((q = strchr(p, '-')) != NULL)
			*q++ = '\0';
		if (!known_name(p))
			return false;
	}
	return true;
}

/* Words after which a first name and a surname name a place or a school
 * ("rue Victor Hugo", "collège Louise Michel"), not a person. */
static const char *const place_words[] = { "rue", "avenue", "av",
    "boulevard", "bd", "place", "allee", "impasse", "quai", "square",
    "chemin", "cours", "route", "pont", "parc", "jardin", "jardins",
    "lycee", "college", "ecole", "universite", "institut", "hopital",
    "clinique", "centre", "gare", "station", "metro", "stade", "gymnase",
    "salle", "musee", "espace", "fondation", "association", "prix",
    "residence", "cite", "maison", "mediatheque", "bibliotheque", "theatre",
    "piscine", "creche", "groupe", "promenade", "esplanade", "saint",
    "sainte", "st", "ste", NULL };

/* Whether the word just before s[i] (across spaces) is a place word. */
static bool
after_place_word(const uchar *s, size_t i)
{
	char f[FOLD_MAX];
	size_t e = i, a;
	uint32_t cp;

	while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (e == i && !(e >= 2 && s[e - 2] == 0xc2 && s[e - 1] == 0xa0))
		return false;
	if (e == i)
		e -= 2;
	a = e;
	while (a > 0 && e - a < WORD_MAX) {
		cp = before(s, a);
		if (!is_letter(cp) && cp != '-')
			break;
		a -= cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	}
	return a < e && fold(s, a, e, f) && one_of(f, place_words);
}

/*
 * A surname at s[j]: a capitalised word of two letters or more, in
 * capitals too if caps; "de Gaulle", "Le Goff", "van Damme" included.
 * Returns its end, or 0.
 */
static size_t
surname(const uchar *s, size_t n, size_t j, bool caps)
{
	static const char *const lower_particles[] = { "de", "du", "des",
	    "van", "von", "da", "di", "del", "ben", "el", "al", NULL };
	static const char *const upper_particles[] = { "le", "la", "de",
	    "du", "van", "von", "da", "di", "del", "della", "ben", "ibn",
	    "el", "al", "mac", "mc", "des", "dos", "das", NULL };
	char f[FOLD_MAX];
	size_t e, k, letters, upper;

	if (j >= n || (e = word_end(s, n, j, &letters, &upper)) == 0 ||
	    !fold(s, j, e, f))
		return 0;
	if (!starts_upper(s, n, j)) {
		/* "de Gaulle", "d'Estaing". */
		if ((f[0] == 'd' && f[1] == '\'') && !caps) {
			k = j + (s[j + 1] == '\'' ? 2 : 4);
			return starts_upper(s, n, k) && letters >= 3 ? e : 0;
		}
		if (caps || !one_of(f, lower_particles))
			return 0;
		k = skip_hspace(s, n, e);
		return k > e ? surname(s, n, k, false) : 0;
	}
	if (letters < 2 || (caps && upper != letters))
		return 0;
	if (one_of(f, upper_particles)) {
		k = skip_hspace(s, n, e);
		if (k > e && k < n && starts_upper(s, n, k) &&
		    (k = surname(s, n, k, caps)) != 0)
			return k;
		/* "Léa Le" is not a name. */
		return 0;
	}
	return e;
}

static size_t
try_civility(const uchar *s, size_t n, size_t i)
{
	static const char *const civilities[] = { "M.", "Mme", "Mme.",
	    "Mlle", "Mlle.", "Mr", "Mr.", "Monsieur", "Madame",
	    "Mademoiselle", "Dr", "Dr.", "Docteur", "Docteure", "Maître",
	    "Maitre", "Me", NULL };
	char w[16];
	size_t j = i, k, e, more;

	while (j < n && j - i < 14 && (s[j] >= 'A' && s[j] <= 'z' &&
	    (s[j] <= 'Z' || s[j] >= 'a')))
		j++;
	if (n - j >= 2 && s[j] == 0xc3 && s[j + 1] == 0xae)      /* î */
		for (j += 2; j < n && s[j] >= 'a' && s[j] <= 'z'; j++)
			;
	if (j < n && s[j] == '.')
		j++;
	if (j - i >= sizeof(w))
		return 0;
	memcpy(w, s + i, j - i);
	w[j - i] = '\0';
	if (!one_of(w, civilities))
		return 0;
	/* "Me" is also English and a note's "me": only before a capital
	 * surname of three letters or more. */
	k = skip_hspace(s, n, j);
	if (k == j || k >= n || !starts_upper(s, n, k) ||
	    (e = surname(s, n, k, false)) == 0 || e - k < 2 + (w[1] == 'e'))
		return 0;
	/* "Mme Léa Martin": a first name then the surname. */
	for (more = 0; more < 2; more++) {
		k = skip_hspace(s, n, e);
		if (k == e || k >= n || !starts_upper(s, n, k) ||
		    (k = surname(s, n, k, false)) == 0)
			break;
		e = k;
	}
	return e - i;
}

static size_t
try_name(const uchar *s, size_t n, size_t i)
{
	size_t e, j, k, letters, upper;
	bool caps;

	if (nnames == 0 || !starts_upper(s, n, i) || (i > 0 &&
	    (alnum_before(s, i) || s[i - 1] == '-' || s[i - 1] == '_' ||
	    s[i - 1] == '@')))
		return 0;
	if ((e = word_end(s, n, i, &letters, &upper)) == 0 || letters < 2)
		return 0;
	caps = upper == letters;
	if ((caps && letters < 3) || !first_name(s, i, e) ||
	    after_place_word(s, i))
		return 0;
	j = skip_hspace(s, n, e);
	if (j == e || (k = surname(s, n, j, caps)) == 0)
		return 0;
	/* "Jean Paul Dupont": a second first name then the surname. */
	if (first_name(s, j, word_end(s, n, j, &letters, &upper))) {
		size_t j2 = skip_hspace(s, n, k), k2;

		if (j2 > k && (k2 = surname(s, n, j2, caps)) != 0)
			k = k2;
	}
	return k - i;
}

/* ---- the pass ---- */

/* The longest match that starts at s[i], its kind in *kind. */
static size_t
longest_at(const uchar *s, size_t n, size_t i, enum wg_ident *kind)
{
	size_t best = 0, len;
	uchar c = s[i];

#define TRY(fn, k) \
	if ((len = fn(s, n, i)) > best) { \
		best = len; \
		*kind = (k); \
	}
	if (is_digit(c)) {
		TRY(try_nir, WG_NIR);
		TRY(try_phone, WG_PHONE);
		TRY(try_fni, WG_PLATE);
		TRY(try_address, WG_ADDRESS);
		TRY(try_postcode, WG_ADDRESS);
	} else if (c == '+') {
		TRY(try_phone, WG_PHONE);
	}
	if (ascii_alnum(c))
		TRY(try_email, WG_EMAIL);
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
		TRY(try_siv, WG_PLATE);
	if (c >= 'A' && c <= 'Z')
		TRY(try_civility, WG_NAME);
	if ((c >= 'A' && c <= 'Z') || c >= 0xc0)
		TRY(try_name, WG_NAME);
#undef TRY
	return best;
}

size_t
wg_detect(const char *text, size_t len, struct wg_match *out, size_t max)
{
	const uchar *s = (const uchar *)text;
	struct wg_match pend = { 0, 0, 0 };
	size_t i = 0, count = 0, m;
	uint32_t cp;
	enum wg_ident kind = WG_EMAIL;

	if (text == NULL)
		return 0;
	while (i < len) {
		if ((m = longest_at(s, len, i, &kind)) > 0) {
			if (pend.len > 0 && i < pend.off + pend.len) {
				/* Overlap: the longest wins. */
				if (m > pend.len)
					pend = (struct wg_match){ kind, i, m };
			} else {
				if (pend.len > 0 && count++ < max)
					out[count - 1] = pend;
				pend = (struct wg_match){ kind, i, m };
			}
		}
		i += decode(s, len, i, &cp);
	}
	if (pend.len > 0 && count++ < max)
		out[count - 1] = pend;
	return count;
}

const char *
wg_ident_label(enum wg_ident kind)
{
	switch (kind) {
	case WG_EMAIL:
		return _("une adresse e-mail");
	case WG_PHONE:
		return _("un numéro de téléphone");
	case WG_ADDRESS:
		return _("une adresse postale");
	case WG_NAME:
		return _("un nom complet");
	case WG_PLATE:
		return _("une plaque d'immatriculation");
	case WG_NIR:
		return _("un numéro de sécurité sociale");
	}
	return _("une donnée identifiante");
}

/* ---- the lists ---- */

/* Adds (add) or marks for removal (!add) the names of one file. */
static vg_rc
read_list(const char *share, const char *rel, bool add, char *err,
    size_t errlen)
{
	char path[4096], line[512], f[FOLD_MAX], **grown;
	size_t lineno = 0, len, cap = nnames;
	FILE *fp;
	vg_rc rc = VG_OK;

	snprintf(path, sizeof(path), "%s/%s", share, rel);
	if ((fp = fopen(path, "r")) == NULL) {
		if (add && strcmp(rel, FAKER_LIST) == 0)
			snprintf(err, errlen, _("%s introuvable : lancez "
			    "« scripts/install-deps.sh » (ou « npm ci » puis "
			    "« node scripts/firstnames.mjs ») pour écrire la "
			    "liste des prénoms"), path);
		else
			snprintf(err, errlen, _("%s introuvable : ce fichier "
			    "de la liste des prénoms manque"), path);
		return VG_EIO;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		len = strcspn(line, "\r\n");
		if (line[len] == '\0' && !feof(fp)) {
			snprintf(err, errlen, _("%s, ligne %zu : ligne trop "
			    "longue"), path, lineno);
			rc = VG_EINVAL;
			break;
		}
		line[len] = '\0';
		while (len > 0 && (line[len - 1] == ' ' ||
		    line[len - 1] == '\t'))
			line[--len] = '\0';
		if (!vg_utf8_valid_text(line, len)) {
			snprintf(err, errlen, _("%s, ligne %zu : le texte doit "
			    "être en UTF-8"), path, lineno);
			rc = VG_EINVAL;
			break;
		}
		if (len == 0 || line[0] == '#')
			continue;
		if (!fold((const uchar *)line, 0, len, f)) {
			snprintf(err, errlen, _("%s, ligne %zu : prénom trop "
			    "long"), path, lineno);
			rc = VG_EINVAL;
			break;
		}
		if (!add) {
			char *key = f, **hit;

			hit = nnames > 0 ? bsearch(&key, names, nnames,
			    sizeof(*names), cmp_names) : NULL;
			if (hit != NULL)
				(*hit)[0] = '\0';       /* removed below */
			continue;
		}
		if (nnames == cap) {
			cap = cap == 0 ? 4096 : cap * 2;
			if ((grown = realloc(names, cap * sizeof(*names))) ==
			    NULL) {
				rc = VG_ENOMEM;
				break;
			}
			names = grown;
		}
		if ((names[nnames] = strdup(f)) == NULL) {
			rc = VG_ENOMEM;
			break;
		}
		nnames++;
	}
	if (rc == VG_OK && ferror(fp)) {
		snprintf(err, errlen, _("%s illisible"), path);
		rc = VG_EIO;
	}
	fclose(fp);
	if (rc == VG_ENOMEM)
		snprintf(err, errlen, _("mémoire insuffisante pour la liste "
		    "des prénoms"));
	return rc;
}

/* Sorts the names and drops the duplicates and the removed ones. */
static void
tidy(void)
{
	size_t i, k = 0;

	qsort(names, nnames, sizeof(*names), cmp_names);
	for (i = 0; i < nnames; i++) {
		if (names[i][0] == '\0' || (k > 0 &&
		    strcmp(names[k - 1], names[i]) == 0)) {
			free(names[i]);
			continue;
		}
		names[k++] = names[i];
	}
	nnames = k;
}

vg_rc
wg_detect_load(const char *share, char *err, size_t errlen)
{
	vg_rc rc;

	wg_detect_free();
	if ((rc = read_list(share, FAKER_LIST, true, err, errlen)) != VG_OK ||
	    (rc = read_list(share, EXTRA_LIST, true, err, errlen)) != VG_OK)
		goto fail;
	tidy();
	if ((rc = read_list(share, EXCLUDED_LIST, false, err, errlen)) !=
	    VG_OK)
		goto fail;
	tidy();
	if (nnames < 100) {
		snprintf(err, errlen, _("%s/%s : la liste des prénoms est "
		    "presque vide"), share, FAKER_LIST);
		rc = VG_EINVAL;
		goto fail;
	}
	return VG_OK;
fail:
	wg_detect_free();
	return rc;
}

void
wg_detect_free(void)
{
	size_t i;

	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	names = NULL;
	nnames = 0;
}
