/**
 * @file test_levers.c
 * @brief The levers of issue 15 against closed forms: extend_working_life on a closed cohort
 *        whose only exit is disability at a constant hazard (postponing every exit by N years
 *        shifts the survival curve by N years: the stock at t is the baseline's at t - N, so it
 *        rises by the baseline's exits of one year per year postponed), its cap at before_age,
 *        per-person uptake, and a measure of size zero (bit-identical).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvtab.h"
#include "engine.h"
#include "params.h"
#include "population.h"
#include "process.h"
#include "rng.h"
#include "scenario.h"

#define START_YEAR 2019
#define T0 ((double)START_YEAR + 1.0)
#include "norway.h"
#include "same.h"

static struct params P; /* large: off the stack; each test runs in its own process */

/** @brief The shipped data with one exit only: disability at @p lam at every age, multipliers 1. */
static void only_disability(double lam)
{
  load_norway(&P);
  zero_removals(&P);
  zero_careers(&P);
  zero_sick(&P);
  zero_pshare_moves(&P);
  for (int g = 0; g < N_GROUPS; g++)
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int ai = 0; ai < N_AGES; ai++)
        P.disability[g][sx][ai] = lam;
  for (int k = 0; k < N_MULT_PROCS; k++)
    for (int g = 0; g < N_GROUPS; g++)
      for (int b = 0; b < N_AGE_BANDS; b++)
        P.mult[k][g][b] = 1.0;
}

/** @brief The shipped data with one event only: leaving the labour force at @p lam, every age. */
static void only_leaving(double lam)
{
  only_disability(0.0);
  for (int g = 0; g < N_GROUPS; g++)
    for (int ai = 0; ai < N_AGES; ai++)
      P.exit_not_working[g][ai] = lam;
}

/** @brief n nurses in the municipal sector aged age0 (+ U(0, 1) when @p spread), from T0. */
static void cohort(struct population *pop, int n, double age0, int spread, uint64_t seed)
{
  struct pcg32 rng;
  pcg32_seed(&rng, 4711, 7);
  for (int i = 0; i < n; i++) {
    struct agent *a = population_push(pop);
    cr_assert_not_null(a);
    const double age = age0 + (spread ? pcg32_uniform(&rng) : 0.0);
    a->key = population_key(0, POP_KEY_BASE, G_NURSE, 0, (uint32_t)i);
    a->group = G_NURSE;
    a->sex = SEX_FEMALE;
    a->status = ST_ACTIVE;
    a->birth = T0 - age;
    a->sector = SEC_MUNICIPAL;
    a->pshare = position_draw(&P, G_NURSE, SEC_MUNICIPAL, (int)age, pcg32_uniform(&rng));
    a->t_career = (float)(T0 - 10.0);
    population_seed_agent(a, seed, 0);
  }
}

/** @brief extend_working_life from the first simulated year, all groups, health sectors. */
static struct intervention extend(int years, int before_age, double uptake, int cap)
{
  return (struct intervention){.type = IV_EXTEND_WORKING_LIFE,
                               .start = START_YEAR + 1,
                               .end = START_YEAR + 10,
                               .groups = (1u << N_GROUPS) - 1,
                               .sectors = 1u << SEC_MUNICIPAL | 1u << SEC_SPECIALIST |
                                          1u << SEC_OTHER_HEALTH,
                               .age_from = AGE_MIN,
                               .age_to = AGE_MAX,
                               .uptake = uptake,
                               .years = years,
                               .before_age = before_age,
                               .cap_at_age = cap,
                               .factor = 1,
                               .to_group = -1};
}

/** @brief Run the cohort (n agents from cohort()) under scenario @p s (its years). */
static void run_scenario(const struct scenario *s, int n, double age0, int spread,
                         struct replicate_out *o)
{
  struct population pop = {0};
  cohort(&pop, n, age0, spread, 5);
  cr_assert_eq(replicate_out_init(o, s->end_year - s->start_year + 1), 0);
  cr_assert_eq(engine_run_population(&P, s, 0, 2, &pop, 0, o, NULL, NULL, NULL), 0, "%s", o->err);
}

