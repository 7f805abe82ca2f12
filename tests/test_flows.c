/**
 * @file test_flows.c
 * @brief The flows into and between groups (issue 13): conversions
 *        (agents/conversion.c, conversion.csv) and the entry propensity
 *        (agents/employment.c, entry.csv, the fitted `entry` odds multiplier),
 *        against closed forms computed here; and the demand gaps (gap, gap_worked).
 *
 * Expected values are derived in each test (exponential survival, the odds
 * transform, binomial standard errors), never copied from a run; tolerances
 * are 4 binomial standard errors unless said otherwise.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "lifecourse.h"
#include "params.h"
#include "population.h"
#include "process.h"
#include "rng.h"
#include "scenario.h"

#define START_YEAR 2019
#define T0 ((double)START_YEAR + 1.0)
#include "norway.h"

static struct params P; /* large: off the stack; each test runs in its own process */

/** @brief Append one active agent at age @p age (exact, at T0) in @p sector. */
static void add_agent(struct population *pop, struct pcg32 *rng, uint32_t idx, int g, double age,
                      int sector, uint64_t seed)
{
  struct agent *a = population_push(pop);
  cr_assert_not_null(a);
  a->key = population_key(0, POP_KEY_BASE, g, 0, idx);
  a->group = (uint8_t)g;
  a->sex = SEX_FEMALE;
  a->status = ST_ACTIVE;
  a->birth = T0 - age;
  a->sector = (uint8_t)sector;
  a->pshare = position_draw(&P, g, sector, (int)age, pcg32_uniform(rng));
  a->t_career = (float)(T0 - 10.0);
  population_seed_agent(a, seed, 0);
}

/** @brief Cell measure @p m of group g in sector s at output year y, all sexes and bands. */
static int64_t measure_in(const struct replicate_out *o, int m, int y, int g, int s)
{
  int64_t n = 0;
  for (int sx = 0; sx < N_SEXES; sx++)
    for (int b = 0; b < N_AGE_BANDS; b++)
      n += o->m[m][(size_t)y * N_CELLS + CELL(g, sx, b, s)];
  return n;
}

/** @brief Persons of group g in sector s at output year y, all sexes and bands. */
static int64_t persons_in(const struct replicate_out *o, int y, int g, int s)
{
  return measure_in(o, M_PERSONS, y, g, s);
}

/** @brief Persons of group g at output year y, all sexes, bands and sectors. */
static int64_t persons_of(const struct replicate_out *o, int y, int g)
{
  int64_t n = 0;
  for (int s = 0; s < N_SECTORS; s++)
    n += persons_in(o, y, g, s);
  return n;
}

/** @brief Sum over sex, band and sector of an entries/exits slab row (kind k) for group g. */
static int64_t flow_of(const struct replicate_out *o, int m, int nk, int y, int k, int g)
{
  int64_t n = 0;
  for (int sx = 0; sx < N_SEXES; sx++)
    for (int b = 0; b < N_AGE_BANDS; b++)
      for (int s = 0; s < N_SECTORS; s++)
        n += o->m[m][((size_t)y * nk + k) * N_CELLS + CELL(g, sx, b, s)];
  return n;
}

static int32_t conversions_at(const struct replicate_out *o, int y, int from, int to)
{
  return o->m[M_CONVERSIONS][((size_t)y * N_GROUPS + from) * N_GROUPS + to];
}

/**
 * @brief The shipped data with every removal and career move switched off
 *        (zero_careers also clears conversion.csv's rows) and group g's only
 *        conversions those given: to[k] at hazard h[k] at every age, keeping
 *        the sector, with every fitted multiplier 1 so that nothing scales the
 *        test's hazards.
 */
static void only_conversions(int g, int n, const int *to, const double *h)
{
  load_norway(&P);
  zero_removals(&P);
  zero_careers(&P);
  memset(P.conv, 0, sizeof P.conv);
  memset(P.conv_sector_entry, 0, sizeof P.conv_sector_entry);
  P.n_conv[g] = n;
  for (int k = 0; k < n; k++) {
    P.conv_to[g][k] = to[k];
    for (int ai = 0; ai < N_AGES; ai++)
      P.conv[g][k][ai] = h[k];
  }
  for (int k = 0; k < N_MULT_PROCS; k++)
    for (int gg = 0; gg < N_GROUPS; gg++)
      for (int b = 0; b < N_AGE_BANDS; b++)
        P.mult[k][gg][b] = 1.0;
}

