/**
 * @file cube_read.c
 * @brief Reading HDF5 result cubes (see cube_read.h and docs/outputs.md).
 *
 * The reader is generic: a measure's dimensions are found from the dimension
 * scales attached to it, so nothing here knows the model's axes.
 */
#include "cube_read.h"

#include "alloc.h"
#include "oututil.h"

#include <errno.h>
#include <hdf5_hl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void cube_read_hush_begin(struct cube_read_hush *h)
{
  if (H5Eget_auto2(H5E_DEFAULT, &h->func, &h->data) < 0) {
    h->func = NULL;
    h->data = NULL;
  }
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

void cube_read_hush_end(const struct cube_read_hush *h)
{
  H5Eset_auto2(H5E_DEFAULT, h->func, h->data);
}

void cube_read_coord_free(struct cube_coord *c)
{
  if (c->labels)
    for (int j = 0; j < c->n; j++)
      free(c->labels[j]);
  free(c->labels);
  free(c->ivalues);
  free(c->name);
  memset(c, 0, sizeof *c);
}

/** @brief Variable-length string memory type in the character set of file type @p ft. */
static hid_t cube_read_vlen_type(hid_t ft)
{
  /* HDF5 will not convert between character sets: read in the file's own. */
  hid_t mt = H5Tcopy(H5T_C_S1);
  if (mt < 0) return -1;
  if (H5Tset_size(mt, H5T_VARIABLE) < 0 || H5Tset_cset(mt, H5Tget_cset(ft)) < 0) {
    H5Tclose(mt);
    return -1;
  }
  return mt;
}

/** @brief Integer coordinate: values, and labels formatted with %d. */
static int cube_read_coord_int(hid_t d, struct cube_coord *c, char *err, size_t errlen)
{
  size_t n = (size_t)c->n;
  c->ivalues = hw_alloc(n, sizeof *c->ivalues, "a coordinate's values", err, errlen);
  if (!c->ivalues) return CUBE_READ_ENOMEM;
  if (n && H5Dread(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, c->ivalues) < 0)
    return CUBE_READ_EBAD;
  for (size_t i = 0; i < n; i++) {
    char buf[24];
    snprintf(buf, sizeof buf, "%d", c->ivalues[i]);
    if (!(c->labels[i] = hw_strdup(buf, "a coordinate's label", err, errlen)))
      return CUBE_READ_ENOMEM;
  }
  return 0;
}

/** @brief Variable-length string coordinate (file type @p ft). */
static int cube_read_coord_vlen(hid_t d, hid_t ft, struct cube_coord *c, char *err, size_t errlen)
{
  size_t n = (size_t)c->n;
  char **raw = hw_alloc(n, sizeof *raw, "a coordinate's strings", err, errlen);
  hid_t mt = -1, s = -1;
  int rc = CUBE_READ_EBAD;
  if (!raw) return CUBE_READ_ENOMEM;
  if ((mt = cube_read_vlen_type(ft)) < 0 || (s = H5Dget_space(d)) < 0 ||
      (n && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0))
    goto done;
  rc = 0;
  for (size_t i = 0; i < n; i++)
    if (!(c->labels[i] = hw_strdup(raw[i] ? raw[i] : "", "a coordinate's label", err, errlen)))
      rc = CUBE_READ_ENOMEM;
  if (n) H5Dvlen_reclaim(mt, s, H5P_DEFAULT, raw);
done:
  if (s >= 0) H5Sclose(s);
  if (mt >= 0) H5Tclose(mt);
  free(raw);
  return rc;
}

/** @brief Fixed-length string coordinate (file type @p ft). */
static int cube_read_coord_fixed(hid_t d, hid_t ft, struct cube_coord *c, char *err, size_t errlen)
{
  size_t n = (size_t)c->n, w = H5Tget_size(ft);
  char *raw = hw_alloc(n * w + 1, 1, "a coordinate's strings", err, errlen);
  hid_t mt = -1;
  int rc = CUBE_READ_EBAD;
  if (!raw) return CUBE_READ_ENOMEM;
  if ((mt = H5Tcopy(ft)) < 0 || (n && H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) < 0))
    goto done;
  rc = 0;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    char *lab = hw_alloc(w + 1, 1, "a coordinate's label", err, errlen);
    if (!lab) {
      rc = CUBE_READ_ENOMEM;
      break;
    }
    memcpy(lab, raw + i * w, w);
    c->labels[i] = lab;
  }
done:
  if (mt >= 0) H5Tclose(mt);
  free(raw);
  return rc;
}

