/*
 * vault.c — the evidence vault's area (/coffre): start, purge, routes and
 * the pages of a vault and its items.
 *
 * Every page has the neutral title "Espace personnel" (a history or a
 * tab seen over a shoulder says nothing), the quick exit of the layout,
 * and, like every dynamic response, Cache-Control: no-store and
 * Referrer-Policy: no-referrer.  The access log names the route's pattern
 * only, never an address or a user agent.  Nothing sensitive goes into a
 * URL: identifiers, passphrases, codes and addresses to report travel in
 * POST bodies.
 */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/when.h"
#include "http/throttle.h"
#include "reports/reports.h"
#include "vault/vault.h"
#include "vault/vault_int.h"

#define FIELD_LINE 200          /* characters of platform, author */
#define FIELD_NOTE 5000
#define FIELD_DESC 5000
#define FIELD_TEXT 100000
#define FIELD_URL 2048
/* A bundle written to the memory folder at most (bytes of evidence). */
#define MEMORY_EXPORT_MAX ((int64_t)64 << 20)
#define FORM_EXTRA (256 * 1024) /* the text fields next to a file */

static const vg_config *config;

/* --- start, purge --------------------------------------------------------- */

vg_rc
vault_init_data(const char *data, bool verbose, char *err, size_t errlen)
{
	char path[1200];
	vg_rc rc;

	snprintf(path, sizeof(path), "%s/uploads/vault", data);
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, _("impossible de créer le dossier %s "
		    "(%s)"), path, strerror(errno));
		return VG_EIO;
	}
	snprintf(path, sizeof(path), "%s/%s", data, VAULT_SIGN_KEY_FILE);
	rc = vault_sign_key_create(path);
	if (rc == VG_OK && verbose)
		printf(_("  clé de signature des coffres créée : %s (sa clé "
		    "publique est publiée sur /coffre/cle)\n"), path);
	else if (rc != VG_OK && rc != VG_ECONFLICT) {
		snprintf(err, errlen, _("impossible de créer la clé de "
		    "signature %s"), path);
		return rc;
	}
	return VG_OK;
}

static void routes_limit(size_t max_file);

vg_rc
vault_load(const vg_config *c, char *err, size_t errlen)
{
	char path[1200];

	snprintf(path, sizeof(path), "%s/%s", c->data, VAULT_SIGN_KEY_FILE);
	if (vault_sign_key_load(path) != VG_OK) {
		snprintf(err, errlen, _("clé de signature %s illisible ou "
		    "lisible par d'autres utilisateurs : lancez « vigie init » "
		    "ou faites « chmod 600 %s »"), path, path);
		return VG_EIO;
	}
	config = c;
	routes_limit((size_t)c->vault_max_file);
	return VG_OK;
}

void
vault_free(void)
{
	vault_session_close_all();
	vault_sign_key_free();
}

vg_rc
vault_purge(const vg_config *c, int64_t *n)
{
	int64_t now = (int64_t)time(NULL);

	VG_UNUSED(c);
	vault_session_sweep(now);
	return vault_share_purge(now, n);
}

/* --- what every page shares ---------------------------------------------- */

void
vault_page(vg_req *r, vg_resp *resp, const char *tmpl)
{
	resp->tmpl = tmpl;
	/* Neutral: nothing in a tab, a history or a bookmark says "vault". */
	json_object_set_new(resp->ctx, "title",
	    json_string(_("Espace personnel")));
	json_object_set_new(resp->ctx, "csrf", json_string(vg_req_csrf(r)));
}

/* The vault's own cookie, sent back only under /coffre. */
static const char *
cookie_of(vg_req *r)
{
	return vg_req_cookie(r, VAULT_COOKIE);
}

void
vault_cookie_set(vg_resp *resp, const char *token)
{
	int i;

	for (i = 0; i < resp->ncookies; i++)
		if (strcmp(resp->cookies[i].name, VAULT_COOKIE) == 0) {
			resp->cookies[i].value = token;
			resp->cookies[i].path = "/coffre";
			return;
		}
	if (resp->ncookies < VG_MAX_COOKIES) {
		resp->cookies[resp->ncookies].name = VAULT_COOKIE;
		resp->cookies[resp->ncookies].path = "/coffre";
		resp->cookies[resp->ncookies++].value = token;
	}
}

vg_rc
vault_open_for(vg_req *r, vg_resp *resp, int64_t vault, int64_t share,
    int64_t until, const unsigned char *vk)
{
	char token[VG_TOKEN_CHARS + 1];
	const char *old = cookie_of(r);
	vg_rc rc;

	/* One open vault per browser: the key of the previous one goes. */
	if (old != NULL)
		vault_session_close(old);
	if ((rc = vault_session_new(vault, share, share > 0, until, vk,
	    (int64_t)time(NULL), token)) != VG_OK)
		return rc;
	vault_cookie_set(resp, vg_arena_strdup(r->arena, token));
	sodium_memzero(token, sizeof(token));
	return VG_OK;
}

