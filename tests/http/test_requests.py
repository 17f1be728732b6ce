"""
test_requests.py — asking for a professional account, and an editor
approving or refusing it.
"""
from harness import (PASSWORD, Server, check_security, error_json,
                     french_text, parse_tags)

NOTE = "Je suis assistante sociale au CCAS, note-confidentielle-7d3a"
NAME = "Camille <b>Dupont</b> & fils"


def request_form(tok, **kw):
    f = {"csrf": tok, "name": "Camille Dupont",
         "email": "camille@asso.test", "organisation": "Association Relais",
         "profession": "Travailleuse sociale", "message": NOTE,
         "password": PASSWORD}
    f.update(kw)
    return {k: v for k, v in f.items() if v is not None}


def group_requests(binary, t):
    srv = Server(binary, "requests")
    srv.add_user("edit@vigie.test", "editor")
    srv.add_user("pro@vigie.test", "professional")
    srv.start()
    try:
        validation(srv, t)
        flow(srv, t)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def validation(srv, t):
    c = srv.client(json_=True)
    tok = c.csrf("/demande-de-compte")
    r = c.post("/demande-de-compte", form=request_form(tok,
                                                       password="court"))
    code, msg, field = error_json(r)
    t.ok(r.status == 400 and code == "invalid" and field == "password",
         "a short password is 400 on field password", r.brief())
    t.ok(msg and "12" in msg, "the message says 12 characters", msg)
    r = c.post("/demande-de-compte", form=request_form(
        tok, password="ééééééééééé"))
    t.eq(error_json(r)[2], "password", "11 accented letters are still too "
         "short (characters, not bytes)")
    r = c.post("/demande-de-compte", form=request_form(tok, email="pas-une"
                                                       "-adresse"))
    code, _, field = error_json(r)
    t.ok(r.status == 400 and field == "email",
         "a bad address is 400 on field email", r.brief())
    for bad in ("a@b", "@exemple.fr", "a b@exemple.fr", "a@@exemple.fr",
                "<a@exemple.fr>"):
        r = c.post("/demande-de-compte", form=request_form(tok, email=bad))
        t.ok(r.status == 400 and error_json(r)[2] == "email",
             "address %r is refused" % bad, r.brief())
    r = c.post("/demande-de-compte", form=request_form(tok, name=None))
    code, _, field = error_json(r)
    t.ok(r.status == 400 and field == "name",
         "a missing name is 400 on field name", r.brief())
    r = c.post("/demande-de-compte", form=request_form(tok, name="   "))
    t.eq(error_json(r)[2], "name", "a name of spaces counts as missing")
    r = c.post("/demande-de-compte", form=request_form(tok,
                                                       name="n" * 121))
    t.ok(r.status == 400 and error_json(r)[2] == "name",
         "a 121-character name is 400", r.brief())
    r = c.post("/demande-de-compte", form=request_form(tok,
                                                       message="m" * 2001))
    t.ok(r.status == 400 and error_json(r)[2] == "message",
         "a 2001-character message is 400", r.brief())
    r = c.post("/demande-de-compte", form=request_form(tok, csrf=None))
    t.eq(r.status, 403, "an account request without csrf is 403")

    # HTML: the form comes back, values kept and escaped, field marked.
    h = srv.client()
    tok = h.csrf("/demande-de-compte")
    r = h.post("/demande-de-compte", form=request_form(
        tok, name=NAME, password="court"))
    t.eq(r.status, 400, "a bad request form (HTML) is 400")
    tags = parse_tags(r.text)
    names = [a.get("value") for tag, a, _ in tags.tags
             if tag == "input" and a.get("name") == "name"]
    t.eq(names, [NAME], "the form comes back with the name kept")
    t.ok("<b>Dupont</b>" not in r.text and "&lt;b&gt;" in r.text,
         "what the visitor typed is HTML-escaped", r.brief())
    pw = [a for tag, a, _ in tags.tags
          if tag == "input" and a.get("name") == "password"]
    t.ok(pw and pw[0].get("aria-invalid") == "true" and
         not pw[0].get("value"),
         "the password field is marked invalid and not refilled",
         "%r" % pw)
    t.ok("12 caractères" in french_text(r),
         "the HTML form says why, in French")
    check_security(t, r, "a 400 form")
    t.ok(PASSWORD not in r.text, "the password is never echoed")


