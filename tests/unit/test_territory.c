/*
 * test_territory.c — the official territories, read from the npm package
 * installed in the source tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "core/territory.h"

static int
setup(void **state)
{
	char err[512];

	(void)state;
	if (vg_territory_load(VIGIE_SRCDIR, err, sizeof(err)) != VG_OK) {
		print_error("%s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	vg_territory_free();
	return 0;
}

static void
test_departements(void **state)
{
	const vg_dept *d;
	size_t i, overseas = 0;

	(void)state;
	/* 96 metropolitan départements (with 2A and 2B) and 5 overseas. */
	assert_int_equal(vg_dept_count(), 101);
	for (i = 0; i < vg_dept_count(); i++)
		overseas += vg_dept_at(i)->overseas;
	assert_int_equal(overseas, 5);
	assert_null(vg_dept_at(101));
	d = vg_dept_get("42");
	assert_non_null(d);
	assert_string_equal(d->name, "Loire");
	/* Populations come from the communes: the Loire has ~770,000. */
	assert_true(d->population > 700000 && d->population < 850000);
	assert_string_equal(vg_dept_get("2A")->name, "Corse-du-Sud");
	assert_true(vg_dept_get("974")->overseas);
	assert_null(vg_dept_get("20"));         /* no more "20" since 1976 */
	assert_null(vg_dept_get("975"));        /* a collectivity, not a dept */
	assert_null(vg_dept_get("99"));
	assert_null(vg_dept_get(""));
	assert_null(vg_dept_get("12345678"));
	assert_null(vg_dept_get(NULL));
}

static void
test_dept_find(void **state)
{
	(void)state;
	assert_string_equal(vg_dept_find("42")->code, "42");
	assert_string_equal(vg_dept_find(" 1 ")->code, "01");   /* Excel */
	assert_string_equal(vg_dept_find("2a")->code, "2A");
	assert_string_equal(vg_dept_find("loire")->code, "42");
	assert_string_equal(vg_dept_find("Ardeche")->code, "07");
	assert_string_equal(vg_dept_find("CÔTES D’ARMOR")->code, "22");
	assert_string_equal(vg_dept_find("Seine-Saint-Denis")->code, "93");
	assert_null(vg_dept_find("Loir"));
	assert_null(vg_dept_find("0"));
	assert_null(vg_dept_find("   "));
	assert_null(vg_dept_find("420"));
}

static void
test_communes(void **state)
{
	const vg_commune *c, *const *list;
	size_t n, i;

	(void)state;
	c = vg_commune_get("42218");
	assert_non_null(c);
	assert_string_equal(c->name, "Saint-Étienne");
	assert_string_equal(c->dept, "42");
	assert_true(c->population > 150000);
	assert_string_equal(vg_commune_get("13201")->dept, "13");
	assert_null(vg_commune_get("99999"));
	assert_string_equal(vg_commune_find("42", "saint etienne")->code,
	    "42218");
	assert_string_equal(vg_commune_find("42", "42218")->code, "42218");
	/* A code whose leading zero a spreadsheet dropped. */
	assert_string_equal(vg_commune_find("01", "1053")->name,
	    "Bourg-en-Bresse");
	/* A real commune, but of another département. */
	assert_null(vg_commune_find("43", "Saint-Étienne"));
	assert_null(vg_commune_find("43", "42218"));
	assert_null(vg_commune_find("99", "42218"));
	list = vg_communes_of("42", &n);
	assert_true(n > 300 && n < 400);
	for (i = 0; i < n; i++)
		assert_string_equal(list[i]->dept, "42");
	/* In name order with accents folded: "Écoche" among the E's. */
	assert_int_equal(list[0]->name[0], 'A');
	for (i = 0; i < n && strcmp(list[i]->name, "Écoche") != 0; i++)
		;
	assert_true(i > 0 && i + 1 < n);
	assert_true(list[i - 1]->name[0] <= 'E');
	assert_true(list[i + 1]->name[0] == 'E' ||
	    strncmp(list[i + 1]->name, "É", 2) == 0);
	assert_null(vg_communes_of("00", &n));
	assert_int_equal(n, 0);
}

static void
test_missing_data(void **state)
{
	char err[512];

	(void)state;
	assert_int_equal(vg_territory_load("/nonexistent", err, sizeof(err)),
	    VG_EIO);
	assert_non_null(strstr(err, "npm ci"));
	assert_null(vg_dept_get("42"));
	/* Load again for the other tests' teardown. */
	assert_int_equal(vg_territory_load(VIGIE_SRCDIR, err, sizeof(err)),
	    VG_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_departements),
		cmocka_unit_test(test_dept_find),
		cmocka_unit_test(test_communes),
		cmocka_unit_test(test_missing_data),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