vg_rc
vault_opened(vg_req *r, vg_resp *resp, bool write, struct vault_open *o)
{
	const char *token = cookie_of(r);

	if (vault_session_get(token, (int64_t)time(NULL), o) != VG_OK) {
		memset(o, 0, sizeof(*o));
		if (token != NULL)
			vault_cookie_set(resp, NULL);
		if (!r->want_json) {
			resp->redirect = "/coffre/ouvrir";
			return VG_OK;
		}
		return vg_fail(resp, VG_EAUTH, _("Ce coffre est fermé. "
		    "Ouvrez-le avec son identifiant et votre phrase secrète."),
		    NULL);
	}
	if (write && o->readonly) {
		vault_open_release(o);
		return vg_fail(resp, VG_EDENIED, _("Cet accès partagé est en "
		    "lecture seule : il ne permet ni d'ajouter, ni de "
		    "modifier, ni de supprimer."), NULL);
	}
	return VG_OK;
}

/* Whether vault_opened() answered with a redirect to the open page. */
static bool
sent_to_open(const vg_resp *resp)
{
	return resp->redirect != NULL;
}

static void
visitor_key(vg_req *r, char *out, size_t n)
{
	snprintf(out, n, "visitor:%s", r->client_tag ? r->client_tag : "-");
}

vg_rc
vault_throttle_check(vg_req *r, const char *key)
{
	char v[64];
	int64_t now = (int64_t)time(NULL);

	visitor_key(r, v, sizeof(v));
	if (vault_fail_blocked(key, now) || vault_fail_blocked(v, now))
		return VG_ETHROTTLE;
	return VG_OK;
}

void
vault_throttle_fail(vg_req *r, const char *key)
{
	char v[64];
	int64_t now = (int64_t)time(NULL);

	visitor_key(r, v, sizeof(v));
	vault_fail_count(key, now);
	vault_fail_count(v, now);
}

static const char *
rfc3339(vg_req *r, int64_t t)
{
	char buf[32];

	vg_time_text(t, "%Y-%m-%dT%H:%M:%SZ", buf, sizeof(buf));
	return vg_arena_strdup(r->arena, buf);
}

static const char *
day_fr(vg_req *r, int64_t t)
{
	char buf[32];

	vg_time_text(t, "%d/%m/%Y", buf, sizeof(buf));
	return vg_arena_strdup(r->arena, buf);
}

static const char *
when_fr(vg_req *r, int64_t t)
{
	char buf[48];

	vg_time_text(t, "%d/%m/%Y à %H:%M:%S UTC", buf, sizeof(buf));
	return vg_arena_strdup(r->arena, buf);
}

/* "2026-11-20" as "20/11/2026". */
static const char *
date_fr(vg_req *r, const char *iso)
{
	int64_t t;

	if (iso == NULL || !vg_date_parse(iso, &t))
		return NULL;
	return day_fr(r, t);
}

/* --- the landing page, creating a vault ----------------------------------- */

static void
landing_context(vg_req *r, vg_resp *resp)
{
	struct vault_open o;

	vault_page(r, resp, "vault");
	json_object_set_new(resp->ctx, "pass_min", json_integer(
	    VAULT_PASS_MIN));
	if (vault_session_get(cookie_of(r), (int64_t)time(NULL), &o) ==
	    VG_OK) {
		json_object_set_new(resp->ctx, "open", json_true());
		vault_open_release(&o);
	}
}

static vg_rc
landing(vg_req *r, vg_resp *resp)
{
	landing_context(r, resp);
	return VG_OK;
}

/* The passphrase field as typed (no trimming: every character counts),
 * checked; an error set on resp otherwise. */
static vg_rc
passphrase_of(vg_req *r, vg_resp *resp, const char *field, bool check_len,
    const char **out)
{
	const char *p = vg_form_get(r->form, field);
	size_t n;

	*out = NULL;
	if (p == NULL || *p == '\0')
		return vg_fail(resp, VG_EINVAL, _("Saisissez votre phrase "
		    "secrète."), field);
	n = strlen(p);
	if (n > VAULT_PASS_MAX || !vg_utf8_valid_text(p, n))
		return vg_fail(resp, VG_EINVAL, _("Cette phrase secrète est "
		    "trop longue ou contient des caractères non valides."),
		    field);
	if (check_len && vg_utf8_length(p, n) < VAULT_PASS_MIN)
		return vg_fail(resp, VG_EINVAL, vg_arena_printf(r->arena,
		    _("Choisissez une phrase secrète d'au moins %d caractères "
		    ": plusieurs mots que vous retiendrez, par exemple."),
		    VAULT_PASS_MIN), field);
	*out = p;
	return VG_OK;
}

