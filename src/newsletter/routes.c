/*
 * routes.c — the newsletter over HTTP: the public page with the
 * subscription form, the confirmation and unsubscribe links, the archive
 * and its Atom feed; and the editors' pages (/admin/lettre) to compose,
 * preview, test and send an issue.
 *
 * The subscription form answers the same whatever the address (known,
 * pending or new), so that nobody can learn from it who subscribes; what
 * differs is the mail the address receives.  Tokens travel in a path
 * segment, which the access log never records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "barometer/barometer.h"
#include "core/i18n.h"
#include "core/log.h"
#include "http/throttle.h"
#include "newsletter/newsletter_int.h"
#include "watch/watch.h"

#define FORM_BODY (64 * 1024)
#define ACTION_BODY (4 * 1024)
#define SUBSCRIBE_PER_ADDRESS 3        /* an hour */
#define SUBSCRIBE_PER_VISITOR 20       /* an hour */
#define SUBSCRIBE_OVERALL 300          /* an hour, all visitors */

static int64_t
now(void)
{
	return (int64_t)time(NULL);
}

static bool
mail_configured(const vg_req *r)
{
	return r->site->config->smtp_url[0] != '\0' &&
	    r->site->config->notifier_email[0] != '\0';
}

static vg_rc
unavailable(vg_resp *resp)
{
	resp->status = 503;
	return vg_fail(resp, VG_EIO, _("L'envoi d'e-mails n'est pas configuré "
	    "sur ce site : la lettre ne peut pas encore être envoyée. "
	    "Prévenez l'équipe qui l'administre."), NULL);
}

/* --- public: the letter and subscribing -------------------------------------- */

static void
letter_context(vg_req *r, vg_resp *resp)
{
	json_t *latest = NULL;

	resp->tmpl = "newsletter";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("La lettre de l'observatoire")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "open", json_boolean(
	    mail_configured(r)));
	if (nl_issue_list(true, 3, &latest) == VG_OK)
		json_object_set_new(resp->ctx, "latest", latest);
}

static vg_rc
letter(vg_req *r, vg_resp *resp)
{
	letter_context(r, resp);
	return VG_OK;
}

