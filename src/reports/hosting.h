/*
 * hosting.h — resolving a report's hosts and checking its URLs are online
 * (used by routes.c).
 */
#ifndef VG_HOSTING_H
#define VG_HOSTING_H

#include <jansson.h>
#include <stdint.h>

#include "core/config.h"
#include "core/vg.h"

/* Check every URL of the report (addresses, HTTP status) and record the
 * results; *out is the new list of {url, addresses, status, error}. */
vg_rc hosting_check(const vg_config *c, int64_t report_id, int64_t actor,
    json_t **out);

/* The latest check of each URL of the report, as a new array. */
vg_rc hosting_last(int64_t report_id, json_t **out);

#endif
