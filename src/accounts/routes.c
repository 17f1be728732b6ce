/*
 * routes.c — the accounts area over HTTP.  Handlers only read their
 * declared fields, call accounts.c and fill the page's context.
 */
#include "accounts/accounts.h"

#include <string.h>

#include "core/i18n.h"
#include "http/throttle.h"

#define LOGIN_BODY (4 * 1024)
/* 2000 characters of emoji, percent-encoded, take 24 KB */
#define REQUEST_BODY (32 * 1024)

static vg_rc
login_page(vg_req *r, vg_resp *resp)
{
	resp->tmpl = "login";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Connexion")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	if (r->user != NULL)
		json_object_set_new(resp->ctx, "signed_in", json_true());
	return VG_OK;
}

static vg_rc
login_submit(vg_req *r, vg_resp *resp)
{
	const char *email = NULL, *password;
	int64_t uid;
	vg_rc rc;

	/* On any failure the form comes back, with the address kept. */
	login_page(r, resp);
	if ((rc = vg_req_text(r, resp, "email", 254, true, &email)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "email", json_string(email));
	password = vg_form_get(r->form, "password");
	if (password == NULL || *password == '\0')
		return vg_fail(resp, VG_EINVAL,
		    _("Saisissez votre mot de passe."), "password");
	rc = accounts_login(r->site->keys, email, password, &uid);
	switch (rc) {
	case VG_OK:
		break;
	case VG_EAUTH:
		return vg_fail(resp, rc, _("Adresse e-mail ou mot de passe "
		    "incorrect."), NULL);
	case VG_EDENIED:
		return vg_fail(resp, rc, _("Votre demande de compte n'a pas "
		    "encore été validée. Vous recevrez une réponse de "
		    "l'équipe."), NULL);
	case VG_ETHROTTLE:
		return vg_fail(resp, rc, _("Trop d'essais pour ce compte. Par "
		    "sécurité, il est bloqué quelques minutes. Réessayez "
		    "plus tard."), NULL);
	default:
		return rc;
	}
	if ((rc = vg_session_start(r, resp, uid)) != VG_OK)
		return rc;
	resp->redirect = "/compte";
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "user", json_pack("{s:I}", "id",
	    (json_int_t)uid));
	return VG_OK;
}

static vg_rc
logout(vg_req *r, vg_resp *resp)
{
	vg_rc rc = vg_session_end(r, resp);

	if (rc != VG_OK)
		return rc;
	resp->redirect = "/";
	json_object_set_new(resp->ctx, "signed_out", json_true());
	return VG_OK;
}

static vg_rc
account_page(vg_req *r, vg_resp *resp)
{
	resp->tmpl = "account";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Mon compte")));
	json_object_set_new(resp->ctx, "account", json_pack("{s:I, s:s, s:s, "
	    "s:s, s:s}", "id", (json_int_t)r->user->id, "email",
	    r->user->email, "name", r->user->name, "role",
	    vg_role_name(r->user->role), "role_label",
	    vg_role_label(r->user->role)));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	return VG_OK;
}

static vg_rc
request_page(vg_req *r, vg_resp *resp)
{
	resp->tmpl = "account_request";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Demander un compte professionnel")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	return VG_OK;
}

static vg_rc
request_submit(vg_req *r, vg_resp *resp)
{
	static const struct {
		const char *name;
		size_t max;
		bool required;
	} fields[] = {
		{"name", 120, true},
		{"email", 254, true},
		{"organisation", 200, true},
		{"profession", 120, true},
		{"message", 2000, false},
	};
	const char *v[VG_ARRAY_LEN(fields)];
	const char *password, *why;
	json_t *values;
	int64_t id;
	size_t i;
	vg_rc rc;

	request_page(r, resp);
	values = json_object();
	json_object_set_new(resp->ctx, "values", values);
	for (i = 0; i < VG_ARRAY_LEN(fields); i++) {
		rc = vg_req_text(r, resp, fields[i].name, fields[i].max,
		    fields[i].required, &v[i]);
		if (v[i] != NULL)
			json_object_set_new(values, fields[i].name,
			    json_string(v[i]));
		if (rc != VG_OK)
			return rc;
	}
	if (accounts_check_email(v[1], &why) != VG_OK)
		return vg_fail(resp, VG_EINVAL, why, "email");
	password = vg_form_get(r->form, "password");
	if (accounts_check_password(password ? password : "", &why) != VG_OK)
		return vg_fail(resp, VG_EINVAL, why, "password");
	if (!vg_throttle_allow("account-request", r->client_tag, 5, 3600))
		return vg_fail(resp, VG_ETHROTTLE, _("Plusieurs demandes ont déjà "
		    "été envoyées d'ici. Réessayez dans une heure."), NULL);
	rc = accounts_request(r->site->keys, v[1], password, v[0], v[2], v[3],
	    v[4], &id);
	/* An address that already has an account gets the same answer as
	 * a new one, so the form tells nobody who has an account. */
	if (rc != VG_OK && rc != VG_ECONFLICT)
		return rc;
	resp->status = 201;
	resp->tmpl = "account_request_done";
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Demande envoyée")));
	json_object_set_new(resp->ctx, "request",
	    json_pack("{s:s}", "status", "pending"));
	return VG_OK;
}

static vg_rc
admin_accounts(vg_req *r, vg_resp *resp)
{
	json_t *pending, *users;
	vg_rc rc;

	if ((rc = accounts_pending(r->site->keys, &pending)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "pending", pending);
	if ((rc = accounts_user_list(&users)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "users", users);
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Gestion des comptes")));
	resp->tmpl = "admin_accounts";
	return VG_OK;
}

static vg_rc
decide(vg_req *r, vg_resp *resp, bool approve)
{
	int64_t id = vg_req_param_id(r, 0);
	vg_rc rc;

	if (id < 0)
		return VG_ENOTFOUND;
	rc = accounts_decide(id, approve, r->user->id);
	if (rc == VG_ENOTFOUND)
		return vg_fail(resp, rc, _("Cette demande n'existe pas ou a "
		    "déjà été traitée."), NULL);
	if (rc != VG_OK)
		return rc;
	resp->redirect = "/admin/comptes";
	json_object_set_new(resp->ctx, "account", json_pack("{s:I, s:s}",
	    "id", (json_int_t)id, "status", approve ? "active" : "rejected"));
	return VG_OK;
}

static vg_rc
approve(vg_req *r, vg_resp *resp)
{
	return decide(r, resp, true);
}

static vg_rc
reject(vg_req *r, vg_resp *resp)
{
	return decide(r, resp, false);
}

static const vg_route routes[] = {
	{"GET", "/connexion", login_page, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/connexion", login_submit, VG_ROLE_PUBLIC, LOGIN_BODY, 0},
	{"POST", "/deconnexion", logout, VG_ROLE_PUBLIC, LOGIN_BODY, 0},
	{"GET", "/demande-de-compte", request_page, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/demande-de-compte", request_submit, VG_ROLE_PUBLIC,
	    REQUEST_BODY, 0},
	{"GET", "/compte", account_page, VG_ROLE_PROFESSIONAL, 0, 0},
	{"GET", "/admin/comptes", admin_accounts, VG_ROLE_EDITOR, 0, 0},
	{"POST", "/admin/comptes/:id/approuver", approve, VG_ROLE_EDITOR,
	    LOGIN_BODY, 0},
	{"POST", "/admin/comptes/:id/refuser", reject, VG_ROLE_EDITOR,
	    LOGIN_BODY, 0},
};

const vg_route *
accounts_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
