/*
 * scan.c — matching what a phone showed against the indicators.
 *
 * Each input is recognised by its first bytes: a capture's magic number,
 * else text that applist_guess() knows.  Captures are decoded by
 * capture.c, event by event; app lists by applist.c, item by item.  Each
 * match becomes a finding, one per indicator and value observed, with its
 * first pieces of evidence and a count of the rest.
 *
 * The per-packet path (every IP packet's destination) is two lookups in
 * small tables: the addresses already tied to a finding (an indicator's
 * address, or one a DNS answer gave for an indicator's name), then the
 * indicators' addresses.  Everything kept is bounded (findings, evidence
 * per finding, addresses tied, the names remembered for --names and the
 * recent DNS answers), so memory does not grow with the capture's size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <arpa/inet.h>

#include "core/i18n.h"
#include "scan/capture.h"
#include "scan/scan_int.h"

#define EVIDENCE_MAX 12         /* pieces of evidence kept per finding */
#define FINDINGS_MAX 4096
#define TIED_MAX 4096           /* addresses tied to a finding */
#define RESOLVED_SLOTS 16384    /* recent DNS answers, address to name */
#define NAMES_MAX (1u << 22)    /* names kept for --names */

/* A piece of evidence, kept compact: a finding's first EVIDENCE_MAX
 * become JSON only in the result, so that what a scan keeps stays small
 * and does not grow with the capture. */
struct evidence {
	const char *input;      /* the input's name (in s->inputs) */
	const char *what;       /* static: "dns", "tls", "app"… */
	char *detail;
	char *package;          /* a certificate's package, or NULL */
	uint64_t packet;        /* captures; 0 for lists */
	size_t line;            /* lists; 0 for captures */
	int64_t ts;
	struct vg_cap_addr src, dst;
};

struct finding {
	uint32_t entry;
	char *observed;
	uint64_t count;
	int64_t first, last;    /* µs; 0 for app lists */
	struct evidence *ev;    /* EVIDENCE_MAX, allocated with the first */
	unsigned nev;
};

/* An address tied to a finding: traffic to it is that finding's. */
struct tied {
	uint8_t key[17];
	uint8_t keylen;
	uint32_t finding;
	uint64_t packets;
	int64_t first, last;
	uint64_t first_packet;
	const char *input;
};

struct resolved {
	uint8_t key[17];
	uint8_t keylen;
	char name[256];
};

struct strset {
	char **slot;
	size_t mask, n;
};

struct vg_scan {
	const vg_iocs *iocs;
	unsigned flags;
	FILE *progress;
	json_t *inputs;
	const char *label;      /* the input being read */
	int errors;

	struct finding *f;
	size_t nf, cf;
	int truncated;
	uint32_t *fslot;        /* open addressing: finding index + 1 */
	size_t fmask;

	struct tied *tied;
	size_t ntied;
	uint32_t *tiedslot;     /* open addressing over tied, 2 * TIED_MAX */

	struct resolved *res;   /* RESOLVED_SLOTS, overwritten */

	struct strset names;
	uint64_t nameevents;
};

static uint64_t
hash_mem(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ull;

	while (n-- > 0) {
		h ^= *s++;
		h *= 1099511628211ull;
	}
	return h ^ (h >> 31);
}

/* Insert s[0..n) into set; returns its slot's string, and *added. NULL
 * when full or out of memory. */
