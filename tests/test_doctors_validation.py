#!/usr/bin/env python3
"""Acceptance: the doctors' track reproduces the published base-year stocks
and flows within +-5 % (the doctors' issue's list) and the GP scheme's 2021
figures within the tolerances of issue 19 (GPs 3 %, lists and inhabitants
without a GP 20 %, approvals in general medicine 15 %), computed from the cube alone by
tools/validate_doctors.py, on the shipped baseline (seed 20190101, 2019-2021,
12 replicates).  Also checks two identities that hold in every replicate:
  * LIS1 starts never exceed LIS1 posts;
  * lists without a GP = max(0, lists to staff - GPs);
  * the doctors dataset summed = physicians (persons) + medical students.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import xarray as xr

SRC = os.environ.get("HWSIM_SOURCE_DIR", os.path.join(os.path.dirname(__file__), ".."))
BIN = os.environ.get("HWSIM_BIN", os.path.join(SRC, "build", "hwsim"))
sys.path.insert(0, os.path.join(SRC, "tools"))
import validate_doctors  # noqa: E402

failures = []


def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        failures.append(msg)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "doc.h5")
        subprocess.run([BIN, "run", os.path.join(SRC, "sim/scenarios/baseline.yaml"), "-o", out,
                        "--replicates", "12", "--end-year", "2021", "--quiet", "--no-progress"],
                       check=True)
        ds = xr.open_dataset(out, engine="h5netcdf")
        acc, _ = validate_doctors.rows(ds)
        for row in acc:
            m = float(row[1].mean("replicate"))
            ok, tol, lo_t, hi_t = validate_doctors.within(row, m)
            check(ok, f"{row[0]}: model {m:.1f} vs published {lo_t}-{hi_t} (+-{tol} %)")
        f = ds["doctor_flows"]
        starts, posts = f.sel(doctor_flow="lis1_starts"), f.sel(doctor_flow="lis1_posts")
        check(bool((starts <= posts).all()), "LIS1 starts <= posts in every replicate and year")
        gps, lists = f.sel(doctor_flow="gps"), f.sel(doctor_flow="gp_lists")
        vac = f.sel(doctor_flow="lists_without_gp")
        check(bool((vac == np.maximum(0, lists - gps)).all()), "lists without a GP = max(0, lists - GPs)")
        d = ds["doctors"].sum(["career_stage", "specialty", "sector"])
        p = (ds["persons"].sel(group="physician").sum(["sex", "age_band", "sector"]) +
             ds["students"].sel(group="physician").sum("sex"))
        check(bool((d == p).all()), "doctors (all stages) = physicians + medical students, every year")
        ds.close()
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
