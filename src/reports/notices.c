/*
 * notices.c — notices to hosts under the Digital Services Act, art. 16(2):
 * (a) why the content is illegal, (b) its exact URLs, (c) the notifier's
 * name and e-mail — left out for child sexual abuse offences, as the
 * article allows — and (d) a statement of good faith.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/i18n.h"
#include "core/mail.h"
#include "core/when.h"
#include "db/db.h"
#include "reports/analysis.h"
#include "reports/notices.h"
#include "reports/reports_int.h"

static const char q_report[] =
    "SELECT category, qualification FROM reports WHERE id = ?";
static const char q_urls[] =
    "SELECT url FROM report_urls WHERE report_id = ? ORDER BY position";

vg_rc
notice_text(const vg_config *c, int64_t report_id, const char *explanation,
    char **out)
{
	vg_db *db = vg_db_thread();
	vg_buf b = VG_BUF_INIT;
	vg_stmt *st;
	char *category = NULL, *qualification = NULL;
	json_t *cat, *qual;
	bool row, csam;
	int n = 0;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, q_report, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, report_id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		category = strdup(vg_stmt_text(st, 0));
		if (!vg_stmt_is_null(st, 1))
			qualification = strdup(vg_stmt_text(st, 1));
	}
	vg_stmt_done(st);
	if (rc != VG_OK || !row) {
		free(qualification);
		return rc != VG_OK ? rc : VG_ENOTFOUND;
	}
	cat = reports_find("categories", category);
	qual = reports_find("qualifications", qualification);
	csam = json_is_true(json_object_get(cat, "adresses_seulement"));

	vg_buf_printf(&b, _("Objet : notification d'un contenu illicite "
	    "(règlement (UE) 2022/2065, article 16) — référence VIGIE-%lld\n\n"),
	    (long long)report_id);
	vg_buf_puts(&b, _("Madame, Monsieur,\n\nEn application de l'article "
	    "16 du règlement sur les services numériques, nous vous "
	    "notifions le contenu suivant, hébergé par votre service.\n\n"));
	vg_buf_puts(&b, _("1. Emplacement électronique exact du contenu :\n"));
	if ((rc = vg_db_prepare(db, q_urls, &st)) != VG_OK)
		goto out;
	vg_stmt_bind_int(st, 1, report_id);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		vg_buf_printf(&b, "   - %s\n", vg_stmt_text(st, 0));
		n++;
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto out;
	vg_buf_puts(&b, _("\n2. Pourquoi ce contenu est illicite :\n"));
	vg_buf_printf(&b, _("   Nature : %s.\n"), json_string_value(
	    json_object_get(cat, "libelle")));
	if (qual != NULL)
		vg_buf_printf(&b, _("   Qualification en droit français : %s "
		    "(%s).\n"), json_string_value(json_object_get(qual,
		    "libelle")), qualification);
	if (explanation != NULL)
		vg_buf_printf(&b, "   %s\n", explanation);
	vg_buf_puts(&b, _("\n3. Auteur de la notification :\n"));
	if (csam)
		vg_buf_puts(&b, _("   Non indiqué : l'article 16, paragraphe 2, "
		    "point c) du règlement ne l'exige pas pour les infractions "
		    "visées aux articles 3 à 7 de la directive 2011/93/UE.\n"));
	else
		vg_buf_printf(&b, "   %s <%s>\n", c->notifier_name[0] ?
		    c->notifier_name : "Vigie", c->notifier_email[0] ?
		    c->notifier_email : "-");
	vg_buf_puts(&b, _("\n4. Déclaration : nous déclarons de bonne foi que "
	    "les informations et allégations contenues dans la présente "
	    "notification sont exactes et complètes.\n\n"));
	vg_buf_printf(&b, _("Merci d'accuser réception de cette notification et "
	    "de nous informer de votre décision et des voies de recours, en "
	    "rappelant la référence VIGIE-%lld.\n"), (long long)report_id);
	if (n == 0)
		rc = VG_EINVAL;
out:
	free(category);
	free(qualification);
	if (rc != VG_OK || vg_buf_failed(&b)) {
		vg_buf_free(&b);
		return rc != VG_OK ? rc : VG_ENOMEM;
	}
	*out = vg_buf_detach(&b, NULL);
	return *out ? VG_OK : VG_ENOMEM;
}

static vg_rc
record(int64_t report_id, int64_t actor, const char *recipient,
    const char *body, int due_days, int64_t *notice_id)
{
	static const char q_add[] =
	    "INSERT INTO notices (report_id, recipient, body, created_at, "
	    "created_by, sent_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
	static const char q_event[] =
	    "INSERT INTO report_events (report_id, at, kind, detail, actor_id) "
	    "VALUES (?, ?, 'notice', ?, ?)";
	int64_t now = (int64_t)time(NULL);
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = vg_db_prepare(db, q_add, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, report_id);
	vg_stmt_bind_text(st, 2, recipient);
	vg_stmt_bind_text(st, 3, body);
	vg_stmt_bind_int(st, 4, now);
	vg_stmt_bind_int(st, 5, actor);
	if (recipient != NULL) {
		vg_stmt_bind_int(st, 6, now);
		vg_stmt_bind_int(st, 7, now + (int64_t)due_days * 86400);
	}
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	*notice_id = vg_db_last_id(db);
	if (rc != VG_OK || (rc = vg_db_prepare(db, q_event, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, report_id);
	vg_stmt_bind_int(st, 2, now);
	vg_stmt_bind_text(st, 3, recipient ? recipient : "téléchargée");
	vg_stmt_bind_int(st, 4, actor);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK || (rc = audit_append(actor, recipient ? "notice-sent" :
	    "notice-downloaded", report_id, recipient)) != VG_OK ||
	    (rc = vg_db_commit(db)) != VG_OK)
		goto fail;
	return VG_OK;
fail:
	vg_db_rollback(db);
	return rc;
}

vg_rc
notice_issue(const vg_config *c, int64_t report_id, int64_t actor,
    const char *explanation, const char *recipient, char **text,
    const char **why)
{
	char err[256], subject[128];
	int64_t nid;
	vg_rc rc;

	*why = NULL;
	if ((rc = notice_text(c, report_id, explanation, text)) != VG_OK) {
		if (rc == VG_EINVAL)
			*why = _("Ce signalement n'a pas d'adresse à notifier.");
		return rc;
	}
	if (recipient != NULL) {
		if (c->smtp_url[0] == '\0' || c->notifier_email[0] == '\0') {
			*why = _("L'envoi par e-mail n'est pas configuré "
			    "(smtp_url et notifier_email dans vigie.conf) : "
			    "téléchargez la notification.");
			rc = VG_EINVAL;
			goto fail;
		}
		snprintf(subject, sizeof(subject), _("Notification de contenu "
		    "illicite — VIGIE-%lld"), (long long)report_id);
		rc = vg_mail_send_config(c, recipient, subject, *text, err,
		    sizeof(err));
		if (rc == VG_EINVAL) {
			*why = _("Cette adresse e-mail n'est pas valide.");
			goto fail;
		}
		if (rc != VG_OK) {
			*why = _("Le serveur de messagerie n'a pas accepté "
			    "l'envoi ; rien n'a été enregistré. Réessayez ou "
			    "téléchargez la notification.");
			goto fail;
		}
	}
	/* Recorded once sent: a notice refused by the mail server is not a
	 * notice sent. */
	if ((rc = record(report_id, actor, recipient, *text, c->notice_days,
	    &nid)) != VG_OK)
		goto fail;
	return VG_OK;