static const char *
strset_add(struct strset *set, const char *s, size_t n, int *added,
    size_t *slotno)
{
	size_t h;

	*added = 0;
	if (set->slot == NULL) {
		set->mask = 1023;
		if ((set->slot = calloc(set->mask + 1, sizeof(char *))) == NULL)
			return NULL;
	}
	for (h = hash_mem(s, n) & set->mask;; h = (h + 1) & set->mask) {
		char *e = set->slot[h];

		if (e == NULL)
			break;
		if (strncmp(e, s, n) == 0 && e[n] == '\0') {
			*slotno = h;
			return e;
		}
	}
	if (set->n >= NAMES_MAX)
		return NULL;
	if (2 * (set->n + 1) > set->mask + 1) {
		size_t size = 2 * (set->mask + 1), i, k;
		char **ns = calloc(size, sizeof(char *));

		if (ns == NULL)
			return NULL;
		for (i = 0; i <= set->mask; i++) {
			char *e = set->slot[i];

			if (e == NULL)
				continue;
			for (k = hash_mem(e, strlen(e)) & (size - 1);
			    ns[k] != NULL; k = (k + 1) & (size - 1))
				;
			ns[k] = e;
		}
		free(set->slot);
		set->slot = ns;
		set->mask = size - 1;
		for (h = hash_mem(s, n) & set->mask; set->slot[h] != NULL;
		    h = (h + 1) & set->mask)
			;
	}
	if ((set->slot[h] = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(set->slot[h], s, n);
	set->slot[h][n] = '\0';
	set->n++;
	*added = 1;
	*slotno = h;
	return set->slot[h];
}

static void
strset_free(struct strset *set)
{
	size_t i;

	if (set->slot == NULL)
		return;
	for (i = 0; i <= set->mask; i++)
		free(set->slot[i]);
	free(set->slot);
	memset(set, 0, sizeof(*set));
}

vg_scan *
vg_scan_new(const vg_iocs *iocs, unsigned flags)
{
	vg_scan *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->iocs = iocs;
	s->flags = flags;
	s->inputs = json_array();
	s->tied = calloc(TIED_MAX, sizeof(*s->tied));
	s->tiedslot = calloc(2 * TIED_MAX, sizeof(uint32_t));
	s->res = calloc(RESOLVED_SLOTS, sizeof(*s->res));
	if (s->inputs == NULL || s->tied == NULL || s->tiedslot == NULL ||
	    s->res == NULL) {
		vg_scan_free(s);
		return NULL;
	}
	return s;
}

void
vg_scan_free(vg_scan *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nf; i++) {
		unsigned k;

		for (k = 0; k < s->f[i].nev; k++) {
			free(s->f[i].ev[k].detail);
			free(s->f[i].ev[k].package);
		}
		free(s->f[i].ev);
		free(s->f[i].observed);
	}
	free(s->f);
	free(s->fslot);
	strset_free(&s->names);
	free(s->tied);
	free(s->tiedslot);
	free(s->res);
	json_decref(s->inputs);
	free(s);
}

void
vg_scan_progress(vg_scan *s, FILE *f)
{
	s->progress = f;
}

/* "2026-11-23T10:00:00.123456Z" */
static void
iso_time(int64_t us, char out[32])
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (us <= 0 || gmtime_r(&t, &tm) == NULL) {
		*out = '\0';
		return;
	}
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + 19, 13, ".%06ldZ", (long)(us % 1000000));
}

static void
addr_text(int family, const uint8_t *b, char out[64])
{
	if (inet_ntop(family == 6 ? AF_INET6 : AF_INET, b, out, 64) == NULL)
		snprintf(out, 64, "?");
}

static uint64_t
finding_hash(uint32_t entry, const char *observed)
{
	return hash_mem(observed, strlen(observed)) ^ (entry * 0x9e3779b97f4a7c15ull);
}

/* The finding for entry and observed, created when new; NULL when the
 * table is full (noted in the result) or out of memory. */
