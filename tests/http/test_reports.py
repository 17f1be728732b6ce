"""
test_reports.py — anonymous reporting (/signaler) and the follow-up by
code (/suivi): the form and its JSON twin, what is accepted and refused,
the one-time submission token (a double click is one report), platforms,
the code in all the ways a person may type it, the rate limits, nothing
that identifies the reporter in the database or the log, and reports
acknowledged before a SIGKILL still there after it.

The rate limits count per client address (30 reports an hour, 10 look-ups
in 10 minutes).  All of 127.0.0.0/8 is loopback, so each visitor here
connects from its own 127.x.y.z source address: one server can then serve
many visitors, as in real life, without one test eating another's budget.
"""
import base64
import concurrent.futures
import datetime
import html
import http.client
import itertools
import os
import re
import signal
import socket
import sqlite3
import threading
import time
import urllib.parse

import harness
from harness import (Server, check_security, error_json, french_text,
                     parse_tags, raw_request, sanitizer_report)
from test_pages import html_checks

AGENT = "SignaleurCurieux/4.2 (vigie-reports-ua-9c2e)"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"      # Crockford's base 32
RECEIPT_RE = re.compile(r"^[%s]{4}-[%s]{4}-[%s]{4}$" % ((ALPHABET,) * 3))
SUBMISSION_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
ADDRESS_RE = re.compile(r"127\.\d{1,3}\.\d{1,3}\.\d{1,3}")
ADDRESS_RE_B = re.compile(rb"127\.\d{1,3}\.\d{1,3}\.\d{1,3}")
ACCESS_RE = re.compile(r" info (GET|POST|HEAD|PUT|DELETE) (/\S*) (\d{3}) "
                       r"[0-9.]+ms$")
URL = "https://example.org/publication/1"
CATEGORIES = None       # filled from GET /signaler
RELATIONS = ["victime", "temoin", "professionnel"]
MINORS = ["oui", "non", "ne-sais-pas"]


# --- visitors, each from its own loopback address -----------------------

_addresses = itertools.count(0)
_addr_lock = threading.Lock()


def new_address():
    """A loopback address not used before in this run (127.10.0.1 on)."""
    with _addr_lock:
        n = next(_addresses)
    return "127.%d.%d.%d" % (10 + n // (254 * 250), (n // 254) % 250,
                             1 + n % 254)


def source_addresses_work():
    try:
        s = socket.socket()
        try:
            s.bind(("127.10.255.1", 0))
        finally:
            s.close()
        return True
    except OSError:
        return False


class Visitor(harness.Client):
    """A visitor from its own address, with a distinctive user agent."""

    def __init__(self, port, json_=True, addr=None):
        super().__init__(port, json_=json_)
        self.addr = addr or new_address()

    def connect(self, timeout=30):
        return http.client.HTTPConnection(self.host, self.port,
                                          timeout=timeout,
                                          source_address=(self.addr, 0))

    def request(self, method, path, headers=None, **kw):
        h = {"User-Agent": AGENT}
        h.update(headers or {})
        return super().request(method, path, headers=h, **kw)


def token():
    """A 43-character submission token, as the server makes them."""
    return base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()


def form_of(c):
    """(csrf, submission, JSON) of GET /signaler for visitor c."""
    r = c.get("/signaler", json_=True)
    j = r.json() or {}
    if r.status != 200 or not j.get("csrf"):
        raise AssertionError("GET /signaler: %s" % r.brief())
    return j["csrf"], j.get("submission"), j


def report(tok, sub=None, urls=(URL,), **fields):
    """The fields of a report form (a list of pairs): a valid report
    unless fields say otherwise; a field set to None is left out."""
    f = []
    if tok is not None:
        f.append(("csrf", tok))
    if sub is not None:
        f.append(("submission", sub))
    base = {"category": "harcelement", "minor": "non", "relation": "temoin"}
    base.update(fields)
    for k, v in base.items():
        if v is not None:
            f.append((k, v))
    for u in urls:
        f.append(("url", u))
    return f


def utc_today():
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def todays():
    """Today in UTC and in Paris (the server may use either)."""
    out = {utc_today(), datetime.date.today().isoformat()}
    try:
        import zoneinfo
        out.add(datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Paris"))
                .date().isoformat())
    except Exception:       # noqa: BLE001 — no tz data: UTC and local only
        pass
    return out


def db_path(srv):
    return os.path.join(srv.data, "vigie.db")


def query(srv, sql, args=()):
    """Rows of a read-only query on the server's database."""
    con = sqlite3.connect("file:%s?mode=ro" % db_path(srv), uri=True,
                          timeout=10)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def count(srv, table="reports"):
    return query(srv, "SELECT count(*) FROM %s" % table)[0][0]


def last_report(srv):
    rows = query(srv, "SELECT id, category, minor, relation, seen_on, "
                 "typeof(description), typeof(seen_where), typeof(contact), "
                 "typeof(contact_safe), status, created_at, priority "
                 "FROM reports ORDER BY id DESC LIMIT 1")
    if not rows:
        return None
    keys = ("id", "category", "minor", "relation", "seen_on", "description",
            "seen_where", "contact", "contact_safe", "status", "created_at",
            "priority")
    return dict(zip(keys, rows[0]))


def receipt_of(r):
    return ((r.json() or {}).get("report") or {}).get("receipt")


def html_receipt(r):
    m = re.search(r'class="code">\s*([0-9A-Z-]{14})\s*<', r.text)
    return m.group(1) if m else None


def hidden(tags, name):
    return [a.get("value") for tag, a, _ in tags.tags
            if tag == "input" and a.get("type") == "hidden" and
            a.get("name") == name]


def checked(tags, name):
    return [a.get("value") for tag, a, _ in tags.tags
            if tag == "input" and a.get("name") == name and
            "checked" in a]


def input_value(tags, ident):
    for tag, a, _ in tags.tags:
        if tag == "input" and a.get("id") == ident:
            return a.get("value")
    return None


def textarea(text, name):
    m = re.search(r'<textarea[^>]*\bname="%s"[^>]*>(.*?)</textarea>' % name,
                  text, re.S)
    return m.group(1) if m else None


def multipart(fields, files=()):
    """(content type, body) of a multipart/form-data form."""
    boundary = "----vigie%s" % os.urandom(8).hex()
    out = b""
    for k, v in fields:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n"
                "\r\n" % (boundary, k)).encode() + v.encode() + b"\r\n"
    for name, fname, ctype, data in files:
        out += ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n" %
                (boundary, name, fname, ctype)).encode() + data + b"\r\n"
    out += ("--%s--\r\n" % boundary).encode()
    return "multipart/form-data; boundary=%s" % boundary, out


