/*
 * routes.c — the barometer's pages: /barometre lists the indicators,
 * /barometre/ID shows one, overall and by a breakdown, as a chart, a map
 * for départements, and the same numbers as a table.  Filters are a GET
 * form: they say nothing about the visitor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "barometer/barometer.h"
#include "core/i18n.h"
#include "core/territory.h"
#include "db/db.h"
#include "render/chart.h"
#include "render/map.h"
#include "render/sheet.h"


static bool
is_pro(const vg_req *r)
{
	return r->user != NULL && r->user->role >= VG_ROLE_PROFESSIONAL;
}

static vg_rc
list_page(vg_req *r, vg_resp *resp)
{
	json_t *list = barometer_list(), *ind;
	size_t i;

	json_array_foreach(list, i, ind) {
		json_t *res;
		char err[256];

		if (barometer_compute(r->site->keys, json_string_value(
		    json_object_get(ind, "id")), NULL, 0, is_pro(r), &res, err,
		    sizeof(err)) == VG_OK) {
			json_object_set(ind, "overall", json_object_get(res,
			    "overall"));
			json_object_set(ind, "wave", json_object_get(res,
			    "wave"));
			json_object_set(ind, "reports", json_object_get(res,
			    "reports"));
			json_decref(res);
		}
		json_object_set_new(ind, "url", json_string(vg_arena_printf(
		    r->arena, "/barometre/%s", json_string_value(
		    json_object_get(ind, "id")))));
	}
	resp->tmpl = "barometer";
	json_object_set_new(resp->ctx, "title", json_string(_("Baromètre des "
	    "violences en ligne")));
	json_object_set_new(resp->ctx, "indicators", list);
	return VG_OK;
}

/* Shades of the map: the estimate in fifths of the largest one. */
static json_t *
map_areas(vg_req *r, const json_t *estimates)
{
	json_t *areas = json_object(), *e;
	double max = 0;
	size_t i;

	json_array_foreach(estimates, i, e)
		if (!json_is_true(json_object_get(e, "suppressed")) &&
		    json_real_value(json_object_get(e, "estimate")) > max)
			max = json_real_value(json_object_get(e, "estimate"));
	json_array_foreach(estimates, i, e) {
		const char *code = json_string_value(json_object_get(e,
		    "group"));
		const vg_dept *d = vg_dept_get(code);
		bool hidden = json_is_true(json_object_get(e, "suppressed"));
		double p = json_real_value(json_object_get(e, "estimate"));
		int level = hidden || max <= 0 ? 0 : 1 + (int)(p / max * 3.999);

		if (d == NULL)
			continue;
		json_object_set_new(areas, code, json_pack("{s:i, s:s}",
		    "level", level > 4 ? 4 : level, "label", hidden ?
		    vg_arena_printf(r->arena, _("%s : masqué (moins de 10 "
		    "réponses)"), d->name) : vg_arena_printf(r->arena,
		    "%s : %.0f %%", d->name, p * 100)));
	}
	return areas;
}

