/*
 * routes.c — /groupe: the working group's pages.
 *
 * Every route needs a professional account; membership is checked here
 * and in store.c, and anything a person may not read answers the same
 * 404 as a case that does not exist, so that a case's existence is never
 * revealed.  Administrators and editors manage the members
 * (/groupe/membres) but read cases only if they are members themselves.
 *
 * Before a case or a contribution is saved, the detector (detect.h) looks
 * for identifying data; when it finds some, the form comes back with
 * status 422, the text kept and what was found, and the author removes
 * it or ticks "je confirme".  Confirmed saves are recorded as such.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/territory.h"
#include "core/utf8.h"
#include "core/when.h"
#include "render/page.h"
#include "workgroup/detect.h"
#include "workgroup/workgroup_int.h"

#define DETECT_MAX 32           /* findings shown at once */
#define CONTRIB_BODY_MAX \
	(WG_FILES_MAX * (WG_FILE_MAX + (WG_FILE_MAX >> 2)) + 256 * 1024)

static const char *
not_found(void)
{
	return _("Ce cas n'existe pas, ou vous n'y avez pas accès.");
}

static vg_rc
fail_case(vg_resp *resp, vg_rc rc)
{
	resp->tmpl = NULL;
	return rc == VG_ENOTFOUND ? vg_fail(resp, rc, not_found(), NULL) : rc;
}

static bool
manager(const vg_req *r)
{
	return r->user->role >= VG_ROLE_EDITOR;
}

/* --- the detector's step -------------------------------------------------- */

/* Append to found what the detector sees in the field's text. */
static void
detect_field(json_t *found, const char *field, const char *label,
    const char *text)
{
	struct wg_match m[DETECT_MAX];
	size_t n, i;

	if (text == NULL)
		return;
	n = wg_detect(text, strlen(text), m, DETECT_MAX);
	for (i = 0; i < n && i < DETECT_MAX; i++)
		json_array_append_new(found, json_pack("{s:s, s:s, s:i, s:s, "
		    "s:s%, s:I}", "field", field, "field_label", label,
		    "kind", (int)m[i].kind, "label", wg_ident_label(m[i].kind),
		    "text", text + m[i].off, m[i].len,
		    /* 1-based character position, for people */
		    "position", (json_int_t)vg_utf8_length(text, m[i].off) +
		    1));
}

/* VG_OK when nothing was found or the author confirmed; otherwise the
 * findings go into the context with status 422 and the caller shows the
 * form again.  *confirmed says whether a finding was confirmed. */
static bool
detector_stops(vg_req *r, vg_resp *resp, json_t *found, bool *confirmed)
{
	const char *c = vg_form_get(r->form, "confirmer");

	*confirmed = false;
	if (json_array_size(found) == 0) {
		json_decref(found);
		return false;
	}
	if (c != NULL && strcmp(c, "1") == 0) {
		*confirmed = true;
		json_decref(found);
		return false;
	}
	resp->status = 422;
	json_object_set_new(resp->ctx, "detected", found);
	json_object_set_new(resp->ctx, "message", json_string(_("Ce texte "
	    "semble contenir des données qui permettraient de reconnaître "
	    "une personne. Retirez-les, ou cochez la case de confirmation "
	    "si elles sont vraiment nécessaires.")));
	return true;
}

/* --- the list, the join page ------------------------------------------- */

static void
frame(vg_req *r, vg_resp *resp, const char *tmpl, const char *title)
{
	resp->tmpl = tmpl;
	json_object_set_new(resp->ctx, "title", json_string(title));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "can_manage", json_boolean(manager(r)));
}

static vg_rc
home(vg_req *r, vg_resp *resp)
{
	json_t *cases;
	vg_rc rc;

	if (!wg_is_member(r->user->id)) {
		frame(r, resp, "workgroup_join", _("Groupe de travail"));
		json_object_set_new(resp->ctx, "member", json_false());
		return VG_OK;
	}
	if ((rc = wg_case_list(r->site->keys, r->user->id, &cases)) != VG_OK)
		return rc;
	frame(r, resp, "workgroup", _("Groupe de travail"));
	json_object_set_new(resp->ctx, "member", json_true());
	json_object_set_new(resp->ctx, "cases", cases);
	return VG_OK;
}

