/*
 * status.h — the one place where result codes become HTTP statuses.
 */
#ifndef VG_STATUS_H
#define VG_STATUS_H

#include "core/vg.h"

/* The HTTP status for rc (200 for VG_OK). */
unsigned vg_rc_status(vg_rc rc);

/* A French message for rc, through gettext, when the handler gave none. */
const char *vg_rc_message(vg_rc rc);

#endif
