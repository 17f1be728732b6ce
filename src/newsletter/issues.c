/*
 * issues.c — an issue and its ordered blocks.
 *
 * A block keeps its settings (data): the Markdown of a text, the watch
 * items as they were selected when the block was added (the selection
 * moves on), the chosen indicators, the date new resources are counted
 * from.  While the issue is a draft its blocks are resolved afresh for
 * every preview; when sending starts they are resolved one last time and
 * frozen into the issue (send.c), so the archive shows what was sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barometer/barometer.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "core/when.h"
#include "newsletter/newsletter_int.h"
#include "resources/resources.h"
#include "trainings/trainings.h"
#include "watch/watch.h"

static const char *const kinds[][2] = {
	{"text", N_("Texte")},
	{"watch", N_("Veille : articles sélectionnés")},
	{"barometer", N_("Baromètre : chiffres clés")},
	{"resources", N_("Nouvelles ressources")},
	{"trainings", N_("Formations à venir")},
};

const char *
nl_kind_label(const char *kind)
{
	size_t i;

	for (i = 0; kind != NULL && i < VG_ARRAY_LEN(kinds); i++)
		if (!strcmp(kind, kinds[i][0]))
			return _(kinds[i][1]);
	return NULL;
}

const char *
nl_status_label(const char *status)
{
	if (status == NULL)
		return NULL;
	if (!strcmp(status, "draft"))
		return _("brouillon");
	if (!strcmp(status, "sending"))
		return _("envoi en cours");
	if (!strcmp(status, "sent"))
		return _("envoyée");
	return status;
}

vg_rc
nl_issue_check(const char *title, const char *period, const char **why,
    const char **field)
{
	if (title == NULL || *title == '\0') {
		*why = _("Donnez un titre à la lettre.");
		*field = "title";
		return VG_EINVAL;
	}
	if (vg_utf8_length(title, strlen(title)) > NL_TITLE_MAX) {
		*why = _("Le titre est trop long (200 caractères au plus).");
		*field = "title";
		return VG_EINVAL;
	}
	if (period == NULL || *period == '\0') {
		*why = _("Indiquez la période de la lettre, par exemple "
		    "« Automne 2026 ».");
		*field = "period";
		return VG_EINVAL;
	}
	if (vg_utf8_length(period, strlen(period)) > NL_PERIOD_MAX) {
		*why = _("La période est trop longue (60 caractères au plus).");
		*field = "period";
		return VG_EINVAL;
	}
	return VG_OK;
}

vg_rc
nl_issue_create(const char *title, const char *period, int64_t user,
    int64_t now, int64_t *id)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, "INSERT INTO newsletter_issues (title, "
	    "period, created_by, created_at, updated_at) VALUES "
	    "(?, ?, ?, ?, ?)", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, title);
	vg_stmt_bind_text(st, 2, period);
	if (user > 0)
		vg_stmt_bind_int(st, 3, user);
	else
		vg_stmt_bind_null(st, 3);
	vg_stmt_bind_int(st, 4, now);
	vg_stmt_bind_int(st, 5, now);
	if ((rc = vg_stmt_exec(st)) == VG_OK)
		*id = vg_db_last_id(db);
	vg_stmt_done(st);
	return rc;
}

/* Inside a transaction: VG_ENOTFOUND, VG_ECONFLICT (not a draft), or
 * VG_OK, the issue then touched. */
