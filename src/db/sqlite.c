/*
 * sqlite.c — the SQLite backend of db.h.
 */
#include "db/db.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db/fts.h"

#define STMT_CACHE 64

struct vg_stmt {
	sqlite3_stmt *st;
	const char *sql;        /* the key: compared by address, then text */
	vg_db *db;
	bool busy;              /* handed out, not yet vg_stmt_done() */
	unsigned long used;     /* when last handed out, for eviction */
};

/* Slots never move: callers hold pointers to them. */
struct vg_db {
	sqlite3 *conn;
	struct vg_stmt cache[STMT_CACHE];
	int ncache;
	unsigned long clock;
	bool writing;           /* holds write_lock, in a transaction */
};

/*
 * One writer at a time in this process, queued on a mutex: SQLite allows
 * one writer anyway, and its busy handler makes the others sleep and
 * retry with growing pauses, which cost 1 s at the 99th percentile with
 * 64 clients (bench/reports.sh).  Other processes still meet the busy
 * timeout.
 */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static vg_rc
fail(vg_db *db, const char *what)
{
	vg_error("sqlite: %s: %s", what, sqlite3_errmsg(db->conn));
	return VG_EDB;
}

vg_rc
vg_db_open(const char *path, vg_db **out)
{
	vg_db *db;
	/* trusted_schema stays on: the schema is Vigie's own, and the
	 * triggers that keep the full-text index in step write to an FTS5
	 * table, which SQLite refuses from an untrusted schema. */
	static const char pragmas[] =
	    "PRAGMA journal_mode=WAL;"
	    "PRAGMA synchronous=FULL;"
	    "PRAGMA foreign_keys=ON;";

	*out = NULL;
	db = calloc(1, sizeof(*db));
	if (db == NULL)
		return VG_ENOMEM;
	if (sqlite3_open_v2(path, &db->conn,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		vg_error("sqlite: cannot open %s: %s", path,
		    db->conn ? sqlite3_errmsg(db->conn) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(db->conn, 5000);
	sqlite3_extended_result_codes(db->conn, 1);
	if (sqlite3_exec(db->conn, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
		fail(db, "pragmas");
		goto fail;
	}
	if (vg_fts_register(db->conn) != SQLITE_OK) {
		fail(db, "French search tokenizer");
		goto fail;
	}
	*out = db;
	return VG_OK;
fail:
	sqlite3_close(db->conn);
	free(db);
	return VG_EDB;
}

void
vg_db_close(vg_db *db)
{
	int i;

	if (db == NULL)
		return;
	for (i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].st);
	sqlite3_close(db->conn);
	free(db);
}

vg_rc
vg_db_exec_script(vg_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->conn, sql, NULL, NULL, &msg) != SQLITE_OK) {
		vg_error("sqlite: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return VG_EDB;
	}
	return VG_OK;
}

vg_rc
vg_db_prepare(vg_db *db, const char *sql, vg_stmt **out)
{
	vg_stmt *s, *victim = NULL;
	int i;

	for (i = 0; i < db->ncache; i++) {
		s = &db->cache[i];
		if (s->sql == sql || strcmp(s->sql, sql) == 0) {
			if (s->busy) {
				vg_error("sqlite: statement prepared twice "
				    "before vg_stmt_done(): %s", sql);
				return VG_EINTERNAL;
			}
			sqlite3_reset(s->st);
			sqlite3_clear_bindings(s->st);
			goto hand_out;
		}
	}
	if (db->ncache < STMT_CACHE) {
		victim = &db->cache[db->ncache++];
	} else {
		/* Full: reuse the least recently used slot not in use. */
		for (i = 0; i < STMT_CACHE; i++) {
			s = &db->cache[i];
			if (!s->busy && (victim == NULL || s->used < victim->used))
				victim = s;
		}
		if (victim == NULL) {
			vg_error("sqlite: every cached statement is in use");
			return VG_EINTERNAL;
		}
		sqlite3_finalize(victim->st);
	}
	s = victim;
	memset(s, 0, sizeof(*s));
	if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->st, NULL) != SQLITE_OK) {
		/* Leave the slot empty: it matches no SQL and is the first
		 * to be reused. */
		vg_rc rc = fail(db, "prepare");

		sqlite3_finalize(s->st);
		s->st = NULL;
		s->sql = "";
		return rc;
	}
	s->sql = sql;
	s->db = db;
hand_out:
	s->busy = true;
	s->used = ++db->clock;
	*out = s;
	return VG_OK;
}

