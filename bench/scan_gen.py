#!/usr/bin/env python3
"""Generate the captures and the indicator folder of bench/scan.sh.

    scan_gen.py capture OUT [--mb N] [--format pcap|pcapng] [--iocs DIR]
                            [--names FILE] [--planted FILE] [--seed N]
                            [--one-pass] [--bulk-ratio R]
    scan_gen.py iocs SRC DST [--factor N]

capture: a phone's traffic of N MB (2^20 bytes; default 300, or BENCH_MB)
seen on an access point, Ethernet, as one would capture it: mostly large
TCP segments of long TLS downloads and uploads (application data records
of up to 16 KB over several segments, pure ACKs back), a few UDP flows,
interleaved with the events the scanner looks for: DNS queries and
responses over UDP port 53 (compressed, CNAME chains, A, AAAA, HTTPS
queries, NXDOMAIN; some over TCP, some over IPv6), TLS ClientHellos on
port 443 after a handshake (some Chrome-like post-quantum ones of 1.8 KB
over two segments, some over two segments or two records), HTTP GETs on
port 80 (some Host headers with a port, a trailing dot, upper case).
Names: a few thousand ordinary ones, every domain of the indicators'
network.csv, some of their subdomains, and look-alikes that must not
match (notcopy9.com, copy9.com.evil.fr).  The events of a pass hold every
name; passes repeat with new ports, DNS ids and sequence numbers until
the size is reached, so a pool of packets is built once and then written
fast.  --names writes every name written (lower-case, sorted),
--planted the indicator names and their subdomains among them.
--one-pass: as much bulk as lets one pass, every name, fill N MB (a
small capture with all the names of a big one).  --bulk-ratio: bytes of
bulk per byte of events (default 11; 0: nothing but the events, a
capture where looking names up weighs most).

iocs: a copy of the indicator folder SRC made N times bigger (default
100): ioc.yaml, watchware.yaml and network.csv get synthetic apps with
packages, certificates, websites, C2 domains and addresses that appear in
no capture; samples.csv is copied.
"""

import argparse
import os
import random
import re
import shutil
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'scan'))
import pcapgen as pg  # noqa: E402

MB = 1 << 20
IOCS = '/work/shared/data/stalkerware-indicators'

PHONE4, PHONE6 = '192.168.8.23', '2001:db8:8::23'
GW4, GW6 = '192.168.8.1', '2001:db8:8::1'
HOST_RE = re.compile(r'^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*'
                     r'[a-z0-9])?)+$')


# --------------------------------------------------------------------------
# Names

def read_network(iocs):
    """(domains, ipv4 addresses) of network.csv."""
    doms, ips = [], []
    with open(os.path.join(iocs, 'network.csv'), encoding='utf-8') as f:
        next(f)
        for line in f:
            parts = line.strip().split(',')
            if len(parts) < 2:
                continue
            t, v = parts[0], parts[1].strip().lower().rstrip('.')
            if t == 'domain' and HOST_RE.match(v) and not v.replace(
                    '.', '').isdigit():
                doms.append(v)
            elif t.startswith('ip') and re.match(r'^\d+\.\d+\.\d+\.\d+$', v):
                ips.append(v)
    return sorted(set(doms)), sorted(set(ips))


def covered(name, indicators):
    """Whether name is an indicator or under one."""
    labels = name.split('.')
    return any('.'.join(labels[i:]) in indicators for i in range(len(labels)))


PREFIXES = ('www', 'cdn', 'api', 'static', 'img', 'm', 'mail', 'push',
            'graph', 'edge', 's', 'video', 'media', 'auth', 'login', 'sync',
            'analytics', 'ads', 'i', 'gateway', 'ws', 'assets', 'beacon')
WORDS = ('example-news', 'meteo-ville', 'banque-exemple', 'jeux-en-ligne',
         'recettes', 'annonces', 'musique', 'sport-direct', 'cinema',
         'voyages', 'boutique', 'mairie', 'ecole', 'transport', 'sante',
         'assurance', 'immo', 'emploi', 'forum', 'video-club', 'radio',
         'presse', 'mode', 'jardin', 'bricolage', 'auto', 'photo', 'chat',
         'rencontre', 'podcast', 'livres', 'cuisine', 'velo', 'montagne',
         'plage', 'quartier', 'associations', 'theatre', 'musee', 'cafe')
