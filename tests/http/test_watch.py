"""
test_watch.py — the observatory's watch, against real feeds served on
loopback by tests/watch/feed_server.py:

- watch-fetch: `vigie watch add / list / fetch` and their exit codes; one
  round over every kind of source (RSS, Atom, gzip, pages with and
  without a feed, redirects within and beyond the limit, a redirect to
  ftp, malformed XML, a feed that never ends, a slow one, 404, 500, a
  binary body): the broken ones carry their French error and no item,
  the good ones in the same round get theirs; conditional requests (the
  validators really sent, a 304 reported "inchangé"); deduplication (the
  same feed twice, the same link through two sources, items without
  guid); a new item after a change.
- watch-private: a loopback source refused without url_check_private.
- watch-timer: the server's tick fetching a source by itself.
- watch-pages: the editors' pages (see group_watch_pages).
"""
import os
import sqlite3
import sys
import time

from harness import (PASSWORD, Server, check_security, error_json,
                     french_text, parse_tags)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "watch"))
import feed_server  # noqa: E402

EDITOR = "veille@vigie.test"
ADMIN = "admin-veille@vigie.test"
ANALYST = "analyste-veille@vigie.test"
PRO = "pro-veille@vigie.test"
CONF = {"url_check_private": "true", "watch_timeout": "3"}


def db_rows(srv, sql, *args):
    con = sqlite3.connect(os.path.join(srv.data, "vigie.db"))
    try:
        rows = con.execute(sql, args).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def add(srv, url, name, *extra):
    return srv.cli("watch", "add", url, "--name", name, "--data", srv.data,
                   *extra)


def source_state(srv, name):
    rows = db_rows(srv, "SELECT id, kind, etag, last_modified, last_fetch, "
                   "last_ok, error, failures, feed_url FROM watch_sources "
                   "WHERE name = ?", name)
    if not rows:
        return None
    keys = ("id", "kind", "etag", "last_modified", "last_fetch", "last_ok",
            "error", "failures", "feed_url")
    return dict(zip(keys, rows[0]))


def items_of(srv, name):
    return db_rows(srv, "SELECT i.title, i.link, i.key FROM watch_items i "
                   "JOIN watch_sources s ON s.id = i.source_id "
                   "WHERE s.name = ? ORDER BY i.id", name)


def output_line(out, name):
    for line in out.splitlines():
        if line.startswith(name + " : "):
            return line[len(name) + 3:]
    return None


GOOD = [("rss", "/rss.xml", 3, "rss"), ("atom", "/atom.xml", 2, "atom"),
        ("gzip", "/gzip.xml", 1, "rss"), ("page", "/page.html", 1, "page"),
        ("page-feed", "/page-feed.html", 1, "page"),
        ("chaine-5", "/chain/5", 1, "rss"),
        ("sans-guid", "/noguid.xml", 2, "rss")]
BAD = [("chaine-6", "/chain/6", "trop de redirections"),
       ("vers-ftp", "/to-ftp", "ni http ni https"),
       ("mal-forme", "/malformed.xml", "mal formé"),
       ("sans-fin", "/endless.xml", "dépasse la taille"),
       ("lent", "/slow.xml", "trop lentement"),
       ("absent", "/status/404", "HTTP 404"),
       ("en-panne", "/status/500", "HTTP 500"),
       ("binaire", "/binary", "ni un flux")]


def group_watch_fetch(binary, t):
    srv = Server(binary, "watch-fetch", conf=CONF)
    feeds = feed_server.FeedServer().start()
    try:
        cli_usage(srv, t)
        for name, path, _, _ in GOOD:
            r = add(srv, feeds.url(path), name, "--lang", "fr",
                    "--themes", "harcelement")
            t.eq(r.returncode, 0, "watch add %s exits 0" % name, r.stderr)
        for name, path, _ in BAD:
            r = add(srv, feeds.url(path), name, "--lang", "en")
            t.eq(r.returncode, 0, "watch add %s exits 0" % name, r.stderr)
        one_round(srv, t, feeds)
        conditional(srv, t, feeds)
        dedup(srv, t, feeds)
        cli_list(srv, t)
    finally:
        feeds.stop()
        srv.cleanup()


