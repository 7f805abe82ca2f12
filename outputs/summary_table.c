/**
 * @file summary_table.c
 * @brief A measure of a result cube aggregated per replicate and year over
 *        the `--by` dimensions (see summary_table.h); the paired differences
 *        of `hwsim compare`.
 *
 * All HDF5 access goes through cube_read.h.
 */
#include "summary_table.h"

#include "alloc.h"
#include "cube_read.h"
#include "oututil.h"
#include "stats.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Sectors counted when the sector axis is summed over: the health and care services. */
static const char *const summary_health_sectors[] = {"municipal", "specialist", "other_health"};
#define SUMMARY_N_HEALTH 3
/** Most values in one replicate's slab of a measure, and in the aggregated table. */
#define SUMMARY_MAX_CELLS (1 << 26)

/** What summary_load's steps need to name a problem: "PATH: measure MEASURE ...". */
struct summary_src {
  const char *path;
  const char *measure;
  char *err;
  size_t errlen;
};

const char *summary_cell_label(const struct summary_table *t, size_t cell, int k)
{
  /* Cells are row-major over the --by dimensions' kept labels in --by order. */
  size_t stride = 1;
  for (int j = t->nby - 1; j > k; j--)
    stride *= (size_t)t->nsel[t->by_dim[j]];
  int d = t->by_dim[k];
  int i = (int)((cell / stride) % (size_t)t->nsel[d]);
  return t->dims[d].labels[t->sel[d] ? t->sel[d][i] : i];
}

void summary_table_free(struct summary_table *t)
{
  for (int i = 0; i < t->ndims && i < SUMMARY_MAX_DIMS; i++)
    cube_read_coord_free(&t->dims[i]);
  for (int i = 0; i < SUMMARY_MAX_DIMS; i++)
    free(t->sel[i]);
  free(t->years);
  free(t->values);
  memset(t, 0, sizeof *t);
}

/** @brief Index of dimension @p name in t->dims, or -1. */
static int summary_dim_index(const struct summary_table *t, const char *name)
{
  for (int i = 0; i < t->ndims; i++)
    if (strcmp(t->dims[i].name, name) == 0) return i;
  return -1;
}

/** @brief Parse the --by list into t->by_dim. */
static int summary_parse_by(struct summary_table *t, const char *by, const char *path, char *err,
                            size_t errlen)
{
  char valid[512] = "";
  for (int i = 0; i < t->ndims; i++)
    if (i != 0 && i != t->year_dim) out_list_add(valid, sizeof valid, t->dims[i].name);
  t->nby = 0;
  if (!by) return 0;
  const char *p = by;
  while (1) {
    const char *c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    char name[128];
    if (len == 0 || len >= sizeof name) {
      out_set_err(err, errlen,
                  "%s: --by '%s' has an empty or overlong name (expected DIM[,DIM] from: %s)", path,
                  by, valid);
      return SUMMARY_EINPUT;
    }
    memcpy(name, p, len);
    name[len] = '\0';
    int i = summary_dim_index(t, name);
    if (i <= 0 || i == t->year_dim) {
      out_set_err(err, errlen,
                  "%s: measure %s has no dimension '%s' to break down by (expected one of: %s; "
                  "year is always shown)",
                  path, t->measure, name, valid);
      return SUMMARY_EINPUT;
    }
    for (int k = 0; k < t->nby; k++)
      if (t->by_dim[k] == i) {
        out_set_err(err, errlen, "%s: --by lists '%s' twice (expected each dimension once)", path,
                    name);
        return SUMMARY_EINPUT;
      }
    t->by_dim[t->nby++] = i;
    if (!c) break;
    p = c + 1;
  }
  return 0;
}

