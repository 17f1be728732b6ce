/*
 * test_capture.c — the capture decoder: every link type (Ethernet with
 * VLAN tags, Linux cooked v1 and v2, raw IP, BSD loopback), IPv4 options
 * and fragments, IPv6 extension headers; DNS questions and answers
 * through compression and CNAME chains, its malformed pointers, escaped
 * labels, DNS over TCP; TLS ClientHellos whole, split over segments and
 * records, out of order, oversized; HTTP Host headers; every prefix of
 * every frame; the reassembly table's bound; and files: pcap, pcapng,
 * truncated, of an unknown link type, not a capture, missing.
 *
 * Frames are built here byte by byte; every heap copy handed to the
 * decoder is exactly as long as the frame, so that AddressSanitizer
 * sees any read past its end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "scan/capture.h"

/* ------------------------------------------------------------------ */
/* Events seen                                                        */
/* ------------------------------------------------------------------ */

#define RECS 256

struct rec {
	enum vg_cap_kind kind;
	int has_name, has_alias;
	char name[VG_CAP_NAME_MAX];
	char alias[VG_CAP_NAME_MAX];
	int response;
	struct vg_cap_addr addr, src;
	uint8_t proto;
	uint16_t port;
	uint64_t packet;
	int64_t ts_us;
};

static struct rec recs[RECS];
static size_t nrec;             /* events kept */
static size_t nseen;            /* events seen, DEST included */
static size_t nkind[VG_CAP_DEST + 1];
static int keep_dest = 1;

/* A name must keep capture.h's promises. */
static void
check_name(const char *s, size_t n)
{
	size_t i;

	assert_non_null(s);
	assert_int_equal(strlen(s), n);
	assert_true(n > 0);
	assert_true(s[n - 1] != '.' || (n >= 2 && s[n - 2] == '\\'));
	for (i = 0; i < n; i++) {
		assert_true(s[i] >= 0x21 && s[i] <= 0x7e);
		assert_false(s[i] >= 'A' && s[i] <= 'Z');
	}
}

static void
record(void *arg, const struct vg_cap_event *ev)
{
	struct rec *r;

	(void)arg;
	nseen++;
	assert_true(ev->kind >= VG_CAP_DNS_QUERY && ev->kind <= VG_CAP_DEST);
	nkind[ev->kind]++;
	assert_true(ev->src.family == 0 || ev->src.family == 4 ||
	    ev->src.family == 6);
	assert_true(ev->addr.family == 0 || ev->addr.family == 4 ||
	    ev->addr.family == 6);
	if (ev->kind == VG_CAP_DEST) {
		assert_null(ev->name);
		assert_null(ev->alias);
	} else {
		check_name(ev->name, ev->namelen);
	}
	if (ev->alias != NULL) {
		assert_int_equal(ev->kind, VG_CAP_DNS_ANSWER);
		check_name(ev->alias, ev->aliaslen);
	}
	if (ev->kind == VG_CAP_DEST && !keep_dest)
		return;
	if (nrec == RECS)
		return;         /* counted only */
	r = &recs[nrec++];
	memset(r, 0, sizeof(*r));
	r->kind = ev->kind;
	if (ev->name != NULL) {
		r->has_name = 1;
		snprintf(r->name, sizeof(r->name), "%s", ev->name);
	}
	if (ev->alias != NULL) {
		r->has_alias = 1;
		snprintf(r->alias, sizeof(r->alias), "%s", ev->alias);
	}
	r->response = ev->response;
	r->addr = ev->addr;
	r->src = ev->src;
	r->proto = ev->proto;
	r->port = ev->port;
	r->packet = ev->packet;
	r->ts_us = ev->ts_us;
}

static void
reset(void)
{
	nrec = nseen = 0;
	memset(nkind, 0, sizeof(nkind));
}

static int
setup(void **state)
{
	vg_cap *c = vg_cap_new(record, NULL);

	reset();
	keep_dest = 1;
	*state = c;
	return c == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	vg_cap_free(*state);
	return 0;
}

/* Whether a holds the text address s. */
static int
addr_is(const struct vg_cap_addr *a, const char *s)
{
	uint8_t b[16];

	if (strchr(s, ':') != NULL)
		return a->family == 6 && inet_pton(AF_INET6, s, b) == 1 &&
		    memcmp(a->bytes, b, 16) == 0;
	return a->family == 4 && inet_pton(AF_INET, s, b) == 1 &&
	    memcmp(a->bytes, b, 4) == 0;
}

/* Event i is of kind with name (NULL: none) and alias (NULL: none). */
static const struct rec *
expect_ev(size_t i, enum vg_cap_kind kind, const char *name,
    const char *alias)
{
	const struct rec *r;

	if (i >= nrec)
		fail_msg("event %zu: only %zu events", i, nrec);
	r = &recs[i];
	if (r->kind != kind)
		fail_msg("event %zu: kind %d, want %d (name \"%s\")", i,
		    r->kind, kind, r->name);
	if (name == NULL)
		assert_false(r->has_name);
	else if (!r->has_name || strcmp(r->name, name) != 0)
		fail_msg("event %zu: name \"%s\", want \"%s\"", i, r->name,
		    name);
	if (alias == NULL) {
		if (r->has_alias)
			fail_msg("event %zu: alias \"%s\", want none", i,
			    r->alias);
	} else if (!r->has_alias || strcmp(r->alias, alias) != 0) {
		fail_msg("event %zu: alias \"%s\", want \"%s\"", i, r->alias,
		    alias);
	}
	return r;
}

static void
expect_addr(const struct vg_cap_addr *a, const char *s)
{
	char buf[64];

	if (!addr_is(a, s)) {
		inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->bytes, buf,
		    sizeof(buf));
		fail_msg("address %s (family %d), want %s", buf, a->family, s);
	}
}

/* ------------------------------------------------------------------ */
/* Builders                                                           */
/* ------------------------------------------------------------------ */

#define FRAME_MAX 20000

struct w {
	uint8_t p[FRAME_MAX];
	size_t n;
};

static void
w8(struct w *w, unsigned v)
{
	assert_true(w->n < FRAME_MAX);
	w->p[w->n++] = (uint8_t)v;
}

static void
w16(struct w *w, unsigned v)
{
	w8(w, v >> 8);
	w8(w, v & 0xff);
}

static void
w32(struct w *w, uint32_t v)
{
	w16(w, v >> 16);
	w16(w, v & 0xffff);
}

static void
wmem(struct w *w, const void *s, size_t n)
{
	assert_true(n <= FRAME_MAX - w->n);
	if (n == 0)
		return;
	memcpy(w->p + w->n, s, n);
	w->n += n;
}

static void
set16(struct w *w, size_t at, unsigned v)
{
	w->p[at] = (uint8_t)(v >> 8);
	w->p[at + 1] = (uint8_t)v;
}

/* Labels of the dotted name s, without the root byte. */
static void
wlabels(struct w *w, const char *s)
{
	while (*s != '\0') {
		size_t n = strcspn(s, ".");

		w8(w, (unsigned)n);
		wmem(w, s, n);
		s += n;
		if (*s == '.')
			s++;
	}
}

static void
wname(struct w *w, const char *s)
{
	wlabels(w, s);
	w8(w, 0);
}

static void
wptr(struct w *w, unsigned off)
{
	w16(w, 0xc000 | off);
}

static void
dns_header(struct w *w, unsigned flags, unsigned qd, unsigned an)
{
	w16(w, 0x1234);
	w16(w, flags);
	w16(w, qd);
	w16(w, an);
	w16(w, 0);
	w16(w, 0);
}

/* A record's fixed part after its owner: type, class IN, TTL, rdlen. */
static void
rr_fixed(struct w *w, unsigned type, unsigned rdlen)
{
	w16(w, type);
	w16(w, 1);
	w32(w, 300);
	w16(w, rdlen);
}

static void
rr_a(struct w *w, const char *ip)
{
	uint8_t b[16];

	if (strchr(ip, ':') != NULL) {
		assert_int_equal(inet_pton(AF_INET6, ip, b), 1);
		rr_fixed(w, 28, 16);
		wmem(w, b, 16);
	} else {
		assert_int_equal(inet_pton(AF_INET, ip, b), 1);
		rr_fixed(w, 1, 4);
		wmem(w, b, 4);
	}
}

/* A query for name, type A. */
static void
dns_query(struct w *w, const char *name)
{
	w->n = 0;
	dns_header(w, 0x0100, 1, 0);
	wname(w, name);
	w16(w, 1);
	w16(w, 1);
}

static void
udp(struct w *w, unsigned sport, unsigned dport, const uint8_t *p,
    size_t n)
{
	w->n = 0;
	w16(w, sport);
	w16(w, dport);
	w16(w, (unsigned)(8 + n));
	w16(w, 0);
	wmem(w, p, n);
}

