"""
test_scan.py — the stalkerware scanner: `vigie scan` and `vigie iocs
check` on captures built here (tests/scan/pcapgen.py) and on adb outputs,
against the real indicators (../shared/data/stalkerware-indicators, read
from there, never copied into the project), and the page
/verification-telephone.
"""
import csv
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile

from harness import PASSWORD, Server, check_security
from test_resources import multipart

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "scan"))
import pcapgen as pg  # noqa: E402

IOCS = os.environ.get("VIGIE_TEST_IOCS") or os.path.normpath(
    os.path.join(ROOT, "..", "shared", "data", "stalkerware-indicators"))
PRO = "pro@vigie.test"
PRO2 = "autre.pro@vigie.test"

# An Android 12 phone's `pm list packages -f -i -U`, CR LF as older adb
# writes it, with TheTruthSpy's package and FamiSafe (watchware).
PM_LIST = (
    "package:/system/app/Bluetooth/Bluetooth.apk=com.android.bluetooth  "
    "installer=null uid:1002\r\n"
    "package:/data/app/~~x8Gq0aPN3xGy1bzT4AWp7w==/com.whatsapp-Hd2cwG"
    "sUaTl0fKtP6DEpDw==/base.apk=com.whatsapp  installer=com.android."
    "vending uid:10187\r\n"
    "package:/data/app/~~Qn4wU1FJ4cMmYt0o1bd2=A==/com.thetruth-5bXs1c"
    "LO0CvHq9hYV2dVjw==/base.apk=com.thetruth  installer=null "
    "uid:10211\r\n"
    "package:/data/app/~~d9V0QCcn5xYxXSr6VtF0bQ==/com.wondershare."
    "famisafe-6cVN0Ef4mJOq6ZHSg6Ha4Q==/base.apk=com.wondershare.famisafe"
    "  installer=com.android.vending uid:10212\r\n"
    "package:/data/app/~~Lk3ql9l7r3rOSq2w5Z2ycw==/com.thetruthx-AbC==/"
    "base.apk=com.thetruthx  installer=null uid:10213\r\n"
    "package:/product/app/Maps/Maps.apk=com.google.android.apps.maps  "
    "installer=null uid:10150\r\n")

PM_CLEAN = ("package:com.android.bluetooth\npackage:com.whatsapp\n"
            "package:com.google.android.apps.maps\npackage:fr.laposte."
            "digiposte\n")


def dumpsys(cert):
    """`adb shell dumpsys package` cut down to its shape (Android 11), a
    mediator's note of the certificate digest (apksigner) in the block of
    an app with an innocent name."""
    return """Database versions:
  Internal:
    sdkVersion=30 databaseVersion=3
    fingerprint=samsung/a51nsxx/a51:11/RP1A.200720.012/A515FXXU4DUB1:user/release-keys

Key Set Manager:
  [com.android.settings]
      Signing KeySets: 1
  [com.samsung.systemservice]
      Signing KeySets: 52

Packages:
  Package [com.android.settings] (d2f5a3c):
    userId=1000
    sharedUser=SharedUserSetting{b7b6c2f android.uid.system/1000}
    pkg=Package{9c6a1e4 com.android.settings}
    codePath=/system/priv-app/SecSettings
    versionCode=1200000000 minSdk=30 targetSdk=30
    signatures=PackageSignatures{5c3cc0d version:3, signatures:[8b9e0c2a], past signatures:[]}
    installPermissionsFixed=true
  Package [com.samsung.systemservice] (74a1f0e):
    userId=10244
    pkg=Package{1e2d3c4 com.samsung.systemservice}
    codePath=/data/app/~~mWq==/com.samsung.systemservice-1==
    versionCode=54 minSdk=19 targetSdk=28
    timeStamp=2026-10-02 21:14:09
    firstInstallTime=2026-10-02 21:14:10
    signatures=PackageSignatures{a3f9d11 version:2, signatures:[29fd5e02], past signatures:[]}
    Signing certificate SHA-1 digest: %s
    installPermissionsFixed=true

Hidden system packages:
""" % ":".join(cert[i:i + 2] for i in range(0, 40, 2))