static vg_rc
subscribe(vg_req *r, vg_resp *resp)
{
	struct nl_subscription sub;
	const char *email = NULL, *name = NULL;
	char hash[VG_TOKEN_CHARS + 1], tag[VG_TAG_CHARS + 1], err[256];
	json_t *values = json_object();
	vg_rc rc;

	letter_context(r, resp);
	json_object_set_new(resp->ctx, "values", values);
	if ((rc = vg_req_text(r, resp, "name", NL_NAME_MAX, false, &name)) !=
	    VG_OK)
		return vg_fail(resp, rc, _("Le nom est trop long (100 caractères "
		    "au plus)."), "name");
	if (name != NULL)
		json_object_set_new(values, "name", json_string(name));
	rc = vg_req_text(r, resp, "email", 254, false, &email);
	if (email != NULL)
		json_object_set_new(values, "email", json_string(email));
	if (rc != VG_OK || email == NULL || !nl_email_ok(email))
		return vg_fail(resp, VG_EINVAL, _("Cette adresse e-mail n'est pas "
		    "valide : elle s'écrit comme prenom.nom@exemple.fr."),
		    "email");
	if (!mail_configured(r))
		return unavailable(resp);
	/* Mail bombing: per address (whatever its state), per visitor, and
	 * for everyone together.  In memory only. */
	{
		/* One address, one spelling: the one every mail goes to. */
		char *lower = vg_arena_strdup(r->arena, email), *p;

		if (lower == NULL)
			return VG_ENOMEM;
		for (p = lower; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		email = lower;
		nl_hash(r->site->keys, "email", email, hash);
	}
	snprintf(tag, sizeof(tag), "%.*s", VG_TAG_CHARS, hash);
	if (!vg_throttle_allow("nl-address", tag, SUBSCRIBE_PER_ADDRESS, 3600) ||
	    !vg_throttle_allow("nl-visitor", r->client_tag ? r->client_tag :
	    "-", SUBSCRIBE_PER_VISITOR, 3600) ||
	    !vg_throttle_allow("nl-all", "all", SUBSCRIBE_OVERALL, 3600))
		return vg_fail(resp, VG_ETHROTTLE, _("Trop de demandes "
		    "d'abonnement en peu de temps. Réessayez dans une heure."),
		    NULL);
	if ((rc = nl_subscribe(r->site->keys, email, name, now(), &sub)) !=
	    VG_OK)
		return rc;
	/* Committed; the mail's failure is logged, never shown: the page
	 * must not differ from one address to another. */
	if (nl_mail_subscription(r->site->config, email, &sub, err,
	    sizeof(err)) != VG_OK)
		vg_error("newsletter: subscription mail not sent: %s", err);
	resp->tmpl = "newsletter_notice";
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Vérifiez votre messagerie")));
	json_object_set_new(resp->ctx, "notice", json_string(_("Si l'adresse "
	    "est valide, un message vient de vous être envoyé. Ouvrez le lien "
	    "qu'il contient pour confirmer votre abonnement : sans "
	    "confirmation, vous ne recevrez rien et l'adresse sera "
	    "effacée.")));
	json_object_set_new(resp->ctx, "subscription", json_pack("{s:s}",
	    "status", "requested"));
	return VG_OK;
}

/* The page of a bad link: 404, or 410 when it expired. */
static vg_rc
bad_link(vg_resp *resp, bool expired, bool unsubscribe)
{
	resp->tmpl = "newsletter_notice";
	json_object_set_new(resp->ctx, "title", json_string(unsubscribe ?
	    _("Lien de désabonnement inconnu") :
	    _("Lien de confirmation inutilisable")));
	json_object_set_new(resp->ctx, "retry", json_true());
	if (unsubscribe)
		return vg_fail(resp, VG_ENOTFOUND, _("Ce lien de désabonnement "
		    "ne correspond à aucune adresse : elle a sans doute déjà été "
		    "effacée. Vous ne recevrez plus la lettre à cette adresse."),
		    NULL);
	if (expired) {
		resp->status = 410;
		return vg_fail(resp, VG_ENOTFOUND, _("Ce lien de confirmation a "
		    "expiré (il vaut 7 jours). Abonnez-vous de nouveau : un "
		    "nouveau lien vous sera envoyé."), NULL);
	}
	return vg_fail(resp, VG_ENOTFOUND, _("Ce lien de confirmation n'est "
	    "pas valide ou a déjà servi. Si vous n'êtes pas encore abonné·e, "
	    "abonnez-vous de nouveau."), NULL);
}

static vg_rc
confirm_page(vg_req *r, vg_resp *resp)
{
	bool expired;
	vg_rc rc;

	rc = nl_confirm_check(r->site->keys, r->params[0], now(), &expired);
	if (rc == VG_ENOTFOUND)
		return bad_link(resp, expired, false);
	if (rc != VG_OK)
		return rc;
	resp->tmpl = "newsletter_confirm";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Confirmer l'abonnement")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "action", json_string(vg_arena_printf(
	    r->arena, "/lettre/confirmation/%s", r->params[0])));
	return VG_OK;
}

static vg_rc
confirm(vg_req *r, vg_resp *resp)
{
	bool expired;
	vg_rc rc;

	rc = nl_confirm(r->site->keys, r->params[0], now(), &expired);
	if (rc == VG_ENOTFOUND)
		return bad_link(resp, expired, false);
	if (rc != VG_OK)
		return rc;
	resp->tmpl = "newsletter_notice";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Abonnement confirmé")));
	json_object_set_new(resp->ctx, "notice", json_string(_("Merci : vous "
	    "recevrez la prochaine lettre de l'observatoire. Chaque lettre "
	    "contient un lien pour vous désabonner à tout moment.")));
	json_object_set_new(resp->ctx, "subscription", json_pack("{s:s}",
	    "status", "confirmed"));
	return VG_OK;
}

static vg_rc
unsubscribe_page(vg_req *r, vg_resp *resp)
{
	vg_rc rc = nl_unsubscribe_check(r->site->keys, r->params[0]);

	if (rc == VG_ENOTFOUND)
		return bad_link(resp, false, true);
	if (rc != VG_OK)
		return rc;
	resp->tmpl = "newsletter_unsubscribe";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Se désabonner de la lettre")));
	json_object_set_new(resp->ctx, "action", json_string(vg_arena_printf(
	    r->arena, "/lettre/desabonnement/%s", r->params[0])));
	return VG_OK;
}

