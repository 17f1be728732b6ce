/*
 * test_db.c — the SQLite backend: migrations, statements, transactions,
 * pragmas and per-thread connections.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "db/db.h"

static char tmpdir[256];
static char db_path[512];
static vg_db *db;

static int
setup(void **state)
{
	(void)state;
	vg_log_set_level(VG_LOG_WARN);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-test-db-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(db_path, sizeof(db_path), "%s/test.db", tmpdir);
	return vg_db_open(db_path, &db) == VG_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	vg_db_close(db);
	vg_db_thread_close();
	vg_db_set_thread_path(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The single integer the query returns. */
static int64_t
query_int(vg_db *d, const char *sql)
{
	vg_stmt *st;
	bool row;
	int64_t v;

	assert_int_equal(vg_db_prepare(d, sql, &st), VG_OK);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_true(row);
	v = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return v;
}

static bool
table_exists(vg_db *d, const char *name)
{
	vg_stmt *st;
	bool row;

	assert_int_equal(vg_db_prepare(d, "SELECT 1 FROM sqlite_master "
	    "WHERE type = 'table' AND name = ?", &st), VG_OK);
	assert_int_equal(vg_stmt_bind_text(st, 1, name), VG_OK);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	vg_stmt_done(st);
	return row;
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char p[1024];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void
test_open_bad_path(void **state)
{
	char p[600];
	vg_db *d = (vg_db *)1;

	(void)state;
	snprintf(p, sizeof(p), "%s/no/such/dir/x.db", tmpdir);
	assert_int_equal(vg_db_open(p, &d), VG_EDB);
	assert_null(d);
}

static void
test_migrate(void **state)
{
	vg_stmt *st;
	bool row;
	char applied[64];

	(void)state;
	assert_int_equal(vg_db_migrate(db, VIGIE_SRCDIR "/sql"), VG_OK);
	assert_true(table_exists(db, "schema_migrations"));
	assert_true(table_exists(db, "users"));
	assert_true(table_exists(db, "sessions"));

	assert_int_equal(vg_db_prepare(db, "SELECT version, name, applied_at "
	    "FROM schema_migrations ORDER BY version", &st), VG_OK);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_true(row);
	assert_int_equal(vg_stmt_int(st, 0), 1);
	assert_string_equal(vg_stmt_text(st, 1), "001_accounts.sql");
	snprintf(applied, sizeof(applied), "%s", vg_stmt_text(st, 2));
	assert_int_equal(strlen(applied), 20);  /* 2024-01-01T00:00:00Z */
	vg_stmt_done(st);
	{
		int64_t count = query_int(db,
		    "SELECT count(*) FROM schema_migrations");

		assert_true(count >= 1);

		/* A second run applies nothing new. */
		assert_int_equal(vg_db_migrate(db, VIGIE_SRCDIR "/sql"), VG_OK);
		assert_int_equal(query_int(db,
		    "SELECT count(*) FROM schema_migrations"), count);
	}
	assert_int_equal(vg_db_prepare(db, "SELECT applied_at FROM "
	    "schema_migrations WHERE version = 1", &st), VG_OK);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_true(row);
	assert_string_equal(vg_stmt_text(st, 0), applied);
	vg_stmt_done(st);
}

static void
test_migrate_broken(void **state)
{
	char dir[600], p[700];
	vg_db *d;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/migrations", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	write_file(dir, "001_first.sql", "CREATE TABLE first (x INTEGER);\n"
	    "INSERT INTO first VALUES (1);\n");
	write_file(dir, "002_broken.sql", "CREATE TABLE half (x INTEGER);\n"
	    "INSERT INTO half VALUES (1);\n"
	    "CREATE TABLEE oops (;\n");
	write_file(dir, "003_later.sql", "CREATE TABLE later (x INTEGER);\n");
	write_file(dir, "README.md", "not a migration");
	write_file(dir, "notes.sql", "this is not SQL and is ignored");

	snprintf(p, sizeof(p), "%s/migrate.db", tmpdir);
	assert_int_equal(vg_db_open(p, &d), VG_OK);
	assert_int_not_equal(vg_db_migrate(d, dir), VG_OK);
	/* 001 applied and recorded. */
	assert_true(table_exists(d, "first"));
	assert_int_equal(query_int(d, "SELECT count(*) FROM first"), 1);
	assert_int_equal(query_int(d, "SELECT count(*) FROM schema_migrations "
	    "WHERE version = 1"), 1);
	/* 002 not half-applied, not recorded; 003 not attempted. */
	assert_false(table_exists(d, "half"));
	assert_int_equal(query_int(d, "SELECT count(*) FROM schema_migrations "
	    "WHERE version = 2"), 0);
	assert_false(table_exists(d, "later"));
	assert_int_equal(query_int(d, "SELECT count(*) FROM schema_migrations"),
	    1);
	/* The connection is usable, outside any transaction. */
	assert_int_equal(vg_db_begin(d), VG_OK);
	vg_db_rollback(d);

	/* Once fixed, the rest is applied, 001 is not run again. */
	write_file(dir, "002_broken.sql", "CREATE TABLE half (x INTEGER);\n");
	assert_int_equal(vg_db_migrate(d, dir), VG_OK);
	assert_true(table_exists(d, "half"));
	assert_true(table_exists(d, "later"));
	assert_int_equal(query_int(d, "SELECT count(*) FROM first"), 1);
	assert_int_equal(query_int(d, "SELECT count(*) FROM schema_migrations"),
	    3);
	assert_int_equal(query_int(d, "SELECT max(version) FROM "
	    "schema_migrations"), 3);
	vg_db_close(d);

	/* A directory that does not exist. */
	assert_int_equal(vg_db_open(p, &d), VG_OK);
	snprintf(dir, sizeof(dir), "%s/nowhere", tmpdir);
	assert_int_equal(vg_db_migrate(d, dir), VG_EIO);
	vg_db_close(d);
}

