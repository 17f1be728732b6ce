"""pcapgen — build network captures for the scanner's tests and benchmark.

Standard library only.  Everything returns plain ``bytes``: a *frame* is a
link-layer frame ready to be added to a :class:`Capture`, an *IP packet* is
an IPv4 or IPv6 packet (headers and checksums filled in), a *message* is an
application payload (DNS, TLS, HTTP).

Typical use::

    import sys; sys.path.insert(0, 'tests/scan'); import pcapgen as pg

    cap = pg.Capture(pg.LINKTYPE_ETHERNET)
    cap.add(pg.dns_query_frame('copy9.com'))
    cap.add(pg.dns_response_frame('copy9.com', answers=['69.64.74.239']))
    cap.extend(pg.tls_client_hello_frames('my.copy9.com', segments=2))
    cap.add(pg.http_get_frame('protocol.copy9.com', port=8080))
    cap.write_pcap('x.pcap')          # or cap.write_pcapng('x.pcapng')

Addresses are strings ('192.0.2.1', '2001:db8::1'); the IP version follows
the addresses.  Every frame builder takes ``linktype`` (one of the
LINKTYPE_* constants, Ethernet by default) and the link options of
:func:`link` (``vlan``, ``src_mac``, ``dst_mac``, ``pkttype``, ``ifindex``)
and the IP options of :func:`ip_packet` (``ttl``, ``ident``, ``ext``,
``hop_limit``, ``options``).

Layers, from the bottom:
    link(ip_pkt, linktype, ...)            Ethernet (802.1Q/802.1ad tags),
                                           Linux cooked v1/v2, raw IP,
                                           BSD loopback
    ipv4(...), ipv6(...), ip_packet(...)   with checksums, IPv6 extension
                                           headers, fragments
    udp(...), tcp(...)                     segments with checksums
    TcpFlow                                a connection tracking seq/ack
    dns_query(...), dns_response(...)      DNS messages, compressed like
                                           real servers; dns_malformed()
    tls_client_hello(...), tls_records()   a Chrome-like ClientHello
    tls_server_hello(), tls_server_flight() the server's answer
    http_get(...)                          an HTTP/1.1 request
    Capture                                pcap (µs/ns, either byte order)
                                           and pcapng writers, truncation
"""

import ipaddress
import struct

__all__ = [
    'LINKTYPE_NULL', 'LINKTYPE_ETHERNET', 'LINKTYPE_RAW', 'LINKTYPE_LOOP',
    'LINKTYPE_LINUX_SLL', 'LINKTYPE_IPV4', 'LINKTYPE_IPV6',
    'LINKTYPE_LINUX_SLL2', 'LINKTYPES',
    'CLIENT4', 'CLIENT6', 'RESOLVER4', 'RESOLVER6', 'SERVER4', 'SERVER6',
    'checksum', 'link', 'ethernet', 'sll', 'sll2', 'null_loopback',
    'ipv4', 'ipv6', 'ip_packet', 'ip_fragments', 'udp', 'tcp',
    'udp_frame', 'tcp_frame', 'TcpFlow', 'split',
    'dns_name', 'DnsBuilder', 'dns_query', 'dns_response', 'dns_malformed',
    'dns_query_frame', 'dns_response_frame', 'dns_frame',
    'tls_client_hello', 'tls_records', 'tls_client_hello_frames',
    'tls_server_hello', 'tls_server_flight',
    'http_get', 'http_get_frame', 'http_get_frames',
    'Capture',
]

# Link types (the LINKTYPE_* values written in capture files).
LINKTYPE_NULL = 0           # BSD loopback, 4-byte family in host order
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101          # raw IPv4 or IPv6 (DLT_RAW)
LINKTYPE_LOOP = 108         # OpenBSD loopback, family in network order
LINKTYPE_LINUX_SLL = 113    # Linux cooked capture v1
LINKTYPE_IPV4 = 228         # raw IPv4 only
LINKTYPE_IPV6 = 229         # raw IPv6 only
LINKTYPE_LINUX_SLL2 = 276   # Linux cooked capture v2
LINKTYPES = (LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LOOP,
             LINKTYPE_LINUX_SLL, LINKTYPE_IPV4, LINKTYPE_IPV6,
             LINKTYPE_LINUX_SLL2)

# Default addresses: a phone on a small access point, its resolver, a server.
CLIENT4 = '192.168.8.23'
CLIENT6 = '2001:db8:8::23'
RESOLVER4 = '192.168.8.1'
RESOLVER6 = '2001:db8:8::1'
SERVER4 = '203.0.113.80'
SERVER6 = '2001:db8:cafe::80'

CLIENT_MAC = '02:00:5e:10:00:23'
ROUTER_MAC = '02:00:5e:10:00:01'

ETH_IPV4 = 0x0800
ETH_IPV6 = 0x86DD
ETH_VLAN = 0x8100
ETH_QINQ = 0x88A8

PROTO_TCP = 6
PROTO_UDP = 17


# --------------------------------------------------------------------------
# Helpers

def checksum(data, start=0):
    """The Internet checksum (RFC 1071) of data, folded, complemented.

    start is a partial 32-bit sum to add (e.g. a pseudo-header's)."""
    if len(data) % 2:
        data = bytes(data) + b'\0'
    s = start + sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _addr(a):
    return ipaddress.ip_address(a)


def _mac(m):
    if isinstance(m, (bytes, bytearray)):
        return bytes(m)
    return bytes(int(x, 16) for x in m.split(':'))


def split(data, n=None, sizes=None, mss=None):
    """Split data into n nearly equal chunks, or chunks of the given sizes
    (the rest in a last chunk), or chunks of at most mss bytes."""
    data = bytes(data)
    if mss:
        return [data[i:i + mss] for i in range(0, len(data), mss)] or [b'']
    if sizes:
        out, i = [], 0
        for s in sizes:
            out.append(data[i:i + s])
            i += s
        if i < len(data):
            out.append(data[i:])
        return out
    n = max(1, n or 1)
    q, r = divmod(len(data), n)
    out, i = [], 0
    for k in range(n):
        s = q + (1 if k < r else 0)
        out.append(data[i:i + s])
        i += s
    return out


# --------------------------------------------------------------------------
# Link layer

def _ethertype(ip_pkt):
    return ETH_IPV6 if ip_pkt and ip_pkt[0] >> 4 == 6 else ETH_IPV4


