/*
 * test_session.c — server-side sessions and CSRF tokens, over a real
 * database, with requests built by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/accounts.h"
#include "core/log.h"
#include "db/db.h"
#include "http/session.h"

#define PW "correct horse battery staple"

static char tmpdir[256];
static vg_keys keys;
static vg_config config;
static vg_site site;
static int64_t uid, uid2;

static int
setup(void **state)
{
	char p[512];

	(void)state;
	vg_log_set_level(VG_LOG_ERROR);
	if (vg_crypto_init() != VG_OK)
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-test-session-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/vigie.key", tmpdir);
	if (vg_key_create(p) != VG_OK || vg_key_load(p, &keys) != VG_OK)
		return -1;
	snprintf(p, sizeof(p), "%s/vigie.db", tmpdir);
	vg_db_set_thread_path(p);
	if (vg_db_thread() == NULL ||
	    vg_db_migrate(vg_db_thread(), VIGIE_SRCDIR "/sql") != VG_OK)
		return -1;
	vg_config_defaults(&config);
	site.config = &config;
	site.keys = &keys;
	site.load_user = accounts_load_user;
	if (accounts_user_add("sophie@exemple.fr", PW, VG_ROLE_ANALYST,
	    "Sophie", &uid) != VG_OK)
		return -1;
	if (accounts_user_add("marc@exemple.fr", PW, VG_ROLE_PROFESSIONAL,
	    "Marc", &uid2) != VG_OK)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	vg_db_thread_close();
	vg_db_set_thread_path(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Each test starts with the default durations and no session. */
static int
reset_config(void **state)
{
	(void)state;
	vg_config_defaults(&config);
	return vg_db_exec_script(vg_db_thread(), "DELETE FROM sessions") ==
	    VG_OK ? 0 : -1;
}

/* A fresh anonymous GET request with its own arena. */
static void
req_init(vg_req *r)
{
	memset(r, 0, sizeof(*r));
	r->arena = vg_arena_new();
	assert_non_null(r->arena);
	r->site = &site;
	r->method = "GET";
	r->path = "/";
}

static void
req_free(vg_req *r)
{
	vg_arena_free(r->arena);
	r->arena = NULL;
}

/* The cookie value set in resp for name; "(absent)" when not set. */
static const char *
cookie_of(const vg_resp *resp, const char *name)
{
	int i;

	for (i = 0; i < resp->ncookies; i++)
		if (strcmp(resp->cookies[i].name, name) == 0)
			return resp->cookies[i].value;
	return "(absent)";
}

static int64_t
query_int(const char *sql, int64_t a)
{
	vg_stmt *st;
	bool row;
	int64_t v;

	assert_int_equal(vg_db_prepare(vg_db_thread(), sql, &st), VG_OK);
	vg_stmt_bind_int(st, 1, a);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_true(row);
	v = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return v;
}

/* Run sql with one integer parameter. */
static void
exec_int(const char *sql, int64_t a)
{
	vg_stmt *st;

	assert_int_equal(vg_db_prepare(vg_db_thread(), sql, &st), VG_OK);
	vg_stmt_bind_int(st, 1, a);
	assert_int_equal(vg_stmt_exec(st), VG_OK);
	vg_stmt_done(st);
}

/* Run sql with two integer parameters. */
static void
exec_int2(const char *sql, int64_t a, int64_t b)
{
	vg_stmt *st;

	assert_int_equal(vg_db_prepare(vg_db_thread(), sql, &st), VG_OK);
	vg_stmt_bind_int(st, 1, a);
	vg_stmt_bind_int(st, 2, b);
	assert_int_equal(vg_stmt_exec(st), VG_OK);
	vg_stmt_done(st);
}

/* Sign user in through a new request; the session cookie into cookie. */
static void
sign_in(int64_t user, char cookie[VG_TOKEN_CHARS + 1])
{
	vg_req r;
	vg_resp resp;
	const char *v;

	req_init(&r);
	memset(&resp, 0, sizeof(resp));
	assert_int_equal(vg_session_start(&r, &resp, user), VG_OK);
	v = cookie_of(&resp, VG_COOKIE_SESSION);
	assert_non_null(v);
	assert_int_equal(strlen(v), VG_TOKEN_CHARS);
	memcpy(cookie, v, VG_TOKEN_CHARS + 1);
	req_free(&r);
}

/* Resolve cookie in a new request: the user id (0 when anonymous). */
static int64_t
resolve(const char *cookie, bool *stale)
{
	vg_req r;
	int64_t id;

	req_init(&r);
	*stale = !*stale;
	assert_int_equal(vg_session_resolve(&r, cookie, stale), VG_OK);
	id = r.user != NULL ? r.user->id : 0;
	if (r.user == NULL)
		assert_null(r.session);
	else
		assert_string_equal(r.session, cookie);
	req_free(&r);
	return id;
}

