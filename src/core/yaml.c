/*
 * yaml.c — libyaml's event parser drives a recursive descent that builds
 * the jansson value as it goes.  Recursion is bounded by
 * VG_YAML_MAX_DEPTH, checked before entering a collection, and libyaml
 * itself keeps its state on the heap, so deep input costs neither stack
 * nor memory beyond the limit.
 *
 * Aliases are refused rather than expanded: a few lines of nested aliases
 * otherwise grow into gigabytes ("billion laughs"), and content editors
 * have no use for them.
 *
 * Every event is owned by exactly one function, which deletes it on every
 * path; a value under construction is released at the same "fail" label.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* strtod_l, newlocale */
#endif

#include "core/yaml.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "core/i18n.h"

#define TAG_PREFIX	"tag:yaml.org,2002:"
#define TAG_STR		TAG_PREFIX "str"
#define TAG_SEQ		TAG_PREFIX "seq"
#define TAG_MAP		TAG_PREFIX "map"
#define EXCERPT		48	/* bytes of a key or value quoted in a message */

struct ctx {
	yaml_parser_t parser;
	const char *src;
	size_t len;
	const char *name;
	char *err;
	size_t errlen;
	unsigned flags;
};

/* libyaml's problems an editor is likely to meet, said in French. */
static const struct {
	const char *problem, *msg;
} problems[] = {
	{"did not find expected key",
	    N_("clé attendue ; vérifiez l'indentation")},
	{"did not find expected '-' indicator",
	    N_("« - » attendu ; vérifiez l'indentation")},
	{"block sequence entries are not allowed in this context",
	    N_("élément de liste « - » inattendu ; vérifiez l'indentation")},
	{"mapping values are not allowed in this context",
	    N_("« : » inattendu ; mettez entre guillemets un texte qui "
	    "contient « : »")},
	{"could not find expected ':'",
	    N_("« : » attendu après la clé")},
	{"found character that cannot start any token",
	    N_("caractère inattendu ; mettez le texte entre guillemets, et "
	    "indentez avec des espaces, pas des tabulations")},
	{"found unexpected end of stream",
	    N_("fin du fichier inattendue ; un guillemet n'est-il pas "
	    "fermé ?")},
	{"did not find expected node content",
	    N_("valeur attendue")},
	{"did not find expected ',' or ']'",
	    N_("« , » ou « ] » attendu")},
	{"did not find expected ',' or '}'",
	    N_("« , » ou « } » attendu")},
	{"did not find expected <document start>",
	    N_("contenu inattendu après la fin du document")},
	{"did not find expected comment or line break",
	    N_("fin de ligne attendue")},
	{"found unknown escape character",
	    N_("caractère inconnu après « \\ » ; utilisez des guillemets "
	    "simples")},
	{"invalid leading UTF-8 octet",
	    N_("le fichier doit être encodé en UTF-8")},
	{"incomplete UTF-8 octet sequence",
	    N_("le fichier doit être encodé en UTF-8")},
	{"invalid trailing UTF-8 octet",
	    N_("le fichier doit être encodé en UTF-8")},
	{"invalid length of a UTF-8 sequence",
	    N_("le fichier doit être encodé en UTF-8")},
	{"invalid Unicode character",
	    N_("le fichier doit être encodé en UTF-8")},
	{"control characters are not allowed",
	    N_("caractère de contrôle interdit")},
};

static vg_rc parse_node(struct ctx *, yaml_event_t *, json_t **, int);

/*
 * Write "prefix" then the formatted message into c->err.  The prefix is
 * "name:line:column: " or, without a position, "name : ".
 */
static void
vmessage(struct ctx *c, const yaml_mark_t *m, const char *fmt, va_list ap)
{
	int n;

	if (c->err == NULL || c->errlen == 0)
		return;
	if (m != NULL)
		n = snprintf(c->err, c->errlen, "%s:%zu:%zu: ", c->name,
		    m->line + 1, m->column + 1);
	else
		n = snprintf(c->err, c->errlen, "%s : ", c->name);
	if (n < 0 || (size_t)n >= c->errlen)
		return;
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
}

