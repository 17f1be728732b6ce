/*
 * directory.c — the actors: vocabularies, checks, storage, listing.
 */
#include "directory/directory_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/territory.h"
#include "core/utf8.h"
#include "resources/resources.h"

const struct actor_field_def actor_fields[AF_COUNT] = {
	[AF_NAME] = {"name", "nom", N_("Nom"), 200, true},
	[AF_KIND] = {"kind", "type", N_("Type d'acteur"), 40, true},
	[AF_THEMES] = {"themes", "thematiques", N_("Thématiques"), 1000, false},
	[AF_PUBLICS] = {"publics", "publics", N_("Publics accueillis"), 200,
	    false},
	[AF_DEPT] = {"departement", "departement", N_("Département"), 60,
	    true},
	[AF_COMMUNE] = {"commune", "commune", N_("Commune"), 100, false},
	[AF_ADDRESS] = {"address", "adresse", N_("Adresse"), 300, false},
	[AF_PHONE] = {"phone", "telephone", N_("Téléphone"), 40, false},
	[AF_EMAIL] = {"email", "email", N_("Adresse e-mail"), 254, false},
	[AF_WEBSITE] = {"website", "site_web", N_("Site web"), 300, false},
	[AF_HOURS] = {"hours", "horaires", N_("Horaires d'ouverture"), 500,
	    false},
	[AF_ACCESS] = {"accessibility", "accessibilite", N_("Accessibilité"),
	    500, false},
	[AF_DESCRIPTION] = {"description", "description", N_("Présentation"),
	    2000, false},
	[AF_PRO_ONLY] = {"pro_only", "reserve_pro",
	    N_("Coordonnées réservées aux professionnel·les"), 100, false},
};

const char *const actor_kinds[] = {
	"association", "aide-victimes", "police-gendarmerie", "justice",
	"sante", "education", "social", "mediation-numerique", "avocat",
	"collectivite", "autre", NULL
};

static const char *const kind_labels[] = {
	N_("Association"), N_("Aide aux victimes"),
	N_("Police ou gendarmerie"), N_("Justice et accès au droit"),
	N_("Santé"), N_("Éducation"), N_("Services sociaux"),
	N_("Médiation numérique"), N_("Avocat·e"), N_("Collectivité"),
	N_("Autre"),
};

const char *const actor_publics[] = {
	"tous", "mineurs", "femmes", "seniors", NULL
};

static const char *const public_labels[] = {
	N_("Tout public"), N_("Mineur·es"), N_("Femmes"),
	N_("Personnes âgées"),
};

/* The contact fields that can be reserved to professionals, by their
 * field index (the codes are their keys). */
const char *const actor_contacts[] = {
	"address", "phone", "email", "website", NULL
};

static const enum actor_field contact_fields[] = {
	AF_ADDRESS, AF_PHONE, AF_EMAIL, AF_WEBSITE
};

static const char *
label_of(const char *const *codes, const char *const *labels,
    const char *code)
{
	size_t i;

	for (i = 0; code != NULL && codes[i] != NULL; i++)
		if (!strcmp(codes[i], code))
			return _(labels[i]);
	return NULL;
}

const char *
actor_kind_label(const char *code)
{
	return label_of(actor_kinds, kind_labels, code);
}

const char *
actor_public_label(const char *code)
{
	return label_of(actor_publics, public_labels, code);
}

bool
directory_public_known(const char *code)
{
	return actor_public_label(code) != NULL;
}

/* --- checks --------------------------------------------------------------- */

/* The code meant by tok: a code itself, or a label whatever the case and
 * accents (in French, and in the language of the request). */
