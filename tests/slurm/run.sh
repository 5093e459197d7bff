#!/usr/bin/env bash
# The Slurm test (issue 17): brings up a real single-node Slurm on this machine (Debian's slurm-wlm: munged,
# slurmctld and slurmd started here, with their own config, key, ports and folders under a temporary folder), submits
# docs/batch/submit-slurm.sh (a 4-task array of simulate shards, merge, a 4-task array of predict shards, merge),
# waits, checks that the output ledger of the shards' shared folder lists every output, and compares the merged
# files with the single-process run's byte for byte. Skipped, with a message that
# says why, where Slurm is missing and cannot be installed (apt-get as root) or does not start.
# Usage: tests/slurm/run.sh   (run by .ci/run; about a minute)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
started=$SECONDS
skip() { echo "slurm test: SKIPPED: $*"; exit 0; }
fail() { echo "slurm test: FAILED: $*" >&2; exit 1; }

tools=(munged slurmctld slurmd sbatch squeue sinfo scontrol)
missing() { for t in "${tools[@]}"; do command -v "$t" >/dev/null 2>&1 || { echo "$t"; return 0; }; done; return 1; }
if m=$(missing); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "slurm test: installing slurm-wlm and munge ($m is missing)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge >/dev/null 2>&1; then
      apt-get update >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge >/dev/null 2>&1 \
        || skip "apt-get could not install slurm-wlm and munge"
    fi
    m=$(missing) && skip "$m is still missing after installing slurm-wlm"
  else
    skip "$m is not installed and this is not root with apt-get (install Debian's slurm-wlm and munge)"
  fi
fi
[ "$(id -u)" = 0 ] || skip "slurmd must run as root to start jobs; run as root"

# The CLI, built once before the jobs start (the tasks only run it).
built=$("$repo/peakformer" --help 2>&1) || { printf '%s\n' "$built" >&2; fail "the command line did not build"; }

T=$(mktemp -d /tmp/pf-slurm.XXXXXX)
chmod 700 "$T"
pids=()
cleanup() {
  local code=$?
  # Only the daemons this script started, by their ids.
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ $code -ne 0 ] && [ -d "$T" ]; then
    for f in "$T"/log/*.log "$T"/work/logs/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 20 "$f"; }; done >&2
  fi
  rm -rf "$T"
}
trap cleanup EXIT

# A port pair nobody listens on.
free_port() {
  local p
  for p in $(seq "$1" $(($1 + 200))); do
    if ! (ss -ltnH 2>/dev/null || true) | awk '{print $4}' | grep -q ":$p\$"; then echo "$p"; return; fi
  done
  echo "$1"
}
ctld_port=$(free_port 26817)
slurmd_port=$(free_port $((ctld_port + 1)))
host=$(hostname -s)
cpus=$(nproc)
mkdir -p "$T/munge" "$T/state" "$T/spool" "$T/log" "$T/work"
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$T/munge/munge.key"
cat > "$T/slurm.conf" <<CONF
ClusterName=pftest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$T/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=pftest Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"

munged --force --foreground --socket="$T/munge/munge.socket" --key-file="$T/munge/munge.key" \
  --pid-file="$T/munge/munged.pid" --log-file="$T/log/munged.log" --seed-file="$T/munge/seed" >"$T/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$T/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$T/munge/munge.socket" ] || skip "munged did not start: $(tail -n 3 "$T/log/munged.out" "$T/log/munged.log" 2>/dev/null | tr '\n' ' ')"
slurmctld -D -c -f "$SLURM_CONF" >"$T/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$host" >"$T/log/slurmd.out" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 60); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.5
done
[ "$state" = idle ] || skip "slurmctld/slurmd did not bring the node up (state '${state:-none}'): $(tail -n 3 "$T/log/slurmctld.log" "$T/log/slurmd.log" 2>/dev/null | tr '\n' ' ')"
echo "slurm test: Slurm $(sinfo -V | awk '{print $2}') up on $host ($cpus CPUs) in $((SECONDS - started)) s"

# The single-process simulation.
events=2000 seed=7 shards=4
single="$T/single"
mkdir -p "$single"
"$repo/peakformer" simulate --particle pion:0.5,kaon:0.5 --momentum 2:20 --events $events --seed $seed --out "$single/sim.npz" --threads 1 >/dev/null

# The same as four shards on Slurm, merged.
last=$(WORK="$T/work" N=$shards EVENTS=$events SEED=$seed PEAKFORMER="$repo/peakformer" "$repo/docs/batch/submit-slurm.sh")
echo "slurm test: submitted 2 arrays of $shards tasks and 2 merges (last job $last)"
deadline=$((SECONDS + 300))
while [ -n "$(squeue -h -o %i 2>/dev/null)" ]; do
  [ $SECONDS -lt $deadline ] || fail "jobs still queued or running after 300 s: $(squeue -h -o '%i %T %r' | tr '\n' ';')"
  sleep 1
done
final=$(scontrol show job "$last" -o | grep -o 'JobState=[A-Z_]*' || true)
[ "$final" = JobState=COMPLETED ] || fail "the last merge ended ${final:-unknown}"
"$repo/peakformer" status "$T/work" | sed 's/^/slurm test: status: /'
# The shards wrote side by side into one folder: the ledger (what --force may replace) must list every one of their
# outputs and statuses, none lost to another process's rewrite (its lock file orders them).
lost=$(python3 - "$T/work" <<'PY'
import json, os, sys
work = sys.argv[1]
with open(os.path.join(work, ".peakformer-outputs.json")) as f:
    ledger = json.load(f)
print(" ".join(sorted(n for n in os.listdir(work) if n.endswith((".npz", ".csv", ".status.json")) and n not in ledger)))
PY
) || fail "could not read the ledger of $T/work"
[ -z "$lost" ] || fail "outputs missing from the ledger of the shards' folder: $lost"
cmp "$single/sim.npz" "$T/work/sim.npz" || fail "sim.npz: merged shards differ from the single run"
# The single-process prediction reads the file the shards read (the same bytes, just compared): the tables name it.
"$repo/peakformer" predict --model deriv --data "$T/work/sim.npz" --out "$single/counts.csv" --peaks "$single/peaks.csv" --threads 1 >/dev/null
for f in counts.csv peaks.csv; do
  cmp "$single/$f" "$T/work/$f" || fail "$f: merged shards differ from the single run"
done
echo "slurm test: PASSED: $shards simulate and $shards predict shards on Slurm, merged, equal the single run byte for byte (sim.npz, counts.csv, peaks.csv) in $((SECONDS - started)) s"
