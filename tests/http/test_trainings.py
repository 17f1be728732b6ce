"""
test_trainings.py — the trainings: the public catalogue and its JSON twin,
filters, a training's page, registration (professional accounts only),
the waiting list and moving up, past sessions and duplicates refused,
the calendar file (RFC 5545), the remote link kept for the people
registered, the editors' pages (create, edit, validation: field named,
4xx, nothing written), attendance, CSV and XLSX exports, who may see
registrations; and, against a real SMTP server on loopback (Debian's
aiosmtpd), the confirmation, waiting-list, move-up and reminder mails
(`vigie formations rappels`), and a mail failure that undoes nothing.
"""
import datetime
import email
import email.header
import io
import os
import re
import time
import zipfile
from zoneinfo import ZoneInfo

from harness import (PASSWORD, Server, check_security, error_json,
                     french_text, parse_tags)
from test_analysis import start_smtp

PARIS = ZoneInfo("Europe/Paris")
EDITOR = "redaction@vigie.test"
PROS = ["pro1@vigie.test", "pro2@vigie.test", "pro3@vigie.test",
        "pro4@vigie.test"]
TITLE = "Cyberviolences, législation & <procédures>"


def paris_day(days):
    """The date in Paris `days` from today, YYYY-MM-DD."""
    return (datetime.datetime.now(PARIS).date() +
            datetime.timedelta(days=days)).isoformat()


def utc_stamp(day, hhmm):
    """The iCalendar UTC time of a Paris day and time."""
    y, m, d = map(int, day.split("-"))
    h, mi = map(int, hhmm.split(":"))
    t = datetime.datetime(y, m, d, h, mi, tzinfo=PARIS)
    return t.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def training_form(tok, **over):
    form = {"csrf": tok, "title": TITLE,
            "objectives": "- Reconnaître les cyberviolences\n- Orienter",
            "audience": "Professionnel·les de la protection de l'enfance",
            "duration": "120", "format": "onsite",
            "trainer": "Équipe du pôle ressources", "published": "1",
            "themes": ["harcelement", "droit"]}
    form.update(over)
    pairs = []
    for k, v in form.items():
        if v is None:
            continue
        if isinstance(v, list):
            pairs += [(k, x) for x in v]
        else:
            pairs.append((k, v))
    return pairs


def session_form(tok, **over):
    form = {"csrf": tok, "day": paris_day(5), "start": "09:30",
            "end": "12:00",
            "place": "Maison des associations, 3 rue Neuve; Saint-Étienne",
            "departement": "42", "capacity": "2"}
    form.update(over)
    return {k: v for k, v in form.items() if v is not None}


def signed_in(srv, email_, json_=True):
    c = srv.client(json_=json_)
    r = c.login(email_, PASSWORD, json_=True)
    if r.status != 200:
        raise AssertionError("login %s: %s" % (email_, r.brief()))
    return c


def registration(c, tid, sid):
    """This visitor's registration to session sid, from the training's
    JSON page, or None."""
    j = c.get("/formations/%d" % tid, json_=True).json() or {}
    for s in j.get("sessions", []):
        if s.get("id") == sid:
            return s.get("registration")
    return None


def registrations(ed, sid):
    j = ed.get("/admin/formations/sessions/%d" % sid, json_=True).json()
    return (j or {}).get("registrations", [])


def setup_server(name, conf=None):
    srv = Server(name=name, binary=setup_server.binary, conf=conf)
    srv.add_user(EDITOR, "editor")
    for p in PROS:
        srv.add_user(p, "professional")
    return srv


# --- the main group -------------------------------------------------------------

