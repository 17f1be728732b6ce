/*
 * expr.c — a recursive-descent parser that builds a small tree in one
 * array of nodes, and a tree-walking evaluator.
 *
 * "and" and "or" are n-ary nodes (their operands chained by `next`)
 * rather than left-leaning binary trees, so that a long chain "a or b or
 * c …" costs no depth: the tree is only as deep as the parentheses and
 * calls, which the parser bounds by VG_EXPR_MAX_DEPTH before it recurses.
 * The evaluator therefore recurses a bounded number of times too; it also
 * keeps its own depth count so that a tree it did not expect still cannot
 * run it off the stack.
 *
 * Numbers are compared as decimal strings, digit by digit, never through
 * a double: no locale can turn "3.5" into 3 (strtod under a French
 * LC_NUMERIC), and "0.1" = "0.10" holds exactly.
 *
 * The lexer runs on demand, one token ahead of the parser, so that a
 * refusal (an unsupported operator, an unclosed string) names the first
 * problem in reading order, as a person fixing the form would meet it.
 */
#include "surveys/expr.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

#define EXCERPT 24      /* bytes of a token quoted in a message */

enum op {
	OP_OR, OP_AND,          /* a: first operand, chained by next */
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_NOT,                 /* a */
	OP_SELECTED,            /* a, b */
	OP_COUNT,               /* a */
	OP_REF,                 /* s: the name */
	OP_STR,                 /* s: the text */
	OP_NUM,                 /* s: the literal as written */
	OP_SELF
};

struct node {
	enum op op;
	int a, b;               /* children, -1 when none */
	int next;               /* next operand of an "and" / "or", or -1 */
	size_t s;               /* offset in pool */
};

struct vg_expr {
	struct node *node;
	size_t nnode, cap;
	char *pool;             /* names and strings, NUL-terminated */
	size_t plen;
	int root;
	bool self;
};

enum tok {
	T_END, T_LP, T_RP, T_COMMA,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
	T_STR, T_NUM, T_REF, T_DOT, T_WORD
};

struct parser {
	const char *src;
	size_t len;
	size_t i;               /* reading position */
	enum tok t;             /* the current token */
	size_t tstart, tend;    /* its bytes in src */
	size_t vstart, vend;    /* its value (string contents, name) */
	bool operand;           /* whether the previous token ends an operand */
	int depth;
	vg_expr *e;
	char *err;
	size_t errlen;
	vg_rc rc;               /* VG_OK until the first failure */
};

static int parse_or(struct parser *);
static int parse_unary(struct parser *);

/* Characters (not bytes) before byte off, plus one: what a person counts. */
static size_t
position(const struct parser *p, size_t off)
{
	size_t i, n = 1;

	for (i = 0; i < off && i < p->len; i++)
		if (((unsigned char)p->src[i] & 0xc0) != 0x80)
			n++;
	return n;
}

