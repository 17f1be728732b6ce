/*
 * routes.c — the barometer's pages: /barometre lists the indicators,
 * /barometre/ID shows one, overall and by a breakdown, as a chart, a map
 * for départements, and the same numbers as a table.  Filters are a GET
 * form: they say nothing about the visitor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barometer/barometer.h"
#include "core/i18n.h"
#include "core/territory.h"
#include "render/chart.h"
#include "render/map.h"

json_t *barometer_list(void);

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
			json_t *areas = map_areas(r, est);

			vg_map_svg(&svg, areas, _("Carte : l'indicateur par "
			    "département (le tableau donne les mêmes chiffres)"),
			    NULL);
			json_decref(areas);
			json_object_set_new(resp->ctx, "map_svg",
			    json_string(svg.data ? svg.data : ""));
		}
		vg_buf_free(&svg);
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
		vg_chart_bars(&svg, bars, _("Évolution d'une vague à l'autre"));
		json_decref(bars);
		json_object_set_new(resp->ctx, "trend_svg",
		    json_string(svg.data ? svg.data : ""));
		vg_buf_free(&svg);
	}
	return VG_OK;
}

static const vg_route routes[] = {
	{"GET", "/barometre", list_page, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/barometre/:id", indicator_page, VG_ROLE_PUBLIC, 0, 0},
};

const vg_route *
barometer_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
