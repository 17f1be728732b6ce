"""
test_resources.py — the resource centre: the listing and its French
full-text search (POST only), filters, audiences, the sheets' pages, the
Atom feed, and the editors' pages (create, preview, publish, edit,
versions, and what a sheet's body may not smuggle in).
"""
import html
import re
import xml.etree.ElementTree as ET

from harness import (PASSWORD, Server, check_security, error_json,
                     french_text, parse_tags)

ATOM = "{http://www.w3.org/2005/Atom}"
DISCREET_TITLE = "Fiche pratique — Vigie"
WORD = "quetzalvigieunique"             # a word no sheet contains
WORD2 = "ornithorynquevigie"


def titles(j):
    return [x.get("title") for x in (j or {}).get("results", [])]


def search(c, tok, **form):
    form.setdefault("csrf", tok)
    return c.post("/ressources", form=form)


def page_title(text):
    m = re.search(r"<title>(.*?)</title>", text, re.S)
    return m.group(1).strip() if m else None


def h1(text):
    m = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    return m.group(1).strip() if m else None


# --- reading ----------------------------------------------------------------

def group_resources(binary, t):
    srv = Server(binary, "resources")
    srv.add_user("pro@vigie.test", "professional")
    srv.start()
    try:
        listing(srv, t)
        searching(srv, t)
        pages(srv, t)
        feed(srv, t)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def listing(srv, t):
    c = srv.client(json_=True)
    r = c.get("/ressources")
    j = r.json() or {}
    t.eq(r.status, 200, "GET /ressources (JSON) is 200", r.brief())
    check_security(t, r, "GET /ressources (JSON)")
    res = j.get("results") or []
    t.ok(isinstance(j.get("csrf"), str) and j["csrf"] and
         isinstance(j.get("total"), int) and j["total"] == len(res) and
         len(res) >= 5 and isinstance(j.get("themes"), list) and
         j["themes"] and isinstance(j.get("kinds"), list) and j["kinds"],
         "GET /ressources is {csrf, total, results, themes, kinds}",
         "keys %r total %r n %d" % (sorted(j), j.get("total"), len(res)))
    keys = {"id", "slug", "title", "summary", "kind", "kind_label",
            "audience", "themes", "url", "updated", "published"}
    bad = [x for x in res if not keys <= set(x) or
           x.get("url") != "/ressources/%s" % x.get("id") or
           not re.match(r"^\d{4}-\d\d-\d\d$", str(x.get("updated"))) or
           x.get("published") is not True or
           not all(set(th) == {"code", "label"} for th in x.get("themes"))]
    t.ok(res and not bad, "every result has id, slug, title, summary, "
         "kind, kind_label, audience, themes [{code, label}], url "
         "/ressources/ID, updated, published", "%r" % bad[:2])
    t.ok(not [x for x in res if x.get("audience") != "public"],
         "an anonymous visitor lists no professional resource",
         "%r" % [x.get("slug") for x in res if x.get("audience") !=
                 "public"])
    t.ok(all(set(x) >= {"code", "label"} for x in j.get("themes", [])) and
         {k.get("code") for k in j.get("kinds", [])} == {
             "fiche", "guide", "modele", "video"},
         "the filters list themes {code, label} and the four kinds",
         "%r" % j.get("kinds"))
    p = srv.client(json_=True)
    r = p.login("pro@vigie.test", PASSWORD)
    t.eq(r.status, 200, "the professional signs in", r.brief())
    jp = p.get("/ressources").json() or {}
    pro = [x for x in jp.get("results", []) if x.get("audience") ==
           "professional"]
    t.ok(pro and jp.get("total") == len(res) + len(pro),
         "a professional lists the professional resources as well",
         "anonymous %d, professional %r" % (len(res), jp.get("total")))
    h = srv.client()
    r = h.get("/ressources")
    t.eq(r.status, 200, "GET /ressources (HTML) is 200")
    check_security(t, r, "GET /ressources (HTML)")
    tags = parse_tags(r.text)
    t.ok(any(tag == "form" and a.get("method", "").lower() == "post" and
             a.get("action") == "/ressources" for tag, a, _ in tags.tags) and
         not any(tag == "form" and a.get("method", "get").lower() == "get"
                 for tag, a, _ in tags.tags),
         "the search form is a POST to /ressources (no GET form)")
    t.ok(all(x["title"] in french_text(r) for x in res),
         "the HTML listing shows every title")
    # GET with a query string does not search: no search in a URL.
    r = c.get("/ressources?q=harcelement")
    jq = r.json() or {}
    t.ok(r.status == 200 and jq.get("total") == j.get("total") and
         "excerpt" not in str(jq.get("results")),
         "GET /ressources?q=harcelement does not filter (same total as "
         "the plain listing)", r.brief())
    r = c.get("/ressources?theme=pedocriminalite&kind=modele")
    t.eq((r.json() or {}).get("total"), j.get("total"),
         "GET /ressources with filters in the URL does not filter either")


