/**
 * @file calibspec.h
 * @brief The free parameters of a calibration and their map to hazard
 *        multipliers: what `hwsim calibrate` fits (calibrate.h) and what
 *        parameter uncertainty draws (uncertainty.h).
 *
 * Kept apart from the fitter so that the uncertainty module, which runs
 * inside every replicate, depends on the parameters' meaning only, not on the
 * engine or the optimiser.
 */
#ifndef HWSIM_CALIBSPEC_H
#define HWSIM_CALIBSPEC_H

#include "params.h"

/** Shape of a free parameter's effect across the age bands it covers. */
enum calib_shape { CS_LEVEL, CS_SLOPE };

/**
 * A free parameter theta (a log multiplier): the multiplier of process
 * `process` for group `group` (or every group, CSVTAB_ALL) in age bands
 * band_from..band_to is multiplied by exp(theta) (level) or by
 * exp(theta * (mid_age(band) - centre) / 10) (slope: theta per decade,
 * centre the middle of the covered ages).  Several parameters may overlap.
 */
/** What a conditional parameter needs among the targets to be fitted (calib_param.docking). */
enum { CALIB_DOCK_NONE, CALIB_DOCK_FTE, CALIB_DOCK_GP };

struct calib_param {
  char name[64];
  int process; /**< enum mult_proc */
  int group;
  int band_from, band_to;
  int shape;   /**< enum calib_shape */
  int docking; /**< CALIB_DOCK_FTE: docked on a group's supply path, fitted only with an `fte`
                    target for the group in all health sectors after the base year
                    (calib_spec_add_docking); CALIB_DOCK_GP: a GP-scheme parameter, fitted only
                    with a GP-scheme target (gps, lists_without_gp, ...) */
};

#define CALIB_MAX_PARAMS 24
struct calib_spec {
  int np;
  struct calib_param prm[CALIB_MAX_PARAMS];
};

/** @brief Add a conditional parameter (a level over bands band_from..band_to) that is fitted
 *         only when the targets hold what @p needs says (CALIB_DOCK_FTE or CALIB_DOCK_GP). */
void calib_spec_add_docking(struct calib_spec *sp, int process, int group, int band_from,
                            int band_to, int needs);

/** @brief Log multipliers are clamped to +-CALIB_THETA_MAX (factor 20) when applied. */
#define CALIB_THETA_MAX 3.0

/** @brief @p theta clamped to [-CALIB_THETA_MAX, CALIB_THETA_MAX]. */
double calib_theta_clamp(double theta);

/** @brief Add a parameter to a spec (name built from its fields). */
void calib_spec_add(struct calib_spec *sp, int process, int group, int band_from, int band_to,
                    int shape);

/** @brief The shipped default free parameters for the Norway targets (docs/calibration.md). */
void calib_spec_default(struct calib_spec *sp);

/** @brief Set p->mult from theta (all 1 outside the spec's cells). */
void calib_apply(const struct calib_spec *sp, const double *theta, struct params *p);

#endif
