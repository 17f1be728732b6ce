"""
test_directory.py — the directory of local actors: editors create, edit
and delete actors (every field checked, the faulty one named), the public
listing and its filters, the JSON twin of /acteurs?departement=42, the
contact fields reserved to professionals (never shown or listed to others),
the map of the départements, and CSV import (all or nothing, every error
with its line and column) and export (CSV and XLSX).
"""
import io
import re
import zipfile

from harness import PASSWORD, Server, check_security, french_text
from test_resources import multipart

EDITOR = "editeur@vigie.test"
PRO = "pro@vigie.test"

LOIRE = {
    "name": "Association Écoute Loire",
    "kind": "association",
    "themes": ["harcelement", "images-intimes"],
    "publics": ["mineurs"],
    "departement": "42",
    "commune": "saint etienne",
    "address": "3 rue de la Paix, 42000 Saint-Étienne",
    "phone": "0477123456",
    "email": "Contact@Ecoute-Loire.FR",
    "website": "www.ecoute-loire.fr",
    "hours": "Du lundi au vendredi, 9 h – 17 h",
    "accessibility": "Accès en fauteuil roulant",
    "description": "Écoute et accompagnement des jeunes victimes.",
    "pro_only": ["phone", "email"],
}


def error_json(r):
    """The error object of a JSON answer ({} when there is none)."""
    j = r.json()
    e = j.get("error") if isinstance(j, dict) else None
    return e if isinstance(e, dict) else {}


def form_of(values, tok):
    pairs = [("csrf", tok)]
    for k, v in values.items():
        if isinstance(v, list):
            pairs += [(k, x) for x in v]
        else:
            pairs.append((k, v))
    return pairs


def editor(srv):
    c = srv.client(json_=True)
    r = c.login(EDITOR, PASSWORD)
    if r.status != 200:
        raise AssertionError("editor login: %s" % r.brief())
    return c, c.csrf("/admin/acteurs")


def create(c, tok, values):
    return c.post("/admin/acteurs/nouveau", form=form_of(values, tok))


def count_actors(srv):
    j = srv.client(json_=True).get("/acteurs").json() or {}
    return j.get("total")


# --- the public side ----------------------------------------------------

