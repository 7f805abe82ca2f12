/**
 * @file test_cube.c
 * @brief HDF5 cube writer (outputs/cube.c) and summary/compare (outputs/summary.c).
 *
 * Fixture cube: axes year {2019, 2020}, group {nurse, physician, assistant},
 * sector {municipal, specialist, other_health, outside, not_working}; 3
 * replicates r = 0, 1, 2 with known values (y, g, s are axis indices):
 *   fte[r][y][g][s]     = 12345 + 1000 r + 100 y + 10 g + s   (scale_factor 0.01)
 *   persons[r][y][g][s] = (r+1)(s+1)(g+1) + 100 y             (no scale_factor)
 *
 * When HWSIM_CUBE_FIXTURE is set, test cube/fixture leaves this cube at that
 * path for tests/test_cube_xarray.py; otherwise it writes to a temp dir.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cube.h"
#include "dims.h"
#include "summary.h"

#define NY 2
#define NG 3
#define NS 5
#define NCELL (NY * NG * NS)

static const int fx_years[NY] = {2019, 2020};
static const char *const fx_groups[NG] = {"nurse", "physician", "assistant"};

/** @brief The fixture's layout: fte and persons over (year, group, sector). */
static struct cube_layout fx_layout(void)
{
  struct cube_layout l;
  memset(&l, 0, sizeof l);
  l.naxes = 3;
  l.axes[0] = (struct cube_axis){"year", "calendar year", NY, NULL, fx_years};
  l.axes[1] = (struct cube_axis){"group", "occupational group", NG, fx_groups, NULL};
  l.axes[2] = (struct cube_axis){"sector", "sector of work", NS, sector_labels, NULL};
  l.nmeasures = 2;
  l.measures[0] = (struct cube_measure){
      "fte", "contracted FTE", "FTE", "stock at 31 December", 0.01, 3, {0, 1, 2}};
  l.measures[1] = (struct cube_measure){"persons", "persons", "persons", "stock at 31 December",
                                        1.0,       3,         {0, 1, 2}};
  return l;
}

/** @brief Known fixture values of replicate r. */
static void fx_fill(int r, int32_t *fte, int32_t *persons)
{
  for (int y = 0; y < NY; y++)
    for (int g = 0; g < NG; g++)
      for (int s = 0; s < NS; s++) {
        int i = (y * NG + g) * NS + s;
        fte[i] = 12345 + 1000 * r + 100 * y + 10 * g + s;
        persons[i] = (r + 1) * (s + 1) * (g + 1) + 100 * y;
      }
}

/** @brief Create the fixture cube at path with nrep replicates; finish it if asked. */
static struct cube_writer *fx_write(const char *path, int nrep, int finish, int64_t seed)
{
  struct cube_layout l = fx_layout();
  struct cube_attr attrs[] = {
      {"model_version", "test", 0}, {"seed", NULL, seed}, {"scenario_text", "name: fixture\n", 0}};
  char err[256];
  int32_t fte[NCELL], persons[NCELL];
  const int32_t *data[2] = {fte, persons};
  struct cube_writer *w = cube_create(path, &l, attrs, 3, err, sizeof err);
  cr_assert_not_null(w, "cube_create: %s", err);
  for (int r = 0; r < nrep; r++) {
    fx_fill(r, fte, persons);
    cr_assert_eq(cube_append(w, r, data, err, sizeof err), 0, "cube_append: %s", err);
  }
  if (finish) {
    cr_assert_eq(cube_finish(w, err, sizeof err), 0, "cube_finish: %s", err);
    return NULL;
  }
  return w;
}

static char tmpdir[64];

/** @brief Fresh temp dir per test (Criterion forks each test, so this is isolated). */
static void tmp_setup(void)
{
  snprintf(tmpdir, sizeof tmpdir, "/tmp/hwsim_cube_XXXXXX");
  cr_assert_not_null(mkdtemp(tmpdir));
}

/** @brief Remove the temp dir's known files and the dir itself. */
static void tmp_teardown(void)
{
  const char *names[] = {"a.h5", "a.h5.partial", "b.h5", "b.h5.partial", "junk.h5"};
  char p[128];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", tmpdir, names[i]);
    remove(p);
  }
  rmdir(tmpdir);
}

/** @brief tmpdir/name into buf. */
static const char *tmp_path(char *buf, size_t len, const char *name)
{
  snprintf(buf, len, "%s/%s", tmpdir, name);
  return buf;
}

