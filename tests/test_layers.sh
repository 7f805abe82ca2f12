#!/usr/bin/env bash
# The module layers (tools/check-layers.py): every module has a layer, includes
# only its own or lower layers, and the include graph has no cycle; and no library
# file but sim/alloc.c calls malloc/calloc/realloc/strdup or exit.  A check
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
# The allocation rule: a raw malloc( in a library file (a fresh copy, so the include above
# does not count) must be refused with its FILE:LINE; one in a comment or string must not.
rm -rf "$T/sim" "$T/agents" "$T/calibration" "$T/outputs" "$T/benchmarks"
mkdir -p "$T/sim" "$T/agents" "$T/calibration" "$T/outputs" "$T/benchmarks"
for d in sim agents calibration outputs benchmarks; do cp "$SRC/$d"/*.[ch] "$T/$d/"; done
printf '/* not malloc(1) */\nstatic const char *const stats_note = "exit(1)";\n' >>"$T/outputs/stats.c"
if ! /usr/bin/python3 "$SRC/tools/check-layers.py" "$T" >"$T/out"; then
  fail=$((fail + 1)); echo "FAIL: a malloc( in a comment or string was refused: $(cat "$T/out")"
else
  pass=$((pass + 1))
fi
line=$(($(wc -l <"$T/outputs/stats.c") + 1))
printf 'static void *stats_raw(void) { return malloc(8); }\n' >>"$T/outputs/stats.c"
if /usr/bin/python3 "$SRC/tools/check-layers.py" "$T" >"$T/out"; then
  fail=$((fail + 1)); echo "FAIL: a raw malloc( was not refused"
elif grep -q "^FAIL: outputs/stats.c:$line: calls malloc()" "$T/out" && [ "$(grep -c '^FAIL' "$T/out")" -eq 1 ]; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: unexpected report: $(cat "$T/out")"
fi
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
