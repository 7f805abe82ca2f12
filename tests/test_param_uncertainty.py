#!/usr/bin/env python3
"""Parameter uncertainty: per-replicate draws of the fitted multipliers.

On the shipped Norway data (2019-2026, 12 replicates = 3 draws x 4):
  * with draws, the 90 % band of nurse FTE in 2026 is wider than without
    (the fitted parameters act on nurses; required: at least 1.5x);
  * `summary --decompose` adds up: SS_between + SS_within = SS_total (one-way
    ANOVA identity, to printing precision), and the parameter share is in [0, 1];
  * the draws depend only on (seed, replicate): 1 and 2 threads give identical
    cubes;
  * --decompose on a file without nested replicates is refused (exit 2).
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
SCN = os.path.join(SRC, "sim/scenarios/baseline.yaml")
HEALTH = ["municipal", "specialist", "other_health"]
fails, passes = [], 0


def check(cond, msg):
    global passes
    print(("ok   " if cond else "FAIL ") + msg)
    if cond:
        passes += 1
    else:
        fails.append(msg)


def run(out, *extra):
    subprocess.run([BIN, "run", SCN, "-o", out, "--replicates", "12", "--end-year", "2026",
                    "--quiet", *extra], check=True)


def band(path):
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        x = ds["fte"].sel(year=2026, group="nurse", sector=HEALTH).sum(["sex", "age_band", "sector"]).values
    return np.quantile(x, 0.95) - np.quantile(x, 0.05)


with tempfile.TemporaryDirectory() as tmp:
    a, b, c = (os.path.join(tmp, n) for n in ("draws.h5", "point.h5", "draws_t1.h5"))
    run(a, "--replicates-per-draw", "4", "--threads", "2")
    run(b, "--no-param-uncertainty")
    wa, wb = band(a), band(b)
    check(wa >= 1.5 * wb, f"nurse FTE 2026 band with draws {wa:.0f} >= 1.5 x without {wb:.0f}")
    r = subprocess.run([BIN, "summary", a, "--decompose", "--csv", "--by", "group", "--years", "2026"],
                       capture_output=True, text=True, check=True)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    ok = all(abs(float(x["ss_between"]) + float(x["ss_within"]) - float(x["ss_total"]))
             <= 1e-5 * max(1.0, float(x["ss_total"])) for x in rows)
    check(ok and len(rows) == 15, "SS_between + SS_within = SS_total for every group")
    check(all(0.0 <= float(x["param_share"]) <= 1.0 for x in rows), "parameter shares in [0, 1]")
    nurse = [x for x in rows if x["group"] == "nurse"][0]
    check(float(nurse["param_share"]) > 0.3,
          f"for nurses most of the band is parameter uncertainty: share {nurse['param_share']}")
    run(c, "--replicates-per-draw", "4", "--threads", "1")
    for d in ("fte", "persons", "exits"):
        res = subprocess.run(["h5diff", a, c, "/" + d, "/" + d], capture_output=True)
        check(res.returncode == 0, f"draws identical on 1 and 2 threads: {d}")
    r = subprocess.run([BIN, "summary", b, "--decompose"], capture_output=True, text=True)
    check(r.returncode == 2 and "needs nested replicates" in r.stderr,
          "--decompose refused without nested replicates")
print(f"{passes} passed, {len(fails)} failed")
sys.exit(1 if fails else 0)