def group_trainings(binary, t):
    setup_server.binary = binary
    srv = setup_server("trainings")
    srv.start()
    try:
        ed = signed_in(srv, EDITOR)
        tok = ed.csrf("/admin/formations/nouvelle")
        ids = editor_pages(srv, t, ed, tok)
        catalogue(srv, t, ids)
        registering(srv, t, ed, ids)
        calendar(srv, t, ids)
        remote_link(srv, t, ed, tok)
        attendance_and_exports(srv, t, ed, ids)
        capacity_changes(srv, t, ed, tok, ids)
        unpublished(srv, t, ed, tok, ids)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def editor_pages(srv, t, ed, tok):
    r = ed.get("/admin/formations")
    t.ok(r.status == 200 and (r.json() or {}).get("trainings") == [],
         "GET /admin/formations (JSON) is 200 with no training", r.brief())
    check_security(t, r, "GET /admin/formations")
    r = ed.get("/admin/formations/nouvelle", json_=False)
    t.eq(r.status, 200, "the new training form (HTML) is 200")

    # Bad input: the field named, a 4xx, nothing written.
    bad = [("title", {"title": None}, "titre"),
           ("title", {"title": "x" * 201}, "titre"),
           ("title", {"title": "deux\nlignes"}, "titre"),
           ("objectives", {"objectives": None}, "objectifs"),
           ("audience", {"audience": None}, "public"),
           ("duration", {"duration": "deux heures"}, "minutes"),
           ("duration", {"duration": "0"}, "minutes"),
           ("duration", {"duration": "99999"}, "minutes"),
           ("format", {"format": "hybride"}, "format"),
           ("format", {"format": None}, "format"),
           ("themes", {"themes": []}, "thème"),
           ("themes", {"themes": ["harcelement", "astrologie"]}, "thème"),
           ("trainer", {"trainer": None}, "formateur")]
    problems = []
    for field, over, word in bad:
        r = ed.post("/admin/formations/nouvelle",
                    form=training_form(tok, **over))
        code, msg, f = error_json(r)
        if r.status != 400 or f != field or code != "invalid" or \
                word not in (msg or "").lower():
            problems.append("%r: %s" % (over, r.brief()))
    t.ok(not problems, "%d malformed trainings are 400 with a French "
         "message naming the field" % len(bad), *problems)
    t.eq((ed.get("/admin/formations").json() or {}).get("trainings"), [],
         "none of them was written")
    r = ed.post("/admin/formations/nouvelle",
                form=training_form(tok, title=None, duration="x"),
                json_=False)
    tags = parse_tags(r.text)
    t.ok(r.status == 400 and
         any(tag == "input" and a.get("id") == "title" and
             a.get("aria-invalid") == "true" for tag, a, _ in tags.tags) and
         any(a.get("role") == "alert" for _, a, _ in tags.tags) and
         "Le titre est obligatoire" in french_text(r),
         "the HTML form shows the error: role=alert, aria-invalid on the "
         "title, the French message", r.brief())
    t.ok('value="Équipe du pôle ressources"' in french_text(r),
         "the HTML form keeps what was typed")

    r = ed.post("/admin/formations/nouvelle", form=training_form(tok))
    tid = ((r.json() or {}).get("training") or {}).get("id")
    t.ok(r.status == 201 and isinstance(tid, int),
         "a training is created (201, {training: {id}})", r.brief())
    r = ed.post("/admin/formations/nouvelle", form=training_form(
        tok, title="Brouillon non publié", published=None))
    draft = ((r.json() or {}).get("training") or {}).get("id")
    t.eq(r.status, 201, "an unpublished training is created")
    r = ed.post("/admin/formations/nouvelle", form=training_form(
        tok, title="Logiciels espions : repérer", format="remote",
        themes=["logiciel-espion"]), json_=False)
    t.ok(r.status == 303 and re.match(r"^/admin/formations/\d+$",
                                      r.header("location") or ""),
         "the HTML form redirects to the training's page (303)", r.brief())
    remote = int(r.header("location").rsplit("/", 1)[1])
    j = ed.get("/admin/formations/%d" % tid).json() or {}
    v = j.get("values") or {}
    t.ok(v.get("title") == TITLE and v.get("duration") == 120 and
         v.get("format") == "onsite" and v.get("published") is True and
         [x["code"] for x in v.get("themes", [])] == ["harcelement", "droit"]
         and j.get("sessions") == [],
         "the training reads back as saved", j)

    # Sessions: validation, then three of them.
    base = len(j.get("sessions") or [])
    bad = [("day", {"day": paris_day(5).replace("-", "/")}),
           ("day", {"day": "2026-02-30"}),
           ("day", {"day": None}),
           ("start", {"start": "9h30"}),
           ("end", {"end": "25:00"}),
           ("end", {"start": "14:00", "end": "12:00"}),
           ("capacity", {"capacity": "0"}),
           ("capacity", {"capacity": "beaucoup"}),
           ("place", {"place": None}),
           ("departement", {"departement": "99"}),
           ("departement", {"departement": None}),
           ("survey_before", {"survey_before": "../admin"}),
           ("survey_after", {"survey_after": "a b"})]
    problems = []
    for field, over in bad:
        r = ed.post("/admin/formations/%d/sessions/nouvelle" % tid,
                    form=session_form(tok, **over))
        code, msg, f = error_json(r)
        if r.status != 400 or f != field or not msg:
            problems.append("%r: %s" % (over, r.brief()))
    t.ok(not problems, "%d malformed sessions are 400 naming the field"
         % len(bad), *problems)
    r = ed.post("/admin/formations/%d/sessions/nouvelle" % remote,
                form=session_form(tok, link="http://visio.exemple.fr/x"))
    t.eq(error_json(r)[2], "link", "a remote session needs an https:// "
         "link (field link)", r.brief())
    j = ed.get("/admin/formations/%d" % tid).json() or {}
    t.eq(len(j.get("sessions") or []), base, "no session was written")

    r = ed.post("/admin/formations/%d/sessions/nouvelle" % tid,
                form=session_form(tok, departement="2a",
                                  survey_before="avant-2026",
                                  survey_after="apres-2026"))
    s1 = ((r.json() or {}).get("session") or {}).get("id")
    t.ok(r.status == 201 and isinstance(s1, int), "a session is created "
         "(201)", r.brief())
    r = ed.post("/admin/formations/%d/sessions/nouvelle" % tid,
                form=session_form(tok, day=paris_day(-1)))
    past = ((r.json() or {}).get("session") or {}).get("id")
    t.eq(r.status, 201, "a past session may be recorded (for attendance)")
    r = ed.post("/admin/formations/%d/sessions/nouvelle" % draft,
                form=session_form(tok))
    draft_s = ((r.json() or {}).get("session") or {}).get("id")
    j = ed.get("/admin/formations/sessions/%d" % s1).json() or {}
    s = j.get("session") or {}
    t.ok(s.get("departement") == "2A" and s.get("capacity") == 2 and
         s.get("start") == "09:30" and s.get("survey_before") ==
         "avant-2026" and j.get("registrations") == [],
         "the session reads back (département upper-cased)", s)
    return {"tid": tid, "s1": s1, "past": past, "draft": draft,
            "draft_s": draft_s, "remote": remote}