static int fail(struct parser *, size_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* Write "position N : message" (the first failure only); return -1. */
static int
fail(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (p->rc != VG_OK)
		return -1;
	p->rc = VG_EINVAL;
	if (p->err == NULL || p->errlen == 0)
		return -1;
	k = snprintf(p->err, p->errlen, _("position %zu : "),
	    position(p, off));
	if (k < 0 || (size_t)k >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + k, p->errlen - (size_t)k, fmt, ap);
	va_end(ap);
	/* A quoted token may hold a line break: keep one line. */
	for (k = 0; p->err[k] != '\0'; k++)
		if ((unsigned char)p->err[k] < 0x20)
			p->err[k] = ' ';
	return -1;
}

static int
nomem(struct parser *p)
{
	if (p->rc == VG_OK && p->err != NULL && p->errlen > 0)
		snprintf(p->err, p->errlen, "%s", _("mémoire insuffisante"));
	p->rc = VG_ENOMEM;
	return -1;
}

/* The current token as written, cut on a character boundary, for a
 * message. */
static void
token_text(const struct parser *p, char *dst, size_t dstlen)
{
	size_t n = p->tend - p->tstart;
	const char *ell = "";

	if (n > EXCERPT) {
		n = EXCERPT;
		while (n > 0 && ((unsigned char)p->src[p->tstart + n] & 0xc0)
		    == 0x80)
			n--;
		ell = "…";
	}
	snprintf(dst, dstlen, "%.*s%s", (int)n, p->src + p->tstart, ell);
}

static bool
is_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool
is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' ||
	    c == '-';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Read a number at p->i: "-"? digits ("." digits*)? or "-"? "." digits.
 * The caller has seen that one starts here.
 */
static int
lex_number(struct parser *p)
{
	const char *s = p->src;
	size_t i = p->i;

	if (s[i] == '-')
		i++;
	while (i < p->len && is_digit(s[i]))
		i++;
	if (i < p->len && s[i] == '.') {
		i++;
		while (i < p->len && is_digit(s[i]))
			i++;
	}
	p->tend = i;
	if (i < p->len && (is_name_char(s[i]))) {
		while (p->tend < p->len && is_name_char(s[p->tend]))
			p->tend++;
		return fail(p, p->tstart, _("nombre mal écrit : « %.*s »"),
		    (int)(p->tend - p->tstart), s + p->tstart);
	}
	p->t = T_NUM;
	p->vstart = p->tstart;
	p->vend = i;
	p->i = i;
	p->operand = true;
	return 0;
}

/* Read the next token into p; -1 (and the message) on a refusal. */
static int
lex(struct parser *p)
{
	const char *s = p->src;
	char c;
	size_t i;

	while (p->i < p->len && is_space(s[p->i]))
		p->i++;
	p->tstart = p->i;
	if (p->i >= p->len) {
		p->t = T_END;
		p->tend = p->i;
		return 0;
	}
	c = s[p->i];
	i = p->i + 1;
	p->tend = i;
	switch (c) {
	case '(':
		p->t = T_LP;
		break;
	case ')':
		p->t = T_RP;
		break;
	case ',':
		p->t = T_COMMA;
		break;
	case '=':
		p->t = T_EQ;
		break;
	case '!':
		if (i < p->len && s[i] == '=') {
			p->t = T_NE;
			i++;
			break;
		}
		return fail(p, p->tstart, "%s", _("« ! » seul n'existe pas : "
		    "écrivez « != » ou not(…)"));
	case '<':
	case '>':
		if (i < p->len && s[i] == '=') {
			p->t = c == '<' ? T_LE : T_GE;
			i++;
		} else {
			p->t = c == '<' ? T_LT : T_GT;
		}
		break;
	case '\'':
	case '"':
		while (i < p->len && s[i] != c)
			i++;
		if (i >= p->len)
			return fail(p, p->tstart, "%s",
			    _("texte non fermé : guillemet final manquant"));
		p->t = T_STR;
		p->vstart = p->tstart + 1;
		p->vend = i;
		i++;
		break;
	case '$':
		if (i >= p->len || s[i] != '{')
			return fail(p, p->tstart, "%s", _("« ${ » attendu : "
			    "une question s'écrit ${nom}"));
		i++;
		p->vstart = i;
		if (i >= p->len || !is_name_start(s[i]))
			return fail(p, p->tstart, "%s", _("nom de question "
			    "attendu après « ${ »"));
		while (i < p->len && is_name_char(s[i]))
			i++;
		p->vend = i;
		if (i >= p->len || s[i] != '}')
			return fail(p, p->tstart, "%s", _("« } » attendu "
			    "après le nom de la question"));
		p->t = T_REF;
		i++;
		break;
	case '.':
		if (i < p->len && is_digit(s[i]))
			return lex_number(p);
		if (i < p->len && s[i] == '.')
			return fail(p, p->tstart, "%s", _("« .. » non pris en "
			    "charge : une question s'écrit ${nom}"));
		p->t = T_DOT;
		break;
	case '-':
		/* A sign where a value is expected, subtraction after one. */
		if (!p->operand && i < p->len && (is_digit(s[i]) ||
		    (s[i] == '.' && i + 1 < p->len && is_digit(s[i + 1]))))
			return lex_number(p);
		/* FALLTHROUGH */
	case '+':
	case '*':
		return fail(p, p->tstart, _("opérateur « %c » non pris en "
		    "charge : les calculs ne sont pas possibles ici"), c);
	case '/':
		return fail(p, p->tstart, "%s", _("« / » non pris en charge : "
		    "ni division (les calculs ne sont pas possibles ici) ni "
		    "chemin (une question s'écrit ${nom})"));
	default:
		if (is_digit(c))
			return lex_number(p);
		if (!is_name_start(c)) {
			int n = 1;

			/* Quote the whole character, not its first byte. */
			while (p->tstart + (size_t)n < p->len && n < 4 &&
			    ((unsigned char)s[p->tstart + (size_t)n] & 0xc0)
			    == 0x80)
				n++;
			return fail(p, p->tstart, _("caractère « %.*s » "
			    "inattendu"), n, s + p->tstart);
		}
		while (i < p->len && is_name_char(s[i]))
			i++;
		p->t = T_WORD;
		p->vstart = p->tstart;
		p->vend = i;
		break;
	}
	p->tend = i;
	p->i = i;
	p->operand = p->t == T_RP || p->t == T_STR || p->t == T_NUM ||
	    p->t == T_REF || p->t == T_DOT;
	return 0;
}

/* Whether the current token is the word w. */
static bool
is_word(const struct parser *p, const char *w)
{
	size_t n = strlen(w);

	return p->t == T_WORD && p->vend - p->vstart == n &&
	    memcmp(p->src + p->vstart, w, n) == 0;
}

/* Whether the next non-space character is '(' (a word is a call). */
static bool
call_follows(const struct parser *p)
{
	size_t i = p->i;

	while (i < p->len && is_space(p->src[i]))
		i++;
	return i < p->len && p->src[i] == '(';
}

/* Copy the current token's value into the pool. */
static size_t
pool_add(struct parser *p)
{
	vg_expr *e = p->e;
	size_t n = p->vend - p->vstart, at = e->plen;

	/* Every value is shorter than its token but a one-digit number;
	 * twice the source always holds them with their NULs. */
	memcpy(e->pool + at, p->src + p->vstart, n);
	e->pool[at + n] = '\0';
	e->plen += n + 1;
	return at;
}

static int
node_new(struct parser *p, enum op op, int a, int b)
{
	vg_expr *e = p->e;
	struct node *n;

	if (e->nnode == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct node *nn = realloc(e->node, cap * sizeof(*nn));

		if (nn == NULL)
			return nomem(p);
		e->node = nn;
		e->cap = cap;
	}
	n = &e->node[e->nnode];
	n->op = op;
	n->a = a;
	n->b = b;
	n->next = -1;
	n->s = 0;
	return (int)e->nnode++;
}

/* Say what was found where something else was expected. */
static int
unexpected(struct parser *p, const char *expected)
{
	char tok[EXCERPT + 8];

	if (p->rc != VG_OK)
		return -1;
	if (p->t == T_END)
		return fail(p, p->tstart, _("fin de l'expression inattendue : "
		    "%s"), expected);
	if (is_word(p, "div") || is_word(p, "mod"))
		return fail(p, p->tstart, _("opérateur « %.*s » non pris en "
		    "charge : les calculs ne sont pas possibles ici"),
		    (int)(p->vend - p->vstart), p->src + p->vstart);
	token_text(p, tok, sizeof(tok));
	return fail(p, p->tstart, _("« %s » inattendu : %s"), tok, expected);
}

static int
expect(struct parser *p, enum tok t, const char *what)
{
	if (p->t != t)
		return unexpected(p, what);
	return lex(p);
}

/* Enter a parenthesis or a call: refuse beyond the depth limit. */
static int
enter(struct parser *p)
{
	if (++p->depth > VG_EXPR_MAX_DEPTH)
		return fail(p, p->tstart, _("expression trop imbriquée (plus "
		    "de %d niveaux de parenthèses et de fonctions)"),
		    VG_EXPR_MAX_DEPTH);
	return 0;
}

/* not( expr ) | selected( unary , unary ) | count-selected( unary ) */
static int
parse_call(struct parser *p)
{
	int a = -1, b = -1;
	enum op op;
	size_t at = p->tstart;

	if (is_word(p, "not"))
		op = OP_NOT;
	else if (is_word(p, "selected"))
		op = OP_SELECTED;
	else if (is_word(p, "count-selected"))
		op = OP_COUNT;
	else
		return fail(p, at, _("fonction %.*s() non prise en charge"),
		    (int)(p->vend - p->vstart), p->src + p->vstart);
	if (enter(p) < 0 || lex(p) < 0 || lex(p) < 0)  /* the word, "(" */
		return -1;
	if (op == OP_NOT)
		a = parse_or(p);
	else
		a = parse_unary(p);
	if (a < 0)
		return -1;
	if (op == OP_SELECTED) {
		if (expect(p, T_COMMA, _("« , » attendu entre les deux "
		    "valeurs de selected()")) < 0)
			return -1;
		if ((b = parse_unary(p)) < 0)
			return -1;
	}
	if (expect(p, T_RP, _("« ) » attendu")) < 0)
		return -1;
	p->depth--;
	return node_new(p, op, a, b);
}

/* "(" expr ")" | call | ${name} | "." | number | string */
static int
parse_unary(struct parser *p)
{
	int n;
	enum op op;

	switch (p->t) {
	case T_LP:
		if (enter(p) < 0 || lex(p) < 0)
			return -1;
		if ((n = parse_or(p)) < 0)
			return -1;
		if (expect(p, T_RP, _("« ) » attendu")) < 0)
			return -1;
		p->depth--;
		return n;
	case T_WORD:
		if (call_follows(p))
			return parse_call(p);
		if (is_word(p, "and") || is_word(p, "or") ||
		    is_word(p, "div") || is_word(p, "mod"))
			return unexpected(p, _("valeur attendue"));
		return fail(p, p->tstart, _("nom « %.*s » inattendu : une "
		    "question s'écrit ${%.*s}, un texte entre guillemets"),
		    (int)(p->vend - p->vstart), p->src + p->vstart,
		    (int)(p->vend - p->vstart), p->src + p->vstart);
	case T_REF:
		op = OP_REF;
		break;
	case T_STR:
		op = OP_STR;
		break;
	case T_NUM:
		op = OP_NUM;
		break;
	case T_DOT:
		if ((n = node_new(p, OP_SELF, -1, -1)) < 0)
			return -1;
		p->e->self = true;
		return lex(p) < 0 ? -1 : n;
	default:
		return unexpected(p, _("valeur attendue"));
	}
	if ((n = node_new(p, op, -1, -1)) < 0)
		return -1;
	p->e->node[n].s = pool_add(p);
	return lex(p) < 0 ? -1 : n;
}

/* unary (op unary)? */
static int
parse_cmp(struct parser *p)
{
	int a, b;
	enum op op;

	if ((a = parse_unary(p)) < 0)
		return -1;
	switch (p->t) {
	case T_EQ: op = OP_EQ; break;
	case T_NE: op = OP_NE; break;
	case T_LT: op = OP_LT; break;
	case T_LE: op = OP_LE; break;
	case T_GT: op = OP_GT; break;
	case T_GE: op = OP_GE; break;
	default:
		return a;
	}
	if (lex(p) < 0 || (b = parse_unary(p)) < 0)
		return -1;
	return node_new(p, op, a, b);
}

/*
 * One level of "and" or "or": sub (word sub)*, an n-ary node when there
 * are two operands or more.
 */
static int
parse_chain(struct parser *p, const char *word, enum op op,
    int (*sub)(struct parser *))
{
	int first, last, n;

	if ((first = sub(p)) < 0)
		return -1;
	if (!is_word(p, word))
		return first;
	last = first;
	while (is_word(p, word)) {
		if (lex(p) < 0 || (n = sub(p)) < 0)
			return -1;
		p->e->node[last].next = n;
		last = n;
	}
	return node_new(p, op, first, -1);
}

static int
parse_and(struct parser *p)
{
	return parse_chain(p, "and", OP_AND, parse_cmp);
}

static int
parse_or(struct parser *p)
{
	return parse_chain(p, "or", OP_OR, parse_and);
}

vg_rc
vg_expr_parse(const char *src, vg_expr **out, char *err, size_t errlen)
{
	struct parser p;
	vg_expr *e;
	size_t len, nchars = 0, i;

	*out = NULL;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	memset(&p, 0, sizeof(p));
	p.src = src;
	p.err = err;
	p.errlen = errlen;
	len = strlen(src);
	for (i = 0; i < len; i++)
		if (((unsigned char)src[i] & 0xc0) != 0x80)
			nchars++;
	p.len = len;
	if (nchars > VG_EXPR_MAX_LEN) {
		fail(&p, 0, _("expression trop longue (plus de %d "
		    "caractères)"), VG_EXPR_MAX_LEN);
		return p.rc;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->pool = malloc(2 * len + 2)) == NULL) {
		free(e);
		nomem(&p);
		return p.rc;
	}
	p.e = e;
	e->root = -1;
	if (lex(&p) == 0) {
		if (p.t == T_END)
			fail(&p, 0, "%s", _("expression vide"));
		else if ((e->root = parse_or(&p)) >= 0 && p.t != T_END)
			unexpected(&p, p.t == T_RP ?
			    _("parenthèse fermante sans ouvrante") :
			    _("« and », « or » ou la fin de l'expression "
			    "attendu ; mettez des parenthèses pour enchaîner "
			    "les comparaisons"));
	}
	if (p.rc != VG_OK) {
		vg_expr_free(e);
		return p.rc;
	}
	*out = e;
	return VG_OK;
}