TLDS = ('fr', 'com', 'net', 'org', 'io', 'de', 'app', 'eu', 'be', 'ch')
WELL_KNOWN = ('www.google.com', 'connectivitycheck.gstatic.com',
              'graph.facebook.com', 'i.instagram.com', 'mtalk.google.com',
              'play.googleapis.com', 'android.clients.google.com',
              'www.youtube.com', 'api.snapchat.com', 'web.whatsapp.com',
              'g.whatsapp.net', 'firebaseinstallations.googleapis.com',
              'app-measurement.com', 'time.android.com',
              'www.lemonde.fr', 'www.service-public.fr', 'api.twitter.com',
              'www.tiktok.com', 'v16-webapp.tiktok.com', 'accounts.google.com')


def ordinary_names(n, rnd):
    out = set(WELL_KNOWN)
    while len(out) < n:
        p = rnd.choice(PREFIXES)
        if rnd.random() < 0.6:
            p += str(rnd.randrange(1, 40))
        out.add('%s.%s.%s' % (p, rnd.choice(WORDS), rnd.choice(TLDS)))
    return sorted(out)


def name_sets(iocs, rnd, n_ordinary=3000):
    """(ordinary names, indicator domains, subdomains, look-alikes,
    indicator addresses)."""
    inds, ips = read_network(iocs)
    ind_set = set(inds)
    ordinary = [x for x in ordinary_names(n_ordinary, rnd)
                if not covered(x, ind_set)]
    subs = sorted({'%s.%s' % (rnd.choice(('cdn', 'x1', 'sync-b', 'upload',
                                           'eu', 'v2')), d)
                   for d in rnd.sample(inds, min(300, len(inds)))})
    look = set()
    for d in rnd.sample(inds, min(240, len(inds))):
        first, _, rest = d.partition('.')
        for cand in ('not' + d, d + '.evil.fr', first + 'x.' + rest,
                     d.replace('.', '-') + '.example.com'):
            if not covered(cand, ind_set) and HOST_RE.match(cand):
                look.add(cand)
    return ordinary, inds, subs, sorted(look), ips


def mixed_case(name, rnd):
    """DNS 0x20 encoding: letters in random case."""
    return ''.join(c.upper() if c.isalpha() and rnd.random() < 0.5 else c
                   for c in name)


# --------------------------------------------------------------------------
# Frames of the pool, with what changes from a pass to the next

def l4_offset(frame):
    """Offset of the UDP/TCP header in an Ethernet frame."""
    et = struct.unpack_from('!H', frame, 12)[0]
    o = 14
    if et == 0x0800:
        return o + (frame[o] & 0xF) * 4
    nh, o = frame[o + 6], o + 40
    while nh in (0, 43, 60, 44):
        if nh == 44:
            nh, o = frame[o], o + 8
        else:
            nh, o = frame[o], o + (frame[o + 1] + 1) * 8
    return o


def _fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


# Kinds of pool frames, telling how a pass rewrites them (RFC 1624
# incremental checksum updates, so that every checksum stays right).
UDP_Q, UDP_R, TCP_C, TCP_S, BULK, FIXED = range(6)


class Pool:
    """Frames and their kinds: (kind, frame, l4 offset, a, b)."""

    def __init__(self):
        self.items = []
        self.bytes = 0

    def add(self, kind, frame, a=0, b=0):
        self.items.append((kind, frame, l4_offset(frame), a, b))
        self.bytes += len(frame)


def new_port(port, p):
    """The client port of an event's flow in pass p (20000 to 59999; the
    bulk flows use ports 10000 to 10999)."""
    return 20000 + (port - 20000 + p * 4099) % 40000