/**
 * @brief A closed cohort of @p n agents of group g aged age0 + U(0, 1) in @p sector (agent
 *        seeds from @p seed, their ages from the stream (rng_seed, rng_stream)), run @p years
 *        with P into @p o (initialised here; free it and pop->a after).
 */
static void run_cohort(struct population *pop, struct replicate_out *o, int g, int n, double age0,
                       int sector, uint64_t rng_seed, uint64_t rng_stream, uint64_t seed, int years)
{
  struct pcg32 rng;
  pcg32_seed(&rng, rng_seed, rng_stream);
  for (int i = 0; i < n; i++)
    add_agent(pop, &rng, (uint32_t)i, g, age0 + pcg32_uniform(&rng), sector, seed);
  struct scenario s;
  scenario_years(&s, years, seed);
  cr_assert_eq(replicate_out_init(o, years + 1), 0);
  cr_assert_eq(engine_run_population(&P, &s, 0, 2, pop, 0, o, NULL, NULL, NULL), 0);
}

Test(flows, closed_assistant_cohort_converts_at_hazard_h)
{
  /* A closed cohort of n assistants aged 30 in the municipal sector, with
   * every removal, exit, re-entry and sector move switched off, and one
   * conversion, assistant -> health care worker, at hazard h = 0.1 a year at
   * every age.  Nobody enters or leaves, so the headcount stays n exactly,
   * and each person is a health care worker at time t with probability
   * 1 - exp(-h t) (exponential waiting time): after 1..5 years 0.0952,
   * 0.1813, 0.2592, 0.3297, 0.3935.  Tolerance 4 binomial se (n = 20000:
   * se <= 0.0035).  Every conversion is one exit `conversion_out` of an
   * assistant, one entry `conversion_in` of a health care worker and one
   * count in conversions[assistant][health_care_worker]. */
  const double h = 0.1;
  only_conversions(G_ASSISTANT, 1, (const int[]){G_HEALTH_CARE_WORKER}, &h);
  const int n = 20000, years = 5;
  struct population pop = {0};
  struct replicate_out o;
  run_cohort(&pop, &o, G_ASSISTANT, n, 30.0, SEC_MUNICIPAL, 4242, 3, 5, years);
  int64_t conv_total = 0;
  for (int y = 1; y <= years; y++) {
    const int64_t na = persons_of(&o, y, G_ASSISTANT), nh = persons_of(&o, y, G_HEALTH_CARE_WORKER);
    int64_t others = 0;
    for (int g = 0; g < N_GROUPS; g++)
      if (g != G_ASSISTANT && g != G_HEALTH_CARE_WORKER) others += persons_of(&o, y, g);
    cr_expect_eq(na + nh, n, "year %d: %lld assistants + %lld health care workers != %d", y,
                 (long long)na, (long long)nh, n);
    cr_expect_eq(others, 0);
    const double expect = 1.0 - exp(-h * y), share = (double)nh / n;
    const double se = sqrt(expect * (1 - expect) / n);
    cr_log_info("year %d: HFA share %.4f, 1 - e^-ht %.4f", y, share, expect);
    cr_expect_lt(fabs(share - expect), 4 * se, "year %d: HFA share %.4f, expected %.4f +- %.4f", y,
                 share, expect, 4 * se);
    const int32_t c = conversions_at(&o, y, G_ASSISTANT, G_HEALTH_CARE_WORKER);
    conv_total += c;
    cr_expect_eq(flow_of(&o, M_EXITS, N_EXIT_CAUSES, y, EXIT_CONVERSION, G_ASSISTANT), c);
    cr_expect_eq(flow_of(&o, M_ENTRIES, N_ENTRY_SOURCES, y, ENTRY_CONVERSION, G_HEALTH_CARE_WORKER),
                 c);
    cr_expect_eq(conv_total, nh, "cumulative conversions %lld, health care workers %lld",
                 (long long)conv_total, (long long)nh);
  }
  replicate_out_free(&o);
  free(pop.a);
}