def catalogue(srv, t, ids):
    c = srv.client(json_=True)
    r = c.get("/formations")
    j = r.json() or {}
    t.eq(r.status, 200, "GET /formations (JSON) is 200", r.brief())
    check_security(t, r, "GET /formations")
    tr = j.get("trainings") or []
    t.ok({x.get("id") for x in tr} == {ids["tid"], ids["remote"]} and
         isinstance(j.get("themes"), list) and
         [f.get("code") for f in j.get("formats", [])] ==
         ["onsite", "remote"],
         "the catalogue lists the published trainings only, with theme "
         "and format filters", "%r" % [x.get("title") for x in tr])
    one = [x for x in tr if x.get("id") == ids["tid"]]
    sessions = one[0].get("sessions") if one else []
    t.ok(one and one[0].get("url") == "/formations/%d" % ids["tid"] and
         one[0].get("format") == "onsite" and
         one[0].get("duration_label") == "2 h" and
         [s.get("id") for s in sessions] == [ids["s1"]] and
         sessions[0].get("places_left") == 2,
         "a training carries its upcoming sessions only (not the past "
         "one), with the places left", one)
    t.ok(not any("link" in s or "survey_before" in s for x in tr
                 for s in x.get("sessions", [])),
         "the public catalogue carries no link nor questionnaire")
    for q, want in (("theme=harcelement", {ids["tid"]}),
                    ("theme=logiciel-espion", {ids["remote"]}),
                    ("format=remote", {ids["remote"]}),
                    ("format=onsite&theme=droit", {ids["tid"]}),
                    ("theme=mineurs", set()),
                    ("theme=%25", {ids["tid"], ids["remote"]}),
                    ("format=hybride", {ids["tid"], ids["remote"]})):
        r = c.get("/formations?" + q)
        got = {x.get("id") for x in (r.json() or {}).get("trainings", [])}
        t.ok(r.status == 200 and got == want, "GET /formations?%s lists "
             "%d training(s)" % (q, len(want)), "got %r" % got)
    h = srv.client()
    r = h.get("/formations")
    t.ok(r.status == 200 and TITLE in french_text(r) and
         "&lt;procédures&gt;" in r.text and "<procédures>" not in r.text,
         "the HTML catalogue shows the title, escaped", r.brief())
    tags = parse_tags(r.text)
    t.ok(any(tag == "form" and a.get("method") == "get" and
             a.get("action") == "/formations" for tag, a, _ in tags.tags),
         "the filters are a GET form to /formations")
    r = h.get("/formations/%d" % ids["tid"])
    text = french_text(r)
    t.ok(r.status == 200 and "connectez-vous avec votre compte "
         "professionnel" in text and "/inscription" not in text and
         "Reconnaître les cyberviolences</li>" in text,
         "a training's page: objectives, and for a visitor a sign-in hint "
         "instead of a registration button", r.brief())
    r = c.get("/formations/%d" % ids["draft"])
    t.eq(r.status, 404, "an unpublished training is 404 for the public")
    r = c.get("/formations/abc")
    t.eq(r.status, 404, "/formations/abc is 404")


