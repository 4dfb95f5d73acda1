#!/usr/bin/env bash
# Starts a private single-node Slurm cluster (munged + slurmctld + slurmd) on loopback, for the
# Slurm tests and the sweep example. Idempotent: when the recorded daemons are alive and the node
# answers, it only prints the ready line. Prints `slurm ready: ...` LAST on success; on failure
# prints `slurm-up: <reason>` (+ log tail) on stderr, stops what it started and exits 1.
# Facts behind every choice: ../shared/reference/slurm.md (batch_sched_delay, stale state, ...).
#
# Env: SLURM_CI_DIR (default $TMPDIR/consist-slurm), SLURM_CI_CPUS (8), SLURM_CI_PORTS ("6817 6818"),
#      SLURM_CI_TIMEOUT (30 s per wait), SLURM_CI_INSTALL (1: apt-get install when missing),
#      SLURM_CI_LINK_ETC (1: link /etc/slurm/slurm.conf when that path is free), SLURM_CI_KEEP_STATE (0).
# Clients: SLURM_CONF=$SLURM_CI_DIR/etc/slurm.conf, or the /etc/slurm/slurm.conf link.
set -uo pipefail

DIR="${SLURM_CI_DIR:-${TMPDIR:-/tmp}/consist-slurm}"
CPUS="${SLURM_CI_CPUS:-8}"
read -r CTLD_PORT SLURMD_PORT <<<"${SLURM_CI_PORTS:-6817 6818}"
TIMEOUT="${SLURM_CI_TIMEOUT:-30}"
CONF="$DIR/etc/slurm.conf"
PIDS="$DIR/run/pids"
export SLURM_CONF="$CONF"