static void
tcp(struct w *w, unsigned sport, unsigned dport, uint32_t seq,
    unsigned flags, const uint8_t *p, size_t n)
{
	w->n = 0;
	w16(w, sport);
	w16(w, dport);
	w32(w, seq);
	w32(w, 0);
	w8(w, 0x50);
	w8(w, flags);
	w16(w, 65535);
	w32(w, 0);
	wmem(w, p, n);
}

/* An IPv4 packet, with opt (n4 4-byte words of options). */
static void
ip4(struct w *w, const char *src, const char *dst, unsigned proto,
    unsigned frag, unsigned nopt, const struct w *l4p)
{
	uint8_t a[4];
	unsigned k;

	w->n = 0;
	w8(w, 0x45 + nopt);
	w8(w, 0);
	w16(w, (unsigned)(20 + 4 * nopt + l4p->n));
	w16(w, 1);
	w16(w, frag);
	w8(w, 64);
	w8(w, proto);
	w16(w, 0);
	assert_int_equal(inet_pton(AF_INET, src, a), 1);
	wmem(w, a, 4);
	assert_int_equal(inet_pton(AF_INET, dst, a), 1);
	wmem(w, a, 4);
	for (k = 0; k < nopt; k++)
		w32(w, 0x01010101);     /* NOPs */
	wmem(w, l4p->p, l4p->n);
}

/* An IPv6 packet: ext (extn bytes, its first next-header nh0) then l4p
 * of protocol proto. */
static void
ip6(struct w *w, const char *src, const char *dst, unsigned nh0,
    const uint8_t *ext, size_t extn, const struct w *l4p)
{
	uint8_t a[16];

	w->n = 0;
	w32(w, 0x60000000);
	w16(w, (unsigned)(extn + l4p->n));
	w8(w, nh0);
	w8(w, 64);
	assert_int_equal(inet_pton(AF_INET6, src, a), 1);
	wmem(w, a, 16);
	assert_int_equal(inet_pton(AF_INET6, dst, a), 1);
	wmem(w, a, 16);
	wmem(w, ext, extn);
	wmem(w, l4p->p, l4p->n);
}

/* ip wrapped for link type lt (version ver).  tags: VLAN tags for
 * Ethernet (0, 1 or 2). */
static void
wrap(struct w *w, int lt, int ver, int tags, const struct w *ip)
{
	unsigned et = ver == 4 ? 0x0800 : 0x86dd;
	int k;

	w->n = 0;
	switch (lt) {
	case DLT_EN10MB:
		wmem(w, "\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb", 12);
		for (k = 0; k < tags; k++) {
			w16(w, k == 0 && tags == 2 ? 0x88a8 : 0x8100);
			w16(w, 100 + (unsigned)k);
		}
		w16(w, et);
		break;
	case DLT_LINUX_SLL:
		w16(w, 4);              /* sent by us */
		w16(w, 1);              /* ARPHRD_ETHER */
		w16(w, 6);
		wmem(w, "\x00\x11\x22\x33\x44\x55\x00\x00", 8);
		w16(w, et);
		break;
	case DLT_LINUX_SLL2:
		w16(w, et);
		w16(w, 0);
		w32(w, 3);              /* interface index */
		w16(w, 1);
		w8(w, 4);
		w8(w, 6);
		wmem(w, "\x00\x11\x22\x33\x44\x55\x00\x00", 8);
		break;
	case DLT_NULL:                  /* host order: little endian here */
		w8(w, ver == 4 ? 2 : 30);
		w8(w, 0);
		w16(w, 0);
		break;
	case DLT_LOOP:
		w32(w, ver == 4 ? 2 : 24);
		break;
	default:
		break;
	}
	wmem(w, ip->p, ip->n);
}

/* A heap copy of p[0..n), exactly n bytes long (1 when n is 0). */
static uint8_t *
dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *copy = malloc(n > 0 ? n : 1);

	assert_non_null(copy);
	if (n > 0)
		memcpy(copy, p, n);
	return copy;
}

/* Give f to the decoder from a heap copy of exactly its length. */
static int
feed_lt(vg_cap *c, int lt, const uint8_t *p, size_t n, uint64_t pkt)
{
	uint8_t *copy = dup_exact(p, n);
	int rc;

	rc = vg_cap_frame(c, lt, copy, n, pkt, (int64_t)pkt * 1000);
	free(copy);
	return rc;
}

static int
feed(vg_cap *c, int lt, const struct w *f, uint64_t pkt)
{
	return feed_lt(c, lt, f->p, f->n, pkt);
}

/* An Ethernet frame: IPv4 UDP from 10.0.0.2:40000 to 9.9.9.9:53 with
 * payload p. */
static void
eth_udp4(struct w *f, const char *src, const char *dst, unsigned sport,
    unsigned dport, const struct w *p)
{
	static struct w l, ip;

	udp(&l, sport, dport, p->p, p->n);
	ip4(&ip, src, dst, 17, 0, 0, &l);
	wrap(f, DLT_EN10MB, 4, 0, &ip);
}

static void
eth_tcp4(struct w *f, unsigned sport, unsigned dport, uint32_t seq,
    unsigned flags, const uint8_t *p, size_t n)
{
	static struct w l, ip;

	tcp(&l, sport, dport, seq, flags, p, n);
	ip4(&ip, "10.0.0.2", "93.184.216.34", 6, 0, 0, &l);
	wrap(f, DLT_EN10MB, 4, 0, &ip);
}

/*
 * A TLS ClientHello for sni (NULL: no server_name), a padding extension
 * of pad bytes before it, its handshake message cut into records of at
 * most rec bytes (0: one record).
 */
static void
hello(struct w *w, const char *sni, size_t pad, size_t rec)
{
	static struct w hs;
	size_t k, at, ext, n, off;

	hs.n = 0;
	w8(&hs, 1);
	w8(&hs, 0);
	w16(&hs, 0);                    /* length, set below */
	w16(&hs, 0x0303);
	for (k = 0; k < 32; k++)
		w8(&hs, (unsigned)k);   /* random */
	w8(&hs, 32);
	for (k = 0; k < 32; k++)
		w8(&hs, 0xa0);          /* session id */
	w16(&hs, 6);
	w16(&hs, 0x1301);
	w16(&hs, 0x1302);
	w16(&hs, 0xc02f);
	w8(&hs, 1);
	w8(&hs, 0);
	ext = hs.n;
	w16(&hs, 0);
	w16(&hs, 43);                   /* supported_versions */
	w16(&hs, 3);
	w8(&hs, 2);
	w16(&hs, 0x0304);
	if (pad > 0) {
		w16(&hs, 21);
		w16(&hs, (unsigned)pad);
		for (k = 0; k < pad; k++)
			w8(&hs, (unsigned)(k % 251 + 1));
	}
	if (sni != NULL) {
		n = strlen(sni);
		w16(&hs, 0);
		w16(&hs, (unsigned)(n + 5));
		w16(&hs, (unsigned)(n + 3));
		w8(&hs, 0);
		w16(&hs, (unsigned)n);
		wmem(&hs, sni, n);
	}
	set16(&hs, ext, (unsigned)(hs.n - ext - 2));
	hs.p[1] = (uint8_t)((hs.n - 4) >> 16);
	set16(&hs, 2, (unsigned)((hs.n - 4) & 0xffff));

	w->n = 0;
	if (rec == 0)
		rec = hs.n;
	for (off = 0; off < hs.n; off += at) {
		at = hs.n - off < rec ? hs.n - off : rec;
		w8(w, 0x16);
		w16(w, 0x0301);
		w16(w, (unsigned)at);
		wmem(w, hs.p + off, at);
	}
}

/* ------------------------------------------------------------------ */
/* Link layers                                                        */
/* ------------------------------------------------------------------ */