/* --- a new case -------------------------------------------------------- */

/* The choices of the form, each marked "checked" when in values. */
static json_t *
choices(json_t *list, const char *chosen)
{
	json_t *o;
	size_t i;
	char pad[80];

	json_array_foreach(list, i, o) {
		snprintf(pad, sizeof(pad), " %s ", json_string_value(
		    json_object_get(o, "code")));
		if (chosen != NULL && strstr(chosen, pad) != NULL)
			json_object_set_new(o, "checked", json_true());
	}
	return list;
}

/* The values of every field `name` joined by spaces, with a space at
 * both ends (" a b "), in the arena; NULL when there is none.  Values
 * with a space are dropped: no code has one. */
static const char *
joined(vg_req *r, const char *name)
{
	const vg_form_field *f;
	vg_buf b = VG_BUF_INIT;
	const char *out = NULL;
	char *s;
	size_t len;

	for (f = r->form->first; f != NULL; f = f->next)
		if (strcmp(f->name, name) == 0 && f->path == NULL &&
		    f->len > 0 && f->len < 40 && strchr(f->value, ' ') == NULL)
			vg_buf_printf(&b, " %s", f->value);
	if (b.len > 0) {
		vg_buf_printf(&b, " ");
		if ((s = vg_buf_detach(&b, &len)) != NULL) {
			out = vg_arena_strdup(r->arena, s);
			free(s);
		}
	}
	vg_buf_free(&b);
	return out;
}

static void
case_form(vg_req *r, vg_resp *resp, const char *kinds, const char *profs,
    const char *dept, const char *named)
{
	json_t *depts = json_array(), *members = NULL, *o;
	size_t i;
	char pad[40];

	frame(r, resp, "workgroup_case_new", _("Nouveau cas"));
	json_object_set_new(resp->ctx, "kind_choices", choices(wg_kind_list(),
	    kinds));
	json_object_set_new(resp->ctx, "profession_choices",
	    choices(wg_profession_list(), profs));
	for (i = 0; depts != NULL && i < vg_dept_count(); i++) {
		const vg_dept *d = vg_dept_at(i);

		json_array_append_new(depts, json_pack("{s:s, s:s, s:b}",
		    "code", d->code, "name", d->name, "selected",
		    dept != NULL && strcmp(dept, d->code) == 0));
	}
	json_object_set_new(resp->ctx, "departements", depts);
	if (wg_members(&members) == VG_OK) {
		json_array_foreach(members, i, o) {
			int64_t id = json_integer_value(json_object_get(o,
			    "id"));

			snprintf(pad, sizeof(pad), " %lld ", (long long)id);
			json_object_del(o, "email");
			if (id == r->user->id)
				json_object_set_new(o, "me", json_true());
			if (named != NULL && strstr(named, pad) != NULL)
				json_object_set_new(o, "checked", json_true());
		}
		json_object_set_new(resp->ctx, "members", members);
	}
}

static vg_rc
case_new(vg_req *r, vg_resp *resp)
{
	if (!wg_is_member(r->user->id))
		return fail_case(resp, VG_ENOTFOUND);
	case_form(r, resp, NULL, NULL, NULL, NULL);
	return VG_OK;
}

/* The ids of the members named on the form, in the arena. */
static size_t
named_ids(vg_req *r, int64_t **out)
{
	const vg_form_field *f;
	size_t n = 0;
	int64_t *ids;
	char *end;
	long long v;

	*out = NULL;
	for (f = r->form->first; f != NULL; f = f->next)
		n += strcmp(f->name, "named") == 0;
	if (n == 0 || (ids = vg_arena_alloc(r->arena, n * sizeof(*ids))) ==
	    NULL)
		return 0;
	n = 0;
	for (f = r->form->first; f != NULL; f = f->next) {
		if (strcmp(f->name, "named") != 0)
			continue;
		v = strtoll(f->value, &end, 10);
		ids[n++] = *end == '\0' && end != f->value && v > 0 ? v : -1;
	}
	*out = ids;
	return n;
}

