/*
 * routes.c — the resource centre over HTTP.
 *
 * Searches are POST forms: what a person looks for ("logiciel espion")
 * must not stay in the browser's history.  Resource pages are addressed by
 * number and titled discreetly for the same reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/crypto.h"

#include "core/i18n.h"
#include "core/when.h"
#include "render/page.h"
#include "resources/resources_int.h"

#define SEARCH_BODY (4 * 1024)

static const char q_get[] =
    "SELECT id, slug, title, summary, audience, kind, themes, updated_on, "
    "published, body, video_url, file_name, file_type, file_size "
    "FROM resources WHERE id = ?";

/* Files an editor may attach, recognised by their first bytes, never by
 * the name or type the browser claims. */
static const struct {
	const char *magic;
	size_t at, len;
	const char *ext, *type, *what;
} file_kinds[] = {
	{"%PDF-", 0, 5, "pdf", "application/pdf", "document"},
	{"ftyp", 4, 4, "mp4", "video/mp4", "video"},
	{"\x1a\x45\xdf\xa3", 0, 4, "webm", "video/webm", "video"},
	{"ID3", 0, 3, "mp3", "audio/mpeg", "audio"},
	{"OggS", 0, 4, "ogg", "audio/ogg", "audio"},
};

#define RESOURCE_FILE_MAX ((size_t)200 * 1024 * 1024)

static int
sniff(const char *path)
{
	unsigned char head[16];
	size_t n = 0, i;
	FILE *f = fopen(path, "rb");

	if (f != NULL) {
		n = fread(head, 1, sizeof(head), f);
		fclose(f);
	}
	for (i = 0; i < VG_ARRAY_LEN(file_kinds); i++)
		if (n >= file_kinds[i].at + file_kinds[i].len &&
		    memcmp(head + file_kinds[i].at, file_kinds[i].magic,
		    file_kinds[i].len) == 0)
			return (int)i;
	return -1;
}

static const char *
file_what(const char *type)
{
	size_t i;

	for (i = 0; i < VG_ARRAY_LEN(file_kinds); i++)
		if (type != NULL && !strcmp(type, file_kinds[i].type))
			return file_kinds[i].what;
	return "document";
}

static bool
is_pro(const vg_req *r)
{
	return r->user != NULL && r->user->role >= VG_ROLE_PROFESSIONAL;
}

/* The filters of the search form, with the current choice marked. */
static void
filters(vg_req *r, vg_resp *resp, const char *theme, const char *kind,
    const char *audience)
{
	json_t *t = json_array(), *k = json_array(), *a = json_array(), *o;
	size_t i;

	json_array_foreach(resources_themes(), i, o) {
		const char *code = json_string_value(json_object_get(o, "code"));

		json_array_append_new(t, json_pack("{s:s, s:O, s:b}", "code",
		    code, "label", json_object_get(o, "label"),
		    "selected", theme && !strcmp(theme, code)));
	}
	for (i = 0; resources_kinds[i] != NULL; i++)
		json_array_append_new(k, json_pack("{s:s, s:s, s:b}", "code",
		    resources_kinds[i], "label",
		    resources_kind_label(resources_kinds[i]), "selected",
		    kind && !strcmp(kind, resources_kinds[i])));
	if (is_pro(r)) {
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code",
		    "public", "label", _("Tout public"), "selected",
		    audience && !strcmp(audience, "public")));
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code",
		    "professional", "label", _("Professionnel·les"),
		    "selected", audience && !strcmp(audience, "professional")));
	}
	json_object_set_new(resp->ctx, "themes", t);
	json_object_set_new(resp->ctx, "kinds", k);
	json_object_set_new(resp->ctx, "audiences", a);
}

