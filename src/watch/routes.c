/*
 * routes.c — the editors' pages of the watch: /admin/veille (the items:
 * filters, search, read, tag, annotate, select for the newsletter) and
 * /admin/veille/sources (the sources, their state, "Relever maintenant").
 *
 * Handlers parse, call items.c or sources.c and fill the context; the
 * router has checked the role (editor and above) and the CSRF token.  A
 * refused form comes back as the page it was sent from, with the field
 * named, a 4xx and nothing written.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "resources/resources.h"
#include "watch/watch_int.h"

#define ACTION_BODY (8 * 1024)
#define FORM_BODY (16 * 1024)
#define PAGE_READ_BODY (16 * 1024)
#define BACK_MAX 600            /* bytes of the listing's query string */

static const char *const state_codes[] = {
	"tous", "nouveaux", "lus", "selectionnes", NULL
};

static const char *
state_label(int i)
{
	switch (i) {
	case WATCH_NEW: return _("Nouveaux");
	case WATCH_READ: return _("Lus");
	case WATCH_SELECTED: return _("Sélectionnés pour la lettre");
	default: return _("Tous");
	}
}

static const char *
lang_label(const char *code)
{
	if (code != NULL && !strcmp(code, "fr"))
		return _("Français");
	if (code != NULL && !strcmp(code, "en"))
		return _("Anglais");
	return NULL;
}

/* Every theme as {code, label, <key>: whether it is in the comma list
 * "have" (or equal to it)}. */
static json_t *
theme_choices(const char *have, const char *key)
{
	json_t *a = json_array(), *o;
	size_t i;

	json_array_foreach(resources_themes(), i, o) {
		const char *code = json_string_value(json_object_get(o,
		    "code"));
		size_t k = strlen(code);
		const char *p = have;
		bool on = false;

		while (p != NULL && (p = strstr(p, code)) != NULL) {
			if ((p == have || p[-1] == ',') &&
			    (p[k] == '\0' || p[k] == ','))
				on = true;
			p += k;
		}
		json_array_append_new(a, json_pack("{s:s, s:O, s:b}", "code",
		    code, "label", json_object_get(o, "label"), key, on));
	}
	return a;
}

static json_t *
lang_choices(const char *current, const char *key)
{
	return json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}]",
	    "code", "fr", "label", lang_label("fr"), key,
	    current != NULL && !strcmp(current, "fr"),
	    "code", "en", "label", lang_label("en"), key,
	    current != NULL && !strcmp(current, "en"));
}

/* The themes sent by a form: every "themes" field (checkboxes) or one
 * field with codes separated by commas (a program), joined by commas, in
 * the arena. */
static const char *
form_themes(vg_req *r)
{
	const vg_form_field *f;
	vg_buf b = VG_BUF_INIT;
	const char *out;

	for (f = r->form->first; f != NULL; f = f->next) {
		if (strcmp(f->name, "themes") != 0 || f->filename != NULL)
			continue;
		if (b.len > 0)
			vg_buf_putc(&b, ',');
		vg_buf_puts(&b, f->value);
	}
	out = vg_arena_strdup(r->arena, b.data ? b.data : "");
	vg_buf_free(&b);
	return out;
}

/* --- the items -------------------------------------------------------- */

/* The listing's query string, kept by the item forms to come back to the
 * same view: letters, digits and the few marks a query string of ours
 * holds, nothing that could leave the page. */
static bool
back_ok(const char *s)
{
	size_t i;

	if (s == NULL)
		return true;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= BACK_MAX || !(isalnum((unsigned char)s[i]) ||
		    strchr("%&=._+-", s[i]) != NULL))
			return false;
	return true;
}

static void
put_param(vg_buf *b, const char *name, const char *value)
{
	const unsigned char *p;

	if (value == NULL || *value == '\0')
		return;
	vg_buf_printf(b, "%s%s=", b->len ? "&" : "", name);
	for (p = (const unsigned char *)value; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_')
			vg_buf_putc(b, (char)*p);
		else if (*p == ' ')
			vg_buf_putc(b, '+');
		else
			vg_buf_printf(b, "%%%02X", *p);
	}
}