def group_directory(binary, t):
    srv = Server(binary, "directory")
    srv.add_user(EDITOR, "editor")
    srv.add_user(PRO, "professional")
    srv.start()
    try:
        ids = editing(srv, t)
        listing(srv, t, ids)
        reserved(srv, t, ids)
        map_page(srv, t)
        orientation_local(srv, t)
        access(srv, t, ids)
        cc = srv.cli("check-config", "--data", srv.data)
        t.ok(cc.returncode == 0 and re.search(
            r"101 départements et 3\d{4} communes", cc.stdout),
             "vigie check-config reads the official territories",
             cc.stdout + cc.stderr)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def editing(srv, t):
    c, tok = editor(srv)
    r = create(c, tok, LOIRE)
    j = r.json() or {}
    t.eq(r.status, 201, "an editor creates an actor (201)", r.brief())
    loire = (j.get("actor") or {}).get("id")
    t.ok(isinstance(loire, int), "the answer is {actor: {id}}", r.brief())
    a = (c.get("/acteurs/%s" % loire).json() or {}).get("actor") or {}
    t.ok(a.get("commune") == "42218" and a.get("commune_name") ==
         "Saint-Étienne" and a.get("departement") == "42" and
         a.get("departement_name") == "Loire",
         "the commune typed by name is stored by its INSEE code", "%r" % a)
    t.ok(a.get("phone") == "04 77 12 34 56" and
         a.get("email") == "Contact@ecoute-loire.fr" and
         a.get("website") == "https://www.ecoute-loire.fr",
         "the phone, email domain and website are normalised", "%r" % a)
    t.eq(sorted(x["code"] for x in a.get("themes", [])),
         ["harcelement", "images-intimes"], "the themes are kept")
    t.eq(sorted(a.get("pro_only") or []), ["email", "phone"],
         "the contact fields reserved to professionals are kept")

    others = [
        dict(name="Gendarmerie de Montbrison", kind="police-gendarmerie",
             departement="42", commune="42147", phone="17",
             publics=["tous"]),
        dict(name="Point-justice de Roanne", kind="justice",
             departement="42", commune="Roanne", themes=["droit"],
             publics=["tous"]),
        dict(name="Maison des femmes de Bastia", kind="aide-victimes",
             departement="2B", commune="Bastia", publics=["femmes"],
             themes=["harcelement"], email="accueil@mdf-bastia.fr"),
        dict(name="Espace numérique de Saint-Denis", kind="mediation-numerique",
             departement="974", publics=["seniors"],
             themes=["securite-comptes"], phone="+262 262 12 34 56"),
    ]
    ids = {"loire": loire}
    for o in others:
        r = create(c, tok, o)
        t.eq(r.status, 201, "creates %s" % o["name"], r.brief())
        ids[o["name"]] = ((r.json() or {}).get("actor") or {}).get("id")

    # Every kind of bad input names its field, is 400 and writes nothing.
    before = count_actors(srv)
    bad = [
        ("departement", dict(LOIRE, departement="99"), "Département"),
        ("departement", dict(LOIRE, departement=""), "obligatoire"),
        ("commune", dict(LOIRE, commune="Lyon"), "Commune inconnue"),
        ("phone", dict(LOIRE, phone="04 77 12"), "téléphone"),
        ("phone", dict(LOIRE, phone="appelez-nous"), "téléphone"),
        ("email", dict(LOIRE, email="contact@"), "e-mail"),
        ("email", dict(LOIRE, email="a b@c.fr"), "e-mail"),
        ("website", dict(LOIRE, website="javascript:alert(1)"), "site"),
        ("kind", dict(LOIRE, kind="secte"), "Type d'acteur"),
        ("themes", dict(LOIRE, themes=["astrologie"]), "Thématique"),
        ("publics", dict(LOIRE, publics=["extraterrestres"]), "Public"),
        ("name", dict(LOIRE, name=""), "obligatoire"),
        ("name", dict(LOIRE, name="x" * 201), "trop long"),
        ("pro_only", dict(LOIRE, pro_only=["hours"]), "réserver"),
    ]
    for field, values, word in bad:
        r = create(c, tok, values)
        e = error_json(r)
        t.ok(r.status == 400 and e.get("field") == field and
             word.lower() in (e.get("message") or "").lower(),
             "bad %s: 400 naming the field, in French (%s)" % (field, word),
             r.brief())
    t.eq(count_actors(srv), before, "no bad form created an actor")
    h = srv.client()
    h.login(EDITOR, PASSWORD)
    htok = h.csrf("/admin/acteurs")
    r = h.post("/admin/acteurs/nouveau",
               form=form_of(dict(LOIRE, email="pas-une-adresse"), htok))
    t.ok(r.status == 400 and 'aria-invalid="true"' in r.text and
         "pas-une-adresse" in r.text and "Association Écoute Loire" in r.text,
         "the HTML form comes back with the values typed and the email "
         "field flagged", r.brief())

    # Edit and delete.
    r = c.post("/admin/acteurs/%s" % loire,
               form=form_of(dict(LOIRE, hours="Le mardi"), tok))
    t.eq(r.status, 200, "an editor saves an actor", r.brief())
    a = (c.get("/acteurs/%s" % loire).json() or {}).get("actor") or {}
    t.eq(a.get("hours"), "Le mardi", "the edit is saved")
    r = create(c, tok, dict(name="À supprimer", kind="autre",
                            departement="01"))
    gone = ((r.json() or {}).get("actor") or {}).get("id")
    r = c.post("/admin/acteurs/%s/suppression" % gone, form={"csrf": tok})
    t.eq(r.status, 200, "an editor deletes an actor", r.brief())
    t.eq(c.get("/acteurs/%s" % gone).status, 404, "the deleted actor is gone")
    t.eq(c.post("/admin/acteurs/999999", form=form_of(LOIRE, tok)).status,
         404, "saving an unknown actor is 404")
    return ids