static void
test_csrf_anonymous(void **state)
{
	vg_req r, r2, r3;
	const char *tok, *tok2;
	char cookie[VG_TOKEN_CHARS + 1];

	(void)state;
	req_init(&r);
	assert_null(r.anon_cookie);
	tok = vg_req_csrf(&r);
	assert_non_null(tok);
	assert_int_equal(strlen(tok), VG_TOKEN_CHARS);
	assert_true(r.new_anon_cookie);
	assert_non_null(r.anon_cookie);
	assert_int_equal(strlen(r.anon_cookie), VG_TOKEN_CHARS);
	/* The token is derived, not the cookie itself. */
	assert_string_not_equal(tok, r.anon_cookie);
	/* Made once per request. */
	assert_ptr_equal(vg_req_csrf(&r), tok);

	assert_true(vg_csrf_check(&r, tok));
	assert_false(vg_csrf_check(&r, NULL));
	assert_false(vg_csrf_check(&r, ""));
	assert_false(vg_csrf_check(&r, "not-the-token"));
	assert_false(vg_csrf_check(&r, r.anon_cookie));
	{
		char flipped[VG_TOKEN_CHARS + 1];

		memcpy(flipped, tok, sizeof(flipped));
		flipped[5] = flipped[5] == 'A' ? 'B' : 'A';
		assert_false(vg_csrf_check(&r, flipped));
	}

	/* Another visitor, another cookie: tokens do not cross. */
	req_init(&r2);
	tok2 = vg_req_csrf(&r2);
	assert_string_not_equal(tok, tok2);
	assert_false(vg_csrf_check(&r, tok2));
	assert_false(vg_csrf_check(&r2, tok));
	assert_true(vg_csrf_check(&r2, tok2));

	/* The next request brings the cookie back: same token, no new
	 * cookie. */
	memcpy(cookie, r.anon_cookie, sizeof(cookie));
	req_init(&r3);
	r3.anon_cookie = cookie;
	assert_true(vg_csrf_check(&r3, tok));
	assert_string_equal(vg_req_csrf(&r3), tok);
	assert_false(r3.new_anon_cookie);
	req_free(&r3);

	/* No cookie at all: nothing is accepted. */
	req_init(&r3);
	assert_false(vg_csrf_check(&r3, tok));
	/* A malformed cookie is replaced. */
	r3.anon_cookie = "too-short";
	assert_false(vg_csrf_check(&r3, tok));
	assert_non_null(vg_req_csrf(&r3));
	assert_true(r3.new_anon_cookie);
	assert_int_equal(strlen(r3.anon_cookie), VG_TOKEN_CHARS);
	req_free(&r3);

	req_free(&r2);
	req_free(&r);
}

static void
test_start_and_resolve(void **state)
{
	vg_req r, r2;
	vg_resp resp;
	const char *anon_tok, *sess_tok, *cookie;
	char saved[VG_TOKEN_CHARS + 1];
	bool stale = true;

	(void)state;
	req_init(&r);
	anon_tok = vg_req_csrf(&r);
	assert_non_null(anon_tok);
	memset(&resp, 0, sizeof(resp));
	assert_int_equal(vg_session_start(&r, &resp, uid), VG_OK);
	assert_int_equal(resp.ncookies, 1);
	assert_string_equal(resp.cookies[0].name, VG_COOKIE_SESSION);
	assert_string_equal(resp.cookies[0].name, "vigie_session");
	cookie = resp.cookies[0].value;
	assert_non_null(cookie);
	assert_int_equal(strlen(cookie), VG_TOKEN_CHARS);
	assert_non_null(r.session);
	assert_string_equal(r.session, cookie);
	memcpy(saved, cookie, sizeof(saved));

	/* Only a hash of the token is stored. */
	assert_int_equal(query_int("SELECT count(*) FROM sessions "
	    "WHERE user_id = ?", uid), 1);
	{
		vg_stmt *st;
		bool row;

		assert_int_equal(vg_db_prepare(vg_db_thread(), "SELECT count(*) "
		    "FROM sessions WHERE token_hash = ?", &st), VG_OK);
		vg_stmt_bind_text(st, 1, saved);
		assert_int_equal(vg_stmt_step(st, &row), VG_OK);
		assert_int_equal(vg_stmt_int(st, 0), 0);
		vg_stmt_done(st);
	}

	/* The signed-in visitor's CSRF token is another one. */
	sess_tok = vg_req_csrf(&r);
	assert_non_null(sess_tok);
	assert_string_not_equal(sess_tok, anon_tok);
	assert_true(vg_csrf_check(&r, sess_tok));
	assert_false(vg_csrf_check(&r, anon_tok));

	/* The next request resolves the cookie to the user. */
	req_init(&r2);
	r2.anon_cookie = r.anon_cookie;
	assert_int_equal(vg_session_resolve(&r2, saved, &stale), VG_OK);
	assert_false(stale);
	assert_non_null(r2.user);
	assert_int_equal(r2.user->id, uid);
	assert_int_equal(r2.user->role, VG_ROLE_ANALYST);
	assert_string_equal(r2.user->email, "sophie@exemple.fr");
	assert_string_equal(r2.session, saved);
	assert_string_equal(vg_req_csrf(&r2), sess_tok);
	assert_true(vg_csrf_check(&r2, sess_tok));
	assert_false(vg_csrf_check(&r2, anon_tok));
	assert_false(r2.new_anon_cookie);
	req_free(&r2);

	/* Another user's session gives another token. */
	{
		char other[VG_TOKEN_CHARS + 1];
		vg_req r3;

		sign_in(uid2, other);
		req_init(&r3);
		assert_int_equal(vg_session_resolve(&r3, other, &stale), VG_OK);
		assert_non_null(r3.user);
		assert_int_equal(r3.user->id, uid2);
		assert_false(vg_csrf_check(&r3, sess_tok));
		assert_string_not_equal(vg_req_csrf(&r3), sess_tok);
		req_free(&r3);
	}
	req_free(&r);
}

