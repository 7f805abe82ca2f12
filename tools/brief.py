#!/usr/bin/python3
"""hwsim brief: a policy brief from result cubes (issue 18).

Usage: hwsim brief BASE.h5 [VARIANT.h5 ...] -o DIR
       /usr/bin/python3 tools/brief.py [--hwsim PATH] BASE.h5 [VARIANT.h5 ...] -o DIR

Writes the folder DIR (a previous brief there is replaced):
  brief.html        the brief; opens offline (the charts are the SVG files beside it)
  brief.pdf         the same in four A4 pages or fewer
  key_numbers.csv   every number the brief states: measure, group, sector, year, mean, p05,
                    p50, p95, scenario
  fte_fan, supply_demand, gap, gap_by_sector, effects (.svg and .png): the charts

BASE is the scenario the brief describes; each VARIANT (same seed, years and build) is shown
by its paired effect against BASE.

Where the numbers come from.  Every statistic is hwsim's own: `hwsim summary BASE ... --csv`
for the levels and `hwsim compare BASE VARIANT ... --csv` for the effects, run with the hwsim
binary given by --hwsim (`hwsim brief` passes itself; else $HWSIM_BIN, else build/hwsim beside
this script).  key_numbers.csv copies those numbers as hwsim printed them.  Conventions:
  * sector `health` = municipal + specialist + other_health (hwsim's headline sum);
    group `all` = every group (hwsim summary --by sector, or without --by);
  * scenario = the cube's `scenario_name`; for an effect `VARIANT - BASE` (hwsim compare:
    VARIANT minus BASE, replicate by replicate);
  * measures fte, demand and gap are the cube's datasets; helsemod_fte (HELSEMOD's reference
    path, docking.csv) and helsemod_demand_low/middle/high (Table 2.5, demand.csv,
    interpolated geometrically between its two years) are published inputs (mean only);
    gap_if_demand_low/middle/high = hwsim's fte statistics minus that published demand (a
    constant, so each quantile shifts exactly).
The one thing computed here from the cube itself (h5py) is what summary does not print: the
25 % and 75 % quantiles across replicates (numpy, R type 7 like hwsim) that draw the fan
charts' 50 % bands; their medians are checked against summary's p50.

Errors: one line on stderr, exit 2 for bad input (a missing file, not a cube, a variant that
does not pair with BASE: hwsim's own message; an output folder that would lose something)
and 1 for the rest (130: stopped by SIGINT or SIGTERM); DIR is written as DIR.partial and
renamed only when complete, so a failed brief leaves nothing behind and a previous brief in
DIR survives it.
Needs Debian's python3 with python3-matplotlib, python3-numpy and python3-h5py (the `brief`
set of tools/install-deps.sh).
"""
import csv
import hashlib
import html
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
HEALTH = ("municipal", "specialist", "other_health")
FAN_GROUPS = ("nurse", "health_care_worker", "physician", "social_educator")
ALTERNATIVES = ("low", "middle", "high")
TARGET_YEAR, MID_YEAR = 2040, 2030
STATS = ("mean", "p05", "p50", "p95")
KEY_FIELDS = ("measure", "group", "sector", "year") + STATS + ("scenario",)
NBSP, MINUS, NDASH = "\u00a0", "\u2212", "\u2013"
GROUP_NAMES = {
    "nurse": "Nurses", "health_care_worker": "Health care workers", "physician": "Physicians",
    "social_educator": "Social educators", "medical_secretary": "Medical secretaries",
    "physiotherapist": "Physiotherapists", "psychologist": "Psychologists",
    "biomedical_lab_scientist": "Biomedical laboratory scientists", "dentist": "Dentists",
    "public_health_nurse": "Public health nurses", "occupational_therapist": "Occupational therapists",
    "radiographer": "Radiographers", "midwife": "Midwives", "dental_hygienist": "Dental hygienists",
    "assistant": "Assistants", "all": "All groups",
}
SECTOR_NAMES = {"municipal": "municipal services", "specialist": "specialist services (hospitals)",
                "other_health": "other health services", "health": "health and care services"}
# Chart colours.  The page itself is black, grey and white only, so the coloured pixels of a
# screenshot are the charts' (tests/test_brief.py counts them).
SUPPLY, DEMAND, EFFECT = "#1f77b4", "#d62728", "#2ca02c"
SECTOR_COLOURS = {"municipal": "#1f77b4", "specialist": "#ff7f0e", "other_health": "#9467bd"}
ALT_STYLES = {"low": (0, (2, 2)), "middle": (0, (6, 2)), "high": (0, (1, 1, 4, 1))}


class BriefError(Exception):
    """A failure reported as one line on stderr; code 2 = bad input, 1 = anything else."""

    def __init__(self, message, code=2):
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- arguments

def parse_args(argv):
    """(hwsim path, cubes, output folder), or None after --help."""
    hwsim = os.environ.get("HWSIM_BIN") or os.path.join(SOURCE, "build", "hwsim")
    cubes, out, i = [], None, 0
    while i < len(argv):
        arg = argv[i]
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if arg in ("-h", "--help"):
            doc = __doc__[__doc__.index("Writes the folder"):__doc__.index("\nWhere the numbers")]
            print("usage: hwsim brief BASE.h5 [VARIANT.h5 ...] -o DIR [--hwsim PATH]")
            print("A policy brief (HTML, PDF, charts, key numbers) from result cubes.\n")
            print(doc.rstrip() + "\n\nDetails: README.md (Policy brief) and tools/brief.py.")
            return None
        if name in ("-o", "--output", "--hwsim"):
            if not eq:
                i += 1
                if i >= len(argv):
                    raise BriefError(f"option '{name}' needs a value (expected {name} "
                                     f"{'PATH' if name == '--hwsim' else 'DIR'})")
                value = argv[i]
            if name == "--hwsim":
                hwsim = value
            else:
                out = value
        elif arg.startswith("-") and arg != "-":
            raise BriefError(f"unknown option '{arg}' (expected BASE.h5 [VARIANT.h5 ...] -o DIR)")
        else:
            cubes.append(arg)
        i += 1
    if not cubes:
        raise BriefError("no cube given (expected BASE.h5 [VARIANT.h5 ...] -o DIR)")
    if not out:
        raise BriefError("no output folder given (expected -o DIR)")
    return hwsim, cubes, out


# --------------------------------------------------------------------------- hwsim's numbers