def rewrite(kind, frame, l4, a, b, p):
    """The frame for pass p (p = 0: as built)."""
    if p == 0 or kind == FIXED:
        return frame
    buf = bytearray(frame)
    if kind in (UDP_Q, UDP_R):
        # The phone's port, the DNS id.
        sport, dport, _, c = struct.unpack_from('!HHHH', buf, l4)
        qid = struct.unpack_from('!H', buf, l4 + 8)[0]
        nq = (qid + p * 40503) & 0xFFFF
        if kind == UDP_Q:
            old, new, at = sport, new_port(sport, p), l4
        else:
            old, new, at = dport, new_port(dport, p), l4 + 2
        struct.pack_into('!H', buf, at, new)
        struct.pack_into('!H', buf, l4 + 8, nq)
        if c:
            s = _fold((~c & 0xFFFF) + (~old & 0xFFFF) + new
                      + (~qid & 0xFFFF) + nq)
            struct.pack_into('!H', buf, l4 + 6, (~s & 0xFFFF) or 0xFFFF)
        return bytes(buf)
    if kind in (TCP_C, TCP_S):
        at = l4 if kind == TCP_C else l4 + 2
        old = struct.unpack_from('!H', buf, at)[0]
        new = new_port(old, p)
        c = struct.unpack_from('!H', buf, l4 + 16)[0]
        s = _fold((~c & 0xFFFF) + (~old & 0xFFFF) + new)
        struct.pack_into('!H', buf, at, new)
        struct.pack_into('!H', buf, l4 + 16, ~s & 0xFFFF)
        return bytes(buf)
    # BULK: the flow goes on: sequence and acknowledgement numbers move
    # by what a pass sends each way (a: this side, b: the other).
    seq, ack = struct.unpack_from('!II', buf, l4 + 4)
    c = struct.unpack_from('!H', buf, l4 + 16)[0]
    ns = (seq + p * a) & 0xFFFFFFFF
    na = (ack + p * b) & 0xFFFFFFFF
    s = _fold((~c & 0xFFFF) + (~seq >> 16 & 0xFFFF) + (~seq & 0xFFFF)
              + (~ack >> 16 & 0xFFFF) + (~ack & 0xFFFF)
              + (ns >> 16) + (ns & 0xFFFF) + (na >> 16) + (na & 0xFFFF))
    struct.pack_into('!II', buf, l4 + 4, ns, na)
    struct.pack_into('!H', buf, l4 + 16, ~s & 0xFFFF)
    return bytes(buf)


# --------------------------------------------------------------------------
# The events: every name, once per pass

def addr_for(name, rnd, avoid):
    while True:
        a = '%d.%d.%d.%d' % (rnd.choice((2, 23, 31, 34, 51, 52, 80, 104, 142,
                                          151, 157, 172, 185, 193, 212)),
                             rnd.randrange(256), rnd.randrange(256),
                             rnd.randrange(1, 255))
        if a not in avoid:
            return a


def with_kinds(frames, sides):
    """Pair frames with TCP_C (client) or TCP_S (server) as sides say."""
    return [(TCP_C if s == 'c' else TCP_S, f) for f, s in zip(frames, sides)]


def tcp_exchange(f, request, response):
    """A whole short connection on flow f: handshake, request, response,
    close."""
    return (with_kinds(f.open(), 'csc') + with_kinds(f.send(request), 'c')
            + with_kinds(f.recv(response), 's') + with_kinds(f.close(), 'csc'))


