#!/usr/bin/env python3
"""One-at-a-time sensitivity of the doctors' results to the parameters that
are assumed, normalised or fitted rather than published (doctors.csv).

Usage: tools/doctor-sensitivity.py [REPLICATES] [END_YEAR]   (default 10, 2035)

For each variant, copies calibration/norway to a temporary directory, changes
one parameter of doctors.csv, and runs the baseline and alis_500 scenarios
(same seed) against it.  Prints a Markdown table: GPs holding a list, lists
without a GP and specialists in other specialties at END_YEAR (baseline), and
the ALIS-500 effect on GPs (paired difference), means over replicates.
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile

import xarray as xr

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.environ.get("HWSIM_BIN", os.path.join(SRC, "build", "hwsim"))

VARIANTS = [  # label, parameter, new value (None: the shipped data)
    ("shipped data", None, None),
    ("gp_match_efficiency x 0.5", "gp_match_efficiency", "x0.5"),
    ("gp_match_efficiency x 2", "gp_match_efficiency", "x2"),
    ("gp_quit_rate x 2", "gp_quit_rate", "x2"),
    ("gp_quit_rate x 0.5", "gp_quit_rate", "x0.5"),
    ("gp_list_elasticity 1 -> 0", "gp_list_elasticity", 0.0),
    ("gp_workload_elasticity x 2", "gp_workload_elasticity", "x2"),
    ("no late growth of list leaving (gp_quit_late_end 2022 -> 2020)", "gp_quit_late_end", 2020),
    ("choice_none 0.03 -> 0.10", "choice_none", 0.10),
    ("lis1_wait_giveup_rate x 2", "lis1_wait_giveup_rate", "x2"),
    ("delays of hospital specialties x 2", "delay_mean_other_specialty", "x2"),
]


def write_variant(tmp, param, value):
    data = os.path.join(tmp, "data")
    shutil.copytree(os.path.join(SRC, "calibration/norway"), data)
    if param is None:
        return data
    path = os.path.join(data, "doctors.csv")
    rows = list(csv.reader(open(path)))
    for r in rows[1:]:
        if r[0] == param or (param == "delay_mean_other_specialty" and r[0].startswith("delay_mean_")
                             and r[0] != "delay_mean_general_practice"):
            v = float(r[1])
            r[1] = repr(v * float(value[1:]) if isinstance(value, str) else value)
    with open(path, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return data


def run(tmp, scenario, data, reps, end):
    text = open(os.path.join(SRC, "sim/scenarios", scenario + ".yaml")).read()
    text = "\n".join("data: " + data if ln.startswith("data:") else ln for ln in text.splitlines())
    yml = os.path.join(tmp, scenario + ".yaml")
    open(yml, "w").write(text + "\n")
    out = os.path.join(tmp, scenario + ".h5")
    subprocess.run([BIN, "run", yml, "-o", out, "--replicates", str(reps), "--end-year", str(end),
                    "--quiet", "--no-progress"], check=True)
    return xr.open_dataset(out, engine="h5netcdf")


def main(argv):
    reps = int(argv[1]) if len(argv) > 1 else 10
    end = int(argv[2]) if len(argv) > 2 else 2035
    print(f"| variant | GPs {end} | lists without a GP {end} | other specialists {end} | "
          f"approvals {end} | ALIS 500: GPs {end} |")
    print("|---|---|---|---|---|---|")
    for label, param, value in VARIANTS:
        with tempfile.TemporaryDirectory() as tmp:
            data = write_variant(tmp, param, value)
            b = run(tmp, "baseline", data, reps, end)
            a = run(tmp, "alis_500", data, reps, end)
            f = b["doctor_flows"].sel(year=end)
            gps = float(f.sel(doctor_flow="gps").mean())
            vac = float(f.sel(doctor_flow="lists_without_gp").mean())
            spec = float(b["doctors"].sel(year=end, career_stage="specialist", specialty="other_specialty",
                                          sector=["municipal", "specialist", "other_health"])
                         .sum("sector").mean())
            appr = float(f.sel(doctor_flow="new_specialists").mean())
            eff = float((a["doctor_flows"].sel(year=end, doctor_flow="gps") - f.sel(doctor_flow="gps")).mean())
            print(f"| {label} | {gps:,.0f} | {vac:,.0f} | {spec:,.0f} | {appr:,.0f} | {eff:+,.0f} |"
                  .replace(",", " "))
            a.close()
            b.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
