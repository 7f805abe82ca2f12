/**
 * @file params.c
 * @brief Load the calibration tables (long CSV, see calibration/norway/README.md)
 *        into the dense arrays of struct params, checking coverage and duplicates.
 */
#include "params.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvtab.h"

const uint8_t pshare_ladder[MAX_PSHARE_LEVELS] = {20, 40, 50, 60, 75, 80, 90, 100};

static const char *const type_labels[] = {"self_certified", "doctor_certified"};
static const char *const origin_labels[] = {"norway", "abroad"};
static const char *const from_labels[] = {"outside", "not_working"};
static const char *const channel_labels[] = {"immigration", "abroad_graduation", "recruitment"};

#define SRC {"source", COL_TEXT, 0, 0, NULL, 0}, {"note", COL_TEXT, 0, 0, NULL, 0}
#define AGES {"age_from", COL_INT, AGE_MIN, AGE_MAX, NULL, 0}, {"age_to", COL_INT, AGE_MIN, AGE_MAX, NULL, 0}

/**
 * Generic cell filler.  A table's rows address cells through up to four
 * "key" columns (each expanding `all` to its full range) and an optional age
 * range.  Rows are applied in order of increasing specificity, so explicit
 * rows override `all` rows; two rows of equal specificity hitting the same
 * cell are a duplicate.  Cells no row reaches are a coverage error.
 */
struct filler {
  const struct csvtab *t;
  int key_col[4];  /* column index, or -1 */
  int key_n[4];    /* range of each key */
  int age_from_col; /* -1 if no age range */
  int ncells;
  signed char *spec; /* specificity that wrote each cell, -1 = unwritten */
  int *line;         /* row line that wrote each cell */
};

typedef void (*fill_fn)(struct params *p, const int *key, int age, const struct csvtab_row *r);

static int filler_cell(const struct filler *f, const int *key, int age)
{
  int c = 0;
  for (int k = 0; k < 4; k++) c = c * f->key_n[k] + (f->key_col[k] >= 0 ? key[k] : 0);
  return c * (f->age_from_col >= 0 ? N_AGES : 1) + (f->age_from_col >= 0 ? age - AGE_MIN : 0);
}

static int cmp_spec_t;
static const struct csvtab *cmp_tab;
static int cmp_rows(const void *a, const void *b)
{
  const struct csvtab_row *x = a, *y = b;
  int sx = csvtab_row_specificity(cmp_tab, x), sy = csvtab_row_specificity(cmp_tab, y);
  if (sx != sy) return sx - sy;
  return x->line - y->line;
}

/** @brief Apply every row of @p t to @p p through @p fn; check duplicates and coverage. */
static int fill_table(struct params *p, const struct csvtab *t, const int key_col[4],
                      const int key_n[4], int age_from_col, int require_all, fill_fn fn,
                      char *err, size_t errlen)
{
  struct filler f = {.t = t, .age_from_col = age_from_col};
  f.ncells = age_from_col >= 0 ? N_AGES : 1;
  for (int k = 0; k < 4; k++) {
    f.key_col[k] = key_col[k];
    f.key_n[k] = key_col[k] >= 0 ? key_n[k] : 1;
    f.ncells *= f.key_n[k];
  }
  f.spec = malloc((size_t)f.ncells);
  f.line = calloc((size_t)f.ncells, sizeof(int));
  memset(f.spec, -1, (size_t)f.ncells);
  struct csvtab_row *rows = malloc(sizeof *rows * (size_t)t->nrows);
  memcpy(rows, t->rows, sizeof *rows * (size_t)t->nrows);
  cmp_tab = t;
  (void)cmp_spec_t;
  qsort(rows, (size_t)t->nrows, sizeof *rows, cmp_rows);
  int rc = -1;
  for (int i = 0; i < t->nrows; i++) {
    const struct csvtab_row *r = &rows[i];
    int spec = csvtab_row_specificity(t, r);
    int lo[4], hi[4];
    for (int k = 0; k < 4; k++) {
      if (key_col[k] < 0) {
        lo[k] = hi[k] = 0;
      } else if ((int)r->v[key_col[k]] == CSVTAB_ALL) {
        lo[k] = 0;
        hi[k] = key_n[k] - 1;
      } else {
        lo[k] = hi[k] = (int)r->v[key_col[k]];
        if (lo[k] >= key_n[k]) {
          snprintf(err, errlen, "%s:%d: %s '%s' is not allowed in this table", t->path, r->line,
                   t->cols[key_col[k]].name, sector_labels[lo[k] < N_SECTORS ? lo[k] : 0]);
          goto out;
        }
      }
    }
    int a0 = AGE_MIN, a1 = AGE_MIN;
    if (age_from_col >= 0) {
      a0 = (int)r->v[age_from_col];
      a1 = (int)r->v[age_from_col + 1];
      if (a1 < a0) {
        snprintf(err, errlen, "%s:%d: age_to %d < age_from %d (expected an increasing range)",
                 t->path, r->line, a1, a0);
        goto out;
      }
    }
    int key[4];
    for (key[0] = lo[0]; key[0] <= hi[0]; key[0]++)
      for (key[1] = lo[1]; key[1] <= hi[1]; key[1]++)
        for (key[2] = lo[2]; key[2] <= hi[2]; key[2]++)
          for (key[3] = lo[3]; key[3] <= hi[3]; key[3]++)
            for (int a = a0; a <= a1; a++) {
              int c = filler_cell(&f, key, a);
              if (f.spec[c] == spec) {
                snprintf(err, errlen,
                         "%s:%d: duplicate cell (line %d already gives it%s%d; expected one row per cell)",
                         t->path, r->line, f.line[c], age_from_col >= 0 ? ", age " : "",
                         age_from_col >= 0 ? a : 0);
                goto out;
              }
              f.spec[c] = (signed char)spec;
              f.line[c] = r->line;
              fn(p, key, a, r);
            }
  }
  if (require_all) {
    for (int c = 0; c < f.ncells; c++) {
      if (f.spec[c] >= 0) continue;
      int rem = c, age = AGE_MIN, key[4] = {0, 0, 0, 0};
      if (age_from_col >= 0) {
        age = AGE_MIN + rem % N_AGES;
        rem /= N_AGES;
      }
      for (int k = 3; k >= 0; k--) {
        key[k] = rem % f.key_n[k];
        rem /= f.key_n[k];
      }
      char what[256] = "";
      for (int k = 0; k < 4; k++) {
        if (key_col[k] < 0) continue;
        char part[64];
        snprintf(part, sizeof part, "%s #%d ", t->cols[key_col[k]].name, key[k]);
        strncat(what, part, sizeof what - strlen(what) - 1);
      }
      if (t->cols[key_col[0]].kind == COL_GROUP)
        snprintf(what, sizeof what, "group %s", group_labels[key[0]]);
      snprintf(err, errlen, "%s: no row covers %s%s%d (expected every cell to be given)", t->path,
               what, age_from_col >= 0 ? " at age " : "", age_from_col >= 0 ? age : 0);
      goto out;
    }
  }
  rc = 0;
out:
  free(rows);
  free(f.spec);
  free(f.line);
  return rc;
}

