/*
 * documents.c — the working group's library (/groupe/documents):
 * protocols, contact lists and templates shared by the members, searched
 * with the French full-text search.
 *
 * Members only: anyone else gets the join page on the list and the same
 * 404 as a missing document everywhere else.  A document is a file (the
 * attachments' type check by content and size limit) or a text written
 * in the form (Markdown, rendered safely), or both; all of it is sealed
 * at rest.  The search index cannot hold sealed values, so it receives
 * the title, the kind and the description, and the text only when its
 * author ticks that it holds no personal data (see
 * sql/016_workgroup_documents.sql).  Adding, reading, downloading and
 * deleting append to the chained audit log in the same transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "db/fts.h"
#include "db/sealed.h"
#include "reports/reports.h"
#include "render/page.h"
#include "workgroup/workgroup_int.h"

#define DOC_DESC_MAX 1000       /* characters of a description */
#define DOC_LIST_MAX 200        /* documents listed at once */

struct vocab {
	const char *code, *label;
};

static const struct vocab doc_kinds[] = {
	{"protocole", N_("Protocole")},
	{"contacts", N_("Liste de contacts")},
	{"modele", N_("Modèle de document")},
	{"autre", N_("Autre")},
};

const char *
wg_doc_kind_label(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < VG_ARRAY_LEN(doc_kinds); i++)
		if (strcmp(doc_kinds[i].code, code) == 0)
			return _(doc_kinds[i].label);
	return NULL;
}

static json_t *
doc_kind_list(const char *chosen)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < VG_ARRAY_LEN(doc_kinds); i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code",
		    doc_kinds[i].code, "label", _(doc_kinds[i].label),
		    "selected", chosen != NULL &&
		    strcmp(chosen, doc_kinds[i].code) == 0));
	return a;
}

/* --- storage ------------------------------------------------------------- */

static vg_rc
audit(int64_t actor, const char *action, int64_t id)
{
	char detail[32];

	snprintf(detail, sizeof(detail), "document %lld", (long long)id);
	return reports_audit_append(actor, action, 0, detail);
}

/* Bind n bytes sealed to parameter i. */
static vg_rc
bind_sealed_bytes(vg_stmt *st, int i, const vg_keys *k,
    const unsigned char *p, size_t n)
{
	unsigned char *sealed;
	vg_rc rc;

	if ((sealed = malloc(n + VG_SEAL_OVERHEAD)) == NULL)
		return VG_ENOMEM;
	vg_seal(k, p, n, sealed);
	rc = vg_stmt_bind_blob(st, i, sealed, n + VG_SEAL_OVERHEAD);
	free(sealed);
	return rc;
}

/* The kind's French label, whatever the reader's language: the index
 * must be given the same values to remove a document as to add it. */
static const char *
kind_indexed(const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < VG_ARRAY_LEN(doc_kinds); i++)
		if (strcmp(doc_kinds[i].code, code) == 0)
			return doc_kinds[i].label;
	return NULL;
}

/* Add (or, with del, remove) the searchable values of a document in the
 * contentless index: a removal must give the very values indexed. */
static vg_rc
index_doc(vg_db *db, bool del, int64_t id, const char *title,
    const char *kind, const char *desc, const char *body)
{
	vg_stmt *st;
	vg_rc rc;

	if ((rc = vg_db_prepare(db, del ? "INSERT INTO wg_documents_fts "
	    "(wg_documents_fts, rowid, title, kind, description, body) VALUES "
	    "('delete', ?, ?, ?, ?, ?)" : "INSERT INTO wg_documents_fts "
	    "(rowid, title, kind, description, body) VALUES (?, ?, ?, ?, ?)",
	    &st)) != VG_OK)
		return rc;
	vg_stmt_bind_int(st, 1, id);
	vg_stmt_bind_text(st, 2, title);
	vg_stmt_bind_text(st, 3, kind_indexed(kind));
	vg_stmt_bind_text(st, 4, desc);
	vg_stmt_bind_text(st, 5, body);
	rc = vg_stmt_exec(st);
	vg_stmt_done(st);
	return rc;
}

