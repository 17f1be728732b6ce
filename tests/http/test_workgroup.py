"""
test_workgroup.py — the working group (/groupe): membership managed by
editors and administrators, the access rules (member, a restricted case
with a named member and a member outside it, a non-member professional,
an administrator who is not a member, anonymous visitors), the same 404
for a hidden case as for a missing one, CSRF, JSON twins, bad input
(empty title, unknown kind and status, oversized attachment, wrong type)
with nothing half-written, the detector's confirmation step, Markdown
rendered without raw HTML, attachments sealed at rest and served as
downloads to readers only, the audit entries in the reports' chained log
(`vigie audit verify` still exits 0), the purge of closed cases, and,
against a real SMTP server on loopback (Debian's aiosmtpd), the mail of a
new contribution to followers, with a link and no case content.

The detector's checks need the real detector (src/workgroup/detect.c,
written apart): with the placeholder that finds nothing they fail.
"""
import email
import email.header
import email.utils
import os
import re
import sqlite3
import time

from harness import PASSWORD, Server, check_security, error_json, french_text
from test_analysis import start_smtp
from test_resources import multipart

ADMIN = "admin@vigie.test"
EDITOR = "redaction@vigie.test"
M1, M2, M3 = "m1@vigie.test", "m2@vigie.test", "m3@vigie.test"
OUTSIDER = "dehors@vigie.test"
PDF = b"%PDF-1.4\n% Vigie test\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
SUMMARY = "Une adolescente reçoit des messages de menace répétés."
SECRET_WORDS = "Collège des Tilleuls, classe de quatrième"


def signed_in(srv, who, json_=True):
    c = srv.client(json_=json_)
    r = c.login(who, PASSWORD, json_=True)
    if r.status != 200:
        raise AssertionError("login %s: %s" % (who, r.brief()))
    return c


def db(srv):
    return sqlite3.connect(os.path.join(srv.data, "vigie.db"))


def count(srv, sql, *args):
    con = db(srv)
    try:
        return con.execute(sql, args).fetchone()[0]
    finally:
        con.close()


def wg_audit(srv, action=None):
    if action is None:
        return count(srv, "SELECT count(*) FROM audit_log WHERE action "
                     "LIKE 'wg-%'")
    return count(srv, "SELECT count(*) FROM audit_log WHERE action = ?",
                 action)


def case_form(tok, **over):
    form = {"csrf": tok, "title": "Menaces répétées sur une messagerie",
            "summary": SUMMARY + "\n\n" + SECRET_WORDS,
            "kinds": ["menaces", "harcelement"], "departement": "42",
            "professions": ["education", "social"]}
    form.update(over)
    pairs = []
    for k, v in form.items():
        if v is None:
            continue
        pairs += [(k, x) for x in v] if isinstance(v, list) else [(k, v)]
    return pairs


def contribute(c, tok, cid, body, files=(), confirm=False):
    fields = [("csrf", tok), ("body", body)]
    if confirm:
        fields.append(("confirmer", "1"))
    data, ctype = multipart(fields, list(files))
    return c.request("POST", "/groupe/cas/%d/contributions" % cid, body=data,
                     headers={"Content-Type": ctype}, json_=True)


def setup(binary, name, conf=None):
    srv = Server(binary, name, conf=conf)
    ids = {}
    ids[ADMIN] = srv.add_user(ADMIN, "admin")
    ids[EDITOR] = srv.add_user(EDITOR, "editor")
    for who in (M1, M2, M3, OUTSIDER):
        ids[who] = srv.add_user(who, "professional")
    return srv, ids


def add_members(srv, t, ed):
    tok = ed.csrf("/groupe/membres")
    for who in (M1, M2, M3):
        r = ed.post("/groupe/membres", form={"csrf": tok, "email": who})
        t.eq(r.status, 200, "an editor adds %s to the group" % who,
             r.brief())


# --- the main group ------------------------------------------------------------

def group_workgroup(binary, t):
    srv, ids = setup(binary, "workgroup")
    srv.start()
    try:
        membership(srv, t, ids)
        cases = creating(srv, t, ids)
        access(srv, t, cases)
        contributions(srv, t, cases)
        attachments(srv, t, cases)
        status_and_audit(srv, t, cases)
        purge(srv, t, cases)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def membership(srv, t, ids):
    anon = srv.client()
    r = anon.get("/groupe")
    t.eq(r.status, 303, "an anonymous visitor is sent to sign in", r.brief())
    t.ok("/connexion" in (r.header("location") or ""),
         "… to the sign-in page", r.header("location"))
    t.eq(anon.get("/groupe/cas/1", json_=True).status, 401,
         "an anonymous visitor gets 401 on a case (JSON)")

    out = signed_in(srv, OUTSIDER, json_=False)
    r = out.get("/groupe")
    t.eq(r.status, 200, "a professional outside the group gets a page",
         r.brief())
    t.ok("pas encore partie du groupe" in french_text(r),
         "… explaining how to join", r.text[:400])
    t.eq(out.get("/groupe", json_=True).json().get("member"), False,
         "… whose JSON twin says member: false")
    t.eq(out.get("/groupe/cas/nouveau").status, 404,
         "a non-member cannot open the new case form (404)")
    t.eq(out.get("/groupe/membres").status, 403,
         "a professional cannot manage members")

    ed = signed_in(srv, EDITOR)
    r = ed.post("/groupe/membres", form={"csrf": "périmé", "email": M1})
    t.eq(r.status, 403, "a stale CSRF token is refused", r.brief())
    t.eq(error_json(r)[0], "csrf", "… as a CSRF error")
    t.eq(count(srv, "SELECT count(*) FROM wg_members"), 0,
         "… and nobody was added")
    add_members(srv, t, ed)
    tok = ed.csrf("/groupe/membres")
    r = ed.post("/groupe/membres", form={"csrf": tok, "email": M1})
    t.eq(r.status, 409, "adding a member twice is refused", r.brief())
    r = ed.post("/groupe/membres", form={"csrf": tok,
                                         "email": "inconnu@vigie.test"})
    code, msg, field = error_json(r)
    t.eq((r.status, field), (400, "email"),
         "adding an unknown address is refused on its field", r.brief())
    t.ok(msg and "Aucun compte actif" in msg, "… in French", msg)
    j = ed.get("/groupe/membres").json()
    t.eq(sorted(m["email"] for m in j["members"]), sorted([M1, M2, M3]),
         "the members page's JSON twin lists the three members")
    t.eq(wg_audit(srv, "wg-member-add"), 3,
         "each addition is an audit entry")
    # The editor manages the group without reading its cases.
    t.eq(ed.get("/groupe").json().get("member"), False,
         "an editor who manages the group is not a member")


