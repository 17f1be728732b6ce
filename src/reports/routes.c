/*
 * routes.c — /signaler and /suivi.  Both are POST forms: nothing about a
 * report or its code goes into a URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/when.h"
#include "http/throttle.h"
#include "reports/analysis.h"
#include "reports/hosting.h"
#include "reports/notices.h"
#include "reports/stats.h"
#include "reports/reports_int.h"

/* 5000 characters of any script and 10 long URLs, percent-encoded */
#define REPORT_BODY (160 * 1024)
#define FOLLOW_BODY (2 * 1024)

static void
form_context(vg_req *r, vg_resp *resp, const char *submission,
    json_t *values)
{
	json_t *cats = json_array(), *rels = json_array(), *c;
	const char *chosen = json_string_value(json_object_get(values,
	    "category"));
	const char *relation = json_string_value(json_object_get(values,
	    "relation"));
	const char *minor = json_string_value(json_object_get(values, "minor"));
	char token[VG_TOKEN_CHARS + 1], today[16];
	size_t i;

	json_array_foreach(reports_categories(), i, c) {
		const char *v = json_string_value(json_object_get(c, "valeur"));

		json_array_append_new(cats, json_pack("{s:s, s:O, s:O?, s:b, "
		    "s:b}", "value", v, "label", json_object_get(c, "libelle"),
		    "help", json_object_get(c, "aide"), "urls_only",
		    json_is_true(json_object_get(c, "adresses_seulement")),
		    "selected", chosen && !strcmp(chosen, v)));
	}
	json_array_foreach(reports_relations(), i, c) {
		const char *v = json_string_value(json_object_get(c, "valeur"));

		json_array_append_new(rels, json_pack("{s:s, s:O, s:b}",
		    "value", v, "label", json_object_get(c, "libelle"),
		    "selected", relation && !strcmp(relation, v)));
	}
	if (submission == NULL) {
		vg_token_new(token);
		submission = token;
	}
	vg_time_text(time(NULL), "%Y-%m-%d", today, sizeof(today));
	resp->tmpl = "report_form";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Signaler un contenu")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "submission", json_string(submission));
	json_object_set_new(resp->ctx, "categories", cats);
	json_object_set_new(resp->ctx, "relations", rels);
	json_object_set_new(resp->ctx, "today", json_string(today));
	json_object_set_new(resp->ctx, "minor_oui", json_boolean(minor &&
	    !strcmp(minor, "oui")));
	json_object_set_new(resp->ctx, "minor_non", json_boolean(minor &&
	    !strcmp(minor, "non")));
	json_object_set_new(resp->ctx, "minor_nsp", json_boolean(minor &&
	    !strcmp(minor, "ne-sais-pas")));
	json_object_set_new(resp->ctx, "values", values ? values :
	    json_object());
}

static vg_rc
report_page(vg_req *r, vg_resp *resp)
{
	form_context(r, resp, NULL, NULL);
	return VG_OK;
}

vg_rc
reports_form_prefill(vg_req *r, vg_resp *resp, const char *url)
{
	json_t *values = json_pack("{s:[s]}", "urls", url);

	if (values == NULL)
		return VG_ENOMEM;
	form_context(r, resp, NULL, values);
	return VG_OK;
}

/* A real calendar day, not after today. */
static bool
valid_date(const char *s)
{
	int64_t t;

	return vg_date_parse(s, &t) && t >= 631152000 &&     /* 1990 */
	    t <= (int64_t)time(NULL) + 86400;
}

