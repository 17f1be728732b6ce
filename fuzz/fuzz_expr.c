/*
 * fuzz_expr.c — libFuzzer target for the XLSForm expressions.
 *
 * The input is an expression (cut at its first NUL).  A refusal must be
 * VG_EINVAL with one line of message starting with "position ".  An
 * accepted expression is evaluated against a fixed set of answers, with
 * and without ".", must give the same result twice (evaluation reads
 * nothing but its arguments), and lists its names, each of which must be
 * a well-formed name that appears in the source as ${name}.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_expr: %s\n", what);
		abort();
	}
}

static const char *
get(void *arg, const char *name)
{
	static const char *const answers[] = {
		"a", "3", "b", "a b c", "c", "", "d", "2024-03-15", "e", "-1.5",
		"f", "texte libre", NULL
	};
	size_t i;

	(void)arg;
	for (i = 0; answers[i] != NULL; i += 2)
		if (strcmp(answers[i], name) == 0)
			return answers[i + 1];
	return NULL;
}

struct names {
	const char *src;
	size_t n;
};

static void
name(void *arg, const char *s)
{
	struct names *nm = arg;
	char ref[VG_EXPR_MAX_LEN * 4 + 8];
	size_t i;

	nm->n++;
	check(s[0] != '\0', "empty name");
	for (i = 0; s[i] != '\0'; i++)
		check((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || s[i] == '_' || (i > 0 && ((s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '.' || s[i] == '-')), "name char");
	snprintf(ref, sizeof(ref), "${%s}", s);
	check(strstr(nm->src, ref) != NULL, "name not in source");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src, err[200];
	vg_expr *e = (vg_expr *)1;
	struct names nm;
	bool r1, r2, r3;
	vg_rc rc;

	if ((src = malloc(size + 1)) == NULL)
		return 0;
	memcpy(src, data, size);
	src[size] = '\0';
	memset(err, 'x', sizeof(err));
	rc = vg_expr_parse(src, &e, err, sizeof(err));
	if (rc != VG_OK) {
		check(rc == VG_EINVAL, "refusal not VG_EINVAL");
		check(e == NULL, "expression on error");
		check(strlen(err) < sizeof(err), "err overflow");
		check(strncmp(err, "position ", 9) == 0, "no position");
		free(src);
		return 0;
	}
	check(e != NULL && err[0] == '\0', "accepted");
	r1 = vg_expr_eval(e, get, NULL, NULL);
	r2 = vg_expr_eval(e, get, NULL, "a b");
	r3 = vg_expr_eval(e, get, NULL, NULL);
	check(r1 == r3, "evaluation not repeatable");
	if (!vg_expr_uses_self(e))
		check(r1 == r2, "result depends on an unused \".\"");
	(void)vg_expr_eval(e, NULL, NULL, "12");
	nm.src = src;
	nm.n = 0;
	vg_expr_names(e, name, &nm);
	vg_expr_free(e);
	free(src);
	return 0;
}
