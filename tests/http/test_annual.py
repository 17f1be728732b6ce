"""
test_annual.py — the observatory's annual report: a data set built through
the real server (two survey waves, one a year earlier; anonymous reports
qualified by an analyst, notices sent to a real SMTP server on loopback and
answered; a training held), then `vigie report` checked with poppler's
tools (pdftotext for the sections and the figures, recomputed here from
what was put in; pdftoppm for every page; pdfinfo and pdffonts), its bad
input, and /admin/rapport-annuel (the PDF download, its headers, who may,
CSRF, and the JSON twin).
"""
import math
import os
import re
import sqlite3
import statistics
import subprocess
import time

from harness import PASSWORD, Server, check_security, error_json
from test_analysis import report, start_smtp
from test_barometer import send, wilson

THRESHOLD = 5
Z = 1.959963984540054
YEAR = time.gmtime().tm_year
PREV = YEAR - 1
LABELS = {"haine": "Incitation à la haine, à la violence ou à la "
          "discrimination", "harcelement": "Harcèlement en ligne",
          "menaces": "Menaces de violence ou de mort"}
DELAYS_H = [2, 5, 10, 24, 50]        # hours from notice to removal


def utc(y, m, d, hh=0):
    return int(time.mktime((y, m, d, hh, 0, 0, 0, 0, 0)) - time.timezone)


def pct(p):
    return ("%.1f" % (p * 100)).replace(".", ",") + " %"


def points(x):
    return ("%+.1f" % (x * 100)).replace(".", ",")


