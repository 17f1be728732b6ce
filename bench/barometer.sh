#!/bin/sh
# The barometer with a million answers (issue 7): the time of an indicator
# broken down by département (the first time, which reads every sealed
# answer into cells, then from the cells), and of the dashboard page, next
# to nginx serving a static page of the same size in the same run.
# A benchmark, not a test: it prints figures and never fails on timing.
#   BENCH_ANSWERS (default 1000000), BENCH_REQUESTS (default 200)
set -eu
cd "$(dirname "$0")/.."
answers=${BENCH_ANSWERS:-1000000}
reqs=${BENCH_REQUESTS:-200}
[ -n "${VIGIE_NO_BUILD:-}" ] || ninja -C build vigie survey-fill >/dev/null
tmp=$(mktemp -d)
pid=""
npid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	[ -n "$npid" ] && kill "$npid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
data="$tmp/data"
./build/vigie init --data "$data" >/dev/null 2>&1
printf 'access_log = no\nthreads = 2\n' >"$data/vigie.conf"
# The starter questionnaire is added at the first start.
./build/vigie serve --data "$data" --listen 127.0.0.1:0 >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 100); do
	port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/out")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { echo "vigie did not start" >&2; exit 1; }
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
wave=$(./build/vigie wave open barometre_jeunes --name Banc --data "$data")
./build/survey-fill "$data" "$wave" "$answers"
# A professional, to break down by département.
echo 'mot de passe du banc 2026' | ./build/vigie user add banc@exemple.fr \
	--role professional --data "$data" >/dev/null 2>&1
./build/vigie serve --data "$data" --listen 127.0.0.1:0 >"$tmp/out" 2>&1 &
pid=$!
port=""
for _ in $(seq 100); do
	port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/out")
	[ -n "$port" ] && break
	sleep 0.1
done
base="http://127.0.0.1:$port"
csrf=$(curl -s -c "$tmp/jar" -H 'Accept: application/json' "$base/connexion" |
	sed -n 's/.*"csrf":"\([^"]*\)".*/\1/p')
curl -s -b "$tmp/jar" -c "$tmp/jar" -o /dev/null -H 'Accept: application/json' \
	--data-urlencode "csrf=$csrf" --data-urlencode "email=banc@exemple.fr" \
	--data-urlencode "password=mot de passe du banc 2026" "$base/connexion"

t() { curl -s -b "$tmp/jar" -o "$tmp/body" -w '%{time_total}' "$@"; }
# The server's daily job warms every indicator's cells at start, in the
# background; the first request below finds them made, or waits for them.
cold=$(t -H 'Accept: application/json' "$base/barometre/harcelement?by=dep")
groups=$(grep -o '"group"' "$tmp/body" | wc -l)
: >"$tmp/warm"
: >"$tmp/page"
i=0
while [ "$i" -lt "$reqs" ]; do
	t -H 'Accept: application/json' "$base/barometre/harcelement?by=dep" >>"$tmp/warm"
	echo >>"$tmp/warm"
	t "$base/barometre/harcelement?by=dep" >>"$tmp/page"
	echo >>"$tmp/page"
	i=$((i + 1))
done
size=$(wc -c <"$tmp/body")

# The reference: nginx serving the same page as a static file.
mkdir -p "$tmp/www"
cp "$tmp/body" "$tmp/www/page.html"
cat >"$tmp/nginx.conf" <<CONF
daemon off; pid $tmp/nginx.pid; error_log $tmp/nginx.err;
events {}
http { access_log off; server { listen 127.0.0.1:0; root $tmp/www; } }
CONF
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -i "s/127.0.0.1:0/127.0.0.1:$nport/" "$tmp/nginx.conf"
nginx -c "$tmp/nginx.conf" -p "$tmp" 2>/dev/null &
npid=$!
sleep 0.5
: >"$tmp/static"
i=0
while [ "$i" -lt "$reqs" ]; do
	curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$nport/page.html" >>"$tmp/static"
	i=$((i + 1))
done

med() { sort -n "$1" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)] * 1000}'; }
echo "== barometer, $answers answers, breakdown by département ($groups groups)"
echo "first request after start (cells made by the daily job's warm-up, or waited for): $(awk -v c="$cold" 'BEGIN {printf "%.0f", c * 1000}') ms"
echo "indicator by département, JSON, median of $reqs: $(med "$tmp/warm") ms (aim: under 100 ms)"
echo "dashboard page (HTML with chart, map and table), median: $(med "$tmp/page") ms (aim: under 150 ms)"
echo "nginx, the same page ($size bytes) as a static file, median: $(med "$tmp/static") ms"
awk -v a="$(med "$tmp/page")" -v b="$(med "$tmp/static")" 'BEGIN {printf "ratio: %.1f (vigie page / nginx static)\n", a / (b > 0 ? b : 0.001)}'
