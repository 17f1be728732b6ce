/*
 * fuzz_tmpl.c — libFuzzer target for the template engine: the input is
 * compiled as template "self" (so "{{>self}}" recurses into itself until
 * the partial limit), then rendered with a fixed context of HTML strings,
 * arrays, nested objects, numbers and booleans.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/tmpl.h"

static const char context[] =
    "{"
    "\"s\":\"<script>alert('x')</script> & \\\"q\\\"\","
    "\"empty\":\"\",\"zero\":0,\"fzero\":0.0,\"nul\":null,"
    "\"t\":true,\"f\":false,\"n\":42,\"neg\":-9223372036854775807,"
    "\"r\":3.25,\"tiny\":1e-300,\"big\":1.7976931348623157e308,"
    "\"items\":[{\"name\":\"a<b\",\"n\":1,\"sub\":[1,2]},"
    "{\"name\":\"c&d\",\"t\":false,\"sub\":[]},{\"name\":\"e\"}],"
    "\"tags\":[\"x\",\"<y>\",7,2.5,true,null,[1,[2]],{\"k\":\"v\"}],"
    "\"none\":[],\"obj\":{},"
    "\"a\":{\"b\":{\"c\":\"deep\",\"d\":[{\"e\":\"'\"}]}},"
    "\"self\":\"name clash\""
    "}";

static const char partial[] = "[{{name}}{{#sub}}{{.}}{{/sub}}]";

static json_t *ctx;
static json_t *inner;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vg_buf out = VG_BUF_INIT;
	vg_tmpl_set *set;
	json_t *stack[2];
	char err[256];
	vg_rc rc;

	if (ctx == NULL) {
		/* Built once, never freed: rendering only reads it. */
		ctx = json_loads(context, 0, NULL);
		inner = json_pack("{s:s, s:[i, s]}", "name", "inner<>",
		    "list", 1, "two");
		if (ctx == NULL || inner == NULL)
			abort();
	}
	set = vg_tmpl_set_new();
	if (set == NULL)
		return 0;
	if (vg_tmpl_set_add(set, "p", partial, strlen(partial), NULL, 0) !=
	    VG_OK)
		abort();
	rc = vg_tmpl_set_add(set, "self", (const char *)data, size, err,
	    sizeof(err));
	if (rc == VG_EINVAL) {
		/* Every syntax error says where it is. */
		if (strncmp(err, "self:", 5) != 0 || err[5] < '1' ||
		    err[5] > '9' || strstr(err, ": ") == NULL)
			abort();
	} else if (rc != VG_OK) {
		abort();
	} else {
		stack[0] = ctx;
		stack[1] = inner;
		rc = vg_tmpl_render(set, "self", stack, 2, &out);
		if (rc != VG_OK && rc != VG_EINVAL && rc != VG_ENOTFOUND)
			abort();
		if (rc == VG_OK && out.len > 0 && out.data[out.len] != '\0')
			abort();
		vg_buf_free(&out);
		/* Also rendered without any context. */
		rc = vg_tmpl_render(set, "self", NULL, 0, &out);
		if (rc != VG_OK && rc != VG_EINVAL && rc != VG_ENOTFOUND)
			abort();
		vg_buf_free(&out);
	}
	vg_tmpl_set_free(set);
	return 0;
}
