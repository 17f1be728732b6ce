"""
test_auth.py — CSRF, signing in and out, session cookies, the login
throttle, and what each role may see.
"""
import re
import threading

from harness import (PASSWORD, Client, Server, check_security, cookie_attrs,
                     error_json, french_text, parse_tags)
from test_pages import html_checks

WRONG = "mauvaise phrase de passe 17"


def group_auth(binary, t):
    srv = Server(binary, "auth")
    ids = {}
    for email, role in (("pro@vigie.test", "professional"),
                        ("analyste@vigie.test", "analyst"),
                        ("edit@vigie.test", "editor"),
                        ("admin@vigie.test", "admin"),
                        ("cible@vigie.test", "professional")):
        ids[email] = srv.add_user(email, role)
    srv.start()
    try:
        csrf(srv, t)
        login(srv, t, ids)
        renewal(srv, t)
        throttle(srv, t)
        roles(srv, t)
        logout(srv, t)
    finally:
        srv.check_stop(t)
        _, err, _ = srv.stop()
        t.ok(PASSWORD not in err and WRONG not in err,
             "no password (right or wrong) in the server's log")
        t.ok("pro@vigie.test" not in err and "cible@vigie.test" not in err,
             "no e-mail address in the server's log")
        db = srv.data_bytes()
        t.ok(PASSWORD.encode() not in db and WRONG.encode() not in db,
             "no password in the database files")
        srv.cleanup()


def csrf(srv, t):
    a = srv.client(json_=True)
    tok_a = a.csrf()
    b = srv.client(json_=True)
    tok_b = b.csrf()
    form = {"email": "pro@vigie.test", "password": PASSWORD}

    r = a.post("/connexion", form=form)
    code, msg, _ = error_json(r)
    t.ok(r.status == 403 and code == "csrf",
         "POST /connexion without csrf is 403 csrf", r.brief())
    check_security(t, r, "a CSRF 403")
    r = a.post("/connexion", form=dict(form, csrf=tok_b))
    code, _, _ = error_json(r)
    t.ok(r.status == 403 and code == "csrf",
         "a csrf token from another visitor is 403", r.brief())
    r = a.post("/connexion", form=dict(form, csrf=tok_a + "x"))
    t.eq(r.status, 403, "a csrf token with a character more is 403")
    r = a.post("/connexion", form=dict(form, csrf=""))
    t.eq(r.status, 403, "an empty csrf token is 403")
    n = Client(srv.port, json_=True)
    r = n.post("/connexion", form=dict(form, csrf=tok_a))
    t.eq(r.status, 403, "a csrf token without its cookie is 403")
    r = n.request("POST", "/connexion", form=dict(form, csrf=tok_a),
                  headers={"Cookie": "vigie_csrf=" + tok_a})
    t.eq(r.status, 403, "the token sent as its own cookie is 403")
    r = n.request("POST", "/connexion", form=dict(form, csrf=tok_a),
                  headers={"Cookie": "vigie_csrf=court"})
    t.eq(r.status, 403, "a malformed vigie_csrf cookie is 403")
    h = srv.client()
    h.cookies = dict(a.cookies)
    r = h.post("/connexion", form=form)
    t.ok(r.status == 403 and "expiré" in french_text(r) and
         "<html" in r.text, "a CSRF failure in HTML is a French 403 page",
         r.brief())
    r = a.post("/deconnexion", form={})
    t.eq(r.status, 403, "POST /deconnexion without csrf is 403")
    r = a.post("/admin/comptes/1/approuver", form={"csrf": tok_a})
    t.eq(r.status, 401, "an anonymous POST to an editor route is 401 "
         "(JSON) even with a valid token")

    # The header instead of the field (and JSON sign-in, addresses in
    # any case).
    r = a.post("/connexion", form={"email": "PRO@Vigie.Test",
                                   "password": PASSWORD},
               headers={"X-CSRF-Token": tok_a})
    j = r.json() or {}
    t.ok(r.status == 200 and isinstance(j.get("user"), dict) and
         isinstance(j["user"].get("id"), int),
         "X-CSRF-Token is accepted instead of the field; JSON sign-in is "
         "200 {user: {id}}", r.brief())
    t.ok("vigie_session" in a.cookies, "a JSON sign-in sets vigie_session")
    r = a.get("/compte")
    t.ok(r.status == 200 and ((r.json() or {}).get("account") or {}).get(
        "email") == "pro@vigie.test",
        "the address is case-insensitive and the session opens /compte",
        r.brief())
    # The anonymous token dies with sign-in.
    r = a.post("/deconnexion", form={"csrf": tok_a})
    t.eq(r.status, 403, "the anonymous csrf token no longer works once "
         "signed in")
    r = a.post("/deconnexion", form={"csrf": tok_b})
    t.eq(r.status, 403, "nor does another visitor's token")
    r = a.get("/compte")
    t.eq(r.status, 200, "the session survives refused sign-outs")