def registering(srv, t, ed, ids):
    tid, s1 = ids["tid"], ids["s1"]
    anon = srv.client(json_=True)
    tok = anon.csrf("/formations/%d" % tid)
    r = anon.post("/formations/sessions/%d/inscription" % s1,
                  form={"csrf": tok})
    t.ok(r.status == 401 and error_json(r)[0] == "unauthenticated",
         "an anonymous registration (JSON) is 401", r.brief())
    r = anon.post("/formations/sessions/%d/inscription" % s1,
                  form={"csrf": tok}, json_=False)
    t.ok(r.status == 303 and r.header("location") == "/connexion",
         "an anonymous registration (HTML) goes to sign in (303)",
         r.brief())
    t.eq(registrations(ed, s1), [], "nothing was written")

    p = [signed_in(srv, e) for e in PROS]
    toks = [c.csrf("/formations/%d" % tid) for c in p]
    r = p[0].post("/formations/sessions/%d/inscription" % s1,
                  form={"csrf": toks[0]})
    reg = (r.json() or {}).get("registration") or {}
    t.ok(r.status == 201 and reg.get("status") == "registered" and
         reg.get("position") == 0 and reg.get("session") == s1,
         "a professional registers: 201 {registration: {status: "
         "registered}}", r.brief())
    r = p[0].post("/formations/sessions/%d/inscription" % s1,
                  form={"csrf": toks[0]})
    code, msg, field = error_json(r)
    t.ok(r.status == 409 and field == "session" and
         "déjà inscrit" in (msg or ""),
         "a duplicate registration is 409 with a French message",
         r.brief())
    r = p[0].post("/formations/sessions/%d/inscription" % s1,
                  form={"csrf": toks[0]}, json_=False)
    t.ok(r.status == 409 and 'role="alert"' in r.text and
         "déjà inscrit" in french_text(r),
         "the duplicate (HTML) shows the training page with the error",
         r.brief())
    r = p[1].post("/formations/sessions/%d/inscription" % s1,
                  form={"csrf": toks[1]})
    t.eq(((r.json() or {}).get("registration") or {}).get("status"),
         "registered", "the second professional fills the last place")
    r = p[2].post("/formations/sessions/%d/inscription" % s1,
                  form={"csrf": toks[2]})
    reg = (r.json() or {}).get("registration") or {}
    t.ok(r.status == 201 and reg.get("status") == "waiting" and
         reg.get("position") == 1,
         "the session full, the third waits in position 1", r.brief())
    r = p[3].post("/formations/sessions/%d/inscription" % s1,
                  form={"csrf": toks[3]})
    reg = (r.json() or {}).get("registration") or {}
    t.ok(reg.get("status") == "waiting" and reg.get("position") == 2,
         "the fourth waits in position 2", r.brief())
    r = p[2].post("/formations/sessions/%d/inscription" % s1,
                  form={"csrf": toks[2]})
    t.ok(r.status == 409 and "liste d'attente" in (error_json(r)[1] or ""),
         "registering again while waiting is 409", r.brief())
    mine = registration(p[3], tid, s1) or {}
    t.ok(mine.get("status") == "waiting" and mine.get("position") == 2,
         "the training page tells the person their position", mine)
    j = p[3].get("/formations/mes-inscriptions").json() or {}
    up = j.get("upcoming") or []
    t.ok(len(up) == 1 and up[0].get("id") == s1 and
         up[0]["registration"].get("status") == "waiting" and
         up[0]["registration"].get("position") == 2 and
         up[0].get("training_url") == "/formations/%d" % tid,
         "/formations/mes-inscriptions lists the place on the waiting list",
         j)
    r = p[3].get("/formations/mes-inscriptions", json_=False)
    t.ok(r.status == 200 and "Liste d'attente, position 2" in
         french_text(r), "my registrations (HTML) shows the position")
    r = anon.get("/formations/mes-inscriptions")
    t.eq(r.status, 401, "my registrations needs an account (401)")
    j = p[2].get("/formations/%d" % tid).json() or {}
    t.ok("pro1@" not in str(j) and "pro2@" not in str(j),
         "a training's page shows nobody else's address")
    s = [x for x in j.get("sessions", []) if x.get("id") == s1]
    t.ok(s and s[0].get("full") is True and s[0].get("places_left") == 0 and
         s[0].get("waiting") == 2 and "survey_before" not in s[0],
         "the session is full, 2 waiting; the questionnaires are for "
         "people registered only", s)
    s = [x for x in (p[0].get("/formations/%d" % tid).json() or {}).get(
        "sessions", []) if x.get("id") == s1]
    t.ok(s and s[0].get("survey_before") == "avant-2026",
         "a registered person sees the questionnaire id")
    r = p[0].get("/formations/%d" % tid, json_=False)
    t.ok('href="/q/avant-2026"' in r.text, "…as a /q/ID link")

    # A past session.
    r = p[0].post("/formations/sessions/%d/inscription" % ids["past"],
                  form={"csrf": toks[0]})
    code, msg, field = error_json(r)
    t.ok(r.status == 400 and "passée" in (msg or "") and field == "session",
         "a registration to a past session is 400 with a French message",
         r.brief())
    t.eq(registrations(ed, ids["past"]), [], "nothing was written")
    r = p[0].post("/formations/sessions/999999/inscription",
                  form={"csrf": toks[0]})
    t.eq(r.status, 404, "an unknown session is 404")
    r = p[0].post("/formations/sessions/%d/inscription" % ids["draft_s"],
                  form={"csrf": toks[0]})
    t.eq(r.status, 404, "a session of an unpublished training is 404")
    r = p[0].post("/formations/sessions/%d/inscription" % s1, form={})
    t.eq(r.status, 403, "a registration without CSRF token is 403")

    # Cancellation moves the first one waiting up.
    r = p[0].post("/formations/sessions/%d/annulation" % s1,
                  form={"csrf": toks[0]}, json_=False)
    t.ok(r.status == 303 and r.header("location") ==
         "/formations/%d" % tid, "a cancellation (HTML) redirects to the "
         "training (303)", r.brief())
    t.eq((registration(p[2], tid, s1) or {}).get("status"), "registered",
         "the first one waiting moved up")
    mine = registration(p[3], tid, s1) or {}
    t.ok(mine.get("status") == "waiting" and mine.get("position") == 1,
         "the next one is now first in line", mine)
    t.eq(registration(p[0], tid, s1), None,
         "the cancelled person has no registration shown")
    r = p[0].post("/formations/sessions/%d/annulation" % s1,
                  form={"csrf": toks[0]})
    t.ok(r.status == 404 and error_json(r)[1],
         "cancelling again is 404 with a message", r.brief())
    r = p[3].post("/formations/sessions/%d/annulation" % s1,
                  form={"csrf": toks[3], "from": "mes-inscriptions"},
                  json_=False)
    t.ok(r.status == 303 and r.header("location") ==
         "/formations/mes-inscriptions",
         "leaving the waiting list from my registrations goes back there",
         r.brief())
    regs = registrations(ed, s1)
    t.eq([(x.get("email"), x.get("status"), x.get("position"))
          for x in regs],
         [("pro2@vigie.test", "registered", 0),
          ("pro3@vigie.test", "registered", 0),
          ("pro1@vigie.test", "cancelled", 0),
          ("pro4@vigie.test", "cancelled", 0)],
         "the editors' list: registered in order, then cancellations")
    ids["p"] = p
    ids["toks"] = toks