/** @brief Parse the --years list into t->years (all years when NULL). */
static int summary_parse_years(struct summary_table *t, const char *years, const char *path,
                               char *err, size_t errlen)
{
  const struct cube_coord *yd = &t->dims[t->year_dim];
  char range[64];
  snprintf(range, sizeof range, "%s..%s", yd->n ? yd->labels[0] : "?",
           yd->n ? yd->labels[yd->n - 1] : "?");
  t->years = hw_alloc((size_t)yd->n + 1, sizeof *t->years, "the selected years", err, errlen);
  if (!t->years) return SUMMARY_EFAIL;
  t->nyears = 0;
  if (!years) {
    for (int i = 0; i < yd->n; i++)
      t->years[t->nyears++] = yd->ivalues[i];
    return 0;
  }
  const char *p = years;
  while (1) {
    char *end;
    errno = 0;
    long v = strtol(p, &end, 10);
    if (end == p || errno || (*end && *end != ',') || v < INT_MIN || v > INT_MAX) {
      out_set_err(err, errlen,
                  "%s: --years '%s' is not a list of years (expected e.g. 2025,2040 within %s)",
                  path, years, range);
      return SUMMARY_EINPUT;
    }
    int found = 0;
    for (int i = 0; i < yd->n; i++)
      if (yd->ivalues[i] == (int)v) found = 1;
    if (!found) {
      out_set_err(err, errlen, "%s: year %ld is not in the file (expected years %s)", path, v,
                  range);
      return SUMMARY_EINPUT;
    }
    for (int k = 0; k < t->nyears; k++)
      if (t->years[k] == (int)v) {
        out_set_err(err, errlen, "%s: --years lists %ld twice (expected each year once)", path, v);
        return SUMMARY_EINPUT;
      }
    if (t->nyears >= yd->n) break;
    t->years[t->nyears++] = (int)v;
    if (!*end) break;
    p = end + 1;
  }
  return 0;
}

/** @brief Every label of dimension @p d, comma-separated into @p buf, for messages. */
static void summary_label_list(const struct cube_coord *d, char *buf, size_t len)
{
  buf[0] = '\0';
  for (int i = 0; i < d->n; i++)
    out_list_add(buf, len, d->labels[i]);
}

/** @brief Index of the label of @p d spelled by the @p len chars at @p name, or -1. */
static int summary_label_index(const struct cube_coord *d, const char *name, size_t len)
{
  for (int i = 0; i < d->n; i++)
    if (strlen(d->labels[i]) == len && strncmp(d->labels[i], name, len) == 0) return i;
  return -1;
}

/** @brief The index in t->dims of the dimension filter @p f names; SUMMARY_EINPUT with err. */
static int summary_filter_dim(const struct summary_table *t, const struct summary_filter *f,
                              const struct summary_src *src)
{
  int k = summary_dim_index(t, f->dim);
  if (k > 0 && k != t->year_dim && !t->sel[k]) return k;
  char dims[512] = "";
  for (int i = 0; i < t->ndims; i++)
    out_list_add(dims, sizeof dims, t->dims[i].name);
  if (k < 0)
    out_set_err(src->err, src->errlen, "%s: measure %s has no dimension '%s' (its dimensions: %s)",
                src->path, src->measure, f->dim, dims);
  else if (t->sel[k])
    out_set_err(src->err, src->errlen, "%s: --%s is given twice (expected each dimension once)",
                src->path, f->dim);
  else
    out_set_err(src->err, src->errlen,
                "%s: --%s cannot select labels of %s (expected a dimension other than replicate "
                "and year; for years use --years)",
                src->path, f->dim, f->dim);
  return SUMMARY_EINPUT;
}

/**
 * @brief Mark in @p keep the labels of dimension @p d that filter @p f lists.
 * @return 0, or SUMMARY_EINPUT with err: an empty list or label, an unknown or repeated label.
 */
static int summary_filter_mark(const struct cube_coord *d, const struct summary_filter *f,
                               unsigned char *keep, const struct summary_src *src)
{
  char valid[768];
  summary_label_list(d, valid, sizeof valid);
  const char *all = f->labels ? f->labels : "", *p = all;
  while (1) {
    const char *c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    int i = summary_label_index(d, p, len), shown = len > 256 ? 256 : (int)len;
    if (len == 0 && !*all)
      out_set_err(src->err, src->errlen,
                  "%s: --%s is an empty list (expected LABEL[,LABEL...] of dimension %s: %s)",
                  src->path, f->dim, d->name, valid);
    else if (len == 0)
      out_set_err(src->err, src->errlen,
                  "%s: --%s '%s' has an empty label (expected LABEL[,LABEL...] of dimension %s: "
                  "%s)",
                  src->path, f->dim, all, d->name, valid);
    else if (i < 0)
      out_set_err(src->err, src->errlen,
                  "%s: --%s '%.*s' is not a label of dimension %s (expected one of %s)", src->path,
                  f->dim, shown, p, d->name, valid);
    else if (keep[i])
      out_set_err(src->err, src->errlen, "%s: --%s lists '%.*s' twice (expected each label once)",
                  src->path, f->dim, shown, p);
    if (len == 0 || i < 0 || keep[i]) return SUMMARY_EINPUT;
    keep[i] = 1;
    if (!c) return 0;
    p = c + 1;
  }
}

