/*
 * test_utf8.c — validation of user text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/utf8.h"

/* Valid over its whole length (sizeof - 1 so embedded NULs count). */
#define VALID(lit) vg_utf8_valid_text((lit), sizeof(lit) - 1)

static void
test_accepts_text(void **state)
{
	(void)state;
	assert_true(VALID(""));
	assert_true(VALID("Bonjour"));
	assert_true(VALID("Élève à l'école, où naïve Noël façon œuvre « cœur » "
	    "— déjà‑vu ; Ça ÿ ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"));
	assert_true(VALID("😀 🇫🇷 𝄞"));                   /* 4-byte */
	assert_true(VALID("\xf0\x9f\x98\x80"));
	assert_true(VALID("ligne 1\nligne 2\r\n\tindentée"));
	assert_true(VALID("\t\n\r"));
	assert_true(VALID("~ ! @ # $ % ^ & * ( ) _ + { } | : < > ?"));
	/* Boundaries of each length. */
	assert_true(VALID("\x7e"));             /* U+007E */
	assert_true(VALID("\xc2\xa0"));         /* U+00A0, first after C1 */
	assert_true(VALID("\xdf\xbf"));         /* U+07FF */
	assert_true(VALID("\xe0\xa0\x80"));     /* U+0800 */
	assert_true(VALID("\xed\x9f\xbf"));     /* U+D7FF */
	assert_true(VALID("\xee\x80\x80"));     /* U+E000 */
	assert_true(VALID("\xef\xbf\xbd"));     /* U+FFFD */
	assert_true(VALID("\xf0\x90\x80\x80")); /* U+10000 */
	assert_true(VALID("\xf4\x8f\xbf\xbf")); /* U+10FFFF */
}

static void
test_refuses_controls(void **state)
{
	unsigned c;
	char s[4];

	(void)state;
	assert_false(VALID("a\0b"));
	assert_false(VALID("\0"));
	for (c = 1; c < 0x20; c++) {
		s[0] = 'x';
		s[1] = (char)c;
		s[2] = 'y';
		if (c == '\t' || c == '\n' || c == '\r')
			assert_true(vg_utf8_valid_text(s, 3));
		else
			assert_false(vg_utf8_valid_text(s, 3));
	}
	assert_false(VALID("\x7f"));
	assert_false(VALID("abc\x7f"));
	/* C1 controls U+0080..U+009F. */
	for (c = 0x80; c < 0xa0; c++) {
		s[0] = (char)0xc2;
		s[1] = (char)c;
		assert_false(vg_utf8_valid_text(s, 2));
	}
	assert_false(VALID("\xc2\x85"));        /* NEL */
	assert_false(VALID("\x1b[31mrouge"));   /* ESC */
}

static void
test_refuses_malformed(void **state)
{
	(void)state;
	/* Overlongs. */
	assert_false(VALID("\xc0\x80"));
	assert_false(VALID("\xc1\xbf"));
	assert_false(VALID("\xc0\xaf"));
	assert_false(VALID("\xe0\x80\x80"));
	assert_false(VALID("\xe0\x9f\xbf"));
	assert_false(VALID("\xf0\x80\x80\x80"));
	assert_false(VALID("\xf0\x8f\xbf\xbf"));
	/* Surrogates. */
	assert_false(VALID("\xed\xa0\x80"));    /* U+D800 */
	assert_false(VALID("\xed\xbf\xbf"));    /* U+DFFF */
	assert_false(VALID("\xed\xa0\xbd\xed\xb8\x80"));  /* CESU pair */
	/* Beyond U+10FFFF, and bytes that never appear. */
	assert_false(VALID("\xf4\x90\x80\x80"));
	assert_false(VALID("\xf5\x80\x80\x80"));
	assert_false(VALID("\xf7\xbf\xbf\xbf"));
	assert_false(VALID("\xf8\x88\x80\x80\x80"));
	assert_false(VALID("\xfe"));
	assert_false(VALID("\xff"));
	/* Truncated sequences, at the end and in the middle. */
	assert_false(VALID("\xc3"));
	assert_false(VALID("caf\xc3"));
	assert_false(VALID("\xe2\x82"));
	assert_false(VALID("\xf0\x9f\x98"));
	assert_false(VALID("\xf0\x9f"));
	assert_false(VALID("\xe2\x82x"));
	assert_false(VALID("\xc3 "));
	/* Stray continuation bytes. */
	assert_false(VALID("\x80"));
	assert_false(VALID("\xbf"));
	assert_false(VALID("a\x80z"));
	assert_false(VALID("\xc3\xa9\xa9"));
	/* A valid string cut by n: only n bytes are read. */
	assert_false(vg_utf8_valid_text("caf\xc3\xa9", 4));
	assert_true(vg_utf8_valid_text("caf\xc3\xa9", 5));
	assert_true(vg_utf8_valid_text("abc\x01", 3));
}

static void
test_length(void **state)
{
	static const char fr[] = "Élève à l'école";
	static const char mix[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";

	(void)state;
	assert_int_equal(vg_utf8_length("", 0), 0);
	assert_int_equal(vg_utf8_length("abc", 3), 3);
	assert_int_equal(vg_utf8_length(fr, strlen(fr)), 15);
	assert_int_equal(strlen(fr), 19);
	assert_int_equal(vg_utf8_length(mix, strlen(mix)), 4);
	assert_int_equal(vg_utf8_length("😀😀😀", strlen("😀😀😀")), 3);
	assert_int_equal(vg_utf8_length("éééééééééééé",
	    strlen("éééééééééééé")), 12);
	/* Only n bytes are counted. */
	assert_int_equal(vg_utf8_length("abcdef", 2), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_text),
		cmocka_unit_test(test_refuses_controls),
		cmocka_unit_test(test_refuses_malformed),
		cmocka_unit_test(test_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
