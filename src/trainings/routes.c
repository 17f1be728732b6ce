/*
 * routes.c — the trainings over HTTP: the public catalogue, a
 * professional's registrations, and the editors' pages.
 *
 * Handlers parse, call trainings.c and fill the context; mails are sent
 * only after the change they tell of has committed, and a mail that fails
 * is logged without undoing anything.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/log.h"
#include "trainings/trainings_int.h"

#define ACTION_BODY (4 * 1024)
#define FORM_BODY (32 * 1024)
#define ATTENDANCE_BODY (256 * 1024)
#define ATTENDANCE_MAX 2000

static int64_t
now(void)
{
	return (int64_t)time(NULL);
}

static bool
is_editor(const vg_req *r)
{
	return r->user != NULL && r->user->role >= VG_ROLE_EDITOR;
}

static bool
is_pro(const vg_req *r)
{
	return r->user != NULL && r->user->role >= VG_ROLE_PROFESSIONAL;
}

static int64_t
user_id(const vg_req *r)
{
	return r->user != NULL ? r->user->id : 0;
}

/* Tell the people moved up from a waiting list (after the commit). */
static void
mail_promoted(const vg_req *r, tr_ids *ids)
{
	size_t i;

	for (i = 0; i < ids->n; i++)
		trainings_mail(r->site->config, ids->v[i], TR_MAIL_PROMOTED);
	tr_ids_free(ids);
}

/* --- the catalogue -------------------------------------------------------------- */

static vg_rc
catalogue(vg_req *r, vg_resp *resp)
{
	const char *theme = NULL, *format = NULL;
	json_t *list, *themes, *formats, *o;
	size_t i;
	vg_rc rc;

	resp->tmpl = "trainings";
	json_object_set_new(resp->ctx, "title", json_string(_("Formations")));
	/* Filters the form could not have sent are ignored. */
	if (vg_req_text(r, resp, "theme", 40, false, &theme) != VG_OK ||
	    trainings_theme_label(theme) == NULL)
		theme = NULL;
	if (vg_req_text(r, resp, "format", 20, false, &format) != VG_OK ||
	    trainings_format_label(format) == NULL)
		format = NULL;
	resp->message = NULL;
	resp->field = NULL;
	themes = trainings_theme_list();
	json_array_foreach(themes, i, o)
		json_object_set_new(o, "selected", json_boolean(theme != NULL &&
		    !strcmp(theme, json_string_value(json_object_get(o,
		    "code")))));
	formats = json_pack("[{s:s, s:s, s:b}, {s:s, s:s, s:b}]",
	    "code", "onsite", "label", trainings_format_label("onsite"),
	    "selected", format && !strcmp(format, "onsite"),
	    "code", "remote", "label", trainings_format_label("remote"),
	    "selected", format && !strcmp(format, "remote"));
	json_object_set_new(resp->ctx, "themes", themes);
	json_object_set_new(resp->ctx, "formats", formats);
	json_object_set_new(resp->ctx, "filtered", json_boolean(theme ||
	    format));
	if ((rc = trainings_catalogue(theme, format, now(), &list)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "total",
	    json_integer((json_int_t)json_array_size(list)));
	json_object_set_new(resp->ctx, "trainings", list);
	if (is_pro(r))
		json_object_set_new(resp->ctx, "professional", json_true());
	return VG_OK;
}

/* The training page's context: the training, its sessions to come with
 * this visitor's registrations. */
static vg_rc
training_page(vg_req *r, vg_resp *resp, int64_t id)
{
	json_t *t, *sessions;
	vg_rc rc;

	resp->tmpl = "training";
	if ((rc = trainings_get(id, is_editor(r), &t)) != VG_OK)
		return rc;
	if ((rc = trainings_sessions(id, false, user_id(r), is_editor(r),
	    now(), &sessions)) != VG_OK) {
		json_decref(t);
		return rc;
	}
	json_object_set_new(resp->ctx, "title", json_string(
	    json_string_value(json_object_get(t, "title"))));
	json_object_set_new(resp->ctx, "training", t);
	json_object_set_new(resp->ctx, "sessions", sessions);
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	if (is_pro(r))
		json_object_set_new(resp->ctx, "professional", json_true());
	return VG_OK;
}

static vg_rc
show(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);

	if (id < 0)
		return VG_ENOTFOUND;
	return training_page(r, resp, id);
}

