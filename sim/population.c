/**
 * @file population.c
 * @brief Agent store and creation helpers (see population.h).
 */
#include "population.h"

#include "alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert((POP_KEY_INFLOW + 1) * POP_KEY_SUBS * N_GROUPS <=
                   1 << (POP_KEY_YEAR_SHIFT - POP_KEY_CELL_SHIFT),
               "an agent key's cell overflows into its year");

/** First capacity (agents) of the store; it grows by half as needed. */
#define POP_CAP0 (1 << 16)

uint64_t population_key(int year, int kind, int g, int sub, uint32_t index)
{
  return ((uint64_t)(uint32_t)year << POP_KEY_YEAR_SHIFT) |
         ((uint64_t)((kind * POP_KEY_SUBS + sub) * N_GROUPS + g) << POP_KEY_CELL_SHIFT) | index;
}

struct agent *population_push(struct population *pop)
{
  if (pop->n == pop->cap) {
    size_t cap = pop->cap ? pop->cap * 3 / 2 : POP_CAP0;
    struct agent *a =
        hw_realloc(pop->a, cap, sizeof *pop->a, "the agent store", pop->err, sizeof pop->err);
    if (!a) return NULL;
    pop->a = a;
    pop->cap = cap;
  }
  struct agent *a = &pop->a[pop->n++];
  memset(a, 0, sizeof *a);
  a->t_stage = INFINITY; /* no career event (agents/doctors.c) */
  return a;
}

void population_seed_agent(struct agent *a, uint64_t seed, int r)
{
  struct pcg32 g;
  rng_agent_stream(&g, seed, (uint64_t)r, a->key);
  a->rng = g.state;
}

double population_draw_age(struct pcg32 *r, double mean, double sd, double lo, double hi)
{
  double x = mean + sd * pcg32_normal(r);
  return x < lo ? lo : x > hi ? hi : x;
}

void population_apportion(int n, const double *share, int k, int *out)
{
  double tot = 0;
  for (int i = 0; i < k; i++)
    tot += share[i];
  int given = 0;
  double rem[16];
  for (int i = 0; i < k; i++) {
    double x = tot > 0 ? n * share[i] / tot : 0;
    out[i] = (int)floor(x);
    rem[i] = x - out[i];
    given += out[i];
  }
  while (given < n) {
    int best = 0;
    for (int i = 1; i < k; i++)
      if (rem[i] > rem[best]) best = i;
    out[best]++;
    rem[best] = -1;
    given++;
  }
}

void population_compact(struct population *pop)
{
  size_t j = 0;
  for (size_t i = 0; i < pop->n; i++)
    if (pop->a[i].status != ST_GONE) pop->a[j++] = pop->a[i];
  pop->n = j;
}
