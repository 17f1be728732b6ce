/*
 * items.c — what the sources published, as editors read it: filtered and
 * searched (the same French search as the resources), marked read, tagged,
 * annotated, selected for the next newsletter.
 *
 * One statement serves every combination of filters: each filter is a
 * bound parameter that is NULL when unused, so no SQL is ever assembled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/fts.h"
#include "watch/watch_int.h"

#define WHERE_ITEMS \
	"FROM watch_items i JOIN watch_sources s ON s.id = i.source_id " \
	"WHERE (?1 IS NULL OR i.id IN (SELECT rowid FROM watch_items_fts " \
	"    WHERE watch_items_fts MATCH ?1)) " \
	"AND (?2 = 0 OR i.source_id = ?2) " \
	"AND (?3 IS NULL OR ',' || i.themes || ',' LIKE '%,' || ?3 || ',%') " \
	"AND (?4 IS NULL OR s.lang = ?4) " \
	"AND (?5 = 0 OR (?5 = 1 AND i.read = 0) OR (?5 = 2 AND i.read = 1) " \
	"    OR (?5 = 3 AND i.selected IS NOT NULL)) "

static void
bind_filter(vg_stmt *st, const struct watch_filter *f, const char *match)
{
	vg_stmt_bind_text(st, 1, match);
	vg_stmt_bind_int(st, 2, f->source);
	vg_stmt_bind_text(st, 3, f->theme);
	vg_stmt_bind_text(st, 4, f->lang);
	vg_stmt_bind_int(st, 5, (int64_t)f->state);
}

/* "2026-11-16T08:00:00Z" as "16/11/2026", or null. */
static json_t *
day_text(const char *iso)
{
	int y, m, d;

	if (iso == NULL || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return json_null();
	return json_sprintf("%02d/%02d/%04d", d, m, y);
}

static json_t *
item_row(vg_stmt *st)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?, s:s, s:s?, "
	    "s:s?, "
	    "s:s, s:b, s:o, s:s, s:b, s:s?, s:o?}",
	    "id", (json_int_t)vg_stmt_int(st, 0),
	    "source_id", (json_int_t)vg_stmt_int(st, 1),
	    "source", vg_stmt_text(st, 2),
	    "lang", vg_stmt_text(st, 3),
	    "title", vg_stmt_text(st, 4),
	    "link", vg_stmt_text(st, 5),
	    "summary", vg_stmt_text(st, 6),
	    "author", vg_stmt_text(st, 7),
	    "published", vg_stmt_text(st, 8),
	    "fetched", vg_stmt_text(st, 9),
	    "read", vg_stmt_int(st, 10) != 0,
	    "themes", watch_themes_json(vg_stmt_text(st, 11)),
	    "note", vg_stmt_text(st, 12),
	    "selected", !vg_stmt_is_null(st, 13),
	    "selected_at", vg_stmt_text(st, 13),
	    "sent_issue", vg_stmt_is_null(st, 14) ? NULL :
	    json_integer(vg_stmt_int(st, 14)));

	if (o != NULL) {
		json_object_set_new(o, "published_text",
		    day_text(vg_stmt_text(st, 8)));
		json_object_set_new(o, "fetched_text",
		    day_text(vg_stmt_text(st, 9)));
	}
	return o;
}

#define ITEM_COLS \
	"SELECT i.id, i.source_id, s.name, s.lang, i.title, i.link, " \
	"i.summary, i.author, i.published, i.fetched, i.read, i.themes, " \
	"i.note, i.selected, i.sent_issue "

vg_rc
watch_item_get(int64_t id, json_t **out)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, ITEM_COLS "FROM watch_items i JOIN "
	    "watch_sources s ON s.id = i.source_id WHERE i.id = ?", &st)) !=
	    VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK) {
		if (!row)
			rc = VG_ENOTFOUND;
		else if ((*out = item_row(st)) == NULL)
			rc = VG_ENOMEM;
	}
	vg_stmt_done(st);
	return rc;
}

