#!/bin/sh
# Durable anonymous reports per second, and their p99 latency, with 64
# concurrent clients (wrk + bench/reports.lua), next to the same number of
# plain INSERTs committed one by one with synchronous=FULL by the sqlite3
# tool, in the same run on the same disk.  A benchmark, not a test: it
# prints figures and never fails on timing.
#   BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 64)
set -eu
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
[ -n "${VIGIE_NO_BUILD:-}" ] || ninja -C build >/dev/null
tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

./build/vigie init --data "$tmp/data" >/dev/null 2>&1
printf 'access_log = no\nreport_limit = 10000000\nthreads = 2\n' \
	>"$tmp/data/vigie.conf"
./build/vigie serve --data "$tmp/data" --listen 127.0.0.1:0 \
	>"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 100); do
	port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/out")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { echo "vigie did not start" >&2; exit 1; }
base="http://127.0.0.1:$port"
json=$(curl -s -c "$tmp/jar" -H 'Accept: application/json' "$base/signaler")
VIGIE_CSRF=$(printf '%s' "$json" | sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p')
VIGIE_COOKIE="vigie_csrf=$(awk '$6 == "vigie_csrf" {print $7}' "$tmp/jar")"
export VIGIE_CSRF VIGIE_COOKIE

wrk -t2 -c"$conns" -d"${secs}s" --latency -s bench/reports.lua "$base" \
	>"$tmp/wrk" 2>&1 || true
rps=$(awk '/^Requests\/sec:/ {print $2}' "$tmp/wrk")
p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk")
non2xx=$(awk '/Non-2xx/ {print $5}' "$tmp/wrk")
stored=$(sqlite3 "$tmp/data/vigie.db" "SELECT count(*) FROM reports")

# The reference: the same number of rows, one transaction each.
n=${stored:-0}
[ "$n" -gt 0 ] || n=1000
sqlite3 "$tmp/ref.db" "PRAGMA journal_mode=WAL;" \
	"CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c INTEGER);" \
	>/dev/null
{
	echo "PRAGMA journal_mode=WAL;"
	echo "PRAGMA synchronous=FULL;"
	i=0
	while [ "$i" -lt "$n" ]; do
		echo "INSERT INTO t (a, b, c) VALUES ('harcelement', 'https://example.org/post/$i', $i);"
		i=$((i + 1))
	done
} >"$tmp/ref.sql"
start=$(date +%s.%N)
sqlite3 "$tmp/ref.db" <"$tmp/ref.sql" >/dev/null
end=$(date +%s.%N)
ref=$(echo "$n $start $end" | awk '{printf "%.0f", $1 / ($3 - $2)}')

echo "durable reports (vigie, $conns clients, ${secs}s): ${rps:-?} /s, p99 ${p99:-?}"
echo "  stored: $stored reports; non-2xx answers: ${non2xx:-0}"
echo "plain INSERTs, synchronous=FULL, one per transaction (sqlite3): $ref /s ($n rows)"
echo "ratio: $(echo "${rps:-0} $ref" | awk '{ if ($2 > 0) printf "%.0f%%", 100 * $1 / $2; else print "?" }') of the sqlite3 reference (aim: >= 2000 reports/s, p99 < 50 ms)"
