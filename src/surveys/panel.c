/*
 * panel.c — a wave's panel: participants imported from a CSV file, each
 * with a single-use invitation code, invited and reminded by e-mail.
 *
 * Addresses and names are sealed at rest; the code is kept as a keyed
 * hash to recognise it, and sealed only until it is used, to be mailed.
 * In an anonymous wave nothing links the answers to a participant: the
 * participant's row only says that the code has served.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/csv.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/utf8.h"
#include "core/when.h"
#include "db/sealed.h"
#include "surveys/surveys_int.h"

#define REMIND_AFTER (3 * 86400)       /* days between two mails */

static bool
email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	size_t i;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL ||
	    strchr(at, '.') == NULL || strlen(s) > 254 || at[1] == '.' ||
	    s[strlen(s) - 1] == '.')
		return false;
	for (i = 0; s[i] != '\0'; i++)
		if ((unsigned char)s[i] <= ' ' || strchr("<>()[]\\,;:\"", s[i]))
			return false;
	return true;
}

static void
add_error(json_t *errors, size_t line, const char *column, const char *msg)
{
	if (json_array_size(errors) < 200)
		json_array_append_new(errors, json_pack("{s:I, s:s?, s:s}",
		    "line", (json_int_t)line, "column", column, "message",
		    msg));
}

vg_rc
panel_import(const vg_keys *k, int64_t wave_id, const char *data, size_t len,
    json_t **errors, int *added)
{
	static const char q_have[] = "SELECT 1 FROM survey_participants "
	    "WHERE wave_id = ? AND email_hash = ?";
	static const char q_insert[] = "INSERT INTO survey_participants "
	    "(wave_id, email_sealed, name_sealed, email_hash, code_hash, "
	    "code_sealed) VALUES (?, ?, ?, ?, ?, ?)";
	vg_csv *csv = NULL;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *seen = json_object();
	char err[512];
	int col_email = -1, col_name = -1;
	size_t i, j;
	vg_rc rc;

	*errors = json_array();
	*added = 0;
	if (db == NULL || *errors == NULL || seen == NULL) {
		json_decref(seen);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_csv_parse(data, len, &csv, err, sizeof(err))) != VG_OK) {
		if (rc == VG_EINVAL)
			add_error(*errors, 0, NULL, err);
		json_decref(seen);
		return rc;
	}
	if (csv->nrows < 2) {
		add_error(*errors, 1, NULL, _("Le fichier ne contient aucun "
		    "participant : une ligne de titres (email, nom) puis une "
		    "ligne par personne."));
		rc = VG_EINVAL;
		goto out;
	}
	for (j = 0; j < csv->rows[0].n; j++) {
		const char *h = csv->rows[0].field[j];

		if (!strcasecmp(h, "email") || !strcasecmp(h, "e-mail") ||
		    !strcasecmp(h, "courriel"))
			col_email = (int)j;
		else if (!strcasecmp(h, "nom") || !strcasecmp(h, "name"))
			col_name = (int)j;
		else if (*h != '\0')
			add_error(*errors, csv->rows[0].line, h, _("Colonne "
			    "inconnue : les colonnes possibles sont email et "
			    "nom."));
	}
	if (col_email < 0)
		add_error(*errors, csv->rows[0].line, "email", _("Colonne "
		    "obligatoire absente de la première ligne."));
	for (i = 1; col_email >= 0 && i < csv->nrows; i++) {
		const vg_csv_row *row = &csv->rows[i];
		const char *email = (size_t)col_email < row->n ?
		    row->field[col_email] : "";
		const char *name = col_name >= 0 && (size_t)col_name <
		    row->n ? row->field[col_name] : "";
		char hash[VG_TOKEN_CHARS + 1];
		bool have = false;

		if (!email_ok(email)) {
			add_error(*errors, row->line, "email", _("Adresse "
			    "e-mail invalide : elle s'écrit comme "
			    "prenom.nom@exemple.fr."));
			continue;
		}
		if (vg_utf8_length(name, strlen(name)) > 200) {
			add_error(*errors, row->line, "nom", _("Nom trop long "
			    "(200 caractères au plus)."));
			continue;
		}
		code_hash(k, email, hash);
		if (json_object_get(seen, hash) != NULL) {
			add_error(*errors, row->line, "email", _("Cette adresse "
			    "est déjà sur une autre ligne du fichier."));
			continue;
		}
		json_object_set_new(seen, hash, json_true());
		if ((rc = vg_db_prepare(db, q_have, &st)) != VG_OK)
			goto out;
		vg_stmt_bind_int(st, 1, wave_id);
		vg_stmt_bind_text(st, 2, hash);
		rc = vg_stmt_step(st, &have);
		vg_stmt_done(st);
		if (rc != VG_OK)
			goto out;
		if (have)
			add_error(*errors, row->line, "email", _("Cette adresse "
			    "est déjà dans le panel de cette vague."));
	}
	if (json_array_size(*errors) > 0) {
		rc = VG_EINVAL;
		goto out;
	}
	/* Every row is good: all in one transaction. */
	if ((rc = vg_db_begin(db)) != VG_OK)
		goto out;
	for (i = 1; i < csv->nrows && rc == VG_OK; i++) {
		const vg_csv_row *row = &csv->rows[i];
		const char *name = col_name >= 0 && (size_t)col_name <
		    row->n ? row->field[col_name] : "";
		char ehash[VG_TOKEN_CHARS + 1], chash[VG_TOKEN_CHARS + 1];
		char code[16];

		code_hash(k, row->field[col_email], ehash);
		code_new(code);
		code_hash(k, code, chash);
		if ((rc = vg_db_prepare(db, q_insert, &st)) != VG_OK)
			break;
		vg_stmt_bind_int(st, 1, wave_id);
		if ((rc = vg_stmt_bind_sealed(st, 2, k,
		    row->field[col_email])) == VG_OK &&
		    (rc = vg_stmt_bind_sealed(st, 3, k, *name ? name :
		    NULL)) == VG_OK &&
		    (rc = vg_stmt_bind_text(st, 4, ehash)) == VG_OK &&
		    (rc = vg_stmt_bind_text(st, 5, chash)) == VG_OK &&
		    (rc = vg_stmt_bind_sealed(st, 6, k, code)) == VG_OK)
			rc = vg_stmt_exec(st);
		vg_stmt_done(st);
		if (rc == VG_OK)
			(*added)++;
	}
	if (rc == VG_OK)
		rc = vg_db_commit(db);
	else
		vg_db_rollback(db);
	if (rc != VG_OK)
		*added = 0;
