/*
 * fuzz_detect.c — libFuzzer target for the detector of identifying data.
 *
 * The input is the text.  The matches must be in order, within the text,
 * apart from one another, of a known kind, never empty, each a piece of
 * well-formed UTF-8 starting and ending on a code point boundary; the
 * count must not depend on the room given for the matches.  The first
 * names are loaded from the source tree once (VIGIE_SRCDIR, or the
 * current directory), so that names are fuzzed too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "workgroup/detect.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAXM 256

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_detect: %s\n", what);
		abort();
	}
}

/* Whether s[0..n) is well-formed UTF-8, controls allowed (a second
 * opinion apart from detect.c's decoder). */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, need, k;
	unsigned long cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			need = 1;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			need = 2;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			need = 3;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else {
			return 0;
		}
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 &&
		    cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int loaded;
	static struct wg_match m[MAXM], few[2];
	const char *src;
	char *text;
	char err[512];
	size_t n, i, end = 0, n2;
	int whole;

	if (!loaded) {
		src = getenv("VIGIE_SRCDIR");
		if (wg_detect_load(src != NULL ? src : ".", err,
		    sizeof(err)) != VG_OK)
			fprintf(stderr, "fuzz_detect: no first names (%s)\n",
			    err);
		loaded = 1;
	}
	/* A copy of exactly size bytes, so that ASan sees any read past. */
	if ((text = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	whole = utf8_ok((const unsigned char *)text, size);
	n = wg_detect(text, size, m, MAXM);
	for (i = 0; i < n && i < MAXM; i++) {
		check(m[i].kind >= WG_EMAIL && m[i].kind <= WG_NIR, "kind");
		check(m[i].len > 0, "empty match");
		check(m[i].off >= end, "out of order or overlapping");
		check(m[i].off <= size && m[i].len <= size - m[i].off,
		    "outside the text");
		check(utf8_ok((const unsigned char *)text + m[i].off,
		    m[i].len), "match not well-formed UTF-8");
		check(((unsigned char)text[m[i].off] & 0xc0) != 0x80,
		    "match starts inside a character");
		if (whole)
			check(m[i].off + m[i].len == size ||
			    ((unsigned char)text[m[i].off + m[i].len] &
			    0xc0) != 0x80, "match ends inside a character");
		check(wg_ident_label(m[i].kind)[0] != '\0', "label");
		end = m[i].off + m[i].len;
	}
	n2 = wg_detect(text, size, few, 2);
	check(n2 == n, "count depends on max");
	for (i = 0; i < n && i < 2; i++)
		check(few[i].off == m[i].off && few[i].len == m[i].len &&
		    few[i].kind == m[i].kind, "first matches depend on max");
	free(text);
	return 0;
}
