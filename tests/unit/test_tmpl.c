/*
 * test_tmpl.c — the template engine: output, lookup, sections, partials,
 * gettext, syntax errors with their line, and loading a directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/tmpl.h"

/* Add src as name, failing the test on an error. */
static void
add(vg_tmpl_set *set, const char *name, const char *src)
{
	char err[256];
	vg_rc rc;

	rc = vg_tmpl_set_add(set, name, src, strlen(src), err, sizeof(err));
	if (rc != VG_OK)
		fail_msg("%s: rc %d: %s", name, rc, err);
}

/* Render name with the contexts given as JSON texts, outermost first;
 * the output, or NULL on error with *rcp set.  Caller frees. */
static char *
render_rc(vg_tmpl_set *set, const char *name, vg_rc *rcp, size_t n, ...)
{
	json_t *stack[4];
	vg_buf out = VG_BUF_INIT;
	json_error_t jerr;
	va_list ap;
	size_t i;
	vg_rc rc;

	assert_true(n <= 4);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		stack[i] = json_loads(va_arg(ap, const char *),
		    JSON_DECODE_ANY, &jerr);
		if (stack[i] == NULL)
			fail_msg("bad JSON in test: %s", jerr.text);
	}
	va_end(ap);
	rc = vg_tmpl_render(set, name, stack, n, &out);
	for (i = 0; i < n; i++)
		json_decref(stack[i]);
	if (rcp != NULL)
		*rcp = rc;
	if (rc != VG_OK) {
		vg_buf_free(&out);
		return NULL;
	}
	return vg_buf_detach(&out, NULL);
}

/* Compile src as "t", render it with one context, compare. */
static void
check(const char *src, const char *ctx, const char *want)
{
	vg_tmpl_set *set = vg_tmpl_set_new();
	vg_rc rc;
	char *got;

	assert_non_null(set);
	add(set, "t", src);
	got = render_rc(set, "t", &rc, 1, ctx);
	if (got == NULL)
		fail_msg("render of \"%s\" failed: rc %d", src, rc);
	if (strcmp(got, want) != 0)
		fail_msg("\"%s\" with %s: got \"%s\", want \"%s\"", src, ctx,
		    got, want);
	free(got);
	vg_tmpl_set_free(set);
}

/* Compile src as "t" and expect VG_EINVAL with err equal to want. */
static void
check_error(const char *src, const char *want)
{
	vg_tmpl_set *set = vg_tmpl_set_new();
	char err[256];
	vg_rc rc;

	assert_non_null(set);
	rc = vg_tmpl_set_add(set, "t", src, strlen(src), err, sizeof(err));
	if (rc != VG_EINVAL)
		fail_msg("\"%s\": rc %d, want VG_EINVAL", src, rc);
	if (strcmp(err, want) != 0)
		fail_msg("\"%s\": err \"%s\", want \"%s\"", src, err, want);
	assert_false(vg_tmpl_exists(set, "t"));
	vg_tmpl_set_free(set);
}

static void
test_text_only(void **state)
{
	(void)state;
	check("", "{}", "");
	check("plain <b>text</b> & } { }} stays", "{}",
	    "plain <b>text</b> & } { }} stays");
	check("a\n  {{x}}  \nb", "{\"x\":1}", "a\n  1  \nb");
}