vg_rc
watch_items_find(const struct watch_filter *f, json_t **out, int64_t *total)
{
	vg_db *db = vg_db_thread();
	char *match = NULL;
	vg_stmt *st = NULL;
	int page = f->page < 1 ? 1 : f->page;
	json_t *o;
	bool row;
	vg_rc rc;

	*out = NULL;
	*total = 0;
	if (db == NULL)
		return VG_EDB;
	if (f->q != NULL && *f->q != '\0' && (match = vg_fts_query(f->q)) ==
	    NULL) {
		/* No word at all (only punctuation): nothing can match. */
		*out = json_array();
		return *out ? VG_OK : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, "SELECT count(*) " WHERE_ITEMS, &st)) !=
	    VG_OK)
		goto done;
	bind_filter(st, f, match);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		*total = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto done;
	if ((rc = vg_db_prepare(db, ITEM_COLS WHERE_ITEMS
	    "ORDER BY i.fetched DESC, i.published DESC NULLS LAST, i.id DESC "
	    "LIMIT ?6 OFFSET ?7", &st)) != VG_OK)
		goto done;
	bind_filter(st, f, match);
	vg_stmt_bind_int(st, 6, WATCH_PAGE_SIZE);
	vg_stmt_bind_int(st, 7, (int64_t)(page - 1) * WATCH_PAGE_SIZE);
	if ((*out = json_array()) == NULL) {
		rc = VG_ENOMEM;
		vg_stmt_done(st);
		goto done;
	}
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		if ((o = item_row(st)) == NULL ||
		    json_array_append_new(*out, o) != 0) {
			rc = VG_ENOMEM;
			break;
		}
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(*out);
		*out = NULL;
	}
done:
	free(match);
	return rc;
}

/* Run one UPDATE of a single item bound as ?1 (and text or int ?2, ?3);
 * VG_ENOTFOUND when no item has that id. */
static vg_rc
item_update(const char *sql, int64_t id, const char *t2, const char *t3,
    int64_t i2, bool use_int)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = vg_db_prepare(db, "SELECT 1 FROM watch_items WHERE id = ?",
	    &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, id);
	rc = vg_stmt_step(st, &row);
	vg_stmt_done(st);
	if (rc == VG_OK && !row)
		rc = VG_ENOTFOUND;
	if (rc != VG_OK)
		goto fail;
	if ((rc = vg_db_prepare(db, sql, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, id);
	if (use_int)
		vg_stmt_bind_int(st, 2, i2);
	else
		vg_stmt_bind_text(st, 2, t2);
	if (t3 != NULL)
		vg_stmt_bind_text(st, 3, t3);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	return vg_db_commit(db);
fail:
	vg_db_rollback(db);
	return rc;
}

vg_rc
watch_item_read(int64_t id, bool read)
{
	return item_update("UPDATE watch_items SET read = ?2 WHERE id = ?1",
	    id, NULL, NULL, read ? 1 : 0, true);
}

vg_rc
watch_item_annotate(int64_t id, const char *themes, const char *note)
{
	/* Tagging an item is reading it. */
	return item_update("UPDATE watch_items SET themes = ?2, note = ?3, "
	    "read = 1 WHERE id = ?1", id, themes, note ? note : "", 0, false);
}

vg_rc
watch_item_select(int64_t id, bool on)
{
	/* Selecting again keeps the first time: the selection's order is
	 * the order editors chose in (to the millisecond, so that two
	 * choices in the same second keep theirs). */
	return item_update(on ? "UPDATE watch_items SET selected = "
	    "coalesce(selected, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), "
	    "read = 1 WHERE id = ?1 AND ?2 = 1" :
	    "UPDATE watch_items SET selected = NULL WHERE id = ?1 AND ?2 = 0",
	    id, NULL, NULL, on ? 1 : 0, true);
}

vg_rc
watch_items_read(const int64_t *ids, size_t n, int64_t *changed)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	size_t i;
	bool row;
	vg_rc rc;

	*changed = 0;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if ((rc = vg_db_prepare(db, "UPDATE watch_items SET read = 1 "
		    "WHERE id = ? AND read = 0 RETURNING id", &st)) != VG_OK)
			goto fail;
		vg_stmt_bind_int(st, 1, ids[i]);
		rc = vg_stmt_step(st, &row);
		if (rc == VG_OK && row) {
			(*changed)++;
			rc = vg_stmt_step(st, &row);
		}
		vg_stmt_done(st);
		if (rc != VG_OK)
			goto fail;
	}
	return vg_db_commit(db);
fail:
	*changed = 0;
	vg_db_rollback(db);
	return rc;
}
