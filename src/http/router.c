/*
 * router.c — a linear scan of the route table.  The table has a few dozen
 * entries; a scan of literal prefixes is faster than any tree at that size.
 */
#include "http/router.h"

#include <string.h>

bool
vg_route_match(const char *pattern, const char *path, char *buf,
    const char *params[VG_MAX_PARAMS])
{
	const char *p = pattern, *s = path;
	char *b = buf;
	int np = 0;

	while (*p != '\0') {
		if (*p == ':') {
			size_t n = strcspn(s, "/");

			if (n == 0 || np == VG_MAX_PARAMS)
				return false;
			memcpy(b + (s - path), s, n);
			b[(s - path) + n] = '\0';
			params[np++] = b + (s - path);
			s += n;
			p += strcspn(p, "/");
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*s != '\0')
		return false;
	while (np < VG_MAX_PARAMS)
		params[np++] = NULL;
	return true;
}

vg_rc
vg_route_find(const vg_route *routes, size_t n, const char *method,
    const char *path, char *buf, const char *params[VG_MAX_PARAMS],
    const vg_route **out, char *allow, size_t allowlen)
{
	size_t i, used = 0;
	bool path_seen = false;

	if (allowlen > 0)
		allow[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!vg_route_match(routes[i].pattern, path, buf, params))
			continue;
		if (strcmp(routes[i].method, method) == 0) {
			*out = &routes[i];
			return VG_OK;
		}
		path_seen = true;
		if (allowlen > used + strlen(routes[i].method) + 3) {
			if (used > 0) {
				memcpy(allow + used, ", ", 2);
				used += 2;
			}
			strcpy(allow + used, routes[i].method);
			used += strlen(routes[i].method);
			if (!strcmp(routes[i].method, "GET") &&
			    allowlen > used + 7) {
				strcpy(allow + used, ", HEAD");
				used += 6;
			}
		}
	}
	return path_seen ? VG_EMETHOD : VG_ENOTFOUND;
}