static vg_rc
indicator_page(vg_req *r, vg_resp *resp)
{
	const char *id = r->params[0];
	const char *by = vg_form_get(r->query, "by");
	const char *wave_s = vg_form_get(r->query, "wave");
	json_t *res, *x, *choices;
	char err[512];
	int64_t wave = 0;
	size_t i;
	vg_rc rc;

	if (by != NULL && *by == '\0')
		by = NULL;
	if (wave_s != NULL && *wave_s != '\0') {
		char *end;

		wave = strtoll(wave_s, &end, 10);
		if (*end != '\0' || wave <= 0)
			return vg_fail(resp, VG_EINVAL, _("Vague inconnue."),
			    "wave");
	}
	rc = barometer_compute(r->site->keys, id, by, wave, is_pro(r), &res,
	    err, sizeof(err));
	if (rc == VG_EINVAL)
		return vg_fail(resp, rc, vg_arena_strdup(r->arena, err), "by");
	if (rc == VG_ENOTFOUND)
		return vg_fail(resp, rc, vg_arena_strdup(r->arena, err), NULL);
	if (rc != VG_OK)
		return rc;
	json_object_update(resp->ctx, res);
	json_decref(res);
	json_object_set_new(resp->ctx, "title", json_incref(json_object_get(
	    json_object_get(resp->ctx, "indicator"), "title")));
	resp->tmpl = "barometer_indicator";
	{
		json_t *trend;

		if (barometer_trend(r->site->keys, id, is_pro(r), &trend) ==
		    VG_OK)
			json_object_set_new(resp->ctx, "trend", trend);
	}
	if (r->want_json)
		return VG_OK;
	/* For the page: the breakdowns as choices, the chart, the map. */
	choices = json_array();
	json_array_foreach(json_object_get(resp->ctx, "breakdowns"), i, x) {
		const char *code = json_string_value(json_object_get(x, "code"));

		json_array_append_new(choices, json_pack("{s:s, s:O, s:b}",
		    "code", code, "label", json_object_get(x, "label"),
		    "selected", by && !strcmp(by, code)));
		if (by && !strcmp(by, code))
			json_object_set(resp->ctx, "by_label",
			    json_object_get(x, "label"));
	}
	json_object_set_new(resp->ctx, "breakdown_choices", choices);
	json_object_set_new(resp->ctx, "id", json_string(id));
	if (json_array_size(json_object_get(resp->ctx, "estimates")) > 0) {
		vg_buf svg = VG_BUF_INIT;
		json_t *est = json_object_get(resp->ctx, "estimates");
		bool depts = true;

		vg_chart_bars(&svg, est, json_string_value(json_object_get(
		    json_object_get(resp->ctx, "indicator"), "title")));
		json_object_set_new(resp->ctx, "chart_svg",
		    json_string(svg.data ? svg.data : ""));
		vg_buf_reset(&svg);
		json_array_foreach(est, i, x)
			if (vg_dept_get(json_string_value(json_object_get(x,
			    "group"))) == NULL)
				depts = false;
		if (depts) {
			json_t *areas = map_areas(r, est), *legend = json_array();
			double max = 0;
			int k;

			json_array_foreach(est, i, x)
				if (!json_is_true(json_object_get(x,
				    "suppressed")) && json_real_value(
				    json_object_get(x, "estimate")) > max)
					max = json_real_value(json_object_get(x,
					    "estimate"));
			/* The legend of map_areas()' shades. */
			json_array_append_new(legend, json_pack("{s:s, s:s}",
			    "class", "map-l0", "text", _("masqué ou sans "
			    "réponse")));
			for (k = 1; k <= 4; k++)
				json_array_append_new(legend, json_pack(
				    "{s:s, s:s}", "class", vg_arena_printf(
				    r->arena, "map-l%d", k), "text",
				    vg_arena_printf(r->arena, _("de %.0f %% à "
				    "%.0f %%"), max * (k - 1) / 4 * 100,
				    max * k / 4 * 100)));
			json_object_set_new(resp->ctx, "legend", legend);

			vg_map_svg(&svg, areas, _("Carte : l'indicateur par "
			    "département (le tableau donne les mêmes chiffres)"),
			    NULL);
			json_decref(areas);
			json_object_set_new(resp->ctx, "map_svg",
			    json_string(svg.data ? svg.data : ""));
		}
		vg_buf_free(&svg);
	}
	{
		/* The waves to choose from, for the GET form. */
		json_t *waves = json_array(), *t;
		int64_t shown = json_integer_value(json_object_get(
		    json_object_get(resp->ctx, "wave"), "id"));

		json_array_foreach(json_object_get(resp->ctx, "trend"), i, t) {
			json_t *w = json_object_get(t, "wave");

			json_array_append_new(waves, json_pack("{s:O, s:O, s:b}",
			    "id", json_object_get(w, "id"), "name",
			    json_object_get(w, "name"), "selected",
			    json_integer_value(json_object_get(w, "id")) ==
			    shown));
		}
		json_object_set_new(resp->ctx, "wave_choices", waves);
	}
	if (json_array_size(json_object_get(resp->ctx, "trend")) > 1) {
		/* The waves side by side, each with its interval. */
		vg_buf svg = VG_BUF_INIT;
		json_t *bars = json_array(), *t;

		json_array_foreach(json_object_get(resp->ctx, "trend"), i, t) {
			json_t *c = json_deep_copy(t);

			json_object_set(c, "label", json_object_get(
			    json_object_get(t, "wave"), "name"));
			json_array_append_new(bars, c);
		}
		vg_chart_line(&svg, bars, _("Évolution d'une vague à l'autre"));
		json_decref(bars);
		json_object_set_new(resp->ctx, "trend_svg",
		    json_string(svg.data ? svg.data : ""));
		vg_buf_free(&svg);
	}
	return VG_OK;
}

/* Open data: the published aggregates of an indicator (never an
 * answer), overall and by the breakdown asked, as CSV or XLSX. */
