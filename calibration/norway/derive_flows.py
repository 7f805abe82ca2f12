#!/usr/bin/env python3
"""Derive calibration/norway/conversion.csv and entry.csv, and print the numbers
that education.csv and inflow.csv take from the same derivation.

Pure Python 3, standard library only.  Run from anywhere:

    python3 calibration/norway/derive_flows.py           # writes conversion.csv and entry.csv
    python3 calibration/norway/derive_flows.py --check   # prints the derivation only

The output is deterministic: running the script twice gives byte-identical files.

Conversions (a person changes group without entering or leaving the workforce)
-----------------------------------------------------------------------------
1. Assistant -> health care worker (HFA).  Trade certificates in the health
   worker trade were 3 799 in 2018/19 (facts.md B 4.1, Table 10.1, L15383-15408):
   HELSEMOD's base transition (2018 -> 2019, facts.md A 3.1), which the
   reference path holds.  62-69 % of them went to persons aged 25+ over the last
   12 years ("nesten syv av ti" in 2020/21; L15363-15367): we take the middle of
   the range, 65.5 %, so 2 488 adult certificates a year.  Assumption: the adults
   are practice candidates or take "fagbrev på jobb" (L15371-15377, L15530-15534),
   i.e. assistants already working in the health services, so they change group
   rather than add a person.  Their age distribution is not published, so the
   hazard is the same at every age 25-59:

       h = 2 488 / (assistants aged 25-59 in the three health sectors, 2019)

   with the persons from base_age.csv and the health share from base_sector.csv.
   The other 34.5 % (1 311 a year) are young certificates: new persons, the
   education.csv row of health_care_worker.

2. Nurse -> public health nurse, nurse -> midwife.  Both are further education of
   nurses (facts.md B 4.3).  Completions 2019-2021 averaged 256.7 public health
   nurses (305/255/210) and 116.7 midwives (100/130/120) a year (Appendix 2 Table
   2.2, L29492-29518).  They qualify from the nurse stock, so the hazard by age is

       h(a) = completions x f(a) / (nurses aged a in the health sectors, 2019)

   in 5-year bands 25-49, with f the density of the age at qualification:
   N(32, 5) (assumption: intake at about 30, as education.csv had it, plus the
   two years of study).  The qualified leave the nurse group, which removes the
   double count of docs/model.md section 13 (before, they were new persons and
   the nurse stock kept them).

Where the converted person works (column `sector`): `keep` for the adult
certificates (taken at work, the person stays where it works); `entry` for the
further education, whose posts are elsewhere (health stations and the school
health service for public health nurses, delivery wards for midwives): the
qualified start in a health sector drawn from the destination group's base-stock
sector shares (base_sector.csv), as its graduates do.  Assumption: the documents
do not say where the newly qualified work; the stock's shares are the one figure
that does (before this column every nurse kept her sector, and a third of the new
public health nurses stayed in hospitals).

Entry propensity (entry.csv)
----------------------------
Graduates (Norwegian and abroad) start in a health sector with the group's
base-stock health share (base_sector.csv: municipal + specialist + other_health),
else outside or not working in the stock's proportions (agents/employment.c).
That is HELSEMOD's own assumption (facts.md A 5: supply is the group's propensity
to work in HOT, held constant) applied to the entrants; the register figures
bound it: 79 % of the employed with health education work in health and social
services, "at least three of four" in every health education (A 3.6, L7915-7943),
more than 90 % of a nurse cohort two years out (A 3.7, L7978-7999).  fitted.csv may scale the
graduates' odds (process `entry`); the shipped fit does not: the docked lever is the exit level
(docs/calibration.md).
Two groups' young entrants are described directly and take that instead: nurses 1
(the cohort's >90 % after two years is what early_career.csv reproduces with everyone
entering), health care workers 0.90 (>90 % of the youngest employed, almost all in HOT,
A 3.5 L7853-7868).  Immigrants and recruits start in a health sector (share 1): inflow.csv counts
persons taking up work (its immigration rows already net a take-up of
authorisations), and a recruit is hired by definition.  Physicians: share 1 for
every channel; the doctors' track queues graduates for LIS1 (agents/doctors.c).

Assistants' recruitment (inflow.csv, printed here)
--------------------------------------------------
The assistants are the staff without one of the 14 educations (the residual of
Figure 4.4's agreed FTE after the 14 groups, derive_base.py).  Their recruits
replace the stock's removals, 7 551 a year (inflow.csv's first derivation: the sum
over ages of persons x (mortality + emigration + disability + retirement) plus
those ageing out at 74), and the 2 488 who qualify as health care workers at work
(above), and add the stock's growth: the municipal FTE of persons without health
or social education grew 11 % from 2015 to 2021 (facts.md A 2.5, L5176-5200), i.e.
1.11^(1/6) - 1 = 1.75 % a year, applied to the assistants in the health sectors
(base_age.csv x health share).  The recruits start in a health sector (entry.csv
share 1), so the growth term is persons, not FTE: the assistants' position shares
are taken as unchanged.  Held at this level, as HELSEMOD holds the 2018-2019
entries: the stock grows fastest at the start and levels off.

The recruits' ages are those that keep the base stock's age profile (base_age.csv,
fitted to the published 55+ share) in place under the model's own removals: a
recruit of age a+1 is needed wherever the stock at a+1 exceeds the survivors of the
stock at a,

    r(a+1) = N(a+1) - N(a) exp(-(mortality + emigration + disability + retirement
                                 + health share x conversion)(a)),

plus g N(a+1) for the growth (the stock growing at g keeps its profile), with N by
sex, the hazards from mortality.csv, emigration.csv (Norwegian-educated),
disability.csv, retirement.csv and conversion.csv.  Exits to outside and not working
are not removals (re-entry balances them, reentry.csv).  inflow.csv gives ages as
N(mean, sd) (clipped to 20-66 by the engine), so the row takes the mean and sd of
the positive part of r.  The negative part (ages 62-70: the base profile has fewer
persons there than the retirement hazards would leave) cannot be undone by
recruiting; the model keeps somewhat more of the oldest than the base profile.  Before this the ages were an assumption, N(24, 8),
which replaced the stock's leavers of every age with 24-year-olds and made it
younger by the year (the specialist 55+ share 0.28 in 2019, 0.255 in 2021).
"""

