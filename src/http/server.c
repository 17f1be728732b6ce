/*
 * server.c — the request lifecycle over libmicrohttpd.
 *
 * The daemon runs a pool of threads, each with its own epoll loop (never a
 * thread per connection).  For every request libmicrohttpd calls the access
 * handler several times:
 *   1. headers received: set up the request state (arena, route, limits,
 *      body parser).  Nothing is answered here, except a body announced
 *      larger than the route accepts (413, and the connection closes);
 *   2. zero or more times with a piece of the body: fed to the parser;
 *   3. body complete: session, role, CSRF, handler, response.
 * Answering only at step 3 keeps connections alive (answering at step 1
 * made libmicrohttpd close them).  The completion callback frees the arena
 * and removes any upload left behind.
 */
#include "http/http.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/utf8.h"
#include "http/router.h"
#include "http/session.h"
#include "http/static.h"
#include "http/throttle.h"
#include "http/status.h"
#include "render/page.h"
#include "db/db.h"

#if MHD_VERSION < 0x00097002
typedef int MHD_RESULT;
#else
typedef enum MHD_Result MHD_RESULT;
#endif

#define DEFAULT_MAX_BODY (16 * 1024)
#define MAX_PATH_BYTES 2048
#define MAX_QUERY_FIELDS 32
#define MAX_QUERY_VALUE 1024
/* Past this many bytes of a body we already refuse, drop the connection
 * rather than read on. */
#define DISCARD_LIMIT (1024 * 1024)
#define DRAIN_SECONDS 10
/* Text fields stay in memory: however large a route's body (an upload),
 * one text value is at most this. */
#define MAX_TEXT_VALUE (1024 * 1024)

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; media-src 'self'; font-src 'self'; "
    "connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
static const char permissions[] =
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=()";

struct reqstate {
	vg_req req;
	vg_resp resp;
	const vg_route *route;
	vg_form_parser *parser;
	vg_form empty_form;
	vg_rc early;                 /* an error known before dispatch */
	const char *early_allow;     /* Allow header of a 405 */
	const struct vg_static_file *asset;
	size_t received, limit;
	unsigned status;
	struct timespec start;
	char *pathbuf;
};

static const vg_site *site;
static atomic_int in_flight;
static atomic_bool draining;
static pthread_mutex_t daily_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t daily_stop = PTHREAD_COND_INITIALIZER;
static bool daily_stopping;

/* --- responses ----------------------------------------------------------- */

static void
add_security_headers(struct MHD_Response *resp, bool dynamic)
{
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Permissions-Policy", permissions);
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy",
	    "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy",
	    "same-origin");
	if (dynamic) {
		MHD_add_response_header(resp, "Cache-Control", "no-store");
		MHD_add_response_header(resp, "Vary", "Accept, Cookie");
	}
	if (atomic_load(&draining))
		MHD_add_response_header(resp, "Connection", "close");
}

static void
add_cookie_header(struct MHD_Response *resp, const char *name,
    const char *value, const char *path)
{
	char line[256];
	const char *secure = site->config->secure_cookies ? "; Secure" : "";

	if (path == NULL)
		path = "/";
	if (value != NULL)
		snprintf(line, sizeof(line),
		    "%s=%s; Path=%s; HttpOnly; SameSite=Strict%s", name, value,
		    path, secure);
	else
		snprintf(line, sizeof(line),
		    "%s=; Path=%s; Max-Age=0; HttpOnly; SameSite=Strict%s",
		    name, path, secure);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, line);
}

static MHD_RESULT
send_buffer(struct MHD_Connection *conn, struct reqstate *st,
    unsigned status, const char *type, char *data, size_t len)
{
	struct MHD_Response *resp;
	MHD_RESULT ret;
	int i;

	resp = MHD_create_response_from_buffer(len, data,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(data);
		return MHD_NO;
	}
	add_security_headers(resp, true);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, "Content-Language", "fr");
	if (st->early == VG_EMETHOD && st->early_allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
		    st->early_allow);
	if (st->resp.redirect != NULL && status == 303)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
		    st->resp.redirect);
	if (st->resp.filename != NULL) {
		char cd[512];

		snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"",
		    st->resp.filename);
		MHD_add_response_header(resp,
		    MHD_HTTP_HEADER_CONTENT_DISPOSITION, cd);
	}
	for (i = 0; i < st->resp.ncookies; i++)
		add_cookie_header(resp, st->resp.cookies[i].name,
		    st->resp.cookies[i].value, st->resp.cookies[i].path);
	if (st->req.new_anon_cookie)
		add_cookie_header(resp, VG_COOKIE_CSRF, st->req.anon_cookie,
		    NULL);
	st->status = status;
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The per-request values the layout needs: who is signed in, and the
 * CSRF token of the sign-out form. */
