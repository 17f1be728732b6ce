/*
 * arena.c — chained blocks; large requests get a block of their own so a
 * big upload field does not waste the rest of a standard block.
 */
#include "core/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE 8192
#define ALIGN (sizeof(max_align_t))

struct block {
	struct block *next;
	size_t used, cap;
	max_align_t data[];
};

struct vg_arena {
	struct block *head;
};

vg_arena *
vg_arena_new(void)
{
	return calloc(1, sizeof(vg_arena));
}

void
vg_arena_free(vg_arena *a)
{
	struct block *b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

static struct block *
block_new(size_t cap)
{
	struct block *b;

	if (cap > SIZE_MAX - sizeof(*b))
		return NULL;
	b = malloc(sizeof(*b) + cap);
	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->used = 0;
	b->cap = cap;
	return b;
}

void *
vg_arena_alloc(vg_arena *a, size_t n)
{
	struct block *b;
	size_t need;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN)
		return NULL;
	need = (n + ALIGN - 1) & ~(ALIGN - 1);
	b = a->head;
	if (b != NULL && b->cap - b->used >= need) {
		void *p = (char *)b->data + b->used;
		b->used += need;
		return p;
	}
	if (need > BLOCK_SIZE / 4) {
		/* Large: its own block, linked behind the current one so the
		 * current block keeps serving small requests. */
		struct block *big = block_new(need);
		if (big == NULL)
			return NULL;
		big->used = need;
		if (b != NULL) {
			big->next = b->next;
			b->next = big;
		} else {
			a->head = big;
		}
		return big->data;
	}
	b = block_new(BLOCK_SIZE);
	if (b == NULL)
		return NULL;
	b->next = a->head;
	a->head = b;
	b->used = need;
	return b->data;
}

void *
vg_arena_calloc(vg_arena *a, size_t n, size_t sz)
{
	void *p;

	if (sz != 0 && n > SIZE_MAX / sz)
		return NULL;
	p = vg_arena_alloc(a, n * sz);
	if (p != NULL)
		memset(p, 0, n * sz);
	return p;
}

char *
vg_arena_strndup(vg_arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return NULL;
	p = vg_arena_alloc(a, n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
vg_arena_strdup(vg_arena *a, const char *s)
{
	return vg_arena_strndup(a, s, strlen(s));
}

char *
vg_arena_printf(vg_arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = vg_arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
