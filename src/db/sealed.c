/*
 * sealed.c — sealed columns (see sealed.h).
 */
#include "db/sealed.h"

#include <stdlib.h>
#include <string.h>

vg_rc
vg_stmt_bind_sealed(vg_stmt *st, int i, const vg_keys *k, const char *text)
{
	unsigned char *sealed;
	size_t n;
	vg_rc rc;

	if (text == NULL)
		return vg_stmt_bind_null(st, i);
	n = strlen(text) + VG_SEAL_OVERHEAD;
	if ((sealed = malloc(n)) == NULL)
		return VG_ENOMEM;
	vg_seal(k, text, strlen(text), sealed);
	rc = vg_stmt_bind_blob(st, i, sealed, n);
	free(sealed);
	return rc;
}

char *
vg_stmt_unsealed(vg_stmt *st, int col, const vg_keys *k)
{
	size_t n;
	const unsigned char *b = vg_stmt_blob(st, col, &n);
	char *out;

	if (b == NULL || n < VG_SEAL_OVERHEAD ||
	    (out = malloc(n - VG_SEAL_OVERHEAD + 1)) == NULL)
		return NULL;
	if (vg_unseal(k, b, n, (unsigned char *)out) != VG_OK) {
		free(out);
		return NULL;
	}
	return out;
}
