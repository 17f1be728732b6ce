/*
 * form.c — byte-at-a-time state machines for urlencoded and multipart
 * bodies, so a body may be cut anywhere between two feed() calls.
 *
 * Only the field being read is held: its name and value in two vg_bufs
 * (bounded by the limits), a multipart part's header section in a fixed
 * arena block, and for file parts a small write buffer.  Finished fields
 * are copied into the arena.
 *
 * Choices, for the record:
 *  - multipart is strict about line ends: header lines, delimiters and the
 *    line after a delimiter end with CRLF, as RFC 7578 and every browser
 *    do.  A bare CR or LF in a part's header section is refused.  Inside a
 *    part body a bare LF is data, as it must be.
 *  - transport padding (spaces, tabs) after a boundary is allowed (RFC
 *    2046); anything else after "--boundary" but "--" or CRLF is refused,
 *    since the boundary must never occur inside a part.
 *  - a part's header section is limited to MAX_HEADERS bytes (VG_ETOOBIG).
 *  - header folding is refused; headers other than Content-Disposition and
 *    Content-Type are ignored.  Content-Type is kept for file parts only.
 *  - in Content-Disposition quoted strings, a backslash escapes only '"'
 *    and '\': old browsers send Windows paths unescaped ("C:\dir\f.txt").
 *    Browsers percent-encode '"', CR and LF in names (HTML spec); those
 *    escapes are left as they are.
 *  - filename* (RFC 5987, UTF-8 only) wins over filename.
 *  - filename="" is "no file selected": no temporary file, a field with
 *    filename "" and size 0, and its content (browsers send none) is
 *    dropped.  Such a part is accepted even when upload_dir is NULL.
 *  - a file name is cut to its basename; an empty basename (from a name
 *    like "dir/"), ".", "..", CR or LF in it are refused.
 *  - urlencoded: a Content-Type charset other than UTF-8 is VG_EMEDIA;
 *    limits count decoded bytes; "=v" (empty name) is VG_EINVAL; only the
 *    first '=' of a pair separates.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* mkostemp */
#endif

#include "http/form.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Parameters of one header (charset, boundary, name, filename…). */
#define MAX_PARAMS 16

#include "core/buf.h"
#include "core/utf8.h"

#define MAX_HEADERS     8192    /* bytes in one part's header section */
#define MAX_BOUNDARY    70      /* RFC 2046 */
#define WBUF_SIZE       8192    /* file write buffer */

enum kind { K_URLENCODED, K_MULTIPART };

enum mstate {
	M_PREAMBLE,     /* before the first delimiter */
	M_HEADERS,      /* a part's header section */
	M_BODY,         /* a part's content */
	M_DELIM,        /* just after "--boundary" */
	M_PADDING,      /* transport padding after the boundary */
	M_DELIM_CR,     /* CR seen after the boundary */
	M_CLOSE,        /* "--boundary-" seen */
	M_EPILOGUE      /* after "--boundary--": ignored */
};

enum part { P_NONE, P_TEXT, P_NOFILE, P_FILE };

struct upload {
	char *path;
	struct upload *next;
};

struct vg_form_parser {
	vg_arena *a;
	vg_form_limits lim;
	enum kind kind;
	vg_rc err;              /* sticky */
	bool finished, cleaned;
	vg_form form;
	vg_form_field **tail;
	size_t started;         /* fields begun, for max_fields */
	vg_buf name, value;     /* the field being read */

	/* urlencoded */
	bool in_pair, in_value;
	int pct;                /* hex digits still expected after '%' */
	unsigned hex;

	/* multipart */
	enum mstate state;
	char *delim;            /* "\r\n--" boundary */
	size_t dlen;
	size_t match;           /* bytes of delim matched so far */
	char *hdr;
	size_t hlen;
	enum part part;
	char *pname, *pfilename, *pctype;
	struct upload *uploads; /* every file created, for cleanup */
	struct upload *cur;     /* the one being written */
	int fd;
	size_t fsize;
	char *wbuf;
	size_t wlen;
};

