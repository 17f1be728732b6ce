"""
test_orientation.py — the guided orientation: every path of the decision
tree walked over HTTP (read from the JSON steps only), the safety rules of
the plans, the signed state and its tampering, nothing about the situation
in a URL, the text download, and the sheets a professional sees.
"""
import concurrent.futures
import html
import re
import urllib.parse

from harness import (PASSWORD, Server, check_security, error_json,
                     french_text, parse_tags)
from test_pages import html_checks

SECTIONS = ["maintenant", "preuves", "signaler", "soutien", "ressources"]
NEGATION = re.compile(r"\b(?:ne|jamais)\b|\bn['’]", re.I)


# --- helpers -------------------------------------------------------------

def step(c, tok, state, choice=None, action=None, conn=None, json_=True,
         path="/orientation", csrf=True):
    """POST one step of the orientation; returns the Response."""
    form = [("state", state)]
    if choice is not None:
        form.append(("choice", choice))
    if action is not None:
        form.append(("action", action))
    if csrf:
        form.append(("csrf", tok))
    return c.post(path, form=form, conn=conn, json_=json_)


def answers_of(state):
    """{question: value} of a state's payload (for the diagnostics and the
    safety rules: the tree itself is read from the JSON steps)."""
    payload = state.rsplit(".", 1)[0]
    return dict(p.split("=", 1) for p in payload.split(",") if "=" in p)


def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text)
            if s.strip()]


def plan_text(plan):
    return "\n".join("%s\n%s" % (a.get("title", ""), a.get("text", ""))
                     for a in plan.get("actions", []))


def walk_to(c, tok, answers, conn=None, json_=True):
    """Answer the questions in order from the start; returns the last
    Response (the plan if the answers are complete)."""
    state = ""
    r = None
    for v in answers:
        r = step(c, tok, state, choice=v, conn=conn)
        j = r.json() or {}
        if r.status != 200 or "state" not in j:
            raise AssertionError("answer %r: %s" % (v, r.brief()))
        state = j["state"]
    if not json_:
        return state
    return r


def to_end(c, tok, pick):
    """Walk from the first question to a plan, choosing pick(choices)
    each time; returns (JSON of the plan response, last step, Response)."""
    r = c.get("/orientation", json_=True)
    j = r.json() or {}
    prev = {}
    for _ in range(17):
        if "plan" in j or r.status != 200 or "step" not in j:
            break
        prev = j["step"]
        r = step(c, tok, j["state"], choice=pick(prev["choices"]))
        j = r.json() or {}
    return j, prev, r


# --- the walk of every path ----------------------------------------------

class Walk:
    def __init__(self):
        self.paths = []         # (answers [(qid, value)], state, plan)
        self.problems = []      # strings
        self.choices = {}       # qid -> [values], as first seen
        self.inconsistent = []
        self.requests = 0


def explore(srv, cookies, tok, first_step, first_choice):
    """Every path starting with first_choice, depth first, on one
    keep-alive connection.  Returns a Walk."""
    w = Walk()
    c = srv.client(json_=True)
    c.cookies = dict(cookies)
    conn = c.connect()

    def rec(state, answers, seen, cur):
        for ch in cur["choices"]:
            value = ch.get("value")
            where = ",".join("%s=%s" % a for a in answers +
                             [(cur["id"], value)])
            r = step(c, tok, state, choice=value, conn=conn)
            w.requests += 1
            j = r.json()
            if r.status != 200 or not isinstance(j, dict):
                w.problems.append("%s: %s" % (where, r.brief()))
                continue
            if r.header("location") or r.header("set-cookie"):
                w.problems.append("%s: Location %r Set-Cookie %r" % (
                    where, r.header("location"), r.header("set-cookie")))
            if "no-store" not in (r.header("cache-control") or ""):
                w.problems.append("%s: Cache-Control %r" %
                                  (where, r.header("cache-control")))
            nxt = answers + [(cur["id"], value)]
            if not isinstance(j.get("state"), str) or \
                    not j.get("csrf") or j.get("can_go_back") is not True:
                w.problems.append("%s: state %r csrf %r can_go_back %r" % (
                    where, j.get("state"), j.get("csrf"),
                    j.get("can_go_back")))
                continue
            s = j.get("step")
            if isinstance(s, dict):
                qid = s.get("id")
                if qid in seen:
                    w.problems.append("%s: question %r asked twice" %
                                      (where, qid))
                    continue
                if s.get("number") != len(nxt) + 1:
                    w.problems.append("%s: number %r, want %d" % (
                        where, s.get("number"), len(nxt) + 1))
                if not isinstance(s.get("question"), str) or \
                        not s["question"] or \
                        not isinstance(s.get("choices"), list) or \
                        len(s["choices"]) < 2 or \
                        not all(isinstance(x.get("value"), str) and
                                x["value"] and isinstance(
                                    x.get("label"), str) and x["label"]
                                for x in s["choices"]):
                    w.problems.append("%s: malformed step %r" % (where, s))
                    continue
                vals = [x["value"] for x in s["choices"]]
                if w.choices.setdefault(qid, vals) != vals:
                    w.inconsistent.append("%s: %s offers %r, before %r" % (
                        where, qid, vals, w.choices[qid]))
                if len(nxt) > 16:
                    w.problems.append("%s: more than 16 questions" % where)
                    continue
                rec(j["state"], nxt, seen | {qid}, s)
            elif isinstance(j.get("plan"), dict):
                w.paths.append((nxt, j["state"], j["plan"]))
            else:
                w.problems.append("%s: neither step nor plan: %s" %
                                  (where, r.brief()))

    try:
        r = step(c, tok, "", choice=first_choice, conn=conn)
        w.requests += 1
        j = r.json() or {}
        if r.status != 200 or not isinstance(j.get("step"), dict):
            w.problems.append("%s=%s: %s" % (first_step["id"], first_choice,
                                             r.brief()))
        else:
            s = j["step"]
            if s.get("id") == first_step["id"]:
                w.problems.append("%s asked twice" % s.get("id"))
            else:
                w.choices[s["id"]] = [x.get("value")
                                      for x in s.get("choices", [])]
                rec(j["state"], [(first_step["id"], first_choice)],
                    {first_step["id"], s.get("id")}, s)
    finally:
        conn.close()
    return w


