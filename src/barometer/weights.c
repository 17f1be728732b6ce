/*
 * weights.c — a wave's weights: its answers raked to population margins.
 *
 * Margins of a département question come from the official populations
 * (core/territory.h); others from a CSV file "variable;modalite;effectif".
 * Categories nobody answered in are left out of the margins (and said so):
 * the population is then the one of the categories present, rescaled.
 * The weights and their summary are stored in one transaction.
 */
#include "barometer/barometer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "barometer/estimate.h"
#include "core/csv.h"
#include "core/i18n.h"
#include "core/territory.h"
#include "db/db.h"

struct variable {
	char name[64];
	char **codes;             /* categories seen in the answers */
	double *target;
	size_t ncodes;
	int *cat;                 /* per answer */
	bool departement;
};

static int
code_index(struct variable *v, const char *code, bool add)
{
	size_t i;

	for (i = 0; i < v->ncodes; i++)
		if (!strcmp(v->codes[i], code))
			return (int)i;
	if (!add)
		return -1;
	v->codes = realloc(v->codes, (v->ncodes + 1) * sizeof(*v->codes));
	v->target = realloc(v->target, (v->ncodes + 1) * sizeof(*v->target));
	if (v->codes == NULL || v->target == NULL ||
	    (v->codes[v->ncodes] = strdup(code)) == NULL)
		return -1;
	v->target[v->ncodes] = -1;      /* not given yet */
	return (int)v->ncodes++;
}

static void
variables_free(struct variable *v, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < v[i].ncodes; j++)
			free(v[i].codes[j]);
		free(v[i].codes);
		free(v[i].target);
		free(v[i].cat);
	}
}

