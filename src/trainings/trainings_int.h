/*
 * trainings_int.h — shared between the trainings area's files and its
 * unit test only.
 *
 * Every function that writes runs in one transaction (vg_db_begin takes
 * the write lock), so that the capacity of a session is enforced and the
 * waiting list moved up without a race.  Mails are never sent from inside
 * a transaction: the writing functions say whom to tell (struct
 * tr_outcome), and the caller sends once committed.
 */
#ifndef VG_TRAININGS_INT_H
#define VG_TRAININGS_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "trainings/trainings.h"

#define TR_REMINDER_AHEAD (2 * 86400)  /* sessions starting within */
#define TR_CAPACITY_MAX 10000
#define TR_DURATION_MAX (7 * 24 * 60)  /* minutes */

struct tr_training_input {
	const char *title, *objectives, *audience, *format, *trainer;
	const char *themes;       /* codes separated by spaces */
	int duration;             /* minutes */
	bool published;
};

struct tr_session_input {
	const char *day;          /* YYYY-MM-DD, Europe/Paris */
	const char *start, *end;  /* HH:MM, Europe/Paris */
	const char *place, *departement, *link;
	const char *survey_before, *survey_after;
	int capacity;
};

/* Registrations moved up from a waiting list, to be told by mail once
 * the transaction has committed.  Free with tr_ids_free(). */
typedef struct tr_ids {
	int64_t *v;
	size_t n;
} tr_ids;

void tr_ids_free(tr_ids *ids);

/* What a registration or a cancellation did. */
struct tr_outcome {
	int64_t registration;     /* the person's registration row */
	const char *status;       /* "registered", "waiting", "cancelled" */
	int position;             /* 1-based place on the waiting list; 0 */
	tr_ids promoted;          /* moved up by a cancellation */
};

/* --- vocabularies ---------------------------------------------------------- */

/* The themes a training may carry: [{code, label}] as a new array. */
json_t *trainings_theme_list(void);
/* The French label of a theme code, or NULL when unknown. */
const char *trainings_theme_label(const char *code);
/* "onsite" → « En présentiel », "remote" → « À distance »; NULL when
 * unknown. */
const char *trainings_format_label(const char *format);
const char *trainings_status_label(const char *status);
const char *trainings_attendance_label(const char *attendance);

/* --- time ------------------------------------------------------------------- */

/* The UTC instant of local time hhmm ("HH:MM") on day ("YYYY-MM-DD") in
 * Europe/Paris (EU summer time rules).  False when either is malformed. */
bool trainings_paris_utc(const char *day, const char *hhmm, int64_t *out);
/* t (UTC) as Europe/Paris local time, formatted by strftime's fmt. */
void trainings_paris_text(int64_t t, const char *fmt, char *out, size_t n);

/* --- checks ----------------------------------------------------------------- */

/* VG_EINVAL with a French reason in *why and the form field's name in
 * *field; nothing is written. */
vg_rc trainings_check(const struct tr_training_input *in, const char **why,
    const char **field);
/* Also computes the UTC instants of the session's start and end.  format
 * is the training's ("onsite" needs a place and a département, "remote"
 * an https:// link); once checked, the fields of the other format are
 * set to NULL in *in. */
vg_rc trainings_session_check(struct tr_session_input *in,
    const char *format, int64_t *starts, int64_t *ends, const char **why,
    const char **field);

/* --- writing ---------------------------------------------------------------- */

/* Create (id 0) or update a training.  VG_ENOTFOUND for an unknown id. */
vg_rc trainings_save(int64_t id, const struct tr_training_input *in,
    int64_t now, int64_t *out_id);

/* Create (id 0, under training_id) or update a session, after
 * trainings_session_check().  A higher capacity moves people up from the
 * waiting list (into *promoted, which the caller frees); a lower one never
 * removes anyone registered.  A new date clears the reminders sent. */
vg_rc trainings_session_save(int64_t id, int64_t training_id,
    const struct tr_session_input *in, int64_t starts, int64_t ends,
    int64_t now, int64_t *out_id, tr_ids *promoted);

/* Register user_id to a session of a published training, at time now:
 * "registered" while places are left (and nobody waits), "waiting" with
 * a position otherwise.  VG_ENOTFOUND (no such session), VG_EINVAL (the
 * session has started), VG_ECONFLICT (already registered or waiting),
 * each with a French *why.  out->promoted stays empty. */