static struct finding *
finding_for(vg_scan *s, uint32_t entry, const char *observed)
{
	struct finding *f;
	size_t h;

	if (s->fslot != NULL) {
		for (h = finding_hash(entry, observed) & s->fmask;
		    s->fslot[h] != 0; h = (h + 1) & s->fmask) {
			f = &s->f[s->fslot[h] - 1];
			if (f->entry == entry &&
			    strcmp(f->observed, observed) == 0)
				return f;
		}
	}
	if (s->nf >= FINDINGS_MAX) {
		s->truncated = 1;
		return NULL;
	}
	if (s->nf == s->cf) {
		size_t c = s->cf ? 2 * s->cf : 16, i;
		struct finding *p = realloc(s->f, c * sizeof(*p));
		uint32_t *slots;

		if (p == NULL)
			return NULL;
		s->f = p;
		s->cf = c;
		/* The map keeps twice as many slots as findings. */
		if ((slots = calloc(2 * c, sizeof(*slots))) == NULL)
			return NULL;
		free(s->fslot);
		s->fslot = slots;
		s->fmask = 2 * c - 1;
		for (i = 0; i < s->nf; i++) {
			for (h = finding_hash(s->f[i].entry, s->f[i].observed)
			    & s->fmask; s->fslot[h] != 0;
			    h = (h + 1) & s->fmask)
				;
			s->fslot[h] = (uint32_t)i + 1;
		}
	}
	f = &s->f[s->nf];
	memset(f, 0, sizeof(*f));
	f->entry = entry;
	if ((f->observed = strdup(observed)) == NULL)
		return NULL;
	for (h = finding_hash(entry, observed) & s->fmask; s->fslot[h] != 0;
	    h = (h + 1) & s->fmask)
		;
	s->fslot[h] = (uint32_t)++s->nf;
	return f;
}

/* Whether f keeps more evidence. */
static int
wants_evidence(const struct finding *f)
{
	return f->nev < EVIDENCE_MAX;
}

/* Keep a copy of e, up to EVIDENCE_MAX. */
static void
keep_evidence(struct finding *f, const struct evidence *e)
{
	struct evidence *k;

	if (!wants_evidence(f))
		return;
	if (f->ev == NULL &&
	    (f->ev = calloc(EVIDENCE_MAX, sizeof(*f->ev))) == NULL)
		return;
	k = &f->ev[f->nev];
	*k = *e;
	k->detail = strdup(e->detail ? e->detail : "");
	k->package = e->package ? strdup(e->package) : NULL;
	if (k->detail == NULL) {
		free(k->package);
		return;
	}
	f->nev++;
}

static void
finding_seen(struct finding *f, int64_t ts)
{
	f->count++;
	if (ts > 0) {
		if (f->first == 0 || ts < f->first)
			f->first = ts;
		if (ts > f->last)
			f->last = ts;
	}
}

/* Keep, as f's evidence, where a packet is, when, and what it showed. */
static void
packet_evidence(vg_scan *s, struct finding *f, const struct vg_cap_event *ev,
    const char *what, const char *detail)
{
	struct evidence e;

	memset(&e, 0, sizeof(e));
	e.input = s->label;
	e.what = what;
	e.detail = (char *)detail;
	e.packet = ev->packet;
	e.ts = ev->ts_us;
	e.src = ev->src;
	e.dst = ev->addr;
	keep_evidence(f, &e);
}

static json_t *
evidence_json(const struct evidence *e)
{
	char when[32], src[64], dst[64];
	json_t *o;

	if (e->line > 0) {
		o = json_pack("{s:s, s:I, s:s, s:s}", "input", e->input,
		    "line", (json_int_t)e->line, "what", e->what,
		    "detail", e->detail);
		if (o != NULL && e->package != NULL)
			json_object_set_new(o, "package",
			    json_string(e->package));
		return o;
	}
	iso_time(e->ts, when);
	addr_text(e->src.family, e->src.bytes, src);
	addr_text(e->dst.family, e->dst.bytes, dst);
	return json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s}",
	    "input", e->input, "packet", (json_int_t)e->packet,
	    "time", when, "what", e->what, "detail", e->detail,
	    "source", e->src.family ? src : "",
	    "destination", e->dst.family ? dst : "");
}

/* Tie the address key to finding fi: later packets to it are its
 * evidence.  A full table ties nothing more. */
static void
tie(vg_scan *s, const uint8_t *key, size_t keylen, uint32_t fi)
{
	size_t h;

	for (h = hash_mem(key, keylen) & (2 * TIED_MAX - 1);;
	    h = (h + 1) & (2 * TIED_MAX - 1)) {
		uint32_t t = s->tiedslot[h];

		if (t == 0)
			break;
		if (s->tied[t - 1].keylen == keylen &&
		    memcmp(s->tied[t - 1].key, key, keylen) == 0)
			return;
	}
	if (s->ntied >= TIED_MAX)
		return;
	memcpy(s->tied[s->ntied].key, key, keylen);
	s->tied[s->ntied].keylen = (uint8_t)keylen;
	s->tied[s->ntied].finding = fi;
	s->tiedslot[h] = (uint32_t)++s->ntied;
}

