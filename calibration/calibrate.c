/**
 * @file calibrate.c
 * @brief The fit of `hwsim calibrate`: evaluation and Levenberg-Marquardt
 *        (see calibrate.h and docs/calibration.md).
 *
 * The objective is chi^2(theta) = sum_i ((sim_i(theta) - target_i) / tol_i)^2
 * over the targets, minimised by GSL's trust-region Levenberg-Marquardt
 * (gsl_multifit_nlinear) on the residual vector.  Every evaluation simulates
 * the same replicates 0..R-1 with the same seed (common random numbers), so
 * the objective changes smoothly with theta and the finite-difference
 * Jacobian (our own, with a step large enough to see through the
 * discreteness of the events) measures the effect of theta, not noise.  The
 * engine is bit-identical across thread counts and everything here is
 * sequential, so the fit is deterministic and thread-count independent.
 */
#include "calibrate.h"

#include "alloc.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- evaluation ---------------------------------------------------------------- */

struct fitctx {
  struct params *p; /* working copy */
  const struct scenario *s;
  const struct calib_targets *T;
  const struct calib_spec *sp;
  const struct calib_opts *o;
  int n_eval;
  double last_theta[CALIB_MAX_PARAMS];
  double *last_sim;
  int has_last;
  double t0;
  char err[256]; /**< sticky: why an evaluation failed (out of memory), else "" */
};

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/** Simulate at theta into sim[] (mean over replicates of the per-replicate values).
 *  @return 0, or -1 with the reason in c->err (then sim[] is not meaningful). */
static int eval_into(struct fitctx *c, const double *theta, double *sim)
{
  const struct calib_targets *T = c->T;
  calib_apply(c->sp, theta, c->p);
  int R = c->o->replicates > 0 ? c->o->replicates : 1;
  int *cnt = hw_alloc((size_t)T->n, sizeof *cnt, "the targets' counts", c->err, sizeof c->err);
  if (!cnt) return -1;
  for (int i = 0; i < T->n; i++)
    sim[i] = 0;
  struct replicate_out out;
  for (int r = 0; r < R; r++) {
    int rc = replicate_out_init(&out, c->s->end_year - c->s->start_year + 1);
    if (rc != 0)
      snprintf(c->err, sizeof c->err, "out of memory for a replicate's results");
    else if (engine_run_replicate(c->p, c->s, r, c->o->threads > 0 ? c->o->threads : 1, &out, NULL,
                                  NULL, NULL) != 0)
      snprintf(c->err, sizeof c->err, "replicate %d: %s", r, out.err);
    else
      calib_targets_accumulate(T, &out, c->s->start_year, sim, cnt);
    replicate_out_free(&out);
    if (c->err[0]) {
      free(cnt);
      return -1;
    }
  }
  calib_targets_mean(T, sim, cnt);
  free(cnt);
  c->n_eval++;
  memcpy(c->last_theta, theta, sizeof(double) * (size_t)c->sp->np);
  memcpy(c->last_sim, sim, sizeof(double) * (size_t)T->n);
  c->has_last = 1;
  return 0;
}

static int sims_at(struct fitctx *c, const double *theta, double *sim)
{
  if (c->has_last && memcmp(theta, c->last_theta, sizeof(double) * (size_t)c->sp->np) == 0) {
    memcpy(sim, c->last_sim, sizeof(double) * (size_t)c->T->n);
    return 0;
  }
  return eval_into(c, theta, sim);
}

static void residuals(const struct calib_targets *T, const double *sim, double *res)
{
  for (int i = 0; i < T->n; i++)
    res[i] = isfinite(sim[i]) ? (sim[i] - T->t[i].value) / T->t[i].tol : 0.0;
}

static int gsl_f(const gsl_vector *x, void *params, gsl_vector *f)
{
  struct fitctx *c = params;
  double th[CALIB_MAX_PARAMS];
  for (int j = 0; j < c->sp->np; j++)
    th[j] = gsl_vector_get(x, (size_t)j);
  double *sim = hw_alloc(2 * (size_t)c->T->n, sizeof *sim, "the residuals", c->err, sizeof c->err);
  if (!sim || sims_at(c, th, sim) != 0) {
    free(sim);
    return GSL_EFAILED; /* the reason is in c->err */
  }
  double *res = sim + c->T->n;
  residuals(c->T, sim, res);
  for (int i = 0; i < c->T->n; i++)
    gsl_vector_set(f, (size_t)i, res[i]);
  free(sim);
  return GSL_SUCCESS;
}

