"""
test_sessions.py — settings of vigie.conf that change sessions: secure
cookies, the idle timeout and the absolute lifetime.  Each group has its
own server and spends most of its time waiting, so they run side by side.
"""
import time

from harness import PASSWORD, Server, cookie_attrs, parse_tags

EXIT = "https://www.example.org/neutre"


def group_secure(binary, t):
    srv = Server(binary, "secure", conf={"secure_cookies": "yes",
                                         "quick_exit_url": EXIT})
    srv.add_user("pro@vigie.test", "professional")
    srv.start()
    try:
        c = srv.client()
        r = c.get("/connexion")
        line = r.cookie("vigie_csrf") or ""
        t.ok("secure" in cookie_attrs(line)[2],
             "with secure_cookies = yes, vigie_csrf is Secure", line)
        r = c.login("pro@vigie.test", PASSWORD)
        line = r.cookie("vigie_session") or ""
        name, value, attrs = cookie_attrs(line) if line else ("", "", {})
        t.ok(r.status == 303 and "secure" in attrs and
             attrs.get("httponly") is True and
             str(attrs.get("samesite")).lower() == "strict",
             "with secure_cookies = yes, vigie_session is Secure, HttpOnly, "
             "SameSite=Strict", r.brief())
        r = c.post("/deconnexion", form={"csrf": c.csrf("/compte")})
        line = r.cookie("vigie_session") or ""
        t.ok("secure" in cookie_attrs(line)[2] and "Max-Age=0" in line,
             "the deleting cookie is Secure too", line)
        r = c.get("/")
        qe = [a.get("href") for tag, a, _ in parse_tags(r.text).tags
              if a.get("id") == "sortie-rapide"]
        t.eq(qe, [EXIT], "quick_exit_url from vigie.conf is the quick "
             "exit's target")
    finally:
        srv.check_stop(t)
        srv.cleanup()


def group_idle(binary, t):
    srv = Server(binary, "idle", conf={"session_idle": "2"})
    srv.add_user("pro@vigie.test", "professional")
    srv.start()
    try:
        # Two sessions from one sign-in each (two hashes).
        a = srv.client()
        r = a.login("pro@vigie.test", PASSWORD)
        t.eq(r.status, 303, "sign-in (session_idle = 2)")
        b = srv.client()
        b.login("pro@vigie.test", PASSWORD)
        t0 = time.monotonic()
        # b is used about every 0.6 s; a is left alone.
        b_codes = []
        while time.monotonic() - t0 < 4.2:
            b_codes.append(b.get("/compte").status)
            time.sleep(0.6)
        r = a.get("/compte")
        t.ok(r.status == 303 and r.header("location") == "/connexion",
             "a session unused for more than session_idle gives no access",
             r.brief())
        line = r.cookie("vigie_session") or ""
        t.ok("Max-Age=0" in line, "the expired session's cookie is deleted",
             line)
        t.eq(b_codes and b_codes[0], 200, "a fresh session works")
        t.ok(all(s == 200 for s in b_codes),
             "a session used every 0.6 s stays open past session_idle "
             "(idle means unused)",
             "statuses over 4 s, every 0.6 s: %r" % b_codes)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def group_idle_json(binary, t):
    srv = Server(binary, "idle-json", conf={"session_idle": "2"})
    srv.add_user("pro@vigie.test", "professional")
    srv.start()
    try:
        c = srv.client(json_=True)
        r = c.login("pro@vigie.test", PASSWORD)
        t.eq(r.status, 200, "JSON sign-in (session_idle = 2)")
        t.eq(c.get("/compte").status, 200, "the session works at once")
        time.sleep(3.2)
        r = c.get("/compte")
        t.eq(r.status, 401, "after 3 s unused the session is 401 in JSON",
             r.brief())
        t.ok("vigie_session" not in c.cookies,
             "and the server deletes its cookie")
    finally:
        srv.check_stop(t)
        srv.cleanup()


def group_max(binary, t):
    srv = Server(binary, "max", conf={"session_max": "3",
                                      "session_idle": "3600"})
    srv.add_user("pro@vigie.test", "professional")
    srv.start()
    try:
        c = srv.client()
        r = c.login("pro@vigie.test", PASSWORD)
        t.eq(r.status, 303, "sign-in (session_max = 3)")
        cookie = c.cookies.get("vigie_session")
        t0 = time.monotonic()
        codes = []
        # Used every second for 3 s, then once more past 4 s.
        while time.monotonic() - t0 < 3.0:
            r = c.get("/compte")
            codes.append((round(time.monotonic() - t0, 1), r.status))
            time.sleep(1.0)
        t.eq(codes[0][1], 200, "the session works at first", "%r" % codes)
        t.ok(all(s == 200 for (sec, s) in codes if sec < 1.9),
             "the session still works 1 s later", "%r" % codes)
        time.sleep(max(0.0, 4.2 - (time.monotonic() - t0)))
        r = c.get("/compte")
        codes.append((round(time.monotonic() - t0, 1), r.status))
        t.ok(r.status == 303 and r.header("location") == "/connexion",
             "a session used every second still ends after session_max "
             "(no access 4 s after sign-in)",
             "(seconds, status): %r" % codes)
        j = srv.client(json_=True)
        j.cookies["vigie_session"] = cookie or "x"
        t.eq(j.get("/compte").status, 401,
             "the expired session is 401 in JSON")
    finally:
        srv.check_stop(t)
        srv.cleanup()


GROUPS = [("secure", group_secure), ("idle", group_idle),
          ("idle-json", group_idle_json), ("max", group_max)]
