/*
 * directory_int.h — shared between the directory's files only.
 */
#ifndef VG_DIRECTORY_INT_H
#define VG_DIRECTORY_INT_H

#include <stdbool.h>

#include "core/arena.h"
#include "db/db.h"
#include "directory/directory.h"

/* The fields of an actor, in the order of the CSV columns. */
enum actor_field {
	AF_NAME, AF_KIND, AF_THEMES, AF_PUBLICS, AF_DEPT, AF_COMMUNE,
	AF_ADDRESS, AF_PHONE, AF_EMAIL, AF_WEBSITE, AF_HOURS, AF_ACCESS,
	AF_DESCRIPTION, AF_PRO_ONLY, AF_COUNT
};

struct actor_field_def {
	const char *key;        /* form field, JSON key, database column */
	const char *column;     /* CSV header */
	const char *label;      /* French, for messages (N_()) */
	size_t max;             /* characters */
	bool required;
};

extern const struct actor_field_def actor_fields[AF_COUNT];

/* Vocabularies: NULL-terminated code lists, labels through gettext. */
extern const char *const actor_kinds[];
extern const char *const actor_publics[];
extern const char *const actor_contacts[];      /* address phone email website */
const char *actor_kind_label(const char *code);         /* NULL: unknown */
const char *actor_public_label(const char *code);       /* NULL: unknown */

/* One actor as typed (v[AF_…], NULL for empty; lists separated by ',',
 * '|', ';' or line breaks, as codes or labels) checked into its stored
 * form: codes, a normalised phone, a lower-case email domain, a website
 * with its scheme, lists as codes separated by spaces.  VG_EINVAL with a
 * French reason and the field.  Strings are allocated in a. */
vg_rc actor_check(vg_arena *a, const char *const v[AF_COUNT],
    const char *out[AF_COUNT], const char **why, enum actor_field *field);

/* Insert (id 0) or update an actor already checked.  Inside or outside a
 * transaction.  VG_ENOTFOUND when id is not an actor. */
vg_rc actor_save(int64_t id, const char *const f[AF_COUNT], int64_t user,
    int64_t *out_id);

/* The columns of a row read by ACTOR_COLUMNS, as an object for templates
 * and JSON: every field as stored, plus labels; the contact fields
 * reserved to professionals are left out (and "restricted" set) unless
 * pro. */
#define ACTOR_COLUMNS "id, name, kind, themes, publics, departement, " \
	"commune, address, phone, email, website, hours, accessibility, " \
	"description, pro_only"
json_t *actor_row_json(vg_stmt *st, bool pro);

/* --- import and export (import.c) ---------------------------------------- */

/* Check every row of a CSV file and, only when none is wrong, create or
 * update them all in one transaction.  *errors is a new array of
 * {line, column, message} (empty when all rows are good), *created and
 * *updated count the rows.  dry_run checks without writing.  VG_EINVAL
 * when the file or a row is wrong (then nothing is written). */
vg_rc directory_import_csv(const char *data, size_t len, int64_t user,
    bool dry_run, json_t **errors, int *created, int *updated);

/* Every actor, all fields and an "id" column first (so that the file can
 * be edited and imported back), as CSV (RFC 4180 with a BOM, so that
 * Excel reads the accents) or XLSX, in *out (caller frees). */
vg_rc directory_export_csv(char **out, size_t *len);
vg_rc directory_export_xlsx(const char *tmpdir, char **out, size_t *len);

#endif
