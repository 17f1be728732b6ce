/*
 * store.c — the working group's storage: members, cases, contributions,
 * attachments, follows, and who may read what (see workgroup_int.h).
 *
 * Each function that reads a case takes the write lock (vg_db_begin) so
 * that the access check, the reading and its audit entry are one
 * transaction: a reading is never left unrecorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "db/db.h"
#include "db/sealed.h"
#include "reports/reports.h"
#include "workgroup/workgroup_int.h"

/* --- vocabularies ------------------------------------------------------- */

struct vocab {
	const char *code, *label;
};

static const struct vocab kinds[] = {
	{"harcelement", N_("Cyberharcèlement")},
	{"intime", N_("Diffusion de contenus intimes")},
	{"sextorsion", N_("Sextorsion, chantage")},
	{"surveillance", N_("Surveillance, contrôle, logiciel espion")},
	{"usurpation", N_("Usurpation d'identité")},
	{"menaces", N_("Menaces, injures")},
	{"haine", N_("Haine en ligne, discrimination")},
	{"mineurs", N_("Violences visant des mineur·es")},
	{"autre", N_("Autre")},
};

static const struct vocab professions[] = {
	{"sante", N_("Santé")},
	{"social", N_("Travail social")},
	{"justice", N_("Justice, police, gendarmerie")},
	{"education", N_("Éducation")},
	{"mediation", N_("Médiation numérique")},
	{"association", N_("Association d'aide aux victimes")},
};

static const struct vocab statuses[] = {
	{"open", N_("Ouvert")},
	{"followed", N_("Suivi")},
	{"closed", N_("Clos")},
};

static json_t *
vocab_list(const struct vocab *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "code",
		    v[i].code, "label", _(v[i].label)));
	return a;
}

static const char *
vocab_label(const struct vocab *v, size_t n, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < n; i++)
		if (strcmp(v[i].code, code) == 0)
			return _(v[i].label);
	return NULL;
}

json_t *
wg_kind_list(void)
{
	return vocab_list(kinds, VG_ARRAY_LEN(kinds));
}

json_t *
wg_profession_list(void)
{
	return vocab_list(professions, VG_ARRAY_LEN(professions));
}

json_t *
wg_status_list(void)
{
	return vocab_list(statuses, VG_ARRAY_LEN(statuses));
}

const char *
wg_kind_label(const char *code)
{
	return vocab_label(kinds, VG_ARRAY_LEN(kinds), code);
}

const char *
wg_profession_label(const char *code)
{
	return vocab_label(professions, VG_ARRAY_LEN(professions), code);
}

const char *
wg_status_label(const char *code)
{
	return vocab_label(statuses, VG_ARRAY_LEN(statuses), code);
}

/* [{code, label}] of the codes in a space-separated list. */
static json_t *
codes_json(const char *list, const char *(*label)(const char *))
{
	json_t *a = json_array();
	char *copy = strdup(list ? list : ""), *save = NULL, *w;

	if (a == NULL || copy == NULL) {
		free(copy);
		return a;
	}
	for (w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		const char *l = label(w);

		json_array_append_new(a, json_pack("{s:s, s:s}", "code", w,
		    "label", l ? l : w));
	}
	free(copy);
	return a;
}

/* --- attachments' types ------------------------------------------------- */

const char *
wg_sniff(const unsigned char *p, size_t n)
{
	static const char odt[] = "mimetypeapplication/vnd.oasis."
	    "opendocument.text";
	size_t i;

	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	/* An OpenDocument file starts with its uncompressed "mimetype". */
	if (n >= 30 + sizeof(odt) - 1 && memcmp(p, "PK\x03\x04", 4) == 0 &&
	    memcmp(p + 30, odt, sizeof(odt) - 1) == 0)
		return "application/vnd.oasis.opendocument.text";
	/* Plain text: UTF-8 with no control characters but tabs and line
	 * ends (a binary file claiming to be text is refused). */
	if (n == 0 || !vg_utf8_valid_text((const char *)p, n))
		return NULL;
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r')
			return NULL;
	return "text/plain";
}

/* --- helpers ----------------------------------------------------------- */

/* Run sql with one or two integer parameters (b is bound only when the
 * statement has a second one). */
