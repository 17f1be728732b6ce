/*
 * test_when.c — dates read and times written the one way Vigie does.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/when.h"

static void
test_parse_real_days(void **state)
{
	int64_t t = 0;

	(void)state;
	assert_true(vg_date_parse("2026-11-23", &t));
	assert_int_equal(t, 1795392000);
	assert_true(vg_date_parse("2024-02-29", &t));       /* leap year */
	assert_true(vg_date_parse("1970-01-01", &t));
	assert_int_equal(t, 0);
}

static void
test_parse_refuses(void **state)
{
	static const char *bad[] = {"2026-02-30", "2025-02-29", "2026-04-31",
	    "2026-13-01", "2026-00-10", "2026-1-5", "2026-11-23x",
	    "2026/11/23", "", "23-11-2026", "2026-11-00", " 2026-11-23"};
	int64_t t = 42;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (vg_date_parse(bad[i], &t))
			fail_msg("accepted \"%s\"", bad[i]);
	assert_false(vg_date_parse(NULL, &t));
	assert_int_equal(t, 42);        /* untouched on refusal */
}

static void
test_time_text(void **state)
{
	char out[32];

	(void)state;
	vg_time_text(1795392000 + 3600 + 2 * 60 + 3, "%Y-%m-%d %H:%M:%S", out,
	    sizeof(out));
	assert_string_equal(out, "2026-11-23 01:02:03");
	/* Too small a buffer gives "", never a cut date. */
	vg_time_text(0, "%Y-%m-%d", out, 5);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_real_days),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_time_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
