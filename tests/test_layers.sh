#!/usr/bin/env bash
# The module layers (tools/check-layers.py): every module has a layer, includes
# only its own or lower layers, and the include graph has no cycle.  A check
# that cannot fail is no check: a copy of the tree with one upward include
# added must be refused.
set -u
SRC=${HWSIM_SOURCE_DIR:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
if /usr/bin/python3 "$SRC/tools/check-layers.py" "$SRC"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
mkdir -p "$T/sim" "$T/agents" "$T/calibration" "$T/outputs" "$T/benchmarks"
for d in sim agents calibration outputs benchmarks; do cp "$SRC/$d"/*.[ch] "$T/$d/"; done
printf '#include "engine.h"\n' >>"$T/sim/rng.h" # base including the model layer, and a cycle
if /usr/bin/python3 "$SRC/tools/check-layers.py" "$T" >"$T/out"; then
  fail=$((fail + 1)); echo "FAIL: an upward include was not refused"
elif grep -q "higher layer" "$T/out" && grep -q "include cycle" "$T/out"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: unexpected report: $(cat "$T/out")"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