/** Forward differences with a fixed step in theta (common random numbers make them meaningful). */
static int gsl_df(const gsl_vector *x, void *params, gsl_matrix *J)
{
  struct fitctx *c = params;
  const int n = c->T->n, np = c->sp->np;
  double th[CALIB_MAX_PARAMS];
  for (int j = 0; j < np; j++)
    th[j] = gsl_vector_get(x, (size_t)j);
  double *sim = hw_alloc(3 * (size_t)n, sizeof *sim, "the Jacobian", c->err, sizeof c->err);
  if (!sim || sims_at(c, th, sim) != 0) {
    free(sim);
    return GSL_EFAILED; /* the reason is in c->err */
  }
  double *r0 = sim + n, *r1 = sim + 2 * n;
  residuals(c->T, sim, r0);
  double h = c->o->fd_step > 0 ? c->o->fd_step : 0.05;
  for (int j = 0; j < np; j++) {
    double tj[CALIB_MAX_PARAMS];
    memcpy(tj, th, sizeof tj);
    /* step towards the inside of the clamp so the difference is not flat */
    double hj = th[j] + h > CALIB_THETA_MAX ? -h : h;
    tj[j] += hj;
    if (eval_into(c, tj, sim) != 0) {
      free(sim);
      return GSL_EFAILED;
    }
    residuals(c->T, sim, r1);
    for (int i = 0; i < n; i++)
      gsl_matrix_set(J, (size_t)i, (size_t)j, (r1[i] - r0[i]) / hj);
  }
  free(sim);
  return GSL_SUCCESS;
}

static void gsl_cb(const size_t iter, void *params, const gsl_multifit_nlinear_workspace *w)
{
  struct fitctx *c = params;
  if (!c->o->verbose) return;
  gsl_vector *f = gsl_multifit_nlinear_residual(w), *x = gsl_multifit_nlinear_position(w);
  double chi2;
  gsl_blas_ddot(f, f, &chi2);
  fprintf(stderr, "hwsim calibrate: iteration %zu, chi2 %.3f, %d evaluations, %.0f s; theta", iter,
          chi2, c->n_eval, now_s() - c->t0);
  for (size_t j = 0; j < x->size; j++)
    fprintf(stderr, " %.4f", gsl_vector_get(x, j));
  fputc('\n', stderr);
}

static void score(const struct calib_targets *T, const double *sim, double *chi2, int *within)
{
  *chi2 = 0;
  *within = 0;
  for (int i = 0; i < T->n; i++) {
    if (!isfinite(sim[i])) continue;
    double z = (sim[i] - T->t[i].value) / T->t[i].tol;
    *chi2 += z * z;
    if (fabs(sim[i] - T->t[i].value) <= T->t[i].tol) (*within)++;
  }
}

/**
 * @brief c->p = a copy of @p base at the data's values: without the assumed inputs' draws
 *        (n_assumed 0) or the fitted multipliers' (draws NULL), so that a fit or an evaluation
 *        is at the point the data give whatever the scenario's uncertainty switches say (a
 *        draw would put it at one random point of the assumed inputs).  -1 with c->err.
 */
static int ctx_params(struct fitctx *c, const struct params *base)
{
  if (!(c->p = hw_alloc(1, sizeof *c->p, "a copy of the parameters", c->err, sizeof c->err)))
    return -1;
  memcpy(c->p, base, sizeof *c->p);
  c->p->n_assumed = 0;
  c->p->draws = NULL;
  return 0;
}

int calib_evaluate(const struct params *base, const struct scenario *s,
                   const struct calib_targets *T, const struct calib_spec *sp, const double *theta,
                   const struct calib_opts *o, double *sim, char *err, size_t errlen)
{
  struct fitctx c = {.s = s, .T = T, .sp = sp, .o = o};
  int rc = -1;
  if (ctx_params(&c, base) == 0 &&
      (c.last_sim = hw_alloc((size_t)T->n + 1, sizeof *c.last_sim, "the targets' values", c.err,
                             sizeof c.err)))
    rc = eval_into(&c, theta, sim);
  if (rc != 0) snprintf(err, errlen, "%s", c.err);
  free(c.last_sim);
  free(c.p);
  return rc;
}

void calib_result_free(struct calib_result *r)
{
  free(r->sim0);
  free(r->sim);
  r->sim0 = r->sim = NULL;
}

/** @brief Refuse a fit that cannot be made: interventions, or fewer targets than parameters. */
static int fit_check(const struct scenario *s, const struct calib_targets *T,
                     const struct calib_spec *sp, char *err, size_t errlen)
{
  if (s->n_iv > 0) {
    snprintf(err, errlen,
             "%s: scenario has %d interventions (expected none: calibration must not absorb an "
             "intervention's effect)",
             s->path, s->n_iv);
    return -1;
  }
  if (sp->np < 1 || T->n < sp->np) {
    snprintf(err, errlen,
             "%d targets for %d free parameters (expected at least as many targets as parameters, "
             "and one parameter)",
             T->n, sp->np);
    return -1;
  }
  return 0;
}

