/*
 * resources.h — the resource centre: practical sheets, guides, letter
 * templates and videos, for the public or for professionals only.
 *
 * The starter sheets are Markdown files with a YAML front matter under
 * content/resources/; those missing from the database are added at start,
 * after which editors own them in the web interface (each save keeps a
 * version).  Professional resources are never listed, found or served to
 * someone without a professional account.
 */
#ifndef VG_RESOURCES_H
#define VG_RESOURCES_H

#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"

/* Check every file of share/content/resources (front matter, audience,
 * kind, themes) and load the theme vocabulary.  VG_EINVAL with
 * "file:line: message" (French) in err.  Nothing is written. */
vg_rc resources_content_check(const char *share, char *err, size_t errlen);

/* Add to the database the content files whose slug it does not have yet
 * (after resources_content_check).  *added counts them. */
vg_rc resources_content_sync(const char *share, int *added, char *err,
    size_t errlen);

void resources_content_free(void);

/* Whether a content file or a database row has this slug (the orientation
 * tree checks its references with it). */
bool resources_slug_known(const char *slug);

/* The published resource of that slug visible at that role, as a new
 * object {id, title, url, audience}; VG_ENOTFOUND when hidden or absent. */
vg_rc resources_lookup(const char *slug, vg_role role, json_t **out);

/* Full-text search (French, accents and endings ignored) of published
 * resources visible at role, with optional filters (NULL: any).  *out is
 * a new array of {id, title, summary, kind, audience, themes, url,
 * excerpt: [{text, hit}]}, best first. */
vg_rc resources_search(const char *query, const char *theme, const char *kind,
    const char *audience, vg_role role, json_t **out);

/* The theme vocabulary (content/resources/themes.yaml), shared by the
 * areas that tag things by theme: an array of {code, label}, borrowed. */
json_t *resources_themes(void);

/* The label of a theme code, or NULL when it is not one (or NULL). */
const char *resources_theme_label(const char *code);

const vg_route *resources_routes(size_t *n);

/* The public resources published since t (Unix seconds), newest first,
 * at most 20, as a new array of {id, title, summary, kind_label, url}
 * (for the newsletter). */
vg_rc resources_new_since(int64_t t, json_t **out);

#endif
