#!/usr/bin/env bash
# Submits a sharded simulation and prediction as four dependent Slurm jobs and prints the last one's id:
#   1. an array of N simulate shards      -> $WORK/sim_I.npz
#   2. merge                              -> $WORK/sim.npz (the single run's file, byte for byte)
#   3. an array of N predict shards       -> $WORK/counts_I.csv, $WORK/peaks_I.csv
#   4. merge                              -> $WORK/counts.csv, $WORK/peaks.csv
# Usage: WORK=/shared/run1 N=4 EVENTS=1000000 [SEED=1] [MODEL=deriv|count.safetensors] [PEAKFORMER=peakformer] docs/batch/submit-slurm.sh
# Extra sbatch options (partition, account, time) go in SBATCH_EXTRA. Each step starts only when the previous one
# succeeded (afterok); a failed step cancels the steps after it (--kill-on-invalid-dep).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${WORK:?set WORK to the folder (shared by the nodes) the shards write to}"
n=${N:-4}
pf=${PEAKFORMER:-peakformer}
export WORK PEAKFORMER="$pf"
mkdir -p "$WORK/logs"
common=(--parsable --kill-on-invalid-dep=yes --chdir="$WORK" ${SBATCH_EXTRA:-})
sim=$(sbatch "${common[@]}" --array=0-$((n - 1)) --output="$WORK/logs/simulate_%a.log" "$here/peakformer-array.sbatch" simulate)
merged=$(sbatch "${common[@]}" --dependency=afterok:"$sim" --job-name=peakformer-merge --output="$WORK/logs/merge_sim.log" \
  --wrap "$(printf %q "$here/merge-stage.sh") simulate $n")
pred=$(sbatch "${common[@]}" --dependency=afterok:"$merged" --array=0-$((n - 1)) --output="$WORK/logs/predict_%a.log" "$here/peakformer-array.sbatch" predict)
sbatch "${common[@]}" --dependency=afterok:"$pred" --job-name=peakformer-merge --output="$WORK/logs/merge_predict.log" \
  --wrap "$(printf %q "$here/merge-stage.sh") predict $n"
