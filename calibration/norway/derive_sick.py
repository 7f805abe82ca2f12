#!/usr/bin/env python3
"""Derive sick-leave incidences (spells per person-year at risk) that make the
engine's absence share equal the published % of agreed days.

Why a derivation is needed: the engine measures absence as the share of
contracted time spent on sick leave, spells have lognormal lengths floored at
1 day and capped (self-certified 8 days, doctor-certified 365 days), and a
person on leave cannot start another spell.  By renewal theory the absence
share of type k is A_k = i_k d_k (1 - A), where d_k is the mean capped spell
length (years) and A = A_self + A_doctor the total share at risk removed.  So
i_k = A_k / (d_k (1 - A)).

Calendar vs working days: a spell of D calendar days removes about D x 5/7
working days, so the share of calendar time equals the share of agreed working
days.  Self-certified spells are therefore given in calendar days: 3.5 days
(mean) = about 2.5 working days (assumption; durations are not published,
facts.md B 2.2 L14176-14181).

Input: the target absence shares already in sick_leave.csv's notes are
recovered from the file as written by the first derivation (spells x mean /
365 for doctor-certified, spells x mean / 230 for self-certified: 230 agreed
working days a year).  Output: sick_leave.csv rewritten in place with the new
incidences and self-certified durations; running it twice is idempotent
because it reads the targets back from the `note` column's A= field once set.
"""
import csv
import math
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "sick_leave.csv")
SELF_MEAN, SELF_SD, SELF_CAP = 3.5, 2.0, 8.0
DOC_CAP = 365.0


def Phi(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def capped_mean(mean, sd, cap):
    """E[min(max(X, 1), cap)] for X lognormal with the given mean and sd (days)."""
    s2 = math.log(1 + sd * sd / (mean * mean))
    s, mu = math.sqrt(s2), math.log(mean) - s2 / 2
    lo, hi = math.log(1.0), math.log(cap)
    part = math.exp(mu + s2 / 2) * (Phi((hi - mu - s2) / s) - Phi((lo - mu - s2) / s))
    return Phi((lo - mu) / s) * 1.0 + part + (1 - Phi((hi - mu) / s)) * cap


def main():
    with open(PATH, newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys())
    # target absence share per row
    for r in rows:
        m = re.search(r"A=([0-9.]+)%", r["note"])
        if m:
            r["_A"] = float(m.group(1)) / 100
        elif r["type"] == "self_certified":
            r["_A"] = float(r["spells_per_year"]) * float(r["mean_days"]) / 230.0
        else:
            r["_A"] = float(r["spells_per_year"]) * float(r["mean_days"]) / 365.0
        r["_A"] = round(r["_A"], 8)  # as written back to the note: reruns are idempotent
    total = {}
    for r in rows:
        key = (r["group"], r["sex"], r["sector"])
        total[key] = total.get(key, 0.0) + r["_A"]
    for r in rows:
        A = r["_A"]
        if r["type"] == "self_certified":
            mean, sd, cap = SELF_MEAN, SELF_SD, SELF_CAP
        else:
            mean, sd, cap = float(r["mean_days"]), float(r["sd_days"]), DOC_CAP
        d = capped_mean(mean, sd, cap) / 365.25
        i = A / (d * (1 - total[(r["group"], r["sex"], r["sector"])]))
        r["spells_per_year"] = f"{i:.5f}"
        r["mean_days"] = f"{mean:g}"
        r["sd_days"] = f"{sd:g}"
        base = re.sub(r" \| renewal: .*$", "", r["note"])
        r["note"] = (base + f" | renewal: A={100 * A:.6f}% of agreed days; "
                     f"capped mean {d * 365.25:.2f} d; i = A/(d(1-A_total)) (derive_sick.py)")
    with open(PATH, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, quoting=csv.QUOTE_MINIMAL, lineterminator="\n",
                           extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)


if __name__ == "__main__":
    main()
