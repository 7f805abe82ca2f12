#!/usr/bin/env python3
"""Compare a result cube with the published targets (calibration/norway/targets.csv).

Usage: validate.py CUBE.h5 [TARGETS.csv] [--markdown OUT.md]

Every simulated value is computed from the cube alone (mean over replicates),
so the comparison is exactly what a user could recompute.  Conventions, as in
calibration/norway/README.md:
  * sector `all` means the three health sectors (municipal, specialist, other_health);
  * `fte` with group `all` and sector `all` is HELSEMOD's total of its 14 groups
    (assistants excluded); sector totals include every group;
  * age_band `15-61` (persons under 62) uses the bands 15-59 plus 2/5 of 60-64;
  * retention_Ny is the share in the health services of Norwegian graduates N
    completed years after graduation (all simulated cohorts, all years);
  * mean_retirement_age / mean_disability_age: mean age (integer age + 0.5) at
    those exits over all simulated years.
Exit status 0 always; the table says which targets are within tolerance.
"""
import csv
import sys

import numpy as np
import xarray as xr

HEALTH = ["municipal", "specialist", "other_health"]
AGE_BANDS = ["15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
             "55-59", "60-64", "65-69", "70-74"]


def sel(da, group=None, sex=None, sector=None, year=None):
    """Select and sum the named dimensions; 'all' sums (health sectors for sector)."""
    if year is not None and "year" in da.dims:
        da = da.sel(year=int(year))
    if group is not None and "group" in da.dims:
        da = da.sum("group") if group == "all" else da.sel(group=group)
    if sex is not None and "sex" in da.dims:
        da = da.sum("sex") if sex == "all" else da.sel(sex=sex)
    if sector is not None and "sector" in da.dims:
        da = da.sel(sector=HEALTH).sum("sector") if sector == "all" else da.sel(sector=sector)
    return da


def under62(da):
    w = xr.DataArray([1.0] * 9 + [0.4, 0.0, 0.0], dims="age_band",
                     coords={"age_band": AGE_BANDS})
    return (da * w).sum("age_band")


def simulate(ds, t, helsemod_groups):
    m, g, sx, ab, sec, yr = (t["measure"], t["group"], t["sex"], t["age_band"], t["sector"],
                             t["year"])
    years = [int(y) for y in ds["year"].values]
    year = int(yr) if yr.isdigit() and int(yr) in years else None
    rep_mean = lambda da: float(da.mean("replicate"))
    if m in ("fte", "persons"):
        da = ds[m]
        if m == "fte" and g == "all" and sec == "all":
            da = da.sel(group=helsemod_groups)
        da = sel(da, g, sx, sec, year).sum("age_band")
        return rep_mean(da)
    if m == "share_55plus":
        da = sel(ds["persons"], g, sx, sec, year)
        return rep_mean(da.sel(age_band=AGE_BANDS[8:]).sum("age_band") / da.sum("age_band"))
    if m == "mean_pshare":
        f = sel(ds["fte"], g, sx, sec, year)
        p = sel(ds["persons"], g, sx, sec, year)
        if ab == "15-61":
            f, p = under62(f), under62(p)
        else:
            f, p = f.sum("age_band"), p.sum("age_band")
        return rep_mean(f / p)
    if m == "parttime_share":
        da = ds["persons_by_pshare"].sel(year=year)
        da = da.sum("group") if g == "all" else da.sel(group=g)
        da = da.sel(sector=HEALTH).sum("sector") if sec == "all" else da.sel(sector=sec)
        return rep_mean(da.sel(pshare_band=["lt50", "50-69", "70-89", "90-99"]).sum("pshare_band")
                        / da.sum("pshare_band"))
    if m == "male_share":
        da = sel(ds["persons"], g, None, sec, year).sum("age_band")
        return rep_mean(da.sel(sex="male") / da.sum("sex"))
    if m.startswith("sick_leave_"):
        kind = m[len("sick_leave_"):-len("_pct")]
        sick = sel(ds["sick_leave_fte"], g, sx, sec, year).sum("age_band")
        sick = sick.sum("sick_type") if kind == "total" else sick.sel(
            sick_type={"doctor": "doctor_certified", "self": "self_certified"}[kind])
        avg = sel(ds["fte_avg"], g, sx, sec, year).sum("age_band")
        if year == years[0]:  # the base year has no flows: use the first simulated year
            sick = sel(ds["sick_leave_fte"], g, sx, sec, years[1]).sum("age_band")
            sick = sick.sum("sick_type") if kind == "total" else sick.sel(
                sick_type={"doctor": "doctor_certified", "self": "self_certified"}[kind])
            avg = sel(ds["fte_avg"], g, sx, sec, years[1]).sum("age_band")
        return 100 * rep_mean(sick / avg)
    if m.startswith("retention_"):
        k = int(m[len("retention_"):-1])
        da = ds["graduates"].sel(years_since_graduation=k)
        da = da.sum("group") if g == "all" else da.sel(group=g)
        da = da.sum("year")
        return rep_mean(da.sel(sector=HEALTH).sum("sector") / da.sum("sector"))
    if m in ("mean_retirement_age", "mean_disability_age"):
        cause = "retirement" if m == "mean_retirement_age" else "disability"
        da = ds["exits_by_age"].sel(cause=cause).isel(year=slice(1, None)).sum("year")
        da = da.sum("group") if g == "all" else da.sel(group=g)
        ages = da["age"] + 0.5
        return rep_mean((da * ages).sum("age") / da.sum("age"))
    return None


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
    ds = xr.open_dataset(cube, engine="h5netcdf")
    groups = [str(x) for x in ds["group"].values]
    helsemod = [x for x in groups if x != "assistant"]
    rows = []
    with open(targets, newline="") as f:
        for t in csv.DictReader(f):
            v = simulate(ds, t, helsemod)
            target, tol = float(t["value"]), float(t["tolerance"])
            ok = v is not None and abs(v - target) <= tol
            rows.append((t, v, target, tol, ok))
    nrep = ds.sizes["replicate"]
    lines = [f"Cube: `{cube}` ({nrep} replicates, scenario `{ds.attrs.get('scenario_name')}`, "
             f"seed {ds.attrs.get('seed')}, git {ds.attrs.get('git_revision')}).", "",
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
    text = "\n".join(lines) + "\n"
    if out:
        with open(out, "w") as f:
            f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