static vg_rc
fail(vg_form_parser *p, vg_rc rc)
{
	if (p->err == VG_OK)
		p->err = rc;
	/* Release what we hold now: the caller may never get to cleanup
	 * before the connection goes away. */
	if (p->fd >= 0) {
		close(p->fd);
		p->fd = -1;
	}
	vg_buf_free(&p->name);
	vg_buf_free(&p->value);
	return p->err;
}

static bool
is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool
is_bchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return true;
	return c != '\0' && strchr("'()+_,-./:=? ", c) != NULL;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
eq_ci(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/*
 * A tiny cursor over a header value, for Content-Type and
 * Content-Disposition.
 */
struct scan {
	const char *s, *end;
};

static void
skip_ows(struct scan *c)
{
	while (c->s < c->end && (*c->s == ' ' || *c->s == '\t'))
		c->s++;
}

static size_t
token(struct scan *c, const char **tok)
{
	*tok = c->s;
	while (c->s < c->end && is_tchar((unsigned char)*c->s))
		c->s++;
	return (size_t)(c->s - *tok);
}

/*
 * A parameter value, token or quoted-string, copied into the arena.  With
 * lax, a backslash escapes only '"' and '\' (see the top of the file).
 */
static char *
param_value(vg_arena *a, struct scan *c, bool lax, size_t *lenp, bool *bad)
{
	const char *tok;
	char *out;
	size_t n = 0;

	*bad = false;
	if (c->s >= c->end || *c->s != '"') {
		n = token(c, &tok);
		if (n == 0) {
			*bad = true;
			return NULL;
		}
		*lenp = n;
		return vg_arena_strndup(a, tok, n);
	}
	c->s++;
	/* Measure up to the closing quote first: reserving the rest of the
	 * header for every value made a header of many empty quoted values
	 * cost memory quadratic in its length (found in review).  The
	 * unquoted value is never longer than the quoted one. */
	{
		const char *q = c->s;

		while (q < c->end && *q != '"') {
			if (*q == '\\' && q + 1 < c->end)
				q++;
			q++;
		}
		out = vg_arena_alloc(a, (size_t)(q - c->s) + 1);
	}
	if (out == NULL)
		return NULL;
	for (;;) {
		unsigned char ch;

		if (c->s >= c->end) {
			*bad = true;
			return NULL;
		}
		ch = (unsigned char)*c->s++;
		if (ch == '"')
			break;
		if (ch == '\\' && c->s < c->end &&
		    (!lax || *c->s == '"' || *c->s == '\\')) {
			ch = (unsigned char)*c->s++;
		}
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			*bad = true;
			return NULL;
		}
		out[n++] = (char)ch;
	}
	out[n] = '\0';
	*lenp = n;
	return out;
}

/*
 * Content-Type of the body.  Fills p->kind and, for multipart, p->delim.
 */