static json_t *
request_json(vg_req *r)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	if (r->user != NULL) {
		json_object_set_new(o, "user", json_pack("{s:s, s:s?, s:s}",
		    "email", r->user->email, "name", r->user->name,
		    "role", vg_role_name(r->user->role)));
		json_object_set_new(o, "csrf", json_string(vg_req_csrf(r)));
		if (r->user->role >= VG_ROLE_EDITOR)
			json_object_set_new(o, "is_editor", json_true());
		if (r->user->role >= VG_ROLE_ANALYST)
			json_object_set_new(o, "is_analyst", json_true());
	}
	return o;
}

static MHD_RESULT
send_page(struct MHD_Connection *conn, struct reqstate *st, vg_rc rc)
{
	vg_req *r = &st->req;
	vg_resp *p = &st->resp;
	unsigned status = rc == VG_OK ? (p->status ? (unsigned)p->status : 200)
	    : (p->status ? (unsigned)p->status : vg_rc_status(rc));
	vg_buf out = VG_BUF_INIT;
	json_t *reqj = NULL;
	const char *tmpl;
	char *data;
	size_t len;

	if (rc != VG_OK) {
		json_t *err = json_object();

		json_object_set_new(err, "code", json_string(vg_rc_name(rc)));
		json_object_set_new(err, "message", json_string(p->message ?
		    p->message : vg_rc_message(rc)));
		if (p->field != NULL)
			json_object_set_new(err, "field",
			    json_string(p->field));
		if (r->want_json) {
			json_t *o, *details = json_object_get(p->ctx,
			    "errors");

			/* Errors found all at once (an import's rows). */
			if (json_is_array(details))
				json_object_set(err, "details", details);
			o = json_pack("{s:o}", "error", err);

			data = json_dumps(o, JSON_COMPACT);
			json_decref(o);
			if (data == NULL)
				return MHD_NO;
			return send_buffer(conn, st, status,
			    "application/json", data, strlen(data));
		}
		json_object_set_new(p->ctx, "error", err);
		/* Templates mark the faulty field with {{#invalid.NAME}}. */
		if (p->field != NULL)
			json_object_set_new(p->ctx, "invalid", json_pack(
			    "{s:s}", p->field, p->message ? p->message :
			    vg_rc_message(rc)));
		if (p->tmpl == NULL || !vg_tmpl_exists(site->templates, p->tmpl))
			p->tmpl = "error";
	} else if (p->body != NULL) {
		/* A download: the same bytes for a browser and a program. */
		if ((data = malloc(p->body_len + 1)) == NULL)
			return MHD_NO;
		memcpy(data, p->body, p->body_len);
		return send_buffer(conn, st, status, p->content_type ?
		    p->content_type : "application/octet-stream", data,
		    p->body_len);
	} else if (r->want_json) {
		data = json_dumps(p->ctx, JSON_COMPACT);
		if (data == NULL)
			return MHD_NO;
		return send_buffer(conn, st, status, "application/json", data,
		    strlen(data));
	} else if (p->redirect != NULL) {
		data = strdup("");
		return data ? send_buffer(conn, st, 303,
		    "text/html; charset=utf-8", data, 0) : MHD_NO;
	}
	tmpl = p->tmpl ? p->tmpl : "error";
	reqj = request_json(r);
	if (vg_render_page(site->templates, tmpl, site->globals, reqj, p->ctx,
	    &out) != VG_OK) {
		vg_error("render %s failed", tmpl);
		vg_buf_free(&out);
		vg_buf_printf(&out, "<!doctype html><html lang=\"fr\"><title>"
		    "Erreur</title><p><a href=\"%s\">Quitter rapidement ce "
		    "site</a></p><p>Une erreur technique est survenue.</p>",
		    site->config->quick_exit_url);
		status = 500;
	}
	json_decref(reqj);
	data = vg_buf_detach(&out, &len);
	if (data == NULL)
		return MHD_NO;
	return send_buffer(conn, st, status, "text/html; charset=utf-8", data,
	    len);
}