def listing(srv, t, ids):
    c = srv.client(json_=True)
    r = c.get("/acteurs?departement=42")
    j = r.json() or {}
    t.eq(r.status, 200, "GET /acteurs?departement=42 is 200", r.brief())
    check_security(t, r, "GET /acteurs?departement=42 (JSON)")
    acts = j.get("actors") or []
    t.ok(j.get("total") == 3 and len(acts) == 3,
         "the JSON twin lists the three actors of the Loire, total 3",
         "total %r, %r" % (j.get("total"), [a.get("name") for a in acts]))
    keys = {"id", "name", "kind", "departement", "commune", "url"}
    t.ok(all(keys <= set(a) or (a.get("commune") is None and
             keys - {"commune"} <= set(a)) for a in acts) and
         all(a["departement"] == "42" for a in acts),
         "each actor has id, name, kind, departement, commune…",
         "%r" % acts[:1])
    t.ok("map_svg" not in j and "departement_choices" not in j,
         "the JSON twin carries no map or form choices")
    for q, want, what in [
            ("departement=42&type=justice", ["Point-justice de Roanne"],
             "by kind"),
            ("departement=42&commune=42218", ["Association Écoute Loire"],
             "by commune code"),
            ("departement=42&commune=Roanne", ["Point-justice de Roanne"],
             "by commune name"),
            ("theme=harcelement", ["Association Écoute Loire",
                                   "Maison des femmes de Bastia"],
             "by theme, across départements"),
            ("public=femmes", ["Gendarmerie de Montbrison",
                               "Maison des femmes de Bastia",
                               "Point-justice de Roanne"],
             "by public (those for everyone fit too)"),
            ("departement=2b", ["Maison des femmes de Bastia"],
             "a Corsican département, lower case"),
            ("departement=Loire&type=police-gendarmerie",
             ["Gendarmerie de Montbrison"], "a département by its name"),
            ("departement=974", ["Espace numérique de Saint-Denis"],
             "an overseas département")]:
        jj = c.get("/acteurs?" + q).json() or {}
        got = sorted(a.get("name") for a in jj.get("actors") or [])
        t.eq(got, sorted(want), "filter %s" % what)
    for q, field in [("departement=99", "departement"),
                     ("departement=20", "departement"),
                     ("departement=42&commune=69123", "commune"),
                     ("type=inconnu", "type"), ("theme=xyz", "theme"),
                     ("public=martiens", "public"), ("page=0", "page")]:
        r = c.get("/acteurs?" + q)
        e = error_json(r)
        t.ok(r.status == 400 and e.get("field") == field and
             e.get("message"), "GET /acteurs?%s is 400 naming %s" % (q, field),
             r.brief())
    # Free text is a POST, never a GET parameter.
    tok = c.csrf("/acteurs")
    r = c.post("/acteurs", form={"csrf": tok, "q": "jeunes victimes"})
    names = [a.get("name") for a in (r.json() or {}).get("actors") or []]
    t.eq(names, ["Association Écoute Loire"],
         "POST /acteurs searches the description in French")
    r = c.post("/acteurs", form={"csrf": tok, "q": "gendarmerie",
                                 "departement": "2B"})
    t.eq((r.json() or {}).get("total"), 0,
         "the text search keeps the filters")
    r = c.get("/acteurs?q=gendarmerie")
    t.eq((r.json() or {}).get("total"), 5,
         "GET /acteurs?q= does not search (no search terms in URLs)")


