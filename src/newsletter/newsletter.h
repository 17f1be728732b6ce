/*
 * newsletter.h — the quarterly newsletter ("lettre trimestrielle"):
 * subscriptions with double opt-in, issues composed from blocks by
 * editors, paced and resumable sending over SMTP, and a public archive
 * with its Atom feed.
 */
#ifndef VG_NEWSLETTER_H
#define VG_NEWSLETTER_H

#include "core/config.h"
#include "core/crypto.h"
#include "http/http.h"

/* `vigie newsletter …` once the common options (--data, --config) are
 * read and the data opened: argv[0] is "newsletter".  Returns the exit
 * status (0 done, 1 some mails failed, 2 usage or error). */
int newsletter_cli(const vg_config *c, const vg_keys *k, int argc,
    char **argv);

/* Called by the server every few seconds: sends the next mails of an
 * issue being sent, within newsletter_rate, and returns. */
void newsletter_tick(const vg_site *s);

const vg_route *newsletter_routes(size_t *n);

#endif