static vg_rc
open_data(vg_req *r, vg_resp *resp, bool xlsx)
{
	static const char *const head[] = {"indicateur", "vague", "ventilation",
	    "groupe", "libelle", "n", "estimation", "ic95_bas", "ic95_haut",
	    "masque"};
	const char *id = r->params[0];
	const char *by = vg_form_get(r->query, "by");
	json_t *res, *rows = json_array(), *e;
	char err[512];
	size_t i;
	vg_rc rc;

	if (by != NULL && *by == '\0')
		by = NULL;
	rc = barometer_compute(r->site->keys, id, by, 0, is_pro(r), &res, err,
	    sizeof(err));
	if (rc == VG_EINVAL || rc == VG_ENOTFOUND) {
		json_decref(rows);
		return vg_fail(resp, rc, vg_arena_strdup(r->arena, err),
		    rc == VG_EINVAL ? "by" : NULL);
	}
	if (rc != VG_OK) {
		json_decref(rows);
		return rc;
	}
	{
		json_t *all = json_deep_copy(json_object_get(res, "overall"));

		json_object_set_new(all, "group", json_string("ensemble"));
		json_object_set_new(all, "label", json_string(_("Ensemble")));
		json_array_append_new(rows, all);
	}
	json_array_foreach(json_object_get(res, "estimates"), i, e)
		json_array_append(rows, e);
	{
		json_t *table = json_array();
		const char *wave = json_string_value(json_object_get(
		    json_object_get(res, "wave"), "name"));

		json_array_foreach(rows, i, e) {
			bool hidden = json_is_true(json_object_get(e,
			    "suppressed"));

			json_array_append_new(table, json_pack("[s, s?, s?, O, O, "
			    "O, O, O, O, s]", id, wave, i == 0 ? NULL : by,
			    json_object_get(e, "group"), json_object_get(e,
			    "label"), json_object_get(e, "n"), hidden ?
			    json_null() : json_object_get(e, "estimate"),
			    hidden ? json_null() : json_object_get(e, "ci_low"),
			    hidden ? json_null() : json_object_get(e, "ci_high"),
			    hidden ? "oui" : "non"));
		}
		json_decref(rows);
		rows = table;
	}
	json_decref(res);
	if (xlsx) {
		char *data;
		size_t len;
		vg_buf b = VG_BUF_INIT;

		rc = vg_sheet_xlsx(vg_arena_printf(r->arena, "%s/uploads/tmp",
		    r->site->config->data), _("Baromètre"), NULL, head,
		    VG_ARRAY_LEN(head), rows, &data, &len);
		json_decref(rows);
		if (rc != VG_OK)
			return rc;
		vg_buf_append(&b, data, len);
		free(data);
		return vg_resp_body(r, resp, &b, "application/vnd.openxmlformats-"
		    "officedocument.spreadsheetml.sheet", vg_arena_printf(
		    r->arena, "barometre-%s.xlsx", id));
	}
	{
		vg_buf b = VG_BUF_INIT;

		vg_sheet_csv(&b, head, VG_ARRAY_LEN(head), rows);
		json_decref(rows);
		return vg_resp_body(r, resp, &b, "text/csv; charset=utf-8",
		    vg_arena_printf(r->arena, "barometre-%s.csv", id));
	}
}

static vg_rc
open_csv(vg_req *r, vg_resp *resp)
{
	return open_data(r, resp, false);
}

static vg_rc
open_xlsx(vg_req *r, vg_resp *resp)
{
	return open_data(r, resp, true);
}

/* What the open data mean: every indicator's definition and method. */
static vg_rc
metadata(vg_req *r, vg_resp *resp)
{
	json_t *list = barometer_list(), *o;
	char *text;
	vg_buf b = VG_BUF_INIT;

	o = json_pack("{s:s, s:s, s:I, s:o, s:s}", "title",
	    _("Baromètre des violences en ligne — données ouvertes"),
	    "interval", _("intervalle de confiance à 95 % : Wilson pour les "
	    "réponses non pondérées ; linéarisation (comme survey::svymean) "
	    "pour les réponses pondérées"), "suppression_threshold",
	    json_integer_value(json_object_get(r->site->globals,
	    "suppress_threshold")), "indicators", list, "columns", "indicateur, vague, "
	    "ventilation, groupe, libelle, n, estimation, ic95_bas, ic95_haut, "
	    "masque");
	text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
	json_decref(o);
	if (text == NULL)
		return VG_ENOMEM;
	vg_buf_puts(&b, text);
	free(text);
	return vg_resp_body(r, resp, &b, "application/json; charset=utf-8",
	    "barometre-metadonnees.json");
}

/* The actions carried out (barometer_actions), with a year filter
 * (GET). */
