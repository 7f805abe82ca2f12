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
#include <string.h>
#include <unistd.h>

#include "csvtab.h"
#include "rng.h"

/** @brief Index of a parameter name in the default calibration spec, or -1. */
static int spec_index(const struct calib_spec *sp, const char *name)
{
  for (int j = 0; j < sp->np; j++)
    if (strcmp(sp->prm[j].name, name) == 0) return j;
  return -1;
}

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

int uncertainty_load(struct param_draws *u, const char *dir, char *err, size_t errlen)
{
  memset(u, 0, sizeof *u);
  char path[1024];
  snprintf(path, sizeof path, "%s/fitted_cov.csv", dir);
  if (access(path, F_OK) != 0) return 0;
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: cannot read file", path);
    return -1;
  }
  struct calib_spec all;
  calib_spec_default(&all);
  double cov[CALIB_MAX_PARAMS][CALIB_MAX_PARAMS] = {{0}};
  int seen[CALIB_MAX_PARAMS][CALIB_MAX_PARAMS] = {{0}};
  int map[CALIB_MAX_PARAMS]; /* u's index -> all's index */
  char line[4096];
  int ln = 0, rc = -1;
  while (fgets(line, sizeof line, f)) {
    ln++;
    line[strcspn(line, "\r\n")] = '\0';
    if (ln == 1) {
      static const char hdr[] = "param_i,param_j,theta_i,theta_j,covariance,";
      if (strncmp(line, hdr, sizeof hdr - 1) != 0) {
        snprintf(err, errlen,
                 "%s:1: header does not match (expected "
                 "param_i,param_j,theta_i,theta_j,covariance,source,note)",
                 path);
        goto out;
      }
      continue;
    }
    char a[64], b[64];
    double ti, tj, c;
    if (sscanf(line, "%63[^,],%63[^,],%lf,%lf,%lf", a, b, &ti, &tj, &c) != 5) {
      snprintf(err, errlen, "%s:%d: expected param_i,param_j,theta_i,theta_j,covariance", path, ln);
      goto out;
    }
    int idx[2] = {-1, -1};
    const char *nm[2] = {a, b};
    double th[2] = {ti, tj};
    for (int k = 0; k < 2; k++) {
      for (int j = 0; j < u->np; j++)
        if (strcmp(u->names[j], nm[k]) == 0) idx[k] = j;
      if (idx[k] < 0) {
        int s = spec_index(&all, nm[k]);
        if (s < 0) {
          snprintf(err, errlen,
                   "%s:%d: unknown parameter '%s' (expected one of hwsim calibrate's parameters)",
                   path, ln, nm[k]);
          goto out;
        }
        if (u->np == CALIB_MAX_PARAMS) {
          snprintf(err, errlen, "%s:%d: too many parameters (expected at most %d)", path, ln,
                   CALIB_MAX_PARAMS);
          goto out;
        }
        idx[k] = u->np;
        map[u->np] = s;
        snprintf(u->names[u->np], sizeof u->names[0], "%s", nm[k]);
        u->theta[u->np] = th[k];
        u->np++;
      }
    }
    cov[idx[0]][idx[1]] = cov[idx[1]][idx[0]] = c;
    seen[idx[0]][idx[1]] = seen[idx[1]][idx[0]] = 1;
  }
  for (int i = 0; i < u->np; i++)
    for (int j = 0; j < u->np; j++)
      if (!seen[i][j]) {
        snprintf(err, errlen, "%s: no covariance for (%s, %s) (expected every pair)", path,
                 u->names[i], u->names[j]);
        goto out;
      }
  /* the spec in the file's order */
  u->spec.np = u->np;
  for (int j = 0; j < u->np; j++)
    u->spec.prm[j] = all.prm[map[j]];
  if (cholesky(u, cov, path, err, errlen)) goto out;
  rc = 0;
out:
  fclose(f);
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