def reserved(srv, t, ids):
    loire = ids["loire"]
    anon = srv.client(json_=True)
    a = (anon.get("/acteurs/%s" % loire).json() or {}).get("actor") or {}
    t.ok("phone" not in a and "email" not in a and "phone_link" not in a and
         a.get("restricted") is True and a.get("address") and
         "pro_only" not in a,
         "an anonymous visitor sees no professional-only contact field",
         "%r" % sorted(a))
    lst = anon.get("/acteurs?departement=42").json() or {}
    row = [x for x in lst.get("actors", []) if x.get("id") == loire]
    t.ok(row and "phone" not in row[0] and "email" not in row[0],
         "nor in the listing")
    h = srv.client()
    r = h.get("/acteurs/%s" % loire)
    t.ok(r.status == 200 and "04 77 12 34 56" not in r.text and
         "ecoute-loire.fr" in r.text and "contact@" not in r.text.lower() and
         "réservées aux professionnel" in french_text(r),
         "the HTML page hides them and says so", r.brief())
    check_security(t, r, "GET /acteurs/ID (HTML)")
    p = srv.client(json_=True)
    p.login(PRO, PASSWORD)
    a = (p.get("/acteurs/%s" % loire).json() or {}).get("actor") or {}
    t.ok(a.get("phone") == "04 77 12 34 56" and a.get("email") and
         a.get("phone_link") == "0477123456",
         "a professional sees them", "%r" % a)
    ph = srv.client()
    ph.login(PRO, PASSWORD)
    r = ph.get("/acteurs/%s" % loire)
    t.ok('href="tel:0477123456"' in r.text, "with a tel: link")


def map_page(srv, t):
    h = srv.client()
    r = h.get("/acteurs")
    t.eq(r.status, 200, "GET /acteurs (HTML) is 200", r.brief())
    check_security(t, r, "GET /acteurs (HTML)")
    svg = re.search(r"<svg class=\"map\".*?</svg>", r.text, re.S)
    t.ok(svg is not None, "the page has the inline SVG map")
    s = svg.group(0) if svg else ""
    t.eq(len(re.findall(r"<path ", s)), 96,
         "the map draws the 96 metropolitan départements")
    t.ok('<a href="/acteurs?departement=42" aria-label="Loire (42) : 3 '
         'acteurs">' in s and 'class="map-l2"' in s,
         "the Loire links to its actors, is labelled with its count and "
         "shaded for 2 to 4", s[:300])
    t.ok('aria-label="Ain (01) : 0 acteur"' in s and "map-l0" in s,
         "a département without actors is labelled 0 and shaded 0")
    t.ok('role="group"' in s and '<title>' in s,
         "the map is a labelled group, every shape titled")
    t.ok('href="/acteurs?departement=974"' in r.text and
         "La Réunion (974) : 1 acteur" in r.text,
         "overseas départements are listed under the map")
    r = h.get("/acteurs?departement=42&type=justice")
    s = (re.search(r"<svg class=\"map\".*?</svg>", r.text, re.S) or
         re.search("", "")).group(0)
    t.ok('aria-label="Loire (42) : 1 acteur"' in s and
         'href="/acteurs?departement=69&amp;type=justice"' in s and
         'aria-current="true"' in s,
         "the map follows the filters, keeps them in its links and marks "
         "the chosen département", s[:200])
    t.ok('<select id="commune"' in r.text and "Roanne" in r.text,
         "with a département chosen, its communes with actors are offered")
    srcs = re.findall(r'\bsrc="([^"]*)"', r.text)
    t.ok(srcs and all(v.startswith("/") for v in srcs) and
         not re.search(r'<link[^>]+href="(https?:)?//', r.text),
         "every asset comes from Vigie itself", "%r" % srcs)


