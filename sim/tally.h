/**
 * @file tally.h
 * @brief Integer accumulators for one simulated year, one per thread, reduced
 *        in a fixed order into the replicate's output slabs.
 *
 * Integers only: floating-point sums across threads would depend on the
 * thread count.  Flow integrals (FTE-years) are accumulated in millionths of
 * a percent-year (int64) and rounded to hundredths of an FTE-year per cell.
 */
#ifndef HWSIM_TALLY_H
#define HWSIM_TALLY_H

#include <stdint.h>

#include "dims.h"

/** Cell index over (group, sex, age band, sector), the cube's storage order. */
#define N_CELLS (N_GROUPS * N_SEXES * N_AGE_BANDS * N_SECTORS)
#define CELL(g, s, band, sec) ((((g) * N_SEXES + (s)) * N_AGE_BANDS + (band)) * N_SECTORS + (sec))
#define MICRO 1000000.0

struct tally {
  int64_t persons[N_CELLS];
  int64_t fte[N_CELLS];                  /* percent = hundredths of an FTE */
  int64_t fte_avg_u[N_CELLS];            /* percent-years x 1e6 */
  int64_t fte_worked_u[N_CELLS];
  int64_t sick_u[N_CELLS][N_SICK_TYPES];
  int64_t entries[N_ENTRY_SOURCES][N_CELLS];
  int64_t exits[N_EXIT_CAUSES][N_CELLS];
  int64_t transitions[N_GROUPS][N_SECTORS][N_SECTORS];
  int64_t pshare_band[N_GROUPS][N_SECTORS][N_PSHARE_BANDS];
  int64_t students[N_GROUPS][N_SEXES];
  int64_t exits_age[N_EXIT_CAUSES][N_GROUPS][N_AGES];        /* exits by single-year age */
  int64_t graduates[N_GROUPS][N_GRAD_YEARS][N_SECTORS];      /* Norwegian graduates of the run */
  int64_t doc_persons[N_OUT_STAGES][N_SPECIALTIES][N_SECTORS]; /* physicians by career stage */
  int64_t doc_fte[N_OUT_STAGES][N_SPECIALTIES][N_SECTORS];     /* their position shares (percent) */
  int64_t doc_flow[N_DOCTOR_FLOWS];       /* the parallel-phase doctor flows and stocks */
  int64_t approvals[N_SPECIALTIES][N_APPROVAL_ROUTES];          /* new specialists */
  int64_t events;                         /* events processed (not a cube measure) */
  int64_t agent_years;                    /* agents advanced (not departed) this year */
  int64_t sick_spells_started;
};

/** @brief Add every accumulator of @p src into @p dst. */
void tally_add(struct tally *dst, const struct tally *src);

#endif