class Hwsim:
    """The hwsim binary's summary and compare, as parsed CSV rows."""

    def __init__(self, path):
        self.path = path

    def _csv(self, args):
        try:
            p = subprocess.run([self.path] + args + ["--csv"], capture_output=True, text=True)
        except OSError as e:
            raise BriefError(f"{self.path}: cannot run hwsim: {e.strerror} (expected the hwsim "
                             f"binary: --hwsim PATH or $HWSIM_BIN)", 1)
        if p.returncode != 0:
            lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
            msg = lines[-1] if lines else f"{' '.join(args[:3])} failed (exit {p.returncode})"
            # hwsim's one line names the file and the problem; keep it, under our name.
            raise BriefError(re.sub(r"^hwsim \w+: ", "", msg), p.returncode if p.returncode in (1, 2) else 1)
        rows = list(csv.reader(io.StringIO(p.stdout)))
        if not rows or tuple(rows[0][-4:]) != STATS or "year" not in rows[0]:
            raise BriefError(f"hwsim {' '.join(args)}: unexpected CSV header "
                             f"{rows[0] if rows else '(none)'} (expected ..., year, mean, p05, p50, p95)", 1)
        return [dict(zip(rows[0], r)) for r in rows[1:]]

    def summary(self, cube, measure, by, years=None):
        args = ["summary", cube, "--measure", measure] + (["--by", by] if by else [])
        return self._csv(args + (["--years", ",".join(map(str, years))] if years else []))

    def compare(self, base, variant, measure, by, years):
        return self._csv(["compare", base, variant, "--measure", measure, "--by", by,
                          "--years", ",".join(map(str, years))])

    def version(self):
        p = subprocess.run([self.path, "--version"], capture_output=True, text=True)
        return p.stdout.strip() or "unknown"


def index(rows, *keys):
    """CSV rows keyed by the values of `keys` (the year as int)."""
    return {tuple(int(r[k]) if k == "year" else r[k] for k in keys): r for r in rows}


def num(row):
    """The four statistics of a CSV row as floats."""
    return {s: float(row[s]) for s in STATS}


# --------------------------------------------------------------------------- the cube itself

def text_attr(attrs, key, default=""):
    v = attrs.get(key, default)
    return v.decode() if isinstance(v, bytes) else v


class Cube:
    """One result file: its provenance (root attributes) and axes, read with h5py."""

    def __init__(self, path):
        import h5py
        self.path = path
        with h5py.File(path, "r") as f:
            a = f.attrs
            self.name = text_attr(a, "scenario_name", "?")
            self.scenario_text = text_attr(a, "scenario_text")
            self.seed = text_attr(a, "seed_text") or str(a.get("seed", "?"))
            self.nrep = int(f["replicate"].shape[0])
            self.years = [int(y) for y in f["year"][:]]
            self.groups = [g.decode() if isinstance(g, bytes) else str(g) for g in f["group"][:]]
            self.param_unc = int(a.get("parameter_uncertainty", 0))
            self.per_draw = int(a.get("replicates_per_draw", 1))
            self.demand_unc = int(a.get("demand_uncertainty", 0))  # absent in old cubes: 0
            self.assumed_unc = int(a.get("assumed_uncertainty", 0))  # absent in old cubes: 0
            self.demand_alts = text_attr(a, "demand_alternatives")
            self.data_dir = text_attr(a, "data_dir")
            self.data_sha = text_attr(a, "data_sha256")
            self.git = text_attr(a, "git_revision", "?")
            self.version = text_attr(a, "model_version", "?")
            self.created = text_attr(a, "created", "?")
            self.scenario_sha = text_attr(a, "scenario_sha256")
        self.hashes = dict(e.split("=", 1) for e in self.data_sha.split(";") if "=" in e)
        m = re.search(r"^description:\s*[>|]?-?\s*\n((?:[ \t]+.*\n?)+)", self.scenario_text, re.M)
        one = re.search(r"^description:\s*(\S.*)$", self.scenario_text, re.M)
        self.description = (" ".join(m.group(1).split()) if m else
                            one.group(1).strip().strip("\"'") if one else "")

    def demand_setting(self):
        """The demand the run used, in words."""
        if self.demand_unc:
            return f"HELSEMOD's alternatives {self.demand_alts or 'drawn per parameter draw'}"
        alt = self.demand_alts.split(":", 1)[1].strip() if self.demand_alts.startswith("fixed:") else ""
        return (f"HELSEMOD's {alt} alternative, fixed" if alt else
                "one HELSEMOD alternative, fixed (this cube does not record which; hwsim's default "
                "is middle)")


def quartile_bands(cube, measure, medians):
    """{group: (q25, q75)} over the cube's years of `measure` summed over every axis but
    replicate, year and group, counting the health sectors only (hwsim summary's rule); the
    quantiles are R type 7 (numpy's default), like hwsim's.  `medians` {(group, year): p50}
    from hwsim summary: the medians computed here must agree (0.011: hwsim rounds to 0.01)."""
    import h5py
    import numpy as np
    with h5py.File(cube.path, "r") as f:
        d = f[measure]
        dims = [d.dims[k][0].name.split("/")[-1] for k in range(d.ndim)]
        x = d[...].astype(np.int64)
        scale = float(d.attrs.get("scale_factor", 1.0))
        sectors = [s.decode() if isinstance(s, bytes) else str(s) for s in f["sector"][:]]
    if "sector" in dims:
        ax = dims.index("sector")
        x = np.take(x, [sectors.index(s) for s in HEALTH], axis=ax)
    keep = [dims.index(k) for k in ("replicate", "year", "group")]
    x = x.sum(axis=tuple(k for k in range(len(dims)) if k not in keep)) * scale  # rep, year, group
    q = np.percentile(x, [25, 50, 75], axis=0)
    out = {}
    for gi, g in enumerate(cube.groups):
        for yi, y in enumerate(cube.years):
            want = medians.get((g, y))
            if want is not None and abs(q[1, yi, gi] - want) > 0.011:
                raise BriefError(f"{cube.path}: the median of {measure} for {g} in {y} read with h5py "
                                 f"({q[1, yi, gi]:.2f}) differs from hwsim summary's ({want:.2f})", 1)
        out[g] = (q[0, :, gi], q[2, :, gi])
    return out


# --------------------------------------------------------------------------- published inputs

def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def find_data_dir(cube):
    """The data directory whose demand.csv is the one the cube was run with (same SHA-256 as
    its data_sha256 records): the cube's data_dir as recorded (relative to the current
    directory or to the source tree), else the shipped calibration/norway.  None if none is."""
    want = cube.hashes.get("demand.csv")
    if not want:
        return None
    cands = [cube.data_dir, os.path.join(SOURCE, cube.data_dir),
             os.path.join(SOURCE, "calibration", "norway")]
    for d in cands:
        p = os.path.join(d, "demand.csv")
        if d and os.path.isfile(p) and sha256_file(p) == want:
            return os.path.normpath(d)
    return None


def read_docking(data_dir):
    """HELSEMOD's reference path: {group: 2040 FTE} from docking.csv (measure fte, all sexes,
    ages and health sectors), and the row's source text for the citation."""
    ref, source = {}, ""
    path = os.path.join(data_dir, "docking.csv")
    if not os.path.isfile(path):
        return ref, source
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if (r["measure"], r["sex"], r["age_band"], r["sector"]) == ("fte", "all", "all", "all") \
                    and r["group"] != "all" and int(r["year"]) == TARGET_YEAR:
                ref[r["group"]] = float(r["value"])
                source = r["source"]
    return ref, source


