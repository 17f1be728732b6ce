/*
 * capture.c — the network capture decoder of the stalkerware scanner
 * (see capture.h for what it tells and the promises it keeps).
 *
 * The path of a packet:
 *
 *	vg_cap_read_file()  libpcap, one frame at a time (pcap_next_ex)
 *	vg_cap_frame()      link layer -> ip4()/ip6() -> l4()
 *	l4()                the VG_CAP_DEST event, then UDP or TCP port 53
 *	                    to vg_cap_dns(), other TCP payloads to tcp_data()
 *	tcp_data()          a pending ClientHello's flow, a TLS handshake
 *	                    record (0x16 0x03), an HTTP method, or nothing
 *
 * Speed matters (captures of hundreds of megabytes): nothing is
 * allocated per packet, and a bulk TCP segment costs a few header
 * reads, the DEST callback and one look at its first payload byte.  The
 * flow table is only searched while it holds something.
 *
 * What "malformed" means here: bytes present that contradict the
 * protocol (a length beyond its container, a forward DNS pointer, an
 * oversized TLS record...).  Bytes missing because the capture cut the
 * frame (snaplen) are not malformed: what is there is decoded, quietly.
 *
 * Memory: one vg_cap (about 11 KiB), a 16 KiB buffer for ClientHellos
 * spanning records, and for the reassembly of split ClientHellos a table
 * (about 100 KiB) and at most FLOWS buffers of at most FLOW_MAX bytes,
 * grown on demand and reused; all made when first needed, nothing else,
 * whatever the capture's size.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

#include "scan/capture.h"

/* IP protocols and TCP flags used here. */
#define PROTO_TCP 6
#define PROTO_UDP 17
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04

/* Linktype values that are not DLT_ macros on every system: raw IP is
 * 12 on most systems but 14 in captures from BSD/OS and OpenBSD, and
 * LINKTYPE_RAW (101) is what a caller may pass straight from a file. */
#define LT_RAW_BSD 14
#define LT_RAW_FILE 101

#define VLAN_MAX 8              /* stacked 802.1Q/802.1ad tags */
#define IP6_EXT_MAX 16          /* IPv6 extension headers followed */

#define DNS_HOPS 64             /* compression pointers in one name */
#define DNS_WIRE_MAX 254        /* a name's labels with their length
				 * bytes: 255 on the wire, less the root */
#define CNAME_MAX 16            /* CNAME records kept per message */

#define TLS_REC_MAX (16384 + 2048)
#define HELLO_MAX 16384         /* a ClientHello's body, at most */
#define FLOWS 1024              /* pending ClientHellos */
#define BUCKETS 2048            /* hash buckets, a power of two */
#define FLOW_MAX (HELLO_MAX + 4 + 1024) /* a flow's bytes: the hello,
				 * its header and room for record headers */
#define FLOW_MIN_CAP 2048

/* Fragments, for l4(). */
enum { WHOLE, FIRST, LATER };

#define PROGRESS_STEP (16u << 20)
#define READ_BUF (1u << 20)     /* stdio buffer under libpcap */

/* A TCP direction: the key of a pending flow.  Padding is zeroed so
 * that keys compare with memcmp. */
struct flow_key {
	uint8_t family;
	uint8_t pad;
	uint16_t sport;
	uint16_t dport;
	uint16_t pad2;
	uint8_t src[16];
	uint8_t dst[16];
};

/*
 * A flow whose first segment started a TLS handshake record but did not
 * complete its ClientHello.  buf (owned by the slot, kept when the slot
 * is reused, freed by vg_cap_free) holds the stream from that segment
 * on; next is the sequence number of the byte expected next.
 */
struct flow {
	struct flow_key key;
	uint32_t hash;
	uint32_t next;
	int32_t hnext;          /* next in the bucket, or in the free list */
	int32_t older, newer;   /* age list, -1 at its ends */
	int used;
	uint8_t *buf;
	size_t len, cap;
};

/* A DNS name in canonical wire form: lower-cased labels, each after
 * its length byte, without the root's zero. */
struct dname {
	size_t len;
	uint8_t w[DNS_WIRE_MAX];
};

/* The reassembly table: hash buckets of slot indices, an age list
 * (oldest evicted first) and a free list. */
struct flowtab {
	uint32_t seed;
	int32_t bucket[BUCKETS];
	int32_t oldest, newest, freelist;
	struct flow flows[FLOWS];
};

struct vg_cap {
	vg_cap_fn fn;
	void *arg;
	struct vg_cap_stats st;

	/* Made at the first flow to keep (about 100 KiB), owned. */
	struct flowtab *ft;
	size_t nflows;

	/* Scratch space for one message, so that nothing is allocated
	 * per packet. */
	struct dname qname;
	struct dname cn_owner[CNAME_MAX], cn_target[CNAME_MAX];
	struct dname owner;
	char name[VG_CAP_NAME_MAX];
	char alias[VG_CAP_NAME_MAX];
	uint8_t *hello;         /* 4 + HELLO_MAX bytes, made at the first
				 * TLS handshake seen, owned */
};

/* Big-endian reads; the caller has checked the bytes are there. */
static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Give ev to the caller's callback, if any. */
static void
emit(vg_cap *c, const struct vg_cap_event *ev)
{
	if (c->fn != NULL)
		c->fn(c->arg, ev);
}

/* ------------------------------------------------------------------ */
/* Names                                                              */
/* ------------------------------------------------------------------ */

/*
 * Write byte b of a name at out (room for 4), lower-cased and escaped
 * as capture.h says; a '.' is escaped only inside a DNS label (dns).
 * Returns the characters written.
 */
static size_t
esc_byte(char *out, uint8_t b, int dns)
{
	if (b >= 'A' && b <= 'Z') {
		out[0] = (char)(b + ('a' - 'A'));
		return 1;
	}
	if (b < 0x21 || b > 0x7e || b == '\\') {
		out[0] = '\\';
		out[1] = (char)('0' + b / 100);
		out[2] = (char)('0' + b / 10 % 10);
		out[3] = (char)('0' + b % 10);
		return 4;
	}
	if (dns && b == '.') {
		out[0] = '\\';
		out[1] = '.';
		return 2;
	}
	out[0] = (char)b;
	return 1;
}

