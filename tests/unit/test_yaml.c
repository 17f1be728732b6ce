/*
 * test_yaml.c — the YAML loader: structure, typing of plain and quoted
 * scalars, block scalars, French text, and every refusal with the exact
 * line and column an editor reads; loading files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/yaml.h"

/* Parse src as "t.yaml"; fail the test unless it is accepted. */
static json_t *
parse(const char *src)
{
	char err[256] = "unset";
	json_t *v = (json_t *)1;
	vg_rc rc;

	rc = vg_yaml_parse(src, strlen(src), "t.yaml", &v, err, sizeof(err));
	if (rc != VG_OK)
		fail_msg("\"%s\": rc %d, err \"%s\"", src, rc, err);
	assert_non_null(v);
	assert_string_equal(err, "");
	return v;
}

/* Parse src and compare, types included, with the JSON text want. */
static void
check(const char *src, const char *want)
{
	json_error_t jerr;
	json_t *got, *exp;
	char *dump;

	got = parse(src);
	exp = json_loads(want, JSON_DECODE_ANY, &jerr);
	if (exp == NULL)
		fail_msg("bad JSON in test: %s: %s", want, jerr.text);
	if (!json_equal(got, exp)) {
		dump = json_dumps(got, JSON_ENCODE_ANY | JSON_SORT_KEYS);
		fail_msg("\"%s\": got %s, want %s", src, dump, want);
	}
	json_decref(exp);
	json_decref(got);
}

/* Parse src and expect rc with err exactly want. */
static void
check_rc_error(const char *src, size_t len, vg_rc want_rc, const char *want)
{
	char err[512];
	json_t *v = (json_t *)1;
	vg_rc rc;

	rc = vg_yaml_parse(src, len, "t.yaml", &v, err, sizeof(err));
	if (rc != want_rc)
		fail_msg("\"%s\": rc %d, want %d (err \"%s\")", src, rc,
		    want_rc, rc == VG_OK ? "" : err);
	assert_null(v);
	if (strcmp(err, want) != 0)
		fail_msg("\"%s\":\n got err \"%s\"\nwant err \"%s\"", src, err,
		    want);
}

static void
check_error(const char *src, const char *want)
{
	check_rc_error(src, strlen(src), VG_EINVAL, want);
}

static void
test_nested(void **state)
{
	json_t *v, *lignes;

	(void)state;
	v = parse(
	    "# Annuaire\n"
	    "titre: Numéros utiles\n"
	    "lignes:\n"
	    "  - nom: Violences Femmes Info\n"
	    "    numero: \"3919\"\n"
	    "    horaires: [24h/24, 7j/7]\n"
	    "  - nom: Enfance en danger\n"
	    "    numero: \"119\"\n"
	    "    gratuit: true\n"
	    "options: {ordre: alpha, max: 10, vide: {}, rien: []}\n");
	assert_true(json_is_object(v));
	assert_int_equal(json_object_size(v), 3);
	assert_string_equal(json_string_value(json_object_get(v, "titre")),
	    "Numéros utiles");
	lignes = json_object_get(v, "lignes");
	assert_true(json_is_array(lignes));
	assert_int_equal(json_array_size(lignes), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(lignes, 0), "numero")), "3919");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    json_array_get(lignes, 0), "horaires"), 1)), "7j/7");
	assert_true(json_is_true(json_object_get(json_array_get(lignes, 1),
	    "gratuit")));
	json_decref(v);

	check("options: {ordre: alpha, max: 10, vide: {}, rien: []}",
	    "{\"options\": {\"ordre\": \"alpha\", \"max\": 10, \"vide\": {},"
	    " \"rien\": []}}");
	check("- - a\n  - b\n- - - c\n", "[[\"a\", \"b\"], [[\"c\"]]]");
	check("a:\n  b:\n    c:\n      d: 1\n",
	    "{\"a\": {\"b\": {\"c\": {\"d\": 1}}}}");
	/* A top-level scalar, and an explicit document with an end. */
	check("bonjour", "\"bonjour\"");
	check("---\na: 1\n...\n", "{\"a\": 1}");
	/* Keys are text whatever they look like. */
	check("1: un\ntrue: vrai\nnull: rien\n~: tilde\n",
	    "{\"1\": \"un\", \"true\": \"vrai\", \"null\": \"rien\","
	    " \"~\": \"tilde\"}");
}