def read_demand(data_dir):
    """{(group, alternative): {year: FTE}} from demand.csv (HELSEMOD Table 2.5)."""
    out = {}
    with open(os.path.join(data_dir, "demand.csv"), newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault((r["group"], r["alternative"]), {})[int(r["year"])] = float(r["fte"])
    return out


def demand_path(points, year):
    """Geometric interpolation (and extrapolation) between the two published years, as the
    engine does (docs/model.md section 11.1) at HELSEMOD's own 0.5 % productivity growth."""
    (y0, d0), (y1, d1) = sorted(points.items())
    return d0 * (d1 / d0) ** ((year - y0) / (y1 - y0))


# --------------------------------------------------------------------------- words

def step_for(*values):
    """Rounding of a statement: hundreds from 10 000, tens from 1 000, units below."""
    m = max(abs(v) for v in values)
    return 100 if m >= 10000 else 10 if m >= 1000 else 1


def fmt(v, step, signed=False):
    r = round(v / step) * step
    s = f"{abs(r):,.0f}".replace(",", NBSP)
    if r < 0:
        return MINUS + s
    return ("+" + s) if signed and r > 0 else s


def interval(st, step, signed=False):
    lo, hi = fmt(st["p05"], step, signed), fmt(st["p95"], step, signed)
    return f"{lo} to {hi}" if (st["p05"] < 0 or signed) else f"{lo}{NDASH}{hi}"


def stated(st, signed=False, unit=" FTE"):
    """'103 400 FTE, 90 % interval 101 100–105 200' from a row's statistics (the mean); an
    interval of one value (p05 = p95: e.g. a demand measure's effect) is said once."""
    step = step_for(st["mean"], st["p05"], st["p95"])
    if st["p05"] == st["p95"]:
        return (f"{fmt(st['mean'], step, signed)}{unit}, 90{NBSP}% interval "
                f"{fmt(st['p05'], step, signed)} (no spread)")
    return (f"{fmt(st['mean'], step, signed)}{unit}, 90{NBSP}% interval "
            f"{interval(st, step, signed)}")


def cell(st, signed=False):
    """A table cell: 'mean (p05 to p95)'."""
    step = step_for(st["mean"], st["p05"], st["p95"])
    return f"{fmt(st['mean'], step, signed)} ({interval(st, step, signed)})"


def gname(g):
    return GROUP_NAMES.get(g, g)


# --------------------------------------------------------------------------- the brief's content

class Brief:
    """Everything the brief states, from hwsim's CSV, with each number's key_numbers row."""

    def __init__(self, hw, base, variants, log):
        self.hw, self.base, self.variants, self.log = hw, base, variants, log
        ys = base.years
        self.key = TARGET_YEAR if ys[0] < TARGET_YEAR <= ys[-1] else ys[-1]
        self.table_years = [y for y in (ys[0], MID_YEAR, self.key) if y == ys[0] or ys[0] < y <= self.key]
        self.table_years = sorted(set(self.table_years))
        self.rows = []  # key_numbers.csv
        name = base.name

        log(f"{base.path}: scenario {name}, {base.nrep} replicates, {ys[0]}-{ys[-1]}")
        self.supply = index(hw.summary(base.path, "fte", "group"), "group", "year")
        self.demand = index(hw.summary(base.path, "demand", "group"), "group", "year")
        self.gap = index(hw.summary(base.path, "gap", "group"), "group", "year")
        self.gap_gs = index(hw.summary(base.path, "gap", "group,sector", [self.key]), "group", "sector")
        self.gap_s = index(hw.summary(base.path, "gap", "sector", [self.key]), "sector")
        gap_all = hw.summary(base.path, "gap", None, [self.key])[0]  # all groups and sectors
        self.gap_all = num(gap_all)
        self.groups = base.groups
        self.demand_groups = [g for g in self.groups
                              if any(float(self.demand[(g, y)]["mean"]) != 0 for y in ys)]

        for y in self.table_years:
            for g in self.groups:
                self.add("fte", g, "health", y, self.supply[(g, y)], name)
        for g in self.demand_groups:
            self.add("demand", g, "health", self.key, self.demand[(g, self.key)], name)
            self.add("gap", g, "health", self.key, self.gap[(g, self.key)], name)
            for s in HEALTH:
                self.add("gap", g, s, self.key, self.gap_gs[(g, s)], name)
        for s in HEALTH:
            self.add("gap", "all", s, self.key, self.gap_s[(s,)], name)
        self.add("gap", "all", "health", self.key, gap_all, name)

        # HELSEMOD: the reference path and the three demand alternatives, from the data
        # directory the run used (verified by demand.csv's hash).
        self.data_dir = find_data_dir(base)
        self.ref, self.ref_source = read_docking(self.data_dir) if self.data_dir else ({}, "")
        self.alts = read_demand(self.data_dir) if self.data_dir else {}
        for g in self.groups:
            if g in self.ref:
                self.add_input("helsemod_fte", g, TARGET_YEAR, self.ref[g], "HELSEMOD reference path")
            for a in ALTERNATIVES:
                if (g, a) in self.alts:
                    d = demand_path(self.alts[(g, a)], self.key)
                    self.add_input(f"helsemod_demand_{a}", g, self.key, d, "NOU 2023:4 Table 2.5")
                    sup = self.supply[(g, self.key)]
                    self.add(f"gap_if_demand_{a}", g, "health", self.key,
                             {s: f"{float(sup[s]) - d:.2f}" for s in STATS}, name)

        # The variants: paired effects on FTE and on the gap, by group, in the key year.
        self.effects = []  # (variant, measure, group, stats)
        for v in variants:
            log(f"{v.path}: scenario {v.name}, paired with {name}")
            for measure in ("fte", "gap"):
                rows = hw.compare(base.path, v.path, measure, "group", [self.key])
                for r in rows:
                    st = num(r)
                    if any(st[s] != 0 for s in STATS):
                        self.effects.append((v, measure, r["group"], st))
                        self.add(measure, r["group"], "health", self.key, r, f"{v.label} - {name}")

        # The fan charts' 50 % bands (the one computation on the cube itself).
        self.fte_q = quartile_bands(base, "fte", {k: float(r["p50"]) for k, r in self.supply.items()})
        self.gap_q = quartile_bands(base, "gap", {k: float(r["p50"]) for k, r in self.gap.items()})

    def distinct_effects(self, v):
        """Variant v's effects, without a gap effect equal to the FTE effect of its group (a
        supply measure moves the gap by exactly as much as FTE: demand is unchanged)."""
        fte = {g: st for w, m, g, st in self.effects if w is v and m == "fte"}

        def same(a, b):  # hwsim rounds each to 0.01 separately
            return b is not None and all(abs(a[s] - b[s]) <= 0.011 for s in STATS)
        return [e for e in self.effects if e[0] is v and not (e[1] == "gap" and same(e[3], fte.get(e[2])))]

    def add(self, measure, group, sector, year, row, scenario):
        self.rows.append({"measure": measure, "group": group, "sector": sector, "year": year,
                          **{s: row[s] for s in STATS}, "scenario": scenario})

    def add_input(self, measure, group, year, value, source):
        self.rows.append({"measure": measure, "group": group, "sector": "health", "year": year,
                          "mean": f"{value:.2f}", "p05": "", "p50": "", "p95": "", "scenario": source})

    def st(self, table, *key):
        return num(table[key])

    # ---- texts

    def title(self):
        return f"Health workforce in Norway, {self.base.years[0]}{NDASH}{self.key}"

    def key_sentences(self):
        """The headline numbers, in words."""
        k, out = self.key, []
        for g in FAN_GROUPS:
            if (g, k) in self.supply:
                out.append(f"{gname(g)}, {k}: {stated(self.st(self.supply, g, k))}"
                           + (f" (HELSEMOD's reference path: {fmt(self.ref[g], 100)} in {TARGET_YEAR})"
                              if g in self.ref else "") + ".")
        if not self.demand_groups:
            out.append("This run's data has no demand (no demand.csv): no gap to state.")
        else:
            out.append(f"Gap (supply {MINUS} demand; negative = shortage), all groups, all health and "
                       f"care services, {k}: {stated(self.gap_all, signed=True)}.")
        for s in ("municipal", "specialist") if self.demand_groups else ():
            out.append(f"Gap in the {SECTOR_NAMES[s]}, all groups, {k}: "
                       f"{stated(self.st(self.gap_s, s), signed=True)}.")
        for g in ("nurse", "health_care_worker"):
            if g in self.demand_groups:
                parts = [f"{SECTOR_NAMES[s].split(' (')[0]} {stated(self.st(self.gap_gs, g, s), signed=True)}"
                         for s in ("municipal", "specialist")]
                out.append(f"{gname(g)}' gap, {k}: " + "; ".join(parts) + ".")
                if all((g, a) in self.alts for a in ALTERNATIVES):
                    gaps = [self.st(self.supply, g, k)["mean"] - demand_path(self.alts[(g, a)], k)
                            for a in ALTERNATIVES]
                    out.append(f"{gname(g)}' gap, {k}, all health and care services, under HELSEMOD's "
                               f"low / middle / high demand: " + " / ".join(
                                   fmt(x, step_for(*gaps), signed=True) for x in gaps)
                               + " FTE (mean supply minus the published demand).")
        for v in self.variants:
            eff = sorted(self.distinct_effects(v), key=lambda e: -abs(e[3]["mean"]))
            eff = [e for e in eff if abs(e[3]["mean"]) >= 0.01 * abs(eff[0][3]["mean"])] if eff else eff
            if not eff:
                out.append(f"{v.name}: no effect on FTE or the gap in {k}.")
                continue
            parts = [f"{gname(g).lower()}' {'FTE' if m == 'fte' else 'gap'} {stated(st, signed=True)}"
                     for _, m, g, st in eff[:3]]
            out.append(f"{v.name} against {self.base.name}, {k}: " + "; ".join(parts) + ".")
        return out

    def interval_box(self):
        """What each interval contains and what it leaves out, from the cube's attributes."""
        b = self.base
        has = [f"Each number is the mean across the run's {b.nrep} replicates; its 90{NBSP}% interval "
               f"runs from the 5th to the 95th percentile across them (R type 7, as hwsim summary prints)."]
        has.append("Contained: Monte Carlo noise (every person's life course drawn anew in each replicate).")
        if b.param_unc:
            has.append("Contained: the uncertainty of the calibrated parameters: each parameter draw "
                       f"({b.per_draw} replicate{'s' if b.per_draw > 1 else ''} a draw) takes its fitted "
                       "hazard multipliers from the fit's covariance (fitted_cov.csv).")
        else:
            has.append("Not contained: parameter uncertainty; this run held the fitted parameters at "
                       "their point estimates (parameter_uncertainty 0), so the interval is Monte Carlo "
                       "noise only.")
        if b.assumed_unc:
            has.append("Contained: the assumed inputs that no source pins down and no fit estimates "
                       "(emigration, dropout, sick-spell length, the exits of the groups without a "
                       "fitted exit level, immigrants' take-up), each drawn in its "
                       "stated range per parameter draw (assumed.csv).")
        if b.demand_unc:
            has.append(f"Contained, for demand and the gap only: demand uncertainty, {b.demand_setting()}.")
        if self.variants:
            has.append("A variant's effect is the paired difference, replicate by replicate, of two runs "
                       "with the same seed (common random numbers); its interval is that of the difference.")
        left = [("Left out: the assumed inputs not drawn (rates held at their 2019 values, education "
                 "intake, the base stock's sector shares, and a policy's size and uptake)"
                 if b.assumed_unc else
                 "Left out: the assumed inputs (rates held at their 2019 values, education intake, "
                 "immigration, and a policy's size and uptake)") +
                ", errors in the data (the 2019 stock is synthesised from published marginals), and "
                "the model's structure (what it does not simulate)."]
        if not b.demand_unc:
            left.append(f"Left out: demand. Demand is {b.demand_setting()}; the gap under the low and "
                        "high alternatives is shown beside it, not inside any interval.")
        if b.nrep < 20:
            left.append(f"With only {b.nrep} replicates the interval's ends are themselves imprecise.")
        return has, left

    def scenario_lines(self):
        b = self.base
        out = [f"Base: {b.name}" + (f" {NDASH} {b.description}" if b.description else "")]
        for v in self.variants:
            out.append(f"Variant: {v.name}" + (f" {NDASH} {v.description}" if v.description else ""))
        return out

    def provenance(self):
        """One dict per cube: what a reader needs to reproduce it."""
        out = []
        for c in [self.base] + self.variants:
            out.append({
                "file": os.path.basename(c.path), "scenario": c.name, "seed": c.seed,
                "replicates": str(c.nrep), "years": f"{c.years[0]}{NDASH}{c.years[-1]}",
                "parameter uncertainty": ("yes" if c.param_unc else "no")
                + (f", {c.per_draw} replicates a draw" if c.param_unc and c.per_draw > 1 else ""),
                "demand": c.demand_alts or "not recorded",
                "code revision": f"{c.git} (hwsim {c.version})",
                "data": f"{len(c.hashes)} files, SHA-256 of data_sha256 "
                        f"{hashlib.sha256(c.data_sha.encode()).hexdigest()[:16]}",
                "created": c.created,
            })
        return out

    def benchmark_note(self):
        if not self.ref:
            return ("No HELSEMOD reference path: the run's data directory (with the demand.csv it "
                    "was run with) has no docking.csv here.")
        where = os.path.relpath(os.path.join(self.data_dir, "docking.csv"), SOURCE) \
            if os.path.abspath(self.data_dir).startswith(SOURCE + os.sep) else \
            os.path.join(self.data_dir, "docking.csv")
        note = (f"HELSEMOD reference path: supply in {TARGET_YEAR} by group, NOU 2023:4 Table 2.2 "
                f"(SSB's HELSEMOD), from {where} (source: {self.ref_source}; "
                f"sha256 {sha256_file(os.path.join(self.data_dir, 'docking.csv'))[:16]}). "
                f"Demand alternatives: NOU 2023:4 Table 2.5 (demand.csv, the file the run used), "
                f"interpolated geometrically between 2019 and 2040.")
        if self.key != TARGET_YEAR:
            note += f" This run ends in {self.key}: the reference column is for {TARGET_YEAR}."
        return note

    def supply_table(self):
        """Header and rows: group, supply in the table years, the reference path, the gap under
        the three alternatives."""
        ys = self.table_years
        head = ["Group"] + [f"FTE {y}" for y in ys[:-1]] + [f"FTE {ys[-1]} (90 % interval)",
                                                              f"HELSEMOD {TARGET_YEAR}"]
        alts = [a for a in ALTERNATIVES if any((g, a) in self.alts for g in self.groups)]
        head += [f"Gap, {a} demand" for a in alts]
        body = []
        for g in self.groups:
            row = [gname(g)]
            for y in ys[:-1]:
                st = self.st(self.supply, g, y)
                row.append(fmt(st["mean"], step_for(st["mean"])))
            st = self.st(self.supply, g, ys[-1])
            row.append(cell(st))
            row.append(fmt(self.ref[g], 100) if g in self.ref else NDASH)
            for a in alts:
                if (g, a) in self.alts:
                    d = demand_path(self.alts[(g, a)], self.key)
                    gst = {s: st[s] - d for s in STATS}
                    row.append(fmt(gst["mean"], step_for(gst["mean"], gst["p05"], gst["p95"]), signed=True))
                else:
                    row.append(NDASH)
            body.append(row)
        return head, body

    def gap_table(self):
        head = ["Group", f"Demand {self.key}", "Gap, health and care"] + \
            [SECTOR_NAMES[s].split(" (")[0] for s in HEALTH]
        body = []
        for g in self.demand_groups:
            d = self.st(self.demand, g, self.key)
            body.append([gname(g), fmt(d["mean"], step_for(d["mean"])),
                         cell(self.st(self.gap, g, self.key), signed=True)]
                        + [cell(self.st(self.gap_gs, g, s), signed=True) for s in HEALTH])
        tot = ["All groups", "", cell(self.gap_all, signed=True)] + \
            [cell(self.st(self.gap_s, s), signed=True) for s in HEALTH]
        return head, body + [tot]

    def effects_table(self):
        head = ["Variant", "Group", "Measure", f"Effect {self.key} (90 % interval)"]
        body = [[v.name, gname(g), "FTE" if m == "fte" else "gap", cell(st, signed=True)]
                for v, m, g, st in self.effects]
        return head, body


# --------------------------------------------------------------------------- charts

def thousands(ax):
    from matplotlib.ticker import FuncFormatter
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}".replace(",", NBSP)
                                               .replace("-", MINUS)))


