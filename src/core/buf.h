/*
 * buf.h — a growable byte buffer, always NUL-terminated.
 *
 * A vg_buf is a value: declare it with VG_BUF_INIT, append, then either take
 * its data with vg_buf_detach() (caller frees) or release it with
 * vg_buf_free().  Appends after an allocation failure are ignored and
 * vg_buf_failed() tells, so a writer checks once at the end.
 */
#ifndef VG_BUF_H
#define VG_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vg_buf {
	char *data;     /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
	bool failed;    /* an allocation failed: contents are incomplete */
} vg_buf;

#define VG_BUF_INIT {NULL, 0, 0, false}

void vg_buf_append(vg_buf *b, const void *p, size_t n);
void vg_buf_puts(vg_buf *b, const char *s);
void vg_buf_putc(vg_buf *b, char c);
void vg_buf_printf(vg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append s with &, <, >, " and ' written as HTML entities. */
void vg_buf_put_html(vg_buf *b, const char *s, size_t n);

/* Empty the buffer, keeping its memory. */
void vg_buf_reset(vg_buf *b);

/* Whether an append failed for lack of memory. */
bool vg_buf_failed(const vg_buf *b);

/* The data, owned by the caller from now on (free()), or NULL on failure;
 * the buffer is left empty. */
char *vg_buf_detach(vg_buf *b, size_t *len);

void vg_buf_free(vg_buf *b);

#endif
