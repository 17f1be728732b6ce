"""
test_pages.py — what any visitor sees, signed in or not: security
headers, static assets, the pages and their JSON twins, errors, request
limits, and what the access log leaves out.
"""
import http.client
import re

from harness import (Server, check_security, cookie_attrs, error_json,
                     french_text, parse_tags, raw_request)

PAGES = ["/", "/connexion", "/demande-de-compte", "/mentions-legales",
         "/accessibilite", "/confidentialite"]
AGENT = "NavigateurEspion/7.3 (vigie-test-ua-4b1f)"
QUICK_EXIT = "https://meteofrance.com/"


def group_pages(binary, t):
    srv = Server(binary, "pages").start()
    try:
        pages(srv, t)
        statics(srv, t)
        json_twins(srv, t)
        errors(srv, t)
        limits(srv, t)
        bad_input(srv, t)
        keepalive(srv, t)
    finally:
        srv.check_stop(t)
        logs(srv, t)
        srv.cleanup()


def html_checks(t, path, r, quick_exit=QUICK_EXIT):
    """What every HTML page must be: French, quick exit first, only our
    own assets."""
    tags = parse_tags(r.text)
    t.eq((tags.html_attrs or {}).get("lang"), "fr",
         "%s is <html lang=\"fr\">" % path)
    t.ok((r.header("content-type") or "").startswith("text/html") and
         "charset=utf-8" in (r.header("content-type") or "").lower(),
         "%s is text/html; charset=utf-8" % path,
         "Content-Type %r" % r.header("content-type"))
    # The quick exit comes before anything else one can focus, but the
    # skip link.
    focusable = [(tag, a) for tag, a, in_body in tags.tags
                 if in_body and tag in ("a", "button", "input", "select",
                                        "textarea")]
    qe = [i for i, (tag, a) in enumerate(focusable)
          if a.get("id") == "sortie-rapide"]
    before = focusable[:qe[0]] if qe else []
    t.ok(qe and all(tag == "a" and a.get("href", "").startswith("#")
                    for tag, a in before),
         "%s: the quick exit link is the first thing one can focus "
         "(or just after the skip link)" % path,
         "before it: %r" % (before[:3],) if qe else "no id=sortie-rapide")
    if qe:
        t.eq(focusable[qe[0]][1].get("href"), quick_exit,
             "%s: the quick exit goes to the neutral site" % path)
    scripts = [a.get("src", "") for tag, a, _ in tags.tags
               if tag == "script"]
    t.ok(any(re.match(r"^/static/vigie\.js(\?|$)", s) for s in scripts) and
         all(s.startswith("/static/") for s in scripts),
         "%s loads /static/vigie.js and no other script" % path,
         "scripts: %r" % scripts)
    t.ok(not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text) and
         not re.search(r"\son[a-z]+\s*=", r.text) and
         not re.search(r"<style", r.text) and
         not re.search(r"\sstyle\s*=", r.text),
         "%s has no inline script, event handler or style" % path)
    assets = [a.get("src") or a.get("href") for tag, a, _ in tags.tags
              if (tag in ("script", "img", "iframe", "source", "audio",
                          "video", "embed", "object") and
                  (a.get("src") or a.get("data"))) or
              (tag == "link" and a.get("href"))]
    t.ok(all(x.startswith("/static/") for x in assets if x),
         "%s references only /static/ assets" % path, "assets: %r" % assets)
    external = [a.get("src") or a.get("href") or a.get("action")
                for tag, a, _ in tags.tags
                for k in ("src", "href", "action")
                if re.match(r"^\s*(https?:)?//", a.get(k, ""), re.I)]
    t.ok(all(x == quick_exit for x in external),
         "%s has no http(s) URL but the quick exit's" % path,
         "external: %r" % external)
    return tags


