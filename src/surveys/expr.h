/*
 * expr.h — the XLSForm expressions of `relevant` and `constraint`.
 *
 * Grammar (a subset of ODK XPath, what DOMAIN.md and the issue list):
 *
 *	expr    := or
 *	or      := and ("or" and)*
 *	and     := cmp ("and" cmp)*
 *	cmp     := unary (("=" | "!=" | "<" | "<=" | ">" | ">=") unary)?
 *	unary   := "(" expr ")" | call | "${" name "}" | "." | number | string
 *	call    := "not(" expr ")" | "selected(" unary "," unary ")"
 *	         | "count-selected(" unary ")"
 *
 * Strings are quoted with ' or "; numbers are decimal ("12", "-3.5").  A
 * name is [A-Za-z_][A-Za-z0-9_.-]*.  Anything else (arithmetic, other
 * functions such as today() or regex()) is refused at parse time with its
 * name in the message, never ignored.
 *
 * Values are strings (an answer as stored: a select_multiple is its choice
 * names separated by spaces) or absent (no answer: compares as "").  A
 * comparison is numeric when both sides read as numbers, textual
 * otherwise (ISO dates compare correctly as text).  The truth of a value:
 * a boolean is itself; a number is true when not 0; a string when not
 * empty.
 */
#ifndef VG_EXPR_H
#define VG_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/vg.h"

#define VG_EXPR_MAX_LEN 2000     /* characters of one expression */
#define VG_EXPR_MAX_DEPTH 32     /* nested parentheses and calls */

typedef struct vg_expr vg_expr;

/* Compile src.  VG_EINVAL with a one-line French message (naming the
 * position and what was expected or the unsupported feature, e.g.
 * « fonction today() non prise en charge ») in err.  VG_ENOMEM. */
vg_rc vg_expr_parse(const char *src, vg_expr **out, char *err, size_t errlen);

void vg_expr_free(vg_expr *e);

/* The answer to question name (NULL: not answered). */
typedef const char *(*vg_expr_get)(void *arg, const char *name);

/* Evaluate e: "." is self (NULL: none).  Never fails: an unknown name
 * reads as not answered. */
bool vg_expr_eval(const vg_expr *e, vg_expr_get get, void *arg,
    const char *self);

/* Call fn with every ${name} e refers to, in order (repeats included). */
void vg_expr_names(const vg_expr *e, void (*fn)(void *arg, const char *name),
    void *arg);

/* Whether e uses "." (constraints must, relevants must not). */
bool vg_expr_uses_self(const vg_expr *e);

#endif