static void
test_renewal(void **state)
{
	vg_req r;
	vg_resp resp;
	char first[VG_TOKEN_CHARS + 1], second[VG_TOKEN_CHARS + 1];
	bool stale = false;

	(void)state;
	sign_in(uid, first);
	/* Signing in again from that session replaces it. */
	req_init(&r);
	assert_int_equal(vg_session_resolve(&r, first, &stale), VG_OK);
	assert_non_null(r.user);
	memset(&resp, 0, sizeof(resp));
	assert_int_equal(vg_session_start(&r, &resp, uid), VG_OK);
	assert_int_equal(resp.ncookies, 1);    /* one cookie, replaced */
	assert_non_null(resp.cookies[0].value);
	memcpy(second, resp.cookies[0].value, sizeof(second));
	assert_string_not_equal(first, second);
	req_free(&r);

	assert_int_equal(resolve(first, &stale), 0);
	assert_true(stale);
	assert_int_equal(resolve(second, &stale), uid);
	assert_false(stale);
}

static void
test_end(void **state)
{
	vg_req r;
	vg_resp resp;
	char cookie[VG_TOKEN_CHARS + 1];
	bool stale = false;

	(void)state;
	sign_in(uid, cookie);
	req_init(&r);
	assert_int_equal(vg_session_resolve(&r, cookie, &stale), VG_OK);
	assert_non_null(r.user);
	memset(&resp, 0, sizeof(resp));
	assert_int_equal(vg_session_end(&r, &resp), VG_OK);
	assert_null(r.session);
	assert_null(r.user);
	assert_int_equal(resp.ncookies, 1);
	assert_string_equal(resp.cookies[0].name, VG_COOKIE_SESSION);
	assert_null(resp.cookies[0].value);     /* delete the cookie */
	req_free(&r);

	assert_int_equal(resolve(cookie, &stale), 0);
	assert_true(stale);

	/* Ending without a session: nothing to do, no cookie. */
	req_init(&r);
	memset(&resp, 0, sizeof(resp));
	assert_int_equal(vg_session_end(&r, &resp), VG_OK);
	assert_int_equal(resp.ncookies, 0);
	req_free(&r);
}

static void
test_resolve_odd_cookies(void **state)
{
	char unknown[VG_TOKEN_CHARS + 1];
	bool stale;

	(void)state;
	stale = true;
	assert_int_equal(resolve(NULL, &stale), 0);
	assert_false(stale);                    /* nothing to delete */
	assert_int_equal(resolve("", &stale), 0);
	assert_true(stale);
	assert_int_equal(resolve("abc", &stale), 0);
	assert_true(stale);
	vg_token_new(unknown);
	assert_int_equal(resolve(unknown, &stale), 0);
	assert_true(stale);
}

static void
test_idle_expiry(void **state)
{
	char cookie[VG_TOKEN_CHARS + 1];
	bool stale;

	(void)state;
	config.session_idle = 1;
	sign_in(uid2, cookie);
	stale = true;
	assert_int_equal(resolve(cookie, &stale), uid2);
	assert_false(stale);
	/* Seen 100 s ago: expired, and removed. */
	exec_int("UPDATE sessions SET seen_at = seen_at - 100 "
	    "WHERE user_id = ?", uid2);
	assert_int_equal(resolve(cookie, &stale), 0);
	assert_true(stale);
	assert_int_equal(query_int("SELECT count(*) FROM sessions "
	    "WHERE user_id = ?", uid2), 0);
	/* Gone for good, even with a generous limit again. */
	config.session_idle = 3600;
	assert_int_equal(resolve(cookie, &stale), 0);
	assert_true(stale);
}

