/*
 * test_detect.c — the detector of identifying data: the corpus of French
 * examples in tests/workgroup/corpus.txt (each line's kinds, with the
 * corpus's precision and recall printed), offsets, overlaps, UTF-8
 * boundaries, empty and huge texts, a max smaller than the count, the
 * lists' loading and the labels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "workgroup/detect.h"

#define MAXM 64

static const char *const kind_names[] = { NULL, "email", "phone",
    "address", "name", "plate", "nir" };

static int
setup(void **state)
{
	char err[512];

	(void)state;
	if (wg_detect_load(VIGIE_SRCDIR, err, sizeof(err)) != VG_OK) {
		print_error("%s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	wg_detect_free();
	return 0;
}

/* The kinds named in spec ("name,phone", "none") as a bit set; the ones
 * prefixed with "!" in *known. */
static unsigned
parse_kinds(char *spec, unsigned *known)
{
	unsigned set = 0;
	char *tok, *save = NULL;
	size_t k;
	int bang;

	*known = 0;
	for (tok = strtok_r(spec, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (strcmp(tok, "none") == 0)
			continue;
		bang = tok[0] == '!';
		for (k = 1; k < VG_ARRAY_LEN(kind_names); k++)
			if (strcmp(tok + bang, kind_names[k]) == 0)
				break;
		if (k == VG_ARRAY_LEN(kind_names))
			fail_msg("unknown kind %s", tok);
		if (bang)
			*known |= 1u << k;
		else
			set |= 1u << k;
	}
	return set;
}

/* Turns the two characters "\n" into a line break, in place. */
static void
unescape(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] == 'n') {
			*w++ = '\n';
			s++;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static void
test_corpus(void **state)
{
	char line[1024], *tab, *text;
	struct wg_match m[MAXM];
	unsigned want, known, got, bit;
	size_t n, i, k, lineno = 0, pos = 0, neg = 0, bad = 0;
	size_t tp = 0, fp = 0, fn = 0;
	FILE *f;

	(void)state;
	f = fopen(VIGIE_SRCDIR "/tests/workgroup/corpus.txt", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		tab = strchr(line, '\t');
		assert_non_null(tab);
		*tab = '\0';
		text = tab + 1;
		unescape(text);
		want = parse_kinds(line, &known);
		if (want == 0)
			neg++;
		else
			pos++;
		n = wg_detect(text, strlen(text), m, MAXM);
		assert_true(n <= MAXM);
		got = 0;
		for (i = 0; i < n; i++)
			got |= 1u << m[i].kind;
		for (k = 1; k < VG_ARRAY_LEN(kind_names); k++) {
			bit = 1u << k;
			if ((want & bit) && (got & bit))
				tp++;
			else if (got & bit)
				fp++;
			else if (want & bit)
				fn++;
		}
		if ((got & ~known) != (want & ~known)) {
			bad++;
			print_message("corpus line %zu: expected", lineno);
			for (k = 1; k < VG_ARRAY_LEN(kind_names); k++)
				if (want & (1u << k))
					print_message(" %s", kind_names[k]);
			print_message(", found");
			for (i = 0; i < n; i++)
				print_message(" %s «%.*s»", kind_names[m[i].kind],
				    (int)m[i].len, text + m[i].off);
			print_message(": %s\n", text);
		}
	}
	fclose(f);
	print_message("# corpus: %zu positive and %zu negative examples; "
	    "precision %.3f, recall %.3f (%zu found, %zu false alarms, "
	    "%zu missed)\n", pos, neg, tp + fp ? (double)tp / (double)(tp +
	    fp) : 1.0, tp + fn ? (double)tp / (double)(tp + fn) : 1.0, tp,
	    fp, fn);
	assert_true(pos >= 60);
	assert_true(neg >= 60);
	assert_int_equal(bad, 0);
}

/* Exactly the matches expected: kinds and the matched texts. */
static void
expect(const char *text, size_t nexp, const enum wg_ident *kinds,
    const char *const *texts)
{
	struct wg_match m[MAXM];
	size_t n, i;

	n = wg_detect(text, strlen(text), m, MAXM);
	if (n != nexp)
		fail_msg("%s: %zu matches, expected %zu", text, n, nexp);
	for (i = 0; i < n; i++) {
		assert_int_equal(m[i].kind, kinds[i]);
		assert_true(m[i].off + m[i].len <= strlen(text));
		if (strlen(texts[i]) != m[i].len ||
		    memcmp(text + m[i].off, texts[i], m[i].len) != 0)
			fail_msg("%s: «%.*s», expected «%s»", text,
			    (int)m[i].len, text + m[i].off, texts[i]);
	}
}

static void
test_offsets(void **state)
{
	const char *t1 = "Léa Martin : lea@x.fr, 06 12 34 56 78.";
	struct wg_match m[4];

	(void)state;
	assert_int_equal(wg_detect(t1, strlen(t1), m, 4), 3);
	assert_int_equal(m[0].off, 0);
	assert_int_equal(m[0].len, strlen("Léa Martin"));
	assert_int_equal(m[1].off, strlen("Léa Martin : "));
	assert_int_equal(m[1].len, strlen("lea@x.fr"));
	assert_int_equal(m[2].off, strlen("Léa Martin : lea@x.fr, "));
	assert_int_equal(m[2].len, 14);
	expect("Écrire à Émilie Durand-Leroy, au 12 bis rue de la Paix, "
	    "75002 Paris, ou appeler le +33 (0)6 12 34 56 78.", 3,
	    (const enum wg_ident[]){ WG_NAME, WG_ADDRESS, WG_PHONE },
	    (const char *const[]){ "Émilie Durand-Leroy",
	    "12 bis rue de la Paix, 75002 Paris", "+33 (0)6 12 34 56 78" });
	expect("plaque AB-123-CD, NIR 2 69 05 49 588 157 80.", 2,
	    (const enum wg_ident[]){ WG_PLATE, WG_NIR },
	    (const char *const[]){ "AB-123-CD", "2 69 05 49 588 157 80" });
	/* Non-breaking spaces, as word processors put them. */
	expect("Tél. 06\xc2\xa0" "12\xc2\xa0" "34\xc2\xa0" "56\xc2\xa0" "78",
	    1, (const enum wg_ident[]){ WG_PHONE },
	    (const char *const[]){ "06\xc2\xa0" "12\xc2\xa0" "34\xc2\xa0"
	    "56\xc2\xa0" "78" });
	/* Corsica. */
	expect("1 84 12 2B 004 022 54", 1, (const enum wg_ident[]){ WG_NIR },
	    (const char *const[]){ "1 84 12 2B 004 022 54" });
	expect("Mme Léa Martin", 1, (const enum wg_ident[]){ WG_NAME },
	    (const char *const[]){ "Mme Léa Martin" });
}

/* Overlapping candidates: the longest is kept, alone. */
static void
test_overlaps(void **state)
{
	(void)state;
	/* A name inside an address: the address. */
	expect("au 5 rue Louise Michel, 93200 Saint-Denis", 1,
	    (const enum wg_ident[]){ WG_ADDRESS },
	    (const char *const[]){ "5 rue Louise Michel, 93200 Saint-Denis" });
	/* An e-mail made of a name: one e-mail. */
	expect("Lea.Martin@exemple.fr", 1, (const enum wg_ident[]){ WG_EMAIL },
	    (const char *const[]){ "Lea.Martin@exemple.fr" });
	/* A plate-looking start of a longer thing is not cut. */
	expect("AB-123-CDE", 0, NULL, NULL);
	/* Two names side by side stay two. */
	expect("Léa Martin et Hugo Petit", 2,
	    (const enum wg_ident[]){ WG_NAME, WG_NAME },
	    (const char *const[]){ "Léa Martin", "Hugo Petit" });
}

/* Matches start and end on code points, and accents fold both ways. */
static void
test_utf8(void **state)
{
	struct wg_match m[8];
	const char *t = "«Éloïse Ménard»—écrit à elo@exemple.fr…";
	size_t n, i;

	(void)state;
	n = wg_detect(t, strlen(t), m, 8);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		assert_true((t[m[i].off] & 0xc0) != 0x80);
		assert_true(m[i].off + m[i].len == strlen(t) ||
		    (t[m[i].off + m[i].len] & 0xc0) != 0x80);
	}
	expect("Eloise Menard", 1, (const enum wg_ident[]){ WG_NAME },
	    (const char *const[]){ "Eloise Menard" });
	expect("LÉA MARTIN", 1, (const enum wg_ident[]){ WG_NAME },
	    (const char *const[]){ "LÉA MARTIN" });
	/* Malformed bytes around a match neither crash nor get in. */
	expect("\xff\xfe" "06 12 34 56 78" "\xc3", 1,
	    (const enum wg_ident[]){ WG_PHONE },
	    (const char *const[]){ "06 12 34 56 78" });
	/* A cut in the middle of a character. */
	assert_int_equal(wg_detect("L\xc3", 2, m, 8), 0);
}

