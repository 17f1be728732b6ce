/*
 * subscribers.c — subscribing with double opt-in, confirming,
 * unsubscribing.
 *
 * An address is sealed at rest and found through a keyed hash, so the
 * database alone tells nobody who subscribes.  The confirmation token is
 * kept as a keyed hash only (it is mailed once); the unsubscribe token is
 * also sealed, because every issue's mail carries it.  A subscription
 * request that is never confirmed is erased NL_PENDING_KEEP after its
 * link expired.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/utf8.h"
#include "db/sealed.h"
#include "newsletter/newsletter_int.h"

/*
 * vg_keys has no key of the newsletter's own: one is derived from the
 * column key with a keyed hash of a fixed label (a PRF), so it is
 * independent of the column key in use and reproducible from the key
 * file alone.
 */
static void
nl_key(const vg_keys *k, unsigned char out[VG_HASH_BYTES])
{
	static const char label[] = "vigie newsletter blind index v1";

	vg_hash(k->column, label, sizeof(label) - 1, out);
}

void
nl_hash(const vg_keys *k, const char *domain, const char *s,
    char out[VG_TOKEN_CHARS + 1])
{
	unsigned char key[VG_HASH_BYTES];
	vg_buf b = VG_BUF_INIT;

	nl_key(k, key);
	vg_buf_printf(&b, "%s:%s", domain, s);
	vg_hash_text(key, b.data ? b.data : "", b.len, out);
	vg_buf_free(&b);
}

bool
nl_email_ok(const char *s)
{
	const char *at, *dot;

	if (!vg_mail_address_ok(s) || !vg_utf8_valid_text(s, strlen(s)))
		return false;
	at = strchr(s, '@');
	dot = strrchr(at, '.');
	/* A domain with a dot, not at either end: "x@y" is surely a typo. */
	return dot != NULL && dot > at + 1 && dot[1] != '\0' &&
	    s[strlen(s) - 1] != '.';
}

void
nl_mask(const char *email, char *out, size_t n)
{
	const char *at = strchr(email, '@');
	size_t local = at ? (size_t)(at - email) : strlen(email);
	size_t keep = local > 4 ? 2 : 1;

	if (at == NULL || local == 0) {
		snprintf(out, n, "…");
		return;
	}
	snprintf(out, n, "%.*s…%s", (int)keep, email, at);
}