static void
test_bind_and_columns(void **state)
{
	static const unsigned char blob[] = {0, 1, 2, 0xff, 0, 'x'};
	vg_stmt *st;
	bool row;
	const void *b;
	size_t n;
	int64_t id;

	(void)state;
	assert_int_equal(vg_db_exec_script(db, "CREATE TABLE t (id INTEGER "
	    "PRIMARY KEY, s TEXT, sn TEXT, i INTEGER, b BLOB, z TEXT, "
	    "nn TEXT)"), VG_OK);
	assert_int_equal(vg_db_prepare(db, "INSERT INTO t (s, sn, i, b, z, nn) "
	    "VALUES (?, ?, ?, ?, ?, ?)", &st), VG_OK);
	assert_int_equal(vg_stmt_bind_text(st, 1, "Élodie « ☕ »"), VG_OK);
	assert_int_equal(vg_stmt_bind_textn(st, 2, "abcdef", 3), VG_OK);
	assert_int_equal(vg_stmt_bind_int(st, 3, INT64_MIN + 1), VG_OK);
	assert_int_equal(vg_stmt_bind_blob(st, 4, blob, sizeof(blob)), VG_OK);
	assert_int_equal(vg_stmt_bind_null(st, 5), VG_OK);
	assert_int_equal(vg_stmt_bind_text(st, 6, NULL), VG_OK);
	/* Out of range parameter. */
	assert_int_equal(vg_stmt_bind_int(st, 7, 1), VG_EDB);
	assert_int_equal(vg_stmt_exec(st), VG_OK);
	vg_stmt_done(st);
	id = vg_db_last_id(db);
	assert_true(id > 0);

	assert_int_equal(vg_db_prepare(db, "INSERT INTO t (i) VALUES (?)", &st),
	    VG_OK);
	assert_int_equal(vg_stmt_bind_int(st, 1, INT64_MAX), VG_OK);
	assert_int_equal(vg_stmt_exec(st), VG_OK);
	vg_stmt_done(st);
	assert_int_equal(vg_db_last_id(db), id + 1);

	assert_int_equal(vg_db_prepare(db, "SELECT s, sn, i, b, z, nn, "
	    "typeof(sn), length(b) FROM t WHERE id = ?", &st), VG_OK);
	assert_int_equal(vg_stmt_bind_int(st, 1, id), VG_OK);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_true(row);
	assert_string_equal(vg_stmt_text(st, 0), "Élodie « ☕ »");
	assert_string_equal(vg_stmt_text(st, 1), "abc");
	assert_string_equal(vg_stmt_text(st, 6), "text");
	assert_true(vg_stmt_int(st, 2) == INT64_MIN + 1);
	b = vg_stmt_blob(st, 3, &n);
	assert_int_equal(n, sizeof(blob));
	assert_memory_equal(b, blob, sizeof(blob));
	assert_int_equal(vg_stmt_int(st, 7), sizeof(blob));
	assert_true(vg_stmt_is_null(st, 4));
	assert_null(vg_stmt_text(st, 4));
	assert_true(vg_stmt_is_null(st, 5));
	assert_false(vg_stmt_is_null(st, 0));
	assert_false(vg_stmt_is_null(st, 3));
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_false(row);
	vg_stmt_done(st);

	assert_int_equal(vg_db_prepare(db, "SELECT i FROM t WHERE id = ?", &st),
	    VG_OK);
	assert_int_equal(vg_stmt_bind_int(st, 1, id + 1), VG_OK);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_true(row);
	assert_true(vg_stmt_int(st, 0) == INT64_MAX);
	vg_stmt_done(st);

	/* Bad SQL. */
	assert_int_equal(vg_db_prepare(db, "SELEC nothing", &st), VG_EDB);
	assert_int_equal(vg_db_prepare(db, "SELECT * FROM no_such_table", &st),
	    VG_EDB);
	assert_int_equal(vg_db_exec_script(db, "DROP TABLE no_such_table"),
	    VG_EDB);
}