void
vg_expr_free(vg_expr *e)
{
	if (e == NULL)
		return;
	free(e->node);
	free(e->pool);
	free(e);
}

/* Evaluation. */

enum kind { K_STR, K_NUM, K_BOOL };

struct val {
	enum kind k;
	const char *s;          /* K_STR, K_NUM: never NULL */
	bool b;                 /* K_BOOL */
	char buf[24];           /* a count's digits */
};

struct eval {
	const vg_expr *e;
	vg_expr_get get;
	void *arg;
	const char *self;
	int depth;
};

/*
 * A decimal number as read from text: sign, integer digits without
 * leading zeros, fraction digits without trailing zeros.
 */
struct dec {
	bool neg;
	const char *ip, *fp;
	size_t ni, nf;
};

/* Whether s reads as a number ("12", "-3.5", " 4 ", ".5", "+2"). */
static bool
dec_read(const char *s, struct dec *d)
{
	size_t digits = 0;

	memset(d, 0, sizeof(*d));
	while (is_space(*s))
		s++;
	if (*s == '-' || *s == '+')
		d->neg = *s++ == '-';
	d->ip = s;
	while (is_digit(*s))
		s++;
	d->ni = (size_t)(s - d->ip);
	digits += d->ni;
	if (*s == '.') {
		d->fp = ++s;
		while (is_digit(*s))
			s++;
		d->nf = (size_t)(s - d->fp);
		digits += d->nf;
	}
	while (is_space(*s))
		s++;
	if (*s != '\0' || digits == 0)
		return false;
	while (d->ni > 0 && *d->ip == '0') {
		d->ip++;
		d->ni--;
	}
	while (d->nf > 0 && d->fp[d->nf - 1] == '0')
		d->nf--;
	if (d->ni == 0 && d->nf == 0)
		d->neg = false;         /* -0 is 0 */
	return true;
}

