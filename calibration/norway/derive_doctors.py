#!/usr/bin/env python3
"""Derive the doctors' career-track inputs: doctors.csv, lis1_posts.csv,
gp_lists.csv and doctor_base.csv (calibration/norway/).

Pure Python 3, standard library only, deterministic:

    python3 calibration/norway/derive_doctors.py          # writes the four files and the
                                                          # physicians' rows of sector_move.csv
    python3 calibration/norway/derive_doctors.py --check  # prints the derived numbers only

Every figure comes from ../shared/domain/facts.md (Part C = the Legeforeningen
and SOA documents 000/001/004, Part B 4.7 = NOU 2023:4 ch. 10.12), cited by
document and line; where the sources are silent the value is an assumption and
says so.  Two values need the model's own base state or a fit: gp_match_efficiency
is normalised on the model's hiring pool at the start of 2020 (GP_POOL_2020, the
cube's doctor_flows gp_pool), and the fitted multipliers gp_quit and gp_hire of
fitted.csv (hwsim calibrate with doctor_targets.csv) scale the list-leaving hazard
and the matching efficiency; docs/validation.md shows which years were fitted and
which are left for checking.
"""
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# --- published figures (facts.md) -----------------------------------------
GPS_2021 = 4930            # GPs with a municipal contract, start of 2021 (004:L1346-1348)
LISTS_2021 = 5133          # lists registered, start of 2021 (004:L145-147)
VACANT_2021 = 182          # lists without a GP, start of 2021 (004:L151-153)
VACANT_SHARE_2015 = 0.015  # share of lists without a GP 2015 -> 2021 (004:L1316-1318)
VACANT_SHARE_2021 = 0.035
LIST_GROWTH = 0.019        # growth in the number of lists a year since 2015 (004:L1278-1280)
LIST_LEN_2001, LIST_LEN_2021 = 1184, 1068  # mean list length (004:L1190-1192, L2362-2368)
LIST_LEN_2020 = 1077       # mean list length, start of 2020 (004:L1190-1192)
INHAB_VACANT = 110000      # inhabitants on lists without a GP, start of 2021 (004:L155-157; 111 000 at L1298-1300)
GP_SPECIALIST_SHARE = 0.63 # GPs who are specialists in general medicine, end of 2020 (004:L5901-5913)
ALIS_STOCK = 1520          # ALIS in the pipeline (190 x 8-year average, 004:L5919-5925)
GP_NEW_SPEC = 190          # new specialists in general medicine a year (004:L5917-5919)
GP_HOURS = 55.6            # mean weekly hours (001:L1726-1728; 004:L1516-1522)
GP_HOURS_RISE = 7.0     # +7 h a week 2014-2018 (facts.md C 004:L2374-2380)
LIS_HF_2019 = 5430         # doctors in LIS posts in health trusts, 2019 (004:L5629-5631)
LIS_PSY, LIS_BUP = 552, 212  # LIS posts in psychiatry / child and adolescent psychiatry, 2020 (004:L5692-5702)
LIS1_STARTS_2019 = 1000    # started LIS1, 2019: "just over 1 000" (004:L5627-5629)
LIS1_POSTS_OLD = 950       # LIS1 posts before the 2019 recommendation (NOU L19061-19072)
LIS1_POSTS_2023 = 1120     # about 1 120 in 2023 (NOU L19061-19072)
APPROVALS = 1240           # new specialist approvals a year, 2014-2019 (NOU L19147-19152)
EEA_SHARE = 0.20           # about 1 in 5 approvals are EEA conversions, 2014-2019 (NOU L19157-19164)
EEA_SHARE_NOW = (0.184 + 0.161) / 2  # 18.4 % in 2020, 16.1 % in 2021; Nordic automatic approval ended in 2020 (NOU L19219-19223)
LATE_SHARE = 0.40          # > 40 % of LIS more than a year behind (000:L165-167)
MIN_AFTER_LIS1 = 5.0       # LIS3 >= 5 years; >= 6.5 years in all with LIS1's 1.5 (004:L5532-5581, L1158-1160)
PSY_EMP_2020, BUP_EMP_2020 = 1392, 366  # employed in health and social services, 2020 (004:L3801-3815)
PSY_GROWTH = (1725 / 1226) ** (1 / 12)  # approved adult psychiatrists 1 226 -> 1 725, 2008 -> 2020 (004:L3779-3783)
BUP_GROWTH = (431 / 214) ** (1 / 12)    # approved child psychiatrists 214 -> 431 (004:L3785-3793)
PSY_HF_2019 = 1160         # psychiatrists employed by health trusts, 2019 (004:L3850-3852)
PSY_CONTRACT_2019 = 234    # contract specialists in psychiatry, 2019 (004:L3840-3848)
PSY_APPROVED_2020, BUP_APPROVED_2020 = 1725, 431  # approved specialists under 74, 2020 (004:L3779-3793)
IMMIGRANT_DOCTORS = 385    # immigrant physicians a year (inflow.csv)
NOR_GRADS = 541            # Norwegian-educated completions (mean of 554, 550, 519; NOU L29492-29518)
ABROAD_GRADS = 455         # returning Norwegian graduates from abroad a year (inflow.csv)
# hours distribution (004:L1518-1522; 001:L1729-1733): 10 % > 75 h, 10 % < 37.5 h
P_OVER_75, P_UNDER_37 = 0.10, 0.10

