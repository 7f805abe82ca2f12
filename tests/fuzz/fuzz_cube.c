/**
 * @file fuzz_cube.c
 * @brief Structure-aware libFuzzer harness for the cube readers: `hwsim
 *        summary` / `compare` (summary_load, summary_table_diff), `hwsim
 *        calibrate --evaluate` (cube_replicate_shape, cube_read_replicate) and
 *        `hwsim run --resume` (cube_reopen on a .partial).
 *
 * Raw bytes would mostly exercise libhdf5's own parser, so instead a small
 * valid cube is written once (fuzz_cube_base: the layout of 2019..2021, the
 * root attributes of sim/run.c, 2 replicates of deterministic data) and each
 * input is a list of edits applied to a copy of it through the HDF5 API.
 *
 * Input: 4 selector bytes, then up to FZ_MAX_OPS ops of 5 bytes (OP A B C D).
 *   selectors: measure name, --by list, --years list, reader flags (see fz_read).
 *   OP % 10:
 *     0 delete link: names[A] (a measure, a coordinate, replicate, or a bogus name)
 *     1 delete attribute: B&1 ? root attribute rootkeys[B>>1] : dskeys[B>>1] of names[A]
 *     2 rewrite root attribute rootkeys[A] as value kind B, variant C/D (fz_attr_write)
 *     3 rewrite dataset attribute dskeys[B] of names[A] as kind C, variant D
 *     4 replace coordinate names[A] (created when absent): type B%6, length variant C%8,
 *       rank (C>>3)%4, value pattern D%16, D>>4: bit0 not a scale, bit1 not attached to
 *       the measures, bit2 first detach the old one (else the old references dangle);
 *       attach/detach only while no reference dangles (see fz_dangling)
 *     5 replace measure names[A]: type B%6, rank variant C%6, length variant C>>3 for
 *       dimension D%rank, scales D>>4: 0 its own, 1 none, 2 reversed, 3 replicate on all
 *       (attached only when the measure did not exist: deleting it leaves references)
 *     6 B&1 ? detach : attach coordinate names[C] to dimension B>>1 of measure names[A]
 *     7 set the extent of names[A]'s dimension B%4 to lens[C]
 *     8 overwrite element B of coordinate names[A] with integer / label variant C
 *     9 replace names[A] by B%4: a group, a hard link to names[C], a soft link to names[C]
 *       (or a dangling one), an external link to a missing file
 * Every reader must succeed or fail with a non-empty one-line message.
 */
#include <hdf5.h>
#include <hdf5_hl.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cube.h"
#include "cube_replicate.h"
#include "layout.h"
#include "measures.h"
#include "summary_table.h"

#define FZ_MAX_OPS 16
#define FZ_NREP 2
#define FZ_MAX_NAMES (CUBE_MAX_MEASURES + CUBE_MAX_LAYOUT_AXES + 4)

static struct cube_layout fz_L;
static int fz_years[3];
static uint8_t *fz_base;
static size_t fz_base_len;
static char fz_base_path[64], fz_mut_path[64], fz_res_path[64], fz_res_partial[80];
static const char *fz_names[FZ_MAX_NAMES];
static int fz_nnames, fz_ncoord0; /**< names: measures, then coordinates from fz_ncoord0 */
/**
 * Set once this input deleted a dataset that dimension-scale references point to (or
 * touched DIMENSION_LIST / REFERENCE_LIST).  libhdf5
 * 1.10.8 then crashes in its own H5DSattach_scale (SEGV in H5O__delete_mesg under
 * H5Adelete -> H5O_condense_header while rewriting REFERENCE_LIST), so no scale is attached
 * or detached after that: the readers still see the dangling references.  H5DSdetach_scale
 * crashes the same way even on an intact copy, so it is never called (detach ops are no-ops).
 */
static int fz_dangling;

static const char *const fz_rootkeys[] = {
    "seed",       "parameter_uncertainty", "replicates_per_draw", "replicates",    "start_year",
    "end_year",   "seed_text",             "scenario_name",       "scenario_text", "data_sha256",
    "title",      "model_version",         "git_revision",        "created",       "Conventions",
    "hdf5_version"};
