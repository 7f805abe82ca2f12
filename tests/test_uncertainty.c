/**
 * @file test_uncertainty.c
 * @brief Parameter draws reproduce the fitted covariance; the variance
 *        decomposition of nested replicates adds up (hand-computed ANOVA).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "scenario.h"
#include "summary.h"
#include "uncertainty.h"

Test(uncertainty, anova_by_hand)
{
  /* Two draws of two replicates: {1, 3} and {5, 7}.  Draw means 2 and 6,
   * grand mean 4.  SS_between = 2 ((2-4)^2 + (6-4)^2) = 16, SS_within =
   * 1 + 1 + 1 + 1 = 4, SS_total = 9 + 1 + 1 + 9 = 20 = 16 + 4.
   * var_mc = 4 / (2 x 1) = 2; MS_between = 16 / 1; var_param = (16 - 2) / 2 = 7;
   * parameter share 7 / 9. */
  const double x[4] = {1, 3, 5, 7};
  double o[7];
  cr_assert_eq(summary_decompose(x, 4, 2, o), 0);
  cr_expect_float_eq(o[0], 4.0, 1e-12);
  cr_expect_float_eq(o[1], 7.0, 1e-12);
  cr_expect_float_eq(o[2], 2.0, 1e-12);
  cr_expect_float_eq(o[3], 7.0 / 9.0, 1e-12);
  cr_expect_float_eq(o[4], 16.0, 1e-12);
  cr_expect_float_eq(o[5], 4.0, 1e-12);
  cr_expect_float_eq(o[6], 20.0, 1e-12);
  cr_expect_eq(summary_decompose(x, 4, 1, o), -1, "k = 1 has no within-draw variance");
  cr_expect_eq(summary_decompose(x, 3, 2, o), -1, "3 is not a whole number of draws of 2");
}

/** @brief A standard normal from the hash of (key, purpose): the toy model's input draws. */
static double toy_normal(uint64_t key, uint64_t purpose)
{
  const double u1 = rng_key_uniform(4711, key, 1, purpose),
               u2 = rng_key_uniform(4711, key, 2, purpose);
  return sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * M_PI * u2);
}

