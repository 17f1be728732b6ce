/*
 * vault_int.h — what the vault's files share (not for other areas).
 *
 * Two halves:
 *  - chain.c, export.c, verify.c: the signed records, the server's
 *    signing key, the bundle (ZIP) and its offline verification.  They
 *    know nothing of the database or of sessions.
 *  - vault.c, store.c, session.c, share.c: the vaults themselves, their
 *    keys, the opened vaults, the shares and the pages.
 *
 * The record of an item is the canonical text that is hashed into the
 * chain and signed by the server on arrival (docs/vault-verify.md gives the
 * format):
 *
 *	vigie-coffre-v1\n
 *	seq: 3\n
 *	received_at: 2026-11-23T15:20:01Z\n
 *	kind: file\n                  (file, url or text)
 *	sha256: <64 hex>\n            (of the evidence bytes)
 *	size: 12345\n                 (of the evidence bytes)
 *	name: capture.png\n           (file items; else empty)
 *	type: image/png\n             (libmagic; text/plain for texts and
 *	                               links; never empty)
 *	url: https://…\n              (link items; else empty)
 *	facts_date: 2026-11-20\n      (or empty)
 *	platform: Instagram\n         (or empty)
 *	author: @pseudo\n             (or empty)
 *	prev: <64 hex>\n              (the previous link; for seq 1 the
 *	                               genesis of the chain)
 *
 * Each line is "key: value\n" with the value as given (UTF-8, no control
 * character).  The evidence bytes are the file for a file, the text for a
 * text, and for a link "URL\n\nDESCRIPTION" (the description may be
 * empty).  link = hex SHA-256 of the record's text; the signature is the
 * detached Ed25519 signature of the record's text, in hex.
 */
#ifndef VG_VAULT_INT_H
#define VG_VAULT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vg.h"
#include "http/http.h"

#define VAULT_FORMAT "vigie-coffre-v1"
#define VAULT_HEX_HASH 64        /* SHA-256, hex */
#define VAULT_HEX_SIG 128        /* Ed25519 signature, hex */
#define VAULT_HEX_KEY 64         /* Ed25519 public key, hex */
#define VAULT_CHAIN_ID 32        /* 16 random bytes, hex */
#define VAULT_SIGN_KEY_FILE "vigie-sign.key"

/* --- chain.c: records, links, the server's signing key ---------------- */

struct vault_record {
	int64_t seq;                    /* 1, 2, … within the vault */
	int64_t received_at;            /* server time, Unix seconds */
	const char *kind;               /* "file", "url", "text" */
	char sha256[VAULT_HEX_HASH + 1];
	int64_t size;
	const char *name, *type, *url;  /* "" when not applicable */
	const char *facts_date, *platform, *author;   /* "" when not given */
	char prev[VAULT_HEX_HASH + 1];
};

/* The first prev of a chain: hex SHA-256 of "vigie-coffre-v1 genesis "
 * followed by the chain's id. */
void vault_genesis(const char *chain_id, char out[VAULT_HEX_HASH + 1]);

/* A fresh chain id (VAULT_CHAIN_ID hex characters + NUL). */
void vault_chain_id_new(char out[VAULT_CHAIN_ID + 1]);

/* The record's canonical text (caller frees); NULL with VG_EINVAL in *rc
 * when a value holds a control character or the kind is unknown. */
char *vault_record_text(const struct vault_record *rec, vg_rc *rc);

/* Hex SHA-256 of n bytes. */
void vault_sha256_hex(const void *p, size_t n, char out[VAULT_HEX_HASH + 1]);

/* The evidence bytes of a link: "URL\n\nDESCRIPTION" (caller frees). */
char *vault_url_evidence(const char *url, const char *description,
    size_t *len);

/* The record's link and the server's signature of it, at arrival. */
vg_rc vault_seal_record(const struct vault_record *rec,
    char link[VAULT_HEX_HASH + 1], char sig[VAULT_HEX_SIG + 1]);

/* The server's Ed25519 key, in DATA/vigie-sign.key (the 64-byte secret
 * key, mode 0600).  create: VG_ECONFLICT when the file exists. */
vg_rc vault_sign_key_create(const char *path);
vg_rc vault_sign_key_load(const char *path);
void vault_sign_key_free(void);
/* The public key in hex, or NULL before vault_sign_key_load. */
const char *vault_public_key_hex(void);
/* When the loaded key file was written (Unix seconds), or 0. */
int64_t vault_public_key_made_at(void);

/* The key's fingerprint: the first 32 hex digits of the SHA-256 of the
 * raw 32-byte public key, in groups of four ("1a2b 3c4d …"); "" when
 * pub_hex is not a key. */
