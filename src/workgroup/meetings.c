/*
 * meetings.c — the group's meetings: an agenda, the cases to discuss,
 * notes, decisions (who does what by when), and a reminder by mail the
 * day before.
 *
 * Any member may read and complete a meeting; the cases listed on it are
 * shown only to the members who may read them, so that a meeting never
 * reveals a restricted case.  Readings and changes are audited with
 * report_id 0 and the meeting's id in the detail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/when.h"
#include "db/sealed.h"
#include "reports/reports.h"
#include "workgroup/workgroup_int.h"

static vg_rc
audit(int64_t actor, const char *action, int64_t meeting)
{
	char detail[40];

	snprintf(detail, sizeof(detail), "meeting %lld", (long long)meeting);
	return reports_audit_append(actor, action, 0, detail);
}

static bool
hhmm_ok(const char *s)
{
	return s != NULL && strlen(s) == 5 && s[0] >= '0' && s[0] <= '2' &&
	    s[1] >= '0' && s[1] <= '9' && s[2] == ':' && s[3] >= '0' &&
	    s[3] <= '5' && s[4] >= '0' && s[4] <= '9' &&
	    (s[0] - '0') * 10 + (s[1] - '0') < 24;
}

vg_rc
wg_meeting_check(const struct wg_meeting_input *in, const char **why,
    const char **field)
{
	int64_t t;

	*why = NULL;
	*field = NULL;
	if (in->day == NULL || !vg_date_parse(in->day, &t)) {
		*why = _("Indiquez la date de la réunion (AAAA-MM-JJ).");
		*field = "day";
	} else if (!hhmm_ok(in->time)) {
		*why = _("Indiquez l'heure de la réunion (HH:MM).");
		*field = "time";
	} else if (in->place == NULL || *in->place == '\0') {
		*why = _("Indiquez le lieu de la réunion ou le lien pour la "
		    "rejoindre.");
		*field = "place";
	} else if (in->agenda == NULL || *in->agenda == '\0') {
		*why = _("Rédigez l'ordre du jour.");
		*field = "agenda";
	}
	return *why == NULL ? VG_OK : VG_EINVAL;
}

vg_rc
wg_meeting_create(const vg_keys *k, int64_t actor,
    const struct wg_meeting_input *in, int64_t now, int64_t *id,
    const char **why)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	size_t i;
	vg_rc rc = VG_OK;

	*why = NULL;
	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if (!wg_member_in(db, actor))
		return vg_db_end(db, VG_ENOTFOUND);
	for (i = 0; i < in->ncases; i++)
		if (wg_can_read(db, actor, in->cases[i]) != VG_OK) {
			*why = _("Un des cas choisis n'existe pas ou ne "
			    "vous est pas accessible.");
			return vg_db_end(db, VG_EINVAL);
		}
	if ((rc = vg_db_prepare(db, "INSERT INTO wg_meetings (day, time, "
	    "place, agenda, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
	    &st)) != VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_text(st, 1, in->day);
	vg_stmt_bind_text(st, 2, in->time);
	if ((rc = vg_stmt_bind_sealed(st, 3, k, in->place)) == VG_OK &&
	    (rc = vg_stmt_bind_sealed(st, 4, k, in->agenda)) == VG_OK) {
		vg_stmt_bind_int(st, 5, actor);
		vg_stmt_bind_int(st, 6, now);
		rc = vg_stmt_exec(st);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return vg_db_end(db, rc);
	*id = vg_db_last_id(db);
	for (i = 0; rc == VG_OK && i < in->ncases; i++) {
		if ((rc = vg_db_prepare(db, "INSERT OR IGNORE INTO "
		    "wg_meeting_cases (meeting_id, case_id) VALUES (?, ?)",
		    &st)) != VG_OK)
			break;
		vg_stmt_bind_int(st, 1, *id);
		vg_stmt_bind_int(st, 2, in->cases[i]);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	if (rc == VG_OK)
		rc = audit(actor, "wg-meeting-create", *id);
	return vg_db_end(db, rc);
}

vg_rc
wg_meeting_list(int64_t user, json_t **out)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *a;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if (!wg_member_in(db, user))
		return VG_ENOTFOUND;
	if ((a = json_array()) == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_prepare(db, "SELECT id, day, time FROM wg_meetings "
	    "ORDER BY day DESC, time DESC, id DESC", &st)) != VG_OK) {
		json_decref(a);
		return rc;
	}
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s}", "id",
		    (json_int_t)vg_stmt_int(st, 0), "day", vg_stmt_text(st, 1),
		    "time", vg_stmt_text(st, 2)));
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return VG_OK;
}

/* The meeting's cases that user may read: [{id, title}]. */
static vg_rc
meeting_cases(vg_db *db, const vg_keys *k, int64_t user, int64_t id,
    json_t *o)
{
	static const char q[] =
	    "SELECT c.id, c.title FROM wg_meeting_cases mc JOIN wg_cases c "
	    "ON c.id = mc.case_id WHERE mc.meeting_id = ? AND "
	    "(c.restricted = 0 OR EXISTS (SELECT 1 FROM wg_case_access a "
	    "WHERE a.case_id = c.id AND a.user_id = ?)) ORDER BY c.id";
	vg_stmt *st;
	json_t *a = json_array();
	bool row;
	vg_rc rc;

	json_object_set_new(o, "cases", a);
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	vg_stmt_bind_int(st, 2, user);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char *title = vg_stmt_unsealed(st, 1, k);

		json_array_append_new(a, json_pack("{s:I, s:s}", "id",
		    (json_int_t)vg_stmt_int(st, 0), "title", title ? title :
		    ""));
		free(title);
	}
	vg_stmt_done(st);
	return rc;
}

