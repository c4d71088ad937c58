#!/usr/bin/env bash
# peer.sh: doisanh reconcile side by side with the DuckDB peer (benchmarks/duckdb)
# on the same generated province: wall time, peak RSS, precision and recall.
#
# Usage: benchmarks/peer.sh
# Environment (all optional):
#   PEOPLE=1000000 SEED=1          province size and generator seed
#   DATA=DIR                       generated files; generated unless DIR/truth.parquet exists
#   OUT=DIR                        results: OUT/doisanh, OUT/duckdb, *.time, *.score
#   THREADS=N                      DuckDB threads (default: all cores)
#   PEERS="doisanh duckdb"         which engines to run
#   SCORE=1                        0 skips scoring (no truth needed)
#   RUNS=1                         rounds of the engines in turn; with more than one, each
#                                  round's ratio and their median are printed (a shared
#                                  host's speed moves from minute to minute)
set -euo pipefail

PEOPLE=${PEOPLE:-1000000}
SEED=${SEED:-1}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=${DATA:-/tmp/doisanh-peer/data-$PEOPLE-$SEED}
OUT=${OUT:-/tmp/doisanh-peer/out-$PEOPLE-$SEED}
THREADS=${THREADS:-0}
PEERS=${PEERS:-doisanh duckdb}
SCORE=${SCORE:-1}
RUNS=${RUNS:-1}
DOISANH=/tmp/doisanh
PEER=/tmp/doisanh-duckdb-peer

die() { echo "peer.sh: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "/usr/bin/time missing: apt-get install time"
mkdir -p "$OUT"

need_doisanh=0
[[ " $PEERS " == *" doisanh "* ]] && need_doisanh=1
[ "$SCORE" = 1 ] && need_doisanh=1
[ -f "$DATA/population.parquet" ] && [ -f "$DATA/truth.parquet" ] || need_doisanh=1

# 1. Build (outside the timings).
if [ "$need_doisanh" = 1 ]; then
	echo "== build doisanh" >&2
	(cd "$ROOT" && go build -o "$DOISANH" ./cmd/doisanh)
fi
if [[ " $PEERS " == *" duckdb "* ]]; then
	echo "== build duckdb peer" >&2
	(cd "$ROOT/benchmarks/duckdb" && CGO_ENABLED=1 go build -o "$PEER" .)
fi

# 2. Generate the province once.
if [ -f "$DATA/population.parquet" ] && [ -f "$DATA/truth.parquet" ]; then
	echo "== using $DATA" >&2
else
	echo "== generate $PEOPLE people, seed $SEED, into $DATA" >&2
	"$DOISANH" generate --people "$PEOPLE" --seed "$SEED" --out "$DATA"
fi

# timed NAME CMD...: runs CMD under /usr/bin/time -v, output in $OUT/NAME.log.
timed() {
	local name=$1
	shift
	echo "== $name: $*" >&2
	/usr/bin/time -v -o "$OUT/$name.time" "$@" >"$OUT/$name.log" 2>&1 ||
		die "$name failed (exit $?), see $OUT/$name.log"
}

# wall NAME, rss NAME: seconds and peak RSS in MiB from NAME.time.
wall() {
	awk -F': ' '/Elapsed \(wall clock\)/ {
		n = split($2, p, ":"); s = 0
		for (i = 1; i <= n; i++) s = s * 60 + p[i]
		printf "%.2f", s }' "$OUT/$1.time"
}
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$OUT/$1.time"; }
# cpu NAME: user + system CPU seconds from NAME.time (steadier than wall time on a shared host).
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$OUT/$1.time"; }

# 3. Run each engine on the same files, RUNS rounds; the last round's outputs are scored.
for round in $(seq "$RUNS"); do
	for peer in $PEERS; do
		case $peer in
		doisanh)
			timed doisanh "$DOISANH" reconcile --population "$DATA/population.parquet" --tax "$DATA/tax.parquet" \
				--insurance "$DATA/insurance.parquet" --civil "$DATA/civil.parquet" --out "$OUT/doisanh"
			;;
		duckdb)
			timed duckdb "$PEER" --data "$DATA" --out "$OUT/duckdb" --threads "$THREADS"
			cat "$OUT/duckdb.log"
			;;
		*) die "unknown peer $peer (want doisanh or duckdb)" ;;
		esac
	done
	for peer in $PEERS; do cp "$OUT/$peer.time" "$OUT/$peer.round$round.time"; done