/** @brief Run the cohort (n agents from cohort()) under @p iv (NULL: none) for @p years. */
static void run(const struct intervention *iv, int n, double age0, int spread, int years,
                struct replicate_out *o)
{
  struct scenario s;
  scenario_years(&s, years, 5);
  if (iv) {
    s.iv[0] = *iv;
    s.n_iv = 1;
  }
  run_scenario(&s, n, age0, spread, o);
}

/** @brief @p a and @p b equal in every measure, bit for bit; both freed. */
static void expect_identical(struct replicate_out *a, struct replicate_out *b, const char *what)
{
  const int m = replicates_differ(a, b);
  cr_expect_eq(m, -1, "%s: %s differs", what, m >= 0 ? measure_defs[m].name : "");
  replicate_out_free(a);
  replicate_out_free(b);
}

/** @brief Persons (all cells) at output year y. */
static int64_t persons(const struct replicate_out *o, int y)
{
  int64_t n = 0;
  for (size_t c = 0; c < N_CELLS; c++)
    n += o->m[M_PERSONS][(size_t)y * N_CELLS + c];
  return n;
}

/** @brief Disability exits (all cells) in output year y. */
static int64_t disabled(const struct replicate_out *o, int y)
{
  int64_t n = 0;
  for (size_t c = 0; c < N_CELLS; c++)
    n += o->m[M_EXITS][((size_t)y * N_EXIT_CAUSES + EXIT_DISABILITY) * N_CELLS + c];
  return n;
}

/** @brief |got - n p| within 4 binomial standard errors. */
static void near(int64_t got, int n, double p, const char *what)
{
  const double se = sqrt(n * p * (1 - p)) + 0.5;
  cr_expect_lt(fabs((double)got - n * p), 4 * se, "%s: %lld, expected %.1f +- %.1f", what,
               (long long)got, n * p, 4 * se);
}

Test(levers, extend_working_life_shifts_survival_by_n_years)
{
  /* Exit hazard lam = 0.1 (disability only), n nurses aged 40-41, every exit before 65
   * postponed by one year.  Baseline stock at t: n e^(-lam t).  With the measure each exit at T
   * happens at T + 1: nobody leaves in the first year (exactly), and the stock at t >= 1 is
   * n e^(-lam (t - 1)), the baseline's a year earlier: higher by the baseline's exits of one
   * year. */
  const double lam = 0.1;
  const int n = 20000, years = 3;
  only_disability(lam);
  struct replicate_out b, v;
  run(NULL, n, 40.0, 1, years, &b);
  const struct intervention iv = extend(1, 65, 1.0, 0);
  run(&iv, n, 40.0, 1, years, &v);
  cr_expect_eq(persons(&v, 1), n, "year 1: nobody leaves (every exit is a year later)");
  cr_expect_eq(disabled(&v, 1), 0);
  for (int y = 1; y <= years; y++) {
    char what[64];
    snprintf(what, sizeof what, "baseline stock after %d years", y);
    near(persons(&b, y), n, exp(-lam * y), what);
    snprintf(what, sizeof what, "stock after %d years with the measure", y);
    near(persons(&v, y), n, exp(-lam * (y - 1)), what);
  }
  /* the gain in year 3 is the baseline's exits of year 3 (the flow of one year), up to noise */
  const double gain = (double)(persons(&v, 3) - persons(&b, 3));
  const double flow = n * (exp(-lam * 2) - exp(-lam * 3));
  cr_expect_lt(fabs(gain - flow), 4 * sqrt(2 * flow), "gain %.0f, one year's exits %.0f", gain,
               flow);
  replicate_out_free(&b);
  replicate_out_free(&v);
}

