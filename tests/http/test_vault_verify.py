"""
test_vault_verify.py — the vault's bundle through the real server, and
`vigie verify` on it (issue 11, the chain half).

A vault is created, opened, given a file, a link and a text through the
routes a browser uses (JSON twins, CSRF as for any anonymous form), and
exported.  The bundle must hold exactly the bytes sent, be signed by the
key that /coffre/cle publishes, and pass `vigie verify`; copies changed
with Python's zipfile (a byte of an element, an item removed, the chain
reordered, the head's count) must fail with the item named; a file that
is not a ZIP and a missing argument are errors.  /coffre/cle and
/coffre/verification are checked as pages: French, public, no-store,
JSON twins.
"""
import json
import os
import re
import secrets
import zipfile

from harness import Server, check_security, french_text
from test_resources import multipart

PASSPHRASE = "une phrase secrète assez longue"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00"
       b"\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc"
       b"\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00"
       b"IEND\xaeB`\x82")
URL = "https://exemple.fr/publication/42"
DESCRIPTION = "Le message publié sous ma photo."
TEXT = "Tu vas voir ce qui va t'arriver.\nDeuxième ligne."


def group_vault_verify(binary, t):
    srv = Server(binary, "vault_verify")
    srv.start()
    try:
        key = pages(srv, t)
        bundle, c = flow(srv, t, key)
        if bundle:
            verify(srv, t, bundle, key)
            tombstone(srv, t, c, bundle, key)
    finally:
        srv.check_stop(t)
    srv.cleanup()


# --- the two pages -----------------------------------------------------------

def pages(srv, t):
    """The published key, checked against DATA/vigie-sign.key."""
    c = srv.client()
    r = c.get("/coffre/cle")
    t.eq(r.status, 200, "GET /coffre/cle is 200", r.brief())
    check_security(t, r, "/coffre/cle")
    page = french_text(r)
    t.ok("<title>Espace personnel" in page, "/coffre/cle has the neutral "
         "title", page[:300])
    t.ok('id="sortie-rapide"' in page, "/coffre/cle has the quick exit")
    t.ok("Clé publique" in page and "Empreinte" in page, "/coffre/cle "
         "speaks French", page[:500])
    t.ok('href="/coffre/verification"' in page, "/coffre/cle links to the "
         "verification page")

    j = c.get("/coffre/cle", json_=True)
    check_security(t, j, "/coffre/cle (JSON)")
    key = (j.json() or {}).get("key") or {}
    pub = key.get("public", "")
    t.ok(re.fullmatch(r"[0-9a-f]{64}", pub), "the JSON twin gives the key "
         "in hex", key)
    t.eq(key.get("algorithm"), "Ed25519", "the algorithm is Ed25519")
    t.ok(re.fullmatch(r"([0-9a-f]{4} ){7}[0-9a-f]{4}",
                      key.get("fingerprint", "")),
         "the fingerprint is 8 groups of 4 hex digits", key)
    t.ok(pub in page, "the HTML page shows the same key")
    with open(os.path.join(srv.data, "vigie-sign.key"), "rb") as f:
        raw = f.read()
    t.eq(len(raw), 64, "DATA/vigie-sign.key holds 64 bytes")
    t.eq(raw[32:].hex(), pub, "the published key is the key file's "
         "public half")
    t.eq(os.stat(os.path.join(srv.data, "vigie-sign.key")).st_mode & 0o777,
         0o600, "the key file is mode 0600")

    r = c.get("/coffre/verification")
    t.eq(r.status, 200, "GET /coffre/verification is 200", r.brief())
    check_security(t, r, "/coffre/verification")
    page = french_text(r)
    t.ok("<title>Espace personnel" in page, "/coffre/verification has the "
         "neutral title")
    for want in ("vigie verify", "sha256sum", "ne prouve pas",
                 "manifest.json", "/coffre/cle", pub):
        t.ok(want in page, "/coffre/verification mentions %r" % want[:20])
    j = c.get("/coffre/verification", json_=True)
    check_security(t, j, "/coffre/verification (JSON)")
    body = j.json() or {}
    t.eq((body.get("key") or {}).get("public"), pub, "the verification "
         "page's JSON twin gives the key")
    t.ok("vigie verify" in (body.get("command") or ""), "and the command",
         body)
    return pub


