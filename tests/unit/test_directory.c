/*
 * test_directory.c — the checks of an actor's fields: official territories,
 * vocabularies by code or label, phone numbers as French spreadsheets
 * leave them, e-mail addresses, websites.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/territory.h"
#include "directory/directory_int.h"
#include "resources/resources.h"

static vg_arena *arena;

static int
setup(void **state)
{
	char err[512];

	(void)state;
	if (vg_territory_load(VIGIE_SRCDIR, err, sizeof(err)) != VG_OK ||
	    resources_content_check(VIGIE_SRCDIR, err, sizeof(err)) != VG_OK) {
		print_error("%s\n", err);
		return -1;
	}
	arena = vg_arena_new();
	return arena == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	vg_arena_free(arena);
	resources_content_free();
	vg_territory_free();
	return 0;
}

/* Check one actor with the minimum fields and one field set. */
static vg_rc
check_one(enum actor_field f, const char *value, const char **out_value,
    enum actor_field *bad)
{
	const char *v[AF_COUNT] = {NULL}, *out[AF_COUNT], *why = NULL;
	vg_rc rc;

	v[AF_NAME] = "Association test";
	v[AF_KIND] = "association";
	v[AF_DEPT] = "42";
	v[f] = value;
	rc = actor_check(arena, v, out, &why, bad);
	if (rc == VG_OK)
		*out_value = out[f];
	else
		assert_non_null(why);
	return rc;
}

static void
ok_as(enum actor_field f, const char *in, const char *want)
{
	const char *got = NULL;
	enum actor_field bad;

	if (check_one(f, in, &got, &bad) != VG_OK)
		fail_msg("« %s » refused (field %d)", in, (int)bad);
	if (want == NULL)
		assert_null(got);
	else
		assert_string_equal(got, want);
}

static void
refused(enum actor_field f, const char *in)
{
	const char *got = NULL;
	enum actor_field bad;

	if (check_one(f, in, &got, &bad) == VG_OK)
		fail_msg("« %s » accepted as « %s »", in, got ? got : "(null)");
	assert_int_equal(bad, f);
}

static void
test_phone(void **state)
{
	(void)state;
	ok_as(AF_PHONE, "0477123456", "04 77 12 34 56");
	ok_as(AF_PHONE, "04.77.12.34.56", "04 77 12 34 56");
	ok_as(AF_PHONE, "477123456", "04 77 12 34 56");   /* Excel ate the 0 */
	ok_as(AF_PHONE, "+33 4 77 12 34 56", "+33 4 77 12 34 56");
	ok_as(AF_PHONE, "0033477123456", "+33 4 77 12 34 56");
	ok_as(AF_PHONE, "+32 2 123 45 67", "+3221234567");
	ok_as(AF_PHONE, "3018", "3018");
	ok_as(AF_PHONE, "17", "17");
	ok_as(AF_PHONE, "116 006", "116006");
	ok_as(AF_PHONE, "  ", NULL);                      /* empty: none */
	refused(AF_PHONE, "12");
	refused(AF_PHONE, "04 77 12");
	refused(AF_PHONE, "00 12");
	refused(AF_PHONE, "appelez-nous");
	refused(AF_PHONE, "+33");
	refused(AF_PHONE, "04 77 12 34 56 78 90 12 34");
}

static void
test_email_website(void **state)
{
	(void)state;
	ok_as(AF_EMAIL, "Contact@Exemple.FR", "Contact@exemple.fr");
	ok_as(AF_EMAIL, "a.b+c@sous.domaine.fr", "a.b+c@sous.domaine.fr");
	refused(AF_EMAIL, "contact@");
	refused(AF_EMAIL, "@exemple.fr");
	refused(AF_EMAIL, "a b@exemple.fr");
	refused(AF_EMAIL, "a@b@exemple.fr");
	refused(AF_EMAIL, "contact@exemple");
	refused(AF_EMAIL, "contact@exemple..fr");
	ok_as(AF_WEBSITE, "www.exemple.fr", "https://www.exemple.fr");
	ok_as(AF_WEBSITE, "http://exemple.fr/page?x=1", "http://exemple.fr/page?x=1");
	refused(AF_WEBSITE, "javascript:alert(1)");
	refused(AF_WEBSITE, "ftp://exemple.fr");
	refused(AF_WEBSITE, "https://");
	refused(AF_WEBSITE, "https://exemple");
	refused(AF_WEBSITE, "https://exemple.fr/a b");
	refused(AF_WEBSITE, "https://exemple.fr/\"><script>");
}

static void
test_places(void **state)
{
	(void)state;
	ok_as(AF_DEPT, "2a", "2A");
	ok_as(AF_DEPT, "Loire", "42");
	ok_as(AF_DEPT, "1", "01");
	refused(AF_DEPT, "99");
	refused(AF_DEPT, "20");
	ok_as(AF_COMMUNE, "Saint-Étienne", "42218");
	ok_as(AF_COMMUNE, "42218", "42218");
	refused(AF_COMMUNE, "Lyon");            /* not in the Loire */
	refused(AF_COMMUNE, "69123");
}

static void
test_vocabularies(void **state)
{
	(void)state;
	ok_as(AF_KIND, "Police ou gendarmerie", "police-gendarmerie");
	ok_as(AF_KIND, "justice", "justice");
	refused(AF_KIND, "secte");
	ok_as(AF_THEMES, "harcelement, Images intimes|droit", "harcelement "
	    "images-intimes droit");
	ok_as(AF_THEMES, "harcelement, harcelement", "harcelement");
	refused(AF_THEMES, "harcelement, astrologie");
	ok_as(AF_PUBLICS, "Mineur·es; femmes", "mineurs femmes");
	refused(AF_PUBLICS, "martiens");
	ok_as(AF_PRO_ONLY, "telephone, email, Site web, adresse",
	    "phone email website address");
	refused(AF_PRO_ONLY, "horaires");
}

static void
test_required_and_lengths(void **state)
{
	const char *v[AF_COUNT] = {NULL}, *out[AF_COUNT], *why = NULL;
	enum actor_field bad;
	char big[2100];

	(void)state;
	v[AF_KIND] = "association";
	v[AF_DEPT] = "42";
	assert_int_equal(actor_check(arena, v, out, &why, &bad), VG_EINVAL);
	assert_int_equal(bad, AF_NAME);
	assert_non_null(strstr(why, "obligatoire"));
	v[AF_NAME] = "  ";
	assert_int_equal(actor_check(arena, v, out, &why, &bad), VG_EINVAL);
	assert_int_equal(bad, AF_NAME);
	v[AF_NAME] = " Nom ";
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	v[AF_DESCRIPTION] = big;
	assert_int_equal(actor_check(arena, v, out, &why, &bad), VG_EINVAL);
	assert_int_equal(bad, AF_DESCRIPTION);
	assert_non_null(strstr(why, "trop long"));
	v[AF_DESCRIPTION] = "Bien \xff";
	assert_int_equal(actor_check(arena, v, out, &why, &bad), VG_EINVAL);
	assert_int_equal(bad, AF_DESCRIPTION);
	v[AF_DESCRIPTION] = NULL;
	assert_int_equal(actor_check(arena, v, out, &why, &bad), VG_OK);
	assert_string_equal(out[AF_NAME], "Nom");
	assert_string_equal(out[AF_THEMES], "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_email_website),
		cmocka_unit_test(test_places),
		cmocka_unit_test(test_vocabularies),
		cmocka_unit_test(test_required_and_lengths),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