done

# covered FILE: precision and recall over the subtypes the DuckDB SQL implements,
# summed from the rows (rule subtype truth found correct ...) of a score table.
covered() {
	awk 'BEGIN { split("DUP_ID/POPULATION DUP_ID/TAX DUP_ID/INSURANCE NOT_IN_POPULATION/TAX " \
		"NOT_IN_POPULATION/INSURANCE FIELD_MISMATCH/NAME FIELD_MISMATCH/BIRTH_DATE FIELD_MISMATCH/GENDER " \
		"DECEASED_ACTIVE/CIVIL_DEATH DECEASED_ACTIVE/TAX DECEASED_ACTIVE/INSURANCE", k, " ")
		for (i in k) want[k[i]] = 1 }
	NF == 8 && ($1 "/" $2) in want { t += $3; f += $4; c += $5 }
	END { printf "%.4f %.4f\n", f ? c / f : 1, t ? c / t : 1 }' "$1"
}

# 4. Score and compare.
printf '\n%-8s %8s %8s %12s %10s %10s %12s %12s\n' engine wall_s cpu_s peak_rss_MiB precision recall "prec(SQL)" "recall(SQL)"
for peer in $PEERS; do
	p=- r=- cp=- cr=-
	if [ "$SCORE" = 1 ]; then
		"$DOISANH" score --findings "$OUT/$peer/findings.parquet" --truth "$DATA/truth.parquet" >"$OUT/$peer.score"
		read -r p r < <(awk '$1 == "TOTAL" { print $(NF-2), $(NF-1) }' "$OUT/$peer.score")
		read -r cp cr < <(covered "$OUT/$peer.score")
	fi
	printf '%-8s %8s %8s %12s %10s %10s %12s %12s\n' "$peer" "$(wall "$peer")" "$(cpu "$peer")" "$(rss "$peer")" "$p" "$r" "$cp" "$cr"
done
echo "(SQL): only the subtypes the DuckDB SQL implements (DUP_ID, NOT_IN_POPULATION/TAX,INSURANCE, FIELD_MISMATCH, DECEASED_ACTIVE)"
if [[ " $PEERS " == *" doisanh "* && " $PEERS " == *" duckdb "* ]]; then
	last=""
	[ "$RUNS" -gt 1 ] && last=" (last round)"
	awk -v d="$(wall doisanh)" -v k="$(wall duckdb)" -v dc="$(cpu doisanh)" -v kc="$(cpu duckdb)" -v last="$last" 'BEGIN {
		if (d > 0) printf "wall time ratio duckdb/doisanh%s: %.2f\n", last, k / d
		if (dc > 0) printf "CPU time ratio duckdb/doisanh%s: %.2f\n", last, kc / dc }'
	if [ "$RUNS" -gt 1 ]; then
		# One line a round (doisanh's and DuckDB's wall seconds, their ratio), then the median ratio.
		for round in $(seq "$RUNS"); do
			awk -v n="$round" -v d="$(wall doisanh.round$round)" -v k="$(wall duckdb.round$round)" \
				'BEGIN { printf "%d %.2f %.2f %.4f\n", n, d, k, k / d }'
		done >"$OUT/rounds.txt"
		awk '{ printf "round %d: doisanh %.2f s, duckdb %.2f s, ratio %.2f\n", $1, $2, $3, $4 }' "$OUT/rounds.txt"
		awk '{ print $4 }' "$OUT/rounds.txt" | sort -n | awk '{ r[NR] = $1 }
			END { m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
				printf "median wall time ratio duckdb/doisanh over %d rounds: %.2f\n", NR, m }'
	fi
fi
echo "score tables: $OUT/*.score; DuckDB per-query timings: $OUT/duckdb/timings.json"
