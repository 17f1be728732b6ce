"""
test_analysis.py — the analysts' side of reports: the queue (priority,
grouping by URL, filters, roles), a report's file (what the reporter wrote,
escaped), changes with their history, DSA art. 16 notices sent to a real
SMTP server on loopback (Debian's aiosmtpd) or downloaded, the host's
answer reaching the reporter's follow-up, the hash-chained audit log and
`vigie audit verify`, and `vigie purge`.
"""
import os
import socket
import sqlite3
import subprocess
import time

from harness import Server, error_json

AIOSMTPD_PYTHON = "/usr/bin/python3"     # Debian's, with python3-aiosmtpd


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_smtp(root):
    """A real SMTP server printing every message it receives."""
    port = free_port()
    log = open(os.path.join(root, "smtp.log"), "wb")
    proc = subprocess.Popen(
        [AIOSMTPD_PYTHON, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % port,
         "-c", "aiosmtpd.handlers.Debugging"], stdout=log,
        stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return proc, port, os.path.join(root, "smtp.log")


def report(c, category, urls, description=None, minor="non"):
    j = c.get("/signaler", json_=True).json()
    form = [("csrf", j["csrf"]), ("submission", j["submission"]),
            ("category", category), ("minor", minor),
            ("relation", "temoin")]
    form += [("url", u) for u in urls]
    if description:
        form.append(("description", description))
    r = c.post("/signaler", form=form, json_=True)
    return r.status, (r.json() or {}).get("report", {}).get("receipt")


def group_analysis(binary, t):
    srv = Server(binary, "analysis")
    smtp, port, smtp_log = start_smtp(srv.root)
    with open(os.path.join(srv.data, "vigie.conf"), "w") as f:
        f.write("smtp_url = smtp://127.0.0.1:%d\n"
                "notifier_name = Association Test\n"
                "notifier_email = signalements@asso.test\n" % port)
    srv.add_user("analyste@vigie.test", "analyst")
    srv.add_user("pro@vigie.test", "professional")
    srv.start()
    try:
        run(srv, t, smtp_log)
    finally:
        srv.check_stop(t)
        smtp.terminate()
        smtp.wait(5)
    after_stop(srv, t)
    srv.cleanup()


def run(srv, t, smtp_log):
    anon = srv.client()
    s1, rec_a = report(anon, "harcelement", ["https://www.x.com/u/post/1"],
                       "<script>alert(1)</script> message de menace")
    s2, _ = report(anon, "menaces", ["https://X.com/u/post/1/?ref=share"])
    s3, _ = report(anon, "pedocriminalite", ["https://bad.example/img/9"])
    s4, _ = report(anon, "haine", ["https://youtu.be/abc"])
    t.ok((s1, s2, s3, s4) == (201, 201, 201, 201), "four reports received",
         (s1, s2, s3, s4))

    r = srv.client().get("/analyse", json_=True)
    code, _, _ = error_json(r)
    t.ok(r.status == 401 and code == "unauthenticated",
         "anonymous: /analyse is 401 in JSON", r.brief())
    pro = srv.client()
    pro.login("pro@vigie.test", srv_password())
    t.eq(pro.get("/analyse", json_=True).status, 403,
         "a professional may not see the reports (403)")

    a = srv.client()
    t.eq(a.login("analyste@vigie.test", srv_password(), json_=True).status,
         200, "the analyst signs in")
    q = a.get("/analyse", json_=True).json()
    reports = q["reports"]
    t.eq(len(reports), 4, "the queue holds the four reports")
    t.eq(reports[0]["category"], "pedocriminalite",
         "child sexual abuse comes first in the queue")
    t.ok(reports[0]["urgent"] is True, "and is marked urgent")
    same = [x for x in reports if x["same_url"] == 1]
    t.eq(len(same), 2, "the two reports of one URL (www., case, query and "
         "trailing slash aside) are grouped", [x["same_url"] for x in reports])
    idx = [reports.index(x) for x in same]
    t.ok(abs(idx[0] - idx[1]) == 1, "grouped reports sit side by side", idx)
    f = a.get("/analyse?category=haine", json_=True).json()["reports"]
    t.ok(len(f) == 1 and f[0]["platform"] == "YouTube",
         "filter by category; youtu.be is YouTube", f)
    f = a.get("/analyse?platform=Facebook", json_=True).json()["reports"]
    t.eq(len(f), 0, "filter by platform")
    today = time.strftime("%Y-%m-%d", time.gmtime())
    yesterday = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))
    f = a.get("/analyse?du=%s&au=%s" % (today, today), json_=True).json()
    t.eq(len(f["reports"]), 4, "filter by date: today's reports")
    f = a.get("/analyse?au=%s" % yesterday, json_=True).json()
    t.eq(len(f["reports"]), 0, "filter by date: none before today")

    rid = [x["id"] for x in reports if x["category"] == "harcelement"][0]
    csam = reports[0]["id"]
    page = a.get("/analyse/%d" % rid)
    t.ok(page.status == 200 and "&lt;script&gt;alert(1)&lt;/script&gt;"
         in page.text and "<script>alert(1)" not in page.text,
         "what the reporter wrote is shown escaped to analysts",
         page.brief())
    j = a.get("/analyse/%d" % rid, json_=True).json()
    tok = j["csrf"]
    t.ok(j["report"]["description"].startswith("<script>"),
         "the JSON twin gives the unsealed description")

    r = a.post("/analyse/%d" % rid, form={"csrf": tok, "kind": "assign",
                                           "value": "moi"}, json_=True)
    t.eq(r.status, 200, "the analyst takes the report")
    mine = a.get("/analyse?attribue=moi", json_=True).json()["reports"]
    nobody = a.get("/analyse?attribue=personne", json_=True).json()["reports"]
    t.ok([x["id"] for x in mine] == [rid] and len(nobody) == 3 and
         mine[0]["assignee"], "filter by assignee (mine, nobody's)",
         mine, len(nobody))
    r = a.post("/analyse/%d" % rid, form={"csrf": tok, "kind": "status",
                                           "value": "en-examen"}, json_=True)
    t.eq(r.status, 200, "status changed to en-examen")
    r = a.post("/analyse/%d" % rid, form={"csrf": tok, "kind": "qualify",
                                           "value": "222-33-2-2",
                                           "note": "harcèlement répété"},
               json_=True)
    t.eq(r.status, 200, "qualified with an article of content/reports.yaml")
    r = a.post("/analyse/%d" % rid, form={"csrf": tok, "kind": "qualify",
                                           "value": "999-99"}, json_=True)
    code, _, field = error_json(r)
    t.ok(r.status == 400 and field == "value", "an unknown article is 400",
         r.brief())
    r = a.post("/analyse/%d" % rid, form={"kind": "status",
                                           "value": "clos"}, json_=True)
    t.eq(r.status, 403, "a change without CSRF token is 403")
    r = a.post("/analyse/99999", form={"csrf": tok, "kind": "status",
                                        "value": "clos"}, json_=True)
    t.eq(r.status, 404, "a change of an unknown report is 404")
    r = a.post("/analyse/%d" % csam, form={"csrf": tok, "kind": "forward",
                                            "value": "inhope",
                                            "note": "Pays-Bas"}, json_=True)
    t.eq(r.status, 200, "a report is forwarded to an INHOPE partner")
    ev = a.get("/analyse/%d" % rid, json_=True).json()["report"]["events"]
    t.eq([e["kind"] for e in ev], ["created", "assign", "status", "qualify"],
         "every change is in the history", ev)

    # A notice sent to a real SMTP server.
    r = a.post("/analyse/%d/notification" % rid, form={
        "csrf": tok, "explanation": "Messages répétés visant une élève.",
        "recipient": "abuse@x.test", "action": "envoyer"}, json_=True)
    t.eq(r.status, 200, "the notice is sent", r.brief())
    time.sleep(0.5)
    mail = open(smtp_log, encoding="utf-8", errors="replace").read()
    for needle, what in [("VIGIE-%d" % rid, "its reference"),
                         ("https://www.x.com/u/post/1", "the exact URL"),
                         ("Harcèlement moral", "the legal qualification"),
                         ("Messages répétés", "the explanation"),
                         ("Association Test <signalements@asso.test>",
                          "the notifier's name and e-mail"),
                         ("bonne foi", "the statement of good faith"),
                         ("To: <abuse@x.test>", "the host's address")]:
        t.ok(needle in mail, "the mail received carries %s" % what)
    n = a.get("/analyse/%d" % rid, json_=True).json()["notices"]
    t.ok(len(n) == 1 and n[0]["recipient"] == "abuse@x.test" and
         n[0]["overdue"] is False and n[0]["due"] > n[0]["sent"],
         "the notice is listed with its due date", n)
    r = a.post("/analyse/%d/notification" % rid, form={
        "csrf": tok, "recipient": "a@b.fr>\r\nBcc: x@y.fr",
        "action": "envoyer"}, json_=True)
    t.eq(r.status, 400, "an address that would inject headers is 400")

    # For child sexual abuse material, no notifier identity.
    r = a.post("/analyse/%d/notification" % csam, form={
        "csrf": tok, "action": "telecharger"})
    t.ok(r.status == 200 and "attachment" in
         (r.header("Content-Disposition") or "") and
         "2011/93/UE" in r.text and "signalements@asso.test" not in r.text,
         "a CSAM notice is downloaded without the notifier's identity, "
         "citing art. 16(2)(c)", r.brief())

    # The host's answer reaches the reporter's follow-up.
    r = a.post("/analyse/%d/notification/%d" % (rid, n[0]["id"]),
               form={"csrf": tok, "decision": "retire"}, json_=True)
    t.eq(r.status, 200, "the host's decision is recorded")
    f = anon.post("/suivi", form={"csrf": anon.csrf("/suivi"),
                                  "receipt": rec_a.lower()}, json_=True)
    rep = (f.json() or {}).get("report", {})
    t.ok(rep.get("status") == "clos" and rep.get("outcome") == "retire",
         "the reporter's follow-up shows the content was removed", f.brief())

    # The trusted flagger's yearly report (DSA art. 22).
    st = a.get("/analyse/statistiques", json_=True).json()["stats"]
    hosts = {h["host"]: h for h in st["by_host"]}
    t.ok(hosts.get("X (Twitter)", {}).get("removed") == 1 and
         st["removals"] == 1 and "median_hours_to_removal" in st,
         "statistics: notices by host with removals and the median time",
         st)
    acts = {x["action"]: x["reports"] for x in st["by_action"]}
    t.eq(acts.get("transmis-inhope"), 1, "statistics count the forwards",
         acts)
    types = {x["category"]: x["reports"] for x in st["by_type"]}
    t.eq(types.get("pedocriminalite"), 1, "statistics by type of content")
    csv = a.get("/analyse/statistiques.csv")
    t.ok(csv.status == 200 and csv.text.startswith("table,key,") and
         "by_host,X (Twitter),1,1,0,0" in csv.text and
         "@" not in csv.text and "127.0.0.1" not in csv.text,
         "the CSV export has the same counts and no personal data",
         csv.text[:300])
    x = a.get("/analyse/statistiques.xlsx")
    t.ok(x.status == 200 and x.body[:2] == b"PK" and "attachment" in
         (x.header("Content-Disposition") or ""),
         "the XLSX export is a workbook to download", x.brief())
    t.eq(pro.get("/analyse/statistiques.csv", json_=True).status, 403,
         "the statistics are for analysts")

    db = srv.data_bytes()
    t.ok(b"127.0.0.1" not in db, "no client address in the database")
    t.ok(b"harc\xc3\xa8lement r\xc3\xa9p\xc3\xa9t\xc3\xa9" not in
         audit_details(srv), "an analyst's free note is not in the "
         "audit log (it cannot be purged)")