#define VAULT_FINGERPRINT 39
void vault_key_fingerprint(const char *pub_hex,
    char out[VAULT_FINGERPRINT + 1]);

/* Sign n bytes (detached, hex) with the loaded key. */
vg_rc vault_sign(const void *p, size_t n, char sig[VAULT_HEX_SIG + 1]);
/* Whether sig_hex is pub_hex's signature of the n bytes. */
bool vault_sig_check(const char *pub_hex, const void *p, size_t n,
    const char *sig_hex);

/* GET /coffre/cle: the public key, its fingerprint, how to use it. */
vg_rc vault_key_page(vg_req *r, vg_resp *resp);

/* --- export.c: the bundle --------------------------------------------- */

struct vault_export_item {
	struct vault_record rec;
	char link[VAULT_HEX_HASH + 1];
	char signature[VAULT_HEX_SIG + 1];
	const char *description;        /* links: the description, or "" */
	const char *text;               /* texts: the text (for the chronology) */
	const char *note;               /* the person's note (not signed), or
	                                   NULL */
	int64_t deleted_at;             /* 0, or when the person deleted it:
	                                   the record stays, the content and
	                                   the note are gone */
};

/* The evidence bytes of item seq (caller frees with free()). */
typedef vg_rc (*vault_content_fn)(void *ctx, int64_t seq,
    unsigned char **data, size_t *len);

struct vault_export_in {
	const char *chain_id;
	const struct vault_export_item *items;   /* in seq order */
	size_t n;
	vault_content_fn content;
	void *ctx;
	int64_t now;                    /* exported_at */
};

/* A time as RFC 3339 in UTC: "2026-11-23T15:20:01Z". */
#define VAULT_ISO_TIME 20
void vault_iso_time(int64_t t, char out[VAULT_ISO_TIME + 1]);

/* The head's text, signed at export (caller frees; NULL without memory):
 * "vigie-coffre-v1 head\nchain: ID\ncount: N\nlink: HEX\n"
 * "exported_at: RFC3339Z\n"; link is the last item's, or the genesis. */
char *vault_head_text(const char *chain_id, int64_t count, const char *link,
    const char *exported_at);

/* A file name fit for a record and a ZIP entry, into out (n bytes): '/',
 * '\\' and control characters become '_', at most 120 bytes, cut on a
 * character's boundary; "fichier" when nothing is left. */
void vault_sanitize_name(const char *name, char *out, size_t n);

/* Write the bundle to path: elements/NNNN-name (the original evidence),
 * manifest.json (the records, links, signatures, a head signed now, the
 * public key), chronologie.html and chronologie.pdf. */
vg_rc vault_export_zip(const struct vault_export_in *in, const char *path);

/* --- verify.c ---------------------------------------------------------- */

enum {
	VAULT_VERIFY_INTACT = 0,        /* the exit statuses of vigie verify */
	VAULT_VERIFY_CHANGED = 1,
	VAULT_VERIFY_ERROR = 2
};

struct vault_verify_result {
	int status;                     /* VAULT_VERIFY_… */
	size_t items;                   /* in the manifest */
	size_t problems;                /* lines of report */
	char *report;                   /* CHANGED: one French line a problem
	                                   ("élément 3 : …"); owned, freed by
	                                   vault_verify_result_free */
	char err[512];                  /* ERROR: why, in French */
	char public_key[VAULT_HEX_KEY + 1];  /* the bundle's key */
	bool other_key;                 /* key given and not the bundle's */
};

/* Check the bundle at path (or the n bytes at data) against key (hex,
 * lowercase; NULL: the key inside the bundle) into *res; then
 * vault_verify_result_free(res). */
void vault_verify_file(const char *path, const char *key,
    struct vault_verify_result *res);
void vault_verify_mem(const void *data, size_t n, const char *key,
    struct vault_verify_result *res);
void vault_verify_result_free(struct vault_verify_result *res);

/* GET /coffre/verification: how a lawyer or an officer checks a bundle. */
vg_rc vault_verify_page(vg_req *r, vg_resp *resp);

/* --- vault.c, store.c, session.c, share.c ------------------------------- */

#include <jansson.h>

#include "core/crypto.h"

#define VAULT_KEY_BYTES 32       /* a vault's own key (VK) */
#define VAULT_SALT_BYTES 16      /* crypto_pwhash_SALTBYTES */
#define VAULT_WRAPPED_BYTES (24 + 16 + VAULT_KEY_BYTES) /* nonce, MAC, VK */
#define VAULT_ID_CHARS 16        /* an identifier: 80 bits, Crockford */
#define VAULT_CODE_CHARS 12      /* a share's code: 60 bits */
#define VAULT_PASS_MIN 10        /* characters of a passphrase */
#define VAULT_PASS_MAX 1024      /* bytes of a passphrase or code field */
#define VAULT_COOKIE "vigie_coffre"

