#!/usr/bin/env python3
"""Derive calibration/norway/base_age.csv: the 2019 stock of persons by group, sex and age.

Pure Python 3, standard library only.  Run from anywhere:

    python3 calibration/norway/derive_base.py            # writes base_age.csv
    python3 calibration/norway/derive_base.py --check    # prints the FTE check only

The output is deterministic: running the script twice gives byte-identical files.

What the stock is
-----------------
Persons aged 18..74 holding each education (group), living in Norway in 2019 and
still in the model population: employed in the health and care services
(municipal, specialist, other_health), employed outside them, or not working.
Persons already on old-age or disability pension are NOT in the stock (those are
exits from the model population; see retirement.csv and disability.csv).

Method (direct scaling of documented marginals; no microdata)
-------------------------------------------------------------
1. Age profile.  For each group a smooth profile over single ages 18..74:

       w(a) = L((a - a_in) / s_in) * S_ret(a) * exp(-tilt * (a - 45))

   where L is the logistic function.  The first factor is entry into the
   occupation after graduation; S_ret(a) = exp(-sum of the group's retirement
   hazards (retirement.csv) up to age a + 0.5), so the stock at 60-74 is
   consistent with the retirement hazards the engine applies (no spike of
   retirements in the first simulated year); the exponential tilt represents
   cohort growth and earlier exits (younger cohorts larger when the tilt is > 0).
   a_in and s_in are documented assumptions (AGE below);
   the tilt is FITTED by bisection so that the share aged 55+ among persons aged
   18..74 equals the group's target from facts.md Part A 2.7 (TARGET_55 below).
   Men may have the same profile shifted by `male_shift` years (older men among
   physicians and dentists, whose female share rises ~1 pp a year, facts.md B 4.6).
2. Sex split.  Fixed male share per group (MALE_SHARE; nurses and health care
   workers ~11 %, facts.md B 4.6 L16718-16724; the rest documented assumptions).
3. Level.  Persons P_g are scaled so that the implied 2019 FTE in the health and
   care services equals HELSEMOD Table 2.2 (facts.md A 2.2, L2082-2096):

       FTE_g = P_g * sum_a w_g(a) * sum_{s in health} share_{g,s} * pbar_{g,s,band(a)}

   with share_{g,s} from base_sector.csv and pbar (mean position share of the
   employed by sector and age band) from position_share.csv.  Both files are read
   here, so changing them and re-running this script keeps the stock consistent.
4. Assistants (staff without one of the 14 educations).  Their FTE is the residual
   that makes total municipal and specialist agreed FTE match 176 481 and 126 648
   (2019, facts.md A 2.3, L4606-4612).  P_assistant is scaled to the municipal
   residual; the specialist residual is then matched by the assistant sector split
   in base_sector.csv (derived to that end; the script prints the check).
5. Integer persons.  Expected counts are rounded by the largest-remainder method
   so that each group x sex total equals the rounded expected total.
"""
import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "base_age.csv")
AGE_LO, AGE_HI = 18, 74
HEALTH = ("municipal", "specialist", "other_health")
GROUPS = ("nurse", "health_care_worker", "physician", "social_educator", "medical_secretary",
          "physiotherapist", "psychologist", "biomedical_lab_scientist", "dentist",
          "public_health_nurse", "occupational_therapist", "radiographer", "midwife",
          "dental_hygienist", "assistant")

# HELSEMOD Table 2.2, supply 2019, normalårsverk (facts.md A 2.2, L2082-2096).
FTE_2019 = {
    "nurse": 81500, "health_care_worker": 55300, "physician": 26700, "social_educator": 12200,
    "medical_secretary": 10600, "physiotherapist": 9800, "psychologist": 6100,
    "biomedical_lab_scientist": 5100, "dentist": 4800, "public_health_nurse": 3700,
    "occupational_therapist": 3400, "radiographer": 3200, "midwife": 2600,
    "dental_hygienist": 1100,
}
# Agreed FTE by sector, 2019, all staff (facts.md A 2.3, Figure 4.4, L4606-4612).
SECTOR_FTE_2019 = {"municipal": 176481, "specialist": 126648}

