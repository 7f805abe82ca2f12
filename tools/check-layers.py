#!/usr/bin/env python3
"""The module layers of hwsim, checked.

A module is x.c + x.h (same folder, same stem); module A depends on B when A's
.c or .h includes B's header.  Every module belongs to one layer below; a
module may include modules of its own layer or of lower layers only, and the
include graph must have no cycle.  A new module must be given a layer here.

Usage: tools/check-layers.py [ROOT]   (exit 0: layered and acyclic; 1: not)
"""
import os
import re
import sys

# Lowest first.  Within a layer, includes are allowed in any direction but
# must not form a cycle.
LAYERS = [
    ("base", """sim/dims sim/rng sim/normal_icdf sim/cli sim/fsutil sim/alloc agents/agent calibration/hash
                calibration/csvtab outputs/oututil outputs/stats"""),
    ("data", """sim/measures sim/tally sim/scenario calibration/params calibration/params_load
                calibration/params_doctors calibration/params_check calibration/calibspec
                calibration/uncertainty"""),
    ("model", """agents/event agents/process agents/doctors agents/lifecourse
                 agents/demography agents/retirement agents/employment agents/position
                 agents/sickleave agents/education agents/migration agents/interventions
                 sim/population calibration/basepop sim/engine"""),
    ("output", """outputs/cube_read outputs/cube outputs/summary_table outputs/summary
                  outputs/cube_replicate sim/layout"""),
    ("drivers", """calibration/targets calibration/calibrate
                   calibration/calibrate_cli calibration/calibreport sim/mpi_driver sim/run
                   benchmarks/bench sim/main"""),
]
FOLDERS = ("sim", "agents", "calibration", "outputs", "benchmarks")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def modules(root):
    files = [os.path.join(d, f) for d in FOLDERS if os.path.isdir(os.path.join(root, d))
             for f in sorted(os.listdir(os.path.join(root, d))) if f.endswith((".c", ".h"))]
    headers = {}
    for f in files:
        if f.endswith(".h"):
            headers.setdefault(os.path.basename(f), []).append(f)
    deps = {}
    for f in files:
        mod = os.path.splitext(f)[0]
        deps.setdefault(mod, set())
        text = open(os.path.join(root, f), errors="replace").read()
        for h in INCLUDE.findall(text):
            cands = headers.get(os.path.basename(h), [])
            if len(cands) == 1 and os.path.splitext(cands[0])[0] != mod:
                deps[mod].add(os.path.splitext(cands[0])[0])
    return deps


def find_cycle(deps):
    """One cycle as a list of modules, or None (iterative depth-first search)."""
    state = {}
    for start in sorted(deps):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(deps[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, iter(sorted(deps.get(nxt, ())))))
                path.append(nxt)
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    layer = {m: i for i, (_, mods) in enumerate(LAYERS) for m in mods.split()}
    deps = modules(root)
    problems = []
    for m in sorted(deps):
        if m not in layer:
            problems.append(f"{m}: no layer (give it one in tools/check-layers.py)")
    for m in sorted(deps):
        for d in sorted(deps[m]):
            if m in layer and d in layer and layer[d] > layer[m]:
                problems.append(f"{m} ({LAYERS[layer[m]][0]}) includes {d} "
                                f"({LAYERS[layer[d]][0]}), a higher layer")
    cycle = find_cycle(deps)
    if cycle:
        problems.append("include cycle: " + " -> ".join(cycle))
    edges = sum(len(v) for v in deps.values())
    for p in problems:
        print("FAIL:", p)
    print(f"{len(deps)} modules, {edges} include edges, {len(LAYERS)} layers: "
          f"{'layered and acyclic' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
