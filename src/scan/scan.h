/*
 * scan.h — the stalkerware scanner: a library first.  The command line
 * (`vigie scan`, `vigie iocs check`) and the page /verification-telephone
 * call it; it stores nothing by itself.
 *
 * Indicators are Echap's stalkerware-indicators, read from a folder given
 * by the user (ioc.yaml, watchware.yaml, samples.csv), never embedded.
 * Inputs are recognised by their content: a network capture (pcap,
 * pcapng), `adb shell pm list packages` (with or without -f, -i, -U),
 * `adb shell dumpsys package`, or a list of APK SHA-256 hashes.
 *
 * The result is one JSON object, the same for every output:
 *
 *	{"iocs": {"version", "files": [{"name", "date", "sha256"}], "apps",
 *	          "stalkerware", "watchware"},
 *	 "inputs": [{"name", "format", "packets"|"lines", "bytes",
 *	            "names", "error"?}],
 *	 "findings": [{"app", "names", "type", "kind", "indicator",
 *	              "observed", "list", "confidence", "count",
 *	              "first", "last", "evidence": [...]}],
 *	 "found": true|false, "stalkerware": N, "watchware": N,
 *	 "errors": N}
 *
 * kind is domain, ip, package, certificate or sample; list says where the
 * indicator comes from (c2, website, distribution, packages,
 * certificates, samples); confidence is high, medium or low.
 */
#ifndef VG_SCAN_H
#define VG_SCAN_H

#include <stdio.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/crypto.h"
#include "core/vg.h"
#include "http/http.h"
#include "render/tmpl.h"

/* Largest text input (app lists, hash lists) read. */
#define VG_SCAN_MAX_TEXT (64u << 20)

typedef struct vg_iocs vg_iocs;

/*
 * Load the indicators folder dir.  On success *out is the caller's (free
 * with vg_iocs_free()).  On failure *out is NULL and err holds one French
 * line naming the file and the line: VG_EIO when a file cannot be read,
 * VG_EINVAL when one is malformed.
 */
vg_rc vg_iocs_load(const char *dir, vg_iocs **out, char *err,
    size_t errlen);
void vg_iocs_free(vg_iocs *iocs);

/* {"version", "files", "apps", "stalkerware", "watchware", "domains",
 * "ips", "packages", "certificates", "samples"}: a new reference. */
json_t *vg_iocs_info(const vg_iocs *iocs);

/*
 * Check the folder dir thoroughly, for `vigie iocs check`: *report (a new
 * reference, also on failure when not NULL) is {"problems": [{"file",
 * "line", "message", "warning"}], "info": {...}}.  Returns VG_OK when no
 * problem but warnings, VG_EINVAL when there are problems, VG_EIO when
 * the folder or a file cannot be read (err says which).
 */
vg_rc vg_iocs_check(const char *dir, json_t **report, char *err,
    size_t errlen);

typedef struct vg_scan vg_scan;

#define VG_SCAN_NAMES 1u        /* keep every name seen (--names) */

/* A scan against iocs (borrowed: it must outlive the scan).  NULL when out
 * of memory. */
vg_scan *vg_scan_new(const vg_iocs *iocs, unsigned flags);
void vg_scan_free(vg_scan *s);

/* Report progress on f (a terminal) while reading large captures. */
void vg_scan_progress(vg_scan *s, FILE *f);

/*
 * Scan the file at path, shown as label (its name for the reader).
 * Returns VG_OK, or an error with one French line in err: VG_EIO when it
 * cannot be read, VG_EINVAL when its format is unknown or it is corrupt.
 * A corrupt capture's packets before the damage still count; the input
 * is listed with its error either way.
 */
vg_rc vg_scan_file(vg_scan *s, const char *path, const char *label,
    char *err, size_t errlen);

/* The result (a new reference), as described above. */
json_t *vg_scan_result(vg_scan *s);

/* Every distinct name seen (VG_SCAN_NAMES), sorted: a new reference. */
json_t *vg_scan_names(vg_scan *s);

/*
 * The reports.  contacts is an array of {name, phone, url, hours, for}
 * (borrowed; may be NULL): who to call.
 *
 * vg_scan_view() adds to a copy of result what the templates and the text
 * need (French labels, a verdict, times written for people): a new
 * reference.  vg_scan_text() writes the report for a terminal;
 * vg_scan_html() a self-contained page ("scan_report_doc" template).
 */
json_t *vg_scan_view(json_t *result, json_t *contacts);
void vg_scan_text(json_t *view, FILE *f);
vg_rc vg_scan_html(const vg_tmpl_set *set, json_t *view, vg_buf *out);

/* The contacts of content/contacts.yaml under share that the report
 * names (a new reference; an empty array when the file is unreadable). */
json_t *vg_scan_contacts(const char *share);

/*
 * The reports a professional chose to keep (saved.c): the platform
 * stores them, sealed with k, for their author only.  scan_saved_get()
 * gives a new result and {id, created, label, verdict}; VG_ENOTFOUND for
 * another user's report as for a missing one.
 */
vg_rc scan_saved_add(const vg_keys *k, int64_t user, const char *label,
    json_t *result, int64_t *id);
vg_rc scan_saved_list(const vg_keys *k, int64_t user, json_t **out);
vg_rc scan_saved_get(const vg_keys *k, int64_t user, int64_t id,
    json_t **result, json_t **meta);
vg_rc scan_saved_delete(int64_t user, int64_t id);

/* The pages (routes.c). */
const vg_route *scan_routes(size_t *n);

#endif