def group_orientation_walk(binary, t):
    srv = Server(binary, "orientation-walk")
    cc = srv.cli("check-config", "--data", srv.data)
    m = re.search(r"(\d+) parcours d'orientation vérifiés", cc.stdout)
    t.ok(cc.returncode == 0 and m, "vigie check-config counts the "
         "orientation paths", cc.stdout, cc.stderr)
    srv.start()
    try:
        c = srv.client(json_=True)
        r = c.get("/orientation")
        j = r.json() or {}
        first = j.get("step") or {}
        tok = j.get("csrf")
        t.ok(r.status == 200 and first.get("choices"),
             "GET /orientation gives the first question", r.brief())
        walks = []
        with concurrent.futures.ThreadPoolExecutor(4) as ex:
            futs = [ex.submit(explore, srv, c.cookies, tok, first,
                              ch["value"]) for ch in first["choices"]]
            walks = [f.result() for f in futs]
        paths = [p for w in walks for p in w.paths]
        problems = [p for w in walks for p in w.problems]
        inconsistent = [p for w in walks for p in w.inconsistent]
        nreq = sum(w.requests for w in walks)
        t.ok(not problems, "every step of every path is a 200 JSON step "
             "or plan, numbered, no question twice on a path, no redirect, "
             "no cookie, no-store (%d requests)" % nreq, *problems[:15])
        t.ok(not inconsistent, "a question offers the same choices "
             "whatever the path", *inconsistent[:5])
        if m:
            t.eq(len(paths), int(m.group(1)), "the walk over HTTP finds as "
                 "many paths as vigie check-config")
        t.ok(len(paths) >= 2, "the tree has several paths (%d)" %
             len(paths))
        states = [s for _, s, _ in paths]
        t.eq(len(set(states)), len(states), "every path has its own state")
        plans(srv, t, c, tok, paths)
        safety(t, paths)
        downloads(srv, t, c, tok, paths)
    finally:
        srv.check_stop(t)
        srv.cleanup()


def plans(srv, t, c, tok, paths):
    """Shape of every plan."""
    empty, shape, order, groups, contacts, reading = [], [], [], [], [], set()
    for answers, _, plan in paths:
        where = ",".join("%s=%s" % a for a in answers)
        acts = plan.get("actions")
        cts = plan.get("contacts")
        if not isinstance(acts, list) or not isinstance(cts, list) or \
                not isinstance(plan.get("resources"), list) or \
                not isinstance(plan.get("sections"), list):
            shape.append("%s: keys %r" % (where, sorted(plan)))
            continue
        if not acts or not cts:
            empty.append("%s: %d actions, %d contacts" % (where, len(acts),
                                                          len(cts)))
        for a in acts:
            if not (isinstance(a.get("title"), str) and a["title"] and
                    isinstance(a.get("text"), str) and a["text"] and
                    a.get("section") in SECTIONS):
                shape.append("%s: action %r" % (where, a))
        idx = [SECTIONS.index(a["section"]) for a in acts
               if a.get("section") in SECTIONS]
        if idx != sorted(idx):
            order.append("%s: sections %r" % (where, [a.get("section")
                                                     for a in acts]))
        flat = [(g.get("code"), x.get("title")) for g in plan["sections"]
                for x in g.get("actions", [])]
        if flat != [(a.get("section"), a.get("title")) for a in acts] or \
                not all(g.get("label") for g in plan["sections"]):
            groups.append("%s: sections %r" % (where, plan["sections"][:2]))
        ids = [x.get("id") for x in cts]
        if len(set(ids)) != len(ids):
            contacts.append("%s: contact listed twice: %r" % (where, ids))
        for x in cts:
            link, url = x.get("link"), x.get("url")
            if not (x.get("name") and x.get("for") and x.get("id")) or \
                    (link is not None and not re.match(r"^(tel|sms):",
                                                       link)) or \
                    (url is not None and not url.startswith("https://")) or \
                    (x.get("phone") is None and url is None):
                contacts.append("%s: contact %r" % (where, x))
        for x in plan["resources"]:
            reading.add((x.get("title"), x.get("url")))
    t.ok(not shape, "every plan is {actions: [{title, text, section}], "
         "contacts, resources, sections}", *shape[:10])
    t.ok(not empty, "every path ends in a plan with at least one action "
         "and one contact", *empty[:10])
    t.ok(not order, "a plan's actions come section by section (maintenant, "
         "preuves, signaler, soutien, ressources)", *order[:5])
    t.ok(not groups, "a plan's sections hold its actions, in order, with "
         "a label", *groups[:5])
    t.ok(not contacts, "every contact is listed once, with a name, what it "
         "is for, a tel:/sms: link and an https:// site only",
         *contacts[:10])
    bad = []
    anon = srv.client(json_=True)
    conn = anon.connect()
    try:
        for title, url in sorted(reading, key=lambda x: str(x)):
            if not (isinstance(title, str) and title and
                    isinstance(url, str) and
                    re.match(r"^/ressources/\d+$", url)):
                bad.append("resource %r %r" % (title, url))
                continue
            r = anon.get(url, conn=conn)
            res = (r.json() or {}).get("resource") or {}
            if r.status != 200 or res.get("title") != title or \
                    res.get("audience") != "public":
                bad.append("%s %r: %s" % (url, title, r.brief()))
    finally:
        conn.close()
    t.ok(reading and not bad, "every sheet of an anonymous plan (%d) is a "
         "public resource an anonymous visitor can open, under its title" %
         len(reading), *bad[:10])