static vg_rc
fail_at(struct ctx *c, const yaml_mark_t *m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Report an error at mark m (NULL: none) and return VG_EINVAL. */
static vg_rc
fail_at(struct ctx *c, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(c, m, fmt, ap);
	va_end(ap);
	return VG_EINVAL;
}

static vg_rc
nomem(struct ctx *c)
{
	fail_at(c, NULL, "%s", _("mémoire insuffisante"));
	return VG_ENOMEM;
}

/*
 * Quote s[0..n) for a message: at most EXCERPT bytes cut on a character
 * boundary, control characters (a newline in a key) shown as spaces so
 * the message stays on one line.
 */
static void
excerpt(char *dst, size_t dstlen, const char *s, size_t n)
{
	size_t i, cut = n;
	const char *ell = "";

	if (n > EXCERPT) {
		cut = EXCERPT;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		ell = "…";
	}
	snprintf(dst, dstlen, "%.*s%s", (int)cut, s, ell);
	for (i = 0; dst[i] != '\0'; i++)
		if ((unsigned char)dst[i] < 0x20 || dst[i] == 0x7f)
			dst[i] = ' ';
}

/*
 * A reader error (bad UTF-8, control character) only has a byte offset:
 * count lines and characters up to it, as libyaml's marks do.
 */
static yaml_mark_t
mark_of_offset(const struct ctx *c, size_t off)
{
	yaml_mark_t m = {0, 0, 0};
	size_t i;

	if (off > c->len)
		off = c->len;
	for (i = 0; i < off; i++) {
		unsigned char ch = (unsigned char)c->src[i];

		if (ch == '\n' || (ch == '\r' && (i + 1 == c->len ||
		    c->src[i + 1] != '\n'))) {
			m.line++;
			m.column = 0;
		} else if (ch != '\r' && (ch & 0xc0) != 0x80) {
			m.column++;
		}
	}
	m.index = off;
	return m;
}

/* Translate libyaml's own error into ours. */
static vg_rc
parser_fail(struct ctx *c)
{
	yaml_parser_t *p = &c->parser;
	yaml_mark_t m;
	const char *what, *problem = p->problem ? p->problem : "?";
	char where[96] = "";
	size_t i;

	if (p->error == YAML_MEMORY_ERROR)
		return nomem(c);
	what = problem;
	for (i = 0; i < VG_ARRAY_LEN(problems); i++) {
		if (strcmp(problem, problems[i].problem) == 0) {
			what = _(problems[i].msg);
			break;
		}
	}
	if (p->error == YAML_READER_ERROR) {
		m = mark_of_offset(c, p->problem_offset);
	} else {
		m = p->problem_mark;
		/* Where the construct in error began helps when it is
		 * far away, as with an unclosed quote. */
		if (p->context != NULL && p->context_mark.line != m.line) {
			if (strstr(p->context, "quoted scalar") != NULL)
				snprintf(where, sizeof(where),
				    _(" (texte entre guillemets commencé "
				    "ligne %zu)"), p->context_mark.line + 1);
			else if (strstr(p->context, "sequence") != NULL)
				snprintf(where, sizeof(where),
				    _(" (liste commencée ligne %zu)"),
				    p->context_mark.line + 1);
			else
				snprintf(where, sizeof(where),
				    _(" (bloc commencé ligne %zu)"),
				    p->context_mark.line + 1);
		}
	}
	return fail_at(c, &m, _("YAML invalide : %s%s"), what, where);
}

static vg_rc
next_event(struct ctx *c, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&c->parser, ev)) {
		memset(ev, 0, sizeof(*ev));
		return parser_fail(c);
	}
	return VG_OK;
}

/* Tags change a node's type in ways editors do not expect: only the
 * ones that change nothing are accepted. */