static vg_rc
decisions(vg_db *db, const vg_keys *k, int64_t id, json_t *o)
{
	static const char q[] =
	    "SELECT d.id, d.what, coalesce(u.name, ''), d.due FROM "
	    "wg_decisions d LEFT JOIN users u ON u.id = d.who_id WHERE "
	    "d.meeting_id = ? ORDER BY d.id";
	vg_stmt *st;
	json_t *a = json_array();
	bool row;
	vg_rc rc;

	json_object_set_new(o, "decisions", a);
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char *what = vg_stmt_unsealed(st, 1, k);

		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s?}",
		    "id", (json_int_t)vg_stmt_int(st, 0), "what", what ? what :
		    "", "who", vg_stmt_text(st, 2), "due",
		    vg_stmt_text(st, 3)));
		free(what);
	}
	vg_stmt_done(st);
	return rc;
}

vg_rc
wg_meeting_get(const vg_keys *k, int64_t user, int64_t id, json_t **out)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *o = NULL;
	bool row = false;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if (!wg_member_in(db, user))
		return vg_db_end(db, VG_ENOTFOUND);
	if ((rc = vg_db_prepare(db, "SELECT day, time, place, agenda, notes "
	    "FROM wg_meetings WHERE id = ?", &st)) != VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char *place = vg_stmt_unsealed(st, 2, k);
		char *agenda = vg_stmt_unsealed(st, 3, k);
		char *notes = vg_stmt_unsealed(st, 4, k);

		o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id",
		    (json_int_t)id, "day", vg_stmt_text(st, 0), "time",
		    vg_stmt_text(st, 1), "place", place ? place : "",
		    "agenda", agenda ? agenda : "", "notes", notes ? notes :
		    "");
		free(place);
		free(agenda);
		free(notes);
		if (o == NULL)
			rc = VG_ENOMEM;
	} else if (rc == VG_OK)
		rc = VG_ENOTFOUND;
	vg_stmt_done(st);
	if (rc == VG_OK)
		rc = meeting_cases(db, k, user, id, o);
	if (rc == VG_OK)
		rc = decisions(db, k, id, o);
	if (rc == VG_OK)
		rc = audit(user, "wg-meeting-view", id);
	if ((rc = vg_db_end(db, rc)) != VG_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return VG_OK;
}

static bool
meeting_exists(vg_db *db, int64_t id)
{
	vg_stmt *st;
	bool row = false;

	if (vg_db_prepare(db, "SELECT 1 FROM wg_meetings WHERE id = ?", &st)
	    != VG_OK)
		return false;
	vg_stmt_bind_int(st, 1, id);
	if (vg_stmt_step(st, &row) != VG_OK)
		row = false;
	vg_stmt_done(st);
	return row;
}

vg_rc
wg_meeting_notes(const vg_keys *k, int64_t actor, int64_t id,
    const char *notes)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if (!wg_member_in(db, actor) || !meeting_exists(db, id))
		return vg_db_end(db, VG_ENOTFOUND);
	if ((rc = vg_db_prepare(db, "UPDATE wg_meetings SET notes = ? WHERE "
	    "id = ?", &st)) != VG_OK)
		return vg_db_end(db, rc);
	if ((rc = vg_stmt_bind_sealed(st, 1, k, notes)) == VG_OK) {
		vg_stmt_bind_int(st, 2, id);
		rc = vg_stmt_exec(st);
	}
	vg_stmt_done(st);
	if (rc == VG_OK)
		rc = audit(actor, "wg-meeting-notes", id);
	return vg_db_end(db, rc);
}

