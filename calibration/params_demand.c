/**
 * @file params_demand.c
 * @brief The demand side: HELSEMOD's demand by group (demand.csv, Table 2.5) and its split
 *        over the three health sectors (demand_sector.csv, the 2019 split; demand_area.csv,
 *        Table 2.4's service areas by the sector that runs them).  Formats in
 *        calibration/norway/README.md; method in docs/model.md ("Demand by sector").
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "csvtab.h"
#include "params.h"
#include "params_load.h"

static const char *const alt_labels[] = {"low", "middle", "high"};

/* The two years of HELSEMOD's demand projection in demand.csv (NOU 2023:4 Table 2.5;
 * docs/parameters.md, demand.csv): the base year, 2019, and 2040. */
#define DEMAND_YEAR0 2019
#define DEMAND_YEAR1 2040

/** @brief Geometric interpolation (and extrapolation) between the projection's two years. */
static double demand_interp(double d0, double d1, int year)
{
  return d0 * pow(d1 / d0, (year - DEMAND_YEAR0) / (double)(DEMAND_YEAR1 - DEMAND_YEAR0));
}

/** @brief "FILE:LINE: group 'all' / sector 'all' is not allowed" for an `all` in column @p k. */
static int refuse_all(const struct csvtab *t, const struct csvtab_row *r, int k, const char *what,
                      char *err, size_t errlen)
{
  if ((int)r->v[k] != CSVTAB_ALL) return 0;
  snprintf(err, errlen, "%s:%d: %s 'all' is not allowed here (expected one %s per row)", t->path,
           r->line, what, what);
  return -1;
}

/**
 * @brief The projection year of row @p r (column @p ycol) as 0 (2019) or 1 (2040), marking the
 *        cell (@p label, alternative @p alt, year) in @p seen (its two years); -1 with
 *        "FILE:LINE: reason" for another year or a cell given twice.
 */
static int projection_cell(const struct csvtab *t, const struct csvtab_row *r, int ycol,
                           const char *label, int alt, char seen[2], char *err, size_t errlen)
{
  const int y = (int)r->v[ycol];
  if (y != DEMAND_YEAR0 && y != DEMAND_YEAR1) {
    snprintf(err, errlen, "%s:%d: year %d is not a year of the projection (expected %d or %d)",
             t->path, r->line, y, DEMAND_YEAR0, DEMAND_YEAR1);
    return -1;
  }
  const int k = y == DEMAND_YEAR0 ? 0 : 1;
  if (seen[k]) {
    snprintf(err, errlen, "%s:%d: duplicate cell (%s, %s, %d given twice)", t->path, r->line, label,
             alt_labels[alt], y);
    return -1;
  }
  seen[k] = 1;
  return k;
}

/** @brief demand.csv: Table 2.5's 2019 and 2040 demand by alternative and group. */
static int load_demand(struct params *p, const char *dir, char *err, size_t errlen)
{
  /* Demand is exogenous and optional: a data set without demand.csv simply
   * has no demand and no gap. */
  char path[512];
  if (access(params_path(path, sizeof path, dir, "demand.csv"), F_OK) != 0) {
    memset(p->has_demand, 0, sizeof p->has_demand);
    return 0;
  }
  static const struct csvtab_col cols[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                           {"alternative", COL_LABEL, 0, 0, alt_labels, 3},
                                           {"year", COL_INT, DEMAND_YEAR0, DEMAND_YEAR1, NULL, 0},
                                           {"fte", COL_RATE, 0, CSVTAB_COUNT_MAX, NULL, 0},
                                           SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "demand.csv", cols, NCOLS(cols), err, errlen)) return -1;
  char seen[N_DEMAND_ALTS_P][N_GROUPS][2];
  memset(seen, 0, sizeof seen);
  int rc = -1;
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    if (refuse_all(&t, r, 0, "group", err, errlen)) goto out;
    const int g = (int)r->v[0], alt = (int)r->v[1];
    const int k = projection_cell(&t, r, 2, group_labels[g], alt, seen[alt][g], err, errlen);
    if (k < 0) goto out;
    p->demand[alt][g][k] = r->v[3];
  }
  for (int g = 0; g < N_GROUPS; g++) {
    int n = 0;
    for (int a = 0; a < N_DEMAND_ALTS_P; a++)
      n += seen[a][g][0] + seen[a][g][1];
    if (n != 0 && n != 2 * N_DEMAND_ALTS_P) {
      snprintf(err, errlen,
               "%s: group %s has %d of the 6 cells (expected %d and %d for low, middle and high, "
               "or none)",
               t.path, group_labels[g], n, DEMAND_YEAR0, DEMAND_YEAR1);
      goto out;
    }
    p->has_demand[g] = n != 0;
  }
  rc = 0;
out:
  csvtab_free(&t);
  return rc;
}

