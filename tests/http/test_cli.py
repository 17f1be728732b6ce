"""
test_cli.py — the command line: usage errors, user creation, configuration
checks, the data directory's permissions, and serve under VIGIE_LISTEN /
VIGIE_DATA.
"""
import os
import re
import shutil
import stat
import subprocess
import tempfile

from harness import (PASSWORD, Server, sanitizer_env, sanitizer_report,
                     parse_tags)

FRENCH = re.compile(r"[éèàçêù«»]|\b(le|la|les|des|une?|mot de passe|"
                    r"adresse|caractères|option|commande)\b", re.I)


class Cli:
    def __init__(self, binary, t):
        self.binary = binary
        self.t = t
        self.root = tempfile.mkdtemp(prefix="vigie-http-cli-")
        self.reports = []

    def run(self, *args, stdin="", env=None):
        r = subprocess.run([self.binary] + list(args), input=stdin,
                           capture_output=True, text=True, timeout=60,
                           env=sanitizer_env(env), cwd=self.root)
        rep = sanitizer_report(r.stderr)
        if rep:
            self.reports.append("vigie %s: %s" % (" ".join(args), rep[0]))
        return r

    def one_line(self, r, desc, want_rc=None, nonzero=False, french=True,
                 contains=None):
        """Check a failing command: its exit status, and exactly one
        (French) line on stderr."""
        t = self.t
        lines = r.stderr.splitlines()
        diag = ["exit %d, stdout %r, stderr %r" % (r.returncode,
                                                   r.stdout[:300],
                                                   r.stderr[:600])]
        if want_rc is not None:
            t.eq(r.returncode, want_rc, "%s exits %d" % (desc, want_rc),
                 *diag)
        if nonzero:
            t.ok(r.returncode != 0, "%s exits non-zero" % desc, *diag)
        t.eq(len(lines), 1, "%s prints exactly one line on stderr" % desc,
             *diag)
        if french and lines:
            t.ok(FRENCH.search(lines[0]), "%s says why in French" % desc,
                 *diag)
        if contains and lines:
            t.ok(contains in r.stderr, "%s names %r" % (desc, contains),
                 *diag)

    def conf(self, name, text):
        d = os.path.join(self.root, name)
        r = self.run("init", "--data", d)
        if r.returncode != 0:
            raise RuntimeError("init failed: %s" % r.stderr)
        with open(os.path.join(d, "vigie.conf"), "w") as f:
            f.write(text)
        return d


def group_cli(binary, t):
    c = Cli(binary, t)
    try:
        cli_usage(c, t)
        cli_init_and_users(c, t)
        cli_config(c, t)
        t.ok(not c.reports, "no sanitizer report from any command",
             *c.reports[:10])
    finally:
        shutil.rmtree(c.root, ignore_errors=True)


def cli_usage(c, t):
    r = c.run()
    t.eq(r.returncode, 2, "no command exits 2",
         "stderr %r" % r.stderr[:300])
    t.ok("serve" in r.stderr and r.stdout == "",
         "no command prints the help on stderr only",
         "stdout %r stderr %r" % (r.stdout[:200], r.stderr[:200]))

    r = c.run("--help")
    t.eq(r.returncode, 0, "--help exits 0", "stderr %r" % r.stderr)
    t.ok(all(w in r.stdout for w in ("serve", "user", "check-config")) and
         r.stderr == "", "--help lists the commands on stdout",
         "stdout %r stderr %r" % (r.stdout[:400], r.stderr[:200]))

    r = c.run("--version")
    t.ok(r.returncode == 0 and r.stdout.startswith("vigie "),
         "--version prints the version",
         "exit %d stdout %r" % (r.returncode, r.stdout))

    r = c.run("frobnicate")
    c.one_line(r, "an unknown command", want_rc=2, contains="frobnicate")

    r = c.run("serve", "--bogus")
    c.one_line(r, "serve --bogus", want_rc=2, contains="--bogus")

    r = c.run("serve", "--listen")
    c.one_line(r, "serve --listen without a value", want_rc=2)

    r = c.run("serve", "surplus")
    c.one_line(r, "serve with a stray argument", want_rc=2,
               contains="surplus")

    r = c.run("serve", "--help")
    t.ok(r.returncode == 0 and "vigie serve" in r.stdout,
         "serve --help prints its usage and exits 0",
         "exit %d stdout %r" % (r.returncode, r.stdout[:200]))

    r = c.run("user", "frob")
    c.one_line(r, "an unknown user subcommand", want_rc=2)

    d = os.path.join(c.root, "listen")
    r = c.run("serve", "--data", d, "--listen", "pas-une-adresse")
    c.one_line(r, "serve --listen pas-une-adresse", want_rc=2,
               contains="pas-une-adresse")
    t.ok(not os.path.exists(d),
         "a bad --listen is refused before anything is created")