/*
 * One byte range of a file of `size` bytes, from a Range header
 * ("bytes=A-B", "bytes=A-", "bytes=-N").  1 with [*from, *to]; 0 when
 * there is no usable header (send all); -1 when unsatisfiable (416).
 * Several ranges are answered with the whole file, which HTTP allows.
 */
static int
byte_range(const char *h, uint64_t size, uint64_t *from, uint64_t *to)
{
	unsigned long long a, b;
	char *end;

	if (h == NULL || strncmp(h, "bytes=", 6) != 0 || strchr(h, ',') ||
	    size == 0)
		return 0;
	h += 6;
	if (*h == '-') {                        /* the last N bytes */
		b = strtoull(h + 1, &end, 10);
		if (end == h + 1 || *end != '\0' || b == 0)
			return -1;
		*from = b >= size ? 0 : size - b;
		*to = size - 1;
		return 1;
	}
	a = strtoull(h, &end, 10);
	if (end == h || *end != '-')
		return 0;
	h = end + 1;
	if (*h == '\0') {
		b = size - 1;
	} else {
		b = strtoull(h, &end, 10);
		if (*end != '\0' || b < a)
			return 0;
		if (b >= size)
			b = size - 1;
	}
	if (a >= size)
		return -1;
	*from = a;
	*to = b;
	return 1;
}

/* A file from disk, streamed by libmicrohttpd from its descriptor, whole
 * or one byte range (players seek in videos that way; iOS needs it). */
static MHD_RESULT
send_file(struct MHD_Connection *conn, struct reqstate *st)
{
	struct MHD_Response *resp;
	struct stat sb;
	MHD_RESULT ret;
	uint64_t from = 0, to = 0;
	unsigned status = 200;
	char cr[96];
	int fd, range;

	fd = open(st->resp.file_path, O_RDONLY | O_CLOEXEC);
	/* A temporary download lives on in the open descriptor only. */
	if (st->resp.file_unlink)
		unlink(st->resp.file_path);
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		vg_error("file %s: %s", st->resp.file_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		st->resp.file_path = NULL;
		return send_page(conn, st, VG_ENOTFOUND);
	}
	range = byte_range(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_RANGE), (uint64_t)sb.st_size, &from, &to);
	if (range < 0) {
		close(fd);
		resp = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
		if (resp == NULL)
			return MHD_NO;
		snprintf(cr, sizeof(cr), "bytes */%llu",
		    (unsigned long long)sb.st_size);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
		status = 416;
	} else {
		if (range == 0) {
			from = 0;
			to = (uint64_t)sb.st_size - 1;
		} else {
			status = 206;
		}
		resp = sb.st_size == 0 ?
		    MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT) :
		    MHD_create_response_from_fd_at_offset64(to - from + 1, fd,
		    from);
		if (sb.st_size == 0)
			close(fd);
		if (resp == NULL) {
			close(fd);
			return MHD_NO;
		}
		if (status == 206) {
			snprintf(cr, sizeof(cr), "bytes %llu-%llu/%llu",
			    (unsigned long long)from, (unsigned long long)to,
			    (unsigned long long)sb.st_size);
			MHD_add_response_header(resp,
			    MHD_HTTP_HEADER_CONTENT_RANGE, cr);
		}
	}
	add_security_headers(resp, true);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
	if (st->resp.filename != NULL) {
		char cd[512];

		snprintf(cd, sizeof(cd), "attachment; filename=\"%s\"",
		    st->resp.filename);
		MHD_add_response_header(resp,
		    MHD_HTTP_HEADER_CONTENT_DISPOSITION, cd);
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    st->resp.content_type ? st->resp.content_type :
	    "application/octet-stream");
	st->status = status;
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static MHD_RESULT
send_asset(struct MHD_Connection *conn, struct reqstate *st)
{
	const struct vg_static_file *f = st->asset;
	const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH);
	struct MHD_Response *resp;
	MHD_RESULT ret;

	if (inm != NULL && strstr(inm, f->etag) != NULL) {
		resp = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
		if (resp == NULL)
			return MHD_NO;
		add_security_headers(resp, false);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, f->etag);
		st->status = 304;
		ret = MHD_queue_response(conn, 304, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	st->status = 200;
	return MHD_queue_response(conn, 200, f->response);
}

/* --- dispatch ------------------------------------------------------------ */