class Secrets:
    """Everything that must never be found in the database or the log as
    it was typed: what the reporters wrote, the codes, the tokens."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sealed = set()         # written by a reporter
        self.receipts = set()
        self.submissions = set()

    def text(self, kind):
        s = "%s-confidentiel-%s" % (kind, os.urandom(5).hex())
        with self.lock:
            self.sealed.add(s)
        return s

    def receipt(self, code):
        if code:
            with self.lock:
                self.receipts.add(code)

    def submission(self, sub):
        if sub:
            with self.lock:
                self.submissions.add(sub)

    def needles(self):
        out = [(AGENT, "the user agent"), ("vigie-reports-ua", "the user "
                                           "agent's mark")]
        out += [(s, "reporter's text %r" % s) for s in sorted(self.sealed)]
        for code in sorted(self.receipts):
            out.append((code, "follow-up code %s" % code))
            out.append((code.replace("-", ""), "follow-up code %s without "
                        "dashes" % code))
        out += [(s, "submission token %s" % s)
                for s in sorted(self.submissions)]
        return out


# --- the group -----------------------------------------------------------

def group_reports(binary, t):
    """Three servers at once: the contract, the rate limits on a fresh
    server, and SIGKILL during a stream of reports."""
    parts = [("contract", contract), ("throttle", throttle),
             ("sigkill", sigkill)]
    if not source_addresses_work():
        t.ok(False, "a client can connect from 127.10.255.1 (the tests "
             "need several loopback source addresses)")
        return

    def run(name, fn):
        rec = harness.Recorder(t.group)
        try:
            fn(binary, rec)
        except Exception:
            rec.fail_exception(name)
        return rec

    with concurrent.futures.ThreadPoolExecutor(len(parts)) as ex:
        futs = [ex.submit(run, name, fn) for name, fn in parts]
        for f in futs:
            t.results.extend(f.result().results)


# --- the contract --------------------------------------------------------

def contract(binary, t):
    srv = Server(binary, "reports").start()
    sec = Secrets()
    try:
        form_json(srv, t)
        form_html(srv, t)
        receipts = submit_ok(srv, t, sec)
        double_click(srv, t, sec)
        invalid(srv, t, sec)
        refused_bodies(srv, t, sec)
        platforms(srv, t, sec)
        receipts += follow(srv, t, sec, receipts)
        html_errors(srv, t, sec)
        in_the_database(srv, t, sec, "while running")
        query_strings(srv, t, sec)
    finally:
        srv.check_stop(t)
        in_the_database(srv, t, sec, "after the server stopped")
        in_the_log(srv, t, sec)
        srv.cleanup()


def form_json(srv, t):
    global CATEGORIES
    c = Visitor(srv.port)
    r = c.get("/signaler")
    j = r.json() or {}
    t.ok(r.status == 200 and (r.header("content-type") or "")
         .startswith("application/json"), "GET /signaler (JSON) is 200 "
         "JSON", r.brief())
    t.ok("no-store" in (r.header("cache-control") or ""),
         "GET /signaler (JSON) is no-store", r.header("cache-control"))
    t.ok(isinstance(j.get("csrf"), str) and j["csrf"],
         "the JSON form has a csrf token")
    sub = j.get("submission")
    t.ok(isinstance(sub, str) and SUBMISSION_RE.match(sub),
         "the JSON form has a 43-character one-time submission token",
         "%r" % sub)
    sub2 = (c.get("/signaler").json() or {}).get("submission")
    t.ok(sub2 and sub2 != sub, "each GET /signaler gives a new submission "
         "token", "%r %r" % (sub, sub2))
    cats = j.get("categories")
    bad = []
    for x in cats if isinstance(cats, list) else []:
        if not (isinstance(x.get("value"), str) and
                re.match(r"^[a-z0-9-]+$", x["value"]) and
                isinstance(x.get("label"), str) and x["label"] and
                isinstance(x.get("urls_only"), bool) and
                x.get("selected") is False and
                (x.get("help") is None or (isinstance(x["help"], str) and
                                           x["help"]))):
            bad.append(x)
    t.ok(isinstance(cats, list) and len(cats) >= 5 and not bad,
         "categories: [{value, label, help?, urls_only, selected}] "
         "(%d)" % len(cats or []), *["%r" % x for x in bad[:5]])
    values = [x.get("value") for x in cats or []]
    t.eq(len(set(values)), len(values), "every category value is unique")
    CATEGORIES = values
    csam = [x for x in cats or [] if x.get("value") == "pedocriminalite"]
    t.ok(csam and csam[0].get("urls_only") is True and
         re.search(r"ne (téléchargez|capturez) pas",
                   csam[0].get("help") or "", re.I),
         "the child sexual abuse category is urls_only, and its help says "
         "not to download or capture", "%r" % csam)
    t.ok(all(x.get("urls_only") is False for x in cats or []
             if x.get("value") != "pedocriminalite"),
         "the other categories are not urls_only (as content/reports.yaml "
         "says)", "%r" % [x["value"] for x in cats or []
                          if x.get("urls_only")])
    rels = j.get("relations")
    t.eq([x.get("value") for x in rels or []], RELATIONS,
         "relations are victime, temoin, professionnel")
    t.ok(all(x.get("label") and x.get("selected") is False
             for x in rels or []),
         "every relation has a label and selected: false", "%r" % rels)
    t.ok(j.get("today") in todays(), "today is today's date (YYYY-MM-DD)",
         "got %r, want one of %r" % (j.get("today"), sorted(todays())))


def form_html(srv, t):
    c = Visitor(srv.port, json_=False)
    r = c.get("/signaler")
    t.eq(r.status, 200, "GET /signaler (HTML) is 200")
    check_security(t, r, "GET /signaler (HTML)")
    html_checks(t, "/signaler", r)
    tags = parse_tags(r.text)
    forms = [a for tag, a, _ in tags.tags if tag == "form" and
             a.get("action") == "/signaler"]
    t.ok(len(forms) == 1 and forms[0].get("method", "").lower() == "post"
         and "multipart" not in forms[0].get("enctype", ""),
         "one <form method=post action=/signaler>, not multipart",
         "%r" % forms)
    t.ok(not any(tag == "input" and a.get("type") == "file"
                 for tag, a, _ in tags.tags),
         "no file input anywhere in the page")
    j = c.get("/signaler", json_=True).json() or {}

    def radios(name):
        return [a.get("value") for tag, a, _ in tags.tags if tag == "input"
                and a.get("type") == "radio" and a.get("name") == name]

    t.eq(radios("category"), [x["value"] for x in j.get("categories", [])],
         "the category radios are the JSON categories, in order")
    t.eq(radios("minor"), MINORS, "the minor radios are oui, non, "
         "ne-sais-pas")
    t.eq(radios("relation"), RELATIONS, "the relation radios are victime, "
         "temoin, professionnel")
    urls = [a for tag, a, _ in tags.tags if tag == "input" and
            a.get("name") == "url"]
    t.ok(len(urls) >= 2 and all(a.get("type") == "url" for a in urls),
         "several <input type=url name=url> (%d)" % len(urls), "%r" % urls)
    by_name = {a.get("name"): (tag, a) for tag, a, _ in tags.tags
               if tag in ("input", "textarea") and a.get("name")}
    missing = [n for n in ("seen_where", "seen_on", "description", "contact",
                           "contact_safe", "submission", "csrf")
               if n not in by_name]
    t.ok(not missing, "the form has seen_where, seen_on, description, "
         "contact, contact_safe, submission, csrf", "missing %r" % missing)
    t.eq(by_name.get("seen_on", (None, {}))[1].get("type"), "date",
         "seen_on is a date input")
    t.eq(by_name.get("description", (None, {}))[0], "textarea",
         "description is a textarea")
    sub = hidden(tags, "submission")
    tok = hidden(tags, "csrf")
    t.ok(len(sub) == 1 and SUBMISSION_RE.match(sub[0] or ""),
         "a hidden submission token of 43 characters", "%r" % sub)
    t.ok(len(tok) == 1 and tok[0] == j.get("csrf"),
         "a hidden csrf token, the visitor's", "%r %r" % (tok, j.get("csrf")))
    text = french_text(r)
    warn = text.find("N'envoyez jamais d'images")
    form_at = text.find('<form method="post" action="/signaler"')
    t.ok(0 <= warn < form_at,
         "the warning never to send images comes before the form",
         "warning at %d, form at %d" % (warn, form_at))
    help_ = next((x.get("help") for x in j.get("categories", [])
                  if x.get("value") == "pedocriminalite"), None)
    t.ok(help_ and help_ in text, "the page shows the child sexual abuse "
         "category's help text")
    t.ok(any(tag == "a" and a.get("href") == "/suivi"
             for tag, a, _ in tags.tags), "the form page links to /suivi")


def submit_ok(srv, t, sec):
    """A valid report in JSON and in HTML, and the same form sent again.
    Returns the receipts."""
    c = Visitor(srv.port)
    tok, sub, _ = form_of(c)
    sec.submission(sub)
    before = count(srv)
    today = utc_today()
    desc, where = sec.text("description"), sec.text("ou")
    contact, safe = sec.text("contact"), sec.text("prudence")
    r = c.post("/signaler", form=report(
        tok, sub, urls=["https://Example.ORG/Publication/1"],
        category="menaces", minor="oui", relation="victime",
        description=desc, seen_where=where, seen_on=today, contact=contact,
        contact_safe=safe))
    j = (r.json() or {}).get("report") or {}
    code = j.get("receipt")
    sec.receipt(code)
    t.eq(r.status, 201, "a valid report (JSON) is 201", r.brief())
    t.ok(code and RECEIPT_RE.match(code), "the receipt is XXXX-XXXX-XXXX in "
         "Crockford base 32", "%r" % code)
    t.ok(j.get("status") == "nouveau" and isinstance(
        j.get("status_label"), str) and j["status_label"],
         "the new report is {status: nouveau, status_label}", "%r" % j)
    t.ok(r.header("location") is None, "no redirect after a report")
    t.eq(count(srv), before + 1, "one row in reports")
    row = last_report(srv) or {}
    t.ok(row.get("category") == "menaces" and row.get("minor") == "oui" and
         row.get("relation") == "victime" and row.get("seen_on") == today and
         row.get("status") == "nouveau" and
         abs((row.get("created_at") or 0) - time.time()) < 120,
         "the row has the category, minor, relation, date, status and "
         "creation time", "%r" % row)
    t.ok(all(row.get(k) == "blob" for k in ("description", "seen_where",
                                            "contact", "contact_safe")),
         "description, seen_where, contact and contact_safe are stored as "
         "(sealed) blobs", "%r" % row)
    urls = query(srv, "SELECT position, url, host, platform FROM report_urls "
                 "WHERE report_id = ?", (row.get("id"),))
    t.eq(urls, [(0, "https://Example.ORG/Publication/1", "example.org",
                 None)], "report_urls: the URL as given, its host in lower "
         "case, no platform")
    ev = query(srv, "SELECT kind, actor_id FROM report_events WHERE "
               "report_id = ?", (row.get("id"),))
    t.eq(ev, [("created", None)], "report_events: one 'created' event, "
         "with no actor")

    # The same form again: the same code, no second report.
    r2 = c.post("/signaler", form=report(
        tok, sub, urls=["https://Example.ORG/Publication/1"],
        category="menaces", minor="oui", relation="victime",
        description=desc))
    t.ok(r2.status == 200 and receipt_of(r2) == code,
         "the same submission token again is 200 with the same receipt",
         r2.brief())
    r3 = c.post("/signaler", form=report(tok, sub, category="haine",
                                         urls=["https://autre.example/x"]))
    t.ok(r3.status == 200 and receipt_of(r3) == code,
         "the same token with other answers is still 200, same receipt",
         r3.brief())
    t.eq(count(srv), before + 1, "no second report for the same token")
    t.eq((last_report(srv) or {}).get("category"), "menaces",
         "the first form sent is the one kept")

    # Optional fields left out: NULL, not an empty sealed value.
    tok2, sub2, _ = form_of(c)
    r = c.post("/signaler", form=report(tok2, sub2, minor="ne-sais-pas",
                                        relation="professionnel",
                                        description="", contact="  "))
    sec.receipt(receipt_of(r))
    row = last_report(srv) or {}
    t.ok(r.status == 201 and row.get("description") == "null" and
         row.get("contact") == "null" and row.get("seen_on") is None and
         row.get("minor") == "ne-sais-pas",
         "a report without the optional fields: 201, NULL description, "
         "contact and date", r.brief(), "%r" % row)
    receipts = [code, receipt_of(r)]

    # A JSON client that sends no submission token gets a report anyway.
    r = c.post("/signaler", form=report(tok, None))
    sec.receipt(receipt_of(r))
    t.ok(r.status == 201 and RECEIPT_RE.match(receipt_of(r) or ""),
         "a report without a submission token (JSON client) is 201",
         r.brief())

    # In HTML, as the form is sent by a browser: three URL boxes, two
    # empty.
    h = Visitor(srv.port, json_=False)
    page = h.get("/signaler")
    tags = parse_tags(page.text)
    hsub, htok = hidden(tags, "submission")[0], hidden(tags, "csrf")[0]
    sec.submission(hsub)
    form = report(htok, hsub, urls=["https://www.tiktok.com/@x/video/1", "",
                                    ""], category="usurpation",
                  seen_where="", seen_on="", description="", contact="",
                  contact_safe="")
    r = h.post("/signaler", form=form)
    hcode = html_receipt(r)
    sec.receipt(hcode)
    t.ok(r.status == 201 and "text/html" in (r.header("content-type") or "")
         and r.header("location") is None,
         "a valid report (HTML) is a 201 page, no redirect", r.brief())
    t.ok("Signalement reçu" in french_text(r) and hcode and
         RECEIPT_RE.match(hcode), "the page says « Signalement reçu » and "
         "shows the code", r.text[-1500:])
    check_security(t, r, "the « Signalement reçu » page")
    html_checks(t, "the « Signalement reçu » page", r)
    t.ok(any(tag == "a" and a.get("href") == "/suivi"
             for tag, a, _ in parse_tags(r.text).tags),
         "the « Signalement reçu » page links to /suivi")
    r = h.post("/signaler", form=form)
    t.ok(r.status == 200 and html_receipt(r) == hcode,
         "the HTML form sent twice (a double click): 200, the same code",
         r.brief())
    rows = query(srv, "SELECT count(*) FROM report_urls WHERE url = ?",
                 ("https://www.tiktok.com/@x/video/1",))[0][0]
    t.eq(rows, 1, "the empty URL boxes are ignored, and the double click "
         "stored the URL once")
    receipts.append(hcode)
    return [x for x in receipts if x]


def double_click(srv, t, sec):
    """The same token sent by four connections at the same moment."""
    c = Visitor(srv.port)
    tok, _, _ = form_of(c)
    bad = []
    before = count(srv)
    rounds = 4
    for rnd in range(rounds):
        sub = token()
        sec.submission(sub)
        go = threading.Barrier(4)
        out = [None] * 4

        def one(i):
            go.wait()
            try:
                r = c.post("/signaler", form=report(tok, sub), cookies=False,
                           headers={"Cookie": "; ".join(
                               "%s=%s" % kv for kv in c.cookies.items())})
                out[i] = (r.status, receipt_of(r))
            except Exception as e:  # noqa: BLE001
                out[i] = (repr(e), None)

        ths = [threading.Thread(target=one, args=(i,)) for i in range(4)]
        for th in ths:
            th.start()
        for th in ths:
            th.join(60)
        statuses = sorted(str(s) for s, _ in out)
        codes = {x for _, x in out}
        sec.receipt(next(iter(codes)))
        if statuses != ["200", "200", "200", "201"] or len(codes) != 1:
            bad.append("round %d: %r" % (rnd, out))
    t.ok(not bad, "the same token sent by 4 connections at once (%d "
         "times): one 201 and three 200, one code" % rounds, *bad)
    t.eq(count(srv), before + rounds, "… and one report each time")


def invalid(srv, t, sec):
    c = Visitor(srv.port)
    tok, _, _ = form_of(c)
    long_url = "https://example.org/" + "a" * (2049 - len(
        "https://example.org/"))
    eleven = ["https://example.org/%d" % i for i in range(11)]
    secret = sec.text("refuse")
    cases = [
        ("no url field", report(tok, urls=[], description=secret), "url",
         r"adresse"),
        ("three empty url fields", report(tok, urls=["", " ", ""]), "url",
         r"adresse"),
        ("a javascript: URL", report(tok, urls=["javascript:alert(1)"]),
         "url", r"adresse"),
        ("a JavaScript: URL in mixed case",
         report(tok, urls=["JaVaScRiPt:alert(document.cookie)"]), "url",
         r"adresse"),
        ("a data: URL", report(tok, urls=["data:text/html,<script>x</script>"
                                          ]), "url", r"adresse"),
        ("an ftp: URL", report(tok, urls=["ftp://example.org/fichier"]),
         "url", r"adresse"),
        ("a URL without a scheme", report(tok, urls=["example.org/page"]),
         "url", r"adresse"),
        ("a scheme-relative URL", report(tok, urls=["//example.org/page"]),
         "url", r"adresse"),
        ("https:// without a host", report(tok, urls=["https://"]), "url",
         r"adresse"),
        ("https:///path (no host)", report(tok, urls=["https:///chemin"]),
         "url", r"adresse"),
        ("http://?q=1 (no host)", report(tok, urls=["http://?q=1"]), "url",
         r"adresse"),
        ("a space in the host", report(tok, urls=["https://exa mple.org/"]),
         "url", r"adresse"),
        ("a space in the path", report(tok, urls=["https://example.org/a b"]),
         "url", r"adresse"),
        ("a newline in the URL",
         report(tok, urls=["https://example.org/a\nb"]), "url", r"adresse"),
        ("a URL of 2049 characters", report(tok, urls=[long_url]), "url",
         r"adresse"),
        ("a bad URL after a good one",
         report(tok, urls=[URL, "javascript:void(0)"]), "url", r"adresse"),
        ("11 URLs", report(tok, urls=eleven), "url", r"Dix adresses"),
        ("an unknown category", report(tok, category="spam"), "category",
         r"type de contenu"),
        ("no category", report(tok, category=None), "category",
         r"type de contenu"),
        ("no minor", report(tok, minor=None), "minor", r"mineure"),
        ("minor=peut-etre", report(tok, minor="peut-etre"), "minor",
         r"mineure"),
        ("an unknown relation", report(tok, relation="curieux"), "relation",
         r"lien"),
        ("no relation", report(tok, relation=None), "relation", r"lien"),
        ("seen_on 23/11/2026", report(tok, seen_on="23/11/2026"), "seen_on",
         r"AAAA-MM-JJ"),
        ("seen_on 2026-13-01", report(tok, seen_on="2026-13-01"), "seen_on",
         r"AAAA-MM-JJ"),
        ("seen_on hier", report(tok, seen_on="hier"), "seen_on",
         r"AAAA-MM-JJ"),
        ("seen_on 2026-1-5", report(tok, seen_on="2026-1-5"), "seen_on",
         r"AAAA-MM-JJ"),
        ("a description of 5001 characters",
         report(tok, description="x" * 5001), "description", r"trop long"),
        ("a seen_where of 301 characters",
         report(tok, seen_where="y" * 301), "seen_where", r"trop long"),
        ("a contact of 301 characters", report(tok, contact="z" * 301),
         "contact", r"trop long"),
    ]
    before = count(srv)
    bad = []
    for what, form, field, msg_re in cases:
        r = c.post("/signaler", form=form)
        code, msg, fld = error_json(r)
        if not (r.status == 400 and code == "invalid" and fld == field and
                msg and re.search(msg_re, msg, re.I)):
            bad.append("%s: %s (want 400 field %s, message /%s/)" % (
                what, r.brief(), field, msg_re))
    t.ok(not bad, "%d invalid reports are 400 {code: invalid, field, "
         "French message}" % len(cases), *bad)
    t.eq(count(srv), before, "no invalid report was stored")

    # Impossible dates.
    bad = []
    for d in ("2026-02-30", "2026-04-31", "2025-02-29"):
        r = c.post("/signaler", form=report(tok, token(), seen_on=d))
        sec.receipt(receipt_of(r))
        if r.status != 400 or error_json(r)[2] != "seen_on":
            bad.append("%s: %s" % (d, r.brief()))
    t.ok(not bad, "a date that does not exist (30 February, 31 April, 29 "
         "February 2025) is 400 {field: seen_on}", *bad)

    # The limits themselves are accepted.
    ten = ["https://example.org/dix/%d" % i for i in range(10)]
    exact = "https://example.org/" + "b" * (2048 - len(
        "https://example.org/"))
    ok_cases = [
        ("10 URLs", report(tok, token(), urls=ten)),
        ("a URL of exactly 2048 characters", report(tok, token(),
                                                    urls=[exact])),
        ("a description of 5000 accented characters (10000 bytes)",
         report(tok, token(), description="é" * 5000)),
        ("an IPv6 host", report(tok, token(),
                                urls=["http://[2001:db8::1]:8080/page"])),
    ]
    bad = []
    for what, form in ok_cases:
        before = count(srv)
        r = c.post("/signaler", form=form)
        sec.receipt(receipt_of(r))
        if r.status != 201 or count(srv) != before + 1:
            bad.append("%s: %s" % (what, r.brief()))
    for rel, minor in zip(RELATIONS, MINORS):
        r = c.post("/signaler", form=report(tok, token(), relation=rel,
                                            minor=minor))
        sec.receipt(receipt_of(r))
        if r.status != 201:
            bad.append("relation %s minor %s: %s" % (rel, minor, r.brief()))
    t.ok(not bad, "at the limits, accepted: 10 URLs, a 2048-character URL, "
         "5000 characters of description, an IPv6 host, every relation and "
         "minor", *bad)
    rows = query(srv, "SELECT position FROM report_urls WHERE url LIKE "
                 "'https://example.org/dix/%' ORDER BY position")
    t.eq([x[0] for x in rows], list(range(10)), "the 10 URLs are stored in "
         "order, positions 0 to 9")

    # Every category of the list is accepted; its priority is stored.
    bad = []
    c2 = Visitor(srv.port)
    tok2, _, _ = form_of(c2)
    for cat in (CATEGORIES or [])[:25]:
        r = c2.post("/signaler", form=report(tok2, token(), category=cat))
        sec.receipt(receipt_of(r))
        row = last_report(srv) or {}
        if r.status != 201 or row.get("category") != cat or \
                not 1 <= (row.get("priority") or 0) <= 5:
            bad.append("%s: %s %r" % (cat, r.brief(), row))
    t.ok(CATEGORIES and not bad, "every category offered is accepted, with "
         "a priority from 1 to 5", *bad)
    prio = dict(query(srv, "SELECT category, priority FROM reports"))
    t.ok(prio.get("pedocriminalite") == 1 and prio.get("autre") == 5,
         "child sexual abuse has priority 1, « autre » priority 5",
         "%r" % prio)


def refused_bodies(srv, t, sec):
    """CSRF, files and size."""
    c = Visitor(srv.port)
    tok, _, _ = form_of(c)
    before = count(srv)
    r = c.post("/signaler", form=report(None, token()))
    t.ok(r.status == 403 and error_json(r)[0] == "csrf",
         "POST /signaler without csrf is 403 {code: csrf}", r.brief())
    r = c.post("/signaler", form=report(tok + "x", token()))
    t.eq(r.status, 403, "POST /signaler with a wrong csrf is 403", r.brief())
    other = Visitor(srv.port)
    otok, _, _ = form_of(other)
    r = c.post("/signaler", form=report(otok, token()))
    t.eq(r.status, 403, "another visitor's csrf is 403", r.brief())
    r = c.post("/suivi", form={"receipt": "ABCD-EFGH-JKMN"})
    t.ok(r.status == 403 and error_json(r)[0] == "csrf",
         "POST /suivi without csrf is 403", r.brief())

    # Files are never accepted.
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"VIGIE-IMAGE-" + \
        os.urandom(3000) + b"\xff\xd9"
    fields = report(tok, token())
    for what, name in (("a file part « capture »", "capture"),
                       ("a file part named « url »", "url")):
        ctype, body = multipart(fields, [(name, "capture.jpg", "image/jpeg",
                                          jpeg)])
        r = c.request("POST", "/signaler", body=body,
                      headers={"Content-Type": ctype})
        t.ok(r.status == 400 and error_json(r)[0] == "invalid",
             "a multipart report with %s is 400" % what, r.brief())
    tmp = os.path.join(srv.data, "uploads", "tmp")
    left = os.listdir(tmp) if os.path.isdir(tmp) else []
    t.ok(not left, "no upload left in the data directory", "%r" % left)
    t.eq(count(srv), before, "no report stored from a refused body")
    ctype, body = multipart(report(tok, token(), description=sec.text(
        "multipart")))
    r = c.request("POST", "/signaler", body=body,
                  headers={"Content-Type": ctype})
    sec.receipt(receipt_of(r))
    t.eq(r.status, 201, "a multipart report with text fields only is "
         "accepted (201)", r.brief())
    before = count(srv)

    # Size.
    r = c.post("/signaler", form=report(tok, token(), pad="x" * 170000))
    t.ok(r.status == 413 and error_json(r)[0] == "too_large",
         "a report body over 160 KiB is 413", r.brief())
    body = urllib.parse.urlencode(report(tok, token(),
                                         pad="y" * 170000)).encode()
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 8192]),
                                         body[i:i + 8192])
                      for i in range(0, len(body), 8192)) + b"0\r\n\r\n"
    cookie = "; ".join("%s=%s" % kv for kv in c.cookies.items())
    raw = raw_request(srv.port, (
        "POST /signaler HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: "
        "application/json\r\nContent-Type: application/x-www-form-urlencoded"
        "\r\nTransfer-Encoding: chunked\r\nCookie: %s\r\nConnection: close"
        "\r\n\r\n" % cookie).encode() + chunks)
    status = raw.split(b" ", 2)[1] if raw.startswith(b"HTTP/") else raw[:40]
    t.eq(status, b"413", "a chunked report body over 160 KiB (no "
         "Content-Length) is 413")
    t.eq(count(srv), before, "no report stored from a body too large")


def platforms(srv, t, sec):
    c = Visitor(srv.port)
    tok, _, _ = form_of(c)
    want = [
        ("https://m.facebook.com/groups/1/posts/plateforme-a",
         "m.facebook.com", "Facebook"),
        ("https://notfacebook.com/plateforme-b", "notfacebook.com", None),
        ("https://youtu.be/plateforme-c", "youtu.be", "YouTube"),
        ("HTTPS://WWW.YOUTUBE.COM/watch?v=plateforme-d", "www.youtube.com",
         "YouTube"),
        ("https://facebook.com.example.net/plateforme-e",
         "facebook.com.example.net", None),
        ("https://user:motdepasse@www.tiktok.com:443/@x/video/plateforme-f",
         "www.tiktok.com", "TikTok"),
        ("https://t.co/plateforme-g", "t.co", "X (Twitter)"),
        ("http://facebook.com/plateforme-h", "facebook.com", "Facebook"),
        ("https://my-youtube.com/plateforme-i", "my-youtube.com", None),
    ]
    r = c.post("/signaler", form=report(tok, token(),
                                        urls=[u for u, _, _ in want]))
    sec.receipt(receipt_of(r))
    t.eq(r.status, 201, "a report with 9 URLs of various platforms",
         r.brief())
    got = query(srv, "SELECT position, url, host, platform FROM report_urls "
                "WHERE url LIKE '%plateforme-%' ORDER BY position")
    wanted = [(i, u, h, p) for i, (u, h, p) in enumerate(want)]
    bad = [("want %r" % (w,), "got %r" % (g,))
           for w, g in itertools.zip_longest(wanted, got) if w != g]
    t.ok(not bad, "report_urls: host and platform recognised on a label "
         "boundary (m.facebook.com is Facebook, notfacebook.com and "
         "facebook.com.example.net are not, youtu.be is YouTube)",
         *["%s / %s" % x for x in bad])


def follow(srv, t, sec, receipts):
    """/suivi: the form, the code typed in every way, wrong and malformed
    codes.  Returns the receipts it made."""
    made = []
    c = Visitor(srv.port)
    r = c.get("/suivi")
    j = r.json() or {}
    t.ok(r.status == 200 and j.get("csrf"), "GET /suivi (JSON) is 200 with "
         "a csrf token", r.brief())
    h = Visitor(srv.port, json_=False)
    r = h.get("/suivi")
    t.eq(r.status, 200, "GET /suivi (HTML) is 200")
    check_security(t, r, "GET /suivi")
    html_checks(t, "/suivi", r)
    tags = parse_tags(r.text)
    t.ok(any(tag == "form" and a.get("action") == "/suivi" and
             a.get("method", "").lower() == "post"
             for tag, a, _ in tags.tags) and
         any(tag == "input" and a.get("name") == "receipt"
             for tag, a, _ in tags.tags) and hidden(tags, "csrf"),
         "/suivi is a POST form with a receipt input and a hidden csrf")

    code = receipts[0] if receipts else "0000-0000-0000"

    def look(v, typed, html_=False):
        tok = v.csrf("/suivi")
        return v.post("/suivi", form={"receipt": typed, "csrf": tok},
                      json_=not html_)

    v = Visitor(srv.port)
    r = look(v, code)
    rep = (r.json() or {}).get("report") or {}
    t.eq(r.status, 200, "POST /suivi with the code is 200", r.brief())
    t.ok(set(rep) >= {"status", "status_label", "updated_at", "outcome",
                      "outcome_label"} and rep.get("status") == "nouveau" and
         rep.get("status_label") and rep.get("outcome") is None and
         rep.get("outcome_label") is None,
         "the answer is {status: nouveau, status_label, updated_at, outcome: "
         "null, outcome_label: null}", "%r" % rep)
    t.ok(rep.get("updated_at") in todays(), "updated_at is a date, today's",
         "%r" % rep.get("updated_at"))
    t.ok(not re.search(r"category|url|description|contact|minor|relation",
                       r.text), "the follow-up shows nothing of the report's "
         "content", r.text[:300])
    forms = [("in lower case without dashes", code.lower().replace("-", "")),
             ("with spaces instead of dashes", code.replace("-", " ")),
             ("with spaces around", "  %s  " % code.lower())]
    bad = []
    for what, typed in forms:
        r = look(v, typed)
        if r.status != 200 or ((r.json() or {}).get("report") or {}).get(
                "status") != "nouveau":
            bad.append("%s (%r): %s" % (what, typed, r.brief()))
    t.ok(not bad, "the code is found typed in lower case, without dashes, "
         "with spaces", *bad)

    # O for 0 and I or L for 1: reports until codes with a 0 and a 1.
    w = Visitor(srv.port)
    tok, _, _ = form_of(w)
    with0 = with1 = None
    for _ in range(28):
        if with0 and with1:
            break
        x = receipt_of(w.post("/signaler", form=report(tok, token())))
        sec.receipt(x)
        made.append(x)
        if x and "0" in x and not with0:
            with0 = x
        elif x and "1" in x and not with1:
            with1 = x
    bad = []
    v2 = Visitor(srv.port)
    typed = []
    if with0:
        typed += [("O for 0", with0.replace("0", "O")),
                  ("o for 0, lower case", with0.replace("0", "o").lower())]
    if with1:
        typed += [("I for 1", with1.replace("1", "I")),
                  ("l for 1, lower case", with1.replace("1", "l").lower()),
                  ("L for 1", with1.replace("1", "L"))]
    for what, x in typed:
        r = look(v2, x)
        if r.status != 200:
            bad.append("%s (%r): %s" % (what, x, r.brief()))
    t.ok(with0 and with1 and not bad, "the code is found with O for 0, and "
         "I or L for 1 (codes %s, %s)" % (with0, with1), *bad)

    # Unknown and malformed codes: the same 404.
    last = ALPHABET[(ALPHABET.index(code[-1]) + 1) % 32]
    wrong = code[:-1] + last
    v3 = Visitor(srv.port)
    ref = look(v3, wrong)
    code_, msg, field = error_json(ref)
    t.ok(ref.status == 404 and code_ == "not_found" and field == "receipt"
         and msg and re.search(r"Aucun signalement", msg),
         "an unknown code is 404 {field: receipt} with a French message",
         ref.brief())
    bad = []
    for typed in ("ZZZZ", "ABCD-EFGH-JKMU", "ABCD-EFGH-JKMN-P", "<script>",
                  "ABCD_EFGH_JKMN", "%s0" % code):
        r = look(v3, typed)
        if r.status != ref.status or r.body != ref.body:
            bad.append("%r: %s" % (typed, r.brief()))
    t.ok(not bad, "malformed codes (short, with U, 13 characters, <script>, "
         "underscores, too long) get exactly the answer of an unknown code",
         "unknown code: %s" % ref.brief(), *bad)
    v4 = Visitor(srv.port)
    r = v4.post("/suivi", form={"csrf": v4.csrf("/suivi")})
    t.ok(r.status == 400 and error_json(r)[2] == "receipt",
         "POST /suivi without a code is 400 {field: receipt}", r.brief())
    r = v4.get("/suivi?receipt=%s" % urllib.parse.quote(code))
    t.ok(r.status == 200 and "report" not in (r.json() or {}),
         "GET /suivi?receipt=CODE shows no report (a code never goes in a "
         "URL)", r.brief())

    # In HTML.
    hv = Visitor(srv.port, json_=False)
    r = look(hv, code.lower(), html_=True)
    tags = parse_tags(r.text)
    text = french_text(r)
    t.ok(r.status == 200 and rep.get("status_label") and
         rep["status_label"] in text and 'role="status"' in r.text,
         "/suivi (HTML) with the code shows the status label in a "
         "role=status box", r.brief())
    t.ok(code not in r.text and code.lower() not in r.text,
         "the code typed is not written back into the page")
    r = look(hv, wrong, html_=True)
    tags = parse_tags(r.text)
    t.ok(r.status == 404 and 'role="alert"' in r.text and
         "Aucun signalement" in french_text(r) and any(
             tag == "input" and a.get("name") == "receipt" and
             a.get("aria-invalid") == "true" for tag, a, _ in tags.tags),
         "/suivi (HTML) with a wrong code: 404, the error in role=alert, "
         "the input aria-invalid", r.brief())
    check_security(t, r, "/suivi with an error")
    return [x for x in made if x]


def html_errors(srv, t, sec):
    """The form again after an error: the answers kept, escaped."""
    h = Visitor(srv.port, json_=False)
    page = h.get("/signaler")
    tags = parse_tags(page.text)
    sub, tok = hidden(tags, "submission")[0], hidden(tags, "csrf")[0]
    sec.submission(sub)
    mark = sec.text("script")
    desc = "<script>alert('%s')</script> & « guillemets » \"doubles\"" % mark
    where, contact, safe = (sec.text("ou"), sec.text("contact"),
                            sec.text("prudence"))
    form = report(tok, sub, urls=["", "", ""], category="menaces",
                  minor="ne-sais-pas", relation="victime", description=desc,
                  seen_where=where, seen_on="2026-11-01", contact=contact,
                  contact_safe=safe)
    r = h.post("/signaler", form=form)
    tags = parse_tags(r.text)
    t.ok(r.status == 400 and "text/html" in (r.header("content-type") or ""),
         "a report without a URL (HTML) is a 400 page", r.brief())
    check_security(t, r, "/signaler with an error")
    html_checks(t, "/signaler with an error", r)
    m = re.search(r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>',
                  r.text, re.S)
    t.ok(m and "Il y a un problème" in html.unescape(m.group(1)) and
         "adresse" in html.unescape(m.group(1)),
         "a French summary in role=alert names the problem",
         m.group(0) if m else r.text[:500])
    t.ok(any(tag == "fieldset" and "url-erreur" in a.get(
        "aria-describedby", "") for tag, a, _ in tags.tags) and
         'id="url-erreur"' in r.text,
         "the URL fieldset is described by its error (url-erreur)")
    ta = textarea(r.text, "description")
    t.ok(ta is not None and html.unescape(ta) == desc and "<script>" not in
         ta and "<script>alert" not in r.text,
         "the description is kept in the textarea, escaped (no <script> in "
         "the page)", "textarea %r" % ta)
    t.eq(hidden(tags, "submission"), [sub], "the same submission token is "
         "kept, so a resend stays one report")
    t.eq(checked(tags, "category"), ["menaces"], "the category stays "
         "checked")
    t.eq(checked(tags, "relation"), ["victime"], "the relation stays "
         "checked")
    t.eq(checked(tags, "minor"), ["ne-sais-pas"], "the answer « Je ne sais "
         "pas » to the minor question stays checked")
    t.ok(input_value(tags, "seen_where") == where and
         input_value(tags, "contact") == contact and
         input_value(tags, "contact_safe") == safe and
         input_value(tags, "seen_on") == "2026-11-01",
         "seen_where, the date, contact and contact_safe are kept",
         "%r" % [input_value(tags, x) for x in ("seen_where", "seen_on",
                                                "contact", "contact_safe")])

    # A URL with markup, kept after an error on another field.
    evil = "https://example.org/\"><script>alert('url')</script>"
    form2 = report(tok, sub, urls=[evil, ""], category="menaces",
                   minor="non", relation=None, description=desc)
    r = h.post("/signaler", form=form2)
    tags = parse_tags(r.text)
    kept = [a.get("value") for tag, a, _ in tags.tags if tag == "input" and
            a.get("name") == "url" and a.get("value")]
    t.ok(r.status == 400 and error_json(h.post(
        "/signaler", form=form2, json_=True))[2] == "relation",
         "a missing relation is 400 {field: relation}", r.brief())
    t.ok(kept == [evil] and "<script>alert('url')" not in r.text,
         "the URL typed is kept in a url input, escaped", "%r" % kept)
    t.ok(any(tag == "fieldset" and "relation-erreur" in a.get(
        "aria-describedby", "") for tag, a, _ in tags.tags),
         "the relation fieldset is described by its error")
    # Corrected: sent with the same token, a report.
    before = count(srv)
    form3 = report(tok, sub, urls=[evil, "", ""], category="menaces",
                   minor="non", relation="victime", description=desc,
                   seen_where=where, contact=contact, contact_safe=safe)
    r = h.post("/signaler", form=form3)
    code = html_receipt(r)
    sec.receipt(code)
    t.ok(r.status == 201 and code and count(srv) == before + 1,
         "corrected and sent again with the same token: 201, a code",
         r.brief())
    urls = query(srv, "SELECT url FROM report_urls WHERE report_id = "
                 "(SELECT max(id) FROM reports)")
    t.eq(urls, [(evil,)], "the URL is stored as typed")


def query_strings(srv, t, sec):
    c = Visitor(srv.port)
    tok, _, _ = form_of(c)
    r = c.post("/signaler?trace=requete-secrete-42",
               form=report(tok, token()))
    sec.receipt(receipt_of(r))
    t.eq(r.status, 201, "POST /signaler?trace=… is accepted (the query is "
         "ignored)", r.brief())


def in_the_database(srv, t, sec, when):
    data = srv.data_bytes()
    files = [n for n in ("vigie.db", "vigie.db-wal", "vigie.db-shm")
             if os.path.exists(os.path.join(srv.data, n))]
    found = [what for needle, what in sec.needles()
             if needle.encode() in data]
    addrs = sorted({m.decode() for m in ADDRESS_RE_B.findall(data)})
    t.ok(len(sec.sealed) >= 8 and len(sec.receipts) >= 10 and data,
         "%s: the test wrote reports with texts to look for (%d texts, %d "
         "codes, %d bytes in %s)" % (when, len(sec.sealed),
                                     len(sec.receipts), len(data),
                                     ", ".join(files)))
    t.ok(not addrs, "%s: no client address (127.x.y.z) in the database "
         "files" % when, "%r" % addrs[:5])
    t.ok(not found, "%s: neither the user agent, nor what reporters wrote, "
         "nor a follow-up code, nor a submission token is in the database "
         "files (%d strings)" % (when, len(sec.needles())), *found[:10])
    if when != "while running":
        return
    cols = []
    for table in ("reports", "report_urls", "report_events"):
        cols += ["%s.%s" % (table, r[1]) for r in
                 query(srv, "SELECT * FROM pragma_table_info(?)", (table,))]
    t.ok(cols and not [x for x in cols if re.search(
        r"\bip\b|_ip\b|ip_|addr|agent|client|session|user_id|email",
        x.split(".", 1)[1], re.I)],
         "no column for an address, a user agent, a session or an account "
         "in the report tables", "%r" % cols)


def in_the_log(srv, t, sec):
    err = srv.stderr()
    lines = err.splitlines()
    acc = [(m.group(1), m.group(2), m.group(3), l) for l in lines
           for m in [ACCESS_RE.search(l)] if m]
    sig = {(m, p, s) for m, p, s, _ in acc}
    want = [("POST", "/signaler", s) for s in ("201", "200", "400", "403",
                                               "413")] + \
        [("POST", "/suivi", s) for s in ("200", "404", "400", "403")] + \
        [("GET", "/signaler", "200"), ("GET", "/suivi", "200")]
    t.ok(all(w in sig for w in want), "the access log has lines « POST "
         "/signaler 201 …ms » (and 200, 400, 403, 413, and /suivi's)",
         "missing %r" % [w for w in want if w not in sig])
    odd = [l for l in lines if ("/signaler" in l or "/suivi" in l) and
           not ACCESS_RE.search(l)]
    t.ok(not odd, "every log line about /signaler or /suivi is just "
         "method, path, status, time", *odd[:5])
    t.ok(not any("?" in p for _, p, _, _ in acc) and
         "requete-secrete" not in err,
         "no query string in the access log",
         *[l for _, p, _, l in acc if "?" in p][:3])
    addrs = sorted(set(ADDRESS_RE.findall(err)))
    t.ok(not addrs, "no client address in the server's stderr",
         *[l for l in lines if ADDRESS_RE.search(l)][:3])
    found = [what for needle, what in sec.needles() if needle in err]
    t.ok(not found, "neither the user agent, nor what reporters wrote, nor "
         "a code, nor a token in the server's stderr", *found[:10])


# --- rate limits, on a fresh server ---------------------------------------

def throttle(binary, t):
    srv = Server(binary, "reports-throttle").start()
    try:
        c = Visitor(srv.port, addr="127.0.0.1")
        tok, _, _ = form_of(c)
        statuses = []
        codes = []
        for i in range(30):
            r = c.post("/signaler", form=report(tok, token()))
            statuses.append(r.status)
            codes.append(receipt_of(r))
        t.eq(statuses, [201] * 30, "a fresh server: 30 reports from one "
             "address in a row are 201")
        r = c.post("/signaler", form=report(tok, token()))
        code, msg, _ = error_json(r)
        t.ok(r.status == 429 and code == "too_many_attempts" and msg and
             re.search(r"signalements", msg),
             "the 31st report within the hour is 429 with a French message",
             r.brief())
        h = Visitor(srv.port, json_=False, addr="127.0.0.1")
        h.cookies = dict(c.cookies)
        r = h.post("/signaler", form=report(tok, token()))
        t.ok(r.status == 429 and 'role="alert"' in r.text and
             "Réessayez" in french_text(r),
             "in HTML, the form comes back with the 429 message in "
             "role=alert", r.brief())
        t.eq(count(srv), 30, "30 reports stored, no more")
        o = Visitor(srv.port, addr="127.0.0.2")
        otok, _, _ = form_of(o)
        r = o.post("/signaler", form=report(otok, token()))
        t.eq(r.status, 201, "another address can still report", r.brief())

        # /suivi: 10 look-ups in 10 minutes.
        good = codes[0] or "0000-0000-0000"
        wrong = good[:-1] + ALPHABET[(ALPHABET.index(good[-1]) + 1) % 32]
        statuses = []
        for i in range(10):
            r = c.post("/suivi", form={"receipt": wrong, "csrf": tok})
            statuses.append(r.status)
        t.eq(statuses, [404] * 10, "10 wrong codes from one address: 404 "
             "each")
        r = c.post("/suivi", form={"receipt": good, "csrf": tok})
        code, msg, field = error_json(r)
        t.ok(r.status == 429 and code == "too_many_attempts" and
             field == "receipt" and msg and re.search(r"Patientez", msg),
             "the 11th look-up, even with the right code, is 429 with a "
             "French message", r.brief())
        r = o.post("/suivi", form={"receipt": good, "csrf": otok})
        t.eq(r.status, 200, "another address finds the code", r.brief())
    finally:
        srv.check_stop(t)
        err, data = srv.stderr(), srv.data_bytes()
        t.ok(not ADDRESS_RE.search(err) and not ADDRESS_RE_B.search(data)
             and AGENT not in err and AGENT.encode() not in data,
             "after 429s: neither 127.0.0.1, 127.0.0.2 nor the user agent in "
             "the server's stderr or database",
             *[l for l in err.splitlines() if ADDRESS_RE.search(l)][:3])
        srv.cleanup()


# --- SIGKILL during a stream of reports -----------------------------------

THREADS = 8
RUN_FOR = 2.0
PER_ADDRESS = 25        # reports per address, under the limit of 30


def sigkill(binary, t):
    srv = Server(binary, "reports-kill").start()
    after = None
    try:
        c = Visitor(srv.port)
        tok, _, _ = form_of(c)
        cookie = "; ".join("%s=%s" % kv for kv in c.cookies.items())
        acked = []          # (submission, receipt, time of the answer)
        sent = [0]
        odd = []
        lock = threading.Lock()
        stop = threading.Event()

        def worker(k):
            conn, n = None, 0
            while not stop.is_set():
                if conn is None or n % PER_ADDRESS == 0:
                    if conn is not None:
                        conn.close()
                    conn = http.client.HTTPConnection(
                        "127.0.0.1", srv.port, timeout=20,
                        source_address=(new_address(), 0))
                sub = token()
                body = urllib.parse.urlencode(report(
                    tok, sub, urls=["https://example.org/kill/%d/%d" %
                                    (k, n)],
                    description="rapport %d/%d" % (k, n))).encode()
                with lock:
                    sent[0] += 1
                try:
                    conn.request("POST", "/signaler", body=body, headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Accept": "application/json", "Cookie": cookie,
                        "User-Agent": AGENT})
                    r = conn.getresponse()
                    data = r.read()
                except (OSError, http.client.HTTPException):
                    break       # the server is gone
                n += 1
                if r.status == 201:
                    code = receipt_of(harness.Response(r.status, r.reason,
                                                       [], data))
                    with lock:
                        acked.append((sub, code, time.monotonic()))
                else:
                    with lock:
                        odd.append("%d %r" % (r.status, data[:200]))
                    break
            if conn is not None:
                conn.close()

        ths = [threading.Thread(target=worker, args=(k,))
               for k in range(THREADS)]
        for th in ths:
            th.start()
        time.sleep(RUN_FOR)
        killed_at = time.monotonic()
        srv.signal(signal.SIGKILL)
        srv.proc.wait(15)
        stop.set()
        for th in ths:
            th.join(30)
        rc, err, _ = srv.stop()
        t.eq(rc, -signal.SIGKILL, "the server was killed by SIGKILL")
        rep = sanitizer_report(err)
        t.ok(not rep, "no sanitizer report before the kill", *rep[:10])
        t.ok(not odd, "before the kill, every report got 201", *odd[:5])
        late = [x for x in acked if x[2] > killed_at - 0.2]
        t.ok(len(acked) >= 2 * THREADS, "%d reports acknowledged (201) by "
             "%d clients in %.1f s (%d in the last 0.2 s), %d sent" % (
                 len(acked), THREADS, RUN_FOR, len(late), sent[0]))

        after = Server(binary, "reports-kill-after", init=False)
        after.data = srv.data
        after.start()
        n = count(after)
        t.ok(len(acked) <= n <= sent[0], "after the restart, reports ≥ "
             "acknowledged (%d ≥ %d) and ≤ sent (%d)" % (n, len(acked),
                                                        sent[0]))
        ic = query(after, "PRAGMA integrity_check")
        t.eq(ic, [("ok",)], "PRAGMA integrity_check is ok")
        fk = query(after, "PRAGMA foreign_key_check")
        t.eq(fk, [], "PRAGMA foreign_key_check finds nothing")
        halves = query(after, "SELECT count(*) FROM reports r WHERE (SELECT "
                       "count(*) FROM report_urls u WHERE u.report_id = r.id)"
                       " != 1 OR (SELECT count(*) FROM report_events e WHERE "
                       "e.report_id = r.id AND e.kind = 'created') != 1")
        t.eq(halves[0][0], 0, "every report has its URL and its 'created' "
             "event (never half a report)")

        # Every acknowledged code, through /suivi, ten per address.
        codes = [x[1] for x in acked]
        missing = []
        v = None
        for i, code in enumerate(codes):
            if i % 10 == 0:
                v = Visitor(after.port)
                vtok = v.csrf("/suivi")
            r = v.post("/suivi", form={"receipt": code, "csrf": vtok})
            if r.status != 200:
                missing.append("%s: %s" % (code, r.brief()))
        t.ok(codes and not missing, "every acknowledged code (%d, the last "
             "ones included) is found by /suivi after the restart" %
             len(codes), "%d missing" % len(missing), *missing[:8])
        # The last forms sent again: the same code, no new report.
        v = Visitor(after.port)
        vtok, _, _ = form_of(v)
        before = count(after)
        bad = []
        for sub, code, _ in acked[-8:]:
            r = v.post("/signaler", form=report(vtok, sub))
            if r.status != 200 or receipt_of(r) != code:
                bad.append("%s: %s" % (code, r.brief()))
        t.ok(not bad and count(after) == before, "the last 8 acknowledged "
             "forms sent again after the restart: 200, the same code, no new "
             "report", *bad)
        t.eq(v.get("/signaler").status, 200, "the restarted server serves "
             "/signaler")
    finally:
        if after is not None:
            after.check_stop(t)
            after.cleanup()
        srv.cleanup()


GROUPS = [("reports", group_reports)]