static vg_rc
check_tag(struct ctx *c, const yaml_event_t *ev, const yaml_char_t *tag,
    const char *allowed)
{
	const char *t = (const char *)tag;
	char q[EXCERPT * 2];

	if (t == NULL || strcmp(t, "!") == 0 || strcmp(t, allowed) == 0)
		return VG_OK;
	/* Shown as written: "!!int", not "tag:yaml.org,2002:int". */
	if (strncmp(t, TAG_PREFIX, strlen(TAG_PREFIX)) == 0) {
		t += strlen(TAG_PREFIX);
		excerpt(q + 2, sizeof(q) - 2, t, strlen(t));
		q[0] = q[1] = '!';
	} else {
		excerpt(q, sizeof(q), t, strlen(t));
	}
	return fail_at(c, &ev->start_mark,
	    _("étiquette YAML « %s » non acceptée"), q);
}

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Length of the run of digits at s[i..n). */
static size_t
digits(const char *s, size_t i, size_t n)
{
	size_t j = i;

	while (j < n && is_digit(s[j]))
		j++;
	return j - i;
}

/*
 * Whether s[0..n) is an integer we type: -?[0-9]+ without a leading zero
 * (the sign '+' and leading zeros are kept as text: phone numbers).
 */
static bool
looks_int(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && s[i] == '-')
		i++;
	d = digits(s, i, n);
	if (d == 0 || i + d != n)
		return false;
	return d == 1 || s[i] != '0';
}

/*
 * Whether s[0..n) is a real we type: the core schema's
 * -?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? that is not an integer,
 * again without '+' or a leading zero in the integral part.
 */
static bool
looks_real(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && s[i] == '-')
		i++;
	d = digits(s, i, n);
	if (d > 1 && s[i] == '0')
		return false;
	i += d;
	if (i < n && s[i] == '.') {
		size_t f = digits(s, i + 1, n);

		if (d == 0 && f == 0)
			return false;
		i += 1 + f;
	} else if (d == 0) {
		return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		d = digits(s, i, n);
		if (d == 0)
			return false;
		i += d;
	}
	return i == n;
}

/* s[0..n) matched looks_int(): convert, or fail when out of range. */
static vg_rc
make_int(struct ctx *c, const yaml_event_t *ev, const char *s, size_t n,
    json_t **out)
{
	unsigned long long v = 0, lim;
	bool neg = s[0] == '-';
	size_t i;
	char q[EXCERPT * 2];

	/* Magnitude limit: 2^63 for a negative number, 2^63 - 1 else. */
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (i = neg; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > (lim - d) / 10)
			goto range;
		v = v * 10 + d;
	}
	if (neg)
		*out = json_integer(v == (unsigned long long)LLONG_MAX + 1 ?
		    LLONG_MIN : -(json_int_t)v);
	else
		*out = json_integer((json_int_t)v);
	return *out == NULL ? nomem(c) : VG_OK;
range:
	excerpt(q, sizeof(q), s, n);
	return fail_at(c, &ev->start_mark,
	    _("nombre « %s » trop grand ; mettez-le entre guillemets si "
	    "c'est un texte"), q);
}

/* s (NUL-terminated, n bytes) matched looks_real(): convert with '.' as
 * the decimal point whatever the locale, or fail when out of range. */
static vg_rc
make_real(struct ctx *c, const yaml_event_t *ev, const char *s, size_t n,
    json_t **out)
{
	locale_t loc;
	double d;
	char q[EXCERPT * 2];

	loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	if (loc == (locale_t)0)
		return nomem(c);
	d = strtod_l(s, NULL, loc);
	freelocale(loc);
	if (!isfinite(d)) {
		excerpt(q, sizeof(q), s, n);
		return fail_at(c, &ev->start_mark,
		    _("nombre « %s » trop grand ; mettez-le entre guillemets "
		    "si c'est un texte"), q);
	}
	*out = json_real(d);
	return *out == NULL ? nomem(c) : VG_OK;
}

static bool
is_one_of(const char *s, size_t n, const char *const *words, size_t nwords)
{
	size_t i;

	for (i = 0; i < nwords; i++)
		if (strlen(words[i]) == n && memcmp(s, words[i], n) == 0)
			return true;
	return false;
}

