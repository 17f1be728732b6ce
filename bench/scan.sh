#!/bin/sh
# The stalkerware scanner on a big capture: vigie scan next to tshark in
# the same run, on the same file (bench/scan_gen.py: a phone's traffic,
# mostly TLS downloads, with DNS, ClientHellos and HTTP requests naming
# a few thousand ordinary hosts, every domain of the indicators, some of
# their subdomains and look-alikes):
#  1. the throughput of `vigie scan --names` and of `tshark -T fields -e
#     dns.qry.name -e tls.handshake.extensions_server_name -e http.host`,
#     which must find the same names (lower-cased, without port or
#     trailing dot): the bench fails when they differ;
#  2. vigie's peak memory on the capture and on one ten times smaller;
#  3. `vigie scan --json` with the real indicators and with a folder a
#     hundred times bigger (synthetic apps), on the big capture and on one
#     of nothing but DNS, TLS and HTTP, less the time of loading each.
# Aims: 300 MB/s per core, 20 times tshark or more, flat memory, a lookup
# that does not grow with the number of indicators.  A benchmark: it
# prints figures and fails only when the names differ (or on an error).
#   BENCH_MB (default 300; MB = 2^20 bytes), BENCH_FORMAT (pcap|pcapng),
#   VIGIE_IOCS (default /work/shared/data/stalkerware-indicators),
#   VIGIE_BIN (default build/vigie)
set -eu
cd "$(dirname "$0")/.."
mb=${BENCH_MB:-300}
fmt=${BENCH_FORMAT:-pcap}
iocs=${VIGIE_IOCS:-/work/shared/data/stalkerware-indicators}
vigie=${VIGIE_BIN:-./build/vigie}
small=$((mb / 10))
[ "$small" -ge 1 ] || small=1

