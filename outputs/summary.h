/**
 * @file summary.h
 * @brief `hwsim summary` and `hwsim compare`: quantiles across replicates of a
 *        measure aggregated over the cube's axes (architecture.md, "Command line").
 *
 * This module is the command line: options, usage and the printed tables.
 * The aggregation is in summary_table.h, the statistics (R type 7 quantiles,
 * the variance decomposition) in stats.h; both are included here so that
 * callers of the former all-in-one summary.h keep compiling.
 */
#ifndef HWSIM_SUMMARY_H
#define HWSIM_SUMMARY_H

#include "stats.h"         /* summary_quantile, summary_stats, summary_decompose */
#include "summary_table.h" /* summary_load, summary_table_free, summary_cell_label */

/** @brief `hwsim summary …` (argv[0] = "summary"). @return exit code 0, 1 or 2. */
int summary_main(int argc, char **argv);

/** @brief `hwsim compare …` (argv[0] = "compare"). @return exit code 0, 1 or 2. */
int compare_main(int argc, char **argv);

#endif
