"""
test_vault.py — the evidence vault (/coffre), the person's half of issue
11: the whole life of a vault (create, open, add a file, a link and a
text, the chronology, a note edited while the evidence cannot be, an
item deleted as a tombstone, the export, the vault deleted then refused);
bad input (wrong passphrase answered like an unknown vault, throttling
after five failures for both, short and mismatched passphrases, an
oversized file, an ELF and a ZIP named .png, control characters, a file
marked as showing a minor, a stale CSRF token), with the rows and files
counted after each refusal; no plaintext in the database or the uploads
folder; shares (read-only, revoked, expired, purged); "report this
content"; and the safety of every response (no-store, no-referrer, the
neutral title, the quick exit, nothing of the visitor in the log).

Everything runs against a real server on loopback, in its own data
folder, with its real SQLite file.
"""
import hashlib
import io
import os
import re
import socket
import sqlite3
import stat
import struct
import subprocess
import time
import zipfile
import zlib

from harness import Server, check_security, error_json, french_text

PASS = "une phrase vraiment secrète 7"
UA = "VaultProbe/4.2 (test)"
TITLE = "Espace personnel"
ID_CHARS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def png(seed=b"vigie"):
    """A small, real PNG whose pixels depend on seed."""
    w, h = 8, 8
    raw = b"".join(b"\x00" + (seed * 64)[y * 24:y * 24 + w * 3]
                   for y in range(h))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def multipart(fields, files):
    """A multipart/form-data body: fields [(name, value)], files
    [(name, filename, bytes)]."""
    boundary = "vigie-vault-boundary-3c1e"
    out = []
    for k, v in fields:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\""
                    "\r\n\r\n" % (boundary, k)).encode() +
                   v.encode("utf-8") + b"\r\n")
    for k, fn, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; "
                    "filename=\"%s\"\r\nContent-Type: application/"
                    "octet-stream\r\n\r\n" % (boundary, k, fn)).encode()
                   + data + b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=%s" % boundary


def add(c, tok, fields=(), files=(), json_=None):
    body, ct = multipart([("csrf", tok)] + list(fields), list(files))
    return c.request("POST", "/coffre/elements", body=body,
                     headers={"Content-Type": ct}, json_=json_)


def db(srv):
    return sqlite3.connect(os.path.join(srv.data, "vigie.db"))


def q(srv, sql, *args):
    con = db(srv)
    try:
        return con.execute(sql, args).fetchone()[0]
    finally:
        con.close()


def vault_files(srv):
    d = os.path.join(srv.data, "uploads", "vault")
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def state(srv):
    """What a refusal must leave unchanged."""
    return (q(srv, "SELECT count(*) FROM vaults"),
            q(srv, "SELECT count(*) FROM vault_items"),
            q(srv, "SELECT count(*) FROM vault_shares"),
            tuple(vault_files(srv)))


def new_vault(srv, json_=True):
    """A client with a fresh vault open; (client, csrf, identifier)."""
    c = srv.client(json_=json_)
    tok = c.csrf("/coffre")
    r = c.post("/coffre", form={"passphrase": PASS,
                                "passphrase_confirm": PASS, "csrf": tok},
               json_=True)
    if r.status != 201:
        raise AssertionError("create: %s" % r.brief())
    return c, tok, r.json()["vault"]["id"]


def opener(srv, vid, passphrase=PASS):
    c = srv.client(json_=True)
    tok = c.csrf("/coffre")
    r = c.post("/coffre/ouvrir", form={"id": vid, "passphrase": passphrase,
                                       "csrf": tok})
    return c, tok, r


# --- the whole life of a vault ----------------------------------------------