static vg_rc
report_submit(vg_req *r, vg_resp *resp)
{
	static const struct {
		const char *name;
		size_t max;
	} fields[] = {
		{"category", 40}, {"seen_where", 300}, {"description", 5000},
		{"seen_on", 10}, {"minor", 20}, {"relation", 40},
		{"contact", 300}, {"contact_safe", 300}, {"submission", 64},
	};
	const char *v[VG_ARRAY_LEN(fields)];
	struct report_input in;
	json_t *values = json_object(), *urls = json_array(), *cat;
	const vg_form_field *f;
	char hosts[REPORTS_MAX_URLS][256], code[15], token[VG_TOKEN_CHARS + 1];
	const char *why, *sub;
	bool duplicate;
	size_t i;
	vg_rc rc = VG_OK;

	for (i = 0; i < VG_ARRAY_LEN(fields); i++) {
		vg_rc frc = vg_req_text(r, resp, fields[i].name, fields[i].max,
		    false, &v[i]);

		if (v[i] != NULL && i != 8)
			json_object_set_new(values, fields[i].name,
			    json_string(v[i]));
		if (frc != VG_OK && rc == VG_OK)
			rc = frc;
	}
	memset(&in, 0, sizeof(in));
	for (f = r->form->first; f != NULL; f = f->next) {
		if (strcmp(f->name, "url") != 0 || f->filename != NULL)
			continue;
		if (*f->value == '\0')
			continue;       /* empty extra URL boxes */
		json_array_append_new(urls, json_string(f->value));
		if (in.nurls == REPORTS_MAX_URLS) {
			rc = rc ? rc : vg_fail(resp, VG_EINVAL, _("Dix adresses "
			    "au plus par signalement : faites-en un autre pour "
			    "les suivantes."), "url");
			continue;
		}
		if (rc == VG_OK && reports_check_url(f->value,
		    hosts[in.nurls], sizeof(hosts[0]), &why) != VG_OK)
			rc = vg_fail(resp, VG_EINVAL, why, "url");
		in.urls[in.nurls] = f->value;
		in.hosts[in.nurls] = hosts[in.nurls];
		in.nurls++;
	}
	json_object_set_new(values, "urls", urls);
	/* A JSON client may not send a submission token: one is made, and
	 * the double-click protection is then the client's own. */
	sub = v[8];
	if (sub == NULL || strlen(sub) != VG_TOKEN_CHARS) {
		vg_token_new(token);
		sub = token;
	}
	form_context(r, resp, sub, values);
	if (rc != VG_OK)
		return rc;
	cat = reports_find("categories", v[0]);
	if (cat == NULL)
		return vg_fail(resp, VG_EINVAL, _("Choisissez le type de contenu "
		    "dans la liste."), "category");
	if (in.nurls == 0)
		return vg_fail(resp, VG_EINVAL, _("Indiquez l'adresse (URL) du "
		    "contenu : c'est ce qui permet d'agir."), "url");
	if (v[3] != NULL && !valid_date(v[3]))
		return vg_fail(resp, VG_EINVAL, _("Indiquez une vraie date, "
		    "pas dans le futur, écrite AAAA-MM-JJ (par exemple "
		    "2026-11-23)."), "seen_on");
	if (v[4] == NULL || (strcmp(v[4], "oui") && strcmp(v[4], "non") &&
	    strcmp(v[4], "ne-sais-pas")))
		return vg_fail(resp, VG_EINVAL, _("Dites si une personne mineure "
		    "est concernée (ou que vous ne savez pas)."), "minor");
	if (reports_find("relations", v[5]) == NULL)
		return vg_fail(resp, VG_EINVAL, _("Dites quel est votre lien avec "
		    "ce contenu."), "relation");
	if (!vg_throttle_allow("report", r->client_tag,
	    r->site->config->report_limit, 3600))
		return vg_fail(resp, VG_ETHROTTLE, _("Beaucoup de signalements "
		    "ont été envoyés d'ici en peu de temps. Réessayez dans un "
		    "moment."), NULL);
	in.submission = sub;
	in.category = v[0];
	in.seen_where = v[1];
	in.description = v[2];
	in.seen_on = v[3];
	in.minor = v[4];
	in.relation = v[5];
	in.contact = v[6];
	in.contact_safe = v[7];
	if ((rc = reports_submit(r->site->keys, &in, &duplicate)) != VG_OK)
		return rc;
	reports_receipt(r->site->keys, sub, code);
	json_object_clear(resp->ctx);
	resp->tmpl = "report_done";
	resp->status = duplicate ? 200 : 201;
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Signalement reçu")));
	json_object_set_new(resp->ctx, "report", json_pack("{s:s, s:s, s:s}",
	    "receipt", code, "status", "nouveau", "status_label",
	    reports_status_label("nouveau")));
	return VG_OK;
}

static vg_rc
follow_page(vg_req *r, vg_resp *resp)
{
	resp->tmpl = "report_follow";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Suivre un signalement")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	return VG_OK;
}

static vg_rc
follow_submit(vg_req *r, vg_resp *resp)
{
	const char *code;
	char norm[13];
	json_t *report;
	vg_rc rc;

	follow_page(r, resp);
	if ((rc = vg_req_text(r, resp, "receipt", 40, true, &code)) != VG_OK)
		return rc;
	if (!vg_throttle_allow("follow", r->client_tag, 10, 600))
		return vg_fail(resp, VG_ETHROTTLE, _("Trop d'essais. Patientez "
		    "dix minutes avant de réessayer."), "receipt");
	/* A malformed code is looked up too: the answer and its time are
	 * those of a wrong code. */
	if (!reports_receipt_normalise(code, norm))
		snprintf(norm, sizeof(norm), "%s", "------------");
	rc = reports_follow(r->site->keys, norm, &report);
	if (rc == VG_ENOTFOUND)
		return vg_fail(resp, rc, _("Aucun signalement ne correspond à ce "
		    "code. Vérifiez-le : il a 12 caractères, par exemple "
		    "ABCD-EFGH-JKMN."), "receipt");
	if (rc != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "report", report);
	return VG_OK;
}