static void
test_max_expiry(void **state)
{
	char cookie[VG_TOKEN_CHARS + 1];
	bool stale = true;

	(void)state;
	config.session_max = 60;
	sign_in(uid2, cookie);
	assert_int_equal(resolve(cookie, &stale), uid2);
	assert_false(stale);
	/* Signed in two minutes ago, active just now: still expired. */
	exec_int("UPDATE sessions SET created_at = created_at - 120 "
	    "WHERE user_id = ?", uid2);
	assert_int_equal(resolve(cookie, &stale), 0);
	assert_true(stale);
	assert_int_equal(query_int("SELECT count(*) FROM sessions "
	    "WHERE user_id = ?", uid2), 0);
}

static void
test_seen_refresh(void **state)
{
	char cookie[VG_TOKEN_CHARS + 1];
	int64_t now;
	bool stale = true;

	(void)state;
	sign_in(uid2, cookie);
	now = (int64_t)time(NULL);
	/* Activity a minute ago is refreshed to now... */
	exec_int2("UPDATE sessions SET seen_at = ? WHERE user_id = ?", now - 60,
	    uid2);
	assert_int_equal(query_int("SELECT seen_at FROM sessions "
	    "WHERE user_id = ?", uid2), now - 60);
	assert_int_equal(resolve(cookie, &stale), uid2);
	assert_false(stale);
	assert_true(query_int("SELECT seen_at FROM sessions WHERE user_id = ?",
	    uid2) >= now);
	/* ...so the idle clock restarts. */
	config.session_idle = 30;
	assert_int_equal(resolve(cookie, &stale), uid2);
	assert_false(stale);
	vg_session_end_all(uid2);
}

static void
test_user_gone(void **state)
{
	char cookie[VG_TOKEN_CHARS + 1];
	bool stale = true;

	(void)state;
	sign_in(uid2, cookie);
	assert_int_equal(resolve(cookie, &stale), uid2);
	assert_false(stale);
	exec_int("UPDATE users SET status = 'disabled' WHERE id = ?", uid2);
	assert_int_equal(resolve(cookie, &stale), 0);
	assert_true(stale);
	assert_int_equal(query_int("SELECT count(*) FROM sessions "
	    "WHERE user_id = ?", uid2), 0);
	exec_int("UPDATE users SET status = 'active' WHERE id = ?", uid2);
	assert_int_equal(resolve(cookie, &stale), 0);
}

static void
test_end_all(void **state)
{
	char a[VG_TOKEN_CHARS + 1], b[VG_TOKEN_CHARS + 1];
	char other[VG_TOKEN_CHARS + 1];
	bool stale = true;

	(void)state;
	assert_int_equal(vg_session_end_all(uid), VG_OK);
	assert_int_equal(vg_session_end_all(uid2), VG_OK);
	sign_in(uid, a);
	sign_in(uid, b);
	sign_in(uid2, other);
	assert_string_not_equal(a, b);
	assert_int_equal(resolve(a, &stale), uid);
	assert_int_equal(resolve(b, &stale), uid);
	assert_int_equal(query_int("SELECT count(*) FROM sessions "
	    "WHERE user_id = ?", uid), 2);

	assert_int_equal(vg_session_end_all(uid), VG_OK);
	assert_int_equal(resolve(a, &stale), 0);
	assert_true(stale);
	assert_int_equal(resolve(b, &stale), 0);
	assert_true(stale);
	/* Someone else's session is untouched. */
	assert_int_equal(resolve(other, &stale), uid2);
	assert_false(stale);
	/* A user without sessions: fine. */
	assert_int_equal(vg_session_end_all(uid), VG_OK);
	assert_int_equal(vg_session_end_all(987654), VG_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_csrf_anonymous, reset_config),
		cmocka_unit_test_setup(test_start_and_resolve, reset_config),
		cmocka_unit_test_setup(test_renewal, reset_config),
		cmocka_unit_test_setup(test_end, reset_config),
		cmocka_unit_test_setup(test_resolve_odd_cookies, reset_config),
		cmocka_unit_test_setup(test_idle_expiry, reset_config),
		cmocka_unit_test_setup(test_max_expiry, reset_config),
		cmocka_unit_test_setup(test_seen_refresh, reset_config),
		cmocka_unit_test_setup(test_user_gone, reset_config),
		cmocka_unit_test_setup(test_end_all, reset_config),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
