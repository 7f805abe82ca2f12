/**
 * @file params.c
 * @brief Load the calibration tables (long CSV, see calibration/norway/README.md)
 *        into the dense arrays of struct params, checking coverage and duplicates.
 */
#include "params.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "csvtab.h"
#include "hash.h"
#include "params_load.h"

const uint8_t pshare_ladder[MAX_PSHARE_LEVELS] = {20, 40, 50, 60, 75, 80, 90, 100};

static const char *const type_labels[] = {"self_certified", "doctor_certified"};
static const char *const origin_labels[] = {"norway", "abroad"};
static const char *const from_labels[] = {"outside", "not_working"};
static const char *const channel_labels[] = {"immigration", "abroad_graduation", "recruitment"};

/**
 * Generic cell filler.  A table's rows address cells through up to four
 * "key" columns (each expanding `all` to its full range) and an optional age
 * range.  Rows are applied in order of increasing specificity, so explicit
 * rows override `all` rows; two rows of equal specificity hitting the same
 * cell are a duplicate.  Cells no row reaches are a coverage error.
 */
struct filler {
  const struct csvtab *t;
  int key_col[4];   /* column index, or -1 */
  int key_n[4];     /* range of each key */
  int age_from_col; /* -1 if no age range */
  int ncells;
  signed char *spec; /* specificity that wrote each cell, -1 = unwritten */
  int *line;         /* row line that wrote each cell */
};

typedef void (*fill_fn)(struct params *p, const int *key, int age, const struct csvtab_row *r);

static int filler_cell(const struct filler *f, const int *key, int age)
{
  int c = 0;
  for (int k = 0; k < 4; k++)
    c = c * f->key_n[k] + (f->key_col[k] >= 0 ? key[k] : 0);
  return c * (f->age_from_col >= 0 ? N_AGES : 1) + (f->age_from_col >= 0 ? age - AGE_MIN : 0);
}

static const struct csvtab *cmp_tab; /* the table whose rows qsort is ordering */
static int cmp_rows(const void *a, const void *b)
{
  const struct csvtab_row *x = a, *y = b;
  int sx = csvtab_row_specificity(cmp_tab, x), sy = csvtab_row_specificity(cmp_tab, y);
  if (sx != sy) return sx - sy;
  return x->line - y->line;
}

/**
 * @brief Set up @p f for table @p t: key ranges (1 for unused keys) and the unwritten cells.
 * @return 0, or -1 if out of memory (the reason in err; free f->spec and f->line either way).
 */
static int filler_init(struct filler *f, const struct csvtab *t, const int key_col[4],
                       const int key_n[4], int age_from_col, char *err, size_t errlen)
{
  *f = (struct filler){.t = t, .age_from_col = age_from_col};
  f->ncells = age_from_col >= 0 ? N_AGES : 1;
  for (int k = 0; k < 4; k++) {
    f->key_col[k] = key_col[k];
    f->key_n[k] = key_col[k] >= 0 ? key_n[k] : 1;
    f->ncells *= f->key_n[k];
  }
  f->spec = hw_alloc((size_t)f->ncells, 1, "a table's cells", err, errlen);
  f->line =
      f->spec ? hw_alloc((size_t)f->ncells, sizeof(int), "a table's cells", err, errlen) : NULL;
  if (!f->line) return -1;
  memset(f->spec, -1, (size_t)f->ncells);
  return 0;
}

/** @brief The key ranges lo..hi and ages a[0]..a[1] row @p r covers; -1 with a reason in err. */
static int filler_row_range(const struct filler *f, const struct csvtab_row *r, int lo[4],
                            int hi[4], int a[2], char *err, size_t errlen)
{
  const struct csvtab *t = f->t;
  for (int k = 0; k < 4; k++) {
    if (f->key_col[k] < 0) {
      lo[k] = hi[k] = 0;
    } else if ((int)r->v[f->key_col[k]] == CSVTAB_ALL) {
      lo[k] = 0;
      hi[k] = f->key_n[k] - 1;
    } else {
      lo[k] = hi[k] = (int)r->v[f->key_col[k]];
      if (lo[k] >= f->key_n[k]) {
        snprintf(err, errlen, "%s:%d: %s '%s' is not allowed in this table", t->path, r->line,
                 t->cols[f->key_col[k]].name, sector_labels[lo[k] < N_SECTORS ? lo[k] : 0]);
        return -1;
      }
    }
  }
  a[0] = a[1] = AGE_MIN;
  if (f->age_from_col >= 0) {
    a[0] = (int)r->v[f->age_from_col];
    a[1] = (int)r->v[f->age_from_col + 1];
    if (a[1] < a[0]) {
      snprintf(err, errlen, "%s:%d: age_to %d < age_from %d (expected an increasing range)",
               t->path, r->line, a[1], a[0]);
      return -1;
    }
  }
  return 0;
}