static void
test_escape(void **state)
{
	(void)state;
	check("{{s}}", "{\"s\":\"<a href=\\\"x\\\">Tom & Jerry's</a>\"}",
	    "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
	check("{{ s }}", "{\"s\":\"&<>\\\"'\"}", "&amp;&lt;&gt;&quot;&#39;");
}

static void
test_raw(void **state)
{
	(void)state;
	check("{{{s}}}", "{\"s\":\"<b>&'\\\"</b>\"}", "<b>&'\"</b>");
	check("{{& s}}", "{\"s\":\"<b>&'\\\"</b>\"}", "<b>&'\"</b>");
	check("{{&s}}|{{{ s }}}", "{\"s\":\"<i>\"}", "<i>|<i>");
	/* A fourth brace is text. */
	check("{{{s}}}}", "{\"s\":\"<i>\"}", "<i>}");
}

static void
test_missing_and_null(void **state)
{
	(void)state;
	check("[{{nope}}][{{n}}][{{a.b.c}}]", "{\"n\":null}", "[][][]");
	check("[{{o}}][{{l}}]", "{\"o\":{\"k\":1},\"l\":[1,2]}", "[][]");
}

static void
test_dotted(void **state)
{
	(void)state;
	check("{{a.b.c}}", "{\"a\":{\"b\":{\"c\":\"deep\"}}}", "deep");
	check("{{user.name}}/{{user.mail}}",
	    "{\"user\":{\"name\":\"Ana\"}}", "Ana/");
	/* Descending through a non-object gives nothing. */
	check("[{{a.b}}]", "{\"a\":\"str\"}", "[]");
	check("[{{a.b}}]", "{\"a\":[{\"b\":1}]}", "[]");
}

static void
test_stack_lookup(void **state)
{
	vg_tmpl_set *set = vg_tmpl_set_new();
	char *got;

	(void)state;
	assert_non_null(set);
	add(set, "t", "{{x}} {{y}} {{z}} {{u.name}} {{.}}");
	got = render_rc(set, "t", NULL, 3,
	    "{\"x\":\"outer\",\"y\":\"outer-y\",\"u\":{\"name\":\"Ana\"}}",
	    "[\"arrays are skipped\"]",
	    "{\"x\":\"inner\",\"z\":3}");
	assert_non_null(got);
	assert_string_equal(got, "inner outer-y 3 Ana ");
	free(got);

	/* The innermost context is a scalar: {{.}} prints it. */
	got = render_rc(set, "t", NULL, 2, "{\"x\":1}", "\"me\"");
	assert_non_null(got);
	assert_string_equal(got, "1    me");
	free(got);

	/* The first part found ends the search, even when the rest is
	 * missing there (mustache's rule). */
	add(set, "t2", "[{{u.name}}]");
	got = render_rc(set, "t2", NULL, 2, "{\"u\":{\"name\":\"Ana\"}}",
	    "{\"u\":{\"mail\":\"x\"}}");
	assert_non_null(got);
	assert_string_equal(got, "[]");
	free(got);

	/* No context at all. */
	add(set, "t3", "a{{x}}{{.}}b");
	got = render_rc(set, "t3", NULL, 0);
	assert_non_null(got);
	assert_string_equal(got, "ab");
	free(got);
	vg_tmpl_set_free(set);
}

static void
test_section_array_objects(void **state)
{
	(void)state;
	check("<ul>{{#items}}<li>{{name}} ({{site}})</li>{{/items}}</ul>",
	    "{\"site\":\"V\",\"items\":[{\"name\":\"a<\"},{\"name\":\"b\"},"
	    "{\"name\":\"c\",\"site\":\"own\"}]}",
	    "<ul><li>a&lt; (V)</li><li>b (V)</li><li>c (own)</li></ul>");
	/* Nested sections reach every level. */
	check("{{#a}}{{#b}}{{x}}{{y}}{{z}};{{/b}}{{/a}}",
	    "{\"z\":\"Z\",\"a\":[{\"x\":1,\"b\":[{\"y\":2},{\"y\":3}]},"
	    "{\"x\":4,\"b\":[{\"y\":5}]}]}",
	    "12Z;13Z;45Z;");
}

static void
test_section_array_scalars(void **state)
{
	(void)state;
	check("{{#tags}}[{{.}}]{{/tags}}",
	    "{\"tags\":[\"a&b\",7,true,null,2.5]}",
	    "[a&amp;b][7][true][][2.5]");
	check("{{#m}}({{#.}}{{.}}{{/.}}){{/m}}", "{\"m\":[[1,2],[3]]}",
	    "(12)(3)");
}

static void
test_section_object(void **state)
{
	(void)state;
	check("{{#user}}{{name}} <{{mail}}>{{/user}}",
	    "{\"user\":{\"name\":\"Ana\",\"mail\":\"a@x\"}}",
	    "Ana <a@x>");
	check("{{#user}}{{name}}{{/user}}", "{\"user\":{\"name\":\"<A>\"}}",
	    "&lt;A&gt;");
	check("{{#a.b}}{{c}}{{/a.b}}", "{\"a\":{\"b\":{\"c\":\"ok\"}}}",
	    "ok");
}

static void
test_section_truthy_scalars(void **state)
{
	(void)state;
	/* Rendered once, nothing pushed: names still come from outside. */
	check("{{#f}}yes {{n}}{{/f}}", "{\"f\":true,\"n\":\"N\"}", "yes N");
	check("{{#f}}yes{{/f}}", "{\"f\":1}", "yes");
	check("{{#f}}yes{{/f}}", "{\"f\":-2.5}", "yes");
	check("{{#f}}yes{{/f}}", "{\"f\":\"x\"}", "yes");
	check("{{#f}}yes{{/f}}", "{\"f\":\"0\"}", "yes");
	check("{{#f}}[{{.}}]{{/f}}", "{\"f\":\"x\"}", "[]");
}

static void
test_falsy(void **state)
{
	static const char *falsy[] = {
		"{}", "{\"v\":null}", "{\"v\":false}", "{\"v\":\"\"}",
		"{\"v\":0}", "{\"v\":0.0}", "{\"v\":-0.0}", "{\"v\":[]}",
		"{\"v\":{}}",
	};
	static const char *truthy[] = {
		"{\"v\":true}", "{\"v\":\" \"}", "{\"v\":1}", "{\"v\":0.5}",
		"{\"v\":[0]}", "{\"v\":{\"k\":null}}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(falsy) / sizeof(falsy[0]); i++)
		check("[{{#v}}yes{{/v}}{{^v}}no{{/v}}]", falsy[i], "[no]");
	for (i = 0; i < sizeof(truthy) / sizeof(truthy[0]); i++)
		check("[{{^v}}no{{/v}}{{#v}}yes{{/v}}]", truthy[i], "[yes]");
	/* An inverted section pushes nothing. */
	check("{{^v}}{{x}}{{/v}}", "{\"x\":\"X\",\"v\":[]}", "X");
}

static void
test_numbers_booleans(void **state)
{
	(void)state;
	check("{{a}} {{b}} {{c}}", "{\"a\":42,\"b\":-7,\"c\":0}", "42 -7 0");
	check("{{a}}", "{\"a\":9223372036854775807}", "9223372036854775807");
	check("{{a}} {{b}} {{c}} {{d}}",
	    "{\"a\":2.5,\"b\":0.1,\"c\":3.0,\"d\":-0.0}", "2.5 0.1 3.0 -0.0");
	check("{{a}} {{b}} {{c}}",
	    "{\"a\":1e300,\"b\":1.5e-7,\"c\":0.30000000000000004}",
	    "1e+300 1.5e-07 0.30000000000000004");
	check("{{t}} {{f}} {{{t}}}", "{\"t\":true,\"f\":false}",
	    "true false true");
}

static void
test_nul_in_string(void **state)
{
	vg_tmpl_set *set = vg_tmpl_set_new();
	vg_buf out = VG_BUF_INIT;
	json_t *ctx;

	(void)state;
	assert_non_null(set);
	add(set, "t", "[{{s}}]");
	ctx = json_pack("{s:s%}", "s", "a\0<", (size_t)3);
	assert_non_null(ctx);
	assert_int_equal(vg_tmpl_render(set, "t", &ctx, 1, &out), VG_OK);
	assert_int_equal(out.len, 8);
	assert_memory_equal(out.data, "[a\0&lt;]", 8);
	json_decref(ctx);
	vg_buf_free(&out);
	vg_tmpl_set_free(set);
}

static void
test_partials(void **state)
{
	vg_tmpl_set *set = vg_tmpl_set_new();
	vg_rc rc;
	char *got;

	(void)state;
	assert_non_null(set);
	/* Added before its partial: resolved when rendering. */
	add(set, "page", "<{{> parts/item}}|{{#items}}{{>parts/item}}{{/items}}>");
	add(set, "parts/item", "[{{name}}]");
	got = render_rc(set, "page", &rc, 1,
	    "{\"name\":\"top\",\"items\":[{\"name\":\"a\"},{\"name\":\"b\"}]}");
	assert_non_null(got);
	assert_string_equal(got, "<[top]|[a][b]>");
	free(got);
	vg_tmpl_set_free(set);
}

static void
test_partial_missing(void **state)
{
	vg_tmpl_set *set = vg_tmpl_set_new();
	vg_buf out = VG_BUF_INIT;
	vg_rc rc;

	(void)state;
	assert_non_null(set);
	add(set, "t", "before{{>nope}}after");
	assert_null(render_rc(set, "t", &rc, 1, "{}"));
	assert_int_equal(rc, VG_ENOTFOUND);
	assert_null(render_rc(set, "absent", &rc, 1, "{}"));
	assert_int_equal(rc, VG_ENOTFOUND);

	/* A failed render leaves what out held before. */
	vg_buf_puts(&out, "kept");
	assert_int_equal(vg_tmpl_render(set, "t", NULL, 0, &out),
	    VG_ENOTFOUND);
	assert_string_equal(out.data, "kept");
	vg_buf_free(&out);
	vg_tmpl_set_free(set);
}

static void
test_partial_recursion(void **state)
{
	vg_tmpl_set *set = vg_tmpl_set_new();
	char name[16], src[32];
	vg_rc rc;
	char *got;
	int i;

	(void)state;
	assert_non_null(set);
	add(set, "self", "x{{>self}}");
	assert_null(render_rc(set, "self", &rc, 1, "{}"));
	assert_int_equal(rc, VG_EINVAL);

	/* Recursion ending with the data is fine: a tree.  Leaves need
	 * their empty "kids", or {{#kids}} finds the parent's again. */
	add(set, "node", "({{n}}{{#kids}}{{>node}}{{/kids}})");
	got = render_rc(set, "node", &rc, 1,
	    "{\"n\":1,\"kids\":[{\"n\":2,\"kids\":[{\"n\":3,\"kids\":[]}]},"
	    "{\"n\":4,\"kids\":null}]}");
	assert_non_null(got);
	assert_string_equal(got, "(1(2(3))(4))");
	free(got);
	assert_null(render_rc(set, "node", &rc, 1,
	    "{\"n\":1,\"kids\":[{\"n\":2}]}"));
	assert_int_equal(rc, VG_EINVAL);

	/* p0 includes p1 … p16 includes p17: 16 levels render, 17 do not. */
	for (i = 0; i <= 17; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		snprintf(src, sizeof(src), "%d{{>p%d}}", i, i + 1);
		add(set, name, src);
	}
	add(set, "p17", "end");
	add(set, "p18", "too deep");
	got = render_rc(set, "p1", &rc, 1, "{}");
	assert_non_null(got);
	assert_string_equal(got, "12345678910111213141516end");
	free(got);
	add(set, "p17", "17{{>p18}}");
	assert_null(render_rc(set, "p1", &rc, 1, "{}"));
	assert_int_equal(rc, VG_EINVAL);
	assert_null(render_rc(set, "p0", &rc, 1, "{}"));
	assert_int_equal(rc, VG_EINVAL);
	vg_tmpl_set_free(set);
}

static void
test_work_limit(void **state)
{
	vg_tmpl_set *set = vg_tmpl_set_new();
	char src[30 * 12 + 2] = "";
	vg_rc rc;
	int i;

	(void)state;
	assert_non_null(set);
	/* 2^30 iterations: stopped by the work limit, not by patience. */
	for (i = 0; i < 30; i++)
		strcat(src, "{{#a}}");
	strcat(src, "x");
	for (i = 0; i < 30; i++)
		strcat(src, "{{/a}}");
	add(set, "t", src);
	assert_null(render_rc(set, "t", &rc, 1, "{\"a\":[1,2]}"));
	assert_int_equal(rc, VG_EINVAL);
	vg_tmpl_set_free(set);
}

static void
test_gettext(void **state)
{
	(void)state;
	/* No catalogue is bound: gettext() gives the msgid back. */
	check("<p>{{_ Bonjour <le> \"monde\" & l'ami }}</p>", "{}",
	    "<p>Bonjour &lt;le&gt; &quot;monde&quot; &amp; l&#39;ami</p>");
	check("{{_\tSur\ndeux lignes}}", "{}", "Sur\ndeux lignes");
	check("{{ _ Espaces }}", "{}", "Espaces");
	/* Without the space it is a variable. */
	check("{{_x}}{{_}}", "{\"_x\":\"v\",\"_\":\"u\"}", "vu");
}

static void
test_comments(void **state)
{
	(void)state;
	check("a{{! a comment with {{ and <b> }}b", "{}", "ab");
	check("a{{!}}b{{ ! x }}c", "{}", "abc");
	/* Lines inside a comment still count. */
	check_error("{{! one\ntwo\n}}\n{{/x}}", "t:4: stray {{/x}}");
}

static void
test_syntax_errors(void **state)
{
	char deep[65 * 6 + 65 * 6 + 1] = "";
	int i;

	(void)state;
	check_error("a\n{{x", "t:2: unclosed tag");
	check_error("a\n\n{{{x}", "t:3: unclosed tag");
	check_error("{{!\n never closed", "t:1: unclosed tag");
	check_error("x\n{{#a}}\n{{#b}}{{/b}}\n", "t:2: unclosed section 'a'");
	check_error("{{#a}}\n{{^b}}\n{{/a}}",
	    "t:3: mismatched {{/a}}: expected {{/b}} (opened line 2)");
	check_error("\n\n\n{{/a}}", "t:4: stray {{/a}}");
	check_error("{{#a}}{{/a}}{{/a}}", "t:1: stray {{/a}}");
	check_error("ok\n{{}}", "t:2: empty name");
	check_error("{{  }}", "t:1: empty name");
	check_error("{{#}}", "t:1: empty name");
	check_error("{{#a}}{{/ }}", "t:1: empty name");
	check_error("{{> }}", "t:1: empty name");
	check_error("{{&}}", "t:1: empty name");
	check_error("{{{ }}}", "t:1: empty name");
	check_error("{{_ }}", "t:1: empty message in {{_ }}");
	check_error("{{a b}}", "t:1: bad character ' ' in name");
	check_error("\n{{a<b}}", "t:2: bad character '<' in name");
	check_error("{{{a}}}{{a/b}}", "t:1: bad character '/' in name");
	check_error("{{> a b}}", "t:1: bad character ' ' in name");
	check_error("{{#a\tb}}", "t:1: bad byte 0x09 in name");
	check_error("{{\xc3\xa9t\xc3\xa9}}", "t:1: bad byte 0xc3 in name");
	check_error("{{a..b}}", "t:1: empty component in name 'a..b'");
	check_error("{{.a}}", "t:1: empty component in name '.a'");
	check_error("{{a.}}", "t:1: empty component in name 'a.'");
	check_error("{{..}}", "t:1: empty component in name '..'");
	check_error("line\n{{{x}}", "t:2: '{{{' closed by '}}' instead of '}}}'");
	check_error("{{{x}} y }}}",
	    "t:1: '{{{' closed by '}}' instead of '}}}'");
	check_error("{{=<% %>=}}", "t:1: changing delimiters is not supported");

	/* Sections: 64 nested compile, 65 do not. */
	for (i = 0; i < 64; i++)
		strcat(deep, "{{#a}}");
	for (i = 0; i < 64; i++)
		strcat(deep, "{{/a}}");
	check(deep, "{\"a\":true}", "");
	memmove(deep + 6, deep, strlen(deep) + 1);
	memcpy(deep, "{{#a}}", 6);
	strcat(deep, "{{/a}}");
	check_error(deep, "t:1: sections nested deeper than 64");
}

static void
test_error_buffer(void **state)
{
	vg_tmpl_set *set = vg_tmpl_set_new();
	char err[8];

	(void)state;
	assert_non_null(set);
	/* NULL or short err is fine. */
	assert_int_equal(vg_tmpl_set_add(set, "t", "{{", 2, NULL, 0),
	    VG_EINVAL);
	memset(err, 'z', sizeof(err));
	assert_int_equal(vg_tmpl_set_add(set, "t", "{{", 2, err, sizeof(err)),
	    VG_EINVAL);
	assert_string_equal(err, "t:1: un");
	/* Source with NUL bytes: text keeps them, names refuse them. */
	assert_int_equal(vg_tmpl_set_add(set, "t", "{{a\0}}", 6, NULL, 0),
	    VG_EINVAL);
	assert_int_equal(vg_tmpl_set_add(set, "t", "a\0b", 3, NULL, 0),
	    VG_OK);
	vg_tmpl_set_free(set);
}

static void
test_replace(void **state)
{
	vg_tmpl_set *set = vg_tmpl_set_new();
	char err[128], *got;

	(void)state;
	assert_non_null(set);
	assert_false(vg_tmpl_exists(set, "t"));
	add(set, "t", "one {{x}}");
	assert_true(vg_tmpl_exists(set, "t"));
	add(set, "t", "two {{x}}");
	got = render_rc(set, "t", NULL, 1, "{\"x\":1}");
	assert_non_null(got);
	assert_string_equal(got, "two 1");
	free(got);
	/* A broken replacement keeps the template in place. */
	assert_int_equal(vg_tmpl_set_add(set, "t", "{{#x}}", 6, err,
	    sizeof(err)), VG_EINVAL);
	got = render_rc(set, "t", NULL, 1, "{\"x\":1}");
	assert_non_null(got);
	assert_string_equal(got, "two 1");
	free(got);
	vg_tmpl_set_free(set);
}

static void
test_many_templates(void **state)
{
	vg_tmpl_set *set = vg_tmpl_set_new();
	char name[32], src[32], *got;
	int i;

	(void)state;
	assert_non_null(set);
	/* Enough to grow the table a few times. */
	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "dir/t%d", i);
		snprintf(src, sizeof(src), "<%d>", i);
		add(set, name, src);
	}
	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "dir/t%d", i);
		snprintf(src, sizeof(src), "<%d>", i);
		got = render_rc(set, name, NULL, 0);
		assert_non_null(got);
		assert_string_equal(got, src);
		free(got);
	}
	assert_false(vg_tmpl_exists(set, "dir/t500"));
	vg_tmpl_set_free(set);
}

