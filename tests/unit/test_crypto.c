/*
 * test_crypto.c — key file, sub-keys, sealing, passwords, tokens, hashes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crypto.h"

static char tmpdir[256];

/* Whether needle occurs in the n bytes at p. */
static int
contains(const void *p, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;

	for (i = 0; i + m <= n; i++)
		if (memcmp((const char *)p + i, needle, m) == 0)
			return 1;
	return 0;
}

static void
path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static int
setup(void **state)
{
	(void)state;
	if (vg_crypto_init() != VG_OK)
		return -1;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/vigie-test-crypto-XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh key file named name; its sub-keys in *k. */
static void
make_keys(const char *name, vg_keys *k)
{
	char p[512];

	path_in(p, sizeof(p), name);
	assert_int_equal(vg_key_create(p), VG_OK);
	assert_int_equal(vg_key_load(p, k), VG_OK);
}

static void
test_init_twice(void **state)
{
	(void)state;
	assert_int_equal(vg_crypto_init(), VG_OK);
	assert_int_equal(vg_crypto_init(), VG_OK);
}

static void
test_key_create(void **state)
{
	char p[512];
	struct stat sb;
	unsigned char before[64], after[64];
	int fd;
	ssize_t n;

	(void)state;
	path_in(p, sizeof(p), "create.key");
	assert_int_equal(vg_key_create(p), VG_OK);
	assert_int_equal(stat(p, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, VG_KEY_BYTES);

	fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, before, sizeof(before));
	close(fd);
	assert_int_equal(n, VG_KEY_BYTES);

	/* An existing key is never overwritten. */
	assert_int_equal(vg_key_create(p), VG_ECONFLICT);
	fd = open(p, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, after, sizeof(after));
	close(fd);
	assert_int_equal(n, VG_KEY_BYTES);
	assert_memory_equal(before, after, VG_KEY_BYTES);

	/* A directory that does not exist. */
	path_in(p, sizeof(p), "no/such/dir.key");
	assert_int_equal(vg_key_create(p), VG_EIO);
}

static void
test_key_load(void **state)
{
	char p[512], q[512];
	vg_keys a, b, c;
	unsigned char junk[VG_KEY_BYTES] = {0};
	FILE *f;

	(void)state;
	path_in(p, sizeof(p), "load.key");
	assert_int_equal(vg_key_create(p), VG_OK);
	memset(&a, 0, sizeof(a));
	memset(&b, 0xff, sizeof(b));
	assert_int_equal(vg_key_load(p, &a), VG_OK);
	assert_int_equal(vg_key_load(p, &b), VG_OK);
	/* Deterministic derivation. */
	assert_memory_equal(&a, &b, sizeof(a));
	/* The sub-keys differ from each other and are not all zero. */
	assert_memory_not_equal(a.column, a.csrf, VG_KEY_BYTES);
	assert_memory_not_equal(a.column, a.throttle, VG_KEY_BYTES);
	assert_memory_not_equal(a.csrf, a.throttle, VG_KEY_BYTES);
	assert_memory_not_equal(a.column, junk, VG_KEY_BYTES);

	/* Another key file, other sub-keys. */
	make_keys("other.key", &c);
	assert_memory_not_equal(a.column, c.column, VG_KEY_BYTES);
	assert_memory_not_equal(a.csrf, c.csrf, VG_KEY_BYTES);

	/* Readable by the group or others: refused. */
	assert_int_equal(chmod(p, 0644), 0);
	assert_int_equal(vg_key_load(p, &c), VG_EDENIED);
	assert_int_equal(chmod(p, 0640), 0);
	assert_int_equal(vg_key_load(p, &c), VG_EDENIED);
	assert_int_equal(chmod(p, 0604), 0);
	assert_int_equal(vg_key_load(p, &c), VG_EDENIED);
	assert_int_equal(chmod(p, 0400), 0);
	assert_int_equal(vg_key_load(p, &c), VG_OK);
	assert_memory_equal(&a, &c, sizeof(a));

	/* Short and long files. */
	path_in(q, sizeof(q), "short.key");
	f = fopen(q, "w");
	assert_non_null(f);
	fwrite(junk, 1, 16, f);
	fclose(f);
	assert_int_equal(chmod(q, 0600), 0);
	assert_int_equal(vg_key_load(q, &c), VG_EIO);

	path_in(q, sizeof(q), "long.key");
	f = fopen(q, "w");
	assert_non_null(f);
	fwrite(junk, 1, sizeof(junk), f);
	fwrite(junk, 1, 1, f);
	fclose(f);
	assert_int_equal(chmod(q, 0600), 0);
	assert_int_equal(vg_key_load(q, &c), VG_EIO);

	path_in(q, sizeof(q), "empty.key");
	f = fopen(q, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(q, 0600), 0);
	assert_int_equal(vg_key_load(q, &c), VG_EIO);

	/* Missing. */
	path_in(q, sizeof(q), "missing.key");
	assert_int_equal(vg_key_load(q, &c), VG_EIO);
}

static void
test_seal_roundtrip(void **state)
{
	static const char msg[] = "Signalement : enfant en danger, école "
	    "Jules-Ferry — à traiter 😟";
	vg_keys k;
	unsigned char sealed[sizeof(msg) + VG_SEAL_OVERHEAD];
	unsigned char plain[sizeof(msg) + 1];
	unsigned char big_sealed[10000 + VG_SEAL_OVERHEAD], big_plain[10001];
	unsigned char big[10000];
	size_t n = strlen(msg);

	(void)state;
	make_keys("seal.key", &k);
	vg_seal(&k, msg, n, sealed);
	/* Not in clear. */
	assert_false(contains(sealed, n + VG_SEAL_OVERHEAD, "enfant"));
	memset(plain, 'X', sizeof(plain));
	assert_int_equal(vg_unseal(&k, sealed, n + VG_SEAL_OVERHEAD, plain),
	    VG_OK);
	assert_memory_equal(plain, msg, n);
	assert_int_equal(plain[n], '\0');

	/* Empty plaintext. */
	vg_seal(&k, "", 0, sealed);
	plain[0] = 'X';
	assert_int_equal(vg_unseal(&k, sealed, VG_SEAL_OVERHEAD, plain), VG_OK);
	assert_int_equal(plain[0], '\0');

	/* Binary and larger. */
	for (n = 0; n < sizeof(big); n++)
		big[n] = (unsigned char)(n * 7);
	vg_seal(&k, big, sizeof(big), big_sealed);
	assert_int_equal(vg_unseal(&k, big_sealed, sizeof(big_sealed),
	    big_plain), VG_OK);
	assert_memory_equal(big, big_plain, sizeof(big));
}

static void
test_seal_tamper(void **state)
{
	static const char msg[] = "note confidentielle";
	vg_keys k, other;
	unsigned char sealed[sizeof(msg) + VG_SEAL_OVERHEAD];
	unsigned char plain[sizeof(msg) + 1];
	size_t n = strlen(msg), total = n + VG_SEAL_OVERHEAD, i;

	(void)state;
	make_keys("tamper.key", &k);
	make_keys("tamper-other.key", &other);
	vg_seal(&k, msg, n, sealed);

	/* Any flipped byte, in the nonce, the MAC or the text. */
	for (i = 0; i < total; i++) {
		sealed[i] ^= 0x01;
		if (vg_unseal(&k, sealed, total, plain) != VG_EINVAL)
			fail_msg("byte %zu flipped was accepted", i);
		sealed[i] ^= 0x01;
	}
	assert_int_equal(vg_unseal(&k, sealed, total, plain), VG_OK);
	assert_memory_equal(plain, msg, n);

	/* Truncated, too short. */
	assert_int_equal(vg_unseal(&k, sealed, total - 1, plain), VG_EINVAL);
	assert_int_equal(vg_unseal(&k, sealed, VG_SEAL_OVERHEAD - 1, plain),
	    VG_EINVAL);
	assert_int_equal(vg_unseal(&k, sealed, 0, plain), VG_EINVAL);
	assert_int_equal(vg_unseal(&k, sealed, 10, plain), VG_EINVAL);

	/* Another key cannot open it. */
	assert_int_equal(vg_unseal(&other, sealed, total, plain), VG_EINVAL);
}

static void
test_seal_random_nonce(void **state)
{
	static const char msg[] = "même texte";
	vg_keys k;
	unsigned char s1[sizeof(msg) + VG_SEAL_OVERHEAD];
	unsigned char s2[sizeof(msg) + VG_SEAL_OVERHEAD];
	unsigned char p1[sizeof(msg) + 1], p2[sizeof(msg) + 1];
	size_t n = strlen(msg), total = n + VG_SEAL_OVERHEAD;

	(void)state;
	make_keys("nonce.key", &k);
	vg_seal(&k, msg, n, s1);
	vg_seal(&k, msg, n, s2);
	assert_memory_not_equal(s1, s2, total);
	assert_memory_not_equal(s1, s2, 24);            /* the nonces */
	assert_int_equal(vg_unseal(&k, s1, total, p1), VG_OK);
	assert_int_equal(vg_unseal(&k, s2, total, p2), VG_OK);
	assert_string_equal((char *)p1, msg);
	assert_string_equal((char *)p2, msg);
}

static void
test_password(void **state)
{
	char h1[VG_PWHASH_BYTES], h2[VG_PWHASH_BYTES], he[VG_PWHASH_BYTES];

	(void)state;
	assert_int_equal(vg_password_hash("correct horse battery", h1), VG_OK);
	assert_non_null(memchr(h1, '\0', sizeof(h1)));
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_null(strstr(h1, "correct"));
	assert_true(vg_password_verify(h1, "correct horse battery"));
	assert_false(vg_password_verify(h1, "correct horse batterY"));
	assert_false(vg_password_verify(h1, "correct horse battery "));
	assert_false(vg_password_verify(h1, ""));

	/* Salted: the same password hashes differently, both verify. */
	assert_int_equal(vg_password_hash("correct horse battery", h2), VG_OK);
	assert_string_not_equal(h1, h2);
	assert_true(vg_password_verify(h2, "correct horse battery"));

	/* The empty password is a password like another. */
	assert_int_equal(vg_password_hash("", he), VG_OK);
	assert_true(vg_password_verify(he, ""));
	assert_false(vg_password_verify(he, " "));

	/* A malformed stored hash never verifies. */
	assert_false(vg_password_verify("", ""));
	assert_false(vg_password_verify("$argon2id$garbage", "x"));
}

static int
is_b64url(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static void
test_token(void **state)
{
	char t1[VG_TOKEN_CHARS + 1], t2[VG_TOKEN_CHARS + 1];
	int i, j;

	(void)state;
	for (j = 0; j < 50; j++) {
		memset(t1, '!', sizeof(t1));
		memset(t2, '!', sizeof(t2));
		vg_token_new(t1);
		vg_token_new(t2);
		assert_int_equal(strlen(t1), VG_TOKEN_CHARS);
		assert_int_equal(strlen(t2), VG_TOKEN_CHARS);
		for (i = 0; i < VG_TOKEN_CHARS; i++) {
			assert_true(is_b64url(t1[i]));
			assert_true(is_b64url(t2[i]));
		}
		assert_string_not_equal(t1, t2);
	}
}

static void
test_hash(void **state)
{
	vg_keys k, k2;
	unsigned char h1[VG_HASH_BYTES], h2[VG_HASH_BYTES];
	unsigned char h3[VG_HASH_BYTES], h4[VG_HASH_BYTES];
	char t1[VG_TOKEN_CHARS + 1], t2[VG_TOKEN_CHARS + 1];
	int i;

	(void)state;
	make_keys("hash.key", &k);
	make_keys("hash2.key", &k2);
	vg_hash(NULL, "abc", 3, h1);
	vg_hash(NULL, "abc", 3, h2);
	assert_memory_equal(h1, h2, VG_HASH_BYTES);     /* deterministic */
	vg_hash(k.csrf, "abc", 3, h3);
	assert_memory_not_equal(h1, h3, VG_HASH_BYTES); /* keyed differs */
	vg_hash(k.csrf, "abc", 3, h4);
	assert_memory_equal(h3, h4, VG_HASH_BYTES);
	vg_hash(k.throttle, "abc", 3, h4);
	assert_memory_not_equal(h3, h4, VG_HASH_BYTES); /* other key */
	vg_hash(k2.csrf, "abc", 3, h4);
	assert_memory_not_equal(h3, h4, VG_HASH_BYTES);
	vg_hash(NULL, "abd", 3, h2);
	assert_memory_not_equal(h1, h2, VG_HASH_BYTES);
	vg_hash(NULL, "abcd", 3, h2);                   /* n bytes only */
	assert_memory_equal(h1, h2, VG_HASH_BYTES);

	/* Unkeyed BLAKE2b-256 of "abc" (RFC 7693 test vector family). */
	{
		static const unsigned char want[VG_HASH_BYTES] = {
			0xbd, 0xdd, 0x81, 0x3c, 0x63, 0x42, 0x39, 0x72,
			0x31, 0x71, 0xef, 0x3f, 0xee, 0x98, 0x57, 0x9b,
			0x94, 0x96, 0x4e, 0x3b, 0xb1, 0xcb, 0x3e, 0x42,
			0x72, 0x62, 0xc8, 0xc0, 0x68, 0xd5, 0x23, 0x19,
		};

		assert_memory_equal(h1, want, VG_HASH_BYTES);
	}

	vg_hash_text(NULL, "abc", 3, t1);
	vg_hash_text(k.csrf, "abc", 3, t2);
	assert_int_equal(strlen(t1), VG_TOKEN_CHARS);
	assert_int_equal(strlen(t2), VG_TOKEN_CHARS);
	for (i = 0; i < VG_TOKEN_CHARS; i++)
		assert_true(is_b64url(t1[i]));
	assert_string_not_equal(t1, t2);
	vg_hash_text(NULL, "abc", 3, t2);
	assert_string_equal(t1, t2);
}

static void
test_str_equal_ct(void **state)
{
	(void)state;
	assert_true(vg_str_equal_ct("", ""));
	assert_true(vg_str_equal_ct("abc", "abc"));
	assert_true(vg_str_equal_ct("été", "été"));
	assert_false(vg_str_equal_ct("abc", "abd"));
	assert_false(vg_str_equal_ct("abc", "ab"));
	assert_false(vg_str_equal_ct("ab", "abc"));
	assert_false(vg_str_equal_ct("", "a"));
	assert_false(vg_str_equal_ct("Abc", "abc"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_twice),
		cmocka_unit_test(test_key_create),
		cmocka_unit_test(test_key_load),
		cmocka_unit_test(test_seal_roundtrip),
		cmocka_unit_test(test_seal_tamper),
		cmocka_unit_test(test_seal_random_nonce),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_str_equal_ct),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
