/**
 * @file test_modules.c
 * @brief Each life-course module, run on the real Norwegian data
 *        (calibration/norway) in a small synthetic population, reproduces
 *        the PUBLISHED figure it was calibrated to (shared/domain/facts.md),
 *        or an independent closed form computed here from the input tables.
 *
 * Rules followed throughout:
 *  - the expected value is a published figure or a hand/closed-form
 *    derivation written out in the test, never a number copied from a run;
 *  - every tolerance is stated with its parts: the Monte Carlo standard error
 *    for the cohort size (4 se unless said otherwise), plus the published
 *    figure's own rounding/representativeness, plus the model's documented
 *    approximation (docs/parameters.md), where there is one;
 *  - cohorts are built directly with population_push and run with
 *    engine_run_population(..., cohorts = 0, ...) so no intake or inflow is
 *    added; where a process is isolated the other hazards are zeroed in a
 *    static copy of the parameters and the test says so.
 *
 * The base date is t0 = start_year + 1 = 2020.0 (31 December 2019).  Output
 * year index y is the snapshot at t0 + y; flows in index y happened in
 * calendar year 2019 + y.
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

#define START_YEAR 2019
#define T0 ((double)START_YEAR + 1.0)
#include "norway.h"

/* struct params is large: keep it off the stack.  Criterion runs every test
 * in its own process, so each test starts from a fresh load. */
static struct params P;

/* ---- building cohorts ---- */

/** @brief Append one active agent (as calibration/basepop.c makes them). */
static struct agent *add_agent(struct population *pop, const struct params *p, struct pcg32 *rng,
                               uint32_t idx, int g, int sx, double birth, int sector,
                               double t_career, uint64_t seed)
{
  struct agent *a = population_push(pop);
  a->key = population_key(0, POP_KEY_BASE, g, 0, idx);
  a->group = (uint8_t)g;
  a->sex = (uint8_t)sx;
  a->status = ST_ACTIVE;
  a->birth = birth;
  a->sector = (uint8_t)sector;
  a->pshare = position_draw(p, g, sector, age_at(birth, T0), pcg32_uniform(rng));
  a->t_career = (float)t_career;
  population_seed_agent(a, seed, 0);
  return a;
}

static int64_t slab_persons(const struct replicate_out *o, int y, int g, int sector_lo,
                            int sector_hi)
{
  int64_t n = 0;
  for (int sx = 0; sx < N_SEXES; sx++)
    for (int b = 0; b < N_AGE_BANDS; b++)
      for (int s = sector_lo; s <= sector_hi; s++)
        n += o->m[M_PERSONS][(size_t)y * N_CELLS + CELL(g, sx, b, s)];
  return n;
}

static int32_t exits_age_at(const struct replicate_out *o, int y, int cause, int g, int age)
{
  return o->m[M_EXITS_AGE]
             [(((size_t)y * N_EXIT_CAUSES + cause) * N_GROUPS + g) * N_AGES + (age - AGE_MIN)];
}

/** @brief Mean time to the event within a unit age interval of constant total hazard l. */
static double within_year_mean(double l)
{
  /* E[T | T < 1] for T ~ Exp(l): 1/l - e^{-l} / (1 - e^{-l}); -> 1/2 as l -> 0. */
  if (l < 1e-6) return 0.5 - l / 12.0;
  return 1.0 / l - exp(-l) / (1.0 - exp(-l));
}

/* ======================================================================
 * 1. employment: retention of a graduate cohort in the health services
 * ====================================================================== */

