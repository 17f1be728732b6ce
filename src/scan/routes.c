/*
 * routes.c — /verification-telephone: a professional (or a mediator with
 * an account) uploads a capture or an app list and reads the same report
 * as `vigie scan` gives.
 *
 * Nothing is kept: the uploaded files are temporary files removed when
 * the request ends, and the result travels back to the browser sealed in
 * a hidden field.  Only when the user asks is it kept (saved.c), or sent
 * back as a self-contained HTML page to download.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/i18n.h"
#include "http/form.h"
#include "scan/scan.h"

#define UPLOAD_MAX (100u << 20)         /* bytes of one upload */
#define FILES_MAX 4                     /* files examined at once */
#define SEALED_MAX (2u << 20)           /* the hidden field, base64 */
#define LABEL_MAX 120

static vg_iocs *
load_iocs(vg_req *r, char *err, size_t errlen)
{
	vg_iocs *iocs = NULL;

	if (r->site->config->iocs[0] == '\0') {
		snprintf(err, errlen, "%s", _("la clé « iocs » de la "
		    "configuration n'indique pas le dossier des indicateurs"));
		return NULL;
	}
	if (vg_iocs_load(r->site->config->iocs, &iocs, err, errlen) != VG_OK)
		return NULL;
	return iocs;
}

/* The page's frame; iocs (borrowed, may be NULL) states the indicators'
 * version, unavailable (may be NULL) why there are none. */
static void
page(vg_req *r, vg_resp *resp, const vg_iocs *iocs, const char *unavailable)
{
	resp->tmpl = "scan";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Vérifier un téléphone")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	json_object_set_new(resp->ctx, "max_mb", json_integer(UPLOAD_MAX >>
	    20));
	if (iocs != NULL)
		json_object_set_new(resp->ctx, "iocs", vg_iocs_info(iocs));
	else if (unavailable != NULL)
		json_object_set_new(resp->ctx, "unavailable",
		    json_string(unavailable));
}

/* The result sealed for the hidden field, with its owner: base64 in the
 * arena, or NULL when too large to travel. */
