#!/usr/bin/env python3
"""Docking with HELSEMOD: a result cube next to SSB's reference path (issue 13).

Usage: /usr/bin/python3 tools/dock.py CUBE.h5 [--markdown OUT.md]

Sections, each from the cube alone (and the data's demand.csv for the gaps):
  1. supply (contracted FTE in the health services) by group, 2019 and 2040, against
     NOU 2023:4 Table 2.2 (calibration/norway/docking.csv; tolerance 5 % a group in 2040,
     2 % for the 14 groups' total, 1 % in 2019);
  2. agreed FTE of all staff by sector, 2020 and 2021, against Figure 4.4 (3 %);
  3. the 2040 gap (supply - demand) by group and demand alternative against Table 2.1
     (calibration/norway/docking_gap.csv): simulated supply minus the demand in the data's
     demand.csv (HELSEMOD's Table 2.5, the same demand the engine uses); tolerance 15 %;
  4. the share aged 55+ by group in 2019, 2030 and 2040 (persons in the health services);
  5. the share of employed persons in the health services below a 50 % and a 70 % position,
     by group, 2019 and 2040.
Supply values in 1 and 2 come from `hwsim calibrate --evaluate` (tools/validate.py), the
mean over replicates of each replicate's value; 4 and 5 are means over replicates too.
Exit 0 when the report is written; the report says which rows are within tolerance.
"""
import csv
import os
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from validate import cube_line, emit, simulated  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
NORWAY = os.path.join(HERE, "..", "calibration", "norway")
HEALTH = ("municipal", "specialist", "other_health")
GAP_TOL = 0.15


def labels(f, name):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in f[name][:]]


def pct(v, ref):
    return 100.0 * (v - ref) / abs(ref) if ref else float("nan")


def supply_rows(cube):
    """2019 supply by group from targets.csv (the base-year targets, the same Table 2.2 column),
    then docking.csv (2040 by group, 2020-2021 by sector): the two files calibrate fits to."""
    base = [(t, v) for t, v in simulated(cube, os.path.join(NORWAY, "targets.csv"))
            if t["measure"] == "fte" and t["sector"] == "all" and t["year"] == "2019"]
    rows = []
    for t, v in base + simulated(cube, os.path.join(NORWAY, "docking.csv")):
        ref, tol = float(t["value"]), float(t["tolerance"])
        rows.append((t, v, ref, tol, abs(v - ref) <= tol))
    return rows


def section_supply(rows, sector_rows):
    out = ["| group | year | HELSEMOD | hwsim | diff | within |", "|---|---|---|---|---|---|"]
    for t, v, ref, tol, ok in rows:
        if t["sector"] != "all":
            continue
        out.append(f"| {t['group']} | {t['year']} | {ref:,.0f} | {v:,.0f} | {pct(v, ref):+.1f} % | "
                   f"{'yes' if ok else '**no**'} (±{100 * tol / ref:.0f} %) |")
    out += ["", "| sector | year | Figure 4.4 | hwsim | diff | within |", "|---|---|---|---|---|---|"]
    for t, v, ref, tol, ok in sector_rows:
        out.append(f"| {t['sector']} | {t['year']} | {ref:,.0f} | {v:,.0f} | {pct(v, ref):+.1f} % | "
                   f"{'yes' if ok else '**no**'} (±{100 * tol / ref:.0f} %) |")
    return out


def section_gap(rows, demand_path):
    sim2040 = {t["group"]: v for t, v, *_ in rows if t["year"] == "2040" and t["sector"] == "all"}
    demand = {}
    with open(demand_path, newline="") as f:
        for r in csv.DictReader(f):
            if r["year"] == "2040":
                demand[(r["group"], r["alternative"])] = float(r["fte"])
    for alt in ("low", "middle", "high"):
        demand[("all", alt)] = sum(v for (g, a), v in demand.items() if a == alt and g != "all")
    out = ["| group | alternative | HELSEMOD gap | hwsim gap | diff | within ±15 % |",
           "|---|---|---|---|---|---|"]
    with open(os.path.join(NORWAY, "docking_gap.csv"), newline="") as f:
        for r in csv.DictReader(f):
            g, alt, ref = r["group"], r["alternative"], float(r["gap"])
            if g not in sim2040 or (g, alt) not in demand:
                continue
            v = sim2040[g] - demand[(g, alt)]
            ok = abs(v - ref) <= GAP_TOL * abs(ref)
            out.append(f"| {g} | {alt} | {ref:+,.0f} | {v:+,.0f} | {v - ref:+,.0f} | "
                       f"{'yes' if ok else '**no**'} |")
    return out