/* session.c: an open vault, as a request sees it; vk is a copy that
 * vault_open_release() erases. */
struct vault_open {
	int64_t vault;
	int64_t share;                  /* the share used, or 0 */
	bool readonly;
	unsigned char vk[VAULT_KEY_BYTES];
};

/* --- codes and keys (store.c) --- */

/* A fresh random code of nchars Crockford base32 characters (a multiple
 * of 4), grouped by four with dashes: out holds nchars * 5 / 4 bytes. */
void vault_code_new(size_t nchars, char *out);
/* The code typed by a person (any case, spaces and dashes, O for 0, I
 * and L for 1) as nchars characters + NUL in out; false when it cannot
 * be one. */
bool vault_code_normalise(const char *in, size_t nchars, char *out);
/* The keyed hash that stands for a normalised code in the database
 * (what: "vault" or "share", so the two never collide). */
void vault_code_lookup(const vg_keys *k, const char *what, const char *norm,
    char out[VG_TOKEN_CHARS + 1]);

/* Wrap vk with argon2id(secret, salt) into out; unwrap: VG_EAUTH when the
 * secret is not the one (or the wrapped key was altered), VG_ENOMEM when
 * argon2id cannot have its memory. */
vg_rc vault_key_wrap(const char *secret, const unsigned char *salt,
    const unsigned char *vk, unsigned char out[VAULT_WRAPPED_BYTES]);
vg_rc vault_key_unwrap(const char *secret, const unsigned char *salt,
    const unsigned char *wrapped, unsigned char *vk);

/* n bytes encrypted with vk (nonce first; caller frees), or NULL when
 * memory is short; *outlen = n + VG_SEAL_OVERHEAD. */
unsigned char *vault_box(const unsigned char *vk, const void *p, size_t n,
    size_t *outlen);
/* The opened value (caller frees; a NUL follows the n bytes), or NULL
 * when it was altered or memory is short. */
unsigned char *vault_unbox(const unsigned char *vk, const void *c, size_t n,
    size_t *outlen);

/* The MIME type of the file at path, recognised by its content
 * (libmagic), when it is one the vault accepts; NULL otherwise. */
const char *vault_sniff(const char *path);

/* --- the vaults and their items (store.c) --- */

struct vault_item_in {
	const char *kind;               /* "file", "url", "text" */
	const char *path;               /* file: the upload's temporary file */
	size_t size;                    /* file: its bytes */
	const char *name, *type;        /* file: sanitised name, MIME type */
	const char *url, *description;  /* url */
	const char *text;               /* text */
	const char *facts_date, *platform, *author, *note; /* or NULL */
	bool csam;                      /* url: shows a minor sexually */
};

struct vault_ack {
	int64_t seq, received_at;
	char sha256[VAULT_HEX_HASH + 1];
	char link[VAULT_HEX_HASH + 1];
};

/* Create a vault for passphrase: its identifier (XXXX-XXXX-XXXX-XXXX)
 * into id, its row and key into *vault and vk. */
vg_rc vault_create(const vg_keys *k, const char *passphrase, int64_t now,
    char id[VAULT_ID_CHARS * 5 / 4], int64_t *vault, unsigned char *vk);
/* Open the vault of the identifier typed with passphrase: VG_EAUTH for a
 * wrong passphrase and an unknown or malformed identifier alike, after
 * the same argon2id work. */
vg_rc vault_unlock(const vg_keys *k, const char *id, const char *passphrase,
    int64_t *vault, unsigned char *vk);
/* Whether passphrase is the vault's: VG_OK, or VG_EAUTH. */
vg_rc vault_check_passphrase(int64_t vault, const char *passphrase);

/* Add an item: evidence hashed, record signed, file encrypted and made
 * durable, row committed, in that order; *ack says what was recorded.
 * VG_ECONFLICT when the vault holds max_items items already. */
vg_rc vault_item_add(const char *data, const struct vault_open *o,
    int max_items, const struct vault_item_in *in, int64_t now,
    struct vault_ack *ack);
/* Every item ({seq, received_at, kind, sha256, size, name, type, url,
 * facts_date, platform, author, prev, link, signature, csam, deleted_at,
 * note, description, text}), by seq; caller decrefs. */
vg_rc vault_items(const struct vault_open *o, json_t **out);
/* One item, as above; VG_ENOTFOUND. */
vg_rc vault_item(const struct vault_open *o, int64_t seq, json_t **out);
/* The evidence bytes of an item (caller frees); VG_ENOTFOUND when
 * deleted or missing. */
vg_rc vault_item_content(const char *data, const struct vault_open *o,
    int64_t seq, unsigned char **p, size_t *n);