def cli_usage(srv, t):
    r = srv.cli("watch", "--data", srv.data)
    t.eq(r.returncode, 2, "watch without a command exits 2")
    t.ok(r.stderr.count("\n") == 1 and "fetch" in r.stderr,
         "watch without a command: one French line naming the commands",
         r.stderr)
    r = srv.cli("watch", "relever", "--data", srv.data)
    t.eq(r.returncode, 2, "an unknown command exits 2")
    t.ok("commande inconnue" in r.stderr, "unknown command said so",
         r.stderr)
    r = srv.cli("watch", "fetch", "--source", "abc", "--data", srv.data)
    t.eq(r.returncode, 2, "fetch --source abc exits 2")
    t.ok("« abc »" in r.stderr, "the bad id is named", r.stderr)
    r = srv.cli("watch", "fetch", "--bogus", "--data", srv.data)
    t.eq(r.returncode, 2, "fetch --bogus exits 2")
    r = srv.cli("watch", "fetch", "--source", "999", "--data", srv.data)
    t.eq(r.returncode, 1, "fetch of a missing source exits 1")
    t.ok("aucune source n° 999" in r.stderr, "the missing source is named",
         r.stderr)
    r = srv.cli("watch", "fetch", "--data", srv.data)
    t.eq(r.returncode, 0, "fetch with no source exits 0", r.stderr)
    for args, why, what in [
            (["ftp://exemple.fr/flux", "--name", "x"], "http:// et https://",
             "an ftp address"),
            (["exemple.fr/flux", "--name", "x"], "pas valide",
             "an address without scheme"),
            (["https://exemple.fr/flux", "--name", ""], "nom",
             "an empty name"),
            (["https://exemple.fr/flux", "--name", "x", "--lang", "de"],
             "langue", "German"),
            (["https://exemple.fr/flux", "--name", "x", "--themes",
              "harcelement,inconnu"], "thème", "an unknown theme"),
            (["https://exemple.fr/flux", "--name", "n" * 201], "200",
             "a 201-character name")]:
        r = srv.cli("watch", "add", *args, "--data", srv.data)
        t.eq(r.returncode, 2, "watch add with %s exits 2" % what)
        t.ok(why in r.stderr and r.stderr.count("\n") == 1,
             "watch add with %s: one French line about it" % what, r.stderr)
    t.eq(db_rows(srv, "SELECT count(*) FROM watch_sources")[0][0], 0,
         "no source written by the refused additions")
    r = add(srv, "HTTPS://Exemple.FR:443/flux#x", "dup")
    t.eq(r.returncode, 0, "a source added", r.stderr)
    r = add(srv, "https://exemple.fr/flux", "dup 2")
    t.eq(r.returncode, 2, "the same address (canonical) refused: exit 2")
    t.ok("déjà suivie" in r.stderr, "duplicate said in French", r.stderr)
    sid = db_rows(srv, "SELECT id, url FROM watch_sources")
    t.eq(sid[0][1], "https://exemple.fr/flux",
         "the address is kept canonical")
    # Removed again: the rounds below are about the loopback sources.
    db_rows(srv, "DELETE FROM watch_sources")


