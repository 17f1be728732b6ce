/*
 * sources.c — the sources editors follow, and a source's round: fetch,
 * parse, then store the new items and the source's state in one
 * transaction.
 *
 * The network is never touched inside a transaction (a slow source would
 * hold the write lock for watch_timeout seconds): the source is read, the
 * document fetched and parsed, and only then is the write lock taken.  A
 * failure writes the French error on the source and nothing else.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/utf8.h"
#include "db/db.h"
#include "resources/resources.h"
#include "watch/watch_int.h"

void
watch_iso(int64_t t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 21, "1970-01-01T00:00:00Z");
}

/* --- themes --------------------------------------------------------------- */

char *
watch_themes_norm(const char *in, const char **bad)
{
	static _Thread_local char unknown[64];
	const char *kept[WATCH_THEMES_MAX];
	char *copy, *tok, *save = NULL;
	vg_buf b = VG_BUF_INIT;
	size_t n = 0, i;

	*bad = NULL;
	if (in == NULL)
		return strdup("");
	if ((copy = strdup(in)) == NULL)
		return NULL;
	for (tok = strtok_r(copy, ", \t\r\n", &save); tok != NULL;
	    tok = strtok_r(NULL, ", \t\r\n", &save)) {
		if (resources_theme_label(tok) == NULL) {
			snprintf(unknown, sizeof(unknown), "%s", tok);
			*bad = unknown;
			break;
		}
		for (i = 0; i < n && strcmp(kept[i], tok) != 0; i++)
			continue;
		if (i < n)              /* once each */
			continue;
		if (n == WATCH_THEMES_MAX) {
			unknown[0] = '\0';
			*bad = unknown;
			break;
		}
		kept[n++] = tok;
		if (b.len > 0)
			vg_buf_putc(&b, ',');
		vg_buf_puts(&b, tok);
	}
	free(copy);
	if (*bad != NULL) {
		vg_buf_free(&b);
		return NULL;
	}
	return vg_buf_detach(&b, NULL);
}

json_t *
watch_themes_json(const char *s)
{
	json_t *a = json_array();
	const char *p = s, *end;
	char code[64];

	while (a != NULL && p != NULL && *p != '\0') {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if (end > p && (size_t)(end - p) < sizeof(code)) {
			const char *label;

			memcpy(code, p, (size_t)(end - p));
			code[end - p] = '\0';
			label = resources_theme_label(code);
			json_array_append_new(a, json_pack("{s:s, s:s}", "code",
			    code, "label", label ? label : code));
		}
		p = *end == ',' ? end + 1 : end;
	}
	return a;
}

/* --- editing -------------------------------------------------------------- */

