/*
 * workgroup_int.h — shared between the working group's files and its unit
 * test only.
 *
 * Who may read a case is decided in one place (store.c) and inside the
 * transaction that reads or changes it: a member of the group, and for a
 * restricted case only the members named on it.  Membership is the only
 * key: an administrator who is not a member reads no case (professional
 * secrecy), but manages the list of members.  Anything a reader may not
 * see answers VG_ENOTFOUND, exactly as a case that does not exist.
 *
 * Every reading and change appends to the reports' chained audit log in
 * the same transaction, so that no change goes unrecorded.
 */
#ifndef VG_WORKGROUP_INT_H
#define VG_WORKGROUP_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/crypto.h"
#include "db/db.h"
#include "workgroup/workgroup.h"

#define WG_TITLE_MAX 160                 /* characters */
#define WG_TEXT_MAX 20000                /* characters of a summary, a
                                            contribution */
#define WG_FILE_MAX ((size_t)10 << 20)   /* bytes of one attachment */
#define WG_FILES_MAX 3                   /* attachments of a contribution */
#define WG_NAMED_MAX 50                  /* members named on a case */
#define WG_MAIL_TRIES 5                  /* then a notification is dropped */

struct wg_case_input {
	const char *title, *summary;
	const char *kinds;            /* codes separated by spaces */
	const char *departement;      /* code or NULL */
	const char *professions;      /* codes separated by spaces */
	bool restricted;
	const int64_t *named;         /* members named (restricted only) */
	size_t nnamed;
	bool confirmed;               /* saved despite the detector */
};

/* An attachment, checked, in memory. */
struct wg_file {
	const char *name;             /* the client's file name */
	const char *type;             /* recognised by content */
	const unsigned char *data;
	size_t size;
};

/* --- vocabularies ------------------------------------------------------- */

/* [{code, label}] as new arrays. */
json_t *wg_kind_list(void);
json_t *wg_profession_list(void);
json_t *wg_status_list(void);
/* The French label of a code, or NULL when unknown. */
const char *wg_kind_label(const char *code);
const char *wg_profession_label(const char *code);
const char *wg_status_label(const char *code);

/* The MIME type of an attachment recognised by its content (PDF, PNG,
 * JPEG, OpenDocument text, plain UTF-8 text), or NULL. */
const char *wg_sniff(const unsigned char *p, size_t n);

/* --- membership --------------------------------------------------------- */

bool wg_is_member(int64_t user);
/* The same inside a caller's transaction. */
bool wg_member_in(vg_db *db, int64_t user);
/* Whether user may read case id: VG_OK, or VG_ENOTFOUND (a case that
 * does not exist as much as one they may not see). */
vg_rc wg_can_read(vg_db *db, int64_t user, int64_t id);
/* Add the active professional account with that e-mail: VG_ENOTFOUND (no
 * such active account), VG_ECONFLICT (already a member). */
vg_rc wg_member_add(int64_t actor, const char *email, int64_t *user);
vg_rc wg_member_remove(int64_t actor, int64_t user);
/* [{id, name, email, organisation, profession}] by name. */
vg_rc wg_members(json_t **out);

/* --- cases -------------------------------------------------------------- */

/* VG_EINVAL with a French *why and *field; nothing written. */
vg_rc wg_case_check(const struct wg_case_input *in, const char **why,
    const char **field);
/* Create a case (its author follows it and is named on it).  VG_EINVAL
 * (a named person is not a member), VG_ENOTFOUND (actor not a member). */
vg_rc wg_case_create(const vg_keys *k, int64_t actor,
    const struct wg_case_input *in, int64_t now, int64_t *id,
    const char **why);
/* The cases user may read, newest change first. */
vg_rc wg_case_list(const vg_keys *k, int64_t user, json_t **out);
/* One case with its contributions and attachments (names, sizes), and
 * whether user follows it.  Audited as a reading. */
vg_rc wg_case_get(const vg_keys *k, int64_t user, int64_t id, json_t **out);
vg_rc wg_case_set_status(int64_t actor, int64_t id, const char *status,
    int64_t now);
vg_rc wg_case_follow(int64_t actor, int64_t id, bool on);

/* --- contributions -------------------------------------------------------- */

/* Add a contribution with its attachments, and queue a notification for
 * every follower but the author, in one transaction. */
vg_rc wg_contribution_add(const vg_keys *k, int64_t actor, int64_t case_id,
    const char *body, bool confirmed, const struct wg_file *files,
    size_t nfiles, int64_t now, int64_t *id);
/* An attachment of a case, opened (caller frees *name and *data).
 * Audited as a reading. */
