#!/bin/sh
# bench/http.sh — Vigie's home page against nginx serving the same bytes.
#
# Performance is measured as a ratio against a reference run side by side,
# on the same machine, in the same run; the numbers are printed, nothing
# fails on timing.  The reference is nginx serving the page Vigie rendered
# (saved as a static file, with the same Content-Type and security headers)
# with as many worker processes as Vigie has threads.
#
# Two configurations are measured, each with both servers alike:
#   log on   the access log written for every request (Vigie to stderr
#            redirected to a file, as under systemd/journald; nginx to a
#            file, in a format without the client address like Vigie's);
#   log off  no access log.
# wrk runs against each server in turn (vigie, nginx, vigie, nginx, ...)
# after a short warm-up; the median of the rounds is kept.  The resident
# memory of Vigie at idle is read from /proc before and after the load.
# Also printed: the CPU time each server spent per request (from /proc; less
# sensitive than req/s to other work on the machine), and two keep-alive
# checks (curl reusing its connection; the TCP connections the machine
# accepted during a Vigie run, against the requests wrk made).
# Warnings, not failures: a wrk run without answers, non-2xx responses,
# socket errors, connections not kept alive.
#
# Settings (environment):
#   BENCH_SECONDS      duration of each wrk run        (default 10)
#   BENCH_ROUNDS       runs per server and config      (default 3)
#   BENCH_CONNECTIONS  wrk connections                 (default 64)
#   BENCH_WRK_THREADS  wrk threads                     (default 2)
#   BENCH_THREADS      Vigie threads = nginx workers   (default 2)
#   BENCH_PATH         page measured                   (default /)
#   BENCH_KEEP         keep the temp dir (logs) if set to 1
#   VIGIE              the binary                      (default build/vigie)
#   VIGIE_NO_BUILD     set: do not run ninja first
#   NGINX, WRK, CURL   the tools (default: found in PATH or /usr/sbin)
#
# Usage: bench/http.sh            (from anywhere; builds with ninja first)

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
CONNS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
THREADS=${BENCH_THREADS:-2}
PAGE=${BENCH_PATH:-/}
WARMUP=2
VIGIE=${VIGIE:-$ROOT/build/vigie}

find_tool() {
	# find_tool NAME: print the path of NAME (PATH, then /usr/sbin, /sbin)
	if command -v "$1" >/dev/null 2>&1; then
		command -v "$1"
	elif [ -x "/usr/sbin/$1" ]; then
		echo "/usr/sbin/$1"
	elif [ -x "/sbin/$1" ]; then
		echo "/sbin/$1"
	fi
}

NGINX=${NGINX:-$(find_tool nginx)}
WRK=${WRK:-$(find_tool wrk)}
CURL=${CURL:-$(find_tool curl)}
for t in NGINX WRK CURL; do
	eval "v=\$$t"
	if [ -z "$v" ]; then
		echo "http.sh: $(echo "$t" | tr '[:upper:]' '[:lower:]') not found" >&2
		exit 2
	fi
done

# --- build ------------------------------------------------------------------

if [ -z "${VIGIE_NO_BUILD:-}" ] && [ "$VIGIE" = "$ROOT/build/vigie" ]; then
	if [ ! -d "$ROOT/build" ]; then
		(cd "$ROOT" && meson setup build >/dev/null)
	fi
	ninja -C "$ROOT/build" >/dev/null
fi
[ -x "$VIGIE" ] || { echo "http.sh: $VIGIE is missing" >&2; exit 2; }

# --- processes and cleanup --------------------------------------------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/vigie-bench.XXXXXX")
PIDS=""

cleanup() {
	for p in $PIDS; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null || true
	done
	PIDS=""
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "temp dir kept: $TMP"
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Workers of an nginx started as root run as nobody: let them read the page.
chmod 755 "$TMP"

# start_vigie NAME ACCESS_LOG: start Vigie on a free port; set VPID, VPORT
start_vigie() {
	d="$TMP/$1"
	mkdir -p "$d/data"
	printf 'access_log = %s\nthreads = %s\n' "$2" "$THREADS" \
	    > "$d/data/vigie.conf"
	"$VIGIE" serve --data "$d/data" --listen 127.0.0.1:0 \
	    > "$d/stdout" 2> "$d/stderr" &
	VPID=$!
	PIDS="$PIDS $VPID"
	i=0
	VPORT=""
	while [ $i -lt 100 ]; do
		VPORT=$(sed -n \
		    's#.*en service sur http://127\.0\.0\.1:\([0-9]*\)/.*#\1#p' \
		    "$d/stdout" 2>/dev/null)
		[ -n "$VPORT" ] && break
		if ! kill -0 "$VPID" 2>/dev/null; then
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	if [ -z "$VPORT" ]; then
		echo "http.sh: Vigie did not start:" >&2
		cat "$d/stdout" "$d/stderr" >&2
		exit 1
	fi
}

# start_nginx NAME LOG(on|off): start nginx on a free port; set NPID, NPORT
start_nginx() {
	d="$TMP/$1"
	mkdir -p "$d/temp"
	chmod 755 "$d"
	if [ "$2" = on ]; then
		alog="access_log $d/access.log vigie_like;"
	else
		alog="access_log off;"
	fi
	tries=0
	while :; do
		# A port picked at random; nginx failing to bind means try again.
		NPORT=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 + 30000 ))
		cat > "$d/nginx.conf" <<EOF