def safety(t, paths):
    """The rules that protect people, on every path concerned."""
    by = [(answers_of(s), plan, ",".join("%s=%s" % a for a in ans))
          for ans, s, plan in paths]

    # Danger first: the emergency call before anything else.
    danger = [(a, p, w) for a, p, w in by if a.get("danger") == "oui"]
    bad = []
    for a, p, w in danger:
        acts = p.get("actions") or [{}]
        phones = {x.get("phone") for x in p.get("contacts", [])}
        if acts[0].get("section") != "maintenant" or \
                "17" not in acts[0].get("text", "") or \
                not {"17", "112"} <= phones:
            bad.append("%s: first action %r, phones %r" % (
                w, acts[0].get("title"), sorted(phones, key=str)))
    t.ok(danger and not bad, "danger=oui (%d paths): the first action is "
         "in 'maintenant' and says 17; the contacts include the 17 and "
         "the 112" % len(danger), *bad[:10])
    bad = []
    for a, p, w in danger:
        if a.get("mineur") != "non" and "119" not in {
                x.get("phone") for x in p.get("contacts", [])}:
            bad.append(w)
    t.ok(not bad, "danger=oui with a (possible) minor: the 119 is among "
         "the contacts", *bad[:10])

    # Child sexual abuse images: never capture, download or keep them.
    pedo = [(a, p, w) for a, p, w in by if a.get("type") == "pedocriminalite"]
    bad = []
    for a, p, w in pedo:
        acts = p.get("actions", [])
        why = []
        if any(x.get("section") == "preuves" for x in acts):
            why.append("an action in section 'preuves': %r" % [
                x.get("title") for x in acts if x.get("section") ==
                "preuves"])
        for x in acts:
            for s in sentences(x.get("title", "") + "\n" +
                               x.get("text", "")):
                if re.search(r"captur|télécharg|enregistr", s, re.I) and \
                        not NEGATION.search(s):
                    why.append("%r (%s)" % (s, x.get("title")))
        txt = plan_text(p)
        if not any(NEGATION.search(s) and re.search(r"télécharg", s, re.I)
                   for s in sentences(txt)) or \
                not any(NEGATION.search(s) and
                        re.search(r"capture d'écran", s, re.I)
                        for s in sentences(txt)):
            why.append("no sentence says not to download and not to take "
                       "a screenshot")
        if why:
            bad.append("%s: %s" % (w, "; ".join(why)))
    t.ok(pedo and not bad, "type=pedocriminalite (%d paths): no 'preuves' "
         "action; every sentence about capturing, downloading or saving "
         "is a negative one ('ne … pas'), and the plan says not to "
         "download nor take a screenshot" % len(pedo), *bad[:10])
    bad = [w for a, p, w in pedo
           if not any(re.search(r"\bURL\b", x.get("text", ""))
                      for x in p.get("actions", [])
                      if x.get("section") == "signaler") or
           not any(x.get("id") == "pharos" for x in p.get("contacts", []))]
    t.ok(not bad, "type=pedocriminalite: the plan says to report the "
         "address (URL) and lists PHAROS", *bad[:10])

    # Spyware: removing it can alert the person who watches.
    surv = [(a, p, w) for a, p, w in by if a.get("type") == "surveillance"]
    bad = []
    for a, p, w in surv:
        warn = [x for x in p.get("actions", []) for s in sentences(
            x.get("text", "")) if re.search(r"supprim|retir|désinstall|"
                                            r"enlev", s, re.I) and
            re.search(r"préven|alert|apercev|avert", s, re.I)]
        if not warn or warn[0].get("section") != "maintenant":
            bad.append("%s: %r" % (w, [x.get("title") for x in warn]))
    t.ok(surv and not bad, "type=surveillance (%d paths): an action in "
         "'maintenant' warns that removing spyware or a tracker can alert "
         "the person who watches" % len(surv), *bad[:10])
    bad = [w for a, p, w in surv
           if a.get("surveillance-appareil") in ("oui", "ne-sais-pas") and
           not re.search(r"autre appareil", plan_text(p))]
    t.ok(not bad, "type=surveillance on a device that may be watched: the "
         "plan says to go on on another device", *bad[:10])

    # A minor's intimate images: keep the traces, never the images.
    minor = [(a, p, w) for a, p, w in by
             if a.get("mineur") in ("oui", "ne-sais-pas") and
             a.get("type") in ("images-intimes", "sextorsion")]
    bad = []
    for a, p, w in minor:
        txt = plan_text(p)
        why = []
        if re.search(r"capture d'écran complète", txt, re.I):
            why.append("'capture d'écran complète'")
        why += ["%r" % s for s in sentences(txt)
                if re.search(r"captur", s, re.I) and not NEGATION.search(s)]
        if why:
            bad.append("%s: %s" % (w, "; ".join(why)))
    t.ok(any(a.get("mineur") == "oui" and a.get("type") == "images-intimes"
             for a, _, _ in minor) and not bad,
         "mineur=oui|ne-sais-pas with images-intimes or sextorsion (%d "
         "paths): no action says to take a 'capture d'écran complète', "
         "nor any capture" % len(minor), *bad[:10])