Test(levers, extend_working_life_cap_at_age_and_uptake)
{
  /* n nurses aged exactly 64.5, hazard lam; exits before 65 (T < 0.5) are postponed.
   * - years 1, no cap: they happen at T + 1 in (1, 1.5), so the stock at t = 1 is
   *   P(T < 0.5) + P(T > 1) = 1 - e^(-lam/2) + e^(-lam);
   * - with cap_at_age they happen at 65 (t = 0.5): the stock at 1 is e^(-lam), the baseline's;
   * - uptake u covers persons: u (1 - e^(-lam/2) + e^(-lam)) + (1 - u) e^(-lam). */
  const double lam = 0.2, u = 0.5;
  const int n = 20000;
  only_disability(lam);
  struct replicate_out o;
  struct intervention iv = extend(1, 65, 1.0, 0);
  run(&iv, n, 64.5, 0, 1, &o);
  const double nocap = 1 - exp(-lam / 2) + exp(-lam);
  near(persons(&o, 1), n, nocap, "no cap: stock at t = 1");
  replicate_out_free(&o);
  iv = extend(1, 65, 1.0, 1);
  run(&iv, n, 64.5, 0, 1, &o);
  near(persons(&o, 1), n, exp(-lam), "cap at 65: stock at t = 1");
  replicate_out_free(&o);
  iv = extend(1, 65, u, 0);
  run(&iv, n, 64.5, 0, 1, &o);
  near(persons(&o, 1), n, u * nocap + (1 - u) * exp(-lam), "uptake 0.5: stock at t = 1");
  replicate_out_free(&o);
}

Test(levers, extend_working_life_of_zero_years_is_bit_identical)
{
  /* years 0: each exit is "postponed" to the moment it happens, so every measure of a run with
   * the full Norway hazards is bit-identical to the run without the measure. */
  load_norway(&P);
  struct replicate_out b, v;
  run(NULL, 5000, 50.0, 1, 3, &b);
  const struct intervention iv = extend(0, 65, 1.0, 0);
  run(&iv, 5000, 50.0, 1, 3, &v);
  cr_expect_eq(b.events, v.events);
  expect_identical(&b, &v, "years 0");
}

/** @brief A disability measure (factor f, uptake u) from the first simulated year, all cells. */
static struct intervention disability(double f, double u)
{
  struct intervention iv = extend(0, 65, u, 0);
  iv.type = IV_DISABILITY;
  iv.factor = f;
  iv.years = 0;
  return iv;
}

Test(levers, hazard_measure_with_uptake_covers_persons)
{
  /* Disability at lam = 0.2 is the only exit.  A measure with factor f and uptake u = 0.5 covers
   * half the persons fully (a hash per person), so the stock at t is the mixture
   * n (u e^(-f lam t) + (1 - u) e^(-lam t)), not n e^(-(1 - u (1 - f)) lam t) as an expected
   * factor on everyone would give: with f = 0 after 3 years 0.774 against 0.741 (12 se apart at
   * n = 20 000); with f = 2, 0.425 against 0.407. */
  const double lam = 0.2, u = 0.5;
  const int n = 20000, years = 3;
  only_disability(lam);
  const double fs[2] = {0.0, 2.0};
  for (int i = 0; i < 2; i++) {
    const double f = fs[i];
    struct replicate_out o;
    const struct intervention iv = disability(f, u);
    run(&iv, n, 40.0, 1, years, &o);
    for (int y = 1; y <= years; y++) {
      char what[96];
      snprintf(what, sizeof what, "factor %g, uptake %g: stock after %d years", f, u, y);
      near(persons(&o, y), n, u * exp(-f * lam * y) + (1 - u) * exp(-lam * y), what);
    }
    const double expected_factor = exp(-(1 - u * (1 - f)) * lam * years);
    const double mixture = u * exp(-f * lam * years) + (1 - u) * exp(-lam * years);
    cr_expect_gt(fabs((double)persons(&o, years) / n - expected_factor),
                 0.5 * fabs(mixture - expected_factor), "closer to the mixture than the average");
    replicate_out_free(&o);
  }
}

Test(levers, hazard_measure_at_full_uptake_is_unchanged)
{
  /* uptake 1: the factor acts on the shared rows as before (no thinning, no extra draws): the
   * stock is n e^(-f lam t) */
  const double lam = 0.2, f = 0.5;
  const int n = 20000;
  only_disability(lam);
  struct replicate_out o;
  const struct intervention iv = disability(f, 1.0);
  run(&iv, n, 40.0, 1, 2, &o);
  near(persons(&o, 2), n, exp(-f * lam * 2), "factor 0.5 at full uptake, 2 years");
  replicate_out_free(&o);
}

