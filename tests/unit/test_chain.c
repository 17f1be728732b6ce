/*
 * test_chain.c — the vault's records, links and signing key (chain.c),
 * the bundle (export.c) and its offline verification (verify.c).
 *
 * Known answers were computed outside Vigie (Python's hashlib), so a
 * mistake in the record's text or in the hashing shows here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crypto.h"
#include "vault/vault_int.h"

static char tmpdir[256];

#define CHAIN_ID "00112233445566778899aabbccddeeff"
/* sha256("vigie-coffre-v1 genesis " CHAIN_ID) */
#define GENESIS \
	"2e5c9ebfff2ec7b40b40770dc5d93d55bb4f24a783751d91268b456d22435a55"
/* sha256("https://exemple.fr/p/1\n\nUn message") */
#define URL_SHA \
	"0dd205ab0da2cad89dd5d7ecfc60cf68d3ba5d3390bcdf64325ecb6f4340bb76"
/* sha256 of REC_TEXT */
#define REC_LINK \
	"33b02b2ee5a9cee7b4e426cfcc50af8880b8e459e85b32b4d0a9e24b9effc63a"
#define REC_TEXT \
	"vigie-coffre-v1\n" \
	"seq: 1\n" \
	"received_at: 2026-11-23T15:20:01Z\n" \
	"kind: url\n" \
	"sha256: " URL_SHA "\n" \
	"size: 34\n" \
	"name: \n" \
	"type: text/plain\n" \
	"url: https://exemple.fr/p/1\n" \
	"facts_date: 2026-11-20\n" \
	"platform: Instagram\n" \
	"author: @pseudo\n" \
	"prev: " GENESIS "\n"

static void
path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static int
setup(void **state)
{
	char p[512];

	(void)state;
	if (vg_crypto_init() != VG_OK)
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-test-chain-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	path_in(p, sizeof(p), "server.key");
	if (vault_sign_key_create(p) != VG_OK)
		return -1;
	return vault_sign_key_load(p) == VG_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	vault_sign_key_free();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The record of REC_TEXT. */
static void
sample_record(struct vault_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->seq = 1;
	rec->received_at = 1795447201;
	rec->kind = "url";
	strcpy(rec->sha256, URL_SHA);
	rec->size = 34;
	rec->name = "";
	rec->type = "text/plain";
	rec->url = "https://exemple.fr/p/1";
	rec->facts_date = "2026-11-20";
	rec->platform = "Instagram";
	rec->author = "@pseudo";
	strcpy(rec->prev, GENESIS);
}

static void
test_genesis(void **state)
{
	char g[VAULT_HEX_HASH + 1], id1[VAULT_CHAIN_ID + 1],
	    id2[VAULT_CHAIN_ID + 1];

	(void)state;
	vault_genesis(CHAIN_ID, g);
	assert_string_equal(g, GENESIS);
	vault_chain_id_new(id1);
	vault_chain_id_new(id2);
	assert_int_equal(strlen(id1), VAULT_CHAIN_ID);
	assert_int_equal(strspn(id1, "0123456789abcdef"), VAULT_CHAIN_ID);
	assert_string_not_equal(id1, id2);
}

static void
test_url_evidence(void **state)
{
	char *e, h[VAULT_HEX_HASH + 1];
	size_t n = 0;

	(void)state;
	e = vault_url_evidence("https://exemple.fr/p/1", "Un message", &n);
	assert_non_null(e);
	assert_int_equal(n, 34);
	assert_memory_equal(e, "https://exemple.fr/p/1\n\nUn message", 34);
	vault_sha256_hex(e, n, h);
	assert_string_equal(h, URL_SHA);
	free(e);
	e = vault_url_evidence("https://exemple.fr/", "", &n);
	assert_non_null(e);
	assert_int_equal(n, strlen("https://exemple.fr/\n\n"));
	assert_string_equal(e, "https://exemple.fr/\n\n");
	free(e);
}

static void
test_record_text(void **state)
{
	struct vault_record rec;
	char *t, h[VAULT_HEX_HASH + 1];
	vg_rc rc;

	(void)state;
	sample_record(&rec);
	t = vault_record_text(&rec, &rc);
	assert_int_equal(rc, VG_OK);
	assert_non_null(t);
	assert_string_equal(t, REC_TEXT);
	vault_sha256_hex(t, strlen(t), h);
	assert_string_equal(h, REC_LINK);
	free(t);
}

/* Each way a record can be refused, one at a time. */
static void
test_record_refused(void **state)
{
	struct vault_record rec;
	vg_rc rc;
	size_t i;
	static const char *bad_values[] = {
		"deux\nlignes", "tab\there", "retour\r", "bip\a",
		"\xc3\x28",             /* not UTF-8 */
	};

	(void)state;
	sample_record(&rec);
	rec.kind = "photo";
	assert_null(vault_record_text(&rec, &rc));
	assert_int_equal(rc, VG_EINVAL);
	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++) {
		sample_record(&rec);
		rec.platform = bad_values[i];
		assert_null(vault_record_text(&rec, &rc));
		assert_int_equal(rc, VG_EINVAL);
		sample_record(&rec);
		rec.author = bad_values[i];
		assert_null(vault_record_text(&rec, &rc));
		assert_int_equal(rc, VG_EINVAL);
		sample_record(&rec);
		rec.name = bad_values[i];
		assert_null(vault_record_text(&rec, &rc));
	}
	sample_record(&rec);
	rec.type = "";
	assert_null(vault_record_text(&rec, &rc));
	sample_record(&rec);
	rec.seq = 0;
	assert_null(vault_record_text(&rec, &rc));
	sample_record(&rec);
	rec.sha256[3] = 'G';
	assert_null(vault_record_text(&rec, &rc));
	sample_record(&rec);
	rec.prev[10] = '\0';
	assert_null(vault_record_text(&rec, &rc));
	/* UTF-8 that is not a control character is kept as given. */
	sample_record(&rec);
	rec.author = "@Zoé_éà";
	{
		char *t = vault_record_text(&rec, &rc);

		assert_non_null(t);
		assert_non_null(strstr(t, "author: @Zoé_éà\n"));
		free(t);
	}
}

