"""
test_barometer.py — the barometer's indicators (content/indicators.yaml)
computed from answers to the starter questionnaire: the JSON contract of
/barometre/ID?by=VAR, Wilson intervals, cells under 10 answers never
published, breakdowns reserved to professionals, bad filters.
"""
import math

from harness import PASSWORD, Server, check_security
from test_surveys import Answerer, error_of

Z = 1.959963984540054


def wilson(k, n):
    p = k / n
    d = 1 + Z * Z / n
    c = (p + Z * Z / (2 * n)) / d
    h = Z / d * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return max(0.0, c - h), min(1.0, c + h)


def send(srv, age, sexe, dep, harcele, image="non"):
    a = Answerer(srv, "barometre_jeunes")
    a.post("commencer")
    a.post("continuer", age=str(age), sexe=sexe, dep=dep)
    fields = {"harcele": harcele, "image_diffusee": image}
    if harcele == "oui":
        fields["ou"] = "tiktok"
    r, j = a.post("continuer", **fields)
    if any(q.get("name") == "en_parle" for q in
           (j.get("page") or {}).get("questions", [])):
        a.post("continuer", en_parle="oui")
    a.post("continuer")
    r, j = a.post("envoyer")
    return j.get("received") is True


def group_barometer(binary, t):
    srv = Server(binary, "barometer")
    srv.add_user("pro@vigie.test", "professional")
    srv.start()
    try:
        anon = srv.client(json_=True)
        r = anon.get("/barometre/harcelement")
        t.ok(r.status == 404 and "Pas encore" in (error_of(r).get("message")
                                                  or ""),
             "before any answer: 404 with a French message", r.brief())
        r = srv.cli("wave", "open", "barometre_jeunes", "--name", "2026 — T1",
                    "--data", srv.data)
        t.eq(r.returncode, 0, "the starter questionnaire was added at "
             "start and takes a wave", r.stderr)
        # 12 girls (5 harassed), 12 boys (3), 4 "autre" (1): the last
        # group is under 10 answers.
        sent = 0
        for i in range(12):
            sent += send(srv, 14, "fille", "42", "oui" if i < 5 else "non")
            sent += send(srv, 16, "garcon", "69", "oui" if i < 3 else "non")
        for i in range(4):
            sent += send(srv, 20, "autre", "42", "oui" if i < 1 else "non")
        t.eq(sent, 28, "28 answers sent")
        r = anon.get("/barometre/harcelement?by=sexe")
        j = r.json() or {}
        check_security(t, r, "GET /barometre/ID (JSON)")
        t.ok(r.status == 200 and j.get("indicator", {}).get("id") ==
             "harcelement" and j["indicator"].get("title"),
             "the JSON twin names the indicator", r.brief())
        est = {e["group"]: e for e in j.get("estimates", [])}
        keys = {"group", "n", "estimate", "ci_low", "ci_high", "suppressed"}
        t.ok(set(est) == {"fille", "garcon", "autre"} and
             all(keys <= set(e) for e in est.values()),
             "one estimate per group with n, estimate, interval, "
             "suppressed", "%r" % est)
        f = est.get("fille", {})
        lo, hi = wilson(5, 12)
        t.ok(f.get("n") == 12 and abs(f.get("estimate", 0) - 5 / 12) < 1e-12
             and abs(f.get("ci_low", 0) - lo) < 1e-12 and
             abs(f.get("ci_high", 0) - hi) < 1e-12 and
             f.get("suppressed") is False,
             "girls: 5/12 with the Wilson interval", "%r" % f)
        a = est.get("autre", {})
        t.ok(a.get("suppressed") is True and a.get("n") == 4 and
             a.get("estimate") is None and a.get("ci_low") is None,
             "a group of 4 answers is suppressed: no figure at all",
             "%r" % a)
        o = j.get("overall") or {}
        t.ok(o.get("n") == 28 and abs(o.get("estimate", 0) - 9 / 28) < 1e-12,
             "overall: 9 of 28", "%r" % o)
        for q, field, status in [("by=dep", "by", 400),
                                 ("by=age", "by", 400),
                                 ("wave=abc", "wave", 400)]:
            r = anon.get("/barometre/harcelement?" + q)
            t.ok(r.status == status and error_of(r).get("field") == field,
                 "GET ?%s is %d naming %s" % (q, status, field), r.brief())
        t.eq(anon.get("/barometre/inconnu").status, 404,
             "an unknown indicator is 404")
        p = srv.client(json_=True)
        p.login("pro@vigie.test", PASSWORD)
        r = p.get("/barometre/harcelement?by=dep")
        est = {e["group"]: e for e in (r.json() or {}).get("estimates", [])}
        t.ok(r.status == 200 and set(est) == {"42", "69"} and
             est["42"]["n"] == 16 and est["69"]["n"] == 12,
             "a professional breaks it down by département", r.brief())
        h = srv.client()
        r = h.get("/barometre")
        t.ok(r.status == 200 and "Jeunes harcelés en ligne" in r.text and
             "32 %" in r.text, "the list shows the published figure",
             r.brief())
        check_security(t, r, "GET /barometre (HTML)")
        r = h.get("/barometre/harcelement?by=sexe")
        t.ok(r.status == 200 and '<svg class="chart"' in r.text and
             "masqué" in r.text and "<table" in r.text,
             "the page has the chart, the table, and says what is hidden",
             r.brief())
        hp = srv.client()
        hp.login("pro@vigie.test", PASSWORD)
        r = hp.get("/barometre/harcelement?by=dep")
        t.ok(r.status == 200 and '<svg class="map"' in r.text and
             "Loire : " in r.text,
             "by département, the page draws the map", r.brief())
        open_data(srv, t)
        actions(srv, t)
        trend(srv, t)
        weights(srv, t)
        reports(srv, t)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def open_data(srv, t):
    import csv
    import io
    import json
    c = srv.client()
    r = c.get("/barometre/harcelement/donnees.csv?by=sexe")
    rows = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig"))))
    t.ok(r.status == 200 and rows and rows[0][:4] == [
        "indicateur", "vague", "ventilation", "groupe"],
         "the open data CSV has its header", r.brief())
    by = {x[3]: x for x in rows[1:]}
    t.ok(set(by) == {"ensemble", "fille", "garcon", "autre"} and
         by["autre"][6] == "" and by["autre"][9] == "oui" and
         abs(float(by["fille"][6]) - 5 / 12) < 1e-12 and
         by["ensemble"][5] == "28",
         "aggregates only, the small cell left empty and marked",
         "%r" % rows)
    r = c.get("/barometre/harcelement/donnees.csv?by=dep")
    t.eq(r.status, 400, "a professional breakdown is not open data for "
         "visitors")
    r = c.get("/barometre/harcelement/donnees.xlsx?by=sexe")
    t.ok(r.status == 200 and r.body[:2] == b"PK", "and as XLSX", r.brief())
    r = c.get("/barometre/metadonnees.json")
    try:
        meta = json.loads(r.body)
    except ValueError:
        meta = {}
    t.ok(r.status == 200 and meta.get("suppression_threshold") == 10 and
         len(meta.get("indicators", [])) == 4 and
         all(i.get("method") for i in meta["indicators"]) and
         all(w.get("opens") for w in meta["indicators"][0].get("waves", []))
         and meta["indicators"][0].get("waves"),
         "the metadata give every definition, method and wave's dates",
         r.brief())