vg_rc
barometer_weigh(const vg_keys *k, int64_t wave, const char *vars,
    const char *margins_csv, size_t margins_len, json_t **summary,
    char *err, size_t errlen)
{
	static const char q[] = "SELECT id, answers FROM survey_responses "
	    "WHERE wave_id = ? ORDER BY id";
	struct variable v[4];
	size_t nv = 0, n = 0, cap = 0, i, j, bv, bc;
	int64_t *ids = NULL;
	double *w = NULL, grand = 0;
	unsigned char *plain = NULL;
	size_t pcap = 0;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_csv *csv = NULL;
	bool row;
	int it = 0;
	vg_rc rc = VG_OK;
	char list[256], *tok, *save = NULL;

	*summary = NULL;
	memset(v, 0, sizeof(v));
	snprintf(list, sizeof(list), "%s", vars ? vars : "");
	for (tok = strtok_r(list, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		if (nv == VG_ARRAY_LEN(v) || strlen(tok) >= sizeof(v[0].name)) {
			snprintf(err, errlen, "%s", _("quatre variables de "
			    "calage au plus"));
			return VG_EINVAL;
		}
		snprintf(v[nv++].name, sizeof(v[0].name), "%s", tok);
	}
	if (nv == 0) {
		snprintf(err, errlen, "%s", _("précisez les variables de calage, "
		    "par exemple --by dep,sexe"));
		return VG_EINVAL;
	}
	/* Every answer's category on every variable. */
	if (db == NULL || (rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return db == NULL ? VG_EDB : rc;
	vg_stmt_bind_int(st, 1, wave);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		size_t len;
		const unsigned char *sealed = vg_stmt_blob(st, 1, &len);
		json_t *a;
		json_error_t je;

		if (len <= VG_SEAL_OVERHEAD)
			continue;
		if (len + 1 > pcap) {
			plain = realloc(plain, len + 1);
			pcap = len + 1;
		}
		if (plain == NULL || vg_unseal(k, sealed, len, plain) != VG_OK ||
		    (a = json_loads((char *)plain, 0, &je)) == NULL)
			continue;
		if (n == cap) {
			size_t ncap = cap ? 2 * cap : 1024;
			int64_t *ni = realloc(ids, ncap * sizeof(*ids));

			if (ni == NULL) {
				json_decref(a);
				rc = VG_ENOMEM;
				break;
			}
			ids = ni;
			for (j = 0; j < nv; j++) {
				int *nc = realloc(v[j].cat, ncap *
				    sizeof(*v[j].cat));

				if (nc == NULL)
					break;
				v[j].cat = nc;
			}
			if (j < nv) {
				json_decref(a);
				rc = VG_ENOMEM;
				break;
			}
			cap = ncap;
		}
		ids[n] = vg_stmt_int(st, 0);
		for (j = 0; j < nv; j++) {
			const char *c = json_string_value(json_object_get(a,
			    v[j].name));

			v[j].cat[n] = code_index(&v[j], c ? c : "", true);
		}
		json_decref(a);
		n++;
	}
	vg_stmt_done(st);
	free(plain);
	if (rc != VG_OK)
		goto out;
	if (n < 2) {
		snprintf(err, errlen, "%s", _("pas assez de réponses pour "
		    "pondérer cette vague"));
		rc = VG_EINVAL;
		goto out;
	}
	/* Margins: départements from the official populations, the others
	 * from the CSV file. */
	if (margins_csv != NULL && (rc = vg_csv_parse(margins_csv, margins_len,
	    &csv, err, errlen)) != VG_OK)
		goto out;
	for (j = 0; j < nv; j++) {
		for (i = 0; i < v[j].ncodes; i++) {
			const vg_dept *d = vg_dept_get(v[j].codes[i]);

			if (d != NULL) {
				v[j].target[i] = (double)d->population;
				v[j].departement = true;
			}
		}
		for (i = 0; csv != NULL && i < csv->nrows; i++) {
			const vg_csv_row *r = &csv->rows[i];
			int c;
			char *end;
			double t;

			if (r->n < 3 || strcmp(r->field[0], v[j].name) != 0)
				continue;
			t = strtod(r->field[2], &end);
			if (*end != '\0' || !(t >= 0)) {
				snprintf(err, errlen, _("marges, ligne %zu : "
				    "effectif invalide « %s »"), r->line,
				    r->field[2]);
				rc = VG_EINVAL;
				goto out;
			}
			if ((c = code_index(&v[j], r->field[1], false)) >= 0)
				v[j].target[c] = t;
		}
		for (i = 0; i < v[j].ncodes; i++)
			if (v[j].target[i] < 0) {
				snprintf(err, errlen, _("pas de marge pour « %s » "
				    "= « %s » : donnez-la dans le fichier des "
				    "marges (variable;modalite;effectif)"),
				    v[j].name, *v[j].codes[i] ? v[j].codes[i] :
				    _("(sans réponse)"));
				rc = VG_EINVAL;
				goto out;
			}
	}
	/* The categories present describe the population: every variable's
	 * margins are brought to the first one's total. */
	for (j = 0; j < nv; j++) {
		double sum = 0;

		for (i = 0; i < v[j].ncodes; i++)
			sum += v[j].target[i];
		if (sum <= 0) {
			snprintf(err, errlen, _("les marges de « %s » sont "
			    "nulles"), v[j].name);
			rc = VG_EINVAL;
			goto out;
		}
		if (j == 0)
			grand = sum;
		for (i = 0; i < v[j].ncodes; i++)
			v[j].target[i] *= grand / sum;
	}
	if ((w = malloc(n * sizeof(*w))) == NULL) {
		rc = VG_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		w[i] = grand / (double)n;
	{
		const int *cat[4];
		size_t ncat[4];
		const double *target[4];

		for (j = 0; j < nv; j++) {
			cat[j] = v[j].cat;
			ncat[j] = v[j].ncodes;
			target[j] = v[j].target;
		}
		rc = vg_rake(w, n, nv, cat, ncat, target, 1e-7, 1000, &it, &bv,
		    &bc);
	}
	if (rc == VG_ECONFLICT) {
		snprintf(err, errlen, "%s", _("le calage ne converge pas : "
		    "retirez une variable ou regroupez des modalités"));
		goto out;
	}
	if (rc != VG_OK) {
		snprintf(err, errlen, _("calage impossible sur « %s »"),
		    v[bv].name);
		goto out;
	}
	/* Stored in one transaction, replacing the wave's earlier ones. */
	{
		vg_weight_summary s;
		char names[256] = "";

		vg_weights_summary(w, n, &s);
		for (j = 0; j < nv; j++)
			snprintf(names + strlen(names), sizeof(names) -
			    strlen(names), "%s%s", j ? " " : "", v[j].name);
		if ((rc = vg_db_begin(db)) != VG_OK)
			goto out;
		if ((rc = vg_db_prepare(db, "DELETE FROM survey_weights WHERE "
		    "wave_id = ?", &st)) == VG_OK) {
			vg_stmt_bind_int(st, 1, wave);
			rc = vg_stmt_exec(st);
			vg_stmt_done(st);
		}
		for (i = 0; rc == VG_OK && i < n; i++) {
			if ((rc = vg_db_prepare(db, "INSERT INTO survey_weights "
			    "(wave_id, response_id, weight) VALUES (?, ?, ?)",
			    &st)) != VG_OK)
				break;
			vg_stmt_bind_int(st, 1, wave);
			vg_stmt_bind_int(st, 2, ids[i]);
			vg_stmt_bind_double(st, 3, w[i]);
			rc = vg_stmt_exec(st);
			vg_stmt_done(st);
		}
		if (rc == VG_OK && (rc = vg_db_prepare(db, "INSERT OR REPLACE "
		    "INTO survey_weightings (wave_id, variables, n, weight_min, "
		    "weight_max, deff, iterations, computed_at) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?)", &st)) == VG_OK) {
			vg_stmt_bind_int(st, 1, wave);
			vg_stmt_bind_text(st, 2, names);
			vg_stmt_bind_int(st, 3, (int64_t)n);
			vg_stmt_bind_double(st, 4, s.min);
			vg_stmt_bind_double(st, 5, s.max);
			vg_stmt_bind_double(st, 6, s.deff);
			vg_stmt_bind_int(st, 7, it);
			vg_stmt_bind_int(st, 8, (int64_t)time(NULL));
			rc = vg_stmt_exec(st);
			vg_stmt_done(st);
		}
		if (rc == VG_OK)
			rc = vg_db_commit(db);
		else
			vg_db_rollback(db);
		if (rc == VG_OK)
			*summary = json_pack("{s:s, s:I, s:f, s:f, s:f, s:i}",
			    "variables", names, "n", (json_int_t)n, "min",
			    s.min, "max", s.max, "deff", s.deff, "iterations",
			    it);
	}
out:
	vg_csv_free(csv);
	variables_free(v, nv);
	free(ids);
	free(w);
	return rc;
}