def first_app_with(key):
    """The first app of ioc.yaml (read with a small reader of our own, not
    the one under test) that has a non-empty list `key`."""
    apps, cur, section = [], None, None
    with open(os.path.join(IOCS, "ioc.yaml"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^- name\s*:\s*(.+?)\s*$", line)
            if m:
                cur = {"name": m.group(1)}
                apps.append(cur)
                section = None
                continue
            m = re.match(r"^  (\w+):\s*$", line)
            if m and cur is not None:
                section = m.group(1)
                continue
            m = re.match(r"^    (\w+):\s*$", line)
            if m and cur is not None and section == "c2":
                section = "c2." + m.group(1)
                continue
            m = re.match(r"^ {2,6}- (\S+)\s*$", line)
            if m and cur is not None and section:
                cur.setdefault(section, []).append(m.group(1))
    for a in apps:
        if a.get(key):
            return a
    raise AssertionError("no app with %s" % key)


def scan(srv, *args):
    return srv.cli("scan", "--iocs", IOCS, *args, timeout=120)


def write(root, name, data):
    path = os.path.join(root, name)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    return path


def findings(r):
    try:
        return json.loads(r.stdout).get("findings", [])
    except ValueError:
        return []


def lists(srv, t):
    """App lists: pm list packages with -f -i -U and CR LF, dumpsys
    package with a certificate digest, a sha256sum list of APKs."""
    root = srv.root
    r = scan(srv, "--json", write(root, "applications.txt", PM_LIST))
    f = findings(r)
    j = json.loads(r.stdout or "{}")
    t.eq(r.returncode, 1, "an app list with a spy app: exit 1", r.stderr)
    t.ok(set(j) >= {"iocs", "inputs", "findings"} and
         set(j["iocs"]) >= {"version", "apps"} and j["iocs"]["apps"] > 150,
         "the JSON has iocs (version, apps), inputs and findings",
         r.stdout[:300])
    spy = [x for x in f if x["app"] == "TheTruthSpy"]
    t.ok(len(spy) == 1 and spy[0]["kind"] == "package" and
         spy[0]["indicator"] == "com.thetruth" and
         spy[0]["observed"] == "com.thetruth" and
         spy[0]["type"] == "stalkerware" and
         spy[0]["evidence"][0].get("line") == 3 and
         "Copy9" in spy[0].get("names", []),
         "TheTruthSpy found by its package, on line 3, with its other "
         "names", json.dumps(spy)[:400])
    fam = [x for x in f if x["app"] == "FamiSafe"]
    t.ok(len(fam) == 1 and fam[0]["type"] == "watchware",
         "FamiSafe reported as watchware", json.dumps(f)[:300])
    t.ok(not any(x["observed"] == "com.thetruthx" for x in f) and
         len(f) == 2, "a look-alike package name is not a match",
         json.dumps([x["observed"] for x in f]))
    inp = j.get("inputs", [{}])[0]
    t.ok(inp.get("format") == "pm-list-packages" and inp.get("items") == 6,
         "the input is recognised as pm list packages, 6 apps read",
         json.dumps(inp))

    r = scan(srv, write(root, "propre.txt", PM_CLEAN))
    t.eq(r.returncode, 0, "a clean list: exit 0", r.stderr)
    t.ok("Aucune application espion connue" in r.stdout and
         "ne prouve pas que le téléphone est sain" in r.stdout and
         "3919" in r.stdout and "Echap" in r.stdout,
         "the French report says nothing was found, that it proves "
         "nothing, and who to call", r.stdout[-600:])

    a = first_app_with("certificates")
    cert = a["certificates"][0].upper()
    r = scan(srv, "--json", write(root, "paquets.txt", dumpsys(cert)))
    f = findings(r)
    t.ok(r.returncode == 1 and any(
        x["kind"] == "certificate" and x["indicator"].upper() == cert and
        x["evidence"][0].get("package") == "com.samsung.systemservice"
        for x in f), "dumpsys package: the signing certificate of %s "
        "found under an innocent name" % a["name"],
        r.stderr, json.dumps(f)[:400])
    inp = (json.loads(r.stdout or "{}").get("inputs") or [{}])[0]
    t.ok(inp.get("format") == "dumpsys-package" and inp.get("items") == 2,
         "dumpsys package recognised, 2 packages read", json.dumps(inp))

    with open(os.path.join(IOCS, "samples.csv"), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    sample = rows[0]
    text = ("%s  /sdcard/Download/maj-systeme.apk\n"
            "%s  /sdcard/Download/photo.apk\n" %
            (sample["SHA256"], "ab" * 32))
    r = scan(srv, "--json", write(root, "apk.sha256", text))
    f = findings(r)
    t.ok(r.returncode == 1 and len(f) == 1 and f[0]["kind"] == "sample" and
         f[0]["indicator"] == sample["SHA256"] and
         f[0]["observed"] == sample["SHA256"].lower(),
         "an APK's SHA-256 matched against samples.csv", r.stderr,
         json.dumps(f)[:300])

    r = scan(srv, "--json", write(root, "bom.txt", "\ufeff" + PM_LIST))
    t.ok(r.returncode == 1 and any(x["observed"] == "com.thetruth"
                                   for x in findings(r)),
         "a list saved with a byte order mark is read", r.stdout[:300])
    r = scan(srv, "--json", write(root, b"liste-\xe9.txt".decode(
        "utf-8", "surrogateescape"), PM_LIST))
    j = json.loads(r.stdout or "{}")
    t.ok(r.returncode == 1 and j.get("inputs", [{}])[0].get("name", "")
         .endswith("liste-?.txt") and findings(r),
         "a file name that is not UTF-8 is read, shown with '?'",
         r.stderr, r.stdout[:200])

    r = scan(srv, write(root, "notes.txt", "Bonjour\nrien à voir\n"))
    t.ok(r.returncode == 2 and "format non reconnu" in r.stderr and
         r.stderr.count("\n") == 1, "an unknown input: exit 2, one line",
         r.stderr)
    r = scan(srv, os.path.join(root, "absent.pcap"))
    t.ok(r.returncode == 2 and "absent.pcap" in r.stderr,
         "a missing file: exit 2 naming it", r.stderr)
    r = srv.cli("scan", write(root, "x.txt", PM_LIST),
                env={"VIGIE_IOCS": ""})
    t.ok(r.returncode == 2 and "--iocs" in r.stderr,
         "no indicators folder: exit 2 saying how to give one", r.stderr)


def broken_iocs(srv, t):
    """`vigie iocs check`: the real folder is valid; a broken copy names
    the file and line; `vigie scan` refuses it in one line."""
    r = srv.cli("iocs", "check", IOCS)
    t.ok(r.returncode == 0 and "Dossier valide" in r.stdout and
         "174 applications" in r.stdout,
         "the real indicators folder is valid", r.stdout, r.stderr)
    bad = tempfile.mkdtemp(prefix="vigie-iocs-")
    try:
        for n in ("ioc.yaml", "watchware.yaml", "samples.csv"):
            shutil.copy(os.path.join(IOCS, n), bad)
        with open(os.path.join(bad, "ioc.yaml"), "a") as f:
            n = sum(1 for _ in open(os.path.join(IOCS, "ioc.yaml")))
            f.write("\n- name: Cassé\n  type: stalkerware\n  c2:\n"
                    "    domains:\n    - pas un domaine\n")
        r = srv.cli("iocs", "check", bad)
        t.ok(r.returncode == 1 and re.search(r"ioc\.yaml:%d: Cassé : « pas "
                                             r"un domaine »" % (n + 2),
                                             r.stdout),
             "a broken folder: exit 1, the file and line named", r.stdout)
        r = srv.cli("scan", "--iocs", bad, write(srv.root, "y.txt",
                                                 PM_LIST))
        t.ok(r.returncode == 2 and r.stderr.count("\n") == 1 and
             "ioc.yaml:%d:" % (n + 2) in r.stderr,
             "scan refuses a malformed indicators file in one line",
             r.stderr)
        os.remove(os.path.join(bad, "samples.csv"))
        r = srv.cli("iocs", "check", bad)
        t.ok(r.returncode == 2 and "samples.csv" in r.stderr,
             "a missing file: exit 2", r.stderr)
    finally:
        shutil.rmtree(bad)


def capture(srv, t):
    """A capture of a phone: DNS (compressed, CNAME), TLS split over
    segments, HTTP, IPv6, look-alikes that must not match."""
    a = first_app_with("c2.domains")
    c2 = a["c2.domains"][0]
    ipapp = first_app_with("c2.ips")
    c2ip = ipapp["c2.ips"][0]
    cap = pg.Capture(pg.LINKTYPE_ETHERNET)
    cap.add(pg.dns_query_frame("www.wikipedia.org"))
    cap.add(pg.dns_query_frame("sync." + c2))
    cap.add(pg.dns_response_frame("sync." + c2, answers=[
        ("CNAME", "edge.cdn.example.net"), "198.51.100.77"]))
    for _ in range(3):
        cap.add(pg.tcp_frame(b"\x00" * 40, dst="198.51.100.77", dport=443))
    cap.add(pg.dns_query_frame("not" + c2))
    cap.add(pg.dns_query_frame(c2 + ".evil.example"))
    cap.extend(pg.tls_client_hello_frames("API." + c2, segments=3,
                                          pq=True, dst="203.0.113.9"))
    cap.add(pg.http_get_frame("upload." + c2, port=8080))
    cap.add(pg.dns_query_frame("v6." + c2, src=pg.CLIENT6,
                               dst=pg.RESOLVER6, qtype="AAAA"))
    cap.add(pg.tcp_frame(b"x" * 20, dst=c2ip, dport=443))
    cap.add(pg.tcp_frame(b"x" * 20, dst=c2ip, dport=443))
    path = os.path.join(srv.root, "telephone.pcap")
    cap.write_pcap(path)
    html = os.path.join(srv.root, "rapport.html")
    r = scan(srv, "--json", "--html", html, path)
    f = findings(r)
    t.eq(r.returncode, 1, "a capture with a spy app's traffic: exit 1",
         r.stderr)
    obs = {(x["kind"], x["observed"]) for x in f}
    want = {("domain", "sync." + c2), ("domain", "api." + c2),
            ("domain", "upload." + c2), ("domain", "v6." + c2),
            ("ip", c2ip)}
    t.ok(want <= obs, "DNS, TLS (split in 3 segments), HTTP, IPv6 and an "
         "address of the indicators all found", sorted(obs))
    t.ok(not any(o in ("not" + c2, c2 + ".evil.example")
                 for _, o in obs),
         "look-alike names do not match", sorted(obs))
    sync = [x for x in f if x["observed"] == "sync." + c2]
    ev = sync[0]["evidence"] if sync else []
    traffic = [e for e in ev if e.get("what") == "traffic"]
    t.ok(sync and sync[0]["indicator"] == c2 and sync[0]["list"] == "c2" and
         sync[0]["confidence"] == "high" and
         any(e.get("what") == "dns" and e.get("packet") == 2 and
             e.get("time", "").endswith("Z") for e in ev) and
         traffic and traffic[0].get("destination") == "198.51.100.77" and
         traffic[0].get("packets") == 3,
         "a subdomain: the indicator and the observed name, the DNS "
         "packet with its time, and the 3 packets to the answered address "
         "(through a CNAME)", json.dumps(sync)[:800])
    ipf = [x for x in f if x["kind"] == "ip"]
    t.ok(ipf and ipf[0]["count"] == 2 and ipf[0]["app"] == ipapp["name"],
         "an indicator's address: 2 packets", json.dumps(ipf)[:300])
    with open(html, encoding="utf-8") as fh:
        page = fh.read()
    t.ok("<html lang=\"fr\"" in page and a["name"] in page and
         "Que faire maintenant" in page and "ne prouve pas" in page and
         not re.search(r"<(script|link|img)\b", page) and
         "sync." + c2 in page,
         "--html writes a self-contained French page (no script, link or "
         "image), with the app and the evidence", page[:300])

    # A website only (a search, maybe): clues, not a sure verdict.
    w = first_app_with("websites")
    wc = pg.Capture(pg.LINKTYPE_ETHERNET)
    wc.add(pg.dns_query_frame("www." + w["websites"][0]))
    wpath = os.path.join(srv.root, "site.pcap")
    wc.write_pcap(wpath)
    r = scan(srv, wpath)
    t.ok(r.returncode == 1 and "Des indices à vérifier" in r.stdout and
         "Des traces d'une application espion" not in r.stdout,
         "a visit to a vendor's website gives clues to check, not a "
         "verdict", r.stdout[:400])
    # An indicator's address also answered for an indicator's name: both
    # findings count the packets.
    tc = pg.Capture(pg.LINKTYPE_ETHERNET)
    tc.add(pg.dns_response_frame("www." + c2, answers=[c2ip]))
    tc.add(pg.tcp_frame(b"x" * 20, dst=c2ip, dport=443))
    tpath = os.path.join(srv.root, "lie.pcap")
    tc.write_pcap(tpath)
    r = scan(srv, "--json", tpath)
    f2 = findings(r)
    t.ok(any(x["kind"] == "ip" and x["observed"] == c2ip and
             x["count"] == 1 for x in f2) and
         any(x["observed"] == "www." + c2 for x in f2),
         "an address tied by DNS still matches as an indicator's address",
         json.dumps([(x["kind"], x["observed"], x["count"]) for x in f2]))

    cap6 = pg.Capture(pg.LINKTYPE_LINUX_SLL)
    cap6.add(pg.dns_query_frame("www." + c2, linktype=pg.LINKTYPE_LINUX_SLL))
    path6 = os.path.join(srv.root, "sll.pcapng")
    cap6.write_pcapng(path6)
    r = scan(srv, "--json", path6)
    j = json.loads(r.stdout or "{}")
    t.ok(r.returncode == 1 and j.get("inputs", [{}])[0].get("format") ==
         "pcapng" and any(x["observed"] == "www." + c2
                          for x in j.get("findings", [])),
         "pcapng with Linux cooked capture", r.stderr, r.stdout[:300])

    r = scan(srv, "--names", path)
    names = r.stdout.split()
    t.ok(r.returncode == 0 and "www.wikipedia.org" in names and
         "api." + c2 in names and names == sorted(names),
         "--names lists every name seen, sorted, lower-case",
         r.stdout[:300])

    # Truncated after the spy app's query: what was read is reported.
    with open(path, "rb") as fh:
        data = fh.read()
    cut = os.path.join(srv.root, "coupee.pcap")
    with open(cut, "wb") as fh:
        fh.write(data[:len(data) - 30])
    r = scan(srv, "--json", cut)
    j = json.loads(r.stdout or "{}")
    inp = (j.get("inputs") or [{}])[0]
    t.ok(r.returncode == 1 and inp.get("error") and
         "paquet" in inp["error"] and inp.get("packets", 0) >= 10 and
         j.get("findings"),
         "a truncated capture: the packets before are reported, then the "
         "error", r.stderr, json.dumps(inp))
    clean = pg.Capture(pg.LINKTYPE_ETHERNET)
    clean.add(pg.dns_query_frame("www.service-public.fr"))
    cpath = os.path.join(srv.root, "propre.pcap")
    clean.write_pcap(cpath)
    with open(cpath, "rb") as fh:
        data = fh.read()
    with open(cut, "wb") as fh:
        fh.write(data[:len(data) - 5])
    r = scan(srv, cut)
    t.ok(r.returncode == 2 and r.stderr.count("\n") == 1 and
         "tronqu" in r.stderr and "La vérification n'a pas pu tout lire"
         in r.stdout, "truncated with nothing found: exit 2, one line, and "
         "the report says it is incomplete", r.stderr, r.stdout[:200])
    odd = bytearray(data)
    odd[20:24] = (147).to_bytes(4, "little")   # LINKTYPE_USER0
    r = scan(srv, write(srv.root, "lien.pcap", bytes(odd)))
    t.ok(r.returncode == 2 and "147" in r.stderr,
         "an unknown link type: exit 2 naming it", r.stderr)


def have_iocs(t):
    """The indicators are real data read from the shared folder next to
    the project; without them the scanner cannot be tested: say so once."""
    ok = os.path.isfile(os.path.join(IOCS, "ioc.yaml"))
    t.ok(ok, "Echap's indicators are readable at %s (else set "
         "VIGIE_TEST_IOCS)" % IOCS)
    return ok


def group_scan_cli(binary, t):
    if not have_iocs(t):
        return
    srv = Server(binary, "scan-cli")
    try:
        lists(srv, t)
        broken_iocs(srv, t)
        capture(srv, t)
    finally:
        srv.cleanup()


def upload(c, tok, files):
    body, ctype = multipart([("csrf", tok)], files)
    return c.post("/verification-telephone", body=body,
                  headers={"Content-Type": ctype})


def web(srv, t):
    anon = srv.client(json_=True)
    r = anon.get("/verification-telephone")
    t.ok(r.status in (401, 403), "anonymous visitors cannot use the page",
         r.brief())
    c = srv.client(json_=True)
    c.login(PRO, PASSWORD)
    r = c.get("/verification-telephone")
    j = r.json() or {}
    check_security(t, r, "GET /verification-telephone")
    t.ok(r.status == 200 and (j.get("iocs") or {}).get("apps", 0) > 150 and
         j.get("iocs", {}).get("version"),
         "the page states the indicators' version", r.brief())
    tok = j.get("csrf")
    r = upload(c, tok, [("fichier", "applications.txt", PM_LIST.encode())])
    j = r.json() or {}
    check_security(t, r, "POST /verification-telephone")
    res = j.get("result") or {}
    t.ok(r.status == 200 and any(x["app"] == "TheTruthSpy"
                                 for x in res.get("findings", [])) and
         (j.get("report") or {}).get("verdict", {}).get("level") ==
         "stalkerware" and j.get("sealed"),
         "an uploaded list gives the same report", r.brief())
    tmp = os.path.join(srv.data, "uploads", "tmp")
    left = os.listdir(tmp) if os.path.isdir(tmp) else []
    t.eq(left, [], "the uploaded file is gone once the report is made")
    db = sqlite3.connect(os.path.join(srv.data, "vigie.db"))
    t.eq(db.execute("SELECT count(*) FROM scan_reports").fetchone()[0], 0,
         "nothing is kept unless asked")
    sealed = j.get("sealed", "")

    h = srv.client()
    h.login(PRO, PASSWORD)
    htok = h.csrf("/verification-telephone")
    body, ctype = multipart([("csrf", htok)],
                            [("fichier", "applications.txt",
                              PM_LIST.encode())])
    r = h.post("/verification-telephone", body=body,
               headers={"Content-Type": ctype})
    t.ok(r.status == 200 and "TheTruthSpy" in r.text and
         "Que faire maintenant" in r.text and
         "Enregistrer dans mon espace" in r.text,
         "the HTML page shows the report and the choice to keep it",
         r.brief())
    r = h.post("/verification-telephone/telecharger",
               form={"csrf": htok, "rapport": sealed})
    t.ok(r.status == 200 and "attachment" in (r.header(
        "content-disposition") or "") and "TheTruthSpy" in r.text and
        "<style>" in r.text, "the report downloads as a self-contained "
        "HTML page", r.brief())

    r = upload(c, tok, [("fichier", "notes.txt", b"rien a voir\n")])
    e = (r.json() or {}).get("error") or {}
    t.ok(r.status == 400 and "format non reconnu" in (e.get("message") or
                                                      ""),
         "an unknown file: 400 with a French message", r.brief())
    r = upload(c, tok, [])
    t.eq(r.status, 400, "no file: 400", r.brief())
    r = c.post("/verification-telephone/enregistrer",
               form={"csrf": tok, "rapport": sealed[:-8] + "AAAAAAAA"})
    t.eq(r.status, 400, "a tampered report is refused", r.brief())
    r = c.post("/verification-telephone/enregistrer",
               form={"csrf": tok, "rapport": sealed,
                     "libelle": "RDV du 23 novembre"})
    sid = ((r.json() or {}).get("saved") or {}).get("id")
    t.ok(r.status in (200, 303) and sid, "the report is kept when asked",
         r.brief())
    row = db.execute("SELECT label, report FROM scan_reports").fetchone()
    t.ok(row and b"TheTruthSpy" not in bytes(row[1]) and
         b"RDV" not in bytes(row[0] if isinstance(row[0], bytes)
                             else row[0].encode()),
         "kept sealed: neither the app nor the label in clear", repr(row)[:80])
    r = c.get("/verification-telephone/rapports/%s" % sid)
    t.ok(r.status == 200 and any(
        x["app"] == "TheTruthSpy" for x in
        ((r.json() or {}).get("result") or {}).get("findings", [])),
        "the kept report reads back", r.brief())
    o = srv.client(json_=True)
    o.login(PRO2, PASSWORD)
    r = o.get("/verification-telephone/rapports/%s" % sid)
    t.eq(r.status, 404, "another professional cannot read it", r.brief())
    r = o.post("/verification-telephone/enregistrer",
               form={"csrf": o.csrf("/verification-telephone"),
                     "rapport": sealed})
    t.eq(r.status, 400, "nor save someone else's report", r.brief())
    r = c.post("/verification-telephone/rapports/%s/suppression" % sid,
               form={"csrf": tok})
    t.ok(r.status in (200, 303), "deleted on request", r.brief())
    r = c.get("/verification-telephone/rapports/%s" % sid)
    t.eq(r.status, 404, "gone after deletion", r.brief())
    db.close()


def group_scan_web(binary, t):
    if not have_iocs(t):
        return
    srv = Server(binary, "scan-web", conf={"iocs": IOCS})
    srv.add_user(PRO, "professional")
    srv.add_user(PRO2, "professional")
    srv.start()
    try:
        web(srv, t)
    finally:
        srv.check_stop(t)
        srv.cleanup()


GROUPS = [("scan-cli", group_scan_cli), ("scan-web", group_scan_web)]
