"""
feed_server.py — a small web server on loopback that plays every kind of
watch source, good and bad, for the HTTP tests (tests/http/test_watch.py)
and the browser test.

Python standard library only.  Run alone (`python3 feed_server.py`) it
prints its address and serves until interrupted.

Paths:
  /rss.xml          RSS 2.0, three items with guids; ETag and Last-Modified,
                    304 when either validator matches
  /atom.xml         Atom 1.0, two entries; Last-Modified only
  /noguid.xml       RSS 2.0 whose items have links but no guid; no validator
  /same-link.xml    RSS 2.0 with one item whose link is one of /rss.xml's
  /gzip.xml         RSS 2.0 sent gzip-compressed (Content-Encoding)
  /many.xml         RSS 2.0 with 45 items (more than a page of them)
  /page.html        a web page with no feed
  /page-feed.html   a web page that announces /atom.xml
  /chain/N          N redirects, then an RSS feed of its own
  /to-ftp           a redirect to ftp://
  /malformed.xml    an RSS document whose XML is broken
  /endless.xml      an RSS document that never ends
  /slow.xml         an RSS document sent a few bytes a second
  /binary           random bytes
  /status/N         an empty answer with status N (404, 500…)
Every request is recorded in .requests as (path, {header: value}).
"""
import gzip
import http.server
import os
import socketserver
import threading
import time

RSS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0"><channel><title>%s</title>'
            '<link>http://veille.test/</link>'
            '<description>Flux de test</description>\n')
RSS_TAIL = '</channel></rss>\n'


def rss_item(title, link, guid=None, summary="", date=None):
    out = "<item><title>%s</title><link>%s</link>" % (title, link)
    if guid:
        out += "<guid isPermaLink=\"false\">%s</guid>" % guid
    if summary:
        out += "<description>%s</description>" % summary
    if date:
        out += "<pubDate>%s</pubDate>" % date
    return out + "</item>\n"


RSS_ITEMS = [
    rss_item("Le harcèlement en ligne des adolescentes progresse",
             "http://veille.test/articles/harcelement", "rss-1",
             "Une étude sur les cyberviolences subies au collège.",
             "Mon, 16 Nov 2026 09:00:00 +0100"),
    rss_item("Sextorsion : les signalements doublent",
             "http://veille.test/articles/sextorsion", "rss-2",
             "Les plateformes de signalement alertent.",
             "Tue, 17 Nov 2026 10:30:00 +0100"),
    rss_item("Logiciels espions : un guide pour les associations",
             "http://veille.test/articles/stalkerware", "rss-3",
             "Repérer un traceur ou une application de surveillance.",
             "Wed, 18 Nov 2026 08:15:00 +0100"),
]

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Online safety research</title>
  <id>urn:test:atom</id>
  <updated>2026-11-20T12:00:00Z</updated>
  <link rel="alternate" href="http://research.test/"/>
  <entry>
    <title>Image-based abuse: a survey of survivors</title>
    <id>urn:test:atom:1</id>
    <link rel="alternate" href="http://research.test/image-abuse"/>
    <updated>2026-11-19T12:00:00Z</updated>
    <summary>What survivors of image-based abuse ask of platforms.</summary>
  </entry>
  <entry>
    <title>Doxxing and the law</title>
    <id>urn:test:atom:2</id>
    <link rel="alternate" href="http://research.test/doxxing"/>
    <published>2026-11-20T08:00:00Z</published>
    <summary type="html">&lt;p&gt;Personal data exposed &lt;b&gt;online&lt;/b&gt;.&lt;/p&gt;</summary>
  </entry>
</feed>
"""

NOGUID = (RSS_HEAD % "Sans guid" +
          rss_item("Cyberharcèlement : le rapport annuel",
                   "http://noguid.test/rapport") +
          rss_item("Usurpation d'identité sur les réseaux",
                   "http://noguid.test/usurpation") + RSS_TAIL)

SAME_LINK = (RSS_HEAD % "Reprise" +
             rss_item("Reprise : le harcèlement en ligne des adolescentes",
                      "http://veille.test/articles/harcelement",
                      "reprise-1") +
             rss_item("Un article propre à la reprise",
                      "http://reprise.test/propre", "reprise-2") + RSS_TAIL)

GZIP = (RSS_HEAD % "Compressé" +
        rss_item("Un flux compressé", "http://gzip.test/un", "gz-1") +
        RSS_TAIL)

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Observatoire régional des violences numériques</title>
</head><body><h1>Accueil</h1><p>Aucun flux ici.</p></body></html>
"""

