/*
 * mail.h — e-mail over SMTP with libcurl: a plain-text message, or a
 * multipart/alternative one (text and HTML) with extra headers such as
 * List-Unsubscribe.
 *
 * The server's settings (TLS, STARTTLS, authentication) come from the
 * configuration, so that every mail Vigie sends uses them.
 */
#ifndef VG_MAIL_H
#define VG_MAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/vg.h"

/* How to reach the SMTP server (strings borrowed). */
typedef struct vg_smtp {
	const char *url;          /* "smtp://host:port" or "smtps://…" */
	const char *user;         /* AUTH, or NULL / "" for none */
	const char *password;
	const char *ca_file;      /* CA bundle for TLS, or NULL: the system's */
	bool starttls;            /* require STARTTLS on smtp:// */
	long timeout;             /* seconds for the whole transaction */
} vg_smtp;

/* One message (strings borrowed, UTF-8). */
typedef struct vg_mail {
	const char *from;         /* address */
	const char *from_name;    /* display name, or NULL */
	const char *to;
	const char *subject;
	const char *text;         /* the text/plain part */
	const char *html;         /* the text/html part, or NULL: text only */
	const char *const *headers; /* extra "Name: value" lines, NULL-ended,
	                               or NULL */
	const char *id_domain;    /* the Message-ID's right part, or NULL:
	                             the From's domain */
} vg_mail;

/* The settings of c (smtp_url, smtp_user…), borrowing its strings. */
void vg_smtp_from_config(const vg_config *c, vg_smtp *out);

/* Whether an address may go into a header and an SMTP envelope: one @,
 * no white space, no <>,;:"()[]\, at most 254 bytes. */
bool vg_mail_address_ok(const char *s);

/* Append the message m to out as it goes on the wire: headers (the
 * subject and display name encoded by RFC 2047, folded), a Date and a
 * Message-ID, then the body in quoted-printable, lines ending in CRLF.
 * VG_EINVAL when an address or a header would break the message. */
vg_rc vg_mail_format(const vg_mail *m, vg_buf *out);

/* Send m through s.  *reply (may be NULL) gets the server's last reply
 * code (550 when a recipient is refused, 535 for a bad password), 0 when
 * none came (no connection).  VG_EINVAL for a malformed message, VG_EIO
 * with the reason in err when the server refuses or cannot be reached. */
vg_rc vg_mail_deliver(const vg_smtp *s, const vg_mail *m, int *reply,
    char *err, size_t errlen);

/* A plain-text mail with the server and sender of c (notifier_email,
 * notifier_name): what the areas' notices use. */
vg_rc vg_mail_send_config(const vg_config *c, const char *to,
    const char *subject, const char *body, char *err, size_t errlen);

/* Send body (UTF-8 text) from `from` to `to` through the SMTP server at
 * url, without authentication.  Kept for callers that have no
 * configuration at hand. */
vg_rc vg_mail_send(const char *url, const char *from, const char *to,
    const char *subject, const char *body, char *err, size_t errlen);

#endif
