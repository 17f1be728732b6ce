/*
 * test_orientation.c — the decision tree: its checks at load, the signed
 * state, the plan's selection and order, and the real tree of content/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/log.h"
#include "orientation/orientation.h"
#include "resources/resources.h"

static char share[256];
static const unsigned char key[32] = "0123456789abcdef0123456789abcdef";

static const char contacts_yaml[] =
    "contacts:\n"
    "  - id: police\n"
    "    nom: \"Police\"\n"
    "    numero: \"17\"\n"
    "    lien: \"tel:17\"\n"
    "    pour: \"Danger\"\n"
    "    accueil: 1\n"
    "  - id: aide\n"
    "    nom: \"Aide\"\n"
    "    pour: \"Soutien\"\n";

static const char good_tree[] =
    "debut: qui\n"
    "questions:\n"
    "  - id: qui\n"
    "    question: \"Qui ?\"\n"
    "    choix:\n"
    "      - valeur: victime\n"
    "        libelle: \"Victime\"\n"
    "        suite: danger\n"
    "      - valeur: temoin\n"
    "        libelle: \"Témoin\"\n"
    "  - id: danger\n"
    "    question: \"Danger ?\"\n"
    "    choix:\n"
    "      - valeur: oui\n"
    "        libelle: \"Oui\"\n"
    "      - valeur: non\n"
    "        libelle: \"Non\"\n"
    "plan:\n"
    "  - section: soutien\n"
    "    titre: \"Toujours\"\n"
    "    texte: \"Un.\\n\\nDeux.\"\n"
    "    contacts: [aide]\n"
    "  - section: maintenant\n"
    "    si: [danger.oui]\n"
    "    titre: \"Appelez\"\n"
    "    texte: \"Tout de suite.\"\n"
    "    contacts: [police, aide]\n"
    "    ressources: [fiche-test]\n"
    "  - section: preuves\n"
    "    si_un: [qui.temoin, danger.non]\n"
    "    sauf: [qui.victime]\n"
    "    titre: \"Témoin sans victime\"\n"
    "    texte: \"Texte.\"\n";

static void
write_file(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", share, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int
setup(void **state)
{
	char p[512];

	(void)state;
	vg_log_set_level(VG_LOG_ERROR);
	snprintf(share, sizeof(share), "/tmp/vigie-test-orient-XXXXXX");
	if (mkdtemp(share) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/content", share);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/content/resources", share);
	mkdir(p, 0700);
	write_file("content/resources/themes.yaml",
	    "themes:\n  - code: preuves\n    label: \"Preuves\"\n");
	write_file("content/resources/fiche-test.md",
	    "---\ntitle: \"Fiche\"\nsummary: \"Résumé.\"\naudience: public\n"
	    "kind: fiche\nthemes: [preuves]\nupdated: 2026-11-23\n---\n\nCorps.\n");
	write_file("content/contacts.yaml", contacts_yaml);
	return resources_content_check(share, p, sizeof(p)) == VG_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	orientation_free();
	resources_content_free();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", share);
	return system(cmd) == 0 ? 0 : -1;
}

/* Load a tree; the error message, if any, in err. */
static vg_rc
load(const char *tree, char *err, size_t errlen, long *paths)
{
	write_file("content/orientation.yaml", tree);
	err[0] = '\0';
	return orientation_load(share, paths, err, errlen);
}

static void
test_good_tree(void **state)
{
	char err[512];
	long paths = 0;
	orient_answers ans;
	json_t *step;

	(void)state;
	assert_int_equal(load(good_tree, err, sizeof(err), &paths), VG_OK);
	assert_int_equal(paths, 3);      /* témoin; victime+oui; victime+non */

	memset(&ans, 0, sizeof(ans));
	step = orientation_next_step(&ans);
	assert_string_equal(json_string_value(json_object_get(step, "id")),
	    "qui");
	assert_int_equal(json_array_size(json_object_get(step, "choices")), 2);
	json_decref(step);
	assert_int_equal(orientation_answer(&ans, "nope"), VG_EINVAL);
	assert_int_equal(orientation_answer(&ans, "victime"), VG_OK);
	step = orientation_next_step(&ans);
	assert_string_equal(json_string_value(json_object_get(step, "id")),
	    "danger");
	json_decref(step);
	assert_int_equal(orientation_answer(&ans, "oui"), VG_OK);
	assert_null(orientation_next_step(&ans));
	/* Complete: no further answer is taken. */
	assert_int_equal(orientation_answer(&ans, "oui"), VG_EINVAL);
}

static void
test_plan_selection_and_order(void **state)
{
	char err[512];
	orient_answers ans;
	json_t *plan, *a, *c;

	(void)state;
	assert_int_equal(load(good_tree, err, sizeof(err), NULL), VG_OK);
	memset(&ans, 0, sizeof(ans));
	orientation_answer(&ans, "victime");
	orientation_answer(&ans, "oui");
	plan = orientation_plan(&ans, VG_ROLE_PUBLIC);
	a = json_object_get(plan, "actions");
	/* "maintenant" before "soutien", whatever the file order; the
	 * witness block is excluded by sauf. */
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 0), "title")), "Appelez");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 1), "title")), "Toujours");
	/* Contacts in order of first appearance, once each. */
	c = json_object_get(plan, "contacts");
	assert_int_equal(json_array_size(c), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(c, 0), "name")), "Police");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(c, 0), "phone")), "17");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(c, 1), "name")), "Aide");
	/* Paragraphs split on blank lines. */
	assert_int_equal(json_array_size(json_object_get(json_array_get(
	    json_object_get(json_array_get(json_object_get(plan, "sections"),
	    1), "actions"), 0), "paragraphs")), 2);
	json_decref(plan);

	/* si_un: the witness gets the block. */
	memset(&ans, 0, sizeof(ans));
	orientation_answer(&ans, "temoin");
	plan = orientation_plan(&ans, VG_ROLE_PUBLIC);
	a = json_object_get(plan, "actions");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 0), "section")), "preuves");
	json_decref(plan);
}