double params_demand(const struct params *p, int alt, int g, int year, double productivity)
{
  if (!p->has_demand[g] || p->demand[alt][g][0] <= 0) return 0;
  double d0 = p->demand[alt][g][0], d1 = p->demand[alt][g][1];
  return demand_interp(d0, d1, year) * pow(1.005 / (1.0 + productivity), year - DEMAND_YEAR0);
}

/** Table 2.4's service areas (facts.md A 4.4), the labels of demand_area.csv's `area`. */
static const char *const area_labels[] = {"somatic_institutions",
                                          "mental_health_children",
                                          "mental_health_adults",
                                          "municipal_health_and_care",
                                          "gp_services",
                                          "physiotherapy",
                                          "dental",
                                          "preventive_health",
                                          "substance_abuse_services",
                                          "other_health_services"};
#define N_AREAS ((int)(sizeof area_labels / sizeof *area_labels))

/**
 * @brief demand_sector.csv (optional): the 2019 split of each group's demand over the health
 *        sectors; every group of demand.csv needs its three shares, summing to one, and a
 *        group without demand may have none.
 */
static int load_demand_sector(struct params *p, const char *dir, char *err, size_t errlen)
{
  char path[512];
  memset(p->has_demand_split, 0, sizeof p->has_demand_split);
  if (access(params_path(path, sizeof path, dir, "demand_sector.csv"), F_OK) != 0) return 0;
  static const struct csvtab_col cols[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                           {"sector", COL_HSECTOR, 0, 0, NULL, 0},
                                           {"share", COL_PROB, 0, 0, NULL, 0},
                                           SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "demand_sector.csv", cols, NCOLS(cols), err, errlen)) return -1;
  char seen[N_GROUPS][N_HSECTORS];
  memset(seen, 0, sizeof seen);
  int rc = -1;
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    if (refuse_all(&t, r, 0, "group", err, errlen) || refuse_all(&t, r, 1, "sector", err, errlen))
      goto out;
    int g = (int)r->v[0], s = (int)r->v[1];
    if (seen[g][s]) {
      snprintf(err, errlen, "%s:%d: duplicate cell (%s, %s given twice)", t.path, r->line,
               group_labels[g], sector_labels[s]);
      goto out;
    }
    if (!p->has_demand[g]) {
      snprintf(err, errlen,
               "%s:%d: group %s has no demand in demand.csv (expected rows only for the groups "
               "of demand.csv)",
               t.path, r->line, group_labels[g]);
      goto out;
    }
    seen[g][s] = 1;
    p->demand_split[g][s] = r->v[2];
  }
  for (int g = 0; g < N_GROUPS; g++) {
    if (!p->has_demand[g]) continue;
    double sum = 0;
    for (int s = 0; s < N_HSECTORS; s++) {
      if (!seen[g][s]) {
        snprintf(err, errlen,
                 "%s: group %s has no %s row (expected municipal, specialist and other_health "
                 "for every group of demand.csv)",
                 t.path, group_labels[g], sector_labels[s]);
        goto out;
      }
      sum += p->demand_split[g][s];
    }
    if (fabs(sum - 1.0) > 1e-4) {
      snprintf(err, errlen, "%s: shares for %s sum to %.6f (expected 1)", t.path, group_labels[g],
               sum);
      goto out;
    }
    p->has_demand_split[g] = 1;
  }
  rc = 0;
out:
  csvtab_free(&t);
  return rc;
}

/** @brief demand_area.csv's checks after reading: each area complete, one sector, one 2019
 *         value; every health sector runs at least one area with 2019 FTE > 0. */
static int check_areas(const struct csvtab *t, const char seen[][N_DEMAND_ALTS_P][2],
                       const double v[][N_DEMAND_ALTS_P][2], const int *sector, char *err,
                       size_t errlen)
{
  double base[N_HSECTORS] = {0};
  for (int a = 0; a < N_AREAS; a++) {
    int n = 0;
    for (int k = 0; k < N_DEMAND_ALTS_P; k++)
      n += seen[a][k][0] + seen[a][k][1];
    if (n == 0) continue;
    if (n != 2 * N_DEMAND_ALTS_P) {
      snprintf(err, errlen,
               "%s: area %s has %d of the 6 cells (expected %d and %d for low, middle and high)",
               t->path, area_labels[a], n, DEMAND_YEAR0, DEMAND_YEAR1);
      return -1;
    }
    for (int k = 1; k < N_DEMAND_ALTS_P; k++)
      if (v[a][k][0] != v[a][0][0]) {
        snprintf(err, errlen,
                 "%s: area %s has 2019 FTE %g (%s) and %g (%s) (expected the same observed 2019 "
                 "value in every alternative)",
                 t->path, area_labels[a], v[a][0][0], alt_labels[0], v[a][k][0], alt_labels[k]);
        return -1;
      }
    base[sector[a]] += v[a][0][0];
  }
  for (int k = 0; k < N_DEMAND_ALTS_P; k++)
    for (int s = 0; s < N_HSECTORS; s++) {
      double end = 0;
      for (int a = 0; a < N_AREAS; a++)
        if (sector[a] == s) end += v[a][k][1];
      if (base[s] > 0 && end <= 0) {
        snprintf(err, errlen,
                 "%s: sector %s has no 2040 FTE in the %s alternative (expected > 0: its growth "
                 "index is 2040 / 2019)",
                 t->path, sector_labels[s], alt_labels[k]);
        return -1;
      }
    }
  for (int s = 0; s < N_HSECTORS; s++)
    if (base[s] <= 0) {
      snprintf(err, errlen,
               "%s: no service area with 2019 FTE > 0 in sector %s (expected at least one for "
               "each of municipal, specialist and other_health)",
               t->path, sector_labels[s]);
      return -1;
    }
  return 0;
}