def unfold(text):
    return text.replace("\r\n ", "")


def calendar(srv, t, ids):
    c = srv.client()
    r = c.get("/formations/sessions/%d/agenda.ics" % ids["s1"])
    body = r.body
    t.ok(r.status == 200 and (r.header("content-type") or "").startswith(
        "text/calendar") and "attachment" in
        (r.header("content-disposition") or ""),
        "the calendar file is text/calendar, as a download", r.brief())
    lines = body.split(b"\r\n")
    t.ok(body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
         and all(len(l) <= 75 for l in lines),
         "every line ends in CRLF and is at most 75 octets",
         "%r" % [l for l in lines if len(l) > 75][:2])
    text = unfold(body.decode("utf-8"))
    day = paris_day(5)
    for needle, what in (
            ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", "VCALENDAR and VERSION"),
            ("PRODID:", "PRODID"),
            ("BEGIN:VEVENT\r\n", "VEVENT"),
            ("UID:formation-session-%d@" % ids["s1"], "a stable UID"),
            ("DTSTART:%s\r\n" % utc_stamp(day, "09:30"),
             "DTSTART in UTC (09:30 in Paris)"),
            ("DTEND:%s\r\n" % utc_stamp(day, "12:00"), "DTEND in UTC"),
            ("SUMMARY:Cyberviolences\\, législation & <procédures>\r\n",
             "SUMMARY with the comma escaped"),
            ("LOCATION:Maison des associations\\, 3 rue Neuve\\; "
             "Saint-Étienne (2A)\r\n", "LOCATION with , and ; escaped"),
            ("END:VEVENT\r\nEND:VCALENDAR\r\n", "the end")):
        t.ok(needle in text, "the calendar file has %s" % what,
             text[:600] if needle not in text else None)
    t.ok(re.search(r"DTSTAMP:\d{8}T\d{6}Z\r\n", text),
         "the calendar file has a DTSTAMP in UTC")
    t.ok("Objectifs" not in text and "@vigie.test" not in text,
         "the calendar file names nobody")
    r = c.get("/formations/sessions/%d/agenda.ics" % ids["draft_s"])
    t.eq(r.status, 404, "no calendar file for an unpublished training")


def remote_link(srv, t, ed, tok):
    secret = "https://visio.exemple.fr/salle-7f3a"
    rid = [x for x in ed.get("/admin/formations").json()["trainings"]
           if x["format"] == "remote"][0]["id"]
    r = ed.post("/admin/formations/%d/sessions/nouvelle" % rid,
                form=session_form(tok, link=secret, place=None,
                                  departement=None, capacity="5",
                                  day=paris_day(3)))
    sid = ((r.json() or {}).get("session") or {}).get("id")
    t.eq(r.status, 201, "a remote session is created", r.brief())
    anon = srv.client(json_=True)
    for path in ("/formations/%d" % rid, "/formations",
                 "/formations/sessions/%d/agenda.ics" % sid):
        r = anon.get(path)
        t.ok(r.status == 200 and b"salle-7f3a" not in r.body,
             "%s does not give the remote link to the public" % path,
             r.brief())
    pro = signed_in(srv, PROS[3])
    ptok = pro.csrf("/formations/%d" % rid)
    r = pro.get("/formations/sessions/%d/agenda.ics" % sid)
    t.ok(b"salle-7f3a" not in r.body, "…nor to a professional not "
         "registered")
    r = pro.post("/formations/sessions/%d/inscription" % sid,
                 form={"csrf": ptok})
    t.eq(r.status, 201, "the professional registers to the remote session")
    s = [x for x in (pro.get("/formations/%d" % rid).json() or {}).get(
        "sessions", []) if x.get("id") == sid]
    t.ok(s and s[0].get("link") == secret, "the person registered sees "
         "the link", s)
    r = pro.get("/formations/sessions/%d/agenda.ics" % sid)
    t.ok(("URL:%s\r\n" % secret) in unfold(r.text) and
         "LOCATION:À distance" in r.text,
         "…and gets it in the calendar file", r.text[:500])


