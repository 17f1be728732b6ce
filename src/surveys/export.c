/*
 * export.c — the answers of a wave, written one response at a time (so a
 * million answers export in constant memory): CSV with one column per
 * question and one per choice of a multiple choice, JSON, XLSX, and the
 * codebook that says what every column means.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/i18n.h"
#include "core/territory.h"
#include "surveys/surveys_int.h"

/* One column of the export. */
struct column {
	const char *name;         /* header: the variable, "q/choice" */
	const json_t *q;          /* its question */
	const char *choice;       /* a choice of a select_multiple, or NULL */
};

struct columns {
	struct column *c;
	size_t n;
};

static void
columns_free(struct columns *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		free((char *)cs->c[i].name);
	free(cs->c);
	memset(cs, 0, sizeof(*cs));
}

static vg_rc
columns_add(struct columns *cs, const char *name, const json_t *q,
    const char *choice)
{
	struct column *c = realloc(cs->c, (cs->n + 1) * sizeof(*c));

	if (c == NULL)
		return VG_ENOMEM;
	cs->c = c;
	c[cs->n].name = strdup(name);
	c[cs->n].q = q;
	c[cs->n].choice = choice;
	if (c[cs->n].name == NULL)
		return VG_ENOMEM;
	cs->n++;
	return VG_OK;
}

static vg_rc
columns_of(const json_t *def, struct columns *cs)
{
	json_t *pg, *q, *c;
	size_t i, j, k;
	vg_rc rc = VG_OK;

	memset(cs, 0, sizeof(*cs));
	json_array_foreach(json_object_get(def, "pages"), i, pg)
		json_array_foreach(json_object_get(pg, "questions"), j, q) {
			const char *name = json_string_value(json_object_get(q,
			    "name"));
			const char *type = json_string_value(json_object_get(q,
			    "type"));

			if (!strcmp(type, "note"))
				continue;
			if (strcmp(type, "select_multiple") != 0) {
				if ((rc = columns_add(cs, name, q, NULL)) !=
				    VG_OK)
					return rc;
				continue;
			}
			json_array_foreach(json_object_get(json_object_get(
			    def, "choices"), json_string_value(json_object_get(
			    q, "list"))), k, c) {
				const char *cn = json_string_value(
				    json_object_get(c, "name"));
				char h[300];

				snprintf(h, sizeof(h), "%s/%s", name, cn);
				if ((rc = columns_add(cs, h, q, cn)) != VG_OK)
					return rc;
			}
		}
	return rc;
}

static const char *
choice_label(const json_t *def, const json_t *q, const char *v)
{
	json_t *c;
	size_t i;

	if (!strcmp(json_string_value(json_object_get(q, "type")),
	    "departement")) {
		const vg_dept *d = vg_dept_get(v);

		return d ? d->name : v;
	}
	json_array_foreach(json_object_get(json_object_get(def, "choices"),
	    json_string_value(json_object_get(q, "list"))), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "name")), v))
			return label_in(json_object_get(c, "label"), "fr");
	return v;
}

/* The cell of column c for these answers (NULL: empty). */
static const char *
cell(const json_t *def, const struct column *c, const json_t *answers,
    bool labels)
{
	const char *v = json_string_value(json_object_get(answers,
	    json_string_value(json_object_get(c->q, "name"))));
	const char *type = json_string_value(json_object_get(c->q, "type"));

	if (c->choice != NULL) {
		char pad[4096], item[300];

		if (v == NULL)
			return NULL;    /* not asked: neither 0 nor 1 */
		snprintf(pad, sizeof(pad), " %s ", v);
		snprintf(item, sizeof(item), " %s ", c->choice);
		return strstr(pad, item) ? "1" : "0";
	}
	if (v != NULL && labels && (!strcmp(type, "select_one") ||
	    !strcmp(type, "departement")))
		return choice_label(def, c->q, v);
	return v;
}