static vg_rc
mine(vg_req *r, vg_resp *resp)
{
	json_t *list, *upcoming = json_array(), *past = json_array(), *o;
	size_t i;
	vg_rc rc;

	resp->tmpl = "training_mine";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Mes inscriptions aux formations")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	if ((rc = trainings_mine(r->user->id, now(), &list)) != VG_OK) {
		json_decref(upcoming);
		json_decref(past);
		return rc;
	}
	json_array_foreach(list, i, o)
		json_array_append(json_is_true(json_object_get(o, "past")) ?
		    past : upcoming, o);
	json_decref(list);
	json_object_set_new(resp->ctx, "upcoming", upcoming);
	json_object_set_new(resp->ctx, "previous", past);
	return VG_OK;
}

/* The training of session parameter 0, for the page an error shows. */
static vg_rc
session_training(vg_req *r, int64_t *sid, int64_t *tid)
{
	json_t *s;
	vg_rc rc;

	if ((*sid = vg_req_param_id(r, 0)) < 0)
		return VG_ENOTFOUND;
	if ((rc = trainings_session_get(*sid, is_editor(r), 0, now(), &s)) !=
	    VG_OK)
		return rc;
	*tid = json_integer_value(json_object_get(s, "training_id"));
	json_decref(s);
	return VG_OK;
}

/* The error of a registration or a cancellation, on the training page
 * (or the person's list, where the form came from). */
static vg_rc
action_failed(vg_req *r, vg_resp *resp, int64_t tid, bool from_mine,
    vg_rc rc, const char *why)
{
	if (from_mine)
		mine(r, resp);
	else
		training_page(r, resp, tid);
	return vg_fail(resp, rc, why, why ? "session" : NULL);
}

static vg_rc
do_register(vg_req *r, vg_resp *resp)
{
	struct tr_outcome out;
	int64_t sid, tid;
	const char *why;
	vg_rc rc;

	if ((rc = session_training(r, &sid, &tid)) != VG_OK)
		return rc;
	rc = trainings_register(sid, r->user->id, now(), &out, &why);
	if (rc != VG_OK)
		return action_failed(r, resp, tid, false, rc, why);
	/* Committed: now the mail, whose failure changes nothing. */
	trainings_mail(r->site->config, out.registration,
	    out.status[0] == 'r' ? TR_MAIL_REGISTERED : TR_MAIL_WAITING);
	resp->redirect = vg_arena_printf(r->arena, "/formations/%lld",
	    (long long)tid);
	resp->status = 201;
	json_object_set_new(resp->ctx, "registration", json_pack("{s:I, s:I, "
	    "s:s, s:i}", "id", (json_int_t)out.registration, "session",
	    (json_int_t)sid, "status", out.status, "position", out.position));
	return VG_OK;
}

static vg_rc
do_cancel(vg_req *r, vg_resp *resp)
{
	struct tr_outcome out;
	const char *from = vg_form_get(r->form, "from");
	bool from_mine = from != NULL && !strcmp(from, "mes-inscriptions");
	int64_t sid, tid;
	const char *why;
	vg_rc rc;

	if ((rc = session_training(r, &sid, &tid)) != VG_OK)
		return rc;
	rc = trainings_cancel(sid, r->user->id, now(), &out, &why);
	if (rc != VG_OK)
		return action_failed(r, resp, tid, from_mine, rc, why);
	mail_promoted(r, &out.promoted);
	resp->redirect = from_mine ? "/formations/mes-inscriptions" :
	    vg_arena_printf(r->arena, "/formations/%lld", (long long)tid);
	json_object_set_new(resp->ctx, "registration", json_pack("{s:I, s:I, "
	    "s:s}", "id", (json_int_t)out.registration, "session",
	    (json_int_t)sid, "status", "cancelled"));
	return VG_OK;
}

