/*
 * newsletter_int.h — shared between the newsletter's files and its unit
 * test only.
 *
 * subscribers.c  addresses, double opt-in, unsubscribing
 * issues.c       issues and their blocks, resolved and frozen
 * render.c       an issue as a web page, as a text mail and an HTML mail
 * send.c         deliveries: the snapshot, the lease, paced sending
 * routes.c       HTTP;  newsletter.c  the command line and the tick
 *
 * Every function that writes runs in one transaction.  Mails are never
 * sent from inside a transaction.
 */
#ifndef VG_NEWSLETTER_INT_H
#define VG_NEWSLETTER_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "db/db.h"
#include "newsletter/newsletter.h"
#include "render/tmpl.h"

#define NL_CONFIRM_TTL (7 * 86400)     /* a confirmation link lives */
#define NL_PENDING_KEEP (7 * 86400)    /* an expired request kept, then
                                          erased */
#define NL_BOUNCE_LIMIT 2              /* refusals in a row: bounced */
#define NL_MAX_ATTEMPTS 5              /* tries of a temporary failure */
#define NL_RETRY_BASE 60               /* seconds, doubled at each try */
#define NL_LEASE 40                    /* seconds a sender's lease lasts:
                                          more than one SMTP transaction */
#define NL_SMTP_TIMEOUT 25
#define NL_TITLE_MAX 200
#define NL_PERIOD_MAX 60
#define NL_TEXT_MAX 20000
#define NL_NAME_MAX 100
#define NL_BLOCKS_MAX 30
#define NL_TRAINING_DAYS 120           /* sessions shown ahead */

/* --- subscribers (subscribers.c) ------------------------------------------- */

/* The keyed hash of s in a domain ("email", "confirm", "unsubscribe")
 * as text, with a key derived for the newsletter. */
void nl_hash(const vg_keys *k, const char *domain, const char *s,
    char out[VG_TOKEN_CHARS + 1]);

/* Whether s is an address we accept (a mailbox, no display name). */
bool nl_email_ok(const char *s);

/* "ma…@exemple.fr": what editors see of an address. */
void nl_mask(const char *email, char *out, size_t n);

enum nl_sub_outcome {
	NL_SUB_NEW,               /* a new request, pending */
	NL_SUB_PENDING,           /* was pending (or bounced): a new link */
	NL_SUB_ALREADY            /* confirmed already: nothing changes */
};

struct nl_subscription {
	enum nl_sub_outcome outcome;
	char confirm[VG_TOKEN_CHARS + 1];      /* "" for NL_SUB_ALREADY */
	char unsubscribe[VG_TOKEN_CHARS + 1];
};

/* Record a subscription request for email (lower-cased here) at time
 * now, in one transaction.  name may be NULL. */
vg_rc nl_subscribe(const vg_keys *k, const char *email, const char *name,
    int64_t now, struct nl_subscription *out);

/* The state of a confirmation token: VG_OK (valid), VG_ENOTFOUND
 * (unknown or used), with *expired set when it is known but too old. */
vg_rc nl_confirm_check(const vg_keys *k, const char *token, int64_t now,
    bool *expired);

/* Confirm: the token then no longer works.  Same codes. */
vg_rc nl_confirm(const vg_keys *k, const char *token, int64_t now,
    bool *expired);

/* VG_OK when an unsubscribe token is known, VG_ENOTFOUND otherwise. */
vg_rc nl_unsubscribe_check(const vg_keys *k, const char *token);

/* Erase the subscriber of token and cancel their deliveries still to
 * come, in one transaction.  VG_ENOTFOUND when unknown. */
vg_rc nl_unsubscribe(const vg_keys *k, const char *token);

/* Erase the requests expired for NL_PENDING_KEEP; *n counts them. */
vg_rc nl_purge_pending(int64_t now, int *n);

/* {pending, confirmed, bounced} as a new object. */
vg_rc nl_subscriber_counts(json_t **out);

/* The confirmation and "already subscribed" mails (after the commit). */
vg_rc nl_mail_subscription(const vg_config *c, const char *email,
    const struct nl_subscription *s, char *err, size_t errlen);

/* --- issues and blocks (issues.c) ------------------------------------------ */

/* The French label of a block kind, or NULL when it is not one. */
const char *nl_kind_label(const char *kind);
const char *nl_status_label(const char *status);

/* VG_EINVAL with a French *why and *field for a bad title or period. */
vg_rc nl_issue_check(const char *title, const char *period,
    const char **why, const char **field);
vg_rc nl_issue_create(const char *title, const char *period, int64_t user,
    int64_t now, int64_t *id);
/* VG_ECONFLICT when the issue is no longer a draft. */
vg_rc nl_issue_update(int64_t id, const char *title, const char *period,
    int64_t now);