static vg_rc
create(vg_req *r, vg_resp *resp)
{
	const char *pass, *confirm;
	char id[VAULT_ID_CHARS * 5 / 4];
	unsigned char vk[VAULT_KEY_BYTES];
	int64_t vault, now = (int64_t)time(NULL);
	vg_rc rc;

	landing_context(r, resp);
	if ((rc = passphrase_of(r, resp, "passphrase", true, &pass)) != VG_OK)
		return rc;
	/* The form asks twice; a program may send it once. */
	confirm = vg_form_get(r->form, "passphrase_confirm");
	if (confirm != NULL && strcmp(confirm, pass) != 0)
		return vg_fail(resp, VG_EINVAL, _("Les deux phrases secrètes "
		    "ne sont pas identiques. Saisissez la même phrase deux "
		    "fois."), "passphrase_confirm");
	/* argon2id costs memory and time: a visitor makes a few vaults. */
	if (!vg_throttle_allow("vault-create", r->client_tag ? r->client_tag :
	    "-", 10, 3600))
		return vg_fail(resp, VG_ETHROTTLE, _("Trop de coffres créés "
		    "depuis cette connexion. Patientez une heure avant de "
		    "réessayer."), NULL);
	if ((rc = vault_create(r->site->keys, pass, now, id, &vault, vk)) !=
	    VG_OK)
		return rc;
	rc = vault_open_for(r, resp, vault, 0, 0, vk);
	sodium_memzero(vk, sizeof(vk));
	if (rc != VG_OK)
		return rc;
	vault_page(r, resp, "vault_created");
	resp->status = 201;
	json_object_set_new(resp->ctx, "vault", json_pack("{s:s}", "id", id));
	sodium_memzero(id, sizeof(id));
	return VG_OK;
}

/* --- opening and closing -------------------------------------------------- */

static vg_rc
open_page(vg_req *r, vg_resp *resp)
{
	vault_page(r, resp, "vault_open");
	return VG_OK;
}

static vg_rc
open_post(vg_req *r, vg_resp *resp)
{
	const char *id = vg_form_get(r->form, "id"), *pass;
	char norm[VAULT_ID_CHARS + 1], lookup[VG_TOKEN_CHARS + 1];
	char key[VG_TOKEN_CHARS + 8];
	unsigned char vk[VAULT_KEY_BYTES];
	int64_t vault = 0;
	vg_rc rc;

	vault_page(r, resp, "vault_open");
	if (id == NULL || *id == '\0' || strlen(id) > 64)
		return vg_fail(resp, VG_EINVAL, _("Saisissez l'identifiant du "
		    "coffre, tel que vous l'avez noté (16 caractères)."), "id");
	if ((rc = passphrase_of(r, resp, "passphrase", false, &pass)) != VG_OK)
		return rc;
	/* The same key for a known and an unknown identifier. */
	if (!vault_code_normalise(id, VAULT_ID_CHARS, norm))
		snprintf(norm, sizeof(norm), "%.16s", id);
	vault_code_lookup(r->site->keys, "vault", norm, lookup);
	sodium_memzero(norm, sizeof(norm));
	snprintf(key, sizeof(key), "vault:%s", lookup);
	if (vault_throttle_check(r, key) != VG_OK)
		return vg_fail(resp, VG_ETHROTTLE, _("Trop de tentatives. "
		    "Patientez quinze minutes avant de réessayer."), NULL);
	rc = vault_unlock(r->site->keys, id, pass, &vault, vk);
	if (rc == VG_EAUTH) {
		vault_throttle_fail(r, key);
		return vg_fail(resp, VG_EAUTH, _("Identifiant ou phrase "
		    "secrète incorrects."), "id");
	}
	if (rc != VG_OK)
		return rc;
	rc = vault_open_for(r, resp, vault, 0, 0, vk);
	sodium_memzero(vk, sizeof(vk));
	if (rc != VG_OK)
		return rc;
	resp->redirect = "/coffre/elements";
	json_object_set_new(resp->ctx, "vault", json_pack("{s:b, s:b}", "open",
	    1, "readonly", 0));
	return VG_OK;
}

static vg_rc
close_post(vg_req *r, vg_resp *resp)
{
	const char *token = cookie_of(r);

	if (token != NULL)
		vault_session_close(token);
	vault_cookie_set(resp, NULL);
	resp->redirect = "/coffre";
	json_object_set_new(resp->ctx, "vault", json_pack("{s:b}", "open", 0));
	return VG_OK;
}

/* --- the chronology ------------------------------------------------------- */

static const char *
kind_label(const char *kind)
{
	if (kind == NULL)
		return "";
	if (strcmp(kind, "file") == 0)
		return _("Fichier");
	if (strcmp(kind, "url") == 0)
		return _("Lien");
	return _("Texte");
}