static vg_rc
parse_content_type(vg_form_parser *p, const char *ct)
{
	struct scan c = {ct, ct + strlen(ct)};
	const char *type, *sub, *pn, *boundary = NULL;
	size_t tn, sn, pl, vl, blen = 0, i;
	char *v;
	int nparams;
	bool bad;

	skip_ows(&c);
	tn = token(&c, &type);
	if (tn == 0 || c.s >= c.end || *c.s != '/')
		return VG_EMEDIA;
	c.s++;
	sn = token(&c, &sub);
	if (sn == 0)
		return VG_EMEDIA;
	if (eq_ci(type, tn, "application") &&
	    eq_ci(sub, sn, "x-www-form-urlencoded"))
		p->kind = K_URLENCODED;
	else if (eq_ci(type, tn, "multipart") && eq_ci(sub, sn, "form-data"))
		p->kind = K_MULTIPART;
	else
		return VG_EMEDIA;

	for (nparams = 0;; nparams++) {
		skip_ows(&c);
		if (c.s >= c.end)
			break;
		if (*c.s != ';' || nparams == MAX_PARAMS)
			return VG_EMEDIA;
		c.s++;
		skip_ows(&c);
		if (c.s >= c.end)
			break;  /* a trailing ';' does no harm */
		pl = token(&c, &pn);
		if (pl == 0)
			return VG_EMEDIA;
		skip_ows(&c);
		if (c.s >= c.end || *c.s != '=')
			return VG_EMEDIA;
		c.s++;
		skip_ows(&c);
		v = param_value(p->a, &c, false, &vl, &bad);
		if (bad)
			return VG_EMEDIA;
		if (v == NULL)
			return VG_ENOMEM;
		if (eq_ci(pn, pl, "boundary")) {
			if (boundary != NULL)
				return VG_EMEDIA;
			boundary = v;
			blen = vl;
		} else if (eq_ci(pn, pl, "charset")) {
			/* We read UTF-8 and nothing else; saying otherwise
			 * is a media type we do not support. */
			if (!eq_ci(v, vl, "utf-8"))
				return VG_EMEDIA;
		}
	}

	if (p->kind == K_URLENCODED)
		return VG_OK;
	if (boundary == NULL || blen < 1 || blen > MAX_BOUNDARY ||
	    boundary[blen - 1] == ' ')
		return VG_EMEDIA;
	for (i = 0; i < blen; i++)
		if (!is_bchar((unsigned char)boundary[i]))
			return VG_EMEDIA;
	p->delim = vg_arena_printf(p->a, "\r\n--%s", boundary);
	p->hdr = vg_arena_alloc(p->a, MAX_HEADERS);
	p->wbuf = vg_arena_alloc(p->a, WBUF_SIZE);
	if (p->delim == NULL || p->hdr == NULL || p->wbuf == NULL)
		return VG_ENOMEM;
	p->dlen = blen + 4;
	return VG_OK;
}

static vg_rc
parser_init(vg_form_parser *p, vg_arena *a, const vg_form_limits *lim)
{
	memset(p, 0, sizeof(*p));
	p->a = a;
	p->lim = *lim;
	p->fd = -1;
	p->tail = &p->form.first;
	p->name = (vg_buf)VG_BUF_INIT;
	p->value = (vg_buf)VG_BUF_INIT;
	/* The caller's string may not live as long as the parser. */
	if (lim->upload_dir != NULL) {
		p->lim.upload_dir = vg_arena_strdup(a, lim->upload_dir);
		if (p->lim.upload_dir == NULL)
			return VG_ENOMEM;
	}
	return VG_OK;
}

vg_rc
vg_form_parser_new(vg_arena *a, const char *content_type,
    const vg_form_limits *lim, vg_form_parser **out)
{
	vg_form_parser *p;
	vg_rc rc;

	*out = NULL;
	if (a == NULL || lim == NULL)
		return VG_EINTERNAL;
	if (content_type == NULL)
		return VG_EMEDIA;
	p = vg_arena_alloc(a, sizeof(*p));
	if (p == NULL)
		return VG_ENOMEM;
	if ((rc = parser_init(p, a, lim)) != VG_OK)
		return rc;
	if ((rc = parse_content_type(p, content_type)) != VG_OK)
		return rc;
	if (p->kind == K_MULTIPART) {
		/* A virtual CRLF before the body, so that a first boundary
		 * at the very start matches the delimiter too. */
		p->state = M_PREAMBLE;
		p->match = 2;
	}
	*out = p;
	return VG_OK;
}

/*
 * Fields.
 */

static vg_rc
begin_field(vg_form_parser *p)
{
	if (p->started >= p->lim.max_fields)
		return VG_ETOOBIG;
	p->started++;
	return VG_OK;
}

static vg_rc
add_field(vg_form_parser *p, const char *name, size_t nlen,
    const char *value, size_t vlen, vg_form_field **outf)
{
	vg_form_field *f;

	f = vg_arena_calloc(p->a, 1, sizeof(*f));
	if (f == NULL)
		return VG_ENOMEM;
	f->name = vg_arena_strndup(p->a, name, nlen);
	f->value = vg_arena_strndup(p->a, value != NULL ? value : "", vlen);
	if (f->name == NULL || f->value == NULL)
		return VG_ENOMEM;
	f->len = vlen;
	*p->tail = f;
	p->tail = &f->next;
	p->form.count++;
	if (outf != NULL)
		*outf = f;
	return VG_OK;
}