def searching(srv, t):
    c = srv.client(json_=True)
    tok = c.csrf("/ressources")
    full = c.get("/ressources").json() or {}
    total = full.get("total")
    for q in ("harcelement", "harceler", "Harcèlement", "HARCÈLEMENT"):
        r = search(c, tok, q=q)
        j = r.json() or {}
        t.ok(r.status == 200 and any("Harcèlement" in (x or "")
                                     for x in titles(j)),
             "q=%s finds a resource titled 'Harcèlement…'" % q,
             r.brief(), "%r" % titles(j)[:5])
    check_security(t, r, "POST /ressources (JSON)")
    r = search(c, tok, q="harcelement")
    j = r.json() or {}
    t.ok(0 < j.get("total", 0) < total, "a search narrows the list",
         "%r of %r" % (j.get("total"), total))
    t.ok(titles(j)[:1] == ["Harcèlement en ligne"],
         "q=harcelement ranks 'Harcèlement en ligne' first",
         "%r" % titles(j)[:3])
    ex = [x.get("excerpt") for x in j.get("results", [])]
    t.ok(ex and all(isinstance(e, list) and e and
                    all(set(p) == {"text", "hit"} and
                        isinstance(p["hit"], bool) for p in e)
                    for e in ex) and
         any(p["hit"] for e in ex for p in e),
         "search results carry an excerpt [{text, hit}] with hits",
         "%r" % ex[:1])
    r = search(c, tok, q="preuve")
    t.ok("Garder des preuves" in titles(r.json()),
         "q=preuve finds 'Garder des preuves'", "%r" % titles(r.json()))
    r = search(c, tok, q="LOGICIEL ESPION")
    tl = titles(r.json())
    t.ok(tl and re.search(r"logiciel espion", tl[0], re.I),
         "q=LOGICIEL ESPION finds the stalkerware sheet first", "%r" % tl)
    r = search(c, tok, q="logiciels espions")
    t.ok(any(re.search(r"logiciel espion", x or "", re.I)
             for x in titles(r.json())),
         "the plural 'logiciels espions' finds it too",
         "%r" % titles(r.json()))
    r = search(c, tok, q=WORD)
    t.ok(r.status == 200 and (r.json() or {}).get("total") == 0 and
         (r.json() or {}).get("results") == [],
         "a word found nowhere gives 200 with no result", r.brief())

    # FTS5 syntax in a query is taken as words, never as an error.
    queries = ['"', '""', "'", '*', 'harc*', '-', '-harcelement', 'OR',
               'a OR b', 'AND', 'NOT preuve', 'NEAR(', 'NEAR(preuve plainte,'
               ' 2)', '(', ')', '{title}: preuve', 'title:preuve',
               'plain : x', '^preuve', 'preuve + plainte', '"preuve',
               'preuve"', "l'effacement", '%', '_', '\\', '; DROP TABLE '
               'resources; --', '\u00a0', '😀', 'é' * 5, 'x' * 200,
               ' '.join(['mot'] * 40), 'a.b.c', '@#$&|~`']
    bad = []
    for q in queries:
        r = search(c, tok, q=q)
        j = r.json()
        if r.status != 200 or not isinstance(j, dict) or \
                not isinstance(j.get("results"), list):
            bad.append("%r: %s" % (q, r.brief()))
    t.ok(not bad, "%d queries with FTS operators, quotes and odd "
         "characters are all 200 with a result list" % len(queries), *bad)
    ids = lambda r: {x.get("id") for x in (r.json() or {}).get("results",
                                                                [])}
    both = ids(search(c, tok, q="preuve")) & ids(search(c, tok,
                                                       q="plainte"))
    r = search(c, tok, q="preuve OR plainte")
    t.ok(r.status == 200 and ids(r) <= both, "OR is not an operator: "
         "'preuve OR plainte' finds no more than 'preuve plainte'",
         "%r vs %r" % (sorted(ids(r)), sorted(both)))
    r = search(c, tok, q="NOT preuve")
    t.ok(r.status == 200 and ids(r) <= ids(search(c, tok, q="preuve")),
         "NOT is not an operator: 'NOT preuve' finds only sheets with "
         "'preuve'", "%r" % sorted(ids(r)))
    r = search(c, tok, q="x" * 201)
    _, _, field = error_json(r)
    t.ok(r.status == 400 and field == "q", "a query over 200 characters "
         "is 400 (field q)", r.brief())
    r = search(c, tok, q="")
    t.eq((r.json() or {}).get("total"), total, "an empty q lists all")
    r = search(c, tok, q="   ")
    t.eq((r.json() or {}).get("total"), total, "a blank q lists all")
    r = search(c, tok)
    t.eq((r.json() or {}).get("total"), total, "no q lists all")
    r = c.post("/ressources", form={"q": "preuve"})
    t.ok(r.status == 403 and error_json(r)[0] == "csrf",
         "POST /ressources without csrf is 403", r.brief())

    # Filters.
    r = search(c, tok, theme="pedocriminalite")
    j = r.json() or {}
    t.ok(r.status == 200 and 0 < j.get("total", 0) < total and
         all("pedocriminalite" in [th["code"] for th in x["themes"]]
             for x in j["results"]),
         "theme=pedocriminalite lists only sheets of that theme",
         "%r" % titles(j))
    r = search(c, tok, theme="droit", q="plainte")
    j = r.json() or {}
    t.ok(j.get("results") and all("droit" in [th["code"] for th in
                                              x["themes"]]
                                  for x in j["results"]),
         "a theme filter applies to a search too", "%r" % titles(j))
    r = search(c, tok, kind="modele")
    j = r.json() or {}
    t.ok(j.get("results") and all(x["kind"] == "modele"
                                  for x in j["results"]) and
         j["total"] < total, "kind=modele lists only letter templates",
         "%r" % titles(j))
    sel = [k for k in j.get("kinds", []) if k.get("selected")]
    t.ok([k.get("code") for k in sel] == ["modele"],
         "the chosen kind is marked selected", "%r" % j.get("kinds"))
    for what, form in (("an unknown theme", {"theme": "inconnu"}),
                       ("a theme with LIKE wildcards", {"theme": "%"}),
                       ("a theme with a space", {"theme": "droit plainte"}),
                       ("an unknown kind", {"kind": "podcast"})):
        r = search(c, tok, **form)
        t.ok(r.status == 200 and (r.json() or {}).get("total") == total,
             "%s is ignored (200, every resource)" % what, r.brief())
    r = search(c, tok, audience="professional")
    j = r.json() or {}
    t.ok(r.status == 200 and j.get("total") == total and
         not any(x["audience"] != "public" for x in j["results"]),
         "anonymous audience=professional is ignored (no professional "
         "result)", r.brief())
    r = search(c, tok, q="accompagner jeune")
    t.ok(not any(x.get("audience") != "public" for x in
                 (r.json() or {}).get("results", [])),
         "an anonymous search finds no professional resource",
         "%r" % titles(r.json()))
    p = srv.client(json_=True)
    p.login("pro@vigie.test", PASSWORD)
    ptok = p.csrf("/ressources")
    r = search(p, ptok, audience="professional")
    j = r.json() or {}
    t.ok(j.get("results") and all(x["audience"] == "professional"
                                  for x in j["results"]),
         "a professional's audience=professional lists only them",
         "%r" % titles(j))
    r = search(p, ptok, q="accompagner jeune")
    t.ok(any(x.get("audience") == "professional" for x in
             (r.json() or {}).get("results", [])),
         "a professional's search finds professional resources",
         "%r" % titles(r.json()))

    # HTML: the query stays in the form, escaped.
    h = srv.client()
    h.cookies = dict(c.cookies)
    r = h.post("/ressources", form={"csrf": tok,
                                    "q": '"><script>alert(1)</script>'})
    t.ok(r.status == 200 and "<script>alert" not in r.text and
         "&lt;script&gt;" in r.text, "a query is escaped in the results "
         "page", r.brief())
    hp = srv.client()
    hp.login("pro@vigie.test", PASSWORD)
    r = hp.get("/ressources")
    t.ok(r.status == 200 and re.search(r'<select[^>]*name="audience"',
                                       r.text),
         "a professional's search form offers the audience filter",
         r.brief())
    t.ok(not re.search(r'name="audience"', h.get("/ressources").text),
         "an anonymous visitor's form does not")
    r = h.post("/ressources", form={"csrf": tok, "q": "preuve"})
    t.ok(r.status == 200 and "<mark>" in r.text.lower() and
         "Garder des preuves" in french_text(r),
         "the HTML results mark the hits", r.brief())
    check_security(t, r, "POST /ressources (HTML)")