/** @brief t->sel[k] = the indices i with keep[i], in the cube's order; note them in sel_note. */
static int summary_filter_keep(struct summary_table *t, int k, const unsigned char *keep,
                               const struct summary_src *src)
{
  const struct cube_coord *d = &t->dims[k];
  char kept[768] = "";
  t->sel[k] =
      hw_alloc((size_t)d->n + 1, sizeof **t->sel, "a filter's labels", src->err, src->errlen);
  if (!t->sel[k]) return SUMMARY_EFAIL;
  t->nsel[k] = 0;
  for (int i = 0; i < d->n; i++)
    if (keep[i]) {
      t->sel[k][t->nsel[k]++] = i;
      out_list_add(kept, sizeof kept, d->labels[i]);
    }
  size_t used = strlen(t->sel_note);
  snprintf(t->sel_note + used, sizeof t->sel_note - used, "%s%s: %s only", used ? "; " : "",
           d->name, kept);
  return 0;
}

/**
 * @brief Apply the label filters: t->sel and t->nsel of every dimension (all labels kept
 *        where no filter names it) and t->sel_note.
 */
static int summary_parse_filters(struct summary_table *t, const struct summary_filter *filters,
                                 int nfilters, const struct summary_src *src)
{
  for (int k = 0; k < t->ndims; k++)
    t->nsel[k] = t->dims[k].n;
  for (int j = 0; j < nfilters; j++) {
    int k = summary_filter_dim(t, &filters[j], src);
    if (k < 0) return k;
    unsigned char *keep =
        hw_alloc((size_t)t->dims[k].n + 1, 1, "a filter's labels", src->err, src->errlen);
    if (!keep) return SUMMARY_EFAIL;
    int rc = summary_filter_mark(&t->dims[k], &filters[j], keep, src);
    if (rc == 0) rc = summary_filter_keep(t, k, keep, src);
    free(keep);
    if (rc < 0) return rc;
  }
  return 0;
}

/**
 * How each element of a replicate's slab is summed: per dimension k (after
 * replicate), the contribution of index i to the output cell (cell_off) and
 * whether i is included (keep); per year index, its output row (yout).
 */
struct summary_plan {
  long *cell_off[SUMMARY_MAX_DIMS];
  unsigned char *keep[SUMMARY_MAX_DIMS];
  int *yout;         /**< output year row of each year index, or -1 when not selected */
  int sector_summed; /**< the sector axis is summed over the health sectors only */
  const char *path;  /**< for messages */
  char *err;
  size_t errlen;
};

/** @brief Free what summary_plan_make allocated. */
static void summary_plan_free(struct summary_plan *p)
{
  for (int k = 0; k < SUMMARY_MAX_DIMS; k++) {
    free(p->cell_off[k]);
    free(p->keep[k]);
  }
  free(p->yout);
}

/**
 * @brief Plan dimension @p k: a filter keeps its labels; --by dimensions place the kept
 *        labels; a summed sector without a filter keeps the health sectors.
 */
static int summary_plan_dim(const struct summary_table *t, int k, struct summary_plan *p)
{
  const struct cube_coord *d = &t->dims[k];
  int n = d->n;
  p->cell_off[k] = hw_alloc((size_t)n + 1, sizeof **p->cell_off, "the summary's cell offsets",
                            p->err, p->errlen);
  p->keep[k] = p->cell_off[k]
                   ? hw_alloc((size_t)n + 1, 1, "the summary's cell filter", p->err, p->errlen)
                   : NULL;
  if (!p->cell_off[k] || !p->keep[k]) return SUMMARY_EFAIL;
  memset(p->keep[k], t->sel[k] ? 0 : 1, (size_t)n + 1);
  for (int j = 0; t->sel[k] && j < t->nsel[k]; j++)
    p->keep[k][t->sel[k][j]] = 1;
  size_t stride = 1;
  int byk = -1;
  for (int j = t->nby - 1; j >= 0; j--) {
    if (t->by_dim[j] == k) {
      byk = j;
      break;
    }
    stride *= (size_t)t->nsel[t->by_dim[j]];
  }
  if (byk >= 0) {
    size_t rank = 0; /* kept labels take consecutive cells */
    for (int i = 0; i < n; i++)
      if (p->keep[k][i]) p->cell_off[k][i] = (long)(stride * rank++);
  } else if (!t->sel[k] && k != t->year_dim && strcmp(d->name, "sector") == 0) {
    /* The headline concept: supply in the health and care services only. */
    p->sector_summed = 1;
    for (int i = 0; i < n; i++) {
      p->keep[k][i] = 0;
      for (int h = 0; h < SUMMARY_N_HEALTH; h++)
        if (strcmp(d->labels[i], summary_health_sectors[h]) == 0) p->keep[k][i] = 1;
    }
  }
  return 0;
}