vg_rc
wg_doc_add(const vg_keys *k, int64_t actor, const struct wg_doc_input *in,
    int64_t now, int64_t *id)
{
	static const char q[] =
	    "INSERT INTO wg_documents (title, kind, description, body, "
	    "body_indexed, file_name, file_type, file_size, file_data, "
	    "confirmed, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?)";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	vg_rc rc;

	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if (!wg_member_in(db, actor))
		return vg_db_end(db, VG_ENOTFOUND);
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return vg_db_end(db, rc);
	if ((rc = vg_stmt_bind_sealed(st, 1, k, in->title)) == VG_OK &&
	    (rc = vg_stmt_bind_text(st, 2, in->kind)) == VG_OK &&
	    (rc = vg_stmt_bind_sealed(st, 3, k, in->description)) == VG_OK &&
	    (rc = vg_stmt_bind_sealed(st, 4, k, in->body)) == VG_OK &&
	    (rc = vg_stmt_bind_int(st, 5, in->body != NULL &&
	    in->body_indexed)) == VG_OK &&
	    (rc = vg_stmt_bind_sealed(st, 6, k, in->file ? in->file->name :
	    NULL)) == VG_OK &&
	    (rc = vg_stmt_bind_text(st, 7, in->file ? in->file->type :
	    NULL)) == VG_OK) {
		if (in->file != NULL) {
			vg_stmt_bind_int(st, 8, (int64_t)in->file->size);
			rc = bind_sealed_bytes(st, 9, k, in->file->data,
			    in->file->size);
		}
		vg_stmt_bind_int(st, 10, in->confirmed);
		vg_stmt_bind_int(st, 11, actor);
		vg_stmt_bind_int(st, 12, now);
		if (rc == VG_OK)
			rc = vg_stmt_exec(st);
	}
	vg_stmt_done(st);
	if (rc != VG_OK)
		return vg_db_end(db, rc);
	*id = vg_db_last_id(db);
	rc = index_doc(db, false, *id, in->title, in->kind, in->description,
	    in->body_indexed ? in->body : NULL);
	if (rc == VG_OK)
		rc = audit(actor, in->confirmed ? "wg-doc-add-confirmed" :
		    "wg-doc-add", *id);
	return vg_db_end(db, rc);
}

vg_rc
wg_doc_list(const vg_keys *k, int64_t user, const char *query,
    json_t **out)
{
	static const char q_all[] =
	    "SELECT d.id, d.title, d.kind, d.description, d.file_type, "
	    "d.body IS NOT NULL, d.created_at, coalesce(u.name, ''), "
	    "d.author_id FROM wg_documents d LEFT JOIN users u ON "
	    "u.id = d.author_id WHERE EXISTS (SELECT 1 FROM wg_members "
	    "WHERE user_id = ?1) AND ?2 IS NULL "
	    "ORDER BY d.created_at DESC, d.id DESC LIMIT 200";
	static const char q_search[] =
	    "SELECT d.id, d.title, d.kind, d.description, d.file_type, "
	    "d.body IS NOT NULL, d.created_at, coalesce(u.name, ''), "
	    "d.author_id FROM wg_documents_fts f JOIN wg_documents d ON "
	    "d.id = f.rowid LEFT JOIN users u ON u.id = d.author_id "
	    "WHERE EXISTS (SELECT 1 FROM wg_members WHERE user_id = ?1) AND "
	    "wg_documents_fts MATCH ?2 "
	    "ORDER BY bm25(wg_documents_fts, 10.0, 2.0, 4.0, 1.0) LIMIT 200";
	char *fq = query ? vg_fts_query(query) : NULL;
	vg_db *db = vg_db_thread();
	json_t *a = json_array();
	vg_stmt *st;
	bool row;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || a == NULL) {
		free(fq);
		json_decref(a);
		return db == NULL ? VG_EDB : VG_ENOMEM;
	}
	if ((rc = vg_db_prepare(db, fq ? q_search : q_all, &st)) != VG_OK) {
		free(fq);
		json_decref(a);
		return rc;
	}
	vg_stmt_bind_int(st, 1, user);
	vg_stmt_bind_text(st, 2, fq);
	while ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char *title = vg_stmt_unsealed(st, 1, k);
		char *desc = vg_stmt_unsealed(st, 3, k);
		const char *kind = vg_stmt_text(st, 2);

		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s?, "
		    "s:s, s:s?, s:b, s:I, s:s, s:I}",
		    "id", (json_int_t)vg_stmt_int(st, 0),
		    "title", title ? title : "", "kind", kind,
		    "kind_label", wg_doc_kind_label(kind),
		    "description", desc ? desc : "",
		    "file_type", vg_stmt_text(st, 4),
		    "has_text", (int)vg_stmt_int(st, 5),
		    "created_at", (json_int_t)vg_stmt_int(st, 6),
		    "author", vg_stmt_text(st, 7),
		    "author_id", (json_int_t)vg_stmt_int(st, 8)));
		free(title);
		free(desc);
	}
	vg_stmt_done(st);
	free(fq);
	if (rc != VG_OK) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return VG_OK;
}

