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
 * otherwise (ISO dates compare correctly as text), except that a number
 * written in the expression (or a count-selected()) has no order against
 * text that is not a number: `${age} < 18` is false while age is
 * unanswered, as XPath's NaN makes it in ODK.  Against a boolean (a
 * comparison, not()), both sides compare as booleans.  The truth of a
 * value: a boolean is itself; a number is true when not 0; a string when
 * not empty (an answer "0" is true).  Numbers compare exactly, as decimal
 * text ("0.1" = "0.10"); there are no exponents.
 *
 * Errors read « position N : … », N counting characters from 1.
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
