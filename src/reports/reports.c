/*
 * reports.c — the reporting area's content, checks and storage.
 */
#include "reports/reports.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/when.h"
#include "core/yaml.h"
#include "db/db.h"
#include "db/sealed.h"
#include "reports/reports_int.h"

static json_t *doc;             /* content/reports.yaml */

/* Crockford's base 32: no I, L, O or U to misread. */
static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static const char *
str(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) && *json_string_value(v) ?
	    json_string_value(v) : NULL;
}

static bool
valid_value(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n > 40)
		return false;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) &&
		    !isdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

/* A list of {valeur, libelle} with unique valid values. */
static vg_rc
check_choices(const char *path, const char *key, char *err, size_t errlen)
{
	json_t *list = json_object_get(doc, key), *c;
	size_t i, j;

	if (!json_is_array(list) || json_array_size(list) == 0)
		return vg_yaml_fail(err, errlen, path, doc, _("une liste « %s » est "
		    "attendue"), key);
	json_array_foreach(list, i, c) {
		if (!valid_value(str(c, "valeur")) || str(c, "libelle") == NULL)
			return vg_yaml_fail(err, errlen, path, c, "%s", _("chaque choix a "
			    "une « valeur » (minuscules, chiffres, tirets) et "
			    "un « libelle »"));
		for (j = 0; j < i; j++)
			if (!strcmp(str(json_array_get(list, j), "valeur"),
			    str(c, "valeur")))
				return vg_yaml_fail(err, errlen, path, c, _("la valeur "
				    "« %s » est en double"), str(c, "valeur"));
	}
	return VG_OK;
}

vg_rc
reports_content_load(const char *share, char *err, size_t errlen)
{
	char path[1200];
	json_t *c, *d;
	size_t i, j;
	vg_rc rc;

	reports_content_free();
	snprintf(path, sizeof(path), "%s/content/reports.yaml", share);
	if ((rc = vg_yaml_load_file_ex(path, VG_YAML_LINES, &doc, err,
	    errlen)) != VG_OK)
		return rc;
	if (!json_is_object(doc)) {
		rc = vg_yaml_fail(err, errlen, path, NULL, "%s", _("le fichier doit "
		    "contenir « categories », « relations » et "
		    "« plateformes »"));
		goto fail;
	}
	if ((rc = check_choices(path, "categories", err, errlen)) != VG_OK ||
	    (rc = check_choices(path, "relations", err, errlen)) != VG_OK ||
	    (rc = check_choices(path, "qualifications", err, errlen)) != VG_OK)
		goto fail;
	json_array_foreach(json_object_get(doc, "categories"), i, c) {
		json_t *p = json_object_get(c, "priorite");

		if (!json_is_integer(p) || json_integer_value(p) < 1 ||
		    json_integer_value(p) > 5) {
			rc = vg_yaml_fail(err, errlen, path, c, _("la catégorie « %s » "
			    "doit avoir une « priorite » de 1 à 5"),
			    str(c, "valeur"));
			goto fail;
		}
	}
	json_array_foreach(json_object_get(doc, "plateformes"), i, c) {
		const char *contact = str(c, "contact");

		if (str(c, "nom") == NULL ||
		    !json_is_array(json_object_get(c, "domaines")) ||
		    (contact != NULL && (strchr(contact, '@') == NULL ||
		    strpbrk(contact, " <>,;\"\r\n") != NULL))) {
			rc = vg_yaml_fail(err, errlen, path, c, "%s", _("chaque plateforme "
			    "a un « nom », une liste « domaines », et, si elle "
			    "est donnée, une adresse « contact » valide"));
			goto fail;
		}
		json_array_foreach(json_object_get(c, "domaines"), j, d)
			if (!json_is_string(d) || strchr(json_string_value(d),
			    '.') == NULL) {
				rc = vg_yaml_fail(err, errlen, path, c, _("domaine invalide "
				    "pour « %s »"), str(c, "nom"));
				goto fail;
			}
	}
	return VG_OK;
fail:
	reports_content_free();
	return rc;
}