/* What the pages show of an item, added to its JSON. */
static void
item_display(vg_req *r, json_t *it)
{
	const char *kind = json_string_value(json_object_get(it, "kind"));
	const char *facts = json_string_value(json_object_get(it,
	    "facts_date"));
	const char *text = json_string_value(json_object_get(it, "text"));
	int64_t received = json_integer_value(json_object_get(it,
	    "received_at"));
	int64_t deleted = json_integer_value(json_object_get(it, "deleted_at"));
	const char *title;

	json_object_set_new(it, "kind_label", json_string(kind_label(kind)));
	json_object_set_new(it, "is_file", json_boolean(kind &&
	    !strcmp(kind, "file")));
	json_object_set_new(it, "is_url", json_boolean(kind &&
	    !strcmp(kind, "url")));
	json_object_set_new(it, "is_text", json_boolean(kind &&
	    !strcmp(kind, "text")));
	json_object_set_new(it, "received_fr", json_string(when_fr(r,
	    received)));
	json_object_set_new(it, "received_iso", json_string(rfc3339(r,
	    received)));
	if (facts != NULL && *facts != '\0')
		json_object_set_new(it, "facts_fr", json_string(date_fr(r,
		    facts)));
	if (deleted > 0)
		json_object_set_new(it, "deleted_fr", json_string(when_fr(r,
		    deleted)));
	if (kind != NULL && !strcmp(kind, "file"))
		title = json_string_value(json_object_get(it, "name"));
	else if (kind != NULL && !strcmp(kind, "url"))
		title = json_string_value(json_object_get(it, "url"));
	else if (text != NULL) {
		/* The first words of a text, cut on a character. */
		size_t n = strlen(text) > 80 ? 80 : strlen(text);

		while (n > 0 && n < strlen(text) &&
		    ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
		title = vg_arena_printf(r->arena, "%.*s%s", (int)n, text,
		    n < strlen(text) ? "…" : "");
	} else
		title = _("Texte");
	json_object_set_new(it, "heading", json_string(title ? title : ""));
}

/* The sort key: the date of the facts, else the day of arrival. */
static int
by_facts(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *fx = json_string_value(json_object_get(x, "sort_date"));
	const char *fy = json_string_value(json_object_get(y, "sort_date"));
	int c = strcmp(fx ? fx : "", fy ? fy : "");

	if (c != 0)
		return c;
	return json_integer_value(json_object_get(x, "seq")) <
	    json_integer_value(json_object_get(y, "seq")) ? -1 : 1;
}

/* The items in the order of the facts ("chronology"), for display. */
static json_t *
chronology(vg_req *r, json_t *items)
{
	json_t **v, *out = json_array(), *it;
	size_t i, n = json_array_size(items);
	char day[16];

	if (out == NULL || (v = calloc(n + 1, sizeof(*v))) == NULL) {
		json_decref(out);
		return NULL;
	}
	json_array_foreach(items, i, it) {
		const char *facts = json_string_value(json_object_get(it,
		    "facts_date"));

		if (facts == NULL || *facts == '\0') {
			vg_time_text(json_integer_value(json_object_get(it,
			    "received_at")), "%Y-%m-%d", day, sizeof(day));
			facts = day;
		}
		json_object_set_new(it, "sort_date", json_string(facts));
		item_display(r, it);
		v[i] = it;
	}
	qsort(v, n, sizeof(*v), by_facts);
	for (i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	return out;
}

static void
form_context(vg_resp *resp)
{
	char today[16];

	vg_time_text((int64_t)time(NULL), "%Y-%m-%d", today, sizeof(today));
	json_object_set_new(resp->ctx, "today", json_string(today));
	json_object_set_new(resp->ctx, "max_file_mb", json_integer(
	    (config ? config->vault_max_file : 20 << 20) >> 20));
	json_object_set_new(resp->ctx, "max_file", json_integer(
	    config ? config->vault_max_file : 20 << 20));
}

static vg_rc
items_context(vg_req *r, vg_resp *resp, const struct vault_open *o)
{
	json_t *items, *chron;
	vg_rc rc;

	vault_page(r, resp, "vault_items");
	form_context(resp);
	if ((rc = vault_items(o, &items)) != VG_OK)
		return rc;
	if ((chron = chronology(r, items)) == NULL) {
		json_decref(items);
		return VG_ENOMEM;
	}
	json_object_set_new(resp->ctx, "items", chron);
	json_object_set_new(resp->ctx, "count", json_integer(
	    (json_int_t)json_array_size(items)));
	json_object_set_new(resp->ctx, "readonly", json_boolean(o->readonly));
	json_decref(items);
	return VG_OK;
}

static vg_rc
items_page(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	vg_rc rc;

	if ((rc = vault_opened(r, resp, false, &o)) != VG_OK ||
	    sent_to_open(resp))
		return rc;
	rc = items_context(r, resp, &o);
	vault_open_release(&o);
	return rc;
}

/* A single-line field: no tab, no line break (they would break the
 * record's lines), at most max characters. */
static vg_rc
line_field(vg_req *r, vg_resp *resp, const char *name, size_t max,
    const char **out)
{
	vg_rc rc;

	if ((rc = vg_req_text(r, resp, name, max, false, out)) != VG_OK)
		return rc;
	if (*out != NULL && strpbrk(*out, "\t\r\n") != NULL)
		return vg_fail(resp, VG_EINVAL, _("Ce champ tient sur une "
		    "ligne : retirez les retours à la ligne et les "
		    "tabulations."), name);
	return VG_OK;
}

static bool
ticked(vg_req *r, const char *name)
{
	const char *v = vg_form_get(r->form, name);

	return v != NULL && strcmp(v, "1") == 0;
}

/* The posted file, if any: size and type checked. */
static vg_rc
posted_file(vg_req *r, vg_resp *resp, struct vault_item_in *in, bool *has)
{
	const vg_form_field *f = vg_form_field_get(r->form, "file");
	size_t max = config ? (size_t)config->vault_max_file : 20u << 20;
	char name[128];

	*has = false;
	if (f == NULL || f->path == NULL || (f->size == 0 &&
	    (f->filename == NULL || *f->filename == '\0')))
		return VG_OK;
	*has = true;
	if (f->size > max)
		return vg_fail(resp, VG_ETOOBIG, vg_arena_printf(r->arena,
		    _("Ce fichier est trop gros : %zu Mo au plus par "
		    "fichier."), max >> 20), "file");
	if (f->size == 0)
		return vg_fail(resp, VG_EINVAL, _("Ce fichier est vide."),
		    "file");
	if ((in->type = vault_sniff(f->path)) == NULL)
		return vg_fail(resp, VG_EMEDIA, _("Ce type de fichier n'est "
		    "pas accepté. Déposez une image (PNG, JPEG, WebP, GIF), un "
		    "PDF, un son (MP3, Ogg, M4A, WAV), une vidéo MP4 ou un "
		    "fichier texte."), "file");
	vault_sanitize_name(f->filename, name, sizeof(name));
	if ((in->name = vg_arena_strdup(r->arena, name)) == NULL)
		return VG_ENOMEM;
	in->path = f->path;
	in->size = f->size;
	in->kind = "file";
	return VG_OK;
}

/* Read and check the add form into in; an error set on resp otherwise. */
static vg_rc
item_input(vg_req *r, vg_resp *resp, struct vault_item_in *in)
{
	const char *why;
	char host[256];
	int64_t t;
	bool has_file;
	int kinds = 0;
	vg_rc rc;

	memset(in, 0, sizeof(*in));
	if ((rc = line_field(r, resp, "facts_date", 10, &in->facts_date)) !=
	    VG_OK ||
	    (rc = line_field(r, resp, "platform", FIELD_LINE,
	    &in->platform)) != VG_OK ||
	    (rc = line_field(r, resp, "author", FIELD_LINE, &in->author)) !=
	    VG_OK ||
	    (rc = line_field(r, resp, "url", FIELD_URL, &in->url)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "description", FIELD_DESC, false,
	    &in->description)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "text", FIELD_TEXT, false,
	    &in->text)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "note", FIELD_NOTE, false,
	    &in->note)) != VG_OK)
		return rc;
	if (in->facts_date != NULL && (!vg_date_parse(in->facts_date, &t) ||
	    t > (int64_t)time(NULL) + 86400))
		return vg_fail(resp, VG_EINVAL, _("Indiquez la date des faits "
		    "au format AAAA-MM-JJ, sans dépasser aujourd'hui."),
		    "facts_date");
	in->csam = ticked(r, "csam");
	if ((rc = posted_file(r, resp, in, &has_file)) != VG_OK)
		return rc;
	kinds = has_file + (in->url != NULL) + (in->text != NULL);
	if (kinds == 0)
		return vg_fail(resp, VG_EINVAL, _("Ajoutez un fichier, une "
		    "adresse (lien) ou un texte."), "file");
	if (kinds > 1)
		return vg_fail(resp, VG_EINVAL, _("Un élément à la fois : un "
		    "fichier, ou une adresse, ou un texte. Ajoutez les autres "
		    "ensuite."), has_file ? "file" : "url");
	if (has_file && in->csam)
		return vg_fail(resp, VG_EINVAL, _("Ne déposez jamais d'image "
		    "d'un mineur dans une situation sexuelle, même pour en "
		    "garder la preuve : la posséder est interdit. Gardez "
		    "seulement son adresse (lien)."), "file");
	if (in->url != NULL) {
		if (reports_check_url(in->url, host, sizeof(host), &why) !=
		    VG_OK)
			return vg_fail(resp, VG_EINVAL, _("Cette adresse ne "
			    "convient pas : copiez une adresse complète qui "
			    "commence par https:// ou http://."), "url");
		in->kind = "url";
	} else if (in->text != NULL) {
		in->kind = "text";
		in->csam = false;
	}
	return VG_OK;
}