def orientation_local(srv, t):
    """The orientation plan lists the actors of the person's département
    that fit the answers."""
    c = srv.client(json_=True)
    j = c.get("/orientation").json() or {}
    tok, state = j.get("csrf"), j.get("state")
    for choice in ["victime", "non", "oui", "harcelement"]:
        j = c.post("/orientation", form={"csrf": tok, "state": state,
                                         "choice": choice}).json() or {}
        state = j.get("state")
    t.ok("plan" in j and "local" not in j and
         len(j.get("departement_choices") or []) == 101,
         "the plan offers the 101 départements, no actors before a choice",
         "%r" % sorted(j))
    r = c.post("/orientation", form={"csrf": tok, "state": state,
                                     "action": "departement",
                                     "departement": "42"})
    j = r.json() or {}
    local = j.get("local") or {}
    names = [a.get("name") for a in local.get("actors") or []]
    t.ok(r.status == 200 and "plan" in j and local.get("name") == "Loire" and
         names and names[0] == "Association Écoute Loire" and
         "Maison des femmes de Bastia" not in names,
         "with the Loire chosen, the plan lists its actors, the one for "
         "minors facing harassment first", "%r" % names)
    t.ok(all("phone" not in a or a.get("name") != "Association Écoute Loire"
             for a in local.get("actors") or []),
         "a reserved phone stays hidden in the plan too")
    r = c.post("/orientation", form={"csrf": tok, "state": state,
                                     "action": "departement",
                                     "departement": "2B"})
    names = [a.get("name") for a in ((r.json() or {}).get("local") or {})
             .get("actors") or []]
    t.eq(names, [], "in Haute-Corse, the actor for women only does not fit "
         "a minor")
    r = c.post("/orientation", form={"csrf": tok, "state": state,
                                     "action": "departement",
                                     "departement": "99"})
    e = error_json(r)
    t.ok(r.status == 400 and e.get("field") == "departement",
         "an unknown département is 400 naming the field", r.brief())
    h = srv.client()
    htok = h.csrf("/orientation")
    r = h.post("/orientation", form={"csrf": htok, "state": state,
                                     "action": "departement",
                                     "departement": "99"})
    t.ok(r.status == 400 and "Votre plan d&#39;action" in r.text and
         'aria-invalid="true"' in r.text,
         "on the page, the plan stays, the field flagged", r.brief())
    r = c.post("/orientation/plan", form={"csrf": tok, "state": state,
                                          "departement": "42"}, json_=False)
    t.ok(r.status == 200 and "Près de chez vous : Loire" in r.text and
         "Association Écoute Loire" in r.text and "04 77" not in r.text,
         "the downloaded plan lists them too", r.brief())
    h = srv.client()
    tok = h.csrf("/orientation")
    r = h.post("/orientation", form={"csrf": tok, "state": state,
                                     "action": "departement",
                                     "departement": "42"})
    t.ok(r.status == 200 and "Près de chez vous" in r.text and
         'href="/acteurs?departement=42"' in r.text,
         "the HTML plan shows them with a link to the directory",
         r.brief())


def access(srv, t, ids):
    anon = srv.client(json_=True)
    p = srv.client(json_=True)
    p.login(PRO, PASSWORD)
    for c, who in [(anon, "an anonymous visitor"), (p, "a professional")]:
        for path in ["/admin/acteurs", "/admin/acteurs/nouveau",
                     "/admin/acteurs/export.csv", "/admin/acteurs/%s"
                     % ids["loire"]]:
            r = c.get(path)
            t.ok(r.status in (401, 403, 404), "%s cannot GET %s" % (who, path),
                 r.brief())
    tok = p.csrf("/acteurs")
    r = p.post("/admin/acteurs/nouveau", form=form_of(LOIRE, tok))
    t.ok(r.status in (401, 403), "a professional cannot create an actor",
         r.brief())


# --- import and export ----------------------------------------------------

GOOD_CSV = (
    "\ufeffnom;type;Thématiques;publics;Département;commune;téléphone;"
    "email;site_web;reserve_pro;description\r\n"
    "CIDFF de la Loire;aide-victimes;\"harcelement, droit\";femmes;42;"
    "Saint-Étienne;477 01 02 03;cidff42@exemple.fr;;telephone;"
    "\"Droits des femmes; accompagnement juridique\"\r\n"
    "Maison de la justice;Justice et accès au droit;droit;tous;1;"
    "Bourg-en-Bresse;;;https://mjd01.exemple.fr;;\r\n"
    ";;;;;;;;;;\r\n"
    "Collège Jean-Moulin;education;Harcèlement;Mineur·es;Loire;42207;;;;;"
    "\"Référente harcèlement,\nsur rendez-vous\"\r\n"
).encode("utf-8")