Test(modules, employment_graduate_cohort_retention)
{
  /* Published (facts.md A 3.7, Edelmann & Saeternes 2022, 2015 nurse
   * cohort, L7978-7999): "> 90 % in HOT 2 years after graduation; 87.5 %
   * after 6 years".
   *
   * Cohort: n new Norwegian nurse graduates entering work at t0, all
   * processes of the real data on (this is the calibrated combination of
   * exit.csv x early_career.csv with stationary re-entry, sector moves,
   * death, emigration, disability and the AAP route out of long sick
   * leave).  Entry sector by the base health-sector shares
   * (employment_entry_sector, as employment_enter does for graduates), no
   * sick spell at start (employment_enter starts people well).
   *
   * Age at graduation: the brief suggested 23 (basepop.c's assumption for
   * entry into work), but the model's own graduates are intake age
   * N(22, 4) clipped to [17, 55] (education.csv) plus 2.875 years of study
   * (education.c), i.e. about 25, and the calibration note (exit.csv) is
   * for "a cohort entering at 25".  Under-25s carry a x1.6 exit multiplier
   * (exit.csv), so the age mix matters: we draw graduation ages exactly as
   * the model's graduates get them.  Male share 0.13 (education.csv).
   *
   * Measure: persons in municipal + specialist + other_health over persons
   * still in the model (all five sectors) at t0 + 2 and t0 + 6.
   *
   * Tolerances:
   *  - MC: n = 30000, binomial se = sqrt(0.9 x 0.1 / 30000) = 0.0017 at 2 y
   *    (0.0019 at 6 y); 4 se = 0.007-0.008.
   *  - 2 y: the publication says only "> 90 %" (a lower bound, rounded): we
   *    require >= 0.90 - 4 se ~ 0.893.  A model below 0.89 at two years
   *    contradicts the published statement.
   *  - 6 y: 0.875 from one cohort of ~4 000 graduates (its own binomial se
   *    sqrt(.875 x .125 / 4000) = 0.005); the 2005 cohort was "similar but
   *    slightly lower"; and the data's documented approximation
   *    (docs/parameters.md, exit.csv): one smooth exit schedule cannot hit
   *    the 6 y (2015 cohort) and 10 y (2004 cohort) figures together, "the
   *    least-squares fit is 0.03 off at most".  Tolerance 0.03 + 4 MC se
   *    = 0.038. */
  load_norway(&P);
  const int n = 30000, g = G_NURSE;
  const struct edu_row *e = params_edu_row(&P, g, START_YEAR);
  cr_assert_not_null(e);
  struct population pop = {0};
  struct pcg32 rng;
  pcg32_seed(&rng, 1001, 7);
  int nm = (int)lround(n * e->male_share);
  for (int i = 0; i < n; i++) {
    double age =
        population_draw_age(&rng, e->age_mean, e->age_sd, 17.0, 55.0) + e->duration - 0.125;
    int sec = employment_entry_sector(&P, g, pcg32_uniform(&rng));
    add_agent(&pop, &P, &rng, (uint32_t)i, g, i < nm ? SEX_MALE : SEX_FEMALE, T0 - age, sec, T0,
              11);
  }
  struct scenario s;
  scenario_years(&s, 6, 11);
  struct replicate_out o;
  replicate_out_init(&o, 7);
  engine_run_population(&P, &s, 0, 2, &pop, 0, &o, NULL, NULL, NULL);
  double r2 = (double)slab_persons(&o, 2, g, SEC_MUNICIPAL, SEC_OTHER_HEALTH) /
              (double)slab_persons(&o, 2, g, 0, N_SECTORS - 1);
  double r6 = (double)slab_persons(&o, 6, g, SEC_MUNICIPAL, SEC_OTHER_HEALTH) /
              (double)slab_persons(&o, 6, g, 0, N_SECTORS - 1);
  double se2 = sqrt(0.9 * 0.1 / n), se6 = sqrt(0.875 * 0.125 / n);
  cr_log_info("graduate cohort in health services: 2 y %.4f, 6 y %.4f", r2, r6);
  cr_expect_geq(r2, 0.90 - 4 * se2,
                "2 years after graduation %.4f in the health services; published > 0.90", r2);
  cr_expect_lt(fabs(r6 - 0.875), 0.03 + 4 * se6,
               "6 years after graduation %.4f in the health services; published 0.875 +- %.3f", r6,
               0.03 + 4 * se6);
  replicate_out_free(&o);
}

/* ======================================================================
 * 2. retirement: mean age at old-age/AFP retirement of nurses
 * ====================================================================== */

