#!/usr/bin/env python3
"""Acceptance: the synthesised 2019 stock reproduces the published base year.

Runs the shipped Norway data (tests/data/norway_short.yaml: 2019-2021, 2
replicates) and checks, from the cube alone, against the published figures
typed in below from shared/domain/facts.md (not from the model's files):
  * 2019 FTE by group within +-1 % of HELSEMOD Table 2.2 (L2082-2096);
  * agreed FTE by sector within +-1 %: municipal 176 481, specialist 126 648
    (Figure 4.4, 2019; all staff, so every group including assistants);
  * men about 11 % of nurses and of health care workers (Ch. 10, L16716-16735),
    within +-2 points;
  * the stock identity persons[y] = persons[y-1] + entries - exits in every cell.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import xarray as xr

TABLE_2_2 = {  # 1 000 normalårsverk, 2019 column
    "biomedical_lab_scientist": 5.1, "occupational_therapist": 3.4, "physiotherapist": 9.8,
    "health_care_worker": 55.3, "medical_secretary": 10.6, "public_health_nurse": 3.7,
    "midwife": 2.6, "physician": 26.7, "psychologist": 6.1, "radiographer": 3.2,
    "nurse": 81.5, "dentist": 4.8, "dental_hygienist": 1.1, "social_educator": 12.2,
}
SECTOR_2019 = {"municipal": 176481, "specialist": 126648}
HEALTH = ["municipal", "specialist", "other_health"]

failures = []


def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        failures.append(msg)


def main():
    binary = os.environ["HWSIM_BIN"]
    src = os.environ["HWSIM_SOURCE_DIR"]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "n.h5")
        subprocess.run([binary, "run", os.path.join(src, "tests/data/norway_short.yaml"), "-o", out,
                        "--quiet"], check=True)
        ds = xr.open_dataset(out, engine="h5netcdf")
        fte = ds["fte"].sel(year=2019)
        for g, k in TABLE_2_2.items():
            v = float(fte.sel(group=g, sector=HEALTH).sum(["sex", "age_band", "sector"]).mean())
            check(abs(v / (1000 * k) - 1) <= 0.01, f"FTE 2019 {g}: {v:.0f} vs {1000 * k:.0f}")
        total = float(fte.sel(group=list(TABLE_2_2), sector=HEALTH).sum(
            ["group", "sex", "age_band", "sector"]).mean())
        check(abs(total / 225900 - 1) <= 0.01, f"FTE 2019 HELSEMOD total: {total:.0f} vs 225900")
        for sec, v_pub in SECTOR_2019.items():
            v = float(fte.sel(sector=sec).sum(["group", "sex", "age_band"]).mean())
            check(abs(v / v_pub - 1) <= 0.01, f"FTE 2019 {sec}: {v:.0f} vs {v_pub}")
        pers = ds["persons"].sel(year=2019, sector=HEALTH).sum(["age_band", "sector"]).mean("replicate")
        for g in ("nurse", "health_care_worker"):
            m = float(pers.sel(group=g, sex="male") / pers.sel(group=g).sum("sex"))
            check(abs(m - 0.11) <= 0.02, f"male share {g}: {m:.3f} vs 0.11")
        p = ds["persons"].values.astype(np.int64)
        ent = ds["entries"].values.astype(np.int64).sum(axis=2)
        ex = ds["exits"].values.astype(np.int64).sum(axis=2)
        resid = p[:, 1:] - p[:, :-1] - ent[:, 1:] + ex[:, 1:]
        check(int(np.abs(resid).max()) == 0,
              f"stock identity in every cell (max residual {int(np.abs(resid).max())})")
        check(int(ent[:, 1:].sum()) > 10000, "the years after 2019 have flows")
        ds.close()
    print(f"{6 + len(TABLE_2_2) + 1 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
