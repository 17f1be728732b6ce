/*
 * watch.h — the observatory's watch ("veille"): the sources editors follow
 * (RSS and Atom feeds, web pages), fetched by `vigie watch fetch` and by
 * the server's tick, each item kept once; editors read, tag, annotate and
 * select items for the next newsletter.
 */
#ifndef VG_WATCH_H
#define VG_WATCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/crypto.h"
#include "http/http.h"

/* `vigie watch …` once the common options (--data, --config) are read and
 * the data opened: argv[0] is "watch".  Prints for a person, returns the
 * exit status (0 done, 1 some source failed, 2 usage or error). */
int watch_cli(const vg_config *c, const vg_keys *k, int argc, char **argv);

/* Called by the server every few seconds: fetches the sources whose
 * watch_interval has passed, one after another, stopping early when the
 * server stops (vg_server_stopping()). */
void watch_tick(const vg_site *s);

/* The items editors selected for the next newsletter, oldest selection
 * first, as a new array of {id, title, link, summary, note, source,
 * lang, themes: [..], published ("AAAA-MM-JJ" or null)}.  NULL when the
 * database fails. */
json_t *watch_selection(void);

/* The items of ids went out in a newsletter issue: they leave the
 * selection (and are marked as sent with it). */
vg_rc watch_selection_done(const int64_t *ids, size_t n, int64_t issue_id);

const vg_route *watch_routes(size_t *n);

#endif