# Male share of the persons (facts.md B 4.6 where published; else assumption).
MALE_SHARE = {
    "nurse": 0.11,                  # "rundt 11 prosent", L16718-16724
    "health_care_worker": 0.11,     # "rundt 11 prosent", L16718-16724
    "physician": 0.49,              # women "et lite flertall" of all doctors, +1 pp/yr, L16739-16743
    "social_educator": 0.15,        # assumption: < 1/3 men in every group but doctors/dentists, L16717-16719
    "medical_secretary": 0.03,      # assumption (female-dominated secretary trades)
    "physiotherapist": 0.30,        # assumption (< 1/3, L16717-16719)
    "psychologist": 0.28,           # assumption (< 1/3, L16717-16719)
    "biomedical_lab_scientist": 0.12,  # assumption
    "dentist": 0.45,                # assumption: > 1/3 men (L16717-16719), female majority among young
    "public_health_nurse": 0.01,    # assumption
    "occupational_therapist": 0.08,  # assumption
    "radiographer": 0.25,           # assumption
    "midwife": 0.005,               # assumption
    "dental_hygienist": 0.04,       # assumption
    "assistant": 0.25,              # assumption (mixed: care assistants, admin, service staff)
}

# Share aged 55+ (of persons 18..74) that the profile is fitted to, and its basis
# (facts.md A 2.7, values for 2021 used for 2019).
TARGET_55 = {
    "nurse": (0.235, "SHT nurses 22 % (L5635) and KHOT nurse/HFA/vernepleier/no-education group 24.5 % (L5661-5665); midpoint-weighted 23.5 %"),
    "health_care_worker": (0.346, "FTE-weighted 0.87 x KHOT 33.4 % (L5669) + 0.13 x SHT 43 % (L5632-5634)"),
    "physician": (0.22, "weighted SHT 18 % (L5634) x 0.70, GPs 29 % (L5676-5678) x 0.22, assumption 40 % for private/contract specialists x 0.08"),
    "social_educator": (0.20, "assumption: between SHT other-university 18 % (L5644-5646) and KHOT combined 24.5 % (L5661-5665); fast-growing group (+50 % 2011-2021, L4461-4462)"),
    "medical_secretary": (0.21, "SHT other health education, upper secondary 21 % (L5646-5647)"),
    "physiotherapist": (0.18, "SHT other health education, university/college 18 % (L5644-5646)"),
    "psychologist": (0.13, "SHT psychologists 'knapt 13 prosent' (L5641-5643)"),
    "biomedical_lab_scientist": (0.18, "SHT other health education, university/college 18 % (L5644-5646)"),
    "dentist": (0.25, "assumption: no published figure; above all-employed 20 % (L5657-5659) because completions are flat (~115/yr, L29520-29529)"),
    "public_health_nurse": (0.316, "KHOT public health nurses 31.6 % (L5666-5667)"),
    "occupational_therapist": (0.18, "SHT other health education, university/college 18 % (L5644-5646)"),
    "radiographer": (0.18, "SHT other health education, university/college 18 % (L5644-5646)"),
    "midwife": (0.364, "KHOT midwives 36.4 % (L5670), applied to all midwives (no SHT figure)"),
    "dental_hygienist": (0.18, "assumption: as SHT other university/college 18 % (L5644-5646)"),
    "assistant": (0.28, "SHT staff without health/social education 28 % (L5635-5643)"),
}

# Profile shape assumptions: entry age and width (assumptions: typical age at
# graduation), two unused legacy fields, and the male shift in years.
AGE = {
    #                          a_in s_in  -     -   male_shift
    "nurse":                   (23.5, 1.5, 64.0, 1.6, 0.0),
    "health_care_worker":      (22.0, 3.0, 63.5, 1.8, 0.0),
    "physician":               (27.0, 1.5, 69.0, 2.2, 6.0),
    "social_educator":         (23.5, 1.5, 64.5, 1.8, 0.0),
    "medical_secretary":       (21.0, 2.0, 64.5, 1.8, 0.0),
    "physiotherapist":         (23.5, 1.5, 66.5, 2.0, 0.0),
    "psychologist":            (26.5, 1.5, 67.5, 2.0, 0.0),
    "biomedical_lab_scientist": (23.5, 1.5, 65.0, 1.8, 0.0),
    "dentist":                 (25.5, 1.5, 68.0, 2.2, 6.0),
    "public_health_nurse":     (29.0, 2.0, 64.0, 1.6, 0.0),
    "occupational_therapist":  (23.5, 1.5, 65.0, 1.8, 0.0),
    "radiographer":            (23.5, 1.5, 65.0, 1.8, 0.0),
    "midwife":                 (29.0, 2.0, 64.5, 1.6, 0.0),
    "dental_hygienist":        (23.5, 1.5, 65.0, 1.8, 0.0),
    "assistant":               (18.5, 1.5, 64.0, 1.8, 0.0),
}