static void
test_stmt_cache(void **state)
{
	static const char sql[] = "SELECT value FROM json_each('[1,2,3]') "
	    "WHERE ? IS NULL OR value = ? ORDER BY value";
	static char same_text[sizeof(sql)];
	vg_stmt *a, *b, *c;
	bool row;

	(void)state;
	memcpy(same_text, sql, sizeof(sql));
	assert_int_equal(vg_db_prepare(db, sql, &a), VG_OK);
	assert_int_equal(vg_stmt_step(a, &row), VG_OK);
	assert_true(row);
	assert_int_equal(vg_stmt_int(a, 0), 1);
	vg_stmt_done(a);

	/* The same literal, then the same text at another address. */
	assert_int_equal(vg_db_prepare(db, sql, &b), VG_OK);
	assert_ptr_equal(a, b);
	/* Handed out and not done: a second user would share it. */
	assert_int_equal(vg_db_prepare(db, same_text, &c), VG_EINTERNAL);
	vg_stmt_done(b);
	assert_int_equal(vg_db_prepare(db, same_text, &c), VG_OK);
	assert_ptr_equal(a, c);
	vg_stmt_done(c);
	assert_int_equal(vg_db_prepare(db, "SELECT 2", &c), VG_OK);
	assert_ptr_not_equal(a, c);
	vg_stmt_done(c);

	/* Prepare returns a reset statement with bindings cleared, even
	 * when the previous user stopped half-way through its rows. */
	assert_int_equal(vg_db_prepare(db, sql, &a), VG_OK);
	assert_int_equal(vg_stmt_bind_int(a, 1, 2), VG_OK);
	assert_int_equal(vg_stmt_bind_int(a, 2, 2), VG_OK);
	assert_int_equal(vg_stmt_step(a, &row), VG_OK);
	assert_true(row);
	assert_int_equal(vg_stmt_int(a, 0), 2);
	vg_stmt_done(a);
	assert_int_equal(vg_db_prepare(db, sql, &b), VG_OK);
	assert_ptr_equal(a, b);
	assert_int_equal(vg_stmt_step(b, &row), VG_OK);     /* ? IS NULL */
	assert_true(row);
	assert_int_equal(vg_stmt_int(b, 0), 1);
	assert_int_equal(vg_stmt_step(b, &row), VG_OK);
	assert_true(row);
	assert_int_equal(vg_stmt_int(b, 0), 2);
	vg_stmt_done(b);
}