Test(modules, retirement_mean_age_nurses)
{
  /* Published: KLP Sykepleierordningen, mean exit age to old-age pension +
   * AFP 64.4 in 2020 (facts.md A 3.4, L7795-7799).
   *
   * Cohort: n nurses aged 55 at t0 (exact age 55 + U, as basepop.c draws
   * them; 11 % men, facts.md B 4.6), base sector shares, all processes of
   * the real data on (death and disability compete, as they do for KLP's
   * members), followed 20 years, until everyone has passed 75.
   *
   * The cube counts exits by completed age a.  KLP's figure is a mean of
   * exact ages, so each count at age a is credited with a + E[fraction of
   * the year lived before the exit].  Within single-year age a every hazard
   * that removes a person (retirement, death, disability, emigration) is
   * constant whatever the sector, so the exit time within the year is a
   * truncated exponential with total hazard l_a and that mean is
   * 1/l - e^-l / (1 - e^-l) (within_year_mean; 0.38 at l = 1.5, 0.5 for small
   * l).  l_a uses the female mortality and disability rates; men's differ
   * by < 0.003 a year, which moves the correction by < 0.001.
   *
   * Age 74 is excluded: the cube books everyone still present at the 75th
   * birthday as a retirement at 74 (lifecourse.c), which is the model's age
   * limit, not a hazard.  With hazards 1.5 (65-69) and 5 (70-74) the share
   * of retirements at 74 is e^-(5 x 1.5 + 4 x 5) ~ 1e-12: excluding it
   * changes nothing, and we check it is empty.
   *
   * Tolerance 0.5 year (targets.csv): KLP is one scheme (the largest) and not
   * all nurses (hospital nurses are in other schemes), the figure is for
   * 2020, and the 2004->2020 trend of the all-pension mean is ~0.2 year a
   * year (55.1 -> 58.1); plus 4 MC se: the retirement age has sd ~1.3 years
   * (most retire at 62-65), n ~ 17 000 retirements -> se 0.01. */
  load_norway(&P);
  const int n = 20000, g = G_NURSE;
  struct population pop = {0};
  struct pcg32 rng;
  pcg32_seed(&rng, 2002, 7);
  int nm = (int)lround(n * 0.11), cnt[N_SECTORS];
  population_apportion(n, P.base_sector[g], N_SECTORS, cnt);
  int k = 0, sec = 0;
  for (int i = 0; i < n; i++) {
    while (k >= cnt[sec]) {
      sec++;
      k = 0;
    }
    k++;
    double birth = T0 - 55.0 - pcg32_uniform(&rng);
    struct agent *a = add_agent(&pop, &P, &rng, (uint32_t)i, g, i < nm ? SEX_MALE : SEX_FEMALE,
                                birth, sec, birth + 23.0, 22);
    sickleave_init_state(a, &P, T0, &rng);
  }
  struct scenario s;
  scenario_years(&s, 20, 22);
  struct replicate_out o;
  replicate_out_init(&o, 21);
  engine_run_population(&P, &s, 0, 2, &pop, 0, &o, NULL, NULL, NULL);
  double num = 0, num2 = 0, den = 0;
  int64_t at74 = 0;
  for (int y = 1; y <= 20; y++) {
    at74 += exits_age_at(&o, y, EXIT_RETIREMENT, g, 74);
    for (int age = 55; age <= 73; age++) {
      int32_t c = exits_age_at(&o, y, EXIT_RETIREMENT, g, age);
      if (!c) continue;
      int ai = age - AGE_MIN;
      double l = P.retirement[g][ai] + P.mortality[SEX_FEMALE][ai] +
                 P.disability[g][SEX_FEMALE][ai] + P.emigration[0][ai];
      double x = age + within_year_mean(l);
      num += c * x;
      num2 += c * x * x;
      den += c;
    }
  }
  cr_assert_gt(den, 0.5 * n, "only %.0f retirements from %d nurses aged 55", den, n);
  double mean = num / den, sd = sqrt(num2 / den - mean * mean), se = sd / sqrt(den);
  cr_log_info("retirement: mean exact age %.3f (sd %.2f, %.0f exits, %lld at 74)", mean, sd, den,
              (long long)at74);
  cr_expect_lt(at74, 10, "%lld nurses still present at 75 (retirement hazard 5/yr from 70)",
               (long long)at74);
  cr_expect_lt(fabs(mean - 64.4), 0.5 + 4 * se,
               "mean age at old-age retirement %.3f (sd %.2f, %.0f exits); KLP 64.4 +- 0.5", mean,
               sd, den);
  replicate_out_free(&o);
}

/* ======================================================================
 * 3. disability: mean age at exit to disability pension
 * ====================================================================== */