/** @brief Health-sector persons of the cohort at output year y, by position-share band @p b. */
static int64_t in_band(const struct replicate_out *o, int y, int b)
{
  int64_t n = 0;
  for (int sec = 0; sec < N_HSECTORS; sec++)
    n += o->m[M_PSHARE_BAND]
             [(((size_t)y * N_GROUPS + G_NURSE) * N_SECTORS + (size_t)sec) * N_PSHARE_BANDS +
              N_PSHARE_BANDS - 1 - (size_t)b];
  return n;
}

/** @brief Health-sector persons of the cohort at output year y, every position share. */
static int64_t in_health(const struct replicate_out *o, int y)
{
  int64_t n = 0;
  for (int b = 0; b < N_PSHARE_BANDS; b++)
    n += in_band(o, y, b);
  return n;
}

Test(levers, full_time_cap_binds_at_its_level)
{
  /* n nurses aged 40 in the municipal sector, nothing but the floor acting (no exits, no
   * position moves).  Their positions are drawn from the data's distribution, in which a
   * share S0 holds 100 %.  A floor of 100 % with full_time_cap c raises a share
   * theta = (c - S0) / (1 - S0) of the shift workers' others, so their full-time share becomes
   * c (within binomial noise), while day workers all take the floor: with a share s on rotating
   * shifts the full-time share is s c + (1 - s).  Without the cap it is 1.  With averaging of
   * working time (weekend_every k) the cap is c x 3 / k. */
  only_disability(0.0);
  const int n = 20000;
  const struct pshare_dist *d = &P.pshare[G_NURSE][SEC_MUNICIPAL][40 - AGE_MIN];
  const double s0 = 1.0 - d->cum[MAX_PSHARE_LEVELS - 2]; /* the top rung is 100 % */
  struct {
    double cap, rota;
    int weekend_every;
    double want;
  } cases[] = {{0, 1, 3, 1.0},
               {0.75, 1, 3, 0.75},
               {0.75, 0.6, 3, 0.6 * 0.75 + 0.4},
               {0.6, 1, 2, 0.9}, /* every second weekend: 0.6 x 3 / 2 */
               {0.75, 1, 2, 1.0}};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    cr_assert(cases[c].cap == 0 || s0 < cases[c].cap,
              "the data's full-time share %.3f is below "
              "the cap",
              s0);
    P.rota_share[G_NURSE][SEC_MUNICIPAL] = cases[c].rota;
    struct intervention iv = extend(0, 65, 1.0, 0);
    iv.type = IV_PSHARE_FLOOR;
    iv.level = 100;
    iv.want_more = 1;
    iv.full_time_cap = cases[c].cap;
    iv.weekend_every = cases[c].weekend_every;
    struct replicate_out o;
    run(&iv, n, 40.0, 0, 1, &o);
    int64_t full = 0, all = 0;
    for (int b = 0; b < N_PSHARE_BANDS; b++) {
      const int32_t k =
          o.m[M_PSHARE_BAND]
             [(((size_t)1 * N_GROUPS + G_NURSE) * N_SECTORS + SEC_MUNICIPAL) * N_PSHARE_BANDS +
              (size_t)b];
      all += k;
      if (b == N_PSHARE_BANDS - 1) full += k;
    }
    cr_expect_eq(all, n);
    if (cases[c].want < 1.0)
      near(full, n, cases[c].want, "full-time nurses with a 100 % floor, capped");
    else
      cr_expect_eq(full, n, "case %zu: every nurse is full time", c);
    replicate_out_free(&o);
  }
}