vg_rc
surveys_export(int64_t wave_id, const vg_keys *keys, const char *format,
    bool labels, FILE *f, int64_t *count, char *err, size_t errlen)
{
	static const char q[] = "SELECT id, submitted_on, language, "
	    "link_hash, participant_id, answers FROM survey_responses "
	    "WHERE wave_id = ? ORDER BY id";
	struct wave w;
	struct columns cs;
	vg_db *db = vg_db_thread();
	vg_stmt *st = NULL;
	vg_buf b = VG_BUF_INIT;
	unsigned char *plain = NULL;
	size_t cap = 0, i;
	bool row, json = !strcmp(format, "json"), first = true;
	vg_rc rc;

	*count = 0;
	if (strcmp(format, "csv") != 0 && !json) {
		snprintf(err, errlen, _("format inconnu « %s » : csv ou json"),
		    format);
		return VG_EINVAL;
	}
	if ((rc = wave_load(wave_id, &w)) != VG_OK) {
		snprintf(err, errlen, _("aucune vague n° %lld"),
		    (long long)wave_id);
		return rc;
	}
	if ((rc = columns_of(w.def, &cs)) != VG_OK)
		goto out;
	if (json) {
		fputs("[", f);
	} else {
		vg_csv_field(&b, "reponse", true);
		vg_csv_field(&b, "date", false);
		vg_csv_field(&b, "langue", false);
		if (w.linkage)
			vg_csv_field(&b, "lien", false);
		if (w.identified)
			vg_csv_field(&b, "participant", false);
		for (i = 0; i < cs.n; i++)
			vg_csv_field(&b, cs.c[i].name, false);
		vg_csv_end(&b);
		if (vg_buf_failed(&b) || fwrite(b.data, 1, b.len, f) != b.len)
			rc = VG_EIO;
	}
	if (rc != VG_OK || (rc = vg_db_prepare(db, q, &st)) != VG_OK)
		goto out;
	vg_stmt_bind_int(st, 1, wave_id);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		size_t n;
		const unsigned char *sealed = vg_stmt_blob(st, 5, &n);
		json_t *answers;
		json_error_t je;
		char id[24];

		if (n <= VG_SEAL_OVERHEAD) {
			rc = VG_EDB;
			break;
		}
		if (n + 1 > cap) {
			unsigned char *p = realloc(plain, n + 1);

			if (p == NULL) {
				rc = VG_ENOMEM;
				break;
			}
			plain = p;
			cap = n + 1;
		}
		if (vg_unseal(keys, sealed, n, plain) != VG_OK ||
		    (answers = json_loads((char *)plain, 0, &je)) == NULL) {
			snprintf(err, errlen, _("la réponse %lld est illisible "
			    "(mauvaise clé ?)"), (long long)vg_stmt_int(st, 0));
			rc = VG_EIO;
			break;
		}
		snprintf(id, sizeof(id), "%lld", (long long)vg_stmt_int(st, 0));
		vg_buf_reset(&b);
		if (json) {
			json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:O}",
			    "response", id, "date", vg_stmt_text(st, 1),
			    "language", vg_stmt_text(st, 2), "link",
			    vg_stmt_is_null(st, 3) ? NULL : vg_stmt_text(st, 3),
			    "answers", answers);
			char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

			if (text != NULL) {
				vg_buf_puts(&b, first ? "\n" : ",\n");
				vg_buf_puts(&b, text);
			}
			free(text);
			json_decref(o);
		} else {
			vg_csv_field(&b, id, true);
			vg_csv_field(&b, vg_stmt_text(st, 1), false);
			vg_csv_field(&b, vg_stmt_text(st, 2), false);
			if (w.linkage)
				vg_csv_field(&b, vg_stmt_text(st, 3), false);
			if (w.identified)
				vg_csv_field(&b, vg_stmt_text(st, 4), false);
			for (i = 0; i < cs.n; i++)
				vg_csv_field(&b, cell(w.def, &cs.c[i], answers,
				    labels), false);
			vg_csv_end(&b);
		}
		json_decref(answers);
		first = false;
		if (vg_buf_failed(&b) || fwrite(b.data, 1, b.len, f) != b.len) {
			rc = VG_EIO;
			break;
		}
		(*count)++;
	}
	if (st != NULL)
		vg_stmt_done(st);
	if (rc == VG_OK && json)
		fputs("\n]\n", f);