static void
test_plain_vs_quoted(void **state)
{
	(void)state;
	check("[12, \"12\", '12', !!str 12, ! 12]",
	    "[12, \"12\", \"12\", \"12\", \"12\"]");
	check("[true, \"true\", 'false', yes, no, on, off, oui, non]",
	    "[true, \"true\", \"false\", \"yes\", \"no\", \"on\", \"off\","
	    " \"oui\", \"non\"]");
	check("[1.5, \"1.5\", '~', \"null\", '']",
	    "[1.5, \"1.5\", \"~\", \"null\", \"\"]");
	/* Phone numbers keep their leading zero and their '+'. */
	check("[0612345678, +33612345678, 01 23 45 67 89, 007, +5, -012]",
	    "[\"0612345678\", \"+33612345678\", \"01 23 45 67 89\", \"007\","
	    " \"+5\", \"-012\"]");
	/* Not numbers in the core schema, or not in JSON. */
	check("[0x1F, 0o17, 1_000, .inf, -.inf, .nan, 12abc, 1e, e3]",
	    "[\"0x1F\", \"0o17\", \"1_000\", \".inf\", \"-.inf\","
	    " \".nan\", \"12abc\", \"1e\", \"e3\"]");
	check("- 1,5\n- 12 %\n- 3919 \n", "[\"1,5\", \"12 %\", 3919]");
	/* Quoting keeps spaces a plain scalar would lose. */
	check("a: '  x  '\nb:   x  \n", "{\"a\": \"  x  \", \"b\": \"x\"}");
	check("\"tab\\there\\n\\u00e9\\\"\"", "\"tab\\there\\n\\u00e9\\\"\"");
	check("'l''apostrophe'", "\"l'apostrophe\"");
}

static void
test_null_and_bool(void **state)
{
	(void)state;
	check("a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: nul\ng: nULL\n",
	    "{\"a\": null, \"b\": null, \"c\": null, \"d\": null,"
	    " \"e\": null, \"f\": \"nul\", \"g\": \"nULL\"}");
	check("- \n-\n- ~\n", "[null, null, null]");
	check("{a: , b: ~}", "{\"a\": null, \"b\": null}");
	check("[true, True, TRUE, false, False, FALSE, tRUE, fAlse, vrai]",
	    "[true, true, true, false, false, false, \"tRUE\", \"fAlse\","
	    " \"vrai\"]");
	/* An explicit null is a document; nothing at all is not. */
	check("~\n", "null");
	check("--- null\n", "null");
}

static void
test_integers(void **state)
{
	json_t *v;

	(void)state;
	check("[0, -0, 7, -3, 42, -1000000, 3919]",
	    "[0, 0, 7, -3, 42, -1000000, 3919]");
	v = parse("[9223372036854775807, -9223372036854775808]");
	assert_true(json_is_integer(json_array_get(v, 0)));
	assert_true(json_integer_value(json_array_get(v, 0)) == LLONG_MAX);
	assert_true(json_integer_value(json_array_get(v, 1)) == LLONG_MIN);
	json_decref(v);
	check_error("a: 1\nb: 9223372036854775808\n",
	    "t.yaml:2:4: nombre « 9223372036854775808 » trop grand ; "
	    "mettez-le entre guillemets si c'est un texte");
	check_error("a:\n  - -9223372036854775809\n",
	    "t.yaml:2:5: nombre « -9223372036854775809 » trop grand ; "
	    "mettez-le entre guillemets si c'est un texte");
	check("\"9223372036854775808\"", "\"9223372036854775808\"");
}

