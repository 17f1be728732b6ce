/*
 * annual_data.c — the data of the annual report, gathered in one object
 * so that the PDF, the editors' page and its JSON twin say the same thing.
 *
 * Honest statistics: every survey figure carries its sample size and its
 * 95 % interval; a cell under the threshold keeps its "suppressed" mark
 * and loses its figure; a change against the previous year is called
 * significant only when the interval of the difference excludes zero.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barometer/annual_int.h"
#include "barometer/barometer.h"
#include "barometer/estimate.h"
#include "core/i18n.h"
#include "core/when.h"
#include "reports/stats.h"

#define NBSP "\xc2\xa0"

/* --- French numbers ------------------------------------------------------- */

void
annual_fmt_number(double v, int decimals, int sign, char *out, size_t n)
{
	char raw[64], *dot, *p;
	size_t len, intlen, i, o = 0;
	const char *digits;

	if (n == 0)
		return;
	if (!isfinite(v)) {
		snprintf(out, n, "?");
		return;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	snprintf(raw, sizeof(raw), "%.*f", decimals, fabs(v));
	/* -0,0 is 0,0: the sign goes with what is printed. */
	for (p = raw; *p == '0' || *p == '.'; p++)
		;
	if (v < 0 && *p != '\0')
		o += (size_t)snprintf(out + o, n - o, "-");
	else if (sign && *p != '\0')
		o += (size_t)snprintf(out + o, n - o, "+");
	if (o >= n)
		return;
	digits = raw;
	dot = strchr(raw, '.');
	len = strlen(raw);
	intlen = dot ? (size_t)(dot - raw) : len;
	for (i = 0; i < len && o + 3 < n; i++) {
		if (raw[i] == '.') {
			out[o++] = ',';
			continue;
		}
		/* Groups of three from 10 000 (French typography leaves four
		 * digits alone). */
		if (i > 0 && i < intlen && intlen > 4 &&
		    (intlen - i) % 3 == 0) {
			if (o + 2 + 3 >= n)
				break;
			memcpy(out + o, NBSP, 2);
			o += 2;
		}
		out[o++] = digits[i];
	}
	out[o < n ? o : n - 1] = '\0';
}

void
annual_fmt_percent(double p, char *out, size_t n)
{
	char num[64];

	annual_fmt_number(p * 100.0, 1, 0, num, sizeof(num));
	snprintf(out, n, "%s" NBSP "%%", num);
}

void
annual_fmt_hours(double h, char *out, size_t n)
{
	char num[64];

	if (h < 1.0) {
		annual_fmt_number(h * 60.0, 0, 0, num, sizeof(num));
		snprintf(out, n, "%s" NBSP "min", num);
	} else if (h < 48.0) {
		annual_fmt_number(h, 1, 0, num, sizeof(num));
		snprintf(out, n, "%s" NBSP "h", num);
	} else {
		annual_fmt_number(h / 24.0, 1, 0, num, sizeof(num));
		snprintf(out, n, "%s" NBSP "%s", num, _("jours"));
	}
}

/* --- the indicators ----------------------------------------------------- */

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* What a suppressed cell says instead of its figure. */
static json_t *
hidden_text(int threshold, const char *unit)
{
	char text[160];

	snprintf(text, sizeof(text), _("non publié (moins de %d %s)"),
	    threshold, unit);
	return json_string(text);
}

/* A survey cell {group?, label?, n, estimate, ci_low, ci_high, se,
 * suppressed} copied with its French text, and no figure when hidden. */
static json_t *
cell(const json_t *e, int threshold)
{
	json_t *o = json_object();
	char est[64], lo[64], hi[64], text[256];
	bool hidden = json_is_true(json_object_get(e, "suppressed"));

	if (o == NULL)
		return NULL;
	if (json_object_get(e, "group") != NULL)
		json_object_set(o, "group", json_object_get(e, "group"));
	if (json_object_get(e, "label") != NULL)
		json_object_set(o, "label", json_object_get(e, "label"));
	json_object_set(o, "n", json_object_get(e, "n"));
	json_object_set_new(o, "suppressed", json_boolean(hidden));
	if (hidden) {
		json_object_set_new(o, "text", hidden_text(threshold,
		    _("réponses")));
		return o;
	}
	json_object_set(o, "estimate", json_object_get(e, "estimate"));
	json_object_set(o, "ci_low", json_object_get(e, "ci_low"));
	json_object_set(o, "ci_high", json_object_get(e, "ci_high"));
	json_object_set(o, "se", json_object_get(e, "se"));
	annual_fmt_percent(json_real_value(json_object_get(e, "estimate")),
	    est, sizeof(est));
	annual_fmt_percent(json_real_value(json_object_get(e, "ci_low")), lo,
	    sizeof(lo));
	annual_fmt_percent(json_real_value(json_object_get(e, "ci_high")), hi,
	    sizeof(hi));
	snprintf(text, sizeof(text), _("%s (IC 95 %% : de %s à %s)"), est, lo,
	    hi);
	json_object_set_new(o, "text", json_string(text));
	json_object_set_new(o, "percent", json_string(est));
	return o;
}

/* The overall figure of each wave of id in year: a new array of {id, name,
 * opens, overall}. */
static json_t *
year_waves(const vg_keys *k, const char *id, int year, int threshold)
{
	json_t *waves = NULL, *w, *list = json_array(), *res;
	char err[256];
	size_t i;

	if (barometer_waves(id, year, &waves) != VG_OK)
		return list;
	json_array_foreach(waves, i, w) {
		if (barometer_compute(k, id, NULL, json_integer_value(
		    json_object_get(w, "id")), false, &res, err, sizeof(err)) !=
		    VG_OK)
			continue;
		json_array_append_new(list, json_pack("{s:O, s:O, s:O, s:o}",
		    "id", json_object_get(w, "id"), "name", json_object_get(w,
		    "name"), "opens", json_object_get(w, "opens"), "overall",
		    cell(json_object_get(res, "overall"), threshold)));
		json_decref(res);
	}
	json_decref(waves);
	return list;
}

/*
 * The change from the previous year's figure a to this year's b (both
 * overall cells, either may be NULL): an object {available, difference,
 * ci_low, ci_high, significant, text}.  The rule, stated in the report's
 * method note: the waves are independent samples, the difference's 95 %
 * interval is b - a ± 1,96 √(se_a² + se_b²), and a change is called a
 * rise or a fall only when that interval excludes zero.
 */
static json_t *
change(const json_t *a, const json_t *b, int prev_year)
{
	vg_estimate ea, eb;
	vg_difference d;
	char diff[64], lo[64], hi[64], text[512];

	if (a == NULL) {
		snprintf(text, sizeof(text), _("Pas de chiffre comparable en "
		    "%d : aucune vague de ce questionnaire n'a reçu de "
		    "réponses cette année-là."), prev_year);
		return json_pack("{s:b, s:s}", "available", false, "text",
		    text);
	}
	if (b == NULL)
		return json_pack("{s:b, s:s}", "available", false, "text",
		    _("Pas de comparaison : aucune vague cette année."));
	if (json_is_true(json_object_get(a, "suppressed")) ||
	    json_is_true(json_object_get(b, "suppressed")))
		return json_pack("{s:b, s:s}", "available", false, "text",
		    _("Pas de comparaison : l'un des deux chiffres n'est pas "
		    "publié (trop peu de réponses)."));
	memset(&ea, 0, sizeof(ea));
	memset(&eb, 0, sizeof(eb));
	ea.n = (size_t)json_integer_value(json_object_get(a, "n"));
	ea.estimate = json_real_value(json_object_get(a, "estimate"));
	ea.se = json_real_value(json_object_get(a, "se"));
	eb.n = (size_t)json_integer_value(json_object_get(b, "n"));
	eb.estimate = json_real_value(json_object_get(b, "estimate"));
	eb.se = json_real_value(json_object_get(b, "se"));
	vg_est_difference(&ea, &eb, VG_Z95, &d);
	annual_fmt_number(d.diff * 100, 1, 1, diff, sizeof(diff));
	annual_fmt_number(d.ci_low * 100, 1, 1, lo, sizeof(lo));
	annual_fmt_number(d.ci_high * 100, 1, 1, hi, sizeof(hi));
	if (d.significant)
		snprintf(text, sizeof(text), _("%s de %s points depuis %d "
		    "(IC 95 %% de l'écart : de %s à %s points) : l'intervalle "
		    "exclut zéro, l'évolution est significative."),
		    d.diff > 0 ? _("Hausse") : _("Baisse"), diff, prev_year, lo,
		    hi);
	else
		snprintf(text, sizeof(text), _("Écart de %s points depuis %d "
		    "(IC 95 %% de l'écart : de %s à %s points) : l'intervalle "
		    "contient zéro, on ne peut pas conclure à une évolution."),
		    diff, prev_year, lo, hi);
	return json_pack("{s:b, s:f, s:f, s:f, s:b, s:s, s:s}", "available",
	    true, "difference", d.diff, "ci_low", d.ci_low, "ci_high",
	    d.ci_high, "significant", d.significant, "direction",
	    !d.significant ? "stable" : d.diff > 0 ? "hausse" : "baisse",
	    "text", text);
}

/* The public breakdowns of the year's latest wave. */
static json_t *
breakdowns(const vg_keys *k, const char *id, int64_t wave, int threshold)
{
	json_t *res, *list = json_array(), *b, *by, *e, *cells;
	char err[256];
	size_t i, j;

	if (barometer_compute(k, id, NULL, wave, false, &res, err,
	    sizeof(err)) != VG_OK)
		return list;
	json_array_foreach(json_object_get(res, "breakdowns"), i, b) {
		const char *code = str(b, "code");

		if (code == NULL || barometer_compute(k, id, code, wave, false,
		    &by, err, sizeof(err)) != VG_OK)
			continue;
		cells = json_array();
		json_array_foreach(json_object_get(by, "estimates"), j, e)
			json_array_append_new(cells, cell(e, threshold));
		json_array_append_new(list, json_pack("{s:s, s:s, s:o}", "by",
		    code, "label", str(b, "label") ? str(b, "label") : code,
		    "estimates", cells));
		json_decref(by);
	}
	json_decref(res);
	return list;
}

static json_t *
last(json_t *waves)
{
	size_t n = json_array_size(waves);

	return n ? json_object_get(json_array_get(waves, n - 1), "overall") :
	    NULL;
}

/* Every indicator of the survey waves (those of reports are the reports
 * part's): the year's and the previous year's waves, the change, the
 * breakdowns and the method. */
static json_t *
indicators(const vg_keys *k, int year, int threshold)
{
	json_t *list = barometer_list(), *out = json_array(), *ind;
	size_t i;

	json_array_foreach(list, i, ind) {
		const char *id = str(ind, "id");
		json_t *now, *before, *o, *cur;

		if (str(ind, "source") != NULL)
			continue;
		now = year_waves(k, id, year, threshold);
		before = year_waves(k, id, year - 1, threshold);
		cur = last(now);
		o = json_pack("{s:s, s:O, s:O, s:o, s:o, s:O*, s:O*, s:o}",
		    "id", id, "title", json_object_get(ind, "title"), "method",
		    json_object_get(ind, "method"), "waves", now,
		    "previous_waves", before, "current", cur, "previous",
		    last(before), "change", change(last(before), cur,
		    year - 1));
		if (o == NULL)
			continue;
		if (cur != NULL)
			json_object_set_new(o, "breakdowns", breakdowns(k, id,
			    json_integer_value(json_object_get(json_array_get(
			    now, json_array_size(now) - 1), "id")), threshold));
		else
			json_object_set_new(o, "breakdowns", json_array());
		json_array_append_new(out, o);
	}
	json_decref(list);
	return out;
}

/* --- reports, notices, actions -------------------------------------------- */

/* Hide the groups under the threshold: their count goes. */
static void
suppress_groups(json_t *groups, int threshold)
{
	json_t *g;
	size_t i;

	json_array_foreach(groups, i, g) {
		bool hidden = json_integer_value(json_object_get(g, "count")) <
		    threshold;

		json_object_set_new(g, "suppressed", json_boolean(hidden));
		if (hidden) {
			json_object_set_new(g, "count", json_null());
			json_object_set_new(g, "text", hidden_text(threshold,
			    _("signalements")));
		}
	}
}

/* The times to removal are published from threshold removals on: below,
 * a median would tell one host's answer. */
static void
suppress_times(json_t *rem, int threshold)
{
	static const char *const keys[] = {"median_hours", "q1_hours",
	    "q3_hours"};
	bool hidden = json_integer_value(json_object_get(rem, "count")) <
	    threshold;
	size_t i;
	char text[64];

	json_object_set_new(rem, "suppressed", json_boolean(hidden));
	if (hidden) {
		for (i = 0; i < VG_ARRAY_LEN(keys); i++)
			json_object_del(rem, keys[i]);
		json_object_set_new(rem, "text", hidden_text(threshold,
		    _("retraits")));
		return;
	}
	for (i = 0; i < VG_ARRAY_LEN(keys); i++) {
		char k[32];

		annual_fmt_hours(json_real_value(json_object_get(rem, keys[i])),
		    text, sizeof(text));
		snprintf(k, sizeof(k), "%s_text", keys[i]);
		json_object_set_new(rem, k, json_string(text));
	}
}

vg_rc
annual_gather(const vg_config *c, const vg_keys *k, int year, int64_t now,
    json_t **out)
{
	int threshold = c->suppress_threshold > 0 ? c->suppress_threshold :
	    VG_SUPPRESS_DEFAULT;
	json_t *o = NULL, *rep = NULL, *act = NULL, *more = NULL, *ind;
	char day[16], stamp[32];
	size_t i;
	bool any = false;
	vg_rc rc;

	*out = NULL;
	if ((rc = reports_stats_year(year, now, &rep)) != VG_OK ||
	    (rc = barometer_actions(year, now, &act)) != VG_OK ||
	    (rc = barometer_activity(year, &more)) != VG_OK)
		goto fail;
	suppress_groups(json_object_get(rep, "by_category"), threshold);
	suppress_groups(json_object_get(rep, "by_platform"), threshold);
	suppress_groups(json_object_get(rep, "by_outcome"), threshold);
	suppress_times(json_object_get(rep, "removals"), threshold);
	json_object_del(act, "years");
	json_object_update(act, more);
	vg_time_text(now, "%Y-%m-%d", day, sizeof(day));
	vg_time_text(now, "%Y-%m-%dT%H:%M:%S", stamp, sizeof(stamp));
	o = json_pack("{s:i, s:i, s:s, s:s, s:s, s:i, s:o, s:O, s:O}",
	    "year", year, "previous_year", year - 1, "organisation",
	    c->notifier_name[0] ? c->notifier_name : _("L'observatoire"),
	    "generated", day, "generated_at", stamp, "threshold", threshold,
	    "indicators", indicators(k, year, threshold), "reports", rep,
	    "actions", act);
	if (o == NULL) {
		rc = VG_ENOMEM;
		goto fail;
	}
	json_array_foreach(json_object_get(o, "indicators"), i, ind)
		any |= json_object_get(ind, "current") != NULL;
	json_object_set_new(o, "empty", json_pack("{s:b, s:b, s:b, s:b}",
	    "indicators", !any,
	    "reports", json_integer_value(json_object_get(rep, "reports")) == 0,
	    "notices", json_integer_value(json_object_get(json_object_get(rep,
	    "notices"), "sent")) == 0,
	    "actions", json_integer_value(json_object_get(json_object_get(act,
	    "totals"), "sessions")) == 0 && json_array_size(json_object_get(
	    act, "waves")) == 0 && json_integer_value(json_object_get(act,
	    "resources")) == 0));
	*out = o;
	rc = VG_OK;
fail:
	json_decref(rep);
	json_decref(act);
	json_decref(more);
	return rc;
}

/* Merge two descending lists of years without repeats. */
static json_t *
merge_years(const json_t *a, const json_t *b)
{
	json_t *out = json_array();
	size_t i = 0, j = 0, na = json_array_size(a), nb = json_array_size(b);
	json_int_t last_y = -1;

	while (i < na || j < nb) {
		json_int_t x = i < na ?
		    json_integer_value(json_array_get(a, i)) : -1;
		json_int_t y = j < nb ?
		    json_integer_value(json_array_get(b, j)) : -1;
		json_int_t v = x >= y ? x : y;

		if (x >= y)
			i++;
		else
			j++;
		if (v != last_y && v >= ANNUAL_YEAR_MIN)
			json_array_append_new(out, json_integer(v));
		last_y = v;
	}
	return out;
}

vg_rc
annual_years(int64_t now, json_t **out)
{
	json_t *a = NULL, *b = NULL;
	vg_rc rc;

	*out = NULL;
	if ((rc = barometer_years(now, &a)) == VG_OK &&
	    (rc = reports_stats_years(&b)) == VG_OK)
		*out = merge_years(a, b);
	json_decref(a);
	json_decref(b);
	return rc == VG_OK && *out == NULL ? VG_ENOMEM : rc;
}
