#!/usr/bin/env bash
# End-to-end checks of the hwsim command: bad input gives one line on stderr,
# exit code 2 and no output file; a killed run keeps its finished replicates
# in OUT.partial and never leaves a file under the final name; --resume then
# completes it, bit-identical (datasets) to an uninterrupted run.
set -u
BIN=${HWSIM_BIN:?HWSIM_BIN must point at the hwsim binary}
SRC=${HWSIM_SOURCE_DIR:?}
TOY=$SRC/tests/data/toy.yaml
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect_usage_error DESCRIPTION PATTERN -- ARGS...: exit 2, one stderr line matching, no output
expect_usage_error() {
  local what=$1 pat=$2; shift 3
  (cd "$T" && "$BIN" "$@" >"$T/out" 2>"$T/err"); local rc=$?
  local lines; lines=$(wc -l <"$T/err")
  if [ $rc -ne 2 ]; then bad "$what: exit $rc, expected 2"; return; fi
  if [ "$lines" -ne 1 ]; then bad "$what: $lines stderr lines, expected 1: $(cat "$T/err")"; return; fi
  if ! grep -q -- "$pat" "$T/err"; then bad "$what: stderr '$(cat "$T/err")' lacks '$pat'"; return; fi
  if [ -s "$T/out" ]; then bad "$what: printed to stdout"; return; fi
  if ls "$T"/*.h5* "$T"/results >/dev/null 2>&1; then bad "$what: left an output file"; rm -rf "$T"/*.h5* "$T"/results; return; fi
  ok
}

expect_usage_error "unknown subcommand" "unknown subcommand 'frobnicate'" -- frobnicate
expect_usage_error "unknown flag" "unknown option '--fast'" -- run "$TOY" --fast -o x.h5
expect_usage_error "missing scenario" "nonexistent.yaml: cannot open scenario" -- run nonexistent.yaml -o x.h5
expect_usage_error "non-numeric seed" "--seed 'abc' is not a seed" -- run "$TOY" --seed abc -o x.h5
expect_usage_error "negative seed" "--seed '-3' is not a seed" -- run "$TOY" --seed -3 -o x.h5
expect_usage_error "non-numeric threads" "--threads 'two' is not a thread count" -- run "$TOY" --threads two -o x.h5
expect_usage_error "zero threads" "--threads '0' is not a thread count" -- run "$TOY" --threads 0 -o x.h5
expect_usage_error "missing option value" "option '-o' needs a value" -- run "$TOY" -o
expect_usage_error "summary of a missing file" "nothere.h5" -- summary nothere.h5

# a scenario with an unknown key and one with an out-of-range value: file and line
printf 'name: x\nstart_year: 2019\nend_year: 2020\nreplicates: 1\nseed: 1\ndata: %s/tests/data/toy\ncolour: red\n' "$SRC" >"$T/unknown.yaml"
expect_usage_error "unknown scenario key" "unknown.yaml:7:" -- run "$T/unknown.yaml" -o x.h5
printf 'name: x\nstart_year: 2019\nend_year: 2010\nreplicates: 1\nseed: 1\ndata: %s/tests/data/toy\n' "$SRC" >"$T/range.yaml"
expect_usage_error "end before start" "range.yaml:3: end_year 2010 is out of range" -- run "$T/range.yaml" -o x.h5
# bad interventions: unknown type, negative uptake, start outside the run, unknown group
mk_iv() { printf 'name: x\nstart_year: 2019\nend_year: 2025\nreplicates: 1\nseed: 1\ndata: %s/tests/data/toy\ninterventions:\n%b' "$SRC" "$1" >"$T/iv.yaml"; }
mk_iv '  - type: frobnicate\n    factor: 2\n'
expect_usage_error "unknown intervention" "iv.yaml:8:11: unknown value 'frobnicate'" -- run "$T/iv.yaml" -o x.h5
mk_iv '  - type: retention\n    factor: 0.5\n    uptake: -0.2\n'
expect_usage_error "negative uptake" "iv.yaml:8:3: intervention 1 (retention): uptake -0.2 is out of range" -- run "$T/iv.yaml" -o x.h5
mk_iv '  - type: disability\n    factor: 0.5\n  - type: pshare_floor\n    level: 80\n    start: 2030\n'
expect_usage_error "start outside the run" "iv.yaml:10:3: intervention 2 (pshare_floor): start 2030 is outside the simulated years (expected 2020..2025)" -- run "$T/iv.yaml" -o x.h5
mk_iv '  - type: pshare_floor\n    level: 80\n    groups: [nurse, doctor]\n'
expect_usage_error "unknown group in intervention" "unknown group 'doctor'" -- run "$T/iv.yaml" -o x.h5
mk_iv '  - type: pshare_floor\n'
expect_usage_error "missing level" "needs \`level\`" -- run "$T/iv.yaml" -o x.h5
# the doctors' measures: their own checks, and they need doctors.csv in the data
mk_iv '  - type: alis\n'
expect_usage_error "alis without level" "intervention 1 (alis): needs \`level\` (new ALIS a year)" -- run "$T/iv.yaml" -o x.h5
mk_iv '  - type: list_norm\n    level: 3000\n'
expect_usage_error "list norm out of range" "intervention 1 (list_norm): level 3000 is out of range" -- run "$T/iv.yaml" -o x.h5
mk_iv '  - type: gp_hours\n    level: 45\n'
expect_usage_error "doctors' measure on data without doctors" "iv.yaml:8: intervention 1 (gp_hours) needs the doctors' career track, but" -- run "$T/iv.yaml" -o x.h5
rm -f "$T/iv.yaml"
# a bad data table: file, line and reason, and no output file
mkdir -p "$T/baddata" && cp "$SRC"/tests/data/toy/*.csv "$T/baddata/"
sed -i 's/^all,15,74,0.01,test,$/all,15,74,-0.01,test,/' "$T/baddata/mortality.csv"
printf 'name: x\nstart_year: 2019\nend_year: 2020\nreplicates: 1\nseed: 1\ndata: baddata\n' >"$T/bad.yaml"
expect_usage_error "negative rate in data" "baddata/mortality.csv:2: rate = -0.01 is out of range" -- run "$T/bad.yaml" -o x.h5
rm -rf "$T/baddata" "$T"/*.yaml

# -o that cannot be right is refused before anything runs, and no input is touched:
# the scenario itself, a data file, a directory, a path under a file
mkdir -p "$T/outdata" && cp "$SRC"/tests/data/toy/*.csv "$T/outdata/"
printf 'name: x\nstart_year: 2019\nend_year: 2020\nreplicates: 1\nseed: 1\ndata: outdata\n' >"$T/o.yaml"
sum_before=$(cat "$T/o.yaml" "$T"/outdata/*.csv | md5sum)
expect_usage_error "-o is the scenario" "would overwrite the scenario file of this run" -- run "$T/o.yaml" -o "$T/o.yaml"
expect_usage_error "-o is a data file" "would overwrite the data file mortality.csv of this run" -- run "$T/o.yaml" -o "$T/outdata/mortality.csv"
mkdir -p "$T/adir"
expect_usage_error "-o is a directory" "adir is a directory (expected a file name" -- run "$T/o.yaml" -o "$T/adir"
expect_usage_error "-o under a file" "/dev/null is not a directory" -- run "$T/o.yaml" -o /dev/null/x.h5
expect_usage_error "-o where nothing can be written" "cannot create a file beside it" -- run "$T/o.yaml" -o /sys/x.h5
if [ "$(cat "$T/o.yaml" "$T"/outdata/*.csv | md5sum)" = "$sum_before" ]; then ok; else bad "an input file was modified"; fi
if [ -e "$T/adir.partial" ]; then bad "-o DIR left DIR.partial"; else ok; fi
rm -rf "$T/outdata" "$T/adir" "$T/o.yaml"

# calibrate: a bad targets file is refused with file, line and reason, and writes nothing
printf 'measure,group,sex,age_band,sector,year,value,tolerance,source,note\nparttime_share,nurse,all,all,specialist,2021,1.4,0.05,x,\n' >"$T/targets.csv"
expect_usage_error "calibrate: share above 1" "targets.csv:2:" -- calibrate "$T/targets.csv" --no-write
printf 'measure,group,sex,age_band,sector,year,value,tolerance,source,note\nfte,nurses,all,all,all,2019,81500,815,x,\n' >"$T/targets.csv"
expect_usage_error "calibrate: unknown group" "targets.csv:2: unknown group 'nurses'" -- calibrate "$T/targets.csv" --no-write
rm -f "$T/targets.csv"

# calibrate writes the fit only with --write, refuses to write over an input (checked before the
# fit), and needs the data's base year
mkdir -p "$T/cal" && cp "$SRC"/tests/data/toy/*.csv "$T/cal/"
sed "s#^data: .*#data: $T/cal#" "$TOY" >"$T/cal.yaml"
cat >"$T/ctargets.csv" <<'CSV'
measure,group,sex,age_band,sector,year,value,tolerance,source,note
persons,nurse,all,all,all,2021,17000,500,test,
persons,nurse,all,all,outside,2022,1500,100,test,
fte,nurse,all,all,municipal,2023,8000,100,test,
CSV
cal=(calibrate "$T/ctargets.csv" --scenario "$T/cal.yaml" --replicates 1 --max-iter 1 --end-year 2023)
cal_sum=$(cat "$T/cal.yaml" "$T/ctargets.csv" "$T"/cal/*.csv | md5sum)
"$BIN" "${cal[@]}" >"$T/out" 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && [ -s "$T/out" ] && [ ! -e "$T/cal/fitted.csv" ] && [ ! -e "$T/cal/fitted_cov.csv" ] &&
   grep -q "the fit is not saved (--write $T/cal/fitted.csv saves it" "$T/err"; then ok; else
  bad "calibrate without --write: exit $rc, $(ls "$T/cal" | tr '\n' ' ') $(cat "$T/err")"; fi
expect_usage_error "calibrate -o a targets file" "ctargets.csv is a targets file (expected a new file name" -- "${cal[@]}" -o "$T/ctargets.csv"
expect_usage_error "calibrate --write the scenario" "cal.yaml is the scenario file" -- "${cal[@]}" --write "$T/cal.yaml"
expect_usage_error "calibrate --write a data table" "mortality.csv is a data file" -- "${cal[@]}" --write "$T/cal/mortality.csv"
expect_usage_error "calibrate --write under a file" "/dev/null is not a directory" -- "${cal[@]}" --write /dev/null/fitted.csv
expect_usage_error "calibrate -o and --write one file" "name one file" -- "${cal[@]}" --write "$T/f.csv" -o "$T/f.csv"
expect_usage_error "calibrate --write and --no-write" "--write and --no-write together" -- "${cal[@]}" --write "$T/f.csv" --no-write
if [ "$(cat "$T/cal.yaml" "$T/ctargets.csv" "$T"/cal/*.csv | md5sum)" = "$cal_sum" ]; then ok; else bad "calibrate modified an input"; fi
"$BIN" "${cal[@]}" --write "$T/cal/fitted.csv" -o "$T/report.md" --quiet >"$T/out" 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && [ -s "$T/cal/fitted.csv" ] && [ -s "$T/cal/fitted_cov.csv" ] && [ -s "$T/report.md" ] &&
   [ ! -e "$T/report.md.partial" ] && [ ! -e "$T/cal/fitted.csv.partial" ]; then ok; else
  bad "calibrate --write: exit $rc, $(ls "$T/cal" | tr '\n' ' ') $(cat "$T/err")"; fi
# the fit is at the data's values: an assumed input's range (drawn by hwsim run) must not move it
printf 'process,group,age_from,age_to,low,high,source,note\nexit,nurse,15,74,0.5,1.5,test,test\n' >"$T/cal/assumed.csv"
"$BIN" "${cal[@]}" --no-write -o "$T/report2.md" --quiet >"$T/out" 2>"$T/err"; rc=$?
params() { sed -n '/^## Parameters/,/^## Targets/p' "$1"; }
if [ $rc -eq 0 ] && [ -n "$(params "$T/report.md")" ] && [ "$(params "$T/report.md")" = "$(params "$T/report2.md")" ]; then ok; else
  bad "calibrate with assumed.csv: exit $rc, parameters differ: $(diff <(params "$T/report.md") <(params "$T/report2.md") | head -4) $(cat "$T/err")"; fi
rm -f "$T/cal/assumed.csv" "$T/report2.md"
sed -i 's/^start_year: .*/start_year: 2020/' "$T/cal.yaml"
expect_usage_error "calibrate from another base year" "start_year 2020 is not the data's base year (expected 2019" -- "${cal[@]}"
rm -rf "$T/cal" "$T/cal.yaml" "$T/ctargets.csv" "$T/report.md" "$T/f.csv"

# wait_replicate FILE K: until the progress lines in FILE reach replicate K (so K - 1
# replicates are in the file, and the signal handlers are in place).  HDF5 locks a file
# open for writing, so we cannot poll the file itself; a fixed sleep is not enough either
# (a loaded machine, or MPI starting up in the MPI build, can take longer).
wait_replicate() {
  local i
  for i in $(seq 1 600); do
    grep -Eq "^replicate $2/" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# provenance: every input of the data directory is hashed, fitted_cov.csv included
"$BIN" run "$SRC/sim/scenarios/baseline.yaml" --replicates 1 --end-year 2020 -o "$T/prov.h5" --quiet >/dev/null 2>&1 || bad "provenance run failed"
want="fitted_cov.csv=$(sha256sum "$SRC/calibration/norway/fitted_cov.csv" | cut -d' ' -f1)"
if h5dump -a data_sha256 "$T/prov.h5" 2>/dev/null | grep -q "$want"; then ok; else bad "data_sha256 lacks $want"; fi
# compare refuses runs that do not pair: one without parameter uncertainty
"$BIN" run "$SRC/sim/scenarios/baseline.yaml" --replicates 1 --end-year 2020 --no-param-uncertainty -o "$T/prov0.h5" --quiet >/dev/null 2>&1 || bad "run without parameter uncertainty failed"
"$BIN" compare "$T/prov.h5" "$T/prov0.h5" >"$T/out" 2>"$T/err"; rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "parameter_uncertainty 0 differs" "$T/err" && [ ! -s "$T/out" ]; then ok; else bad "compare of unpaired runs: exit $rc, $(cat "$T/err")"; fi
# summary's header says what its band holds, from the run's parameter_uncertainty
if "$BIN" summary "$T/prov.h5" | head -1 | grep -q "90 % interval of Monte Carlo noise + fitted parameters + assumed inputs (not of demand, the data's own error or the model's structure)"; then ok; else bad "summary header does not say the band holds Monte Carlo, fitted parameters and assumed inputs"; fi
if "$BIN" summary "$T/prov0.h5" | head -1 | grep -q "90 % interval of Monte Carlo noise only (no parameter draws; not of fitted parameters, assumed inputs, demand"; then ok; else bad "summary header of a run without parameter draws does not say Monte Carlo only"; fi
# demand: draw: the cube records it and the titles count demand among the band's sources
sed -e 's/^name: baseline$/name: demand_draw/' -e '$a demand: draw' "$SRC/sim/scenarios/baseline.yaml" |
  sed "s#^data: .*#data: $SRC/calibration/norway#" >"$T/draw.yaml"
"$BIN" run "$T/draw.yaml" --replicates 1 --end-year 2020 -o "$T/draw.h5" --quiet >/dev/null 2>&1 || bad "run with demand: draw failed"
if h5dump -a demand_uncertainty "$T/draw.h5" 2>/dev/null | grep -q "(0): 1"; then ok; else bad "demand_uncertainty attribute is not 1"; fi
if "$BIN" summary "$T/draw.h5" --measure gap | head -1 | grep -q "90 % interval of Monte Carlo noise + fitted parameters + assumed inputs + demand (the HELSEMOD alternative drawn per draw)"; then ok; else bad "summary header does not say the band holds demand"; fi
if "$BIN" compare "$T/draw.h5" "$T/draw.h5" --measure gap 2>/dev/null | head -1 | grep -q "+ demand (the HELSEMOD alternative"; then ok; else bad "compare header does not say demand was drawn"; fi
# a third source drawn changes the source design (blocks of 4 draws, not 3): the runs do not pair
"$BIN" compare "$T/prov.h5" "$T/draw.h5" --measure gap >"$T/out" 2>"$T/err"; rc=$?
if [ $rc -eq 2 ] && grep -q "draws_per_block 4 differs from .*'s 3" "$T/err"; then ok; else bad "compare across source designs: exit $rc, $(cat "$T/err")"; fi
if "$BIN" summary "$T/prov.h5" --measure gap | head -1 | grep -q "+ demand"; then bad "a fixed-demand cube claims demand uncertainty"; else ok; fi
rm -f "$T/prov.h5" "$T/prov0.h5" "$T/draw.h5" "$T/draw.yaml"

# --- summary / compare --group and --sector: keep only the listed labels -------
# A baseline cube in a subdirectory (expect_usage_error refuses *.h5 left in $T itself).
mkdir -p "$T/flt" && F=$T/flt/f.h5
"$BIN" run "$SRC/sim/scenarios/baseline.yaml" --replicates 3 --end-year 2021 -o "$F" --quiet >/dev/null 2>&1 || bad "filter run failed"
S=("$BIN" summary "$F" --years 2020,2021 --csv)
# (a) the summed filter equals the sum of its --by rows (mean of sums = sum of means; 0.01 a row)
"${S[@]}" --by group | awk -F, '$1 == "nurse" || $1 == "midwife" { s[$2] += $3 } END { for (y in s) printf "%s %.2f\n", y, s[y] }' | sort >"$T/rows"
"${S[@]}" --group nurse,midwife | awk -F, 'NR > 1 { print $1, $2 }' | sort >"$T/sum"
if [ "$(wc -l <"$T/rows")" -eq 2 ] && join "$T/rows" "$T/sum" | awk '{ d = $2 - $3; if (d < 0) d = -d; if (d > 0.02) bad = 1 } END { exit bad }'; then ok; else
  bad "--group nurse,midwife: sums $(cat "$T/sum" | tr '\n' ' ') differ from its --by group rows $(cat "$T/rows" | tr '\n' ' ')"; fi
# (b) --by group --group nurse: one row a year, nurse's; the title says what is kept
"${S[@]}" --by group --group nurse >"$T/out"
if [ "$(head -1 "$T/out")" = "group,year,mean,p05,p50,p95" ] && [ "$(wc -l <"$T/out")" -eq 3 ] &&
   [ "$(awk -F, 'NR > 1 && $1 == "nurse"' "$T/out" | cut -d, -f2 | tr '\n' ' ')" = "2020 2021 " ]; then ok; else bad "--by group --group nurse printed: $(cat "$T/out")"; fi
if "$BIN" summary "$F" --by group --group midwife,nurse --years 2021 | head -1 | grep -q "sector (municipal+specialist+other_health only); group: nurse, midwife only; p05-p95"; then ok; else
  bad "--group title: $("$BIN" summary "$F" --by group --group midwife,nurse --years 2021 | head -1)"; fi
if [ "$("$BIN" summary "$F" --by group --group midwife,nurse --years 2021 --csv | cut -d, -f1 | tr '\n' ' ')" = "group nurse midwife " ]; then ok; else bad "--group rows are not in the cube's order"; fi
# (c) --sector outside: the outside row of --by sector, and no headline rule in the title
want=$("${S[@]}" --by sector | awk -F, '$1 == "outside" { print $2, $3 }')
got=$("${S[@]}" --sector outside | awk -F, 'NR > 1 { print $1, $2 }')
if [ "$(echo "$want" | wc -l)" -eq 2 ] && [ "$want" = "$got" ]; then ok; else bad "--sector outside gives '$got', --by sector's outside rows '$want'"; fi
title=$("$BIN" summary "$F" --sector outside --years 2021 | head -1)
if echo "$title" | grep -q "summed over group, sex, age_band, sector; sector: outside only;" && ! echo "$title" | grep -q "municipal+"; then ok; else bad "--sector outside title: $title"; fi
# (d) the headline sectors listed explicitly give the default total
if [ "$("${S[@]}" --sector municipal,specialist,other_health)" = "$("${S[@]}")" ]; then ok; else bad "--sector municipal,specialist,other_health differs from the headline total"; fi
# (e) errors: one line naming the label or dimension, exit 2, nothing on stdout
expect_usage_error "--group unknown label" "$F: --group 'nurses' is not a label of dimension group (expected one of nurse, health_care_worker, " -- summary "$F" --group nurses
expect_usage_error "--sector unknown label" "--sector 'health' is not a label of dimension sector (expected one of municipal, specialist, other_health, outside, not_working)" -- summary "$F" --by sector --sector outside,health
expect_usage_error "--group label twice" "--group lists 'nurse' twice (expected each label once)" -- summary "$F" --group nurse,midwife,nurse
expect_usage_error "--group empty list" "--group is empty" -- summary "$F" --group ''
expect_usage_error "--group empty label" "--group 'nurse,,midwife' has an empty label" -- summary "$F" --group nurse,,midwife
expect_usage_error "--sector on a measure without sector" "measure doctor_flows has no dimension 'sector' (its dimensions: replicate, year, doctor_flow)" -- summary "$F" --measure doctor_flows --sector outside
expect_usage_error "--group on a measure without group" "measure doctors has no dimension 'group' (its dimensions: replicate, year, career_stage, specialty, sector)" -- summary "$F" --measure doctors --group nurse
expect_usage_error "compare --group unknown label" "--group 'doctor' is not a label of dimension group" -- compare "$F" "$F" --group doctor
# (f) compare with the filters: a cube against itself gives zero differences in the kept rows
"$BIN" compare "$F" "$F" --by group --group nurse,midwife --years 2020,2021 --csv >"$T/out" 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && [ "$(wc -l <"$T/out")" -eq 5 ] && [ "$(cut -d, -f1 "$T/out" | sort -u | tr '\n' ' ')" = "group midwife nurse " ] &&
   awk -F, 'NR > 1 { for (i = 3; i <= 6; i++) if ($i != "0.00") bad = 1 } END { exit bad }' "$T/out"; then ok; else bad "compare --group: exit $rc, $(cat "$T/out" "$T/err")"; fi
if "$BIN" compare "$F" "$F" --sector outside --group nurse --years 2021 | head -1 | grep -q "; group: nurse only; sector: outside only; p05-p95"; then ok; else bad "compare title lacks the filters"; fi
# summary --decompose takes them too: one row a year for each kept group
"$BIN" run "$SRC/sim/scenarios/baseline.yaml" --replicates 18 --replicates-per-draw 2 --end-year 2020 -o "$T/flt/d.h5" --quiet >/dev/null 2>&1 || bad "nested filter run failed"
"$BIN" summary "$T/flt/d.h5" --decompose --by group --group nurse,midwife --csv >"$T/out" 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && [ "$(cut -d, -f1,2 "$T/out" | tr '\n' ' ')" = "group,year nurse,2019 nurse,2020 midwife,2019 midwife,2020 " ]; then ok; else bad "summary --decompose --group: exit $rc, $(cat "$T/out" "$T/err")"; fi
rm -rf "$T/flt" "$T/rows" "$T/sum"

# --- kill mid-run, then resume ---------------------------------------------
"$BIN" run "$TOY" -o "$T/ref.h5" --replicates 40 --quiet >/dev/null 2>&1 || bad "reference run failed"
"$BIN" run "$TOY" -o "$T/k.h5" --replicates 40 --threads 1 --progress --quiet >/dev/null 2>"$T/kerr" &
pid=$!
wait_replicate "$T/kerr" 3 || bad "no progress from the run to kill: $(tail -1 "$T/kerr")"
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
if [ -e "$T/k.h5" ]; then bad "a killed run left a file under the final name"; else ok; fi
if [ -e "$T/k.h5.partial" ]; then ok; else bad "a killed run left no .partial"; fi
kept=$(h5dump -H -d replicate "$T/k.h5.partial" 2>/dev/null | grep -o 'DATASPACE  SIMPLE { ( [0-9]* )' | grep -o '[0-9]*' | head -1)
if [ -n "${kept:-}" ] && [ "$kept" -ge 1 ] && [ "$kept" -lt 40 ]; then ok; else bad "partial holds '${kept:-?}' replicates, expected 1..39"; fi
if "$BIN" summary "$T/k.h5.partial" --csv >/dev/null 2>&1; then ok; else bad "partial file not readable by summary"; fi
"$BIN" run "$TOY" -o "$T/k.h5" --replicates 40 --resume --quiet >/dev/null 2>"$T/err" || bad "resume failed: $(cat "$T/err")"
if [ -e "$T/k.h5" ] && [ ! -e "$T/k.h5.partial" ]; then ok; else bad "resume did not produce the final file"; fi
# every dataset and coordinate the file holds (the measures table decides which)
all_ds=$(h5ls "$T/ref.h5" | awk '{print $1}')
[ "$(echo "$all_ds" | wc -w)" -ge 20 ] && ok || bad "h5ls listed only: $all_ds"
for d in $all_ds; do
  if h5diff "$T/ref.h5" "$T/k.h5" "/$d" "/$d" >/dev/null 2>&1; then ok; else bad "dataset $d differs after kill + resume"; fi
done

# --resume refuses a .partial of another run, names the field, and keeps the .partial
resume_refused() { # DESCRIPTION PATTERN -- ARGS...
  local what=$1 pat=$2; shift 3
  cp "$T/ref.h5" "$T/rr.h5.partial"
  "$BIN" "$@" -o "$T/rr.h5" --resume --quiet >/dev/null 2>"$T/err"; local rc=$?
  if [ $rc -eq 2 ] && [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q -- "$pat" "$T/err" &&
     [ -e "$T/rr.h5.partial" ] && [ ! -e "$T/rr.h5" ]; then ok; else bad "$what: exit $rc, $(cat "$T/err")"; fi
  rm -f "$T"/rr.h5*
}
resume_refused "resume with another seed" "its seed differs from this run's 9" -- run "$TOY" --replicates 40 --seed 9
sed -e 's/^name: .*/name: other/' -e "s#^data: .*#data: $SRC/tests/data/toy#" "$TOY" >"$T/other.yaml"
resume_refused "resume with another scenario" "its scenario text (scenario_sha256) differs" -- run "$T/other.yaml" --replicates 40
rm -f "$T/other.yaml"
resume_refused "resume with other years" "cannot resume: .*coordinate year" -- run "$TOY" --replicates 40 --end-year 2022
resume_refused "resume to fewer replicates" "it already holds 40 replicates, more than the 30 asked for" -- run "$TOY" --replicates 30
# --resume may continue to more replicates: the result is the longer run's, attribute included
cp "$T/ref.h5" "$T/more.h5.partial"
"$BIN" run "$TOY" -o "$T/more.h5" --replicates 42 --resume --quiet >/dev/null 2>"$T/err" || bad "resume to 42 failed: $(cat "$T/err")"
"$BIN" run "$TOY" -o "$T/fresh.h5" --replicates 42 --quiet >/dev/null 2>&1 || bad "42-replicate run failed"
nrep=$(h5dump -a replicates "$T/more.h5" 2>/dev/null | grep -o '(0): [0-9]*' | grep -o '[0-9]*$')
if [ "$nrep" = 42 ]; then ok; else bad "resumed to 42 replicates, but the replicates attribute says '$nrep'"; fi
for d in $all_ds; do
  if h5diff "$T/fresh.h5" "$T/more.h5" "/$d" "/$d" >/dev/null 2>&1; then ok; else bad "dataset $d differs after resume to 42"; fi
done
rm -f "$T"/more.h5* "$T"/fresh.h5*

# two runs started at once on one output: exactly one proceeds, and the file holds its data
"$BIN" run "$TOY" -o "$T/cc.h5" --replicates 20 --seed 1 --quiet --no-progress >/dev/null 2>"$T/err1" &
p1=$!
"$BIN" run "$TOY" -o "$T/cc.h5" --replicates 20 --seed 2 --quiet --no-progress >/dev/null 2>"$T/err2" &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
if [ $r1 -eq 0 ] && [ $r2 -eq 2 ]; then won=1; elif [ $r1 -eq 2 ] && [ $r2 -eq 0 ]; then won=2; else won=0; fi
if [ $won -ne 0 ]; then ok; else bad "concurrent runs: exits $r1 and $r2 (expected one 0 and one 2)"; fi
if [ $won -ne 0 ] && grep -q "is being written by another hwsim run" "$T/err$((3 - won))"; then ok; else bad "the refused run's message: $(cat "$T/err1" "$T/err2")"; fi
fseed=$(h5dump -a seed "$T/cc.h5" 2>/dev/null | grep -o '(0): [0-9]*' | grep -o '[0-9]*$')
if [ "$fseed" = "$won" ] && [ ! -e "$T/cc.h5.lock" ] && [ ! -e "$T/cc.h5.partial" ]; then ok; else bad "concurrent runs: file seed '$fseed', winner $won"; fi
rm -f "$T"/cc.h5*

# --- same seed, 1 and 2 threads: identical datasets -------------------------
"$BIN" run "$TOY" -o "$T/th1.h5" --replicates 2 --threads 1 --quiet >/dev/null 2>&1
"$BIN" run "$TOY" -o "$T/th2.h5" --replicates 2 --threads 2 --quiet >/dev/null 2>&1
for d in $(h5ls "$T/th1.h5" | awk '{print $1}'); do
  if h5diff "$T/th1.h5" "$T/th2.h5" "/$d" "/$d" >/dev/null 2>&1; then ok; else bad "$d differs between 1 and 2 threads"; fi
done

# --- SIGTERM: clean stop, exit 130, partial kept ---------------------------
"$BIN" run "$TOY" -o "$T/t.h5" --replicates 200 --threads 1 --progress >/dev/null 2>"$T/err" &
pid=$!
wait_replicate "$T/err" 2 || bad "no progress from the run to stop: $(tail -1 "$T/err")"
kill -TERM $pid; wait $pid; rc=$?
if [ $rc -eq 130 ]; then ok; else bad "SIGTERM exit code $rc, expected 130"; fi
if grep -q "continue with --resume" "$T/err" && [ -e "$T/t.h5.partial" ] && [ ! -e "$T/t.h5" ]; then ok; else bad "SIGTERM did not stop cleanly: $(cat "$T/err")"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
