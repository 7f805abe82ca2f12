/**
 * @file engine.h
 * @brief The time loop: for each replicate, synthesise the base population,
 *        then for each year a sequential cohort phase and a parallel phase
 *        that advances every agent through the year in continuous time
 *        (agents/lifecourse.h).
 */
#ifndef HWSIM_ENGINE_H
#define HWSIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "measures.h"
#include "params.h"
#include "population.h"
#include "scenario.h"

/** Progress callback after each simulated year (sequential phase): agents = those advanced that
 * year. */
typedef void (*engine_progress_fn)(void *ctx, int replicate, int year, size_t agents,
                                   int64_t events);

/**
 * @brief Simulate replicate @p r of scenario @p s with parameters @p p on
 *        @p threads OpenMP threads; fill @p out (nyears = end - start + 1).
 * @return 0; ENGINE_STOPPED if stopped by *stop becoming non-zero; ENGINE_EFAIL
 *         when out of memory, with "out of memory for WHAT (N bytes)" in out->err
 *         (nothing is printed and nothing exits here: the caller reports it).
 */
/** engine_run_replicate's results other than 0. */
#define ENGINE_STOPPED (-1)
#define ENGINE_EFAIL (-2)

int engine_run_replicate(const struct params *p, const struct scenario *s, int r, int threads,
                         struct replicate_out *out, engine_progress_fn progress, void *pctx,
                         volatile int *stop);

/**
 * @brief Simulate a given population (takes ownership of pop->a and frees it):
 *        the year loop of engine_run_replicate without the base synthesis.
 *        With @p cohorts = 0 no intake or inflow is added (for module tests).
 */
int engine_run_population(const struct params *p, const struct scenario *s, int r, int threads,
                          struct population *pop, int cohorts, struct replicate_out *out,
                          engine_progress_fn progress, void *pctx, volatile int *stop);

#endif