static vg_rc
exec1(vg_db *db, const char *sql, int64_t a, int64_t b)
{
	const char *q = strchr(sql, '?');
	vg_stmt *st;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, sql, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, a);
	if (q != NULL && strchr(q + 1, '?') != NULL)
		vg_stmt_bind_int(st, 2, b);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

bool
wg_member_in(vg_db *db, int64_t user)
{
	vg_stmt *st;
	bool row = false;

	if (vg_db_prepare(db, "SELECT 1 FROM wg_members WHERE user_id = ?",
	    &st) != VG_OK)
		return false;
	vg_stmt_bind_int(st, 1, user);
	if (vg_stmt_step(st, &row) != VG_OK)
		row = false;
	vg_stmt_done(st);
	return row;
}

bool
wg_is_member(int64_t user)
{
	vg_db *db = vg_db_thread();

	return db != NULL && wg_member_in(db, user);
}

/* Whether user may read case id: VG_OK, or VG_ENOTFOUND for a case that
 * does not exist as much as for one they may not see. */
vg_rc
wg_can_read(vg_db *db, int64_t user, int64_t id)
{
	static const char q[] =
	    "SELECT 1 FROM wg_cases c JOIN wg_members m ON m.user_id = ? "
	    "WHERE c.id = ? AND (c.restricted = 0 OR EXISTS (SELECT 1 FROM "
	    "wg_case_access a WHERE a.case_id = c.id AND a.user_id = ?))";
	vg_stmt *st;
	bool row = false;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, user);
	vg_stmt_bind_int(st, 2, id);
	vg_stmt_bind_int(st, 3, user);
	rc = vg_stmt_step(st, &row);
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	return row ? VG_OK : VG_ENOTFOUND;
}

/* --- membership --------------------------------------------------------- */

vg_rc
wg_member_add(int64_t actor, const char *email, int64_t *user)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row = false;
	vg_rc rc;

	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, "SELECT id FROM users WHERE email = "
	    "lower(?) AND status = 'active'", &st)) == VG_OK) {
		vg_stmt_bind_text(st, 1, email);
		if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
			*user = vg_stmt_int(st, 0);
		vg_stmt_done(st);
	}
	if (rc == VG_OK && !row)
		rc = VG_ENOTFOUND;
	if (rc == VG_OK && wg_member_in(db, *user))
		rc = VG_ECONFLICT;
	if (rc == VG_OK && (rc = vg_db_prepare(db, "INSERT INTO wg_members "
	    "(user_id, added_at, added_by) VALUES (?, strftime('%s', 'now'), "
	    "?)", &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, *user);
		vg_stmt_bind_int(st, 2, actor);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	if (rc == VG_OK) {
		char detail[32];

		snprintf(detail, sizeof(detail), "%lld", (long long)*user);
		rc = reports_audit_append(actor, "wg-member-add", 0, detail);
	}
	return vg_db_end(db, rc);
}

vg_rc
wg_member_remove(int64_t actor, int64_t user)
{
	vg_db *db = vg_db_thread();
	char detail[32];
	vg_rc rc = VG_OK;

	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if (!wg_member_in(db, user))
		rc = VG_ENOTFOUND;
	/* Named access and follows go with the membership: rejoining later
	 * gives back no restricted case. */
	if (rc == VG_OK)
		rc = exec1(db, "DELETE FROM wg_case_access WHERE user_id = ?",
		    user, 0);
	if (rc == VG_OK)
		rc = exec1(db, "DELETE FROM wg_follows WHERE user_id = ?", user,
		    0);
	if (rc == VG_OK)
		rc = exec1(db, "DELETE FROM wg_notifications WHERE user_id = ?",
		    user, 0);
	if (rc == VG_OK)
		rc = exec1(db, "DELETE FROM wg_members WHERE user_id = ?", user,
		    0);
	snprintf(detail, sizeof(detail), "%lld", (long long)user);
	if (rc == VG_OK)
		rc = reports_audit_append(actor, "wg-member-remove", 0, detail);
	return vg_db_end(db, rc);
}

vg_rc
wg_members(json_t **out)
{
	static const char q[] =
	    "SELECT u.id, u.name, u.email, coalesce(u.organisation, ''), "
	    "coalesce(u.profession, '') FROM wg_members m JOIN users u ON "
	    "u.id = m.user_id ORDER BY u.name COLLATE NOCASE, u.id";
	vg_stmt *st;
	json_t *a = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (a == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_prepare(vg_db_thread(), q, &st)) != VG_OK) {
		json_decref(a);
		return rc;
	}
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:s}",
		    "id", (json_int_t)vg_stmt_int(st, 0),
		    "name", vg_stmt_text(st, 1), "email", vg_stmt_text(st, 2),
		    "organisation", vg_stmt_text(st, 3),
		    "profession", vg_stmt_text(st, 4)));
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return VG_OK;
}

