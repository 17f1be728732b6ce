#!/bin/sh
# Build the libFuzzer targets with clang (ASan + UBSan) and run each for
# FUZZ_SECONDS on its seed corpus.  Prints one TAP line per target.
# New inputs go to a scratch directory, never into the committed corpus.
set -u
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-20}
# Undefined behaviour must fail a run, not only print a line.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
if ! { [ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz \
	--buildtype=debugoptimized -Dfuzz=true -Dtests=disabled \
	-Db_sanitize=address,undefined -Db_lundef=false \
	-Dc_args=-fno-sanitize-recover=all >/dev/null; } ||
   ! ninja -C build-fuzz >/dev/null; then
	echo "not ok 1 - fuzz targets build"
	exit 1
fi
n=0
status=0
for target in build-fuzz/fuzz_*; do
	[ -f "$target" ] && [ -x "$target" ] || continue
	name=${target#build-fuzz/fuzz_}
	n=$((n + 1))
	scratch=$(mktemp -d)
	mkdir -p fuzz/artifacts
	if "$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=fuzz/artifacts/"$name"- -print_final_stats=1 \
		"$scratch" "fuzz/corpus/$name" >"tests/out/fuzz-$name.log" 2>&1; then
		runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' \
			"tests/out/fuzz-$name.log" | grep -o '[0-9]*$')
		echo "ok $n - fuzz $name (${runs:-?} inputs in ${secs}s)"
	else
		echo "not ok $n - fuzz $name: see tests/out/fuzz-$name.log and fuzz/artifacts/"
		tail -30 "tests/out/fuzz-$name.log"
		status=1
	fi
	rm -rf "$scratch"
done
exit $status