#define FZ_NROOTKEYS (int)(sizeof fz_rootkeys / sizeof *fz_rootkeys)
static const char *const fz_dskeys[] = {"scale_factor", "units",          "long_name",
                                        "cell_method",  "CLASS",          "NAME",
                                        "DIMENSION_LIST", "REFERENCE_LIST", "_FillValue"};
#define FZ_NDSKEYS (int)(sizeof fz_dskeys / sizeof *fz_dskeys)
static const int64_t fz_ints[] = {0, 1, -1, 7, 2019, 2020, INT_MAX, INT_MIN, INT64_MAX, INT64_MIN,
                                  3, 1000000, -2019, 2, 42, 100000000};
static const char *fz_strs[] = {"", "a\nb", "fte", "12", "nan", "municipal", "0x10", "2019", NULL};
#define FZ_NSTRS 9
static const hsize_t fz_lens[] = {0, 1, 2, 3, 5, 100, (hsize_t)INT_MAX + 2, (hsize_t)1 << 40};

/** @brief The string variant @p v (the last one: 3000 characters). */
static const char *fz_str(unsigned v)
{
  static char big[3001];
  if (!big[0]) memset(big, 'x', sizeof big - 1);
  v %= FZ_NSTRS;
  return fz_strs[v] ? fz_strs[v] : big;
}

/** @brief Read a whole file into a malloc'd buffer. @return 0, or -1. */
static int fz_slurp(const char *path, uint8_t **buf, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  *buf = malloc(n > 0 ? (size_t)n : 1);
  *len = n > 0 && *buf ? fread(*buf, 1, (size_t)n, f) : 0;
  fclose(f);
  return *buf && n > 0 && *len == (size_t)n ? 0 : -1;
}

/** @brief Write @p len bytes to @p path. @return 0, or -1. */
static int fz_spill(const char *path, const uint8_t *buf, size_t len)
{
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  size_t w = fwrite(buf, 1, len, f);
  return fclose(f) == 0 && w == len ? 0 : -1;
}

/** @brief Write the base cube (2 replicates of deterministic values) and keep its bytes. */
static void fz_cube_base(void)
{
  char err[512];
  layout_build(&fz_L, 2019, 2021, fz_years);
  struct cube_attr attrs[] = {
      {"title", "hwsim fuzz base", 0},   {"model_version", "0", 0},
      {"git_revision", "fuzz", 0},       {"seed", NULL, 12345},
      {"seed_text", "12345", 0},         {"replicates", NULL, FZ_NREP},
      {"start_year", NULL, 2019},        {"end_year", NULL, 2021},
      {"scenario_name", "fuzz", 0},      {"scenario_text", "name: fuzz\n", 0},
      {"scenario_sha256", "00", 0},      {"data_dir", "/nonexistent", 0},
      {"data_sha256", "a.csv=00", 0},    {"compiler", "clang", 0},
      {"cflags", "", 0},                 {"hdf5_version", "1.10", 0},
      {"mpi_version", "none", 0},        {"parameter_uncertainty", NULL, 0},
      {"replicates_per_draw", NULL, 1},  {"created", "2026-01-01T00:00:00Z", 0},
      {"Conventions", "CF-1.8", 0},
  };
  struct cube_writer *w =
      cube_create(fz_base_path, &fz_L, attrs, (int)(sizeof attrs / sizeof *attrs), err, sizeof err);
  if (!w) {
    fprintf(stderr, "fuzz_cube: %s\n", err);
    abort();
  }
  int32_t *data[CUBE_MAX_MEASURES];
  for (int m = 0; m < fz_L.nmeasures; m++) {
    size_t n = cube_measure_size(&fz_L, m);
    data[m] = malloc(n * sizeof **data);
    for (size_t i = 0; i < n; i++)
      data[m][i] = (int32_t)((i * 7 + (size_t)m) % 50);
  }
  for (int r = 0; r < FZ_NREP; r++)
    if (cube_append(w, r, (const int32_t *const *)data, err, sizeof err) < 0) abort();
  for (int m = 0; m < fz_L.nmeasures; m++)
    free(data[m]);
  if (cube_finish(w, err, sizeof err) < 0 || fz_slurp(fz_base_path, &fz_base, &fz_base_len) < 0)
    abort();
}

/** @brief Remove this process's files (at exit). */
static void fz_cleanup(void)
{
  remove(fz_base_path);
  remove(fz_mut_path);
  remove(fz_res_path);
  remove(fz_res_partial);
}

