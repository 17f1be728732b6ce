/*
 * test_accounts.c — checks, accounts, sign-in, lockout, requests and
 * decisions, over a real database in a temporary directory.
 *
 * argon2id is slow under the sanitizers: every accounts_user_add,
 * accounts_request and accounts_login hashes once, so the tests keep the
 * number of those calls small (about twenty in all).
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

#define PW "correct horse battery staple"
#define PW2 "un autre mot de passe assez long"

static char tmpdir[256];
static vg_keys keys, other_keys;

static int
setup(void **state)
{
	char p[512];

	(void)state;
	vg_log_set_level(VG_LOG_ERROR);
	if (vg_crypto_init() != VG_OK)
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-test-accounts-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/vigie.key", tmpdir);
	if (vg_key_create(p) != VG_OK || vg_key_load(p, &keys) != VG_OK)
		return -1;
	snprintf(p, sizeof(p), "%s/other.key", tmpdir);
	if (vg_key_create(p) != VG_OK || vg_key_load(p, &other_keys) != VG_OK)
		return -1;
	snprintf(p, sizeof(p), "%s/vigie.db", tmpdir);
	vg_db_set_thread_path(p);
	if (vg_db_thread() == NULL)
		return -1;
	return vg_db_migrate(vg_db_thread(), VIGIE_SRCDIR "/sql") == VG_OK ?
	    0 : -1;
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

/* Run one statement with an integer and an optional text parameter. */
static void
raw_exec(const char *sql, int64_t a, const char *b)
{
	vg_stmt *st;

	assert_int_equal(vg_db_prepare(vg_db_thread(), sql, &st), VG_OK);
	vg_stmt_bind_int(st, 1, a);
	if (b != NULL)
		vg_stmt_bind_text(st, 2, b);
	assert_int_equal(vg_stmt_exec(st), VG_OK);
	vg_stmt_done(st);
}

/* An integer column of a user's row. */
static int64_t
user_int(int64_t id, const char *sql)
{
	vg_stmt *st;
	bool row;
	int64_t v;

	assert_int_equal(vg_db_prepare(vg_db_thread(), sql, &st), VG_OK);
	vg_stmt_bind_int(st, 1, id);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_true(row);
	v = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return v;
}

/* failures or locked_until of an address's throttle row; 0 when none. */
static int64_t
throttle_int(const char *email, const char *col)
{
	static const char q_failures[] =
	    "SELECT failures FROM login_throttle WHERE address_hash = ?";
	static const char q_locked[] =
	    "SELECT locked_until FROM login_throttle WHERE address_hash = ?";
	char h[VG_TOKEN_CHARS + 1];
	vg_stmt *st;
	bool row;
	int64_t v = 0;

	vg_hash_text(keys.throttle, email, strlen(email), h);
	assert_int_equal(vg_db_prepare(vg_db_thread(), strcmp(col,
	    "failures") == 0 ? q_failures : q_locked, &st), VG_OK);
	vg_stmt_bind_text(st, 1, h);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	if (row)
		v = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return v;
}

static int
contains(const void *p, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;

	for (i = 0; i + m <= n; i++)
		if (memcmp((const char *)p + i, needle, m) == 0)
			return 1;
	return 0;
}

/* The pending request of id in the list, or NULL. */
static json_t *
find_id(json_t *list, int64_t id)
{
	size_t i;
	json_t *o;

	json_array_foreach(list, i, o)
		if (json_integer_value(json_object_get(o, "id")) == id)
			return o;
	return NULL;
}

static void
test_check_email(void **state)
{
	static const char *const good[] = {
		"a@b.fr", "prenom.nom@exemple.fr", "Prenom.Nom@Exemple.FR",
		"x+tag@sous.domaine.example.org", "élodie@exemple.fr",
	};
	static const char *const bad[] = {
		"", "ab", "a@b", "@b.fr", "a@@b.fr", "a@b@c.fr", "a@.fr",
		"a@b.", "a b@c.fr", " a@b.fr", "a@b.fr ", "a@b.fr\n",
		"a<b@c.fr", "a>b@c.fr", "a,b@c.fr", "a;b@c.fr", "a\"b@c.fr",
		"a\x01@b.fr", "a\xff@b.fr", "ab.fr",
	};
	char longest[300];
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		why = "unset";
		if (accounts_check_email(good[i], &why) != VG_OK)
			fail_msg("\"%s\" refused", good[i]);
		assert_null(why);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (accounts_check_email(bad[i], &why) != VG_EINVAL)
			fail_msg("\"%s\" accepted", bad[i]);
		assert_non_null(why);
		assert_true(strlen(why) > 0);
	}
	/* 254 characters at most. */
	memset(longest, 'a', sizeof(longest));
	memcpy(longest + 250 - 6, "@ex.fr", 7);         /* 250 chars */
	assert_int_equal(accounts_check_email(longest, &why), VG_OK);
	memset(longest, 'a', sizeof(longest));
	memcpy(longest + 255 - 6, "@ex.fr", 7);         /* 255 chars */
	assert_int_equal(accounts_check_email(longest, &why), VG_EINVAL);
}

