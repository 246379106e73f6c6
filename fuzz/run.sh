#!/bin/sh
# fuzz/run.sh -- the old entry point of a local fuzzing session, kept as a
# thin wrapper of fuzz/campaign.sh (what `intspect fuzz` runs):
#
#   fuzz/run.sh TARGET [SECONDS]     = fuzz/campaign.sh TARGET --time SECONDS
#
# Environment: JOBS=N (default 1), ENGINE=afl, MERGE=1 (merge the corpus;
# off by default here, as before).  Findings go to corpus/TARGET/regressions/.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=${1:-}
SECS=${2:-60}
[ -n "$T" ] || { echo "usage: fuzz/run.sh TARGET [SECONDS]   (see fuzz/campaign.sh --help)" >&2; exit 2; }
MERGE_OPT=--no-merge
[ "${MERGE:-0}" = 1 ] && MERGE_OPT=
exec bash "$ROOT/fuzz/campaign.sh" "$T" --time "$SECS" --jobs "${JOBS:-1}" \
  --engine "${ENGINE:-libfuzzer}" $MERGE_OPT
