/**
 * @file test_calibrate.c
 * @brief hwsim calibrate: recovery of known hazard multipliers from targets
 *        simulated on synthetic data, determinism across thread counts, the
 *        simulated measures against direct sums, and bad targets rejected
 *        with file, line and reason.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "calibrate.h"
#include "calibreport.h"
#include "csvtab.h"
#include "toy.h"

/* The synthetic population: 19 500 female nurses aged 22..60 spread over the
 * three health sectors, constant hazards, a nursing intake of 800 a year. */
static const struct toy TOY = {.persons = 1,
                               .base_age = 30,
                               .death = 0.002,
                               .exit_outside = 0.05,
                               .exit_not_working = 0.03,
                               .reentry = 0.15,
                               .disability = 0.02,
                               .intake = 800};

static char *toy_dir(void)
{
  char *dir = toy_write(&TOY);
  char b[8192];
  int n = snprintf(b, sizeof b, "group,sex,age,persons,source,note\n");
  for (int a = 22; a <= 60; a++)
    n += snprintf(b + n, sizeof b - (size_t)n, "nurse,female,%d,500,test,\n", a);
  toy_file(dir, "base_age.csv", b);
  return dir;
}

/** The two-parameter spec: nurses' exit level and disability level, every age band. */
static void toy_spec(struct calib_spec *sp)
{
  memset(sp, 0, sizeof *sp);
  calib_spec_add(sp, MP_EXIT, G_NURSE, 0, N_AGE_BANDS - 1, CS_LEVEL);
  calib_spec_add(sp, MP_DISABILITY, G_NURSE, 0, N_AGE_BANDS - 1, CS_LEVEL);
}

static const char *TARGET_ROWS[] = {
    "persons,nurse,all,all,all,2021",         "persons,nurse,all,all,all,2023",
    "persons,nurse,all,all,all,2025",         "persons,nurse,all,all,outside,2023",
    "persons,nurse,all,all,outside,2025",     "persons,nurse,all,all,not_working,2023",
    "persons,nurse,all,all,not_working,2025", "mean_pshare,nurse,all,all,all,2023"};
#define N_TROWS ((int)(sizeof TARGET_ROWS / sizeof TARGET_ROWS[0]))

/**
 * @brief Simulate the toy data with the TRUE multipliers (exit 1.6, disability
 *        0.7) under seed 99 and write the results as a targets file (tolerance
 *        about two Monte Carlo standard errors on counts), so that the fit with another seed must
 * find the multipliers through Monte Carlo noise, not by replaying streams.
 */
static char *make_targets(const char *dir, const struct params *p, const struct scenario *s0)
{
  static char path[600];
  snprintf(path, sizeof path, "%s/targets.csv", dir);
  FILE *f = fopen(path, "w");
  cr_assert(f);
  fprintf(f, "measure,group,sex,age_band,sector,year,value,tolerance,source,note\n");
  for (int i = 0; i < N_TROWS; i++)
    fprintf(f, "%s,1,1,placeholder,\n", TARGET_ROWS[i]);
  fclose(f);
  struct calib_targets T = {0};
  char err[512];
  cr_assert_eq(calib_targets_load(&T, path, 2019, err, sizeof err), 0, "%s", err);
  struct calib_spec sp;
  toy_spec(&sp);
  struct scenario s = *s0;
  s.seed = 99;
  struct calib_opts o = {.replicates = 2, .threads = 2};
  double truth[2] = {log(1.6), log(0.7)}, sim[N_TROWS];
  cr_assert_eq(calib_evaluate(p, &s, &T, &sp, truth, &o, sim, err, sizeof err), 0, "%s", err);
  f = fopen(path, "w");
  fprintf(f, "measure,group,sex,age_band,sector,year,value,tolerance,source,note\n");
  for (int i = 0; i < N_TROWS; i++) {
    /* counts: about 2 Monte Carlo standard errors (Poisson) plus 0.5 %; shares: 0.01 */
    double tol = T.t[i].measure == CM_PERSONS ? 2 * sqrt(sim[i]) + 0.005 * sim[i] : 0.01;
    fprintf(f, "%s,%.4f,%.4f,simulated truth seed 99,\n", TARGET_ROWS[i], sim[i], tol);
  }
  fclose(f);
  calib_targets_free(&T);
  return path;
}