/* --- cases -------------------------------------------------------------- */

/* Whether every word of list is a code of v (and there is at least one). */
static bool
codes_ok(const char *list, const char *(*label)(const char *))
{
	char *copy, *save = NULL, *w;
	bool ok = true, any = false;

	if (list == NULL || (copy = strdup(list)) == NULL)
		return false;
	for (w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		any = true;
		if (label(w) == NULL)
			ok = false;
	}
	free(copy);
	return ok && any;
}

vg_rc
wg_case_check(const struct wg_case_input *in, const char **why,
    const char **field)
{
	*why = NULL;
	*field = NULL;
	if (in->title == NULL || *in->title == '\0') {
		*why = _("Donnez un titre au cas, sans nom ni détail qui "
		    "permettrait de reconnaître la personne.");
		*field = "title";
	} else if (in->summary == NULL || *in->summary == '\0') {
		*why = _("Résumez le cas, en le pseudonymisant.");
		*field = "summary";
	} else if (!codes_ok(in->kinds, wg_kind_label)) {
		*why = _("Choisissez au moins un type de violence dans la "
		    "liste.");
		*field = "kinds";
	} else if (!codes_ok(in->professions, wg_profession_label)) {
		*why = _("Choisissez au moins une profession concernée dans "
		    "la liste.");
		*field = "professions";
	} else if (in->nnamed > WG_NAMED_MAX) {
		*why = _("Trop de membres nommés sur ce cas.");
		*field = "named";
	}
	return *why == NULL ? VG_OK : VG_EINVAL;
}