def actions(srv, t):
    """The dashboard of actions, fed by the trainings: a past session in
    the Loire with two people present, one absent."""
    import sqlite3
    import os
    c = srv.client(json_=True)
    r = c.get("/barometre/actions")
    j = r.json() or {}
    t.ok(r.status == 200 and (j.get("totals") or {}).get("sessions") == 0
         and j.get("rows") == [], "no training held yet: zeros",
         r.brief())
    # A session held last year in the Loire (written as the trainings
    # area writes it): one person present, one absent, one waiting.
    uids = [srv.add_user("formee%d@vigie.test" % i, "professional")
            for i in range(3)]
    con = sqlite3.connect(os.path.join(srv.data, "vigie.db"))
    con.execute("INSERT INTO trainings (title, objectives, audience, "
                "duration_minutes, format, themes, trainer, published, "
                "created_at, modified_at) VALUES ('T', 'O', 'A', 180, "
                "'onsite', 'harcelement', 'F', 1, 0, 0)")
    con.execute("INSERT INTO training_sessions (training_id, day, "
                "start_time, end_time, starts_at, ends_at, place, "
                "departement, capacity, created_at, modified_at) VALUES "
                "(1, '2025-03-10', '09:00', '12:00', 1741593600, "
                "1741604400, 'Saint-Étienne', '42', 10, 0, 0)")
    for uid, (status, att, seq) in zip(uids, [
            ("registered", "present", 1), ("registered", "absent", 2),
            ("waiting", "unknown", 3)]):
        con.execute("INSERT INTO training_registrations (session_id, "
                    "user_id, status, seq, attendance, registered_at) "
                    "VALUES (1, ?, ?, ?, ?, 0)", (uid, status, seq, att))
    con.commit()
    con.close()
    r = c.get("/barometre/actions")
    j = r.json() or {}
    t.ok((j.get("totals") or {}) == {"sessions": 1, "people": 1,
                                     "hours": "3.0"} and
         [(x.get("departement"), x.get("people")) for x in j.get("rows", [])]
         == [("42", 1)],
         "one session, one person trained (present), three hours, in the "
         "Loire", "%r" % j)
    r = c.get("/barometre/actions?annee=2025")
    t.eq(((r.json() or {}).get("totals") or {}).get("sessions"), 1,
         "filtered by year")
    r = c.get("/barometre/actions?annee=1999")
    t.ok(r.status == 400 and error_of(r).get("field") == "annee",
         "an unknown year is 400 naming the field", r.brief())
    check_security(t, srv.client().get("/barometre/actions"),
                   "GET /barometre/actions (HTML)")


