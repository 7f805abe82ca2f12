/**
 * @file measures.h
 * @brief The one table of output measures: every cube dataset's name, axes,
 *        units and meaning, written once.
 *
 * HWSIM_MEASURES drives, from this single list:
 *   - the per-thread integer tallies (`struct tally`, one field per measure,
 *     sized from the axes),
 *   - the replicate store (`struct replicate_out`: one slab per measure),
 *   - the cube layout (sim/layout.c) and `hwsim datasets`, which
 *     tests/test_outputs_doc.py checks against docs/outputs.md,
 *   - the determinism tests, which compare every measure.
 * Adding a dataset: one X(...) line here, the code that tallies it (in the
 * module that owns the process), and its row in docs/outputs.md.
 *
 * Every measure has `year` as its first axis; the axes listed in the table
 * are those after it, in storage (C) order.
 */
#ifndef HWSIM_MEASURES_H
#define HWSIM_MEASURES_H

#include <stddef.h>
#include <stdint.h>

#include "dims.h"

/** Cell index over (group, sex, age band, sector), the cube's storage order. */
#define N_CELLS (N_GROUPS * N_SEXES * N_AGE_BANDS * N_SECTORS)
#define CELL(g, s, band, sec) ((((g)*N_SEXES + (s)) * N_AGE_BANDS + (band)) * N_SECTORS + (sec))

/** Flat index of (i, j) in an [.][nj] array and of (i, j, k) in an [.][nj][nk] array. */
#define IX2(i, nj, j) ((i) * (nj) + (j))
#define IX3(i, nj, j, nk, k) (((i) * (nj) + (j)) * (nk) + (k))

/** The cube's axes (dimensions) other than `replicate`. */
enum axis_id {
  A_YEAR,
  A_GROUP,
  A_SEX,
  A_AGE,
  A_SECTOR,
  A_SICK,
  A_SOURCE,
  A_CAUSE,
  A_FROM,
  A_TO,
  A_PBAND,
  A_SAGE,
  A_GYEARS,
  A_STAGE,
  A_SPEC,
  A_DFLOW,
  A_ROUTE,
  A_FROM_GROUP,
  A_TO_GROUP,
  N_AXES
};

/* Axis lengths for the compile-time sizes below (the year axis is the run's). */
#define AXN_A_GROUP N_GROUPS
#define AXN_A_SEX N_SEXES
#define AXN_A_AGE N_AGE_BANDS
#define AXN_A_SECTOR N_SECTORS
#define AXN_A_SICK N_SICK_TYPES
#define AXN_A_SOURCE N_ENTRY_SOURCES
#define AXN_A_CAUSE N_EXIT_CAUSES
#define AXN_A_FROM N_SECTORS
#define AXN_A_TO N_SECTORS
#define AXN_A_PBAND N_PSHARE_BANDS
#define AXN_A_SAGE N_AGES
#define AXN_A_GYEARS N_GRAD_YEARS
#define AXN_A_STAGE N_OUT_STAGES
#define AXN_A_SPEC N_SPECIALTIES
#define AXN_A_DFLOW N_DOCTOR_FLOWS
#define AXN_A_ROUTE N_APPROVAL_ROUTES
#define AXN_A_FROM_GROUP N_GROUPS
#define AXN_A_TO_GROUP N_GROUPS

/** How a measure's yearly values come about. */
enum measure_kind {
  MK_COUNT, /**< the tally holds the stored integer (persons, or percent for FTE stocks) */
  MK_MICRO, /**< the tally holds percent-years x 1e6; stored rounded to hundredths */
  MK_SEQ    /**< set in the sequential phase (demand, gap): no tally */
};

/* clang-format off */
/**
 * X(ID, field, kind, "dataset", "long_name", "units", "cell_methods", scale_factor, (axes...))
 */