/* ---- per-table setters ------------------------------------------------- */
#define AI(a) ((a) - AGE_MIN)
static void set_mortality(struct params *p, const int *k, int a, const struct csvtab_row *r)
{
  p->mortality[k[0]][AI(a)] = r->v[3];
}
static void set_emigration(struct params *p, const int *k, int a, const struct csvtab_row *r)
{
  p->emigration[k[0]][AI(a)] = r->v[3];
}
static void set_exit(struct params *p, const int *k, int a, const struct csvtab_row *r)
{
  p->exit_outside[k[0]][AI(a)] = r->v[3];
  p->exit_not_working[k[0]][AI(a)] = r->v[4];
}
static void set_reentry(struct params *p, const int *k, int a, const struct csvtab_row *r)
{
  p->reentry[k[0]][k[1]][AI(a)] = r->v[4];
}
static void set_retirement(struct params *p, const int *k, int a, const struct csvtab_row *r)
{
  p->retirement[k[0]][AI(a)] = r->v[3];
}
static void set_disability(struct params *p, const int *k, int a, const struct csvtab_row *r)
{
  p->disability[k[0]][k[1]][AI(a)] = r->v[4];
}
static void set_pshare_change(struct params *p, const int *k, int a, const struct csvtab_row *r)
{
  p->pshare_up[k[0]][AI(a)] = r->v[3];
  p->pshare_down[k[0]][AI(a)] = r->v[4];
}
static void set_sector_move(struct params *p, const int *k, int a, const struct csvtab_row *r)
{
  (void)a;
  p->sector_move[k[0]][k[1]][k[2]] = r->v[3];
}
static void set_sick(struct params *p, const int *k, int a, const struct csvtab_row *r)
{
  (void)a;
  p->sick_spells[k[0]][k[1]][k[2]][k[3]] = r->v[4];
  p->sick_mean_days[k[0]][k[1]][k[2]][k[3]] = r->v[5];
  p->sick_sd_days[k[0]][k[1]][k[2]][k[3]] = r->v[6];
}
static void set_base_sector(struct params *p, const int *k, int a, const struct csvtab_row *r)
{
  (void)a;
  p->base_sector[k[0]][k[1]] = r->v[2];
}

/** Path helper: "<dir>/<name>" into buf. */
static const char *join(char *buf, size_t n, const char *dir, const char *name)
{
  snprintf(buf, n, "%s/%s", dir, name);
  return buf;
}

/** @brief Load a table, remember its hash for provenance. */
static int load(struct params *p, struct csvtab *t, const char *dir, const char *name,
                const struct csvtab_col *cols, int ncols, char *err, size_t errlen)
{
  char path[512];
  if (csvtab_load(t, join(path, sizeof path, dir, name), cols, ncols, err, errlen) != 0)
    return -1;
  if (p->nfiles < N_DATA_FILES) {
    snprintf(p->file_name[p->nfiles], sizeof p->file_name[0], "%s", name);
    memcpy(p->file_sha256[p->nfiles], t->sha256, 65);
    p->nfiles++;
  }
  return 0;
}

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/** @brief Check that shares summing to one do (per key), naming the first bad key. */
static int check_sum1(const char *path, const char *what, double sum, char *err, size_t errlen)
{
  if (fabs(sum - 1.0) > 1e-4) {
    snprintf(err, errlen, "%s: shares for %s sum to %.6f (expected 1)", path, what, sum);
    return -1;
  }
  return 0;
}

/** @brief position_share.csv: distributions over the ladder by group, sector, age. */
static int load_pshare(struct params *p, const char *dir, char *err, size_t errlen)
{
  static const struct csvtab_col cols[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0}, {"sector", COL_SECTOR, 0, 0, NULL, 0}, AGES,
      {"pshare", COL_INT, 1, 100, NULL, 0}, {"share", COL_PROB, 0, 0, NULL, 0}, SRC};
  struct csvtab t;
  if (load(p, &t, dir, "position_share.csv", cols, NCOLS(cols), err, errlen)) return -1;
  /* Raw shares per (spec level) cell, then pick the most specific level present. */
  static double raw[3][N_GROUPS][N_SECTORS - 1][N_AGES][MAX_PSHARE_LEVELS];
  static int has[3][N_GROUPS][N_SECTORS - 1][N_AGES];
  memset(raw, 0, sizeof raw);
  memset(has, 0, sizeof has);
  int rc = -1;
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    int lvl = -1;
    for (int k = 0; k < MAX_PSHARE_LEVELS; k++)
      if (pshare_ladder[k] == (int)r->v[4]) lvl = k;
    if (lvl < 0) {
      snprintf(err, errlen, "%s:%d: pshare %d is not on the ladder (expected 20, 40, 50, 60, 75, 80, 90 or 100)",
               t.path, r->line, (int)r->v[4]);
      goto out;
    }
    int g = (int)r->v[0], s = (int)r->v[1];
    if (s == SEC_NOT_WORKING) {
      snprintf(err, errlen, "%s:%d: sector not_working has no position share (expected an employed sector or all)",
               t.path, r->line);
      goto out;
    }
    int spec = csvtab_row_specificity(&t, r);
    for (int gg = 0; gg < N_GROUPS; gg++) {
      if (g != CSVTAB_ALL && g != gg) continue;
      for (int ss = 0; ss < N_SECTORS - 1; ss++) {
        if (s != CSVTAB_ALL && s != ss) continue;
        for (int a = (int)r->v[2]; a <= (int)r->v[3]; a++) {
          if (raw[spec][gg][ss][AI(a)][lvl] > 0) {
            snprintf(err, errlen, "%s:%d: duplicate cell (pshare %d at age %d given twice)", t.path,
                     r->line, pshare_ladder[lvl], a);
            goto out;
          }
          raw[spec][gg][ss][AI(a)][lvl] += r->v[5] + 1e-300;
          has[spec][gg][ss][AI(a)] = 1;
        }
      }
    }
  }
  for (int g = 0; g < N_GROUPS; g++)
    for (int s = 0; s < N_SECTORS - 1; s++)
      for (int a = 0; a < N_AGES; a++) {
        int spec = 2;
        while (spec >= 0 && !has[spec][g][s][a]) spec--;
        if (spec < 0) {
          snprintf(err, errlen, "%s: no row covers group %s, sector %s, age %d (expected every cell)",
                   t.path, group_labels[g], sector_labels[s], a + AGE_MIN);
          goto out;
        }
        double sum = 0;
        for (int k = 0; k < MAX_PSHARE_LEVELS; k++) {
          sum += raw[spec][g][s][a][k];
          p->pshare[g][s][a].cum[k] = (float)sum;
        }
        char what[128];
        snprintf(what, sizeof what, "group %s, sector %s, age %d", group_labels[g],
                 sector_labels[s], a + AGE_MIN);
        if (check_sum1(t.path, what, sum, err, errlen)) goto out;
        p->pshare[g][s][a].cum[MAX_PSHARE_LEVELS - 1] = 1.0f;
      }
  rc = 0;
