/**
 * @file tally.h
 * @brief Integer accumulators for one simulated year, one per thread, reduced
 *        in a fixed order into the replicate's output slabs.
 *
 * One field per output measure, generated from the measures table
 * (sim/measures.h) and laid out flat in the cube's storage order (the
 * measure's axes after year, C order), so field `exits` holds
 * exits[cause][group][sex][age band][sector] at
 * ((cause * N_GROUPS + group) * ...) -- see the index helpers below.
 *
 * Integers only: floating-point sums across threads would depend on the
 * thread count.  Flow integrals (FTE-years, kind MK_MICRO) are accumulated in
 * millionths of a percent-year and rounded to hundredths of an FTE-year per
 * cell when stored.
 */
#ifndef HWSIM_TALLY_H
#define HWSIM_TALLY_H

#include <stdint.h>

#include "dims.h"
#include "measures.h"

#define MICRO 1000000.0

struct tally {
#define X(id, field, kind, name, long_name, units, cm, scale, axes) int64_t field[MSIZE_##id];
  HWSIM_MEASURES(X)
#undef X
  int64_t events;      /**< events processed (not a cube measure) */
  int64_t agent_years; /**< agents advanced (not departed) this year */
  int64_t sick_spells_started;
};

/** @brief The accumulators of measure @p m (enum measure_id): measure_defs[m].year_size of them. */
const int64_t *tally_measure(const struct tally *T, int m);

/** @brief Add every accumulator of @p src into @p dst. */
void tally_add(struct tally *dst, const struct tally *src);

#endif
