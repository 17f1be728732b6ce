#!/bin/sh
# Self-check of tests/scan/pcapgen.py against tshark: captures built with
# every builder, link type and file format are read back by tshark, which
# must decode exactly the planted DNS names, server names (SNI), HTTP
# hosts and DNS addresses, with good checksums, the planted timestamps,
# no "Malformed" on the well-formed captures, no TCP analysis warning, and
# must find the deliberately malformed DNS messages and truncated files
# broken.  Standalone (not part of make check): run it after changing
# pcapgen.py.  Prints TAP lines; exits 1 when one fails.
#   sh tests/scan/test_pcapgen_tshark.sh [-v]
set -eu
cd "$(dirname "$0")/../.."
command -v tshark >/dev/null 2>&1 || {
	echo "tshark is missing (apt-get install tshark, or make bench installs it)" >&2
	exit 1
}
exec python3 - "$@" <<'PY'
import os, subprocess, sys, tempfile
sys.path.insert(0, 'tests/scan')
import pcapgen as pg

VERBOSE = '-v' in sys.argv[1:]
tmp = tempfile.mkdtemp(prefix='pcapgen-')
n_ok = n_fail = 0


def report(ok, desc, detail=''):
    global n_ok, n_fail
    if ok:
        n_ok += 1
        print('ok %d - %s' % (n_ok + n_fail, desc))
    else:
        n_fail += 1
        print('not ok %d - %s' % (n_ok + n_fail, desc))
        for line in str(detail).splitlines()[:20]:
            print('#   ' + line)
    sys.stdout.flush()