struct fixture {
  char *dir;
  struct params *p;
  struct scenario s;
  struct calib_targets T;
  struct calib_spec sp;
};

static void fixture_setup(struct fixture *x)
{
  x->dir = toy_dir();
  x->p = malloc(sizeof *x->p);
  char err[512];
  cr_assert_eq(params_load(x->p, x->dir, err, sizeof err), 0, "%s", err);
  toy_scenario(&x->s, x->dir, 6, 7);
  const char *tp = make_targets(x->dir, x->p, &x->s);
  memset(&x->T, 0, sizeof x->T);
  cr_assert_eq(calib_targets_load(&x->T, tp, 2019, err, sizeof err), 0, "%s", err);
  x->s.end_year = calib_targets_end_year(&x->T, 2019);
  cr_assert_eq(x->s.end_year, 2025);
  toy_spec(&x->sp);
}

static void fixture_free(struct fixture *x)
{
  calib_targets_free(&x->T);
  free(x->p);
  toy_remove(x->dir);
}

Test(calibrate, recovers_known_multipliers_and_is_thread_count_independent, .timeout = 60)
{
  struct fixture x;
  fixture_setup(&x);
  char err[512];
  struct calib_opts o = {.seed = 7, .replicates = 2, .threads = 1, .max_iter = 30, .fd_step = 0.05};
  struct calib_result r1, r2;
  cr_assert_eq(calib_fit(x.p, &x.s, &x.T, &x.sp, NULL, &o, &r1, err, sizeof err), 0, "%s", err);
  /* Stated tolerance: each multiplier within 10 % of the truth (1.6, 0.7), from a start at 1. */
  double m_exit = exp(r1.theta[0]), m_dis = exp(r1.theta[1]);
  cr_expect(fabs(m_exit / 1.6 - 1) < 0.10, "exit multiplier %.4f (true 1.6)", m_exit);
  cr_expect(fabs(m_dis / 0.7 - 1) < 0.10, "disability multiplier %.4f (true 0.7)", m_dis);
  cr_expect_lt(r1.chi2, r1.chi2_0, "fit did not improve: chi2 %.3f -> %.3f", r1.chi2_0, r1.chi2);
  if (r1.within != x.T.n) calib_report(stderr, &x.T, &x.sp, &r1, &o, 0);
  cr_expect_eq(r1.within, x.T.n, "%d of %d targets within tolerance", r1.within, x.T.n);
  cr_expect(r1.has_cov && r1.se[0] > 0 && r1.se[0] < 0.1, "se of exit theta %.4f", r1.se[0]);
  /* Same seed on 2 threads: bit-identical parameters and simulated values. */
  o.threads = 2;
  cr_assert_eq(calib_fit(x.p, &x.s, &x.T, &x.sp, NULL, &o, &r2, err, sizeof err), 0, "%s", err);
  cr_expect_eq(memcmp(r1.theta, r2.theta, sizeof r1.theta), 0, "theta %.17g %.17g vs %.17g %.17g",
               r1.theta[0], r1.theta[1], r2.theta[0], r2.theta[1]);
  cr_expect_eq(memcmp(r1.sim, r2.sim, sizeof(double) * (size_t)x.T.n), 0);
  cr_expect_eq(r1.n_eval, r2.n_eval);

  /* fitted.csv loads back through params_load and carries the multipliers. */
  char path[600];
  snprintf(path, sizeof path, "%s/fitted.csv", x.dir);
  cr_assert_eq(calib_write_fitted(path, x.p, &x.s, &x.T, &x.sp, &r1, &o, err, sizeof err), 0, "%s",
               err);
  struct params *q = malloc(sizeof *q);
  cr_assert_eq(params_load(q, x.dir, err, sizeof err), 0, "%s", err);
  cr_expect(q->has_fitted);
  cr_expect(fabs(q->mult[MP_EXIT][G_NURSE][3] - m_exit) < 1e-5, "%g vs %g",
            q->mult[MP_EXIT][G_NURSE][3], m_exit);
  cr_expect(fabs(q->mult[MP_DISABILITY][G_NURSE][7] - m_dis) < 1e-5);
  cr_expect_eq(q->mult[MP_EXIT][G_PHYSICIAN][3], 1.0);
  char cpath[600];
  snprintf(cpath, sizeof cpath, "%s/fitted_cov.csv", x.dir);
  cr_expect_eq(access(cpath, R_OK), 0, "no %s", cpath);
  free(q);
  calib_result_free(&r1);
  calib_result_free(&r2);
  fixture_free(&x);
}

