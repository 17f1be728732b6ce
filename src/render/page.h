/*
 * page.h — a page: its template rendered inside the layout; and Markdown.
 */
#ifndef VG_PAGE_H
#define VG_PAGE_H

#include <jansson.h>

#include "core/buf.h"
#include "core/vg.h"
#include "render/tmpl.h"

/* Render template `name` with the context stack [globals, req, ctx], then
 * the template "layout" with the same stack plus {"content": the page}.
 * Output appended to out.  Any argument but set, name and out may be
 * NULL. */
vg_rc vg_render_page(const vg_tmpl_set *set, const char *name,
    json_t *globals, json_t *req, json_t *ctx, vg_buf *out);

/* CommonMark to HTML, safe mode (raw HTML and dangerous links dropped).
 * Caller frees the result with free(); NULL when out of memory. */
char *vg_markdown_html(const char *md, size_t n);

#endif
