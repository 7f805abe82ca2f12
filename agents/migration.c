/**
 * @file migration.c
 * @brief New people who are not Norwegian graduates: foreign-educated
 *        immigrants with a new authorisation, Norwegians returning after
 *        studying abroad, and (for assistants) recruitment of staff without
 *        health education.  Each arrives at a uniform time in the year.
 *        Emigration is in demography.c.
 */
#include "process.h"

#include "population.h"

void migration_arrivals(const struct params *p, const struct scenario *s, int r, int year,
                        struct population *pop)
{
  struct pcg32 rng;
  pcg32_seed(&rng, rng_key(s->seed, (uint64_t)r, (uint64_t)year, RNG_INFLOW), RNG_INFLOW);
  static const int src[N_INFLOW_CHANNELS] = {ENTRY_IMMIGRATION, ENTRY_ABROAD_GRAD,
                                             ENTRY_RECRUITMENT};
  for (int g = 0; g < N_GROUPS; g++)
    for (int ch = 0; ch < N_INFLOW_CHANNELS; ch++) {
      const struct inflow *in = &p->inflow[g][ch];
      if (in->per_year <= 0) continue;
      /* stochastic rounding keeps the expected inflow exact */
      double whole = floor(in->per_year);
      int n = (int)whole + (pcg32_uniform(&rng) < in->per_year - whole);
      int nm = (int)lround(n * in->male_share);
      for (int i = 0; i < n; i++) {
        struct agent *a = population_push(pop);
        a->key = population_key(year, POP_KEY_INFLOW, g, ch, (uint32_t)i);
        a->group = (uint8_t)g;
        a->sex = i < nm ? SEX_MALE : SEX_FEMALE;
        a->status = ST_PENDING;
        a->entry_src = (uint8_t)src[ch];
        a->t_mark = year + pcg32_uniform(&rng);
        a->birth = a->t_mark - population_draw_age(&rng, in->age_mean, in->age_sd, 20.0, 66.0);
        if (ch != INFLOW_RECRUITMENT) a->flags |= ch == INFLOW_IMMIGRATION ? AF_ABROAD : 0;
        population_seed_agent(a, s->seed, r);
      }
    }
}