static void
test_floats(void **state)
{
	const double want[] = {1.5, -2.25, 0.5, -0.5, 1.0, 2000.0, 1.5e-3,
	    0.1, 1e300, 0.0};
	json_t *v, *e;
	size_t i;

	(void)state;
	v = parse("[1.5, -2.25, .5, -.5, 1., 2e3, 1.5E-3, 0.1, 1e+300,"
	    " 1e-400]");
	assert_int_equal(json_array_size(v), VG_ARRAY_LEN(want));
	for (i = 0; i < VG_ARRAY_LEN(want); i++) {
		e = json_array_get(v, i);
		if (!json_is_real(e) || json_real_value(e) != want[i])
			fail_msg("item %zu: want real %g", i, want[i]);
	}
	json_decref(v);
	/* An integral-looking real stays real. */
	v = parse("1.0");
	assert_true(json_is_real(v));
	json_decref(v);
	check("[01.5, 00.5, +1.5, \"2.5\", 1.2.3, .]",
	    "[\"01.5\", \"00.5\", \"+1.5\", \"2.5\", \"1.2.3\", \".\"]");
	check_error("x:\n  taux: 1e400\n",
	    "t.yaml:2:9: nombre « 1e400 » trop grand ; mettez-le entre "
	    "guillemets si c'est un texte");
}

static void
test_block_scalars(void **state)
{
	(void)state;
	check("texte: |\n  Ligne un,\n  ligne deux.\n\n  Fin.\nautre: 1\n",
	    "{\"texte\": \"Ligne un,\\nligne deux.\\n\\nFin.\\n\","
	    " \"autre\": 1}");
	check("texte: >\n  Un paragraphe\n  replié.\n\n  Suite.\n",
	    "{\"texte\": \"Un paragraphe replié.\\nSuite.\\n\"}");
	check("a: |-\n  sans fin\nb: >-\n  replié\n  aussi\n",
	    "{\"a\": \"sans fin\", \"b\": \"replié aussi\"}");
	/* Block scalars are never typed. */
	check("a: |\n  12\nb: >-\n  true\n", "{\"a\": \"12\\n\", \"b\": \"true\"}");
	/* A plain scalar on several lines is folded, and still typed. */
	check("a: un texte\n  sur deux lignes\nb: 12\n",
	    "{\"a\": \"un texte sur deux lignes\", \"b\": 12}");
}

static void
test_french_utf8(void **state)
{
	json_t *v;

	(void)state;
	v = parse("\xef\xbb\xbf"	/* a BOM, as Windows editors write */
	    "question: « Êtes-vous en sécurité là où vous êtes ? »\n"
	    "réponses:\n"
	    "  - Oui, à l'abri\n"
	    "  - 'Non : j’ai besoin d’aide'\n"
	    "cœur: ça, œuvre, naïve, Noël 🎄\n");
	assert_string_equal(json_string_value(json_object_get(v, "question")),
	    "« Êtes-vous en sécurité là où vous êtes ? »");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(v, "réponses"), 1)), "Non : j’ai besoin d’aide");
	assert_string_equal(json_string_value(json_object_get(v, "cœur")),
	    "ça, œuvre, naïve, Noël 🎄");
	json_decref(v);
	/* Columns count characters, not bytes: "é" is one column. */
	check_error("été: [1, 2\n",
	    "t.yaml:2:1: YAML invalide : « , » ou « ] » attendu "
	    "(liste commencée ligne 1)");
	check_error("a: 1\nété: é\nété: 2\n",
	    "t.yaml:3:1: clé « été » en double");
	/* Bad UTF-8 (Latin-1 "é") is located the same way. */
	check_error("a: 1\nbé: caf\xe9\n",
	    "t.yaml:2:8: YAML invalide : le fichier doit être encodé en "
	    "UTF-8");
	/* CRLF and CR alone end lines too, for marks and for offsets. */
	check_error("a: 1\r\nb: 2\r\na: 3\r\n",
	    "t.yaml:3:1: clé « a » en double");
	check_error("a: 1\r\nb: \xff\r\n",
	    "t.yaml:2:4: YAML invalide : le fichier doit être encodé en "
	    "UTF-8");
	check_error("a: 1\rb: \xff\r",
	    "t.yaml:2:4: YAML invalide : le fichier doit être encodé en "
	    "UTF-8");
	/* The BOM takes no column. */
	check_error("\xef\xbb\xbf" "a: b: c\n",
	    "t.yaml:1:5: YAML invalide : « : » inattendu ; mettez entre "
	    "guillemets un texte qui contient « : »");
	/* UTF-16 is refused, not converted. */
	check_rc_error("\xff\xfe" "a\0:\0 \0" "1\0", 10, VG_EINVAL,
	    "t.yaml:1:1: YAML invalide : le fichier doit être encodé en "
	    "UTF-8");
	check_error("a: \"x\\0y\"\n", "t.yaml:1:4: caractère nul interdit");
	check_error("a: 1\n\"k\\0\": 2\n", "t.yaml:2:1: caractère nul interdit");
	check_error("a: b\x01\n",
	    "t.yaml:1:5: YAML invalide : caractère de contrôle interdit");
}

