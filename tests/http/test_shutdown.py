"""
test_shutdown.py — SIGTERM while requests are running: every request the
server accepted gets its whole answer, new connections are refused, and
the process exits 0 soon after.
"""
import http.client
import socket
import threading
import time
import urllib.parse

from harness import Server, sanitizer_report

N = 20
SLOW = 12               # of the N requests, this many are sign-ins
BURST = 60              # connections of the burst test
BURST_TRIALS = 5
POST_BODY = b"email=a%40b.fr"


def group_shutdown(binary, t):
    slow_requests(binary, t)
    burst(binary, t)


def keepalive_conns(port, n):
    """n keep-alive connections the server has certainly accepted: each
    has already been answered once."""
    conns = []
    for i in range(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/", headers={"Accept": "text/html"})
        conn.getresponse().read()
        conns.append(conn)
    return conns


def slow_requests(binary, t):
    srv = Server(binary, "shutdown", conf={"threads": "2"})
    srv.start()
    try:
        c = srv.client(json_=True)
        tok = c.csrf()
        cookie = "vigie_csrf=" + c.cookies["vigie_csrf"]
        # One address each: sign-ins are throttled per address.
        bodies = [urllib.parse.urlencode({
            "csrf": tok, "email": "personne-%d@vigie.test" % i,
            "password": "un mot de passe qui ne va pas"}).encode()
            for i in range(N)]
        # A first sign-in computes the dummy hash used for unknown
        # addresses.
        c.post("/connexion", form={"csrf": tok, "email": "x@vigie.test",
                                   "password": "y"})
        conns = keepalive_conns(srv.port, N)
        results = [None] * N
        go = threading.Barrier(N + 1)

        def one(i):
            conn = conns[i]
            go.wait()
            try:
                if i < SLOW:
                    conn.request("POST", "/connexion", body=bodies[i],
                                 headers={
                                     "Content-Type":
                                     "application/x-www-form-urlencoded",
                                     "Accept": "application/json",
                                     "Cookie": cookie})
                    want = 401
                else:
                    conn.request("GET", "/confidentialite")
                    want = 200
                r = conn.getresponse()
                data = r.read()
                ok = (r.status == want and
                      str(len(data)) == r.getheader("Content-Length"))
                results[i] = (ok, r.status, len(data),
                              r.getheader("Connection"), time.monotonic())
            except Exception as e:      # noqa: BLE001 — any failure counts
                results[i] = (False, repr(e))
            finally:
                conn.close()

        threads = [threading.Thread(target=one, args=(i,))
                   for i in range(N)]
        for th in threads:
            th.start()
        go.wait()
        time.sleep(0.4)         # the requests are sent, sign-ins running
        t_sig = time.monotonic()
        srv.signal()
        time.sleep(0.3)
        refused = False
        try:
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=2)
            try:
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                refused = s.recv(100) == b""
            finally:
                s.close()
        except OSError:
            refused = True
        for th in threads:
            th.join(30)
        bad = [(i, r) for i, r in enumerate(results) if not (r and r[0])]
        t.ok(not bad, "SIGTERM during %d requests (%d sign-ins): each got "
             "its complete answer" % (N, SLOW),
             "%d incomplete:" % len(bad), *["#%d: %r" % x for x in bad[:8]])
        t.ok(refused, "a new connection after SIGTERM is refused")
        # Judge only the answers that came after the signal (with a margin
        # for an answer already on its way): each must say close.
        late = [r for r in results if r and len(r) > 4 and
                r[4] > t_sig + 0.15]
        t.ok(late and all((r[3] or "").lower() == "close" for r in late),
             "answers sent while stopping say Connection: close",
             "%d answers after the signal: %r" % (
                 len(late), [r[3] for r in late][:5]))
        try:
            rc = srv.proc.wait(15)
        except Exception:       # noqa: BLE001
            rc = None
        took = time.monotonic() - t_sig
        t.ok(rc == 0, "the server exits 0 after draining",
             "exit %r after %.1f s" % (rc, took))
        t.ok(took < 10.0, "the server stops within a few seconds of "
             "SIGTERM", "%.1f s" % took)
    finally:
        rc, err, _ = srv.stop()
        rep = sanitizer_report(err)
        t.ok(not rep, "no sanitizer report in the server's stderr",
             *rep[:10])
        t.ok("stopped" in err and "still running" not in err,
             "the log says the server stopped with nothing left running",
             *err.splitlines()[-4:])
        srv.cleanup()


def burst(binary, t):
    """Quick requests already sent on open connections when SIGTERM comes:
    the server has them in its sockets and must answer them all.  One
    worker thread, busy with a sign-in when they arrive, so they are
    certainly waiting when the signal comes.  POST, so a client could not
    safely send them again."""
    lost = []
    bad_exit = []
    reports = []
    for trial in range(BURST_TRIALS):
        srv = Server(binary, "burst", conf={"threads": "1"})
        srv.start()
        try:
            c = srv.client(json_=True)
            tok = c.csrf()
            cookie = "vigie_csrf=" + c.cookies["vigie_csrf"]
            conns = keepalive_conns(srv.port, BURST + 1)
            slow = urllib.parse.urlencode({
                "csrf": tok, "email": "lent@vigie.test",
                "password": "un mot de passe qui ne va pas"}).encode()
            blocker = conns.pop()
            blocker.putrequest("POST", "/connexion")
            for k, v in (("Content-Type", "application/x-www-form-urlencoded"),
                         ("Content-Length", str(len(slow))),
                         ("Accept", "application/json"), ("Cookie", cookie)):
                blocker.putheader(k, v)
            blocker.endheaders(slow)
            time.sleep(0.05)            # the only worker is hashing
            for conn in conns:
                conn.putrequest("POST", "/connexion")
                conn.putheader("Content-Type",
                               "application/x-www-form-urlencoded")
                conn.putheader("Content-Length", str(len(POST_BODY)))
                conn.putheader("Accept", "application/json")
                conn.endheaders(POST_BODY)
            time.sleep(0.02)
            srv.signal()
            for i, conn in enumerate([blocker] + conns):
                want = 401 if i == 0 else 403
                try:
                    r = conn.getresponse()
                    r.read()
                    if r.status != want:
                        lost.append("trial %d #%d: %d" % (trial, i,
                                                           r.status))
                except Exception as e:  # noqa: BLE001
                    lost.append("trial %d #%d: %r" % (trial, i, e))
                finally:
                    conn.close()
        finally:
            rc, err, _ = srv.stop()
            if rc != 0:
                bad_exit.append("trial %d: exit %r" % (trial, rc))
            reports += sanitizer_report(err)
            srv.cleanup()
        if lost:
            break
    t.ok(not lost, "SIGTERM while %d quick POSTs wait on open connections: "
         "each is answered (up to %d trials)" % (BURST, BURST_TRIALS),
         "%d requests lost, for example:" % len(lost), *lost[:5])
    t.ok(not bad_exit, "each burst server exits 0", *bad_exit)
    t.ok(not reports, "no sanitizer report from the burst servers",
         *reports[:5])


GROUPS = [("shutdown", group_shutdown)]
