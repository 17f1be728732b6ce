/*
 * test_expr.c — the XLSForm expressions: every operator, numbers against
 * text, booleans, selected() and count-selected() on a multiple answer,
 * absent answers and ".", the names an expression uses, and every
 * refusal with its position (unsupported operators and functions by
 * name, the depth and length limits).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "surveys/expr.h"

/* The answers every test reads: name=value pairs, NULL-terminated. */
static const char *answers[] = {
	"age", "34",
	"age_txt", "034",
	"small", "9",
	"neg", "-2.5",
	"zero", "0",
	"name", "Camille",
	"empty", "",
	"day", "2024-03-15",
	"multi", "a b c",
	"one", "b",
	"spaced", "  x   y  ",
	"a.b-c", "dotted",
	NULL
};

static const char *
get(void *arg, const char *name)
{
	size_t i;

	(void)arg;
	for (i = 0; answers[i] != NULL; i += 2)
		if (strcmp(answers[i], name) == 0)
			return answers[i + 1];
	return NULL;
}

static vg_expr *
parse(const char *src)
{
	char err[256] = "unset";
	vg_expr *e = NULL;

	if (vg_expr_parse(src, &e, err, sizeof(err)) != VG_OK)
		fail_msg("\"%s\": refused: %s", src, err);
	assert_non_null(e);
	assert_string_equal(err, "");
	return e;
}

/* src evaluates to want with self as ".". */
static void
expect_self(const char *src, const char *self, bool want)
{
	vg_expr *e = parse(src);
	bool got = vg_expr_eval(e, get, NULL, self);

	if (got != want)
		fail_msg("\"%s\" (. = %s): %d, want %d", src,
		    self ? self : "NULL", got, want);
	vg_expr_free(e);
}

static void
expect(const char *src, bool want)
{
	expect_self(src, NULL, want);
}

/* src is refused with exactly the message want. */
static void
refuse(const char *src, const char *want)
{
	char err[256];
	vg_expr *e = (vg_expr *)1;

	memset(err, 'x', sizeof(err));
	assert_int_equal(vg_expr_parse(src, &e, err, sizeof(err)), VG_EINVAL);
	assert_null(e);
	if (strcmp(err, want) != 0)
		fail_msg("\"%s\": \"%s\", want \"%s\"", src, err, want);
}

static void
test_comparisons(void **state)
{
	(void)state;
	expect("${age} = 34", true);
	expect("${age} = '34'", true);
	expect("${age} = 34.0", true);
	expect("${age} != 34", false);
	expect("${age} != 35", true);
	expect("${age} < 35", true);
	expect("${age} < 34", false);
	expect("${age} <= 34", true);
	expect("${age} <= 33.99", false);
	expect("${age} > 18", true);
	expect("${age} > 34", false);
	expect("${age} >= 34", true);
	expect("${age} >= 34.001", false);
	expect("34 = ${age}", true);
	expect("18 < ${age}", true);
	/* Both numbers: numeric order, not text order ("9" > "34" as
	 * text). */
	expect("${small} < ${age}", true);
	expect("${age_txt} = ${age}", true);      /* "034" reads as 34 */
	expect("${neg} < 0", true);
	expect("${neg} < -2.4", true);
	expect("${neg} > -2.6", true);
	expect("${neg} = -2.50", true);
	expect("${zero} = -0", true);
	expect("0.1 = .10", true);
	expect("-.5 < 0", true);
	expect("12345678901234567890123 > 12345678901234567890122", true);
	/* Text: byte order, ISO dates in time order. */
	expect("${name} = 'Camille'", true);
	expect("${name} = \"Camille\"", true);
	expect("${name} = 'camille'", false);
	expect("${name} != 'Dominique'", true);
	expect("${name} < 'Dominique'", true);
	expect("${day} >= '2024-01-01'", true);
	expect("${day} < '2024-03-02'", false);
	expect("${day} > '2024-03-02'", true);
	expect("'abc' < 'abd'", true);
	expect("'é' = 'é'", true);
	/* A number against text: textual equality, no order. */
	expect("${name} = 5", false);
	expect("${name} != 5", true);
	expect("${name} < 5", false);
	expect("${name} > 5", false);
	/* "34" against "034" as text literals: both read as numbers. */
	expect("'34' = '034'", true);
}

