#!/usr/bin/env bash
# Merges the N shards of a stage in $WORK: simulate -> sim.npz; predict -> counts.csv and peaks.csv (merge.sub runs it).
set -euo pipefail
stage=${1:?usage: merge-stage.sh simulate|predict N}
n=${2:?usage: merge-stage.sh simulate|predict N}
: "${WORK:?set WORK to the folder of the shards}"
pf=${PEAKFORMER:-peakformer}
shards() { for ((i = 0; i < n; i++)); do echo "$WORK/${1}_$i.$2"; done; }
case "$stage" in
  simulate) $pf merge --force --out "$WORK/sim.npz" $(shards sim npz) ;;
  predict)  $pf merge --force --out "$WORK/counts.csv" $(shards counts csv)
            $pf merge --force --out "$WORK/peaks.csv" $(shards peaks csv) ;;
  *) echo "error: stage: expected simulate or predict, found '$stage'" >&2; exit 1 ;;
esac