# --- a vault's life, up to its bundle ---------------------------------------

def post_item(c, tok, fields, files=()):
    body, ctype = multipart([("csrf", tok)] + fields, list(files))
    return c.request("POST", "/coffre/elements", body=body,
                     headers={"Content-Type": ctype}, json_=True)


def flow(srv, t, pub):
    """Create, open, fill and export a vault; the bundle's path, or None
    when the vault's routes do not answer (the other half not merged)."""
    c = srv.client(json_=True)
    r = c.get("/coffre")
    if r.status != 200:
        t.ok(False, "GET /coffre answers (the vault half is merged)",
             r.brief())
        return None, c
    tok = c.csrf("/coffre")
    r = c.post("/coffre", form={"csrf": tok, "passphrase": PASSPHRASE,
                                "passphrase_confirm": PASSPHRASE})
    t.ok(r.status in (200, 201), "POST /coffre creates a vault", r.brief())
    vid = ((r.json() or {}).get("vault") or {}).get("id", "")
    t.ok(re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", vid), "the vault's "
         "identifier is XXXX-XXXX-XXXX-XXXX", r.json())
    check_security(t, r, "POST /coffre")

    tok = c.csrf("/coffre")
    r = c.post("/coffre/ouvrir", form={"csrf": tok, "id": vid.lower(),
                                       "passphrase": PASSPHRASE})
    t.ok(r.status in (200, 303), "POST /coffre/ouvrir opens it", r.brief())
    t.ok("vigie_coffre" in c.cookies, "the vault's cookie is set",
         c.cookies.keys())

    tok = c.csrf("/coffre")
    r = post_item(c, tok, [("facts_date", "2026-11-20"),
                           ("platform", "Instagram"),
                           ("author", "@pseudo"), ("note", "Une note")],
                  [("file", "capture.png", PNG)])
    t.ok(r.status in (200, 201), "a file is added", r.brief())
    r = post_item(c, tok, [("url", URL), ("description", DESCRIPTION),
                           ("facts_date", "2026-11-18"),
                           ("platform", "X")])
    t.ok(r.status in (200, 201), "a link is added", r.brief())
    r = post_item(c, tok, [("text", TEXT), ("facts_date", "2026-11-21")])
    t.ok(r.status in (200, 201), "a text is added", r.brief())

    r = c.get("/coffre/export", json_=False)
    t.eq(r.status, 200, "GET /coffre/export is 200", r.brief())
    check_security(t, r, "the export")
    t.ok((r.header("content-type") or "").startswith("application/zip"),
         "the export is a ZIP", r.header("content-type"))
    path = os.path.join(srv.root, "paquet.zip")
    with open(path, "wb") as f:
        f.write(r.body)
    if not zipfile.is_zipfile(path):
        t.ok(False, "the export is a readable ZIP", r.body[:200])
        return None, c

    z = zipfile.ZipFile(path)
    names = z.namelist()
    m = json.loads(z.read("manifest.json"))
    t.eq(m.get("public_key"), pub, "the bundle names the published key")
    t.eq([i["kind"] for i in m["items"]], ["file", "url", "text"],
         "the three items, in the order they arrived")
    t.eq(z.read(m["items"][0]["file"]), PNG, "the file's bytes are those "
         "sent")
    t.eq(m["items"][0]["file"], "elements/0001-capture.png",
         "the file's entry is elements/0001-capture.png")
    t.eq(z.read(m["items"][1]["file"]).decode(), URL + "\n\n" + DESCRIPTION,
         "a link's bytes are URL, a blank line, the description")
    t.eq(z.read(m["items"][2]["file"]).decode(), TEXT, "the text's bytes "
         "are those sent")
    for want in ("chronologie.html", "chronologie.pdf", "LISEZMOI.txt"):
        t.ok(want in names, "the bundle holds %s" % want, names)
    t.ok(z.read("chronologie.pdf").startswith(b"%PDF-"), "the PDF is a PDF")
    html = z.read("chronologie.html").decode()
    t.ok("Chronologie" in html and "Instagram" in html and URL in html,
         "the chronology shows the items")
    t.ok(html.index("18/11/2026") < html.index("20/11/2026")
         < html.index("21/11/2026"), "in the order of the facts")
    return path, c