static vg_rc
item_add(vg_req *r, vg_resp *resp)
{
	struct vault_item_in in;
	struct vault_ack ack;
	struct vault_open o;
	vg_rc rc, shown;

	if ((rc = vault_opened(r, resp, true, &o)) != VG_OK ||
	    sent_to_open(resp))
		return rc;
	if ((rc = item_input(r, resp, &in)) == VG_OK) {
		rc = vault_item_add(config->data, &o, config->vault_max_items,
		    &in, (int64_t)time(NULL), &ack);
		if (rc == VG_ECONFLICT)
			vg_fail(resp, VG_ECONFLICT, vg_arena_printf(r->arena,
			    _("Ce coffre est plein : il garde %d éléments au "
			    "plus. Exportez-le, puis supprimez ce qui n'est "
			    "plus utile."), config->vault_max_items), NULL);
		else if (rc == VG_EINVAL)
			vg_fail(resp, VG_EINVAL, _("Un champ contient un "
			    "caractère de contrôle. Retirez-le et "
			    "réessayez."), NULL);
	}
	if (rc != VG_OK) {
		/* The chronology again, with what was typed. */
		int status = resp->status;
		const char *msg = resp->message, *field = resp->field;

		shown = items_context(r, resp, &o);
		vault_open_release(&o);
		if (shown != VG_OK)
			return shown;
		resp->status = status;
		resp->message = msg;
		resp->field = field;
		json_object_set_new(resp->ctx, "values", json_pack("{s:s?, "
		    "s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
		    "facts_date", vg_form_get(r->form, "facts_date"),
		    "platform", vg_form_get(r->form, "platform"),
		    "author", vg_form_get(r->form, "author"),
		    "url", vg_form_get(r->form, "url"),
		    "description", vg_form_get(r->form, "description"),
		    "text", vg_form_get(r->form, "text"),
		    "note", vg_form_get(r->form, "note")));
		return rc;
	}
	vault_open_release(&o);
	resp->status = 201;
	resp->redirect = vg_arena_printf(r->arena, "/coffre/elements/%lld",
	    (long long)ack.seq);
	json_object_set_new(resp->ctx, "item", json_pack("{s:I, s:s, s:s, "
	    "s:s, s:s}", "seq", (json_int_t)ack.seq, "sha256", ack.sha256,
	    "received_at", rfc3339(r, ack.received_at), "link", ack.link,
	    "kind", in.kind));
	return VG_OK;
}