void
reports_content_free(void)
{
	json_decref(doc);
	doc = NULL;
}

json_t *
reports_categories(void)
{
	return json_object_get(doc, "categories");
}

json_t *
reports_relations(void)
{
	return json_object_get(doc, "relations");
}

json_t *
reports_qualifications(void)
{
	return json_object_get(doc, "qualifications");
}

json_t *
reports_find(const char *list, const char *value)
{
	size_t i;
	json_t *c;

	if (value == NULL)
		return NULL;
	json_array_foreach(json_object_get(doc, list), i, c)
		if (!strcmp(str(c, "valeur"), value))
			return c;
	return NULL;
}

const char *
reports_platform_contact(const char *platform)
{
	size_t i;
	json_t *p;

	if (platform == NULL)
		return NULL;
	json_array_foreach(json_object_get(doc, "plateformes"), i, p)
		if (!strcmp(str(p, "nom"), platform))
			return str(p, "contact");
	return NULL;
}

const char *
reports_platform_of(const char *host)
{
	size_t i, j, hn = strlen(host), dn;
	json_t *p, *d;

	json_array_foreach(json_object_get(doc, "plateformes"), i, p)
		json_array_foreach(json_object_get(p, "domaines"), j, d) {
			const char *dom = json_string_value(d);

			dn = strlen(dom);
			/* The domain itself, or a subdomain: a dot must come
			 * right before the match. */
			if (hn >= dn && !strcmp(host + hn - dn, dom) &&
			    (hn == dn || host[hn - dn - 1] == '.'))
				return str(p, "nom");
		}
	return NULL;
}

vg_rc
reports_check_url(const char *url, char *host, size_t hostlen,
    const char **why)
{
	const char *p, *end, *at;
	size_t n = strlen(url), i;

	*why = _("Cette adresse n'est pas valide. Copiez-la depuis la barre "
	    "d'adresse : elle commence par https:// ou http://.");
	if (n > 2048 || !vg_utf8_valid_text(url, n))
		return VG_EINVAL;
	for (i = 0; i < n; i++)
		if (isspace((unsigned char)url[i]))
			return VG_EINVAL;
	if (!strncasecmp(url, "https://", 8))
		p = url + 8;
	else if (!strncasecmp(url, "http://", 7))
		p = url + 7;
	else
		return VG_EINVAL;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	if (at != NULL)
		p = at + 1;             /* drop user info */
	if (*p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));

		if (close == NULL)
			return VG_EINVAL;
		end = close + 1;
	} else {
		const char *colon = memchr(p, ':', (size_t)(end - p));

		if (colon != NULL)
			end = colon;
	}
	if (end == p || (size_t)(end - p) >= hostlen)
		return VG_EINVAL;
	for (i = 0; i < (size_t)(end - p); i++) {
		unsigned char c = (unsigned char)p[i];

		if (!(isalnum(c) || c == '.' || c == '-' || c == '[' ||
		    c == ']' || c == ':' || c >= 0x80))
			return VG_EINVAL;
		host[i] = (char)tolower(c);
	}
	host[i] = '\0';
	if (strchr(host, '.') == NULL && host[0] != '[')
		return VG_EINVAL;
	*why = NULL;
	return VG_OK;
}

char *
reports_canonical(const char *url, const char *host)
{
	const char *p = strstr(url, "://"), *path;
	size_t n;
	char *out, *q;

	/* After the host (and any port or user info): the path. */
	p = p ? p + 3 : url;
	path = p + strcspn(p, "/?#");
	n = strcspn(path, "?#");
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 1 && path[0] == '/')
		n = 0;
	if ((out = malloc(strlen(host) + n + 1)) == NULL)
		return NULL;
	strcpy(out, host);
	q = out + strlen(host);
	memcpy(q, path, n);
	q[n] = '\0';
	/* "www." is the same site. */
	if (!strncmp(out, "www.", 4))
		memmove(out, out + 4, strlen(out + 4) + 1);
	for (q = out; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	return out;
}

