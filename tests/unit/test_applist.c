/*
 * test_applist.c — the readers of adb's app lists and of hash lists: the
 * guess, pm list packages in its -f, -i, -U forms (a path holding '='),
 * dumpsys package blocks and certificate digests with and without colons,
 * sha256sum lines, and what is counted as unreadable.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "scan/scan_int.h"

#define MAXI 16

struct got {
	size_t n;
	char pkg[MAXI][256], cert[MAXI][41], sha[MAXI][65];
	size_t line[MAXI];
};

static void
collect(void *arg, const struct applist_item *it)
{
	struct got *g = arg;

	if (g->n >= MAXI)
		return;
	snprintf(g->pkg[g->n], 256, "%s", it->package ? it->package : "");
	snprintf(g->cert[g->n], 41, "%s", it->cert ? it->cert : "");
	snprintf(g->sha[g->n], 65, "%s", it->sha256 ? it->sha256 : "");
	g->line[g->n] = it->lineno;
	g->n++;
}

static size_t
read_text(const char *text, struct got *g, size_t *bad)
{
	enum applist_format f = applist_guess(text, strlen(text));

	memset(g, 0, sizeof(*g));
	return applist_read(f, text, strlen(text), collect, g, bad);
}

static void
guess(void **state)
{
	(void)state;
	assert_int_equal(applist_guess("package:a.b\n", 12), APPLIST_PM);
	assert_int_equal(applist_guess("\n  package:a.b", 14), APPLIST_PM);
	assert_int_equal(applist_guess("Packages:\n", 10), APPLIST_DUMPSYS);
	assert_int_equal(applist_guess("Database versions:\n", 19),
	    APPLIST_DUMPSYS);
	assert_int_equal(applist_guess("# apks\n"
	    "2f3bc9ebe8c249f0416f5b0367f34b4b8f6aaa7d351dc5b4912fe2558491b6b7"
	    "  a.apk\n", 7 + 64 + 8), APPLIST_HASHES);
	assert_int_equal(applist_guess("bonjour\n", 8), APPLIST_NONE);
	assert_int_equal(applist_guess("package\0:a", 10), APPLIST_NONE);
	/* 63 or 65 hex digits are no SHA-256. */
	assert_int_equal(applist_guess(
	    "2f3bc9ebe8c249f0416f5b0367f34b4b8f6aaa7d351dc5b4912fe2558491b6b", 63),
	    APPLIST_NONE);
	assert_int_equal(applist_guess(
	    "2f3bc9ebe8c249f0416f5b0367f34b4b8f6aaa7d351dc5b4912fe2558491b6b7a",
	    65), APPLIST_NONE);
}

static void
pm(void **state)
{
	struct got g;
	size_t bad, n;

	(void)state;
	n = read_text("package:com.android.chrome\r\n"
	    "package:/data/app/~~a=b==/com.spy-x==/base.apk=com.spy  "
	    "installer=com.android.vending uid:10123\r\n"
	    "package:com.x uid:1000\n"
	    "\n"
	    "package:/system/app/A.apk=\n"
	    "package:1bad.name\n"
	    "Error: something\n"
	    "package:com.last", &g, &bad);
	assert_int_equal(n, 4);
	assert_int_equal(bad, 3);
	assert_string_equal(g.pkg[0], "com.android.chrome");
	assert_string_equal(g.pkg[1], "com.spy");
	assert_int_equal(g.line[1], 2);
	assert_string_equal(g.pkg[2], "com.x");
	assert_string_equal(g.pkg[3], "com.last");
	assert_int_equal(g.line[3], 8);
}

static void
dumpsys(void **state)
{
	struct got g;
	size_t bad, n;

	(void)state;
	n = read_text("Packages:\n"
	    "  Package [com.a] (1):\n"
	    "    signatures=PackageSignatures{5c3 version:3, signatures:"
	    "[8b9e0c2a], past signatures:[]}\n"
	    "    certificate sha1 = 31a6ececd97cf39bc4126b8745cd94a7c30bf81c\n"
	    "  Package [com.b] (2):\n"
	    "    Signing certificate SHA-1 digest: 36:E6:67:1B:C4:39:7F:47:5A:35:"
	    "09:05:D9:A6:49:A5:AD:E9:7B:B2\n"
	    "    versionName=31A6ECECD97CF39BC4126B8745CD94A7C30BF81C\n"
	    "\n"
	    "Hidden system packages:\n"
	    "    certificate 483716998F0C092FE82B0B12B1A4BA399D941318\n"
	    "  Package [bad name] (3):\n", &g, &bad);
	assert_int_equal(n, 2);
	assert_int_equal(bad, 1);
	assert_int_equal(g.n, 4);
	assert_string_equal(g.pkg[0], "com.a");
	assert_string_equal(g.cert[0], "");
	assert_string_equal(g.pkg[1], "com.a");
	assert_string_equal(g.cert[1],
	    "31A6ECECD97CF39BC4126B8745CD94A7C30BF81C");
	assert_string_equal(g.pkg[2], "com.b");
	assert_int_equal(g.line[2], 5);
	/* The digest on a line about signing; not the versionName's, not
	 * the one after the block ended. */
	assert_string_equal(g.pkg[3], "com.b");
	assert_string_equal(g.cert[3],
	    "36E6671BC4397F475A350905D9A649A5ADE97BB2");
}

static void
hashes(void **state)
{
	struct got g;
	size_t bad, n;

	(void)state;
	n = read_text("# mes apk\n"
	    "2F3BC9EBE8C249F0416F5B0367F34B4B8F6AAA7D351DC5B4912FE2558491B6B7"
	    "  /sdcard/a.apk\n"
	    "sha256: 5e52438f28275dc2a7e83b989e726f86ba53c915b44f126507763850"
	    "197646f6\n"
	    "pas une empreinte\n", &g, &bad);
	assert_int_equal(n, 2);
	assert_int_equal(bad, 1);
	assert_string_equal(g.sha[0],
	    "2f3bc9ebe8c249f0416f5b0367f34b4b8f6aaa7d351dc5b4912fe2558491b6b7");
	assert_int_equal(g.line[1], 3);
}

static void
package_names(void **state)
{
	(void)state;
	assert_true(iocs_package_ok("com.a_b.c9", 10));
	assert_true(iocs_package_ok("a", 1));
	assert_false(iocs_package_ok("com..a", 6));
	assert_false(iocs_package_ok(".com", 4));
	assert_false(iocs_package_ok("com.", 4));
	assert_false(iocs_package_ok("com.9a", 6));
	assert_false(iocs_package_ok("com-a", 5));
	assert_false(iocs_package_ok("", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(guess),
		cmocka_unit_test(pm),
		cmocka_unit_test(dumpsys),
		cmocka_unit_test(hashes),
		cmocka_unit_test(package_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