/* Whether s starts with a scheme ("xyz:") other than http and https. */
static bool
other_scheme(const char *s)
{
	const char *p = s;

	if (!isalpha((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	    *p == '.')
		p++;
	if (*p != ':')
		return false;
	return strncasecmp(s, "http:", 5) != 0 &&
	    strncasecmp(s, "https:", 6) != 0;
}

vg_rc
watch_source_check(const struct watch_source_in *in, char **canon,
    char **themes, const char **why, const char **field)
{
	const char *bad;
	size_t n;

	*canon = *themes = NULL;
	*why = *field = NULL;
	if (in->url == NULL || *in->url == '\0') {
		*field = "url";
		*why = _("Indiquez l'adresse de la source (un flux RSS ou "
		    "Atom, "
		    "ou une page web).");
		return VG_EINVAL;
	}
	n = strlen(in->url);
	if (!vg_utf8_valid_text(in->url, n) ||
	    vg_utf8_length(in->url, n) > WATCH_URL_MAX) {
		*field = "url";
		*why = _("Cette adresse est trop longue ou contient des "
		    "caractères invalides.");
		return VG_EINVAL;
	}
	if (other_scheme(in->url)) {
		*field = "url";
		*why = _("Seules les adresses http:// et https:// sont "
		    "acceptées.");
		return VG_EINVAL;
	}
	if (strncasecmp(in->url, "http://", 7) != 0 &&
	    strncasecmp(in->url, "https://", 8) != 0) {
		*field = "url";
		*why = _("Cette adresse n'est pas valide : elle doit commencer "
		    "par http:// ou https://, par exemple "
		    "https://exemple.fr/flux.xml.");
		return VG_EINVAL;
	}
	if ((*canon = watch_canonical_url(in->url, NULL)) == NULL) {
		*field = "url";
		*why = _("Cette adresse n'est pas valide : vérifiez le nom du "
		    "site après http:// ou https://.");
		return VG_EINVAL;
	}
	if (in->name == NULL || *in->name == '\0' ||
	    !vg_utf8_valid_text(in->name, strlen(in->name)) ||
	    vg_utf8_length(in->name, strlen(in->name)) > WATCH_NAME_MAX) {
		*field = "name";
		*why = _("Donnez à la source un nom de 1 à 200 caractères.");
		goto fail;
	}
	if (in->lang == NULL || (strcmp(in->lang, "fr") != 0 &&
	    strcmp(in->lang, "en") != 0)) {
		*field = "lang";
		*why = _("Choisissez la langue de la source : français ou "
		    "anglais.");
		goto fail;
	}
	if ((*themes = watch_themes_norm(in->themes, &bad)) == NULL) {
		*field = "themes";
		*why = bad == NULL ? _("Mémoire insuffisante.") : *bad == '\0' ?
		    _("Choisissez au plus 10 thèmes.") :
		    _("Un thème choisi n'existe pas : choisissez dans la "
		    "liste des thèmes.");
		goto fail;
	}
	return VG_OK;
fail:
	free(*canon);
	*canon = NULL;
	return VG_EINVAL;
}

vg_rc
watch_source_save(int64_t id, const struct watch_source_in *in,
    int64_t *out_id, const char **why, const char **field)
{
	vg_db *db = vg_db_thread();
	char *canon, *themes, now[21];
	vg_stmt *st = NULL;
	vg_rc rc;

	if ((rc = watch_source_check(in, &canon, &themes, why, field)) !=
	    VG_OK)
		return rc;
	if (db == NULL) {
		rc = VG_EDB;
		goto done;
	}
	watch_iso((int64_t)time(NULL), now);
	if (id == 0)
		rc = vg_db_prepare(db, "INSERT INTO watch_sources (url, name, "
		    "lang, themes, active, created) VALUES (?1, ?2, ?3, ?4, "
		    "?5, "
		    "?6)", &st);
	else
		rc = vg_db_prepare(db, "UPDATE watch_sources SET url = ?1, "
		    "name = ?2, lang = ?3, themes = ?4, active = ?5, "
		    /* Another address: its validators no longer apply. */
		    "etag = CASE WHEN url = ?1 THEN etag END, "
		    "last_modified = CASE WHEN url = ?1 THEN last_modified END "
		    "WHERE id = ?7", &st);
	if (rc != VG_OK)
		goto done;
	vg_stmt_bind_text(st, 1, canon);
	vg_stmt_bind_text(st, 2, in->name);
	vg_stmt_bind_text(st, 3, in->lang);
	vg_stmt_bind_text(st, 4, themes);
	vg_stmt_bind_int(st, 5, in->active ? 1 : 0);
	if (id == 0)
		vg_stmt_bind_text(st, 6, now);
	else
		vg_stmt_bind_int(st, 7, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc == VG_ECONFLICT) {
		*field = "url";
		*why = _("Cette source est déjà suivie : une autre source a la "
		    "même adresse.");
	} else if (rc == VG_OK) {
		*out_id = id == 0 ? vg_db_last_id(db) : id;
	}
done:
	free(canon);
	free(themes);
	return rc;
}

vg_rc
watch_source_delete(int64_t id)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st = NULL;
	bool row;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = vg_db_prepare(db, "SELECT 1 FROM watch_sources WHERE id = ?",
	    &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, id);
	rc = vg_stmt_step(st, &row);
	vg_stmt_done(st);
	if (rc == VG_OK && !row)
		rc = VG_ENOTFOUND;
	if (rc != VG_OK)
		goto fail;
	/* The items first, one by one through their delete trigger, so the
	 * search index forgets them too. */
	if ((rc = vg_db_prepare(db, "DELETE FROM watch_items WHERE source_id "
	    "= ?", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	if ((rc = vg_db_prepare(db, "DELETE FROM watch_sources WHERE id = ?",
	    &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	return vg_db_commit(db);
fail:
	vg_db_rollback(db);
	return rc;
}

static const char source_cols[] = "SELECT s.id, s.url, s.name, s.lang, "
    "s.themes, s.active, s.kind, s.last_fetch, s.last_ok, s.error, "
    "s.failures, s.feed_url, (SELECT count(*) FROM watch_items i WHERE "
    "i.source_id = s.id) FROM watch_sources s ";

static const char *
kind_label(const char *kind)
{
	if (kind == NULL)
		return _("jamais relevée");
	if (!strcmp(kind, "rss"))
		return _("flux RSS");
	if (!strcmp(kind, "atom"))
		return _("flux Atom");
	return _("page web");
}

/* "2026-11-23T12:00:00Z" as "23/11/2026 à 12:00 UTC", or NULL. */
static json_t *
when_text(const char *iso)
{
	int y, mo, d, h, mi;

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h,
	    &mi) != 5)
		return json_null();
	return json_sprintf(_("%02d/%02d/%04d à %02d:%02d UTC"), d, mo, y, h,
	    mi);
}

static json_t *
source_row(vg_stmt *st)
{
	const char *kind = vg_stmt_text(st, 6);

	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:s?, s:s, s:s?, "
	    "s:o, s:s?, s:o, s:s?, s:I, s:s?, s:I}",
	    "id", (json_int_t)vg_stmt_int(st, 0),
	    "url", vg_stmt_text(st, 1),
	    "name", vg_stmt_text(st, 2),
	    "lang", vg_stmt_text(st, 3),
	    "themes", watch_themes_json(vg_stmt_text(st, 4)),
	    "active", vg_stmt_int(st, 5) != 0,
	    "kind", kind,
	    "kind_label", kind_label(kind),
	    "last_fetch", vg_stmt_text(st, 7),
	    "last_fetch_text", when_text(vg_stmt_text(st, 7)),
	    "last_ok", vg_stmt_text(st, 8),
	    "last_ok_text", when_text(vg_stmt_text(st, 8)),
	    "error", vg_stmt_text(st, 9),
	    "failures", (json_int_t)vg_stmt_int(st, 10),
	    "feed_url", vg_stmt_text(st, 11),
	    "items", (json_int_t)vg_stmt_int(st, 12));
}

vg_rc
watch_source_get(int64_t id, json_t **out)
{
	static char sql[sizeof(source_cols) + 32];
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (sql[0] == '\0')
		snprintf(sql, sizeof(sql), "%sWHERE s.id = ?", source_cols);
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, sql, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK) {
		if (!row)
			rc = VG_ENOTFOUND;
		else if ((*out = source_row(st)) == NULL)
			rc = VG_ENOMEM;
	}
	vg_stmt_done(st);
	return rc;
}

vg_rc
watch_source_list(json_t **out)
{
	static char sql[sizeof(source_cols) + 64];
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *o;
	bool row;
	vg_rc rc;

	if (sql[0] == '\0')
		snprintf(sql, sizeof(sql), "%sORDER BY s.name COLLATE NOCASE, "
		    "s.id", source_cols);
	if (db == NULL || (*out = json_array()) == NULL)
		return db == NULL ? VG_EDB : VG_ENOMEM;
	if ((rc = vg_db_prepare(db, sql, &st)) != VG_OK)
		goto fail;
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		if ((o = source_row(st)) == NULL ||
		    json_array_append_new(*out, o) != 0) {
			rc = VG_ENOMEM;
			break;
		}
	}
	vg_stmt_done(st);
	if (rc == VG_OK)
		return VG_OK;
fail:
	json_decref(*out);
	*out = NULL;
	return rc;
}

/* --- a source's round --------------------------------------------------- */

struct source_state {
	char *url, *etag, *last_modified;
};

static vg_rc
source_load(vg_db *db, int64_t id, struct source_state *s,
    struct watch_outcome *out)
{
	vg_stmt *st;
	bool row;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, "SELECT url, name, etag, last_modified "
	    "FROM watch_sources WHERE id = ?", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && !row)
		rc = VG_ENOTFOUND;
	if (rc == VG_OK) {
		const char *e = vg_stmt_text(st, 2), *l = vg_stmt_text(st, 3);

		snprintf(out->name, sizeof(out->name), "%s",
		    vg_stmt_text(st, 1));
		s->url = strdup(vg_stmt_text(st, 0));
		s->etag = e ? strdup(e) : NULL;
		s->last_modified = l ? strdup(l) : NULL;
		if (s->url == NULL)
			rc = VG_ENOMEM;
	}
	vg_stmt_done(st);
	return rc;
}

/* Insert one item: 1 when new, 0 when already kept (this source's key or
 * any source's link), -1 on a storage failure. */
static int
item_insert(vg_db *db, int64_t source, const struct watch_item *it,
    const char *now)
{
	char *key = watch_item_key(it), published[21];
	vg_stmt *st;
	vg_rc rc;

	if (key == NULL)
		return -1;
	/* A new item starts with its source's themes: editors refine. */
	if (vg_db_prepare(db, "INSERT INTO watch_items (source_id, key, guid, "
	    "link, title, summary, author, published, fetched, themes) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, (SELECT themes FROM "
	    "watch_sources WHERE id = ?1))", &st) != VG_OK) {
		free(key);
		return -1;
	}
	vg_stmt_bind_int(st, 1, source);
	vg_stmt_bind_text(st, 2, key);
	vg_stmt_bind_text(st, 3, it->guid);
	vg_stmt_bind_text(st, 4, it->link);
	vg_stmt_bind_text(st, 5, it->title);
	vg_stmt_bind_text(st, 6, it->summary);
	vg_stmt_bind_text(st, 7, it->author);
	if (it->published > 0) {
		watch_iso(it->published, published);
		vg_stmt_bind_text(st, 8, published);
	} else {
		vg_stmt_bind_null(st, 8);
	}
	vg_stmt_bind_text(st, 9, now);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	free(key);
	return rc == VG_OK ? 1 : rc == VG_ECONFLICT ? 0 : -1;
}

static const char *
kind_code(enum watch_kind k)
{
	return k == WATCH_RSS ? "rss" : k == WATCH_ATOM ? "atom" : "page";
}

/* The source's state after a success (feed NULL: 304). */
static vg_rc
state_ok(vg_db *db, int64_t id, const struct watch_feed *feed,
    const struct watch_http *h, const char *now)
{
	vg_stmt *st;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, "UPDATE watch_sources SET "
	    "kind = coalesce(?2, kind), "
	    "etag = CASE WHEN ?7 THEN etag ELSE ?3 END, "
	    "last_modified = CASE WHEN ?7 THEN last_modified ELSE ?4 END, "
	    "last_fetch = ?5, last_ok = ?5, error = NULL, failures = 0, "
	    "feed_url = CASE WHEN ?7 THEN feed_url ELSE ?6 END "
	    "WHERE id = ?1", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	if (feed != NULL)
		vg_stmt_bind_text(st, 2, kind_code(feed->kind));
	vg_stmt_bind_text(st, 3, h->etag);
	vg_stmt_bind_text(st, 4, h->last_modified);
	vg_stmt_bind_text(st, 5, now);
	if (feed != NULL)
		vg_stmt_bind_text(st, 6, feed->feed_url);
	vg_stmt_bind_int(st, 7, feed == NULL);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

/* Only the error and the count of failures: no item changes. */
static vg_rc
state_failed(vg_db *db, int64_t id, const char *error, const char *now)
{
	vg_stmt *st;
	vg_rc rc;

	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = vg_db_prepare(db, "UPDATE watch_sources SET last_fetch = ?, "
	    "error = ?, failures = failures + 1 WHERE id = ?", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_text(st, 1, now);
	vg_stmt_bind_text(st, 2, error);
	vg_stmt_bind_int(st, 3, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	return vg_db_commit(db);
fail:
	vg_db_rollback(db);
	return rc;
}

/* The French line of an HTTP error status. */
static void
status_error(long status, char *err, size_t errlen)
{
	if (status == 404 || status == 410)
		snprintf(err, errlen, _("la source répond que cette adresse "
		    "n'existe pas ou plus (HTTP %ld)"), status);
	else if (status == 401 || status == 403)
		snprintf(err, errlen, _("la source refuse l'accès (HTTP %ld)"),
		    status);
	else if (status >= 500)
		snprintf(err, errlen, _("le serveur de la source est en erreur "
		    "(HTTP %ld)"), status);
	else
		snprintf(err, errlen, _("la source a répondu par une erreur "
		    "(HTTP %ld)"), status);
}

/* Store a parsed document: new items and the state, all or nothing. */
static vg_rc
store(vg_db *db, int64_t id, const struct watch_feed *feed,
    const struct watch_http *h, const char *now, int *added)
{
	size_t i;
	int r;
	vg_rc rc;

	*added = 0;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	for (i = 0; i < feed->nitems; i++) {
		if ((r = item_insert(db, id, &feed->items[i], now)) < 0) {
			rc = VG_EDB;
			goto fail;
		}
		*added += r;
	}
	if ((rc = state_ok(db, id, feed, h, now)) != VG_OK)
		goto fail;
	return vg_db_commit(db);
fail:
	*added = 0;
	vg_db_rollback(db);
	return rc;
}

vg_rc
watch_fetch_source(const vg_config *c, int64_t id, struct watch_outcome *out)
{
	vg_db *db = vg_db_thread();
	struct source_state s = {NULL, NULL, NULL};
	struct watch_http h;
	struct watch_feed *feed = NULL;
	char err[WATCH_ERR_MAX] = "", now[21];
	vg_rc rc;

	memset(out, 0, sizeof(*out));
	memset(&h, 0, sizeof(h));
	out->id = id;
	if (db == NULL)
		return VG_EDB;
	if ((rc = source_load(db, id, &s, out)) != VG_OK)
		goto done;
	if (watch_http_get(c, s.url, s.etag, s.last_modified, &h, err,
	    sizeof(err)) != VG_OK) {
		/* err is set */
	} else if (h.status == 304) {
		out->unchanged = true;
	} else if (h.status >= 400) {
		status_error(h.status, err, sizeof(err));
	} else if (watch_feed_parse(h.body, h.len, s.url, &feed, err,
	    sizeof(err)) != VG_OK) {
		if (err[0] == '\0')
			snprintf(err, sizeof(err), "%s",
			    _("document illisible"));
	}
	watch_iso((int64_t)time(NULL), now);
	if (err[0] != '\0' && vg_server_stopping()) {
		/* Not the source's fault: nothing recorded, fetched again
		 * at the next start. */
		out->failed = true;
		snprintf(out->error, sizeof(out->error), "%s", err);
	} else if (err[0] != '\0') {
		out->failed = true;
		snprintf(out->error, sizeof(out->error), "%s", err);
		rc = state_failed(db, id, err, now);
	} else if (out->unchanged) {
		if ((rc = vg_db_begin(db)) == VG_OK) {
			if ((rc = state_ok(db, id, NULL, &h, now)) == VG_OK)
				rc = vg_db_commit(db);
			else
				vg_db_rollback(db);
		}
	} else {
		rc = store(db, id, feed, &h, now, &out->added);
		if (feed->feed_url != NULL)
			snprintf(out->feed_url, sizeof(out->feed_url), "%s",
			    feed->feed_url);
	}
done:
	watch_feed_free(feed);
	watch_http_free(&h);
	free(s.url);
	free(s.etag);
	free(s.last_modified);
	return rc;
}

/* The ids of the sources to fetch, in a new array. */
static vg_rc
round_ids(vg_db *db, bool due, int64_t now, int interval, int64_t **ids,
    size_t *n)
{
	vg_stmt *st;
	size_t cap = 0;
	bool row;
	vg_rc rc;

	*ids = NULL;
	*n = 0;
	/* A failing source waits 2, 4, then 8 intervals: a dead site is not
	 * hammered, and comes back by itself once it answers again. */
	if ((rc = vg_db_prepare(db, "SELECT id FROM watch_sources "
	    "WHERE active = 1 AND (?1 = 0 OR last_fetch IS NULL OR "
	    "CAST(strftime('%s', last_fetch) AS INTEGER) + "
	    "?3 * (1 << min(failures, 3)) <= ?2) ORDER BY id", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, due ? 1 : 0);
	vg_stmt_bind_int(st, 2, now);
	vg_stmt_bind_int(st, 3, interval);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		if (*n == cap) {
			int64_t *p = realloc(*ids, (cap = cap ? cap * 2 : 16) *
			    sizeof(**ids));

			if (p == NULL) {
				rc = VG_ENOMEM;
				break;
			}
			*ids = p;
		}
		(*ids)[(*n)++] = vg_stmt_int(st, 0);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return rc;
}

vg_rc
watch_round(const vg_config *c, bool due, int64_t now, watch_round_fn fn,
    void *arg, int *failed)
{
	vg_db *db = vg_db_thread();
	struct watch_outcome o;
	int64_t *ids;
	size_t i, n;
	vg_rc rc;

	*failed = 0;
	if (db == NULL)
		return VG_EDB;
	if ((rc = round_ids(db, due, now, c->watch_interval, &ids, &n)) !=
	    VG_OK)
		return rc;
	for (i = 0; i < n && !vg_server_stopping(); i++) {
		rc = watch_fetch_source(c, ids[i], &o);
		if (rc == VG_ENOTFOUND)         /* deleted meanwhile */
			continue;
		if (rc != VG_OK) {
			o.failed = true;
			snprintf(o.error, sizeof(o.error), "%s",
			    _("l'enregistrement a échoué (base de données)"));
		}
		if (o.failed)
			(*failed)++;
		if (fn != NULL)
			fn(&o, arg);
	}
	free(ids);
	return VG_OK;
}