/** @brief Write row @p r (specificity @p spec) into every cell it covers through @p fn. */
static int filler_apply_row(struct filler *f, struct params *p, const struct csvtab_row *r,
                            fill_fn fn, char *err, size_t errlen)
{
  int lo[4], hi[4], a[2], key[4];
  if (filler_row_range(f, r, lo, hi, a, err, errlen)) return -1;
  int spec = csvtab_row_specificity(f->t, r);
  for (key[0] = lo[0]; key[0] <= hi[0]; key[0]++)
    for (key[1] = lo[1]; key[1] <= hi[1]; key[1]++)
      for (key[2] = lo[2]; key[2] <= hi[2]; key[2]++)
        for (key[3] = lo[3]; key[3] <= hi[3]; key[3]++)
          for (int age = a[0]; age <= a[1]; age++) {
            int c = filler_cell(f, key, age);
            if (f->spec[c] == spec) {
              char at[32] = "";
              if (f->age_from_col >= 0) snprintf(at, sizeof at, ", age %d", age);
              snprintf(err, errlen,
                       "%s:%d: duplicate cell (line %d already gives it%s; expected one row per "
                       "cell)",
                       f->t->path, r->line, f->line[c], at);
              return -1;
            }
            f->spec[c] = (signed char)spec;
            f->line[c] = r->line;
            fn(p, key, age, r);
          }
  return 0;
}

/** @brief The label of index @p i in a key column (a number where the column has no labels). */
static void key_label(const struct csvtab_col *c, int i, char *buf, size_t n)
{
  const char *l = c->kind == COL_GROUP                              ? group_labels[i]
                  : c->kind == COL_SEX                              ? sex_labels[i]
                  : c->kind == COL_SECTOR || c->kind == COL_HSECTOR ? sector_labels[i]
                  : c->kind == COL_LABEL                            ? c->labels[i]
                                                                    : NULL;
  if (l)
    snprintf(buf, n, "%s %s", c->name, l);
  else
    snprintf(buf, n, "%s #%d", c->name, i);
}

/** @brief The first cell no row wrote, as a coverage error; 0 when every cell is given. */
static int filler_uncovered(const struct filler *f, char *err, size_t errlen)
{
  const struct csvtab *t = f->t;
  for (int c = 0; c < f->ncells; c++) {
    if (f->spec[c] >= 0) continue;
    int rem = c, age = AGE_MIN, key[4] = {0, 0, 0, 0};
    if (f->age_from_col >= 0) {
      age = AGE_MIN + rem % N_AGES;
      rem /= N_AGES;
    }
    for (int k = 3; k >= 0; k--) {
      key[k] = rem % f->key_n[k];
      rem /= f->key_n[k];
    }
    char what[256] = "";
    for (int k = 0; k < 4; k++) {
      if (f->key_col[k] < 0) continue;
      char part[96];
      key_label(&t->cols[f->key_col[k]], key[k], part, sizeof part);
      size_t used = strlen(what);
      snprintf(what + used, sizeof what - used, "%s%s", used ? ", " : "", part);
    }
    char at[32] = "";
    if (f->age_from_col >= 0) snprintf(at, sizeof at, " at age %d", age);
    snprintf(err, errlen, "%s: no row covers %s%s (expected every cell to be given)", t->path, what,
             at);
    return -1;
  }
  return 0;
}

