/*
 * routes.c — the questionnaires over HTTP: answering at /q/FORM_ID, and
 * the observatory's pages under /admin/questionnaires.
 *
 * Answering is a sequence of POST forms carrying the person's progress
 * sealed in a hidden field: nothing is kept on the server until the
 * answers are sent (or saved, with a resume code, at the person's
 * request), and nothing of them goes into a URL.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/territory.h"
#include "core/when.h"
#include "surveys/surveys_int.h"
#include "surveys/xlsform.h"

#define ANSWER_BODY (512 * 1024)
#define SMALL_BODY (8 * 1024)
#define IMPORT_MAX ((size_t)20 * 1024 * 1024)

static const char *
param_form(vg_req *r)
{
	const char *f = r->params[0];
	size_t i;

	/* form_id: [a-z0-9_-], checked at import. */
	for (i = 0; f != NULL && f[i] != '\0'; i++)
		if (!islower((unsigned char)f[i]) && !isdigit((unsigned char)
		    f[i]) && f[i] != '_' && f[i] != '-')
			return NULL;
	return f != NULL && i > 0 && i < 80 ? f : NULL;
}

static bool
has_language(const json_t *def, const char *lang)
{
	json_t *l;
	size_t i;

	json_array_foreach(json_object_get(def, "languages"), i, l)
		if (!strcmp(json_string_value(l), lang))
			return true;
	return false;
}

/* What every answering page shows of the form and the wave. */
static void
common(vg_req *r, vg_resp *resp, const struct wave *w, const char *lang)
{
	json_t *langs = json_array(), *l;
	size_t i;
	char closes[32] = "";

	json_array_foreach(json_object_get(w->def, "languages"), i, l)
		json_array_append_new(langs, json_pack("{s:O, s:s, s:b}",
		    "code", l, "label", !strcmp(json_string_value(l), "fr") ?
		    "Français" : !strcmp(json_string_value(l), "en") ?
		    "English" : json_string_value(l), "selected",
		    !strcmp(json_string_value(l), lang)));
	if (w->closes_at)
		vg_time_text(w->closes_at - 1, "%d/%m/%Y", closes,
		    sizeof(closes));
	json_object_set_new(resp->ctx, "title", json_string(json_string_value(
	    json_object_get(w->def, "title"))));
	json_object_set_new(resp->ctx, "form", json_pack("{s:s, s:O}", "id",
	    w->form_id, "title", json_object_get(w->def, "title")));
	json_object_set_new(resp->ctx, "wave", json_pack("{s:I, s:s, s:s?, "
	    "s:b, s:b, s:b}", "id", (json_int_t)w->id, "name", w->name,
	    "closes", *closes ? closes : NULL, "panel", w->panel,
	    "anonymous", !w->identified, "linkage", w->linkage));
	json_object_set_new(resp->ctx, "languages", json_array_size(langs) > 1 ?
	    langs : json_array());
	if (json_array_size(langs) <= 1)
		json_decref(langs);
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "action", json_string(vg_arena_printf(
	    r->arena, "/q/%s", w->form_id)));
}

static void
start_page(vg_req *r, vg_resp *resp, const struct wave *w, const char *lang)
{
	common(r, resp, w, lang);
	resp->tmpl = "q_start";
	json_object_set_new(resp->ctx, "pages", json_integer((json_int_t)
	    json_array_size(json_object_get(w->def, "pages"))));
	json_object_set_new(resp->ctx, "lang", json_string(lang));
}

/* The open wave of the form in the path; a closed form is a 404 with a
 * French message (a closed wave says nothing more). */
static vg_rc
open_wave(vg_req *r, vg_resp *resp, struct wave *w)
{
	const char *fid = param_form(r);
	bool open;
	vg_rc rc;

	if (fid == NULL)
		return VG_ENOTFOUND;
	rc = wave_current(fid, (int64_t)time(NULL), w, &open);
	if (rc != VG_OK)
		return rc;
	if (!open) {
		resp->tmpl = "q_closed";
		json_object_set_new(resp->ctx, "title", json_string(
		    json_string_value(json_object_get(w->def, "title"))));
		wave_free(w);
		return vg_fail(resp, VG_ENOTFOUND, _("Ce questionnaire n'est "
		    "pas ouvert en ce moment. Merci de votre intérêt : "
		    "revenez à la prochaine vague."), NULL);
	}
	return VG_OK;
}

static vg_rc
q_start(vg_req *r, vg_resp *resp)
{
	struct wave w;
	const char *lang = vg_form_get(r->query, "lang");
	vg_rc rc;

	if ((rc = open_wave(r, resp, &w)) != VG_OK)
		return rc;
	if (lang == NULL || !has_language(w.def, lang))
		lang = "fr";
	start_page(r, resp, &w, lang);
	wave_free(&w);
	return VG_OK;
}

