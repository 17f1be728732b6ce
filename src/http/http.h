/*
 * http.h — what an area sees of HTTP: the request, the response it fills,
 * and the route table it exports.
 *
 * A handler parses its declared inputs from the request, calls its area's
 * logic, and fills resp->ctx (one jansson object).  The server then writes
 * that context as JSON when the client asked for application/json, or as
 * HTML with resp->tmpl inside the layout.  A handler that fails returns a
 * vg_rc, usually through vg_fail() with a French message; the mapping of
 * codes to statuses lives in one place (status.c).
 *
 * Authorisation (the route's minimum role) and CSRF (every POST) are
 * checked before the handler runs; a handler never checks them again.
 */
#ifndef VG_HTTP_H
#define VG_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/vg.h"
#include "http/form.h"
#include "render/tmpl.h"

#define VG_MAX_PARAMS 4
#define VG_MAX_COOKIES 4

/* Roles, in increasing order of trust: a route's minimum role is met by
 * that role and every role above it. */
typedef enum vg_role {
	VG_ROLE_PUBLIC = 0,     /* anyone, no account */
	VG_ROLE_PROFESSIONAL,
	VG_ROLE_ANALYST,
	VG_ROLE_EDITOR,
	VG_ROLE_ADMIN,
	VG_ROLE_COUNT
} vg_role;

/* "public", "professional"…; NULL for an out-of-range value. */
const char *vg_role_name(vg_role role);
/* The role's name for people, in French (through gettext). */
const char *vg_role_label(vg_role role);
/* The role named s, or -1. */
int vg_role_parse(const char *s);

/* The signed-in user, loaded for the request (borrowed from its arena). */
typedef struct vg_user {
	int64_t id;
	vg_role role;
	const char *email;
	const char *name;
} vg_user;

struct vg_site;

typedef struct vg_req {
	vg_arena *arena;          /* freed when the request completes */
	const struct vg_site *site;
	const char *method;       /* "GET", "POST"… ("GET" for HEAD) */
	const char *path;         /* without the query string */
	const char *params[VG_MAX_PARAMS]; /* ":name" parts of the pattern */
	const vg_form *query;     /* the query string, parsed (never NULL) */
	const vg_form *form;      /* the POST body, parsed (never NULL) */
	bool want_json;           /* Accept: application/json */
	const vg_user *user;      /* NULL when anonymous */
	const char *session;      /* the session token, or NULL */
	const char *csrf;         /* this visitor's CSRF token, or NULL
	                             until vg_req_csrf() makes one */
	const char *anon_cookie;  /* the anonymous CSRF cookie, or NULL */
	bool new_anon_cookie;     /* anon_cookie must be set in the response */
	const char *client_tag;   /* this visitor for rate limits only: a hash
	                             of its address with a daily salt kept in
	                             memory (throttle.h); never store it */
	void *priv;               /* the server's own state */
} vg_req;

typedef struct vg_cookie {
	const char *name;
	const char *value;        /* NULL: delete the cookie */
	const char *path;         /* NULL: "/" */
} vg_cookie;

typedef struct vg_resp {
	int status;               /* 0: 200, or the status of the error */
	const char *tmpl;         /* page template; NULL on error: "error" */
	json_t *ctx;              /* the page's context (owned by the server) */
	const char *redirect;     /* HTML: 303 See Other to this path */
	const char *message;      /* the French message of an error */
	const char *field;        /* the form field an error is about */
	                          /* (an array "errors" in ctx, when several
	                             were found at once, goes with a JSON
	                             error as error.details) */
	vg_cookie cookies[VG_MAX_COOKIES];
	int ncookies;
	/* A download instead of a page: body in the arena. */
	const char *body;
	size_t body_len;
	const char *content_type;
	const char *filename;     /* Content-Disposition: attachment */
	/* Or a file sent from disk, never read into memory. */
	const char *file_path;
	bool file_unlink;         /* a temporary download: removed once
	                             opened, sent whatever the Accept header */
} vg_resp;

typedef vg_rc (*vg_handler)(vg_req *r, vg_resp *resp);