Test(uncertainty, decompose_by_source_toy_model)
{
  /* A toy model whose variances are known in closed form: a replicate's value is
   * Y = 3 X_f + 2 X_a + 1 X_d + X_f X_a + 1.5 e, with X_f, X_a, X_d and e independent standard
   * normals; X_s is drawn from the hash of source s's key in the replicate's parameter draw
   * (scenario_draw_key: the pick-freeze design of a run that draws all three sources) and e
   * from the replicate's own.  First-order variances V_f = 9, V_a = 4, V_d = 1, interaction
   * Var(X_f X_a) = 1, so V_param = 15; Monte Carlo 2.25; a replicate's variance 17.25.
   * summary_decompose_sources must recover each within 4 of its standard errors, and the parts
   * must add up to the replicates' sample variance within its sampling error. */
  struct scenario s;
  memset(&s, 0, sizeof s);
  s.param_uncertainty = s.assumed_uncertainty = s.demand_draw = 1;
  s.replicates_per_draw = 2;
  cr_assert_eq(scenario_draw_block(&s), 4);
  const int k = 2, blocks = 4000, nrep = blocks * 4 * k;
  double *x = malloc(sizeof *x * (size_t)nrep);
  cr_assert_not_null(x);
  const double coef[3] = {3, 2, 1};
  for (int r = 0; r < nrep; r++) {
    const int d = r / k;
    double xs[3];
    for (int src = 0; src < 3; src++)
      xs[src] = toy_normal(scenario_draw_key(&s, src, d), 10 + (uint64_t)src);
    x[r] = coef[0] * xs[0] + coef[1] * xs[1] + coef[2] * xs[2] + xs[0] * xs[1] +
           1.5 * toy_normal((uint64_t)r, 99);
  }
  double o[6 + 2 * UNC_MAX_SOURCES];
  cr_assert_eq(summary_decompose_sources(x, nrep, k, 4, 3, o), 0);
  cr_expect_lt(fabs(o[1] - 2.25), 4 * o[2], "Monte Carlo %.3f +- %.3f, expected 2.25", o[1], o[2]);
  cr_expect_lt(fabs(o[3] - 15.0), 4 * o[4], "all sources %.3f +- %.3f, expected 15", o[3], o[4]);
  const double want[3] = {9, 4, 1};
  for (int src = 0; src < 3; src++)
    cr_expect_lt(fabs(o[5 + 2 * src] - want[src]), 4 * o[6 + 2 * src],
                 "source %d: %.3f +- %.3f, expected %g", src, o[5 + 2 * src], o[6 + 2 * src],
                 want[src]);
  /* the interaction is what the first-order parts leave: 1 */
  const double se_int = o[4] + o[6] + o[8] + o[10];
  cr_expect_lt(fabs(o[11] - 1.0), 4 * se_int, "interaction %.3f, expected 1", o[11]);
  /* the parts add up to a replicate's variance */
  double m = 0, v = 0;
  for (int r = 0; r < nrep; r++)
    m += x[r];
  m /= nrep;
  for (int r = 0; r < nrep; r++)
    v += (x[r] - m) * (x[r] - m);
  v /= nrep - 1;
  cr_expect_lt(fabs(o[1] + o[3] - v), 4 * (o[2] + o[4]), "parts %.3f against the variance %.3f",
               o[1] + o[3], v);
  cr_expect_lt(fabs(v - 17.25), 0.05 * 17.25, "the toy model's variance %.3f, expected 17.25", v);
  /* refusals: too few blocks, not whole blocks, one source */
  cr_expect_eq(summary_decompose_sources(x, 2 * 4 * k, k, 4, 3, o), -1, "2 blocks are too few");
  cr_expect_eq(summary_decompose_sources(x, 13 * k, k, 4, 3, o), -1, "13 draws are no blocks of 4");
  cr_expect_eq(summary_decompose_sources(x, nrep, k, 2, 1, o), -1, "one source has no design");
  free(x);
}

Test(uncertainty, draw_keys_share_one_source_with_the_base)
{
  /* In a block of the pick-freeze design draw 0 is the base and draw s + 1 shares source s's
   * key with it and only that one; with one source drawn every draw is its own. */
  struct scenario s;
  memset(&s, 0, sizeof s);
  s.param_uncertainty = s.assumed_uncertainty = s.demand_draw = 1;
  for (int b = 0; b < 3; b++)
    for (int j = 0; j < 4; j++)
      for (int src = 0; src < 3; src++) {
        const int d = 4 * b + j;
        const uint64_t want = j == 0 || j == src + 1 ? (uint64_t)(4 * b) : (uint64_t)d;
        cr_expect_eq(scenario_draw_key(&s, src, d), want, "draw %d source %d", d, src);
      }
  s.assumed_uncertainty = s.demand_draw = 0;
  cr_expect_eq(scenario_draw_block(&s), 1);
  for (int d = 0; d < 10; d++)
    cr_expect_eq(scenario_draw_key(&s, UNC_FITTED, d), (uint64_t)d);
  /* two sources: blocks of 3, the second source's place is 1 */
  s.demand_draw = 1;
  cr_expect_eq(scenario_draw_block(&s), 3);
  cr_expect_eq(scenario_draw_key(&s, UNC_DEMAND, 5), 3u,
               "draw 5 = block 1, place 2: shares demand");
  cr_expect_eq(scenario_draw_key(&s, UNC_FITTED, 5), 5u);
}

