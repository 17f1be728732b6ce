/*
 * feed.h — reading what the observatory's watch sources publish: RSS 2.0
 * and Atom 1.0 feeds, and, for a source without a feed, a web page (its
 * title, and the feed it announces when it does).
 *
 * Nothing read is trusted: libxml2 parses without network, without DTD
 * loading and without entity expansion; the document, the number of items
 * and each text are bounded; texts come out as plain UTF-8 (tags removed,
 * entities decoded, white space collapsed).  Links come out absolute
 * (resolved against xml:base or the feed's URL) and canonical, http or
 * https only, so that an item is kept once.
 */
#ifndef VG_WATCH_FEED_H
#define VG_WATCH_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "core/vg.h"

#define WATCH_FEED_MAX_BYTES (8u << 20)  /* a document read, at most */
#define WATCH_FEED_MAX_ITEMS 500         /* items kept, the first ones */
#define WATCH_TITLE_MAX 500              /* characters (not bytes) */
#define WATCH_SUMMARY_MAX 2000

enum watch_kind { WATCH_RSS = 1, WATCH_ATOM, WATCH_PAGE };

struct watch_item {
	char *guid;             /* RSS <guid>, Atom <id>; NULL when absent */
	char *link;             /* canonical absolute URL; NULL when none */
	char *title;            /* plain text; never NULL ("" at worst) */
	char *summary;          /* plain text; never NULL */
	char *author;           /* plain text; NULL when absent */
	int64_t published;      /* seconds since 1970 UTC; 0 when unknown */
};

struct watch_feed {
	enum watch_kind kind;
	char *title;            /* the feed's or the page's title, or "" */
	char *link;             /* the site's canonical URL, or NULL */
	char *feed_url;         /* WATCH_PAGE: the feed the page announces
				 * (<link rel="alternate" type=rss/atom>),
				 * absolute and canonical; else NULL */
	struct watch_item *items;
	size_t nitems;
};

/*
 * Parse data[0..len), fetched from url (for relative links).  An RSS or
 * Atom document gives its items; an HTML page gives one item (its title,
 * the page's canonical URL as link and guid) and the feed it announces.
 * On success *out is the caller's (watch_feed_free()).  On failure *out is
 * NULL and err holds one French line: VG_EINVAL for what is neither a
 * feed nor a page, or malformed XML ("ligne N : …"), VG_ETOOBIG over
 * WATCH_FEED_MAX_BYTES, VG_ENOMEM.
 */
vg_rc watch_feed_parse(const char *data, size_t len, const char *url,
    struct watch_feed **out, char *err, size_t errlen);
void watch_feed_free(struct watch_feed *f);

/* The key that keeps an item once: "guid:" and the guid when there is
 * one, else "link:" and the canonical link, else "title:" and the title.
 * A new string (caller frees), NULL when out of memory. */
char *watch_item_key(const struct watch_item *it);

/*
 * url made absolute against base (may be NULL) and canonical: scheme and
 * host lower-cased, default port and fragment removed, an empty path
 * written "/", percent-escapes of unreserved characters decoded and the
 * others upper-cased.  A new string (caller frees), or NULL when the
 * result is not an http or https URL.
 */
char *watch_canonical_url(const char *url, const char *base);

/* RFC 822 / RFC 1123 dates (RSS) and RFC 3339 (Atom) as seconds since
 * 1970 UTC; 0 when unreadable. */
int64_t watch_parse_date(const char *s);

#endif