def health_persons(f, measure):
    """Mean over replicates of `measure` summed over sex and the health sectors: [year, group, ...]."""
    d = f[measure]
    names = [d.dims[k][0].name.split("/")[-1] for k in range(d.ndim)]
    x = d[...].astype(np.float64)
    sec = names.index("sector")
    keep = [labels(f, "sector").index(s) for s in HEALTH]
    x = np.take(x, keep, axis=sec).sum(axis=sec)
    names.pop(sec)
    if "sex" in names:
        x = x.sum(axis=names.index("sex"))
        names.remove("sex")
    return x.mean(axis=0), names[1:]


def section_age(f, years):
    x, names = health_persons(f, "persons")  # year, group, age_band
    ybase = int(f["year"][0])
    bands = labels(f, "age_band")
    old = [i for i, b in enumerate(bands) if int(b.split("-")[0]) >= 55]
    out = ["| group | " + " | ".join(str(y) for y in years) + " |",
           "|---|" + "---|" * len(years)]
    for gi, g in enumerate(labels(f, "group")):
        cells = []
        for y in years:
            row = x[y - ybase, gi]
            cells.append(f"{100 * row[old].sum() / row.sum():.1f} %" if row.sum() > 0 else "")
        out.append(f"| {g} | " + " | ".join(cells) + " |")
    return out


def section_pshare(f, years):
    x, names = health_persons(f, "persons_by_pshare")  # year, group, pshare_band
    ybase = int(f["year"][0])
    bands = labels(f, "pshare_band")
    lt50 = [bands.index("lt50")]
    lt70 = [bands.index("lt50"), bands.index("50-69")]
    out = ["| group | " + " | ".join(f"<50 % {y} | <70 % {y}" for y in years) + " |",
           "|---|" + "---|" * (2 * len(years))]
    for gi, g in enumerate(labels(f, "group")):
        cells = []
        for y in years:
            row = x[y - ybase, gi]
            n = row.sum()
            cells += [f"{100 * row[lt50].sum() / n:.1f} %", f"{100 * row[lt70].sum() / n:.1f} %"] \
                if n > 0 else ["", ""]
        out.append(f"| {g} | " + " | ".join(cells) + " |")
    return out


def main(argv):
    if len(argv) < 2 or argv[1].startswith("--"):
        print(__doc__, file=sys.stderr)
        return 2
    cube = argv[1]
    out_path = argv[argv.index("--markdown") + 1] if "--markdown" in argv else None
    rows = supply_rows(cube)
    group_rows = [r for r in rows if r[0]["sector"] == "all"]
    sector_rows = [r for r in rows if r[0]["sector"] != "all"]
    with h5py.File(cube, "r") as f:
        data_dir = f.attrs.get("data_dir")
        data_dir = data_dir.decode() if isinstance(data_dir, bytes) else data_dir
        years = [y for y in (2019, 2030, 2040) if int(f["year"][0]) <= y <= int(f["year"][-1])]
        age = section_age(f, years)
        psh = section_pshare(f, [y for y in (2019, 2040) if y in years])
    demand_path = os.path.join(data_dir or NORWAY, "demand.csv")
    lines = [cube_line(cube, "; made by `tools/dock.py`"), "",
             "Every model value is the mean over the cube's replicates; no band is printed. "
             "`hwsim summary` gives the replicates' 5-95 % range, which holds Monte Carlo noise "
             "and what the cube drew per draw (its `uncertainty_sources`: the fitted multipliers "
             "and the assumed inputs by default), not the uncertainty of the data, of demand or of "
             "HELSEMOD's own path.", "",
             "**Supply by group (Table 2.2) and agreed FTE by sector (Figure 4.4).**", ""]
    lines += section_supply(group_rows, sector_rows)
    n_ok = sum(1 for r in rows if r[4])
    lines += ["", f"Within tolerance: {n_ok} of {len(rows)}.", "",
              "**The 2040 gap by demand alternative (Table 2.1).** hwsim gap = simulated 2040 "
              "supply minus the data's 2040 demand (demand.csv, HELSEMOD Table 2.5).", ""]
    lines += section_gap(group_rows, demand_path)
    lines += ["", "**Share aged 55+** (persons in the health services).", ""] + age
    lines += ["", "**Share below a 50 % and a 70 % position** (employed persons in the health "
              "services).", ""] + psh
    emit(lines, out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
