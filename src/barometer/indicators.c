/*
 * indicators.c — the indicators as data, and their computation.
 *
 * A wave's answers are sealed: computing an indicator reads and opens each
 * of them once, fills a cell of sufficient statistics per group
 * (estimate.h), and keeps the cells in memory, keyed by the wave's number
 * of answers: while nobody answers, a breakdown costs a few numbers per
 * group, however many answers there are.
 */
#include "barometer/barometer.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "barometer/estimate.h"
#include "core/i18n.h"
#include "core/territory.h"
#include "core/when.h"
#include "core/yaml.h"
#include "db/db.h"
#include "reports/reports.h"
#include "surveys/expr.h"

static json_t *indicators;              /* [{id, titre, …}] */
static size_t threshold = VG_SUPPRESS_DEFAULT;

void
barometer_set_threshold(int n)
{
	threshold = n > 0 ? (size_t)n : VG_SUPPRESS_DEFAULT;
}
static char path_ind[1200];

void
barometer_free(void)
{
	json_decref(indicators);
	indicators = NULL;
}

static const char *
str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* An indicator of the reporting area's statistics, not of a survey. */
static bool
is_reports(const json_t *ind)
{
	const char *src = json_string_value(json_object_get(ind, "source"));

	return src != NULL && !strcmp(src, "signalements");
}

static bool
reports_breakdowns_ok(const json_t *ind)
{
	static const char *const ok[] = {"categorie", "plateforme", "mois",
	    "issue"};
	const char *keys[] = {"ventilations", "ventilations_pro"};
	json_t *x;
	size_t i, k, j;

	for (k = 0; k < 2; k++)
		json_array_foreach(json_object_get(ind, keys[k]), i, x) {
			for (j = 0; j < VG_ARRAY_LEN(ok); j++)
				if (json_is_string(x) &&
				    !strcmp(json_string_value(x), ok[j]))
					break;
			if (j == VG_ARRAY_LEN(ok))
				return false;
		}
	return true;
}

