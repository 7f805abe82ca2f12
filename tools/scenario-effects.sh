#!/usr/bin/env bash
# Measure every shipped scenario's effect against the baseline with common
# random numbers (same seed, same replicates) and print a Markdown table of
# `hwsim compare` on contracted FTE in the health services (and the nurse
# gap for the demand scenario): mean and 90 % interval in 2030 and 2040.
# Usage: tools/scenario-effects.sh [REPLICATES] [OUTDIR]   (default 20, results/effects)
set -euo pipefail
cd "$(dirname "$0")/.."
R=${1:-20}
OUT=${2:-results/effects}
BIN=build/hwsim
mkdir -p "$OUT"
$BIN run sim/scenarios/baseline.yaml --replicates "$R" -o "$OUT/baseline.h5" --quiet --no-progress >/dev/null
echo "| scenario | measure | 2030 mean | 2030 90 % interval | 2040 mean | 2040 90 % interval |"
echo "|---|---|---|---|---|---|"
for f in sim/scenarios/*.yaml; do
  name=$(basename "$f" .yaml)
  [ "$name" = baseline ] && continue
  $BIN run "$f" --replicates "$R" -o "$OUT/$name.h5" --quiet --no-progress >/dev/null
  measure=fte; label="FTE, health services"
  if [ "$name" = demand_high_low_productivity ]; then measure=gap; label="gap, all groups"; fi
  $BIN compare "$OUT/baseline.h5" "$OUT/$name.h5" --measure $measure --years 2030,2040 --csv |
    awk -F, -v n="$name" -v l="$label" 'NR==2{m1=$2; a1=$3; b1=$5} NR==3{printf "| %s | %s | %+.0f | [%+.0f, %+.0f] | %+.0f | [%+.0f, %+.0f] |\n", n, l, m1, a1, b1, $2, $3, $5}'
done