/* One DNS query for mail.example.org, through every link type. */
static void
test_link_types(void **state)
{
	static const struct {
		int lt, ver, tags;
	} cases[] = {
		{ DLT_EN10MB, 4, 0 }, { DLT_EN10MB, 4, 1 }, { DLT_EN10MB, 4, 2 },
		{ DLT_EN10MB, 6, 0 }, { DLT_EN10MB, 6, 1 },
		{ DLT_LINUX_SLL, 4, 0 }, { DLT_LINUX_SLL, 6, 0 },
		{ DLT_LINUX_SLL2, 4, 0 }, { DLT_LINUX_SLL2, 6, 0 },
		{ DLT_RAW, 4, 0 }, { DLT_RAW, 6, 0 }, { 14, 4, 0 },
		{ 101, 6, 0 }, { DLT_IPV4, 4, 0 }, { DLT_IPV6, 6, 0 },
		{ DLT_NULL, 4, 0 }, { DLT_NULL, 6, 0 },
		{ DLT_LOOP, 4, 0 }, { DLT_LOOP, 6, 0 },
	};
	static struct w q, l, ip, f;
	vg_cap *c = *state;
	const struct rec *r;
	size_t i;

	dns_query(&q, "Mail.Example.ORG");
	udp(&l, 40000, 53, q.p, q.n);
	for (i = 0; i < VG_ARRAY_LEN(cases); i++) {
		reset();
		if (cases[i].ver == 4)
			ip4(&ip, "10.0.0.2", "9.9.9.9", 17, 0, 0, &l);
		else
			ip6(&ip, "fe80::2", "2620:fe::fe", 17, NULL, 0, &l);
		wrap(&f, cases[i].lt, cases[i].ver, cases[i].tags, &ip);
		assert_true(vg_cap_linktype_known(cases[i].lt));
		if (feed(c, cases[i].lt, &f, i + 1) != 0)
			fail_msg("case %zu (link type %d): not decoded", i,
			    cases[i].lt);
		assert_int_equal(nrec, 2);
		r = expect_ev(0, VG_CAP_DEST, NULL, NULL);
		expect_addr(&r->addr, cases[i].ver == 4 ? "9.9.9.9" :
		    "2620:fe::fe");
		expect_addr(&r->src, cases[i].ver == 4 ? "10.0.0.2" :
		    "fe80::2");
		assert_int_equal(r->proto, 17);
		assert_int_equal(r->port, 53);
		assert_int_equal(r->packet, i + 1);
		assert_int_equal(r->ts_us, (int64_t)(i + 1) * 1000);
		r = expect_ev(1, VG_CAP_DNS_QUERY, "mail.example.org", NULL);
		assert_int_equal(r->response, 0);
		expect_addr(&r->addr, cases[i].ver == 4 ? "9.9.9.9" :
		    "2620:fe::fe");
		assert_int_equal(r->port, 53);
	}
	assert_int_equal(vg_cap_stats(c)->ip, VG_ARRAY_LEN(cases));
	assert_int_equal(vg_cap_stats(c)->dns, VG_ARRAY_LEN(cases));
	assert_int_equal(vg_cap_stats(c)->malformed, 0);
}

static void
test_not_ip(void **state)
{
	static const uint8_t arp[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 1, 2, 3, 4, 5, 0x08, 0x06,
	};
	static struct w q, ip, f;
	vg_cap *c = *state;

	assert_int_equal(feed_lt(c, DLT_EN10MB, arp, sizeof(arp), 1), 1);
	/* Unknown link type: skipped, and not known. */
	assert_int_equal(feed_lt(c, 147, arp, sizeof(arp), 2), 1);
	assert_false(vg_cap_linktype_known(147));
	assert_false(vg_cap_linktype_known(DLT_IEEE802_11));
	/* Loopback of another family (AF_APPLETALK). */
	q.n = 0;
	w32(&q, 0);
	ip.n = 0;
	w8(&ip, 0x45);
	wrap(&f, DLT_LOOP, 4, 0, &ip);
	f.p[3] = 16;
	assert_int_equal(feed(c, DLT_LOOP, &f, 3), 1);
	/* Cut link headers and a raw packet of version 5: malformed. */
	assert_int_equal(feed_lt(c, DLT_EN10MB, arp, 13, 4), -1);
	assert_int_equal(feed_lt(c, DLT_LINUX_SLL2, arp, 19, 5), -1);
	assert_int_equal(feed_lt(c, DLT_RAW, (const uint8_t *)"\x50", 1, 6),
	    -1);
	/* DLT_IPV4 holding IPv6. */
	ip6(&ip, "::1", "::2", 59, NULL, 0, &q);
	assert_int_equal(feed(c, DLT_IPV4, &ip, 7), -1);
	assert_int_equal(nrec, 0);
	assert_int_equal(vg_cap_stats(c)->packets, 7);
	assert_int_equal(vg_cap_stats(c)->other, 3);
	assert_int_equal(vg_cap_stats(c)->malformed, 4);
	assert_int_equal(vg_cap_stats(c)->ip, 0);
	assert_int_equal(vg_cap_stats(c)->bytes, 42 + 42 + f.n + 13 + 19 + 1 +
	    ip.n);
}

/* IPv4 options, fragments, other protocols, TSO's zero length. */
static void
test_ipv4(void **state)
{
	static struct w q, l, ip, f;
	vg_cap *c = *state;
	const struct rec *r;

	dns_query(&q, "opt.example");
	udp(&l, 5353, 53, q.p, q.n);
	ip4(&ip, "10.0.0.2", "1.1.1.1", 17, 0, 3, &l);
	assert_int_equal(feed(c, DLT_RAW, &ip, 1), 0);
	expect_ev(1, VG_CAP_DNS_QUERY, "opt.example", NULL);

	/* A later fragment: the destination only, no port, no DNS. */
	reset();
	ip4(&ip, "10.0.0.2", "1.1.1.1", 17, 0x0010, 0, &l);
	assert_int_equal(feed(c, DLT_RAW, &ip, 2), 0);
	assert_int_equal(nrec, 1);
	r = expect_ev(0, VG_CAP_DEST, NULL, NULL);
	assert_int_equal(r->proto, 17);
	assert_int_equal(r->port, 0);

	/* A first fragment (more follow) is read, its UDP length longer
	 * than the fragment. */
	reset();
	ip4(&ip, "10.0.0.2", "1.1.1.1", 17, 0x2000, 0, &l);
	set16(&ip, 24, (unsigned)(l.n + 100));
	assert_int_equal(feed(c, DLT_RAW, &ip, 3), 0);
	expect_ev(1, VG_CAP_DNS_QUERY, "opt.example", NULL);
	/* The same UDP length in a whole packet is malformed. */
	reset();
	ip4(&ip, "10.0.0.2", "1.1.1.1", 17, 0, 0, &l);
	set16(&ip, 24, (unsigned)(l.n + 100));
	assert_int_equal(feed(c, DLT_RAW, &ip, 4), -1);
	assert_int_equal(nrec, 1);      /* the DEST still told */

	/* ICMP: destination and protocol. */
	reset();
	l.n = 8;
	ip4(&ip, "10.0.0.2", "8.8.4.4", 1, 0, 0, &l);
	assert_int_equal(feed(c, DLT_RAW, &ip, 5), 0);
	r = expect_ev(0, VG_CAP_DEST, NULL, NULL);
	expect_addr(&r->addr, "8.8.4.4");
	assert_int_equal(r->proto, 1);
	assert_int_equal(r->port, 0);

	/* Total length 0 (segmentation offload): the captured length. */
	reset();
	udp(&l, 40000, 53, q.p, q.n);
	ip4(&ip, "10.0.0.2", "1.1.1.1", 17, 0, 0, &l);
	set16(&ip, 2, 0);
	assert_int_equal(feed(c, DLT_RAW, &ip, 6), 0);
	expect_ev(1, VG_CAP_DNS_QUERY, "opt.example", NULL);

	/* Ethernet padding after the packet is not read as DNS. */
	reset();
	eth_udp4(&f, "10.0.0.2", "1.1.1.1", 40000, 53, &q);
	wmem(&f, "\xc0\x00\xff\xff", 4);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 7), 0);
	expect_ev(1, VG_CAP_DNS_QUERY, "opt.example", NULL);

	/* Header length beyond the total length. */
	reset();
	ip4(&ip, "10.0.0.2", "1.1.1.1", 17, 0, 0, &l);
	set16(&ip, 2, 19);
	assert_int_equal(feed(c, DLT_RAW, &ip, 8), -1);
	assert_int_equal(nrec, 0);
}

/* IPv6 extension headers are stepped over; later fragments are not
 * read. */
