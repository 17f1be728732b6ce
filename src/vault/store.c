/*
 * store.c — the vaults and their items at rest (sql/017_vault.sql).
 *
 * Everything of a vault is encrypted with its own key (VK), which only
 * the person's passphrase (argon2id) or a share's code unwraps: the
 * database and the uploads folder hold no plaintext, no hash of any
 * evidence, no file name.  Items are written as the design asks: the
 * evidence is hashed and its file encrypted and made durable first, then
 * the record is chained, signed by the server, and committed; an item is
 * acknowledged only once committed, and nothing is left half-written.
 */
#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "db/db.h"
#include "vault/vault_int.h"

#define CHUNK (64 * 1024)       /* bytes of a file encrypted at once */

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* --- codes ---------------------------------------------------------------- */

void
vault_code_new(size_t nchars, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < nchars; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = crockford[randombytes_uniform(32)];
	}
	out[o] = '\0';
}

bool
vault_code_normalise(const char *in, size_t nchars, char *out)
{
	size_t n = 0;
	int c;

	for (; *in != '\0'; in++) {
		c = (unsigned char)*in;
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (c == '\0' || strchr(crockford, c) == NULL || n == nchars)
			return false;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return n == nchars;
}

void
vault_code_lookup(const vg_keys *k, const char *what, const char *norm,
    char out[VG_TOKEN_CHARS + 1])
{
	char buf[64];
	int n;

	n = snprintf(buf, sizeof(buf), "%s:%s", what, norm);
	vg_hash_text(k->vault, buf, (size_t)n, out);
	sodium_memzero(buf, sizeof(buf));
}

/* --- keys ----------------------------------------------------------------- */

static vg_rc
kek_derive(const char *secret, const unsigned char *salt,
    unsigned long long ops, size_t mem, unsigned char kek[VAULT_KEY_BYTES])
{
	if (crypto_pwhash(kek, VAULT_KEY_BYTES, secret, strlen(secret), salt,
	    ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return VG_ENOMEM;
	return VG_OK;
}

vg_rc
vault_key_wrap(const char *secret, const unsigned char *salt,
    const unsigned char *vk, unsigned char out[VAULT_WRAPPED_BYTES])
{
	unsigned char kek[VAULT_KEY_BYTES];
	vg_rc rc;

	if ((rc = kek_derive(secret, salt, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE, kek)) != VG_OK)
		return rc;
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, vk,
	    VAULT_KEY_BYTES, out, kek);
	sodium_memzero(kek, sizeof(kek));
	return VG_OK;
}

static vg_rc
unwrap_with(const char *secret, const unsigned char *salt,
    unsigned long long ops, size_t mem, const unsigned char *wrapped,
    unsigned char *vk)
{
	unsigned char kek[VAULT_KEY_BYTES];
	vg_rc rc;

	if ((rc = kek_derive(secret, salt, ops, mem, kek)) != VG_OK)
		return rc;
	rc = crypto_secretbox_open_easy(vk, wrapped +
	    crypto_secretbox_NONCEBYTES, VAULT_WRAPPED_BYTES -
	    crypto_secretbox_NONCEBYTES, wrapped, kek) == 0 ? VG_OK : VG_EAUTH;
	sodium_memzero(kek, sizeof(kek));
	return rc;
}

vg_rc
vault_key_unwrap(const char *secret, const unsigned char *salt,
    const unsigned char *wrapped, unsigned char *vk)
{
	return unwrap_with(secret, salt, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE, wrapped, vk);
}

unsigned char *
vault_box(const unsigned char *vk, const void *p, size_t n, size_t *outlen)
{
	unsigned char *out = malloc(n + VG_SEAL_OVERHEAD);

	if (out == NULL)
		return NULL;
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, p, n, out,
	    vk);
	*outlen = n + VG_SEAL_OVERHEAD;
	return out;
}

unsigned char *
vault_unbox(const unsigned char *vk, const void *c, size_t n, size_t *outlen)
{
	const unsigned char *in = c;
	unsigned char *out;

	if (c == NULL || n < VG_SEAL_OVERHEAD ||
	    (out = malloc(n - VG_SEAL_OVERHEAD + 1)) == NULL)
		return NULL;
	if (crypto_secretbox_open_easy(out, in + crypto_secretbox_NONCEBYTES,
	    n - crypto_secretbox_NONCEBYTES, in, vk) != 0) {
		free(out);
		return NULL;
	}
	out[n - VG_SEAL_OVERHEAD] = '\0';
	if (outlen != NULL)
		*outlen = n - VG_SEAL_OVERHEAD;
	return out;
}

/* Bind n bytes encrypted with vk (p NULL binds NULL). */
static vg_rc
bind_boxed(vg_stmt *st, int i, const unsigned char *vk, const void *p,
    size_t n)
{
	unsigned char *c;
	size_t len;
	vg_rc rc;

	if (p == NULL)
		return vg_stmt_bind_null(st, i);
	if ((c = vault_box(vk, p, n, &len)) == NULL)
		return VG_ENOMEM;
	rc = vg_stmt_bind_blob(st, i, c, len);
	free(c);
	return rc;
}

static vg_rc
bind_boxed_text(vg_stmt *st, int i, const unsigned char *vk, const char *s)
{
	return bind_boxed(st, i, vk, s, s ? strlen(s) : 0);
}

/* Column col opened with vk (caller frees), or NULL. */
static char *
column_unboxed(vg_stmt *st, int col, const unsigned char *vk, size_t *n)
{
	const void *p;
	size_t len;

	if (vg_stmt_is_null(st, col))
		return NULL;
	p = vg_stmt_blob(st, col, &len);
	return (char *)vault_unbox(vk, p, len, n);
}

/* --- names and types ------------------------------------------------------ */

static const struct {
	const char *found, *type;
} types[] = {
	{"image/png", "image/png"},
	{"image/jpeg", "image/jpeg"},
	{"image/webp", "image/webp"},
	{"image/gif", "image/gif"},
	{"application/pdf", "application/pdf"},
	{"audio/mpeg", "audio/mpeg"},
	{"audio/ogg", "audio/ogg"},
	{"audio/mp4", "audio/mp4"},
	{"audio/x-m4a", "audio/mp4"},
	{"audio/x-wav", "audio/wav"},
	{"audio/wav", "audio/wav"},
	{"audio/vnd.wave", "audio/wav"},
	{"video/mp4", "video/mp4"},
	{"text/plain", "text/plain"},
};

const char *
vault_sniff(const char *path)
{
	const char *found, *type = NULL;
	magic_t m;
	size_t i;

	/* One handle per call: libmagic is not thread-safe. */
	if ((m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR)) == NULL)
		return NULL;
	if (magic_load(m, NULL) != 0) {
		vg_error("vault: libmagic: %s", magic_error(m));
		magic_close(m);
		return NULL;
	}
	if ((found = magic_file(m, path)) != NULL)
		for (i = 0; i < VG_ARRAY_LEN(types); i++)
			if (strcmp(found, types[i].found) == 0) {
				type = types[i].type;
				break;
			}
	magic_close(m);
	return type;
}