static void
test_duplicate_key(void **state)
{
	(void)state;
	check_error(
	    "lignes:\n"
	    "  - nom: SAMU\n"
	    "    numero: \"15\"\n"
	    "    numero: \"112\"\n",
	    "t.yaml:4:5: clé « numero » en double");
	check_error("{a: 1, b: 2, a: 3}", "t.yaml:1:14: clé « a » en double");
	/* Quoting does not make a key different. */
	check_error("cle: 1\n'cle': 2\n", "t.yaml:2:1: clé « cle » en double");
	/* A long key is cut in the message, on a character boundary. */
	check_error("ééééééééééééééééééééééééééééééé: 1\n"
	    "ééééééééééééééééééééééééééééééé: 2\n",
	    "t.yaml:2:1: clé « éééééééééééééééééééééééé… » en double");
	check_error("xééééééééééééééééééééééééééééé: 1\n"
	    "xééééééééééééééééééééééééééééé: 2\n",
	    "t.yaml:2:1: clé « xééééééééééééééééééééééé… » en double");
	/* A newline in a key does not break the message's line. */
	check_error("\"a\\nb\": 1\n\"a\\nb\": 2\n",
	    "t.yaml:2:1: clé « a b » en double");
	/* The same key in two mappings is fine. */
	check("a: {x: 1}\nb: {x: 2}\n",
	    "{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}}");
}

static void
test_alias_refused(void **state)
{
	(void)state;
	check_error("base: &b\n  nom: x\ncopie: *b\n",
	    "t.yaml:3:8: les alias YAML ne sont pas acceptés");
	check_error("base: &b {nom: x}\nautre:\n  <<: *b\n",
	    "t.yaml:3:7: les alias YAML ne sont pas acceptés");
	check_error("a: &k cle\n*k : 1\n",
	    "t.yaml:2:1: les alias YAML ne sont pas acceptés");
	/* Billion laughs: refused at the first alias, nothing expanded. */
	check_error(
	    "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
	    "t.yaml:2:8: les alias YAML ne sont pas acceptés");
	/* An anchor alone changes nothing. */
	check("a: &x 1\n", "{\"a\": 1}");
}

static void
test_empty_document(void **state)
{
	char err[128];
	json_t *v = (json_t *)1;

	(void)state;
	check_error("", "t.yaml:1:1: document vide");
	check_error("\n\n   \n", "t.yaml:1:1: document vide");
	check_error("# rien que des commentaires\n# ici\n",
	    "t.yaml:1:1: document vide");
	check_error("---\n", "t.yaml:1:1: document vide");
	check_error("# titre\n---\n# à remplir\n...\n",
	    "t.yaml:1:1: document vide");
	assert_int_equal(vg_yaml_parse(NULL, 0, "vide.yaml", &v, err,
	    sizeof(err)), VG_EINVAL);
	assert_null(v);
	assert_string_equal(err, "vide.yaml:1:1: document vide");
}

