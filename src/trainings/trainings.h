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

#endif