def series(table, g, years, stat):
    import numpy as np
    return np.array([float(table[(g, y)][stat]) for y in years])


def draw_fan(ax, b, g):
    """FTE of group g over the years: 90 % and 50 % bands, median; the reference point."""
    ys = b.base.years
    q25, q75 = b.fte_q[g]
    ax.fill_between(ys, series(b.supply, g, ys, "p05"), series(b.supply, g, ys, "p95"),
                    color=SUPPLY, alpha=0.2, lw=0, label="90 % interval")
    ax.fill_between(ys, q25, q75, color=SUPPLY, alpha=0.4, lw=0, label="50 % interval")
    ax.plot(ys, series(b.supply, g, ys, "p50"), color=SUPPLY, lw=1.5, label="median")
    if g in b.ref:
        ax.plot([TARGET_YEAR], [b.ref[g]], "kD", ms=4, label=f"HELSEMOD {TARGET_YEAR}")
    ax.set_title(f"{gname(g)}: FTE", fontsize=9)
    thousands(ax)


def draw_supply_demand(ax, b, g):
    """Supply (median, 90 % band) against the run's demand and HELSEMOD's three paths."""
    ys = b.base.years
    ax.fill_between(ys, series(b.supply, g, ys, "p05"), series(b.supply, g, ys, "p95"),
                    color=SUPPLY, alpha=0.2, lw=0)
    ax.plot(ys, series(b.supply, g, ys, "p50"), color=SUPPLY, lw=1.5, label="supply")
    if g in b.demand_groups:
        lo, hi = series(b.demand, g, ys, "p05"), series(b.demand, g, ys, "p95")
        if (hi - lo).max() > 0:
            ax.fill_between(ys, lo, hi, color=DEMAND, alpha=0.15, lw=0)
        ax.plot(ys, series(b.demand, g, ys, "p50"), color=DEMAND, lw=1.5, label="demand (this run)")
    for a in ALTERNATIVES:
        if (g, a) in b.alts:
            ax.plot(ys, [demand_path(b.alts[(g, a)], y) for y in ys], color="0.35", lw=0.9,
                    ls=ALT_STYLES[a], label=f"HELSEMOD {a}")
    ax.set_title(f"{gname(g)}: supply and demand", fontsize=9)
    thousands(ax)