vg_rc trainings_register(int64_t session_id, int64_t user_id, int64_t now,
    struct tr_outcome *out, const char **why);

/* Cancel user_id's registration or place on the waiting list.  A
 * registered person's place goes to the first one waiting, in the same
 * transaction (out->promoted; the caller frees it with tr_ids_free()).
 * VG_ENOTFOUND (no such session, or not registered), VG_EINVAL (the
 * session has started), with a French *why. */
vg_rc trainings_cancel(int64_t session_id, int64_t user_id, int64_t now,
    struct tr_outcome *out, const char **why);

/* Set the attendance of registrations of a session: n pairs of a
 * registration id and "present", "absent" or "unknown", all in one
 * transaction.  VG_EINVAL, nothing written, when a value is unknown or a
 * registration is not a registered one of that session. */
vg_rc trainings_attendance_set(int64_t session_id, const int64_t *ids,
    const char *const *values, size_t n);

/* --- reading (new JSON objects, caller decrefs) ----------------------------- */

/* Published trainings (every training for editors) with their sessions
 * still to come, optionally filtered by theme and format (NULL: any). */
vg_rc trainings_catalogue(const char *theme, const char *format, int64_t now,
    json_t **out);

/* The training {id, title, objectives, …}; VG_ENOTFOUND when absent or
 * unpublished and !editor. */
vg_rc trainings_get(int64_t id, bool editor, json_t **out);

/* A training's sessions (upcoming only unless all), each with its counts
 * and, for user_id > 0, that person's registration {status, position}.
 * The link of a remote session is given to the people registered and to
 * editors only. */
vg_rc trainings_sessions(int64_t training_id, bool all, int64_t user_id,
    bool editor, int64_t now, json_t **out);

/* One session, with its training {id, title, format, published} under
 * "training".  VG_ENOTFOUND when absent (or unpublished and !editor). */
vg_rc trainings_session_get(int64_t session_id, bool editor, int64_t user_id,
    int64_t now, json_t **out);

/* The registration of user_id to a session, {id, status, position}, or
 * VG_ENOTFOUND. */
vg_rc trainings_registration_of(int64_t session_id, int64_t user_id,
    json_t **out);

/* A person's registrations (cancelled ones left out), sessions to come
 * first, each with its session and training title. */
vg_rc trainings_mine(int64_t user_id, int64_t now, json_t **out);

/* A session's registrations for editors: registered ones, then the
 * waiting list in order, then cancellations: {id, name, email, status,
 * status_label, position, attendance, attendance_label, registered_at}. */
vg_rc trainings_registrations(int64_t session_id, json_t **out);

/* Every training with its number of sessions, for editors. */
vg_rc trainings_admin_list(int64_t now, json_t **out);

/* --- output ----------------------------------------------------------------- */

/* The session as an iCalendar file (RFC 5545) into b.  show_link adds the
 * link of a remote session.  uid_domain names the calendar's UID host. */
vg_rc trainings_ics(const json_t *session, const char *uid_domain,
    bool show_link, int64_t now, vg_buf *b);

/* The registrations as CSV (UTF-8 with a byte order mark, for Excel) into
 * b, and as an XLSX workbook (built under tmpdir) in *out, caller frees. */
void trainings_registrations_csv(const json_t *list, vg_buf *b);
vg_rc trainings_registrations_xlsx(const json_t *list, const json_t *session,
    const char *tmpdir, char **out, size_t *len);

/* --- mail ------------------------------------------------------------------- */

enum tr_mail {
	TR_MAIL_REGISTERED,       /* confirmation */
	TR_MAIL_WAITING,          /* on the waiting list, position N */
	TR_MAIL_PROMOTED,         /* a place came free */
	TR_MAIL_REMINDER          /* the session is near */
};

/* Tell the person of a registration, when mail is configured (smtp_url
 * and notifier_email); VG_OK without sending otherwise.  A failure is
 * logged and returned, and never undoes anything. */
vg_rc trainings_mail(const vg_config *c, int64_t registration,
    enum tr_mail kind);

/* Send the reminders due at time now (trainings_send_reminders() with
 * the clock). */
vg_rc trainings_send_reminders_at(const vg_config *c, int64_t now,
    int *sent);

#endif
