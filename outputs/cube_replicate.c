/**
 * @file cube_replicate.c
 * @brief One replicate of a result cube into a struct replicate_out (see
 *        cube_replicate.h): a hyperslab of row r of each measure's dataset.
 *
 * The slabs are reached only through layout_slabs and the measure indices of
 * sim/layout.h, so this file does not depend on how struct replicate_out
 * names its arrays.
 */
#include "cube_replicate.h"

#include <hdf5.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"

/** An open cube and the layout of this build for its years. */
struct cube_rd {
  hid_t file;
  int nrep, start_year, nyears;
  int *years; /**< the year coordinate (outlives layout) */
  struct cube_layout layout;
  H5E_auto2_t efunc; /**< HDF5's error printer, silenced while the file is open */
  void *edata;
};

/** @brief printf into err, always NUL-terminated. */
static void crd_err(char *err, size_t errlen, const char *fmt, ...)
{
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/** @brief Length of 1-D dataset @p name, or -1 if it is missing or not 1-D. */
static long long crd_len_1d(hid_t file, const char *name)
{
  if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return -1;
  hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
  if (d < 0) return -1;
  hid_t s = H5Dget_space(d);
  hsize_t n = 0;
  long long r = -1;
  if (s >= 0 && H5Sget_simple_extent_ndims(s) == 1 && H5Sget_simple_extent_dims(s, &n, NULL) == 1)
    r = (long long)n;
  if (s >= 0) H5Sclose(s);
  H5Dclose(d);
  return r;
}

/** @brief Read the whole 1-D integer dataset @p name into @p buf (n values). */
static int crd_read_ints(hid_t file, const char *name, int *buf)
{
  hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
  if (d < 0) return -1;
  int rc = H5Dread(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0 ? -1 : 0;
  H5Dclose(d);
  return rc;
}

/** @brief Whether coordinate @p ax of the file holds exactly the layout's labels or values. */
static int crd_axis_matches(hid_t file, const struct cube_axis *ax)
{
  if (crd_len_1d(file, ax->name) != ax->n) return 0;
  int ok = 0;
  hid_t d = H5Dopen2(file, ax->name, H5P_DEFAULT);
  if (d < 0) return 0;
  if (ax->labels) {
    hid_t t = H5Tcopy(H5T_C_S1), s = H5Dget_space(d);
    char **buf = calloc((size_t)ax->n, sizeof *buf);
    if (t >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0 && H5Tset_cset(t, H5T_CSET_UTF8) >= 0 && buf &&
        H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) {
      ok = 1;
      for (int i = 0; i < ax->n; i++)
        if (!buf[i] || strcmp(buf[i], ax->labels[i]) != 0) ok = 0;
      H5Dvlen_reclaim(t, s, H5P_DEFAULT, buf);
    }
    free(buf);
    if (s >= 0) H5Sclose(s);
    if (t >= 0) H5Tclose(t);
  } else {
    int *buf = malloc((size_t)ax->n * sizeof *buf);
    if (buf && H5Dread(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) {
      ok = 1;
      for (int i = 0; i < ax->n; i++)
        if (buf[i] != ax->values[i]) ok = 0;
    }
    free(buf);
  }
  H5Dclose(d);
  return ok;
}

/** @brief Close what crd_open opened and restore HDF5's error printer. */
static void crd_close(struct cube_rd *c)
{
  if (c->file >= 0) H5Fclose(c->file);
  free(c->years);
  H5Eset_auto2(H5E_DEFAULT, c->efunc, c->edata);
}

/** @brief The year coordinate: its name comes from the layout (axis 0 of measure 0). */
static int crd_years(struct cube_rd *c, const char *path, char *err, size_t errlen)
{
  int y0 = 0;
  struct cube_layout probe;
  layout_build(&probe, 0, 0, &y0);
  const char *yname = probe.axes[probe.measures[M_PERSONS].axes[0]].name;
  long long ny = crd_len_1d(c->file, yname);
  if (ny < 1) {
    crd_err(err, errlen, "%s: coordinate %s missing (expected a result cube)", path, yname);
    return -1;
  }
  c->nyears = (int)ny;
  c->years = malloc((size_t)ny * sizeof *c->years);
  if (!c->years || crd_read_ints(c->file, yname, c->years) < 0) {
    crd_err(err, errlen, "%s: cannot read coordinate %s", path, yname);
    return -1;
  }
  for (int i = 1; i < c->nyears; i++)
    if (c->years[i] != c->years[0] + i) {
      crd_err(err, errlen, "%s: %s is not consecutive years (expected %d, %d, ...)", path, yname,
              c->years[0], c->years[0] + 1);
      return -1;
    }
  c->start_year = c->years[0];
  return 0;
}

/** @brief The measures' shapes: replicate x the layout's axes; c->nrep = the replicates all hold.
 */
static int crd_check_measures(struct cube_rd *c, const char *path, char *err, size_t errlen)
{
  const struct cube_layout *L = &c->layout;
  long long nrep = crd_len_1d(c->file, "replicate");
  for (int m = 0; m < L->nmeasures; m++) {
    const struct cube_measure *me = &L->measures[m];
    hsize_t dims[CUBE_MAX_AXES + 1];
    int ok = 0;
    hid_t d = H5Lexists(c->file, me->name, H5P_DEFAULT) > 0
                  ? H5Dopen2(c->file, me->name, H5P_DEFAULT)
                  : -1;
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    if (s >= 0 && H5Sget_simple_extent_ndims(s) == me->naxes + 1 &&
        H5Sget_simple_extent_dims(s, dims, NULL) == me->naxes + 1) {
      ok = 1;
      for (int k = 0; k < me->naxes; k++)
        if (dims[k + 1] != (hsize_t)L->axes[me->axes[k]].n) ok = 0;
      if (nrep < 0 || (long long)dims[0] < nrep) nrep = (long long)dims[0];
    }
    if (s >= 0) H5Sclose(s);
    if (d >= 0) H5Dclose(d);
    if (!ok) {
      crd_err(err, errlen,
              "%s: measure %s missing or of another shape (expected replicate x %d axes)", path,
              me->name, me->naxes);
      return -1;
    }
  }
  c->nrep = nrep < 0 ? 0 : (int)nrep;
  return 0;
}

/** @brief Open @p path and check it against this build's layout for its years. */
static int crd_open(struct cube_rd *c, const char *path, char *err, size_t errlen)
{
  memset(c, 0, sizeof *c);
  c->file = -1;
  H5Eget_auto2(H5E_DEFAULT, &c->efunc, &c->edata);
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  if (H5Fis_hdf5(path) <= 0 || (c->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
    crd_err(err, errlen, "%s: cannot open (expected an HDF5 result cube)", path);
    return -1;
  }
  if (crd_years(c, path, err, errlen) < 0) return -1;
  layout_build(&c->layout, c->start_year, c->start_year + c->nyears - 1, c->years);
  for (int a = 0; a < c->layout.naxes; a++)
    if (!crd_axis_matches(c->file, &c->layout.axes[a])) {
      crd_err(err, errlen,
              "%s: coordinate %s missing or different (expected the %d %s of this build)", path,
              c->layout.axes[a].name, c->layout.axes[a].n,
              c->layout.axes[a].labels ? "labels" : "values");
      return -1;
    }
  return crd_check_measures(c, path, err, errlen);
}

int cube_replicate_shape(const char *path, int *nrep, int *start_year, int *nyears, char *err,
                         size_t errlen)
{
  struct cube_rd c;
  int rc = crd_open(&c, path, err, errlen);
  if (rc == 0) {
    *nrep = c.nrep;
    *start_year = c.start_year;
    *nyears = c.nyears;
  }
  crd_close(&c);
  return rc;
}

/** @brief Read row @p r of measure @p m into @p dst (the measure's slab for one replicate). */
static int crd_read_row(const struct cube_rd *c, int m, int r, int32_t *dst)
{
  const struct cube_measure *me = &c->layout.measures[m];
  hsize_t start[CUBE_MAX_AXES + 1] = {(hsize_t)r}, count[CUBE_MAX_AXES + 1] = {1};
  for (int k = 0; k < me->naxes; k++)
    count[k + 1] = (hsize_t)c->layout.axes[me->axes[k]].n;
  hid_t d = H5Dopen2(c->file, me->name, H5P_DEFAULT);
  hid_t fs = d >= 0 ? H5Dget_space(d) : -1;
  hid_t ms = H5Screate_simple(me->naxes + 1, count, NULL);
  int ok = fs >= 0 && ms >= 0 &&
           H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
           H5Dread(d, H5T_NATIVE_INT32, ms, fs, H5P_DEFAULT, dst) >= 0;
  if (ms >= 0) H5Sclose(ms);
  if (fs >= 0) H5Sclose(fs);
  if (d >= 0) H5Dclose(d);
  return ok ? 0 : -1;
}

int cube_read_replicate(const char *path, int r, struct replicate_out *o, char *err, size_t errlen)
{
  struct cube_rd c;
  int rc = crd_open(&c, path, err, errlen);
  if (rc == 0 && (r < 0 || r >= c.nrep)) {
    crd_err(err, errlen, "%s: no replicate row %d (expected 0..%d)", path, r, c.nrep - 1);
    rc = -1;
  }
  const int32_t *slabs[N_MEASURES];
  if (rc == 0) layout_slabs(o, slabs);
  for (int m = 0; rc == 0 && m < N_MEASURES; m++)
    /* the slabs are the replicate's own (replicate_out_init); layout_slabs hands them out const */
    if (crd_read_row(&c, m, r, (int32_t *)slabs[m]) < 0) {
      crd_err(err, errlen, "%s: cannot read replicate %d of %s", path, r,
              c.layout.measures[m].name);
      rc = -1;
    }
  crd_close(&c);
  return rc;
}