/* No CSRF token: the token in the path is the proof, and a mail client
 * posts "List-Unsubscribe=One-Click" here on its own (RFC 8058). */
static vg_rc
unsubscribe(vg_req *r, vg_resp *resp)
{
	vg_rc rc = nl_unsubscribe(r->site->keys, r->params[0]);

	if (rc == VG_ENOTFOUND)
		return bad_link(resp, false, true);
	if (rc != VG_OK)
		return rc;
	resp->tmpl = "newsletter_notice";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Vous êtes désabonné·e")));
	json_object_set_new(resp->ctx, "notice", json_string(_("Vous ne "
	    "recevrez plus la lettre de l'observatoire, et votre adresse a été "
	    "effacée de nos listes. Vous pouvez vous réabonner quand vous "
	    "voulez.")));
	json_object_set_new(resp->ctx, "retry", json_true());
	json_object_set_new(resp->ctx, "subscription", json_pack("{s:s}",
	    "status", "deleted"));
	return VG_OK;
}

/* --- public: the archive ----------------------------------------------------------- */

static vg_rc
archive(vg_req *r, vg_resp *resp)
{
	json_t *list;
	vg_rc rc;

	VG_UNUSED(r);
	resp->tmpl = "newsletter_archive";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Les lettres de l'observatoire")));
	if ((rc = nl_issue_list(true, 0, &list)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "issues", list);
	return VG_OK;
}

static vg_rc
issue_page(vg_req *r, vg_resp *resp)
{
	int64_t n = vg_req_param_id(r, 0);
	json_t *is, *view;
	vg_rc rc;

	if (n < 0)
		return VG_ENOTFOUND;
	if ((rc = nl_issue_by_number(n, &is)) != VG_OK)
		return rc;
	view = nl_view(r->site->config, is, json_object_get(is, "content"),
	    !r->want_json);
	json_decref(is);
	if (view == NULL)
		return VG_ENOMEM;
	json_object_update(resp->ctx, view);
	json_decref(view);
	json_object_set_new(resp->ctx, "title", json_string(vg_arena_printf(
	    r->arena, "%s — %s", json_string_value(json_object_get(
	    json_object_get(resp->ctx, "issue"), "title")), json_string_value(
	    json_object_get(json_object_get(resp->ctx, "issue"), "period")))));
	resp->tmpl = "newsletter_issue";
	return VG_OK;
}

static vg_rc
feed(vg_req *r, vg_resp *resp)
{
	json_t *list, *ctx, *stack[2];
	vg_buf out = VG_BUF_INIT;
	vg_rc rc;

	if ((rc = nl_issue_list(true, 30, &list)) != VG_OK)
		return rc;
	ctx = json_pack("{s:o, s:s, s:s}", "entries", list, "base",
	    r->site->config->public_url, "feed_updated",
	    json_array_size(list) ? json_string_value(json_object_get(
	    json_array_get(list, 0), "sent_iso")) : "2026-01-01T00:00:00Z");
	if (ctx == NULL)
		return VG_ENOMEM;
	stack[0] = r->site->globals;
	stack[1] = ctx;
	rc = vg_tmpl_render(r->site->templates, "newsletter_feed", stack, 2,
	    &out);
	json_decref(ctx);
	if (rc != VG_OK) {
		vg_buf_free(&out);
		return rc == VG_ENOMEM ? rc : VG_EINTERNAL;
	}
	return vg_resp_body(r, resp, &out, "application/atom+xml; charset=utf-8",
	    NULL);
}

/* --- editors ---------------------------------------------------------------------- */

static vg_rc
admin_list_context(vg_req *r, vg_resp *resp)
{
	json_t *list, *subs;
	vg_rc rc;

	resp->tmpl = "admin_newsletter";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Lettre trimestrielle")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "mail_configured",
	    json_boolean(mail_configured(r)));
	if ((rc = nl_issue_list(false, 0, &list)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "issues", list);
	if ((rc = nl_subscriber_counts(&subs)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "subscribers", subs);
	return VG_OK;
}

static vg_rc
admin_list(vg_req *r, vg_resp *resp)
{
	return admin_list_context(r, resp);
}

static vg_rc
admin_create(vg_req *r, vg_resp *resp)
{
	const char *title = NULL, *period = NULL, *why, *field;
	int64_t id;
	vg_rc rc;

	if ((rc = admin_list_context(r, resp)) != VG_OK)
		return rc;
	if (vg_req_text(r, resp, "title", NL_TITLE_MAX, false, &title) !=
	    VG_OK || vg_req_text(r, resp, "period", NL_PERIOD_MAX, false,
	    &period) != VG_OK) {
		resp->message = NULL;
		title = title ? title : "";
	}
	json_object_set_new(resp->ctx, "values", json_pack("{s:s?, s:s?}",
	    "title", title, "period", period));
	if (nl_issue_check(title, period, &why, &field) != VG_OK)
		return vg_fail(resp, VG_EINVAL, why, field);
	if ((rc = nl_issue_create(title, period, r->user->id, now(), &id)) !=
	    VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena, "/admin/lettre/%lld",
	    (long long)id);
	resp->status = 201;
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "issue", json_pack("{s:I, s:s}", "id",
	    (json_int_t)id, "status", "draft"));
	return VG_OK;
}

/* The issue editor's context: the issue, its blocks, the choices of a
 * new block, and the deliveries once sending started. */
static vg_rc
editor_context(vg_req *r, vg_resp *resp, int64_t id)
{
	json_t *is, *blocks, *b, *kinds, *inds, *sel, *subs;
	static const char *const codes[] = {"text", "watch", "barometer",
	    "resources", "trainings"};
	size_t i;
	vg_rc rc;

	resp->tmpl = "admin_newsletter_issue";
	if ((rc = nl_issue_get(id, &is)) != VG_OK)
		return rc;
	json_object_del(is, "content");
	json_object_set_new(resp->ctx, "title", json_string(vg_arena_printf(
	    r->arena, _("Lettre : %s"), json_string_value(json_object_get(is,
	    "title")))));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "values", json_pack("{s:O, s:O}",
	    "title", json_object_get(is, "title"), "period",
	    json_object_get(is, "period")));
	if ((rc = nl_blocks(id, &blocks)) != VG_OK) {
		json_decref(is);
		return rc;
	}
	json_array_foreach(blocks, i, b) {
		char flag[32];

		snprintf(flag, sizeof(flag), "is_%s", json_string_value(
		    json_object_get(b, "kind")));
		json_object_set_new(b, flag, json_true());
		json_object_set_new(b, "first", json_boolean(i == 0));
		json_object_set_new(b, "last", json_boolean(i + 1 ==
		    json_array_size(blocks)));
		json_object_set_new(b, "number", json_integer((json_int_t)i +
		    1));
	}
	json_object_set_new(resp->ctx, "blocks", blocks);
	inds = barometer_list();
	/* A barometer block names its indicators by their titles. */
	json_array_foreach(blocks, i, b) {
		json_t *ids = json_object_get(json_object_get(b, "data"),
		    "indicators"), *names = json_array(), *iid, *ind;
		size_t j, k;

		json_array_foreach(ids, j, iid) {
			const char *name = json_string_value(iid);

			json_array_foreach(inds, k, ind)
				if (json_equal(json_object_get(ind, "id"), iid))
					name = json_string_value(json_object_get(
					    ind, "title"));
			json_array_append_new(names, json_string(name ? name :
			    ""));
		}
		json_object_set_new(b, "indicator_titles", names);
	}
	json_decref(inds);
	kinds = json_array();
	for (i = 0; i < VG_ARRAY_LEN(codes); i++)
		json_array_append_new(kinds, json_pack("{s:s, s:s}", "code",
		    codes[i], "label", nl_kind_label(codes[i])));
	json_object_set_new(resp->ctx, "kinds", kinds);
	inds = barometer_list();
	json_array_foreach(inds, i, b) {
		json_object_del(b, "waves");
		json_object_del(b, "method");
	}
	json_object_set_new(resp->ctx, "indicators", inds);
	if ((sel = watch_selection()) != NULL) {
		json_object_set_new(resp->ctx, "watch_count",
		    json_integer((json_int_t)json_array_size(sel)));
		json_decref(sel);
	}
	if (nl_subscriber_counts(&subs) == VG_OK)
		json_object_set_new(resp->ctx, "subscribers", subs);
	if (!json_is_true(json_object_get(is, "is_draft"))) {
		json_t *list, *counts;

		if ((rc = nl_deliveries(r->site->keys, id, &list, &counts)) !=
		    VG_OK) {
			json_decref(is);
			return rc;
		}
		json_object_set_new(resp->ctx, "deliveries", list);
		json_object_set_new(resp->ctx, "counts", counts);
	}
	json_object_set_new(resp->ctx, "issue", is);
	return VG_OK;
}

