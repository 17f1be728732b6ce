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
- watch-timer: the server's tick fetching a source by itself, again
  after the interval; a failing source backing off, an inactive one never.
- watch-stop: a server stopped in the middle of a slow fetch.
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
        # The broken source comes after it in the same round.
        while (time.monotonic() < deadline and
               source_state(srv, "minuteur-panne")["failures"] < 1):
            time.sleep(0.2)
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



def group_watch_stop(binary, t):
    """A server asked to stop in the middle of a slow fetch stops at once,
    and the source is not blamed for it."""
    conf = dict(CONF, watch_interval="10", watch_timeout="60")
    srv = Server(binary, "watch-stop", conf=conf)
    feeds = feed_server.FeedServer().start()
    try:
        add(srv, feeds.url("/slow.xml"), "lente")
        srv.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and \
                not feeds.requests_to("/slow.xml"):
            time.sleep(0.2)
        t.ok(feeds.requests_to("/slow.xml"), "the timer started the fetch")
        time.sleep(1)
        rc, err, took = srv.stop()
        t.ok(rc == 0 and took < 8, "the server stops within seconds in the "
             "middle of a fetch (%.1f s)" % took, *err.splitlines()[-5:])
        st = source_state(srv, "lente")
        t.ok(st["failures"] == 0 and st["error"] is None,
             "the interrupted source is not marked as failing", st)
        srv.check_stop(t)
    finally:
        feeds.stop()
        srv.cleanup()


# --- the editors' pages ------------------------------------------------------

def signed_in(srv, email_, json_=True):
    c = srv.client(json_=json_)
    r = c.login(email_, PASSWORD, json_=True)
    if r.status != 200:
        raise AssertionError("login %s: %s" % (email_, r.brief()))
    return c


def group_watch_pages(binary, t):
    srv = Server(binary, "watch-pages", conf=CONF)
    feeds = feed_server.FeedServer().start()
    try:
        srv.add_user(EDITOR, "editor")
        srv.add_user(ADMIN, "admin")
        srv.add_user(ANALYST, "analyst")
        srv.add_user(PRO, "professional")
        srv.start()
        ed = signed_in(srv, EDITOR)
        tok = ed.csrf("/admin/veille/sources")
        access(srv, t, feeds)
        ids = sources_pages(srv, t, ed, tok, feeds)
        fetching(srv, t, ed, tok, ids)
        listing(srv, t, ed)
        item_forms(srv, t, ed, tok)
        paging(srv, t, ed, tok, ids)
        editing(srv, t, ed, tok, ids, feeds)
        deleting(srv, t, ed, tok, ids)
        srv.check_stop(t)
    finally:
        feeds.stop()
        srv.cleanup()


PAGES = ["/admin/veille", "/admin/veille/sources"]


def access(srv, t, feeds):
    anon = srv.client()
    for path in PAGES:
        r = anon.get(path, json_=True)
        t.ok(r.status == 401 and error_json(r)[0] == "unauthenticated",
             "anonymous JSON: 401 on %s" % path, r.brief())
        r = anon.get(path)
        t.ok(r.status == 303 and r.header("location") == "/connexion",
             "anonymous HTML: sent to sign in from %s" % path, r.brief())
    for who in (PRO, ANALYST):
        c = signed_in(srv, who)
        for path in PAGES:
            r = c.get(path)
            t.eq(r.status, 403, "%s gets 403 on %s" % (who, path))
        tok = c.csrf("/compte")
        r = c.post("/admin/veille/sources", form={
            "csrf": tok, "url": feeds.url("/rss.xml"), "name": "x",
            "lang": "fr"})
        t.eq(r.status, 403, "%s cannot add a source" % who)
    adm = signed_in(srv, ADMIN)
    for path in PAGES:
        r = adm.get(path)
        t.eq(r.status, 200, "an admin reads %s" % path)
    t.eq(db_rows(srv, "SELECT count(*) FROM watch_sources")[0][0], 0,
         "nothing written by the refused requests")


def source_count(srv):
    return db_rows(srv, "SELECT count(*) FROM watch_sources")[0][0]