/** @brief Apply every row of @p t to @p p through @p fn; check duplicates and coverage. */
static int fill_table(struct params *p, const struct csvtab *t, const int key_col[4],
                      const int key_n[4], int age_from_col, int require_all, fill_fn fn, char *err,
                      size_t errlen)
{
  struct filler f;
  struct csvtab_row *rows = NULL;
  int rc = filler_init(&f, t, key_col, key_n, age_from_col, err, errlen);
  /* explicit rows after `all` rows (then in file order), so they override them */
  if (rc == 0 &&
      !(rows = hw_alloc((size_t)t->nrows, sizeof *rows, "a table's sorted rows", err, errlen)))
    rc = -1;
  if (rc == 0) {
    memcpy(rows, t->rows, sizeof *rows * (size_t)t->nrows);
    cmp_tab = t;
    qsort(rows, (size_t)t->nrows, sizeof *rows, cmp_rows);
  }
  for (int i = 0; rc == 0 && i < t->nrows; i++)
    rc = filler_apply_row(&f, p, &rows[i], fn, err, errlen);
  if (rc == 0 && require_all) rc = filler_uncovered(&f, err, errlen);
  free(rows);
  free(f.spec);
  free(f.line);
  return rc;
}

/* ---- per-table setters ------------------------------------------------- */
#define AI(a) ((a)-AGE_MIN)
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

const char *params_path(char *buf, size_t n, const char *dir, const char *name)
{
  snprintf(buf, n, "%s/%s", dir, name);
  return buf;
}

int params_table_load(struct params *p, struct csvtab *t, const char *dir, const char *name,
                      const struct csvtab_col *cols, int ncols, char *err, size_t errlen)
{
  char path[512];
  if (csvtab_load(t, params_path(path, sizeof path, dir, name), cols, ncols, err, errlen) != 0)
    return -1;
  if (params_note_file(p, path, name, t->sha256, err, errlen)) {
    csvtab_free(t);
    return -1;
  }
  return 0;
}

int params_note_file(struct params *p, const char *path, const char *name, const char *sha256,
                     char *err, size_t errlen)
{
  if (p->nfiles == N_DATA_FILES) {
    snprintf(err, errlen,
             "%s: one data file too many for the provenance list (expected at most %d)", path,
             N_DATA_FILES);
    return -1;
  }
  snprintf(p->file_name[p->nfiles], sizeof p->file_name[0], "%s", name);
  memcpy(p->file_sha256[p->nfiles], sha256, 65);
  p->nfiles++;
  return 0;
}