/* The visitor's throttling tag; the address itself goes no further. */
static const char *
client_tag(vg_arena *a, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	char tag[VG_TAG_CHARS + 1];
	const struct sockaddr *sa;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return "";
	if (sa->sa_family == AF_INET6)
		vg_client_tag(&((const struct sockaddr_in6 *)sa)->sin6_addr, 16,
		    tag);
	else
		vg_client_tag(&((const struct sockaddr_in *)sa)->sin_addr, 4,
		    tag);
	return vg_arena_strdup(a, tag);
}

const char *
vg_req_cookie(const vg_req *r, const char *name)
{
	if (r->priv == NULL)
		return NULL;
	return MHD_lookup_connection_value(r->priv, MHD_COOKIE_KIND, name);
}

static vg_rc
authorise(struct reqstate *st)
{
	vg_req *r = &st->req;
	const char *sent;

	if (strcmp(r->method, "POST") == 0 &&
	    !(st->route->flags & VG_ROUTE_NO_CSRF)) {
		sent = vg_form_get(r->form, "csrf");
		if (sent == NULL)
			sent = MHD_lookup_connection_value(r->priv,
			    MHD_HEADER_KIND, "X-CSRF-Token");
		if (!vg_csrf_check(r, sent))
			return VG_ECSRF;
	}
	return VG_OK;
}

static MHD_RESULT
dispatch(struct MHD_Connection *conn, struct reqstate *st)
{
	vg_req *r = &st->req;
	vg_resp *p = &st->resp;
	vg_rc rc;

	if (st->asset != NULL)
		return send_asset(conn, st);
	p->ctx = json_object();
	if (p->ctx == NULL)
		return MHD_NO;
	rc = st->early;
	if (rc == VG_OK)
		rc = authorise(st);
	/* A page for signed-in people: the browser goes to sign in. */
	if (rc == VG_EAUTH && !r->want_json) {
		p->redirect = "/connexion";
		return send_page(conn, st, VG_OK);
	}
	if (rc != VG_OK)
		return send_page(conn, st, rc);
	rc = st->route->handler(r, p);
	if (rc == VG_OK && p->file_path != NULL && (!r->want_json ||
	    p->file_unlink))
		return send_file(conn, st);
	if (p->file_path != NULL && p->file_unlink)
		unlink(p->file_path);
	return send_page(conn, st, rc);
}

/* --- setup --------------------------------------------------------------- */

struct query_ctx {
	vg_arena *arena;
	vg_form *form;
	vg_form_field **tail;
	bool bad;
};

static MHD_RESULT
query_field(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct query_ctx *q = cls;
	vg_form_field *f;

	VG_UNUSED(kind);
	if (value == NULL)
		value = "";
	if (q->form->count >= MAX_QUERY_FIELDS ||
	    strlen(value) > MAX_QUERY_VALUE || strlen(key) > 64 ||
	    !vg_utf8_valid_text(key, strlen(key)) ||
	    !vg_utf8_valid_text(value, strlen(value))) {
		q->bad = true;
		return MHD_NO;
	}
	f = vg_arena_calloc(q->arena, 1, sizeof(*f));
	if (f == NULL || (f->name = vg_arena_strdup(q->arena, key)) == NULL ||
	    (f->value = vg_arena_strdup(q->arena, value)) == NULL) {
		q->bad = true;
		return MHD_NO;
	}
	f->len = strlen(value);
	*q->tail = f;
	q->tail = &f->next;
	q->form->count++;
	return MHD_YES;
}

static bool
wants_json(struct MHD_Connection *conn)
{
	const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT);

	return accept != NULL && strstr(accept, "application/json") != NULL &&
	    strstr(accept, "text/html") == NULL;
}

static void
setup_body(struct MHD_Connection *conn, struct reqstate *st)
{
	const char *type, *len;
	char updir[1100];
	vg_form_limits lim;
	unsigned long long n;
	char *end;
	vg_rc rc;

	st->limit = st->route->max_body ? st->route->max_body :
	    DEFAULT_MAX_BODY;
	len = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (len != NULL) {
		errno = 0;
		n = strtoull(len, &end, 10);
		if (errno == 0 && *end == '\0' && n > st->limit) {
			st->early = VG_ETOOBIG;
			return;
		}
	}
	type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	if (type == NULL)
		return;         /* no body: an empty form */
	snprintf(updir, sizeof(updir), "%s/uploads/tmp", site->config->data);
	lim.max_fields = 64;
	lim.max_name = 64;
	lim.max_value = st->limit < MAX_TEXT_VALUE ? st->limit : MAX_TEXT_VALUE;
	lim.max_file = st->limit;
	lim.upload_dir = (st->route->flags & VG_ROUTE_FILES) ? updir : NULL;
	if (lim.upload_dir != NULL && site->memory_tmp != NULL &&
	    (st->route->flags & VG_ROUTE_FILES_MEMORY))
		lim.upload_dir = site->memory_tmp;
	rc = vg_form_parser_new(st->req.arena, type, &lim, &st->parser);
	if (rc != VG_OK)
		st->early = rc;
}