# --- derived -----------------------------------------------------------------
def e_inv_duration(min_years, mean_delay, n=200000):
    """E[1 / (min + X)], X exponential with the given mean (midpoint rule on quantiles)."""
    if mean_delay <= 0:
        return 1.0 / min_years
    s = 0.0
    for i in range(n):
        u = (i + 0.5) / n
        s += 1.0 / (min_years - mean_delay * math.log1p(-u))
    return s / n


def solve_delay_for(target_inv, min_years):
    lo, hi = 0.0, 20.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if e_inv_duration(min_years, mid, 20000) > target_inv:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def derive():
    d = {}
    # delays: hospital specialties from the share more than a year late (exponential)
    d["delay_hosp"] = 1.0 / math.log(1.0 / LATE_SHARE)
    # general practice: the stock/flow identity 1 520 = 190 x 8 years, E[1/D] = 190 / 1 520
    d["delay_gp"] = solve_delay_for(GP_NEW_SPEC / ALIS_STOCK, MIN_AFTER_LIS1)
    d["inv_hosp"] = e_inv_duration(MIN_AFTER_LIS1, d["delay_hosp"])
    d["inv_gp"] = e_inv_duration(MIN_AFTER_LIS1, d["delay_gp"])
    # GP stock at the base date (31 Dec 2019 = start of 2020)
    lists_2020 = LISTS_2021 / (1 + LIST_GROWTH)
    vac_share_2020 = VACANT_SHARE_2015 + (VACANT_SHARE_2021 - VACANT_SHARE_2015) * 5 / 6
    vacant_2020 = vac_share_2020 * lists_2020
    gp_per_staffed = GPS_2021 / (LISTS_2021 - VACANT_2021)
    d["gps_2020"] = round((lists_2020 - vacant_2020) * gp_per_staffed)
    d["vacant_2020"] = round(vacant_2020)
    d["staff_2019"] = d["gps_2020"] + d["vacant_2020"]  # lists to staff at 31 Dec 2019
    d["staff_2020"] = GPS_2021 + VACANT_2021            # at 31 Dec 2020
    d["gp_spec"] = round(GP_SPECIALIST_SHARE * d["gps_2020"])
    d["gp_other"] = d["gps_2020"] - d["gp_spec"] - ALIS_STOCK
    # LIS in hospitals: LIS1 (hospital part) + psychiatry + child psychiatry + the rest
    d["lis1_hosp"] = LIS1_STARTS_2019  # the spring and autumn 2019 cohorts
    d["lis1_muni"] = LIS1_POSTS_OLD // 2  # the autumn 2018 cohort
    d["lis_other_hf"] = LIS_HF_2019 - d["lis1_hosp"] - LIS_PSY - LIS_BUP
    # Norwegian-trained approvals = (1 - EEA share) x 1 240; the LIS stock outside the
    # health trusts (private hospitals, community and occupational medicine, ...) that
    # the HF count leaves out, from the balance
    nor = APPROVALS * (1 - EEA_SHARE)
    hf_flow = (LIS_PSY + LIS_BUP + d["lis_other_hf"]) * d["inv_hosp"] + ALIS_STOCK * d["inv_gp"]
    d["lis_other_nonhf"] = max(0, round((nor - hf_flow) / d["inv_hosp"]))
    d["flow"] = {
        "general_practice": ALIS_STOCK * d["inv_gp"],
        "psychiatry": LIS_PSY * d["inv_hosp"],
        "child_psychiatry": LIS_BUP * d["inv_hosp"],
        "other_specialty": (d["lis_other_hf"] + d["lis_other_nonhf"]) * d["inv_hosp"],
    }
    tot = sum(d["flow"].values())
    d["choice_none"] = 0.03
    d["choice"] = {k: (1 - d["choice_none"]) * v / tot for k, v in d["flow"].items()}
    d["other_outside_hf"] = d["lis_other_nonhf"] / (d["lis_other_hf"] + d["lis_other_nonhf"])
    # psychiatrists at the base date (2020 / one year's growth), by sector
    psy19, bup19 = PSY_EMP_2020 / PSY_GROWTH, BUP_EMP_2020 / BUP_GROWTH
    hf_psy = PSY_HF_2019 * PSY_EMP_2020 / (PSY_EMP_2020 + BUP_EMP_2020)
    d["psy"] = {"specialist": round(hf_psy), "other_health": PSY_CONTRACT_2019,
                "municipal": round(psy19 - hf_psy - PSY_CONTRACT_2019)}
    d["bup"] = {"specialist": round(PSY_HF_2019 - hf_psy), "municipal": round(bup19 - (PSY_HF_2019 - hf_psy))}
    # immigrants: the EEA conversions (1 in 5 approvals) arrive as specialists
    d["imm_spec"] = EEA_SHARE_NOW * APPROVALS / IMMIGRANT_DOCTORS
    # the LIS1 queue: 2 x the spring round's posts apply ("about half" get a post, 000:L177-179)
    d["queue"] = LIS1_STARTS_2019
    inflow = NOR_GRADS + ABROAD_GRADS + IMMIGRANT_DOCTORS * (1 - d["imm_spec"])
    d["wait_inflow"] = inflow
    d["giveup"] = (inflow - LIS1_STARTS_2019) / (d["queue"] * 1.15)  # mean pool over the year ~ 1.15 x 31 Dec
    # hours: lognormal through P(h < 37.5) = P(h > 75) = 10 %
    z = 1.2815515655446004
    mu = 0.5 * (math.log(75) + math.log(37.5))
    sig = (math.log(75) - mu) / z
    d["hours_sigma"] = sig
    d["hours_implied_mean"] = math.exp(mu + sig * sig / 2)
    # lists to staff: population growth after 2020 (facts.md A 6: working age / its share)
    p2022 = 3.45 / 0.635
    p2030 = (3.45 + 0.15 * 8 / 11) / 0.627
    p2040 = (3.6 - 0.0395) / 0.597
    g = (p2030 / p2022) ** (1 / 8)
    p2021 = p2022 / g
    d["pop"] = (p2021, p2022, p2030, p2040)
    # mean list length keeps falling at its 2001-2021 pace (municipalities add lists)
    d["len_trend"] = (LIST_LEN_2021 / LIST_LEN_2001) ** (1 / 20) - 1
    k = 1 / (1 + d["len_trend"])
    # 2021-2022: the holdings keep growing as they did 2015-2021 (1.9 % a year, ~100 a year,
    # 004:L1278-1280, L563-565) up to the documents' last observation (January 2023); from
    # there the population and list-length path above (31 Dec of year Y ~ population of Y + 1)
    l22 = d["staff_2020"] * (1 + LIST_GROWTH) ** 2
    p2023 = p2022 * g
    d["lists"] = [(2019, d["staff_2019"]), (2020, d["staff_2020"]),
                  (2021, round(d["staff_2020"] * (1 + LIST_GROWTH))),
                  (2022, round(l22)),
                  (2029, round(l22 * p2030 / p2023 * k ** 7)),
                  (2039, round(l22 * p2040 / p2023 * k ** 17))]
    # inhabitants on a list: GPs x mean list length + those on lists without a GP
    d["vacant_inhab"] = INHAB_VACANT / VACANT_2021
    l19 = d["gps_2020"] * LIST_LEN_2020 + d["vacant_2020"] * d["vacant_inhab"]
    l20 = GPS_2021 * LIST_LEN_2021 + INHAB_VACANT
    d["listed"] = {2019: round(l19), 2020: round(l20), 2021: round(l20 * p2022 / p2021),
                   2022: round(l20 * p2023 / p2021),
                   2029: round(l20 * p2030 / p2021), 2039: round(l20 * p2040 / p2021)}
    return d


