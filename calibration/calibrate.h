/**
 * @file calibrate.h
 * @brief `hwsim calibrate`: fit a small vector of log hazard multipliers to
 *        published targets (calibration/norway/targets.csv format) by
 *        nonlinear least squares (GSL multifit_nlinear, Levenberg-Marquardt),
 *        each evaluation a short simulation with common random numbers.
 *
 * Method in docs/calibration.md.  The pieces are separate modules so that the
 * tests can drive them on synthetic data: the targets and the simulated value
 * of a target from a replicate's output slabs (targets.h), the free
 * parameters and their map to multipliers (calibspec.h), the fit (here), the
 * writers of fitted.csv and the report (calibreport.h), and the command
 * (calibrate_cli.c).
 */
#ifndef HWSIM_CALIBRATE_H
#define HWSIM_CALIBRATE_H

#include <stdint.h>

#include "calibspec.h"
#include "engine.h"
#include "params.h"
#include "scenario.h"
#include "targets.h"

struct calib_opts {
  uint64_t seed;
  int replicates; /**< replicates per evaluation (indices 0..R-1: common random numbers) */
  int threads;
  int max_iter;   /**< Levenberg-Marquardt iterations */
  double fd_step; /**< forward-difference step in theta (log multiplier) */
  int verbose;    /**< progress lines on stderr */
};

struct calib_result {
  int np, n;
  double theta0[CALIB_MAX_PARAMS], theta[CALIB_MAX_PARAMS];
  double se[CALIB_MAX_PARAMS]; /**< sqrt(diag((J'J)^-1)), residuals in tolerance units */
  double cov[CALIB_MAX_PARAMS * CALIB_MAX_PARAMS];
  int has_cov;
  double *sim0, *sim;  /**< simulated value of each target at theta0 and at the fit */
  double chi2_0, chi2; /**< sum of ((sim - target) / tolerance)^2 over defined targets */
  int within0, within; /**< targets within tolerance */
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
 * @return 0, or -1 (out of memory) with the reason in err.
 */
int calib_evaluate(const struct params *base, const struct scenario *s,
                   const struct calib_targets *T, const struct calib_spec *sp, const double *theta,
                   const struct calib_opts *o, double *sim, char *err, size_t errlen);

/**
 * @brief The `hwsim calibrate` command (calibrate_cli.c); returns the exit code (0 ok,
 *        1 failure, 2 bad input).
 */
int calibrate_main(int argc, char **argv);

#endif