worker_processes $THREADS;
daemon off;
pid $d/nginx.pid;
error_log $d/error.log warn;
events {
	worker_connections 4096;
}
http {
	client_body_temp_path $d/temp/body;
	proxy_temp_path $d/temp/proxy;
	fastcgi_temp_path $d/temp/fastcgi;
	uwsgi_temp_path $d/temp/uwsgi;
	scgi_temp_path $d/temp/scgi;
	# Like Vigie's lines: time, method, path, status, duration; no address.
	log_format vigie_like '\$time_iso8601 info \$request_method \$request_uri '
	    '\$status \$request_time';
	$alog
	server_tokens off;
	keepalive_requests 1000000;
	keepalive_timeout 30s;
	server {
		listen 127.0.0.1:$NPORT;
		root $TMP/www;
		etag off;
		# The saved page, whatever the path (BENCH_PATH).
		location / {
			default_type "$CTYPE";
			try_files /index.html =404;
$(cat "$TMP/headers.conf")
		}
	}
}
EOF
		"$NGINX" -p "$d" -c "$d/nginx.conf" > "$d/stdout" 2>&1 &
		NPID=$!
		PIDS="$PIDS $NPID"
		i=0
		while [ $i -lt 50 ]; do
			if "$CURL" -fs -o /dev/null \
			    "http://127.0.0.1:$NPORT$PAGE" 2>/dev/null; then
				return 0
			fi
			kill -0 "$NPID" 2>/dev/null || break
			sleep 0.1
			i=$((i + 1))
		done
		kill -TERM "$NPID" 2>/dev/null || true
		wait "$NPID" 2>/dev/null || true
		tries=$((tries + 1))
		if [ $tries -ge 5 ]; then
			echo "http.sh: nginx did not start:" >&2
			cat "$d/stdout" "$d/error.log" >&2 2>/dev/null || true
			exit 1
		fi
	done
}