/** @brief Covariance of theta and its standard errors from the final Jacobian. */
static void fit_covariance(gsl_multifit_nlinear_workspace *w, int np, struct calib_result *res)
{
  /* residuals are in tolerance units (tolerance as a standard error) */
  gsl_matrix *J = gsl_multifit_nlinear_jac(w);
  gsl_matrix *cov = gsl_matrix_alloc((size_t)np, (size_t)np);
  if (cov && gsl_multifit_nlinear_covar(J, 1e-8, cov) == GSL_SUCCESS) {
    res->has_cov = 1;
    for (int i = 0; i < np; i++) {
      for (int j = 0; j < np; j++)
        res->cov[i * np + j] = gsl_matrix_get(cov, (size_t)i, (size_t)j);
      double v = res->cov[i * np + i];
      res->se[i] = v > 0 ? sqrt(v) : 0.0;
    }
  }
  gsl_matrix_free(cov);
}

/** @brief Levenberg-Marquardt from res->theta0; fills theta, the iteration count and the
 * covariance. */
static int fit_run(struct fitctx *c, struct calib_result *res, char *err, size_t errlen)
{
  const int n = c->T->n, np = c->sp->np;
  gsl_set_error_handler_off();
  gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
  fp.trs = gsl_multifit_nlinear_trs_lm;
  fp.scale = gsl_multifit_nlinear_scale_more;
  fp.solver = gsl_multifit_nlinear_solver_qr;
  gsl_multifit_nlinear_workspace *w =
      gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, (size_t)n, (size_t)np);
  gsl_multifit_nlinear_fdf fdf = {
      .f = gsl_f, .df = gsl_df, .fvv = NULL, .n = (size_t)n, .p = (size_t)np, .params = c};
  gsl_vector *x = gsl_vector_alloc((size_t)np);
  int rc = -1;
  if (!w || !x) {
    snprintf(err, errlen, "out of memory for the optimiser (%d targets, %d parameters)", n, np);
    goto out;
  }
  for (int j = 0; j < np; j++)
    gsl_vector_set(x, (size_t)j, res->theta0[j]);
  if (gsl_multifit_nlinear_init(x, &fdf, w) != GSL_SUCCESS) {
    snprintf(err, errlen, "optimiser failed to start");
    goto out;
  }
  int info = 0;
  int maxit = c->o->max_iter > 0 ? c->o->max_iter : 20;
  /* xtol: theta moves less than 1e-3 (0.1 % on a multiplier) */
  res->gsl_status =
      gsl_multifit_nlinear_driver((size_t)maxit, 1e-3, 1e-6, 1e-6, gsl_cb, c, &info, w);
  res->gsl_info = info;
  res->iterations = (int)gsl_multifit_nlinear_niter(w);
  gsl_vector *xf = gsl_multifit_nlinear_position(w);
  for (int j = 0; j < np; j++)
    res->theta[j] = calib_theta_clamp(gsl_vector_get(xf, (size_t)j));
  fit_covariance(w, np, res);
  rc = 0;
out:
  if (x) gsl_vector_free(x);
  if (w) gsl_multifit_nlinear_free(w);
  return rc;
}

int calib_fit(const struct params *base, const struct scenario *s, const struct calib_targets *T,
              const struct calib_spec *sp, const double *theta0, const struct calib_opts *o,
              struct calib_result *res, char *err, size_t errlen)
{
  memset(res, 0, sizeof *res);
  if (fit_check(s, T, sp, err, errlen)) return -1;
  const int n = T->n, np = sp->np;
  res->np = np;
  res->n = n;
  res->start_year = s->start_year;
  res->end_year = s->end_year;
  for (int j = 0; j < np; j++)
    res->theta0[j] = theta0 ? theta0[j] : 0.0;
  struct fitctx c = {.s = s, .T = T, .sp = sp, .o = o, .t0 = now_s()};
  char *e = c.err;
  const size_t el = sizeof c.err;
  int rc = -1;
  if (!(res->sim0 = hw_alloc((size_t)n, sizeof *res->sim0, "the targets' values", e, el)) ||
      !(res->sim = hw_alloc((size_t)n, sizeof *res->sim, "the targets' values", e, el)) ||
      ctx_params(&c, base) != 0 ||
      !(c.last_sim = hw_alloc((size_t)n, sizeof *c.last_sim, "the targets' values", e, el)))
    goto out;
  if (eval_into(&c, res->theta0, res->sim0) != 0) goto out;
  score(T, res->sim0, &res->chi2_0, &res->within0);
  if (o->verbose)
    fprintf(stderr,
            "hwsim calibrate: %d targets, %d parameters, %d-%d, %d replicates, start chi2 %.3f (%d "
            "within tolerance), %.1f s per evaluation\n",
            n, np, s->start_year, s->end_year, o->replicates, res->chi2_0, res->within0,
            now_s() - c.t0);
  rc = fit_run(&c, res, err, errlen);
  if (rc == 0 && (c.err[0] || sims_at(&c, res->theta, res->sim) != 0)) rc = -1;
  if (rc == 0) {
    score(T, res->sim, &res->chi2, &res->within);
    res->n_eval = c.n_eval;
    res->seconds = now_s() - c.t0;
  }
out:
  if (c.err[0]) snprintf(err, errlen, "%s", c.err);
  free(c.last_sim);
  free(c.p);
  return c.err[0] ? -1 : rc;
}
