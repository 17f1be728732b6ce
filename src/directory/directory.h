/*
 * directory.h — the directory of local actors ("cartographie des
 * acteurs"): associations, police and gendarmerie, justice, health,
 * education, social services, digital mediation, lawyers… by département,
 * commune, kind, theme and public served.
 *
 * Each contact field (address, phone, email, website) is public or for
 * professionals only; such a field is never listed, shown or exported to
 * someone without a professional account.
 */
#ifndef VG_DIRECTORY_H
#define VG_DIRECTORY_H

#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"

/* The actors of département dept serving one of the themes (NULL: any)
 * and the public (NULL: any; actors serving everyone always fit), as seen
 * at role: a new array of {id, name, kind, kind_label, commune_name,
 * phone, email, website, url}, at most limit, those with a matching
 * theme first. */
vg_rc directory_nearby(const char *dept, const char *const *themes,
    const char *public_code, vg_role role, size_t limit, json_t **out);

/* Whether code is one of the publics actors serve (tous, mineurs…). */
bool directory_public_known(const char *code);

const vg_route *directory_routes(size_t *n);

#endif