/** @brief Plan every dimension and the selected years' rows. */
static int summary_plan_make(const struct summary_table *t, struct summary_plan *p)
{
  const struct cube_coord *yd = &t->dims[t->year_dim];
  memset(p, 0, sizeof *p);
  for (int k = 1; k < t->ndims; k++)
    if (summary_plan_dim(t, k, p) < 0) return SUMMARY_EFAIL;
  p->yout =
      hw_alloc((size_t)yd->n + 1, sizeof *p->yout, "the summary's year rows", p->err, p->errlen);
  if (!p->yout) return SUMMARY_EFAIL;
  for (int i = 0; i < yd->n; i++) {
    p->yout[i] = -1;
    for (int j = 0; j < t->nyears; j++)
      if (t->years[j] == yd->ivalues[i]) p->yout[i] = j;
  }
  return 0;
}

/** @brief The title note: the dimensions the numbers are summed over. */
static void summary_note(struct summary_table *t, int sector_summed)
{
  t->note[0] = '\0';
  for (int k = 1; k < t->ndims; k++) {
    int is_by = 0;
    for (int j = 0; j < t->nby; j++)
      if (t->by_dim[j] == k) is_by = 1;
    if (is_by || k == t->year_dim) continue;
    if (sector_summed && strcmp(t->dims[k].name, "sector") == 0)
      out_list_add(t->note, sizeof t->note, "sector (municipal+specialist+other_health only)");
    else
      out_list_add(t->note, sizeof t->note, t->dims[k].name);
  }
}

/** @brief Add one replicate's slab @p buf (C order over dims 1..) into its rows @p out. */
static void summary_add_slab(const struct summary_table *t, const struct summary_plan *p,
                             const double *buf, size_t slab, double *out)
{
  int r = t->ndims;
  int idx[SUMMARY_MAX_DIMS] = {0};
  for (size_t e = 0; e < slab; e++) {
    int use = 1;
    long cell = 0;
    for (int k = 1; k < r; k++) {
      if (!p->keep[k][idx[k]]) use = 0;
      cell += p->cell_off[k][idx[k]];
    }
    int y = p->yout[idx[t->year_dim]];
    if (use && y >= 0) out[(size_t)y * t->ncells + (size_t)cell] += buf[e];
    for (int k = r - 1; k >= 1; k--) { /* odometer over C order */
      if (++idx[k] < t->dims[k].n) break;
      idx[k] = 0;
    }
  }
}

/**
 * @brief Elements of one replicate's slab (dims 1..) into *slab and of the result table
 *        into *nv.  @return 0, or -1 if either is over SUMMARY_MAX_CELLS (so the products
 *        cannot overflow either).
 */
static int summary_sizes(const struct summary_table *t, size_t *slab, size_t *nv)
{
  *slab = 1;
  for (int k = 1; k < t->ndims; k++) {
    *slab *= (size_t)t->dims[k].n;
    if (*slab > SUMMARY_MAX_CELLS) return -1;
  }
  /* ncells <= slab (a product of some of the same lengths); nyears <= the year length */
  *nv = (size_t)t->nyears * t->ncells;
  if (*nv > SUMMARY_MAX_CELLS || (*nv && (size_t)t->nrep > SUMMARY_MAX_CELLS / *nv)) return -1;
  *nv *= (size_t)t->nrep;
  return 0;
}