def login(srv, t, ids):
    h = srv.client()
    tok = h.csrf()
    r = h.post("/connexion", form={"email": "pro@vigie.test",
                                   "password": WRONG, "csrf": tok})
    t.eq(r.status, 401, "a wrong password (HTML) is 401")
    tags = parse_tags(r.text)
    forms = [a for tag, a, _ in tags.tags if tag == "form" and
             a.get("action") == "/connexion"]
    emails = [a.get("value") for tag, a, _ in tags.tags
              if tag == "input" and a.get("name") == "email"]
    t.ok(forms and emails == ["pro@vigie.test"],
         "the login form comes back with the address kept",
         "forms %r emails %r" % (forms, emails))
    t.ok("incorrect" in french_text(r), "the form says the password or "
         "address is wrong, in French", r.brief())
    t.ok(WRONG not in r.text, "the wrong password is not echoed")
    t.ok(h.cookies.get("vigie_session") is None,
         "no session after a wrong password")

    j = srv.client(json_=True)
    tok = j.csrf()
    r = j.post("/connexion", form={"email": "pro@vigie.test",
                                   "password": WRONG, "csrf": tok})
    code, msg_wrong, _ = error_json(r)
    t.ok(r.status == 401 and code == "unauthenticated",
         "a wrong password (JSON) is 401 unauthenticated", r.brief())
    r = j.post("/connexion", form={"email": "personne@vigie.test",
                                   "password": PASSWORD, "csrf": tok})
    code, msg_unknown, _ = error_json(r)
    t.ok(r.status == 401 and code == "unauthenticated" and
         msg_unknown == msg_wrong,
         "an unknown address is 401 with the same message as a wrong "
         "password", r.brief(), "wrong password: %r" % msg_wrong)
    r = j.post("/connexion", form={"email": "pro@vigie.test",
                                   "password": "", "csrf": tok})
    code, _, field = error_json(r)
    t.ok(r.status == 400 and field == "password",
         "an empty password is 400 on field password", r.brief())
    r = j.post("/connexion", form={"password": PASSWORD, "csrf": tok})
    code, _, field = error_json(r)
    t.ok(r.status == 400 and field == "email",
         "a missing address is 400 on field email", r.brief())

    # The real thing, in HTML.
    r = h.post("/connexion", form={"email": "pro@vigie.test",
                                   "password": PASSWORD,
                                   "csrf": h.csrf()})
    t.ok(r.status == 303 and r.header("location") == "/compte",
         "the right password (HTML) is a 303 to /compte", r.brief())
    check_security(t, r, "the sign-in redirect")
    line = r.cookie("vigie_session")
    t.ok(line is not None, "sign-in sets vigie_session", r.brief())
    if line:
        name, value, attrs = cookie_attrs(line)
        t.ok(attrs.get("httponly") is True and
             str(attrs.get("samesite")).lower() == "strict" and
             attrs.get("path") == "/",
             "vigie_session is HttpOnly; SameSite=Strict; Path=/", line)
        t.ok("secure" not in attrs,
             "vigie_session has no Secure flag by default", line)
        t.ok("max-age" not in attrs and "expires" not in attrs,
             "vigie_session is a browser-session cookie", line)
        t.ok(len(value) >= 32 and re.match(r"^[A-Za-z0-9_-]+$", value),
             "the session token is long and URL-safe", line)
    r = h.get("/compte")
    text = french_text(r)
    t.ok(r.status == 200 and "pro@vigie.test" in text,
         "GET /compte shows the signed-in account", r.brief())
    t.ok("professionnel" in text, "GET /compte shows the role in French")
    html_checks(t, "/compte", r)
    html_nav = parse_tags(r.text)
    hrefs = [a.get("href") for tag, a, _ in html_nav.tags if tag == "a"]
    t.ok("/compte" in hrefs and "/admin/comptes" not in hrefs,
         "a professional's menu has Mon compte, not Comptes")
    logout_forms = [a for tag, a, _ in html_nav.tags
                    if tag == "form" and a.get("action") == "/deconnexion"]
    t.ok(logout_forms and (logout_forms[0].get("method") or "").lower() ==
         "post", "a signed-in page has a POST sign-out form")
    r = h.get("/compte", json_=True)
    acct = (r.json() or {}).get("account") or {}
    t.ok(acct.get("id") == ids["pro@vigie.test"] and
         acct.get("role") == "professional",
         "GET /compte JSON gives the account's id and role", r.brief())
    check_security(t, r, "GET /compte")

    # A forged session cookie is treated as no session, and dropped.
    f = srv.client()
    f.cookies["vigie_session"] = "A" * 43
    r = f.get("/compte")
    line = r.cookie("vigie_session") or ""
    t.ok(r.status == 303 and r.header("location") == "/connexion",
         "a made-up session token gives no access", r.brief())
    t.ok("Max-Age=0" in line, "a made-up session cookie is deleted", line)
    f.cookies["vigie_session"] = "x'; DROP TABLE users; --"
    r = f.get("/compte", json_=True)
    t.eq(r.status, 401, "a malformed session cookie gives 401 (JSON)")