void
reports_receipt(const vg_keys *keys, const char *submission, char out[15])
{
	char msg[128];
	unsigned char h[VG_HASH_BYTES];
	uint64_t bits = 0;
	int i, o = 0;

	snprintf(msg, sizeof(msg), "receipt:%s", submission);
	vg_hash(keys->state, msg, strlen(msg), h);
	for (i = 0; i < 8; i++)
		bits = bits << 8 | h[i];
	/* 60 bits in 12 characters, by groups of four. */
	for (i = 0; i < 12; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = b32[(bits >> (59 - 5 * i)) & 31];
	}
	out[o] = '\0';
}

bool
reports_receipt_normalise(const char *in, char out[13])
{
	int n = 0;

	for (; *in != '\0'; in++) {
		char c = (char)toupper((unsigned char)*in);

		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (strchr(b32, c) == NULL || c == '\0' || n == 12)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == 12;
}

/* The lookup key of a normalised code: the code itself is never stored. */
void
reports_receipt_hash(const vg_keys *keys, const char *code,
    char out[VG_TOKEN_CHARS + 1])
{
	char msg[64];

	snprintf(msg, sizeof(msg), "lookup:%s", code);
	vg_hash_text(keys->state, msg, strlen(msg), out);
}

static vg_rc
submission_known(vg_db *db, const char *sub_hash, bool *known)
{
	static const char q[] = "SELECT 1 FROM reports "
	    "WHERE submission_hash = ?";
	vg_stmt *st;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, sub_hash);
	rc = vg_stmt_step(st, known);
	vg_stmt_done(st);
	if (rc == VG_OK && !*known)
		rc = VG_ECONFLICT;
	return rc;
}

