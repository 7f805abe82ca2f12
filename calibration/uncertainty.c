/**
 * @file uncertainty.c
 * @brief Per-replicate parameter draws from the calibration's Gaussian
 *        approximation (see uncertainty.h).
 */
#include "uncertainty.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "csvtab.h"
#include "rng.h"

/** @brief u->chol from the covariance (GSL); -1 with err unless it is positive definite. */
static int cholesky(struct param_draws *u, double cov[CALIB_MAX_PARAMS][CALIB_MAX_PARAMS],
                    const char *path, char *err, size_t errlen)
{
  /* Cholesky factor (GSL): the covariance must be positive definite */
  gsl_set_error_handler_off();
  gsl_matrix *m = gsl_matrix_alloc((size_t)u->np, (size_t)u->np);
  for (int i = 0; i < u->np; i++)
    for (int j = 0; j < u->np; j++)
      gsl_matrix_set(m, (size_t)i, (size_t)j, cov[i][j]);
  int st = u->np ? gsl_linalg_cholesky_decomp1(m) : 0;
  if (st) {
    gsl_matrix_free(m);
    snprintf(err, errlen, "%s: the covariance is not positive definite (%s)", path,
             gsl_strerror(st));
    return -1;
  }
  for (int i = 0; i < u->np; i++)
    for (int j = 0; j < u->np; j++)
      u->chol[i][j] = j <= i ? gsl_matrix_get(m, (size_t)i, (size_t)j) : 0.0;
  gsl_matrix_free(m);
  return 0;
}

/** The fitted_cov.csv being read: per parameter of the default spec, its place in u and row. */
struct cov_read {
  struct calib_spec all;            /**< the parameters a file may name (calib_spec_default) */
  int pos[CALIB_MAX_PARAMS];        /**< all's index -> u's index, or -1 */
  int map[CALIB_MAX_PARAMS];        /**< u's index -> all's index */
  int theta_line[CALIB_MAX_PARAMS]; /**< u's index -> the line that gave its theta */
  double cov[CALIB_MAX_PARAMS][CALIB_MAX_PARAMS];
  int line[CALIB_MAX_PARAMS][CALIB_MAX_PARAMS]; /**< the row that gave (i, j), 0: none */
};

/**
 * @brief u's index of the parameter all.prm[s] with estimate @p theta (added at its first
 *        row); -1 with err when an earlier row gave it another estimate.
 */
static int cov_param(struct param_draws *u, struct cov_read *c, int s, double theta,
                     const struct csvtab *t, const struct csvtab_row *r, char *err, size_t errlen)
{
  int k = c->pos[s];
  if (k < 0) { /* at most all.np <= CALIB_MAX_PARAMS distinct names */
    k = c->pos[s] = u->np++;
    c->map[k] = s;
    c->theta_line[k] = r->line;
    snprintf(u->names[k], sizeof u->names[0], "%s", c->all.prm[s].name);
    u->theta[k] = theta;
  } else if (u->theta[k] != theta) {
    snprintf(err, errlen,
             "%s:%d: theta %g for %s differs from %g on line %d (expected one estimate per "
             "parameter)",
             t->path, r->line, theta, u->names[k], u->theta[k], c->theta_line[k]);
    return -1;
  }
  return k;
}

/** Two rows of a pair (i, j) and (j, i) agree to this relative difference (the writer's %.8g). */
#define COV_SYM_TOL 1e-6

/**
 * @brief Enter one row's covariance (and, until its own row comes, the transposed cell's);
 *        -1 with err on a repeated pair or one that disagrees with its transpose.
 */
