/**
 * @file summary.c
 * @brief `hwsim summary` / `hwsim compare` over HDF5 result cubes (see summary.h).
 *
 * The reader is generic: it finds a measure's dimensions from the dimension
 * scales attached to it, so it works for any measure of any rank as long as
 * dimension 0 is `replicate` and one dimension is `year`.  Each replicate's
 * slab (one chunk on disk) is read and summed in turn, so memory stays at one
 * slab plus the small per-replicate aggregates, whatever the replicate count.
 */
#include "summary.h"

#include "cube.h"

#include "oututil.h"

#include <errno.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <limits.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Sectors counted when the sector axis is summed over: the health and care services. */
static const char *const summary_health_sectors[] = {"municipal", "specialist", "other_health"};
#define SUMMARY_N_HEALTH 3

/** Return codes of summary_load's helpers: bad input (exit 2) vs. other failure (exit 1). */
#define SUMMARY_EINPUT (-1)
#define SUMMARY_EFAIL (-2)

/** @brief Append ", s" (or "s" when empty) to buf, bounded. */
static void summary_list_add(char *buf, size_t len, const char *s)
{
  size_t used = strlen(buf);
  if (used + 1 >= len) return;
  snprintf(buf + used, len - used, "%s%s", used ? ", " : "", s);
}

const char *summary_cell_label(const struct summary_table *t, size_t cell, int k)
{
  /* Cells are row-major over the --by dimensions in --by order. */
  size_t stride = 1;
  for (int j = t->nby - 1; j > k; j--) stride *= (size_t)t->dims[t->by_dim[j]].n;
  const struct summary_dim *d = &t->dims[t->by_dim[k]];
  return d->labels[(cell / stride) % (size_t)d->n];
}

void summary_table_free(struct summary_table *t)
{
  for (int i = 0; i < t->ndims && i < SUMMARY_MAX_DIMS; i++) {
    struct summary_dim *d = &t->dims[i];
    if (d->labels)
      for (int j = 0; j < d->n; j++) free(d->labels[j]);
    free(d->labels);
    free(d->ivalues);
    free(d->name);
  }
  free(t->years);
  free(t->values);
  memset(t, 0, sizeof *t);
}