static vg_rc
agenda(vg_req *r, vg_resp *resp)
{
	int64_t sid = vg_req_param_id(r, 0);
	const char *domain = strchr(r->site->config->notifier_email, '@');
	vg_buf b = VG_BUF_INIT;
	json_t *s;
	bool show_link;
	vg_rc rc;

	if (sid < 0)
		return VG_ENOTFOUND;
	if ((rc = trainings_session_get(sid, is_editor(r), user_id(r), now(),
	    &s)) != VG_OK)
		return rc;
	show_link = json_object_get(s, "link") != NULL;
	rc = trainings_ics(s, domain ? domain + 1 : NULL, show_link, now(), &b);
	json_decref(s);
	if (rc != VG_OK) {
		vg_buf_free(&b);
		return rc;
	}
	return vg_resp_body(r, resp, &b, "text/calendar; charset=utf-8",
	    vg_arena_printf(r->arena, "formation-%lld.ics", (long long)sid));
}

/* --- editors: trainings ------------------------------------------------------------ */

struct field {
	const char *name, *label;
	size_t max;
};

/* Read the declared text fields into v[] and values; the first one too
 * long or malformed is the error, named in words. */
static vg_rc
read_fields(vg_req *r, vg_resp *resp, const struct field *fields, size_t n,
    const char **v, json_t *values)
{
	vg_rc rc = VG_OK;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *msg = resp->message, *fld = resp->field;
		vg_rc frc = vg_req_text(r, resp, fields[i].name, fields[i].max,
		    false, &v[i]);

		if (v[i] != NULL)
			json_object_set_new(values, fields[i].name,
			    json_string(v[i]));
		if (frc == VG_OK)
			continue;
		if (rc != VG_OK) {
			resp->message = msg;    /* keep the first error */
			resp->field = fld;
			continue;
		}
		rc = frc;
		resp->message = vg_arena_printf(r->arena, _("%s : %s"),
		    _(fields[i].label), resp->message ? resp->message : "");
	}
	return rc;
}

static vg_rc
admin_list(vg_req *r, vg_resp *resp)
{
	json_t *list;
	vg_rc rc;

	VG_UNUSED(r);
	resp->tmpl = "admin_trainings";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Gérer les formations")));
	if ((rc = trainings_admin_list(now(), &list)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "trainings", list);
	return VG_OK;
}

/* The training form's context: values and every choice with its state. */
static void
training_form(vg_req *r, vg_resp *resp, json_t *values, int64_t id)
{
	json_t *themes = trainings_theme_list(), *chosen, *o, *c;
	const char *format = json_string_value(json_object_get(values,
	    "format"));
	size_t i, j;

	chosen = json_object_get(values, "themes");
	json_array_foreach(themes, i, o) {
		const char *code = json_string_value(json_object_get(o, "code"));
		bool on = false;

		json_array_foreach(chosen, j, c) {
			const char *v = json_is_object(c) ? json_string_value(
			    json_object_get(c, "code")) : json_string_value(c);

			if (v != NULL && !strcmp(v, code))
				on = true;
		}
		json_object_set_new(o, "checked", json_boolean(on));
	}
	json_object_set_new(resp->ctx, "theme_choices", themes);
	json_object_set_new(resp->ctx, "format_choices", json_pack(
	    "[{s:s, s:s, s:b}, {s:s, s:s, s:b}]",
	    "code", "onsite", "label", trainings_format_label("onsite"),
	    "checked", format == NULL || !strcmp(format, "onsite"),
	    "code", "remote", "label", trainings_format_label("remote"),
	    "checked", format != NULL && !strcmp(format, "remote")));
	json_object_set_new(resp->ctx, "values", values);
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	if (id > 0) {
		json_object_set_new(resp->ctx, "id", json_integer(id));
		json_object_set_new(resp->ctx, "title",
		    json_string(_("Modifier une formation")));
	} else {
		json_object_set_new(resp->ctx, "title",
		    json_string(_("Nouvelle formation")));
	}
	resp->tmpl = "admin_training_edit";
}

static vg_rc
admin_new(vg_req *r, vg_resp *resp)
{
	training_form(r, resp, json_pack("{s:s, s:i, s:[], s:b}", "format",
	    "onsite", "duration", 120, "themes", "published", 0), 0);
	return VG_OK;
}

/* The sessions of training id, all of them, under "sessions". */
static vg_rc
admin_sessions(vg_resp *resp, int64_t id)
{
	json_t *sessions;
	vg_rc rc;

	if ((rc = trainings_sessions(id, true, 0, true, now(), &sessions)) !=
	    VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "sessions", sessions);
	return VG_OK;
}

static vg_rc
admin_edit(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	json_t *t;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = trainings_get(id, true, &t)) != VG_OK)
		return rc;
	training_form(r, resp, t, id);
	return admin_sessions(resp, id);
}