/** @brief fitted_cov.csv (optional; read by calibration/uncertainty.c): in the provenance list. */
static int note_fitted_cov(struct params *p, const char *dir, char *err, size_t errlen)
{
  char path[512], hex[65];
  if (access(params_path(path, sizeof path, dir, "fitted_cov.csv"), F_OK) != 0) return 0;
  errno = 0;
  if (sha256_file_hex(path, hex) != 0) {
    snprintf(err, errlen, "%s: cannot read file: %s (expected a readable CSV table)", path,
             strerror(errno ? errno : EIO));
    return -1;
  }
  return params_note_file(p, path, "fitted_cov.csv", hex, err, errlen);
}

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
      {"group", COL_GROUP, 0, 0, NULL, 0},  {"sector", COL_SECTOR, 0, 0, NULL, 0}, AGES,
      {"pshare", COL_INT, 1, 100, NULL, 0}, {"share", COL_PROB, 0, 0, NULL, 0},    SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "position_share.csv", cols, NCOLS(cols), err, errlen))
    return -1;
  /* Raw shares per (spec level) cell, then pick the most specific level present
   * (scratch on the heap: 0.7 MiB). */
  struct pshare_scratch {
    double raw[3][N_GROUPS][N_SECTORS - 1][N_AGES][MAX_PSHARE_LEVELS];
    char has[3][N_GROUPS][N_SECTORS - 1][N_AGES];
  } *sc = hw_alloc(1, sizeof *sc, "position_share.csv's scratch tables", err, errlen);
  int rc = -1;
  if (!sc) goto out;
  double(*raw)[N_GROUPS][N_SECTORS - 1][N_AGES][MAX_PSHARE_LEVELS] = sc->raw;
  char(*has)[N_GROUPS][N_SECTORS - 1][N_AGES] = sc->has;
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    int lvl = -1;
    for (int k = 0; k < MAX_PSHARE_LEVELS; k++)
      if (pshare_ladder[k] == (int)r->v[4]) lvl = k;
    if (lvl < 0) {
      snprintf(err, errlen,
               "%s:%d: pshare %d is not on the ladder (expected 20, 40, 50, 60, 75, 80, 90 or 100)",
               t.path, r->line, (int)r->v[4]);
      goto out;
    }
    int g = (int)r->v[0], s = (int)r->v[1];
    if (s == SEC_NOT_WORKING) {
      snprintf(
          err, errlen,
          "%s:%d: sector not_working has no position share (expected an employed sector or all)",
          t.path, r->line);
      goto out;
    }
    if (r->v[3] < r->v[2]) {
      snprintf(err, errlen, "%s:%d: age_to %d < age_from %d (expected an increasing range)", t.path,
               r->line, (int)r->v[3], (int)r->v[2]);
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
        while (spec >= 0 && !has[spec][g][s][a])
          spec--;
        if (spec < 0) {
          snprintf(err, errlen,
                   "%s: no row covers group %s, sector %s, age %d (expected every cell)", t.path,
                   group_labels[g], sector_labels[s], a + AGE_MIN);
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
  free(sc);
  csvtab_free(&t);
  return rc;
}

/** @brief early_career.csv: multipliers by completed years since entry. */
static int load_early_career(struct params *p, const char *dir, char *err, size_t errlen)
{
  static const struct csvtab_col cols[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                           {"years_from", COL_INT, 0, 99, NULL, 0},
                                           {"years_to", COL_INT, 0, 99, NULL, 0},
                                           {"multiplier", COL_RATE, 0, 100, NULL, 0},
                                           SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "early_career.csv", cols, NCOLS(cols), err, errlen)) return -1;
  signed char spec_at[N_GROUPS][N_CAREER_YEARS];
  memset(spec_at, -1, sizeof spec_at);
  for (int g = 0; g < N_GROUPS; g++)
    for (int y = 0; y < N_CAREER_YEARS; y++)
      p->early_career[g][y] = 1.0;
  int rc = -1;
  for (int pass = 0; pass <= 1; pass++)
    for (int i = 0; i < t.nrows; i++) {
      const struct csvtab_row *r = &t.rows[i];
      int spec = csvtab_row_specificity(&t, r);
      if (spec != pass) continue;
      if (r->v[2] < r->v[1]) {
        snprintf(err, errlen, "%s:%d: years_to < years_from (expected an increasing range)", t.path,
                 r->line);
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
  static const struct csvtab_col cols[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                           {"year_from", COL_INT, 1900, 2200, NULL, 0},
                                           {"intake", COL_COUNT, 0, 0, NULL, 0},
                                           {"duration_years", COL_REAL, 0.25, 12, NULL, 0},
                                           {"completion_share", COL_PROB, 0, 0, NULL, 0},
                                           {"male_share", COL_PROB, 0, 0, NULL, 0},
                                           {"age_mean", COL_REAL, 16, 60, NULL, 0},
                                           {"age_sd", COL_REAL, 0, 20, NULL, 0},
                                           SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "education.csv", cols, NCOLS(cols), err, errlen)) return -1;
  int rc = -1;
  memset(p->n_edu, 0, sizeof p->n_edu);
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    int g = (int)r->v[0];
    if (g == CSVTAB_ALL) {
      snprintf(err, errlen,
               "%s:%d: group 'all' is not allowed here (expected one programme per row)", t.path,
               r->line);
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
    for (int k = p->n_edu[g] - 1; k > 0 && p->edu[g][k].year_from < p->edu[g][k - 1].year_from;
         k--) {
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
      {"persons_per_year", COL_RATE, 0, CSVTAB_COUNT_MAX, NULL, 0},
      {"male_share", COL_PROB, 0, 0, NULL, 0},
      {"age_mean", COL_REAL, 16, 70, NULL, 0},
      {"age_sd", COL_REAL, 0, 20, NULL, 0},
      SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "inflow.csv", cols, NCOLS(cols), err, errlen)) return -1;
  char seen[N_GROUPS][N_INFLOW_CHANNELS];
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
      {"quarter", COL_INT, 1, 4, NULL, 0}, {"multiplier", COL_RATE, 0, 100, NULL, 0}, SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "sick_season.csv", cols, NCOLS(cols), err, errlen)) return -1;
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

