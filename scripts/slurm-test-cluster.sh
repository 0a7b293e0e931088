#!/usr/bin/env bash
# A one-node Slurm cluster on this host for the cluster tests (Debian slurm-wlm + munge; run as root).
#
#   scripts/slurm-test-cluster.sh start   # writes $DIR/slurm.conf, starts munged, slurmctld, slurmd; waits
#                                         # until sinfo shows the node idle; prints `export SLURM_CONF=...`
#   scripts/slurm-test-cluster.sh stop    # stops the daemons it started
#
# DIR is $GOESVFI_SLURM_DIR or /tmp/goesvfi-slurm; slurmctld listens on $GOESVFI_SLURM_PORT (default 6817) and
# slurmd on the next port (a second cluster on the same network, e.g. in scripts/cleanroom.sh, sets another). The tests find the cluster through $SLURM_CONF or, when
# that is unset, through $DIR/slurm.conf; without a reachable cluster they skip.
set -euo pipefail
DIR=${GOESVFI_SLURM_DIR:-/tmp/goesvfi-slurm}
CONF=$DIR/slurm.conf
PORT=${GOESVFI_SLURM_PORT:-6817}

stop() {
  for daemon in slurmd slurmctld munge/munged; do
    local pidfile=$DIR/$daemon.pid
    if [ -f "$pidfile" ]; then
      local pid
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$pidfile"
    fi
  done
}

start() {
  command -v slurmctld >/dev/null || { echo "slurm-wlm is not installed (scripts/install-deps.sh)" >&2; exit 1; }
  stop
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log" "$DIR/munge"
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  # Leave a little memory to the host; Slurm refuses a node that reports less than RealMemory.
  mem=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
  cat >"$CONF" <<EOF
# One-node test cluster written by scripts/slurm-test-cluster.sh
ClusterName=goesvfi-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MinJobAge=3600
InactiveLimit=0
KillWait=5
MaxArraySize=100001
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
  # munge: the key is created once; the daemon runs with its socket in the default place.
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
    chmod 400 /etc/munge/munge.key
  fi
  chown -R munge:munge /etc/munge 2>/dev/null || true
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
  # A munged already running (the host's own) is used as it is and left running by `stop`.
  if ! munge -n >/dev/null 2>&1; then
    if id munge >/dev/null 2>&1; then
      chown munge:munge "$DIR/munge"
      runuser -u munge -- munged --pid-file="$DIR/munge/munged.pid"
    else
      munged --force --pid-file="$DIR/munge/munged.pid"
    fi
  fi
  export SLURM_CONF=$CONF
  slurmctld -f "$CONF" || failed "slurmctld did not start"
  slurmd -f "$CONF" || failed "slurmd did not start"
  for _ in $(seq 100); do
    if sinfo --noheader --format=%t 2>/dev/null | grep -qx idle; then
      echo "export SLURM_CONF=$CONF"
      return 0
    fi
    sleep 0.2
  done
  failed "no idle node after 20 s"
}

failed() {  # failed WHY: says why with the daemons' logs, stops what started (nothing left holding the ports)
  echo "the test cluster did not come up ($1); logs in $DIR/log" >&2
  sinfo >&2 || true
  tail -n 20 "$DIR/log/slurmctld.log" "$DIR/log/slurmd.log" >&2 || true
  stop
  exit 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