/* A whole number from 0 to 10^9, or -1. */
static int
whole(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n > 9)
		return -1;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	return atoi(s);
}

static vg_rc
admin_training_post(vg_req *r, vg_resp *resp, int64_t id)
{
	static const struct field fields[] = {
		{"title", N_("Titre"), 200},
		{"objectives", N_("Objectifs"), 4000},
		{"audience", N_("Public visé"), 300},
		{"duration", N_("Durée"), 40},
		{"format", N_("Format"), 20},
		{"trainer", N_("Formateur ou formatrice"), 200},
		{"published", N_("Publiée"), 1},
	};
	const char *v[VG_ARRAY_LEN(fields)];
	json_t *values = json_object(), *theme_list = json_array();
	struct tr_training_input in;
	const vg_form_field *f;
	const char *why, *field;
	vg_buf themes = VG_BUF_INIT;
	int64_t new_id;
	size_t i;
	vg_rc rc = VG_OK;

	rc = read_fields(r, resp, fields, VG_ARRAY_LEN(fields), v, values);
	for (f = r->form->first; f != NULL; f = f->next) {
		bool seen = false;
		json_t *c;

		if (strcmp(f->name, "themes") != 0 || f->filename != NULL ||
		    json_array_size(theme_list) >= 20)
			continue;
		json_array_foreach(theme_list, i, c)
			if (!strcmp(json_string_value(c), f->value))
				seen = true;
		if (!seen) {
			json_array_append_new(theme_list, json_string(f->value));
			if (themes.len > 0)
				vg_buf_putc(&themes, ' ');
			vg_buf_puts(&themes, f->value);
		}
	}
	json_object_set_new(values, "themes", theme_list);
	json_object_set_new(values, "published", json_boolean(v[6] != NULL &&
	    !strcmp(v[6], "1")));
	training_form(r, resp, values, id);
	if (id > 0 && admin_sessions(resp, id) != VG_OK)
		rc = rc == VG_OK ? VG_EDB : rc;
	if (rc != VG_OK || vg_buf_failed(&themes)) {
		vg_buf_free(&themes);
		return rc != VG_OK ? rc : VG_ENOMEM;
	}
	memset(&in, 0, sizeof(in));
	in.title = v[0];
	in.objectives = v[1];
	in.audience = v[2];
	in.duration = whole(v[3]);
	in.format = v[4];
	in.trainer = v[5];
	in.published = v[6] != NULL && !strcmp(v[6], "1");
	in.themes = themes.data ? themes.data : "";
	/* An unknown theme, or a space inside one, is caught here. */
	if ((rc = trainings_check(&in, &why, &field)) != VG_OK) {
		vg_buf_free(&themes);
		return vg_fail(resp, rc, why, field);
	}
	rc = trainings_save(id, &in, now(), &new_id);
	vg_buf_free(&themes);
	if (rc != VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena, "/admin/formations/%lld",
	    (long long)new_id);
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "training", json_pack("{s:I}", "id",
	    (json_int_t)new_id));
	if (id == 0)
		resp->status = 201;
	return VG_OK;
}

static vg_rc
admin_create(vg_req *r, vg_resp *resp)
{
	return admin_training_post(r, resp, 0);
}

static vg_rc
admin_save(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	json_t *t;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = trainings_get(id, true, &t)) != VG_OK)
		return rc;
	json_decref(t);
	return admin_training_post(r, resp, id);
}

