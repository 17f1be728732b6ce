/*
 * crypto.h — the few cryptographic operations Vigie needs, over libsodium.
 *
 * One master key lives in a key file outside the database (var/vigie.key,
 * mode 0600).  Sub-keys for each purpose are derived from it, so a key used
 * to encrypt columns is never also used to sign CSRF tokens.
 */
#ifndef VG_CRYPTO_H
#define VG_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vg.h"

#define VG_KEY_BYTES 32
#define VG_TOKEN_CHARS 43       /* 256 random bits, base64url, no padding */
#define VG_HASH_BYTES 32
#define VG_PWHASH_BYTES 128     /* crypto_pwhash_STRBYTES */
#define VG_SEAL_OVERHEAD 40     /* nonce (24) + MAC (16) */

typedef struct vg_keys {
	unsigned char column[VG_KEY_BYTES];   /* secretbox, columns at rest */
	unsigned char csrf[VG_KEY_BYTES];     /* keyed hash of CSRF tokens */
	unsigned char throttle[VG_KEY_BYTES]; /* keyed hash for rate limits */
	unsigned char state[VG_KEY_BYTES];    /* signs state kept in forms */
	unsigned char survey[VG_KEY_BYTES];   /* keyed hashes of invitation,
	                                         resume and linkage codes */
	unsigned char vault[VG_KEY_BYTES];    /* keyed hashes of evidence
	                                         vault identifiers and share
	                                         codes */
} vg_keys;

/* sodium_init(); VG_EINTERNAL if libsodium cannot start. */
vg_rc vg_crypto_init(void);

/* Create a new random master key at path with mode 0600; VG_ECONFLICT if
 * the file exists. */
vg_rc vg_key_create(const char *path);

/* Read a secret file of exactly n bytes into buf: VG_EDENIED if group or
 * others can read it, VG_EIO if unreadable or of another size; *mtime
 * (may be NULL) gets when it was written. */
vg_rc vg_secret_read(const char *path, void *buf, size_t n, int64_t *mtime);

/* Load the master key at path and derive the sub-keys into *out.  VG_EIO if
 * unreadable or of the wrong size; VG_EDENIED if group or others can read
 * it. */
vg_rc vg_key_load(const char *path, vg_keys *out);

/* Encrypt n bytes into out, which must hold n + VG_SEAL_OVERHEAD bytes. */
void vg_seal(const vg_keys *k, const void *plain, size_t n,
    unsigned char *out);

/* Decrypt a sealed value of n bytes into out (n - VG_SEAL_OVERHEAD bytes,
 * plus one for a terminating NUL that is always written).  VG_EINVAL when
 * the value is too short or was altered. */
vg_rc vg_unseal(const vg_keys *k, const unsigned char *sealed, size_t n,
    unsigned char *out);

/* Hash a password with argon2id into out (NUL-terminated).  VG_ENOMEM
 * when the hashing memory cannot be had. */
vg_rc vg_password_hash(const char *password, char out[VG_PWHASH_BYTES]);

/* Whether password matches the stored hash (constant time). */
bool vg_password_verify(const char *hash, const char *password);

/* A fresh 256-bit random token as base64url text (VG_TOKEN_CHARS + NUL). */
void vg_token_new(char out[VG_TOKEN_CHARS + 1]);

/* Keyed (key may be NULL) BLAKE2b hash of n bytes. */
void vg_hash(const unsigned char *key, const void *p, size_t n,
    unsigned char out[VG_HASH_BYTES]);

/* The same hash as base64url text (VG_TOKEN_CHARS + NUL). */
void vg_hash_text(const unsigned char *key, const void *p, size_t n,
    char out[VG_TOKEN_CHARS + 1]);

/* Constant-time comparison of two NUL-terminated strings. */
bool vg_str_equal_ct(const char *a, const char *b);

#endif
