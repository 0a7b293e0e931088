#!/usr/bin/env bash
# Peak memory of one timelapse process per backend and frame size: the per-frame need that
# `goesvfi cluster submit` turns into a Slurm --mem request (src/cluster/resources.cpp).
#   bench/cluster_memory.sh [BUILD_DIR] [SIZES...]     e.g. bench/cluster_memory.sh build/release 512 1024
# Prints: backend size peak_rss_mb. Uses the demo generator (SCANS=13 scans, one missing), -n 3, false colour (RGB
# frames) and the default encoder (x264 slow: its lookahead holds frames too). EXTRA adds timelapse flags.
set -euo pipefail
BIN=${1:-build/release}/goesvfi
shift || true
SIZES=${*:-512 1024}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
BACKENDS=${BACKENDS:-blend flow minterpolate}
[ -n "${RIFE_MODEL:-}" ] && BACKENDS="$BACKENDS rife"
for size in $SIZES; do
  "$BIN" --progress none demo --dir "$WORK/$size" --scans "${SCANS:-13}" --size "$size" --backend none >/dev/null 2>&1
  for backend in $BACKENDS; do
    extra=()
    [ "$backend" = rife ] && extra=(--model "$RIFE_MODEL")
    /usr/bin/time -f "%M" -o "$WORK/rss" "$BIN" --progress none timelapse --satellite G16 \
      --start 2024-05-01T12:00Z --end "$(date -u -d "2024-05-01T12:00Z + $((${SCANS:-13} * 10)) minutes" +%Y-%m-%dT%H:%MZ)" --source "$WORK/$size/archive" \
      --data-dir "$WORK/data" --backend "$backend" "${extra[@]}" -n 3 --false-colour ${EXTRA:-} \
      -o "$WORK/$size/$backend.mp4" >/dev/null 2>&1
    echo "$backend $size $(( $(cat "$WORK/rss") / 1024 ))"
  done
done