out:
  csvtab_free(&t);
  return rc;
}

/** @brief early_career.csv: multipliers by completed years since entry. */
static int load_early_career(struct params *p, const char *dir, char *err, size_t errlen)
{
  static const struct csvtab_col cols[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0}, {"years_from", COL_INT, 0, 99, NULL, 0},
      {"years_to", COL_INT, 0, 99, NULL, 0}, {"multiplier", COL_RATE, 0, 0, NULL, 0}, SRC};
  struct csvtab t;
  if (load(p, &t, dir, "early_career.csv", cols, NCOLS(cols), err, errlen)) return -1;
  static signed char spec_at[N_GROUPS][N_CAREER_YEARS];
  memset(spec_at, -1, sizeof spec_at);
  for (int g = 0; g < N_GROUPS; g++)
    for (int y = 0; y < N_CAREER_YEARS; y++) p->early_career[g][y] = 1.0;
  int rc = -1;
  for (int pass = 0; pass <= 1; pass++)
    for (int i = 0; i < t.nrows; i++) {
      const struct csvtab_row *r = &t.rows[i];
      int spec = csvtab_row_specificity(&t, r);
      if (spec != pass) continue;
      if (r->v[2] < r->v[1]) {
        snprintf(err, errlen, "%s:%d: years_to < years_from (expected an increasing range)",
                 t.path, r->line);
        goto out;
      }
      for (int g = 0; g < N_GROUPS; g++) {
        if ((int)r->v[0] != CSVTAB_ALL && (int)r->v[0] != g) continue;
        int y1 = (int)r->v[2] < N_CAREER_YEARS - 1 ? (int)r->v[2] : N_CAREER_YEARS - 1;
        for (int y = (int)r->v[1]; y <= y1; y++) {
          if (spec_at[g][y] == spec) {
            snprintf(err, errlen, "%s:%d: duplicate cell (group %s, year %d given twice)", t.path,
                     r->line, group_labels[g], y);
            goto out;
          }
          spec_at[g][y] = (signed char)spec;
          p->early_career[g][y] = r->v[3];
        }
      }
    }
  rc = 0;
out:
  csvtab_free(&t);
  return rc;
}

/** @brief education.csv: intake rows per group, sorted by year_from. */
static int load_education(struct params *p, const char *dir, char *err, size_t errlen)
{
  static const struct csvtab_col cols[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0},     {"year_from", COL_INT, 1900, 2200, NULL, 0},
      {"intake", COL_COUNT, 0, 0, NULL, 0},    {"duration_years", COL_REAL, 0.25, 12, NULL, 0},
      {"completion_share", COL_PROB, 0, 0, NULL, 0}, {"male_share", COL_PROB, 0, 0, NULL, 0},
      {"age_mean", COL_REAL, 16, 60, NULL, 0}, {"age_sd", COL_REAL, 0, 20, NULL, 0}, SRC};
  struct csvtab t;
  if (load(p, &t, dir, "education.csv", cols, NCOLS(cols), err, errlen)) return -1;
  int rc = -1;
  memset(p->n_edu, 0, sizeof p->n_edu);
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    int g = (int)r->v[0];
    if (g == CSVTAB_ALL) {
      snprintf(err, errlen, "%s:%d: group 'all' is not allowed here (expected one programme per row)",
               t.path, r->line);
      goto out;
    }
    for (int k = 0; k < p->n_edu[g]; k++)
      if (p->edu[g][k].year_from == (int)r->v[1]) {
        snprintf(err, errlen, "%s:%d: duplicate cell (group %s, year_from %d given twice)", t.path,
                 r->line, group_labels[g], (int)r->v[1]);
        goto out;
      }
    if (p->n_edu[g] == MAX_EDU_ROWS) {
      snprintf(err, errlen, "%s:%d: too many rows for group %s (expected at most %d)", t.path,
               r->line, group_labels[g], MAX_EDU_ROWS);
      goto out;
    }
    struct edu_row *e = &p->edu[g][p->n_edu[g]++];
    e->year_from = (int)r->v[1];
    e->intake = r->v[2];
    e->duration = r->v[3];
    e->completion = r->v[4];
    e->male_share = r->v[5];
    e->age_mean = r->v[6];
    e->age_sd = r->v[7];
    /* keep sorted by year_from (insertion) */
    for (int k = p->n_edu[g] - 1; k > 0 && p->edu[g][k].year_from < p->edu[g][k - 1].year_from; k--) {
      struct edu_row tmp = p->edu[g][k];
      p->edu[g][k] = p->edu[g][k - 1];
      p->edu[g][k - 1] = tmp;
    }
  }
  rc = 0;
out:
  csvtab_free(&t);
  return rc;
}

