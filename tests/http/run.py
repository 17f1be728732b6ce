#!/usr/bin/env python3
"""
run.py — Vigie's black-box HTTP test suite.

    python3 tests/http/run.py --binary build-asan/vigie [--jobs N] [GROUP...]

Every group starts its own server(s) on 127.0.0.1 in a temporary data
directory; groups run a few at a time, and their results are printed in
TAP form, in a fixed order: "ok N - ..." / "not ok N - ...", diagnostics
on lines starting with "#", and the plan "1..N" at the end.  The exit
status is 1 when any test failed.
"""
import argparse
import concurrent.futures
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True      # no __pycache__ in the source tree

import harness  # noqa: E402
import test_cli  # noqa: E402
import test_pages  # noqa: E402
import test_auth  # noqa: E402
import test_requests  # noqa: E402
import test_sessions  # noqa: E402
import test_shutdown  # noqa: E402
import test_orientation  # noqa: E402
import test_resources  # noqa: E402
import test_reports  # noqa: E402
import test_analysis  # noqa: E402
import test_directory  # noqa: E402
import test_trainings  # noqa: E402
import test_surveys  # noqa: E402
import test_barometer  # noqa: E402
import test_scan  # noqa: E402
import test_watch  # noqa: E402
import test_newsletter  # noqa: E402
import test_annual  # noqa: E402
import test_workgroup  # noqa: E402
import test_vault  # noqa: E402
import test_vault_verify  # noqa: E402

MODULES = [test_cli, test_pages, test_auth, test_requests, test_sessions,
           test_shutdown, test_orientation, test_resources, test_reports,
           test_analysis, test_directory, test_trainings,
           test_surveys, test_barometer, test_scan, test_watch,
           test_newsletter, test_annual, test_workgroup, test_vault,
           test_vault_verify]


def run_group(name, fn, binary):
    t = harness.Recorder(name)
    t0 = time.monotonic()
    try:
        fn(binary, t)
    except Exception:
        t.fail_exception(name)
    return t, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("--binary", default="build-asan/vigie")
    ap.add_argument("--jobs", type=int, default=4,
                    help="groups run at the same time (default 4)")
    ap.add_argument("groups", nargs="*", help="only these groups")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        print("not ok 1 - binary %s is not executable" % binary)
        print("1..1")
        return 1
    groups = [(n, fn) for m in MODULES for (n, fn) in m.GROUPS
              if not args.groups or n in args.groups]
    t0 = time.monotonic()
    n = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as ex:
        futures = [ex.submit(run_group, name, fn, binary)
                   for name, fn in groups]
        for fut in futures:
            t, took = fut.result()
            print("# group %s (%.1f s)" % (t.group, took))
            for ok, desc, diag in t.results:
                n += 1
                if not ok:
                    failed += 1
                print("%s %d - %s" % ("ok" if ok else "not ok", n,
                                      desc.replace("\n", " ")))
                if not ok:
                    for d in diag:
                        for line in str(d).splitlines() or [""]:
                            print("#   " + line)
            sys.stdout.flush()
    print("1..%d" % n)
    print("# %d passed, %d failed, %.1f s" % (n - failed, failed,
                                              time.monotonic() - t0))
    return 1 if failed or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