Test(levers, behaviour_exit_shift_ratio_closed_form)
{
  /* Nurses aged 40 in the municipal sector whose only event is leaving the labour force at
   * lam = 0.3 a year; half of them work rotating shifts (rota share s = 0.5).  With
   * exit_shift_ratio r = 4 a shift worker leaves at lam r / (s r + 1 - s) = 0.48 and a day
   * worker at lam / (s r + 1 - s) = 0.12, so that the cell's mean hazard at its rota share is
   * lam; after t years s e^(-0.48 t) + (1 - s) e^(-0.12 t) of the cohort is still in the health
   * services (0.467 at t = 3, against e^(-0.9) = 0.407 for a homogeneous cohort: the shift
   * workers leave first).  With r = 1 the run is bit-identical to one without behaviour. */
  const double lam = 0.3, r = 4.0, sh = 0.5;
  const int n = 20000, years = 3;
  only_leaving(lam);
  P.rota_share[G_NURSE][SEC_MUNICIPAL] = sh;
  struct scenario s;
  scenario_years(&s, years, 5);
  s.exit_shift_ratio = r;
  struct replicate_out o;
  run_scenario(&s, n, 40.0, 0, &o);
  const double norm = 1.0 / (sh * r + 1.0 - sh);
  for (int t = 1; t <= years; t++) {
    const double want = sh * exp(-lam * r * norm * t) + (1 - sh) * exp(-lam * norm * t);
    near(in_health(&o, t), n, want, "nurses still in health");
  }
  replicate_out_free(&o);
  /* r = 1: bit-identical to no behaviour block */
  struct replicate_out a, z;
  run(NULL, 3000, 40.0, 1, 2, &a);
  scenario_years(&s, 2, 5);
  s.exit_shift_ratio = 1.0;
  run_scenario(&s, 3000, 40.0, 1, &z);
  expect_identical(&a, &z, "exit_shift_ratio 1");
}

Test(levers, behaviour_exit_elasticity_closed_form)
{
  /* Nurses aged 40 in the municipal sector whose only event is leaving the labour force at
   * lam = 0.3 a year.  With exit_pshare_elasticity e = -1 a person with position share p leaves
   * at lam (p / p_ref)^e, p_ref the power mean (sum_k w_k p_k^e)^(1/e) of the data's distribution
   * w (the harmonic mean for e = -1): a full-time nurse stays in the health services for a
   * year with probability exp(-lam (100 / p_ref)^-1), and the cohort as a whole with
   * sum_k w_k exp(-lam (p_k / p_ref)^-1).  With e = 0 the run is bit-identical to one without
   * behaviour. */
  const double lam = 0.3, e = -1.0;
  const int n = 20000;
  only_leaving(lam);
  const struct pshare_dist *d = &P.pshare[G_NURSE][SEC_MUNICIPAL][40 - AGE_MIN];
  double w[MAX_PSHARE_LEVELS], inv = 0, prev = 0;
  for (int k = 0; k < MAX_PSHARE_LEVELS; k++) {
    w[k] = d->cum[k] - prev;
    prev = d->cum[k];
    inv += w[k] / pshare_ladder[k];
  }
  const double pref = 1.0 / inv, full0 = w[MAX_PSHARE_LEVELS - 1];
  double stay = 0;
  for (int k = 0; k < MAX_PSHARE_LEVELS; k++)
    stay += w[k] * exp(-lam * pref / pshare_ladder[k]);
  struct scenario s;
  scenario_years(&s, 1, 5);
  s.exit_pshare_elasticity = e;
  struct replicate_out o;
  run_scenario(&s, n, 40.0, 0, &o);
  const int64_t full = in_band(&o, 0, 0), full1 = in_band(&o, 1, 0);
  near(full, n, full0, "full-time nurses at the start");
  const double want_full = exp(-lam * pref / 100.0);
  cr_expect_lt(fabs((double)full1 / full - want_full), 4 * sqrt(want_full * (1 - want_full) / full),
               "full-time nurses still in health: %.4f, expected %.4f", (double)full1 / full,
               want_full);
  near(in_health(&o, 1), n, stay, "nurses still in health after a year");
  replicate_out_free(&o);
  /* e = 0: bit-identical to no behaviour block */
  struct replicate_out a, z;
  run(NULL, 3000, 40.0, 1, 2, &a);
  scenario_years(&s, 2, 5);
  s.exit_pshare_elasticity = 0.0;
  s.sick_pshare_elasticity = 0.0;
  run_scenario(&s, 3000, 40.0, 1, &z);
  expect_identical(&a, &z, "elasticities 0");
}