static vg_rc
bound(vg_stmt *st, int rc)
{
	return rc == SQLITE_OK ? VG_OK : fail(st->db, "bind");
}

vg_rc
vg_stmt_bind_text(vg_stmt *st, int i, const char *s)
{
	if (s == NULL)
		return vg_stmt_bind_null(st, i);
	return bound(st, sqlite3_bind_text(st->st, i, s, -1, SQLITE_TRANSIENT));
}

vg_rc
vg_stmt_bind_textn(vg_stmt *st, int i, const char *s, size_t n)
{
	return bound(st, sqlite3_bind_text64(st->st, i, s, n, SQLITE_TRANSIENT,
	    SQLITE_UTF8));
}

vg_rc
vg_stmt_bind_int(vg_stmt *st, int i, int64_t v)
{
	return bound(st, sqlite3_bind_int64(st->st, i, v));
}

vg_rc
vg_stmt_bind_double(vg_stmt *st, int i, double v)
{
	return bound(st, sqlite3_bind_double(st->st, i, v));
}

vg_rc
vg_stmt_bind_blob(vg_stmt *st, int i, const void *p, size_t n)
{
	return bound(st, sqlite3_bind_blob64(st->st, i, p, n,
	    SQLITE_TRANSIENT));
}

vg_rc
vg_stmt_bind_null(vg_stmt *st, int i)
{
	return bound(st, sqlite3_bind_null(st->st, i));
}

vg_rc
vg_stmt_step(vg_stmt *st, bool *row)
{
	int rc = sqlite3_step(st->st);

	*row = false;
	if (rc == SQLITE_ROW) {
		*row = true;
		return VG_OK;
	}
	if (rc == SQLITE_DONE)
		return VG_OK;
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return VG_ECONFLICT;
	return fail(st->db, "step");
}

vg_rc
vg_stmt_exec(vg_stmt *st)
{
	bool row;

	return vg_stmt_step(st, &row);
}

const char *
vg_stmt_text(vg_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

int64_t
vg_stmt_int(vg_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

double
vg_stmt_double(vg_stmt *st, int col)
{
	return sqlite3_column_double(st->st, col);
}

const void *
vg_stmt_blob(vg_stmt *st, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(st->st, col);

	*n = (size_t)sqlite3_column_bytes(st->st, col);
	return p;
}

bool
vg_stmt_is_null(vg_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

void
vg_stmt_done(vg_stmt *st)
{
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
	st->busy = false;
}

int64_t
vg_db_last_id(vg_db *db)
{
	return sqlite3_last_insert_rowid(db->conn);
}

vg_rc
vg_db_begin(vg_db *db)
{
	vg_rc rc;

	/* Nested transactions are a bug: refuse, never wait on our own
	 * lock. */
	if (db->writing) {
		vg_error("sqlite: a transaction is already open");
		return VG_EDB;
	}
	pthread_mutex_lock(&write_lock);
	if ((rc = vg_db_exec_script(db, "BEGIN IMMEDIATE")) != VG_OK) {
		pthread_mutex_unlock(&write_lock);
		return rc;
	}
	db->writing = true;
	return VG_OK;
}

vg_rc
vg_db_commit(vg_db *db)
{
	vg_rc rc = vg_db_exec_script(db, "COMMIT");

	/* A failed COMMIT leaves the transaction open: the caller rolls
	 * back, which releases the lock. */
	if (rc == VG_OK && db->writing) {
		db->writing = false;
		pthread_mutex_unlock(&write_lock);
	}
	return rc;
}

void
vg_db_rollback(vg_db *db)
{
	if (!sqlite3_get_autocommit(db->conn))
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
	if (db->writing) {
		db->writing = false;
		pthread_mutex_unlock(&write_lock);
	}
}

vg_rc
vg_db_end(vg_db *db, vg_rc rc)
{
	if (rc == VG_OK)
		return vg_db_commit(db);
	vg_db_rollback(db);
	return rc;
}

/* --- migrations ---------------------------------------------------------- */

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		goto out;
	p = malloc((size_t)n + 1);
	if (p == NULL)
		goto out;
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
		goto out;
	}
	p[n] = '\0';
out:
	fclose(f);
	return p;
}

static vg_rc
apply_one(vg_db *db, const char *dir, const char *name, long version)
{
	static const char q_has[] =
	    "SELECT 1 FROM schema_migrations WHERE version = ?";
	static const char q_add[] =
	    "INSERT INTO schema_migrations (version, name, applied_at) "
	    "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))";
	vg_stmt *st;
	bool row;
	char path[4096];
	char *sql = NULL;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, q_has, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, version);
	rc = vg_stmt_step(st, &row);
	vg_stmt_done(st);
	if (rc != VG_OK || row)
		return rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	sql = slurp(path);
	if (sql == NULL) {
		vg_error("migration %s: %s", path, strerror(errno));
		return VG_EIO;
	}
	if ((rc = vg_db_begin(db)) != VG_OK)
		goto out;
	if ((rc = vg_db_exec_script(db, sql)) != VG_OK) {
		vg_error("migration %s failed", path);
		goto rollback;
	}
	if ((rc = vg_db_prepare(db, q_add, &st)) != VG_OK)
		goto rollback;
	vg_stmt_bind_int(st, 1, version);
	vg_stmt_bind_text(st, 2, name);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto rollback;
	rc = vg_db_commit(db);
	if (rc == VG_OK)
		vg_info("migration %s applied", name);
	goto out;
rollback:
	vg_db_rollback(db);
out:
	free(sql);
	return rc;
}