static vg_rc
append(vg_buf *b, const char *s, size_t n, size_t max)
{
	if (n > max || b->len > max - n)
		return VG_ETOOBIG;
	vg_buf_append(b, s, n);
	return vg_buf_failed(b) ? VG_ENOMEM : VG_OK;
}

/*
 * urlencoded.
 */

static vg_rc
url_put(vg_form_parser *p, const char *s, size_t n)
{
	vg_rc rc;

	if (!p->in_pair) {
		if ((rc = begin_field(p)) != VG_OK)
			return rc;
		p->in_pair = true;
	}
	if (p->in_value)
		return append(&p->value, s, n, p->lim.max_value);
	return append(&p->name, s, n, p->lim.max_name);
}

static vg_rc
url_end_pair(vg_form_parser *p)
{
	vg_rc rc;

	if (p->pct != 0)
		return VG_EINVAL;
	if (!p->in_pair)
		return VG_OK;   /* "&&": nothing */
	if (p->name.len == 0 ||
	    !vg_utf8_valid_text(p->name.data, p->name.len) ||
	    !vg_utf8_valid_text(p->value.data, p->value.len))
		return VG_EINVAL;
	rc = add_field(p, p->name.data, p->name.len, p->value.data,
	    p->value.len, NULL);
	vg_buf_reset(&p->name);
	vg_buf_reset(&p->value);
	p->in_pair = p->in_value = false;
	return rc;
}

static vg_rc
url_feed(vg_form_parser *p, const char *data, size_t n)
{
	size_t i = 0, run;
	vg_rc rc;
	char ch;
	int h;

	while (i < n) {
		ch = data[i];
		if (p->pct > 0) {
			if ((h = hexval((unsigned char)ch)) < 0)
				return VG_EINVAL;
			p->hex = p->hex << 4 | (unsigned)h;
			i++;
			if (--p->pct == 0) {
				ch = (char)p->hex;
				if ((rc = url_put(p, &ch, 1)) != VG_OK)
					return rc;
			}
			continue;
		}
		switch (ch) {
		case '&':
			rc = url_end_pair(p);
			i++;
			break;
		case '=':
			if (p->in_value) {
				rc = url_put(p, &ch, 1);
			} else {
				if (!p->in_pair)
					rc = begin_field(p);
				else
					rc = VG_OK;
				p->in_pair = p->in_value = true;
			}
			i++;
			break;
		case '+':
			rc = url_put(p, " ", 1);
			i++;
			break;
		case '%':
			if (!p->in_pair) {
				if ((rc = begin_field(p)) != VG_OK)
					return rc;
				p->in_pair = true;
			}
			p->pct = 2;
			p->hex = 0;
			rc = VG_OK;
			i++;
			break;
		default:
			/* Plain bytes go in one append. */
			for (run = 1; i + run < n; run++) {
				ch = data[i + run];
				if (ch == '&' || ch == '=' || ch == '+' ||
				    ch == '%')
					break;
			}
			rc = url_put(p, data + i, run);
			i += run;
			break;
		}
		if (rc != VG_OK)
			return rc;
	}
	return VG_OK;
}

/*
 * multipart.
 */

static vg_rc
write_all(int fd, const char *s, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, s, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return VG_EIO;
		}
		s += w;
		n -= (size_t)w;
	}
	return VG_OK;
}

static vg_rc
flush_file(vg_form_parser *p)
{
	vg_rc rc;

	rc = write_all(p->fd, p->wbuf, p->wlen);
	p->wlen = 0;
	return rc;
}