def downloads(srv, t, c, tok, paths):
    """POST /orientation/plan for every complete state: the same plan, as
    text."""
    bad = []
    conn = c.connect()
    try:
        for answers, state, plan in paths:
            where = ",".join("%s=%s" % a for a in answers)
            r = step(c, tok, state, conn=conn, path="/orientation/plan")
            if r.status != 200 or r.header("content-type") != \
                    "text/plain; charset=utf-8" or not (
                        r.header("content-disposition") or "").startswith(
                        "attachment"):
                bad.append("%s: %s" % (where, r.brief()))
                continue
            body = r.text
            missing = [a["title"] for a in plan.get("actions", [])
                       if a.get("title") not in body]
            missing += [x["name"] for x in plan.get("contacts", [])
                        if x.get("name") not in body or
                        (x.get("phone") and x["phone"] not in body)]
            missing += [x["title"] for x in plan.get("resources", [])
                        if x.get("title") not in body]
            if missing:
                bad.append("%s: missing %r" % (where, missing[:3]))
            if re.search(r"&(#\d+|amp|lt|gt|quot);|<[a-z]", body):
                bad.append("%s: HTML in the text file" % where)
    finally:
        conn.close()
    t.ok(not bad, "POST /orientation/plan for each of the %d paths is a "
         "text/plain attachment with every action title, contact (name "
         "and number) and sheet of the JSON plan, and no HTML" % len(paths),
         *bad[:10])


# --- the rest: shape, navigation, errors, HTML ----------------------------

def group_orientation(binary, t):
    srv = Server(binary, "orientation")
    srv.add_user("pro@vigie.test", "professional")
    srv.start()
    other = Server(binary, "orientation-other").start()
    try:
        first_step(srv, t)
        navigation(srv, t)
        errors(srv, t, other)
        html_pages(srv, t)
        download(srv, t)
        professional(srv, t)
    finally:
        srv.check_stop(t)
        other.check_stop(t)
        srv.cleanup()
        other.cleanup()


def first_step(srv, t):
    c = srv.client(json_=True)
    r = c.get("/orientation")
    j = r.json() or {}
    t.eq(r.status, 200, "GET /orientation (JSON) is 200", r.brief())
    check_security(t, r, "GET /orientation (JSON)")
    t.ok((r.header("content-type") or "").startswith("application/json"),
         "GET /orientation (JSON) is application/json")
    s = j.get("step") or {}
    t.ok(isinstance(j.get("csrf"), str) and len(j["csrf"]) >= 16 and
         isinstance(j.get("state"), str) and
         re.match(r"^\.[A-Za-z0-9_-]{16,}$", j["state"]) and
         j.get("can_go_back") is False,
         "the first step has a csrf, a signed empty state ('.MAC') and "
         "can_go_back false", "%r" % {k: j.get(k) for k in
                                      ("csrf", "state", "can_go_back")})
    t.ok(s.get("id") == "qui" and s.get("number") == 1 and
         isinstance(s.get("question"), str) and s["question"] and
         (s.get("help") is None or isinstance(s["help"], str)) and
         isinstance(s.get("choices"), list) and len(s["choices"]) >= 2 and
         all(set(x) == {"value", "label"} for x in s["choices"]),
         "the first step is {id: qui, question, help?, choices: [{value, "
         "label}], number: 1}", "%r" % s)
    values = [x.get("value") for x in s.get("choices", [])]
    t.ok("professionnel" in values and "victime" in values,
         "'qui' offers victime and professionnel", "%r" % values)
    r2 = c.get("/orientation")
    t.eq((r2.json() or {}).get("state"), j.get("state"),
         "the empty state is the same on every GET (a signature, not a "
         "stored session)")
    # Answers in the query string are ignored: nothing comes from a URL.
    st = walk_to(c, j["csrf"], ["victime"], json_=False)
    for q in ("?choice=victime", "?state=" + urllib.parse.quote(st, safe=""),
              "?qui=victime"):
        r = c.get("/orientation" + q)
        jj = r.json() or {}
        t.ok(r.status in (200, 400) and
             (r.status == 400 or ((jj.get("step") or {}).get("id") == "qui"
                                  and jj.get("can_go_back") is False)),
             "GET /orientation%s does not take answers from the URL" %
             q[:20], r.brief())


