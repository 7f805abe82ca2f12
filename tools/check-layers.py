#!/usr/bin/env python3
"""The module layers of hwsim, checked.

A module is x.c + x.h (same folder, same stem); module A depends on B when A's
.c or .h includes B's header.  Every module belongs to one layer below; a
module may include modules of its own layer or of lower layers only, and the
include graph must have no cycle.  A new module must be given a layer here.

It also checks the allocation rule: no library file (.c/.h in the folders
below) other than sim/alloc.c calls malloc, calloc, realloc, strdup (or their
relatives) or exit: allocations go through hw_alloc / hw_realloc / hw_strdup
(sim/alloc.h) and errors travel back to the command, which reports them.

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
                calibration/params_doctors calibration/params_flows calibration/params_demand calibration/params_assumed calibration/params_check
                calibration/calibspec
                calibration/uncertainty"""),
    ("model", """agents/event agents/process agents/doctors agents/lifecourse
                 agents/demography agents/retirement agents/employment agents/position
                 agents/sickleave agents/education agents/migration agents/interventions
                 agents/conversion
                 sim/population calibration/basepop sim/demand sim/engine"""),
    ("output", """outputs/cube_read outputs/cube outputs/summary_table outputs/summary
                  outputs/cube_replicate sim/layout"""),
    ("drivers", """calibration/targets calibration/calibrate
                   calibration/calibrate_cli calibration/calibreport sim/mpi_driver sim/run
                   benchmarks/bench sim/main"""),
]
FOLDERS = ("sim", "agents", "calibration", "outputs", "benchmarks")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# The allocation rule: only sim/alloc.c allocates from the C library, and nothing exits.
ALLOC_ONLY = "sim/alloc.c"
RAW_CALL = re.compile(r"\b(malloc|calloc|realloc|reallocarray|strdup|strndup|aligned_alloc|"
                      r"posix_memalign|exit|_Exit|quick_exit)\s*\(")
CODE_SKIP = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def library_files(root):
    return [os.path.join(d, f) for d in FOLDERS if os.path.isdir(os.path.join(root, d))
            for f in sorted(os.listdir(os.path.join(root, d))) if f.endswith((".c", ".h"))]


def raw_allocations(root):
    """FILE:LINE: call for each malloc/calloc/realloc/strdup/exit outside sim/alloc.c
    (comments and string literals are blanked first, keeping the line numbers)."""
    found = []
    for f in library_files(root):
        if f == ALLOC_ONLY:
            continue
        text = open(os.path.join(root, f), errors="replace").read()
        code = CODE_SKIP.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        for m in RAW_CALL.finditer(code):
            line = code.count("\n", 0, m.start()) + 1
            found.append(f"{f}:{line}: calls {m.group(1)}() (expected hw_alloc / hw_realloc / "
                         f"hw_strdup from sim/alloc.h, and an error returned to the command "
                         f"instead of exit)")
    return found


def modules(root):
    files = library_files(root)
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
    raw = raw_allocations(root)
    problems += raw
    edges = sum(len(v) for v in deps.values())
    for p in problems:
        print("FAIL:", p)
    print(f"{len(deps)} modules, {edges} include edges, {len(LAYERS)} layers, "
          f"{len(raw)} raw allocations or exits: "
          f"{'layered, acyclic, allocating through sim/alloc' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