static vg_rc
case_create(vg_req *r, vg_resp *resp)
{
	struct wg_case_input in;
	const char *why, *field, *dept = NULL, *kinds, *profs, *named_s;
	const char *restricted;
	json_t *found;
	int64_t *named, id = 0;
	vg_rc rc;

	memset(&in, 0, sizeof(in));
	if (!wg_is_member(r->user->id))
		return fail_case(resp, VG_ENOTFOUND);
	kinds = joined(r, "kinds");
	profs = joined(r, "professions");
	named_s = joined(r, "named");
	case_form(r, resp, kinds, profs, vg_form_get(r->form, "departement"),
	    named_s);
	json_object_set_new(resp->ctx, "values", json_pack("{s:s?, s:s?}",
	    "title", vg_form_get(r->form, "title"),
	    "summary", vg_form_get(r->form, "summary")));
	restricted = vg_form_get(r->form, "restricted");
	if (restricted != NULL && strcmp(restricted, "1") == 0)
		json_object_set_new(json_object_get(resp->ctx, "values"),
		    "restricted", json_true());
	/* Not required here: wg_case_check() says what is missing, in the
	 * words of this form. */
	if ((rc = vg_req_text(r, resp, "title", WG_TITLE_MAX, false,
	    &in.title)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "summary", WG_TEXT_MAX, false,
	    &in.summary)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "departement", 3, false, &dept)) !=
	    VG_OK)
		return rc;
	if (dept != NULL && vg_dept_get(dept) == NULL)
		return vg_fail(resp, VG_EINVAL, _("Choisissez le département "
		    "dans la liste."), "departement");
	in.kinds = kinds;
	in.professions = profs;
	in.departement = dept;
	in.restricted = restricted != NULL && strcmp(restricted, "1") == 0;
	in.nnamed = in.restricted ? named_ids(r, &named) : 0;
	in.named = in.nnamed ? named : NULL;
	if (wg_case_check(&in, &why, &field) != VG_OK)
		return vg_fail(resp, VG_EINVAL, why, field);
	found = json_array();
	detect_field(found, "title", _("Titre"), in.title);
	detect_field(found, "summary", _("Résumé"), in.summary);
	if (detector_stops(r, resp, found, &in.confirmed))
		return VG_OK;
	if ((rc = wg_case_create(r->site->keys, r->user->id, &in,
	    (int64_t)time(NULL), &id, &why)) != VG_OK)
		return rc == VG_EINVAL ? vg_fail(resp, rc, why, "named") :
		    fail_case(resp, rc);
	resp->redirect = vg_arena_printf(r->arena, "/groupe/cas/%lld",
	    (long long)id);
	/* The JSON answer is the new case, not the form filled again. */
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "case", json_pack("{s:I, s:b}", "id",
	    (json_int_t)id, "confirmed", in.confirmed));
	return VG_OK;
}

/* --- a case ------------------------------------------------------------- */

/* Markdown as safe HTML next to the text, under key_html. */
static void
markdown(json_t *o, const char *key, const char *key_html)
{
	const char *md = json_string_value(json_object_get(o, key));
	char *html = vg_markdown_html(md ? md : "", md ? strlen(md) : 0);

	json_object_set_new(o, key_html, json_string(html ? html : ""));
	free(html);
}

static void
when_fr(json_t *o, const char *key)
{
	char buf[40], name[64];
	time_t t = (time_t)json_integer_value(json_object_get(o, key));
	struct tm tm;

	/* UTC, as the rest of the staff pages show. */
	strftime(buf, sizeof(buf), "%d/%m/%Y %H:%M", gmtime_r(&t, &tm));
	snprintf(name, sizeof(name), "%s_fr", key);
	json_object_set_new(o, name, json_string(buf));
}

