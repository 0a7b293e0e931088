#!/usr/bin/env bash
# Installs the Debian packages goesvfi needs: `install-deps.sh` everything (build, tests, benchmarks, tools),
# `install-deps.sh --app` only what building the programs needs (the demo and the package: a newcomer's first
# run downloads half as much).
# Idempotent: packages already present are skipped, `apt-get update` runs at most once per boot. Needs only
# bash, coreutils and apt (run as root, or as a user with sudo).
set -euo pipefail

app_only=0
[ "${1:-}" = "--app" ] && app_only=1

# Building the programs.
packages=(
  build-essential cmake ninja-build pkg-config ccache
  libavcodec-dev libavformat-dev libavfilter-dev libavutil-dev libswscale-dev libswresample-dev ffmpeg
  libcurl4-openssl-dev libssl-dev
  libnetcdf-dev libhdf5-dev
  libsqlite3-dev
  libopencv-dev
  libdnnl-dev
  libtomlplusplus-dev libcli11-dev libfmt-dev libspdlog-dev nlohmann-json3-dev libpugixml-dev
  libpng-dev libjpeg-dev libtiff-dev zlib1g-dev
  ca-certificates
  xplanet-images  # the default false-colour map, /usr/share/xplanet/images/earth.jpg (docs/false-colour.md)
)
# The desktop app, tests, sanitizers, fuzzing, benchmarks, packaging, screenshots and the tools the scripts use.
test_packages=(
  qt6-base-dev
  clang lld libclang-rt-14-dev clang-format
  libgtest-dev libgmock-dev libbenchmark-dev
  netcdf-bin curl time git dpkg-dev file
  xvfb xauth imagemagick
  slurm-wlm munge  # the one-node Slurm cluster of the cluster tests (scripts/slurm-test-cluster.sh)
)
[ "$app_only" = 1 ] || packages+=("${test_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js + npm run the s3rver fixture for the fetch tests; any Node >= 18 will do.
if [ "$app_only" = 0 ] && ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "install-deps: these Debian packages are missing: ${missing[*]}" >&2
      echo "install-deps: run this as root (or install sudo) so that apt-get can install them" >&2
      exit 1
    fi
    SUDO="sudo env DEBIAN_FRONTEND=noninteractive"
  fi
  stamp=/tmp/.goesvfi-apt-updated
  if [ ! -f "$stamp" ]; then $SUDO apt-get update -qq && touch "$stamp"; fi
  export DEBIAN_FRONTEND=noninteractive
  # Count what apt will install (with dependencies) so the download and set-up show real progress.
  total=$($SUDO apt-get install -s --no-install-recommends "${missing[@]}" | grep -c '^Inst ' || true)
  echo "install-deps: ${#missing[@]} packages missing (${missing[*]})"
  echo "install-deps: installing them with $total packages in all from the Debian mirror (a few minutes on a new machine)"
  $SUDO apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" |
    awk -v total="$total" '
      /^Get:/        { got++; if (got % 50 == 0 || got == total) { printf "install-deps: downloaded %d/%d\n", got, total; fflush() } }
      /^Unpacking /  { unp++; if (unp % 50 == 0 || unp == total) { printf "install-deps: unpacked %d/%d\n", unp, total; fflush() } }
      /^Setting up / { set++; if (set % 50 == 0 || set == total) { printf "install-deps: set up %d/%d\n", set, total; fflush() } }'
  echo "install-deps: done"
fi