/* Show page p->page (or the sending page), with the errors found. */
static vg_rc
show(vg_req *r, vg_resp *resp, const struct wave *w, struct progress *p,
    const json_t *errors, const json_t *posted)
{
	const char *state = progress_encode(r->arena, r->site->keys, p);

	if (state == NULL)
		return VG_ENOMEM;
	common(r, resp, w, p->lang);
	json_object_set_new(resp->ctx, "state", json_string(state));
	json_object_set_new(resp->ctx, "lang", json_string(p->lang));
	if (p->review) {
		resp->tmpl = "q_review";
		json_object_set_new(resp->ctx, "answered", json_integer(
		    (json_int_t)json_object_size(p->answers)));
		return VG_OK;
	}
	resp->tmpl = "q_page";
	json_object_set_new(resp->ctx, "page", page_view(w->def, p->page,
	    p->answers, p->lang, errors, posted));
	json_object_set_new(resp->ctx, "can_go_back", json_boolean(
	    page_step(w->def, p->page, -1, p->answers) >= 0));
	return VG_OK;
}

/* The linkage code built from three cues, folded, as its keyed hash. */
static vg_rc
linkage(vg_req *r, vg_resp *resp, char out[VG_TOKEN_CHARS + 1])
{
	const char *a = vg_form_get(r->form, "cue_mother");
	const char *b = vg_form_get(r->form, "cue_day");
	const char *c = vg_form_get(r->form, "cue_town");
	char *fa, *fc, code[32];
	int day;

	fa = a ? vg_fold_key(a) : NULL;
	fc = c ? vg_fold_key(c) : NULL;
	if (fa == NULL || strlen(fa) < 2 || !isalpha((unsigned char)fa[0]) ||
	    !isalpha((unsigned char)fa[1])) {
		free(fa);
		free(fc);
		return vg_fail(resp, VG_EINVAL, _("Écrivez les deux premières "
		    "lettres du prénom de votre mère (ou d'une personne qui "
		    "vous a élevé·e)."), "cue_mother");
	}
	if (b == NULL || (day = atoi(b)) < 1 || day > 31 ||
	    strspn(b, "0123456789") != strlen(b)) {
		free(fa);
		free(fc);
		return vg_fail(resp, VG_EINVAL, _("Écrivez le jour de votre "
		    "naissance, de 1 à 31."), "cue_day");
	}
	if (fc == NULL || strlen(fc) < 2 || !isalpha((unsigned char)fc[0]) ||
	    !isalpha((unsigned char)fc[1])) {
		free(fa);
		free(fc);
		return vg_fail(resp, VG_EINVAL, _("Écrivez les deux premières "
		    "lettres de votre ville de naissance."), "cue_town");
	}
	snprintf(code, sizeof(code), "%.2s%02d%.2s", fa, day, fc);
	free(fa);
	free(fc);
	code_hash(r->site->keys, code, out);
	return VG_OK;
}

static vg_rc
begin(vg_req *r, vg_resp *resp, struct wave *w)
{
	struct progress p;
	const char *lang = vg_form_get(r->form, "lang");
	vg_rc rc;

	memset(&p, 0, sizeof(p));
	p.wave = w->id;
	p.page = -1;
	vg_token_new(p.nonce);
	snprintf(p.lang, sizeof(p.lang), "%s", lang && has_language(w->def,
	    lang) ? lang : "fr");
	start_page(r, resp, w, p.lang);
	if (w->panel) {
		const char *code = vg_form_get(r->form, "code");
		bool used;

		if (code == NULL || *code == '\0')
			return vg_fail(resp, VG_EINVAL, _("Écrivez le code reçu "
			    "dans votre invitation."), "code");
		rc = participant_find(r->site->keys, w->id, code,
		    &p.participant, &used);
		if (rc == VG_ENOTFOUND)
			return vg_fail(resp, VG_EINVAL, _("Ce code d'invitation "
			    "n'existe pas. Vérifiez-le dans votre invitation "
			    "(les tirets et les majuscules ne comptent pas)."),
			    "code");
		if (rc != VG_OK)
			return rc;
		if (used)
			return vg_fail(resp, VG_ECONFLICT, _("Ce code "
			    "d'invitation a déjà servi : les réponses ont été "
			    "envoyées. Merci !"), "code");
	}
	if (w->linkage && (rc = linkage(r, resp, p.link)) != VG_OK)
		return rc;
	if ((p.answers = json_object()) == NULL)
		return VG_ENOMEM;
	p.page = page_step(w->def, -1, 1, p.answers);
	if (p.page < 0) {
		progress_free(&p);
		return VG_EINTERNAL;
	}
	json_object_clear(resp->ctx);
	wave_count_start(w->id);
	rc = show(r, resp, w, &p, NULL, NULL);
	progress_free(&p);
	return rc;
}

