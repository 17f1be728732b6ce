/* workgroup.c — placeholder until the working group is written (issue 10). */
#include "workgroup/workgroup.h"

#include "workgroup/detect.h"

vg_rc
workgroup_load(const char *share, char *err, size_t errlen)
{
	return wg_detect_load(share, err, errlen);
}

void
workgroup_free(void)
{
	wg_detect_free();
}

vg_rc
workgroup_purge(const vg_config *c, int64_t *n)
{
	VG_UNUSED(c);
	*n = 0;
	return VG_OK;
}

void
workgroup_tick(const vg_site *s)
{
	VG_UNUSED(s);
}

const vg_route *
workgroup_routes(size_t *n)
{
	*n = 0;
	return NULL;
}