/** @brief inflow.csv: immigration, returning graduates from abroad, recruitment. */
static int load_inflow(struct params *p, const char *dir, char *err, size_t errlen)
{
  static const struct csvtab_col cols[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0},
      {"channel", COL_LABEL, 0, 0, channel_labels, 3},
      {"persons_per_year", COL_RATE, 0, 0, NULL, 0}, {"male_share", COL_PROB, 0, 0, NULL, 0},
      {"age_mean", COL_REAL, 16, 70, NULL, 0}, {"age_sd", COL_REAL, 0, 20, NULL, 0}, SRC};
  struct csvtab t;
  if (load(p, &t, dir, "inflow.csv", cols, NCOLS(cols), err, errlen)) return -1;
  static char seen[N_GROUPS][N_INFLOW_CHANNELS];
  memset(seen, 0, sizeof seen);
  memset(p->inflow, 0, sizeof p->inflow);
  int rc = -1;
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    int g = (int)r->v[0], c = (int)r->v[1];
    if (g == CSVTAB_ALL) {
      snprintf(err, errlen, "%s:%d: group 'all' is not allowed here (expected one group per row)",
               t.path, r->line);
      goto out;
    }
    if (seen[g][c]) {
      snprintf(err, errlen, "%s:%d: duplicate cell (group %s, channel %s given twice)", t.path,
               r->line, group_labels[g], channel_labels[c]);
      goto out;
    }
    seen[g][c] = 1;
    p->inflow[g][c] = (struct inflow){r->v[2], r->v[3], r->v[4], r->v[5]};
  }
  rc = 0;
out:
  csvtab_free(&t);
  return rc;
}

/** @brief sick_season.csv: quarterly multipliers on sick-leave incidence. */
static int load_season(struct params *p, const char *dir, char *err, size_t errlen)
{
  static const struct csvtab_col cols[] = {
      {"quarter", COL_INT, 1, 4, NULL, 0}, {"multiplier", COL_RATE, 0, 0, NULL, 0}, SRC};
  struct csvtab t;
  if (load(p, &t, dir, "sick_season.csv", cols, NCOLS(cols), err, errlen)) return -1;
  int seen[4] = {0, 0, 0, 0}, rc = -1;
  for (int i = 0; i < t.nrows; i++) {
    int q = (int)t.rows[i].v[0] - 1;
    if (seen[q]) {
      snprintf(err, errlen, "%s:%d: duplicate cell (quarter %d given twice)", t.path,
               t.rows[i].line, q + 1);
      goto out;
    }
    seen[q] = 1;
    p->sick_season[q] = t.rows[i].v[1];
  }
  for (int q = 0; q < 4; q++)
    if (!seen[q]) {
      snprintf(err, errlen, "%s: no row for quarter %d (expected quarters 1..4)", t.path, q + 1);
      goto out;
    }
  rc = 0;
out:
  csvtab_free(&t);
  return rc;
}

/** @brief Load one table and fill it through the generic filler. */
static int load_fill(struct params *p, const char *dir, const char *name,
                     const struct csvtab_col *cols, int ncols, const int key_col[4],
                     const int key_n[4], int age_col, fill_fn fn, char *err, size_t errlen)
{
  struct csvtab t;
  if (load(p, &t, dir, name, cols, ncols, err, errlen)) return -1;
  int rc = fill_table(p, &t, key_col, key_n, age_col, 1, fn, err, errlen);
  csvtab_free(&t);
  return rc;
}

static int load_demand(struct params *p, const char *dir, char *err, size_t errlen);
static int load_doctors(struct params *p, const char *dir, char *err, size_t errlen);

/** @brief base_sector_55plus.csv (optional): share aged 55+ in a group's sector. */
static int load_sector55(struct params *p, const char *dir, char *err, size_t errlen)
{
  for (int g = 0; g < N_GROUPS; g++)
    for (int s = 0; s < N_SECTORS; s++) p->base_sector55[g][s] = -1;
  char path[512];
  if (access(join(path, sizeof path, dir, "base_sector_55plus.csv"), F_OK) != 0) return 0;
  static const struct csvtab_col cols[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                           {"sector", COL_SECTOR, 0, 0, NULL, 0},
                                           {"share_55plus", COL_PROB, 0, 0, NULL, 0}, SRC};
  struct csvtab t;
  if (load(p, &t, dir, "base_sector_55plus.csv", cols, NCOLS(cols), err, errlen)) return -1;
  int rc = -1;
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    int g = (int)r->v[0], s = (int)r->v[1];
    if (g == CSVTAB_ALL || s == CSVTAB_ALL) {
      snprintf(err, errlen, "%s:%d: 'all' is not allowed here (expected one group and one sector per row)",
               t.path, r->line);
      goto out;
    }
    if (p->base_sector55[g][s] >= 0) {
      snprintf(err, errlen, "%s:%d: duplicate cell (%s, %s given twice)", t.path, r->line,
               group_labels[g], sector_labels[s]);
      goto out;
    }
    p->base_sector55[g][s] = r->v[2];
  }
  rc = 0;
out:
  csvtab_free(&t);
  return rc;
}

const char *const mult_proc_labels[N_MULT_PROCS] = {"exit", "reentry", "move", "retirement",
                                                    "disability", "sick_leave", "pshare_down"};

/** @brief fitted.csv (optional): hazard multipliers by process, group and age band. */
static int load_fitted(struct params *p, const char *dir, char *err, size_t errlen)
{
  for (int k = 0; k < N_MULT_PROCS; k++)
    for (int g = 0; g < N_GROUPS; g++)
      for (int b = 0; b < N_AGE_BANDS; b++) p->mult[k][g][b] = 1.0;
  p->has_fitted = 0;
  char path[512];
  if (access(join(path, sizeof path, dir, "fitted.csv"), F_OK) != 0) return 0;
  static const struct csvtab_col cols[] = {
      {"process", COL_LABEL, 0, 0, mult_proc_labels, N_MULT_PROCS},
      {"group", COL_GROUP, 0, 0, NULL, 0},
      {"age_band", COL_LABEL, 0, 0, age_band_labels, N_AGE_BANDS},
      {"multiplier", COL_REAL, 0, 100, NULL, 0}, SRC};
  struct csvtab t;
  if (load(p, &t, dir, "fitted.csv", cols, NCOLS(cols), err, errlen)) return -1;
  static signed char spec_at[N_MULT_PROCS][N_GROUPS][N_AGE_BANDS];
  memset(spec_at, -1, sizeof spec_at);
  int rc = -1;
  for (int pass = 0; pass <= 1; pass++)
    for (int i = 0; i < t.nrows; i++) {
      const struct csvtab_row *r = &t.rows[i];
      int spec = csvtab_row_specificity(&t, r);
      if (spec != pass) continue;
      int k = (int)r->v[0], g0 = (int)r->v[1], b = (int)r->v[2];
      for (int g = 0; g < N_GROUPS; g++) {
        if (g0 != CSVTAB_ALL && g0 != g) continue;
        if (spec_at[k][g][b] == spec) {
          snprintf(err, errlen, "%s:%d: duplicate cell (%s, %s, %s given twice)", t.path, r->line,
                   mult_proc_labels[k], group_labels[g], age_band_labels[b]);
          goto out;
        }
        spec_at[k][g][b] = (signed char)spec;
        p->mult[k][g][b] = r->v[3];
      }
    }
  p->has_fitted = 1;
  rc = 0;
out:
  csvtab_free(&t);
  return rc;
}