def creating(srv, t, ids):
    m1 = signed_in(srv, M1)
    tok = m1.csrf("/groupe/cas/nouveau")
    j = m1.get("/groupe/cas/nouveau").json()
    t.ok(any(k["code"] == "menaces" for k in j.get("kind_choices", [])),
         "the new case form's JSON twin lists the kinds of violence")

    for over, field, desc in [
            ({"title": ""}, "title", "an empty title"),
            ({"kinds": ["inconnu"]}, "kinds", "an unknown kind"),
            ({"kinds": None}, "kinds", "no kind"),
            ({"professions": ["astronaute"]}, "professions",
             "an unknown profession"),
            ({"departement": "999"}, "departement", "an unknown département"),
            ({"restricted": "1", "named": str(ids[OUTSIDER])}, "named",
             "naming a non-member")]:
        r = m1.post("/groupe/cas/nouveau", form=case_form(tok, **over))
        code, msg, got = error_json(r)
        t.eq((r.status, got), (400, field), "%s is refused" % desc,
             r.brief())
        t.ok(msg and re.search(r"[éèàç]|Choisissez|Donnez|Une des", msg),
             "… with a French message", msg)
    t.eq(count(srv, "SELECT count(*) FROM wg_cases"), 0,
         "no case was written by refused forms")

    r = m1.post("/groupe/cas/nouveau", form=case_form(tok))
    t.eq(r.status, 200, "a member creates a case", r.brief())
    open_id = r.json()["case"]["id"]
    t.eq(sorted(r.json()), ["case"], "… and the JSON answer is the case")
    r = m1.post("/groupe/cas/nouveau", form=case_form(
        tok, title="Surveillance par un ex-conjoint", kinds=["surveillance"],
        restricted="1", named=str(ids[M2])))
    t.eq(r.status, 200, "a member creates a case restricted to M2",
         r.brief())
    restricted_id = r.json()["case"]["id"]

    # Needs the real detector (detect.c): a phone in the summary.
    phone = SUMMARY + " Sa mère a appelé du 06 12 34 56 78."
    r = m1.post("/groupe/cas/nouveau", form=case_form(
        tok, title="Cas avec un téléphone", summary=phone))
    j = r.json() or {}
    t.eq(r.status, 422, "the detector stops a case with a phone in its "
         "summary (needs the real detector)", r.brief())
    t.ok([d.get("field") for d in j.get("detected", [])] == ["summary"],
         "… naming the summary (needs the real detector)",
         j.get("detected"))
    t.eq(j.get("values", {}).get("summary"), phone,
         "… with the text kept (needs the real detector)")
    r = m1.post("/groupe/cas/nouveau", form=case_form(
        tok, title="Cas avec un téléphone", summary=phone, confirmer="1"))
    t.eq(r.status, 200, "a confirmed case is saved", r.brief())
    t.eq((r.json() or {}).get("case", {}).get("confirmed"), True,
         "… recorded as confirmed (needs the real detector)")

    # HTML: a redirect to the new case.
    h = signed_in(srv, M1, json_=False)
    htok = h.csrf("/groupe/cas/nouveau")
    r = h.post("/groupe/cas/nouveau", form=case_form(
        htok, title="Troisième cas", kinds=["autre"]))
    t.eq(r.status, 303, "the HTML form answers with a redirect", r.brief())
    t.ok(re.match(r"/groupe/cas/\d+$", r.header("location") or ""),
         "… to the case", r.header("location"))
    r = h.post("/groupe/cas/nouveau", form=case_form(htok, title=""))
    t.eq(r.status, 400, "an HTML form with an empty title comes back")
    t.ok("Donnez un titre" in french_text(r) and
         SECRET_WORDS in french_text(r), "… with the message and the text "
         "kept", r.text[:300])

    raw = open(os.path.join(srv.data, "vigie.db"), "rb").read()
    t.ok(SECRET_WORDS.encode() not in raw and
         b"Surveillance par un ex-conjoint" not in raw,
         "titles and summaries are sealed at rest")
    return {"open": open_id, "restricted": restricted_id, "m1": m1,
            "tok": tok}


