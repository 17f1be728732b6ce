/*
 * vg.h — result codes and small helpers shared by every layer of Vigie.
 *
 * Every function that can fail returns a vg_rc.  The HTTP layer maps each
 * code to a status and a stable machine-readable error code in one place
 * (http/status.c); nothing else decides statuses.
 */
#ifndef VG_H
#define VG_H

#include <stddef.h>

typedef enum vg_rc {
	VG_OK = 0,
	VG_EINVAL,      /* bad input from the user: 400 */
	VG_EAUTH,       /* authentication needed or failed: 401 */
	VG_EDENIED,     /* authenticated but not allowed: 403 */
	VG_ECSRF,       /* missing or wrong CSRF token: 403 */
	VG_ENOTFOUND,   /* no such thing: 404 */
	VG_EMETHOD,     /* method not allowed on this path: 405 */
	VG_ECONFLICT,   /* already exists: 409 */
	VG_EGONE,       /* existed, and no longer does: 410 */
	VG_ETOOBIG,     /* request body over the route's limit: 413 */
	VG_EMEDIA,      /* unsupported content type: 415 */
	VG_ETHROTTLE,   /* too many attempts: 429 */
	VG_ENOMEM,      /* out of memory: 500 */
	VG_EDB,         /* storage failure: 500 */
	VG_EIO,         /* file or system failure: 500 */
	VG_EINTERNAL,   /* a bug: 500 */
	VG_RC_COUNT
} vg_rc;

/* Stable, machine-readable name of a code ("invalid", "not_found"…). */
const char *vg_rc_name(vg_rc rc);

#define VG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define VG_UNUSED(x) ((void)(x))

#endif
