/**
 * @file cube_replicate.h
 * @brief Read one replicate of a result cube back into a struct replicate_out,
 *        so that code written against a replicate's slabs (the calibration
 *        targets' measures, calib_simulated) can be applied to a cube.
 *
 * The datasets, their axes and their order are those of layout_build
 * (sim/layout.h); a cube whose coordinates differ from this build's layout
 * is refused rather than misread.
 */
#ifndef HWSIM_CUBE_REPLICATE_H
#define HWSIM_CUBE_REPLICATE_H

#include <stddef.h>

#include "measures.h"

/**
 * @brief The shape of the cube at @p path: its replicate count and its years
 *        (first year and number of years, from the year coordinate).
 * @return 0, or -1 with a one-line reason in err.
 */
int cube_replicate_shape(const char *path, int *nrep, int *start_year, int *nyears, char *err,
                         size_t errlen);

/**
 * @brief Read replicate row @p r (0-based) of every measure into @p o, which
 *        must come from replicate_out_init(o, nyears) with the cube's year
 *        count (cube_replicate_shape).  Checks that every coordinate holds this
 *        build's labels and values and every measure has the layout's shape.
 * @return 0, or -1 with a one-line reason in err.
 */
int cube_read_replicate(const char *path, int r, struct replicate_out *o, char *err, size_t errlen);

#endif