vg_rc
wg_doc_get(const vg_keys *k, int64_t user, int64_t id, bool audited,
    json_t **out)
{
	static const char q[] =
	    "SELECT d.title, d.kind, d.description, d.body, d.body_indexed, "
	    "d.file_name, d.file_type, d.file_size, d.confirmed, "
	    "d.created_at, coalesce(u.name, ''), d.author_id "
	    "FROM wg_documents d LEFT JOIN users u ON u.id = d.author_id "
	    "WHERE d.id = ?";
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	json_t *o = NULL;
	bool row = false;
	vg_rc rc;

	*out = NULL;
	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if (!wg_member_in(db, user))
		return vg_db_end(db, VG_ENOTFOUND);
	if ((rc = vg_db_prepare(db, q, &st)) != VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && row) {
		char *title = vg_stmt_unsealed(st, 0, k);
		char *desc = vg_stmt_unsealed(st, 2, k);
		char *body = vg_stmt_unsealed(st, 3, k);
		char *fname = vg_stmt_unsealed(st, 5, k);
		const char *kind = vg_stmt_text(st, 1);

		o = json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s?, s:b, s:s?, "
		    "s:s?, s:I, s:b, s:I, s:s, s:I}",
		    "id", (json_int_t)id, "title", title ? title : "",
		    "kind", kind, "kind_label", wg_doc_kind_label(kind),
		    "description", desc ? desc : "", "body", body,
		    "body_indexed", (int)vg_stmt_int(st, 4),
		    "file_name", fname, "file_type", vg_stmt_text(st, 6),
		    "file_size", (json_int_t)vg_stmt_int(st, 7),
		    "confirmed", (int)vg_stmt_int(st, 8),
		    "created_at", (json_int_t)vg_stmt_int(st, 9),
		    "author", vg_stmt_text(st, 10),
		    "author_id", (json_int_t)vg_stmt_int(st, 11));
		free(title);
		free(desc);
		free(body);
		free(fname);
		if (o == NULL)
			rc = VG_ENOMEM;
	} else if (rc == VG_OK)
		rc = VG_ENOTFOUND;
	vg_stmt_done(st);
	if (rc == VG_OK && audited)
		rc = audit(user, "wg-doc-view", id);
	if ((rc = vg_db_end(db, rc)) != VG_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return VG_OK;
}

