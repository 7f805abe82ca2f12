/**
 * @file uncertainty.h
 * @brief Parameter uncertainty for Monte Carlo runs: each replicate draws its
 *        own set of fitted hazard multipliers from the calibration's Gaussian
 *        approximation (fitted_cov.csv: estimate and covariance of the
 *        log-multipliers θ), keyed by (seed, draw index), so replicate r has the
 *        same draw on any thread or rank.
 *
 * Nested replicates: with K replicates per draw, replicate r uses draw
 * d = r / K, so K replicates share one parameter set and differ only in their
 * random streams; `hwsim summary --decompose` splits the spread into a
 * between-draw (parameter) and a within-draw (Monte Carlo) part.
 */
#ifndef HWSIM_UNCERTAINTY_H
#define HWSIM_UNCERTAINTY_H

#include <stddef.h>
#include <stdint.h>

#include "calibspec.h"
#include "params.h"

struct param_draws {
  int np;                         /**< number of parameters (0: no uncertainty file) */
  struct calib_spec spec;         /**< their meaning, from calib_spec_default */
  double theta[CALIB_MAX_PARAMS]; /**< the estimate */
  double chol[CALIB_MAX_PARAMS][CALIB_MAX_PARAMS]; /**< lower Cholesky factor of the covariance */
  char names[CALIB_MAX_PARAMS][64];
};

/**
 * @brief Read fitted_cov.csv from the data directory (absent: np = 0, not an error).
 * @return 0, or -1 with "FILE:LINE: reason" in err.
 */
int uncertainty_load(struct param_draws *u, const char *dir, char *err, size_t errlen);

/** @brief θ for draw @p d: θ̂ + L z, z standard normal from the (seed, d) stream. */
void uncertainty_theta(const struct param_draws *u, uint64_t seed, int d, double *theta);

/** @brief Set p's multipliers to those of draw @p d (p must be a copy of the loaded data). */
void uncertainty_apply(const struct param_draws *u, uint64_t seed, int d, struct params *p);

#endif