Test(calibrate, slope_parameter_is_linear_in_age)
{
  struct calib_spec sp = {0};
  calib_spec_add(&sp, MP_DISABILITY, G_NURSE, 4, 10, CS_SLOPE);
  calib_spec_add(&sp, MP_EXIT, CSVTAB_ALL, 3, 9, CS_LEVEL);
  double th[2] = {0.2, log(2.0)};
  struct params *p = malloc(sizeof *p);
  calib_apply(&sp, th, p);
  /* centre of bands 4..10 is band 7 (age 52.5): 0.2 per decade */
  cr_expect(fabs(p->mult[MP_DISABILITY][G_NURSE][7] - 1.0) < 1e-12);
  cr_expect(fabs(log(p->mult[MP_DISABILITY][G_NURSE][9]) - 0.2) < 1e-12);
  cr_expect(fabs(log(p->mult[MP_DISABILITY][G_NURSE][4]) + 0.3) < 1e-12);
  cr_expect_eq(p->mult[MP_DISABILITY][G_NURSE][3], 1.0);
  cr_expect_eq(p->mult[MP_DISABILITY][G_MIDWIFE][7], 1.0);
  cr_expect(fabs(p->mult[MP_EXIT][G_MIDWIFE][5] - 2.0) < 1e-12);
  cr_expect_eq(p->mult[MP_EXIT][G_MIDWIFE][2], 1.0);
  free(p);
}

Test(calibrate, simulated_measures_match_direct_sums)
{
  char *dir = toy_dir();
  struct params *p = malloc(sizeof *p);
  char err[512];
  cr_assert_eq(params_load(p, dir, err, sizeof err), 0, "%s", err);
  struct scenario s;
  toy_scenario(&s, dir, 3, 5);
  struct replicate_out o;
  replicate_out_init(&o, 4);
  engine_run_replicate(p, &s, 0, 2, &o, NULL, NULL, NULL);
  int64_t health = 0, outside = 0, fte = 0;
  for (int sx = 0; sx < N_SEXES; sx++)
    for (int b = 0; b < N_AGE_BANDS; b++) {
      for (int sec = 0; sec < 3; sec++) {
        health += o.m[M_PERSONS][2 * N_CELLS + CELL(G_NURSE, sx, b, sec)];
        fte += o.m[M_FTE][2 * N_CELLS + CELL(G_NURSE, sx, b, sec)];
      }
      outside += o.m[M_PERSONS][2 * N_CELLS + CELL(G_NURSE, sx, b, SEC_OUTSIDE)];
    }
  struct calib_target t = {.measure = CM_PERSONS,
                           .group = G_NURSE,
                           .sex = CSVTAB_ALL,
                           .sector = CSVTAB_ALL,
                           .age = CALIB_AGE_ALL,
                           .year = 2021};
  cr_expect_eq(calib_simulated(&t, &o, 2019), (double)health);
  t.sector = SEC_OUTSIDE;
  cr_expect_eq(calib_simulated(&t, &o, 2019), (double)outside);
  t.sector = CSVTAB_ALL;
  t.measure = CM_FTE;
  cr_expect(fabs(calib_simulated(&t, &o, 2019) - fte / 100.0) < 1e-9);
  t.measure = CM_MEAN_PSHARE;
  cr_expect(fabs(calib_simulated(&t, &o, 2019) - (fte / 100.0) / health) < 1e-12);
  t.measure = CM_MALE_SHARE;
  double ms = calib_simulated(&t, &o, 2019); /* female stock; 10 % of graduates male */
  cr_expect(ms > 0 && ms < 0.1, "male share %g", ms);
  t.measure = CM_SICK_TOTAL;
  t.year = 2019; /* base year: uses the first simulated year */
  double sick = calib_simulated(&t, &o, 2019);
  cr_expect(isnan(sick) || sick == 0.0, "no sick-leave hazards in the toy: %g", sick);
  t.measure = CM_PERSONS;
  t.year = 2030; /* beyond the run */
  cr_expect(isnan(calib_simulated(&t, &o, 2019)));
  replicate_out_free(&o);
  free(p);
  toy_remove(dir);
}