/** @brief Read the contents of coordinate @p d (length c->n) by its type class. */
static int cube_read_coord_values(hid_t d, struct cube_coord *c, const char *path, const char *name,
                                  char *err, size_t errlen)
{
  hid_t t = H5Dget_type(d);
  int rc = CUBE_READ_EBAD;
  if (t < 0) return CUBE_READ_EBAD;
  if (H5Tget_class(t) == H5T_INTEGER)
    rc = cube_read_coord_int(d, c, err, errlen);
  else if (H5Tget_class(t) == H5T_STRING && c->n > CUBE_READ_MAX_LABELS)
    /* Reading n variable-length strings costs HDF5 ~200 bytes each in conversion buffers. */
    out_set_err(err, errlen, "%s: coordinate %s has %d labels (expected at most %d)", path, name,
                c->n, CUBE_READ_MAX_LABELS);
  else if (H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0)
    rc = cube_read_coord_vlen(d, t, c, err, errlen);
  else if (H5Tget_class(t) == H5T_STRING && H5Tget_size(t) > CUBE_READ_MAX_LABEL)
    out_set_err(err, errlen, "%s: coordinate %s has labels %zu bytes wide (expected at most %d)",
                path, name, H5Tget_size(t), CUBE_READ_MAX_LABEL);
  else if (H5Tget_class(t) == H5T_STRING)
    rc = cube_read_coord_fixed(d, t, c, err, errlen);
  else
    out_set_err(err, errlen,
                "%s: coordinate %s is neither integer nor string (expected labels or years)", path,
                name);
  H5Tclose(t);
  return rc;
}

int cube_read_coord(hid_t file, const char *name, hsize_t expect, struct cube_coord *c,
                    const char *path, char *err, size_t errlen)
{
  hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
  hsize_t n = 0;
  int rc = CUBE_READ_EBAD;
  if (err && errlen) err[0] = '\0';
  if (d < 0) {
    out_set_err(err, errlen, "%s: coordinate %s cannot be opened (expected a 1-D dataset)", path,
                name);
    return CUBE_READ_EBAD;
  }
  int rank = cube_read_shape(d, 1, &n);
  if (rank != 1)
    out_set_err(err, errlen,
                "%s: coordinate %s has %d dimensions (expected a 1-D dataset of length %llu)", path,
                name, rank, (unsigned long long)expect);
  else if (n != expect)
    out_set_err(err, errlen,
                "%s: coordinate %s has length %llu (expected %llu, the dimension's length)", path,
                name, (unsigned long long)n, (unsigned long long)expect);
  else if (n > CUBE_READ_MAX_COORD)
    out_set_err(err, errlen, "%s: coordinate %s has length %llu (expected at most %d)", path, name,
                (unsigned long long)n, CUBE_READ_MAX_COORD);
  if (rank != 1 || n != expect || n > CUBE_READ_MAX_COORD) {
    H5Dclose(d);
    return CUBE_READ_EBAD;
  }
  c->n = (int)n;
  c->labels = hw_alloc((size_t)n, sizeof *c->labels, "a coordinate's labels", err, errlen);
  rc = c->labels ? cube_read_coord_values(d, c, path, name, err, errlen) : CUBE_READ_ENOMEM;
  if (rc == CUBE_READ_EBAD && err && errlen && !err[0])
    out_set_err(err, errlen, "%s: cannot read coordinate %s (expected a 1-D dataset)", path, name);
  H5Dclose(d);
  return rc;
}

int cube_read_open(const char *path, hid_t *file, char *err, size_t errlen)
{
  struct stat st;
  *file = -1;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    out_set_err(err, errlen, "%s: is a directory (expected an hwsim cube file)", path);
    return -1;
  }
  FILE *probe = fopen(path, "rb");
  if (!probe) {
    out_set_err(err, errlen, "%s: cannot open: %s (expected a readable hwsim cube)", path,
                strerror(errno));
    return -1;
  }
  fclose(probe);
  if (H5Fis_hdf5(path) <= 0) {
    out_set_err(err, errlen, "%s: not an HDF5 file (expected an hwsim cube written by hwsim run)",
                path);
    return -1;
  }
  if ((*file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT)) < 0) {
    out_set_err(err, errlen, "%s: cannot open as HDF5 (expected an hwsim cube)", path);
    return -1;
  }
  return 0;
}