def group_vault_life(binary, t):
    srv = Server(binary, "vault-life").start()
    try:
        life(srv, t)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def life(srv, t):
    h = srv.client()
    r = h.get("/coffre")
    t.eq(r.status, 200, "the landing page answers")
    page = french_text(r)
    t.ok("partagé ou surveillé" in page and "3919" in page and
         "3018" in page, "the landing warns about shared or watched phones "
         "and names 3919 and 3018")
    t.ok('name="passphrase_confirm"' in r.text,
         "the create form asks for the passphrase twice")

    # Create, through the HTML form.
    tok = h.csrf("/coffre")
    r = h.post("/coffre", form={"passphrase": PASS,
                                "passphrase_confirm": PASS, "csrf": tok})
    t.eq(r.status, 201, "creating a vault answers 201 with the identifier")
    text = french_text(r)
    t.ok("sans lui et sans votre phrase, personne ne pourra rouvrir ce "
         "coffre, pas même nous" in text, "the identifier page says to "
         "write it down")
    import re
    m = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b",
                  text)
    t.ok(m is not None, "the identifier is shown grouped by four")
    vid = m.group(1) if m else ""
    t.ok(all(ch in ID_CHARS for ch in vid.replace("-", "")),
         "the identifier is Crockford base32 (no I, L, O, U)", vid)
    line = r.cookie("vigie_coffre") or ""
    t.ok("HttpOnly" in line and "SameSite=Strict" in line,
         "the vault cookie is HttpOnly and SameSite=Strict", line)
    t.ok("Path=/coffre;" in line,
         "the vault cookie is sent back only under /coffre", line)

    # JSON creation: {"vault": {"id"}}.
    c, ctok, vid2 = new_vault(srv)
    t.ok(re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", vid2) is not None,
         "POST /coffre answers {vault: {id}} in JSON", vid2)
    t.ok(vid2 != vid, "two vaults get two identifiers")
    t.eq(q(srv, "SELECT count(*) FROM vaults"), 2, "two vault rows")

    # Open the first one from another browser, typed loosely.
    loose = vid.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    o, otok, r = opener(srv, loose)
    t.eq(r.status, 200, "opening with a loosely typed identifier works "
         "(lowercase, spaces, O for 0, L for 1)", r.brief())
    t.eq((r.json() or {}).get("vault"), {"open": True, "readonly": False},
         "the JSON twin of the open says open, not read-only")

    # Add a file, a link and a text.
    img = png(b"life-photo")
    r = add(o, otok, [("facts_date", "2026-11-20"), ("platform", "Instagram"),
                      ("author", "@pseudo"), ("note", "premiere note")],
            [("file", "capture écran.png", img)])
    t.eq(r.status, 201, "a PNG is added", r.brief())
    item1 = (r.json() or {}).get("item", {})
    t.eq(item1.get("seq"), 1, "the first item is seq 1")
    t.eq(item1.get("sha256"), hashlib.sha256(img).hexdigest(),
         "the acknowledged SHA-256 is the file's")
    t.ok(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
                      item1.get("received_at", "")) is not None,
         "received_at is RFC 3339 UTC")
    t.ok(len(item1.get("link", "")) == 64, "a link is acknowledged")
    r = add(o, otok, [("url", "https://exemple.fr/post/42"),
                      ("description", "Une menace publiée"),
                      ("facts_date", "2026-11-10")])
    t.eq(r.status, 201, "a link is added", r.brief())
    url_ev = b"https://exemple.fr/post/42\n\nUne menace publi\xc3\xa9e"
    t.eq((r.json() or {}).get("item", {}).get("sha256"),
         hashlib.sha256(url_ev).hexdigest(),
         "a link's evidence is 'URL\\n\\nDESCRIPTION'")
    r = add(o, otok, [("text", "Tu vas le regretter."),
                      ("platform", "SMS")])
    t.eq(r.status, 201, "a text is added", r.brief())
    t.eq((r.json() or {}).get("item", {}).get("seq"), 3, "seq 3")
    t.eq(len(vault_files(srv)), 1, "one encrypted file on disk")

    # The chronology: by date of the facts.
    r = o.get("/coffre/elements")
    items = (r.json() or {}).get("items", [])
    t.eq([i.get("seq") for i in items], [2, 1, 3],
         "the chronology orders by facts date, then arrival (no date: "
         "the day of arrival)")
    t.eq([i.get("prev") for i in sorted(items, key=lambda i: i["seq"])][1:],
         [i.get("link") for i in sorted(items, key=lambda i: i["seq"])][:-1],
         "each prev is the previous item's link")
    hp = srv.client()
    hp.cookies.update(o.cookies)
    r = hp.get("/coffre/elements")
    t.ok("Tu vas le regretter." in french_text(r) and
         "capture écran.png" in french_text(r),
         "the HTML chronology lists the items")

    # One item: details, download.
    r = o.get("/coffre/elements/1")
    it = (r.json() or {}).get("item", {})
    t.eq((it.get("name"), it.get("type"), it.get("note")),
         ("capture écran.png", "image/png", "premiere note"),
         "the item keeps its name, its type found by content, its note")
    sig1 = (it.get("sha256"), it.get("link"), it.get("signature"))
    r = o.get("/coffre/elements/1/fichier")
    t.eq(r.body, img, "the file downloads byte for byte")
    t.ok((r.header("content-disposition") or "").startswith("attachment")
         and "capture" not in (r.header("content-disposition") or ""),
         "the download is an attachment with a neutral name",
         r.header("content-disposition"))
    check_security(t, r, "the download")
    r = o.get("/coffre/elements/3/fichier")
    t.eq(r.body, "Tu vas le regretter.".encode(), "a text downloads too")

    # The note changes; the evidence cannot.
    r = o.post("/coffre/elements/1/note", form={"note": "autre note",
                                                "csrf": otok})
    t.eq(r.status, 200, "the note is edited", r.brief())
    it = (o.get("/coffre/elements/1").json() or {}).get("item", {})
    t.eq(it.get("note"), "autre note", "the new note is kept")
    t.eq((it.get("sha256"), it.get("link"), it.get("signature")), sig1,
         "editing the note changes no hash, link or signature")
    for path in ("/coffre/elements/1", "/coffre/elements/1/fichier"):
        r = o.post(path, form={"csrf": otok, "text": "changé"})
        t.eq(r.status, 405, "POST %s is not allowed: the evidence cannot "
             "be edited" % path)

    # Delete an item: a tombstone.
    r = hp.get("/coffre/elements/1/suppression")
    t.ok(r.status == 200 and "pour de bon" in french_text(r),
         "the item's deletion asks for confirmation")
    r = o.post("/coffre/elements/1/suppression", form={"csrf": otok})
    t.eq(r.status, 400, "deleting without ticking the box is refused")
    t.eq(len(vault_files(srv)), 1, "and the file is still there")
    r = o.post("/coffre/elements/1/suppression", form={"csrf": otok,
                                                        "confirm": "1"})
    t.eq(r.status, 200, "the item is deleted", r.brief())
    t.eq(vault_files(srv), [], "its file is removed from the disk")
    it = (o.get("/coffre/elements/1").json() or {}).get("item", {})
    t.ok(it.get("deleted") is True and isinstance(it.get("deleted_at"), int)
         and it.get("note") is None,
         "the item is a tombstone with its deletion date, without note")
    t.eq((it.get("sha256"), it.get("link"), it.get("signature")), sig1,
         "the tombstone keeps the hash, link and signature")
    t.eq(o.get("/coffre/elements/1/fichier").status, 404,
         "the deleted file cannot be downloaded")
    t.eq(q(srv, "SELECT count(*) FROM vault_items WHERE deleted = 1 AND "
              "content IS NULL AND note IS NULL AND file IS NULL"), 1,
         "the row holds no content, note or file any more")
    r = add(o, otok, [("text", "Après la suppression")])
    t.eq((r.json() or {}).get("item", {}).get("seq"), 4,
         "the next item continues the chain at seq 4")

    # Export.
    r = o.get("/coffre/export")
    t.eq(r.status, 200, "the export downloads", r.brief())
    t.ok(r.body[:2] == b"PK", "the export is a ZIP")
    t.ok(re.search(r'filename="coffre-\d{4}-\d\d-\d\d\.zip"',
                   r.header("content-disposition") or "") is not None,
         "the ZIP is named coffre-AAAA-MM-JJ.zip",
         r.header("content-disposition"))
    check_security(t, r, "the export")
    try:
        z = zipfile.ZipFile(io.BytesIO(r.body))
        names = z.namelist()
        man = __import__("json").loads(z.read("manifest.json"))
        t.ok("manifest.json" in names and any(
            n.startswith("elements/0003-") for n in names),
            "the ZIP holds the manifest and the items", names)
        t.eq([i.get("deleted_at") is not None for i in man.get("items", [])],
             [True, False, False, False],
             "the manifest shows item 1 deleted by the person")
    except Exception as e:      # noqa: BLE001
        t.ok(False, "the ZIP and its manifest can be read", repr(e))
    tmp = os.path.join(srv.data, "uploads", "tmp")
    t.eq([n for n in os.listdir(tmp) if "coffre" in n], [],
         "no export is left in uploads/tmp")

    # Opening another vault in the same browser closes the first one.
    c2 = srv.client(json_=True)
    c2.cookies.update(o.cookies)
    first = o.cookies.get("vigie_coffre")
    r = c2.post("/coffre/ouvrir", form={"id": vid2, "passphrase": PASS,
                                        "csrf": otok})
    t.eq(r.status, 200, "the same browser opens another vault")
    t.ok(c2.cookies.get("vigie_coffre") not in (None, first),
         "with a new token")
    t.eq(o.get("/coffre/elements").status, 401,
         "and the first vault's token is closed")
    o, otok, r = opener(srv, vid)

    # Close: the key is gone from this browser.
    r = o.post("/coffre/fermer", form={"csrf": otok})
    t.eq(r.status, 200, "the vault is closed")
    t.eq(o.get("/coffre/elements").status, 401,
         "after closing, the chronology needs the passphrase again")
    hc = srv.client()
    r = hc.get("/coffre/elements")
    t.eq((r.status, r.header("location")), (303, "/coffre/ouvrir"),
         "a browser without an open vault goes to the open page")

    # Delete the whole vault.
    o, otok, r = opener(srv, vid)
    t.eq(r.status, 200, "reopened")
    before = state(srv)
    r = o.post("/coffre/suppression", form={"passphrase": "pas la bonne "
                                            "phrase", "csrf": otok})
    t.eq(r.status, 401, "deleting the vault with a wrong passphrase is "
         "refused")
    t.eq(state(srv), before, "and nothing was deleted")
    hp.cookies.update(o.cookies)
    r = hp.get("/coffre/suppression")
    t.ok("Supprimer tout le coffre" in french_text(r),
         "the vault's deletion has its confirmation page")
    r = hp.post("/coffre/suppression", form={"passphrase": PASS,
                                             "csrf": hp.csrf("/coffre")})
    t.eq(r.status, 200, "the vault is deleted", r.brief())
    t.ok("réellement supprimé" in french_text(r),
         "the page says it is really deleted")
    t.eq(q(srv, "SELECT count(*) FROM vaults"), 1,
         "only the other vault's row is left")
    t.eq(q(srv, "SELECT count(*) FROM vault_items"), 0,
         "no item row is left")
    t.eq(vault_files(srv), [], "no file is left")
    t.eq(o.get("/coffre/elements").status, 401,
         "the deleted vault's open session is closed")
    _, _, r = opener(srv, vid)
    t.eq(r.status, 401, "the deleted vault cannot be opened")
    t.eq(error_json(r)[1], "Identifiant ou phrase secrète incorrects.",
         "with the answer of an unknown vault")