def ethernet(ip_pkt, src_mac=CLIENT_MAC, dst_mac=ROUTER_MAC, vlan=None,
             ethertype=None):
    """An Ethernet II frame around ip_pkt.

    vlan: None, a VLAN id (one 802.1Q tag), or a list of ids, outer first
    (the outer one tagged 802.1ad, 0x88a8, as in Q-in-Q)."""
    et = ethertype if ethertype is not None else _ethertype(ip_pkt)
    hdr = _mac(dst_mac) + _mac(src_mac)
    if vlan is not None:
        tags = [vlan] if isinstance(vlan, int) else list(vlan)
        for i, vid in enumerate(tags):
            tpid = ETH_QINQ if i < len(tags) - 1 else ETH_VLAN
            hdr += struct.pack('!HH', tpid, vid & 0xFFF)
    return hdr + struct.pack('!H', et) + ip_pkt


def sll(ip_pkt, pkttype=4, src_mac=CLIENT_MAC, protocol=None):
    """A Linux cooked capture v1 frame (LINKTYPE_LINUX_SLL).

    pkttype: 0 to us, 1 broadcast, 2 multicast, 3 to another host,
    4 sent by us."""
    mac = _mac(src_mac)
    proto = protocol if protocol is not None else _ethertype(ip_pkt)
    return (struct.pack('!HHH', pkttype, 1, len(mac)) + mac.ljust(8, b'\0')
            + struct.pack('!H', proto) + ip_pkt)


def sll2(ip_pkt, pkttype=4, src_mac=CLIENT_MAC, ifindex=2, protocol=None):
    """A Linux cooked capture v2 frame (LINKTYPE_LINUX_SLL2)."""
    mac = _mac(src_mac)
    proto = protocol if protocol is not None else _ethertype(ip_pkt)
    return (struct.pack('!HHIHBB', proto, 0, ifindex, 1, pkttype, len(mac))
            + mac.ljust(8, b'\0') + ip_pkt)


def null_loopback(ip_pkt, big_endian=False, af6=30):
    """A BSD loopback frame: the address family as 4 bytes, little-endian
    (LINKTYPE_NULL as written by a little-endian host) or big-endian
    (LINKTYPE_LOOP).  af6: 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS)."""
    af = af6 if _ethertype(ip_pkt) == ETH_IPV6 else 2
    return struct.pack('>I' if big_endian else '<I', af) + ip_pkt


def link(ip_pkt, linktype=LINKTYPE_ETHERNET, vlan=None, src_mac=CLIENT_MAC,
         dst_mac=ROUTER_MAC, pkttype=4, ifindex=2):
    """Frame ip_pkt for linktype (one of LINKTYPES).  Raw link types return
    the packet itself (LINKTYPE_IPV4/IPV6 check the version)."""
    if linktype == LINKTYPE_ETHERNET:
        return ethernet(ip_pkt, src_mac=src_mac, dst_mac=dst_mac, vlan=vlan)
    if linktype == LINKTYPE_LINUX_SLL:
        return sll(ip_pkt, pkttype=pkttype, src_mac=src_mac)
    if linktype == LINKTYPE_LINUX_SLL2:
        return sll2(ip_pkt, pkttype=pkttype, src_mac=src_mac, ifindex=ifindex)
    if linktype == LINKTYPE_RAW:
        return bytes(ip_pkt)
    if linktype == LINKTYPE_IPV4:
        if _ethertype(ip_pkt) != ETH_IPV4:
            raise ValueError('LINKTYPE_IPV4 frame with an IPv6 packet')
        return bytes(ip_pkt)
    if linktype == LINKTYPE_IPV6:
        if _ethertype(ip_pkt) != ETH_IPV6:
            raise ValueError('LINKTYPE_IPV6 frame with an IPv4 packet')
        return bytes(ip_pkt)
    if linktype == LINKTYPE_NULL:
        return null_loopback(ip_pkt)
    if linktype == LINKTYPE_LOOP:
        return null_loopback(ip_pkt, big_endian=True)
    raise ValueError('unknown link type %r' % (linktype,))


_LINK_KEYS = ('vlan', 'src_mac', 'dst_mac', 'pkttype', 'ifindex')
_IP_KEYS = ('ttl', 'ident', 'df', 'tos', 'options', 'hop_limit', 'ext',
            'flow_label', 'tclass')


def _take(kw, keys):
    return {k: kw.pop(k) for k in keys if k in kw}


def _frame(pkt, linktype, kw, reverse=False):
    """Frame an IP packet; kw holds link options.  reverse swaps the MAC
    addresses and makes cooked captures say "to us" (a reply)."""
    lk = dict(kw)
    if reverse:
        lk['src_mac'], lk['dst_mac'] = (lk.get('dst_mac', ROUTER_MAC),
                                        lk.get('src_mac', CLIENT_MAC))
        lk.setdefault('pkttype', 0)
    return link(pkt, linktype, **lk)


# --------------------------------------------------------------------------
# IP

_ident = [0x1c46]


def _next_ident():
    _ident[0] = (_ident[0] + 1) & 0xFFFF
    return _ident[0]