/* The query string of f at page (NULL: f's page). */
static const char *
filter_query(vg_req *r, const struct watch_filter *f, int page)
{
	vg_buf b = VG_BUF_INIT;
	char num[24];
	const char *out;

	put_param(&b, "q", f->q);
	if (f->source > 0) {
		snprintf(num, sizeof(num), "%lld", (long long)f->source);
		put_param(&b, "source", num);
	}
	put_param(&b, "theme", f->theme);
	put_param(&b, "lang", f->lang);
	if (f->state != WATCH_ALL)
		put_param(&b, "etat", state_codes[f->state]);
	if (page > 1) {
		snprintf(num, sizeof(num), "%d", page);
		put_param(&b, "page", num);
	}
	out = vg_arena_strdup(r->arena, b.data ? b.data : "");
	vg_buf_free(&b);
	return out;
}

/* Read the listing's filters from the query string.  A value the form
 * could not have sent is a 400 naming the field. */
static vg_rc
read_filter(vg_req *r, vg_resp *resp, struct watch_filter *f)
{
	const char *source, *state, *page;
	char *end;
	size_t i;
	vg_rc rc;

	memset(f, 0, sizeof(*f));
	f->page = 1;
	if ((rc = vg_req_text(r, resp, "q", 200, false, &f->q)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "source", 20, false, &source)) !=
	    VG_OK || (rc = vg_req_text(r, resp, "theme", 60, false,
	    &f->theme)) != VG_OK || (rc = vg_req_text(r, resp, "lang", 5,
	    false, &f->lang)) != VG_OK || (rc = vg_req_text(r, resp, "etat",
	    20, false, &state)) != VG_OK || (rc = vg_req_text(r, resp, "page",
	    6, false, &page)) != VG_OK)
		return rc;
	if (source != NULL) {
		long long id = strtoll(source, &end, 10);

		if (*end != '\0' || id < 1 || !isdigit((unsigned char)*source))
			return vg_fail(resp, VG_EINVAL, _("Source inconnue : "
			    "choisissez-la dans la liste."), "source");
		f->source = id;
	}
	if (f->theme != NULL && resources_theme_label(f->theme) == NULL)
		return vg_fail(resp, VG_EINVAL, _("Thème inconnu : "
		    "choisissez-le dans la liste."), "theme");
	if (f->lang != NULL && lang_label(f->lang) == NULL)
		return vg_fail(resp, VG_EINVAL, _("Langue inconnue : "
		    "choisissez "
		    "français ou anglais."), "lang");
	if (state != NULL) {
		for (i = 0; state_codes[i] != NULL &&
		    strcmp(state_codes[i], state) != 0; i++)
			continue;
		if (state_codes[i] == NULL)
			return vg_fail(resp, VG_EINVAL, _("État inconnu : "
			    "choisissez nouveaux, lus, sélectionnés ou tous."),
			    "etat");
		f->state = (enum watch_state)i;
	}
	if (page != NULL) {
		long p = strtol(page, &end, 10);

		if (*end != '\0' || p < 1 || p > 100000)
			return vg_fail(resp, VG_EINVAL, _("Numéro de page "
			    "invalide."), "page");
		f->page = (int)p;
	}
	return VG_OK;
}

static json_t *
source_choices(int64_t current)
{
	json_t *list, *a = json_array(), *o;
	size_t i;

	if (watch_source_list(&list) != VG_OK)
		return a;
	json_array_foreach(list, i, o) {
		json_int_t id = json_integer_value(json_object_get(o, "id"));

		json_array_append_new(a, json_pack("{s:I, s:O, s:b}", "id", id,
		    "name", json_object_get(o, "name"), "selected",
		    id == current));
	}
	json_decref(list);
	return a;
}

