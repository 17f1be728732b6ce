#include "render/page.h"

#include <cmark.h>
#include <stdlib.h>

vg_rc
vg_render_page(const vg_tmpl_set *set, const char *name, json_t *globals,
    json_t *req, json_t *ctx, vg_buf *out)
{
	json_t *stack[4];
	json_t *wrap = NULL;
	vg_buf page = VG_BUF_INIT;
	size_t depth = 0;
	vg_rc rc;

	if (globals != NULL)
		stack[depth++] = globals;
	if (req != NULL)
		stack[depth++] = req;
	if (ctx != NULL)
		stack[depth++] = ctx;
	if ((rc = vg_tmpl_render(set, name, stack, depth, &page)) != VG_OK)
		goto out;
	if (vg_buf_failed(&page)) {
		rc = VG_ENOMEM;
		goto out;
	}
	/* The page is the renderer's own output from UTF-8 templates and
	 * UTF-8 values: checking its 5 KB again on every request cost a
	 * seventh of the CPU of the home page (bench/http.sh, callgrind). */
	wrap = json_object();
	if (wrap == NULL || json_object_set_new_nocheck(wrap, "content",
	    json_stringn_nocheck(page.data ? page.data : "", page.len)) != 0) {
		rc = VG_ENOMEM;
		goto out;
	}
	stack[depth++] = wrap;
	rc = vg_tmpl_render(set, "layout", stack, depth, out);
	if (rc == VG_OK && vg_buf_failed(out))
		rc = VG_ENOMEM;
out:
	json_decref(wrap);
	vg_buf_free(&page);
	return rc;
}

char *
vg_markdown_html(const char *md, size_t n)
{
	/* CMARK_OPT_SAFE is the default since cmark 0.29; say it anyway. */
	return cmark_markdown_to_html(md, n,
	    CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
}
