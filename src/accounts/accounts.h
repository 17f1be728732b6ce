/*
 * accounts.h — users, roles, sign-in and the professionals' account
 * requests.
 *
 * Anonymous visitors need no account.  A professional asks for one (status
 * pending) and an editor or an administrator approves it; the command line
 * creates accounts directly (the first administrator).
 */
#ifndef VG_ACCOUNTS_H
#define VG_ACCOUNTS_H

#include <jansson.h>
#include <stdint.h>

#include "core/crypto.h"
#include "http/http.h"

#define ACCOUNTS_PASSWORD_MIN 12
#define ACCOUNTS_PASSWORD_MAX 1024
#define ACCOUNTS_LOCK_AFTER 5          /* failures before a lock */

/* Checks shared by the web and the command line: VG_OK, or VG_EINVAL and
 * a French message (static, translated) in *why. */
vg_rc accounts_check_email(const char *email, const char **why);
vg_rc accounts_check_password(const char *password, const char **why);

/* Create an active account (command line, tests).  email is lower-cased.
 * VG_ECONFLICT when the address is taken. */
vg_rc accounts_user_add(const char *email, const char *password,
    vg_role role, const char *name, int64_t *id);

/* Every account, oldest first, as a new JSON array of objects {id, email,
 * name, role, status, created_at}.  Caller decrefs. */
vg_rc accounts_user_list(json_t **out);

/* Whether an active administrator exists. */
vg_rc accounts_have_admin(bool *yes);

/* Check a sign-in.  VG_OK with *user_id; VG_EAUTH when the address or the
 * password is wrong or the account is disabled or rejected; VG_EDENIED when
 * the password is right but the account still pending; VG_ETHROTTLE while
 * the address is locked after ACCOUNTS_LOCK_AFTER failures in a row.  The
 * lock applies to any address, with an account or not, and is counted
 * under a hash keyed with keys->throttle. */
vg_rc accounts_login(const vg_keys *keys, const char *email,
    const char *password, int64_t *user_id);

/* A professional's request: a pending account.  note (may be NULL) is
 * sealed with keys->column. */
vg_rc accounts_request(const vg_keys *keys, const char *email,
    const char *password, const char *name, const char *organisation,
    const char *profession, const char *note, int64_t *id);

/* Pending requests as a new JSON array {id, email, name, organisation,
 * profession, note, created_at}; notes unsealed with keys. */
vg_rc accounts_pending(const vg_keys *keys, json_t **out);

/* Approve or reject a pending request (by user decider).  VG_ENOTFOUND
 * when there is no such pending request. */
vg_rc accounts_decide(int64_t id, bool approve, int64_t decider);

/* The session's user loader (see vg_user_loader in http.h). */
vg_rc accounts_load_user(vg_arena *a, int64_t user_id, vg_user **out);

/* The area's routes. */
const vg_route *accounts_routes(size_t *n);

#endif