Test(uncertainty, measure_ranges_draw_uniformly_with_the_assumed_inputs)
{
  /* A measure's factor_range [0.6, 0.9] (factor 0.75): with assumed_uncertainty each draw's
   * factor is uniform on the range (mean 0.75, sd 0.3 / sqrt(12) = 0.0866), the same for the
   * same draw (a variant with the same seed pairs), shared by a pick-freeze draw that shares
   * the assumed inputs with its base, and the key's own value without assumed_uncertainty. */
  struct scenario s;
  memset(&s, 0, sizeof s);
  s.seed = 20190101;
  s.param_uncertainty = s.assumed_uncertainty = 1;
  s.n_iv = 2;
  s.iv[0].type = IV_DISABILITY;
  s.iv[0].factor = 0.75;
  s.iv[0].uptake = 1;
  s.iv[0].range_lo[IVR_FACTOR] = 0.6;
  s.iv[0].range_hi[IVR_FACTOR] = 0.9;
  s.iv[0].ranges = 1u << IVR_FACTOR;
  s.iv[1] = s.iv[0];
  s.iv[1].ranges = 0; /* no range: keeps 0.75 */
  cr_assert(scenario_has_ranges(&s));
  static struct scenario out, again; /* large: off the stack */
  const int n = 6000;
  double sum = 0, lo = 1, hi = 0;
  for (int d = 0; d < n; d++) {
    scenario_draw_ranges(&s, d, &out);
    const double f = out.iv[0].factor;
    sum += f;
    lo = f < lo ? f : lo;
    hi = f > hi ? f : hi;
    cr_assert_eq(out.iv[1].factor, 0.75, "a size without a range keeps its value");
  }
  cr_expect(lo >= 0.6 && hi <= 0.9 && lo < 0.61 && hi > 0.89, "draws span [%g, %g]", lo, hi);
  cr_expect_lt(fabs(sum / n - 0.75), 4 * 0.0866 / sqrt(n), "mean factor %g, expected 0.75",
               sum / n);
  scenario_draw_ranges(&s, 7, &out);
  scenario_draw_ranges(&s, 7, &again);
  cr_expect_eq(out.iv[0].factor, again.iv[0].factor, "the same draw, the same factor");
  /* two sources: blocks of 3; draw 2 of a block shares the assumed inputs with draw 0 */
  cr_assert_eq(scenario_draw_block(&s), 3);
  scenario_draw_ranges(&s, 3, &out);
  scenario_draw_ranges(&s, 5, &again);
  cr_expect_eq(out.iv[0].factor, again.iv[0].factor, "draw 5 shares the assumed inputs with 3");
  scenario_draw_ranges(&s, 4, &again);
  cr_expect_neq(out.iv[0].factor, again.iv[0].factor, "draw 4 draws them afresh");
  s.assumed_uncertainty = 0;
  scenario_draw_ranges(&s, 4, &out);
  cr_expect_eq(out.iv[0].factor, 0.75, "without assumed_uncertainty the key's own value");
}

