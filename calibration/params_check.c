/**
 * @file params_check.c
 * @brief A scenario against the loaded data (see params_check.h).
 */
#include "params_check.h"

#include <stdio.h>

int params_check_scenario(const struct params *p, const struct scenario *s, char *err,
                          size_t errlen)
{
  /* The data's stock is the base year's register: a scenario starting in another year would
   * label that stock with the wrong year and compare it with the wrong year's demand. */
  if (s->start_year != PARAMS_BASE_YEAR) {
    snprintf(err, errlen,
             "%.400s: start_year %d is not the data's base year (expected %d: the stock "
             "in %.400s is the %d register, and the run starts from it)",
             s->path, s->start_year, PARAMS_BASE_YEAR, s->data_dir, PARAMS_BASE_YEAR);
    return -1;
  }
  /* the doctors' measures need the doctors' track in the data */
  for (int k = 0; k < s->n_iv && !p->doc.on; k++) {
    enum iv_type ty = s->iv[k].type;
    if (ty == IV_ALIS || ty == IV_LIS1_POSTS || ty == IV_LIST_NORM || ty == IV_GP_HOURS ||
        ty == IV_GP_RETENTION) {
      snprintf(err, errlen,
               "%.400s:%d: intervention %d (%s) needs the doctors' career track, but "
               "%.400s has no doctors.csv",
               s->path, s->iv[k].line, k + 1, iv_type_labels[ty], s->data_dir);
      return -1;
    }
  }
  /* study places act on a programme's intake: a group without one would ignore them silently
   * (public health nurses and midwives qualify from nurses: conversion.csv) */
  for (int k = 0; k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (iv->type != IV_STUDY_PLACES) continue;
    for (int g = 0; g < N_GROUPS; g++)
      if ((iv->groups >> g & 1u) && p->n_edu[g] == 0) {
        snprintf(err, errlen,
                 "%.400s:%d: intervention %d (study_places) names %s, which has no education "
                 "programme in %.400s/education.csv (expected a group with one; public health "
                 "nurses and midwives qualify from nurses, conversion.csv)",
                 s->path, iv->line, k + 1, group_labels[g], s->data_dir);
        return -1;
      }
  }
  /* the rota limit binds shift workers (rota.csv): without a share it would bind nobody */
  for (int k = 0; k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (iv->type != IV_PSHARE_FLOOR || iv->full_time_cap <= 0) continue;
    for (int g = 0; g < N_GROUPS; g++)
      for (int sec = 0; sec < N_HSECTORS; sec++)
        if ((iv->groups >> g & 1u) && (iv->sectors >> sec & 1u) && p->rota_share[g][sec] <= 0) {
          if (!p->has_rota)
            snprintf(err, errlen,
                     "%.400s:%d: intervention %d (pshare_floor): full_time_cap limits the "
                     "full-time posts of shift workers, but %.400s has no rota.csv (expected the "
                     "share on rotating shifts of each group and sector it caps)",
                     s->path, iv->line, k + 1, s->data_dir);
          else
            snprintf(err, errlen,
                     "%.400s:%d: intervention %d (pshare_floor): full_time_cap limits the "
                     "full-time posts of shift workers, but %.400s/rota.csv gives %s in %s no "
                     "share on rotating shifts (expected groups and sectors with a rota share, "
                     "or no full_time_cap)",
                     s->path, iv->line, k + 1, s->data_dir, group_labels[g], sector_labels[sec]);
          return -1;
        }
  }
  if (s->exit_shift_ratio > 0 && s->exit_shift_ratio != 1.0 && !p->has_rota) {
    snprintf(err, errlen,
             "%.400s:%d: behaviour: exit_shift_ratio %g needs %.400s/rota.csv (who works "
             "rotating shifts)",
             s->path, scenario_key_line(s, "behaviour"), s->exit_shift_ratio, s->data_dir);
    return -1;
  }
  return 0;
}
