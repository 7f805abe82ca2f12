#!/usr/bin/env python3
"""Derive calibration/norway/demand_sector.csv and demand_area.csv: how each group's
HELSEMOD demand (demand.csv, Table 2.5) is split over the three health sectors.

Usage (any Python 3, standard library only):
    python3 calibration/norway/derive_demand.py           # writes both files
    python3 calibration/norway/derive_demand.py --check   # prints the derivation only

The method (docs/model.md, "Demand by sector"):
  * demand_sector.csv: the 2019 split of a group's demand over municipal, specialist and
    other_health is the group's 2019 FTE split in the base data, read from the
    "sector FTE 2019 split (k)" of the group's rows in base_sector.csv (each with its own
    sources there). HELSEMOD's 2019 demand is employment plus the NAV shortage, by group
    only (facts.md A 4.5), so the split of the employment is the published base.
  * demand_area.csv: Table 2.4 (facts.md A 4.4, NOU 2023:4 L2242-2277), the observed 2019
    FTE and the projected 2040 FTE of each service area in the three alternatives, each
    area assigned to the sector that runs it (MAPPING below, with the reason). The engine
    sums the areas by sector; a sector's growth index is its 2040/2019 ratio, interpolated
    geometrically as the group totals are.
  * The engine then splits group g's demand in year t as
        D[g,s](t) = D[g](t) * q[g,s] * G[s](t) / sum_s' q[g,s'] * G[s'](t),
    so the group totals stay those of Table 2.5 exactly, the 2019 split is q, and a
    group's demand shifts towards the sectors whose services grow faster (municipal care
    +64.9 % against somatic hospitals +39.3 % in the middle alternative).
"""
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HEALTH = ("municipal", "specialist", "other_health")

TABLE_2_4_SOURCE = "facts.md A 4.4, Table 2.4 (NOU 2023:4 L2242-2277; Jia et al. 2023)"
# Table 2.4, 1 000 årsverk: 2019, low 2040, middle 2040, high 2040.
TABLE_2_4 = [
    ("somatic_institutions", 86.4, 108.4, 120.3, 126.8),
    ("mental_health_children", 4.3, 3.9, 4.4, 4.4),
    ("mental_health_adults", 19.3, 20.7, 22.9, 22.9),
    ("municipal_health_and_care", 143.8, 181.4, 237.2, 310.0),
    ("gp_services", 14.7, 17.4, 19.3, 19.3),
    ("physiotherapy", 6.9, 8.7, 9.7, 9.7),
    ("dental", 11.3, 12.5, 13.8, 13.8),
    ("preventive_health", 12.3, 13.6, 15.1, 15.1),
    ("substance_abuse_services", 7.1, 7.2, 8.0, 8.0),
    ("other_health_services", 21.7, 27.3, 30.3, 31.9),
]
# Which of the model's sectors runs each service area, and why.
MAPPING = {
    "somatic_institutions": ("specialist", "hospitals (health trusts)"),
    "mental_health_children": ("specialist", "BUP, run by the health trusts"),
    "mental_health_adults": ("specialist", "VOP and DPS, run by the health trusts"),
    "municipal_health_and_care": ("municipal", "KHOT: nursing homes and home care"),
    "gp_services": ("municipal", "the regular GP scheme is a municipal responsibility"),
    "physiotherapy": ("municipal",
                      "municipal responsibility (employed or with a municipal operating grant)"),
    "dental": ("other_health", "county public dental service and private dentists, "
                               "the base data's other_health (base_sector.csv, dentist rows)"),
    "preventive_health": ("municipal", "health stations and school health service"),
    "substance_abuse_services": ("specialist", "TSB, specialised treatment for substance use, "
                                               "mostly run or bought by the health trusts"),
    "other_health_services": ("other_health", "private labs, imaging and other private health "
                                              "services"),
}
ALTS = ("low", "middle", "high")
SPLIT = re.compile(r"sector FTE 2019 split \(k\) municipal ([0-9.]+), specialist ([0-9.]+), "
                   r"other_health ([0-9.]+)")


def read(name):
    with open(os.path.join(HERE, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def sector_split():
    """{group: ({sector: FTE}, source)} from base_sector.csv's notes."""
    out = {}
    for r in read("base_sector.csv"):
        m = SPLIT.search(r["note"])
        if m and r["group"] not in out:
            out[r["group"]] = ({s: float(v) * 1000 for s, v in zip(HEALTH, m.groups())},
                               r["source"])
    return out


def main():
    check = "--check" in sys.argv[1:]
    demand_groups = sorted({r["group"] for r in read("demand.csv")})
    split = sector_split()
    missing = [g for g in demand_groups if g not in split]
    if missing:
        sys.exit("derive_demand.py: no sector FTE 2019 split in base_sector.csv for " +
                 ", ".join(missing))
    rows = []
    order = [r["group"] for r in read("base_sector.csv")]
    for g in sorted(demand_groups, key=order.index):
        fte, src = split[g]
        tot = sum(fte.values())
        for s in HEALTH:
            rows.append((g, s, fte[s] / tot, src,
                         "derived: 2019 FTE split of the group in the base data (base_sector.csv "
                         "note): municipal %.0f, specialist %.0f, other_health %.0f FTE; share = "
                         "%s / total %.0f" % (fte["municipal"], fte["specialist"],
                                              fte["other_health"], s, tot)))
    area_rows = []
    for name, *vals in TABLE_2_4:
        sec, why = MAPPING[name]
        for k, alt in enumerate(ALTS):
            area_rows.append((name, sec, alt, 2019, round(vals[0] * 1000), TABLE_2_4_SOURCE,
                              "observed 2019; sector: " + why))
            area_rows.append((name, sec, alt, 2040, round(vals[k + 1] * 1000), TABLE_2_4_SOURCE,
                              "projected 2040, %s alternative; sector: %s" % (alt, why)))
    # Report: the sector totals and growth by alternative.
    for alt in ALTS:
        t0 = {s: 0 for s in HEALTH}
        t1 = {s: 0 for s in HEALTH}
        for a, s, al, y, v, _, _ in area_rows:
            if al == alt:
                (t0 if y == 2019 else t1)[s] += v
        print("%-6s " % alt + "  ".join("%s %.0f -> %.0f (%+.1f %%)" % (
            s, t0[s], t1[s], 100 * (t1[s] / t0[s] - 1)) for s in HEALTH), file=sys.stderr)
    for g, s, q, _, _ in rows:
        if s == "municipal":
            print("%-26s" % g + "  ".join("%s %.3f" % (x, q2) for (g2, x, q2, _, _) in rows
                                          if g2 == g), file=sys.stderr)
    if check:
        return
    with open(os.path.join(HERE, "demand_sector.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("group,sector,share,source,note\n")
        for g, s, q, src, note in rows:
            f.write('%s,%s,%.9f,"%s","%s"\n' % (g, s, q, src, note))
    with open(os.path.join(HERE, "demand_area.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("area,sector,alternative,year,fte,source,note\n")
        for a, s, alt, y, v, src, note in area_rows:
            f.write('%s,%s,%s,%d,%d,"%s","%s"\n' % (a, s, alt, y, v, src, note))


if __name__ == "__main__":
    main()