fail() {
  echo "slurm-up: $*" >&2
  for f in "$DIR"/log/slurmctld.log "$DIR"/log/slurmd.log "$DIR"/log/*.stderr; do
    [ -s "$f" ] && { echo "--- tail of $f" >&2; tail -n 8 "$f" >&2; }
  done
  [ "${STARTED:-0}" = 1 ] && bash "$(dirname "$0")/slurm-down.sh" >/dev/null 2>&1
  exit 1
}

# A PID is alive when /proc says so and it is not a zombie (this sandbox reaps orphans lazily).
alive() {
  local pid=$1 state
  [ -r "/proc/$pid/stat" ] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ]
}

node_line() { sinfo -h -o '%P %a %l %D %t %N' 2>/dev/null | head -n 1; }

ready_now() {
  [ -s "$PIDS" ] || return 1
  local name pid
  while read -r name pid; do alive "$pid" || return 1; done <"$PIDS"
  timeout 5 scontrol show slurmd >/dev/null 2>&1 || return 1
  node_usable
}

# The node's short state (sinfo %t) is idle, mix, alloc or comp: it takes jobs.
node_usable() { node_line | awk '{ exit !($5 ~ /^(idle|mix|alloc|comp)$/) }'; }

link_etc() {
  [ "${SLURM_CI_LINK_ETC:-1}" = 1 ] || return 0
  if [ -L /etc/slurm/slurm.conf ] || [ ! -e /etc/slurm/slurm.conf ]; then
    mkdir -p /etc/slurm 2>/dev/null && ln -sfn "$CONF" /etc/slurm/slurm.conf 2>/dev/null || true
  fi
}

if command -v sinfo >/dev/null 2>&1 && ready_now; then
  link_etc
  echo "slurm ready: $(node_line)"
  exit 0
fi

# Missing packages: install them (Debian/Ubuntu, as root).
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  [ "${SLURM_CI_INSTALL:-1}" = 1 ] || fail "slurmctld/slurmd/sbatch/munged not installed and SLURM_CI_INSTALL=0"
  [ "$(id -u)" = 0 ] || fail "slurm is not installed and installing it needs root"
  command -v apt-get >/dev/null || fail "slurm is not installed and apt-get is not available"
  mkdir -p "$DIR/log"
  { apt-get update -o DPkg::Lock::Timeout=600 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 \
      slurmctld slurmd slurm-client munge; } >"$DIR/log/apt.log" 2>&1 || fail "apt-get install failed (see $DIR/log/apt.log)"
fi

# Leftovers of an earlier start (some daemon died): stop exactly those, then cold-start.
[ -s "$PIDS" ] && bash "$(dirname "$0")/slurm-down.sh" >/dev/null 2>&1
if [ "${SLURM_CI_KEEP_STATE:-0}" != 1 ]; then
  rm -rf "$DIR/state" "$DIR/spool"
  [ -f "$DIR/log/jobcomp.txt" ] && mv -f "$DIR/log/jobcomp.txt" "$DIR/log/jobcomp.txt.old"
fi
mkdir -p "$DIR/etc" "$DIR/run" "$DIR/munge" "$DIR/state" "$DIR/spool" "$DIR/log"
chmod 700 "$DIR/munge"
if [ ! -s "$DIR/munge/munge.key" ]; then
  head -c 1024 /dev/urandom >"$DIR/munge/munge.key" && chmod 600 "$DIR/munge/munge.key"
fi
MEM=$(awk '/MemTotal/ {print int($2/1024*0.8)}' /proc/meminfo)
sed -e "s|@DIR@|$DIR|g" -e "s|@CPUS@|$CPUS|g" -e "s|@REAL_MEMORY@|$MEM|g" \
    -e "s|@CTLD_PORT@|$CTLD_PORT|g" -e "s|@SLURMD_PORT@|$SLURMD_PORT|g" \
    "$(dirname "$0")/slurm.conf.template" >"$CONF" || fail "cannot write $CONF"

: >"$PIDS"
STARTED=1
# Foreground daemons under setsid, PIDs recorded at once (no pid-file race).
setsid munged -F --socket="$DIR/run/munge.sock" --key-file="$DIR/munge/munge.key" \
  --pid-file="$DIR/run/munged.pid" --log-file="$DIR/log/munged.log" --seed-file="$DIR/munge/seed" \
  </dev/null >"$DIR/log/munged.stderr" 2>&1 &
echo "munged $!" >>"$PIDS"
for _ in $(seq 1 $((TIMEOUT * 10))); do [ -S "$DIR/run/munge.sock" ] && break; sleep 0.1; done
[ -S "$DIR/run/munge.sock" ] || fail "munged did not create its socket"

setsid slurmctld -D -f "$CONF" </dev/null >"$DIR/log/slurmctld.stderr" 2>&1 &
echo "slurmctld $!" >>"$PIDS"
setsid slurmd -D -N localhost -f "$CONF" </dev/null >"$DIR/log/slurmd.stderr" 2>&1 &
echo "slurmd $!" >>"$PIDS"

deadline=$((SECONDS + TIMEOUT))
until node_usable; do
  while read -r name pid; do alive "$pid" || fail "$name (pid $pid) exited during start"; done <"$PIDS"
  [ $SECONDS -lt $deadline ] || fail "node did not become idle within ${TIMEOUT}s: $(node_line)"
  sleep 0.2
done

# Ready means a job really ran (slurmctld's first scheduling pass comes ~3 s after start).
job=$(sbatch --parsable -J ci-warmup -o /dev/null --wrap true 2>&1) || fail "warm-up sbatch failed: $job"
deadline=$((SECONDS + TIMEOUT))
while :; do
  state=$(scontrol show job "$job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
  [ "$state" = COMPLETED ] && break
  case "$state" in FAILED|CANCELLED|TIMEOUT|NODE_FAIL) fail "warm-up job $job ended $state";; esac
  [ $SECONDS -lt $deadline ] || fail "warm-up job $job not completed within ${TIMEOUT}s (state ${state:-?})"
  sleep 0.2
done
link_etc
echo "slurm ready: $(node_line)"