static void
test_two_documents(void **state)
{
	(void)state;
	check_error("a: 1\n---\nb: 2\n",
	    "t.yaml:2:1: un seul document par fichier ; retirez ce « --- » et "
	    "ce qui suit, ou faites-en un autre fichier");
	check_error("---\na: 1\n...\n---\nb: 2\n",
	    "t.yaml:4:1: un seul document par fichier ; retirez ce « --- » et "
	    "ce qui suit, ou faites-en un autre fichier");
	/* libyaml wants "---" before a document that follows "...". */
	check_error("a: 1\n...\nb: 2\n",
	    "t.yaml:3:1: YAML invalide : contenu inattendu après la fin du "
	    "document");
	check_error("[1, 2]\nb: 2\n",
	    "t.yaml:2:1: YAML invalide : contenu inattendu après la fin du "
	    "document");
	/* A trailing "..." or "---" alone opens no second document's
	 * content, but "---" does open one. */
	check("a: 1\n...\n", "{\"a\": 1}");
	check_error("a: 1\n---\n",
	    "t.yaml:2:1: un seul document par fichier ; retirez ce « --- » et "
	    "ce qui suit, ou faites-en un autre fichier");
}

static void
test_syntax_errors(void **state)
{
	(void)state;
	/* Bad indentation. */
	check_error("a:\n  b: 1\n c: 2\n",
	    "t.yaml:3:2: YAML invalide : clé attendue ; vérifiez "
	    "l'indentation (bloc commencé ligne 1)");
	check_error("liste:\n  - a\n  - b\n   c: 1\n",
	    "t.yaml:4:5: YAML invalide : « : » inattendu ; mettez entre "
	    "guillemets un texte qui contient « : »");
	/* An unquoted colon. */
	check_error("titre: Attention: danger\n",
	    "t.yaml:1:17: YAML invalide : « : » inattendu ; mettez entre "
	    "guillemets un texte qui contient « : »");
	/* An unclosed quote, reported where the file ends. */
	check_error("a: 1\nb: \"pas fermé\nc: 3\n",
	    "t.yaml:4:1: YAML invalide : fin du fichier inattendue ; un "
	    "guillemet n'est-il pas fermé ? (texte entre guillemets commencé "
	    "ligne 2)");
	/* A tab used to indent. */
	check_error("a:\n\tb: 1\n",
	    "t.yaml:2:1: YAML invalide : caractère inattendu ; mettez le "
	    "texte entre guillemets, et indentez avec des espaces, pas des "
	    "tabulations");
	check_error("a: [1, 2\nb: 3\n",
	    "t.yaml:2:2: YAML invalide : « , » ou « ] » attendu (liste "
	    "commencée ligne 1)");
	check_error("a: {x: 1\n",
	    "t.yaml:2:1: YAML invalide : « , » ou « } » attendu (bloc "
	    "commencé ligne 1)");
	check_error("a: \"\\q\"\n",
	    "t.yaml:1:5: YAML invalide : caractère inconnu après « \\ » ; "
	    "utilisez des guillemets simples");
	/* A problem without a French wording keeps libyaml's. */
	check_error("a: \"\\ud800\"\n",
	    "t.yaml:1:7: YAML invalide : found invalid Unicode character "
	    "escape code");
}

static void
test_refused_structures(void **state)
{
	(void)state;
	check_error("? [a, b]\n: 1\n",
	    "t.yaml:1:3: une clé doit être un simple texte, pas une liste ni "
	    "un dictionnaire");
	check_error("x:\n  {a: 1}: 2\n",
	    "t.yaml:2:3: une clé doit être un simple texte, pas une liste ni "
	    "un dictionnaire");
	check_error("a: !!int 12\n",
	    "t.yaml:1:4: étiquette YAML « !!int » non acceptée");
	check_error("a: !!seq {b: 1}\n",
	    "t.yaml:1:4: étiquette YAML « !!seq » non acceptée");
	check_error("a: !perso x\n",
	    "t.yaml:1:4: étiquette YAML « !perso » non acceptée");
	check_error("!!binary a: 1\n",
	    "t.yaml:1:1: étiquette YAML « !!binary » non acceptée");
	check("a: !!map {b: !!seq [1]}\n", "{\"a\": {\"b\": [1]}}");
}