Test(modules, disability_mean_age_nurses)
{
  /* Published: KLP Sykepleierordningen, mean exit age to disability pension
   * 48.4 (facts.md A 3.4, L7801-7802; year presumably 2020).
   *
   * The data's derivation (disability.csv note) fits the age slope so that
   * the CROSS-SECTIONAL mean age of disability flows over the 2019 nurse
   * stock (base_age.csv) is 48.4: so the faithful check is the flows of one
   * year out of the base stock itself.  Cohort: the nurse stock of
   * p.base_persons (both sexes, every age) replicated K = 8 times (the real
   * stock gives only ~400 flows a year, se ~0.5 year), exact ages a + U as in
   * basepop.c, all sectors as in base_sector.csv.  Disability is the ONLY
   * hazard left on (death, emigration, retirement, career moves, sick leave
   * and position-share moves zeroed): disability applies in every sector at
   * the same rate, so nothing else changes who is at risk.
   *
   * Exact age at exit = completed age + within-year mean (hazard < 0.01, so
   * 0.4995); the stock ages by half a year on average during the year, which
   * puts the simulated mean ~0.14 year above the t0 cross-section.
   *
   * Tolerance 1.5 years (targets.csv): KLP counts graded (partial) disability
   * pensions, which the model's full-exit hazard does not (documented
   * "known tension", docs/parameters.md), the year of 48.4 is not stated,
   * and KLP covers one scheme; plus 4 MC se (sd ~10 years, ~3 200 flows ->
   * se ~0.18). */
  load_norway(&P);
  memset(P.mortality, 0, sizeof P.mortality);
  memset(P.emigration, 0, sizeof P.emigration);
  memset(P.retirement, 0, sizeof P.retirement);
  zero_careers(&P);
  zero_sick(&P);
  zero_pshare_moves(&P);
  const int K = 8, g = G_NURSE;
  struct population pop = {0};
  struct pcg32 rng;
  pcg32_seed(&rng, 3003, 7);
  uint32_t idx = 0;
  for (int rep = 0; rep < K; rep++)
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int ai = 0; ai < N_AGES; ai++)
        for (int32_t i = 0; i < P.base_persons[g][sx][ai]; i++) {
          double birth = T0 - (ai + AGE_MIN) - pcg32_uniform(&rng);
          /* sector drawn by the base shares (disability does not depend on it) */
          double u = pcg32_uniform(&rng), c = 0;
          int sec = 0;
          for (sec = 0; sec < N_SECTORS - 1; sec++) {
            c += P.base_sector[g][sec];
            if (u < c) break;
          }
          add_agent(&pop, &P, &rng, idx++, g, sx, birth, sec, birth + 23.0, 33);
        }
  struct scenario s;
  scenario_years(&s, 1, 33);
  struct replicate_out o;
  replicate_out_init(&o, 2);
  engine_run_population(&P, &s, 0, 2, &pop, 0, &o, NULL, NULL, NULL);
  double num = 0, num2 = 0, den = 0;
  for (int age = AGE_MIN; age <= AGE_MAX; age++) {
    int32_t c = exits_age_at(&o, 1, EXIT_DISABILITY, g, age);
    double x = age + within_year_mean(P.disability[g][SEX_FEMALE][age - AGE_MIN]);
    num += c * x;
    num2 += c * x * x;
    den += c;
  }
  cr_assert_gt(den, 1000, "only %.0f disability exits", den);
  double mean = num / den, se = sqrt(num2 / den - mean * mean) / sqrt(den);
  cr_log_info("disability: mean exact age %.3f (se %.3f, %.0f exits)", mean, se, den);
  cr_expect_lt(fabs(mean - 48.4), 1.5 + 4 * se,
               "mean age at disability exit %.3f (%.0f exits, se %.3f); KLP 48.4 +- 1.5", mean, den,
               se);
  replicate_out_free(&o);
}

/* ======================================================================
 * 4. sick leave: absence shares of municipal nurses, and seasonality
 * ====================================================================== */

Test(modules, sickleave_municipal_nurses_absence_share)
{
  /* Published: KHOT nurses (without further education), doctor-certified
   * absence 9.0 % of agreed days in 2021 (facts.md B 2.2, L14036-14041),
   * scaled to 2019 by the health & social services doctor-certified level
   * 2019/2021 = 7.2/7.9 (B 2.1): 9.0 x 7.2 / 7.9 = 8.20 %.  Self-certified:
   * no KHOT figure exists; health & social services 2019 = mean of the
   * quarters 1.5, 1.0, 0.9, 1.3 = 1.175, printed 1.2 % (B 2.1).
   *
   * Cohort: n nurses employed in municipal care, 11 % men (the published
   * figure is for all nurses; male share facts.md B 4.6), started in the
   * stationary sick-leave state (sickleave_init_state, as basepop.c does),
   * followed 3 years.  Death, emigration, disability, retirement, exits and
   * sector moves are zeroed so the municipal stock stays put; long
   * doctor-certified spells still end in AAP (not_working), which removes
   * them from the municipal cells as in the model.
   *
   * Measure: sick FTE-years / agreed FTE-years (fte_avg: contracted
   * position share x time, including time on leave) over the municipal
   * nurse cells, years 1-3.  This is the published "% of agreed days": a
   * doctor-certified spell covers calendar days evenly, and self-certified
   * spells are given in calendar days (3.5 = about 2.5 working days,
   * derive_sick.py), so the calendar share equals the working-day share.
   *
   * Tolerances:
   *  - doctor: MC se of a 3-year compound-Poisson sick share with incidence
   *    i ~ 1.14 and spell length mean 30 / sd 45 days: var per person ~
   *    i E[D^2] / 3 = 1.14 x (45^2 + 30^2) / 365.25^2 / 3 = 0.0083, so
   *    se ~ sqrt(0.0083 / 20000) = 0.00065 = 0.065 pp; 4 se = 0.26 pp.  The
   *    published inputs are rounded to 0.1 (9.0, 7.2, 7.9): worst case
   *    relative error 0.05/9.0 + 0.05/7.2 + 0.05/7.9 = 1.9 % = 0.15 pp.
   *    Tolerance 0.41 pp.
   *  - self: se per person ~ sqrt(1.44 x (3.5^2 + 2^2) / 365.25^2 / 3) =
   *    0.0077, se = 0.005 pp; the published 1.2 is the rounded 1.175 and its
   *    quarters are rounded to 0.1 -> +-0.05 pp.  Tolerance 0.05 + 4 se
   *    + 0.025 (1.2 vs 1.175) = 0.095 pp. */
  load_norway(&P);
  zero_removals(&P);
  zero_careers(&P);
  const int n = 20000, g = G_NURSE;
  struct population pop = {0};
  struct pcg32 rng;
  pcg32_seed(&rng, 4004, 7);
  int nm = (int)lround(n * 0.11);
  for (int i = 0; i < n; i++) {
    double birth =
        T0 - 25.0 - 35.0 * pcg32_uniform(&rng); /* ages 25-59: rates do not depend on age */
    struct agent *a = add_agent(&pop, &P, &rng, (uint32_t)i, g, i < nm ? SEX_MALE : SEX_FEMALE,
                                birth, SEC_MUNICIPAL, birth + 23.0, 44);
    sickleave_init_state(a, &P, T0, &rng);
  }
  struct scenario s;
  scenario_years(&s, 3, 44);
  struct replicate_out o;
  replicate_out_init(&o, 4);
  engine_run_population(&P, &s, 0, 2, &pop, 0, &o, NULL, NULL, NULL);
  int64_t doc = 0, self = 0, avg = 0;
  for (int y = 1; y <= 3; y++)
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int b = 0; b < N_AGE_BANDS; b++) {
        size_t c = (size_t)y * N_CELLS + CELL(g, sx, b, SEC_MUNICIPAL);
        doc += o.m[M_SICK][c * N_SICK_TYPES + SICK_DOCTOR];
        self += o.m[M_SICK][c * N_SICK_TYPES + SICK_SELF];
        avg += o.m[M_FTE_AVG][c];
      }
  double pdoc = 100.0 * (double)doc / (double)avg, pself = 100.0 * (double)self / (double)avg;
  double target_doc = 9.0 * 7.2 / 7.9; /* 8.203 % */
  cr_log_info("municipal nurses: doctor %.3f %%, self %.3f %%", pdoc, pself);
  cr_expect_lt(fabs(pdoc - target_doc), 0.41,
               "doctor-certified %.3f %% of agreed days; published 9.0 x 7.2/7.9 = %.3f %% +- 0.41",
               pdoc, target_doc);
  cr_expect_lt(fabs(pself - 1.2), 0.095,
               "self-certified %.3f %% of agreed days; published 1.2 %% +- 0.095", pself);
  replicate_out_free(&o);
}

