/*
 * fuzz_applist.c — libFuzzer target for the readers of adb's app lists
 * (pm list packages, dumpsys package) and of APK hash lists.
 *
 * The input is read with each of the three readers, and with the one
 * applist_guess() picks.  Every item must keep the promises of
 * scan_int.h: a valid package name, a certificate of 40 upper-case hex
 * digits, a hash of 64 lower-case ones, a kept line of printable ASCII
 * and at most 300 bytes, line numbers rising and within the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/scan_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct state {
	size_t lines, last;
};

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_applist: %s\n", what);
		abort();
	}
}

static int
hex_of(const char *s, size_t n, int upper)
{
	size_t i;

	if (strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (upper ? (c >= 'A' && c <= 'F') :
		    (c >= 'a' && c <= 'f'))))
			return 0;
	}
	return 1;
}

static void
on_item(void *arg, const struct applist_item *it)
{
	struct state *st = arg;
	const unsigned char *p;

	check(it->line != NULL && strlen(it->line) <= 300, "line kept");
	for (p = (const unsigned char *)it->line; *p; p++)
		check(*p >= 0x20 && *p < 0x7f, "line printable");
	check(it->lineno >= 1 && it->lineno <= st->lines, "line number");
	check(it->lineno >= st->last, "line numbers rise");
	st->last = it->lineno;
	check(it->package != NULL || it->sha256 != NULL, "something read");
	if (it->package != NULL)
		check(iocs_package_ok(it->package, strlen(it->package)),
		    "package name");
	if (it->cert != NULL)
		check(it->package != NULL && hex_of(it->cert, 40, 1),
		    "certificate");
	if (it->sha256 != NULL)
		check(hex_of(it->sha256, 64, 0), "hash");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct state st;
	size_t bad, items, i;
	enum applist_format f, g;

	memset(&st, 0, sizeof(st));
	st.lines = 1;
	for (i = 0; i < size; i++)
		st.lines += data[i] == '\n';
	for (f = APPLIST_PM; f <= APPLIST_HASHES; f++) {
		st.last = 0;
		items = applist_read(f, text, size, on_item, &st, &bad);
		check(items + bad <= st.lines, "items and bad lines counted");
	}
	g = applist_guess(text, size);
	check(g >= APPLIST_NONE && g <= APPLIST_HASHES, "guess");
	if (g != APPLIST_NONE) {
		st.last = 0;
		applist_read(g, text, size, on_item, &st, &bad);
	}
	return 0;
}