vg_rc
wg_decision_add(const vg_keys *k, int64_t actor, int64_t id,
    const char *what, int64_t who, const char *due)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if (!wg_member_in(db, actor) || !meeting_exists(db, id))
		return vg_db_end(db, VG_ENOTFOUND);
	if (!wg_member_in(db, who))
		return vg_db_end(db, VG_EINVAL);
	if ((rc = vg_db_prepare(db, "INSERT INTO wg_decisions (meeting_id, "
	    "what, who_id, due) VALUES (?, ?, ?, ?)", &st)) != VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_bind_sealed(st, 2, k, what)) == VG_OK) {
		vg_stmt_bind_int(st, 3, who);
		vg_stmt_bind_text(st, 4, due);
		rc = vg_stmt_exec(st);
	}
	vg_stmt_done(st);
	if (rc == VG_OK)
		rc = audit(actor, "wg-decision", id);
	return vg_db_end(db, rc);
}

/* Claim the reminder of one meeting due at now: true when this call
 * claimed it (so two ticks never send it twice). */
static bool
claim(vg_db *db, int64_t now, int64_t *id, char *day, char *hhmm)
{
	char today[16], tomorrow[16];
	vg_stmt *st;
	bool row = false;

	/* From 06:00 UTC the day before, until the day itself. */
	vg_time_text(now - 6 * 3600, "%Y-%m-%d", today, sizeof(today));
	vg_time_text(now - 6 * 3600 + 86400, "%Y-%m-%d", tomorrow,
	    sizeof(tomorrow));
	if (vg_db_prepare(db, "UPDATE wg_meetings SET reminded_at = ? WHERE "
	    "id = (SELECT id FROM wg_meetings WHERE reminded_at IS NULL AND "
	    "day BETWEEN ? AND ? ORDER BY id LIMIT 1) RETURNING id, day, time",
	    &st) != VG_OK)
		return false;
	vg_stmt_bind_int(st, 1, now);
	vg_stmt_bind_text(st, 2, today);
	vg_stmt_bind_text(st, 3, tomorrow);
	if (vg_stmt_step(st, &row) == VG_OK && row) {
		*id = vg_stmt_int(st, 0);
		snprintf(day, 16, "%s", vg_stmt_text(st, 1));
		snprintf(hhmm, 8, "%s", vg_stmt_text(st, 2));
	} else
		row = false;
	vg_stmt_done(st);
	return row;
}

static void
remind(const vg_config *c, vg_db *db, int64_t id, const char *day,
    const char *hhmm, int *sent)
{
	vg_stmt *st;
	bool row;
	char err[256] = "", subject[120];

	snprintf(subject, sizeof(subject), _("Réunion du groupe de travail le "
	    "%.2s/%.2s/%.4s"), day + 8, day + 5, day);
	if (vg_db_prepare(db, "SELECT u.email, u.name FROM wg_members m JOIN "
	    "users u ON u.id = m.user_id WHERE u.status = 'active' ORDER BY "
	    "u.id", &st) != VG_OK)
		return;
	while (vg_stmt_step(st, &row) == VG_OK && row) {
		vg_buf body = VG_BUF_INIT;

		vg_buf_printf(&body, _("Bonjour %s,\n\nLe groupe de travail "
		    "se réunit le %.2s/%.2s/%.4s à %s (heure de Paris).\n\n"
		    "L'ordre du jour et le lieu sont sur Vigie :\n"
		    "%s/groupe/reunions/%lld\n"), vg_stmt_text(st, 1), day + 8,
		    day + 5, day, hhmm, c->public_url, (long long)id);
		if (body.data != NULL && vg_mail_send_config(c,
		    vg_stmt_text(st, 0), subject, body.data, err,
		    sizeof(err)) == VG_OK)
			(*sent)++;
		else
			vg_error("workgroup: meeting %lld reminder: %s",
			    (long long)id, err);
		vg_buf_free(&body);
	}
	vg_stmt_done(st);
}

vg_rc
wg_meeting_remind_at(const vg_config *c, int64_t now, int *sent)
{
	vg_db *db = vg_db_thread();
	char day[16], hhmm[8];
	int64_t id = 0;

	*sent = 0;
	if (c->smtp_url[0] == '\0' || c->notifier_email[0] == '\0')
		return VG_OK;
	if (db == NULL)
		return VG_EDB;
	/* Claimed before sending: a reminder is sent at most once, even
	 * when the SMTP server fails (logged). */
	while (claim(db, now, &id, day, hhmm))
		remind(c, db, id, day, hhmm, sent);
	return VG_OK;
}