static const char *
vocab_code(const char *tok, const char *const *codes,
    const char *const *labels, json_t *themes)
{
	char *key = vg_fold_key(tok), *k2;
	const char *found = NULL;
	size_t i;
	json_t *o;

	if (key == NULL)
		return NULL;
	if (themes != NULL) {
		json_array_foreach(themes, i, o) {
			const char *code = json_string_value(json_object_get(o,
			    "code"));

			if (found != NULL)
				break;
			if (!strcmp(code, tok)) {
				found = code;
				break;
			}
			k2 = vg_fold_key(json_string_value(json_object_get(o,
			    "label")));
			if (k2 != NULL && !strcmp(k2, key))
				found = code;
			free(k2);
		}
	}
	for (i = 0; codes != NULL && codes[i] != NULL && found == NULL; i++) {
		if (!strcmp(codes[i], tok)) {
			found = codes[i];
			break;
		}
		if (labels == NULL)
			continue;
		k2 = vg_fold_key(labels[i]);
		if (k2 != NULL && !strcmp(k2, key))
			found = codes[i];
		free(k2);
		if (found == NULL && (k2 = vg_fold_key(_(labels[i]))) != NULL) {
			if (!strcmp(k2, key))
				found = codes[i];
			free(k2);
		}
	}
	free(key);
	return found;
}

static const char *const contact_labels[] = {
	N_("Adresse"), N_("Téléphone"), N_("Adresse e-mail"), N_("Site web"),
};

/* Aliases of the contact fields as a spreadsheet may name them. */
static const char *const contact_columns[] = {
	"adresse", "telephone", "email", "site_web", NULL
};

/* A list as codes separated by spaces, each once; *bad is the first
 * token that is not one.  themes: the theme vocabulary instead. */
static char *
vocab_list(vg_arena *a, const char *text, const char *const *codes,
    const char *const *labels, json_t *themes, const char **bad)
{
	vg_buf b = VG_BUF_INIT;
	const char *p = text;
	char *out;

	*bad = NULL;
	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, ",|;\r\n");
		char *tok = vg_arena_strndup(a, p, n), *end;
		const char *code;

		p += n;
		if (*p != '\0')
			p++;
		while (*tok != '\0' && isspace((unsigned char)*tok))
			tok++;
		end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*tok == '\0')
			continue;
		code = vocab_code(tok, codes, labels, themes);
		if (code == NULL && codes == actor_contacts) {
			const char *col = vocab_code(tok, contact_columns,
			    NULL, NULL);
			size_t j;

			for (j = 0; col != NULL && contact_columns[j]; j++)
				if (col == contact_columns[j])
					code = actor_contacts[j];
		}
		if (code == NULL) {
			*bad = tok;
			vg_buf_free(&b);
			return NULL;
		}
		{
			/* Each code once. */
			char pad[64];

			snprintf(pad, sizeof(pad), " %s ", code);
			if (b.data != NULL) {
				char *have = vg_arena_printf(a, " %s ",
				    b.data);

				if (strstr(have, pad) != NULL)
					continue;
			}
		}
		if (b.len > 0)
			vg_buf_putc(&b, ' ');
		vg_buf_puts(&b, code);
	}
	out = vg_arena_strdup(a, b.data ? b.data : "");
	vg_buf_free(&b);
	return out;
}

/* A French or international phone number, written the usual way:
 * "04 77 12 34 56", "+33 4 77 12 34 56", short numbers ("3018", "17")
 * as they are.  NULL when it is not a phone number.  A 9-digit number is
 * one whose leading zero a spreadsheet dropped. */