vg_rc
reports_submit(const vg_keys *keys, const struct report_input *in,
    bool *duplicate)
{
	static const char q_add[] =
	    "INSERT INTO reports (submission_hash, receipt_hash, category, "
	    "priority, seen_where, description, seen_on, minor, relation, "
	    "contact, contact_safe, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char q_url[] =
	    "INSERT INTO report_urls (report_id, position, url, host, platform, "
	    "canonical) VALUES (?, ?, ?, ?, ?, ?)";
	static const char q_event[] =
	    "INSERT INTO report_events (report_id, at, kind) "
	    "VALUES (?, ?, 'created')";
	char sub_hash[VG_TOKEN_CHARS + 1], rec_hash[VG_TOKEN_CHARS + 1];
	char code[15], norm[13];
	int64_t now = (int64_t)time(NULL), id;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *cat = reports_find("categories", in->category);
	char *canon;
	int i;
	vg_rc rc;

	*duplicate = false;
	if (db == NULL)
		return VG_EDB;
	vg_hash_text(keys->state, in->submission, strlen(in->submission),
	    sub_hash);
	reports_receipt(keys, in->submission, code);
	reports_receipt_normalise(code, norm);
	reports_receipt_hash(keys, norm, rec_hash);
	if ((rc = vg_db_begin(db)) != VG_OK)
		return rc;
	if ((rc = vg_db_prepare(db, q_add, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_text(st, 1, sub_hash);
	vg_stmt_bind_text(st, 2, rec_hash);
	vg_stmt_bind_text(st, 3, in->category);
	vg_stmt_bind_int(st, 4, json_integer_value(json_object_get(cat,
	    "priorite")));
	if ((rc = vg_stmt_bind_sealed(st, 5, keys, in->seen_where)) ==
	    VG_OK && (rc = vg_stmt_bind_sealed(st, 6, keys,
	    in->description)) == VG_OK && (rc = vg_stmt_bind_sealed(st, 10,
	    keys, in->contact)) == VG_OK)
		rc = vg_stmt_bind_sealed(st, 11, keys, in->contact_safe);
	vg_stmt_bind_text(st, 7, in->seen_on);
	vg_stmt_bind_text(st, 8, in->minor);
	vg_stmt_bind_text(st, 9, in->relation);
	vg_stmt_bind_int(st, 12, now);
	vg_stmt_bind_int(st, 13, now);
	if (rc == VG_OK)
		rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc == VG_ECONFLICT) {
		/* The same form again: the report exists, same code.  Any
		 * other conflict (two forms with one code: 1 in 2^60) is an
		 * error, never someone else's code. */
		vg_db_rollback(db);
		return submission_known(db, sub_hash, duplicate);
	}
	if (rc != VG_OK)
		goto fail;
	id = vg_db_last_id(db);
	for (i = 0; i < in->nurls; i++) {
		if ((rc = vg_db_prepare(db, q_url, &st)) != VG_OK)
			goto fail;
		vg_stmt_bind_int(st, 1, id);
		vg_stmt_bind_int(st, 2, i);
		vg_stmt_bind_text(st, 3, in->urls[i]);
		vg_stmt_bind_text(st, 4, in->hosts[i]);
		vg_stmt_bind_text(st, 5, reports_platform_of(in->hosts[i]));
		canon = reports_canonical(in->urls[i], in->hosts[i]);
		vg_stmt_bind_text(st, 6, canon);
		free(canon);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
		if (rc != VG_OK)
			goto fail;
	}
	if ((rc = vg_db_prepare(db, q_event, &st)) != VG_OK)
		goto fail;
	vg_stmt_bind_int(st, 1, id);
	vg_stmt_bind_int(st, 2, now);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc != VG_OK)
		goto fail;
	/* synchronous=FULL: once COMMIT returns, the report survives a
	 * crash or a power cut; only then is it acknowledged. */
	if ((rc = vg_db_commit(db)) != VG_OK)
		goto fail;
	return VG_OK;
fail:
	vg_db_rollback(db);
	return rc;
}

vg_rc
reports_follow(const vg_keys *keys, const char *code, json_t **out)
{
	static const char q[] = "SELECT status, updated_at, outcome "
	    "FROM reports WHERE receipt_hash = ?";
	char h[VG_TOKEN_CHARS + 1];
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL)
		return VG_EDB;
	/* The same work for a good and a wrong code. */
	reports_receipt_hash(keys, code, h);
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_text(st, 1, h);
	rc = vg_stmt_step(st, &row);
	if (rc == VG_OK && row) {
		char day[32];

		vg_time_text(vg_stmt_int(st, 1), "%Y-%m-%d", day, sizeof(day));
		*out = json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "status",
		    vg_stmt_text(st, 0), "status_label",
		    reports_status_label(vg_stmt_text(st, 0)), "updated_at",
		    day, "outcome", vg_stmt_text(st, 2), "outcome_label",
		    vg_stmt_is_null(st, 2) ? NULL :
		    reports_outcome_label(vg_stmt_text(st, 2)));
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	return *out ? VG_OK : VG_ENOTFOUND;
}

const char *
reports_status_label(const char *s)
{
	if (s == NULL)
		return "";
	if (!strcmp(s, "nouveau"))
		return _("Reçu : il sera examiné par un·e analyste");
	if (!strcmp(s, "en-examen"))
		return _("En cours d'examen");
	if (!strcmp(s, "qualifie"))
		return _("Examiné : des démarches sont en cours");
	if (!strcmp(s, "clos"))
		return _("Traité");
	return s;
}

const char *
reports_outcome_label(const char *s)
{
	if (!strcmp(s, "retire"))
		return _("Le contenu a été retiré");
	if (!strcmp(s, "refuse"))
		return _("L'hébergeur a refusé de retirer le contenu");
	if (!strcmp(s, "sans-reponse"))
		return _("L'hébergeur n'a pas répondu");
	if (!strcmp(s, "hors-champ"))
		return _("Ce contenu ne relève pas de nos missions");
	return s;
}

vg_rc
reports_audit_append(int64_t actor, const char *action, int64_t subject_id,
    const char *detail)
{
	return audit_append(actor, action, subject_id, detail);
}
