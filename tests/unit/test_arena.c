/*
 * test_arena.c — the region allocator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/arena.h"

#define ALIGNED(p) (((uintptr_t)(p) % _Alignof(max_align_t)) == 0)

static void
test_many_small(void **state)
{
	vg_arena *a = vg_arena_new();
	unsigned char *ptrs[5000];
	size_t i, j;

	(void)state;
	assert_non_null(a);
	/* Sizes 1..37 over many blocks; each is written with its index and
	 * must keep it: no two allocations overlap. */
	for (i = 0; i < (sizeof(ptrs) / sizeof(ptrs[0])); i++) {
		size_t n = 1 + i % 37;

		ptrs[i] = vg_arena_alloc(a, n);
		assert_non_null(ptrs[i]);
		assert_true(ALIGNED(ptrs[i]));
		memset(ptrs[i], (int)(i & 0xff), n);
	}
	for (i = 0; i < (sizeof(ptrs) / sizeof(ptrs[0])); i++)
		for (j = 0; j < 1 + i % 37; j++)
			assert_int_equal(ptrs[i][j], i & 0xff);
	vg_arena_free(a);
}

static void
test_alignment(void **state)
{
	vg_arena *a = vg_arena_new();
	size_t n;

	(void)state;
	assert_non_null(a);
	for (n = 0; n < 300; n++) {
		void *p = vg_arena_alloc(a, n);

		assert_non_null(p);
		assert_true(ALIGNED(p));
		/* Usable as any type. */
		*(long double *)vg_arena_alloc(a, sizeof(long double)) = 1.0L;
	}
	for (n = 0; n < 50; n++) {
		char *s = vg_arena_strndup(a, "xyz", n % 4);

		assert_non_null(s);
		assert_true(ALIGNED(s));
		assert_true(ALIGNED(vg_arena_printf(a, "%zu", n)));
		assert_true(ALIGNED(vg_arena_calloc(a, n, 3)));
	}
	vg_arena_free(a);
}

