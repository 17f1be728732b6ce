/* verify.c — placeholder, written by issue 11's chain half. */
#include <stdio.h>

#include "vault/vault.h"
#include "vault/vault_int.h"

int
vault_verify_cli(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "vigie verify : pas encore disponible\n");
	return 2;
}

vg_rc
vault_verify_page(vg_req *r, vg_resp *resp)
{
	(void)r;
	return vg_fail(resp, VG_ENOTFOUND, "Page introuvable.", NULL);
}