static struct tied *
tied_find(vg_scan *s, const uint8_t *key, size_t keylen)
{
	size_t h;

	for (h = hash_mem(key, keylen) & (2 * TIED_MAX - 1);;
	    h = (h + 1) & (2 * TIED_MAX - 1)) {
		uint32_t t = s->tiedslot[h];

		if (t == 0)
			return NULL;
		if (s->tied[t - 1].keylen == keylen &&
		    memcmp(s->tied[t - 1].key, key, keylen) == 0)
			return &s->tied[t - 1];
	}
}

/* The name a recent DNS answer gave for the address key, or NULL. */
static const char *
resolved_name(vg_scan *s, const uint8_t *key, size_t kl)
{
	const struct resolved *r = &s->res[hash_mem(key, kl) &
	    (RESOLVED_SLOTS - 1)];

	return r->keylen == kl && memcmp(r->key, key, kl) == 0 ? r->name :
	    NULL;
}

/* What a packet showed, in words, for its evidence. */
static void
describe(const struct vg_cap_event *ev, char *buf, size_t n)
{
	char addr[64];

	switch (ev->kind) {
	case VG_CAP_DNS_QUERY:
		snprintf(buf, n, ev->response ? _("réponse DNS pour %s") :
		    _("requête DNS de %s"), ev->name);
		break;
	case VG_CAP_DNS_ANSWER:
		addr_text(ev->addr.family, ev->addr.bytes, addr);
		snprintf(buf, n, _("réponse DNS : %s a pour adresse %s"),
		    ev->alias ? ev->alias : ev->name, addr);
		break;
	case VG_CAP_TLS_SNI:
		snprintf(buf, n, _("connexion chiffrée (TLS) vers %s"),
		    ev->name);
		break;
	case VG_CAP_HTTP_HOST:
		snprintf(buf, n, _("requête web (HTTP) vers %s"), ev->name);
		break;
	default:
		*buf = '\0';
	}
}

/* A name seen in a packet, matched.  Most names match nothing: the
 * evidence is only written for a match, and only while a finding keeps
 * some. */
static void
on_name(vg_scan *s, const struct vg_cap_event *ev, const char *name,
    size_t len, const char *what)
{
	char detail[VG_CAP_NAME_MAX + 128];
	const struct ioc_entry *e;
	uint32_t ei;

	ei = iocs_find_domain(s->iocs, name, len);
	for (; ei != IOC_NONE; ei = e->next) {
		struct finding *f;

		e = iocs_entry(s->iocs, ei);
		if ((f = finding_for(s, ei, name)) == NULL)
			break;
		if (wants_evidence(f)) {
			describe(ev, detail, sizeof(detail));
			packet_evidence(s, f, ev, what, detail);
		}
		finding_seen(f, ev->ts_us);
		if (ev->kind == VG_CAP_DNS_ANSWER) {
			uint8_t key[17];
			size_t kl = iocs_ip_key(ev->addr.family,
			    ev->addr.bytes, key);

			tie(s, key, kl, (uint32_t)(f - s->f));
		}
	}
}

