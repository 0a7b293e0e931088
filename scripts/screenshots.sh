#!/usr/bin/env bash
# Runs the real desktop app (goesvfi-gui) under Xvfb on the offline demo data and saves a PNG of every page,
# each with real content (a plan, a check, a preview, listings), into docs/screenshots/.
#   scripts/screenshots.sh [BUILD_DIR]     (default build/dev; needs goesvfi and goesvfi-gui built there)
# Needs xvfb-run (Debian xvfb) and ImageMagick's import. Nothing outside a temporary folder is touched: the
# app's settings, caches and config live there.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
out=docs/screenshots
for tool in xvfb-run import; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (apt-get install xvfb imagemagick)" >&2; exit 1; }
done
[ -x "$build/goesvfi-gui" ] || { echo "screenshots: $build/goesvfi-gui is not built" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME="$work" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data"
mkdir -p "$out" "$XDG_CONFIG_HOME"

# The demo's GOES-16-like archive (13 full-disk scans, one missing) and its scans rendered as PNG frames.
"$build/goesvfi" --progress none demo --dir "$work/demo" --scans 13 --size 512 >/dev/null 2>&1
find "$work/demo/archive" -name '*.nc' -print0 | sort -z |
  xargs -0 "$build/goesvfi" --progress none render --false-colour -o "$work/demo/frames" >/dev/null
# The Models page lists the RIFE test model of ../shared when it is there (read in place, not copied).
shared=${GOESVFI_SHARED_DIR:-$(cd .. && pwd)/shared}
if [ -f "$shared/golden/rife-v4.6/flownet.param" ]; then
  mkdir -p "$XDG_CONFIG_HOME/goesvfi"
  printf '[rife]\nmodels_dir = "%s"\n' "$shared/golden" >"$XDG_CONFIG_HOME/goesvfi/config.toml"
fi

# shoot PAGE NAME [BUTTON [SECONDS]]: start the app on PAGE, click BUTTON, wait, grab the screen.
shoot() {
  local page=$1 name=$2 press=${3:-} wait=${4:-4}
  xvfb-run -a -s "-screen 0 1280x860x24" bash -c '
    "$1" --demo "$2" --page "$3" ${4:+--press "$4"} & pid=$!
    sleep "$5"
    import -window root "$6"
    kill $pid; wait $pid 2>/dev/null || true' _ "$build/goesvfi-gui" "$work/demo" "$page" "$press" "$wait" \
    "$out/$name.png"
  echo "$out/$name.png"
}

shoot 0 1-timelapse plan 6
shoot 1 2-interpolate preview 8
shoot 2 3-integrity check 6
shoot 3 4-fetch list 6
shoot 4 5-sort preview 6
shoot 5 6-models check 8
shoot 6 7-settings "" 3
