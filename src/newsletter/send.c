/*
 * send.c — sending an issue: one delivery row per address, sent at most
 * once.
 *
 * Starting a sending freezes the issue and snapshots the confirmed
 * subscribers in one transaction.  Then a sender (the server's tick, or
 * `vigie newsletter send`) takes the next due delivery: it marks it
 * "sending" and commits before the SMTP transaction, and records the
 * outcome after.  A process that dies in between leaves a row "sending";
 * whoever takes the sender's lease next marks it "uncertain" and never
 * sends it again: a missing mail is better than a double one.
 *
 * Only one process sends at a time: it holds a lease (newsletter_sender)
 * renewed before every mail, longer than one SMTP transaction can last.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/log.h"
#include "db/sealed.h"
#include "newsletter/newsletter_int.h"
#include "watch/watch.h"

static int64_t
now_s(void)
{
	return (int64_t)time(NULL);
}

static vg_rc
exec1(vg_db *db, const char *sql, int64_t a, int64_t b)
{
	vg_stmt *st;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, sql, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, a);
	vg_stmt_bind_int(st, 2, b);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

static vg_rc
count1(vg_db *db, const char *sql, int64_t a, int64_t *n)
{
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*n = 0;
	if ((rc = vg_db_prepare(db, sql, &st)) != VG_OK)
		return rc;
	if (strchr(sql, '?') != NULL)
		vg_stmt_bind_int(st, 1, a);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		*n = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return rc;
}

/* --- starting ----------------------------------------------------------------- */