def pages(srv, t):
    c = srv.client()
    for path in PAGES:
        r = c.get(path)
        t.eq(r.status, 200, "GET %s is 200" % path, r.brief())
        check_security(t, r, "GET %s" % path)
        html_checks(t, path, r)
    c = srv.client()
    r = c.get("/")
    text = french_text(r)
    t.ok("tel:17" in r.text and "sms:114" in r.text and "112" in text,
         "the home page lists the emergency numbers (17, 112, 114)")
    t.ok("vous n'êtes pas seul" in text, "the home page speaks French")
    t.ok(c.cookies == {}, "the home page sets no cookie",
         "cookies %r" % c.cookies)
    t.ok(r.header("vary") is not None and "accept" in
         r.header("vary").lower(), "dynamic pages say Vary: Accept",
         "Vary %r" % r.header("vary"))
    # The page's CSP forbids frames and inline code.
    csp = r.header("content-security-policy") or ""
    t.ok("script-src 'self'" in csp and "form-action 'self'" in csp,
         "the CSP limits scripts and form targets to the site", csp)
    r = c.get("/mentions-legales")
    t.ok("<h1" in r.text, "a content page is rendered from Markdown")

    # HEAD is GET without the body.
    g = c.get("/")
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request("HEAD", "/", headers={"Accept": "text/html"})
        h = conn.getresponse()
        hb = h.read()
        hh = dict((k.lower(), v) for k, v in h.getheaders())
    finally:
        conn.close()
    t.eq(h.status, 200, "HEAD / is 200")
    t.eq(hb, b"", "HEAD / has no body")
    gh = dict(g.headers)
    diff = [k for k in set(gh) | set(hh) if k != "date" and
            gh.get(k) != hh.get(k)]
    t.ok(not diff, "HEAD / has the same headers as GET /",
         *["%s: GET %r HEAD %r" % (k, gh.get(k), hh.get(k)) for k in diff])


def statics(srv, t):
    c = srv.client()
    for name, ctype in (("vigie.css", "text/css"),
                        ("vigie.js", "text/javascript"),
                        ("favicon.svg", "image/svg+xml")):
        r = c.get("/static/" + name)
        t.eq(r.status, 200, "GET /static/%s is 200" % name)
        t.ok((r.header("content-type") or "").startswith(ctype),
             "/static/%s is %s" % (name, ctype),
             "Content-Type %r" % r.header("content-type"))
        check_security(t, r, "GET /static/%s" % name, dynamic=False)
    r = c.get("/static/vigie.css")
    etag = r.header("etag")
    cc = r.header("cache-control") or ""
    m = re.search(r"max-age=(\d+)", cc)
    t.ok(etag and re.match(r'^(W/)?"[^"]+"$', etag),
         "a static asset has an ETag", "ETag %r" % etag)
    t.ok(m and int(m.group(1)) >= 7 * 86400 and "no-store" not in cc,
         "a static asset is cached for long (max-age >= a week)",
         "Cache-Control %r" % cc)
    with open(__file__.rsplit("/tests/", 1)[0] + "/static/vigie.css",
              "rb") as f:
        t.ok(r.body == f.read(), "/static/vigie.css is the file of static/")
    r2 = c.get("/static/vigie.css", headers={"If-None-Match": etag or "x"})
    t.eq(r2.status, 304, "If-None-Match with the ETag gives 304")
    t.eq(r2.body, b"", "a 304 has no body")
    t.eq(r2.header("etag"), etag, "a 304 repeats the ETag")
    check_security(t, r2, "a 304", dynamic=False)
    r3 = c.get("/static/vigie.css", headers={"If-None-Match": '"autre"'})
    t.eq(r3.status, 200, "If-None-Match with another ETag gives 200")
    r = c.get("/static/vigie.css?v=0123456789")
    t.eq(r.status, 200, "a versioned asset URL (?v=...) is served")
    r = c.get("/static/nope.css")
    t.eq(r.status, 404, "GET /static/nope.css is 404")
    check_security(t, r, "a static 404")
    for path in ("/static/../src/main.c", "/static/%2e%2e/meson.build",
                 "/static/", "/static//etc/passwd"):
        r = c.get(path)
        t.ok(r.status in (400, 404) and b"#include" not in r.body and
             b"project(" not in r.body,
             "GET %s does not leave static/" % path, r.brief())
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request("HEAD", "/static/vigie.css")
        h = conn.getresponse()
        body = h.read()
    finally:
        conn.close()
    t.ok(h.status == 200 and body == b"" and h.getheader("ETag") == etag,
         "HEAD on a static asset is 200, no body, same ETag")