static void
test_ipv6_ext(void **state)
{
	static const uint8_t ext[] = {
		/* hop-by-hop: next 60, 8 bytes, PadN */
		60, 0, 1, 4, 0, 0, 0, 0,
		/* destination options: next 43, 16 bytes */
		43, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		/* routing, type 4 (segment routing) left alone: next 44 */
		44, 0, 4, 0, 0, 0, 0, 0,
		/* fragment: next 17, offset 0, no more */
		17, 0, 0, 0, 0, 0, 0, 1,
	};
	static const uint8_t later[] = { 17, 0, 0x05, 0x90, 0, 0, 0, 2 };
	static struct w q, l, ip, f;
	uint8_t frag[8];
	vg_cap *c = *state;
	const struct rec *r;

	dns_query(&q, "v6.example.net");
	udp(&l, 40000, 53, q.p, q.n);
	ip6(&ip, "2001:db8::2", "2001:db8::53", 0, ext, sizeof(ext), &l);
	wrap(&f, DLT_EN10MB, 6, 0, &ip);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 1), 0);
	assert_int_equal(nrec, 2);
	r = expect_ev(0, VG_CAP_DEST, NULL, NULL);
	expect_addr(&r->addr, "2001:db8::53");
	assert_int_equal(r->proto, 17);
	assert_int_equal(r->port, 53);
	expect_ev(1, VG_CAP_DNS_QUERY, "v6.example.net", NULL);

	reset();
	ip6(&ip, "2001:db8::2", "2001:db8::53", 44, later, sizeof(later), &l);
	assert_int_equal(feed(c, DLT_IPV6, &ip, 2), 0);
	assert_int_equal(nrec, 1);
	r = expect_ev(0, VG_CAP_DEST, NULL, NULL);
	assert_int_equal(r->proto, 17);
	assert_int_equal(r->port, 0);

	/* A first fragment, more to come: its UDP length goes past it. */
	reset();
	dns_query(&q, "frag6.example");
	udp(&l, 40000, 53, q.p, q.n);
	set16(&l, 4, (unsigned)(l.n + 1000));
	memcpy(frag, ext + 32, 8);
	frag[3] = 1;
	ip6(&ip, "2001:db8::2", "2001:db8::53", 44, frag, 8, &l);
	assert_int_equal(feed(c, DLT_IPV6, &ip, 3), 0);
	assert_int_equal(nrec, 2);
	expect_ev(1, VG_CAP_DNS_QUERY, "frag6.example", NULL);
	/* Without the M flag, that UDP length is malformed. */
	frag[3] = 0;
	ip6(&ip, "2001:db8::2", "2001:db8::53", 44, frag, 8, &l);
	assert_int_equal(feed(c, DLT_IPV6, &ip, 4), -1);

	/* An extension header longer than the packet. */
	reset();
	q.n = 0;
	ip6(&ip, "2001:db8::2", "2001:db8::53", 0, ext, 8, &q);
	ip.p[41] = 3;
	assert_int_equal(feed(c, DLT_IPV6, &ip, 5), -1);
	assert_int_equal(nrec, 1);
	assert_int_equal(recs[0].port, 0);
	assert_int_equal(recs[0].proto, 0);
}

/* ------------------------------------------------------------------ */
/* DNS                                                                */
/* ------------------------------------------------------------------ */

/*
 * A response: www.example.com CNAME www.example.com.edgekey.net, CNAME
 * e1.a.akamaiedge.net (the A before that CNAME: order does not matter),
 * an AAAA, a stray A whose owner the question does not lead to, and an
 * A for the question's own name; names compressed along the way.
 */
static size_t
dns_chain_msg(struct w *m)
{
	size_t t1, t2, net;

	m->n = 0;
	dns_header(m, 0x8180, 1, 6);
	wname(m, "WWW.Example.com");            /* 12..28 */
	w16(m, 1);
	w16(m, 1);
	/* 1: www.example.com CNAME www.example.com.edgekey.net, the
	 * target's www.example.com... written out, its .net kept */
	wptr(m, 12);
	rr_fixed(m, 5, 0);
	t1 = m->n;
	wlabels(m, "www.example.com.edgekey");
	net = m->n;
	wname(m, "net");
	set16(m, t1 - 2, (unsigned)(m->n - t1));
	/* 2: A for e1.a.akamaiedge.net before its CNAME: order does not
	 * matter.  Owner written out, "net" a pointer. */
	wlabels(m, "e1.a.AkamaiEdge");
	wptr(m, (unsigned)net);
	rr_a(m, "23.45.67.89");
	/* 3: www.example.com.edgekey.net CNAME e1.a.akamaiedge.net */
	wptr(m, (unsigned)t1);
	rr_fixed(m, 5, 0);
	t2 = m->n;
	wlabels(m, "e1.a.akamaiedge");
	wptr(m, (unsigned)net);
	set16(m, t2 - 2, (unsigned)(m->n - t2));
	/* 4: AAAA for the pointer to the CNAME's target */
	wptr(m, (unsigned)t2);
	rr_a(m, "2a02:26f0::1");
	/* 5: a stray A */
	wname(m, "stray.example.org");
	rr_a(m, "192.0.2.9");
	/* 6: an A for the question itself */
	wptr(m, 12);
	rr_a(m, "93.184.216.34");
	return m->n;
}

static void
test_dns_response(void **state)
{
	static struct w m, f;
	vg_cap *c = *state;
	const struct rec *r;

	dns_chain_msg(&m);
	eth_udp4(&f, "9.9.9.9", "10.0.0.2", 53, 40000, &m);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 9), 0);
	assert_int_equal(nrec, 6);
	r = expect_ev(0, VG_CAP_DEST, NULL, NULL);
	assert_int_equal(r->port, 40000);
	r = expect_ev(1, VG_CAP_DNS_QUERY, "www.example.com", NULL);
	assert_int_equal(r->response, 1);
	r = expect_ev(2, VG_CAP_DNS_ANSWER, "www.example.com",
	    "e1.a.akamaiedge.net");
	expect_addr(&r->addr, "23.45.67.89");
	expect_addr(&r->src, "9.9.9.9");
	assert_int_equal(r->response, 1);
	assert_int_equal(r->packet, 9);
	r = expect_ev(3, VG_CAP_DNS_ANSWER, "www.example.com",
	    "e1.a.akamaiedge.net");
	expect_addr(&r->addr, "2a02:26f0::1");
	r = expect_ev(4, VG_CAP_DNS_ANSWER, "stray.example.org", NULL);
	expect_addr(&r->addr, "192.0.2.9");
	r = expect_ev(5, VG_CAP_DNS_ANSWER, "www.example.com", NULL);
	expect_addr(&r->addr, "93.184.216.34");
	assert_int_equal(vg_cap_stats(c)->dns, 1);

	/* Straight through vg_cap_dns(), without a base. */
	reset();
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), 0);
	assert_int_equal(nrec, 5);
	r = expect_ev(0, VG_CAP_DNS_QUERY, "www.example.com", NULL);
	assert_int_equal(r->packet, 0);
	assert_int_equal(r->src.family, 0);

	/* A query's answer section is not read. */
	reset();
	m.p[2] = 0x01;
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), 0);
	assert_int_equal(nrec, 1);
	r = expect_ev(0, VG_CAP_DNS_QUERY, "www.example.com", NULL);
	assert_int_equal(r->response, 0);
}

/* Bad pointers: what came before is told, the message is malformed. */
static void
test_dns_malformed(void **state)
{
	static struct w m, f;
	vg_cap *c = *state;
	size_t at;

	/* Two questions, the second a pointer to itself. */
	m.n = 0;
	dns_header(&m, 0x0100, 2, 0);
	wname(&m, "first.example");
	w16(&m, 1);
	w16(&m, 1);
	at = m.n;
	wptr(&m, (unsigned)at);
	w16(&m, 1);
	w16(&m, 1);
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), -1);
	assert_int_equal(nrec, 1);
	expect_ev(0, VG_CAP_DNS_QUERY, "first.example", NULL);

	/* A label then a pointer back to it: a loop. */
	reset();
	m.n = at;
	wlabels(&m, "loop");
	wptr(&m, (unsigned)at);
	w16(&m, 1);
	w16(&m, 1);
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), -1);
	assert_int_equal(nrec, 1);

	/* Two names pointing at each other: each pointer goes back from
	 * where it is, but not before where its labels began. */
	reset();
	m.n = 0;
	dns_header(&m, 0x8180, 1, 2);
	wname(&m, "ok.example");                /* 12 */
	w16(&m, 1);
	w16(&m, 1);
	wptr(&m, 12);
	rr_a(&m, "192.0.2.1");
	at = m.n;
	wlabels(&m, "a");                       /* at: "a" then ptr */
	wptr(&m, (unsigned)at + 5);             /* forward, to below */
	rr_a(&m, "192.0.2.2");
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), -1);
	assert_int_equal(nrec, 2);
	expect_ev(0, VG_CAP_DNS_QUERY, "ok.example", NULL);
	expect_addr(&expect_ev(1, VG_CAP_DNS_ANSWER, "ok.example",
	    NULL)->addr, "192.0.2.1");

	/* Through a frame: counted malformed, DEST and names told. */
	reset();
	eth_udp4(&f, "9.9.9.9", "10.0.0.2", 53, 40000, &m);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 1), -1);
	assert_int_equal(nrec, 3);
	assert_int_equal(vg_cap_stats(c)->malformed, 1);

	/* An A record of 5 bytes. */
	reset();
	m.n = 0;
	dns_header(&m, 0x8180, 1, 2);
	wname(&m, "ok.example");
	w16(&m, 1);
	w16(&m, 1);
	wptr(&m, 12);
	rr_a(&m, "192.0.2.1");
	wptr(&m, 12);
	rr_fixed(&m, 1, 5);
	wmem(&m, "\1\2\3\4\5", 5);
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), -1);
	assert_int_equal(nrec, 2);

	/* A CNAME to the root, and an A for the root: no empty alias. */
	reset();
	m.n = 0;
	dns_header(&m, 0x8180, 1, 2);
	wname(&m, "ok.example");
	w16(&m, 1);
	w16(&m, 1);
	wptr(&m, 12);
	rr_fixed(&m, 5, 1);
	w8(&m, 0);
	w8(&m, 0);
	rr_a(&m, "192.0.2.3");
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), 0);
	assert_int_equal(nrec, 2);
	expect_addr(&expect_ev(1, VG_CAP_DNS_ANSWER, "ok.example",
	    NULL)->addr, "192.0.2.3");

	/* A CNAME whose name ends before its data does. */
	reset();
	m.n = 0;
	dns_header(&m, 0x8180, 1, 2);
	wname(&m, "ok.example");
	w16(&m, 1);
	w16(&m, 1);
	wptr(&m, 12);
	rr_a(&m, "192.0.2.1");
	wptr(&m, 12);
	rr_fixed(&m, 5, 5);
	wname(&m, "cn");
	w8(&m, 0);
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), -1);
	assert_int_equal(nrec, 2);
	expect_ev(1, VG_CAP_DNS_ANSWER, "ok.example", NULL);

	/* Label types 0x40 and 0x80, and a header cut short. */
	reset();
	m.n = 0;
	dns_header(&m, 0x0100, 1, 0);
	w8(&m, 0x41);
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), -1);
	m.p[12] = 0x81;
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), -1);
	assert_int_equal(vg_cap_dns(c, m.p, 11, NULL), -1);
	assert_int_equal(nrec, 0);
}

