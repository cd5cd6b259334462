#!/bin/bash
# Flake hunt: run the whole suite N times in a row (default 10) while another full suite
# runs in a loop beside it, so every run competes for the CPU with a second suite (on a
# 2-core machine: both cores busy all the time). Exits non-zero when any run fails.
#   tools/loaded_runs.sh [N] [LOGDIR]        (from the repository; uses .venv)
# Each run's output is kept in LOGDIR/run-K.log (default /tmp/loaded-runs); the load's in
# LOGDIR/load.log. The CI profile of Hypothesis is used, as in .ci/run.
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
LOGDIR=${2:-/tmp/loaded-runs}
mkdir -p "$LOGDIR"
export QT_QPA_PLATFORM=offscreen HYPOTHESIS_PROFILE=ci
PY=${PY:-.venv/bin/python}  # another checkout can borrow this venv: PY=/path/.venv/bin/python
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"  # this checkout's package, not an installed one
# the load in its own session, so that it and every process its tests start stop together
setsid bash -c 'while :; do "$0" -m pytest -q -p no:cacheprovider >>"$1" 2>&1; done' "$PY" "$LOGDIR/load.log" &
LOAD=$!
trap 'kill -- -$LOAD 2>/dev/null' EXIT
sleep 20  # the load is well under way before the first run starts
FAILED=0
for k in $(seq 1 "$RUNS"); do
  start=$(date +%s)
  "$PY" -m pytest -q -p no:cacheprovider >"$LOGDIR/run-$k.log" 2>&1
  rc=$?
  echo "run $k: exit $rc, $(( $(date +%s) - start )) s, $(tail -1 "$LOGDIR/run-$k.log")" | tee -a "$LOGDIR/summary.txt"
  [ $rc -ne 0 ] && FAILED=$((FAILED + 1))
done
echo "$((RUNS - FAILED))/$RUNS green" | tee -a "$LOGDIR/summary.txt"
[ $FAILED -eq 0 ]
