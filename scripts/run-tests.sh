#!/usr/bin/env bash
# Builds and runs the whole suite: on the dev preset (warnings are errors) by default; with --asan on the asan
# preset (AddressSanitizer + UBSan) instead, as CI does after the dev run. Starts the fixtures the tests need
# (s3rver via npm, a one-node Slurm cluster when slurmctld is installed) itself.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
# Let ccache share objects between checkouts in different folders (CI clones elsewhere).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1

presets=(dev)
case "${1:-}" in
  "") ;;
  --asan) presets=(asan) ;;
  *) echo "run-tests: unknown option '$1' (expected --asan or nothing)" >&2; exit 2 ;;
esac

if [ -f tests/fixtures/s3/package.json ]; then
  (cd tests/fixtures/s3 && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent || npm install --no-audit --no-fund --silent; })
fi

# A one-node Slurm cluster for the cluster tests (they skip without one), stopped on any exit.
if [ "$(id -u)" = 0 ] && command -v slurmctld >/dev/null; then
  trap 'scripts/slurm-test-cluster.sh stop' EXIT
  if slurm_env=$(scripts/slurm-test-cluster.sh start); then eval "$slurm_env"; else echo "warning: no Slurm test cluster" >&2; fi
fi

for preset in "${presets[@]}"; do
  echo "== build ($preset)"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$JOBS"
  echo "== test ($preset)"
  ctest --preset "$preset" -j "$JOBS"
done
