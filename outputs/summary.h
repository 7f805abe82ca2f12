/**
 * @file summary.h
 * @brief `hwsim summary` and `hwsim compare`: quantiles across replicates of a
 *        measure aggregated over the cube's axes (architecture.md, "Command line").
 *
 * Quantiles are R type 7 (stats.h).
 *
 * Headline rule: when the `sector` axis is summed over, only the sectors
 * labelled municipal, specialist and other_health are included, so the total
 * means "in the health and care services" (HELSEMOD's supply concept).  With
 * `--by sector` every sector is shown.
 */
#ifndef HWSIM_SUMMARY_H
#define HWSIM_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "stats.h" /* summary_quantile, summary_stats, summary_decompose */

#define SUMMARY_MAX_DIMS 16

/** One dimension of a measure as found in the file. */
struct summary_dim {
  char *name;    /**< scale (coordinate dataset) name */
  int n;         /**< length */
  char **labels; /**< n labels; integer coordinates are formatted with %d */
  int *ivalues;  /**< n integer values, or NULL for string coordinates */
};

/** A measure aggregated per replicate and year: the input to mean and quantiles. */
struct summary_table {
  char measure[128];
  char units[128];
  char long_name[256];
  double scale_factor;  /**< already applied to values */
  int has_seed;         /**< root attribute `seed` present */
  int64_t seed;
  int ndims;            /**< dims[0] is replicate */
  struct summary_dim dims[SUMMARY_MAX_DIMS];
  int year_dim;         /**< index of the year dimension in dims */
  int nrep;             /**< = dims[0].n */
  int nyears;           /**< selected years */
  int *years;           /**< selected year values */
  int nby;
  int by_dim[SUMMARY_MAX_DIMS]; /**< indices into dims, in --by order */
  size_t ncells;        /**< product of the --by dims' lengths (1 when none) */
  double *values;       /**< [nrep][nyears][ncells], scaled */
  char note[512];       /**< what was summed over, for the table title */
};

/**
 * @brief Read measure @p measure of @p path and aggregate it per replicate and year.
 * @param by    comma-separated dimension names, or NULL
 * @param years comma-separated years, or NULL for all
 * @return 0, or -1 with "FILE: what is wrong (expected …)" in err.
 */
int summary_load(const char *path, const char *measure, const char *by, const char *years,
                 struct summary_table *t, char *err, size_t errlen);

/** @brief Free everything summary_load allocated (safe on a zeroed table). */
void summary_table_free(struct summary_table *t);

/** @brief Label of --by column k for aggregate cell @p cell. */
const char *summary_cell_label(const struct summary_table *t, size_t cell, int k);

/** @brief `hwsim summary …` (argv[0] = "summary"). @return exit code 0, 1 or 2. */
int summary_main(int argc, char **argv);

/** @brief `hwsim compare …` (argv[0] = "compare"). @return exit code 0, 1 or 2. */
int compare_main(int argc, char **argv);

#endif
