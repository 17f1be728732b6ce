/*
 * test_vault.c — the vault's own half: identifiers and codes (format,
 * normalisation), the vault key wrapped with argon2id and refused to a
 * wrong passphrase, values boxed with the vault key, types recognised by
 * content, opened vaults in memory (idle and total expiry, closing one,
 * a vault's, a share's, all) and the counting of failed attempts.
 */
#define _GNU_SOURCE             /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/crypto.h"
#include "vault/vault_int.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void
test_code_format(void **state)
{
	char id[VAULT_ID_CHARS * 5 / 4], code[VAULT_CODE_CHARS * 5 / 4];
	char again[VAULT_ID_CHARS * 5 / 4], norm[VAULT_ID_CHARS + 1];
	size_t i;

	(void)state;
	vault_code_new(VAULT_ID_CHARS, id);
	assert_int_equal(strlen(id), 19);
	for (i = 0; i < strlen(id); i++) {
		if (i % 5 == 4)
			assert_int_equal(id[i], '-');
		else
			assert_non_null(strchr(crockford, id[i]));
	}
	vault_code_new(VAULT_CODE_CHARS, code);
	assert_int_equal(strlen(code), 14);
	assert_int_equal(code[4], '-');
	assert_int_equal(code[9], '-');
	/* 80 random bits: two draws differ. */
	vault_code_new(VAULT_ID_CHARS, again);
	assert_string_not_equal(id, again);
	assert_true(vault_code_normalise(id, VAULT_ID_CHARS, norm));
	assert_int_equal(strlen(norm), VAULT_ID_CHARS);
}

static void
test_code_normalise(void **state)
{
	char out[VAULT_ID_CHARS + 1];

	(void)state;
	assert_true(vault_code_normalise("7K2M-Q9XA-3PRD-W5TB",
	    VAULT_ID_CHARS, out));
	assert_string_equal(out, "7K2MQ9XA3PRDW5TB");
	assert_true(vault_code_normalise(" 7k2m q9xa-3prd w5tb ",
	    VAULT_ID_CHARS, out));
	assert_string_equal(out, "7K2MQ9XA3PRDW5TB");
	/* O is 0, I and L are 1, in either case. */
	assert_true(vault_code_normalise("oOiI-lL00-1111-AAAA",
	    VAULT_ID_CHARS, out));
	assert_string_equal(out, "001111001111AAAA");
	/* U is not a Crockford digit; wrong lengths; other characters. */
	assert_false(vault_code_normalise("UUUU-UUUU-UUUU-UUUU",
	    VAULT_ID_CHARS, out));
	assert_false(vault_code_normalise("7K2M-Q9XA-3PRD-W5T",
	    VAULT_ID_CHARS, out));
	assert_false(vault_code_normalise("7K2M-Q9XA-3PRD-W5TBX",
	    VAULT_ID_CHARS, out));
	assert_false(vault_code_normalise("7K2M_Q9XA_3PRD_W5TB",
	    VAULT_ID_CHARS, out));
	assert_false(vault_code_normalise("", VAULT_ID_CHARS, out));
	assert_false(vault_code_normalise("é7K2MQ9XA3PRDW5TB",
	    VAULT_ID_CHARS, out));
	assert_true(vault_code_normalise("4hx2-9pqr-kd7m", VAULT_CODE_CHARS,
	    out));
	assert_string_equal(out, "4HX29PQRKD7M");
}

static void
test_lookup(void **state)
{
	vg_keys k1, k2;
	char a[VG_TOKEN_CHARS + 1], b[VG_TOKEN_CHARS + 1];
	char c[VG_TOKEN_CHARS + 1], d[VG_TOKEN_CHARS + 1];

	(void)state;
	memset(&k1, 1, sizeof(k1));
	memset(&k2, 2, sizeof(k2));
	vault_code_lookup(&k1, "vault", "7K2MQ9XA3PRDW5TB", a);
	vault_code_lookup(&k1, "vault", "7K2MQ9XA3PRDW5TB", b);
	assert_string_equal(a, b);
	/* Keyed: another master key, another hash; and a share's code
	 * never meets a vault's identifier. */
	vault_code_lookup(&k2, "vault", "7K2MQ9XA3PRDW5TB", c);
	assert_string_not_equal(a, c);
	vault_code_lookup(&k1, "share", "7K2MQ9XA3PRDW5TB", d);
	assert_string_not_equal(a, d);
	assert_null(strstr(a, "7K2M"));
}