import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HEALTH = ("municipal", "specialist", "other_health")

CERT_2018_19 = 3799  # facts.md B 4.1 Table 10.1 (L15383-15408)
ADULT_SHARE = 0.655  # facts.md B 4.1 L15363-15367: 62-69 %, middle of the range
ADULT_AGES = (25, 59)
ASSIST_REMOVALS = 7551  # inflow.csv's derivation of a stable assistant stock (see above)
ASSIST_GROWTH_2015_2021 = 0.11  # facts.md A 2.5 L5176-5200: FTE without health/social education
FURTHER = {  # group: (completions a year, line reference)
    "public_health_nurse": (256.7, "305/255/210"),
    "midwife": (116.7, "100/130/120"),
}
QUAL_AGE_MEAN, QUAL_AGE_SD = 32.0, 5.0
QUAL_BANDS = [(25, 29), (30, 34), (35, 39), (40, 44), (45, 49)]

# Groups whose young entrants the sources describe directly (facts.md A 3.5, A 3.7).
YOUNG = {
    "nurse": (1.0, "facts.md A 3.7 L7978-7999 (>90 % of the 2015 cohort in HOT after 2 years), "
                   "A 3.5 L7835-7847 (young nurses' HOT participation almost equals their total)",
              "early_career.csv reproduces the cohort's 2-year >90 % with everyone entering the "
              "services (its calibration note), so the entry share that goes with it is 1"),
    "health_care_worker": (0.90, "facts.md A 3.5 L7853-7868 (Figure 5.19: >90 % of the youngest HFA "
                                 "employed, almost all of them in HOT)",
                           "the published lower bound of the youngest HFA's employment, all of it "
                           "in the services"),
}

GROUPS = ["nurse", "health_care_worker", "physician", "social_educator", "medical_secretary",
          "physiotherapist", "psychologist", "biomedical_lab_scientist", "dentist",
          "public_health_nurse", "occupational_therapist", "radiographer", "midwife",
          "dental_hygienist"]