def upload(c, tok, data, action="importer", name="acteurs.csv"):
    body, ctype = multipart([("csrf", tok), ("action", action)],
                            [("file", name, data)])
    return c.post("/admin/acteurs/import", body=body,
                  headers={"Content-Type": ctype})


def group_directory_import(binary, t):
    srv = Server(binary, "directory-import")
    srv.add_user(EDITOR, "editor")
    srv.start()
    try:
        importing(srv, t)
        exporting(srv, t)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def importing(srv, t):
    c, tok = editor(srv)
    r = upload(c, tok, GOOD_CSV, action="verifier")
    j = r.json() or {}
    t.ok(r.status == 200 and j.get("result") == {
        "created": 3, "updated": 0, "checked_only": True},
         "checking a good file (';', BOM, quotes, an empty Excel row) "
         "reports 3 actors and writes nothing", r.brief())
    t.eq(count_actors(srv), 0, "nothing was written by the check")
    r = upload(c, tok, GOOD_CSV)
    j = r.json() or {}
    t.ok(r.status == 200 and (j.get("result") or {}).get("created") == 3,
         "importing it creates 3 actors", r.brief())
    acts = (c.get("/acteurs").json() or {}).get("actors") or []
    by = {a["name"]: a for a in acts}
    cidff = by.get("CIDFF de la Loire") or {}
    t.ok(cidff.get("phone") == "04 77 01 02 03" and
         cidff.get("commune") == "42218" and
         cidff.get("pro_only") == ["phone"] and
         cidff.get("description") ==
         "Droits des femmes; accompagnement juridique",
         "the imported row: phone without its leading zero restored, "
         "commune by name, reserved phone, quoted ';'", "%r" % cidff)
    mjd = by.get("Maison de la justice") or {}
    t.ok(mjd.get("departement") == "01" and mjd.get("kind") == "justice",
         "a département written 1 (as Excel leaves 01) and a kind by "
         "its label", "%r" % mjd)
    col = by.get("Collège Jean-Moulin") or {}
    t.ok(col.get("departement") == "42" and
         [x["code"] for x in col.get("publics", [])] == ["mineurs"] and
         "\n" in (col.get("description") or ""),
         "a département by name, a public by its label, a line break in "
         "a quoted cell", "%r" % col)

    # A file with errors: every one reported, nothing imported.
    before = count_actors(srv)
    bad = (
        "nom,type,departement,commune,telephone,email\n"
        "Bon acteur,association,42,,,\n"
        "Mauvais département,association,99,,,\n"
        "Mauvais téléphone,association,42,,12,\n"
        "Mauvais e-mail,association,42,,,pas@\n"
        "Mauvaise commune,association,42,Lyon,,\n"
        ",association,42,,,\n"
    ).encode("utf-8")
    r = upload(c, tok, bad)
    j = r.json() or {}
    e = error_json(r)
    errs = e.get("details") or []
    got = [(x.get("line"), x.get("column")) for x in errs]
    t.ok(r.status == 400 and got == [(3, "departement"), (4, "telephone"),
                                     (5, "email"), (6, "commune"),
                                     (7, "nom")],
         "every wrong row is reported with its line and column",
         "%s %r" % (r.status, got))
    t.ok("5 erreurs" in (e.get("message") or "") and
         "rien n'a été importé" in (e.get("message") or "") and
         e.get("field") == "file",
         "the message counts the errors and says nothing was imported",
         "%r" % e)
    t.eq(count_actors(srv), before, "not even the good row was imported")

    h = srv.client()
    h.login(EDITOR, PASSWORD)
    htok = h.csrf("/admin/acteurs")
    body, ctype = multipart([("csrf", htok), ("action", "importer")],
                            [("file", "a.csv", bad)])
    r = h.post("/admin/acteurs/import", body=body,
               headers={"Content-Type": ctype})
    t.ok(r.status == 400 and "Département inconnu" in r.text and
         re.search(r"<td>3</td><td>departement</td>", r.text),
         "the HTML page lists the errors in a table", r.brief())

    for data, what, word in [
            (b"nom;genre;departement\nX;association;42\n",
             "an unknown column", "Colonne inconnue"),
            (b"nom;departement\nX;42\n", "a missing required column",
             "obligatoire"),
            (b"nom;type;departement;nom\nX;association;42;Y\n",
             "a duplicated column", "deux fois"),
            (b"nom;type;departement\n", "a header alone", "aucun acteur"),
            (b"", "an empty file", "fichier"),
            ("nom;type;departement\nCafé;association;42\n".encode("latin-1"),
             "a Latin-1 file", "UTF-8"),
            (b"nom;type;departement\n\"X;association;42\n",
             "an unclosed quote", "ligne 2"),
            (b"PK\x03\x04rest-of-an-xlsx", "an Excel workbook", "CSV UTF-8"),
            (b"id;nom;type;departement\n99999;X;association;42\n",
             "an unknown id", "identifiant")]:
        r = upload(c, tok, data)
        e = error_json(r)
        blob = (e.get("message") or "") + " ".join(
            x.get("message", "") for x in e.get("details") or [])
        t.ok(r.status in (400, 413) and word.lower() in blob.lower(),
             "import of %s: 400 with a French reason" % what,
             "%s %s" % (r.status, blob[:200]))
    t.eq(count_actors(srv), before, "no bad file imported anything")