/**
 * LeakSanitizer: libhdf5 1.10.8 itself leaks the root group's object-header image
 * (allocated by H5FL_blk_malloc under H5Fopen -> H5G_mkroot -> H5O_protect) after a
 * dataset of the root is replaced by a group, with no HDF5 object left open by us
 * (H5Fget_obj_count is 1 at H5Fclose).  libhdf5 has no frame pointers, so the fast
 * unwinder stops at its first frame: allocations made inside libhdf5 are ignored (which
 * would also hide a vlen string we forgot to reclaim); a leak of our own memory is still
 * reported.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
  return "leak:libhdf5_serial.so\nleak:libhdf5.so\n";
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  /* No HDF5 free lists: freed blocks go back to malloc, so ASan sees a write past a block
   * or a use after free inside the library (its free lists would hide them, and a damaged
   * list crashes a later, innocent input). */
  H5set_free_list_limits(0, 0, 0, 0, 0, 0);
  int pid = (int)getpid();
  snprintf(fz_base_path, sizeof fz_base_path, "/tmp/hwsim-fuzzcube-%d-base.h5", pid);
  snprintf(fz_mut_path, sizeof fz_mut_path, "/tmp/hwsim-fuzzcube-%d.h5", pid);
  snprintf(fz_res_path, sizeof fz_res_path, "/tmp/hwsim-fuzzcube-%d-res.h5", pid);
  snprintf(fz_res_partial, sizeof fz_res_partial, "%s.partial", fz_res_path);
  atexit(fz_cleanup);
  fz_cube_base();
  for (int m = 0; m < fz_L.nmeasures; m++)
    fz_names[fz_nnames++] = fz_L.measures[m].name;
  fz_ncoord0 = fz_nnames;
  fz_names[fz_nnames++] = "replicate";
  for (int a = 0; a < fz_L.naxes; a++)
    fz_names[fz_nnames++] = fz_L.axes[a].name;
  fz_names[fz_nnames++] = "bogus";
  fz_names[fz_nnames++] = "new\nline";
  return 0;
}

/** @brief The layout axis called @p name, or NULL. */
static const struct cube_axis *fz_axis(const char *name)
{
  for (int a = 0; a < fz_L.naxes; a++)
    if (strcmp(fz_L.axes[a].name, name) == 0) return &fz_L.axes[a];
  return NULL;
}

/** @brief The layout measure called @p name, or -1. */
static int fz_measure(const char *name)
{
  for (int m = 0; m < fz_L.nmeasures; m++)
    if (strcmp(fz_L.measures[m].name, name) == 0) return m;
  return -1;
}

/** @brief The file type of kind k: int32, int64, double, uint8, fixed string, vlen string. */
static hid_t fz_type(unsigned k)
{
  hid_t t;
  switch (k % 6) {
  case 0: return H5Tcopy(H5T_STD_I32LE);
  case 1: return H5Tcopy(H5T_STD_I64BE);
  case 2: return H5Tcopy(H5T_IEEE_F64LE);
  case 3: return H5Tcopy(H5T_STD_U8LE);
  case 4:
    t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, 12);
    return t;
  default:
    t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    return t;
  }
}

/** @brief Delete attribute @p key of @p obj if present. */
static void fz_attr_del(hid_t obj, const char *key)
{
  if (H5Aexists(obj, key) > 0) H5Adelete(obj, key);
}

/**
 * @brief Write attribute @p key of @p obj anew: kind 0 int64, 1 double, 2 fixed string,
 *        3 vlen string, 4 int array of v%5 (0: null dataspace), 5 double array, 6 uint8.
 */