vg_rc
vg_db_migrate(vg_db *db, const char *dir)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	vg_rc rc = VG_OK;

	rc = vg_db_exec_script(db,
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	    " applied_at TEXT NOT NULL)");
	if (rc != VG_OK)
		return rc;
	d = opendir(dir);
	if (d == NULL) {
		vg_error("migrations: %s: %s", dir, strerror(errno));
		return VG_EIO;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len < 8 || strcmp(e->d_name + len - 4, ".sql") != 0 ||
		    e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		if (n == cap) {
			char **p = realloc(names, (cap ? cap * 2 : 16) *
			    sizeof(*names));
			if (p == NULL) {
				rc = VG_ENOMEM;
				goto out;
			}
			names = p;
			cap = cap ? cap * 2 : 16;
		}
		if ((names[n] = strdup(e->d_name)) == NULL) {
			rc = VG_ENOMEM;
			goto out;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 1; i < n; i++)
		if (strtol(names[i], NULL, 10) <= strtol(names[i - 1], NULL, 10)) {
			vg_error("migrations: %s and %s: numbers must be "
			    "distinct and zero-padded to sort in order",
			    names[i - 1], names[i]);
			rc = VG_EINVAL;
			goto out;
		}
	for (i = 0; i < n && rc == VG_OK; i++)
		rc = apply_one(db, dir, names[i], strtol(names[i], NULL, 10));
out:
	closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* --- one connection per thread -------------------------------------------- */

static char *thread_path;
static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

static void
thread_close(void *p)
{
	vg_db_close(p);
}

static void
thread_init(void)
{
	pthread_key_create(&thread_key, thread_close);
}

void
vg_db_set_thread_path(const char *path)
{
	free(thread_path);
	thread_path = path ? strdup(path) : NULL;
}

vg_db *
vg_db_thread(void)
{
	vg_db *db;

	pthread_once(&thread_once, thread_init);
	db = pthread_getspecific(thread_key);
	if (db != NULL || thread_path == NULL)
		return db;
	if (vg_db_open(thread_path, &db) != VG_OK)
		return NULL;
	pthread_setspecific(thread_key, db);
	return db;
}

void
vg_db_thread_close(void)
{
	vg_db *db;

	pthread_once(&thread_once, thread_init);
	db = pthread_getspecific(thread_key);
	if (db != NULL) {
		pthread_setspecific(thread_key, NULL);
		vg_db_close(db);
	}
}
