/*
 * notices.h — DSA art. 16 notices to hosts (used by routes.c).
 */
#ifndef VG_NOTICES_H
#define VG_NOTICES_H

#include <jansson.h>
#include <stdint.h>

#include "core/config.h"
#include "core/vg.h"

/* The text of a notice for a report (caller frees *out). */
vg_rc notice_text(const vg_config *c, int64_t report_id,
    const char *explanation, char **out);

/* Make a notice: sent by e-mail to recipient, or (recipient NULL) only
 * recorded for download; recorded with its event and audit entry only
 * once sent.  *text is the notice (caller frees).  VG_EINVAL or VG_EIO
 * with a French reason in *why. */
vg_rc notice_issue(const vg_config *c, int64_t report_id, int64_t actor,
    const char *explanation, const char *recipient, char **text,
    const char **why);

/* Record the host's decision (retire, refuse) on a notice; it becomes the
 * report's outcome. */
vg_rc notice_reply(int64_t report_id, int64_t notice_id, int64_t actor,
    const char *decision);

/* The notices of a report with their state (overdue when unanswered past
 * their due date), as a new array. */
vg_rc notice_list(int64_t report_id, json_t **out);

#endif
