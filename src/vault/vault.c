/*
 * vault.c — the evidence vault's area: start, purge and routes.
 * (Placeholder: written by issue 11's vault half.)
 */
#include "vault/vault.h"
#include "vault/vault_int.h"

vg_rc
vault_init_data(const char *data, bool verbose, char *err, size_t errlen)
{
	(void)data;
	(void)verbose;
	(void)err;
	(void)errlen;
	return VG_OK;
}

vg_rc
vault_load(const vg_config *c, char *err, size_t errlen)
{
	(void)c;
	(void)err;
	(void)errlen;
	return VG_OK;
}

void
vault_free(void)
{
}

vg_rc
vault_purge(const vg_config *c, int64_t *n)
{
	(void)c;
	*n = 0;
	return VG_OK;
}

static const vg_route routes[] = {
	{"GET", "/coffre/cle", vault_key_page, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/coffre/verification", vault_verify_page, VG_ROLE_PUBLIC, 0,
	    0},
};

const vg_route *
vault_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