/* A statement held by a caller must stay the same statement while other
 * statements are prepared, even when the cache is full and a slot is
 * recycled. */
static void
test_stmt_cache_full(void **state)
{
	static char sqls[100][40];
	vg_db *d;
	vg_stmt *held, *st;
	bool row;
	char p[600], got[32] = "(no row)";
	int i, handed_out = 0, others_ok = 0;

	(void)state;
	snprintf(p, sizeof(p), "%s/cache.db", tmpdir);
	assert_int_equal(vg_db_open(p, &d), VG_OK);
	for (i = 0; i < 100; i++)
		snprintf(sqls[i], sizeof(sqls[i]), "SELECT %d", i);

	/* Far more distinct statements than the cache holds: each works. */
	for (i = 0; i < 100; i++) {
		assert_int_equal(vg_db_prepare(d, sqls[i], &st), VG_OK);
		assert_int_equal(vg_stmt_step(st, &row), VG_OK);
		assert_true(row);
		assert_int_equal(vg_stmt_int(st, 0), i);
		vg_stmt_done(st);
	}
	/* An evicted one comes back. */
	assert_int_equal(vg_db_prepare(d, sqls[0], &st), VG_OK);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_int_equal(vg_stmt_int(st, 0), 0);
	vg_stmt_done(st);

	/* Hold the most recent statement, then prepare new ones so that
	 * the cache recycles slots: the held one must still run its own
	 * SQL, and no other prepare may hand it out.  (Results are noted
	 * and checked after closing, so a failure does not leak d.) */
	assert_int_equal(vg_db_prepare(d, "SELECT 'held'", &held), VG_OK);
	for (i = 1; i < 4; i++) {       /* evicted above: not cached */
		assert_int_equal(vg_db_prepare(d, sqls[i], &st), VG_OK);
		if (st == held)
			handed_out++;
		if (vg_stmt_step(st, &row) == VG_OK && row &&
		    vg_stmt_int(st, 0) == i)
			others_ok++;
		vg_stmt_done(st);
	}
	if (vg_stmt_step(held, &row) == VG_OK && row)
		snprintf(got, sizeof(got), "%s", vg_stmt_text(held, 0) ?
		    (const char *)vg_stmt_text(held, 0) : "(null)");
	vg_stmt_done(held);
	vg_db_close(d);
	assert_int_equal(others_ok, 3);
	assert_int_equal(handed_out, 0);
	assert_string_equal(got, "held");
}

static void
test_conflict(void **state)
{
	vg_stmt *st;

	(void)state;
	assert_int_equal(vg_db_exec_script(db, "CREATE TABLE u (k TEXT UNIQUE, "
	    "v TEXT NOT NULL, id INTEGER PRIMARY KEY)"), VG_OK);
	assert_int_equal(vg_db_prepare(db, "INSERT INTO u (k, v, id) "
	    "VALUES (?, ?, ?)", &st), VG_OK);
	vg_stmt_bind_text(st, 1, "a");
	vg_stmt_bind_text(st, 2, "x");
	vg_stmt_bind_int(st, 3, 1);
	assert_int_equal(vg_stmt_exec(st), VG_OK);
	vg_stmt_done(st);

	/* Unique column. */
	assert_int_equal(vg_db_prepare(db, "INSERT INTO u (k, v, id) "
	    "VALUES (?, ?, ?)", &st), VG_OK);
	vg_stmt_bind_text(st, 1, "a");
	vg_stmt_bind_text(st, 2, "y");
	vg_stmt_bind_int(st, 3, 2);
	assert_int_equal(vg_stmt_exec(st), VG_ECONFLICT);
	vg_stmt_done(st);

	/* Primary key. */
	assert_int_equal(vg_db_prepare(db, "INSERT INTO u (k, v, id) "
	    "VALUES (?, ?, ?)", &st), VG_OK);
	vg_stmt_bind_text(st, 1, "b");
	vg_stmt_bind_text(st, 2, "y");
	vg_stmt_bind_int(st, 3, 1);
	assert_int_equal(vg_stmt_exec(st), VG_ECONFLICT);
	vg_stmt_done(st);

	/* Other constraints are not conflicts. */
	assert_int_equal(vg_db_prepare(db, "INSERT INTO u (k, v, id) "
	    "VALUES (?, ?, ?)", &st), VG_OK);
	vg_stmt_bind_text(st, 1, "c");
	vg_stmt_bind_null(st, 2);
	vg_stmt_bind_int(st, 3, 3);
	assert_int_equal(vg_stmt_exec(st), VG_EDB);
	vg_stmt_done(st);

	assert_int_equal(query_int(db, "SELECT count(*) FROM u"), 1);
}

