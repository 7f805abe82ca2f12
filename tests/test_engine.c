/**
 * @file test_engine.c
 * @brief Engine invariants on synthetic data with hand-derivable answers:
 *        degeneracy, constant-hazard survival, conservation in every cell,
 *        bit-identical results on 1, 2 and 4 threads, seeds that differ.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "engine.h"
#include "same.h"
#include "toy.h"

/** @brief Load toy data and run one replicate on @p threads threads. */
static void run_toy(const struct toy *t, int years, uint64_t seed, int threads,
                    struct replicate_out *o)
{
  char *dir = toy_write(t);
  static struct params p;
  char err[512];
  int rc = params_load(&p, dir, err, sizeof err);
  cr_assert_eq(rc, 0, "toy data failed to load: %s", err);
  struct scenario s;
  toy_scenario(&s, dir, years, seed);
  replicate_out_init(o, years + 1);
  engine_run_replicate(&p, &s, 0, threads, o, NULL, NULL, NULL);
  toy_remove(dir);
}

static int64_t total_persons(const struct replicate_out *o, int y)
{
  int64_t n = 0;
  for (int c = 0; c < N_CELLS; c++)
    n += o->m[M_PERSONS][(size_t)y * N_CELLS + c];
  return n;
}

Test(engine, zero_exit_hazards_nobody_leaves)
{
  /* Everything that removes a person is zero; sick leave, position-share
   * changes and sector moves still happen.  The stock must never fall. */
  struct toy t = {.persons = 5000,
                  .base_age = 30,
                  .move = 0.2,
                  .sick_self = 1.0,
                  .sick_doctor = 0.3,
                  .pshare_up = 0.1,
                  .pshare_down = 0.1};
  struct replicate_out o;
  run_toy(&t, 10, 7, 2, &o);
  for (int y = 0; y <= 10; y++)
    cr_expect_eq(total_persons(&o, y), 5000, "year %d", 2019 + y);
  int64_t ex = 0;
  for (size_t i = 0; i < (size_t)(10 + 1) * N_EXIT_CAUSES * N_CELLS; i++) {
    int cause = (int)((i / N_CELLS) % N_EXIT_CAUSES);
    if (cause != EXIT_TRANSFER_OUT && cause != EXIT_AGE_OUT) ex += o.m[M_EXITS][i];
  }
  cr_expect_eq(ex, 0, "%lld exits by death/emigration/disability/retirement", (long long)ex);
  replicate_out_free(&o);
}

Test(engine, constant_hazard_survival_is_exponential)
{
  /* A single constant hazard lambda: survival S(t) = exp(-lambda t).  With
   * n = 20000 the binomial standard error is sqrt(S(1-S)/n); allow 4 of them. */
  const double lambda = 0.1;
  const int n = 20000;
  struct toy t = {.persons = n, .base_age = 30, .death = lambda};
  struct replicate_out o;
  run_toy(&t, 10, 11, 2, &o);
  for (int y = 1; y <= 10; y++) {
    double S = exp(-lambda * y), sim = (double)total_persons(&o, y) / n;
    double se = sqrt(S * (1 - S) / n);
    cr_expect_lt(fabs(sim - S), 4 * se, "t=%d: simulated %.4f vs exp(-%.1f t) = %.4f", y, sim,
                 lambda, S);
  }
  replicate_out_free(&o);
}

Test(engine, competing_risks_split_by_hazard_share)
{
  /* Two exit causes, death 0.05 and emigration 0.15: a share 0.05/0.2 = 1/4
   * of all exits are deaths, and survival is exp(-0.2 t). */
  const int n = 40000;
  struct toy t = {.persons = n, .base_age = 30, .death = 0.05, .emigration = 0.15};
  struct replicate_out o;
  run_toy(&t, 5, 3, 2, &o);
  int64_t deaths = 0, emig = 0;
  for (int y = 1; y <= 5; y++)
    for (int c = 0; c < N_CELLS; c++) {
      deaths += o.m[M_EXITS][((size_t)y * N_EXIT_CAUSES + EXIT_DEATH) * N_CELLS + c];
      emig += o.m[M_EXITS][((size_t)y * N_EXIT_CAUSES + EXIT_EMIGRATION) * N_CELLS + c];
    }
  double share = (double)deaths / (double)(deaths + emig);
  double se = sqrt(0.25 * 0.75 / (double)(deaths + emig));
  cr_expect_lt(fabs(share - 0.25), 4 * se, "death share %.4f", share);
  double S = exp(-0.2 * 5), sim = (double)total_persons(&o, 5) / n;
  cr_expect_lt(fabs(sim - S), 4 * sqrt(S * (1 - S) / n), "S(5) %.4f vs %.4f", sim, S);
  replicate_out_free(&o);
}