/* Compare magnitudes: -1, 0, 1. */
static int
dec_cmp_abs(const struct dec *a, const struct dec *b)
{
	size_t i, n;
	int c;

	if (a->ni != b->ni)
		return a->ni < b->ni ? -1 : 1;
	if (a->ni > 0 && (c = memcmp(a->ip, b->ip, a->ni)) != 0)
		return c < 0 ? -1 : 1;
	n = a->nf > b->nf ? a->nf : b->nf;
	for (i = 0; i < n; i++) {
		char x = i < a->nf ? a->fp[i] : '0';
		char y = i < b->nf ? b->fp[i] : '0';

		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

static int
dec_cmp(const struct dec *a, const struct dec *b)
{
	if (a->neg != b->neg)
		return a->neg ? -1 : 1;
	return a->neg ? -dec_cmp_abs(a, b) : dec_cmp_abs(a, b);
}

static bool
truth(const struct val *v)
{
	struct dec d;

	switch (v->k) {
	case K_BOOL:
		return v->b;
	case K_NUM:
		return dec_read(v->s, &d) && (d.ni > 0 || d.nf > 0);
	case K_STR:
	default:
		return v->s[0] != '\0';
	}
}

/* The value as text: a boolean reads "true" or "false", as in XPath. */
static const char *
text(const struct val *v)
{
	if (v->k == K_BOOL)
		return v->b ? "true" : "false";
	return v->s;
}

static bool
compare(enum op op, const struct val *x, const struct val *y)
{
	struct dec a, b;
	int c;
	bool na, nb;

	if (x->k == K_BOOL || y->k == K_BOOL) {
		/* XPath: against a boolean, both sides are booleans. */
		int p = truth(x), q = truth(y);

		c = p - q;
	} else {
		na = dec_read(x->s, &a);
		nb = dec_read(y->s, &b);
		if (na && nb) {
			c = dec_cmp(&a, &b);
		} else if ((x->k == K_NUM || y->k == K_NUM) && op != OP_EQ &&
		    op != OP_NE) {
			/* 18 against "" or "abc": no order, as XPath's NaN. */
			return false;
		} else {
			c = strcmp(x->s, y->s);
		}
	}
	switch (op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	default:    return false;
	}
}

/* Whether the space-separated list has the item it[0..n). */
static bool
has_item(const char *list, const char *it, size_t n)
{
	const char *s = list, *w;

	if (n == 0)
		return false;
	while (*s != '\0') {
		while (is_space(*s))
			s++;
		w = s;
		while (*s != '\0' && !is_space(*s))
			s++;
		if ((size_t)(s - w) == n && memcmp(w, it, n) == 0)
			return true;
	}
	return false;
}

static size_t
count_items(const char *list)
{
	size_t n = 0;
	const char *s = list;

	while (*s != '\0') {
		while (is_space(*s))
			s++;
		if (*s == '\0')
			break;
		n++;
		while (*s != '\0' && !is_space(*s))
			s++;
	}
	return n;
}

static void
eval_node(struct eval *ev, int i, struct val *out)
{
	const struct node *n;
	struct val x, y;
	const char *s;
	size_t len;
	int c;

	out->k = K_BOOL;
	out->b = false;
	out->s = "";
	if (i < 0 || (size_t)i >= ev->e->nnode ||
	    ev->depth > 4 * VG_EXPR_MAX_DEPTH + 8)
		return;
	ev->depth++;
	n = &ev->e->node[i];
	switch (n->op) {
	case OP_OR:
	case OP_AND:
		/* Short-circuit: "or" stops at the first true, "and" at the
		 * first false. */
		out->b = n->op == OP_AND;
		for (c = n->a; c >= 0; c = ev->e->node[c].next) {
			eval_node(ev, c, &x);
			if (truth(&x) != (n->op == OP_AND)) {
				out->b = !out->b;
				break;
			}
		}
		break;
	case OP_EQ: case OP_NE: case OP_LT:
	case OP_LE: case OP_GT: case OP_GE:
		eval_node(ev, n->a, &x);
		eval_node(ev, n->b, &y);
		out->b = compare(n->op, &x, &y);
		break;
	case OP_NOT:
		eval_node(ev, n->a, &x);
		out->b = !truth(&x);
		break;
	case OP_SELECTED:
		eval_node(ev, n->a, &x);
		eval_node(ev, n->b, &y);
		s = text(&y);
		while (is_space(*s))
			s++;
		len = strlen(s);
		while (len > 0 && is_space(s[len - 1]))
			len--;
		out->b = has_item(text(&x), s, len);
		break;
	case OP_COUNT:
		eval_node(ev, n->a, &x);
		out->k = K_NUM;
		snprintf(out->buf, sizeof(out->buf), "%zu",
		    count_items(text(&x)));
		out->s = out->buf;
		break;
	case OP_REF:
		s = ev->get != NULL ? ev->get(ev->arg, ev->e->pool + n->s) :
		    NULL;
		out->k = K_STR;
		out->s = s != NULL ? s : "";
		break;
	case OP_SELF:
		out->k = K_STR;
		out->s = ev->self != NULL ? ev->self : "";
		break;
	case OP_STR:
	case OP_NUM:
		out->k = n->op == OP_STR ? K_STR : K_NUM;
		out->s = ev->e->pool + n->s;
		break;
	}
	ev->depth--;
}

bool
vg_expr_eval(const vg_expr *e, vg_expr_get get, void *arg, const char *self)
{
	struct eval ev = {e, get, arg, self, 0};
	struct val v;

	if (e == NULL)
		return false;
	eval_node(&ev, e->root, &v);
	return truth(&v);
}

void
vg_expr_names(const vg_expr *e, void (*fn)(void *arg, const char *name),
    void *arg)
{
	size_t i;

	if (e == NULL)
		return;
	/* References are made as they are read: index order is source
	 * order. */
	for (i = 0; i < e->nnode; i++)
		if (e->node[i].op == OP_REF)
			fn(arg, e->pool + e->node[i].s);
}

bool
vg_expr_uses_self(const vg_expr *e)
{
	return e != NULL && e->self;
}
