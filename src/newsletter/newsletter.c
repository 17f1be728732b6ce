/* newsletter.c — placeholder until the newsletter is written (issue 9). */
#include "newsletter/newsletter.h"

#include <stdio.h>

#include "core/i18n.h"

int
newsletter_cli(const vg_config *c, const vg_keys *k, int argc, char **argv)
{
	VG_UNUSED(c);
	VG_UNUSED(k);
	VG_UNUSED(argc);
	VG_UNUSED(argv);
	fprintf(stderr, "vigie newsletter : %s\n", _("pas encore disponible"));
	return 2;
}

void
newsletter_tick(const vg_site *s)
{
	VG_UNUSED(s);
}

const vg_route *
newsletter_routes(size_t *n)
{
	*n = 0;
	return NULL;
}