/** @brief Write a 2-parameter fitted_cov.csv into a fresh temporary directory. */
static char *write_cov(double v11, double v12, double v22)
{
  char *dir = strdup("/tmp/hwsim-unc-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  char path[600];
  snprintf(path, sizeof path, "%s/fitted_cov.csv", dir);
  FILE *f = fopen(path, "w");
  fprintf(f, "param_i,param_j,theta_i,theta_j,covariance,source,note\n");
  const char *a = "exit:nurse:30-39:level", *b = "disability:nurse:35-69:slope";
  fprintf(f, "%s,%s,0.3,0.3,%g,test,\n", a, a, v11);
  fprintf(f, "%s,%s,0.3,-0.2,%g,test,\n", a, b, v12);
  fprintf(f, "%s,%s,-0.2,0.3,%g,test,\n", b, a, v12);
  fprintf(f, "%s,%s,-0.2,-0.2,%g,test,\n", b, b, v22);
  fclose(f);
  return dir;
}

Test(uncertainty, draws_have_the_fitted_mean_and_covariance)
{
  /* theta = theta_hat + L z: over n draws the sample mean is within 5 se of
   * theta_hat (se = sqrt(V_ii / n)) and the sample covariance within 5 se of
   * V_12 (se of a covariance ~ sqrt((V11 V22 + V12^2) / n)). */
  char *dir = write_cov(0.04, 0.012, 0.09);
  struct param_draws u;
  char err[512];
  cr_assert_eq(uncertainty_load(&u, dir, err, sizeof err), 0, "%s", err);
  cr_assert_eq(u.np, 2);
  const int n = 20000;
  double s0 = 0, s1 = 0, s00 = 0, s01 = 0, s11 = 0;
  for (int d = 0; d < n; d++) {
    double th[CALIB_MAX_PARAMS];
    uncertainty_theta(&u, 42, d, th);
    s0 += th[0], s1 += th[1], s00 += th[0] * th[0], s01 += th[0] * th[1], s11 += th[1] * th[1];
  }
  double m0 = s0 / n, m1 = s1 / n, c01 = s01 / n - m0 * m1, v0 = s00 / n - m0 * m0,
         v1 = s11 / n - m1 * m1;
  cr_expect_lt(fabs(m0 - 0.3), 5 * sqrt(0.04 / n), "mean %g", m0);
  cr_expect_lt(fabs(m1 + 0.2), 5 * sqrt(0.09 / n), "mean %g", m1);
  cr_expect_lt(fabs(c01 - 0.012), 5 * sqrt((0.04 * 0.09 + 0.012 * 0.012) / n), "cov %g", c01);
  cr_expect_lt(fabs(v0 - 0.04), 5 * 0.04 * sqrt(2.0 / n), "var %g", v0);
  cr_expect_lt(fabs(v1 - 0.09), 5 * 0.09 * sqrt(2.0 / n), "var %g", v1);
  /* keyed by (seed, draw): the same draw twice, another draw differs */
  double a[CALIB_MAX_PARAMS], b[CALIB_MAX_PARAMS], c[CALIB_MAX_PARAMS];
  uncertainty_theta(&u, 42, 7, a);
  uncertainty_theta(&u, 42, 7, b);
  uncertainty_theta(&u, 42, 8, c);
  cr_expect(a[0] == b[0] && a[1] == b[1]);
  cr_expect(a[0] != c[0]);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_expect_eq(system(cmd), 0);
  free(dir);
}

Test(uncertainty, rejects_a_covariance_that_is_not_positive_definite)
{
  char *dir = write_cov(0.04, 0.5, 0.09); /* |V12| > sqrt(V11 V22) */
  struct param_draws u;
  char err[512] = "";
  cr_assert_eq(uncertainty_load(&u, dir, err, sizeof err), -1);
  cr_expect(strstr(err, "fitted_cov.csv: the covariance is not positive definite") != NULL, "%s",
            err);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_expect_eq(system(cmd), 0);
  free(dir);
}

/** @brief uncertainty_load's message for a fitted_cov.csv of @p text (-1 expected). */
static void load_fails(const char *text, const char *want)
{
  char *dir = strdup("/tmp/hwsim-unc-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  char path[600];
  snprintf(path, sizeof path, "%s/fitted_cov.csv", dir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
  struct param_draws u;
  char err[512] = "";
  cr_expect_eq(uncertainty_load(&u, dir, err, sizeof err), -1, "accepted: %s", text);
  cr_expect(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
  cr_expect_eq(u.np, 0);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_expect_eq(system(cmd), 0);
  free(dir);
}

#define COV_HDR "param_i,param_j,theta_i,theta_j,covariance,source,note\n"
#define PA "exit:nurse:30-39:level"
#define PB "disability:nurse:35-69:slope"

Test(uncertainty, header_must_match_exactly)
{
  /* before: only the first five column names were compared (prefix) */
  load_fails("param_i,param_j,theta_i,theta_j,covariance,sauce,note\n" PA "," PA
             ",0.3,0.3,0.04,t,\n",
             "fitted_cov.csv:1: header does not match (expected "
             "param_i,param_j,theta_i,theta_j,covariance,source,note)");
  load_fails("param_i,param_j,theta_i,theta_j,covariance\n" PA "," PA ",0.3,0.3,0.04\n",
             "fitted_cov.csv:1: header does not match");
}

Test(uncertainty, numbers_are_strict)
{
  load_fails(COV_HDR PA "," PA ",0.3,0.3,abc,t,\n",
             "fitted_cov.csv:2: covariance = 'abc' is not a number");
  /* before: %lf took nan and inf, and 0.04x as 0.04 */
  load_fails(COV_HDR PA "," PA ",0.3,0.3,nan,t,\n",
             "fitted_cov.csv:2: covariance = 'nan' is not a number");
  load_fails(COV_HDR PA "," PA ",inf,inf,0.04,t,\n",
             "fitted_cov.csv:2: theta_i = 'inf' is not a number");
  load_fails(COV_HDR PA "," PA ",0.3,0.3,0.04x,t,\n",
             "fitted_cov.csv:2: covariance = '0.04x' is not a number");
  load_fails(COV_HDR PA "," PA ",4,4,0.04,t,\n",
             "fitted_cov.csv:2: theta_i = 4 is out of range (expected a value in [-3, 3])");
}

Test(uncertainty, field_count_is_exact)
{
  /* before: a sixth, seventh, eighth field were never looked at */
  load_fails(COV_HDR PA "," PA ",0.3,0.3,0.04,t,,junk\n",
             "fitted_cov.csv:2: 8 fields (expected 7)");
  load_fails(COV_HDR PA "," PA ",0.3,0.3,0.04\n", "fitted_cov.csv:2: 5 fields (expected 7)");
}

Test(uncertainty, unknown_parameter)
{
  load_fails(COV_HDR PA ",exit:nurse:99-99:level,0.3,0.3,0.04,t,\n",
             "fitted_cov.csv:2: param_j 'exit:nurse:99-99:level' is unknown (expected one of: ");
}

Test(uncertainty, one_theta_per_parameter)
{
  /* before: the first row's theta was kept and a disagreeing one ignored */
  load_fails(COV_HDR PA "," PA ",0.3,0.3,0.04,t,\n" PA "," PB ",0.3,-0.2,0.01,t,\n" PB "," PA
                        ",-0.2,0.31,0.01,t,\n" PB "," PB ",-0.2,-0.2,0.09,t,\n",
             "fitted_cov.csv:4: theta 0.31 for " PA " differs from 0.3 on line 2 (expected one "
             "estimate per parameter)");
}

Test(uncertainty, pairs_are_unique_symmetric_and_complete)
{
  /* before: a repeated or asymmetric pair silently took the last row's value */
  load_fails(COV_HDR PA "," PA ",0.3,0.3,0.04,t,\n" PA "," PA ",0.3,0.3,0.05,t,\n",
             "fitted_cov.csv:3: duplicate cell (" PA ", " PA " given on line 2; expected one row "
             "per pair)");
  load_fails(COV_HDR PA "," PA ",0.3,0.3,0.04,t,\n" PA "," PB ",0.3,-0.2,0.01,t,\n" PB "," PA
                        ",-0.2,0.3,0.02,t,\n" PB "," PB ",-0.2,-0.2,0.09,t,\n",
             "fitted_cov.csv:4: covariance 0.02 of (" PB ", " PA ") differs from 0.01 on line 3 "
             "(expected a symmetric matrix)");
  load_fails(COV_HDR PA "," PA ",0.3,0.3,0.04,t,\n" PB "," PB ",-0.2,-0.2,0.09,t,\n",
             "fitted_cov.csv: no covariance for (" PA ", " PB ") (expected every pair)");
}

Test(uncertainty, one_direction_of_a_pair_is_enough)
{
  /* the lower triangle alone gives the whole (symmetric) matrix */
  char *dir = strdup("/tmp/hwsim-unc-XXXXXX");
  cr_assert_not_null(mkdtemp(dir));
  char path[600];
  snprintf(path, sizeof path, "%s/fitted_cov.csv", dir);
  FILE *f = fopen(path, "w");
  fputs(COV_HDR PA "," PA ",0.3,0.3,0.04,t,\n" PB "," PA ",-0.2,0.3,0.01,t,\n" PB "," PB
                   ",-0.2,-0.2,0.09,t,\n",
        f);
  fclose(f);
  struct param_draws u;
  char err[512] = "";
  cr_assert_eq(uncertainty_load(&u, dir, err, sizeof err), 0, "%s", err);
  cr_expect_eq(u.np, 2);
  cr_expect_float_eq(u.chol[0][0], 0.2, 1e-12);
  cr_expect_float_eq(u.chol[1][0], 0.05, 1e-12); /* 0.01 / 0.2 */
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_expect_eq(system(cmd), 0);
  free(dir);
}
