/*
 * db.h — the one storage interface the areas use.
 *
 * Backend-neutral: SQL is written portably with `?` placeholders (a
 * PostgreSQL backend rewrites them to $n), every value is bound, nothing is
 * ever formatted into SQL.  The SQLite backend opens one connection per
 * worker thread (vg_db_thread()), in WAL mode with a busy timeout and
 * synchronous=FULL so that a committed write survives a crash.
 *
 * Statements are cached per connection: vg_db_prepare() with the same SQL
 * string returns the same reset statement, so handlers prepare freely.
 */
#ifndef VG_DB_H
#define VG_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vg.h"

typedef struct vg_db vg_db;
typedef struct vg_stmt vg_stmt;

/* Open (creating if needed) the database at path.  Caller closes with
 * vg_db_close().  VG_EDB with a message in the log on failure. */
vg_rc vg_db_open(const char *path, vg_db **out);
void vg_db_close(vg_db *db);

/* Apply, in order and each in its own transaction, the numbered migrations
 * "NNN_name.sql" of dir that are not yet recorded in schema_migrations. */
vg_rc vg_db_migrate(vg_db *db, const char *dir);

/* Close the calling thread's connection now (the main thread, whose
 * connection is not closed by thread exit). */
void vg_db_thread_close(void);

/* Set the path every worker thread opens with vg_db_thread(). */
void vg_db_set_thread_path(const char *path);

/* The calling thread's connection, opened on first use and closed when the
 * thread exits; NULL on failure.  Borrowed. */
vg_db *vg_db_thread(void);

/* A prepared statement for sql, reset and with bindings cleared.  The
 * statement is owned by the connection's cache: call vg_stmt_done() when
 * finished with it (it is reset, not finalised).  sql must be a string
 * literal or otherwise outlive the connection. */
vg_rc vg_db_prepare(vg_db *db, const char *sql, vg_stmt **out);

/* Bind the 1-based parameter i.  Text and blobs are copied. */
vg_rc vg_stmt_bind_text(vg_stmt *st, int i, const char *s);
vg_rc vg_stmt_bind_textn(vg_stmt *st, int i, const char *s, size_t n);
vg_rc vg_stmt_bind_int(vg_stmt *st, int i, int64_t v);
vg_rc vg_stmt_bind_double(vg_stmt *st, int i, double v);
vg_rc vg_stmt_bind_blob(vg_stmt *st, int i, const void *p, size_t n);
vg_rc vg_stmt_bind_null(vg_stmt *st, int i);

/* Step: VG_OK with *row true when a row is ready, VG_OK with *row false
 * when done, VG_ECONFLICT on a uniqueness violation, VG_EDB otherwise. */
vg_rc vg_stmt_step(vg_stmt *st, bool *row);

/* Step a statement that returns no rows. */
vg_rc vg_stmt_exec(vg_stmt *st);

/* Columns of the current row, 0-based.  Text and blobs are borrowed until
 * the next step or vg_stmt_done(); NULL text reads as NULL. */
const char *vg_stmt_text(vg_stmt *st, int col);
int64_t vg_stmt_int(vg_stmt *st, int col);
double vg_stmt_double(vg_stmt *st, int col);
const void *vg_stmt_blob(vg_stmt *st, int col, size_t *n);
bool vg_stmt_is_null(vg_stmt *st, int col);

/* Reset the statement and give it back to the cache. */
void vg_stmt_done(vg_stmt *st);

/* Row id of the last insert on this connection. */
int64_t vg_db_last_id(vg_db *db);

/* Transactions.  vg_db_begin() takes the write lock at once (BEGIN
 * IMMEDIATE) so a read-then-write transaction cannot fail half-way on a
 * lock upgrade. */
vg_rc vg_db_begin(vg_db *db);
vg_rc vg_db_commit(vg_db *db);
void vg_db_rollback(vg_db *db);
/* End the transaction as rc says: commit when VG_OK (the commit's own
 * result is returned), roll back and return rc otherwise. */
vg_rc vg_db_end(vg_db *db, vg_rc rc);

/* Run one SQL script with no parameters (migrations, tests). */
vg_rc vg_db_exec_script(vg_db *db, const char *sql);

#endif