/* n sequences nested in flow style: "[[[...]]]". */
static char *
flow_nest(int n)
{
	char *s = malloc((size_t)n * 2 + 1);
	int i;

	assert_non_null(s);
	for (i = 0; i < n; i++) {
		s[i] = '[';
		s[n + i] = ']';
	}
	s[2 * n] = '\0';
	return s;
}

/* n mappings nested in block style: "k:\n k:\n  k: ... v". */
static char *
block_nest(int n)
{
	size_t cap = (size_t)n * (size_t)(n + 4) + 8, len = 0;
	char *s = malloc(cap);
	int i;

	assert_non_null(s);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len, "%*sk:%s", i, "",
		    i + 1 < n ? "\n" : " v\n");
	return s;
}

static void
test_depth_limit(void **state)
{
	char want[128];
	json_t *root, *v;
	char *s;
	int i;

	(void)state;
	s = flow_nest(VG_YAML_MAX_DEPTH);
	root = parse(s);
	v = root;
	for (i = 1; i < VG_YAML_MAX_DEPTH; i++) {
		assert_int_equal(json_array_size(v), 1);
		v = json_array_get(v, 0);
	}
	assert_int_equal(json_array_size(v), 0);
	json_decref(root);
	free(s);

	s = flow_nest(VG_YAML_MAX_DEPTH + 1);
	snprintf(want, sizeof(want), "t.yaml:1:%d: imbrication trop profonde "
	    "(64 niveaux au plus)", VG_YAML_MAX_DEPTH + 1);
	check_error(s, want);
	free(s);

	s = block_nest(VG_YAML_MAX_DEPTH);
	json_decref(parse(s));
	free(s);
	/* The 65th mapping starts at its key, line 65, column 65. */
	s = block_nest(VG_YAML_MAX_DEPTH + 1);
	snprintf(want, sizeof(want), "t.yaml:%d:%d: imbrication trop profonde "
	    "(64 niveaux au plus)", VG_YAML_MAX_DEPTH + 1,
	    VG_YAML_MAX_DEPTH + 1);
	check_error(s, want);
	free(s);

	/* Far deeper input stops at the limit, quickly. */
	s = flow_nest(100000);
	check_error(s, "t.yaml:1:65: imbrication trop profonde (64 niveaux "
	    "au plus)");
	free(s);
}

static void
test_error_buffer(void **state)
{
	char small[16], err[64];
	const char *src = "a: 1\na: 2\n";
	json_t *v;

	(void)state;
	/* Truncated, still terminated. */
	assert_int_equal(vg_yaml_parse(src, strlen(src), "contenu/x.yaml", &v,
	    small, sizeof(small)), VG_EINVAL);
	assert_string_equal(small, "contenu/x.yaml:");
	/* No buffer at all. */
	assert_int_equal(vg_yaml_parse(src, strlen(src), "x", &v, NULL, 0),
	    VG_EINVAL);
	assert_null(v);
	/* No name. */
	assert_int_equal(vg_yaml_parse(src, strlen(src), NULL, &v, err,
	    sizeof(err)), VG_EINVAL);
	assert_string_equal(err, "<yaml>:2:1: clé « a » en double");
	/* Only len bytes are read: the rest would be a second key. */
	v = NULL;
	assert_int_equal(vg_yaml_parse(src, 4, "x", &v, err, sizeof(err)),
	    VG_OK);
	assert_int_equal(json_integer_value(json_object_get(v, "a")), 1);
	json_decref(v);
}

/* dir "/" name, for the caller to free. */
static char *
join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = malloc(n);

	assert_non_null(path);
	snprintf(path, n, "%s/%s", dir, name);
	return path;
}