def pages(srv, t):
    c = srv.client(json_=True)
    res = (c.get("/ressources").json() or {}).get("results", [])
    h = srv.client()
    bad = []
    for x in res:
        r = h.get(x["url"])
        if r.status != 200 or page_title(r.text) != DISCREET_TITLE or \
                html.unescape(h1(r.text) or "") != x["title"]:
            bad.append("%s: %d title %r h1 %r" % (x["url"], r.status,
                                                   page_title(r.text),
                                                   h1(r.text)))
    t.ok(res and not bad, "every listed resource (%d) is a 200 page with "
         "its title in <h1> and the discreet <title> '%s'" %
         (len(res), DISCREET_TITLE), *bad[:5])
    bad = []
    for x in res:
        r = h.get(x["url"])
        tags = re.findall(r'<span class="tag">(.*?)</span>', r.text)
        want = [th["label"] for th in x["themes"]]
        if [html.unescape(v) for v in tags] != want:
            bad.append("%s: tags %r, want %r" % (x["url"], tags, want))
    t.ok(res and not bad, "a resource page shows its themes' labels",
         *bad[:3])
    r = h.get(res[0]["url"]) if res else None
    if r is not None:
        check_security(t, r, "a resource page")
        t.ok(not re.search(r"<script(?![^>]*\bsrc=\"/static/)", r.text),
             "a resource page has no script but /static/vigie.js")
    r = c.get(res[0]["url"]) if res else None
    j = (r.json() or {}).get("resource") or {} if r else {}
    t.ok(j.get("title") == res[0]["title"] and isinstance(j.get("html"),
                                                          str) and
         j["html"], "GET /ressources/ID (JSON) has the resource and its "
         "HTML body")
    # Professional resources.
    p = srv.client(json_=True)
    p.login("pro@vigie.test", PASSWORD)
    pro = [x for x in (p.get("/ressources").json() or {}).get("results",
                                                                [])
           if x.get("audience") == "professional"]
    t.ok(pro, "there is a professional resource to test")
    for x in pro[:2]:
        ra = c.get(x["url"])
        rh = h.get(x["url"])
        rp = p.get(x["url"])
        t.ok(ra.status == 404 and error_json(ra)[0] == "not_found" and
             rh.status == 404,
             "professional resource %s is 404 for an anonymous visitor "
             "(not 403), JSON and HTML" % x["url"], ra.brief())
        t.ok(x["title"] not in rh.text, "the 404 does not tell its title")
        t.eq(rp.status, 200, "professional resource %s is 200 for a "
             "professional" % x["url"])
    ids = [x["id"] for x in res + pro]
    unknown = max(ids) + 1000 if ids else 99999
    for path in ("/ressources/%d" % unknown, "/ressources/0",
                 "/ressources/-1", "/ressources/abc", "/ressources/12abc",
                 "/ressources/1.5", "/ressources/%20",
                 "/ressources/99999999999999999999999",
                 "/ressources/0x1"):
        r = c.get(path)
        t.eq(r.status, 404, "GET %s is 404" % path, r.brief())
    r = c.get("/ressources/")
    t.ok(r.status == 404, "GET /ressources/ is 404", r.brief())


