#!/usr/bin/env python3
"""Interventions: closed-form effects, exact zero effects, common random numbers.

1. Closed form (tests/data/static: 20 000 nurses, nobody moves, position
   shares exactly 25 % at 50, 25 % at 80, 50 % at 100 by stratified draws):
   * baseline FTE = 20 000 x (0.25 x 0.5 + 0.25 x 0.8 + 0.5 x 1.0) = 16 500;
   * a 100 % floor from 2020 gives FTE = persons = 20 000 in 2020-2022;
   * an 80 % floor gives 20 000 x (0.5 x 0.8 + 0.5 x 1.0) = 18 000;
   * long shifts +20 points: 50 -> 70, 80 -> 100, 100 stays: +0.5 x 0.2 x 20 000
     = +2 000 FTE; with uptake 0.5 half of that (+-1 % for the hashed coverage:
     binomial sd sqrt(10000 x 0.25) = 50 persons of 10 000 eligible -> 0.5 % ;
     we allow 4 sd = 2 %).
2. A measure of size zero (factor 1, level 0, years 0, add 0) on the busy toy
   gives bit-identical datasets (h5diff).
3. Common random numbers: on the busy toy the paired 90 % interval of the
   effect of an 80 % floor (same seed) is at least 3x narrower than the
   unpaired one (variant run with another seed).
"""
import csv
import io
import os
import subprocess
import sys
import tempfile

import numpy as np
import xarray as xr

BIN = os.environ["HWSIM_BIN"]
SRC = os.environ["HWSIM_SOURCE_DIR"]
HEALTH = ["municipal", "specialist", "other_health"]
failures = []
passes = 0


def check(cond, msg):
    global passes
    print(("ok   " if cond else "FAIL ") + msg)
    if cond:
        passes += 1
    else:
        failures.append(msg)


def scenario(tmp, name, data, end, reps, seed, ivs):
    path = os.path.join(tmp, name + ".yaml")
    with open(path, "w") as f:
        f.write(f"name: {name}\nstart_year: 2019\nend_year: {end}\nreplicates: {reps}\n"
                f"seed: {seed}\ndata: {os.path.join(SRC, 'tests/data', data)}\n")
        if ivs:
            f.write("interventions:\n" + ivs)
    return path


def run(tmp, name, data, end, reps, seed, ivs=""):
    out = os.path.join(tmp, name + ".h5")
    subprocess.run([BIN, "run", scenario(tmp, name, data, end, reps, seed, ivs), "-o", out, "--quiet"],
                   check=True)
    return out


def fte(path):
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return ds["fte"].sel(sector=HEALTH).sum(["group", "sex", "age_band", "sector"]).values


