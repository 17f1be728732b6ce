/*
 * trainings.h — the training catalogue: trainings, their sessions,
 * professionals' registrations with a waiting list, reminders.
 */
#ifndef VG_TRAININGS_H
#define VG_TRAININGS_H

#include "http/http.h"

/* Send the reminders due (sessions starting within two days whose
 * registered people have not been reminded yet).  *sent counts the mails.
 * Run by the server's daily job and by `vigie formations rappels`. */
vg_rc trainings_send_reminders(const vg_config *c, int *sent);

const vg_route *trainings_routes(size_t *n);

/* The sessions of published trainings starting after now and before
 * until, soonest first, at most 30, as a new array of {session_id,
 * training_id, title, date_label, time_label, format_label, place,
 * departement, url} (for the newsletter; no remote link). */
vg_rc trainings_upcoming(int64_t now, int64_t until, json_t **out);

#endif
