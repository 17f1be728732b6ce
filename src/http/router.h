/*
 * router.h — matching a method and path against the route table.
 */
#ifndef VG_ROUTER_H
#define VG_ROUTER_H

#include "http/http.h"

/* Whether path matches pattern; ":name" segments match one non-empty
 * segment, stored in params (pointing into buf, a copy of path of the same
 * size, which the caller provides). */
bool vg_route_match(const char *pattern, const char *path, char *buf,
    const char *params[VG_MAX_PARAMS]);

/* Find the route for method and path.  VG_OK with *out and params;
 * VG_EMETHOD when the path exists for other methods only (their names
 * written comma-separated into allow); VG_ENOTFOUND otherwise. */
vg_rc vg_route_find(const vg_route *routes, size_t n, const char *method,
    const char *path, char *buf, const char *params[VG_MAX_PARAMS],
    const vg_route **out, char *allow, size_t allowlen);

#endif
