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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "oututil.h"
#include "scenario.h"

/** An open cube and the layout of this build for its years. */
struct cube_rd {
  hid_t file;
  int nrep, start_year, nyears;
  int *years; /**< the year coordinate (outlives layout) */
  struct cube_layout layout;
  struct cube_read_hush hush; /**< HDF5's error printer, silenced while the file is open */
};

/** @brief Close what crd_open opened and restore HDF5's error printer. */
static void crd_close(struct cube_rd *c)
{
  if (c->file >= 0) H5Fclose(c->file);
  free(c->years);
  cube_read_hush_end(&c->hush);
}

/** @brief The year coordinate: its name is the layout's (the first axis of every measure). */
static int crd_years(struct cube_rd *c, const char *path, char *err, size_t errlen)
{
  const char *yname = axis_defs[A_YEAR].name;
  hid_t d = cube_read_dataset(c->file, yname);
  long long ny = d >= 0 ? cube_read_len_1d(d) : -1;
  if (d >= 0) H5Dclose(d);
  struct cube_coord y = {0};
  if (errlen) err[0] = '\0';
  int rc =
      ny < 1 ? CUBE_READ_EBAD : cube_read_coord(c->file, yname, (hsize_t)ny, &y, path, err, errlen);
  if (rc != 0 || !y.ivalues) {
    cube_read_coord_free(&y);
    if (rc != 0 && errlen && err[0]) return -1; /* the reader said why */
    out_set_err(err, errlen, "%s: coordinate %s missing or unreadable (expected a result cube)",
                path, yname);
    return -1;
  }
  c->nyears = (int)ny;
  c->years = y.ivalues;
  y.ivalues = NULL;
  cube_read_coord_free(&y);
  if (c->years[0] < SCN_YEAR_MIN || c->years[0] > SCN_END_YEAR_MAX) {
    out_set_err(err, errlen, "%s: %s starts at %d (expected a year in %d..%d)", path, yname,
                c->years[0], SCN_YEAR_MIN, SCN_END_YEAR_MAX);
    return -1;
  }
  for (int i = 1; i < c->nyears; i++)
    if ((long long)c->years[i] != (long long)c->years[0] + i) {
      out_set_err(err, errlen, "%s: %s is not consecutive years (expected %d, %d, ...)", path,
                  yname, c->years[0], c->years[0] + 1);
      return -1;
    }
  c->start_year = c->years[0];
  return 0;
}

/** @brief The first @p n replicate ids (the rows read) must be distinct integers. */
static int crd_check_replicates(struct cube_rd *c, long long len, int n, const char *path,
                                char *err, size_t errlen)
{
  struct cube_coord rc = {0};
  int dup = 0, bad = cube_read_coord(c->file, "replicate", (hsize_t)len, &rc, path, err, errlen);
  if (bad == 0 && !rc.ivalues) {
    out_set_err(err, errlen, "%s: replicate coordinate is not integer (expected ids 0, 1, ...)",
                path);
    bad = -1;
  }
  if (bad == 0 && (bad = cube_read_duplicate(rc.ivalues, n, &dup)) == 1)
    out_set_err(err, errlen,
                "%s: replicate coordinate holds %d twice (expected distinct replicate ids)", path,
                dup);
  else if (bad == CUBE_READ_ENOMEM && err && errlen && !err[0]) /* cube_read_duplicate's */
    out_set_err(err, errlen, "%s: out of memory", path);
  cube_read_coord_free(&rc);
  return bad ? -1 : 0;
}

/** @brief The measures' shapes: replicate x the layout's axes; c->nrep = the replicates all hold.
 */
static int crd_check_measures(struct cube_rd *c, const char *path, char *err, size_t errlen)
{
  const struct cube_layout *L = &c->layout;
  hid_t rep = cube_read_dataset(c->file, "replicate");
  long long nrep = rep >= 0 ? cube_read_len_1d(rep) : -1, len = nrep;
  if (rep >= 0) H5Dclose(rep);
  if (len < 0) {
    out_set_err(err, errlen, "%s: replicate coordinate missing (expected a 1-D dataset)", path);
    return -1;
  }
  for (int m = 0; m < L->nmeasures; m++) {
    hsize_t dims[CUBE_MAX_AXES + 1];
    hid_t d = cube_read_dataset(c->file, L->measures[m].name);
    int ok = d >= 0 && cube_measure_matches(d, L, m, dims) == 0;
    if (d >= 0) H5Dclose(d);
    if (!ok) {
      out_set_err(err, errlen,
                  "%s: measure %s missing or of another shape (expected replicate x %d axes)", path,
                  L->measures[m].name, L->measures[m].naxes);
      return -1;
    }
    if (nrep < 0 || (long long)dims[0] < nrep) nrep = (long long)dims[0];
  }
  c->nrep = (int)(nrep < CUBE_READ_MAX_COORD ? nrep : CUBE_READ_MAX_COORD); /* len is checked */
  return crd_check_replicates(c, len, c->nrep, path, err, errlen);
}

/** @brief Open @p path and check it against this build's layout for its years. */
static int crd_open(struct cube_rd *c, const char *path, char *err, size_t errlen)
{
  memset(c, 0, sizeof *c);
  c->file = -1;
  cube_read_hush_begin(&c->hush);
  if (cube_read_open(path, &c->file, err, errlen) != 0) return -1;
  if (crd_years(c, path, err, errlen) < 0) return -1;
  layout_build(&c->layout, c->start_year, c->start_year + c->nyears - 1, c->years);
  for (int a = 0; a < c->layout.naxes; a++)
    if (cube_axis_matches(c->file, &c->layout.axes[a]) < 0) {
      out_set_err(err, errlen,
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
  hid_t d = cube_read_dataset(c->file, me->name);
  int rc = d >= 0 ? cube_read_slab(d, H5T_NATIVE_INT32, me->naxes + 1, start, count, dst) : -1;
  if (d >= 0) H5Dclose(d);
  return rc;
}

int cube_read_replicate(const char *path, int r, struct replicate_out *o, char *err, size_t errlen)
{
  struct cube_rd c;
  int rc = crd_open(&c, path, err, errlen);
  if (rc == 0 && (r < 0 || r >= c.nrep)) {
    out_set_err(err, errlen, "%s: no replicate row %d (expected 0..%d)", path, r, c.nrep - 1);
    rc = -1;
  }
  const int32_t *slabs[N_MEASURES];
  if (rc == 0) layout_slabs(o, slabs);
  for (int m = 0; rc == 0 && m < N_MEASURES; m++)
    /* the slabs are the replicate's own (replicate_out_init); layout_slabs hands them out const */
    if (crd_read_row(&c, m, r, (int32_t *)slabs[m]) < 0) {
      out_set_err(err, errlen, "%s: cannot read replicate %d of %s", path, r,
                  c.layout.measures[m].name);
      rc = -1;
    }
  crd_close(&c);
  return rc;
}