static vg_rc
list_or_search(vg_req *r, vg_resp *resp, const char *q, const char *theme,
    const char *kind, const char *audience)
{
	json_t *results;
	vg_rc rc;

	resp->tmpl = "resources";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Ressources")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	filters(r, resp, theme, kind, audience);
	rc = resources_search(q, theme, kind, audience,
	    r->user ? r->user->role : VG_ROLE_PUBLIC, &results);
	if (rc != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "total",
	    json_integer((json_int_t)json_array_size(results)));
	json_object_set_new(resp->ctx, "results", results);
	if (q != NULL)
		json_object_set_new(resp->ctx, "query", json_string(q));
	json_object_set_new(resp->ctx, "searched", json_boolean(q || theme ||
	    kind || audience));
	return VG_OK;
}

static vg_rc
list_page(vg_req *r, vg_resp *resp)
{
	return list_or_search(r, resp, NULL, NULL, NULL, NULL);
}

/* A filter value must be one of the offered codes: anything else is
 * ignored, as the form could not have sent it. */
static const char *
known(const char *v, bool (*ok)(const char *))
{
	return v != NULL && ok(v) ? v : NULL;
}

static bool
ok_theme(const char *v)
{
	return resources_theme_label(v) != NULL;
}

static bool
ok_kind(const char *v)
{
	return strcmp(resources_kind_label(v), v) != 0;
}

static bool
ok_audience(const char *v)
{
	return !strcmp(v, "public") || !strcmp(v, "professional");
}

static vg_rc
search(vg_req *r, vg_resp *resp)
{
	const char *q, *theme, *kind, *audience;
	vg_rc rc;

	if ((rc = vg_req_text(r, resp, "q", 200, false, &q)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "theme", 40, false, &theme)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "kind", 20, false, &kind)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "audience", 20, false, &audience)) !=
	    VG_OK) {
		list_or_search(r, resp, NULL, NULL, NULL, NULL);
		return rc;
	}
	theme = known(theme, ok_theme);
	kind = known(kind, ok_kind);
	audience = is_pro(r) ? known(audience, ok_audience) : NULL;
	return list_or_search(r, resp, q, theme, kind, audience);
}

/* The resource of path parameter 0, as its row, if this visitor may see
 * it (editors see unpublished ones). */