def attendance_and_exports(srv, t, ed, ids):
    s1 = ids["s1"]
    tok = ed.csrf("/admin/formations/sessions/%d" % s1)
    regs = registrations(ed, s1)
    reg = [x for x in regs if x["status"] == "registered"]
    cancelled = [x for x in regs if x["status"] == "cancelled"]
    t.ok(all(x.get("attendance") == "unknown" for x in reg),
         "attendance starts unknown")
    form = {"csrf": tok, "attendance-%d" % reg[0]["id"]: "present",
            "attendance-%d" % reg[1]["id"]: "absent"}
    r = ed.post("/admin/formations/sessions/%d/presences" % s1, form=form)
    t.ok(r.status == 200 and (r.json() or {}).get("attendance", {}).get(
        "updated") == 2, "attendance is recorded", r.brief())
    got = {x["id"]: x["attendance"] for x in registrations(ed, s1)}
    t.ok(got[reg[0]["id"]] == "present" and got[reg[1]["id"]] == "absent",
         "attendance reads back", got)
    for what, extra in (
            ("an unknown value", {"attendance-%d" % reg[0]["id"]:
                                  "peut-être"}),
            ("a cancelled registration",
             {"attendance-%d" % cancelled[0]["id"]: "present"}),
            ("a registration of another session",
             {"attendance-999999": "present"}),
            ("a malformed name", {"attendance-1x": "present"})):
        f = {"csrf": tok, "attendance-%d" % reg[1]["id"]: "present"}
        f.update(extra)
        r = ed.post("/admin/formations/sessions/%d/presences" % s1, form=f)
        code, msg, field = error_json(r)
        t.ok(r.status == 400 and field == "attendance" and msg,
             "attendance for %s is 400 (field attendance)" % what,
             r.brief())
    got = {x["id"]: x["attendance"] for x in registrations(ed, s1)}
    t.ok(got[reg[1]["id"]] == "absent", "…and nothing was written "
         "(the valid line of the same form neither)", got)
    r = ed.post("/admin/formations/sessions/%d/presences" % s1,
                form={"csrf": tok, "attendance-%d" % reg[0]["id"]: "x"},
                json_=False)
    t.ok(r.status == 400 and 'id="attendance-erreur"' in r.text and
         'role="alert"' in r.text, "the HTML page shows the error",
         r.brief())
    r = ed.get("/admin/formations/sessions/%d" % s1, json_=False)
    t.ok(r.status == 200 and "pro2@vigie.test" in r.text and
         'name="attendance-%d"' % reg[0]["id"] in r.text,
         "the editors' session page lists the people and attendance "
         "choices", r.brief())
    check_security(t, r, "the editors' session page")

    # Exports.
    r = ed.get("/admin/formations/sessions/%d/inscrits.csv" % s1)
    body = r.body
    t.ok(r.status == 200 and (r.header("content-type") or "").startswith(
        "text/csv") and "attachment" in
        (r.header("content-disposition") or ""),
        "the CSV export is text/csv, as a download", r.brief())
    check_security(t, r, "the CSV export")
    t.ok(body.startswith(b"\xef\xbb\xbf"), "the CSV starts with a BOM "
         "(for Excel)")
    rows = body[3:].decode("utf-8").split("\r\n")
    t.ok(rows[0].startswith("Nom,E-mail,Statut,Position") and
         any(r_.startswith("pro2@vigie.test,pro2@vigie.test,inscrit·e,,"
                           "présent·e,") for r_ in rows) and
         any("pro1@vigie.test" in r_ and "annulée" in r_ for r_ in rows) and
         rows[-1] == "" and len(rows) == 6,
         "the CSV has a header and one row per registration", rows)
    r = ed.get("/admin/formations/sessions/%d/inscrits.xlsx" % s1)
    try:
        z = zipfile.ZipFile(io.BytesIO(r.body))
        names = z.namelist()
        xml = b"".join(z.read(n) for n in names if n.startswith("xl/"))
    except zipfile.BadZipFile:
        names, xml = [], b""
    t.ok(r.status == 200 and "xl/worksheets/sheet1.xml" in names and
         "spreadsheetml" in (r.header("content-type") or ""),
         "the XLSX export is a workbook (a zip with xl/worksheets)",
         r.brief(), names)
    t.ok(b"pro3@vigie.test" in xml and "présent·e".encode() in xml,
         "the workbook holds the registrations")

    # Who may see registrations.
    pro = ids["p"][1]
    for path in ("/admin/formations", "/admin/formations/sessions/%d" % s1,
                 "/admin/formations/sessions/%d/inscrits.csv" % s1,
                 "/admin/formations/sessions/%d/inscrits.xlsx" % s1):
        r = pro.get(path)
        t.ok(r.status == 403 and b"pro3@vigie.test" not in r.body,
             "a professional gets 403 on %s" % path, r.brief())
    anon = srv.client(json_=True)
    r = anon.get("/admin/formations/sessions/%d/inscrits.csv" % s1)
    t.eq(r.status, 401, "anonymous: 401 on the CSV export")
    r = pro.post("/admin/formations/sessions/%d/presences" % s1,
                 form={"csrf": ids["toks"][1],
                       "attendance-%d" % reg[0]["id"]: "absent"})
    t.eq(r.status, 403, "a professional cannot mark attendance")