# --- vigie verify -----------------------------------------------------------

def rewrite(src, dst, change=None, drop=(), manifest=None):
    """Copy the ZIP src to dst, changing entry bytes with change(name,
    data), leaving out drop, and the manifest with manifest(dict)."""
    zin = zipfile.ZipFile(src)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            if info.filename == "manifest.json" and manifest:
                m = json.loads(data)
                manifest(m)
                data = json.dumps(m, indent=2, ensure_ascii=False).encode()
            elif change:
                data = change(info.filename, data)
            zout.writestr(info.filename, data)
    return dst


def verify(srv, t, bundle, pub):
    def run(*args):
        return srv.cli("verify", *args)

    def changed(path, want, desc):
        r = run(path, "--key", pub)
        t.eq(r.returncode, 1, "verify: %s gives 1" % desc, r.stdout,
             r.stderr)
        t.ok(want in r.stdout, "verify: %s names %r" % (desc, want),
             r.stdout)
        return r

    r = run(bundle)
    t.eq(r.returncode, 0, "verify: the intact bundle gives 0", r.stdout,
         r.stderr)
    t.ok("Paquet intact : 3 éléments" in r.stdout, "and says so in French",
         r.stdout)
    t.ok("seule la clé publiée" in r.stdout, "without --key it says which "
         "key was used", r.stdout)
    r = run(bundle, "--key", pub)
    t.eq(r.returncode, 0, "verify --key with the published key gives 0",
         r.stdout, r.stderr)
    keyfile = os.path.join(srv.root, "cle.txt")
    with open(keyfile, "w") as f:
        f.write(pub + "\n")
    r = run("--key", keyfile, bundle)
    t.eq(r.returncode, 0, "verify --key FILE gives 0", r.stdout, r.stderr)
    r = run(bundle, "--key", secrets.token_hex(32))
    t.eq(r.returncode, 1, "verify --key with another key gives 1", r.stdout)
    t.ok("pas été signé par la clé attendue" in r.stdout, "and says the key "
         "is not the expected one", r.stdout)

    m = json.loads(zipfile.ZipFile(bundle).read("manifest.json"))
    first = m["items"][0]["file"]

    def flip(name, data):
        if name != first:
            return data
        b = bytearray(data)
        b[len(b) // 2] ^= 0x01
        return bytes(b)

    changed(rewrite(bundle, os.path.join(srv.root, "octet.zip"),
                    change=flip),
            "élément 1 : le fichier %s a été modifié" % first,
            "a changed byte in an element")

    def drop_second(m):
        del m["items"][1]

    changed(rewrite(bundle, os.path.join(srv.root, "retire.zip"),
                    drop=(m["items"][1]["file"],), manifest=drop_second),
            "élément 3 : il ne suit pas", "an item removed")

    def drop_last(m):
        del m["items"][-1]

    changed(rewrite(bundle, os.path.join(srv.root, "dernier.zip"),
                    drop=(m["items"][2]["file"],), manifest=drop_last),
            "exporté avec 3 élément(s)", "the last item removed")

    def swap(m):
        m["items"][0], m["items"][1] = m["items"][1], m["items"][0]

    changed(rewrite(bundle, os.path.join(srv.root, "ordre.zip"),
                    manifest=swap),
            "élément 2 : il est en position 1", "the chain reordered")

    def platform(m):
        m["items"][1]["platform"] = "Facebook"

    changed(rewrite(bundle, os.path.join(srv.root, "champ.zip"),
                    manifest=platform),
            "élément 2 : son enregistrement a été modifié",
            "a changed platform")

    notzip = os.path.join(srv.root, "pas-un-zip.zip")
    with open(notzip, "wb") as f:
        f.write(b"%PDF-1.4 pas un paquet\n")
    r = run(notzip)
    t.eq(r.returncode, 2, "verify: not a ZIP gives 2", r.stdout, r.stderr)
    t.ok("n'est pas un paquet ZIP" in r.stderr and r.stdout == "",
         "with one French line on stderr", r.stderr)
    t.eq(len(r.stderr.strip().splitlines()), 1, "exactly one line",
         r.stderr)
    r = run()
    t.eq(r.returncode, 2, "verify without a bundle gives 2", r.stderr)
    t.ok("précisez le paquet" in r.stderr, "and says what is missing",
         r.stderr)
    r = run(bundle, "--key", "pas-une-cle")
    t.eq(r.returncode, 2, "verify with a malformed --key gives 2", r.stderr)
    nomani = rewrite(bundle, os.path.join(srv.root, "sans.zip"),
                     drop=("manifest.json",))
    r = run(nomani)
    t.eq(r.returncode, 2, "verify: a ZIP without manifest.json gives 2",
         r.stderr)
    t.ok("manifest.json" in r.stderr, "and says so", r.stderr)


def tombstone(srv, t, c, first, pub):
    """The person edits a note and deletes an item: the next bundle is
    still intact, shows the deletion, and keeps the other records as they
    were signed."""
    before = json.loads(zipfile.ZipFile(first).read("manifest.json"))
    tok = c.csrf("/coffre")
    r = c.post("/coffre/elements/1/note", form={"csrf": tok,
                                                "note": "Note changée"})
    t.ok(r.status in (200, 303), "the note of item 1 is edited", r.brief())
    r = c.post("/coffre/elements/2/suppression", form={"csrf": tok,
                                                       "confirm": "1"})
    t.ok(r.status in (200, 303), "item 2 is deleted", r.brief())
    r = c.get("/coffre/export", json_=False)
    t.eq(r.status, 200, "the vault is exported again", r.brief())
    path = os.path.join(srv.root, "apres.zip")
    with open(path, "wb") as f:
        f.write(r.body)
    v = srv.cli("verify", path, "--key", pub)
    t.eq(v.returncode, 0, "verify: the bundle after a deletion and a new "
         "note gives 0", v.stdout, v.stderr)
    z = zipfile.ZipFile(path)
    m = json.loads(z.read("manifest.json"))
    items = m["items"]
    t.eq(len(items), 3, "the deleted item keeps its place in the chain")
    t.ok(items[1].get("file") is None and items[1].get("deleted_at"),
         "item 2 is shown deleted, with its date", items[1])
    t.ok(not any(n.startswith("elements/0002-") for n in z.namelist()),
         "its content is not in the bundle", z.namelist())
    t.eq(items[0].get("note"), "Note changée", "the new note is exported")
    t.eq([i["link"] for i in items], [i["link"] for i in before["items"]],
         "every link is the one signed on arrival")
    t.ok("supprimé par la personne" in
         z.read("chronologie.html").decode(), "the chronology says the "
         "person deleted it")

    def drop_tombstone(m):
        del m["items"][1]

    bad = rewrite(path, os.path.join(srv.root, "sans-trace.zip"),
                  manifest=drop_tombstone)
    v = srv.cli("verify", bad)
    t.eq(v.returncode, 1, "verify: hiding the deletion gives 1", v.stdout)
    t.ok("élément 3 : il ne suit pas" in v.stdout, "and names item 3",
         v.stdout)


GROUPS = [
    ("vault_verify", group_vault_verify),
]