static vg_rc
draft_touch(vg_db *db, int64_t id, int64_t now)
{
	vg_stmt *st;
	bool row;
	vg_rc rc;
	int draft = 0;

	if ((rc = vg_db_prepare(db, "SELECT status = 'draft' FROM "
	    "newsletter_issues WHERE id = ?", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		draft = (int)vg_stmt_int(st, 0) + 1;
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	if (draft == 0)
		return VG_ENOTFOUND;
	if (draft == 1)
		return VG_ECONFLICT;
	if ((rc = vg_db_prepare(db, "UPDATE newsletter_issues SET "
	    "updated_at = ? WHERE id = ?", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, now);
	vg_stmt_bind_int(st, 2, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

/* Run one statement with up to three integer/text parameters in a
 * transaction on a draft.  types: "i" integer, "t" text, per param. */
static vg_rc
draft_exec(int64_t issue, int64_t now, const char *sql, const char *types,
    const int64_t *ints, const char *const *texts, bool *changed)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	size_t i;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = draft_touch(db, issue, now)) != VG_OK)
		goto fail;
	if ((rc = vg_db_prepare(db, sql, &st)) != VG_OK)
		goto fail;
	for (i = 0; types[i] != '\0'; i++)
		if (types[i] == 'i')
			vg_stmt_bind_int(st, (int)i + 1, ints[i]);
		else
			vg_stmt_bind_text(st, (int)i + 1, texts[i]);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	if (changed != NULL) {
		bool row;

		*changed = false;
		if ((rc = vg_db_prepare(db, "SELECT changes()", &st)) != VG_OK)
			goto fail;
		if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
			*changed = vg_stmt_int(st, 0) > 0;
		vg_stmt_done(st);
		if (rc != VG_OK)
			goto fail;
		if (!*changed) {
			rc = VG_ENOTFOUND;
			goto fail;
		}
	}
	return vg_db_commit(db);
fail:
	vg_db_rollback(db);
	return rc;
}

vg_rc
nl_issue_update(int64_t id, const char *title, const char *period,
    int64_t now)
{
	const int64_t ints[] = {0, 0, id};
	const char *const texts[] = {title, period, NULL};

	return draft_exec(id, now, "UPDATE newsletter_issues SET title = ?, "
	    "period = ? WHERE id = ?", "tti", ints, texts, NULL);
}

vg_rc
nl_issue_delete(int64_t id)
{
	const int64_t ints[] = {id};

	return draft_exec(id, 0, "DELETE FROM newsletter_issues WHERE id = ?",
	    "i", ints, NULL, NULL);
}

#define ISSUE_COLS "id, number, title, period, status, created_at, " \
	"sending_at, sent_at, content"

static json_t *
issue_row(vg_stmt *st)
{
	const char *status = vg_stmt_text(st, 4);
	char text[40];
	json_t *o;

	o = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
	    (json_int_t)vg_stmt_int(st, 0), "title", vg_stmt_text(st, 2),
	    "period", vg_stmt_text(st, 3), "status", status, "status_label",
	    nl_status_label(status));
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "is_draft", json_boolean(!strcmp(status,
	    "draft")));
	json_object_set_new(o, "is_sending", json_boolean(!strcmp(status,
	    "sending")));
	json_object_set_new(o, "is_sent", json_boolean(!strcmp(status,
	    "sent")));
	if (!vg_stmt_is_null(st, 1)) {
		json_object_set_new(o, "number",
		    json_integer(vg_stmt_int(st, 1)));
		snprintf(text, sizeof(text), "/lettre/%lld",
		    (long long)vg_stmt_int(st, 1));
		json_object_set_new(o, "url", json_string(text));
	}
	vg_time_text(vg_stmt_int(st, 5), "%d/%m/%Y", text, sizeof(text));
	json_object_set_new(o, "created", json_string(text));
	if (!vg_stmt_is_null(st, 6)) {
		vg_time_text(vg_stmt_int(st, 6), "%d/%m/%Y %H:%M UTC", text,
		    sizeof(text));
		json_object_set_new(o, "sending_at", json_string(text));
	}
	if (!vg_stmt_is_null(st, 7)) {
		vg_time_text(vg_stmt_int(st, 7), "%d/%m/%Y", text,
		    sizeof(text));
		json_object_set_new(o, "sent", json_string(text));
		vg_time_text(vg_stmt_int(st, 7), "%Y-%m-%dT%H:%M:%SZ", text,
		    sizeof(text));
		json_object_set_new(o, "sent_iso", json_string(text));
		json_object_set_new(o, "sent_at",
		    json_integer(vg_stmt_int(st, 7)));
	}
	if (!vg_stmt_is_null(st, 8)) {
		json_t *c = json_loads(vg_stmt_text(st, 8), 0, NULL);

		if (c != NULL)
			json_object_set_new(o, "content", c);
	}
	return o;
}

static vg_rc
issue_query(const char *sql, int64_t param, json_t **out)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, sql, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, param);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row &&
	    (*out = issue_row(st)) == NULL)
		rc = VG_ENOMEM;
	vg_stmt_done(st);
	if (rc == VG_OK && *out == NULL)
		rc = VG_ENOTFOUND;
	return rc;
}

vg_rc
nl_issue_get(int64_t id, json_t **out)
{
	return issue_query("SELECT " ISSUE_COLS " FROM newsletter_issues "
	    "WHERE id = ?", id, out);
}

vg_rc
nl_issue_by_number(int64_t number, json_t **out)
{
	return issue_query("SELECT " ISSUE_COLS " FROM newsletter_issues "
	    "WHERE number = ? AND status = 'sent'", number, out);
}