static vg_rc
admin_issue(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);

	if (id < 0)
		return VG_ENOTFOUND;
	return editor_context(r, resp, id);
}

static vg_rc
not_draft(vg_resp *resp)
{
	return vg_fail(resp, VG_ECONFLICT, _("Cette lettre est déjà envoyée (ou "
	    "en cours d'envoi) : elle ne peut plus être modifiée."), NULL);
}

static vg_rc
back_to_issue(vg_req *r, vg_resp *resp, int64_t id, json_t *what)
{
	resp->redirect = vg_arena_printf(r->arena, "/admin/lettre/%lld",
	    (long long)id);
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "issue", what);
	return VG_OK;
}

static vg_rc
admin_save(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	const char *title = NULL, *period = NULL, *why, *field;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = editor_context(r, resp, id)) != VG_OK)
		return rc;
	if (vg_req_text(r, resp, "title", NL_TITLE_MAX, false, &title) !=
	    VG_OK || vg_req_text(r, resp, "period", NL_PERIOD_MAX, false,
	    &period) != VG_OK) {
		resp->message = NULL;
		title = title ? title : "";
	}
	json_object_set_new(resp->ctx, "values", json_pack("{s:s?, s:s?}",
	    "title", title, "period", period));
	if (nl_issue_check(title, period, &why, &field) != VG_OK)
		return vg_fail(resp, VG_EINVAL, why, field);
	rc = nl_issue_update(id, title, period, now());
	if (rc == VG_ECONFLICT)
		return not_draft(resp);
	if (rc != VG_OK)
		return rc;
	return back_to_issue(r, resp, id, json_pack("{s:I, s:s, s:s}", "id",
	    (json_int_t)id, "title", title, "period", period));
}

