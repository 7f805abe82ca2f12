#!/usr/bin/env python3
"""docs/outputs.md agrees with the measures table (sim/measures.h).

`hwsim datasets` prints the table the cube is written from; every dataset must
have a row in one of the "| Measure | Axes | Units | scale_factor | ..." tables
of docs/outputs.md with the same axes (in storage order) and scale_factor, and
every row of those tables must be a dataset the code writes.
"""
import csv
import io
import os
import re
import subprocess
import sys

BIN = os.environ["HWSIM_BIN"]
SRC = os.environ["HWSIM_SOURCE_DIR"]

out = subprocess.run([BIN, "datasets"], check=True, capture_output=True, text=True).stdout
code = {r["dataset"]: r for r in csv.DictReader(io.StringIO(out))}

doc = {}
in_table = False
for line in open(os.path.join(SRC, "docs", "outputs.md"), encoding="utf-8"):
    if line.startswith("| Measure |"):
        in_table = True
        continue
    if not line.startswith("|"):
        in_table = False
        continue
    m = re.match(r"\|\s*`([a-z_0-9]+)`\s*\|([^|]*)\|([^|]*)\|([^|]*)\|", line)
    if in_table and m:
        doc[m.group(1)] = {"axes": m.group(2).strip(), "scale": m.group(4).strip()}

fail = checks = 0
def check(ok, msg):
    global fail, checks
    checks += 1
    if not ok:
        fail += 1
        print("FAIL:", msg)

for name, r in code.items():
    check(name in doc, f"dataset {name} has no row in docs/outputs.md")
    if name not in doc:
        continue
    check(doc[name]["axes"] == r["axes"],
          f"{name}: docs say axes '{doc[name]['axes']}', the code writes '{r['axes']}'")
    want = "–" if float(r["scale_factor"]) == 1 else r["scale_factor"]
    check(doc[name]["scale"] == want,
          f"{name}: docs say scale_factor '{doc[name]['scale']}', the code writes '{want}'")
for name in doc:
    check(name in code, f"docs/outputs.md documents {name}, which the code does not write")
check(len(code) >= 10, f"hwsim datasets listed only {len(code)} datasets")
print(f"{checks - fail} passed, {fail} failed")
sys.exit(1 if fail else 0)
