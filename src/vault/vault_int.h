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
 * chain and signed by the server on arrival (docs/vault.md gives the
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

#endif