GP_QUIT_RATE = 0.10 / 4  # 10 % told the municipality they wanted to leave within 3-5 years (004:L2290-2296)
CONTRACT_2015, CONTRACT_2020 = 9.5, 8.3  # median contract duration, years (004:L1982-1992)
VACANT_OVER_1Y = 1 / 3   # share of the unfilled lists vacant for more than a year, March 2021 (004:L2856-2862)
GP_POOL_2020 = 1777      # the model's hiring pool at the start of 2020: doctor_flows gp_pool, 2020 (mean of 4 replicates)


def write(d):
    F = "facts.md"
    rows = []

    def r(k, v, src, note):
        rows.append((k, v, src, note))

    r("lis1_hospital_years", 1.0, "facts.md B 4.7 L19058-19060; 004:L5550-5560", "LIS1: 12 months in a hospital")
    r("lis1_municipal_years", 0.5, "facts.md B 4.7 L19058-19060; 004:L5550-5560", "then 6 months in a municipality")
    r("lis1_round_spring", round(2 / 12, 4), "facts.md C 000:L212-213", "posts start 1 March (LIS1 status report: positions starting 1.3.2025)")
    r("lis1_round_autumn", round(8 / 12, 4), "facts.md C 004:L5550-5560", "advertised twice a year; assumption: the second round starts 1 September")
    for f in ("general_practice", "psychiatry", "child_psychiatry", "other_specialty"):
        r("min_years_" + f, MIN_AFTER_LIS1, "facts.md C 004:L5532-5581, L1158-1160; B 4.7 L19046-19048",
          "LIS3 >= 5 years after LIS1 (>= 6.5 years in all)")
    r("delay_mean_general_practice", round(d["delay_gp"], 4), "facts.md C 004:L5917-5925",
      "derived: exponential delay whose E[1/(5 + delay)] = 190 / 1 520 (1 520 ALIS = 190 new specialists x 8-year average)")
    for f in ("psychiatry", "child_psychiatry", "other_specialty"):
        r("delay_mean_" + f, round(d["delay_hosp"], 4), "facts.md C 000:L165-167",
          "derived: exponential delay with P(> 1 year) = 0.40 (> 40 % of LIS more than a year behind): mean 1/ln(1/0.4)")
    r("choice_none", d["choice_none"], "assumption", "share of LIS1 completers who do not start a specialty (locum work, research, abroad); no figure in the sources")
    for f in ("general_practice", "psychiatry", "child_psychiatry"):
        r("choice_" + f, round(d["choice"][f], 4), "facts.md C 004:L5917-5925, L5692-5702; B 4.7 L19147-19164",
          "derived: (1 - choice_none) x this specialty's share of Norwegian-trained completions at base (stock x E[1/duration]): "
          + "GP %.0f, psychiatry %.0f, child psychiatry %.0f, other %.0f a year" % tuple(d["flow"][k] for k in ("general_practice", "psychiatry", "child_psychiatry", "other_specialty")))
    r("other_specialty_outside_hospitals", round(d["other_outside_hf"], 4), "facts.md B 4.7 L19147-19164; C 004:L5629-5631",
      "derived: LIS outside the health trusts (%d) / all other-specialty LIS; the non-HF stock balances 0.8 x 1 240 Norwegian-trained approvals" % d["lis_other_nonhf"])
    r("lis1_wait_giveup_rate", round(d["giveup"], 4), "facts.md C 000:L177-179; B 4.3 L29492-29518; inflow.csv",
      "derived: (authorised doctors needing LIS1 a year %.0f - LIS1 starts 1 000) / mean queue (1.15 x 1 000): the queue stays near 2 x the spring round's posts" % d["wait_inflow"])
    r("immigrant_specialist_share", round(d["imm_spec"], 4), "facts.md B 4.7 L19157-19164, L19219-19223; inflow.csv",
      "derived: EEA conversions = 17.25 % (mean of 18.4 % in 2020 and 16.1 % in 2021, after Nordic automatic approval ended) x 1 240 approvals / 385 immigrant doctors a year; the rest need LIS1 (compulsory for all from 2019, 004:L5641-5643)")
    r("gp_hours", GP_HOURS, "facts.md C 001:L1726-1728; 004:L1516-1522", "GPs' mean weekly hours (2018 time-use survey)")
    r("gp_hours_log_sd", round(d["hours_sigma"], 4), "facts.md C 001:L1729-1733; 004:L1518-1522",
      "derived: lognormal through 10 %% > 75 h and 10 %% < 37.5 h (implied mean %.1f h; 25 %% > 62 h published, model %.0f %%)" % (d["hours_implied_mean"], 100 * (1 - ncdf((math.log(62) - 0.5 * (math.log(75) + math.log(37.5))) / d["hours_sigma"]))))
    r("gp_quit_rate", GP_QUIT_RATE, "facts.md C 004:L2290-2296",
      "derived: 10 % of GPs told their municipality they wanted to leave the holding within 3-5 years (EY & Vista 2019): 0.10 / 4 a year, assumed realised; on top of the physicians' exit, retirement and death hazards")
    trend = (CONTRACT_2015 / CONTRACT_2020) ** (1 / 5) - 1
    r("gp_quit_trend", round(trend, 4), "facts.md C 004:L1982-1992",
      "derived: the median contract duration fell from 9.5 (2015) to 8.3 years (2020); at a constant hazard the median is ln 2 / hazard, so the hazard grew (9.5 / 8.3)^(1/5) - 1 a year")
    r("gp_quit_trend_end", 2020, "facts.md C 004:L1982-1992",
      "the trend holds from the base year to the last year it is observed (2020); flat after (assumption: no trend is published beyond)")
    r("gp_quit_late_end", 2022, "facts.md C 004:L151-153; A L6533-6538",
      "the last year of the GP series (January 2023 = the end of model year 2022): the list-leaving hazard grows by the fitted factor gp_quit_late (fitted.csv) each year after gp_quit_trend_end up to this year, and is flat after (assumption: no later figure is published; the 2023-2024 funding changes are a scenario, gp_funding_2023)")
    r("gp_list_elasticity", 1.0, "facts.md C 004:L1761-1763",
      "a GP's hours scale with the mean list length at this elasticity (1: proportional, the documents' own working for the 45-hour week: hours and patients per GP move together); the workload the list-leaving hazard responds to")
    r("gp_list_length_ref", LIST_LEN_2020, "facts.md C 004:L1190-1192",
      "the mean list length at the base (start of 2020) that goes with gp_hours")
    v0 = d["staff_2020"] - d["gps_2020"]  # the vacancies the year's hires are against (lists at its end)
    mu = (1 - VACANT_OVER_1Y) * math.sqrt(v0 / GP_POOL_2020)
    r("gp_match_efficiency", round(mu, 4), "facts.md C 004:L2856-2862; docs/model.md section 4.8",
      "derived: hires into vacant lists = mu x sqrt(V x U) (matching function, equal elasticities: an assumption); mu such that in the first year the hires are 2/3 of the %d lists to fill (lists to staff at the end of 2020 - GPs at its start; 1/3 of the unfilled lists vacant > 1 year, March 2021) from the model's base pool of %d doctors who finished LIS1 without a specialty (under 50, active; the cube's doctor_flows gp_pool of 2020); the fitted multiplier gp_hire scales it" % (v0, GP_POOL_2020))
    hours_trend = math.log(GP_HOURS / (GP_HOURS - GP_HOURS_RISE)) / 4
    r("gp_workload_elasticity", round(math.log(1 + trend) / hours_trend, 4),
      "facts.md C 004:L1982-1992, L2374-2380; 004:L1958-1966, L2290-2302",
      "derived: list-leaving hazard x (hours / 55.6)^e, workload being the main reason GPs consider quitting (1 in 3); e = the hazard's yearly log growth (contract duration 9.5 -> 8.3 years, 2015-2020) / the hours' (+7 h a week to 55.6, 2014-2018): ln(9.5 / 8.3) / 5 / (ln(55.6 / 48.6) / 4), taking the hours as the cause of the trend (the periods differ by a year)")
    r("list_norm", 1500, "facts.md C 004:L1180-1184", "patients per full-time GP, unchanged since 2001 (maximum list 2 500)")
    r("inhabitants_per_vacant_list", round(d["vacant_inhab"], 1), "facts.md C 004:L151-157",
      "derived: 110 000 inhabitants on the 182 lists without a GP, start of 2021")
    with open(os.path.join(HERE, "doctors.csv"), "w") as f:
        f.write("parameter,value,source,note\n")
        for k, v, s, n in rows:
            f.write("%s,%s,%s,%s\n" % (k, fmt(v), q(s), q(n)))
    with open(os.path.join(HERE, "lis1_posts.csv"), "w") as f:
        f.write("year,posts,source,note\n")
        f.write("2019,%d,%s,%s\n" % (LIS1_STARTS_2019, q("facts.md C 004:L5627-5629"), q("started LIS1 in 2019: just over 1 000")))
        f.write("2023,%d,%s,%s\n" % (LIS1_POSTS_2023, q("facts.md B 4.7 L19061-19072"), q("about 1 120 posts in 2023; linear in between, flat after")))
    with open(os.path.join(HERE, "gp_lists.csv"), "w") as f:
        f.write("year,lists,inhabitants,source,note\n")
        notes = {
            2019: ("facts.md C 004:L145-153, L1190-1192, L1278-1280, L1316-1318", "derived: lists to staff at 31 Dec 2019 = GPs %d + lists without a GP %d (lists 5 133 / 1.019; vacant share 1.5 %% (2015) -> 3.5 %% (2021) interpolated); inhabitants = GPs x mean list length 1 077 (start of 2020) + 604 per list without a GP" % (d["gps_2020"], d["vacant_2020"])),
            2020: ("facts.md C 004:L145-157, L1346-1348, L2362-2368", "4 930 GPs + 182 lists without a GP, start of 2021; inhabitants = 4 930 x mean list length 1 068 + 110 000 on lists without a GP"),
        }
        for y, v in d["lists"]:
            s, n = notes.get(y, ("facts.md A 6 L2686-2695; C 004:L1190-1192, L2362-2368", "derived: 2020 lists x population growth (population = working age / its share: %.3f m 2022, %.3f m 2030, %.3f m 2040) / mean list length, which keeps falling %.2f %% a year (1 184 in 2001 -> 1 068 in 2021); inhabitants: 2020 x population growth; linear in between, flat after 2039" % (d["pop"][1:] + (-100 * d["len_trend"],))))
            f.write("%d,%d,%d,%s,%s\n" % (y, v, d["listed"][y], q(s), q(n)))
    base = [
        # stage, specialty, sector, from, to, persons, gp, source, note
        ("lis1_hospital", "none", "specialist", 24, 34, d["lis1_hosp"], "no", "facts.md C 004:L5627-5631", "the spring and autumn 2019 cohorts (just over 1 000 started in 2019)"),
        ("lis1_municipal", "none", "municipal", 24, 34, d["lis1_muni"], "no", "facts.md B 4.7 L19061-19072", "the autumn 2018 cohort: half of the then 950 posts"),
        ("lis", "general_practice", "municipal", 28, 50, ALIS_STOCK, "yes", "facts.md C 004:L5919-5925", "ALIS: 190 a year x 8-year average; each holds a list"),
        ("specialist", "general_practice", "municipal", 33, 74, d["gp_spec"], "yes", "facts.md C 004:L5901-5913", "GPs who are specialists in general medicine: 63 %% of %d GPs" % d["gps_2020"]),
        ("no_specialty", "none", "municipal", 30, 74, d["gp_other"], "yes", "facts.md C 004:L5901-5913", "the other GPs: neither specialists nor ALIS"),
        ("lis", "psychiatry", "specialist", 28, 45, LIS_PSY, "no", "facts.md C 004:L5692-5702", "LIS posts in psychiatry (2020)"),
        ("lis", "child_psychiatry", "specialist", 28, 45, LIS_BUP, "no", "facts.md C 004:L5692-5702", "LIS posts in child and adolescent psychiatry (2020)"),
        ("lis", "other_specialty", "specialist", 27, 45, d["lis_other_hf"], "no", "facts.md C 004:L5629-5631, L5692-5702", "derived: 5 430 LIS in health trusts (2019) - LIS1 1 000 - psychiatry 552 - child psychiatry 212"),
        ("lis", "other_specialty", "other_health", 27, 45, d["lis_other_nonhf"], "no", "facts.md B 4.7 L19147-19164", "derived: LIS outside the health trusts, balancing 0.8 x 1 240 Norwegian-trained approvals a year"),
        ("specialist", "psychiatry", "specialist", 35, 74, d["psy"]["specialist"], "no", "facts.md C 004:L3850-3852", "1 160 psychiatrists in health trusts (2019) x 1 392 / 1 758"),
        ("specialist", "psychiatry", "other_health", 35, 74, d["psy"]["other_health"], "no", "facts.md C 004:L3840-3848", "contract specialists in psychiatry (2019)"),
        ("specialist", "psychiatry", "municipal", 35, 74, d["psy"]["municipal"], "no", "facts.md C 004:L3801-3815", "derived: 1 392 employed (2020) / 1.029 (approved adult psychiatrists +41 %% 2008-2020, 004:L3779-3783) - health trusts - contract specialists"),
        ("specialist", "child_psychiatry", "specialist", 35, 74, d["bup"]["specialist"], "no", "facts.md C 004:L3850-3852", "1 160 x 366 / 1 758"),
        ("specialist", "child_psychiatry", "municipal", 35, 74, d["bup"]["municipal"], "no", "facts.md C 004:L3801-3815", "derived: 366 / 1.060 (approved child psychiatrists doubled 2008-2020, 004:L3785-3793) - health trusts"),
        ("waiting_lis1", "none", "specialist", 24, 34, 600, "no", "facts.md C 000:L177-179", "queue 1 000 = 2 x the spring round's 500 posts; assumption: 60 % in temporary hospital jobs"),
        ("waiting_lis1", "none", "municipal", 24, 34, 150, "no", "facts.md C 000:L177-179", "assumption: 15 % in municipal jobs"),
        ("waiting_lis1", "none", "outside", 24, 34, 150, "no", "facts.md C 000:L177-179", "assumption: 15 % outside health"),
        ("waiting_lis1", "none", "not_working", 24, 34, 100, "no", "facts.md C 000:L177-179", "assumption: 10 % not working"),
    ]
    with open(os.path.join(HERE, "doctor_base.csv"), "w") as f:
        f.write("stage,specialty,sector,age_from,age_to,persons,gp,source,note\n")
        for row in base:
            f.write("%s,%s,%s,%d,%d,%d,%s,%s,%s\n" % (row[:7] + (q(row[7]), q(row[8].replace("%%", "%")))))
    rewrite_sector_moves(base)


