/*
 * routes.c — the guided orientation over HTTP.
 *
 * Every step is a POST form carrying the answers so far in a signed hidden
 * field: nothing about the person's situation goes into a URL or the
 * browser's history, and the server keeps nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/territory.h"
#include "directory/directory.h"
#include "orientation/orientation.h"

#define STEP_BODY (8 * 1024)

static void
common(vg_req *r, vg_resp *resp, const orient_answers *ans)
{
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "state", json_string(
	    orientation_state_encode(r->arena, r->site->keys->state, ans)));
	json_object_set_new(resp->ctx, "can_go_back", json_boolean(ans->n > 0));
}

#define LOCAL_MAX 8

/* The actors near the person: the département chosen under the plan (a
 * posted field, never in a URL), and those of its actors that fit the
 * answers, as ctx "local".  VG_EINVAL for a département that is not one
 * (the plan is still shown). */
static vg_rc
local_actors(vg_req *r, vg_resp *resp, const orient_answers *ans,
    json_t **out)
{
	const char *text = vg_form_get(r->form, "departement");
	const char *themes[16], *public_code;
	const vg_dept *d = NULL;
	json_t *choices = json_array(), *list;
	size_t i;
	vg_rc rc;

	*out = NULL;
	if (text != NULL && *text != '\0' && (d = vg_dept_find(text)) == NULL) {
		json_object_set_new(resp->ctx, "departement_choices", choices);
		return vg_fail(resp, VG_EINVAL, _("Ce département n'existe pas : "
		    "choisissez-le dans la liste."), "departement");
	}
	for (i = 0; i < vg_dept_count(); i++) {
		const vg_dept *x = vg_dept_at(i);

		json_array_append_new(choices, json_pack("{s:s, s:s, s:b}",
		    "code", x->code, "name", x->name, "selected", x == d));
	}
	json_object_set_new(resp->ctx, "departement_choices", choices);
	if (d == NULL)
		return VG_OK;
	orientation_actor_fit(ans, themes, VG_ARRAY_LEN(themes), &public_code);
	rc = directory_nearby(d->code, themes, public_code, r->user ?
	    r->user->role : VG_ROLE_PUBLIC, LOCAL_MAX, &list);
	if (rc != VG_OK)
		return rc;
	*out = json_pack("{s:s, s:s, s:o, s:s}", "departement", d->code,
	    "name", d->name, "actors", list, "more", vg_arena_printf(r->arena,
	    "/acteurs?departement=%s", d->code));
	return *out ? VG_OK : VG_ENOMEM;
}

/* The next question, or the plan when the answers are complete; the
 * choice `selected` (may be NULL) comes checked, when going back. */
static vg_rc
show_selected(vg_req *r, vg_resp *resp, const orient_answers *ans,
    const char *selected)
{
	json_t *step = orientation_next_step(ans), *c;
	size_t i;

	common(r, resp, ans);
	if (step != NULL) {
		json_array_foreach(json_object_get(step, "choices"), i, c)
			if (selected != NULL && !strcmp(selected,
			    json_string_value(json_object_get(c, "value"))))
				json_object_set_new(c, "selected", json_true());
		resp->tmpl = "orientation";
		json_object_set_new(resp->ctx, "title",
		    json_string(_("Être orienté·e")));
		json_object_set_new(resp->ctx, "step", step);
		return VG_OK;
	}
	resp->tmpl = "orientation_plan";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Votre plan d'action")));
	json_object_set_new(resp->ctx, "plan", orientation_plan(ans,
	    r->user ? r->user->role : VG_ROLE_PUBLIC));
	{
		json_t *local;
		vg_rc rc = local_actors(r, resp, ans, &local);

		if (local != NULL)
			json_object_set_new(resp->ctx, "local", local);
		return rc;
	}
}

static vg_rc
show(vg_req *r, vg_resp *resp, const orient_answers *ans)
{
	return show_selected(r, resp, ans, NULL);
}

static vg_rc
start(vg_req *r, vg_resp *resp)
{
	orient_answers ans;

	memset(&ans, 0, sizeof(ans));
	return show(r, resp, &ans);
}

/* The answers of the posted state; on a bad state, the first question
 * with a message. */
static vg_rc
posted_answers(vg_req *r, vg_resp *resp, orient_answers *ans)
{
	const char *state = vg_form_get(r->form, "state");
	vg_rc rc;

	rc = orientation_state_decode(r->arena, r->site->keys->state, state,
	    ans);
	if (rc == VG_EINVAL) {
		memset(ans, 0, sizeof(*ans));
		show(r, resp, ans);
		return vg_fail(resp, VG_EINVAL, _("Votre parcours n'a pas pu être "
		    "repris (la page a peut-être été modifiée ou le questionnaire "
		    "mis à jour). Recommencez : cela ne prend qu'une minute."),
		    "state");
	}
	return rc;
}

