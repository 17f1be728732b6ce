/*
 * vault.h — a victim's evidence vault ("coffre", /coffre): files, links
 * and texts kept encrypted with a key derived from the person's
 * passphrase, hash-chained and signed by the server on arrival, exported
 * as a ZIP that `vigie verify` checks offline.
 */
#ifndef VG_VAULT_H
#define VG_VAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/config.h"
#include "http/http.h"

/* `vigie init`: create the server's Ed25519 signing key
 * (DATA/vigie-sign.key, mode 0600) when missing, and the vault's uploads
 * folder; err in French. */
vg_rc vault_init_data(const char *data, bool verbose, char *err,
    size_t errlen);

/* At start: load the signing key and what the pages need; err in
 * French. */
vg_rc vault_load(const vg_config *c, char *err, size_t errlen);
void vault_free(void);

/* Expired shares lose their wrapped key, opened vaults left idle are
 * closed; *n says how many shares were expired. */
vg_rc vault_purge(const vg_config *c, int64_t *n);

const vg_route *vault_routes(size_t *n);

/* `vigie verify BUNDLE.zip [--key PUBKEY]`: 0 intact, 1 changed (what,
 * on standard output), 2 on error (one French line on standard error). */
int vault_verify_cli(int argc, char **argv);

#endif