PAGE_FEED = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Centre de recherche en ligne</title>
<link rel="alternate" type="application/atom+xml" href="/atom.xml">
</head><body><p>Nos publications.</p></body></html>
"""

MALFORMED = (RSS_HEAD % "Cassé" +
             "<item><title>Élément cassé</title><link>http://x.test/</lin"
             "k></item>\n<item><title>jamais fermé\n" + RSS_TAIL)

RSS_ETAG = '"rss-v1"'
RSS_LAST_MODIFIED = "Wed, 18 Nov 2026 08:15:00 GMT"
ATOM_LAST_MODIFIED = "Fri, 20 Nov 2026 12:00:00 GMT"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", ctype="application/rss+xml",
             headers=None):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def redirect(self, where):
        self.send(302, b"", "text/plain", {"Location": where})

    def do_GET(self):
        srv = self.server.owner
        path = self.path.split("?", 1)[0]
        with srv.lock:
            srv.requests.append((path, {k.lower(): v for k, v
                                        in self.headers.items()}))
        try:
            self.route(srv, path)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route(self, srv, path):
        h = self.headers
        if path == "/rss.xml":
            etag, lm = srv.rss_etag, RSS_LAST_MODIFIED
            if (h.get("If-None-Match") == etag or
                    (h.get("If-None-Match") is None and
                     h.get("If-Modified-Since") == lm)):
                return self.send(304, headers={"ETag": etag})
            body = RSS_HEAD % "Veille test" + "".join(srv.rss_items) + \
                RSS_TAIL
            return self.send(200, body, headers={"ETag": etag,
                                                 "Last-Modified": lm})
        if path == "/atom.xml":
            if h.get("If-Modified-Since") == ATOM_LAST_MODIFIED:
                return self.send(304)
            return self.send(200, ATOM, "application/atom+xml",
                             {"Last-Modified": ATOM_LAST_MODIFIED})
        if path == "/many.xml":
            return self.send(200, RSS_HEAD % "Beaucoup" + "".join(
                rss_item("Brève n° %d" % i, "http://many.test/%d" % i,
                         "many-%d" % i) for i in range(45)) + RSS_TAIL)
        if path == "/noguid.xml":
            return self.send(200, NOGUID)
        if path == "/same-link.xml":
            return self.send(200, SAME_LINK)
        if path == "/gzip.xml":
            if "gzip" not in (h.get("Accept-Encoding") or ""):
                return self.send(406, "gzip attendu", "text/plain")
            return self.send(200, gzip.compress(GZIP.encode("utf-8")),
                             headers={"Content-Encoding": "gzip"})
        if path == "/page.html":
            return self.send(200, PAGE, "text/html; charset=utf-8")
        if path == "/page-feed.html":
            return self.send(200, PAGE_FEED, "text/html; charset=utf-8")
        if path.startswith("/chain/"):
            n = int(path[7:] or "0")
            if n > 0:
                return self.redirect("/chain/%d" % (n - 1))
            return self.send(200, RSS_HEAD % "Au bout des redirections" +
                             rss_item("Arrivé au bout",
                                      "http://chain.test/bout", "chain-1") +
                             RSS_TAIL)
        if path == "/to-ftp":
            return self.redirect("ftp://127.0.0.1/flux.xml")
        if path == "/malformed.xml":
            return self.send(200, MALFORMED)
        if path == "/endless.xml":
            return self.endless(srv)
        if path == "/slow.xml":
            return self.slow(srv)
        if path == "/binary":
            return self.send(200, os.urandom(4096),
                             "application/octet-stream")
        if path.startswith("/status/"):
            return self.send(int(path[8:]), "erreur", "text/plain")
        return self.send(404, "introuvable", "text/plain")

    def endless(self, srv):
        """A feed that never ends: items, forever, without a length."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        self.wfile.write((RSS_HEAD % "Sans fin").encode())
        chunk = (rss_item("Encore", "http://sans-fin.test/x", "x") *
                 200).encode()
        sent = 0
        while not srv.stopping.is_set() and sent < (64 << 20):
            self.wfile.write(chunk)
            sent += len(chunk)

    def slow(self, srv):
        """A few bytes a second: under any sensible low-speed limit."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        body = (RSS_HEAD % "Lent" + rss_item("Lent", "http://lent.test/",
                                              "lent") + RSS_TAIL).encode()
        for i in range(0, len(body), 8):
            if srv.stopping.wait(1.0):
                return
            self.wfile.write(body[i:i + 8])
            self.wfile.flush()


class _Threaded(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FeedServer:
    """The server on 127.0.0.1, port chosen by the kernel."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.rss_items = list(RSS_ITEMS)
        self.rss_etag = RSS_ETAG
        self.stopping = threading.Event()
        self.httpd = _Threaded(("127.0.0.1", 0), Handler)
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)

    def start(self):
        self.thread.start()
        return self

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def requests_to(self, path):
        """The headers of every request to path, in order."""
        with self.lock:
            return [h for p, h in self.requests if p == path]

    def add_rss_item(self, title, link, guid):
        """A new item, and a new ETag: the next fetch gets a 200."""
        self.rss_items.insert(0, rss_item(title, link, guid))
        self.rss_etag = '"rss-v%d"' % (len(self.rss_items))

    def stop(self):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


if __name__ == "__main__":
    s = FeedServer().start()
    print("feed server on http://127.0.0.1:%d/" % s.port, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        s.stop()