# --- bad input ---------------------------------------------------------------

def group_vault_bad_input(binary, t):
    srv = Server(binary, "vault-bad", conf={"vault_max_file": 4096,
                                            "vault_max_items": 3}).start()
    try:
        bad_input(srv, t)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def bad_input(srv, t):
    c = srv.client(json_=True)
    tok = c.csrf("/coffre")
    r = c.post("/coffre", form={"passphrase": "court", "csrf": tok})
    t.eq(r.status, 400, "a short passphrase is refused")
    t.ok("au moins 10 caractères" in (error_json(r)[1] or ""),
         "with a French message naming the minimum", error_json(r))
    r = c.post("/coffre", form={"passphrase": PASS, "passphrase_confirm":
                                PASS + "x", "csrf": tok})
    t.eq(error_json(r)[:1] + (r.status,), ("invalid", 400),
         "two different passphrases are refused")
    r = c.post("/coffre", form={"passphrase": PASS, "csrf": "périmé"})
    t.eq(r.status, 403, "a stale CSRF token is refused")
    t.eq(q(srv, "SELECT count(*) FROM vaults"), 0,
         "no vault was written by the refusals")

    c, tok, vid = new_vault(srv)
    r = add(c, tok, [("text", "premier")])
    t.eq(r.status, 201, "a first item")
    before = state(srv)

    def refused(resp, status, what):
        t.eq(resp.status, status, what, resp.brief())
        code, msg, _ = error_json(resp)
        t.ok(msg and any(ch in msg for ch in "éèàç") or
             (msg or "").endswith("."), "%s: a French message" % what, msg)
        t.eq(state(srv), before, "%s: nothing half-written" % what)

    big = png(b"big") + b"\0" * 5000
    refused(add(c, tok, [], [("file", "gros.png", big)]), 413,
            "an oversized file gets 413")
    huge = png(b"huge") + b"\0" * (300 * 1024)
    r = add(c, tok, [], [("file", "enorme.png", huge)])
    t.eq(r.status, 413, "a body over the route's limit gets 413 before "
         "it is read", r.brief())
    t.eq(state(srv), before, "and nothing is written")
    with open("/bin/true", "rb") as f:
        elf = f.read(2048)
    refused(add(c, tok, [], [("file", "photo.png", elf)]), 415,
            "an ELF named .png gets 415")
    zb = io.BytesIO()
    with zipfile.ZipFile(zb, "w") as z:
        z.writestr("a.txt", "bonjour")
    refused(add(c, tok, [], [("file", "image.png", zb.getvalue())]), 415,
            "a ZIP named .png gets 415")
    r = add(c, tok, [], [("file", "image.png", zb.getvalue())])
    t.ok("PDF" in (error_json(r)[1] or "") and "PNG" in
         (error_json(r)[1] or ""), "the 415 message names what is accepted")
    refused(add(c, tok, [("text", "x"), ("platform", "Insta\tgram")]), 400,
            "a tab in the platform is refused")
    refused(add(c, tok, [("text", "x"), ("author", "@a\nb")]), 400,
            "a line break in the author is refused")
    refused(add(c, tok, [("text", "x"), ("facts_date", "2026-02-30")]), 400,
            "an impossible facts date is refused")
    refused(add(c, tok, [("url", "javascript:alert(1)")]), 400,
            "a URL that is not http(s) is refused")
    refused(add(c, tok, [("text", "x"), ("url", "https://a.fr/")]), 400,
            "two kinds of evidence at once are refused")
    refused(add(c, tok, [("note", "rien")]), 400, "no evidence is refused")
    refused(add(c, tok, [("csam", "1")], [("file", "x.png", png())]), 400,
            "a file marked as showing a minor is refused")
    r = add(c, tok, [("csam", "1")], [("file", "x.png", png())])
    t.ok("Ne déposez jamais" in (error_json(r)[1] or ""),
         "and told never to upload such images", error_json(r))
    r = add(c, "périmé", [("text", "x")])
    refused(r, 403, "a stale CSRF token on an item is refused")
    hp = srv.client()
    hp.cookies.update(c.cookies)
    body, ct = multipart([("csrf", tok), ("text", "x"),
                          ("platform", "a\tb")], [])
    r = hp.request("POST", "/coffre/elements", body=body,
                   headers={"Content-Type": ct})
    t.ok(r.status == 400 and "une ligne" in french_text(r) and
         'name="platform"' in r.text, "the HTML form comes back with the "
         "French error")
    # The limit of items.
    add(c, tok, [("text", "deux")])
    add(c, tok, [("text", "trois")])
    before = state(srv)
    refused(add(c, tok, [("text", "quatre")]), 409,
            "a full vault (vault_max_items) refuses a new item")

    # Wrong passphrase: the same answer as an unknown vault.
    _, _, wrong = opener(srv, vid, "mauvaise phrase secrète")
    _, _, unknown = opener(srv, "ZZZZ-ZZZZ-ZZZZ-ZZZZ", PASS)
    _, _, malformed = opener(srv, "pas un identifiant", PASS)
    t.eq((wrong.status, wrong.body), (unknown.status, unknown.body),
         "a wrong passphrase and an unknown vault get the same answer")
    t.eq((malformed.status, malformed.body), (unknown.status, unknown.body),
         "a malformed identifier too")
    t.eq(error_json(wrong)[1], "Identifiant ou phrase secrète incorrects.",
         "the answer is the French message of the design")
    t.eq(wrong.status, 401, "with 401")
    for p in ("/coffre/elements", "/coffre/elements/1", "/coffre/export",
              "/coffre/partages"):
        r = srv.client(json_=True).get(p)
        t.eq(r.status, 401, "%s without an open vault: 401" % p)