/** @brief Sick spells started in one simulated year by n municipal nurses with only quarter q's
 *         seasonal multiplier on (others 0). */
static int64_t spells_in_quarter_only(const struct params *full, int q, int n)
{
  static struct params W;
  W = *full;
  for (int k = 0; k < 4; k++)
    if (k != q) W.sick_season[k] = 0;
  struct hazard_row *rows = malloc(sizeof *rows * N_HROWS);
  struct tally *T = calloc(1, sizeof *T);
  cr_assert(rows && T);
  struct engine_ctx ctx = {
      .p = &W, .seed = 55, .replicate = 0, .year = START_YEAR + 1, .rows = rows};
  lifecourse_prepare_year(&ctx, rows);
  for (int i = 0; i < n; i++) {
    struct agent a;
    memset(&a, 0, sizeof a);
    a.key = population_key(0, POP_KEY_BASE, G_NURSE, 0, (uint32_t)i);
    a.group = G_NURSE;
    a.sex = SEX_FEMALE;
    a.status = ST_ACTIVE;
    a.birth = T0 - 40.5;
    a.sector = SEC_MUNICIPAL;
    a.pshare = 100;
    a.t_career = (float)(a.birth + 23.0);
    population_seed_agent(&a, 55, 0);
    lifecourse_advance_year(&a, &ctx, T);
  }
  int64_t spells = T->sick_spells_started;
  free(rows);
  free(T);
  return spells;
}

