"""
test_newsletter.py — the quarterly newsletter against a real SMTP server
on loopback (Debian's aiosmtpd, started by the test, writing every message
it accepts to a file; it refuses some recipients with 550, can require
AUTH, and can require STARTTLS with a certificate made by openssl here).

  newsletter_subscribe  double opt-in: the neutral answer, the confirmation
                        mail and its single-use link, unknown and expired
                        links, duplicates, bad addresses, throttling, no
                        address in clear in the database, unsubscribing by
                        the page and by RFC 8058 one-click
  newsletter_compose    issues and every kind of block, the preview, the
                        test mail, roles, CSRF, JSON twins, bad input
  newsletter_send       sending by the server's tick within the rate, a
                        550 recipient bounced while the others go, the
                        mail's parts and headers, the archive and its Atom
                        feed, the watch items leaving the selection
  newsletter_resume     a sending stopped by SIGTERM and by SIGKILL then
                        resumed (restart, `vigie newsletter send`): one
                        mail per address at most, "uncertain" rows never
                        sent again
  newsletter_smtp       SMTP AUTH (right and wrong password), STARTTLS with
                        a private CA (smtp_ca_file), and without it
"""
import email
import email.header
import email.policy
import json
import os
import re
import signal
import sqlite3
import subprocess
import time
import xml.etree.ElementTree as ET

from harness import Server, check_security, error_json, french_text, PASSWORD
from test_analysis import AIOSMTPD_PYTHON, free_port
from test_barometer import send as answer_barometer
from test_trainings import session_form, training_form

EDITOR = "redaction@vigie.test"
PRO = "pro@vigie.test"

SMTP_SCRIPT = r'''
import asyncio, json, ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

port, log = int(sys.argv[1]), sys.argv[2]
opts = dict(a.split("=", 1) for a in sys.argv[3:])
delay = float(opts.get("delay", "0"))

def refused(address):
    """The code refusing address ("550", "451"), per the refusals file the
    test writes: lines of "CODE ADDRESS"."""
    try:
        with open(log + ".refuse") as f:
            for line in f:
                code, _, who = line.strip().partition(" ")
                if who == address:
                    return code
    except OSError:
        pass
    return None

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, options):
        code = refused(address)
        if code == "550":
            return "550 5.1.1 Mailbox unavailable"
        if code == "451":
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if delay:
            await asyncio.sleep(delay)
        data = envelope.original_content or envelope.content
        rec = {"from": envelope.mail_from, "to": envelope.rcpt_tos,
               "data": data.decode("utf-8", "replace"),
               "tls": session.ssl is not None,
               "auth": session.authenticated}
        with open(log, "a") as f:
            f.write(json.dumps(rec) + "\n")
        return "250 Message accepted for delivery"

def authenticator(server, session, envelope, mechanism, auth_data):
    user, pw = opts["auth"].split(":", 1)
    ok = (auth_data.login == user.encode() and
          auth_data.password == pw.encode())
    return AuthResult(success=ok, handled=False)

kw = {}
if "auth" in opts:
    kw.update(authenticator=authenticator, auth_required=True,
              auth_require_tls=False)
if "cert" in opts:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(opts["cert"], opts["key"])
    kw.update(tls_context=ctx, require_starttls=True)
c = Controller(Handler(), hostname="127.0.0.1", port=port, **kw)
c.start()
print("ready", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    c.stop()
'''