static vg_rc
admin_delete(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = editor_context(r, resp, id)) != VG_OK)
		return rc;
	rc = nl_issue_delete(id);
	if (rc == VG_ECONFLICT)
		return not_draft(resp);
	if (rc != VG_OK)
		return rc;
	resp->redirect = "/admin/lettre";
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "deleted", json_integer(id));
	return VG_OK;
}

/* The indicators ticked in the form, as a new array. */
static json_t *
form_indicators(const vg_req *r)
{
	json_t *ids = json_array();
	const vg_form_field *f;

	for (f = r->form->first; f != NULL; f = f->next)
		if (!strcmp(f->name, "indicators") && f->filename == NULL &&
		    json_array_size(ids) < 20)
			json_array_append_new(ids, json_string(f->value));
	return ids;
}

/* Read a block's settings from the form: VG_OK with *data, or the
 * error set on resp. */
static vg_rc
block_form(vg_req *r, vg_resp *resp, const char *kind, json_t **data)
{
	const char *md = NULL, *since = NULL, *why, *field;
	json_t *inds;
	vg_rc rc;

	*data = NULL;
	if (vg_req_text(r, resp, "markdown", NL_TEXT_MAX, false, &md) != VG_OK)
		return vg_fail(resp, VG_EINVAL, _("Le texte est trop long "
		    "(20 000 caractères au plus)."), "markdown");
	if (vg_req_text(r, resp, "since", 10, false, &since) != VG_OK)
		return vg_fail(resp, VG_EINVAL, _("La date s'écrit AAAA-MM-JJ, "
		    "par exemple 2026-09-01."), "since");
	inds = form_indicators(r);
	rc = nl_block_settings(r->site->keys, kind, md, inds, since, data,
	    &why, &field);
	json_decref(inds);
	if (rc == VG_EINVAL)
		return vg_fail(resp, rc, why, field);
	return rc;
}