static void
on_event(void *arg, const struct vg_cap_event *ev)
{
	vg_scan *s = arg;
	char detail[VG_CAP_NAME_MAX + 128], addr[64];
	uint8_t key[17];
	size_t kl, slot;
	int added;

	switch (ev->kind) {
	case VG_CAP_DEST: {
		struct tied *t;
		uint32_t ei;

		if (ev->addr.family == 0)
			return;
		kl = iocs_ip_key(ev->addr.family, ev->addr.bytes, key);
		/* Traffic to an address a DNS answer gave for an
		 * indicator's name. */
		if ((t = tied_find(s, key, kl)) != NULL) {
			if (t->packets++ == 0) {
				t->first = ev->ts_us;
				t->first_packet = ev->packet;
				t->input = s->label;
			}
			t->last = ev->ts_us;
			finding_seen(&s->f[t->finding], ev->ts_us);
		}
		/* And, on its own, an indicator's address: every app that
		 * lists it. */
		ei = iocs_find(s->iocs, IOC_IP, key, kl);
		if (ei == IOC_NONE)
			return;
		addr_text(ev->addr.family, ev->addr.bytes, addr);
		for (; ei != IOC_NONE; ei = iocs_entry(s->iocs, ei)->next) {
			struct finding *f;
			const char *name;

			if ((f = finding_for(s, ei, addr)) == NULL)
				return;
			if (f->count == 0) {
				name = resolved_name(s, key, kl);
				if (name != NULL)
					snprintf(detail, sizeof(detail),
					    _("premier paquet vers %s (%s)"),
					    addr, name);
				else
					snprintf(detail, sizeof(detail),
					    _("premier paquet vers %s"), addr);
				packet_evidence(s, f, ev, "ip", detail);
			}
			finding_seen(f, ev->ts_us);
		}
		return;
	}
	case VG_CAP_DNS_ANSWER: {
		struct resolved *r;

		kl = iocs_ip_key(ev->addr.family, ev->addr.bytes, key);
		r = &s->res[hash_mem(key, kl) & (RESOLVED_SLOTS - 1)];
		memcpy(r->key, key, kl);
		r->keylen = (uint8_t)kl;
		snprintf(r->name, sizeof(r->name), "%s", ev->name);
		on_name(s, ev, ev->name, ev->namelen, "dns-answer");
		if (ev->alias != NULL)
			on_name(s, ev, ev->alias, ev->aliaslen, "dns-answer");
		return;
	}
	case VG_CAP_DNS_QUERY:
	case VG_CAP_TLS_SNI:
	case VG_CAP_HTTP_HOST:
		if (s->flags & VG_SCAN_NAMES)
			strset_add(&s->names, ev->name, ev->namelen, &added,
			    &slot);
		s->nameevents++;
		on_name(s, ev, ev->name, ev->namelen, ev->kind ==
		    VG_CAP_DNS_QUERY ? "dns" : ev->kind == VG_CAP_TLS_SNI ?
		    "tls" : "http");
		return;
	}
}

struct progress {
	vg_scan *s;
	int shown;
};

static void
on_progress(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;

	if (p->s->progress == NULL || total < (32u << 20))
		return;
	fputc('\r', p->s->progress);
	fprintf(p->s->progress, _("%s : %3d %% lus (%llu Mo sur %llu Mo)"),
	    p->s->label, total ? (int)(100 * done / total) : 0,
	    (unsigned long long)(done >> 20),
	    (unsigned long long)(total >> 20));
	fflush(p->s->progress);
	p->shown = 1;
}

static vg_rc
scan_capture(vg_scan *s, const char *path, json_t *input, char *err,
    size_t errlen)
{
	struct progress pr = {s, 0};
	const struct vg_cap_stats *st;
	vg_cap *c;
	vg_rc rc;

	if ((c = vg_cap_new(on_event, s)) == NULL) {
		snprintf(err, errlen, "%s", _("mémoire épuisée"));
		return VG_ENOMEM;
	}
	s->nameevents = 0;
	rc = vg_cap_read_file(c, path, on_progress, &pr, err, errlen);
	if (rc != VG_OK) {
		/* The decoder names the file by its last component: the
		 * reader knows it by its label (an upload's temporary file
		 * has a meaningless name). */
		const char *base = strrchr(path, '/');
		size_t bl;

		base = base ? base + 1 : path;
		bl = strlen(base);
		if (strncmp(err, base, bl) == 0 && strcmp(base, s->label) !=
		    0) {
			char rest[1024];

			snprintf(rest, sizeof(rest), "%s", err + bl);
			snprintf(err, errlen, "%s%s", s->label, rest);
		}
	}
	if (pr.shown) {
		fputc('\n', s->progress);
		fflush(s->progress);
	}
	st = vg_cap_stats(c);
	json_object_set_new(input, "packets", json_integer((json_int_t)
	    st->packets));
	json_object_set_new(input, "bytes", json_integer((json_int_t)
	    st->bytes));
	json_object_set_new(input, "ip", json_integer((json_int_t)st->ip));
	json_object_set_new(input, "dns", json_integer((json_int_t)st->dns));
	json_object_set_new(input, "tls", json_integer((json_int_t)st->tls));
	json_object_set_new(input, "http", json_integer((json_int_t)
	    st->http));
	json_object_set_new(input, "malformed", json_integer((json_int_t)
	    st->malformed));
	json_object_set_new(input, "names", json_integer((json_int_t)
	    s->nameevents));
	vg_cap_free(c);
	return rc;
}

