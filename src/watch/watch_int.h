/*
 * watch_int.h — what the watch's files share among themselves: fetching
 * over HTTP (fetch.c), the sources and their rounds (sources.c), the items
 * (items.c), the command line (cli.c) and the pages (routes.c).
 */
#ifndef VG_WATCH_INT_H
#define VG_WATCH_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "watch/feed.h"
#include "watch/watch.h"

#define WATCH_URL_MAX 2000       /* characters of a source's address */
#define WATCH_NAME_MAX 200       /* characters of a source's name */
#define WATCH_NOTE_MAX 2000      /* characters of an editor's note */
#define WATCH_THEMES_MAX 10      /* themes on a source or an item */
#define WATCH_PAGE_SIZE 30       /* items on a page */
#define WATCH_REDIRS_MAX 5
#define WATCH_ERR_MAX 400        /* bytes of a French error line */

/* --- fetch.c ---------------------------------------------------------- */

struct watch_http {
	long status;            /* the last answer's HTTP status; 0: none */
	char *body;             /* decoded body (NUL-terminated), or NULL */
	size_t len;
	char *etag;             /* the answer's validators, or NULL */
	char *last_modified;
};

/*
 * GET url with the conditional validators of the previous fetch (either
 * may be NULL), following at most WATCH_REDIRS_MAX http(s) redirects,
 * within c->watch_timeout seconds and WATCH_FEED_MAX_BYTES decoded bytes,
 * refusing private and loopback addresses unless c->url_check_private.
 * VG_OK with *out filled (watch_http_free) for any HTTP answer, 304 and
 * errors included; otherwise VG_EIO with one French line in err and
 * *out empty.
 */
vg_rc watch_http_get(const vg_config *c, const char *url, const char *etag,
    const char *last_modified, struct watch_http *out, char *err,
    size_t errlen);
void watch_http_free(struct watch_http *h);

/* --- sources.c -------------------------------------------------------- */

struct watch_source_in {
	const char *url;        /* as typed */
	const char *name;
	const char *lang;       /* "fr" or "en" */
	const char *themes;     /* theme codes separated by commas or spaces,
	                           or NULL */
	bool active;
};

/*
 * Check a source as typed: VG_OK with *canon (the canonical URL, caller
 * frees) and *themes (codes comma-separated, caller frees); VG_EINVAL
 * with a French *why and the form *field at fault.
 */
vg_rc watch_source_check(const struct watch_source_in *in, char **canon,
    char **themes, const char **why, const char **field);

/* Add (id 0) or change a source, checked first.  *out_id is its id.
 * VG_ECONFLICT (with *why) when another source has that URL. */
vg_rc watch_source_save(int64_t id, const struct watch_source_in *in,
    int64_t *out_id, const char **why, const char **field);

/* Remove a source and its items.  VG_ENOTFOUND when there is none. */
vg_rc watch_source_delete(int64_t id);

/* One source as a new object {id, url, name, lang, themes: [{code,
 * label}], active, kind, kind_label, last_fetch, last_ok, error,
 * failures, feed_url, items}. */
vg_rc watch_source_get(int64_t id, json_t **out);

/* Every source, by name, as a new array of such objects. */
vg_rc watch_source_list(json_t **out);

/* What one source's round gave. */
struct watch_outcome {
	int64_t id;
	char name[WATCH_NAME_MAX * 4 + 1];
	int added;              /* new items kept */
	bool unchanged;         /* 304 Not Modified */
	bool failed;
	char error[WATCH_ERR_MAX]; /* French, when failed */
	char feed_url[WATCH_URL_MAX + 1]; /* a page's announced feed, or "" */
};

/*
 * Fetch source id now and store what it gives in one transaction: new
 * items once, the source's state (its error in French when it failed:
 * then no item changes).  VG_OK whenever the source was handled, failed
 * or not (see out); VG_ENOTFOUND, VG_EDB otherwise.
 */
vg_rc watch_fetch_source(const vg_config *c, int64_t id,
    struct watch_outcome *out);

/* Called after each source of a round. */
typedef void (*watch_round_fn)(const struct watch_outcome *o, void *arg);

/*
 * Fetch the active sources, one after another, all of them or (due) only
 * those whose interval has passed at now, with the back-off of failing
 * ones; stops between two sources once the server is stopping.  *failed
 * counts the sources that failed.  VG_EDB when the list cannot be read.
 */
vg_rc watch_round(const vg_config *c, bool due, int64_t now,
    watch_round_fn fn, void *arg, int *failed);

/* Themes: "a, b c" as "a,b" when every code is known (NULL or "" gives
 * ""); NULL with *bad pointing into a static copy of the first unknown
 * one, or at "" when there are too many.  Caller frees. */
char *watch_themes_norm(const char *in, const char **bad);

/* "a,b" as [{code, label}]. */
json_t *watch_themes_json(const char *s);

/* --- items.c ---------------------------------------------------------- */

enum watch_state { WATCH_ALL, WATCH_NEW, WATCH_READ, WATCH_SELECTED };

struct watch_filter {
	const char *q;          /* French full-text query, or NULL */
	int64_t source;         /* 0: any */
	const char *theme;      /* known theme code, or NULL */
	const char *lang;       /* "fr", "en" or NULL */
	enum watch_state state;
	int page;               /* 1-based */
};

/* The items that pass f, new first (best first with a query), one page
 * as a new array of {id, source_id, source, lang, title, link, summary,
 * author, published, fetched, read, themes: [{code, label}], note,
 * selected, sent_issue}, and *total the count of all that pass. */
vg_rc watch_items_find(const struct watch_filter *f, json_t **out,
    int64_t *total);

/* One item as watch_items_find gives it; VG_ENOTFOUND when none. */
vg_rc watch_item_get(int64_t id, json_t **out);

/* VG_ENOTFOUND when no item has that id. */
vg_rc watch_item_read(int64_t id, bool read);
vg_rc watch_item_annotate(int64_t id, const char *themes, const char *note);
vg_rc watch_item_select(int64_t id, bool on);

/* Mark the items of ids read, in one transaction (unknown ids are
 * ignored); *n counts those changed. */
vg_rc watch_items_read(const int64_t *ids, size_t n, int64_t *changed);

/* The ISO 8601 UTC text of t ("2026-11-23T12:00:00Z"), in out[21]. */
void watch_iso(int64_t t, char out[21]);

#endif