/** @brief Read string attribute @p name of @p obj (fixed or variable length) into buf. */
static int summary_attr_str(hid_t obj, const char *name, char *buf, size_t len)
{
  hid_t a = -1, t = -1, mt = -1;
  int rc = -1;
  buf[0] = '\0';
  if (H5Aexists(obj, name) <= 0) return -1;
  if ((a = H5Aopen(obj, name, H5P_DEFAULT)) < 0) return -1;
  if ((t = H5Aget_type(a)) < 0 || H5Tget_class(t) != H5T_STRING) goto done;
  if (H5Tis_variable_str(t) > 0) {
    char *s = NULL;
    /* HDF5 will not convert between character sets: read in the file's own. */
    if ((mt = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(mt, H5T_VARIABLE) < 0 ||
        H5Tset_cset(mt, H5Tget_cset(t)) < 0)
      goto done;
    if (H5Aread(a, mt, &s) < 0) goto done;
    snprintf(buf, len, "%s", s ? s : "");
    if (s) H5free_memory(s);
  } else {
    size_t n = H5Tget_size(t);
    char *s = calloc(n + 1, 1);
    if (!s) goto done;
    if ((mt = H5Tcopy(t)) < 0 || H5Aread(a, mt, s) < 0) {
      free(s);
      goto done;
    }
    snprintf(buf, len, "%s", s);
    free(s);
  }
  rc = 0;
done:
  if (mt >= 0) H5Tclose(mt);
  if (t >= 0) H5Tclose(t);
  H5Aclose(a);
  return rc;
}

/** @brief H5DSiterate_scales callback: keep the last attached scale's name (as netCDF does). */
static herr_t summary_scale_name_cb(hid_t did, unsigned dim, hid_t dsid, void *data)
{
  char *buf = data;
  char name[256];
  (void)did;
  (void)dim;
  ssize_t n = H5Iget_name(dsid, name, sizeof name);
  if (n <= 0) return -1;
  const char *base = strrchr(name, '/');
  snprintf(buf, 256, "%s", base ? base + 1 : name);
  return 0;
}

/** @brief H5Literate callback collecting the names of non-scale datasets (the measures). */
static herr_t summary_list_cb(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
  char *buf = data;
  H5O_info_t oi;
  (void)info;
  if (H5Oget_info_by_name(g, name, &oi, H5P_DEFAULT) < 0 || oi.type != H5O_TYPE_DATASET) return 0;
  hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
  if (d < 0) return 0;
  if (H5DSis_scale(d) <= 0) summary_list_add(buf, 1024, name);
  H5Dclose(d);
  return 0;
}

/** @brief Read a 1-D coordinate dataset into labels (and ivalues for integers). */
static int summary_read_coord(hid_t f, struct summary_dim *dim, hsize_t expect, const char *path,
                              char *err, size_t errlen)
{
  hid_t d = H5Dopen2(f, dim->name, H5P_DEFAULT), t = -1, s = -1, mt = -1;
  hsize_t n = 0;
  int rc = SUMMARY_EINPUT;
  if (d < 0) {
    out_set_err(err, errlen, "%s: coordinate %s cannot be opened (expected a 1-D dataset)",
                    path, dim->name);
    return SUMMARY_EINPUT;
  }
  if ((s = H5Dget_space(d)) < 0 || H5Sget_simple_extent_ndims(s) != 1 ||
      H5Sget_simple_extent_dims(s, &n, NULL) != 1 || n != expect) {
    out_set_err(err, errlen, "%s: coordinate %s has length %llu (expected %llu, the "
                    "dimension's length)", path, dim->name, (unsigned long long)n,
                    (unsigned long long)expect);
    goto done;
  }
  dim->n = (int)n;
  dim->labels = calloc(n ? n : 1, sizeof *dim->labels);
  if (!dim->labels) {
    rc = SUMMARY_EFAIL;
    goto done;
  }
  if ((t = H5Dget_type(d)) < 0) goto done;
  if (H5Tget_class(t) == H5T_INTEGER) {
    dim->ivalues = malloc((n ? n : 1) * sizeof *dim->ivalues);
    if (!dim->ivalues) {
      rc = SUMMARY_EFAIL;
      goto done;
    }
    if (n && H5Dread(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, dim->ivalues) < 0) goto done;
    for (hsize_t i = 0; i < n; i++) {
      char buf[24];
      snprintf(buf, sizeof buf, "%d", dim->ivalues[i]);
      if (!(dim->labels[i] = out_strdup(buf))) {
        rc = SUMMARY_EFAIL;
        goto done;
      }
    }
  } else if (H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0) {
    char **raw = calloc(n ? n : 1, sizeof *raw);
    if (!raw) {
      rc = SUMMARY_EFAIL;
      goto done;
    }
    if ((mt = H5Tcopy(H5T_C_S1)) < 0 || H5Tset_size(mt, H5T_VARIABLE) < 0 ||
        H5Tset_cset(mt, H5Tget_cset(t)) < 0 || (n && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0)) {
      free(raw);
      goto done;
    }
    int ok = 1;
    for (hsize_t i = 0; i < n; i++)
      if (!(dim->labels[i] = out_strdup(raw[i] ? raw[i] : ""))) ok = 0;
    if (n) H5Dvlen_reclaim(mt, s, H5P_DEFAULT, raw);
    free(raw);
    if (!ok) {
      rc = SUMMARY_EFAIL;
      goto done;
    }
  } else if (H5Tget_class(t) == H5T_STRING) {
    size_t w = H5Tget_size(t);
    char *raw = calloc(n * w + 1, 1);
    if (!raw) {
      rc = SUMMARY_EFAIL;
      goto done;
    }
    if ((mt = H5Tcopy(t)) < 0 || (n && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0)) {
      free(raw);
      goto done;
    }
    for (hsize_t i = 0; i < n; i++) {
      char *lab = calloc(w + 1, 1);
      if (!lab) {
        free(raw);
        rc = SUMMARY_EFAIL;
        goto done;
      }
      memcpy(lab, raw + i * w, w);
      dim->labels[i] = lab;
    }
    free(raw);
  } else {
    out_set_err(err, errlen, "%s: coordinate %s is neither integer nor string (expected "
                    "labels or years)", path, dim->name);
    goto done;
  }
  rc = 0;
done:
  if (rc == SUMMARY_EINPUT && err && !err[0])
    out_set_err(err, errlen, "%s: cannot read coordinate %s (expected a 1-D dataset)", path,
                    dim->name);
  if (mt >= 0) H5Tclose(mt);
  if (t >= 0) H5Tclose(t);
  if (s >= 0) H5Sclose(s);
  H5Dclose(d);
  return rc;
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
    if (i != 0 && i != t->year_dim) summary_list_add(valid, sizeof valid, t->dims[i].name);
  t->nby = 0;
  if (!by) return 0;
  const char *p = by;
  while (1) {
    const char *c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    char name[128];
    if (len == 0 || len >= sizeof name) {
      out_set_err(err, errlen, "%s: --by '%s' has an empty or overlong name (expected "
                      "DIM[,DIM] from: %s)", path, by, valid);
      return SUMMARY_EINPUT;
    }
    memcpy(name, p, len);
    name[len] = '\0';
    int i = summary_dim_index(t, name);
    if (i <= 0 || i == t->year_dim) {
      out_set_err(err, errlen, "%s: measure %s has no dimension '%s' to break down by "
                      "(expected one of: %s; year is always shown)", path, t->measure, name,
                      valid);
      return SUMMARY_EINPUT;
    }
    for (int k = 0; k < t->nby; k++)
      if (t->by_dim[k] == i) {
        out_set_err(err, errlen, "%s: --by lists '%s' twice (expected each dimension "
                        "once)", path, name);
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
  const struct summary_dim *yd = &t->dims[t->year_dim];
  char range[64];
  snprintf(range, sizeof range, "%s..%s", yd->n ? yd->labels[0] : "?",
           yd->n ? yd->labels[yd->n - 1] : "?");
  t->years = malloc(((size_t)yd->n + 1) * sizeof *t->years);
  if (!t->years) return SUMMARY_EFAIL;
  t->nyears = 0;
  if (!years) {
    for (int i = 0; i < yd->n; i++) t->years[t->nyears++] = yd->ivalues[i];
    return 0;
  }
  const char *p = years;
  while (1) {
    char *end;
    errno = 0;
    long v = strtol(p, &end, 10);
    if (end == p || errno || (*end && *end != ',') || v < INT_MIN || v > INT_MAX) {
      out_set_err(err, errlen, "%s: --years '%s' is not a list of years (expected e.g. "
                      "2025,2040 within %s)", path, years, range);
      return SUMMARY_EINPUT;
    }
    int found = 0;
    for (int i = 0; i < yd->n; i++)
      if (yd->ivalues[i] == (int)v) found = 1;
    if (!found) {
      out_set_err(err, errlen, "%s: year %ld is not in the file (expected years %s)", path,
                      v, range);
      return SUMMARY_EINPUT;
    }
    for (int k = 0; k < t->nyears; k++)
      if (t->years[k] == (int)v) {
        out_set_err(err, errlen, "%s: --years lists %ld twice (expected each year once)",
                        path, v);
        return SUMMARY_EINPUT;
      }
    if (t->nyears >= yd->n) break;
    t->years[t->nyears++] = (int)v;
    if (!*end) break;
    p = end + 1;
  }
  return 0;
}

/**
 * @brief Sum each replicate's slab into t->values (unscaled).
 *
 * Per dimension d (after replicate) precompute the contribution of index i to
 * the output cell (cell_off) and whether i is included (keep); then walk the
 * slab in C order with an odometer.
 */
static int summary_aggregate(hid_t d, struct summary_table *t)
{
  int r = t->ndims;
  hsize_t start[SUMMARY_MAX_DIMS], count[SUMMARY_MAX_DIMS];
  size_t slab = 1;
  long *cell_off[SUMMARY_MAX_DIMS] = {0};
  unsigned char *keep[SUMMARY_MAX_DIMS] = {0};
  int *yout = NULL;
  double *buf = NULL;
  hid_t fs = -1, ms = -1;
  int rc = SUMMARY_EFAIL;
  int sector_summed = 0;

  for (int k = 0; k < r; k++) {
    start[k] = 0;
    count[k] = (hsize_t)t->dims[k].n;
  }
  count[0] = 1;
  for (int k = 1; k < r; k++) slab *= (size_t)t->dims[k].n;

  for (int k = 1; k < r; k++) {
    int n = t->dims[k].n;
    cell_off[k] = calloc((size_t)n + 1, sizeof **cell_off);
    keep[k] = malloc((size_t)n + 1);
    if (!cell_off[k] || !keep[k]) goto done;
    memset(keep[k], 1, (size_t)n + 1);
    size_t stride = 1;
    int byk = -1;
    for (int j = t->nby - 1; j >= 0; j--) {
      if (t->by_dim[j] == k) {
        byk = j;
        break;
      }
      stride *= (size_t)t->dims[t->by_dim[j]].n;
    }
    if (byk >= 0)
      for (int i = 0; i < n; i++) cell_off[k][i] = (long)(stride * (size_t)i);
    else if (k != t->year_dim && strcmp(t->dims[k].name, "sector") == 0) {
      /* The headline concept: supply in the health and care services only. */
      sector_summed = 1;
      for (int i = 0; i < n; i++) {
        keep[k][i] = 0;
        for (int h = 0; h < SUMMARY_N_HEALTH; h++)
          if (strcmp(t->dims[k].labels[i], summary_health_sectors[h]) == 0) keep[k][i] = 1;
      }
    }
  }
  yout = malloc(((size_t)t->dims[t->year_dim].n + 1) * sizeof *yout);
  if (!yout) goto done;
  for (int i = 0; i < t->dims[t->year_dim].n; i++) {
    yout[i] = -1;
    for (int j = 0; j < t->nyears; j++)
      if (t->years[j] == t->dims[t->year_dim].ivalues[i]) yout[i] = j;
  }

  /* Title note: what the numbers are summed over. */
  t->note[0] = '\0';
  for (int k = 1; k < r; k++) {
    int is_by = 0;
    for (int j = 0; j < t->nby; j++)
      if (t->by_dim[j] == k) is_by = 1;
    if (is_by || k == t->year_dim) continue;
    if (sector_summed && strcmp(t->dims[k].name, "sector") == 0)
      summary_list_add(t->note, sizeof t->note,
                       "sector (municipal+specialist+other_health only)");
    else
      summary_list_add(t->note, sizeof t->note, t->dims[k].name);
  }

  buf = malloc((slab ? slab : 1) * sizeof *buf);
  t->values = calloc((size_t)t->nrep * (size_t)t->nyears * t->ncells + 1, sizeof *t->values);
  if (!buf || !t->values) goto done;
  if ((fs = H5Dget_space(d)) < 0 || (ms = H5Screate_simple(r, count, NULL)) < 0) goto done;

  for (int rep = 0; rep < t->nrep; rep++) {
    int idx[SUMMARY_MAX_DIMS] = {0};
    start[0] = (hsize_t)rep;
    if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
        H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, buf) < 0) {
      rc = SUMMARY_EINPUT; /* a damaged file is the user's input problem */
      goto done;
    }
    double *out = t->values + (size_t)rep * (size_t)t->nyears * t->ncells;
    for (size_t e = 0; e < slab; e++) {
      int use = 1;
      long cell = 0;
      for (int k = 1; k < r; k++) {
        if (!keep[k][idx[k]]) use = 0;
        cell += cell_off[k][idx[k]];
      }
      int y = yout[idx[t->year_dim]];
      if (use && y >= 0) out[(size_t)y * t->ncells + (size_t)cell] += buf[e];
      for (int k = r - 1; k >= 1; k--) { /* odometer over C order */
        if (++idx[k] < t->dims[k].n) break;
        idx[k] = 0;
      }
    }
  }
  size_t nv = (size_t)t->nrep * (size_t)t->nyears * t->ncells;
  for (size_t i = 0; i < nv; i++) t->values[i] *= t->scale_factor;
  rc = 0;
done:
  if (ms >= 0) H5Sclose(ms);
  if (fs >= 0) H5Sclose(fs);
  for (int k = 1; k < r; k++) {
    free(cell_off[k]);
    free(keep[k]);
  }
  free(yout);
  free(buf);
  return rc;
}

/** Saved HDF5 automatic error printer. */
struct summary_hush {
  H5E_auto2_t func;
  void *data;
};

int summary_load(const char *path, const char *measure, const char *by, const char *years,
                 struct summary_table *t, char *err, size_t errlen)
{
  struct summary_hush hush;
  hid_t f = -1, d = -1, s = -1, ty = -1;
  hsize_t dims[SUMMARY_MAX_DIMS];
  int rc = SUMMARY_EINPUT;
  FILE *probe;

  memset(t, 0, sizeof *t);
  t->scale_factor = 1.0;
  t->year_dim = -1;
  if (err && errlen) err[0] = '\0';
  snprintf(t->measure, sizeof t->measure, "%s", measure);

  /* HDF5 would print its whole error stack; the contract is one line. */
  if (H5Eget_auto2(H5E_DEFAULT, &hush.func, &hush.data) < 0) hush.func = NULL, hush.data = NULL;
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

  probe = fopen(path, "rb");
  if (!probe) {
    out_set_err(err, errlen, "%s: cannot open: %s (expected a readable hwsim cube)", path,
                    strerror(errno));
    goto done;
  }
  fclose(probe);
  if (H5Fis_hdf5(path) <= 0) {
    out_set_err(err, errlen, "%s: not an HDF5 file (expected an hwsim cube written by "
                    "hwsim run)", path);
    goto done;
  }
  if ((f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
    out_set_err(err, errlen, "%s: cannot open as HDF5 (expected an hwsim cube)", path);
    goto done;
  }
  if (H5Aexists(f, "seed") > 0) {
    hid_t a = H5Aopen(f, "seed", H5P_DEFAULT);
    if (a >= 0 && H5Aread(a, H5T_NATIVE_INT64, &t->seed) >= 0) t->has_seed = 1;
    if (a >= 0) H5Aclose(a);
  }

  /* The measure must be a non-scale dataset at the root. */
  {
    H5O_info_t oi;
    int ok = H5Lexists(f, measure, H5P_DEFAULT) > 0 &&
             H5Oget_info_by_name(f, measure, &oi, H5P_DEFAULT) >= 0 &&
             oi.type == H5O_TYPE_DATASET && (d = H5Dopen2(f, measure, H5P_DEFAULT)) >= 0 &&
             H5DSis_scale(d) <= 0;
    if (!ok) {
      char list[1024] = "";
      hsize_t idx = 0;
      H5Literate(f, H5_INDEX_NAME, H5_ITER_INC, &idx, summary_list_cb, list);
      out_set_err(err, errlen, "%s: no measure '%s' (expected one of: %s)", path, measure,
                      list[0] ? list : "none found");
      goto done;
    }
  }
  if ((ty = H5Dget_type(d)) < 0 ||
      (H5Tget_class(ty) != H5T_INTEGER && H5Tget_class(ty) != H5T_FLOAT)) {
    out_set_err(err, errlen, "%s: measure %s is not numeric (expected integer counts)", path,
                    measure);
    goto done;
  }
  if ((s = H5Dget_space(d)) < 0) goto done;
  t->ndims = H5Sget_simple_extent_ndims(s);
  if (t->ndims < 2 || t->ndims > SUMMARY_MAX_DIMS ||
      H5Sget_simple_extent_dims(s, dims, NULL) != t->ndims) {
    out_set_err(err, errlen, "%s: measure %s has %d dimensions (expected replicate, year, "
                    "... up to %d)", path, measure, t->ndims, SUMMARY_MAX_DIMS);
    t->ndims = 0;
    goto done;
  }
  for (int k = 0; k < t->ndims; k++) {
    char name[256] = "";
    if (H5DSget_num_scales(d, (unsigned)k) <= 0 ||
        H5DSiterate_scales(d, (unsigned)k, NULL, summary_scale_name_cb, name) < 0 || !name[0]) {
      out_set_err(err, errlen, "%s: dimension %d of %s has no dimension scale (expected "
                      "every axis named by a coordinate dataset)", path, k, measure);
      goto done;
    }
    if (!(t->dims[k].name = out_strdup(name))) {
      rc = SUMMARY_EFAIL;
      goto done;
    }
    int c = summary_read_coord(f, &t->dims[k], dims[k], path, err, errlen);
    if (c < 0) {
      rc = c;
      goto done;
    }
    if (strcmp(name, "year") == 0) t->year_dim = k;
  }
  if (strcmp(t->dims[0].name, "replicate") != 0) {
    out_set_err(err, errlen, "%s: measure %s starts with dimension %s (expected replicate)",
                    path, measure, t->dims[0].name);
    goto done;
  }
  if (t->year_dim <= 0 || !t->dims[t->year_dim].ivalues) {
    out_set_err(err, errlen, "%s: measure %s has no integer year dimension (expected "
                    "replicate, year, ...)", path, measure);
    goto done;
  }
  t->nrep = t->dims[0].n;
  if (t->nrep == 0) {
    out_set_err(err, errlen, "%s: no finished replicates (expected at least one)", path);
    goto done;
  }
  summary_attr_str(d, "units", t->units, sizeof t->units);
  summary_attr_str(d, "long_name", t->long_name, sizeof t->long_name);
  if (H5Aexists(d, "scale_factor") > 0) {
    hid_t a = H5Aopen(d, "scale_factor", H5P_DEFAULT);
    int ok = a >= 0 && H5Aread(a, H5T_NATIVE_DOUBLE, &t->scale_factor) >= 0;
    if (a >= 0) H5Aclose(a);
    if (!ok) {
      out_set_err(err, errlen, "%s: measure %s: unreadable scale_factor (expected a number)",
                      path, measure);
      goto done;
    }
  }
  if ((rc = summary_parse_by(t, by, path, err, errlen)) < 0) goto done;
  if ((rc = summary_parse_years(t, years, path, err, errlen)) < 0) goto done;
  rc = SUMMARY_EINPUT;
  t->ncells = 1;
  for (int k = 0; k < t->nby; k++) t->ncells *= (size_t)t->dims[t->by_dim[k]].n;
  rc = summary_aggregate(d, t);
  if (rc == SUMMARY_EINPUT)
    out_set_err(err, errlen, "%s: cannot read measure %s (expected an intact file)", path,
                    measure);
done:
  if (rc == SUMMARY_EFAIL && err && !err[0]) out_set_err(err, errlen, "%s: out of memory", path);
  if (ty >= 0) H5Tclose(ty);
  if (s >= 0) H5Sclose(s);
  if (d >= 0) H5Dclose(d);
  if (f >= 0) H5Fclose(f);
  H5Eset_auto2(H5E_DEFAULT, hush.func, hush.data);
  if (rc < 0) {
    /* Keep the dims for nothing: callers only look at err. */
    summary_table_free(t);
    snprintf(t->measure, sizeof t->measure, "%s", measure);
  }
  return rc;
}

/* ------------------------------------------------------------------ CLI */

/** Parsed command line shared by summary and compare. */
struct summary_opts {
  const char *files[2];
  int nfiles;
  const char *measure;
  const char *by;
  const char *years;
  int csv;
  int help;
  int decompose;
};

/** @brief Print the usage text of @p cmd to @p out. */
static void summary_usage(FILE *out, const char *cmd)
{
  if (strcmp(cmd, "compare") == 0)
    fprintf(out, "usage: hwsim compare BASE.h5 VARIANT.h5 [--measure M] [--by DIM[,DIM]] "
                 "[--years Y1,Y2,...] [--csv]\n"
                 "Paired difference VARIANT - BASE per replicate: mean, p05, p50, p95.\n");
  else
    fprintf(out, "usage: hwsim summary OUT.h5 [--measure M] [--by DIM[,DIM]] "
                 "[--years Y1,Y2,...] [--csv] [--decompose]\n"
                 "Mean and quantiles (p05, p50, p95; R type 7) across replicates.\n"
                 "Summing over sector counts municipal+specialist+other_health only.\n");
}

/** @brief Parse argv; @return 0, or 2 with an error line already printed. */
static int summary_parse_opts(int argc, char **argv, const char *cmd, int nfiles,
                              struct summary_opts *o)
{
  memset(o, 0, sizeof *o);
  o->measure = "fte";
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char **dst = NULL;
    const char *name = NULL;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      o->help = 1;
      return 0;
    }
    if (strcmp(a, "--csv") == 0) {
      o->csv = 1;
      continue;
    }
    if (strcmp(a, "--decompose") == 0 && nfiles == 1) {
      o->decompose = 1;
      continue;
    }
    if (strncmp(a, "--measure", 9) == 0) dst = &o->measure, name = "--measure";
    else if (strncmp(a, "--by", 4) == 0) dst = &o->by, name = "--by";
    else if (strncmp(a, "--years", 7) == 0) dst = &o->years, name = "--years";
    if (dst) {
      size_t nl = strlen(name);
      if (a[nl] == '=') {
        *dst = a + nl + 1;
      } else if (a[nl] == '\0') {
        if (i + 1 >= argc) {
          fprintf(stderr, "hwsim %s: %s needs a value (expected %s VALUE)\n", cmd, name, name);
          return 2;
        }
        *dst = argv[++i];
      } else {
        dst = NULL;
      }
      if (dst) {
        if (!**dst) {
          fprintf(stderr, "hwsim %s: %s is empty (expected a value)\n", cmd, name);
          return 2;
        }
        continue;
      }
    }
    if (a[0] == '-' && a[1] != '\0') {
      fprintf(stderr, "hwsim %s: unknown option '%s' (expected --measure, --by, --years, --csv%s)\n",
              cmd, a, nfiles == 1 ? ", --decompose" : "");
      return 2;
    }
    if (o->nfiles >= nfiles) {
      fprintf(stderr, "hwsim %s: unexpected argument '%s' (expected %s)\n", cmd, a,
              nfiles == 1 ? "one cube file" : "BASE.h5 VARIANT.h5");
      return 2;
    }
    o->files[o->nfiles++] = a;
  }
  if (o->nfiles != nfiles) {
    fprintf(stderr, "hwsim %s: missing file argument (expected %s)\n", cmd,
            nfiles == 1 ? "hwsim summary OUT.h5 [options]"
                        : "hwsim compare BASE.h5 VARIANT.h5 [options]");
    return 2;
  }
  return 0;
}

