/*
 * analysis.h — the analysts' side of reports (used by routes.c).
 */
#ifndef VG_ANALYSIS_H
#define VG_ANALYSIS_H

#include <jansson.h>
#include <stdint.h>

#include "core/crypto.h"
#include "core/vg.h"

struct queue_filter {
	const char *category, *status, *platform;       /* NULL: any */
	int64_t from, to;               /* created in [from, to); 0: any */
	int64_t assignee;               /* a user; 0: nobody; -1: any */
};

/* The queue, most urgent first, filtered, as a new array. */
vg_rc analysis_queue(const struct queue_filter *f, json_t **out);

/* One report with what the reporter wrote unsealed, its URLs and its
 * history, as a new object; the view is recorded in the audit log. */
vg_rc analysis_report(const vg_keys *keys, int64_t id, int64_t viewer,
    json_t **out);

/* Change a report: kind "status" (nouveau, en-examen, qualifie, clos),
 * "assign" (moi: the actor, personne: nobody),
 * "qualify" (an article code, or "hors-champ"), "forward" (pharos,
 * inhope) or "outcome" (retire, refuse, sans-reponse, hors-champ), with an
 * optional note (a forward's note says to whom, e.g. the country); the change,
 * its event and its audit entry are one transaction.  VG_EINVAL with a
 * French reason in *why; VG_ENOTFOUND when there is no such report. */
vg_rc analysis_change(int64_t id, int64_t actor, const char *kind,
    const char *value, const char *note, const char **why);

#endif
