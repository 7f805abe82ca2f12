/**
 * @file targets.c
 * @brief The targets loader and the target measures on a replicate's output
 *        slabs (see targets.h; conventions in docs/calibration.md).
 */
#include "targets.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "csvtab.h"

#define N_FIXED_MEASURES CM_RETENTION
#define N_MEASURE_LABELS (N_FIXED_MEASURES + N_GRAD_YEARS)
_Static_assert(N_GRAD_YEARS == 16, "one retention_Ny label per year since graduation");
/** The `measure` column: the fixed measures, then retention_0y .. retention_15y. */
static const char *const measure_labels[N_MEASURE_LABELS] = {"fte",
                                                             "persons",
                                                             "share_55plus",
                                                             "mean_pshare",
                                                             "parttime_share",
                                                             "male_share",
                                                             "sick_leave_total_pct",
                                                             "sick_leave_doctor_pct",
                                                             "sick_leave_self_pct",
                                                             "mean_retirement_age",
                                                             "mean_disability_age",
                                                             "gps",
                                                             "lists_without_gp",
                                                             "inhabitants_without_gp",
                                                             "gp_leaving_rate",
                                                             "new_gp_specialists",
                                                             "retention_0y",
                                                             "retention_1y",
                                                             "retention_2y",
                                                             "retention_3y",
                                                             "retention_4y",
                                                             "retention_5y",
                                                             "retention_6y",
                                                             "retention_7y",
                                                             "retention_8y",
                                                             "retention_9y",
                                                             "retention_10y",
                                                             "retention_11y",
                                                             "retention_12y",
                                                             "retention_13y",
                                                             "retention_14y",
                                                             "retention_15y"};

#define N_AGE_LABELS (N_AGE_BANDS + 2)
static const char *const age_labels[N_AGE_LABELS] = {"all",   "15-61", "15-19", "20-24", "25-29",
                                                     "30-34", "35-39", "40-44", "45-49", "50-54",
                                                     "55-59", "60-64", "65-69", "70-74"};

static int is_share(int m)
{
  return m == CM_SHARE_55PLUS || m == CM_MEAN_PSHARE || m == CM_PARTTIME_SHARE ||
         m == CM_MALE_SHARE || m == CM_RETENTION || m == CM_GP_LEAVING_RATE;
}
static int is_sick(int m)
{
  return m == CM_SICK_TOTAL || m == CM_SICK_DOCTOR || m == CM_SICK_SELF;
}
static int is_age_measure(int m)
{
  return m == CM_MEAN_RETIREMENT_AGE || m == CM_MEAN_DISABILITY_AGE;
}
/** Measures whose year is a calendar year of the simulation (not a cohort label). */
static int is_dated(int m)
{
  return m != CM_RETENTION && !is_age_measure(m);
}

/** @brief The target a parsed row gives (measure, dimensions, value, label). */
static struct calib_target target_from_row(const struct csvtab_row *r, int file)
{
  struct calib_target t = {.line = r->line, .file = file};
  int mi = (int)r->v[0];
  t.measure = mi < N_FIXED_MEASURES ? mi : CM_RETENTION;
  t.k = mi < N_FIXED_MEASURES ? 0 : mi - N_FIXED_MEASURES;
  t.group = (int)r->v[1];
  t.sex = (int)r->v[2];
  int al = (int)r->v[3];
  t.age = al == 0 ? CALIB_AGE_ALL : al == 1 ? CALIB_AGE_UNDER62 : al - 2;
  t.sector = (int)r->v[4];
  t.year = (int)r->v[5];
  t.value = r->v[6];
  t.tol = r->v[7];
  snprintf(t.label, sizeof t.label, "%s,%s,%s,%s,%s,%d", measure_labels[mi],
           t.group == CSVTAB_ALL ? "all" : group_labels[t.group],
           t.sex == CSVTAB_ALL ? "all" : sex_labels[t.sex], age_labels[al],
           t.sector == CSVTAB_ALL ? "all" : sector_labels[t.sector], t.year);
  return t;
}