def srv_password():
    from harness import PASSWORD
    return PASSWORD


def audit_details(srv):
    con = sqlite3.connect(os.path.join(srv.data, "vigie.db"))
    rows = con.execute("SELECT coalesce(detail, '') FROM audit_log").fetchall()
    con.close()
    return "\n".join(r[0] for r in rows).encode()


def after_stop(srv, t):
    r = srv.cli("audit", "verify", "--data", srv.data)
    t.ok(r.returncode == 0 and "intact" in r.stdout,
         "vigie audit verify: the chain is intact", r.stdout, r.stderr)
    con = sqlite3.connect(os.path.join(srv.data, "vigie.db"))
    views = con.execute("SELECT count(*) FROM audit_log WHERE "
                        "action = 'view'").fetchone()[0]
    t.ok(views >= 3, "every view of a report by staff is in the audit log",
         views)
    try:
        con.execute("UPDATE audit_log SET detail = 'x' WHERE id = 1")
        con.commit()
        t.ok(False, "the audit log refuses UPDATE")
    except sqlite3.DatabaseError:
        t.ok(True, "the audit log refuses UPDATE")
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("UPDATE audit_log SET detail = 'falsifié' WHERE id = 2")
    con.commit()
    r = srv.cli("audit", "verify", "--data", srv.data)
    t.ok(r.returncode == 1 and "n° 2" in r.stderr,
         "an altered entry breaks the chain, named by verify",
         r.stdout, r.stderr)

    # Retention: personal data goes, statistics stay.
    con.execute("UPDATE reports SET status = 'clos', "
                "updated_at = updated_at - 400 * 86400")
    con.commit()
    r = srv.cli("purge", "--data", srv.data)
    left = con.execute("SELECT count(*) FROM reports WHERE description IS "
                       "NOT NULL OR purged_at IS NULL").fetchone()[0]
    kept = con.execute("SELECT count(*) FROM reports WHERE category IS NOT "
                       "NULL").fetchone()[0]
    t.ok(r.returncode == 0 and left == 0 and kept == 4,
         "vigie purge removes what reporters wrote and keeps the "
         "statistics", r.stdout, r.stderr, left, kept)
    con.close()