/** @brief Print a CSV field, quoting it if it holds a comma, quote or newline. */
static void summary_csv_field(const char *s)
{
  if (!strpbrk(s, ",\"\n")) {
    fputs(s, stdout);
    return;
  }
  putchar('"');
  for (; *s; s++) {
    if (*s == '"') putchar('"');
    putchar(*s);
  }
  putchar('"');
}

/**
 * @brief Print the statistics table: rows per --by cell and year, stats across x[r].
 * @param vals  [nrep][nyears][ncells] values (per-replicate aggregates or differences)
 */
static int summary_print(const struct summary_table *t, const double *vals, int nrep, int csv,
                         const char *title)
{
  double *x = malloc((size_t)nrep * sizeof *x);
  int wby[SUMMARY_MAX_DIMS];
  if (!x) return 1;
  for (int k = 0; k < t->nby; k++) {
    const struct summary_dim *d = &t->dims[t->by_dim[k]];
    wby[k] = (int)strlen(d->name);
    for (int i = 0; i < d->n; i++)
      if ((int)strlen(d->labels[i]) > wby[k]) wby[k] = (int)strlen(d->labels[i]);
  }
  if (csv) {
    for (int k = 0; k < t->nby; k++) {
      summary_csv_field(t->dims[t->by_dim[k]].name);
      putchar(',');
    }
    puts("year,mean,p05,p50,p95");
  } else {
    printf("%s\n", title);
    for (int k = 0; k < t->nby; k++) printf("%-*s  ", wby[k], t->dims[t->by_dim[k]].name);
    printf("%4s  %14s  %14s  %14s  %14s\n", "year", "mean", "p05", "p50", "p95");
  }
  for (size_t c = 0; c < t->ncells; c++)
    for (int y = 0; y < t->nyears; y++) {
      double st[4];
      for (int r = 0; r < nrep; r++)
        x[r] = vals[((size_t)r * (size_t)t->nyears + (size_t)y) * t->ncells + c];
      summary_stats(x, nrep, st);
      for (int k = 0; k < 4; k++)
        if (st[k] == 0.0) st[k] = 0.0; /* no "-0.00" */
      if (csv) {
        for (int k = 0; k < t->nby; k++) {
          summary_csv_field(summary_cell_label(t, c, k));
          putchar(',');
        }
        printf("%d,%.2f,%.2f,%.2f,%.2f\n", t->years[y], st[0], st[1], st[2], st[3]);
      } else {
        for (int k = 0; k < t->nby; k++) printf("%-*s  ", wby[k], summary_cell_label(t, c, k));
        printf("%4d  %14.2f  %14.2f  %14.2f  %14.2f\n", t->years[y], st[0], st[1], st[2], st[3]);
      }
    }
  free(x);
  return fflush(stdout) == 0 ? 0 : 1;
}