def trend(srv, t):
    """A second wave: the indicator's trend, with the change and whether
    it is significant."""
    e = srv.client(json_=True)
    r = srv.cli("wave", "open", "barometre_jeunes", "--name", "2027 — T1",
                "--data", srv.data)
    t.eq(r.returncode, 0, "a second wave opens", r.stderr)
    # The first wave had 9 of 28; the second 22 of 24: a clear rise.
    for i in range(24):
        send(srv, 15, "fille" if i % 2 else "garcon", "42",
             "oui" if i < 22 else "non")
    r = e.get("/barometre/harcelement")
    j = r.json() or {}
    tr = j.get("trend") or []
    t.ok(r.status == 200 and (j.get("wave") or {}).get("name") ==
         "2027 — T1" and len(tr) == 2, "the latest wave by default, and "
         "the trend over both", "%r" % tr)
    ch = (tr[1].get("change") or {}) if len(tr) == 2 else {}
    p1, p2 = 9 / 28, 22 / 24
    se = math.sqrt(p1 * (1 - p1) / 28 + p2 * (1 - p2) / 24)
    t.ok(abs(ch.get("difference", 0) - (p2 - p1)) < 1e-12 and
         abs(ch.get("ci_low", 0) - (p2 - p1 - Z * se)) < 1e-12 and
         ch.get("significant") is True,
         "the change, its interval and its significance", "%r" % ch)
    first = (tr[0].get("wave") or {}).get("id") if tr else None
    r = e.get("/barometre/harcelement?wave=%s" % first)
    t.ok(r.status == 200 and abs(((r.json() or {}).get("overall") or {})
                                 .get("estimate", 0) - p1) < 1e-12,
         "?wave= shows an earlier wave", r.brief())
    r = srv.client().get("/barometre/harcelement")
    t.ok("évolution significative" in r.text and
         '<svg class="chart line"' in r.text and
         '<select id="wave" name="wave">' in r.text,
         "the page draws the trend as a line, says the change is "
         "significant, and offers the waves", r.brief())


def populations(codes):
    """The official populations, as Vigie reads them."""
    import json
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "node_modules", "@etalab",
                        "decoupage-administratif", "data", "communes.json")
    tot = {c: 0 for c in codes}
    for c in json.load(open(path)):
        if c.get("type") == "commune-actuelle" and c.get("departement") in tot:
            tot[c["departement"]] += c.get("population", 0)
    return tot