Test(modules, sickleave_seasonality_q1_over_q3)
{
  /* Published: absence in health & social services, 2019, by quarter
   * (facts.md B 2.1, Figure 9.11): Q1 9.5 %, Q3 6.9 %.  The cube has no
   * quarterly axis, so we count spells directly: one year of the event loop
   * (lifecourse_advance_year on a tally of our own) with only one quarter's
   * multiplier switched on (the others set to 0), for Q1 and then for Q3.
   * Thinning then admits spells at incidence i x m_q in that quarter only,
   * so the ratio of spells started is m_1 / m_3, which must equal the
   * published 9.5 / 6.9 = 1.377 (and so Q1 > Q3).
   *
   * Only self-certified spells are left on (doctor-certified zeroed; all
   * removals, career moves and position-share moves zeroed): people on leave
   * are not at risk, and with spells of ~3.5 days the at-risk share differs
   * between the two quarters by < 0.4 % (1.2 % absence x (m1 - m3)).
   * Tolerance: Poisson counts, n = 40000 women at i = 1.44 a year: ~16 300
   * and ~11 800 spells, se of the ratio 1.377 x sqrt(1/16300 + 1/11800)
   * = 0.016; 4 se = 0.065, plus the at-risk bias 0.005 and the rounding of
   * the published quarters (9.5 +- 0.05, 6.9 +- 0.05: +-0.017). */
  load_norway(&P);
  zero_removals(&P);
  zero_careers(&P);
  zero_pshare_moves(&P);
  for (int sx = 0; sx < N_SEXES; sx++)
    for (int s = 0; s < N_HSECTORS; s++)
      for (int g = 0; g < N_GROUPS; g++)
        P.sick_spells[g][sx][s][SICK_DOCTOR] = 0;
  const int n = 40000;
  int64_t q1 = spells_in_quarter_only(&P, 0, n), q3 = spells_in_quarter_only(&P, 2, n);
  cr_assert_gt(q3, 1000, "only %lld spells in Q3", (long long)q3);
  double ratio = (double)q1 / (double)q3, expect = 9.5 / 6.9;
  double se = ratio * sqrt(1.0 / (double)q1 + 1.0 / (double)q3);
  cr_log_info("spells Q1 %lld, Q3 %lld, ratio %.4f (published %.4f)", (long long)q1, (long long)q3,
              ratio, expect);
  cr_expect_gt(q1, q3, "Q1 spells %lld not above Q3 %lld", (long long)q1, (long long)q3);
  /* Absolute level too (the ratio alone would not see thinning that was
   * skipped in every quarter): spells in the open quarter = n x i x m_q x 1/4
   * x the share of the quarter at risk, which lies between 1 - i m_q d
   * (d = 3.5 days, the mean self-certified spell) and 1 (everyone starts
   * well).  Tolerance 4 Poisson se beyond that interval. */
  const int qs[2] = {0, 2};
  const int64_t got[2] = {q1, q3};
  for (int k = 0; k < 2; k++) {
    double i = P.sick_spells[G_NURSE][SEX_FEMALE][SEC_MUNICIPAL][SICK_SELF],
           m = P.sick_season[qs[k]];
    double hi = n * i * m * 0.25, lo = hi * (1.0 - i * m * 3.5 / DAYS_PER_YEAR), tol = 4 * sqrt(hi);
    cr_expect(got[k] > lo - tol && got[k] < hi + tol,
              "Q%d-only spells %lld outside [%.0f, %.0f] +- %.0f (n i m_q / 4)", qs[k] + 1,
              (long long)got[k], lo, hi, tol);
  }
  cr_expect_lt(fabs(ratio - expect), 4 * se + 0.005 + 0.017,
               "Q1/Q3 spell incidence %.4f (%lld / %lld); published 9.5/6.9 = %.4f", ratio,
               (long long)q1, (long long)q3, expect);
}

/* ======================================================================
 * 5. position share
 * ====================================================================== */

/** @brief Mean position share (fraction) of the group's base stock (every age, both sexes) drawn
 *         into one sector, read back from the cube's year-0 snapshot. */
static double stock_mean_pshare(const struct params *p, int g, int sector, uint64_t seed,
                                int64_t *persons)
{
  struct population pop = {0};
  struct pcg32 rng;
  pcg32_seed(&rng, seed, 9);
  uint32_t idx = 0;
  for (int sx = 0; sx < N_SEXES; sx++)
    for (int ai = 0; ai < N_AGES; ai++)
      for (int32_t i = 0; i < p->base_persons[g][sx][ai]; i++) {
        double birth = T0 - (ai + AGE_MIN) - pcg32_uniform(&rng);
        add_agent(&pop, p, &rng, idx++, g, sx, birth, sector, birth + 23.0, seed);
      }
  struct scenario s;
  scenario_years(&s, 0, seed); /* the base snapshot only */
  struct replicate_out o;
  replicate_out_init(&o, 1);
  engine_run_population(p, &s, 0, 1, &pop, 0, &o, NULL, NULL, NULL);
  int64_t fte = 0, np = 0;
  for (int sx = 0; sx < N_SEXES; sx++)
    for (int b = 0; b < N_AGE_BANDS; b++) {
      fte += o.m[M_FTE][CELL(g, sx, b, sector)];
      np += o.m[M_PERSONS][CELL(g, sx, b, sector)];
    }
  replicate_out_free(&o);
  *persons = np;
  return (double)fte / 100.0 / (double)np;
}