def access(srv, t, cases):
    o, rs = cases["open"], cases["restricted"]
    m2, m3 = signed_in(srv, M2), signed_in(srv, M3)
    out, admin = signed_in(srv, OUTSIDER), signed_in(srv, ADMIN)
    missing = m3.get("/groupe/cas/999999")
    t.eq(missing.status, 404, "an unknown case is 404")
    for who, c, cid, want in [("the author", cases["m1"], rs, 200),
                              ("a named member", m2, rs, 200),
                              ("a member", m3, o, 200),
                              ("a member not named", m3, rs, 404),
                              ("a non-member professional", out, o, 404),
                              ("an administrator not a member", admin, o,
                               404)]:
        r = c.get("/groupe/cas/%d" % cid)
        t.eq(r.status, want, "%s reading case %d gets %d" % (who, cid, want),
             r.brief())
        if want == 404:
            t.eq(error_json(r), error_json(missing),
                 "… the same answer as for a case that does not exist")
    r = m2.get("/groupe/cas/%d" % rs)
    t.eq(r.json()["case"]["title"], "Surveillance par un ex-conjoint",
         "the JSON twin of a case carries its title")
    check_security(t, r, "a case (JSON)")
    listed = [c["id"] for c in m3.get("/groupe").json()["cases"]]
    t.ok(o in listed and rs not in listed,
         "a member's list leaves out the cases restricted to others", listed)
    h = signed_in(srv, M3, json_=False)
    r = h.get("/groupe/cas/%d" % o)
    t.eq(r.status, 200, "the case page in HTML")
    check_security(t, r, "a case page")
    t.ok(SUMMARY in french_text(r), "… shows the summary", r.text[:300])
    r = h.get("/groupe/cas/%d" % rs)
    t.eq(r.status, 404, "a hidden case in HTML is 404")
    t.ok("vous n'y avez pas accès" in french_text(r),
         "… with the French message of a missing case")
    # Actions on a hidden case are 404 too, and write nothing.
    tok = out.csrf("/groupe")
    before = count(srv, "SELECT count(*) FROM wg_contributions")
    m3tok = m3.csrf("/groupe")
    r = contribute(m3, "périmé", o, "Un jeton périmé.",
                   files=[("piece", "note.txt", b"Texte.\n")])
    t.eq((r.status, error_json(r)[0]), (403, "csrf"),
         "a contribution with a stale CSRF token is refused", r.brief())
    r = contribute(m3, m3tok, o, "")
    t.eq(r.status, 400, "an empty contribution is refused")
    r = contribute(out, tok, o, "Je ne devrais pas pouvoir écrire.")
    t.eq(r.status, 404, "a non-member cannot contribute (404)", r.brief())
    r = contribute(m3, m3.csrf("/groupe"), rs, "Ni moi.")
    t.eq(r.status, 404, "a member outside a restricted case cannot "
         "contribute (404)", r.brief())
    r = out.post("/groupe/cas/%d/statut" % o, form={"csrf": tok,
                                                   "status": "closed"})
    t.eq(r.status, 404, "a non-member cannot change a status (404)")
    t.eq(count(srv, "SELECT count(*) FROM wg_contributions"), before,
         "… nothing was written")


def contributions(srv, t, cases):
    o, m1, tok = cases["open"], cases["m1"], cases["tok"]
    r = contribute(m1, tok, o, "")
    t.eq((r.status, error_json(r)[2]), (400, "body"),
         "an empty contribution is refused on its field", r.brief())

    # Needs the real detector (detect.c): an e-mail address and a phone.
    text = ("Elle a été contactée à lea.martin@exemple.fr puis au "
            "06 12 34 56 78.")
    r = contribute(m1, tok, o, text)
    j = r.json() or {}
    found = [d.get("text") for d in j.get("detected", [])]
    t.eq(r.status, 422, "the detector stops a contribution with an e-mail "
         "address and a phone (needs the real detector)", r.brief())
    t.ok("lea.martin@exemple.fr" in found and
         any(f and "06 12 34 56 78" in f for f in found),
         "… and says what it found", found)
    t.eq(j.get("values", {}).get("body"), text, "… with the text kept")
    t.eq(count(srv, "SELECT count(*) FROM wg_contributions"), 0,
         "… and nothing is saved")
    h = signed_in(srv, M1, json_=False)
    r = h.request("POST", "/groupe/cas/%d/contributions" % o,
                  body=multipart([("csrf", h.csrf("/groupe")),
                                  ("body", text)], [])[0],
                  headers={"Content-Type": multipart([], [])[1]})
    t.ok(r.status == 422 and "Je confirme, ces éléments sont nécessaires"
         in french_text(r) and "lea.martin@exemple.fr" in french_text(r),
         "the HTML form comes back with the findings and the confirmation "
         "box (needs the real detector)", r.status)
    r = contribute(m1, tok, o, text, confirm=True)
    t.eq(r.status, 200, "a confirmed contribution is saved", r.brief())
    t.eq((r.json() or {}).get("contribution", {}).get("confirmed"), True,
         "… recorded as confirmed (needs the real detector)")
    t.eq(count(srv, "SELECT count(*) FROM wg_contributions WHERE "
               "confirmed = 1"), 1, "… in the database too (needs the real "
         "detector)")

    r = contribute(m1, tok, o, "Avis : **important**.\n\n"
                   "<script>alert(1)</script>\n\n[lien](javascript:alert(1))")
    t.eq(r.status, 200, "a contribution in Markdown is saved", r.brief())
    page = signed_in(srv, M2, json_=False).get("/groupe/cas/%d" % o).text
    t.ok("<strong>important</strong>" in page,
         "Markdown is rendered")
    t.ok("<script>alert" not in page and "javascript:alert" not in page,
         "raw HTML and dangerous links are dropped")


