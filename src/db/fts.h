/*
 * fts.h — French full-text search for SQLite (see fts_fr.c).
 */
#ifndef VG_FTS_H
#define VG_FTS_H

#include <sqlite3.h>
#include <stddef.h>

/* Register the "vigie_fr" FTS5 tokenizer on a connection. */
int vg_fts_register(sqlite3 *db);

/* Fold the accents of lower-case French letters in in[0..n) into out
 * (room for 2n + 1 bytes): "é" → "e", "œ" → "oe".  Returns the length. */
size_t vg_fold_accents(const char *in, size_t n, char *out);

/* Turn the words of a visitor's query into an FTS5 MATCH expression: each
 * word quoted (no FTS5 operator can be injected), all required, the last
 * also as a prefix.  NULL when there is no word; caller frees. */
char *vg_fts_query(const char *q);

#endif