static bool
valid_id(const char *s)
{
	size_t i;

	if (s == NULL || *s == '\0' || strlen(s) > 60)
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

static bool
string_list(const json_t *v, bool may_be_empty)
{
	json_t *x;
	size_t i;

	if (v == NULL)
		return may_be_empty;
	if (!json_is_array(v) || (!may_be_empty && json_array_size(v) == 0))
		return false;
	json_array_foreach(v, i, x)
		if (!json_is_string(x))
			return false;
	return true;
}

vg_rc
barometer_load(const char *share, char *err, size_t errlen)
{
	json_t *doc = NULL, *list, *ind, *other;
	size_t i, j;
	vg_rc rc;

	barometer_free();
	snprintf(path_ind, sizeof(path_ind), "%s/content/indicators.yaml",
	    share);
	if ((rc = vg_yaml_load_file_ex(path_ind, VG_YAML_LINES, &doc, err,
	    errlen)) != VG_OK)
		return rc;
	list = json_object_get(doc, "indicateurs");
	if (!json_is_array(list)) {
		json_decref(doc);
		return vg_yaml_fail(err, errlen, path_ind, NULL, "%s",
		    _("le fichier doit contenir « indicateurs: »"));
	}
	json_array_foreach(list, i, ind) {
		const char *id = str(ind, "id"), *pop = str(ind, "population");
		vg_expr *e;
		char xerr[256];

		if (!valid_id(id))
			rc = vg_yaml_fail(err, errlen, path_ind, ind, "%s",
			    _("« id » est obligatoire : minuscules sans accent, "
			    "chiffres et tirets"));
		else if (str(ind, "titre") == NULL)
			rc = vg_yaml_fail(err, errlen, path_ind, ind, "%s",
			    _("« titre » est obligatoire"));
		else if (is_reports(ind) && !reports_breakdowns_ok(ind))
			rc = vg_yaml_fail(err, errlen, path_ind, ind, "%s",
			    _("les signalements se détaillent par categorie, "
			    "plateforme, mois ou issue"));
		else if (is_reports(ind) && str(ind, "methode") != NULL)
			;
		else if (str(ind, "questionnaire") == NULL ||
		    str(ind, "question") == NULL)
			rc = vg_yaml_fail(err, errlen, path_ind, ind, "%s",
			    _("« questionnaire » (son form_id) et « question » "
			    "sont obligatoires"));
		else if (!string_list(json_object_get(ind, "valeurs"), false))
			rc = vg_yaml_fail(err, errlen, path_ind, ind, "%s",
			    _("« valeurs » doit être une liste non vide, par "
			    "exemple [oui]"));
		else if (!string_list(json_object_get(ind, "ventilations"),
		    true) || !string_list(json_object_get(ind,
		    "ventilations_pro"), true))
			rc = vg_yaml_fail(err, errlen, path_ind, ind, "%s",
			    _("« ventilations » est une liste de questions, par "
			    "exemple [sexe, dep]"));
		else if (str(ind, "poids") != NULL && strcmp(str(ind,
		    "poids"), "aucun") != 0 && strcmp(str(ind, "poids"),
		    "calage") != 0)
			rc = vg_yaml_fail(err, errlen, path_ind, ind, "%s",
			    _("« poids » vaut « aucun » ou « calage »"));
		else if (str(ind, "methode") == NULL)
			rc = vg_yaml_fail(err, errlen, path_ind, ind, "%s",
			    _("« methode » est obligatoire : dites comment le "
			    "chiffre est calculé"));
		else if (pop != NULL && vg_expr_parse(pop, &e, xerr,
		    sizeof(xerr)) != VG_OK)
			rc = vg_yaml_fail(err, errlen, path_ind, ind,
			    _("« population » : %s"), xerr);
		else if (pop != NULL)
			vg_expr_free(e);
		if (rc != VG_OK)
			break;
		for (j = 0; j < i; j++) {
			other = json_array_get(list, j);
			if (!strcmp(str(other, "id"), id)) {
				rc = vg_yaml_fail(err, errlen, path_ind, ind,
				    _("deux indicateurs ont l'id « %s »"), id);
				break;
			}
		}
		if (rc != VG_OK)
			break;
	}
	if (rc != VG_OK) {
		json_decref(doc);
		return rc;
	}
	indicators = json_incref(list);
	json_decref(doc);
	return VG_OK;
}

static const json_t *
find(const char *id)
{
	json_t *ind;
	size_t i;

	json_array_foreach(indicators, i, ind)
		if (id != NULL && !strcmp(str(ind, "id"), id))
			return ind;
	return NULL;
}

static bool
listed(const json_t *list, const char *v)
{
	json_t *x;
	size_t i;

	json_array_foreach(list, i, x)
		if (v != NULL && !strcmp(json_string_value(x), v))
			return true;
	return false;
}

/* --- the cells of a wave ----------------------------------------------- */

struct group {
	char name[64];            /* the answer: a choice, a code */
	vg_cell cell;
};

struct cached {
	char key[200];            /* indicator|wave|by */
	int64_t answers;          /* the wave's count when computed */
	struct group *groups;     /* a few: choices or départements */
	size_t ngroups;
	size_t n_design;
	vg_cell overall;
};

static vg_rc
group_add(struct cached *c, const char *name, unsigned char y, double w)
{
	size_t i;

	for (i = 0; i < c->ngroups; i++)
		if (!strcmp(c->groups[i].name, name))
			break;
	if (i == c->ngroups) {
		struct group *g;

		if (strlen(name) >= sizeof(g->name) || c->ngroups >= 1000)
			return VG_OK;   /* not a category: left out */
		if ((g = realloc(c->groups, (c->ngroups + 1) *
		    sizeof(*g))) == NULL)
			return VG_ENOMEM;
		c->groups = g;
		memset(&g[i], 0, sizeof(g[i]));
		snprintf(g[i].name, sizeof(g[i].name), "%s", name);
		c->ngroups++;
	}
	vg_cell_add(&c->groups[i].cell, y, w);
	return VG_OK;
}

static int
group_cmp(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->name,
	    ((const struct group *)b)->name);
}

static struct group *
groups_copy(const struct cached *c)
{
	struct group *g = malloc((c->ngroups ? c->ngroups : 1) * sizeof(*g));

	if (g != NULL && c->ngroups > 0)
		memcpy(g, c->groups, c->ngroups * sizeof(*g));
	return g;
}

#define CACHE_SIZE 64

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cached cache[CACHE_SIZE];
static size_t cache_next;

static const char *
get_answer(void *arg, const char *name)
{
	return json_string_value(json_object_get((const json_t *)arg, name));
}

/* Whether the answer counts: one of the values (any of them, for a
 * multiple choice). */
