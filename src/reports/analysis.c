/*
 * analysis.c — the analysts' queue, a report's file, its changes, and the
 * audit log chained by hashes.
 */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/when.h"
#include "db/db.h"
#include "db/sealed.h"
#include "reports/analysis.h"
#include "reports/reports_int.h"
#include "reports/stats.h"

static const char q_last_hash[] =
    "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1";
static const char genesis[] = "vigie-audit-v1";

/* The hash of one entry: its fields and the previous hash, with lengths
 * so that no two different entries hash the same text. */
static void
entry_hash(const char *prev, int64_t at, int64_t actor, const char *action,
    int64_t report_id, const char *detail, char out[VG_TOKEN_CHARS + 1])
{
	vg_buf b = VG_BUF_INIT;

	vg_buf_printf(&b, "%zu:%s|%lld|%lld|%zu:%s|%lld|%zu:%s", strlen(prev),
	    prev, (long long)at, (long long)actor, strlen(action), action,
	    (long long)report_id, detail ? strlen(detail) : 0,
	    detail ? detail : "");
	vg_hash_text(NULL, b.data ? b.data : "", b.len, out);
	vg_buf_free(&b);
}

vg_rc
audit_append(int64_t actor, const char *action, int64_t report_id,
    const char *detail)
{
	static const char q_add[] =
	    "INSERT INTO audit_log (at, actor_id, action, report_id, detail, "
	    "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)";
	char prev[VG_TOKEN_CHARS + 1], hash[VG_TOKEN_CHARS + 1];
	int64_t now = (int64_t)time(NULL);
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q_last_hash, &st)) != VG_OK)
		return rc;
	rc = vg_stmt_step(st, &row);
	snprintf(prev, sizeof(prev), "%s", rc == VG_OK && row ?
	    vg_stmt_text(st, 0) : genesis);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	entry_hash(prev, now, actor, action, report_id, detail, hash);
	if ((rc = vg_db_prepare(db, q_add, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, now);
	vg_stmt_bind_int(st, 2, actor);
	vg_stmt_bind_text(st, 3, action);
	vg_stmt_bind_int(st, 4, report_id);
	vg_stmt_bind_text(st, 5, detail);
	vg_stmt_bind_text(st, 6, prev);
	vg_stmt_bind_text(st, 7, hash);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

vg_rc
reports_audit_verify(int64_t *count, int64_t *bad)
{
	static const char q_all[] =
	    "SELECT id, at, actor_id, action, report_id, detail, prev_hash, "
	    "hash FROM audit_log ORDER BY id";
	char prev[VG_TOKEN_CHARS + 1], hash[VG_TOKEN_CHARS + 1];
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*count = 0;
	*bad = 0;
	if (db == NULL)
		return VG_EDB;
	snprintf(prev, sizeof(prev), "%s", genesis);
	if ((rc = vg_db_prepare(db, q_all, &st)) != VG_OK)
		return rc;
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		entry_hash(prev, vg_stmt_int(st, 1), vg_stmt_int(st, 2),
		    vg_stmt_text(st, 3), vg_stmt_int(st, 4),
		    vg_stmt_text(st, 5), hash);
		if (strcmp(prev, vg_stmt_text(st, 6)) != 0 ||
		    strcmp(hash, vg_stmt_text(st, 7)) != 0) {
			*bad = vg_stmt_int(st, 0);
			rc = VG_EINVAL;
			break;
		}
		snprintf(prev, sizeof(prev), "%s", hash);
		(*count)++;
	}
	vg_stmt_done(st);
	return rc;
}

/* --- the queue ----------------------------------------------------------- */

vg_rc
analysis_queue(const struct queue_filter *f, json_t **out)
{
	/* Priority first (1: child abuse, terrorism, danger), then reports
	 * about the same content side by side, then the oldest first. */
	static const char q[] =
	    "SELECT r.id, r.category, r.priority, r.status, r.created_at, "
	    " (SELECT host FROM report_urls WHERE report_id = r.id "
	    "  ORDER BY position LIMIT 1), "
	    " (SELECT platform FROM report_urls WHERE report_id = r.id "
	    "  ORDER BY position LIMIT 1), "
	    " (SELECT count(DISTINCT u2.report_id) FROM report_urls u1 "
	    "  JOIN report_urls u2 ON u2.canonical = u1.canonical "
	    "  WHERE u1.report_id = r.id AND u2.report_id != r.id), "
	    " (SELECT canonical FROM report_urls WHERE report_id = r.id "
	    "  ORDER BY position LIMIT 1) AS first_url, r.minor, "
	    " coalesce(u.name, ''), "
	    " EXISTS (SELECT 1 FROM notices n WHERE n.report_id = r.id "
	    "  AND n.sent_at IS NOT NULL AND n.reply_at IS NULL "
	    "  AND n.due_at < ?7) "
	    "FROM reports r LEFT JOIN users u ON u.id = r.assignee_id "
	    "WHERE (?1 IS NULL OR r.category = ?1) "
	    "AND (?2 IS NULL OR r.status = ?2) "
	    "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM report_urls "
	    "  WHERE report_id = r.id AND platform = ?3)) "
	    "AND (?4 IS NULL OR r.created_at >= ?4) "
	    "AND (?5 IS NULL OR r.created_at < ?5) "
	    "AND (?6 IS NULL OR (?6 = 0 AND r.assignee_id IS NULL) "
	    "  OR r.assignee_id = ?6) "
	    "ORDER BY r.priority, "
	    /* the oldest report about the same URL sets the group's place */
	    " (SELECT min(r2.created_at) FROM report_urls u1 "
	    "  JOIN report_urls u2 ON u2.canonical = u1.canonical "
	    "  JOIN reports r2 ON r2.id = u2.report_id "
	    "  WHERE u1.report_id = r.id), first_url, r.created_at LIMIT 500";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((list = json_array()) == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_text(st, 1, f->category);
	vg_stmt_bind_text(st, 2, f->status);
	vg_stmt_bind_text(st, 3, f->platform);
	if (f->from > 0)
		vg_stmt_bind_int(st, 4, f->from);
	if (f->to > 0)
		vg_stmt_bind_int(st, 5, f->to);
	if (f->assignee >= 0)
		vg_stmt_bind_int(st, 6, f->assignee);
	vg_stmt_bind_int(st, 7, (int64_t)time(NULL));
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char day[32];
		json_t *cat = reports_find("categories", vg_stmt_text(st, 1));

		vg_time_text(vg_stmt_int(st, 4), "%Y-%m-%d %H:%M", day,
		    sizeof(day));
		json_array_append_new(list, json_pack("{s:I, s:s, s:O?, s:I, "
		    "s:s, s:s, s:s, s:s?, s:s?, s:I, s:s, s:b}",
		    "id", (json_int_t)vg_stmt_int(st, 0),
		    "category", vg_stmt_text(st, 1),
		    "category_label", json_object_get(cat, "libelle"),
		    "priority", (json_int_t)vg_stmt_int(st, 2),
		    "status", vg_stmt_text(st, 3),
		    "status_label", reports_status_label(vg_stmt_text(st, 3)),
		    "created", day,
		    "host", vg_stmt_text(st, 5),
		    "platform", vg_stmt_text(st, 6),
		    "same_url", (json_int_t)vg_stmt_int(st, 7),
		    "minor", vg_stmt_text(st, 9),
		    "urgent", vg_stmt_int(st, 2) == 1));
		json_object_set_new(json_array_get(list, json_array_size(list) -
		    1), "assignee", json_string(vg_stmt_text(st, 10)));
		json_object_set_new(json_array_get(list, json_array_size(list) -
		    1), "notice_overdue", json_boolean(vg_stmt_int(st, 11)));
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

/* --- one report ---------------------------------------------------------- */

static json_t *
unsealed(const vg_keys *keys, vg_stmt *st, int col)
{
	char *text = vg_stmt_unsealed(st, col, keys);
	json_t *s = text ? json_string(text) : NULL;

	free(text);
	return s;
}

/* A history line for people: the kind of change, and its value named. */
static const char *
event_label(const char *kind, const char *detail)
{
	if (!strcmp(kind, "created"))
		return _("Signalement reçu");
	if (!strcmp(kind, "status"))
		return _("Changement d'état");
	if (!strcmp(kind, "qualify"))
		return _("Qualification");
	if (!strcmp(kind, "forward"))
		return detail && !strncmp(detail, "pharos", 6) ?
		    _("Transmis aux autorités (PHAROS)") :
		    _("Transmis à la ligne partenaire (INHOPE)");
	if (!strcmp(kind, "outcome"))
		return _("Issue");
	if (!strcmp(kind, "assign"))
		return _("Attribution");
	if (!strcmp(kind, "notice"))
		return _("Notification à l'hébergeur");
	return kind;
}

/* The value of a history line in words: codes named, notes kept. */
static const char *
event_detail(vg_buf *a, const char *kind, const char *detail)
{
	const char *sep, *note = NULL, *word;
	size_t n;
	char code[64];

	if (detail == NULL)
		return NULL;
	sep = strstr(detail, " — ");
	n = sep ? (size_t)(sep - detail) : strlen(detail);
	if (sep != NULL)
		note = sep + strlen(" — ");
	snprintf(code, sizeof(code), "%.*s", (int)n, detail);
	if (!strcmp(kind, "status"))
		word = reports_status_label(code);
	else if (!strcmp(kind, "outcome"))
		word = reports_action_label(code);
	else if (!strcmp(kind, "forward"))
		word = NULL;            /* the label says where */
	else if (!strcmp(kind, "notice") && !strcmp(code, "téléchargée"))
		word = _("téléchargée");
	else
		return detail;
	vg_buf_reset(a);
	if (word != NULL)
		vg_buf_puts(a, word);
	if (note != NULL)
		vg_buf_printf(a, "%s%s", word ? " — " : "", note);
	return a->len ? a->data : NULL;
}

vg_rc
analysis_report(const vg_keys *keys, int64_t id, int64_t viewer,
    json_t **out)
{
	static const char q[] =
	    "SELECT category, priority, status, outcome, seen_where, "
	    "description, seen_on, minor, relation, contact, contact_safe, "
	    "created_at, updated_at, in_remit, qualification "
	    "FROM reports WHERE id = ?";
	static const char q_urls[] =
	    "SELECT url, host, platform, canonical FROM report_urls "
	    "WHERE report_id = ? ORDER BY position";
	static const char q_events[] =
	    "SELECT e.at, e.kind, e.detail, coalesce(u.name, '') "
	    "FROM report_events e LEFT JOIN users u ON u.id = e.actor_id "
	    "WHERE e.report_id = ? ORDER BY e.id";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *o = NULL, *urls, *events;
	vg_buf words = VG_BUF_INIT, *a;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		json_t *cat = reports_find("categories", vg_stmt_text(st, 0));
		json_t *rel = reports_find("relations", vg_stmt_text(st, 8));

		o = json_pack("{s:I, s:s, s:O?, s:I, s:s, s:s, s:s?, s:s?, "
		    "s:s, s:O?, s:o?, s:o?, s:o?, s:o?, s:s?}",
		    "id", (json_int_t)id, "category", vg_stmt_text(st, 0),
		    "category_label", json_object_get(cat, "libelle"),
		    "priority", (json_int_t)vg_stmt_int(st, 1),
		    "status", vg_stmt_text(st, 2),
		    "status_label", reports_status_label(vg_stmt_text(st, 2)),
		    "outcome", vg_stmt_text(st, 3),
		    "seen_on", vg_stmt_text(st, 6),
		    "minor", vg_stmt_text(st, 7),
		    "relation_label", json_object_get(rel, "libelle"),
		    "seen_where", unsealed(keys, st, 4),
		    "description", unsealed(keys, st, 5),
		    "contact", unsealed(keys, st, 9),
		    "contact_safe", unsealed(keys, st, 10),
		    "qualification", vg_stmt_text(st, 14));
		if (o != NULL && !vg_stmt_is_null(st, 13))
			json_object_set_new(o, "in_remit",
			    json_boolean(vg_stmt_int(st, 13)));
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	if (o == NULL)
		return VG_ENOTFOUND;

	urls = json_array();
	if ((rc = vg_db_prepare(db, q_urls, &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, id);
		while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
			json_array_append_new(urls, json_pack("{s:s, s:s, s:s?, "
			    "s:s?}", "url", vg_stmt_text(st, 0), "host",
			    vg_stmt_text(st, 1), "platform", vg_stmt_text(st, 2),
			    "canonical", vg_stmt_text(st, 3)));
		vg_stmt_done(st);
	}
	json_object_set_new(o, "urls", urls);
	events = json_array();
	a = &words;
	if (rc == VG_OK && (rc = vg_db_prepare(db, q_events, &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, id);
		while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
			char stamp[32];

			vg_time_text(vg_stmt_int(st, 0), "%Y-%m-%d %H:%M:%S UTC",
			    stamp, sizeof(stamp));
			json_array_append_new(events, json_pack("{s:s, s:s, s:s, "
			    "s:s?, s:s}", "at", stamp, "kind", vg_stmt_text(st, 1),
			    "label", event_label(vg_stmt_text(st, 1),
			    vg_stmt_text(st, 2)), "detail", event_detail(a,
			    vg_stmt_text(st, 1), vg_stmt_text(st, 2)),
			    "by", *vg_stmt_text(st, 3) ? vg_stmt_text(st, 3) :
			    _("la personne qui a signalé")));
		}
		vg_stmt_done(st);
	}
	vg_buf_free(&words);
	json_object_set_new(o, "events", events);
	/* Every look at a report by staff is recorded. */
	if (rc == VG_OK && (rc = vg_db_begin(db)) == VG_OK) {
		rc = audit_append(viewer, "view", id, NULL);
		rc = rc == VG_OK ? vg_db_commit(db) : rc;
		if (rc != VG_OK)
			vg_db_rollback(db);
	}
	if (rc != VG_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return VG_OK;
}

static const char *const statuses[] = {"nouveau", "en-examen", "qualifie",
    "clos", NULL};
static const char *const outcomes[] = {"retire", "refuse", "sans-reponse",
    "hors-champ", NULL};
/* Where a report can be forwarded: the authorities (PHAROS), or the
 * partner hotline of the hosting country (INHOPE network). */
static const char *const forwards[] = {"pharos", "inhope", NULL};

static bool
one_of(const char *v, const char *const *list)
{
	for (; v != NULL && *list != NULL; list++)
		if (!strcmp(v, *list))
			return true;
	return false;
}

vg_rc
analysis_change(int64_t id, int64_t actor, const char *kind,
    const char *value, const char *note, const char **why)
{
	static const char q_status[] = "UPDATE reports SET status = ?, "
	    "updated_at = ? WHERE id = ?";
	static const char q_outcome[] = "UPDATE reports SET outcome = ?, "
	    "status = 'clos', updated_at = ? WHERE id = ?";
	static const char q_remit[] = "UPDATE reports SET in_remit = ?, "
	    "qualification = NULL, status = 'qualifie', updated_at = ? "
	    "WHERE id = ?";
	static const char q_qualify[] = "UPDATE reports SET in_remit = 1, "
	    "qualification = ?, status = 'qualifie', updated_at = ? "
	    "WHERE id = ?";
	static const char q_forward[] = "UPDATE reports SET updated_at = ?2 "
	    "WHERE id = ?3 AND ?1 IS NOT NULL";
	static const char q_assign[] = "UPDATE reports SET assignee_id = ?1, "
	    "updated_at = ?2 WHERE id = ?3";
	static const char q_event[] = "INSERT INTO report_events (report_id, "
	    "at, kind, detail, actor_id) VALUES (?, ?, ?, ?, ?)";
	static const char q_changes[] = "SELECT changes()";
	int64_t now = (int64_t)time(NULL);
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	const char *sql;
	char *detail;
	bool row;
	vg_rc rc;

	*why = NULL;
	if (!strcmp(kind, "status") && one_of(value, statuses)) {
		sql = q_status;
	} else if (!strcmp(kind, "outcome") && one_of(value, outcomes)) {
		sql = q_outcome;
	} else if (!strcmp(kind, "forward") && one_of(value, forwards)) {
		sql = q_forward;
	} else if (!strcmp(kind, "assign") && value != NULL &&
	    (!strcmp(value, "moi") || !strcmp(value, "personne"))) {
		sql = q_assign;
	} else if (!strcmp(kind, "qualify") && value != NULL &&
	    !strcmp(value, "hors-champ")) {
		sql = q_remit;
	} else if (!strcmp(kind, "qualify") &&
	    reports_find("qualifications", value) != NULL) {
		sql = q_qualify;
	} else {
		*why = _("Choisissez une valeur dans la liste.");
		return VG_EINVAL;
	}
	if (db == NULL)
		return VG_EDB;
	detail = NULL;
	if (note != NULL && asprintf(&detail, "%s — %s", value, note) < 0)
		return VG_ENOMEM;
	if ((rc = vg_db_begin(db)) != VG_OK)
		goto out;
	if ((rc = vg_db_prepare(db, sql, &st)) != VG_OK)
		goto fail;
	if (sql == q_remit)
		vg_stmt_bind_int(st, 1, 0);
	else if (sql == q_assign && !strcmp(value, "moi"))
		vg_stmt_bind_int(st, 1, actor);
	else if (sql == q_assign)
		vg_stmt_bind_null(st, 1);
	else
		vg_stmt_bind_text(st, 1, value);
	vg_stmt_bind_int(st, 2, now);
	vg_stmt_bind_int(st, 3, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK || (rc = vg_db_prepare(db, q_changes, &st)) != VG_OK)
		goto fail;
	rc = vg_stmt_step(st, &row);
	if (rc == VG_OK && (!row || vg_stmt_int(st, 0) != 1))
		rc = VG_ENOTFOUND;
	vg_stmt_done(st);
	if (rc != VG_OK || (rc = vg_db_prepare(db, q_event, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, id);
	vg_stmt_bind_int(st, 2, now);
	vg_stmt_bind_text(st, 3, kind);
	vg_stmt_bind_text(st, 4, detail ? detail : value);
	vg_stmt_bind_int(st, 5, actor);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	/* The audit log can never be purged: it records the value chosen,
	 * never a free note that could hold personal data. */
	if (rc != VG_OK ||
	    (rc = audit_append(actor, kind, id, value)) != VG_OK ||
	    (rc = vg_db_commit(db)) != VG_OK)
		goto fail;
	goto out;
fail:
	vg_db_rollback(db);
out:
	free(detail);
	return rc;
}

vg_rc
reports_purge(int days, int64_t *purged)
{
	/* What the reporter wrote and the analysts' notes go; what makes the
	 * statistics (category, dates, host, platform, outcome) stays. */
	static const char q_find[] =
	    "SELECT id FROM reports WHERE purged_at IS NULL AND "
	    "((status = 'clos' AND updated_at < ?1) OR created_at < ?2)";
	static const char q_report[] =
	    "UPDATE reports SET seen_where = NULL, description = NULL, "
	    "contact = NULL, contact_safe = NULL, purged_at = ?2 "
	    "WHERE id = ?1";
	static const char q_events[] =
	    "UPDATE report_events SET detail = NULL WHERE report_id = ?";
	int64_t now = (int64_t)time(NULL), cutoff = now - (int64_t)days * 86400;
	int64_t ids[256];
	int n = 0, i;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*purged = 0;
	if (db == NULL)
		return VG_EDB;
	do {
		if ((rc = vg_db_begin(db)) != VG_OK)
			return rc;
		if ((rc = vg_db_prepare(db, q_find, &st)) != VG_OK)
			goto fail;
		vg_stmt_bind_int(st, 1, cutoff);
		/* Open reports are kept twice as long, then purged too. */
		vg_stmt_bind_int(st, 2, cutoff - (int64_t)days * 86400);
		n = 0;
		while (n < 256 && (rc = vg_stmt_step(st, &row)) == VG_OK && row)
			ids[n++] = vg_stmt_int(st, 0);
		vg_stmt_done(st);
		if (rc != VG_OK)
			goto fail;
		for (i = 0; i < n; i++) {
			if ((rc = vg_db_prepare(db, q_report, &st)) != VG_OK)
				goto fail;
			vg_stmt_bind_int(st, 1, ids[i]);
			vg_stmt_bind_int(st, 2, now);
			rc = vg_stmt_exec(st);
			vg_stmt_done(st);
			if (rc != VG_OK ||
			    (rc = vg_db_prepare(db, q_events, &st)) != VG_OK)
				goto fail;
			vg_stmt_bind_int(st, 1, ids[i]);
			rc = vg_stmt_exec(st);
			vg_stmt_done(st);
			if (rc != VG_OK)
				goto fail;
		}
		if ((rc = vg_db_commit(db)) != VG_OK)
			goto fail;
		*purged += n;
	} while (n == 256);
	return VG_OK;
fail:
	vg_db_rollback(db);
	return rc;
}