def build_events(rnd, ordinary, inds, subs, look, ind_ips):
    """A list of groups (name, [(kind, frame)...]): the name (lower-case,
    no port, no trailing dot) tshark and the scanner must both report for
    the group's frames."""
    groups = []
    ind_set = set(inds) | set(subs)
    everything = ordinary + inds + subs + look
    rnd.shuffle(everything)
    avoid = set(ind_ips)
    port = [20000]

    def sport():
        port[0] = 20000 + (port[0] - 20000 + 7) % 40000
        return port[0]

    for i, name in enumerate(everything):
        v6 = i % 10 == 3
        phone, gw = (PHONE6, GW6) if v6 else (PHONE4, GW4)
        is_ind = name in ind_set
        server = (rnd.choice(ind_ips) if is_ind and ind_ips and not v6
                  else (('2001:db8:%x::%x' % (i % 4096, i % 65536 or 1))
                        if v6 else addr_for(name, rnd, avoid)))
        if i % 20 != 7:
            # DNS: a query and its response.
            g = []
            qname = mixed_case(name, rnd) if i % 10 == 5 else name
            qtype = 'AAAA' if i % 5 == 1 else 'A'
            if i % 5 == 0:
                answers = [('CNAME', '%s.cdn%d.edgekey.net' % (name, i % 7)),
                           ('CNAME', 'e%d.a.akamaiedge.net' % i),
                           server if not v6 else addr_for(name, rnd, avoid)]
                qtype = 'A'
            elif qtype == 'AAAA':
                answers = [('AAAA', '2001:db8:%x::%x' % (i % 4096, i % 997 + 1))]
            else:
                answers = [server if not v6 else addr_for(name, rnd, avoid)]
                answers += [addr_for(name, rnd, avoid) for _ in range(i % 3)]
            rcode = 0
            if name in look and i % 3 == 0:
                answers, rcode = [], 3
            qid = rnd.randrange(65536)
            qs = rnd.randrange(20000, 60000)
            ext = {'ext': ['hop']} if v6 and i % 30 == 3 else {}
            if i % 50 == 11:
                # DNS over TCP, in a connection of its own.
                f = pg.TcpFlow(phone, gw, qs, 53,
                               isn_client=rnd.randrange(1 << 32),
                               isn_server=rnd.randrange(1 << 32))
                q = pg.dns_query(qname, qtype, qid, edns=True)
                r = pg.dns_response(qname, answers, qtype, qid, rcode)
                g += tcp_exchange(f, struct.pack('!H', len(q)) + q,
                                  struct.pack('!H', len(r)) + r)
            else:
                if i % 4 == 2:
                    # Chrome asks for HTTPS records too.
                    g.append((UDP_Q, pg.dns_query_frame(
                        qname, phone, gw, qtype='HTTPS', qid=qid ^ 0x5555,
                        sport=qs ^ 1, edns=True, **ext)))
                    g.append((UDP_R, pg.dns_response_frame(
                        qname, [], gw, phone, qtype='HTTPS',
                        qid=qid ^ 0x5555, dport=qs ^ 1, edns=True, **ext)))
                g.append((UDP_Q, pg.dns_query_frame(
                    qname, phone, gw, qtype=qtype, qid=qid, sport=qs,
                    edns=i % 2 == 0, **ext)))
                g.append((UDP_R, pg.dns_response_frame(
                    qname, answers, gw, phone, qtype=qtype, qid=qid,
                    dport=qs, rcode=rcode, edns=i % 2 == 0, **ext)))
            groups.append((name, g))
        if i % 3 == 0 or i % 20 == 7:
            # TLS: handshake, ClientHello, the server's first flight.
            g = []
            f = pg.TcpFlow(phone, server, sport(), 443,
                           isn_client=rnd.randrange(1 << 32),
                           isn_server=rnd.randrange(1 << 32))
            g += with_kinds(f.open(), 'csc')
            opts = {}
            if i % 9 == 0:
                opts = {'pq': True, 'mss': 1460}
            elif i % 4 == 1:
                opts = {'segments': 2}
            elif i % 17 == 5:
                opts = {'records': 2}
            g += [(TCP_C, x) for x in
                  pg.tls_client_hello_frames(name, flow=f, **opts)]
            flight = pg.tls_server_flight(app_data=rnd.choice(
                (1280, 2400, 3900)), seed=i)
            g += [(TCP_S, x) for x in f.recv(flight, mss=1448)]
            g.append((TCP_C, f.ack()))
            groups.append((name, g))
        if i % 8 == 1 or i % 20 == 7:
            # HTTP: a GET, its answer.
            g = []
            host = name
            if i % 24 == 1:
                port_ = 8080
            else:
                port_ = None
            if i % 40 == 9:
                host += '.'
            if i % 16 == 9:
                host = host.upper()
            f = pg.TcpFlow(phone, server, sport(), 80,
                           isn_client=rnd.randrange(1 << 32),
                           isn_server=rnd.randrange(1 << 32))
            g += tcp_exchange(f, pg.http_get(host, '/v1/ping?id=%d' % i,
                                             port_),
                              b'HTTP/1.1 204 No Content\r\nServer: nginx\r\n'
                              b'Connection: close\r\n\r\n')
            groups.append((name, g))
    rnd.shuffle(groups)
    return groups


# --------------------------------------------------------------------------
# The bulk: long TLS flows, a few UDP ones

