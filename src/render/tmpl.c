/*
 * tmpl.c — templates are compiled once into a flat list of ops.  A section
 * op records where its body ends, so rendering is a loop over ops that only
 * recurses into section bodies (at most 64 deep, checked when compiling) and
 * into partials (at most 16 deep, checked when rendering).
 *
 * Each template owns an arena holding the template itself, its ops, its
 * names and a copy of its source (text ops point into it): replacing or
 * freeing a template is one vg_arena_free().  The set is a hash table with
 * open addressing keyed by template name.
 *
 * Rendering only reads the set; the context stack grows as a chain of frames
 * on the C stack, so concurrent renders share nothing.
 */
#include "render/tmpl.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/i18n.h"

#define MAX_NESTING	64		/* sections inside one template */
#define MAX_PARTIALS	16		/* partials inside partials */
#define MAX_DIR_DEPTH	16		/* also stops symlink loops */
#define MAX_FILE_SIZE	(16u << 20)
#define NAME_IN_MSG	64		/* longest name quoted in a message */

/*
 * Work limits of one render.  Nested sections over an array found again up
 * the stack, or a partial including itself twice, make the work grow
 * exponentially with the depth; fail (VG_EINVAL, like too deep partials)
 * rather than spin.  Far above what any page needs.
 */
#ifndef VG_TMPL_MAX_STEPS
#define VG_TMPL_MAX_STEPS	(1u << 22)	/* ops and section iterations */
#endif
#ifndef VG_TMPL_MAX_OUTPUT
#define VG_TMPL_MAX_OUTPUT	(32u << 20)	/* bytes appended */
#endif

enum op_kind {
	OP_TEXT,	/* str, len: literal text */
	OP_VAR,		/* path: value, HTML-escaped */
	OP_RAW,		/* path: value as is */
	OP_SECTION,	/* path; body is the ops up to end */
	OP_INVERTED,	/* path; body is the ops up to end */
	OP_PARTIAL,	/* str: template name */
	OP_GETTEXT	/* str: msgid */
};

struct path {
	const char **parts;	/* NUL-terminated components */
	size_t n;		/* 0 for ".", the current context */
};

struct op {
	enum op_kind kind;
	const char *str;
	size_t len;
	struct path path;
	size_t end;		/* sections: index of the op after the body */
};

struct tmpl {
	vg_arena *arena;	/* holds this struct and all it points to */
	const char *name;
	struct op *ops;
	size_t nops;
};

struct vg_tmpl_set {
	struct tmpl **slots;	/* linear probing; NULL is free */
	size_t cap;		/* a power of two */
	size_t count;
};

struct open_section {
	const char *name;
	size_t len;
	size_t op;
	unsigned line;
};

struct compiler {
	const char *label;	/* in messages: the name or the file path */
	vg_arena *arena;
	struct op *ops;		/* malloc'd while growing */
	size_t nops, cap;
	struct open_section open[MAX_NESTING];
	size_t nopen;
	char *err;
	size_t errlen;
};

/* A frame of the context stack pushed by a section. */
struct frame {
	json_t *v;
	const struct frame *up;
};

struct render {
	const vg_tmpl_set *set;
	json_t *const *stack;
	size_t depth;
	vg_buf *out;
	size_t start;		/* out->len when the render began */
	size_t steps;
};

/* --- Set --------------------------------------------------------------- */

static size_t
hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