/* --- files ---------------------------------------------------------------- */

static void
file_path(const char *data, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/uploads/vault/%s", data, name);
}

static vg_rc
sync_dir(const char *data)
{
	char dir[1100];
	int fd;
	vg_rc rc = VG_OK;

	snprintf(dir, sizeof(dir), "%s/uploads/vault", data);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return VG_EIO;
	if (fsync(fd) != 0)
		rc = VG_EIO;
	close(fd);
	return rc;
}

/*
 * Encrypt the file at src into dst (created, mode 0600) with vk, as a
 * libsodium secretstream, hashing the plaintext (SHA-256, hex, into
 * sha) on the way; dst is fsync'ed.  Removed on failure.
 */
static vg_rc
file_encrypt(const char *src, const char *dst, const unsigned char *vk,
    char sha[VAULT_HEX_HASH + 1], int64_t *size)
{
	crypto_secretstream_xchacha20poly1305_state ss;
	crypto_hash_sha256_state hs;
	unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
	unsigned char digest[crypto_hash_sha256_BYTES];
	unsigned char *in = NULL, *out = NULL;
	FILE *fi = NULL, *fo = NULL;
	size_t n;
	int fd = -1, eof;
	vg_rc rc = VG_EIO;

	*size = 0;
	in = malloc(CHUNK);
	out = malloc(CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES);
	if (in == NULL || out == NULL) {
		rc = VG_ENOMEM;
		goto done;
	}
	if ((fi = fopen(src, "rb")) == NULL)
		goto done;
	fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || (fo = fdopen(fd, "wb")) == NULL)
		goto done;
	crypto_hash_sha256_init(&hs);
	crypto_secretstream_xchacha20poly1305_init_push(&ss, header, vk);
	if (fwrite(header, 1, sizeof(header), fo) != sizeof(header))
		goto done;
	do {
		unsigned long long clen;

		n = fread(in, 1, CHUNK, fi);
		if (ferror(fi))
			goto done;
		eof = feof(fi);
		crypto_hash_sha256_update(&hs, in, n);
		*size += (int64_t)n;
		crypto_secretstream_xchacha20poly1305_push(&ss, out, &clen, in,
		    n, NULL, 0, eof ?
		    crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
		if (fwrite(out, 1, (size_t)clen, fo) != (size_t)clen)
			goto done;
	} while (!eof);
	if (fflush(fo) != 0 || fsync(fd) != 0)
		goto done;
	crypto_hash_sha256_final(&hs, digest);
	sodium_bin2hex(sha, VAULT_HEX_HASH + 1, digest, sizeof(digest));
	rc = VG_OK;
done:
	if (fi != NULL)
		fclose(fi);
	if (fo != NULL)
		fclose(fo);
	else if (fd >= 0)
		close(fd);
	if (rc != VG_OK && fd >= 0)
		unlink(dst);
	if (in != NULL)
		sodium_memzero(in, CHUNK);
	free(in);
	free(out);
	return rc;
}

