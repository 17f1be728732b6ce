/*
 * routes.c — the directory of actors over HTTP.
 *
 * The listing's filters (département, commune, kind, theme, public) are a
 * GET form: they say nothing about the visitor, and a professional can
 * keep the address of "the associations of the Loire".  Free text goes
 * through a POST form, like every search in Vigie, so that what a person
 * typed stays out of the browser's history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/territory.h"
#include "db/fts.h"
#include "directory/directory_int.h"
#include "render/map.h"
#include "resources/resources.h"

#define PAGE_SIZE 50
#define SEARCH_BODY (4 * 1024)
#define IMPORT_MAX ((size_t)5 * 1024 * 1024)

static bool
is_pro(const vg_req *r)
{
	return r->user != NULL && r->user->role >= VG_ROLE_PROFESSIONAL;
}

struct filter {
	const char *dept, *commune, *kind, *theme, *public_code, *q;
	int64_t page;
};

/* The query string that keeps the filters but the département (for the
 * map's links), "" when there are none. */
static const char *
other_filters(vg_req *r, const struct filter *f)
{
	const char *s = "";

	if (f->kind)
		s = vg_arena_printf(r->arena, "%s&type=%s", s, f->kind);
	if (f->theme)
		s = vg_arena_printf(r->arena, "%s&theme=%s", s, f->theme);
	if (f->public_code)
		s = vg_arena_printf(r->arena, "%s&public=%s", s, f->public_code);
	return s;
}

/* Read and check the filters.  A value the form could not have sent is a
 * 400 naming the field; an empty one means "any". */
static vg_rc
read_filters(vg_req *r, vg_resp *resp, struct filter *f)
{
	const char *page;
	vg_rc rc;

	memset(f, 0, sizeof(*f));
	f->page = 1;
	if ((rc = vg_req_text(r, resp, "departement", 60, false, &f->dept)) !=
	    VG_OK || (rc = vg_req_text(r, resp, "commune", 100, false,
	    &f->commune)) != VG_OK || (rc = vg_req_text(r, resp, "type", 40,
	    false, &f->kind)) != VG_OK || (rc = vg_req_text(r, resp, "theme",
	    40, false, &f->theme)) != VG_OK || (rc = vg_req_text(r, resp,
	    "public", 20, false, &f->public_code)) != VG_OK || (rc =
	    vg_req_text(r, resp, "page", 6, false, &page)) != VG_OK)
		return rc;
	if (strcmp(r->method, "POST") == 0 && (rc = vg_req_text(r, resp, "q",
	    200, false, &f->q)) != VG_OK)
		return rc;
	if (f->dept != NULL) {
		const vg_dept *d = vg_dept_find(f->dept);

		if (d == NULL)
			return vg_fail(resp, VG_EINVAL, vg_arena_printf(
			    r->arena, _("Département inconnu « %s » : "
			    "choisissez-le dans la liste."), f->dept),
			    "departement");
		f->dept = d->code;
	}
	if (f->commune != NULL) {
		const vg_commune *c = f->dept ? vg_commune_find(f->dept,
		    f->commune) : vg_commune_get(f->commune);

		if (c == NULL)
			return vg_fail(resp, VG_EINVAL, _("Commune inconnue : "
			    "choisissez-la dans la liste."), "commune");
		f->commune = c->code;
		f->dept = c->dept;
	}
	if (f->kind != NULL && actor_kind_label(f->kind) == NULL)
		return vg_fail(resp, VG_EINVAL, _("Type d'acteur inconnu : "
		    "choisissez-le dans la liste."), "type");
	if (f->theme != NULL && resources_theme_label(f->theme) == NULL)
		return vg_fail(resp, VG_EINVAL, _("Thématique inconnue : "
		    "choisissez-la dans la liste."), "theme");
	if (f->public_code != NULL && actor_public_label(f->public_code) ==
	    NULL)
		return vg_fail(resp, VG_EINVAL, _("Public inconnu : "
		    "choisissez-le dans la liste."), "public");
	if (page != NULL) {
		char *end;
		long long p = strtoll(page, &end, 10);

		if (*end != '\0' || p < 1 || p > 100000)
			return vg_fail(resp, VG_EINVAL, _("Numéro de page "
			    "invalide."), "page");
		f->page = p;
	}
	return VG_OK;
}