static void
on_item(void *arg, const struct applist_item *it)
{
	vg_scan *s = arg;
	const struct ioc_entry *e;
	const char *observed;
	uint32_t ei;
	int kind;

	if (it->sha256 != NULL) {
		kind = IOC_SAMPLE;
		observed = it->sha256;
	} else if (it->cert != NULL) {
		kind = IOC_CERT;
		observed = it->cert;
	} else {
		kind = IOC_PACKAGE;
		observed = it->package;
	}
	ei = iocs_find(s->iocs, kind, observed, strlen(observed));
	for (; ei != IOC_NONE; ei = e->next) {
		struct finding *f;
		struct evidence ev;

		e = iocs_entry(s->iocs, ei);
		if ((f = finding_for(s, ei, observed)) == NULL)
			return;
		memset(&ev, 0, sizeof(ev));
		ev.input = s->label;
		ev.line = it->lineno;
		ev.what = kind == IOC_SAMPLE ? "hash" : "app";
		ev.detail = (char *)it->line;
		ev.package = it->cert != NULL ? (char *)it->package : NULL;
		keep_evidence(f, &ev);
		finding_seen(f, 0);
	}
}

static const char *const format_names[] = {
	[APPLIST_PM] = "pm-list-packages",
	[APPLIST_DUMPSYS] = "dumpsys-package",
	[APPLIST_HASHES] = "sha256-list",
};

static vg_rc
scan_text(vg_scan *s, const char *path, json_t *input, char *err,
    size_t errlen)
{
	enum applist_format fmt;
	char *buf = NULL;
	size_t len = 0, bad = 0, items;
	vg_rc rc;

	if ((rc = scan_read_file(path, s->label, VG_SCAN_MAX_TEXT, &buf, &len,
	    err, errlen)) != VG_OK)
		return rc;
	if ((fmt = len > 0 ? applist_guess(buf, len) : APPLIST_NONE) ==
	    APPLIST_NONE) {
		snprintf(err, errlen, _("%s : format non reconnu (ni une "
		    "capture réseau pcap ou pcapng, ni une liste d'applications "
		    "d'adb, ni une liste d'empreintes SHA-256)"), s->label);
		rc = VG_EINVAL;
		goto done;
	}
	json_object_set_new(input, "format", json_string(format_names[fmt]));
	items = applist_read(fmt, buf, len, on_item, s, &bad);
	json_object_set_new(input, "items", json_integer((json_int_t)items));
	json_object_set_new(input, "unread", json_integer((json_int_t)bad));
	json_object_set_new(input, "bytes", json_integer((json_int_t)len));
	rc = VG_OK;
done:
	free(buf);
	return rc;
}

/* label as valid UTF-8 into out: each byte of an invalid sequence, and
 * each control character, becomes '?'. */