static vg_rc
scalar_value(struct ctx *c, const yaml_event_t *ev, json_t **out)
{
	static const char *const nulls[] = {"~", "null", "Null", "NULL"};
	static const char *const trues[] = {"true", "True", "TRUE"};
	static const char *const falses[] = {"false", "False", "FALSE"};
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;
	vg_rc rc;

	if ((rc = check_tag(c, ev, ev->data.scalar.tag, TAG_STR)) != VG_OK)
		return rc;
	/* Strings end up in C code that stops at the first NUL ("\0"). */
	if (memchr(s, '\0', n) != NULL)
		return fail_at(c, &ev->start_mark, "%s",
		    _("caractère nul interdit"));
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    ev->data.scalar.tag == NULL) {
		if (n == 0 || is_one_of(s, n, nulls, VG_ARRAY_LEN(nulls)))
			*out = json_null();
		else if (is_one_of(s, n, trues, VG_ARRAY_LEN(trues)))
			*out = json_true();
		else if (is_one_of(s, n, falses, VG_ARRAY_LEN(falses)))
			*out = json_false();
		else if (looks_int(s, n))
			return make_int(c, ev, s, n, out);
		else if (looks_real(s, n))
			return make_real(c, ev, s, n, out);
		else
			*out = json_stringn(s, n);
	} else {
		*out = json_stringn(s, n);
	}
	return *out == NULL ? nomem(c) : VG_OK;
}

static vg_rc
sequence_value(struct ctx *c, int depth, json_t **out)
{
	yaml_event_t ev;
	json_t *arr, *v;
	vg_rc rc;

	if ((arr = json_array()) == NULL)
		return nomem(c);
	for (;;) {
		if ((rc = next_event(c, &ev)) != VG_OK)
			goto fail;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if ((rc = parse_node(c, &ev, &v, depth)) != VG_OK)
			goto fail;
		if (json_array_append_new(arr, v) == -1) {
			rc = nomem(c);
			goto fail;
		}
	}
	*out = arr;
	return VG_OK;
fail:
	json_decref(arr);
	return rc;
}

static vg_rc
mapping_value(struct ctx *c, int depth, json_t **out)
{
	yaml_event_t key, ev;
	json_t *obj, *v;
	const char *k;
	char q[EXCERPT * 2];
	vg_rc rc;

	memset(&key, 0, sizeof(key));
	if ((obj = json_object()) == NULL)
		return nomem(c);
	for (;;) {
		if ((rc = next_event(c, &key)) != VG_OK)
			goto fail;
		if (key.type == YAML_MAPPING_END_EVENT)
			break;
		if (key.type == YAML_ALIAS_EVENT) {
			rc = fail_at(c, &key.start_mark, "%s",
			    _("les alias YAML ne sont pas acceptés"));
			goto fail;
		}
		if (key.type != YAML_SCALAR_EVENT) {
			rc = fail_at(c, &key.start_mark, "%s",
			    _("une clé doit être un simple texte, pas une "
			    "liste ni un dictionnaire"));
			goto fail;
		}
		if ((rc = check_tag(c, &key, key.data.scalar.tag,
		    TAG_STR)) != VG_OK)
			goto fail;
		k = (const char *)key.data.scalar.value;
		/* libyaml NUL-terminates the value; an inner NUL would
		 * silently cut the key. */
		if (strlen(k) != key.data.scalar.length) {
			rc = fail_at(c, &key.start_mark, "%s",
			    _("caractère nul interdit"));
			goto fail;
		}
		if (json_object_get(obj, k) != NULL) {
			excerpt(q, sizeof(q), k, key.data.scalar.length);
			rc = fail_at(c, &key.start_mark,
			    _("clé « %s » en double"), q);
			goto fail;
		}
		if ((rc = next_event(c, &ev)) != VG_OK)
			goto fail;
		if ((rc = parse_node(c, &ev, &v, depth)) != VG_OK)
			goto fail;
		if (json_object_set_new(obj, k, v) == -1) {
			rc = nomem(c);
			goto fail;
		}
		yaml_event_delete(&key);
	}
	yaml_event_delete(&key);
	*out = obj;
	return VG_OK;
fail:
	yaml_event_delete(&key);
	json_decref(obj);
	return rc;
}