vg_rc wg_attachment_get(const vg_keys *k, int64_t user, int64_t case_id,
    int64_t id, char **name, char **type, unsigned char **data,
    size_t *size);

/* --- meetings (meetings.c) ---------------------------------------------- */

struct wg_meeting_input {
	const char *day;              /* YYYY-MM-DD */
	const char *time;             /* HH:MM, Europe/Paris */
	const char *place, *agenda;
	const int64_t *cases;         /* cases to discuss */
	size_t ncases;
};

/* VG_EINVAL with a French *why and *field; nothing written. */
vg_rc wg_meeting_check(const struct wg_meeting_input *in, const char **why,
    const char **field);
/* VG_EINVAL (*why) when a case is not readable by actor. */
vg_rc wg_meeting_create(const vg_keys *k, int64_t actor,
    const struct wg_meeting_input *in, int64_t now, int64_t *id,
    const char **why);
/* Every meeting, the latest day first: [{id, day, time}]. */
vg_rc wg_meeting_list(int64_t user, json_t **out);
/* A meeting with its cases (only those user may read), notes and
 * decisions.  Audited as a reading. */
vg_rc wg_meeting_get(const vg_keys *k, int64_t user, int64_t id,
    json_t **out);
vg_rc wg_meeting_notes(const vg_keys *k, int64_t actor, int64_t id,
    const char *notes);
/* VG_EINVAL when who is not a member. */
vg_rc wg_decision_add(const vg_keys *k, int64_t actor, int64_t id,
    const char *what, int64_t who, const char *due);
/* Mail every member about the meetings of the next day (from 06:00 UTC
 * the day before), once each; *sent counts the mails. */
vg_rc wg_meeting_remind_at(const vg_config *c, int64_t now, int *sent);

/* --- the library (documents.c) ----------------------------------------- */

struct wg_doc_input {
	const char *title, *kind, *description;
	const char *body;             /* Markdown, or NULL */
	bool body_indexed;            /* the author says: no personal data */
	const struct wg_file *file;   /* or NULL */
	bool confirmed;               /* saved despite the detector */
};

/* The French label of a document's kind, or NULL when unknown. */
const char *wg_doc_kind_label(const char *code);
/* VG_ENOTFOUND when actor is not a member. */
vg_rc wg_doc_add(const vg_keys *k, int64_t actor,
    const struct wg_doc_input *in, int64_t now, int64_t *id);
/* The documents, newest first, or those matching query (French search
 * on the indexed fields), best first; empty for a non-member. */
vg_rc wg_doc_list(const vg_keys *k, int64_t user, const char *query,
    json_t **out);
/* One document, opened; audited as a reading when audited is true. */
vg_rc wg_doc_get(const vg_keys *k, int64_t user, int64_t id, bool audited,
    json_t **out);
/* A document's file (caller frees); audited as a download. */
vg_rc wg_doc_file(const vg_keys *k, int64_t user, int64_t id, char **name,
    char **type, unsigned char **data, size_t *size);
/* Delete a document and its index entry: VG_EDENIED unless actor is its
 * author or admin is true. */
vg_rc wg_doc_delete(const vg_keys *k, int64_t actor, bool admin,
    int64_t id);

/* --- shared by the pages (routes.c, documents.c) ----------------------- */

struct vg_req;
struct vg_resp;
void wg_frame(struct vg_req *r, struct vg_resp *resp, const char *tmpl,
    const char *title);
void wg_detect_field(json_t *found, const char *field, const char *label,
    const char *text);
bool wg_detector_stops(struct vg_req *r, struct vg_resp *resp,
    json_t *found, bool *confirmed);
void wg_markdown(json_t *o, const char *key, const char *key_html);
void wg_when_fr(json_t *o, const char *key);
vg_rc wg_docs_page(struct vg_req *r, struct vg_resp *resp);
vg_rc wg_docs_add(struct vg_req *r, struct vg_resp *resp);
vg_rc wg_docs_show(struct vg_req *r, struct vg_resp *resp);
vg_rc wg_docs_download(struct vg_req *r, struct vg_resp *resp);
vg_rc wg_docs_delete_page(struct vg_req *r, struct vg_resp *resp);
vg_rc wg_docs_delete(struct vg_req *r, struct vg_resp *resp);

/* --- mail and retention ------------------------------------------------- */

/* Send the notifications due at time now; *sent counts them. */
vg_rc wg_notify_due(const vg_config *c, int64_t now, int *sent);
/* Delete the cases closed before now - days. */
vg_rc wg_purge_at(int days, int64_t now, int64_t *n);

#endif