def sources_pages(srv, t, ed, tok, feeds):
    ids = {}
    r = ed.get("/admin/veille/sources", json_=False)
    t.eq(r.status, 200, "the sources page (HTML)")
    check_security(t, r, "the sources page")
    text = french_text(r)
    t.ok("Ajouter une source" in text and "Harcèlement" in text,
         "the add form in French with the themes")
    r = ed.post("/admin/veille/sources", form={
        "url": feeds.url("/rss.xml"), "name": "Sans jeton", "lang": "fr"})
    t.eq(r.status, 403, "adding without CSRF token: 403")
    t.eq(source_count(srv), 0, "nothing written without the token")
    r = ed.post("/admin/veille/sources", form=[
        ("csrf", tok), ("url", feeds.url("/rss.xml")), ("name", "Veille RSS"),
        ("lang", "fr"), ("themes", "harcelement"), ("themes", "mineurs")])
    t.eq(r.status, 201, "a source added (JSON): 201", r.brief())
    src = (r.json() or {}).get("source", {})
    t.ok(src.get("active") is True and src.get("kind") is None and
         [x["code"] for x in src.get("themes", [])] ==
         ["harcelement", "mineurs"], "the new source: active, never read, "
         "its themes", src)
    ids["rss"] = src.get("id")
    html_c = srv.client()
    html_c.cookies = dict(ed.cookies)
    r = html_c.post("/admin/veille/sources", form={
        "csrf": tok, "url": feeds.url("/atom.xml"), "name": "Research",
        "lang": "en", "active": "1"})
    t.ok(r.status == 303 and r.header("location") == "/admin/veille/sources",
         "a source added (HTML): back to the list (303)", r.brief())
    for path, name, lang in [("/page-feed.html", "Centre", "fr"),
                             ("/status/500", "En panne", "fr"),
                             ("/many.xml", "Beaucoup", "fr")]:
        r = ed.post("/admin/veille/sources", form={
            "csrf": tok, "url": feeds.url(path), "name": name, "lang": lang})
        t.eq(r.status, 201, "source %s added" % name, r.brief())
        ids[name] = (r.json() or {}).get("source", {}).get("id")
    ids["atom"] = db_rows(srv, "SELECT id FROM watch_sources WHERE name = "
                          "'Research'")[0][0]
    n = source_count(srv)
    for form, status, field, words, what in [
            ({"url": "pas une adresse", "name": "x", "lang": "fr"}, 400,
             "url", "pas valide", "an invalid URL"),
            ({"url": "ftp://exemple.fr/flux", "name": "x", "lang": "fr"}, 400,
             "url", "http:// et https://", "an ftp URL"),
            ({"url": "javascript:alert(1)", "name": "x", "lang": "fr"}, 400,
             "url", "http:// et https://", "a javascript: URL"),
            ({"url": feeds.url("/rss.xml#autre"), "name": "x", "lang": "fr"},
             409, "url", "déjà suivie", "a duplicate source"),
            ({"url": "https://exemple.fr/", "name": "", "lang": "fr"}, 400,
             "name", "nom", "an empty name"),
            ({"url": "https://exemple.fr/", "name": "n" * 201, "lang": "fr"},
             400, "name", "200", "a too long name"),
            ({"url": "https://exemple.fr/", "name": "x", "lang": "de"}, 400,
             "lang", "langue", "an unknown language"),
            ({"url": "https://exemple.fr/", "name": "x", "lang": "fr",
              "themes": "harcelement,inconnu"}, 400, "themes", "thème",
             "an unknown theme"),
            ({"url": "https://exemple.fr/", "name": "x", "lang": "fr",
              "active": "peut-être"}, 400, "active", "active",
             "a bad active flag")]:
        form = dict(form, csrf=tok)
        r = ed.post("/admin/veille/sources", form=form)
        code, msg, fld = error_json(r)
        t.ok(r.status == status and fld == field and words in (msg or ""),
             "%s: %d naming %s in French" % (what, status, field),
             r.brief())
    t.eq(source_count(srv), n, "no source written by the refused forms")
    r = html_c.post("/admin/veille/sources", form={
        "csrf": tok, "url": "ftp://x", "name": "Mon nom", "lang": "fr"})
    text = french_text(r)
    t.ok(r.status == 400 and "Il y a un problème" in text and
         'value="Mon nom"' in r.text and 'aria-invalid="true"' in r.text,
         "the refused HTML form comes back with its values and the field "
         "marked", r.brief())
    return ids