vg_rc
wg_doc_file(const vg_keys *k, int64_t user, int64_t id, char **name,
    char **type, unsigned char **data, size_t *size)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	const unsigned char *b;
	bool row = false;
	size_t n = 0;
	vg_rc rc;

	*name = *type = NULL;
	*data = NULL;
	*size = 0;
	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if (!wg_member_in(db, user))
		return vg_db_end(db, VG_ENOTFOUND);
	if ((rc = vg_db_prepare(db, "SELECT file_name, file_type, file_data "
	    "FROM wg_documents WHERE id = ? AND file_data IS NOT NULL", &st))
	    != VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_int(st, 1, id);
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
	if (rc == VG_OK)
		rc = audit(user, "wg-doc-download", id);
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

vg_rc
wg_doc_delete(const vg_keys *k, int64_t actor, bool admin, int64_t id)
{
	vg_db *db = vg_db_thread();
	vg_stmt *st;
	char *title = NULL, *desc = NULL, *body = NULL, *kind = NULL;
	bool row = false, indexed = false;
	int64_t author = 0;
	vg_rc rc;

	if (db == NULL || vg_db_begin(db) != VG_OK)
		return VG_EDB;
	if (!wg_member_in(db, actor))
		return vg_db_end(db, VG_ENOTFOUND);
	if ((rc = vg_db_prepare(db, "SELECT title, kind, description, body, "
	    "body_indexed, coalesce(author_id, 0) FROM wg_documents "
	    "WHERE id = ?", &st)) != VG_OK)
		return vg_db_end(db, rc);
	vg_stmt_bind_int(st, 1, id);
	if ((rc = vg_stmt_step(st, &row)) == VG_OK && !row)
		rc = VG_ENOTFOUND;
	if (rc == VG_OK) {
		title = vg_stmt_unsealed(st, 0, k);
		kind = strdup(vg_stmt_text(st, 1));
		desc = vg_stmt_unsealed(st, 2, k);
		body = vg_stmt_unsealed(st, 3, k);
		indexed = vg_stmt_int(st, 4) != 0;
		author = vg_stmt_int(st, 5);
		if (title == NULL || kind == NULL || desc == NULL)
			rc = VG_ENOMEM;
	}
	vg_stmt_done(st);
	if (rc == VG_OK && author != actor && !admin)
		rc = VG_EDENIED;
	if (rc == VG_OK)
		rc = index_doc(db, true, id, title, kind, desc, indexed ? body :
		    NULL);
	if (rc == VG_OK && (rc = vg_db_prepare(db, "DELETE FROM wg_documents "
	    "WHERE id = ?", &st)) == VG_OK) {
		vg_stmt_bind_int(st, 1, id);
		rc = vg_stmt_exec(st);
		vg_stmt_done(st);
	}
	if (rc == VG_OK)
		rc = audit(actor, "wg-doc-delete", id);
	free(title);
	free(kind);
	free(desc);
	free(body);
	return vg_db_end(db, rc);
}

/* --- pages --------------------------------------------------------------- */

static vg_rc
not_found(vg_resp *resp, vg_rc rc)
{
	resp->tmpl = NULL;
	return rc == VG_ENOTFOUND ? vg_fail(resp, rc, _("Ce document "
	    "n'existe pas, ou vous n'y avez pas accès."), NULL) : rc;
}

static bool
admin(const vg_req *r)
{
	return r->user->role >= VG_ROLE_ADMIN;
}

/* The library's context: the list (searched with q), the form. */
static vg_rc
library(vg_req *r, vg_resp *resp, const char *kind)
{
	const char *q = vg_form_get(r->query, "q");
	json_t *list;
	size_t i;
	json_t *o;
	vg_rc rc;

	if (q != NULL && *q == '\0')
		q = NULL;
	if (q != NULL && strlen(q) > 200)
		return vg_fail(resp, VG_EINVAL, _("Votre recherche est trop "
		    "longue : 200 caractères au plus."), "q");
	if ((rc = wg_doc_list(r->site->keys, r->user->id, q, &list)) != VG_OK)
		return rc;
	json_array_foreach(list, i, o) {
		int64_t a = json_integer_value(json_object_get(o,
		    "author_id"));

		wg_when_fr(o, "created_at");
		json_object_set_new(o, "can_delete", json_boolean(
		    a == r->user->id || admin(r)));
	}
	wg_frame(r, resp, "workgroup_documents", _("Documents du groupe"));
	json_object_set_new(resp->ctx, "documents", list);
	json_object_set_new(resp->ctx, "q", q ? json_string(q) : json_null());
	json_object_set_new(resp->ctx, "kind_choices", doc_kind_list(kind));
	json_object_set_new(resp->ctx, "max_mb", json_integer(WG_FILE_MAX >>
	    20));
	return VG_OK;
}

vg_rc
wg_docs_page(vg_req *r, vg_resp *resp)
{
	if (!wg_is_member(r->user->id)) {
		wg_frame(r, resp, "workgroup_join", _("Groupe de travail"));
		json_object_set_new(resp->ctx, "member", json_false());
		return VG_OK;
	}
	return library(r, resp, NULL);
}

/* The file posted, read and checked, into *out (NULL when none); an
 * error with the French message set on resp otherwise. */
static vg_rc
posted_file(vg_req *r, vg_resp *resp, struct wg_file **out)
{
	const vg_form_field *f = vg_form_field_get(r->form, "fichier");
	struct wg_file *file;
	unsigned char *data;
	FILE *fp;

	*out = NULL;
	if (f == NULL || f->path == NULL || (f->size == 0 &&
	    (f->filename == NULL || *f->filename == '\0')))
		return VG_OK;
	if (f->size > WG_FILE_MAX)
		return vg_fail(resp, VG_ETOOBIG, vg_arena_printf(r->arena,
		    _("Ce fichier est trop gros : %u Mo au plus."),
		    (unsigned)(WG_FILE_MAX >> 20)), "fichier");
	if ((file = vg_arena_alloc(r->arena, sizeof(*file))) == NULL ||
	    (data = vg_arena_alloc(r->arena, f->size + 1)) == NULL)
		return VG_ENOMEM;
	if ((fp = fopen(f->path, "rb")) == NULL)
		return VG_EIO;
	if (fread(data, 1, f->size, fp) != f->size) {
		fclose(fp);
		return VG_EIO;
	}
	fclose(fp);
	file->name = f->filename && *f->filename ? f->filename : "document";
	file->data = data;
	file->size = f->size;
	/* Images have no place in a library of protocols and lists. */
	if ((file->type = wg_sniff(data, f->size)) == NULL ||
	    strncmp(file->type, "image/", 6) == 0)
		return vg_fail(resp, VG_EMEDIA, _("Ce fichier n'est pas d'un "
		    "type accepté. Déposez un PDF, un texte ODT ou un fichier "
		    "texte."), "fichier");
	*out = file;
	return VG_OK;
}

static bool
ticked(vg_req *r, const char *name)
{
	const char *v = vg_form_get(r->form, name);

	return v != NULL && strcmp(v, "1") == 0;
}

vg_rc
wg_docs_add(vg_req *r, vg_resp *resp)
{
	struct wg_doc_input in;
	const char *kind;
	struct wg_file *file = NULL;
	json_t *found;
	int64_t id = 0;
	vg_rc rc;

	memset(&in, 0, sizeof(in));
	if (!wg_is_member(r->user->id))
		return not_found(resp, VG_ENOTFOUND);
	kind = vg_form_get(r->form, "kind");
	if ((rc = library(r, resp, kind)) != VG_OK)
		return rc;
	json_object_set_new(resp->ctx, "values", json_pack("{s:s?, s:s?, "
	    "s:s?, s:b}", "title", vg_form_get(r->form, "title"),
	    "description", vg_form_get(r->form, "description"),
	    "body", vg_form_get(r->form, "body"),
	    "body_indexed", ticked(r, "indexer")));
	if ((rc = vg_req_text(r, resp, "title", WG_TITLE_MAX, true,
	    &in.title)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "description", DOC_DESC_MAX, true,
	    &in.description)) != VG_OK ||
	    (rc = vg_req_text(r, resp, "body", WG_TEXT_MAX, false,
	    &in.body)) != VG_OK)
		return rc;
	if (wg_doc_kind_label(kind) == NULL)
		return vg_fail(resp, VG_EINVAL, _("Choisissez le genre du "
		    "document dans la liste."), "kind");
	if ((rc = posted_file(r, resp, &file)) != VG_OK)
		return rc;
	if (file == NULL && in.body == NULL)
		return vg_fail(resp, VG_EINVAL, _("Déposez un fichier ou "
		    "écrivez le texte du document."), "body");
	in.kind = kind;
	in.file = file;
	in.body_indexed = ticked(r, "indexer");
	found = json_array();
	wg_detect_field(found, "title", _("Titre"), in.title);
	wg_detect_field(found, "description", _("Description"),
	    in.description);
	wg_detect_field(found, "body", _("Texte"), in.body);
	if (wg_detector_stops(r, resp, found, &in.confirmed)) {
		if (file != NULL)
			json_object_set_new(resp->ctx, "file_dropped",
			    json_true());
		return VG_OK;
	}
	/* What the detector saw must not go to the index in clear. */
	if (in.confirmed)
		in.body_indexed = false;
	if ((rc = wg_doc_add(r->site->keys, r->user->id, &in,
	    (int64_t)time(NULL), &id)) != VG_OK)
		return not_found(resp, rc);
	resp->redirect = vg_arena_printf(r->arena, "/groupe/documents/%lld",
	    (long long)id);
	json_object_clear(resp->ctx);
	json_object_set_new(resp->ctx, "document", json_pack("{s:I, s:b, "
	    "s:b, s:b}", "id", (json_int_t)id, "confirmed", in.confirmed,
	    "file", file != NULL, "body_indexed", in.body_indexed &&
	    in.body != NULL));
	return VG_OK;
}