static void
test_seal_and_check(void **state)
{
	struct vault_record rec;
	char link[VAULT_HEX_HASH + 1], sig[VAULT_HEX_SIG + 1];
	char text[] = REC_TEXT;
	const char *pub;

	(void)state;
	sample_record(&rec);
	assert_int_equal(vault_seal_record(&rec, link, sig), VG_OK);
	assert_string_equal(link, REC_LINK);
	assert_int_equal(strlen(sig), VAULT_HEX_SIG);
	pub = vault_public_key_hex();
	assert_non_null(pub);
	assert_int_equal(strlen(pub), VAULT_HEX_KEY);
	assert_true(vault_sig_check(pub, text, strlen(text), sig));

	/* One changed byte in the text, in the signature, in the key. */
	text[20] ^= 1;
	assert_false(vault_sig_check(pub, text, strlen(text), sig));
	text[20] ^= 1;
	{
		char s2[VAULT_HEX_SIG + 1], k2[VAULT_HEX_KEY + 1];

		strcpy(s2, sig);
		s2[5] = s2[5] == '0' ? '1' : '0';
		assert_false(vault_sig_check(pub, text, strlen(text), s2));
		strcpy(k2, pub);
		k2[7] = k2[7] == '0' ? '1' : '0';
		assert_false(vault_sig_check(k2, text, strlen(text), sig));
		/* Not hex, wrong lengths. */
		assert_false(vault_sig_check("zz", text, strlen(text), sig));
		assert_false(vault_sig_check(pub, text, strlen(text), "00"));
		s2[0] = 'x';
		assert_false(vault_sig_check(pub, text, strlen(text), s2));
	}
	/* Independently: libsodium's own check on the raw bytes. */
	{
		unsigned char pk[32], s[64];

		assert_int_equal(sodium_hex2bin(pk, 32, pub, 64, NULL, NULL,
		    NULL), 0);
		assert_int_equal(sodium_hex2bin(s, 64, sig, 128, NULL, NULL,
		    NULL), 0);
		assert_int_equal(crypto_sign_verify_detached(s,
		    (const unsigned char *)text, strlen(text), pk), 0);
	}
}