/* Labels with a dot, a backslash, a space, UTF-8 and capitals; the
 * length limits. */
static void
test_dns_escape(void **state)
{
	static struct w m;
	vg_cap *c = *state;
	char label[64];
	size_t k;

	m.n = 0;
	dns_header(&m, 0x0100, 1, 0);
	w8(&m, 3);
	wmem(&m, "a.B", 3);
	w8(&m, 7);
	wmem(&m, "\xc3\xa9t\xc3\xa9 ", 6);
	w8(&m, '\\');
	w8(&m, 3);
	wmem(&m, "COM", 3);
	w8(&m, 0);
	w16(&m, 1);
	w16(&m, 1);
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), 0);
	expect_ev(0, VG_CAP_DNS_QUERY, "a\\.b.\\195\\169t\\195\\169\\032"
	    "\\092.com", NULL);

	/* 63 is the longest label; 4 x 63 + 4 = 256 is too long a name,
	 * 3 x 63 + 61 + 4 = 254 is not. */
	reset();
	memset(label, 'x', 63);
	label[63] = '\0';
	m.n = 0;
	dns_header(&m, 0x0100, 1, 0);
	for (k = 0; k < 3; k++) {
		w8(&m, 63);
		wmem(&m, label, 63);
	}
	w8(&m, 61);
	wmem(&m, label, 61);
	w8(&m, 0);
	w16(&m, 1);
	w16(&m, 1);
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), 0);
	assert_int_equal(nrec, 1);
	assert_int_equal(strlen(recs[0].name), 253);
	m.n = 12 + 3 * 64;
	w8(&m, 62);
	wmem(&m, label, 62);
	w8(&m, 0);
	w16(&m, 1);
	w16(&m, 1);
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), -1);
	assert_int_equal(nrec, 1);

	/* The root: a question, but no name to tell. */
	reset();
	m.n = 0;
	dns_header(&m, 0x0100, 1, 0);
	wname(&m, "");
	w16(&m, 2);
	w16(&m, 1);
	assert_int_equal(vg_cap_dns(c, m.p, m.n, NULL), 0);
	assert_int_equal(nrec, 0);
}

/* DNS over TCP: two messages after their lengths, one cut. */
static void
test_dns_tcp(void **state)
{
	static struct w q1, q2, s, f;
	vg_cap *c = *state;

	dns_query(&q1, "one.example");
	dns_query(&q2, "two.example");
	s.n = 0;
	w16(&s, (unsigned)q1.n);
	wmem(&s, q1.p, q1.n);
	w16(&s, (unsigned)q2.n);
	wmem(&s, q2.p, q2.n);
	w16(&s, 200);
	wmem(&s, q1.p, 5);
	eth_tcp4(&f, 40000, 53, 1, 0x18, s.p, s.n);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 1), 0);
	assert_int_equal(nrec, 3);
	assert_int_equal(expect_ev(0, VG_CAP_DEST, NULL, NULL)->proto, 6);
	expect_ev(1, VG_CAP_DNS_QUERY, "one.example", NULL);
	expect_ev(2, VG_CAP_DNS_QUERY, "two.example", NULL);
	assert_int_equal(vg_cap_stats(c)->dns, 2);
}

/* ------------------------------------------------------------------ */
/* TLS                                                                */
/* ------------------------------------------------------------------ */

static void
test_tls_api(void **state)
{
	static struct w h;
	char name[VG_CAP_NAME_MAX];
	size_t n = 0, k;

	(void)state;
	hello(&h, "Www.Example.ORG.", 0, 0);
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n), 1);
	assert_string_equal(name, "www.example.org");
	assert_int_equal(n, 15);
	/* Every prefix is incomplete. */
	for (k = 1; k < h.n; k++)
		assert_int_equal(vg_cap_tls_sni(h.p, k, name, sizeof(name),
		    &n), 2);
	/* Too small a buffer. */
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, 10, &n), -1);
	/* Not a ClientHello: a ServerHello, application data, not TLS. */
	h.p[5] = 2;
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n), 0);
	assert_int_equal(vg_cap_tls_sni(h.p, 6, name, sizeof(name), &n), 0);
	h.p[5] = 1;
	h.p[0] = 0x17;
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n), 0);
	h.p[0] = 0x16;
	h.p[1] = 0x02;
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n), 0);
	/* No server name. */
	hello(&h, NULL, 10, 0);
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n), 0);
	/* Over three records, and one byte per record. */
	hello(&h, "three.example", 300, 128);
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n), 1);
	assert_string_equal(name, "three.example");
	for (k = 1; k < h.n; k++)
		assert_int_equal(vg_cap_tls_sni(h.p, k, name, sizeof(name),
		    &n), 2);
	hello(&h, "tiny.example", 0, 1);
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n), 1);
	assert_string_equal(name, "tiny.example");
	/* A second record of another content type before the end. */
	hello(&h, "three.example", 300, 128);
	h.p[5 + 128] = 0x17;
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n),
	    -1);
}

static void
test_tls_malformed(void **state)
{
	static struct w h, f;
	vg_cap *c = *state;
	char name[VG_CAP_NAME_MAX];
	size_t n;

	/* A record longer than 2^14 + 2048: refused at once. */
	hello(&h, "big.example", 0, 0);
	set16(&h, 3, 16384 + 2049);
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n),
	    -1);
	eth_tcp4(&f, 40000, 443, 1, 0x18, h.p, h.n);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 1), -1);
	assert_int_equal(nrec, 1);      /* DEST */
	assert_int_equal(vg_cap_stats(c)->malformed, 1);
	/* 2^14 + 2048 itself is allowed: the ClientHello is whole before
	 * the record's end, and read. */
	set16(&h, 3, 16384 + 2048);
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n), 1);
	assert_string_equal(name, "big.example");
	/* A handshake message over 16 KiB. */
	hello(&h, "big.example", 0, 0);
	h.p[6] = 1;
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n),
	    -1);
	/* The same, its header over several records. */
	hello(&h, "big.example", 0, 1);
	assert_int_equal(h.p[11], 0);
	h.p[11] = 1;
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n),
	    -1);
	assert_int_equal(vg_cap_tls_sni(h.p, 12, name, sizeof(name), &n), 2);
	assert_int_equal(vg_cap_tls_sni(h.p, 6 * 4, name, sizeof(name), &n),
	    -1);
	/* A session id over 32 bytes, an empty host name, an extension
	 * block of the wrong length. */
	hello(&h, "big.example", 0, 0);
	h.p[9 + 34] = 33;
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n),
	    -1);
	hello(&h, "", 0, 0);
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n),
	    -1);
	hello(&h, "big.example", 0, 0);
	h.p[9 + 35 + 32 + 2 + 6 + 2 + 1]++;
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n),
	    -1);
}

/* A ClientHello in records of one byte fills the flow's buffer before
 * its end: given up, malformed. */
static void
test_tls_tiny_records(void **state)
{
	static struct w h, f;
	vg_cap *c = *state;
	char name[VG_CAP_NAME_MAX];
	size_t off, n, seg = 1400;
	int rc, bad = 0;

	keep_dest = 0;
	hello(&h, "tiny.example", 3000, 1);
	assert_true(h.n > 16384 + 1024 + 4);
	assert_int_equal(vg_cap_tls_sni(h.p, h.n, name, sizeof(name), &n), 1);
	assert_string_equal(name, "tiny.example");
	for (off = 0; off < h.n; off += seg) {
		n = h.n - off < seg ? h.n - off : seg;
		eth_tcp4(&f, 40000, 443, 1 + (uint32_t)off, 0x18, h.p + off,
		    n);
		rc = feed(c, DLT_EN10MB, &f, 1 + off / seg);
		if (rc < 0) {
			assert_true(off + n > 16384 + 1024 + 4);
			assert_true(off <= 16384 + 1024 + 4);
			bad++;
		}
	}
	assert_int_equal(bad, 1);
	assert_int_equal(nkind[VG_CAP_TLS_SNI], 0);
	assert_int_equal(vg_cap_stats(c)->malformed, 1);
}