static vg_rc
resume(vg_req *r, vg_resp *resp, struct wave *w)
{
	const char *code = vg_form_get(r->form, "resume");
	struct progress p;
	char *state = NULL;
	vg_rc rc;

	start_page(r, resp, w, "fr");
	if (code == NULL || *code == '\0')
		return vg_fail(resp, VG_EINVAL, _("Écrivez le code de reprise "
		    "que vous avez noté."), "resume");
	rc = draft_load(r->site->keys, w->id, code, &state);
	if (rc == VG_ENOTFOUND)
		return vg_fail(resp, VG_EINVAL, _("Ce code de reprise n'existe "
		    "pas ou a expiré (30 jours)."), "resume");
	if (rc != VG_OK)
		return rc;
	rc = progress_decode(r->site->keys, state, w->id, &p);
	free(state);
	if (rc != VG_OK)
		return vg_fail(resp, VG_EINVAL, _("Ces réponses enregistrées ne "
		    "peuvent plus être reprises."), "resume");
	/* A code resumes once: the next save gives a new one. */
	draft_delete(r->site->keys, code);
	json_object_clear(resp->ctx);
	rc = show(r, resp, w, &p, NULL, NULL);
	progress_free(&p);
	return rc;
}

static vg_rc
q_post(vg_req *r, vg_resp *resp)
{
	const char *action = vg_form_get(r->form, "action");
	struct wave w;
	struct progress p;
	json_t *errors = NULL, *posted = NULL;
	vg_rc rc;

	if ((rc = open_wave(r, resp, &w)) != VG_OK)
		return rc;
	if (action != NULL && !strcmp(action, "commencer")) {
		rc = begin(r, resp, &w);
		wave_free(&w);
		return rc;
	}
	if (action != NULL && !strcmp(action, "reprendre")) {
		rc = resume(r, resp, &w);
		wave_free(&w);
		return rc;
	}
	if (progress_decode(r->site->keys, vg_form_get(r->form, "state"), w.id,
	    &p) != VG_OK || (!p.review && !page_relevant(w.def, p.page,
	    p.answers) && p.page >= 0)) {
		start_page(r, resp, &w, "fr");
		wave_free(&w);
		return vg_fail(resp, VG_EINVAL, _("Vos réponses n'ont pas pu "
		    "être reprises (la page a peut-être été modifiée, ou la "
		    "vague a changé). Recommencez, ou reprenez avec votre code "
		    "de reprise."), "state");
	}
	if (action == NULL)
		action = "continuer";
	if (!strcmp(action, "enregistrer")) {
		char code[16];
		const char *state;

		/* What is typed on this page is kept, checked or not. */
		if (!p.review) {
			page_apply(w.def, p.page, r->form, p.answers, &errors,
			    &posted);
			json_decref(errors);
			json_decref(posted);
			errors = posted = NULL;
		}
		state = progress_encode(r->arena, r->site->keys, &p);
		rc = state ? draft_save(r->site->keys, w.id, state, code) :
		    VG_ENOMEM;
		if (rc == VG_OK) {
			common(r, resp, &w, p.lang);
			resp->tmpl = "q_saved";
			json_object_set_new(resp->ctx, "resume_code",
			    json_string(code));
		}
	} else if (!strcmp(action, "precedent")) {
		int prev = p.review ? page_step(w.def, (int)json_array_size(
		    json_object_get(w.def, "pages")), -1, p.answers) :
		    page_step(w.def, p.page, -1, p.answers);

		if (prev >= 0) {
			p.page = prev;
			p.review = false;
		}
		rc = show(r, resp, &w, &p, NULL, NULL);
	} else if (!strcmp(action, "envoyer") && p.review) {
		const char *missing = answers_finish(w.def, p.answers);
		int64_t id;

		if (missing != NULL) {
			p.review = false;
			p.page = page_step(w.def, -1, 1, p.answers);
			show(r, resp, &w, &p, NULL, NULL);
			rc = vg_fail(resp, VG_EINVAL, _("Une réponse obligatoire "
			    "manque : reprenez depuis le début."), missing);
		} else {
			rc = response_insert(r->site->keys, &w, p.answers,
			    p.lang, p.participant, *p.link ? p.link : NULL,
			    p.nonce, &id);
			if (rc == VG_ECONFLICT) {
				common(r, resp, &w, p.lang);
				resp->tmpl = "q_done";
				rc = vg_fail(resp, rc, _("Ces réponses ont déjà "
				    "été envoyées (ou ce code d'invitation a déjà "
				    "servi) : elles ne sont pas enregistrées une "
				    "deuxième fois."), "state");
			} else if (rc == VG_OK) {
				/* Only now, once the answers are on disk. */
				common(r, resp, &w, p.lang);
				resp->tmpl = "q_done";
				json_object_set_new(resp->ctx, "received",
				    json_true());
			}
		}
	} else if (!strcmp(action, "continuer") && !p.review) {
		page_apply(w.def, p.page, r->form, p.answers, &errors, &posted);
		if (json_object_size(errors) > 0) {
			json_t *list = json_array(), *m;
			const char *first = NULL, *key;

			/* In the page's order (jansson keeps it), for the
			 * summary and for JSON clients (error.details). */
			json_object_foreach(errors, key, m) {
				if (first == NULL)
					first = key;
				json_array_append_new(list, json_pack(
				    "{s:s, s:O}", "field", key, "message", m));
			}
			show(r, resp, &w, &p, errors, posted);
			json_object_set_new(resp->ctx, "errors", list);
			rc = vg_fail(resp, VG_EINVAL, json_object_size(errors) ==
			    1 ? vg_arena_strdup(r->arena, json_string_value(
			    json_object_get(errors, first))) :
			    _("Des réponses sont à corriger : voyez les messages "
			    "sous les questions."), vg_arena_strdup(r->arena,
			    first));
		} else {
			int next = page_step(w.def, p.page, 1, p.answers);

			if (next < 0)
				p.review = true;
			else
				p.page = next;
			rc = show(r, resp, &w, &p, NULL, NULL);
		}
	} else {
		show(r, resp, &w, &p, NULL, NULL);
		rc = vg_fail(resp, VG_EINVAL, _("Action inconnue."), "action");
	}
	json_decref(errors);
	json_decref(posted);
	progress_free(&p);
	wave_free(&w);
	return rc;
}

