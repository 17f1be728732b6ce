/* watch.c — placeholder until the watch is written (issue 9). */
#include "watch/watch.h"

#include <stdio.h>

#include "core/i18n.h"

int
watch_cli(const vg_config *c, const vg_keys *k, int argc, char **argv)
{
	VG_UNUSED(c);
	VG_UNUSED(k);
	VG_UNUSED(argc);
	VG_UNUSED(argv);
	fprintf(stderr, "vigie watch : %s\n", _("pas encore disponible"));
	return 2;
}

void
watch_tick(const vg_site *s)
{
	VG_UNUSED(s);
}

json_t *
watch_selection(void)
{
	return json_array();
}

vg_rc
watch_selection_done(const int64_t *ids, size_t n, int64_t issue_id)
{
	VG_UNUSED(ids);
	VG_UNUSED(n);
	VG_UNUSED(issue_id);
	return VG_OK;
}

const vg_route *
watch_routes(size_t *n)
{
	*n = 0;
	return NULL;
}
