/**
 * @file engine.h
 * @brief The time loop: for each replicate, synthesise the base population,
 *        then for each year a sequential cohort phase and a parallel phase
 *        that advances every agent through the year in continuous time.
 */
#ifndef HWSIM_ENGINE_H
#define HWSIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "agent.h"
#include "params.h"
#include "scenario.h"
#include "tally.h"

/** Everything one replicate's advance needs, read-only in the parallel phase. */
struct engine_ctx {
  const struct params *p;
  uint64_t seed;
  uint64_t replicate;
  int year; /**< calendar year being simulated: t in [year, year + 1) */
};

/** The population of one replicate. */
struct population {
  struct agent *a;
  size_t n, cap;
};

/** Per-replicate results: every measure over all years, int32 in cube order. */
struct replicate_out {
  int nyears;
  int32_t *persons, *fte, *fte_avg, *fte_worked, *sick, *entries, *exits, *transitions,
      *pshare_band, *students;
  int64_t events;       /**< events processed in the replicate */
  int64_t agent_years;  /**< agent-years simulated */
};

/** Progress callback: called after each simulated year (sequential phase). */
typedef void (*engine_progress_fn)(void *ctx, int replicate, int year, size_t agents,
                                   int64_t events);

/** @brief Allocate the output slabs for @p nyears years. */
void replicate_out_init(struct replicate_out *o, int nyears);
void replicate_out_free(struct replicate_out *o);

/**
 * @brief Simulate replicate @p r of scenario @p s with parameters @p p on
 *        @p threads OpenMP threads; fill @p out (nyears = end - start + 1).
 * @return 0, or -1 if stopped by *stop becoming non-zero.
 */
int engine_run_replicate(const struct params *p, const struct scenario *s, int r, int threads,
                         struct replicate_out *out, engine_progress_fn progress, void *pctx,
                         volatile int *stop);

/** @brief Synthesise the base population (exposed for tests). */
void engine_base_population(const struct params *p, const struct scenario *s, int r,
                            struct population *pop);

/** @brief Advance one agent through [ctx->year, ctx->year + 1) (agents/lifecourse.c). */
void lifecourse_advance_year(struct agent *a, const struct engine_ctx *ctx, struct tally *t);

/** @brief Add one agent's year-end state to the stock accumulators. */
void lifecourse_snapshot(const struct agent *a, double t_end, struct tally *t);

/** @brief Draw a position share for an employed person (ladder value, percent). */
uint8_t lifecourse_draw_pshare(const struct params *p, int g, int sector, int age, double u);

/** @brief Sector for a new entrant: health and outside sectors by base shares. */
int lifecourse_entry_sector(const struct params *p, int g, double u);

#endif