/* The case page's context for case id; VG_ENOTFOUND when not readable. */
static vg_rc
case_page(vg_req *r, vg_resp *resp, int64_t id)
{
	json_t *c, *contribs, *o, *statuses, *s;
	size_t i;
	vg_rc rc;

	if ((rc = wg_case_get(r->site->keys, r->user->id, id, &c)) != VG_OK)
		return rc;
	markdown(c, "summary", "summary_html");
	when_fr(c, "created_at");
	when_fr(c, "updated_at");
	contribs = json_object_get(c, "contributions");
	json_array_foreach(contribs, i, o) {
		markdown(o, "body", "body_html");
		when_fr(o, "created_at");
	}
	statuses = wg_status_list();
	json_array_foreach(statuses, i, s)
		if (strcmp(json_string_value(json_object_get(s, "code")),
		    json_string_value(json_object_get(c, "status"))) == 0)
			json_object_set_new(s, "selected", json_true());
	frame(r, resp, "workgroup_case", json_string_value(json_object_get(c,
	    "title")));
	json_object_set_new(resp->ctx, "case", c);
	json_object_set_new(resp->ctx, "status_choices", statuses);
	json_object_set_new(resp->ctx, "max_mb", json_integer(WG_FILE_MAX >>
	    20));
	json_object_set_new(resp->ctx, "max_files", json_integer(
	    WG_FILES_MAX));
	return VG_OK;
}

static vg_rc
case_show(vg_req *r, vg_resp *resp)
{
	vg_rc rc = case_page(r, resp, vg_req_param_id(r, 0));

	return rc == VG_OK ? VG_OK : fail_case(resp, rc);
}

/* The attachments posted, read and checked, into *out (in the arena)
 * and *n; an error with the French message set on resp otherwise. */
static vg_rc
posted_files(vg_req *r, vg_resp *resp, struct wg_file **out, size_t *n)
{
	const vg_form_field *f;
	struct wg_file *files;
	unsigned char *data;
	FILE *fp;

	*out = NULL;
	*n = 0;
	files = vg_arena_alloc(r->arena, WG_FILES_MAX * sizeof(*files));
	if (files == NULL)
		return VG_ENOMEM;
	for (f = r->form->first; f != NULL; f = f->next) {
		if (strcmp(f->name, "piece") != 0 || f->path == NULL ||
		    (f->size == 0 && (f->filename == NULL ||
		    *f->filename == '\0')))
			continue;
		if (*n == WG_FILES_MAX)
			return vg_fail(resp, VG_EINVAL, vg_arena_printf(
			    r->arena, _("Joignez %d fichiers au plus à une "
			    "contribution."), WG_FILES_MAX), "piece");
		if (f->size > WG_FILE_MAX)
			return vg_fail(resp, VG_ETOOBIG, vg_arena_printf(
			    r->arena, _("« %s » est trop gros : %u Mo au plus "
			    "par fichier."), f->filename ? f->filename : "",
			    (unsigned)(WG_FILE_MAX >> 20)), "piece");
		if ((data = vg_arena_alloc(r->arena, f->size + 1)) == NULL)
			return VG_ENOMEM;
		if ((fp = fopen(f->path, "rb")) == NULL)
			return VG_EIO;
		if (fread(data, 1, f->size, fp) != f->size) {
			fclose(fp);
			return VG_EIO;
		}
		fclose(fp);
		files[*n].name = f->filename && *f->filename ? f->filename :
		    "piece-jointe";
		files[*n].data = data;
		files[*n].size = f->size;
		if ((files[*n].type = wg_sniff(data, f->size)) == NULL)
			return vg_fail(resp, VG_EMEDIA, vg_arena_printf(
			    r->arena, _("« %s » n'est pas d'un type accepté. "
			    "Joignez un PDF, une image PNG ou JPEG, un texte "
			    "ODT ou un fichier texte."), files[*n].name),
			    "piece");
		(*n)++;
	}
	*out = files;
	return VG_OK;
}

/* Show the case again, with the contribution's text kept, after an
 * error or the detector's stop (rc: what to return). */