#define HWSIM_MEASURES(X)                                                                          \
  X(PERSONS, persons, MK_COUNT, "persons", "persons (headcount)", "persons",                       \
    "point: 31 December", 1, (A_GROUP, A_SEX, A_AGE, A_SECTOR))                                    \
  X(FTE, fte, MK_COUNT, "fte", "contracted FTE (sum of position shares)", "FTE",                   \
    "point: 31 December", 0.01, (A_GROUP, A_SEX, A_AGE, A_SECTOR))                                 \
  X(FTE_AVG, fte_avg, MK_MICRO, "fte_avg", "contracted FTE averaged over the year", "FTE-years",   \
    "mean: year", 0.01, (A_GROUP, A_SEX, A_AGE, A_SECTOR))                                         \
  X(FTE_WORKED, fte_worked, MK_MICRO, "fte_worked",                                                \
    "worked FTE averaged over the year, net of sick leave", "FTE-years", "mean: year", 0.01,        \
    (A_GROUP, A_SEX, A_AGE, A_SECTOR))                                                             \
  X(SICK, sick, MK_MICRO, "sick_leave_fte", "FTE-years absent on sick leave", "FTE-years",         \
    "sum: year", 0.01, (A_GROUP, A_SEX, A_AGE, A_SECTOR, A_SICK))                                  \
  X(ENTRIES, entries, MK_COUNT, "entries", "persons entering the cell during the year", "persons", \
    "sum: year", 1, (A_SOURCE, A_GROUP, A_SEX, A_AGE, A_SECTOR))                                   \
  X(EXITS, exits, MK_COUNT, "exits", "persons leaving the cell during the year", "persons",        \
    "sum: year", 1, (A_CAUSE, A_GROUP, A_SEX, A_AGE, A_SECTOR))                                    \
  X(TRANSITIONS, transitions, MK_COUNT, "transitions", "moves between sectors during the year",    \
    "persons", "sum: year", 1, (A_GROUP, A_FROM, A_TO))                                            \
  X(CONVERSIONS, conversions, MK_COUNT, "conversions",                                             \
    "persons changing group during the year (a certificate at work, further education)",           \
    "persons", "sum: year", 1, (A_FROM_GROUP, A_TO_GROUP))                                         \
  X(PSHARE_BAND, pshare_band, MK_COUNT, "persons_by_pshare",                                       \
    "employed persons by position-share band", "persons", "point: 31 December", 1,                 \
    (A_GROUP, A_SECTOR, A_PBAND))                                                                  \
  X(STUDENTS, students, MK_COUNT, "students", "students in Norwegian programmes", "persons",       \
    "point: 31 December", 1, (A_GROUP, A_SEX))                                                     \
  X(EXITS_AGE, exits_age, MK_COUNT, "exits_by_age",                                                \
    "persons leaving a cell during the year, by age", "persons", "sum: year", 1,                   \
    (A_CAUSE, A_GROUP, A_SAGE))                                                                    \
  X(GRADUATES, graduates, MK_COUNT, "graduates",                                                   \
    "Norwegian graduates of the simulated years by years since graduation and sector", "persons",  \
    "point: 31 December", 1, (A_GROUP, A_GYEARS, A_SECTOR))                                        \
  X(DEMAND, demand, MK_SEQ, "demand",                                                              \
    "HELSEMOD demand by health sector (the replicate's alternative, productivity growth and the "  \
    "scenario's demand measures); 0 outside the health sectors and where not published",         \
    "FTE", "point: year", 0.01, (A_GROUP, A_SECTOR))                                               \
  X(GAP, gap, MK_SEQ, "gap",                                                                       \
    "supply - demand: contracted FTE in the sector at 31 December minus demand; 0 outside the "    \
    "health sectors", "FTE", "point: 31 December", 0.01, (A_GROUP, A_SECTOR))                      \
  X(GAP_WORKED, gap_worked, MK_SEQ, "gap_worked",                                                  \
    "worked FTE in the sector over the year minus demand in worked FTE (demand x the group's "     \
    "worked/contracted ratio in the sector in the first simulated year)",                          \
    "FTE", "mean: year", 0.01, (A_GROUP, A_SECTOR))                                                \
  X(DOCTORS, doctors, MK_COUNT, "doctors",                                                         \
    "physicians by career stage, specialty family and sector (students under not_working)",        \
    "persons", "point: 31 December", 1, (A_STAGE, A_SPEC, A_SECTOR))                               \
  X(DOCTOR_FTE, doctor_fte, MK_COUNT, "doctor_fte",                                                \
    "physicians' contracted FTE by career stage, specialty and sector", "FTE",                     \
    "point: 31 December", 0.01, (A_STAGE, A_SPEC, A_SECTOR))                                       \
  X(DOCTOR_FLOWS, doctor_flows, MK_COUNT, "doctor_flows",                                          \
    "LIS1 posts, applicants, starts, queue; LIS and ALIS starts; approvals; GPs and lists",         \
    "persons (lists for gp_lists and lists_without_gp)", "see doctor_flow", 1, (A_DFLOW))          \
  X(NEW_SPECIALISTS, new_specialists, MK_COUNT, "new_specialists",                                 \
    "specialist approvals by specialty and route", "persons", "sum: year", 1, (A_SPEC, A_ROUTE))