static json_t *
choices(const char *const *codes, const char *(*label)(const char *),
    const char *current)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; codes[i] != NULL; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code",
		    codes[i], "label", label(codes[i]), "selected", current &&
		    !strcmp(current, codes[i])));
	return a;
}

static json_t *
theme_choices(const char *current)
{
	json_t *a = json_array(), *o;
	size_t i;

	json_array_foreach(resources_themes(), i, o) {
		const char *code = json_string_value(json_object_get(o, "code"));

		json_array_append_new(a, json_pack("{s:s, s:O, s:b}", "code",
		    code, "label", json_object_get(o, "label"), "selected",
		    current && !strcmp(current, code)));
	}
	return a;
}

static json_t *
dept_choices(const char *current)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < vg_dept_count(); i++) {
		const vg_dept *d = vg_dept_at(i);

		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code",
		    d->code, "name", d->name, "selected", current &&
		    !strcmp(current, d->code)));
	}
	return a;
}

#define WHERE_FILTERS \
	"WHERE (?1 IS NULL OR departement = ?1) " \
	"AND (?2 IS NULL OR commune = ?2) " \
	"AND (?3 IS NULL OR kind = ?3) " \
	"AND (?4 IS NULL OR ' ' || themes || ' ' LIKE '% ' || ?4 || ' %') " \
	"AND (?5 IS NULL OR publics = '' " \
	"OR ' ' || publics || ' ' LIKE '% ' || ?5 || ' %' " \
	"OR ' ' || publics || ' ' LIKE '% tous %') " \
	"AND (?6 IS NULL OR id IN (SELECT rowid FROM actors_fts " \
	"WHERE actors_fts MATCH ?6)) "

static void
bind_filters(vg_stmt *st, const struct filter *f, const char *fq,
    bool with_place)
{
	vg_stmt_bind_text(st, 1, with_place ? f->dept : NULL);
	vg_stmt_bind_text(st, 2, with_place ? f->commune : NULL);
	vg_stmt_bind_text(st, 3, f->kind);
	vg_stmt_bind_text(st, 4, f->theme);
	vg_stmt_bind_text(st, 5, f->public_code);
	vg_stmt_bind_text(st, 6, fq);
}

/* The map's shades: 0, 1, 2-4, 5-9, 10 and more actors. */
static int
level_of(int64_t n)
{
	return n == 0 ? 0 : n == 1 ? 1 : n < 5 ? 2 : n < 10 ? 3 : 4;
}

/* Counts by département (with the other filters), as the map's areas and
 * as a list for everyone who cannot use the map. */
static vg_rc
by_departement(vg_req *r, vg_resp *resp, const struct filter *f,
    const char *fq)
{
	static const char q[] = "SELECT departement, count(*) FROM actors "
	    WHERE_FILTERS "GROUP BY departement";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *counts = json_object(), *areas = json_object();
	json_t *list = json_array(), *overseas = json_array();
	const char *rest = other_filters(r, f);
	bool row;
	size_t i;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		goto out;
	bind_filters(st, f, fq, false);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		json_object_set_new(counts, vg_stmt_text(st, 0),
		    json_integer(vg_stmt_int(st, 1)));
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto out;
	for (i = 0; i < vg_dept_count(); i++) {
		const vg_dept *d = vg_dept_at(i);
		json_int_t n = json_integer_value(json_object_get(counts,
		    d->code));
		/* French: "0 acteur", "1 acteur", "2 acteurs". */
		const char *label = n <= 1 ?
		    vg_arena_printf(r->arena, _("%s (%s) : %lld acteur"),
		    d->name, d->code, (long long)n) : vg_arena_printf(r->arena,
		    _("%s (%s) : %lld acteurs"), d->name, d->code,
		    (long long)n);
		const char *href = vg_arena_printf(r->arena,
		    "/acteurs?departement=%s%s", d->code, rest);
		json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:i, s:b}",
		    "code", d->code, "name", d->name, "count", n, "label", label,
		    "href", href, "level", level_of(n), "current", f->dept &&
		    !strcmp(f->dept, d->code));

		json_object_set(areas, d->code, o);
		json_array_append(vg_map_has(d->code) ? list : overseas, o);
		json_decref(o);
	}
	if (!r->want_json) {
		vg_buf svg = VG_BUF_INIT;

		vg_map_svg(&svg, areas, _("Carte des départements : choisissez "
		    "un département pour voir ses acteurs"), f->dept);
		json_object_set_new(resp->ctx, "map_svg", json_string(svg.data ?
		    svg.data : ""));
		vg_buf_free(&svg);
		json_object_set_new(resp->ctx, "departements", list);
		json_object_set_new(resp->ctx, "overseas", overseas);
		list = overseas = NULL;
	}