def json_twins(srv, t):
    c = srv.client(json_=True)
    r = c.get("/")
    j = r.json()
    t.ok(isinstance(j, dict), "GET / with Accept: application/json gives "
         "a JSON object", r.brief())
    t.ok((r.header("content-type") or "").startswith("application/json"),
         "the JSON twin is application/json",
         "Content-Type %r" % r.header("content-type"))
    check_security(t, r, "GET / (JSON)")
    if isinstance(j, dict):
        t.ok(isinstance(j.get("urgence"), list) and
             any(n.get("numero") == "17" for n in j["urgence"]),
             "the home page's JSON lists the emergency numbers",
             "keys %r" % list(j))
    r = c.get("/connexion")
    j = r.json() or {}
    t.ok(isinstance(j.get("csrf"), str) and len(j["csrf"]) >= 16,
         "GET /connexion JSON has a non-empty csrf string", r.brief())
    line = r.cookie("vigie_csrf")
    t.ok(line is not None, "GET /connexion JSON sets the vigie_csrf cookie",
         r.brief())
    if line:
        name, value, attrs = cookie_attrs(line)
        t.ok(attrs.get("httponly") is True and
             str(attrs.get("samesite", "")).lower() == "strict" and
             attrs.get("path") == "/" and len(value) >= 32,
             "the vigie_csrf cookie is HttpOnly, SameSite=Strict, Path=/",
             line)
    tok1 = j.get("csrf")
    r = c.get("/connexion")
    t.ok(r.cookie("vigie_csrf") is None and (r.json() or {}).get("csrf") ==
         tok1, "with the cookie sent back, the token stays and no new "
         "cookie is set", r.brief())

    h = srv.client()
    r = h.get("/connexion")
    line = r.cookie("vigie_csrf")
    t.ok(line is not None and "HttpOnly" in line and
         "SameSite=Strict" in line,
         "GET /connexion HTML sets an HttpOnly SameSite=Strict vigie_csrf",
         r.brief())
    tags = parse_tags(r.text)
    hidden = [a.get("value") for tag, a, _ in tags.tags
              if tag == "input" and a.get("name") == "csrf"]
    t.ok(len(hidden) == 1 and len(hidden[0] or "") >= 16,
         "the login form has a hidden csrf field", "%r" % hidden)
    t.ok(hidden and hidden[0] != tok1,
         "two visitors get different CSRF tokens")
    r = h.get("/demande-de-compte")
    tags = parse_tags(r.text)
    names = {a.get("name") for tag, a, _ in tags.tags
             if tag in ("input", "textarea")}
    t.ok({"name", "email", "organisation", "profession", "message",
          "password", "csrf"} <= names,
         "the account request form has its fields", "%r" % names)
    labels = {a.get("for") for tag, a, _ in tags.tags if tag == "label"}
    ids = {a.get("id") for tag, a, _ in tags.tags
           if tag in ("input", "textarea") and a.get("type") != "hidden"}
    t.ok(ids and ids <= labels, "every visible field has a <label for>",
         "ids %r labels %r" % (ids, labels))


def errors(srv, t):
    c = srv.client()
    r = c.get("/cette-page-nexiste-pas")
    t.eq(r.status, 404, "an unknown path is 404")
    t.ok("n'existe" in french_text(r), "the 404 page is in French",
         r.brief())
    check_security(t, r, "a 404 page")
    html_checks(t, "the 404 page", r)
    r = c.get("/cette-page-nexiste-pas", json_=True)
    code, msg, _ = error_json(r)
    t.ok(r.status == 404 and code == "not_found" and msg,
         "an unknown path in JSON is 404 {error: {code: not_found, "
         "message}}", r.brief())
    check_security(t, r, "a JSON 404")
    r = c.get("/compte/", json_=True)
    t.eq(r.status, 404, "a trailing slash is another path (404)")

    r = c.request("POST", "/", form={"a": "b"})
    t.eq(r.status, 405, "POST / is 405")
    allow = r.header("allow") or ""
    t.ok("GET" in allow and "POST" not in allow, "the 405 has Allow: GET",
         "Allow %r" % allow)
    check_security(t, r, "a 405")
    r = c.request("DELETE", "/connexion", json_=True)
    code, _, _ = error_json(r)
    allow = {m.strip() for m in (r.header("allow") or "").split(",")}
    t.ok(r.status == 405 and {"GET", "POST"} <= allow and "DELETE" not in
         allow, "DELETE /connexion is 405 with Allow: GET, POST",
         r.brief(), "Allow %r" % r.header("allow"))
    t.eq(code, "method_not_allowed", "the JSON 405 says method_not_allowed")
    r = c.request("PUT", "/static/vigie.css", body=b"x")
    t.ok(r.status in (404, 405), "PUT on a static asset is refused",
         r.brief())
    r = c.request("GET", "/admin/comptes/1/approuver")
    t.ok(r.status == 405 and "POST" in (r.header("allow") or ""),
         "GET on a POST-only route is 405 with Allow: POST", r.brief())

    r = c.get("/compte")
    t.ok(r.status == 303 and r.header("location") == "/connexion",
         "anonymous GET /compte (HTML) is a 303 to /connexion", r.brief())
    check_security(t, r, "a redirect")
    r = c.get("/compte", json_=True)
    code, _, _ = error_json(r)
    t.ok(r.status == 401 and code == "unauthenticated",
         "anonymous GET /compte (JSON) is 401 unauthenticated", r.brief())
    r = c.get("/admin/comptes", json_=True)
    t.eq(r.status, 401, "anonymous GET /admin/comptes (JSON) is 401")
    r = c.get("/admin/comptes")
    t.ok(r.status == 303 and r.header("location") == "/connexion",
         "anonymous GET /admin/comptes (HTML) is a 303 to /connexion")


