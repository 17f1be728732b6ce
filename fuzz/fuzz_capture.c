/*
 * fuzz_capture.c — libFuzzer target for the capture decoder.
 *
 * The first byte chooses what the rest is:
 *
 *	0..9	frames of one link type (Ethernet, Linux cooked v1 and v2,
 *		raw IP, LINKTYPE_IPV4, LINKTYPE_IPV6, BSD loopback, OpenBSD
 *		raw, an unknown type), each after a 2-byte big-endian
 *		length (the last one takes what is left), all given to one
 *		decoder, so that split ClientHellos are reassembled;
 *	10	a DNS message for vg_cap_dns();
 *	11	a TLS stream for vg_cap_tls_sni();
 *	12	a TCP payload for vg_cap_http_host().
 *
 * Each frame is copied to a buffer of exactly its length, so that
 * AddressSanitizer sees a read past its end.  Every event must keep
 * capture.h's promises: names NUL-terminated, namelen == strlen, only
 * 0x21..0x7e, lower case, escapes well formed, no trailing dot; address
 * families 0, 4 or 6.  The parts' return values must be in range, and a
 * name found with a small buffer must be the one found with a large.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "scan/capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FRAMES_MAX 64

static const int linktypes[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4,
	DLT_IPV6, DLT_NULL, DLT_LOOP, 14, 147,
};

static void
check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_capture: %s\n", what);
		abort();
	}
}

/* A name as capture.h promises it; dns: "\." may appear. */
static void
check_name(const char *s, size_t n, int dns)
{
	size_t i;

	check(s != NULL, "NULL name");
	check(strlen(s) == n, "namelen");
	check(n > 0 && n < VG_CAP_NAME_MAX, "name length");
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		check(ch >= 0x21 && ch <= 0x7e, "byte outside 0x21..0x7e");
		check(!(ch >= 'A' && ch <= 'Z'), "upper case");
		if (ch != '\\')
			continue;
		if (dns && s[i + 1] == '.') {
			i++;
			continue;
		}
		check(i + 3 < n + 1 && s[i + 1] >= '0' && s[i + 1] <= '2' &&
		    s[i + 2] >= '0' && s[i + 2] <= '9' &&
		    s[i + 3] >= '0' && s[i + 3] <= '9', "bad escape");
		check((s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 +
		    (s[i + 3] - '0') <= 255, "escape over 255");
		i += 3;
	}
	/* The last character is not a label separator: a final '.' must
	 * be the escaped one ("\."). */
	check(s[n - 1] != '.' || (dns && n >= 2 && s[n - 2] == '\\'),
	    "trailing dot");
}

static void
check_addr(const struct vg_cap_addr *a)
{
	check(a->family == 0 || a->family == 4 || a->family == 6, "family");
}

static void
on_event(void *arg, const struct vg_cap_event *ev)
{
	(void)arg;
	check_addr(&ev->addr);
	check_addr(&ev->src);
	switch (ev->kind) {
	case VG_CAP_DEST:
		check(ev->name == NULL && ev->alias == NULL, "DEST name");
		check(ev->addr.family == 4 || ev->addr.family == 6,
		    "DEST without address");
		break;
	case VG_CAP_DNS_ANSWER:
		check(ev->addr.family == 4 || ev->addr.family == 6,
		    "answer without address");
		if (ev->alias != NULL)
			check_name(ev->alias, ev->aliaslen, 1);
		check_name(ev->name, ev->namelen, 1);
		break;
	case VG_CAP_DNS_QUERY:
		check(ev->alias == NULL, "query alias");
		check_name(ev->name, ev->namelen, 1);
		break;
	case VG_CAP_TLS_SNI:
	case VG_CAP_HTTP_HOST:
		check(ev->alias == NULL, "alias");
		check_name(ev->name, ev->namelen, 0);
		break;
	default:
		check(0, "kind");
	}
}

static uint8_t *
dup_exact(const uint8_t *p, size_t n)
{
	uint8_t *d = malloc(n > 0 ? n : 1);

	check(d != NULL, "malloc");
	if (n > 0)
		memcpy(d, p, n);
	return d;
}

/* One of the string parts, with a large then a small buffer. */
static void
part(int which, const uint8_t *p, size_t n, size_t small)
{
	char name[VG_CAP_NAME_MAX], name2[VG_CAP_NAME_MAX];
	size_t len = 0, len2 = 0;
	int r, r2;

	if (which == 11) {
		r = vg_cap_tls_sni(p, n, name, sizeof(name), &len);
		r2 = vg_cap_tls_sni(p, n, name2, small, &len2);
		check(r >= -1 && r <= 2, "tls return");
	} else {
		r = vg_cap_http_host(p, n, name, sizeof(name), &len);
		r2 = vg_cap_http_host(p, n, name2, small, &len2);
		check(r >= -1 && r <= 1, "http return");
	}
	if (r == 1)
		check_name(name, len, 0);
	if (r2 == 1) {
		check(r == 1 && len2 == len && len2 < small &&
		    strcmp(name, name2) == 0, "small buffer");
	} else if (r == 1) {
		check(r2 == -1 && small < len + 5, "small buffer refused");
	} else {
		check(r2 == r, "small buffer changed the answer");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct vg_cap_stats *st;
	uint64_t nframes = 0;
	vg_cap *c;
	uint8_t *buf;
	size_t off = 1, n;
	int sel, lt, rc;

	if (size < 1)
		return 0;
	sel = data[0] % 13;
	c = vg_cap_new(on_event, NULL);
	check(c != NULL, "vg_cap_new");
	if (sel >= 10) {
		buf = dup_exact(data + 1, size - 1);
		if (sel == 10) {
			rc = vg_cap_dns(c, buf, size - 1, NULL);
			check(rc == 0 || rc == -1, "dns return");
		} else {
			part(sel, buf, size - 1, 1 + (size > 1 ?
			    data[1] % 48 : 0));
		}
		free(buf);
		vg_cap_free(c);
		return 0;
	}

	lt = linktypes[sel];
	while (off < size && nframes < FRAMES_MAX) {
		if (size - off >= 2) {
			n = (size_t)data[off] << 8 | data[off + 1];
			off += 2;
			if (n > size - off)
				n = size - off;
		} else {
			n = size - off;
		}
		buf = dup_exact(data + off, n);
		rc = vg_cap_frame(c, lt, buf, n, nframes + 1,
		    (int64_t)nframes * 1000);
		free(buf);
		check(rc >= -1 && rc <= 1, "frame return");
		check(vg_cap_linktype_known(lt) || rc == 1, "unknown type read");
		nframes++;
		off += n;
	}
	st = vg_cap_stats(c);
	check(st->packets == nframes, "packets");
	check(st->ip + st->other <= nframes && st->malformed <= nframes,
	    "stats");
	vg_cap_free(c);
	return 0;
}