Test(levers, extend_working_life_postpones_only_real_exits_under_behaviour)
{
  /* As behaviour_exit_shift_ratio_closed_form (leaving the labour force at lam = 0.3, half on
   * shifts, r = 4: shift workers leave at 0.48, day workers at 0.12), with every exit postponed
   * one year (extend_working_life from T0).  Only exits that happen are postponed, not the
   * candidates the behaviour thins away, so the stock at T0 + 2 is the stock without the measure
   * at T0 + 1: s e^(-0.48) + (1 - s) e^(-0.12) = 0.7627 of the cohort (postponing every candidate
   * of the envelope, as a bug once did, leaves far fewer). */
  const double lam = 0.3, r = 4.0, sh = 0.5;
  const int n = 20000;
  only_leaving(lam);
  P.rota_share[G_NURSE][SEC_MUNICIPAL] = sh;
  struct scenario s;
  scenario_years(&s, 2, 5);
  s.exit_shift_ratio = r;
  s.iv[0] = extend(1, 65, 1.0, 0);
  s.n_iv = 1;
  struct replicate_out o;
  run_scenario(&s, n, 40.0, 0, &o);
  const double norm = 1.0 / (sh * r + 1.0 - sh);
  const double want = sh * exp(-lam * r * norm) + (1 - sh) * exp(-lam * norm);
  cr_expect_eq(in_health(&o, 1), n, "nobody has left after one year: every exit waits a year");
  near(in_health(&o, 2), n, want, "nurses still in health after two years");
  replicate_out_free(&o);
}

Test(levers, assumed_exit_draws_rebalance_reentry)
{
  /* reentry.csv is derived from the exits by a balance (reentry = exit x health share / pool
   * share, the 2019 sector shares stationary), so a drawn exit level m carries the re-entry
   * with it: after params_assumed_apply the re-entry multiplier of every cell an exit row
   * covers is m too, and a sick_duration draw m divides the spell incidence by m. */
  load_norway(&P);
  cr_assert_gt(P.n_assumed, 0, "the shipped data have assumed.csv");
  int checked = 0;
  for (uint64_t key = 0; key < 5; key++) {
    static struct params q;
    q = P;
    params_assumed_apply(&q, 20190101, key);
    for (int k = 0; k < P.n_assumed; k++) {
      const struct assumed_range *a = &P.assumed[k];
      const double m = params_assumed_draw(&P, k, 20190101, key);
      cr_assert(m >= a->low && m <= a->high);
      if (a->process != MP_EXIT || a->group == CSVTAB_ALL) continue;
      for (int b = a->band_from; b <= a->band_to; b++) {
        cr_expect_float_eq(q.mult[MP_REENTRY][a->group][b] / P.mult[MP_REENTRY][a->group][b], m,
                           1e-12, "re-entry of row %d, band %d", k, b);
        cr_expect_float_eq(q.mult[MP_EXIT][a->group][b] / P.mult[MP_EXIT][a->group][b], m, 1e-12);
        checked++;
      }
    }
  }
  cr_expect_gt(checked, 0);
}

Test(levers, study_places_capacity_caps_the_intake)
{
  /* The nursing intake of a year is the data's intake + the measures' `add`, at most the
   * smallest `capacity` in force (practice placements): with add 500 and a capacity of
   * intake + 100 exactly intake + 100 students are admitted, the same first ones as without the
   * cap (common random numbers); a capacity above the intake + add changes nothing. */
  load_norway(&P);
  const int year = START_YEAR + 4;
  const struct edu_row *e = params_edu_row(&P, G_NURSE, year);
  cr_assert_not_null(e);
  const double caps[3] = {0, e->intake + 100, e->intake + 10000};
  const long want[3] = {lround(e->intake + 500), lround(e->intake + 100), lround(e->intake + 500)};
  struct population pops[3];
  for (int i = 0; i < 3; i++) {
    struct scenario s;
    scenario_years(&s, 10, 5);
    s.iv[0] = extend(0, 65, 1.0, 0);
    s.iv[0].type = IV_STUDY_PLACES;
    s.iv[0].groups = 1u << G_NURSE;
    s.iv[0].add = 500;
    s.iv[0].capacity = caps[i];
    s.n_iv = 1;
    memset(&pops[i], 0, sizeof pops[i]);
    education_intake(&P, &s, 0, year, &pops[i]);
    long n = 0;
    for (size_t k = 0; k < pops[i].n; k++)
      n += pops[i].a[k].group == G_NURSE;
    cr_expect_eq(n, want[i], "capacity %g: %ld nursing students, expected %ld", caps[i], n,
                 want[i]);
  }
  /* the capped intake is the first students of the uncapped one, attribute for attribute */
  size_t j = 0;
  for (size_t k = 0; k < pops[1].n; k++) {
    while (j < pops[0].n && pops[0].a[j].key != pops[1].a[k].key)
      j++;
    cr_assert_lt(j, pops[0].n, "a capped student missing from the uncapped intake");
    cr_expect(pops[0].a[j].birth == pops[1].a[k].birth && pops[0].a[j].sex == pops[1].a[k].sex);
  }
  for (int i = 0; i < 3; i++)
    free(pops[i].a);
}