def feed(srv, t):
    c = srv.client()
    r = c.get("/ressources/flux.atom")
    t.eq(r.status, 200, "GET /ressources/flux.atom is 200", r.brief())
    t.ok((r.header("content-type") or "").startswith(
        "application/atom+xml"), "the feed is application/atom+xml",
        "Content-Type %r" % r.header("content-type"))
    check_security(t, r, "the Atom feed")
    try:
        root = ET.fromstring(r.body)
    except ET.ParseError as e:
        t.ok(False, "the feed is well-formed XML", str(e), r.text[:500])
        return
    t.ok(root.tag == ATOM + "feed", "the feed is an Atom <feed>", root.tag)
    t.ok(root.find(ATOM + "title") is not None and
         root.find(ATOM + "id") is not None and
         root.find(ATOM + "updated") is not None,
         "the feed has a title, an id and an updated date")
    entries = root.findall(ATOM + "entry")
    public = (srv.client(json_=True).get("/ressources").json() or {}).get(
        "results", [])
    by_url = {x["url"]: x for x in public}
    bad = []
    for e in entries:
        link = e.find(ATOM + "link")
        href = link.get("href") if link is not None else None
        title = e.findtext(ATOM + "title")
        upd = e.findtext(ATOM + "updated") or ""
        if not (title and e.findtext(ATOM + "id") and href and
                re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", upd)):
            bad.append("entry %r %r %r" % (title, href, upd))
        elif href not in by_url or by_url[href]["title"] != title:
            bad.append("%s %r is not a public resource" % (href, title))
    t.ok(entries and not bad, "every entry (%d) has a title, id, link and "
         "updated date, and is a public resource" % len(entries), *bad[:5])
    t.eq(len(entries), min(30, len(public)), "the feed has every public "
         "resource (30 at most)")
    ids = [e.findtext(ATOM + "id") for e in entries]
    t.eq(len(set(ids)), len(ids), "entry ids are unique")


# --- editors -----------------------------------------------------------------

def base_form(tok, **kw):
    f = {"slug": "fiche-essai", "title": "Fiche d'essai",
         "summary": "Un résumé d'essai.", "audience": "public",
         "kind": "fiche", "themes": "preuves", "updated": "2026-01-15",
         "body": "Le mot %s est dans ce texte." % WORD,
         "action": "enregistrer", "csrf": tok}
    f.update(kw)
    return f


def group_resources_admin(binary, t):
    srv = Server(binary, "resources-admin")
    srv.add_user("edit@vigie.test", "editor")
    srv.add_user("pro@vigie.test", "professional")
    srv.start()
    again = None
    try:
        access(srv, t)
        editing(srv, t)
        bad_input(srv, t)
        xss(srv, t)
        files(srv, t)
        sid, title = content_edit(srv, t)
        srv.check_stop(t)
        # The same data directory, served again: content/ fills only
        # what is missing, an editor's text stays.
        again = Server(binary, "resources-again", init=False)
        again.data = srv.data
        again.start()
        after_restart(again, t, sid, title)
    finally:
        if srv.stopped is None:
            srv.check_stop(t)
        if again is not None:
            again.check_stop(t)
            again.cleanup()
        srv.cleanup()


def editor(srv):
    e = srv.client(json_=True)
    r = e.login("edit@vigie.test", PASSWORD)
    if r.status != 200:
        raise AssertionError("editor sign-in: %s" % r.brief())
    return e, e.csrf("/ressources")


def access(srv, t):
    a = srv.client(json_=True)
    atok = a.csrf("/ressources")
    for path in ("/admin/ressources", "/admin/ressources/nouvelle",
                 "/admin/ressources/1", "/admin/ressources/1/versions"):
        r = a.get(path)
        t.ok(r.status == 401 and error_json(r)[0] == "unauthenticated",
             "anonymous GET %s (JSON) is 401" % path, r.brief())
    r = a.post("/admin/ressources/nouvelle", form=base_form(atok))
    t.eq(r.status, 401, "anonymous POST /admin/ressources/nouvelle is 401")
    h = srv.client()
    r = h.get("/admin/ressources")
    t.ok(r.status == 303 and r.header("location") == "/connexion",
         "anonymous GET /admin/ressources (HTML) is a 303 to /connexion",
         r.brief())
    p = srv.client(json_=True)
    p.login("pro@vigie.test", PASSWORD)
    ptok = p.csrf("/ressources")
    for path in ("/admin/ressources", "/admin/ressources/nouvelle",
                 "/admin/ressources/1/versions"):
        r = p.get(path)
        t.ok(r.status == 403 and error_json(r)[0] == "forbidden",
             "a professional's GET %s is 403" % path, r.brief())
    r = p.post("/admin/ressources/nouvelle", form=base_form(ptok))
    t.eq(r.status, 403, "a professional's POST /admin/ressources/nouvelle "
         "is 403", r.brief())
    r = p.post("/admin/ressources/1/publication",
               form={"published": "0", "csrf": ptok})
    t.eq(r.status, 403, "a professional cannot unpublish", r.brief())
    e, _ = editor(srv)
    r = e.get("/admin/ressources")
    j = r.json() or {}
    t.ok(r.status == 200 and isinstance(j.get("resources"), list) and
         len(j["resources"]) >= 5, "an editor's GET /admin/ressources is "
         "{resources: [...]}", r.brief())
    check_security(t, r, "GET /admin/ressources")
    pub = (a.get("/ressources").json() or {}).get("total")
    t.ok(len(j.get("resources", [])) > (pub or 0) and
         any(x.get("audience") == "professional" for x in j["resources"]),
         "the editors' list has every resource, professional ones too",
         "%d vs %r public" % (len(j.get("resources", [])), pub))
    r = e.get("/admin/ressources/nouvelle")
    jn = r.json() or {}
    t.ok(r.status == 200 and jn.get("theme_choices") and
         jn.get("kind_choices"), "GET /admin/ressources/nouvelle gives "
         "the form's choices", r.brief())
    r = srv.client().get("/admin/ressources/nouvelle")
    t.eq(r.status, 303, "the new-resource form needs signing in (HTML)")
    hh = srv.client()
    hh.login("edit@vigie.test", PASSWORD)
    r = hh.get("/admin/ressources/nouvelle")
    tags = parse_tags(r.text)
    names = {a_.get("name") for tag, a_, _ in tags.tags
             if tag in ("input", "textarea", "select", "button")}
    t.ok(r.status == 200 and {"slug", "title", "summary", "audience",
                              "kind", "themes", "updated", "body",
                              "action", "csrf"} <= names,
         "the HTML form has every field", "%r" % names)
    check_security(t, r, "the new-resource form")


def editing(srv, t):
    e, tok = editor(srv)
    a = srv.client(json_=True)
    atok = a.csrf("/ressources")
    before = (a.get("/ressources").json() or {}).get("total")
    n_admin = len((e.get("/admin/ressources").json() or {}).get(
        "resources", []))

    # Preview of a new resource: nothing saved.
    r = e.post("/admin/ressources/nouvelle",
               form=base_form(tok, action="apercu",
                              body="# Titre\n\nDu **gras** %s." % WORD))
    j = r.json() or {}
    t.ok(r.status == 200 and "<strong>gras</strong>" in str(
        j.get("preview")), "action=apercu on a new resource returns the "
         "preview HTML", r.brief())
    t.eq(len((e.get("/admin/ressources").json() or {}).get(
        "resources", [])), n_admin, "the preview of a new resource saves "
         "nothing")

    # Create.
    r = e.post("/admin/ressources/nouvelle",
               form=list(base_form(tok).items()) + [("themes", "plainte")])
    j = r.json() or {}
    rid = (j.get("resource") or {}).get("id")
    t.ok(r.status == 201 and isinstance(rid, int),
         "POST /admin/ressources/nouvelle is 201 {resource: {id}}",
         r.brief())
    check_security(t, r, "a 201")
    if not isinstance(rid, int):
        return
    url = "/ressources/%d" % rid
    r = a.get(url)
    t.eq(r.status, 404, "a new resource is not published: anonymous GET "
         "is 404")
    r = search(a, atok, q=WORD)
    t.eq((r.json() or {}).get("total"), 0, "an unpublished resource is "
         "not found by a search", r.brief())
    t.eq((a.get("/ressources").json() or {}).get("total"), before,
         "nor listed")
    adm = [x for x in (e.get("/admin/ressources").json() or {}).get(
        "resources", []) if x.get("id") == rid]
    t.ok(adm and adm[0].get("published") is False and
         [th.get("code") for th in adm[0].get("themes", [])] ==
         ["preuves", "plainte"],
         "the editors' list has it, unpublished, with its two themes",
         "%r" % adm)
    r = e.get("/admin/ressources/%d" % rid)
    v = (r.json() or {}).get("values") or {}
    t.ok(r.status == 200 and v.get("body") == base_form(tok)["body"] and
         v.get("title") == "Fiche d'essai",
         "GET /admin/ressources/ID gives the saved values", r.brief())

    # Publish.
    for bad in ("2", "", "oui"):
        r = e.post("/admin/ressources/%d/publication" % rid,
                   form={"published": bad, "csrf": tok})
        t.ok(r.status == 400 and error_json(r)[2] == "published",
             "published=%r is 400 (field published)" % bad, r.brief())
    r = e.post("/admin/ressources/%d/publication" % rid,
               form={"published": "1"})
    t.eq(r.status, 403, "publishing without csrf is 403")
    r = e.post("/admin/ressources/%d/publication" % (rid + 1000),
               form={"published": "1", "csrf": tok})
    t.eq(r.status, 404, "publishing an unknown resource is 404")
    r = e.post("/admin/ressources/%d/publication" % rid,
               form={"published": "1", "csrf": tok})
    t.ok(r.status == 200 and (r.json() or {}).get("resource") ==
         {"id": rid, "published": True},
         "POST /admin/ressources/ID/publication published=1 is 200",
         r.brief())
    r = srv.client().get(url)
    t.ok(r.status == 200 and html.unescape(h1(r.text) or "") ==
         "Fiche d'essai", "once published, anonymous GET is 200 with its "
         "title in <h1>", r.brief())
    r = search(a, atok, q=WORD)
    t.ok([x.get("id") for x in (r.json() or {}).get("results", [])] ==
         [rid], "once published, a search for a word of its body finds "
         "it", r.brief())
    r = search(a, atok, theme="plainte", q=WORD)
    t.eq((r.json() or {}).get("total"), 1, "its second theme filters")
    feed_ = srv.client().get("/ressources/flux.atom")
    t.ok(url in feed_.text, "the new public resource is in the feed")

    # Edit: a new body, a second version.
    r = e.post("/admin/ressources/%d" % rid,
               form=base_form(tok, body="Maintenant le mot %s." % WORD2,
                              slug="ignore-a-l-edition"))
    t.ok(r.status in (200, 303) and (r.json() or {}).get("resource") ==
         {"id": rid}, "POST /admin/ressources/ID saves", r.brief())
    r = e.get("/admin/ressources/%d/versions" % rid)
    vs = (r.json() or {}).get("versions")
    t.ok(r.status == 200 and isinstance(vs, list) and len(vs) == 2 and
         all({"id", "title", "at", "author", "length"} <= set(x)
             for x in vs),
         "GET /admin/ressources/ID/versions lists 2 versions", r.brief())
    t.ok(vs and vs[0].get("length") == len(
        ("Maintenant le mot %s." % WORD2).encode()),
        "the newest version comes first", "%r" % vs)
    r = search(a, atok, q=WORD2)
    t.eq([x.get("id") for x in (r.json() or {}).get("results", [])], [rid],
         "the index follows the edit (new word found)")
    r = search(a, atok, q=WORD)
    t.eq((r.json() or {}).get("total"), 0, "the old word is gone from "
         "the index")
    t.eq(srv.client(json_=True).get(url).status, 200, "an edit keeps the "
         "resource published")
    r = e.get("/admin/ressources/%d" % rid)
    t.eq(((r.json() or {}).get("values") or {}).get("slug"),
         "fiche-essai", "the slug does not change on edit")

    # Preview of an existing resource: nothing saved.
    r = e.post("/admin/ressources/%d" % rid,
               form=base_form(tok, action="apercu",
                              body="Aperçu *seulement* zyxwapercu."))
    j = r.json() or {}
    t.ok(r.status == 200 and "<em>seulement</em>" in str(j.get("preview")),
         "action=apercu returns 200 with the preview HTML", r.brief())
    vs2 = (e.get("/admin/ressources/%d/versions" % rid).json() or {}).get(
        "versions", [])
    t.eq(len(vs2), 2, "a preview adds no version")
    r = search(a, atok, q="zyxwapercu")
    t.eq((r.json() or {}).get("total"), 0, "a preview does not change the "
         "text")
    r = e.post("/admin/ressources/%d" % (rid + 1000), form=base_form(tok))
    t.eq(r.status, 404, "editing an unknown resource is 404")
    r = e.get("/admin/ressources/%d/versions" % (rid + 1000))
    t.eq(r.status, 404, "the versions of an unknown resource are 404")

    # Unpublish.
    r = e.post("/admin/ressources/%d/publication" % rid,
               form={"published": "0", "csrf": tok})
    t.eq(r.status, 200, "published=0 is 200")
    t.eq(a.get(url).status, 404, "an unpublished resource is 404 again")
    t.eq((search(a, atok, q=WORD2).json() or {}).get("total"), 0,
         "and no longer found")
    t.ok(url not in srv.client().get("/ressources/flux.atom").text,
         "and no longer in the feed")

    # A professional resource.
    r = e.post("/admin/ressources/nouvelle",
               form=base_form(tok, slug="fiche-pro-essai",
                              audience="professional",
                              body="Réservé aux pros: %spro." % WORD))
    pid = ((r.json() or {}).get("resource") or {}).get("id")
    t.eq(r.status, 201, "a professional resource is created", r.brief())
    e.post("/admin/ressources/%s/publication" % pid,
           form={"published": "1", "csrf": tok})
    p = srv.client(json_=True)
    p.login("pro@vigie.test", PASSWORD)
    ptok = p.csrf("/ressources")
    t.eq(a.get("/ressources/%s" % pid).status, 404, "a published "
         "professional resource is 404 for an anonymous visitor")
    t.eq(p.get("/ressources/%s" % pid).status, 200, "and 200 for a "
         "professional")
    t.eq((search(a, atok, q=WORD + "pro").json() or {}).get("total"), 0,
         "an anonymous search does not find it")
    t.eq((search(p, ptok, q=WORD + "pro").json() or {}).get("total"), 1,
         "a professional's search does")
    t.ok("/ressources/%s\"" % pid not in
         srv.client().get("/ressources/flux.atom").text,
         "a professional resource is not in the feed")


def content_edit(srv, t):
    """Edit a sheet that came from content/; returns (id, new title)."""
    e, tok = editor(srv)
    lst = (e.get("/admin/ressources").json() or {}).get("resources", [])
    sheet = [x for x in lst if x.get("slug") == "garder-des-preuves"]
    t.ok(sheet, "the content sheet garder-des-preuves is in the editors' "
         "list")
    if not sheet:
        return None, None
    sid = sheet[0]["id"]
    r = e.get("/admin/ressources/%d/versions" % sid)
    vs = (r.json() or {}).get("versions") or []
    t.ok(len(vs) == 1 and vs[0].get("author") == "contenu d'origine",
         "a content sheet starts with one version, 'contenu d'origine'",
         "%r" % vs)
    v = (e.get("/admin/ressources/%d" % sid).json() or {}).get("values")
    title = "Garder des preuves (révisé)"
    form = [("csrf", tok), ("title", title), ("summary", v["summary"]),
            ("audience", v["audience"]), ("kind", v["kind"]),
            ("updated", v["updated"]), ("body", v["body"] + "\n\nAjout."),
            ("action", "enregistrer")]
    form += [("themes", th["code"]) for th in v["themes"]]
    r = e.post("/admin/ressources/%d" % sid, form=form)
    t.eq(r.status, 200, "an editor saves a content sheet", r.brief())
    return sid, title


def after_restart(srv, t, sid, title):
    c = srv.client(json_=True)
    r = c.get("/ressources/%s" % sid)
    t.ok(r.status == 200 and ((r.json() or {}).get("resource") or {}).get(
        "title") == title, "after a restart, the edited content sheet "
        "keeps the editor's text", r.brief())
    res = (c.get("/ressources").json() or {}).get("results", [])
    slugs = [x.get("slug") for x in res]
    t.ok(slugs.count("garder-des-preuves") == 1 and
         "fiche-essai" not in slugs and "fiche-xss" in slugs,
         "nothing is duplicated or republished by the restart",
         "%r" % slugs)


def bad_input(srv, t):
    e, tok = editor(srv)
    cases = [
        ("a missing title", {"title": None}, "title", 400),
        ("an empty title", {"title": ""}, "title", 400),
        ("a title of 201 characters", {"title": "é" * 201}, "title", 400),
        ("a missing summary", {"summary": None}, "summary", 400),
        ("an unknown audience", {"audience": "tous"}, "audience", 400),
        ("an unknown kind", {"kind": "podcast"}, "kind", 400),
        ("no theme", {"themes": None}, "themes", 400),
        ("an unknown theme", {"themes": "inconnu"}, "themes", 400),
        ("a date 2026-13-01", {"updated": "2026-13-01"}, "updated", 400),
        ("a date 15/01/2026", {"updated": "15/01/2026"}, "updated", 400),
        ("a date 2026-1-5", {"updated": "2026-1-5"}, "updated", 400),
        ("no date", {"updated": None}, "updated", 400),
        ("an http:// video", {"video": "http://exemple.fr/v"}, "video",
         400),
        ("a javascript: video", {"video": "javascript:alert(1)"}, "video",
         400),
        ("a slug with capitals and spaces", {"slug": "Mauvais Slug"},
         "slug", 400),
        ("a slug with an accent", {"slug": "fiche-été"}, "slug", 400),
        ("a slug with a slash", {"slug": "../fiche"}, "slug", 400),
        ("a slug starting with -", {"slug": "-fiche"}, "slug", 400),
        ("no slug", {"slug": None}, "slug", 400),
        ("no body", {"body": None}, "body", 400),
        ("the slug of a content sheet", {"slug": "garder-des-preuves"},
         "slug", 409),
    ]
    n0 = len((e.get("/admin/ressources").json() or {}).get("resources",
                                                          []))
    for what, change, field, status in cases:
        form = base_form(tok, slug="fiche-refusee")
        for k, v in change.items():
            if v is None:
                form.pop(k, None)
            else:
                form[k] = v
        r = e.post("/admin/ressources/nouvelle", form=form)
        _, msg, f = error_json(r)
        t.ok(r.status == status and f == field and msg,
             "%s is %d (field %s)" % (what, status, field), r.brief())
    r = e.post("/admin/ressources/nouvelle",
               form=base_form(tok, slug="fiche-doublon"))
    t.eq(r.status, 201, "a first resource with a slug is created",
         r.brief())
    r = e.post("/admin/ressources/nouvelle",
               form=base_form(tok, slug="fiche-doublon"))
    _, _, field = error_json(r)
    t.ok(r.status == 409 and field == "slug", "a duplicate slug is 409 "
         "(field slug)", r.brief())
    n1 = len((e.get("/admin/ressources").json() or {}).get("resources",
                                                          []))
    t.eq(n1, n0 + 1, "refused forms save nothing")
    r = e.post("/admin/ressources/nouvelle", form=dict(
        base_form(tok, slug="fiche-video"), kind="video",
        video="https://video.exemple.fr/v/1"))
    t.eq(r.status, 201, "an https:// video link is accepted", r.brief())
    r = e.post("/admin/ressources/nouvelle",
               form={k: v for k, v in base_form(tok,
                                                slug="fiche-sans-csrf").items()
                     if k != "csrf"})
    t.eq(r.status, 403, "creating without csrf is 403")
    h = srv.client()
    h.login("edit@vigie.test", PASSWORD)
    htok = h.csrf("/ressources")
    r = h.post("/admin/ressources/nouvelle",
               form=base_form(htok, slug="fiche-html", title=""))
    tags = parse_tags(r.text)
    vals = {a.get("name"): a.get("value") for tag, a, _ in tags.tags
            if tag == "input" and a.get("name") in ("slug", "summary")}
    t.ok(r.status == 400 and vals.get("slug") == "fiche-html" and
         "<html" in r.text, "a refused HTML form comes back with the "
         "values typed", r.brief(), "%r" % vals)


def tag_problems(text):
    """The elements of a page that a sheet's body could have smuggled in:
    scripts but ours, event handlers, javascript:/data: links, frames."""
    out = []
    for tag, a, _ in parse_tags(text).tags:
        if tag == "script" and not a.get("src", "").startswith("/static/"):
            out.append("<script %r>" % a)
        if tag in ("iframe", "object", "embed", "img", "style"):
            out.append("<%s %r>" % (tag, a))
        for k, v in a.items():
            if k.startswith("on"):
                out.append("<%s %s=%r>" % (tag, k, v))
            if k in ("href", "src", "action") and re.match(
                    r"^\s*(javascript|data|vbscript):", v, re.I):
                out.append("<%s %s=%r>" % (tag, k, v))
    return out


def xss(srv, t):
    e, tok = editor(srv)
    body = ("Avant <script>alert(1)</script> après.\n\n"
            "[clic](javascript:alert(1)) et [autre](JAVASCRIPT:alert(2))\n\n"
            "<img src=x onerror=alert(3)>\n\n"
            "<a href=\"javascript:alert(4)\">lien</a>\n\n"
            "[data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
            "<iframe src=\"https://exemple.fr\"></iframe>\n\n"
            "motxssunique")
    r = e.post("/admin/ressources/nouvelle",
               form=base_form(tok, slug="fiche-xss", body=body,
                              title="Titre <script>alert(5)</script> & co",
                              summary="Résumé <b>gras</b> \"quoté\""))
    rid = ((r.json() or {}).get("resource") or {}).get("id")
    t.eq(r.status, 201, "a resource with markup in it is saved", r.brief())
    r = e.post("/admin/ressources/nouvelle",
               form=base_form(tok, slug="fiche-xss-2", body=body,
                              action="apercu"))
    pv = str((r.json() or {}).get("preview"))

    def unsafe(text):
        low = text.lower()
        return [m for m in ("<script", "javascript:", "onerror", "<iframe",
                            "data:text/html", "alert(5)</")
                if m in low]
    t.ok(r.status == 200 and not unsafe(pv) and not tag_problems(pv),
         "the preview has no script, event handler, javascript: or data: "
         "link, nor iframe", "%r" % unsafe(pv), pv[:300])
    e.post("/admin/ressources/%s/publication" % rid,
           form={"published": "1", "csrf": tok})
    h = srv.client()
    r = h.get("/ressources/%s" % rid)
    t.ok(r.status == 200 and not tag_problems(r.text) and
         "motxssunique" in r.text,
         "the published page has no script of the body, no "
         "javascript:/data: href, no event handler, no iframe or img",
         *tag_problems(r.text))
    t.ok("Titre &lt;script&gt;alert(5)&lt;/script&gt; &amp; co" in r.text,
         "the title is escaped in <h1>", h1(r.text))
    t.eq(page_title(r.text), DISCREET_TITLE, "and not in <title>")
    r = srv.client(json_=True).get("/ressources/%s" % rid)
    t.ok(not unsafe(str((r.json() or {}).get("resource", {}).get("html"))),
         "the JSON html of the body is the same safe HTML")
    hh = srv.client()
    tok2 = hh.csrf("/ressources")
    r = hh.post("/ressources", form={"csrf": tok2, "q": "motxssunique"})
    t.ok(r.status == 200 and "Titre &lt;script&gt;" in r.text and
         not tag_problems(r.text),
         "the search results (title, excerpt) are escaped", r.brief(),
         *tag_problems(r.text))
    r = hh.post("/ressources", form={"csrf": tok2, "q": "script alert"})
    t.ok(r.status == 200 and not tag_problems(r.text),
         "an excerpt around the markup is escaped", *tag_problems(r.text))
    r = hh.get("/ressources")
    t.ok("<script>alert" not in r.text, "the listing escapes the title")
    r = hh.get("/ressources/flux.atom")
    try:
        root = ET.fromstring(r.body)
        ts = [x.findtext(ATOM + "title") for x in root.iter(ATOM + "entry")]
        ok = "Titre <script>alert(5)</script> & co" in ts
    except ET.ParseError as ex:
        ok, ts = False, [str(ex)]
    t.ok(ok, "the feed stays well-formed, the title as text",
         "%r" % ts[:3])


def multipart(fields, files):
    """A multipart/form-data body: fields [(name, value)], files
    [(name, filename, bytes)]."""
    boundary = "vigie-test-boundary-7f3a"
    out = []
    for k, v in fields:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n"
                    "\r\n%s\r\n" % (boundary, k, v)).encode())
    for k, fn, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                    "filename=\"%s\"\r\nContent-Type: application/"
                    "octet-stream\r\n\r\n" % (boundary, k, fn)).encode()
                   + data + b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=%s" % boundary


