/*
 * import.c — actors from and to spreadsheets.
 *
 * An import is all or nothing: every row is checked first and every error
 * reported with its line and column, as an editor fixes a file in one
 * pass; only a file without any error is written, in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/i18n.h"
#include "core/territory.h"
#include "directory/directory_int.h"
#include "render/sheet.h"

#define MAX_ERRORS 200

/* Column "id" (rows to update) comes before the fields. */
#define COL_ID AF_COUNT

static void
add_error(json_t *errors, size_t line, const char *column, const char *msg)
{
	if (json_array_size(errors) < MAX_ERRORS)
		json_array_append_new(errors, json_pack("{s:I, s:s?, s:s}",
		    "line", (json_int_t)line, "column", column, "message",
		    msg));
}

/* The field a header cell names, COL_ID, or -1. */
static int
column_of(const char *header)
{
	char *key = vg_fold_key(header), *k2;
	int found = -1, i;

	if (key == NULL)
		return -1;
	if (!strcmp(key, "id"))
		found = COL_ID;
	for (i = 0; i < AF_COUNT && found < 0; i++) {
		if ((k2 = vg_fold_key(actor_fields[i].column)) != NULL &&
		    !strcmp(k2, key))
			found = i;
		free(k2);
	}
	free(key);
	return found;
}

static bool
actor_exists(int64_t id)
{
	static const char q[] = "SELECT 1 FROM actors WHERE id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row = false;

	if (db == NULL || vg_db_prepare(db, q, &st) != VG_OK)
		return false;
	vg_stmt_bind_int(st, 1, id);
	if (vg_stmt_step(st, &row) != VG_OK)
		row = false;
	vg_stmt_done(st);
	return row;
}

vg_rc
directory_import_csv(const char *data, size_t len, int64_t user,
    bool dry_run, json_t **errors, int *created, int *updated)
{
	vg_csv *csv = NULL;
	vg_arena *a = NULL;
	json_t *errs = json_array();
	int map[VG_CSV_MAX_FIELDS];
	bool seen[AF_COUNT + 1] = {false};
	const char *(*rows)[AF_COUNT] = NULL;
	int64_t *ids = NULL;
	char err[512];
	size_t i, j, nmap = 0;
	vg_db *db;
	vg_rc rc;

	*errors = errs;
	*created = *updated = 0;
	if (errs == NULL)
		return VG_ENOMEM;
	rc = vg_csv_parse(data, len, &csv, err, sizeof(err));
	if (rc == VG_EINVAL) {
		add_error(errs, 0, NULL, err);
		return VG_EINVAL;
	}
	if (rc != VG_OK)
		return rc;
	if (csv->nrows == 0) {
		add_error(errs, 1, NULL, _("Le fichier est vide."));
		vg_csv_free(csv);
		return VG_EINVAL;
	}

	/* The header: every column known, once; the required ones there. */
	nmap = csv->rows[0].n;
	for (j = 0; j < nmap; j++) {
		const char *h = csv->rows[0].field[j];
		int c = column_of(h);

		map[j] = c;
		if (c < 0 && *h != '\0')
			add_error(errs, csv->rows[0].line, h, _("Colonne "
			    "inconnue : les colonnes possibles sont id, nom, "
			    "type, thematiques, publics, departement, commune, "
			    "adresse, telephone, email, site_web, horaires, "
			    "accessibilite, description et reserve_pro."));
		else if (c >= 0 && seen[c])
			add_error(errs, csv->rows[0].line, h, _("Cette colonne "
			    "apparaît deux fois."));
		else if (c >= 0)
			seen[c] = true;
	}
	for (i = 0; i < AF_COUNT; i++)
		if (actor_fields[i].required && !seen[i])
			add_error(errs, csv->rows[0].line,
			    actor_fields[i].column, _("Colonne obligatoire "
			    "absente de la première ligne."));
	if (json_array_size(errs) > 0) {
		vg_csv_free(csv);
		return VG_EINVAL;
	}
	if (csv->nrows == 1) {
		add_error(errs, csv->rows[0].line, NULL, _("Le fichier ne "
		    "contient aucun acteur, seulement la ligne des titres."));
		vg_csv_free(csv);
		return VG_EINVAL;
	}

	/* Every row, checked; the checked values kept for the writing. */
	if ((a = vg_arena_new()) == NULL ||
	    (rows = calloc(csv->nrows, sizeof(*rows))) == NULL ||
	    (ids = calloc(csv->nrows, sizeof(*ids))) == NULL) {
		rc = VG_ENOMEM;
		goto out;
	}
	for (i = 1; i < csv->nrows; i++) {
		const vg_csv_row *row = &csv->rows[i];
		const char *v[AF_COUNT] = {NULL}, *why;
		enum actor_field field;
		size_t k;

		for (j = 0; j < row->n; j++) {
			if (j >= nmap || map[j] < 0) {
				if (row->field[j][0] != '\0') {
					add_error(errs, row->line, NULL,
					    vg_arena_printf(a, _("Valeur « %s » "
					    "hors des colonnes (colonne %zu) : "
					    "vérifiez le séparateur et les "
					    "guillemets."), row->field[j],
					    j + 1));
					break;
				}
				continue;
			}
			if (map[j] == COL_ID) {
				char *end;
				long long id;

				if (row->field[j][0] == '\0')
					continue;
				id = strtoll(row->field[j], &end, 10);
				if (*end != '\0' || id <= 0 ||
				    !actor_exists(id)) {
					add_error(errs, row->line, "id",
					    _("Aucun acteur n'a cet identifiant "
					    ": laissez la case vide pour créer "
					    "un nouvel acteur."));
					goto next;
				}
				for (k = 1; k < i; k++)
					if (ids[k] == id) {
						add_error(errs, row->line,
						    "id", _("Cet identifiant "
						    "est déjà sur une autre "
						    "ligne du fichier."));
						goto next;
					}
				ids[i] = id;
				continue;
			}
			v[map[j]] = row->field[j];
		}
		if (j < row->n)
			continue;
		rc = actor_check(a, v, rows[i], &why, &field);
		if (rc == VG_ENOMEM)
			goto out;
		if (rc != VG_OK)
			add_error(errs, row->line, actor_fields[field].column,
			    why);
		if (json_array_size(errs) >= MAX_ERRORS)
			break;
next:
		;
	}
	rc = VG_OK;
	if (json_array_size(errs) > 0) {
		rc = VG_EINVAL;
		goto out;
	}
	for (i = 1; i < csv->nrows; i++) {
		if (ids[i] > 0)
			(*updated)++;
		else
			(*created)++;
	}
	if (dry_run)
		goto out;

	if ((db = vg_db_thread()) == NULL) {
		rc = VG_EDB;
		goto out;
	}
	if ((rc = vg_db_begin(db)) != VG_OK)
		goto out;
	for (i = 1; i < csv->nrows && rc == VG_OK; i++) {
		int64_t id;

		rc = actor_save(ids[i], rows[i], user, &id);
	}
	if (rc == VG_OK)
		rc = vg_db_commit(db);
	else
		vg_db_rollback(db);
	if (rc != VG_OK)
		*created = *updated = 0;
out:
	free(rows);
	free(ids);
	vg_arena_free(a);
	vg_csv_free(csv);
	return rc;
}