/*
 * Write the host name raw[0..n) (from SNI or Host, where '.' separates
 * labels) into name (cap bytes), trailing dots removed, escaped.
 * Returns 1, 0 when nothing is left, -1 when longer than a DNS name
 * may be or when it does not fit in cap.
 */
static int
put_host(const uint8_t *raw, size_t n, char *name, size_t cap,
    size_t *namelen)
{
	size_t i, o = 0;

	while (n > 0 && raw[n - 1] == '.')
		n--;
	if (n == 0)
		return 0;
	if (n > 255)
		return -1;
	for (i = 0; i < n; i++) {
		if (cap < o + 5)
			return -1;
		o += esc_byte(name + o, raw[i], 0);
	}
	name[o] = '\0';
	*namelen = o;
	return 1;
}

/*
 * Write the wire name d as text into out (VG_CAP_NAME_MAX bytes, always
 * enough: 254 wire bytes give at most 1015 characters).  Returns the
 * length; 0 for the root.
 */
static size_t
dname_text(const struct dname *d, char *out)
{
	size_t i = 0, o = 0, k, n;

	while (i < d->len) {
		n = d->w[i++];
		if (o > 0)
			out[o++] = '.';
		for (k = 0; k < n && i < d->len; k++)
			o += esc_byte(out + o, d->w[i++], 1);
	}
	out[o] = '\0';
	return o;
}

/* Whether two canonical (already lower-cased) names are equal. */
static int
dname_eq(const struct dname *a, const struct dname *b)
{
	return a->len == b->len && memcmp(a->w, b->w, a->len) == 0;
}

/* ------------------------------------------------------------------ */
/* DNS                                                                */
/* ------------------------------------------------------------------ */

/*
 * Read the name at *off in msg[0..len) into d, lower-cased.  A
 * compression pointer must point before the start of the labels being
 * read (the name's start, then each pointer's target), so every jump
 * goes backwards and loops are impossible; DNS_HOPS bounds them anyway.
 * *off moves past the name as written at *off.  Returns 0, or -1 when
 * malformed (cut, forward pointer, label type 0x40/0x80, too long).
 */
static int
dns_name(const uint8_t *msg, size_t len, size_t *off, struct dname *d)
{
	size_t pos = *off, limit = *off, end = 0, k;
	int jumped = 0, hops = 0;
	uint8_t b;

	d->len = 0;
	for (;;) {
		if (pos >= len)
			return -1;
		b = msg[pos];
		if (b == 0) {
			if (!jumped)
				end = pos + 1;
			break;
		}
		if ((b & 0xc0) == 0xc0) {
			size_t t;

			if (len - pos < 2)
				return -1;
			t = (size_t)(b & 0x3f) << 8 | msg[pos + 1];
			if (t >= limit || ++hops > DNS_HOPS)
				return -1;
			if (!jumped) {
				end = pos + 2;
				jumped = 1;
			}
			pos = limit = t;
			continue;
		}
		if (b & 0xc0)
			return -1;
		if (len - pos - 1 < b || d->len + 1 + b > DNS_WIRE_MAX)
			return -1;
		d->w[d->len++] = b;
		for (k = 1; k <= b; k++) {
			uint8_t ch = msg[pos + k];

			if (ch >= 'A' && ch <= 'Z')
				ch = (uint8_t)(ch + ('a' - 'A'));
			d->w[d->len++] = ch;
		}
		pos += 1 + (size_t)b;
	}
	*off = end;
	return 0;
}

/* One resource record's fields. */
struct dns_rr {
	uint16_t type, cls;
	size_t rd, rdlen;       /* rdata's offset and length in msg */
};

/* Read the record at *off into owner and rr; *off moves past it.
 * Returns 0 or -1. */
static int
dns_rr(const uint8_t *msg, size_t len, size_t *off, struct dname *owner,
    struct dns_rr *rr)
{
	if (dns_name(msg, len, off, owner) < 0 || len - *off < 10)
		return -1;
	rr->type = be16(msg + *off);
	rr->cls = be16(msg + *off + 2) & 0x7fff;
	rr->rdlen = be16(msg + *off + 8);
	*off += 10;
	if (len - *off < rr->rdlen)
		return -1;
	rr->rd = *off;
	*off += rr->rdlen;
	return 0;
}

/*
 * Mark in reached[] the CNAMEs followed from c->qname: breadth first,
 * each record at most once, so at most ncn * ncn comparisons.
 */
static void
dns_chain(vg_cap *c, size_t ncn, int *reached)
{
	const struct dname *queue[CNAME_MAX + 1];
	size_t head = 0, tail = 0, j;

	queue[tail++] = &c->qname;
	while (head < tail) {
		const struct dname *n = queue[head++];

		for (j = 0; j < ncn; j++) {
			if (reached[j] || !dname_eq(&c->cn_owner[j], n))
				continue;
			reached[j] = 1;
			queue[tail++] = &c->cn_target[j];
		}
	}
}

/* Whether owner is the question's name or a CNAME target reached. */
static int
dns_in_chain(const vg_cap *c, const struct dname *owner, size_t ncn,
    const int *reached)
{
	size_t j;

	if (dname_eq(owner, &c->qname))
		return 1;
	for (j = 0; j < ncn; j++)
		if (reached[j] && dname_eq(owner, &c->cn_target[j]))
			return 1;
	return 0;
}

/*
 * Decode a DNS message: every question (VG_CAP_DNS_QUERY), then, in a
 * response, the answer section's A and AAAA records (VG_CAP_DNS_ANSWER).
 * An answer whose owner is the first question's name, or is reached
 * from it by the section's CNAMEs, is told under the question's name
 * with the owner as alias when it differs; an answer the question does
 * not lead to (no question, a stray record) is told under its own
 * owner, without alias, rather than hidden.
 *
 * The answer section is read twice: first for its CNAMEs (they may come
 * after the addresses), then for the addresses, up to the first
 * malformed record.  The authority and additional sections are not
 * read: their addresses are not what the phone asked for.
 */