static void fz_attr_write(hid_t obj, const char *key, unsigned kind, unsigned v)
{
  static const double dbl[] = {0, 1, -0.5, 0.01, 1e308, -1e308, NAN, INFINITY};
  hid_t t = -1, s = -1, a = -1;
  fz_attr_del(obj, key);
  int64_t iv[4] = {fz_ints[v % 16], fz_ints[(v + 1) % 16], 3, 4};
  double dv[4] = {dbl[v % 8], dbl[(v + 3) % 8], 2, 3};
  const char *str = fz_str(v);
  hsize_t n = v % 5;
  kind %= 7;
  if (kind == 2 || kind == 3) {
    t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, kind == 3 ? H5T_VARIABLE : strlen(str) + 1);
  } else
    t = H5Tcopy(kind == 1 || kind == 5 ? H5T_IEEE_F64LE
                : kind == 6            ? H5T_STD_U8LE
                                       : H5T_STD_I64LE);
  s = (kind == 4 || kind == 5) ? (n ? H5Screate_simple(1, &n, NULL) : H5Screate(H5S_NULL))
                               : H5Screate(H5S_SCALAR);
  if (t >= 0 && s >= 0 && (a = H5Acreate2(obj, key, t, s, H5P_DEFAULT, H5P_DEFAULT)) >= 0) {
    if (kind == 3)
      H5Awrite(a, t, &str);
    else if (kind == 2)
      H5Awrite(a, t, str);
    else if (kind == 1 || kind == 5)
      H5Awrite(a, H5T_NATIVE_DOUBLE, dv);
    else if (n || kind != 4) {
      uint8_t u = (uint8_t)v;
      H5Awrite(a, kind == 6 ? H5T_NATIVE_UINT8 : H5T_NATIVE_INT64, kind == 6 ? (void *)&u : iv);
    }
  }
  if (a >= 0) H5Aclose(a);
  if (s >= 0) H5Sclose(s);
  if (t >= 0) H5Tclose(t);
}

