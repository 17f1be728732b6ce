/*
 * session.h — the server's side of sessions and CSRF (the areas use the
 * functions declared in http.h).
 */
#ifndef VG_SESSION_H
#define VG_SESSION_H

#include "http/http.h"

#define VG_COOKIE_SESSION "vigie_session"
#define VG_COOKIE_CSRF "vigie_csrf"

/* Resolve the session cookie (may be NULL) into r->user and r->session.
 * An unknown or expired session is not an error: the visitor is simply
 * anonymous, and *stale says the cookie should be deleted. */
vg_rc vg_session_resolve(vg_req *r, const char *cookie, bool *stale);

/* Whether the CSRF token sent with a POST is the visitor's. */
bool vg_csrf_check(vg_req *r, const char *sent);

#endif
