#!/bin/sh
# Correctness and speed of the barometer's estimates (issue 7): a dataset
# of BENCH_ROWS answers (a yes/no, a weight, one of 101 groups as the
# départements) is made, then R's survey package (Debian r-cran-survey)
# and Vigie compute the same weighted proportions and standard errors,
# overall and by group, in the same run:
#   svymean(~y, svydesign(ids = ~1, weights = ~w)) and svyby(..., ~g, svymean)
# Prints the largest difference (aim: under 1e-9) and the ratio of the
# computing times.  A benchmark: it never fails on timing.
#   BENCH_ROWS (default 200000)
set -eu
cd "$(dirname "$0")/.."
rows=${BENCH_ROWS:-200000}
command -v Rscript >/dev/null || { echo "Rscript is missing: apt-get install r-base-core r-cran-survey" >&2; exit 1; }
[ -n "${VIGIE_NO_BUILD:-}" ] || ninja -C build estimate-check >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# The data: skewed weights, proportions that differ by group.
awk -v n="$rows" 'BEGIN {
	srand(42); print "g,y,w"
	for (i = 0; i < n; i++) {
		g = int(rand() * 101); p = 0.1 + 0.6 * g / 100
		y = rand() < p ? 1 : 0
		w = exp(0.8 * (rand() + rand() + rand() - 1.5))
		printf "%d,%d,%.10f\n", g, y, w
	}
}' >"$tmp/data.csv"

cat >"$tmp/check.R" <<'R'
suppressMessages(library(survey))
d <- read.csv(commandArgs(TRUE)[1])
t0 <- proc.time()[["elapsed"]]
des <- svydesign(ids = ~1, weights = ~w, data = d)
all <- svymean(~y, des)
by <- svyby(~y, ~g, des, svymean)
t1 <- proc.time()[["elapsed"]]
cat(sprintf("all %.17g %.17g\n", coef(all)[[1]], SE(all)[[1]]))
for (i in seq_len(nrow(by)))
	cat(sprintf("%d %.17g %.17g\n", by$g[i], by$y[i], by$se[i]))
write(sprintf("%.6f", t1 - t0), stderr())
R
Rscript "$tmp/check.R" "$tmp/data.csv" >"$tmp/r.out" 2>"$tmp/r.time"
sort "$tmp/r.out" >"$tmp/r.sorted"
for mode in answers cells; do
if [ "$mode" = cells ]; then
	echo "-- the same from precomputed cells (n, Σw, Σwy, Σw², Σw²y per group):"
	VIGIE_CELLS=1 ./build/estimate-check "$tmp/data.csv" >"$tmp/v.out" 2>"$tmp/v.time"
else
	./build/estimate-check "$tmp/data.csv" >"$tmp/v.out" 2>"$tmp/v.time"
fi
sort "$tmp/v.out" >"$tmp/v.sorted"
join "$tmp/r.sorted" "$tmp/v.sorted" | awk -v rt="$(tail -1 "$tmp/r.time")" \
    -v vt="$(tail -1 "$tmp/v.time")" -v rows="$rows" '
function abs(x) { return x < 0 ? -x : x }
{
	d1 = abs($2 - $4); d2 = abs($3 - $5)
	if (d1 > m1) m1 = d1
	if (d2 > m2) m2 = d2
	k++
}
END {
	printf "%d estimates (overall and 101 groups) on %d weighted answers\n", k, rows
	printf "largest difference with R survey: estimate %.3g, standard error %.3g (aim: under 1e-9)\n", m1, m2
	printf "computing time: R %.3f s, vigie %.4f s, ratio %.1f (R / vigie)\n", rt, vt, rt / (vt > 0 ? vt : 1e-9)
}'
done