/* Content of the current part, or of the preamble. */
static vg_rc
part_data(vg_form_parser *p, const char *s, size_t n)
{
	vg_rc rc;

	if (n == 0)
		return VG_OK;
	switch (p->part) {
	case P_TEXT:
		return append(&p->value, s, n, p->lim.max_value);
	case P_FILE:
		if (n > p->lim.max_file || p->fsize > p->lim.max_file - n)
			return VG_ETOOBIG;
		p->fsize += n;
		if (p->wlen + n > WBUF_SIZE) {
			if ((rc = flush_file(p)) != VG_OK)
				return rc;
			if (n >= WBUF_SIZE)
				return write_all(p->fd, s, n);
		}
		memcpy(p->wbuf + p->wlen, s, n);
		p->wlen += n;
		return VG_OK;
	case P_NONE:
	case P_NOFILE:
		break;
	}
	return VG_OK;
}

static vg_rc
part_end(vg_form_parser *p)
{
	vg_form_field *f;
	vg_rc rc = VG_OK;

	switch (p->part) {
	case P_NONE:
		return VG_OK;
	case P_TEXT:
		if (!vg_utf8_valid_text(p->value.data, p->value.len))
			return VG_EINVAL;
		rc = add_field(p, p->pname, strlen(p->pname), p->value.data,
		    p->value.len, NULL);
		vg_buf_reset(&p->value);
		break;
	case P_NOFILE:
		if ((rc = add_field(p, p->pname, strlen(p->pname), "", 0,
		    &f)) == VG_OK) {
			f->filename = p->pfilename;
			f->content_type = p->pctype;
		}
		break;
	case P_FILE:
		if ((rc = flush_file(p)) != VG_OK)
			return rc;
		rc = close(p->fd) == 0 ? VG_OK : VG_EIO;
		p->fd = -1;
		if (rc != VG_OK)
			return rc;
		if ((rc = add_field(p, p->pname, strlen(p->pname), "", 0,
		    &f)) == VG_OK) {
			f->filename = p->pfilename;
			f->content_type = p->pctype;
			f->path = p->cur->path;
			f->size = p->fsize;
		}
		break;
	}
	p->part = P_NONE;
	return rc;
}

/*
 * Basename of a client's file name, checked.  Returns NULL with *rc set
 * on failure.
 */
static char *
clean_filename(vg_form_parser *p, const char *fn, size_t len, vg_rc *rc)
{
	const char *base = fn;
	size_t i, blen;

	for (i = 0; i < len; i++)
		if (fn[i] == '/' || fn[i] == '\\')
			base = fn + i + 1;
	blen = len - (size_t)(base - fn);
	*rc = VG_EINVAL;
	if (len > 0 && (blen == 0 || eq_ci(base, blen, ".") ||
	    eq_ci(base, blen, "..")))
		return NULL;
	if (!vg_utf8_valid_text(base, blen))
		return NULL;
	/* A name is shown and sent back in headers: no line breaks. */
	if (memchr(base, '\r', blen) != NULL ||
	    memchr(base, '\n', blen) != NULL)
		return NULL;
	*rc = VG_ENOMEM;
	return vg_arena_strndup(p->a, base, blen);
}

/*
 * filename*=UTF-8'lang'%e2%82%ac.txt (RFC 5987), decoded in place.
 */
static bool
decode_ext_value(char *v, size_t *lenp)
{
	char *q1, *q2, *r, *w, *end = v + *lenp;
	int h1, h2;

	q1 = memchr(v, '\'', *lenp);
	if (q1 == NULL || !eq_ci(v, (size_t)(q1 - v), "utf-8"))
		return false;
	q2 = memchr(q1 + 1, '\'', (size_t)(end - q1 - 1));
	if (q2 == NULL)
		return false;
	for (r = q2 + 1, w = v; r < end; r++) {
		if (*r != '%') {
			*w++ = *r;
			continue;
		}
		if (end - r < 3 || (h1 = hexval((unsigned char)r[1])) < 0 ||
		    (h2 = hexval((unsigned char)r[2])) < 0)
			return false;
		*w++ = (char)(h1 << 4 | h2);
		r += 2;
	}
	*w = '\0';
	*lenp = (size_t)(w - v);
	return true;
}