Test(modules, position_share_nurses_specialist)
{
  /* Published: Spekter, mean position share in the specialist services,
   * 2021, "Sykepleier" 87 % (facts.md B 1.3, Figure 9.6, L12750-12990).
   *
   * The figure covers all employed hospital nurses, whatever their age, so
   * the faithful check draws position shares (position_draw, as basepop.c
   * and employment_enter do) for the whole 2019 nurse stock, with its age
   * distribution (p.base_persons, 18-74, both sexes), placed in the
   * specialist sector.  (The brief suggested ages 25-59 only; that band's
   * distribution alone has mean 0.880 in position_share.csv, which would
   * pass too, but the published figure is not age-restricted.)
   *
   * Tolerance 0.02 (targets.csv): the figure is printed in whole percent
   * (+-0.005), it is for 2021 against a 2019 base, and "Sykepleier" in
   * Spekter's split excludes the specialist nurses (92-96 %) whom the model
   * counts with nurses; plus 4 MC se: position-share sd ~0.2 over
   * n = 111 108 -> se 0.0006. */
  load_norway(&P);
  int64_t np;
  double m = stock_mean_pshare(&P, G_NURSE, SEC_SPECIALIST, 55, &np);
  double se = 0.2 / sqrt((double)np);
  cr_log_info("nurses specialist mean pshare %.4f", m);
  cr_expect_lt(fabs(m - 0.87), 0.02 + 4 * se,
               "nurses in specialist services: mean position share %.4f (n %lld); Spekter 0.87", m,
               (long long)np);
}

Test(modules, position_share_hfa_municipal)
{
  /* Published: KHOT 2019, health care workers (HFA) "rundt 80 prosent"
   * (facts.md B 1.3, L12684-12701).  Whole HFA stock (p.base_persons, every
   * age) drawn into the municipal sector.  Tolerance 0.02 ("about 80",
   * i.e. rounded at least to whole percent, and for HFA incl. hjelpepleiere;
   * targets.csv gives 0.02) + 4 MC se (sd ~0.22, n = 93 925 -> se 0.0007). */
  load_norway(&P);
  int64_t np;
  double m = stock_mean_pshare(&P, G_HEALTH_CARE_WORKER, SEC_MUNICIPAL, 66, &np);
  double se = 0.22 / sqrt((double)np);
  cr_log_info("HFA municipal mean pshare %.4f", m);
  cr_expect_lt(fabs(m - 0.80), 0.02 + 4 * se,
               "HFA in municipal care: mean position share %.4f (n %lld); published ~0.80", m,
               (long long)np);
}

/* ======================================================================
 * 6. demography: survival of men from 40 to 50
 * ====================================================================== */

Test(modules, mortality_men_40_ten_year_survival)
{
  /* Closed form: only death on (every other hazard zeroed, including
   * emigration).  Men exactly 40 at t0 (birth = t0 - 40) spend exactly one
   * year at each age 40..49 in the 10 years, each at the constant hazard
   * m_a of mortality.csv, so S(10) = exp(-sum_{a=40}^{49} m_a).
   * Tolerance: 4 binomial se sqrt(S (1 - S) / n); n = 50 000 -> ~0.0022
   * against 1 - S ~ 0.016.  (The event loop stores hazards as float: the
   * relative rounding 6e-8 is far below that.) */
  load_norway(&P);
  const double m0 = P.mortality[SEX_MALE][40 - AGE_MIN];
  memset(P.emigration, 0, sizeof P.emigration);
  memset(P.disability, 0, sizeof P.disability);
  memset(P.retirement, 0, sizeof P.retirement);
  zero_careers(&P);
  zero_sick(&P);
  zero_pshare_moves(&P);
  cr_assert_gt(m0, 0);
  const int n = 50000;
  struct population pop = {0};
  struct pcg32 rng;
  pcg32_seed(&rng, 6006, 7);
  for (int i = 0; i < n; i++)
    add_agent(&pop, &P, &rng, (uint32_t)i, G_NURSE, SEX_MALE, T0 - 40.0, SEC_MUNICIPAL, T0 - 17.0,
              66);
  struct scenario s;
  scenario_years(&s, 10, 66);
  struct replicate_out o;
  replicate_out_init(&o, 11);
  engine_run_population(&P, &s, 0, 2, &pop, 0, &o, NULL, NULL, NULL);
  double H = 0;
  for (int a = 40; a <= 49; a++)
    H += P.mortality[SEX_MALE][a - AGE_MIN];
  double S = exp(-H), sim = (double)slab_persons(&o, 10, G_NURSE, 0, N_SECTORS - 1) / n;
  double se = sqrt(S * (1 - S) / n);
  cr_log_info("men 40->50 survival %.5f vs %.5f", sim, S);
  cr_expect_lt(fabs(sim - S), 4 * se, "men 40->50: survival %.5f vs exp(-%.5f) = %.5f (se %.5f)",
               sim, H, S, se);
  /* and every loss was a death */
  int64_t deaths = 0;
  for (int y = 1; y <= 10; y++)
    for (int a = AGE_MIN; a <= AGE_MAX; a++)
      deaths += exits_age_at(&o, y, EXIT_DEATH, G_NURSE, a);
  cr_expect_eq(deaths, n - slab_persons(&o, 10, G_NURSE, 0, N_SECTORS - 1));
  replicate_out_free(&o);
}

/* ======================================================================
 * 7. education: the first simulated intake's graduates
 * ====================================================================== */

/** @brief Nurse graduates entering work (entries, source graduation) in each output year, from an
 *         empty population with the study intake on; the 2020 intake scaled to @p intake. */