def cli_init_and_users(c, t):
    d = os.path.join(c.root, "data")
    r = c.run("init", "--data", d)
    t.eq(r.returncode, 0, "init exits 0", "stderr %r" % r.stderr)
    st = os.stat(d)
    t.eq(stat.S_IMODE(st.st_mode), 0o700, "init makes the data directory "
         "0700")
    key = os.path.join(d, "vigie.key")
    t.ok(os.path.exists(key), "init creates vigie.key")
    if os.path.exists(key):
        t.eq(stat.S_IMODE(os.stat(key).st_mode), 0o600,
             "the key file is 0600")
    t.ok(os.path.exists(os.path.join(d, "vigie.db")),
         "init creates the database")
    up = os.path.join(d, "uploads")
    if os.path.isdir(up):
        t.eq(stat.S_IMODE(os.stat(up).st_mode), 0o700,
             "uploads/ is 0700")
    with open(key, "rb") as f:
        key_before = f.read()
    r = c.run("init", "--data", d)
    with open(key, "rb") as f:
        t.ok(r.returncode == 0 and f.read() == key_before,
             "a second init keeps the existing key",
             "exit %d stderr %r" % (r.returncode, r.stderr))

    # A key others can read is refused.
    os.chmod(key, 0o644)
    r = c.run("user", "list", "--data", d)
    t.ok(r.returncode != 0 and "chmod" in r.stderr,
         "a world-readable key file is refused with a chmod hint",
         "exit %d stderr %r" % (r.returncode, r.stderr))
    os.chmod(key, 0o600)

    r = c.run("user", "add", "x@y.fr", "--role", "admin", "--data", d,
              stdin="court\n")
    c.one_line(r, "user add with a too-short password", nonzero=True,
               contains="12")
    r = c.run("user", "add", "bad-email", "--role", "admin", "--data", d,
              stdin=PASSWORD + "\n")
    c.one_line(r, "user add with a bad address", nonzero=True)
    r = c.run("user", "add", "x@y.fr", "--role", "superuser", "--data", d,
              stdin=PASSWORD + "\n")
    c.one_line(r, "user add with an unknown role", want_rc=2,
               contains="superuser")
    r = c.run("user", "add", "x@y.fr", "--data", d, stdin=PASSWORD + "\n")
    c.one_line(r, "user add without --role", want_rc=2)
    r = c.run("user", "add", "x@y.fr", "--role", "admin", "--data", d,
              stdin="")
    c.one_line(r, "user add with no password on stdin", nonzero=True)

    r = c.run("user", "add", "x@y.fr", "--role", "admin", "--data", d,
              stdin=PASSWORD + "\n")
    t.ok(r.returncode == 0 and "x@y.fr" in r.stdout,
         "user add with a good password creates the account",
         "exit %d stdout %r stderr %r" % (r.returncode, r.stdout, r.stderr))
    r = c.run("user", "add", "--role", "editor", "Ed@Y.fr", "--data", d,
              "--name", "Édith Éditrice", stdin=PASSWORD + "\n")
    t.eq(r.returncode, 0, "user add accepts options before the address",
         "stderr %r" % r.stderr)
    r = c.run("user", "add", "X@Y.FR", "--role", "analyst", "--data", d,
              stdin=PASSWORD + "\n")
    c.one_line(r, "user add of an existing address (other case)",
               nonzero=True)

    r = c.run("user", "list", "--data", d)
    rows = [l.split() for l in r.stdout.splitlines()[1:]]
    t.eq(r.returncode, 0, "user list exits 0", "stderr %r" % r.stderr)
    t.ok(any(row[1:4] == ["x@y.fr", "admin", "active"] for row in rows) and
         any(row[1:3] == ["ed@y.fr", "editor"] for row in rows) and
         len(rows) == 2, "user list shows both accounts, addresses "
         "lower-cased, roles and states", "stdout %r" % r.stdout)

    db = b""
    for n in os.listdir(d):
        p = os.path.join(d, n)
        if os.path.isfile(p):
            with open(p, "rb") as f:
                db += f.read()
    t.ok(PASSWORD.encode() not in db,
         "the password is nowhere in the data directory in clear")
    t.ok(b"$argon2id$" in db, "passwords are stored as argon2id hashes")


