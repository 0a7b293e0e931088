#!/usr/bin/env bash
# The benchmarks of docs/benchmarks.md with the arguments its tables were made with. Each one runs its
# baseline in the same invocation and prints a ratio, so figures from a busy machine still compare.
#
#   ./run bench                      # builds build/release, then runs every benchmark below (about an hour)
#   ./run bench pipeline fetch       # only these
#   BUILD=build/dev scripts/bench.sh interp   # with another build's binaries
#
# Names: pipeline interp flow-warp data-space render catalog fetch rife timelapse. `rife` needs the golden model of
# ../shared (GOESVFI_SHARED_DIR): it is skipped without it. `fetch` needs the s3rver fixture (npm).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build/release}
SHARED=${GOESVFI_SHARED_DIR:-../shared}
all=(pipeline interp flow-warp data-space render catalog fetch rife timelapse)

bench() {  # bench NAME ARGS...: prints the command, then runs it
  local exe=$BUILD/bench/bench_$1
  shift
  [ -x "$exe" ] || { echo "bench: $exe is missing (build it: ./run release)" >&2; exit 1; }
  echo "\$ $exe $*  [load $(cut -d' ' -f1-3 /proc/loadavg)]"
  "$exe" "$@"
}

run_one() {
  case "$1" in
    pipeline) bench pipeline --frames 200 ;;
    interp) bench interp_backends --reps 3 ;;
    flow-warp) bench flow_warp --benchmark_repetitions=3 --benchmark_report_aggregates_only=true ;;
    data-space) bench data_space --size 1024 --scans 7 ;;
    render) bench render --threads 1 --reps 5 ;;
    catalog) bench catalog 100000 ;;
    fetch)
      (cd tests/fixtures/s3 && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent; })
      bench fetch --files 500 --size 1000000 --jobs 8
      ;;
    rife)
      if [ ! -d "$SHARED/golden/rife-v4.6" ]; then
        echo "bench: rife skipped: no model at $SHARED/golden/rife-v4.6 (set GOESVFI_SHARED_DIR)"
        return 0
      fi
      bench rife --model "$SHARED/golden/rife-v4.6" --width 1920 --height 1080 --runs 5 --warmup 2 --baseline
      ;;
    timelapse) bench timelapse --conus-scans 60 -n 1 ;;
    *) echo "bench: unknown benchmark '$1' (expected: ${all[*]})" >&2; exit 2 ;;
  esac
}

names=("$@")
[ ${#names[@]} -gt 0 ] || names=("${all[@]}")
for name in "${names[@]}"; do
  printf '\n== bench %s\n' "$name"
  run_one "$name"
done
