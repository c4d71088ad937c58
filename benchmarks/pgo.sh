#!/usr/bin/env bash
# pgo.sh: remakes cmd/doisanh/default.pgo, the CPU profile that "go build"
# uses for profile-guided optimisation of the doisanh binary (-pgo=auto, the
# default, picks default.pgo in the main package's directory).
#
# The profile is three runs of a build made without it, merged: reconcile of
# a generated 1 M-person province in memory, the same with --spill on (the
# paths of a province past its memory limit), and generate of a 1 M province
# (the generator of the national runs). Remake it when the hot paths have
# moved (benchmarks/RESULTS.md, "Profile-guided optimisation"); a stale
# profile still builds, it only optimises less.
#
# Usage: benchmarks/pgo.sh
# Environment (optional):
#   DATA=DIR   generated 1 M province (seed 1); generated unless DIR/population.parquet exists
#   WORK=DIR   profiles and outputs of the runs (default /tmp/doisanh-pgo)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-/tmp/doisanh-pgo}
DATA=${DATA:-$WORK/data-1000000-1}
BIN=$WORK/doisanh-nopgo
mkdir -p "$WORK"

echo "== build without a profile" >&2
(cd "$ROOT" && go build -pgo=off -o "$BIN" ./cmd/doisanh)

if [ ! -f "$DATA/population.parquet" ]; then
	echo "== generate 1,000,000 people, seed 1, into $DATA" >&2
	"$BIN" generate --people 1000000 --seed 1 --out "$DATA" --quiet
fi

# reconcile OUT PROFILE FLAGS...: one profiled run on the province.
reconcile() {
	local out=$1 prof=$2
	shift 2
	rm -rf "$out"
	echo "== reconcile $*" >&2
	"$BIN" reconcile --population "$DATA/population.parquet" --tax "$DATA/tax.parquet" \
		--insurance "$DATA/insurance.parquet" --civil "$DATA/civil.parquet" --out "$out" \
		--quiet --cpuprofile "$prof" "$@" >/dev/null
}
reconcile "$WORK/out-memory" "$WORK/reconcile.pprof"
reconcile "$WORK/out-spill" "$WORK/spill.pprof" --spill on --memory-limit 400MB

echo "== generate, profiled" >&2
rm -rf "$WORK/generated"
"$BIN" generate --people 1000000 --seed 7 --out "$WORK/generated" --quiet --cpuprofile "$WORK/generate.pprof"

go tool pprof -proto "$WORK/reconcile.pprof" "$WORK/spill.pprof" "$WORK/generate.pprof" \
	>"$ROOT/cmd/doisanh/default.pgo"
echo "wrote cmd/doisanh/default.pgo ($(wc -c <"$ROOT/cmd/doisanh/default.pgo") bytes)" >&2
