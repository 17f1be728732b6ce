/*
 * applist.c — the readers of what adb prints about installed apps, and of
 * lists of APK hashes.
 *
 * `adb shell pm list packages` prints one "package:NAME" line per app;
 * with -f "package:PATH=NAME" (the path may itself hold '=', base64 in
 * Android 11's folder names), with -i "  installer=NAME" after it, with
 * -U " uid:N".  Older adb ends lines with CR LF.
 *
 * `adb shell dumpsys package` prints, among many sections, a block per
 * app opened by "  Package [NAME] (HASH):".  Its "signatures=" line holds
 * only hash codes, not digests; but tools that annotate a dump (apksigner,
 * keytool, a mediator's notes) write a certificate's SHA-1 as 40 hex
 * digits, with or without colons, on a line about signing.  Such a digest
 * inside a package's block is read as that package's certificate.
 *
 * A hash list is what sha256sum prints, or one hash per line: a line's
 * 64-hex-digit word is the hash, the rest (a file name) is ignored.
 *
 * The readers trust nothing: lines of any length, any bytes, no final
 * newline.  A line kept as evidence is cut at 300 bytes and every byte
 * outside printable ASCII becomes '?', so that it is always valid UTF-8.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "scan/scan_int.h"

#define LINE_KEEP 300

/* The next line of text[*pos..len): its start and length without the
 * line end; *pos moves past it.  0 at the end. */
static int
next_line(const char *text, size_t len, size_t *pos, const char **line,
    size_t *n)
{
	const char *p, *nl;

	if (*pos >= len)
		return 0;
	p = text + *pos;
	nl = memchr(p, '\n', len - *pos);
	*n = nl ? (size_t)(nl - p) : len - *pos;
	*pos += *n + (nl != NULL);
	if (*n > 0 && p[*n - 1] == '\r')
		(*n)--;
	*line = p;
	return 1;
}

static void
keep_line(char out[LINE_KEEP + 1], const char *s, size_t n)
{
	size_t i;

	if (n > LINE_KEEP)
		n = LINE_KEEP;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		out[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
	}
	out[n] = '\0';
}