def read(name):
    with open(os.path.join(HERE, name), newline="") as f:
        return list(csv.DictReader(f))


def health_share():
    sh = {}
    for r in read("base_sector.csv"):
        if r["sector"] in HEALTH:
            sh[r["group"]] = sh.get(r["group"], 0.0) + float(r["share"])
    return sh


def persons_by_age():
    p = {}
    for r in read("base_age.csv"):
        key = (r["group"], int(r["age"]))
        p[key] = p.get(key, 0.0) + float(r["persons"])
    return p


def rates_by_age(name, key, keep=lambda r: True):
    """{(key(row), age): rate} of a table with age_from/age_to bands."""
    d = {}
    for r in read(name):
        if keep(r):
            for a in range(int(r["age_from"]), int(r["age_to"]) + 1):
                d[(key(r), a)] = float(r["rate"])
    return d


def assistant_recruit_ages(conv_rate, health, growth):
    """Mean and sd of the recruits' ages that keep the assistants' base age profile (see the
    docstring): the positive part of r(a+1) = N(a+1) - N(a) exp(-m(a)) + g N(a+1) x health."""
    stock = {}
    for r in read("base_age.csv"):
        if r["group"] == "assistant":
            stock[(r["sex"], int(r["age"]))] = float(r["persons"])
    mort = rates_by_age("mortality.csv", lambda r: r["sex"])
    emig = rates_by_age("emigration.csv", lambda r: r["origin"])
    dis = rates_by_age("disability.csv", lambda r: r["sex"], lambda r: r["group"] == "assistant")
    ret = rates_by_age("retirement.csv", lambda r: "", lambda r: r["group"] == "assistant")
    need = {}
    for sx in ("female", "male"):
        ages = sorted(a for (x, a) in stock if x == sx)
        need[ages[0]] = need.get(ages[0], 0.0) + stock[(sx, ages[0])] * (1 + growth * health)
        for a in ages[:-1]:
            m = (mort.get((sx, a), 0.0) + emig.get(("norway", a), 0.0) + dis.get((sx, a), 0.0)
                 + ret.get(("", a), 0.0) + health * conv_rate(a))
            n1 = stock.get((sx, a + 1), 0.0)
            need[a + 1] = need.get(a + 1, 0.0) + n1 * (1 + growth * health) - stock[(sx, a)] * math.exp(-m)
    pos = {a: v for a, v in need.items() if v > 0}
    tot = sum(pos.values())
    mean = sum(a * v for a, v in pos.items()) / tot
    sd = math.sqrt(sum((a - mean) ** 2 * v for a, v in pos.items()) / tot)
    neg = sum(v for v in need.values() if v < 0)
    return mean, sd, tot, neg