SOURCE = {
    "assistant": "facts.md A 2.3 L4606-4612 (sector FTE 2019); A 2.5 L5309-5342; A 2.4 L4848-4855; A 2.7 L5635-5643",
}
DEFAULT_SOURCE = "facts.md A 2.2 L2082-2096 (HELSEMOD Table 2.2 2019 FTE); A 2.7 (share 55+); B 4.6 L16716-16745 (sex)"


def logistic(x):
    return 1.0 / (1.0 + math.exp(-x))


_RET = {}


def retirement_survival(group, age):
    """exp(-cumulative retirement hazard from 15 to age + 0.5), from retirement.csv."""
    if not _RET:
        for r in read_csv("retirement.csv"):
            _RET.setdefault(r["group"], []).append((int(r["age_from"]), int(r["age_to"]), float(r["rate"])))
    rows = _RET.get(group) or _RET["all"]
    cum = 0.0
    for lo, hi, rate in rows:
        top = min(hi + 1.0, age + 0.5)
        if top > lo:
            cum += rate * (top - lo)
    return math.exp(-cum)


def raw_profile(group, age, tilt, shift=0.0):
    a_in, s_in = AGE[group][0], AGE[group][1]
    a = age - shift
    # the male shift moves entry and cohort size, not the retirement rules
    return (logistic((a - a_in) / s_in) * retirement_survival(group, age)
            * math.exp(-tilt * (a - 45.0)))


def weights(group, tilt):
    """Normalised weights {sex: {age: w}} summing to 1 over both sexes."""
    m = MALE_SHARE[group]
    shift = AGE[group][4]
    out = {}
    for sex, share, sh in (("female", 1.0 - m, 0.0), ("male", m, shift)):
        w = {a: raw_profile(group, a, tilt, sh) for a in range(AGE_LO, AGE_HI + 1)}
        tot = sum(w.values())
        out[sex] = {a: share * v / tot for a, v in w.items()}
    return out


def share_55(w):
    return sum(v for sex in w for a, v in w[sex].items() if a >= 55)


def fit_tilt(group):
    """Bisection on the tilt so that the 55+ share equals TARGET_55 (decreasing in tilt)."""
    target = TARGET_55[group][0]
    lo, hi = -0.15, 0.25
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if share_55(weights(group, mid)) > target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def age_weights(group):
    """Public helper: fitted normalised weights {sex: {age: w}}."""
    return weights(group, fit_tilt(group))