/*
 * Build the node that starts with *ev, whose events are read up to its
 * end; depth collections enclose it.  Takes ownership of *ev.
 */
static vg_rc
parse_node(struct ctx *c, yaml_event_t *ev, json_t **out, int depth)
{
	vg_rc rc;

	*out = NULL;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		rc = fail_at(c, &ev->start_mark, "%s",
		    _("les alias YAML ne sont pas acceptés"));
		break;
	case YAML_SCALAR_EVENT:
		rc = scalar_value(c, ev, out);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (depth >= VG_YAML_MAX_DEPTH) {
			rc = fail_at(c, &ev->start_mark,
			    _("imbrication trop profonde (%d niveaux au "
			    "plus)"), VG_YAML_MAX_DEPTH);
			break;
		}
		if (ev->type == YAML_SEQUENCE_START_EVENT) {
			rc = check_tag(c, ev, ev->data.sequence_start.tag,
			    TAG_SEQ);
			if (rc == VG_OK)
				rc = sequence_value(c, depth + 1, out);
		} else {
			rc = check_tag(c, ev, ev->data.mapping_start.tag,
			    TAG_MAP);
			if (rc == VG_OK)
				rc = mapping_value(c, depth + 1, out);
			/* Where the mapping starts, for messages about its
			 * meaning that are found after parsing. */
			if (rc == VG_OK && (c->flags & VG_YAML_LINES) &&
			    json_object_set_new(*out, VG_YAML_LINE_KEY,
			    json_integer((json_int_t)ev->start_mark.line + 1)))
				rc = nomem(c);
		}
		break;
	default:
		/* libyaml only gives node events here. */
		rc = fail_at(c, &ev->start_mark, "%s",
		    _("erreur interne de l'analyseur YAML"));
		rc = VG_EINTERNAL;
		break;
	}
	yaml_event_delete(ev);
	return rc;
}

vg_rc
vg_yaml_parse(const char *src, size_t len, const char *name, json_t **out,
    char *err, size_t errlen)
{
	return vg_yaml_parse_ex(src, len, name, 0, out, err, errlen);
}

vg_rc
vg_yaml_parse_ex(const char *src, size_t len, const char *name,
    unsigned flags, json_t **out, char *err, size_t errlen)
{
	struct ctx c;
	yaml_event_t ev;
	yaml_mark_t start = {0, 0, 0};
	json_t *root = NULL;
	vg_rc rc;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	memset(&c, 0, sizeof(c));
	memset(&ev, 0, sizeof(ev));
	c.src = src != NULL ? src : "";
	c.len = src != NULL ? len : 0;
	/* Windows editors start UTF-8 files with a BOM.  libyaml would
	 * skip it only while guessing the encoding, which is not done. */
	if (c.len >= 3 && memcmp(c.src, "\xef\xbb\xbf", 3) == 0) {
		c.src += 3;
		c.len -= 3;
	}
	c.name = name != NULL ? name : "<yaml>";
	c.err = err;
	c.errlen = errlen;
	c.flags = flags;
	if (!yaml_parser_initialize(&c.parser))
		return nomem(&c);
	yaml_parser_set_input_string(&c.parser,
	    (const unsigned char *)c.src, c.len);
	/* No guessing: content is UTF-8, and a UTF-16 file is better
	 * refused than silently converted. */
	yaml_parser_set_encoding(&c.parser, YAML_UTF8_ENCODING);

	/* STREAM-START, then DOCUMENT-START or STREAM-END. */
	if ((rc = next_event(&c, &ev)) != VG_OK)
		goto fail;
	yaml_event_delete(&ev);
	if ((rc = next_event(&c, &ev)) != VG_OK)
		goto fail;
	if (ev.type == YAML_STREAM_END_EVENT) {
		rc = fail_at(&c, &start, "%s", _("document vide"));
		goto fail;
	}
	yaml_event_delete(&ev);

	if ((rc = next_event(&c, &ev)) != VG_OK)
		goto fail;
	/* "---" and nothing else: as empty as an empty file. */
	if (ev.type == YAML_SCALAR_EVENT && ev.data.scalar.length == 0 &&
	    ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    ev.data.scalar.tag == NULL) {
		rc = fail_at(&c, &start, "%s", _("document vide"));
		goto fail;
	}
	if ((rc = parse_node(&c, &ev, &root, 0)) != VG_OK)
		goto fail;

	/* DOCUMENT-END, then STREAM-END: anything else is a second
	 * document, or an error libyaml reports. */
	if ((rc = next_event(&c, &ev)) != VG_OK)
		goto fail;
	yaml_event_delete(&ev);
	if ((rc = next_event(&c, &ev)) != VG_OK)
		goto fail;
	if (ev.type != YAML_STREAM_END_EVENT) {
		rc = fail_at(&c, &ev.start_mark, "%s",
		    _("un seul document par fichier ; retirez ce « --- » et "
		    "ce qui suit, ou faites-en un autre fichier"));
		goto fail;
	}
	*out = root;
	root = NULL;
fail:
	yaml_event_delete(&ev);
	json_decref(root);
	yaml_parser_delete(&c.parser);
	return rc;
}

