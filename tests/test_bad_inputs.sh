#!/usr/bin/env bash
# A corpus of bad scenarios (tests/bad/scenarios/*.yaml): each must give exit code 2, exactly
# one line on stderr containing the fragment its first line names ("# expect: CODE | TEXT";
# files that cannot carry that line are listed in tests/bad/scenarios/EXPECT), and no output
# file.  Then the special inputs: /dev/null, a directory, a pipe, a NUL byte, a file over
# 1 MiB; and a UTF-8 byte-order mark, which is accepted.
set -u
BIN=${HWSIM_BIN:?HWSIM_BIN must point at the hwsim binary}
SRC=${HWSIM_SOURCE_DIR:?}
DIR=$SRC/tests/bad/scenarios
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# check WHAT CODE FRAGMENT -- ARGS...: exit CODE, one stderr line containing FRAGMENT, no output
check() {
  local what=$1 code=$2 frag=$3; shift 4
  rm -f "$T"/out.h5 "$T"/out.h5.partial
  (cd "$T" && timeout 120 "$BIN" run "$@" -o "$T/out.h5" --quiet >"$T/stdout" 2>"$T/err"); local rc=$? # 124: a hang
  local lines; lines=$(wc -l <"$T/err")
  if [ $rc -ne "$code" ]; then bad "$what: exit $rc, expected $code: $(cat "$T/err")"; return; fi
  if [ "$code" -ne 0 ]; then
    if [ "$lines" -ne 1 ]; then bad "$what: $lines stderr lines, expected 1: $(cat "$T/err")"; return; fi
    if ! grep -qF -- "$frag" "$T/err"; then bad "$what: stderr '$(cat "$T/err")' lacks '$frag'"; return; fi
    if [ -e "$T/out.h5" ] || [ -e "$T/out.h5.partial" ]; then bad "$what: left an output file"; return; fi
  fi
  pass=$((pass + 1))
}

n=0
for f in "$DIR"/*.yaml; do
  b=$(basename "$f")
  exp=$(head -1 "$f" | sed -n 's/^# expect: //p')
  [ -n "$exp" ] || exp=$(sed -n "s/^$b //p" "$DIR/EXPECT")
  if [ -z "$exp" ]; then bad "$b: no expectation (first line '# expect: CODE | TEXT' or in EXPECT)"; continue; fi
  check "$b" "${exp%% | *}" "${exp#* | }" -- "$f"
  n=$((n + 1))
done
[ "$n" -ge 30 ] || bad "only $n scenarios in the corpus"

# the special inputs
check "/dev/null" 2 "/dev/null: empty scenario" -- /dev/null
mkdir -p "$T/adir"
check "a directory" 2 "adir: is a directory" -- "$T/adir"
check "a pipe" 2 "seed '1.5' is not a whole number" -- <(cat "$DIR/seed_fraction.yaml")
check "an empty pipe" 2 "empty scenario" -- <(true)
printf 'name: x\n\0seed: 1\n' >"$T/nul.yaml"
check "a NUL byte" 2 "nul.yaml:2: NUL byte" -- "$T/nul.yaml"
{ echo "name: x"; head -c 1100000 /dev/zero | tr '\0' '#'; echo; } >"$T/huge.yaml"
check "a file over 1 MiB" 2 "huge.yaml: scenario is larger than 1024 KiB" -- "$T/huge.yaml"
# a byte-order mark is skipped: the run goes ahead
{ printf '\xef\xbb\xbf'; printf 'name: bom\nstart_year: 2019\nend_year: 2020\nreplicates: 1\nseed: 1\ndata: %s/tests/data/toy\n' "$SRC"; } >"$T/bom.yaml"
check "a UTF-8 BOM" 0 "" -- "$T/bom.yaml"
[ -e "$T/out.h5" ] || bad "a UTF-8 BOM: no output file"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