/* --- the observatory's pages ------------------------------------------- */

static vg_rc
forms_list(vg_req *r, vg_resp *resp)
{
	static const char q[] = "SELECT f.id, f.form_id, f.title, f.version, "
	    "(SELECT count(*) FROM survey_waves w WHERE w.form_id = f.id), "
	    "(SELECT count(*) FROM survey_responses x JOIN survey_waves w "
	    "ON w.id = x.wave_id WHERE w.form_id = f.id) "
	    "FROM survey_forms f ORDER BY f.modified_at DESC, f.id DESC";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	resp->tmpl = "admin_surveys";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Questionnaires")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	if (db == NULL || (rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return db == NULL ? VG_EDB : rc;
	}
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s?, "
		    "s:I, s:I}", "id", (json_int_t)vg_stmt_int(st, 0),
		    "form_id", vg_stmt_text(st, 1), "title", vg_stmt_text(st, 2),
		    "version", vg_stmt_text(st, 3), "waves",
		    (json_int_t)vg_stmt_int(st, 4), "responses",
		    (json_int_t)vg_stmt_int(st, 5)));
	vg_stmt_done(st);
	json_object_set_new(resp->ctx, "forms", list);
	return rc;
}

static char *
slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	*len = 0;
	if (f == NULL || (buf = malloc(max + 1)) == NULL) {
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, max, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static vg_rc
form_import(vg_req *r, vg_resp *resp)
{
	const vg_form_field *up = vg_form_field_get(r->form, "file");
	char err[1024], base[100];
	json_t *form = NULL;
	char *data;
	size_t len, i;
	int64_t id;
	vg_rc rc;

	forms_list(r, resp);
	if (up == NULL || up->filename == NULL || up->size == 0)
		return vg_fail(resp, VG_EINVAL, _("Choisissez un fichier XLSForm "
		    "(.xlsx) à importer."), "file");
	if (up->size > IMPORT_MAX)
		return vg_fail(resp, VG_ETOOBIG, _("Ce fichier est trop gros "
		    "(20 Mo au plus)."), "file");
	if ((data = slurp(up->path, up->size, &len)) == NULL)
		return VG_EIO;
	/* The file's name names a form without a form_id setting. */
	snprintf(base, sizeof(base), "%s", up->filename);
	if (strrchr(base, '.') != NULL)
		*strrchr(base, '.') = '\0';
	for (i = 0; base[i] != '\0'; i++)
		base[i] = isalnum((unsigned char)base[i]) ?
		    (char)tolower((unsigned char)base[i]) : '_';
	if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
		rc = vg_xlsform_read_xlsx(data, len, base, &form, err,
		    sizeof(err));
	else
		rc = vg_xlsform_read_csv(data, len, NULL, 0, NULL, 0, base,
		    &form, err, sizeof(err));
	free(data);
	if (rc == VG_OK) {
		rc = surveys_form_store(form, r->user->id, &id, err,
		    sizeof(err));
		json_decref(form);
	}
	if (rc == VG_EINVAL || rc == VG_ECONFLICT)
		return vg_fail(resp, rc, vg_arena_strdup(r->arena, err), "file");
	if (rc != VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena, "/admin/questionnaires/%lld",
	    (long long)id);
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "survey", json_pack("{s:I}", "id",
	    (json_int_t)id));
	resp->status = 201;
	return VG_OK;
}