static vg_rc
load(vg_req *r, bool editor_view, json_t **out, char **body, char **video)
{
	int64_t id = vg_req_param_id(r, 0);
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (id < 0)
		return VG_ENOTFOUND;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q_get, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	rc = vg_stmt_step(st, &row);
	if (rc == VG_OK && row) {
		bool pro_only = !strcmp(vg_stmt_text(st, 4), "professional");
		bool published = vg_stmt_int(st, 8) != 0;

		/* Hidden resources are "not found", not "forbidden": their
		 * existence is not told either. */
		if ((editor_view || (published && (!pro_only || is_pro(r))))) {
			*out = resources_row_json(st);
			*body = vg_arena_strdup(r->arena, vg_stmt_text(st, 9));
			*video = vg_stmt_is_null(st, 10) ? NULL :
			    vg_arena_strdup(r->arena, vg_stmt_text(st, 10));
			if (*out != NULL && !vg_stmt_is_null(st, 11)) {
				char url[64];
				int64_t size = vg_stmt_int(st, 13);

				snprintf(url, sizeof(url), "/ressources/%lld/"
				    "fichier", (long long)id);
				json_object_set_new(*out, "file", json_pack(
				    "{s:s, s:s, s:s, s:s, s:s, s:I}", "name",
				    vg_stmt_text(st, 11), "type",
				    vg_stmt_text(st, 12), "url", url,
				    file_what(vg_stmt_text(st, 12)), "yes",
				    "size_label", size >= 1024 * 1024 ?
				    vg_arena_printf(r->arena, "%.1f Mo",
				    (double)size / (1024.0 * 1024.0)) :
				    vg_arena_printf(r->arena, "%lld ko",
				    (long long)(size / 1024 + 1)),
				    "size", (json_int_t)size));
			}
		}
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	return *out ? VG_OK : VG_ENOTFOUND;
}

static vg_rc
show(vg_req *r, vg_resp *resp)
{
	json_t *res;
	char *body, *video, *html;
	vg_rc rc;

	if ((rc = load(r, false, &res, &body, &video)) != VG_OK)
		return rc;
	html = vg_markdown_html(body, strlen(body));
	if (html == NULL) {
		json_decref(res);
		return VG_ENOMEM;
	}
	json_object_set_new(res, "html", json_string(html));
	free(html);
	if (video != NULL)
		json_object_set_new(res, "video", json_string(video));
	resp->tmpl = "resource";
	/* A discreet title: it stays in the browser's history. */
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Fiche pratique")));
	json_object_set_new(resp->ctx, "resource", res);
	return VG_OK;
}

static vg_rc
file(vg_req *r, vg_resp *resp)
{
	json_t *res, *f;
	char *body, *video;
	vg_rc rc;

	if ((rc = load(r, r->user && r->user->role >= VG_ROLE_EDITOR, &res,
	    &body, &video)) != VG_OK)
		return rc;
	f = json_object_get(res, "file");
	if (f == NULL) {
		json_decref(res);
		return VG_ENOTFOUND;
	}
	resp->file_path = vg_arena_printf(r->arena, "%s/uploads/resources/%s",
	    r->site->config->data, json_string_value(json_object_get(f,
	    "name")));
	resp->content_type = vg_arena_strdup(r->arena, json_string_value(
	    json_object_get(f, "type")));
	json_object_set(resp->ctx, "file", f);
	json_decref(res);
	return resp->file_path && resp->content_type ? VG_OK : VG_ENOMEM;
}

/* --- Atom feed -------------------------------------------------------- */

static vg_rc
feed(vg_req *r, vg_resp *resp)
{
	static const char q[] =
	    "SELECT id, slug, title, summary, audience, kind, themes, "
	    "updated_on, published, created_at FROM resources "
	    "WHERE published = 1 AND audience = 'public' "
	    "ORDER BY created_at DESC, id DESC LIMIT 30";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *entries = json_array(), *ctx = NULL, *stack[2];
	vg_buf out = VG_BUF_INIT;
	bool row;
	vg_rc rc;

	if (db == NULL || entries == NULL) {
		json_decref(entries);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(entries);
		return rc;
	}
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		json_t *o = resources_row_json(st);
		char stamp[32];

		vg_time_text(vg_stmt_int(st, 9), "%Y-%m-%dT%H:%M:%SZ", stamp,
		    sizeof(stamp));
		json_object_set_new(o, "published_at", json_string(stamp));
		snprintf(stamp, sizeof(stamp), "%sT00:00:00Z",
		    json_string_value(json_object_get(o, "updated")));
		json_object_set_new(o, "updated_at", json_string(stamp));
		json_array_append_new(entries, o);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(entries);
		return rc;
	}
	ctx = json_pack("{s:o, s:s}", "entries", entries, "feed_updated",
	    json_array_size(entries) ? json_string_value(json_object_get(
	    json_array_get(entries, 0), "published_at")) :
	    "2026-01-01T00:00:00Z");
	stack[0] = r->site->globals;
	stack[1] = ctx;
	rc = vg_tmpl_render(r->site->templates, "atom_feed", stack, 2, &out);
	json_decref(ctx);
	if (rc != VG_OK) {
		vg_buf_free(&out);
		return rc == VG_ENOMEM ? rc : VG_EINTERNAL;
	}
	return vg_resp_body(r, resp, &out, "application/atom+xml; charset=utf-8",
	    NULL);
}

/* --- editors ------------------------------------------------------------ */

static vg_rc
admin_list(vg_req *r, vg_resp *resp)
{
	static const char q[] =
	    "SELECT id, slug, title, summary, audience, kind, themes, "
	    "updated_on, published FROM resources ORDER BY title";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		json_array_append_new(list, resources_row_json(st));
	vg_stmt_done(st);
	json_object_set_new(resp->ctx, "resources", list);
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Gérer les ressources")));
	resp->tmpl = "admin_resources";
	return rc;
}