def group_vault_throttle(binary, t):
    """Five failures in 15 minutes, then 429: per vault and per visitor,
    the same for a known and an unknown vault.  One server each, since
    every client here is the same visitor (127.0.0.1)."""
    results = {}
    for name in ("known", "unknown"):
        srv = Server(binary, "vault-thr-" + name).start()
        try:
            _, _, vid = new_vault(srv)
            target = vid if name == "known" else "QQQQ-QQQQ-QQQQ-QQQQ"
            codes = []
            for i in range(5):
                _, _, r = opener(srv, target, "mauvaise phrase %d!" % i)
                codes.append(r.status)
            t.eq(codes, [401] * 5, "%s vault: five failures are 401" % name)
            _, _, r = opener(srv, target, PASS)
            t.eq(r.status, 429, "%s vault: then 429, even with the right "
                 "passphrase" % name)
            results[name] = (r.status, r.body)
        finally:
            srv.check_stop(t)
            srv.cleanup()
    t.eq(results.get("known"), results.get("unknown"),
         "429: the same answer for a known and an unknown vault")
    t.ok("Trop de tentatives" in (results.get("known", (0, b""))[1]
                                  .decode("utf-8")),
         "the 429 says so in French")


# --- no plaintext at rest -----------------------------------------------------

def group_vault_plaintext(binary, t):
    srv = Server(binary, "vault-plain").start()
    try:
        c, tok, vid = new_vault(srv)
        secret_png = png(b"Zebulon-Quintessence-9317")
        words = ["Zorglub-Menace-5521", "https://harceleur.example/p/8842",
                 "Description-Kumquat-1188", "Plateforme-Ornithorynque",
                 "@Auteur-Tamarin-77", "Note-Hippocampe-4411",
                 "fichier-Salamandre.png"]
        for fields, files in (
                ([("text", words[0] + " est un message de menace"),
                  ("platform", words[3]), ("author", words[4]),
                  ("note", words[5])], []),
                ([("url", words[1]), ("description", words[2])], []),
                ([("facts_date", "2026-11-01")],
                 [("file", words[6], secret_png)])):
            r = add(c, tok, fields, files)
            t.eq(r.status, 201, "an item with distinctive strings is added",
                 r.brief())
        hashes = [i["sha256"] for i in
                  (c.get("/coffre/elements").json() or {}).get("items", [])]
        c.get("/coffre/elements/3/fichier")
        c.get("/coffre/export")
        s = c.post("/coffre/partages", form={"days": "3", "label":
                                             "Maître-Capybara", "csrf": tok})
        code = (s.json() or {}).get("share", {}).get("code", "")
        t.ok(code, "a share is made too")
        srv.stop()
        blob = srv.data_bytes()
        for root, _, names in os.walk(os.path.join(srv.data, "uploads")):
            for n in names:
                with open(os.path.join(root, n), "rb") as f:
                    blob += f.read()
        t.ok(len(blob) > 10000, "the database and uploads were read")
        needles = [w.encode() for w in words] + [
            secret_png, secret_png[16:48], PASS.encode(),
            vid.encode(), vid.replace("-", "").encode(),
            code.encode(), code.replace("-", "").encode(),
            b"Maitre-Capybara", "Maître-Capybara".encode()]
        needles += [h.encode() for h in hashes]
        needles += [bytes.fromhex(h) for h in hashes]
        found = [n[:40] for n in needles if n and n in blob]
        t.eq(found, [], "no item's text, file, name, hash, nor the "
             "identifier, passphrase or share code is in vigie.db (and its "
             "WAL) or under uploads/")
        t.ok(len(hashes) == 3, "three hashes were looked for")
    finally:
        srv.check_stop(t)
        srv.cleanup()