static void
test_check_password(void **state)
{
	const char *why;
	char big[1100];

	(void)state;
	why = NULL;
	assert_int_equal(accounts_check_password("abcdefghijk", &why),
	    VG_EINVAL);                                 /* 11 */
	assert_non_null(why);
	why = "unset";
	assert_int_equal(accounts_check_password("abcdefghijkl", &why),
	    VG_OK);                                     /* 12 */
	assert_null(why);
	assert_int_equal(accounts_check_password("", &why), VG_EINVAL);
	/* Code points, not bytes: 11 accented letters (22 bytes) are too
	 * few, 12 (24 bytes) are enough. */
	assert_int_equal(accounts_check_password("ééééééééééé", &why),
	    VG_EINVAL);
	assert_int_equal(accounts_check_password("éééééééééééé", &why),
	    VG_OK);
	assert_int_equal(accounts_check_password("😀😀😀😀😀😀😀😀😀😀😀😀", &why),
	    VG_OK);
	assert_int_equal(accounts_check_password("phrase de passe", &why),
	    VG_OK);
	/* Malformed or control characters. */
	assert_int_equal(accounts_check_password("abcdefghijkl\x01", &why),
	    VG_EINVAL);
	assert_non_null(why);
	assert_int_equal(accounts_check_password("abcdefghijkl\xc3", &why),
	    VG_EINVAL);
	/* At most 1024 bytes. */
	memset(big, 'p', 1024);
	big[1024] = '\0';
	assert_int_equal(accounts_check_password(big, &why), VG_OK);
	big[1024] = 'p';
	big[1025] = '\0';
	assert_int_equal(accounts_check_password(big, &why), VG_EINVAL);
}

static void
test_have_admin(void **state)
{
	bool yes = true;
	int64_t id = 0;
	vg_arena *a;
	vg_user *u = NULL;

	(void)state;
	assert_int_equal(accounts_have_admin(&yes), VG_OK);
	assert_false(yes);
	assert_int_equal(accounts_user_add("admin@exemple.fr", PW,
	    VG_ROLE_ADMIN, "Admin", &id), VG_OK);
	assert_true(id > 0);
	assert_int_equal(accounts_have_admin(&yes), VG_OK);
	assert_true(yes);

	a = vg_arena_new();
	assert_int_equal(accounts_load_user(a, id, &u), VG_OK);
	assert_int_equal(u->role, VG_ROLE_ADMIN);

	/* A disabled administrator does not count, and is not loaded. */
	raw_exec("UPDATE users SET status = 'disabled' WHERE id = ?", id,
	    NULL);
	assert_int_equal(accounts_have_admin(&yes), VG_OK);
	assert_false(yes);
	u = NULL;
	assert_int_equal(accounts_load_user(a, id, &u), VG_ENOTFOUND);
	assert_null(u);
	raw_exec("UPDATE users SET status = 'active' WHERE id = ?", id, NULL);
	assert_int_equal(accounts_have_admin(&yes), VG_OK);
	assert_true(yes);
	vg_arena_free(a);
}

static void
test_add_invalid(void **state)
{
	int64_t id = -7;

	(void)state;
	/* Refused before any hashing or storage. */
	assert_int_equal(accounts_user_add("pas-une-adresse", PW,
	    VG_ROLE_ANALYST, "X", &id), VG_EINVAL);
	assert_int_equal(accounts_user_add("x@exemple.fr", "court",
	    VG_ROLE_ANALYST, "X", &id), VG_EINVAL);
	assert_int_equal(accounts_user_add("x@exemple.fr", PW,
	    VG_ROLE_PUBLIC, "X", &id), VG_EINVAL);
	assert_int_equal(accounts_user_add("x@exemple.fr", PW,
	    VG_ROLE_COUNT, "X", &id), VG_EINVAL);
	assert_int_equal(id, -7);
	assert_int_equal(user_int(0, "SELECT count(*) FROM users WHERE "
	    "email = 'x@exemple.fr' OR ? = 1"), 0);
}

