"""
harness.py — the pieces every HTTP test group uses: a real Vigie server
in a temporary data directory, a small HTTP client with a cookie jar, and
a recorder of TAP results.

Python standard library only.
"""
import atexit
import html
import html.parser
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import traceback
import urllib.parse

SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "runtime error",
                   "UndefinedBehaviorSanitizer", "ThreadSanitizer")
READY_RE = re.compile(r"Vigie est en service sur "
                      r"http://([0-9.]+|\[[0-9a-f:]+\]):(\d+)/")
START_TIMEOUT = 20.0
STOP_TIMEOUT = 15.0
PASSWORD = "une phrase de passe solide 42"


def sanitizer_env(extra=None):
    """The environment for every process: sanitizers report everything,
    leaks included, and no proxy stands between us and the server."""
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS",
                   "detect_leaks=1:abort_on_error=0:strict_string_checks=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    for k in ("VIGIE_LISTEN", "VIGIE_DATA", "VIGIE_CONFIG", "VIGIE_SHARE"):
        env.pop(k, None)
    env["LC_ALL"] = env.get("LC_ALL") or "C.UTF-8"
    if extra:
        env.update(extra)
    return env


def sanitizer_report(text):
    """The lines of a sanitizer report in text, or []."""
    return [l for l in text.splitlines()
            if any(m in l for m in SANITIZER_MARKS)]


# --- results ---------------------------------------------------------------

class Recorder:
    """Collects the results of one group; run.py numbers and prints them."""

    def __init__(self, group):
        self.group = group
        self.results = []           # (ok, description, [diagnostics])

    def ok(self, cond, desc, *diag):
        self.results.append((bool(cond), "%s: %s" % (self.group, desc),
                             [str(d) for d in diag if d is not None]))
        return bool(cond)

    def eq(self, got, want, desc, *diag):
        return self.ok(got == want, desc,
                       *(["got %r, want %r" % (got, want)] + list(diag))
                       if got != want else [])

    def fail_exception(self, where):
        tb = traceback.format_exc().rstrip().splitlines()
        self.results.append((False, "%s: %s raised an exception" %
                             (self.group, where), tb[-12:]))


# --- responses and the client ---------------------------------------------

class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers      # [(lower-case name, value)]
        self.body = body

    def header(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k == name:
                return v
        return default

    def header_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k == name]

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None

    def cookie(self, name):
        """The Set-Cookie line for cookie name, or None."""
        for line in self.header_all("set-cookie"):
            if line.split("=", 1)[0].strip() == name:
                return line
        return None

    def __repr__(self):
        return "<%d %s, %d bytes>" % (self.status, self.reason,
                                      len(self.body))

    def brief(self):
        hdrs = "; ".join("%s: %s" % kv for kv in self.headers
                         if kv[0] in ("location", "set-cookie",
                                      "content-type", "allow"))
        return "status %d [%s] body %r" % (self.status, hdrs,
                                            self.body[:300])


def cookie_attrs(line):
    """(name, value, {attribute lower-case: value or True})."""
    parts = [p.strip() for p in line.split(";")]
    name, _, value = parts[0].partition("=")
    attrs = {}
    for p in parts[1:]:
        k, eq, v = p.partition("=")
        attrs[k.strip().lower()] = v.strip() if eq else True
    return name.strip(), value.strip(), attrs