def weights(srv, t):
    """The first wave raked to the départements' populations: the
    indicator becomes weighted, with the linearised interval."""
    import os
    wave = 1
    r = srv.cli("wave", "weight", str(wave), "--by", "sexe", "--data",
                srv.data)
    t.ok(r.returncode == 2 and "pas de marge" in r.stderr and
         len(r.stderr.strip().splitlines()) == 1,
         "weighting by sex without its margins: exit 2, one line",
         r.stderr)
    r = srv.cli("wave", "weight", str(wave), "--by", "dep", "--data",
                srv.data)
    t.ok(r.returncode == 0 and "28 réponses pondérées" in r.stdout and
         "effet de plan" in r.stdout, "vigie wave weight --by dep",
         r.stdout + r.stderr)
    pop = populations(["42", "69"])
    # 42: 16 answers, 6 harassed; 69: 12 answers, 3 harassed.
    ys = [1] * 6 + [0] * 10 + [1] * 3 + [0] * 9
    ws = [pop["42"] / 16] * 16 + [pop["69"] / 12] * 12
    sw = sum(ws)
    p = sum(w * y for w, y in zip(ws, ys)) / sw
    se = math.sqrt(28 / 27 * sum((w * (y - p) / sw) ** 2
                                for w, y in zip(ws, ys)))
    j = srv.client(json_=True).get("/barometre/harcelement?wave=%d"
                                   % wave).json() or {}
    o = j.get("overall") or {}
    t.ok(abs(o.get("estimate", 0) - p) < 1e-9 and
         abs(o.get("ci_low", 0) - (p - Z * se)) < 1e-9 and
         (j.get("weighting") or {}).get("variables") == "dep",
         "weighted: the ratio estimate and survey::svymean's interval",
         "%r want %r %r" % (o, p, p - Z * se))
    margins = os.path.join(srv.root, "marges.csv")
    with open(margins, "w") as f:
        f.write("variable;modalite;effectif\nsexe;fille;51\n"
                "sexe;garcon;47\nsexe;autre;2\n")
    r = srv.cli("wave", "weight", str(wave), "--by", "dep,sexe",
                "--margins", margins, "--data", srv.data)
    t.ok(r.returncode == 2 and "ne converge pas" in r.stderr,
         "margins the sample cannot reach (here every boy is in the "
         "Rhône): refused, exit 2", r.stdout + r.stderr)
    j = srv.client(json_=True).get("/barometre/harcelement?wave=%d"
                                   % wave).json() or {}
    t.eq((j.get("weighting") or {}).get("variables"), "dep",
         "the earlier weights are kept")
    with open(margins, "w") as f:
        f.write("variable;modalite;effectif\nsexe;fille;%.2f\n"
                "sexe;autre;%.2f\nsexe;garcon;%d\n"
                % (pop["42"] * 0.75, pop["42"] * 0.25, pop["69"]))
    r = srv.cli("wave", "weight", str(wave), "--by", "dep,sexe",
                "--margins", margins, "--data", srv.data)
    t.ok(r.returncode == 0 and "calage sur dep sexe" in r.stdout,
         "raking on two variables with margins from a file", r.stdout +
         r.stderr)
    r = srv.client().get("/barometre/harcelement?wave=%d" % wave)
    t.ok("Pondération" in r.text and "dep sexe" in r.text,
         "the page states the weighting and its design effect", r.brief())


def reports(srv, t):
    """The reports received, as an indicator: counts and shares by
    category, small groups hidden, no personal data."""
    from test_analysis import report
    c = srv.client(json_=True)
    r = c.get("/barometre/signalements")
    t.ok(r.status == 404 and "Pas encore" in (error_of(r).get("message")
                                              or ""),
         "no report yet: 404 with a French message", r.brief())
    sent = 0
    for i in range(11):
        st, _ = report(srv.client(), "haine",
                       ["https://exemple.org/post/%d" % i])
        sent += st == 201
    for i in range(2):
        st, _ = report(srv.client(), "menaces",
                       ["https://exemple.org/m/%d" % i])
        sent += st == 201
    t.eq(sent, 13, "13 anonymous reports sent")
    r = c.get("/barometre/signalements?by=categorie")
    j = r.json() or {}
    est = {e["group"]: e for e in j.get("estimates", [])}
    t.ok(r.status == 200 and (j.get("overall") or {}).get("n") == 13 and
         est.get("haine", {}).get("n") == 11 and
         abs(est["haine"].get("estimate", 0) - 11 / 13) < 1e-12 and
         est["haine"].get("ci_low") is None and
         est.get("menaces", {}).get("suppressed") is True and
         est["menaces"].get("estimate") is None,
         "by category: counts and shares, no interval (all counted), "
         "the group of 2 hidden", "%r" % j)
    t.ok("description" not in r.text and "exemple.org" not in r.text,
         "nothing of a report's content")
    t.eq(c.get("/barometre/signalements?by=sexe").status, 400,
         "reports do not break down by sex")
    h = srv.client().get("/barometre/signalements?by=categorie")
    t.ok(h.status == 200 and "13</strong>" in h.text and
         '<svg class="chart"' in h.text, "the page counts them and draws "
         "the chart", h.brief())


GROUPS = [("barometer", group_barometer)]