/* --- one item ------------------------------------------------------------- */

static vg_rc
item_not_found(vg_resp *resp)
{
	return vg_fail(resp, VG_ENOTFOUND, _("Cet élément n'existe pas dans "
	    "ce coffre."), NULL);
}

/* The item of the path, opened, with the context of its page. */
static vg_rc
item_context(vg_req *r, vg_resp *resp, const struct vault_open *o,
    const char *tmpl, json_t **item)
{
	int64_t seq = vg_req_param_id(r, 0);
	bool csam, deleted;
	const char *kind;
	vg_rc rc;

	*item = NULL;
	vault_page(r, resp, tmpl);
	if (seq <= 0 || (rc = vault_item(o, seq, item)) == VG_ENOTFOUND)
		return item_not_found(resp);
	if (rc != VG_OK)
		return rc;
	item_display(r, *item);
	kind = json_string_value(json_object_get(*item, "kind"));
	csam = json_is_true(json_object_get(*item, "csam"));
	deleted = json_is_true(json_object_get(*item, "deleted"));
	json_object_set_new(*item, "can_report", json_boolean(!o->readonly &&
	    !deleted && !csam && kind != NULL && !strcmp(kind, "url")));
	json_object_set_new(resp->ctx, "item", json_incref(*item));
	json_object_set_new(resp->ctx, "readonly", json_boolean(o->readonly));
	json_object_set_new(resp->ctx, "public_key", json_string(
	    vault_public_key_hex() ? vault_public_key_hex() : ""));
	return VG_OK;
}

static vg_rc
item_page(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	json_t *item;
	vg_rc rc;

	if ((rc = vault_opened(r, resp, false, &o)) != VG_OK ||
	    sent_to_open(resp))
		return rc;
	rc = item_context(r, resp, &o, "vault_item", &item);
	json_decref(item);
	vault_open_release(&o);
	return rc;
}

/* The download's name: nothing of the person's file name in a header,
 * which proxies and logs may keep; the extension of its type. */
static const char *
download_name(vg_req *r, int64_t seq, const char *type)
{
	static const struct {
		const char *type, *ext;
	} exts[] = {
		{"image/png", "png"}, {"image/jpeg", "jpg"},
		{"image/webp", "webp"}, {"image/gif", "gif"},
		{"application/pdf", "pdf"}, {"audio/mpeg", "mp3"},
		{"audio/ogg", "ogg"}, {"audio/mp4", "m4a"},
		{"audio/wav", "wav"}, {"video/mp4", "mp4"},
		{"text/plain", "txt"},
	};
	const char *ext = "bin";
	size_t i;

	for (i = 0; type != NULL && i < VG_ARRAY_LEN(exts); i++)
		if (strcmp(exts[i].type, type) == 0)
			ext = exts[i].ext;
	return vg_arena_printf(r->arena, "element-%04lld.%s", (long long)seq,
	    ext);
}

static vg_rc
item_file(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	json_t *item = NULL;
	unsigned char *data = NULL;
	size_t n = 0;
	vg_buf b = VG_BUF_INIT;
	const char *type;
	int64_t seq = vg_req_param_id(r, 0);
	vg_rc rc;

	if ((rc = vault_opened(r, resp, false, &o)) != VG_OK ||
	    sent_to_open(resp))
		return rc;
	if (seq <= 0 || (rc = vault_item(&o, seq, &item)) == VG_ENOTFOUND ||
	    (rc == VG_OK && json_is_true(json_object_get(item, "deleted")))) {
		rc = item_not_found(resp);
		goto done;
	}
	if (rc != VG_OK ||
	    (rc = vault_item_content(config->data, &o, seq, &data, &n)) !=
	    VG_OK)
		goto done;
	type = json_string_value(json_object_get(item, "type"));
	vg_buf_append(&b, data, n);
	/* Always a download with a neutral name, never shown inline. */
	rc = vg_resp_body(r, resp, &b, vg_arena_strdup(r->arena, type ? type :
	    "application/octet-stream"), download_name(r, seq, type));
done:
	vg_buf_free(&b);
	if (data != NULL)
		sodium_memzero(data, n);
	free(data);
	json_decref(item);
	vault_open_release(&o);
	return rc;
}