/* The visitor: throttling tag, anonymous CSRF cookie, session. */
static vg_rc
identify(struct MHD_Connection *conn, struct reqstate *st)
{
	vg_req *r = &st->req;
	vg_resp *p = &st->resp;
	const char *cookie;
	bool stale = false;
	vg_rc rc;

	r->client_tag = client_tag(r->arena, conn);
	cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND,
	    VG_COOKIE_CSRF);
	if (cookie != NULL)
		r->anon_cookie = vg_arena_strdup(r->arena, cookie);
	cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND,
	    VG_COOKIE_SESSION);
	if ((rc = vg_session_resolve(r, cookie, &stale)) != VG_OK)
		return rc;
	if (stale) {
		p->cookies[p->ncookies].name = VG_COOKIE_SESSION;
		p->cookies[p->ncookies++].value = NULL;
	}
	return VG_OK;
}

static struct reqstate *
setup(struct MHD_Connection *conn, const char *url, const char *method)
{
	struct reqstate *st;
	vg_arena *a;
	vg_req *r;
	struct query_ctx q;
	vg_form *query;
	char allow[64];
	vg_rc rc;

	if ((a = vg_arena_new()) == NULL)
		return NULL;
	st = vg_arena_calloc(a, 1, sizeof(*st));
	query = vg_arena_calloc(a, 1, sizeof(*query));
	if (st == NULL || query == NULL) {
		vg_arena_free(a);
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &st->start);
	r = &st->req;
	r->arena = a;
	r->site = site;
	r->priv = conn;
	r->form = &st->empty_form;
	r->query = query;
	r->want_json = wants_json(conn);
	r->method = strcmp(method, "HEAD") == 0 ? "GET" : method;
	r->path = vg_arena_strdup(a, url);
	if (r->path == NULL) {
		vg_arena_free(a);
		return NULL;
	}
	if (strlen(url) > MAX_PATH_BYTES ||
	    !vg_utf8_valid_text(url, strlen(url)) || url[0] != '/') {
		st->early = VG_EINVAL;
		return st;
	}
	q.arena = a;
	q.form = query;
	q.tail = &query->first;
	q.bad = false;
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_field, &q);
	if (q.bad) {
		st->early = VG_EINVAL;
		return st;
	}
	if (strncmp(url, "/static/", 8) == 0 && !strcmp(r->method, "GET")) {
		st->asset = vg_static_find(site->statics, url + 8);
		if (st->asset == NULL)
			st->early = VG_ENOTFOUND;
		return st;
	}
	st->pathbuf = vg_arena_alloc(a, strlen(url) + 1);
	if (st->pathbuf == NULL) {
		st->early = VG_ENOMEM;
		return st;
	}
	rc = vg_route_find(site->routes, site->nroutes, r->method, url,
	    st->pathbuf, r->params, &st->route, allow, sizeof(allow));
	if (rc != VG_OK) {
		st->early = rc;
		if (rc == VG_EMETHOD)
			st->early_allow = vg_arena_strdup(a, allow);
		return st;
	}
	/* Who is asking, before any body is read: a route for staff reads
	 * no byte of a body from someone who may not use it. */
	if ((rc = identify(conn, st)) != VG_OK) {
		st->early = rc;
		return st;
	}
	if (st->route->min_role > VG_ROLE_PUBLIC) {
		if (r->user == NULL)
			st->early = VG_EAUTH;
		else if (r->user->role < st->route->min_role)
			st->early = VG_EDENIED;
		if (st->early != VG_OK)
			return st;
	}
	if (strcmp(r->method, "POST") == 0)
		setup_body(conn, st);
	return st;
}

/* --- libmicrohttpd callbacks --------------------------------------------- */