def attachments(srv, t, cases):
    o, rs, m1, tok = cases["open"], cases["restricted"], cases["m1"], \
        cases["tok"]
    before = count(srv, "SELECT count(*) FROM wg_contributions")
    r = contribute(m1, tok, o, "Un fichier exécutable.",
                   files=[("piece", "outil.pdf", b"MZ\x90\x00" + b"\0" * 64)])
    t.eq(r.status, 415, "a file of a refused type is refused, whatever its "
         "name", r.brief())
    t.ok("n'est pas d'un type accepté" in (error_json(r)[1] or ""),
         "… in French", error_json(r))
    big = b"%PDF-1.4\n" + b"x" * (10 * 1024 * 1024)
    r = contribute(m1, tok, o, "Un fichier trop gros.",
                   files=[("piece", "gros.pdf", big)])
    t.eq(r.status, 413, "an attachment over 10 Mo is refused", r.brief())
    t.ok("trop gros" in (error_json(r)[1] or ""), "… in French",
         error_json(r))
    t.eq(count(srv, "SELECT count(*) FROM wg_contributions"), before,
         "… and neither contribution was half-written")

    r = contribute(m1, tok, rs, "Le protocole en pièce jointe.",
                   files=[("piece", "protocole.pdf", PDF),
                          ("piece", "notes.txt", "Notes de réunion.\n"
                           .encode())])
    t.eq(r.status, 200, "a contribution with a PDF and a text file",
         r.brief())
    t.eq(r.json()["contribution"]["attachments"], 2, "… both attached")
    j = m1.get("/groupe/cas/%d" % rs).json()
    files = j["case"]["contributions"][-1]["attachments"]
    t.eq([(f["name"], f["type"]) for f in files],
         [("protocole.pdf", "application/pdf"), ("notes.txt", "text/plain")],
         "the case lists the attachments with their checked types")
    url = "/groupe/cas/%d/pieces/%d" % (rs, files[0]["id"])
    m2 = signed_in(srv, M2)
    r = m2.get(url)
    t.eq((r.status, r.body), (200, PDF), "a named member downloads the PDF")
    t.ok("attachment" in (r.header("content-disposition") or ""),
         "… as an attachment", r.header("content-disposition"))
    check_security(t, r, "an attachment")
    t.eq(signed_in(srv, M3).get(url).status, 404,
         "a member outside the restricted case cannot download it")
    t.eq(m2.get("/groupe/cas/%d/pieces/%d" % (o, files[0]["id"])).status,
         404, "an attachment is not reachable through another case")
    raw = open(os.path.join(srv.data, "vigie.db"), "rb").read()
    t.ok(b"Vigie test" not in raw and b"protocole.pdf" not in raw,
         "attachments and their names are sealed at rest")


def status_and_audit(srv, t, cases):
    o, m1, tok = cases["open"], cases["m1"], cases["tok"]
    r = m1.post("/groupe/cas/%d/statut" % o, form={"csrf": tok,
                                                   "status": "archive"})
    t.eq((r.status, error_json(r)[2]), (400, "status"),
         "an unknown status is refused", r.brief())
    views = wg_audit(srv, "wg-view")
    m1.get("/groupe/cas/%d" % o)
    m1.get("/groupe/cas/%d" % o)
    t.eq(wg_audit(srv, "wg-view"), views + 2,
         "every reading of a case is an audit entry")
    m3 = signed_in(srv, M3)
    m3.get("/groupe/cas/%d" % cases["restricted"])
    t.eq(wg_audit(srv, "wg-view"), views + 2,
         "a refused reading reads nothing and records no view")
    r = m1.post("/groupe/cas/%d/statut" % o, form={"csrf": tok,
                                                   "status": "closed"})
    t.eq(r.status, 200, "a member closes a case", r.brief())
    t.eq(count(srv, "SELECT count(*) FROM audit_log WHERE action = "
               "'wg-status' AND report_id = ? AND detail = 'closed'", o), 1,
         "the change of status is an audit entry with the case and status")
    t.eq(wg_audit(srv, "wg-case-create"),
         count(srv, "SELECT count(*) FROM wg_cases"),
         "each case creation is an entry")
    t.ok(wg_audit(srv, "wg-contribute") >= 2 and
         wg_audit(srv, "wg-download") == 1,
         "contributions and downloads are entries",
         wg_audit(srv, "wg-contribute"), wg_audit(srv, "wg-download"))
    t.eq(count(srv, "SELECT count(*) FROM audit_log WHERE action LIKE "
               "'wg-%' AND actor_id IS NULL"), 0, "every entry names its "
         "actor")
    r = srv.cli("audit", "verify", "--data", srv.data)
    t.eq(r.returncode, 0, "vigie audit verify: the chain with the working "
         "group's entries is intact", r.stdout, r.stderr)


def purge(srv, t, cases):
    o, rs = cases["open"], cases["restricted"]
    r = srv.cli("purge", "--data", srv.data)
    t.eq(r.returncode, 0, "vigie purge runs", r.stderr)
    t.eq(count(srv, "SELECT count(*) FROM wg_cases WHERE id = ?", o), 1,
         "a case closed today is kept")
    con = db(srv)
    con.execute("UPDATE wg_cases SET status = 'closed', closed_at = "
                "strftime('%s', 'now') - 400 * 86400 WHERE id = ?", (o,))
    con.commit()
    con.close()
    atts = count(srv, "SELECT count(*) FROM wg_attachments")
    r = srv.cli("purge", "--data", srv.data)
    t.eq(r.returncode, 0, "vigie purge runs again", r.stderr)
    t.eq(count(srv, "SELECT count(*) FROM wg_cases WHERE id = ?", o), 0,
         "a case closed 400 days ago is deleted (365 by default)")
    for table in ("wg_contributions", "wg_attachments", "wg_follows",
                  "wg_case_access", "wg_notifications", "wg_meeting_cases"):
        t.eq(count(srv, "SELECT count(*) FROM %s WHERE case_id = ?" % table,
                   o), 0, "… with its rows of %s" % table)
    t.eq(count(srv, "SELECT count(*) FROM wg_cases WHERE id = ?", rs), 1,
         "an open case is kept")
    t.eq(count(srv, "SELECT count(*) FROM wg_attachments"), atts,
         "… with its attachments")
    r = srv.cli("audit", "verify", "--data", srv.data)
    t.eq(r.returncode, 0, "the audit log is intact after the purge",
         r.stderr)