/** A toy with every process switched on. */
static const struct toy busy = {.persons = 20000,
                                .base_age = 40,
                                .death = 0.01,
                                .exit_outside = 0.05,
                                .exit_not_working = 0.03,
                                .reentry = 0.2,
                                .move = 0.05,
                                .retirement = 0.02,
                                .disability = 0.01,
                                .emigration = 0.005,
                                .sick_self = 1.5,
                                .sick_doctor = 0.4,
                                .pshare_up = 0.08,
                                .pshare_down = 0.06,
                                .intake = 800,
                                .immigration = 300,
                                .early_mult = 2.0};

Test(engine, conservation_in_every_cell)
{
  /* persons[y] = persons[y-1] + sum_source entries[y] - sum_cause exits[y],
   * for every (group, sex, age band, sector) cell and every year. */
  struct replicate_out o;
  const int years = 8;
  run_toy(&busy, years, 5, 2, &o);
  int bad = 0;
  int64_t flows = 0;
  for (int y = 1; y <= years; y++)
    for (int c = 0; c < N_CELLS; c++) {
      int64_t in = 0, out = 0;
      for (int k = 0; k < N_ENTRY_SOURCES; k++)
        in += o.m[M_ENTRIES][((size_t)y * N_ENTRY_SOURCES + k) * N_CELLS + c];
      for (int k = 0; k < N_EXIT_CAUSES; k++)
        out += o.m[M_EXITS][((size_t)y * N_EXIT_CAUSES + k) * N_CELLS + c];
      flows += in + out;
      int64_t lhs = o.m[M_PERSONS][(size_t)y * N_CELLS + c];
      int64_t rhs = o.m[M_PERSONS][(size_t)(y - 1) * N_CELLS + c] + in - out;
      if (lhs != rhs && bad++ < 5)
        cr_expect_eq(lhs, rhs, "year %d cell %d: stock %lld != %lld + in %lld - out %lld", 2019 + y,
                     c, (long long)lhs, (long long)o.m[M_PERSONS][(size_t)(y - 1) * N_CELLS + c],
                     (long long)in, (long long)out);
    }
  cr_expect_eq(bad, 0);
  cr_expect_gt(flows, 10000, "the toy must actually move people (%lld flows)", (long long)flows);
  replicate_out_free(&o);
}

Test(engine, identical_on_1_2_4_threads_and_seed_matters)
{
  struct replicate_out o1, o2, o4, other;
  run_toy(&busy, 6, 42, 1, &o1);
  run_toy(&busy, 6, 42, 2, &o2);
  run_toy(&busy, 6, 42, 4, &o4);
  run_toy(&busy, 6, 43, 2, &other);
  cr_expect_eq(o1.events, o2.events);
  cr_expect_eq(o1.events, o4.events);
  int m2 = replicates_differ(&o1, &o2), m4 = replicates_differ(&o1, &o4);
  cr_expect_eq(m2, -1, "1 vs 2 threads differ in %s", m2 >= 0 ? measure_defs[m2].name : "-");
  cr_expect_eq(m4, -1, "1 vs 4 threads differ in %s", m4 >= 0 ? measure_defs[m4].name : "-");
  cr_expect_neq(replicates_differ(&o1, &other), -1, "seeds 42 and 43 gave identical results");
  replicate_out_free(&o1);
  replicate_out_free(&o2);
  replicate_out_free(&o4);
  replicate_out_free(&other);
}

Test(engine, sick_leave_share_matches_renewal_theory)
{
  /* Doctor-certified spells only, incidence i per person-year at risk (not
   * sick), mean duration d years: by renewal-reward the long-run share of
   * time sick is i d / (1 + i d).  i = 0.5, d = 30/365.25 -> 0.03944.  The
   * duration is capped at 365 days and floored at 1 day, which moves the
   * mean by well under 1 %. */
  struct toy t = {.persons = 20000, .base_age = 30, .sick_doctor = 0.5};
  struct replicate_out o;
  run_toy(&t, 4, 9, 2, &o);
  int64_t sick = 0, avg = 0;
  for (int y = 2; y <= 4; y++) /* skip the first year: nobody starts sick */
    for (int c = 0; c < N_CELLS; c++) {
      sick += o.m[M_SICK][((size_t)y * N_CELLS + c) * N_SICK_TYPES + SICK_DOCTOR];
      avg += o.m[M_FTE_AVG][(size_t)y * N_CELLS + c];
    }
  double id = 0.5 * 30 / 365.25, expect = id / (1 + id), share = (double)sick / (double)avg;
  cr_expect_lt(fabs(share - expect) / expect, 0.04, "sick share %.5f vs %.5f", share, expect);
  replicate_out_free(&o);
}
