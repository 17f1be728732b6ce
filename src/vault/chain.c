/*
 * chain.c — the records of a vault's items, their links in the hash
 * chain, and the server's Ed25519 signing key.
 *
 * A record is the canonical text described at the top of vault_int.h.
 * Its link is the hex SHA-256 of that text, and the text names the
 * previous link, so changing, removing or reordering one item breaks
 * every link after it.  The server signs each record's text when the item
 * arrives: the signature proves that this server received exactly that
 * record, which a chain alone (recomputable by anyone) cannot.
 *
 * This file knows nothing of the database or of sessions; the same code
 * builds a record at arrival and rebuilds it in `vigie verify`.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "core/when.h"
#include "vault/vault_int.h"

_Static_assert(VAULT_HEX_HASH == 2 * crypto_hash_sha256_BYTES, "hash");
_Static_assert(VAULT_HEX_SIG == 2 * crypto_sign_BYTES, "signature");
_Static_assert(VAULT_HEX_KEY == 2 * crypto_sign_PUBLICKEYBYTES, "key");

/*
 * The loaded key.  Read-only after vault_sign_key_load (done once at
 * start, before any request thread), so signing needs no lock.  The
 * secret key lives in sodium_malloc'ed memory: guarded, never swapped
 * out where mlock works, wiped by sodium_free.
 */
static unsigned char *sign_sk;
static char sign_pk_hex[VAULT_HEX_KEY + 1];
static int64_t sign_made_at;

/* --- records and links ------------------------------------------------- */

void
vault_sha256_hex(const void *p, size_t n, char out[VAULT_HEX_HASH + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, p, n);
	sodium_bin2hex(out, VAULT_HEX_HASH + 1, h, sizeof(h));
}

void
vault_genesis(const char *chain_id, char out[VAULT_HEX_HASH + 1])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	static const char prefix[] = VAULT_FORMAT " genesis ";

	/* Streamed, so that no allocation can fail here. */
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)prefix,
	    sizeof(prefix) - 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)chain_id,
	    strlen(chain_id));
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, VAULT_HEX_HASH + 1, h, sizeof(h));
}

void
vault_chain_id_new(char out[VAULT_CHAIN_ID + 1])
{
	unsigned char raw[VAULT_CHAIN_ID / 2];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, VAULT_CHAIN_ID + 1, raw, sizeof(raw));
}

