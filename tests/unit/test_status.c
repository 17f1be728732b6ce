/*
 * test_status.c — result codes to HTTP statuses, names and messages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/vg.h"
#include "http/status.h"

static const struct {
	vg_rc rc;
	unsigned status;
	const char *name;
} expect[] = {
	{VG_OK, 200, "ok"},
	{VG_EINVAL, 400, "invalid"},
	{VG_EAUTH, 401, "unauthenticated"},
	{VG_EDENIED, 403, "forbidden"},
	{VG_ECSRF, 403, "csrf"},
	{VG_ENOTFOUND, 404, "not_found"},
	{VG_EMETHOD, 405, "method_not_allowed"},
	{VG_ECONFLICT, 409, "conflict"},
	{VG_EGONE, 410, "gone"},
	{VG_ETOOBIG, 413, "too_large"},
	{VG_EMEDIA, 415, "unsupported_media_type"},
	{VG_ETHROTTLE, 429, "too_many_attempts"},
	{VG_ENOMEM, 500, "out_of_memory"},
	{VG_EDB, 500, "storage"},
	{VG_EIO, 500, "io"},
	{VG_EINTERNAL, 500, "internal"},
};

static void
test_every_code_listed(void **state)
{
	(void)state;
	/* A new code must be added here (and to status.c). */
	assert_int_equal(sizeof(expect) / sizeof(expect[0]), VG_RC_COUNT);
}

static void
test_status(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		if (vg_rc_status(expect[i].rc) != expect[i].status)
			fail_msg("%s: %u, not %u", expect[i].name,
			    vg_rc_status(expect[i].rc), expect[i].status);
}

static void
test_names(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		const char *n = vg_rc_name(expect[i].rc);

		assert_non_null(n);
		assert_string_equal(n, expect[i].name);
		/* Machine-readable: lower case and underscores. */
		for (j = 0; n[j] != '\0'; j++)
			assert_true((n[j] >= 'a' && n[j] <= 'z') || n[j] == '_');
		/* Distinct. */
		for (j = 0; j < i; j++)
			assert_string_not_equal(n, vg_rc_name(expect[j].rc));
	}
}

static void
test_messages(void **state)
{
	int rc;

	(void)state;
	for (rc = 0; rc < VG_RC_COUNT; rc++) {
		const char *m = vg_rc_message((vg_rc)rc);

		assert_non_null(m);
		assert_true(strlen(m) > 5);
	}
	/* The two 403s speak differently. */
	assert_string_not_equal(vg_rc_message(VG_EDENIED),
	    vg_rc_message(VG_ECSRF));
}

static void
test_out_of_range(void **state)
{
	static const int bad[] = {VG_RC_COUNT, VG_RC_COUNT + 1, 999, -1,
	    -1000};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vg_rc rc = (vg_rc)bad[i];

		assert_int_equal(vg_rc_status(rc), 500);
		assert_string_equal(vg_rc_name(rc), "internal");
		assert_non_null(vg_rc_message(rc));
		assert_string_equal(vg_rc_message(rc),
		    vg_rc_message(VG_EINTERNAL));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code_listed),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
