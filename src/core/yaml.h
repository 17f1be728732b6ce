/*
 * yaml.h — Vigie's editable content (decision trees, phone numbers,
 * indicators) is YAML written by hand; this turns one YAML document into a
 * jansson value.
 *
 * The subset accepted is deliberately small: one non-empty document (a file
 * of only comments or "---" is an error; "~" is not), mappings with
 * scalar keys and no duplicate, sequences, scalars; no aliases; no tags
 * but those that change nothing ("!", and "!!str", "!!seq", "!!map" on
 * their own kind); at most VG_YAML_MAX_DEPTH nested collections.  Plain
 * (unquoted) scalars are typed after the YAML 1.2 core schema:
 *
 *	empty, ~, null, Null, NULL		null
 *	true, True, TRUE, false, False, FALSE	boolean
 *	-12, 0, 42				integer (beyond 64 bits: error)
 *	1.5, -.5, 2e3, 1.5E-3			real (beyond a double: error)
 *
 * with two exceptions that keep phone numbers intact: a number written
 * with a leading zero ("0612345678", "01.5") or a '+' sign ("+33612345678")
 * stays a string.  ".inf" and ".nan" stay strings too (JSON has neither).
 * Everything else, and every quoted or block ("|", ">") scalar, is a
 * string.  Strings are valid UTF-8 without NUL.
 *
 * Error messages are for content editors: one line, in French, of the form
 * "name:line:column: message", line and column counted from 1.
 */
#ifndef VG_YAML_H
#define VG_YAML_H

#include <stddef.h>

#include <jansson.h>

#include "core/vg.h"

/* Largest file vg_yaml_load_file() reads. */
#define VG_YAML_MAX_FILE	(8u << 20)

/* Deepest nesting of mappings and sequences. */
#define VG_YAML_MAX_DEPTH	64

/*
 * Parse the UTF-8 YAML document src[0..len) (need not be NUL-terminated).
 * name (may be NULL) is only used in messages, usually the file's path.
 *
 * On success returns VG_OK and stores in *out a new reference: the caller
 * owns it and releases it with json_decref().  On failure *out is NULL and
 * the return is VG_EINVAL (invalid or refused document) or VG_ENOMEM; err
 * (errlen bytes, may be NULL) then holds one NUL-terminated line
 * "name:line:column: message", truncated to fit.
 */
vg_rc vg_yaml_parse(const char *src, size_t len, const char *name,
    json_t **out, char *err, size_t errlen);

/*
 * Read the file at path (at most VG_YAML_MAX_FILE bytes) and parse it as
 * vg_yaml_parse() does, path naming it in messages.  Same ownership: *out
 * is a new reference for the caller on success, NULL on failure.  Returns
 * VG_EIO with "path : impossible de lire le fichier (reason)" in err when
 * the file cannot be opened or read, VG_EINVAL when it is too large or
 * not acceptable YAML.
 */
vg_rc vg_yaml_load_file(const char *path, json_t **out, char *err,
    size_t errlen);

/* Flags of the _ex variants. */
#define VG_YAML_LINES 1u        /* record each mapping's line */

/* With VG_YAML_LINES, every object carries its first line under this key,
 * so that a check of its meaning can name file and line.  Code that walks
 * the keys of such an object skips it. */
#define VG_YAML_LINE_KEY "@line"

vg_rc vg_yaml_parse_ex(const char *src, size_t len, const char *name,
    unsigned flags, json_t **out, char *err, size_t errlen);
vg_rc vg_yaml_load_file_ex(const char *path, unsigned flags, json_t **out,
    char *err, size_t errlen);

/* The line recorded for obj by VG_YAML_LINES, or 0. */
int vg_yaml_line(const json_t *obj);

/* Write "path:LINE: message" into err, LINE being at's recorded line (1
 * when at is NULL), the message made from fmt and its one string argument
 * (may be NULL), for the checks of meaning that follow parsing.  Returns
 * VG_EINVAL. */
vg_rc vg_yaml_fail(char *err, size_t errlen, const char *path,
    const json_t *at, const char *fmt, const char *arg);

#endif