/* The form of path parameter 0: its definition and identifier. */
static vg_rc
load_form(vg_req *r, json_t **def, char **form_id)
{
	static const char q[] = "SELECT form_id, definition FROM survey_forms "
	    "WHERE id = ?";
	int64_t id = vg_req_param_id(r, 0);
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_error_t je;
	bool row;
	vg_rc rc;

	*def = NULL;
	if (id < 0)
		return VG_ENOTFOUND;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		*form_id = vg_arena_strdup(r->arena, vg_stmt_text(st, 0));
		*def = json_loads(vg_stmt_text(st, 1), 0, &je);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	return *def ? VG_OK : VG_ENOTFOUND;
}

static json_t *
waves_of(vg_req *r, int64_t form)
{
	static const char q[] = "SELECT w.id, w.name, w.opens_at, w.closes_at, "
	    "w.access, w.anonymous, w.linkage, (SELECT count(*) FROM "
	    "survey_responses x WHERE x.wave_id = w.id) FROM survey_waves w "
	    "WHERE w.form_id = ? ORDER BY w.opens_at DESC, w.id DESC";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	int64_t now = (int64_t)time(NULL);
	bool row;

	if (db == NULL || vg_db_prepare(db, q, &st) != VG_OK)
		return list;
	vg_stmt_bind_int(st, 1, form);
	while (vg_stmt_step(st, &row) == VG_OK && row) {
		char opens[32], closes[32] = "";
		int64_t o = vg_stmt_int(st, 2);
		int64_t c = vg_stmt_is_null(st, 3) ? 0 : vg_stmt_int(st, 3);

		vg_time_text(o, "%Y-%m-%d", opens, sizeof(opens));
		if (c)
			vg_time_text(c - 1, "%Y-%m-%d", closes, sizeof(closes));
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s?, "
		    "s:b, s:b, s:b, s:b, s:I, s:s}", "id",
		    (json_int_t)vg_stmt_int(st, 0), "name", vg_stmt_text(st, 1),
		    "opens", opens, "closes", *closes ? closes : NULL, "open",
		    o <= now && (c == 0 || now < c), "panel",
		    !strcmp(vg_stmt_text(st, 4), "panel"), "anonymous",
		    vg_stmt_int(st, 5) != 0, "linkage", vg_stmt_int(st, 6) != 0,
		    "responses", (json_int_t)vg_stmt_int(st, 7), "url",
		    vg_arena_printf(r->arena, "/admin/vagues/%lld",
		    (long long)vg_stmt_int(st, 0))));
	}
	vg_stmt_done(st);
	return list;
}

/* The questions, page by page, for the editors' overview. */
static json_t *
outline(const json_t *def)
{
	json_t *pages = json_array(), *pg, *q;
	size_t i, j;

	json_array_foreach(json_object_get(def, "pages"), i, pg) {
		json_t *qs = json_array();

		json_array_foreach(json_object_get(pg, "questions"), j, q)
			json_array_append_new(qs, json_pack("{s:O, s:O, s:s?, "
			    "s:b, s:O?, s:O?}", "name", json_object_get(q,
			    "name"), "type", json_object_get(q, "type"),
			    "label", label_in(json_object_get(q, "label"), "fr"),
			    "required", json_is_true(json_object_get(q,
			    "required")), "relevant", json_object_get(q,
			    "relevant"), "constraint", json_object_get(q,
			    "constraint")));
		json_array_append_new(pages, json_pack("{s:i, s:s?, s:O?, "
		    "s:o}", "number", (int)i + 1, "label", label_in(
		    json_object_get(pg, "label"), "fr"), "relevant",
		    json_object_get(pg, "relevant"), "questions", qs));
	}
	return pages;
}

static vg_rc
form_page(vg_req *r, vg_resp *resp)
{
	json_t *def;
	char *form_id;
	char today[16];
	vg_rc rc;

	if ((rc = load_form(r, &def, &form_id)) != VG_OK)
		return rc;
	vg_time_text(time(NULL), "%Y-%m-%d", today, sizeof(today));
	resp->tmpl = "admin_survey";
	json_object_set_new(resp->ctx, "title", json_string(json_string_value(
	    json_object_get(def, "title"))));
	json_object_set_new(resp->ctx, "survey", json_pack("{s:I, s:s, s:O, "
	    "s:O?, s:O, s:s}", "id", (json_int_t)vg_req_param_id(r, 0),
	    "form_id", form_id, "title", json_object_get(def, "title"),
	    "version", json_object_get(def, "version"), "languages",
	    json_object_get(def, "languages"), "answer_url",
	    vg_arena_printf(r->arena, "/q/%s", form_id)));
	json_object_set_new(resp->ctx, "pages", outline(def));
	json_object_set_new(resp->ctx, "waves", waves_of(r,
	    vg_req_param_id(r, 0)));
	json_object_set_new(resp->ctx, "today", json_string(today));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_decref(def);
	return VG_OK;
}

