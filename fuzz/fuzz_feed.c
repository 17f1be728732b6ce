/*
 * fuzz_feed.c — libFuzzer target for the watch area's feed reader.
 *
 * A first byte 0 to 5 chooses the URL the document was fetched from
 * (none, one of a few bases — one with an IDN host, one with a port —
 * or a mailto: that must be ignored) and the rest is the document; any
 * other first byte starts the document, fetched from the first base.  A refusal must be VG_EINVAL or VG_ETOOBIG (VG_ENOMEM
 * aside) with one line of message and no feed.  A feed that is accepted
 * must keep feed.h's promises: texts well-formed UTF-8 without controls,
 * white space collapsed, within their limits; links NULL or canonical
 * http(s) URLs (watch_canonical_url() gives them back unchanged); dates
 * not negative; at most WATCH_FEED_MAX_ITEMS items; keys for all.
 *
 * The same bytes also go, cut at their first line break, to
 * watch_canonical_url() (a reference, then a base) and, whole and in
 * pieces, to watch_parse_date().
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watch/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const bases[] = {
	NULL,
	"https://example.org/actualites/flux.xml",
	"http://Exemple.FR:8080/a/b/c?x=1#f",
	"https://xn--caf-dma.fr/",
	"https://café.example/blog/",
	"mailto:x@example.org",
};

/* Abort, naming what, unless ok. */
static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_feed: %s\n", what);
		abort();
	}
}

/*
 * Whether s is well-formed UTF-8 without controls (C0, DEL, C1), and
 * its number of code points in *nchars.  Written apart from feed.c on
 * purpose, as a second opinion.
 */
static int
text_ok(const char *str, size_t *nchars)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned long cp, min;
	int need, k;

	*nchars = 0;
	while (*s != '\0') {
		if (*s < 0x80) {
			if (*s < 0x20 || *s == 0x7f)
				return 0;
			s++;
			(*nchars)++;
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
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 &&
		    cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
			return 0;
		s += need + 1;
		(*nchars)++;
	}
	return 1;
}

/* A plain text: valid, collapsed, trimmed, at most max characters. */
static void
check_text(const char *s, size_t max, const char *what)
{
	size_t n, len;

	check(s != NULL, what);
	check(text_ok(s, &n), what);
	check(n <= max, what);
	len = strlen(s);
	check(len == 0 || (s[0] != ' ' && s[len - 1] != ' '), what);
	check(strstr(s, "  ") == NULL, what);
}

/* NULL, or a canonical http(s) URL that canonicalises to itself. */
static void
check_url(const char *u, const char *what)
{
	size_t n;
	char *again;

	if (u == NULL)
		return;
	check(strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0,
	    what);
	check(text_ok(u, &n), what);
	check(strpbrk(u, " #") == NULL, what);
	again = watch_canonical_url(u, NULL);
	if (again == NULL || strcmp(again, u) != 0)
		fprintf(stderr, "fuzz_feed: \"%s\" -> \"%s\"\n", u,
		    again ? again : "NULL");
	check(again != NULL && strcmp(again, u) == 0, "URL not idempotent");
	free(again);
}

/* Every promise feed.h makes of an accepted feed. */
static void
check_feed(const struct watch_feed *f)
{
	size_t i;
	char *key;

	check(f->kind == WATCH_RSS || f->kind == WATCH_ATOM ||
	    f->kind == WATCH_PAGE, "kind");
	check_text(f->title, WATCH_TITLE_MAX, "feed title");
	check_url(f->link, "feed link");
	check_url(f->feed_url, "feed_url");
	check(f->kind == WATCH_PAGE || f->feed_url == NULL, "feed_url");
	check(f->nitems <= WATCH_FEED_MAX_ITEMS, "too many items");
	check(f->kind != WATCH_PAGE || f->nitems <= 1, "page items");
	check(f->nitems == 0 || f->items != NULL, "items");
	for (i = 0; i < f->nitems; i++) {
		const struct watch_item *it = &f->items[i];

		check_text(it->title, WATCH_TITLE_MAX, "item title");
		check_text(it->summary, WATCH_SUMMARY_MAX, "item summary");
		if (it->author != NULL)
			check_text(it->author, WATCH_TITLE_MAX, "author");
		if (it->guid != NULL) {
			size_t gn;

			/* A page's guid is its canonical URL: no length
			 * limit promised by feed.h, only sound text. */
			check(text_ok(it->guid, &gn), "guid");
			check(it->guid[0] != '\0', "empty guid");
		}
		check_url(it->link, "item link");
		check(it->published >= 0, "negative date");
		check(it->link != NULL || it->guid != NULL ||
		    it->title[0] != '\0', "item without anything");
		key = watch_item_key(it);
		check(key != NULL, "no key");
		check(strncmp(key, "guid:", 5) == 0 ||
		    strncmp(key, "link:", 5) == 0 ||
		    strncmp(key, "title:", 6) == 0, "key kind");
		free(key);
	}
}

/* watch_canonical_url() on the first line of s as the reference and the
 * second as the base. */
static void
fuzz_url(const char *s)
{
	const char *nl = strchr(s, '\n');
	char *ref, *u;

	ref = nl != NULL ? strndup(s, (size_t)(nl - s)) : strdup(s);
	if (ref == NULL)
		return;
	u = watch_canonical_url(ref, nl != NULL ? nl + 1 : NULL);
	check_url(u, "canonical URL");
	free(u);
	u = watch_canonical_url(ref, NULL);
	check_url(u, "canonical URL without base");
	free(u);
	free(ref);
}

/* watch_parse_date() on s whole and on each of its lines. */
static void
fuzz_date(char *s)
{
	char *line, *save = NULL;

	check(watch_parse_date(s) >= 0, "negative date");
	for (line = strtok_r(s, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		check(watch_parse_date(line) >= 0, "negative date");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct watch_feed *f = (struct watch_feed *)1;
	const char *base = NULL;
	char err[200], *str;
	vg_rc rc;

	if (size > 0 && data[0] < sizeof(bases) / sizeof(bases[0])) {
		base = bases[data[0]];
		data++;
		size--;
	} else {
		base = bases[1];
	}
	memset(err, 'x', sizeof(err));
	rc = watch_feed_parse((const char *)data, size, base, &f, err,
	    sizeof(err));
	if (rc == VG_OK) {
		check(f != NULL, "no feed");
		check(err[0] == '\0', "message on success");
		check_feed(f);
		watch_feed_free(f);
	} else {
		check(rc == VG_EINVAL || rc == VG_ETOOBIG || rc == VG_ENOMEM,
		    "refusal code");
		check(f == NULL, "feed on error");
		check(memchr(err, '\0', sizeof(err)) != NULL, "err overflow");
		check(err[0] != '\0', "empty message");
		check(strpbrk(err, "\r\n") == NULL, "message on two lines");
	}

	/* NUL-terminated copy for the string functions (cut at the first
	 * NUL the input holds, as a C caller would see it). */
	if ((str = malloc(size + 1)) == NULL)
		return 0;
	memcpy(str, data, size);
	str[size] = '\0';
	fuzz_url(str);
	fuzz_date(str);
	free(str);
	return 0;
}