/* --- export ----------------------------------------------------------- */

static const char *const contact_columns[] = {
	"adresse", "telephone", "email", "site_web"
};

/* Every actor as rows of strings, in the import's column order. */
static vg_rc
export_rows(json_t **out, const char **header)
{
	static const char q[] = "SELECT " ACTOR_COLUMNS " FROM actors "
	    "ORDER BY departement, name, id";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *rows = json_array();
	bool row;
	size_t i;
	vg_rc rc;

	header[0] = "id";
	for (i = 0; i < AF_COUNT; i++)
		header[i + 1] = actor_fields[i].column;
	*out = NULL;
	if (db == NULL || rows == NULL) {
		json_decref(rows);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(rows);
		return rc;
	}
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		json_t *r = json_array();
		int col;

		json_array_append_new(r, json_integer(vg_stmt_int(st, 0)));
		for (col = 1; col <= AF_COUNT; col++) {
			const char *v = vg_stmt_text(st, col);
			enum actor_field f = (enum actor_field)(col - 1);

			if (v == NULL || *v == '\0') {
				json_array_append_new(r, json_null());
			} else if (f == AF_COMMUNE) {
				const vg_commune *c = vg_commune_get(v);

				json_array_append_new(r, json_string(c ?
				    c->name : v));
			} else if (f == AF_THEMES || f == AF_PUBLICS ||
			    f == AF_PRO_ONLY) {
				/* Codes separated by ", ", as an editor
				 * would type them. */
				vg_buf b = VG_BUF_INIT;
				const char *p = v;

				while (*p != '\0') {
					size_t n = strcspn(p, " ");
					size_t k;
					const char *tok = p;

					if (b.len > 0)
						vg_buf_puts(&b, ", ");
					for (k = 0; f == AF_PRO_ONLY &&
					    actor_contacts[k]; k++)
						if (strlen(actor_contacts[k]) ==
						    n && !strncmp(actor_contacts[
						    k], p, n))
							tok = contact_columns[k],
							    n = strlen(tok);
					vg_buf_append(&b, tok, n);
					p += strcspn(p, " ");
					while (*p == ' ')
						p++;
				}
				json_array_append_new(r, json_string(b.data ?
				    b.data : ""));
				vg_buf_free(&b);
			} else {
				json_array_append_new(r, json_string(v));
			}
		}
		json_array_append_new(rows, r);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(rows);
		return rc;
	}
	*out = rows;
	return VG_OK;
}

vg_rc
directory_export_csv(char **out, size_t *len)
{
	const char *header[AF_COUNT + 1];
	vg_buf b = VG_BUF_INIT;
	json_t *rows;
	vg_rc rc;

	if ((rc = export_rows(&rows, header)) != VG_OK)
		return rc;
	vg_sheet_csv(&b, header, AF_COUNT + 1, rows);
	json_decref(rows);
	if (vg_buf_failed(&b)) {
		vg_buf_free(&b);
		return VG_ENOMEM;
	}
	if (b.data == NULL)
		vg_buf_puts(&b, "");
	*out = vg_buf_detach(&b, len);
	return *out ? VG_OK : VG_ENOMEM;
}

vg_rc
directory_export_xlsx(const char *tmpdir, char **out, size_t *len)
{
	const char *header[AF_COUNT + 1];
	json_t *rows;
	vg_rc rc;

	if ((rc = export_rows(&rows, header)) != VG_OK)
		return rc;
	rc = vg_sheet_xlsx(tmpdir, _("Acteurs"), NULL, header, AF_COUNT + 1, rows,
	    out, len);
	json_decref(rows);
	return rc;
}
