/*
 * test_buf.c — the growable byte buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static void
test_init_empty(void **state)
{
	vg_buf b = VG_BUF_INIT;

	(void)state;
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_false(vg_buf_failed(&b));
	vg_buf_append(&b, "", 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	vg_buf_free(&b);
	assert_null(b.data);
}

static void
test_growth(void **state)
{
	vg_buf b = VG_BUF_INIT;
	char *expect;
	size_t i, n = 0;

	(void)state;
	expect = malloc(200000);
	assert_non_null(expect);
	for (i = 0; i < 8000; i++) {
		char tmp[64];
		int k;

		switch (i % 4) {
		case 0:
			vg_buf_append(&b, "abc\0def", 7);
			memcpy(expect + n, "abc\0def", 7);
			n += 7;
			break;
		case 1:
			vg_buf_puts(&b, "Élément ");
			memcpy(expect + n, "Élément ", strlen("Élément "));
			n += strlen("Élément ");
			break;
		case 2:
			vg_buf_putc(&b, (char)('a' + i % 26));
			expect[n++] = (char)('a' + i % 26);
			break;
		default:
			vg_buf_printf(&b, "[%zu:%s]", i, "x");
			k = snprintf(tmp, sizeof(tmp), "[%zu:%s]", i, "x");
			memcpy(expect + n, tmp, (size_t)k);
			n += (size_t)k;
			break;
		}
		/* Always NUL-terminated, and the length tracks every write. */
		assert_int_equal(b.len, n);
		assert_int_equal(b.data[b.len], '\0');
		assert_true(b.cap > b.len);
	}
	assert_true(n > 40000);
	assert_memory_equal(b.data, expect, n);
	assert_false(vg_buf_failed(&b));
	free(expect);
	vg_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

static void
test_big_printf(void **state)
{
	vg_buf b = VG_BUF_INIT;
	char *big = malloc(70001);
	size_t i;

	(void)state;
	assert_non_null(big);
	memset(big, 'q', 70000);
	big[70000] = '\0';
	vg_buf_puts(&b, "<");
	vg_buf_printf(&b, "%s|%d", big, 12345);
	assert_int_equal(b.len, 1 + 70000 + 6);
	assert_int_equal(b.data[0], '<');
	for (i = 1; i <= 70000; i++)
		assert_int_equal(b.data[i], 'q');
	assert_string_equal(b.data + 70001, "|12345");
	free(big);
	vg_buf_free(&b);
}

static void
put_html(vg_buf *b, const char *s)
{
	vg_buf_put_html(b, s, strlen(s));
}

static void
test_html(void **state)
{
	vg_buf b = VG_BUF_INIT;
	static const char utf[] = "Été à Noël — 😀 ☕";

	(void)state;
	put_html(&b, "a & b < c > d \" e ' f");
	assert_string_equal(b.data,
	    "a &amp; b &lt; c &gt; d &quot; e &#39; f");

	vg_buf_reset(&b);
	put_html(&b, "<script>alert('x')</script>");
	assert_string_equal(b.data,
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");

	vg_buf_reset(&b);
	put_html(&b, "&&<<>>");
	assert_string_equal(b.data, "&amp;&amp;&lt;&lt;&gt;&gt;");

	/* UTF-8 is kept byte for byte. */
	vg_buf_reset(&b);
	put_html(&b, utf);
	assert_string_equal(b.data, utf);

	vg_buf_reset(&b);
	put_html(&b, "«Café» & <thé>");
	assert_string_equal(b.data, "«Café» &amp; &lt;thé&gt;");

	/* Only the n first bytes are read. */
	vg_buf_reset(&b);
	vg_buf_put_html(&b, "ab<cd", 3);
	assert_string_equal(b.data, "ab&lt;");
	vg_buf_put_html(&b, "<", 0);
	assert_string_equal(b.data, "ab&lt;");

	/* Appends after what was there. */
	vg_buf_reset(&b);
	vg_buf_puts(&b, "<p>");
	put_html(&b, "1 < 2");
	vg_buf_puts(&b, "</p>");
	assert_string_equal(b.data, "<p>1 &lt; 2</p>");
	assert_int_equal(b.len, strlen("<p>1 &lt; 2</p>"));
	vg_buf_free(&b);
}

static void
test_reset(void **state)
{
	vg_buf b = VG_BUF_INIT;
	char *before;
	size_t cap;

	(void)state;
	vg_buf_reset(&b);               /* on an empty buffer: harmless */
	assert_null(b.data);
	assert_int_equal(b.len, 0);

	vg_buf_printf(&b, "%0500d", 7);
	assert_int_equal(b.len, 500);
	before = b.data;
	cap = b.cap;
	vg_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	/* Memory is kept. */
	assert_ptr_equal(b.data, before);
	assert_int_equal(b.cap, cap);
	vg_buf_puts(&b, "again");
	assert_string_equal(b.data, "again");
	assert_int_equal(b.len, 5);
	vg_buf_free(&b);
}

static void
test_detach(void **state)
{
	vg_buf b = VG_BUF_INIT;
	char *p;
	size_t len = 999;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		vg_buf_printf(&b, "%d,", i);
	p = vg_buf_detach(&b, &len);
	assert_non_null(p);
	assert_int_equal(len, strlen(p));
	assert_true(len > 3000);
	assert_memory_equal(p, "0,1,2,", 6);
	assert_memory_equal(p + len - 4, "999,", 4);
	/* The buffer is empty after and usable again. */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	vg_buf_puts(&b, "next");
	assert_string_equal(b.data, "next");
	assert_ptr_not_equal(b.data, p);
	free(p);                        /* the caller owns it */
	vg_buf_free(&b);

	/* NULL len is accepted. */
	vg_buf_puts(&b, "x");
	p = vg_buf_detach(&b, NULL);
	assert_string_equal(p, "x");
	free(p);
}

static void
test_detach_empty(void **state)
{
	vg_buf b = VG_BUF_INIT;
	char *p;
	size_t len = 42;

	(void)state;
	p = vg_buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);

	/* Emptied by reset: still "" and length 0. */
	vg_buf_puts(&b, "gone");
	vg_buf_reset(&b);
	len = 42;
	p = vg_buf_detach(&b, &len);
	assert_non_null(p);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
}

static void
test_failed_flag(void **state)
{
	vg_buf b = VG_BUF_INIT;
	char *p;

	(void)state;
	vg_buf_puts(&b, "abc");
	/* An impossible append marks the buffer failed and changes
	 * nothing; later appends are ignored; detach gives NULL. */
	vg_buf_append(&b, "x", SIZE_MAX - 1);
	assert_true(vg_buf_failed(&b));
	assert_int_equal(b.len, 3);
	vg_buf_puts(&b, "def");
	assert_int_equal(b.len, 3);
	p = vg_buf_detach(&b, NULL);
	assert_null(p);
	assert_null(b.data);
	assert_false(vg_buf_failed(&b));

	/* reset clears the flag too. */
	vg_buf_puts(&b, "abc");
	vg_buf_append(&b, "x", SIZE_MAX);
	assert_true(vg_buf_failed(&b));
	vg_buf_reset(&b);
	assert_false(vg_buf_failed(&b));
	vg_buf_puts(&b, "ok");
	assert_string_equal(b.data, "ok");
	vg_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_empty),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_big_printf),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_detach_empty),
		cmocka_unit_test(test_failed_flag),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