out:
	json_decref(seen);
	vg_csv_free(csv);
	return rc;
}

vg_rc
panel_send(const vg_config *c, const vg_keys *k, int64_t wave_id,
    bool reminders, int *sent, int *failed, char *err, size_t errlen)
{
	static const char q_invite[] = "SELECT id, email_sealed, name_sealed, "
	    "code_sealed FROM survey_participants WHERE wave_id = ? "
	    "AND invited_at IS NULL AND used = 0 ORDER BY id";
	static const char q_remind[] = "SELECT id, email_sealed, name_sealed, "
	    "code_sealed FROM survey_participants WHERE wave_id = ? "
	    "AND invited_at IS NOT NULL AND used = 0 "
	    "AND coalesce(reminded_at, invited_at) <= ? ORDER BY id";
	static const char q_mark_invited[] = "UPDATE survey_participants "
	    "SET invited_at = ? WHERE id = ?";
	static const char q_mark_reminded[] = "UPDATE survey_participants "
	    "SET reminded_at = ? WHERE id = ?";
	struct wave w;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *outbox = json_array(), *o;
	int64_t now = (int64_t)time(NULL);
	char closes[32] = "";
	bool row;
	size_t i;
	vg_rc rc;

	*sent = *failed = 0;
	if (c->smtp_url[0] == '\0' || c->notifier_email[0] == '\0') {
		snprintf(err, errlen, "%s", _("l'envoi d'e-mails n'est pas "
		    "configuré (smtp_url et notifier_email)"));
		json_decref(outbox);
		return VG_EINVAL;
	}
	if ((rc = wave_load(wave_id, &w)) != VG_OK) {
		json_decref(outbox);
		return rc;
	}
	if (!wave_is_open(&w, now)) {
		snprintf(err, errlen, "%s", _("la vague est fermée : aucune "
		    "invitation n'est envoyée"));
		wave_free(&w);
		json_decref(outbox);
		return VG_ECONFLICT;
	}
	if (w.closes_at)
		vg_time_text(w.closes_at - 1, "%d/%m/%Y", closes,
		    sizeof(closes));
	/* Read first, then mail: no statement stays open while the SMTP
	 * server takes its time. */
	if ((rc = vg_db_prepare(db, reminders ? q_remind : q_invite, &st)) ==
	    VG_OK) {
		vg_stmt_bind_int(st, 1, wave_id);
		if (reminders)
			vg_stmt_bind_int(st, 2, now - REMIND_AFTER);
		while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
			char *email = vg_stmt_unsealed(st, 1, k);
			char *name = vg_stmt_is_null(st, 2) ? NULL :
			    vg_stmt_unsealed(st, 2, k);
			char *code = vg_stmt_unsealed(st, 3, k);

			if (email != NULL && code != NULL)
				json_array_append_new(outbox, json_pack(
				    "{s:I, s:s, s:s?, s:s}", "id",
				    (json_int_t)vg_stmt_int(st, 0), "email",
				    email, "name", name, "code", code));
			free(email);
			free(name);
			free(code);
		}
		vg_stmt_done(st);
	}
	json_array_foreach(outbox, i, o) {
		vg_buf body = VG_BUF_INIT;
		const char *name = json_string_value(json_object_get(o, "name"));
		const char *title = json_string_value(json_object_get(w.def,
		    "title"));
		char subject[400], merr[256];
		vg_rc mrc;

		if (rc != VG_OK)
			break;
		snprintf(subject, sizeof(subject), reminders ?
		    _("Rappel : questionnaire « %s »") :
		    _("Invitation : questionnaire « %s »"), title);
		vg_buf_printf(&body, _("Bonjour%s%s,\n\n"), name ? " " : "",
		    name ? name : "");
		if (reminders)
			vg_buf_printf(&body, "%s\n\n", _("Vous n'avez pas encore "
			    "répondu au questionnaire de l'observatoire. Il est "
			    "encore temps, et votre réponse compte."));
		vg_buf_printf(&body, _("L'observatoire vous invite à répondre "
		    "au questionnaire « %s » (%s).\n\n"), title, w.name);
		vg_buf_printf(&body, _("Pour répondre : %s/q/%s\nVotre code "
		    "d'invitation : %s\n\n"), c->public_url, w.form_id,
		    json_string_value(json_object_get(o, "code")));
		vg_buf_printf(&body, "%s\n", _("Ce code ne sert qu'une fois. "
		    "Ne le transmettez à personne."));
		if (!w.identified)
			vg_buf_printf(&body, "%s\n", _("Vos réponses sont "
			    "anonymes : rien ne les relie à ce code ni à votre "
			    "adresse."));
		if (*closes)
			vg_buf_printf(&body, _("Vous pouvez répondre jusqu'au "
			    "%s.\n"), closes);
		vg_buf_printf(&body, "\n%s\n", c->notifier_name[0] ?
		    c->notifier_name : "Vigie");
		mrc = vg_buf_failed(&body) ? VG_ENOMEM : vg_mail_send_config(
		    c, json_string_value(json_object_get(o, "email")), subject,
		    body.data, merr, sizeof(merr));
		vg_buf_free(&body);
		if (mrc != VG_OK) {
			/* Logged without the address. */
			vg_error("panel mail for participant %lld: %s",
			    (long long)json_integer_value(json_object_get(o,
			    "id")), merr);
			(*failed)++;
			continue;
		}
		if ((rc = vg_db_prepare(db, reminders ? q_mark_reminded :
		    q_mark_invited, &st)) == VG_OK) {
			vg_stmt_bind_int(st, 1, now);
			vg_stmt_bind_int(st, 2, json_integer_value(
			    json_object_get(o, "id")));
			rc = vg_stmt_exec(st);
			vg_stmt_done(st);
		}
		if (rc == VG_OK)
			(*sent)++;
	}
	json_decref(outbox);
	wave_free(&w);
	return rc;
}