static vg_rc
item_note(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	const char *note;
	int64_t seq = vg_req_param_id(r, 0);
	json_t *item;
	vg_rc rc;

	if ((rc = vault_opened(r, resp, true, &o)) != VG_OK ||
	    sent_to_open(resp))
		return rc;
	if ((rc = vg_req_text(r, resp, "note", FIELD_NOTE, false, &note)) !=
	    VG_OK) {
		int status = resp->status;
		const char *msg = resp->message, *field = resp->field;

		if (item_context(r, resp, &o, "vault_item", &item) == VG_OK) {
			resp->message = msg;
			resp->field = field;
			resp->status = status;
		}
		json_decref(item);
		vault_open_release(&o);
		return rc;
	}
	rc = seq > 0 ? vault_item_set_note(&o, seq, note) : VG_ENOTFOUND;
	vault_open_release(&o);
	if (rc == VG_ENOTFOUND)
		return item_not_found(resp);
	if (rc != VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena, "/coffre/elements/%lld",
	    (long long)seq);
	json_object_set_new(resp->ctx, "item", json_pack("{s:I, s:s?}", "seq",
	    (json_int_t)seq, "note", note));
	return VG_OK;
}

static vg_rc
item_delete_page(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	json_t *item;
	vg_rc rc;

	if ((rc = vault_opened(r, resp, true, &o)) != VG_OK ||
	    sent_to_open(resp))
		return rc;
	rc = item_context(r, resp, &o, "vault_item_delete", &item);
	if (rc == VG_OK && json_is_true(json_object_get(item, "deleted")))
		rc = item_not_found(resp);
	json_decref(item);
	vault_open_release(&o);
	return rc;
}

static vg_rc
item_delete(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	int64_t seq = vg_req_param_id(r, 0);
	json_t *item;
	vg_rc rc;

	if ((rc = vault_opened(r, resp, true, &o)) != VG_OK ||
	    sent_to_open(resp))
		return rc;
	if (!ticked(r, "confirm")) {
		rc = item_context(r, resp, &o, "vault_item_delete", &item);
		json_decref(item);
		vault_open_release(&o);
		if (rc != VG_OK)
			return rc;
		return vg_fail(resp, VG_EINVAL, _("Cochez la case pour "
		    "confirmer la suppression."), "confirm");
	}
	rc = seq > 0 ? vault_item_delete(config->data, &o, seq,
	    (int64_t)time(NULL)) : VG_ENOTFOUND;
	vault_open_release(&o);
	if (rc == VG_ENOTFOUND)
		return item_not_found(resp);
	if (rc != VG_OK)
		return rc;
	resp->redirect = vg_arena_printf(r->arena, "/coffre/elements/%lld",
	    (long long)seq);
	json_object_set_new(resp->ctx, "item", json_pack("{s:I, s:b}", "seq",
	    (json_int_t)seq, "deleted", 1));
	return VG_OK;
}

/* "Report this content": the reporting form with the item's address,
 * reached by a POST so that the address never enters a URL. */
static vg_rc
item_report(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	json_t *item;
	char *url = NULL;
	vg_rc rc;

	if ((rc = vault_opened(r, resp, true, &o)) != VG_OK ||
	    sent_to_open(resp))
		return rc;
	rc = item_context(r, resp, &o, "vault_item", &item);
	vault_open_release(&o);
	if (rc != VG_OK) {
		json_decref(item);
		return rc;
	}
	if (json_is_true(json_object_get(item, "csam"))) {
		json_decref(item);
		return vg_fail(resp, VG_EDENIED, _("Ce contenu se signale "
		    "directement à PHAROS (internet-signalement.gouv.fr) ou à "
		    "Point de Contact, qui savent traiter les images d'abus "
		    "sexuels sur des mineurs."), NULL);
	}
	if (!json_is_true(json_object_get(item, "can_report"))) {
		json_decref(item);
		return vg_fail(resp, VG_EINVAL, _("Seule une adresse (lien) "
		    "encore dans le coffre peut être signalée."), NULL);
	}
	url = strdup(json_string_value(json_object_get(item, "url")));
	json_decref(item);
	if (url == NULL)
		return VG_ENOMEM;
	/* A fresh context: the reporting form is another area's page. */
	json_object_clear(resp->ctx);
	rc = reports_form_prefill(r, resp, url);
	free(url);
	return rc;
}

/* --- deleting the vault, exporting it ------------------------------------- */

static vg_rc
delete_page(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	vg_rc rc;

	if ((rc = vault_opened(r, resp, true, &o)) != VG_OK ||
	    sent_to_open(resp))
		return rc;
	vault_open_release(&o);
	vault_page(r, resp, "vault_delete");
	return VG_OK;
}

static vg_rc
delete_post(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	const char *pass;
	char key[48];
	vg_rc rc;

	if ((rc = vault_opened(r, resp, true, &o)) != VG_OK ||
	    sent_to_open(resp))
		return rc;
	vault_page(r, resp, "vault_delete");
	snprintf(key, sizeof(key), "vault-row:%lld", (long long)o.vault);
	if ((rc = passphrase_of(r, resp, "passphrase", false, &pass)) != VG_OK)
		goto done;
	if (vault_throttle_check(r, key) != VG_OK) {
		rc = vg_fail(resp, VG_ETHROTTLE, _("Trop de tentatives. "
		    "Patientez quinze minutes avant de réessayer."), NULL);
		goto done;
	}
	if ((rc = vault_check_passphrase(o.vault, pass)) == VG_EAUTH) {
		vault_throttle_fail(r, key);
		rc = vg_fail(resp, VG_EAUTH, _("Cette phrase secrète n'est pas "
		    "celle du coffre. Rien n'a été supprimé."), "passphrase");
		goto done;
	}
	if (rc != VG_OK || (rc = vault_destroy(config->data, o.vault)) !=
	    VG_OK)
		goto done;
	vault_session_close_vault(o.vault);
	vault_cookie_set(resp, NULL);
	vault_page(r, resp, "vault_deleted");
	json_object_set_new(resp->ctx, "vault", json_pack("{s:b}", "deleted",
	    1));
done:
	vault_open_release(&o);
	return rc;
}