/* --- editors: sessions ----------------------------------------------------------- */

static void
session_form(vg_req *r, vg_resp *resp, json_t *training, json_t *values,
    int64_t sid)
{
	json_object_set_new(resp->ctx, "training", training);
	json_object_set_new(resp->ctx, "values", values);
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	if (json_object_get(training, "remote") != NULL)
		json_object_set_new(resp->ctx, "remote", json_true());
	if (sid > 0) {
		json_object_set_new(resp->ctx, "id", json_integer(sid));
		json_object_set_new(resp->ctx, "title",
		    json_string(_("Modifier une session")));
	} else {
		json_object_set_new(resp->ctx, "title",
		    json_string(_("Nouvelle session")));
	}
	resp->tmpl = "admin_training_session_edit";
}

static vg_rc
admin_session_new(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	json_t *t;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = trainings_get(id, true, &t)) != VG_OK)
		return rc;
	session_form(r, resp, t, json_pack("{s:i}", "capacity", 20), 0);
	return VG_OK;
}

static vg_rc
admin_session_edit(vg_req *r, vg_resp *resp)
{
	int64_t sid = vg_req_param_id(r, 0);
	json_t *s, *t;
	vg_rc rc;

	if (sid < 0)
		return VG_ENOTFOUND;
	if ((rc = trainings_session_get(sid, true, 0, now(), &s)) != VG_OK)
		return rc;
	t = json_incref(json_object_get(s, "training"));
	json_object_del(s, "training");
	session_form(r, resp, t, s, sid);
	return VG_OK;
}

/* Create (sid 0, under training tid) or save a session. */
static vg_rc
admin_session_post(vg_req *r, vg_resp *resp, int64_t tid, int64_t sid)
{
	static const struct field fields[] = {
		{"day", N_("Date"), 10},
		{"start", N_("Heure de début"), 5},
		{"end", N_("Heure de fin"), 5},
		{"place", N_("Lieu"), 300},
		{"departement", N_("Département"), 3},
		{"link", N_("Lien de la visioconférence"), 500},
		{"capacity", N_("Nombre de places"), 40},
		{"survey_before", N_("Questionnaire « avant »"), 64},
		{"survey_after", N_("Questionnaire « après »"), 64},
	};
	const char *v[VG_ARRAY_LEN(fields)];
	json_t *values = json_object(), *t;
	struct tr_session_input in;
	const char *why, *field;
	char dep[4] = "";
	int64_t starts, ends, new_id;
	tr_ids promoted = {NULL, 0};
	size_t i;
	vg_rc rc = VG_OK;

	if ((rc = trainings_get(tid, true, &t)) != VG_OK) {
		json_decref(values);
		return rc;
	}
	rc = read_fields(r, resp, fields, VG_ARRAY_LEN(fields), v, values);
	session_form(r, resp, t, values, sid);
	if (rc != VG_OK)
		return rc;
	/* "2a" is "2A". */
	if (v[4] != NULL) {
		for (i = 0; v[4][i] != '\0' && i < sizeof(dep) - 1; i++)
			dep[i] = (char)toupper((unsigned char)v[4][i]);
		dep[i] = '\0';
	}
	memset(&in, 0, sizeof(in));
	in.day = v[0];
	in.start = v[1];
	in.end = v[2];
	in.place = v[3];
	in.departement = v[4] ? dep : NULL;
	in.link = v[5];
	in.capacity = whole(v[6]);
	in.survey_before = v[7];
	in.survey_after = v[8];
	if ((rc = trainings_session_check(&in, json_string_value(
	    json_object_get(t, "format")), &starts, &ends, &why, &field)) !=
	    VG_OK)
		return vg_fail(resp, rc, why, field);
	rc = trainings_session_save(sid, tid, &in, starts, ends, now(), &new_id,
	    &promoted);
	if (rc != VG_OK)
		return rc;
	mail_promoted(r, &promoted);
	resp->redirect = vg_arena_printf(r->arena,
	    "/admin/formations/sessions/%lld", (long long)new_id);
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "session", json_pack("{s:I, s:I}",
	    "id", (json_int_t)new_id, "training_id", (json_int_t)tid));
	if (sid == 0)
		resp->status = 201;
	return VG_OK;
}