# --- mail ------------------------------------------------------------------------

def mails(log_path, want, timeout=15):
    """[(to, subject, text)] printed by the SMTP server, once there are
    `want` (or the timeout)."""
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
            payload = m.get_payload(decode=True) or b""
            out.append((email.utils.parseaddr(m.get("To", ""))[1], subject,
                        payload.decode(m.get_content_charset() or "utf-8",
                                       "replace")))
        if len(out) >= want or time.monotonic() > deadline:
            return out
        time.sleep(0.2)


def group_workgroup_mail(binary, t):
    srv, ids = setup(binary, "workgroup-mail")
    smtp, port, smtp_log = start_smtp(srv.root)
    with open(os.path.join(srv.data, "vigie.conf"), "w") as f:
        f.write("smtp_url = smtp://127.0.0.1:%d\n"
                "notifier_name = Groupe de travail\n"
                "notifier_email = groupe@pole.test\n"
                "public_url = https://vigie.example\n" % port)
    srv.start()
    try:
        ed = signed_in(srv, EDITOR)
        add_members(srv, t, ed)
        m1, m2, m3 = (signed_in(srv, w) for w in (M1, M2, M3))
        tok = m1.csrf("/groupe/cas/nouveau")
        r = m1.post("/groupe/cas/nouveau", form=case_form(tok))
        cid = r.json()["case"]["id"]
        for c in (m2, m3):
            r = c.post("/groupe/cas/%d/suivi" % cid,
                       form={"csrf": c.csrf("/groupe"), "suivre": "1"})
            t.eq((r.status, r.json()["case"]["following"]), (200, True),
                 "a member follows the case")
        t.eq(wg_audit(srv, "wg-follow"), 2, "following is an audit entry")
        r = contribute(m1, tok, cid, "Point d'étape : " + SECRET_WORDS)
        t.eq(r.status, 200, "the author contributes", r.brief())
        got = mails(smtp_log, 2)
        t.eq(sorted(m[0] for m in got), sorted([M2, M3]),
             "both followers get a mail, not the author", got)
        link = "https://vigie.example/groupe/cas/%d" % cid
        for to, subject, text in got:
            t.ok(link in text, "the mail to %s carries the link" % to, text)
            t.ok("Tilleuls" not in text and "Menaces" not in text and
                 "Menaces" not in subject and SUMMARY not in text,
                 "… and nothing of the case", subject, text)
        # The row goes just after the SMTP server has the mail.
        deadline = time.monotonic() + 5
        while (count(srv, "SELECT count(*) FROM wg_notifications") and
               time.monotonic() < deadline):
            time.sleep(0.2)
        t.eq(count(srv, "SELECT count(*) FROM wg_notifications"), 0,
             "sent notifications are not kept")
        r = m3.post("/groupe/cas/%d/suivi" % cid,
                    form={"csrf": m3.csrf("/groupe"), "suivre": "0"})
        t.eq(r.status, 200, "a member stops following")
        contribute(m2, m2.csrf("/groupe"), cid, "Une réponse.")
        got = mails(smtp_log, 3)
        t.eq([m[0] for m in got[2:]], [M1],
             "the next contribution mails the other followers only (the "
             "author of the case follows it)", got[2:])
        time.sleep(6)
        t.eq(len(mails(smtp_log, 4, timeout=0)), 3,
             "no mail to the one who stopped following")
    finally:
        srv.check_stop(t)
        if smtp.poll() is None:
            smtp.terminate()
            smtp.wait(5)
        srv.cleanup()



# --- meetings --------------------------------------------------------------------

def group_workgroup_meetings(binary, t):
    srv, ids = setup(binary, "workgroup-meetings")
    smtp, port, smtp_log = start_smtp(srv.root)
    with open(os.path.join(srv.data, "vigie.conf"), "w") as f:
        f.write("smtp_url = smtp://127.0.0.1:%d\n"
                "notifier_name = Groupe de travail\n"
                "notifier_email = groupe@pole.test\n"
                "public_url = https://vigie.example\n" % port)
    srv.start()
    try:
        meetings(srv, t, ids, smtp_log)
    finally:
        srv.check_stop(t)
        if smtp.poll() is None:
            smtp.terminate()
            smtp.wait(5)
        srv.cleanup()