/* The bytes of the evidence still kept in the open vault (-1 when the
 * items cannot be read: the export will say why). */
static int64_t
evidence_bytes(const struct vault_open *o)
{
	json_t *items = NULL, *it;
	int64_t total = 0;
	size_t i;

	if (vault_items(o, &items) != VG_OK)
		return -1;
	json_array_foreach(items, i, it)
		if (!json_is_true(json_object_get(it, "deleted")))
			total += json_integer_value(json_object_get(it, "size"));
	json_decref(items);
	return total;
}

static vg_rc
export(vg_req *r, vg_resp *resp)
{
	struct vault_open o;
	char token[VG_TOKEN_CHARS + 1], day[16];
	const char *path;
	int64_t now = (int64_t)time(NULL);
	vg_rc rc;

	if ((rc = vault_opened(r, resp, false, &o)) != VG_OK ||
	    sent_to_open(resp))
		return rc;
	vault_page(r, resp, NULL);
	vg_token_new(token);
	/* In clear: on the server's tmpfs when there is one, else in
	 * uploads/tmp; named like an upload either way, so that a start
	 * after a crash removes a bundle left half-way.  A bundle larger
	 * than MEMORY_EXPORT_MAX (the tmpfs's pages count against the
	 * service's memory), or a tmpfs too small, gives way to the disk. */
	path = NULL;
	rc = VG_EIO;
	if (r->site->memory_tmp != NULL &&
	    evidence_bytes(&o) <= MEMORY_EXPORT_MAX) {
		path = vg_arena_printf(r->arena, "%s/vg-upload-coffre-%s.zip",
		    r->site->memory_tmp, token);
		if ((rc = vault_export(config->data, &o, path, now)) != VG_OK)
			remove(path);
	}
	if (rc == VG_EIO) {
		path = vg_arena_printf(r->arena, "%s/uploads/tmp/"
		    "vg-upload-coffre-%s.zip", config->data, token);
		if ((rc = vault_export(config->data, &o, path, now)) != VG_OK)
			remove(path);
	}
	vault_open_release(&o);
	if (rc != VG_OK)
		return rc;
	vg_time_text(now, "%Y-%m-%d", day, sizeof(day));
	resp->file_path = path;
	resp->file_unlink = true;
	resp->content_type = "application/zip";
	resp->filename = vg_arena_printf(r->arena, "coffre-%s.zip", day);
	return VG_OK;
}

/* --- the table ------------------------------------------------------------ */

static vg_route routes[] = {
	{"GET", "/coffre", landing, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/coffre", create, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/coffre/ouvrir", open_page, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/coffre/ouvrir", open_post, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/coffre/fermer", close_post, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/coffre/elements", items_page, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/coffre/elements", item_add, VG_ROLE_PUBLIC,
	    (20u << 20) + FORM_EXTRA, VG_ROUTE_FILES | VG_ROUTE_FILES_MEMORY},
	{"GET", "/coffre/elements/:seq", item_page, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/coffre/elements/:seq/fichier", item_file, VG_ROLE_PUBLIC, 0,
	    0},
	{"POST", "/coffre/elements/:seq/note", item_note, VG_ROLE_PUBLIC,
	    64 * 1024, 0},
	{"GET", "/coffre/elements/:seq/suppression", item_delete_page,
	    VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/coffre/elements/:seq/suppression", item_delete,
	    VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/coffre/elements/:seq/signaler", item_report,
	    VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/coffre/suppression", delete_page, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/coffre/suppression", delete_post, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/coffre/export", export, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/coffre/partages", vault_shares_page, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/coffre/partages", vault_shares_post, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/coffre/partages/:id/revocation", vault_share_revoke_post,
	    VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/coffre/partage", vault_share_page, VG_ROLE_PUBLIC, 0, 0},
	{"POST", "/coffre/partage", vault_share_post, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/coffre/cle", vault_key_page, VG_ROLE_PUBLIC, 0, 0},
	{"GET", "/coffre/verification", vault_verify_page, VG_ROLE_PUBLIC, 0,
	    0},
	{NULL, NULL, NULL, 0, 0, 0},
};

/* The body of an item's form: the largest file and its fields. */
static void
routes_limit(size_t max_file)
{
	size_t i;

	for (i = 0; routes[i].method != NULL; i++)
		if (routes[i].flags & VG_ROUTE_FILES)
			routes[i].max_body = max_file + FORM_EXTRA;
}

const vg_route *
vault_routes(size_t *n)
{
	*n = VG_ARRAY_LEN(routes) - 1;
	return routes;
}