# --- shares ---------------------------------------------------------------------

def group_vault_shares(binary, t):
    srv = Server(binary, "vault-shares").start()
    try:
        shares(srv, t)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def shares(srv, t):
    import re
    c, tok, vid = new_vault(srv)
    img = png(b"share")
    add(c, tok, [("text", "message gardé")])
    add(c, tok, [], [("file", "preuve.png", img)])
    hp = srv.client()
    hp.cookies.update(c.cookies)
    r = hp.get("/coffre/partages")
    t.ok(r.status == 200 and 'name="days"' in r.text,
         "the shares page has the create form")
    r = c.post("/coffre/partages", form={"days": "0", "csrf": tok})
    t.eq(r.status, 400, "0 days is refused")
    r = c.post("/coffre/partages", form={"days": "91", "csrf": tok})
    t.eq(r.status, 400, "91 days is refused")
    t.eq(q(srv, "SELECT count(*) FROM vault_shares"), 0,
         "and nothing was written")
    r = c.post("/coffre/partages", form={"days": "7", "label": "Avocate",
                                         "csrf": tok})
    t.eq(r.status, 201, "a share is created", r.brief())
    sh = (r.json() or {}).get("share", {})
    code = sh.get("code", "")
    t.ok(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
         is not None, "its code is XXXX-XXXX-XXXX", code)
    lst = (c.get("/coffre/partages").json() or {}).get("shares", [])
    t.ok(len(lst) == 1 and lst[0].get("label") == "Avocate" and
         "code" not in lst[0], "the list shows it, without its code")
    sid = lst[0].get("id") if lst else 0

    # The professional.
    p = srv.client(json_=True)
    ptok = p.csrf("/coffre/partage")
    r = p.post("/coffre/partage", form={"code": code.lower(), "csrf": ptok})
    t.eq(r.status, 200, "the code opens the vault", r.brief())
    t.eq((r.json() or {}).get("vault"), {"open": True, "readonly": True},
         "read-only")
    r = p.get("/coffre/elements")
    t.eq(len((r.json() or {}).get("items", [])), 2,
         "the professional reads the chronology")
    t.eq(p.get("/coffre/elements/2/fichier").body, img,
         "and downloads the file")
    t.eq(p.get("/coffre/export").status, 200, "and exports")
    before = state(srv)
    for path, form in (("/coffre/elements", {"text": "ajout"}),
                       ("/coffre/elements/1/note", {"note": "x"}),
                       ("/coffre/elements/1/suppression", {"confirm": "1"}),
                       ("/coffre/elements/1/signaler", {}),
                       ("/coffre/partages", {"days": "3"}),
                       ("/coffre/suppression", {"passphrase": PASS})):
        form["csrf"] = ptok
        if path == "/coffre/elements":
            r = add(p, ptok, [("text", "ajout")])
        else:
            r = p.post(path, form=form)
        t.eq(r.status, 403, "read-only: POST %s is refused" % path)
    t.eq(state(srv), before, "the read-only access changed nothing")
    t.eq(p.get("/coffre/partages").status, 403,
         "read-only: the shares page is refused")

    # Revoke.
    r = c.post("/coffre/partages/%d/revocation" % sid, form={"csrf": tok})
    t.eq(r.status, 200, "the share is revoked", r.brief())
    t.eq(q(srv, "SELECT count(*) FROM vault_shares"), 0, "its row is gone")
    t.eq(p.get("/coffre/elements").status, 401,
         "the professional's session ends with the revocation")
    r = p.post("/coffre/partage", form={"code": code, "csrf": ptok})
    t.eq(r.status, 401, "a revoked code is refused")
    r = c.post("/coffre/partages/%d/revocation" % sid, form={"csrf": tok})
    t.eq(r.status, 404, "revoking twice: 404")

    # Expired.
    r = c.post("/coffre/partages", form={"days": "1", "csrf": tok})
    code2 = (r.json() or {}).get("share", {}).get("code", "")
    con = db(srv)
    con.execute("UPDATE vault_shares SET expires_at = strftime('%s','now') "
                "- 60")
    con.commit()
    con.close()
    p2 = srv.client(json_=True)
    ptok2 = p2.csrf("/coffre/partage")
    r = p2.post("/coffre/partage", form={"code": code2, "csrf": ptok2})
    t.eq(r.status, 410, "an expired share answers 410", r.brief())
    t.eq(error_json(r)[0], "gone", "its JSON error code is 'gone'")
    t.eq(error_json(r)[1] and error_json(r)[1].startswith(
        "Ce partage a expiré."), True, "with 'Ce partage a expiré.'")
    pr = srv.cli("purge", "--data", srv.data)
    t.eq(pr.returncode, 0, "vigie purge runs", pr.stderr)
    t.ok("Partages de coffre expirés : 1." in pr.stdout,
         "it says one share expired", pr.stdout)
    t.eq(q(srv, "SELECT count(*) FROM vault_shares WHERE wrapped_key IS "
              "NULL AND salt IS NULL"), 1,
         "the purge erased the expired share's wrapped key")
    r = p2.post("/coffre/partage", form={"code": code2, "csrf": ptok2})
    t.eq(r.status, 410, "after the purge the code still gets 410")
    hp2 = srv.client()
    r = hp2.post("/coffre/partage", form={"code": code2,
                                          "csrf": hp2.csrf("/coffre")})
    t.ok(r.status == 410 and "Ce partage a expiré." in french_text(r),
         "the HTML page says it expired")