static void
test_zero_size(void **state)
{
	vg_arena *a = vg_arena_new();
	void *p, *q;

	(void)state;
	p = vg_arena_alloc(a, 0);
	q = vg_arena_alloc(a, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	vg_arena_free(a);
	vg_arena_free(NULL);    /* allowed, like free(NULL) */
}

static void
test_large_then_small(void **state)
{
	vg_arena *a = vg_arena_new();
	char *small1, *big, *big2, *small2, *huge;
	size_t i;

	(void)state;
	small1 = vg_arena_alloc(a, 16);
	assert_non_null(small1);
	memset(small1, 'a', 16);

	big = vg_arena_alloc(a, 3000);
	assert_non_null(big);
	assert_true(ALIGNED(big));
	memset(big, 'B', 3000);

	/* A request larger than any standard block gets a block of its own,
	 * and the current block keeps serving small requests: the next small
	 * allocation lands right after the earlier ones, not in a new block. */
	{
		char *last = vg_arena_alloc(a, 16), *own, *next;

		assert_non_null(last);
		own = vg_arena_alloc(a, 9000);
		assert_non_null(own);
		memset(own, 'O', 9000);
		next = vg_arena_alloc(a, 16);
		assert_non_null(next);
		assert_true(next > last && next - last <= 64);
		memset(last, 'l', 16);
		memset(next, 'n', 16);
		for (i = 0; i < 9000; i++)
			assert_int_equal(own[i], 'O');
	}

	/* A big (> 2 KiB) request that does not fit in what is left of the
	 * current block also gets its own block, without abandoning the
	 * rest of the current one.  A fresh standard block spans 8 KiB, so a
	 * pointer less than 8 KiB above the first one is in the same block. */
	{
		vg_arena *c = vg_arena_new();
		char *first, *fill, *own, *next;

		first = vg_arena_alloc(c, 16);
		fill = vg_arena_alloc(c, 7000);
		own = vg_arena_alloc(c, 2100);
		next = vg_arena_alloc(c, 16);
		assert_non_null(first);
		assert_non_null(fill);
		assert_non_null(own);
		assert_non_null(next);
		assert_true(fill > first && fill - first < 8192);
		assert_false(own > first && own - first < 8192);
		assert_true(next > fill && next - first < 8192);
		memset(fill, 'f', 7000);
		memset(own, 'P', 2100);
		memset(next, 'n', 16);
		for (i = 0; i < 2100; i++)
			assert_int_equal(own[i], 'P');
		vg_arena_free(c);
	}

	small2 = vg_arena_alloc(a, 16);
	assert_non_null(small2);
	assert_true(ALIGNED(small2));
	memset(small2, 'c', 16);

	/* A big allocation as the very first one of an arena. */
	{
		vg_arena *b = vg_arena_new();
		char *x = vg_arena_alloc(b, 5000), *y;

		assert_non_null(x);
		memset(x, 'x', 5000);
		y = vg_arena_alloc(b, 10);
		assert_non_null(y);
		memset(y, 'y', 10);
		for (i = 0; i < 5000; i++)
			assert_int_equal(x[i], 'x');
		vg_arena_free(b);
	}

	big2 = vg_arena_alloc(a, 100000);
	huge = vg_arena_alloc(a, 1 << 20);
	assert_non_null(big2);
	assert_non_null(huge);
	memset(big2, 'D', 100000);
	memset(huge, 'H', 1 << 20);
	for (i = 0; i < 200; i++) {
		char *s = vg_arena_alloc(a, 40);

		assert_non_null(s);
		memset(s, 'z', 40);
	}
	for (i = 0; i < 16; i++) {
		assert_int_equal(small1[i], 'a');
		assert_int_equal(small2[i], 'c');
	}
	for (i = 0; i < 3000; i++)
		assert_int_equal(big[i], 'B');
	for (i = 0; i < 100000; i++)
		assert_int_equal(big2[i], 'D');
	vg_arena_free(a);
}

static void
test_arena_calloc_zero(void **state)
{
	vg_arena *a = vg_arena_new();
	unsigned char *p;
	size_t i;

	(void)state;
	/* Dirty the block first so that zeroing is not luck. */
	for (i = 0; i < 20; i++)
		memset(vg_arena_alloc(a, 200), 0xAA, 200);
	p = vg_arena_calloc(a, 100, 7);
	assert_non_null(p);
	for (i = 0; i < 700; i++)
		assert_int_equal(p[i], 0);
	p = vg_arena_calloc(a, 1000, 10);       /* large: its own block */
	assert_non_null(p);
	for (i = 0; i < 10000; i++)
		assert_int_equal(p[i], 0);

	assert_null(vg_arena_calloc(a, SIZE_MAX / 2 + 1, 2));
	assert_null(vg_arena_calloc(a, 2, SIZE_MAX / 2 + 1));
	assert_null(vg_arena_calloc(a, SIZE_MAX, SIZE_MAX));
	assert_null(vg_arena_alloc(a, SIZE_MAX));
	assert_null(vg_arena_alloc(a, SIZE_MAX - 8));
	/* The arena still works after refusing. */
	p = vg_arena_calloc(a, 3, 4);
	assert_non_null(p);
	assert_int_equal(p[11], 0);
	vg_arena_free(a);
}

static void
test_strings(void **state)
{
	vg_arena *a = vg_arena_new();
	const char *src = "Bonjour, café ☕";
	char *s, *big;
	char longer[5000];

	(void)state;
	s = vg_arena_strdup(a, src);
	assert_string_equal(s, src);
	assert_ptr_not_equal(s, src);

	s = vg_arena_strdup(a, "");
	assert_non_null(s);
	assert_string_equal(s, "");

	s = vg_arena_strndup(a, "abcdef", 3);
	assert_string_equal(s, "abc");
	/* strndup copies exactly n bytes, NULs included. */
	s = vg_arena_strndup(a, "ab\0cd", 5);
	assert_memory_equal(s, "ab\0cd", 6);

	s = vg_arena_printf(a, "%s=%d;%05.1f|%c", "x", -42, 3.14159, 'q');
	assert_string_equal(s, "x=-42;003.1|q");
	s = vg_arena_printf(a, "%s", "");
	assert_string_equal(s, "");

	memset(longer, 'L', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	big = vg_arena_printf(a, "<%s>", longer);
	assert_non_null(big);
	assert_int_equal(strlen(big), sizeof(longer) + 1);
	assert_int_equal(big[0], '<');
	assert_int_equal(big[sizeof(longer)], '>');
	big = vg_arena_strdup(a, longer);
	assert_string_equal(big, longer);

	assert_null(vg_arena_strndup(a, "x", SIZE_MAX));
	vg_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_small),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_zero_size),
		cmocka_unit_test(test_large_then_small),
		cmocka_unit_test(test_arena_calloc_zero),
		cmocka_unit_test(test_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