def navigation(srv, t):
    c = srv.client(json_=True)
    tok = c.csrf("/orientation")
    r = step(c, tok, "", choice="victime")
    j = r.json() or {}
    t.ok(r.status == 200 and (j.get("step") or {}).get("number") == 2 and
         j.get("can_go_back") is True and
         (j.get("step") or {}).get("id") != "qui",
         "answering the first question gives question 2, can_go_back true",
         r.brief())
    check_security(t, r, "POST /orientation (JSON)")
    s1 = j.get("state", "")
    second = (j.get("step") or {})
    r = step(c, tok, s1, choice=second.get("choices", [{}])[0].get("value"))
    j2 = r.json() or {}
    s2 = j2.get("state", "")
    t.eq((j2.get("step") or {}).get("number"), 3, "then question 3")
    r = step(c, tok, s2, action="retour")
    j = r.json() or {}
    t.ok(r.status == 200 and (j.get("step") or {}).get("id") ==
         second.get("id") and j.get("state") == s1,
         "action=retour goes back one question (and its state)", r.brief())
    r = step(c, tok, s2, action="retour", choice="zzz")
    t.ok(r.status == 200 and ((r.json() or {}).get("step") or {}).get(
        "id") == second.get("id"), "action=retour ignores a posted choice",
         r.brief())
    r = step(c, tok, s1, action="retour")
    j = r.json() or {}
    t.ok(r.status == 200 and (j.get("step") or {}).get("id") == "qui" and
         j.get("can_go_back") is False and j.get("state", "x").startswith(
             "."), "action=retour from question 2 gives the first one",
         r.brief())
    r = step(c, tok, j.get("state", ""), action="retour")
    j = r.json() or {}
    t.ok(r.status == 200 and (j.get("step") or {}).get("id") == "qui",
         "action=retour on the first question stays there", r.brief())
    r = step(c, tok, s2, action="recommencer")
    j = r.json() or {}
    t.ok(r.status == 200 and (j.get("step") or {}).get("id") == "qui" and
         j.get("can_go_back") is False and j.get("state", "x").startswith(
             "."), "action=recommencer restarts", r.brief())
    # Walk one path to its plan, then back from the plan.
    j, prev, r = to_end(c, tok, lambda ch: ch[-1]["value"])
    t.ok("plan" in j and "step" not in j and "csrf" in j and "state" in j,
         "the end of a path is {csrf, state, plan} without a step",
         "%r" % sorted(j))
    check_security(t, r, "a plan (JSON)")
    r = step(c, tok, j.get("state", ""), action="retour")
    jj = r.json() or {}
    t.ok(r.status == 200 and (jj.get("step") or {}).get("id") ==
         prev.get("id"), "action=retour from the plan gives the last "
         "question", r.brief())
    r = step(c, tok, j.get("state", ""), choice="victime")
    code, _, field = error_json(r)
    t.ok(r.status == 400 and code == "invalid" and field == "choice",
         "a choice posted after the last question is 400 (field choice)",
         r.brief())


