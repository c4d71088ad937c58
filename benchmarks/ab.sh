#!/usr/bin/env bash
# ab.sh: two or more doisanh builds run in turn on one generated province,
# so that a change is measured against the build before it under the same
# load (the machines are shared; a figure alone says little).
#
# Usage: benchmarks/ab.sh ROUNDS BIN...
#   e.g. git stash; go build -o /tmp/ds-old ./cmd/doisanh; git stash pop
#        go build -o /tmp/ds-new ./cmd/doisanh
#        benchmarks/ab.sh 3 /tmp/ds-old /tmp/ds-new
# Environment (optional):
#   DATA=DIR   generated files (population, tax, insurance, civil .parquet);
#              default the one peer.sh generates for 1 M people, seed 1
#   OUT=DIR    where each run writes (replaced run after run)
#   ARGS=...   more reconcile flags, e.g. ARGS="--spill on"
# Prints one line a run: the build, wall, user and system seconds, peak RSS.
set -euo pipefail

DATA=${DATA:-/tmp/doisanh-peer/data-1000000-1}
OUT=${OUT:-/tmp/doisanh-ab}
die() { echo "ab.sh: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: ab.sh ROUNDS BIN..."
rounds=$1
shift
[ -x /usr/bin/time ] || die "/usr/bin/time missing: apt-get install time"
[ -f "$DATA/population.parquet" ] || die "$DATA/population.parquet missing (bash benchmarks/peer.sh generates it)"
for b in "$@"; do [ -x "$b" ] || die "$b is not an executable"; done

for i in $(seq "$rounds"); do
	for b in "$@"; do
		rm -rf "$OUT"
		# shellcheck disable=SC2086 # ARGS is a list of flags
		/usr/bin/time -f "$b round $i: %e s wall, %U s user, %S s sys, %M KiB peak RSS" -o "$OUT.time" \
			"$b" reconcile --population "$DATA/population.parquet" --tax "$DATA/tax.parquet" \
			--insurance "$DATA/insurance.parquet" --civil "$DATA/civil.parquet" --out "$OUT" ${ARGS:-} \
			>/dev/null 2>"$OUT.log" || die "$b failed, see $OUT.log"
		tail -1 "$OUT.time"
	done
done