/** @brief Read a whole int32 measure with the plain HDF5 C API; returns rows (replicates). */
static int read_measure(const char *file, const char *name, int32_t *out, size_t cap)
{
  hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
  cr_assert_geq(f, 0, "H5Fopen %s", file);
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  cr_assert_geq(d, 0);
  hid_t s = H5Dget_space(d);
  hsize_t dims[4];
  cr_assert_eq(H5Sget_simple_extent_ndims(s), 4);
  H5Sget_simple_extent_dims(s, dims, NULL);
  cr_assert_eq(dims[1], NY);
  cr_assert_eq(dims[2], NG);
  cr_assert_eq(dims[3], NS);
  cr_assert_leq(dims[0] * NCELL, cap);
  if (dims[0] > 0)
    cr_assert_geq(H5Dread(d, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, out), 0);
  H5Sclose(s);
  H5Dclose(d);
  H5Fclose(f);
  return (int)dims[0];
}

/** @brief Assert rows 0..n-1 of fte/persons hold the fixture values. */
static void check_values(const char *file, int n)
{
  int32_t fte[8 * NCELL], persons[8 * NCELL], efte[NCELL], epers[NCELL];
  cr_assert_eq(read_measure(file, "fte", fte, 8 * NCELL), n);
  cr_assert_eq(read_measure(file, "persons", persons, 8 * NCELL), n);
  for (int r = 0; r < n; r++) {
    fx_fill(r, efte, epers);
    for (int i = 0; i < NCELL; i++) {
      cr_assert_eq(fte[r * NCELL + i], efte[i], "fte r=%d i=%d", r, i);
      cr_assert_eq(persons[r * NCELL + i], epers[i], "persons r=%d i=%d", r, i);
    }
  }
}

static int file_exists(const char *p)
{
  return access(p, F_OK) == 0;
}

TestSuite(cube, .init = tmp_setup, .fini = tmp_teardown);
TestSuite(summary, .init = tmp_setup, .fini = tmp_teardown);

Test(cube, roundtrip_values_and_rename)
{
  char path[128], partial[160];
  tmp_path(path, sizeof path, "a.h5");
  snprintf(partial, sizeof partial, "%s.partial", path);
  fx_write(path, 3, 1, 42);
  cr_assert(file_exists(path), "final file missing after cube_finish");
  cr_assert(!file_exists(partial), ".partial left after cube_finish");
  check_values(path, 3);

  /* Replicate coordinate, scale_factor only where != 1, CF attributes. */
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t d = H5Dopen2(f, "replicate", H5P_DEFAULT);
  int reps[3];
  cr_assert_geq(H5Dread(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, reps), 0);
  cr_assert(reps[0] == 0 && reps[1] == 1 && reps[2] == 2);
  H5Dclose(d);
  d = H5Dopen2(f, "fte", H5P_DEFAULT);
  double sf = 0;
  hid_t a = H5Aopen(d, "scale_factor", H5P_DEFAULT);
  cr_assert_geq(a, 0);
  H5Aread(a, H5T_NATIVE_DOUBLE, &sf);
  cr_assert_float_eq(sf, 0.01, 1e-15);
  H5Aclose(a);
  cr_assert_gt(H5Aexists(d, "cell_methods"), 0);
  cr_assert_gt(H5Aexists(d, "DIMENSION_LIST"), 0);
  H5Dclose(d);
  d = H5Dopen2(f, "persons", H5P_DEFAULT);
  cr_assert_eq(H5Aexists(d, "scale_factor"), 0);
  H5Dclose(d);
  H5Fclose(f);

  int64_t seed = 0;
  char buf[64];
  cr_assert_eq(cube_read_attr_i64(path, "seed", &seed), 0);
  cr_assert_eq(seed, 42);
  cr_assert_eq(cube_read_attr_str(path, "model_version", buf, sizeof buf), 0);
  cr_assert_str_eq(buf, "test");
  cr_assert_eq(cube_read_attr_i64(path, "no_such_attr", &seed), -1);
}

Test(cube, killed_run_leaves_readable_partial)
{
  char path[128], partial[160];
  tmp_path(path, sizeof path, "a.h5");
  snprintf(partial, sizeof partial, "%s.partial", path);
  pid_t pid = fork();
  cr_assert_geq(pid, 0);
  if (pid == 0) {
    /* Child: two appends, then die without closing anything (as a SIGKILL would). */
    fx_write(path, 2, 0, 42);
    _exit(0);
  }
  int status;
  cr_assert_eq(waitpid(pid, &status, 0), pid);
  cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  cr_assert(!file_exists(path));
  cr_assert(file_exists(partial));
  check_values(partial, 2);

  struct summary_table t;
  char err[512];
  cr_assert_eq(summary_load(partial, "persons", NULL, NULL, NULL, 0, &t, err, sizeof err), 0, "%s",
               err);
  cr_assert_eq(t.nrep, 2);
  summary_table_free(&t);
}