/* The slot holding name, or the free slot where it would go. */
static struct tmpl **
slot(struct tmpl **slots, size_t cap, const char *name)
{
	size_t i = hash(name) & (cap - 1);

	while (slots[i] != NULL && strcmp(slots[i]->name, name) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static const struct tmpl *
find(const vg_tmpl_set *set, const char *name)
{
	return *slot(set->slots, set->cap, name);
}

static void
tmpl_free(struct tmpl *t)
{
	if (t != NULL)
		vg_arena_free(t->arena);
}

vg_tmpl_set *
vg_tmpl_set_new(void)
{
	vg_tmpl_set *set;

	set = calloc(1, sizeof(*set));
	if (set == NULL)
		return NULL;
	set->cap = 64;
	set->slots = calloc(set->cap, sizeof(*set->slots));
	if (set->slots == NULL) {
		free(set);
		return NULL;
	}
	return set;
}

void
vg_tmpl_set_free(vg_tmpl_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->cap; i++)
		tmpl_free(set->slots[i]);
	free(set->slots);
	free(set);
}

bool
vg_tmpl_exists(const vg_tmpl_set *set, const char *name)
{
	return set != NULL && name != NULL && find(set, name) != NULL;
}

/* Keep the load under 70 % so probes stay short. */
static bool
set_grow(vg_tmpl_set *set)
{
	struct tmpl **slots;
	size_t i, cap;

	if ((set->count + 1) * 10 <= set->cap * 7)
		return true;
	if (set->cap > SIZE_MAX / 2 / sizeof(*slots))
		return false;
	cap = set->cap * 2;
	slots = calloc(cap, sizeof(*slots));
	if (slots == NULL)
		return false;
	for (i = 0; i < set->cap; i++)
		if (set->slots[i] != NULL)
			*slot(slots, cap, set->slots[i]->name) = set->slots[i];
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
	return true;
}

/* --- Compiler ---------------------------------------------------------- */

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

static void
trim(const char **s, const char **e)
{
	while (*s < *e && is_space(**s))
		(*s)++;
	while (*e > *s && is_space((*e)[-1]))
		(*e)--;
}

static int
quoted_len(size_t n)
{
	return n > NAME_IN_MSG ? NAME_IN_MSG : (int)n;
}

static unsigned
count_lines(const char *s, const char *e)
{
	unsigned n = 0;

	for (; s < e; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* The first "cc" in [s, e), or NULL. */
static const char *
find_pair(const char *s, const char *e, char c)
{
	for (; e - s >= 2; s++)
		if (s[0] == c && s[1] == c)
			return s;
	return NULL;
}

static vg_rc
fail(struct compiler *c, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static vg_rc
fail(struct compiler *c, unsigned line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (c->err == NULL || c->errlen == 0)
		return VG_EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s:%u: %s", c->label, line, msg);
	return VG_EINVAL;
}

static vg_rc
nomem(struct compiler *c)
{
	if (c->err != NULL && c->errlen > 0)
		snprintf(c->err, c->errlen, "%s: out of memory", c->label);
	return VG_ENOMEM;
}

static struct op *
emit(struct compiler *c, enum op_kind kind)
{
	struct op *op;

	if (c->nops == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;

		if (cap > SIZE_MAX / sizeof(*op))
			return NULL;
		op = realloc(c->ops, cap * sizeof(*op));
		if (op == NULL)
			return NULL;
		c->ops = op;
		c->cap = cap;
	}
	op = &c->ops[c->nops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	return op;
}

/* Check a name: a variable is "." or dot-separated non-empty components;
 * a partial, a template name, may also hold '/'. */
static vg_rc
check_name(struct compiler *c, const char *s, size_t n, bool partial,
    unsigned line)
{
	size_t i;

	if (n == 0)
		return fail(c, line, "empty name");
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (is_name_char(s[i]) || (partial && ch == '/'))
			continue;
		if (ch >= 0x20 && ch < 0x7f)
			return fail(c, line, "bad character '%c' in name", ch);
		return fail(c, line, "bad byte 0x%02x in name", ch);
	}
	if (partial || (n == 1 && s[0] == '.'))
		return VG_OK;
	for (i = 0; i < n; i++)
		if (s[i] == '.' && (i == 0 || i == n - 1 || s[i + 1] == '.'))
			return fail(c, line, "empty component in name '%.*s'",
			    quoted_len(n), s);
	return VG_OK;
}

static vg_rc
make_path(struct compiler *c, struct path *path, const char *s, size_t n)
{
	size_t i, k, start;

	path->n = 0;
	path->parts = NULL;
	if (n == 1 && s[0] == '.')
		return VG_OK;
	path->n = 1;
	for (i = 0; i < n; i++)
		if (s[i] == '.')
			path->n++;
	path->parts = vg_arena_calloc(c->arena, path->n, sizeof(char *));
	if (path->parts == NULL)
		return nomem(c);
	for (i = start = k = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		path->parts[k] = vg_arena_strndup(c->arena, s + start,
		    i - start);
		if (path->parts[k] == NULL)
			return nomem(c);
		k++;
		start = i + 1;
	}
	return VG_OK;
}

static vg_rc
add_text(struct compiler *c, const char *s, size_t n)
{
	struct op *op;

	if (n == 0)
		return VG_OK;
	op = emit(c, OP_TEXT);
	if (op == NULL)
		return nomem(c);
	op->str = s;
	op->len = n;
	return VG_OK;
}

static vg_rc
add_var(struct compiler *c, enum op_kind kind, const char *s, size_t n,
    unsigned line)
{
	struct path path;
	struct op *op;
	vg_rc rc;

	if ((rc = check_name(c, s, n, false, line)) != VG_OK)
		return rc;
	if ((rc = make_path(c, &path, s, n)) != VG_OK)
		return rc;
	op = emit(c, kind);
	if (op == NULL)
		return nomem(c);
	op->path = path;
	return VG_OK;
}

/* A NUL-terminated copy of s for an op's str. */
static vg_rc
add_str(struct compiler *c, enum op_kind kind, const char *s, size_t n)
{
	struct op *op;
	char *p;

	p = vg_arena_strndup(c->arena, s, n);
	if (p == NULL)
		return nomem(c);
	op = emit(c, kind);
	if (op == NULL)
		return nomem(c);
	op->str = p;
	op->len = n;
	return VG_OK;
}

static vg_rc
open_section(struct compiler *c, enum op_kind kind, const char *s, size_t n,
    unsigned line)
{
	struct open_section *o;
	vg_rc rc;

	if (c->nopen == MAX_NESTING)
		return fail(c, line, "sections nested deeper than %d",
		    MAX_NESTING);
	if ((rc = add_var(c, kind, s, n, line)) != VG_OK)
		return rc;
	o = &c->open[c->nopen++];
	o->name = s;
	o->len = n;
	o->op = c->nops - 1;
	o->line = line;
	return VG_OK;
}

static vg_rc
close_section(struct compiler *c, const char *s, size_t n, unsigned line)
{
	struct open_section *o;
	vg_rc rc;

	if ((rc = check_name(c, s, n, false, line)) != VG_OK)
		return rc;
	if (c->nopen == 0)
		return fail(c, line, "stray {{/%.*s}}", quoted_len(n), s);
	o = &c->open[c->nopen - 1];
	if (o->len != n || memcmp(o->name, s, n) != 0)
		return fail(c, line,
		    "mismatched {{/%.*s}}: expected {{/%.*s}} (opened line %u)",
		    quoted_len(n), s, quoted_len(o->len), o->name, o->line);
	c->ops[o->op].end = c->nops;
	c->nopen--;
	return VG_OK;
}

/* The inside of a tag, [s, e), braces excluded. */
static vg_rc
compile_tag(struct compiler *c, const char *s, const char *e, bool triple,
    unsigned line)
{
	const char *m;
	vg_rc rc;

	while (s < e && is_space(*s))
		s++;
	/* "{{_ msgid}}" needs the space: "{{_x}}" is the variable _x. */
	if (!triple && e - s >= 2 && s[0] == '_' && is_space(s[1])) {
		m = s + 1;
		trim(&m, &e);
		if (m == e)
			return fail(c, line, "empty message in {{_ }}");
		if (memchr(m, '\0', (size_t)(e - m)) != NULL)
			return fail(c, line, "NUL byte in {{_ }}");
		return add_str(c, OP_GETTEXT, m, (size_t)(e - m));
	}
	trim(&s, &e);
	if (triple)
		return add_var(c, OP_RAW, s, (size_t)(e - s), line);
	if (s == e)
		return fail(c, line, "empty name");
	switch (*s) {
	case '!':
		return VG_OK;
	case '&':
	case '#':
	case '^':
	case '/':
	case '>':
		m = s + 1;
		trim(&m, &e);
		break;
	case '=':
		return fail(c, line, "changing delimiters is not supported");
	default:
		return add_var(c, OP_VAR, s, (size_t)(e - s), line);
	}
	switch (*s) {
	case '&':
		return add_var(c, OP_RAW, m, (size_t)(e - m), line);
	case '#':
		return open_section(c, OP_SECTION, m, (size_t)(e - m), line);
	case '^':
		return open_section(c, OP_INVERTED, m, (size_t)(e - m), line);
	case '/':
		return close_section(c, m, (size_t)(e - m), line);
	default:
		rc = check_name(c, m, (size_t)(e - m), true, line);
		if (rc != VG_OK)
			return rc;
		return add_str(c, OP_PARTIAL, m, (size_t)(e - m));
	}
}

static vg_rc
compile(struct compiler *c, const char *src, size_t len)
{
	const char *p = src, *end = src + len, *tag, *in, *close, *next;
	unsigned line = 1;
	bool triple;
	vg_rc rc;

	while (p < end) {
		tag = find_pair(p, end, '{');
		if (tag == NULL) {
			if ((rc = add_text(c, p, (size_t)(end - p))) != VG_OK)
				return rc;
			break;
		}
		if ((rc = add_text(c, p, (size_t)(tag - p))) != VG_OK)
			return rc;
		line += count_lines(p, tag);
		triple = end - tag > 2 && tag[2] == '{';
		in = tag + (triple ? 3 : 2);
		close = find_pair(in, end, '}');
		if (close == NULL)
			return fail(c, line, "unclosed tag");
		next = close + 2;
		if (triple) {
			if (next == end || *next != '}')
				return fail(c, line,
				    "'{{{' closed by '}}' instead of '}}}'");
			next++;
		}
		if ((rc = compile_tag(c, in, close, triple, line)) != VG_OK)
			return rc;
		line += count_lines(tag, next);
		p = next;
	}
	if (c->nopen > 0) {
		struct open_section *o = &c->open[c->nopen - 1];

		return fail(c, o->line, "unclosed section '%.*s'",
		    quoted_len(o->len), o->name);
	}
	return VG_OK;
}

/* Compile into a new template; label names it in messages. */
static vg_rc
tmpl_compile(struct tmpl **tp, const char *name, const char *label,
    const char *src, size_t len, char *err, size_t errlen)
{
	struct compiler c;
	struct tmpl *t;
	char *copy;
	vg_rc rc;

	memset(&c, 0, sizeof(c));
	c.label = label;
	c.err = err;
	c.errlen = errlen;
	*tp = NULL;
	c.arena = vg_arena_new();
	if (c.arena == NULL)
		return nomem(&c);
	rc = VG_ENOMEM;
	t = vg_arena_calloc(c.arena, 1, sizeof(*t));
	if (t == NULL)
		goto fail;
	t->arena = c.arena;
	t->name = vg_arena_strdup(c.arena, name);
	/* Text ops point into this copy. */
	copy = vg_arena_strndup(c.arena, src, len);
	if (t->name == NULL || copy == NULL)
		goto fail;
	if ((rc = compile(&c, copy, len)) != VG_OK)
		goto fail;
	/* Move the ops into the arena: one free releases the template. */
	t->nops = c.nops;
	t->ops = vg_arena_calloc(c.arena, c.nops, sizeof(*t->ops));
	if (t->ops == NULL) {
		rc = VG_ENOMEM;
		goto fail;
	}
	if (c.nops > 0)
		memcpy(t->ops, c.ops, c.nops * sizeof(*t->ops));
	free(c.ops);
	*tp = t;
	return VG_OK;
fail:
	if (rc == VG_ENOMEM)
		nomem(&c);
	free(c.ops);
	vg_arena_free(c.arena);
	return rc;
}

static vg_rc
set_add(vg_tmpl_set *set, const char *name, const char *label,
    const char *src, size_t len, char *err, size_t errlen)
{
	struct tmpl *t, **sp;
	vg_rc rc;

	if ((rc = tmpl_compile(&t, name, label, src, len, err, errlen)) !=
	    VG_OK)
		return rc;
	sp = slot(set->slots, set->cap, name);
	if (*sp != NULL) {
		tmpl_free(*sp);
		*sp = t;
		return VG_OK;
	}
	if (!set_grow(set)) {
		tmpl_free(t);
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: out of memory", label);
		return VG_ENOMEM;
	}
	*slot(set->slots, set->cap, name) = t;
	set->count++;
	return VG_OK;
}

/* On a syntax error the template of that name, if any, stays. */
vg_rc
vg_tmpl_set_add(vg_tmpl_set *set, const char *name, const char *src,
    size_t len, char *err, size_t errlen)
{
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (set == NULL || name == NULL || (src == NULL && len > 0))
		return VG_EINVAL;
	if (src == NULL)
		src = "";
	return set_add(set, name, name, src, len, err, errlen);
}

/* --- Loading ----------------------------------------------------------- */

static vg_rc
io_fail(char *err, size_t errlen, const char *path, const char *what)
{
	if (err != NULL && errlen > 0)
		snprintf(err, errlen, "%s: %s", path, what);
	return VG_EIO;
}

/* a "/" b, or b alone when a is empty; NULL when out of memory. */
static char *
join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p;

	if (la > SIZE_MAX - lb - 2)
		return NULL;
	p = malloc(la + lb + 2);
	if (p == NULL)
		return NULL;
	if (la == 0) {
		memcpy(p, b, lb + 1);
		return p;
	}
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

static vg_rc
load_file(vg_tmpl_set *set, const char *path, const char *name, char *err,
    size_t errlen)
{
	struct stat st;
	char *src = NULL;
	size_t len = 0;
	ssize_t n;
	vg_rc rc;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return io_fail(err, errlen, path, strerror(errno));
	if (fstat(fd, &st) == -1) {
		rc = io_fail(err, errlen, path, strerror(errno));
		goto fail;
	}
	if (st.st_size > MAX_FILE_SIZE) {
		rc = io_fail(err, errlen, path, "file too large");
		goto fail;
	}
	src = malloc((size_t)st.st_size + 1);
	if (src == NULL) {
		rc = VG_ENOMEM;
		goto fail;
	}
	/* The file may shrink while read: trust what read() returns. */
	while (len < (size_t)st.st_size) {
		n = read(fd, src + len, (size_t)st.st_size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = io_fail(err, errlen, path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	rc = set_add(set, name, path, src, len, err, errlen);
fail:
	free(src);
	close(fd);
	return rc;
}

static int
visible(const struct dirent *d)
{
	/* Skips ".", ".." and hidden files (editor swap files, .git). */
	return d->d_name[0] != '.';
}

static vg_rc
load_dir(vg_tmpl_set *set, const char *dir, const char *rel, int depth,
    char *err, size_t errlen)
{
	struct dirent **ents;
	struct stat st;
	char *path, *name;
	size_t len;
	vg_rc rc = VG_OK;
	int i, n;

	if (depth > MAX_DIR_DEPTH)
		return io_fail(err, errlen, dir, "directories nested too deep");
	/* Sorted, so the first error reported is always the same one. */
	n = scandir(dir, &ents, visible, alphasort);
	if (n == -1)
		return io_fail(err, errlen, dir, strerror(errno));
	for (i = 0; i < n && rc == VG_OK; i++) {
		path = join(dir, ents[i]->d_name);
		name = join(rel, ents[i]->d_name);
		if (path == NULL || name == NULL) {
			rc = VG_ENOMEM;
		} else if (stat(path, &st) == -1) {
			rc = io_fail(err, errlen, path, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			rc = load_dir(set, path, name, depth + 1, err, errlen);
		} else if (S_ISREG(st.st_mode) &&
		    (len = strlen(name)) > 5 &&
		    strcmp(name + len - 5, ".html") == 0) {
			name[len - 5] = '\0';
			rc = load_file(set, path, name, err, errlen);
		}
		free(path);
		free(name);
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	if (rc == VG_ENOMEM && err != NULL && errlen > 0 && err[0] == '\0')
		snprintf(err, errlen, "%s: out of memory", dir);
	return rc;
}

vg_rc
vg_tmpl_set_load(vg_tmpl_set *set, const char *dir, char *err, size_t errlen)
{
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (set == NULL || dir == NULL)
		return VG_EINVAL;
	return load_dir(set, dir, "", 0, err, errlen);
}

/* --- Rendering --------------------------------------------------------- */

static bool
all_digits(const char *s)
{
	if (*s == '\0' || strlen(s) > 9)
		return false;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static json_t *
lookup(const struct render *r, const struct frame *f, const struct path *p)
{
	const struct frame *g;
	json_t *v = NULL;
	size_t i;

	if (p->n == 0) {
		if (f != NULL)
			return f->v;
		return r->depth > 0 ? r->stack[r->depth - 1] : NULL;
	}
	for (g = f; g != NULL && v == NULL; g = g->up)
		if (json_is_object(g->v))
			v = json_object_get(g->v, p->parts[0]);
	for (i = r->depth; i > 0 && v == NULL; i--)
		if (json_is_object(r->stack[i - 1]))
			v = json_object_get(r->stack[i - 1], p->parts[0]);
	/* Found first part: descend, without looking further out.  A part
	 * of digits indexes an array, so {{#list.0}} tests "not empty" and
	 * {{list.0.name}} reads the first element. */
	for (i = 1; i < p->n && v != NULL; i++) {
		if (json_is_object(v))
			v = json_object_get(v, p->parts[i]);
		else if (json_is_array(v) && all_digits(p->parts[i]))
			v = json_array_get(v, strtoul(p->parts[i], NULL, 10));
		else
			v = NULL;
	}
	return v;
}

static bool
truthy(const json_t *v)
{
	if (v == NULL)
		return false;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return json_object_size(v) > 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	case JSON_TRUE:
		return true;
	default:
		return false;
	}
}

/*
 * Like JSON: the shortest of %.15g, %.16g, %.17g that reads back the same
 * double (so 0.1 is "0.1", not jansson's "0.10000000000000001"), and ".0"
 * after an integral value ("3.0"), as jansson writes it.  The decimal
 * point is '.' whatever LC_NUMERIC says.  Not inlined: its buffers would
 * swell every frame of the render recursion.
 */
static __attribute__((noinline)) void
put_real(vg_buf *out, double d)
{
	char tmp[64], res[72];
	size_t i, n = 0;
	bool point = false, sep = false;
	int prec;

	for (prec = 15;; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (prec == 17 || strtod(tmp, NULL) == d)
			break;
	}
	for (i = 0; tmp[i] != '\0'; i++) {
		char ch = tmp[i];

		if ((ch >= '0' && ch <= '9') || ch == '-' || ch == '+') {
			res[n++] = ch;
			sep = false;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')) {
			res[n++] = ch;	/* e, inf, nan */
			point = true;
			sep = false;
		} else if (!sep) {
			res[n++] = '.';	/* the locale's point, maybe multibyte */
			point = sep = true;
		}
	}
	if (!point) {
		res[n++] = '.';
		res[n++] = '0';
	}
	vg_buf_append(out, res, n);
}

static void
put_value(vg_buf *out, const json_t *v, bool raw)
{
	if (v == NULL)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (raw)
			vg_buf_append(out, json_string_value(v),
			    json_string_length(v));
		else
			vg_buf_put_html(out, json_string_value(v),
			    json_string_length(v));
		break;
	case JSON_INTEGER:
		vg_buf_printf(out, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		put_real(out, json_real_value(v));
		break;
	case JSON_TRUE:
		vg_buf_puts(out, "true");
		break;
	case JSON_FALSE:
		vg_buf_puts(out, "false");
		break;
	default:
		break;		/* null, objects and arrays print nothing */
	}
}

static vg_rc render_ops(struct render *, const struct tmpl *, size_t, size_t,
    const struct frame *, int);

static vg_rc
render_section(struct render *r, const struct tmpl *t, const struct op *op,
    size_t i, const struct frame *f, int pdepth)
{
	json_t *v = lookup(r, f, &op->path);
	struct frame sub;
	size_t k;
	vg_rc rc;

	if (op->kind == OP_INVERTED)
		return truthy(v) ? VG_OK :
		    render_ops(r, t, i + 1, op->end, f, pdepth);
	if (!truthy(v))
		return VG_OK;
	sub.up = f;
	if (json_is_array(v)) {
		for (k = 0; k < json_array_size(v); k++) {
			if (++r->steps > VG_TMPL_MAX_STEPS)
				return VG_EINVAL;
			sub.v = json_array_get(v, k);
			rc = render_ops(r, t, i + 1, op->end, &sub, pdepth);
			if (rc != VG_OK)
				return rc;
		}
		return VG_OK;
	}
	if (json_is_object(v)) {
		sub.v = v;
		return render_ops(r, t, i + 1, op->end, &sub, pdepth);
	}
	return render_ops(r, t, i + 1, op->end, f, pdepth);
}

static vg_rc
render_ops(struct render *r, const struct tmpl *t, size_t from, size_t to,
    const struct frame *f, int pdepth)
{
	const struct tmpl *p;
	const struct op *op;
	const char *s;
	size_t i;
	vg_rc rc = VG_OK;

	for (i = from; i < to; i++) {
		op = &t->ops[i];
		if (++r->steps > VG_TMPL_MAX_STEPS)
			return VG_EINVAL;
		switch (op->kind) {
		case OP_TEXT:
			vg_buf_append(r->out, op->str, op->len);
			break;
		case OP_VAR:
		case OP_RAW:
			put_value(r->out, lookup(r, f, &op->path),
			    op->kind == OP_RAW);
			break;
		case OP_GETTEXT:
			/* At render time: the thread's locale picks the
			 * language. */
			s = _(op->str);
			vg_buf_put_html(r->out, s, strlen(s));
			break;
		case OP_PARTIAL:
			if (pdepth >= MAX_PARTIALS)
				return VG_EINVAL;
			p = find(r->set, op->str);
			if (p == NULL)
				return VG_ENOTFOUND;
			rc = render_ops(r, p, 0, p->nops, f, pdepth + 1);
			break;
		case OP_SECTION:
		case OP_INVERTED:
			rc = render_section(r, t, op, i, f, pdepth);
			i = op->end - 1;
			break;
		}
		if (rc != VG_OK)
			return rc;
		if (vg_buf_failed(r->out))
			return VG_ENOMEM;
		if (r->out->len - r->start > VG_TMPL_MAX_OUTPUT)
			return VG_EINVAL;
	}
	return VG_OK;
}

/* On an error other than VG_ENOMEM, out is left as it was. */
vg_rc
vg_tmpl_render(const vg_tmpl_set *set, const char *name,
    json_t *const *stack, size_t depth, vg_buf *out)
{
	const struct tmpl *t;
	struct render r;
	vg_rc rc;

	if (set == NULL || name == NULL || out == NULL ||
	    (stack == NULL && depth > 0))
		return VG_EINVAL;
	if (vg_buf_failed(out))
		return VG_ENOMEM;
	t = find(set, name);
	if (t == NULL)
		return VG_ENOTFOUND;
	r.set = set;
	r.stack = stack;
	r.depth = depth;
	r.out = out;
	r.start = out->len;
	r.steps = 0;
	rc = render_ops(&r, t, 0, t->nops, NULL, 0);
	if (rc == VG_OK && vg_buf_failed(out))
		rc = VG_ENOMEM;
	if (rc != VG_OK && rc != VG_ENOMEM && out->data != NULL) {
		out->len = r.start;
		out->data[out->len] = '\0';
	}
	return rc;
}