static char *
phone_norm(vg_arena *a, const char *s)
{
	char d[32];
	size_t n = 0;
	bool plus = false;

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (isdigit(c)) {
			if (n + 1 >= sizeof(d))
				return NULL;
			d[n++] = (char)c;
		} else if (c == '+' && n == 0 && !plus) {
			plus = true;
		} else if (c == ' ' || c == '.' || c == '-' || c == '(' ||
		    c == ')' || c == '/') {
			continue;
		} else if (c == 0xc2 && (unsigned char)s[1] == 0xa0) {
			s++;                    /* no-break space */
		} else {
			return NULL;
		}
	}
	d[n] = '\0';
	if (!plus && n > 4 && d[0] == '0' && d[1] == '0') {
		memmove(d, d + 2, n - 1);       /* 0033… is +33… */
		n -= 2;
		plus = true;
	}
	if (plus) {
		if (n < 8 || n > 15 || d[0] == '0')
			return NULL;
		if (n == 11 && d[0] == '3' && d[1] == '3' && d[2] != '0')
			return vg_arena_printf(a, "+33 %c %.2s %.2s %.2s %.2s",
			    d[2], d + 3, d + 5, d + 7, d + 9);
		return vg_arena_printf(a, "+%s", d);
	}
	if (n == 9 && d[0] != '0') {
		memmove(d + 1, d, n + 1);
		d[0] = '0';
		n = 10;
	}
	if (n == 10 && d[0] == '0' && d[1] != '0')
		return vg_arena_printf(a, "%.2s %.2s %.2s %.2s %.2s", d,
		    d + 2, d + 4, d + 6, d + 8);
	/* Short numbers: 15, 17, 18, 112, 3018, 116 006. */
	if ((n == 2 && (!strcmp(d, "15") || !strcmp(d, "17") ||
	    !strcmp(d, "18"))) || (n >= 3 && n <= 6 && d[0] != '0'))
		return vg_arena_strdup(a, d);
	return NULL;
}

static bool
email_ok(const char *s)
{
	const char *at = strchr(s, '@'), *p;
	size_t n = strlen(s);

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL || n > 254 ||
	    at - s > 64)
		return false;
	for (p = s; p < at; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>()[]\\,;:\"", *p))
			return false;
	p = at + 1;
	if (*p == '.' || *p == '-' || strchr(p, '.') == NULL ||
	    s[n - 1] == '.' || strstr(p, "..") != NULL)
		return false;
	for (; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' &&
		    (unsigned char)*p < 0x80)
			return false;
	return true;
}

