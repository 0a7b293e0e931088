#!/usr/bin/env bash
# Installs every Debian package the build, the tests, the benchmarks and the demo need.
# Idempotent: packages already present are skipped, `apt-get update` runs at most once per boot.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache clang lld libclang-rt-14-dev clang-format
  libavcodec-dev libavformat-dev libavfilter-dev libavutil-dev libswscale-dev libswresample-dev ffmpeg
  libcurl4-openssl-dev libssl-dev
  libnetcdf-dev netcdf-bin libhdf5-dev
  libsqlite3-dev
  libopencv-dev
  libdnnl-dev
  libtomlplusplus-dev libcli11-dev libfmt-dev libspdlog-dev nlohmann-json3-dev libpugixml-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libpng-dev libjpeg-dev libtiff-dev zlib1g-dev
  curl ca-certificates time
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js + npm run the s3rver fixture for the fetch tests; any Node >= 18 will do.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  stamp=/tmp/.goesvfi-apt-updated
  if [ ! -f "$stamp" ]; then $SUDO apt-get update -qq && touch "$stamp"; fi
  echo "install-deps: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