/* The listing's context for filter f. */
static vg_rc
items_context(vg_req *r, vg_resp *resp, const struct watch_filter *f)
{
	json_t *items, *o, *states = json_array(), *ids = json_array();
	int64_t total;
	int pages;
	size_t i;
	vg_rc rc;

	resp->tmpl = "admin_watch";
	json_object_set_new(resp->ctx, "title", json_string(_("Veille")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	if ((rc = watch_items_find(f, &items, &total)) != VG_OK) {
		json_decref(states);
		json_decref(ids);
		return rc;
	}
	pages = (int)((total + WATCH_PAGE_SIZE - 1) / WATCH_PAGE_SIZE);
	json_array_foreach(items, i, o) {
		json_array_append(ids, json_object_get(o, "id"));
		/* The tagging form's boxes: for the page only. */
		if (!r->want_json) {
			json_t *t = json_object_get(o, "themes"), *c;
			vg_buf have = VG_BUF_INIT;
			size_t j;

			json_array_foreach(t, j, c) {
				if (have.len)
					vg_buf_putc(&have, ',');
				vg_buf_puts(&have, json_string_value(
				    json_object_get(c, "code")));
			}
			json_object_set_new(o, "theme_choices", theme_choices(
			    have.data, "checked"));
			vg_buf_free(&have);
		}
	}
	for (i = 0; state_codes[i] != NULL; i++)
		json_array_append_new(states, json_pack("{s:s, s:s, s:b}",
		    "code", state_codes[i], "label", state_label((int)i),
		    "selected", (int)f->state == (int)i));
	json_object_set_new(resp->ctx, "items", items);
	json_object_set_new(resp->ctx, "item_ids", ids);
	json_object_set_new(resp->ctx, "total", json_integer(total));
	json_object_set_new(resp->ctx, "page", json_integer(f->page));
	json_object_set_new(resp->ctx, "pages", json_integer(pages));
	if (f->page > 1)
		json_object_set_new(resp->ctx, "prev_href", json_sprintf(
		    "/admin/veille?%s", filter_query(r, f, f->page - 1)));
	if (f->page < pages)
		json_object_set_new(resp->ctx, "next_href", json_sprintf(
		    "/admin/veille?%s", filter_query(r, f, f->page + 1)));
	json_object_set_new(resp->ctx, "back", json_string(filter_query(r, f,
	    f->page)));
	json_object_set_new(resp->ctx, "filters", json_pack("{s:s?, s:I, "
	    "s:s?, s:s?, s:s}", "q", f->q, "source", (json_int_t)f->source,
	    "theme", f->theme, "lang", f->lang, "etat",
	    state_codes[f->state]));
	json_object_set_new(resp->ctx, "filtered", json_boolean(f->q ||
	    f->source || f->theme || f->lang || f->state != WATCH_ALL));
	json_object_set_new(resp->ctx, "source_choices",
	    source_choices(f->source));
	json_object_set_new(resp->ctx, "theme_choices",
	    theme_choices(f->theme, "selected"));
	json_object_set_new(resp->ctx, "lang_choices",
	    lang_choices(f->lang, "selected"));
	json_object_set_new(resp->ctx, "state_choices", states);
	return VG_OK;
}

static vg_rc
items_page(vg_req *r, vg_resp *resp)
{
	struct watch_filter f;
	vg_rc rc;

	if ((rc = read_filter(r, resp, &f)) != VG_OK) {
		const char *msg = resp->message, *field = resp->field;
		struct watch_filter none;

		memset(&none, 0, sizeof(none));
		none.page = 1;
		items_context(r, resp, &none);
		resp->message = msg;
		resp->field = field;
		return rc;
	}
	return items_context(r, resp, &f);
}

/* An item form was refused: the listing, unfiltered, with the error. */
static vg_rc
item_failed(vg_req *r, vg_resp *resp, vg_rc rc, const char *why,
    const char *field)
{
	struct watch_filter none;

	memset(&none, 0, sizeof(none));
	none.page = 1;
	if (rc != VG_ENOTFOUND && items_context(r, resp, &none) != VG_OK)
		return VG_EDB;
	return vg_fail(resp, rc, why, field);
}

/* After an item form: back to the same listing, at the item. */
static vg_rc
item_done(vg_req *r, vg_resp *resp, int64_t id)
{
	const char *back = vg_form_get(r->form, "back");
	json_t *item;
	vg_rc rc;

	if (!back_ok(back))
		back = NULL;
	resp->redirect = vg_arena_printf(r->arena, "/admin/veille%s%s"
	    "#element-%lld", back && *back ? "?" : "", back ? back : "",
	    (long long)id);
	if ((rc = watch_item_get(id, &item)) != VG_OK)
		return rc;
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "item", item);
	return VG_OK;
}

/* The 0/1 field name: *on, or a 400. */
static vg_rc
read_flag(vg_req *r, vg_resp *resp, const char *name, bool *on)
{
	const char *v = vg_form_get(r->form, name);

	if (v == NULL || (strcmp(v, "0") != 0 && strcmp(v, "1") != 0))
		return item_failed(r, resp, VG_EINVAL, _("Valeur invalide : "
		    "envoyez 1 (oui) ou 0 (non)."), name);
	*on = v[0] == '1';
	return VG_OK;
}

static vg_rc
item_read(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	bool on;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = read_flag(r, resp, "read", &on)) != VG_OK)
		return rc;
	if ((rc = watch_item_read(id, on)) != VG_OK)
		return rc;
	return item_done(r, resp, id);
}