/* The preprocessor product of an axis list: MEAS_PROD((A_GROUP, A_SEX)) = 1 * N_GROUPS * N_SEXES. */
#define MEAS_EXPAND(...) __VA_ARGS__
#define MEAS_NTH(_1, _2, _3, _4, _5, _6, N, ...) N
#define MEAS_FE1(f, a) f(a)
#define MEAS_FE2(f, a, ...) f(a) MEAS_FE1(f, __VA_ARGS__)
#define MEAS_FE3(f, a, ...) f(a) MEAS_FE2(f, __VA_ARGS__)
#define MEAS_FE4(f, a, ...) f(a) MEAS_FE3(f, __VA_ARGS__)
#define MEAS_FE5(f, a, ...) f(a) MEAS_FE4(f, __VA_ARGS__)
#define MEAS_FE6(f, a, ...) f(a) MEAS_FE5(f, __VA_ARGS__)
#define MEAS_FOR_EACH(f, ...)                                                                      \
  MEAS_NTH(__VA_ARGS__, MEAS_FE6, MEAS_FE5, MEAS_FE4, MEAS_FE3, MEAS_FE2, MEAS_FE1, 0)             \
  (f, __VA_ARGS__)
#define MEAS_TIMES_LEN(a) *AXN_##a
#define MEAS_PROD_(...) (1 MEAS_FOR_EACH(MEAS_TIMES_LEN, __VA_ARGS__))
#define MEAS_PROD(axes) MEAS_PROD_ axes
/* clang-format on */

/** Measure ids, in table order (the cube's dataset order). */
enum measure_id {
#define X(id, field, kind, name, long_name, units, cm, scale, axes) M_##id,
  HWSIM_MEASURES(X)
#undef X
      N_MEASURES
};

/** Elements of one year of each measure (compile-time: the tallies' sizes). */
enum measure_year_size {
#define X(id, field, kind, name, long_name, units, cm, scale, axes) MSIZE_##id = MEAS_PROD(axes),
  HWSIM_MEASURES(X)
#undef X
};

#define MEASURE_MAX_AXES 8 /**< year + at most 6 axes from the table (MEAS_NTH) */

/** One measure, as the table defines it. */
struct measure_def {
  const char *name, *long_name, *units, *cell_method;
  double scale_factor;
  enum measure_kind kind;
  int naxes;                  /**< axes including the leading year */
  int axes[MEASURE_MAX_AXES]; /**< enum axis_id, year first */
  size_t year_size;           /**< elements per year: the product of the axes after year */
};

/** One axis: labels (categorical) or integer values; the year axis has n = 0 here. */
struct axis_def {
  const char *name, *long_name;
  int n;
  const char *const *labels;
  const int *values;
};

extern const struct measure_def measure_defs[N_MEASURES];
extern const struct axis_def axis_defs[N_AXES];

/**
 * Per-replicate results: every measure over all years, int32 in cube order
 * (year, then the table's axes), slab m = measure_defs[m].
 */
struct replicate_out {
  int nyears;
  int32_t *m[N_MEASURES];
  int64_t events;      /**< events processed in the replicate */
  int64_t agent_years; /**< agent-years simulated */
  int64_t sick_spells; /**< sick-leave spells started (diagnostic) */
  char err[200];       /**< why the engine failed (ENGINE_EFAIL), else "" */
};

/** @brief Allocate the zeroed slabs for @p nyears years. @return 0, or -1 if out of memory. */
int replicate_out_init(struct replicate_out *o, int nyears);
void replicate_out_free(struct replicate_out *o);

/** @brief Elements of measure @p m's slab over @p nyears years. */
static inline size_t measure_size(int m, int nyears)
{
  return (size_t)nyears * measure_defs[m].year_size;
}

/** @brief Index of the measure whose dataset is @p name, or -1. */
int measure_lookup(const char *name);

#endif