vg_rc
wg_case_create(const vg_keys *k, int64_t actor,
    const struct wg_case_input *in, int64_t now, int64_t *id,
    const char **why)
{
	static const char q_add[] =
	    "INSERT INTO wg_cases (title, summary, kinds, departement, "
	    "professions, status, restricted, confirmed, author_id, "
	    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, "
	    "?, ?)";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	size_t i;
	vg_rc rc;

	*why = NULL;
	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if (!wg_member_in(db, actor))
		return vg_db_end(db, VG_ENOTFOUND);
	for (i = 0; in->restricted && i < in->nnamed; i++)
		if (!wg_member_in(db, in->named[i])) {
			*why = _("Une des personnes nommées ne fait pas partie "
			    "du groupe.");
			return vg_db_end(db, VG_EINVAL);
		}
	if ((rc = vg_db_prepare(db, q_add, &st)) != VG_OK)
		return vg_db_end(db, rc);
	if ((rc = vg_stmt_bind_sealed(st, 1, k, in->title)) == VG_OK &&
	    (rc = vg_stmt_bind_sealed(st, 2, k, in->summary)) == VG_OK) {
		vg_stmt_bind_text(st, 3, in->kinds);
		vg_stmt_bind_text(st, 4, in->departement);
		vg_stmt_bind_text(st, 5, in->professions);
		vg_stmt_bind_int(st, 6, in->restricted);
		vg_stmt_bind_int(st, 7, in->confirmed);
		vg_stmt_bind_int(st, 8, actor);
		vg_stmt_bind_int(st, 9, now);
		vg_stmt_bind_int(st, 10, now);
		rc = vg_stmt_exec(st);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return vg_db_end(db, rc);
	*id = vg_db_last_id(db);
	rc = exec1(db, "INSERT INTO wg_case_access (case_id, user_id) VALUES "
	    "(?, ?)", *id, actor);
	for (i = 0; rc == VG_OK && in->restricted && i < in->nnamed; i++)
		if (in->named[i] != actor)
			rc = exec1(db, "INSERT OR IGNORE INTO wg_case_access "
			    "(case_id, user_id) VALUES (?, ?)", *id,
			    in->named[i]);
	if (rc == VG_OK)
		rc = exec1(db, "INSERT INTO wg_follows (case_id, user_id) "
		    "VALUES (?, ?)", *id, actor);
	if (rc == VG_OK)
		rc = reports_audit_append(actor, "wg-case-create", *id,
		    in->confirmed ? "confirmed" : NULL);
	return vg_db_end(db, rc);
}

vg_rc
wg_case_list(const vg_keys *k, int64_t user, json_t **out)
{
	static const char q[] =
	    "SELECT c.id, c.title, c.kinds, c.departement, c.status, "
	    "c.restricted, c.updated_at, (SELECT count(*) FROM "
	    "wg_contributions WHERE case_id = c.id) FROM wg_cases c "
	    "WHERE EXISTS (SELECT 1 FROM wg_members WHERE user_id = ?) AND "
	    "(c.restricted = 0 OR EXISTS (SELECT 1 FROM wg_case_access a "
	    "WHERE a.case_id = c.id AND a.user_id = ?)) "
	    "ORDER BY c.updated_at DESC, c.id DESC";
	vg_stmt *st;
	json_t *a = json_array();
	bool row;
	vg_rc rc;

	*out = NULL;
	if (a == NULL)
		return VG_ENOMEM;
	if ((rc = vg_db_prepare(vg_db_thread(), q, &st)) != VG_OK) {
		json_decref(a);
		return rc;
	}
	vg_stmt_bind_int(st, 1, user);
	vg_stmt_bind_int(st, 2, user);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char *title = vg_stmt_unsealed(st, 1, k);
		const char *status = vg_stmt_text(st, 4);

		json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:s?, "
		    "s:s, s:s, s:b, s:I, s:I}",
		    "id", (json_int_t)vg_stmt_int(st, 0),
		    "title", title ? title : "",
		    "kinds", codes_json(vg_stmt_text(st, 2), wg_kind_label),
		    "departement", vg_stmt_text(st, 3),
		    "status", status, "status_label", wg_status_label(status),
		    "restricted", (int)vg_stmt_int(st, 5),
		    "updated_at", (json_int_t)vg_stmt_int(st, 6),
		    "contributions", (json_int_t)vg_stmt_int(st, 7)));
		free(title);
	}
	vg_stmt_done(st);
	if (rc != VG_OK) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return VG_OK;
}

/* The attachments of one contribution: [{id, name, type, size}]. */
static vg_rc
attachments_of(vg_db *db, const vg_keys *k, int64_t contribution,
    json_t **out)
{
	vg_stmt *st;
	json_t *a = json_array();
	bool row;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, "SELECT id, name, type, size FROM "
	    "wg_attachments WHERE contribution_id = ? ORDER BY id", &st)) !=
	    VG_OK) {
		json_decref(a);
		return rc;
	}
	vg_stmt_bind_int(st, 1, contribution);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char *name = vg_stmt_unsealed(st, 1, k);
		int64_t size = vg_stmt_int(st, 3);

		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:I, "
		    "s:s}", "id", (json_int_t)vg_stmt_int(st, 0),
		    "name", name ? name : "", "type", vg_stmt_text(st, 2),
		    "size", (json_int_t)size, "size_label",
		    size >= 1024 * 1024 ? "Mo" : "ko"));
		json_object_set_new(json_array_get(a, json_array_size(a) - 1),
		    "size_value", json_integer(size >= 1024 * 1024 ?
		    (size + 512 * 1024) / (1024 * 1024) : (size + 1023) /
		    1024));
		free(name);
	}
	vg_stmt_done(st);
	*out = a;
	return rc;
}