def records_of(rnd, total):
    """Exactly `total` bytes of whole TLS records, none bigger than 16 KB
    plus overhead, none smaller than 64 bytes."""
    sizes, left = [], total
    while left > 0:
        s = min(16384 + 17 + 5, left)
        if 0 < left - s < 69:
            s = left - 69
        sizes.append(s)
        left -= s
    return b''.join(struct.pack('!BHH', 0x17, 0x0303, s - 5) + rnd.randbytes(
        s - 5) for s in sizes)


def build_bulk(rnd, servers, n_down=40, n_up=8, n_udp=4, per_flow=48):
    """The bulk frames, flows interleaved, as (kind, frame, a, b)."""
    flows = []
    for k in range(n_down + n_up):
        v6 = k % 8 == 5
        phone = PHONE6 if v6 else PHONE4
        server = ('2001:db8:b0b::%x' % (k + 1)) if v6 else servers[k % len(
            servers)]
        f = pg.TcpFlow(phone, server, 10000 + k * 13, 443,
                       isn_client=rnd.randrange(1 << 32),
                       isn_server=rnd.randrange(1 << 32), window=2047)
        down = k < n_down
        sizes = [rnd.choice((1448, 1448, 1448, 1448, 1448, 1000, 1200, 1400,
                             1460, 1368)) for _ in range(per_flow)]
        if not down:
            sizes = sizes[:per_flow // 2]
        data = records_of(rnd, sum(sizes))
        c0, s0 = f.cseq, f.sseq
        seq = []
        for j, chunk in enumerate(pg.split(data, sizes=sizes)):
            if down:
                seq.append(('s', f.recv(chunk)[0]))
                if j % 2 == 1:
                    seq.append(('c', f.ack()))
            else:
                seq.append(('c', f.send(chunk)[0]))
                if j % 2 == 1:
                    seq.append(('s', f.ack(from_client=False)))
        dc = (f.cseq - c0) & 0xFFFFFFFF
        ds = (f.sseq - s0) & 0xFFFFFFFF
        flows.append([(BULK, fr, dc, ds) if side == 'c' else
                      (BULK, fr, ds, dc) for side, fr in seq])
    for k in range(n_udp):
        # A video call: SRTP over UDP both ways (an RTP header, encrypted
        # media), on ports with no dissector (RTP is not guessed).
        out = []
        for j in range(per_flow // 2):
            size = rnd.choice((1100, 1200, 1180, 900))
            if j % 3 == 2:
                rtp = struct.pack('!BBHII', 0x80, 111, j, j * 960,
                                  0x1000 + k) + rnd.randbytes(148)
                out.append((FIXED, pg.udp_frame(
                    rtp, PHONE4, '198.51.100.%d' % (k + 10),
                    44100 + k, 52004 + k), 0, 0))
            else:
                rtp = struct.pack('!BBHII', 0x80, 96, j, j * 3000,
                                  0x2000 + k) + rnd.randbytes(size - 12)
                out.append((FIXED, pg.udp_frame(
                    rtp, '198.51.100.%d' % (k + 10), PHONE4,
                    52004 + k, 44100 + k, reverse=True), 0, 0))
        flows.append(out)
    # Interleave: round-robin over the flows, in a shuffled order.
    out, i = [], 0
    while any(flows):
        rnd.shuffle(flows)
        for fl in flows:
            out += fl[:3]
            del fl[:3]
        flows = [fl for fl in flows if fl]
    return out


# --------------------------------------------------------------------------
# Writing

def write_capture(path, mb, fmt, iocs, seed, names_out, planted_out,
                  one_pass=False, ratio=11.0):
    t0 = time.time()
    rnd = random.Random(seed)
    ordinary, inds, subs, look, ind_ips = name_sets(iocs, rnd)
    groups = build_events(rnd, ordinary, inds, subs, look, ind_ips)
    servers = [addr_for('bulk%d' % k, rnd, set(ind_ips)) for k in range(30)]
    servers += ind_ips[:4]
    bulk = Pool()
    for kind, fr, a, b in build_bulk(rnd, servers):
        bulk.add(kind, fr, a, b)
    events = []
    ev_bytes = ev_frames = 0
    for name, g in groups:
        items = [name]
        for kind, fr in g:
            items.append((kind, fr, l4_offset(fr), 0, 0))
            ev_bytes += len(fr)
            ev_frames += 1
        events.append(items)

    target = mb * MB
    # By default the events weigh about 1/12 of the bytes (ratio: bulk
    # bytes per event byte); with one_pass, whatever makes one pass (every
    # name) fill the capture, when it can.
    if one_pass:
        ovh = 16 if fmt == 'pcap' else 32
        left = target - ev_bytes - ev_frames * ovh
        ratio = max(0.0, 0.97 * left / ev_bytes * 1300 / (1300 + ovh))
    out = open(path, 'wb')
    if fmt == 'pcap':
        out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        hdr = struct.Struct('<IIII')
    else:
        shb = struct.pack('<IIIHHq', 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1)
        shb += struct.pack('<I', 28)
        idb_body = struct.pack('<HHI', 1, 0, 262144) + struct.pack(
            '<HHB3x', 9, 1, 6) + struct.pack('<HH', 0, 0)
        idb = struct.pack('<II', 1, 12 + len(idb_body)) + idb_body + \
            struct.pack('<I', 12 + len(idb_body))
        out.write(shb + idb)
        hdr = struct.Struct('<IIIIIII')
    written = out.tell()
    packets = 0
    t_us = 1767254400 * 1000000 + 8 * 3600 * 1000000   # a morning
    steps = [rnd.choice((40, 90, 150, 400, 900, 1300, 3000)) for _ in
             range(4099)]
    buf = []
    bufsize = 0
    bi = 0          # next bulk frame
    bpass = 0       # bulk cycles done
    bulk_due = 0.0
    epass = 0
    ngroups = 0
    names = set()
    nb = len(bulk.items)
    while written + bufsize < target:
        for g in events:
            if written + bufsize >= target:
                break
            ngroups += 1
            names.add(g[0])
            frames = [rewrite(k, fr, l4, a, b, epass) for k, fr, l4, a, b
                      in g[1:]]
            bulk_due += sum(len(x) for x in frames) * ratio
            while bulk_due > 0:
                k, fr, l4, a, b = bulk.items[bi]
                x = rewrite(k, fr, l4, a, b, bpass)
                frames.append(x)
                bulk_due -= len(x)
                bi += 1
                if bi == nb:
                    bi = 0
                    bpass += 1
            for x in frames:
                t_us += steps[packets % 4099]
                packets += 1
                n = len(x)
                if fmt == 'pcap':
                    sec, us = divmod(t_us, 1000000)
                    rec = hdr.pack(sec, us, n, n) + x
                else:
                    pad = -n % 4
                    bl = 32 + n + pad
                    rec = (hdr.pack(6, bl, 0, t_us >> 32, t_us & 0xFFFFFFFF,
                                    n, n) + x + b'\0' * pad
                           + struct.pack('<I', bl))
                buf.append(rec)
                bufsize += len(rec)
            if bufsize > 4 * MB:
                out.write(b''.join(buf))
                written += bufsize
                buf, bufsize = [], 0
        epass += 1
    out.write(b''.join(buf))
    written += bufsize
    out.close()
    # The names written, and the indicators (and subdomains) among them.
    if names_out:
        with open(names_out, 'w') as f:
            f.write(''.join(n + '\n' for n in sorted(names)))
    if planted_out:
        with open(planted_out, 'w') as f:
            f.write(''.join(n + '\n' for n in sorted(
                names & (set(inds) | set(subs)))))
    sys.stderr.write(
        'scan_gen: %s: %.0f MB, %d packets, %d names of %d (%d indicator '
        'domains, %d subdomains, %d look-alikes), %.1f passes, %.1f s\n' % (
            path, written / MB, packets, len(names), len(ordinary) + len(inds)
            + len(subs) + len(look), len(inds), len(subs), len(look),
            ngroups / len(events), time.time() - t0))


# --------------------------------------------------------------------------
# A bigger indicator folder

SYL = ('spy', 'track', 'mon', 'phone', 'kid', 'safe', 'watch', 'log', 'hid',
       'mobi', 'guard', 'cell', 'sms', 'loc', 'stalk', 'agent', 'view', 'key')
TLD2 = ('com', 'net', 'app', 'ru', 'io', 'org', 'info', 'xyz', 'co', 'biz')


def synth_iocs(src, dst, factor):
    """Copy src to dst with (factor - 1) times as many synthetic apps,
    each with about as many domains as a real one (ten).  The synthetic
    apps are shared between ioc.yaml (stalkerware) and watchware.yaml
    (watchware): Vigie reads YAML files of 8 MiB at most, and one file
    would be bigger."""
    os.makedirs(dst, exist_ok=True)
    for f in ('samples.csv', 'SOURCE.md'):
        if os.path.exists(os.path.join(src, f)):
            shutil.copyfile(os.path.join(src, f), os.path.join(dst, f))
    yaml = {}
    n_real = 0
    for f in ('ioc.yaml', 'watchware.yaml'):
        with open(os.path.join(src, f), encoding='utf-8') as fh:
            text = fh.read()
        n_real += len(re.findall(r'^- name:', text, re.M))
        yaml[f] = [text.rstrip('\n') + '\n']
    n = n_real * (factor - 1)
    rnd = random.Random(4242)
    net = []
    with open(os.path.join(src, 'network.csv'), encoding='utf-8') as f:
        net.append(f.read().rstrip('\n') + '\n')
    for k in range(n):
        app = 'Synth%d' % k
        kind, f = (('stalkerware', 'ioc.yaml') if k % 2 == 0
                   else ('watchware', 'watchware.yaml'))
        base = '%s%s%d' % (rnd.choice(SYL), rnd.choice(SYL), 100000 + k)
        tld = rnd.choice(TLD2)
        pk = ['com.%s.%s' % (rnd.choice(SYL), base),
              'net.%s.agent%d' % (base, k % 7)]
        web = ['%s.%s' % (base, tld), 'www.%s.%s' % (base, tld)]
        c2 = ['%s.%s.%s' % (p, base, tld) for p in rnd.sample(
            ('api', 'cp', 'sync-a', 'protocol', 'media', 'upload', 'panel',
             'data', 'push', 'ws', 'my'), 7)]
        c2.append('%s-%d.firebaseio.com' % (base, k % 97))
        ips = ['198.18.%d.%d' % (k // 250 % 256, k % 250 + 1)]
        certs = ['%040X' % rnd.getrandbits(160)]
        yaml[f].append(
            '- name: %s\n  type: %s\n  packages:\n%s  certificates:\n%s'
            '  websites:\n%s  c2:\n    ips:\n%s    domains:\n%s' % (
                app, kind, ''.join('  - %s\n' % x for x in pk),
                ''.join('  - %s\n' % x for x in certs),
                ''.join('  - %s\n' % x for x in web),
                ''.join('    - %s\n' % x for x in ips),
                ''.join('    - %s\n' % x for x in c2)))
        net += ['domain,%s,%s\n' % (d, app) for d in web + c2]
        net += ['ip,%s,%s\n' % (a, app) for a in ips]
    for f, parts in yaml.items():
        with open(os.path.join(dst, f), 'w', encoding='utf-8') as fh:
            fh.write('\n'.join(parts))
    with open(os.path.join(dst, 'network.csv'), 'w', encoding='utf-8') as f:
        f.write(''.join(net))
    doms = sum(1 for line in net[1:] if line.startswith('domain,'))
    sys.stderr.write('scan_gen: %s: %d apps (%d synthetic), %d domains '
                     'in network.csv\n' % (dst, n_real + n, n, doms))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    c = sub.add_parser('capture')
    c.add_argument('out')
    c.add_argument('--mb', type=int,
                   default=int(os.environ.get('BENCH_MB', '300')))
    c.add_argument('--format', choices=('pcap', 'pcapng'), default='pcap')
    c.add_argument('--iocs', default=IOCS)
    c.add_argument('--seed', type=int, default=2026)
    c.add_argument('--names')
    c.add_argument('--planted')
    c.add_argument('--one-pass', action='store_true')
    c.add_argument('--bulk-ratio', type=float, default=11.0)
    i = sub.add_parser('iocs')
    i.add_argument('src')
    i.add_argument('dst')
    i.add_argument('--factor', type=int, default=100)
    a = ap.parse_args()
    if a.cmd == 'capture':
        write_capture(a.out, a.mb, a.format, a.iocs, a.seed, a.names,
                      a.planted, a.one_pass, a.bulk_ratio)
    else:
        synth_iocs(a.src, a.dst, a.factor)


if __name__ == '__main__':
    main()