command -v tshark >/dev/null 2>&1 || {
	echo "bench/scan.sh: tshark is missing; make bench installs it (VIGIE_INSTALL_BENCH=1 scripts/install-deps.sh)" >&2
	exit 1
}
[ -x "$vigie" ] || {
	echo "bench/scan.sh: $vigie is missing; build it first (make, or make bench)" >&2
	exit 1
}
"$vigie" scan --help 2>&1 | grep -q -- --names || {
	echo "bench/scan.sh: $vigie has no 'scan --names'; rebuild it (make)" >&2
	exit 1
}
[ -f "$iocs/ioc.yaml" ] || {
	echo "bench/scan.sh: no indicators in $iocs (set VIGIE_IOCS)" >&2
	exit 1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# run NAME OUT CMD...: run CMD, its output in OUT, its errors in
# $tmp/NAME.err, and write "wall user sys peak_kb status" in $tmp/NAME.r.
# Peak memory from /usr/bin/time when there is one, else polled from /proc
# (then the CPU time is taken as the wall time).
run() {
	name=$1 out=$2
	shift 2
	r0=$(date +%s.%N)
	st=0
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S %M' -o "$tmp/$name.t" "$@" >"$out" \
			2>"$tmp/$name.err" || st=$?
		r1=$(date +%s.%N)
		# /usr/bin/time writes "Command exited..." first on failure.
		# shellcheck disable=SC2046 # three figures
		set -- $(tail -n 1 "$tmp/$name.t")
		u=$1 s=$2 m=$3
	else
		"$@" >"$out" 2>"$tmp/$name.err" &
		pid=$!
		m=0
		while kill -0 "$pid" 2>/dev/null; do
			hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
			[ -n "$hwm" ] && [ "$hwm" -gt "$m" ] && m=$hwm
			sleep 0.02
		done
		wait "$pid" || st=$?
		r1=$(date +%s.%N)
		u=-1 s=0
	fi
	awk -v a="$r0" -v b="$r1" -v u="$u" -v s="$s" -v m="$m" -v st="$st" \
		'BEGIN {w = b - a; if (u < 0) u = w; printf "%.3f %.3f %.3f %d %d\n", w, u, s, m, st}' \
		>"$tmp/$name.r"
}
# field NAME N: the Nth figure of run NAME (1 wall, 2 user, 3 sys,
# 4 peak KB, 5 status).
field() { awk -v n="$2" '{print $n}' "$tmp/$1.r"; }
# best NAME: keep as run NAME the run NAME.1, NAME.2... of shortest wall
# time.
best() { sort -n "$tmp/$1".[0-9].r | head -n 1 >"$tmp/$1.r"; }
# median NAME: keep as run NAME the run of median CPU time (user + sys).
median() {
	cat "$tmp/$1".[0-9].r | awk '{print $2 + $3, $0}' | sort -n |
		awk '{l[NR] = $0} END {print l[int((NR + 1) / 2)]}' |
		cut -d' ' -f2- >"$tmp/$1.r"
}
# cpu NAME: user + sys of run NAME.
cpu() { awk '{printf "%.3f", $2 + $3}' "$tmp/$1.r"; }
failed() {
	echo "bench/scan.sh: $1 failed (status $(field "$2" 5)):" >&2
	tail -n 5 "$tmp/$2.err" >&2
	exit 1
}
# Names as tshark writes them: fields split on tabs and commas,
# lower-cased, without the port of an HTTP Host or a trailing dot.
norm() {
	tr '\t,' '\n\n' | tr '[:upper:]' '[:lower:]' | sed 's/:[0-9]*$//; s/\.$//' |
		grep -v '^$' | LC_ALL=C sort -u
}

# The captures and the big indicator folder.
t0=$(date +%s.%N)
python3 bench/scan_gen.py capture "$tmp/big.$fmt" --mb "$mb" --format "$fmt" \
	--iocs "$iocs" --names "$tmp/planted.all" --planted "$tmp/planted.iocs" \
	2>"$tmp/gen.err" || { cat "$tmp/gen.err" >&2; exit 1; }
t1=$(date +%s.%N)
# The small capture holds every name too (denser events).
python3 bench/scan_gen.py capture "$tmp/small.$fmt" --mb "$small" --one-pass \
	--format "$fmt" --iocs "$iocs" 2>>"$tmp/gen.err" ||
	{ cat "$tmp/gen.err" >&2; exit 1; }
python3 bench/scan_gen.py capture "$tmp/events.$fmt" --mb "$small" \
	--bulk-ratio 0 --format "$fmt" --iocs "$iocs" 2>>"$tmp/gen.err" ||
	{ cat "$tmp/gen.err" >&2; exit 1; }
# Three times the big one, for vigie alone: is memory flat beyond it?
python3 bench/scan_gen.py capture "$tmp/huge.$fmt" --mb $((mb * 3)) \
	--format "$fmt" --iocs "$iocs" 2>>"$tmp/gen.err" ||
	{ cat "$tmp/gen.err" >&2; exit 1; }
python3 bench/scan_gen.py capture "$tmp/empty.$fmt" --mb 0 --format "$fmt" \
	--iocs "$iocs" 2>>"$tmp/gen.err"
python3 bench/scan_gen.py iocs "$iocs" "$tmp/iocs100" --factor 100 \
	2>>"$tmp/gen.err" || { cat "$tmp/gen.err" >&2; exit 1; }
gen=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
bytes=$(wc -c <"$tmp/big.$fmt")
sbytes=$(wc -c <"$tmp/small.$fmt")
hbytes=$(wc -c <"$tmp/huge.$fmt")
ebytes=$(wc -c <"$tmp/events.$fmt")
packets=$(sed -n 's/.*big[^:]*: [0-9]* MB, \([0-9]*\) packets.*/\1/p' "$tmp/gen.err")
snames=$(sed -n 's/.*small[^:]*: .* packets, \([0-9]*\) names.*/\1/p' "$tmp/gen.err")

# 1. vigie (best of three) and tshark on the big capture.
for i in 1 2 3; do
	run "vnames.$i" "$tmp/vigie.out" "$vigie" scan --iocs "$iocs" --names "$tmp/big.$fmt"
	[ "$(field "vnames.$i" 5)" -eq 0 ] || failed "vigie scan --names" "vnames.$i"
done
best vnames
LC_ALL=C sort -u "$tmp/vigie.out" >"$tmp/names.vigie"
run tshark "$tmp/tshark.out" tshark -r "$tmp/big.$fmt" -T fields \
	-e dns.qry.name -e tls.handshake.extensions_server_name -e http.host
[ "$(field tshark 5)" -eq 0 ] || failed tshark tshark
norm <"$tmp/tshark.out" >"$tmp/names.tshark"

# 2. The small capture: memory, of --names and --json.
for i in 1 2 3; do
	run "vsmall.$i" /dev/null "$vigie" scan --iocs "$iocs" --names "$tmp/small.$fmt"
	[ "$(field "vsmall.$i" 5)" -eq 0 ] || failed "vigie scan --names (small)" "vsmall.$i"
done
best vsmall
run jsmall /dev/null "$vigie" scan --iocs "$iocs" --json "$tmp/small.$fmt"
[ "$(field jsmall 5)" -le 1 ] || failed "vigie scan --json (small)" jsmall
# And the capture three times bigger.
run vhuge /dev/null "$vigie" scan --iocs "$iocs" --names "$tmp/huge.$fmt"
[ "$(field vhuge 5)" -eq 0 ] || failed "vigie scan --names (3x)" vhuge
run jhuge /dev/null "$vigie" scan --iocs "$iocs" --json "$tmp/huge.$fmt"
[ "$(field jhuge 5)" -le 1 ] || failed "vigie scan --json (3x)" jhuge
rm -f "$tmp/huge.$fmt"

# 3. The lookup: --json with the real indicators and a hundred times more,
# alternated, five times each (the medians of the CPU time are kept: the
# machine may be busy), on the big capture, on the capture of nothing but
# events given four times (where looking names up weighs most), and on an
# empty one (the loading of the indicators alone).
e=$tmp/events.$fmt
for i in 1 2 3 4 5; do
	for k in real big; do
		dir=$iocs
		[ "$k" = real ] || dir=$tmp/iocs100
		for c in json ev load; do
			case $c in
			json) set -- "$tmp/big.$fmt" ;;
			ev) set -- "$e" "$e" "$e" "$e" ;;
			load) set -- "$tmp/empty.$fmt" ;;
			esac
			run "$c-$k.$i" "$tmp/$c-$k.out" "$vigie" scan --iocs "$dir" --json "$@"
			[ "$(field "$c-$k.$i" 5)" -le 1 ] || failed "vigie scan --json" "$c-$k.$i"
		done
	done