K_MOVE = 0.12  # sector_move.csv's turnover constant (rate = k x destination share)


def rewrite_sector_moves(base):
    """Physicians' rows of sector_move.csv for the doctors outside the track.

    GPs holding a list and doctors in LIS1/LIS2/LIS3 do not use the generic
    sector moves (the programme sets their sector), so the rule rate(i -> j) =
    k x share_j, which balances pairwise flows, is applied to the base
    physicians who are neither (their sector shares: base_sector.csv x the
    physician stock of base_age.csv, minus the locked rows of doctor_base.csv).
    """
    import csv
    total = 0
    with open(os.path.join(HERE, "base_age.csv")) as f:
        for row in csv.DictReader(f):
            if row["group"] == "physician":
                total += int(row["persons"])
    share = {}
    with open(os.path.join(HERE, "base_sector.csv")) as f:
        for row in csv.DictReader(f):
            if row["group"] == "physician":
                share[row["sector"]] = float(row["share"])
    hs = ("municipal", "specialist", "other_health")
    free = {s_: total * share[s_] for s_ in hs}
    for stage, spec, sector, a0, a1, n, gp, src, note in base:
        if stage in ("lis1_hospital", "lis1_municipal", "lis") or gp == "yes":
            free[sector] -= n
    tot = sum(free.values())
    fs = {s_: free[s_] / tot for s_ in hs}
    lines = open(os.path.join(HERE, "sector_move.csv")).read().splitlines()
    out = []
    src = "facts.md A 3.2 L7296-7401, A 3.3 L7665-7700; derive_doctors.py"
    for ln in lines:
        if ln.startswith("physician,"):
            fr, to = ln.split(",")[1:3]
            note = ("derived by derive_doctors.py: rate = k x destination share (k=0.12 as for the other groups) among the "
                    "physicians outside the career track (not GPs, not in LIS1/LIS2/LIS3: municipal %.0f, specialist %.0f, "
                    "other_health %.0f at base); pairwise flows balance, so their sector shares are stationary; the track's "
                    "own moves (LIS1 rotation, LIS posts, ALIS) are explicit in agents/doctors.c" % (free["municipal"], free["specialist"], free["other_health"]))
            ln = "physician,%s,%s,%.6f,%s,%s" % (fr, to, K_MOVE * fs[to], q(src), q(note))
        out.append(ln)
    with open(os.path.join(HERE, "sector_move.csv"), "w") as f:
        f.write("\n".join(out) + "\n")
    return free


def ncdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def fmt(v):
    return ("%d" % v) if float(v).is_integer() else ("%.6g" % v)


def q(s):
    s = str(s)
    return '"' + s.replace('"', '""') + '"' if ("," in s or '"' in s) else s


if __name__ == "__main__":
    d = derive()
    if "--check" in sys.argv:
        for k, v in d.items():
            print(k, v)
    else:
        write(d)
        print("wrote doctors.csv, lis1_posts.csv, gp_lists.csv, doctor_base.csv; physicians' rows of sector_move.csv")