static vg_rc
item_select(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	bool on;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = read_flag(r, resp, "selected", &on)) != VG_OK)
		return rc;
	if ((rc = watch_item_select(id, on)) != VG_OK)
		return rc;
	return item_done(r, resp, id);
}

static vg_rc
item_annotate(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	const char *note = vg_form_get(r->form, "note"), *bad;
	char *themes;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if (note == NULL)
		note = "";
	if (vg_utf8_length(note, strlen(note)) > WATCH_NOTE_MAX)
		return item_failed(r, resp, VG_EINVAL, vg_arena_printf(r->arena,
		    _("La note est trop longue : %d caractères au plus. Rien "
		    "n'a été enregistré."), WATCH_NOTE_MAX), "note");
	if ((themes = watch_themes_norm(form_themes(r), &bad)) == NULL)
		return item_failed(r, resp, bad ? VG_EINVAL : VG_ENOMEM,
		    bad && *bad ? _("Un thème choisi n'existe pas : choisissez "
		    "dans la liste des thèmes. Rien n'a été enregistré.") :
		    _("Choisissez au plus 10 thèmes. Rien n'a été "
		    "enregistré."), "themes");
	rc = watch_item_annotate(id, themes, note);
	free(themes);
	if (rc != VG_OK)
		return rc;
	return item_done(r, resp, id);
}

/* "Marquer cette page comme lue": the ids the page listed. */
static vg_rc
page_read(vg_req *r, vg_resp *resp)
{
	const char *back = vg_form_get(r->form, "back");
	int64_t ids[WATCH_PAGE_SIZE], changed;
	const vg_form_field *f;
	size_t n = 0;
	vg_rc rc;

	for (f = r->form->first; f != NULL; f = f->next) {
		char *end;
		long long id;

		if (strcmp(f->name, "id") != 0)
			continue;
		id = strtoll(f->value, &end, 10);
		if (n == WATCH_PAGE_SIZE || *end != '\0' || id < 1 ||
		    !isdigit((unsigned char)f->value[0]))
			return item_failed(r, resp, VG_EINVAL, _("La liste des "
			    "éléments à marquer comme lus est invalide. Rien "
			    "n'a été enregistré."), "id");
		ids[n++] = id;
	}
	if ((rc = watch_items_read(ids, n, &changed)) != VG_OK)
		return rc;
	if (!back_ok(back))
		back = NULL;
	resp->redirect = vg_arena_printf(r->arena, "/admin/veille%s%s",
	    back && *back ? "?" : "", back ? back : "");
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "read", json_integer(changed));
	return VG_OK;
}