/* Replace the note (NULL: none) of an item that is not deleted. */
vg_rc vault_item_set_note(const struct vault_open *o, int64_t seq,
    const char *note);
/* Delete an item: its record stays, its content, note and file go. */
vg_rc vault_item_delete(const char *data, const struct vault_open *o,
    int64_t seq, int64_t now);
/* Delete the vault: every row, every file. */
vg_rc vault_destroy(const char *data, int64_t vault);
/* Write the vault's bundle to path (export.c's vault_export_zip). */
vg_rc vault_export(const char *data, const struct vault_open *o,
    const char *path, int64_t now);

/* --- open vaults, in memory only (session.c) --- */

#define VAULT_IDLE (20 * 60)             /* seconds */
#define VAULT_MAX_OPEN (4 * 60 * 60)

/* Remember vk for a new token (written into token); until: a share's
 * expiry, after which the token is closed too (0: none). */
vg_rc vault_session_new(int64_t vault, int64_t share, bool readonly,
    int64_t until, const unsigned char *vk, int64_t now,
    char token[VG_TOKEN_CHARS + 1]);
/* The open vault of token, or VG_ENOTFOUND when unknown, idle for
 * VAULT_IDLE or open for VAULT_MAX_OPEN (then it is closed).  Marks it
 * used at now. */
vg_rc vault_session_get(const char *token, int64_t now,
    struct vault_open *out);
void vault_open_release(struct vault_open *o);
/* Close (erase the key of) one token, every token of a vault, of a
 * share, or all. */
void vault_session_close(const char *token);
void vault_session_close_vault(int64_t vault);
void vault_session_close_share(int64_t share);
/* Close the expired ones; how many are still open. */
size_t vault_session_sweep(int64_t now);
void vault_session_close_all(void);

/* Failed attempts, per key (a vault's lookup hash, a visitor's tag):
 * whether key is blocked (VAULT_FAILS failures within VAULT_FAIL_WINDOW
 * seconds), and count one failure. */
#define VAULT_FAILS 5
#define VAULT_FAIL_WINDOW (15 * 60)
bool vault_fail_blocked(const char *key, int64_t now);
void vault_fail_count(const char *key, int64_t now);
void vault_fail_reset(void);

/* --- shares (share.c) --- */

/* Create a share of the open vault expiring after days (1 to 90): its
 * code (XXXX-XXXX-XXXX) into code. */
vg_rc vault_share_create(const vg_keys *k, const struct vault_open *o,
    int days, const char *label, int64_t now,
    char code[VAULT_CODE_CHARS * 5 / 4]);
/* The vault's shares [{id, label, created_at, expires_at, expired}]. */
vg_rc vault_shares(const struct vault_open *o, int64_t now, json_t **out);
/* Revoke (delete) a share of the vault; VG_ENOTFOUND. */
vg_rc vault_share_revoke(const struct vault_open *o, int64_t id);
/* Open a vault read-only with a share's code: VG_EAUTH unknown or wrong,
 * VG_EDENIED expired. */
vg_rc vault_share_unlock(const vg_keys *k, const char *code, int64_t now,
    int64_t *vault, int64_t *share, int64_t *expires, unsigned char *vk);
/* Erase the wrapped key of expired shares (*n of them), delete those
 * expired for more than 30 days. */
vg_rc vault_share_purge(int64_t now, int64_t *n);

/* The pages of shares (share.c), for vault.c's table. */
vg_rc vault_shares_page(vg_req *r, vg_resp *resp);
vg_rc vault_shares_post(vg_req *r, vg_resp *resp);
vg_rc vault_share_revoke_post(vg_req *r, vg_resp *resp);
vg_rc vault_share_page(vg_req *r, vg_resp *resp);
vg_rc vault_share_post(vg_req *r, vg_resp *resp);

/* vault.c: helpers the pages share. */
/* The neutral context of every vault page (title, csrf, readonly). */
void vault_page(vg_req *r, vg_resp *resp, const char *tmpl);
/* The open vault of this visitor into *o, or an error set on resp (the
 * open page for a browser); write: refused to a read-only share. */
vg_rc vault_opened(vg_req *r, vg_resp *resp, bool write,
    struct vault_open *o);
/* Set the vault cookie (token NULL: delete it). */
void vault_cookie_set(vg_resp *resp, const char *token);
/* Open a vault for this browser: a new token in the cookie, the one it
 * had before closed. */
vg_rc vault_open_for(vg_req *r, vg_resp *resp, int64_t vault, int64_t share,
    int64_t until, const unsigned char *vk);
/* Rate limits of the open pages: VG_ETHROTTLE when key or the visitor
 * is blocked. */
vg_rc vault_throttle_check(vg_req *r, const char *key);
void vault_throttle_fail(vg_req *r, const char *key);

#endif