vg_rc
nl_send_start(const vg_keys *k, int64_t issue, int64_t now, int *count)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *content = NULL, *is = NULL;
	char *text = NULL;
	int64_t n, number;
	vg_rc rc;

	*count = 0;
	if (db == NULL)
		return VG_EDB;
	if ((rc = nl_issue_get(issue, &is)) != VG_OK)
		return rc;
	if (!json_is_true(json_object_get(is, "is_draft"))) {
		json_decref(is);
		return VG_ECONFLICT;
	}
	json_decref(is);
	/* Resolved before the transaction: the barometer reads a lot. */
	if ((rc = nl_resolve(k, issue, now, &content)) != VG_OK)
		return rc;
	if (json_array_size(content) == 0) {
		json_decref(content);
		return VG_EINVAL;
	}
	if ((text = json_dumps(content, JSON_COMPACT)) == NULL) {
		json_decref(content);
		return VG_ENOMEM;
	}
	json_decref(content);
	if ((rc = vg_db_begin(db)) != VG_OK) {
		free(text);
		return rc;
	}
	/* Still a draft, and no other issue is going out. */
	if ((rc = count1(db, "SELECT count(*) FROM newsletter_issues WHERE "
	    "id = ? AND status = 'draft'", issue, &n)) != VG_OK)
		goto fail;
	if (n == 0) {
		rc = VG_ECONFLICT;
		goto fail;
	}
	if ((rc = count1(db, "SELECT count(*) FROM newsletter_issues WHERE "
	    "status = 'sending' AND id <> ?", issue, &n)) != VG_OK)
		goto fail;
	if (n > 0) {
		rc = VG_ECONFLICT;
		goto fail;
	}
	if ((rc = count1(db, "SELECT coalesce(max(number), 0) FROM "
	    "newsletter_issues", 0, &number)) != VG_OK)
		goto fail;
	if ((rc = vg_db_prepare(db, "UPDATE newsletter_issues SET status = "
	    "'sending', number = ?, content = ?, sending_at = ?, "
	    "updated_at = ? WHERE id = ?", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, number + 1);
	vg_stmt_bind_text(st, 2, text);
	vg_stmt_bind_int(st, 3, now);
	vg_stmt_bind_int(st, 4, now);
	vg_stmt_bind_int(st, 5, issue);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	if ((rc = exec1(db, "INSERT INTO newsletter_deliveries (issue_id, "
	    "subscriber_id, status, updated_at) SELECT ?, id, 'pending', ? "
	    "FROM newsletter_subscribers WHERE status = 'confirmed' "
	    "ORDER BY id", issue, now)) != VG_OK)
		goto fail;
	if ((rc = count1(db, "SELECT count(*) FROM newsletter_deliveries "
	    "WHERE issue_id = ?", issue, &n)) != VG_OK)
		goto fail;
	if ((rc = vg_db_commit(db)) != VG_OK)
		goto out;
	*count = (int)n;
	goto out;
fail:
	vg_db_rollback(db);
out:
	free(text);
	return rc;
}

/* --- editors' view ---------------------------------------------------------------- */

static const char *
delivery_label(const char *s)
{
	if (!strcmp(s, "pending"))
		return _("en attente");
	if (!strcmp(s, "sending"))
		return _("en cours d'envoi");
	if (!strcmp(s, "sent"))
		return _("envoyé");
	if (!strcmp(s, "failed"))
		return _("échec");
	if (!strcmp(s, "bounced"))
		return _("refusé (adresse rejetée)");
	if (!strcmp(s, "uncertain"))
		return _("incertain (envoi interrompu, jamais renvoyé)");
	if (!strcmp(s, "cancelled"))
		return _("annulé (désabonnement)");
	return s;
}

vg_rc
nl_deliveries(const vg_keys *k, int64_t issue, json_t **list,
    json_t **counts)
{
	static const char *const states[] = {"pending", "sending", "sent",
	    "failed", "bounced", "uncertain", "cancelled"};
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	size_t i;
	vg_rc rc;

	*list = json_array();
	*counts = json_object();
	if (db == NULL || *list == NULL || *counts == NULL)
		goto nomem;
	for (i = 0; i < VG_ARRAY_LEN(states); i++)
		json_object_set_new(*counts, states[i], json_integer(0));
	json_object_set_new(*counts, "total", json_integer(0));
	if ((rc = vg_db_prepare(db, "SELECT d.id, d.status, d.attempts, "
	    "d.answer, s.email_sealed FROM newsletter_deliveries d "
	    "LEFT JOIN newsletter_subscribers s ON s.id = d.subscriber_id "
	    "WHERE d.issue_id = ? ORDER BY d.id", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, issue);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const char *status = vg_stmt_text(st, 1);
		char masked[300];
		char *email = vg_stmt_is_null(st, 4) ? NULL :
		    vg_stmt_unsealed(st, 4, k);

		if (email != NULL)
			nl_mask(email, masked, sizeof(masked));
		else
			snprintf(masked, sizeof(masked), "%s",
			    _("(adresse effacée)"));
		free(email);
		json_array_append_new(*list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:I, s:s?}", "id", (json_int_t)vg_stmt_int(st, 0),
		    "masked", masked, "status", status, "status_label",
		    delivery_label(status), "attempts",
		    (json_int_t)vg_stmt_int(st, 2), "answer",
		    vg_stmt_text(st, 3)));
		json_object_set_new(*counts, status, json_integer(
		    json_integer_value(json_object_get(*counts, status)) + 1));
		json_object_set_new(*counts, "total", json_integer(
		    json_integer_value(json_object_get(*counts, "total")) + 1));
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	return VG_OK;
nomem:
	rc = db == NULL ? VG_EDB : VG_ENOMEM;
fail:
	json_decref(*list);
	json_decref(*counts);
	*list = *counts = NULL;
	return rc;
}

/* --- the sender ------------------------------------------------------------------ */

void
nl_sender_init(struct nl_sender *s, const vg_config *c, const vg_keys *k,
    const vg_tmpl_set *t, bool (*stopping)(void))
{
	unsigned char rnd[8];

	memset(s, 0, sizeof(*s));
	s->config = c;
	s->keys = k;
	s->templates = t;
	s->stopping = stopping;
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(s->owner, sizeof(s->owner), rnd, sizeof(rnd));
}

/* Inside a transaction: take or renew the lease.  *busy when a live
 * other process holds it.  Taking it from anyone else means no live
 * process is in the middle of a mail: rows left "sending" are orphans. */
static vg_rc
lease_take(vg_db *db, struct nl_sender *s, int64_t now, bool *busy)
{
	vg_stmt *st;
	char owner[64] = "";
	int64_t expires = 0;
	bool row, ours;
	vg_rc rc;

	*busy = false;
	if ((rc = vg_db_prepare(db, "SELECT owner, expires_at FROM "
	    "newsletter_sender WHERE id = 1", &st)) != VG_OK)
		return rc;
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		snprintf(owner, sizeof(owner), "%s", vg_stmt_text(st, 0));
		expires = vg_stmt_int(st, 1);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	ours = !strcmp(owner, s->owner);
	if (!ours && *owner != '\0' && expires > now) {
		*busy = true;
		return VG_OK;
	}
	if (!ours) {
		if ((rc = vg_db_prepare(db, "UPDATE newsletter_deliveries SET "
		    "status = 'uncertain', answer = ?, updated_at = ? "
		    "WHERE status = 'sending'", &st)) != VG_OK)
			return rc;
		vg_stmt_bind_text(st, 1, _("l'envoi a été interrompu pendant "
		    "la transaction SMTP : le message est peut-être parti, il "
		    "ne sera pas renvoyé"));
		vg_stmt_bind_int(st, 2, now);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
		if (rc != VG_OK)
			return rc;
	}
	if ((rc = vg_db_prepare(db, "INSERT INTO newsletter_sender (id, owner, "
	    "expires_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET "
	    "owner = excluded.owner, expires_at = excluded.expires_at",
	    &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, s->owner);
	vg_stmt_bind_int(st, 2, now + NL_LEASE);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

void
nl_sender_release(struct nl_sender *s)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;

	if (db == NULL || vg_db_prepare(db, "DELETE FROM newsletter_sender "
	    "WHERE id = 1 AND owner = ?", &st) != VG_OK)
		return;
	vg_stmt_bind_text(st, 1, s->owner);
	if (vg_stmt_exec(st) != VG_OK)
		vg_error("newsletter: the sender's lease was not released");
	vg_stmt_done(st);
}

/* The watch items of a frozen issue leave the selection (after the
 * issue is marked sent; a failure here changes nothing sent). */
static void
watch_done(int64_t issue)
{
	json_t *is = NULL, *b, *it;
	int64_t *ids;
	size_t i, j, n = 0, cap = 0;

	if (nl_issue_get(issue, &is) != VG_OK)
		return;
	json_array_foreach(json_object_get(is, "content"), i, b)
		if (!strcmp(json_string_value(json_object_get(b, "kind")) ?
		    json_string_value(json_object_get(b, "kind")) : "", "watch"))
			cap += json_array_size(json_object_get(json_object_get(b,
			    "content"), "items"));
	if (cap == 0 || (ids = calloc(cap, sizeof(*ids))) == NULL) {
		json_decref(is);
		return;
	}
	json_array_foreach(json_object_get(is, "content"), i, b) {
		if (strcmp(json_string_value(json_object_get(b, "kind")) ?
		    json_string_value(json_object_get(b, "kind")) : "", "watch"))
			continue;
		json_array_foreach(json_object_get(json_object_get(b,
		    "content"), "items"), j, it)
			if (n < cap && json_is_integer(json_object_get(it, "id")))
				ids[n++] = json_integer_value(json_object_get(it,
				    "id"));
	}
	if (n > 0 && watch_selection_done(ids, n, issue) != VG_OK)
		vg_error("newsletter: issue %lld sent, but its watch items "
		    "stay selected", (long long)issue);
	free(ids);
	json_decref(is);
}

struct claim {
	int64_t id, subscriber;
	char *email, *token;
};

/* Inside the transaction: the next due delivery of issue, marked
 * "sending".  c->id 0 when none is due; then *wait, or *finished when
 * none is left at all (the issue is then marked sent). */
static vg_rc
claim_next(vg_db *db, const struct nl_sender *s, int64_t issue, int64_t now,
    struct claim *c, int64_t *wait, bool *finished)
{
	vg_stmt *st;
	int64_t left;
	bool row;
	vg_rc rc;

	memset(c, 0, sizeof(*c));
	*wait = 0;
	*finished = false;
	if ((rc = vg_db_prepare(db, "SELECT d.id, d.subscriber_id, "
	    "s.email_sealed, s.unsubscribe_sealed FROM newsletter_deliveries d "
	    "JOIN newsletter_subscribers s ON s.id = d.subscriber_id "
	    "WHERE d.issue_id = ? AND d.status = 'pending' AND d.next_at <= ? "
	    "ORDER BY d.id LIMIT 1", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, issue);
	vg_stmt_bind_int(st, 2, now);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		c->id = vg_stmt_int(st, 0);
		c->subscriber = vg_stmt_int(st, 1);
		c->email = vg_stmt_unsealed(st, 2, s->keys);
		c->token = vg_stmt_unsealed(st, 3, s->keys);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	if (c->id > 0)
		return exec1(db, "UPDATE newsletter_deliveries SET status = "
		    "'sending', attempts = attempts + 1, updated_at = ? "
		    "WHERE id = ?", now, c->id);
	if ((rc = count1(db, "SELECT coalesce(min(next_at), 0) FROM "
	    "newsletter_deliveries WHERE issue_id = ? AND status = 'pending'",
	    issue, &left)) != VG_OK)
		return rc;
	if (left > 0) {
		*wait = left > now ? left - now : 1;
		return VG_OK;
	}
	if ((rc = count1(db, "SELECT count(*) FROM newsletter_deliveries "
	    "WHERE issue_id = ? AND status IN ('pending', 'sending')", issue,
	    &left)) != VG_OK)
		return rc;
	if (left > 0) {
		*wait = 1;
		return VG_OK;
	}
	*finished = true;
	return exec1(db, "UPDATE newsletter_issues SET status = 'sent', "
	    "sent_at = ?1, updated_at = ?1 WHERE id = ?2", now, issue);
}

static bool
server_level(int reply)
{
	/* Only a refusal of the recipient (5.5x) or a temporary one (4xx
	 * but 421) is about the address.  Anything else is the server's:
	 * no answer (connection, TLS, whose last reply may be the greeting
	 * 220), the service closing (421), the sender or authentication
	 * refused (530, 535…), a command not understood. */
	return !(reply >= 550 && reply <= 554) &&
	    !(reply >= 400 && reply < 500 && reply != 421);
}

/* Record the outcome of a claimed delivery. */
static vg_rc
record(vg_db *db, struct nl_sender *s, const struct claim *c, vg_rc mrc,
    int reply, const char *answer, int64_t now)
{
	vg_stmt *st;
	int64_t attempts = 0;
	const char *status;
	int64_t next = 0;
	vg_rc rc;

	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = count1(db, "SELECT attempts FROM newsletter_deliveries "
	    "WHERE id = ?", c->id, &attempts)) != VG_OK)
		goto fail;
	if (mrc == VG_OK) {
		status = "sent";
		answer = NULL;
		s->sent++;
		rc = exec1(db, "UPDATE newsletter_subscribers SET bounces = ?2 "
		    "WHERE id = ?1", c->subscriber, 0);
	} else if (mrc == VG_EINVAL) {
		/* The address itself cannot be written in a mail. */
		status = "failed";
		s->failed++;
	} else if (reply >= 550 && reply <= 554) {
		status = "bounced";
		s->bounced++;
		rc = exec1(db, "UPDATE newsletter_subscribers SET bounces = "
		    "bounces + 1, status = CASE WHEN bounces + 1 >= ? THEN "
		    "'bounced' ELSE status END WHERE id = ?", NL_BOUNCE_LIMIT,
		    c->subscriber);
	} else if (server_level(reply)) {
		/* Not this address's fault: it waits, its try not counted. */
		status = "pending";
		attempts--;
		s->server_error = true;
		snprintf(s->last_error, sizeof(s->last_error), "%s", answer);
	} else if (attempts < NL_MAX_ATTEMPTS) {
		status = "pending";
		next = now + ((int64_t)NL_RETRY_BASE << (attempts - 1));
		s->retried++;
	} else {
		status = "failed";
		s->failed++;
	}
	if (rc != VG_OK)
		goto fail;
	if ((rc = vg_db_prepare(db, "UPDATE newsletter_deliveries SET "
	    "status = ?, attempts = ?, next_at = ?, answer = ?, updated_at = ? "
	    "WHERE id = ?", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_text(st, 1, status);
	vg_stmt_bind_int(st, 2, attempts);
	vg_stmt_bind_int(st, 3, next);
	vg_stmt_bind_text(st, 4, answer);
	vg_stmt_bind_int(st, 5, now);
	vg_stmt_bind_int(st, 6, c->id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	return vg_db_commit(db);
fail:
	vg_db_rollback(db);
	return rc;
}

/* The issue being sent (0: none) and its view for the mails. */
static vg_rc
sending_issue(const struct nl_sender *s, int64_t *issue, json_t **view)
{
	json_t *is;
	int64_t id;
	vg_rc rc;

	*view = NULL;
	if ((rc = count1(vg_db_thread(), "SELECT coalesce(min(id), 0) "
	    "FROM newsletter_issues WHERE status = 'sending'", 0, &id)) !=
	    VG_OK)
		return rc;
	*issue = id;
	if (id == 0)
		return VG_OK;
	if ((rc = nl_issue_get(id, &is)) != VG_OK)
		return rc;
	*view = nl_view(s->config, is, json_object_get(is, "content"), false);
	json_decref(is);
	return *view ? VG_OK : VG_ENOMEM;
}

vg_rc
nl_send_some(struct nl_sender *s, int max, bool *done, bool *busy,
    int64_t *wait)
{
	vg_db *db = vg_db_thread();
	json_t *view = NULL;
	int64_t issue;
	int n;
	vg_rc rc;

	*done = *busy = false;
	*wait = 0;
	s->server_error = false;
	if (db == NULL)
		return VG_EDB;
	if ((rc = sending_issue(s, &issue, &view)) != VG_OK)
		return rc;
	if (issue == 0) {
		*done = true;
		return VG_OK;
	}
	for (n = 0; n < max; n++) {
		struct claim c;
		char err[256] = "";
		bool finished = false;
		int reply = 0;
		int64_t now = now_s();
		vg_rc mrc;

		if (s->stopping != NULL && s->stopping())
			break;
		if ((rc = vg_db_begin(db)) != VG_OK)
			break;
		if ((rc = lease_take(db, s, now, busy)) != VG_OK || *busy) {
			vg_db_rollback(db);
			break;
		}
		if ((rc = claim_next(db, s, issue, now, &c, wait, &finished)) !=
		    VG_OK || (rc = vg_db_commit(db)) != VG_OK) {
			vg_db_rollback(db);
			free(c.email);
			free(c.token);
			break;
		}
		if (c.id == 0) {
			if (finished) {
				vg_info("newsletter: issue %lld sent",
				    (long long)issue);
				watch_done(issue);
			}
			break;
		}
		/* Committed "sending": from here on, never twice. */
		if (c.email == NULL || c.token == NULL) {
			mrc = VG_EINVAL;
			snprintf(err, sizeof(err), "%s", "sealed address "
			    "unreadable");
		} else {
			mrc = nl_mail_issue(s->config, s->templates, view,
			    c.email, c.token, &reply, err, sizeof(err));
		}
		rc = record(db, s, &c, mrc, reply, err, now_s());
		/* A server's failure is the caller's to report, once. */
		if (mrc != VG_OK && !s->server_error)
			vg_warn("newsletter: delivery %lld: %s",
			    (long long)c.id, err);
		free(c.email);
		free(c.token);
		if (rc != VG_OK || s->server_error)
			break;
	}
	json_decref(view);
	nl_sender_release(s);
	return rc;
}