Test(flows, conversion_destination_in_proportion_to_its_hazard)
{
  /* Two destinations from nurses, hazards h1 = 0.03 (public health nurse)
   * and h2 = 0.01 (midwife), one year, no other removals: P(converted) =
   * 1 - e^-(h1 + h2) = 0.0392, and a converted nurse went to the public
   * health nurse group with probability h1 / (h1 + h2) = 0.75 (competing
   * exponentials).  n = 100000: se of the first 0.0006, of the second
   * sqrt(0.75 x 0.25 / 3920) = 0.0069. */
  const double h1 = 0.03, h2 = 0.01;
  only_conversions(G_NURSE, 2, (const int[]){G_PUBLIC_HEALTH_NURSE, G_MIDWIFE},
                   (const double[]){h1, h2});
  const int n = 100000;
  struct population pop = {0};
  struct replicate_out o;
  run_cohort(&pop, &o, G_NURSE, n, 35.0, SEC_SPECIALIST, 77, 1, 9, 1);
  const double c1 = conversions_at(&o, 1, G_NURSE, G_PUBLIC_HEALTH_NURSE);
  const double c2 = conversions_at(&o, 1, G_NURSE, G_MIDWIFE);
  const double pc = 1 - exp(-(h1 + h2)), share = (c1 + c2) / n, to1 = c1 / (c1 + c2);
  cr_log_info("converted %.4f (expected %.4f); to public health nurse %.4f (expected 0.75)", share,
              pc, to1);
  cr_expect_lt(fabs(share - pc), 4 * sqrt(pc * (1 - pc) / n));
  cr_expect_lt(fabs(to1 - h1 / (h1 + h2)), 4 * sqrt(0.75 * 0.25 / (c1 + c2)));
  cr_expect_eq(persons_of(&o, 1, G_NURSE) + persons_of(&o, 1, G_PUBLIC_HEALTH_NURSE) +
                   persons_of(&o, 1, G_MIDWIFE),
               n);
  replicate_out_free(&o);
  free(pop.a);
}

Test(flows, conversion_sector_keep_or_destination_stock)
{
  /* Nurses in the specialist sector convert at h = 0.05 a year to public
   * health nurses (rule `entry`) and at h = 0.05 to midwives (rule `keep`),
   * one year, nothing else happening.  A converted midwife is still in the
   * specialist sector, every one of them.  A converted public health nurse is
   * in health sector s with probability base_sector[PHN][s] / (the three
   * health shares), the destination's base stock as base_sector.csv gives it
   * (the input, not a run); tolerance 4 binomial se on ~4 900 conversions.
   * The sector change is part of the conversion: `transitions` stays 0. */
  const double h = 0.05;
  only_conversions(G_NURSE, 2, (const int[]){G_PUBLIC_HEALTH_NURSE, G_MIDWIFE},
                   (const double[]){h, h});
  P.conv_sector_entry[G_NURSE][0] = 1;
  struct population pop = {0};
  struct replicate_out o;
  run_cohort(&pop, &o, G_NURSE, 100000, 35.0, SEC_SPECIALIST, 91, 4, 13, 1);
  const int64_t mw = persons_of(&o, 1, G_MIDWIFE);
  cr_assert_gt(mw, 0);
  cr_expect_eq(persons_in(&o, 1, G_MIDWIFE, SEC_SPECIALIST), mw, "a kept midwife left the sector");
  const double c = (double)persons_of(&o, 1, G_PUBLIC_HEALTH_NURSE);
  cr_assert_gt(c, 1000);
  const double *b = P.base_sector[G_PUBLIC_HEALTH_NURSE];
  const double tot = b[SEC_MUNICIPAL] + b[SEC_SPECIALIST] + b[SEC_OTHER_HEALTH];
  for (int s = 0; s < N_SECTORS; s++) {
    const double expect = s < N_HSECTORS ? b[s] / tot : 0.0;
    const double got = persons_in(&o, 1, G_PUBLIC_HEALTH_NURSE, s) / c;
    cr_log_info("public health nurses in %s: %.4f (expected %.4f)", sector_labels[s], got, expect);
    cr_expect_leq(fabs(got - expect), 4 * sqrt(expect * (1 - expect) / c) + 1e-12,
                  "%s: %.4f, expected %.4f", sector_labels[s], got, expect);
  }
  int64_t moves = 0;
  for (size_t i = 0; i < (size_t)N_GROUPS * N_SECTORS * N_SECTORS; i++)
    moves += o.m[M_TRANSITIONS][(size_t)N_GROUPS * N_SECTORS * N_SECTORS + i];
  cr_expect_eq(moves, 0, "%lld sector transitions counted", (long long)moves);
  replicate_out_free(&o);
  free(pop.a);
}

