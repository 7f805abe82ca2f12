/**
 * @file calibspec.c
 * @brief The calibration's free parameters and their map to the hazard
 *        multipliers of struct params (see calibspec.h).
 */
#include "calibspec.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csvtab.h"

void calib_spec_add(struct calib_spec *sp, int process, int group, int band_from, int band_to,
                    int shape)
{
  if (sp->np >= CALIB_MAX_PARAMS) return;
  struct calib_param *q = &sp->prm[sp->np++];
  q->process = process;
  q->group = group;
  q->band_from = band_from;
  q->band_to = band_to;
  q->shape = shape;
  snprintf(q->name, sizeof q->name, "%s:%s:%d-%d:%s", mult_proc_labels[process],
           group == CSVTAB_ALL ? "all" : group_labels[group], AGE_MIN + 5 * band_from,
           AGE_MIN + 5 * band_to + 4, shape == CS_LEVEL ? "level" : "slope");
}

void calib_spec_add_docking(struct calib_spec *sp, int process, int group, int band_from,
                            int band_to, int needs)
{
  const int np = sp->np;
  calib_spec_add(sp, process, group, band_from, band_to, CS_LEVEL);
  if (sp->np > np) sp->prm[np].docking = needs; /* not when the spec was full */
}

void calib_spec_default(struct calib_spec *sp)
{
  memset(sp, 0, sizeof *sp);
  /* Nurses' exit at ages 30-39 (years 6-15 after a graduation at about 24):
   * retention_10y without losing retention_6y.  A level and slope over 30-64
   * was tried: only the retention targets constrain it, and the fit put a
   * factor 5 on exits at 60-64 (docs/calibration.md). */
  calib_spec_add(sp, MP_EXIT, G_NURSE, 3, 4, CS_LEVEL);
  /* Nurses' disability by age (35-69): mean_disability_age. */
  calib_spec_add(sp, MP_DISABILITY, G_NURSE, 4, 10, CS_SLOPE);
  /* Docking with HELSEMOD (calibration/norway/docking.csv, issue 13): one
   * parameter per group for the 2040 supply, on the rate the sources pin
   * down least.  For the groups with a Norwegian programme, the level of the
   * exits from the health services at every age (exit.csv derives them from
   * turnover figures of differing definitions, facts.md A 3.2-3.3); for
   * public health nurses and midwives, who qualify from nurses, the
   * conversions into the group (conversion.csv assumes every completer
   * qualifies from a nurse working in the health services).  Not physicians
   * or dentists: their 2040 supply is within tolerance without one (-2.7 %,
   * -4.8 %), and with one the dentists' level jumped past the factor-20
   * clamp in the first steps, where a parameter no longer moves the fit.
   * The entry propensity (entry.csv) was tried as the lever and is too
   * weak: a graduate who does not start in the services comes back at the
   * re-entry hazards, and the fit pushed 9 of 11 groups' odds past the
   * factor-20 clamp (docs/calibration.md).
   *
   * Nurses' exits are pinned by the cohort retention targets: a docked
   * level at every age put retention_2y out of tolerance and left the 2040
   * supply 6 % short; a level at 40-74, where the retention targets do not
   * reach, went past the clamp (exits x 0.05).  Their docked parameter is
   * the immigration instead: inflow.csv's nurse immigrants are the
   * foreign-educated authorisations times a take-up of 0.4, an assumption. */
  calib_spec_add_docking(sp, MP_IMMIGRATION, G_NURSE, 0, N_AGE_BANDS - 1, CALIB_DOCK_FTE);
  static const int exit_groups[] = {
      G_HEALTH_CARE_WORKER,     G_SOCIAL_EDUCATOR, G_MEDICAL_SECRETARY,
      G_PHYSIOTHERAPIST,        G_PSYCHOLOGIST,    G_BIOMEDICAL_LAB_SCIENTIST,
      G_OCCUPATIONAL_THERAPIST, G_RADIOGRAPHER,    G_DENTAL_HYGIENIST};
  for (size_t i = 0; i < sizeof exit_groups / sizeof *exit_groups; i++)
    calib_spec_add_docking(sp, MP_EXIT, exit_groups[i], 0, N_AGE_BANDS - 1, CALIB_DOCK_FTE);
  calib_spec_add_docking(sp, MP_CONVERT, G_PUBLIC_HEALTH_NURSE, 0, N_AGE_BANDS - 1, CALIB_DOCK_FTE);
  calib_spec_add_docking(sp, MP_CONVERT, G_MIDWIFE, 0, N_AGE_BANDS - 1, CALIB_DOCK_FTE);
  /* The GP scheme (calibration/norway/doctor_targets.csv, issue 19), fitted
   * only when the targets hold a GP-scheme figure, jointly on the series
   * 2020-2022: the level of the matching efficiency of the hiring into vacant
   * lists (gp_match_efficiency is normalised on the model's base pool, the
   * matching function is an assumption), the level of the list-leaving hazard
   * (pinned by the leaving rate of 2020, which the contract durations and the
   * stated intentions bracket) and its yearly growth after the published trend
   * (gp_quit_late, to gp_quit_late_end), which the lists without a GP of 2020
   * and 2022 identify together (docs/calibration.md). */
  calib_spec_add_docking(sp, MP_GP_HIRE, G_PHYSICIAN, 0, N_AGE_BANDS - 1, CALIB_DOCK_GP);
  calib_spec_add_docking(sp, MP_GP_QUIT, G_PHYSICIAN, 0, N_AGE_BANDS - 1, CALIB_DOCK_GP);
  calib_spec_add_docking(sp, MP_GP_QUIT_LATE, G_PHYSICIAN, 0, N_AGE_BANDS - 1, CALIB_DOCK_GP);
  /* Not fitted (docs/calibration.md): the part-time shares that miss would need
   * pshare_down at the factor-20 bound, which would break the stationarity of
   * position shares in projections; they are a matter of position_share.csv. */
}

double calib_theta_clamp(double x)
{
  return x > CALIB_THETA_MAX ? CALIB_THETA_MAX : x < -CALIB_THETA_MAX ? -CALIB_THETA_MAX : x;
}

/** log multiplier contribution of parameter q at band b (0 outside its cells). */
static double param_effect(const struct calib_param *q, double theta, int b)
{
  if (b < q->band_from || b > q->band_to) return 0;
  if (q->shape == CS_LEVEL) return theta;
  double centre = AGE_MIN + 2.5 + 5.0 * 0.5 * (q->band_from + q->band_to);
  double mid = AGE_MIN + 2.5 + 5.0 * b;
  return theta * (mid - centre) / 10.0;
}

void calib_apply(const struct calib_spec *sp, const double *theta, struct params *p)
{
  double lm[N_MULT_PROCS][N_GROUPS][N_AGE_BANDS];
  memset(lm, 0, sizeof lm);
  for (int j = 0; j < sp->np; j++) {
    const struct calib_param *q = &sp->prm[j];
    for (int g = 0; g < N_GROUPS; g++) {
      if (q->group != CSVTAB_ALL && q->group != g) continue;
      for (int b = 0; b < N_AGE_BANDS; b++)
        lm[q->process][g][b] += param_effect(q, theta[j], b);
    }
  }
  for (int k = 0; k < N_MULT_PROCS; k++)
    for (int g = 0; g < N_GROUPS; g++)
      for (int b = 0; b < N_AGE_BANDS; b++)
        p->mult[k][g][b] = exp(calib_theta_clamp(lm[k][g][b]));
}