/* --- analysts ------------------------------------------------------------ */

static json_t *
options(json_t *list, const char *chosen)
{
	json_t *out = json_array(), *c;
	size_t i;

	json_array_foreach(list, i, c) {
		const char *v = json_string_value(json_object_get(c, "valeur"));

		json_array_append_new(out, json_pack("{s:s, s:O, s:b}", "value",
		    v, "label", json_object_get(c, "libelle"), "selected",
		    chosen && !strcmp(chosen, v)));
	}
	return out;
}

/* A YYYY-MM-DD day of the queue's filter as a time (UTC midnight), plus
 * `days`; 0 when absent or not a date. */
static int64_t
day_time(const char *s, int days)
{
	int64_t t;

	return vg_date_parse(s, &t) ? t + (int64_t)days * 86400 : 0;
}

static vg_rc
queue(vg_req *r, vg_resp *resp)
{
	const char *category, *status, *platform, *from, *to, *who;
	struct queue_filter f;
	json_t *list;
	vg_rc rc;

	if ((rc = vg_req_text(r, resp, "category", 40, false, &category)) !=
	    VG_OK || (rc = vg_req_text(r, resp, "status", 20, false,
	    &status)) != VG_OK || (rc = vg_req_text(r, resp, "platform", 60,
	    false, &platform)) != VG_OK || (rc = vg_req_text(r, resp, "du", 10,
	    false, &from)) != VG_OK || (rc = vg_req_text(r, resp, "au", 10,
	    false, &to)) != VG_OK || (rc = vg_req_text(r, resp, "attribue", 10,
	    false, &who)) != VG_OK)
		return rc;
	memset(&f, 0, sizeof(f));
	f.category = category;
	f.status = status;
	f.platform = platform;
	f.from = day_time(from, 0);
	f.to = day_time(to, 1);         /* the whole last day */
	f.assignee = who == NULL ? -1 : !strcmp(who, "moi") ? r->user->id :
	    !strcmp(who, "personne") ? 0 : -1;
	if ((rc = analysis_queue(&f, &list)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "filter", json_pack("{s:s?, s:s?, "
	    "s:b, s:b}", "du", from, "au", to, "moi", who &&
	    !strcmp(who, "moi"), "personne", who && !strcmp(who, "personne")));
	resp->tmpl = "analysis_queue";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Signalements à traiter")));
	json_object_set_new(resp->ctx, "total",
	    json_integer((json_int_t)json_array_size(list)));
	json_object_set_new(resp->ctx, "reports", list);
	json_object_set_new(resp->ctx, "categories",
	    options(reports_categories(), category));
	json_object_set_new(resp->ctx, "status_filter", json_pack("[{s:s, s:s, "
	    "s:b}, {s:s, s:s, s:b}, {s:s, s:s, s:b}, {s:s, s:s, s:b}]",
	    "value", "nouveau", "label", _("nouveau"), "selected",
	    status && !strcmp(status, "nouveau"),
	    "value", "en-examen", "label", _("en examen"), "selected",
	    status && !strcmp(status, "en-examen"),
	    "value", "qualifie", "label", _("qualifié"), "selected",
	    status && !strcmp(status, "qualifie"),
	    "value", "clos", "label", _("clos"), "selected",
	    status && !strcmp(status, "clos")));
	if (platform != NULL)
		json_object_set_new(resp->ctx, "platform", json_string(platform));
	return VG_OK;
}

static const char *const status_codes[] = {"nouveau", "en-examen",
    "qualifie", "clos", NULL};
static const char *const outcome_codes[] = {"retire", "refuse",
    "sans-reponse", "hors-champ", NULL};

/* A select's options with the current value chosen. */
static json_t *
choices(const char *const *codes, const char *current)
{
	json_t *out = json_array();
	size_t i;

	for (i = 0; codes[i] != NULL; i++)
		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value",
		    codes[i], "label", codes == status_codes ?
		    reports_status_label(codes[i]) :
		    reports_action_label(codes[i]), "selected",
		    current && !strcmp(current, codes[i])));
	return out;
}

