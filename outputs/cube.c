/**
 * @file cube.c
 * @brief HDF5 result cubes (see cube.h and docs/outputs.md).
 *
 * Layout on disk, chosen so that xarray (engine="h5netcdf"), h5py and R hdf5r
 * all see named dimensions without any netCDF-specific attributes:
 *  - one 1-D coordinate dataset per axis, named as the axis and made an HDF5
 *    dimension scale (H5DS); h5netcdf takes a dimension's name from the
 *    scale dataset's name, so no `_Netcdf4Dimid` / `_Netcdf4Coordinates` are
 *    needed (and none are written: they would claim netCDF-4 ids we do not
 *    manage);
 *  - categorical labels as variable-length UTF-8 strings, years as int32;
 *  - an unlimited int32 `replicate` coordinate;
 *  - one int32 dataset per measure shaped (replicate, axes...), chunked one
 *    replicate per chunk, shuffle + deflate(4), fill value 0, every dimension
 *    attached to its scale, CF attributes (long_name, units, cell_methods,
 *    scale_factor).  No `_FillValue` attribute: xarray would mask the zeros.
 *
 * Crash safety: cube_append() writes the measures first and the replicate
 * coordinate last, then flushes.  The replicate axis is therefore the commit
 * marker: cube_reopen() trusts min(replicate length, measure lengths) and
 * truncates anything beyond it.  HDF5 1.10 without SWMR only guarantees a
 * consistent file between flushes, so a kill *during* an append may still
 * damage the file; the window is tiny compared with a replicate's run time.
 */
#include "cube.h"

#include "alloc.h"
#include "cube_read.h"
#include "oututil.h"

#include <errno.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Replicate-coordinate chunk length: small, since it is rewritten at every flush. */
#define CUBE_REP_CHUNK 1024

struct cube_writer {
  hid_t file;
  hid_t rep;                     /**< replicate coordinate dataset */
  hid_t meas[CUBE_MAX_MEASURES]; /**< measure datasets */
  int nmeas;
  int rank[CUBE_MAX_MEASURES]; /**< rank including the replicate axis */
  hsize_t dims[CUBE_MAX_MEASURES][CUBE_MAX_AXES + 1];
  hsize_t nrep;  /**< replicates appended so far */
  char *path;    /**< final path */
  char *partial; /**< path + ".partial" */
};

/** @brief Allocated "<path>.partial", or NULL with the reason in err. */
static char *cube_partial_name(const char *path, char *err, size_t errlen)
{
  size_t n = strlen(path);
  char *p = hw_alloc(n + sizeof ".partial", 1, "the cube's file name", err, errlen);
  if (!p) return NULL;
  memcpy(p, path, n);
  memcpy(p + n, ".partial", sizeof ".partial");
  return p;
}

/** @brief Variable-length UTF-8 string type (caller closes). */
static hid_t cube_vlen_utf8(void)
{
  hid_t t = H5Tcopy(H5T_C_S1);
  if (t < 0) return -1;
  if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
    H5Tclose(t);
    return -1;
  }
  return t;
}

/** @brief Write a scalar variable-length UTF-8 string attribute on @p loc. */
static int cube_attr_write_str(hid_t loc, const char *key, const char *val)
{
  int rc = -1;
  hid_t t = cube_vlen_utf8();
  hid_t s = H5Screate(H5S_SCALAR);
  hid_t a = -1;
  if (t < 0 || s < 0) goto done;
  a = H5Acreate2(loc, key, t, s, H5P_DEFAULT, H5P_DEFAULT);
  if (a < 0) goto done;
  if (H5Awrite(a, t, &val) < 0) goto done;
  rc = 0;
done:
  if (a >= 0 && H5Aclose(a) < 0) rc = -1;
  if (s >= 0) H5Sclose(s);
  if (t >= 0) H5Tclose(t);
  return rc;
}

/** @brief Write a scalar attribute of HDF5 file type @p ftype from native @p mtype. */
static int cube_attr_write_num(hid_t loc, const char *key, hid_t ftype, hid_t mtype,
                               const void *val)
{
  int rc = -1;
  hid_t s = H5Screate(H5S_SCALAR);
  hid_t a = -1;
  if (s < 0) return -1;
  a = H5Acreate2(loc, key, ftype, s, H5P_DEFAULT, H5P_DEFAULT);
  if (a >= 0 && H5Awrite(a, mtype, val) >= 0) rc = 0;
  if (a >= 0 && H5Aclose(a) < 0) rc = -1;
  H5Sclose(s);
  return rc;
}