/* --- the sources ------------------------------------------------------ */

/* The add form's values and choices, and the list. */
static vg_rc
sources_context(vg_req *r, vg_resp *resp, json_t *values)
{
	json_t *list;
	vg_rc rc;

	resp->tmpl = "admin_watch_sources";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Sources de la veille")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	if (values == NULL)
		values = json_pack("{s:s, s:s, s:b}", "lang", "fr", "themes",
		    "", "active", 1);
	json_object_set_new(resp->ctx, "theme_choices", theme_choices(
	    json_string_value(json_object_get(values, "themes")), "checked"));
	json_object_set_new(resp->ctx, "lang_choices", lang_choices(
	    json_string_value(json_object_get(values, "lang")), "checked"));
	json_object_set_new(resp->ctx, "values", values);
	if ((rc = watch_source_list(&list)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "sources", list);
	return VG_OK;
}

static vg_rc
sources_page(vg_req *r, vg_resp *resp)
{
	return sources_context(r, resp, NULL);
}

/* Read the source form into in and values (for the page shown again). */
static vg_rc
read_source(vg_req *r, vg_resp *resp, struct watch_source_in *in,
    json_t *values)
{
	const char *active = vg_form_get(r->form, "active");
	vg_rc rc;

	memset(in, 0, sizeof(*in));
	in->url = vg_form_get(r->form, "url");
	in->name = vg_form_get(r->form, "name");
	in->lang = vg_form_get(r->form, "lang");
	in->themes = form_themes(r);
	/* Absent: active (a program adding a source says nothing). */
	in->active = active == NULL || strcmp(active, "0") != 0;
	json_object_set_new(values, "url", json_string(in->url ? in->url :
	    ""));
	json_object_set_new(values, "name", json_string(in->name ? in->name :
	    ""));
	json_object_set_new(values, "lang", json_string(in->lang ? in->lang :
	    ""));
	json_object_set_new(values, "themes", json_string(in->themes));
	json_object_set_new(values, "active", json_boolean(in->active));
	rc = VG_OK;
	if (active != NULL && strcmp(active, "0") != 0 &&
	    strcmp(active, "1") != 0)
		rc = vg_fail(resp, VG_EINVAL, _("Indiquez si la source est "
		    "active : 1 (oui) ou 0 (non)."), "active");
	/* Trimmed as vg_req_text would, with the same length checks after
	 * (watch_source_check). */
	if (in->url != NULL)
		while (isspace((unsigned char)*in->url))
			in->url++;
	if (in->name != NULL)
		while (isspace((unsigned char)*in->name))
			in->name++;
	return rc;
}

/* Strip trailing white space of a form value, in the arena. */
static const char *
rtrim(vg_req *r, const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return vg_arena_strndup(r->arena, s, n);
}

static vg_rc
source_create(vg_req *r, vg_resp *resp)
{
	struct watch_source_in in;
	json_t *values = json_object(), *s;
	const char *why, *field;
	int64_t id;
	vg_rc rc;

	rc = read_source(r, resp, &in, values);
	json_incref(values);
	if (sources_context(r, resp, values) != VG_OK) {
		json_decref(values);
		return VG_EDB;
	}
	json_decref(values);
	if (rc != VG_OK)
		return rc;
	in.url = rtrim(r, in.url);
	in.name = rtrim(r, in.name);
	if ((rc = watch_source_save(0, &in, &id, &why, &field)) != VG_OK) {
		if (rc == VG_EINVAL || rc == VG_ECONFLICT)
			return vg_fail(resp, rc, why, field);
		return rc;
	}
	if ((rc = watch_source_get(id, &s)) != VG_OK)
		return rc;
	resp->status = 201;
	resp->redirect = "/admin/veille/sources";
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "source", s);
	return VG_OK;
}

