/*
 * test_router.c — matching paths against patterns and finding routes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "http/router.h"

/* Match path against pattern with a scratch buffer of the path's size. */
static bool
match(const char *pattern, const char *path, const char *params[])
{
	static char buf[512];

	assert_true(strlen(path) < sizeof(buf));
	memset(buf, '#', sizeof(buf));
	return vg_route_match(pattern, path, buf, params);
}

static void
test_match_literal(void **state)
{
	const char *params[VG_MAX_PARAMS];

	(void)state;
	assert_true(match("/", "/", params));
	assert_null(params[0]);
	assert_true(match("/connexion", "/connexion", params));
	assert_true(match("/admin/comptes", "/admin/comptes", params));
	assert_null(params[0]);
	assert_null(params[VG_MAX_PARAMS - 1]);
	assert_false(match("/connexion", "/connexio", params));
	assert_false(match("/connexion", "/connexionx", params));
	assert_false(match("/connexion", "/Connexion", params));
	assert_false(match("/", "", params));
	assert_false(match("/a", "/b", params));
	assert_false(match("/", "/a", params));
}

static void
test_match_params(void **state)
{
	const char *params[VG_MAX_PARAMS];
	static const char path[] = "/admin/comptes/42";

	(void)state;
	assert_true(match("/admin/comptes/:id", path, params));
	assert_non_null(params[0]);
	assert_string_equal(params[0], "42");
	assert_null(params[1]);
	/* The path itself is untouched. */
	assert_string_equal(path, "/admin/comptes/42");

	assert_true(match("/a/:x/b/:y", "/a/un/b/deux", params));
	assert_string_equal(params[0], "un");
	assert_string_equal(params[1], "deux");
	assert_null(params[2]);

	assert_true(match("/a/:x/edit", "/a/7/edit", params));
	assert_string_equal(params[0], "7");
	assert_false(match("/a/:x/edit", "/a/7/view", params));

	assert_true(match("/:a/:b/:c/:d", "/1/2/3/4", params));
	assert_string_equal(params[0], "1");
	assert_string_equal(params[1], "2");
	assert_string_equal(params[2], "3");
	assert_string_equal(params[3], "4");
	/* More parameters than the request can hold. */
	assert_false(match("/:a/:b/:c/:d/:e", "/1/2/3/4/5", params));

	/* A parameter takes any non-empty segment, UTF-8 and dots included. */
	assert_true(match("/f/:name", "/f/été.json", params));
	assert_string_equal(params[0], "été.json");
}

static void
test_match_mismatches(void **state)
{
	const char *params[VG_MAX_PARAMS];

	(void)state;
	/* Trailing slash in either. */
	assert_false(match("/comptes", "/comptes/", params));
	assert_false(match("/comptes/", "/comptes", params));
	assert_false(match("/comptes/:id", "/comptes/3/", params));
	/* An empty segment never matches a parameter. */
	assert_false(match("/comptes/:id", "/comptes/", params));
	assert_false(match("/comptes/:id", "/comptes", params));
	assert_false(match("/a/:x/b", "/a//b", params));
	/* More segments than the pattern. */
	assert_false(match("/comptes/:id", "/comptes/3/4", params));
	assert_false(match("/comptes", "/comptes/3", params));
	/* Fewer. */
	assert_false(match("/a/:x/b", "/a/1", params));
}

static vg_rc
h_dummy(vg_req *r, vg_resp *resp)
{
	(void)r;
	(void)resp;
	return VG_OK;
}

