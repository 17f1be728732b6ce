/*
 * barometer.h — the barometer's indicators (content/indicators.yaml),
 * computed from the questionnaires' waves, published at /barometre.
 */
#ifndef VG_BAROMETER_H
#define VG_BAROMETER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"

/* Read and check share/content/indicators.yaml: ids, titles, questions,
 * values, expressions.  VG_EINVAL with "file:line: message" in err. */
vg_rc barometer_load(const char *share, char *err, size_t errlen);
void barometer_free(void);

/* Cells under n answers are never published (config suppress_threshold,
 * 10 by default). */
void barometer_set_threshold(int n);

/* The estimates of indicator id in a wave (0: the latest wave of its
 * questionnaire that has answers), broken down by the question by (NULL:
 * overall only), as seen at pro (professional breakdowns): a new object
 * {indicator: {id, title, method}, wave: {id, name}, by, estimates:
 * [{group, label, n, estimate, ci_low, ci_high, suppressed}], overall:
 * {…}}.  VG_ENOTFOUND (unknown indicator or wave, or no answers yet),
 * VG_EINVAL (a breakdown not allowed) with a French message in err. */
vg_rc barometer_compute(const vg_keys *k, const char *id, const char *by,
    int64_t wave, bool pro, json_t **out, char *err, size_t errlen);

/* The overall figure in every wave with answers, oldest first, each with
 * "change": {difference, ci_low, ci_high, significant, text} since the
 * previous one (when both are published).  A new array in *out. */
vg_rc barometer_trend(const vg_keys *k, const char *id, bool pro,
    json_t **out);

/* Weigh a wave: rake its answers to the margins of the questions vars
 * ("dep,sexe"): a département question's from the official populations,
 * the others' from the CSV text margins ("variable;modalite;effectif",
 * may be NULL).  The weights and *summary {variables, n, min, max, deff,
 * iterations} are stored, replacing the wave's earlier ones.  VG_EINVAL
 * (a margin missing, no convergence…) with a French message in err. */
vg_rc barometer_weigh(const vg_keys *k, int64_t wave, const char *vars,
    const char *margins_csv, size_t margins_len, json_t **summary,
    char *err, size_t errlen);

/* The indicators as a new array of {id, title, method, questionnaire,
 * question, population, waves: [{name, opens, closes}], source}, for the
 * list page and the open data's metadata. */
json_t *barometer_list(void);

/* Compute every indicator's cells for its latest wave, overall and by
 * every breakdown (the daily job, at start then every day), so that
 * visitors find them made. */
void barometer_warm(const vg_keys *k);

const vg_route *barometer_routes(size_t *n);

/* The actions carried out: the trainings held (sessions ended by now),
 * the people trained (marked present) and the hours, in year (0: every
 * year), by département (remote sessions apart), as a new object {years:
 * ["2026", …] (the years with a session held, latest first), rows:
 * [{departement, name, sessions, people, hours}], totals: {sessions,
 * people, hours}} (hours as text, one decimal).  /barometre/actions and
 * the annual report show it. */
vg_rc barometer_actions(int year, int64_t now, json_t **out);

/* The survey waves opened in year (UTC) and the resources published in it
 * (added that year and still published), as a new object {waves: [{name,
 * questionnaire, answers}], resources}. */
vg_rc barometer_activity(int year, json_t **out);

/* The waves of indicator id's questionnaire opened in year (UTC) that
 * have answers, oldest first, as a new array of {id, name, opens}
 * (YYYY-MM-DD); empty for an indicator of reports.  VG_ENOTFOUND for an
 * unknown indicator. */
vg_rc barometer_waves(const char *id, int year, json_t **out);

/* The years with survey answers (by their wave's opening) or a training
 * held by now, latest first: a new array of integers. */
vg_rc barometer_years(int64_t now, json_t **out);

#endif
