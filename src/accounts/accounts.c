/*
 * accounts.c — the accounts area's logic and storage.
 */
#include "accounts/accounts.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/log.h"
#include "core/utf8.h"
#include "db/db.h"

static char *
lower_dup(const char *s)
{
	char *p = strdup(s), *q;

	if (p != NULL)
		for (q = p; *q; q++)
			*q = (char)tolower((unsigned char)*q);
	return p;
}

vg_rc
accounts_check_email(const char *email, const char **why)
{
	const char *at, *dot, *p;
	size_t n = strlen(email);

	*why = _("Indiquez une adresse e-mail valide, par exemple "
	    "prenom.nom@exemple.fr.");
	if (n < 3 || n > 254 || !vg_utf8_valid_text(email, n))
		return VG_EINVAL;
	at = strchr(email, '@');
	if (at == NULL || at == email || strchr(at + 1, '@') != NULL)
		return VG_EINVAL;
	dot = strrchr(at, '.');
	if (dot == NULL || dot == at + 1 || dot[1] == '\0')
		return VG_EINVAL;
	for (p = email; *p; p++)
		if (isspace((unsigned char)*p) || *p == '<' || *p == '>' ||
		    *p == ',' || *p == ';' || *p == '"')
			return VG_EINVAL;
	*why = NULL;
	return VG_OK;
}

vg_rc
accounts_check_password(const char *password, const char **why)
{
	size_t n = strlen(password);

	if (vg_utf8_length(password, n) < ACCOUNTS_PASSWORD_MIN) {
		*why = _("Le mot de passe doit compter au moins 12 caractères. "
		    "Une phrase de plusieurs mots est facile à retenir.");
		return VG_EINVAL;
	}
	if (n > ACCOUNTS_PASSWORD_MAX || !vg_utf8_valid_text(password, n)) {
		*why = _("Ce mot de passe ne peut pas être utilisé.");
		return VG_EINVAL;
	}
	*why = NULL;
	return VG_OK;
}

static vg_rc
insert_user(const char *email, const char *password, vg_role role,
    const char *status, const char *name, const char *organisation,
    const char *profession, const unsigned char *note, size_t notelen,
    int64_t *id)
{
	static const char q[] =
	    "INSERT INTO users (email, password_hash, role, status, name, "
	    "organisation, profession, request_note, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	char hash[VG_PWHASH_BYTES];
	char *lower = NULL;
	vg_db *db;
	vg_stmt *st;
	vg_rc rc;

	if (role <= VG_ROLE_PUBLIC || role >= VG_ROLE_COUNT)
		return VG_EINVAL;
	if ((db = vg_db_thread()) == NULL)
		return VG_EDB;
	if ((rc = vg_password_hash(password, hash)) != VG_OK)
		return rc;
	if ((lower = lower_dup(email)) == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		goto out;
	vg_stmt_bind_text(st, 1, lower);
	vg_stmt_bind_text(st, 2, hash);
	vg_stmt_bind_text(st, 3, vg_role_name(role));
	vg_stmt_bind_text(st, 4, status);
	vg_stmt_bind_text(st, 5, name ? name : lower);
	vg_stmt_bind_text(st, 6, organisation);
	vg_stmt_bind_text(st, 7, profession);
	if (note != NULL)
		vg_stmt_bind_blob(st, 8, note, notelen);
	vg_stmt_bind_int(st, 9, (int64_t)time(NULL));
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc == VG_OK && id != NULL)
		*id = vg_db_last_id(db);
out:
	free(lower);
	return rc;
}

vg_rc
accounts_user_add(const char *email, const char *password, vg_role role,
    const char *name, int64_t *id)
{
	const char *why;

	if (accounts_check_email(email, &why) != VG_OK ||
	    accounts_check_password(password, &why) != VG_OK)
		return VG_EINVAL;
	return insert_user(email, password, role, "active", name, NULL, NULL,
	    NULL, 0, id);
}

static const char *
status_label(const char *status)
{
	if (status == NULL)
		return "";
	if (!strcmp(status, "active"))
		return _("actif");
	if (!strcmp(status, "pending"))
		return _("en attente");
	if (!strcmp(status, "rejected"))
		return _("refusé");
	if (!strcmp(status, "disabled"))
		return _("désactivé");
	return status;
}

vg_rc
accounts_user_list(json_t **out)
{
	static const char q[] =
	    "SELECT id, email, name, role, status, created_at FROM users "
	    "ORDER BY id LIMIT 1000";
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
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		goto fail;
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const char *role = vg_stmt_text(st, 3);
		const char *status = vg_stmt_text(st, 4);

		/* Labels for people, next to the stable codes for programs. */
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:s, s:s, s:s, s:I}", "id", (json_int_t)vg_stmt_int(st, 0),
		    "email", vg_stmt_text(st, 1), "name", vg_stmt_text(st, 2),
		    "role", role, "role_label",
		    vg_role_label((vg_role)vg_role_parse(role)),
		    "status", status, "status_label", status_label(status),
		    "created_at", (json_int_t)vg_stmt_int(st, 5)));
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	*out = list;
	return VG_OK;
