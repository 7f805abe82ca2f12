#!/usr/bin/env bash
# Measure every shipped scenario's effect against the baseline with common
# random numbers (same seed, same replicates) and print a Markdown table of
# `hwsim compare` on contracted FTE in the health services (and the nurse
# gap for the demand scenarios): mean and 90 % interval in 2030 and 2040; then
# the doctors' scenarios on GPs, lists without a GP and specialists; then the
# demand measures' effects on the gap by group and health sector.
# Usage: tools/scenario-effects.sh [REPLICATES] [OUTDIR]   (default 20, results/effects)
set -euo pipefail
cd "$(dirname "$0")/.."
R=${1:-20}
OUT=${2:-results/effects}
BIN=build/hwsim
mkdir -p "$OUT"
$BIN run sim/scenarios/baseline.yaml --replicates "$R" -o "$OUT/baseline.h5" --quiet --no-progress >/dev/null
echo "The baseline's level in 2040 [90 %]: FTE $($BIN summary "$OUT/baseline.h5" --years 2040 --csv | awk -F, 'NR==2{printf "%.0f [%.0f, %.0f]", $2, $3, $5}'), gap $($BIN summary "$OUT/baseline.h5" --measure gap --years 2040 --csv | awk -F, 'NR==2{printf "%.0f [%.0f, %.0f]", $2, $3, $5}')"
echo
echo "| scenario | measure | 2030 mean | 2030 90 % interval | 2040 mean | 2040 90 % interval | 2040 level of the variant [90 %] |"
echo "|---|---|---|---|---|---|---|"
DOCTOR_SCENARIOS="alis_500 alis_600 lis1_plus200 list_norm_1000 gp_hours_45 gp_funding_2023"
DEMAND_SCENARIOS="task_sharing_nurse_hcw task_sharing_doctor_support welfare_technology_municipal"
for f in sim/scenarios/*.yaml; do
  name=$(basename "$f" .yaml)
  [ "$name" = baseline ] && continue
  # the baseline with the demand alternative drawn is not a policy: its paired "effect" is the
  # difference between drawn and middle demand (docs/scenarios.md shows its bands instead)
  [ "$name" = baseline_demand_uncertainty ] && continue
  case " $DOCTOR_SCENARIOS " in *" $name "*) continue ;; esac
  $BIN run "$f" --replicates "$R" -o "$OUT/$name.h5" --quiet --no-progress >/dev/null
  measure=fte; label="FTE, health services"
  case " demand_high_low_productivity $DEMAND_SCENARIOS " in
  *" $name "*) measure=gap; label="gap, all groups" ;;
  esac
  # the variant's own level in 2040 and its 90 % interval: what the effect is added to
  level=$($BIN summary "$OUT/$name.h5" --measure $measure --years 2040 --csv |
    awk -F, 'NR==2{printf "%.0f [%.0f, %.0f]", $2, $3, $5}')
  $BIN compare "$OUT/baseline.h5" "$OUT/$name.h5" --measure $measure --years 2030,2040 --csv |
    awk -F, -v n="$name" -v l="$label" -v lv="$level" 'NR==2{m1=$2; a1=$3; b1=$5} NR==3{printf "| %s | %s | %+.0f | [%+.0f, %+.0f] | %+.0f | [%+.0f, %+.0f] | %s |\n", n, l, m1, a1, b1, $2, $3, $5, lv}'
done

# The doctors' scenarios: GPs, lists without a GP and specialists (employed in
# the health services) by specialty, 2030 / 2035 / 2040.
echo
echo "| scenario | measure | 2030 mean [90 %] | 2035 mean [90 %] | 2040 mean [90 %] |"
echo "|---|---|---|---|---|"
row() { # name label measure by filter-regex
  $BIN compare "$OUT/baseline.h5" "$OUT/$1.h5" --measure "$3" --by "$4" --years 2030,2035,2040 --csv |
    grep -E "^$5," | awk -F, -v n="$1" -v l="$2" '
      { c = NF - 4; m[NR] = $(c + 1); a[NR] = $(c + 2); b[NR] = $(c + 4) }
      END { printf "| %s | %s |", n, l; for (i = 1; i <= 3; i++) printf " %+.0f [%+.0f, %+.0f] |", m[i], a[i], b[i]; printf "\n" }'
}
for name in $DOCTOR_SCENARIOS; do
  $BIN run "sim/scenarios/$name.yaml" --replicates "$R" -o "$OUT/$name.h5" --quiet --no-progress >/dev/null
  row "$name" "GPs holding a list" doctor_flows doctor_flow gps
  row "$name" "lists without a GP" doctor_flows doctor_flow lists_without_gp
  row "$name" "mean list length" doctor_flows doctor_flow mean_list_length
  row "$name" "specialists, general practice" doctors career_stage,specialty "specialist,general_practice"
  row "$name" "specialists, psychiatry" doctors career_stage,specialty "specialist,psychiatry"
  row "$name" "specialists, other specialties" doctors career_stage,specialty "specialist,other_specialty"
done

# The 2023-2024 funding changes against the one figure published after them: about 120 000
# inhabitants without a GP around 2025 (facts.md C 000:L201; model 2024 = the start of 2025).
echo
echo "| inhabitants without a GP, start of 2025 (model 2024) | mean [90 %] |"
echo "|---|---|"
for name in baseline gp_funding_2023; do
  $BIN summary "$OUT/$name.h5" --measure doctor_flows --by doctor_flow --years 2024 --csv |
    awk -F, -v n="$name" '$1 == "inhabitants_without_gp" {printf "| %s | %.0f [%.0f, %.0f] |\n", n, $3, $4, $6}'
done

# The demand measures: effect on the gap by group and health sector, 2030 and 2040 (cells the
# measure moves; every other cell's effect is exactly 0).
echo
echo "| scenario | group | sector | 2030 mean [90 %] | 2040 mean [90 %] |"
echo "|---|---|---|---|---|"
for name in $DEMAND_SCENARIOS; do
  $BIN compare "$OUT/baseline.h5" "$OUT/$name.h5" --measure gap --by group,sector --years 2030,2040 --csv |
    awk -F, -v n="$name" 'NR > 1 && $3 == 2030 { k = $1 "," $2; m[k] = $4; a[k] = $5; b[k] = $7 }
      NR > 1 && $3 == 2040 { k = $1 "," $2
        if ($4 > 0.5 || $4 < -0.5 || m[k] > 0.5 || m[k] < -0.5) # not the +-0.01 of rounding
          printf "| %s | %s | %s | %+.0f [%+.0f, %+.0f] | %+.0f [%+.0f, %+.0f] |\n", n, $1, $2, m[k], a[k], b[k], $4, $5, $7 }'
done