/* The edit page of source id, with values (NULL: the source's). */
static vg_rc
edit_context(vg_req *r, vg_resp *resp, int64_t id, json_t *values)
{
	json_t *s, *codes, *c;
	vg_buf b = VG_BUF_INIT;
	size_t i;
	vg_rc rc;

	if ((rc = watch_source_get(id, &s)) != VG_OK) {
		json_decref(values);
		return rc;
	}
	if (values == NULL) {
		codes = json_object_get(s, "themes");
		json_array_foreach(codes, i, c) {
			if (b.len)
				vg_buf_putc(&b, ',');
			vg_buf_puts(&b, json_string_value(json_object_get(c,
			    "code")));
		}
		values = json_pack("{s:O, s:O, s:O, s:s, s:O}", "url",
		    json_object_get(s, "url"), "name", json_object_get(s,
		    "name"), "lang", json_object_get(s, "lang"), "themes",
		    b.data ? b.data : "", "active", json_object_get(s,
		    "active"));
		vg_buf_free(&b);
	}
	resp->tmpl = "admin_watch_source";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Modifier une source")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "source", s);
	json_object_set_new(resp->ctx, "id", json_integer(id));
	json_object_set_new(resp->ctx, "theme_choices", theme_choices(
	    json_string_value(json_object_get(values, "themes")), "checked"));
	json_object_set_new(resp->ctx, "lang_choices", lang_choices(
	    json_string_value(json_object_get(values, "lang")), "checked"));
	json_object_set_new(resp->ctx, "values", values);
	return VG_OK;
}

static vg_rc
source_edit(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);

	if (id < 0)
		return VG_ENOTFOUND;
	return edit_context(r, resp, id, NULL);
}

static vg_rc
source_save(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0), out;
	struct watch_source_in in;
	json_t *values = json_object(), *s;
	const char *why, *field;
	vg_rc rc;

	if (id < 0) {
		json_decref(values);
		return VG_ENOTFOUND;
	}
	rc = read_source(r, resp, &in, values);
	json_incref(values);
	if (edit_context(r, resp, id, values) != VG_OK) {
		json_decref(values);
		return VG_ENOTFOUND;
	}
	json_decref(values);
	if (rc != VG_OK)
		return rc;
	in.url = rtrim(r, in.url);
	in.name = rtrim(r, in.name);
	if ((rc = watch_source_save(id, &in, &out, &why, &field)) != VG_OK) {
		if (rc == VG_EINVAL || rc == VG_ECONFLICT)
			return vg_fail(resp, rc, why, field);
		return rc;
	}
	if ((rc = watch_source_get(id, &s)) != VG_OK)
		return rc;
	resp->redirect = "/admin/veille/sources";
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "source", s);
	return VG_OK;
}

static vg_rc
source_delete_confirm(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	json_t *s;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = watch_source_get(id, &s)) != VG_OK)
		return rc;
	resp->tmpl = "admin_watch_source_delete";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Supprimer une source")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "source", s);
	return VG_OK;
}

static vg_rc
source_delete(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	const char *confirm = vg_form_get(r->form, "confirm");
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if (confirm == NULL || strcmp(confirm, "1") != 0) {
		if ((rc = source_delete_confirm(r, resp)) != VG_OK)
			return rc;
		return vg_fail(resp, VG_EINVAL, _("Confirmez la suppression en "
		    "cochant la case : la source et tous ses éléments seront "
		    "effacés."), "confirm");
	}
	if ((rc = watch_source_delete(id)) != VG_OK)
		return rc;
	resp->redirect = "/admin/veille/sources";
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "deleted", json_integer(id));
	return VG_OK;
}