static char *
lower_dup(const char *s)
{
	char *d = strdup(s), *p;

	for (p = d; p != NULL && *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* The row of an address: id and status, or *id 0. */
static vg_rc
find_by_hash(vg_db *db, const char *hash, int64_t *id, char *status,
    size_t n)
{
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*id = 0;
	if ((rc = vg_db_prepare(db, "SELECT id, status FROM "
	    "newsletter_subscribers WHERE email_hash = ?", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, hash);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		*id = vg_stmt_int(st, 0);
		snprintf(status, n, "%s", vg_stmt_text(st, 1));
	}
	vg_stmt_done(st);
	return rc;
}

/* The unsubscribe token of subscriber id, unsealed into out. */
static vg_rc
unsubscribe_token(vg_db *db, const vg_keys *k, int64_t id,
    char out[VG_TOKEN_CHARS + 1])
{
	vg_stmt *st;
	char *tok = NULL;
	bool row;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, "SELECT unsubscribe_sealed FROM "
	    "newsletter_subscribers WHERE id = ?", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		tok = vg_stmt_unsealed(st, 0, k);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	if (tok == NULL || strlen(tok) != VG_TOKEN_CHARS) {
		free(tok);
		return VG_EINTERNAL;
	}
	memcpy(out, tok, VG_TOKEN_CHARS + 1);
	free(tok);
	return VG_OK;
}

vg_rc
nl_subscribe(const vg_keys *k, const char *email, const char *name,
    int64_t now, struct nl_subscription *out)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st = NULL;
	char ehash[VG_TOKEN_CHARS + 1], chash[VG_TOKEN_CHARS + 1];
	char uhash[VG_TOKEN_CHARS + 1], status[16] = "";
	char *lower = NULL;
	int64_t id;
	vg_rc rc;

	memset(out, 0, sizeof(*out));
	if (db == NULL)
		return VG_EDB;
	if ((lower = lower_dup(email)) == NULL)
		return VG_ENOMEM;
	nl_hash(k, "email", lower, ehash);
	if ((rc = vg_db_begin(db)) != VG_OK)
		goto done;
	if ((rc = find_by_hash(db, ehash, &id, status, sizeof(status))) !=
	    VG_OK)
		goto fail;
	if (id > 0 && !strcmp(status, "confirmed")) {
		/* Nothing changes; the mail tells them, not the page. */
		out->outcome = NL_SUB_ALREADY;
		if ((rc = unsubscribe_token(db, k, id, out->unsubscribe)) !=
		    VG_OK)
			goto fail;
		rc = vg_db_commit(db);
		goto done;
	}
	vg_token_new(out->confirm);
	nl_hash(k, "confirm", out->confirm, chash);
	if (id > 0) {
		/* Pending (or bounced): a fresh link replaces the old one. */
		out->outcome = NL_SUB_PENDING;
		if ((rc = unsubscribe_token(db, k, id, out->unsubscribe)) !=
		    VG_OK ||
		    (rc = vg_db_prepare(db, "UPDATE newsletter_subscribers SET "
		    "status = 'pending', confirm_hash = ?, confirm_expires = ?, "
		    "name_sealed = coalesce(?, name_sealed) WHERE id = ?",
		    &st)) != VG_OK)
			goto fail;
		vg_stmt_bind_text(st, 1, chash);
		vg_stmt_bind_int(st, 2, now + NL_CONFIRM_TTL);
		if ((rc = vg_stmt_bind_sealed(st, 3, k, name)) == VG_OK)
			rc = vg_stmt_bind_int(st, 4, id);
	} else {
		out->outcome = NL_SUB_NEW;
		vg_token_new(out->unsubscribe);
		nl_hash(k, "unsubscribe", out->unsubscribe, uhash);
		if ((rc = vg_db_prepare(db, "INSERT INTO newsletter_subscribers "
		    "(email_hash, email_sealed, name_sealed, status, "
		    "confirm_hash, confirm_expires, unsubscribe_hash, "
		    "unsubscribe_sealed, created_at) "
		    "VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?)", &st)) != VG_OK)
			goto fail;
		vg_stmt_bind_text(st, 1, ehash);
		if ((rc = vg_stmt_bind_sealed(st, 2, k, lower)) == VG_OK &&
		    (rc = vg_stmt_bind_sealed(st, 3, k, name)) == VG_OK &&
		    (rc = vg_stmt_bind_text(st, 4, chash)) == VG_OK &&
		    (rc = vg_stmt_bind_int(st, 5, now + NL_CONFIRM_TTL)) ==
		    VG_OK &&
		    (rc = vg_stmt_bind_text(st, 6, uhash)) == VG_OK &&
		    (rc = vg_stmt_bind_sealed(st, 7, k, out->unsubscribe)) ==
		    VG_OK)
			rc = vg_stmt_bind_int(st, 8, now);
	}
	if (rc == VG_OK)
		rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	rc = vg_db_commit(db);
	goto done;
fail:
	vg_db_rollback(db);
done:
	free(lower);
	return rc;
}

/* The pending row of a confirmation token: id and expiry, or *id 0. */
static vg_rc
find_confirm(vg_db *db, const vg_keys *k, const char *token, int64_t *id,
    int64_t *expires)
{
	char hash[VG_TOKEN_CHARS + 1];
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*id = 0;
	if (token == NULL || strlen(token) != VG_TOKEN_CHARS)
		return VG_OK;
	nl_hash(k, "confirm", token, hash);
	if ((rc = vg_db_prepare(db, "SELECT id, confirm_expires FROM "
	    "newsletter_subscribers WHERE confirm_hash = ? "
	    "AND status = 'pending'", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, hash);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		*id = vg_stmt_int(st, 0);
		*expires = vg_stmt_int(st, 1);
	}
	vg_stmt_done(st);
	return rc;
}

vg_rc
nl_confirm_check(const vg_keys *k, const char *token, int64_t now,
    bool *expired)
{
	vg_db *db = vg_db_thread();
	int64_t id, expires = 0;
	vg_rc rc;

	*expired = false;
	if (db == NULL)
		return VG_EDB;
	if ((rc = find_confirm(db, k, token, &id, &expires)) != VG_OK)
		return rc;
	if (id == 0)
		return VG_ENOTFOUND;
	*expired = expires <= now;
	return *expired ? VG_ENOTFOUND : VG_OK;
}

vg_rc
nl_confirm(const vg_keys *k, const char *token, int64_t now, bool *expired)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	int64_t id, expires = 0;
	vg_rc rc;

	*expired = false;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = find_confirm(db, k, token, &id, &expires)) != VG_OK)
		goto fail;
	if (id == 0 || expires <= now) {
		*expired = id != 0;
		rc = VG_ENOTFOUND;
		goto fail;
	}
	if ((rc = vg_db_prepare(db, "UPDATE newsletter_subscribers SET "
	    "status = 'confirmed', confirm_hash = NULL, confirm_expires = NULL, "
	    "confirmed_at = ?, bounces = 0 WHERE id = ?", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, now);
	vg_stmt_bind_int(st, 2, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	return vg_db_commit(db);
fail:
	vg_db_rollback(db);
	return rc;
}

static vg_rc
find_unsubscribe(vg_db *db, const vg_keys *k, const char *token, int64_t *id)
{
	char hash[VG_TOKEN_CHARS + 1];
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*id = 0;
	if (token == NULL || strlen(token) != VG_TOKEN_CHARS)
		return VG_OK;
	nl_hash(k, "unsubscribe", token, hash);
	if ((rc = vg_db_prepare(db, "SELECT id FROM newsletter_subscribers "
	    "WHERE unsubscribe_hash = ?", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, hash);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		*id = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return rc;
}

vg_rc
nl_unsubscribe_check(const vg_keys *k, const char *token)
{
	vg_db *db = vg_db_thread();
	int64_t id;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = find_unsubscribe(db, k, token, &id)) != VG_OK)
		return rc;
	return id > 0 ? VG_OK : VG_ENOTFOUND;
}

vg_rc
nl_unsubscribe(const vg_keys *k, const char *token)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	int64_t id;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = find_unsubscribe(db, k, token, &id)) != VG_OK)
		goto fail;
	if (id == 0) {
		rc = VG_ENOTFOUND;
		goto fail;
	}
	/* Mails not yet sent will not be; a mail being sent right now
	 * cannot be recalled. */
	if ((rc = vg_db_prepare(db, "UPDATE newsletter_deliveries SET "
	    "status = 'cancelled' WHERE subscriber_id = ? AND status = "
	    "'pending'", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	if ((rc = vg_db_prepare(db, "UPDATE newsletter_deliveries SET "
	    "subscriber_id = NULL WHERE subscriber_id = ?", &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	if ((rc = vg_db_prepare(db, "DELETE FROM newsletter_subscribers "
	    "WHERE id = ?", &st)) != VG_OK)
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

vg_rc
nl_purge_pending(int64_t now, int *n)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*n = 0;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, "SELECT count(*) FROM "
	    "newsletter_subscribers WHERE status = 'pending' "
	    "AND confirm_expires < ?", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, now - NL_PENDING_KEEP);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		*n = (int)vg_stmt_int(st, 0);
	vg_stmt_done(st);
	if (rc != VG_OK || *n == 0)
		return rc;
	if ((rc = vg_db_prepare(db, "DELETE FROM newsletter_subscribers "
	    "WHERE status = 'pending' AND confirm_expires < ?", &st)) !=
	    VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, now - NL_PENDING_KEEP);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

vg_rc
nl_subscriber_counts(json_t **out)
{
	vg_db *db = vg_db_thread();
	json_int_t pending = 0, confirmed = 0, bounced = 0;
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, "SELECT status, count(*) FROM "
	    "newsletter_subscribers GROUP BY status", &st)) != VG_OK)
		return rc;
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const char *s = vg_stmt_text(st, 0);
		json_int_t n = vg_stmt_int(st, 1);

		if (!strcmp(s, "pending"))
			pending = n;
		else if (!strcmp(s, "confirmed"))
			confirmed = n;
		else
			bounced = n;
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	*out = json_pack("{s:I, s:I, s:I}", "pending", pending, "confirmed",
	    confirmed, "bounced", bounced);
	return *out ? VG_OK : VG_ENOMEM;
}

/* --- the mails of a subscription --------------------------------------------- */

vg_rc
nl_mail_subscription(const vg_config *c, const char *email,
    const struct nl_subscription *s, char *err, size_t errlen)
{
	vg_buf body = VG_BUF_INIT, h1 = VG_BUF_INIT, h2 = VG_BUF_INIT;
	const char *headers[3] = {NULL, NULL, NULL};
	const char *who = c->notifier_name[0] ? c->notifier_name : "Vigie";
	vg_smtp smtp;
	vg_mail m;
	vg_rc rc;

	vg_buf_printf(&h1, "List-Unsubscribe: <%s/lettre/desabonnement/%s>",
	    c->public_url, s->unsubscribe);
	vg_buf_puts(&h2, "List-Unsubscribe-Post: List-Unsubscribe=One-Click");
	headers[0] = h1.data;
	headers[1] = h2.data;
	vg_buf_printf(&body, "%s\n\n", _("Bonjour,"));
	if (s->outcome == NL_SUB_ALREADY) {
		vg_buf_printf(&body, "%s\n\n", _("Quelqu'un (sans doute vous) a "
		    "demandé à recevoir la lettre de l'observatoire à cette "
		    "adresse. Vous y êtes déjà abonné·e : il n'y a rien à "
		    "faire."));
		vg_buf_printf(&body, _("Pour ne plus la recevoir, ouvrez ce lien "
		    ": %s/lettre/desabonnement/%s\n\n"), c->public_url,
		    s->unsubscribe);
	} else {
		vg_buf_printf(&body, "%s\n\n", _("Quelqu'un (sans doute vous) a "
		    "demandé à recevoir à cette adresse la lettre trimestrielle "
		    "de l'observatoire. Pour confirmer, ouvrez ce lien puis "
		    "appuyez sur le bouton « Confirmer » :"));
		vg_buf_printf(&body, "%s/lettre/confirmation/%s\n\n",
		    c->public_url, s->confirm);
		vg_buf_printf(&body, "%s\n\n", _("Ce lien ne sert qu'une fois et "
		    "expire dans 7 jours. Si vous n'avez rien demandé, ignorez "
		    "ce message : sans confirmation, votre adresse sera effacée "
		    "et vous ne recevrez rien."));
	}
	vg_buf_printf(&body, "%s\n", who);
	if (vg_buf_failed(&body) || vg_buf_failed(&h1)) {
		rc = VG_ENOMEM;
		goto out;
	}
	vg_smtp_from_config(c, &smtp);
	memset(&m, 0, sizeof(m));
	m.from = c->notifier_email;
	m.from_name = c->notifier_name[0] ? c->notifier_name : NULL;
	m.to = email;
	m.subject = s->outcome == NL_SUB_ALREADY ?
	    _("Vous êtes déjà abonné·e à la lettre de l'observatoire") :
	    _("Confirmez votre abonnement à la lettre de l'observatoire");
	m.text = body.data;
	m.headers = headers;
	rc = vg_mail_deliver(&smtp, &m, NULL, err, errlen);
out:
	vg_buf_free(&body);
	vg_buf_free(&h1);
	vg_buf_free(&h2);
	return rc;
}
