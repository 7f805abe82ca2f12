#!/usr/bin/env bash
# hwsim calibrate --evaluate: the targets' measures computed from a result cube
# (calib_simulated on each replicate read back from the cube, mean over
# replicates).  Linear measures are checked against `hwsim summary`, which reads
# the same cube by another path (a mean of sums is the sum of the means);
# a year beyond the cube is undefined (nan); bad input is refused with one line
# and exit 2.  tools/validate.py, which takes its values from this command, is
# run on the same cube.
set -u
BIN=${HWSIM_BIN:?HWSIM_BIN must point at the hwsim binary}
SRC=${HWSIM_SOURCE_DIR:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

"$BIN" run "$SRC/tests/data/toy.yaml" --replicates 3 --end-year 2023 -o "$T/toy.h5" --quiet >/dev/null 2>&1 ||
  bad "toy run failed"
cat >"$T/targets.csv" <<'CSV'
measure,group,sex,age_band,sector,year,value,tolerance,source,note
persons,nurse,all,all,all,2021,17000,500,test,health sectors
persons,nurse,all,all,outside,2022,1500,100,test,
fte,nurse,all,all,municipal,2023,8000,100,test,
persons,nurse,all,all,all,2030,17000,500,test,beyond the cube
CSV
if "$BIN" calibrate --evaluate "$T/toy.h5" "$T/targets.csv" --csv >"$T/eval.csv" 2>"$T/err"; then ok; else
  bad "evaluate failed: $(cat "$T/err")"
fi
if [ "$(wc -l <"$T/eval.csv")" -eq 5 ] && head -1 "$T/eval.csv" | grep -q ',simulated$'; then ok; else
  bad "expected a header and 4 rows: $(cat "$T/eval.csv")"
fi
sim() { awk -F, -v k="$1" 'index($0, k ",") == 1 { print $NF }' "$T/eval.csv"; }
# summary: mean over replicates by group and sector, to 2 decimals
summ() { "$BIN" summary "$T/toy.h5" --measure "$1" --by group,sector --years "$2" --csv; }
health=$(summ persons 2021 | awk -F, '$1 == "nurse" && ($2 == "municipal" || $2 == "specialist" || $2 == "other_health") { s += $4 } END { printf "%.2f\n", s }')
outside=$(summ persons 2022 | awk -F, '$1 == "nurse" && $2 == "outside" { print $4 }')
fte=$(summ fte 2023 | awk -F, '$1 == "nurse" && $2 == "municipal" { print $4 }')
close() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(a != "" && b != "" && d < 0.02 && d > -0.02) }'; }
if close "$(sim persons,nurse,all,all,all,2021)" "$health"; then ok; else
  bad "persons in the health sectors: $(sim persons,nurse,all,all,all,2021), summary $health"; fi
if close "$(sim persons,nurse,all,all,outside,2022)" "$outside"; then ok; else
  bad "persons outside: $(sim persons,nurse,all,all,outside,2022), summary $outside"; fi
if close "$(sim fte,nurse,all,all,municipal,2023)" "$fte"; then ok; else
  bad "fte municipal: $(sim fte,nurse,all,all,municipal,2023), summary $fte"; fi
if [ "$(sim persons,nurse,all,all,all,2030)" = nan ]; then ok; else
  bad "a year beyond the cube gives '$(sim persons,nurse,all,all,all,2030)', expected nan"; fi

# bad input: one line on stderr, exit 2
expect2() {
  local what=$1 pat=$2; shift 2
  "$BIN" calibrate "$@" >"$T/out" 2>"$T/err"; local rc=$?
  if [ $rc -eq 2 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q -- "$pat" "$T/err" && [ ! -s "$T/out" ]; then ok; else
    bad "$what: exit $rc, stderr '$(cat "$T/err")'"; fi
}
expect2 "missing cube" "nothere.h5: cannot open" --evaluate "$T/nothere.h5" "$T/targets.csv"
expect2 "fit option with --evaluate" "--evaluate reads a cube" --evaluate "$T/toy.h5" "$T/targets.csv" --replicates 3
printf 'measure,group,sex,age_band,sector,year,value,tolerance,source,note\nfte,nurse,all,all,all,2017,1,1,x,\n' >"$T/early.csv"
expect2 "target before the cube" "early.csv:2: year 2017 is before the base year 2019" --evaluate "$T/toy.h5" "$T/early.csv"
if "$BIN" calibrate --help | grep -q -- "--evaluate CUBE.h5"; then ok; else bad "--help does not show --evaluate"; fi

# tools/validate.py takes the same numbers (it needs h5py for the cube's attributes)
if /usr/bin/python3 -c "import h5py" 2>/dev/null; then
  if (cd "$SRC" && /usr/bin/python3 tools/validate.py "$T/toy.h5" "$T/targets.csv") >"$T/v.md" 2>"$T/err" &&
    grep -q "^| persons | nurse | all | all | outside | 2022 | 1,500 | $(printf '%.0f' "$(sim persons,nurse,all,all,outside,2022)" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta') |" "$T/v.md"; then ok; else
    bad "validate.py: $(cat "$T/err" "$T/v.md")"; fi
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