fail:
	json_decref(list);
	return rc;
}

vg_rc
accounts_have_admin(bool *yes)
{
	static const char q[] = "SELECT 1 FROM users WHERE role = 'admin' "
	    "AND status = 'active' LIMIT 1";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	*yes = false;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	rc = vg_stmt_step(st, yes);
	vg_stmt_done(st);
	return rc;
}

/* A real hash to verify against when the address is unknown, so that the
 * answer takes as long as for a real account and tells nothing. */
static char dummy_hash[VG_PWHASH_BYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
make_dummy(void)
{
	char token[VG_TOKEN_CHARS + 1];

	vg_token_new(token);
	if (vg_password_hash(token, dummy_hash) != VG_OK)
		dummy_hash[0] = '\0';
}

static int64_t
lock_seconds(int64_t failures)
{
	int64_t over = failures - ACCOUNTS_LOCK_AFTER;

	/* One minute after the 5th failure, doubling, at most an hour. */
	if (over < 0)
		return 0;
	if (over > 6)
		return 3600;
	return 60LL << over;
}

/*
 * Count a sign-in attempt for address hash h before its password is
 * checked, in one write transaction, so that attempts sent in parallel each
 * get their own number and cannot all slip under the limit.  *allowed says
 * whether this attempt may succeed; *n is its number.
 */
static vg_rc
throttle_begin(vg_db *db, const char *h, int64_t now, int64_t *n,
    bool *allowed)
{
	static const char q_get[] = "SELECT failures, locked_until "
	    "FROM login_throttle WHERE address_hash = ?";
	static const char q_put[] =
	    "INSERT INTO login_throttle (address_hash, failures, locked_until) "
	    "VALUES (?, ?, 0) ON CONFLICT (address_hash) DO UPDATE SET "
	    "failures = excluded.failures, locked_until = 0";
	int64_t failures = 0, locked = 0;
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*allowed = false;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = vg_db_prepare(db, q_get, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_text(st, 1, h);
	rc = vg_stmt_step(st, &row);
	if (rc == VG_OK && row) {
		failures = vg_stmt_int(st, 0);
		locked = vg_stmt_int(st, 1);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	*n = failures + 1;
	if (locked > now) {
		vg_db_rollback(db);     /* locked: nothing to count */
		return VG_OK;
	}
	/* Within the limit, or the first attempt after a lock ran out. */
	*allowed = *n <= ACCOUNTS_LOCK_AFTER || locked != 0;
	if ((rc = vg_db_prepare(db, q_put, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_text(st, 1, h);
	vg_stmt_bind_int(st, 2, *n);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	return vg_db_commit(db);
fail:
	vg_db_rollback(db);
	return rc;
}

/* After the check: forget the address on success, lock it when a failure
 * reaches the limit. */
static vg_rc
throttle_end(vg_db *db, const char *h, int64_t now, int64_t n, bool good)
{
	static const char q_clear[] =
	    "DELETE FROM login_throttle WHERE address_hash = ?";
	static const char q_lock[] =
	    "UPDATE login_throttle SET locked_until = ? "
	    "WHERE address_hash = ?";
	vg_stmt *st;
	vg_rc rc;

	if (!good && lock_seconds(n) == 0)
		return VG_OK;
	if ((rc = vg_db_prepare(db, good ? q_clear : q_lock, &st)) != VG_OK)
		return rc;
	if (good) {
		vg_stmt_bind_text(st, 1, h);
	} else {
		vg_stmt_bind_int(st, 1, now + lock_seconds(n));
		vg_stmt_bind_text(st, 2, h);
	}
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

vg_rc
accounts_login(const vg_keys *keys, const char *email, const char *password,
    int64_t *user_id)
{
	static const char q_get[] =
	    "SELECT id, password_hash, status FROM users WHERE email = ?";
	int64_t now = (int64_t)time(NULL), id = 0, n = 0;
	char hash[VG_PWHASH_BYTES] = "", status[16] = "";
	char h[VG_TOKEN_CHARS + 1];
	char *lower;
	vg_db *db;
	vg_stmt *st;
	bool row = false, good, allowed;
	vg_rc rc;

	*user_id = 0;
	if ((db = vg_db_thread()) == NULL)
		return VG_EDB;
	if ((lower = lower_dup(email)) == NULL)
		return VG_ENOMEM;
	vg_hash_text(keys->throttle, lower, strlen(lower), h);
	if ((rc = throttle_begin(db, h, now, &n, &allowed)) != VG_OK ||
	    (rc = vg_db_prepare(db, q_get, &st)) != VG_OK) {
		free(lower);
		return rc;
	}
	vg_stmt_bind_text(st, 1, lower);
	free(lower);
	rc = vg_stmt_step(st, &row);
	if (rc == VG_OK && row) {
		id = vg_stmt_int(st, 0);
		snprintf(hash, sizeof(hash), "%s", vg_stmt_text(st, 1));
		snprintf(status, sizeof(status), "%s", vg_stmt_text(st, 2));
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;

	/* Always hash, with a dummy for unknown addresses and while locked,
	 * so that time tells nothing either. */
	if (!row)
		pthread_once(&dummy_once, make_dummy);
	good = vg_password_verify(row ? hash : dummy_hash, password) && row;
	if (!allowed)
		return VG_ETHROTTLE;
	if ((rc = throttle_end(db, h, now, n, good)) != VG_OK)
		return rc;
	if (!good)
		return lock_seconds(n) ? VG_ETHROTTLE : VG_EAUTH;
	if (strcmp(status, "active") != 0)
		return strcmp(status, "pending") == 0 ? VG_EDENIED : VG_EAUTH;
	*user_id = id;
	return VG_OK;
}

vg_rc
accounts_request(const vg_keys *keys, const char *email,
    const char *password, const char *name, const char *organisation,
    const char *profession, const char *note, int64_t *id)
{
	unsigned char *sealed = NULL;
	size_t n = 0;
	vg_rc rc;

	if (note != NULL) {
		n = strlen(note) + VG_SEAL_OVERHEAD;
		if ((sealed = malloc(n)) == NULL)
			return VG_ENOMEM;
		vg_seal(keys, note, strlen(note), sealed);
	}
	rc = insert_user(email, password, VG_ROLE_PROFESSIONAL, "pending",
	    name, organisation, profession, sealed, n, id);
	free(sealed);
	return rc;
}

vg_rc
accounts_pending(const vg_keys *keys, json_t **out)
{
	static const char q[] =
	    "SELECT id, email, name, organisation, profession, request_note, "
	    "created_at FROM users WHERE status = 'pending' ORDER BY id "
	    "LIMIT 200";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list, *o;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((list = json_array()) == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		goto fail;
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		size_t n;
		const unsigned char *blob = vg_stmt_blob(st, 5, &n);

		o = json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:I}",
		    "id", (json_int_t)vg_stmt_int(st, 0),
		    "email", vg_stmt_text(st, 1), "name", vg_stmt_text(st, 2),
		    "organisation", vg_stmt_text(st, 3),
		    "profession", vg_stmt_text(st, 4),
		    "created_at", (json_int_t)vg_stmt_int(st, 6));
		if (o != NULL && blob != NULL && n >= VG_SEAL_OVERHEAD) {
			unsigned char *plain = malloc(n - VG_SEAL_OVERHEAD + 1);

			if (plain != NULL && vg_unseal(keys, blob, n, plain) ==
			    VG_OK)
				json_object_set_new(o, "note",
				    json_string((char *)plain));
			else
				vg_warn("accounts: a request note cannot be "
				    "decrypted (wrong key file?)");
			free(plain);
		}
		json_array_append_new(list, o);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	*out = list;
	return VG_OK;
fail:
	json_decref(list);
	return rc;
}

vg_rc
accounts_decide(int64_t id, bool approve, int64_t decider)
{
	static const char q[] =
	    "UPDATE users SET status = ?, decided_by = ?, decided_at = ?, "
	    "request_note = NULL WHERE id = ? AND status = 'pending'";
	static const char q_changed[] = "SELECT changes()";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	int64_t changed = 0;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, approve ? "active" : "rejected");
	vg_stmt_bind_int(st, 2, decider);
	vg_stmt_bind_int(st, 3, (int64_t)time(NULL));
	vg_stmt_bind_int(st, 4, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	if ((rc = vg_db_prepare(db, q_changed, &st)) != VG_OK)
		return rc;
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		changed = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	return changed == 1 ? VG_OK : VG_ENOTFOUND;
}

vg_rc
accounts_load_user(vg_arena *a, int64_t user_id, vg_user **out)
{
	static const char q[] = "SELECT email, name, role FROM users "
	    "WHERE id = ? AND status = 'active'";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_user *u;
	bool row;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((u = vg_arena_calloc(a, 1, sizeof(*u))) == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, user_id);
	rc = vg_stmt_step(st, &row);
	if (rc == VG_OK && row) {
		u->id = user_id;
		u->email = vg_arena_strdup(a, vg_stmt_text(st, 0));
		u->name = vg_arena_strdup(a, vg_stmt_text(st, 1));
		u->role = (vg_role)vg_role_parse(vg_stmt_text(st, 2));
		if (u->email == NULL || u->name == NULL)
			rc = VG_ENOMEM;
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	if (!row || (int)u->role < 0)
		return VG_ENOTFOUND;
	*out = u;
	return VG_OK;
}