def draw_gap(ax, b, g):
    ys = b.base.years
    q25, q75 = b.gap_q[g]
    ax.axhline(0, color="0.3", lw=0.7)
    ax.fill_between(ys, series(b.gap, g, ys, "p05"), series(b.gap, g, ys, "p95"),
                    color=DEMAND, alpha=0.2, lw=0, label="90 % interval")
    ax.fill_between(ys, q25, q75, color=DEMAND, alpha=0.4, lw=0, label="50 % interval")
    ax.plot(ys, series(b.gap, g, ys, "p50"), color=DEMAND, lw=1.5, label="median")
    ax.set_title(f"{gname(g)}: gap", fontsize=9)
    thousands(ax)


def draw_gap_sectors(ax, b):
    """The key year's gap by sector for the fan groups, with 90 % error bars."""
    groups = [g for g in FAN_GROUPS if g in b.demand_groups]
    w = 0.8 / len(HEALTH)
    for si, s in enumerate(HEALTH):
        st = [num(b.gap_gs[(g, s)]) for g in groups]
        xs = [i + (si - 1) * w for i in range(len(groups))]
        m = [x["mean"] for x in st]
        err = [[max(0.0, x["mean"] - x["p05"]) for x in st], [max(0.0, x["p95"] - x["mean"]) for x in st]]
        ax.bar(xs, m, w, color=SECTOR_COLOURS[s], label=SECTOR_NAMES[s])
        ax.errorbar(xs, m, yerr=err, fmt="none", ecolor="black", elinewidth=0.8, capsize=2)
    ax.axhline(0, color="0.3", lw=0.7)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([gname(g) for g in groups], fontsize=8)
    ax.set_title(f"Gap by health sector, {b.key} (mean, 90 % interval)", fontsize=9)
    ax.legend(fontsize=7, frameon=False)
    thousands(ax)