/** @brief Check a target's value and dimensions; -1 with the reason in @p why. */
static int target_check(const struct calib_target *t, int start_year, char *why, size_t n)
{
  const char *mn =
      measure_labels[t->measure == CM_RETENTION ? N_FIXED_MEASURES + t->k : t->measure];
#define BAD(...)                                                                                   \
  do {                                                                                             \
    snprintf(why, n, __VA_ARGS__);                                                                 \
    return -1;                                                                                     \
  } while (0)
  if (!(t->tol > 0))
    BAD("tolerance %g is not positive (expected a tolerance > 0 in the measure's unit)", t->tol);
  if (is_share(t->measure) && (t->value < 0 || t->value > 1))
    BAD("%s value %g is outside [0, 1] (expected a share)", mn, t->value);
  if (is_sick(t->measure) && (t->value < 0 || t->value > 100))
    BAD("%s value %g is outside [0, 100] (expected a percentage)", mn, t->value);
  if ((t->measure == CM_FTE || t->measure == CM_PERSONS || calib_measure_is_gp(t->measure)) &&
      t->value < 0)
    BAD("%s value %g is negative (expected a count >= 0)", mn, t->value);
  if (is_age_measure(t->measure) && (t->value < AGE_MIN || t->value > AGE_MAX + 1))
    BAD("%s value %g is not an age in %d..%d", mn, t->value, AGE_MIN, AGE_MAX + 1);
  /* dimensions each measure has */
  int cellwise = t->measure == CM_FTE || t->measure == CM_PERSONS || t->measure == CM_MEAN_PSHARE ||
                 is_sick(t->measure);
  if (t->age != CALIB_AGE_ALL && !cellwise) BAD("%s has no age_band dimension (expected all)", mn);
  if (t->age == CALIB_AGE_UNDER62 && t->measure != CM_MEAN_PSHARE && t->measure != CM_FTE &&
      t->measure != CM_PERSONS)
    BAD("age_band 15-61 is defined for fte, persons and mean_pshare only (expected all or a "
        "5-year band)");
  if (t->sex != CSVTAB_ALL && (t->measure == CM_PARTTIME_SHARE || t->measure == CM_MALE_SHARE ||
                               t->measure == CM_RETENTION || is_age_measure(t->measure)))
    BAD("%s has no sex dimension (expected all)", mn);
  if (calib_measure_is_gp(t->measure) && (t->sex != CSVTAB_ALL || t->sector != CSVTAB_ALL ||
                                          (t->group != CSVTAB_ALL && t->group != G_PHYSICIAN)))
    BAD("%s is a whole-country figure of the GP scheme (expected group physician or all, sex "
        "all, sector all)",
        mn);
  if (t->sector != CSVTAB_ALL && (t->measure == CM_RETENTION || is_age_measure(t->measure)))
    BAD("%s has no sector dimension (expected all)", mn);
  if (t->sector != CSVTAB_ALL && !SECTOR_IS_HEALTH(t->sector) &&
      (is_sick(t->measure) || t->measure == CM_PARTTIME_SHARE || t->measure == CM_MEAN_PSHARE))
    BAD("%s is defined in the health sectors only (expected municipal, specialist, other_health "
        "or all)",
        mn);
  /* a parttime_share in the base year is allowed: its band counts are the synthesised stock */
  if (is_dated(t->measure) && t->year < start_year)
    BAD("year %d is before the base year %d (expected a year the simulation reaches)", t->year,
        start_year);
#undef BAD
  return 0;
}