/* Send the ClientHello h over the segments cut at cuts[] (ascending,
 * ending with h->n), in order order[], from packet pkt on.  Returns the
 * number of SNI events. */
static size_t
send_cut(vg_cap *c, const struct w *h, const size_t *cuts,
    const size_t *order, size_t nseg, uint32_t isn, unsigned sport)
{
	static struct w f;
	size_t i, k, from, n = 0;

	for (i = 0; i < nseg; i++) {
		k = order[i];
		from = k == 0 ? 0 : cuts[k - 1];
		eth_tcp4(&f, sport, 443, isn + (uint32_t)from, 0x18,
		    h->p + from, cuts[k] - from);
		assert_int_equal(feed(c, DLT_EN10MB, &f, i + 1), 0);
	}
	for (i = 0; i < nrec; i++)
		n += recs[i].kind == VG_CAP_TLS_SNI;
	return n;
}

static void
test_tls_segments(void **state)
{
	static struct w h, f;
	static const size_t o012[] = { 0, 1, 2 }, o021[] = { 0, 2, 1 },
	    o0212[] = { 0, 2, 1, 2 }, o0112[] = { 0, 1, 1, 2 };
	vg_cap *c = *state;
	size_t cuts[3];
	const struct rec *r;

	/* Whole, in one segment: lower-cased, on any port. */
	hello(&h, "Chat.Example.COM", 0, 0);
	eth_tcp4(&f, 40000, 8443, 77, 0x18, h.p, h.n);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 5), 0);
	assert_int_equal(nrec, 2);
	r = expect_ev(1, VG_CAP_TLS_SNI, "chat.example.com", NULL);
	assert_int_equal(r->port, 8443);
	expect_addr(&r->addr, "93.184.216.34");
	assert_int_equal(r->packet, 5);
	assert_int_equal(vg_cap_stats(c)->tls, 1);

	/* A Chrome-sized ClientHello (1.8 KB) over two segments. */
	reset();
	keep_dest = 0;
	hello(&h, "pq.example.net", 1700, 0);
	cuts[0] = 1448;
	cuts[1] = h.n;
	assert_int_equal(send_cut(c, &h, cuts, o012, 2, 1000, 40001), 1);
	r = expect_ev(0, VG_CAP_TLS_SNI, "pq.example.net", NULL);
	assert_int_equal(r->packet, 2);
	assert_int_equal(r->port, 443);

	/* Three segments, the first cut inside the record header. */
	reset();
	cuts[0] = 3;
	cuts[1] = 900;
	cuts[2] = h.n;
	assert_int_equal(send_cut(c, &h, cuts, o012, 3, 0xfffffff0u, 40002),
	    1);
	expect_ev(0, VG_CAP_TLS_SNI, "pq.example.net", NULL);

	/* Two records over two segments. */
	reset();
	hello(&h, "records.example", 1700, 1000);
	cuts[0] = 700;
	cuts[1] = h.n;
	assert_int_equal(send_cut(c, &h, cuts, o012, 2, 5, 40003), 1);
	expect_ev(0, VG_CAP_TLS_SNI, "records.example", NULL);

	/* Out of order: the third before the second is not glued to the
	 * first; the second then waits; its retransmitted third ends it. */
	reset();
	hello(&h, "order.example", 1700, 0);
	cuts[0] = 600;
	cuts[1] = 1200;
	cuts[2] = h.n;
	assert_int_equal(send_cut(c, &h, cuts, o021, 3, 9, 40004), 0);
	assert_int_equal(nrec, 0);
	reset();
	assert_int_equal(send_cut(c, &h, cuts, o0212 + 3, 1, 9, 40004), 1);
	expect_ev(0, VG_CAP_TLS_SNI, "order.example", NULL);

	/* A retransmitted segment is not appended twice. */
	reset();
	hello(&h, "again.example", 1700, 0);
	assert_int_equal(send_cut(c, &h, cuts, o0112, 4, 9, 40005), 1);
	expect_ev(0, VG_CAP_TLS_SNI, "again.example", NULL);

	/* A retransmission overlapping what we have and bringing more:
	 * only the new bytes are appended. */
	reset();
	hello(&h, "overlap.example", 1700, 0);
	eth_tcp4(&f, 40006, 443, 100, 0x18, h.p, 600);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 1), 0);
	eth_tcp4(&f, 40006, 443, 100 + 300, 0x18, h.p + 300, 900);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 2), 0);
	eth_tcp4(&f, 40006, 443, 100 + 1200, 0x18, h.p + 1200, h.n - 1200);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 3), 0);
	assert_int_equal(nrec, 1);
	assert_int_equal(expect_ev(0, VG_CAP_TLS_SNI, "overlap.example",
	    NULL)->packet, 3);
	assert_int_equal(vg_cap_stats(c)->malformed, 0);

	/* TCP Fast Open: the ClientHello starts on the SYN, whose data
	 * begins one past its sequence number. */
	reset();
	hello(&h, "tfo.example", 1700, 0);
	eth_tcp4(&f, 40008, 443, 500, 0x02, h.p, 1000);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 1), 0);
	eth_tcp4(&f, 40008, 443, 1501, 0x18, h.p + 1000, h.n - 1000);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 2), 0);
	assert_int_equal(nrec, 1);
	expect_ev(0, VG_CAP_TLS_SNI, "tfo.example", NULL);

	/* A first segment the capture cut is not kept: what follows would
	 * be glued after a hole. */
	reset();
	hello(&h, "cut.example", 1700, 0);
	eth_tcp4(&f, 40007, 443, 100, 0x18, h.p, 1000);
	assert_int_equal(feed_lt(c, DLT_EN10MB, f.p, f.n - 100, 1), 0);
	eth_tcp4(&f, 40007, 443, 1100, 0x18, h.p + 1000, h.n - 1000);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 2), 0);
	assert_int_equal(nrec, 0);
	assert_int_equal(vg_cap_stats(c)->malformed, 0);
}

/* TCP options are stepped over. */
static void
test_tcp_options(void **state)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: opt.example\r\n\r\n";
	static struct w l, ip, f;
	vg_cap *c = *state;
	size_t k;

	tcp(&l, 40000, 80, 1, 0x18, NULL, 0);
	l.p[12] = 0x80;                 /* 32 bytes of header */
	for (k = 0; k < 12; k++)
		w8(&l, 1);              /* NOPs */
	wmem(&l, req, sizeof(req) - 1);
	ip4(&ip, "10.0.0.2", "192.0.2.80", 6, 0, 0, &l);
	wrap(&f, DLT_EN10MB, 4, 0, &ip);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 1), 0);
	assert_int_equal(nrec, 2);
	expect_ev(1, VG_CAP_HTTP_HOST, "opt.example", NULL);
	/* A data offset past the packet, and under 20 bytes. */
	reset();
	ip.p[20 + 12] = 0xf0;
	ip.n = 20 + 40;
	set16(&ip, 2, 60);
	assert_int_equal(feed(c, DLT_RAW, &ip, 2), -1);
	ip.p[20 + 12] = 0x40;
	assert_int_equal(feed(c, DLT_RAW, &ip, 3), -1);
	assert_int_equal(nkind[VG_CAP_DEST], 2);
	assert_int_equal(nrec, 2);
}

/* The table forgets its oldest flows past 1024, and a SYN or RST
 * forgets its flow. */
static void
test_tls_table(void **state)
{
	static struct w h, f;
	vg_cap *c = *state;
	unsigned i;
	size_t cut = 500;

	keep_dest = 0;
	hello(&h, "table.example", 1000, 0);
	for (i = 0; i < 1100; i++) {
		eth_tcp4(&f, 10000 + i, 443, 1, 0x18, h.p, cut);
		assert_int_equal(feed(c, DLT_EN10MB, &f, i + 1), 0);
	}
	/* The first 76 were evicted: their rest tells nothing. */
	for (i = 0; i < 76; i++) {
		eth_tcp4(&f, 10000 + i, 443, 1 + (uint32_t)cut, 0x18,
		    h.p + cut, h.n - cut);
		assert_int_equal(feed(c, DLT_EN10MB, &f, 2000 + i), 0);
	}
	assert_int_equal(nkind[VG_CAP_TLS_SNI], 0);
	/* The 1024 later ones are still there. */
	for (i = 76; i < 1100; i++) {
		eth_tcp4(&f, 10000 + i, 443, 1 + (uint32_t)cut, 0x18,
		    h.p + cut, h.n - cut);
		assert_int_equal(feed(c, DLT_EN10MB, &f, 3000 + i), 0);
	}
	assert_int_equal(nkind[VG_CAP_TLS_SNI], 1024);
	expect_ev(0, VG_CAP_TLS_SNI, "table.example", NULL);

	/* A reset between the two halves: the flow is forgotten. */
	reset();
	eth_tcp4(&f, 20000, 443, 1, 0x18, h.p, cut);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 1), 0);
	eth_tcp4(&f, 20000, 443, 1 + (uint32_t)cut, 0x04, NULL, 0);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 2), 0);
	eth_tcp4(&f, 20000, 443, 1 + (uint32_t)cut, 0x18, h.p + cut,
	    h.n - cut);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 3), 0);
	assert_int_equal(nkind[VG_CAP_TLS_SNI], 0);
	/* The other direction is another flow. */
	eth_tcp4(&f, 20001, 443, 1, 0x18, h.p, cut);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 4), 0);
	eth_tcp4(&f, 443, 20001, 1 + (uint32_t)cut, 0x18, h.p + cut,
	    h.n - cut);
	assert_int_equal(feed(c, DLT_EN10MB, &f, 5), 0);
	assert_int_equal(nkind[VG_CAP_TLS_SNI], 0);
}

