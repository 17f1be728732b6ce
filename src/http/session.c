/*
 * session.c — server-side sessions and CSRF tokens.
 *
 * The cookie holds 256 random bits; the database holds only their hash, so
 * a leaked database does not give away live sessions.  A session dies after
 * config->session_idle seconds without a request, and config->session_max
 * seconds after sign-in, whatever happens.
 *
 * CSRF tokens are derived, not stored: a keyed hash of the session token
 * for a signed-in visitor, or of a random anonymous cookie otherwise (the
 * double-submit pattern, bound to the server's key).
 */
#include "http/session.h"

#include <string.h>
#include <time.h>

#include "core/log.h"
#include "db/db.h"

/* last-seen is written at most this often, to spare a write per request;
 * less when sessions are short, so activity always keeps them open */
#define SEEN_GRANULARITY 30

static vg_rc
token_hash(const char *token, char out[VG_TOKEN_CHARS + 1])
{
	if (strlen(token) != VG_TOKEN_CHARS)
		return VG_EINVAL;
	vg_hash_text(NULL, token, VG_TOKEN_CHARS, out);
	return VG_OK;
}

vg_rc
vg_session_resolve(vg_req *r, const char *cookie, bool *stale)
{
	static const char q_get[] =
	    "SELECT user_id, created_at, seen_at FROM sessions "
	    "WHERE token_hash = ?";
	static const char q_seen[] =
	    "UPDATE sessions SET seen_at = ? WHERE token_hash = ?";
	static const char q_del[] = "DELETE FROM sessions WHERE token_hash = ?";
	const vg_config *c = r->site->config;
	char h[VG_TOKEN_CHARS + 1];
	vg_db *db;
	vg_stmt *st;
	bool row;
	int64_t uid = 0, created = 0, seen = 0, now = (int64_t)time(NULL);
	int64_t granularity;
	vg_user *user;
	vg_rc rc;

	*stale = false;
	if (cookie == NULL)
		return VG_OK;
	if (token_hash(cookie, h) != VG_OK) {
		*stale = true;
		return VG_OK;
	}
	if ((db = vg_db_thread()) == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q_get, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, h);
	rc = vg_stmt_step(st, &row);
	if (row) {
		uid = vg_stmt_int(st, 0);
		created = vg_stmt_int(st, 1);
		seen = vg_stmt_int(st, 2);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	if (!row) {
		*stale = true;
		return VG_OK;
	}
	if (now - seen > c->session_idle || now - created > c->session_max) {
		*stale = true;
		goto drop;
	}
	rc = r->site->load_user(r->arena, uid, &user);
	if (rc == VG_ENOTFOUND) {
		*stale = true;
		goto drop;
	}
	if (rc != VG_OK)
		return rc;
	granularity = c->session_idle / 4;
	if (granularity > SEEN_GRANULARITY)
		granularity = SEEN_GRANULARITY;
	if (now - seen >= granularity &&
	    vg_db_prepare(db, q_seen, &st) == VG_OK) {
		vg_stmt_bind_int(st, 1, now);
		vg_stmt_bind_text(st, 2, h);
		if (vg_stmt_exec(st) != VG_OK)
			vg_warn("session: cannot record activity");
		vg_stmt_done(st);
	}
	r->user = user;
	r->session = vg_arena_strdup(r->arena, cookie);
	return r->session ? VG_OK : VG_ENOMEM;
drop:
	if ((rc = vg_db_prepare(db, q_del, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, h);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

static vg_rc
add_cookie(vg_resp *resp, const char *name, const char *value)
{
	int i;

	for (i = 0; i < resp->ncookies; i++)
		if (strcmp(resp->cookies[i].name, name) == 0) {
			resp->cookies[i].value = value;
			return VG_OK;
		}
	if (resp->ncookies == VG_MAX_COOKIES)
		return VG_EINTERNAL;
	resp->cookies[resp->ncookies].name = name;
	resp->cookies[resp->ncookies].value = value;
	resp->ncookies++;
	return VG_OK;
}

vg_rc
vg_session_start(vg_req *r, vg_resp *resp, int64_t user_id)
{
	static const char q_add[] =
	    "INSERT INTO sessions (token_hash, user_id, created_at, seen_at) "
	    "VALUES (?, ?, ?, ?)";
	char token[VG_TOKEN_CHARS + 1], h[VG_TOKEN_CHARS + 1];
	int64_t now = (int64_t)time(NULL);
	vg_db *db;
	vg_stmt *st;
	vg_rc rc;

	/* Renewal: whatever session the visitor had is gone. */
	if ((rc = vg_session_end(r, resp)) != VG_OK)
		return rc;
	if ((db = vg_db_thread()) == NULL)
		return VG_EDB;
	vg_token_new(token);
	token_hash(token, h);
	if ((rc = vg_db_prepare(db, q_add, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, h);
	vg_stmt_bind_int(st, 2, user_id);
	vg_stmt_bind_int(st, 3, now);
	vg_stmt_bind_int(st, 4, now);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	r->session = vg_arena_strdup(r->arena, token);
	if (r->session == NULL)
		return VG_ENOMEM;
	r->csrf = NULL;         /* the token now derives from the session */
	return add_cookie(resp, VG_COOKIE_SESSION, r->session);
}

vg_rc
vg_session_end(vg_req *r, vg_resp *resp)
{
	static const char q_del[] = "DELETE FROM sessions WHERE token_hash = ?";
	char h[VG_TOKEN_CHARS + 1];
	vg_db *db;
	vg_stmt *st;
	vg_rc rc;

	if (r->session == NULL)
		return VG_OK;
	if ((db = vg_db_thread()) == NULL)
		return VG_EDB;
	if (token_hash(r->session, h) == VG_OK) {
		if ((rc = vg_db_prepare(db, q_del, &st)) != VG_OK)
			return rc;
		vg_stmt_bind_text(st, 1, h);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
		if (rc != VG_OK)
			return rc;
	}
	r->session = NULL;
	r->user = NULL;
	r->csrf = NULL;
	return add_cookie(resp, VG_COOKIE_SESSION, NULL);
}

vg_rc
vg_session_end_all(int64_t user_id)
{
	static const char q_del[] = "DELETE FROM sessions WHERE user_id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q_del, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, user_id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

/* The token expected from this visitor, or NULL when it has no session and
 * no anonymous cookie. */
static const char *
expected(vg_req *r)
{
	char buf[VG_TOKEN_CHARS + 3], out[VG_TOKEN_CHARS + 1];
	const char *base;

	if (r->session != NULL)
		base = r->session;
	else if (r->anon_cookie != NULL &&
	    strlen(r->anon_cookie) == VG_TOKEN_CHARS)
		base = r->anon_cookie;
	else
		return NULL;
	/* Domain separation: a session token and an anonymous cookie never
	 * give the same CSRF token. */
	snprintf(buf, sizeof(buf), "%c:%s", r->session ? 's' : 'a', base);
	vg_hash_text(r->site->keys->csrf, buf, strlen(buf), out);
	return vg_arena_strdup(r->arena, out);
}

const char *
vg_req_csrf(vg_req *r)
{
	char token[VG_TOKEN_CHARS + 1];

	if (r->csrf != NULL)
		return r->csrf;
	if (r->session == NULL && (r->anon_cookie == NULL ||
	    strlen(r->anon_cookie) != VG_TOKEN_CHARS)) {
		vg_token_new(token);
		r->anon_cookie = vg_arena_strdup(r->arena, token);
		r->new_anon_cookie = true;
	}
	r->csrf = expected(r);
	return r->csrf;
}

bool
vg_csrf_check(vg_req *r, const char *sent)
{
	const char *want;

	if (sent == NULL)
		return false;
	want = expected(r);
	return want != NULL && vg_str_equal_ct(want, sent);
}