def renewal(srv, t):
    c = srv.client()
    r = c.login("pro@vigie.test", PASSWORD)
    s1 = c.cookies.get("vigie_session")
    t.ok(r.status == 303 and s1, "first sign-in", r.brief())
    # The visitor signs in again with s1 still in the jar.
    tok = c.csrf()
    r = c.post("/connexion", form={"email": "pro@vigie.test",
                                   "password": PASSWORD, "csrf": tok})
    s2 = c.cookies.get("vigie_session")
    t.ok(r.status == 303 and s2 and s2 != s1,
         "signing in again gives a new session token", r.brief())
    old = srv.client()
    old.cookies["vigie_session"] = s1 or "x"
    r = old.get("/compte")
    t.ok(r.status == 303 and r.header("location") == "/connexion",
         "the replaced session token no longer works", r.brief())
    r = old.get("/compte", json_=True)
    t.eq(r.status, 401, "the replaced session token is 401 in JSON")
    r = c.get("/compte")
    t.eq(r.status, 200, "the new session token works")
    # Another sign-in elsewhere does not end this one.
    d = srv.client()
    r = d.login("pro@vigie.test", PASSWORD)
    t.ok(r.status == 303 and d.cookies.get("vigie_session") not in (s1, s2),
         "a sign-in from another browser gets its own token")
    r = c.get("/compte")
    t.eq(r.status, 200, "a sign-in elsewhere leaves this session alone")


def throttle(srv, t):
    c = srv.client(json_=True)
    statuses = []
    codes = []
    for i in range(6):
        r = c.login("cible@vigie.test", WRONG)
        statuses.append(r.status)
        codes.append(error_json(r)[0])
        if r.status == 429:
            break
    t.ok(statuses[:4] == [401] * 4, "the first four wrong passwords are "
         "401", "statuses %r" % statuses)
    t.ok(statuses[-1] == 429 and len(statuses) in (5, 6) and
         codes[-1] == "too_many_attempts",
         "the 5th or 6th wrong password is 429 too_many_attempts",
         "statuses %r codes %r" % (statuses, codes))
    r = c.login("cible@vigie.test", PASSWORD)
    code, _, _ = error_json(r)
    t.ok(r.status == 429 and code == "too_many_attempts",
         "while locked, even the right password is 429", r.brief())
    t.ok("vigie_session" not in c.cookies, "no session while locked")
    h = srv.client()
    r = h.login("cible@vigie.test", PASSWORD)
    t.ok(r.status == 429 and "Réessayez" in french_text(r),
         "the HTML 429 says to try later, in French", r.brief())
    check_security(t, r, "a 429")
    r = srv.client(json_=True).login("pro@vigie.test", PASSWORD)
    t.eq(r.status, 200, "another account is not locked")
    # An address without an account locks the same way: the lock tells
    # nothing about which addresses exist.
    ghost = []
    for i in range(6):
        r = c.login("fantome@vigie.test", WRONG)
        ghost.append(r.status)
        if r.status == 429:
            break
    t.eq(ghost, statuses, "an address without an account is locked after "
         "as many failures (no account enumeration)")