Test(flows, conversion_only_in_health_sectors)
{
  /* The certificate and the further education are taken at work in the
   * health services: the hazard row of an assistant outside or not working
   * has no conversion, in the health sectors it has conversion.csv's rate. */
  load_norway(&P);
  cr_assert_gt(P.n_conv[G_ASSISTANT], 0, "conversion.csv gives assistants a conversion");
  const int ai = 40 - AGE_MIN;
  for (int s = 0; s < N_SECTORS; s++) {
    struct hazard_row h;
    memset(&h, 0, sizeof h);
    conversion_rates(&h, &P, G_ASSISTANT, SEX_FEMALE, s, ai);
    const double expect =
        SECTOR_IS_HEALTH(s)
            ? P.conv[G_ASSISTANT][0][ai] * P.mult[MP_CONVERT][G_HEALTH_CARE_WORKER][AGE_BAND(40)]
            : 0.0;
    cr_expect_float_eq(h.lam[EV_CONVERT], (float)expect, 1e-7, "sector %s", sector_labels[s]);
  }
}

Test(flows, graduates_enter_at_the_propensity)
{
  /* entry.csv's share p0 = 0.7 for a group's graduates and a fitted odds
   * multiplier m = 2 give p = 2 x 0.7/0.3 / (1 + 2 x 0.7/0.3) = 0.82353:
   * that share of n graduates must start in a health sector, the rest
   * outside or not working in the base stock's proportions (social
   * educators: 0.15 : 0.05, so 3/4 of them outside).  Immigrants (share 1)
   * all start in a health sector.  n = 200000: se 0.00085 for p, and
   * sqrt(0.75 x 0.25 / 35294) = 0.0023 for the split. */
  load_norway(&P);
  const int g = G_SOCIAL_EDUCATOR, n = 200000;
  P.entry_health[g][ENTRY_GRADUATION] = 0.7;
  P.entry_health[g][ENTRY_IMMIGRATION] = 1.0;
  for (int b = 0; b < N_AGE_BANDS; b++)
    P.mult[MP_ENTRY][g][b] = 2.0;
  const double odds = 2.0 * 0.7 / 0.3, p = odds / (1 + odds);
  cr_expect_float_eq(params_entry_share(&P, g, ENTRY_GRADUATION, 25), p, 1e-12);
  struct tally *T = calloc(1, sizeof *T);
  cr_assert_not_null(T);
  struct pcg32 r;
  pcg32_seed(&r, 99, 5);
  int health = 0, outside = 0, notw = 0, imm_health = 0;
  for (int i = 0; i < n; i++) {
    struct agent a = {.group = (uint8_t)g, .sex = SEX_FEMALE, .status = ST_STUDENT};
    employment_enter(&a, 25, T0, ENTRY_GRADUATION, T, &r, &P);
    cr_assert_eq(a.status, ST_ACTIVE);
    health += SECTOR_IS_HEALTH(a.sector);
    outside += a.sector == SEC_OUTSIDE;
    notw += a.sector == SEC_NOT_WORKING;
    struct agent b = {.group = (uint8_t)g, .sex = SEX_FEMALE, .status = ST_PENDING};
    employment_enter(&b, 33, T0, ENTRY_IMMIGRATION, T, &r, &P);
    imm_health += SECTOR_IS_HEALTH(b.sector);
  }
  const double share = (double)health / n, se = sqrt(p * (1 - p) / n);
  const double out_frac = (double)outside / (outside + notw);
  const double out_expect = P.base_sector[g][SEC_OUTSIDE] /
                            (P.base_sector[g][SEC_OUTSIDE] + P.base_sector[g][SEC_NOT_WORKING]);
  cr_log_info("graduates in health %.4f (expected %.4f); outside share of the rest %.4f (%.4f)",
              share, p, out_frac, out_expect);
  cr_expect_lt(fabs(share - p), 4 * se, "share %.4f, expected %.4f +- %.4f", share, p, 4 * se);
  cr_expect_lt(fabs(out_frac - out_expect),
               4 * sqrt(out_expect * (1 - out_expect) / (outside + notw)));
  cr_expect_eq(imm_health, n, "immigrants with share 1 all start in a health sector");
  free(T);
}