static vg_rc
parse_disposition(vg_form_parser *p, const char *s, const char *end,
    const char **name, size_t *nlen, const char **fname, size_t *flen)
{
	struct scan c = {s, end};
	const char *tok, *pn;
	char *v, *fn_plain = NULL, *fn_ext = NULL;
	size_t n, pl, vl, fpl = 0, fel = 0;
	int nparams;
	bool bad;

	skip_ows(&c);
	n = token(&c, &tok);
	if (!eq_ci(tok, n, "form-data"))
		return VG_EINVAL;
	for (nparams = 0;; nparams++) {
		skip_ows(&c);
		if (c.s >= c.end)
			break;
		if (*c.s != ';' || nparams == MAX_PARAMS)
			return VG_EINVAL;
		c.s++;
		skip_ows(&c);
		if (c.s >= c.end)
			break;
		pl = token(&c, &pn);
		if (pl == 0)
			return VG_EINVAL;
		skip_ows(&c);
		if (c.s >= c.end || *c.s != '=')
			return VG_EINVAL;
		c.s++;
		skip_ows(&c);
		v = param_value(p->a, &c, true, &vl, &bad);
		if (bad)
			return VG_EINVAL;
		if (v == NULL)
			return VG_ENOMEM;
		if (eq_ci(pn, pl, "name")) {
			if (*name != NULL)
				return VG_EINVAL;
			*name = v;
			*nlen = vl;
		} else if (eq_ci(pn, pl, "filename")) {
			if (fn_plain != NULL)
				return VG_EINVAL;
			fn_plain = v;
			fpl = vl;
		} else if (eq_ci(pn, pl, "filename*")) {
			if (fn_ext != NULL || !decode_ext_value(v, &vl))
				return VG_EINVAL;
			fn_ext = v;
			fel = vl;
		}
	}
	if (fn_ext != NULL) {
		*fname = fn_ext;
		*flen = fel;
	} else if (fn_plain != NULL) {
		*fname = fn_plain;
		*flen = fpl;
	}
	return VG_OK;
}

static vg_rc
open_upload(vg_form_parser *p)
{
	struct upload *u;

	u = vg_arena_alloc(p->a, sizeof(*u));
	if (u == NULL)
		return VG_ENOMEM;
	u->path = vg_arena_printf(p->a, "%s/vg-upload-XXXXXX",
	    p->lim.upload_dir);
	if (u->path == NULL)
		return VG_ENOMEM;
	/* mkstemp makes it 0600; no fd for a child process. */
	p->fd = mkostemp(u->path, O_CLOEXEC);
	if (p->fd < 0)
		return VG_EIO;
	u->next = p->uploads;
	p->uploads = u;
	p->cur = u;
	p->fsize = 0;
	p->wlen = 0;
	return VG_OK;
}

/*
 * The header section p->hdr[0..hlen) is complete (it ends with an empty
 * line): set up the part.
 */