/** @brief qsort order of ints. */
static int cube_read_cmp_int(const void *a, const void *b)
{
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

int cube_read_duplicate(const int *v, int n, int *dup)
{
  int *s = hw_alloc((size_t)(n > 0 ? n : 0) + 1, sizeof *s, "a sorted coordinate", NULL, 0);
  int rc = 0;
  if (!s) return CUBE_READ_ENOMEM;
  if (n > 0) memcpy(s, v, (size_t)n * sizeof *s);
  qsort(s, (size_t)(n > 0 ? n : 0), sizeof *s, cube_read_cmp_int);
  for (int i = 1; i < n && rc == 0; i++)
    if (s[i] == s[i - 1]) {
      *dup = s[i];
      rc = 1;
    }
  free(s);
  return rc;
}

hid_t cube_read_dataset(hid_t file, const char *name)
{
  return H5Lexists(file, name, H5P_DEFAULT) > 0 ? H5Dopen2(file, name, H5P_DEFAULT) : -1;
}

/**
 * @brief Whether dataset @p d is a dimension scale: its CLASS attribute is the string
 *        "DIMENSION_SCALE".  Our own reading, not H5DSis_scale: on a CLASS attribute of
 *        another shape libhdf5_hl 1.10.8 leaves the attribute and its type open (fuzz_cube),
 *        which keeps the file's metadata in memory for the rest of the process.
 */
static int cube_read_is_scale(hid_t d)
{
  char cls[32];
  return cube_read_attr_str_of(d, "CLASS", cls, sizeof cls) == 0 &&
         strcmp(cls, "DIMENSION_SCALE") == 0;
}

hid_t cube_read_measure(hid_t file, const char *name)
{
  hid_t d = cube_read_dataset(file, name);
  if (d >= 0 && cube_read_is_scale(d)) {
    H5Dclose(d);
    d = -1;
  }
  return d;
}

/** Where cube_read_list_cb collects names. */
struct cube_read_list {
  char *buf;
  size_t len;
};

/** @brief H5Literate callback collecting the names of non-scale datasets (the measures). */
static herr_t cube_read_list_cb(hid_t g, const char *name, const H5L_info_t *info, void *data)
{
  struct cube_read_list *l = data;
  (void)info;
  /* Not H5Oget_info_by_name: on a group, libhdf5 1.10.8 leaks the group's header
   * (LeakSanitizer, fuzz_cube); opening as a dataset fails on anything else. */
  hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
  if (d < 0) return 0;
  if (!cube_read_is_scale(d)) out_list_add(l->buf, l->len, name);
  H5Dclose(d);
  return 0;
}

void cube_read_list_measures(hid_t file, char *buf, size_t len)
{
  struct cube_read_list l = {buf, len};
  hsize_t idx = 0;
  if (!buf || len == 0) return;
  buf[0] = '\0';
  H5Literate(file, H5_INDEX_NAME, H5_ITER_INC, &idx, cube_read_list_cb, &l);
}

int cube_read_is_numeric(hid_t d)
{
  hid_t t = H5Dget_type(d);
  if (t < 0) return 0;
  H5T_class_t c = H5Tget_class(t);
  H5Tclose(t);
  return c == H5T_INTEGER || c == H5T_FLOAT;
}

int cube_read_shape(hid_t d, int maxrank, hsize_t *dims)
{
  hid_t s = H5Dget_space(d);
  if (s < 0) return -1;
  int rank = H5Sget_simple_extent_ndims(s);
  if (rank >= 0 && rank <= maxrank && H5Sget_simple_extent_dims(s, dims, NULL) != rank) rank = -1;
  H5Sclose(s);
  return rank;
}

long long cube_read_len_1d(hid_t d)
{
  hsize_t n;
  return cube_read_shape(d, 1, &n) == 1 ? (long long)n : -1;
}

/** Where cube_read_scale_cb writes the scale's name. */
struct cube_read_name {
  char *buf;
  size_t len;
};

/** @brief H5DSiterate_scales callback: keep the last attached scale's name (as netCDF does). */
static herr_t cube_read_scale_cb(hid_t did, unsigned dim, hid_t dsid, void *data)
{
  struct cube_read_name *nm = data;
  char name[256];
  (void)did;
  (void)dim;
  ssize_t n = H5Iget_name(dsid, name, sizeof name);
  if (n <= 0) return -1;
  const char *base = strrchr(name, '/');
  snprintf(nm->buf, nm->len, "%s", base ? base + 1 : name);
  return 0;
}

int cube_read_scale_name(hid_t d, unsigned dim, char *buf, size_t len)
{
  struct cube_read_name nm = {buf, len};
  if (!buf || len == 0) return -1;
  buf[0] = '\0';
  if (H5DSget_num_scales(d, dim) <= 0 ||
      H5DSiterate_scales(d, dim, NULL, cube_read_scale_cb, &nm) < 0 || !buf[0])
    return -1;
  return 0;
}

int cube_read_slab(hid_t d, hid_t mtype, int rank, const hsize_t *start, const hsize_t *count,
                   void *buf)
{
  hid_t fs = H5Dget_space(d), ms = H5Screate_simple(rank, count, NULL);
  int rc = -1;
  if (fs >= 0 && ms >= 0 &&
      H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >= 0 &&
      H5Dread(d, mtype, ms, fs, H5P_DEFAULT, buf) >= 0)
    rc = 0;
  if (ms >= 0) H5Sclose(ms);
  if (fs >= 0) H5Sclose(fs);
  return rc;
}

/**
 * @brief 1 if attribute @p a holds exactly one value (scalar, or an array of one): H5Aread
 *        writes every element, so an array would overrun the single value we read into.
 */
static int cube_read_attr_single(hid_t a)
{
  hid_t s = H5Aget_space(a);
  if (s < 0) return 0;
  hssize_t n = H5Sget_simple_extent_npoints(s);
  H5Sclose(s);
  return n == 1;
}

/** @brief Read string attribute @p a of type @p t into buf. 0 or -1. */
static int cube_read_str_attr(hid_t a, hid_t t, char *buf, size_t len)
{
  int rc = -1;
  hid_t mt = -1;
  if (H5Tis_variable_str(t) > 0) {
    char *s = NULL;
    if ((mt = cube_read_vlen_type(t)) >= 0 && H5Aread(a, mt, &s) >= 0) {
      snprintf(buf, len, "%s", s ? s : "");
      if (s) H5free_memory(s);
      rc = 0;
    }
  } else {
    size_t n = H5Tget_size(t);
    char *s = hw_alloc(n + 1, 1, "a string attribute", NULL, 0);
    if (s && (mt = H5Tcopy(t)) >= 0 && H5Aread(a, mt, s) >= 0) {
      snprintf(buf, len, "%s", s);
      rc = 0;
    }
    free(s);
  }
  if (mt >= 0) H5Tclose(mt);
  return rc;
}

int cube_read_attr_str_of(hid_t obj, const char *key, char *buf, size_t len)
{
  hid_t a, t;
  int rc = -2;
  if (!buf || len == 0) return -2;
  buf[0] = '\0';
  if (H5Aexists(obj, key) <= 0) return -1;
  if ((a = H5Aopen(obj, key, H5P_DEFAULT)) < 0) return -2;
  if ((t = H5Aget_type(a)) >= 0 && H5Tget_class(t) == H5T_STRING && cube_read_attr_single(a) &&
      cube_read_str_attr(a, t, buf, len) == 0)
    rc = 0;
  if (t >= 0) H5Tclose(t);
  H5Aclose(a);
  return rc;
}

int cube_read_attr_i64_of(hid_t obj, const char *key, int64_t *out)
{
  hid_t a, t;
  int rc = -2;
  if (H5Aexists(obj, key) <= 0) return -1;
  if ((a = H5Aopen(obj, key, H5P_DEFAULT)) < 0) return -2;
  if ((t = H5Aget_type(a)) >= 0 && H5Tget_class(t) == H5T_INTEGER && cube_read_attr_single(a) &&
      H5Aread(a, H5T_NATIVE_INT64, out) >= 0)
    rc = 0;
  if (t >= 0) H5Tclose(t);
  H5Aclose(a);
  return rc;
}

int cube_read_attr_f64_of(hid_t obj, const char *key, double *out)
{
  hid_t a;
  int rc = -2;
  if (H5Aexists(obj, key) <= 0) return -1;
  if ((a = H5Aopen(obj, key, H5P_DEFAULT)) < 0) return -2;
  if (cube_read_attr_single(a) && H5Aread(a, H5T_NATIVE_DOUBLE, out) >= 0) rc = 0;
  H5Aclose(a);
  return rc;
}

int cube_read_attr_i64(const char *path, const char *key, int64_t *out)
{
  struct cube_read_hush hush;
  hid_t f;
  int rc = -1;
  cube_read_hush_begin(&hush);
  if (cube_read_open(path, &f, NULL, 0) == 0) {
    if (cube_read_attr_i64_of(f, key, out) == 0) rc = 0;
    H5Fclose(f);
  }
  cube_read_hush_end(&hush);
  return rc;
}

int cube_read_attr_str(const char *path, const char *key, char *buf, size_t len)
{
  struct cube_read_hush hush;
  hid_t f;
  int rc = -1;
  if (!buf || len == 0) return -1;
  buf[0] = '\0';
  cube_read_hush_begin(&hush);
  if (cube_read_open(path, &f, NULL, 0) == 0) {
    if (cube_read_attr_str_of(f, key, buf, len) == 0) rc = 0;
    H5Fclose(f);
  }
  cube_read_hush_end(&hush);
  return rc;
}