fail:
	free(*text);
	*text = NULL;
	return rc;
}

vg_rc
notice_reply(int64_t report_id, int64_t notice_id, int64_t actor,
    const char *decision)
{
	static const char q_set[] =
	    "UPDATE notices SET reply_at = ?, decision = ? "
	    "WHERE id = ? AND report_id = ? AND reply_at IS NULL";
	static const char q_changes[] = "SELECT changes()";
	const char *why;
	int64_t now = (int64_t)time(NULL);
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	if (strcmp(decision, "retire") != 0 && strcmp(decision, "refuse") != 0)
		return VG_EINVAL;
	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = vg_db_prepare(db, q_set, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, now);
	vg_stmt_bind_text(st, 2, decision);
	vg_stmt_bind_int(st, 3, notice_id);
	vg_stmt_bind_int(st, 4, report_id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK || (rc = vg_db_prepare(db, q_changes, &st)) != VG_OK)
		goto fail;
	rc = vg_stmt_step(st, &row);
	if (rc == VG_OK && (!row || vg_stmt_int(st, 0) != 1))
		rc = VG_ENOTFOUND;
	vg_stmt_done(st);
	if (rc != VG_OK || (rc = vg_db_commit(db)) != VG_OK)
		goto fail;
	/* The host's decision is the report's outcome. */
	return analysis_change(report_id, actor, "outcome", decision, NULL,
	    &why);
fail:
	vg_db_rollback(db);
	return rc;
}

vg_rc
notice_list(int64_t report_id, json_t **out)
{
	static const char q[] =
	    "SELECT id, recipient, sent_at, due_at, reply_at, decision, "
	    "created_at FROM notices WHERE report_id = ? ORDER BY id";
	int64_t now = (int64_t)time(NULL);
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *list = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || list == NULL) {
		json_decref(list);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(list);
		return rc;
	}
	vg_stmt_bind_int(st, 1, report_id);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char sent[32] = "", due[32] = "", created[32];

		vg_time_text(vg_stmt_int(st, 6), "%Y-%m-%d", created,
		    sizeof(created));
		if (!vg_stmt_is_null(st, 2)) {
			vg_time_text(vg_stmt_int(st, 2), "%Y-%m-%d", sent,
			    sizeof(sent));
			vg_time_text(vg_stmt_int(st, 3), "%Y-%m-%d", due,
			    sizeof(due));
		}
		json_array_append_new(list, json_pack("{s:I, s:s?, s:s, s:s, "
		    "s:s?, s:b, s:b, s:s}", "id", (json_int_t)vg_stmt_int(st, 0),
		    "recipient", vg_stmt_text(st, 1), "sent", sent, "due", due,
		    "decision", vg_stmt_text(st, 5),
		    "answered", !vg_stmt_is_null(st, 4),
		    "overdue", !vg_stmt_is_null(st, 2) &&
		    vg_stmt_is_null(st, 4) && vg_stmt_int(st, 3) < now,
		    "created", created));
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(list);
		return rc;
	}
	*out = list;
	return VG_OK;
}