static vg_rc
actions_page(vg_req *r, vg_resp *resp)
{
	const char *year = vg_form_get(r->query, "annee");
	json_t *all, *x, *years = json_array(), *res;
	bool known = false;
	size_t i;
	vg_rc rc;

	if (year != NULL && *year == '\0')
		year = NULL;
	if ((rc = barometer_actions(0, (int64_t)time(NULL), &all)) != VG_OK) {
		json_decref(years);
		return rc;
	}
	json_array_foreach(json_object_get(all, "years"), i, x) {
		const char *y = json_string_value(x);

		known |= year != NULL && !strcmp(year, y);
		json_array_append_new(years, json_pack("{s:s, s:b}", "year", y,
		    "selected", year != NULL && !strcmp(year, y)));
	}
	resp->tmpl = "barometer_actions";
	json_object_set_new(resp->ctx, "title", json_string(_("Les actions "
	    "menées")));
	json_object_set_new(resp->ctx, "years", years);
	if (year != NULL && !known) {
		json_decref(all);
		return vg_fail(resp, VG_EINVAL, _("Aucune formation cette "
		    "année-là : choisissez une année de la liste."), "annee");
	}
	if (year != NULL) {
		json_decref(all);
		if ((rc = barometer_actions(atoi(year), (int64_t)time(NULL),
		    &res)) != VG_OK)
			return rc;
		json_object_set_new(resp->ctx, "year", json_string(year));
	} else {
		res = all;
	}
	json_object_set(resp->ctx, "rows", json_object_get(res, "rows"));
	json_object_set(resp->ctx, "totals", json_object_get(res, "totals"));
	json_decref(res);
	return VG_OK;
}

static const vg_route routes[] = {
	{"GET", "/barometre/actions", actions_page, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/barometre/metadonnees.json", metadata, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/barometre", list_page, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/barometre/:id", indicator_page, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/barometre/:id/donnees.csv", open_csv, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/barometre/:id/donnees.xlsx", open_xlsx, VG_ROLE_PUBLIC, 0,
	    0},
};

const vg_route *
barometer_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}

vg_rc
barometer_actions(int year, int64_t now, json_t **out)
{
	static const char q_years[] = "SELECT DISTINCT substr(day, 1, 4) FROM "
	    "training_sessions WHERE ends_at <= ?1 ORDER BY 1 DESC";
	static const char q[] = "SELECT coalesce(s.departement, ''), "
	    "count(DISTINCT s.id), "
	    "coalesce(sum(r.attendance = 'present'), 0), "
	    "coalesce(sum((r.attendance = 'present') * t.duration_minutes), 0) "
	    "FROM training_sessions s JOIN trainings t ON t.id = s.training_id "
	    "LEFT JOIN training_registrations r ON r.session_id = s.id "
	    "AND r.status = 'registered' "
	    "WHERE s.ends_at <= ?1 AND (?2 IS NULL OR substr(s.day, 1, 4) = ?2) "
	    "GROUP BY 1 ORDER BY 1";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *rows = json_array(), *years = json_array();
	int64_t sessions = 0, people = 0, minutes = 0;
	char ytext[16], hours[32];
	bool row;
	vg_rc rc = VG_OK;

	*out = NULL;
	snprintf(ytext, sizeof(ytext), "%04d", year);
	if (db == NULL || (rc = vg_db_prepare(db, q_years, &st)) != VG_OK) {
		json_decref(rows);
		json_decref(years);
		return db == NULL ? VG_EDB : rc;
	}
	vg_stmt_bind_int(st, 1, now);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		json_array_append_new(years, json_string(vg_stmt_text(st, 0)));
	vg_stmt_done(st);
	if (rc != VG_OK || (rc = vg_db_prepare(db, q, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, now);
	if (year > 0)
		vg_stmt_bind_text(st, 2, ytext);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const char *code = vg_stmt_text(st, 0);
		const vg_dept *d = *code ? vg_dept_get(code) : NULL;
		int64_t m = vg_stmt_int(st, 3);

		sessions += vg_stmt_int(st, 1);
		people += vg_stmt_int(st, 2);
		minutes += m;
		snprintf(hours, sizeof(hours), "%.1f", (double)m / 60.0);
		json_array_append_new(rows, json_pack("{s:s?, s:s, s:I, s:I, "
		    "s:s}", "departement", *code ? code : NULL, "name", d ?
		    d->name : _("À distance"), "sessions",
		    (json_int_t)vg_stmt_int(st, 1), "people",
		    (json_int_t)vg_stmt_int(st, 2), "hours", hours));
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	snprintf(hours, sizeof(hours), "%.1f", (double)minutes / 60.0);
	*out = json_pack("{s:o, s:o, s:{s:I, s:I, s:s}}", "years", years,
	    "rows", rows, "totals", "sessions", (json_int_t)sessions, "people",
	    (json_int_t)people, "hours", hours);
	return *out ? VG_OK : VG_ENOMEM;
fail:
	json_decref(rows);
	json_decref(years);
	return rc;
}