static vg_rc
form_xlsform(vg_req *r, vg_resp *resp)
{
	json_t *def;
	char *form_id, path[1200], *data;
	vg_buf b = VG_BUF_INIT;
	size_t len;
	int fd;
	vg_rc rc;

	if ((rc = load_form(r, &def, &form_id)) != VG_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/uploads/tmp/vg-upload-xlsform-XXXXXX",
	    r->site->config->data);
	if ((fd = mkstemp(path)) < 0) {
		json_decref(def);
		return VG_EIO;
	}
	close(fd);
	rc = vg_xlsform_write_xlsx(def, path);
	json_decref(def);
	data = rc == VG_OK ? slurp(path, IMPORT_MAX, &len) : NULL;
	unlink(path);
	if (rc != VG_OK)
		return rc;
	if (data == NULL)
		return VG_EIO;
	vg_buf_append(&b, data, len);
	free(data);
	return vg_resp_body(r, resp, &b, "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet", vg_arena_printf(r->arena,
	    "%s.xlsx", form_id));
}

static vg_rc
wave_create(vg_req *r, vg_resp *resp)
{
	struct wave_options o;
	const char *name, *opens, *closes, *access;
	json_t *def;
	char *form_id, err[512];
	int64_t id, t;
	vg_rc rc;

	if ((rc = load_form(r, &def, &form_id)) != VG_OK)
		return rc;
	json_decref(def);
	form_page(r, resp);
	memset(&o, 0, sizeof(o));
	if ((rc = vg_req_text(r, resp, "name", 100, true, &name)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "opens", 10, false, &opens)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "closes", 10, false, &closes)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "access", 10, false, &access)) != VG_OK)
		return rc;
	o.name = name;
	if (opens != NULL && !vg_date_parse(opens, &o.opens_at))
		return vg_fail(resp, VG_EINVAL, _("Date d'ouverture invalide : "
		    "AAAA-MM-JJ."), "opens");
	if (closes != NULL) {
		if (!vg_date_parse(closes, &t))
			return vg_fail(resp, VG_EINVAL, _("Date de fermeture "
			    "invalide : AAAA-MM-JJ."), "closes");
		o.closes_at = t + 86400;        /* open all that day */
	}
	o.panel = access != NULL && !strcmp(access, "panel");
	o.identified = vg_form_get(r->form, "identified") != NULL;
	o.linkage = vg_form_get(r->form, "linkage") != NULL;
	rc = surveys_wave_open(form_id, &o, &id, err, sizeof(err));
	if (rc == VG_EINVAL || rc == VG_ECONFLICT)
		return vg_fail(resp, rc, vg_arena_strdup(r->arena, err),
		    rc == VG_ECONFLICT ? "name" : "closes");
	if (rc != VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena, "/admin/vagues/%lld",
	    (long long)id);
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "wave", json_pack("{s:I}", "id",
	    (json_int_t)id));
	resp->status = 201;
	return VG_OK;
}