static vg_rc
admin_session_create(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);

	if (id < 0)
		return VG_ENOTFOUND;
	return admin_session_post(r, resp, id, 0);
}

static vg_rc
admin_session_save(vg_req *r, vg_resp *resp)
{
	int64_t sid = vg_req_param_id(r, 0);
	json_t *s;
	int64_t tid;
	vg_rc rc;

	if (sid < 0)
		return VG_ENOTFOUND;
	if ((rc = trainings_session_get(sid, true, 0, now(), &s)) != VG_OK)
		return rc;
	tid = json_integer_value(json_object_get(s, "training_id"));
	json_decref(s);
	return admin_session_post(r, resp, tid, sid);
}

/* The registrations page's context. */
static vg_rc
session_page(vg_req *r, vg_resp *resp, int64_t sid)
{
	json_t *s, *list;
	vg_rc rc;

	resp->tmpl = "admin_training_session";
	if ((rc = trainings_session_get(sid, true, 0, now(), &s)) != VG_OK)
		return rc;
	if ((rc = trainings_registrations(sid, &list)) != VG_OK) {
		json_decref(s);
		return rc;
	}
	{
		json_int_t cancelled = 0;
		json_t *o;
		size_t i;

		json_array_foreach(list, i, o)
			cancelled += json_object_get(o, "cancelled") != NULL;
		json_object_set_new(resp->ctx, "cancelled_count",
		    json_integer(cancelled));
	}
	json_object_set_new(resp->ctx, "title", json_string(_("Inscriptions "
	    "à une session")));
	json_object_set_new(resp->ctx, "session", s);
	json_object_set_new(resp->ctx, "registrations", list);
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	return VG_OK;
}

static vg_rc
admin_session(vg_req *r, vg_resp *resp)
{
	int64_t sid = vg_req_param_id(r, 0);

	if (sid < 0)
		return VG_ENOTFOUND;
	return session_page(r, resp, sid);
}

static vg_rc
admin_attendance(vg_req *r, vg_resp *resp)
{
	int64_t sid = vg_req_param_id(r, 0);
	int64_t *ids;
	const char **values;
	const vg_form_field *f;
	size_t n = 0;
	vg_rc rc;

	if (sid < 0)
		return VG_ENOTFOUND;
	if ((rc = session_page(r, resp, sid)) != VG_OK)
		return rc;
	ids = vg_arena_calloc(r->arena, ATTENDANCE_MAX, sizeof(*ids));
	values = vg_arena_calloc(r->arena, ATTENDANCE_MAX, sizeof(*values));
	if (ids == NULL || values == NULL)
		return VG_ENOMEM;
	for (f = r->form->first; f != NULL; f = f->next) {
		char *end;
		long long id;

		if (strncmp(f->name, "attendance-", 11) != 0)
			continue;
		id = strtoll(f->name + 11, &end, 10);
		if (n == ATTENDANCE_MAX || *end != '\0' || id <= 0 ||
		    !isdigit((unsigned char)f->name[11]))
			return vg_fail(resp, VG_EINVAL, _("La présence d'une "
			    "personne ne correspond à aucune inscription de "
			    "cette session. Rien n'a été enregistré."),
			    "attendance");
		ids[n] = id;
		values[n++] = f->value;
	}
	if (n == 0)
		return vg_fail(resp, VG_EINVAL, _("Aucune présence n'a été "
		    "envoyée."), "attendance");
	rc = trainings_attendance_set(sid, ids, values, n);
	if (rc == VG_EINVAL)
		return vg_fail(resp, rc, _("Une présence ne convient pas : "
		    "choisissez présent·e, absent·e ou non renseignée, pour des "
		    "personnes inscrites à cette session. Rien n'a été "
		    "enregistré."), "attendance");
	if (rc != VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena,
	    "/admin/formations/sessions/%lld", (long long)sid);
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "attendance", json_pack("{s:I, s:I}",
	    "session", (json_int_t)sid, "updated", (json_int_t)n));
	return VG_OK;
}