static vg_rc
admin_block_add(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0), bid;
	const char *kind = vg_form_get(r->form, "kind");
	json_t *data;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = editor_context(r, resp, id)) != VG_OK)
		return rc;
	if (!json_is_true(json_object_get(json_object_get(resp->ctx, "issue"),
	    "is_draft")))
		return not_draft(resp);
	if ((rc = block_form(r, resp, kind, &data)) != VG_OK)
		return rc;
	rc = nl_block_add(id, kind, data, now(), &bid);
	json_decref(data);
	if (rc == VG_ECONFLICT)
		return not_draft(resp);
	if (rc == VG_EINVAL)
		return vg_fail(resp, rc, _("Une lettre a 30 blocs au plus."),
		    "kind");
	if (rc != VG_OK)
		return rc;
	resp->status = 201;
	return back_to_issue(r, resp, id, json_pack("{s:I, s:{s:I, s:s}}",
	    "id", (json_int_t)id, "block", "id", (json_int_t)bid, "kind",
	    kind));
}

/* The kind of block bid of the issue in the editor's context. */
static const char *
block_kind(vg_resp *resp, int64_t bid)
{
	json_t *b;
	size_t i;

	json_array_foreach(json_object_get(resp->ctx, "blocks"), i, b)
		if (json_integer_value(json_object_get(b, "id")) == bid)
			return json_string_value(json_object_get(b, "kind"));
	return NULL;
}

static vg_rc
admin_block(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0), bid = vg_req_param_id(r, 1);
	const char *action = vg_form_get(r->form, "action"), *kind;
	json_t *data;
	vg_rc rc;

	if (id < 0 || bid < 0)
		return VG_ENOTFOUND;
	if ((rc = editor_context(r, resp, id)) != VG_OK)
		return rc;
	if (!json_is_true(json_object_get(json_object_get(resp->ctx, "issue"),
	    "is_draft")))
		return not_draft(resp);
	if ((kind = block_kind(resp, bid)) == NULL)
		return vg_fail(resp, VG_ENOTFOUND, _("Ce bloc n'existe pas (ou "
		    "plus) dans cette lettre."), NULL);
	if (action == NULL)
		action = "";
	if (!strcmp(action, "up") || !strcmp(action, "down"))
		rc = nl_block_move(id, bid, action[0] == 'u' ? -1 : 1, now());
	else if (!strcmp(action, "delete"))
		rc = nl_block_delete(id, bid, now());
	else if (!strcmp(action, "save")) {
		if ((rc = block_form(r, resp, kind, &data)) != VG_OK)
			return rc;
		rc = nl_block_update(id, bid, data, now());
		json_decref(data);
	} else
		return vg_fail(resp, VG_EINVAL, _("Action inconnue : enregistrer, "
		    "monter, descendre ou supprimer."), "action");
	if (rc == VG_ECONFLICT)
		return not_draft(resp);
	if (rc != VG_OK)
		return rc;
	return back_to_issue(r, resp, id, json_pack("{s:I, s:{s:I, s:s}}",
	    "id", (json_int_t)id, "block", "id", (json_int_t)bid, "action",
	    action));
}

/* The mail's HTML body for the preview page, its inline styles taken
 * out: the site's CSP rightly refuses them.  Every value in it was
 * escaped, so ` style="` only ever starts one of the template's own
 * attributes. */
static vg_rc
preview_body(vg_req *r, json_t *view, const char *unsub, char **out)
{
	json_t *extra = json_pack("{s:s}", "unsubscribe_url", unsub), *st[2];
	vg_buf b = VG_BUF_INIT, clean = VG_BUF_INIT;
	const char *p, *q, *end;
	vg_rc rc;

	*out = NULL;
	if (extra == NULL)
		return VG_ENOMEM;
	st[0] = view;
	st[1] = extra;
	rc = vg_tmpl_render(r->site->templates, "partials/newsletter_mail_body",
	    st, 2, &b);
	json_decref(extra);
	for (p = b.data; rc == VG_OK && p != NULL && *p != '\0'; p = q) {
		if ((q = strstr(p, " style=\"")) == NULL) {
			vg_buf_puts(&clean, p);
			break;
		}
		vg_buf_append(&clean, p, (size_t)(q - p));
		end = strchr(q + 8, '"');
		q = end ? end + 1 : q + strlen(q);
	}
	vg_buf_free(&b);
	if (rc == VG_OK && vg_buf_failed(&clean))
		rc = VG_ENOMEM;
	if (rc == VG_OK)
		*out = vg_arena_strdup(r->arena, clean.data ? clean.data : "");
	vg_buf_free(&clean);
	return rc == VG_OK && *out == NULL ? VG_ENOMEM : rc;
}