# --- report this content ----------------------------------------------------------

def group_vault_report(binary, t):
    srv = Server(binary, "vault-report").start()
    try:
        c, tok, _ = new_vault(srv)
        add(c, tok, [("url", "https://exemple.fr/contenu/77"),
                     ("description", "un faux profil")])
        add(c, tok, [("url", "https://exemple.fr/interdit/5"),
                     ("csam", "1")])
        add(c, tok, [("text", "un message")])
        hp = srv.client()
        hp.cookies.update(c.cookies)
        r = hp.get("/coffre/elements/1")
        t.ok('action="/coffre/elements/1/signaler"' in r.text and
             'method="post"' in r.text,
             "a link item has the 'report this content' POST form")
        r = hp.post("/coffre/elements/1/signaler", form={"csrf": tok})
        t.eq(r.status, 200, "reporting opens the form", r.brief())
        t.ok('value="https://exemple.fr/contenu/77"' in r.text and
             'action="/signaler"' in r.text,
             "the reporting form comes back with the URL filled in")
        r = c.post("/coffre/elements/1/signaler", form={"csrf": tok})
        t.eq((r.json() or {}).get("values", {}).get("urls"),
             ["https://exemple.fr/contenu/77"], "the JSON twin too")
        r = hp.get("/coffre/elements/2")
        t.ok("/signaler" not in r.text.replace('href="/signaler"', ""),
             "an item marked as showing a minor has no report button")
        t.ok("PHAROS" in r.text and "Point de Contact" in r.text,
             "it points to PHAROS and Point de Contact instead")
        r = c.post("/coffre/elements/2/signaler", form={"csrf": tok})
        t.eq(r.status, 403, "and its report POST is refused")
        t.eq((c.get("/coffre/elements/2").json() or {})
             .get("item", {}).get("csam"), True, "the mark is kept")
        r = c.post("/coffre/elements/3/signaler", form={"csrf": tok})
        t.eq(r.status, 400, "a text cannot be reported")
        t.eq(q(srv, "SELECT count(*) FROM reports"), 0,
             "nothing was reported by opening the form")
    finally:
        srv.check_stop(t)
        srv.cleanup()


