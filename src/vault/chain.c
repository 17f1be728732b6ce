/* chain.c — placeholder, written by issue 11's chain half. */
#include "vault/vault_int.h"

vg_rc
vault_key_page(vg_req *r, vg_resp *resp)
{
	(void)r;
	return vg_fail(resp, VG_ENOTFOUND, "Page introuvable.", NULL);
}