/* The issue's view: frozen content once sending started, else resolved
 * now. */
static vg_rc
issue_view(vg_req *r, int64_t id, bool charts, json_t **view)
{
	json_t *is, *content = NULL;
	vg_rc rc;

	*view = NULL;
	if ((rc = nl_issue_get(id, &is)) != VG_OK)
		return rc;
	if (json_is_true(json_object_get(is, "is_draft")) &&
	    (rc = nl_resolve(r->site->keys, id, now(), &content)) != VG_OK) {
		json_decref(is);
		return rc;
	}
	*view = nl_view(r->site->config, is, content ? content :
	    json_object_get(is, "content"), charts);
	json_decref(content);
	json_decref(is);
	return *view ? VG_OK : VG_ENOMEM;
}

static vg_rc
admin_preview(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	const char *unsub;
	char *body = NULL;
	vg_buf text = VG_BUF_INIT, html = VG_BUF_INIT;
	json_t *web, *mail;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = issue_view(r, id, !r->want_json, &web)) != VG_OK)
		return rc;
	if ((rc = issue_view(r, id, false, &mail)) != VG_OK) {
		json_decref(web);
		return rc;
	}
	unsub = vg_arena_printf(r->arena, "%s/lettre/desabonnement/%s",
	    r->site->config->public_url, _("VOTRE-LIEN-PERSONNEL"));
	nl_mail_text(r->site->config, mail, unsub, &text);
	rc = nl_mail_html(r->site->templates, mail, unsub, &html);
	if (rc == VG_OK)
		rc = preview_body(r, mail, unsub, &body);
	json_decref(mail);
	if (rc != VG_OK || vg_buf_failed(&text) || vg_buf_failed(&html)) {
		vg_buf_free(&text);
		vg_buf_free(&html);
		json_decref(web);
		return rc != VG_OK ? rc : VG_ENOMEM;
	}
	json_object_update(resp->ctx, web);
	json_decref(web);
	json_object_set_new(resp->ctx, "title", json_string(_("Aperçu de la "
	    "lettre")));
	json_object_set_new(resp->ctx, "mail", json_pack("{s:s, s:s, s:s, s:s}",
	    "subject", vg_arena_printf(r->arena, "%s — %s", json_string_value(
	    json_object_get(json_object_get(resp->ctx, "issue"), "title")),
	    json_string_value(json_object_get(json_object_get(resp->ctx,
	    "issue"), "period"))), "text", text.data ? text.data : "", "html",
	    html.data ? html.data : "", "html_body", body));
	vg_buf_free(&text);
	vg_buf_free(&html);
	resp->tmpl = "admin_newsletter_preview";
	return VG_OK;
}

static vg_rc
admin_test(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	char err[256];
	json_t *view;
	int reply;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = editor_context(r, resp, id)) != VG_OK)
		return rc;
	if (!mail_configured(r))
		return unavailable(resp);
	if ((rc = issue_view(r, id, false, &view)) != VG_OK)
		return rc;
	/* The test's unsubscribe link leads nowhere: no subscriber has it. */
	rc = nl_mail_issue(r->site->config, r->site->templates, view,
	    r->user->email, "essai", &reply, err, sizeof(err));
	json_decref(view);
	if (rc != VG_OK) {
		vg_error("newsletter: test mail not sent: %s", err);
		resp->status = 502;
		return vg_fail(resp, VG_EIO, vg_arena_printf(r->arena,
		    _("Le message d'essai n'est pas parti : le serveur d'envoi "
		    "a répondu « %s »."), err), NULL);
	}
	json_object_set_new(resp->ctx, "notice", json_string(vg_arena_printf(
	    r->arena, _("Un message d'essai vient d'être envoyé à votre "
	    "adresse (%s)."), r->user->email)));
	json_object_set_new(resp->ctx, "test", json_pack("{s:s}", "sent_to",
	    r->user->email));
	return VG_OK;
}

