/*
 * capture.h — the network capture decoder of the stalkerware scanner.
 *
 * A mediator captures a phone's traffic on a small access point; this
 * reads the capture (pcap or pcapng, through libpcap) and tells its
 * caller, packet by packet, the names and addresses the phone talked to:
 *
 *	DNS queries and answers (UDP or TCP port 53), answers linking each
 *	A/AAAA address to the question's name, through CNAME chains;
 *	the server name (SNI) of TLS ClientHello messages, a ClientHello
 *	split over several TCP segments included (bounded reassembly);
 *	the Host header of HTTP/1.x requests;
 *	the destination address of every IP packet.
 *
 * Link types: Ethernet (with 802.1Q/802.1ad tags), Linux cooked capture
 * v1 and v2, raw IP (DLT_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6), BSD loopback.
 * IPv4 and IPv6 (extension headers skipped, only first fragments read).
 *
 * Nothing here trusts the capture: every length is checked before it is
 * read, DNS compression pointers may only point backwards and are
 * bounded, TLS records beyond 2^14 + 2048 bytes are refused, and the
 * memory used does not grow with the capture's size (the reassembly
 * table is bounded, its oldest flows forgotten).  A malformed packet is
 * counted and skipped; it never stops the reading.
 *
 * This module knows no indicator: it only decodes.  scan.c matches.
 */
#ifndef VG_SCAN_CAPTURE_H
#define VG_SCAN_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "core/vg.h"

/* Room for a decoded name and its NUL: a DNS name is at most 255 bytes
 * on the wire, and each byte may take 4 once escaped. */
#define VG_CAP_NAME_MAX 1024

enum vg_cap_kind {
	VG_CAP_DNS_QUERY = 1,   /* name: a question's name (query or response) */
	VG_CAP_DNS_ANSWER,      /* name: the question's name; alias: the
				 * record's owner when it differs (CNAME);
				 * addr: the A or AAAA address answered */
	VG_CAP_TLS_SNI,         /* name: the ClientHello's server_name */
	VG_CAP_HTTP_HOST,       /* name: the Host header, port removed */
	VG_CAP_DEST             /* every IP packet: addr, proto, port */
};

struct vg_cap_addr {
	uint8_t family;         /* 4 or 6; 0 when none */
	uint8_t bytes[16];      /* IPv4 in the first 4 bytes */
};

/*
 * One thing seen.  Names are lower-cased, without a trailing dot,
 * NUL-terminated; bytes outside printable ASCII (0x21..0x7e), and '\\',
 * are written "\DDD" (three decimal digits), a '.' inside a DNS label
 * "\.", so that a name is always valid UTF-8 and never spoofs a label
 * boundary.  The pointers are only valid during the callback.
 */
struct vg_cap_event {
	enum vg_cap_kind kind;
	const char *name;       /* NULL for VG_CAP_DEST */
	size_t namelen;
	const char *alias;      /* VG_CAP_DNS_ANSWER only, else NULL */
	size_t aliaslen;
	int response;           /* VG_CAP_DNS_*: 1 in a response */
	struct vg_cap_addr addr;/* DNS_ANSWER: the address answered;
				 * others: the packet's destination */
	struct vg_cap_addr src; /* the packet's source */
	uint8_t proto;          /* 6 TCP, 17 UDP, other IP protocols */
	uint16_t port;          /* destination port, 0 without TCP/UDP */
	uint64_t packet;        /* number of the packet, from 1 */
	int64_t ts_us;          /* packet time, µs since 1970 UTC */
};

typedef void (*vg_cap_fn)(void *arg, const struct vg_cap_event *ev);

struct vg_cap_stats {
	uint64_t packets;       /* frames given to vg_cap_frame() */
	uint64_t bytes;         /* their captured bytes */
	uint64_t ip;            /* frames with an IPv4 or IPv6 packet */
	uint64_t dns;           /* DNS messages decoded */
	uint64_t tls;           /* ClientHello messages decoded */
	uint64_t http;          /* HTTP requests decoded */
	uint64_t malformed;     /* frames with something malformed, skipped */
	uint64_t other;         /* frames that are not IP (ARP…), skipped */
};

typedef struct vg_cap vg_cap;

/* A decoder calling fn(arg, event) for everything it sees. NULL when out
 * of memory. */
vg_cap *vg_cap_new(vg_cap_fn fn, void *arg);
void vg_cap_free(vg_cap *c);

/*
 * Decode one frame of link type linktype (a DLT_ value of libpcap),
 * caplen bytes captured.  Returns 0 when decoded (whether or not
 * anything was found), 1 when skipped (not IP, or a link type this
 * decoder does not know), -1 when malformed.  Never reads outside
 * frame[0..caplen).
 */
int vg_cap_frame(vg_cap *c, int linktype, const uint8_t *frame,
    size_t caplen, uint64_t packet, int64_t ts_us);

/* Whether vg_cap_frame() knows linktype. */
int vg_cap_linktype_known(int linktype);

const struct vg_cap_stats *vg_cap_stats(const vg_cap *c);

/*
 * Read the capture at path (pcap, or pcapng, recognised by libpcap) and
 * give each frame to vg_cap_frame().  progress (may be NULL) is called
 * about every 16 MiB read, with the bytes read so far and the file's
 * size.
 *
 * Returns VG_OK at the end of a sound file.  Otherwise err holds one
 * French line and the return is VG_EIO when the file cannot be opened,
 * VG_EINVAL when it is not a capture libpcap reads, when its link type
 * is unknown (nothing read), or when it is truncated or corrupt after
 * some packets: those were decoded and their events delivered, and the
 * line says after which packet the reading stopped.
 */
vg_rc vg_cap_read_file(vg_cap *c, const char *path,
    void (*progress)(void *arg, uint64_t done, uint64_t total),
    void *parg, char *err, size_t errlen);

/*
 * The parts, exported for the fuzz target and the unit tests.
 *
 * vg_cap_dns() decodes a DNS message (without the TCP length prefix),
 * calling c's callback with base's packet fields and each name found.
 * Returns 0, or -1 when malformed (what was read before is delivered).
 */
int vg_cap_dns(vg_cap *c, const uint8_t *msg, size_t len,
    const struct vg_cap_event *base);

/*
 * vg_cap_tls_sni() looks at the start of a TLS stream (one or more
 * records): returns 1 with the server name written in name (cap bytes,
 * escaped and lower-cased as above) when it holds a ClientHello with
 * one, 0 when it is not a ClientHello or has no server name, 2 when the
 * ClientHello is not complete in len bytes (more segments needed), -1
 * when malformed or oversized.
 */
int vg_cap_tls_sni(const uint8_t *p, size_t len, char *name, size_t cap,
    size_t *namelen);

/*
 * vg_cap_http_host() looks at the start of a TCP payload: returns 1 with
 * the Host header's value (port removed, escaped and lower-cased) when
 * it is an HTTP/1.x request with one, 0 otherwise, -1 when malformed.
 */
int vg_cap_http_host(const uint8_t *p, size_t len, char *name, size_t cap,
    size_t *namelen);

#endif