def limits(srv, t):
    c = srv.client()
    tok = c.csrf()
    big = "a" * (10 * 1024)
    # Content-Length over the limit of /connexion (4 KiB).
    for js in (False, True):
        try:
            r = c.post("/connexion", form={"email": "a@b.fr",
                                           "password": big, "csrf": tok},
                       json_=js)
        except (ConnectionError, http.client.HTTPException) as e:
            t.ok(False, "a 10 KB POST /connexion%s is 413" %
                 (" (JSON)" if js else ""), "connection error: %r" % e)
            continue
        if js:
            code, _, _ = error_json(r)
            t.ok(r.status == 413 and code == "too_large",
                 "a 10 KB POST /connexion (JSON) is 413 too_large",
                 r.brief())
        else:
            t.ok(r.status == 413 and "volumineux" in french_text(r),
                 "a 10 KB POST /connexion is 413, in French", r.brief())
            check_security(t, r, "a 413")
    # The same without Content-Length (chunked): the limit still holds.
    conn = c.connect()
    try:
        conn.putrequest("POST", "/connexion")
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.putheader("Accept", "application/json")
        conn.putheader("Cookie", "vigie_csrf=" + c.cookies["vigie_csrf"])
        conn.endheaders()
        body = ("csrf=%s&email=a%%40b.fr&password=%s" % (tok, big)).encode()
        for i in range(0, len(body), 1000):
            part = body[i:i + 1000]
            conn.send(b"%x\r\n%s\r\n" % (len(part), part))
        conn.send(b"0\r\n\r\n")
        resp = conn.getresponse()
        data = resp.read()
        t.eq(resp.status, 413, "a chunked 10 KB POST /connexion is 413",
             data[:200])
    except (ConnectionError, http.client.HTTPException) as e:
        t.ok(False, "a chunked 10 KB POST /connexion is 413",
             "connection error: %r" % e)
    finally:
        conn.close()
    # Just under the limit is fine (and reaches the handler).
    r = c.post("/connexion", form={"email": "limite@b.fr", "password": "p",
                                   "csrf": tok, "pad": "x" * 3000},
               json_=True)
    t.ok(r.status == 401, "a 3 KB POST /connexion reaches the handler "
         "(401)", r.brief())
    # 32 KiB: the account request form (2000 emoji, percent-encoded, fit).
    tok = c.csrf("/demande-de-compte")
    r = c.post("/demande-de-compte", form={
        "csrf": tok, "name": "N", "email": "n@x.fr", "organisation": "O",
        "profession": "P", "password": "x" * 20,
        "message": "m" * (40 * 1024)}, json_=True)
    code, _, _ = error_json(r)
    t.ok(r.status == 413 and code == "too_large",
         "a 40 KB POST /demande-de-compte is 413 too_large", r.brief())
    r = c.post("/demande-de-compte", form={
        "csrf": tok, "name": "N", "email": "emoji@x.fr", "organisation": "O",
        "profession": "P", "password": "x" * 20,
        "message": "\U0001F600" * 2000}, json_=True)
    t.ok(r.status == 201, "2000 emoji in the request message are accepted "
         "(201)", r.brief())
    # A body on a route that allows none (405 first), a huge announced
    # length: refused without reading it.
    out = raw_request(srv.port, b"POST /connexion HTTP/1.1\r\n"
                      b"Host: x\r\nAccept: application/json\r\n"
                      b"Content-Type: application/x-www-form-urlencoded\r\n"
                      b"Content-Length: 100000000000\r\n\r\nemail=",
                      read_all=False)
    t.ok(out.startswith(b"HTTP/1.1 413"), "an announced 100 GB body is 413 "
         "at once", out[:200])


