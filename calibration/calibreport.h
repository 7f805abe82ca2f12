/**
 * @file calibreport.h
 * @brief What a fit leaves behind: fitted.csv and fitted_cov.csv (read back
 *        by params_load and uncertainty_load) and the report of every target
 *        before and after the fit.
 */
#ifndef HWSIM_CALIBREPORT_H
#define HWSIM_CALIBREPORT_H

#include <stddef.h>
#include <stdio.h>

#include "calibrate.h"

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

/** @brief The covariance file that goes with fitted file @p path: its extension replaced by
 *         "_cov.csv" (fitted.csv -> fitted_cov.csv). */
void calib_cov_path(const char *path, char *cpath, size_t len);

/** @brief The report: every target before/after, parameters, fit statistic (Markdown or CSV). */
void calib_report(FILE *f, const struct calib_targets *T, const struct calib_spec *sp,
                  const struct calib_result *r, const struct calib_opts *o, int csv);

/**
 * @brief The simulated value of every target, @p sim[i] for target i (NAN:
 *        undefined), as a Markdown table or as CSV (`hwsim calibrate --evaluate`;
 *        CSV values to full precision).
 */
void calib_report_values(FILE *f, const struct calib_targets *T, const double *sim, int csv);

#endif