def capacity_changes(srv, t, ed, tok, ids):
    tid, s1 = ids["tid"], ids["s1"]
    p = ids["p"]
    r = p[0].post("/formations/sessions/%d/inscription" % s1,
                  form={"csrf": ids["toks"][0]})
    reg = (r.json() or {}).get("registration") or {}
    t.ok(reg.get("status") == "waiting" and reg.get("position") == 1,
         "registering again after cancelling: at the end of the queue",
         r.brief())
    r = ed.post("/admin/formations/sessions/%d/modifier" % s1,
                form=session_form(tok, capacity="1"))
    t.eq(r.status, 200, "the capacity is lowered to 1", r.brief())
    regs = registrations(ed, s1)
    t.eq(sorted(x["email"] for x in regs if x["status"] == "registered"),
         ["pro2@vigie.test", "pro3@vigie.test"],
         "lowering the capacity removes nobody registered")
    r = ed.post("/admin/formations/sessions/%d/modifier" % s1,
                form=session_form(tok, capacity="-3"))
    t.eq(error_json(r)[2], "capacity", "a negative capacity is refused "
         "(field capacity)")
    r = ed.post("/admin/formations/sessions/%d/modifier" % s1,
                form=session_form(tok, capacity="3"))
    t.eq(r.status, 200, "the capacity is raised to 3")
    t.eq((registration(p[0], tid, s1) or {}).get("status"), "registered",
         "raising the capacity moves the one waiting up")


def unpublished(srv, t, ed, tok, ids):
    tid = ids["tid"]
    r = ed.post("/admin/formations/%d" % tid,
                form=training_form(tok, published=None, title="Retirée"))
    t.eq(r.status, 200, "the training is unpublished", r.brief())
    anon = srv.client(json_=True)
    t.eq(anon.get("/formations/%d" % tid).status, 404,
         "an unpublished training's page is 404")
    t.ok(tid not in [x["id"] for x in anon.get("/formations").json()[
        "trainings"]], "…and leaves the catalogue")
    r = ids["p"][3].post("/formations/sessions/%d/inscription" % ids["s1"],
                         form={"csrf": ids["toks"][3]})
    t.eq(r.status, 404, "…and takes no registration")
    t.eq(ed.get("/formations/%d" % tid).status, 200,
         "editors still see it")
    r = ed.post("/admin/formations/999999", form=training_form(tok))
    t.eq(r.status, 404, "saving an unknown training is 404")


# --- mails --------------------------------------------------------------------------

def mails(log_path, want, timeout=10):
    """The messages the SMTP server printed, once there are `want` of
    them (or the timeout): [(to, subject, body)]."""
    deadline = time.monotonic() + timeout
    while True:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        blocks = re.findall(r"-+ MESSAGE FOLLOWS -+\n(.*?)\n-+ END MESSAGE -+",
                            text, re.S)
        out = []
        for b in blocks:
            m = email.message_from_string(b)
            subject = str(email.header.make_header(
                email.header.decode_header(m.get("Subject", ""))))
            out.append((m.get("To", ""), subject, m.get_payload()))
        if len(out) >= want or time.monotonic() > deadline:
            return out
        time.sleep(0.1)


def group_trainings_mail(binary, t):
    setup_server.binary = binary
    srv = setup_server("trainings-mail")
    smtp, port, smtp_log = start_smtp(srv.root)
    with open(os.path.join(srv.data, "vigie.conf"), "w") as f:
        f.write("smtp_url = smtp://127.0.0.1:%d\n"
                "notifier_name = Pôle ressources\n"
                "notifier_email = formations@pole.test\n" % port)
    srv.start()
    try:
        mail_flow(srv, t, smtp, smtp_log)
    finally:
        srv.check_stop(t)
        if smtp.poll() is None:
            smtp.terminate()
            smtp.wait(5)
        srv.cleanup()