def meetings(srv, t, ids, smtp_log):
    import datetime
    ed = signed_in(srv, EDITOR)
    add_members(srv, t, ed)
    m1, m2, m3 = (signed_in(srv, w) for w in (M1, M2, M3))
    out = signed_in(srv, OUTSIDER)
    tok = m1.csrf("/groupe/cas/nouveau")
    open_id = m1.post("/groupe/cas/nouveau",
                      form=case_form(tok)).json()["case"]["id"]
    hidden = m1.post("/groupe/cas/nouveau", form=case_form(
        tok, title="Cas réservé", restricted="1",
        named=str(ids[M2]))).json()["case"]["id"]
    t.eq(out.get("/groupe/reunions").status, 404,
         "a non-member gets 404 on the meetings")
    # The reminder goes the day before: a meeting tomorrow (UTC, from
    # 06:00) is due at once.
    day = (datetime.datetime.now(datetime.timezone.utc) -
           datetime.timedelta(hours=6) + datetime.timedelta(days=1)).date()
    form = [("csrf", tok), ("day", day.isoformat()), ("time", "14:30"),
            ("place", "Salle du conseil, Maison des associations"),
            ("agenda", "1. Tour de table\n2. Cas en cours"),
            ("cases", str(open_id)), ("cases", str(hidden))]
    bad = [(k, "2026-02-30" if k == "day" else v) for k, v in form]
    r = m1.post("/groupe/reunions", form=bad)
    t.eq((r.status, error_json(r)[2]), (400, "day"),
         "an impossible date is refused on its field", r.brief())
    r = m3.post("/groupe/reunions", form=[(k, v) for k, v in form if k !=
                                          "csrf"] + [("csrf", m3.csrf(
                                              "/groupe"))])
    t.eq((r.status, error_json(r)[2]), (400, "cases"),
         "a member cannot put on the agenda a case they may not read",
         r.brief())
    t.eq(count(srv, "SELECT count(*) FROM wg_meetings"), 0,
         "… nothing was written")
    r = m1.post("/groupe/reunions", form=form)
    t.eq(r.status, 200, "a member plans a meeting", r.brief())
    mid = r.json()["meeting"]["id"]
    j = m3.get("/groupe/reunions/%d" % mid).json()
    t.eq([c["id"] for c in j["meeting"]["cases"]], [open_id],
         "a member sees the meeting without the restricted case")
    j = m2.get("/groupe/reunions/%d" % mid).json()
    t.eq(sorted(c["id"] for c in j["meeting"]["cases"]),
         sorted([open_id, hidden]), "a named member sees both cases")
    t.eq(out.get("/groupe/reunions/%d" % mid).status, 404,
         "a non-member gets 404 on the meeting")
    r = m1.post("/groupe/reunions/%d/decisions" % mid,
                form={"csrf": tok, "what": "Appeler le référent",
                      "who": str(ids[OUTSIDER]), "due": "2026-12-01"})
    t.eq((r.status, error_json(r)[2]), (400, "who"),
         "a decision for someone outside the group is refused", r.brief())
    r = m1.post("/groupe/reunions/%d/decisions" % mid,
                form={"csrf": tok, "what": "Appeler le référent",
                      "who": str(ids[M2]), "due": "2026-12-01"})
    t.eq(r.status, 200, "a decision: who does what by when", r.brief())
    r = m1.post("/groupe/reunions/%d/notes" % mid,
                form={"csrf": tok, "notes": "Relevé : **tour de table**."})
    t.eq(r.status, 200, "the notes are saved", r.brief())
    h = signed_in(srv, M3, json_=False)
    r = h.get("/groupe/reunions/%d" % mid)
    text = french_text(r)
    t.ok(r.status == 200 and "Appeler le référent" in text and
         "<strong>tour de table</strong>" in r.text and
         "Cas réservé" not in text,
         "the meeting page shows the decision and the notes, not the "
         "restricted case", r.status)
    check_security(t, r, "a meeting page")
    t.ok(wg_audit(srv, "wg-meeting-view") == 3 and
         wg_audit(srv, "wg-decision") == 1 and
         wg_audit(srv, "wg-meeting-notes") == 1 and
         wg_audit(srv, "wg-meeting-create") == 1,
         "meetings' readings and changes are audit entries")
    raw = open(os.path.join(srv.data, "vigie.db"), "rb").read()
    t.ok(b"Appeler le r" not in raw and b"Tour de table" not in raw,
         "agenda and decisions are sealed at rest")
    got = mails(smtp_log, 3)
    t.eq(sorted(m[0] for m in got), sorted([M1, M2, M3]),
         "every member gets the reminder the day before", got)
    for to, subject, body in got:
        t.ok("https://vigie.example/groupe/reunions/%d" % mid in body and
             "Tour de table" not in body and "Cas" not in subject,
             "the reminder to %s has the link and no agenda" % to, body)
    time.sleep(6)
    t.eq(len(mails(smtp_log, 4, timeout=0)), 3,
         "the reminder is sent once")
    r = srv.cli("audit", "verify", "--data", srv.data)
    t.eq(r.returncode, 0, "vigie audit verify after the meetings",
         r.stderr)


# --- the library (/groupe/documents) ------------------------------------------

DOC_TEXT = ("Procédure interne : appeler la permanence juridique avant "
            "toute plainte.")
DOC_SECRET = "Tournesol confidentiel Zanzibar"
ODT = (b"PK\x03\x04" + b"\0" * 26 +
       b"mimetypeapplication/vnd.oasis.opendocument.text" + b"\0" * 64)


def add_doc(c, tok, fields, files=()):
    data, ctype = multipart([("csrf", tok)] + list(fields), list(files))
    return c.request("POST", "/groupe/documents", body=data,
                     headers={"Content-Type": ctype}, json_=True)