done
for k in real big; do median "json-$k"; median "ev-$k"; median "load-$k"; done
# What each folder holds and what was found, from the JSON report.
iocs_info() {
	python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
i = r.get("iocs", {})
f = r.get("findings", [])
apps = sorted(set(x.get("app", "?") for x in f))
print(i.get("apps", "?"), i.get("domains", "?"), len(apps),
      ",".join(apps) or "-")' "$1" 2>/dev/null || echo "? ? ? ?"
}
# shellcheck disable=SC2046 # four words
set -- $(iocs_info "$tmp/json-real.out")
rapps=$1 rdoms=$2 rfound=$3 rlist=$4
# What vigie counted in the big capture.
stats=$(python3 -c '
import json, sys
i = json.load(open(sys.argv[1]))["inputs"][0]
print("%(packets)s packets, %(dns)s DNS messages, %(tls)s ClientHellos, "
      "%(http)s HTTP requests, %(malformed)s malformed" % i)' \
	"$tmp/json-real.out" 2>/dev/null || echo "?")
enames=$(python3 -c '
import json, sys
print(json.load(open(sys.argv[1]))["inputs"][0]["names"])' \
	"$tmp/ev-real.out" 2>/dev/null || echo "?")
# shellcheck disable=SC2046 # four words
set -- $(iocs_info "$tmp/json-big.out")
bapps=$1 bdoms=$2 bfound=$3 blist=$4

# The names: the same for both, and every planted one.
same=yes
if ! cmp -s "$tmp/names.vigie" "$tmp/names.tshark"; then
	same=no
fi
nv=$(wc -l <"$tmp/names.vigie")
nt=$(wc -l <"$tmp/names.tshark")
np=$(wc -l <"$tmp/planted.all")
ni=$(wc -l <"$tmp/planted.iocs")
miss=$(LC_ALL=C comm -23 "$tmp/planted.all" "$tmp/names.tshark" | wc -l)

echo "== stalkerware scanner: a $(awk -v b="$bytes" 'BEGIN {printf "%.0f", b / 1048576}') MB $fmt capture ($packets packets, $np names of which $ni indicator domains or subdomains), made in $gen s"
awk -v b="$bytes" -v sb="$sbytes" \
    -v vw="$(field vnames 1)" -v vu="$(field vnames 2)" -v vs="$(field vnames 3)" -v vm="$(field vnames 4)" \
    -v tw="$(field tshark 1)" -v tm="$(field tshark 4)" 'BEGIN {
	mb = b / 1048576
	cpu = vu + vs; if (cpu <= 0) cpu = 0.001
	printf "vigie scan --names: %.2f s, %.0f MB/s (%.2f s of CPU: %.0f MB/s per core; aim: 300 MB/s per core), peak memory %.1f MB (best of 3)\n", vw, mb / vw, cpu, mb / cpu, vm / 1024
	printf "tshark -T fields:   %.1f s, %.1f MB/s, peak memory %.0f MB\n", tw, mb / tw, tm / 1024
	printf "ratio:              %.1f (vigie MB/s / tshark MB/s; aim: 20 or more)\n", tw / vw
}'
if [ "$same" = yes ]; then
	echo "names:              $nv distinct names (DNS questions, SNI, HTTP hosts), the same for vigie and tshark"
else
	echo "names:              DIFFERENT: vigie $nv, tshark $nt distinct names"
	echo "  only in vigie (first 10):"
	LC_ALL=C comm -23 "$tmp/names.vigie" "$tmp/names.tshark" | head -n 10 | sed 's/^/    /'
	echo "  only in tshark (first 10):"
	LC_ALL=C comm -13 "$tmp/names.vigie" "$tmp/names.tshark" | head -n 10 | sed 's/^/    /'
fi
if [ "$miss" -eq 0 ] && [ "$nt" -eq "$np" ]; then
	echo "                    exactly the names written by the generator"
else
	echo "  WARNING: tshark misses $miss of the $np names written by the generator, and finds $nt:"
	LC_ALL=C comm -3 "$tmp/planted.all" "$tmp/names.tshark" | head -n 10 | sed 's/^/    /'
fi
echo "                    vigie read $stats"
awk -v b="$bytes" -v sb="$sbytes" -v vm="$(field vnames 4)" \
    -v sm="$(field vsmall 4)" -v jm="$(field json-real 4)" \
    -v jsm="$(field jsmall 4)" -v sn="$snames" -v nn="$np" 'BEGIN {
	mb = b / 1048576; smb = sb / 1048576
	printf "memory:             --names, peak %.1f MB on %.0f MB (%s names), %.1f MB on %.0f MB (%s names): ratio %.2f (aim: flat)\n", sm / 1024, smb, sn, vm / 1024, mb, nn, vm / (sm > 0 ? sm : 1)
	printf "                    --json, peak %.1f MB on %.0f MB, %.1f MB on %.0f MB: ratio %.2f\n", jsm / 1024, smb, jm / 1024, mb, jm / (jsm > 0 ? jsm : 1)
}'
awk -v b="$bytes" -v hb="$hbytes" -v vm="$(field vnames 4)" \
    -v hm="$(field vhuge 4)" -v jm="$(field json-real 4)" \
    -v jhm="$(field jhuge 4)" 'BEGIN {
	printf "                    3 times bigger (%.0f MB): --names %.1f MB (ratio %.2f), --json %.1f MB (ratio %.2f) to the %.0f MB capture\n", hb / 1048576, hm / 1024, hm / (vm > 0 ? vm : 1), jhm / 1024, jhm / (jm > 0 ? jm : 1), b / 1048576
}'
awk -v jr="$(cpu json-real)" -v jb="$(cpu json-big)" \
    -v er="$(cpu ev-real)" -v eb="$(cpu ev-big)" \
    -v lr="$(cpu load-real)" -v lb="$(cpu load-big)" \
    -v ra="$rapps" -v rd="$rdoms" -v ba="$bapps" -v bd="$bdoms" \
    -v emb="$(awk -v b="$ebytes" 'BEGIN {printf "%.0f", b / 1048576}')" \
    -v en="$enames" 'BEGIN {
	printf "lookup:             vigie scan --json with %s apps (%s domains), then %s apps (%s domains), CPU time, median of 5\n", ra, rd, ba, bd
	printf "  loading the indicators alone (empty capture): %.2f s, %.2f s\n", lr, lb
	sr = jr - lr; sb = jb - lb
	printf "  the big capture: %.2f s, %.2f s (ratio %.2f); without the loading %.2f s, %.2f s: ratio %.2f (aim: about 1)\n", jr, jb, jb / jr, sr, sb, sb / (sr > 0 ? sr : 0.001)
	sr = er - lr; sb = eb - lb
	printf "  4 x %s MB of nothing but DNS, TLS and HTTP (4 x %s names seen): %.2f s, %.2f s; without the loading %.2f s, %.2f s: ratio %.2f (aim: about 1)\n", emb, en, er, eb, sr, sb, sb / (sr > 0 ? sr : 0.001)
}'
if [ "$rfound" = "$bfound" ] && [ "$rlist" = "$blist" ]; then
	echo "  the same $rfound apps found with both folders"
else
	echo "  WARNING: $rfound apps found with the real indicators, $bfound with the bigger folder (its synthetic apps are in no capture)"
fi
[ "$same" = yes ] || exit 1