/* The plaintext of an encrypted file, in memory (caller frees). */
static vg_rc
file_decrypt(const char *path, const unsigned char *vk, unsigned char **p,
    size_t *len)
{
	crypto_secretstream_xchacha20poly1305_state ss;
	unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
	unsigned char *in = NULL, *buf = NULL, *grown;
	size_t n, cap = 0, used = 0;
	unsigned long long mlen;
	unsigned char tag = 0;
	FILE *f;
	vg_rc rc = VG_EIO;

	*p = NULL;
	*len = 0;
	if ((f = fopen(path, "rb")) == NULL)
		return errno == ENOENT ? VG_ENOTFOUND : VG_EIO;
	in = malloc(CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES);
	if (in == NULL) {
		rc = VG_ENOMEM;
		goto done;
	}
	if (fread(header, 1, sizeof(header), f) != sizeof(header) ||
	    crypto_secretstream_xchacha20poly1305_init_pull(&ss, header,
	    vk) != 0)
		goto done;
	while (tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		n = fread(in, 1, CHUNK +
		    crypto_secretstream_xchacha20poly1305_ABYTES, f);
		if (n < crypto_secretstream_xchacha20poly1305_ABYTES)
			goto done;      /* truncated */
		if (used + n + 1 > cap) {
			cap = (used + n + 1) * 2;
			if ((grown = realloc(buf, cap)) == NULL) {
				rc = VG_ENOMEM;
				goto done;
			}
			buf = grown;
		}
		if (crypto_secretstream_xchacha20poly1305_pull(&ss,
		    buf + used, &mlen, &tag, in, n, NULL, 0) != 0)
			goto done;
		used += (size_t)mlen;
	}
	if (buf == NULL && (buf = malloc(1)) == NULL) {
		rc = VG_ENOMEM;
		goto done;
	}
	buf[used] = '\0';
	*p = buf;
	*len = used;
	buf = NULL;
	rc = VG_OK;
done:
	fclose(f);
	free(in);
	free(buf);
	return rc;
}

/* --- vaults --------------------------------------------------------------- */

vg_rc
vault_create(const vg_keys *k, const char *passphrase, int64_t now,
    char id[VAULT_ID_CHARS * 5 / 4], int64_t *vault, unsigned char *vk)
{
	unsigned char salt[VAULT_SALT_BYTES], wrapped[VAULT_WRAPPED_BYTES];
	char norm[VAULT_ID_CHARS + 1], lookup[VG_TOKEN_CHARS + 1];
	char chain[VAULT_CHAIN_ID + 1];
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	crypto_secretbox_keygen(vk);
	randombytes_buf(salt, sizeof(salt));
	if ((rc = vault_key_wrap(passphrase, salt, vk, wrapped)) != VG_OK)
		return rc;
	vault_chain_id_new(chain);
	/* 80 random bits: a collision is next to impossible, but a UNIQUE
	 * violation would only mean drawing again. */
	for (int tries = 0; tries < 3; tries++) {
		vault_code_new(VAULT_ID_CHARS, id);
		vault_code_normalise(id, VAULT_ID_CHARS, norm);
		vault_code_lookup(k, "vault", norm, lookup);
		if ((rc = vg_db_prepare(db, "INSERT INTO vaults (lookup, salt, "
		    "opslimit, memlimit, wrapped_key, chain, created_at) "
		    "VALUES (?, ?, ?, ?, ?, ?, ?)", &st)) != VG_OK)
			return rc;
		vg_stmt_bind_text(st, 1, lookup);
		vg_stmt_bind_blob(st, 2, salt, sizeof(salt));
		vg_stmt_bind_int(st, 3,
		    (int64_t)crypto_pwhash_OPSLIMIT_INTERACTIVE);
		vg_stmt_bind_int(st, 4,
		    (int64_t)crypto_pwhash_MEMLIMIT_INTERACTIVE);
		vg_stmt_bind_blob(st, 5, wrapped, sizeof(wrapped));
		if ((rc = bind_boxed_text(st, 6, vk, chain)) == VG_OK) {
			vg_stmt_bind_int(st, 7, now);
			rc = vg_stmt_exec(st);
		}
		vg_stmt_done(st);
		if (rc != VG_ECONFLICT)
			break;
	}
	sodium_memzero(norm, sizeof(norm));
	if (rc != VG_OK)
		return rc;
	*vault = vg_db_last_id(db);
	return VG_OK;
}