/** @brief Load a one-row targets file; return the error (empty when accepted). */
static const char *load_row(const char *row)
{
  static char err[512];
  char path[] = "/tmp/hwsim-targets-XXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  FILE *f = fdopen(fd, "w");
  fprintf(f,
          "measure,group,sex,age_band,sector,year,value,tolerance,source,note\n"
          "fte,nurse,all,all,all,2019,81500,815,ok row,\n%s\n",
          row);
  fclose(f);
  struct calib_targets T = {0};
  err[0] = '\0';
  char e[512];
  if (calib_targets_load(&T, path, 2019, e, sizeof e) != 0) {
    /* strip the temporary path: "PATH:LINE: reason" -> ":LINE: reason" */
    cr_expect(strncmp(e, path, strlen(path)) == 0, "error does not name the file: %s", e);
    snprintf(err, sizeof err, "%s", e + strlen(path));
  }
  calib_targets_free(&T);
  unlink(path);
  return err;
}

Test(calibrate, bad_targets_are_rejected_with_file_line_and_reason)
{
  cr_expect_str_eq(load_row("persons,nurse,all,all,specialist,2021,147000,10000,ok,"), "");
  cr_expect_str_eq(load_row("retention_10y,nurse,all,all,all,2004,0.8,0.03,ok,"), "");
  cr_expect(
      strstr(load_row("fte,nurse,all,all,all,2021,81500,0,x,"), ":3: tolerance 0 is not positive"));
  cr_expect(strstr(load_row("fte,nurse,all,all,all,2021,81500,-5,x,"), ":3:"));
  cr_expect(strstr(load_row("parttime_share,nurse,all,all,specialist,2021,1.3,0.05,x,"),
                   ":3: parttime_share value 1.3 is outside [0, 1]"));
  cr_expect(strstr(load_row("persons,nurse,all,all,all,2021,-4,1,x,"),
                   ":3: persons value -4 is negative"));
  cr_expect(strstr(load_row("turnover,nurse,all,all,all,2021,0.1,0.01,x,"), ":3:"));
  cr_expect(strstr(load_row("fte,surgeon,all,all,all,2021,10,1,x,"), ":3:"));
  cr_expect(strstr(load_row("fte,nurse,all,all,all,2019,81000,815,x,"), ":3: duplicate target"));
  cr_expect(strstr(load_row("fte,nurse,all,all,all,2017,81000,815,x,"),
                   ":3: year 2017 is before the base year"));
  cr_expect(strstr(load_row("retention_10y,nurse,all,all,specialist,2004,0.8,0.03,x,"),
                   ":3: retention_10y has no sector dimension"));
  cr_expect(strstr(load_row("male_share,nurse,male,all,all,2021,0.1,0.02,x,"),
                   ":3: male_share has no sex"));
  cr_expect(strstr(load_row("sick_leave_total_pct,nurse,all,all,outside,2021,5,1,x,"),
                   ":3: sick_leave_total_pct is defined in the health sectors only"));
  cr_expect(strstr(load_row("mean_disability_age,nurse,all,all,all,2020,99,1,x,"), ":3:"));
  /* the GP scheme's measures: whole-country figures of physicians */
  cr_expect_str_eq(load_row("lists_without_gp,physician,all,all,all,2022,324,65,ok,"), "");
  cr_expect_str_eq(load_row("gp_leaving_rate,all,all,all,all,2020,0.08,0.02,ok,"), "");
  cr_expect(strstr(load_row("gps,nurse,all,all,all,2020,4930,49,x,"),
                   ":3: gps is a whole-country figure of the GP scheme"));
  cr_expect(strstr(load_row("gps,physician,all,all,municipal,2020,4930,49,x,"),
                   ":3: gps is a whole-country figure of the GP scheme"));
  cr_expect(strstr(load_row("gp_leaving_rate,physician,all,all,all,2020,1.5,0.02,x,"),
                   ":3: gp_leaving_rate value 1.5 is outside [0, 1]"));
  cr_expect(strstr(load_row("new_gp_specialists,physician,all,all,all,2020,-3,1,x,"),
                   ":3: new_gp_specialists value -3 is negative"));
}

