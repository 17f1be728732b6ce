/* annual.c — placeholder until the annual report is written (issue 9). */
#include "barometer/annual.h"

#include <stdio.h>

#include "core/i18n.h"

int
annual_cli(const vg_config *c, const vg_keys *k, int argc, char **argv)
{
	VG_UNUSED(c);
	VG_UNUSED(k);
	VG_UNUSED(argc);
	VG_UNUSED(argv);
	fprintf(stderr, "vigie report : %s\n", _("pas encore disponible"));
	return 2;
}

const vg_route *
annual_routes(size_t *n)
{
	*n = 0;
	return NULL;
}