static MHD_RESULT
on_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct reqstate *st = *con_cls;
	vg_rc rc;

	VG_UNUSED(cls);
	VG_UNUSED(version);
	if (st == NULL) {
		st = setup(conn, url, method);
		if (st == NULL)
			return MHD_NO;
		*con_cls = st;
		atomic_fetch_add(&in_flight, 1);
		/* A body announced too large is refused before it is read;
		 * libmicrohttpd then closes the connection. */
		if (st->early == VG_ETOOBIG)
			return dispatch(conn, st);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		st->received += n;
		if (st->early != VG_OK || st->parser == NULL) {
			if (st->early == VG_OK)
				st->early = VG_EMEDIA;
			return st->received > DISCARD_LIMIT ? MHD_NO : MHD_YES;
		}
		if (st->received > st->limit)
			rc = VG_ETOOBIG;
		else
			rc = vg_form_parser_feed(st->parser, upload_data, n);
		if (rc != VG_OK)
			st->early = rc;
		return MHD_YES;
	}
	if (st->parser != NULL && st->early == VG_OK) {
		vg_form *form;

		rc = vg_form_parser_finish(st->parser, &form);
		if (rc != VG_OK)
			st->early = rc;
		else
			st->req.form = form;
	}
	return dispatch(conn, st);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct reqstate *st = *con_cls;
	struct timespec end;
	double ms;

	VG_UNUSED(cls);
	VG_UNUSED(conn);
	VG_UNUSED(toe);
	if (st == NULL)
		return;
	if (site->config->access_log) {
		clock_gettime(CLOCK_MONOTONIC, &end);
		ms = (double)(end.tv_sec - st->start.tv_sec) * 1e3 +
		    (double)(end.tv_nsec - st->start.tv_nsec) / 1e6;
		/* No address, no user agent, no query string, not even the
		 * path: the route's pattern ("/ressources/:id") says what was
		 * asked without which sheet was read, and a path cannot
		 * inject lines into the log. */
		vg_info("%s %s %u %.1fms", st->req.method, st->route ?
		    st->route->pattern : st->asset ? "/static/*" : "-",
		    st->status, ms);
	}
	if (st->parser != NULL)
		vg_form_parser_cleanup(st->parser);
	json_decref(st->resp.ctx);
	vg_arena_free(st->req.arena);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

static void
on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	VG_UNUSED(cls);
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	vg_warn("http: %s", line);
}

/* --- serving ------------------------------------------------------------- */

/*
 * The background jobs: the daily one (the purge of old personal data),
 * once at start then every 24 hours, and the tick (watch fetches, paced
 * mail), every tick_seconds.  Each has its own thread, so a slow fetch
 * never delays the purge; both stop when the server stops.
 */
struct periodic {
	void (*fn)(const vg_site *);
	int seconds;
	pthread_t thread;
	bool started;
};

static void *
periodic_thread(void *arg)
{
	struct periodic *p = arg;
	struct timespec until;

	pthread_mutex_lock(&daily_lock);
	while (!daily_stopping) {
		pthread_mutex_unlock(&daily_lock);
		p->fn(site);
		vg_db_thread_close();
		pthread_mutex_lock(&daily_lock);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += p->seconds;
		while (!daily_stopping && pthread_cond_timedwait(&daily_stop,
		    &daily_lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&daily_lock);
	return NULL;
}

static void
periodic_start(struct periodic *p, void (*fn)(const vg_site *), int seconds)
{
	p->fn = fn;
	p->seconds = seconds > 0 ? seconds : 60;
	p->started = fn != NULL &&
	    pthread_create(&p->thread, NULL, periodic_thread, p) == 0;
}

bool
vg_server_stopping(void)
{
	bool stopping;

	pthread_mutex_lock(&daily_lock);
	stopping = daily_stopping;
	pthread_mutex_unlock(&daily_lock);
	return stopping;
}

static vg_rc
prepare_assets(void)
{
	size_t i;

	for (i = 0; i < site->statics->n; i++) {
		struct vg_static_file *f = &site->statics->files[i];
		struct MHD_Response *resp = MHD_create_response_from_buffer(
		    f->len, f->data, MHD_RESPMEM_PERSISTENT);

		if (resp == NULL)
			return VG_ENOMEM;
		add_security_headers(resp, false);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		    f->type);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, f->etag);
		/* URLs carry the asset version, so a year is safe. */
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
		    "public, max-age=31536000, immutable");
		f->response = resp;
	}
	return VG_OK;
}