Test(levers, retention_first_years_with_uptake_covers_new_entrants_only)
{
  /* Leaving the labour force at lam = 0.3 is the only event, early-career multipliers 1.  A
   * retention measure with factor 0, first_years 2 and uptake 0.5: for nurses 10 years into
   * their careers it acts on nobody, bit for bit; for nurses entering at T0 it keeps the
   * covered half for their first two years: stock in the health services after one year
   * n (0.5 + 0.5 e^(-lam)). */
  const double lam = 0.3;
  const int n = 20000;
  only_leaving(lam);
  for (int g = 0; g < N_GROUPS; g++)
    for (int y = 0; y < N_CAREER_YEARS; y++)
      P.early_career[g][y] = 1.0;
  struct intervention iv = extend(0, 65, 0.5, 0);
  iv.type = IV_RETENTION;
  iv.factor = 0;
  iv.first_years = 2;
  struct replicate_out b, v;
  run(NULL, 4000, 40.0, 1, 2, &b);
  run(&iv, 4000, 40.0, 1, 2, &v);
  expect_identical(&b, &v, "veterans");
  /* new entrants: the cohort's careers start at T0 */
  struct population pop = {0};
  cohort(&pop, n, 25.0, 0, 5);
  for (size_t k = 0; k < pop.n; k++)
    pop.a[k].t_career = (float)T0;
  struct scenario s;
  scenario_years(&s, 1, 5);
  s.iv[0] = iv;
  s.n_iv = 1;
  cr_assert_eq(replicate_out_init(&v, 2), 0);
  cr_assert_eq(engine_run_population(&P, &s, 0, 2, &pop, 0, &v, NULL, NULL, NULL), 0);
  near(in_health(&v, 1), n, 0.5 + 0.5 * exp(-lam), "new entrants still in health after a year");
  replicate_out_free(&v);
}

Test(levers, lis1_wait_agrees_with_littles_law)
{
  /* The mean LIS1 wait (lis1_wait_days / lis1_starts) against Little's law for the queue,
   * W = L / throughput = lis1_queue / (lis1_starts + lis1_wait_giveups), an independent relation
   * that holds for a queue near its steady state: the shipped baseline in 2030, one replicate,
   * within 25 % (the two count slightly different things: the law uses the year-end queue). */
  load_norway(&P);
  struct scenario s;
  scenario_years(&s, 11, 20190101);
  s.productivity_growth = 0.005;
  struct replicate_out o;
  cr_assert_eq(replicate_out_init(&o, 12), 0);
  cr_assert_eq(engine_run_replicate(&P, &s, 0, 2, &o, NULL, NULL, NULL), 0);
  const int32_t *f = &o.m[M_DOCTOR_FLOWS][(size_t)11 * N_DOCTOR_FLOWS];
  cr_assert_gt(f[DF_LIS1_STARTS], 0);
  const double wait = f[DF_LIS1_WAIT_DAYS] / 365.0 / f[DF_LIS1_STARTS];
  const double little = (double)f[DF_LIS1_QUEUE] / (double)(f[DF_LIS1_STARTS] + f[DF_WAIT_GIVEUPS]);
  cr_expect(fabs(wait / little - 1) < 0.25, "2030: mean wait %.3f years, Little's law %.3f", wait,
            little);
  replicate_out_free(&o);
}
