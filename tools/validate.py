#!/usr/bin/env python3
"""Compare a result cube with the published targets (calibration/norway/targets.csv).

Usage: validate.py CUBE.h5 [TARGETS.csv] [--markdown OUT.md]

The simulated values come from `hwsim calibrate --evaluate CUBE.h5 TARGETS.csv --csv`
(the hwsim binary: $HWSIM_BIN, else build/hwsim beside this script), which
applies the fit's own definition of each measure (calib_simulated,
calibration/targets.c) to every replicate of the cube and takes the mean over
replicates of the per-replicate value (replicates where it is undefined left
out), so the comparison is exactly what the calibration sees.  Conventions, as
in calibration/norway/README.md:
  * sector `all` means the three health sectors (municipal, specialist, other_health);
  * `fte` with group `all` and sector `all` is HELSEMOD's total of its 14 groups
    (assistants excluded); sector totals include every group;
  * age_band `15-61` (persons under 62) uses the bands 15-59 plus 2/5 of 60-64;
  * retention_Ny is the share in the health services of Norwegian graduates N
    completed years after graduation (all simulated cohorts, all years);
  * mean_retirement_age / mean_disability_age: mean age (integer age + 0.5) at
    those exits over all simulated years.
Exit status 0 when the table is written (it says which targets are within
tolerance); otherwise hwsim's exit status, with its message.
"""
import csv
import io
import os
import subprocess
import sys

import h5py

KEYS = ("measure", "group", "sex", "age_band", "sector", "year")


def hwsim_bin():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("HWSIM_BIN") or os.path.join(here, "..", "build", "hwsim")


def simulated(cube, targets):
    """Target rows (as in the file) and their simulated values (nan: undefined)."""
    p = subprocess.run([hwsim_bin(), "calibrate", "--evaluate", cube, targets, "--csv"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        sys.exit(p.returncode)
    with open(targets, newline="") as f:
        rows = list(csv.DictReader(f))
    sims = list(csv.DictReader(io.StringIO(p.stdout)))
    if len(sims) != len(rows) or any(
            [s[k] for k in KEYS] != [t[k] for k in KEYS] for s, t in zip(sims, rows)):
        sys.exit("validate.py: hwsim calibrate --evaluate did not return the targets in file order")
    return [(t, float(s["simulated"])) for t, s in zip(rows, sims)]


def cube_line(cube, made_by):
    """The report's first line: the cube, its replicates, scenario, seed and build."""
    with h5py.File(cube, "r") as f:
        nrep = f["replicate"].shape[0]
        a = {k: f.attrs.get(k) for k in ("scenario_name", "seed", "git_revision")}
    a = {k: v.decode() if isinstance(v, bytes) else v for k, v in a.items()}
    return (f"Cube: `{cube}` ({nrep} replicates, scenario `{a['scenario_name']}`, "
            f"seed {a['seed']}, git {a['git_revision']}){made_by}.")


def emit(lines, out):
    """Print the report, and write it to `out` too when given."""
    text = "\n".join(lines) + "\n"
    if out:
        with open(out, "w") as f:
            f.write(text)
    print(text)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cube = argv[1]
    targets = argv[2] if len(argv) > 2 and not argv[2].startswith("--") else \
        "calibration/norway/targets.csv"
    out = None
    if "--markdown" in argv:
        out = argv[argv.index("--markdown") + 1]
    rows = []
    for t, v in simulated(cube, targets):
        target, tol = float(t["value"]), float(t["tolerance"])
        ok = v is not None and abs(v - target) <= tol
        rows.append((t, v, target, tol, ok))
    lines = [cube_line(cube, ""), "",
             "| measure | group | sex | age | sector | year | target | simulated | diff | tolerance | ok |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for t, v, target, tol, ok in rows:
        fmt = (lambda x: f"{x:,.0f}") if abs(target) >= 100 else (lambda x: f"{x:.3f}")
        lines.append(f"| {t['measure']} | {t['group']} | {t['sex']} | {t['age_band']} | "
                     f"{t['sector']} | {t['year']} | {fmt(target)} | "
                     f"{fmt(v) if v is not None else 'n/a'} | "
                     f"{fmt(v - target) if v is not None else ''} | {fmt(tol)} | "
                     f"{'yes' if ok else '**no**'} |")
    n_ok = sum(1 for r in rows if r[4])
    lines += ["", f"Within tolerance: {n_ok} of {len(rows)} targets ({100.0 * n_ok / len(rows):.0f} %)."]
    emit(lines, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
