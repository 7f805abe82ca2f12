/**
 * @file summary_table.h
 * @brief One measure of an HDF5 result cube aggregated per replicate and year
 *        over the `--by` dimensions: the input of `hwsim summary` and `hwsim
 *        compare` (architecture.md, "Command line").
 *
 * Headline rule: when the `sector` axis is summed over, only the sectors
 * labelled municipal, specialist and other_health are included, so the total
 * means "in the health and care services" (HELSEMOD's supply concept).  With
 * `--by sector` every sector is shown.  An explicit filter on `sector` (`--sector`)
 * replaces the rule: exactly the listed sectors are counted.
 *
 * Filters (`--group`, `--sector`): a struct summary_filter keeps only the listed
 * labels of one dimension.  A filtered `--by` dimension shows only those rows (in
 * the cube's label order); a filtered summed dimension sums over those labels only.
 */
#ifndef HWSIM_SUMMARY_TABLE_H
#define HWSIM_SUMMARY_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "cube_read.h"

#define SUMMARY_MAX_DIMS 16

/** Keep only some labels of one dimension: `--group nurse,midwife` is {"group", "nurse,midwife"}.
 */
struct summary_filter {
  const char *dim;    /**< the dimension's name (its option is "--" + dim in messages) */
  const char *labels; /**< comma-separated labels, each a label of dim, each once */
};

/** Return codes of summary_load and summary_table_diff: bad input (exit 2) or other (exit 1). */
#define SUMMARY_EINPUT (-1)
#define SUMMARY_EFAIL (-2)

/** A measure aggregated per replicate and year: the input to mean and quantiles. */
struct summary_table {
  char measure[128];
  char units[128];
  char long_name[256];
  double scale_factor; /**< already applied to values */
  int has_seed;        /**< root attribute `seed` present */
  int64_t seed;
  /** Root attributes `parameter_uncertainty`, `replicates_per_draw` (-1 when absent): runs
   *  that differ in them draw different parameters, so they do not pair (compare). */
  int64_t param_uncertainty, replicates_per_draw;
  /** Root attribute `demand_uncertainty` (-1 when absent): 1 when each draw drew its HELSEMOD
   *  demand alternative (`demand: draw`), so the bands of demand and gap hold demand too. */
  int64_t demand_uncertainty;
  /** Root attributes `assumed_uncertainty` (1 when each draw drew the assumed inputs of
   *  assumed.csv) and `draws_per_block` (the source design's block: n sources + 1 with two or
   *  more sources drawn, else 1), -1 when absent (older cubes) */
  int64_t assumed_uncertainty, draws_per_block;
  /** Root attribute `git_revision` ("" when absent): the build that wrote the cube; runs of
   *  different builds do not pair either (their random streams may be used differently). */
  char git_revision[64];
  int ndims; /**< dims[0] is replicate */
  struct cube_coord dims[SUMMARY_MAX_DIMS];
  int year_dim; /**< index of the year dimension in dims */
  int nrep;     /**< = dims[0].n */
  int nyears;   /**< selected years */
  int *years;   /**< selected year values */
  int nby;
  int by_dim[SUMMARY_MAX_DIMS]; /**< indices into dims, in --by order */
  /** Per dimension: the kept label indices in the cube's order (a filter), or NULL when
   *  every label is kept; nsel[k] their count (dims[k].n when NULL). */
  int *sel[SUMMARY_MAX_DIMS];
  int nsel[SUMMARY_MAX_DIMS];
  size_t ncells;       /**< product of the --by dims' kept lengths (1 when none) */
  double *values;      /**< [nrep][nyears][ncells], scaled */
  char note[512];      /**< what was summed over, for the table title */
  char sel_note[1024]; /**< what the filters keep ("group: nurse, midwife only"), or "" */
};

/**
 * @brief Read measure @p measure of @p path and aggregate it per replicate and year.
 *
 * The measure's dimensions are found from the dimension scales attached to it,
 * so any measure of any rank works as long as dimension 0 is `replicate` and
 * one dimension is `year`.  Each replicate's slab (one chunk on disk) is read
 * and summed in turn, so memory stays at one slab plus the small per-replicate
 * aggregates, whatever the replicate count.
 * @param by       comma-separated dimension names, or NULL
 * @param years    comma-separated years, or NULL for all
 * @param filters  @p nfilters label filters (each on another dimension, not replicate
 *                 or year), or NULL when @p nfilters is 0; a filter on a --by dimension
 *                 keeps only its rows, on a summed one sums over its labels only, and
 *                 one on `sector` replaces the headline rule
 * @return 0, or SUMMARY_EINPUT / SUMMARY_EFAIL with "FILE: what is wrong (expected …)" in err
 *         (a filter naming a dimension the measure lacks, an unknown, repeated or empty label).
 */
int summary_load(const char *path, const char *measure, const char *by, const char *years,
                 const struct summary_filter *filters, int nfilters, struct summary_table *t,
                 char *err, size_t errlen);

/** @brief Free everything summary_load allocated (safe on a zeroed table). */
void summary_table_free(struct summary_table *t);

/** @brief Label of --by column k for aggregate cell @p cell (cells run over kept labels). */
const char *summary_cell_label(const struct summary_table *t, size_t cell, int k);

/**
 * @brief Paired differences v - b per replicate, replicates matched by their
 *        coordinate value: *diff = malloc'd [nrep][nyears][ncells] (b's order).
 *
 * Refuses tables from different seeds (no common random numbers), with other
 * years, dimensions or labels, or another set of replicates.
 * @return 0, or SUMMARY_EINPUT / SUMMARY_EFAIL with a one-line reason in err.
 */
int summary_table_diff(const struct summary_table *b, const struct summary_table *v,
                       const char *bpath, const char *vpath, double **diff, char *err,
                       size_t errlen);

#endif
