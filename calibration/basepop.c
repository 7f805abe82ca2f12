/**
 * @file basepop.c
 * @brief Synthesis of the base population (31 December of the base year)
 *        from the register marginals in the data directory: persons by
 *        group, sex and single-year age (base_age.csv), sector shares by
 *        group (base_sector.csv), position-share distributions by group,
 *        sector and age (position_share.csv), the stationary sick-leave
 *        state, and the students in the pipeline (education.c).
 */
#include <math.h>
#include <stdlib.h>

#include "population.h"
#include "process.h"

void basepop_synthesise(const struct params *p, const struct scenario *s, int r,
                            struct population *pop)
{
  rng_init_tables();
  /* The base stock describes 31 December of start_year, i.e. t = start_year + 1. */
  const double t0 = (double)s->start_year + 1.0;
  struct pcg32 rng;
  pcg32_seed(&rng, rng_key(s->seed, (uint64_t)r, 0, RNG_BASE_POP), RNG_BASE_POP);
  for (int g = 0; g < N_GROUPS; g++) {
    size_t first = pop->n;
    uint32_t idx = 0;
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int ai = 0; ai < N_AGES; ai++)
        for (int32_t i = 0; i < p->base_persons[g][sx][ai]; i++) {
          struct agent *a = population_push(pop);
          a->key = population_key(0, POP_KEY_BASE, g, 0, idx++);
          a->group = (uint8_t)g;
          a->sex = (uint8_t)sx;
          a->status = ST_ACTIVE;
          int age = ai + AGE_MIN;
          a->birth = t0 - age - pcg32_uniform(&rng);
          /* Entry into work is not in the register marginals: assume age 23
           * (end of a 3-year bachelor), so only the under-30s are early-career. */
          double tc = a->birth + 23.0;
          a->t_career = (float)(tc < t0 ? tc : t0 - 0.5 * pcg32_uniform(&rng));
          population_seed_agent(a, s->seed, r);
        }
    size_t n = pop->n - first;
    if (n == 0) continue;
    /* Sectors: exact counts by largest remainder, assigned over a random
     * permutation, so each group's sector totals are reproduced exactly. */
    int cnt[N_SECTORS];
    population_apportion((int)n, p->base_sector[g], N_SECTORS, cnt);
    uint32_t *perm = malloc(n * sizeof *perm);
    for (size_t i = 0; i < n; i++) perm[i] = (uint32_t)i;
    for (size_t i = n - 1; i > 0; i--) {
      uint32_t j = pcg32_bounded(&rng, (uint32_t)(i + 1));
      uint32_t tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    size_t k = 0;
    for (int sec = 0; sec < N_SECTORS; sec++)
      for (int c = 0; c < cnt[sec]; c++) pop->a[first + perm[k++]].sector = (uint8_t)sec;
    /* Position shares: stratified uniforms (i + U) / n_sector over the same
     * random order, so each sector's mean matches its distribution closely. */
    int seen[N_SECTORS] = {0};
    double u0 = pcg32_uniform(&rng);
    for (size_t i = 0; i < n; i++) {
      struct agent *a = &pop->a[first + perm[i]];
      int sec = a->sector;
      double u = ((double)seen[sec]++ + u0) / (double)cnt[sec];
      int age = (int)floor(t0 - a->birth);
      a->pshare = position_draw(p, g, sec, age, u);
    }
    for (size_t i = 0; i < n; i++) sickleave_init_state(&pop->a[first + i], p, t0, &rng);
    free(perm);
  }
  education_base_students(p, s, r, &rng, pop);
}
