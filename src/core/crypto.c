#include "core/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"

_Static_assert(VG_PWHASH_BYTES == crypto_pwhash_STRBYTES, "pwhash size");
_Static_assert(VG_SEAL_OVERHEAD ==
    crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES, "seal size");
_Static_assert(VG_KEY_BYTES == crypto_secretbox_KEYBYTES, "key size");

vg_rc
vg_crypto_init(void)
{
	return sodium_init() < 0 ? VG_EINTERNAL : VG_OK;
}

vg_rc
vg_key_create(const char *path)
{
	unsigned char key[crypto_kdf_KEYBYTES];
	int fd;
	ssize_t w;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? VG_ECONFLICT : VG_EIO;
	crypto_kdf_keygen(key);
	w = write(fd, key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	if (w != (ssize_t)sizeof(key) || fsync(fd) != 0) {
		close(fd);
		unlink(path);
		return VG_EIO;
	}
	close(fd);
	return VG_OK;
}

vg_rc
vg_secret_read(const char *path, void *buf, size_t n, int64_t *mtime)
{
	struct stat sb;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return VG_EIO;
	if (fstat(fd, &sb) != 0) {
		close(fd);
		return VG_EIO;
	}
	if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		return VG_EDENIED;
	}
	if (sb.st_size != (off_t)n) {
		close(fd);
		return VG_EIO;
	}
	r = read(fd, buf, n);
	close(fd);
	if (r != (ssize_t)n)
		return VG_EIO;
	if (mtime != NULL)
		*mtime = (int64_t)sb.st_mtime;
	return VG_OK;
}

vg_rc
vg_key_load(const char *path, vg_keys *out)
{
	unsigned char key[crypto_kdf_KEYBYTES];
	vg_rc rc;

	if ((rc = vg_secret_read(path, key, sizeof(key), NULL)) != VG_OK)
		return rc;
	crypto_kdf_derive_from_key(out->column, sizeof(out->column), 1,
	    "vgcolumn", key);
	crypto_kdf_derive_from_key(out->csrf, sizeof(out->csrf), 2,
	    "vgcsrf__", key);
	crypto_kdf_derive_from_key(out->throttle, sizeof(out->throttle), 3,
	    "vgthrotl", key);
	crypto_kdf_derive_from_key(out->state, sizeof(out->state), 4,
	    "vgstate_", key);
	crypto_kdf_derive_from_key(out->survey, sizeof(out->survey), 5,
	    "vgsurvey", key);
	crypto_kdf_derive_from_key(out->vault, sizeof(out->vault), 6,
	    "vgvault_", key);
	sodium_memzero(key, sizeof(key));
	return VG_OK;
}

void
vg_seal(const vg_keys *k, const void *plain, size_t n, unsigned char *out)
{
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, plain, n, out,
	    k->column);
}

vg_rc
vg_unseal(const vg_keys *k, const unsigned char *sealed, size_t n,
    unsigned char *out)
{
	if (n < VG_SEAL_OVERHEAD)
		return VG_EINVAL;
	if (crypto_secretbox_open_easy(out, sealed + crypto_secretbox_NONCEBYTES,
	    n - crypto_secretbox_NONCEBYTES, sealed, k->column) != 0)
		return VG_EINVAL;
	out[n - VG_SEAL_OVERHEAD] = '\0';
	return VG_OK;
}

vg_rc
vg_password_hash(const char *password, char out[VG_PWHASH_BYTES])
{
	if (crypto_pwhash_str_alg(out, password, strlen(password),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) != 0)
		return VG_ENOMEM;
	return VG_OK;
}

bool
vg_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void
vg_token_new(char out[VG_TOKEN_CHARS + 1])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, VG_TOKEN_CHARS + 1, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void
vg_hash(const unsigned char *key, const void *p, size_t n,
    unsigned char out[VG_HASH_BYTES])
{
	crypto_generichash(out, VG_HASH_BYTES, p, n, key,
	    key ? VG_KEY_BYTES : 0);
}

void
vg_hash_text(const unsigned char *key, const void *p, size_t n,
    char out[VG_TOKEN_CHARS + 1])
{
	unsigned char h[VG_HASH_BYTES];

	vg_hash(key, p, n, h);
	sodium_bin2base64(out, VG_TOKEN_CHARS + 1, h, sizeof(h),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool
vg_str_equal_ct(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n != strlen(b))
		return false;
	return sodium_memcmp(a, b, n) == 0;
}