static void
test_transactions(void **state)
{
	vg_stmt *st;

	(void)state;
	assert_int_equal(vg_db_exec_script(db, "CREATE TABLE tx (x INTEGER)"),
	    VG_OK);

	assert_int_equal(vg_db_begin(db), VG_OK);
	assert_int_equal(vg_db_prepare(db, "INSERT INTO tx VALUES (?)", &st),
	    VG_OK);
	vg_stmt_bind_int(st, 1, 1);
	assert_int_equal(vg_stmt_exec(st), VG_OK);
	vg_stmt_done(st);
	assert_int_equal(query_int(db, "SELECT count(*) FROM tx"), 1);
	vg_db_rollback(db);
	assert_int_equal(query_int(db, "SELECT count(*) FROM tx"), 0);

	assert_int_equal(vg_db_begin(db), VG_OK);
	assert_int_equal(vg_db_prepare(db, "INSERT INTO tx VALUES (?)", &st),
	    VG_OK);
	vg_stmt_bind_int(st, 1, 2);
	assert_int_equal(vg_stmt_exec(st), VG_OK);
	vg_stmt_done(st);
	assert_int_equal(vg_db_commit(db), VG_OK);
	assert_int_equal(query_int(db, "SELECT sum(x) FROM tx"), 2);

	/* vg_db_end: rc decides; a failure is returned as it was. */
	assert_int_equal(vg_db_begin(db), VG_OK);
	assert_int_equal(vg_db_exec_script(db, "INSERT INTO tx VALUES (40)"),
	    VG_OK);
	assert_int_equal(vg_db_end(db, VG_EINVAL), VG_EINVAL);
	assert_int_equal(query_int(db, "SELECT sum(x) FROM tx"), 2);
	assert_int_equal(vg_db_begin(db), VG_OK);
	assert_int_equal(vg_db_exec_script(db, "INSERT INTO tx VALUES (3)"),
	    VG_OK);
	assert_int_equal(vg_db_end(db, VG_OK), VG_OK);
	assert_int_equal(query_int(db, "SELECT sum(x) FROM tx"), 5);
	assert_int_equal(vg_db_exec_script(db, "DELETE FROM tx WHERE x = 3"),
	    VG_OK);

	/* Rollback outside a transaction is harmless; commit is an error;
	 * nested begin is an error. */
	vg_db_rollback(db);
	assert_int_equal(query_int(db, "SELECT sum(x) FROM tx"), 2);
	assert_int_equal(vg_db_commit(db), VG_EDB);
	assert_int_equal(vg_db_begin(db), VG_OK);
	assert_int_equal(vg_db_begin(db), VG_EDB);
	vg_db_rollback(db);

	/* Committed data is visible from another connection. */
	{
		vg_db *other;

		assert_int_equal(vg_db_open(db_path, &other), VG_OK);
		assert_int_equal(query_int(other, "SELECT sum(x) FROM tx"), 2);
		vg_db_close(other);
	}
}