static void
test_state(void **state)
{
	char err[512];
	orient_answers ans, back;
	vg_arena *a = vg_arena_new();
	const char *s;
	char *bad;
	unsigned char other[32] = {0};

	(void)state;
	assert_int_equal(load(good_tree, err, sizeof(err), NULL), VG_OK);
	memset(&ans, 0, sizeof(ans));
	orientation_answer(&ans, "victime");
	orientation_answer(&ans, "non");
	s = orientation_state_encode(a, key, &ans);
	assert_non_null(s);
	assert_int_equal(orientation_state_decode(a, key, s, &back), VG_OK);
	assert_int_equal(back.n, 2);
	assert_string_equal(back.question[1], "danger");
	assert_string_equal(back.value[1], "non");
	/* Empty: the start. */
	assert_int_equal(orientation_state_decode(a, key, "", &back), VG_OK);
	assert_int_equal(back.n, 0);
	/* One changed character, another key, garbage: refused. */
	bad = vg_arena_strdup(a, s);
	bad[strlen("qui=victime,danger=")] = 'o';
	assert_int_equal(orientation_state_decode(a, key, bad, &back),
	    VG_EINVAL);
	assert_int_equal(orientation_state_decode(a, other, s, &back),
	    VG_EINVAL);
	assert_int_equal(orientation_state_decode(a, key, "n'importe quoi",
	    &back), VG_EINVAL);
	assert_int_equal(orientation_state_decode(a, key, ".", &back),
	    VG_EINVAL);
	/* Well signed, but not a path of today's tree. */
	memset(&back, 0, sizeof(back));
	back.n = 1;
	back.question[0] = "danger";
	back.value[0] = "oui";
	s = orientation_state_encode(a, key, &back);
	assert_int_equal(orientation_state_decode(a, key, s, &back),
	    VG_EINVAL);
	vg_arena_free(a);
}

static void
expect_error(const char *tree, const char *needle)
{
	char err[512];

	assert_int_equal(load(tree, err, sizeof(err), NULL), VG_EINVAL);
	if (strstr(err, needle) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", needle, err);
}

static char *
replace(const char *s, const char *from, const char *to)
{
	static char out[8192];
	const char *at = strstr(s, from);

	assert_non_null(at);
	snprintf(out, sizeof(out), "%.*s%s%s", (int)(at - s), s, to,
	    at + strlen(from));
	return out;
}

static void
test_errors_name_file_and_line(void **state)
{
	(void)state;
	/* Unknown "suite": the choice's line (line 7). */
	expect_error(replace(good_tree, "suite: danger", "suite: dangre"),
	    "orientation.yaml:6:");
	expect_error(replace(good_tree, "suite: danger", "suite: dangre"),
	    "« dangre »");
	/* A question nobody reaches. */
	expect_error(replace(good_tree, "        suite: danger\n", ""),
	    "jamais posée");
	/* A loop. */
	expect_error(replace(good_tree, "        libelle: \"Oui\"\n",
	    "        libelle: \"Oui\"\n        suite: qui\n"), "boucle");
	/* Unknown contact, fact, resource, section. */
	expect_error(replace(good_tree, "contacts: [aide]", "contacts: [aid]"),
	    "contact inconnu « aid »");
	expect_error(replace(good_tree, "si: [danger.oui]", "si: [danger.si]"),
	    "condition inconnue « danger.si »");
	expect_error(replace(good_tree, "ressources: [fiche-test]",
	    "ressources: [fiche-absente]"), "ressource inconnue");
	expect_error(replace(good_tree, "section: preuves", "section: plus"),
	    "« section »");
	/* A path without contact: the témoin path loses its only contact
	 * block when "Toujours" is limited to victims. */
	expect_error(replace(good_tree, "  - section: soutien\n",
	    "  - section: soutien\n    si: [qui.victime]\n"),
	    "le parcours qui.temoin ne mène à aucun");
	/* Duplicate value. */
	expect_error(replace(good_tree, "valeur: non", "valeur: oui"),
	    "en double");
	/* YAML syntax: file:line:column from the parser. */
	expect_error("debut: [\n", "orientation.yaml:");
}

static void
test_real_tree(void **state)
{
	char err[1024];
	long paths = 0;

	(void)state;
	orientation_free();
	assert_int_equal(resources_content_check(VIGIE_SRCDIR, err,
	    sizeof(err)), VG_OK);
	if (orientation_load(VIGIE_SRCDIR, &paths, err, sizeof(err)) != VG_OK)
		fail_msg("content/orientation.yaml: %s", err);
	/* Every path was walked and checked by the load itself. */
	assert_true(paths > 100);
	/* Restore the small share for any later test. */
	assert_int_equal(resources_content_check(share, err, sizeof(err)),
	    VG_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_tree),
		cmocka_unit_test(test_plan_selection_and_order),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_real_tree),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
