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
#include "scenario.h"

/* Age at arrival ~ N(age_mean, age_sd) of inflow.csv, clipped to [20, 66] (docs/model.md,
 * section 4.7; the clip is an assumption: the table gives only the mean and sd). */
#define MIGRANT_AGE_MIN 20.0 /**< youngest arrival */
#define MIGRANT_AGE_MAX 66.0 /**< oldest arrival */

_Static_assert(N_GROUPS <= RNG_GROUP_SLOTS && N_INFLOW_CHANNELS <= RNG_CHANNEL_SLOTS,
               "a year's inflow streams need a slot per group and channel");

/** @brief This year's expected arrivals for (g, channel) after recruitment_abroad measures. */
static double migration_expected(const struct params *p, const struct scenario *s, int g, int ch,
                                 int year)
{
  double n = p->inflow[g][ch].per_year;
  if (ch != INFLOW_IMMIGRATION) return n;
  /* the fitted multiplier of the immigration (the take-up of authorisations, an assumption of
   * inflow.csv; docked), at the band of the channel's mean age, before any measure */
  n *= p->mult[MP_IMMIGRATION][g][AGE_BAND(age_clamp((int)p->inflow[g][ch].age_mean))];
  for (int k = 0; k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (iv->type != IV_RECRUITMENT_ABROAD || !(iv->groups >> g & 1u)) continue;
    n = n * interventions_effective_factor(iv, iv->factor, year) +
        iv->add * intervention_uptake(iv, year);
  }
  return n > 0 ? n : 0;
}

void migration_arrivals(const struct params *p, const struct scenario *s, int r, int year,
                        struct population *pop)
{
  static const int src[N_INFLOW_CHANNELS] = {ENTRY_IMMIGRATION, ENTRY_ABROAD_GRAD,
                                             ENTRY_RECRUITMENT};
  for (int g = 0; g < N_GROUPS; g++)
    for (int ch = 0; ch < N_INFLOW_CHANNELS; ch++) {
      const struct inflow *in = &p->inflow[g][ch];
      double expect = migration_expected(p, s, g, ch, year);
      if (expect <= 0) continue;
      /* One stream per (year, group, channel): the count's rounding draw
       * first, then per person in index order (sex, arrival, age), so more
       * arrivals append people without changing anyone else's draws. */
      struct pcg32 rng;
      pcg32_seed(&rng,
                 rng_key(s->seed, (uint64_t)r,
                         ((uint64_t)year * RNG_GROUP_SLOTS + (uint64_t)g) * RNG_CHANNEL_SLOTS +
                             (uint64_t)ch,
                         RNG_INFLOW),
                 RNG_INFLOW);
      /* stochastic rounding keeps the expected inflow exact */
      double whole = floor(expect);
      int n = (int)whole + (pcg32_uniform(&rng) < expect - whole);
      for (int i = 0; i < n; i++) {
        struct agent *a = population_push(pop);
        if (!a) return; /* out of memory: pop->err says so */
        a->key = population_key(year, POP_KEY_INFLOW, g, ch, (uint32_t)i);
        a->group = (uint8_t)g;
        a->sex = pcg32_uniform(&rng) < in->male_share ? SEX_MALE : SEX_FEMALE;
        a->status = ST_PENDING;
        a->entry_src = (uint8_t)src[ch];
        a->t_mark = year + pcg32_uniform(&rng);
        a->birth = a->t_mark - population_draw_age(&rng, in->age_mean, in->age_sd, MIGRANT_AGE_MIN,
                                                   MIGRANT_AGE_MAX);
        if (ch == INFLOW_IMMIGRATION) a->flags |= AF_ABROAD;
        population_seed_agent(a, s->seed, r);
      }
    }
}