vg_rc
vault_unlock(const vg_keys *k, const char *id, const char *passphrase,
    int64_t *vault, unsigned char *vk)
{
	unsigned char salt[VAULT_SALT_BYTES], wrapped[VAULT_WRAPPED_BYTES];
	unsigned char h[VG_HASH_BYTES];
	char norm[VAULT_ID_CHARS + 1], lookup[VG_TOKEN_CHARS + 1];
	unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE, n;
	const void *p;
	bool row = false, known = false;
	vg_stmt *st;
	vg_rc rc;

	/* An unknown or malformed identifier costs the same argon2id work
	 * as a known one, with a salt of its own, and fails the same way. */
	if (!vault_code_normalise(id, VAULT_ID_CHARS, norm))
		snprintf(norm, sizeof(norm), "%.16s", id);
	vg_hash(k->vault, norm, strlen(norm), h);
	memcpy(salt, h, sizeof(salt));
	randombytes_buf(wrapped, sizeof(wrapped));
	vault_code_lookup(k, "vault", norm, lookup);
	if ((rc = vg_db_prepare(vg_db_thread(), "SELECT id, salt, opslimit, "
	    "memlimit, wrapped_key FROM vaults WHERE lookup = ?", &st)) !=
	    VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, lookup);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		p = vg_stmt_blob(st, 1, &n);
		if (n == sizeof(salt)) {
			memcpy(salt, p, n);
			p = vg_stmt_blob(st, 4, &n);
			if (n == sizeof(wrapped)) {
				memcpy(wrapped, p, n);
				known = true;
				*vault = vg_stmt_int(st, 0);
				ops = (unsigned long long)vg_stmt_int(st, 2);
				mem = (size_t)vg_stmt_int(st, 3);
			}
		}
	}
	vg_stmt_done(st);
	sodium_memzero(norm, sizeof(norm));
	if (rc != VG_OK)
		return rc;
	rc = unwrap_with(passphrase, salt, ops, mem, wrapped, vk);
	if (rc == VG_OK && !known)
		rc = VG_EAUTH;          /* a random box never opens anyway */
	if (rc != VG_OK)
		sodium_memzero(vk, VAULT_KEY_BYTES);
	return rc;
}