static const vg_route routes[] = {
	{"GET", "/", h_dummy, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/connexion", h_dummy, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/connexion", h_dummy, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/deconnexion", h_dummy, VG_ROLE_PROFESSIONAL, 0, 0},
	{"GET", "/admin/comptes", h_dummy, VG_ROLE_ADMIN, 0, 0},
	{"GET", "/admin/comptes/:id", h_dummy, VG_ROLE_ADMIN, 0, 0},
	{"POST", "/admin/comptes/:id/decision", h_dummy, VG_ROLE_EDITOR, 0, 0},
	{"GET", "/lire", h_dummy, VG_ROLE_PUBLIC, 0, 0},
};

static vg_rc
find(const char *method, const char *path, const vg_route **out,
    const char *params[], char *allow, size_t allowlen)
{
	static char buf[512];

	*out = NULL;
	return vg_route_find(routes, sizeof(routes) / sizeof(routes[0]),
	    method, path, buf, params, out, allow, allowlen);
}

static void
test_find(void **state)
{
	const vg_route *r;
	const char *params[VG_MAX_PARAMS];
	char allow[64];

	(void)state;
	assert_int_equal(find("GET", "/", &r, params, allow, sizeof(allow)),
	    VG_OK);
	assert_ptr_equal(r, &routes[0]);

	assert_int_equal(find("GET", "/connexion", &r, params, allow,
	    sizeof(allow)), VG_OK);
	assert_ptr_equal(r, &routes[1]);
	assert_int_equal(find("POST", "/connexion", &r, params, allow,
	    sizeof(allow)), VG_OK);
	assert_ptr_equal(r, &routes[2]);

	assert_int_equal(find("GET", "/admin/comptes/12", &r, params, allow,
	    sizeof(allow)), VG_OK);
	assert_ptr_equal(r, &routes[5]);
	assert_string_equal(params[0], "12");
	assert_null(params[1]);

	assert_int_equal(find("POST", "/admin/comptes/9/decision", &r, params,
	    allow, sizeof(allow)), VG_OK);
	assert_ptr_equal(r, &routes[6]);
	assert_string_equal(params[0], "9");
}

static void
test_find_method(void **state)
{
	const vg_route *r;
	const char *params[VG_MAX_PARAMS];
	char allow[64];

	(void)state;
	/* Only GET exists: GET and HEAD are allowed. */
	assert_int_equal(find("POST", "/lire", &r, params, allow,
	    sizeof(allow)), VG_EMETHOD);
	assert_string_equal(allow, "GET, HEAD");
	assert_null(r);

	assert_int_equal(find("DELETE", "/admin/comptes/3", &r, params, allow,
	    sizeof(allow)), VG_EMETHOD);
	assert_string_equal(allow, "GET, HEAD");

	/* Only POST exists. */
	assert_int_equal(find("GET", "/deconnexion", &r, params, allow,
	    sizeof(allow)), VG_EMETHOD);
	assert_string_equal(allow, "POST");
	assert_int_equal(find("GET", "/admin/comptes/3/decision", &r, params,
	    allow, sizeof(allow)), VG_EMETHOD);
	assert_string_equal(allow, "POST");

	/* Both exist, asked with a third. */
	assert_int_equal(find("PUT", "/connexion", &r, params, allow,
	    sizeof(allow)), VG_EMETHOD);
	assert_string_equal(allow, "GET, HEAD, POST");

	/* A small allow buffer is never overrun and stays a string. */
	{
		char small[8];

		memset(small, 'Z', sizeof(small));
		assert_int_equal(find("PUT", "/connexion", &r, params, small,
		    sizeof(small)), VG_EMETHOD);
		assert_non_null(memchr(small, '\0', sizeof(small)));
		assert_int_equal(strncmp(small, "GET", 3), 0);
	}
}

static void
test_find_not_found(void **state)
{
	const vg_route *r;
	const char *params[VG_MAX_PARAMS];
	char allow[64];

	(void)state;
	strcpy(allow, "junk");
	assert_int_equal(find("GET", "/nulle-part", &r, params, allow,
	    sizeof(allow)), VG_ENOTFOUND);
	assert_null(r);
	assert_string_equal(allow, "");
	assert_int_equal(find("GET", "/connexion/", &r, params, allow,
	    sizeof(allow)), VG_ENOTFOUND);
	assert_int_equal(find("GET", "/admin/comptes/", &r, params, allow,
	    sizeof(allow)), VG_ENOTFOUND);
	assert_int_equal(find("POST", "/admin/comptes/1/2", &r, params, allow,
	    sizeof(allow)), VG_ENOTFOUND);
	assert_int_equal(find("GET", "", &r, params, allow, sizeof(allow)),
	    VG_ENOTFOUND);
	/* An empty table. */
	{
		char buf[16];

		assert_int_equal(vg_route_find(routes, 0, "GET", "/", buf,
		    params, &r, allow, sizeof(allow)), VG_ENOTFOUND);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_literal),
		cmocka_unit_test(test_match_params),
		cmocka_unit_test(test_match_mismatches),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_method),
		cmocka_unit_test(test_find_not_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