static vg_rc
part_begin(vg_form_parser *p)
{
	const char *s = p->hdr, *end = p->hdr + p->hlen - 2, *eol, *colon;
	const char *hn, *name = NULL, *fname = NULL, *ct = NULL, *ctend = NULL;
	size_t hl, nlen = 0, flen = 0;
	bool seen_cd = false;
	struct scan c;
	vg_rc rc;

	if ((rc = begin_field(p)) != VG_OK)
		return rc;
	/* Every line ends with CRLF (checked while reading). */
	for (; s < end; s = eol + 2) {
		eol = s;
		while (!(eol[0] == '\r' && eol[1] == '\n'))
			eol++;
		if (*s == ' ' || *s == '\t')
			return VG_EINVAL;       /* obsolete folding */
		c.s = s;
		c.end = eol;
		hl = token(&c, &hn);
		colon = c.s;
		if (hl == 0 || colon >= eol || *colon != ':')
			return VG_EINVAL;
		c.s = colon + 1;
		skip_ows(&c);
		while (c.end > c.s && (c.end[-1] == ' ' || c.end[-1] == '\t'))
			c.end--;
		if (eq_ci(hn, hl, "content-disposition")) {
			if (seen_cd)
				return VG_EINVAL;
			seen_cd = true;
			rc = parse_disposition(p, c.s, c.end, &name, &nlen,
			    &fname, &flen);
			if (rc != VG_OK)
				return rc;
		} else if (eq_ci(hn, hl, "content-type")) {
			if (ct != NULL)
				return VG_EINVAL;
			ct = c.s;
			ctend = c.end;
		}
	}

	if (name == NULL || nlen == 0)
		return VG_EINVAL;
	if (nlen > p->lim.max_name)
		return VG_ETOOBIG;
	if (!vg_utf8_valid_text(name, nlen))
		return VG_EINVAL;
	p->pname = (char *)name;
	p->pfilename = NULL;
	p->pctype = NULL;
	if (fname == NULL) {
		p->part = P_TEXT;
		vg_buf_reset(&p->value);
		return VG_OK;
	}

	if ((p->pfilename = clean_filename(p, fname, flen, &rc)) == NULL)
		return rc;
	if (ct != NULL) {
		if (!vg_utf8_valid_text(ct, (size_t)(ctend - ct)))
			return VG_EINVAL;
		p->pctype = vg_arena_strndup(p->a, ct, (size_t)(ctend - ct));
		if (p->pctype == NULL)
			return VG_ENOMEM;
	}
	if (flen == 0) {
		p->part = P_NOFILE;
		return VG_OK;
	}
	if (p->lim.upload_dir == NULL)
		return VG_EINVAL;
	if ((rc = open_upload(p)) != VG_OK)
		return rc;
	p->part = P_FILE;
	return VG_OK;
}

/*
 * Look for the delimiter in the preamble or a part body, passing the
 * rest on as content.  The delimiter starts with CR and a boundary has no
 * CR, so a failed match can never hide the start of another: the bytes
 * held back are exactly delim[0..match) and go out as content as they
 * are, and the byte that broke the match is looked at afresh.  Returns
 * the bytes consumed; the state changes when the delimiter is complete.
 */
static vg_rc
scan_delim(vg_form_parser *p, const char *data, size_t n, size_t *used)
{
	const char *cr;
	size_t i = 0, end;
	vg_rc rc;

	while (i < n) {
		if (p->match == 0) {
			cr = memchr(data + i, '\r', n - i);
			end = cr != NULL ? (size_t)(cr - data) : n;
			if ((rc = part_data(p, data + i, end - i)) != VG_OK)
				return rc;
			i = end;
			if (cr == NULL)
				break;
			p->match = 1;
			i++;
			continue;
		}
		if (data[i] == p->delim[p->match]) {
			i++;
			if (++p->match == p->dlen) {
				p->match = 0;
				if ((rc = part_end(p)) != VG_OK)
					return rc;
				p->state = M_DELIM;
				break;
			}
			continue;
		}
		rc = part_data(p, p->delim, p->match);
		p->match = 0;
		if (rc != VG_OK)
			return rc;
	}
	*used = i;
	return VG_OK;
}

static vg_rc
header_byte(vg_form_parser *p, char ch)
{
	bool after_cr = p->hlen > 0 && p->hdr[p->hlen - 1] == '\r';

	if (after_cr != (ch == '\n'))
		return VG_EINVAL;       /* bare CR or bare LF */
	if (p->hlen == MAX_HEADERS)
		return VG_ETOOBIG;
	p->hdr[p->hlen++] = ch;
	if (ch == '\n' && (p->hlen == 2 || (p->hlen >= 4 &&
	    memcmp(p->hdr + p->hlen - 4, "\r\n\r\n", 4) == 0))) {
		p->state = M_BODY;
		return part_begin(p);
	}
	return VG_OK;
}

