/**
 * @file lifecourse.h
 * @brief The event loop (agents/lifecourse.c): one agent's year in continuous
 *        time, and the helpers the event handlers share with it.  The types
 *        are in agents/event.h.
 */
#ifndef HWSIM_LIFECOURSE_H
#define HWSIM_LIFECOURSE_H

#include "event.h"

/** @brief Fill the year's hazard rows and derived constants (sequential phase). */
void lifecourse_prepare_year(struct engine_ctx *ctx, struct hazard_row *rows);

/** @brief Advance one agent through [ctx->year, ctx->year + 1). */
void lifecourse_advance_year(struct agent *a, const struct engine_ctx *ctx, struct tally *t);

/** @brief Add one agent's year-end state to the stock accumulators. */
void lifecourse_snapshot(const struct agent *a, double t_end, struct tally *t);

/** @brief The agent leaves the model at L->t by @p cause (enum exit_cause): flush, tally, gone. */
enum ev_outcome lifecourse_leave(struct ev_loop *L, int cause);

#endif