out:
	json_decref(counts);
	json_decref(areas);
	json_decref(list);
	json_decref(overseas);
	return rc;
}

/* The communes of the chosen département that have actors. */
static vg_rc
commune_choices(vg_resp *resp, const struct filter *f)
{
	static const char q[] = "SELECT DISTINCT commune FROM actors "
	    "WHERE departement = ? AND commune IS NOT NULL";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *a = json_array();
	bool row;
	vg_rc rc;

	if (f->dept == NULL) {
		json_object_set_new(resp->ctx, "communes", a);
		return VG_OK;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(a);
		return rc;
	}
	vg_stmt_bind_text(st, 1, f->dept);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const vg_commune *c = vg_commune_get(vg_stmt_text(st, 0));

		if (c != NULL)
			json_array_append_new(a, json_pack("{s:s, s:s, s:b}",
			    "code", c->code, "name", c->name, "selected",
			    f->commune && !strcmp(f->commune, c->code)));
	}
	vg_stmt_done(st);
	json_object_set_new(resp->ctx, "communes", a);
	return rc;
}

static vg_rc
listing(vg_req *r, vg_resp *resp)
{
	static const char q_list[] = "SELECT " ACTOR_COLUMNS " FROM actors "
	    WHERE_FILTERS "ORDER BY departement, name, id LIMIT ?7 OFFSET ?8";
	static const char q_count[] = "SELECT count(*) FROM actors "
	    WHERE_FILTERS;
	struct filter f;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list;
	char *fq = NULL;
	int64_t total = 0;
	bool row;
	vg_rc rc, frc;

	resp->tmpl = "actors";
	json_object_set_new(resp->ctx, "title", json_string(_("Acteurs près "
	    "de chez vous")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	frc = read_filters(r, resp, &f);
	if (frc != VG_OK)
		memset(&f, 0, sizeof(f)), f.page = 1;
	if (db == NULL)
		return VG_EDB;
	if (f.q != NULL && (fq = vg_fts_query(f.q)) == NULL)
		f.q = NULL;
	/* The form's choices are for the page; JSON clients get the
	 * actors. */
	if (!r->want_json) {
		json_object_set_new(resp->ctx, "departement_choices",
		    dept_choices(f.dept));
		json_object_set_new(resp->ctx, "kinds", choices(actor_kinds,
		    actor_kind_label, f.kind));
		json_object_set_new(resp->ctx, "themes",
		    theme_choices(f.theme));
		json_object_set_new(resp->ctx, "publics",
		    choices(actor_publics, actor_public_label,
		    f.public_code));
		if ((rc = commune_choices(resp, &f)) != VG_OK ||
		    (rc = by_departement(r, resp, &f, fq)) != VG_OK)
			goto out;
	}
	if ((rc = vg_db_prepare(db, q_count, &st)) != VG_OK)
		goto out;
	bind_filters(st, &f, fq, true);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		total = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	if (rc != VG_OK || (rc = vg_db_prepare(db, q_list, &st)) != VG_OK)
		goto out;
	bind_filters(st, &f, fq, true);
	vg_stmt_bind_int(st, 7, PAGE_SIZE);
	vg_stmt_bind_int(st, 8, (f.page - 1) * PAGE_SIZE);
	list = json_array();
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		json_array_append_new(list, actor_row_json(st, is_pro(r)));
	vg_stmt_done(st);
	json_object_set_new(resp->ctx, "actors", list);
	json_object_set_new(resp->ctx, "total", json_integer(total));
	json_object_set_new(resp->ctx, "page", json_integer(f.page));
	if (f.page > 1)
		json_object_set_new(resp->ctx, "previous_page",
		    json_integer(f.page - 1));
	if (f.page * PAGE_SIZE < total)
		json_object_set_new(resp->ctx, "next_page",
		    json_integer(f.page + 1));
	json_object_set_new(resp->ctx, "filters", json_pack(
	    "{s:s?, s:s?, s:s?, s:s?, s:s?}", "departement", f.dept,
	    "commune", f.commune, "type", f.kind, "theme", f.theme, "public",
	    f.public_code));
	if (f.q != NULL)
		json_object_set_new(resp->ctx, "query", json_string(f.q));
	if (f.dept != NULL)
		json_object_set_new(resp->ctx, "departement_name",
		    json_string(vg_dept_get(f.dept)->name));
	json_object_set_new(resp->ctx, "filtered", json_boolean(f.dept ||
	    f.kind || f.theme || f.public_code || f.q));
out:
	free(fq);
	return frc != VG_OK ? frc : rc;
}

/* The actor of path parameter 0, as seen at this visitor's role. */
static vg_rc
load(vg_req *r, json_t **out)
{
	static const char q[] = "SELECT " ACTOR_COLUMNS ", modified_at "
	    "FROM actors WHERE id = ?";
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
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		*out = actor_row_json(st, is_pro(r));
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	return *out ? VG_OK : VG_ENOTFOUND;
}

static vg_rc
show(vg_req *r, vg_resp *resp)
{
	json_t *a;
	vg_rc rc;

	if ((rc = load(r, &a)) != VG_OK)
		return rc;
	resp->tmpl = "actor";
	json_object_set_new(resp->ctx, "title", json_string(json_string_value(
	    json_object_get(a, "name"))));
	json_object_set_new(resp->ctx, "actor", a);
	json_object_set_new(resp->ctx, "can_edit", json_boolean(r->user &&
	    r->user->role >= VG_ROLE_EDITOR));
	return VG_OK;
}

/* --- editors ---------------------------------------------------------- */

static vg_rc
admin_list(vg_req *r, vg_resp *resp)
{
	static const char q[] = "SELECT " ACTOR_COLUMNS " FROM actors "
	    "WHERE ?1 IS NULL OR departement = ?1 ORDER BY departement, name";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	const char *dept = NULL;
	bool row;
	vg_rc rc;

	resp->tmpl = "admin_actors";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Gérer les acteurs")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	if ((rc = vg_req_text(r, resp, "departement", 60, false, &dept)) !=
	    VG_OK) {
		json_decref(list);
		return rc;
	}
	if (dept != NULL) {
		const vg_dept *d = vg_dept_find(dept);

		if (d == NULL) {
			json_decref(list);
			return vg_fail(resp, VG_EINVAL, _("Département inconnu "
			    ": choisissez-le dans la liste."), "departement");
		}
		dept = d->code;
	}
	json_object_set_new(resp->ctx, "departement_choices",
	    dept_choices(dept));
	if (db == NULL || (rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return db == NULL ? VG_EDB : rc;
	}
	vg_stmt_bind_text(st, 1, dept);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		json_array_append_new(list, actor_row_json(st, true));
	vg_stmt_done(st);
	json_object_set_new(resp->ctx, "actors", list);
	json_object_set_new(resp->ctx, "total",
	    json_integer((json_int_t)json_array_size(list)));
	return rc;
}

/* The edit form's context: values (as typed or stored), and the choices
 * with their state. */
static void
edit_form(vg_req *r, vg_resp *resp, json_t *values, int64_t id)
{
	json_t *themes = json_array(), *publics = json_array(), *o;
	const char *kind = json_string_value(json_object_get(values, "kind"));
	const char *dept = json_string_value(json_object_get(values,
	    "departement"));
	const char *theme_text = json_string_value(json_object_get(values,
	    "themes_text"));
	const char *public_text = json_string_value(json_object_get(values,
	    "publics_text"));
	const char *pro_text = json_string_value(json_object_get(values,
	    "pro_only_text"));
	size_t i;

#define HAS(list, code) ((list) != NULL && strstr(vg_arena_printf( \
	r->arena, " %s ", (list)), vg_arena_printf(r->arena, " %s ", \
	(code))) != NULL)
	json_array_foreach(resources_themes(), i, o) {
		const char *code = json_string_value(json_object_get(o, "code"));

		json_array_append_new(themes, json_pack("{s:s, s:O, s:b}",
		    "code", code, "label", json_object_get(o, "label"),
		    "checked", HAS(theme_text, code)));
	}
	for (i = 0; actor_publics[i] != NULL; i++)
		json_array_append_new(publics, json_pack("{s:s, s:s, s:b}",
		    "code", actor_publics[i], "label",
		    actor_public_label(actor_publics[i]), "checked",
		    HAS(public_text, actor_publics[i])));
	for (i = 0; actor_contacts[i] != NULL; i++)
		json_object_set_new(values, vg_arena_printf(r->arena,
		    "%s_reserved", actor_contacts[i]), json_boolean(
		    HAS(pro_text, actor_contacts[i])));
