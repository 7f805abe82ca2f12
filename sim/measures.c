/**
 * @file measures.c
 * @brief The measures and axes tables (sim/measures.h), and the replicate store.
 */
#include "measures.h"

#include "alloc.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* 0, 1, ..., AGE_MAX: the integer axes `age` (from AGE_MIN) and
 * `years_since_graduation` (from 0) are windows of it. */
static const int seq[] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14,
                          15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
                          30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44,
                          45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
                          60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74};
_Static_assert(sizeof seq / sizeof *seq == AGE_MAX + 1, "seq must run 0..AGE_MAX");
_Static_assert(N_GRAD_YEARS <= AGE_MAX + 1, "years_since_graduation is a window of seq");

const struct axis_def axis_defs[N_AXES] = {
    [A_YEAR] = {"year", "calendar year (stocks at 31 December; the first year is the base stock)",
                0, NULL, NULL},
    [A_GROUP] = {"group", "personnel group by education (HELSEMOD groups + assistant)", N_GROUPS,
                 group_labels, NULL},
    [A_SEX] = {"sex", "sex", N_SEXES, sex_labels, NULL},
    [A_AGE] = {"age_band", "age at 31 December, 5-year bands", N_AGE_BANDS, age_band_labels, NULL},
    [A_SECTOR] = {"sector", "where the person works", N_SECTORS, sector_labels, NULL},
    [A_SICK] = {"sick_type", "type of sick leave", N_SICK_TYPES, sick_type_labels, NULL},
    [A_SOURCE] = {"source", "how a person entered the cell", N_ENTRY_SOURCES, entry_source_labels,
                  NULL},
    [A_CAUSE] = {"cause", "why a person left the cell", N_EXIT_CAUSES, exit_cause_labels, NULL},
    [A_FROM] = {"from_sector", "sector before a move", N_SECTORS, sector_labels, NULL},
    [A_TO] = {"to_sector", "sector after a move", N_SECTORS, sector_labels, NULL},
    [A_PBAND] = {"pshare_band", "position-share band (percent of full time)", N_PSHARE_BANDS,
                 pshare_band_labels, NULL},
    [A_SAGE] = {"age", "age in completed years at the event", N_AGES, NULL, seq + AGE_MIN},
    [A_GYEARS] = {"years_since_graduation", "completed years since graduation at 31 December",
                  N_GRAD_YEARS, NULL, seq},
    [A_STAGE] = {"career_stage", "physicians' career stage at 31 December", N_OUT_STAGES,
                 career_stage_labels, NULL},
    [A_SPEC] = {"specialty", "specialty family (of LIS and specialists; none otherwise)",
                N_SPECIALTIES, specialty_labels, NULL},
    [A_DFLOW] = {"doctor_flow", "doctors' flows (sum over the year) and stocks (31 December)",
                 N_DOCTOR_FLOWS, doctor_flow_labels, NULL},
    [A_ROUTE] = {"route", "how a specialist approval came about", N_APPROVAL_ROUTES,
                 approval_route_labels, NULL},
    [A_FROM_GROUP] = {"from_group", "group before a conversion", N_GROUPS, group_labels, NULL},
    [A_TO_GROUP] = {"to_group", "group after a conversion", N_GROUPS, group_labels, NULL},
};

#define MEAS_NAXES_(...) (1 + (int)(sizeof((int[]){__VA_ARGS__}) / sizeof(int)))
#define MEAS_AXES_(...)                                                                            \
  {                                                                                                \
    A_YEAR, __VA_ARGS__                                                                            \
  }
const struct measure_def measure_defs[N_MEASURES] = {
#define X(id, field, kind, name, long_name, units, cm, scale, axes)                                \
  [M_##id] = {name, long_name,        units,           cm,        scale,                           \
              kind, MEAS_NAXES_ axes, MEAS_AXES_ axes, MSIZE_##id},
    HWSIM_MEASURES(X)
#undef X
};

int replicate_out_init(struct replicate_out *o, int nyears)
{
  memset(o, 0, sizeof *o);
  o->nyears = nyears;
  for (int m = 0; m < N_MEASURES; m++)
    if (!(o->m[m] = hw_alloc(measure_size(m, nyears), sizeof(int32_t), "a replicate's results",
                             NULL, 0))) {
      replicate_out_free(o);
      return -1;
    }
  return 0;
}

void replicate_out_free(struct replicate_out *o)
{
  for (int m = 0; m < N_MEASURES; m++)
    free(o->m[m]);
  memset(o, 0, sizeof *o);
}

int measure_lookup(const char *name)
{
  for (int m = 0; m < N_MEASURES; m++)
    if (strcmp(measure_defs[m].name, name) == 0) return m;
  return -1;
}