def errors(srv, t, other):
    c = srv.client(json_=True)
    tok = c.csrf("/orientation")
    r = step(c, tok, "")
    code, msg, field = error_json(r)
    t.ok(r.status == 400 and code == "invalid" and field == "choice" and
         msg, "no choice is 400 {error: {code: invalid, field: choice}}",
         r.brief())
    check_security(t, r, "a 400 of /orientation")
    r = step(c, tok, "", choice="")
    t.ok(r.status == 400 and error_json(r)[2] == "choice",
         "an empty choice is 400 (field choice)", r.brief())
    s1 = walk_to(c, tok, ["victime"], json_=False)
    r = step(c, tok, s1, choice="pas-un-choix")
    code, msg, field = error_json(r)
    t.ok(r.status == 400 and field == "choice" and msg,
         "an unknown choice is 400 (field choice)", r.brief())
    r = step(c, tok, s1, choice="victime")
    t.ok(r.status == 400 and error_json(r)[2] == "choice",
         "a choice of another question is 400", r.brief())
    r = step(c, tok, "", choice="victime", action="inconnue")
    t.eq(r.status, 200, "an unknown action is a plain answer",
         r.brief())

    # Tampered states.
    s_vic = s1
    s_tem = walk_to(c, tok, ["temoin"], json_=False)
    s_vic2 = walk_to(c, tok, ["victime", "oui"], json_=False)
    pay, mac = s_vic.rsplit(".", 1)
    flip = lambda ch: "A" if ch != "A" else "B"
    tampered = {
        "one character of the MAC changed": pay + "." + mac[:5] +
        flip(mac[5]) + mac[6:],
        "one character of the answers changed": pay[:-1] + flip(pay[-1]) +
        "." + mac,
        "the answers of another path with this MAC":
        s_tem.rsplit(".", 1)[0] + "." + mac,
        "a longer path with a shorter path's MAC":
        s_vic2.rsplit(".", 1)[0] + "." + mac,
        "the empty path with this MAC": "." + mac,
        "a MAC one character shorter": s_vic[:-1],
        "a MAC one character longer": s_vic + "A",
        "no MAC": pay,
        "no MAC but a dot": pay + ".",
        "garbage": "n'importe quoi",
        "a lone dot": ".",
        "a state of 3000 characters": "qui=" + "v" * 3000 + "." + mac,
        "unsigned answers": "qui=victime,danger=oui",
        "the MAC in another case": pay + "." + mac.swapcase(),
    }
    o = other.client(json_=True)
    otok = o.csrf("/orientation")
    tampered["a state signed by another server"] = walk_to(
        o, otok, ["victime"], json_=False)
    bad = []
    for what, st in tampered.items():
        r = step(c, tok, st, choice="oui")
        code, msg, field = error_json(r)
        if not (r.status == 400 and code == "invalid" and
                field == "state" and msg and re.search(
                    r"parcours|recommencez", msg, re.I)):
            bad.append("%s: %s" % (what, r.brief()))
    t.ok(not bad, "a tampered state (%d kinds) is 400 {field: state} with "
         "a French message" % len(tampered), *bad)
    r = step(c, tok, tampered["one character of the MAC changed"],
             action="retour")
    t.eq(r.status, 400, "a tampered state is refused with action=retour "
         "too", r.brief())
    r = step(c, tok, tampered["one character of the MAC changed"],
             path="/orientation/plan")
    t.ok(r.status == 400 and error_json(r)[2] == "state",
         "a tampered state is refused by /orientation/plan", r.brief())
    h = srv.client()
    h.cookies = dict(c.cookies)
    r = step(h, tok, "garbage", choice="oui", json_=False)
    t.ok(r.status == 400 and "<html" in r.text and
         "Recommencez" in french_text(r),
         "a bad state in HTML is a 400 page in French", r.brief())
    tags = parse_tags(r.text)
    radios = [a.get("value") for tag, a, _ in tags.tags
              if tag == "input" and a.get("name") == "choice"]
    st = hidden(tags, "state")
    t.ok("victime" in radios and len(st) == 1 and st[0].startswith("."),
         "after a bad state, the page starts again at the first question",
         "radios %r state %r" % (radios, st))
    r = step(h, tok, s1, json_=False)
    tags = parse_tags(r.text)
    t.ok(r.status == 400 and hidden(tags, "state") == [s1] and
         "Question 2" in french_text(r),
         "no choice (HTML) shows the same question again, state kept",
         r.brief())

    # CSRF.
    r = step(c, tok, "", choice="victime", csrf=False)
    t.ok(r.status == 403 and error_json(r)[0] == "csrf",
         "POST /orientation without csrf is 403", r.brief())
    r = step(c, tok + "x", "", choice="victime")
    t.eq(r.status, 403, "POST /orientation with a wrong csrf is 403")
    r = step(c, otok, "", choice="victime")
    t.eq(r.status, 403, "another visitor's csrf token is 403")
    r = step(c, tok, s1, csrf=False, path="/orientation/plan")
    t.eq(r.status, 403, "POST /orientation/plan without csrf is 403")
    r = c.request("DELETE", "/orientation")
    t.eq(r.status, 405, "DELETE /orientation is 405")
    r = c.get("/orientation/plan")
    t.eq(r.status, 405, "GET /orientation/plan is 405 (POST only)")
    r = c.post("/orientation", form={"csrf": tok, "state": "",
                                     "choice": "victime",
                                     "pad": "x" * 9000})
    t.eq(r.status, 413, "a 9 KB step is 413", r.brief())


def hidden(tags, name):
    return [a.get("value") for tag, a, _ in tags.tags
            if tag == "input" and a.get("type") == "hidden" and
            a.get("name") == name]


def no_state_outside_inputs(t, r, state, desc):
    """The state (and its answers) appear only as hidden input values."""
    tags = parse_tags(r.text)
    n_inputs = sum(1 for v in hidden(tags, "state") if v == state)
    text = html.unescape(r.text)
    payload = state.rsplit(".", 1)[0]
    n_state = text.count(state)
    n_payload = text.count(payload) if payload else n_state
    t.ok(n_inputs >= 1 and n_state == n_inputs and n_payload == n_inputs,
         "%s: the state is only in hidden inputs" % desc,
         "hidden inputs %d, state seen %d times, answers %d times" %
         (n_inputs, n_state, n_payload))
    urls = [a.get(k) for tag, a, _ in tags.tags for k in ("href", "action")
            if a.get(k) is not None]
    own = [u for u in urls if u.startswith("/") and
           not u.startswith("/static/")]
    leaks = [u for u in own if "?" in u or any(
        v in u for v in answers_of(state).values())]
    t.ok(own and not leaks, "%s: no link or form target of the site "
         "carries a query or an answer" % desc, "%r" % leaks)