static unsigned char
counted(const json_t *ind, const char *v)
{
	json_t *x;
	size_t i;

	if (v == NULL)
		return 0;
	json_array_foreach(json_object_get(ind, "valeurs"), i, x) {
		const char *want = json_string_value(x);
		const char *p = v;
		size_t n = strlen(want);

		while ((p = strstr(p, want)) != NULL) {
			if ((p == v || p[-1] == ' ') && (p[n] == ' ' ||
			    p[n] == '\0'))
				return 1;
			p += n;
		}
	}
	return 0;
}

static vg_rc
wave_answers_count(int64_t wave, int64_t *n)
{
	/* The day counts are written with each answer, in its transaction:
	 * an exact count without scanning a million rows. */
	static const char q[] = "SELECT coalesce(sum(completed), 0) FROM "
	    "survey_wave_days WHERE wave_id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*n = 0;
	if (db == NULL || (rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return db == NULL ? VG_EDB : rc;
	vg_stmt_bind_int(st, 1, wave);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		*n = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	return rc;
}

/* The wave's weighting (a new object), or NULL when it has none. */
static json_t *
wave_weighting(int64_t wave)
{
	static const char q[] = "SELECT variables, n, weight_min, weight_max, "
	    "deff, computed_at FROM survey_weightings WHERE wave_id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *o = NULL;
	bool row;
	char text[160];

	if (db == NULL || vg_db_prepare(db, q, &st) != VG_OK)
		return NULL;
	vg_stmt_bind_int(st, 1, wave);
	if (vg_stmt_step(st, &row) == VG_OK && row) {
		snprintf(text, sizeof(text), _("réponses pondérées par calage "
		    "sur %s ; poids de %.2f à %.2f ; effet de plan %.2f"),
		    vg_stmt_text(st, 0), vg_stmt_double(st, 2),
		    vg_stmt_double(st, 3), vg_stmt_double(st, 4));
		o = json_pack("{s:s, s:I, s:f, s:f, s:f, s:I, s:s}", "variables",
		    vg_stmt_text(st, 0), "n", (json_int_t)vg_stmt_int(st, 1),
		    "min", vg_stmt_double(st, 2), "max", vg_stmt_double(st, 3),
		    "deff", vg_stmt_double(st, 4), "computed_at",
		    (json_int_t)vg_stmt_int(st, 5), "text", text);
	}
	vg_stmt_done(st);
	return o;
}

/* Read every answer of the wave once into cells. */
static vg_rc
fill_cells(const vg_keys *k, const json_t *ind, int64_t wave, const char *by,
    bool weighted, struct cached *c)
{
	static const char q[] = "SELECT r.answers, w.weight FROM "
	    "survey_responses r LEFT JOIN survey_weights w ON w.wave_id = "
	    "r.wave_id AND w.response_id = r.id WHERE r.wave_id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_expr *pop = NULL;
	unsigned char *plain = NULL;
	size_t cap = 0;
	bool row;
	vg_rc rc;

	if (str(ind, "population") != NULL &&
	    vg_expr_parse(str(ind, "population"), &pop, NULL, 0) != VG_OK)
		return VG_EINTERNAL;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		vg_expr_free(pop);
		return rc;
	}
	vg_stmt_bind_int(st, 1, wave);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		size_t n;
		const unsigned char *sealed = vg_stmt_blob(st, 0, &n);
		json_t *a;
		json_error_t je;
		unsigned char y;
		const char *g;

		double wt = 1.0;

		/* An answer sent after the weights were made has none: it
		 * waits for the next weighting. */
		if (weighted && vg_stmt_is_null(st, 1))
			continue;
		if (weighted)
			wt = vg_stmt_double(st, 1);
		if (n <= VG_SEAL_OVERHEAD)
			continue;
		if (n + 1 > cap) {
			unsigned char *p = realloc(plain, n + 1);

			if (p == NULL) {
				rc = VG_ENOMEM;
				break;
			}
			plain = p;
			cap = n + 1;
		}
		if (vg_unseal(k, sealed, n, plain) != VG_OK ||
		    (a = json_loads((char *)plain, 0, &je)) == NULL)
			continue;
		/* The population: those the question was asked to and who
		 * fit the indicator's filter. */
		if ((pop != NULL && !vg_expr_eval(pop, get_answer, a, NULL)) ||
		    json_object_get(a, str(ind, "question")) == NULL) {
			json_decref(a);
			continue;
		}
		y = counted(ind, str(a, str(ind, "question")));
		vg_cell_add(&c->overall, y, wt);
		c->n_design++;
		g = by ? str(a, by) : NULL;
		if (g != NULL && (rc = group_add(c, g, y, wt)) != VG_OK) {
			json_decref(a);
			break;
		}
		json_decref(a);
	}
	vg_stmt_done(st);
	free(plain);
	vg_expr_free(pop);
	return rc;
}