def one_round(srv, t, feeds):
    t0 = time.monotonic()
    r = srv.cli("watch", "fetch", "--data", srv.data, timeout=120)
    took = time.monotonic() - t0
    t.eq(r.returncode, 1, "a round with broken sources exits 1",
         r.stdout, r.stderr)
    t.ok(took < 40, "the round ends in bounded time (%.1f s)" % took)
    for name, _, n, kind in GOOD:
        line = output_line(r.stdout, name)
        want = "%d nouveau%s" % (n, "x" if n > 1 else "")
        t.eq(line, want, "%s: %s" % (name, want), r.stdout)
        st = source_state(srv, name)
        t.eq(st["kind"], kind, "%s recorded as %s" % (name, kind))
        t.ok(st["error"] is None and st["failures"] == 0 and st["last_ok"],
             "%s: no error, a last success" % name, st)
        t.eq(len(items_of(srv, name)), n, "%s: %d items kept" % (name, n))
    for name, _, why in BAD:
        line = output_line(r.stdout, name) or ""
        t.ok(line.startswith("erreur : ") and why in line,
             "%s: the error says « %s »" % (name, why), line)
        st = source_state(srv, name)
        t.ok(st["error"] and why in st["error"] and st["failures"] == 1 and
             st["last_ok"] is None and st["kind"] is None,
             "%s: French error stored, one failure, never read" % name, st)
        t.eq(items_of(srv, name), [], "%s: no item" % name)
    t.ok("cette page annonce un flux : %s" % feeds.url("/atom.xml")
         in r.stdout, "the announced feed is suggested", r.stdout)
    t.eq(source_state(srv, "page-feed")["feed_url"], feeds.url("/atom.xml"),
         "the announced feed is stored on the source")
    t.eq(source_state(srv, "page")["feed_url"], None,
         "a page without feed suggests nothing")
    page = items_of(srv, "page")
    t.eq(page[0][0], "Observatoire régional des violences numériques",
         "a page gives its title as the item")
    t.eq(page[0][1], feeds.url("/page.html"), "and its address as link")
    t.ok(len(feeds.requests_to("/endless.xml")) >= 1,
         "the endless feed was requested")
    ua = feeds.requests_to("/rss.xml")[0].get("user-agent", "")
    t.ok("Vigie" in ua, "the User-Agent names Vigie", ua)
    t.ok("gzip" in feeds.requests_to("/rss.xml")[0].get("accept-encoding",
                                                         ""),
         "compressed encodings are accepted")
    t.ok(all("cookie" not in h for _, h in feeds.requests),
         "no cookie is ever sent")
    # Every failure is counted in a row.
    r = srv.cli("watch", "fetch", "--source",
                str(source_state(srv, "absent")["id"]), "--data", srv.data)
    t.eq(r.returncode, 1, "fetching a broken source alone exits 1")
    t.eq(source_state(srv, "absent")["failures"], 2,
         "failures counted in a row")


def conditional(srv, t, feeds):
    rss = source_state(srv, "rss")
    t.eq(rss["etag"], feed_server.RSS_ETAG, "the ETag is stored")
    t.eq(rss["last_modified"], feed_server.RSS_LAST_MODIFIED,
         "the Last-Modified is stored")
    before = len(feeds.requests_to("/rss.xml"))
    r = srv.cli("watch", "fetch", "--source", str(rss["id"]), "--data",
                srv.data)
    t.eq(r.returncode, 0, "fetching rss again exits 0", r.stderr)
    t.eq(r.stdout.strip(), "rss : inchangé", "a 304 is « inchangé »",
         r.stdout)
    h = feeds.requests_to("/rss.xml")[before]
    t.eq(h.get("if-none-match"), feed_server.RSS_ETAG,
         "If-None-Match was sent with the stored ETag")
    t.eq(h.get("if-modified-since"), feed_server.RSS_LAST_MODIFIED,
         "If-Modified-Since was sent with the stored date")
    atom = source_state(srv, "atom")
    r = srv.cli("watch", "fetch", "--source", str(atom["id"]), "--data",
                srv.data)
    t.eq(r.stdout.strip(), "atom : inchangé",
         "Atom: a 304 on If-Modified-Since alone", r.stdout)
    t.ok(source_state(srv, "atom")["last_ok"] >= atom["last_ok"],
         "an unchanged fetch is a success")
    t.eq(len(items_of(srv, "rss")), 3, "a 304 changes no item")
    # A change: one new item, a new ETag.
    feeds.add_rss_item("Cyberharcèlement : nouvelle campagne",
                       "http://veille.test/articles/campagne", "rss-4")
    r = srv.cli("watch", "fetch", "--source", str(rss["id"]), "--data",
                srv.data)
    t.eq(r.stdout.strip(), "rss : 1 nouveau", "a changed feed: its new item",
         r.stdout)
    t.eq(source_state(srv, "rss")["etag"], feeds.rss_etag,
         "the new ETag is stored")


