/*
 * reports.h — anonymous reporting of illicit content, and its follow-up
 * by a code shown once.
 *
 * Nothing identifies the person who reports: no address, no user agent,
 * no account, in the database or the logs.  A report is acknowledged only
 * once committed (synchronous=FULL).  The same form sent twice (a double
 * click) makes one report and shows the same code.
 */
#ifndef VG_REPORTS_H
#define VG_REPORTS_H

#include <jansson.h>

#include "http/http.h"

#define REPORTS_MAX_URLS 10

/* Load and check content/reports.yaml (categories, relations, platforms).
 * VG_EINVAL with "file:line: message" in err. */
vg_rc reports_content_load(const char *share, char *err, size_t errlen);
void reports_content_free(void);

/* The platform of an http(s) URL's host, matched on a label boundary
 * ("m.facebook.com" is Facebook, "notfacebook.com" is not), or NULL. */
const char *reports_platform_of(const char *host);

/* Check an http(s) URL and write its lower-cased host (without port or
 * user info) into host.  VG_EINVAL with a French reason. */
vg_rc reports_check_url(const char *url, char *host, size_t hostlen,
    const char **why);

/* The follow-up code made from a form's submission token: the same token
 * gives the same code.  out holds 15 bytes ("ABCD-EFGH-JKMN"). */
void reports_receipt(const vg_keys *keys, const char *submission,
    char out[15]);

/* Normalise a code typed by a person (case, spaces, dashes, O/0, I/L/1)
 * into out (13 bytes: 12 characters); false when it cannot be one. */
bool reports_receipt_normalise(const char *in, char out[13]);

/* Check the audit log's chain of hashes: VG_OK with *count entries, or
 * VG_EINVAL with the id of the first altered or missing entry in *bad. */
vg_rc reports_audit_verify(int64_t *count, int64_t *bad);

/* Remove the personal data of reports closed more than `days` days ago
 * (and of any report older than twice that), keeping what the statistics
 * need.  *purged counts the reports purged now. */
vg_rc reports_purge(int days, int64_t *purged);

const vg_route *reports_routes(size_t *n);

/* Fill resp with the reporting form (/signaler), its first address
 * already filled with url, for another area's "report this content"
 * (reached by a POST: the address never goes into a URL). */
vg_rc reports_form_prefill(vg_req *r, vg_resp *resp, const char *url);

/* Counts of reports by "categorie", "plateforme", "mois" or "issue" (NULL:
 * the total only), for the barometer: a new array of {group, label,
 * count} and the total.  VG_EINVAL for another breakdown. */
vg_rc reports_breakdown(const char *by, json_t **out, int64_t *total);

/* Append an entry to the same chained audit log for another area (the
 * working group: action "wg-…", subject_id its case).  Call inside the
 * caller's write transaction when the entry records a change. */
vg_rc reports_audit_append(int64_t actor, const char *action,
    int64_t subject_id, const char *detail);

#endif