static void
test_fingerprint(void **state)
{
	char fp[VAULT_FINGERPRINT + 1], up[VAULT_HEX_KEY + 1];
	const char *pub = vault_public_key_hex();
	size_t i;

	(void)state;
	vault_key_fingerprint(pub, fp);
	assert_int_equal(strlen(fp), VAULT_FINGERPRINT);
	assert_int_equal(fp[4], ' ');
	for (i = 0; pub[i]; i++)
		up[i] = (char)(pub[i] >= 'a' ? pub[i] - 32 : pub[i]);
	up[i] = '\0';
	{
		char fp2[VAULT_FINGERPRINT + 1];

		vault_key_fingerprint(up, fp2);
		assert_string_equal(fp, fp2);
	}
	vault_key_fingerprint("abc", fp);
	assert_string_equal(fp, "");
}

static void
test_key_file(void **state)
{
	char p[512], pub1[VAULT_HEX_KEY + 1];
	struct stat sb;
	unsigned char buf[64];
	int fd;
	FILE *f;

	(void)state;
	strcpy(pub1, vault_public_key_hex());
	path_in(p, sizeof(p), "k1.key");
	assert_int_equal(vault_sign_key_create(p), VG_OK);
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, 64);
	/* Never overwritten. */
	assert_int_equal(vault_sign_key_create(p), VG_ECONFLICT);
	assert_int_equal(vault_sign_key_load(p), VG_OK);
	assert_string_not_equal(vault_public_key_hex(), pub1);
	assert_true(vault_public_key_made_at() > 0);

	/* Group-readable: refused, and the loaded key stays. */
	strcpy(pub1, vault_public_key_hex());
	assert_int_equal(chmod(p, 0640), 0);
	assert_int_equal(vault_sign_key_load(p), VG_EDENIED);
	assert_string_equal(vault_public_key_hex(), pub1);
	assert_int_equal(chmod(p, 0604), 0);
	assert_int_equal(vault_sign_key_load(p), VG_EDENIED);

	/* Too short. */
	path_in(p, sizeof(p), "short.key");
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	memset(buf, 7, sizeof(buf));
	assert_int_equal(write(fd, buf, 32), 32);
	close(fd);
	assert_int_equal(vault_sign_key_load(p), VG_EIO);

	/* 64 bytes whose public half does not match the seed. */
	path_in(p, sizeof(p), "bad.key");
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, 64), 64);
	close(fd);
	assert_int_equal(vault_sign_key_load(p), VG_EIO);

	/* Missing; in a missing folder: create fails without a crash. */
	path_in(p, sizeof(p), "none.key");
	assert_int_equal(vault_sign_key_load(p), VG_EIO);
	path_in(p, sizeof(p), "no/such/dir.key");
	assert_int_equal(vault_sign_key_create(p), VG_EIO);
	assert_string_equal(vault_public_key_hex(), pub1);

	/* Back to the key of setup() for the other tests. */
	path_in(p, sizeof(p), "server.key");
	assert_int_equal(vault_sign_key_load(p), VG_OK);
	f = fopen(p, "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, 64, f), 64);
	fclose(f);
	{
		char hex[65];

		/* The file's second half is the public key. */
		sodium_bin2hex(hex, sizeof(hex), buf + 32, 32);
		assert_string_equal(hex, vault_public_key_hex());
	}
}

static void
test_sign_without_key(void **state)
{
	char sig[VAULT_HEX_SIG + 1], p[512];

	(void)state;
	vault_sign_key_free();
	assert_null(vault_public_key_hex());
	assert_int_equal(vault_sign("x", 1, sig), VG_EINTERNAL);
	path_in(p, sizeof(p), "server.key");
	assert_int_equal(vault_sign_key_load(p), VG_OK);
	assert_int_equal(vault_sign("x", 1, sig), VG_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_genesis),
		cmocka_unit_test(test_url_evidence),
		cmocka_unit_test(test_record_text),
		cmocka_unit_test(test_record_refused),
		cmocka_unit_test(test_seal_and_check),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_key_file),
		cmocka_unit_test(test_sign_without_key),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
