/**
 * @file calibrate.h
 * @brief `hwsim calibrate`: fit a small vector of log hazard multipliers to
 *        published targets (calibration/norway/targets.csv format) by
 *        nonlinear least squares (GSL multifit_nlinear, Levenberg-Marquardt),
 *        each evaluation a short simulation with common random numbers.
 *
 * Method in docs/calibration.md.  The pieces are separate so that the tests
 * can drive them on synthetic data: the target loader, the simulated value of
 * a target from a replicate's output slabs, the parameter-to-multiplier map,
 * the fit, and the writers of fitted.csv and the report.
 */
#ifndef HWSIM_CALIBRATE_H
#define HWSIM_CALIBRATE_H

#include <stdint.h>
#include <stdio.h>

#include "calibspec.h"
#include "engine.h"
#include "params.h"
#include "scenario.h"

/** Target measures (definitions as tools/validate.py). */
enum calib_measure {
  CM_FTE, CM_PERSONS, CM_SHARE_55PLUS, CM_MEAN_PSHARE, CM_PARTTIME_SHARE, CM_MALE_SHARE,
  CM_SICK_TOTAL, CM_SICK_DOCTOR, CM_SICK_SELF, CM_MEAN_RETIREMENT_AGE, CM_MEAN_DISABILITY_AGE,
  CM_RETENTION, /**< retention_Ny, N = 0 .. N_GRAD_YEARS-1 (in calib_target.k) */
  N_CALIB_MEASURES
};

/** age_band column: `all`, `15-61` (bands 15-59 + 2/5 of 60-64), or one 5-year band. */
#define CALIB_AGE_ALL (-1)
#define CALIB_AGE_UNDER62 (-2)

struct calib_target {
  int line;        /**< line in its file */
  int file;        /**< index into calib_targets.path */
  int measure;     /**< enum calib_measure */
  int k;           /**< retention years */
  int group, sex, sector; /**< id or CSVTAB_ALL (sector all = the three health sectors) */
  int age;         /**< CALIB_AGE_ALL, CALIB_AGE_UNDER62 or a band index */
  int year;
  double value, tol;
  char label[160]; /**< "measure,group,sex,age_band,sector,year" for reports */
};

#define CALIB_MAX_FILES 8
struct calib_targets {
  int n, nfiles;
  struct calib_target *t;
  char path[CALIB_MAX_FILES][512];
  char sha256[CALIB_MAX_FILES][65];
};

/**
 * @brief Load (append) a targets file; checks every row: known measure and
 *        labels, tolerance > 0, shares in [0, 1], percentages in [0, 100],
 *        counts >= 0, ages in 15..75, dimensions the measure has, years the
 *        simulation can reach (>= @p start_year), no duplicate target.
 * @return 0, or -1 with "FILE:LINE: reason (expected ...)" in err.
 */
int calib_targets_load(struct calib_targets *T, const char *path, int start_year, char *err,
                       size_t errlen);
void calib_targets_free(struct calib_targets *T);

/** @brief The last simulated year the targets need (retention_Ny: start + N + 1). */
int calib_targets_end_year(const struct calib_targets *T, int start_year);

/**
 * @brief Simulated value of target @p t in one replicate's output @p o whose
 *        year 0 is @p start_year; NAN when undefined (no persons, no exits).
 */
double calib_simulated(const struct calib_target *t, const struct replicate_out *o, int start_year);

struct calib_opts {
  uint64_t seed;
  int replicates;  /**< replicates per evaluation (indices 0..R-1: common random numbers) */
  int threads;
  int max_iter;    /**< Levenberg-Marquardt iterations */
  double fd_step;  /**< forward-difference step in theta (log multiplier) */
  int verbose;     /**< progress lines on stderr */
};

struct calib_result {
  int np, n;
  double theta0[CALIB_MAX_PARAMS], theta[CALIB_MAX_PARAMS];
  double se[CALIB_MAX_PARAMS];  /**< sqrt(diag((J'J)^-1)), residuals in tolerance units */
  double cov[CALIB_MAX_PARAMS * CALIB_MAX_PARAMS];
  int has_cov;
  double *sim0, *sim;          /**< simulated value of each target at theta0 and at the fit */
  double chi2_0, chi2;         /**< sum of ((sim - target) / tolerance)^2 over defined targets */
  int within0, within;         /**< targets within tolerance */
  int n_eval, iterations, gsl_status, gsl_info;
  int start_year, end_year;
  double seconds;
};
void calib_result_free(struct calib_result *r);

/**
 * @brief Fit the spec's parameters: theta starts at @p theta0 (NULL = 0),
 *        scenario @p s gives the data, start year, end year (set it with
 *        calib_targets_end_year) and must have no interventions; @p base is
 *        the loaded data (its multipliers are ignored).
 * @return 0, or -1 with a reason in err.
 */
int calib_fit(const struct params *base, const struct scenario *s, const struct calib_targets *T,
              const struct calib_spec *sp, const double *theta0, const struct calib_opts *o,
              struct calib_result *res, char *err, size_t errlen);

/**
 * @brief Simulated values of every target at @p theta (mean over the
 *        replicates of the per-replicate value), as used by the fit.
 */
void calib_evaluate(const struct params *base, const struct scenario *s,
                    const struct calib_targets *T, const struct calib_spec *sp,
                    const double *theta, const struct calib_opts *o, double *sim);

/**
 * @brief Write fitted.csv (process,group,age_band,multiplier,source,note):
 *        one row per cell a parameter touches, with the provenance (git
 *        revision, SHA-256 of the data files and of the targets, seed,
 *        replicates, years) in source/note; and, when the fit has a
 *        covariance, fitted_cov.csv beside it (param_i,param_j,covariance).
 * @return 0, or -1 with a reason in err.
 */
int calib_write_fitted(const char *path, const struct params *base, const struct scenario *s,
                       const struct calib_targets *T, const struct calib_spec *sp,
                       const struct calib_result *r, const struct calib_opts *o, char *err,
                       size_t errlen);

/** @brief The report: every target before/after, parameters, fit statistic (Markdown or CSV). */
void calib_report(FILE *f, const struct calib_targets *T, const struct calib_spec *sp,
                  const struct calib_result *r, const struct calib_opts *o, int csv);

/** @brief The `hwsim calibrate` command; returns the exit code (0 ok, 1 failure, 2 bad input). */
int calibrate_main(int argc, char **argv);

#endif