static void
test_key_wrap(void **state)
{
	unsigned char vk[VAULT_KEY_BYTES], out[VAULT_KEY_BYTES];
	unsigned char salt[VAULT_SALT_BYTES], w1[VAULT_WRAPPED_BYTES];
	unsigned char w2[VAULT_WRAPPED_BYTES];

	(void)state;
	randombytes_buf(vk, sizeof(vk));
	randombytes_buf(salt, sizeof(salt));
	assert_int_equal(vault_key_wrap("une phrase bien longue", salt, vk,
	    w1), VG_OK);
	assert_null(memmem(w1, sizeof(w1), vk, sizeof(vk)));
	assert_int_equal(vault_key_unwrap("une phrase bien longue", salt, w1,
	    out), VG_OK);
	assert_memory_equal(out, vk, sizeof(vk));
	/* A wrong passphrase, another salt, a changed byte: refused. */
	assert_int_equal(vault_key_unwrap("une phrase bien longuE", salt, w1,
	    out), VG_EAUTH);
	salt[0] ^= 1;
	assert_int_equal(vault_key_unwrap("une phrase bien longue", salt, w1,
	    out), VG_EAUTH);
	salt[0] ^= 1;
	w1[30] ^= 0x40;
	assert_int_equal(vault_key_unwrap("une phrase bien longue", salt, w1,
	    out), VG_EAUTH);
	/* A fresh nonce each time: the same key wraps differently. */
	assert_int_equal(vault_key_wrap("une phrase bien longue", salt, vk,
	    w2), VG_OK);
	assert_memory_not_equal(w1, w2, sizeof(w1));
}

static void
test_box(void **state)
{
	unsigned char vk[VAULT_KEY_BYTES], other[VAULT_KEY_BYTES];
	unsigned char *c, *p;
	const char msg[] = "un message copié";
	size_t n, m;

	(void)state;
	randombytes_buf(vk, sizeof(vk));
	randombytes_buf(other, sizeof(other));
	c = vault_box(vk, msg, strlen(msg), &n);
	assert_non_null(c);
	assert_int_equal(n, strlen(msg) + VG_SEAL_OVERHEAD);
	assert_null(memmem(c, n, "message", 7));
	p = vault_unbox(vk, c, n, &m);
	assert_non_null(p);
	assert_int_equal(m, strlen(msg));
	assert_string_equal((char *)p, msg);
	free(p);
	assert_null(vault_unbox(other, c, n, &m));
	c[n - 1] ^= 1;
	assert_null(vault_unbox(vk, c, n, &m));
	assert_null(vault_unbox(vk, c, 10, &m));
	free(c);
}

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static void
test_sniff(void **state)
{
	static const unsigned char png_head[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
		0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1,
		8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde,
	};
	static const unsigned char elf[] = {
		0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		2, 0, 0x3e, 0, 1, 0, 0, 0,
	};
	char path[] = "/tmp/vigie-test-vault-XXXXXX";
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, png_head, sizeof(png_head));
	assert_string_equal(vault_sniff(path), "image/png");
	write_file(path, "%PDF-1.4\n%%EOF\n", 15);
	assert_string_equal(vault_sniff(path), "application/pdf");
	write_file(path, "Un simple texte.\n", 17);
	assert_string_equal(vault_sniff(path), "text/plain");
	write_file(path, elf, sizeof(elf));
	assert_null(vault_sniff(path));
	write_file(path, "PK\003\004\024\0\0\0\0\0", 10);
	assert_null(vault_sniff(path));
	unlink(path);
	assert_null(vault_sniff(path));
}