int calib_targets_load(struct calib_targets *T, const char *path, int start_year, char *err,
                       size_t errlen)
{
  static const struct csvtab_col cols[] = {
      {"measure", COL_LABEL, 0, 0, measure_labels, N_MEASURE_LABELS},
      {"group", COL_GROUP, 0, 0, NULL, 0},
      {"sex", COL_SEX, 0, 0, NULL, 0},
      {"age_band", COL_LABEL, 0, 0, age_labels, N_AGE_LABELS},
      {"sector", COL_SECTOR, 0, 0, NULL, 0},
      {"year", COL_INT, 1900, 2200, NULL, 0},
      {"value", COL_REAL, -1e15, 1e15, NULL, 0},
      {"tolerance", COL_RATE, 0, 1e15, NULL, 0},
      {"source", COL_TEXT, 0, 0, NULL, 0},
      {"note", COL_TEXT, 0, 0, NULL, 0}};
  if (T->nfiles >= CALIB_MAX_FILES) {
    snprintf(err, errlen, "%s: too many target files (expected at most %d)", path, CALIB_MAX_FILES);
    return -1;
  }
  struct csvtab tab;
  if (csvtab_load(&tab, path, cols, (int)(sizeof cols / sizeof cols[0]), err, errlen)) return -1;
  int fi = T->nfiles;
  snprintf(T->path[fi], sizeof T->path[fi], "%s", path);
  memcpy(T->sha256[fi], tab.sha256, 65);
  struct calib_target *nt =
      hw_realloc(T->t, (size_t)(T->n + tab.nrows + 1), sizeof *nt, "the targets", err, errlen);
  if (!nt) {
    csvtab_free(&tab);
    return -1;
  }
  T->t = nt;
  int rc = -1, n0 = T->n;
  char why[1024];
  for (int i = 0; i < tab.nrows; i++) {
    struct calib_target t = target_from_row(&tab.rows[i], fi);
    int bad = target_check(&t, start_year, why, sizeof why);
    for (int j = 0; !bad && j < T->n; j++)
      if (strcmp(T->t[j].label, t.label) == 0) {
        snprintf(why, sizeof why,
                 "duplicate target (%s:%d already gives %s; expected one row per target)",
                 T->path[T->t[j].file], T->t[j].line, t.label);
        bad = 1;
      }
    if (bad) {
      snprintf(err, errlen, "%s:%d: %s", path, t.line, why);
      goto out;
    }
    T->t[T->n++] = t;
  }
  if (tab.nrows == 0) {
    snprintf(err, errlen, "%s: no targets (expected at least one row)", path);
    goto out;
  }
  T->nfiles++;
  rc = 0;
out:
  if (rc) T->n = n0;
  csvtab_free(&tab);
  return rc;
}

void calib_targets_free(struct calib_targets *T)
{
  free(T->t);
  memset(T, 0, sizeof *T);
}

int calib_targets_end_year(const struct calib_targets *T, int start_year)
{
  int end = start_year + 1;
  for (int i = 0; i < T->n; i++) {
    const struct calib_target *t = &T->t[i];
    int need = is_dated(t->measure) ? t->year : start_year + 1;
    if (t->measure == CM_RETENTION) need = start_year + t->k + 1;
    if (need > end) end = need;
  }
  return end;
}

/* ---- simulated values ----------------------------------------------------- */

static int group_in(const struct calib_target *t, int g, int excl_assistant)
{
  if (t->group == CSVTAB_ALL) return !(excl_assistant && g == G_ASSISTANT);
  return g == t->group;
}
static int sector_in(int want, int s)
{
  return want == CSVTAB_ALL ? SECTOR_IS_HEALTH(s) : s == want;
}
static double age_weight(int want, int b)
{
  if (want == CALIB_AGE_ALL) return 1.0;
  if (want == CALIB_AGE_UNDER62) return b <= 8 ? 1.0 : b == 9 ? 0.4 : 0.0;
  return b == want ? 1.0 : 0.0;
}

/** Sum of slab[(y * N_CELLS + c) * stride + off] over the target's cells (sex override -2 = all).
 */