out:
	if (rc == VG_OK && fflush(f) != 0)
		rc = VG_EIO;
	vg_buf_free(&b);
	free(plain);
	columns_free(&cs);
	wave_free(&w);
	return rc;
}

/* The codebook: every column of the export with its question, type,
 * label and, for choices, code and label. */
vg_rc
surveys_codebook(int64_t wave_id, FILE *f, char *err, size_t errlen)
{
	struct wave w;
	struct columns cs;
	vg_buf b = VG_BUF_INIT;
	size_t i;
	vg_rc rc;

	if ((rc = wave_load(wave_id, &w)) != VG_OK) {
		snprintf(err, errlen, _("aucune vague n° %lld"),
		    (long long)wave_id);
		return rc;
	}
	if ((rc = columns_of(w.def, &cs)) != VG_OK) {
		wave_free(&w);
		return rc;
	}
	vg_csv_field(&b, "variable", true);
	vg_csv_field(&b, "question", false);
	vg_csv_field(&b, "type", false);
	vg_csv_field(&b, "libelle", false);
	vg_csv_field(&b, "code", false);
	vg_csv_field(&b, "libelle_code", false);
	vg_csv_end(&b);
	for (i = 0; i < cs.n; i++) {
		const json_t *q = cs.c[i].q;
		const char *type = json_string_value(json_object_get(q, "type"));
		json_t *c;
		size_t k;

		if (cs.c[i].choice != NULL) {
			/* A choice of a multiple choice: 1 ticked, 0 not. */
			vg_csv_field(&b, cs.c[i].name, true);
			vg_csv_field(&b, json_string_value(json_object_get(q,
			    "name")), false);
			vg_csv_field(&b, type, false);
			vg_csv_field(&b, label_in(json_object_get(q, "label"),
			    "fr"), false);
			vg_csv_field(&b, "1", false);
			vg_csv_field(&b, choice_label(w.def, q, cs.c[i].choice),
			    false);
			vg_csv_end(&b);
			continue;
		}
		if (strcmp(type, "select_one") != 0) {
			vg_csv_field(&b, cs.c[i].name, true);
			vg_csv_field(&b, cs.c[i].name, false);
			vg_csv_field(&b, type, false);
			vg_csv_field(&b, label_in(json_object_get(q, "label"),
			    "fr"), false);
			vg_csv_field(&b, !strcmp(type, "departement") ?
			    "code officiel" : NULL, false);
			vg_csv_field(&b, NULL, false);
			vg_csv_end(&b);
			continue;
		}
		json_array_foreach(json_object_get(json_object_get(w.def,
		    "choices"), json_string_value(json_object_get(q, "list"))),
		    k, c) {
			vg_csv_field(&b, cs.c[i].name, true);
			vg_csv_field(&b, cs.c[i].name, false);
			vg_csv_field(&b, type, false);
			vg_csv_field(&b, label_in(json_object_get(q, "label"),
			    "fr"), false);
			vg_csv_field(&b, json_string_value(json_object_get(c,
			    "name")), false);
			vg_csv_field(&b, label_in(json_object_get(c, "label"),
			    "fr"), false);
			vg_csv_end(&b);
		}
	}
	if (vg_buf_failed(&b) || fwrite(b.data, 1, b.len, f) != b.len)
		rc = VG_EIO;
	vg_buf_free(&b);
	columns_free(&cs);
	wave_free(&w);
	return rc;
}