# --- safety of every response -------------------------------------------------------

def group_vault_safety(binary, t):
    srv = Server(binary, "vault-safety").start()
    try:
        h = srv.client()
        h_ua = {"User-Agent": UA}
        r = h.get("/coffre", headers=h_ua)
        check_security(t, r, "GET /coffre")
        tok = h.csrf("/coffre")
        r = h.post("/coffre", form={"passphrase": PASS, "passphrase_confirm":
                                    PASS, "csrf": tok}, headers=h_ua)
        check_security(t, r, "POST /coffre")
        body, ct = multipart([("csrf", tok), ("text", "texte")], [])
        r = h.request("POST", "/coffre/elements", body=body,
                      headers={"Content-Type": ct, "User-Agent": UA})
        t.eq(r.status, 303, "the HTML add form redirects to the item")
        check_security(t, r, "POST /coffre/elements")
        pages = ["/coffre", "/coffre/ouvrir", "/coffre/elements",
                 "/coffre/elements/1", "/coffre/elements/1/suppression",
                 "/coffre/suppression", "/coffre/partages",
                 "/coffre/partage"]
        for p in pages:
            r = h.get(p, headers=h_ua)
            t.eq(r.status, 200, "GET %s" % p, r.brief())
            check_security(t, r, "GET %s" % p)
            title = french_text(r).split("<title>")[1].split("</title>")[0] \
                if "<title>" in r.text else ""
            t.ok(title.startswith(TITLE + " —"), "%s has the neutral title"
                 % p, title)
            t.ok('id="sortie-rapide"' in r.text, "%s has the quick exit" % p)
        r = h.get("/coffre/elements/1/fichier", headers=h_ua)
        check_security(t, r, "the file download")
        r = h.get("/coffre/elements/99", headers=h_ua)
        t.eq(r.status, 404, "a missing item: 404")
        check_security(t, r, "a 404 of the vault")
        r = h.post("/coffre/fermer", form={"csrf": tok}, headers=h_ua)
        check_security(t, r, "POST /coffre/fermer")
        line = r.cookie("vigie_coffre") or ""
        t.ok("Max-Age=0" in line, "closing deletes the cookie", line)
        srv.stop()
        err = srv.stderr()
        t.ok("/coffre/elements" in err, "the log has the vault's routes")
        t.ok("127.0.0.1" not in err and UA not in err,
             "no address and no user agent in the server's log")
    finally:
        srv.check_stop(t)
        srv.cleanup()