static vg_rc
doc_page(vg_req *r, vg_resp *resp, const char *tmpl, bool audited)
{
	json_t *d;
	int64_t a;
	vg_rc rc;

	if ((rc = wg_doc_get(r->site->keys, r->user->id, vg_req_param_id(r,
	    0), audited, &d)) != VG_OK)
		return not_found(resp, rc);
	wg_markdown(d, "body", "body_html");
	wg_when_fr(d, "created_at");
	a = json_integer_value(json_object_get(d, "author_id"));
	json_object_set_new(d, "can_delete", json_boolean(a == r->user->id ||
	    admin(r)));
	wg_frame(r, resp, tmpl, json_string_value(json_object_get(d,
	    "title")));
	json_object_set_new(resp->ctx, "document", d);
	return VG_OK;
}

vg_rc
wg_docs_show(vg_req *r, vg_resp *resp)
{
	return doc_page(r, resp, "workgroup_document", true);
}

vg_rc
wg_docs_download(vg_req *r, vg_resp *resp)
{
	char *name, *type;
	unsigned char *data;
	size_t size;
	vg_buf b = VG_BUF_INIT;
	vg_rc rc;

	if ((rc = wg_doc_file(r->site->keys, r->user->id, vg_req_param_id(r,
	    0), &name, &type, &data, &size)) != VG_OK)
		return not_found(resp, rc);
	vg_buf_append(&b, data, size);
	/* With a file name: always a download, never shown inline. */
	rc = vg_resp_body(r, resp, &b, vg_arena_strdup(r->arena, type),
	    vg_arena_strdup(r->arena, name));
	vg_buf_free(&b);
	free(name);
	free(type);
	free(data);
	return rc;
}