static vg_rc
wave_page(vg_req *r, vg_resp *resp)
{
	static const char q_days[] = "SELECT day, started, completed FROM "
	    "survey_wave_days WHERE wave_id = ? ORDER BY day";
	static const char q_panel[] = "SELECT count(*), count(invited_at), "
	    "sum(used), count(reminded_at) FROM survey_participants "
	    "WHERE wave_id = ?";
	struct wave w;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *days = json_array();
	int64_t started = 0, completed = 0, now = (int64_t)time(NULL);
	char opens[32], closes[32] = "";
	bool row;
	vg_rc rc;

	if ((rc = wave_load(vg_req_param_id(r, 0), &w)) != VG_OK) {
		json_decref(days);
		return rc;
	}
	surveys_flush_starts();
	if ((rc = vg_db_prepare(db, q_days, &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, w.id);
		while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
			started += vg_stmt_int(st, 1);
			completed += vg_stmt_int(st, 2);
			json_array_append_new(days, json_pack("{s:s, s:I, s:I}",
			    "day", vg_stmt_text(st, 0), "started",
			    (json_int_t)vg_stmt_int(st, 1), "completed",
			    (json_int_t)vg_stmt_int(st, 2)));
		}
		vg_stmt_done(st);
	}
	vg_time_text(w.opens_at, "%Y-%m-%d", opens, sizeof(opens));
	if (w.closes_at)
		vg_time_text(w.closes_at - 1, "%Y-%m-%d", closes,
		    sizeof(closes));
	resp->tmpl = "admin_wave";
	json_object_set_new(resp->ctx, "title", json_string(vg_arena_printf(
	    r->arena, "%s — %s", json_string_value(json_object_get(w.def,
	    "title")), w.name)));
	json_object_set_new(resp->ctx, "wave", json_pack("{s:I, s:I, s:s, "
	    "s:s, s:s, s:s?, s:b, s:b, s:b, s:b, s:s}", "id",
	    (json_int_t)w.id, "survey", (json_int_t)w.form, "form_id",
	    w.form_id, "name", w.name, "opens", opens, "closes", *closes ?
	    closes : NULL, "open", wave_is_open(&w, now), "panel", w.panel,
	    "anonymous", !w.identified, "linkage", w.linkage, "answer_url",
	    vg_arena_printf(r->arena, "/q/%s", w.form_id)));
	json_object_set_new(resp->ctx, "days", days);
	json_object_set_new(resp->ctx, "counts", json_pack("{s:I, s:I, s:s}",
	    "started", (json_int_t)started, "completed",
	    (json_int_t)completed, "rate", started > 0 ? vg_arena_printf(
	    r->arena, "%.0f %%", 100.0 * (double)completed /
	    (double)started) : "—"));
	if (w.panel && (rc = vg_db_prepare(db, q_panel, &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, w.id);
		if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
			json_object_set_new(resp->ctx, "panel", json_pack(
			    "{s:I, s:I, s:I, s:I}", "participants",
			    (json_int_t)vg_stmt_int(st, 0), "invited",
			    (json_int_t)vg_stmt_int(st, 1), "answered",
			    (json_int_t)vg_stmt_int(st, 2), "reminded",
			    (json_int_t)vg_stmt_int(st, 3)));
		vg_stmt_done(st);
	}
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	wave_free(&w);
	return rc;
}

static vg_rc
wave_close(vg_req *r, vg_resp *resp)
{
	static const char q[] = "UPDATE survey_waves SET closes_at = ?1 "
	    "WHERE id = ?2 AND (closes_at IS NULL OR closes_at > ?1)";
	struct wave w;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	if ((rc = wave_load(vg_req_param_id(r, 0), &w)) != VG_OK)
		return rc;
	wave_free(&w);
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, (int64_t)time(NULL));
	vg_stmt_bind_int(st, 2, vg_req_param_id(r, 0));
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena, "/admin/vagues/%lld",
	    (long long)vg_req_param_id(r, 0));
	json_object_set_new(resp->ctx, "wave", json_pack("{s:I, s:b}", "id",
	    (json_int_t)vg_req_param_id(r, 0), "open", false));
	return VG_OK;
}

/* The answers as a file written to disk one response at a time, then
 * sent from disk: a million answers take no more memory than one. */
static vg_rc
wave_export(vg_req *r, vg_resp *resp, const char *format, bool labels,
    const char *type, const char *ext)
{
	char path[1200], err[512];
	int64_t count;
	FILE *f;
	int fd;
	vg_rc rc;

	if (vg_req_param_id(r, 0) < 0)
		return VG_ENOTFOUND;
	snprintf(path, sizeof(path), "%s/uploads/tmp/vg-upload-export-XXXXXX",
	    r->site->config->data);
	if ((fd = mkstemp(path)) < 0)
		return VG_EIO;
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(path);
		return VG_EIO;
	}
	count = 0;
	if (!strcmp(format, "csv") || !strcmp(format, "codebook"))
		fputs("\xef\xbb\xbf", f);       /* for Excel's accents */
	if (!strcmp(format, "xlsx")) {
		/* libxlsxwriter writes the file itself, at the same path. */
		fclose(f);
		f = NULL;
		rc = surveys_export_xlsx(vg_req_param_id(r, 0), r->site->keys,
		    labels, path, &count, err, sizeof(err));
	} else if (!strcmp(format, "codebook")) {
		rc = surveys_codebook(vg_req_param_id(r, 0), f, err,
		    sizeof(err));
	} else {
		rc = surveys_export(vg_req_param_id(r, 0), r->site->keys,
		    format, labels, f, &count, err, sizeof(err));
	}
	if (f != NULL && fclose(f) != 0 && rc == VG_OK)
		rc = VG_EIO;
	if (rc != VG_OK) {
		unlink(path);
		return rc;
	}
	resp->file_path = vg_arena_strdup(r->arena, path);
	resp->file_unlink = true;
	resp->content_type = type;
	resp->filename = vg_arena_printf(r->arena, "%s-vague-%lld.%s",
	    !strcmp(format, "codebook") ? "codebook" : "reponses",
	    (long long)vg_req_param_id(r, 0), ext);
	json_object_set_new(resp->ctx, "count", json_integer(count));
	return VG_OK;
}

static vg_rc
export_csv(vg_req *r, vg_resp *resp)
{
	const char *l = vg_form_get(r->query, "libelles");

	return wave_export(r, resp, "csv", l != NULL && !strcmp(l, "1"),
	    "text/csv; charset=utf-8", "csv");
}

static vg_rc
export_json(vg_req *r, vg_resp *resp)
{
	return wave_export(r, resp, "json", false,
	    "application/json; charset=utf-8", "json");
}