/** @brief Fill a new dataset @p d of @p n elements by pattern @p p (when small enough). */
static void fz_fill(hid_t d, hid_t t, hsize_t n, const struct cube_axis *ax, unsigned p)
{
  if (n == 0 || n > 4096) return; /* huge datasets stay at their fill value */
  H5T_class_t cls = H5Tget_class(t);
  if (cls == H5T_STRING) {
    const char **lab = malloc(n * sizeof *lab);
    for (hsize_t i = 0; i < n; i++)
      lab[i] = p % 4 == 0 && ax && ax->labels ? ax->labels[i % (hsize_t)ax->n]
               : p % 4 == 1                   ? fz_str(p / 4)
                                              : fz_str((unsigned)i + p);
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Dwrite(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, lab);
    H5Tclose(mt);
    free(lab);
    return;
  }
  int64_t *v = malloc(n * sizeof *v);
  int64_t b = p % 4 == 0 && ax && ax->values ? ax->values[0] : fz_ints[p % 16];
  int64_t step = (int64_t)(p / 4) % 3 - (p & 8 ? 0 : 1); /* -1, 0, 1 (duplicates), 2 */
  for (hsize_t i = 0; i < n; i++) /* wraps (unsigned) rather than overflows near INT64_MAX */
    v[i] = (int64_t)((uint64_t)b + (uint64_t)i * (uint64_t)(p % 4 == 0 ? 1 : step));
  H5Dwrite(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
  free(v);
}

/**
 * @brief Create dataset @p name of type kind @p tk and shape dims[rank] (chunked and
 *        extendible when huge), filled by pattern @p p.  @return it, or -1.
 */
static hid_t fz_dataset(hid_t f, const char *name, unsigned tk, int rank, const hsize_t *dims,
                        unsigned p)
{
  hsize_t n = 1, maxd[H5S_MAX_RANK], chunk[H5S_MAX_RANK];
  int huge = 0;
  for (int k = 0; k < rank; k++) {
    n *= dims[k];
    huge |= dims[k] > 4096;
    maxd[k] = H5S_UNLIMITED;
    chunk[k] = 1;
  }
  hid_t t = fz_type(tk), s = H5Screate_simple(rank, dims, huge ? maxd : NULL), pl = -1, d = -1;
  if (rank == 0) s = H5Screate(H5S_SCALAR);
  if (t >= 0 && s >= 0 && (pl = H5Pcreate(H5P_DATASET_CREATE)) >= 0 &&
      (!huge || H5Pset_chunk(pl, rank, chunk) >= 0))
    d = H5Dcreate2(f, name, t, s, H5P_DEFAULT, pl, H5P_DEFAULT);
  if (d >= 0 && !huge) fz_fill(d, t, rank ? n : 1, fz_axis(name), p);
  if (pl >= 0) H5Pclose(pl);
  if (s >= 0) H5Sclose(s);
  if (t >= 0) H5Tclose(t);
  return d;
}

/** @brief Attach scale @p sc to dimension @p dim of measure @p name (if both open). */
static void fz_attach(hid_t f, const char *name, hid_t sc, unsigned dim, int detach)
{
  if (fz_dangling || detach || H5Lexists(f, name, H5P_DEFAULT) <= 0) return;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return;
  if (detach)
    H5DSdetach_scale(d, sc, dim);
  else
    H5DSattach_scale(d, sc, dim);
  H5Dclose(d);
}

/** @brief Attach or detach scale @p sc to every measure dimension of layout axis @p name. */
static void fz_attach_all(hid_t f, const char *name, hid_t sc, int detach)
{
  int is_rep = strcmp(name, "replicate") == 0;
  for (int m = 0; m < fz_L.nmeasures; m++) {
    const struct cube_measure *me = &fz_L.measures[m];
    for (int k = 0; k <= me->naxes; k++) {
      int here = k == 0 ? is_rep : strcmp(fz_L.axes[me->axes[k - 1]].name, name) == 0;
      if (!fz_axis(name) && !is_rep) here = k == 1; /* a foreign scale: on the year axis */
      if (here) fz_attach(f, me->name, sc, (unsigned)k, detach);
    }
  }
}

/** @brief Op 4: replace coordinate @p name (see the file comment). */
static void fz_op_coord(hid_t f, const char *name, unsigned b, unsigned c, unsigned d)
{
  const struct cube_axis *ax = fz_axis(name);
  hsize_t n0 = ax ? (hsize_t)ax->n : FZ_NREP;
  hsize_t lens[8] = {0, 1, n0 - 1, n0, n0 + 1, 2 * n0, fz_lens[6], fz_lens[7]};
  int rank = (int)((c >> 3) % 4);
  hsize_t dims[2] = {lens[c % 8], 2};
  rank = rank == 3 ? 0 : rank == 2 ? 2 : 1;
  if (H5Lexists(f, name, H5P_DEFAULT) > 0) {
    hid_t old = H5Dopen2(f, name, H5P_DEFAULT);
    if (old >= 0 && (d >> 4) & 4) fz_attach_all(f, name, old, 1);
    if (old >= 0) H5Dclose(old);
    fz_dangling |= !((d >> 4) & 4);
    H5Ldelete(f, name, H5P_DEFAULT);
  }
  hid_t nd = fz_dataset(f, name, b, rank, dims, d % 16);
  if (nd < 0) return;
  if (!((d >> 4) & 1)) H5DSset_scale(nd, name);
  if (!((d >> 4) & 2)) fz_attach_all(f, name, nd, 0);
  H5Dclose(nd);
}

/** @brief Op 5: replace measure @p name (see the file comment). */
static void fz_op_measure(hid_t f, const char *name, unsigned b, unsigned c, unsigned d)
{
  int m = fz_measure(name);
  if (m < 0) m = 0;
  const struct cube_measure *me = &fz_L.measures[m];
  hsize_t dims[20] = {FZ_NREP};
  int rank0 = me->naxes + 1, rv = (int)(c % 6);
  int rank = rv == 1 ? rank0 - 1 : rv == 2 ? rank0 + 1 : rv == 3 ? 1 : rv == 4 ? 17 : rank0;
  for (int k = 1; k < 20; k++)
    dims[k] = k <= me->naxes ? (hsize_t)fz_L.axes[me->axes[k - 1]].n : 2;
  if (rv == 5) dims[d % (unsigned)rank] = fz_lens[(c >> 3) % 8];
  if (H5Lexists(f, name, H5P_DEFAULT) > 0) {
    H5Ldelete(f, name, H5P_DEFAULT);
    fz_dangling = 1; /* the scales' REFERENCE_LIST still name it: no attaching */
  }
  hsize_t n = 1;
  for (int k = 0; k < rank; k++)
    n *= dims[k];
  if (n > ((hsize_t)1 << 20)) dims[rank - 1] = fz_lens[6]; /* huge: keep it sparse */
  hid_t nd = fz_dataset(f, name, b, rank, dims, d);
  if (nd < 0) return;
  for (int k = 0; k < rank && (d >> 4) % 4 != 1; k++) {
    int src = (d >> 4) % 4 == 2 ? rank - 1 - k : (d >> 4) % 4 == 3 ? 0 : k;
    const char *sn = src == 0 ? "replicate" : src <= me->naxes ? fz_L.axes[me->axes[src - 1]].name
                                                               : "bogus";
    hid_t sc = H5Lexists(f, sn, H5P_DEFAULT) > 0 ? H5Dopen2(f, sn, H5P_DEFAULT) : -1;
    if (sc >= 0 && !fz_dangling) {
      H5DSattach_scale(nd, sc, (unsigned)k);
      H5Dclose(sc);
    }
  }
  H5Dclose(nd);
}

/** @brief Op 6: attach / detach coordinate @p sn to dimension @p dim of measure @p name. */
static void fz_op_attach(hid_t f, const char *name, unsigned dim, const char *sn, int detach)
{
  if (H5Lexists(f, sn, H5P_DEFAULT) <= 0) return;
  hid_t sc = H5Dopen2(f, sn, H5P_DEFAULT);
  if (sc < 0) return;
  if (!detach && !fz_dangling && H5DSis_scale(sc) <= 0) H5DSset_scale(sc, sn);
  fz_attach(f, name, sc, dim, detach);
  H5Dclose(sc);
}

/** @brief Op 7: set the extent of dimension @p dim of @p name to @p n. */
static void fz_op_extent(hid_t f, const char *name, unsigned dim, hsize_t n)
{
  if (H5Lexists(f, name, H5P_DEFAULT) <= 0) return;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return;
  hsize_t dims[H5S_MAX_RANK];
  hid_t s = H5Dget_space(d);
  int rank = s >= 0 ? H5Sget_simple_extent_dims(s, dims, NULL) : -1;
  if (s >= 0) H5Sclose(s);
  if (rank > 0) {
    dims[dim % (unsigned)rank] = n;
    H5Dset_extent(d, dims);
  }
  H5Dclose(d);
}

/** @brief Op 8: overwrite element @p i of 1-D coordinate @p name with variant @p v. */
static void fz_op_poke(hid_t f, const char *name, unsigned i, unsigned v)
{
  if (H5Lexists(f, name, H5P_DEFAULT) <= 0) return;
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT), fs = -1, ms = -1, t = -1;
  hsize_t n = 0, one = 1, at;
  if (d < 0) return;
  if ((fs = H5Dget_space(d)) >= 0 && H5Sget_simple_extent_ndims(fs) == 1 &&
      H5Sget_simple_extent_dims(fs, &n, NULL) == 1 && n > 0 && (t = H5Dget_type(d)) >= 0) {
    at = i % n;
    ms = H5Screate_simple(1, &one, NULL);
    H5Sselect_hyperslab(fs, H5S_SELECT_SET, &at, NULL, &one, NULL);
    if (H5Tget_class(t) == H5T_STRING) {
      const char *s = fz_str(v);
      hid_t mt = H5Tcopy(H5T_C_S1);
      H5Tset_size(mt, H5T_VARIABLE);
      H5Dwrite(d, mt, ms, fs, H5P_DEFAULT, &s);
      H5Tclose(mt);
    } else {
      int64_t x = fz_ints[v % 16];
      H5Dwrite(d, H5T_NATIVE_INT64, ms, fs, H5P_DEFAULT, &x);
    }
  }
  if (t >= 0) H5Tclose(t);
  if (ms >= 0) H5Sclose(ms);
  if (fs >= 0) H5Sclose(fs);
  H5Dclose(d);
}