/* ------------------------------------------------------------------ */
/* HTTP                                                               */
/* ------------------------------------------------------------------ */

static void
test_http(void **state)
{
	static const struct {
		const char *req;
		int rc;
		const char *host;
	} cases[] = {
		{ "GET / HTTP/1.1\r\nHost: WWW.Example.com:8080\r\n\r\n", 1,
		  "www.example.com" },
		{ "POST /up HTTP/1.0\r\nUser-Agent: x\r\nhOsT:\tb.example "
		  "\r\n\r\n", 1, "b.example" },
		{ "HEAD / HTTP/1.1\nhost:[::1]:80\n\n", 1, "::1" },
		{ "PUT / HTTP/1.1\r\nHost: [2001:db8::1]\r\n\r\n", 1,
		  "2001:db8::1" },
		{ "OPTIONS * HTTP/1.1\r\nHost: 2001:db8::5\r\n\r\n", 1,
		  "2001:db8::5" },
		{ "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n"
		  "\r\n", 1, "a.example" },
		{ "DELETE /x HTTP/1.1\r\nHost: d.example.\r\n\r\n", 1,
		  "d.example" },
		{ "PATCH /x HTTP/1.1\r\nHost: \xc3\xa9t\xc3\xa9.fr\r\n\r\n", 1,
		  "\\195\\169t\\195\\169.fr" },
		{ "TRACE / HTTP/1.1\r\nX-Host: no\r\n\r\nHost: late\r\n", 0,
		  NULL },
		{ "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 0, NULL },
		{ "GET / HTTP/1.1\r\nHost: cut.exam", 0, NULL },
		{ "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 0, NULL },
		{ "GETS / HTTP/1.1\r\nHost: a\r\n\r\n", 0, NULL },
		{ "get / HTTP/1.1\r\nHost: a\r\n\r\n", 0, NULL },
		{ "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", -1, NULL },
		{ "GET / HTTP/1.1\r\nHost:\r\n\r\n", 0, NULL },
	};
	static struct w f;
	vg_cap *c = *state;
	char name[VG_CAP_NAME_MAX];
	size_t i, n;
	int rc;

	for (i = 0; i < VG_ARRAY_LEN(cases); i++) {
		n = 0;
		name[0] = '\0';
		rc = vg_cap_http_host((const uint8_t *)cases[i].req,
		    strlen(cases[i].req), name, sizeof(name), &n);
		if (rc != cases[i].rc)
			fail_msg("case %zu: %d, want %d", i, rc, cases[i].rc);
		if (rc == 1) {
			assert_string_equal(name, cases[i].host);
			assert_int_equal(n, strlen(cases[i].host));
		}
		/* The same in a frame. */
		reset();
		eth_tcp4(&f, 40000, 80, 1, 0x18,
		    (const uint8_t *)cases[i].req, strlen(cases[i].req));
		assert_int_equal(feed(c, DLT_EN10MB, &f, i + 1),
		    cases[i].rc < 0 ? -1 : 0);
		if (rc == 1) {
			assert_int_equal(nrec, 2);
			assert_int_equal(expect_ev(1, VG_CAP_HTTP_HOST,
			    cases[i].host, NULL)->port, 80);
		} else {
			assert_int_equal(nrec, 1);
		}
	}
	/* Requests: all but HTTP/2.0, GETS and get. */
	assert_int_equal(vg_cap_stats(c)->http, VG_ARRAY_LEN(cases) - 3);
}

/* ------------------------------------------------------------------ */
/* Every prefix                                                       */
/* ------------------------------------------------------------------ */

static void
test_prefixes(void **state)
{
	static struct w frames[12], l, ip, m;
	static const uint8_t ext[] = { 60, 0, 1, 4, 0, 0, 0, 0 };
	int lts[12];
	vg_cap *c = *state;
	size_t nf = 0, i, k;

	keep_dest = 0;
	dns_chain_msg(&m);
	eth_udp4(&frames[nf], "9.9.9.9", "10.0.0.2", 53, 4, &m);
	lts[nf++] = DLT_EN10MB;
	udp(&l, 53, 4, m.p, m.n);
	ip6(&ip, "::1", "::2", 0, ext, sizeof(ext), &l);
	wrap(&frames[nf], DLT_LINUX_SLL2, 6, 0, &ip);
	lts[nf++] = DLT_LINUX_SLL2;
	hello(&m, "a.example", 200, 100);
	tcp(&l, 4, 443, 1, 0x18, m.p, m.n);
	ip4(&ip, "10.0.0.2", "1.2.3.4", 6, 0, 2, &l);
	wrap(&frames[nf], DLT_EN10MB, 4, 2, &ip);
	lts[nf++] = DLT_EN10MB;
	wrap(&frames[nf], DLT_NULL, 4, 0, &ip);
	lts[nf++] = DLT_NULL;
	m.n = 0;
	wmem(&m, "GET / HTTP/1.1\r\nHost: h.example\r\n\r\n", 35);
	tcp(&l, 4, 80, 1, 0x18, m.p, m.n);
	ip6(&ip, "::1", "::2", 6, NULL, 0, &l);
	wrap(&frames[nf], DLT_LINUX_SLL, 6, 0, &ip);
	lts[nf++] = DLT_LINUX_SLL;
	wrap(&frames[nf], DLT_LOOP, 6, 0, &ip);
	lts[nf++] = DLT_LOOP;

	for (i = 0; i < nf; i++) {
		for (k = 0; k <= frames[i].n; k++) {
			reset();
			(void)feed_lt(c, lts[i], frames[i].p, k, k + 1);
			/* Any prefix from the link header on is IP. */
		}
	}
	/* The parts, straight. */
	dns_chain_msg(&m);
	for (k = 0; k <= m.n; k++) {
		uint8_t *copy = dup_exact(m.p, k);

		reset();
		assert_int_equal(vg_cap_dns(c, copy, k, NULL),
		    k == m.n ? 0 : -1);
		free(copy);
	}
	hello(&m, "p.example", 50, 30);
	for (k = 0; k <= m.n; k++) {
		uint8_t *copy = dup_exact(m.p, k);
		char name[VG_CAP_NAME_MAX];
		size_t n;

		assert_int_equal(vg_cap_tls_sni(copy, k, name, sizeof(name),
		    &n), k == m.n ? 1 : 2);
		free(copy);
	}
}

/* A frame cut by the capture (snaplen) is not malformed: what is there
 * is told. */
static void
test_snaplen(void **state)
{
	static struct w m, f;
	vg_cap *c = *state;

	dns_chain_msg(&m);
	eth_udp4(&f, "9.9.9.9", "10.0.0.2", 53, 4, &m);
	assert_int_equal(feed_lt(c, DLT_EN10MB, f.p, f.n - 20, 1), 0);
	assert_int_equal(vg_cap_stats(c)->malformed, 0);
	expect_ev(1, VG_CAP_DNS_QUERY, "www.example.com", NULL);
	expect_ev(2, VG_CAP_DNS_ANSWER, "www.example.com",
	    "e1.a.akamaiedge.net");
	assert_int_equal(feed_lt(c, DLT_EN10MB, f.p, 14 + 20 + 2, 2), 0);
	assert_int_equal(vg_cap_stats(c)->malformed, 0);
	assert_int_equal(recs[nrec - 1].kind, VG_CAP_DEST);
	assert_int_equal(recs[nrec - 1].port, 0);
	/* The IP header itself cut: malformed. */
	assert_int_equal(feed_lt(c, DLT_EN10MB, f.p, 14 + 19, 3), -1);
}

/* ------------------------------------------------------------------ */
/* Files                                                              */
/* ------------------------------------------------------------------ */

#define TMPDIR_TEMPLATE "/tmp/vigie-capture-XXXXXX"
static char tmpdir[] = TMPDIR_TEMPLATE;

static int
setup_dir(void **state)
{
	memcpy(tmpdir, TMPDIR_TEMPLATE, sizeof(tmpdir));
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return setup(state);
}

static int
teardown_dir(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		return -1;
	return teardown(state);
}

static void
path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

/* Three frames: DNS query, HTTP request, TLS ClientHello. */
static void
three_frames(struct w *f)
{
	static struct w m;

	dns_query(&m, "file.example");
	eth_udp4(&f[0], "10.0.0.2", "9.9.9.9", 40000, 53, &m);
	m.n = 0;
	wmem(&m, "GET / HTTP/1.1\r\nHost: web.example\r\n\r\n", 37);
	eth_tcp4(&f[1], 40001, 80, 1, 0x18, m.p, m.n);
	hello(&m, "tls.example", 0, 0);
	eth_tcp4(&f[2], 40002, 443, 1, 0x18, m.p, m.n);
}

static void
write_pcap(const char *path, int lt, const struct w *f, size_t n)
{
	pcap_t *p = pcap_open_dead(lt, 65535);
	pcap_dumper_t *d;
	struct pcap_pkthdr h;
	size_t i;

	assert_non_null(p);
	d = pcap_dump_open(p, path);
	assert_non_null(d);
	for (i = 0; i < n; i++) {
		h.ts.tv_sec = 1700000000 + (time_t)i;
		h.ts.tv_usec = 250000;
		h.caplen = h.len = (bpf_u_int32)f[i].n;
		pcap_dump((u_char *)d, &h, f[i].p);
	}
	pcap_dump_close(d);
	pcap_close(p);
}

static uint64_t last_done, last_total;
static int nprogress;

static void
progress(void *arg, uint64_t done, uint64_t total)
{
	(void)arg;
	nprogress++;
	last_done = done;
	last_total = total;
}

static void
expect_three(void)
{
	const struct rec *r;

	assert_int_equal(nrec, 6);
	r = expect_ev(1, VG_CAP_DNS_QUERY, "file.example", NULL);
	assert_int_equal(r->packet, 1);
	assert_int_equal(r->ts_us, 1700000000LL * 1000000 + 250000);
	r = expect_ev(3, VG_CAP_HTTP_HOST, "web.example", NULL);
	assert_int_equal(r->packet, 2);
	assert_int_equal(r->ts_us, 1700000001LL * 1000000 + 250000);
	r = expect_ev(5, VG_CAP_TLS_SNI, "tls.example", NULL);
	assert_int_equal(r->packet, 3);
}

static void
test_file_pcap(void **state)
{
	static struct w f[3];
	vg_cap *c = *state;
	char path[256], err[256];
	FILE *fp;
	long size;

	three_frames(f);
	path_of(path, sizeof(path), "three.pcap");
	write_pcap(path, DLT_EN10MB, f, 3);
	nprogress = 0;
	assert_int_equal(vg_cap_read_file(c, path, progress, NULL, err,
	    sizeof(err)), VG_OK);
	assert_string_equal(err, "");
	expect_three();
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fclose(fp);
	assert_true(nprogress >= 1);
	assert_int_equal(last_done, (uint64_t)size);
	assert_int_equal(last_total, (uint64_t)size);
	assert_int_equal(vg_cap_stats(c)->packets, 3);
}

static void
le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* A pcapng file written by hand: SHB, IDB (Ethernet, µs), an EPB per
 * frame. */
static void
test_file_pcapng(void **state)
{
	static struct w f[3];
	static uint8_t out[8192];
	vg_cap *c = *state;
	char path[256], err[256];
	size_t n = 0, i, pad;
	uint64_t ts;
	FILE *fp;

	three_frames(f);
	le32(out + n, 0x0a0d0d0a);
	le32(out + n + 4, 28);
	le32(out + n + 8, 0x1a2b3c4d);
	out[n + 12] = 1;                /* version 1.0 */
	out[n + 13] = 0;
	out[n + 14] = 0;
	out[n + 15] = 0;
	memset(out + n + 16, 0xff, 8);  /* section length unknown */
	le32(out + n + 24, 28);
	n += 28;
	le32(out + n, 1);
	le32(out + n + 4, 20);
	le32(out + n + 8, 1);           /* LINKTYPE_ETHERNET, reserved 0 */
	le32(out + n + 12, 65535);
	le32(out + n + 16, 20);
	n += 20;
	for (i = 0; i < 3; i++) {
		pad = (4 - f[i].n % 4) % 4;
		ts = (1700000000ULL + i) * 1000000 + 250000;
		le32(out + n, 6);
		le32(out + n + 4, (uint32_t)(32 + f[i].n + pad));
		le32(out + n + 8, 0);
		le32(out + n + 12, (uint32_t)(ts >> 32));
		le32(out + n + 16, (uint32_t)ts);
		le32(out + n + 20, (uint32_t)f[i].n);
		le32(out + n + 24, (uint32_t)f[i].n);
		memcpy(out + n + 28, f[i].p, f[i].n);
		memset(out + n + 28 + f[i].n, 0, pad);
		le32(out + n + 28 + f[i].n + pad,
		    (uint32_t)(32 + f[i].n + pad));
		n += 32 + f[i].n + pad;
	}
	path_of(path, sizeof(path), "three.pcapng");
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(out, 1, n, fp), n);
	fclose(fp);
	assert_int_equal(vg_cap_read_file(c, path, NULL, NULL, err,
	    sizeof(err)), VG_OK);
	expect_three();

	/* Cut inside the third block. */
	reset();
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(out, 1, n - 30, fp), n - 30);
	fclose(fp);
	assert_int_equal(vg_cap_read_file(c, path, NULL, NULL, err,
	    sizeof(err)), VG_EINVAL);
	assert_non_null(strstr(err, "three.pcapng : fichier tronqué ou "
	    "abîmé après le paquet 2 ("));
	assert_int_equal(nrec, 4);
}