static void
test_logic(void **state)
{
	(void)state;
	expect("${age} > 18 and ${name} = 'Camille'", true);
	expect("${age} > 18 and ${name} = 'X'", false);
	expect("${age} < 18 or ${name} = 'Camille'", true);
	expect("${age} < 18 or ${name} = 'X'", false);
	/* "and" binds tighter than "or". */
	expect("1 = 1 or 1 = 2 and 1 = 2", true);
	expect("(1 = 1 or 1 = 2) and 1 = 2", false);
	expect("not(${age} > 18)", false);
	expect("not(${age} < 18)", true);
	expect("not(not(1 = 1))", true);
	expect("not (1 = 2)", true);
	expect("((((1 = 1))))", true);
	/* Truth of values: a number when not 0, a string when not empty. */
	expect("1", true);
	expect("0", false);
	expect("0.000", false);
	expect("-0.5", true);
	expect("'x'", true);
	expect("''", false);
	expect("'0'", true);
	expect("${name}", true);
	expect("${empty}", false);
	expect("${zero}", true);            /* an answer "0" is text */
	expect("${nobody}", false);
	expect("${name} and ${empty}", false);
	expect("${name} or ${empty}", true);
	/* Against a boolean, both sides are booleans. */
	expect("(1 = 1) = 'yes'", true);
	expect("(1 = 2) = ''", true);
	expect("(1 = 1) != (2 = 2)", false);
	expect("(1 = 1) > (1 = 2)", true);
	/* Words in the middle of the line. */
	expect("1=1 and(2=2)", true);
	expect("\t${age}\n>\r\n18 ", true);
}

static void
test_selected(void **state)
{
	(void)state;
	expect("selected(${multi}, 'a')", true);
	expect("selected(${multi}, 'b')", true);
	expect("selected(${multi}, 'c')", true);
	expect("selected(${multi}, 'd')", false);
	expect("selected(${multi}, 'a b')", false);
	expect("selected(${multi}, '')", false);
	expect("selected(${multi}, ' c ')", true);
	expect("selected(${multi}, ${one})", true);
	expect("selected(${one}, 'b')", true);
	expect("selected(${spaced}, 'y')", true);
	expect("selected(${nobody}, 'a')", false);
	expect("selected(${empty}, '')", false);
	expect("not(selected(${multi}, 'z'))", true);
	expect("selected((${multi}), 'a')", true);
	expect("count-selected(${multi}) = 3", true);
	expect("count-selected(${multi}) >= 2", true);
	expect("count-selected(${multi}) > 3", false);
	expect("count-selected(${one}) = 1", true);
	expect("count-selected(${spaced}) = 2", true);
	expect("count-selected(${nobody}) = 0", true);
	expect("count-selected(${empty}) = 0", true);
	expect("count-selected(${multi})", true);
	expect("count-selected(${nobody})", false);
	expect("count-selected(${multi}) = count-selected('x y z')", true);
}

static void
test_absent(void **state)
{
	(void)state;
	/* Absent compares as "". */
	expect("${nobody} = ''", true);
	expect("${nobody} != ''", false);
	expect("${nobody} = ${empty}", true);
	expect("${nobody} = 'x'", false);
	expect("${nobody} != 'x'", true);
	/* No order between a number and an absent answer. */
	expect("${nobody} < 18", false);
	expect("${nobody} >= 18", false);
	expect("${nobody} = 0", false);
	expect("${nobody} != 0", true);
	/* A getter-less evaluation reads nothing. */
	{
		vg_expr *e = parse("${age} = ''");

		assert_true(vg_expr_eval(e, NULL, NULL, NULL));
		vg_expr_free(e);
	}
	assert_false(vg_expr_eval(NULL, get, NULL, NULL));
	/* Names with dots and hyphens. */
	expect("${a.b-c} = 'dotted'", true);
}

static void
test_self(void **state)
{
	vg_expr *e;

	(void)state;
	expect_self(". > 0", "5", true);
	expect_self(". > 0", "-5", false);
	expect_self(". >= 1 and . <= 120", "34", true);
	expect_self(". >= 1 and . <= 120", "121", false);
	expect_self(". < ${age}", "12", true);
	expect_self(".", NULL, false);
	expect_self(". = ''", NULL, true);
	expect_self(". != 'x'", "x", false);
	expect_self("count-selected(.) <= 2", "a b", true);
	expect_self("count-selected(.) <= 2", "a b c", false);
	expect_self("not(selected(., 'none') and count-selected(.) > 1)",
	    "none a", false);
	expect_self(". >= '2020-01-01'", "2024-05-01", true);
	e = parse(". > 3");
	assert_true(vg_expr_uses_self(e));
	vg_expr_free(e);
	e = parse("${age} > 3");
	assert_false(vg_expr_uses_self(e));
	vg_expr_free(e);
	assert_false(vg_expr_uses_self(NULL));
}

static void
collect(void *arg, const char *name)
{
	vg_buf *b = arg;

	vg_buf_puts(b, name);
	vg_buf_putc(b, ';');
}