vg_rc
nl_issue_list(bool sent_only, int limit, json_t **out)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array(), *o;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, "SELECT " ISSUE_COLS " FROM "
	    "newsletter_issues WHERE (? = 0 OR status = 'sent') "
	    "ORDER BY status = 'sent', coalesce(number, 0) DESC, id DESC "
	    "LIMIT ?", &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, sent_only);
	vg_stmt_bind_int(st, 2, limit > 0 ? limit : -1);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		if ((o = issue_row(st)) == NULL) {
			rc = VG_ENOMEM;
			break;
		}
		/* A list needs no content. */
		json_object_del(o, "content");
		json_array_append_new(list, o);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

vg_rc
nl_blocks(int64_t issue, json_t **out)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, "SELECT id, position, kind, data FROM "
	    "newsletter_blocks WHERE issue_id = ? ORDER BY position, id",
	    &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, issue);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const char *kind = vg_stmt_text(st, 2);
		json_t *data = json_loads(vg_stmt_text(st, 3), 0, NULL);

		json_array_append_new(list, json_pack("{s:I, s:I, s:s, s:s, "
		    "s:o}", "id", (json_int_t)vg_stmt_int(st, 0), "position",
		    (json_int_t)vg_stmt_int(st, 1), "kind", kind, "kind_label",
		    nl_kind_label(kind), "data", data ? data : json_object()));
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