#undef HAS
	json_object_set_new(resp->ctx, "values", values);
	json_object_set_new(resp->ctx, "theme_choices", themes);
	json_object_set_new(resp->ctx, "public_choices", publics);
	json_object_set_new(resp->ctx, "kind_choices", choices(actor_kinds,
	    actor_kind_label, kind));
	json_object_set_new(resp->ctx, "departement_choices",
	    dept_choices(dept));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	if (id > 0) {
		json_object_set_new(resp->ctx, "id", json_integer(id));
		json_object_set_new(resp->ctx, "title",
		    json_string(_("Modifier un acteur")));
	} else {
		json_object_set_new(resp->ctx, "title",
		    json_string(_("Nouvel acteur")));
	}
	resp->tmpl = "admin_actor_edit";
}

/* A stored actor as the form's values. */
static json_t *
stored_values(json_t *a)
{
	json_t *v = json_object(), *x;
	const char *key;
	size_t i;
	vg_buf b = VG_BUF_INIT;

	json_object_foreach(a, key, x)
		if (json_is_string(x))
			json_object_set(v, key, x);
	json_object_set_new(v, "commune", json_string(json_string_value(
	    json_object_get(a, "commune_name"))));
	json_array_foreach(json_object_get(a, "themes"), i, x) {
		vg_buf_puts(&b, " ");
		vg_buf_puts(&b, json_string_value(json_object_get(x, "code")));
	}
	json_object_set_new(v, "themes_text", json_string(b.data ? b.data :
	    ""));
	vg_buf_reset(&b);
	json_array_foreach(json_object_get(a, "publics"), i, x) {
		vg_buf_puts(&b, " ");
		vg_buf_puts(&b, json_string_value(json_object_get(x, "code")));
	}
	json_object_set_new(v, "publics_text", json_string(b.data ? b.data :
	    ""));
	vg_buf_reset(&b);
	json_array_foreach(json_object_get(a, "pro_only"), i, x) {
		vg_buf_puts(&b, " ");
		vg_buf_puts(&b, json_string_value(x));
	}
	json_object_set_new(v, "pro_only_text", json_string(b.data ? b.data :
	    ""));
	vg_buf_free(&b);
	return v;
}