static void
test_add_and_login(void **state)
{
	int64_t id = 0, uid = -1;
	vg_arena *a;
	vg_user *u = NULL;

	(void)state;
	assert_int_equal(accounts_user_add("Alice@Exemple.FR", PW,
	    VG_ROLE_EDITOR, "Alice Martin", &id), VG_OK);
	assert_true(id > 0);

	assert_int_equal(accounts_login(&keys, "alice@exemple.fr", PW, &uid), VG_OK);
	assert_int_equal(uid, id);
	/* The address is compared without case. */
	uid = -1;
	assert_int_equal(accounts_login(&keys, "ALICE@exemple.Fr", PW, &uid), VG_OK);
	assert_int_equal(uid, id);

	/* Wrong password: one failure, counted. */
	uid = -1;
	assert_int_equal(accounts_login(&keys, "alice@exemple.fr", PW2, &uid),
	    VG_EAUTH);
	assert_int_equal(uid, 0);
	assert_int_equal(throttle_int("alice@exemple.fr", "failures"), 1);

	/* Unknown address: the same answer. */
	uid = -1;
	assert_int_equal(accounts_login(&keys, "personne@exemple.fr", PW, &uid),
	    VG_EAUTH);
	assert_int_equal(uid, 0);

	/* The right password again resets the count. */
	assert_int_equal(accounts_login(&keys, "alice@exemple.fr", PW, &uid), VG_OK);
	assert_int_equal(throttle_int("alice@exemple.fr", "failures"), 0);

	/* Loaded for a session. */
	a = vg_arena_new();
	assert_int_equal(accounts_load_user(a, id, &u), VG_OK);
	assert_non_null(u);
	assert_int_equal(u->id, id);
	assert_int_equal(u->role, VG_ROLE_EDITOR);
	assert_string_equal(u->email, "alice@exemple.fr");
	assert_string_equal(u->name, "Alice Martin");
	u = NULL;
	assert_int_equal(accounts_load_user(a, id + 1000, &u), VG_ENOTFOUND);
	assert_null(u);
	vg_arena_free(a);
}

static void
test_duplicate(void **state)
{
	int64_t id = 0;

	(void)state;
	/* Alice exists (lower-cased); another case is the same address. */
	assert_int_equal(accounts_user_add("ALICE@exemple.fr", PW2,
	    VG_ROLE_ANALYST, "Autre", &id), VG_ECONFLICT);
	assert_int_equal(user_int(0, "SELECT count(*) FROM users WHERE "
	    "email = 'alice@exemple.fr' AND ? = 0"), 1);
}

static void
test_lockout(void **state)
{
	int64_t id = 0, uid = -1, now;
	int i;

	(void)state;
	assert_int_equal(accounts_user_add("bob@exemple.fr", PW,
	    VG_ROLE_PROFESSIONAL, "Bob", &id), VG_OK);
	for (i = 1; i < ACCOUNTS_LOCK_AFTER; i++)
		assert_int_equal(accounts_login(&keys, "bob@exemple.fr", PW2, &uid),
		    VG_EAUTH);
	/* The failure that reaches the limit locks the account. */
	now = (int64_t)time(NULL);
	assert_int_equal(accounts_login(&keys, "bob@exemple.fr", PW2, &uid),
	    VG_ETHROTTLE);
	assert_int_equal(throttle_int("bob@exemple.fr", "failures"),
	    ACCOUNTS_LOCK_AFTER);
	assert_true(throttle_int("bob@exemple.fr", "locked_until") > now);
	/* Locked: even the right password is refused. */
	uid = -1;
	assert_int_equal(accounts_login(&keys, "bob@exemple.fr", PW, &uid),
	    VG_ETHROTTLE);
	assert_int_equal(uid, 0);
	assert_int_equal(accounts_login(&keys, "BOB@exemple.fr", PW, &uid),
	    VG_ETHROTTLE);

	/* Once the lock has expired, the right password works and clears
	 * the count. */
	{
		char h[VG_TOKEN_CHARS + 1];

		vg_hash_text(keys.throttle, "bob@exemple.fr", 14, h);
		raw_exec("UPDATE login_throttle SET locked_until = ? "
		    "WHERE address_hash = ?", now - 1, h);
	}
	assert_int_equal(accounts_login(&keys, "bob@exemple.fr", PW, &uid), VG_OK);
	assert_int_equal(uid, id);
	assert_int_equal(throttle_int("bob@exemple.fr", "failures"), 0);
	assert_int_equal(throttle_int("bob@exemple.fr", "locked_until"), 0);

	/* An address with no account locks the same way: the lock does not
	 * tell which addresses have accounts. */
	for (i = 1; i < ACCOUNTS_LOCK_AFTER; i++)
		assert_int_equal(accounts_login(&keys, "nobody@exemple.fr", PW,
		    &uid), VG_EAUTH);
	assert_int_equal(accounts_login(&keys, "nobody@exemple.fr", PW, &uid),
	    VG_ETHROTTLE);
}