/** @brief base_sector_55plus.csv (optional): share aged 55+ in a group's sector. */
static int load_sector55(struct params *p, const char *dir, char *err, size_t errlen)
{
  for (int g = 0; g < N_GROUPS; g++)
    for (int s = 0; s < N_SECTORS; s++)
      p->base_sector55[g][s] = -1;
  char path[512];
  if (access(params_path(path, sizeof path, dir, "base_sector_55plus.csv"), F_OK) != 0) return 0;
  static const struct csvtab_col cols[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                           {"sector", COL_SECTOR, 0, 0, NULL, 0},
                                           {"share_55plus", COL_PROB, 0, 0, NULL, 0},
                                           SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "base_sector_55plus.csv", cols, NCOLS(cols), err, errlen))
    return -1;
  int rc = -1;
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    int g = (int)r->v[0], s = (int)r->v[1];
    if (g == CSVTAB_ALL || s == CSVTAB_ALL) {
      snprintf(err, errlen,
               "%s:%d: 'all' is not allowed here (expected one group and one sector per row)",
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

const char *const mult_proc_labels[N_MULT_PROCS] = {
    "exit",        "reentry", "move",          "retirement",  "disability", "sick_leave",
    "pshare_down", "entry",   "conversion",    "immigration", "gp_quit",    "gp_hire",
    "emigration",  "dropout", "sick_duration", "gp_quit_late"};

/** @brief fitted.csv (optional): hazard multipliers by process, group and age band. */
static int load_fitted(struct params *p, const char *dir, char *err, size_t errlen)
{
  for (int k = 0; k < N_MULT_PROCS; k++)
    for (int g = 0; g < N_GROUPS; g++)
      for (int b = 0; b < N_AGE_BANDS; b++)
        p->mult[k][g][b] = 1.0;
  p->has_fitted = 0;
  char path[512];
  if (access(params_path(path, sizeof path, dir, "fitted.csv"), F_OK) != 0) return 0;
  static const struct csvtab_col cols[] = {
      {"process", COL_LABEL, 0, 0, mult_proc_labels, N_MULT_PROCS},
      {"group", COL_GROUP, 0, 0, NULL, 0},
      {"age_band", COL_LABEL, 0, 0, age_band_labels, N_AGE_BANDS},
      {"multiplier", COL_REAL, 0, 100, NULL, 0},
      SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "fitted.csv", cols, NCOLS(cols), err, errlen)) return -1;
  signed char spec_at[N_MULT_PROCS][N_GROUPS][N_AGE_BANDS];
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

/* The tables filled through the generic filler: columns, key columns and ranges, age column. */
static const struct csvtab_col c_sector[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                             {"sector", COL_SECTOR, 0, 0, NULL, 0},
                                             {"share", COL_PROB, 0, 0, NULL, 0},
                                             SRC};
static const struct csvtab_col c_mort[] = {
    {"sex", COL_SEX, 0, 0, NULL, 0}, AGES, {"rate", COL_RATE, 0, 0, NULL, 0}, SRC};
static const struct csvtab_col c_emig[] = {
    {"origin", COL_LABEL, 0, 0, origin_labels, 2}, AGES, {"rate", COL_RATE, 0, 0, NULL, 0}, SRC};
static const struct csvtab_col c_exit[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                           AGES,
                                           {"rate_outside", COL_RATE, 0, 0, NULL, 0},
                                           {"rate_not_working", COL_RATE, 0, 0, NULL, 0},
                                           SRC};
static const struct csvtab_col c_reentry[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                              {"from_sector", COL_LABEL, 0, 0, from_labels, 2},
                                              AGES,
                                              {"rate", COL_RATE, 0, 0, NULL, 0},
                                              SRC};
static const struct csvtab_col c_move[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                           {"from_sector", COL_HSECTOR, 0, 0, NULL, 0},
                                           {"to_sector", COL_HSECTOR, 0, 0, NULL, 0},
                                           {"rate", COL_RATE, 0, 0, NULL, 0},
                                           SRC};
static const struct csvtab_col c_ret[] = {
    {"group", COL_GROUP, 0, 0, NULL, 0}, AGES, {"rate", COL_RATE, 0, 0, NULL, 0}, SRC};
static const struct csvtab_col c_dis[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                          {"sex", COL_SEX, 0, 0, NULL, 0},
                                          AGES,
                                          {"rate", COL_RATE, 0, 0, NULL, 0},
                                          SRC};
static const struct csvtab_col c_pch[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                          AGES,
                                          {"rate_up", COL_RATE, 0, 0, NULL, 0},
                                          {"rate_down", COL_RATE, 0, 0, NULL, 0},
                                          SRC};
static const struct csvtab_col c_sick[] = {
    {"group", COL_GROUP, 0, 0, NULL, 0},          {"sex", COL_SEX, 0, 0, NULL, 0},
    {"sector", COL_HSECTOR, 0, 0, NULL, 0},       {"type", COL_LABEL, 0, 0, type_labels, 2},
    {"spells_per_year", COL_RATE, 0, 0, NULL, 0}, {"mean_days", COL_REAL, 0.1, 365, NULL, 0},
    {"sd_days", COL_REAL, 0, 1000, NULL, 0},      SRC};

/** One table of the generic filler. */
struct fill_spec {
  const char *name;
  const struct csvtab_col *cols;
  int ncols;
  int key_col[4], key_n[4]; /**< key columns (-1: none) and their ranges */
  int age_col;              /**< age_from column, or -1 */
  fill_fn fn;
};

static const struct fill_spec fs_sector = {
    "base_sector.csv",           c_sector, NCOLS(c_sector), {0, 1, -1, -1},
    {N_GROUPS, N_SECTORS, 0, 0}, -1,       set_base_sector};
static const struct fill_spec fs_pch = {
    "pshare_change.csv", c_pch, NCOLS(c_pch),     {0, -1, -1, -1},
    {N_GROUPS, 0, 0, 0}, 1,     set_pshare_change};
static const struct fill_spec fs_mort = {"mortality.csv",    c_mort, NCOLS(c_mort), {0, -1, -1, -1},
                                         {N_SEXES, 0, 0, 0}, 1,      set_mortality};
static const struct fill_spec fs_emig = {"emigration.csv", c_emig, NCOLS(c_emig), {0, -1, -1, -1},
                                         {2, 0, 0, 0},     1,      set_emigration};
static const struct fill_spec fs_exit = {
    "exit.csv", c_exit, NCOLS(c_exit), {0, -1, -1, -1}, {N_GROUPS, 0, 0, 0}, 1, set_exit};
static const struct fill_spec fs_reentry = {"reentry.csv",  c_reentry,           NCOLS(c_reentry),
                                            {0, 1, -1, -1}, {N_GROUPS, 2, 0, 0}, 2,
                                            set_reentry};
static const struct fill_spec fs_ret = {"retirement.csv",    c_ret, NCOLS(c_ret),  {0, -1, -1, -1},
                                        {N_GROUPS, 0, 0, 0}, 1,     set_retirement};
static const struct fill_spec fs_dis = {
    "disability.csv",          c_dis, NCOLS(c_dis),  {0, 1, -1, -1},
    {N_GROUPS, N_SEXES, 0, 0}, 2,     set_disability};
static const struct fill_spec fs_sick = {"sick_leave.csv",
                                         c_sick,
                                         NCOLS(c_sick),
                                         {0, 1, 2, 3},
                                         {N_GROUPS, N_SEXES, N_HSECTORS, N_SICK_TYPES},
                                         -1,
                                         set_sick};

/** @brief Load one table and fill it through the generic filler (every cell required). */
static int load_fill(struct params *p, const char *dir, const struct fill_spec *fs, char *err,
                     size_t errlen)
{
  struct csvtab t;
  if (params_table_load(p, &t, dir, fs->name, fs->cols, fs->ncols, err, errlen)) return -1;
  int rc = fill_table(p, &t, fs->key_col, fs->key_n, fs->age_col, 1, fs->fn, err, errlen);
  csvtab_free(&t);
  return rc;
}

static void set_entry(struct params *p, const int *k, int a, const struct csvtab_row *r)
{
  (void)a;
  p->entry_health[k[0]][k[1]] = r->v[2];
}

/**
 * @brief entry.csv (optional: every share 1 without it, and in cells no row
 *        gives) through the generic filler: `all` rows, group rows overriding
 *        them, a cell given twice at one level refused.
 */
static int load_entry(struct params *p, const char *dir, char *err, size_t errlen)
{
  for (int g = 0; g < N_GROUPS; g++)
    for (int c = 0; c < N_ENTRY_CHANNELS; c++)
      p->entry_health[g][c] = 1.0;
  char path[512];
  if (access(params_path(path, sizeof path, dir, "entry.csv"), F_OK) != 0) return 0;
  static const struct csvtab_col cols[] = {
      {"group", COL_GROUP, 0, 0, NULL, 0},
      {"channel", COL_LABEL, 0, 0, entry_source_labels, N_ENTRY_CHANNELS},
      {"share_health", COL_PROB, 0, 0, NULL, 0},
      SRC};
  static const int key_col[4] = {0, 1, -1, -1}, key_n[4] = {N_GROUPS, N_ENTRY_CHANNELS, 0, 0};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "entry.csv", cols, NCOLS(cols), err, errlen)) return -1;
  int rc = fill_table(p, &t, key_col, key_n, -1, 0, set_entry, err, errlen);
  csvtab_free(&t);
  return rc;
}