def ipv4(src, dst, proto, payload, ttl=64, ident=None, df=True, tos=0,
         options=b'', frag_offset=0, more_fragments=False, total_length=None):
    """An IPv4 packet with a correct header checksum.

    options: raw option bytes (padded to 4 bytes with zeros).
    frag_offset in bytes (a multiple of 8).  total_length overrides the
    length field (to make a malformed packet)."""
    options = bytes(options)
    if len(options) % 4:
        options += b'\0' * (4 - len(options) % 4)
    ihl = 5 + len(options) // 4
    if ident is None:
        ident = _next_ident()
    flags = (0x4000 if df else 0) | (0x2000 if more_fragments else 0)
    flags |= (frag_offset // 8) & 0x1FFF
    tl = total_length if total_length is not None else ihl * 4 + len(payload)
    hdr = struct.pack('!BBHHHBBH4s4s', 0x40 | ihl, tos, tl, ident, flags,
                      ttl, proto, 0, _addr(src).packed, _addr(dst).packed)
    hdr += options
    c = checksum(hdr)
    return hdr[:10] + struct.pack('!H', c) + hdr[12:] + bytes(payload)


# IPv6 extension header names and their Next Header numbers.
IPV6_EXT = {'hop': 0, 'routing': 43, 'frag': 44, 'dst': 60}


def _ipv6_ext(kind, nh, body=None):
    """One extension header (kind in IPV6_EXT) whose Next Header is nh."""
    if kind in ('hop', 'dst'):
        # Options padded with PadN to a multiple of 8 bytes: a Router Alert
        # (hop) or nothing but padding (dst).
        opts = body if body is not None else (
            b'\x05\x02\x00\x00' if kind == 'hop' else b'')
        need = (-(2 + len(opts))) % 8
        if need == 1:
            opts += b'\x00'          # Pad1
        elif need:
            opts += bytes([1, need - 2]) + b'\0' * (need - 2)
        return bytes([nh, (2 + len(opts)) // 8 - 1]) + opts
    if kind == 'routing':
        # Type 4 (segment routing) with no segment left: ignored by nodes.
        return bytes([nh, 0, 4, 0]) + b'\0' * 4
    if kind == 'frag':
        # An atomic fragment (offset 0, no more fragments).
        return struct.pack('!BBHI', nh, 0, 0, 0x1234abcd)
    raise ValueError('unknown IPv6 extension %r' % (kind,))


def ipv6(src, dst, nh, payload, hop_limit=64, ext=None, tclass=0,
         flow_label=0, payload_length=None):
    """An IPv6 packet.

    ext: extension headers to put before the payload, a list of names
    from IPV6_EXT ('hop', 'dst', 'routing', 'frag') or (name, bytes)
    pairs giving hop/dst options; a single name is accepted too.
    payload_length overrides the length field."""
    if isinstance(ext, str):
        ext = [ext]
    chain = b''
    nxt = nh
    for item in reversed(list(ext or [])):
        kind, body = (item, None) if isinstance(item, str) else item
        chain = _ipv6_ext(kind, nxt, body) + chain
        nxt = IPV6_EXT[kind]
    body = chain + bytes(payload)
    pl = payload_length if payload_length is not None else len(body)
    first = (6 << 28) | (tclass << 20) | (flow_label & 0xFFFFF)
    return struct.pack('!IHBB16s16s', first, pl, nxt, hop_limit,
                       _addr(src).packed, _addr(dst).packed) + body


def ip_packet(src, dst, proto, payload, **kw):
    """An IPv4 or IPv6 packet, as src and dst are.  kw: ipv4()'s (ttl,
    ident, df, tos, options) or ipv6()'s (hop_limit, ext, tclass,
    flow_label); 'ttl' is taken as hop_limit for IPv6."""
    if _addr(src).version == 6:
        if 'ttl' in kw:
            kw.setdefault('hop_limit', kw.pop('ttl'))
        for k in ('ident', 'df', 'tos', 'options'):
            kw.pop(k, None)
        return ipv6(src, dst, proto, payload, **kw)
    for k in ('hop_limit', 'ext', 'tclass', 'flow_label'):
        kw.pop(k, None)
    return ipv4(src, dst, proto, payload, **kw)


def ip_fragments(src, dst, proto, payload, fragsize=512, **kw):
    """The IP packets carrying payload (a whole UDP or TCP segment) in
    fragments of fragsize bytes (rounded down to a multiple of 8): IPv4
    fragments, or IPv6 packets with a Fragment header."""
    fragsize = max(8, fragsize // 8 * 8)
    chunks = [payload[i:i + fragsize] for i in range(0, len(payload), fragsize)]
    out = []
    if _addr(src).version == 4:
        ident = kw.pop('ident', None) or _next_ident()
        kw.pop('df', None)
        for i, c in enumerate(chunks):
            out.append(ipv4(src, dst, proto, c, ident=ident, df=False,
                            frag_offset=i * fragsize,
                            more_fragments=i < len(chunks) - 1,
                            **{k: v for k, v in kw.items()
                               if k in ('ttl', 'tos', 'options')}))
        return out
    ident = 0x5eed0000 | _next_ident()
    for i, c in enumerate(chunks):
        m = 1 if i < len(chunks) - 1 else 0
        fh = struct.pack('!BBHI', proto, 0, (i * fragsize) | m, ident)
        out.append(ipv6(src, dst, 44, fh + c,
                        hop_limit=kw.get('hop_limit', kw.get('ttl', 64))))
    return out


# --------------------------------------------------------------------------
# UDP and TCP

def _pseudo_sum(src, dst, proto, length):
    s, d = _addr(src).packed, _addr(dst).packed
    if len(s) == 4:
        ph = s + d + struct.pack('!BBH', 0, proto, length)
    else:
        ph = s + d + struct.pack('!IxxxB', length, proto)
    return sum(struct.unpack('!%dH' % (len(ph) // 2), ph))


def udp(src, dst, sport, dport, payload, csum=True):
    """A UDP datagram (header and payload) with a correct checksum (the
    pseudo-header needs the IP addresses); csum=False leaves it 0."""
    ln = 8 + len(payload)
    hdr = struct.pack('!HHHH', sport, dport, ln, 0)
    if not csum:
        return hdr + bytes(payload)
    c = checksum(hdr + bytes(payload), _pseudo_sum(src, dst, PROTO_UDP, ln))
    return struct.pack('!HHHH', sport, dport, ln, c or 0xFFFF) + bytes(payload)


_TCP_FLAGS = {'F': 0x01, 'S': 0x02, 'R': 0x04, 'P': 0x08, 'A': 0x10,
              'U': 0x20, 'E': 0x40, 'C': 0x80}


def tcp(src, dst, sport, dport, payload=b'', seq=0, ack=0, flags='PA',
        window=64240, options=b'', urg=0):
    """A TCP segment (header and payload) with a correct checksum.

    flags: a string of letters among F S R P A U E C, or an int.
    options: raw option bytes (padded with zeros to a multiple of 4)."""
    if isinstance(flags, str):
        fl = 0
        for ch in flags:
            fl |= _TCP_FLAGS[ch]
    else:
        fl = flags
    options = bytes(options)
    if len(options) % 4:
        options += b'\0' * (4 - len(options) % 4)
    off = (20 + len(options)) // 4
    hdr = struct.pack('!HHIIBBHHH', sport, dport, seq & 0xFFFFFFFF,
                      ack & 0xFFFFFFFF, off << 4, fl, window, 0, urg) + options
    seg = hdr + bytes(payload)
    c = checksum(seg, _pseudo_sum(src, dst, PROTO_TCP, len(seg)))
    return seg[:16] + struct.pack('!H', c) + seg[18:]


def udp_frame(payload, src=CLIENT4, dst=RESOLVER4, sport=40000, dport=53,
              linktype=LINKTYPE_ETHERNET, reverse=False, **kw):
    """A whole frame carrying a UDP datagram.  reverse=True marks it as
    coming from the network to the phone (MAC addresses swapped, cooked
    captures say "to us").  kw: link and IP options."""
    ipkw = _take(kw, _IP_KEYS)
    pkt = ip_packet(src, dst, PROTO_UDP, udp(src, dst, sport, dport, payload),
                    **ipkw)
    return _frame(pkt, linktype, kw, reverse)


def tcp_frame(payload=b'', src=CLIENT4, dst=SERVER4, sport=40000, dport=443,
              seq=1, ack=1, flags='PA', window=64240, tcp_options=b'',
              linktype=LINKTYPE_ETHERNET, reverse=False, **kw):
    """A whole frame carrying one TCP segment (see udp_frame)."""
    ipkw = _take(kw, _IP_KEYS)
    seg = tcp(src, dst, sport, dport, payload, seq=seq, ack=ack, flags=flags,
              window=window, options=tcp_options)
    return _frame(ip_packet(src, dst, PROTO_TCP, seg, **ipkw), linktype, kw,
                  reverse)


class TcpFlow:
    """A TCP connection from a client to a server, keeping the sequence
    and acknowledgement numbers, so a byte stream can be sent over several
    segments, in both directions.

        f = TcpFlow('192.168.8.23', '203.0.113.80', 51000, 443)
        frames = f.open() + f.send(hello, segments=2) + f.recv(b'...')

    window: the (scaled, factor 128) window of data segments; the SYNs
    say 64240 and 65160.  kw: link and IP options applied to every frame
    (vlan, ttl, ext, ...)."""

    def __init__(self, client=CLIENT4, server=SERVER4, sport=51000,
                 dport=443, isn_client=0x2a5b3c4d, isn_server=0x61c2e9f0,
                 linktype=LINKTYPE_ETHERNET, window=502, **kw):
        self.client, self.server = client, server
        self.sport, self.dport = sport, dport
        self.cseq = (isn_client + 1) & 0xFFFFFFFF   # next byte to send
        self.sseq = (isn_server + 1) & 0xFFFFFFFF
        self.isn_client, self.isn_server = isn_client, isn_server
        self.linktype, self.window, self.kw = linktype, window, kw

    def _seg(self, from_client, payload, flags, seq, ack, options=b'',
             window=None):
        src, dst = ((self.client, self.server) if from_client
                    else (self.server, self.client))
        sp, dp = ((self.sport, self.dport) if from_client
                  else (self.dport, self.sport))
        kw = dict(self.kw)
        return tcp_frame(payload, src, dst, sp, dp, seq=seq, ack=ack,
                         flags=flags, window=window or self.window,
                         tcp_options=options, linktype=self.linktype,
                         reverse=not from_client, **kw)

    def open(self):
        """The three-way handshake: SYN, SYN-ACK, ACK (with MSS, SACK
        permitted and window scale options on the SYNs)."""
        opts = b'\x02\x04\x05\xb4\x04\x02\x01\x03\x03\x07'
        return [
            self._seg(True, b'', 'S', self.isn_client, 0, opts, 64240),
            self._seg(False, b'', 'SA', self.isn_server, self.cseq, opts,
                      65160),
            self._seg(True, b'', 'A', self.cseq, self.sseq),
        ]

    def _data(self, from_client, data, segments, mss, sizes, flags):
        out = []
        for chunk in split(data, segments, sizes=sizes, mss=mss):
            if from_client:
                out.append(self._seg(True, chunk, flags, self.cseq, self.sseq))
                self.cseq = (self.cseq + len(chunk)) & 0xFFFFFFFF
            else:
                out.append(self._seg(False, chunk, flags, self.sseq, self.cseq))
                self.sseq = (self.sseq + len(chunk)) & 0xFFFFFFFF
        return out

    def send(self, data, segments=1, mss=None, sizes=None, flags='PA'):
        """Client to server: data in `segments` nearly equal segments, or
        segments of at most mss bytes, or of the given sizes."""
        return self._data(True, data, segments, mss, sizes, flags)

    def recv(self, data, segments=1, mss=None, sizes=None, flags='PA'):
        """Server to client, as send()."""
        return self._data(False, data, segments, mss, sizes, flags)

    def ack(self, from_client=True):
        """A pure ACK."""
        if from_client:
            return self._seg(True, b'', 'A', self.cseq, self.sseq)
        return self._seg(False, b'', 'A', self.sseq, self.cseq)

    def close(self):
        """FIN from the client, FIN-ACK from the server, last ACK."""
        out = [self._seg(True, b'', 'FA', self.cseq, self.sseq)]
        self.cseq = (self.cseq + 1) & 0xFFFFFFFF
        out.append(self._seg(False, b'', 'FA', self.sseq, self.cseq))
        self.sseq = (self.sseq + 1) & 0xFFFFFFFF
        out.append(self._seg(True, b'', 'A', self.cseq, self.sseq))
        return out


# --------------------------------------------------------------------------
# DNS

QTYPES = {'A': 1, 'NS': 2, 'CNAME': 5, 'SOA': 6, 'PTR': 12, 'MX': 15,
          'TXT': 16, 'AAAA': 28, 'SRV': 33, 'OPT': 41, 'HTTPS': 65}


def _labels(name):
    if isinstance(name, (bytes, bytearray)):
        name = bytes(name)
        parts = name.rstrip(b'.').split(b'.') if name.strip(b'.') else []
        return parts
    name = name.rstrip('.')
    return [p.encode('ascii') for p in name.split('.')] if name else []


def dns_name(name):
    """A name in wire format, without compression."""
    out = b''
    for lab in _labels(name):
        out += bytes([len(lab)]) + lab
    return out + b'\0'


class DnsBuilder:
    """Writes a DNS message, compressing names the way servers do: each
    name's longest suffix already written (case-insensitively) is replaced
    by a pointer to it.

        b = DnsBuilder(qid=0x1234, flags=0x8180)
        b.question('www.example.com', 'A')
        b.answer('www.example.com', 'CNAME', 'e1.cdn.net')
        b.answer('e1.cdn.net', 'A', '192.0.2.1')
        msg = b.build()
    """

    def __init__(self, qid=0x1234, flags=0x0100, compress=True):
        self.qid, self.flags, self.compress = qid, flags, compress
        self.sections = [[], [], [], []]  # question, answer, authority, additional
        self.buf = bytearray(12)
        self.suffixes = {}

    def name(self, name):
        """Append name, compressed; returns its offset."""
        start = len(self.buf)
        labels = _labels(name)
        for i in range(len(labels)):
            key = tuple(l.lower() for l in labels[i:])
            if self.compress and key in self.suffixes:
                self.buf += struct.pack('!H', 0xC000 | self.suffixes[key])
                return start
            if len(self.buf) < 0x3FFF:
                self.suffixes.setdefault(key, len(self.buf))
            self.buf += bytes([len(labels[i])]) + labels[i]
        self.buf += b'\0'
        return start

    def question(self, name, qtype='A', qclass=1):
        self.name(name)
        self.buf += struct.pack('!HH', QTYPES.get(qtype, qtype), qclass)
        self.sections[0].append(name)

    def _rr(self, section, owner, rtype, value, ttl, rclass=1):
        t = QTYPES.get(rtype, rtype)
        if owner is None:
            self.buf += b'\0'                 # the root (OPT)
        else:
            self.name(owner)
        self.buf += struct.pack('!HHI', t, rclass, ttl)
        at = len(self.buf)
        self.buf += b'\0\0'
        if t == 1:
            self.buf += ipaddress.IPv4Address(value).packed
        elif t == 28:
            self.buf += ipaddress.IPv6Address(value).packed
        elif t in (2, 5, 12):
            self.name(value)
        elif isinstance(value, (bytes, bytearray)):
            self.buf += value
        elif t == 16:
            v = value.encode()
            self.buf += bytes([len(v)]) + v
        else:
            raise ValueError('give the rdata of type %r as bytes' % (rtype,))
        struct.pack_into('!H', self.buf, at, len(self.buf) - at - 2)
        self.sections[section].append(owner)

    def answer(self, owner, rtype, value, ttl=300):
        self._rr(1, owner, rtype, value, ttl)

    def authority(self, owner, rtype, value, ttl=300):
        self._rr(2, owner, rtype, value, ttl)

    def additional(self, owner, rtype, value, ttl=300):
        self._rr(3, owner, rtype, value, ttl)

    def edns(self, udp_size=1232):
        """An OPT record in the additional section."""
        self._rr(3, None, 'OPT', b'', 0, rclass=udp_size)

    def build(self, counts=None):
        """The message; counts overrides (qd, an, ns, ar)."""
        c = counts or tuple(len(s) for s in self.sections)
        struct.pack_into('!HHHHHH', self.buf, 0, self.qid, self.flags, *c)
        return bytes(self.buf)


def _auto_qid(name):
    h = 0x811C
    for ch in str(name).encode():
        h = ((h * 31) + ch) & 0xFFFF
    return h


def dns_query(name, qtype='A', qid=None, rd=True, edns=False):
    """A DNS query for name (qtype 'A', 'AAAA', 'HTTPS' or a number)."""
    b = DnsBuilder(qid if qid is not None else _auto_qid(name),
                   0x0100 if rd else 0)
    b.question(name, qtype)
    if edns:
        b.edns()
    return b.build()


def _answer_list(name, answers):
    """Normalise answers into (owner, type, value) triples: a triple is
    kept; a (type, value) pair is owned by the current name of the chain
    (a CNAME moves it to its target); a bare address is an A or AAAA."""
    out, cur = [], name
    for a in answers:
        if isinstance(a, str):
            t = 'AAAA' if ':' in a else 'A'
            out.append((cur, t, a))
        elif len(a) == 3:
            out.append(tuple(a))
            if a[1] == 'CNAME':
                cur = a[2]
        else:
            t, v = a
            out.append((cur, t, v))
            if t == 'CNAME':
                cur = v
    return out


def dns_response(name, answers=(), qtype=None, qid=None, rcode=0, ttl=300,
                 compress=True, edns=False, authority=()):
    """A DNS response to a query for name.

    answers: a list of addresses ('192.0.2.1' is an A record,
    '2001:db8::1' an AAAA), (type, value) pairs following the chain from
    the question (('CNAME', 'x.cdn.net'), ('A', '192.0.2.1')), or explicit
    (owner, type, value) triples.  qtype defaults to AAAA when the answers
    hold AAAA records and no A, else A.  compress=False writes every name
    in full.  authority: (owner, type, value) triples."""
    ans = _answer_list(name, answers)
    if qtype is None:
        types = {t for _, t, _ in ans}
        qtype = 'AAAA' if 'AAAA' in types and 'A' not in types else 'A'
    b = DnsBuilder(qid if qid is not None else _auto_qid(name),
                   0x8180 | (rcode & 0xF), compress)
    b.question(name, qtype)
    for owner, t, v in ans:
        b.answer(owner, t, v, ttl)
    for owner, t, v in authority:
        b.authority(owner, t, v, ttl)
    if edns:
        b.edns()
    return b.build()


def dns_malformed(kind, name='example.com', qid=0xbad0, label_len=64,
                  cut=None):
    """A deliberately malformed DNS response, for decoders' robustness:

    'loop'       the question's name is "a" then a pointer back to its own
                 start: a loop through a backward pointer;
    'self'       the question's name is a pointer to itself;
    'mutual'     two pointers pointing at each other (the first forward);
    'forward'    the question's name is a pointer to a name further on,
                 in the answer;
    'beyond'     a pointer past the end of the message;
    'long_label' a label whose length byte is label_len (64 by default,
                 more than 63: 01xxxxxx/10xxxxxx are not lengths);
    'long_name'  a name of more than 255 bytes made of valid labels;
    'truncated'  a response with a CNAME and an A record cut in the middle
                 of the answer's name (or after cut bytes);
    'counts'     the header announces 3 questions and 2 answers, holds one
                 question.
    """
    q = dns_name(name) + struct.pack('!HH', 1, 1)
    hdr = lambda qd, an: struct.pack('!HHHHHH', qid, 0x8180, qd, an, 0, 0)
    if kind == 'loop':
        return hdr(1, 0) + b'\x01a\xc0\x0c' + struct.pack('!HH', 1, 1)
    if kind == 'self':
        return hdr(1, 0) + b'\xc0\x0c' + struct.pack('!HH', 1, 1)
    if kind == 'mutual':
        # offset 12: pointer to 18 (forward); offset 18: pointer to 12.
        return (hdr(1, 1) + b'\xc0\x12' + struct.pack('!HH', 1, 1)
                + b'\xc0\x0c' + struct.pack('!HHIH', 1, 1, 60, 4)
                + b'\xc0\x00\x02\x01')
    if kind == 'forward':
        # The question points at the answer's owner, written in full after.
        at = 12 + 2 + 4
        return (hdr(1, 1) + struct.pack('!H', 0xC000 | at)
                + struct.pack('!HH', 1, 1) + dns_name(name)
                + struct.pack('!HHIH', 1, 1, 60, 4) + b'\xc0\x00\x02\x01')
    if kind == 'beyond':
        return hdr(1, 0) + b'\x03www\xc1\x00' + struct.pack('!HH', 1, 1)
    if kind == 'long_label':
        return (hdr(1, 0) + bytes([label_len]) + b'x' * (label_len & 0x3F)
                + dns_name(name) + struct.pack('!HH', 1, 1))
    if kind == 'long_name':
        long = '.'.join(['a' * 63] * 4) + '.' + name   # > 255 bytes
        return hdr(1, 0) + dns_name(long) + struct.pack('!HH', 1, 1)
    if kind == 'truncated':
        full = dns_response(name, [('CNAME', 'edge.' + name + '.cdn.example'),
                                   '192.0.2.7'], qid=qid,
                            compress=False)
        if cut is None:
            cut = 12 + len(q) + 2 + 12 + 5   # inside the CNAME's target
        return full[:cut]
    if kind == 'counts':
        return hdr(3, 2) + q
    raise ValueError('unknown malformation %r' % (kind,))


def dns_frame(msg, src=CLIENT4, dst=RESOLVER4, sport=None, dport=53,
              tcp=False, linktype=LINKTYPE_ETHERNET, reverse=False, seq=1,
              ack=1, **kw):
    """A frame carrying the DNS message msg: over UDP, or with tcp=True as
    one TCP segment holding the 2-byte length prefix and the message."""
    if sport is None:
        sport = 30000 + (_auto_qid(msg[:32]) % 30000)
    if tcp:
        return tcp_frame(struct.pack('!H', len(msg)) + msg, src, dst, sport,
                         dport, seq=seq, ack=ack, linktype=linktype,
                         reverse=reverse, **kw)
    return udp_frame(msg, src, dst, sport, dport, linktype=linktype,
                     reverse=reverse, **kw)


def dns_query_frame(name, src=CLIENT4, dst=RESOLVER4, qtype='A', qid=None,
                    sport=None, dport=53, tcp=False, edns=False,
                    linktype=LINKTYPE_ETHERNET, **kw):
    """A frame with a DNS query for name, from src to dst (UDP unless
    tcp=True).  kw: link and IP options."""
    qid = qid if qid is not None else _auto_qid(name)
    if sport is None:
        sport = 30000 + qid % 30000
    return dns_frame(dns_query(name, qtype, qid, edns=edns), src, dst, sport,
                     dport, tcp, linktype, **kw)


def dns_response_frame(name, answers=(), src=RESOLVER4, dst=CLIENT4,
                       qtype=None, qid=None, sport=53, dport=None, tcp=False,
                       compress=True, edns=False, rcode=0, ttl=300,
                       linktype=LINKTYPE_ETHERNET, **kw):
    """A frame with a DNS response for name (see dns_response() for
    answers), from the resolver src to the client dst.  dport defaults to
    the source port dns_query_frame() picks for the same name."""
    qid = qid if qid is not None else _auto_qid(name)
    if dport is None:
        dport = 30000 + qid % 30000
    msg = dns_response(name, answers, qtype, qid, rcode, ttl, compress, edns)
    return dns_frame(msg, src, dst, sport, dport, tcp, linktype,
                     reverse=True, **kw)


# --------------------------------------------------------------------------
# TLS

_CIPHERS = (0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
            0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035)
_SIGALGS = (0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601)
GROUP_X25519 = 0x001d
GROUP_X25519MLKEM768 = 0x11ec   # Chrome's post-quantum hybrid, 1216 bytes


def _ext(t, body):
    return struct.pack('!HH', t, len(body)) + body


def _vec8(b):
    return bytes([len(b)]) + b


def _vec16(b):
    return struct.pack('!H', len(b)) + b


def _fill(n, seed):
    """n pseudo-random looking bytes, deterministic."""
    out = bytearray()
    x = (seed * 2654435761 + 12345) & 0xFFFFFFFF
    while len(out) < n:
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        out += struct.pack('!I', x)
    return bytes(out[:n])


def tls_client_hello(sni, version='1.3', pq=False, pad_to=None, alpn=(
        'h2', 'http/1.1'), grease=True, seed=1, extra_extensions=()):
    """A ClientHello handshake message (4-byte handshake header included)
    in the manner of a recent Chrome or Android client.

    sni: the server name (str or bytes), or None for no server_name
    extension.  version '1.3' adds supported_versions, key_share and
    psk_key_exchange_modes; '1.2' does not.  pq=True adds an
    X25519MLKEM768 key share of 1216 bytes, as Chrome does (the message
    then weighs about 1.8 KB and spans two TCP segments).  pad_to: a
    padding extension makes the message at least that many bytes.
    extra_extensions: (type, body) pairs appended.  Extensions are in
    this order: GREASE, supported_groups, ec_point_formats, server_name,
    ... so a decoder has to walk them."""
    exts = []
    if grease:
        exts.append(_ext(0x0a0a, b''))
    groups = ([0x2a2a] if grease else []) + (
        [GROUP_X25519MLKEM768] if pq else []) + [GROUP_X25519, 0x0017, 0x0018]
    exts.append(_ext(0x000a, _vec16(b''.join(struct.pack('!H', g)
                                             for g in groups))))
    exts.append(_ext(0x000b, _vec8(b'\x00')))
    if sni is not None:
        host = sni if isinstance(sni, (bytes, bytearray)) else sni.encode()
        entry = b'\x00' + _vec16(bytes(host))
        exts.append(_ext(0x0000, _vec16(entry)))
    exts.append(_ext(0x0017, b''))                       # extended_master_secret
    exts.append(_ext(0xff01, b'\x00'))                   # renegotiation_info
    exts.append(_ext(0x0023, b''))                       # session_ticket
    if alpn:
        exts.append(_ext(0x0010, _vec16(b''.join(_vec8(p.encode())
                                                 for p in alpn))))
    exts.append(_ext(0x0005, b'\x01\x00\x00\x00\x00'))   # status_request
    exts.append(_ext(0x000d, _vec16(b''.join(struct.pack('!H', s)
                                             for s in _SIGALGS))))
    if version == '1.3':
        shares = b''
        if grease:
            shares += struct.pack('!HH', 0x2a2a, 1) + b'\0'
        if pq:
            shares += struct.pack('!HH', GROUP_X25519MLKEM768, 1216) + _fill(
                1216, seed + 7)
        shares += struct.pack('!HH', GROUP_X25519, 32) + _fill(32, seed + 3)
        exts.append(_ext(0x0033, _vec16(shares)))        # key_share
        exts.append(_ext(0x002d, _vec8(b'\x01')))        # psk_key_exchange_modes
        exts.append(_ext(0x002b, _vec8(
            (b'\x4a\x4a' if grease else b'') + b'\x03\x04\x03\x03')))
    for t, body in extra_extensions:
        exts.append(_ext(t, bytes(body)))
    if grease:
        exts.append(_ext(0x1a1a, b'\x00'))

    def body_of(exts):
        ciphers = ([0x3a3a] if grease else []) + list(_CIPHERS)
        return (b'\x03\x03' + _fill(32, seed) + _vec8(_fill(32, seed + 1))
                + _vec16(b''.join(struct.pack('!H', c) for c in ciphers))
                + b'\x01\x00' + _vec16(b''.join(exts)))

    body = body_of(exts)
    if pad_to is not None:
        need = pad_to - (4 + len(body))
        if need > 0:
            exts.append(_ext(0x0015, b'\0' * max(0, need - 4)))
            body = body_of(exts)
    return b'\x01' + struct.pack('!I', len(body))[1:] + body


def tls_records(handshake, records=1, sizes=None, content_type=0x16,
                version=0x0301):
    """handshake bytes in TLS records: split over `records` records of
    nearly equal size, or records of the given sizes."""
    parts = split(handshake, records, sizes=sizes)
    return b''.join(struct.pack('!BHH', content_type, version, len(p)) + p
                    for p in parts)


def tls_server_hello(version='1.3', cipher=0x1301, seed=1):
    """A ServerHello handshake message (header included): for '1.3', with
    supported_versions and an X25519 key share; for '1.2', with
    extended_master_secret and renegotiation_info."""
    if version == '1.3':
        exts = (_ext(0x002b, b'\x03\x04')
                + _ext(0x0033, struct.pack('!HH', GROUP_X25519, 32)
                       + _fill(32, seed + 11)))
    else:
        exts = _ext(0x0017, b'') + _ext(0xff01, b'\x00')
    body = (b'\x03\x03' + _fill(32, seed + 5) + _vec8(_fill(32, seed + 1))
            + struct.pack('!H', cipher) + b'\x00' + _vec16(exts))
    return b'\x02' + struct.pack('!I', len(body))[1:] + body


def tls_server_flight(version='1.3', app_data=1024, seed=1):
    """The bytes a server sends after a ClientHello, in TLS records: for
    '1.3', a ServerHello, a ChangeCipherSpec and app_data bytes of an
    encrypted record (what follows the ServerHello is encrypted); for
    '1.2', a ServerHello and a ServerHelloDone (no certificate)."""
    out = tls_records(tls_server_hello(version, seed=seed), version=0x0303)
    if version == '1.3':
        out += b'\x14\x03\x03\x00\x01\x01'
        if app_data:
            out += struct.pack('!BHH', 0x17, 0x0303, app_data) + _fill(
                app_data, seed + 13)
    else:
        out += tls_records(b'\x0e\x00\x00\x00', version=0x0303)
    return out


def tls_client_hello_frames(sni, src=CLIENT4, dst=SERVER4, sport=51000,
                            dport=443, segments=1, records=1, mss=None,
                            sizes=None, record_sizes=None, pad_to=None,
                            pq=False, version='1.3', handshake=False,
                            linktype=LINKTYPE_ETHERNET, flow=None, **kw):
    """The frames of a TLS ClientHello for sni sent from src to dst.

    segments: over how many TCP segments (nearly equal) the bytes go; or
    mss: segments of at most mss bytes; or sizes: explicit segment sizes.
    records: over how many TLS records the handshake message is split (or
    record_sizes).  pad_to, pq, version: see tls_client_hello().
    handshake=True puts SYN, SYN-ACK, ACK first.  flow: an existing
    TcpFlow to send on (then src, dst, ports and kw are its own).
    kw: link and IP options."""
    hello = tls_client_hello(sni, version=version, pq=pq, pad_to=pad_to,
                             seed=flow.sport if flow is not None else sport)
    data = tls_records(hello, records, sizes=record_sizes)
    if flow is None:
        flow = TcpFlow(src, dst, sport, dport, linktype=linktype,
                       isn_client=(sport * 7919) & 0xFFFFFFFF, **kw)
    out = flow.open() if handshake else []
    return out + flow.send(data, segments=segments, mss=mss, sizes=sizes)


# --------------------------------------------------------------------------
# HTTP

def http_get(host, path='/', port=None, headers=(), user_agent=(
        'Dalvik/2.1.0 (Linux; U; Android 13; Pixel 6 Build/TQ3A.230901.001)')):
    """An HTTP/1.1 GET request with a Host header ("host" or "host:port").
    host may be bytes for odd values; headers: extra (name, value) pairs."""
    if isinstance(host, str):
        host = host.encode()
    if port is not None:
        host += b':%d' % port
    lines = [b'GET ' + path.encode() + b' HTTP/1.1', b'Host: ' + host,
             b'User-Agent: ' + user_agent.encode(),
             b'Accept-Encoding: gzip', b'Connection: Keep-Alive']
    for k, v in headers:
        lines.append(k.encode() + b': ' + v.encode())
    return b'\r\n'.join(lines) + b'\r\n\r\n'


def http_get_frames(host, path='/', port=None, src=CLIENT4, dst=SERVER4,
                    sport=52000, dport=80, segments=1, handshake=False,
                    linktype=LINKTYPE_ETHERNET, flow=None, **kw):
    """The frames of an HTTP GET (see http_get()) over TCP from src to
    dst:dport, in `segments` segments, after a handshake if asked."""
    if flow is None:
        flow = TcpFlow(src, dst, sport, dport, linktype=linktype,
                       isn_client=(sport * 104729) & 0xFFFFFFFF, **kw)
    out = flow.open() if handshake else []
    return out + flow.send(http_get(host, path, port), segments=segments)


def http_get_frame(host, path='/', port=None, src=CLIENT4, dst=SERVER4,
                   sport=52000, dport=80, linktype=LINKTYPE_ETHERNET, **kw):
    """One frame holding an HTTP GET for host (port: the Host header's
    port, not the TCP port, which is dport)."""
    return http_get_frames(host, path, port, src, dst, sport, dport, 1,
                           False, linktype, **kw)[0]


# --------------------------------------------------------------------------
# Capture files

class Capture:
    """Frames with timestamps, written as pcap or pcapng.

        cap = Capture(LINKTYPE_ETHERNET)
        cap.add(frame)                 # time: previous + step
        cap.add(frame, ts=1700000000.25)
        cap.write_pcap('a.pcap')       # microseconds, little-endian
        cap.write_pcap('a.pcap', nano=True)
        cap.write_pcapng('a.pcapng')
        cap.write_pcap('cut.pcap', truncate=10)   # the last 10 bytes gone

    Timestamps are seconds (int or float, kept to the microsecond) or, with
    ts_ns=, integer nanoseconds.  Frames longer than snaplen are cut, their
    original length kept.  A frame may have its own link type (pcapng
    then writes one interface per link type; pcap refuses)."""

    def __init__(self, linktype=LINKTYPE_ETHERNET, snaplen=262144,
                 start=1767225600.0, step=0.001):
        self.linktype = linktype
        self.snaplen = snaplen
        self.step_ns = int(round(step * 1e9))
        self.next_ns = self._ns(start)
        self.packets = []      # (ts_ns, linktype, data, orig_len)

    @staticmethod
    def _ns(ts):
        if isinstance(ts, int):
            return ts * 1000000000
        return int(round(ts * 1e6)) * 1000

    def add(self, frame, ts=None, ts_ns=None, linktype=None, orig_len=None):
        """Add one frame; returns its timestamp in nanoseconds."""
        ns = ts_ns if ts_ns is not None else (
            self._ns(ts) if ts is not None else self.next_ns)
        data = bytes(frame)
        olen = orig_len if orig_len is not None else len(data)
        if len(data) > self.snaplen:
            data = data[:self.snaplen]
        self.packets.append((ns, linktype if linktype is not None
                             else self.linktype, data, olen))
        self.next_ns = ns + self.step_ns
        return ns

    def extend(self, frames, ts=None, **kw):
        """Add frames; the first at ts (or the next time), then step by
        step."""
        for i, f in enumerate(frames):
            self.add(f, ts=ts if i == 0 else None, **kw)

    def __len__(self):
        return len(self.packets)

    # classic pcap

    def pcap_bytes(self, nano=False, big_endian=False, version=(2, 4)):
        """The capture as a classic pcap file: microsecond magic
        0xa1b2c3d4 or, with nano=True, nanosecond magic 0xa1b23c4d;
        little-endian unless big_endian."""
        lts = {lt for _, lt, _, _ in self.packets} or {self.linktype}
        if len(lts) > 1:
            raise ValueError('pcap holds one link type; use pcapng')
        e = '>' if big_endian else '<'
        magic = 0xa1b23c4d if nano else 0xa1b2c3d4
        out = [struct.pack(e + 'IHHiIII', magic, version[0], version[1], 0, 0,
                           self.snaplen, lts.pop())]
        rec = struct.Struct(e + 'IIII')
        for ns, _, data, olen in self.packets:
            sec, frac = divmod(ns, 1000000000)
            if not nano:
                frac //= 1000
            out.append(rec.pack(sec, frac, len(data), olen))
            out.append(data)
        return b''.join(out)

    # pcapng

    def pcapng_bytes(self, nano=False, big_endian=False, comment=None):
        """The capture as pcapng: a Section Header Block, an Interface
        Description Block per link type (if_tsresol 6, or 9 with nano),
        an Enhanced Packet Block per frame."""
        e = '>' if big_endian else '<'

        def block(btype, body):
            body += b'\0' * (-len(body) % 4)
            ln = 12 + len(body)
            return struct.pack(e + 'II', btype, ln) + body + struct.pack(
                e + 'I', ln)

        def opt(code, val):
            return struct.pack(e + 'HH', code, len(val)) + val + \
                b'\0' * (-len(val) % 4)

        shb_opts = opt(4, b'pcapgen (Vigie tests)')      # shb_userappl
        if comment:
            shb_opts += opt(1, comment.encode())
        shb_opts += opt(0, b'')
        out = [block(0x0A0D0D0A, struct.pack(e + 'IHHq', 0x1A2B3C4D, 1, 0, -1)
                     + shb_opts)]
        ifaces = {}
        for _, lt, _, _ in self.packets:
            if lt not in ifaces:
                ifaces[lt] = len(ifaces)
        if not ifaces:
            ifaces[self.linktype] = 0
        for lt in ifaces:
            opts = opt(9, bytes([9 if nano else 6])) + opt(0, b'')
            out.append(block(1, struct.pack(e + 'HHI', lt, 0, self.snaplen)
                             + opts))
        for ns, lt, data, olen in self.packets:
            t = ns if nano else ns // 1000
            out.append(block(6, struct.pack(e + 'IIIII', ifaces[lt], t >> 32,
                                            t & 0xFFFFFFFF, len(data), olen)
                             + data))
        return b''.join(out)

    # files

    @staticmethod
    def _write(path, data, truncate):
        if truncate:
            data = data[:max(0, len(data) - truncate)]
        with open(path, 'wb') as f:
            f.write(data)
        return len(data)

    def write_pcap(self, path, nano=False, big_endian=False, truncate=None):
        """Write a classic pcap file; truncate=N drops its last N bytes
        (a file cut in the middle of a packet).  Returns the size."""
        return self._write(path, self.pcap_bytes(nano, big_endian), truncate)

    def write_pcapng(self, path, nano=False, big_endian=False,
                     truncate=None, comment=None):
        """Write a pcapng file (see pcapng_bytes()); truncate as in
        write_pcap().  Returns the size."""
        return self._write(path, self.pcapng_bytes(nano, big_endian, comment),
                           truncate)