static void
test_names(void **state)
{
	vg_buf b = VG_BUF_INIT;
	vg_expr *e;

	(void)state;
	e = parse("${b} = 1 and (selected(${a}, ${c}) or not(${b} != .)) "
	    "or count-selected(${d.e-f}) > 0");
	vg_expr_names(e, collect, &b);
	assert_string_equal(b.data, "b;a;c;b;d.e-f;");
	vg_expr_free(e);
	vg_buf_reset(&b);
	e = parse("'${not_a_name}' = 1");
	vg_expr_names(e, collect, &b);
	assert_int_equal(b.len, 0);
	vg_expr_free(e);
	vg_buf_free(&b);
}

static void
test_errors(void **state)
{
	(void)state;
	refuse("", "position 1 : expression vide");
	refuse("   ", "position 1 : expression vide");
	refuse("${age} >", "position 9 : fin de l'expression inattendue : "
	    "valeur attendue");
	refuse("(${age} > 3", "position 12 : fin de l'expression inattendue "
	    ": « ) » attendu");
	refuse("${age} > 3)", "position 11 : « ) » inattendu : parenthèse "
	    "fermante sans ouvrante");
	refuse("${age} = 1 = 2", "position 12 : « = » inattendu : « and », "
	    "« or » ou la fin de l'expression attendu ; mettez des "
	    "parenthèses pour enchaîner les comparaisons");
	refuse("${age} 3", "position 8 : « 3 » inattendu : « and », « or » "
	    "ou la fin de l'expression attendu ; mettez des parenthèses pour "
	    "enchaîner les comparaisons");
	refuse("'abc", "position 1 : texte non fermé : guillemet final "
	    "manquant");
	refuse("${age", "position 1 : « } » attendu après le nom de la "
	    "question");
	refuse("${1a}", "position 1 : nom de question attendu après « ${ »");
	refuse("$age", "position 1 : « ${ » attendu : une question s'écrit "
	    "${nom}");
	refuse("age > 3", "position 1 : nom « age » inattendu : une question "
	    "s'écrit ${age}, un texte entre guillemets");
	refuse("é = 1", "position 1 : caractère « é » inattendu");
	refuse("'é' = é", "position 7 : caractère « é » inattendu");
	refuse("${a} ! ${b}", "position 6 : « ! » seul n'existe pas : "
	    "écrivez « != » ou not(…)");
	refuse("12abc = 1", "position 1 : nombre mal écrit : « 12abc »");
	refuse("1.2.3 = 1", "position 1 : nombre mal écrit : « 1.2.3 »");
	refuse("selected(${a} 'x')", "position 15 : « 'x' » inattendu : "
	    "« , » attendu entre les deux valeurs de selected()");
	refuse("not(1, 2)", "position 6 : « , » inattendu : « ) » attendu");
	refuse("and 1", "position 1 : « and » inattendu : valeur attendue");
	refuse("1 and or 2", "position 7 : « or » inattendu : valeur "
	    "attendue");
	refuse("= 1", "position 1 : « = » inattendu : valeur attendue");
	refuse("()", "position 2 : « ) » inattendu : valeur attendue");
	refuse("${a} = ..", "position 8 : « .. » non pris en charge : une "
	    "question s'écrit ${nom}");
	refuse("${a} = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' 1",
	    "position 45 : « 1 » inattendu : « and », « or » ou la fin de "
	    "l'expression attendu ; mettez des parenthèses pour enchaîner "
	    "les comparaisons");
	refuse("1 = 1 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'",
	    "position 7 : « 'xxxxxxxxxxxxxxxxxxxxxxx… » inattendu : « and », "
	    "« or » ou la fin de l'expression attendu ; mettez des "
	    "parenthèses pour enchaîner les comparaisons");
	/* A quoted line break stays out of the one-line message. */
	refuse("1 = 1 'a\nb'", "position 7 : « 'a b' » inattendu : « and », "
	    "« or » ou la fin de l'expression attendu ; mettez des "
	    "parenthèses pour enchaîner les comparaisons");
	/* Positions count characters, not bytes. */
	refuse("'ééé' = ", "position 9 : fin de l'expression inattendue : "
	    "valeur attendue");
}