static void set_rota(struct params *p, const int *k, int a, const struct csvtab_row *r)
{
  (void)a;
  p->rota_share[k[0]][k[1]] = r->v[2];
}

/**
 * @brief rota.csv (optional): the share of a group's employed in a health sector who work
 *        rotating shifts (turnus).  `all` rows, group rows overriding them; cells not given,
 *        and every cell without the file, are 0 (no shift-work distinction).
 */
static int load_rota(struct params *p, const char *dir, char *err, size_t errlen)
{
  memset(p->rota_share, 0, sizeof p->rota_share);
  p->has_rota = 0;
  char path[512];
  if (access(params_path(path, sizeof path, dir, "rota.csv"), F_OK) != 0) return 0;
  static const struct csvtab_col cols[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                           {"sector", COL_HSECTOR, 0, 0, NULL, 0},
                                           {"share", COL_PROB, 0, 0, NULL, 0},
                                           SRC};
  static const int key_col[4] = {0, 1, -1, -1}, key_n[4] = {N_GROUPS, N_HSECTORS, 0, 0};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "rota.csv", cols, NCOLS(cols), err, errlen)) return -1;
  int rc = fill_table(p, &t, key_col, key_n, -1, 0, set_rota, err, errlen);
  csvtab_free(&t);
  if (rc == 0) p->has_rota = 1;
  return rc;
}

