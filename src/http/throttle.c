/*
 * throttle.c — a fixed table of (bucket, tag) counters with a sliding
 * window approximated by two fixed windows.
 */
#include "http/throttle.h"

#include <pthread.h>
#include <stdio.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#define SLOTS 4096

struct slot {
	char key[64];           /* bucket ":" tag; "" when free */
	time_t start;           /* start of the current window */
	int count, previous;
};

static struct slot slots[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char salt[crypto_generichash_KEYBYTES];
static long salt_day = -1;

void
vg_client_tag(const void *addr, size_t n, char out[VG_TAG_CHARS + 1])
{
	unsigned char h[16];
	long day = (long)(time(NULL) / 86400);

	pthread_mutex_lock(&lock);
	if (day != salt_day) {
		randombytes_buf(salt, sizeof(salt));
		salt_day = day;
	}
	crypto_generichash(h, sizeof(h), addr, n, salt, sizeof(salt));
	pthread_mutex_unlock(&lock);
	sodium_bin2base64(out, VG_TAG_CHARS + 1, h, sizeof(h),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool
vg_throttle_allow(const char *bucket, const char *tag, int max, int window)
{
	char key[64];
	unsigned char h[8];
	size_t i, at, victim = 0;
	time_t now = time(NULL), oldest = now + 1;
	struct slot *s = NULL;
	double weight;
	bool ok;

	snprintf(key, sizeof(key), "%s:%s", bucket, tag);
	crypto_generichash(h, sizeof(h), (const unsigned char *)key,
	    strlen(key), NULL, 0);
	at = ((size_t)h[0] << 8 | h[1]) % SLOTS;
	pthread_mutex_lock(&lock);
	/* Open addressing over 16 neighbours; else reuse the oldest. */
	for (i = 0; i < 16; i++) {
		struct slot *t = &slots[(at + i) % SLOTS];

		if (strcmp(t->key, key) == 0) {
			s = t;
			break;
		}
		if (t->start < oldest) {
			oldest = t->start;
			victim = (at + i) % SLOTS;
		}
	}
	if (s == NULL) {
		s = &slots[victim];
		memset(s, 0, sizeof(*s));
		snprintf(s->key, sizeof(s->key), "%s", key);
		s->start = now;
	}
	if (now - s->start >= window) {
		s->previous = now - s->start >= 2 * window ? 0 : s->count;
		s->count = 0;
		s->start = now - (now - s->start) % window;
	}
	s->count++;
	/* The previous window counts for the part still inside the last
	 * `window` seconds. */
	weight = 1.0 - (double)(now - s->start) / window;
	ok = s->count + s->previous * weight <= max;
	pthread_mutex_unlock(&lock);
	return ok;
}

void
vg_throttle_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(slots, 0, sizeof(slots));
	pthread_mutex_unlock(&lock);
}
