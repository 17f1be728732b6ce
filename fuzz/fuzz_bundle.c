/*
 * fuzz_bundle.c — libFuzzer target for `vigie verify`'s reading of a
 * bundle (verify.c), from memory: the ZIP container, manifest.json, the
 * records rebuilt from it and the elements hashed.
 *
 * Whatever the bytes, the answer must be one of the three statuses and
 * keep its promises: an error has a one-line French reason and no
 * report; a changed bundle has as many report lines as problems; an
 * intact one has none.  An odd-sized input is checked against a fixed
 * --key too, which no input can match by chance.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "vault/vault_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_bundle: %s\n", what);
		abort();
	}
}

static size_t
lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static const char key[] =
	    "00000000000000000000000000000000"
	    "00000000000000000000000000000000";
	struct vault_verify_result res;

	if (!ready) {
		check(vg_crypto_init() == VG_OK, "libsodium");
		ready = 1;
	}
	vault_verify_mem(data, size, size & 1 ? key : NULL, &res);
	switch (res.status) {
	case VAULT_VERIFY_ERROR:
		check(res.report == NULL, "report with an error");
		check(res.err[0] != '\0', "error without a reason");
		check(strchr(res.err, '\n') == NULL, "reason on two lines");
		break;
	case VAULT_VERIFY_CHANGED:
		check(res.report != NULL && res.problems > 0, "no problem");
		check(lines(res.report) == res.problems, "lines != problems");
		if (size & 1)
			check(res.other_key, "the fixed key matched");
		break;
	case VAULT_VERIFY_INTACT:
		check(res.problems == 0, "intact with problems");
		check(!(size & 1), "intact with the wrong key");
		break;
	default:
		check(0, "unknown status");
	}
	vault_verify_result_free(&res);
	return 0;
}