vg_rc
vault_check_passphrase(int64_t vault, const char *passphrase)
{
	unsigned char salt[VAULT_SALT_BYTES], wrapped[VAULT_WRAPPED_BYTES];
	unsigned char vk[VAULT_KEY_BYTES];
	unsigned long long ops = 0;
	size_t mem = 0, n, m;
	const void *p, *q;
	vg_stmt *st;
	bool row = false;
	vg_rc rc;

	if ((rc = vg_db_prepare(vg_db_thread(), "SELECT salt, opslimit, "
	    "memlimit, wrapped_key FROM vaults WHERE id = ?", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, vault);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		p = vg_stmt_blob(st, 0, &n);
		q = vg_stmt_blob(st, 3, &m);
		if (n != sizeof(salt) || m != sizeof(wrapped))
			rc = VG_EINTERNAL;
		else {
			memcpy(salt, p, n);
			memcpy(wrapped, q, m);
			ops = (unsigned long long)vg_stmt_int(st, 1);
			mem = (size_t)vg_stmt_int(st, 2);
		}
	} else if (rc == VG_OK)
		rc = VG_ENOTFOUND;
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	rc = unwrap_with(passphrase, salt, ops, mem, wrapped, vk);
	sodium_memzero(vk, sizeof(vk));
	return rc;
}

/* The chain's id of a vault (caller frees). */
static vg_rc
chain_of(vg_db *db, const struct vault_open *o, char **out)
{
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if ((rc = vg_db_prepare(db, "SELECT chain FROM vaults WHERE id = ?",
	    &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, o->vault);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && !row)
		rc = VG_ENOTFOUND;
	if (rc == VG_OK && (*out = column_unboxed(st, 0, o->vk, NULL)) ==
	    NULL)
		rc = VG_EINTERNAL;
	vg_stmt_done(st);
	return rc;
}

/* --- items ---------------------------------------------------------------- */

/* The previous link, the next seq and how many items are kept. */
static vg_rc
chain_tail(vg_db *db, const struct vault_open *o, const char *chain,
    char prev[VAULT_HEX_HASH + 1], int64_t *seq, int64_t *kept)
{
	vg_stmt *st;
	json_t *rec = NULL;
	char *text;
	bool row;
	vg_rc rc;

	*seq = 1;
	*kept = 0;
	vault_genesis(chain, prev);
	if ((rc = vg_db_prepare(db, "SELECT count(*) FROM vault_items WHERE "
	    "vault_id = ? AND deleted = 0", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, o->vault);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		*kept = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	if ((rc = vg_db_prepare(db, "SELECT seq, record FROM vault_items "
	    "WHERE vault_id = ? ORDER BY seq DESC LIMIT 1", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, o->vault);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		*seq = vg_stmt_int(st, 0) + 1;
		text = column_unboxed(st, 1, o->vk, NULL);
		rec = text ? json_loads(text, 0, NULL) : NULL;
		free(text);
		if (!json_is_string(json_object_get(rec, "link")) ||
		    strlen(json_string_value(json_object_get(rec, "link"))) !=
		    VAULT_HEX_HASH)
			rc = VG_EINTERNAL;
		else
			memcpy(prev, json_string_value(json_object_get(rec,
			    "link")), VAULT_HEX_HASH + 1);
		json_decref(rec);
	}
	vg_stmt_done(st);
	return rc;
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

/* The record as stored (JSON, encrypted with VK). */
static json_t *
record_json(const struct vault_record *rec, const char *link,
    const char *sig, bool csam)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:s, s:s, s:b, s:n}",
	    "seq", (json_int_t)rec->seq,
	    "received_at", (json_int_t)rec->received_at,
	    "kind", rec->kind, "sha256", rec->sha256,
	    "size", (json_int_t)rec->size, "name", rec->name,
	    "type", rec->type, "url", rec->url,
	    "facts_date", rec->facts_date, "platform", rec->platform,
	    "author", rec->author, "prev", rec->prev, "link", link,
	    "signature", sig, "csam", csam, "deleted_at");
}

static vg_rc
insert_item(vg_db *db, const struct vault_open *o, const json_t *rec,
    const struct vault_item_in *in, const char *file)
{
	vg_stmt *st;
	char *text;
	const char *content = NULL;
	vg_rc rc;

	if ((text = json_dumps(rec, JSON_COMPACT)) == NULL)
		return VG_ENOMEM;
	if (strcmp(in->kind, "url") == 0)
		content = or_empty(in->description);
	else if (strcmp(in->kind, "text") == 0)
		content = in->text;
	if ((rc = vg_db_prepare(db, "INSERT INTO vault_items (vault_id, seq, "
	    "record, content, note, file) VALUES (?, ?, ?, ?, ?, ?)", &st)) ==
	    VG_OK) {
		vg_stmt_bind_int(st, 1, o->vault);
		vg_stmt_bind_int(st, 2, json_integer_value(json_object_get(rec,
		    "seq")));
		if ((rc = bind_boxed_text(st, 3, o->vk, text)) == VG_OK &&
		    (rc = bind_boxed_text(st, 4, o->vk, content)) == VG_OK &&
		    (rc = bind_boxed_text(st, 5, o->vk, in->note)) == VG_OK &&
		    (rc = vg_stmt_bind_text(st, 6, file)) == VG_OK)
			rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	sodium_memzero(text, strlen(text));
	free(text);
	return rc;
}

vg_rc
vault_item_add(const char *data, const struct vault_open *o,
    int max_items, const struct vault_item_in *in, int64_t now,
    struct vault_ack *ack)
{
	struct vault_record rec;
	vg_db *db = vg_db_thread();
	char tmp[1200], final[1200], name[VG_TOKEN_CHARS + 1];
	char link[VAULT_HEX_HASH + 1], sig[VAULT_HEX_SIG + 1];
	char *chain = NULL, *evidence = NULL;
	json_t *stored = NULL;
	int64_t kept;
	size_t len;
	bool began = false, tmp_made = false, final_made = false;
	vg_rc rc;

	if (db == NULL || o->readonly)
		return o->readonly ? VG_EDENIED : VG_EDB;
	memset(&rec, 0, sizeof(rec));
	rec.received_at = now;
	rec.kind = in->kind;
	rec.name = "";
	rec.type = "text/plain";
	rec.url = "";
	rec.facts_date = or_empty(in->facts_date);
	rec.platform = or_empty(in->platform);
	rec.author = or_empty(in->author);
	/* The evidence first, outside the transaction: a file is hashed
	 * and encrypted into a temporary file made durable. */
	if (strcmp(in->kind, "file") == 0) {
		vg_token_new(name);
		snprintf(tmp, sizeof(tmp), "%s/uploads/vault/.tmp-%s", data,
		    name);
		if ((rc = file_encrypt(in->path, tmp, o->vk, rec.sha256,
		    &rec.size)) != VG_OK)
			return rc;
		tmp_made = true;
		rec.name = in->name;
		rec.type = in->type;
	} else {
		if (strcmp(in->kind, "url") == 0) {
			evidence = vault_url_evidence(in->url,
			    or_empty(in->description), &len);
			rec.url = in->url;
		} else if (in->text != NULL) {
			evidence = strdup(in->text);
			len = evidence ? strlen(evidence) : 0;
		}
		if (evidence == NULL)
			return VG_ENOMEM;
		vault_sha256_hex(evidence, len, rec.sha256);
		rec.size = (int64_t)len;
		sodium_memzero(evidence, len);
		free(evidence);
	}
	if ((rc = vg_db_begin(db)) != VG_OK)
		goto done;
	began = true;
	if ((rc = chain_of(db, o, &chain)) != VG_OK ||
	    (rc = chain_tail(db, o, chain, rec.prev, &rec.seq, &kept)) !=
	    VG_OK)
		goto done;
	if (kept >= max_items) {
		rc = VG_ECONFLICT;
		goto done;
	}
	/* Signed before anything is acknowledged. */
	if ((rc = vault_seal_record(&rec, link, sig)) != VG_OK)
		goto done;
	if ((stored = record_json(&rec, link, sig, in->csam)) == NULL) {
		rc = VG_ENOMEM;
		goto done;
	}
	if (tmp_made) {
		file_path(data, name, final, sizeof(final));
		if (rename(tmp, final) != 0) {
			rc = VG_EIO;
			goto done;
		}
		tmp_made = false;
		final_made = true;
		if ((rc = sync_dir(data)) != VG_OK)
			goto done;
	}
	if ((rc = insert_item(db, o, stored, in, final_made ? name : NULL)) !=
	    VG_OK)
		goto done;
	rc = vg_db_commit(db);
	began = false;
	if (rc == VG_OK) {
		ack->seq = rec.seq;
		ack->received_at = now;
		memcpy(ack->sha256, rec.sha256, sizeof(ack->sha256));
		memcpy(ack->link, link, sizeof(ack->link));
	}
done:
	if (began)
		vg_db_rollback(db);
	if (rc != VG_OK && tmp_made)
		unlink(tmp);
	if (rc != VG_OK && final_made)
		unlink(final);
	json_decref(stored);
	free(chain);
	return rc;
}

/* One item's JSON from the current row (seq, record, content, note,
 * deleted), or NULL. */
static json_t *
item_json(vg_stmt *st, const struct vault_open *o)
{
	char *text, *content, *note;
	json_t *item;
	const char *kind;

	if ((text = column_unboxed(st, 1, o->vk, NULL)) == NULL)
		return NULL;
	item = json_loads(text, 0, NULL);
	free(text);
	if (item == NULL)
		return NULL;
	content = column_unboxed(st, 2, o->vk, NULL);
	note = column_unboxed(st, 3, o->vk, NULL);
	kind = json_string_value(json_object_get(item, "kind"));
	if (kind != NULL && strcmp(kind, "url") == 0)
		json_object_set_new(item, "description", content ?
		    json_string(content) : json_null());
	else if (kind != NULL && strcmp(kind, "text") == 0)
		json_object_set_new(item, "text", content ?
		    json_string(content) : json_null());
	json_object_set_new(item, "note", note ? json_string(note) :
	    json_null());
	json_object_set_new(item, "deleted", json_boolean(vg_stmt_int(st,
	    4) != 0));
	free(content);
	free(note);
	return item;
}

vg_rc
vault_items(const struct vault_open *o, json_t **out)
{
	json_t *list = json_array(), *item;
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (list == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_prepare(vg_db_thread(), "SELECT seq, record, "
	    "content, note, deleted FROM vault_items WHERE vault_id = ? "
	    "ORDER BY seq", &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, o->vault);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		if ((item = item_json(st, o)) == NULL) {
			rc = VG_EINTERNAL;
			break;
		}
		json_array_append_new(list, item);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

vg_rc
vault_item(const struct vault_open *o, int64_t seq, json_t **out)
{
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if ((rc = vg_db_prepare(vg_db_thread(), "SELECT seq, record, "
	    "content, note, deleted FROM vault_items WHERE vault_id = ? AND "
	    "seq = ?", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, o->vault);
	vg_stmt_bind_int(st, 2, seq);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK) {
		if (!row)
			rc = VG_ENOTFOUND;
		else if ((*out = item_json(st, o)) == NULL)
			rc = VG_EINTERNAL;
	}
	vg_stmt_done(st);
	return rc;
}

/* The evidence of an item whose row is current (seq, record, content,
 * file, deleted). */
static vg_rc
content_of(const char *data, vg_stmt *st, const struct vault_open *o,
    unsigned char **p, size_t *n)
{
	char path[1200], *text, *content;
	json_t *rec;
	const char *kind;
	vg_rc rc = VG_OK;

	*p = NULL;
	*n = 0;
	if (vg_stmt_int(st, 4) != 0)
		return VG_ENOTFOUND;
	if (!vg_stmt_is_null(st, 3)) {
		file_path(data, vg_stmt_text(st, 3), path, sizeof(path));
		return file_decrypt(path, o->vk, p, n);
	}
	if ((text = column_unboxed(st, 1, o->vk, NULL)) == NULL)
		return VG_EINTERNAL;
	rec = json_loads(text, 0, NULL);
	free(text);
	kind = json_string_value(json_object_get(rec, "kind"));
	content = column_unboxed(st, 2, o->vk, NULL);
	if (kind == NULL || content == NULL)
		rc = VG_EINTERNAL;
	else if (strcmp(kind, "url") == 0)
		*p = (unsigned char *)vault_url_evidence(json_string_value(
		    json_object_get(rec, "url")), content, n);
	else {
		*p = (unsigned char *)content;
		*n = strlen(content);
		content = NULL;
	}
	if (rc == VG_OK && *p == NULL)
		rc = VG_ENOMEM;
	free(content);
	json_decref(rec);
	return rc;
}

vg_rc
vault_item_content(const char *data, const struct vault_open *o,
    int64_t seq, unsigned char **p, size_t *n)
{
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*p = NULL;
	if ((rc = vg_db_prepare(vg_db_thread(), "SELECT seq, record, "
	    "content, file, deleted FROM vault_items WHERE vault_id = ? AND "
	    "seq = ?", &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, o->vault);
	vg_stmt_bind_int(st, 2, seq);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK)
		rc = row ? content_of(data, st, o, p, n) : VG_ENOTFOUND;
	vg_stmt_done(st);
	return rc;
}

vg_rc
vault_item_set_note(const struct vault_open *o, int64_t seq,
    const char *note)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	if (o->readonly)
		return VG_EDENIED;
	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, "SELECT 1 FROM vault_items WHERE "
	    "vault_id = ? AND seq = ? AND deleted = 0", &st)) != VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_int(st, 1, o->vault);
	vg_stmt_bind_int(st, 2, seq);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && !row)
		rc = VG_ENOTFOUND;
	vg_stmt_done(st);
	if (rc != VG_OK)
		return vg_db_end(db, rc);
	if ((rc = vg_db_prepare(db, "UPDATE vault_items SET note = ? WHERE "
	    "vault_id = ? AND seq = ?", &st)) != VG_OK)
		return vg_db_end(db, rc);
	if ((rc = bind_boxed_text(st, 1, o->vk, note)) == VG_OK) {
		vg_stmt_bind_int(st, 2, o->vault);
		vg_stmt_bind_int(st, 3, seq);
		rc = vg_stmt_exec(st);
	}
	vg_stmt_done(st);
	return vg_db_end(db, rc);
}

vg_rc
vault_item_delete(const char *data, const struct vault_open *o,
    int64_t seq, int64_t now)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *rec = NULL;
	char *text = NULL, *file = NULL, path[1200];
	bool row;
	vg_rc rc;

	if (o->readonly)
		return VG_EDENIED;
	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, "SELECT record, file FROM vault_items "
	    "WHERE vault_id = ? AND seq = ? AND deleted = 0", &st)) != VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_int(st, 1, o->vault);
	vg_stmt_bind_int(st, 2, seq);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && !row)
		rc = VG_ENOTFOUND;
	if (rc == VG_OK) {
		text = column_unboxed(st, 0, o->vk, NULL);
		if (!vg_stmt_is_null(st, 1))
			file = strdup(vg_stmt_text(st, 1));
	}
	vg_stmt_done(st);
	if (rc == VG_OK && (text == NULL ||
	    (rec = json_loads(text, 0, NULL)) == NULL))
		rc = VG_EINTERNAL;
	free(text);
	text = NULL;
	if (rc != VG_OK)
		goto done;
	/* The record stays, so the chain still holds; it says when. */
	json_object_set_new(rec, "deleted_at", json_integer(now));
	if ((text = json_dumps(rec, JSON_COMPACT)) == NULL) {
		rc = VG_ENOMEM;
		goto done;
	}
	if ((rc = vg_db_prepare(db, "UPDATE vault_items SET record = ?, "
	    "content = NULL, note = NULL, file = NULL, deleted = 1 WHERE "
	    "vault_id = ? AND seq = ?", &st)) != VG_OK)
		goto done;
	if ((rc = bind_boxed_text(st, 1, o->vk, text)) == VG_OK) {
		vg_stmt_bind_int(st, 2, o->vault);
		vg_stmt_bind_int(st, 3, seq);
		rc = vg_stmt_exec(st);
	}
	vg_stmt_done(st);
done:
	rc = vg_db_end(db, rc);
	if (rc == VG_OK && file != NULL) {
		file_path(data, file, path, sizeof(path));
		if (unlink(path) != 0 && errno != ENOENT)
			vg_error("vault: cannot remove a deleted item's file: "
			    "%s", strerror(errno));
	}
	json_decref(rec);
	free(text);
	free(file);
	return rc;
}