static int cov_row(struct param_draws *u, struct cov_read *c, const struct csvtab *t,
                   const struct csvtab_row *r, char *err, size_t errlen)
{
  int i = cov_param(u, c, (int)r->v[0], r->v[2], t, r, err, errlen);
  int j = i < 0 ? -1 : cov_param(u, c, (int)r->v[1], r->v[3], t, r, err, errlen);
  if (j < 0) return -1;
  double v = r->v[4];
  if (c->line[i][j] > 0) {
    snprintf(err, errlen,
             "%s:%d: duplicate cell (%s, %s given on line %d; expected one row per pair)", t->path,
             r->line, u->names[i], u->names[j], c->line[i][j]);
    return -1;
  }
  if (c->line[j][i] > 0) { /* i != j: the transposed row came first */
    double w = c->cov[j][i];
    if (fabs(v - w) > COV_SYM_TOL * fmax(fabs(v), fabs(w))) {
      snprintf(err, errlen,
               "%s:%d: covariance %g of (%s, %s) differs from %g on line %d (expected a "
               "symmetric matrix)",
               t->path, r->line, v, u->names[i], u->names[j], w, c->line[j][i]);
      return -1;
    }
    c->cov[i][j] = c->cov[j][i] = 0.5 * (v + w);
    c->line[i][j] = r->line;
    return 0;
  }
  c->cov[i][j] = c->cov[j][i] = v;
  c->line[i][j] = r->line;
  if (i != j) c->line[j][i] = -r->line; /* filled from this row until its own comes */
  return 0;
}

int uncertainty_load(struct param_draws *u, const char *dir, char *err, size_t errlen)
{
  memset(u, 0, sizeof *u);
  char path[1024];
  snprintf(path, sizeof path, "%s/fitted_cov.csv", dir);
  if (access(path, F_OK) != 0) return 0;
  struct cov_read *c = hw_alloc(1, sizeof *c, "the covariance being read", err, errlen);
  if (!c) return -1;
  calib_spec_default(&c->all);
  const char *names[CALIB_MAX_PARAMS];
  for (int s = 0; s < c->all.np; s++) {
    names[s] = c->all.prm[s].name;
    c->pos[s] = -1;
  }
  /* theta is clamped to +-CALIB_THETA_MAX by the fit; a variance of a log multiplier over
   * 1e6 is no estimate at all */
  const struct csvtab_col cols[] = {
      {"param_i", COL_LABEL, 0, 0, names, c->all.np},
      {"param_j", COL_LABEL, 0, 0, names, c->all.np},
      {"theta_i", COL_REAL, -CALIB_THETA_MAX, CALIB_THETA_MAX, NULL, 0},
      {"theta_j", COL_REAL, -CALIB_THETA_MAX, CALIB_THETA_MAX, NULL, 0},
      {"covariance", COL_REAL, -1e6, 1e6, NULL, 0},
      {"source", COL_TEXT, 0, 0, NULL, 0},
      {"note", COL_TEXT, 0, 0, NULL, 0}};
  struct csvtab t;
  int rc = -1;
  if (csvtab_load(&t, path, cols, (int)(sizeof cols / sizeof cols[0]), err, errlen) != 0) {
    free(c);
    return -1;
  }
  for (int k = 0; k < t.nrows; k++)
    if (cov_row(u, c, &t, &t.rows[k], err, errlen)) goto out;
  for (int i = 0; i < u->np; i++)
    for (int j = 0; j < u->np; j++)
      if (!c->line[i][j]) {
        snprintf(err, errlen, "%s: no covariance for (%s, %s) (expected every pair)", path,
                 u->names[i], u->names[j]);
        goto out;
      }
  /* the spec in the file's order */
  u->spec.np = u->np;
  for (int j = 0; j < u->np; j++)
    u->spec.prm[j] = c->all.prm[c->map[j]];
  if (cholesky(u, c->cov, path, err, errlen)) goto out;
  rc = 0;
out:
  csvtab_free(&t);
  free(c);
  if (rc) u->np = 0;
  return rc;
}

void uncertainty_theta(const struct param_draws *u, uint64_t seed, int d, double *theta)
{
  struct pcg32 r;
  pcg32_seed(&r, rng_key(seed, (uint64_t)d, 0, RNG_PARAMS), RNG_PARAMS);
  double z[CALIB_MAX_PARAMS];
  for (int i = 0; i < u->np; i++)
    z[i] = pcg32_normal(&r);
  for (int i = 0; i < u->np; i++) {
    theta[i] = u->theta[i];
    for (int j = 0; j <= i; j++)
      theta[i] += u->chol[i][j] * z[j];
  }
}

void uncertainty_apply(const struct param_draws *u, uint64_t seed, int d, struct params *p)
{
  if (u->np == 0) return;
  double theta[CALIB_MAX_PARAMS];
  uncertainty_theta(u, seed, d, theta);
  calib_apply(&u->spec, theta, p);
}