def fetching(srv, t, ed, tok, ids):
    r = ed.post("/admin/veille/sources/relever", form={"csrf": tok})
    t.eq(r.status, 200, "Relever toutes les sources: 200", r.brief())
    rep = {x["name"]: x for x in (r.json() or {}).get("report", [])}
    t.ok(rep.get("Veille RSS", {}).get("added") == 3 and
         rep["Veille RSS"]["status"] == "ok", "the RSS source: 3 new", rep)
    t.ok(rep.get("Research", {}).get("added") == 2, "the Atom source: 2 new",
         rep)
    t.ok(rep.get("En panne", {}).get("status") == "error" and
         "HTTP 500" in rep["En panne"].get("error", ""),
         "the broken source: its French error", rep)
    t.ok(rep.get("Centre", {}).get("feed_url", "").endswith("/atom.xml"),
         "the page's announced feed is suggested", rep)
    t.eq(rep.get("Beaucoup", {}).get("added"), 45, "45 items of the long feed")
    html_c = srv.client()
    html_c.cookies = dict(ed.cookies)
    r = html_c.post("/admin/veille/sources/%d/relever" % ids["rss"],
                    form={"csrf": tok})
    text = french_text(r)
    t.ok(r.status == 200 and "Résultat du relevé" in text and
         "inchangée depuis le dernier relevé" in text,
         "Relever maintenant one source (HTML): the page says unchanged",
         r.brief())
    r = html_c.get("/admin/veille/sources")
    text = french_text(r)
    t.ok("le serveur de la source est en erreur (HTTP 500)" in text and
         "1 échec(s) de suite" in text,
         "the list shows the last error and the failures", text[-3000:])
    t.ok("suivez-le plutôt" in text, "the list suggests the announced feed")
    r = ed.post("/admin/veille/sources/9999/relever", form={"csrf": tok})
    t.eq(r.status, 404, "fetching a missing source: 404")


def items(ed, query=""):
    r = ed.get("/admin/veille" + query, json_=True)
    return r, (r.json() or {})


def listing(srv, t, ed):
    r, j = items(ed)
    t.eq(r.status, 200, "the items (JSON)")
    check_security(t, r, "the items' JSON twin")
    t.eq(j.get("total"), 3 + 2 + 1 + 45, "every item counted", j.get("total"))
    t.eq(len(j.get("items", [])), 30, "30 items a page")
    t.ok(j.get("pages") == 2 and j.get("next_href") ==
         "/admin/veille?page=2", "two pages, a link to the next",
         j.get("next_href"))
    # Newest fetched first: the RSS items are on page 1 or 2, depending
    # on whether the sources' fetches fell in the same second.
    _, j2 = items(ed, "?page=2")
    rss = [i for i in j["items"] + j2.get("items", [])
           if i["source"] == "Veille RSS"]
    t.ok(len(rss) == 3 and all([x["code"] for x in i["themes"]] ==
                     ["harcelement", "mineurs"] for i in rss),
         "new items start with their source's themes", rss[:1])
    r, j = items(ed, "?q=harcel%C3%A9e")
    titles = [i["title"] for i in j.get("items", [])]
    t.ok(titles == ["Le harcèlement en ligne des adolescentes progresse"],
         "« harcelée » finds « harcèlement » (French stemming)", titles)
    r, j = items(ed, "?q=LOGICIELS+espions")
    t.eq([i["title"] for i in j.get("items", [])],
         ["Logiciels espions : un guide pour les associations"],
         "a two-word query, case and accents ignored")
    r, j = items(ed, "?q=%22%29+OR+*")
    t.eq(r.status, 200, "FTS operators in a query are harmless")
    r, j = items(ed, "?lang=en")
    t.eq(sorted(i["source"] for i in j.get("items", [])),
         ["Research", "Research"], "filter by language")
    r, j = items(ed, "?source=%d" % db_rows(
        srv, "SELECT id FROM watch_sources WHERE name='Centre'")[0][0])
    t.eq([i["title"] for i in j.get("items", [])],
         ["Centre de recherche en ligne"], "filter by source: the page item")
    r, j = items(ed, "?theme=mineurs&etat=nouveaux")
    t.eq(j.get("total"), 3, "filter by theme and state")
    for q, field in [("?theme=inconnu", "theme"), ("?etat=bof", "etat"),
                     ("?page=0", "page"), ("?source=abc", "source"),
                     ("?lang=de", "lang")]:
        r, j = items(ed, q)
        t.ok(r.status == 400 and error_json(r)[2] == field,
             "a bad filter %s: 400 naming %s" % (q, field), r.brief())
    r = ed.get("/admin/veille?q=harcel%C3%A9e", json_=False)
    t.eq(r.status, 200, "the items page (HTML)")
    check_security(t, r, "the items page")
    tags = parse_tags(r.text)
    links = [a for tag, a, _ in tags.tags if tag == "a" and
             a.get("href", "").startswith("http://veille.test/")]
    t.ok(links and all(a.get("rel") == "noopener noreferrer" for a in links),
         "external links carry rel=noopener noreferrer", links)
    t.ok(not any(a.get("src", "").startswith("http") for _, a, _ in
                 tags.tags), "no third-party resource on the page")
    text = french_text(r)
    t.ok("Marquer comme lu" in text and "Sélectionner pour la prochaine "
         "lettre" in text and "Thèmes et note" in text,
         "the item's forms in French")


