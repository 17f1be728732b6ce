/*
 * workgroup.h — the working group ("groupe de travail"): the professionals'
 * space for discussing cases of online violence, pseudonymised, with
 * restricted access, meetings, shared documents and notifications.
 */
#ifndef VG_WORKGROUP_H
#define VG_WORKGROUP_H

#include <stdint.h>

#include "core/config.h"
#include "http/http.h"

/* Load what the pages need at start (the first names of the detector):
 * err names the file in French. */
vg_rc workgroup_load(const char *share, char *err, size_t errlen);
void workgroup_free(void);

/* Delete the cases closed for longer than the configured delay, with
 * their contributions, attachments and notes; *n says how many. */
vg_rc workgroup_purge(const vg_config *c, int64_t *n);

/* Called by the server every few seconds: meeting reminders and the
 * notifications of new contributions, by mail. */
void workgroup_tick(const vg_site *s);

const vg_route *workgroup_routes(size_t *n);

#endif
