/*
 * detect.h — what looks like identifying data in a text written about a
 * person: e-mail addresses, phone numbers, street addresses, full names
 * (a common French first name followed by a capitalised word), licence
 * plates and social security numbers (NIR).  Used before a case or a
 * contribution is saved, to ask its author to remove it or confirm.
 *
 * It flags; it never proves: false positives are expected and the author
 * decides.
 */
#ifndef VG_WORKGROUP_DETECT_H
#define VG_WORKGROUP_DETECT_H

#include <stddef.h>

#include "core/vg.h"

enum wg_ident {
	WG_EMAIL = 1,
	WG_PHONE,
	WG_ADDRESS,
	WG_NAME,
	WG_PLATE,
	WG_NIR,
};

struct wg_match {
	enum wg_ident kind;
	size_t off, len;        /* bytes of the text (UTF-8) */
};

/* Read the first names (once, at start; the list comes from the npm
 * registry, see docs).  err names the file in French. */
vg_rc wg_detect_load(const char *share, char *err, size_t errlen);
void wg_detect_free(void);

/* The identifying data in text[0..len), in order, at most max written to
 * out; returns how many were found (may be more than max).  Works without
 * wg_detect_load(), names aside. */
size_t wg_detect(const char *text, size_t len, struct wg_match *out,
    size_t max);

/* The kind in French for the author ("une adresse e-mail"). */
const char *wg_ident_label(enum wg_ident kind);

#endif