enum {
	VG_ROUTE_FILES = 1 << 0,  /* multipart file parts are accepted */
	VG_ROUTE_NO_CSRF = 1 << 1, /* POST without a CSRF token (none yet) */
	VG_ROUTE_FILES_MEMORY = 1 << 2 /* with FILES: the parts go to
	                                  site->memory_tmp when there is one */
};

typedef struct vg_route {
	const char *method;       /* "GET" or "POST" */
	const char *pattern;      /* "/admin/comptes/:id" */
	vg_handler handler;
	vg_role min_role;
	size_t max_body;          /* POST: bytes accepted; 0: 16 KiB */
	unsigned flags;
} vg_route;

/* Loads the signed-in user of a session (the accounts area provides it):
 * VG_OK and *out (allocated in a), VG_ENOTFOUND when the user is gone or
 * disabled. */
typedef vg_rc (*vg_user_loader)(vg_arena *a, int64_t user_id,
    vg_user **out);

/* Everything the server needs, built at start and read-only after. */
typedef struct vg_site {
	const vg_config *config;
	const vg_keys *keys;
	const vg_tmpl_set *templates;
	const vg_route *routes;
	size_t nroutes;
	vg_user_loader load_user;
	void (*daily)(const struct vg_site *); /* run at start, then daily */
	void (*tick)(const struct vg_site *);  /* run every tick_seconds, from
	                                          its own thread: short work
	                                          (watch fetches, paced mail) */
	int tick_seconds;
	const char *memory_tmp;   /* a private folder on a tmpfs, or NULL */
	json_t *globals;          /* values every template sees (site name…) */
	struct vg_static *statics;
	const char *asset_version;
} vg_site;

/* Set the error message (French, through _()) and return rc, so that a
 * handler writes `return vg_fail(resp, VG_EINVAL, _("…"), "field");`. */
vg_rc vg_fail(vg_resp *resp, vg_rc rc, const char *message,
    const char *field);

/* Make the bytes of b (which is emptied) the response body, a download of
 * that content type (filename, may be NULL: shown inline).  VG_ENOMEM
 * when b failed. */
vg_rc vg_resp_body(vg_req *r, vg_resp *resp, vg_buf *b, const char *type,
    const char *filename);

/* The CSRF token this visitor's forms must carry, made on first use
 * (borrowed from the request arena). */
const char *vg_req_csrf(vg_req *r);

/* The value of the request's cookie name, or NULL (an area's own cookie;
 * the server resolves its session and CSRF cookies itself). */
const char *vg_req_cookie(const vg_req *r, const char *name);

/* The path parameter i, checked as a positive integer; -1 when it is not. */
int64_t vg_req_param_id(const vg_req *r, int i);

/* Read the declared text field `name` of the form (of the query string for
 * a GET), trimmed of surrounding white space, into *out (NULL when absent
 * or empty).  VG_EINVAL, with the message set on resp, when it is required
 * and missing or longer than max_chars characters. */
vg_rc vg_req_text(vg_req *r, vg_resp *resp, const char *name,
    size_t max_chars, bool required, const char **out);

/* Start a session for user_id: a fresh token in the cookie, replacing any
 * earlier one (renewal at login). */
vg_rc vg_session_start(vg_req *r, vg_resp *resp, int64_t user_id);

/* End the current session, if any, and delete its cookie. */
vg_rc vg_session_end(vg_req *r, vg_resp *resp);

/* Remove every session of a user (password change, account disabled). */
vg_rc vg_session_end_all(int64_t user_id);

/* --- the server ----------------------------------------------------------- */

/* Load every file of dir into memory to be served under /static/ with an
 * ETag; *version is a short hash of them all, for cache-busting URLs. */
vg_rc vg_static_load(const char *dir, struct vg_static **out,
    char **version);
void vg_static_free(struct vg_static *s);

/* Serve site until SIGTERM or SIGINT, then stop accepting, let requests in
 * flight finish (at most 10 seconds), and return.  VG_EIO when the address
 * cannot be bound. */
vg_rc vg_http_serve(const vg_site *site);

/* True once the server has been asked to stop: long background work (a
 * round of fetches, a paced sending) checks it between two steps. */
bool vg_server_stopping(void);

#endif
