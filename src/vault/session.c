/*
 * session.c — opened vaults, in memory only.
 *
 * Opening a vault unwraps its key (VK); the key then lives here, in
 * sodium_malloc'ed memory, under the hash of a random token that the
 * browser keeps in the vigie_coffre cookie.  Nothing of it is written
 * anywhere: closing the vault, 20 minutes without use, 4 hours in all, or
 * a restart erase the key, and the person types the passphrase again.
 *
 * The failed attempts of the open pages are counted here too, in memory,
 * per vault (its lookup hash) and per visitor (its daily tag).
 */
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "vault/vault_int.h"

#define MAX_OPEN 4096            /* vaults open at once, at most */
#define MAX_FAIL_KEYS 4096

struct open_vault {
	unsigned char hash[VG_HASH_BYTES];      /* of the token */
	int64_t vault, share;
	bool readonly;
	int64_t opened, used;
	int64_t until;                          /* a share's expiry, or 0 */
	unsigned char *vk;                      /* sodium_malloc'ed */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct open_vault opened[MAX_OPEN];
static size_t nopened;

/* Forget entry i (lock held): erase its key, move the last one in. */
static void
drop(size_t i)
{
	sodium_free(opened[i].vk);
	opened[i] = opened[--nopened];
	memset(&opened[nopened], 0, sizeof(opened[nopened]));
}

static bool
expired(const struct open_vault *v, int64_t now)
{
	return now - v->used >= VAULT_IDLE ||
	    now - v->opened >= VAULT_MAX_OPEN ||
	    (v->until > 0 && now >= v->until);
}

static void
sweep_locked(int64_t now)
{
	size_t i = 0;

	while (i < nopened)
		if (expired(&opened[i], now))
			drop(i);
		else
			i++;
}

vg_rc
vault_session_new(int64_t vault, int64_t share, bool readonly, int64_t until,
    const unsigned char *vk, int64_t now, char token[VG_TOKEN_CHARS + 1])
{
	struct open_vault *v;
	unsigned char *key;

	if ((key = sodium_malloc(VAULT_KEY_BYTES)) == NULL)
		return VG_ENOMEM;
	memcpy(key, vk, VAULT_KEY_BYTES);
	sodium_mprotect_readonly(key);
	vg_token_new(token);
	pthread_mutex_lock(&lock);
	sweep_locked(now);
	if (nopened == MAX_OPEN) {
		pthread_mutex_unlock(&lock);
		sodium_free(key);
		return VG_ENOMEM;
	}
	v = &opened[nopened++];
	vg_hash(NULL, token, strlen(token), v->hash);
	v->vault = vault;
	v->share = share;
	v->readonly = readonly;
	v->opened = v->used = now;
	v->until = until;
	v->vk = key;
	pthread_mutex_unlock(&lock);
	return VG_OK;
}

/* The entry of token (lock held), or -1. */
static long
find(const char *token)
{
	unsigned char h[VG_HASH_BYTES];
	size_t i;

	if (token == NULL || strlen(token) != VG_TOKEN_CHARS)
		return -1;
	vg_hash(NULL, token, strlen(token), h);
	for (i = 0; i < nopened; i++)
		if (sodium_memcmp(opened[i].hash, h, sizeof(h)) == 0)
			return (long)i;
	return -1;
}

vg_rc
vault_session_get(const char *token, int64_t now, struct vault_open *out)
{
	long i;
	vg_rc rc = VG_ENOTFOUND;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&lock);
	if ((i = find(token)) >= 0) {
		if (expired(&opened[i], now)) {
			drop((size_t)i);
		} else {
			opened[i].used = now;
			out->vault = opened[i].vault;
			out->share = opened[i].share;
			out->readonly = opened[i].readonly;
			memcpy(out->vk, opened[i].vk, VAULT_KEY_BYTES);
			rc = VG_OK;
		}
	}
	pthread_mutex_unlock(&lock);
	return rc;
}

void
vault_open_release(struct vault_open *o)
{
	sodium_memzero(o, sizeof(*o));
}

void
vault_session_close(const char *token)
{
	long i;

	pthread_mutex_lock(&lock);
	if ((i = find(token)) >= 0)
		drop((size_t)i);
	pthread_mutex_unlock(&lock);
}

/* Close every entry whose vault (or share, with by_share) is id. */
static void
close_matching(int64_t id, bool by_share)
{
	size_t i = 0;

	pthread_mutex_lock(&lock);
	while (i < nopened)
		if ((by_share ? opened[i].share : opened[i].vault) == id)
			drop(i);
		else
			i++;
	pthread_mutex_unlock(&lock);
}

void
vault_session_close_vault(int64_t vault)
{
	close_matching(vault, false);
}

void
vault_session_close_share(int64_t share)
{
	if (share > 0)
		close_matching(share, true);
}

size_t
vault_session_sweep(int64_t now)
{
	size_t n;

	pthread_mutex_lock(&lock);
	sweep_locked(now);
	n = nopened;
	pthread_mutex_unlock(&lock);
	return n;
}

void
vault_session_close_all(void)
{
	pthread_mutex_lock(&lock);
	while (nopened > 0)
		drop(nopened - 1);
	pthread_mutex_unlock(&lock);
}

/* --- failed attempts ------------------------------------------------------ */

struct fails {
	unsigned char key[VG_HASH_BYTES];
	int64_t first;          /* start of the current window */
	int n;
};

static struct fails failures[MAX_FAIL_KEYS];
static size_t nfailures;

/* The entry of key (lock held), or NULL. */
static struct fails *
fail_find(const char *key, bool make, int64_t now)
{
	unsigned char h[VG_HASH_BYTES];
	size_t i, oldest = 0;

	vg_hash(NULL, key, strlen(key), h);
	for (i = 0; i < nfailures; i++) {
		if (memcmp(failures[i].key, h, sizeof(h)) == 0)
			return &failures[i];
		if (failures[i].first < failures[oldest].first)
			oldest = i;
	}
	if (!make)
		return NULL;
	/* The table is bounded: the oldest window is forgotten first. */
	i = nfailures < MAX_FAIL_KEYS ? nfailures++ : oldest;
	memcpy(failures[i].key, h, sizeof(h));
	failures[i].first = now;
	failures[i].n = 0;
	return &failures[i];
}

bool
vault_fail_blocked(const char *key, int64_t now)
{
	struct fails *f;
	bool blocked = false;

	pthread_mutex_lock(&lock);
	if ((f = fail_find(key, false, now)) != NULL)
		blocked = f->n >= VAULT_FAILS &&
		    now - f->first < VAULT_FAIL_WINDOW;
	pthread_mutex_unlock(&lock);
	return blocked;
}

void
vault_fail_count(const char *key, int64_t now)
{
	struct fails *f;

	pthread_mutex_lock(&lock);
	if ((f = fail_find(key, true, now)) != NULL) {
		if (now - f->first >= VAULT_FAIL_WINDOW) {
			f->first = now;
			f->n = 0;
		}
		f->n++;
	}
	pthread_mutex_unlock(&lock);
}

void
vault_fail_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(failures, 0, sizeof(failures));
	nfailures = 0;
	pthread_mutex_unlock(&lock);
}