static char *
email_norm(vg_arena *a, const char *s)
{
	char *e = vg_arena_strdup(a, s), *p;

	if (e == NULL || !email_ok(e))
		return NULL;
	for (p = strchr(e, '@'); *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return e;
}

/* A website: http(s) only, its scheme added when missing. */
static char *
website_norm(vg_arena *a, const char *s)
{
	const char *host;
	char *url;
	size_t i;

	if (!strncasecmp(s, "https://", 8) || !strncasecmp(s, "http://", 7))
		url = vg_arena_strdup(a, s);
	else if (strstr(s, "://") != NULL)
		return NULL;
	else
		url = vg_arena_printf(a, "https://%s", s);
	if (url == NULL)
		return NULL;
	for (i = 0; url[i] != '\0'; i++)
		if ((unsigned char)url[i] <= ' ' || url[i] == '"' ||
		    url[i] == '<' || url[i] == '>')
			return NULL;
	host = strstr(url, "://") + 3;
	if (*host == '\0' || *host == '/' || *host == '.' ||
	    strcspn(host, "/") == 0 || memchr(host, '.', strcspn(host, "/?#"))
	    == NULL)
		return NULL;
	return url;
}

vg_rc
actor_check(vg_arena *a, const char *const v[AF_COUNT],
    const char *out[AF_COUNT], const char **why, enum actor_field *field)
{
	const vg_dept *d;
	const char *bad;
	size_t i;

	for (i = 0; i < AF_COUNT; i++) {
		const char *s = v[i];

		out[i] = NULL;
		if (s != NULL) {
			while (isspace((unsigned char)*s))
				s++;
			if (*s == '\0')
				s = NULL;
		}
		if (s != NULL) {
			char *t = vg_arena_strdup(a, s), *e;

			if (t == NULL)
				return VG_ENOMEM;
			e = t + strlen(t);
			while (e > t && isspace((unsigned char)e[-1]))
				*--e = '\0';
			s = t;
		}
		*field = (enum actor_field)i;
		if (s == NULL && actor_fields[i].required) {
			*why = vg_arena_printf(a, _("« %s » est obligatoire."),
			    _(actor_fields[i].label));
			return VG_EINVAL;
		}
		if (s == NULL)
			continue;
		if (!vg_utf8_valid_text(s, strlen(s))) {
			*why = _("Ce texte contient des caractères invalides.");
			return VG_EINVAL;
		}
		if (vg_utf8_length(s, strlen(s)) > actor_fields[i].max) {
			*why = vg_arena_printf(a, _("« %s » est trop long (%zu "
			    "caractères au plus)."), _(actor_fields[i].label),
			    actor_fields[i].max);
			return VG_EINVAL;
		}
		out[i] = s;
	}
	*field = AF_KIND;
	if ((out[AF_KIND] = vocab_code(out[AF_KIND], actor_kinds, kind_labels,
	    NULL)) == NULL) {
		*why = vg_arena_printf(a, _("Type d'acteur inconnu « %s » : "
		    "choisissez association, aide-victimes, "
		    "police-gendarmerie, justice, sante, education, social, "
		    "mediation-numerique, avocat, collectivite ou autre."),
		    v[AF_KIND]);
		return VG_EINVAL;
	}
	*field = AF_THEMES;
	out[AF_THEMES] = vocab_list(a, out[AF_THEMES], NULL, NULL,
	    resources_themes(), &bad);
	if (out[AF_THEMES] == NULL) {
		*why = vg_arena_printf(a, _("Thématique inconnue « %s »."), bad ?
		    bad : "");
		return VG_EINVAL;
	}
	*field = AF_PUBLICS;
	out[AF_PUBLICS] = vocab_list(a, out[AF_PUBLICS], actor_publics,
	    public_labels, NULL, &bad);
	if (out[AF_PUBLICS] == NULL) {
		*why = vg_arena_printf(a, _("Public inconnu « %s » : choisissez "
		    "tous, mineurs, femmes ou seniors."), bad ? bad : "");
		return VG_EINVAL;
	}
	*field = AF_PRO_ONLY;
	out[AF_PRO_ONLY] = vocab_list(a, out[AF_PRO_ONLY], actor_contacts,
	    contact_labels, NULL, &bad);
	if (out[AF_PRO_ONLY] == NULL) {
		*why = vg_arena_printf(a, _("« %s » n'est pas une coordonnée "
		    "que l'on peut réserver : choisissez parmi adresse, "
		    "telephone, email et site_web."), bad ? bad : "");
		return VG_EINVAL;
	}
	*field = AF_DEPT;
	if ((d = vg_dept_find(out[AF_DEPT])) == NULL) {
		*why = vg_arena_printf(a, _("Département inconnu « %s » : "
		    "écrivez son numéro (42, 2A, 974) ou son nom."),
		    out[AF_DEPT]);
		return VG_EINVAL;
	}
	out[AF_DEPT] = d->code;
	*field = AF_COMMUNE;
	if (out[AF_COMMUNE] != NULL) {
		const vg_commune *c = vg_commune_find(d->code, out[AF_COMMUNE]);

		if (c == NULL) {
			*why = vg_arena_printf(a, _("Commune inconnue dans ce "
			    "département (%s) : « %s ». Écrivez son nom ou son "
			    "code INSEE."), d->name, out[AF_COMMUNE]);
			return VG_EINVAL;
		}
		out[AF_COMMUNE] = c->code;
	}
	*field = AF_PHONE;
	if (out[AF_PHONE] != NULL &&
	    (out[AF_PHONE] = phone_norm(a, out[AF_PHONE])) == NULL) {
		*why = _("Numéro de téléphone invalide : écrivez 10 chiffres "
		    "(04 77 12 34 56), un numéro court (3018) ou un numéro "
		    "international (+32 2 123 45 67).");
		return VG_EINVAL;
	}
	*field = AF_EMAIL;
	if (out[AF_EMAIL] != NULL &&
	    (out[AF_EMAIL] = email_norm(a, out[AF_EMAIL])) == NULL) {
		*why = _("Adresse e-mail invalide : elle s'écrit comme "
		    "contact@exemple.fr.");
		return VG_EINVAL;
	}
	*field = AF_WEBSITE;
	if (out[AF_WEBSITE] != NULL &&
	    (out[AF_WEBSITE] = website_norm(a, out[AF_WEBSITE])) == NULL) {
		*why = _("Adresse de site invalide : elle s'écrit comme "
		    "https://www.exemple.fr.");
		return VG_EINVAL;
	}
	return VG_OK;
}

/* --- storage -------------------------------------------------------------- */

vg_rc
actor_save(int64_t id, const char *const f[AF_COUNT], int64_t user,
    int64_t *out_id)
{
	static const char q_insert[] =
	    "INSERT INTO actors (name, kind, themes, publics, departement, "
	    "commune, address, phone, email, website, hours, accessibility, "
	    "description, pro_only, created_at, modified_at, modified_by) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?15, ?16)";
	static const char q_update[] =
	    "UPDATE actors SET name = ?1, kind = ?2, themes = ?3, "
	    "publics = ?4, departement = ?5, commune = ?6, address = ?7, "
	    "phone = ?8, email = ?9, website = ?10, hours = ?11, "
	    "accessibility = ?12, description = ?13, pro_only = ?14, "
	    "modified_at = ?15, modified_by = ?16 WHERE id = ?17";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;
	int i;

	if (db == NULL)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, id > 0 ? q_update : q_insert, &st)) !=
	    VG_OK)
		return rc;
	for (i = 0; i < AF_COUNT; i++) {
		const char *v = f[i];

		/* Lists are never NULL, only empty. */
		if (v == NULL && (i == AF_THEMES || i == AF_PUBLICS ||
		    i == AF_PRO_ONLY))
			v = "";
		if (v == NULL)
			vg_stmt_bind_null(st, i + 1);
		else
			vg_stmt_bind_text(st, i + 1, v);
	}
	vg_stmt_bind_int(st, 15, (int64_t)time(NULL));
	if (user > 0)
		vg_stmt_bind_int(st, 16, user);
	else
		vg_stmt_bind_null(st, 16);
	if (id > 0)
		vg_stmt_bind_int(st, 17, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	if (id > 0) {
		static const char q_changed[] = "SELECT changes()";
		bool row;

		if ((rc = vg_db_prepare(db, q_changed, &st)) != VG_OK)
			return rc;
		rc = vg_stmt_step(st, &row);
		if (rc == VG_OK && (!row || vg_stmt_int(st, 0) == 0))
			rc = VG_ENOTFOUND;
		vg_stmt_done(st);
		*out_id = id;
		return rc;
	}
	*out_id = vg_db_last_id(db);
	return VG_OK;
}