static vg_rc
step(vg_req *r, vg_resp *resp)
{
	orient_answers ans;
	const char *action = vg_form_get(r->form, "action");
	const char *choice = vg_form_get(r->form, "choice");
	vg_rc rc;

	if ((rc = posted_answers(r, resp, &ans)) != VG_OK)
		return rc;
	if (action != NULL && !strcmp(action, "recommencer")) {
		ans.n = 0;
	} else if (action != NULL && !strcmp(action, "departement")) {
		/* The plan again, with the actors of the chosen département. */
		return show(r, resp, &ans);
	} else if (action != NULL && !strcmp(action, "retour")) {
		if (ans.n > 0)
			return show_selected(r, resp, &ans, ans.value[--ans.n]);
	} else if (choice == NULL || *choice == '\0') {
		show(r, resp, &ans);
		return vg_fail(resp, VG_EINVAL, _("Choisissez une réponse pour "
		    "continuer."), "choice");
	} else if (orientation_answer(&ans, choice) != VG_OK) {
		show(r, resp, &ans);
		return vg_fail(resp, VG_EINVAL, _("Cette réponse ne fait pas "
		    "partie des choix proposés. Choisissez-en une dans la "
		    "liste."), "choice");
	}
	return show(r, resp, &ans);
}

/* The plan as a text file the person keeps (never sent by e-mail). */
static vg_rc
download(vg_req *r, vg_resp *resp)
{
	orient_answers ans;
	json_t *plan, *g, *a, *c, *p;
	vg_buf b = VG_BUF_INIT;
	size_t i, j, k;
	char day[32];
	time_t now = time(NULL);
	struct tm tm;
	vg_rc rc;

	if ((rc = posted_answers(r, resp, &ans)) != VG_OK)
		return rc;
	if ((plan = orientation_next_step(&ans)) != NULL) {
		json_decref(plan);
		show(r, resp, &ans);
		return vg_fail(resp, VG_EINVAL, _("Le plan n'est prêt qu'une "
		    "fois toutes les questions répondues."), NULL);
	}
	plan = orientation_plan(&ans, r->user ? r->user->role :
	    VG_ROLE_PUBLIC);
	if (plan == NULL)
		return VG_ENOMEM;
	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%d/%m/%Y", &tm);
	vg_buf_printf(&b, "%s\n%s %s\n", _("Mon plan d'action"),
	    _("Préparé le"), day);
	json_array_foreach(json_object_get(plan, "sections"), i, g) {
		vg_buf_printf(&b, "\n== %s ==\n", json_string_value(
		    json_object_get(g, "label")));
		json_array_foreach(json_object_get(g, "actions"), j, a) {
			vg_buf_printf(&b, "\n* %s\n", json_string_value(
			    json_object_get(a, "title")));
			json_array_foreach(json_object_get(a, "paragraphs"), k, p)
				vg_buf_printf(&b, "  %s\n", json_string_value(p));
		}
	}
	vg_buf_printf(&b, "\n== %s ==\n", _("Contacts"));
	json_array_foreach(json_object_get(plan, "contacts"), i, c) {
		const char *ph = json_string_value(json_object_get(c, "phone"));
		const char *h = json_string_value(json_object_get(c, "hours"));
		const char *u = json_string_value(json_object_get(c, "url"));

		vg_buf_printf(&b, "- %s", json_string_value(json_object_get(c,
		    "name")));
		if (ph != NULL)
			vg_buf_printf(&b, " : %s", ph);
		if (h != NULL)
			vg_buf_printf(&b, " (%s)", h);
		if (u != NULL)
			vg_buf_printf(&b, " — %s", u);
		vg_buf_putc(&b, '\n');
	}
	if (json_array_size(json_object_get(plan, "resources")) > 0) {
		vg_buf_printf(&b, "\n== %s ==\n", _("Fiches à lire sur Vigie"));
		json_array_foreach(json_object_get(plan, "resources"), i, c)
			vg_buf_printf(&b, "- %s (%s)\n", json_string_value(
			    json_object_get(c, "title")), json_string_value(
			    json_object_get(c, "url")));
	}
	json_decref(plan);
	{
		json_t *local, *x;

		if ((rc = local_actors(r, resp, &ans, &local)) != VG_OK) {
			vg_buf_free(&b);
			return rc;
		}
		if (local != NULL && json_array_size(json_object_get(local,
		    "actors")) > 0) {
			vg_buf_printf(&b, "\n== %s : %s ==\n",
			    _("Près de chez vous"), json_string_value(
			    json_object_get(local, "name")));
			json_array_foreach(json_object_get(local, "actors"), i,
			    x) {
				const char *ph = json_string_value(
				    json_object_get(x, "phone"));
				const char *u = json_string_value(
				    json_object_get(x, "website"));
				const char *cn = json_string_value(
				    json_object_get(x, "commune_name"));

				vg_buf_printf(&b, "- %s (%s%s%s)",
				    json_string_value(json_object_get(x,
				    "name")), json_string_value(json_object_get(
				    x, "kind_label")), cn ? ", " : "",
				    cn ? cn : "");
				if (ph != NULL)
					vg_buf_printf(&b, " : %s", ph);
				if (u != NULL)
					vg_buf_printf(&b, " — %s", u);
				vg_buf_putc(&b, '\n');
			}
		}
		json_decref(local);
	}
	return vg_resp_body(r, resp, &b, "text/plain; charset=utf-8",
	    "plan-d-action.txt");
}

static const vg_route routes[] = {
	{"GET", "/orientation", start, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/orientation", step, VG_ROLE_PUBLIC, STEP_BODY, 0},
	{"POST", "/orientation/plan", download, VG_ROLE_PUBLIC, STEP_BODY, 0},
};

const vg_route *
orientation_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