def item_id(srv, title):
    return db_rows(srv, "SELECT id FROM watch_items WHERE title = ?",
                   title)[0][0]


def item_forms(srv, t, ed, tok):
    iid = item_id(srv, "Sextorsion : les signalements doublent")
    base = "/admin/veille/%d" % iid
    r = ed.post(base + "/annotation", form=[
        ("csrf", tok), ("themes", "sextorsion"), ("themes", "mineurs"),
        ("note", "À citer : chiffres de la plateforme Pharos.")])
    it = (r.json() or {}).get("item", {})
    t.ok(r.status == 200 and [x["code"] for x in it.get("themes", [])] ==
         ["sextorsion", "mineurs"] and it.get("note").startswith("À citer")
         and it.get("read") is True, "tag and annotate (JSON): the item, "
         "read", r.brief())
    r, j = items(ed, "?q=pharos")
    t.eq([i["id"] for i in j.get("items", [])], [iid],
         "the note is searched too")
    r, j = items(ed, "?theme=sextorsion")
    t.eq([i["id"] for i in j.get("items", [])], [iid], "filter by the tag")
    before = db_rows(srv, "SELECT themes, note FROM watch_items WHERE id = ?",
                     iid)
    for form, field, words, what in [
            ([("themes", "inconnu")], "themes", "thème", "an unknown theme"),
            ([("themes", c) for c in
              ["preuves", "harcelement", "images-intimes", "sextorsion",
               "donnees-personnelles", "usurpation", "piratage",
               "surveillance", "logiciel-espion", "traceurs", "droit"]],
             "themes", "10", "eleven themes"),
            ([("note", "é" * 2001)], "note", "trop longue",
             "a 2001-character note")]:
        r = ed.post(base + "/annotation", form=[("csrf", tok)] + form)
        code, msg, fld = error_json(r)
        t.ok(r.status == 400 and fld == field and words in (msg or ""),
             "%s: 400 naming %s in French" % (what, field), r.brief())
    t.eq(db_rows(srv, "SELECT themes, note FROM watch_items WHERE id = ?",
                 iid), before, "nothing written by the refused forms")
    r = ed.post(base + "/annotation", form=[("note", "sans jeton")])
    t.eq(r.status, 403, "annotating without CSRF token: 403")
    r = ed.post("/admin/veille/99999/annotation", form={"csrf": tok,
                                                         "note": "x"})
    t.eq(r.status, 404, "annotating a missing item: 404")
    # Read and unread.
    r = ed.post(base + "/lu", form={"csrf": tok, "read": "0"})
    t.ok(r.status == 200 and r.json()["item"]["read"] is False,
         "marked unread", r.brief())
    r = ed.post(base + "/lu", form={"csrf": tok, "read": "2"})
    t.ok(r.status == 400 and error_json(r)[2] == "read",
         "read=2: 400", r.brief())
    html_c = srv.client()
    html_c.cookies = dict(ed.cookies)
    r = html_c.post(base + "/lu", form={"csrf": tok, "read": "1",
                                        "back": "etat=nouveaux&page=1"})
    t.ok(r.status == 303 and r.header("location") ==
         "/admin/veille?etat=nouveaux&page=1#element-%d" % iid,
         "the HTML form goes back to the same listing, at the item",
         r.brief())
    r = html_c.post(base + "/lu", form={"csrf": tok, "read": "1",
                                        "back": "//evil.test/"})
    t.eq(r.header("location"), "/admin/veille#element-%d" % iid,
         "a foreign 'back' is ignored")
    # Select, then unselect: the newsletter's selection follows.
    r = ed.post(base + "/selection", form={"csrf": tok, "selected": "1"})
    t.ok(r.status == 200 and r.json()["item"]["selected"] is True,
         "selected for the next newsletter", r.brief())
    r, j = items(ed, "?etat=selectionnes")
    t.eq([i["id"] for i in j.get("items", [])], [iid],
         "the selection lists it")
    t.eq(db_rows(srv, "SELECT count(*) FROM watch_items WHERE selected IS "
                 "NOT NULL")[0][0], 1, "what watch_selection() reads")
    r = ed.post(base + "/selection", form={"csrf": tok, "selected": "0"})
    t.ok(r.status == 200 and r.json()["item"]["selected"] is False,
         "removed from the selection", r.brief())
    r, j = items(ed, "?etat=selectionnes")
    t.eq(j.get("items"), [], "the selection is empty again")
    # A page read at once.
    r, j = items(ed, "?etat=nouveaux")
    first = [i["id"] for i in j.get("items", [])]
    r = ed.post("/admin/veille/lus", form=[("csrf", tok)] +
                [("id", str(i)) for i in first])
    t.ok(r.status == 200 and r.json().get("read") == len(first),
         "a page marked read at once", r.brief())
    r, j = items(ed, "?etat=nouveaux")
    t.ok(not set(first) & {i["id"] for i in j.get("items", [])},
         "those items are no longer new")
    r = ed.post("/admin/veille/lus", form={"csrf": tok, "id": "abc"})
    t.eq(r.status, 400, "a bad id in the page: 400")


