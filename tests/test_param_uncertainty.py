#!/usr/bin/env python3
"""Parameter uncertainty: per-replicate draws of the fitted multipliers and the assumed inputs.

On the shipped Norway data (2019-2026):
  * fitted draws only (assumed_uncertainty: false; 12 replicates = 3 draws x 4): the 90 % band
    of nurse FTE in 2026 is wider than without draws (at least 1.5x); `summary --decompose`
    adds up: SS_between + SS_within = SS_total (one-way ANOVA identity, to printing
    precision), and the parameter share is in [0, 1];
  * with the assumed inputs drawn too (the default; 18 replicates = 3 blocks x 3 draws x 2)
    the band of physicians' FTE (whose exits, immigration and GP list leaving are assumed
    inputs, not fitted) is wider than with fitted draws alone, and `--decompose` by source
    gives parts that add up: var_mc + var_param = var_total;
  * with every source off (--no-param-uncertainty) the cube equals, dataset for dataset, a run
    on a copy of the data without assumed.csv and fitted_cov.csv: the machinery changes
    nothing when nothing is drawn;
  * the draws depend only on (seed, replicate): 1 and 2 threads give identical cubes;
  * --decompose on a file without nested replicates is refused (exit 2).
"""
import csv
import io
import os
import subprocess
import sys
import tempfile

import shutil

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


def run(out, *extra, scn=SCN, reps="12"):
    subprocess.run([BIN, "run", scn, "-o", out, "--replicates", reps, "--end-year", "2026",
                    "--quiet", *extra], check=True)


def band(path, group="nurse"):
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        x = ds["fte"].sel(year=2026, group=group, sector=HEALTH).sum(["sex", "age_band", "sector"]).values
    return np.quantile(x, 0.95) - np.quantile(x, 0.05)


def scenario(tmp, name, extra, data=os.path.join(SRC, "calibration/norway")):
    """The baseline with its data path made absolute and `extra` appended."""
    path = os.path.join(tmp, name + ".yaml")
    with open(SCN) as f, open(path, "w") as g:
        for line in f:
            g.write(f"data: {data}\n" if line.startswith("data:") else line)
        g.write(extra)
    return path


with tempfile.TemporaryDirectory() as tmp:
    a, b, c = (os.path.join(tmp, n) for n in ("draws.h5", "point.h5", "draws_t1.h5"))
    fitted_only = scenario(tmp, "fitted_only", "assumed_uncertainty: false\n")
    run(a, "--replicates-per-draw", "4", "--threads", "2", scn=fitted_only)
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
    run(c, "--replicates-per-draw", "4", "--threads", "1", scn=fitted_only)
    for d in ("fte", "persons", "exits"):
        res = subprocess.run(["h5diff", a, c, "/" + d, "/" + d], capture_output=True)
        check(res.returncode == 0, f"draws identical on 1 and 2 threads: {d}")
    r = subprocess.run([BIN, "summary", b, "--decompose"], capture_output=True, text=True)
    check(r.returncode == 2 and "needs nested replicates" in r.stderr,
          "--decompose refused without nested replicates")
    # the assumed inputs drawn too (the default), against fitted draws alone, same design size
    e, f = os.path.join(tmp, "all.h5"), os.path.join(tmp, "fitted18.h5")
    run(e, reps="18")
    run(f, reps="18", scn=fitted_only)
    we, wf = band(e, "physician"), band(f, "physician")
    check(we > 1.5 * wf, f"physician FTE 2026 band with assumed inputs {we:.0f} > 1.5 x fitted only {wf:.0f}")
    r = subprocess.run([BIN, "summary", e, "--decompose", "--csv", "--by", "group", "--years", "2026"],
                       capture_output=True, text=True, check=True)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    ok = len(rows) == 15 and all(abs(float(x["var_mc"]) + float(x["var_param"]) - float(x["var_total"]))
                                 <= 1e-4 * max(1.0, float(x["var_total"])) for x in rows)
    check(ok and "var_assumed" in rows[0] and "var_fitted" in rows[0],
          "--decompose by source: var_mc + var_param = var_total, with fitted and assumed columns")
    # every source off: the same cube as a run on data without the draws' files
    nodraw = os.path.join(tmp, "nodraw")
    shutil.copytree(os.path.join(SRC, "calibration/norway"), nodraw)
    os.remove(os.path.join(nodraw, "assumed.csv"))
    os.remove(os.path.join(nodraw, "fitted_cov.csv"))
    g, h = os.path.join(tmp, "off.h5"), os.path.join(tmp, "plain.h5")
    run(g, "--no-param-uncertainty", reps="4")
    run(h, reps="4", scn=scenario(tmp, "plain", "", data=nodraw))
    for d in ("fte", "persons", "exits", "fte_worked", "doctor_flows", "gap"):
        res = subprocess.run(["h5diff", g, h, "/" + d, "/" + d], capture_output=True)
        check(res.returncode == 0, f"every source off = no draws' files at all: {d}")
print(f"{passes} passed, {len(fails)} failed")
sys.exit(1 if fails else 0)