static void
test_sessions(void **state)
{
	unsigned char vk[VAULT_KEY_BYTES];
	char t1[VG_TOKEN_CHARS + 1], t2[VG_TOKEN_CHARS + 1];
	char t3[VG_TOKEN_CHARS + 1];
	struct vault_open o;
	int64_t now = 1000000;

	(void)state;
	randombytes_buf(vk, sizeof(vk));
	assert_int_equal(vault_session_new(7, 0, false, 0, vk, now, t1), VG_OK);
	assert_int_equal(vault_session_get(t1, now + 10, &o), VG_OK);
	assert_int_equal(o.vault, 7);
	assert_false(o.readonly);
	assert_memory_equal(o.vk, vk, sizeof(vk));
	vault_open_release(&o);
	assert_int_equal(o.vault, 0);
	/* Unknown, malformed or absent tokens. */
	assert_int_equal(vault_session_get(NULL, now, &o), VG_ENOTFOUND);
	assert_int_equal(vault_session_get("court", now, &o), VG_ENOTFOUND);
	vg_token_new(t2);
	assert_int_equal(vault_session_get(t2, now, &o), VG_ENOTFOUND);

	/* Idle: each use pushes the limit; 20 minutes without, closed. */
	assert_int_equal(vault_session_get(t1, now + VAULT_IDLE - 1, &o),
	    VG_OK);
	assert_int_equal(vault_session_get(t1, now + 2 * VAULT_IDLE - 2, &o),
	    VG_OK);
	assert_int_equal(vault_session_get(t1, now + 3 * VAULT_IDLE, &o),
	    VG_ENOTFOUND);
	/* and it stays closed. */
	assert_int_equal(vault_session_get(t1, now + 2 * VAULT_IDLE, &o),
	    VG_ENOTFOUND);

	/* 4 hours at most, even when used all along. */
	assert_int_equal(vault_session_new(8, 0, false, 0, vk, now, t1), VG_OK);
	for (int64_t t = now; t < now + VAULT_MAX_OPEN; t += VAULT_IDLE / 2)
		assert_int_equal(vault_session_get(t1, t, &o), VG_OK);
	assert_int_equal(vault_session_get(t1, now + VAULT_MAX_OPEN, &o),
	    VG_ENOTFOUND);

	/* Closing one token, a vault's tokens, a share's. */
	assert_int_equal(vault_session_new(9, 0, false, 0, vk, now, t1), VG_OK);
	assert_int_equal(vault_session_new(9, 0, false, 0, vk, now, t2), VG_OK);
	assert_int_equal(vault_session_new(9, 4, true, 0, vk, now, t3), VG_OK);
	assert_int_equal(vault_session_get(t3, now, &o), VG_OK);
	assert_true(o.readonly);
	assert_int_equal(o.share, 4);
	vault_session_close(t1);
	assert_int_equal(vault_session_get(t1, now, &o), VG_ENOTFOUND);
	assert_int_equal(vault_session_get(t2, now, &o), VG_OK);
	vault_session_close_share(4);
	assert_int_equal(vault_session_get(t3, now, &o), VG_ENOTFOUND);
	assert_int_equal(vault_session_get(t2, now, &o), VG_OK);
	vault_session_close_vault(9);
	assert_int_equal(vault_session_get(t2, now, &o), VG_ENOTFOUND);

	/* A share's session ends with the share, whatever its use. */
	assert_int_equal(vault_session_new(12, 5, true, now + 60, vk, now, t1),
	    VG_OK);
	assert_int_equal(vault_session_get(t1, now + 59, &o), VG_OK);
	assert_int_equal(vault_session_get(t1, now + 60, &o), VG_ENOTFOUND);

	/* The sweep and closing all. */
	assert_int_equal(vault_session_new(10, 0, false, 0, vk, now, t1),
	    VG_OK);
	assert_int_equal(vault_session_new(11, 0, false, 0, vk, now + 100, t2),
	    VG_OK);
	assert_int_equal(vault_session_sweep(now + VAULT_IDLE + 50), 1);
	assert_int_equal(vault_session_get(t2, now + VAULT_IDLE + 50, &o),
	    VG_OK);
	vault_session_close_all();
	assert_int_equal(vault_session_sweep(now), 0);
	assert_int_equal(vault_session_get(t2, now + 200, &o), VG_ENOTFOUND);
	vault_open_release(&o);
}

static void
test_failures(void **state)
{
	int64_t now = 5000000;
	int i;

	(void)state;
	vault_fail_reset();
	assert_false(vault_fail_blocked("vault:a", now));
	for (i = 0; i < VAULT_FAILS - 1; i++)
		vault_fail_count("vault:a", now + i);
	assert_false(vault_fail_blocked("vault:a", now + 10));
	vault_fail_count("vault:a", now + 10);
	assert_true(vault_fail_blocked("vault:a", now + 11));
	/* Another key has its own count. */
	assert_false(vault_fail_blocked("vault:b", now + 11));
	/* 15 minutes after the first failure, the window is over. */
	assert_true(vault_fail_blocked("vault:a", now + VAULT_FAIL_WINDOW - 1));
	assert_false(vault_fail_blocked("vault:a", now + VAULT_FAIL_WINDOW));
	vault_fail_count("vault:a", now + VAULT_FAIL_WINDOW);
	assert_false(vault_fail_blocked("vault:a", now + VAULT_FAIL_WINDOW));
	vault_fail_reset();
}

static int
setup(void **state)
{
	(void)state;
	return vg_crypto_init() == VG_OK ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_format),
		cmocka_unit_test(test_code_normalise),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_key_wrap),
		cmocka_unit_test(test_box),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_failures),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