static vg_rc
report_file(vg_req *r, vg_resp *resp, int64_t id)
{
	json_t *report;
	vg_rc rc;

	rc = analysis_report(r->site->keys, id, r->user->id, &report);
	if (rc != VG_OK)
		return rc;
	resp->tmpl = "analysis_report";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Signalement")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "qualifications", options(
	    reports_qualifications(), json_string_value(json_object_get(report,
	    "qualification"))));
	json_object_set_new(resp->ctx, "status_options", choices(status_codes,
	    json_string_value(json_object_get(report, "status"))));
	json_object_set_new(resp->ctx, "outcome_options", choices(
	    outcome_codes, json_string_value(json_object_get(report,
	    "outcome"))));
	{
		json_t *u0 = json_array_get(json_object_get(report, "urls"), 0);
		const char *c = reports_platform_contact(json_string_value(
		    json_object_get(u0, "platform")));

		if (c != NULL)
			json_object_set_new(resp->ctx, "suggested_recipient",
			    json_string(c));
	}
	json_object_set_new(resp->ctx, "report", report);
	if ((rc = notice_list(id, &report)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "notices", report);
	if ((rc = hosting_last(id, &report)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "checks", report);
	json_object_set_new(resp->ctx, "can_send", json_boolean(
	    r->site->config->smtp_url[0] && r->site->config->notifier_email[0]));
	return VG_OK;
}

static vg_rc
report_view(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);

	return id < 0 ? VG_ENOTFOUND : report_file(r, resp, id);
}

static vg_rc
report_change(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	const char *kind, *value, *note, *why;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = vg_req_text(r, resp, "kind", 20, true, &kind)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "value", 40, true, &value)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "note", 1000, false, &note)) != VG_OK) {
		report_file(r, resp, id);
		return rc;
	}
	rc = analysis_change(id, r->user->id, kind, value, note, &why);
	if (rc == VG_EINVAL) {
		report_file(r, resp, id);
		return vg_fail(resp, rc, why, "value");
	}
	if (rc != VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena, "/analyse/%lld",
	    (long long)id);
	json_object_set_new(resp->ctx, "report", json_pack("{s:I, s:s, s:s}",
	    "id", (json_int_t)id, kind, value, "kind", kind));
	return VG_OK;
}

static vg_rc
notice_make(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	const char *explanation, *recipient, *action, *why;
	char *text = NULL;
	vg_buf b = VG_BUF_INIT;
	bool send;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = vg_req_text(r, resp, "explanation", 2000, false,
	    &explanation)) != VG_OK || (rc = vg_req_text(r, resp, "recipient",
	    254, false, &recipient)) != VG_OK || (rc = vg_req_text(r, resp,
	    "action", 20, true, &action)) != VG_OK) {
		report_file(r, resp, id);
		return rc;
	}
	send = !strcmp(action, "envoyer");
	if (send && recipient == NULL) {
		report_file(r, resp, id);
		return vg_fail(resp, VG_EINVAL, _("Indiquez l'adresse e-mail de "
		    "l'hébergeur pour envoyer la notification."), "recipient");
	}
	rc = notice_issue(r->site->config, id, r->user->id, explanation,
	    send ? recipient : NULL, &text, &why);
	if (rc != VG_OK) {
		if (rc == VG_ENOTFOUND)
			return rc;
		report_file(r, resp, id);
		return why ? vg_fail(resp, VG_EINVAL, why, "recipient") : rc;
	}
	if (!send) {
		vg_buf_puts(&b, text);
		free(text);
		return vg_resp_body(r, resp, &b, "text/plain; charset=utf-8",
		    vg_arena_printf(r->arena, "notification-VIGIE-%lld.txt",
		    (long long)id));
	}
	free(text);
	resp->redirect = vg_arena_printf(r->arena, "/analyse/%lld",
	    (long long)id);
	json_object_set_new(resp->ctx, "notice", json_pack("{s:I, s:s}",
	    "report", (json_int_t)id, "recipient", recipient));
	return VG_OK;
}

static vg_rc
url_check(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	json_t *list;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = hosting_check(r->site->config, id, r->user->id, &list)) !=
	    VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena, "/analyse/%lld",
	    (long long)id);
	json_object_set_new(resp->ctx, "checks", list);
	return VG_OK;
}