/** @brief `summary --decompose`: parameter vs Monte Carlo variance per cell and year. */
static int summary_print_decompose(const struct summary_table *t, int k, int csv,
                                   const char *title)
{
  double *x = malloc((size_t)t->nrep * sizeof *x);
  if (!x) return 1;
  if (csv) {
    for (int b = 0; b < t->nby; b++) {
      summary_csv_field(t->dims[t->by_dim[b]].name);
      putchar(',');
    }
    puts("year,mean,var_param,var_mc,param_share,ss_between,ss_within,ss_total");
  } else {
    printf("%s\n", title);
    for (int b = 0; b < t->nby; b++) printf("%s  ", t->dims[t->by_dim[b]].name);
    printf("%4s  %14s  %14s  %14s  %11s\n", "year", "mean", "sd_param", "sd_mc", "param_share");
  }
  for (size_t c = 0; c < t->ncells; c++)
    for (int y = 0; y < t->nyears; y++) {
      for (int r = 0; r < t->nrep; r++)
        x[r] = t->values[((size_t)r * (size_t)t->nyears + (size_t)y) * t->ncells + c];
      double o[7];
      summary_decompose(x, t->nrep, k, o);
      if (csv) {
        for (int b = 0; b < t->nby; b++) {
          summary_csv_field(summary_cell_label(t, c, b));
          putchar(',');
        }
        printf("%d,%.4f,%.6g,%.6g,%.4f,%.6g,%.6g,%.6g\n", t->years[y], o[0], o[1], o[2], o[3], o[4],
               o[5], o[6]);
      } else {
        for (int b = 0; b < t->nby; b++) printf("%s  ", summary_cell_label(t, c, b));
        printf("%4d  %14.2f  %14.2f  %14.2f  %11.3f\n", t->years[y], o[0], sqrt(o[1]), sqrt(o[2]),
               o[3]);
      }
    }
  free(x);
  return fflush(stdout) == 0 ? 0 : 1;
}