static void
test_unsupported(void **state)
{
	(void)state;
	refuse("today() > '2024-01-01'", "position 1 : fonction today() "
	    "non prise en charge");
	refuse("regex(., '[0-9]+')", "position 1 : fonction regex() non "
	    "prise en charge");
	refuse("string-length(.) < 10", "position 1 : fonction "
	    "string-length() non prise en charge");
	refuse("if(${a} = 1, 2, 3)", "position 1 : fonction if() non prise "
	    "en charge");
	refuse("${a} = 1 and true()", "position 14 : fonction true() non "
	    "prise en charge");
	refuse("not (concat(${a}, 'x'))", "position 6 : fonction concat() "
	    "non prise en charge");
	refuse("${a} + 1 > 2", "position 6 : opérateur « + » non pris en "
	    "charge : les calculs ne sont pas possibles ici");
	refuse("${a} - 1 > 2", "position 6 : opérateur « - » non pris en "
	    "charge : les calculs ne sont pas possibles ici");
	refuse("${a}-1 > 2", "position 5 : opérateur « - » non pris en "
	    "charge : les calculs ne sont pas possibles ici");
	refuse("-${a} > 2", "position 1 : opérateur « - » non pris en "
	    "charge : les calculs ne sont pas possibles ici");
	refuse("${a} * 2 > 2", "position 6 : opérateur « * » non pris en "
	    "charge : les calculs ne sont pas possibles ici");
	refuse("${a} div 2 > 2", "position 6 : opérateur « div » non pris "
	    "en charge : les calculs ne sont pas possibles ici");
	refuse("(${a} mod 2) = 0", "position 7 : opérateur « mod » non pris "
	    "en charge : les calculs ne sont pas possibles ici");
	refuse("${a} / 2", "position 6 : « / » non pris en charge : ni "
	    "division (les calculs ne sont pas possibles ici) ni chemin (une "
	    "question s'écrit ${nom})");
	refuse("/data/a = 1", "position 1 : « / » non pris en charge : ni "
	    "division (les calculs ne sont pas possibles ici) ni chemin (une "
	    "question s'écrit ${nom})");
	refuse("${a} | ${b}", "position 6 : caractère « | » inattendu");
	/* A negative literal is a number, not a subtraction. */
	expect("-3 < -2", true);
	expect("1 = 1 and -1 < 0", true);
}

static void
test_limits(void **state)
{
	char src[VG_EXPR_MAX_LEN + 64], err[256];
	vg_expr *e;
	size_t n = 0;
	int i;

	(void)state;
	/* VG_EXPR_MAX_DEPTH levels of parentheses and calls are fine. */
	for (i = 0; i < VG_EXPR_MAX_DEPTH - 1; i++)
		n += (size_t)sprintf(src + n, i % 2 ? "(" : "not(");
	n += (size_t)sprintf(src + n, "(1 = 1");
	for (i = 0; i < VG_EXPR_MAX_DEPTH; i++)
		src[n++] = ')';
	src[n] = '\0';
	expect(src, true);              /* 16 nots of true */
	/* One more is refused where it opens. */
	n = 0;
	for (i = 0; i < VG_EXPR_MAX_DEPTH; i++)
		src[n++] = '(';
	n += (size_t)sprintf(src + n, "not(1");
	for (i = 0; i <= VG_EXPR_MAX_DEPTH; i++)
		src[n++] = ')';
	src[n] = '\0';
	refuse(src, "position 33 : expression trop imbriquée (plus de 32 "
	    "niveaux de parenthèses et de fonctions)");
	/* Deep nesting of 1,000 parentheses: refused, not a crash. */
	memset(src, '(', 1000);
	strcpy(src + 1000, "1");
	assert_int_equal(vg_expr_parse(src, &e, err, sizeof(err)), VG_EINVAL);
	/* A long flat chain costs no depth. */
	n = 0;
	while (n + 16 < VG_EXPR_MAX_LEN)
		n += (size_t)sprintf(src + n, "1 = 2 or ");
	strcpy(src + n, "1 = 1");
	expect(src, true);
	/* The length limit counts characters. */
	memset(src, ' ', VG_EXPR_MAX_LEN);
	src[0] = '1';
	src[VG_EXPR_MAX_LEN] = '\0';
	expect(src, true);
	src[VG_EXPR_MAX_LEN] = ' ';
	src[VG_EXPR_MAX_LEN + 1] = '\0';
	refuse(src, "position 1 : expression trop longue (plus de 2000 "
	    "caractères)");
	/* A short error buffer is cut, not overrun; NULL is allowed. */
	memset(err, 'x', sizeof(err));
	assert_int_equal(vg_expr_parse("today()", &e, err, 8), VG_EINVAL);
	assert_int_equal(strlen(err), 7);
	assert_int_equal(err[8], 'x');
	assert_int_equal(vg_expr_parse("today()", &e, NULL, 0), VG_EINVAL);
	assert_null(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_comparisons),
		cmocka_unit_test(test_logic),
		cmocka_unit_test(test_selected),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