/** @brief Read each replicate's slab of measure @p d and sum it into t->values, then scale. */
static int summary_sum_slabs(hid_t d, struct summary_table *t, const struct summary_plan *p)
{
  int r = t->ndims;
  hsize_t start[SUMMARY_MAX_DIMS], count[SUMMARY_MAX_DIMS];
  size_t slab, nv;
  if (summary_sizes(t, &slab, &nv) < 0) {
    out_set_err(p->err, p->errlen,
                "%s: measure %s is too large (expected at most %d values a replicate and in "
                "the table)",
                p->path, t->measure, SUMMARY_MAX_CELLS);
    return SUMMARY_EINPUT;
  }
  for (int k = 0; k < r; k++) {
    start[k] = 0;
    count[k] = (hsize_t)t->dims[k].n;
  }
  count[0] = 1;
  double *buf = hw_alloc(slab, sizeof *buf, "a replicate's slab", p->err, p->errlen);
  t->values =
      buf ? hw_alloc(nv + 1, sizeof *t->values, "the summary table", p->err, p->errlen) : NULL;
  if (!buf || !t->values) {
    free(buf);
    return SUMMARY_EFAIL;
  }
  for (int rep = 0; rep < t->nrep; rep++) {
    start[0] = (hsize_t)rep;
    if (cube_read_slab(d, H5T_NATIVE_DOUBLE, r, start, count, buf) < 0) {
      free(buf);
      return SUMMARY_EINPUT; /* a damaged file is the user's input problem */
    }
    summary_add_slab(t, p, buf, slab, t->values + (size_t)rep * (size_t)t->nyears * t->ncells);
  }
  for (size_t i = 0; i < nv; i++)
    t->values[i] *= t->scale_factor;
  free(buf);
  return 0;
}

/** @brief Sum each replicate's slab of measure @p d into t->values (scaled). */
static int summary_aggregate(hid_t d, struct summary_table *t, const struct summary_src *src)
{
  struct summary_plan p;
  int rc = summary_plan_make(t, &p);
  p.path = src->path;
  p.err = src->err;
  p.errlen = src->errlen;
  if (rc == 0) {
    summary_note(t, p.sector_summed);
    rc = summary_sum_slabs(d, t, &p);
  }
  summary_plan_free(&p);
  return rc;
}

/** @brief Open the measure (a numeric, non-scale dataset at the root) as *d. */
static int summary_open_measure(hid_t f, const struct summary_src *src, hid_t *d)
{
  *d = cube_read_measure(f, src->measure);
  if (*d < 0) {
    char list[1024];
    cube_read_list_measures(f, list, sizeof list);
    out_set_err(src->err, src->errlen, "%s: no measure '%s' (expected one of: %s)", src->path,
                src->measure, list[0] ? list : "none found");
    return SUMMARY_EINPUT;
  }
  if (!cube_read_is_numeric(*d)) {
    out_set_err(src->err, src->errlen, "%s: measure %s is not numeric (expected integer counts)",
                src->path, src->measure);
    return SUMMARY_EINPUT;
  }
  return 0;
}

/** @brief Name and read every dimension of measure @p d; find replicate and year. */
static int summary_read_dims(hid_t f, hid_t d, struct summary_table *t,
                             const struct summary_src *src)
{
  hsize_t dims[SUMMARY_MAX_DIMS];
  t->ndims = cube_read_shape(d, SUMMARY_MAX_DIMS, dims);
  if (t->ndims < 2 || t->ndims > SUMMARY_MAX_DIMS) {
    out_set_err(src->err, src->errlen,
                "%s: measure %s has %d dimensions (expected replicate, year, ... up to %d)",
                src->path, src->measure, t->ndims, SUMMARY_MAX_DIMS);
    t->ndims = 0;
    return SUMMARY_EINPUT;
  }
  for (int k = 0; k < t->ndims; k++) {
    char name[256];
    if (cube_read_scale_name(d, (unsigned)k, name, sizeof name) < 0) {
      out_set_err(src->err, src->errlen,
                  "%s: dimension %d of %s has no dimension scale (expected every axis named by "
                  "a coordinate dataset)",
                  src->path, k, src->measure);
      return SUMMARY_EINPUT;
    }
    if (!(t->dims[k].name = hw_strdup(name, "a dimension's name", src->err, src->errlen)))
      return SUMMARY_EFAIL;
    if (k == 0 && strcmp(name, "replicate") != 0) {
      out_set_err(src->err, src->errlen,
                  "%s: measure %s starts with dimension %s (expected replicate)", src->path,
                  src->measure, name);
      return SUMMARY_EINPUT;
    }
    int c = cube_read_coord(f, name, dims[k], &t->dims[k], src->path, src->err, src->errlen);
    if (c < 0) return c == CUBE_READ_ENOMEM ? SUMMARY_EFAIL : SUMMARY_EINPUT;
    if (strcmp(name, "year") == 0) t->year_dim = k;
  }
  return 0;
}