Test(cube, stale_partial_is_replaced)
{
  char path[128], partial[160];
  tmp_path(path, sizeof path, "a.h5");
  snprintf(partial, sizeof partial, "%s.partial", path);
  FILE *fp = fopen(partial, "w");
  cr_assert_not_null(fp);
  fputs("not hdf5", fp);
  fclose(fp);
  fx_write(path, 1, 1, 42);
  check_values(path, 1);
  cr_assert(!file_exists(partial));
}

Test(cube, reopen_drops_half_written_replicate)
{
  char path[128], partial[160], err[256];
  int32_t fte[NCELL], persons[NCELL];
  const int32_t *data[2] = {fte, persons};
  tmp_path(path, sizeof path, "a.h5");
  snprintf(partial, sizeof partial, "%s.partial", path);
  cube_abandon(fx_write(path, 2, 0, 42));

  /* Simulate a kill in the middle of appending replicate 2: fte got its row, nothing else. */
  hid_t f = H5Fopen(partial, H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t d = H5Dopen2(f, "fte", H5P_DEFAULT);
  hsize_t ext[4] = {3, NY, NG, NS};
  cr_assert_geq(H5Dset_extent(d, ext), 0);
  H5Dclose(d);
  H5Fclose(f);
  cr_assert_eq(read_measure(partial, "fte", (int32_t[8 * NCELL]){0}, 8 * NCELL), 3);

  struct cube_layout l = fx_layout();
  int n_done = -1;
  struct cube_writer *w = cube_reopen(path, &l, &n_done, err, sizeof err);
  cr_assert_not_null(w, "cube_reopen: %s", err);
  cr_assert_eq(n_done, 2);
  fx_fill(2, fte, persons);
  cr_assert_eq(cube_append(w, 2, data, err, sizeof err), 0, "%s", err);
  cr_assert_eq(cube_finish(w, err, sizeof err), 0, "%s", err);
  check_values(path, 3);
  cr_assert(!file_exists(partial));
}

Test(cube, reopen_rejects_other_layout)
{
  char path[128], err[256];
  static const char *const other_groups[NG] = {"nurse", "physician", "midwife"};
  tmp_path(path, sizeof path, "a.h5");
  cube_abandon(fx_write(path, 1, 0, 42));
  struct cube_layout l = fx_layout();
  l.axes[1].labels = other_groups;
  int n_done = -1;
  cr_assert_null(cube_reopen(path, &l, &n_done, err, sizeof err));
  cr_assert_not_null(strstr(err, "group"), "err: %s", err);
  /* No .partial at all. */
  tmp_path(path, sizeof path, "b.h5");
  l = fx_layout();
  cr_assert_null(cube_reopen(path, &l, &n_done, err, sizeof err));
}

Test(cube, create_rejects_bad_layout)
{
  char path[128], err[256];
  struct cube_layout l = fx_layout();
  l.axes[1].name = "replicate";
  tmp_path(path, sizeof path, "a.h5");
  cr_assert_null(cube_create(path, &l, NULL, 0, err, sizeof err));
  cr_assert_not_null(strstr(err, "reserved"), "err: %s", err);
}

Test(cube, fixture)
{
  /* Fixture for tests/test_cube_xarray.py (see file comment). */
  const char *env = getenv("HWSIM_CUBE_FIXTURE");
  char path[256];
  if (env && *env)
    snprintf(path, sizeof path, "%s", env);
  else
    tmp_path(path, sizeof path, "a.h5");
  fx_write(path, 3, 1, 42);
  check_values(path, 3);
}

Test(summary, quantile_type7)
{
  /* Type 7: h = (n-1)p.  {10,20,40}: p=.05 -> h=0.1 -> 10 + 0.1*(20-10) = 11;
   * p=.5 -> h=1 -> 20; p=.95 -> h=1.9 -> 20 + 0.9*(40-20) = 38; mean 70/3. */
  double x[3] = {40, 10, 20}, st[4];
  summary_stats(x, 3, st);
  cr_assert_float_eq(st[0], 70.0 / 3.0, 1e-12);
  cr_assert_float_eq(st[1], 11.0, 1e-12);
  cr_assert_float_eq(st[2], 20.0, 1e-12);
  cr_assert_float_eq(st[3], 38.0, 1e-12);
  cr_assert(x[0] == 40 && x[1] == 10, "summary_stats must not reorder its input");
  /* {1,2,3,4}: p=.5 -> h=1.5 -> 2.5; one value: every quantile is that value. */
  double s4[4] = {1, 2, 3, 4};
  cr_assert_float_eq(summary_quantile(s4, 4, 0.5), 2.5, 1e-12);
  cr_assert_float_eq(summary_quantile(s4, 4, 1.0), 4.0, 1e-12);
  cr_assert_float_eq(summary_quantile(s4, 4, 0.0), 1.0, 1e-12);
  double one = 7;
  cr_assert_float_eq(summary_quantile(&one, 1, 0.95), 7.0, 1e-12);
}

Test(summary, aggregate_health_sectors_only)
{
  char path[128], err[512];
  struct summary_table t;
  tmp_path(path, sizeof path, "a.h5");
  fx_write(path, 3, 1, 42);

  /* --by group, sector summed: health sectors s = 0,1,2 only.  Nurse (g=0), 2019:
   * sum_s (r+1)(s+1) = 6(r+1) -> 6, 12, 18 for r = 0,1,2.  (Adding outside and
   * not_working would give 15(r+1).) */
  cr_assert_eq(summary_load(path, "persons", "group", NULL, NULL, 0, &t, err, sizeof err), 0, "%s",
               err);
  cr_assert_eq(t.nrep, 3);
  cr_assert_eq(t.nyears, 2);
  cr_assert_eq(t.ncells, NG);
  cr_assert_str_eq(summary_cell_label(&t, 0, 0), "nurse");
  for (int r = 0; r < 3; r++) {
    /* values[r][y][cell] */
    cr_assert_float_eq(t.values[(r * 2 + 0) * NG + 0], 6.0 * (r + 1), 1e-9);
    /* 2020 adds 100 in each of the three health cells. */
    cr_assert_float_eq(t.values[(r * 2 + 1) * NG + 0], 6.0 * (r + 1) + 300, 1e-9);
    /* assistant (g=2): 3 * 6(r+1) */
    cr_assert_float_eq(t.values[(r * 2 + 0) * NG + 2], 18.0 * (r + 1), 1e-9);
  }
  summary_table_free(&t);

  /* --by group,sector: every sector shown.  nurse/outside 2019 = (r+1)*4. */
  cr_assert_eq(summary_load(path, "persons", "group,sector", "2019", NULL, 0, &t, err, sizeof err),
               0, "%s", err);
  cr_assert_eq(t.ncells, NG * NS);
  cr_assert_eq(t.nyears, 1);
  cr_assert_str_eq(summary_cell_label(&t, 3, 0), "nurse");
  cr_assert_str_eq(summary_cell_label(&t, 3, 1), "outside");
  cr_assert_str_eq(summary_cell_label(&t, NS + 4, 0), "physician");
  cr_assert_str_eq(summary_cell_label(&t, NS + 4, 1), "not_working");
  for (int r = 0; r < 3; r++)
    cr_assert_float_eq(t.values[r * NG * NS + 3], 4.0 * (r + 1), 1e-9);
  summary_table_free(&t);

  /* fte, no --by, 2020: sum over g<3, s<3 of 12445 + 1000r + 10g + s
   * = 9*12445 + 9000r + 3*10*3 + 3*3 = 112104 + 9000r hundredths -> 1121.04 + 90r. */
  cr_assert_eq(summary_load(path, "fte", NULL, "2020", NULL, 0, &t, err, sizeof err), 0, "%s", err);
  cr_assert_eq(t.ncells, 1);
  for (int r = 0; r < 3; r++)
    cr_assert_float_eq(t.values[r], 1121.04 + 90.0 * r, 1e-6);
  cr_assert_float_eq(t.scale_factor, 0.01, 1e-15);
  summary_table_free(&t);
}

Test(summary, load_errors_name_the_problem)
{
  char path[128], junk[128], err[512];
  struct summary_table t;
  tmp_path(path, sizeof path, "a.h5");
  fx_write(path, 2, 1, 42);

  cr_assert_lt(summary_load(path, "nope", NULL, NULL, NULL, 0, &t, err, sizeof err), 0);
  cr_assert_not_null(strstr(err, "fte"), "should list datasets: %s", err);
  cr_assert_null(strstr(err, "group,"), "coordinates are not measures: %s", err);
  cr_assert_lt(summary_load(path, "fte", "age", NULL, NULL, 0, &t, err, sizeof err), 0);
  cr_assert_not_null(strstr(err, "'age'"), "%s", err);
  cr_assert_not_null(strstr(err, "group, sector"), "%s", err);
  cr_assert_lt(summary_load(path, "fte", NULL, "2019,2070", NULL, 0, &t, err, sizeof err), 0);
  cr_assert_not_null(strstr(err, "2070"), "%s", err);
  cr_assert_lt(summary_load(tmp_path(junk, sizeof junk, "b.h5"), "fte", NULL, NULL, NULL, 0, &t,
                            err, sizeof err),
               0);
  cr_assert_not_null(strstr(err, "cannot open"), "%s", err);
  FILE *fp = fopen(tmp_path(junk, sizeof junk, "junk.h5"), "w");
  fputs("hello\n", fp);
  fclose(fp);
  cr_assert_lt(summary_load(junk, "fte", NULL, NULL, NULL, 0, &t, err, sizeof err), 0);
  cr_assert_not_null(strstr(err, "not an HDF5 file"), "%s", err);
}

/** @brief Capture stdout/stderr (the suite's .init has already made the temp dir). */
static void redirect_all(void)
{
  cr_redirect_stdout();
  cr_redirect_stderr();
}

Test(summary, cli_csv_by_group, .init = redirect_all)
{
  char path[128];
  tmp_path(path, sizeof path, "a.h5");
  fx_write(path, 3, 1, 42);
  char *argv[] = {"summary", path,      "--measure", "persons", "--by",
                  "group",   "--years", "2019",      "--csv",   NULL};
  cr_assert_eq(summary_main(9, argv), 0);
  fflush(stdout);
  /* nurse 2019: persons summed over the health sectors = 6(r+1) -> {6,12,18}:
   * mean 12, p05 6 + 0.1*6 = 6.6, p50 12, p95 12 + 0.9*6 = 17.4.
   * physician {12,24,36}: 24, 13.2, 24, 34.8.  assistant {18,36,54}: 36, 19.8, 36, 52.2. */
  cr_assert_stdout_eq_str("group,year,mean,p05,p50,p95\n"
                          "nurse,2019,12.00,6.60,12.00,17.40\n"
                          "physician,2019,24.00,13.20,24.00,34.80\n"
                          "assistant,2019,36.00,19.80,36.00,52.20\n");
}

Test(summary, cli_error_is_one_line_exit_2, .init = redirect_all)
{
  char path[128];
  tmp_path(path, sizeof path, "a.h5");
  fx_write(path, 1, 1, 42);
  char *argv[] = {"summary", path, "--by", "colour", NULL};
  cr_assert_eq(summary_main(4, argv), 2);
  fflush(stderr);
  char expect[512];
  snprintf(expect, sizeof expect,
           "hwsim summary: %s: measure fte has no dimension 'colour' to break down by "
           "(expected one of: group, sector; year is always shown)\n",
           path);
  cr_assert_stderr_eq_str(expect);
  cr_assert_stdout_eq_str("");
}

Test(summary, cli_compare_same_seed_and_refusal, .init = redirect_all)
{
  char a[128], b[128];
  tmp_path(a, sizeof a, "a.h5");
  tmp_path(b, sizeof b, "b.h5");
  fx_write(a, 3, 1, 42);
  fx_write(b, 3, 1, 42);
  char *argv[] = {"compare", a, b, "--csv", "--years", "2020", NULL};
  cr_assert_eq(compare_main(6, argv), 0);
  fflush(stdout);
  cr_assert_stdout_eq_str("year,mean,p05,p50,p95\n2020,0.00,0.00,0.00,0.00\n");
}

Test(summary, cli_compare_refuses_other_seed, .init = redirect_all)
{
  char a[128], b[128];
  tmp_path(a, sizeof a, "a.h5");
  tmp_path(b, sizeof b, "b.h5");
  fx_write(a, 3, 1, 42);
  fx_write(b, 3, 1, 43);
  char *argv[] = {"compare", a, b, "--csv", NULL};
  cr_assert_eq(compare_main(4, argv), 2);
  fflush(stderr);
  char expect[512];
  snprintf(expect, sizeof expect,
           "hwsim compare: %s: seed 43 differs from %s's 42 (expected the same seed, so "
           "paired replicates share random streams)\n",
           b, a);
  cr_assert_stderr_eq_str(expect);
  cr_assert_stdout_eq_str("");
}