static void
test_empty(void **state)
{
	struct wg_match m[1];

	(void)state;
	assert_int_equal(wg_detect("", 0, m, 1), 0);
	assert_int_equal(wg_detect(NULL, 0, m, 1), 0);
	assert_int_equal(wg_detect("   \n\t", 5, m, 1), 0);
	/* len, not the NUL, bounds the text. */
	assert_int_equal(wg_detect("06 12 34 56 78", 13, m, 1), 0);
	assert_int_equal(wg_detect("06 12 34 56 78", 14, m, 1), 1);
}

/* Fewer slots than matches: the count is still the whole count, and the
 * first ones are written, no more. */
static void
test_max(void **state)
{
	const char *t = "a@b.fr c@d.fr e@f.fr g@h.fr";
	struct wg_match m[3];

	(void)state;
	memset(m, 0xab, sizeof(m));
	assert_int_equal(wg_detect(t, strlen(t), m, 2), 4);
	assert_int_equal(m[0].off, 0);
	assert_int_equal(m[1].off, 7);
	assert_int_equal(((unsigned char *)&m[2])[0], 0xab);
	assert_int_equal(wg_detect(t, strlen(t), NULL, 0), 4);
}

/* A megabyte of text, half of it made to make recognisers work hard, in
 * bounded time. */