/** @brief Dimension 0 (replicate) must hold distinct integers, one dimension an integer year. */
static int summary_check_dims(struct summary_table *t, const struct summary_src *src)
{
  const struct cube_coord *rep = &t->dims[0];
  int dup = 0, rc = rep->ivalues ? cube_read_duplicate(rep->ivalues, rep->n, &dup) : 0;
  if (rc == CUBE_READ_ENOMEM) return SUMMARY_EFAIL;
  if (!rep->ivalues || rc) {
    if (rep->ivalues)
      out_set_err(src->err, src->errlen,
                  "%s: replicate coordinate holds %d twice (expected distinct replicate ids)",
                  src->path, dup);
    else
      out_set_err(src->err, src->errlen,
                  "%s: replicate coordinate is not integer (expected replicate ids 0, 1, ...)",
                  src->path);
    return SUMMARY_EINPUT;
  }
  if (t->year_dim <= 0 || !t->dims[t->year_dim].ivalues) {
    out_set_err(src->err, src->errlen,
                "%s: measure %s has no integer year dimension (expected replicate, year, ...)",
                src->path, src->measure);
    return SUMMARY_EINPUT;
  }
  t->nrep = t->dims[0].n;
  if (t->nrep == 0) {
    out_set_err(src->err, src->errlen, "%s: no finished replicates (expected at least one)",
                src->path);
    return SUMMARY_EINPUT;
  }
  return 0;
}

/** @brief The measure's units, long_name and scale_factor. */
static int summary_read_attrs(hid_t d, struct summary_table *t, const struct summary_src *src)
{
  cube_read_attr_str_of(d, "units", t->units, sizeof t->units);
  cube_read_attr_str_of(d, "long_name", t->long_name, sizeof t->long_name);
  if (cube_read_attr_f64_of(d, "scale_factor", &t->scale_factor) == -2) {
    out_set_err(src->err, src->errlen,
                "%s: measure %s: unreadable scale_factor (expected a number)", src->path,
                src->measure);
    return SUMMARY_EINPUT;
  }
  return 0;
}

/**
 * @brief The root attributes seed, parameter_uncertainty and replicates_per_draw (compare
 *        pairs on them) and demand_uncertainty (the titles say what a band holds): each absent
 *        (an older cube) or an integer.
 */
static int summary_root_attrs(hid_t f, struct summary_table *t, const struct summary_src *src)
{
  const char *keys[6] = {"seed",
                         "parameter_uncertainty",
                         "replicates_per_draw",
                         "demand_uncertainty",
                         "assumed_uncertainty",
                         "draws_per_block"};
  int64_t *dst[6] = {&t->seed,
                     &t->param_uncertainty,
                     &t->replicates_per_draw,
                     &t->demand_uncertainty,
                     &t->assumed_uncertainty,
                     &t->draws_per_block};
  for (int i = 0; i < 6; i++) {
    int rc = cube_read_attr_i64_of(f, keys[i], dst[i]);
    if (rc == -2) {
      out_set_err(src->err, src->errlen,
                  "%s: root attribute %s is not one integer (expected the run's %s, as hwsim run "
                  "writes it)",
                  src->path, keys[i], keys[i]);
      return SUMMARY_EINPUT;
    }
    if (i == 0) t->has_seed = rc == 0;
    if (i > 0 && rc != 0) *dst[i] = -1;
  }
  if (cube_read_attr_str_of(f, "git_revision", t->git_revision, sizeof t->git_revision) != 0)
    t->git_revision[0] = '\0';
  return 0;
}

/** @brief Everything summary_load does once the file is open. */
static int summary_load_open(hid_t f, const char *by, const char *years,
                             const struct summary_filter *filters, int nfilters,
                             struct summary_table *t, const struct summary_src *src)
{
  hid_t d = -1;
  int rc = summary_open_measure(f, src, &d);
  if (rc == 0) rc = summary_read_dims(f, d, t, src);
  if (rc == 0) rc = summary_check_dims(t, src);
  if (rc == 0) rc = summary_read_attrs(d, t, src);
  if (rc == 0) rc = summary_parse_by(t, by, src->path, src->err, src->errlen);
  if (rc == 0) rc = summary_parse_years(t, years, src->path, src->err, src->errlen);
  if (rc == 0) rc = summary_parse_filters(t, filters, nfilters, src);
  if (rc == 0) {
    t->ncells = 1;
    for (int k = 0; k < t->nby; k++)
      t->ncells *= (size_t)t->nsel[t->by_dim[k]];
    rc = summary_aggregate(d, t, src);
    if (rc == SUMMARY_EINPUT && (!src->err || !src->err[0]))
      out_set_err(src->err, src->errlen, "%s: cannot read measure %s (expected an intact file)",
                  src->path, src->measure);
  }
  if (d >= 0) H5Dclose(d);
  return rc;
}

