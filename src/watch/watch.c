/*
 * watch.c — the watch's timer (the server's tick) and the selection the
 * newsletter reads.  The command line is in cli.c, the pages in routes.c.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/log.h"
#include "db/db.h"
#include "watch/watch_int.h"

/*
 * One round at a time: the tick thread comes back every few seconds while
 * a round with slow sources may take minutes.
 */
static atomic_bool round_running;

void
watch_tick(const vg_site *s)
{
	const vg_config *c = s->config;
	bool busy = false;
	int failed = 0;

	if (c->watch_interval <= 0 || vg_server_stopping())
		return;
	if (!atomic_compare_exchange_strong(&round_running, &busy, true))
		return;
	if (watch_round(c, true, (int64_t)time(NULL), NULL, NULL, &failed) !=
	    VG_OK)
		vg_error("watch: the round could not start (database)");
	else if (failed > 0)
		vg_info("watch: %d sources failed", failed);
	atomic_store(&round_running, false);
}

/* "a,b,c" as a JSON array of strings (empty parts skipped). */
static json_t *
theme_list(const char *s)
{
	json_t *a = json_array();
	const char *p = s, *end;

	while (a != NULL && p != NULL && *p != '\0') {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if (end > p)
			json_array_append_new(a, json_stringn(p,
			    (size_t)(end - p)));
		p = *end == ',' ? end + 1 : end;
	}
	return a;
}

json_t *
watch_selection(void)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st = NULL;
	json_t *out, *it;
	bool row;

	if (db == NULL || (out = json_array()) == NULL)
		return NULL;
	if (vg_db_prepare(db, "SELECT i.id, i.title, i.link, i.summary, "
	    "i.note, s.name, s.lang, i.themes, substr(i.published, 1, 10) "
	    "FROM watch_items i JOIN watch_sources s ON s.id = i.source_id "
	    "WHERE i.selected IS NOT NULL ORDER BY i.selected, i.id",
	    &st) != VG_OK)
		goto fail;
	while (vg_stmt_step(st, &row) == VG_OK && row) {
		it = json_pack("{s:I, s:s, s:s?, s:s, s:s, s:s, s:s, s:o, s:s?}",
		    "id", (json_int_t)vg_stmt_int(st, 0),
		    "title", vg_stmt_text(st, 1),
		    "link", vg_stmt_text(st, 2),
		    "summary", vg_stmt_text(st, 3),
		    "note", vg_stmt_text(st, 4),
		    "source", vg_stmt_text(st, 5),
		    "lang", vg_stmt_text(st, 6),
		    "themes", theme_list(vg_stmt_text(st, 7)),
		    "published", vg_stmt_text(st, 8));
		if (it == NULL || json_array_append_new(out, it) != 0)
			goto fail;
	}
	vg_stmt_done(st);
	return out;
fail:
	if (st != NULL)
		vg_stmt_done(st);
	json_decref(out);
	return NULL;
}

vg_rc
watch_selection_done(const int64_t *ids, size_t n, int64_t issue_id)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st = NULL;
	vg_rc rc;
	size_t i;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if ((rc = vg_db_prepare(db, "UPDATE watch_items SET selected = "
		    "NULL, sent_issue = ? WHERE id = ?", &st)) != VG_OK)
			goto fail;
		vg_stmt_bind_int(st, 1, issue_id);
		vg_stmt_bind_int(st, 2, ids[i]);
		if ((rc = vg_stmt_exec(st)) != VG_OK)
			goto fail;
		vg_stmt_done(st);
		st = NULL;
	}
	return vg_db_commit(db);
fail:
	if (st != NULL)
		vg_stmt_done(st);
	vg_db_rollback(db);
	return rc;
}