static vg_rc
multipart_feed(vg_form_parser *p, const char *data, size_t n)
{
	size_t i = 0, used = 0;
	vg_rc rc = VG_OK;
	char ch;

	while (i < n && rc == VG_OK) {
		ch = data[i];
		switch (p->state) {
		case M_PREAMBLE:
		case M_BODY:
			rc = scan_delim(p, data + i, n - i, &used);
			i += used;
			continue;
		case M_HEADERS:
			rc = header_byte(p, ch);
			break;
		case M_DELIM:
			if (ch == '-')
				p->state = M_CLOSE;
			else if (ch == ' ' || ch == '\t')
				p->state = M_PADDING;
			else if (ch == '\r')
				p->state = M_DELIM_CR;
			else
				rc = VG_EINVAL;
			break;
		case M_PADDING:
			if (ch == '\r')
				p->state = M_DELIM_CR;
			else if (ch != ' ' && ch != '\t')
				rc = VG_EINVAL;
			break;
		case M_DELIM_CR:
			if (ch != '\n') {
				rc = VG_EINVAL;
				break;
			}
			p->state = M_HEADERS;
			p->hlen = 0;
			break;
		case M_CLOSE:
			if (ch == '-')
				p->state = M_EPILOGUE;
			else
				rc = VG_EINVAL;
			break;
		case M_EPILOGUE:
			return VG_OK;
		}
		i++;
	}
	return rc;
}

vg_rc
vg_form_parser_feed(vg_form_parser *p, const char *data, size_t n)
{
	vg_rc rc;

	if (p->err != VG_OK)
		return p->err;
	if (p->finished || p->cleaned)
		return fail(p, VG_EINTERNAL);
	if (n == 0)
		return VG_OK;
	if (p->kind == K_URLENCODED)
		rc = url_feed(p, data, n);
	else
		rc = multipart_feed(p, data, n);
	return rc == VG_OK ? VG_OK : fail(p, rc);
}

vg_rc
vg_form_parser_finish(vg_form_parser *p, vg_form **out)
{
	vg_rc rc = VG_OK;

	if (p->err != VG_OK)
		return p->err;
	if (p->cleaned)
		return fail(p, VG_EINTERNAL);
	if (!p->finished) {
		if (p->kind == K_URLENCODED)
			rc = url_end_pair(p);
		else if (p->state != M_EPILOGUE)
			rc = VG_EINVAL; /* cut short */
		if (rc != VG_OK)
			return fail(p, rc);
		p->finished = true;
		vg_buf_free(&p->name);
		vg_buf_free(&p->value);
	}
	*out = &p->form;
	return VG_OK;
}

void
vg_form_parser_cleanup(vg_form_parser *p)
{
	struct upload *u;

	if (p == NULL || p->cleaned)
		return;
	p->cleaned = true;
	if (p->fd >= 0) {
		close(p->fd);
		p->fd = -1;
	}
	/* ENOENT is fine: the area renamed the file to keep it.  Other
	 * errors leave nothing better to do. */
	for (u = p->uploads; u != NULL; u = u->next)
		(void)unlink(u->path);
	vg_buf_free(&p->name);
	vg_buf_free(&p->value);
}

vg_rc
vg_form_parse_urlencoded(vg_arena *a, const char *s, size_t n,
    const vg_form_limits *lim, vg_form **out)
{
	vg_form_parser *p;
	vg_rc rc;

	*out = NULL;
	if (a == NULL || lim == NULL)
		return VG_EINTERNAL;
	p = vg_arena_alloc(a, sizeof(*p));
	if (p == NULL)
		return VG_ENOMEM;
	if ((rc = parser_init(p, a, lim)) != VG_OK)
		return rc;
	p->kind = K_URLENCODED;
	if ((rc = vg_form_parser_feed(p, s, n)) == VG_OK)
		rc = vg_form_parser_finish(p, out);
	vg_form_parser_cleanup(p);
	return rc;
}

const vg_form_field *
vg_form_field_get(const vg_form *f, const char *name)
{
	const vg_form_field *fl;

	if (f == NULL)
		return NULL;
	for (fl = f->first; fl != NULL; fl = fl->next)
		if (strcmp(fl->name, name) == 0)
			return fl;
	return NULL;
}

const char *
vg_form_get(const vg_form *f, const char *name)
{
	const vg_form_field *fl;

	if (f == NULL)
		return NULL;
	for (fl = f->first; fl != NULL; fl = fl->next)
		if (fl->filename == NULL && strcmp(fl->name, name) == 0)
			return fl->value;
	return NULL;
}