/* The edit form's context: values, and every choice with its state. */
static void
edit_form(vg_req *r, vg_resp *resp, json_t *values, int64_t id)
{
	json_t *t = json_array(), *k = json_array(), *o;
	json_t *chosen = json_object_get(values, "themes");
	const char *kind = json_string_value(json_object_get(values, "kind"));
	size_t i, j;

	json_array_foreach(resources_themes(), i, o) {
		const char *code = json_string_value(json_object_get(o, "code"));
		bool on = false;
		json_t *c;

		json_array_foreach(chosen, j, c) {
			const char *v = json_is_object(c) ? json_string_value(
			    json_object_get(c, "code")) : json_string_value(c);

			if (v != NULL && !strcmp(v, code))
				on = true;
		}
		json_array_append_new(t, json_pack("{s:s, s:O, s:b}", "code",
		    code, "label", json_object_get(o, "label"), "checked", on));
	}
	for (i = 0; resources_kinds[i] != NULL; i++)
		json_array_append_new(k, json_pack("{s:s, s:s, s:b}", "code",
		    resources_kinds[i], "label",
		    resources_kind_label(resources_kinds[i]), "selected",
		    kind && !strcmp(kind, resources_kinds[i])));
	json_object_set_new(resp->ctx, "values", values);
	json_object_set_new(resp->ctx, "theme_choices", t);
	json_object_set_new(resp->ctx, "kind_choices", k);
	json_object_set_new(resp->ctx, "is_professional", json_boolean(
	    !strcmp(json_string_value(json_object_get(values, "audience")) ?
	    json_string_value(json_object_get(values, "audience")) : "",
	    "professional")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	if (id > 0) {
		json_object_set_new(resp->ctx, "id", json_integer(id));
		json_object_set_new(resp->ctx, "title",
		    json_string(_("Modifier une ressource")));
	} else {
		json_object_set_new(resp->ctx, "title",
		    json_string(_("Nouvelle ressource")));
	}
	resp->tmpl = "admin_resource_edit";
}

static vg_rc
admin_new(vg_req *r, vg_resp *resp)
{
	char today[16];

	vg_time_text(time(NULL), "%Y-%m-%d", today, sizeof(today));
	edit_form(r, resp, json_pack("{s:s, s:s, s:s, s:[]}", "audience",
	    "public", "kind", "fiche", "updated", today, "themes"), 0);
	return VG_OK;
}

static vg_rc
admin_edit(vg_req *r, vg_resp *resp)
{
	json_t *res;
	char *body, *video;
	vg_rc rc;

	if ((rc = load(r, true, &res, &body, &video)) != VG_OK)
		return rc;
	json_object_set_new(res, "body", json_string(body));
	if (video != NULL)
		json_object_set_new(res, "video", json_string(video));
	edit_form(r, resp, res, json_integer_value(json_object_get(res, "id")));
	return VG_OK;
}

/* Create (id 0) or save the posted form; "apercu" only shows it. */
static vg_rc
admin_save_common(vg_req *r, vg_resp *resp, int64_t id)
{
	static const struct {
		const char *name;
		size_t max;
	} fields[] = {
		{"slug", 80}, {"title", 200}, {"summary", 600},
		{"audience", 20}, {"kind", 20}, {"updated", 10},
		{"video", 500}, {"body", 100000}, {"action", 20},
	};
	const char *v[VG_ARRAY_LEN(fields)];
	json_t *values = json_object(), *theme_list = json_array();
	const vg_form_field *f;
	const char *why, *field;
	struct resource_input in;
	char *themes_text;
	const vg_form_field *upload;
	const char *dir, *new_path = NULL;
	int kind_index = -1;
	size_t i;
	int64_t new_id;
	vg_rc rc = VG_OK;

	for (i = 0; i < VG_ARRAY_LEN(fields); i++) {
		vg_rc frc = vg_req_text(r, resp, fields[i].name, fields[i].max,
		    false, &v[i]);

		if (v[i] != NULL)
			json_object_set_new(values, fields[i].name,
			    json_string(v[i]));
		if (frc != VG_OK && rc == VG_OK)
			rc = frc;
	}
	for (f = r->form->first; f != NULL; f = f->next)
		if (!strcmp(f->name, "themes") && f->filename == NULL &&
		    json_array_size(theme_list) < 20)
			json_array_append_new(theme_list, json_string(f->value));
	json_object_set_new(values, "themes", theme_list);
	if (id > 0)
		json_object_set_new(values, "id", json_integer(id));
	edit_form(r, resp, values, id);
	if (rc != VG_OK)
		return rc;
	if (id == 0 && (v[0] == NULL || !resources_valid_slug(v[0])))
		return vg_fail(resp, VG_EINVAL, _("L'identifiant ne peut "
		    "contenir que des minuscules sans accent, des chiffres et "
		    "des tirets."), "slug");
	if (resources_check_fields(v[1], v[2], v[3], v[4], theme_list, v[5],
	    v[6], &why, &field) != VG_OK)
		return vg_fail(resp, VG_EINVAL, why, field);
	if (v[7] == NULL)
		return vg_fail(resp, VG_EINVAL, _("Le texte est obligatoire."),
		    "body");
	if (v[8] != NULL && !strcmp(v[8], "apercu")) {
		char *html = vg_markdown_html(v[7], strlen(v[7]));

		if (html == NULL)
			return VG_ENOMEM;
		json_object_set_new(resp->ctx, "preview", json_string(html));
		free(html);
		return VG_OK;
	}
	if ((themes_text = resources_themes_text(theme_list)) == NULL)
		return VG_ENOMEM;
	memset(&in, 0, sizeof(in));
	in.slug = v[0];
	in.title = v[1];
	in.summary = v[2];
	in.audience = v[3];
	in.kind = v[4];
	in.updated = v[5];
	in.video = v[6];
	in.body = v[7];
	in.themes = themes_text;
	in.published = 0;       /* a new resource is published explicitly */
	upload = vg_form_field_get(r->form, "file");
	if (upload != NULL && upload->filename != NULL && upload->size > 0 &&
	    (kind_index = sniff(upload->path)) < 0) {
		free(themes_text);
		return vg_fail(resp, VG_EINVAL, _("Ce type de fichier n'est pas "
		    "accepté : une vidéo MP4 ou WebM, un son MP3 ou Ogg, ou un "
		    "document PDF."), "file");
	}
	dir = vg_arena_printf(r->arena, "%s/uploads/resources",
	    r->site->config->data);
	if (kind_index >= 0) {
		/* The file goes in place first, under a random name (the one
		 * the editor's computer gave it is not kept), then the row
		 * names it in the same transaction as the text; a failure
		 * removes the new file, a success the replaced one. */
		char token[VG_TOKEN_CHARS + 1];

		vg_token_new(token);
		token[20] = '\0';
		in.file_op = FILE_SET;
		in.file_name = vg_arena_printf(r->arena, "%s.%s", token,
		    file_kinds[kind_index].ext);
		in.file_type = file_kinds[kind_index].type;
		in.file_size = (int64_t)upload->size;
		new_path = vg_arena_printf(r->arena, "%s/%s", dir, in.file_name);
		if ((mkdir(dir, 0700) != 0 && errno != EEXIST) ||
		    rename(upload->path, new_path) != 0) {
			free(themes_text);
			return VG_EIO;
		}
	} else if (vg_form_get(r->form, "remove_file") != NULL) {
		in.file_op = FILE_REMOVE;
	}
	rc = resources_save(id, &in, r->user->id, &new_id);
	free(themes_text);
	if (rc != VG_OK && new_path != NULL)
		unlink(new_path);
	if (rc == VG_ECONFLICT)
		return vg_fail(resp, rc, _("Une ressource a déjà cet "
		    "identifiant."), "slug");
	if (rc != VG_OK)
		return rc;
	if (in.old_file[0] != '\0' && (new_path == NULL ||
	    strcmp(in.old_file, in.file_name) != 0))
		unlink(vg_arena_printf(r->arena, "%s/%s", dir, in.old_file));
	resp->redirect = vg_arena_printf(r->arena, "/admin/ressources/%lld",
	    (long long)new_id);
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "resource", json_pack("{s:I}", "id",
	    (json_int_t)new_id));
	if (id == 0)
		resp->status = 201;
	return VG_OK;
}

static vg_rc
admin_create(vg_req *r, vg_resp *resp)
{
	return admin_save_common(r, resp, 0);
}

static vg_rc
admin_save(vg_req *r, vg_resp *resp)
{
	json_t *res;
	char *body, *video;
	vg_rc rc;

	if ((rc = load(r, true, &res, &body, &video)) != VG_OK)
		return rc;
	json_decref(res);
	return admin_save_common(r, resp, vg_req_param_id(r, 0));
}

static vg_rc
admin_publish(vg_req *r, vg_resp *resp)
{
	static const char q[] = "UPDATE resources SET published = ? "
	    "WHERE id = ?";
	int64_t id = vg_req_param_id(r, 0);
	const char *v = vg_form_get(r->form, "published");
	json_t *res;
	char *body, *video;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	if ((rc = load(r, true, &res, &body, &video)) != VG_OK)
		return rc;
	json_decref(res);
	if (v == NULL || (strcmp(v, "1") != 0 && strcmp(v, "0") != 0))
		return vg_fail(resp, VG_EINVAL, _("Choisissez de publier ou de "
		    "retirer la ressource."), "published");
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, v[0] == '1');
	vg_stmt_bind_int(st, 2, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	resp->redirect = "/admin/ressources";
	json_object_set_new(resp->ctx, "resource", json_pack("{s:I, s:b}",
	    "id", (json_int_t)id, "published", v[0] == '1'));
	return VG_OK;
}

static vg_rc
admin_versions(vg_req *r, vg_resp *resp)
{
	static const char q[] =
	    "SELECT v.id, v.title, v.created_at, coalesce(u.name, ''), "
	    "length(v.body) FROM resource_versions v "
	    "LEFT JOIN users u ON u.id = v.author_id "
	    "WHERE v.resource_id = ? ORDER BY v.id DESC";
	json_t *res, *list = json_array();
	char *body, *video;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	if ((rc = load(r, true, &res, &body, &video)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	json_object_set_new(resp->ctx, "resource", res);
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, vg_req_param_id(r, 0));
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char stamp[32];

		vg_time_text(vg_stmt_int(st, 2), "%Y-%m-%d %H:%M UTC", stamp,
		    sizeof(stamp));
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, "
		    "s:I}", "id", (json_int_t)vg_stmt_int(st, 0), "title",
		    vg_stmt_text(st, 1), "at", stamp, "author",
		    *vg_stmt_text(st, 3) ? vg_stmt_text(st, 3) :
		    _("contenu d'origine"), "length",
		    (json_int_t)vg_stmt_int(st, 4)));
	}
	vg_stmt_done(st);
	json_object_set_new(resp->ctx, "versions", list);
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Historique des versions")));
	resp->tmpl = "admin_resource_versions";
	return rc;
}

static const vg_route routes[] = {
	{"GET", "/ressources", list_page, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/ressources", search, VG_ROLE_PUBLIC, SEARCH_BODY, 0},
	{"GET", "/ressources/flux.atom", feed, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/ressources/:id", show, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/ressources/:id/fichier", file, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/admin/ressources", admin_list, VG_ROLE_EDITOR, 0, 0},
	{"GET", "/admin/ressources/nouvelle", admin_new, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/ressources/nouvelle", admin_create, VG_ROLE_EDITOR,
	    RESOURCE_FILE_MAX, VG_ROUTE_FILES},
	{"GET", "/admin/ressources/:id", admin_edit, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/ressources/:id", admin_save, VG_ROLE_EDITOR,
	    RESOURCE_FILE_MAX, VG_ROUTE_FILES},
	{"POST", "/admin/ressources/:id/publication", admin_publish,
	    VG_ROLE_EDITOR, SEARCH_BODY, 0},
	{"GET", "/admin/ressources/:id/versions", admin_versions,
	    VG_ROLE_EDITOR, 0, 0},
};

const vg_route *
resources_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