static vg_rc
io_fail(const char *path, int errnum, char *err, size_t errlen)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen,
		    _("%s : impossible de lire le fichier (%s)"), path,
		    strerror(errnum));
	return VG_EIO;
}

static vg_rc
too_big(const char *path, char *err, size_t errlen)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen,
		    _("%s : fichier trop volumineux (%u Mio au plus)"), path,
		    VG_YAML_MAX_FILE >> 20);
	return VG_EINVAL;
}

vg_rc
vg_yaml_load_file(const char *path, json_t **out, char *err, size_t errlen)
{
	return vg_yaml_load_file_ex(path, 0, out, err, errlen);
}

int
vg_yaml_line(const json_t *obj)
{
	return (int)json_integer_value(json_object_get(obj, VG_YAML_LINE_KEY));
}

vg_rc
vg_yaml_fail(char *err, size_t errlen, const char *path, const json_t *at,
    const char *fmt, const char *arg)
{
	char msg[512];
	int line = at != NULL ? vg_yaml_line(at) : 0;

	snprintf(msg, sizeof(msg), fmt, arg != NULL ? arg : "");
	snprintf(err, errlen, "%s:%d: %s", path, line > 0 ? line : 1, msg);
	return VG_EINVAL;
}

vg_rc
vg_yaml_load_file_ex(const char *path, unsigned flags, json_t **out,
    char *err, size_t errlen)
{
	struct stat st;
	char *src = NULL, *p;
	size_t len = 0, cap;
	ssize_t n;
	vg_rc rc;
	int fd;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return io_fail(path, errno, err, errlen);
	if (fstat(fd, &st) == -1) {
		rc = io_fail(path, errno, err, errlen);
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = io_fail(path, EISDIR, err, errlen);
		goto fail;
	}
	if (st.st_size > (off_t)VG_YAML_MAX_FILE) {
		rc = too_big(path, err, errlen);
		goto fail;
	}
	/* st_size is only a hint (the file may change, or be a pipe): the
	 * buffer grows as needed, up to one byte over the limit. */
	cap = (size_t)st.st_size + 1;
	if ((src = malloc(cap)) == NULL) {
		rc = VG_ENOMEM;
		goto fail;
	}
	for (;;) {
		if (len == cap) {
			if (cap > VG_YAML_MAX_FILE) {
				rc = too_big(path, err, errlen);
				goto fail;
			}
			cap = cap < VG_YAML_MAX_FILE / 2 ? cap * 2 :
			    VG_YAML_MAX_FILE + 1;
			if ((p = realloc(src, cap)) == NULL) {
				rc = VG_ENOMEM;
				goto fail;
			}
			src = p;
		}
		n = read(fd, src + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = io_fail(path, errno, err, errlen);
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	rc = vg_yaml_parse_ex(src, len, path, flags, out, err, errlen);
fail:
	if (rc == VG_ENOMEM && err != NULL && errlen > 0)
		snprintf(err, errlen, "%s : %s", path,
		    _("mémoire insuffisante"));
	free(src);
	close(fd);
	return rc;
}
