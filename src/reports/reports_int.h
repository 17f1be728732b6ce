/*
 * reports_int.h — shared between the reporting area's files only.
 */
#ifndef VG_REPORTS_INT_H
#define VG_REPORTS_INT_H

#include "core/crypto.h"
#include "reports/reports.h"

struct report_input {
	const char *submission;          /* the form's one-time token */
	const char *category, *seen_where, *description, *seen_on;
	const char *minor, *relation, *contact, *contact_safe;
	const char *urls[REPORTS_MAX_URLS];
	const char *hosts[REPORTS_MAX_URLS];
	int nurls;
};

json_t *reports_categories(void);       /* borrowed */
json_t *reports_relations(void);        /* borrowed */
json_t *reports_qualifications(void);   /* borrowed */
/* The notice address kept for a platform (content/reports.yaml), or NULL. */
const char *reports_platform_contact(const char *platform);
/* The entry of list ("categories", "relations") with that value. */
json_t *reports_find(const char *list, const char *value);

/* Store a checked report durably.  *duplicate when this form was already
 * received (nothing new is stored). */
vg_rc reports_submit(const vg_keys *keys, const struct report_input *in,
    bool *duplicate);

/* Status of the report whose normalised code is code, as a new object;
 * VG_ENOTFOUND for an unknown code. */
vg_rc reports_follow(const vg_keys *keys, const char *code, json_t **out);

/* The URL reduced for grouping reports (caller frees). */
char *reports_canonical(const char *url, const char *host);

/* --- analysts (analysis.c) --- */

/* Append an entry to the audit log, chained to the previous one; inside
 * the caller's write transaction when it changes a report. */
vg_rc audit_append(int64_t actor, const char *action, int64_t report_id,
    const char *detail);

void reports_receipt_hash(const vg_keys *keys, const char *code,
    char out[VG_TOKEN_CHARS + 1]);
const char *reports_status_label(const char *s);
const char *reports_outcome_label(const char *s);

#endif