def paging(srv, t, ed, tok, ids):
    r, j = items(ed, "?source=%d&page=2" % ids["Beaucoup"])
    t.ok(len(j.get("items", [])) == 15 and j.get("prev_href") ==
         "/admin/veille?source=%d" % ids["Beaucoup"] and
         "next_href" not in j, "the second page: 15 items, a way back",
         j.get("prev_href"))
    r, j = items(ed, "?page=9")
    t.ok(r.status == 200 and j.get("items") == [],
         "a page past the end is empty")


def editing(srv, t, ed, tok, ids, feeds):
    sid = ids["En panne"]
    r = ed.get("/admin/veille/sources/%d" % sid)
    t.ok(r.status == 200 and r.json()["values"]["name"] == "En panne",
         "the edit page's JSON twin", r.brief())
    r = ed.post("/admin/veille/sources/%d" % sid, form={
        "csrf": tok, "url": feeds.url("/status/500"), "name": "Arrêtée",
        "lang": "en", "active": "0"})
    s = (r.json() or {}).get("source", {})
    t.ok(r.status == 200 and s.get("active") is False and
         s.get("name") == "Arrêtée" and s.get("lang") == "en",
         "a source renamed and deactivated", r.brief())
    r = ed.post("/admin/veille/sources/%d" % sid, form={
        "csrf": tok, "url": feeds.url("/rss.xml"), "name": "Arrêtée",
        "lang": "en"})
    t.ok(r.status == 409 and error_json(r)[2] == "url",
         "another source's address: 409", r.brief())
    t.eq(db_rows(srv, "SELECT url FROM watch_sources WHERE id = ?", sid)[0][0],
         feeds.url("/status/500"), "the refused change wrote nothing")
    n = len(feeds.requests_to("/status/500"))
    r = ed.post("/admin/veille/sources/relever", form={"csrf": tok})
    t.eq(len(feeds.requests_to("/status/500")), n,
         "an inactive source is not fetched")
    r = ed.get("/admin/veille/sources/9999")
    t.eq(r.status, 404, "a missing source: 404")


def deleting(srv, t, ed, tok, ids):
    sid = ids["rss"]
    html_c = srv.client()
    html_c.cookies = dict(ed.cookies)
    r = html_c.get("/admin/veille/sources/%d/supprimer" % sid)
    text = french_text(r)
    t.ok(r.status == 200 and "Veille RSS" in text and "3 élément(s)" in text,
         "the confirmation page names the source and its items", r.brief())
    r = ed.post("/admin/veille/sources/%d/supprimer" % sid,
                form={"csrf": tok})
    t.ok(r.status == 400 and error_json(r)[2] == "confirm",
         "deleting without confirming: 400", r.brief())
    t.eq(db_rows(srv, "SELECT count(*) FROM watch_items WHERE source_id = ?",
                 sid)[0][0], 3, "nothing deleted without confirmation")
    r = html_c.post("/admin/veille/sources/%d/supprimer" % sid,
                    form={"csrf": tok, "confirm": "1"})
    t.ok(r.status == 303 and r.header("location") == "/admin/veille/sources",
         "deleted after confirmation (HTML: 303)", r.brief())
    t.eq(db_rows(srv, "SELECT count(*) FROM watch_items WHERE source_id = ?",
                 sid)[0][0], 0, "its items went with it")
    r, j = items(ed, "?q=harcel%C3%A9e")
    t.eq(j.get("items"), [], "the search index forgot them")
    r = ed.post("/admin/veille/sources/%d/supprimer" % sid,
                form={"csrf": tok, "confirm": "1"})
    t.eq(r.status, 404, "deleting it again: 404")


GROUPS = [("watch-fetch", group_watch_fetch),
          ("watch-private", group_watch_private),
          ("watch-timer", group_watch_timer),
          ("watch-stop", group_watch_stop),
          ("watch-pages", group_watch_pages)]
