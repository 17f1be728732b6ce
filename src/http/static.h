/*
 * static.h — the in-memory static assets (see http.h for loading).
 */
#ifndef VG_STATIC_H
#define VG_STATIC_H

#include "http/http.h"

struct vg_static_file {
	char *name;          /* "vigie.css", "img/logo.svg" */
	char *data;
	size_t len;
	char etag[24];       /* quoted */
	const char *type;
	void *response;      /* the server's prepared response */
};

struct vg_static {
	struct vg_static_file *files;
	size_t n, cap;
};

/* The asset of that name, or NULL.  Borrowed. */
const struct vg_static_file *vg_static_find(const struct vg_static *s,
    const char *name);

#endif
