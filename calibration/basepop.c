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

#include "alloc.h"
#include "basepop.h"

#include "doctors.h"
#include "population.h"
#include "process.h"

/**
 * Assumed age at entry into work for the base stock: entry is not in the register marginals,
 * so age 23 (the end of a 3-year bachelor) is assumed, and only the under-30s are early-career
 * at base (docs/model.md, sections 8 and 12: an assumption).
 */
#define BASE_ENTRY_AGE 23.0

/**
 * Age from which a base person counts as "old": the 55+ whose share by sector
 * base_sector_55plus.csv gives (docs/parameters.md: facts.md A 2.7; docs/model.md, section 8).
 */
#define BASE_OLD_AGE 55.0

/**
 * @brief How many of the n_old persons aged 55+ go to each sector, given the
 *        sector sizes cnt[] and, where known (>= 0), the sector's share aged
 *        55+ q[].  Known sectors get round(q cnt); the remaining 55+ go to
 *        the other sectors in proportion to their size; when that does not fit
 *        (too few or too many 55+ left), the known sectors absorb the
 *        difference in proportion to their room.  Sum = n_old, and
 *        0 <= out[s] <= cnt[s].
 */
static void basepop_split_old(const double *q, const int *cnt, int n_old, int *out)
{
  int known = 0, total = 0;
  for (int s = 0; s < N_SECTORS; s++) {
    total += cnt[s];
    out[s] = 0;
    if (q[s] >= 0) known = 1;
  }
  if (!known) {
    /* no table: proportional (age independent of sector in expectation) */
    double share[N_SECTORS];
    for (int s = 0; s < N_SECTORS; s++)
      share[s] = cnt[s];
    population_apportion(n_old, share, N_SECTORS, out);
    return;
  }
  int used = 0, cap_other = 0;
  for (int s = 0; s < N_SECTORS; s++) {
    if (q[s] >= 0) {
      out[s] = (int)lround(q[s] * cnt[s]);
      if (out[s] > cnt[s]) out[s] = cnt[s];
      used += out[s];
    } else {
      cap_other += cnt[s];
    }
  }
  int rest = n_old - used;
  if (rest >= 0 && rest <= cap_other) {
    double share[N_SECTORS];
    for (int s = 0; s < N_SECTORS; s++)
      share[s] = q[s] >= 0 ? 0 : cnt[s];
    int add[N_SECTORS];
    population_apportion(rest, share, N_SECTORS, add);
    for (int s = 0; s < N_SECTORS; s++)
      out[s] += add[s];
    return;
  }
  /* does not fit: the other sectors take all or none, the known ones the difference */
  for (int s = 0; s < N_SECTORS; s++)
    if (q[s] < 0) out[s] = rest > cap_other ? cnt[s] : 0;
  int diff = rest > cap_other ? rest - cap_other : rest; /* > 0: add to known, < 0: remove */
  while (diff != 0) {
    int best = -1;
    for (int s = 0; s < N_SECTORS; s++) {
      if (q[s] < 0) continue;
      int room = diff > 0 ? cnt[s] - out[s] : out[s];
      if (room > 0 && (best < 0 || room > (diff > 0 ? cnt[best] - out[best] : out[best]))) best = s;
    }
    if (best < 0) break;
    out[best] += diff > 0 ? 1 : -1;
    diff += diff > 0 ? -1 : 1;
  }
  (void)total;
}

/** @brief Group g's base persons by sex and age, with birth times and entry into work. */
static void basepop_persons(const struct params *p, int g, double t0, struct pcg32 *rng,
                            struct population *pop)
{
  uint32_t idx = 0;
  for (int sx = 0; sx < N_SEXES; sx++)
    for (int ai = 0; ai < N_AGES; ai++)
      for (int32_t i = 0; i < p->base_persons[g][sx][ai]; i++) {
        struct agent *a = population_push(pop);
        if (!a) return; /* out of memory: pop->err says so */
        a->key = population_key(0, POP_KEY_BASE, g, 0, idx++);
        a->group = (uint8_t)g;
        a->sex = (uint8_t)sx;
        a->status = ST_ACTIVE;
        int age = ai + AGE_MIN;
        a->birth = t0 - age - pcg32_uniform(rng);
        double tc = a->birth + BASE_ENTRY_AGE;
        a->t_career = (float)(tc < t0 ? tc : t0 - 0.5 * pcg32_uniform(rng));
        /* stream seeded below, in parallel */
      }
}

/** @brief A random permutation of 0..n-1 (Fisher-Yates, from the top). */
static uint32_t *basepop_permutation(size_t n, struct pcg32 *rng, struct population *pop)
{
  uint32_t *perm =
      hw_alloc(n, sizeof *perm, "the base stock's sector permutation", pop->err, sizeof pop->err);
  if (!perm) return NULL;
  for (size_t i = 0; i < n; i++)
    perm[i] = (uint32_t)i;
  for (size_t i = n - 1; i > 0; i--) {
    uint32_t j = pcg32_bounded(rng, (uint32_t)(i + 1));
    uint32_t tmp = perm[i];
    perm[i] = perm[j];
    perm[j] = tmp;
  }
  return perm;
}

