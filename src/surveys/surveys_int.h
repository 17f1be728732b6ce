/*
 * surveys_int.h — shared between the surveys area's files only.
 */
#ifndef VG_SURVEYS_INT_H
#define VG_SURVEYS_INT_H

#include "core/arena.h"
#include "core/crypto.h"
#include "db/db.h"
#include "surveys/surveys.h"

/* A wave and its form, as loaded for answering or managing. */
struct wave {
	int64_t id, form;         /* rows of survey_waves, survey_forms */
	char form_id[80];
	char name[200];
	int64_t opens_at, closes_at;
	bool panel, identified, linkage;
	json_t *def;              /* the form (owned) */
};

void wave_free(struct wave *w);

/* The wave of that number (with its form).  VG_ENOTFOUND. */
vg_rc wave_load(int64_t wave_id, struct wave *w);

/* The wave of form form_id open at now (the latest opened).  VG_ENOTFOUND
 * when the form does not exist; *open false (and w filled with the form
 * only, id 0) when it exists but no wave is open. */
vg_rc wave_current(const char *form_id, int64_t now, struct wave *w,
    bool *open);

bool wave_is_open(const struct wave *w, int64_t now);

/* Keyed hash of a code (invitation, resume, linkage), after folding case
 * and separators, as text. */
void code_hash(const vg_keys *k, const char *code, char out[VG_TOKEN_CHARS +
    1]);

/* A new code people can copy: 12 characters from an alphabet without
 * look-alikes, in groups ("K7QF-2MZX-9TBA"). */
void code_new(char out[16]);

/* Record a submitted response in one transaction: the answers (sealed),
 * the participant's code marked used (panel), the day's count.  Anonymous
 * waves keep no participant, a random row id and the day only.
 * VG_ECONFLICT when the participant's code was used meanwhile, or these
 * answers (their nonce) were already sent. */
vg_rc response_insert(const vg_keys *k, const struct wave *w,
    const json_t *answers, const char *language, int64_t participant,
    const char *link_hash, const char *nonce, int64_t *id);

/* Count a started answer for today (survey_wave_days). */
void wave_count_start(int64_t wave_id);

/* Drafts (save and resume). */
vg_rc draft_save(const vg_keys *k, int64_t wave_id, const char *state,
    char code[16]);
vg_rc draft_load(const vg_keys *k, int64_t wave_id, const char *code,
    char **state);
void draft_delete(const vg_keys *k, const char *code);

/* The participant of a wave with that invitation code: *id, *used.
 * VG_ENOTFOUND. */
vg_rc participant_find(const vg_keys *k, int64_t wave_id, const char *code,
    int64_t *id, bool *used);

/* Labels in the language asked, else French, else any. */
const char *label_in(const json_t *labels, const char *lang);

#endif

/* --- answering (answer.c) ------------------------------------------------ */

/* Where a person is in a wave: kept in the answering pages as a sealed
 * hidden field (encrypted and authenticated: nothing to read or change),
 * never on the server until the answers are sent or saved. */
struct progress {
	int64_t wave;
	int page;                 /* index in def.pages; -1: not started */
	bool review;              /* every page done: the sending page */
	json_t *answers;          /* {name: value}, owned */
	int64_t participant;      /* panel waves */
	char lang[8];
	char link[VG_TOKEN_CHARS + 1];  /* linkage code's hash, or "" */
	char nonce[VG_TOKEN_CHARS + 1]; /* made at the start: sent once */
};

void progress_free(struct progress *p);

/* Sealed text of p (arena), and back.  VG_EINVAL when altered, of
 * another wave, or unreadable. */
const char *progress_encode(vg_arena *a, const vg_keys *k,
    const struct progress *p);
vg_rc progress_decode(const vg_keys *k, const char *text, int64_t wave,
    struct progress *p);

/* Whether page i (question q, may be NULL) is relevant with the answers. */
bool page_relevant(const json_t *def, int i, const json_t *answers);
bool question_relevant(const json_t *q, const json_t *answers);

/* The next (dir 1) or previous (dir -1) relevant page after i, or -1. */
int page_step(const json_t *def, int i, int dir, const json_t *answers);

/* The page i for the template and the JSON twin: {index, number, total,
 * label, questions: [{name, type, label, hint, required, value,
 * choices: [{name, label, checked}], error}]}.  errors: {name: message}
 * (may be NULL); posted: values typed (may be NULL: from answers). */
json_t *page_view(const json_t *def, int i, const json_t *answers,
    const char *lang, const json_t *errors, const json_t *posted);

/* Read the posted values of page i's relevant questions into answers,
 * checking each (type, list, required, constraint).  Answers of questions
 * not relevant are removed.  *errors gets {name: French message} (empty
 * when all is well; owned by the caller) and *posted what was typed. */
void page_apply(const json_t *def, int i, const vg_form *form,
    json_t *answers, json_t **errors, json_t **posted);

/* Drop the answers of every question that is no longer relevant, page by
 * page in order; the name of a required relevant question left
 * unanswered, or NULL when the answers are complete. */
const char *answers_finish(const json_t *def, json_t *answers);

/* --- the panel (panel.c) ------------------------------------------------ */

/* Add the participants of a CSV file (columns email and, optionally, nom)
 * to a wave, each with a new invitation code: all or nothing, every error
 * in *errors as {line, column, message}.  VG_EINVAL when any row is
 * wrong. */
vg_rc panel_import(const vg_keys *k, int64_t wave_id, const char *data,
    size_t len, json_t **errors, int *added);

/* Mail the invitations not sent yet (reminders false), or the reminders
 * to those invited who have not answered (3 days at least after the last
 * mail).  A failed mail is counted in *failed and tried again next time.
 * VG_EINVAL when mail is not configured, VG_ECONFLICT when the wave is
 * closed, with a French message in err. */
vg_rc panel_send(const vg_config *c, const vg_keys *k, int64_t wave_id,
    bool reminders, int *sent, int *failed, char *err, size_t errlen);