int summary_main(int argc, char **argv)
{
  struct summary_opts o;
  struct summary_table t;
  char err[1536], title[2048];
  int rc = summary_parse_opts(argc, argv, "summary", 1, &o);
  if (rc) return rc;
  if (o.help) {
    summary_usage(stdout, "summary");
    return 0;
  }
  rc = summary_load(o.files[0], o.measure, o.by, o.years, &t, err, sizeof err);
  if (rc < 0) {
    fprintf(stderr, "hwsim summary: %s\n", err);
    return rc == SUMMARY_EINPUT ? 2 : 1;
  }
  if (o.decompose) {
    int64_t k = 0;
    if (cube_read_attr_i64(o.files[0], "replicates_per_draw", &k) != 0 || k < 2 ||
        t.nrep % k != 0 || t.nrep / k < 2) {
      fprintf(stderr, "hwsim summary: %s: --decompose needs nested replicates (expected a run with "
                      "replicates_per_draw >= 2, at least 2 draws and whole draws; this file has %d "
                      "replicates, replicates_per_draw %lld)\n",
              o.files[0], t.nrep, (long long)k);
      summary_table_free(&t);
      return 2;
    }
    snprintf(title, sizeof title,
             "%s: %s [%s], %d replicates = %d parameter draws x %lld; variance split into parameter "
             "(between draws) and Monte Carlo (within draws)%s%s",
             t.measure, t.long_name[0] ? t.long_name : t.measure, t.units[0] ? t.units : "1",
             t.nrep, t.nrep / (int)k, (long long)k, t.note[0] ? "; summed over " : "", t.note);
    rc = summary_print_decompose(&t, (int)k, o.csv, title);
    summary_table_free(&t);
    return rc;
  }
  snprintf(title, sizeof title,
           "%s: %s [%s], %d replicate%s; mean and quantiles across replicates (R type 7)%s%s",
           t.measure, t.long_name[0] ? t.long_name : t.measure, t.units[0] ? t.units : "1",
           t.nrep, t.nrep == 1 ? "" : "s", t.note[0] ? "; summed over " : "", t.note);
  rc = summary_print(&t, t.values, t.nrep, o.csv, title);
  summary_table_free(&t);
  return rc;
}