static vg_rc
export_load(vg_req *r, json_t **session, json_t **list)
{
	int64_t sid = vg_req_param_id(r, 0);
	vg_rc rc;

	*session = *list = NULL;
	if (sid < 0)
		return VG_ENOTFOUND;
	if ((rc = trainings_session_get(sid, true, 0, now(), session)) != VG_OK)
		return rc;
	if ((rc = trainings_registrations(sid, list)) != VG_OK) {
		json_decref(*session);
		*session = NULL;
	}
	return rc;
}

static vg_rc
export_csv(vg_req *r, vg_resp *resp)
{
	json_t *s, *list;
	vg_buf b = VG_BUF_INIT;
	vg_rc rc;

	if ((rc = export_load(r, &s, &list)) != VG_OK)
		return rc;
	trainings_registrations_csv(list, &b);
	json_decref(list);
	json_decref(s);
	return vg_resp_body(r, resp, &b, "text/csv; charset=utf-8",
	    vg_arena_printf(r->arena, "inscrits-session-%lld.csv",
	    (long long)vg_req_param_id(r, 0)));
}

static vg_rc
export_xlsx(vg_req *r, vg_resp *resp)
{
	vg_buf b = VG_BUF_INIT;
	json_t *s, *list;
	char *data;
	size_t len;
	vg_rc rc;

	if ((rc = export_load(r, &s, &list)) != VG_OK)
		return rc;
	rc = trainings_registrations_xlsx(list, s, vg_arena_printf(r->arena,
	    "%s/uploads/tmp", r->site->config->data), &data, &len);
	json_decref(s);
	json_decref(list);
	if (rc != VG_OK)
		return rc;
	vg_buf_append(&b, data, len);
	free(data);
	return vg_resp_body(r, resp, &b, "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet", vg_arena_printf(r->arena,
	    "inscrits-session-%lld.xlsx", (long long)vg_req_param_id(r, 0)));
}

/* Literal paths come before the patterns that would take them for an
 * id. */
static const vg_route routes[] = {
	{"GET", "/formations", catalogue, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/formations/mes-inscriptions", mine, VG_ROLE_PROFESSIONAL, 0,
	    0},
	{"GET", "/formations/:id", show, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/formations/sessions/:id/inscription", do_register,
	    VG_ROLE_PROFESSIONAL, ACTION_BODY, 0},
	{"POST", "/formations/sessions/:id/annulation", do_cancel,
	    VG_ROLE_PROFESSIONAL, ACTION_BODY, 0},
	{"GET", "/formations/sessions/:id/agenda.ics", agenda, VG_ROLE_PUBLIC,
	    0, 0},
	{"GET", "/admin/formations", admin_list, VG_ROLE_EDITOR, 0, 0},
	{"GET", "/admin/formations/nouvelle", admin_new, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/formations/nouvelle", admin_create, VG_ROLE_EDITOR,
	    FORM_BODY, 0},
	{"GET", "/admin/formations/sessions/:id", admin_session,
	    VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/formations/sessions/:id/presences", admin_attendance,
	    VG_ROLE_EDITOR, ATTENDANCE_BODY, 0},
	{"GET", "/admin/formations/sessions/:id/modifier", admin_session_edit,
	    VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/formations/sessions/:id/modifier",
	    admin_session_save, VG_ROLE_EDITOR, FORM_BODY, 0},
	{"GET", "/admin/formations/sessions/:id/inscrits.csv", export_csv,
	    VG_ROLE_EDITOR, 0, 0},
	{"GET", "/admin/formations/sessions/:id/inscrits.xlsx", export_xlsx,
	    VG_ROLE_EDITOR, 0, 0},
	{"GET", "/admin/formations/:id", admin_edit, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/formations/:id", admin_save, VG_ROLE_EDITOR,
	    FORM_BODY, 0},
	{"GET", "/admin/formations/:id/sessions/nouvelle", admin_session_new,
	    VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/formations/:id/sessions/nouvelle",
	    admin_session_create, VG_ROLE_EDITOR, FORM_BODY, 0},
};

const vg_route *
trainings_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
