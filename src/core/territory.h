/*
 * territory.h — France's départements and communes, with their official
 * codes, names and populations, read at start from the npm package
 * @etalab/decoupage-administratif that the project's scripts install
 * (share/node_modules/@etalab/decoupage-administratif/data/).  Nothing here
 * is typed by hand.
 *
 * Loaded once, read-only afterwards: every function may be called from any
 * thread after vg_territory_load().
 */
#ifndef VG_TERRITORY_H
#define VG_TERRITORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vg.h"

typedef struct vg_dept {
	char code[4];           /* "01", "2A", "974" */
	const char *name;       /* "Ain" */
	char region[4];
	bool overseas;          /* zone "drom" */
	int64_t population;     /* sum of its communes' */
} vg_dept;

typedef struct vg_commune {
	char code[6];           /* INSEE code, "42218" */
	char dept[4];
	const char *name;       /* "Saint-Étienne" */
	int64_t population;
} vg_commune;

/* Read the départements (metropolitan and overseas; not the overseas
 * collectivities) and the communes (current communes and the municipal
 * arrondissements of Paris, Lyon and Marseille).  VG_EIO with a French
 * message naming the file when it is missing or malformed. */
vg_rc vg_territory_load(const char *share, char *err, size_t errlen);
void vg_territory_free(void);

/* Départements in code order. */
size_t vg_dept_count(void);
const vg_dept *vg_dept_at(size_t i);

/* The département of that code, or NULL. */
const vg_dept *vg_dept_get(const char *code);

/* The département meant by what a person or a spreadsheet wrote: its code
 * ("42", "2a", and "1" for "01" as Excel strips leading zeros), or its name
 * whatever the case and accents ("loire", "Ardèche", "ardeche").  NULL when
 * nothing matches. */
const vg_dept *vg_dept_find(const char *text);

/* How many communes (and municipal arrondissements) were read. */
size_t vg_commune_count(void);

/* The commune of that INSEE code, or NULL. */
const vg_commune *vg_commune_get(const char *code);

/* The commune meant by text within département dept: its code (a 4-digit
 * code gets its leading zero back) or its name whatever the case and
 * accents.  NULL when nothing matches or the commune is elsewhere. */
const vg_commune *vg_commune_find(const char *dept, const char *text);

/* Communes of a département, in name order: *n of them from the returned
 * array of pointers (NULL, *n 0 for an unknown code). */
const vg_commune *const *vg_communes_of(const char *dept, size_t *n);

/* The key names are compared by: lower case, accents folded, hyphens,
 * underscores, apostrophes and runs of spaces as one space, trimmed
 * ("Côtes-d’Armor" → "cotes d armor").  Caller frees; NULL on failure. */
char *vg_fold_key(const char *s);

#endif