Test(calibrate, gp_measures_from_the_doctor_flows_by_hand)
{
  /* A replicate whose doctor flows are set by hand: 100 GPs at the end of
   * 2019, 90 at the end of 2020 with 10 new list holders (ALIS starts), so
   * 100 + 10 - 90 = 20 stopped holding a list: a leaving rate 0.2; 7 + 2
   * approvals in general practice in 2020 (two routes); 15 lists without a
   * GP and 9 000 inhabitants on them at the end of 2020. */
  struct replicate_out o;
  cr_assert_eq(replicate_out_init(&o, 2), 0);
  int32_t *f0 = &o.m[M_DOCTOR_FLOWS][0], *f1 = &o.m[M_DOCTOR_FLOWS][N_DOCTOR_FLOWS];
  f0[DF_GPS] = 100;
  f1[DF_GPS] = 90;
  f1[DF_ALIS_STARTS] = 10;
  f1[DF_LISTS_WITHOUT_GP] = 15;
  f1[DF_INHABITANTS_WITHOUT_GP] = 9000;
  int32_t *ns = &o.m[M_NEW_SPECIALISTS][(size_t)N_SPECIALTIES * N_APPROVAL_ROUTES];
  ns[SP_GENERAL_PRACTICE * N_APPROVAL_ROUTES + AR_NORWEGIAN] = 7;
  ns[SP_GENERAL_PRACTICE * N_APPROVAL_ROUTES + AR_EEA] = 2;
  ns[SP_PSYCHIATRY * N_APPROVAL_ROUTES + AR_NORWEGIAN] = 50; /* not general practice */
  struct calib_target t = {.group = G_PHYSICIAN,
                           .sex = CSVTAB_ALL,
                           .sector = CSVTAB_ALL,
                           .age = CALIB_AGE_ALL,
                           .year = 2020};
  const int m[] = {CM_GPS, CM_LISTS_WITHOUT_GP, CM_INHAB_WITHOUT_GP, CM_GP_LEAVING_RATE,
                   CM_NEW_GP_SPECIALISTS};
  const double want[] = {90, 15, 9000, 0.2, 9};
  for (int k = 0; k < 5; k++) {
    t.measure = m[k];
    cr_expect(fabs(calib_simulated(&t, &o, 2019) - want[k]) < 1e-12, "measure %d: %g, want %g",
              m[k], calib_simulated(&t, &o, 2019), want[k]);
  }
  t.year = 2019; /* a flow in the base year is undefined */
  t.measure = CM_GP_LEAVING_RATE;
  cr_expect(isnan(calib_simulated(&t, &o, 2019)));
  replicate_out_free(&o);
}

Test(calibrate, fit_refuses_a_scenario_with_interventions)
{
  struct scenario s = {0};
  s.n_iv = 1;
  snprintf(s.path, sizeof s.path, "x.yaml");
  struct calib_targets T = {0};
  struct calib_spec sp;
  toy_spec(&sp);
  struct calib_opts o = {.replicates = 1};
  struct calib_result r;
  char err[512];
  struct params *p = calloc(1, sizeof *p);
  cr_expect_eq(calib_fit(p, &s, &T, &sp, NULL, &o, &r, err, sizeof err), -1);
  cr_expect(strstr(err, "interventions"), "%s", err);
  free(p);
}