# --- uploads and exports in memory ---------------------------------------------

def slow_upload(srv, c, tok, data, probe):
    """POST a file in two halves; between them, probe() sees where its
    clear bytes are while the request is in flight.  (status, probed)."""
    body, ct = multipart([("csrf", tok), ("note", "lent")],
                         [("file", "lent.png", data)])
    head = ("POST /coffre/elements HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Accept: application/json\r\nContent-Type: %s\r\n"
            "Content-Length: %d\r\nCookie: %s\r\nConnection: close\r\n"
            "\r\n" % (ct, len(body), "; ".join(
                "%s=%s" % kv for kv in c.cookies.items()))).encode()
    half = len(body) // 2
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=20)
    try:
        s.sendall(head + body[:half])
        probed = None
        for _ in range(100):
            probed = probe()
            if probed[0] or probed[1]:
                break
            time.sleep(0.05)
        s.sendall(body[half:])
        reply = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
    finally:
        s.close()
    m = re.match(rb"HTTP/1\.1 (\d+)", reply)
    return (int(m.group(1)) if m else 0), probed


def uploads_in(d):
    return sorted(n for n in os.listdir(d) if n.startswith("vg-upload-")) \
        if d and os.path.isdir(d) else []


def group_vault_memory_tmp(binary, t):
    data = png(b"Memoire-Vive-2207") * 4000     # about 0.5 MB, one file
    on_tmpfs = subprocess.run(["stat", "-f", "-c", "%T", "/dev/shm"],
                              capture_output=True, text=True
                              ).stdout.strip() == "tmpfs"
    srv = Server(binary, "vault-memory", conf={"memory_tmp": "/dev/shm"}
                 ).start()
    mem = None
    try:
        m = re.search(r"transit in memory, in (\S+)", srv.stderr())
        if not on_tmpfs:
            t.ok(m is None and "is not a tmpfs" in srv.stderr(),
                 "without a tmpfs at /dev/shm the server says uploads "
                 "transit on disk", srv.stderr()[-300:])
            return
        t.ok(m is not None, "the server says where uploads transit in "
             "memory", srv.stderr()[-300:])
        mem = m.group(1) if m else None
        if mem is None:
            return
        st = os.stat(mem)
        t.ok(stat.S_IMODE(st.st_mode) == 0o700 and st.st_uid == os.getuid(),
             "its folder is ours, mode 0700", oct(st.st_mode))
        disk = os.path.join(srv.data, "uploads", "tmp")
        c, tok, _ = new_vault(srv)
        status, probed = slow_upload(
            srv, c, tok, data, lambda: (uploads_in(mem), uploads_in(disk)))
        t.eq(status, 201, "the slowly sent file is kept")
        t.ok(probed is not None and len(probed[0]) == 1 and probed[1] == [],
             "while it arrives, its clear bytes are in the memory folder, "
             "not under DATA/uploads/tmp", probed)
        t.eq((uploads_in(mem), uploads_in(disk)), ([], []),
             "once kept, no clear copy is left anywhere")
        r = c.get("/coffre/export")
        t.ok(r.status == 200 and r.body[:2] == b"PK",
             "the export (written in the memory folder) is sent", r.brief())
        t.eq((uploads_in(mem), uploads_in(disk)), ([], []),
             "and no copy of the export is left either")
    finally:
        srv.check_stop(t)
        srv.cleanup()
    if mem is not None:
        t.ok(not os.path.exists(mem), "the memory folder goes when the "
             "server stops", mem)
    # The same with no tmpfs configured: the probe sees the file on disk,
    # so it is not blind.
    srv = Server(binary, "vault-disk-tmp", conf={"memory_tmp": "no"}).start()
    try:
        disk = os.path.join(srv.data, "uploads", "tmp")
        c, tok, _ = new_vault(srv)
        status, probed = slow_upload(
            srv, c, tok, data, lambda: ([], uploads_in(disk)))
        t.eq(status, 201, "without memory_tmp the file is kept too")
        t.ok(probed is not None and len(probed[1]) == 1,
             "and while it arrives it is under DATA/uploads/tmp (the probe "
             "sees it)", probed)
    finally:
        srv.check_stop(t)
        srv.cleanup()


GROUPS = [
    ("vault_life", group_vault_life),
    ("vault_bad_input", group_vault_bad_input),
    ("vault_throttle", group_vault_throttle),
    ("vault_plaintext", group_vault_plaintext),
    ("vault_shares", group_vault_shares),
    ("vault_report", group_vault_report),
    ("vault_safety", group_vault_safety),
    ("vault_memory_tmp", group_vault_memory_tmp),
]
