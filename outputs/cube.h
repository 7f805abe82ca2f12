/**
 * @file cube.h
 * @brief HDF5 result cubes: one dataset per measure over named axes, with a
 *        leading unlimited `replicate` axis appended one replicate at a time.
 *
 * Contract (shared/design/architecture.md, "Output cube"): every axis has a
 * coordinate dataset that is an HDF5 dimension scale (string labels for
 * categories, integers for year and replicate); integer storage; one chunk per
 * replicate; shuffle + deflate; provenance in root attributes.
 *
 * Safety: the cube is written to "<path>.partial" and renamed to <path> by
 * cube_finish().  Each replicate is flushed when appended, so a killed run
 * leaves a readable .partial holding every finished replicate.
 */
#ifndef HWSIM_CUBE_H
#define HWSIM_CUBE_H

#include <stddef.h>
#include <stdint.h>

/* The readers of root attributes (cube_read_attr_i64, cube_read_attr_str) live in
 * cube_read.h, included here so that the writer's callers keep finding them. */
#include "cube_read.h"

#define CUBE_MAX_AXES 8
#define CUBE_MAX_MEASURES 24
/** Axes a layout may define (a measure uses up to CUBE_MAX_AXES of them). */
#define CUBE_MAX_LAYOUT_AXES 24

/** One axis (dimension) other than the replicate axis. */
struct cube_axis {
  const char *name;          /**< dimension name, e.g. "group" */
  const char *long_name;     /**< human description */
  int n;                     /**< length */
  const char *const *labels; /**< string labels (categorical axis), or NULL */
  const int *values;         /**< integer values (e.g. years) when labels is NULL */
};

/** One measure = one dataset of shape (replicate, axes...). */
struct cube_measure {
  const char *name;        /**< dataset name, e.g. "fte" */
  const char *long_name;   /**< e.g. "contracted FTE in the health and care services" */
  const char *units;       /**< e.g. "FTE", "persons" */
  const char *cell_method; /**< e.g. "stock at 31 December", "flow during year" */
  double scale_factor;     /**< CF scale_factor: stored int * scale_factor = value (1 or 0.01) */
  int naxes;               /**< number of axes after the replicate axis */
  int axes[CUBE_MAX_AXES]; /**< indices into cube_layout.axes, in storage order */
};

struct cube_layout {
  int naxes;
  struct cube_axis axes[CUBE_MAX_LAYOUT_AXES];
  int nmeasures;
  struct cube_measure measures[CUBE_MAX_MEASURES];
};

/** A root attribute: string (when str != NULL) or 64-bit integer. */
struct cube_attr {
  const char *key;
  const char *str;
  int64_t i64;
};

struct cube_writer;

/**
 * @brief Create "<path>.partial" with every axis, coordinate and empty measure.
 * @return NULL on failure, with a one-line reason in err.
 */
struct cube_writer *cube_create(const char *path, const struct cube_layout *layout,
                                const struct cube_attr *attrs, int nattrs, char *err,
                                size_t errlen);

/**
 * @brief Append one replicate: data[m] holds measure m in C order over its axes.
 *        The replicate coordinate written is @p replicate.  Flushes the file.
 * @return 0 on success, -1 on failure (reason in err).
 */
int cube_append(struct cube_writer *w, int replicate, const int32_t *const *data, char *err,
                size_t errlen);

/** @brief Number of elements of one replicate's slab of measure m. */
size_t cube_measure_size(const struct cube_layout *layout, int m);

/** @brief Close the file and rename .partial to the final name. 0 on success. */
int cube_finish(struct cube_writer *w, char *err, size_t errlen);

/** @brief Close the file, leaving the .partial in place (for resume or inspection). */
void cube_abandon(struct cube_writer *w);

/**
 * @brief Reopen "<path>.partial" left by an interrupted run, for --resume.
 *
 * Checks that every coordinate holds this layout's labels/values and every
 * measure exists with the expected shape; counts the complete replicates
 * (the minimum of the replicate axis and every measure's first dimension),
 * truncates everything to that count so a half-appended replicate is dropped,
 * and checks the replicate coordinate is 0..n_done-1.
 * @return NULL on failure (reason in err); else a writer whose next append is row *n_done.
 */
struct cube_writer *cube_reopen(const char *path, const struct cube_layout *layout, int *n_done,
                                char *err, size_t errlen);

/**
 * @brief Set (or replace) the 64-bit integer root attribute @p key, e.g.
 *        `replicates` when --resume continues a run to another count.
 * @return 0, or -1 with a one-line reason in err.
 */
int cube_set_root_i64(struct cube_writer *w, const char *key, int64_t value, char *err,
                      size_t errlen);

/** @brief 0 if the file's coordinate @p ax holds exactly the axis's labels or values, else -1. */
int cube_axis_matches(hid_t file, const struct cube_axis *ax);

/**
 * @brief 0 if dataset @p d has measure @p m's shape in @p layout (replicate x
 *        its axes), with the shape in dims[CUBE_MAX_AXES + 1]; else -1.
 */
int cube_measure_matches(hid_t d, const struct cube_layout *layout, int m, hsize_t *dims);

#endif