static vg_rc
contribution_again(vg_req *r, vg_resp *resp, int64_t id, vg_rc rc)
{
	int status = resp->status;
	const char *msg = resp->message, *field = resp->field;

	if (case_page(r, resp, id) != VG_OK)
		return fail_case(resp, VG_ENOTFOUND);
	resp->status = status;
	resp->message = msg;
	resp->field = field;
	json_object_set_new(resp->ctx, "values", json_pack("{s:s?}", "body",
	    vg_form_get(r->form, "body")));
	if (json_object_get(resp->ctx, "detected") != NULL &&
	    vg_form_field_get(r->form, "piece") != NULL)
		json_object_set_new(resp->ctx, "files_dropped", json_true());
	return rc;
}

static vg_rc
contribute(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0), cid = 0;
	const char *body = NULL;
	struct wg_file *files;
	size_t nfiles;
	bool confirmed;
	json_t *found;
	vg_rc rc;

	/* Who may not read the case learns nothing, not even whether the
	 * form was well filled. */
	if (!wg_is_member(r->user->id))
		return fail_case(resp, VG_ENOTFOUND);
	if ((rc = vg_req_text(r, resp, "body", WG_TEXT_MAX, true, &body)) !=
	    VG_OK || (rc = posted_files(r, resp, &files, &nfiles)) != VG_OK)
		return contribution_again(r, resp, id, rc);
	found = json_array();
	detect_field(found, "body", _("Contribution"), body);
	if (detector_stops(r, resp, found, &confirmed))
		return contribution_again(r, resp, id, VG_OK);
	if ((rc = wg_contribution_add(r->site->keys, r->user->id, id, body,
	    confirmed, files, nfiles, (int64_t)time(NULL), &cid)) != VG_OK)
		return fail_case(resp, rc);
	resp->redirect = vg_arena_printf(r->arena, "/groupe/cas/%lld#c%lld",
	    (long long)id, (long long)cid);
	json_object_set_new(resp->ctx, "contribution", json_pack("{s:I, s:b, "
	    "s:I}", "id", (json_int_t)cid, "confirmed", confirmed,
	    "attachments", (json_int_t)nfiles));
	return VG_OK;
}

static vg_rc
set_status(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	const char *status = vg_form_get(r->form, "status");
	vg_rc rc;

	if (!wg_is_member(r->user->id))
		return fail_case(resp, VG_ENOTFOUND);
	if (status == NULL || wg_status_label(status) == NULL) {
		vg_fail(resp, VG_EINVAL, _("Choisissez un statut dans la "
		    "liste : ouvert, suivi ou clos."), "status");
		return contribution_again(r, resp, id, VG_EINVAL);
	}
	if ((rc = wg_case_set_status(r->user->id, id, status,
	    (int64_t)time(NULL))) != VG_OK)
		return fail_case(resp, rc);
	resp->redirect = vg_arena_printf(r->arena, "/groupe/cas/%lld",
	    (long long)id);
	json_object_set_new(resp->ctx, "case", json_pack("{s:I, s:s}", "id",
	    (json_int_t)id, "status", status));
	return VG_OK;
}

static vg_rc
follow(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	const char *on = vg_form_get(r->form, "suivre");
	vg_rc rc;

	if ((rc = wg_case_follow(r->user->id, id, on != NULL &&
	    strcmp(on, "1") == 0)) != VG_OK)
		return fail_case(resp, rc);
	resp->redirect = vg_arena_printf(r->arena, "/groupe/cas/%lld",
	    (long long)id);
	json_object_set_new(resp->ctx, "case", json_pack("{s:I, s:b}", "id",
	    (json_int_t)id, "following", on != NULL && strcmp(on, "1") == 0));
	return VG_OK;
}

static vg_rc
attachment(vg_req *r, vg_resp *resp)
{
	char *name, *type;
	unsigned char *data;
	size_t size;
	vg_buf b = VG_BUF_INIT;
	vg_rc rc;

	if ((rc = wg_attachment_get(r->site->keys, r->user->id,
	    vg_req_param_id(r, 0), vg_req_param_id(r, 1), &name, &type, &data,
	    &size)) != VG_OK)
		return fail_case(resp, rc);
	vg_buf_append(&b, data, size);
	/* With a file name: always a download, never shown inline. */
	rc = vg_resp_body(r, resp, &b, vg_arena_strdup(r->arena, type),
	    vg_arena_strdup(r->arena, name));
	vg_buf_free(&b);
	free(name);
	free(type);
	free(data);
	return rc;
}

