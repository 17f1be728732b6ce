/*
 * sealed.h — sensitive columns are stored sealed (encrypted and
 * authenticated with the column key of core/crypto.h): binding and reading
 * them, in one place.
 */
#ifndef VG_SEALED_H
#define VG_SEALED_H

#include "core/crypto.h"
#include "db/db.h"

/* Bind text sealed to parameter i (text NULL binds NULL). */
vg_rc vg_stmt_bind_sealed(vg_stmt *st, int i, const vg_keys *k,
    const char *text);

/* Column col opened, as a new NUL-terminated string (caller frees); NULL
 * when the column is NULL, was altered, or memory is short. */
char *vg_stmt_unsealed(vg_stmt *st, int col, const vg_keys *k);

#endif
