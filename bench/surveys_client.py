#!/usr/bin/env python3
"""
surveys_client.py — N concurrent people answering /q/FORM to the end, as
fast as they can, for bench/surveys.sh: each thread keeps one keep-alive
connection and goes start → answer → send, again and again.  Prints one
line: sent, requests, seconds, the p99 of the sending request in ms.

    surveys_client.py PORT FORM_ID CONNECTIONS SECONDS
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

port, form, conns, secs = (int(sys.argv[1]), sys.argv[2], int(sys.argv[3]),
                           float(sys.argv[4]))
path = "/q/" + form
lock = threading.Lock()
totals = {"sent": 0, "requests": 0, "errors": 0}
latencies = []


def person(deadline):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path, headers={"Accept": "application/json"})
    r = c.getresponse()
    cookie = r.getheader("Set-Cookie", "").split(";")[0]
    csrf = json.loads(r.read())["csrf"]
    hdrs = {"Accept": "application/json", "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded"}
    sent = reqs = errors = 0
    lat = []

    def post(fields):
        nonlocal reqs
        body = urllib.parse.urlencode(fields)
        t0 = time.monotonic()
        c.request("POST", path, body=body, headers=hdrs)
        r = c.getresponse()
        data = r.read()
        reqs += 1
        return r.status, json.loads(data), time.monotonic() - t0

    while time.monotonic() < deadline:
        st, j, _ = post({"csrf": csrf, "action": "commencer"})
        st, j, _ = post({"csrf": csrf, "action": "continuer",
                         "state": j.get("state", ""), "age": "16",
                         "sexe": "fille", "dep": "42", "ou": "tiktok",
                         "commentaire": "Des messages la nuit."})
        st, j, dt = post({"csrf": csrf, "action": "envoyer",
                          "state": j.get("state", "")})
        if st == 200 and j.get("received"):
            sent += 1
            lat.append(dt)
        else:
            errors += 1
    with lock:
        totals["sent"] += sent
        totals["requests"] += reqs
        totals["errors"] += errors
        latencies.extend(lat)


t0 = time.monotonic()
threads = [threading.Thread(target=person, args=(t0 + secs,))
           for _ in range(conns)]
for th in threads:
    th.start()
for th in threads:
    th.join()
elapsed = time.monotonic() - t0
latencies.sort()
p99 = latencies[int(len(latencies) * 0.99)] * 1000 if latencies else 0
print("%d %d %.2f %.1f %d" % (totals["sent"], totals["requests"], elapsed,
                              p99, totals["errors"]))
