#!/usr/bin/env bash
# A corpus of bad data tables (tests/bad/data/, expectations and naming in its EXPECT file):
# each case is a fresh copy of tests/data/toy with one file replaced, removed or turned into a
# directory.  `hwsim run` on it must give the expected exit code and, for a refusal, exactly one
# stderr line containing the expected fragment, no output file (nor .partial), and leave every
# file of the data directory as it was; `hwsim calibrate` must refuse the same data the same
# way (one case per table; not fitted_cov.csv, which only `run` reads).  Then the cases a text file cannot
# hold: a NUL byte, a UTF-8 byte-order mark and CRLF line ends (both accepted), a table over
# 16 MiB, and an unreadable table (skipped as root, who can read it).
set -u
BIN=${HWSIM_BIN:?HWSIM_BIN must point at the hwsim binary}
SRC=${HWSIM_SOURCE_DIR:?}
DIR=$SRC/tests/bad/data
T=$(mktemp -d)
trap 'chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 1 # hwsim runs here: nothing it might write lands elsewhere
pass=0 fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# fresh: a new copy of the toy data in $T/data and a scenario naming it
fresh() {
  chmod -R u+rwX "$T/data" 2>/dev/null
  rm -rf "$T/data"
  cp -r "$SRC/tests/data/toy" "$T/data"
  printf 'name: bad_data\nstart_year: 2019\nend_year: 2020\nreplicates: 1\nseed: 1\ndata: %s\n' \
    "$T/data" >"$T/scen.yaml"
}

# restore TABLE: that one table of $T/data as in the toy set again (a case changes only it)
restore() {
  if [ -d "$T/data/$1" ] || [ ! -e "$SRC/tests/data/toy/$1" ]; then rm -rf "$T/data/$1"; fi
  if [ -e "$SRC/tests/data/toy/$1" ]; then cp "$SRC/tests/data/toy/$1" "$T/data/$1"; fi
}

# sums: every entry of the data directory (hidden ones too) with its sha256, or why it has none
shopt -s dotglob
sums() { sha256sum "$T"/data/* 2>&1; }

# expect WHAT CODE FRAGMENT -- COMMAND...: exit CODE; for a refusal one stderr line containing
# FRAGMENT and no output file.  (Few processes per case: the corpus runs with `make test-fast`.)
expect() {
  local what=$1 code=$2 frag=$3; shift 4
  if [ -e "$T/out.h5" ] || [ -e "$T/out.h5.partial" ]; then rm -f "$T"/out.h5 "$T"/out.h5.partial; fi
  timeout 120 "$@" >"$T/stdout" 2>"$T/err" # 124: a hang
  local rc=$?
  local err; mapfile -t err <"$T/err"
  if [ $rc -ne "$code" ]; then bad "$what: exit $rc, expected $code: ${err[*]}"; return; fi
  if [ "$code" -ne 0 ]; then
    if [ ${#err[@]} -ne 1 ]; then bad "$what: ${#err[@]} stderr lines, expected 1: ${err[*]}"; return; fi
    if [[ ${err[0]} != *"$frag"* ]]; then bad "$what: stderr '${err[0]}' lacks '$frag'"; return; fi
    if [ -e "$T/out.h5" ] || [ -e "$T/out.h5.partial" ]; then bad "$what: left an output file"; return; fi
  elif [ ! -e "$T/out.h5" ]; then
    bad "$what: exit 0 but no output file"; return
  fi
  pass=$((pass + 1))
}

# check WHAT CODE FRAGMENT [calibrate]: run (and calibrate) on the data now in $T/data, which
# must be as it was before, file for file (else a fresh copy for the next case)
check() {
  local before; before=$(sums)
  expect "$1 (run)" "$2" "$3" -- "$BIN" run "$T/scen.yaml" -o "$T/out.h5" --quiet
  if [ "${4:-}" = calibrate ] && [ "$2" -ne 0 ]; then
    expect "$1 (calibrate)" "$2" "$3" -- "$BIN" calibrate --scenario "$T/scen.yaml" --no-write --quiet
  fi
  if [ "$(sums)" != "$before" ]; then
    bad "$1: the data directory changed"
    fresh
  fi
}

n=0 calibrated=" "
fresh
while IFS= read -r line; do
  case $line in '#'* | '') continue ;; esac
  name=${line%% *} rest=${line#* }
  code=${rest%% |*} frag=""
  case $rest in *'| '*) frag=${rest#*| } ;; esac
  table=${name%%--*}.csv
  if [ ! -e "$DIR/$name" ]; then bad "$name: listed in EXPECT but not in tests/bad/data"; continue; fi
  case $name in # $T/data is the toy set here (restored after each case)
    *.csv) cp "$DIR/$name" "$T/data/$table" ;;
    *.dir) rm -f "$T/data/$table" && mkdir "$T/data/$table" ;;
    *.absent) rm -f "$T/data/$table" ;;
    *) bad "$name: unknown kind of case (expected .csv, .dir or .absent)"; continue ;;
  esac
  # calibrate reads the same tables (all but fitted_cov.csv) through the same loaders: once a
  # table is enough
  cal=""
  if [ "$table" != fitted_cov.csv ] && [ "$code" -ne 0 ] && [[ $calibrated != *" $table "* ]]; then
    cal=calibrate calibrated="$calibrated$table "
  fi
  check "$name" "$code" "$frag" $cal
  restore "$table"
  n=$((n + 1))
done <"$DIR/EXPECT"
listed=$(sed -n 's/^\([^# ][^ ]*\) .*/\1/p' "$DIR/EXPECT")
for f in "$DIR"/*; do
  b=${f##*/}
  [ "$b" = EXPECT ] || [[ $'\n'$listed$'\n' == *$'\n'$b$'\n'* ]] || bad "$b: no expectation in EXPECT"
done
[ "$n" -ge 35 ] || bad "only $n cases in the corpus"

# the cases a text file in the corpus cannot hold
fresh
printf 'sex,age_from,age_to,rate,source,note\nall,15,74,0.01,t,\n\0all,15,74,0.5,t,\n' >"$T/data/mortality.csv"
check "a NUL byte" 2 "mortality.csv:3: NUL byte (expected a text file)" calibrate
fresh
{ printf '\xef\xbb\xbf'; cat "$SRC/tests/data/toy/mortality.csv"; } >"$T/data/mortality.csv"
check "a UTF-8 byte-order mark" 0 ""
fresh
sed 's/$/\r/' "$SRC/tests/data/toy/exit.csv" >"$T/data/exit.csv"
check "CRLF line ends" 0 ""
fresh
{ echo "sex,age_from,age_to,rate,source,note"; printf 'all,15,74,0.01,t,'; head -c 17000000 /dev/zero | tr '\0' 'x'; echo; } >"$T/data/mortality.csv"
check "a table over 16 MiB" 2 "mortality.csv: table is larger than 16 MiB (expected a smaller CSV table)" calibrate
if [ "$(id -u)" -ne 0 ]; then
  fresh
  chmod 000 "$T/data/exit.csv"
  check "an unreadable table" 2 "exit.csv: cannot read file: Permission denied" calibrate
else
  echo "skip: an unreadable table (running as root)"
fi

echo "$n cases; $pass passed, $fail failed"
[ $fail -eq 0 ]