def tshark(path, *args, check=True):
    p = subprocess.run(['tshark', '-r', path, '-o',
                        'tcp.desegment_tcp_streams:TRUE'] + list(args),
                       capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError('tshark failed on %s: %s' % (path, p.stderr))
    return p


def fields(path, *names, opts=()):
    """Rows of tshark -T fields, each a list of sets of values."""
    args = list(opts) + ['-T', 'fields']
    for n in names:
        args += ['-e', n]
    out = tshark(path, *args).stdout
    return [[set(v for v in f.split(',') if v) for f in line.split('\t')]
            for line in out.splitlines()]


def decoded(path):
    """(names, addresses) as decoded by tshark with the brief's command."""
    names, addrs = set(), set()
    for row in fields(path, 'dns.qry.name',
                      'tls.handshake.extensions_server_name', 'http.host',
                      'dns.a', 'dns.aaaa'):
        row += [set()] * (5 - len(row))
        names |= row[0] | row[1] | row[2]
        addrs |= row[3] | row[4]
    return names, addrs


def diff(want, got):
    return 'missing: %s\nunexpected: %s' % (sorted(want - got),
                                             sorted(got - want))


# --------------------------------------------------------------------------
# A scenario: every builder, in the families a link type carries.

class Scenario:
    def __init__(self, linktype, v4=True, v6=True, **link_kw):
        self.lt, self.kw = linktype, link_kw
        self.cap = pg.Capture(linktype)
        self.names, self.addrs = set(), set()
        self.port = 41000
        self.ts = []
        self.families = int(v4) + int(v6)
        if v4:
            self.family(pg.CLIENT4, pg.RESOLVER4, pg.SERVER4, '4')
        if v6:
            self.family(pg.CLIENT6, pg.RESOLVER6, pg.SERVER6, '6')

    def add(self, frames):
        if isinstance(frames, bytes):
            frames = [frames]
        for f in frames:
            # Timestamps with nanoseconds, 250.001 µs apart.
            ns = 1767225600123456789 + len(self.cap) * 250001
            self.cap.add(f, ts_ns=ns)
            self.ts.append(ns)

    def sport(self):
        self.port += 1
        return self.port

    def family(self, client, resolver, server, v):
        lt, kw = self.lt, dict(self.kw)
        ext6 = {'ext': ['hop', 'dst']} if v == '6' else {}
        # DNS over UDP: a query, then a response with a CNAME chain, A and
        # AAAA records, compressed; names in mixed case (0x20 encoding).
        q = 'media-sync-a%s.Copy9.com' % v
        self.add(pg.dns_query_frame(q, client, resolver, linktype=lt, **kw))
        cn = 'media%s.copy9.com.cdn.cloudflare.net' % v
        a4, a6 = '69.64.81.%s' % (100 + int(v)), '2001:db8:c9::%s' % v
        self.add(pg.dns_response_frame(
            q, [('CNAME', cn), a4, a6], resolver, client, edns=True,
            linktype=lt, **kw))
        self.names.add(q)
        self.addrs |= {a4, a6}
        # AAAA only, uncompressed, over an IPv6 extension header chain.
        q = 'v%s.thetruthspy.com' % v
        a6 = '2001:db8:77::%s' % v
        self.add(pg.dns_query_frame(q, client, resolver, qtype='AAAA',
                                    linktype=lt, **ext6, **kw))
        self.add(pg.dns_response_frame(q, [a6], resolver, client,
                                       compress=False, linktype=lt,
                                       **ext6, **kw))
        self.names.add(q)
        self.addrs.add(a6)
        # DNS over TCP.
        q = 'tcp%s.mspyonline.com' % v
        a4 = '198.51.100.%s' % v
        self.add(pg.dns_frame(pg.dns_query(q), client, resolver, sport=53001,
                              tcp=True, linktype=lt, **kw))
        self.add(pg.dns_frame(pg.dns_response(q, [a4]), resolver, client,
                              sport=53, dport=53001, tcp=True, linktype=lt,
                              reverse=True, **kw))
        self.names.add(q)
        self.addrs.add(a4)
        # A big response in IP fragments.
        q = 'frag%s.example.org' % v
        many = ['192.0.2.%d' % i for i in range(1, 41)]
        msg = pg.dns_response(q, many)
        seg = pg.udp(resolver, client, 53, 45000, msg)
        for pkt in pg.ip_fragments(resolver, client, 17, seg, 256):
            self.add(pg.link(pkt, lt, pkttype=0,
                             **{k: x for k, x in kw.items()
                                if k in ('vlan',)}))
        self.names.add(q)
        self.addrs |= set(many)
        # TLS ClientHellos: in one segment; Chrome-like post-quantum of
        # 1.8 KB over two MSS-sized segments after a handshake; over five
        # segments; over two records cut inside the server name; TLS 1.2.
        for sni, opts in (
                ('one%s.example.net' % v, {}),
                ('pq%s.flexispy.com' % v, {'pq': True, 'mss': 1460,
                                           'handshake': True}),
                ('five%s.example.net' % v, {'segments': 5}),
                ('records%s.hellospy.com' % v, {'records': 2,
                                               'record_sizes': [150]}),
                ('rec3%s.example.net' % v, {'records': 3, 'segments': 2}),
                ('old%s.example.net' % v, {'version': '1.2'}),
                ('pad%s.example.net' % v, {'pad_to': 517}),
        ):
            self.add(pg.tls_client_hello_frames(sni, client, server,
                                                sport=self.sport(),
                                                linktype=lt, **opts,
                                                **ext6, **kw))
            self.names.add(sni)
        # A ClientHello on an existing flow, answered and closed.
        f = pg.TcpFlow(client, server, self.sport(), 443, linktype=lt, **kw)
        self.add(f.open())
        self.add(pg.tls_client_hello_frames('flow%s.example.net' % v, flow=f,
                                            segments=2))
        self.add(f.recv(pg.tls_server_flight(seed=self.port), mss=1448))
        self.add(f.ack())
        self.add(f.close())
        self.names.add('flow%s.example.net' % v)
        # HTTP: plain, with a port in the Host header, over two segments.
        h = 'protocol%s.copy9.com' % v
        self.add(pg.http_get_frame(h, '/api?x=1', src=client, dst=server,
                                   sport=self.sport(), linktype=lt, **kw))
        self.names.add(h)
        h = 'ported%s.example.org' % v
        self.add(pg.http_get_frame(h, port=8080, src=client, dst=server,
                                   sport=self.sport(), linktype=lt, **kw))
        self.names.add(h + ':8080')         # tshark keeps the port
        h = 'split%s.example.org' % v
        self.add(pg.http_get_frames(h, src=client, dst=server,
                                    sport=self.sport(), segments=2,
                                    handshake=True, linktype=lt, **kw))
        self.names.add(h)


def check_capture(path, sc, desc, nano):
    names, addrs = decoded(path)
    report(names == sc.names, '%s: names' % (desc,), diff(sc.names, names))
    report(addrs == sc.addrs, '%s: DNS addresses' % (desc,),
           diff(sc.addrs, addrs))
    v = tshark(path, '-V').stdout
    bad = v.count('Malformed')
    report(bad == 0, '%s: no Malformed' % desc, '%d times' % bad)
    rows = fields(path, 'frame.time_epoch', 'ip.checksum.status',
                  'tcp.checksum.status', 'udp.checksum.status',
                  'tcp.analysis.flags', 'frame.protocols',
                  opts=['-o', 'ip.check_checksum:TRUE',
                        '-o', 'tcp.check_checksum:TRUE',
                        '-o', 'udp.check_checksum:TRUE'])
    sums = set()
    for r in rows:
        for s in r[1:4]:
            sums |= s
    report(sums == {'1'}, '%s: checksums good' % desc,
           'statuses %s' % sorted(sums))
    flags = [i + 1 for i, r in enumerate(rows) if r[4]]
    hs = [t for r in fields(path, 'tls.handshake.type') for t in r[0]]
    want = {'1': len([n for n in sc.names if 'example.net' in n or
                      'flexispy' in n or 'hellospy' in n]), '2': sc.families}
    got = {'1': hs.count('1'), '2': hs.count('2')}
    report(got == want, '%s: TLS ClientHellos and ServerHellos' % desc,
           'want %s, got %s' % (want, got))
    report(not flags, '%s: no TCP analysis warning' % desc,
           'frames %s' % flags)
    got = []
    for r in rows:
        s, _, f = next(iter(r[0])).partition('.')
        got.append(int(s) * 10**9 + int(f.ljust(9, '0')))
    want = [t if nano else t // 1000 * 1000 for t in sc.ts]
    report(got == want, '%s: timestamps' % desc,
           'first differing: %s' % (next(((a, b) for a, b in zip(want, got)
                                          if a != b), (len(want), len(got))),))
    return rows


LINKS = [
    ('Ethernet', pg.LINKTYPE_ETHERNET, {}, 'eth:ethertype:ip'),
    ('Ethernet 802.1Q', pg.LINKTYPE_ETHERNET, {'vlan': 42},
     'eth:ethertype:vlan:ethertype:ip'),
    ('Ethernet Q-in-Q', pg.LINKTYPE_ETHERNET, {'vlan': [100, 42]},
     'eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:ip'),
    ('Linux cooked v1', pg.LINKTYPE_LINUX_SLL, {}, 'sll:ethertype:ip'),
    ('Linux cooked v2', pg.LINKTYPE_LINUX_SLL2, {}, 'sll:ethertype:ip'),
    ('raw IP', pg.LINKTYPE_RAW, {}, 'raw:ip'),
    ('raw IPv4', pg.LINKTYPE_IPV4, {}, 'ip:'),
    ('raw IPv6', pg.LINKTYPE_IPV6, {}, 'ipv6:'),
    ('BSD loopback', pg.LINKTYPE_NULL, {}, 'null:ip'),
    ('OpenBSD loopback', pg.LINKTYPE_LOOP, {}, 'null:ip'),
]
FORMATS = [
    ('pcap', 'write_pcap', {}, False),
    ('pcapng', 'write_pcapng', {}, False),
]
MORE_FORMATS = [
    ('pcap nanoseconds', 'write_pcap', {'nano': True}, True),
    ('pcap big-endian', 'write_pcap', {'big_endian': True}, False),
    ('pcapng nanoseconds', 'write_pcapng', {'nano': True}, True),
    ('pcapng big-endian', 'write_pcapng', {'big_endian': True}, False),
]

for name, lt, kw, proto in LINKS:
    sc = Scenario(lt, v4=lt != pg.LINKTYPE_IPV6, v6=lt != pg.LINKTYPE_IPV4,
                  **kw)
    fmts = FORMATS + (MORE_FORMATS if lt == pg.LINKTYPE_ETHERNET and not kw
                      else [])
    for fname, meth, fkw, nano in fmts:
        path = os.path.join(tmp, '%d-%s.%s' % (lt, len(kw), fname.replace(
            ' ', '-')))
        getattr(sc.cap, meth)(path, **fkw)
        desc = '%s, %s' % (name, fname)
        rows = check_capture(path, sc, desc, nano)
        first = next(iter(rows[0][5]))
        report(first.startswith(proto), '%s: link layer %s' % (desc, proto),
               first)

# A pcapng with two interfaces of different link types.
cap = pg.Capture(pg.LINKTYPE_ETHERNET)
cap.add(pg.dns_query_frame('eth.copy9.com'))
cap.add(pg.dns_query_frame('sll2.copy9.com', linktype=pg.LINKTYPE_LINUX_SLL2),
        linktype=pg.LINKTYPE_LINUX_SLL2)
cap.extend(pg.tls_client_hello_frames('raw.copy9.com', linktype=pg.LINKTYPE_RAW,
                                      segments=2), linktype=pg.LINKTYPE_RAW)
path = os.path.join(tmp, 'mixed.pcapng')
cap.write_pcapng(path)
names, _ = decoded(path)
want = {'eth.copy9.com', 'sll2.copy9.com', 'raw.copy9.com'}
report(names == want, 'pcapng with three link types: names', diff(want, names))
try:
    cap.write_pcap(os.path.join(tmp, 'mixed.pcap'))
    report(False, 'pcap refuses several link types')
except ValueError:
    report(True, 'pcap refuses several link types')

# Frames cut by the snapshot length keep their original length.
cap = pg.Capture(pg.LINKTYPE_ETHERNET, snaplen=96)
frames = pg.tls_client_hello_frames('cut.example.net', pq=True)
cap.extend(frames)
path = os.path.join(tmp, 'snap.pcap')
cap.write_pcap(path)
rows = fields(path, 'frame.len', 'frame.cap_len')
want = [[{str(len(frames[0]))}, {'96'}]]
report(rows == want, 'snaplen 96: frame cut, original length kept', rows)

# Truncated files: tshark reads the packets before the cut and says so.
cap = pg.Capture(pg.LINKTYPE_ETHERNET)
cap.add(pg.dns_query_frame('before.copy9.com'))
cap.add(pg.dns_query_frame('after.copy9.com'))
for fmt, meth in (('pcap', 'write_pcap'), ('pcapng', 'write_pcapng')):
    path = os.path.join(tmp, 'truncated.' + fmt)
    full = len(getattr(cap, 'pcap_bytes' if fmt == 'pcap'
                       else 'pcapng_bytes')())
    size = getattr(cap, meth)(path, truncate=10)
    p = tshark(path, '-T', 'fields', '-e', 'dns.qry.name', check=False)
    report(size == full - 10 and os.path.getsize(path) == size,
           '%s truncated: 10 bytes fewer' % fmt)
    report('cut short' in p.stderr and p.stdout.split() == ['before.copy9.com'],
           '%s truncated: tshark reads the first packet, says cut short' % fmt,
           'stdout %r stderr %r' % (p.stdout, p.stderr))

# Malformed DNS messages: tshark must see each one broken (a forward
# pointer is legal for tshark, which follows it: the name is decoded).
EXPECT = {
    'loop': 'pointer that loops', 'self': 'pointer that loops',
    'mutual': 'pointer that loops', 'forward': 'Name: copy9.com',
    'beyond': 'Malformed', 'long_label': 'Malformed',
    'long_name': 'Name too long', 'truncated': 'Malformed',
    'counts': 'Malformed',
}
for kind, marker in EXPECT.items():
    cap = pg.Capture(pg.LINKTYPE_ETHERNET)
    cap.add(pg.dns_frame(pg.dns_malformed(kind, 'copy9.com'), pg.RESOLVER4,
                         pg.CLIENT4, sport=53, dport=40000, reverse=True))
    path = os.path.join(tmp, 'dns-%s.pcap' % kind)
    cap.write_pcap(path)
    v = tshark(path, '-V').stdout
    report(marker in v, 'malformed DNS %s: tshark says "%s"' % (kind, marker),
           v[-800:])
    if kind == 'forward':
        report(v.count('Name: copy9.com') == 2 and '\xc0' not in v,
               'malformed DNS forward: the pointer goes forward', v[-800:])
# The compression itself, as servers do it: the answer's owner points to
# the question, the CNAME target's suffix to the question's, the A
# record's owner to the CNAME target.
msg = pg.dns_response('www.example.com', [('CNAME', 'cdn.example.com'),
                                          '192.0.2.1'])
report(msg[33:35] == b'\xc0\x0c' and msg[45:51] == b'\x03cdn\xc0\x10'
       and msg[51:53] == b'\xc0\x2d',
       'DNS compression: pointers to the question and the CNAME target',
       msg.hex())
cap = pg.Capture()
cap.add(pg.dns_frame(msg, pg.RESOLVER4, pg.CLIENT4, 53, 40000, reverse=True))
path = os.path.join(tmp, 'compressed.pcap')
cap.write_pcap(path)
rows = fields(path, 'dns.qry.name', 'dns.cname', 'dns.resp.name', 'dns.a')
want = [[{'www.example.com'}, {'cdn.example.com'},
         {'www.example.com', 'cdn.example.com'}, {'192.0.2.1'}]]
report(rows == want, 'DNS compression: tshark follows the pointers', rows)

if VERBOSE:
    print('# files left in ' + tmp)
else:
    subprocess.run(['rm', '-rf', tmp])
print('# %d passed, %d failed' % (n_ok, n_fail))
sys.exit(1 if n_fail else 0)
PY