def mail_flow(srv, t, smtp, smtp_log):
    ed = signed_in(srv, EDITOR)
    tok = ed.csrf("/admin/formations/nouvelle")
    r = ed.post("/admin/formations/nouvelle", form=training_form(tok))
    tid = r.json()["training"]["id"]
    tomorrow = paris_day(1)
    r = ed.post("/admin/formations/%d/sessions/nouvelle" % tid,
                form=session_form(tok, day=tomorrow, capacity="1"))
    sid = r.json()["session"]["id"]
    later = ed.post("/admin/formations/%d/sessions/nouvelle" % tid,
                    form=session_form(tok, day=paris_day(20))).json()[
        "session"]["id"]
    t.eq(mails(smtp_log, 0, timeout=0), [], "creating sessions sends no "
         "mail")
    p = [signed_in(srv, e) for e in PROS[:3]]
    toks = [c.csrf("/formations/%d" % tid) for c in p]

    r = p[0].post("/formations/sessions/%d/inscription" % sid,
                  form={"csrf": toks[0]})
    t.eq(r.status, 201, "pro1 registers")
    m = mails(smtp_log, 1)
    t.eq(len(m), 1, "one mail is sent")
    to, subject, body = m[0] if m else ("", "", "")
    t.ok(to == "<pro1@vigie.test>" and subject.startswith(
        "Inscription confirmée") and TITLE in subject,
         "the confirmation goes to pro1 with the title in its subject",
         to, subject)
    for needle, what in ((TITLE, "the title"),
                         ("est confirmée", "the confirmation"),
                         ("de 9 h 30 à 12 h (heure de Paris)", "the time"),
                         ("Maison des associations, 3 rue Neuve; "
                          "Saint-Étienne (42)", "the place"),
                         ("Équipe du pôle ressources", "the trainer"),
                         ("Mes inscriptions", "how to cancel"),
                         ("Pôle ressources", "who sends it")):
        t.ok(needle in body, "the confirmation carries %s" % what,
             body[:800] if needle not in body else None)

    r = p[1].post("/formations/sessions/%d/inscription" % sid,
                  form={"csrf": toks[1]})
    t.eq((r.json() or {}).get("registration", {}).get("status"), "waiting",
         "pro2 waits")
    m = mails(smtp_log, 2)
    to, subject, body = m[1] if len(m) > 1 else ("", "", "")
    t.ok(to == "<pro2@vigie.test>" and "position 1" in subject and
         "liste d'attente, en position 1" in body and
         "pro1@vigie.test" not in body,
         "the waiting-list mail tells pro2 the position, and nothing of "
         "pro1", to, subject, body[:600])

    r = p[0].post("/formations/sessions/%d/annulation" % sid,
                  form={"csrf": toks[0]})
    t.eq(r.status, 200, "pro1 cancels")
    m = mails(smtp_log, 3)
    to, subject, body = m[2] if len(m) > 2 else ("", "", "")
    t.ok(to == "<pro2@vigie.test>" and
         subject.startswith("Une place s'est libérée") and
         "vous êtes maintenant inscrit·e" in body and
         "pro1@vigie.test" not in body,
         "pro2 is told that a place came free", to, subject, body[:600])
    t.eq(len(m), 3, "the cancellation itself sends no other mail")

    # Reminders from the command line, with the server's data and
    # configuration.
    r = srv.cli("formations", "rappels", "--data", srv.data)
    t.ok(r.returncode == 0 and "envoyés : 1." in r.stdout,
         "`vigie formations rappels` sends one reminder (pro2, registered "
         "for tomorrow)", r.stdout, r.stderr[-500:])
    m = mails(smtp_log, 4)
    to, subject, body = m[3] if len(m) > 3 else ("", "", "")
    t.ok(to == "<pro2@vigie.test>" and subject.startswith("Rappel") and
         TITLE in body and "Maison des associations" in body,
         "the reminder goes to pro2 with the title and the place", to,
         subject)
    r = srv.cli("formations", "rappels", "--data", srv.data)
    t.ok(r.returncode == 0 and "envoyés : 0." in r.stdout,
         "a second run sends nothing (each person reminded once)",
         r.stdout, r.stderr[-300:])
    t.eq(len(mails(smtp_log, 5, timeout=1)), 4, "no fifth mail")
    r = srv.cli("formations", "--data", srv.data)
    t.eq(r.returncode, 2, "`vigie formations` without `rappels` is a "
         "usage error")

    # The mail server gone: a registration still succeeds, and the
    # failure is logged without the address.
    smtp.terminate()
    smtp.wait(5)
    r = p[2].post("/formations/sessions/%d/inscription" % later,
                  form={"csrf": toks[2]})
    t.ok(r.status == 201 and (r.json() or {}).get("registration", {}).get(
        "status") == "registered",
         "with the mail server down, a registration still succeeds",
         r.brief())
    t.eq((registration(p[2], tid, later) or {}).get("status"), "registered",
         "…and is kept")
    err = srv.stderr()
    t.ok("not sent" in err and "pro3@vigie.test" not in err,
         "the failure is logged, without the address", err[-400:])
    r = srv.cli("formations", "rappels", "--data", srv.data)
    t.ok(r.returncode == 0 and "envoyés : 0." in r.stdout,
         "reminders with the mail server down: nothing due, nothing sent",
         r.stdout, r.stderr[-300:])


GROUPS = [("trainings", group_trainings),
          ("trainings-mail", group_trainings_mail)]
