/*
 * mail.h — sending one plain-text e-mail over SMTP with libcurl.
 */
#ifndef VG_MAIL_H
#define VG_MAIL_H

#include <stddef.h>

#include "core/vg.h"

/* Send body (UTF-8 text) from `from` to `to` through the SMTP server at
 * url ("smtp://host:port", or "smtps://…").  The subject is encoded for
 * headers (RFC 2047).  VG_EINVAL when an address would break the headers;
 * VG_EIO with libcurl's reason in err when the server refuses or cannot be
 * reached (20 seconds at most). */
vg_rc vg_mail_send(const char *url, const char *from, const char *to,
    const char *subject, const char *body, char *err, size_t errlen);

#endif
