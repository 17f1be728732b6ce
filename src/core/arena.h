/*
 * arena.h — a region allocator: many small allocations, one release.
 *
 * Each HTTP request owns one arena; everything allocated for the request
 * lives there and is freed by vg_arena_free() when the request completes.
 * Nothing long-lived may point into an arena.
 */
#ifndef VG_ARENA_H
#define VG_ARENA_H

#include <stddef.h>

typedef struct vg_arena vg_arena;

/* A new empty arena, or NULL when out of memory.  Caller frees with
 * vg_arena_free(). */
vg_arena *vg_arena_new(void);

/* Release every allocation of the arena, and the arena itself. */
void vg_arena_free(vg_arena *a);

/* n bytes aligned for any type, or NULL when out of memory.  Borrowed until
 * the arena is freed. */
void *vg_arena_alloc(vg_arena *a, size_t n);

/* Zeroed allocation of n elements of size sz (overflow-checked). */
void *vg_arena_calloc(vg_arena *a, size_t n, size_t sz);

/* A NUL-terminated copy of the n first bytes of s. */
char *vg_arena_strndup(vg_arena *a, const char *s, size_t n);

/* A NUL-terminated copy of s. */
char *vg_arena_strdup(vg_arena *a, const char *s);

/* printf into the arena. */
char *vg_arena_printf(vg_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