/** @brief qsort comparator on replicate values via an index array's target. */
static const int *summary_sort_keys;
static int summary_cmp_rep(const void *a, const void *b)
{
  int x = summary_sort_keys[*(const int *)a], y = summary_sort_keys[*(const int *)b];
  return (x > y) - (x < y);
}

/** @brief Check that two loaded tables describe the same cube shape; 0 or -1 with err. */
static int summary_check_same(const struct summary_table *b, const struct summary_table *v,
                              const char *bpath, const char *vpath, char *err, size_t errlen)
{
  if (b->has_seed != v->has_seed || (b->has_seed && b->seed != v->seed)) {
    out_set_err(err, errlen, "%s: seed %lld differs from %s's %lld (expected the same seed, "
                    "so paired replicates share random streams)", vpath,
                    v->has_seed ? (long long)v->seed : -1LL, bpath,
                    b->has_seed ? (long long)b->seed : -1LL);
    return -1;
  }
  const struct summary_dim *by = &b->dims[b->year_dim], *vy = &v->dims[v->year_dim];
  int same = by->n == vy->n;
  for (int i = 0; same && i < by->n; i++) same = by->ivalues[i] == vy->ivalues[i];
  if (!same) {
    out_set_err(err, errlen, "%s: years %s..%s differ from %s's %s..%s (expected the same "
                    "year coordinates)", vpath, vy->labels[0], vy->labels[vy->n - 1], bpath,
                    by->labels[0], by->labels[by->n - 1]);
    return -1;
  }
  same = b->ndims == v->ndims;
  for (int k = 1; same && k < b->ndims; k++) {
    const struct summary_dim *p = &b->dims[k], *q = &v->dims[k];
    same = strcmp(p->name, q->name) == 0 && p->n == q->n;
    for (int i = 0; same && i < p->n; i++) same = strcmp(p->labels[i], q->labels[i]) == 0;
  }
  if (!same) {
    out_set_err(err, errlen, "%s: measure %s has other dimensions or labels than in %s "
                    "(expected identical axes)", vpath, b->measure, bpath);
    return -1;
  }
  return 0;
}