/* --- meetings ------------------------------------------------------------ */

static vg_rc
meetings_page(vg_req *r, vg_resp *resp)
{
	json_t *list, *cases;
	vg_rc rc;

	if ((rc = wg_meeting_list(r->user->id, &list)) != VG_OK)
		return fail_case(resp, rc);
	frame(r, resp, "workgroup_meetings", _("Réunions du groupe de "
	    "travail"));
	json_object_set_new(resp->ctx, "meetings", list);
	if ((rc = wg_case_list(r->site->keys, r->user->id, &cases)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "case_choices", cases);
	return VG_OK;
}

/* The ids of every field `name` that is a positive integer, in the
 * arena; -1 for a value that is not. */
static size_t
posted_ids(vg_req *r, const char *name, int64_t **out)
{
	const vg_form_field *f;
	size_t n = 0;
	int64_t *ids;
	char *end;
	long long v;

	*out = NULL;
	for (f = r->form->first; f != NULL; f = f->next)
		n += strcmp(f->name, name) == 0;
	if (n == 0 || (ids = vg_arena_alloc(r->arena, n * sizeof(*ids))) ==
	    NULL)
		return 0;
	n = 0;
	for (f = r->form->first; f != NULL; f = f->next) {
		if (strcmp(f->name, name) != 0)
			continue;
		v = strtoll(f->value, &end, 10);
		ids[n++] = *end == '\0' && end != f->value && v > 0 ? v : -1;
	}
	*out = ids;
	return n;
}

static vg_rc
meeting_create(vg_req *r, vg_resp *resp)
{
	struct wg_meeting_input in;
	const char *why, *field;
	int64_t *cases, id = 0;
	vg_rc rc;

	memset(&in, 0, sizeof(in));
	if ((rc = meetings_page(r, resp)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "values", json_pack("{s:s?, s:s?, "
	    "s:s?, s:s?}", "day", vg_form_get(r->form, "day"), "time",
	    vg_form_get(r->form, "time"), "place", vg_form_get(r->form,
	    "place"), "agenda", vg_form_get(r->form, "agenda")));
	if ((rc = vg_req_text(r, resp, "day", 10, false, &in.day)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "time", 5, false, &in.time)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "place", 300, false, &in.place)) !=
	    VG_OK ||
	    (rc = vg_req_text(r, resp, "agenda", WG_TEXT_MAX, false,
	    &in.agenda)) != VG_OK)
		return rc;
	in.ncases = posted_ids(r, "cases", &cases);
	in.cases = cases;
	if (wg_meeting_check(&in, &why, &field) != VG_OK)
		return vg_fail(resp, VG_EINVAL, why, field);
	if ((rc = wg_meeting_create(r->site->keys, r->user->id, &in,
	    (int64_t)time(NULL), &id, &why)) != VG_OK)
		return rc == VG_EINVAL ? vg_fail(resp, rc, why, "cases") :
		    fail_case(resp, rc);
	resp->redirect = vg_arena_printf(r->arena, "/groupe/reunions/%lld",
	    (long long)id);
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "meeting", json_pack("{s:I}", "id",
	    (json_int_t)id));
	return VG_OK;
}

static vg_rc
meeting_page(vg_req *r, vg_resp *resp, int64_t id)
{
	json_t *m, *members = NULL, *o;
	size_t i;
	vg_rc rc;

	if ((rc = wg_meeting_get(r->site->keys, r->user->id, id, &m)) != VG_OK)
		return rc;
	markdown(m, "agenda", "agenda_html");
	markdown(m, "notes", "notes_html");
	frame(r, resp, "workgroup_meeting", vg_arena_printf(r->arena,
	    _("Réunion du %s"), json_string_value(json_object_get(m, "day"))));
	json_object_set_new(resp->ctx, "meeting", m);
	if (wg_members(&members) == VG_OK) {
		json_array_foreach(members, i, o)
			json_object_del(o, "email");
		json_object_set_new(resp->ctx, "members", members);
	}
	return VG_OK;
}

