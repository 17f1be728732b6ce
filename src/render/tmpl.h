/*
 * tmpl.h — a small mustache-style template engine, HTML-escaped by default.
 *
 * Syntax (a subset of mustache, plus gettext):
 *   {{name}}  {{a.b.c}}  {{.}}   value, HTML-escaped; missing or null prints
 *                                nothing; numbers and booleans as JSON writes
 *                                them
 *   {{{name}}}  {{& name}}       raw value, NOT escaped — the only opt-in to
 *                                raw output (grep for "{{{" and "{{&")
 *   {{#name}}…{{/name}}          section: once per element of a non-empty
 *                                array (the element pushed on the context
 *                                stack), once with the object pushed for an
 *                                object, once for any other truthy value
 *   {{^name}}…{{/name}}          inverted section: rendered when the value is
 *                                falsy (missing, null, false, "", 0, empty
 *                                array or object)
 *   {{> name}}                   partial: another template of the same set,
 *                                rendered with the current context stack
 *   {{_ Texte en français}}      gettext() of the text, HTML-escaped
 *   {{! comment}}                nothing
 * Names are looked up from the innermost context outwards; a dotted name
 * resolves its first part that way, then descends.
 *
 * Templates are compiled once (vg_tmpl_set_add / vg_tmpl_set_load) and then
 * rendered many times, concurrently from several threads: rendering never
 * modifies the set.
 */
#ifndef VG_TMPL_H
#define VG_TMPL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/vg.h"

typedef struct vg_tmpl_set vg_tmpl_set;

/* An empty set, or NULL when out of memory.  Caller frees with
 * vg_tmpl_set_free(). */
vg_tmpl_set *vg_tmpl_set_new(void);
void vg_tmpl_set_free(vg_tmpl_set *set);

/* Compile src[0..len) as template `name` (copied) into the set, replacing a
 * template of the same name.  On a syntax error returns VG_EINVAL and writes
 * "name:line: message" into err (errlen bytes, may be NULL).  Partials are
 * resolved at render time, so templates can be added in any order. */
vg_rc vg_tmpl_set_add(vg_tmpl_set *set, const char *name, const char *src,
    size_t len, char *err, size_t errlen);

/* Compile every file ending in ".html" under dir, recursively; a file
 * "dir/partials/nav.html" is named "partials/nav".  Stops at the first
 * error (VG_EINVAL with "path:line: message" in err, or VG_EIO). */
vg_rc vg_tmpl_set_load(vg_tmpl_set *set, const char *dir, char *err,
    size_t errlen);

/* Whether the set has a template of that name. */
bool vg_tmpl_exists(const vg_tmpl_set *set, const char *name);

/* Render template `name` with a stack of contexts (stack[0] outermost,
 * stack[depth-1] innermost; borrowed) and append the output to out.
 * VG_ENOTFOUND when the template or a partial is missing, VG_EINVAL when
 * partials nest deeper than 16, VG_ENOMEM when out failed. */
vg_rc vg_tmpl_render(const vg_tmpl_set *set, const char *name,
    json_t *const *stack, size_t depth, vg_buf *out);

#endif