/** @brief demand_area.csv (optional): Table 2.4's service areas, 2019 and 2040, by the sector
 *         that runs them; summed by sector into p->demand_area. */
static int load_demand_area(struct params *p, const char *dir, char *err, size_t errlen)
{
  char path[512];
  p->has_demand_area = 0;
  memset(p->demand_area, 0, sizeof p->demand_area);
  if (access(params_path(path, sizeof path, dir, "demand_area.csv"), F_OK) != 0) return 0;
  static const struct csvtab_col cols[] = {
      {"area", COL_LABEL, 0, 0, area_labels, N_AREAS},
      {"sector", COL_HSECTOR, 0, 0, NULL, 0},
      {"alternative", COL_LABEL, 0, 0, alt_labels, N_DEMAND_ALTS_P},
      {"year", COL_INT, DEMAND_YEAR0, DEMAND_YEAR1, NULL, 0},
      {"fte", COL_RATE, 0, CSVTAB_COUNT_MAX, NULL, 0},
      SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "demand_area.csv", cols, NCOLS(cols), err, errlen)) return -1;
  char seen[N_AREAS][N_DEMAND_ALTS_P][2];
  double v[N_AREAS][N_DEMAND_ALTS_P][2];
  int sector[N_AREAS];
  memset(seen, 0, sizeof seen);
  for (int a = 0; a < N_AREAS; a++)
    sector[a] = -1;
  int rc = -1;
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    if (refuse_all(&t, r, 1, "sector", err, errlen)) goto out;
    const int a = (int)r->v[0], s = (int)r->v[1], alt = (int)r->v[2];
    const int k = projection_cell(&t, r, 3, area_labels[a], alt, seen[a][alt], err, errlen);
    if (k < 0) goto out;
    if (sector[a] >= 0 && sector[a] != s) {
      snprintf(err, errlen,
               "%s:%d: area %s is in sector %s here and %s before (expected one "
               "sector per area)",
               t.path, r->line, area_labels[a], sector_labels[s], sector_labels[sector[a]]);
      goto out;
    }
    sector[a] = s;
    v[a][alt][k] = r->v[4];
  }
  if (check_areas(&t, (const char(*)[N_DEMAND_ALTS_P][2])seen,
                  (const double(*)[N_DEMAND_ALTS_P][2])v, sector, err, errlen))
    goto out;
  for (int a = 0; a < N_AREAS; a++)
    if (sector[a] >= 0)
      for (int alt = 0; alt < N_DEMAND_ALTS_P; alt++)
        for (int k = 0; k < 2; k++)
          p->demand_area[alt][sector[a]][k] += v[a][alt][k];
  p->has_demand_area = 1;
  rc = 0;
out:
  csvtab_free(&t);
  return rc;
}

int params_load_demand(struct params *p, const char *dir, char *err, size_t errlen)
{
  return load_demand(p, dir, err, errlen) || load_demand_sector(p, dir, err, errlen) ||
                 load_demand_area(p, dir, err, errlen)
             ? -1
             : 0;
}

void params_demand_sectors(const struct params *p, int alt, int g, int year, double productivity,
                           const double *fallback, double out[N_HSECTORS])
{
  double q[N_HSECTORS], w[N_HSECTORS], sum = 0, wsum = 0;
  for (int s = 0; s < N_HSECTORS; s++) {
    q[s] = p->has_demand_split[g] ? p->demand_split[g][s] : fallback ? fallback[s] : 1.0;
    sum += q[s];
  }
  for (int s = 0; s < N_HSECTORS; s++) {
    q[s] = sum > 0 ? q[s] / sum : 1.0 / N_HSECTORS;
    const double *a = p->demand_area[alt][s];
    w[s] = q[s] * (p->has_demand_area ? demand_interp(a[0], a[1], year) / a[0] : 1.0);
    wsum += w[s];
  }
  const double d = params_demand(p, alt, g, year, productivity);
  for (int s = 0; s < N_HSECTORS; s++)
    out[s] = wsum > 0 ? d * w[s] / wsum : 0.0;
}