static vg_rc
admin_new(vg_req *r, vg_resp *resp)
{
	edit_form(r, resp, json_pack("{s:s}", "kind", "association"), 0);
	return VG_OK;
}

static vg_rc
admin_edit(vg_req *r, vg_resp *resp)
{
	json_t *a;
	vg_rc rc;

	if ((rc = load(r, &a)) != VG_OK)
		return rc;
	edit_form(r, resp, stored_values(a), vg_req_param_id(r, 0));
	json_decref(a);
	return VG_OK;
}

/* The values of a repeated field (checkboxes), joined by '|'. */
static const char *
joined(vg_req *r, const char *name)
{
	const vg_form_field *f;
	const char *s = NULL;
	int n = 0;

	for (f = r->form->first; f != NULL && n < 50; f = f->next)
		if (!strcmp(f->name, name) && f->filename == NULL &&
		    f->value[0] != '\0') {
			s = s ? vg_arena_printf(r->arena, "%s|%s", s, f->value) :
			    f->value;
			n++;
		}
	return s;
}

static vg_rc
save_common(vg_req *r, vg_resp *resp, int64_t id)
{
	const char *v[AF_COUNT], *out[AF_COUNT], *why;
	enum actor_field field;
	json_t *values = json_object();
	int64_t new_id;
	size_t i;
	vg_rc rc = VG_OK;

	for (i = 0; i < AF_COUNT; i++) {
		v[i] = NULL;
		if (i == AF_THEMES || i == AF_PUBLICS || i == AF_PRO_ONLY) {
			v[i] = joined(r, actor_fields[i].key);
			continue;
		}
		/* Lengths are checked with their field's name below. */
		if ((rc = vg_req_text(r, resp, actor_fields[i].key, 100000,
		    false, &v[i])) != VG_OK)
			break;
		if (v[i] != NULL)
			json_object_set_new(values, actor_fields[i].key,
			    json_string(v[i]));
	}
	json_object_set_new(values, "themes_text", json_string(
	    v[AF_THEMES] ? vg_arena_printf(r->arena, " %s ", v[AF_THEMES]) :
	    ""));
	json_object_set_new(values, "publics_text", json_string(
	    v[AF_PUBLICS] ? vg_arena_printf(r->arena, " %s ", v[AF_PUBLICS]) :
	    ""));
	json_object_set_new(values, "pro_only_text", json_string(
	    v[AF_PRO_ONLY] ? vg_arena_printf(r->arena, " %s ",
	    v[AF_PRO_ONLY]) : ""));
	/* The checkboxes were joined by '|': the form's check sees spaces. */
	for (i = 0; i < 3; i++) {
		static const char *const k[] = {"themes_text", "publics_text",
		    "pro_only_text"};
		char *t = vg_arena_strdup(r->arena, json_string_value(
		    json_object_get(values, k[i]))), *p;

		for (p = t; p && *p; p++)
			if (*p == '|')
				*p = ' ';
		json_object_set_new(values, k[i], json_string(t ? t : ""));
	}
	edit_form(r, resp, values, id);
	if (rc != VG_OK)
		return rc;
	if ((rc = actor_check(r->arena, v, out, &why, &field)) != VG_OK)
		return rc == VG_EINVAL ? vg_fail(resp, rc, why,
		    actor_fields[field].key) : rc;
	if ((rc = actor_save(id, out, r->user->id, &new_id)) != VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena, "/acteurs/%lld",
	    (long long)new_id);
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "actor", json_pack("{s:I}", "id",
	    (json_int_t)new_id));
	if (id == 0)
		resp->status = 201;
	return VG_OK;
}

