/*
 * share.c — read-only accesses to a vault for a professional (a lawyer,
 * an officer, an association), and their pages.
 *
 * The person chooses how long (1 to 90 days); the code is shown once and
 * is the only way in: the server keeps a keyed hash of it and the vault's
 * key wrapped by argon2id of the code.  Revoking deletes the row.  Once
 * expired, the purge erases the wrapped key (nothing can open the vault
 * with that code any more) but keeps the hash and the date for 30 days,
 * so that the professional reads "expired" rather than "wrong code".
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/when.h"
#include "db/db.h"
#include "vault/vault_int.h"

#define SHARE_DAYS_MAX 90
#define SHARE_DAYS_DEFAULT 30
#define SHARE_KEEP (30 * 86400) /* an expired share's row, then gone */
#define SHARE_LABEL_MAX 100

/* --- storage -------------------------------------------------------------- */

vg_rc
vault_share_create(const vg_keys *k, const struct vault_open *o, int days,
    const char *label, int64_t now, char code[VAULT_CODE_CHARS * 5 / 4])
{
	unsigned char salt[VAULT_SALT_BYTES], wrapped[VAULT_WRAPPED_BYTES];
	char norm[VAULT_CODE_CHARS + 1], lookup[VG_TOKEN_CHARS + 1];
	unsigned char *boxed = NULL;
	size_t boxed_len = 0;
	vg_stmt *st;
	vg_rc rc;

	if (o->readonly)
		return VG_EDENIED;
	if (days < 1 || days > SHARE_DAYS_MAX)
		return VG_EINVAL;
	vault_code_new(VAULT_CODE_CHARS, code);
	vault_code_normalise(code, VAULT_CODE_CHARS, norm);
	vault_code_lookup(k, "share", norm, lookup);
	randombytes_buf(salt, sizeof(salt));
	rc = vault_key_wrap(norm, salt, o->vk, wrapped);
	sodium_memzero(norm, sizeof(norm));
	if (rc != VG_OK)
		return rc;
	if (label != NULL && (boxed = vault_box(o->vk, label, strlen(label),
	    &boxed_len)) == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_prepare(vg_db_thread(), "INSERT INTO vault_shares "
	    "(vault_id, lookup, salt, wrapped_key, label, created_at, "
	    "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)", &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, o->vault);
		vg_stmt_bind_text(st, 2, lookup);
		vg_stmt_bind_blob(st, 3, salt, sizeof(salt));
		vg_stmt_bind_blob(st, 4, wrapped, sizeof(wrapped));
		if (boxed != NULL)
			vg_stmt_bind_blob(st, 5, boxed, boxed_len);
		else
			vg_stmt_bind_null(st, 5);
		vg_stmt_bind_int(st, 6, now);
		vg_stmt_bind_int(st, 7, now + (int64_t)days * 86400);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	free(boxed);
	return rc;
}

vg_rc
vault_shares(const struct vault_open *o, int64_t now, json_t **out)
{
	json_t *list = json_array();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (list == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_prepare(vg_db_thread(), "SELECT id, label, "
	    "created_at, expires_at FROM vault_shares WHERE vault_id = ? "
	    "ORDER BY created_at DESC, id DESC", &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, o->vault);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const void *p;
		size_t n;
		char *label = NULL;

		if (!vg_stmt_is_null(st, 1)) {
			p = vg_stmt_blob(st, 1, &n);
			label = (char *)vault_unbox(o->vk, p, n, NULL);
		}
		json_array_append_new(list, json_pack("{s:I, s:s?, s:I, s:I, "
		    "s:b}", "id", (json_int_t)vg_stmt_int(st, 0),
		    "label", label, "created_at",
		    (json_int_t)vg_stmt_int(st, 2), "expires_at",
		    (json_int_t)vg_stmt_int(st, 3), "expired",
		    vg_stmt_int(st, 3) <= now));
		free(label);
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
vault_share_revoke(const struct vault_open *o, int64_t id)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row = false;
	vg_rc rc;

	if (o->readonly)
		return VG_EDENIED;
	if ((rc = vg_db_prepare(db, "DELETE FROM vault_shares WHERE id = ? AND "
	    "vault_id = ? RETURNING id", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	vg_stmt_bind_int(st, 2, o->vault);
	rc = vg_stmt_step(st, &row);
	vg_stmt_done(st);
	if (rc == VG_OK && !row)
		rc = VG_ENOTFOUND;
	if (rc == VG_OK)
		vault_session_close_share(id);
	return rc;
}

vg_rc
vault_share_unlock(const vg_keys *k, const char *code, int64_t now,
    int64_t *vault, int64_t *share, int64_t *expires, unsigned char *vk)
{
	unsigned char salt[VAULT_SALT_BYTES], wrapped[VAULT_WRAPPED_BYTES];
	unsigned char h[VG_HASH_BYTES];
	char norm[VAULT_CODE_CHARS + 1], lookup[VG_TOKEN_CHARS + 1];
	bool row = false, known = false, expired = false;
	const void *p, *q;
	size_t n, m;
	vg_stmt *st;
	vg_rc rc;

	if (!vault_code_normalise(code, VAULT_CODE_CHARS, norm))
		snprintf(norm, sizeof(norm), "%.12s", code);
	vg_hash(k->vault, norm, strlen(norm), h);
	memcpy(salt, h, sizeof(salt));
	randombytes_buf(wrapped, sizeof(wrapped));
	vault_code_lookup(k, "share", norm, lookup);
	if ((rc = vg_db_prepare(vg_db_thread(), "SELECT id, vault_id, salt, "
	    "wrapped_key, expires_at FROM vault_shares WHERE lookup = ?",
	    &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, lookup);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		expired = vg_stmt_int(st, 4) <= now ||
		    vg_stmt_is_null(st, 3);
		p = vg_stmt_blob(st, 2, &n);
		q = vg_stmt_blob(st, 3, &m);
		if (!expired && n == sizeof(salt) && m == sizeof(wrapped)) {
			memcpy(salt, p, n);
			memcpy(wrapped, q, m);
			known = true;
			*share = vg_stmt_int(st, 0);
			*vault = vg_stmt_int(st, 1);
			*expires = vg_stmt_int(st, 4);
		}
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	if (expired) {
		sodium_memzero(norm, sizeof(norm));
		return VG_EDENIED;
	}
	rc = vault_key_unwrap(norm, salt, wrapped, vk);
	sodium_memzero(norm, sizeof(norm));
	if (rc == VG_OK && !known)
		rc = VG_EAUTH;
	if (rc != VG_OK)
		sodium_memzero(vk, VAULT_KEY_BYTES);
	return rc;
}

vg_rc
vault_share_purge(int64_t now, int64_t *n)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	*n = 0;
	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, "UPDATE vault_shares SET salt = NULL, "
	    "wrapped_key = NULL WHERE expires_at <= ? AND wrapped_key IS NOT "
	    "NULL RETURNING id", &st)) == VG_OK) {
		bool row;
		vg_stmt_bind_int(st, 1, now);
		while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
			vault_session_close_share(vg_stmt_int(st, 0));
			(*n)++;
		}
		vg_stmt_done(st);
	}
	if (rc == VG_OK && (rc = vg_db_prepare(db, "DELETE FROM vault_shares "
	    "WHERE expires_at <= ?", &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, now - SHARE_KEEP);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	if (rc == VG_OK)
		return vg_db_commit(db);
	vg_db_rollback(db);
	*n = 0;
	return rc;
}

/* --- pages ---------------------------------------------------------------- */

static const char *
day_fr(vg_req *r, int64_t t)
{
	char buf[32];

	vg_time_text(t, "%d/%m/%Y à %H:%M UTC", buf, sizeof(buf));
	return vg_arena_strdup(r->arena, buf);
}

static vg_rc
shares_context(vg_req *r, vg_resp *resp, const struct vault_open *o)
{
	int64_t now = (int64_t)time(NULL);
	json_t *list, *s;
	char max[16];
	size_t i;
	vg_rc rc;

	vault_page(r, resp, "vault_shares");
	if ((rc = vault_shares(o, now, &list)) != VG_OK)
		return rc;
	json_array_foreach(list, i, s) {
		json_object_set_new(s, "created_fr", json_string(day_fr(r,
		    json_integer_value(json_object_get(s, "created_at")))));
		json_object_set_new(s, "expires_fr", json_string(day_fr(r,
		    json_integer_value(json_object_get(s, "expires_at")))));
	}
	vg_time_text(now + SHARE_DAYS_MAX * 86400, "%Y-%m-%d", max,
	    sizeof(max));
	json_object_set_new(resp->ctx, "shares", list);
	json_object_set_new(resp->ctx, "days_default",
	    json_integer(SHARE_DAYS_DEFAULT));
	json_object_set_new(resp->ctx, "days_max", json_integer(
	    SHARE_DAYS_MAX));
	return VG_OK;
}

vg_rc
vault_shares_page(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	vg_rc rc;

	if ((rc = vault_opened(r, resp, true, &o)) != VG_OK ||
	    resp->redirect != NULL)
		return rc;
	rc = shares_context(r, resp, &o);
	vault_open_release(&o);
	return rc;
}

/* The duration asked: `days` (1 to 90), or an `expires` date within 90
 * days; an error set on resp otherwise. */
static vg_rc
days_of(vg_req *r, vg_resp *resp, int *days)
{
	const char *d = vg_form_get(r->form, "days");
	const char *e = vg_form_get(r->form, "expires");
	int64_t t, today;
	char *end;
	long v;

	if (d != NULL && *d != '\0') {
		v = strtol(d, &end, 10);
		if (*end == '\0' && v >= 1 && v <= SHARE_DAYS_MAX) {
			*days = (int)v;
			return VG_OK;
		}
	} else if (e != NULL && *e != '\0' && vg_date_parse(e, &t)) {
		today = (int64_t)time(NULL) / 86400 * 86400;
		v = (long)((t - today) / 86400);
		if (v >= 1 && v <= SHARE_DAYS_MAX) {
			*days = (int)v;
			return VG_OK;
		}
	}
	return vg_fail(resp, VG_EINVAL, vg_arena_printf(r->arena,
	    _("Choisissez une durée de 1 à %d jours."), SHARE_DAYS_MAX),
	    "days");
}

vg_rc
vault_shares_post(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	char code[VAULT_CODE_CHARS * 5 / 4];
	const char *label;
	int64_t now = (int64_t)time(NULL);
	int days = 0;
	vg_rc rc;

	if ((rc = vault_opened(r, resp, true, &o)) != VG_OK ||
	    resp->redirect != NULL)
		return rc;
	if ((rc = shares_context(r, resp, &o)) != VG_OK)
		goto done;
	if ((rc = vg_req_text(r, resp, "label", SHARE_LABEL_MAX, false,
	    &label)) != VG_OK || (rc = days_of(r, resp, &days)) != VG_OK)
		goto done;
	if ((rc = vault_share_create(r->site->keys, &o, days, label, now,
	    code)) != VG_OK)
		goto done;
	/* The list again, with the new share and its code, shown once. */
	if ((rc = shares_context(r, resp, &o)) != VG_OK)
		goto done;
	resp->status = 201;
	json_object_set_new(resp->ctx, "share", json_pack("{s:s, s:s, s:I, "
	    "s:s, s:i}", "code", code, "expires_fr", day_fr(r, now +
	    (int64_t)days * 86400), "expires_at", (json_int_t)(now +
	    (int64_t)days * 86400), "label", label ? label : "", "days",
	    days));
	sodium_memzero(code, sizeof(code));
done:
	vault_open_release(&o);
	return rc;
}

vg_rc
vault_share_revoke_post(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	int64_t id = vg_req_param_id(r, 0);
	vg_rc rc;

	if ((rc = vault_opened(r, resp, true, &o)) != VG_OK ||
	    resp->redirect != NULL)
		return rc;
	rc = id > 0 ? vault_share_revoke(&o, id) : VG_ENOTFOUND;
	if (rc == VG_ENOTFOUND) {
		shares_context(r, resp, &o);
		vault_open_release(&o);
		return vg_fail(resp, VG_ENOTFOUND, _("Ce partage n'existe pas "
		    "ou a déjà été révoqué."), NULL);
	}
	vault_open_release(&o);
	if (rc != VG_OK)
		return rc;
	resp->redirect = "/coffre/partages";
	json_object_set_new(resp->ctx, "share", json_pack("{s:I, s:b}", "id",
	    (json_int_t)id, "revoked", 1));
	return VG_OK;
}

vg_rc
vault_share_page(vg_req *r, vg_resp *resp)
{
	vault_page(r, resp, "vault_share");
	return VG_OK;
}

vg_rc
vault_share_post(vg_req *r, vg_resp *resp)
{
	const char *code = vg_form_get(r->form, "code");
	char norm[VAULT_CODE_CHARS + 1], lookup[VG_TOKEN_CHARS + 1];
	char key[VG_TOKEN_CHARS + 8];
	unsigned char vk[VAULT_KEY_BYTES];
	int64_t vault = 0, share = 0, expires = 0, now = (int64_t)time(NULL);
	vg_rc rc;

	vault_page(r, resp, "vault_share");
	if (code == NULL || *code == '\0' || strlen(code) > 64)
		return vg_fail(resp, VG_EINVAL, _("Saisissez le code de "
		    "partage qui vous a été remis (12 caractères)."), "code");
	if (!vault_code_normalise(code, VAULT_CODE_CHARS, norm))
		snprintf(norm, sizeof(norm), "%.12s", code);
	vault_code_lookup(r->site->keys, "share", norm, lookup);
	sodium_memzero(norm, sizeof(norm));
	snprintf(key, sizeof(key), "share:%s", lookup);
	if (vault_throttle_check(r, key) != VG_OK)
		return vg_fail(resp, VG_ETHROTTLE, _("Trop de tentatives. "
		    "Patientez quinze minutes avant de réessayer."), NULL);
	rc = vault_share_unlock(r->site->keys, code, now, &vault, &share,
	    &expires, vk);
	if (rc == VG_EDENIED)
		return vg_fail(resp, VG_EGONE, _("Ce partage a expiré. "
		    "Demandez un nouveau code à la personne qui vous l'avait "
		    "donné."), "code");
	if (rc == VG_EAUTH) {
		vault_throttle_fail(r, key);
		return vg_fail(resp, VG_EAUTH, _("Ce code de partage est "
		    "incorrect."), "code");
	}
	if (rc != VG_OK)
		return rc;
	rc = vault_open_for(r, resp, vault, share, expires, vk);
	sodium_memzero(vk, sizeof(vk));
	if (rc != VG_OK)
		return rc;
	resp->redirect = "/coffre/elements";
	json_object_set_new(resp->ctx, "vault", json_pack("{s:b, s:b}", "open",
	    1, "readonly", 1));
	return VG_OK;
}