def chart_effects(b):
    """The effects the chart shows: per variant its 8 largest, leaving out those under 1 % of
    the largest effect in the brief (the table lists them all)."""
    out = []
    for v in b.variants:
        out += sorted(b.distinct_effects(v), key=lambda e: -abs(e[3]["mean"]))[:8]
    top = max((abs(e[3]["mean"]) for e in out), default=0)
    return [e for e in out if abs(e[3]["mean"]) >= 0.01 * top]


def draw_effects(ax, b):
    """Each variant's non-zero effects (the largest 8, a gap effect equal to the FTE effect left
    out): mean and 90 % interval of the paired difference."""
    eff = chart_effects(b)
    ys = list(range(len(eff)))[::-1]
    for y, (v, m, g, st) in zip(ys, eff):
        # (a mean outside its 5-95 % interval, possible with few replicates, gets no whisker on that side)
        xerr = [[max(0.0, st["mean"] - st["p05"])], [max(0.0, st["p95"] - st["mean"])]]
        ax.errorbar([st["mean"]], [y], xerr=xerr,
                    fmt="o", color=EFFECT if m == "fte" else DEMAND, ms=4, capsize=3)
    ax.axvline(0, color="0.3", lw=0.7)
    ax.set_yticks(ys)
    ax.set_yticklabels([f"{v.name}: {gname(g).lower()}, {'FTE' if m == 'fte' else 'gap'}"
                        for v, m, g, st in eff], fontsize=7)
    ax.set_title(f"Effects against {b.base.name}, {b.key} (mean, 90 % interval; FTE)", fontsize=9)
    from matplotlib.ticker import FuncFormatter
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:+,.0f}".replace(",", NBSP)
                                               .replace("-", MINUS)))


def grid_figure(draw, b, groups, title):
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), constrained_layout=True)
    for ax, g in zip(axes.flat, groups):
        draw(ax, b, g)
    for ax in list(axes.flat)[len(groups):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7, frameon=False)
    fig.suptitle(title, fontsize=11)
    return fig


def write_charts(b, folder):
    """The chart files, each as SVG and PNG; returns {name: caption}."""
    import matplotlib.pyplot as plt
    groups = [g for g in FAN_GROUPS if g in b.groups]
    gap_groups = [g for g in groups if g in b.demand_groups]
    figs = {"fte_fan": (grid_figure(draw_fan, b, groups, f"Contracted FTE in the health and care services, "
                                    f"{b.base.name}"),
                        "Fan charts: median, 50 % and 90 % intervals of FTE by group across replicates; "
                        f"the diamond is HELSEMOD's reference path in {TARGET_YEAR}."),
            "supply_demand": (grid_figure(draw_supply_demand, b, groups, "Supply against demand"),
                              f"Supply (median, 90 % interval) against this run's demand "
                              f"({b.base.demand_setting()}) and HELSEMOD's low, middle and high demand "
                              "paths (Table 2.5).")}
    if gap_groups:
        title = f"Gap (supply {MINUS} demand, FTE), {b.base.name}"
        figs["gap"] = (grid_figure(draw_gap, b, gap_groups, title),
                       "The gap over the years: median, 50 % and 90 % intervals. Negative = shortage.")
        fig, ax = plt.subplots(figsize=(10, 4.5), constrained_layout=True)
        draw_gap_sectors(ax, b)
        figs["gap_by_sector"] = (fig, f"The gap in {b.key} by health sector, with 90 % intervals.")
    if b.effects:
        fig, ax = plt.subplots(figsize=(10, 1.2 + 0.32 * len(chart_effects(b))), constrained_layout=True)
        draw_effects(ax, b)
        figs["effects"] = (fig, "Each variant's paired effect (variant minus base, replicate by "
                                "replicate): mean and 90 % interval of the largest effects. Green: FTE; "
                                "red: gap (shown where it differs from the FTE effect). The table lists "
                                "every effect.")
    captions = {}
    for name, (fig, caption) in figs.items():
        fig.savefig(os.path.join(folder, name + ".svg"), metadata={"Date": None})
        fig.savefig(os.path.join(folder, name + ".png"), dpi=110)
        plt.close(fig)
        captions[name] = caption
    return captions


# --------------------------------------------------------------------------- HTML

CSS = """
body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; color: #111; background: #fff;
       max-width: 1100px; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
a { color: #111; }
.box { border: 2px solid #444; background: #f2f2f2; padding: 0.6em 1em; margin: 1em 0; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #bbb; padding: 2px 6px; text-align: left; vertical-align: top; }
td.n { text-align: right; }
figure { margin: 1em 0; } figure img { width: 100%; } figcaption { font-size: 0.85em; color: #444; }
.small { font-size: 0.8em; color: #444; } code { font-size: 0.9em; }
"""