size_t cube_measure_size(const struct cube_layout *layout, int m)
{
  const struct cube_measure *me = &layout->measures[m];
  size_t n = 1;
  for (int k = 0; k < me->naxes; k++)
    n *= (size_t)layout->axes[me->axes[k]].n;
  return n;
}

/** @brief Reject layouts that would produce an ambiguous or unreadable file. */
static int cube_layout_check(const struct cube_layout *l, char *err, size_t errlen)
{
  int maxaxes = (int)(sizeof l->axes / sizeof l->axes[0]);
  if (l->naxes < 1 || l->naxes > maxaxes) {
    out_set_err(err, errlen, "cube layout: %d axes (expected 1..%d)", l->naxes, maxaxes);
    return -1;
  }
  if (l->nmeasures < 1 || l->nmeasures > CUBE_MAX_MEASURES) {
    out_set_err(err, errlen, "cube layout: %d measures (expected 1..%d)", l->nmeasures,
                CUBE_MAX_MEASURES);
    return -1;
  }
  for (int a = 0; a < l->naxes; a++) {
    const struct cube_axis *ax = &l->axes[a];
    if (!ax->name || !*ax->name || strcmp(ax->name, "replicate") == 0) {
      out_set_err(err, errlen, "cube layout: axis %d has a missing or reserved name", a);
      return -1;
    }
    if (ax->n < 1 || (!ax->labels && !ax->values)) {
      out_set_err(err, errlen, "cube layout: axis %s has no labels or values", ax->name);
      return -1;
    }
    for (int b = 0; b < a; b++)
      if (strcmp(l->axes[b].name, ax->name) == 0) {
        out_set_err(err, errlen, "cube layout: axis %s appears twice", ax->name);
        return -1;
      }
  }
  for (int m = 0; m < l->nmeasures; m++) {
    const struct cube_measure *me = &l->measures[m];
    if (!me->name || !*me->name || strcmp(me->name, "replicate") == 0) {
      out_set_err(err, errlen, "cube layout: measure %d has a missing or reserved name", m);
      return -1;
    }
    if (me->naxes < 1 || me->naxes > CUBE_MAX_AXES) {
      out_set_err(err, errlen, "cube layout: measure %s has %d axes (expected 1..%d)", me->name,
                  me->naxes, CUBE_MAX_AXES);
      return -1;
    }
    for (int k = 0; k < me->naxes; k++)
      if (me->axes[k] < 0 || me->axes[k] >= l->naxes) {
        out_set_err(err, errlen, "cube layout: measure %s axis %d out of range", me->name, k);
        return -1;
      }
    for (int a = 0; a < l->naxes; a++)
      if (strcmp(l->axes[a].name, me->name) == 0) {
        out_set_err(err, errlen, "cube layout: measure %s has an axis's name", me->name);
        return -1;
      }
    for (int b = 0; b < m; b++)
      if (strcmp(l->measures[b].name, me->name) == 0) {
        out_set_err(err, errlen, "cube layout: measure %s appears twice", me->name);
        return -1;
      }
  }
  return 0;
}

/** @brief Allocate a writer with every handle marked closed; NULL with the reason in err. */
static struct cube_writer *cube_writer_new(const char *path, char *err, size_t errlen)
{
  struct cube_writer *w = hw_alloc(1, sizeof *w, "the cube writer", err, errlen);
  if (!w) return NULL;
  w->file = -1;
  w->rep = -1;
  for (int m = 0; m < CUBE_MAX_MEASURES; m++)
    w->meas[m] = -1;
  w->path = hw_strdup(path, "the cube's file name", err, errlen);
  w->partial = w->path ? cube_partial_name(path, err, errlen) : NULL;
  if (!w->path || !w->partial) {
    free(w->path);
    free(w->partial);
    free(w);
    return NULL;
  }
  return w;
}