/** The base stock's upper bound: 10 million records (Norway's health workforce is 0.5 million). */
#define BASE_PERSONS_MAX 10000000

/** @brief base_age.csv: persons by group, sex and age (18..74), one cell per row. */
static int load_base_age(struct params *p, const char *dir, char *err, size_t errlen)
{
  static const struct csvtab_col c_age[] = {{"group", COL_GROUP, 0, 0, NULL, 0},
                                            {"sex", COL_SEX, 0, 0, NULL, 0},
                                            {"age", COL_INT, 18, AGE_MAX, NULL, 0},
                                            {"persons", COL_COUNT, 0, 0, NULL, 0},
                                            SRC};
  /* ages 18..74 only; the filler works on 15..74, so filled without it (no coverage check) */
  struct csvtab t;
  if (params_table_load(p, &t, dir, "base_age.csv", c_age, NCOLS(c_age), err, errlen)) return -1;
  int rc = 0;
  double total = 0;
  char seen[N_GROUPS][N_SEXES][N_AGES]; /* a cell given before (its count may be 0) */
  memset(seen, 0, sizeof seen);
  for (int i = 0; rc == 0 && i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    if (r->v[0] == CSVTAB_ALL || r->v[1] == CSVTAB_ALL) {
      snprintf(err, errlen,
               "%s:%d: 'all' is not allowed in a count table (expected one cell per row)", t.path,
               r->line);
      rc = -1;
      break;
    }
    int g = (int)r->v[0], s = (int)r->v[1], a = (int)r->v[2];
    if (seen[g][s][AI(a)]) {
      snprintf(err, errlen, "%s:%d: duplicate cell (%s, %s, age %d given twice)", t.path, r->line,
               group_labels[g], sex_labels[s], a);
      rc = -1;
      break;
    }
    seen[g][s][AI(a)] = 1;
    p->base_persons[g][s][AI(a)] = (int32_t)r->v[3];
    total += r->v[3];
  }
  if (rc == 0 && total > BASE_PERSONS_MAX) {
    snprintf(err, errlen,
             "%s: %.0f persons in all (expected at most %d: the model keeps one record per "
             "person)",
             t.path, total, BASE_PERSONS_MAX);
    rc = -1;
  }
  csvtab_free(&t);
  return rc;
}