static void
test_file_truncated(void **state)
{
	static struct w f[3];
	const char *want = "cut.pcap : fichier tronqué ou abîmé après le "
	    "paquet 2 (truncated dump file";
	vg_cap *c = *state;
	char path[256], err[256];
	FILE *fp;
	long size;

	three_frames(f);
	path_of(path, sizeof(path), "cut.pcap");
	write_pcap(path, DLT_EN10MB, f, 3);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fclose(fp);
	assert_int_equal(truncate(path, size - 10), 0);
	assert_int_equal(vg_cap_read_file(c, path, NULL, NULL, err,
	    sizeof(err)), VG_EINVAL);
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("message: %s", err);
	assert_null(strchr(err, '\n'));
	assert_int_equal(nrec, 4);
	expect_ev(1, VG_CAP_DNS_QUERY, "file.example", NULL);
	expect_ev(3, VG_CAP_HTTP_HOST, "web.example", NULL);
}

static void
test_file_refused(void **state)
{
	static struct w f[3];
	vg_cap *c = *state;
	char path[256], err[256];
	FILE *fp;

	three_frames(f);
	path_of(path, sizeof(path), "usb.pcap");
	write_pcap(path, 147, f, 3);
	assert_int_equal(vg_cap_read_file(c, path, NULL, NULL, err,
	    sizeof(err)), VG_EINVAL);
	assert_string_equal(err, "usb.pcap : type de lien 147 inconnu, rien "
	    "n'a été lu");
	assert_int_equal(nseen, 0);

	path_of(path, sizeof(path), "notes.txt");
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("Ceci n'est pas une capture.\n", fp);
	fclose(fp);
	assert_int_equal(vg_cap_read_file(c, path, NULL, NULL, err,
	    sizeof(err)), VG_EINVAL);
	assert_non_null(strstr(err, "notes.txt : ce n'est pas une capture "
	    "pcap ou pcapng lisible ("));
	assert_null(strchr(err, '\n'));

	path_of(path, sizeof(path), "empty.pcap");
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(vg_cap_read_file(c, path, NULL, NULL, err,
	    sizeof(err)), VG_EINVAL);
	assert_non_null(strstr(err, "empty.pcap : ce n'est pas une capture"));

	path_of(path, sizeof(path), "missing.pcap");
	assert_int_equal(vg_cap_read_file(c, path, NULL, NULL, err,
	    sizeof(err)), VG_EIO);
	assert_non_null(strstr(err, "missing.pcap : impossible d'ouvrir"));
	assert_int_equal(vg_cap_read_file(c, tmpdir, NULL, NULL, err,
	    sizeof(err)), VG_EIO);
	assert_int_equal(nseen, 0);
	assert_int_equal(vg_cap_stats(c)->packets, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_link_types, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_ip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv6_ext, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dns_response, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dns_malformed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dns_escape, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dns_tcp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tls_api, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tls_malformed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tls_segments, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tls_tiny_records, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tcp_options, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tls_table, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_http, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefixes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_snaplen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_pcap, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_file_pcapng, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_file_truncated, setup_dir,
		    teardown_dir),
		cmocka_unit_test_setup_teardown(test_file_refused, setup_dir,
		    teardown_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