/**
 * @brief Sectors of the group's n persons from slot @p first: cnt[] of them in each, assigned
 *        in the order @p perm, separately for the 55+ and the younger.
 *
 * Who is 55+ where: where base_sector_55plus.csv gives a sector's share aged 55+, that many of
 * the group's 55+ go there; the rest of the 55+ spread over the other sectors in proportion to
 * their size.  Without the table, sector is independent of age.
 */
static void basepop_sectors(const double *q55, const int *cnt, double t0, const uint32_t *perm,
                            size_t first, size_t n, struct population *pop)
{
  int old_cnt[N_SECTORS];
  int n_old = 0;
  for (size_t i = 0; i < n; i++)
    n_old += t0 - pop->a[first + i].birth >= BASE_OLD_AGE;
  basepop_split_old(q55, cnt, n_old, old_cnt);
  int slot_old[N_SECTORS], slot_young[N_SECTORS];
  for (int sec = 0; sec < N_SECTORS; sec++) {
    slot_old[sec] = old_cnt[sec];
    slot_young[sec] = cnt[sec] - old_cnt[sec];
  }
  int so = 0, sy = 0;
  for (size_t i = 0; i < n; i++) {
    struct agent *a = &pop->a[first + perm[i]];
    int old = t0 - a->birth >= BASE_OLD_AGE;
    int *slot = old ? slot_old : slot_young, *cur = old ? &so : &sy;
    while (*cur < N_SECTORS - 1 && slot[*cur] == 0)
      (*cur)++;
    slot[*cur]--;
    a->sector = (uint8_t)*cur;
  }
}

/**
 * @brief Position shares: stratified uniforms (i + U) / n_sector over the order @p perm, so
 *        each sector's mean matches its distribution closely.
 */
static void basepop_pshares(const struct params *p, int g, const int *cnt, double t0,
                            const uint32_t *perm, size_t first, size_t n, struct pcg32 *rng,
                            struct population *pop)
{
  int seen[N_SECTORS] = {0};
  double u0 = pcg32_uniform(rng);
  for (size_t i = 0; i < n; i++) {
    struct agent *a = &pop->a[first + perm[i]];
    int sec = a->sector;
    double u = ((double)seen[sec]++ + u0) / (double)cnt[sec];
    int age = (int)floor(t0 - a->birth);
    a->pshare = position_draw(p, g, sec, age, u);
  }
}

/** @brief Group g's base stock: persons, sectors and position shares. */
static void basepop_group(const struct params *p, int g, double t0, struct pcg32 *rng,
                          struct population *pop)
{
  size_t first = pop->n;
  basepop_persons(p, g, t0, rng, pop);
  size_t n = pop->n - first;
  if (n == 0 || pop->err[0]) return;
  /* Sectors: exact counts by largest remainder, assigned over a random
   * permutation, so each group's sector totals are reproduced exactly. */
  int cnt[N_SECTORS];
  population_apportion((int)n, p->base_sector[g], N_SECTORS, cnt);
  uint32_t *perm = basepop_permutation(n, rng, pop);
  if (!perm) return;
  basepop_sectors(p->base_sector55[g], cnt, t0, perm, first, n, pop);
  basepop_pshares(p, g, cnt, t0, perm, first, n, rng, pop);
  free(perm);
}

/**
 * @brief Seed every base agent's stream and draw the stationary sick-leave state from it: the
 *        result does not depend on the thread that draws it.
 */
static void basepop_sick_state(const struct params *p, const struct scenario *s, int r, int threads,
                               double t0, struct population *pop)
{
  struct sick_init *si =
      hw_alloc(1, sizeof *si, "the sick-leave start tables", pop->err, sizeof pop->err);
  if (!si) return;
  sickleave_init_prepare(p, si);
  const long nbase = (long)pop->n;
  struct agent *all = pop->a;
#pragma omp parallel for schedule(static) num_threads(threads > 0 ? threads : 1)
  for (long i = 0; i < nbase; i++) {
    population_seed_agent(&all[i], s->seed, r);
    struct pcg32 ar = {all[i].rng, rng_agent_inc(s->seed, (uint64_t)r, all[i].key)};
    sickleave_init_state_t(&all[i], si, t0, &ar);
    all[i].rng = ar.state;
  }
  free(si);
}

void basepop_synthesise(const struct params *p, const struct scenario *s, int r, int threads,
                        struct population *pop)
{
  /* The base stock describes 31 December of start_year, i.e. t = start_year + 1. */
  const double t0 = (double)s->start_year + 1.0;
  struct pcg32 rng;
  pcg32_seed(&rng, rng_key(s->seed, (uint64_t)r, 0, RNG_BASE_POP), RNG_BASE_POP);
  for (int g = 0; g < N_GROUPS && !pop->err[0]; g++)
    basepop_group(p, g, t0, &rng, pop);
  if (!pop->err[0]) basepop_sick_state(p, s, r, threads, t0, pop);
  if (!pop->err[0]) education_base_students(p, s, r, &rng, pop);
  if (!pop->err[0]) doctors_base_assign(p, s, r, pop); /* physicians' career stages */
}