/** @brief Close every handle and free the writer. @return 0, or -1 if a close failed. */
static int cube_writer_close(struct cube_writer *w)
{
  int rc = 0;
  for (int m = 0; m < CUBE_MAX_MEASURES; m++)
    if (w->meas[m] >= 0 && H5Dclose(w->meas[m]) < 0) rc = -1;
  if (w->rep >= 0 && H5Dclose(w->rep) < 0) rc = -1;
  /* H5Fclose is what finally writes the metadata; its failure is a real failure. */
  if (w->file >= 0 && H5Fclose(w->file) < 0) rc = -1;
  free(w->path);
  free(w->partial);
  free(w);
  return rc;
}

/** @brief Create one axis's coordinate dataset and make it a dimension scale. */
static hid_t cube_axis_create(hid_t file, const struct cube_axis *ax)
{
  hsize_t n = (hsize_t)ax->n;
  hid_t s = H5Screate_simple(1, &n, NULL);
  hid_t t = -1, d = -1;
  int ok = 0;
  if (s < 0) return -1;
  if (ax->labels) {
    t = cube_vlen_utf8();
    if (t < 0) goto done;
    d = H5Dcreate2(file, ax->name, t, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (d < 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, ax->labels) < 0) goto done;
  } else {
    d = H5Dcreate2(file, ax->name, H5T_STD_I32LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (d < 0 || H5Dwrite(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, ax->values) < 0)
      goto done;
  }
  if (H5DSset_scale(d, ax->name) < 0) goto done;
  if (cube_attr_write_str(d, "long_name", ax->long_name ? ax->long_name : ax->name) < 0) goto done;
  ok = 1;
done:
  if (t >= 0) H5Tclose(t);
  H5Sclose(s);
  if (!ok && d >= 0) {
    H5Dclose(d);
    d = -1;
  }
  return d;
}

/** @brief Create the unlimited replicate coordinate (empty). */
static hid_t cube_replicate_create(hid_t file)
{
  hsize_t zero = 0, maxd = H5S_UNLIMITED, chunk = CUBE_REP_CHUNK;
  hid_t s = H5Screate_simple(1, &zero, &maxd);
  hid_t p = H5Pcreate(H5P_DATASET_CREATE);
  hid_t d = -1;
  int ok = 0;
  if (s < 0 || p < 0) goto done;
  if (H5Pset_chunk(p, 1, &chunk) < 0) goto done;
  d = H5Dcreate2(file, "replicate", H5T_STD_I32LE, s, H5P_DEFAULT, p, H5P_DEFAULT);
  if (d < 0) goto done;
  if (H5DSset_scale(d, "replicate") < 0) goto done;
  if (cube_attr_write_str(d, "long_name", "replicate index (parameter draw and random streams)") <
      0)
    goto done;
  ok = 1;
done:
  if (p >= 0) H5Pclose(p);
  if (s >= 0) H5Sclose(s);
  if (!ok && d >= 0) {
    H5Dclose(d);
    d = -1;
  }
  return d;
}

/** @brief Create one empty measure dataset with its attributes and scales attached. */
static hid_t cube_measure_create(hid_t file, const struct cube_layout *l, int m, hid_t rep,
                                 const hid_t *axis_ds, hsize_t *dims)
{
  const struct cube_measure *me = &l->measures[m];
  int rank = me->naxes + 1;
  hsize_t maxd[CUBE_MAX_AXES + 1], chunk[CUBE_MAX_AXES + 1];
  int zero = 0, ok = 0;
  hid_t s = -1, p = -1, d = -1;

  dims[0] = 0;
  maxd[0] = H5S_UNLIMITED;
  chunk[0] = 1; /* one replicate per chunk: appends touch exactly one chunk */
  for (int k = 0; k < me->naxes; k++) {
    dims[k + 1] = maxd[k + 1] = chunk[k + 1] = (hsize_t)l->axes[me->axes[k]].n;
  }
  s = H5Screate_simple(rank, dims, maxd);
  p = H5Pcreate(H5P_DATASET_CREATE);
  if (s < 0 || p < 0) goto done;
  if (H5Pset_chunk(p, rank, chunk) < 0 || H5Pset_shuffle(p) < 0 || H5Pset_deflate(p, 4) < 0 ||
      H5Pset_fill_value(p, H5T_NATIVE_INT, &zero) < 0)
    goto done;
  d = H5Dcreate2(file, me->name, H5T_STD_I32LE, s, H5P_DEFAULT, p, H5P_DEFAULT);
  if (d < 0) goto done;
  if (cube_attr_write_str(d, "long_name", me->long_name ? me->long_name : me->name) < 0 ||
      cube_attr_write_str(d, "units", me->units ? me->units : "1") < 0 ||
      cube_attr_write_str(d, "cell_methods", me->cell_method ? me->cell_method : "") < 0)
    goto done;
  /* CF: only written when it changes the value, so count measures stay integers in xarray. */
  if (me->scale_factor != 1.0 && me->scale_factor != 0.0 &&
      cube_attr_write_num(d, "scale_factor", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &me->scale_factor) <
          0)
    goto done;
  if (H5DSattach_scale(d, rep, 0) < 0) goto done;
  for (int k = 0; k < me->naxes; k++)
    if (H5DSattach_scale(d, axis_ds[me->axes[k]], (unsigned)(k + 1)) < 0) goto done;
  ok = 1;
done:
  if (p >= 0) H5Pclose(p);
  if (s >= 0) H5Sclose(s);
  if (!ok && d >= 0) {
    H5Dclose(d);
    d = -1;
  }
  return d;
}

struct cube_writer *cube_create(const char *path, const struct cube_layout *layout,
                                const struct cube_attr *attrs, int nattrs, char *err, size_t errlen)
{
  struct cube_read_hush hush;
  struct cube_writer *w = NULL;
  hid_t axis_ds[CUBE_MAX_LAYOUT_AXES];
  int naxis_open = 0;

  if (cube_layout_check(layout, err, errlen) < 0) return NULL;
  w = cube_writer_new(path, err, errlen);
  if (!w) return NULL;
  cube_read_hush_begin(&hush);
  /* A stale .partial from an earlier killed run must not leak into this one. */
  if (remove(w->partial) != 0 && errno != ENOENT) {
    out_set_err(err, errlen, "%s: cannot remove stale file: %s", w->partial, strerror(errno));
    goto fail;
  }
  w->file = H5Fcreate(w->partial, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (w->file < 0) {
    out_set_err(err, errlen, "%s: cannot create HDF5 file (expected a writable directory)",
                w->partial);
    goto fail;
  }
  for (int a = 0; a < layout->naxes; a++) {
    axis_ds[a] = cube_axis_create(w->file, &layout->axes[a]);
    if (axis_ds[a] < 0) {
      out_set_err(err, errlen, "%s: cannot write coordinate %s", w->partial, layout->axes[a].name);
      goto fail;
    }
    naxis_open++;
  }
  w->rep = cube_replicate_create(w->file);
  if (w->rep < 0) {
    out_set_err(err, errlen, "%s: cannot create the replicate coordinate", w->partial);
    goto fail;
  }
  w->nmeas = layout->nmeasures;
  for (int m = 0; m < layout->nmeasures; m++) {
    w->rank[m] = layout->measures[m].naxes + 1;
    w->meas[m] = cube_measure_create(w->file, layout, m, w->rep, axis_ds, w->dims[m]);
    if (w->meas[m] < 0) {
      out_set_err(err, errlen, "%s: cannot create measure %s", w->partial,
                  layout->measures[m].name);
      goto fail;
    }
  }
  for (int i = 0; i < nattrs; i++) {
    int rc = attrs[i].str ? cube_attr_write_str(w->file, attrs[i].key, attrs[i].str)
                          : cube_attr_write_num(w->file, attrs[i].key, H5T_STD_I64LE,
                                                H5T_NATIVE_INT64, &attrs[i].i64);
    if (rc < 0) {
      out_set_err(err, errlen, "%s: cannot write root attribute %s", w->partial, attrs[i].key);
      goto fail;
    }
  }
  for (int a = 0; a < naxis_open; a++)
    H5Dclose(axis_ds[a]);
  naxis_open = 0;
  /* Flush so that even a run killed before its first replicate leaves a valid file. */
  if (H5Fflush(w->file, H5F_SCOPE_GLOBAL) < 0) {
    out_set_err(err, errlen, "%s: cannot flush", w->partial);
    goto fail;
  }
  cube_read_hush_end(&hush);
  return w;
fail:
  for (int a = 0; a < naxis_open; a++)
    H5Dclose(axis_ds[a]);
  cube_writer_close(w);
  cube_read_hush_end(&hush);
  return NULL;
}

/** @brief Grow 1 replicate and write @p buf (native type @p mtype) into row @p row. */
static int cube_write_row(hid_t d, int rank, const hsize_t *dims, hsize_t row, hid_t mtype,
                          const void *buf)
{
  hsize_t ext[CUBE_MAX_AXES + 1], start[CUBE_MAX_AXES + 1], count[CUBE_MAX_AXES + 1];
  hid_t fs = -1, ms = -1;
  int rc = -1;
  for (int k = 0; k < rank; k++) {
    ext[k] = dims[k];
    start[k] = 0;
    count[k] = dims[k];
  }
  ext[0] = row + 1;
  start[0] = row;
  count[0] = 1;
  if (H5Dset_extent(d, ext) < 0) return -1;
  fs = H5Dget_space(d);
  ms = H5Screate_simple(rank, count, NULL);
  if (fs < 0 || ms < 0) goto done;
  if (H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) < 0) goto done;
  if (H5Dwrite(d, mtype, ms, fs, H5P_DEFAULT, buf) < 0) goto done;
  rc = 0;
done:
  if (ms >= 0) H5Sclose(ms);
  if (fs >= 0) H5Sclose(fs);
  return rc;
}

int cube_append(struct cube_writer *w, int replicate, const int32_t *const *data, char *err,
                size_t errlen)
{
  struct cube_read_hush hush;
  hsize_t one = 1;
  int rc = -1;
  cube_read_hush_begin(&hush);
  /* Measures first, replicate coordinate last: the coordinate's length marks
   * how many replicates are complete (see cube_reopen). */
  for (int m = 0; m < w->nmeas; m++) {
    if (!data[m]) {
      out_set_err(err, errlen, "%s: replicate %d: no data for measure %d", w->partial, replicate,
                  m);
      goto done;
    }
    if (cube_write_row(w->meas[m], w->rank[m], w->dims[m], w->nrep, H5T_NATIVE_INT32, data[m]) <
        0) {
      out_set_err(err, errlen, "%s: replicate %d: cannot write measure %d", w->partial, replicate,
                  m);
      goto done;
    }
  }
  if (cube_write_row(w->rep, 1, &one, w->nrep, H5T_NATIVE_INT, &replicate) < 0) {
    out_set_err(err, errlen, "%s: replicate %d: cannot write the replicate coordinate", w->partial,
                replicate);
    goto done;
  }
  if (H5Fflush(w->file, H5F_SCOPE_GLOBAL) < 0) {
    out_set_err(err, errlen, "%s: replicate %d: cannot flush", w->partial, replicate);
    goto done;
  }
  w->nrep++;
  for (int m = 0; m < w->nmeas; m++)
    w->dims[m][0] = w->nrep;
  rc = 0;
done:
  cube_read_hush_end(&hush);
  return rc;
}

int cube_finish(struct cube_writer *w, char *err, size_t errlen)
{
  struct cube_read_hush hush;
  char *path = hw_strdup(w->path, "the cube's file name", err, errlen);
  char *partial = path ? hw_strdup(w->partial, "the cube's file name", err, errlen) : NULL;
  int rc = -1;
  cube_read_hush_begin(&hush);
  if (!path || !partial) {
    cube_writer_close(w);
    goto done;
  }
  if (cube_writer_close(w) < 0) {
    out_set_err(err, errlen, "%s: cannot close HDF5 file", partial);
    goto done;
  }
  /* rename(2) is atomic within one file system: readers see the old file or the whole new one. */
  if (rename(partial, path) != 0) {
    out_set_err(err, errlen, "%s: cannot rename to %s: %s", partial, path, strerror(errno));
    goto done;
  }
  rc = 0;
done:
  free(path);
  free(partial);
  cube_read_hush_end(&hush);
  return rc;
}

void cube_abandon(struct cube_writer *w)
{
  struct cube_read_hush hush;
  if (!w) return;
  cube_read_hush_begin(&hush);
  cube_writer_close(w);
  cube_read_hush_end(&hush);
}

int cube_axis_matches(hid_t file, const struct cube_axis *ax)
{
  struct cube_coord c = {0};
  int ok = cube_read_coord(file, ax->name, (hsize_t)ax->n, &c, "", NULL, 0) == 0 &&
           (ax->labels ? c.ivalues == NULL : c.ivalues != NULL);
  for (int i = 0; ok && i < ax->n; i++)
    ok = ax->labels ? strcmp(c.labels[i], ax->labels[i]) == 0 : c.ivalues[i] == ax->values[i];
  cube_read_coord_free(&c);
  return ok ? 0 : -1;
}

int cube_measure_matches(hid_t d, const struct cube_layout *layout, int m, hsize_t *dims)
{
  const struct cube_measure *me = &layout->measures[m];
  if (cube_read_shape(d, CUBE_MAX_AXES + 1, dims) != me->naxes + 1) return -1;
  for (int k = 0; k < me->naxes; k++)
    if (dims[k + 1] != (hsize_t)layout->axes[me->axes[k]].n) return -1;
  return 0;
}

/** @brief Check every axis coordinate of the reopened file against @p layout. */
static int cube_reopen_axes(const struct cube_writer *w, const struct cube_layout *layout,
                            char *err, size_t errlen)
{
  /* Resuming into a file laid out by a different build would mislabel every cell. */
  for (int a = 0; a < layout->naxes; a++) {
    const struct cube_axis *ax = &layout->axes[a];
    if (cube_axis_matches(w->file, ax) < 0) {
      out_set_err(err, errlen,
                  "%s: coordinate %s missing or different (expected the %d %s of this build)",
                  w->partial, ax->name, ax->n, ax->labels ? "labels" : "values");
      return -1;
    }
  }
  return 0;
}

/**
 * @brief Open every measure of @p layout and check its shape; lower *done_n to
 *        the shortest replicate axis found.
 */
static int cube_reopen_measures(struct cube_writer *w, const struct cube_layout *layout,
                                hsize_t *done_n, char *err, size_t errlen)
{
  w->nmeas = layout->nmeasures;
  const hsize_t coord_n = *done_n;
  for (int m = 0; m < layout->nmeasures; m++) {
    const struct cube_measure *me = &layout->measures[m];
    hsize_t dims[CUBE_MAX_AXES + 1];
    w->rank[m] = me->naxes + 1;
    w->meas[m] = cube_read_dataset(w->file, me->name);
    if (w->meas[m] < 0 || cube_measure_matches(w->meas[m], layout, m, dims) < 0) {
      out_set_err(err, errlen,
                  "%s: measure %s missing or of another shape (expected replicate x %d axes)",
                  w->partial, me->name, me->naxes);
      return -1;
    }
    /* A kill between a replicate's measures and its coordinate leaves a measure one row
     * longer; anything longer is not a cube hwsim wrote (and truncating a measure declared
     * 2^40 replicates long would make HDF5 visit every chunk). */
    if (dims[0] > coord_n + 1) {
      out_set_err(err, errlen,
                  "%s: measure %s has %llu replicates, more than the replicate coordinate's %llu "
                  "+ 1 (expected a cube written by hwsim run)",
                  w->partial, me->name, (unsigned long long)dims[0], (unsigned long long)coord_n);
      return -1;
    }
    memcpy(w->dims[m], dims, sizeof(hsize_t) * (size_t)w->rank[m]);
    if (dims[0] < *done_n) *done_n = dims[0];
  }
  return 0;
}

/**
 * @brief Check that the replicate coordinate starts 0, 1, ..., n-1.
 * @return 0; -1 if it does not; -2 if out of memory (the reason in err).
 */
static int cube_reopen_check_replicates(hid_t rep, hsize_t n, char *err, size_t errlen)
{
  if (n == 0) return 0;
  int *reps = hw_alloc((size_t)n, sizeof *reps, "the replicate coordinate", err, errlen);
  if (!reps) return -2;
  hsize_t start = 0;
  int ok = cube_read_slab(rep, H5T_NATIVE_INT, 1, &start, &n, reps) == 0;
  for (hsize_t i = 0; ok && i < n; i++)
    if (reps[i] != (int)i) ok = 0;
  free(reps);
  return ok ? 0 : -1;
}

/** @brief Shrink dataset @p d's first dimension to @p n. */
static int cube_truncate(hid_t d, hsize_t *dims, hsize_t n)
{
  dims[0] = n;
  return H5Dset_extent(d, dims) < 0 ? -1 : 0;
}

/** @brief Truncate the replicate coordinate (length @p nrep_coord) and every measure to @p n. */
static int cube_reopen_truncate(struct cube_writer *w, const struct cube_layout *layout,
                                hsize_t nrep_coord, hsize_t n, char *err, size_t errlen)
{
  if (cube_truncate(w->rep, &nrep_coord, n) < 0) {
    out_set_err(err, errlen, "%s: cannot truncate the replicate coordinate", w->partial);
    return -1;
  }
  for (int m = 0; m < w->nmeas; m++)
    if (cube_truncate(w->meas[m], w->dims[m], n) < 0) {
      out_set_err(err, errlen, "%s: cannot truncate measure %s", w->partial,
                  layout->measures[m].name);
      return -1;
    }
  return 0;
}

struct cube_writer *cube_reopen(const char *path, const struct cube_layout *layout, int *n_done,
                                char *err, size_t errlen)
{
  struct cube_read_hush hush;
  struct cube_writer *w;
  hsize_t done_n;
  long long nrep_coord;

  if (cube_layout_check(layout, err, errlen) < 0) return NULL;
  w = cube_writer_new(path, err, errlen);
  if (!w) return NULL;
  cube_read_hush_begin(&hush);
  if (H5Fis_hdf5(w->partial) <= 0) {
    out_set_err(err, errlen,
                "%s: missing or not an HDF5 file (expected a cube from an interrupted run)",
                w->partial);
    goto fail;
  }
  w->file = H5Fopen(w->partial, H5F_ACC_RDWR, H5P_DEFAULT);
  if (w->file < 0) {
    out_set_err(err, errlen, "%s: cannot open for writing", w->partial);
    goto fail;
  }
  if (cube_reopen_axes(w, layout, err, errlen) < 0) goto fail;
  w->rep = cube_read_dataset(w->file, "replicate");
  nrep_coord = w->rep >= 0 ? cube_read_len_1d(w->rep) : -1;
  if (nrep_coord < 0 || nrep_coord > CUBE_READ_MAX_COORD) {
    out_set_err(err, errlen,
                "%s: replicate coordinate missing or of length %lld (expected a 1-D dataset of at "
                "most %d)",
                w->partial, nrep_coord, CUBE_READ_MAX_COORD);
    goto fail;
  }
  /* The replicate axis is the commit marker, but a measure may be shorter. */
  done_n = (hsize_t)nrep_coord;
  if (cube_reopen_measures(w, layout, &done_n, err, errlen) < 0) goto fail;
  int reps_rc = cube_reopen_check_replicates(w->rep, done_n, err, errlen);
  if (reps_rc == -2) goto fail;
  if (reps_rc < 0) {
    out_set_err(err, errlen,
                "%s: replicate coordinate is not 0..%llu (expected replicates appended in order)",
                w->partial, (unsigned long long)done_n - 1);
    goto fail;
  }
  /* Drop a half-appended replicate so the next append starts on a clean row. */
  if (cube_reopen_truncate(w, layout, (hsize_t)nrep_coord, done_n, err, errlen) < 0) goto fail;
  if (H5Fflush(w->file, H5F_SCOPE_GLOBAL) < 0) {
    out_set_err(err, errlen, "%s: cannot flush", w->partial);
    goto fail;
  }
  w->nrep = done_n;
  if (n_done) *n_done = (int)done_n;
  cube_read_hush_end(&hush);
  return w;
fail:
  cube_writer_close(w);
  cube_read_hush_end(&hush);
  return NULL;
}

int cube_set_root_i64(struct cube_writer *w, const char *key, int64_t value, char *err,
                      size_t errlen)
{
  struct cube_read_hush hush;
  cube_read_hush_begin(&hush);
  int rc = 0;
  if (H5Aexists(w->file, key) > 0 && H5Adelete(w->file, key) < 0) rc = -1;
  if (rc == 0) rc = cube_attr_write_num(w->file, key, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
  if (rc == 0 && H5Fflush(w->file, H5F_SCOPE_GLOBAL) < 0) rc = -1;
  cube_read_hush_end(&hush);
  if (rc) out_set_err(err, errlen, "%s: cannot set the attribute %s", w->partial, key);
  return rc;
}
