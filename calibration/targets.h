/**
 * @file targets.h
 * @brief Calibration and validation targets (calibration/norway/targets.csv
 *        format) and the one definition of each target measure on a
 *        replicate's output: used by the fit (calibrate.h) and, through
 *        `hwsim calibrate --evaluate`, by tools/validate.py.
 */
#ifndef HWSIM_TARGETS_H
#define HWSIM_TARGETS_H

#include <stddef.h>

#include "engine.h"

/** Target measures (definitions in docs/calibration.md; computed by calib_simulated). */
enum calib_measure {
  CM_FTE,
  CM_PERSONS,
  CM_SHARE_55PLUS,
  CM_MEAN_PSHARE,
  CM_PARTTIME_SHARE,
  CM_MALE_SHARE,
  CM_SICK_TOTAL,
  CM_SICK_DOCTOR,
  CM_SICK_SELF,
  CM_MEAN_RETIREMENT_AGE,
  CM_MEAN_DISABILITY_AGE,
  CM_GPS,                /**< GPs holding a list at 31 December (doctor_flows) */
  CM_LISTS_WITHOUT_GP,   /**< lists without a GP at 31 December */
  CM_INHAB_WITHOUT_GP,   /**< inhabitants on lists without a GP at 31 December */
  CM_GP_LEAVING_RATE,    /**< GPs who stopped holding a list in the year / GPs at its start */
  CM_NEW_GP_SPECIALISTS, /**< approvals in general practice in the year */
  CM_RETENTION,          /**< retention_Ny, N = 0 .. N_GRAD_YEARS-1 (in calib_target.k) */
  N_CALIB_MEASURES
};

/** @brief Whether measure @p m is one of the GP scheme's whole-country figures (CM_GPS ..
 *         CM_NEW_GP_SPECIALISTS). */
static inline int calib_measure_is_gp(int m)
{
  return m >= CM_GPS && m <= CM_NEW_GP_SPECIALISTS;
}

/** age_band column: `all`, `15-61` (bands 15-59 + 2/5 of 60-64), or one 5-year band. */
#define CALIB_AGE_ALL (-1)
#define CALIB_AGE_UNDER62 (-2)

struct calib_target {
  int line;               /**< line in its file */
  int file;               /**< index into calib_targets.path */
  int measure;            /**< enum calib_measure */
  int k;                  /**< retention years */
  int group, sex, sector; /**< id or CSVTAB_ALL (sector all = the three health sectors) */
  int age;                /**< CALIB_AGE_ALL, CALIB_AGE_UNDER62 or a band index */
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

/**
 * @brief Add replicate @p o's value of every target to sum[i] and count it in
 *        cnt[i] where it is defined (not NAN).
 */
void calib_targets_accumulate(const struct calib_targets *T, const struct replicate_out *o,
                              int start_year, double *sum, int *cnt);

/**
 * @brief Turn the sums into the mean over replicates of the per-replicate
 *        value: sum[i] / cnt[i], NAN where no replicate defines target i.
 */
void calib_targets_mean(const struct calib_targets *T, double *sum, const int *cnt);

#endif
