#!/bin/sh
# Build Vigie and run every suite: unit and HTTP tests under AddressSanitizer
# and UndefinedBehaviorSanitizer, browser tests, and each fuzz target for a
# short while.  The last line is the total over every suite, in the form
# "N passed, N failed" (", N skipped" when some were).
set -u
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/tests/out
rm -rf "$OUT"
mkdir -p "$OUT"

passed=0
failed=0
skipped=0

say() { printf '%s\n' "$*"; }

# Count TAP lines ("ok …", "not ok …", "# SKIP") of a suite's log; a suite
# that exits non-zero without reporting a failure counts as one failure.
tally() {
	name=$1 log=$2 status=$3
	p=$(grep -cE '^ok ' "$log" | tr -d ' ')
	s=$(grep -cE '^ok .*# ?SKIP' "$log" | tr -d ' ')
	f=$(grep -cE '^not ok ' "$log" | tr -d ' ')
	p=$((p - s))
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		say "  $name: exited with status $status (see $log)"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$s" -gt 0 ]; then skip=", $s skipped"; else skip=""; fi
	say "  $name: $p passed, $f failed$skip"
	if [ "$f" -gt 0 ]; then
		grep -E '^not ok ' "$log" | head -20 | sed 's/^/    /'
	fi
}

step() { say ""; say "== $*"; }

step "release build (build/)"
if ! { [ -f build/build.ninja ] || meson setup --buildtype=debugoptimized build >"$OUT/setup.log" 2>&1; } ||
   ! ninja -C build >"$OUT/build.log" 2>&1; then
	cat "$OUT/setup.log" "$OUT/build.log" 2>/dev/null | tail -40
	say "0 passed, 1 failed"
	exit 1
fi
say "  ok"

step "sanitizer build (build-asan/, ASan + UBSan)"
if ! { [ -f build-asan/build.ninja ] || CC=${ASAN_CC:-gcc} meson setup build-asan \
	--buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false \
	-Dc_args=-fno-sanitize-recover=all >"$OUT/setup-asan.log" 2>&1; } ||
   ! ninja -C build-asan >"$OUT/build-asan.log" 2>&1 ||
   ! ninja -C build-asan unit-tests >>"$OUT/build-asan.log" 2>&1; then
	cat "$OUT/setup-asan.log" "$OUT/build-asan.log" 2>/dev/null | tail -40
	say "0 passed, 1 failed"
	exit 1
fi
say "  ok"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export CMOCKA_MESSAGE_OUTPUT=TAP

step "unit tests (sanitizers)"
for t in build-asan/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	n=$(basename "$t")
	"$t" >"$OUT/$n.log" 2>&1
	tally "$n" "$OUT/$n.log" $?
done

step "HTTP tests (sanitizers, real server on loopback)"
python3 tests/http/run.py --binary build-asan/vigie >"$OUT/http.log" 2>&1
tally "http" "$OUT/http.log" $?

step "browser tests (chromium)"
if command -v chromium >/dev/null 2>&1 && [ -d node_modules/playwright-core ]; then
	node tests/browser/run.mjs --binary build/vigie >"$OUT/browser.log" 2>&1
	tally "browser" "$OUT/browser.log" $?
else
	say "  chromium or playwright-core missing: browser tests skipped"
	echo "ok 1 - browser tests # SKIP chromium or playwright-core missing" >"$OUT/browser.log"
	tally "browser" "$OUT/browser.log" 0
fi

step "fuzzing (each target ${FUZZ_SECONDS:-20} s)"
FUZZ_SECONDS=${FUZZ_SECONDS:-20} ./scripts/fuzz.sh >"$OUT/fuzz.log" 2>&1
tally "fuzz" "$OUT/fuzz.log" $?

say ""
if [ "$skipped" -gt 0 ]; then
	say "$passed passed, $failed failed, $skipped skipped"
else
	say "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