def html_pages(srv, t):
    h = srv.client()
    r = h.get("/orientation")
    t.eq(r.status, 200, "GET /orientation (HTML) is 200")
    check_security(t, r, "GET /orientation (HTML)")
    html_checks(t, "/orientation", r)
    tags = parse_tags(r.text)
    forms = [a for tag, a, _ in tags.tags if tag == "form"]
    t.ok(any(f.get("method", "").lower() == "post" and
             f.get("action") == "/orientation" for f in forms) and
         all(f.get("method", "").lower() == "post" for f in forms
             if (f.get("action") or "").startswith("/orientation")),
         "the question is a <form method=post action=/orientation>",
         "%r" % forms)
    radios = [a.get("value") for tag, a, _ in tags.tags
              if tag == "input" and a.get("type") == "radio" and
              a.get("name") == "choice"]
    j = h.get("/orientation", json_=True).json() or {}
    t.eq(radios, [x["value"] for x in j["step"]["choices"]],
         "the radio inputs name=choice are the JSON choices")
    st, tok = hidden(tags, "state"), hidden(tags, "csrf")
    t.ok(len(st) == 1 and st[0].startswith(".") and len(tok) == 1 and
         tok[0], "the form has a hidden state and a hidden csrf",
         "%r %r" % (st, tok))
    t.ok("Question 1" in french_text(r) and
         html.escape(j["step"]["question"], quote=False) in r.text,
         "the page shows the question and its number")
    if not st or not tok:
        return
    tok = tok[0]
    # Answer with the form, as a browser does.
    state = st[0]
    page = None
    for _ in range(16):
        tags = parse_tags(r.text)
        radios = [a.get("value") for tag, a, _ in tags.tags
                  if tag == "input" and a.get("type") == "radio" and
                  a.get("name") == "choice"]
        if not radios:
            break
        r = h.post("/orientation", form={"csrf": tok, "state": state,
                                         "choice": radios[0],
                                         "action": "continuer"})
        if r.status != 200:
            break
        st = hidden(parse_tags(r.text), "state")
        state = st[0] if st else ""
        if page is None:
            page = r
    t.ok(page is not None and page.status == 200 and
         page.header("location") is None and "Question 2" in
         french_text(page), "a posted answer gives the next question in "
         "the response itself, not through a redirect",
         page.brief() if page else None)
    if page is not None:
        check_security(t, page, "POST /orientation (HTML)")
        html_checks(t, "a later question", page)
        no_state_outside_inputs(t, page, hidden(parse_tags(page.text),
                                                "state")[0],
                                "a later question")
        ptags = parse_tags(page.text)
        t.ok({a.get("value") for tag, a, _ in ptags.tags
              if tag == "button"} >= {"continuer", "retour",
                                      "recommencer"},
             "a later question has Continuer, Revenir and Recommencer "
             "buttons")
    t.ok(r.status == 200 and "plan-contacts" in r.text,
         "the HTML answers lead to the plan page", r.brief())
    check_security(t, r, "the plan page")
    no_state_outside_inputs(t, r, state, "the plan page")
    tags = parse_tags(r.text)
    dl = []
    in_dl = False
    for tag, a, _ in tags.tags:
        if tag == "form":
            in_dl = a.get("action") == "/orientation/plan" and \
                a.get("method", "").lower() == "post"
        elif in_dl and tag == "input" and a.get("type") == "hidden":
            dl.append((a.get("name"), a.get("value")))
    t.ok(("state", state) in dl and ("csrf", tok) in dl,
         "the plan page has a POST form to /orientation/plan with the "
         "state and csrf", "%r" % dl)
    # The same plan in JSON: back one question, then the last answer.
    last = list(answers_of(state).values())[-1]
    rb = step(h, tok, state, action="retour")
    jp = (step(h, tok, (rb.json() or {}).get("state", ""),
               choice=last).json() or {}).get("plan") or {}
    text = french_text(r)
    missing = [a["title"] for a in jp.get("actions", [])
               if a["title"] not in text]
    missing += [x["name"] for x in jp.get("contacts", [])
                if x["name"] not in text]
    t.ok(jp and not missing, "the plan page shows every action and "
         "contact of the JSON plan", "missing %r" % missing[:5])
    sheets = [(x["url"], x["title"]) for x in jp.get("resources", [])]
    links = {(a.get("href"), None) for tag, a, _ in tags.tags if tag == "a"}
    t.ok(sheets and 'id="plan-fiches"' in r.text and
         all((u, None) in links and ti in text for u, ti in sheets),
         "the plan page lists the plan's sheets (section 'Fiches à lire')",
         "JSON sheets %r" % sheets[:3])
    tels = [a.get("href") for tag, a, _ in tags.tags if tag == "a" and
            re.match(r"^(tel|sms):", a.get("href", ""))]
    want = [x["link"] for x in jp.get("contacts", []) if x.get("link")]
    t.ok(set(want) <= set(tels), "the plan page links the numbers (tel:/"
         "sms:)", "want %r got %r" % (want, tels))
    ext = [a for tag, a, _ in tags.tags if tag == "a" and
           re.match(r"^https?://", a.get("href", "")) and
           a.get("id") != "sortie-rapide"]
    t.ok(all("noreferrer" in a.get("rel", "") for a in ext),
         "the plan's external links are rel=noreferrer",
         "%r" % [a for a in ext if "noreferrer" not in a.get("rel", "")])
    # The HTML error for a missing choice.
    r = h.post("/orientation", form={"csrf": tok, "state": "",
                                     "action": "continuer"})
    t.ok(r.status == 400 and 'id="choix-erreur"' in r.text and
         "Choisissez une réponse" in french_text(r),
         "no choice in HTML is a 400 page with the error by the question",
         r.brief())


