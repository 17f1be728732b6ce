/*
 * workgroup.c — the working group's entry points: loading, the purge of
 * closed cases, and the mails of new contributions sent from the tick.
 *
 * A notification mail names no case, no title, no content: only that
 * something new was written on a case the person follows, and a link
 * that asks them to sign in.  A mailbox is not a safe place for what the
 * group discusses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mail.h"
#include "db/db.h"
#include "workgroup/detect.h"
#include "workgroup/workgroup_int.h"

#define NOTIFY_BATCH 20         /* mails per tick */

vg_rc
workgroup_load(const char *share, char *err, size_t errlen)
{
	return wg_detect_load(share, err, errlen);
}

void
workgroup_free(void)
{
	wg_detect_free();
}

vg_rc
workgroup_purge(const vg_config *c, int64_t *n)
{
	return wg_purge_at(c->workgroup_retention_days, (int64_t)time(NULL),
	    n);
}

struct pending {
	int64_t id, case_id;
	int attempts;
	char *to, *name;
};

/* The notifications due, whose person may still read the case; those who
 * may not any more (left the group, case restricted) are dropped. */
static vg_rc
due(vg_db *db, int64_t now, struct pending *out, size_t *n)
{
	static const char q[] =
	    "SELECT n.id, n.case_id, n.attempts, u.email, u.name, "
	    "EXISTS (SELECT 1 FROM wg_members m WHERE m.user_id = u.id) AND "
	    "u.status = 'active' AND (c.restricted = 0 OR EXISTS (SELECT 1 "
	    "FROM wg_case_access a WHERE a.case_id = c.id AND "
	    "a.user_id = u.id)) FROM wg_notifications n JOIN users u ON "
	    "u.id = n.user_id JOIN wg_cases c ON c.id = n.case_id WHERE "
	    "n.next_at <= ? ORDER BY n.id LIMIT ?";
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*n = 0;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, now);
	vg_stmt_bind_int(st, 2, NOTIFY_BATCH);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		struct pending *p = &out[*n];

		p->id = vg_stmt_int(st, 0);
		p->case_id = vg_stmt_int(st, 1);
		p->attempts = (int)vg_stmt_int(st, 2);
		p->to = vg_stmt_int(st, 5) ? strdup(vg_stmt_text(st, 3)) :
		    NULL;
		p->name = strdup(vg_stmt_text(st, 4));
		(*n)++;
	}
	vg_stmt_done(st);
	return rc;
}

static vg_rc
settle(vg_db *db, const struct pending *p, bool done, int64_t now)
{
	vg_stmt *st;
	vg_rc rc;

	if (done || p->attempts + 1 >= WG_MAIL_TRIES) {
		if (!done)
			vg_error("workgroup: notification %lld dropped "
			    "after %d attempts", (long long)p->id,
			    WG_MAIL_TRIES);
		rc = vg_db_prepare(db, "DELETE FROM wg_notifications WHERE "
		    "id = ?", &st);
		if (rc == VG_OK)
			vg_stmt_bind_int(st, 1, p->id);
	} else {
		/* Later, and later each time: a server down for an hour
		 * is not hammered. */
		rc = vg_db_prepare(db, "UPDATE wg_notifications SET attempts = "
		    "attempts + 1, next_at = ? WHERE id = ?", &st);
		if (rc == VG_OK) {
			vg_stmt_bind_int(st, 1, now + 60 * (p->attempts + 1) *
			    (p->attempts + 1));
			vg_stmt_bind_int(st, 2, p->id);
		}
	}
	if (rc != VG_OK)
		return rc;
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

static vg_rc
send_one(const vg_config *c, const struct pending *p)
{
	vg_buf body = VG_BUF_INIT;
	char err[256];
	vg_rc rc;

	vg_buf_printf(&body, _("Bonjour %s,\n\n"), p->name ? p->name : "");
	vg_buf_printf(&body, "%s", _("Une nouvelle contribution a été publiée "
	    "sur un cas que vous suivez dans le groupe de travail.\n\n"
	    "Pour la lire, connectez-vous à Vigie :\n"));
	vg_buf_printf(&body, "%s/groupe/cas/%lld\n\n", c->public_url,
	    (long long)p->case_id);
	vg_buf_printf(&body, "%s", _("Par discrétion, ce message ne dit rien "
	    "du cas. Pour ne plus recevoir ces messages, cessez de suivre le "
	    "cas depuis sa page.\n"));
	if (body.data == NULL) {
		vg_buf_free(&body);
		return VG_ENOMEM;
	}
	rc = vg_mail_send_config(c, p->to, _("Nouvelle contribution dans le "
	    "groupe de travail"), body.data, err, sizeof(err));
	if (rc != VG_OK)
		vg_error("workgroup: notification %lld: %s", (long long)p->id,
		    err);
	vg_buf_free(&body);
	return rc;
}

vg_rc
wg_notify_due(const vg_config *c, int64_t now, int *sent)
{
	struct pending list[NOTIFY_BATCH];
	vg_db *db = vg_db_thread();
	size_t n = 0, i;
	vg_rc rc;

	*sent = 0;
	if (c->smtp_url[0] == '\0' || c->notifier_email[0] == '\0')
		return VG_OK;
	if (db == NULL)
		return VG_EDB;
	memset(list, 0, sizeof(list));
	rc = due(db, now, list, &n);
	/* No transaction around the sending: a slow SMTP server must not
	 * hold the write lock.  Each notification is settled on its own. */
	for (i = 0; rc == VG_OK && i < n; i++) {
		bool done = true;

		if (list[i].to != NULL) {
			done = send_one(c, &list[i]) == VG_OK;
			*sent += done;
		}
		rc = settle(db, &list[i], done, now);
	}
	for (i = 0; i < n; i++) {
		free(list[i].to);
		free(list[i].name);
	}
	return rc;
}

void
workgroup_tick(const vg_site *s)
{
	int sent;

	if (wg_notify_due(s->config, (int64_t)time(NULL), &sent) != VG_OK)
		vg_error("workgroup: notifications failed");
	else if (sent > 0)
		vg_info("workgroup: %d notification(s) sent", sent);
	if (wg_meeting_remind_at(s->config, (int64_t)time(NULL), &sent) !=
	    VG_OK)
		vg_error("workgroup: meeting reminders failed");
	else if (sent > 0)
		vg_info("workgroup: %d meeting reminder(s) sent", sent);
}