int
vg_cap_dns(vg_cap *c, const uint8_t *msg, size_t len,
    const struct vg_cap_event *base)
{
	struct vg_cap_event ev;
	struct dname *d = &c->owner;
	struct dns_rr rr;
	int reached[CNAME_MAX];
	size_t off = 12, ans, i, nok = 0, ncn = 0, qlen = 0;
	unsigned qd, an;
	int resp, bad = 0, haveq = 0;

	if (base != NULL)
		ev = *base;
	else
		memset(&ev, 0, sizeof(ev));
	ev.alias = NULL;
	ev.aliaslen = 0;
	if (len < 12)
		return -1;
	resp = msg[2] >> 7;
	qd = be16(msg + 4);
	an = be16(msg + 6);
	ev.response = resp;

	for (i = 0; i < qd; i++) {
		if (dns_name(msg, len, &off, d) < 0 || len - off < 4)
			return -1;
		off += 4;
		if (i == 0) {
			c->qname = *d;
			haveq = 1;
		}
		if (d->len == 0)
			continue;       /* the root: nothing to tell */
		ev.kind = VG_CAP_DNS_QUERY;
		ev.namelen = dname_text(d, c->name);
		ev.name = c->name;
		emit(c, &ev);
	}
	if (!resp || an == 0) {
		c->st.dns++;
		return 0;
	}

	ans = off;
	for (i = 0; i < an; i++) {
		if (dns_rr(msg, len, &off, d, &rr) < 0) {
			bad = 1;
			break;
		}
		if (rr.cls == 1 && rr.type == 5) {
			struct dname t;
			size_t toff = rr.rd;

			if (dns_name(msg, rr.rd + rr.rdlen, &toff, &t) < 0 ||
			    toff != rr.rd + rr.rdlen) {
				bad = 1;
				break;
			}
			if (ncn < CNAME_MAX) {
				c->cn_owner[ncn] = *d;
				c->cn_target[ncn] = t;
				ncn++;
			}
		} else if (rr.cls == 1 && ((rr.type == 1 && rr.rdlen != 4) ||
		    (rr.type == 28 && rr.rdlen != 16))) {
			bad = 1;
			break;
		}
		nok++;
	}
	memset(reached, 0, sizeof(reached));
	if (haveq) {
		dns_chain(c, ncn, reached);
		qlen = dname_text(&c->qname, c->name);
	}

	off = ans;
	for (i = 0; i < nok; i++) {
		if (dns_rr(msg, len, &off, d, &rr) < 0)
			break;  /* not reached: read once already */
		if (rr.cls != 1 || (rr.type != 1 && rr.type != 28))
			continue;
		ev.kind = VG_CAP_DNS_ANSWER;
		ev.alias = NULL;
		ev.aliaslen = 0;
		if (haveq && qlen > 0 && dns_in_chain(c, d, ncn, reached)) {
			ev.name = c->name;
			ev.namelen = qlen;
			/* The root, reached by a CNAME to ".", has no text:
			 * no alias then. */
			if (!dname_eq(d, &c->qname) && d->len > 0) {
				ev.aliaslen = dname_text(d, c->alias);
				ev.alias = c->alias;
			}
		} else {
			ev.namelen = dname_text(d, c->alias);
			ev.name = c->alias;
			if (ev.namelen == 0)
				continue;
		}
		memset(&ev.addr, 0, sizeof(ev.addr));
		ev.addr.family = rr.type == 1 ? 4 : 6;
		memcpy(ev.addr.bytes, msg + rr.rd, rr.rdlen);
		emit(c, &ev);
	}
	if (bad)
		return -1;
	c->st.dns++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* TLS                                                                */
/* ------------------------------------------------------------------ */

/*
 * Gather the first handshake message of the TLS records at p[0..len).
 * When the first record holds it whole, *body points into p; otherwise
 * its bytes are copied into scratch (4 + HELLO_MAX bytes).  Returns 1
 * with *body and *blen (the message's body, after its 4-byte header),
 * 0 when this is not a ClientHello, 2 when more bytes are needed, -1
 * when malformed or oversized.
 */
static int
tls_gather(const uint8_t *p, size_t len, uint8_t *scratch,
    const uint8_t **body, size_t *blen)
{
	size_t off = 0, got = 0, want = 4, rlen, take, k, m;
	const uint8_t *frag;
	int known = 0;

	for (;;) {
		if (len - off < 1)
			return 2;
		if (p[off] != 0x16)
			return off == 0 ? 0 : -1;
		if (len - off < 2)
			return 2;
		if (p[off + 1] != 0x03)
			return off == 0 ? 0 : -1;
		if (len - off < 5)
			return 2;
		rlen = be16(p + off + 3);
		if (rlen == 0 || rlen > TLS_REC_MAX)
			return -1;
		frag = p + off + 5;
		take = len - off - 5;
		if (take > rlen)
			take = rlen;
		if (off == 0 && take >= 1 && frag[0] != 1)
			return 0;
		if (off == 0 && take >= 4) {
			*blen = (size_t)frag[1] << 16 | (size_t)frag[2] << 8 |
			    frag[3];
			if (*blen > HELLO_MAX)
				return -1;
			if (4 + *blen <= take) {
				*body = frag + 4;
				return 1;
			}
		}
		for (k = 0; k < take; k += m) {
			m = take - k;
			if (m > want - got)
				m = want - got;
			memcpy(scratch + got, frag + k, m);
			got += m;
			if (got < want)
				continue;
			if (known)
				break;
			/* scratch[0], the type, was checked in the first
			 * record. */
			*blen = (size_t)scratch[1] << 16 |
			    (size_t)scratch[2] << 8 | scratch[3];
			if (*blen > HELLO_MAX)
				return -1;
			want = 4 + *blen;
			known = 1;
			if (got == want)
				break;
		}
		if (known && got == want) {
			*body = scratch + 4;
			return 1;
		}
		if (take < rlen)
			return 2;
		off += 5 + rlen;
	}
}

/* The server_name extension's data x[0..n): the first host_name. */
static int
tls_sni_ext(const uint8_t *x, size_t n, char *name, size_t cap,
    size_t *namelen)
{
	size_t off = 2, end, nl;
	int r;

	if (n < 2 || be16(x) != n - 2)
		return -1;
	end = n;
	while (off < end) {
		if (end - off < 3)
			return -1;
		nl = be16(x + off + 1);
		if (end - off - 3 < nl)
			return -1;
		if (x[off] == 0) {
			r = put_host(x + off + 3, nl, name, cap, namelen);
			return r == 0 ? -1 : r;
		}
		off += 3 + nl;
	}
	return 0;
}

/* A ClientHello's body b[0..n): 1 with its server name, 0 without,
 * -1 when malformed. */
static int
tls_hello_sni(const uint8_t *b, size_t n, char *name, size_t cap,
    size_t *namelen)
{
	size_t off = 34, l, end, type;

	if (n < off + 1)
		return -1;
	l = b[off++];                           /* session id */
	if (l > 32 || n - off < l)
		return -1;
	off += l;
	if (n - off < 2)
		return -1;
	l = be16(b + off);                      /* cipher suites */
	off += 2;
	if (l < 2 || (l & 1) || n - off < l)
		return -1;
	off += l;
	if (n - off < 1)
		return -1;
	l = b[off++];                           /* compression methods */
	if (l < 1 || n - off < l)
		return -1;
	off += l;
	if (off == n)
		return 0;                       /* no extensions */
	if (n - off < 2)
		return -1;
	l = be16(b + off);
	off += 2;
	if (n - off != l)
		return -1;
	end = n;
	while (off < end) {
		if (end - off < 4)
			return -1;
		type = be16(b + off);
		l = be16(b + off + 2);
		off += 4;
		if (end - off < l)
			return -1;
		if (type == 0)
			return tls_sni_ext(b + off, l, name, cap, namelen);
		off += l;
	}
	return 0;
}

/* vg_cap_tls_sni() with its scratch given, and *hello set when a
 * whole ClientHello was seen. */
static int
tls_sni(const uint8_t *p, size_t len, uint8_t *scratch, char *name,
    size_t cap, size_t *namelen, int *hello)
{
	const uint8_t *body = NULL;
	size_t blen = 0;
	int r;

	*hello = 0;
	r = tls_gather(p, len, scratch, &body, &blen);
	if (r != 1)
		return r;
	*hello = 1;
	return tls_hello_sni(body, blen, name, cap, namelen);
}

/*
 * The public form: its scratch (16 KiB) is on the stack, only used when
 * the ClientHello spans records.
 */
int
vg_cap_tls_sni(const uint8_t *p, size_t len, char *name, size_t cap,
    size_t *namelen)
{
	uint8_t scratch[4 + HELLO_MAX];
	int hello;

	return tls_sni(p, len, scratch, name, cap, namelen, &hello);
}

/* ------------------------------------------------------------------ */

/* HTTP                                                               */
/* ------------------------------------------------------------------ */
static const struct {
	const char *s;
	size_t n;
} http_methods[] = {
	{ "GET", 3 }, { "POST", 4 }, { "HEAD", 4 }, { "PUT", 3 },
	{ "DELETE", 6 }, { "OPTIONS", 7 }, { "CONNECT", 7 }, { "PATCH", 5 },
	{ "TRACE", 5 },
};

/* Whether b may start an HTTP method: the quick rejection. */
static int
http_first(uint8_t b)
{
	switch (b) {
	case 'G': case 'P': case 'H': case 'D': case 'O': case 'C': case 'T':
		return 1;
	default:
		return 0;
	}
}

/* HTTP's optional white space. */
static int
is_ows(uint8_t b)
{
	return b == ' ' || b == '\t';
}

/* The Host value v[0..n), spaces trimmed: the port removed, an IPv6
 * literal's brackets too. */
static int
http_host_value(const uint8_t *v, size_t n, char *name, size_t cap,
    size_t *namelen)
{
	const uint8_t *close, *colon;
	size_t i, colons = 0;

	if (n > 0 && v[0] == '[') {
		close = memchr(v, ']', n);
		if (close == NULL)
			return -1;
		i = (size_t)(close - v) + 1;
		if (i < n && v[i] != ':')
			return -1;
		return put_host(v + 1, (size_t)(close - v) - 1, name, cap,
		    namelen);
	}
	colon = NULL;
	for (i = 0; i < n; i++)
		if (v[i] == ':') {
			if (colons++ == 0)
				colon = v + i;
		}
	/* Several colons without brackets: a bare IPv6 address, kept. */
	if (colons == 1)
		n = (size_t)(colon - v);
	return put_host(v, n, name, cap, namelen);
}

/*
 * vg_cap_http_host() with *req set when p starts an HTTP/1.x request
 * (a method, a space, and a request line ending in HTTP/1.x).  The
 * header block is read within p only: a Host line the segment cuts is
 * not reported.
 */
static int
http_host(const uint8_t *p, size_t len, char *name, size_t cap,
    size_t *namelen, int *req)
{
	const uint8_t *eol;
	size_t i, off, l;

	*req = 0;
	for (i = 0; i < VG_ARRAY_LEN(http_methods); i++) {
		size_t n = http_methods[i].n;

		if (len > n && p[n] == ' ' &&
		    memcmp(p, http_methods[i].s, n) == 0)
			break;
	}
	if (i == VG_ARRAY_LEN(http_methods))
		return 0;
	eol = memchr(p, '\n', len);
	if (eol == NULL)
		return 0;
	l = (size_t)(eol - p);
	if (l > 0 && p[l - 1] == '\r')
		l--;
	if (l < 9 || memcmp(p + l - 9, " HTTP/1.", 8) != 0 ||
	    p[l - 1] < '0' || p[l - 1] > '9')
		return 0;
	*req = 1;
	off = (size_t)(eol - p) + 1;
	for (;;) {
		const uint8_t *line = p + off, *v;
		size_t vn;

		eol = memchr(line, '\n', len - off);
		if (eol == NULL)
			return 0;
		l = (size_t)(eol - line);
		off += l + 1;
		if (l > 0 && line[l - 1] == '\r')
			l--;
		if (l == 0)
			return 0;               /* end of the headers */
		if (l < 5 || line[4] != ':' ||
		    (line[0] | 0x20) != 'h' || (line[1] | 0x20) != 'o' ||
		    (line[2] | 0x20) != 's' || (line[3] | 0x20) != 't')
			continue;
		v = line + 5;
		vn = l - 5;
		while (vn > 0 && is_ows(v[0])) {
			v++;
			vn--;
		}
		while (vn > 0 && is_ows(v[vn - 1]))
			vn--;
		return http_host_value(v, vn, name, cap, namelen);
	}
}

/* The public form, without the request flag. */
int
vg_cap_http_host(const uint8_t *p, size_t len, char *name, size_t cap,
    size_t *namelen)
{
	int req;

	return http_host(p, len, name, cap, namelen, &req);
}

/* ------------------------------------------------------------------ */
/* The reassembly table                                               */
/* ------------------------------------------------------------------ */

/* A flow key's hash, seeded per table so that a capture cannot
 * choose its collisions. */
static uint32_t
flow_hash(const vg_cap *c, const struct flow_key *k)
{
	uint32_t w[sizeof(*k) / 4], h = c->ft->seed;
	size_t i;

	memcpy(w, k, sizeof(w));
	for (i = 0; i < VG_ARRAY_LEN(w); i++) {
		h ^= w[i];
		h *= 0x9e3779b1u;
		h ^= h >> 15;
	}
	h ^= h >> 13;
	h *= 0x85ebca6bu;
	return h ^ (h >> 16);
}

/* The slot of the pending flow k (hash h), or -1. */
static int32_t
flow_find(const vg_cap *c, const struct flow_key *k, uint32_t h)
{
	int32_t i;

	for (i = c->ft->bucket[h & (BUCKETS - 1)]; i >= 0;
	    i = c->ft->flows[i].hnext)
		if (c->ft->flows[i].hash == h &&
		    memcmp(&c->ft->flows[i].key, k, sizeof(*k)) == 0)
			return i;
	return -1;
}

/* Take slot i out of the age list. */
static void
age_unlink(vg_cap *c, int32_t i)
{
	struct flow *f = &c->ft->flows[i];

	if (f->older >= 0)
		c->ft->flows[f->older].newer = f->newer;
	else
		c->ft->oldest = f->newer;
	if (f->newer >= 0)
		c->ft->flows[f->newer].older = f->older;
	else
		c->ft->newest = f->older;
	f->older = f->newer = -1;
}

/* Put slot i at the young end of the age list. */
static void
age_push(vg_cap *c, int32_t i)
{
	struct flow *f = &c->ft->flows[i];

	f->older = c->ft->newest;
	f->newer = -1;
	if (c->ft->newest >= 0)
		c->ft->flows[c->ft->newest].newer = i;
	else
		c->ft->oldest = i;
	c->ft->newest = i;
}

/* Forget flow i: out of its bucket and the age list, slot freed (its
 * buffer kept for the next flow). */
static void
flow_drop(vg_cap *c, int32_t i)
{
	struct flow *f = &c->ft->flows[i];
	int32_t *pp = &c->ft->bucket[f->hash & (BUCKETS - 1)];

	while (*pp != i)
		pp = &c->ft->flows[*pp].hnext;
	*pp = f->hnext;
	age_unlink(c, i);
	f->used = 0;
	f->len = 0;
	f->hnext = c->ft->freelist;
	c->ft->freelist = i;
	c->nflows--;
}

/* Make room for need bytes in f's buffer.  Returns 0, -1 when out of
 * memory.  need is at most FLOW_MAX. */
static int
flow_reserve(struct flow *f, size_t need)
{
	size_t cap = f->cap < FLOW_MIN_CAP ? FLOW_MIN_CAP : f->cap;
	uint8_t *b;

	if (need <= f->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	if (cap > FLOW_MAX)
		cap = FLOW_MAX;
	b = realloc(f->buf, cap);
	if (b == NULL)
		return -1;
	f->buf = b;
	f->cap = cap;
	return 0;
}

/* Make c's empty table.  Returns 0, -1 when out of memory. */
static int
flowtab_new(vg_cap *c)
{
	struct flowtab *t = calloc(1, sizeof(*t));
	int32_t i;

	if (t == NULL)
		return -1;
	t->seed = (uint32_t)(uintptr_t)t ^ 0x2545f491u;
	for (i = 0; i < BUCKETS; i++)
		t->bucket[i] = -1;
	for (i = 0; i < FLOWS; i++) {
		t->flows[i].hnext = i + 1 < FLOWS ? i + 1 : -1;
		t->flows[i].older = t->flows[i].newer = -1;
	}
	t->freelist = 0;
	t->oldest = t->newest = -1;
	c->ft = t;
	return 0;
}

/* Start a flow for key with the segment p[0..n) (n <= FLOW_MAX), the
 * oldest flow evicted when the table is full.  Out of memory, the flow
 * is not kept: its ClientHello is missed, nothing else. */
static void
flow_add(vg_cap *c, const struct flow_key *k, uint32_t next,
    const uint8_t *p, size_t n)
{
	struct flow *f;
	uint32_t h;
	int32_t i;

	if (c->ft == NULL && flowtab_new(c) < 0)
		return;
	h = flow_hash(c, k);
	if (c->nflows == FLOWS)
		flow_drop(c, c->ft->oldest);
	i = c->ft->freelist;
	f = &c->ft->flows[i];
	if (flow_reserve(f, n) < 0)
		return;
	c->ft->freelist = f->hnext;
	f->key = *k;
	f->hash = h;
	f->next = next;
	f->used = 1;
	memcpy(f->buf, p, n);
	f->len = n;
	f->hnext = c->ft->bucket[h & (BUCKETS - 1)];
	c->ft->bucket[h & (BUCKETS - 1)] = i;
	age_push(c, i);
	c->nflows++;
}

/* ------------------------------------------------------------------ */
/* TCP payloads                                                       */
/* ------------------------------------------------------------------ */

/* A TCP segment's facts needed past its header. */
struct seg {
	const struct vg_cap_event *base;
	uint16_t sport;
	uint32_t seq;           /* of the first payload byte */
	uint8_t flags;
	const uint8_t *p;
	size_t n;               /* payload bytes captured */
	int cut;                /* the capture cut the payload */
};

/* The flow key of s's direction. */
static void
seg_key(const struct seg *s, struct flow_key *k)
{
	size_t alen = s->base->src.family == 4 ? 4 : 16;

	memset(k, 0, sizeof(*k));
	k->family = s->base->src.family;
	k->sport = s->sport;
	k->dport = s->base->port;
	memcpy(k->src, s->base->src.bytes, alen);
	memcpy(k->dst, s->base->addr.bytes, alen);
}

/* Tell a server name found in c->name. */
static void
tell_sni(vg_cap *c, const struct seg *s, size_t namelen)
{
	struct vg_cap_event ev = *s->base;

	ev.kind = VG_CAP_TLS_SNI;
	ev.name = c->name;
	ev.namelen = namelen;
	emit(c, &ev);
}

/* A segment for a pending flow i: appended when it continues the
 * stream, the ClientHello tried again. */
static int
flow_feed(vg_cap *c, int32_t i, const struct seg *s)
{
	struct flow *f = &c->ft->flows[i];
	int32_t d = (int32_t)(s->seq - f->next);
	size_t skip, add, namelen = 0;
	int r, hello, full;

	if (d > 0)
		return 0;       /* a gap: wait for the missing bytes */
	skip = (size_t)(f->next - s->seq);
	if (skip >= s->n) {
		if (s->flags & TCP_FIN)
			flow_drop(c, i);
		return 0;       /* a retransmission of bytes we have */
	}
	add = s->n - skip;
	full = add > FLOW_MAX - f->len;
	if (full)
		add = FLOW_MAX - f->len;
	if (flow_reserve(f, f->len + add) < 0) {
		flow_drop(c, i);
		return 0;
	}
	memcpy(f->buf + f->len, s->p + skip, add);
	f->len += add;
	f->next = s->seq + (uint32_t)s->n;
	r = tls_sni(f->buf, f->len, c->hello, c->name, sizeof(c->name),
	    &namelen, &hello);
	if (r == 2 && !full && !s->cut && !(s->flags & TCP_FIN)) {
		age_unlink(c, i);
		age_push(c, i);
		return 0;
	}
	flow_drop(c, i);
	if (hello)
		c->st.tls++;
	if (r == 1)
		tell_sni(c, s, namelen);
	/* Still incomplete in FLOW_MAX bytes: records too small to be
	 * sincere. */
	return r < 0 || (r == 2 && full) ? -1 : 0;
}

/* The first segment of what may be a ClientHello.  Without memory for
 * the scratch buffer, TLS is not read. */
static int
tls_first(vg_cap *c, const struct seg *s)
{
	struct flow_key k;
	size_t namelen = 0;
	int r, hello;

	if (c->hello == NULL && (c->hello = malloc(4 + HELLO_MAX)) == NULL)
		return 0;
	r = tls_sni(s->p, s->n, c->hello, c->name, sizeof(c->name),
	    &namelen, &hello);
	if (hello)
		c->st.tls++;
	if (r == 1)
		tell_sni(c, s, namelen);
	if (r == 2 && !s->cut && !(s->flags & TCP_FIN) && s->n <= FLOW_MAX) {
		seg_key(s, &k);
		flow_add(c, &k, s->seq + (uint32_t)s->n, s->p, s->n);
	}
	return r < 0 ? -1 : 0;
}

/* A segment starting with what may be an HTTP method.  A refusal
 * caused by the capture's cut is not malformed. */
static int
http_first_seg(vg_cap *c, const struct seg *s)
{
	struct vg_cap_event ev;
	size_t namelen = 0;
	int r, req;

	r = http_host(s->p, s->n, c->name, sizeof(c->name), &namelen, &req);
	if (req)
		c->st.http++;
	if (r != 1)
		return r < 0 && !s->cut ? -1 : 0;
	ev = *s->base;
	ev.kind = VG_CAP_HTTP_HOST;
	ev.name = c->name;
	ev.namelen = namelen;
	emit(c, &ev);
	return 0;
}

/* DNS over TCP: each message whole in this segment, after its 2-byte
 * length.  A message the segment cuts is left alone. */
static int
tcp_dns(vg_cap *c, const struct seg *s)
{
	size_t off = 0, l;
	int rc = 0;

	while (s->n - off >= 2) {
		l = be16(s->p + off);
		if (s->n - off - 2 < l)
			break;
		if (vg_cap_dns(c, s->p + off + 2, l, s->base) < 0)
			rc = -1;
		off += 2 + l;
	}
	return rc;
}

/*
 * A TCP segment's payload: DNS on port 53; else the pending flow of its
 * direction (a SYN or RST forgets it: a new connection); else the quick
 * rejection on the first byte, before any parsing.
 */
static int
tcp_data(vg_cap *c, const struct seg *s)
{
	struct flow_key k;
	uint32_t h;
	int32_t i;

	if (s->n == 0 && !(s->flags & (TCP_FIN | TCP_SYN | TCP_RST)))
		return 0;
	if (s->sport == 53 || s->base->port == 53)
		return tcp_dns(c, s);
	if (c->nflows > 0) {
		seg_key(s, &k);
		h = flow_hash(c, &k);
		i = flow_find(c, &k, h);
		if (i >= 0) {
			if (!(s->flags & (TCP_SYN | TCP_RST)))
				return flow_feed(c, i, s);
			flow_drop(c, i);        /* a new connection */
		}
	}
	if (s->n == 0)
		return 0;
	if (s->p[0] == 0x16)
		return s->n >= 2 && s->p[1] != 0x03 ? 0 : tls_first(c, s);
	if (http_first(s->p[0]))
		return http_first_seg(c, s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* IP                                                                 */
/* ------------------------------------------------------------------ */

/*
 * The transport layer: l[0..avail) captured of the decl bytes the IP
 * header announces; frag is WHOLE, FIRST (more fragments follow: the
 * transport's lengths may exceed decl) or LATER (not decoded).  Tells
 * VG_CAP_DEST (ev holds the addresses), then decodes the payload.
 */
static int
l4(vg_cap *c, struct vg_cap_event *ev, uint8_t proto, int frag,
    const uint8_t *l, size_t avail, size_t decl)
{
	struct seg s;
	size_t hl, ulen;
	int rc;

	ev->kind = VG_CAP_DEST;
	ev->proto = proto;
	ev->port = 0;
	if (frag == LATER || (proto != PROTO_TCP && proto != PROTO_UDP)) {
		emit(c, ev);
		return 0;
	}
	if (avail >= 4)
		ev->port = be16(l + 2);
	hl = proto == PROTO_UDP ? 8 : 20;
	if (decl < hl || avail < hl) {
		emit(c, ev);
		return decl < hl ? -1 : 0;
	}
	if (proto == PROTO_UDP) {
		ulen = be16(l + 4);
		emit(c, ev);
		if (ulen < 8 || (ulen > decl && frag == WHOLE))
			return -1;
		if (be16(l) != 53 && ev->port != 53)
			return 0;
		if (avail > ulen)
			avail = ulen;
		rc = vg_cap_dns(c, l + 8, avail - 8, ev);
		return rc < 0 && avail < ulen ? 0 : rc;
	}
	hl = (size_t)(l[12] >> 4) * 4;
	emit(c, ev);
	if (hl < 20 || hl > decl)
		return -1;
	if (hl > avail)
		return 0;
	s.base = ev;
	s.sport = be16(l);
	s.seq = be32(l + 4);
	s.flags = l[13];
	if (s.flags & TCP_SYN)
		s.seq++;        /* data on a SYN (TCP Fast Open) follows it */
	s.p = l + hl;
	s.n = avail - hl;
	s.cut = avail < decl || frag == FIRST;
	return tcp_data(c, &s);
}

/*
 * An IPv4 packet p[0..n): options skipped, the total length trusted
 * over the captured one (Ethernet padding), fragments told apart.
 */
static int
ip4(vg_cap *c, struct vg_cap_event *ev, const uint8_t *p, size_t n)
{
	size_t hl, tot, end;
	uint16_t frag;

	if (n < 20 || p[0] >> 4 != 4)
		return -1;
	hl = (size_t)(p[0] & 15) * 4;
	tot = be16(p + 2);
	if (tot == 0)
		tot = n;        /* segmentation offload: length left 0 */
	if (hl < 20 || hl > n || tot < hl)
		return -1;
	c->st.ip++;
	end = tot < n ? tot : n;
	ev->src.family = ev->addr.family = 4;
	memcpy(ev->src.bytes, p + 12, 4);
	memcpy(ev->addr.bytes, p + 16, 4);
	frag = be16(p + 6);
	return l4(c, ev, p[9], (frag & 0x1fff) != 0 ? LATER :
	    (frag & 0x2000) != 0 ? FIRST : WHOLE, p + hl, end - hl, tot - hl);
}

/*
 * An IPv6 packet p[0..n): hop-by-hop, routing, destination options,
 * authentication and fragment headers stepped over (at most
 * IP6_EXT_MAX), a later fragment told without its transport.
 */
static int
ip6(vg_cap *c, struct vg_cap_event *ev, const uint8_t *p, size_t n)
{
	size_t tot, end, off = 40, hl;
	uint8_t nh;
	int hops, frag = WHOLE;

	if (n < 40 || p[0] >> 4 != 6)
		return -1;
	tot = be16(p + 4);
	tot = tot == 0 ? n : 40 + tot;  /* 0: a jumbogram */
	c->st.ip++;
	end = tot < n ? tot : n;
	ev->src.family = ev->addr.family = 6;
	memcpy(ev->src.bytes, p + 8, 16);
	memcpy(ev->addr.bytes, p + 24, 16);
	nh = p[6];
	for (hops = 0; hops <= IP6_EXT_MAX; hops++) {
		switch (nh) {
		case 0:         /* hop-by-hop options */
		case 43:        /* routing */
		case 60:        /* destination options */
		case 51:        /* authentication header */
		case 44:        /* fragment */
			break;
		default:
			return l4(c, ev, nh, frag, p + off, end - off,
			    tot - off);
		}
		if (end - off < 8) {
			/* Cut by the capture, or longer than announced. */
			ev->kind = VG_CAP_DEST;
			ev->proto = nh;
			ev->port = 0;
			emit(c, ev);
			return tot - off < 8 ? -1 : 0;
		}
		if (nh == 44) {
			if ((be16(p + off + 2) & 0xfff8) != 0)
				return l4(c, ev, p[off], LATER, NULL, 0, 0);
			if (be16(p + off + 2) & 1)
				frag = FIRST;
			hl = 8;
		} else if (nh == 51) {
			hl = ((size_t)p[off + 1] + 2) * 4;
		} else {
			hl = ((size_t)p[off + 1] + 1) * 8;
		}
		if (tot - off < hl) {
			ev->kind = VG_CAP_DEST;
			ev->proto = nh;
			ev->port = 0;
			emit(c, ev);
			return -1;
		}
		nh = p[off];
		off += hl;
		if (off > end) {
			/* The next header is known, its bytes not captured. */
			return l4(c, ev, nh, frag, p + end, 0, tot - off);
		}
	}
	ev->kind = VG_CAP_DEST;
	ev->proto = nh;
	ev->port = 0;
	emit(c, ev);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Link layers                                                        */
/* ------------------------------------------------------------------ */

/*
 * The IP version an ethertype at f[off - 2] announces, after any VLAN
 * tags: *ver 4 or 6, *ipoff the IP header's offset.  Returns 0, 1 when
 * not IP, -1 when the tags are cut or too many.
 */
static int
ether_ip(const uint8_t *f, size_t n, size_t off, uint16_t type,
    size_t *ipoff, int *ver)
{
	int tags = 0;

	while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
		if (n - off < 4 || ++tags > VLAN_MAX)
			return -1;
		type = be16(f + off + 2);
		off += 4;
	}
	if (type == 0x0800)
		*ver = 4;
	else if (type == 0x86dd)
		*ver = 6;
	else
		return 1;
	*ipoff = off;
	return 0;
}

/* The link types link_ip() reads (capture.h). */
int
vg_cap_linktype_known(int linktype)
{
	switch (linktype) {
	case DLT_NULL:
	case DLT_EN10MB:
	case DLT_RAW:
	case LT_RAW_BSD:
	case LT_RAW_FILE:
	case DLT_LOOP:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_IPV4:
	case DLT_IPV6:
		return 1;
	default:
		return 0;
	}
}

/*
 * Where the IP packet of a frame starts: returns 0 with *ipoff and *ver
 * (4, 6, or 0 when the IP header itself tells), 1 when the frame is not
 * IP or the link type unknown, -1 when the link header is cut.
 */
static int
link_ip(int linktype, const uint8_t *f, size_t n, size_t *ipoff, int *ver)
{
	uint32_t af;

	*ipoff = 0;
	*ver = 0;
	switch (linktype) {
	case DLT_EN10MB:
		if (n < 14)
			return -1;
		return ether_ip(f, n, 14, be16(f + 12), ipoff, ver);
	case DLT_LINUX_SLL:
		if (n < 16)
			return -1;
		return ether_ip(f, n, 16, be16(f + 14), ipoff, ver);
	case DLT_LINUX_SLL2:
		if (n < 20)
			return -1;
		return ether_ip(f, n, 20, be16(f), ipoff, ver);
	case DLT_RAW:
#if DLT_RAW != LT_RAW_BSD
	case LT_RAW_BSD:
#endif
	case LT_RAW_FILE:
		return 0;
	case DLT_IPV4:
		*ver = 4;
		return 0;
	case DLT_IPV6:
		*ver = 6;
		return 0;
	case DLT_NULL:
	case DLT_LOOP:
		/* The address family, in the capturing host's byte order
		 * for DLT_NULL, in network order for DLT_LOOP: read it
		 * whichever way gives a small number. */
		if (n < 4)
			return -1;
		af = (uint32_t)f[0] | (uint32_t)f[1] << 8 |
		    (uint32_t)f[2] << 16 | (uint32_t)f[3] << 24;
		if (af > 0xffff)
			af = be32(f);
		*ipoff = 4;
		if (af == 2)
			*ver = 4;
		else if (af == 10 || af == 24 || af == 28 || af == 30)
			*ver = 6;       /* AF_INET6: Linux, *BSD, FreeBSD, macOS */
		else
			return 1;
		return 0;
	default:
		return 1;
	}
}

/* One frame (capture.h): the link header, then IPv4 or IPv6 by the
 * link's ethertype or address family, or by the version nibble. */
int
vg_cap_frame(vg_cap *c, int linktype, const uint8_t *frame, size_t caplen,
    uint64_t packet, int64_t ts_us)
{
	struct vg_cap_event ev;
	const uint8_t *p;
	size_t off, n;
	int ver, rc;

	c->st.packets++;
	c->st.bytes += caplen;
	rc = link_ip(linktype, frame, caplen, &off, &ver);
	if (rc != 0) {
		if (rc > 0)
			c->st.other++;
		else
			c->st.malformed++;
		return rc;
	}
	p = frame + off;
	n = caplen - off;
	if (ver == 0) {
		if (n < 1) {
			c->st.malformed++;
			return -1;
		}
		ver = p[0] >> 4;
	}
	memset(&ev, 0, sizeof(ev));
	ev.packet = packet;
	ev.ts_us = ts_us;
	if (ver == 4)
		rc = ip4(c, &ev, p, n);
	else if (ver == 6)
		rc = ip6(c, &ev, p, n);
	else
		rc = -1;
	if (rc < 0)
		c->st.malformed++;
	return rc < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* The decoder and files                                              */
/* ------------------------------------------------------------------ */

/* A decoder; its tables are made when first needed.  Caller frees
 * with vg_cap_free(). */
vg_cap *
vg_cap_new(vg_cap_fn fn, void *arg)
{
	vg_cap *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->fn = fn;
	c->arg = arg;
	return c;
}

/* Free c, its table and buffers; NULL is accepted. */
void
vg_cap_free(vg_cap *c)
{
	size_t i;

	if (c == NULL)
		return;
	if (c->ft != NULL)
		for (i = 0; i < FLOWS; i++)
			free(c->ft->flows[i].buf);
	free(c->ft);
	free(c->hello);
	free(c);
}

/* c's counters, borrowed while c lives. */
const struct vg_cap_stats *
vg_cap_stats(const vg_cap *c)
{
	return &c->st;
}

/* The name a user knows the file by: its last component, so that no
 * server directory shows in a message. */
static const char *
display_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

/* Copy libpcap's message msg into out (n bytes) on one line. */
static void
one_line(char *out, size_t n, const char *msg)
{
	size_t i;

	snprintf(out, n, "%s", msg);
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] == '\n' || out[i] == '\r')
			out[i] = ' ';
}

/*
 * The file is opened here rather than by libpcap to tell a file that
 * cannot be opened (VG_EIO) from one that is not a capture (VG_EINVAL),
 * and to give stdio a large buffer: libpcap reads each packet with
 * fread, and 4 KiB reads would cost more than the decoding.
 */
vg_rc
vg_cap_read_file(vg_cap *c, const char *path,
    void (*progress)(void *, uint64_t, uint64_t), void *parg, char *err,
    size_t errlen)
{
	char pe[PCAP_ERRBUF_SIZE], msg[PCAP_ERRBUF_SIZE];
	const char *name = display_name(path);
	struct pcap_pkthdr *h;
	const u_char *data;
	struct stat st;
	pcap_t *p = NULL;
	FILE *f = NULL;
	char *vbuf = NULL;
	uint64_t n = 0, seen = 0, mark = PROGRESS_STEP, total;
	long pos;
	int lt, r;
	vg_rc rc = VG_EIO;

	if (errlen > 0)
		err[0] = '\0';
	f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s : impossible d'ouvrir la capture "
		    "(%s)", name, strerror(errno));
		goto fail;
	}
	if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s : ce n'est pas un fichier lisible",
		    name);
		goto fail;
	}
	total = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	vbuf = malloc(READ_BUF);
	if (vbuf != NULL)
		setvbuf(f, vbuf, _IOFBF, READ_BUF);

	rc = VG_EINVAL;
	p = pcap_fopen_offline_with_tstamp_precision(f,
	    PCAP_TSTAMP_PRECISION_MICRO, pe);
	if (p == NULL) {
		one_line(msg, sizeof(msg), pe);
		snprintf(err, errlen, "%s : ce n'est pas une capture pcap ou "
		    "pcapng lisible (%s)", name, msg);
		goto fail;
	}
	f = NULL;               /* p owns it now */
	lt = pcap_datalink(p);
	if (!vg_cap_linktype_known(lt)) {
		snprintf(err, errlen, "%s : type de lien %d inconnu, rien "
		    "n'a été lu", name, lt);
		goto fail;
	}

	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		n++;
		vg_cap_frame(c, lt, data, h->caplen, n,
		    (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec);
		seen += 16 + (uint64_t)h->caplen;
		if (progress != NULL && seen >= mark) {
			pos = ftell(pcap_file(p));
			progress(parg, pos >= 0 ? (uint64_t)pos : seen, total);
			mark = seen + PROGRESS_STEP;
		}
	}
	if (r != PCAP_ERROR_BREAK) {
		one_line(msg, sizeof(msg), pcap_geterr(p));
		snprintf(err, errlen, "%s : fichier tronqué ou abîmé après le "
		    "paquet %llu (%s)", name, (unsigned long long)n, msg);
		goto fail;
	}
	if (progress != NULL) {
		pos = ftell(pcap_file(p));
		progress(parg, pos >= 0 ? (uint64_t)pos : seen, total);
	}
	rc = VG_OK;
fail:
	if (p != NULL)
		pcap_close(p);
	if (f != NULL)
		fclose(f);
	free(vbuf);
	return rc;
}