static void
test_pragmas(void **state)
{
	vg_stmt *st;
	bool row;

	(void)state;
	assert_int_equal(vg_db_prepare(db, "PRAGMA journal_mode", &st), VG_OK);
	assert_int_equal(vg_stmt_step(st, &row), VG_OK);
	assert_true(row);
	assert_string_equal(vg_stmt_text(st, 0), "wal");
	vg_stmt_done(st);
	assert_int_equal(query_int(db, "PRAGMA synchronous"), 2);
	assert_int_equal(query_int(db, "PRAGMA foreign_keys"), 1);
	/* trusted_schema stays on: the search index's triggers need it. */
	assert_int_equal(query_int(db, "PRAGMA trusted_schema"), 1);
	assert_true(query_int(db, "PRAGMA busy_timeout") > 0);
}

/* --- per-thread connections ----------------------------------------------- */

static pthread_barrier_t barrier;

struct worker {
	int n;
	vg_db *first, *second;
	int64_t seen;
	vg_rc rc;
};

static void *
worker(void *p)
{
	struct worker *w = p;
	vg_db *d;
	vg_stmt *st;
	bool row;

	w->first = vg_db_thread();
	w->second = vg_db_thread();
	d = w->first;
	w->rc = VG_EINTERNAL;
	if (d != NULL && vg_db_prepare(d, "INSERT INTO th (n) VALUES (?)",
	    &st) == VG_OK) {
		vg_stmt_bind_int(st, 1, w->n);
		w->rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	/* Both threads are alive at once, each with its connection. */
	pthread_barrier_wait(&barrier);
	if (d != NULL && vg_db_prepare(d, "SELECT count(*) FROM th", &st) ==
	    VG_OK) {
		if (vg_stmt_step(st, &row) == VG_OK && row)
			w->seen = vg_stmt_int(st, 0);
		vg_stmt_done(st);
	}
	return NULL;
}

static void *
worker_null(void *p)
{
	*(vg_db **)p = vg_db_thread();
	return NULL;
}

static void
test_threads(void **state)
{
	struct worker w1 = {1, NULL, NULL, 0, VG_OK};
	struct worker w2 = {2, NULL, NULL, 0, VG_OK};
	pthread_t t1, t2;
	vg_db *mine, *again, *none = (vg_db *)1;

	(void)state;
	assert_int_equal(vg_db_exec_script(db, "CREATE TABLE th (n INTEGER)"),
	    VG_OK);
	vg_db_set_thread_path(db_path);
	mine = vg_db_thread();
	assert_non_null(mine);
	assert_ptr_equal(vg_db_thread(), mine);
	assert_ptr_not_equal(mine, db);

	assert_int_equal(pthread_barrier_init(&barrier, NULL, 2), 0);
	assert_int_equal(pthread_create(&t1, NULL, worker, &w1), 0);
	assert_int_equal(pthread_create(&t2, NULL, worker, &w2), 0);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	pthread_barrier_destroy(&barrier);

	assert_non_null(w1.first);
	assert_non_null(w2.first);
	assert_ptr_equal(w1.first, w1.second);
	assert_ptr_equal(w2.first, w2.second);
	assert_ptr_not_equal(w1.first, w2.first);
	assert_ptr_not_equal(w1.first, mine);
	assert_ptr_not_equal(w2.first, mine);
	assert_int_equal(w1.rc, VG_OK);
	assert_int_equal(w2.rc, VG_OK);
	assert_int_equal(w1.seen, 2);
	assert_int_equal(w2.seen, 2);
	assert_int_equal(query_int(mine, "SELECT sum(n) FROM th"), 3);

	/* Closing the main thread's connection; the next call opens a new
	 * one that works. */
	vg_db_thread_close();
	vg_db_thread_close();           /* twice: harmless */
	again = vg_db_thread();
	assert_non_null(again);
	assert_int_equal(query_int(again, "SELECT sum(n) FROM th"), 3);
	vg_db_thread_close();

	/* Without a path, a new thread gets no connection. */
	vg_db_set_thread_path(NULL);
	assert_int_equal(pthread_create(&t1, NULL, worker_null, &none), 0);
	pthread_join(t1, NULL);
	assert_null(none);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_bad_path),
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_migrate_broken),
		cmocka_unit_test(test_bind_and_columns),
		cmocka_unit_test(test_stmt_cache),
		cmocka_unit_test(test_stmt_cache_full),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_pragmas),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