/** @brief Op 9: replace @p name by a group or a link. */
static void fz_op_link(hid_t f, const char *name, unsigned kind, const char *target)
{
  fz_dangling = 1;
  if (H5Lexists(f, name, H5P_DEFAULT) > 0) H5Ldelete(f, name, H5P_DEFAULT);
  char soft[300];
  switch (kind % 4) {
  case 0: {
    hid_t g = H5Gcreate2(f, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g >= 0) H5Gclose(g);
    break;
  }
  case 1: H5Lcreate_hard(f, target, f, name, H5P_DEFAULT, H5P_DEFAULT); break;
  case 2:
    snprintf(soft, sizeof soft, "/%s", kind & 4 ? "nowhere" : target);
    H5Lcreate_soft(soft, f, name, H5P_DEFAULT, H5P_DEFAULT);
    break;
  default:
    H5Lcreate_external("/tmp/hwsim-fuzzcube-missing.h5", "/x", f, name, H5P_DEFAULT, H5P_DEFAULT);
  }
}

/** @brief Apply one op (5 bytes) to the open file. */
static void fz_op(hid_t f, const uint8_t *o)
{
  const char *name = fz_names[o[1] % fz_nnames], *other = fz_names[o[3] % fz_nnames];
  hid_t d;
  switch (o[0] % 10) {
  case 0:
    fz_dangling = 1;
    H5Ldelete(f, name, H5P_DEFAULT);
    break;
  case 1:
    if (o[2] & 1) {
      fz_attr_del(f, fz_rootkeys[(o[2] >> 1) % FZ_NROOTKEYS]);
    } else if (H5Lexists(f, name, H5P_DEFAULT) > 0 && (d = H5Oopen(f, name, H5P_DEFAULT)) >= 0) {
      fz_dangling |= (o[2] >> 1) % FZ_NDSKEYS >= 6; /* DIMENSION_LIST, REFERENCE_LIST */
      fz_attr_del(d, fz_dskeys[(o[2] >> 1) % FZ_NDSKEYS]);
      H5Oclose(d);
    }
    break;
  case 2: fz_attr_write(f, fz_rootkeys[o[1] % FZ_NROOTKEYS], o[2], o[3] | (o[4] << 8)); break;
  case 3:
    if (H5Lexists(f, name, H5P_DEFAULT) > 0 && (d = H5Oopen(f, name, H5P_DEFAULT)) >= 0) {
      fz_dangling |= o[2] % FZ_NDSKEYS >= 6;
      fz_attr_write(d, fz_dskeys[o[2] % FZ_NDSKEYS], o[3], o[4]);
      H5Oclose(d);
    }
    break;
  case 4: fz_op_coord(f, fz_names[fz_ncoord0 + o[1] % (fz_nnames - fz_ncoord0)], o[2], o[3], o[4]);
    break;
  case 5: fz_op_measure(f, fz_names[o[1] % fz_ncoord0], o[2], o[3], o[4]); break;
  case 6: fz_op_attach(f, fz_names[o[1] % fz_ncoord0], o[2] >> 1, other, o[2] & 1); break;
  case 7: fz_op_extent(f, name, o[2], fz_lens[o[3] % 8]); break;
  case 8: fz_op_poke(f, name, o[2], o[3]); break;
  default: fz_op_link(f, name, o[2], other);
  }
}

