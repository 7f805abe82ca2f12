/**
 * @file population.h
 * @brief The agent store of one replicate and the helpers that create agents
 *        in the sequential phases (keys, stream seeding, entrant ages).
 */
#ifndef HWSIM_POPULATION_H
#define HWSIM_POPULATION_H

#include <stddef.h>
#include <stdint.h>

#include "agent.h"
#include "dims.h"
#include "rng.h"

/** The population of one replicate. */
struct population {
  struct agent *a;
  size_t n, cap;
  /** Sticky error: why the store (or an index over it) could not grow; "" while all is
   *  well.  Set by population_push and the doctors' module, checked by the engine. */
  char err[160];
};

/**
 * Agent keys: year << POP_KEY_YEAR_SHIFT | ((kind x POP_KEY_SUBS + sub) x N_GROUPS + group) <<
 * POP_KEY_CELL_SHIFT | index, i.e. (year << 40) | ((kind x 4 + sub) x N_GROUPS + group) << 32 |
 * index.
 * Keys, not array slots, seed the streams, so an intervention that adds study
 * places in one group leaves every other agent's stream untouched (common
 * random numbers).
 */
enum pop_key_kind {
  POP_KEY_BASE = 0,
  POP_KEY_BASE_STUDENT = 1,
  POP_KEY_INTAKE = 2,
  POP_KEY_INFLOW = 3
};
#define POP_KEY_YEAR_SHIFT 40 /**< the year's first bit */
#define POP_KEY_CELL_SHIFT 32 /**< the (kind, sub, group) cell's first bit; below: the index */
#define POP_KEY_SUBS 4        /**< sub-kinds a kind may have (the inflow channels) */

/** @brief The stable key of a new agent. */
uint64_t population_key(int year, int kind, int g, int sub, uint32_t index);

/** @brief Append a zeroed agent (grows the store by half when full).
 *  @return the agent, or NULL when out of memory (the reason in pop->err). */
struct agent *population_push(struct population *pop);

/** @brief Initialise an agent's stream state from (seed, replicate, key). */
void population_seed_agent(struct agent *a, uint64_t seed, int r);

/** @brief A clipped normal age draw for an entrant. */
double population_draw_age(struct pcg32 *r, double mean, double sd, double lo, double hi);

/** @brief Apportion n items to k shares by largest remainder (exact total). */
void population_apportion(int n, const double *share, int k, int *out);

/** @brief Drop agents who left, keeping order (deterministic, O(n)). */
void population_compact(struct population *pop);

#endif