static bool
in_list(const char *list, const char *code)
{
	size_t n = strlen(code);
	const char *p = list;

	while (p != NULL && (p = strstr(p, code)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

static json_t *
coded_list(const char *list, const char *(*label)(const char *))
{
	json_t *arr = json_array();
	const char *p = list;

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, " ");
		char code[64];
		const char *l;

		if (n > 0 && n < sizeof(code)) {
			memcpy(code, p, n);
			code[n] = '\0';
			l = label(code);
			json_array_append_new(arr, json_pack("{s:s, s:s}",
			    "code", code, "label", l ? l : code));
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	return arr;
}

json_t *
actor_row_json(vg_stmt *st, bool pro)
{
	const char *pro_only = vg_stmt_text(st, 14);
	const vg_dept *d = vg_dept_get(vg_stmt_text(st, 5));
	const vg_commune *c = vg_stmt_is_null(st, 6) ? NULL :
	    vg_commune_get(vg_stmt_text(st, 6));
	json_t *o, *hidden = json_array(), *reserved = json_array();
	char url[48];
	size_t i;
	int col;

	snprintf(url, sizeof(url), "/acteurs/%lld",
	    (long long)vg_stmt_int(st, 0));
	o = json_pack("{s:I, s:s, s:s, s:s?, s:o, s:o, s:s, s:s?, s:s?, "
	    "s:s?, s:s}",
	    "id", (json_int_t)vg_stmt_int(st, 0),
	    "name", vg_stmt_text(st, 1),
	    "kind", vg_stmt_text(st, 2),
	    "kind_label", actor_kind_label(vg_stmt_text(st, 2)),
	    "themes", coded_list(vg_stmt_text(st, 3), resources_theme_label),
	    "publics", coded_list(vg_stmt_text(st, 4), actor_public_label),
	    "departement", vg_stmt_text(st, 5),
	    "departement_name", d ? d->name : NULL,
	    "commune", vg_stmt_is_null(st, 6) ? NULL : vg_stmt_text(st, 6),
	    "commune_name", c ? c->name : NULL,
	    "url", url);
	if (o == NULL) {
		json_decref(hidden);
		json_decref(reserved);
		return NULL;
	}
	for (col = 7; col <= 13; col++) {
		enum actor_field f = (enum actor_field)(col - 7 + AF_ADDRESS);
		bool contact = f <= AF_WEBSITE;
		bool is_reserved = contact && in_list(pro_only,
		    actor_fields[f].key);

		if (vg_stmt_is_null(st, col))
			continue;
		if (is_reserved)
			json_array_append_new(reserved,
			    json_string(actor_fields[f].key));
		if (is_reserved && !pro) {
			json_array_append_new(hidden,
			    json_string(actor_fields[f].key));
			continue;
		}
		json_object_set_new(o, actor_fields[f].key,
		    json_string(vg_stmt_text(st, col)));
	}
	if (pro) {
		json_t *flags = json_object();

		for (i = 0; i < VG_ARRAY_LEN(contact_fields); i++)
			json_object_set_new(flags, actor_fields[
			    contact_fields[i]].key, json_boolean(in_list(
			    pro_only, actor_fields[contact_fields[i]].key)));
		json_object_set_new(o, "pro_only", reserved);
		json_object_set_new(o, "reserved", flags);
	} else {
		json_decref(reserved);
	}
	json_object_set_new(o, "restricted", json_boolean(
	    json_array_size(hidden) > 0));
	json_decref(hidden);
	if (!vg_stmt_is_null(st, 8) && (!in_list(pro_only, "phone") || pro)) {
		/* tel: link, digits only. */
		const char *p = vg_stmt_text(st, 8);
		char tel[24];
		size_t n = 0;

		for (; *p != '\0' && n + 1 < sizeof(tel); p++)
			if (isdigit((unsigned char)*p) || *p == '+')
				tel[n++] = *p;
		tel[n] = '\0';
		json_object_set_new(o, "phone_link", json_string(tel));
	}
	return o;
}

vg_rc
directory_nearby(const char *dept, const char *const *themes,
    const char *public_code, vg_role role, size_t limit, json_t **out)
{
	static const char q[] = "SELECT " ACTOR_COLUMNS " FROM actors "
	    "WHERE departement = ? ORDER BY name";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *fit = json_array(), *other = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || fit == NULL || other == NULL) {
		json_decref(fit);
		json_decref(other);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK) {
		json_decref(fit);
		json_decref(other);
		return rc;
	}
	vg_stmt_bind_text(st, 1, dept);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		const char *t = vg_stmt_text(st, 3), *p = vg_stmt_text(st, 4);
		bool theme_fit = themes == NULL || themes[0] == NULL;
		size_t i;

		if (public_code != NULL && *p != '\0' &&
		    !in_list(p, public_code) && !in_list(p, "tous"))
			continue;
		for (i = 0; themes != NULL && themes[i] != NULL; i++)
			if (in_list(t, themes[i]))
				theme_fit = true;
		json_array_append_new(theme_fit ? fit : other,
		    actor_row_json(st, role >= VG_ROLE_PROFESSIONAL));
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(fit);
		json_decref(other);
		return rc;
	}
	json_array_extend(fit, other);
	json_decref(other);
	while (json_array_size(fit) > limit)
		json_array_remove(fit, json_array_size(fit) - 1);
	*out = fit;
	return VG_OK;
}