static vg_rc
panel_add(vg_req *r, vg_resp *resp)
{
	const vg_form_field *up = vg_form_field_get(r->form, "file");
	json_t *errors = NULL;
	char *data;
	size_t len;
	int added = 0;
	vg_rc rc;

	if ((rc = wave_page(r, resp)) != VG_OK)
		return rc;
	if (json_object_get(resp->ctx, "panel") == NULL)
		return vg_fail(resp, VG_EINVAL, _("Cette vague est ouverte à "
		    "tous : elle n'a pas de panel."), "file");
	if (up == NULL || up->filename == NULL || up->size == 0)
		return vg_fail(resp, VG_EINVAL, _("Choisissez un fichier CSV "
		    "de participant·es."), "file");
	if ((data = slurp(up->path, up->size, &len)) == NULL)
		return VG_EIO;
	rc = panel_import(r->site->keys, vg_req_param_id(r, 0), data, len,
	    &errors, &added);
	free(data);
	if (errors != NULL)
		json_object_set_new(resp->ctx, "errors", errors);
	if (rc == VG_EINVAL)
		return vg_fail(resp, rc, _("Le fichier contient des erreurs : "
		    "personne n'a été ajouté. Corrigez-les puis "
		    "recommencez."), "file");
	if (rc != VG_OK)
		return rc;
	wave_page(r, resp);
	json_object_set_new(resp->ctx, "added", json_integer(added));
	return VG_OK;
}

static vg_rc
panel_mail(vg_req *r, vg_resp *resp, bool reminders)
{
	char err[512];
	int sent = 0, failed = 0;
	vg_rc rc;

	if ((rc = wave_page(r, resp)) != VG_OK)
		return rc;
	rc = panel_send(r->site->config, r->site->keys, vg_req_param_id(r, 0),
	    reminders, &sent, &failed, err, sizeof(err));
	if (rc == VG_EINVAL || rc == VG_ECONFLICT)
		return vg_fail(resp, rc, vg_arena_strdup(r->arena, err), NULL);
	if (rc != VG_OK)
		return rc;
	wave_page(r, resp);
	json_object_set_new(resp->ctx, "mailed", json_pack("{s:i, s:i, s:b}",
	    "sent", sent, "failed", failed, "reminders", reminders));
	return VG_OK;
}

static vg_rc
panel_invite(vg_req *r, vg_resp *resp)
{
	return panel_mail(r, resp, false);
}

static vg_rc
panel_remind(vg_req *r, vg_resp *resp)
{
	return panel_mail(r, resp, true);
}

static vg_rc
export_xlsx(vg_req *r, vg_resp *resp)
{
	const char *l = vg_form_get(r->query, "libelles");

	return wave_export(r, resp, "xlsx", l != NULL && !strcmp(l, "1"),
	    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	    "xlsx");
}

static vg_rc
export_codebook(vg_req *r, vg_resp *resp)
{
	return wave_export(r, resp, "codebook", false,
	    "text/csv; charset=utf-8", "csv");
}

static const vg_route routes[] = {
	{"GET", "/q/:form", q_start, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/q/:form", q_post, VG_ROLE_PUBLIC, ANSWER_BODY, 0},
	{"GET", "/admin/questionnaires", forms_list, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/questionnaires", form_import, VG_ROLE_EDITOR,
	    IMPORT_MAX + 64 * 1024, VG_ROUTE_FILES},
	{"GET", "/admin/questionnaires/:id", form_page, VG_ROLE_EDITOR, 0, 0},
	{"GET", "/admin/questionnaires/:id/xlsform.xlsx", form_xlsform,
	    VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/questionnaires/:id/vagues", wave_create,
	    VG_ROLE_EDITOR, SMALL_BODY, 0},
	{"GET", "/admin/vagues/:id", wave_page, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/vagues/:id/fermeture", wave_close, VG_ROLE_EDITOR,
	    SMALL_BODY, 0},
	{"POST", "/admin/vagues/:id/participants", panel_add, VG_ROLE_EDITOR,
	    (size_t)5 * 1024 * 1024, VG_ROUTE_FILES},
	{"POST", "/admin/vagues/:id/invitations", panel_invite,
	    VG_ROLE_EDITOR, SMALL_BODY, 0},
	{"POST", "/admin/vagues/:id/rappels", panel_remind, VG_ROLE_EDITOR,
	    SMALL_BODY, 0},
	{"GET", "/admin/vagues/:id/reponses.csv", export_csv, VG_ROLE_EDITOR,
	    0, 0},
	{"GET", "/admin/vagues/:id/reponses.json", export_json,
	    VG_ROLE_EDITOR, 0, 0},
	{"GET", "/admin/vagues/:id/reponses.xlsx", export_xlsx,
	    VG_ROLE_EDITOR, 0, 0},
	{"GET", "/admin/vagues/:id/codebook.csv", export_codebook,
	    VG_ROLE_EDITOR, 0, 0},
};

const vg_route *
surveys_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