static void run_nurse_intake(double intake, int64_t *grads, int years)
{
  load_norway(&P);
  /* Only nurses study; no immigration or other inflow (they enter by other
   * sources anyway, but this keeps the run small). */
  for (int g = 0; g < N_GROUPS; g++)
    if (g != G_NURSE) P.n_edu[g] = 0;
  memset(P.inflow, 0, sizeof P.inflow);
  struct edu_row *e = (struct edu_row *)params_edu_row(&P, G_NURSE, START_YEAR + 1);
  cr_assert_not_null(e);
  cr_assert(e == &P.edu[G_NURSE][P.n_edu[G_NURSE] - 1],
            "education.csv: expected the nurse row in force in 2020 to hold for the whole run");
  if (intake > 0) e->intake = intake;
  struct scenario s;
  scenario_years(&s, years, 77);
  struct replicate_out o;
  replicate_out_init(&o, years + 1);
  struct population pop = {0};
  engine_run_population(&P, &s, 0, 2, &pop, 1, &o, NULL, NULL, NULL);
  for (int y = 0; y <= years; y++) {
    grads[y] = 0;
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int b = 0; b < N_AGE_BANDS; b++)
        for (int sec = 0; sec < N_SECTORS; sec++)
          grads[y] += o.m[M_ENTRIES][((size_t)y * N_ENTRY_SOURCES + ENTRY_GRADUATION) * N_CELLS +
                                     CELL(G_NURSE, sx, b, sec)];
  }
  replicate_out_free(&o);
}

Test(modules, education_first_graduates_nurses)
{
  /* Closed form: the first simulated intake is 2020 (the education.csv
   * nurse row in force in 2020: the 2016 row held on the reference path,
   * intake 4848, 3 years, completion share 0.85), admitted in August 2020
   * and graduating in June 2023, so the first graduates enter in output year
   * 2023 (index 4) and none before.  Expected graduates = intake x
   * completion_share = 4848 x 0.85 = 4120.8, less deaths in study (female
   * mortality ~0.0003 a year at 22-25 over ~3 years: x0.999, ~4 persons).
   * Tolerance: 4 binomial se, sqrt(4848 x 0.85 x 0.15) = 24.9 -> 99.
   *
   * NOTE (reported to the lead): education.c sets the dropout hazard to
   * -ln(c) / duration but students study from August to June, i.e.
   * duration - 0.125 years, so the simulated completion is
   * c^((3 - 0.125)/3) = 0.85^0.9583 = 0.8556, not 0.85: +0.0056 x 5150 = +29
   * graduates here (~1 se, so this test cannot see it).  The test below
   * with a large intake does. */
  int64_t gr[6];
  run_nurse_intake(0, gr, 5);
  for (int y = 0; y < 4; y++)
    cr_expect_eq(gr[y], 0, "graduates before 2023 in index %d: %lld", y, (long long)gr[y]);
  const struct edu_row *e = params_edu_row(&P, G_NURSE, START_YEAR + 1);
  const double intake = e->intake, c = e->completion, surv = exp(-0.0003 * 3.0);
  double expect = intake * c * surv, se = sqrt(intake * c * (1 - c));
  cr_log_info("nurse graduates 2023: %lld vs %.1f (intake %.0f)", (long long)gr[4], expect, intake);
  cr_expect_lt(fabs((double)gr[4] - expect), 4 * se,
               "2023 nurse graduates %lld; intake x completion = %.1f +- %.1f", (long long)gr[4],
               expect, 4 * se);
}

Test(modules, education_completion_share_precise)
{
  /* The same closed form with the 2020 nurse intake raised to 200 000 so the
   * binomial se is small: se = sqrt(200000 x 0.85 x 0.15) = 160, 4 se = 640
   * (0.32 % of the expected 169 850); mortality in study as above (x0.999,
   * uncertain to +-0.0003 -> +-60 persons, added to the tolerance).
   *
   * This test found a real bug (fixed): the dropout hazard was -ln(c)/duration
   * but a student is enrolled for only duration - 0.125 years (August to
   * June), which gave a completion share of 0.85^(2.875/3) = 0.8556. */
  int64_t gr[6];
  const double intake = 200000, c = 0.85, surv = exp(-0.0003 * 3.0);
  run_nurse_intake(intake, gr, 4);
  double expect = intake * c * surv, se = sqrt(intake * c * (1 - c));
  cr_log_info("nurse graduates 2023: %lld vs %.1f (intake %.0f)", (long long)gr[4], expect, intake);
  cr_expect_lt(fabs((double)gr[4] - expect), 4 * se + 60,
               "2023 nurse graduates %lld from 200 000 admitted; intake x completion %.0f +- %.0f "
               "(simulated completion share %.4f vs 0.85)",
               (long long)gr[4], expect, 4 * se + 60, (double)gr[4] / intake / surv);
}
