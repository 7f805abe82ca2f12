/**
 * @file layout.h
 * @brief The cube layout of a run: axes and measures, in the order the
 *        engine's replicate_out slabs are laid out.
 */
#ifndef HWSIM_LAYOUT_H
#define HWSIM_LAYOUT_H

#include "cube.h"
#include "engine.h"

/** Measure indices, matching layout_build's order. */
enum measure_id {
  M_PERSONS, M_FTE, M_FTE_AVG, M_FTE_WORKED, M_SICK, M_ENTRIES, M_EXITS, M_TRANSITIONS,
  M_PSHARE_BAND, M_STUDENTS, M_EXITS_AGE, M_GRADUATES, M_DEMAND, M_GAP, M_DOCTORS, M_DOCTOR_FTE,
  M_DOCTOR_FLOWS, M_NEW_SPECIALISTS, N_MEASURES
};

/** @brief Fill @p L for years start..end; @p years must hold end-start+1 ints and outlive L. */
void layout_build(struct cube_layout *L, int start, int end, int *years);

/** @brief Pointers to one replicate's slabs in measure order. */
void layout_slabs(const struct replicate_out *o, const int32_t *slabs[N_MEASURES]);

#endif