Test(flows, no_person_in_two_groups)
{
  /* The shipped data with every process on (conversion.csv included), a
   * cohort of assistants and nurses, 8 years, no intake or inflow: every
   * person is counted in exactly one group, so the persons summed over all
   * groups equal the cohort minus those who left the model (death,
   * emigration, disability, retirement; the age limit is a retirement), and
   * each year the conversions out of a group equal its `conversion_out`
   * exits and the conversions into a group its `conversion_in` entries. */
  load_norway(&P);
  const int n = 30000, years = 8;
  struct population pop = {0};
  struct pcg32 rng;
  pcg32_seed(&rng, 31337, 2);
  for (int i = 0; i < n; i++) {
    const int g = i % 2 ? G_NURSE : G_ASSISTANT;
    add_agent(&pop, &rng, (uint32_t)i, g, 22.0 + 40.0 * pcg32_uniform(&rng),
              employment_entry_sector(&P, g, pcg32_uniform(&rng)), 21);
  }
  struct scenario s;
  scenario_years(&s, years, 21);
  struct replicate_out o;
  cr_assert_eq(replicate_out_init(&o, years + 1), 0);
  cr_assert_eq(engine_run_population(&P, &s, 0, 2, &pop, 0, &o, NULL, NULL, NULL), 0);
  static const int leave[] = {EXIT_DEATH, EXIT_EMIGRATION, EXIT_DISABILITY, EXIT_RETIREMENT};
  int64_t left = 0, converted = 0;
  for (int y = 1; y <= years; y++) {
    int64_t all = 0;
    for (int g = 0; g < N_GROUPS; g++) {
      all += persons_of(&o, y, g);
      for (int k = 0; k < 4; k++)
        left += flow_of(&o, M_EXITS, N_EXIT_CAUSES, y, leave[k], g);
      int64_t out = 0, in = 0;
      for (int h = 0; h < N_GROUPS; h++) {
        out += conversions_at(&o, y, g, h);
        in += conversions_at(&o, y, h, g);
      }
      converted += out;
      cr_expect_eq(out, flow_of(&o, M_EXITS, N_EXIT_CAUSES, y, EXIT_CONVERSION, g));
      cr_expect_eq(in, flow_of(&o, M_ENTRIES, N_ENTRY_SOURCES, y, ENTRY_CONVERSION, g));
    }
    cr_expect_eq(all, n - left, "year %d: %lld persons in all groups, cohort %d - %lld left", y,
                 (long long)all, n, (long long)left);
  }
  cr_log_info("%lld conversions in %d years", (long long)converted, years);
  cr_expect_gt(converted, 0, "the shipped data convert assistants and nurses");
  replicate_out_free(&o);
  free(pop.a);
}

/** @brief Arrivals of group g through entry source src in one year's migration_arrivals. */
static int arrivals(const struct population *pop, int g, int src)
{
  int n = 0;
  for (size_t i = 0; i < pop->n; i++)
    n += pop->a[i].group == g && pop->a[i].entry_src == src;
  return n;
}

