/*
 * orientation.h — the guided orientation: a person answers a few questions
 * and gets a personal action plan; and the directory of help lines it
 * points to.
 *
 * The decision tree (content/orientation.yaml) and the contacts
 * (content/contacts.yaml) are data written by editors, checked at start:
 * every reference resolves, every question is reachable, no path loops,
 * and every path ends in a plan with at least one action and one contact.
 */
#ifndef VG_ORIENTATION_H
#define VG_ORIENTATION_H

#include <jansson.h>
#include <stdbool.h>

#include "http/http.h"

#define ORIENT_MAX_ANSWERS 16

/* The answers given so far (borrowed strings). */
typedef struct orient_answers {
	int n;
	const char *question[ORIENT_MAX_ANSWERS];
	const char *value[ORIENT_MAX_ANSWERS];
} orient_answers;

/* Load and check contacts.yaml and orientation.yaml under share/content
 * (after the resources' content, whose slugs the plan cites).  VG_EINVAL
 * with "file:line: message" in French in err.  *paths, if not NULL, gets
 * the number of distinct paths through the tree. */
vg_rc orientation_load(const char *share, long *paths, char *err,
    size_t errlen);
void orientation_free(void);

/* The contacts shown on the home page, in order (borrowed array of
 * {numero, lien, nom, pour, horaires}). */
json_t *orientation_home_contacts(void);

/* Decode a state string (borrowed; parts copied into a) and check that it
 * is a valid path through the tree signed with key.  "" is the start.
 * VG_EINVAL when tampered with or stale. */
vg_rc orientation_state_decode(vg_arena *a, const unsigned char *key,
    const char *state, orient_answers *out);

/* The signed state string of the answers (in the arena). */
const char *orientation_state_encode(vg_arena *a, const unsigned char *key,
    const orient_answers *ans);

/* The question to answer next as a new {id, question, help, choices:
 * [{value, label}]} object, or NULL when the answers reach the end. */
json_t *orientation_next_step(const orient_answers *ans);

/* Add the answer `value` to the current question.  VG_EINVAL when it is
 * not one of its choices or the path is already complete. */
vg_rc orientation_answer(orient_answers *ans, const char *value);

/* The plan for complete answers, as a new object {actions: [{title, text,
 * section}], contacts: [{name, phone, url, hours}], resources: [{title,
 * url}], sections: [...]}; resources hidden at role are left out. */
json_t *orientation_plan(const orient_answers *ans, vg_role role);

/* Walk every path of the tree; for each, call fn with its answers (tests
 * and the load check).  Stops and returns the first non-OK result. */
vg_rc orientation_walk(vg_rc (*fn)(const orient_answers *, void *),
    void *arg, long *count);

/* What local actors fit the answers (the tree's "acteurs:"): up to
 * max - 1 theme codes in themes (NULL-terminated, borrowed), the public
 * they must serve in *public_code (NULL: any).  Returns the number of
 * themes. */
size_t orientation_actor_fit(const orient_answers *ans, const char **themes,
    size_t max, const char **public_code);

const vg_route *orientation_routes(size_t *n);

#endif