def html_table(head, body):
    """A table; cells that start with a number are right-aligned."""
    e = html.escape

    def td(c):
        c = str(c)
        numeric = re.match(rf"[-+{MINUS}{NDASH}0-9]", c)
        return f"<td class=\"n\">{e(c)}</td>" if numeric else f"<td>{e(c)}</td>"
    out = ["<div class=\"wide\"><table>", "<tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(td(c) for c in row) + "</tr>" for row in body]
    return "\n".join(out + ["</table></div>"])


def html_figure(name, caption):
    e = html.escape
    return (f'<figure><img src="{name}.svg" alt="{e(caption)}">'
            f'<figcaption>{e(caption)} (<a href="{name}.png">PNG</a>, <a href="{name}.svg">SVG</a>)'
            f'</figcaption></figure>')


def write_html(b, captions, path, made):
    e = html.escape
    has, left = b.interval_box()
    p = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{e(b.title())}</title>",
         f"<style>{CSS}</style></head><body>",
         f"<h1>{e(b.title())}</h1>",
         "<p>" + "<br>".join(e(s) for s in b.scenario_lines()) + "</p>",
         "<h2>Key numbers</h2><ul>" + "".join(f"<li>{e(s)}</li>" for s in b.key_sentences()) + "</ul>",
         "<div class=\"box\"><strong>What each interval contains</strong><ul>"
         + "".join(f"<li>{e(s)}</li>" for s in has) + "</ul><strong>What it leaves out</strong><ul>"
         + "".join(f"<li>{e(s)}</li>" for s in left) + "</ul></div>"]
    for name in ("fte_fan", "supply_demand"):
        p.append(html_figure(name, captions[name]))
    p.append(f"<h2>Supply by group, HELSEMOD's reference path, and the gap under the three demand "
             f"alternatives ({b.key})</h2>")
    p.append(html_table(*b.supply_table()))
    p.append(f"<p class=\"small\">{e(b.benchmark_note())} The gap columns are the supply's mean minus "
             f"HELSEMOD's demand in {b.key} for each alternative.</p>")
    p.append(f"<h2>The gap by group and health sector, {b.key}</h2>")
    p.append(f"<p>Supply {MINUS} demand in FTE, mean (90 % interval); negative = shortage. Demand: "
             f"{e(b.base.demand_setting())}.</p>")
    p.append(html_table(*b.gap_table()))
    for name in ("gap", "gap_by_sector"):
        if name in captions:
            p.append(html_figure(name, captions[name]))
    p.append("<h2>Variants</h2>")
    if b.variants:
        p.append(html_table(*b.effects_table()) if b.effects else
                 f"<p>No variant changes FTE or the gap in {b.key}.</p>")
        if "effects" in captions:
            p.append(html_figure("effects", captions["effects"]))
    else:
        p.append("<p>None given.</p>")
    prov = b.provenance()
    p.append("<h2>Provenance</h2>")
    p.append(html_table([""] + [r["file"] for r in prov],
                        [[k] + [r[k] for r in prov] for k in prov[0] if k != "file"]))
    for c in [b.base] + b.variants:
        p.append(f"<details><summary class=\"small\">data_sha256 of {e(os.path.basename(c.path))}</summary>"
                 f"<pre class=\"small\">{e(c.data_sha.replace(';', chr(10)))}</pre></details>")
    p.append(f"<p class=\"small\">Made by {e(made)}. Every number above is in "
             f"<a href=\"key_numbers.csv\">key_numbers.csv</a> as hwsim summary / compare printed it; "
             f"<a href=\"brief.pdf\">brief.pdf</a> is this page in print.</p>")
    p.append("</body></html>\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(p))


# --------------------------------------------------------------------------- PDF

A4 = (8.27, 11.69)


class TextPage:
    """A PDF page of wrapped text, written top down; font sizes are multiplied by `scale`."""

    def __init__(self, scale=1.0):
        import matplotlib.pyplot as plt
        self.fig, self.y, self.scale = plt.figure(figsize=A4), 0.95, scale

    def text(self, s, size=9, weight="normal", width=105, indent=0.0, gap=0.006):
        size *= self.scale
        chars = int(width * 9 / size)
        for line in textwrap.wrap(s, chars) or [""]:
            self.fig.text(0.07 + indent, self.y, line, fontsize=size, weight=weight, va="top")
            self.y -= size * 1.45 / 72 / A4[1]
        self.y -= gap * self.scale

    def box(self, lines_fn):
        """Text drawn by lines_fn inside a grey framed box."""
        from matplotlib.patches import Rectangle
        top = self.y + 0.008
        lines_fn()
        self.fig.patches.append(Rectangle((0.055, self.y), 0.89, top - self.y, transform=self.fig.transFigure,
                                          facecolor="#f2f2f2", edgecolor="#444", lw=1.2, zorder=-1))
        self.y -= 0.012


def text_page(pdf, write):
    """A page of text written by write(page), its fonts shrunk until it fits (many variants
    make long key numbers)."""
    import matplotlib.pyplot as plt
    scale = 1.0
    while True:
        pg = TextPage(scale)
        write(pg)
        if pg.y >= 0.02 or scale < 0.6:
            break
        plt.close(pg.fig)
        scale *= 0.92
    pdf.savefig(pg.fig)
    plt.close(pg.fig)


def table_axes(fig, rect, head, body, title, size=6.5):
    """A table in the figure area rect, its columns as wide as their longest text."""
    ax = fig.add_axes(rect)
    ax.axis("off")
    ax.set_title(title, fontsize=9, loc="left")
    chars = [max(len(str(r[c])) for r in [head] + body) + 2 for c in range(len(head))]
    t = ax.table(cellText=body, colLabels=head, loc="upper left", cellLoc="right",
                 colWidths=[c / sum(chars) for c in chars])
    t.auto_set_font_size(False)
    t.set_fontsize(size)
    for (r, c), cl in t.get_celld().items():
        cl.set_linewidth(0.3)
        cl.set_height(size * 2.0 / 72 / (rect[3] * A4[1]))  # a row: twice the font size
        if c == 0:
            cl.set_text_props(ha="left")
        if r == 0:
            cl.set_text_props(weight="bold")
    return ax


def write_pdf(b, path, made):
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages
    has, left = b.interval_box()
    with PdfPages(path, metadata={"Title": b.title(), "Creator": "hwsim brief"}) as pdf:
        # Page 1: title, scenarios, key numbers, the intervals' box, provenance.
        def page1(pg):
            pg.text(b.title(), size=16, weight="bold", gap=0.01)
            for s in b.scenario_lines():
                pg.text(s, size=8)
            pg.text("Key numbers", size=11, weight="bold")
            for s in b.key_sentences():
                pg.text("\u2022 " + s, size=8, gap=0.002)
            pg.y -= 0.008

            def box():
                pg.text("What each interval contains", size=9, weight="bold", indent=0.01)
                for s in has:
                    pg.text("\u2022 " + s, size=7.5, indent=0.01, width=100, gap=0.002)
                pg.text("What it leaves out", size=9, weight="bold", indent=0.01)
                for s in left:
                    pg.text("\u2022 " + s, size=7.5, indent=0.01, width=100, gap=0.002)
            pg.box(box)
            pg.text("Provenance", size=10, weight="bold")
            for r in b.provenance():
                pg.text("; ".join(f"{k}: {v}" for k, v in r.items()), size=6.5, gap=0.002)
            pg.text(b.benchmark_note(), size=6.5, gap=0.002)
            pg.text(f"Made by {made}. Every number is in key_numbers.csv as hwsim summary / compare "
                    "printed it.", size=6.5)
        text_page(pdf, page1)

        # Page 2: the tables.
        fig = plt.figure(figsize=A4)
        head, body = b.supply_table()
        table_axes(fig, [0.05, 0.62, 0.9, 0.33], head, body,
                   f"Supply (FTE) by group, HELSEMOD's reference path ({TARGET_YEAR}) and the gap under "
                   f"the three demand alternatives ({b.key})", size=6)
        head, body = b.gap_table()
        table_axes(fig, [0.05, 0.30, 0.9, 0.28], head, body,
                   f"The gap (supply {MINUS} demand, FTE) by group and health sector, {b.key}: mean (90 % "
                   "interval)", size=5.5)
        if b.variants:
            head, body = b.effects_table()
            body = body or [["(none)", "", "", ""]]
            table_axes(fig, [0.05, 0.02, 0.9, 0.24], head, body[:24],
                       f"The variants' paired effects, {b.key} (variant {MINUS} base, FTE): mean "
                       "(90 % interval)"
                       + (f"; the first 24 of {len(body)}, all in key_numbers.csv" if len(body) > 24 else ""),
                       size=5.5)
        pdf.savefig(fig)
        plt.close(fig)

        # Page 3: fan charts and supply against demand.
        groups = [g for g in FAN_GROUPS if g in b.groups]
        fig, axes = plt.subplots(4, 2, figsize=A4, constrained_layout=True)
        for i, g in enumerate(groups):
            draw_fan(axes[i // 2, i % 2], b, g)
            draw_supply_demand(axes[2 + i // 2, i % 2], b, g)
        axes[0, 0].legend(fontsize=6, frameon=False)
        axes[2, 0].legend(fontsize=6, frameon=False)
        fig.suptitle("FTE by group (median, 50 % and 90 % intervals) and supply against demand", fontsize=10)
        pdf.savefig(fig)
        plt.close(fig)

        # Page 4: the gap and the variants' effects, each in its own subfigure (own layout).
        gap_groups = [g for g in groups if g in b.demand_groups]
        parts = (["gap", "sectors"] if gap_groups else []) + (["effects"] if b.effects else [])
        if parts:
            fig = plt.figure(figsize=A4, layout="constrained")
            heights = {"gap": 1.0, "sectors": 1.0, "effects": 0.4 + 0.12 * len(chart_effects(b))}
            subs = fig.subfigures(len(parts), 1, height_ratios=[heights[p] for p in parts])
            for sub, part in zip(subs if len(parts) > 1 else [subs], parts):
                if part == "gap":
                    axes = sub.subplots(1, 2)
                    for ax, g in zip(axes, gap_groups[:2]):
                        draw_gap(ax, b, g)
                    axes[0].legend(fontsize=6, frameon=False)
                    sub.suptitle(f"Gap (supply {MINUS} demand, FTE): median, 50 % and 90 % intervals",
                                 fontsize=9)
                elif part == "sectors":
                    draw_gap_sectors(sub.subplots(), b)
                else:
                    draw_effects(sub.subplots(), b)
            pdf.savefig(fig)
            plt.close(fig)


# --------------------------------------------------------------------------- output folder

def check_output(out, cubes):
    """Refuse an output folder that would lose something: a file, a folder that is not a
    previous brief, one holding an input, or one whose parent does not exist."""
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise BriefError(f"{out}: its parent folder does not exist (expected -o DIR in an existing folder)")
    if os.path.lexists(out) and not os.path.isdir(out):
        raise BriefError(f"{out}: exists and is not a folder (expected -o DIR, a new folder or a "
                         "previous brief)")
    if os.path.isdir(out) and os.listdir(out) and not os.path.isfile(os.path.join(out, "brief.html")):
        raise BriefError(f"{out}: exists and is not a previous brief (no brief.html); "
                         "remove it or choose another folder")
    real = os.path.realpath(out)
    for c in cubes:
        if os.path.realpath(c).startswith(real + os.sep):
            raise BriefError(f"{out}: holds the input {c}; choose another output folder")


def replace_folder(partial, out):
    """Move the finished brief to its name, replacing a previous brief."""
    old = None
    if os.path.isdir(out):
        old = out + ".old"
        shutil.rmtree(old, ignore_errors=True)
        os.rename(out, old)
    os.rename(partial, out)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def write_key_numbers(rows, path):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=KEY_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def make_brief(hwsim, paths, out, log):
    t0 = time.monotonic()
    for p in paths:
        if not os.path.isfile(p):
            raise BriefError(f"{p}: no such file (expected a cube written by hwsim run)")
    check_output(out, paths)
    hw = Hwsim(hwsim)
    # hwsim validates the base (summary) and each pairing (compare) before h5py reads them.
    hw.summary(paths[0], "fte", "group", None)
    base = Cube(paths[0])
    base.label = base.name
    variants = []
    for v in paths[1:]:
        hw.compare(paths[0], v, "fte", "group", [base.years[-1]])
        variants.append(Cube(v))
    names = [c.name for c in [base] + variants]
    for c in variants:
        c.label = c.name if names.count(c.name) == 1 else f"{c.name} ({os.path.basename(c.path)})"

    try:
        import matplotlib
        matplotlib.use("Agg")
        import numpy  # noqa: F401
    except ImportError as e:
        raise BriefError(f"cannot import {e.name} (expected Debian's python3-matplotlib: "
                         "tools/install-deps.sh brief)", 1)
    matplotlib.rcParams.update({"font.size": 8, "svg.hashsalt": "hwsim-brief", "axes.grid": True,
                                "grid.color": "0.9", "grid.linewidth": 0.5})

    b = Brief(hw, base, variants, log)
    made = (f"hwsim brief with {hw.version()} ({hw.path}) on "
            f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}")
    partial = out.rstrip("/") + ".partial"
    if os.path.isdir(partial):
        shutil.rmtree(partial)  # a brief interrupted before
    os.mkdir(partial)
    try:
        log("charts")
        captions = write_charts(b, partial)
        log("brief.html, brief.pdf, key_numbers.csv")
        write_html(b, captions, os.path.join(partial, "brief.html"), made)
        write_pdf(b, os.path.join(partial, "brief.pdf"), made)
        write_key_numbers(b.rows, os.path.join(partial, "key_numbers.csv"))
        replace_folder(partial, out.rstrip("/"))
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    log(f"wrote {out} ({len(b.rows)} key numbers, {len(captions)} charts) in {time.monotonic() - t0:.1f} s")
    return os.path.join(out, "brief.html")


def main(argv):
    def log(msg):
        print(f"hwsim brief: {msg}", file=sys.stderr, flush=True)

    def on_term(signum, frame):
        raise KeyboardInterrupt

    # SIGTERM ends like Ctrl-C, so the .partial folder is removed on the way out.
    signal.signal(signal.SIGTERM, on_term)
    try:
        args = parse_args(argv[1:])
        if args is None:
            return 0
        print(make_brief(*args, log))
        return 0
    except BriefError as e:
        print(f"hwsim brief: {e}", file=sys.stderr)
        return e.code
    except KeyboardInterrupt:
        print("hwsim brief: stopped; nothing written", file=sys.stderr)
        return 130
    except OSError as e:
        print(f"hwsim brief: {e.filename}: {e.strerror}" if e.filename else f"hwsim brief: {e}",
              file=sys.stderr)
        return 1
    except Exception as e:  # a bug: one line too ($HWSIM_BRIEF_DEBUG=1 shows the traceback)
        if os.environ.get("HWSIM_BRIEF_DEBUG"):
            raise
        print(f"hwsim brief: internal error: {type(e).__name__}: {e} (HWSIM_BRIEF_DEBUG=1 shows where)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
