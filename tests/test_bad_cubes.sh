#!/usr/bin/env bash
# A corpus of malformed result cubes (tests/bad/cubes/CASES) for `hwsim summary`,
# `compare`, `calibrate --evaluate` and `run --resume`: each is made at test time from
# a freshly simulated toy cube (2 replicates, 2019..2021) by its recipe
# (tests/bad/cubes/make_cases.py, h5py), and must give its exit code, exactly one line
# on stderr containing its fragment, nothing on stdout, and leave the cube(s) it read
# byte for byte unchanged.
set -u
BIN=${HWSIM_BIN:?HWSIM_BIN must point at the hwsim binary}
SRC=${HWSIM_SOURCE_DIR:?}
DIR=$SRC/tests/bad/cubes
TOY=$SRC/tests/data/toy.yaml
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
toyrun() { (cd "$T" && "$BIN" run "$TOY" --replicates 2 --end-year 2021 --quiet "$@") >/dev/null 2>"$T/err"; }

mkdir "$T/c"
toyrun -o "$T/base.h5" || { echo "FAIL: toy run: $(cat "$T/err")"; exit 1; }
cat >"$T/targets.csv" <<'CSV'
measure,group,sex,age_band,sector,year,value,tolerance,source,note
persons,nurse,all,all,all,2021,17000,500,test,
CSV
# the cases made by another run (run:ARGS), then the h5py recipes
while IFS='|' read -r name _ _ _ recipe; do
  name=$(echo "$name" | xargs) recipe=$(echo "$recipe" | sed 's/^ *//')
  case "$recipe" in run:*) toyrun -o "$T/c/$name.h5" ${recipe#run:} || bad "$name: run failed: $(cat "$T/err")" ;; esac
done < <(grep -v '^#' "$DIR/CASES" | grep .)
/usr/bin/python3 "$DIR/make_cases.py" "$DIR/CASES" "$T/base.h5" "$T/c" || bad "make_cases.py failed"

sums() { find "$@" -maxdepth 0 -type f -exec sha256sum {} + 2>/dev/null; }

# check NAME CODE FRAGMENT ARGS...: run hwsim, then the exit code, stderr, stdout, checksums
check() {
  local name=$1 code=$2 frag=$3; shift 3
  local case=$T/c/$name.h5 before after rc
  local -a args=()
  rm -f "$T/r.h5" "$T/r.h5.partial"
  if [ "$1" = resume ]; then
    [ -e "$case" ] && cp "$case" "$T/r.h5.partial"
    case=$T/r.h5.partial
    args=(run "$TOY" --replicates 2 --end-year 2021 --quiet -o "$T/r.h5" --resume)
  else
    for a in "$@"; do
      case "$a" in @) args+=("$case") ;; @BASE) args+=("$T/base.h5") ;; @TARGETS) args+=("$T/targets.csv") ;; *) args+=("$a") ;; esac
    done
  fi
  before=$(sums "$case" "$T/base.h5")
  (cd "$T" && timeout 120 "$BIN" "${args[@]}" >"$T/stdout" 2>"$T/stderr"); rc=$? # 124: a hang
  after=$(sums "$case" "$T/base.h5")
  if [ $rc -ne "$code" ]; then bad "$name: exit $rc, expected $code: $(cat "$T/stderr")"; return; fi
  if [ "$(wc -l <"$T/stderr")" -ne 1 ]; then bad "$name: $(wc -l <"$T/stderr") stderr lines, expected 1: $(cat "$T/stderr")"; return; fi
  if ! grep -qF -- "$frag" "$T/stderr"; then bad "$name: stderr '$(cat "$T/stderr")' lacks '$frag'"; return; fi
  if [ -s "$T/stdout" ]; then bad "$name: printed to stdout: $(head -c 200 "$T/stdout")"; return; fi
  if [ "$before" != "$after" ]; then bad "$name: an input cube changed"; return; fi
  if [ -e "$T/r.h5" ]; then bad "$name: resume wrote $T/r.h5"; return; fi
  pass=$((pass + 1))
}

n=0
while IFS='|' read -r name cmd code frag _; do
  name=$(echo "$name" | xargs) code=$(echo "$code" | xargs)
  frag=$(echo "$frag" | sed 's/^ *//; s/ *$//')
  read -r -a words <<<"$cmd"
  check "$name" "$code" "$frag" "${words[@]}"
  n=$((n + 1))
done < <(grep -v '^#' "$DIR/CASES" | grep .)
[ "$n" -ge 20 ] || bad "only $n cases in the corpus"

# a measure name that spans lines is quoted on the one error line
check base 2 "no measure 'a?b'" summary @BASE --measure "$(printf 'a\nb')"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