static void
test_huge(void **state)
{
	static const char *const pieces[] = { "Léa Martin ", "06 12 34 56 ",
	    "1 2 3 4 5 6 7 8 9 ", "12 rue ", "aaaa.bbbb.cccc", "@@@@",
	    "AB-123-", "Jean-Jean-Jean-", "1 85 05 78 006 ", "75002 ",
	    "« Éé » " };
	size_t size = 1024 * 1024, len = 0, k = 0, n;
	char *t = malloc(size + 1);
	struct wg_match m[16];
	clock_t c;
	double secs;

	(void)state;
	assert_non_null(t);
	while (len < size) {
		size_t pl = strlen(pieces[k % VG_ARRAY_LEN(pieces)]);

		if (len + pl > size)
			break;
		memcpy(t + len, pieces[k % VG_ARRAY_LEN(pieces)], pl);
		len += pl;
		k++;
	}
	memset(t + len, 'x', size - len);
	t[size] = '\0';
	c = clock();
	n = wg_detect(t, size, m, 16);
	secs = (double)(clock() - c) / CLOCKS_PER_SEC;
	print_message("# 1 MB of text: %zu matches in %.2f s\n", n, secs);
	assert_true(n > 1000);
	assert_true(secs < 10.0);       /* under ASan; ~0.1 s optimised */
	/* One long word, one long run of digits. */
	memset(t, 'a', size);
	c = clock();
	assert_int_equal(wg_detect(t, size, m, 16), 0);
	memset(t, '1', size);
	assert_int_equal(wg_detect(t, size, m, 16), 0);
	secs = (double)(clock() - c) / CLOCKS_PER_SEC;
	assert_true(secs < 10.0);
	free(t);
}

static void
test_labels(void **state)
{
	enum wg_ident k;

	(void)state;
	assert_string_equal(wg_ident_label(WG_EMAIL), "une adresse e-mail");
	assert_string_equal(wg_ident_label(WG_NIR),
	    "un numéro de sécurité sociale");
	for (k = WG_EMAIL; k <= WG_NIR; k++)
		assert_true(strlen(wg_ident_label(k)) > 5);
}

/* Without the lists, names aside, everything still works; a missing list
 * is named in the error. */
static void
test_load(void **state)
{
	char err[512];
	struct wg_match m[4];
	const char *t = "Léa Martin, 06 12 34 56 78, M. Martin";

	(void)state;
	wg_detect_free();
	assert_int_equal(wg_detect(t, strlen(t), m, 4), 2);
	assert_int_equal(m[0].kind, WG_PHONE);
	assert_int_equal(m[1].kind, WG_NAME);     /* civility: no list */
	err[0] = '\0';
	assert_int_not_equal(wg_detect_load("/nonexistent", err, sizeof(err)),
	    VG_OK);
	assert_non_null(strstr(err, "/nonexistent/node_modules/.vigie/"
	    "prenoms.txt"));
	assert_int_equal(wg_detect(t, strlen(t), m, 4), 2);
	assert_int_equal(wg_detect_load(VIGIE_SRCDIR, err, sizeof(err)),
	    VG_OK);
	assert_int_equal(wg_detect(t, strlen(t), m, 4), 3);
	/* The exclusions apply; the additions too. */
	t = "Paris Martin";
	assert_int_equal(wg_detect(t, strlen(t), m, 4), 0);
	t = "Ginette Lebrun";
	assert_int_equal(wg_detect(t, strlen(t), m, 4), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