# rss_mb PID: resident memory in MB (one decimal)
rss_mb() {
	awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# --- servers ----------------------------------------------------------------

start_vigie vigie-logon yes
VPID_ON=$VPID VPORT_ON=$VPORT
start_vigie vigie-logoff no
VPID_OFF=$VPID VPORT_OFF=$VPORT

# The page, with its headers: nginx will send the same body, Content-Type and
# security headers (Date, length, Connection and Server are nginx's own).
mkdir -p "$TMP/www"
"$CURL" -fsS -D "$TMP/vigie-headers" -o "$TMP/www/index.html" \
    "http://127.0.0.1:$VPORT_OFF$PAGE"
chmod 755 "$TMP/www"
chmod 644 "$TMP/www/index.html"
BYTES=$(wc -c < "$TMP/www/index.html" | tr -d ' ')
CTYPE=$(tr -d '\r' < "$TMP/vigie-headers" |
    sed -n 's/^[Cc]ontent-[Tt]ype: *//p' | head -n 1)
tr -d '\r' < "$TMP/vigie-headers" | awk -F': ' '
	NR == 1 || NF < 2 { next }
	tolower($1) ~ /^(date|content-length|content-type|connection|server|transfer-encoding|set-cookie)$/ { next }
	/[$"\\]/ { next }
	{ v = substr($0, length($1) + 3); printf "\t\t\tadd_header %s \"%s\" always;\n", $1, v }
' > "$TMP/headers.conf"

start_nginx nginx-logon on
NPID_ON=$NPID NPORT_ON=$NPORT
start_nginx nginx-logoff off
NPID_OFF=$NPID NPORT_OFF=$NPORT

# children PID: the worker processes of an nginx master
children() {
	for f in /proc/[0-9]*/stat; do
		awk -v p="$1" '$4 == p { print $1 }' "$f" 2>/dev/null
	done
}
NWORKERS_ON=$(children "$NPID_ON" | tr '\n' ' ')
NWORKERS_OFF=$(children "$NPID_OFF" | tr '\n' ' ')

# A few requests, then idle memory.
for p in $VPORT_ON $VPORT_OFF $NPORT_ON $NPORT_OFF; do
	for i in 1 2 3 4 5; do
		"$CURL" -fs -o /dev/null "http://127.0.0.1:$p$PAGE" || true
	done
done
sleep 1
RSS_IDLE_ON=$(rss_mb "$VPID_ON")
RSS_IDLE_OFF=$(rss_mb "$VPID_OFF")

# Same bytes?  Compare the body nginx sends with Vigie's.
if ! "$CURL" -fs "http://127.0.0.1:$NPORT_ON$PAGE" | cmp -s - "$TMP/www/index.html"
then
	echo "WARNING: nginx does not send the same body as Vigie" >&2
fi

# Keep-alive: two requests on one curl command must reuse the connection.
keepalive() {
	"$CURL" -sv -o /dev/null -o /dev/null "http://127.0.0.1:$1$PAGE" \
	    "http://127.0.0.1:$1$PAGE" 2>&1 |
	    grep -c -i 're-using existing connection' || true
}
KA_VIGIE=$(keepalive "$VPORT_OFF")
KA_NGINX=$(keepalive "$NPORT_OFF")

# --- load -------------------------------------------------------------------

WARNINGS=""

# TCP connections accepted so far by the whole machine (Linux).
passive_opens() {
	awk '/^Tcp:/ { if (!n) { for (i = 1; i <= NF; i++) if ($i == "PassiveOpens") c = i; n = 1 } else print $c }' \
	    /proc/net/snmp 2>/dev/null || echo 0
}

# cpu_ticks PID...: user + system time of these processes, in clock ticks
cpu_ticks() {
	t=0
	for p in "$@"; do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}

# run_wrk LABEL PORT SECONDS PID...: one wrk run into $TMP/wrk-LABEL.txt;
# print req/s; the CPU time the server PIDs used per request goes into
# $TMP/cpu-LABEL (microseconds)
run_wrk() {
	out="$TMP/wrk-$1.txt"
	label=$1 port=$2 secs=$3
	shift 3
	passive_opens > "$TMP/opens-$label"
	cpu_ticks "$@" > "$TMP/ticks-$label"
	"$WRK" -t"$WRK_THREADS" -c"$CONNS" -d"$secs"s --latency \
	    "http://127.0.0.1:$port$PAGE" > "$out" 2>&1 || true
	echo $(( $(passive_opens) - $(cat "$TMP/opens-$label") )) \
	    > "$TMP/opens-$label"
	awk -v t0="$(cat "$TMP/ticks-$label")" -v t1="$(cpu_ticks "$@")" \
	    -v hz="$HZ" '/requests in/ { n = $1 }
	    END { if (n > 0) printf "%.1f\n", (t1 - t0) / hz * 1e6 / n;
	          else print 0 }' "$out" > "$TMP/cpu-$label"
	awk '/^Requests\/sec:/ { r = $2 } END { print r + 0 }' "$out"
}

HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)

# median of the numbers on stdin
median() {
	sort -n | awk '{ v[NR] = $1 }
	    END { if (NR == 0) print 0;
	          else if (NR % 2) print v[(NR + 1) / 2];
	          else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "Vigie $($VIGIE --version 2>/dev/null | head -n 1 || true) vs $("$NGINX" -v 2>&1)"
LOAD_START=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
echo "page $PAGE: $BYTES bytes, $CTYPE; $THREADS threads / workers;" \
    "wrk -t$WRK_THREADS -c$CONNS -d${SECONDS_}s, $ROUNDS rounds, median"
echo

for cfg in on off; do
	if [ $cfg = on ]; then
		vp=$VPORT_ON np=$NPORT_ON vpid=$VPID_ON nw=$NWORKERS_ON
	else
		vp=$VPORT_OFF np=$NPORT_OFF vpid=$VPID_OFF nw=$NWORKERS_OFF
	fi
	run_wrk "warmup-vigie-log$cfg" "$vp" "$WARMUP" "$vpid" >/dev/null
	# shellcheck disable=SC2086
	run_wrk "warmup-nginx-log$cfg" "$np" "$WARMUP" $nw >/dev/null
	: > "$TMP/v-$cfg" ; : > "$TMP/n-$cfg"
	: > "$TMP/vc-$cfg" ; : > "$TMP/nc-$cfg"
	r=1
	while [ $r -le "$ROUNDS" ]; do
		v=$(run_wrk "vigie-log$cfg-$r" "$vp" "$SECONDS_" "$vpid")
		# shellcheck disable=SC2086
		n=$(run_wrk "nginx-log$cfg-$r" "$np" "$SECONDS_" $nw)
		echo "$v" >> "$TMP/v-$cfg"
		echo "$n" >> "$TMP/n-$cfg"
		cat "$TMP/cpu-vigie-log$cfg-$r" >> "$TMP/vc-$cfg"
		cat "$TMP/cpu-nginx-log$cfg-$r" >> "$TMP/nc-$cfg"
		printf '  log %-3s round %d: vigie %8.0f req/s %5.1f us/req' \
		    "$cfg" "$r" "$v" "$(cat "$TMP/cpu-vigie-log$cfg-$r")"
		printf '   nginx %8.0f req/s %5.1f us/req\n' \
		    "$n" "$(cat "$TMP/cpu-nginx-log$cfg-$r")"
		r=$((r + 1))
	done
done
# Every run must have been answered with 200s and bytes, without errors.
for f in "$TMP"/wrk-*.txt; do
	label=$(basename "$f" .txt | sed 's/^wrk-//')
	nreq=$(awk '/requests in/ { print $1 }' "$f")
	readb=$(sed -n 's/.*requests in [^,]*, *\([0-9.]*\)[KMGT]*B read.*/\1/p' "$f")
	non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$f")
	sockerr=$(sed -n 's/^ *Socket errors: *//p' "$f")
	if [ -z "$nreq" ] || [ "$nreq" = 0 ] || [ -z "$readb" ] ||
	    awk -v b="$readb" 'BEGIN { exit !(b + 0 == 0) }'; then
		WARNINGS="$WARNINGS
WARNING: $label: no request answered (see $f)"
	fi
	[ -z "$non2xx" ] || WARNINGS="$WARNINGS
WARNING: $label: $non2xx responses were not 2xx/3xx"
	[ -z "$sockerr" ] || WARNINGS="$WARNINGS
WARNING: $label: socket errors: $sockerr"
done

sleep 2
RSS_LOAD_ON=$(rss_mb "$VPID_ON")
RSS_LOAD_OFF=$(rss_mb "$VPID_OFF")

# --- summary ----------------------------------------------------------------

echo
for cfg in on off; do
	v=$(median < "$TMP/v-$cfg")
	n=$(median < "$TMP/n-$cfg")
	if [ $cfg = on ]; then ri=$RSS_IDLE_ON rl=$RSS_LOAD_ON
	else ri=$RSS_IDLE_OFF rl=$RSS_LOAD_OFF; fi
	ratio=$(awk -v v="$v" -v n="$n" \
	    'BEGIN { if (n > 0) printf "%.0f", 100 * v / n; else print "?" }')
	printf 'vigie (log %s):  %.0f req/s\n' "$cfg" "$v"
	printf 'nginx (log %s):  %.0f req/s\n' "$cfg" "$n"
	printf 'ratio: %s%% of nginx (aim: >= 60%%)\n' "$ratio"
	vc=$(median < "$TMP/vc-$cfg")
	nc=$(median < "$TMP/nc-$cfg")
	printf 'server CPU per request: vigie %s us, nginx %s us' "$vc" "$nc"
	awk -v v="$vc" -v n="$nc" 'BEGIN { if (v > 0)
	    printf " (efficiency: %.0f%% of nginx)\n",
	    100 * n / v; else print "" }'
	printf 'vigie idle RSS: %s MB after start, %s MB after the load' "$ri" "$rl"
	printf ' (aim: < 20 MB)\n\n'
done
# Keep-alive under load: the connections the machine accepted during the
# first Vigie run against the requests wrk made (64 connections for some
# 100000 requests when connections are kept; as many as the requests if not).
nreq=$(awk '/requests in/ { print $1 }' "$TMP/wrk-vigie-logoff-1.txt")
nconn=$(cat "$TMP/opens-vigie-logoff-1")
echo "keep-alive under load: vigie answered $nreq requests over" \
    "$nconn connections (wrk opened $CONNS)"
if [ "$nconn" -gt $((CONNS * 4 + 100)) ]; then
	WARNINGS="$WARNINGS
WARNING: keep-alive: $nconn connections for $nreq requests (other processes of the machine are counted too)"
fi
LOAD_END=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
echo "load average: $LOAD_START at start, $LOAD_END at the end" \
    "($(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') cores;" \
    "other work on the machine makes the numbers noisy)"
if [ "$KA_VIGIE" -ge 1 ] && [ "$KA_NGINX" -ge 1 ]; then
	echo "keep-alive: both servers reuse the connection (curl)"
else
	WARNINGS="$WARNINGS
WARNING: keep-alive: connection reused by vigie: $KA_VIGIE, by nginx: $KA_NGINX"
fi
if [ -n "$WARNINGS" ]; then
	echo "$WARNINGS" | sed '/^$/d' | sort -u
fi