/** @brief base_sector.csv: each group's sector shares, which must sum to one. */
static int load_base_sector(struct params *p, const char *dir, char *err, size_t errlen)
{
  if (load_fill(p, dir, &fs_sector, err, errlen)) return -1;
  char path[512];
  params_path(path, sizeof path, dir, fs_sector.name);
  for (int g = 0; g < N_GROUPS; g++) {
    double sum = 0;
    for (int s = 0; s < N_SECTORS; s++)
      sum += p->base_sector[g][s];
    if (check_sum1(path, group_labels[g], sum, err, errlen)) return -1;
  }
  return 0;
}

/** @brief sector_move.csv: moves between two different health sectors (cells not given: 0). */
static int load_sector_move(struct params *p, const char *dir, char *err, size_t errlen)
{
  const int k_mv[4] = {0, 1, 2, -1}, n_mv[4] = {N_GROUPS, N_HSECTORS, N_HSECTORS, 0};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "sector_move.csv", c_move, NCOLS(c_move), err, errlen))
    return -1;
  int rc = fill_table(p, &t, k_mv, n_mv, -1, 0, set_sector_move, err, errlen);
  for (int i = 0; rc == 0 && i < t.nrows; i++)
    if (t.rows[i].v[1] == t.rows[i].v[2] && t.rows[i].v[1] != CSVTAB_ALL) {
      snprintf(err, errlen,
               "%s:%d: from_sector equals to_sector (expected a move between two sectors)", t.path,
               t.rows[i].line);
      rc = -1;
    }
  csvtab_free(&t);
  if (rc) return -1;
  for (int g = 0; g < N_GROUPS; g++)
    for (int s = 0; s < N_HSECTORS; s++)
      p->sector_move[g][s][s] = 0;
  return 0;
}

int params_load(struct params *p, const char *dir, char *err, size_t errlen)
{
  memset(p, 0, sizeof *p);
  /* in this order: it is the order of the provenance list and of the errors */
  if (load_base_age(p, dir, err, errlen) || load_base_sector(p, dir, err, errlen) ||
      load_sector55(p, dir, err, errlen) || load_pshare(p, dir, err, errlen) ||
      load_fill(p, dir, &fs_pch, err, errlen) || load_fill(p, dir, &fs_mort, err, errlen) ||
      load_fill(p, dir, &fs_emig, err, errlen) || load_fill(p, dir, &fs_exit, err, errlen) ||
      load_early_career(p, dir, err, errlen) || load_fill(p, dir, &fs_reentry, err, errlen) ||
      load_sector_move(p, dir, err, errlen) || load_fill(p, dir, &fs_ret, err, errlen) ||
      load_fill(p, dir, &fs_dis, err, errlen) || load_fill(p, dir, &fs_sick, err, errlen) ||
      load_season(p, dir, err, errlen) || load_education(p, dir, err, errlen) ||
      load_inflow(p, dir, err, errlen) || params_load_demand(p, dir, err, errlen) ||
      load_fitted(p, dir, err, errlen) || note_fitted_cov(p, dir, err, errlen) ||
      params_load_doctors(p, dir, err, errlen) || load_entry(p, dir, err, errlen) ||
      params_load_conversion(p, dir, err, errlen) || load_rota(p, dir, err, errlen) ||
      params_load_assumed(p, dir, err, errlen))
    return -1;
  return 0;
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
  double m = 0;
  for (int k = 0; k < MAX_PSHARE_LEVELS; k++)
    m += pshare_dist_prob(d, k) * pshare_ladder[k];
  return m;
}

double params_year_interp(const int *years, const double *v, int n, int year)
{
  if (n <= 0) return 0;
  if (year <= years[0]) return v[0];
  for (int k = 1; k < n; k++)
    if (year <= years[k])
      return v[k - 1] +
             (v[k] - v[k - 1]) * (double)(year - years[k - 1]) / (double)(years[k] - years[k - 1]);
  return v[n - 1];
}
