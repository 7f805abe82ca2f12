/**
 * @file params_load.h
 * @brief Internal to the loader of struct params, shared by params.c and
 *        params_doctors.c: reading a table with its provenance, and the
 *        doctors' tables.  Other modules include params.h.
 *
 * struct params and the csvtab types appear here only as incomplete types and
 * nothing of calibration/ is included, so that the two files can share these
 * declarations without a dependency cycle between them.
 */
#ifndef HWSIM_PARAMS_LOAD_H
#define HWSIM_PARAMS_LOAD_H

#include <stddef.h>

struct params;
struct csvtab;
struct csvtab_col;

/* Column specs every table shares (for use where csvtab.h and dims.h are included). */
#define SRC                                                                                        \
  {"source", COL_TEXT, 0, 0, NULL, 0},                                                             \
  {                                                                                                \
    "note", COL_TEXT, 0, 0, NULL, 0                                                                \
  }
#define AGES                                                                                       \
  {"age_from", COL_INT, AGE_MIN, AGE_MAX, NULL, 0},                                                \
  {                                                                                                \
    "age_to", COL_INT, AGE_MIN, AGE_MAX, NULL, 0                                                   \
  }
#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/** @brief "<dir>/<name>" into @p buf; returns buf. */
const char *params_path(char *buf, size_t n, const char *dir, const char *name);

/**
 * @brief Read table @p name of data directory @p dir against @p cols and add
 *        its name and SHA-256 to p's provenance list (p->file_name, p->file_sha256).
 * @return 0, or -1 with "FILE:LINE: reason" in err.
 */
int params_table_load(struct params *p, struct csvtab *t, const char *dir, const char *name,
                      const struct csvtab_col *cols, int ncols, char *err, size_t errlen);

/**
 * @brief Add file @p name (at @p path, hex digest @p sha256) to p's provenance list.
 * @return 0, or -1 with a reason in err when the list is full (N_DATA_FILES).
 */
int params_note_file(struct params *p, const char *path, const char *name, const char *sha256,
                     char *err, size_t errlen);

/**
 * @brief doctors.csv, lis1_posts.csv, gp_lists.csv and doctor_base.csv into
 *        p->doc (params_doctors.c).  Optional as a set: without doctors.csv the
 *        track is off (physicians are then a plain group); with it, all four
 *        are required and every parameter must be given once.
 * @return 0, or -1 with "FILE:LINE: reason" in err.
 */
int params_load_doctors(struct params *p, const char *dir, char *err, size_t errlen);

/**
 * @brief conversion.csv (optional: no conversions without it) into p->conv
 *        (params_flows.c).
 * @return 0, or -1 with "FILE:LINE: reason" in err.
 */
int params_load_conversion(struct params *p, const char *dir, char *err, size_t errlen);

/**
 * @brief demand.csv, demand_sector.csv and demand_area.csv (each optional) into p->demand,
 *        p->demand_split and p->demand_area (params_demand.c).
 * @return 0, or -1 with "FILE:LINE: reason" in err.
 */
int params_load_demand(struct params *p, const char *dir, char *err, size_t errlen);

/**
 * @brief assumed.csv (optional: no assumed-input draws without it) into p->assumed
 *        (params_assumed.c).
 * @return 0, or -1 with "FILE:LINE: reason" in err.
 */
int params_load_assumed(struct params *p, const char *dir, char *err, size_t errlen);

#endif