static void
write_file(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void
remove_tree(const char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_load(void **state)
{
	char dir[] = "/tmp/test_tmpl.XXXXXX", path[512], want[600];
	char err[256], *got;
	vg_tmpl_set *set;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/partials", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/partials/deep", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	write_file(dir, "page.html", "<{{>partials/nav}}>\n");
	write_file(dir, "partials/nav.html", "nav:{{x}}{{>partials/deep/a}}");
	write_file(dir, "partials/deep/a.html", "!");
	write_file(dir, "notes.txt", "{{ignored");
	write_file(dir, ".hidden.html", "{{ignored");
	write_file(dir, "partials/.nav.html.swp", "{{ignored");

	set = vg_tmpl_set_new();
	assert_non_null(set);
	if (vg_tmpl_set_load(set, dir, err, sizeof(err)) != VG_OK)
		fail_msg("load: %s", err);
	assert_true(vg_tmpl_exists(set, "page"));
	assert_true(vg_tmpl_exists(set, "partials/nav"));
	assert_true(vg_tmpl_exists(set, "partials/deep/a"));
	assert_false(vg_tmpl_exists(set, "notes"));
	assert_false(vg_tmpl_exists(set, "page.html"));
	got = render_rc(set, "page", NULL, 1, "{\"x\":\"<1>\"}");
	assert_non_null(got);
	assert_string_equal(got, "<nav:&lt;1&gt;!>\n");
	free(got);

	/* A syntax error names the file and the line. */
	write_file(dir, "partials/deep/bad.html", "ok\n{{#x}}\n");
	assert_int_equal(vg_tmpl_set_load(set, dir, err, sizeof(err)),
	    VG_EINVAL);
	snprintf(want, sizeof(want),
	    "%s/partials/deep/bad.html:2: unclosed section 'x'", dir);
	assert_string_equal(err, want);
	vg_tmpl_set_free(set);

	/* A missing directory. */
	set = vg_tmpl_set_new();
	assert_non_null(set);
	snprintf(path, sizeof(path), "%s/none", dir);
	assert_int_equal(vg_tmpl_set_load(set, path, err, sizeof(err)),
	    VG_EIO);
	assert_non_null(strstr(err, "/none: "));
	vg_tmpl_set_free(set);
	remove_tree(dir);
}

/* A part of digits indexes an array: {{#list.0}} means "not empty". */
static void
test_array_index(void **state)
{
	(void)state;
	check("{{#l.0}}some{{/l.0}}{{^l.0}}none{{/l.0}}", "{\"l\":[1]}", "some");
	check("{{#l.0}}some{{/l.0}}{{^l.0}}none{{/l.0}}", "{\"l\":[]}", "none");
	check("{{l.1.n}}", "{\"l\":[{\"n\":\"a\"},{\"n\":\"<b>\"}]}",
	    "&lt;b&gt;");
	check("[{{l.9}}][{{o.0}}]", "{\"l\":[1],\"o\":{\"0\":\"k\"}}", "[][k]");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_only),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_missing_and_null),
		cmocka_unit_test(test_dotted),
		cmocka_unit_test(test_stack_lookup),
		cmocka_unit_test(test_section_array_objects),
		cmocka_unit_test(test_section_array_scalars),
		cmocka_unit_test(test_section_object),
		cmocka_unit_test(test_section_truthy_scalars),
		cmocka_unit_test(test_falsy),
		cmocka_unit_test(test_numbers_booleans),
		cmocka_unit_test(test_nul_in_string),
		cmocka_unit_test(test_partials),
		cmocka_unit_test(test_partial_missing),
		cmocka_unit_test(test_partial_recursion),
		cmocka_unit_test(test_work_limit),
		cmocka_unit_test(test_gettext),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_many_templates),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_array_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