def dedup(srv, t, feeds):
    sid = source_state(srv, "sans-guid")["id"]
    r = srv.cli("watch", "fetch", "--source", str(sid), "--data", srv.data)
    t.eq(r.stdout.strip(), "sans-guid : 0 nouveau",
         "a feed without validators fetched twice: nothing new", r.stdout)
    keys = [k for _, _, k in items_of(srv, "sans-guid")]
    t.ok(len(keys) == 2 and all(k.startswith("link:") for k in keys),
         "items without guid are kept by their link", keys)
    r = add(srv, feeds.url("/same-link.xml"), "reprise")
    t.eq(r.returncode, 0, "a second source added", r.stderr)
    r = srv.cli("watch", "fetch", "--source",
                str(source_state(srv, "reprise")["id"]), "--data", srv.data)
    t.eq(r.stdout.strip(), "reprise : 1 nouveau",
         "the same link through another source is not kept again", r.stdout)
    n = db_rows(srv, "SELECT count(*) FROM watch_items WHERE link = ?",
                "http://veille.test/articles/harcelement")[0][0]
    t.eq(n, 1, "one item for that link across sources")


def cli_list(srv, t):
    r = srv.cli("watch", "list", "--data", srv.data)
    t.eq(r.returncode, 0, "watch list exits 0", r.stderr)
    lines = r.stdout.splitlines()
    t.eq(len(lines), len(GOOD) + len(BAD) + 1, "one line a source", lines)
    rss = [l for l in lines if "\trss\t" in l]
    t.ok(rss and "flux RSS" in rss[0] and "4 éléments" in rss[0],
         "the RSS source's kind and item count", rss)
    bad = [l for l in lines if "\ten-panne\t" in l]
    t.ok(bad and "HTTP 500" in bad[0], "a broken source's error", bad)
    r = srv.cli("watch", "list", "extra", "--data", srv.data)
    t.eq(r.returncode, 2, "watch list with an extra argument exits 2")


def group_watch_private(binary, t):
    srv = Server(binary, "watch-private", conf={"watch_timeout": "3"})
    feeds = feed_server.FeedServer().start()
    try:
        add(srv, feeds.url("/rss.xml"), "boucle")
        add(srv, "http://localhost:%d/rss.xml" % feeds.port, "par-nom")
        add(srv, feeds.url("/chain/1"), "redirigee")
        r = srv.cli("watch", "fetch", "--data", srv.data)
        t.eq(r.returncode, 1, "loopback sources refused: exit 1", r.stdout)
        for name in ("boucle", "par-nom", "redirigee"):
            st = source_state(srv, name)
            t.ok(st["error"] and "réseau privé" in st["error"],
                 "%s: refused as a private address" % name, st)
        t.eq(feeds.requests, [], "the loopback server got no request")
        t.eq(db_rows(srv, "SELECT count(*) FROM watch_items")[0][0], 0,
             "no item kept")
    finally:
        feeds.stop()
        srv.cleanup()


def group_watch_timer(binary, t):
    conf = dict(CONF, watch_interval="10")
    srv = Server(binary, "watch-timer", conf=conf)
    feeds = feed_server.FeedServer().start()
    try:
        add(srv, feeds.url("/atom.xml"), "minuteur")
        add(srv, feeds.url("/status/500"), "minuteur-panne")
        add(srv, feeds.url("/noguid.xml"), "inactive", "--inactive")
        srv.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not items_of(srv, "minuteur"):
            time.sleep(0.5)
        t.eq(len(items_of(srv, "minuteur")), 2,
             "the server's timer fetched the source by itself")
        t.ok(source_state(srv, "minuteur-panne")["failures"] >= 1,
             "a broken source did not stop the round",
             source_state(srv, "minuteur-panne"))
        n = len(feeds.requests_to("/atom.xml"))
        time.sleep(6)
        t.eq(len(feeds.requests_to("/atom.xml")), n,
             "not fetched again before the interval")
        deadline = time.monotonic() + 15
        while (time.monotonic() < deadline and
               len(feeds.requests_to("/atom.xml")) == n):
            time.sleep(0.5)
        t.ok(len(feeds.requests_to("/atom.xml")) > n,
             "fetched again once the interval passed")
        t.eq(feeds.requests_to("/noguid.xml"), [],
             "an inactive source is never fetched")
        fails = source_state(srv, "minuteur-panne")["failures"]
        t.eq(fails, 1, "a failing source backs off: not retried after one "
             "interval")
        srv.check_stop(t)
    finally:
        feeds.stop()
        srv.cleanup()


GROUPS = [("watch-fetch", group_watch_fetch),
          ("watch-private", group_watch_private),
          ("watch-timer", group_watch_timer)]