class Client:
    """One visitor: a cookie jar and, optionally, JSON by default."""

    def __init__(self, port, json_=False, host="127.0.0.1"):
        self.host = host
        self.port = port
        self.json = json_
        self.cookies = {}

    def connect(self, timeout=30):
        return http.client.HTTPConnection(self.host, self.port,
                                          timeout=timeout)

    def absorb(self, resp):
        for line in resp.header_all("set-cookie"):
            name, value, attrs = cookie_attrs(line)
            if value == "" or attrs.get("max-age") == "0":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def request(self, method, path, body=None, headers=None, form=None,
                json_=None, conn=None, cookies=True):
        """Send one request; returns a Response.  form is a dict or a list
        of pairs, urlencoded; body is sent as is (bytes or str)."""
        hdrs = {}
        want_json = self.json if json_ is None else json_
        if want_json:
            hdrs["Accept"] = "application/json"
        else:
            hdrs["Accept"] = "text/html,application/xhtml+xml,*/*;q=0.8"
        if cookies and self.cookies:
            hdrs["Cookie"] = "; ".join("%s=%s" % kv
                                       for kv in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form).encode("utf-8")
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        if isinstance(body, str):
            body = body.encode("utf-8")
        if headers:
            for k, v in headers.items():
                if v is None:
                    hdrs.pop(k, None)
                else:
                    hdrs[k] = v
        own = conn is None
        c = self.connect() if own else conn
        try:
            c.request(method, path, body=body, headers=hdrs)
            r = c.getresponse()
            data = r.read()
            resp = Response(r.status, r.reason,
                            [(k.lower(), v) for k, v in r.getheaders()],
                            data)
        finally:
            if own:
                c.close()
        if cookies:
            self.absorb(resp)
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, form=None, **kw):
        return self.request("POST", path, form=form, **kw)

    def csrf(self, path="/connexion"):
        """The CSRF token of this visitor, read from a page's JSON twin
        (which also sets the anonymous cookie when there is none)."""
        r = self.get(path, json_=True)
        j = r.json() or {}
        tok = j.get("csrf")
        if not isinstance(tok, str) or not tok:
            raise AssertionError("no csrf in %s: %s" % (path, r.brief()))
        return tok

    def login(self, email, password, json_=None):
        tok = self.csrf()
        return self.post("/connexion", form={"email": email,
                                             "password": password,
                                             "csrf": tok}, json_=json_)


def raw_request(port, data, timeout=10, read_all=True):
    """Send raw bytes, return every byte received until the server closes
    (or the timeout).  For requests http.client refuses to send."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not chunk:
                break
            out += chunk
            if not read_all and b"\r\n\r\n" in out:
                break
        return out
    finally:
        s.close()


# --- HTML --------------------------------------------------------------------

class Tags(html.parser.HTMLParser):
    """Every start tag in order, with its attributes, and whether it is
    inside <body>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []          # (tag, {attr: value}, in_body)
        self.in_body = False
        self.html_attrs = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "html":
            self.html_attrs = a
        if tag == "body":
            self.in_body = True
        self.tags.append((tag, a, self.in_body))

    handle_startendtag = handle_starttag


def parse_tags(text):
    p = Tags()
    p.feed(text)
    p.close()
    return p


def french_text(resp):
    return html.unescape(resp.text)


# --- the server --------------------------------------------------------------

_running = []           # every server started, killed at exit if still up


@atexit.register
def _kill_leftovers():
    for p in _running:
        if p.poll() is None:
            p.kill()
            p.wait()