/* One line of "what happened" after "Relever maintenant". */
static void
report_outcome(const struct watch_outcome *o, void *arg)
{
	json_t *report = arg, *line;
	char msg[WATCH_ERR_MAX + 64];

	if (o->failed)
		snprintf(msg, sizeof(msg), _("erreur : %s"), o->error);
	else if (o->unchanged)
		snprintf(msg, sizeof(msg), "%s", _("inchangée depuis le "
		    "dernier relevé"));
	else
		snprintf(msg, sizeof(msg), o->added > 1 ? _("%d nouveaux "
		    "éléments") : _("%d nouvel élément"), o->added);
	line = json_pack("{s:I, s:s, s:s, s:i, s:s, s:s?, s:b}", "id",
	    (json_int_t)o->id, "name", o->name, "status", o->failed ? "error" :
	    o->unchanged ? "unchanged" : "ok", "added", o->added, "message",
	    msg, "error", o->failed ? o->error : NULL, "failed", o->failed);
	if (line != NULL && o->feed_url[0] != '\0')
		json_object_set_new(line, "feed_url", json_string(o->feed_url));
	json_array_append_new(report, line);
}

static vg_rc
fetch_done(vg_req *r, vg_resp *resp, json_t *report)
{
	vg_rc rc;

	if ((rc = sources_context(r, resp, NULL)) != VG_OK) {
		json_decref(report);
		return rc;
	}
	json_object_set_new(resp->ctx, "report", report);
	return VG_OK;
}

static vg_rc
fetch_one(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	struct watch_outcome o;
	json_t *report;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = watch_fetch_source(r->site->config, id, &o)) != VG_OK)
		return rc;
	if ((report = json_array()) == NULL)
		return VG_ENOMEM;
	report_outcome(&o, report);
	return fetch_done(r, resp, report);
}

static vg_rc
fetch_all(vg_req *r, vg_resp *resp)
{
	json_t *report = json_array();
	int failed;
	vg_rc rc;

	if (report == NULL)
		return VG_ENOMEM;
	if ((rc = watch_round(r->site->config, false, (int64_t)time(NULL),
	    report_outcome, report, &failed)) != VG_OK) {
		json_decref(report);
		return rc;
	}
	return fetch_done(r, resp, report);
}

/* Literal paths come before the patterns that would take them for an
 * id. */
static const vg_route routes[] = {
	{"GET", "/admin/veille", items_page, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/veille/lus", page_read, VG_ROLE_EDITOR,
	    PAGE_READ_BODY, 0},
	{"GET", "/admin/veille/sources", sources_page, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/veille/sources", source_create, VG_ROLE_EDITOR,
	    FORM_BODY, 0},
	{"POST", "/admin/veille/sources/relever", fetch_all, VG_ROLE_EDITOR,
	    ACTION_BODY, 0},
	{"GET", "/admin/veille/sources/:id", source_edit, VG_ROLE_EDITOR, 0,
	    0},
	{"POST", "/admin/veille/sources/:id", source_save, VG_ROLE_EDITOR,
	    FORM_BODY, 0},
	{"GET", "/admin/veille/sources/:id/supprimer", source_delete_confirm,
	    VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/veille/sources/:id/supprimer", source_delete,
	    VG_ROLE_EDITOR, ACTION_BODY, 0},
	{"POST", "/admin/veille/sources/:id/relever", fetch_one,
	    VG_ROLE_EDITOR, ACTION_BODY, 0},
	{"POST", "/admin/veille/:id/lu", item_read, VG_ROLE_EDITOR,
	    ACTION_BODY, 0},
	{"POST", "/admin/veille/:id/selection", item_select, VG_ROLE_EDITOR,
	    ACTION_BODY, 0},
	{"POST", "/admin/veille/:id/annotation", item_annotate,
	    VG_ROLE_EDITOR, FORM_BODY, 0},
};

const vg_route *
watch_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