int compare_main(int argc, char **argv)
{
  struct summary_opts o;
  struct summary_table b, v;
  char err[1536], title[2048];
  int *bi = NULL, *vi = NULL;
  double *diff = NULL;
  int rc = summary_parse_opts(argc, argv, "compare", 2, &o);
  if (rc) return rc;
  if (o.help) {
    summary_usage(stdout, "compare");
    return 0;
  }
  rc = summary_load(o.files[0], o.measure, o.by, o.years, &b, err, sizeof err);
  if (rc < 0) {
    fprintf(stderr, "hwsim compare: %s\n", err);
    return rc == SUMMARY_EINPUT ? 2 : 1;
  }
  rc = summary_load(o.files[1], o.measure, o.by, o.years, &v, err, sizeof err);
  if (rc < 0) {
    summary_table_free(&b);
    fprintf(stderr, "hwsim compare: %s\n", err);
    return rc == SUMMARY_EINPUT ? 2 : 1;
  }
  if (summary_check_same(&b, &v, o.files[0], o.files[1], err, sizeof err) < 0) {
    rc = 2;
    goto done;
  }
  /* Pair replicates by coordinate value (not storage order): sort both index lists. */
  bi = malloc((size_t)b.nrep * sizeof *bi);
  vi = malloc((size_t)v.nrep * sizeof *vi);
  if (!bi || !vi) {
    snprintf(err, sizeof err, "out of memory");
    rc = 1;
    goto done;
  }
  for (int r = 0; r < b.nrep; r++) bi[r] = r;
  for (int r = 0; r < v.nrep; r++) vi[r] = r;
  summary_sort_keys = b.dims[0].ivalues;
  qsort(bi, (size_t)b.nrep, sizeof *bi, summary_cmp_rep);
  summary_sort_keys = v.dims[0].ivalues;
  qsort(vi, (size_t)v.nrep, sizeof *vi, summary_cmp_rep);
  int same = b.nrep == v.nrep && b.dims[0].ivalues && v.dims[0].ivalues;
  for (int r = 0; same && r < b.nrep; r++) {
    same = b.dims[0].ivalues[bi[r]] == v.dims[0].ivalues[vi[r]];
    if (r > 0 && b.dims[0].ivalues[bi[r]] == b.dims[0].ivalues[bi[r - 1]]) same = 0;
  }
  if (!same) {
    snprintf(err, sizeof err, "%s: replicates (%d) are not the same set as %s's (%d) (expected "
             "matching replicate indices, e.g. both runs finished)", o.files[1], v.nrep,
             o.files[0], b.nrep);
    rc = 2;
    goto done;
  }
  size_t per = (size_t)b.nyears * b.ncells;
  diff = malloc((size_t)b.nrep * per * sizeof *diff + 1);
  if (!diff) {
    snprintf(err, sizeof err, "out of memory");
    rc = 1;
    goto done;
  }
  for (int r = 0; r < b.nrep; r++)
    for (size_t i = 0; i < per; i++)
      diff[(size_t)r * per + i] = v.values[(size_t)vi[r] * per + i] - b.values[(size_t)bi[r] * per + i];
  snprintf(title, sizeof title,
           "%s: %s [%s], difference %s - %s paired by replicate, %d replicates; mean and "
           "quantiles of the differences (R type 7)%s%s",
           b.measure, b.long_name[0] ? b.long_name : b.measure, b.units[0] ? b.units : "1",
           o.files[1], o.files[0], b.nrep, b.note[0] ? "; summed over " : "", b.note);
  rc = summary_print(&b, diff, b.nrep, o.csv, title);
  err[0] = '\0';
done:
  if (rc == 2 || (rc == 1 && err[0])) fprintf(stderr, "hwsim compare: %s\n", err);
  free(diff);
  free(bi);
  free(vi);
  summary_table_free(&b);
  summary_table_free(&v);
  return rc;
}