static json_t *
estimate_json(const char *group, const char *label, const vg_estimate *e)
{
	json_t *o = json_pack("{s:s?, s:s?, s:I, s:o, s:o, s:o, s:o, s:b}",
	    "group", group, "label", label, "n", (json_int_t)e->n, "estimate",
	    e->suppressed ? json_null() : json_real(e->estimate), "se",
	    e->suppressed ? json_null() : json_real(e->se), "ci_low",
	    e->suppressed ? json_null() : json_real(e->ci_low), "ci_high",
	    e->suppressed ? json_null() : json_real(e->ci_high), "suppressed",
	    e->suppressed);
	char text[64];

	/* As people read it, for the pages. */
	if (o != NULL && !e->suppressed) {
		snprintf(text, sizeof(text), "%.0f %%", e->estimate * 100);
		json_object_set_new(o, "percent", json_string(text));
		snprintf(text, sizeof(text), _("de %.0f %% à %.0f %%"),
		    e->ci_low * 100, e->ci_high * 100);
		json_object_set_new(o, "interval", json_string(text));
	}
	return o;
}

/* The label of a group: the choice's, or the département's name. */
static const char *
group_label(const json_t *def, const char *by, const char *g)
{
	json_t *pg, *q, *c;
	size_t i, j;

	json_array_foreach(json_object_get(def, "pages"), i, pg)
		json_array_foreach(json_object_get(pg, "questions"), j, q) {
			if (strcmp(str(q, "name"), by) != 0)
				continue;
			if (!strcmp(str(q, "type"), "departement")) {
				const vg_dept *d = vg_dept_get(g);

				return d ? d->name : g;
			}
			json_array_foreach(json_object_get(json_object_get(def,
			    "choices"), str(q, "list")), i, c)
				if (!strcmp(str(c, "name"), g))
					return json_string_value(json_object_get(
					    json_object_get(c, "label"), "fr"));
			return g;
		}
	return g;
}

static const char *
question_label(const json_t *def, const char *name)
{
	json_t *pg, *q;
	size_t i, j;

	json_array_foreach(json_object_get(def, "pages"), i, pg)
		json_array_foreach(json_object_get(pg, "questions"), j, q)
			if (!strcmp(str(q, "name"), name))
				return json_string_value(json_object_get(
				    json_object_get(q, "label"), "fr"));
	return name;
}

/* The latest wave of form_id with answers (wave 0), or check the one
 * given; its name and the form's definition. */