def flat(text):
    """pdftotext's text with no-break spaces as spaces and every run of
    white space (columns, line ends) as one space."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def around(text, needle):
    """Where needle is in text, for a diagnostic."""
    i = text.find(needle)
    return text[max(0, i - 80):i + 200] if i >= 0 else "(absent)"


def pdftotext(path, first=None, last=None):
    args = ["pdftotext", "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    r = subprocess.run(args + [path, "-"], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def db(srv):
    return sqlite3.connect(os.path.join(srv.data, "vigie.db"))


# --- the data set -------------------------------------------------------------

def surveys(srv, t):
    """Wave 1 (moved to the previous year): 12 answers, 3 harassed.  Wave 2
    (this year): 8 girls (5 harassed), 8 boys (2), 2 "autre" (1): 8 of 18,
    the last group under the threshold."""
    r = srv.cli("wave", "open", "barometre_jeunes", "--name",
                "%d — T1" % PREV, "--data", srv.data)
    t.eq(r.returncode, 0, "a wave opens", r.stderr)
    n = 0
    for i in range(12):
        n += send(srv, 15, "fille" if i % 2 else "garcon", "42",
                  "oui" if i < 3 else "non")
    con = db(srv)
    con.execute("UPDATE survey_waves SET opens_at = ? WHERE name = ?",
                (utc(PREV, 3, 1), "%d — T1" % PREV))
    con.commit()
    con.close()
    r = srv.cli("wave", "open", "barometre_jeunes", "--name",
                "%d — T1" % YEAR, "--data", srv.data)
    t.eq(r.returncode, 0, "a second wave opens this year", r.stderr)
    for i in range(8):
        n += send(srv, 14, "fille", "42", "oui" if i < 5 else "non")
        n += send(srv, 16, "garcon", "69", "oui" if i < 2 else "non")
    for i in range(2):
        n += send(srv, 20, "autre", "42", "oui" if i < 1 else "non")
    t.eq(n, 30, "30 answers sent")


def reports_and_notices(srv, t, smtp_log):
    """13 reports (6 hate on YouTube, 5 harassment on X, 2 threats
    elsewhere); 7 notices: 5 removals, 1 refusal, 1 left overdue."""
    sent = 0
    for i in range(6):
        sent += report(srv.client(), "haine",
                       ["https://www.youtube.com/watch?v=a%d" % i])[0] == 201
    for i in range(5):
        sent += report(srv.client(), "harcelement",
                       ["https://x.com/u/status/%d" % i])[0] == 201
    for i in range(2):
        sent += report(srv.client(), "menaces",
                       ["https://exemple.org/m/%d" % i])[0] == 201
    t.eq(sent, 13, "13 anonymous reports received")
    a = srv.client()
    a.login("analyste@vigie.test", PASSWORD, json_=True)
    queue = a.get("/analyse", json_=True).json()["reports"]
    ids = sorted(x["id"] for x in queue if x["category"] != "menaces")[:7]
    tok = a.get("/analyse/%d" % ids[0], json_=True).json()["csrf"]
    notices = []
    for rid in ids:
        r = a.post("/analyse/%d/notification" % rid, form={
            "csrf": tok, "explanation": "Contenu illicite.",
            "recipient": "abuse@hebergeur.test", "action": "envoyer"},
            json_=True)
        n = a.get("/analyse/%d" % rid, json_=True).json()["notices"]
        notices.append((rid, n[0]["id"] if r.status == 200 and n else 0))
    t.ok(all(n for _, n in notices), "seven notices sent by SMTP", notices)
    answered = 0
    for (rid, nid), decision in zip(notices, ["retire"] * 5 + ["refuse"]):
        r = a.post("/analyse/%d/notification/%d" % (rid, nid),
                   form={"csrf": tok, "decision": decision}, json_=True)
        answered += r.status == 200
    t.eq(answered, 6, "the hosts' six answers are recorded")
    # Time the removals as the test wants them: sent on 2 January, the
    # answers DELAYS_H hours later; the last notice is overdue.
    con = db(srv)
    base = utc(YEAR, 1, 2)
    for (rid, nid), h in zip(notices, DELAYS_H):
        con.execute("UPDATE notices SET sent_at = ?, reply_at = ? "
                    "WHERE id = ?", (base, base + h * 3600, nid))
    con.execute("UPDATE notices SET due_at = ? WHERE id = ?",
                (int(time.time()) - 86400, notices[-1][1]))
    con.commit()
    con.close()


def training(srv):
    """A session held on 1 January of this year in the Loire, two people
    present and one absent (written as the trainings area writes it: a
    session cannot be created in the past through the pages)."""
    uids = [srv.add_user("formee%d@vigie.test" % i, "professional")
            for i in range(3)]
    con = db(srv)
    con.execute("INSERT INTO trainings (title, objectives, audience, "
                "duration_minutes, format, themes, trainer, published, "
                "created_at, modified_at) VALUES ('T', 'O', 'A', 180, "
                "'onsite', 'harcelement', 'F', 1, 0, 0)")
    start = utc(YEAR, 1, 1, 9)
    con.execute("INSERT INTO training_sessions (training_id, day, "
                "start_time, end_time, starts_at, ends_at, place, "
                "departement, capacity, created_at, modified_at) VALUES "
                "(1, ?, '09:00', '12:00', ?, ?, 'Saint-Étienne', '42', 10, "
                "0, 0)", ("%d-01-01" % YEAR, start, start + 3 * 3600))
    for uid, (status, att, seq) in zip(uids, [
            ("registered", "present", 1), ("registered", "present", 2),
            ("registered", "absent", 3)]):
        con.execute("INSERT INTO training_registrations (session_id, "
                    "user_id, status, seq, attendance, registered_at) "
                    "VALUES (1, ?, ?, ?, ?, 0)", (uid, status, seq, att))
    con.commit()
    con.close()


# --- the PDF -------------------------------------------------------------------

def check_pdf(srv, t, path, stdout):
    m = re.search(r"(\d+) pages, (\d+) octets", stdout)
    t.ok(m and len(stdout.strip().splitlines()) == 1 and path in stdout,
         "vigie report says in one line what it wrote", stdout)
    pages = int(m.group(1)) if m else 0
    t.eq(int(m.group(2)) if m else -1, os.path.getsize(path),
         "the size it gives is the file's")
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
    got = dict(re.findall(r"^(\w[\w ]*?):\s+(.*)$", info.stdout, re.M))
    t.ok(info.returncode == 0 and got.get("Pages") == str(pages) and
         got.get("Title") == "Rapport annuel de l'observatoire %d" % YEAR
         and got.get("Author") == "Association Test" and
         got.get("CreationDate") and "A4" in got.get("Page size", ""),
         "pdfinfo: A4, the page count, title, author and date",
         info.stdout, info.stderr)
    fonts = subprocess.run(["pdffonts", path], capture_output=True,
                           text=True)
    names = re.findall(r"^\S+\+(\S+)", fonts.stdout, re.M)
    t.ok(fonts.returncode == 0 and names and
         all(n.startswith("DejaVuSans") for n in names),
         "every font is DejaVu Sans, embedded (from fonts-dejavu-core)",
         fonts.stdout)
    out = os.path.join(srv.root, "pages")
    os.makedirs(out, exist_ok=True)
    r = subprocess.run(["pdftoppm", "-r", "40", "-png", path,
                        os.path.join(out, "p")], capture_output=True,
                       text=True)
    t.ok(r.returncode == 0 and r.stderr == "" and
         len(os.listdir(out)) == pages and pages >= 8,
         "pdftoppm renders every page without a word on stderr",
         r.returncode, r.stderr[:500], len(os.listdir(out)), pages)
    rc, raw, err = pdftotext(path)
    text = flat(raw)
    t.ok(rc == 0 and err == "", "pdftotext reads it", err)
    for title in ["Rapport annuel de l'observatoire %d" % YEAR,
                  "Association Test", "Document généré le", "Sommaire",
                  "Chiffres clés de %d" % YEAR,
                  "Les indicateurs du baromètre",
                  "L'évolution depuis %d" % PREV, "Les signalements reçus",
                  "Les notifications aux hébergeurs", "Les actions menées",
                  "Méthode", "page 2 sur %d" % pages]:
        t.ok(title in text, "the PDF has « %s »" % title)
    # The summary's page numbers are where the parts are.
    toc = flat(pdftotext(path, 2)[1])
    for part in ["Les signalements reçus", "Les actions menées", "Méthode"]:
        m = re.search(re.escape(part) + r" (\d+)", toc)
        at = int(m.group(1)) if m else 0
        page = flat(pdftotext(path, at)[1]) if at else ""
        t.ok(at > 2 and page.startswith(part),
             "the summary sends « %s » to its page (%d)" % (part, at),
             page[:120])
    return text


def check_figures(t, text):
    lo, hi = wilson(8, 18)
    want = "%d : %s (IC 95 %% : de %s à %s), n = 18" % (
        YEAR, pct(8 / 18), pct(lo), pct(hi))
    t.ok(want in text, "this year's estimate with its interval and n",
         want)
    lo0, hi0 = wilson(3, 12)
    want0 = "%d : %s (IC 95 %% : de %s à %s), n = 12" % (
        PREV, pct(3 / 12), pct(lo0), pct(hi0))
    t.ok(want0 in text, "last year's, for comparison", want0)
    p1, p2 = 3 / 12, 8 / 18
    se = math.sqrt(p1 * (1 - p1) / 12 + p2 * (1 - p2) / 18)
    d = p2 - p1
    sig = d - Z * se > 0 or d + Z * se < 0
    want = "%s de %s points depuis %d (IC 95 %% de l'écart : de %s à %s " \
        "points) : %s" % ("Hausse" if sig and d > 0 else "Baisse" if sig
                          else "Écart", points(d), PREV, points(d - Z * se),
                          points(d + Z * se),
                          "l'intervalle exclut zéro, l'évolution est "
                          "significative" if sig else "l'intervalle contient "
                          "zéro, on ne peut pas conclure à une évolution")
    t.ok(want in text, "the change since last year with its interval, "
         "and a rise claimed only if the interval excludes zero", want)
    lo, hi = wilson(5, 8)
    t.ok("Une fille 8 %s de %s à %s" % (pct(5 / 8), pct(lo), pct(hi))
         in text, "a breakdown's row: n, estimate, interval")
    t.ok("Autre ou je préfère ne pas dire moins de 5 non publié" in text
         and "non publié (moins de 5 réponses)" in text,
         "the group of 2 answers is printed as not published",
         around(text, "Autre ou"))
    t.ok("Méthode : Part des 11-25 ans" in text,
         "the method is written next to the figure")
    for cat, n in [("haine", 6), ("harcelement", 5)]:
        want = "%s %d %s" % (LABELS[cat], n, pct(n / 13))
        t.ok(want in text, "reports by category: %s" % want,
             around(text, LABELS[cat]))
    t.ok("%s non publié (moins de 5 signalements)" % LABELS["menaces"]
         in text, "a category of 2 reports is not published")
    t.ok("Signalements reçus en %d : 13." % YEAR in text,
         "the year's reports counted")
    t.ok("YouTube 6" in text and "X (Twitter) 5" in text,
         "reports by platform")
    t.ok("Le contenu a été retiré 5" in text, "reports by outcome")
    q = statistics.quantiles(DELAYS_H, n=4, method="inclusive")
    fmt = lambda h: ("%.1f" % h).replace(".", ",") + " h"
    want = "Délai médian de retrait : %s (premier quartile : %s ; " \
        "troisième quartile : %s)" % (fmt(q[1]), fmt(q[0]), fmt(q[2]))
    t.ok(want in text, "the median time to removal and its quartiles, "
         "as computed here", want)
    for label, n in [("Notifications envoyées", 7),
                     ("Réponses reçues des hébergeurs", 6),
                     ("Contenus retirés", 5), ("Retraits refusés", 1),
                     ("Sans réponse, délai dépassé", 1),
                     ("Sans réponse, dans le délai", 0)]:
        t.ok("%s %d" % (label, n) in text, "trusted flagger: %s %d"
             % (label, n))
    t.ok("Sessions de formation tenues : 1 ; personnes formées "
         "(présentes) : 2 ; heures-personnes de formation : 6,0." in text
         and "Loire (42) 1 2 6,0" in text,
         "the actions carried out: one session, two people, six hours")


# --- the group -------------------------------------------------------------------

def group_annual(binary, t):
    srv = Server(binary, "annual")
    smtp, port, smtp_log = start_smtp(srv.root)
    with open(os.path.join(srv.data, "vigie.conf"), "w") as f:
        f.write("smtp_url = smtp://127.0.0.1:%d\n"
                "notifier_name = Association Test\n"
                "notifier_email = signalements@asso.test\n"
                "suppress_threshold = %d\n" % (port, THRESHOLD))
    srv.add_user("analyste@vigie.test", "analyst")
    srv.add_user("editrice@vigie.test", "editor")
    srv.add_user("pro@vigie.test", "professional")
    srv.start()
    try:
        surveys(srv, t)
        reports_and_notices(srv, t, smtp_log)
        training(srv)
        cli(srv, t)
        web(srv, t)
    finally:
        srv.check_stop(t)
        smtp.terminate()
        smtp.wait(5)
    srv.cleanup()


def cli(srv, t):
    path = os.path.join(srv.root, "rapport.pdf")
    r = srv.cli("report", "--year", str(YEAR), "--out", path, "--data",
                srv.data)
    t.ok(r.returncode == 0 and r.stderr == "" and os.path.exists(path),
         "vigie report --year --out: exit 0, nothing on stderr",
         r.returncode, r.stderr[-1500:])
    if r.returncode != 0:
        return
    t.ok(not [f for f in os.listdir(srv.root) if ".tmp-" in f],
         "no temporary file left next to the PDF")
    text = check_pdf(srv, t, path, r.stdout)
    check_figures(t, text)

    # A year without data still makes a report, which says so.
    empty = os.path.join(srv.root, "vide.pdf")
    r = srv.cli("report", "--year", "2010", "--out", empty, "--data",
                srv.data)
    text = flat(pdftotext(empty)[1]) if r.returncode == 0 else ""
    t.ok(r.returncode == 0 and
         "le baromètre ne publie aucun chiffre pour cette année" in text and
         "Aucun signalement n'a été reçu en 2010." in text and
         "Aucune notification n'a été envoyée en 2010." in text and
         "Aucune session de formation n'a eu lieu en 2010." in text,
         "a year without data: a PDF that says so in each part",
         r.stderr[-500:], text[:300])

    # Bad input: one French line, exit 2, no file.
    os.makedirs(os.path.join(srv.root, "dossier"), exist_ok=True)
    bad = os.path.join(srv.root, "mauvais.pdf")
    for args, needle, what in [
            (["--out", bad], "précisez l'année", "no --year"),
            (["--year", "deux", "--out", bad], "n'est pas une année",
             "a year that is not a number"),
            (["--year", "1999", "--out", bad], "hors de la période",
             "a year before 2000"),
            (["--year", str(YEAR + 1), "--out", bad], "hors de la période",
             "next year"),
            (["--year", str(YEAR)], "précisez le fichier", "no --out"),
            (["--year", str(YEAR), "--out", os.path.join(srv.root,
                                                          "dossier")],
             "est un dossier", "an existing directory"),
            (["--year", str(YEAR), "--out", "/nulle/part/r.pdf"],
             "impossible d'écrire", "an unwritable path"),
            (["--year", str(YEAR), "--out", bad, "--format", "x"],
             "option inconnue", "an unknown option"),
            (["--year", str(YEAR), "--out", bad, "reste"],
             "argument inattendu", "a stray argument")]:
        r = srv.cli("report", *args, "--data", srv.data)
        lines = r.stderr.strip().splitlines()
        t.ok(r.returncode == 2 and len(lines) == 1 and needle in lines[0]
             and lines[0].startswith("vigie report : ") and
             not os.path.exists(bad) and r.stdout == "",
             "vigie report with %s: exit 2, one French line, no file"
             % what, r.returncode, r.stderr)
    t.ok(not [f for f in os.listdir(srv.root) if ".tmp-" in f] and
         os.listdir(os.path.join(srv.root, "dossier")) == [],
         "and no temporary file left behind")


def web(srv, t):
    ed = srv.client()
    ed.login("editrice@vigie.test", PASSWORD, json_=True)
    r = ed.get("/admin/rapport-annuel")
    check_security(t, r, "GET /admin/rapport-annuel")
    t.ok(r.status == 200 and "Télécharger le rapport (PDF)" in r.text and
         'href="/admin/rapport-annuel?annee=%d"' % YEAR in r.text and
         'href="/admin/rapport-annuel?annee=%d"' % PREV in r.text,
         "the editors' page lists the years with data and the form",
         r.brief())
    j = ed.get("/admin/rapport-annuel", json_=True).json() or {}
    t.eq([y["year"] for y in j.get("years", [])], [YEAR, PREV],
         "its JSON twin lists the years, latest first")
    r = ed.get("/admin/rapport-annuel?annee=%d" % YEAR, json_=True)
    rep = (r.json() or {}).get("report") or {}
    ind = {i["id"]: i for i in rep.get("indicators", [])}
    cur = (ind.get("harcelement") or {}).get("current") or {}
    lo, hi = wilson(8, 18)
    t.ok(r.status == 200 and rep.get("year") == YEAR and
         cur.get("n") == 18 and abs(cur.get("estimate", 0) - 8 / 18) < 1e-9
         and abs(cur.get("ci_low", 0) - lo) < 1e-9 and
         abs(cur.get("ci_high", 0) - hi) < 1e-9 and
         rep.get("threshold") == THRESHOLD,
         "the JSON twin gives the year's data: an indicator's estimate, "
         "interval and n", r.brief())
    by = (ind.get("harcelement") or {}).get("breakdowns") or [{}]
    autre = [e for e in by[0].get("estimates", []) if e["group"] == "autre"]
    t.ok(autre and autre[0]["suppressed"] is True and
         "estimate" not in autre[0] and "ci_low" not in autre[0],
         "a suppressed cell carries no figure in the JSON either", autre)
    cats = {c["group"]: c for c in rep["reports"]["by_category"]}
    t.ok(cats["haine"]["count"] == 6 and cats["menaces"]["count"] is None
         and cats["menaces"]["suppressed"] is True,
         "reports by category, the small one without its count", cats)
    rem = rep["reports"]["removals"]
    t.ok(rem["count"] == 5 and abs(rem["median_hours"] - 10) < 1e-9 and
         abs(rem["q1_hours"] - 5) < 1e-9 and abs(rem["q3_hours"] - 24) <
         1e-9, "removals: count, median and quartiles in hours", rem)
    t.ok(rep["reports"]["notices"] == {"sent": 7, "answered": 6,
                                       "removed": 5, "refused": 1,
                                       "overdue": 1, "pending": 0},
         "the trusted flagger's figures", rep["reports"].get("notices"))
    t.eq((rep.get("actions") or {}).get("totals"),
         {"sessions": 1, "people": 2, "hours": "6.0"}, "the actions")
    r = ed.get("/admin/rapport-annuel?annee=%d" % YEAR)
    t.ok(r.status == 200 and "Chiffres clés de" in r.text and
         "n = " not in r.text and "44,4" in r.text,
         "the HTML page shows the year's key figures", r.brief())
    r = ed.get("/admin/rapport-annuel?annee=1999", json_=True)
    code, msg, field = error_json(r)
    t.ok(r.status == 400 and field == "annee" and msg and
         "période" in msg, "a year out of range is 400 naming the field",
         r.brief())

    tok = j.get("csrf")
    r = ed.post("/admin/rapport-annuel", form={"csrf": tok,
                                                "annee": str(YEAR)})
    t.ok(r.status == 200 and r.body[:5] == b"%PDF-" and
         (r.header("content-type") or "").startswith("application/pdf") and
         'attachment; filename="rapport-annuel-%d.pdf"' % YEAR ==
         r.header("content-disposition") and
         "no-store" in (r.header("cache-control") or "") and
         (r.header("referrer-policy") or "") == "no-referrer",
         "the editor downloads the PDF (attachment, no-store)", r.brief())
    pdf = os.path.join(srv.root, "web.pdf")
    with open(pdf, "wb") as f:
        f.write(r.body)
    text = flat(pdftotext(pdf)[1])
    t.ok("Les signalements reçus" in text and "Association Test" in text,
         "the download is the same report")
    tmp = os.path.join(srv.data, "uploads", "tmp")
    t.eq([f for f in os.listdir(tmp) if "annual" in f], [],
         "nothing of it is left in the server's temporary folder")
    r = ed.post("/admin/rapport-annuel", form={"annee": str(YEAR)},
                json_=True)
    t.eq(r.status, 403, "without the CSRF token: 403")
    r = ed.post("/admin/rapport-annuel", form={"csrf": tok, "annee": "abc"},
                json_=True)
    t.ok(r.status == 400 and error_json(r)[2] == "annee",
         "a year that is not one: 400 naming the field", r.brief())
    r = ed.post("/admin/rapport-annuel", form={"csrf": tok}, json_=True)
    t.ok(r.status == 400 and error_json(r)[2] == "annee",
         "no year: 400 naming the field", r.brief())
    pro = srv.client()
    pro.login("pro@vigie.test", PASSWORD, json_=True)
    t.eq(pro.get("/admin/rapport-annuel", json_=True).status, 403,
         "a professional may not see the page")
    r = pro.post("/admin/rapport-annuel", form={
        "csrf": pro.csrf("/connexion"), "annee": str(YEAR)}, json_=True)
    t.eq(r.status, 403, "nor download the report")
    anon = srv.client()
    r = anon.get("/admin/rapport-annuel", json_=True)
    t.eq(r.status, 401, "anonymous: 401 in JSON")
    r = anon.get("/admin/rapport-annuel")
    t.ok(r.status == 303 and r.header("location") == "/connexion",
         "anonymous: sent to sign in", r.brief())


GROUPS = [("annual", group_annual)]
