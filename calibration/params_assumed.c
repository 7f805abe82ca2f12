/**
 * @file params_assumed.c
 * @brief assumed.csv: the ranges of the assumed inputs (issue 17).  Each row is one uncertain
 *        input: a multiplier on a process (the `process` labels of fitted.csv) for a group
 *        (or `all`) and ages, drawn uniformly between `low` and `high` once per parameter draw
 *        and applied on top of the fitted multipliers.  Format in calibration/norway/README.md,
 *        the reasoning for each range in its row and in docs/parameters.md.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "csvtab.h"
#include "params.h"
#include "params_load.h"
#include "rng.h"

/** @brief The row's check beyond the columns' own; 0 or -1 with err. */
static int assumed_row_check(const struct csvtab *t, const struct csvtab_row *r, char *err,
                             size_t errlen)
{
  const int proc = (int)r->v[0], a0 = (int)r->v[2], a1 = (int)r->v[3];
  const double lo = r->v[4], hi = r->v[5];
  if (a1 < a0) {
    snprintf(err, errlen, "%s:%d: age_to %d < age_from %d (expected an increasing range)", t->path,
             r->line, a1, a0);
    return -1;
  }
  if ((a0 - AGE_MIN) % 5 != 0 || (a1 - AGE_MIN + 1) % 5 != 0) {
    snprintf(err, errlen,
             "%s:%d: ages %d-%d do not follow the five-year bands (expected age_from 15, 20, ... "
             "and age_to 19, 24, ..., 74)",
             t->path, r->line, a0, a1);
    return -1;
  }
  if ((proc == MP_DROPOUT || proc == MP_SICK_DURATION || proc == MP_GP_HIRE) &&
      (a0 != AGE_MIN || a1 != AGE_MAX)) {
    snprintf(err, errlen, "%s:%d: %s acts on all ages (expected age_from %d and age_to %d)",
             t->path, r->line, mult_proc_labels[proc], AGE_MIN, AGE_MAX);
    return -1;
  }
  /* the data's value is the range's mean, so that drawing the input widens the band without
   * moving its centre (for a response linear in the multiplier) */
  if (!(lo < hi && fabs(lo + hi - 2.0) <= 1e-9)) {
    snprintf(err, errlen,
             "%s:%d: range [%g, %g] (expected low < high centred on the data's value: low + high "
             "= 2)",
             t->path, r->line, lo, hi);
    return -1;
  }
  return 0;
}

int params_load_assumed(struct params *p, const char *dir, char *err, size_t errlen)
{
  p->n_assumed = 0;
  char path[512];
  if (access(params_path(path, sizeof path, dir, "assumed.csv"), F_OK) != 0) return 0;
  static const struct csvtab_col cols[] = {
      {"process", COL_LABEL, 0, 0, mult_proc_labels, N_MULT_PROCS},
      {"group", COL_GROUP, 0, 0, NULL, 0},
      AGES,
      {"low", COL_REAL, ASSUMED_MULT_MIN, ASSUMED_MULT_MAX, NULL, 0},
      {"high", COL_REAL, ASSUMED_MULT_MIN, ASSUMED_MULT_MAX, NULL, 0},
      SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "assumed.csv", cols, NCOLS(cols), err, errlen)) return -1;
  int rc = -1;
  if (t.nrows > MAX_ASSUMED) {
    snprintf(err, errlen, "%s: %d rows (expected at most %d assumed inputs)", t.path, t.nrows,
             MAX_ASSUMED);
    goto out;
  }
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    if (assumed_row_check(&t, r, err, errlen)) goto out;
    p->assumed[i] = (struct assumed_range){.process = (int)r->v[0],
                                           .group = (int)r->v[1],
                                           .band_from = AGE_BAND((int)r->v[2]),
                                           .band_to = AGE_BAND((int)r->v[3]),
                                           .low = r->v[4],
                                           .high = r->v[5],
                                           .line = r->line};
  }
  p->n_assumed = t.nrows;
  rc = 0;
out:
  csvtab_free(&t);
  return rc;
}

double params_assumed_draw(const struct params *p, int k, uint64_t seed, uint64_t key)
{
  const struct assumed_range *a = &p->assumed[k];
  const double u = rng_key_uniform(seed, key, (uint64_t)k, RNG_ASSUMED);
  return a->low + u * (a->high - a->low);
}

void params_assumed_apply(struct params *p, uint64_t seed, uint64_t key)
{
  for (int k = 0; k < p->n_assumed; k++) {
    const struct assumed_range *a = &p->assumed[k];
    const double m = params_assumed_draw(p, k, seed, key);
    for (int g = 0; g < N_GROUPS; g++) {
      if (a->group != CSVTAB_ALL && a->group != g) continue;
      for (int b = a->band_from; b <= a->band_to; b++) {
        p->mult[a->process][g][b] *= m;
        /* a longer spell comes with fewer spells: the published absence (spells x days) is
         * what the sources give, the split between the two is the assumption */
        if (a->process == MP_SICK_DURATION) p->mult[MP_SICK][g][b] /= m;
        /* re-entry is defined by a balance with the exits (reentry = exit x health share /
         * pool share: the 2019 sector shares stationary; calibration/norway/README.md), so it
         * is re-balanced with each drawn exit level */
        if (a->process == MP_EXIT) p->mult[MP_REENTRY][g][b] *= m;
      }
    }
  }
}