static vg_rc
admin_create(vg_req *r, vg_resp *resp)
{
	return save_common(r, resp, 0);
}

static vg_rc
admin_save(vg_req *r, vg_resp *resp)
{
	json_t *a;
	vg_rc rc;

	if ((rc = load(r, &a)) != VG_OK)
		return rc;
	json_decref(a);
	return save_common(r, resp, vg_req_param_id(r, 0));
}

static vg_rc
admin_delete(vg_req *r, vg_resp *resp)
{
	static const char q[] = "DELETE FROM actors WHERE id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *a;
	vg_rc rc;

	if ((rc = load(r, &a)) != VG_OK)
		return rc;
	json_decref(a);
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, vg_req_param_id(r, 0));
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	resp->redirect = "/admin/acteurs";
	json_object_set_new(resp->ctx, "deleted", json_pack("{s:I}", "id",
	    (json_int_t)vg_req_param_id(r, 0)));
	return VG_OK;
}

/* --- import and export ------------------------------------------------ */

static void
import_page(vg_req *r, vg_resp *resp)
{
	json_t *cols = json_array();
	size_t i;

	for (i = 0; i < AF_COUNT; i++)
		json_array_append_new(cols, json_pack("{s:s, s:s, s:b}",
		    "column", actor_fields[i].column, "label",
		    _(actor_fields[i].label), "required",
		    actor_fields[i].required));
	resp->tmpl = "admin_actors_import";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Importer des acteurs")));
	json_object_set_new(resp->ctx, "columns", cols);
	json_object_set_new(resp->ctx, "kinds", choices(actor_kinds,
	    actor_kind_label, NULL));
	json_object_set_new(resp->ctx, "publics", choices(actor_publics,
	    actor_public_label, NULL));
	json_object_set_new(resp->ctx, "themes", theme_choices(NULL));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
}

static vg_rc
admin_import_form(vg_req *r, vg_resp *resp)
{
	import_page(r, resp);
	return VG_OK;
}