int params_load(struct params *p, const char *dir, char *err, size_t errlen)
{
  memset(p, 0, sizeof *p);
  static const struct csvtab_col c_age[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0}, {"sex", COL_SEX, 0, 0, NULL, 0},
      {"age", COL_INT, 18, AGE_MAX, NULL, 0}, {"persons", COL_COUNT, 0, 0, NULL, 0}, SRC};
  static const struct csvtab_col c_sector[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0}, {"sector", COL_SECTOR, 0, 0, NULL, 0},
      {"share", COL_PROB, 0, 0, NULL, 0}, SRC};
  static const struct csvtab_col c_mort[] = {
      {"sex", COL_SEX, 0, 0, NULL, 0}, AGES, {"rate", COL_RATE, 0, 0, NULL, 0}, SRC};
  static const struct csvtab_col c_emig[] = {
      {"origin", COL_LABEL, 0, 0, origin_labels, 2}, AGES, {"rate", COL_RATE, 0, 0, NULL, 0}, SRC};
  static const struct csvtab_col c_exit[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0}, AGES, {"rate_outside", COL_RATE, 0, 0, NULL, 0},
      {"rate_not_working", COL_RATE, 0, 0, NULL, 0}, SRC};
  static const struct csvtab_col c_reentry[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0}, {"from_sector", COL_LABEL, 0, 0, from_labels, 2},
      AGES, {"rate", COL_RATE, 0, 0, NULL, 0}, SRC};
  static const struct csvtab_col c_move[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0}, {"from_sector", COL_HSECTOR, 0, 0, NULL, 0},
      {"to_sector", COL_HSECTOR, 0, 0, NULL, 0}, {"rate", COL_RATE, 0, 0, NULL, 0}, SRC};
  static const struct csvtab_col c_ret[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0}, AGES, {"rate", COL_RATE, 0, 0, NULL, 0}, SRC};
  static const struct csvtab_col c_dis[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0}, {"sex", COL_SEX, 0, 0, NULL, 0}, AGES,
      {"rate", COL_RATE, 0, 0, NULL, 0}, SRC};
  static const struct csvtab_col c_pch[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0}, AGES, {"rate_up", COL_RATE, 0, 0, NULL, 0},
      {"rate_down", COL_RATE, 0, 0, NULL, 0}, SRC};
  static const struct csvtab_col c_sick[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0}, {"sex", COL_SEX, 0, 0, NULL, 0},
      {"sector", COL_HSECTOR, 0, 0, NULL, 0}, {"type", COL_LABEL, 0, 0, type_labels, 2},
      {"spells_per_year", COL_RATE, 0, 0, NULL, 0}, {"mean_days", COL_REAL, 0.1, 365, NULL, 0},
      {"sd_days", COL_REAL, 0, 1000, NULL, 0}, SRC};

  const int k_g[4] = {0, -1, -1, -1}, n_g[4] = {N_GROUPS, 0, 0, 0};
  const int k_s[4] = {0, -1, -1, -1}, n_s[4] = {N_SEXES, 0, 0, 0};
  const int k_o[4] = {0, -1, -1, -1}, n_o[4] = {2, 0, 0, 0};
  const int k_gs[4] = {0, 1, -1, -1}, n_gs[4] = {N_GROUPS, N_SEXES, 0, 0};
  const int k_gsec[4] = {0, 1, -1, -1}, n_gsec[4] = {N_GROUPS, N_SECTORS, 0, 0};
  const int k_gf[4] = {0, 1, -1, -1}, n_gf[4] = {N_GROUPS, 2, 0, 0};
  const int k_mv[4] = {0, 1, 2, -1}, n_mv[4] = {N_GROUPS, N_HSECTORS, N_HSECTORS, 0};
  const int k_sk[4] = {0, 1, 2, 3}, n_sk[4] = {N_GROUPS, N_SEXES, N_HSECTORS, N_SICK_TYPES};

  /* base_age: ages 18..74 only; the filler works on 15..74, so fill without coverage. */
  {
    struct csvtab t;
    if (load(p, &t, dir, "base_age.csv", c_age, NCOLS(c_age), err, errlen)) return -1;
    for (int i = 0; i < t.nrows; i++) {
      const struct csvtab_row *r = &t.rows[i];
      if (r->v[0] == CSVTAB_ALL || r->v[1] == CSVTAB_ALL) {
        snprintf(err, errlen, "%s:%d: 'all' is not allowed in a count table (expected one cell per row)",
                 t.path, r->line);
        csvtab_free(&t);
        return -1;
      }
      int g = (int)r->v[0], s = (int)r->v[1], a = (int)r->v[2];
      if (p->base_persons[g][s][AI(a)] != 0) {
        snprintf(err, errlen, "%s:%d: duplicate cell (%s, %s, age %d given twice)", t.path, r->line,
                 group_labels[g], sex_labels[s], a);
        csvtab_free(&t);
        return -1;
      }
      p->base_persons[g][s][AI(a)] = (int32_t)r->v[3] + 0;
      if (r->v[3] == 0) p->base_persons[g][s][AI(a)] = 0;
    }
    csvtab_free(&t);
  }
  if (load_fill(p, dir, "base_sector.csv", c_sector, NCOLS(c_sector), k_gsec, n_gsec, -1,
                set_base_sector, err, errlen))
    return -1;
  for (int g = 0; g < N_GROUPS; g++) {
    double sum = 0;
    for (int s = 0; s < N_SECTORS; s++) sum += p->base_sector[g][s];
    if (check_sum1("base_sector.csv", group_labels[g], sum, err, errlen)) return -1;
  }
  if (load_sector55(p, dir, err, errlen)) return -1;
  if (load_pshare(p, dir, err, errlen)) return -1;
  if (load_fill(p, dir, "pshare_change.csv", c_pch, NCOLS(c_pch), k_g, n_g, 1, set_pshare_change,
                err, errlen))
    return -1;
  if (load_fill(p, dir, "mortality.csv", c_mort, NCOLS(c_mort), k_s, n_s, 1, set_mortality, err,
                errlen))
    return -1;
  if (load_fill(p, dir, "emigration.csv", c_emig, NCOLS(c_emig), k_o, n_o, 1, set_emigration, err,
                errlen))
    return -1;
  if (load_fill(p, dir, "exit.csv", c_exit, NCOLS(c_exit), k_g, n_g, 1, set_exit, err, errlen))
    return -1;
  if (load_early_career(p, dir, err, errlen)) return -1;
  if (load_fill(p, dir, "reentry.csv", c_reentry, NCOLS(c_reentry), k_gf, n_gf, 2, set_reentry,
                err, errlen))
    return -1;
  {
    struct csvtab t;
    if (load(p, &t, dir, "sector_move.csv", c_move, NCOLS(c_move), err, errlen)) return -1;
    int rc = fill_table(p, &t, k_mv, n_mv, -1, 0, set_sector_move, err, errlen);
    for (int i = 0; rc == 0 && i < t.nrows; i++)
      if (t.rows[i].v[1] == t.rows[i].v[2] && t.rows[i].v[1] != CSVTAB_ALL) {
        snprintf(err, errlen, "%s:%d: from_sector equals to_sector (expected a move between two sectors)",
                 t.path, t.rows[i].line);
        rc = -1;
      }
    csvtab_free(&t);
    if (rc) return -1;
    for (int g = 0; g < N_GROUPS; g++)
      for (int s = 0; s < N_HSECTORS; s++) p->sector_move[g][s][s] = 0;
  }
  if (load_fill(p, dir, "retirement.csv", c_ret, NCOLS(c_ret), k_g, n_g, 1, set_retirement, err,
                errlen))
    return -1;
  if (load_fill(p, dir, "disability.csv", c_dis, NCOLS(c_dis), k_gs, n_gs, 2, set_disability, err,
                errlen))
    return -1;
  if (load_fill(p, dir, "sick_leave.csv", c_sick, NCOLS(c_sick), k_sk, n_sk, -1, set_sick, err,
                errlen))
    return -1;
  if (load_season(p, dir, err, errlen)) return -1;
  if (load_education(p, dir, err, errlen)) return -1;
  if (load_inflow(p, dir, err, errlen)) return -1;
  if (load_demand(p, dir, err, errlen)) return -1;
  if (load_fitted(p, dir, err, errlen)) return -1;
  if (load_doctors(p, dir, err, errlen)) return -1;
  return 0;
}