def bad_input(srv, t):
    c = srv.client(json_=True)
    tok = c.csrf()
    ck = "vigie_csrf=" + c.cookies["vigie_csrf"]

    def post(body, ctype="application/x-www-form-urlencoded", path=None):
        h = {"Content-Type": ctype, "Cookie": ck}
        if ctype is None:
            h["Content-Type"] = None
        return c.request("POST", path or "/connexion", body=body, headers=h,
                         cookies=False)

    r = post('{"email": "a@b.fr"}', ctype="application/json")
    code, _, _ = error_json(r)
    t.ok(r.status == 415 and code == "unsupported_media_type",
         "POST /connexion with Content-Type: application/json is 415",
         r.brief())
    check_security(t, r, "a 415")
    r = post("email=a", ctype="text/plain")
    t.eq(r.status, 415, "POST with Content-Type: text/plain is 415")
    r = post(b"email=a%40b.fr", ctype=None)
    t.eq(r.status, 415, "POST with a body and no Content-Type is 415",
         r.brief())
    r = post(("csrf=%s&email=a%%40b.fr&password=x" % tok).encode(),
             ctype="application/x-www-form-urlencoded; charset=ISO-8859-1")
    t.eq(r.status, 415, "a urlencoded body in ISO-8859-1 is 415", r.brief())
    r = post(("csrf=%s&email=utf8%%40b.fr&password=%%C3%%A9t%%C3%%A9" %
              tok).encode(),
             ctype="application/x-www-form-urlencoded; charset=UTF-8")
    t.eq(r.status, 401, "a urlencoded body declared UTF-8 is accepted "
         "(401 for a wrong password)", r.brief())

    r = post(("csrf=%s&email=a%%FF%%FE%%40b.fr&password=x" % tok).encode())
    code, _, _ = error_json(r)
    t.ok(r.status == 400 and code == "invalid",
         "invalid UTF-8 (percent-encoded) in a field is 400 invalid",
         r.brief())
    r = post(b"csrf=" + tok.encode() + b"&email=a\xc3(b@b.fr&password=x")
    t.eq(r.status, 400, "invalid UTF-8 (raw bytes) in a field is 400",
         r.brief())
    r = post(("csrf=%s&email=a%%C0%%80@b.fr&password=x" % tok).encode())
    t.eq(r.status, 400, "an overlong UTF-8 sequence in a field is 400",
         r.brief())
    r = post(("csrf=%s&email=a%%00b@b.fr&password=x" % tok).encode())
    t.eq(r.status, 400, "a NUL byte in a field is 400", r.brief())
    r = post(("csrf=%s&email=a%%zzb.fr&password=x" % tok).encode())
    code, _, _ = error_json(r)
    t.ok(r.status == 400 and code == "invalid",
         "a malformed percent-escape (%zz) is 400", r.brief())
    r = post(("csrf=%s&password=x&email=a%%4" % tok).encode())
    t.eq(r.status, 400, "a truncated percent-escape at the end is 400",
         r.brief())
    r = post(("csrf=%s&=value&email=a%%40b.fr&password=x" % tok).encode())
    t.eq(r.status, 400, "a field with an empty name is 400", r.brief())
    hr = srv.client()
    hr.cookies = dict(c.cookies)
    r = hr.request("POST", "/connexion",
                   body=("csrf=%s&email=a%%zz" % tok).encode(),
                   headers={"Content-Type":
                            "application/x-www-form-urlencoded"})
    t.ok(r.status == 400 and "<html" in r.text,
         "the 400 is an HTML page for a browser", r.brief())
    check_security(t, r, "a 400")

    # Multipart is read as well.
    b = "----vigieTEST"
    body = ("--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n"
            "%s\r\n--%s\r\nContent-Disposition: form-data; name=\"email\""
            "\r\n\r\nmulti@b.fr\r\n--%s\r\nContent-Disposition: form-data; "
            "name=\"password\"\r\n\r\nfaux mot de passe\r\n--%s--\r\n" %
            (b, tok, b, b, b)).encode()
    r = post(body, ctype="multipart/form-data; boundary=" + b)
    t.eq(r.status, 401, "a multipart/form-data login form is read (401 "
         "for an unknown account)", r.brief())
    r = post(body[:-10], ctype="multipart/form-data; boundary=" + b)
    t.eq(r.status, 400, "a multipart body cut short is 400", r.brief())
    r = post(body, ctype="multipart/form-data")
    t.eq(r.status, 415, "multipart without a boundary is 415", r.brief())

    # Query strings and paths.
    r = c.get("/?q=%FF")
    t.eq(r.status, 400, "invalid UTF-8 in the query string is 400",
         r.brief())
    r = c.get("/%FF")
    t.ok(r.status in (400, 404), "invalid UTF-8 in the path is 400 or 404",
         r.brief())
    r = c.get("/?" + "&".join("k%d=v" % i for i in range(40)))
    t.eq(r.status, 400, "more than 32 query fields is 400", r.brief())
    r = c.get("/?q=" + "x" * 1500)
    t.eq(r.status, 400, "a query value over 1024 bytes is 400", r.brief())
    r = c.get("/" + "a" * 3000)
    t.ok(r.status in (400, 404, 414), "a 3000-byte path is refused",
         r.brief())