static vg_rc
admin_import(vg_req *r, vg_resp *resp)
{
	const vg_form_field *up = vg_form_field_get(r->form, "file");
	const char *action = vg_form_get(r->form, "action");
	bool dry = action != NULL && !strcmp(action, "verifier");
	json_t *errors = NULL;
	int created = 0, updated = 0;
	char *data;
	FILE *f;
	size_t n;
	vg_rc rc;

	import_page(r, resp);
	if (up == NULL || up->filename == NULL || up->size == 0)
		return vg_fail(resp, VG_EINVAL, _("Choisissez un fichier CSV à "
		    "importer."), "file");
	if (up->size > IMPORT_MAX)
		return vg_fail(resp, VG_ETOOBIG, _("Ce fichier est trop gros "
		    "(5 Mo au plus)."), "file");
	if ((data = vg_arena_alloc(r->arena, up->size + 1)) == NULL)
		return VG_ENOMEM;
	if ((f = fopen(up->path, "rb")) == NULL)
		return VG_EIO;
	n = fread(data, 1, up->size, f);
	fclose(f);
	if (n != up->size)
		return VG_EIO;
	data[n] = '\0';
	if (n >= 2 && ((data[0] == 'P' && data[1] == 'K') ||
	    ((unsigned char)data[0] == 0xd0 && (unsigned char)data[1] == 0xcf)))
		return vg_fail(resp, VG_EINVAL, _("Ce fichier est un classeur "
		    "Excel : dans votre tableur, choisissez « Enregistrer sous "
		    "», format « CSV UTF-8 », puis importez ce fichier."),
		    "file");
	rc = directory_import_csv(data, n, r->user->id, dry, &errors, &created,
	    &updated);
	if (errors != NULL)
		json_object_set_new(resp->ctx, "errors", errors);
	if (rc == VG_EINVAL) {
		size_t ne = json_array_size(errors);

		return vg_fail(resp, rc, ne == 1 ? _("Le fichier contient une "
		    "erreur : rien n'a été importé. Corrigez-la puis "
		    "recommencez.") : vg_arena_printf(r->arena, _("Le fichier "
		    "contient %zu erreurs : rien n'a été importé. Corrigez-les "
		    "puis recommencez."), ne), "file");
	}
	if (rc != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "result", json_pack("{s:i, s:i, s:b}",
	    "created", created, "updated", updated, "checked_only", dry));
	return VG_OK;
}

static vg_rc
admin_export_csv(vg_req *r, vg_resp *resp)
{
	char *data;
	size_t len;
	vg_buf b = VG_BUF_INIT;
	vg_rc rc;

	if ((rc = directory_export_csv(&data, &len)) != VG_OK)
		return rc;
	vg_buf_append(&b, data, len);
	free(data);
	return vg_resp_body(r, resp, &b, "text/csv; charset=utf-8",
	    "acteurs.csv");
}

static vg_rc
admin_export_xlsx(vg_req *r, vg_resp *resp)
{
	char *data;
	size_t len;
	vg_buf b = VG_BUF_INIT;
	vg_rc rc;

	if ((rc = directory_export_xlsx(vg_arena_printf(r->arena,
	    "%s/uploads/tmp", r->site->config->data), &data, &len)) != VG_OK)
		return rc;
	vg_buf_append(&b, data, len);
	free(data);
	return vg_resp_body(r, resp, &b, "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet", "acteurs.xlsx");
}

static const vg_route routes[] = {
	{"GET", "/acteurs", listing, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/acteurs", listing, VG_ROLE_PUBLIC, SEARCH_BODY, 0},
	{"GET", "/acteurs/:id", show, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/admin/acteurs", admin_list, VG_ROLE_EDITOR, 0, 0},
	{"GET", "/admin/acteurs/nouveau", admin_new, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/acteurs/nouveau", admin_create, VG_ROLE_EDITOR, 0,
	    0},
	{"GET", "/admin/acteurs/import", admin_import_form, VG_ROLE_EDITOR, 0,
	    0},
	{"POST", "/admin/acteurs/import", admin_import, VG_ROLE_EDITOR,
	    IMPORT_MAX + 64 * 1024, VG_ROUTE_FILES},
	{"GET", "/admin/acteurs/export.csv", admin_export_csv, VG_ROLE_EDITOR,
	    0, 0},
	{"GET", "/admin/acteurs/export.xlsx", admin_export_xlsx,
	    VG_ROLE_EDITOR, 0, 0},
	{"GET", "/admin/acteurs/:id", admin_edit, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/acteurs/:id", admin_save, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/acteurs/:id/suppression", admin_delete,
	    VG_ROLE_EDITOR, SEARCH_BODY, 0},
};

const vg_route *
directory_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
