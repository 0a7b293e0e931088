#!/usr/bin/env bash
# Peak memory of one timelapse process per backend and frame size: the per-frame need that
# `goesvfi cluster submit` turns into a Slurm --mem request (src/cluster/resources.cpp).
#   bench/cluster_memory.sh [BUILD_DIR] [SIZES...]     e.g. bench/cluster_memory.sh build/release 512 1024
# Prints: backend size peak_rss_mb. Uses the demo generator (5 scans, one missing) and -n 3.
set -euo pipefail
BIN=${1:-build/release}/goesvfi
shift || true
SIZES=${*:-512 1024}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
BACKENDS=${BACKENDS:-blend flow minterpolate}
[ -n "${RIFE_MODEL:-}" ] && BACKENDS="$BACKENDS rife"
for size in $SIZES; do
  "$BIN" --progress none demo --dir "$WORK/$size" --scans 5 --size "$size" --backend none >/dev/null 2>&1
  for backend in $BACKENDS; do
    extra=()
    [ "$backend" = rife ] && extra=(--model "$RIFE_MODEL")
    /usr/bin/time -f "%M" -o "$WORK/rss" "$BIN" --progress none timelapse --satellite G16 \
      --start 2024-05-01T12:00Z --end 2024-05-01T12:50Z --source "$WORK/$size/archive" \
      --data-dir "$WORK/data" --backend "$backend" "${extra[@]}" -n 3 --preset ultrafast \
      -o "$WORK/$size/$backend.mp4" >/dev/null 2>&1
    echo "$backend $size $(( $(cat "$WORK/rss") / 1024 ))"
  done
done
