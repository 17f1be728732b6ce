/*
 * form.h — a streaming parser for request bodies sent by HTML forms:
 * application/x-www-form-urlencoded and multipart/form-data.
 *
 * Written for Vigie rather than using libmicrohttpd's MHD_PostProcessor
 * because that one needs a live connection (so it cannot be fuzzed alone)
 * and has no per-field limits or UTF-8 checks.
 *
 * The body is fed in chunks of any size as it arrives.  Text values are
 * kept in the request arena, checked as UTF-8 text (vg_utf8_valid_text) and
 * limited in length; file parts are streamed to a temporary file in
 * upload_dir and limited in size, never held in memory.  Handlers read only
 * the fields they declare: other fields are simply never looked at.
 */
#ifndef VG_FORM_H
#define VG_FORM_H

#include <stddef.h>

#include "core/arena.h"
#include "core/vg.h"

typedef struct vg_form_limits {
	size_t max_fields;      /* number of parts or pairs */
	size_t max_name;        /* bytes in a field name */
	size_t max_value;       /* bytes in one text value */
	size_t max_file;        /* bytes in one uploaded file */
	const char *upload_dir; /* where files go; NULL: a file part is
	                           refused with VG_EINVAL */
} vg_form_limits;

typedef struct vg_form_field {
	const char *name;
	const char *value;        /* text value, NUL-terminated; for a file
	                             part, the empty string */
	size_t len;               /* bytes in value */
	const char *filename;     /* file parts: the client's file name
	                             (basename only, UTF-8 checked); else NULL */
	const char *content_type; /* file parts: as sent, or NULL */
	const char *path;         /* file parts: the temporary file */
	size_t size;              /* file parts: bytes written */
	struct vg_form_field *next;
} vg_form_field;

typedef struct vg_form {
	vg_form_field *first;     /* in the order received */
	size_t count;
} vg_form;

typedef struct vg_form_parser vg_form_parser;

/* A parser for a body of the given Content-Type header value (parameters
 * such as charset and boundary included).  Allocated in the arena; lim is
 * copied.  VG_EMEDIA when the type is neither urlencoded nor multipart (or
 * multipart has no usable boundary). */
vg_rc vg_form_parser_new(vg_arena *a, const char *content_type,
    const vg_form_limits *lim, vg_form_parser **out);

/* Feed the next n bytes.  VG_EINVAL on malformed input or text that is not
 * valid UTF-8, VG_ETOOBIG past a limit, VG_EIO when a file cannot be
 * written.  After an error every further call returns the same error. */
vg_rc vg_form_parser_feed(vg_form_parser *p, const char *data, size_t n);

/* End of body.  VG_EINVAL when the body stopped in the middle of a part.
 * On success *out is the parsed form (borrowed from the arena). */
vg_rc vg_form_parser_finish(vg_form_parser *p, vg_form **out);

/* Remove every temporary file the parser created that still exists (an
 * area that keeps an upload renames it first).  Call once when the request
 * ends, whatever happened. */
void vg_form_parser_cleanup(vg_form_parser *p);

/* Parse a complete urlencoded string (a query string, or a body already in
 * memory) with the same rules. */
vg_rc vg_form_parse_urlencoded(vg_arena *a, const char *s, size_t n,
    const vg_form_limits *lim, vg_form **out);

/* The first text value of field `name`, or NULL.  Borrowed from the arena. */
const char *vg_form_get(const vg_form *f, const char *name);

/* The first field named `name` (text or file), or NULL. */
const vg_form_field *vg_form_field_get(const vg_form *f, const char *name);

#endif
