#!/usr/bin/env bash
# Stops the cluster scripts/slurm-up.sh started: cancels its jobs first (else their slurmstepd and
# job processes outlive the daemons), then SIGTERMs (SIGKILL after 15 s) ONLY the recorded PIDs,
# each checked against /proc/PID/comm. Never kills anything by name. Keeps state/ and log/.
set -uo pipefail
DIR="${SLURM_CI_DIR:-${TMPDIR:-/tmp}/consist-slurm}"
CONF="$DIR/etc/slurm.conf"
PIDS="$DIR/run/pids"
[ -s "$PIDS" ] || { echo "slurm-down: nothing recorded in $PIDS"; exit 0; }

alive() {
  local state
  [ -r "/proc/$1/stat" ] || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$state" != Z ]
}
ours() { alive "$1" && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; }

if [ -f "$CONF" ] && command -v scancel >/dev/null; then
  SLURM_CONF="$CONF" timeout 10 scancel --full --quiet -u "$(id -un)" 2>/dev/null || true
  for _ in $(seq 1 30); do
    [ -z "$(SLURM_CONF="$CONF" timeout 5 squeue -h -o %i 2>/dev/null)" ] && break
    sleep 0.2
  done
fi

# Reverse order: slurmd, slurmctld, munged.
tac "$PIDS" | while read -r name pid; do ours "$pid" "$name" && kill -TERM "$pid" 2>/dev/null; done
for _ in $(seq 1 150); do
  left=0
  while read -r name pid; do ours "$pid" "$name" && left=1; done <"$PIDS"
  [ $left = 0 ] && break
  sleep 0.1
done
while read -r name pid; do ours "$pid" "$name" && kill -KILL "$pid" 2>/dev/null; done <"$PIDS"
: >"$PIDS"
[ "$(readlink /etc/slurm/slurm.conf 2>/dev/null)" = "$CONF" ] && rm -f /etc/slurm/slurm.conf
echo "slurm stopped"