static vg_rc
pick_wave(const char *form_id, int64_t *wave, char *name, size_t namelen,
    json_t **def)
{
	static const char q[] = "SELECT w.id, w.name, f.definition FROM "
	    "survey_waves w JOIN survey_forms f ON f.id = w.form_id "
	    "WHERE f.form_id = ?1 AND (?2 = 0 OR w.id = ?2) AND EXISTS "
	    "(SELECT 1 FROM survey_responses r WHERE r.wave_id = w.id) "
	    "ORDER BY w.opens_at DESC, w.id DESC LIMIT 1";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_error_t je;
	bool row;
	vg_rc rc;

	*def = NULL;
	if (db == NULL || (rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return db == NULL ? VG_EDB : rc;
	vg_stmt_bind_text(st, 1, form_id);
	vg_stmt_bind_int(st, 2, *wave);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		*wave = vg_stmt_int(st, 0);
		snprintf(name, namelen, "%s", vg_stmt_text(st, 1));
		*def = json_loads(vg_stmt_text(st, 2), 0, &je);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	return *def ? VG_OK : VG_ENOTFOUND;
}

/* An indicator of reports: each group's count and its share of all
 * reports (every report counted: no sample, so no interval); small counts
 * are hidden as survey cells are. */
static vg_rc
reports_indicator(const json_t *ind, const char *by, json_t *breakdowns,
    json_t **out, char *err, size_t errlen)
{
	static const char *const labels[][2] = {
		{"categorie", N_("Catégorie")}, {"plateforme", N_("Plateforme")},
		{"mois", N_("Mois")}, {"issue", N_("Issue")},
	};
	json_t *groups = NULL, *est = json_array(), *g, *named = json_array(),
	    *x;
	int64_t total = 0;
	size_t i, j;
	vg_rc rc;

	if ((rc = reports_breakdown(by, &groups, &total)) != VG_OK) {
		json_decref(est);
		json_decref(named);
		json_decref(breakdowns);
		return rc;
	}
	if (total == 0) {
		snprintf(err, errlen, "%s", _("Pas encore de signalements."));
		json_decref(groups);
		json_decref(est);
		json_decref(named);
		json_decref(breakdowns);
		return VG_ENOTFOUND;
	}
	json_array_foreach(groups, i, g) {
		json_int_t n = json_integer_value(json_object_get(g, "count"));
		bool hidden = (size_t)n < threshold;
		char pct[32];

		snprintf(pct, sizeof(pct), "%.0f %%", 100.0 * (double)n /
		    (double)total);
		json_array_append_new(est, json_pack("{s:O, s:O, s:I, s:o, "
		    "s:n, s:n, s:b, s:o}", "group", json_object_get(g, "group"),
		    "label", json_object_get(g, "label"), "n", n, "estimate",
		    hidden ? json_null() : json_real((double)n / (double)total),
		    "ci_low", "ci_high", "suppressed", hidden, "percent",
		    hidden ? json_null() : json_string(pct)));
	}
	json_decref(groups);
	json_array_foreach(breakdowns, i, x)
		for (j = 0; j < VG_ARRAY_LEN(labels); j++)
			if (!strcmp(json_string_value(x), labels[j][0]))
				json_array_append_new(named, json_pack(
				    "{s:O, s:s}", "code", x, "label",
				    _(labels[j][1])));
	json_decref(breakdowns);
	*out = json_pack("{s:{s:s, s:s, s:s}, s:n, s:s?, s:o, s:{s:I, s:b}, "
	    "s:o, s:i, s:b, s:n}", "indicator", "id", str(ind, "id"), "title",
	    str(ind, "titre"), "method", str(ind, "methode"), "wave", "by", by,
	    "estimates", est, "overall", "n", (json_int_t)total, "suppressed",
	    false, "breakdowns", named, "threshold", (int)threshold, "reports",
	    true, "weighting");
	return *out ? VG_OK : VG_ENOMEM;
}

vg_rc
barometer_compute(const vg_keys *k, const char *id, const char *by,
    int64_t wave, bool pro, json_t **out, char *err, size_t errlen)
{
	const json_t *ind = find(id);
	struct cached *c = NULL, fresh;
	json_t *def = NULL, *est, *breakdowns = json_array(), *x;
	json_t *weighting = NULL;
	char key[200], wname[200];
	int64_t answers;
	vg_estimate e;
	size_t i;
	vg_rc rc;

	*out = NULL;
	if (ind == NULL) {
		snprintf(err, errlen, "%s", _("Cet indicateur n'existe pas."));
		json_decref(breakdowns);
		return VG_ENOTFOUND;
	}
	json_array_foreach(json_object_get(ind, "ventilations"), i, x)
		json_array_append(breakdowns, x);
	if (pro)
		json_array_foreach(json_object_get(ind, "ventilations_pro"), i,
		    x)
			json_array_append(breakdowns, x);
	if (by != NULL && !listed(breakdowns, by)) {
		snprintf(err, errlen, _("Cet indicateur ne se détaille pas par "
		    "« %s »."), by);
		json_decref(breakdowns);
		return VG_EINVAL;
	}
	if (is_reports(ind))
		return reports_indicator(ind, by, breakdowns, out, err, errlen);
	if ((rc = pick_wave(str(ind, "questionnaire"), &wave, wname,
	    sizeof(wname), &def)) != VG_OK) {
		snprintf(err, errlen, "%s", _("Pas encore de réponses pour cet "
		    "indicateur."));
		json_decref(breakdowns);
		return rc;
	}
	if ((rc = wave_answers_count(wave, &answers)) != VG_OK)
		goto out;
	/* Weighted when the indicator asks for it and the wave has its
	 * weights; the key changes with each new weighting. */
	weighting = NULL;
	if (str(ind, "poids") != NULL && !strcmp(str(ind, "poids"),
	    "calage"))
		weighting = wave_weighting(wave);
	snprintf(key, sizeof(key), "%s|%lld|%s|%lld", id, (long long)wave,
	    by ? by : "", (long long)json_integer_value(json_object_get(
	    weighting, "computed_at")));
	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < CACHE_SIZE; i++)
		if (!strcmp(cache[i].key, key) && cache[i].answers == answers) {
			c = &cache[i];
			fresh = *c;
			fresh.groups = groups_copy(c);
			break;
		}
	pthread_mutex_unlock(&cache_lock);
	if (c == NULL) {
		memset(&fresh, 0, sizeof(fresh));
		snprintf(fresh.key, sizeof(fresh.key), "%s", key);
		fresh.answers = answers;
		if ((rc = fill_cells(k, ind, wave, by, weighting != NULL,
		    &fresh)) != VG_OK) {
			free(fresh.groups);
			goto out;
		}
		pthread_mutex_lock(&cache_lock);
		c = &cache[cache_next++ % CACHE_SIZE];
		free(c->groups);
		*c = fresh;
		c->groups = groups_copy(&fresh);
		pthread_mutex_unlock(&cache_lock);
	}
	if (fresh.n_design == 0) {
		free(fresh.groups);
		snprintf(err, errlen, "%s", _("Pas encore de réponses pour cet "
		    "indicateur."));
		rc = VG_ENOTFOUND;
		goto out;
	}
	/* Groups in a stable order: codes, then as written. */
	if (fresh.ngroups > 1)
		qsort(fresh.groups, fresh.ngroups, sizeof(*fresh.groups),
		    group_cmp);
	est = json_array();
	for (i = 0; i < fresh.ngroups; i++)
		if (vg_est_cell(&fresh.groups[i].cell, fresh.n_design,
		    weighting != NULL, VG_Z95, threshold, &e) ==
		    VG_OK)
			json_array_append_new(est, estimate_json(
			    fresh.groups[i].name, group_label(def, by,
			    fresh.groups[i].name), &e));
	free(fresh.groups);
	vg_est_cell(&fresh.overall, fresh.n_design, weighting != NULL, VG_Z95,
	    threshold, &e);
	{
		/* The breakdowns with their questions' labels. */
		json_t *named = json_array();

		json_array_foreach(breakdowns, i, x)
			json_array_append_new(named, json_pack("{s:O, s:s?}",
			    "code", x, "label", question_label(def,
			    json_string_value(x))));
		json_decref(breakdowns);
		breakdowns = named;
	}
	*out = json_pack("{s:{s:s, s:s, s:s}, s:{s:I, s:s}, s:s?, s:o, s:o, "
	    "s:O, s:i}", "indicator", "id", id, "title", str(ind, "titre"),
	    "method", str(ind, "methode"), "wave", "id", (json_int_t)wave,
	    "name", wname, "by", by, "estimates", est, "overall",
	    estimate_json(NULL, NULL, &e), "breakdowns", breakdowns,
	    "threshold", (int)threshold);
	if (*out != NULL)
		json_object_set_new(*out, "weighting", weighting ?
		    json_incref(weighting) : json_null());
	rc = *out ? VG_OK : VG_ENOMEM;
out:
	json_decref(weighting);
	json_decref(def);
	json_decref(breakdowns);
	return rc;
}

/* The indicator's overall figure in every wave of its questionnaire that
 * has answers, oldest first, each with the change since the one before,
 * its interval and whether it is significant. */
vg_rc
barometer_trend(const vg_keys *k, const char *id, bool pro, json_t **out)
{
	static const char q[] = "SELECT w.id FROM survey_waves w "
	    "JOIN survey_forms f ON f.id = w.form_id WHERE f.form_id = ? "
	    "AND EXISTS (SELECT 1 FROM survey_responses r "
	    "WHERE r.wave_id = w.id) ORDER BY w.opens_at, w.id";
	const json_t *ind = find(id);
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *waves = json_array(), *list = json_array(), *w;
	vg_estimate prev = {0, 0, 0, 0, 0, true};
	bool row, have_prev = false;
	size_t i;
	vg_rc rc;

	*out = NULL;
	if (ind == NULL || db == NULL) {
		json_decref(waves);
		json_decref(list);
		return ind == NULL ? VG_ENOTFOUND : VG_EDB;
	}
	if (is_reports(ind)) {
		/* Reports have no waves. */
		json_decref(waves);
		*out = list;
		return VG_OK;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(waves);
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_text(st, 1, str(ind, "questionnaire"));
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		json_array_append_new(waves, json_integer(vg_stmt_int(st, 0)));
	vg_stmt_done(st);
	json_array_foreach(waves, i, w) {
		json_t *res, *o;
		char err[256];
		vg_estimate e;

		if (barometer_compute(k, id, NULL, json_integer_value(w), pro,
		    &res, err, sizeof(err)) != VG_OK)
			continue;
		o = json_object_get(res, "overall");
		memset(&e, 0, sizeof(e));
		e.n = (size_t)json_integer_value(json_object_get(o, "n"));
		e.suppressed = json_is_true(json_object_get(o, "suppressed"));
		e.estimate = json_real_value(json_object_get(o, "estimate"));
		/* The estimate's own standard error (linearised when
		 * weighted, Wald otherwise). */
		e.se = json_real_value(json_object_get(o, "se"));
		json_object_set(o, "wave", json_object_get(res, "wave"));
		if (have_prev && !e.suppressed && !prev.suppressed) {
			vg_difference d;
			char text[96];

			vg_est_difference(&prev, &e, VG_Z95, &d);
			snprintf(text, sizeof(text), _("%+.0f points (de %+.0f "
			    "à %+.0f)"), d.diff * 100, d.ci_low * 100,
			    d.ci_high * 100);
			json_object_set_new(o, "change", json_pack("{s:f, s:f, "
			    "s:f, s:b, s:s}", "difference", d.diff, "ci_low",
			    d.ci_low, "ci_high", d.ci_high, "significant",
			    d.significant, "text", text));
		}
		json_array_append(list, o);
		prev = e;
		have_prev = true;
		json_decref(res);
	}
	json_decref(waves);
	*out = list;
	return VG_OK;
}

/* The waves of a questionnaire with their dates (UTC days), for the
 * open data's metadata. */
static json_t *
waves_dates(const char *form_id)
{
	static const char q[] = "SELECT w.name, w.opens_at, w.closes_at "
	    "FROM survey_waves w JOIN survey_forms f ON f.id = w.form_id "
	    "WHERE f.form_id = ? ORDER BY w.opens_at, w.id";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;

	if (db == NULL || vg_db_prepare(db, q, &st) != VG_OK)
		return list;
	vg_stmt_bind_text(st, 1, form_id ? form_id : "");
	while (vg_stmt_step(st, &row) == VG_OK && row) {
		char opens[16], closes[16] = "";

		vg_time_text(vg_stmt_int(st, 1), "%Y-%m-%d", opens,
		    sizeof(opens));
		if (!vg_stmt_is_null(st, 2))
			vg_time_text(vg_stmt_int(st, 2) - 1, "%Y-%m-%d", closes,
			    sizeof(closes));
		json_array_append_new(list, json_pack("{s:s, s:s, s:s?}",
		    "name", vg_stmt_text(st, 0), "opens", opens, "closes",
		    *closes ? closes : NULL));
	}
	vg_stmt_done(st);
	return list;
}

void
barometer_warm(const vg_keys *k)
{
	json_t *ind, *x, *res;
	size_t i, j;
	char err[256];

	json_array_foreach(indicators, i, ind) {
		const char *id = str(ind, "id");

		if (barometer_compute(k, id, NULL, 0, true, &res, err,
		    sizeof(err)) == VG_OK)
			json_decref(res);
		json_array_foreach(json_object_get(ind, "ventilations"), j, x)
			if (barometer_compute(k, id, json_string_value(x), 0,
			    true, &res, err, sizeof(err)) == VG_OK)
				json_decref(res);
		json_array_foreach(json_object_get(ind, "ventilations_pro"), j,
		    x)
			if (barometer_compute(k, id, json_string_value(x), 0,
			    true, &res, err, sizeof(err)) == VG_OK)
				json_decref(res);
	}
}

json_t *
barometer_list(void)
{
	json_t *list = json_array(), *ind;
	size_t i;

	json_array_foreach(indicators, i, ind)
		json_array_append_new(list, json_pack("{s:O, s:O, s:O, s:O?, "
		    "s:O?, s:O?, s:o, s:O?}", "id", json_object_get(ind, "id"), "title",
		    json_object_get(ind, "titre"), "method", json_object_get(ind,
		    "methode"), "questionnaire", json_object_get(ind,
		    "questionnaire"), "question", json_object_get(ind,
		    "question"), "population", json_object_get(ind,
		    "population"), "waves", waves_dates(str(ind,
		    "questionnaire")), "source", json_object_get(ind,
		    "source")));
	return list;
}

/* The bounds [from, to) of a year, UTC. */
static void
year_bounds(int year, int64_t *from, int64_t *to)
{
	char day[32];

	snprintf(day, sizeof(day), "%04d-01-01", year);
	if (!vg_date_parse(day, from))
		*from = 0;
	snprintf(day, sizeof(day), "%04d-01-01", year + 1);
	if (!vg_date_parse(day, to))
		*to = 0;
}

vg_rc
barometer_activity(int year, json_t **out)
{
	/* The answers from the day counts, as wave_answers_count() does. */
	static const char q_waves[] = "SELECT w.name, f.title, "
	    "(SELECT coalesce(sum(completed), 0) FROM survey_wave_days d "
	    "WHERE d.wave_id = w.id) FROM survey_waves w JOIN survey_forms f "
	    "ON f.id = w.form_id WHERE w.opens_at >= ?1 AND w.opens_at < ?2 "
	    "ORDER BY w.opens_at, w.id";
	static const char q_res[] = "SELECT count(*) FROM resources "
	    "WHERE published = 1 AND created_at >= ?1 AND created_at < ?2";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *waves = json_array();
	int64_t from, to, res = 0;
	bool row;
	vg_rc rc;

	*out = NULL;
	year_bounds(year, &from, &to);
	if (db == NULL || (rc = vg_db_prepare(db, q_waves, &st)) != VG_OK) {
		json_decref(waves);
		return db == NULL ? VG_EDB : rc;
	}
	vg_stmt_bind_int(st, 1, from);
	vg_stmt_bind_int(st, 2, to);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		json_array_append_new(waves, json_pack("{s:s, s:s, s:I}",
		    "name", vg_stmt_text(st, 0), "questionnaire",
		    vg_stmt_text(st, 1), "answers",
		    (json_int_t)vg_stmt_int(st, 2)));
	vg_stmt_done(st);
	if (rc == VG_OK && (rc = vg_db_prepare(db, q_res, &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, from);
		vg_stmt_bind_int(st, 2, to);
		if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
			res = vg_stmt_int(st, 0);
		vg_stmt_done(st);
	}
	if (rc != VG_OK) {
		json_decref(waves);
		return rc;
	}
	*out = json_pack("{s:o, s:I}", "waves", waves, "resources",
	    (json_int_t)res);
	return *out ? VG_OK : VG_ENOMEM;
}

vg_rc
barometer_waves(const char *id, int year, json_t **out)
{
	static const char q[] = "SELECT w.id, w.name, w.opens_at FROM "
	    "survey_waves w JOIN survey_forms f ON f.id = w.form_id "
	    "WHERE f.form_id = ?1 AND w.opens_at >= ?2 AND w.opens_at < ?3 "
	    "AND EXISTS (SELECT 1 FROM survey_responses r "
	    "WHERE r.wave_id = w.id) ORDER BY w.opens_at, w.id";
	const json_t *ind = find(id);
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list;
	int64_t from, to;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (ind == NULL)
		return VG_ENOTFOUND;
	if ((list = json_array()) == NULL)
		return VG_ENOMEM;
	if (is_reports(ind)) {
		*out = list;
		return VG_OK;
	}
	year_bounds(year, &from, &to);
	if (db == NULL || (rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return db == NULL ? VG_EDB : rc;
	}
	vg_stmt_bind_text(st, 1, str(ind, "questionnaire"));
	vg_stmt_bind_int(st, 2, from);
	vg_stmt_bind_int(st, 3, to);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char opens[16];

		vg_time_text(vg_stmt_int(st, 2), "%Y-%m-%d", opens,
		    sizeof(opens));
		json_array_append_new(list, json_pack("{s:I, s:s, s:s}", "id",
		    (json_int_t)vg_stmt_int(st, 0), "name", vg_stmt_text(st, 1),
		    "opens", opens));
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}

vg_rc
barometer_years(int64_t now, json_t **out)
{
	static const char q[] = "SELECT DISTINCT y FROM ("
	    "SELECT CAST(strftime('%Y', w.opens_at, 'unixepoch') AS INTEGER) "
	    "AS y FROM survey_waves w WHERE EXISTS (SELECT 1 FROM "
	    "survey_responses r WHERE r.wave_id = w.id) "
	    "UNION SELECT CAST(substr(day, 1, 4) AS INTEGER) FROM "
	    "training_sessions WHERE ends_at <= ?1) ORDER BY 1 DESC";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || (rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return db == NULL ? VG_EDB : rc;
	}
	vg_stmt_bind_int(st, 1, now);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		json_array_append_new(list, json_integer(vg_stmt_int(st, 0)));
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}