def files(srv, t):
    """A file attached to a sheet: recognised by its bytes, stored under a
    random name, replaced atomically, and never half-saved."""
    import os
    e, tok = editor(srv)
    base = [("csrf", tok), ("title", "Guide PDF"), ("summary", "Un guide."),
            ("audience", "public"), ("kind", "guide"), ("themes", "preuves"),
            ("updated", "2026-11-23"), ("body", "Texte."),
            ("action", "enregistrer")]
    updir = os.path.join(srv.data, "uploads", "resources")

    body, ct = multipart(base + [("slug", "guide-pdf")],
                         [("file", "mon guide.pdf", b"%PDF-1.4 one")])
    r = e.request("POST", "/admin/ressources/nouvelle", body=body,
                  headers={"Content-Type": ct})
    rid = (r.json() or {}).get("resource", {}).get("id")
    names = sorted(os.listdir(updir)) if os.path.isdir(updir) else []
    t.ok(r.status == 201 and len(names) == 1 and names[0].endswith(".pdf")
         and "guide" not in names[0], "a PDF is kept under a random name",
         r.brief(), names)
    r = e.get("/ressources/%s/fichier" % rid, json_=False)
    t.ok(r.status == 200 and r.body == b"%PDF-1.4 one" and
         r.header("Content-Type") == "application/pdf",
         "the editor gets the file back, with its type", r.brief())

    # Byte ranges, as video players ask for them.
    r = e.request("GET", "/ressources/%s/fichier" % rid, json_=False,
                  headers={"Range": "bytes=0-3"})
    t.ok(r.status == 206 and r.body == b"%PDF" and
         r.header("Content-Range") == "bytes 0-3/12" and
         r.header("Accept-Ranges") == "bytes",
         "a byte range is answered 206 with Content-Range", r.brief())
    r = e.request("GET", "/ressources/%s/fichier" % rid, json_=False,
                  headers={"Range": "bytes=-3"})
    t.ok(r.status == 206 and r.body == b"one", "a suffix range (the last "
         "bytes)", r.brief())
    r = e.request("GET", "/ressources/%s/fichier" % rid, json_=False,
                  headers={"Range": "bytes=50-"})
    t.ok(r.status == 416 and r.header("Content-Range") == "bytes */12",
         "a range past the end is 416", r.brief())

    body, ct = multipart(base, [("file", "x.pdf", b"%PDF-1.4 two")])
    r = e.request("POST", "/admin/ressources/%s" % rid, body=body,
                  headers={"Content-Type": ct})
    after = sorted(os.listdir(updir))
    t.ok(r.status == 200 and len(after) == 1 and after != names,
         "a new file replaces the old one, which is removed", after)

    body, ct = multipart(base, [("file", "x.exe", b"MZ\x90\x00 binary")])
    r = e.request("POST", "/admin/ressources/%s" % rid, body=body,
                  headers={"Content-Type": ct})
    t.ok(r.status == 400 and (r.json() or {}).get("error", {}).get(
        "field") == "file" and sorted(os.listdir(updir)) == after,
        "another type of file is refused and nothing changes", r.brief())

    # A directory that cannot be written: nothing half-saved.
    os.chmod(updir, 0o500)
    try:
        body, ct = multipart(base + [("slug", "guide-bloque")],
                             [("file", "y.pdf", b"%PDF-1.4 three")])
        r = e.request("POST", "/admin/ressources/nouvelle", body=body,
                      headers={"Content-Type": ct})
    finally:
        os.chmod(updir, 0o700)
    listed = [x["slug"] for x in e.get("/admin/ressources").json()
              ["resources"]]
    t.ok(r.status >= 500 and "guide-bloque" not in listed or os.geteuid() == 0
         and r.status == 201, "when the file cannot be kept, the sheet is "
         "not saved either (root can always write)", r.brief())
    anon = srv.client()
    t.eq(anon.get("/ressources/%s/fichier" % rid).status, 404,
         "an unpublished sheet's file is not served to visitors")


GROUPS = [("resources", group_resources),
          ("resources-admin", group_resources_admin)]