static void
test_request_approve(void **state)
{
	static const char note[] = "Assistante sociale au CCAS de Lyon, "
	    "je suis des familles en difficulté.";
	int64_t id = 0, uid = -1, admin;
	json_t *list, *o;
	vg_stmt *st;
	bool row;
	const void *blob;
	size_t n;
	vg_arena *a;
	vg_user *u = NULL;

	(void)state;
	admin = user_int(0, "SELECT id FROM users WHERE "
	    "email = 'admin@exemple.fr' AND ? = 0");
	assert_int_equal(accounts_request(&keys, "Carole@Exemple.fr", PW,
	    "Carole Dupont", "CCAS de Lyon", "assistante sociale", note, &id),
	    VG_OK);
	assert_true(id > 0);

	/* Pending: the right password does not let her in. */
	assert_int_equal(accounts_login(&keys, "carole@exemple.fr", PW, &uid),
	    VG_EDENIED);
	assert_int_equal(uid, 0);
	a = vg_arena_new();
	assert_int_equal(accounts_load_user(a, id, &u), VG_ENOTFOUND);

	/* The note is sealed at rest. */
	assert_int_equal(vg_db_prepare(vg_db_thread(), "SELECT request_note, "
	    "status, role FROM users WHERE id = ?", &st), VG_OK);
	vg_stmt_bind_int(st, 1, id);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_true(row);
	blob = vg_stmt_blob(st, 0, &n);
	assert_non_null(blob);
	assert_int_equal(n, strlen(note) + VG_SEAL_OVERHEAD);
	assert_false(contains(blob, n, note));
	assert_false(contains(blob, n, "CCAS"));
	assert_false(contains(blob, n, "familles"));
	assert_string_equal(vg_stmt_text(st, 1), "pending");
	assert_string_equal(vg_stmt_text(st, 2), "professional");
	vg_stmt_done(st);

	/* Listed, with the note decrypted. */
	assert_int_equal(accounts_pending(&keys, &list), VG_OK);
	assert_true(json_is_array(list));
	o = find_id(list, id);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "email")),
	    "carole@exemple.fr");
	assert_string_equal(json_string_value(json_object_get(o, "name")),
	    "Carole Dupont");
	assert_string_equal(json_string_value(json_object_get(o,
	    "organisation")), "CCAS de Lyon");
	assert_string_equal(json_string_value(json_object_get(o,
	    "profession")), "assistante sociale");
	assert_string_equal(json_string_value(json_object_get(o, "note")),
	    note);
	assert_true(json_integer_value(json_object_get(o, "created_at")) > 0);
	/* Active accounts are not requests. */
	assert_null(find_id(list, admin));
	json_decref(list);

	/* With another key the note cannot be read, and is left out. */
	assert_int_equal(accounts_pending(&other_keys, &list), VG_OK);
	o = find_id(list, id);
	assert_non_null(o);
	assert_null(json_object_get(o, "note"));
	json_decref(list);

	/* Approved: she signs in; the note is dropped; a second decision
	 * finds nothing. */
	assert_int_equal(accounts_decide(id, true, admin), VG_OK);
	assert_int_equal(accounts_login(&keys, "carole@exemple.fr", PW, &uid), VG_OK);
	assert_int_equal(uid, id);
	assert_int_equal(user_int(id, "SELECT request_note IS NULL FROM users "
	    "WHERE id = ?"), 1);
	assert_int_equal(user_int(id, "SELECT decided_by FROM users "
	    "WHERE id = ?"), admin);
	assert_true(user_int(id, "SELECT decided_at FROM users "
	    "WHERE id = ?") > 0);
	assert_int_equal(accounts_decide(id, true, admin), VG_ENOTFOUND);
	assert_int_equal(accounts_decide(id, false, admin), VG_ENOTFOUND);
	assert_int_equal(user_int(id, "SELECT status = 'active' FROM users "
	    "WHERE id = ?"), 1);
	u = NULL;
	assert_int_equal(accounts_load_user(a, id, &u), VG_OK);
	assert_int_equal(u->role, VG_ROLE_PROFESSIONAL);
	assert_string_equal(u->name, "Carole Dupont");

	assert_int_equal(accounts_pending(&keys, &list), VG_OK);
	assert_null(find_id(list, id));
	json_decref(list);

	/* No such request at all. */
	assert_int_equal(accounts_decide(999999, true, admin), VG_ENOTFOUND);
	vg_arena_free(a);
}