static void
sanitize_label(const char *label, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)label;
	size_t o = 0;

	while (*p != '\0' && o + 5 < n) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		size_t k;
		int ok = len > 0 && (*p >= 0x20 || len > 1) && *p != 0x7f;

		for (k = 1; ok && k < len; k++)
			ok = (p[k] & 0xc0) == 0x80;
		if (ok && len > 1) {    /* overlong, surrogate… */
			json_t *j = json_stringn((const char *)p, len);

			ok = j != NULL;
			json_decref(j);
		}
		if (!ok) {
			out[o++] = '?';
			p++;
			continue;
		}
		memcpy(out + o, p, len);
		o += len;
		p += len;
	}
	out[o] = '\0';
}

vg_rc
vg_scan_file(vg_scan *s, const char *path, const char *label, char *err,
    size_t errlen)
{
	static const unsigned char magics[][4] = {
		{0xa1, 0xb2, 0xc3, 0xd4}, {0xd4, 0xc3, 0xb2, 0xa1},
		{0xa1, 0xb2, 0x3c, 0x4d}, {0x4d, 0x3c, 0xb2, 0xa1},
		{0xa1, 0xb2, 0xcd, 0x34}, {0x34, 0xcd, 0xb2, 0xa1},
	};
	static const unsigned char ng[4] = {0x0a, 0x0d, 0x0d, 0x0a};
	unsigned char head[4] = {0};
	const char *format = NULL;
	json_t *input;
	FILE *fp;
	size_t i, n;
	vg_rc rc;

	char safe[512];

	/* A file's name may not be UTF-8: shown with '?' for what is not
	 * printable ASCII or valid UTF-8 (the JSON needs UTF-8). */
	sanitize_label(label, safe, sizeof(safe));
	s->label = safe;
	if ((input = json_pack("{s:s}", "name", safe)) == NULL ||
	    json_array_append_new(s->inputs, input) < 0) {
		s->errors++;
		snprintf(err, errlen, "%s", _("mémoire épuisée"));
		return VG_ENOMEM;
	}
	/* The label stays valid as long as the input's JSON. */
	s->label = json_string_value(json_object_get(input, "name"));
	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, _("%s : impossible de lire le fichier "
		    "(%s)"), label, strerror(errno));
		rc = VG_EIO;
		goto done;
	}
	n = fread(head, 1, sizeof(head), fp);
	fclose(fp);
	if (n == 4 && memcmp(head, ng, 4) == 0)
		format = "pcapng";
	for (i = 0; format == NULL && n == 4 && i < VG_ARRAY_LEN(magics); i++)
		if (memcmp(head, magics[i], 4) == 0)
			format = "pcap";
	if (format != NULL) {
		json_object_set_new(input, "format", json_string(format));
		rc = scan_capture(s, path, input, err, errlen);
	} else {
		rc = scan_text(s, path, input, err, errlen);
	}
done:
	if (rc != VG_OK) {
		s->errors++;
		json_object_set_new(input, "error", json_string(err));
	}
	return rc;
}

static const char *const kind_names[] = {
	[IOC_DOMAIN] = "domain", [IOC_IP] = "ip", [IOC_PACKAGE] = "package",
	[IOC_CERT] = "certificate", [IOC_SAMPLE] = "sample",
};

/* How sure a finding is, from what matched and where the indicator comes
 * from: an app's file, certificate or package is the app; its servers
 * are its traffic; its website may only have been visited. */
static const char *
confidence(const struct ioc_entry *e)
{
	switch (e->kind) {
	case IOC_SAMPLE:
	case IOC_CERT:
	case IOC_PACKAGE:
		return "high";
	case IOC_DOMAIN:
		return e->list == LIST_C2 ? "high" : "medium";
	default:
		return e->list == LIST_C2 ? "medium" : "low";
	}
}

static int
rank(const char *c)
{
	return strcmp(c, "high") == 0 ? 0 : strcmp(c, "medium") == 0 ? 1 : 2;
}

static int
cmp_findings(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int d;

	/* Stalkerware before watchware, the surest first: the report
	 * groups findings by app in this order. */
	d = strcmp(json_string_value(json_object_get(x, "type")),
	    json_string_value(json_object_get(y, "type")));
	if (d != 0)
		return d;
	d = rank(json_string_value(json_object_get(x, "confidence"))) -
	    rank(json_string_value(json_object_get(y, "confidence")));
	if (d != 0)
		return d;
	d = strcasecmp(json_string_value(json_object_get(x, "app")),
	    json_string_value(json_object_get(y, "app")));
	if (d != 0)
		return d;
	return strcmp(json_string_value(json_object_get(x, "observed")),
	    json_string_value(json_object_get(y, "observed")));
}

