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
#include "doctors.h"
#include "measures.h"
#include "params.h"
#include "scenario.h"
#include "tally.h"

/** Everything one replicate's advance needs, read-only in the parallel phase. */
/**
 * Hazards in force for one (group, sex, sector, single-year age) in one year,
 * precomputed in the sequential phase so that the event loop reads one cache
 * line.  Sick-leave incidence is stored at its seasonal maximum (thinning);
 * exit hazards before the early-career multiplier.
 */
struct hazard_row {
  float death, emig[2], disab, retire;
  float exit_out, exit_nw;  /**< health sectors only; x early-career multiplier */
  float move1, move2;       /**< to sector (s+1)%3 and (s+2)%3 (health sectors only) */
  float reentry;            /**< outside / not_working only */
  float sick_self, sick_doc; /**< health sectors only, x season_max */
  float up, down;           /**< position share (employed only) */
  float retire_late;        /**< retirement hazard for those a later-retirement measure covers */
  float other;              /**< death + disab + move1 + move2 + reentry (retirement apart) */
  float exit_sum;           /**< exit_out + exit_nw */
  float sick_sum;           /**< sick_self + sick_doc */
};
#define N_SIG_TABLES 8
#define HROW(g, sx, s, ai) ((((g) * N_SEXES + (sx)) * N_SECTORS + (s)) * N_AGES + (ai))
#define N_HROWS (N_GROUPS * N_SEXES * N_SECTORS * N_AGES)

struct engine_ctx {
  const struct params *p;
  uint64_t seed;
  uint64_t replicate;
  int year; /**< calendar year being simulated: t in [year, year + 1) */
  const struct hazard_row *rows;   /**< N_HROWS rows for this year */
  double season_max;               /**< max of the quarterly sick-leave multipliers */
  double season_accept[4];         /**< season[q] / season_max */
  double dropout[N_GROUPS];        /**< students' dropout hazard this year */
  int ec_const_from[N_GROUPS];     /**< early-career multiplier constant from this year on */
  double sick_mu[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES];    /**< lognormal log-mean */
  double sick_sigma[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES]; /**< lognormal log-sd */
  double ec[N_GROUPS][N_CAREER_YEARS]; /**< early-career exit multipliers in force this year */
  /* Spell lengths without exp(): days = exp(mu) x exp(sigma z) with exp(sigma z)
   * tabulated on the normal quantile grid for each distinct sigma (a handful). */
  double *sig_tab;                     /**< [N_SIG_TABLES][RNG_NQ + 1], owned by the engine */
  double sick_emu[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES]; /**< exp(mu) */
  signed char sick_sidx[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES]; /**< table, or -1: exp() */
  const struct scenario *scn;          /**< for the per-person interventions */
  int has_person_iv;                   /**< a pshare floor, long shifts or later retirement is in force */
  int late_iv;                         /**< index of the later-retirement measure in force, or -1 */
  const struct doctor_year *doc;       /**< the doctors' track this year (NULL or doc->on = 0: off) */
};

/** @brief Fill the year's hazard rows and derived constants (sequential phase). */
void lifecourse_prepare_year(struct engine_ctx *ctx, struct hazard_row *rows);

/** @brief Apply the scenario's interventions in force to the year's rows and ctx (interventions.c). */
void interventions_prepare_year(struct engine_ctx *ctx, struct hazard_row *rows);

/** The population of one replicate. */
struct population {
  struct agent *a;
  size_t n, cap;
};

/** Progress callback after each simulated year (sequential phase): agents = those advanced that year. */
typedef void (*engine_progress_fn)(void *ctx, int replicate, int year, size_t agents,
                                   int64_t events);

/**
 * @brief Simulate replicate @p r of scenario @p s with parameters @p p on
 *        @p threads OpenMP threads; fill @p out (nyears = end - start + 1).
 * @return 0, or -1 if stopped by *stop becoming non-zero.
 */
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

/** @brief Synthesise the base population (calibration/basepop.c). */
void basepop_synthesise(const struct params *p, const struct scenario *s, int r, int threads,
                        struct population *pop);

/** @brief Advance one agent through [ctx->year, ctx->year + 1) (agents/lifecourse.c). */
void lifecourse_advance_year(struct agent *a, const struct engine_ctx *ctx, struct tally *t);

/** @brief Add one agent's year-end state to the stock accumulators. */
void lifecourse_snapshot(const struct agent *a, double t_end, struct tally *t);

#endif