def read_csv(name):
    with open(os.path.join(HERE, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_sector():
    sh = {}
    for r in read_csv("base_sector.csv"):
        sh[(r["group"], r["sector"])] = float(r["share"])
    return sh


def load_pshare():
    """Mean position share (fraction) by (group, sector, age_from, age_to)."""
    acc = {}
    for r in read_csv("position_share.csv"):
        k = (r["group"], r["sector"], int(r["age_from"]), int(r["age_to"]))
        acc[k] = acc.get(k, 0.0) + float(r["share"]) * int(r["pshare"]) / 100.0
    return acc


def pbar(ps, group, sector, age):
    """Mean pshare for a person of `group` employed in `sector` at `age`; explicit rows win over `all`."""
    for g in (group, "all"):
        for s in (sector, "all"):
            for (kg, ks, lo, hi), v in ps.items():
                if kg == g and ks == s and lo <= age <= hi:
                    return v
    raise KeyError((group, sector, age))


def fte_per_person(group, w, sh, ps):
    """Implied health FTE per person, and per sector, for normalised weights w."""
    by = {s: 0.0 for s in HEALTH}
    for sex in w:
        for a, v in w[sex].items():
            for s in HEALTH:
                by[s] += v * sh[(group, s)] * pbar(ps, group, s, a)
    return sum(by.values()), by


def largest_remainder(expected, total):
    """Round a dict of non-negative floats to integers summing to `total`."""
    floors = {k: int(math.floor(v)) for k, v in expected.items()}
    rest = total - sum(floors.values())
    order = sorted(expected, key=lambda k: (-(expected[k] - floors[k]), k))
    for k in order[:max(rest, 0)]:
        floors[k] += 1
    return floors


def derive():
    sh = load_sector()
    ps = load_pshare()
    W, P, sector_fte = {}, {}, {}
    for g in GROUPS:
        W[g] = age_weights(g)
    # 14 educations: scale to Table 2.2.
    for g in GROUPS[:-1]:
        per, by = fte_per_person(g, W[g], sh, ps)
        P[g] = FTE_2019[g] / per
        sector_fte[g] = {s: P[g] * by[s] for s in HEALTH}
    # Assistants: residual of the municipal total.
    res = {s: SECTOR_FTE_2019[s] - sum(sector_fte[g][s] for g in GROUPS[:-1])
           for s in SECTOR_FTE_2019}
    per, by = fte_per_person("assistant", W["assistant"], sh, ps)
    P["assistant"] = res["municipal"] / by["municipal"]
    sector_fte["assistant"] = {s: P["assistant"] * by[s] for s in HEALTH}
    return W, P, sector_fte, res


def main():
    W, P, sector_fte, res = derive()
    if "--check" not in sys.argv:
        rows = []
        for g in GROUPS:
            tilt = fit_tilt(g)
            for sex in ("female", "male"):
                tot = int(round(P[g] * sum(W[g][sex].values())))
                counts = largest_remainder({a: P[g] * v for a, v in W[g][sex].items()}, tot)
                for a in range(AGE_LO, AGE_HI + 1):
                    rows.append((g, sex, a, counts[a], tilt))
        with open(OUT, "w", encoding="utf-8", newline="") as f:
            f.write("group,sex,age,persons,source,note\n")
            for g, sex, a, n, tilt in rows:
                src = SOURCE.get(g, DEFAULT_SOURCE)
                if g == "assistant":
                    note = ("derived: residual so municipal agreed FTE 2019 = 176481 after the 14 groups "
                            "(residual %.0f FTE; specialist residual %.0f); includes staff with other "
                            "educations, admin and service staff; age profile fitted to 55+ share %.3f (%s); "
                            "tilt %.5f; male share %.3f (assumption)"
                            % (res["municipal"], res["specialist"], TARGET_55[g][0], TARGET_55[g][1],
                               tilt, MALE_SHARE[g]))
                else:
                    note = ("derived by derive_base.py: persons = %d FTE / (health share x mean pshare "
                            "from base_sector.csv and position_share.csv); age profile logistic entry "
                            "x retirement survival (retirement.csv) x exp tilt fitted to 55+ share %.3f (%s); tilt %.5f; male share %.3f"
                            % (FTE_2019[g], TARGET_55[g][0], TARGET_55[g][1], tilt, MALE_SHARE[g]))
                note = note.replace('"', "'")
                f.write('%s,%s,%d,%d,"%s","%s"\n' % (g, sex, a, n, src, note))
    # Report.
    tot = {s: 0.0 for s in HEALTH}
    for g in GROUPS:
        f = sum(sector_fte[g].values())
        for s in HEALTH:
            tot[s] += sector_fte[g][s]
        tgt = FTE_2019.get(g)
        print("%-26s persons %8.0f  FTE %8.0f  target %s  55+ %.3f" % (
            g, P[g], f, tgt if tgt else "residual", share_55(W[g])), file=sys.stderr)
    for s in HEALTH:
        print("sector %-13s FTE %9.0f  target %s" % (s, tot[s], SECTOR_FTE_2019.get(s, "-")),
              file=sys.stderr)
    print("assistant residual FTE: municipal %.0f, specialist %.0f" % (res["municipal"], res["specialist"]),
          file=sys.stderr)


if __name__ == "__main__":
    main()