/** @brief An error must be one non-empty line. */
static void fz_check_err(const char *err)
{
  if (!err[0] || strchr(err, '\n')) __builtin_trap();
}

/** @brief Exercise the labels that `hwsim summary` prints. */
static void fz_touch_labels(const struct summary_table *t)
{
  size_t sum = 0;
  for (size_t c = 0; c < t->ncells; c++)
    for (int k = 0; k < t->nby; k++)
      sum += strlen(summary_cell_label(t, c, k));
  for (size_t i = 0; i < (size_t)t->nrep * (size_t)t->nyears * t->ncells; i++)
    if (t->values[i] != t->values[i]) sum++;
  (void)sum;
}

/** @brief summary_load of the mutated cube, and compare against the base both ways. */
static void fz_summary(const uint8_t *sel)
{
  static const char *const by[] = {NULL,        "group",     "sex",           "sector",
                                   "group,sex", "replicate", "year",          "",
                                   "bogus,",    "sector,sector", "age_band,sector", "a\nb"};
  static const char *const years[] = {NULL,        "2019",       "2020,2021", "2018",
                                      "2019,2019", "abc",        "",          "2021,99999999999"};
  const char *meas = sel[0] == 255 ? "a\nb" : sel[0] == 254 ? "fte" : fz_names[sel[0] % fz_nnames];
  const char *b = by[sel[1] % 12], *y = years[sel[2] % 8];
  char err[1024];
  struct summary_table t, base;
  if (summary_load(fz_mut_path, meas, b, y, NULL, 0, &t, err, sizeof err) != 0) {
    fz_check_err(err);
    return;
  }
  fz_touch_labels(&t);
  if (summary_load(fz_base_path, meas, b, y, NULL, 0, &base, err, sizeof err) == 0) {
    double *diff = NULL;
    if (summary_table_diff(&base, &t, fz_base_path, fz_mut_path, &diff, err, sizeof err) != 0)
      fz_check_err(err);
    free(diff);
    diff = NULL;
    if (summary_table_diff(&t, &base, fz_mut_path, fz_base_path, &diff, err, sizeof err) != 0)
      fz_check_err(err);
    free(diff);
    summary_table_free(&base);
  }
  summary_table_free(&t);
}