vg_rc
nl_block_add(int64_t issue, const char *kind, json_t *data, int64_t now,
    int64_t *id)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	char *text;
	int64_t count = 0, last = 0;
	bool row;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((text = json_dumps(data, JSON_COMPACT)) == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_begin(db)) != VG_OK) {
		free(text);
		return rc;
	}
	if ((rc = draft_touch(db, issue, now)) != VG_OK)
		goto fail;
	if ((rc = vg_db_prepare(db, "SELECT count(*), coalesce(max(position), "
	    "0) FROM newsletter_blocks WHERE issue_id = ?", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, issue);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		count = vg_stmt_int(st, 0);
		last = vg_stmt_int(st, 1);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	if (count >= NL_BLOCKS_MAX) {
		rc = VG_EINVAL;
		goto fail;
	}
	if ((rc = vg_db_prepare(db, "INSERT INTO newsletter_blocks (issue_id, "
	    "position, kind, data) VALUES (?, ?, ?, ?)", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, issue);
	vg_stmt_bind_int(st, 2, last + 1);
	vg_stmt_bind_text(st, 3, kind);
	vg_stmt_bind_text(st, 4, text);
	if ((rc = vg_stmt_exec(st)) == VG_OK)
		*id = vg_db_last_id(db);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	free(text);
	return vg_db_commit(db);
fail:
	vg_db_rollback(db);
	free(text);
	return rc;
}

vg_rc
nl_block_update(int64_t issue, int64_t block, json_t *data, int64_t now)
{
	char *text = json_dumps(data, JSON_COMPACT);
	const int64_t ints[] = {0, block, issue};
	const char *texts[] = {text, NULL, NULL};
	bool changed;
	vg_rc rc;

	if (text == NULL)
		return VG_ENOMEM;
	rc = draft_exec(issue, now, "UPDATE newsletter_blocks SET data = ? "
	    "WHERE id = ? AND issue_id = ?", "tii", ints, texts, &changed);
	free(text);
	return rc;
}

vg_rc
nl_block_delete(int64_t issue, int64_t block, int64_t now)
{
	const int64_t ints[] = {block, issue};
	bool changed;

	return draft_exec(issue, now, "DELETE FROM newsletter_blocks WHERE "
	    "id = ? AND issue_id = ?", "ii", ints, NULL, &changed);
}

vg_rc
nl_block_move(int64_t issue, int64_t block, int dir, int64_t now)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	int64_t pos = -1, other = 0, other_pos = 0;
	bool row;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = draft_touch(db, issue, now)) != VG_OK)
		goto fail;
	if ((rc = vg_db_prepare(db, "SELECT position FROM newsletter_blocks "
	    "WHERE id = ? AND issue_id = ?", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, block);
	vg_stmt_bind_int(st, 2, issue);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		pos = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	if (pos < 0) {
		rc = VG_ENOTFOUND;
		goto fail;
	}
	if ((rc = vg_db_prepare(db, dir < 0 ?
	    "SELECT id, position FROM newsletter_blocks WHERE issue_id = ? "
	    "AND position < ? ORDER BY position DESC LIMIT 1" :
	    "SELECT id, position FROM newsletter_blocks WHERE issue_id = ? "
	    "AND position > ? ORDER BY position LIMIT 1", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, issue);
	vg_stmt_bind_int(st, 2, pos);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		other = vg_stmt_int(st, 0);
		other_pos = vg_stmt_int(st, 1);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	/* Already first (or last): nothing to do. */
	if (other == 0)
		return vg_db_commit(db);
	if ((rc = vg_db_prepare(db, "UPDATE newsletter_blocks SET position = "
	    "? WHERE id = ?", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, other_pos);
	vg_stmt_bind_int(st, 2, block);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK ||
	    (rc = vg_db_prepare(db, "UPDATE newsletter_blocks SET position = "
	    "? WHERE id = ?", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, pos);
	vg_stmt_bind_int(st, 2, other);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	return vg_db_commit(db);
fail:
	vg_db_rollback(db);
	return rc;
}

/* --- settings and resolution --------------------------------------------------- */

static bool
indicator_known(const json_t *list, const char *id)
{
	const json_t *o;
	size_t i;

	json_array_foreach(list, i, o)
		if (!strcmp(json_string_value(json_object_get(o, "id")), id))
			return true;
	return false;
}

vg_rc
nl_block_settings(const vg_keys *k, const char *kind, const char *markdown,
    json_t *indicators, const char *since, json_t **out, const char **why,
    const char **field)
{
	int64_t t;

	VG_UNUSED(k);
	*out = NULL;
	if (nl_kind_label(kind) == NULL) {
		*why = _("Ce genre de bloc n'existe pas : texte, veille, "
		    "baromètre, ressources ou formations.");
		*field = "kind";
		return VG_EINVAL;
	}
	if (!strcmp(kind, "text")) {
		if (markdown == NULL || *markdown == '\0') {
			*why = _("Écrivez le texte du bloc.");
			*field = "markdown";
			return VG_EINVAL;
		}
		*out = json_pack("{s:s}", "markdown", markdown);
	} else if (!strcmp(kind, "watch")) {
		json_t *items = watch_selection();

		if (items == NULL)
			return VG_EDB;
		if (json_array_size(items) == 0) {
			json_decref(items);
			*why = _("Aucun article n'est sélectionné dans la veille : "
			    "sélectionnez-en d'abord dans « Veille ».");
			*field = "kind";
			return VG_EINVAL;
		}
		*out = json_pack("{s:o}", "items", items);
	} else if (!strcmp(kind, "barometer")) {
		json_t *list = barometer_list(), *ids = json_array(), *v;
		size_t i;

		json_array_foreach(indicators, i, v) {
			if (!json_is_string(v) || !indicator_known(list,
			    json_string_value(v))) {
				json_decref(list);
				json_decref(ids);
				*why = _("Cet indicateur n'existe pas dans le "
				    "baromètre.");
				*field = "indicators";
				return VG_EINVAL;
			}
			json_array_append(ids, v);
		}
		json_decref(list);
		if (json_array_size(ids) == 0) {
			json_decref(ids);
			*why = _("Choisissez au moins un indicateur du "
			    "baromètre.");
			*field = "indicators";
			return VG_EINVAL;
		}
		*out = json_pack("{s:o}", "indicators", ids);
	} else if (!strcmp(kind, "resources")) {
		if (since != NULL && !vg_date_parse(since, &t)) {
			*why = _("La date s'écrit AAAA-MM-JJ, par exemple "
			    "2026-09-01.");
			*field = "since";
			return VG_EINVAL;
		}
		*out = json_pack("{s:s?}", "since", since);
	} else {
		*out = json_pack("{s:i}", "days", NL_TRAINING_DAYS);
	}
	return *out ? VG_OK : VG_ENOMEM;
}

/* When the last issue went out (0: never). */
static int64_t
last_sent(void)
{
	vg_stmt *st;
	int64_t t = 0;
	bool row;

	if (vg_db_prepare(vg_db_thread(), "SELECT coalesce(max(sent_at), 0) "
	    "FROM newsletter_issues WHERE status = 'sent'", &st) != VG_OK)
		return 0;
	if (vg_stmt_step(st, &row) == VG_OK && row)
		t = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return t;
}

/* The title of an indicator (its id when unknown), in a static buffer
 * of this thread. */
static const char *
indicator_title(const char *id)
{
	static _Thread_local char title[300];
	json_t *list = barometer_list(), *o;
	size_t i;

	snprintf(title, sizeof(title), "%s", id);
	json_array_foreach(list, i, o)
		if (!strcmp(json_string_value(json_object_get(o, "id")), id))
			snprintf(title, sizeof(title), "%s", json_string_value(
			    json_object_get(o, "title")));
	json_decref(list);
	return title;
}

/* The barometer's figures of each chosen indicator, as published for
 * everyone (no professional breakdown); an indicator with no answers yet
 * says so. */
static json_t *
resolve_barometer(const vg_keys *k, const json_t *ids)
{
	json_t *list = json_array(), *v;
	size_t i;

	json_array_foreach(ids, i, v) {
		const char *id = json_string_value(v);
		json_t *res = NULL, *o, *trend = NULL, *overall;
		char err[256], url[160];

		if (id == NULL)
			continue;
		snprintf(url, sizeof(url), "/barometre/%s", id);
		if (barometer_compute(k, id, NULL, 0, false, &res, err,
		    sizeof(err)) != VG_OK) {
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, "
			    "s:b}", "id", id, "title", indicator_title(id), "url",
			    url, "empty", 1));
			continue;
		}
		overall = json_object_get(res, "overall");
		o = json_pack("{s:s, s:O, s:O?, s:s, s:O?, s:O?, s:O?, s:O?, "
		    "s:O?, s:O?, s:O?, s:b}", "id", id,
		    "title", json_object_get(json_object_get(res, "indicator"),
		    "title"),
		    "method", json_object_get(json_object_get(res, "indicator"),
		    "method"),
		    "url", url,
		    "wave", json_object_get(json_object_get(res, "wave"), "name"),
		    "n", json_object_get(overall, "n"),
		    "percent", json_object_get(overall, "percent"),
		    "interval", json_object_get(overall, "interval"),
		    "estimate", json_object_get(overall, "estimate"),
		    "ci_low", json_object_get(overall, "ci_low"),
		    "ci_high", json_object_get(overall, "ci_high"),
		    "suppressed", json_is_true(json_object_get(overall,
		    "suppressed")));
		if (json_is_true(json_object_get(res, "reports")))
			json_object_set_new(o, "reports", json_true());
		if (barometer_trend(k, id, false, &trend) == VG_OK) {
			json_t *pts = json_array(), *p;
			size_t j;

			/* Only what a chart needs. */
			json_array_foreach(trend, j, p)
				json_array_append_new(pts, json_pack("{s:O?, s:O?, "
				    "s:O?, s:O?, s:b}", "label", json_object_get(
				    json_object_get(p, "wave"), "name"), "estimate",
				    json_object_get(p, "estimate"), "ci_low",
				    json_object_get(p, "ci_low"), "ci_high",
				    json_object_get(p, "ci_high"), "suppressed",
				    json_is_true(json_object_get(p,
				    "suppressed"))));
			json_object_set_new(o, "trend", pts);
			json_decref(trend);
		}
		json_decref(res);
		json_array_append_new(list, o);
	}
	return list;
}

static json_t *
resolve(const vg_keys *k, const char *kind, const json_t *data, int64_t now)
{
	if (!strcmp(kind, "text") || !strcmp(kind, "watch"))
		return json_deep_copy(data);
	if (!strcmp(kind, "barometer"))
		return json_pack("{s:o}", "indicators", resolve_barometer(k,
		    json_object_get(data, "indicators")));
	if (!strcmp(kind, "resources")) {
		const char *since = json_string_value(json_object_get(data,
		    "since"));
		int64_t from = last_sent();
		json_t *items = NULL;
		char text[16];

		if (since != NULL)
			vg_date_parse(since, &from);
		else if (from == 0)
			from = now - 92 * 86400;
		if (resources_new_since(from, &items) != VG_OK)
			items = json_array();
		vg_time_text(from, "%d/%m/%Y", text, sizeof(text));
		return json_pack("{s:s, s:o}", "since", text, "items", items);
	}
	{
		json_t *items = NULL;
		int64_t days = json_integer_value(json_object_get(data, "days"));

		if (days <= 0)
			days = NL_TRAINING_DAYS;
		if (trainings_upcoming(now, now + days * 86400, &items) != VG_OK)
			items = json_array();
		return json_pack("{s:o}", "items", items);
	}
}

vg_rc
nl_resolve(const vg_keys *k, int64_t issue, int64_t now, json_t **out)
{
	json_t *blocks, *b, *list;
	size_t i;
	vg_rc rc;

	*out = NULL;
	if ((rc = nl_blocks(issue, &blocks)) != VG_OK)
		return rc;
	if ((list = json_array()) == NULL) {
		json_decref(blocks);
		return VG_ENOMEM;
	}
	json_array_foreach(blocks, i, b) {
		const char *kind = json_string_value(json_object_get(b, "kind"));
		json_t *c = resolve(k, kind, json_object_get(b, "data"), now);

		json_array_append_new(list, json_pack("{s:O, s:s, s:o}", "id",
		    json_object_get(b, "id"), "kind", kind, "content",
		    c ? c : json_object()));
	}
	json_decref(blocks);
	*out = list;
	return VG_OK;
}