/* Write content to a new file in dir; returns its path (caller frees). */
static char *
write_file(const char *dir, const char *name, const char *content,
    size_t len)
{
	char *path = join(dir, name);
	FILE *f;

	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(content, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void
test_load_file(void **state)
{
	char dir[] = "/tmp/vg-test-yaml-XXXXXX";
	char err[512], want[512];
	const char *ok = "numeros:\n  - \"3919\"\n  - \"119\"\n";
	const char *bad = "a: 1\nb:\n  - x\n  y: 2\n";
	char *path, *big;
	json_t *v;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));

	path = write_file(dir, "ok.yaml", ok, strlen(ok));
	v = NULL;
	assert_int_equal(vg_yaml_load_file(path, &v, err, sizeof(err)),
	    VG_OK);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(v, "numeros"), 1)), "119");
	json_decref(v);
	assert_int_equal(unlink(path), 0);
	free(path);

	path = write_file(dir, "bad.yaml", bad, strlen(bad));
	assert_int_equal(vg_yaml_load_file(path, &v, err, sizeof(err)),
	    VG_EINVAL);
	assert_null(v);
	snprintf(want, sizeof(want), "%s:4:3: YAML invalide : « - » attendu ; "
	    "vérifiez l'indentation (bloc commencé ligne 3)", path);
	assert_string_equal(err, want);
	assert_int_equal(unlink(path), 0);
	free(path);

	path = write_file(dir, "vide.yaml", "", 0);
	assert_int_equal(vg_yaml_load_file(path, &v, err, sizeof(err)),
	    VG_EINVAL);
	snprintf(want, sizeof(want), "%s:1:1: document vide", path);
	assert_string_equal(err, want);
	assert_int_equal(unlink(path), 0);
	free(path);

	/* Exactly the limit is read; one byte more is refused. */
	big = malloc(VG_YAML_MAX_FILE + 1);
	assert_non_null(big);
	memset(big, '#', VG_YAML_MAX_FILE);
	memcpy(big, "a: 1\n", 5);
	big[VG_YAML_MAX_FILE - 1] = '\n';
	path = write_file(dir, "limite.yaml", big, VG_YAML_MAX_FILE);
	assert_int_equal(vg_yaml_load_file(path, &v, err, sizeof(err)),
	    VG_OK);
	assert_int_equal(json_integer_value(json_object_get(v, "a")), 1);
	json_decref(v);
	f = fopen(path, "ab");
	assert_non_null(f);
	assert_int_equal(fputc('\n', f), '\n');
	assert_int_equal(fclose(f), 0);
	assert_int_equal(vg_yaml_load_file(path, &v, err, sizeof(err)),
	    VG_EINVAL);
	assert_null(v);
	snprintf(want, sizeof(want), "%s : fichier trop volumineux (8 Mio au "
	    "plus)", path);
	assert_string_equal(err, want);
	assert_int_equal(unlink(path), 0);
	free(path);
	free(big);

	/* A file whose size says 0 is read whole all the same. */
	f = fopen("/proc/self/comm", "r");
	if (f != NULL) {
		char comm[64];
		json_t *want_v;

		assert_non_null(fgets(comm, sizeof(comm), f));
		fclose(f);
		want_v = parse(comm);
		assert_int_equal(vg_yaml_load_file("/proc/self/comm", &v, err,
		    sizeof(err)), VG_OK);
		assert_true(json_equal(v, want_v));
		json_decref(want_v);
		json_decref(v);
	}

	/* Missing file, and a directory. */
	path = join(dir, "absent.yaml");
	v = (json_t *)1;
	assert_int_equal(vg_yaml_load_file(path, &v, err, sizeof(err)),
	    VG_EIO);
	assert_null(v);
	snprintf(want, sizeof(want), "%s : impossible de lire le fichier (%s)",
	    path, strerror(ENOENT));
	assert_string_equal(err, want);
	free(path);
	assert_int_equal(vg_yaml_load_file(dir, &v, err, sizeof(err)),
	    VG_EIO);
	snprintf(want, sizeof(want), "%s : impossible de lire le fichier (%s)",
	    dir, strerror(EISDIR));
	assert_string_equal(err, want);

	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_plain_vs_quoted),
		cmocka_unit_test(test_null_and_bool),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_block_scalars),
		cmocka_unit_test(test_french_utf8),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_alias_refused),
		cmocka_unit_test(test_empty_document),
		cmocka_unit_test(test_two_documents),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_refused_structures),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
