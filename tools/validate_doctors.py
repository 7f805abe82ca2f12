#!/usr/bin/env python3
"""Compare a result cube's doctors' outputs with the published figures of the
issue's acceptance list (base-year stocks and flows, +/- 5 %) and with a few
out-of-sample figures shown for context.

Usage: validate_doctors.py CUBE.h5 [--markdown OUT.md]

Every simulated value is recomputed from the cube alone (datasets doctors,
doctor_flows, new_specialists): mean over replicates, and the 5-95 % range
across replicates.  Model year Y is the stock at 31 December Y (so "start of
2021" is model year 2020) and the flows during Y.  Exit status 0 always.
"""
import sys

import numpy as np
import xarray as xr

HEALTH = ["municipal", "specialist", "other_health"]


def flows(ds, name, years):
    da = ds["doctor_flows"].sel(doctor_flow=name, year=years)
    return da.mean("year") if "year" in da.dims else da


def stock(ds, stage, specialty=None, sectors=HEALTH, year=2019):
    da = ds["doctors"].sel(year=year, career_stage=stage, sector=sectors)
    if specialty is not None:
        da = da.sel(specialty=specialty)
    return da.sum([d for d in da.dims if d != "replicate"])


def approvals(ds, years, specialty=None):
    da = ds["new_specialists"].sel(year=years)
    if specialty is not None:
        da = da.sel(specialty=specialty)
    return da.sum([d for d in da.dims if d not in ("replicate", "year")]).mean("year")


def foreign_share(ds, year):
    e = ds["entries"].sel(year=year, group="physician")
    e = e.sum([d for d in e.dims if d not in ("replicate", "source")])
    nor = e.sel(source="graduation")
    abroad = e.sel(source="abroad_graduation") + e.sel(source="immigration")
    return abroad / (abroad + nor)


def rows(ds):
    y0, y1 = [2020], [2020, 2021]
    lis_hf = stock(ds, "lis1_hospital", sectors=["specialist"]) + stock(ds, "lis", sectors=["specialist"])
    acc = [
        # label, model expression, published, low, high, source, how the model gets it
        ("GPs holding a list, start of 2021", flows(ds, "gps", 2020), 4930, None, None,
         "004:L1346-1348", "dynamic from the derived 4 857 at base; vacancy_fill_share balanced on this year"),
        ("Lists without a GP, start of 2021", flows(ds, "lists_without_gp", 2020), 182, None, None,
         "004:L151-153", "lists to staff (gp_lists.csv) minus GPs: the same balance"),
        ("Inhabitants on lists without a GP, start of 2021", flows(ds, "inhabitants_without_gp", 2020),
         110000, None, None, "004:L155-157", "lists without a GP x 604 (derived from this figure)"),
        ("Doctors in LIS posts in health trusts, 2019", lis_hf, 5430, None, None, "004:L5629-5631",
         "base stock (doctor_base.csv): by construction"),
        ("Psychiatrists employed in health and social services, 2020",
         stock(ds, "specialist", "psychiatry", year=2020), 1392, None, None, "004:L3801-3815",
         "dynamic: base 2019 (derived) + approvals - exits"),
        ("Child and adolescent psychiatrists employed, 2020",
         stock(ds, "specialist", "child_psychiatry", year=2020), 366, None, None, "004:L3801-3815",
         "dynamic"),
        ("LIS1 starts a year (2019: just over 1 000; model 2020)", flows(ds, "lis1_starts", 2020), 1000,
         None, None, "004:L5627-5629", "dynamic: posts (1 030 in 2020, lis1_posts.csv) filled from the queue"),
        ("New specialist approvals a year (2014-2019 mean; model 2020-2021)", approvals(ds, y1), 1240,
         None, None, "NOU L19147-19152", "dynamic; the LIS stock outside health trusts is derived from this figure"),
        ("... in general medicine (model 2020-2021)", approvals(ds, y1, "general_practice"), 190, None, None,
         "004:L5917-5919", "dynamic; the ALIS delay is derived from 190 x 8 = 1 520"),
        ("... in psychiatry, about 100-115 (model 2020-2021, adult)", approvals(ds, y1, "psychiatry"), 108,
         100, 115, "004:L3983-3995, L6304-6308", "dynamic: LIS stock 552 / duration + EEA conversions"),
    ]
    if 2022 not in [int(y) for y in ds["year"].values]:
        return acc, []  # a short run: no out-of-sample context
    ctx = [
        ("Lists without a GP, January 2023 (model 2022)", flows(ds, "lists_without_gp", 2022), 324,
         "NOU L6533-6538", "out of sample"),
        ("Inhabitants without a GP, start of 2023 (model 2022)", flows(ds, "inhabitants_without_gp", 2022),
         220000, "NOU L11439-11440", "out of sample"),
        ("ALIS in the pipeline (model 2020)", stock(ds, "lis", "general_practice", ["municipal"], 2020), 1520,
         "004:L5919-5925", "base input 1 520 in 2019"),
        ("Share of LIS1 applicants who get a post (about half in spring, 35-40 % in autumn; model 2020, both rounds)",
         flows(ds, "lis1_starts", 2020) / flows(ds, "lis1_applicants", 2020), 0.43, "000:L177-179",
         "published per round; model over the year"),
        ("Share foreign-educated of new doctor authorisations (model 2020: entries by source)",
         foreign_share(ds, 2020), 0.65, "NOU L16415-16526; inflow.csv", "input-driven (inflow.csv, education.csv)"),
    ]
    return acc, ctx


def fmt(x):
    return f"{x:,.0f}".replace(",", " ") if abs(x) >= 10 else f"{x:.2f}"


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    ds = xr.open_dataset(argv[1], engine="h5netcdf")
    acc, ctx = rows(ds)
    out = ["| figure | published | model mean | model 5-95 % | difference | within 5 % | how |",
           "|---|---|---|---|---|---|---|"]
    n_ok = 0
    for label, da, pub, lo, hi, src, how in acc:
        m = float(da.mean("replicate"))
        q = np.quantile(da.values, [0.05, 0.95])
        lo_t, hi_t = (lo, hi) if lo is not None else (pub, pub)
        ok = lo_t * 0.95 <= m <= hi_t * 1.05
        n_ok += ok
        ref = f"{lo}-{hi}" if lo is not None else fmt(pub)
        diff = (m - pub) / pub * 100 if lo is None else (0 if lo <= m <= hi else (m - (hi if m > hi else lo)) / (hi if m > hi else lo) * 100)
        out.append(f"| {label} ({src}) | {ref} | {fmt(m)} | {fmt(q[0])}-{fmt(q[1])} | {diff:+.1f} % | "
                   f"{'yes' if ok else 'NO'} | {how} |")
    out.append("")
    out.append(f"{n_ok} of {len(acc)} within 5 % (the mean over {ds.sizes['replicate']} replicates).")
    out.append("")
    out.append("Context, not acceptance targets:")
    out.append("")
    out.append("| figure | published | model mean | model 5-95 % | note |")
    out.append("|---|---|---|---|---|")
    for label, da, pub, src, note in ctx:
        m = float(da.mean("replicate"))
        q = np.quantile(da.values, [0.05, 0.95])
        out.append(f"| {label} ({src}) | {fmt(pub)} | {fmt(m)} | {fmt(q[0])}-{fmt(q[1])} | {note} |")
    text = "\n".join(out) + "\n"
    if "--markdown" in argv:
        open(argv[argv.index("--markdown") + 1], "w").write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