def cli_config(c, t):
    d = c.conf("cfg-ok", "# commentaire\nsession_idle = 600\n"
               "quick_exit_url = https://www.example.org/\n")
    r = c.run("check-config", "--data", d)
    t.ok(r.returncode == 0 and "vigie.conf" in r.stdout,
         "check-config accepts a good vigie.conf and names it",
         "exit %d stdout %r stderr %r" % (r.returncode, r.stdout, r.stderr))
    r = c.run("check-config", "--data", os.path.join(c.root, "data"))
    t.eq(r.returncode, 0, "check-config without a vigie.conf exits 0",
         "stderr %r" % r.stderr)

    d = c.conf("cfg-key", "threads = 2\nfavourite_colour = bleu\n")
    r = c.run("check-config", "--data", d)
    c.one_line(r, "check-config with an unknown key", nonzero=True,
               contains="vigie.conf:2:")
    t.ok("favourite_colour" in r.stderr, "the message names the unknown key",
         "stderr %r" % r.stderr)
    r = c.run("serve", "--data", d, "--listen", "127.0.0.1:0")
    c.one_line(r, "serve with an unknown key in vigie.conf", nonzero=True,
               contains="vigie.conf:2:")

    d = c.conf("cfg-exit", "quick_exit_url = http://meteo.example/\n")
    r = c.run("check-config", "--data", d)
    c.one_line(r, "check-config with an http:// quick_exit_url",
               nonzero=True, contains="vigie.conf:1:")

    d = c.conf("cfg-int", "\n\nsession_idle = bientôt\n")
    r = c.run("check-config", "--data", d)
    c.one_line(r, "check-config with a non-numeric session_idle",
               nonzero=True, contains="vigie.conf:3:")

    d = c.conf("cfg-dup", "threads = 2\nthreads = 3\n")
    r = c.run("check-config", "--data", d)
    c.one_line(r, "check-config with a key given twice", nonzero=True,
               contains="vigie.conf:2:")

    d = c.conf("cfg-noeq", "secure_cookies\n")
    r = c.run("check-config", "--data", d)
    c.one_line(r, "check-config with a line without '='", nonzero=True,
               contains="vigie.conf:1:")

    d = c.conf("cfg-bool", "access_log = peut-être\n")
    r = c.run("check-config", "--data", d)
    c.one_line(r, "check-config with a bad boolean", nonzero=True,
               contains="vigie.conf:1:")

    r = c.run("check-config", "--data", os.path.join(c.root, "data"),
              env={"VIGIE_LISTEN": "nulle-part"})
    c.one_line(r, "a bad VIGIE_LISTEN", nonzero=True,
               contains="VIGIE_LISTEN")


def group_env(binary, t):
    """serve with neither --data nor --listen: VIGIE_DATA and VIGIE_LISTEN
    decide."""
    srv = Server(binary, "env", init=False)
    data = os.path.join(srv.root, "env-data")
    started = False
    try:
        srv.start(args=["serve"], env={"VIGIE_DATA": data,
                                       "VIGIE_LISTEN": "127.0.0.1:0"})
        started = True
        t.ok(srv.port not in (None, 8080),
             "serve listens where VIGIE_LISTEN says (port 0: any port)",
             "port %r" % srv.port)
        t.ok(os.path.isdir(data), "serve creates the VIGIE_DATA directory")
        t.ok(not os.path.exists(os.path.join(srv.root, "var")),
             "serve does not use the default ./var when VIGIE_DATA is set")
        if os.path.isdir(data):
            t.eq(stat.S_IMODE(os.stat(data).st_mode), 0o700,
                 "the data directory serve creates is 0700")
            key = os.path.join(data, "vigie.key")
            t.ok(os.path.exists(key) and
                 stat.S_IMODE(os.stat(key).st_mode) == 0o600,
                 "the key file serve creates is 0600")
        r = srv.client().get("/")
        t.eq(r.status, 200, "the server started from the environment "
             "serves the home page")
        t.ok(any("user add" in l for l in srv.stdout_lines),
             "serve without an administrator says how to create one",
             *srv.stdout_lines[:10])
    finally:
        if started:
            srv.check_stop(t)
        srv.cleanup()

    # --data wins over VIGIE_DATA.
    srv = Server(binary, "env2", init=False)
    other = os.path.join(srv.root, "from-env")
    opt = os.path.join(srv.root, "from-option")
    started = False
    try:
        srv.start(args=["serve", "--data", opt], env={
            "VIGIE_DATA": other, "VIGIE_LISTEN": "127.0.0.1:0"})
        started = True
        t.ok(os.path.isdir(opt) and not os.path.exists(other),
             "--data wins over VIGIE_DATA")
    finally:
        if started:
            srv.check_stop(t)
        srv.cleanup()


GROUPS = [("cli", group_cli), ("env", group_env)]
