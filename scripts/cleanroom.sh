#!/usr/bin/env bash
# A newcomer's machine, on demand: runs a command in a fresh minimal Debian 12 root (debootstrap
# --variant=minbase bookworm: bash, coreutils, apt — no make, no compiler, no sudo) holding a clone of this
# working tree, as root, and reports the exit code and the time it took.
#
#   scripts/cleanroom.sh './run demo'
#   scripts/cleanroom.sh --shared ../shared './run test'     # tests read ../shared beside the clone
#   scripts/cleanroom.sh --copy build/app/goesvfi_0.1.0_amd64.deb --no-clone \
#       'apt-get update && apt-get install -y /root/goesvfi_0.1.0_amd64.deb && goesvfi demo'
#
# The pristine root is made once (debootstrap, about 2 minutes) under $CLEANROOM_DIR (default
# /var/tmp/goesvfi-cleanroom/base) and copied for every run, so each run starts from the same bare system.
# The clone holds HEAD plus uncommitted changes to tracked files. What the host adds that a bare machine lacks
# on this network is copied in, as a person would set up their own machine: locally added CA certificates
# (/usr/local/share/ca-certificates), the npm user settings (~/.npmrc) and apt's settings for the local
# mirror (/etc/apt/apt.conf.d). The root shares the host's network, so its test Slurm cluster listens on other
# ports than the host's (GOESVFI_SLURM_PORT=6837). Results are appended to $CLEANROOM_DIR/../results.log.
set -euo pipefail

usage() {
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
  echo "options: --shared DIR (bind DIR read-only at ../shared), --copy FILE (into /root, repeatable),"
  echo "         --no-clone (run in /root without the working tree), --keep (keep the root), --fresh (remake the base)"
}

shared="" keep=0 fresh=0 clone=1 copies=()
while [ $# -gt 0 ]; do
  case "$1" in
    --shared) shared=$(realpath "$2"); shift 2 ;;
    --copy) copies+=("$(realpath "$2")"); shift 2 ;;
    --no-clone) clone=0; shift ;;
    --keep) keep=1; shift ;;
    --fresh) fresh=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    -*) echo "cleanroom: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { usage >&2; exit 2; }
command="$*"
[ "$(id -u)" -eq 0 ] || { echo "cleanroom: needs root (debootstrap, chroot, mount)" >&2; exit 1; }

# The tree to clone: this script's checkout (CLEANROOM_REPO=DIR for another).
repo=$(git -C "${CLEANROOM_REPO:-$(dirname "$0")/..}" rev-parse --show-toplevel)
base=${CLEANROOM_DIR:-/var/tmp/goesvfi-cleanroom/base}
top=$(dirname "$base")
mirror=${CLEANROOM_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$top"

if [ "$fresh" = 1 ]; then rm -rf "$base"; fi
if [ ! -x "$base/bin/bash" ]; then
  command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; }
  echo "cleanroom: debootstrap --variant=minbase bookworm into $base"
  rm -rf "$base.tmp"
  debootstrap --variant=minbase bookworm "$base.tmp" "$mirror" >"$top/debootstrap.log" 2>&1 ||
    { tail -20 "$top/debootstrap.log" >&2; exit 1; }
  mv "$base.tmp" "$base"
fi

root="$top/run-$(date -u +%Y%m%dT%H%M%SZ)"
echo "cleanroom: copying the base system to $root"
cp -a "$base" "$root"

mounts=()
cleanup() {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -R -l "${mounts[$i]}" 2>/dev/null || true; done
  if grep -q " $root/" /proc/mounts; then
    echo "cleanroom: $root still has mounts; not removing it" >&2
  elif [ "$keep" = 0 ]; then
    rm -rf "$root"
  else
    echo "cleanroom: kept $root"
  fi
}
trap cleanup EXIT
bind() {  # bind <host path> <path in root> [ro]
  mkdir -p "$root$2"
  mount --bind "$1" "$root$2"
  mounts+=("$root$2")
  if [ "${3:-}" = ro ]; then mount -o remount,bind,ro "$root$2"; fi
}
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
mount -t sysfs sys "$root/sys" && mounts+=("$root/sys")
# A booted machine has its cgroup tree mounted (Slurm's slurmd needs it); a chroot does not inherit it.
# --rbind: a cgroup v1 layout is a tmpfs with one mount per controller under it.
if [ -d /sys/fs/cgroup ] && mountpoint -q /sys/fs/cgroup; then
  mount --rbind /sys/fs/cgroup "$root/sys/fs/cgroup" && mounts+=("$root/sys/fs/cgroup")
fi
bind /dev /dev
mount -t devpts devpts "$root/dev/pts" -o newinstance,ptmxmode=0666 2>/dev/null && mounts+=("$root/dev/pts") || true
mount -t tmpfs tmpfs "$root/dev/shm" && mounts+=("$root/dev/shm")
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp /etc/hosts "$root/etc/hosts"

# The host's local network settings (not packages: a newcomer's own machine would have its own).
if [ -d /usr/local/share/ca-certificates ]; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
[ -f "$HOME/.npmrc" ] && cp "$HOME/.npmrc" "$root/root/.npmrc"
for f in /etc/apt/apt.conf.d/99artifact-registry; do [ -f "$f" ] && cp "$f" "$root$f"; done

# The working tree: HEAD plus uncommitted changes to tracked files.
workdir=/root
if [ "$clone" = 1 ]; then
  workdir=/root/goesvfi
  snapshot=$(git -C "$repo" stash create 2>/dev/null || true)
  git clone -q --no-local "$repo" "$root$workdir"
  if [ -n "$snapshot" ]; then
    git -C "$repo" bundle create "$root/root/wip.bundle" "$snapshot" >/dev/null 2>&1 &&
      git -C "$root$workdir" fetch -q "$root/root/wip.bundle" "$snapshot" &&
      git -C "$root$workdir" checkout -q --detach "$snapshot"
    rm -f "$root/root/wip.bundle"
  fi
fi
for f in "${copies[@]}"; do cp "$f" "$root/root/"; done
[ -n "$shared" ] && bind "$shared" /root/shared ro

echo "cleanroom: running '$command' in $root$workdir"
start=$(date +%s)
set +e
chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
  GOESVFI_SLURM_PORT=6837 \
  /bin/bash -c "cd $workdir && $command"
status=$?
set -e
elapsed=$(($(date +%s) - start))
line="$(date -u +%Y-%m-%dT%H:%MZ) commit $(git -C "$repo" rev-parse --short HEAD) '$command': exit $status in $((elapsed / 60)) min $((elapsed % 60)) s"
echo "cleanroom: $line"
echo "$line" >>"$top/results.log"
exit "$status"
