/*
 * test_annual.c — the annual report's French numbers: decimal comma,
 * thousands apart from 10 000 with a no-break space, signs, percentages
 * and durations, and outputs that never overrun their buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "barometer/annual_int.h"

#define NBSP "\xc2\xa0"

static void
number(double v, int decimals, int sign, const char *want)
{
	char out[64];

	annual_fmt_number(v, decimals, sign, out, sizeof(out));
	assert_string_equal(out, want);
}

static void
test_numbers(void **state)
{
	(void)state;
	number(0, 0, 0, "0");
	number(3.25, 1, 0, "3,2");      /* printf's rounding of 3.25 */
	number(44.4444, 1, 0, "44,4");
	number(1234, 0, 0, "1234");     /* four digits stay together */
	number(12345.678, 2, 0, "12" NBSP "345,68");
	number(1234567, 0, 0, "1" NBSP "234" NBSP "567");
	number(-14.06, 1, 0, "-14,1");
	number(19.44, 1, 1, "+19,4");
	/* What rounds to zero has no sign. */
	number(-0.01, 1, 1, "0,0");
	number(0.0, 1, 1, "0,0");
	number(NAN, 1, 0, "?");
	number(INFINITY, 0, 0, "?");
}

static void
test_percent_and_hours(void **state)
{
	char out[64];

	(void)state;
	annual_fmt_percent(8.0 / 18.0, out, sizeof(out));
	assert_string_equal(out, "44,4" NBSP "%");
	annual_fmt_percent(1.0, out, sizeof(out));
	assert_string_equal(out, "100,0" NBSP "%");
	annual_fmt_hours(0.5, out, sizeof(out));
	assert_string_equal(out, "30" NBSP "min");
	annual_fmt_hours(10, out, sizeof(out));
	assert_string_equal(out, "10,0" NBSP "h");
	annual_fmt_hours(72, out, sizeof(out));
	assert_string_equal(out, "3,0" NBSP "jours");
}

static void
test_small_buffers(void **state)
{
	char out[8];
	size_t n;

	(void)state;
	/* Cut, never overrun, and always terminated. */
	for (n = 1; n <= sizeof(out); n++) {
		memset(out, 'x', sizeof(out));
		annual_fmt_number(-1234567.5, 1, 0, out, n);
		assert_true(memchr(out, '\0', n) != NULL);
		annual_fmt_percent(0.123, out, n);
		assert_true(memchr(out, '\0', n) != NULL);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_percent_and_hours),
		cmocka_unit_test(test_small_buffers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
