#!/usr/bin/env bash
# Every shipped supply measure with and without behaviour: each scenario and the baseline run
# twice with the same seed and replicates, once as shipped and once with a `behaviour:` block
# added (default: the illustrative exit_pshare_elasticity -0.5 and exit_shift_ratio 1.5; the
# documents give no value), each variant compared with the baseline of the same kind.  Prints a
# Markdown table of the paired effects on contracted FTE in the health services and on persons
# there in 2040 (mean and 90 % interval).
# Usage: tools/behaviour-effects.sh [REPLICATES] [OUTDIR] [BEHAVIOUR]
#   e.g. tools/behaviour-effects.sh 10 results/behaviour '{exit_shift_ratio: 1.5}'
set -euo pipefail
cd "$(dirname "$0")/.."
R=${1:-10}
OUT=${2:-results/behaviour}
BEH=${3:-'{exit_pshare_elasticity: -0.5, exit_shift_ratio: 1.5}'}
BIN=build/hwsim
DATA=$(pwd)/calibration/norway
# the supply measures (the doctors' and demand measures act on other outputs; baseline variants
# are not measures)
SKIP=" baseline baseline_demand_uncertainty demand_high_low_productivity task_sharing_nurse_hcw "
SKIP+="task_sharing_doctor_support welfare_technology_municipal alis_500 alis_600 lis1_plus200 "
SKIP+="list_norm_1000 gp_hours_45 "
mkdir -p "$OUT/yaml"
# the scenario with the behaviour block (and its data path made absolute)
with_behaviour() {
  sed "s#^data: .*#data: $DATA#" "$1" >"$2"
  printf 'behaviour: %s\n' "$BEH" >>"$2"
}
run() { $BIN run "$1" --replicates "$R" -o "$2" --quiet --no-progress >/dev/null; }
run sim/scenarios/baseline.yaml "$OUT/baseline.h5"
with_behaviour sim/scenarios/baseline.yaml "$OUT/yaml/baseline.yaml"
run "$OUT/yaml/baseline.yaml" "$OUT/baseline_b.h5"
# "mean [p05, p95]" of the paired effect in 2040
eff() {
  $BIN compare "$1" "$2" --measure "$3" --years 2040 --csv |
    awk -F, 'NR==2{printf "%+.0f [%+.0f, %+.0f]", $2, $3, $5}'
}
echo "behaviour: $BEH; $R replicates; paired 90 % intervals of what the cubes drew (the compare titles say: Monte Carlo noise, fitted parameters, assumed inputs by default)"
echo
echo "| measure | FTE 2040 without | FTE 2040 with | persons 2040 without | persons 2040 with |"
echo "|---|---|---|---|---|"
for f in sim/scenarios/*.yaml; do
  name=$(basename "$f" .yaml)
  case "$SKIP" in *" $name "*) continue ;; esac
  run "$f" "$OUT/$name.h5"
  with_behaviour "$f" "$OUT/yaml/$name.yaml"
  run "$OUT/yaml/$name.yaml" "$OUT/${name}_b.h5"
  echo "| $name | $(eff "$OUT/baseline.h5" "$OUT/$name.h5" fte) | $(eff "$OUT/baseline_b.h5" "$OUT/${name}_b.h5" fte) | $(eff "$OUT/baseline.h5" "$OUT/$name.h5" persons) | $(eff "$OUT/baseline_b.h5" "$OUT/${name}_b.h5" persons) |"
done
echo
echo "The baseline with behaviour against the baseline without it, 2040: FTE $(eff "$OUT/baseline.h5" "$OUT/baseline_b.h5" fte), persons $(eff "$OUT/baseline.h5" "$OUT/baseline_b.h5" persons)"
