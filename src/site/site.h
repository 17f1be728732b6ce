/*
 * site.h — the public pages that belong to no area: the home page, and the
 * editorial pages (legal notices, accessibility, privacy) written in
 * Markdown under content/pages/.  The home page's emergency numbers are
 * the contacts of content/contacts.yaml that have a rank "accueil".
 */
#ifndef VG_SITE_H
#define VG_SITE_H

#include <stddef.h>

#include "http/http.h"

/* Load the content under share/content.  VG_EINVAL with "file:line: …"
 * (French) in err when a file is wrong. */
vg_rc site_content_load(const char *share, char *err, size_t errlen);
void site_content_free(void);

const vg_route *site_routes(size_t *n);

#endif