int summary_load(const char *path, const char *measure, const char *by, const char *years,
                 const struct summary_filter *filters, int nfilters, struct summary_table *t,
                 char *err, size_t errlen)
{
  const struct summary_src src = {path, measure, err, errlen};
  struct cube_read_hush hush;
  hid_t f = -1;
  int rc = SUMMARY_EINPUT;

  memset(t, 0, sizeof *t);
  t->scale_factor = 1.0;
  t->year_dim = -1;
  if (err && errlen) err[0] = '\0';
  snprintf(t->measure, sizeof t->measure, "%s", measure);

  /* HDF5 would print its whole error stack; the contract is one line. */
  cube_read_hush_begin(&hush);
  if (cube_read_open(path, &f, err, errlen) == 0) {
    rc = summary_root_attrs(f, t, &src);
    if (rc == 0) rc = summary_load_open(f, by, years, filters, nfilters, t, &src);
    H5Fclose(f);
  }
  if (rc == SUMMARY_EFAIL && err && errlen && !err[0]) {
    out_set_err(err, errlen, "%s: out of memory", path);
  } else if (rc == SUMMARY_EFAIL && err && errlen && strncmp(err, "out of memory", 13) == 0) {
    char why[256];
    snprintf(why, sizeof why, "%s", err);
    out_set_err(err, errlen, "%s: %s", path, why); /* hw_alloc's message, with the file */
  }
  cube_read_hush_end(&hush);
  if (rc < 0) {
    /* Keep the dims for nothing: callers only look at err. */
    summary_table_free(t);
    snprintf(t->measure, sizeof t->measure, "%s", measure);
  }
  return rc;
}

/** @brief Whether @p b and @p v (same axes) hold the same --by, years and filters' cells. */
static int summary_same_selection(const struct summary_table *b, const struct summary_table *v)
{
  if (b->nby != v->nby || b->nyears != v->nyears || b->ncells != v->ncells) return 0;
  for (int j = 0; j < b->nby; j++)
    if (b->by_dim[j] != v->by_dim[j]) return 0;
  for (int y = 0; y < b->nyears; y++)
    if (b->years[y] != v->years[y]) return 0;
  for (int k = 1; k < b->ndims; k++) {
    if (b->nsel[k] != v->nsel[k] || !b->sel[k] != !v->sel[k]) return 0;
    for (int j = 0; b->sel[k] && j < b->nsel[k]; j++)
      if (b->sel[k][j] != v->sel[k][j]) return 0;
  }
  return 1;
}

/** @brief Check that two loaded tables describe the same cube shape; 0 or -1 with err. */
static int summary_check_same(const struct summary_table *b, const struct summary_table *v,
                              const char *bpath, const char *vpath, char *err, size_t errlen)
{
  if (b->has_seed != v->has_seed || (b->has_seed && b->seed != v->seed)) {
    out_set_err(err, errlen,
                "%s: seed %lld differs from %s's %lld (expected the same seed, so paired "
                "replicates share random streams)",
                vpath, v->has_seed ? (long long)v->seed : -1LL, bpath,
                b->has_seed ? (long long)b->seed : -1LL);
    return -1;
  }
  /* the draw design: runs that differ in it give paired replicates different parameters */
  const struct {
    const char *name;
    int64_t bv, vv;
  } design[] = {{"parameter_uncertainty", b->param_uncertainty, v->param_uncertainty},
                {"assumed_uncertainty", b->assumed_uncertainty, v->assumed_uncertainty},
                {"replicates_per_draw", b->replicates_per_draw, v->replicates_per_draw},
                {"draws_per_block", b->draws_per_block, v->draws_per_block}};
  for (size_t i = 0; i < sizeof design / sizeof design[0]; i++)
    if (design[i].bv != design[i].vv) {
      out_set_err(err, errlen,
                  "%s: %s %lld differs from %s's %lld (expected the same, so that paired "
                  "replicates draw the same parameters)",
                  vpath, design[i].name, (long long)design[i].vv, bpath, (long long)design[i].bv);
      return -1;
    }
  if (b->git_revision[0] && v->git_revision[0] && strcmp(b->git_revision, v->git_revision) != 0) {
    out_set_err(err, errlen,
                "%s: git_revision %s differs from %s's %s (expected runs of the same build, so "
                "that paired replicates are the same model on the same random streams)",
                vpath, v->git_revision, bpath, b->git_revision);
    return -1;
  }
  const struct cube_coord *by = &b->dims[b->year_dim], *vy = &v->dims[v->year_dim];
  int same = by->n == vy->n;
  for (int i = 0; same && i < by->n; i++)
    same = by->ivalues[i] == vy->ivalues[i];
  if (!same) {
    out_set_err(err, errlen,
                "%s: years %s..%s differ from %s's %s..%s (expected the same year coordinates)",
                vpath, vy->labels[0], vy->labels[vy->n - 1], bpath, by->labels[0],
                by->labels[by->n - 1]);
    return -1;
  }
  same = b->ndims == v->ndims;
  for (int k = 1; same && k < b->ndims; k++) {
    const struct cube_coord *p = &b->dims[k], *q = &v->dims[k];
    same = strcmp(p->name, q->name) == 0 && p->n == q->n;
    for (int i = 0; same && i < p->n; i++)
      same = strcmp(p->labels[i], q->labels[i]) == 0;
  }
  if (!same) {
    out_set_err(err, errlen,
                "%s: measure %s has other dimensions or labels than in %s (expected identical "
                "axes)",
                vpath, b->measure, bpath);
    return -1;
  }
  if (!summary_same_selection(b, v)) {
    out_set_err(err, errlen,
                "%s: measure %s was loaded with other --by, --years or filters than in %s "
                "(expected the same selection)",
                vpath, b->measure, bpath);
    return -1;
  }
  return 0;
}