static int
starts(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

static const char *
skip_blank(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* A word of exactly want hex digits in s[0..n), delimited by non-hex
 * bytes; colons between byte pairs allowed when colons.  Written to out
 * (want + 1 bytes) in the case asked.  1 when found. */
static int
hex_word(const char *s, size_t n, size_t want, int colons, int upper,
    char *out)
{
	size_t i = 0, j, got;

	while (i < n) {
		/* A word starts after neither a letter nor a digit:
		 * "SHA1:31:A6…" is not "A131A6…". */
		if (!isxdigit((unsigned char)s[i]) ||
		    (i > 0 && isalnum((unsigned char)s[i - 1]))) {
			i++;
			continue;
		}
		/* A word of hex digits starts at i: read it whole. */
		for (j = i, got = 0; j < n; j++) {
			if (isxdigit((unsigned char)s[j])) {
				if (got < want)
					out[got] = s[j];
				got++;
			} else if (!(colons && s[j] == ':' && got % 2 == 0 &&
			    j + 1 < n && isxdigit((unsigned char)s[j + 1]))) {
				break;
			}
		}
		if (got == want) {
			for (got = 0; got < want; got++)
				out[got] = (char)(upper ?
				    toupper((unsigned char)out[got]) :
				    tolower((unsigned char)out[got]));
			out[want] = '\0';
			return 1;
		}
		i = j;
	}
	return 0;
}

static int
mentions(const char *s, size_t n, const char *word)
{
	size_t k = strlen(word), i;

	for (i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, word, k) == 0)
			return 1;
	return 0;
}

enum applist_format
applist_guess(const char *text, size_t len)
{
	size_t pos = 0, n, look = len < (1u << 20) ? len : (1u << 20);
	const char *line;
	char hex[65];
	int hashes = 0;

	if (look >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;      /* a byte order mark */
		look -= 3;
	}
	if (memchr(text, '\0', look) != NULL)
		return APPLIST_NONE;
	while (pos < look && next_line(text, look, &pos, &line, &n)) {
		const char *p = skip_blank(line, line + n);
		size_t m = (size_t)(line + n - p);

		if (starts(p, m, "package:"))
			return APPLIST_PM;
		if (starts(p, m, "Package [") || starts(p, m, "Packages:") ||
		    starts(p, m, "Key Set Manager:") ||
		    starts(p, m, "Database versions:"))
			return APPLIST_DUMPSYS;
		if (m > 0 && *p != '#' && hex_word(p, m, 64, 0, 0, hex))
			hashes++;
	}
	return hashes > 0 ? APPLIST_HASHES : APPLIST_NONE;
}

static size_t
read_pm(const char *text, size_t len, applist_fn fn, void *arg, size_t *bad)
{
	size_t pos = 0, n, lineno = 0, items = 0;
	const char *line;

	while (next_line(text, len, &pos, &line, &n)) {
		const char *p, *end = line + n, *tok, *eq;
		char keep[LINE_KEEP + 1], pkg[256];
		struct applist_item it;
		size_t k;

		lineno++;
		p = skip_blank(line, end);
		if (p == end)
			continue;
		if (!starts(p, (size_t)(end - p), "package:")) {
			(*bad)++;
			continue;
		}
		tok = p + 8;
		for (p = tok; p < end && *p != ' ' && *p != '\t'; p++)
			;
		/* -f: PATH=NAME, NAME after the last '=' of the word. */
		for (eq = p; eq > tok && eq[-1] != '='; eq--)
			;
		k = (size_t)(p - eq);
		if (k == 0 || k >= sizeof(pkg) || !iocs_package_ok(eq, k)) {
			(*bad)++;
			continue;
		}
		memcpy(pkg, eq, k);
		pkg[k] = '\0';
		keep_line(keep, line, n);
		memset(&it, 0, sizeof(it));
		it.package = pkg;
		it.line = keep;
		it.lineno = lineno;
		fn(arg, &it);
		items++;
	}
	return items;
}

/* End of a dumpsys package block: the package, then its digests. */
static void
flush_block(const char *pkg, char certs[][41], size_t ncert,
    const char *line, size_t lineno, applist_fn fn, void *arg)
{
	struct applist_item it;
	size_t i;

	memset(&it, 0, sizeof(it));
	it.package = pkg;
	it.line = line;
	it.lineno = lineno;
	fn(arg, &it);
	for (i = 0; i < ncert; i++) {
		it.cert = certs[i];
		fn(arg, &it);
	}
}

static size_t
read_dumpsys(const char *text, size_t len, applist_fn fn, void *arg,
    size_t *bad)
{
	size_t pos = 0, n, lineno = 0, items = 0, blockline = 0, ncert = 0;
	char pkg[256] = "", keep[LINE_KEEP + 1], certs[8][41];
	const char *line;

	while (next_line(text, len, &pos, &line, &n)) {
		const char *p = skip_blank(line, line + n), *end = line + n;
		size_t indent = (size_t)(p - line), m = (size_t)(end - p);

		lineno++;
		if (starts(p, m, "Package [")) {
			const char *q = p + 9, *close = memchr(q, ']',
			    (size_t)(end - q));
			size_t k = close ? (size_t)(close - q) : 0;

			if (*pkg != '\0')
				flush_block(pkg, certs, ncert, keep, blockline,
				    fn, arg);
			*pkg = '\0';
			ncert = 0;
			if (k == 0 || k >= sizeof(pkg) ||
			    !iocs_package_ok(q, k)) {
				(*bad)++;
				continue;
			}
			memcpy(pkg, q, k);
			pkg[k] = '\0';
			keep_line(keep, line, n);
			blockline = lineno;
			items++;
			continue;
		}
		/* A section title at the margin ends a block. */
		if (indent == 0 && m > 0 && end[-1] == ':' && *pkg != '\0') {
			flush_block(pkg, certs, ncert, keep, blockline, fn,
			    arg);
			*pkg = '\0';
			ncert = 0;
			continue;
		}
		if (*pkg != '\0' && ncert < VG_ARRAY_LEN(certs) &&
		    (mentions(p, m, "sign") || mentions(p, m, "cert")) &&
		    hex_word(p, m, 40, 1, 1, certs[ncert]))
			ncert++;
	}
	if (*pkg != '\0')
		flush_block(pkg, certs, ncert, keep, blockline, fn, arg);
	return items;
}

static size_t
read_hashes(const char *text, size_t len, applist_fn fn, void *arg,
    size_t *bad)
{
	size_t pos = 0, n, lineno = 0, items = 0;
	const char *line;

	while (next_line(text, len, &pos, &line, &n)) {
		const char *p = skip_blank(line, line + n);
		size_t m = (size_t)(line + n - p);
		char keep[LINE_KEEP + 1], hex[65];
		struct applist_item it;

		lineno++;
		if (m == 0 || *p == '#')
			continue;
		if (!hex_word(p, m, 64, 0, 0, hex)) {
			(*bad)++;
			continue;
		}
		keep_line(keep, line, n);
		memset(&it, 0, sizeof(it));
		it.sha256 = hex;
		it.line = keep;
		it.lineno = lineno;
		fn(arg, &it);
		items++;
	}
	return items;
}

size_t
applist_read(enum applist_format f, const char *text, size_t len,
    applist_fn fn, void *arg, size_t *bad)
{
	*bad = 0;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;      /* a byte order mark (Windows editors) */
		len -= 3;
	}
	switch (f) {
	case APPLIST_PM:
		return read_pm(text, len, fn, arg, bad);
	case APPLIST_DUMPSYS:
		return read_dumpsys(text, len, fn, arg, bad);
	case APPLIST_HASHES:
		return read_hashes(text, len, fn, arg, bad);
	default:
		return 0;
	}
}