Test(flows, immigration_multiplier_scales_immigrants_only)
{
  /* The fitted `immigration` multiplier m scales inflow.csv's immigrants N a
   * year; the count is floor(mN) + 1{U < mN - floor(mN)} (stochastic
   * rounding), so it lies in [floor(mN), ceil(mN)] every year, and is exactly
   * mN when that is whole.  The other channels do not move: returning
   * graduates stay at their own count. */
  load_norway(&P);
  const int g = G_NURSE;
  const double N = P.inflow[g][INFLOW_IMMIGRATION].per_year;
  const double R = P.inflow[g][INFLOW_ABROAD_GRAD].per_year;
  cr_assert_gt(N, 0);
  struct scenario s;
  scenario_years(&s, 1, 3);
  for (int k = 0; k < 3; k++) {
    const double m = k == 0 ? 1.0 : k == 1 ? 2.0 : 0.37;
    for (int b = 0; b < N_AGE_BANDS; b++)
      P.mult[MP_IMMIGRATION][g][b] = m;
    struct population pop = {0};
    migration_arrivals(&P, &s, 0, START_YEAR + 1, &pop);
    cr_assert_str_empty(pop.err);
    const int imm = arrivals(&pop, g, ENTRY_IMMIGRATION),
              ret = arrivals(&pop, g, ENTRY_ABROAD_GRAD);
    cr_log_info("m %.2f: %d immigrants (m N = %.2f), %d returning graduates (%.0f)", m, imm, m * N,
                ret, R);
    cr_expect(imm >= (int)floor(m * N) && imm <= (int)ceil(m * N), "m %.2f: %d immigrants, mN %.2f",
              m, imm, m * N);
    cr_expect(ret >= (int)floor(R) && ret <= (int)ceil(R));
    free(pop.a);
  }
}

/** @brief Element (g, sec) of year y of a (year, group, sector) measure. */
static int32_t gs_at(const struct replicate_out *o, int m, int y, int g, int sec)
{
  return o->m[m][((size_t)y * N_GROUPS + (size_t)g) * N_SECTORS + (size_t)sec];
}

Test(flows, gaps_are_supply_minus_demand)
{
  /* The shipped data, 3 years, one replicate.  For every group with demand and every health
   * sector: gap = contracted FTE in the sector at 31 December - demand, exactly (hundredths).
   * Without sick leave worked FTE equals contracted FTE over the year, so gap_worked =
   * fte_avg - demand exactly in every simulated year and equals gap in the base year.  With
   * sick leave, worked FTE is below contracted FTE by the absence share (about 5-12 %, facts.md
   * B 2), so the base year's gap_worked is the gap scaled by 0.85-0.97.  Outside the health
   * sectors demand and gaps are 0. */
  for (int sick = 0; sick <= 1; sick++) {
    load_norway(&P);
    if (!sick) zero_sick(&P);
    struct scenario s;
    scenario_years(&s, 3, 31);
    struct replicate_out o;
    cr_assert_eq(replicate_out_init(&o, 4), 0);
    cr_assert_eq(engine_run_replicate(&P, &s, 0, 2, &o, NULL, NULL, NULL), 0);
    int groups = 0;
    for (int g = 0; g < N_GROUPS; g++) {
      if (!P.has_demand[g]) continue;
      groups++;
      for (int y = 0; y < 4; y++) {
        for (int sec = 0; sec < N_SECTORS; sec++) {
          const int32_t dem = gs_at(&o, M_DEMAND, y, g, sec), gap = gs_at(&o, M_GAP, y, g, sec),
                        gw = gs_at(&o, M_GAP_WORKED, y, g, sec);
          if (sec >= N_HSECTORS) {
            cr_expect(dem == 0 && gap == 0 && gw == 0, "%s: non-zero outside health",
                      group_labels[g]);
            continue;
          }
          cr_expect_eq(gap, measure_in(&o, M_FTE, y, g, sec) - dem, "%s %d %s", group_labels[g], y,
                       sector_labels[sec]);
          if (!sick) {
            const int64_t want = y == 0 ? gap : measure_in(&o, M_FTE_AVG, y, g, sec) - dem;
            cr_expect_eq(gw, want, "%s year %d %s: gap_worked %d, expected %lld", group_labels[g],
                         y, sector_labels[sec], gw, (long long)want);
          } else if (y == 0 && abs(gap) >= 10000) { /* 100 FTE: the ratio is not rounding */
            const double r = (double)gw / gap;
            cr_expect(r > 0.85 && r < 0.97, "%s %s: base gap_worked / gap = %.3f", group_labels[g],
                      sector_labels[sec], r);
          }
        }
      }
    }
    cr_expect_eq(groups, 14, "demand for the 14 HELSEMOD groups");
    replicate_out_free(&o);
  }
}