static vg_rc
notice_answer(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0), nid = vg_req_param_id(r, 1);
	const char *decision;
	vg_rc rc;

	if (id < 0 || nid < 0)
		return VG_ENOTFOUND;
	if ((rc = vg_req_text(r, resp, "decision", 20, true, &decision)) !=
	    VG_OK) {
		report_file(r, resp, id);
		return rc;
	}
	rc = notice_reply(id, nid, r->user->id, decision);
	if (rc == VG_EINVAL) {
		report_file(r, resp, id);
		return vg_fail(resp, rc, _("Choisissez la décision de "
		    "l'hébergeur : contenu retiré ou retrait refusé."),
		    "decision");
	}
	if (rc != VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena, "/analyse/%lld",
	    (long long)id);
	json_object_set_new(resp->ctx, "notice", json_pack("{s:I, s:s}", "id",
	    (json_int_t)nid, "decision", decision));
	return VG_OK;
}

static int
stats_year(vg_req *r)
{
	const char *y = vg_form_get(r->query, "annee");
	time_t now = time(NULL);
	struct tm tm;
	char *end;
	long v;

	gmtime_r(&now, &tm);
	if (y != NULL) {
		v = strtol(y, &end, 10);
		if (*end == '\0' && v >= 2000 && v <= tm.tm_year + 1900)
			return (int)v;
	}
	return tm.tm_year + 1900;
}

static vg_rc
stats_page(vg_req *r, vg_resp *resp)
{
	json_t *s;
	vg_rc rc;

	if ((rc = reports_stats(stats_year(r), &s)) != VG_OK)
		return rc;
	resp->tmpl = "analysis_stats";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Rapport annuel des notifications")));
	json_object_set_new(resp->ctx, "stats", s);
	return VG_OK;
}

static vg_rc
stats_csv(vg_req *r, vg_resp *resp)
{
	vg_buf b = VG_BUF_INIT;
	json_t *s;
	vg_rc rc;

	if ((rc = reports_stats(stats_year(r), &s)) != VG_OK)
		return rc;
	reports_stats_csv(s, &b);
	json_decref(s);
	return vg_resp_body(r, resp, &b, "text/csv; charset=utf-8",
	    vg_arena_printf(r->arena, "notifications-%d.csv", stats_year(r)));
}

static vg_rc
stats_xlsx(vg_req *r, vg_resp *resp)
{
	char path[1200];
	vg_buf b = VG_BUF_INIT;
	json_t *s;
	FILE *f;
	char chunk[8192];
	size_t n;
	int fd;
	vg_rc rc;

	if ((rc = reports_stats(stats_year(r), &s)) != VG_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/uploads/tmp/vg-upload-xlsx-XXXXXX",
	    r->site->config->data);
	if ((fd = mkstemp(path)) < 0) {
		json_decref(s);
		return VG_EIO;
	}
	close(fd);
	rc = reports_stats_xlsx(s, path);
	json_decref(s);
	if (rc == VG_OK && (f = fopen(path, "rb")) != NULL) {
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			vg_buf_append(&b, chunk, n);
		fclose(f);
	} else if (rc == VG_OK) {
		rc = VG_EIO;
	}
	unlink(path);
	if (rc != VG_OK) {
		vg_buf_free(&b);
		return rc;
	}
	return vg_resp_body(r, resp, &b, "application/vnd.openxmlformats-"
	    "officedocument.spreadsheetml.sheet", vg_arena_printf(r->arena,
	    "notifications-%d.xlsx", stats_year(r)));
}

static const vg_route routes[] = {
	{"GET", "/signaler", report_page, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/signaler", report_submit, VG_ROLE_PUBLIC, REPORT_BODY, 0},
	{"GET", "/suivi", follow_page, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/suivi", follow_submit, VG_ROLE_PUBLIC, FOLLOW_BODY, 0},
	{"GET", "/analyse", queue, VG_ROLE_ANALYST, 0, 0},
	/* Before /analyse/:id, which would take "statistiques" for an id. */
	{"GET", "/analyse/statistiques", stats_page, VG_ROLE_ANALYST, 0, 0},
	{"GET", "/analyse/statistiques.csv", stats_csv, VG_ROLE_ANALYST, 0, 0},
	{"GET", "/analyse/statistiques.xlsx", stats_xlsx, VG_ROLE_ANALYST, 0,
	    0},
	{"GET", "/analyse/:id", report_view, VG_ROLE_ANALYST, 0, 0},
	{"POST", "/analyse/:id", report_change, VG_ROLE_ANALYST, FOLLOW_BODY,
	    0},
	{"POST", "/analyse/:id/verification", url_check, VG_ROLE_ANALYST,
	    FOLLOW_BODY, 0},
	{"POST", "/analyse/:id/notification", notice_make, VG_ROLE_ANALYST,
	    REPORT_BODY, 0},
	{"POST", "/analyse/:id/notification/:nid", notice_answer,
	    VG_ROLE_ANALYST, FOLLOW_BODY, 0},
};

const vg_route *
reports_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