/** @brief cube_replicate_shape and cube_read_replicate (calibrate --evaluate). */
static void fz_replicate(void)
{
  char err[1024];
  int nrep, start, ny;
  if (cube_replicate_shape(fz_mut_path, &nrep, &start, &ny, err, sizeof err) != 0) {
    fz_check_err(err);
    return;
  }
  struct replicate_out o;
  if (ny < 1 || ny > 1000 || replicate_out_init(&o, ny) != 0) return;
  int rows[2] = {nrep - 1, nrep}; /* the last row, and one past it */
  for (int i = 0; i < 2; i++)
    if (cube_read_replicate(fz_mut_path, rows[i], &o, err, sizeof err) != 0) fz_check_err(err);
  replicate_out_free(&o);
}

/** @brief cube_reopen on a .partial copy (run --resume), then append + finish or abandon. */
static void fz_resume(int finish)
{
  char err[1024];
  uint8_t *buf;
  size_t len;
  if (fz_slurp(fz_mut_path, &buf, &len) != 0 || fz_spill(fz_res_partial, buf, len) != 0) {
    free(buf);
    return;
  }
  free(buf);
  int n = -1;
  struct cube_writer *w = cube_reopen(fz_res_path, &fz_L, &n, err, sizeof err);
  if (!w) {
    fz_check_err(err);
  } else if (finish) {
    int32_t *data[CUBE_MAX_MEASURES];
    for (int m = 0; m < fz_L.nmeasures; m++)
      data[m] = calloc(cube_measure_size(&fz_L, m), sizeof **data);
    if (cube_append(w, n, (const int32_t *const *)data, err, sizeof err) != 0) fz_check_err(err);
    if (cube_finish(w, err, sizeof err) != 0) fz_check_err(err);
    for (int m = 0; m < fz_L.nmeasures; m++)
      free(data[m]);
  } else {
    cube_abandon(w);
  }
  remove(fz_res_partial);
  remove(fz_res_path);
}

/** @brief Trap when an HDF5 object is still open after reader @p who, naming each. */
static void fz_no_open_objects(const char *who)
{
  if (H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0) return;
  hid_t ids[16];
  ssize_t n = H5Fget_obj_ids(H5F_OBJ_ALL, H5F_OBJ_ALL, 16, ids);
  for (ssize_t i = 0; i < n; i++) {
    char name[256] = "";
    H5Iget_name(ids[i], name, sizeof name);
    fprintf(stderr, "fuzz_cube: still open after %s: type %d %s\n", who, (int)H5Iget_type(ids[i]),
            name);
  }
  __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const uint8_t nosel[4] = {254, 0, 0, 0};
  const uint8_t *sel = size >= 4 ? data : nosel;
  if (fz_spill(fz_mut_path, fz_base, fz_base_len) != 0) return 0;
  /* STRONG: closing the file closes whatever the edits left open, so that any object still
   * open after the readers is theirs. */
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl < 0 || H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0) abort();
  hid_t f = H5Fopen(fz_mut_path, H5F_ACC_RDWR, fapl);
  H5Pclose(fapl);
  if (f < 0) abort();
  fz_dangling = 0;
  for (size_t i = 4, k = 0; i + 5 <= size && k < FZ_MAX_OPS; i += 5, k++)
    fz_op(f, data + i);
  H5Fclose(f);
  /* After each reader: one that leaves an HDF5 object open leaks its file's metadata cache
   * every input. */
  if (sel[3] & 1) fz_summary(sel);
  fz_no_open_objects("summary");
  if (sel[3] & 2 || !(sel[3] & 7)) fz_replicate();
  fz_no_open_objects("replicate");
  if (sel[3] & 4 || !(sel[3] & 7)) fz_resume(sel[3] & 8);
  fz_no_open_objects("resume");
  if (!(sel[3] & 7)) fz_summary(sel);
  fz_no_open_objects("summary");
  return 0;
}