static void
test_request_reject(void **state)
{
	int64_t id = 0, uid = -1, admin;
	json_t *list, *o;

	(void)state;
	admin = user_int(0, "SELECT id FROM users WHERE "
	    "email = 'admin@exemple.fr' AND ? = 0");
	/* Without a note, organisation or profession. */
	assert_int_equal(accounts_request(&keys, "david@exemple.fr", PW,
	    "David", NULL, NULL, NULL, &id), VG_OK);
	assert_int_equal(user_int(id, "SELECT request_note IS NULL FROM users "
	    "WHERE id = ?"), 1);
	assert_int_equal(accounts_pending(&keys, &list), VG_OK);
	o = find_id(list, id);
	assert_non_null(o);
	assert_null(json_object_get(o, "note"));
	assert_true(json_object_get(o, "organisation") == NULL ||
	    json_is_null(json_object_get(o, "organisation")));
	json_decref(list);

	/* A request for a taken address. */
	assert_int_equal(accounts_request(&keys, "DAVID@exemple.fr", PW2,
	    "Autre David", NULL, NULL, "x", NULL), VG_ECONFLICT);

	assert_int_equal(accounts_decide(id, false, admin), VG_OK);
	assert_int_equal(user_int(id, "SELECT status = 'rejected' FROM users "
	    "WHERE id = ?"), 1);
	/* Rejected: the right password is an ordinary failure. */
	assert_int_equal(accounts_login(&keys, "david@exemple.fr", PW, &uid),
	    VG_EAUTH);
	assert_int_equal(uid, 0);
	assert_int_equal(accounts_decide(id, true, admin), VG_ENOTFOUND);
	assert_int_equal(accounts_pending(&keys, &list), VG_OK);
	assert_null(find_id(list, id));
	json_decref(list);
}

static void
test_user_list(void **state)
{
	json_t *list, *o;
	size_t i;
	int64_t prev = 0;
	bool seen_alice = false, seen_david = false;

	(void)state;
	assert_int_equal(accounts_user_list(&list), VG_OK);
	assert_true(json_is_array(list));
	assert_int_equal(json_array_size(list), user_int(0,
	    "SELECT count(*) FROM users WHERE ? = 0"));
	json_array_foreach(list, i, o) {
		const char *email = json_string_value(json_object_get(o,
		    "email"));
		int64_t id = json_integer_value(json_object_get(o, "id"));

		assert_true(id > prev);         /* oldest first */
		prev = id;
		assert_non_null(email);
		assert_non_null(json_string_value(json_object_get(o, "name")));
		assert_non_null(json_string_value(json_object_get(o, "role")));
		assert_non_null(json_string_value(json_object_get(o,
		    "status")));
		assert_true(json_integer_value(json_object_get(o,
		    "created_at")) > 0);
		/* Nothing secret. */
		assert_null(json_object_get(o, "password_hash"));
		assert_null(json_object_get(o, "request_note"));
		if (!strcmp(email, "alice@exemple.fr")) {
			seen_alice = true;
			assert_string_equal(json_string_value(json_object_get(o,
			    "role")), "editor");
			assert_string_equal(json_string_value(json_object_get(o,
			    "status")), "active");
		}
		if (!strcmp(email, "david@exemple.fr")) {
			seen_david = true;
			assert_string_equal(json_string_value(json_object_get(o,
			    "status")), "rejected");
		}
	}
	assert_true(seen_alice);
	assert_true(seen_david);
	json_decref(list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_email),
		cmocka_unit_test(test_check_password),
		cmocka_unit_test(test_have_admin),
		cmocka_unit_test(test_add_invalid),
		cmocka_unit_test(test_add_and_login),
		cmocka_unit_test(test_duplicate),
		cmocka_unit_test(test_lockout),
		cmocka_unit_test(test_request_approve),
		cmocka_unit_test(test_request_reject),
		cmocka_unit_test(test_user_list),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