class Server:
    """A vigie server on 127.0.0.1, port chosen by the kernel, in its own
    temporary data directory."""

    def __init__(self, binary, name, conf=None, env=None, init=True):
        self.binary = binary
        self.name = name
        self.root = tempfile.mkdtemp(prefix="vigie-http-%s-" % name)
        self.data = os.path.join(self.root, "data")
        self.conf = conf
        self.env = env
        self.proc = None
        self.port = None
        self.stdout_lines = []
        self.stderr_path = os.path.join(self.root, "stderr.log")
        self.stopped = None      # (exit code, stderr text, seconds)
        if init:
            self.init_data()

    def cli(self, *args, stdin=None, env=None, timeout=60):
        """Run the binary with args; returns CompletedProcess (text)."""
        return subprocess.run([self.binary] + list(args), input=stdin,
                              capture_output=True, text=True,
                              env=sanitizer_env(env), timeout=timeout,
                              cwd=self.root)

    def init_data(self):
        r = self.cli("init", "--data", self.data)
        if r.returncode != 0:
            raise RuntimeError("vigie init failed: %s" % r.stderr)
        if self.conf:
            with open(os.path.join(self.data, "vigie.conf"), "w") as f:
                for k, v in self.conf.items():
                    f.write("%s = %s\n" % (k, v))

    def add_user(self, email, role, password=PASSWORD):
        r = self.cli("user", "add", email, "--role", role, "--data",
                     self.data, stdin=password + "\n")
        if r.returncode != 0:
            raise RuntimeError("user add %s failed: %s" % (email, r.stderr))
        m = re.search(r"n° (\d+)", r.stdout)
        return int(m.group(1)) if m else None

    def start(self, args=None, env=None):
        if args is None:
            args = ["serve", "--data", self.data, "--listen", "127.0.0.1:0"]
        self.stderr_file = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [self.binary] + args, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=self.stderr_file,
            env=sanitizer_env(env or self.env), cwd=self.root)
        _running.append(self.proc)
        ready = threading.Event()

        def reader():
            for raw in self.proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.stdout_lines.append(line)
                m = READY_RE.search(line)
                if m and self.port is None:
                    self.port = int(m.group(2))
                    ready.set()
            ready.set()
        threading.Thread(target=reader, daemon=True).start()
        ready.wait(START_TIMEOUT)
        if self.port is None:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("server %s did not start: stdout %r stderr %r"
                               % (self.name, self.stdout_lines,
                                  self.stderr()[-2000:]))
        return self

    def client(self, json_=False):
        return Client(self.port, json_=json_)

    def stderr(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stderr_bytes(self):
        with open(self.stderr_path, "rb") as f:
            return f.read()

    def data_bytes(self):
        """Every byte of the database (main file, WAL and shared memory)."""
        out = b""
        for n in ("vigie.db", "vigie.db-wal", "vigie.db-shm",
                  "vigie.db-journal"):
            p = os.path.join(self.data, n)
            if os.path.exists(p):
                with open(p, "rb") as f:
                    out += f.read()
        return out

    def signal(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)

    def stop(self):
        """SIGTERM, wait; returns (exit code or None, stderr, seconds)."""
        if self.stopped is not None:
            return self.stopped
        t0 = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = None
        took = time.monotonic() - t0
        self.stderr_file.close()
        self.stopped = (rc, self.stderr(), took)
        return self.stopped

    def check_stop(self, t):
        """Stop the server and record that it went cleanly."""
        rc, err, took = self.stop()
        t.ok(rc == 0, "server exits 0 on SIGTERM",
             "exit code %r after %.1f s" % (rc, took),
             *err.splitlines()[-5:])
        rep = sanitizer_report(err)
        t.ok(not rep, "no sanitizer report in the server's stderr",
             *(rep[:10] + [l for l in err.splitlines()
                           if l.startswith("    #")][:15]))

    def cleanup(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.root, ignore_errors=True)


# --- shared checks -----------------------------------------------------------

def security_problems(resp, dynamic=True):
    """What is missing from the security headers of resp ([] when all is
    right)."""
    p = []
    csp = resp.header("content-security-policy")
    if not csp:
        p.append("no Content-Security-Policy")
    else:
        if "unsafe-inline" in csp:
            p.append("CSP allows 'unsafe-inline': %s" % csp)
        if "unsafe-eval" in csp:
            p.append("CSP allows 'unsafe-eval': %s" % csp)
        if not re.search(r"frame-ancestors\s+'none'", csp):
            p.append("CSP lacks frame-ancestors 'none': %s" % csp)
        if not re.search(r"default-src\s+'none'|default-src\s+'self'", csp):
            p.append("CSP lacks a restrictive default-src: %s" % csp)
    if (resp.header("x-content-type-options") or "").lower() != "nosniff":
        p.append("X-Content-Type-Options: %r" %
                 resp.header("x-content-type-options"))
    if (resp.header("referrer-policy") or "").lower() != "no-referrer":
        p.append("Referrer-Policy: %r" % resp.header("referrer-policy"))
    if not resp.header("permissions-policy"):
        p.append("no Permissions-Policy")
    if dynamic and "no-store" not in (resp.header("cache-control") or ""):
        p.append("Cache-Control: %r (no-store expected)" %
                 resp.header("cache-control"))
    return p


def check_security(t, resp, desc, dynamic=True):
    return t.ok(not security_problems(resp, dynamic),
                "%s has the security headers" % desc,
                *security_problems(resp, dynamic))


def error_json(resp):
    """(code, message, field) of a JSON error response, or Nones."""
    j = resp.json()
    if not isinstance(j, dict) or not isinstance(j.get("error"), dict):
        return None, None, None
    e = j["error"]
    return e.get("code"), e.get("message"), e.get("field")