static vg_rc
meeting_show(vg_req *r, vg_resp *resp)
{
	vg_rc rc = meeting_page(r, resp, vg_req_param_id(r, 0));

	return rc == VG_OK ? VG_OK : rc == VG_ENOTFOUND ? vg_fail(resp, rc,
	    _("Cette réunion n'existe pas, ou vous n'y avez pas accès."),
	    NULL) : rc;
}

static vg_rc
meeting_notes(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	const char *notes = NULL;
	vg_rc rc;

	if ((rc = vg_req_text(r, resp, "notes", WG_TEXT_MAX, false, &notes))
	    != VG_OK)
		return rc;
	if ((rc = wg_meeting_notes(r->site->keys, r->user->id, id,
	    notes ? notes : "")) != VG_OK)
		return rc == VG_ENOTFOUND ? meeting_show(r, resp) : rc;
	resp->redirect = vg_arena_printf(r->arena, "/groupe/reunions/%lld",
	    (long long)id);
	json_object_set_new(resp->ctx, "meeting", json_pack("{s:I}", "id",
	    (json_int_t)id));
	return VG_OK;
}

static vg_rc
decision_add(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0), *who, t;
	const char *what = NULL, *due = NULL;
	vg_rc rc;

	if (!wg_is_member(r->user->id))
		return meeting_show(r, resp);
	if ((rc = vg_req_text(r, resp, "what", 2000, true, &what)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "due", 10, false, &due)) != VG_OK)
		return rc;
	if (due != NULL && !vg_date_parse(due, &t))
		return vg_fail(resp, VG_EINVAL, _("Indiquez l'échéance sous la "
		    "forme AAAA-MM-JJ."), "due");
	if (posted_ids(r, "who", &who) != 1 || who[0] <= 0)
		return vg_fail(resp, VG_EINVAL, _("Choisissez qui s'en charge "
		    "parmi les membres."), "who");
	rc = wg_decision_add(r->site->keys, r->user->id, id, what, who[0],
	    due);
	if (rc == VG_EINVAL)
		return vg_fail(resp, rc, _("Choisissez qui s'en charge parmi "
		    "les membres."), "who");
	if (rc != VG_OK)
		return rc == VG_ENOTFOUND ? meeting_show(r, resp) : rc;
	resp->redirect = vg_arena_printf(r->arena, "/groupe/reunions/%lld",
	    (long long)id);
	json_object_set_new(resp->ctx, "meeting", json_pack("{s:I}", "id",
	    (json_int_t)id));
	return VG_OK;
}

/* --- members ------------------------------------------------------------ */

static vg_rc
members_page(vg_req *r, vg_resp *resp)
{
	json_t *members;
	vg_rc rc;

	if ((rc = wg_members(&members)) != VG_OK)
		return rc;
	frame(r, resp, "workgroup_members", _("Membres du groupe de travail"));
	json_object_set_new(resp->ctx, "members", members);
	return VG_OK;
}