static vg_rc
contributions_of(vg_db *db, const vg_keys *k, int64_t id, json_t **out)
{
	static const char q[] =
	    "SELECT c.id, c.body, c.created_at, c.confirmed, "
	    "coalesce(u.name, '') FROM wg_contributions c LEFT JOIN users u "
	    "ON u.id = c.author_id WHERE c.case_id = ? ORDER BY c.id";
	vg_stmt *st;
	json_t *a = json_array();
	bool row;
	vg_rc rc;

	*out = a;
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char *body = vg_stmt_unsealed(st, 1, k);

		json_array_append_new(a, json_pack("{s:I, s:s, s:I, s:b, "
		    "s:s}", "id", (json_int_t)vg_stmt_int(st, 0),
		    "body", body ? body : "",
		    "created_at", (json_int_t)vg_stmt_int(st, 2),
		    "confirmed", (int)vg_stmt_int(st, 3),
		    "author", vg_stmt_text(st, 4)));
		free(body);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return rc;
	/* Attachments once the statement above is given back. */
	for (size_t i = 0; rc == VG_OK && i < json_array_size(a); i++) {
		json_t *c = json_array_get(a, i), *files = NULL;

		rc = attachments_of(db, k, json_integer_value(
		    json_object_get(c, "id")), &files);
		json_object_set_new(c, "attachments", files);
	}
	return rc;
}

