#!/usr/bin/env bash
# One process vs 2 segments under Slurm over the same range, and the join's cost per GB (docs/scaling.md).
#   bench/cluster_scaling.sh [BUILD_DIR] [SIZE] [SCANS] [BACKEND]   defaults: build/release 1024 13 flow
# Needs a Slurm cluster answering `sinfo` (as root, scripts/slurm-test-cluster.sh start is run if none answers,
# and stopped again). Prints wall and CPU seconds of both runs, the per-scan costs of the one process, the join's
# seconds and bytes, and whether the two videos have identical frames (ffv1, lossless).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
SIZE=${2:-1024}
SCANS=${3:-13}
BACKEND=${4:-flow}
BIN=$(realpath "$BUILD/goesvfi")
WORK=$(mktemp -d /tmp/goesvfi-bench-cluster.XXXXXX)
started=0
cleanup() {
  [ "$started" = 1 ] && scripts/slurm-test-cluster.sh stop
  rm -rf "$WORK"
}
trap cleanup EXIT
if ! sinfo --noheader >/dev/null 2>&1; then
  if [ -f "${GOESVFI_SLURM_DIR:-/tmp/goesvfi-slurm}/slurm.conf" ]; then
    export SLURM_CONF=${GOESVFI_SLURM_DIR:-/tmp/goesvfi-slurm}/slurm.conf
  fi
  if ! sinfo --noheader >/dev/null 2>&1; then
    eval "$(scripts/slurm-test-cluster.sh start)"
    started=1
  fi
fi

"$BIN" --progress none demo --dir "$WORK/demo" --scans "$SCANS" --size "$SIZE" --backend none >/dev/null 2>&1
END=$(date -u -d "2024-05-01T12:00Z + $((SCANS * 10)) minutes" +%Y-%m-%dT%H:%MZ)
BASE=(--progress none timelapse --satellite G16 --start 2024-05-01T12:00Z --end "$END"
  --source "$WORK/demo/archive" --data-dir "$WORK/data")
FLAGS=("${BASE[@]}" --backend "$BACKEND" -n 3 --codec ffv1 --pix-fmt yuv444p)
cores=$(nproc)
echo "machine: $cores cores; $SCANS scans of ${SIZE}x${SIZE}, backend $BACKEND, -n 3, ffv1"

/usr/bin/time -f "%e %U %S" -o "$WORK/t1" "$BIN" "${FLAGS[@]}" -o "$WORK/single.mkv" 2>"$WORK/single.log"
read -r wall1 user1 sys1 <"$WORK/t1"
frames=$(grep -o '[0-9]* video frames' "$WORK/single.log" | cut -d' ' -f1)
echo "one process:        wall $wall1 s, cpu $(echo "$user1 + $sys1" | bc) s, $frames frames"
grep "time:" "$WORK/single.log" | sed 's/^ */  stages: /'

"$BIN" "${FLAGS[@]}" -o "$WORK/seg.mkv" --segments 2 --write-plan "$WORK/plan.json" >/dev/null
t0=$(date +%s.%N)
"$BIN" cluster submit "$WORK/plan.json" --cpus-per-task "$(( cores / 2 > 0 ? cores / 2 : 1 ))" >/dev/null
until "$BIN" cluster status "$WORK/plan.json" | grep -q "^join: done"; do
  if "$BIN" cluster status "$WORK/plan.json" | grep -q "^segment [0-9]*: failed"; then
    "$BIN" cluster status "$WORK/plan.json"; exit 1
  fi
  sleep 0.2
done
t1=$(date +%s.%N)
cpu2=$(python3 -c "import json,sys; s=json.load(open('$WORK/plan.parts/summary.json')); print(round(s['total']['seconds_cpu'],1))")
echo "2 segments (Slurm): wall $(echo "$t1 - $t0" | bc | xargs printf '%.1f') s (submit to joined video), cpu $cpu2 s in the segments"
python3 - "$WORK/plan.parts/summary.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
for r in s["segments"]:
    print(f"  segment {r['segment']}: {r['frames']} frames, wall {r['seconds_total']:.1f} s, cpu {r['seconds_cpu']:.1f} s, peak {r['peak_rss_mb']:.0f} MB")
EOF

a=$(ffmpeg -v error -i "$WORK/single.mkv" -f framemd5 - | grep -v '^#' | awk '{print $NF}' | md5sum)
b=$(ffmpeg -v error -i "$WORK/seg.mkv" -f framemd5 - | grep -v '^#' | awk '{print $NF}' | md5sum)
[ "$a" = "$b" ] && echo "frames identical: yes" || echo "frames identical: NO"

# The join alone, on bigger segments (ProRes 4:2:2 10-bit, blend, -n 15: a few hundred MB), three times: stream
# copy should run at disk speed. Segments made by `cluster run -j 2`.
"$BIN" "${BASE[@]}" --backend blend -n 15 --codec prores_ks --pix-fmt yuv422p10le -o "$WORK/big.mov" \
  --segments 2 --write-plan "$WORK/big.json" >/dev/null
"$BIN" --progress none cluster run "$WORK/big.json" -j 2 >/dev/null 2>&1
for i in 1 2 3; do
  # Baseline: the same bytes copied with cat and made durable with sync (what "disk speed" means here).
  /usr/bin/time -f "%e" -o "$WORK/tc" sh -c "cat '$WORK'/big.parts/seg-*.mov >'$WORK/copy' && sync '$WORK/copy'"
  rm -f "$WORK/copy"
  /usr/bin/time -f "%e %U %S" -o "$WORK/tj" "$BIN" --progress none join "$WORK/big.json" >/dev/null 2>&1
  bytes=$(stat -c %s "$WORK/big.mov")
  read -r jw ju js <"$WORK/tj"
  awk -v w="$jw" -v u="$ju" -v s="$js" -v b="$bytes" -v c="$(cat "$WORK/tc")" 'BEGIN { printf "join: %.2f s wall, %.2f s cpu for %.0f MB -> %.1f s/GB wall, %.1f s/GB cpu (%.0f MB/s); cat+sync of the segments %.2f s (%.0f MB/s)\n", w, u + s, b / 1e6, w / (b / 1e9), (u + s) / (b / 1e9), b / 1e6 / w, c, b / 1e6 / c }'
done