/* The answers as an XLSX workbook at path, in libxlsxwriter's constant
 * memory mode (rows are flushed as they are written). */
vg_rc
surveys_export_xlsx(int64_t wave_id, const vg_keys *keys, bool labels,
    const char *path, int64_t *count, char *err, size_t errlen)
{
	static const char q[] = "SELECT id, submitted_on, language, "
	    "link_hash, participant_id, answers FROM survey_responses "
	    "WHERE wave_id = ? ORDER BY id";
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
	    .tmpdir = NULL};
	lxw_workbook *wb;
	lxw_worksheet *ws;
	struct wave w;
	struct columns cs;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	unsigned char *plain = NULL;
	size_t cap = 0, i;
	lxw_row_t y = 0;
	lxw_col_t x;
	bool row;
	vg_rc rc;

	*count = 0;
	if ((rc = wave_load(wave_id, &w)) != VG_OK) {
		snprintf(err, errlen, _("aucune vague n° %lld"),
		    (long long)wave_id);
		return rc;
	}
	if ((rc = columns_of(w.def, &cs)) != VG_OK) {
		wave_free(&w);
		return rc;
	}
	if ((wb = workbook_new_opt(path, &opt)) == NULL) {
		columns_free(&cs);
		wave_free(&w);
		return VG_EIO;
	}
	ws = workbook_add_worksheet(wb, _("Réponses"));
	x = 0;
	worksheet_write_string(ws, y, x++, "reponse", NULL);
	worksheet_write_string(ws, y, x++, "date", NULL);
	worksheet_write_string(ws, y, x++, "langue", NULL);
	if (w.linkage)
		worksheet_write_string(ws, y, x++, "lien", NULL);
	for (i = 0; i < cs.n; i++)
		worksheet_write_string(ws, y, x++, cs.c[i].name, NULL);
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		goto out;
	vg_stmt_bind_int(st, 1, wave_id);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		size_t n;
		const unsigned char *sealed = vg_stmt_blob(st, 5, &n);
		json_t *answers;
		json_error_t je;
		char id[24];

		if (n + 1 > cap) {
			unsigned char *p = realloc(plain, n + 1);

			if (p == NULL) {
				rc = VG_ENOMEM;
				break;
			}
			plain = p;
			cap = n + 1;
		}
		if (n <= VG_SEAL_OVERHEAD || vg_unseal(keys, sealed, n, plain) !=
		    VG_OK || (answers = json_loads((char *)plain, 0, &je)) ==
		    NULL) {
			rc = VG_EIO;
			break;
		}
		y++;
		x = 0;
		snprintf(id, sizeof(id), "%lld", (long long)vg_stmt_int(st, 0));
		worksheet_write_string(ws, y, x++, id, NULL);
		worksheet_write_string(ws, y, x++, vg_stmt_text(st, 1), NULL);
		worksheet_write_string(ws, y, x++, vg_stmt_text(st, 2), NULL);
		if (w.linkage) {
			if (!vg_stmt_is_null(st, 3))
				worksheet_write_string(ws, y, x,
				    vg_stmt_text(st, 3), NULL);
			x++;
		}
		for (i = 0; i < cs.n; i++, x++) {
			const char *v = cell(w.def, &cs.c[i], answers, labels);
			const char *type = json_string_value(json_object_get(
			    cs.c[i].q, "type"));

			if (v == NULL)
				continue;
			if (cs.c[i].choice != NULL || !strcmp(type, "integer") ||
			    !strcmp(type, "decimal"))
				worksheet_write_number(ws, y, x, strtod(v, NULL),
				    NULL);
			else
				worksheet_write_string(ws, y, x, v, NULL);
		}
		json_decref(answers);
		(*count)++;
	}
	vg_stmt_done(st);
out:
	if (workbook_close(wb) != LXW_NO_ERROR && rc == VG_OK)
		rc = VG_EIO;
	free(plain);
	columns_free(&cs);
	wave_free(&w);
	return rc;
}
