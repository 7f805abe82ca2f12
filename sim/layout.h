/**
 * @file layout.h
 * @brief The cube layout of a run, built from the measures table
 *        (sim/measures.h): axes and measures in replicate_out's slab order.
 */
#ifndef HWSIM_LAYOUT_H
#define HWSIM_LAYOUT_H

#include <stdio.h>

#include "cube.h"
#include "measures.h"

/** @brief Fill @p L for years start..end; @p years must hold end-start+1 ints and outlive L. */
void layout_build(struct cube_layout *L, int start, int end, int *years);

/** @brief Pointers to one replicate's slabs in measure order. */
void layout_slabs(const struct replicate_out *o, const int32_t *slabs[N_MEASURES]);

/** @brief `hwsim datasets`: one CSV row per measure (dataset, axes, units, scale_factor,
 * long_name). */
void layout_print_datasets(FILE *out);

#endif