/* Delete a draft (VG_ECONFLICT otherwise). */
vg_rc nl_issue_delete(int64_t id);

/* The issue {id, number, title, period, status, status_label, dates…}
 * with "content" (the frozen blocks) once sending started.
 * VG_ENOTFOUND when absent. */
vg_rc nl_issue_get(int64_t id, json_t **out);
/* The sent issue of that number (the public archive). */
vg_rc nl_issue_by_number(int64_t number, json_t **out);
/* Every issue, newest first (sent_only: the archive, limit 0: all). */
vg_rc nl_issue_list(bool sent_only, int limit, json_t **out);

/* The blocks of an issue with their settings: [{id, position, kind,
 * kind_label, data}]. */
vg_rc nl_blocks(int64_t issue, json_t **out);

/* Add a block at the end (data: its settings, borrowed).  VG_ECONFLICT
 * when the issue is not a draft, VG_EINVAL when it has too many blocks. */
vg_rc nl_block_add(int64_t issue, const char *kind, json_t *data,
    int64_t now, int64_t *id);
vg_rc nl_block_update(int64_t issue, int64_t block, json_t *data,
    int64_t now);
/* Swap a block with its neighbour (dir -1: up, 1: down). */
vg_rc nl_block_move(int64_t issue, int64_t block, int dir, int64_t now);
vg_rc nl_block_delete(int64_t issue, int64_t block, int64_t now);

/* The settings of a new block of kind from a form's values (new
 * object), checked: VG_EINVAL with *why and *field. */
vg_rc nl_block_settings(const vg_keys *k, const char *kind,
    const char *markdown, json_t *indicators, const char *since,
    json_t **out, const char **why, const char **field);

/* Every block of a draft resolved into what it shows now: [{id, kind,
 * kind_label, content}], a new array.  since: resources from then. */
vg_rc nl_resolve(const vg_keys *k, int64_t issue, int64_t now,
    json_t **out);

/* --- rendering (render.c) ---------------------------------------------------- */

/* The context a web page or a mail shows of an issue: {issue, blocks:
 * [{kind flags, heading, html, items}], web_url, unsubscribe_url…}, a new
 * object.  charts draws the barometer's SVG (web version only).
 * content is the array of resolved blocks (borrowed). */
json_t *nl_view(const vg_config *c, const json_t *issue,
    const json_t *content, bool charts);

/* The text part of an issue's mail into out. */
void nl_mail_text(const vg_config *c, const json_t *view,
    const char *unsubscribe_url, vg_buf *out);

/* The HTML part (the template "newsletter_mail") into out. */
vg_rc nl_mail_html(const vg_tmpl_set *t, const json_t *view,
    const char *unsubscribe_url, vg_buf *out);

/* Send the issue's mail (view from nl_view) to one address with its
 * unsubscribe token.  *reply is the SMTP reply code (0: none). */
vg_rc nl_mail_issue(const vg_config *c, const vg_tmpl_set *t,
    const json_t *view, const char *to, const char *unsub_token, int *reply,
    char *err, size_t errlen);

/* --- sending (send.c) ---------------------------------------------------------- */

/* Start sending a draft: freeze its blocks, give it the next number,
 * snapshot the confirmed subscribers into deliveries and mark it
 * "sending", in one transaction.  *count: the addresses.  VG_ECONFLICT
 * when it is not a draft (or another issue is being sent), VG_EINVAL
 * when it has no block. */
vg_rc nl_send_start(const vg_keys *k, int64_t issue, int64_t now,
    int *count);

/* The deliveries of an issue for editors: [{id, masked, status,
 * status_label, attempts, answer}] and counts {pending, sent, …}. */
vg_rc nl_deliveries(const vg_keys *k, int64_t issue, json_t **list,
    json_t **counts);

/* One sending process. */
struct nl_sender {
	const vg_config *config;
	const vg_keys *keys;
	const vg_tmpl_set *templates;
	char owner[24];           /* this process's lease name */
	bool (*stopping)(void);   /* checked between two mails */
	/* What happened, for the command line. */
	int sent, bounced, failed, retried;
	bool server_error;        /* the SMTP server itself failed */
	char last_error[256];
};

void nl_sender_init(struct nl_sender *s, const vg_config *c,
    const vg_keys *k, const vg_tmpl_set *t, bool (*stopping)(void));

/* Send at most max mails of the issue being sent (those due at now).
 * *done is set when no issue is left to send (the last one then got
 * marked "sent").  *busy when another process holds the lease.
 * *wait: seconds until the next retry is due, 0 when mails are due. */
vg_rc nl_send_some(struct nl_sender *s, int max, bool *done, bool *busy,
    int64_t *wait);

/* Give the lease back (clean stop). */
void nl_sender_release(struct nl_sender *s);

#endif