static double cellsum(const int32_t *slab, int y, int stride, int off, const struct calib_target *t,
                      int excl_assistant, int sex, int age_mode, int band_lo)
{
  double sum = 0;
  for (int g = 0; g < N_GROUPS; g++) {
    if (!group_in(t, g, excl_assistant)) continue;
    for (int sx = 0; sx < N_SEXES; sx++) {
      if (sex != CSVTAB_ALL && sx != sex) continue;
      for (int b = band_lo; b < N_AGE_BANDS; b++) {
        double w = age_weight(age_mode, b);
        if (w == 0) continue;
        for (int s = 0; s < N_SECTORS; s++) {
          if (!sector_in(t->sector, s)) continue;
          sum += w * slab[((size_t)y * N_CELLS + CELL(g, sx, b, s)) * (size_t)stride + (size_t)off];
        }
      }
    }
  }
  return sum;
}

static double ratio(double a, double b)
{
  return b > 0 ? a / b : NAN;
}

/* The body is kept as written against replicate_out's named slabs (unformatted, so that the
 * conversion to measure-indexed slabs applies to it unchanged). */
// clang-format off
double calib_simulated(const struct calib_target *t, const struct replicate_out *o, int start_year)
{
  int y = t->year - start_year;
  if (is_dated(t->measure) && (y < 0 || y >= o->nyears)) return NAN;
  switch (t->measure) {
  case CM_FTE:
    return cellsum(o->m[M_FTE], y, 1, 0, t, t->group == CSVTAB_ALL && t->sector == CSVTAB_ALL, t->sex,
                   t->age, 0) / 100.0;
  case CM_PERSONS:
    return cellsum(o->m[M_PERSONS], y, 1, 0, t, 0, t->sex, t->age, 0);
  case CM_SHARE_55PLUS:
    return ratio(cellsum(o->m[M_PERSONS], y, 1, 0, t, 0, t->sex, CALIB_AGE_ALL, 8),
                 cellsum(o->m[M_PERSONS], y, 1, 0, t, 0, t->sex, CALIB_AGE_ALL, 0));
  case CM_MEAN_PSHARE:
    return ratio(cellsum(o->m[M_FTE], y, 1, 0, t, 0, t->sex, t->age, 0) / 100.0,
                 cellsum(o->m[M_PERSONS], y, 1, 0, t, 0, t->sex, t->age, 0));
  case CM_MALE_SHARE:
    return ratio(cellsum(o->m[M_PERSONS], y, 1, 0, t, 0, SEX_MALE, CALIB_AGE_ALL, 0),
                 cellsum(o->m[M_PERSONS], y, 1, 0, t, 0, CSVTAB_ALL, CALIB_AGE_ALL, 0));
  case CM_SICK_TOTAL:
  case CM_SICK_DOCTOR:
  case CM_SICK_SELF: {
    if (y == 0) y = 1; /* the base year has no flows: the first simulated year */
    if (y >= o->nyears) return NAN;
    double sick = 0;
    if (t->measure != CM_SICK_DOCTOR) sick += cellsum(o->m[M_SICK], y, N_SICK_TYPES, SICK_SELF, t, 0, t->sex, t->age, 0);
    if (t->measure != CM_SICK_SELF) sick += cellsum(o->m[M_SICK], y, N_SICK_TYPES, SICK_DOCTOR, t, 0, t->sex, t->age, 0);
    return 100.0 * ratio(sick, cellsum(o->m[M_FTE_AVG], y, 1, 0, t, 0, t->sex, t->age, 0));
  }
  case CM_PARTTIME_SHARE: {
    double part = 0, all = 0;
    for (int g = 0; g < N_GROUPS; g++) {
      if (!group_in(t, g, 0)) continue;
      for (int s = 0; s < N_SECTORS; s++) {
        if (!sector_in(t->sector, s)) continue;
        const int32_t *pb = &o->m[M_PSHARE_BAND][(((size_t)y * N_GROUPS + g) * N_SECTORS + s) * N_PSHARE_BANDS];
        for (int b = 0; b < N_PSHARE_BANDS; b++) {
          all += pb[b];
          if (b < N_PSHARE_BANDS - 1) part += pb[b];
        }
      }
    }
    return ratio(part, all);
  }
  case CM_RETENTION: {
    double in = 0, all = 0;
    for (int yy = 0; yy < o->nyears; yy++)
      for (int g = 0; g < N_GROUPS; g++) {
        if (!group_in(t, g, 0)) continue;
        for (int s = 0; s < N_SECTORS; s++) {
          double v = o->m[M_GRADUATES][(((size_t)yy * N_GROUPS + g) * N_GRAD_YEARS + t->k) * N_SECTORS + s];
          all += v;
          if (SECTOR_IS_HEALTH(s)) in += v;
        }
      }
    return ratio(in, all);
  }
  case CM_GPS:
  case CM_LISTS_WITHOUT_GP:
  case CM_INHAB_WITHOUT_GP: {
    const int f = t->measure == CM_GPS ? DF_GPS : t->measure == CM_LISTS_WITHOUT_GP ? DF_LISTS_WITHOUT_GP : DF_INHABITANTS_WITHOUT_GP;
    return o->m[M_DOCTOR_FLOWS][(size_t)y * N_DOCTOR_FLOWS + f];
  }
  case CM_GP_LEAVING_RATE: {
    /* leavers = GPs at the start + new list holders (ALIS starts) - GPs at the end */
    if (y < 1) return NAN;
    const int32_t *f0 = &o->m[M_DOCTOR_FLOWS][(size_t)(y - 1) * N_DOCTOR_FLOWS];
    const int32_t *f1 = &o->m[M_DOCTOR_FLOWS][(size_t)y * N_DOCTOR_FLOWS];
    return ratio((double)f0[DF_GPS] + f1[DF_ALIS_STARTS] - f1[DF_GPS], f0[DF_GPS]);
  }
  case CM_NEW_GP_SPECIALISTS: {
    if (y < 1) return NAN;
    double n = 0;
    for (int r = 0; r < N_APPROVAL_ROUTES; r++)
      n += o->m[M_NEW_SPECIALISTS][((size_t)y * N_SPECIALTIES + SP_GENERAL_PRACTICE) * N_APPROVAL_ROUTES + r];
    return n;
  }
  case CM_MEAN_RETIREMENT_AGE:
  case CM_MEAN_DISABILITY_AGE: {
    int cause = t->measure == CM_MEAN_RETIREMENT_AGE ? EXIT_RETIREMENT : EXIT_DISABILITY;
    double n = 0, sa = 0;
    for (int yy = 1; yy < o->nyears; yy++)
      for (int g = 0; g < N_GROUPS; g++) {
        if (!group_in(t, g, 0)) continue;
        const int32_t *ea = &o->m[M_EXITS_AGE][(((size_t)yy * N_EXIT_CAUSES + cause) * N_GROUPS + g) * N_AGES];
        for (int ai = 0; ai < N_AGES; ai++) {
          n += ea[ai];
          sa += ea[ai] * (ai + AGE_MIN + 0.5);
        }
      }
    return ratio(sa, n);
  }
  default:
    return NAN;
  }
}
// clang-format on

void calib_targets_accumulate(const struct calib_targets *T, const struct replicate_out *o,
                              int start_year, double *sum, int *cnt)
{
  for (int i = 0; i < T->n; i++) {
    double v = calib_simulated(&T->t[i], o, start_year);
    if (isfinite(v)) {
      sum[i] += v;
      cnt[i]++;
    }
  }
}

void calib_targets_mean(const struct calib_targets *T, double *sum, const int *cnt)
{
  for (int i = 0; i < T->n; i++)
    sum[i] = cnt[i] ? sum[i] / cnt[i] : NAN;
}