def download(srv, t):
    c = srv.client(json_=True)
    tok = c.csrf("/orientation")
    # A path to its end, the first choice each time.
    j, _, _ = to_end(c, tok, lambda ch: ch[0]["value"])
    plan = j.get("plan") or {}
    r = step(c, tok, j.get("state", ""), path="/orientation/plan")
    t.eq(r.status, 200, "POST /orientation/plan with a complete state is "
         "200", r.brief())
    t.eq(r.header("content-type"), "text/plain; charset=utf-8",
         "the plan download is text/plain; charset=utf-8")
    cd = r.header("content-disposition") or ""
    t.ok(re.match(r'^attachment;\s*filename="?[\w.-]+\.txt"?$', cd),
         "the plan download is an attachment with a .txt name", cd)
    check_security(t, r, "the plan download")
    body = r.text
    t.ok(plan.get("actions") and all(a["title"] in body
                                     for a in plan["actions"]) and
         all(x["name"] in body for x in plan.get("contacts", [])),
         "the text has the plan's action titles and contact names",
         body[:300])
    t.ok(re.search(r"\d\d/\d\d/\d{4}", body) and
         j.get("state", "@").rsplit(".", 1)[-1] not in body and
         j.get("state", "@").rsplit(".", 1)[0] not in body,
         "the text is dated and carries no state")
    r = step(c, tok, "", path="/orientation/plan")
    code, _, _ = error_json(r)
    t.ok(r.status == 400 and code == "invalid",
         "POST /orientation/plan with the empty state is 400", r.brief())
    s1 = walk_to(c, tok, ["victime", "non"], json_=False)
    r = step(c, tok, s1, path="/orientation/plan")
    t.ok(r.status == 400 and "text/plain" not in (r.header("content-type")
                                                 or ""),
         "POST /orientation/plan with an incomplete state is 400, not a "
         "file", r.brief())
    r = c.post("/orientation/plan", form={"csrf": tok})
    t.eq(r.status, 400, "POST /orientation/plan without a state is 400",
         r.brief())


def professional(srv, t):
    answers = ["professionnel", "non", "oui", "harcelement"]
    a = srv.client(json_=True)
    tok = a.csrf("/orientation")
    r = walk_to(a, tok, answers)
    ja = r.json() or {}
    anon = (ja.get("plan") or {}).get("resources")
    t.ok(isinstance(anon, list), "the anonymous professional path ends in "
         "a plan", r.brief())
    p = srv.client(json_=True)
    r = p.login("pro@vigie.test", PASSWORD)
    t.eq(r.status, 200, "the professional signs in", r.brief())
    ptok = p.csrf("/orientation")
    r = walk_to(p, ptok, answers)
    jp = r.json() or {}
    pro = (jp.get("plan") or {}).get("resources")
    t.ok(isinstance(pro, list), "the signed-in professional path ends in "
         "a plan", r.brief())
    anon, pro = anon or [], pro or []
    t.ok(any(re.search(r"accompagner", x.get("title", ""), re.I)
             for x in pro),
         "a signed-in professional's plan (qui=professionnel) lists the "
         "sheet about accompanying a young person",
         "%r" % [x.get("title") for x in pro])
    t.ok(not any(re.search(r"accompagner", x.get("title", ""), re.I)
                 for x in anon),
         "the anonymous plan for the same answers lacks it",
         "%r" % [x.get("title") for x in anon])
    anon_urls = {x.get("url") for x in anon}
    extra = [x for x in pro if x.get("url") not in anon_urls]
    t.ok(extra and anon_urls <= {x.get("url") for x in pro},
         "the professional's plan has every public sheet and more",
         "anon %r pro %r" % (sorted(anon_urls), [x.get("url") for x in pro]))
    bad = []
    for x in extra:
        ra = a.get(x["url"])
        rp = p.get(x["url"])
        if ra.status != 404 or rp.status != 200:
            bad.append("%s: anonymous %d, professional %d" % (
                x["url"], ra.status, rp.status))
    t.ok(extra and not bad, "the professional sheets of the plan are 404 "
         "for an anonymous visitor and 200 for the professional", *bad)
    # The download follows the same rule.
    r = step(p, ptok, jp.get("state", ""), path="/orientation/plan")
    ra = step(a, tok, ja.get("state", ""), path="/orientation/plan")
    t.ok(r.status == 200 and ra.status == 200 and
         all(x["title"] in r.text for x in extra) and
         not any(x["title"] in ra.text for x in extra),
         "the downloaded plan lists the professional sheets only for the "
         "professional", r.brief(), ra.brief())
    # The state holds the answers, not who gave them: the professional's
    # state downloaded anonymously shows only the public sheets.
    r = step(a, tok, jp.get("state", ""), path="/orientation/plan")
    t.ok(r.status == 200 and extra and
         not any(x["title"] in r.text for x in extra),
         "a professional's state posted anonymously gives only public "
         "sheets", r.brief())


GROUPS = [("orientation", group_orientation),
          ("orientation-walk", group_orientation_walk)]
