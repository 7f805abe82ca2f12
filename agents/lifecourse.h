/**
 * @file lifecourse.h
 * @brief The event loop (agents/lifecourse.c): one agent's year in continuous
 *        time, and the helpers the event handlers share with it.  The types
 *        are in agents/event.h.
 */
#ifndef HWSIM_LIFECOURSE_H
#define HWSIM_LIFECOURSE_H

#include "event.h"
#include "process.h"

/** @brief Fill the year's hazard rows and derived constants (sequential phase). */
void lifecourse_prepare_year(struct engine_ctx *ctx, struct hazard_row *rows);

/** @brief Advance one agent through [ctx->year, ctx->year + 1). */
void lifecourse_advance_year(struct agent *a, const struct engine_ctx *ctx, struct tally *t);

/** @brief Add one agent's year-end state to the stock accumulators. */
void lifecourse_snapshot(const struct agent *a, double t_end, struct tally *t);

/** @brief Flush the flow integrals of the segment [t_seg, t) (before any change of state). */
static inline void lifecourse_flush(struct ev_loop *L)
{
  integrate(L->a, L->c_seg, L->t - L->t_seg, L->T);
  L->t_seg = L->t;
}

/** @brief The agent's cell changed (sector, age band): the next segment's cell. */
static inline void lifecourse_recell(struct ev_loop *L)
{
  L->c_seg = cell_of(L->a, L->age);
}

/** @brief Re-apply the per-person measures (position-share floors) after a change. */
static inline void lifecourse_ivfix(struct ev_loop *L)
{
  if (L->ctx->has_person_iv && L->a->status == ST_ACTIVE) interventions_fix_pshare(L->a, L->ctx, L->age);
}

/** @brief The agent leaves the model at L->t by @p cause (enum exit_cause): flush, tally, gone. */
enum ev_outcome lifecourse_leave(struct ev_loop *L, int cause);

#endif