def group_hosting(binary, t):
    """URL checks: the server itself (on loopback) is the host checked,
    which only a server told url_check_private = yes may reach."""
    srv = Server(binary, "hosting")
    with open(os.path.join(srv.data, "vigie.conf"), "w") as f:
        f.write("url_check_private = yes\n")
    srv.add_user("analyste@vigie.test", "analyst")
    srv.start()
    strict = Server(binary, "hosting-strict")
    strict.add_user("analyste@vigie.test", "analyst")
    strict.start()
    try:
        for server, allowed in ((srv, True), (strict, False)):
            anon = server.client()
            base = "http://127.0.0.1:%d" % server.port
            st, _ = report(anon, "haine", [base + "/", base + "/nulle-part"])
            a = server.client()
            a.login("analyste@vigie.test", srv_password(), json_=True)
            q = a.get("/analyse", json_=True).json()["reports"]
            rid = q[0]["id"]
            tok = a.get("/analyse/%d" % rid, json_=True).json()["csrf"]
            r = a.post("/analyse/%d/verification" % rid,
                       form={"csrf": tok}, json_=True)
            checks = (r.json() or {}).get("checks", [])
            got = [(c["status"], c["addresses"], c.get("error"))
                   for c in checks]
            if allowed:
                t.ok(r.status == 200 and [g[0] for g in got] == [200, 404]
                     and all(g[1] == "127.0.0.1" for g in got),
                     "URL check: the addresses and the HTTP status of each "
                     "URL (200, 404)", got)
                last = a.get("/analyse/%d" % rid, json_=True).json()
                t.ok([c["online"] for c in last["checks"]] == [True, False],
                     "the report's file shows the latest check", last.get(
                         "checks"))
            else:
                t.ok(r.status == 200 and all(g[0] == 0 and g[2] and
                                             "priv" in g[2] for g in got),
                     "a private address is never fetched (no way into the "
                     "server's own network)", got)
            t.ok("GET / " not in server.stderr().split("verification")[-1]
                 or allowed, "no request reached the server when refused")
    finally:
        srv.check_stop(t)
        strict.check_stop(t)
        srv.cleanup()
        strict.cleanup()


GROUPS = [("analysis", group_analysis), ("hosting", group_hosting)]