static vg_rc
member_add(vg_req *r, vg_resp *resp)
{
	const char *email = NULL;
	int64_t id = 0;
	vg_rc rc;

	if ((rc = members_page(r, resp)) != VG_OK)
		return rc;
	if ((rc = vg_req_text(r, resp, "email", 254, true, &email)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "values", json_pack("{s:s}", "email",
	    email));
	rc = wg_member_add(r->user->id, email, &id);
	if (rc == VG_ENOTFOUND)
		return vg_fail(resp, VG_EINVAL, _("Aucun compte actif ne "
		    "porte cette adresse. La personne doit d'abord demander "
		    "un compte professionnel."), "email");
	if (rc == VG_ECONFLICT)
		return vg_fail(resp, rc, _("Cette personne fait déjà partie du "
		    "groupe."), "email");
	if (rc != VG_OK)
		return rc;
	resp->redirect = "/groupe/membres";
	json_object_set_new(resp->ctx, "added", json_pack("{s:I}", "id",
	    (json_int_t)id));
	return VG_OK;
}

static vg_rc
member_remove(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	vg_rc rc;

	if ((rc = wg_member_remove(r->user->id, id)) != VG_OK)
		return rc == VG_ENOTFOUND ? vg_fail(resp, rc, _("Cette "
		    "personne ne fait pas partie du groupe."), NULL) : rc;
	resp->redirect = "/groupe/membres";
	json_object_set_new(resp->ctx, "removed", json_pack("{s:I}", "id",
	    (json_int_t)id));
	return VG_OK;
}

/* --- shared with documents.c ------------------------------------------- */

void
wg_frame(vg_req *r, vg_resp *resp, const char *tmpl, const char *title)
{
	frame(r, resp, tmpl, title);
}

void
wg_detect_field(json_t *found, const char *field, const char *label,
    const char *text)
{
	detect_field(found, field, label, text);
}

bool
wg_detector_stops(vg_req *r, vg_resp *resp, json_t *found, bool *confirmed)
{
	return detector_stops(r, resp, found, confirmed);
}

void
wg_markdown(json_t *o, const char *key, const char *key_html)
{
	markdown(o, key, key_html);
}

void
wg_when_fr(json_t *o, const char *key)
{
	when_fr(o, key);
}

static const vg_route routes[] = {
	{"GET", "/groupe", home, VG_ROLE_PROFESSIONAL, 0, 0},
	{"GET", "/groupe/cas/nouveau", case_new, VG_ROLE_PROFESSIONAL, 0, 0},
	{"POST", "/groupe/cas/nouveau", case_create, VG_ROLE_PROFESSIONAL,
	    256 * 1024, 0},
	{"GET", "/groupe/cas/:id", case_show, VG_ROLE_PROFESSIONAL, 0, 0},
	{"POST", "/groupe/cas/:id/contributions", contribute,
	    VG_ROLE_PROFESSIONAL, CONTRIB_BODY_MAX, VG_ROUTE_FILES},
	{"POST", "/groupe/cas/:id/statut", set_status, VG_ROLE_PROFESSIONAL,
	    0, 0},
	{"POST", "/groupe/cas/:id/suivi", follow, VG_ROLE_PROFESSIONAL, 0, 0},
	{"GET", "/groupe/cas/:id/pieces/:pid", attachment,
	    VG_ROLE_PROFESSIONAL, 0, 0},
	{"GET", "/groupe/reunions", meetings_page, VG_ROLE_PROFESSIONAL, 0,
	    0},
	{"POST", "/groupe/reunions", meeting_create, VG_ROLE_PROFESSIONAL,
	    64 * 1024, 0},
	{"GET", "/groupe/reunions/:id", meeting_show, VG_ROLE_PROFESSIONAL, 0,
	    0},
	{"POST", "/groupe/reunions/:id/notes", meeting_notes,
	    VG_ROLE_PROFESSIONAL, 64 * 1024, 0},
	{"POST", "/groupe/reunions/:id/decisions", decision_add,
	    VG_ROLE_PROFESSIONAL, 0, 0},
	{"GET", "/groupe/documents", wg_docs_page, VG_ROLE_PROFESSIONAL, 0,
	    0},
	{"POST", "/groupe/documents", wg_docs_add, VG_ROLE_PROFESSIONAL,
	    WG_FILE_MAX + (WG_FILE_MAX >> 2) + 256 * 1024, VG_ROUTE_FILES},
	{"GET", "/groupe/documents/:id", wg_docs_show, VG_ROLE_PROFESSIONAL,
	    0, 0},
	{"GET", "/groupe/documents/:id/fichier", wg_docs_download,
	    VG_ROLE_PROFESSIONAL, 0, 0},
	{"GET", "/groupe/documents/:id/suppression", wg_docs_delete_page,
	    VG_ROLE_PROFESSIONAL, 0, 0},
	{"POST", "/groupe/documents/:id/suppression", wg_docs_delete,
	    VG_ROLE_PROFESSIONAL, 0, 0},
	{"GET", "/groupe/membres", members_page, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/groupe/membres", member_add, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/groupe/membres/:id/retrait", member_remove, VG_ROLE_EDITOR,
	    0, 0},
};

const vg_route *
workgroup_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