static const char *
seal_result(vg_req *r, json_t *result)
{
	json_t *o = json_pack("{s:I, s:O}", "u", (json_int_t)r->user->id,
	    "r", result);
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL, *out = NULL;
	unsigned char *sealed = NULL;
	size_t n, b64;

	json_decref(o);
	if (text == NULL)
		return NULL;
	n = strlen(text) + VG_SEAL_OVERHEAD;
	b64 = sodium_base64_encoded_len(n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (b64 <= SEALED_MAX && (sealed = malloc(n)) != NULL &&
	    (out = vg_arena_alloc(r->arena, b64)) != NULL) {
		vg_seal(r->site->keys, text, strlen(text), sealed);
		sodium_bin2base64(out, b64, sealed, n,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	}
	free(sealed);
	free(text);
	return out;
}

/* The posted sealed result, when it is sound and this user's; else NULL
 * with the message set. */
static json_t *
posted_result(vg_req *r, vg_resp *resp)
{
	const char *text = vg_form_get(r->form, "rapport");
	unsigned char *sealed = NULL;
	char *plain = NULL;
	json_t *o = NULL, *result = NULL;
	json_int_t user = -1;
	size_t len, n = 0;

	if (text == NULL || (len = strlen(text)) == 0 || len > SEALED_MAX ||
	    (sealed = malloc(len)) == NULL)
		goto bad;
	if (sodium_base642bin(sealed, len, text, len, NULL, &n, NULL,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n <= VG_SEAL_OVERHEAD ||
	    (plain = malloc(n - VG_SEAL_OVERHEAD + 1)) == NULL ||
	    vg_unseal(r->site->keys, sealed, n, (unsigned char *)plain) !=
	    VG_OK || (o = json_loads(plain, 0, NULL)) == NULL ||
	    json_unpack(o, "{s:I, s:o}", "u", &user, "r", &result) != 0 ||
	    user != r->user->id || !json_is_object(result))
		goto bad;
	json_incref(result);
	json_decref(o);
	free(sealed);
	free(plain);
	return result;
bad:
	json_decref(o);
	free(sealed);
	free(plain);
	vg_fail(resp, VG_EINVAL, _("Ce rapport n'a pas pu être relu (la page "
	    "est peut-être trop ancienne). Refaites la vérification."),
	    "rapport");
	return NULL;
}

static json_t *
view_of(vg_req *r, json_t *result)
{
	json_t *contacts = vg_scan_contacts(r->site->config->share);
	json_t *view = vg_scan_view(result, contacts);

	json_decref(contacts);
	return view;
}

static vg_rc
form(vg_req *r, vg_resp *resp)
{
	char err[1200];
	vg_iocs *iocs = load_iocs(r, err, sizeof(err));

	page(r, resp, iocs, err);
	vg_iocs_free(iocs);
	return VG_OK;
}

static vg_rc
run(vg_req *r, vg_resp *resp)
{
	const vg_form_field *fd;
	const char *first_err = NULL, *sealed;
	char err[1200];
	vg_iocs *iocs;
	vg_scan *s = NULL;
	json_t *result = NULL, *view, *in;
	size_t nfiles = 0, i, read = 0;
	vg_rc rc = VG_ENOMEM;

	page(r, resp, NULL, NULL);
	for (fd = r->form->first; fd != NULL; fd = fd->next)
		if (strcmp(fd->name, "fichier") == 0 && fd->path != NULL &&
		    fd->size > 0)
			nfiles++;
	if (nfiles == 0)
		return vg_fail(resp, VG_EINVAL, _("Choisissez un fichier à "
		    "examiner : une capture réseau ou une liste "
		    "d'applications."), "fichier");
	if (nfiles > FILES_MAX)
		return vg_fail(resp, VG_EINVAL, _("Quatre fichiers au plus à la "
		    "fois."), "fichier");
	for (fd = r->form->first; fd != NULL; fd = fd->next)
		if (strcmp(fd->name, "fichier") == 0 && fd->size > UPLOAD_MAX)
			return vg_fail(resp, VG_ETOOBIG, vg_arena_printf(
			    r->arena, _("« %s » est trop gros : %u Mo au plus "
			    "par fichier. Coupez la capture en morceaux (par "
			    "exemple avec editcap -c) et envoyez-les un par "
			    "un."), fd->filename ? fd->filename : "",
			    UPLOAD_MAX >> 20), "fichier");
	if ((iocs = load_iocs(r, err, sizeof(err))) == NULL) {
		page(r, resp, NULL, err);
		return vg_fail(resp, VG_EIO, vg_arena_printf(r->arena,
		    _("La vérification n'est pas disponible sur ce serveur : "
		    "%s. Prévenez l'administrateur."), err), NULL);
	}
	page(r, resp, iocs, NULL);
	if ((s = vg_scan_new(iocs, 0)) == NULL)
		goto done;
	for (fd = r->form->first; fd != NULL; fd = fd->next) {
		const char *name;

		if (strcmp(fd->name, "fichier") != 0 || fd->path == NULL ||
		    fd->size == 0)
			continue;
		name = fd->filename && *fd->filename ? fd->filename :
		    _("fichier envoyé");
		if (vg_scan_file(s, fd->path, name, err, sizeof(err)) !=
		    VG_OK && first_err == NULL)
			first_err = vg_arena_strdup(r->arena, err);
		/* Gone before the answer leaves (the parser's cleanup at
		 * the end of the request would be later). */
		unlink(fd->path);
	}
	if ((result = vg_scan_result(s)) == NULL)
		goto done;
	json_array_foreach(json_object_get(result, "inputs"), i, in)
		read += json_object_get(in, "format") != NULL;
	if (read == 0 && first_err != NULL) {
		/* Nothing could be read at all: a plain error. */
		rc = vg_fail(resp, VG_EINVAL, first_err, "fichier");
		goto done;
	}
	if ((view = view_of(r, result)) == NULL)
		goto done;
	json_object_set_new(resp->ctx, "report", view);
	json_object_set(resp->ctx, "result", result);
	if ((sealed = seal_result(r, result)) != NULL)
		json_object_set_new(resp->ctx, "sealed", json_string(sealed));
	rc = VG_OK;
done:
	json_decref(result);
	vg_scan_free(s);
	vg_iocs_free(iocs);
	return rc;
}

static vg_rc
send_html(vg_req *r, vg_resp *resp, json_t *result)
{
	json_t *view = view_of(r, result);
	vg_buf b = VG_BUF_INIT;
	vg_rc rc;

	if (view == NULL)
		return VG_ENOMEM;
	rc = vg_scan_html(r->site->templates, view, &b);
	json_decref(view);
	if (rc != VG_OK) {
		vg_buf_free(&b);
		return rc;
	}
	return vg_resp_body(r, resp, &b, "text/html; charset=utf-8",
	    "rapport-verification-telephone.html");
}

static vg_rc
download(vg_req *r, vg_resp *resp)
{
	json_t *result;
	vg_rc rc;

	page(r, resp, NULL, NULL);
	if ((result = posted_result(r, resp)) == NULL)
		return VG_EINVAL;
	rc = send_html(r, resp, result);
	json_decref(result);
	return rc;
}

static vg_rc
save(vg_req *r, vg_resp *resp)
{
	const char *label = NULL;
	json_t *result;
	int64_t id = 0;
	vg_rc rc;

	page(r, resp, NULL, NULL);
	if ((result = posted_result(r, resp)) == NULL)
		return VG_EINVAL;
	if ((rc = vg_req_text(r, resp, "libelle", LABEL_MAX, false, &label)) !=
	    VG_OK) {
		json_decref(result);
		return rc;
	}
	rc = scan_saved_add(r->site->keys, r->user->id, label ? label : "",
	    result, &id);
	json_decref(result);
	if (rc != VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena,
	    "/verification-telephone/rapports/%lld", (long long)id);
	json_object_set_new(resp->ctx, "saved", json_pack("{s:I}", "id",
	    (json_int_t)id));
	return VG_OK;
}

static const char *
verdict_label(const char *v)
{
	if (strcmp(v, "stalkerware") == 0)
		return _("application espion trouvée");
	if (strcmp(v, "watchware") == 0)
		return _("application de surveillance trouvée");
	if (strcmp(v, "clues") == 0)
		return _("indices à vérifier");
	if (strcmp(v, "incomplete") == 0)
		return _("lecture incomplète");
	return _("rien de connu trouvé");
}

/* "2026-11-23T09:00:00Z" as "23/11/2026 09:00" (UTC). */
static void
label_saved(json_t *o)
{
	const char *c = json_string_value(json_object_get(o, "created"));
	const char *v = json_string_value(json_object_get(o, "verdict"));
	char buf[40];

	if (c != NULL && strlen(c) >= 16) {
		snprintf(buf, sizeof(buf), "%.2s/%.2s/%.4s %.5s", c + 8, c + 5,
		    c, c + 11);
		json_object_set_new(o, "created_fr", json_string(buf));
	}
	json_object_set_new(o, "verdict_label", json_string(verdict_label(
	    v ? v : "")));
}

static vg_rc
list(vg_req *r, vg_resp *resp)
{
	json_t *items, *o;
	size_t i;
	vg_rc rc;

	if ((rc = scan_saved_list(r->site->keys, r->user->id, &items)) !=
	    VG_OK)
		return rc;
	json_array_foreach(items, i, o)
		label_saved(o);
	resp->tmpl = "scan_saved";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Rapports de vérification enregistrés")));
	json_object_set_new(resp->ctx, "reports", items);
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	return VG_OK;
}

static vg_rc
show(vg_req *r, vg_resp *resp)
{
	json_t *result, *meta, *view;
	vg_rc rc;

	if ((rc = scan_saved_get(r->site->keys, r->user->id,
	    vg_req_param_id(r, 0), &result, &meta)) != VG_OK)
		return rc == VG_ENOTFOUND ? vg_fail(resp, rc, _("Ce rapport "
		    "n'existe pas, ou plus."), NULL) : rc;
	if ((view = view_of(r, result)) == NULL) {
		json_decref(result);
		json_decref(meta);
		return VG_ENOMEM;
	}
	if (meta == NULL) {
		json_decref(result);
		json_decref(view);
		return VG_ENOMEM;
	}
	label_saved(meta);
	resp->tmpl = "scan_report_page";
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Rapport de vérification")));
	json_object_set_new(resp->ctx, "saved", meta);
	json_object_set_new(resp->ctx, "report", view);
	json_object_set_new(resp->ctx, "result", result);
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
	return VG_OK;
}

static vg_rc
show_html(vg_req *r, vg_resp *resp)
{
	json_t *result, *meta;
	vg_rc rc;

	if ((rc = scan_saved_get(r->site->keys, r->user->id,
	    vg_req_param_id(r, 0), &result, &meta)) != VG_OK)
		return rc == VG_ENOTFOUND ? vg_fail(resp, rc, _("Ce rapport "
		    "n'existe pas, ou plus."), NULL) : rc;
	json_decref(meta);
	rc = send_html(r, resp, result);
	json_decref(result);
	return rc;
}

static vg_rc
remove_saved(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	vg_rc rc;

	if ((rc = scan_saved_delete(r->user->id, id)) != VG_OK)
		return rc == VG_ENOTFOUND ? vg_fail(resp, rc, _("Ce rapport "
		    "n'existe pas, ou plus."), NULL) : rc;
	resp->redirect = "/verification-telephone/rapports";
	json_object_set_new(resp->ctx, "deleted", json_pack("{s:I}", "id",
	    (json_int_t)id));
	return VG_OK;
}

static const vg_route routes[] = {
	{"GET", "/verification-telephone", form, VG_ROLE_PROFESSIONAL, 0, 0},
	{"POST", "/verification-telephone", run, VG_ROLE_PROFESSIONAL,
	    FILES_MAX * (size_t)UPLOAD_MAX + 64 * 1024, VG_ROUTE_FILES},
	{"POST", "/verification-telephone/telecharger", download,
	    VG_ROLE_PROFESSIONAL, SEALED_MAX + 4096, 0},
	{"POST", "/verification-telephone/enregistrer", save,
	    VG_ROLE_PROFESSIONAL, SEALED_MAX + 4096, 0},
	{"GET", "/verification-telephone/rapports", list,
	    VG_ROLE_PROFESSIONAL, 0, 0},
	{"GET", "/verification-telephone/rapports/:id", show,
	    VG_ROLE_PROFESSIONAL, 0, 0},
	{"GET", "/verification-telephone/rapports/:id/rapport.html",
	    show_html, VG_ROLE_PROFESSIONAL, 0, 0},
	{"POST", "/verification-telephone/rapports/:id/suppression",
	    remove_saved, VG_ROLE_PROFESSIONAL, 0, 0},
};

const vg_route *
scan_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes);
	return routes;
}