json_t *
vg_scan_result(vg_scan *s)
{
	json_t *findings = json_array(), *apps = json_object(), *out, *v;
	json_t **sorted = NULL;
	int stalker = 0, watch = 0;
	size_t i, n;

	for (i = 0; i < s->nf; i++) {
		const struct finding *f = &s->f[i];
		const struct ioc_entry *e = iocs_entry(s->iocs, f->entry);
		const struct ioc_app *a = iocs_app(s->iocs, e->app);
		char first[32], last[32];
		json_t *ev = json_array();
		size_t t;

		for (t = 0; t < f->nev; t++)
			json_array_append_new(ev, evidence_json(&f->ev[t]));
		/* Traffic to the addresses tied to this finding. */
		for (t = 0; t < s->ntied; t++) {
			const struct tied *ti = &s->tied[t];
			char addr[64], when[32], until[32];

			if (ti->finding != i || ti->packets == 0)
				continue;
			addr_text(ti->key[0], ti->key + 1, addr);
			iso_time(ti->first, when);
			iso_time(ti->last, until);
			json_array_append_new(ev, json_pack("{s:s, s:I, s:s, "
			    "s:s, s:s, s:s, s:I, s:s}", "input", ti->input,
			    "packet", (json_int_t)ti->first_packet, "time",
			    when, "what", "traffic", "detail", addr,
			    "destination", addr, "packets",
			    (json_int_t)ti->packets, "until", until));
		}
		iso_time(f->first, first);
		iso_time(f->last, last);
		json_array_append_new(findings, json_pack("{s:s, s:O, s:s, "
		    "s:s, s:s, s:s, s:s, s:s, s:I, s:s*, s:s*, s:o}",
		    "app", a->name, "names", a->names,
		    "type", a->watchware ? "watchware" : "stalkerware",
		    "kind", kind_names[e->kind], "indicator", e->text,
		    "observed", f->observed, "list", iocs_list_name(e->list),
		    "confidence", confidence(e), "count", (json_int_t)f->count,
		    "first", *first ? first : NULL,
		    "last", *last ? last : NULL, "evidence", ev));
		if (json_object_get(apps, a->name) == NULL) {
			json_object_set_new(apps, a->name, json_true());
			a->watchware ? watch++ : stalker++;
		}
	}
	n = json_array_size(findings);
	if (n > 1 && (sorted = malloc(n * sizeof(*sorted))) != NULL) {
		json_t *arr = json_array();

		json_array_foreach(findings, i, v)
			sorted[i] = v;
		qsort(sorted, n, sizeof(*sorted), cmp_findings);
		for (i = 0; i < n; i++)
			json_array_append(arr, sorted[i]);
		free(sorted);
		json_decref(findings);
		findings = arr;
	}
	json_decref(apps);
	out = json_pack("{s:o, s:O, s:o, s:b, s:i, s:i, s:i, s:b}",
	    "iocs", vg_iocs_info(s->iocs), "inputs", s->inputs,
	    "findings", findings, "found", s->nf > 0,
	    "stalkerware", stalker, "watchware", watch, "errors", s->errors,
	    "truncated", s->truncated);
	return out;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

json_t *
vg_scan_names(vg_scan *s)
{
	json_t *out = json_array();
	char **v;
	size_t i, n = 0;

	if (s->names.slot == NULL || out == NULL)
		return out;
	if ((v = malloc(s->names.n * sizeof(*v))) == NULL)
		return out;
	for (i = 0; i <= s->names.mask; i++)
		if (s->names.slot[i] != NULL)
			v[n++] = s->names.slot[i];
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++)
		json_array_append_new(out, json_string(v[i]));
	free(v);
	return out;
}