def exporting(srv, t):
    c, tok = editor(srv)
    r = c.get("/admin/acteurs/export.csv")
    t.ok(r.status == 200 and r.header("content-type", "").startswith(
        "text/csv") and "attachment" in r.header("content-disposition", ""),
         "the CSV export is a download", r.brief())
    data = r.body
    t.ok(data.startswith(b"\xef\xbb\xbfid,nom,type,"),
         "UTF-8 with a BOM, ',' separated, an id column first",
         repr(data[:40]))
    t.ok("CIDFF de la Loire" in data.decode("utf-8") and
         '"Droits des femmes; accompagnement juridique"' in
         data.decode("utf-8"),
         "the rows are there, a cell with ';' quoted", repr(data[:300]))
    # Exported, edited, imported back: updates, no duplicates.
    text = data.decode("utf-8").replace("CIDFF de la Loire",
                                         "CIDFF Loire")
    before = count_actors(srv)
    r = upload(c, tok, text.encode("utf-8"))
    j = r.json() or {}
    t.ok(r.status == 200 and (j.get("result") or {}).get("updated") ==
         before and (j.get("result") or {}).get("created") == 0,
         "the export imports back as updates of the same actors",
         r.brief())
    names = [a["name"] for a in (c.get("/acteurs").json() or {})
             .get("actors", [])]
    t.ok("CIDFF Loire" in names and "CIDFF de la Loire" not in names and
         len(names) == before, "the edit is applied, nothing duplicated",
         "%r" % names)
    r = c.get("/admin/acteurs/export.xlsx")
    ok = False
    try:
        z = zipfile.ZipFile(io.BytesIO(r.body))
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        shared = z.read("xl/sharedStrings.xml").decode("utf-8") \
            if "xl/sharedStrings.xml" in z.namelist() else ""
        ok = "CIDFF Loire" in sheet + shared and "reserve_pro" in \
            sheet + shared
    except Exception as ex:  # noqa: BLE001
        sheet = str(ex)
    t.ok(r.status == 200 and ok and "spreadsheetml" in
         r.header("content-type", ""),
         "the XLSX export is a workbook with the actors", r.brief())


GROUPS = [("directory", group_directory),
          ("directory-import", group_directory_import)]
