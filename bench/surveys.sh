#!/bin/sh
# The questionnaires, measured (issue 6):
#  1. durable answer submissions per second with 64 concurrent people
#     (bench/surveys_client.py: start, answer, send, again), next to the
#     same number of plain INSERTs committed one by one (synchronous=FULL)
#     by the sqlite3 tool, in the same run on the same disk;
#  2. the time and peak memory of exporting a million answers to CSV
#     (vigie survey export), next to the sqlite3 tool exporting the same
#     table to CSV.
# A benchmark, not a test: it prints figures and never fails on timing.
#   BENCH_SECONDS (default 10), BENCH_CONNECTIONS (64), BENCH_ANSWERS (1000000)
set -eu
cd "$(dirname "$0")/.."
secs=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
answers=${BENCH_ANSWERS:-1000000}
[ -n "${VIGIE_NO_BUILD:-}" ] || ninja -C build vigie survey-fill >/dev/null
tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
data="$tmp/data"
./build/vigie init --data "$data" >/dev/null 2>&1
printf 'access_log = no\nthreads = 2\n' >"$data/vigie.conf"

# A one-page form of five questions: each submission is three requests
# (start, answer, send).
cat >"$tmp/bench.csv" <<'CSV'
type,name,label::French (fr),required
integer,age,Âge,yes
select_one sexe,sexe,Vous êtes,yes
departement,dep,Département,no
select_multiple plateformes,ou,Plateformes,no
text,commentaire,Commentaire,no
CSV
cat >"$tmp/bench.choices.csv" <<'CSV'
list_name,name,label::French (fr)
sexe,fille,Une fille
sexe,garcon,Un garçon
sexe,autre,Autre
plateformes,instagram,Instagram
plateformes,tiktok,TikTok
plateformes,snapchat,Snapchat
CSV
printf 'form_title,form_id\nBanc,banc\n' >"$tmp/bench.settings.csv"
./build/vigie survey import "$tmp/bench.csv" --data "$data" >/dev/null
./build/vigie wave open banc --name Banc --data "$data" >/dev/null

./build/vigie serve --data "$data" --listen 127.0.0.1:0 \
	>"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 100); do
	port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/out")
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { echo "vigie did not start" >&2; exit 1; }
set -- $(python3 bench/surveys_client.py "$port" banc "$conns" "$secs")
sent=$1 reqs=$2 elapsed=$3 p99=$4 errors=$5
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
stored=$(sqlite3 "$data/vigie.db" "SELECT count(*) FROM survey_responses")

n=${stored:-0}
[ "$n" -gt 0 ] || n=1000
{
	echo "PRAGMA journal_mode=WAL;"
	echo "PRAGMA synchronous=FULL;"
	echo "CREATE TABLE t (id INTEGER PRIMARY KEY, wave INTEGER, day TEXT, answers BLOB);"
	i=0
	while [ "$i" -lt "$n" ]; do
		echo "INSERT INTO t (wave, day, answers) VALUES (1, '2026-11-23', randomblob(80));"
		i=$((i + 1))
	done
} >"$tmp/ref.sql"
t0=$(date +%s.%N)
sqlite3 "$tmp/ref.db" <"$tmp/ref.sql" >/dev/null
t1=$(date +%s.%N)

echo "== answer submissions, $conns concurrent people, ${secs} s"
awk -v s="$sent" -v r="$reqs" -v e="$elapsed" -v p="$p99" -v x="$errors" \
    -v st="$stored" -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN {
	vr = s / e; sr = n / (b - a)
	printf "vigie:   %d answers sent and stored (%d in the database), %.0f/s (%d requests, %.0f/s), p99 of the sending %.1f ms, %d refused\n", s, st, vr, r, r / e, p, x
	printf "sqlite3: %d INSERTs committed one by one, %.0f/s\n", n, sr
	printf "ratio:   %.2f (vigie answers per second / sqlite3 commits per second)\n", vr / sr
}'

# A million answers, exported.
wave=$(sqlite3 "$data/vigie.db" "SELECT id FROM survey_waves LIMIT 1")
./build/survey-fill "$data" "$wave" "$answers"
rows=$(sqlite3 "$data/vigie.db" "SELECT count(*) FROM survey_responses")
/usr/bin/time -f '%e %M' -o "$tmp/t.vigie" ./build/vigie survey export \
	"$wave" --data "$data" --out "$tmp/export.csv" 2>/dev/null
/usr/bin/time -f '%e %M' -o "$tmp/t.sqlite" sqlite3 -csv -header \
	"$data/vigie.db" "SELECT id, submitted_on, language, hex(answers) FROM survey_responses WHERE wave_id = $wave" \
	>"$tmp/ref.csv"
echo "== export of $rows answers to CSV"
read -r ve vm <"$tmp/t.vigie"
read -r se sm <"$tmp/t.sqlite"
awk -v ve="$ve" -v vm="$vm" -v se="$se" -v sm="$sm" \
    -v vb="$(wc -c <"$tmp/export.csv")" -v sb="$(wc -c <"$tmp/ref.csv")" 'BEGIN {
	printf "vigie survey export: %.1f s, peak memory %.1f MB, %.0f MB written (answers decrypted, a column per question and per choice)\n", ve, vm / 1024, vb / 1048576
	printf "sqlite3 -csv:        %.1f s, peak memory %.1f MB, %.0f MB written (raw rows)\n", se, sm / 1024, sb / 1048576
	printf "ratio:               %.2f (time, vigie / sqlite3), %.2f (peak memory)\n", ve / se, vm / sm
}'
