/*
 * test_search.c — French full-text search over the real starter sheets:
 * accents and endings ignored, ranking, excerpts, access levels, and
 * queries that try FTS5 syntax.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db/db.h"
#include "db/fts.h"
#include "resources/resources.h"

static char dir[256];

static int
setup(void **state)
{
	char p[512], err[512];
	int added = 0;

	(void)state;
	vg_log_set_level(VG_LOG_ERROR);
	snprintf(dir, sizeof(dir), "/tmp/vigie-test-search-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(p, sizeof(p), "%s/vigie.db", dir);
	vg_db_set_thread_path(p);
	if (vg_db_thread() == NULL ||
	    vg_db_migrate(vg_db_thread(), VIGIE_SRCDIR "/sql") != VG_OK ||
	    resources_content_check(VIGIE_SRCDIR, err, sizeof(err)) != VG_OK ||
	    resources_content_sync(VIGIE_SRCDIR, &added, err, sizeof(err)) !=
	    VG_OK || added < 15) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	resources_content_free();
	vg_db_thread_close();
	vg_db_set_thread_path(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Whether a result's title contains needle; its rank in *rank. */
static bool
found(json_t *results, const char *needle, size_t *rank)
{
	size_t i;
	json_t *r;

	json_array_foreach(results, i, r)
		if (strstr(json_string_value(json_object_get(r, "title")),
		    needle) != NULL) {
			if (rank != NULL)
				*rank = i;
			return true;
		}
	return false;
}

static json_t *
search(const char *q, vg_role role)
{
	json_t *out = NULL;

	assert_int_equal(resources_search(q, NULL, NULL, NULL, role, &out),
	    VG_OK);
	assert_non_null(out);
	return out;
}

static void
test_fold_accents(void **state)
{
	char out[64];

	(void)state;
	vg_fold_accents("harcèlement", strlen("harcèlement"), out);
	assert_string_equal(out, "harcelement");
	vg_fold_accents("cœur ça où été", strlen("cœur ça où été"), out);
	assert_string_equal(out, "coeur ca ou ete");
}

static void
test_accents_and_endings(void **state)
{
	static const char *queries[] = {"harcèlement", "harcelement",
	    "harceler", "HARCÈLEMENTS", "harcelé"};
	size_t i, rank;
	json_t *r;

	(void)state;
	for (i = 0; i < VG_ARRAY_LEN(queries); i++) {
		r = search(queries[i], VG_ROLE_PUBLIC);
		if (!found(r, "Harcèlement en ligne", &rank))
			fail_msg("« %s » does not find the harassment sheet",
			    queries[i]);
		/* Its own title matches: it comes first. */
		assert_int_equal(rank, 0);
		json_decref(r);
	}
	r = search("preuve", VG_ROLE_PUBLIC);
	assert_true(found(r, "Garder des preuves", NULL));
	json_decref(r);
	r = search("logiciel espion", VG_ROLE_PUBLIC);
	assert_true(found(r, "espion", NULL));
	json_decref(r);
}

static void
test_excerpt_marks_hits(void **state)
{
	json_t *r = search("sextorsion", VG_ROLE_PUBLIC), *parts, *p;
	size_t i;
	bool hit = false;

	(void)state;
	assert_true(json_array_size(r) > 0);
	parts = json_object_get(json_array_get(r, 0), "excerpt");
	json_array_foreach(parts, i, p)
		if (json_is_true(json_object_get(p, "hit"))) {
			hit = true;
			assert_non_null(strcasestr(json_string_value(
			    json_object_get(p, "text")), "sextorsion"));
		}
	assert_true(hit);
	json_decref(r);
}

static void
test_access_levels(void **state)
{
	json_t *pub, *pro;
	size_t i;
	json_t *r;

	(void)state;
	/* A word of a professional sheet's title. */
	pub = search("entretien", VG_ROLE_PUBLIC);
	pro = search("entretien", VG_ROLE_PROFESSIONAL);
	json_array_foreach(pub, i, r)
		assert_string_equal(json_string_value(json_object_get(r,
		    "audience")), "public");
	assert_true(json_array_size(pro) > json_array_size(pub));
	json_decref(pub);
	json_decref(pro);
	/* Listing without a query too. */
	pub = search(NULL, VG_ROLE_PUBLIC);
	pro = search(NULL, VG_ROLE_PROFESSIONAL);
	assert_true(json_array_size(pro) > json_array_size(pub));
	json_array_foreach(pub, i, r)
		assert_null(json_object_get(r, "professional"));
	json_decref(pub);
	json_decref(pro);
	/* Looking up by slug obeys the same rule. */
	assert_int_equal(resources_lookup("accompagner-un-jeune",
	    VG_ROLE_PUBLIC, &r), VG_ENOTFOUND);
	assert_int_equal(resources_lookup("accompagner-un-jeune",
	    VG_ROLE_PROFESSIONAL, &r), VG_OK);
	json_decref(r);
}

static void
test_filters(void **state)
{
	json_t *out = NULL, *r;
	size_t i;

	(void)state;
	assert_int_equal(resources_search(NULL, NULL, "modele", NULL,
	    VG_ROLE_PUBLIC, &out), VG_OK);
	assert_true(json_array_size(out) >= 1);
	json_array_foreach(out, i, r)
		assert_string_equal(json_string_value(json_object_get(r,
		    "kind")), "modele");
	json_decref(out);
	assert_int_equal(resources_search("données", "preuves", NULL, NULL,
	    VG_ROLE_PUBLIC, &out), VG_OK);
	json_array_foreach(out, i, r) {
		char *t = json_dumps(json_object_get(r, "themes"), 0);

		assert_non_null(strstr(t, "\"preuves\""));
		free(t);
	}
	json_decref(out);
}

static void
test_hostile_queries(void **state)
{
	static const char *queries[] = {"\"", "*", "NEAR(a b)", "a OR b",
	    "-harcèlement", "title:x", "(((", "^", "a AND", "'; DROP TABLE",
	    "   ", "€€€", "harcèlement\"*"};
	size_t i;
	json_t *r;

	(void)state;
	for (i = 0; i < VG_ARRAY_LEN(queries); i++) {
		r = search(queries[i], VG_ROLE_PUBLIC);
		json_decref(r);
	}
	/* Still intact. */
	r = search("harcèlement", VG_ROLE_PUBLIC);
	assert_true(json_array_size(r) > 0);
	json_decref(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_accents),
		cmocka_unit_test(test_accents_and_endings),
		cmocka_unit_test(test_excerpt_marks_hits),
		cmocka_unit_test(test_access_levels),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_hostile_queries),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