def flow(srv, t):
    c = srv.client(json_=True)
    tok = c.csrf("/demande-de-compte")
    r = c.post("/demande-de-compte", form=request_form(tok))
    j = r.json() or {}
    t.ok(r.status == 201 and (j.get("request") or {}).get("status") ==
         "pending", "a good request is 201 {request: {status: pending}}",
         r.brief())
    check_security(t, r, "a 201")
    h = srv.client()
    tok_h = h.csrf("/demande-de-compte")
    r = h.post("/demande-de-compte", form=request_form(
        tok_h, email="dominique@asso.test", name=NAME, message=None))
    t.ok(r.status == 201 and "<h1" in r.text,
         "a good request (HTML) is 201 with a confirmation page",
         r.brief())
    # The form must not tell who has an account: a taken address gets
    # the same answer as a new one, and nothing new is stored.
    r = c.post("/demande-de-compte", form=request_form(
        tok, email="CAMILLE@asso.test"))
    t.ok(r.status == 201 and r.json().get("request", {}).get("status") ==
         "pending", "a second request for the same address gets the "
         "same 201 answer", r.brief())
    r = c.post("/demande-de-compte", form=request_form(
        tok, email="pro@vigie.test"))
    t.eq(r.status, 201, "a request for an existing account's address gets "
         "the same 201 answer")
    out = srv.cli("user", "list", "--data", srv.data).stdout
    t.ok(out.count("camille@asso.test") == 1,
         "no second account was made for the same address", out)

    db = srv.data_bytes()
    t.ok(b"note-confidentielle-7d3a" not in db,
         "the request's message is not in clear in the database")
    t.ok(PASSWORD.encode() not in db,
         "the requested password is not in clear in the database")

    # A pending account cannot sign in.
    p = srv.client(json_=True)
    r = p.login("camille@asso.test", PASSWORD)
    code, msg, _ = error_json(r)
    t.ok(r.status == 403 and code == "forbidden",
         "a pending account cannot sign in (403 forbidden)", r.brief())
    t.ok(msg and "validée" in msg, "it is told its request awaits "
         "validation, in French", msg)
    t.ok("vigie_session" not in p.cookies, "no session for a pending "
         "account")
    r = p.login("camille@asso.test", "pas le bon mot de passe")
    t.eq(r.status, 401, "a pending account with a wrong password is 401 "
         "(nothing revealed)")

    # The editor's view.
    e = srv.client(json_=True)
    r = e.login("edit@vigie.test", PASSWORD)
    t.eq(r.status, 200, "the editor signs in")
    r = e.get("/admin/comptes")
    j = r.json() or {}
    pending = {x.get("email"): x for x in j.get("pending", [])}
    t.ok(set(pending) == {"camille@asso.test", "dominique@asso.test"},
         "the editor sees both pending requests", r.brief())
    cam = pending.get("camille@asso.test", {})
    t.eq(cam.get("note"), NOTE, "the request's message is decrypted for "
         "the editor")
    t.ok(cam.get("organisation") == "Association Relais" and
         cam.get("profession") == "Travailleuse sociale",
         "the editor sees organisation and profession", "%r" % cam)
    t.ok("note" not in pending.get("dominique@asso.test", {"note": 1}),
         "a request without a message has no note")
    users = {u.get("email"): u for u in j.get("users", [])}
    t.eq((users.get("camille@asso.test") or {}).get("status"), "pending",
         "the account list shows the request as pending")
    eh = srv.client()
    eh.cookies = dict(e.cookies)
    r = eh.get("/admin/comptes")
    text = french_text(r)
    t.ok(r.status == 200 and NOTE in text and
         "<b>Dupont</b>" not in r.text,
         "the HTML list shows the message, names escaped", r.brief())
    actions = [a.get("action") for tag, a, _ in parse_tags(r.text).tags
               if tag == "form"]
    t.ok("/admin/comptes/%s/approuver" % cam.get("id") in actions,
         "the HTML list has an approve form per request", "%r" % actions)

    tok_e = e.csrf("/admin/comptes")
    r = e.post("/admin/comptes/%s/approuver" % cam.get("id"), form={})
    t.eq(r.status, 403, "approving without csrf is 403")
    r = e.post("/admin/comptes/%s/approuver" % cam.get("id"),
               form={"csrf": tok_e})
    j = r.json() or {}
    t.ok(r.status == 200 and (j.get("account") or {}).get("status") ==
         "active", "approving is 200 {account: {status: active}} in JSON",
         r.brief())
    r = e.post("/admin/comptes/%s/approuver" % cam.get("id"),
               form={"csrf": tok_e})
    t.eq(r.status, 404, "approving twice is 404")
    for bad in ("999999", "0", "-1", "abc", "1e3", "99999999999999999999"):
        r = e.post("/admin/comptes/%s/approuver" % bad,
                   form={"csrf": tok_e})
        t.eq(r.status, 404, "approving request %r is 404" % bad)
    t.ok(b"note-confidentielle-7d3a" not in srv.data_bytes(),
         "the message is still not in clear after approval")

    r = p.login("camille@asso.test", PASSWORD)
    t.eq(r.status, 200, "the approved professional can sign in", r.brief())
    r = p.get("/compte")
    acct = (r.json() or {}).get("account") or {}
    t.ok(r.status == 200 and acct.get("role") == "professional" and
         acct.get("name") == "Camille Dupont",
         "the new account is a professional's, with its name", r.brief())
    t.eq(p.get("/admin/comptes").status, 403,
         "the new professional cannot manage accounts")

    # Refusal, in HTML: a 303 back to the list.
    dom = pending.get("dominique@asso.test", {})
    r = eh.post("/admin/comptes/%s/refuser" % dom.get("id"),
                form={"csrf": eh.csrf("/admin/comptes")})
    t.ok(r.status == 303 and r.header("location") == "/admin/comptes",
         "refusing (HTML) is a 303 back to /admin/comptes", r.brief())
    j = e.get("/admin/comptes").json() or {}
    t.eq(j.get("pending"), [], "no request left pending")
    users = {u.get("email"): u for u in j.get("users", [])}
    t.eq((users.get("dominique@asso.test") or {}).get("status"),
         "rejected", "the refused account is marked rejected")
    r = srv.client(json_=True).login("dominique@asso.test", PASSWORD)
    t.eq(r.status, 401, "a refused account cannot sign in")
    r = eh.post("/admin/comptes/%s/approuver" % dom.get("id"),
                form={"csrf": eh.csrf("/admin/comptes")})
    t.eq(r.status, 404, "a refused request cannot be approved later")


GROUPS = [("requests", group_requests)]