vg_rc
wg_case_get(const vg_keys *k, int64_t user, int64_t id, json_t **out)
{
	static const char q[] =
	    "SELECT c.title, c.summary, c.kinds, c.departement, "
	    "c.professions, c.status, c.restricted, c.confirmed, "
	    "c.created_at, c.updated_at, coalesce(u.name, ''), "
	    "EXISTS (SELECT 1 FROM wg_follows WHERE case_id = c.id AND "
	    "user_id = ?) FROM wg_cases c LEFT JOIN users u ON "
	    "u.id = c.author_id WHERE c.id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *o = NULL, *contribs = NULL;
	bool row = false;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if ((rc = wg_can_read(db, user, id)) != VG_OK ||
	    (rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_int(st, 1, user);
	vg_stmt_bind_int(st, 2, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char *title = vg_stmt_unsealed(st, 0, k);
		char *summary = vg_stmt_unsealed(st, 1, k);
		const char *status = vg_stmt_text(st, 5);

		o = json_pack("{s:I, s:s, s:s, s:o, s:s?, s:o, s:s, s:s, "
		    "s:b, s:b, s:I, s:I, s:s, s:b}",
		    "id", (json_int_t)id, "title", title ? title : "",
		    "summary", summary ? summary : "",
		    "kinds", codes_json(vg_stmt_text(st, 2), wg_kind_label),
		    "departement", vg_stmt_text(st, 3),
		    "professions", codes_json(vg_stmt_text(st, 4),
		    wg_profession_label),
		    "status", status, "status_label", wg_status_label(status),
		    "restricted", (int)vg_stmt_int(st, 6),
		    "confirmed", (int)vg_stmt_int(st, 7),
		    "created_at", (json_int_t)vg_stmt_int(st, 8),
		    "updated_at", (json_int_t)vg_stmt_int(st, 9),
		    "author", vg_stmt_text(st, 10),
		    "following", (int)vg_stmt_int(st, 11));
		free(title);
		free(summary);
		if (o == NULL)
			rc = VG_ENOMEM;
	} else if (rc == VG_OK)
		rc = VG_ENOTFOUND;
	vg_stmt_done(st);
	if (rc == VG_OK) {
		rc = contributions_of(db, k, id, &contribs);
		json_object_set_new(o, "contributions", contribs);
	}
	if (rc == VG_OK)
		rc = reports_audit_append(user, "wg-view", id, NULL);
	if ((rc = vg_db_end(db, rc)) != VG_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return VG_OK;
}

vg_rc
wg_case_set_status(int64_t actor, int64_t id, const char *status,
    int64_t now)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	if (wg_status_label(status) == NULL)
		return VG_EINVAL;
	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if ((rc = wg_can_read(db, actor, id)) != VG_OK ||
	    (rc = vg_db_prepare(db, "UPDATE wg_cases SET status = ?1, "
	    "updated_at = ?2, closed_at = CASE WHEN ?1 = 'closed' THEN "
	    "coalesce(closed_at, ?2) ELSE NULL END WHERE id = ?3", &st)) !=
	    VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_text(st, 1, status);
	vg_stmt_bind_int(st, 2, now);
	vg_stmt_bind_int(st, 3, id);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	if (rc == VG_OK)
		rc = reports_audit_append(actor, "wg-status", id, status);
	return vg_db_end(db, rc);
}

vg_rc
wg_case_follow(int64_t actor, int64_t id, bool on)
{
	vg_db *db = vg_db_thread();
	vg_rc rc;

	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if ((rc = wg_can_read(db, actor, id)) != VG_OK)
		return vg_db_end(db, rc);
	rc = exec1(db, on ? "INSERT OR IGNORE INTO wg_follows (case_id, "
	    "user_id) VALUES (?, ?)" : "DELETE FROM wg_follows WHERE "
	    "case_id = ? AND user_id = ?", id, actor);
	if (rc == VG_OK)
		rc = reports_audit_append(actor, on ? "wg-follow" :
		    "wg-unfollow", id, NULL);
	return vg_db_end(db, rc);
}

/* --- contributions -------------------------------------------------------- */

static vg_rc
attachment_add(vg_db *db, const vg_keys *k, int64_t case_id,
    int64_t contribution, const struct wg_file *f)
{
	vg_stmt *st;
	unsigned char *sealed;
	vg_rc rc;

	if ((sealed = malloc(f->size + VG_SEAL_OVERHEAD)) == NULL)
		return VG_ENOMEM;
	vg_seal(k, f->data, f->size, sealed);
	if ((rc = vg_db_prepare(db, "INSERT INTO wg_attachments "
	    "(contribution_id, case_id, name, type, size, data) VALUES "
	    "(?, ?, ?, ?, ?, ?)", &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, contribution);
		vg_stmt_bind_int(st, 2, case_id);
		if ((rc = vg_stmt_bind_sealed(st, 3, k, f->name)) == VG_OK &&
		    (rc = vg_stmt_bind_text(st, 4, f->type)) == VG_OK &&
		    (rc = vg_stmt_bind_int(st, 5, (int64_t)f->size)) == VG_OK &&
		    (rc = vg_stmt_bind_blob(st, 6, sealed, f->size +
		    VG_SEAL_OVERHEAD)) == VG_OK)
			rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	free(sealed);
	return rc;
}

vg_rc
wg_contribution_add(const vg_keys *k, int64_t actor, int64_t case_id,
    const char *body, bool confirmed, const struct wg_file *files,
    size_t nfiles, int64_t now, int64_t *id)
{
	static const char q_notify[] =
	    "INSERT INTO wg_notifications (case_id, user_id, created_at, "
	    "next_at) SELECT f.case_id, f.user_id, ?1, ?1 FROM wg_follows f "
	    "WHERE f.case_id = ?2 AND f.user_id != ?3 AND NOT EXISTS "
	    "(SELECT 1 FROM wg_notifications n WHERE n.case_id = f.case_id "
	    "AND n.user_id = f.user_id)";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	size_t i;
	vg_rc rc;

	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if ((rc = wg_can_read(db, actor, case_id)) != VG_OK ||
	    (rc = vg_db_prepare(db, "INSERT INTO wg_contributions (case_id, "
	    "author_id, created_at, body, confirmed) VALUES (?, ?, ?, ?, ?)",
	    &st)) != VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_int(st, 1, case_id);
	vg_stmt_bind_int(st, 2, actor);
	vg_stmt_bind_int(st, 3, now);
	if ((rc = vg_stmt_bind_sealed(st, 4, k, body)) == VG_OK) {
		vg_stmt_bind_int(st, 5, confirmed);
		rc = vg_stmt_exec(st);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return vg_db_end(db, rc);
	*id = vg_db_last_id(db);
	for (i = 0; rc == VG_OK && i < nfiles; i++)
		rc = attachment_add(db, k, case_id, *id, &files[i]);
	if (rc == VG_OK)
		rc = exec1(db, "UPDATE wg_cases SET updated_at = ? WHERE "
		    "id = ?", now, case_id);
	/* One pending mail per follower and case: ten contributions in an
	 * hour make one mail, not ten. */
	if (rc == VG_OK && (rc = vg_db_prepare(db, q_notify, &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, now);
		vg_stmt_bind_int(st, 2, case_id);
		vg_stmt_bind_int(st, 3, actor);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	if (rc == VG_OK) {
		char detail[64];

		snprintf(detail, sizeof(detail), "%lld%s", (long long)*id,
		    confirmed ? " confirmed" : "");
		rc = reports_audit_append(actor, "wg-contribute", case_id,
		    detail);
	}
	return vg_db_end(db, rc);
}

vg_rc
wg_attachment_get(const vg_keys *k, int64_t user, int64_t case_id,
    int64_t id, char **name, char **type, unsigned char **data,
    size_t *size)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	const unsigned char *b;
	bool row = false;
	size_t n = 0;
	char detail[32];
	vg_rc rc;

	*name = *type = NULL;
	*data = NULL;
	*size = 0;
	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if ((rc = wg_can_read(db, user, case_id)) != VG_OK ||
	    (rc = vg_db_prepare(db, "SELECT name, type, data FROM "
	    "wg_attachments WHERE id = ? AND case_id = ?", &st)) != VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_int(st, 1, id);
	vg_stmt_bind_int(st, 2, case_id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && !row)
		rc = VG_ENOTFOUND;
	if (rc == VG_OK) {
		b = vg_stmt_blob(st, 2, &n);
		*name = vg_stmt_unsealed(st, 0, k);
		*type = strdup(vg_stmt_text(st, 1));
		if (b == NULL || n < VG_SEAL_OVERHEAD || *name == NULL ||
		    *type == NULL ||
		    (*data = malloc(n - VG_SEAL_OVERHEAD + 1)) == NULL)
			rc = VG_ENOMEM;
		else if (vg_unseal(k, b, n, *data) != VG_OK)
			rc = VG_EINTERNAL;
		else
			*size = n - VG_SEAL_OVERHEAD;
	}
	vg_stmt_done(st);
	snprintf(detail, sizeof(detail), "%lld", (long long)id);
	if (rc == VG_OK)
		rc = reports_audit_append(user, "wg-download", case_id, detail);
	if ((rc = vg_db_end(db, rc)) != VG_OK) {
		free(*name);
		free(*type);
		free(*data);
		*name = *type = NULL;
		*data = NULL;
		*size = 0;
	}
	return rc;
}

/* --- retention ---------------------------------------------------------- */

vg_rc
wg_purge_at(int days, int64_t now, int64_t *n)
{
	static const char *const children[] = {
		"DELETE FROM wg_attachments WHERE case_id IN (SELECT id FROM "
		    "wg_cases WHERE status = 'closed' AND closed_at < ?)",
		"DELETE FROM wg_contributions WHERE case_id IN (SELECT id FROM "
		    "wg_cases WHERE status = 'closed' AND closed_at < ?)",
		"DELETE FROM wg_case_access WHERE case_id IN (SELECT id FROM "
		    "wg_cases WHERE status = 'closed' AND closed_at < ?)",
		"DELETE FROM wg_follows WHERE case_id IN (SELECT id FROM "
		    "wg_cases WHERE status = 'closed' AND closed_at < ?)",
		"DELETE FROM wg_notifications WHERE case_id IN (SELECT id FROM "
		    "wg_cases WHERE status = 'closed' AND closed_at < ?)",
		"DELETE FROM wg_meeting_cases WHERE case_id IN (SELECT id FROM "
		    "wg_cases WHERE status = 'closed' AND closed_at < ?)",
		"DELETE FROM wg_cases WHERE status = 'closed' AND "
		    "closed_at < ?",
	};
	int64_t cutoff = now - (int64_t)days * 86400;
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	bool row;
	size_t i;
	vg_rc rc;

	*n = 0;
	if (days < 0)
		return VG_EINVAL;
	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if ((rc = vg_db_prepare(db, "SELECT count(*) FROM wg_cases WHERE "
	    "status = 'closed' AND closed_at < ?", &st)) != VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_int(st, 1, cutoff);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row)
		*n = vg_stmt_int(st, 0);
	vg_stmt_done(st);
	/* Children first, explicitly: the purge does not depend on the
	 * foreign keys' cascade being switched on. */
	for (i = 0; rc == VG_OK && *n > 0 && i < VG_ARRAY_LEN(children); i++)
		rc = exec1(db, children[i], cutoff, 0);
	if (rc != VG_OK)
		*n = 0;
	return vg_db_end(db, rc);
}