/* Whether s is exactly n lowercase hex digits. */
static bool
is_hex(const char *s, size_t n)
{
	size_t i;

	if (s == NULL || strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (!(s[i] >= '0' && s[i] <= '9') &&
		    !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return true;
}

/*
 * Whether s can be a value of one line: well-formed UTF-8 with no control
 * character at all (vg_utf8_valid_text lets tab, LF and CR through; a
 * line break would let a value forge the next key).
 */
static bool
line_ok(const char *s)
{
	size_t n;

	if (s == NULL)
		return false;
	n = strlen(s);
	if (!vg_utf8_valid_text(s, n))
		return false;
	return strpbrk(s, "\t\n\r") == NULL;
}

char *
vault_record_text(const struct vault_record *rec, vg_rc *rc)
{
	vg_buf b = VG_BUF_INIT;
	char when[32];
	char *out;

	*rc = VG_EINVAL;
	if (rec->kind == NULL || (strcmp(rec->kind, "file") != 0 &&
	    strcmp(rec->kind, "url") != 0 && strcmp(rec->kind, "text") != 0))
		return NULL;
	if (rec->seq < 1 || rec->size < 0 || rec->received_at < 0)
		return NULL;
	if (!is_hex(rec->sha256, VAULT_HEX_HASH) ||
	    !is_hex(rec->prev, VAULT_HEX_HASH))
		return NULL;
	if (!line_ok(rec->name) || !line_ok(rec->type) || !line_ok(rec->url) ||
	    !line_ok(rec->facts_date) || !line_ok(rec->platform) ||
	    !line_ok(rec->author) || rec->type[0] == '\0')
		return NULL;

	vg_time_text(rec->received_at, "%Y-%m-%dT%H:%M:%SZ", when,
	    sizeof(when));
	vg_buf_puts(&b, VAULT_FORMAT "\n");
	vg_buf_printf(&b, "seq: %lld\n", (long long)rec->seq);
	vg_buf_printf(&b, "received_at: %s\n", when);
	vg_buf_printf(&b, "kind: %s\n", rec->kind);
	vg_buf_printf(&b, "sha256: %s\n", rec->sha256);
	vg_buf_printf(&b, "size: %lld\n", (long long)rec->size);
	vg_buf_printf(&b, "name: %s\n", rec->name);
	vg_buf_printf(&b, "type: %s\n", rec->type);
	vg_buf_printf(&b, "url: %s\n", rec->url);
	vg_buf_printf(&b, "facts_date: %s\n", rec->facts_date);
	vg_buf_printf(&b, "platform: %s\n", rec->platform);
	vg_buf_printf(&b, "author: %s\n", rec->author);
	vg_buf_printf(&b, "prev: %s\n", rec->prev);
	out = vg_buf_detach(&b, NULL);
	*rc = out ? VG_OK : VG_ENOMEM;
	return out;
}

char *
vault_url_evidence(const char *url, const char *description, size_t *len)
{
	vg_buf b = VG_BUF_INIT;

	vg_buf_puts(&b, url);
	vg_buf_puts(&b, "\n\n");
	if (description)
		vg_buf_puts(&b, description);
	if (vg_buf_failed(&b)) {
		vg_buf_free(&b);
		return NULL;
	}
	/* An empty description still leaves "URL\n\n": detach the data. */
	return vg_buf_detach(&b, len);
}

vg_rc
vault_seal_record(const struct vault_record *rec,
    char link[VAULT_HEX_HASH + 1], char sig[VAULT_HEX_SIG + 1])
{
	char *text;
	size_t n;
	vg_rc rc;

	text = vault_record_text(rec, &rc);
	if (text == NULL)
		return rc;
	n = strlen(text);
	vault_sha256_hex(text, n, link);
	rc = vault_sign(text, n, sig);
	free(text);
	return rc;
}

/* --- the signing key ---------------------------------------------------- */

vg_rc
vault_sign_key_create(const char *path)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char *sk;
	ssize_t w;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? VG_ECONFLICT : VG_EIO;
	sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (sk == NULL) {
		close(fd);
		unlink(path);
		return VG_ENOMEM;
	}
	crypto_sign_keypair(pk, sk);
	w = write(fd, sk, crypto_sign_SECRETKEYBYTES);
	sodium_free(sk);
	if (w != (ssize_t)crypto_sign_SECRETKEYBYTES || fsync(fd) != 0) {
		close(fd);
		unlink(path);
		return VG_EIO;
	}
	if (close(fd) != 0) {
		unlink(path);
		return VG_EIO;
	}
	return VG_OK;
}

/*
 * Read the secret key at path into sk: VG_EDENIED when group or others
 * may read it, VG_EIO when unreadable, of the wrong size, or when its
 * public half does not match its seed (a damaged file would otherwise
 * sign with a key nobody can check).
 */
static vg_rc
read_key(const char *path, unsigned char *sk, int64_t *mtime)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char *check;
	int same;
	vg_rc rc;

	if ((rc = vg_secret_read(path, sk, crypto_sign_SECRETKEYBYTES,
	    mtime)) != VG_OK)
		return rc;
	check = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (check == NULL)
		return VG_ENOMEM;
	crypto_sign_seed_keypair(pk, check, sk);
	same = sodium_memcmp(check, sk, crypto_sign_SECRETKEYBYTES) == 0;
	sodium_free(check);
	return same ? VG_OK : VG_EIO;
}

vg_rc
vault_sign_key_load(const char *path)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char *sk;
	int64_t mtime = 0;
	vg_rc rc;

	sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (sk == NULL)
		return VG_ENOMEM;
	rc = read_key(path, sk, &mtime);
	if (rc != VG_OK) {
		sodium_free(sk);
		return rc;
	}
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	sodium_mprotect_readonly(sk);
	vault_sign_key_free();
	sign_sk = sk;
	sign_made_at = mtime;
	sodium_bin2hex(sign_pk_hex, sizeof(sign_pk_hex), pk, sizeof(pk));
	return VG_OK;
}