def main():
    with tempfile.TemporaryDirectory() as tmp:
        # 1. closed forms on the static population
        base = fte(run(tmp, "st_base", "static", 2022, 3, 11))
        check(np.all(base == 16500.0), f"static baseline FTE 16 500 every year: {base[0]}")
        f100 = fte(run(tmp, "st_f100", "static", 2022, 3, 11,
                       "  - type: pshare_floor\n    level: 100\n    start: 2020\n"))
        check(np.all(f100[:, 0] == 16500.0) and np.all(f100[:, 1:] == 20000.0),
              f"100 % floor: 16 500 in 2019 then 20 000: {f100[0]}")
        f80 = fte(run(tmp, "st_f80", "static", 2022, 3, 11,
                      "  - type: pshare_floor\n    level: 80\n    start: 2021\n"))
        check(np.all(f80[:, :2] == 16500.0) and np.all(f80[:, 2:] == 18000.0),
              f"80 % floor from 2021: 18 000 from 2021: {f80[0]}")
        ls = fte(run(tmp, "st_ls", "static", 2022, 3, 11,
                     "  - type: long_shifts\n    level: 20\n    start: 2020\n"))
        check(np.all(np.abs(ls[:, 1:] - 18500.0) <= 2.0), f"long shifts +20 points: +2 000: {ls[0]}")
        lsh = fte(run(tmp, "st_lsh", "static", 2022, 3, 11,
                      "  - type: long_shifts\n    level: 20\n    start: 2020\n    uptake: 0.5\n"))
        eff = lsh[:, 1:] - 16500.0
        check(np.all(np.abs(eff / 1000.0 - 1) <= 0.02), f"long shifts, uptake 0.5: +1 000 +-2 %: {eff[0]}")

        # the CSV contract of `hwsim summary` on the closed form: header, one row
        # per year, every replicate 16 500 so mean = p05 = p50 = p95 = 16 500
        r = subprocess.run([BIN, "summary", os.path.join(tmp, "st_base.h5"), "--csv"],
                           capture_output=True, text=True, check=True)
        rows = list(csv.reader(io.StringIO(r.stdout)))
        check(rows[0] == ["year", "mean", "p05", "p50", "p95"], f"summary --csv header {rows[0]}")
        check([row[0] for row in rows[1:]] == ["2019", "2020", "2021", "2022"], "one row per year")
        check(all(float(x) == 16500.0 for row in rows[1:] for x in row[1:]),
              "summary --csv: mean and quantiles 16 500 in every year")
        r = subprocess.run([BIN, "compare", os.path.join(tmp, "st_base.h5"),
                            os.path.join(tmp, "st_f100.h5"), "--csv", "--years", "2022"],
                           capture_output=True, text=True, check=True)
        rows = list(csv.reader(io.StringIO(r.stdout)))
        check(rows[1] == ["2022", "3500.00", "3500.00", "3500.00", "3500.00"],
              f"compare --csv: 100 % floor effect 20 000 - 16 500 = 3 500: {rows[1]}")

        # 2. zero-size measures change nothing, bit for bit
        zero = ("  - type: pshare_floor\n    level: 0\n"
                "  - type: long_shifts\n    level: 0\n"
                "  - type: later_retirement\n    years: 0\n"
                "  - type: disability\n    factor: 1\n"
                "  - type: sick_leave\n    factor: 1\n    duration_factor: 1\n"
                "  - type: retention\n    factor: 1\n    first_years: 2\n"
                "  - type: retention\n    factor: 1\n"
                "  - type: study_places\n    groups: [nurse]\n    add: 0\n"
                "  - type: completion\n    factor: 1\n"
                "  - type: recruitment_abroad\n    factor: 1\n    add: 0\n"
                "  - type: extend_working_life\n    years: 0\n"
                "  - type: demand_factor\n    factor: 1\n")
        b = run(tmp, "busy_base", "toy", 2026, 3, 5)
        z = run(tmp, "busy_zero", "toy", 2026, 3, 5, zero)
        datasets = [row.split(",")[0] for row in subprocess.run(
            [BIN, "datasets"], check=True, capture_output=True, text=True).stdout.splitlines()[1:]]
        check(len(datasets) >= 10, f"hwsim datasets lists the measures: {datasets}")
        for d in datasets:
            r = subprocess.run(["h5diff", b, z, "/" + d, "/" + d], capture_output=True)
            check(r.returncode == 0, f"zero-size measures leave {d} bit-identical")

        # 3. common random numbers: paired vs unpaired 90 % intervals
        n = 12
        b = fte(run(tmp, "crn_base", "toy", 2030, n, 5))
        v = fte(run(tmp, "crn_var", "toy", 2030, n, 5,
                    "  - type: pshare_floor\n    level: 80\n    start: 2025\n"))
        w = fte(run(tmp, "crn_other", "toy", 2030, n, 6,
                    "  - type: pshare_floor\n    level: 80\n    start: 2025\n"))
        paired = v[:, -1] - b[:, -1]
        unpaired = w[:, -1] - b[:, -1]
        wp = np.quantile(paired, 0.95) - np.quantile(paired, 0.05)
        wu = np.quantile(unpaired, 0.95) - np.quantile(unpaired, 0.05)
        check(paired.mean() > 0, f"an 80 % floor raises FTE: {paired.mean():.1f}")
        check(wu >= 3 * wp, f"paired 90 % interval {wp:.1f} at least 3x narrower than unpaired {wu:.1f}")
    print(f"{passes} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