def group_throttle_race(binary, t):
    """Wrong passwords sent all at once must not slip past the lock: the
    count of failures is kept per address whatever the concurrency."""
    srv = Server(binary, "throttle-race", conf={"threads": "4"})
    srv.add_user("cible@vigie.test", "professional")
    srv.start()
    try:
        c = srv.client(json_=True)
        tok = c.csrf()
        n = 16
        statuses = [None] * n
        go = threading.Barrier(n)

        def attempt(i):
            u = Client(srv.port, json_=True)
            u.cookies = dict(c.cookies)
            go.wait()
            try:
                r = u.post("/connexion", form={
                    "email": "cible@vigie.test", "password": WRONG + str(i),
                    "csrf": tok})
                statuses[i] = r.status
            except Exception as e:      # noqa: BLE001
                statuses[i] = repr(e)
        threads = [threading.Thread(target=attempt, args=(i,))
                   for i in range(n)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        wrong = statuses.count(401)
        t.ok(wrong <= 5 and statuses.count(429) == n - wrong,
             "%d wrong passwords at once: no more get 401 than one after "
             "the other (at most 5; the rest 429)" % n,
             "401 x %d, 429 x %d: %r" % (wrong, statuses.count(429),
                                         sorted(map(str, statuses))))
        r = c.login("cible@vigie.test", PASSWORD)
        t.eq(r.status, 429, "after them the address is locked")
    finally:
        srv.check_stop(t)
        srv.cleanup()


def roles(srv, t):
    c = srv.client()
    c.login("pro@vigie.test", PASSWORD)
    r = c.get("/admin/comptes")
    t.ok(r.status == 403 and "<html" in r.text,
         "a professional gets 403 on /admin/comptes (HTML)", r.brief())
    r = c.get("/admin/comptes", json_=True)
    code, _, _ = error_json(r)
    t.ok(r.status == 403 and code == "forbidden",
         "a professional gets 403 forbidden on /admin/comptes (JSON)",
         r.brief())
    tok = c.csrf("/compte")
    r = c.post("/admin/comptes/1/approuver", form={"csrf": tok},
               json_=True)
    t.eq(r.status, 403, "a professional cannot approve an account")

    for email, want in (("analyste@vigie.test", 403),
                        ("edit@vigie.test", 200),
                        ("admin@vigie.test", 200)):
        u = srv.client()
        r = u.login(email, PASSWORD)
        t.eq(r.status, 303, "%s signs in" % email)
        r = u.get("/admin/comptes")
        t.eq(r.status, want, "%s gets %d on /admin/comptes" % (email, want))
        r2 = u.get("/compte")
        t.eq(r2.status, 200, "%s opens /compte" % email)
        if want == 200:
            hrefs = [a.get("href") for tag, a, _ in parse_tags(r.text).tags
                     if tag == "a"]
            t.ok("/admin/comptes" in hrefs,
                 "%s's menu links to /admin/comptes" % email)
            if email.startswith("edit"):
                check_security(t, r, "GET /admin/comptes")
                html_checks(t, "/admin/comptes", r)
            j = u.get("/admin/comptes", json_=True).json() or {}
            emails = [x.get("email") for x in j.get("users", [])]
            t.ok({"pro@vigie.test", "edit@vigie.test"} <= set(emails) and
                 isinstance(j.get("pending"), list),
                 "%s sees every account in JSON" % email, "%r" % emails)
            t.ok(all("password_hash" not in x and
                     not any("argon2" in str(v) for v in x.values())
                     for x in j.get("users", [])),
                 "the account list never shows password hashes")


def logout(srv, t):
    c = srv.client()
    c.login("pro@vigie.test", PASSWORD)
    s = c.cookies.get("vigie_session")
    tok = c.csrf("/compte")
    r = c.post("/deconnexion", form={"csrf": tok})
    t.ok(r.status == 303 and r.header("location") == "/",
         "POST /deconnexion with csrf is a 303 to /", r.brief())
    line = r.cookie("vigie_session") or ""
    name, value, attrs = cookie_attrs(line) if line else ("", "x", {})
    t.ok(value == "" and attrs.get("max-age") == "0" and
         attrs.get("path") == "/" and attrs.get("httponly") is True,
         "sign-out deletes vigie_session (empty, Max-Age=0, Path=/)", line)
    check_security(t, r, "the sign-out redirect")
    old = srv.client()
    old.cookies["vigie_session"] = s or "x"
    r = old.get("/compte")
    t.ok(r.status == 303 and r.header("location") == "/connexion",
         "after sign-out the old session token gives no access", r.brief())
    r = old.get("/compte", json_=True)
    t.eq(r.status, 401, "after sign-out the old token is 401 in JSON")

    j = srv.client(json_=True)
    j.login("pro@vigie.test", PASSWORD)
    s = j.cookies.get("vigie_session")
    r = j.post("/deconnexion", form={"csrf": j.csrf("/compte")})
    t.ok(r.status == 200 and (r.json() or {}).get("signed_out") is True,
         "JSON sign-out is 200 {signed_out: true}", r.brief())
    old = srv.client(json_=True)
    old.cookies["vigie_session"] = s or "x"
    t.eq(old.get("/compte").status, 401,
         "after a JSON sign-out the token is dead")
    # Signing out without a session is harmless.
    a = srv.client(json_=True)
    r = a.post("/deconnexion", form={"csrf": a.csrf()})
    t.ok(r.status == 200, "signing out with no session is 200", r.brief())


GROUPS = [("auth", group_auth), ("throttle-race", group_throttle_race)]