vg_rc
vault_destroy(const char *data, int64_t vault)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *files = json_array();
	char path[1200];
	const char *q[] = {
		"DELETE FROM vault_shares WHERE vault_id = ?",
		"DELETE FROM vault_items WHERE vault_id = ?",
		"DELETE FROM vaults WHERE id = ?",
	};
	json_t *f;
	size_t i;
	bool row;
	vg_rc rc;

	if (files == NULL)
		return VG_ENOMEM;
	if (db == NULL || vg_db_begin(db) != VG_OK) {
		json_decref(files);
		return VG_EDB;
	}
	if ((rc = vg_db_prepare(db, "SELECT file FROM vault_items WHERE "
	    "vault_id = ? AND file IS NOT NULL", &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, vault);
		while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
			json_array_append_new(files,
			    json_string(vg_stmt_text(st, 0)));
		vg_stmt_done(st);
	}
	for (i = 0; rc == VG_OK && i < VG_ARRAY_LEN(q); i++) {
		if ((rc = vg_db_prepare(db, q[i], &st)) != VG_OK)
			break;
		vg_stmt_bind_int(st, 1, vault);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	if ((rc = vg_db_end(db, rc)) == VG_OK)
		json_array_foreach(files, i, f) {
			file_path(data, json_string_value(f), path,
			    sizeof(path));
			if (unlink(path) != 0 && errno != ENOENT)
				vg_error("vault: cannot remove a file of a "
				    "deleted vault: %s", strerror(errno));
		}
	json_decref(files);
	return rc;
}

/* --- export --------------------------------------------------------------- */

struct export_ctx {
	const char *data;
	const struct vault_open *o;
};

static vg_rc
export_content(void *ctx, int64_t seq, unsigned char **data, size_t *len)
{
	struct export_ctx *x = ctx;

	return vault_item_content(x->data, x->o, seq, data, len);
}

static const char *
str_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

vg_rc
vault_export(const char *data, const struct vault_open *o, const char *path,
    int64_t now)
{
	struct vault_export_in in;
	struct vault_export_item *items = NULL, *it;
	struct export_ctx x = {data, o};
	json_t *list = NULL, *j;
	char *chain = NULL;
	size_t i;
	vg_rc rc;

	if ((rc = chain_of(vg_db_thread(), o, &chain)) != VG_OK ||
	    (rc = vault_items(o, &list)) != VG_OK)
		goto done;
	if (json_array_size(list) > 0 && (items = calloc(json_array_size(list),
	    sizeof(*items))) == NULL) {
		rc = VG_ENOMEM;
		goto done;
	}
	json_array_foreach(list, i, j) {
		it = &items[i];
		it->rec.seq = json_integer_value(json_object_get(j, "seq"));
		it->rec.received_at = json_integer_value(json_object_get(j,
		    "received_at"));
		it->rec.kind = str_of(j, "kind");
		snprintf(it->rec.sha256, sizeof(it->rec.sha256), "%s",
		    str_of(j, "sha256"));
		it->rec.size = json_integer_value(json_object_get(j, "size"));
		it->rec.name = str_of(j, "name");
		it->rec.type = str_of(j, "type");
		it->rec.url = str_of(j, "url");
		it->rec.facts_date = str_of(j, "facts_date");
		it->rec.platform = str_of(j, "platform");
		it->rec.author = str_of(j, "author");
		snprintf(it->rec.prev, sizeof(it->rec.prev), "%s",
		    str_of(j, "prev"));
		snprintf(it->link, sizeof(it->link), "%s", str_of(j, "link"));
		snprintf(it->signature, sizeof(it->signature), "%s",
		    str_of(j, "signature"));
		it->description = str_of(j, "description");
		it->text = str_of(j, "text");
		it->note = json_string_value(json_object_get(j, "note"));
		it->deleted_at = json_integer_value(json_object_get(j,
		    "deleted_at"));
	}
	memset(&in, 0, sizeof(in));
	in.chain_id = chain;
	in.items = items;
	in.n = json_array_size(list);
	in.content = export_content;
	in.ctx = &x;
	in.now = now;
	rc = vault_export_zip(&in, path);
done:
	free(items);
	json_decref(list);
	free(chain);
	return rc;
}