void
vault_sign_key_free(void)
{
	if (sign_sk)
		sodium_free(sign_sk);
	sign_sk = NULL;
	sign_pk_hex[0] = '\0';
	sign_made_at = 0;
}

const char *
vault_public_key_hex(void)
{
	return sign_sk ? sign_pk_hex : NULL;
}

int64_t
vault_public_key_made_at(void)
{
	return sign_sk ? sign_made_at : 0;
}

void
vault_key_fingerprint(const char *pub_hex, char out[VAULT_FINGERPRINT + 1])
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[VAULT_HEX_HASH + 1];
	size_t bin_len = 0, i, o = 0;

	/* Of the raw key, so that upper- and lowercase hex agree. */
	if (pub_hex == NULL || strlen(pub_hex) != VAULT_HEX_KEY ||
	    sodium_hex2bin(pk, sizeof(pk), pub_hex, VAULT_HEX_KEY, NULL,
	    &bin_len, NULL) != 0 || bin_len != sizeof(pk)) {
		out[0] = '\0';
		return;
	}
	crypto_hash_sha256(h, pk, sizeof(pk));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	/* 32 hex digits in groups of four: easy to read out on the phone. */
	for (i = 0; i < 32; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = hex[i];
	}
	out[o] = '\0';
}

vg_rc
vault_sign(const void *p, size_t n, char sig[VAULT_HEX_SIG + 1])
{
	unsigned char s[crypto_sign_BYTES];

	if (sign_sk == NULL)
		return VG_EINTERNAL;
	if (crypto_sign_detached(s, NULL, p, n, sign_sk) != 0)
		return VG_EINTERNAL;
	sodium_bin2hex(sig, VAULT_HEX_SIG + 1, s, sizeof(s));
	return VG_OK;
}

/* Decode exactly 2 * n hex digits of hex into out. */
static bool
hex_exact(const char *hex, unsigned char *out, size_t n)
{
	size_t bin_len = 0;
	const char *end = NULL;

	if (hex == NULL || strlen(hex) != 2 * n)
		return false;
	if (sodium_hex2bin(out, n, hex, 2 * n, NULL, &bin_len, &end) != 0)
		return false;
	return bin_len == n && end == hex + 2 * n;
}

bool
vault_sig_check(const char *pub_hex, const void *p, size_t n,
    const char *sig_hex)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char s[crypto_sign_BYTES];

	if (!hex_exact(pub_hex, pk, sizeof(pk)) ||
	    !hex_exact(sig_hex, s, sizeof(s)))
		return false;
	return crypto_sign_verify_detached(s, p, n, pk) == 0;
}

/* --- GET /coffre/cle ---------------------------------------------------- */

/*
 * The public key, for a lawyer, an officer or a court expert who wants to
 * know that a bundle comes from this server: its hex, its fingerprint (to
 * read out on the phone), the algorithm and when the key was made.
 */
vg_rc
vault_key_page(vg_req *r, vg_resp *resp)
{
	const char *pub = vault_public_key_hex();
	char fp[VAULT_FINGERPRINT + 1], iso[32], fr[40];
	int64_t made = vault_public_key_made_at();
	json_t *key;

	(void)r;
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Espace personnel")));
	if (pub == NULL)
		return vg_fail(resp, VG_EINTERNAL, _("La clé de signature du "
		    "serveur n'est pas disponible pour le moment."), NULL);
	vault_key_fingerprint(pub, fp);
	key = json_pack("{s:s, s:s, s:s}", "public", pub, "algorithm",
	    "Ed25519", "fingerprint", fp);
	if (key == NULL)
		return VG_ENOMEM;
	if (made > 0) {
		vg_time_text(made, "%Y-%m-%dT%H:%M:%SZ", iso, sizeof(iso));
		vg_time_text(made, "%d/%m/%Y", fr, sizeof(fr));
		json_object_set_new(key, "created_at", json_string(iso));
		json_object_set_new(key, "created_fr", json_string(fr));
	}
	json_object_set_new(resp->ctx, "key", key);
	resp->tmpl = "vault_key";
	return VG_OK;
}