def group_workgroup_documents(binary, t):
    srv, ids = setup(binary, "workgroup-documents")
    srv.start()
    try:
        documents(srv, t, ids)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def documents(srv, t, ids):
    ed = signed_in(srv, EDITOR)
    add_members(srv, t, ed)
    tok_ed = ed.csrf("/groupe/membres")
    r = ed.post("/groupe/membres", form={"csrf": tok_ed, "email": ADMIN})
    t.eq(r.status, 200, "the administrator is made a member", r.brief())
    m1, m2 = signed_in(srv, M1), signed_in(srv, M2)
    tok = m1.csrf("/groupe/documents")

    # Access: anonymous, non-member, member.
    anon = srv.client()
    r = anon.get("/groupe/documents")
    t.eq(r.status, 303, "an anonymous visitor is sent to sign in",
         r.brief())
    t.eq(anon.get("/groupe/documents/1", json_=True).status, 401,
         "an anonymous visitor gets 401 on a document (JSON)")
    out = signed_in(srv, OUTSIDER, json_=False)
    r = out.get("/groupe/documents")
    t.ok(r.status == 200 and "pas encore partie du groupe" in
         french_text(r), "a non-member gets the join page, not the list",
         r.brief())
    t.ok("documents" not in (out.get("/groupe/documents", json_=True)
                             .json() or {}),
         "… whose JSON twin lists no document")
    r = m1.get("/groupe/documents", json_=False)
    t.eq(r.status, 200, "a member opens the library", r.brief())
    t.ok("N'y mettez aucune donnée personnelle" in french_text(r),
         "… whose form warns that the title and description are "
         "indexed", r.text[:300])
    check_security(t, r, "the library")
    t.eq(m1.get("/groupe/documents", json_=True).json().get("documents"),
         [], "… empty at first (JSON twin)")

    # CSRF, nothing written.
    r = add_doc(m1, "périmé", [("title", "x"), ("kind", "autre"),
                              ("description", "x"), ("body", "x")])
    t.eq(r.status, 403, "a stale CSRF token is refused", r.brief())

    # A file.
    r = add_doc(m1, tok, [("title", "Protocole d'accueil des victimes"),
                          ("kind", "protocole"),
                          ("description", "Les étapes de l'accueil "
                           "téléphonique et du signalement.")],
                [("fichier", "protocole-accueil.pdf", PDF)])
    t.eq(r.status, 200, "a member adds a PDF", r.brief())
    pdf_id = (r.json().get("document") or {}).get("id")
    t.ok(isinstance(pdf_id, int), "… and gets its id", r.json())

    # A written text, not indexed (no tick).
    r = add_doc(m1, tok, [("title", "Liste des partenaires locaux"),
                          ("kind", "contacts"),
                          ("description", "Les structures à joindre."),
                          ("body", "# Partenaires\n\n" + DOC_SECRET +
                           "\n\n<script>alert(1)</script>")])
    t.eq(r.status, 200, "a member writes a text document", r.brief())
    text_id = (r.json().get("document") or {}).get("id")
    t.eq(r.json()["document"].get("body_indexed"), False,
         "… not indexed without the tick")
    # A written text, indexed (ticked).
    r = add_doc(m2, m2.csrf("/groupe/documents"),
                [("title", "Modèle de courrier"), ("kind", "modele"),
                 ("description", "Un courrier type."), ("body", DOC_TEXT),
                 ("indexer", "1")])
    t.eq((r.status, (r.json().get("document") or {}).get("body_indexed")),
         (200, True), "a text ticked as holding no personal data is "
         "indexed", r.brief())
    m2_doc = r.json()["document"]["id"]

    # Bad input: type, size, missing fields, the detector.
    n = count(srv, "SELECT count(*) FROM wg_documents")
    r = add_doc(m1, tok, [("title", "Outil"), ("kind", "autre"),
                          ("description", "Un exécutable.")],
                [("fichier", "outil.pdf", b"MZ\x90\x00" + b"\0" * 64)])
    t.eq(r.status, 415, "a file of a refused type is refused", r.brief())
    t.ok("type accepté" in (error_json(r)[1] or ""), "… in French",
         error_json(r))
    r = add_doc(m1, tok, [("title", "Image"), ("kind", "autre"),
                          ("description", "Une image.")],
                [("fichier", "photo.png", b"\x89PNG\r\n\x1a\n" +
                  b"\0" * 32)])
    t.eq(r.status, 415, "an image is not a document of the library",
         r.brief())
    big = b"%PDF-1.4\n" + b"x" * (10 * 1024 * 1024)
    r = add_doc(m1, tok, [("title", "Gros"), ("kind", "autre"),
                          ("description", "Trop gros.")],
                [("fichier", "gros.pdf", big)])
    t.eq(r.status, 413, "a file over 10 Mo is refused", r.brief())
    t.ok("trop gros" in (error_json(r)[1] or ""), "… in French",
         error_json(r))
    r = add_doc(m1, tok, [("title", "Vide"), ("kind", "autre"),
                          ("description", "Rien.")])
    t.eq((r.status, error_json(r)[2]), (400, "body"),
         "a document with neither file nor text is refused", r.brief())
    r = add_doc(m1, tok, [("title", "Genre"), ("kind", "roman"),
                          ("description", "x"), ("body", "x")])
    t.eq((r.status, error_json(r)[2]), (400, "kind"),
         "an unknown kind is refused on its field", r.brief())
    r = add_doc(m1, tok, [("title", ""), ("kind", "autre"),
                          ("description", "x"), ("body", "x")])
    t.eq((r.status, error_json(r)[2]), (400, "title"),
         "a missing title is refused on its field", r.brief())
    phone = "Joindre Mme Martin au 06 12 34 56 78."
    r = add_doc(m1, tok, [("title", "Contacts"), ("kind", "contacts"),
                          ("description", "x"), ("body", phone)])
    j = r.json() or {}
    t.eq(r.status, 422, "the detector stops a phone in the text (needs "
         "the real detector)", r.brief())
    t.eq([d.get("field") for d in j.get("detected", [])][:1], ["body"],
         "… naming the text", j.get("detected"))
    t.eq(count(srv, "SELECT count(*) FROM wg_documents"), n,
         "… and nothing was half-written by any refused document")
    r = add_doc(m1, tok, [("title", "Contacts"), ("kind", "contacts"),
                          ("description", "x"), ("body", phone),
                          ("indexer", "1"), ("confirmer", "1")])
    t.eq((r.status, (r.json().get("document") or {}).get("confirmed"),
          (r.json().get("document") or {}).get("body_indexed")),
         (200, True, False), "confirmed, it is saved and its text, where "
         "the detector found something, is not indexed", r.brief())
    conf_id = r.json()["document"]["id"]

    # The search: stemmed French words, accents folded.
    def found(q):
        r = m1.get("/groupe/documents?q=" + q, json_=True)
        return [d["id"] for d in (r.json() or {}).get("documents", [])]
    t.eq(found("protocoles"), [pdf_id],
         "the search finds a stemmed word of a title")
    t.eq(found("etape"), [pdf_id],
         "… and a word of a description, accents folded")
    t.eq(found("permanence"), [m2_doc],
         "… and a word of a text ticked as indexable")
    t.eq(found("Zanzibar"), [],
         "… but not a word of a sealed text that was not indexed")
    t.eq(found("Martin"), [], "… nor of a confirmed text")
    t.ok(text_id in found("partenaires"), "… whose title is still found")
    r = m1.get("/groupe/documents?q=" + "a" * 201, json_=True)
    t.eq(r.status, 400, "a too long search is refused", r.brief())
    t.eq(out.get("/groupe/documents?q=protocole", json_=True).json()
         .get("documents"), None, "a non-member searches nothing")

    # At rest: no plaintext of the file, the text, the names.
    raw = open(os.path.join(srv.data, "vigie.db"), "rb").read()
    for w in (b"Vigie test", DOC_SECRET.encode(), b"protocole-accueil.pdf",
              b"Partenaires", b"Martin"):
        t.ok(w not in raw, "%r is not stored in clear" % w)

    # Reading, audited; Markdown rendered without raw HTML.
    before = wg_audit(srv, "wg-doc-view")
    r = m2.get("/groupe/documents/%d" % text_id, json_=False)
    t.eq(r.status, 200, "another member reads a text document", r.brief())
    t.ok(DOC_SECRET in french_text(r) and "<script>alert" not in r.text,
         "… rendered from Markdown without raw HTML")
    check_security(t, r, "a document")
    j = m2.get("/groupe/documents/%d" % text_id, json_=True).json()
    t.eq(j["document"].get("kind"), "contacts", "… with its JSON twin")
    t.eq(wg_audit(srv, "wg-doc-view"), before + 2,
         "each reading is audited")
    t.eq(out.get("/groupe/documents/%d" % text_id).status, 404,
         "a non-member reading a document gets 404")
    t.eq(m2.get("/groupe/documents/99999").status, 404,
         "a missing document gets the same 404")

    # Downloading.
    before = wg_audit(srv, "wg-doc-download")
    r = m2.get("/groupe/documents/%d/fichier" % pdf_id)
    t.eq((r.status, r.body), (200, PDF), "a member downloads the PDF")
    t.ok("attachment" in (r.header("content-disposition") or ""),
         "… as an attachment", r.header("content-disposition"))
    t.ok("no-store" in (r.header("cache-control") or ""), "… not stored",
         r.header("cache-control"))
    check_security(t, r, "a download")
    t.eq(wg_audit(srv, "wg-doc-download"), before + 1,
         "… and the download is audited")
    t.eq(out.get("/groupe/documents/%d/fichier" % pdf_id).status, 404,
         "a non-member cannot download it")
    t.eq(m2.get("/groupe/documents/%d/fichier" % text_id).status, 404,
         "a text document has no file to download")

    # ODT accepted.
    r = add_doc(m1, tok, [("title", "Trame ODT"), ("kind", "modele"),
                          ("description", "Une trame.")],
                [("fichier", "trame.odt", ODT)])
    t.eq(r.status, 200, "an ODT file is accepted", r.brief())

    # Deleting: the author or an admin member, with a confirmation step.
    url = "/groupe/documents/%d/suppression" % pdf_id
    r = m1.get(url, json_=False)
    t.ok(r.status == 200 and "Je confirme la suppression" in
         french_text(r), "the author gets the confirmation page",
         r.brief())
    r = m2.get(url)
    t.eq(r.status, 403, "another member may not delete it", r.brief())
    r = m2.post(url, form={"csrf": m2.csrf("/groupe/documents"),
                           "confirmer": "1"})
    t.eq(r.status, 403, "… even by posting", r.brief())
    r = m1.post(url, form={"csrf": tok})
    t.eq((r.status, error_json(r)[2]), (400, "confirmer"),
         "deleting without ticking the confirmation is refused",
         r.brief())
    r = m1.post(url, form={"csrf": "périmé", "confirmer": "1"})
    t.eq(r.status, 403, "deleting with a stale CSRF token is refused")
    before = wg_audit(srv, "wg-doc-delete")
    r = m1.post(url, form={"csrf": tok, "confirmer": "1"})
    t.eq(r.status, 200, "the author deletes the document", r.brief())
    t.eq(m1.get("/groupe/documents/%d" % pdf_id).status, 404,
         "… which is gone")
    t.eq(found("protocoles"), [], "… from the search too")
    adm = signed_in(srv, ADMIN)
    r = adm.post("/groupe/documents/%d/suppression" % m2_doc,
                 form={"csrf": adm.csrf("/groupe/documents"),
                       "confirmer": "1"})
    t.eq(r.status, 200, "an administrator member deletes another's "
         "document", r.brief())
    t.eq(found("permanence"), [], "… whose indexed text leaves the search")
    t.eq(wg_audit(srv, "wg-doc-delete"), before + 2,
         "both deletions are audited")
    t.eq(wg_audit(srv, "wg-doc-add") + wg_audit(srv, "wg-doc-add-confirmed"),
         5, "every addition is audited (five documents added)")
    r = srv.cli("audit", "verify", "--data", srv.data)
    t.eq(r.returncode, 0, "vigie audit verify after the library",
         r.stderr)
    t.ok(conf_id > 0, "the confirmed document has an id")


GROUPS = [
    ("workgroup", group_workgroup),
    ("workgroup_mail", group_workgroup_mail),
    ("workgroup_meetings", group_workgroup_meetings),
    ("workgroup_documents", group_workgroup_documents),
]
