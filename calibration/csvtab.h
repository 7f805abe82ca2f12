/**
 * @file csvtab.h
 * @brief Strict loader for the long-format rate tables in calibration/norway/.
 *
 * A table is a CSV file with a header naming dimension columns (group, sex,
 * sector, ...), optional inclusive age ranges, value columns and the trailing
 * `source,note` columns.  Dimension cells may say `all`.  Numbers are plain
 * decimals, finite and within their column's bounds.  A UTF-8 byte-order mark
 * and CRLF line ends are accepted; a NUL byte, a blank line or a file over
 * CSVTAB_MAX_BYTES is not.  Every problem is reported as one line,
 * "FILE:LINE: what is wrong (expected ...)" (FILE: ... when no line is at fault).
 */
#ifndef HWSIM_CSVTAB_H
#define HWSIM_CSVTAB_H

#include <stddef.h>

#define CSVTAB_MAX_COLS 16
#define CSVTAB_ALL (-1)

/** The largest value a count column (COL_COUNT) accepts: a bound, not a truncation. */
#define CSVTAB_COUNT_MAX 10000000
#define CSVTAB_COUNT_MAX_TEXT "10000000"

/** The default upper bound of a COL_RATE column (a hazard per year: 100 is a mean wait of 4 days).
 */
#define CSVTAB_RATE_MAX 100.0

/** The largest table csvtab_load reads: 20 times the largest shipped one (base_age.csv). */
#define CSVTAB_MAX_BYTES (16 << 20)

/** What a column holds, and so how it is parsed and checked. */
enum csvtab_kind {
  COL_GROUP,   /**< group id or all */
  COL_SEX,     /**< female / male / all */
  COL_SECTOR,  /**< sector label or all */
  COL_HSECTOR, /**< one of the three health sectors or all */
  COL_LABEL,   /**< one of a caller-given label list (no all) */
  COL_INT,     /**< integer (digits only) within [lo, hi] */
  COL_RATE,    /**< real in [0, hi] (hazard per year); hi = 0: [0, CSVTAB_RATE_MAX] */
  COL_PROB,    /**< real in [0, 1] */
  COL_COUNT,   /**< real >= 0 that is a whole number */
  COL_REAL,    /**< real within [lo, hi] */
  COL_TEXT     /**< free text (source, note) */
};

struct csvtab_col {
  const char *name;
  enum csvtab_kind kind;
  double lo, hi;             /**< bounds for COL_INT and COL_REAL; hi for COL_RATE */
  const char *const *labels; /**< for COL_LABEL */
  int nlabels;
};

/** One parsed row: dimension indices (CSVTAB_ALL for all) and numbers. */
struct csvtab_row {
  int line;
  double v[CSVTAB_MAX_COLS]; /**< numeric or index value per column (text columns: 0) */
};

struct csvtab {
  char path[512];
  int ncols;
  struct csvtab_col cols[CSVTAB_MAX_COLS];
  int nrows;
  struct csvtab_row *rows;
  char sha256[65]; /**< hex digest of the file's bytes, for provenance */
};

/**
 * @brief Read and check @p path against the column spec (header must match exactly).
 * @return 0 on success; -1 with a one-line reason in err.
 */
int csvtab_load(struct csvtab *t, const char *path, const struct csvtab_col *cols, int ncols,
                char *err, size_t errlen);

/** @brief Free the rows. */
void csvtab_free(struct csvtab *t);

/** @brief Number of non-`all` dimension cells in a row (for precedence). */
int csvtab_row_specificity(const struct csvtab *t, const struct csvtab_row *r);

#endif