/**
 * @brief Pair replicates by coordinate value (not storage order): bi[r] and vi[r]
 *        index the r-th smallest replicate of b and v.
 * @return 0 if both hold the same set of distinct integer replicates;
 *         SUMMARY_EINPUT if not; SUMMARY_EFAIL if out of memory.
 */
static int summary_pair(const struct summary_table *b, const struct summary_table *v, int *bi,
                        int *vi)
{
  const int *bk = b->dims[0].ivalues, *vk = v->dims[0].ivalues;
  if (b->nrep != v->nrep || !bk || !vk) return SUMMARY_EINPUT;
  if (stats_order_int(bk, b->nrep, bi) < 0 || stats_order_int(vk, v->nrep, vi) < 0)
    return SUMMARY_EFAIL;
  for (int r = 0; r < b->nrep; r++)
    if (bk[bi[r]] != vk[vi[r]] || (r > 0 && bk[bi[r]] == bk[bi[r - 1]])) return SUMMARY_EINPUT;
  return 0;
}

int summary_table_diff(const struct summary_table *b, const struct summary_table *v,
                       const char *bpath, const char *vpath, double **diff, char *err,
                       size_t errlen)
{
  *diff = NULL;
  if (summary_check_same(b, v, bpath, vpath, err, errlen) < 0) return SUMMARY_EINPUT;
  if (err && errlen) err[0] = '\0';
  int *bi = hw_alloc((size_t)b->nrep + 1, sizeof *bi, "the replicate pairing", err, errlen);
  int *vi =
      bi ? hw_alloc((size_t)v->nrep + 1, sizeof *vi, "the replicate pairing", err, errlen) : NULL;
  int rc = bi && vi ? summary_pair(b, v, bi, vi) : SUMMARY_EFAIL;
  size_t per = (size_t)b->nyears * b->ncells;
  if (rc == 0 && !(*diff = hw_alloc((size_t)b->nrep * per * sizeof **diff + 1, 1,
                                    "the paired differences", err, errlen)))
    rc = SUMMARY_EFAIL;
  if (rc == SUMMARY_EINPUT)
    out_set_err(err, errlen,
                "%s: replicates (%d) are not the same set as %s's (%d) (expected matching "
                "replicate indices, e.g. both runs finished)",
                vpath, v->nrep, bpath, b->nrep);
  else if (rc == SUMMARY_EFAIL && err && errlen && !err[0]) /* stats_order_int's */
    out_set_err(err, errlen, "out of memory for the replicate pairing");
  for (int r = 0; rc == 0 && r < b->nrep; r++)
    for (size_t i = 0; i < per; i++)
      (*diff)[(size_t)r * per + i] =
          v->values[(size_t)vi[r] * per + i] - b->values[(size_t)bi[r] * per + i];
  free(bi);
  free(vi);
  return rc;
}
