/* routes.c — placeholder, being written. */
#include "trainings/trainings.h"

vg_rc
trainings_send_reminders(const vg_config *c, int *sent)
{
	VG_UNUSED(c);
	*sent = 0;
	return VG_OK;
}

const vg_route *
trainings_routes(size_t *n)
{
	static const vg_route none[1];

	*n = 0;
	return none;
}