static void
release_assets(void)
{
	size_t i;

	for (i = 0; i < site->statics->n; i++) {
		if (site->statics->files[i].response != NULL)
			MHD_destroy_response(site->statics->files[i].response);
		site->statics->files[i].response = NULL;
	}
}

/*
 * Let the work in progress finish before stopping: requests being handled,
 * and requests already sent on open connections but not yet read (they are
 * not "in flight" yet, and closing their connection would lose them; a POST
 * cannot be safely sent again).  Every response now says Connection: close,
 * so busy connections go away by themselves; idle keep-alive connections
 * would wait for their timeout, so a second of quiet ends the wait too.
 */
static void
drain(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *info;
	int tick, quiet = 0;

	for (tick = 0; tick < DRAIN_SECONDS * 100; tick++) {
		info = MHD_get_daemon_info(d,
		    MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (info != NULL && info->num_connections == 0)
			return;
		quiet = atomic_load(&in_flight) > 0 ? 0 : quiet + 1;
		if (quiet >= 100)
			return;
		usleep(10000);
	}
	vg_warn("%d requests still running after %d s: stopping anyway",
	    atomic_load(&in_flight), DRAIN_SECONDS);
}

static int
bound_port(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *info;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD);
	if (info == NULL || getsockname(info->listen_fd,
	    (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* Every connection is welcome, except once the server is stopping. */
static MHD_RESULT
accept_policy(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	(void)cls;
	(void)addr;
	(void)addrlen;
	return atomic_load(&draining) ? MHD_NO : MHD_YES;
}

vg_rc
vg_http_serve(const vg_site *s)
{
	struct MHD_Daemon *d = NULL;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr *sa;
	char addr[256];
	unsigned port;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG |
	    MHD_USE_ITC;
	unsigned threads;
	sigset_t set;
	struct periodic daily = {.started = false}, tick = {.started = false};
	int sig;
	vg_rc rc = VG_EIO;

	site = s;
	if (vg_config_split_listen(s->config->listen, addr, sizeof(addr),
	    &port) != VG_OK)
		return VG_EINVAL;
	memset(&sin, 0, sizeof(sin));
	memset(&sin6, 0, sizeof(sin6));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)port);
		sa = (struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)port);
		sa = (struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, _("vigie : adresse d'écoute invalide « %s »\n"),
		    addr);
		return VG_EINVAL;
	}
	threads = s->config->threads > 0 ? (unsigned)s->config->threads :
	    (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;

	/* Worker threads inherit this mask: only the main thread takes the
	 * stop signals, in sigwait() below. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (prepare_assets() != VG_OK)
		goto out;
	periodic_start(&daily, s->daily, 24 * 3600);
	periodic_start(&tick, s->tick, s->tick_seconds);
	d = MHD_start_daemon(flags, (uint16_t)port, accept_policy, NULL,
	    on_access, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
	    MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)s->config->connection_timeout,
	    MHD_OPTION_CONNECTION_LIMIT, 4096u,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, _("vigie : impossible d'écouter sur %s (%s)\n"),
		    s->config->listen, strerror(errno));
		goto out;
	}
	printf(_("Vigie est en service sur http://%s%s%s:%d/\n"),
	    strchr(addr, ':') ? "[" : "", addr, strchr(addr, ':') ? "]" : "",
	    bound_port(d));
	fflush(stdout);

	while (sigwait(&set, &sig) != 0)
		;
	vg_info("signal %d: stopping; finishing requests in flight", sig);
	/* From now on accept_policy() closes each new connection at once.
	 * MHD_quiesce_daemon() would stop listening instead, but on an
	 * epoll daemon with its own threads it races with the workers'
	 * own removal of the listening socket, and the loser aborts the
	 * process ("Failed to remove listen FD from epoll set": an open
	 * defect of libmicrohttpd, seen here once in a few runs). */
	atomic_store(&draining, true);
	drain(d);
	MHD_stop_daemon(d);
	vg_info("stopped");
	rc = VG_OK;
out:
	pthread_mutex_lock(&daily_lock);
	daily_stopping = true;
	pthread_cond_broadcast(&daily_stop);
	pthread_mutex_unlock(&daily_lock);
	if (daily.started)
		pthread_join(daily.thread, NULL);
	if (tick.started)
		pthread_join(tick.thread, NULL);
	release_assets();
	return rc;
}