/* The two years of HELSEMOD's demand projection in demand.csv (NOU 2023:4 Table 2.5;
 * docs/parameters.md, demand.csv): the base year, 2019, and 2040. */
#define DEMAND_YEAR0 2019
#define DEMAND_YEAR1 2040

/** @brief demand.csv: Table 2.5's 2019 and 2040 demand by alternative and group. */
static int load_demand(struct params *p, const char *dir, char *err, size_t errlen)
{
  static const char *const alt_labels[] = {"low", "middle", "high"};
  /* Demand is exogenous and optional: a data set without demand.csv simply
   * has no demand and no gap. */
  char path[512];
  if (access(join(path, sizeof path, dir, "demand.csv"), F_OK) != 0) {
    memset(p->has_demand, 0, sizeof p->has_demand);
    return 0;
  }
  static const struct csvtab_col cols[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0}, {"alternative", COL_LABEL, 0, 0, alt_labels, 3},
      {"year", COL_INT, DEMAND_YEAR0, DEMAND_YEAR1, NULL, 0}, {"fte", COL_RATE, 0, 0, NULL, 0}, SRC};
  struct csvtab t;
  if (load(p, &t, dir, "demand.csv", cols, NCOLS(cols), err, errlen)) return -1;
  static char seen[N_DEMAND_ALTS_P][N_GROUPS][2];
  memset(seen, 0, sizeof seen);
  int rc = -1;
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    int g = (int)r->v[0], alt = (int)r->v[1], y = (int)r->v[2];
    if (g == CSVTAB_ALL || (y != DEMAND_YEAR0 && y != DEMAND_YEAR1)) {
      snprintf(err, errlen, "%s:%d: expected one group and year %d or %d per row", t.path, r->line,
               DEMAND_YEAR0, DEMAND_YEAR1);
      goto out;
    }
    int k = y == DEMAND_YEAR0 ? 0 : 1;
    if (seen[alt][g][k]) {
      snprintf(err, errlen, "%s:%d: duplicate cell (%s, %s, %d given twice)", t.path, r->line,
               group_labels[g], alt_labels[alt], y);
      goto out;
    }
    seen[alt][g][k] = 1;
    p->demand[alt][g][k] = r->v[3];
  }
  for (int g = 0; g < N_GROUPS; g++) {
    int n = 0;
    for (int a = 0; a < N_DEMAND_ALTS_P; a++) n += seen[a][g][0] + seen[a][g][1];
    if (n != 0 && n != 2 * N_DEMAND_ALTS_P) {
      snprintf(err, errlen, "%s: group %s has %d of the 6 cells (expected %d and %d for low, middle and high, or none)",
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
  double d = d0 * pow(d1 / d0, (year - DEMAND_YEAR0) / (double)(DEMAND_YEAR1 - DEMAND_YEAR0));
  return d * pow(1.005 / (1.0 + productivity), year - DEMAND_YEAR0);
}

const struct edu_row *params_edu_row(const struct params *p, int g, int year)
{
  const struct edu_row *best = NULL;
  for (int k = 0; k < p->n_edu[g]; k++)
    if (p->edu[g][k].year_from <= year) best = &p->edu[g][k];
  return best;
}

double pshare_dist_mean(const struct pshare_dist *d)
{
  double m = 0, prev = 0;
  for (int k = 0; k < MAX_PSHARE_LEVELS; k++) {
    m += (d->cum[k] - prev) * pshare_ladder[k];
    prev = d->cum[k];
  }
  return m;
}

double params_year_interp(const int *years, const double *v, int n, int year)
{
  if (n <= 0) return 0;
  if (year <= years[0]) return v[0];
  for (int k = 1; k < n; k++)
    if (year <= years[k])
      return v[k - 1] + (v[k] - v[k - 1]) * (double)(year - years[k - 1]) / (double)(years[k] - years[k - 1]);
  return v[n - 1];
}

/** The scalar parameters of doctors.csv, in struct doctor_params order. */
enum doc_key {
  DK_LIS1_HOSP, DK_LIS1_MUNI, DK_ROUND_SPRING, DK_ROUND_AUTUMN,
  DK_MIN_GP, DK_MIN_PSY, DK_MIN_BUP, DK_MIN_OTHER,
  DK_DELAY_GP, DK_DELAY_PSY, DK_DELAY_BUP, DK_DELAY_OTHER,
  DK_CHOICE_NONE, DK_CHOICE_GP, DK_CHOICE_PSY, DK_CHOICE_BUP,
  DK_OTHER_OUTSIDE_HF, DK_WAIT_GIVEUP, DK_IMM_SPECIALIST,
  DK_GP_HOURS, DK_GP_HOURS_SIGMA, DK_GP_QUIT, DK_GP_ELASTICITY, DK_LIST_NORM, DK_VACANT_INHAB,
  DK_VACANCY_FILL, N_DOC_KEYS
};
static const char *const doc_key_labels[N_DOC_KEYS] = {
    "lis1_hospital_years", "lis1_municipal_years", "lis1_round_spring", "lis1_round_autumn",
    "min_years_general_practice", "min_years_psychiatry", "min_years_child_psychiatry",
    "min_years_other_specialty",
    "delay_mean_general_practice", "delay_mean_psychiatry", "delay_mean_child_psychiatry",
    "delay_mean_other_specialty",
    "choice_none", "choice_general_practice", "choice_psychiatry", "choice_child_psychiatry",
    "other_specialty_outside_hospitals", "lis1_wait_giveup_rate", "immigrant_specialist_share",
    "gp_hours", "gp_hours_log_sd", "gp_quit_rate", "gp_workload_elasticity", "list_norm",
    "inhabitants_per_vacant_list", "vacancy_fill_share"};

/**
 * @brief Read a table of strictly increasing years and one or two value
 *        columns (@p vname2 NULL: one) into years[], v[] and v2[].
 */
static int load_year_table(struct params *p, const char *dir, const char *name, const char *vname,
                           const char *vname2, int *years, double *v, double *v2, int *n,
                           char *err, size_t errlen)
{
  /* year, value(s), then source and note */
  const struct csvtab_col src[] = {SRC};
  struct csvtab_col cols[5] = {{"year", COL_INT, 1990, 2100, NULL, 0},
                               {vname, COL_RATE, 0, 0, NULL, 0},
                               {vname2, COL_RATE, 0, 0, NULL, 0}};
  const int nv = vname2 ? 3 : 2;
  cols[nv] = src[0];
  cols[nv + 1] = src[1];
  struct csvtab t;
  if (load(p, &t, dir, name, cols, nv + 2, err, errlen)) return -1;
  int rc = 0;
  if (t.nrows < 1 || t.nrows > MAX_DOC_YEARS) {
    snprintf(err, errlen, "%s: %d rows (expected 1..%d years)", t.path, t.nrows, MAX_DOC_YEARS);
    rc = -1;
  }
  for (int i = 0; rc == 0 && i < t.nrows; i++) {
    years[i] = (int)t.rows[i].v[0];
    v[i] = t.rows[i].v[1];
    if (vname2) v2[i] = t.rows[i].v[2];
    if (i > 0 && years[i] <= years[i - 1]) {
      snprintf(err, errlen, "%s:%d: year %d does not follow %d (expected increasing years)", t.path,
               t.rows[i].line, years[i], years[i - 1]);
      rc = -1;
    }
  }
  *n = rc == 0 ? t.nrows : 0;
  csvtab_free(&t);
  return rc;
}

/**
 * @brief doctors.csv, lis1_posts.csv, gp_lists.csv and doctor_base.csv: the
 *        physicians' career track.  Optional as a set: without doctors.csv the
 *        track is off (physicians are then a plain group); with it, all four
 *        are required and every parameter must be given once.
 */
static int load_doctors(struct params *p, const char *dir, char *err, size_t errlen)
{
  struct doctor_params *d = &p->doc;
  memset(d, 0, sizeof *d);
  char path[512];
  if (access(join(path, sizeof path, dir, "doctors.csv"), F_OK) != 0) return 0;
  const struct csvtab_col cols[] = {{"parameter", COL_LABEL, 0, 0, doc_key_labels, N_DOC_KEYS},
                                    {"value", COL_REAL, 0, 100000, NULL, 0}, SRC};
  struct csvtab t;
  if (load(p, &t, dir, "doctors.csv", cols, NCOLS(cols), err, errlen)) return -1;
  double v[N_DOC_KEYS];
  int seen[N_DOC_KEYS] = {0};
  int rc = 0;
  for (int i = 0; rc == 0 && i < t.nrows; i++) {
    int k = (int)t.rows[i].v[0];
    if (seen[k]) {
      snprintf(err, errlen, "%s:%d: parameter %s given twice", t.path, t.rows[i].line, doc_key_labels[k]);
      rc = -1;
    }
    seen[k] = 1;
    v[k] = t.rows[i].v[1];
  }
  for (int k = 0; rc == 0 && k < N_DOC_KEYS; k++)
    if (!seen[k]) {
      snprintf(err, errlen, "%s: parameter %s is missing (expected one row per parameter)", t.path,
               doc_key_labels[k]);
      rc = -1;
    }
  if (rc == 0) {
    double cs = v[DK_CHOICE_NONE] + v[DK_CHOICE_GP] + v[DK_CHOICE_PSY] + v[DK_CHOICE_BUP];
    const int shares[] = {DK_CHOICE_NONE, DK_CHOICE_GP, DK_CHOICE_PSY, DK_CHOICE_BUP,
                          DK_OTHER_OUTSIDE_HF, DK_IMM_SPECIALIST, DK_VACANCY_FILL};
    for (size_t j = 0; rc == 0 && j < sizeof shares / sizeof shares[0]; j++)
      if (v[shares[j]] > 1) {
        snprintf(err, errlen, "%s: %s = %g (expected a share in [0, 1])", t.path,
                 doc_key_labels[shares[j]], v[shares[j]]);
        rc = -1;
      }
    if (rc == 0 && cs > 1 + 1e-9) {
      snprintf(err, errlen, "%s: the choice_* shares sum to %g (expected at most 1: other_specialty takes the rest)",
               t.path, cs);
      rc = -1;
    }
    if (rc == 0 && (v[DK_LIS1_HOSP] <= 0 || v[DK_LIS1_MUNI] < 0 || v[DK_ROUND_SPRING] >= 1 ||
                    v[DK_ROUND_AUTUMN] >= 1 || v[DK_ROUND_AUTUMN] <= v[DK_ROUND_SPRING] ||
                    v[DK_GP_HOURS] <= 0 || v[DK_LIST_NORM] <= 0)) {
      snprintf(err, errlen, "%s: expected lis1_hospital_years > 0, 0 <= lis1_round_spring < lis1_round_autumn < 1, gp_hours > 0 and list_norm > 0",
               t.path);
      rc = -1;
    }
  }
  csvtab_free(&t);
  if (rc) return -1;
  d->lis1_hospital_years = v[DK_LIS1_HOSP];
  d->lis1_municipal_years = v[DK_LIS1_MUNI];
  d->round_spring = v[DK_ROUND_SPRING];
  d->round_autumn = v[DK_ROUND_AUTUMN];
  for (int f = SP_GENERAL_PRACTICE; f <= SP_OTHER; f++) {
    d->min_years[f] = v[DK_MIN_GP + f - SP_GENERAL_PRACTICE];
    d->delay_mean[f] = v[DK_DELAY_GP + f - SP_GENERAL_PRACTICE];
  }
  d->choice[SP_NONE] = v[DK_CHOICE_NONE];
  d->choice[SP_GENERAL_PRACTICE] = v[DK_CHOICE_GP];
  d->choice[SP_PSYCHIATRY] = v[DK_CHOICE_PSY];
  d->choice[SP_CHILD_PSYCHIATRY] = v[DK_CHOICE_BUP];
  d->choice[SP_OTHER] = 1.0 - d->choice[SP_NONE] - d->choice[SP_GENERAL_PRACTICE] -
                        d->choice[SP_PSYCHIATRY] - d->choice[SP_CHILD_PSYCHIATRY];
  if (d->choice[SP_OTHER] < 0) d->choice[SP_OTHER] = 0;
  d->other_outside_hf = v[DK_OTHER_OUTSIDE_HF];
  d->wait_giveup = v[DK_WAIT_GIVEUP];
  d->imm_specialist = v[DK_IMM_SPECIALIST];
  d->gp_hours = v[DK_GP_HOURS];
  d->gp_hours_sigma = v[DK_GP_HOURS_SIGMA];
  d->gp_quit = v[DK_GP_QUIT];
  d->gp_elasticity = v[DK_GP_ELASTICITY];
  d->list_norm = v[DK_LIST_NORM];
  d->vacant_list_inhabitants = v[DK_VACANT_INHAB];
  d->vacancy_fill = v[DK_VACANCY_FILL];
  if (load_year_table(p, dir, "lis1_posts.csv", "posts", NULL, d->post_year, d->posts, NULL,
                      &d->n_posts, err, errlen) ||
      load_year_table(p, dir, "gp_lists.csv", "lists", "inhabitants", d->list_year, d->lists,
                      d->listed, &d->n_lists, err, errlen))
    return -1;
  static const char *const yesno[] = {"no", "yes"};
  const struct csvtab_col bcols[] = {
      {"stage", COL_LABEL, 0, 0, career_stage_labels, N_OUT_STAGES},
      {"specialty", COL_LABEL, 0, 0, specialty_labels, N_SPECIALTIES},
      {"sector", COL_LABEL, 0, 0, sector_labels, N_SECTORS},
      {"age_from", COL_INT, AGE_MIN, AGE_MAX, NULL, 0},
      {"age_to", COL_INT, AGE_MIN, AGE_MAX, NULL, 0},
      {"persons", COL_COUNT, 0, 0, NULL, 0},
      {"gp", COL_LABEL, 0, 0, yesno, 2}, SRC};
  if (load(p, &t, dir, "doctor_base.csv", bcols, NCOLS(bcols), err, errlen)) return -1;
  for (int i = 0; rc == 0 && i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    struct doctor_base_row b = {r->line, (int)r->v[0] + 1, (int)r->v[1], (int)r->v[2],
                                (int)r->v[3], (int)r->v[4], (int)r->v[6], r->v[5]};
    if (i >= MAX_DOC_BASE) {
      snprintf(err, errlen, "%s:%d: too many rows (expected at most %d)", t.path, r->line, MAX_DOC_BASE);
      rc = -1;
    } else if (b.age_to < b.age_from) {
      snprintf(err, errlen, "%s:%d: age_to %d < age_from %d", t.path, r->line, b.age_to, b.age_from);
      rc = -1;
    } else if (b.stage == CS_STUDENT) {
      snprintf(err, errlen, "%s:%d: stage student is not a base stock row (students come from education.csv)",
               t.path, r->line);
      rc = -1;
    } else if ((b.stage == CS_LIS || b.stage == CS_SPECIALIST) != (b.specialty != SP_NONE)) {
      snprintf(err, errlen, "%s:%d: specialty %s with stage %s (expected a specialty exactly for lis and specialist)",
               t.path, r->line, specialty_labels[b.specialty], career_stage_labels[b.stage - 1]);
      rc = -1;
    } else if (b.gp && b.sector != SEC_MUNICIPAL) {
      snprintf(err, errlen, "%s:%d: a GP (gp = yes) works in the municipal sector", t.path, r->line);
      rc = -1;
    } else {
      d->base[d->n_base++] = b;
    }
  }
  csvtab_free(&t);
  if (rc) return -1;
  d->on = 1;
  return 0;
}