class Smtp:
    """A real SMTP server on loopback; messages() reads what it took."""

    def __init__(self, root, **opts):
        self.port = free_port()
        self.log = os.path.join(root, "smtp-%d.jsonl" % self.port)
        script = os.path.join(root, "smtp_server.py")
        with open(script, "w") as f:
            f.write(SMTP_SCRIPT)
        args = ["%s=%s" % kv for kv in opts.items()]
        self.proc = subprocess.Popen(
            [AIOSMTPD_PYTHON, script, str(self.port), self.log] + args,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        seen = []
        for line in self.proc.stdout:      # warnings may come first
            seen.append(line)
            if line.strip() == b"ready":
                break
        else:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("smtp server did not start: %r" % seen)

    def messages(self, want=0, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            out = []
            if os.path.exists(self.log):
                with open(self.log) as f:
                    for line in f:
                        rec = json.loads(line)
                        rec["msg"] = email.message_from_string(
                            rec["data"], policy=email.policy.default)
                        out.append(rec)
            if len(out) >= want or time.monotonic() > deadline:
                return out
            time.sleep(0.1)

    def refuse(self, address, code="550"):
        with open(self.log + ".refuse", "a") as f:
            f.write("%s %s\n" % (code, address))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(5)


def body_text(msg):
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def body_html(msg):
    part = msg.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""


def link(text, kind):
    m = re.search(r"https?://[^\s/]+(/lettre/%s/[A-Za-z0-9_-]+)" % kind,
                  text)
    return m.group(1) if m else None


def conf(smtp, **extra):
    c = {"smtp_url": "smtp://127.0.0.1:%d" % smtp.port,
         "notifier_name": "Observatoire des cyberviolences",
         "notifier_email": "lettre@observatoire.test",
         "public_url": "https://vigie.example.org"}
    c.update(extra)
    return c


def write_conf(srv, c):
    with open(os.path.join(srv.data, "vigie.conf"), "w") as f:
        for k, v in c.items():
            f.write("%s = %s\n" % (k, v))


def db(srv):
    return sqlite3.connect(os.path.join(srv.data, "vigie.db"), timeout=10)


def subscribe(c, address, name=None, json_=True):
    tok = c.csrf("/lettre")
    form = {"csrf": tok, "email": address}
    if name:
        form["name"] = name
    return c.post("/lettre/abonnement", form=form, json_=json_)


def confirm_all(srv, smtp, addresses):
    """Subscribe and confirm each address through its mail."""
    c = srv.client()
    before = len(smtp.messages())
    for i, a in enumerate(addresses):
        r = subscribe(c, a)
        if r.status != 200:
            raise AssertionError("subscribe %s: %s" % (a, r.brief()))
    msgs = smtp.messages(before + len(addresses))[before:]
    for m in msgs:
        path = link(body_text(m["msg"]), "confirmation")
        tok = c.csrf(path)
        r = c.post(path, form={"csrf": tok}, json_=True)
        if r.status != 200:
            raise AssertionError("confirm: %s" % r.brief())


def editor(srv):
    ed = srv.client(json_=True)
    r = ed.login(EDITOR, PASSWORD, json_=True)
    if r.status != 200:
        raise AssertionError("editor login: %s" % r.brief())
    return ed


def new_issue(ed, title="Lettre d'automne", period="Automne 2026"):
    tok = ed.csrf("/admin/lettre")
    r = ed.post("/admin/lettre", form={"csrf": tok, "title": title,
                                       "period": period})
    return r, (r.json() or {}).get("issue", {}).get("id"), tok


def add_block(ed, iid, tok, kind, **fields):
    form = [("csrf", tok), ("kind", kind)]
    for k, v in fields.items():
        if isinstance(v, list):
            form += [(k, x) for x in v]
        else:
            form.append((k, v))
    return ed.post("/admin/lettre/%d/blocs" % iid, form=form)


def start_sending(ed, iid, tok):
    return ed.post("/admin/lettre/%d/envoyer" % iid,
                   form={"csrf": tok, "confirm": "oui"})


def issue_state(ed, iid):
    return ed.get("/admin/lettre/%d" % iid).json() or {}


def wait_status(ed, iid, status, timeout=40):
    deadline = time.monotonic() + timeout
    while True:
        j = issue_state(ed, iid)
        if j.get("issue", {}).get("status") == status or \
                time.monotonic() > deadline:
            return j
        time.sleep(0.5)


def setup(binary, name, smtp_opts=None, **extra):
    srv = Server(binary, name)
    smtp = Smtp(srv.root, **(smtp_opts or {}))
    write_conf(srv, conf(smtp, **extra))
    srv.add_user(EDITOR, "editor")
    srv.add_user(PRO, "professional")
    return srv, smtp


def run_group(binary, t, name, fn, smtp_opts=None, **extra):
    srv, smtp = setup(binary, name, smtp_opts, **extra)
    srv.start()
    try:
        fn(srv, smtp, t)
    finally:
        if srv.proc is not None and srv.proc.poll() is None:
            srv.check_stop(t)
        smtp.stop()
        srv.cleanup()


# --- subscribing --------------------------------------------------------------

def group_subscribe(binary, t):
    run_group(binary, t, "nl-subscribe", subscribing)


def subscribing(srv, smtp, t):
    anon = srv.client()
    r = anon.get("/lettre")
    t.eq(r.status, 200, "/lettre opens")
    check_security(t, r, "/lettre")
    text = french_text(r)
    t.ok("Ce que nous gardons" in text and "pixel" in text,
         "/lettre says what is kept and that nothing tracks")
    t.ok('id="sortie-rapide"' in r.text, "/lettre has the quick exit")
    j = anon.get("/lettre", json_=True).json()
    t.ok(j.get("open") is True and "csrf" in j, "/lettre's JSON twin", j)

    # A new address: the neutral answer, one confirmation mail.
    c = srv.client(json_=True)
    r = subscribe(c, "Alice.Martin@Exemple.FR", name="Alice")
    t.eq(r.status, 200, "subscribing answers 200")
    neutral = (r.json() or {}).get("notice", "")
    t.ok("Si l'adresse est valide" in neutral, "the answer is neutral",
         neutral)
    msgs = smtp.messages(1)
    t.eq(len(msgs), 1, "one confirmation mail")
    m = msgs[0]["msg"]
    t.eq(msgs[0]["to"], ["alice.martin@exemple.fr"],
         "sent to the address, lower-cased")
    t.ok("Confirmez" in str(m["subject"]), "its subject", m["subject"])
    t.ok("Observatoire des cyberviolences" in str(m["from"]) and
         "lettre@observatoire.test" in str(m["from"]),
         "From is the organisation's name and address", m["from"])
    t.ok(m["List-Unsubscribe"] and m["List-Unsubscribe-Post"] ==
         "List-Unsubscribe=One-Click",
         "even the confirmation mail can be stopped", m["List-Unsubscribe"])
    confirm_path = link(body_text(m), "confirmation")
    t.ok(confirm_path, "the mail carries the confirmation link",
         body_text(m)[:500])
    t.ok(body_text(m).count("https://vigie.example.org/lettre/"
                            "confirmation/") == 1,
         "the link is on public_url")

    # Nothing in clear in the database.
    raw = srv.data_bytes()
    t.ok(b"alice.martin" not in raw.lower() and b"exemple.fr" not in raw,
         "the database holds no address in clear")
    t.ok(b"Alice" not in raw, "nor the name")
    token = confirm_path.rsplit("/", 1)[1]
    t.ok(token.encode() not in raw, "nor the confirmation token")

    # The confirmation page, then the button (POST).
    r = anon.get(confirm_path)
    t.eq(r.status, 200, "the confirmation link opens a page")
    t.ok('method="post"' in r.text and "Confirmer" in french_text(r),
         "…with a button, not a GET that confirms")
    with db(srv) as con:
        st = con.execute("SELECT status FROM newsletter_subscribers").fetchall()
    t.eq(st, [("pending",)], "opening the link confirms nothing")
    tok = anon.csrf(confirm_path)
    r = anon.post(confirm_path, form={"csrf": "faux"}, json_=True)
    t.eq(r.status, 403, "confirming without the CSRF token is refused")
    r = anon.post(confirm_path, form={"csrf": tok}, json_=True)
    t.eq(r.status, 200, "confirming works")
    t.eq((r.json() or {}).get("subscription", {}).get("status"), "confirmed",
         "…and says so in JSON")
    r = anon.post(confirm_path, form={"csrf": tok}, json_=True)
    code, msg, _ = error_json(r)
    t.ok(r.status == 404 and "déjà servi" in (msg or ""),
         "a confirmation link serves once", r.brief())
    r = anon.get(confirm_path)
    t.eq(r.status, 404, "the used link's page is 404")
    t.ok("déjà servi" in french_text(r), "…with a French explanation")

    # Unknown link.
    r = anon.get("/lettre/confirmation/inconnu", json_=True)
    code, msg, _ = error_json(r)
    t.ok(r.status == 404 and code == "not_found" and msg,
         "an unknown confirmation link is 404 with a message", r.brief())
    r = anon.get("/lettre/confirmation/" + "A" * 43)
    t.eq(r.status, 404, "a well-formed but unknown token is 404")

    # Duplicate while confirmed: same answer, a mail saying so.
    r2 = subscribe(c, "alice.martin@exemple.fr")
    t.eq(r2.status, 200, "a duplicate subscription answers 200 too")
    t.eq((r2.json() or {}).get("notice"), neutral,
         "…with exactly the same words")
    msgs = smtp.messages(2)
    t.eq(len(msgs), 2, "a second mail goes out")
    m2 = msgs[1]["msg"]
    t.ok("déjà abonné" in str(m2["subject"]) and
         "/lettre/confirmation/" not in body_text(m2),
         "it says the address is already subscribed, without a link to "
         "confirm", m2["subject"])
    unsub_path = link(body_text(m2), "desabonnement")
    t.ok(unsub_path, "…and how to unsubscribe")
    with db(srv) as con:
        n = con.execute("SELECT count(*), min(status) FROM "
                        "newsletter_subscribers").fetchone()
    t.eq(n, (1, "confirmed"), "still one subscriber, still confirmed")

    # The HTML twin of the answer is the same page for both.
    h = srv.client()
    a1 = subscribe(h, "nouvelle@exemple.fr", json_=False)
    a2 = subscribe(h, "alice.martin@exemple.fr", json_=False)
    strip = lambda s: re.sub(r'name="csrf" value="[^"]*"', "", s)
    t.ok(a1.status == a2.status == 200 and
         strip(a1.text) == strip(a2.text),
         "the HTML answer is the same for a new and a known address")
    smtp.messages(4)

    # A pending address subscribing again: a fresh link, the old one dies.
    with db(srv) as con:
        before = con.execute("SELECT confirm_hash FROM newsletter_subscribers "
                             "WHERE status = 'pending'").fetchall()
    subscribe(c, "nouvelle@exemple.fr")
    msgs = smtp.messages(5)
    first = link(body_text(msgs[2]["msg"]), "confirmation")
    second = link(body_text(msgs[4]["msg"]), "confirmation")
    t.ok(first and second and first != second,
         "a pending address gets a new link")
    t.eq(anon.get(first).status, 404, "…and the old one no longer works")
    t.eq(anon.get(second).status, 200, "…the new one does")
    with db(srv) as con:
        n = con.execute("SELECT count(*) FROM newsletter_subscribers"
                        ).fetchone()[0]
    t.eq(n, 2, "still one row per address")
    t.eq(len(before), 1, "one pending row before")

    # Expired link: 410.
    with db(srv) as con:
        con.execute("UPDATE newsletter_subscribers SET confirm_expires = 1 "
                    "WHERE status = 'pending'")
    r = anon.get(second)
    t.eq(r.status, 410, "an expired link's page is 410")
    t.ok("expiré" in french_text(r), "…and says it expired")
    tok = anon.csrf("/lettre")
    r = anon.post(second, form={"csrf": tok}, json_=True)
    code, msg, _ = error_json(r)
    t.ok(r.status == 410 and "expiré" in (msg or ""),
         "confirming an expired link is 410", r.brief())
    with db(srv) as con:
        st = con.execute("SELECT count(*) FROM newsletter_subscribers "
                         "WHERE status = 'pending'").fetchone()[0]
    t.eq(st, 1, "…and confirms nothing")

    # Invalid addresses: 400, nothing written, no mail.
    sent = len(smtp.messages())
    for bad in ["pas-une-adresse", "a@b", "a b@exemple.fr",
                "<x@exemple.fr>", "x@exemple.fr\r\nBcc: y@exemple.fr", ""]:
        r = subscribe(c, bad)
        code, msg, field = error_json(r)
        t.ok(r.status == 400 and field == "email" and
             "n'est pas valide" in (msg or ""),
             "invalid address %r: 400 with a French message" % bad,
             r.brief())
    r = subscribe(srv.client(), "pas-une-adresse", json_=False)
    t.ok(r.status == 400 and 'aria-invalid="true"' in r.text and
         "n'est pas valide" in french_text(r),
         "the HTML form marks the field")
    r = subscribe(c, "ok@exemple.fr", name="x" * 101)
    t.eq(r.status, 400, "a name over 100 characters is 400")
    with db(srv) as con:
        n = con.execute("SELECT count(*) FROM newsletter_subscribers"
                        ).fetchone()[0]
    t.eq(n, 2, "nothing written for bad input")
    time.sleep(0.5)
    t.eq(len(smtp.messages()), sent, "no mail for bad input")

    # Throttle per address.
    for i in range(2):
        subscribe(c, "bombe@exemple.fr")
    r = subscribe(c, "bombe@exemple.fr")
    t.eq(r.status, 200, "three requests for an address go through")
    r = subscribe(c, "BOMBE@exemple.fr")
    code, msg, _ = error_json(r)
    t.ok(r.status == 429 and "Trop de demandes" in (msg or ""),
         "the fourth within the hour is 429", r.brief())
    smtp.messages(sent + 3)

    # Unsubscribing: by the page…
    r = anon.get(unsub_path)
    t.eq(r.status, 200, "the unsubscribe link opens a page")
    t.ok('method="post"' in r.text, "…with a button")
    check_security(t, r, "the unsubscribe page")
    r = anon.post(unsub_path, form={}, json_=True)
    t.eq(r.status, 200, "the button unsubscribes (no CSRF token needed)")
    t.eq((r.json() or {}).get("subscription", {}).get("status"), "deleted",
         "…the address is deleted")
    with db(srv) as con:
        n = con.execute("SELECT count(*) FROM newsletter_subscribers WHERE "
                        "status = 'confirmed'").fetchone()[0]
    t.eq(n, 0, "the confirmed subscriber is gone")
    r = anon.get(unsub_path)
    t.eq(r.status, 404, "the link then leads nowhere (404)")
    t.ok("effacée" in french_text(r), "…and says why")

    # …and by RFC 8058 one-click.
    confirm_all(srv, smtp, ["clic@exemple.fr"])
    subscribe(c, "clic@exemple.fr")
    m = smtp.messages(len(smtp.messages()) + 1)[-1]["msg"]
    lu = m["List-Unsubscribe"]
    t.ok(lu and lu.startswith("<https://vigie.example.org/lettre/"
                              "desabonnement/"),
         "List-Unsubscribe is an https link", lu)
    path = lu.strip("<>").replace("https://vigie.example.org", "")
    r = srv.client().request(
        "POST", path, body="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    t.eq(r.status, 200, "a one-click POST unsubscribes at once")
    with db(srv) as con:
        n = con.execute("SELECT count(*) FROM newsletter_subscribers WHERE "
                        "status = 'confirmed'").fetchone()[0]
    t.eq(n, 0, "…the address is erased")
    log = srv.stderr()
    t.ok(path.rsplit("/", 1)[1] not in log and
         "clic@exemple.fr" not in log,
         "neither the token nor the address reaches the log")


# --- composing --------------------------------------------------------------------

def seed_watch(srv):
    """Selected watch items, written directly.  Python's sqlite3 lacks
    Vigie's French tokenizer, so the full-text triggers are set aside
    while writing (these rows are then missing from the watch's search,
    which these tests do not use)."""
    with db(srv) as con:
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE "
                               "type = 'trigger' AND tbl_name = "
                               "'watch_items'").fetchall()
        for name, _ in triggers:
            con.execute("DROP TRIGGER %s" % name)
        con.execute("INSERT INTO watch_sources (id, url, name, created) "
                    "VALUES (1, 'https://source.example/flux', "
                    "'Source exemple', '2026-01-01T00:00:00Z')")
        for i, (title, sel) in enumerate([
                ("Rapport sur le cyberharcèlement", "2026-10-01T00:00:00Z"),
                ("Étude <b>contrôle</b> coercitif", "2026-10-02T00:00:00Z"),
                ("Article non choisi", None)]):
            con.execute(
                "INSERT INTO watch_items (id, source_id, key, link, title, "
                "summary, note, fetched, selected) VALUES "
                "(?, 1, ?, ?, ?, 'Résumé', 'À lire', "
                "'2026-09-01T00:00:00Z', ?)",
                (10 + i, "k%d" % i, "https://source.example/a%d" % i, title,
                 sel))
        for _, sql in triggers:
            con.execute(sql)


def group_compose(binary, t):
    run_group(binary, t, "nl-compose", composing)


def composing(srv, smtp, t):
    seed_watch(srv)
    anon = srv.client(json_=True)
    r = anon.get("/admin/lettre")
    t.eq(r.status, 401, "anonymous: /admin/lettre is 401 in JSON")
    r = srv.client().get("/admin/lettre")
    t.ok(r.status == 303 and r.header("location") == "/connexion",
         "anonymous browser: sent to sign in", r.brief())
    pro = srv.client(json_=True)
    pro.login(PRO, PASSWORD)
    t.eq(pro.get("/admin/lettre").status, 403, "a professional: 403")
    tok = pro.csrf("/lettre")
    r = pro.post("/admin/lettre", form={"csrf": tok, "title": "x",
                                        "period": "y"})
    t.eq(r.status, 403, "a professional cannot create an issue")

    ed = editor(srv)
    # A training with a session in five days, for the trainings block.
    tok = ed.csrf("/admin/formations/nouvelle")
    r = ed.post("/admin/formations/nouvelle", form=training_form(
        tok, title="Repérer le contrôle coercitif en ligne"))
    tid = (r.json() or {}).get("training", {}).get("id")
    r = ed.post("/admin/formations/%s/sessions/nouvelle" % tid,
                form=session_form(tok))
    t.eq(r.status, 201, "a training session to come exists", r.brief())
    r = ed.get("/admin/lettre")
    t.eq(r.status, 200, "an editor opens /admin/lettre")
    j = r.json()
    t.ok(j.get("issues") == [] and j.get("subscribers", {}).get(
        "confirmed") == 0, "its JSON twin: no issue, no subscriber", j)
    r = ed.post("/admin/lettre", form={"title": "x", "period": "y"})
    t.eq(r.status, 403, "creating without the CSRF token: 403")

    r, iid, tok = new_issue(ed, title="", period="Automne 2026")
    code, msg, field = error_json(r)
    t.ok(r.status == 400 and field == "title" and msg,
         "an empty title: 400 on the field", r.brief())
    r, _, _ = new_issue(ed, title="Titre", period="")
    t.eq(error_json(r)[2], "period", "an empty period: 400 on the field")
    r, _, _ = new_issue(ed, title="T" * 201)
    t.eq(r.status, 400, "a title over 200 characters: 400")
    r = ed.get("/admin/lettre")
    t.eq(r.json().get("issues"), [], "nothing written by bad input")

    r, iid, tok = new_issue(ed)
    t.ok(r.status == 201 and iid, "an issue is created (201)", r.brief())
    h = srv.client()
    h.login(EDITOR, PASSWORD)
    r = h.post("/admin/lettre", form={"csrf": h.csrf("/admin/lettre"),
                                      "title": "Brouillon", "period": "Hiver"})
    t.ok(r.status == 303 and re.match(r"/admin/lettre/\d+$",
                                      r.header("location") or ""),
         "the HTML form goes to the new issue", r.brief())

    # Every kind of block.
    r = add_block(ed, iid, tok, "text", markdown="## Édito\n\nBonjour "
                  "**à toutes et tous**.\n\n![pixel](https://traceur."
                  "example/p.gif)\n\n<script>alert(1)</script>\n\n"
                  "[Le site](https://exemple.fr)")
    t.eq(r.status, 201, "a text block is added (201)")
    r = add_block(ed, iid, tok, "watch")
    t.eq(r.status, 201, "a watch block is added")
    r = add_block(ed, iid, tok, "barometer", indicators=["harcelement"])
    t.eq(r.status, 201, "a barometer block is added")
    r = add_block(ed, iid, tok, "resources", since="2020-01-01")
    t.eq(r.status, 201, "a resources block is added")
    r = add_block(ed, iid, tok, "trainings")
    t.eq(r.status, 201, "a trainings block is added")
    j = issue_state(ed, iid)
    kinds = [b["kind"] for b in j.get("blocks", [])]
    t.eq(kinds, ["text", "watch", "barometer", "resources", "trainings"],
         "the blocks in order")
    watch = j["blocks"][1]["data"]["items"]
    t.eq([w["title"] for w in watch], ["Rapport sur le cyberharcèlement",
                                       "Étude <b>contrôle</b> coercitif"],
         "the watch block froze the two selected items")

    # Bad blocks.
    n_before = len(kinds)
    r = add_block(ed, iid, tok, "sondage")
    code, msg, field = error_json(r)
    t.ok(r.status == 400 and field == "kind" and msg,
         "an unknown kind of block: 400", r.brief())
    r = add_block(ed, iid, tok, "text", markdown="")
    t.eq(error_json(r)[2], "markdown", "an empty text: 400")
    r = add_block(ed, iid, tok, "barometer", indicators=["inconnu"])
    t.eq(error_json(r)[2], "indicators", "an unknown indicator: 400")
    r = add_block(ed, iid, tok, "barometer")
    t.eq(r.status, 400, "a barometer block without indicators: 400")
    r = add_block(ed, iid, tok, "resources", since="2026-02-30")
    t.eq(error_json(r)[2], "since", "an impossible date: 400")
    r = add_block(ed, iid, tok, "text", markdown="x" * 20001)
    t.eq(r.status, 400, "a text over 20,000 characters: 400")
    t.eq(len(issue_state(ed, iid).get("blocks", [])), n_before,
         "no block written by bad input")
    r = ed.post("/admin/lettre/%d/blocs" % iid, form={"kind": "text",
                                                     "markdown": "x"})
    t.eq(r.status, 403, "adding a block without CSRF: 403")

    # Move, edit, delete.
    bids = [b["id"] for b in issue_state(ed, iid)["blocks"]]
    r = ed.post("/admin/lettre/%d/blocs/%d" % (iid, bids[4]),
                form={"csrf": tok, "action": "up"})
    t.eq(r.status, 200, "a block moves up")
    kinds = [b["kind"] for b in issue_state(ed, iid)["blocks"]]
    t.eq(kinds[3:], ["trainings", "resources"], "…and swapped places")
    r = ed.post("/admin/lettre/%d/blocs/%d" % (iid, bids[0]),
                form={"csrf": tok, "action": "save",
                      "markdown": "## Édito\n\nBonjour **à toutes et tous**."
                      "\n\n![pixel](https://traceur.example/p.gif)\n\n"
                      "<script>alert(1)</script>"})
    t.eq(r.status, 200, "a text block is saved")
    r = ed.post("/admin/lettre/%d/blocs/%d" % (iid, bids[0]),
                form={"csrf": tok, "action": "voler"})
    t.eq(r.status, 400, "an unknown action: 400")
    r = ed.post("/admin/lettre/%d/blocs/999999" % iid,
                form={"csrf": tok, "action": "delete"})
    t.eq(r.status, 404, "an unknown block: 404")
    r = ed.post("/admin/lettre/%d/blocs/%d" % (iid, bids[3]),
                form={"csrf": tok, "action": "delete"})
    t.eq(r.status, 200, "a block is deleted")
    t.eq(len(issue_state(ed, iid)["blocks"]), 4, "four blocks left")
    r = ed.post("/admin/lettre/%d" % iid, form={"csrf": tok, "title": "",
                                                "period": "Automne 2026"})
    t.eq(r.status, 400, "renaming to an empty title: 400")
    r = ed.post("/admin/lettre/%d" % iid, form={
        "csrf": tok, "title": "Lettre d'automne", "period": "Automne 2026"})
    t.eq(r.status, 200, "the title and period are saved")

    # The editor's HTML page.
    r = h.get("/admin/lettre/%d" % iid)
    t.eq(r.status, 200, "the issue editor opens in HTML")
    check_security(t, r, "the issue editor")
    t.ok("Ajouter un bloc" in french_text(r) and "Monter" in
         french_text(r), "…with the forms to add and move blocks")

    # The preview.
    r = ed.get("/admin/lettre/%d/apercu" % iid)
    t.eq(r.status, 200, "the preview's JSON twin")
    j = r.json()
    mail = j.get("mail", {})
    t.ok("Bonjour" in mail.get("text", "") and "## Édito" in
         mail.get("text", ""), "the text part keeps the Markdown")
    t.ok("<strong>à toutes et tous</strong>" in mail.get("html", ""),
         "the HTML part renders it")
    t.ok("<script>" not in mail.get("html", "") and "<img" not in
         mail.get("html", "").lower(),
         "no script and no image in the HTML part")
    t.ok('href="https://traceur.example/p.gif"' in mail.get("html", ""),
         "an image became a mere link")
    t.ok("Étude &lt;b&gt;contrôle&lt;/b&gt; coercitif" in mail.get("html",
                                                                    ""),
         "watch titles are escaped")
    t.ok(mail.get("subject") == "Lettre d'automne — Automne 2026",
         "the subject", mail.get("subject"))
    r = h.get("/admin/lettre/%d/apercu" % iid)
    t.eq(r.status, 200, "the preview page")
    text = french_text(r)
    t.ok("La version en ligne" in text and "Partie texte" in text and
         "Partie HTML" in text, "…shows the web version and both parts")
    t.ok("Jeunes harcelés en ligne" in text, "…with the barometer block")
    t.ok("Repérer le contrôle coercitif en ligne" in text and
         "Saint-Étienne" in text, "…the session to come")
    t.ok("Repérer le contrôle coercitif en ligne" in mail.get("text", ""),
         "…in the mail too")
    t.ok("<img" not in r.text, "…and loads no image")
    t.ok(' style="' not in r.text,
         "…and has no inline style (the CSP would refuse it)")

    # A test mail to the editor.
    before = len(smtp.messages())
    r = ed.post("/admin/lettre/%d/essai" % iid, form={"csrf": tok})
    t.eq(r.status, 200, "the test send answers 200")
    t.ok(EDITOR in (r.json() or {}).get("notice", ""), "…naming the address")
    msgs = smtp.messages(before + 1)
    t.ok(len(msgs) == before + 1 and msgs[-1]["to"] == [EDITOR],
         "the test mail reached the editor only")
    m = msgs[-1]["msg"]
    t.eq(m.get_content_type(), "multipart/alternative",
         "the test mail is multipart/alternative")
    t.ok("Bonjour" in body_text(m) and "<strong>" in body_html(m),
         "with a text and an HTML part")
    r = pro.post("/admin/lettre/%d/essai" % iid,
                 form={"csrf": pro.csrf("/lettre")})
    t.eq(r.status, 403, "a professional cannot send a test")

    # JSON twins of errors and pages.
    t.eq(ed.get("/admin/lettre/999999").status, 404, "an unknown issue: 404")
    t.eq(ed.get("/admin/lettre/abc").status, 404, "a non-numeric id: 404")
    t.eq(anon.get("/lettre/1").status, 404,
         "a draft is not in the public archive")

    # Sending an empty issue is refused; then send this one (no
    # subscriber) and try to change it.
    r, empty, _ = new_issue(ed, title="Vide", period="Hiver 2026")
    r = start_sending(ed, empty, tok)
    t.eq(r.status, 400, "an issue without blocks cannot be sent")
    r = ed.post("/admin/lettre/%d/envoyer" % iid, form={"csrf": tok})
    t.eq(error_json(r)[2], "confirm", "sending needs the confirmation box")
    r = h.get("/admin/lettre/%d/envoyer" % iid)
    t.ok(r.status == 200 and "Je confirme" in french_text(r),
         "the confirmation step is a page")
    r = start_sending(ed, iid, tok)
    t.eq(r.status, 200, "sending starts")
    t.eq((r.json() or {}).get("issue", {}).get("deliveries"), 0,
         "…to no address")
    r = add_block(ed, iid, tok, "text", markdown="Trop tard")
    code, msg, _ = error_json(r)
    t.ok(r.status == 409 and "déjà envoyée" in (msg or ""),
         "a block on a sent issue: 409", r.brief())
    r = ed.post("/admin/lettre/%d/blocs/%d" % (iid, bids[0]),
                form={"csrf": tok, "action": "delete"})
    t.eq(r.status, 409, "deleting a block of a sent issue: 409")
    r = start_sending(ed, iid, tok)
    t.eq(r.status, 409, "sending twice: 409")
    r = ed.post("/admin/lettre/%d/supprimer" % iid, form={"csrf": tok})
    t.eq(r.status, 409, "a sent issue cannot be deleted")
    r = ed.post("/admin/lettre/%d/supprimer" % empty, form={"csrf": tok})
    t.eq(r.status, 200, "a draft can be deleted")
    j = wait_status(ed, iid, "sent", timeout=20)
    t.eq(j.get("issue", {}).get("status"), "sent",
         "with no subscriber the issue is soon sent")


# --- sending ---------------------------------------------------------------------

def group_send(binary, t):
    run_group(binary, t, "nl-send", sending, newsletter_rate="600")


def sending(srv, smtp, t):
    seed_watch(srv)
    # A wave of the barometer with 12 answers, 6 "harassed": 50 %.
    p = srv.cli("wave", "open", "barometre_jeunes", "--name", "2026 — T1",
                "--data", srv.data)
    t.eq(p.returncode, 0, "a barometer wave opens", p.stderr)
    n = sum(answer_barometer(srv, 15, "fille" if i % 2 else "garcon", "42",
                             "oui" if i < 6 else "non") for i in range(12))
    t.eq(n, 12, "twelve answers received")
    addrs = ["un@exemple.fr", "deux@exemple.fr", "refuse@exemple.fr",
             "trois@exemple.fr"]
    confirm_all(srv, smtp, addrs)
    smtp.refuse("refuse@exemple.fr")
    base = len(smtp.messages())
    ed = editor(srv)
    r, iid, tok = new_issue(ed)
    add_block(ed, iid, tok, "text", markdown="Bonjour, voici la **lettre**.")
    add_block(ed, iid, tok, "watch")
    add_block(ed, iid, tok, "barometer", indicators=["harcelement"])
    r = start_sending(ed, iid, tok)
    t.ok(r.status == 200 and r.json()["issue"]["deliveries"] == 4,
         "sending starts for the four confirmed addresses", r.brief())
    j = wait_status(ed, iid, "sent")
    t.eq(j.get("issue", {}).get("status"), "sent",
         "the server's tick sends everything")
    counts = j.get("counts", {})
    t.ok(counts.get("sent") == 3 and counts.get("bounced") == 1,
         "three sent, one bounced", counts)
    msgs = smtp.messages(base + 3)[base:]
    got = sorted(a for m in msgs for a in m["to"])
    t.eq(got, ["deux@exemple.fr", "trois@exemple.fr", "un@exemple.fr"],
         "each accepted address received it once")
    bounced = [d for d in j.get("deliveries", []) if d["status"] == "bounced"]
    t.ok(len(bounced) == 1 and "550" in (bounced[0].get("answer") or ""),
         "the bounce keeps the server's answer", bounced)
    t.ok(all("…@exemple.fr" in d["masked"] and "@" in d["masked"]
             for d in j["deliveries"]) and
         not any(a in json.dumps(j) for a in addrs),
         "editors see masked addresses only", j.get("deliveries"))
    with db(srv) as con:
        b = con.execute("SELECT bounces, status FROM newsletter_subscribers "
                        "ORDER BY id").fetchall()
    t.eq(b[2], (1, "confirmed"), "one bounce is counted, the address kept")

    # The mail.
    m = msgs[0]["msg"]
    t.eq(m.get_content_type(), "multipart/alternative", "multipart/alternative")
    parts = [p.get_content_type() for p in m.iter_parts()]
    t.eq(parts, ["text/plain", "text/html"], "a text part and an HTML part")
    lu = m["List-Unsubscribe"] or ""
    t.ok(re.match(r"<https://vigie\.example\.org/lettre/desabonnement/"
                  r"[A-Za-z0-9_-]{43}>$", lu), "List-Unsubscribe", lu)
    t.eq(m["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click",
         "List-Unsubscribe-Post")
    t.ok("lettre.vigie.example.org" in (m["List-Id"] or ""), "List-Id",
         m["List-Id"])
    t.ok(m["Message-ID"] and m["Date"], "Message-ID and Date")
    t.eq(str(m["Subject"]), "Lettre d'automne — Automne 2026",
         "the subject, decoded from RFC 2047")
    t.ok("=?UTF-8?B?" in msgs[0]["data"].split("\n\n")[0] or
         "=?utf-8?" in msgs[0]["data"].lower(),
         "…which is encoded on the wire")
    raw = msgs[0]["data"]
    t.ok(all(len(l) <= 998 for l in raw.split("\n")), "no line over 998")
    html = body_html(m)
    t.ok("<img" not in html.lower() and "url(" not in html,
         "no image and nothing remote in the HTML part")
    t.ok("https://vigie.example.org/lettre/1" in html and
         "https://vigie.example.org/lettre/1" in body_text(m),
         "the mail links to its web version")
    unsubs = set(link(body_text(x["msg"]), "desabonnement") for x in msgs)
    t.eq(len(unsubs), 3, "each address has its own unsubscribe link")

    # The archive, the web version, the feed.
    anon = srv.client()
    r = anon.get("/lettre/1")
    t.eq(r.status, 200, "the sent issue is in the archive at /lettre/1")
    text = french_text(r)
    t.ok("Bonjour, voici la <strong>lettre</strong>" in text and
         "Rapport sur le cyberharcèlement" in text, "…as it was sent")
    t.ok("<svg" in r.text and "50 %" in text and "12 réponses" in text,
         "…with the barometer's figure and its chart")
    t.ok("50 %" in body_text(m) and "<svg" not in html,
         "the mail gives the figure, without the chart")
    # More answers later change the barometer, not the letter sent.
    for i in range(6):
        answer_barometer(srv, 15, "fille", "42", "oui")
    live = anon.get("/barometre/harcelement", json_=True).json() or {}
    t.eq(live.get("overall", {}).get("percent"), "67 %",
         "the barometer moved on (12 of 18)")
    r = anon.get("/lettre/1")
    t.ok("50 %" in french_text(r) and "12 réponses" in french_text(r),
         "the archive keeps the figure as sent",
         live.get("overall", {}).get("percent"))
    t.ok(not any(a in r.text for a in addrs), "…and no address")
    check_security(t, r, "/lettre/1")
    j = anon.get("/lettre/1", json_=True).json() or {}
    t.eq(j.get("issue", {}).get("number"), 1, "its JSON twin")
    r = anon.get("/lettre/archives")
    t.ok(r.status == 200 and "/lettre/1" in r.text, "the archive lists it")
    r = anon.get("/lettre")
    t.ok("/lettre/1" in r.text, "/lettre shows the latest issues")
    r = anon.get("/lettre/flux.atom")
    t.ok(r.status == 200 and (r.header("content-type") or "").startswith(
        "application/atom+xml"), "the Atom feed", r.brief())
    try:
        root = ET.fromstring(r.body)
        ns = {"a": "http://www.w3.org/2005/Atom"}
        entries = root.findall("a:entry", ns)
        t.eq(len(entries), 1, "the feed parses and has one entry")
        href = entries[0].find("a:link", ns).get("href")
        t.eq(href, "https://vigie.example.org/lettre/1", "its link")
        t.ok(entries[0].find("a:updated", ns).text.endswith("Z"),
             "an RFC 3339 date")
    except ET.ParseError as e:
        t.ok(False, "the Atom feed is well-formed XML", str(e))
    t.eq(anon.get("/lettre/2").status, 404, "an unknown number: 404")

    # The watch items left the selection, marked with the issue.
    with db(srv) as con:
        rows = con.execute("SELECT id, selected IS NULL, sent_issue FROM "
                           "watch_items ORDER BY id").fetchall()
    t.eq(rows, [(10, 1, iid), (11, 1, iid), (12, 1, None)],
         "the selected watch items went out with the issue")

    # The CLI status.
    status_cli(srv, t)
    temporary(srv, smtp, ed, t)


def delivery_of(srv, iid, like):
    with db(srv) as con:
        return con.execute(
            "SELECT d.status, d.attempts, d.answer, d.next_at FROM "
            "newsletter_deliveries d WHERE d.issue_id = ? AND d.id IN "
            "(SELECT id FROM newsletter_deliveries WHERE issue_id = ? "
            "ORDER BY id LIMIT 1 OFFSET ?)", (iid, iid, like)).fetchone()


def wait_delivery(srv, iid, offset, pred, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        row = delivery_of(srv, iid, offset)
        if (row and pred(row)) or time.monotonic() > deadline:
            return row
        time.sleep(0.3)


def temporary(srv, smtp, ed, t):
    """A 451 is tried again later; after five tries it fails.  A second
    550 in a row sets the subscriber aside."""
    confirm_all(srv, smtp, ["tempo@exemple.fr"])
    smtp.refuse("tempo@exemple.fr", "451")
    for n, (title, give_up) in enumerate([("Deuxième", False),
                                          ("Troisième", True)]):
        r, iid, tok = new_issue(ed, title=title, period="Hiver 2026")
        add_block(ed, iid, tok, "text", markdown="Encore.")
        r = start_sending(ed, iid, tok)
        count = (r.json() or {}).get("issue", {}).get("deliveries")
        # The addresses in the order of the snapshot: un, deux, refuse,
        # trois, tempo (refuse is set aside after this second issue).
        last = count - 1
        row = wait_delivery(srv, iid, last, lambda d: d[2])
        t.ok(row and row[0] == "pending" and row[1] == 1 and
             "451" in (row[2] or "") and row[3] > time.time() + 30,
             "%s: a 451 leaves the address pending, to be tried again "
             "later" % title, row)
        t.eq(issue_state(ed, iid)["issue"]["status"], "sending",
             "…and the issue is still being sent")
        with db(srv) as con:
            if give_up:
                con.execute("UPDATE newsletter_deliveries SET attempts = 4, "
                            "next_at = 0 WHERE issue_id = ? AND status = "
                            "'pending'", (iid,))
            else:
                open(smtp.log + ".refuse", "w").close()
                con.execute("UPDATE newsletter_deliveries SET next_at = 0 "
                            "WHERE issue_id = ? AND status = 'pending'",
                            (iid,))
        j = wait_status(ed, iid, "sent")
        row = delivery_of(srv, iid, last)
        if give_up:
            t.ok(row[0] == "failed" and row[1] == 5 and "451" in row[2],
                 "after five tries it fails, with the server's answer", row)
        else:
            t.ok(row[0] == "sent" and row[1] == 2,
                 "the second try delivers it", row)
            smtp.refuse("tempo@exemple.fr", "451")
        with db(srv) as con:
            st = con.execute("SELECT status, bounces FROM "
                             "newsletter_subscribers ORDER BY id LIMIT 1 "
                             "OFFSET 2").fetchone()
        if n == 0:
            t.eq(st, ("bounced", 2), "a second 550 in a row sets the "
                 "address aside")
            t.eq(count, 5, "…it was still in this issue")
        else:
            t.eq(count, 4, "…and is no longer mailed")


def status_cli(srv, t):
    p = srv.cli("newsletter", "status", "--data", srv.data)
    t.ok(p.returncode == 0 and "3 envoyés" in p.stdout and
         "1 refusés" in p.stdout, "`vigie newsletter status`", p.stdout,
         p.stderr)
    p = srv.cli("newsletter", "voler", "--data", srv.data)
    t.ok(p.returncode == 2 and p.stderr.count("\n") == 1 and
         "commande inconnue" in p.stderr, "an unknown subcommand: one line, "
         "exit 2", p.stderr)


# --- stopping and resuming ----------------------------------------------------------

def count_by_address(msgs):
    out = {}
    for m in msgs:
        for a in m["to"]:
            out[a] = out.get(a, 0) + 1
    return out


def group_resume(binary, t):
    srv, smtp = setup(binary, "nl-resume", {"delay": "0.4"},
                      newsletter_rate="60")
    srv.start()
    try:
        resuming(srv, smtp, t)
    finally:
        if srv.proc is not None and srv.proc.poll() is None:
            srv.check_stop(t)
        smtp.stop()
        srv.cleanup()


def resuming(srv, smtp, t):
    addrs = ["a%d@exemple.fr" % i for i in range(12)]
    confirm_all(srv, smtp, addrs)
    base = len(smtp.messages())
    ed = editor(srv)
    r, iid, tok = new_issue(ed)
    add_block(ed, iid, tok, "text", markdown="Lettre à reprendre.")
    r = start_sending(ed, iid, tok)
    t.eq(r.status, 200, "sending starts for twelve addresses")

    # SIGTERM once a few went: the server stops cleanly between mails.
    smtp.messages(base + 3, timeout=30)
    srv.check_stop(t)
    got = count_by_address(smtp.messages()[base:])
    t.ok(0 < len(got) < 12, "stopped midway", got)
    with db(srv) as con:
        st = dict(con.execute("SELECT status, count(*) FROM "
                              "newsletter_deliveries GROUP BY status"
                              ).fetchall())
    t.ok(st.get("sending", 0) == 0, "a clean stop leaves nothing 'sending'",
         st)

    # Restart: the tick resumes.
    srv.proc = None
    srv.stopped = None
    srv.port = None
    srv.start()
    ed = editor(srv)
    j = wait_status(ed, iid, "sent", timeout=60)
    t.eq(j.get("issue", {}).get("status"), "sent", "resumed after restart")
    got = count_by_address(smtp.messages(base + 12, timeout=5)[base:])
    t.eq(sorted(got), sorted(addrs), "every address received it")
    t.ok(all(v == 1 for v in got.values()), "…exactly once", got)

    # A second issue, killed hard in the middle.
    base = len(smtp.messages())
    r, iid2, tok = new_issue(ed, title="Deuxième", period="Hiver 2026")
    add_block(ed, iid2, tok, "text", markdown="Encore une.")
    start_sending(ed, iid2, tok)
    smtp.messages(base + 2, timeout=30)
    time.sleep(0.2)
    srv.signal(signal.SIGKILL)
    srv.proc.wait(10)
    srv.stderr_file.close()
    with db(srv) as con:
        con.execute("UPDATE newsletter_deliveries SET status = 'sending' "
                    "WHERE id = (SELECT min(id) FROM newsletter_deliveries "
                    "WHERE issue_id = ? AND status = 'pending')", (iid2,))
        forced = con.execute("SELECT d.id FROM newsletter_deliveries d WHERE "
                             "issue_id = ? AND status = 'sending'", (iid2,)
                             ).fetchall()
        # The dead server's lease would make us wait NL_LEASE seconds.
        con.execute("UPDATE newsletter_sender SET expires_at = 0")
    # Resume from the command line, faster.
    write_conf(srv, conf(smtp, newsletter_rate="600"))
    p = srv.cli("newsletter", "send", "--data", srv.data, timeout=120)
    t.eq(p.returncode, 0, "`vigie newsletter send` finishes the issue",
         p.stdout, p.stderr)
    t.ok("Envoi terminé" in p.stdout, "…and says so", p.stdout)
    with db(srv) as con:
        st = dict(con.execute("SELECT status, count(*) FROM "
                              "newsletter_deliveries WHERE issue_id = ? "
                              "GROUP BY status", (iid2,)).fetchall())
        unc = con.execute("SELECT id FROM newsletter_deliveries WHERE "
                          "issue_id = ? AND status = 'uncertain'", (iid2,)
                          ).fetchall()
        status = con.execute("SELECT status FROM newsletter_issues WHERE "
                             "id = ?", (iid2,)).fetchone()[0]
    t.eq(status, "sent", "the second issue is sent")
    t.ok(set(forced) <= set(unc) and len(forced) >= 1,
         "rows left 'sending' became 'uncertain'", forced, unc)
    t.eq(st.get("sent", 0) + st.get("uncertain", 0), 12,
         "every delivery is sent or uncertain", st)
    got = count_by_address(smtp.messages()[base:])
    t.ok(all(v == 1 for v in got.values()), "no address got it twice", got)
    t.ok(st.get("sent", 0) <= len(got) <= 12,
         "every 'sent' row was received (uncertain ones at most once)",
         st, len(got))
    t.ok(len(got) < 12, "the uncertain row was never sent again", got)
    p = srv.cli("newsletter", "send", "--data", srv.data)
    t.ok(p.returncode == 0 and "Aucune lettre" in p.stdout,
         "nothing left to send", p.stdout, p.stderr)
    srv.proc = None


# --- SMTP: authentication and TLS -----------------------------------------------------

def restart(srv, c):
    write_conf(srv, c)
    srv.proc = None
    srv.stopped = None
    srv.port = None
    srv.start()
    return editor(srv)


def wait_answer(srv, iid, timeout=20):
    """The first delivery's (status, attempts, answer) once the tick has
    tried it."""
    deadline = time.monotonic() + timeout
    while True:
        with db(srv) as con:
            row = con.execute("SELECT status, attempts, answer FROM "
                              "newsletter_deliveries WHERE issue_id = ? "
                              "ORDER BY id LIMIT 1", (iid,)).fetchone()
        if (row and row[2]) or time.monotonic() > deadline:
            return row
        time.sleep(0.3)


def group_smtp(binary, t):
    srv = Server(binary, "nl-smtp")
    smtp = Smtp(srv.root, auth="lettre:secret-42")
    tls = None
    srv.add_user(EDITOR, "editor")
    good = conf(smtp, smtp_user="lettre", smtp_password="secret-42")
    bad = conf(smtp, smtp_user="lettre", smtp_password="mauvais")
    try:
        ed = restart(srv, good)
        confirm_all(srv, smtp, ["auth@exemple.fr"])
        m = smtp.messages(1)
        t.ok(len(m) == 1 and m[0]["auth"],
             "with smtp_user and smtp_password the mails authenticate")
        r, iid, tok = new_issue(ed)
        add_block(ed, iid, tok, "text", markdown="Authentifiée.")
        srv.check_stop(t)

        # A wrong password: the server's tick fails, blames nobody.
        ed = restart(srv, bad)
        r = start_sending(ed, iid, ed.csrf("/admin/lettre"))
        t.eq(r.status, 200, "sending starts")
        row = wait_answer(srv, iid)
        t.ok(row and row[0] == "pending" and row[1] == 0 and
             "535" in (row[2] or ""),
             "a wrong password: the delivery waits, no try counted, the "
             "server's answer kept", row)
        srv.check_stop(t)
        t.ok("SMTP server failed" in srv.stderr(),
             "the server logs the failure")
        p = srv.cli("newsletter", "send", "--data", srv.data, timeout=60)
        t.ok(p.returncode == 1 and "serveur SMTP" in p.stderr and
             "535" in p.stderr, "`vigie newsletter send` with a wrong "
             "password: a clear failure, exit 1", p.stderr)
        t.eq(len(p.stderr.strip().splitlines()), 1, "…on one line")
        write_conf(srv, good)
        p = srv.cli("newsletter", "send", "--data", srv.data, timeout=60)
        t.eq(p.returncode, 0, "with the right password it goes", p.stderr)
        m = smtp.messages(2)
        t.ok(len(m) == 2 and m[1]["auth"] and m[1]["to"] ==
             ["auth@exemple.fr"], "…one mail, authenticated")

        # STARTTLS with a certificate of our own.
        cert = os.path.join(srv.root, "cert.pem")
        key = os.path.join(srv.root, "key.pem")
        p = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                            "-nodes", "-keyout", key, "-out", cert, "-days",
                            "2", "-subj", "/CN=127.0.0.1", "-addext",
                            "subjectAltName=IP:127.0.0.1"],
                           capture_output=True, text=True)
        t.eq(p.returncode, 0, "openssl makes a certificate", p.stderr)
        tls = Smtp(srv.root, cert=cert, key=key)
        ed = restart(srv, conf(tls, smtp_starttls="yes"))
        r, iid2, tok = new_issue(ed, title="Chiffrée", period="Hiver 2026")
        add_block(ed, iid2, tok, "text", markdown="Par TLS.")
        r = start_sending(ed, iid2, tok)
        row = wait_answer(srv, iid2)
        t.ok(row and row[0] == "pending" and row[2],
             "STARTTLS with an unknown CA: the tick fails and waits", row)
        srv.check_stop(t)
        t.eq(len(tls.messages()), 0, "…and sends nothing")
        write_conf(srv, conf(tls, smtp_starttls="yes", smtp_ca_file=cert))
        p = srv.cli("newsletter", "send", "--data", srv.data, timeout=60)
        t.eq(p.returncode, 0, "STARTTLS with smtp_ca_file works", p.stderr)
        m = tls.messages(1)
        t.ok(len(m) == 1 and m[0]["tls"], "the mail went over TLS")
        srv.proc = None
    finally:
        if srv.proc is not None and srv.proc.poll() is None:
            srv.check_stop(t)
        smtp.stop()
        if tls is not None:
            tls.stop()
        srv.cleanup()


GROUPS = [("newsletter_subscribe", group_subscribe),
          ("newsletter_compose", group_compose),
          ("newsletter_send", group_send),
          ("newsletter_resume", group_resume),
          ("newsletter_smtp", group_smtp)]