def norm_cdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def main():
    check = "--check" in sys.argv[1:]
    sh, pers = health_share(), persons_by_age()
    rows = []
    # 1. assistants -> health care workers
    adults = ADULT_SHARE * CERT_2018_19
    a_lo, a_hi = ADULT_AGES
    stock = sum(pers.get(("assistant", a), 0.0) for a in range(a_lo, a_hi + 1)) * sh["assistant"]
    h = adults / stock
    rows.append(["assistant", "health_care_worker", a_lo, a_hi, f"{h:.6f}", "keep",
                 "facts.md B 4.1 L15383-15408 (Table 10.1: 3 799 certificates 2018/19), "
                 "L15363-15367 (62-69 % aged 25+), L15371-15377 (practice candidate, fagbrev på jobb)",
                 f"derived by derive_flows.py: {ADULT_SHARE:.3f} x {CERT_2018_19} = {adults:.0f} adult "
                 f"certificates a year / {stock:.0f} assistants aged {a_lo}-{a_hi} in the health sectors "
                 f"(base_age.csv x health share {sh['assistant']:.3f}); same hazard at every age "
                 "(assumption: the adults' ages are not published)"])
    young = (1 - ADULT_SHARE) * CERT_2018_19
    # 2. nurses -> public health nurses, midwives
    for grp, (compl, yrs) in FURTHER.items():
        for lo, hi in QUAL_BANDS:
            f = (norm_cdf((hi + 1 - QUAL_AGE_MEAN) / QUAL_AGE_SD)
                 - norm_cdf((lo - QUAL_AGE_MEAN) / QUAL_AGE_SD))
            nurses = sum(pers.get(("nurse", a), 0.0) for a in range(lo, hi + 1)) * sh["nurse"]
            rate = compl * f / nurses
            rows.append(["nurse", grp, lo, hi, f"{rate:.6f}", "entry",
                         "facts.md B 4.3 L29492-29518 (Appendix 2 Table 2.2 completions)",
                         f"derived by derive_flows.py: mean completions 2019-2021 ({yrs}) = {compl} a "
                         f"year x {f:.3f} (share of qualifying ages {lo}-{hi} under N({QUAL_AGE_MEAN:.0f}, "
                         f"{QUAL_AGE_SD:.0f}), assumption: intake at ~30 plus 2 years) / {nurses:.0f} "
                         f"nurses aged {lo}-{hi} in the health sectors (base_age.csv x health share "
                         f"{sh['nurse']:.3f})"])
    entry = []
    for g in GROUPS:
        for ch in ("graduation", "abroad_graduation", "immigration", "recruitment"):
            if g == "physician":
                s, src, note = 1.0, "agents/doctors.c", ("graduates queue for LIS1 in the doctors' "
                                                         "track; not scaled")
            elif g in YOUNG and ch in ("graduation", "abroad_graduation"):
                s, src, note = YOUNG[g]
            elif ch in ("graduation", "abroad_graduation"):
                s = sh[g]
                src = ("facts.md A 5 L1905-1953 (HELSEMOD: propensity to work in HOT held "
                       "constant), A 3.6 L7915-7943 (79 %; at least three of four), A 3.7 "
                       "L7978-7999 (>90 % of a nurse cohort after 2 years)")
                note = (f"derived by derive_flows.py: the group's base-stock health share "
                        f"(base_sector.csv) {s:.4f}")
            else:
                s = 1.0
                src = "inflow.csv"
                note = ("immigrants and recruits start in a health sector: inflow.csv counts "
                        "persons taking up work (take-up netted there)")
            entry.append([g, ch, f"{s:.4f}", src, note])
    print(f"assistant -> health_care_worker: {adults:.0f} a year from {stock:.0f} assistants "
          f"aged {a_lo}-{a_hi} in health: hazard {h:.6f}")
    print(f"young certificates (new persons): {young:.0f} a year; education.csv intake at "
          f"completion 0.80: {young / 0.8:.0f}")
    for r in rows[1:]:
        print(f"nurse -> {r[1]} {r[2]}-{r[3]}: {r[4]}")
    g = (1 + ASSIST_GROWTH_2015_2021) ** (1 / 6) - 1
    n_health = sum(v for (grp, _), v in pers.items() if grp == "assistant") * sh["assistant"]
    grow = g * n_health
    print(f"assistant recruitment (inflow.csv): {ASSIST_REMOVALS} removals + {adults:.0f} "
          f"certificates + {g:.4f} x {n_health:.0f} in health = {grow:.0f} growth: "
          f"{ASSIST_REMOVALS + adults + grow:.0f} a year")
    mean, sd, pos, neg = assistant_recruit_ages(
        lambda a: h if a_lo <= a <= a_hi else 0.0, sh["assistant"], g)
    print(f"assistant recruits' ages (inflow.csv): N({mean:.1f}, {sd:.1f}) (the positive part of "
          f"the profile that keeps the base ages, {pos:.0f} a year; {neg:.0f} a year at ages "
          f"where the base profile is thinner than the hazards would leave)")
    if check:
        return
    with open(os.path.join(HERE, "conversion.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["from_group", "to_group", "age_from", "age_to", "rate", "sector", "source",
                    "note"])
        w.writerows(rows)
    with open(os.path.join(HERE, "entry.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["group", "channel", "share_health", "source", "note"])
        w.writerows(entry)


if __name__ == "__main__":
    main()