/* The confirmation step: reading the page that asks is not audited as a
 * reading of the document (it shows its title only). */
vg_rc
wg_docs_delete_page(vg_req *r, vg_resp *resp)
{
	vg_rc rc;

	if ((rc = doc_page(r, resp, "workgroup_document_delete", false)) !=
	    VG_OK)
		return rc;
	if (!json_is_true(json_object_get(json_object_get(resp->ctx,
	    "document"), "can_delete"))) {
		resp->tmpl = NULL;
		return vg_fail(resp, VG_EDENIED, _("Seuls la personne qui a "
		    "déposé ce document et les administrateurs du groupe "
		    "peuvent le supprimer."), NULL);
	}
	json_object_del(json_object_get(resp->ctx, "document"), "body");
	json_object_del(json_object_get(resp->ctx, "document"), "body_html");
	return VG_OK;
}

vg_rc
wg_docs_delete(vg_req *r, vg_resp *resp)
{
	int64_t id = vg_req_param_id(r, 0);
	vg_rc rc;

	if (!ticked(r, "confirmer")) {
		if ((rc = wg_docs_delete_page(r, resp)) != VG_OK)
			return rc;
		return vg_fail(resp, VG_EINVAL, _("Cochez la case pour "
		    "confirmer la suppression."), "confirmer");
	}
	rc = wg_doc_delete(r->site->keys, r->user->id, admin(r), id);
	if (rc == VG_EDENIED)
		return vg_fail(resp, rc, _("Seuls la personne qui a déposé ce "
		    "document et les administrateurs du groupe peuvent le "
		    "supprimer."), NULL);
	if (rc != VG_OK)
		return not_found(resp, rc);
	resp->redirect = "/groupe/documents";
	json_object_set_new(resp->ctx, "deleted", json_pack("{s:I}", "id",
	    (json_int_t)id));
	return VG_OK;
}
