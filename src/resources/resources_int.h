/*
 * resources_int.h — shared between the resource centre's files only.
 */
#ifndef VG_RESOURCES_INT_H
#define VG_RESOURCES_INT_H

#include "db/db.h"
#include "resources/resources.h"

struct resource_input {
	const char *slug, *title, *summary, *audience, *kind, *themes;
	const char *body, *video, *updated;
	int published;
	/* The attached file: kept (FILE_KEEP), replaced or removed in the
	 * same transaction; the replaced file's name comes back in
	 * old_file for the caller to unlink once committed. */
	enum { FILE_KEEP, FILE_SET, FILE_REMOVE } file_op;
	const char *file_name, *file_type;
	int64_t file_size;
	char old_file[128];
};

extern const char *const resources_kinds[];

const char *resources_kind_label(const char *kind);
bool resources_valid_slug(const char *s);
char *resources_plain(const char *md);          /* caller frees */
char *resources_themes_text(json_t *list);      /* caller frees */

/* Check a resource's fields: VG_EINVAL with a French reason and the
 * field's name. */
vg_rc resources_check_fields(const char *title, const char *summary,
    const char *audience, const char *kind, json_t *theme_list,
    const char *updated, const char *video, const char **why,
    const char **field);

/* Create (id 0) or update a resource and record the version, in one
 * transaction.  author 0: loaded from content/. */
vg_rc resources_save(int64_t id, struct resource_input *in,
    int64_t author, int64_t *out_id);

/* A row of (id, slug, title, summary, audience, kind, themes, updated_on,
 * published) as a new object for templates. */
json_t *resources_row_json(vg_stmt *st);

#endif
