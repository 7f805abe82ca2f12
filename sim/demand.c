/**
 * @file demand.c
 * @brief The demand side of a replicate (see demand.h).
 */
#include "demand.h"

#include <stdio.h>

#include "rng.h"

int demand_alternative(const struct scenario *s, int r)
{
  if (!s->demand_draw) return (int)s->demand;
  const double u = rng_key_uniform(
      s->seed, scenario_draw_key(s, UNC_DEMAND, r / scenario_draw_size(s)), 0, RNG_DEMAND);
  double c = 0;
  for (int a = 0; a < N_DEMAND_ALTS; a++) {
    c += s->demand_weights[a];
    if (u < c) return a;
  }
  /* u within rounding of 1: the last alternative with weight */
  for (int a = N_DEMAND_ALTS - 1; a > 0; a--)
    if (s->demand_weights[a] > 0) return a;
  return 0;
}

/** @brief Demand x (1 + (factor - 1) x uptake) in the measure's groups and sectors. */
static void apply_factor(const struct intervention *iv, int year, double out[N_GROUPS][N_HSECTORS])
{
  const double m = 1.0 + (iv->factor - 1.0) * intervention_uptake(iv, year);
  for (int g = 0; g < N_GROUPS; g++)
    for (int sec = 0; sec < N_HSECTORS; sec++)
      if ((iv->groups >> g & 1u) && (iv->sectors >> sec & 1u)) out[g][sec] *= m;
}

/** @brief share x uptake of the from-group's demand moves to to_group, x conversion. */
static void apply_task_sharing(const struct intervention *iv, int year,
                               double out[N_GROUPS][N_HSECTORS])
{
  const double f = iv->share * intervention_uptake(iv, year);
  for (int g = 0; g < N_GROUPS; g++)
    if (iv->groups >> g & 1u)
      for (int sec = 0; sec < N_HSECTORS; sec++)
        if (iv->sectors >> sec & 1u) {
          const double moved = f * out[g][sec];
          out[g][sec] -= moved;
          out[iv->to_group][sec] += iv->conversion * moved;
        }
}

void demand_year(const struct params *p, const struct scenario *s, int alt, int year,
                 const double (*fallback)[N_HSECTORS], double out[N_GROUPS][N_HSECTORS])
{
  for (int g = 0; g < N_GROUPS; g++) {
    for (int sec = 0; sec < N_HSECTORS; sec++)
      out[g][sec] = 0;
    if (p->has_demand[g])
      params_demand_sectors(p, alt, g, year, s->productivity_growth, fallback ? fallback[g] : NULL,
                            out[g]);
  }
  for (int k = 0; k < s->n_iv; k++)
    if (s->iv[k].type == IV_DEMAND_FACTOR) apply_factor(&s->iv[k], year, out);
  for (int k = 0; k < s->n_iv; k++)
    if (s->iv[k].type == IV_TASK_SHARING) apply_task_sharing(&s->iv[k], year, out);
}

int demand_check(const struct params *p, const struct scenario *s, char *err, size_t errlen)
{
  for (int k = 0; k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (iv->type != IV_TASK_SHARING) continue;
    for (int g = 0; g < N_GROUPS; g++)
      if (((iv->groups >> g & 1u) || g == iv->to_group) && !p->has_demand[g]) {
        snprintf(err, errlen,
                 "%s:%d: intervention %d (task_sharing): group %s has no demand in the data's "
                 "demand.csv (expected groups with demand on both sides)",
                 s->path, iv->line, k + 1, group_labels[g]);
        return -1;
      }
  }
  return 0;
}