static vg_rc
admin_send_page(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = editor_context(r, resp, id)) != VG_OK)
		return rc;
	if (!json_is_true(json_object_get(json_object_get(resp->ctx, "issue"),
	    "is_draft")))
		return not_draft(resp);
	resp->tmpl = "admin_newsletter_send";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Envoyer la lettre")));
	return VG_OK;
}

static vg_rc
admin_send(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	const char *yes = vg_form_get(r->form, "confirm");
	int count;
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	if ((rc = admin_send_page(r, resp)) != VG_OK)
		return rc;
	if (yes == NULL || strcmp(yes, "oui") != 0)
		return vg_fail(resp, VG_EINVAL, _("Cochez la case pour confirmer "
		    "l'envoi à tous les abonné·es."), "confirm");
	if (!mail_configured(r))
		return unavailable(resp);
	rc = nl_send_start(r->site->keys, id, now(), &count);
	if (rc == VG_EINVAL)
		return vg_fail(resp, rc, _("La lettre est vide : ajoutez au moins "
		    "un bloc avant de l'envoyer."), NULL);
	if (rc == VG_ECONFLICT)
		return vg_fail(resp, rc, _("Cette lettre est déjà envoyée, ou une "
		    "autre lettre est en cours d'envoi : attendez qu'elle soit "
		    "partie."), NULL);
	if (rc != VG_OK)
		return rc;
	vg_info("newsletter: issue %lld sending to %d addresses",
	    (long long)id, count);
	return back_to_issue(r, resp, id, json_pack("{s:I, s:s, s:i}", "id",
	    (json_int_t)id, "status", "sending", "deliveries", count));
}

/* Literal paths come before the patterns that would take them for an
 * id. */
static const vg_route routes[] = {
	{"GET", "/lettre", letter, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/lettre/abonnement", subscribe, VG_ROLE_PUBLIC, ACTION_BODY,
	    0},
	{"GET", "/lettre/archives", archive, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/lettre/flux.atom", feed, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/lettre/confirmation/:token", confirm_page, VG_ROLE_PUBLIC, 0,
	    0},
	{"POST", "/lettre/confirmation/:token", confirm, VG_ROLE_PUBLIC,
	    ACTION_BODY, 0},
	{"GET", "/lettre/desabonnement/:token", unsubscribe_page,
	    VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/lettre/desabonnement/:token", unsubscribe, VG_ROLE_PUBLIC,
	    ACTION_BODY, VG_ROUTE_NO_CSRF},
	{"GET", "/lettre/:n", issue_page, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/admin/lettre", admin_list, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/lettre", admin_create, VG_ROLE_EDITOR, ACTION_BODY, 0},
	{"GET", "/admin/lettre/:id", admin_issue, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/lettre/:id", admin_save, VG_ROLE_EDITOR, ACTION_BODY,
	    0},
	{"POST", "/admin/lettre/:id/supprimer", admin_delete, VG_ROLE_EDITOR,
	    ACTION_BODY, 0},
	{"POST", "/admin/lettre/:id/blocs", admin_block_add, VG_ROLE_EDITOR,
	    FORM_BODY, 0},
	{"POST", "/admin/lettre/:id/blocs/:block", admin_block, VG_ROLE_EDITOR,
	    FORM_BODY, 0},
	{"GET", "/admin/lettre/:id/apercu", admin_preview, VG_ROLE_EDITOR, 0,
	    0},
	{"POST", "/admin/lettre/:id/essai", admin_test, VG_ROLE_EDITOR,
	    ACTION_BODY, 0},
	{"GET", "/admin/lettre/:id/envoyer", admin_send_page, VG_ROLE_EDITOR,
	    0, 0},
	{"POST", "/admin/lettre/:id/envoyer", admin_send, VG_ROLE_EDITOR,
	    ACTION_BODY, 0},
};

const vg_route *
newsletter_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