def keepalive(srv, t):
    """Several requests, errors among them, on one connection."""
    c = srv.client()
    conn = c.connect()
    got = []
    try:
        for path in ("/", "/nope", "/static/vigie.css", "/connexion", "/"):
            r = c.request("GET", path, conn=conn)
            got.append(r.status)
        r = c.request("POST", "/", form={"x": "y"}, conn=conn)
        got.append(r.status)
        r = c.request("GET", "/accessibilite", conn=conn)
        got.append(r.status)
    except (ConnectionError, http.client.HTTPException) as e:
        got.append(repr(e))
    finally:
        conn.close()
    t.eq(got, [200, 404, 200, 200, 200, 405, 200],
         "seven requests, errors included, on one keep-alive connection")


def logs(srv, t):
    """After the server stopped: its stderr is the access log."""
    rc, err, _ = srv.stop()
    c_lines = [l for l in err.splitlines() if " info GET " in l or
               " info POST " in l]
    t.ok(any(re.search(r" info GET / 200 [0-9.]+ms$", l) for l in c_lines),
         "the access log has one line per request (method, path, status, "
         "time)", *err.splitlines()[:5])
    t.ok(any(" 404 " in l for l in c_lines) and
         any(" 413 " in l for l in c_lines),
         "the access log records errors too")
    t.ok("127.0.0.1" not in err, "no IP address in the server's log",
         *[l for l in err.splitlines() if "127.0.0.1" in l][:5])


def group_log_agent(binary, t):
    """Requests with a distinctive user agent, a query string and a
    forwarded-for header, then the log is read."""
    srv = Server(binary, "log").start()
    try:
        c = srv.client()
        for path in ("/", "/?q=secret-de-requete", "/connexion", "/nope",
                     "/static/vigie.css"):
            r = c.get(path, headers={"User-Agent": AGENT,
                                     "X-Forwarded-For": "203.0.113.77"})
            t.ok(r.status in (200, 404), "GET %s with a user agent" % path,
                 r.brief())
        r = c.post("/connexion", form={"email": "a@b.fr"},
                   headers={"User-Agent": AGENT})
        t.eq(r.status, 403, "a POST without csrf is 403 (logged)")
    finally:
        srv.check_stop(t)
        _, err, _ = srv.stop()
        t.ok(len([l for l in err.splitlines() if " info GET " in l]) >= 5,
             "every request was logged", *err.splitlines()[:8])
        t.ok("127.0.0.1" not in err and "203.0.113.77" not in err,
             "no IP address in the log", *[l for l in err.splitlines()
                                           if "127.0.0.1" in l][:3])
        t.ok("vigie-test-ua" not in err and "NavigateurEspion" not in err,
             "no user agent in the log")
        t.ok("secret-de-requete" not in err, "no query string in the log")
        srv.cleanup()


GROUPS = [("pages", group_pages), ("log", group_log_agent)]
