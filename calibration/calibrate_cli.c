/**
 * @file calibrate_cli.c
 * @brief The `hwsim calibrate` command (calibrate_main, declared in
 *        calibrate.h): its options, the fit and its outputs, and the
 *        --evaluate mode that computes the targets' measures from a result
 *        cube with the fit's own definitions (tools/validate.py uses it).
 */
#include <errno.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "calibrate.h"
#include "calibreport.h"
#include "cli.h"
#include "csvtab.h"
#include "cube_replicate.h"
#include "fsutil.h"
#include "params_check.h"

#define CALIB_STR_(x) #x
#define CALIB_STR(x) CALIB_STR_(x)

static const char calib_usage[] =
    "usage: hwsim calibrate [TARGETS.csv ...] [-o REPORT] [--scenario S.yaml]\n"
    "                       [--write FITTED.csv | --no-write] [--replicates R] [--seed S]\n"
    "                       [--threads T] [--end-year Y] [--max-iter N] [--csv] [--quiet]\n"
    "       hwsim calibrate --evaluate CUBE.h5 [TARGETS.csv ...] [-o OUT] [--scenario S.yaml]\n"
    "                       [--csv]\n"
    "Fit the hazard multipliers to the targets (default: the scenario's data/targets.csv) and\n"
    "print the report; --write saves the fit (and FITTED_cov.csv beside it), e.g. --write\n"
    "DATA/fitted.csv for hwsim run to use it: nothing is written without it.  With --evaluate,\n"
    "print every target's simulated value in a result cube (mean over its replicates of the\n"
    "per-replicate value).\n";

/** What the command line asks for. */
struct calib_args {
  const char *files[CALIB_MAX_FILES]; /**< targets files (none: <data>/targets.csv) */
  int nfiles;
  const char *report, *scen, *write, *evaluate;
  int no_write, csv, quiet, end_year, has_seed, fit_only;
  unsigned long long seed;
  struct calib_opts o;
};

/**
 * @brief Parse argv into @p a.
 * @return 0 when parsed, 1 when help was printed (exit 0), 2 after an error line (exit 2).
 */
static int calib_parse(int argc, char **argv, struct calib_args *a)
{
  *a = (struct calib_args){
      .o = {.replicates = 2, .threads = 0, .max_iter = 20, .fd_step = 0.05, .verbose = 1}};
  int *fo = &a->fit_only; /* options of the fit, which --evaluate does not take */
  const struct cli_opt opts[] = {
      {"--output", "-o", CLI_STR, &a->report, 0, 0, NULL, 0, NULL},
      {"--scenario", NULL, CLI_STR, &a->scen, 0, 0, NULL, 0, NULL},
      {"--write", NULL, CLI_STR, &a->write, 0, 0, NULL, 0, fo},
      {"--no-write", NULL, CLI_FLAG, &a->no_write, 0, 0, NULL, 1, fo},
      {"--replicates", NULL, CLI_INT, &a->o.replicates, 1, 1000, "a replicate count", 0, fo},
      {"--seed", NULL, CLI_U64, &a->seed, 0, 0, "a seed", 0, &a->has_seed},
      {"--threads", NULL, CLI_INT, &a->o.threads, 1, 1024, "a thread count", 0, fo},
      {"--end-year", NULL, CLI_INT, &a->end_year, 2000, 2150, "a year", 0, fo},
      {"--max-iter", NULL, CLI_INT, &a->o.max_iter, 1, 1000, "an iteration count", 0, fo},
      {"--evaluate", NULL, CLI_STR, &a->evaluate, 0, 0, NULL, 0, NULL},
      {"--csv", NULL, CLI_FLAG, &a->csv, 0, 0, NULL, 1, NULL},
      {"--quiet", "-q", CLI_FLAG, &a->quiet, 0, 0, NULL, 1, NULL},
  };
  const struct cli_spec spec = {"hwsim calibrate",
                                opts,
                                (int)(sizeof opts / sizeof *opts),
                                a->files,
                                CALIB_MAX_FILES,
                                &a->nfiles,
                                "at most " CALIB_STR(CALIB_MAX_FILES) " target files",
                                calib_usage};
  int rc = cli_parse(&spec, argc, argv);
  if (rc) return rc;
  if (a->write && a->no_write) {
    fprintf(stderr, "hwsim calibrate: --write and --no-write together (expected one of them)\n");
    return 2;
  }
  if (a->evaluate && (a->fit_only || a->has_seed)) {
    fprintf(stderr, "hwsim calibrate: --evaluate reads a cube (expected no --write, --no-write, "
                    "--replicates, --seed, --threads, --end-year or --max-iter)\n");
    return 2;
  }
  a->o.verbose = !a->quiet;
  if (a->o.threads < 1) a->o.threads = omp_get_max_threads();
  return 0;
}

/**
 * @brief Drop the conditional parameters the targets say nothing about: a
 *        docking one is kept only when an `fte` target for its group (all
 *        health sectors) lies after the base year, e.g.
 *        calibration/norway/docking.csv's 2040 rows; a GP-scheme one only with
 *        a GP-scheme target (doctor_targets.csv).  Without them (targets.csv
 *        alone, a user's own targets) the fit is the other parameters' only.
 */
static void calib_spec_keep_docked(struct calib_spec *sp, const struct calib_targets *T,
                                   int start_year)
{
  int n = 0;
  for (int j = 0; j < sp->np; j++) {
    const struct calib_param *q = &sp->prm[j];
    int keep = q->docking == CALIB_DOCK_NONE;
    for (int i = 0; i < T->n && !keep; i++) {
      const struct calib_target *t = &T->t[i];
      keep = q->docking == CALIB_DOCK_GP ? calib_measure_is_gp(t->measure)
                                         : t->measure == CM_FTE && t->group == q->group &&
                                               t->sector == CSVTAB_ALL && t->year > start_year;
    }
    if (keep) sp->prm[n++] = *q;
  }
  sp->np = n;
}

/** @brief Load the targets files (none given: <data_dir>/targets.csv); 2 after an error line. */
static int calib_load_targets(const struct calib_args *a, const char *data_dir, int start_year,
                              struct calib_targets *T)
{
  char defpath[2200], err[1024];
  snprintf(defpath, sizeof defpath, "%s/targets.csv", data_dir);
  const char *const def[1] = {defpath};
  const char *const *files = a->nfiles ? a->files : def;
  int n = a->nfiles ? a->nfiles : 1;
  for (int i = 0; i < n; i++)
    if (calib_targets_load(T, files[i], start_year, err, sizeof err) != 0) {
      fprintf(stderr, "hwsim calibrate: %s\n", err);
      return 2;
    }
  return 0;
}

/** @brief Print the report to -o or stdout: the fit's, or (@p sim) the evaluated values. */
static int calib_print(const struct calib_args *a, const struct calib_targets *T,
                       const struct calib_spec *sp, const struct calib_result *r, const double *sim)
{
  FILE *rf = stdout;
  char tmp[2200];
  if (a->report) {
    snprintf(tmp, sizeof tmp, "%s.partial", a->report);
    if (!(rf = fopen(tmp, "w"))) {
      fprintf(stderr, "hwsim calibrate: %s: cannot write (%s)\n", tmp, strerror(errno));
      return 1;
    }
  }
  if (sim)
    calib_report_values(rf, T, sim, a->csv);
  else
    calib_report(rf, T, sp, r, &a->o, a->csv);
  if (rf == stdout) return 0;
  /* Written whole or not at all: the report replaces REPORT only once complete. */
  int bad = ferror(rf);
  bad |= fclose(rf);
  if (bad || rename(tmp, a->report) != 0) {
    fprintf(stderr, "hwsim calibrate: %s: cannot write (%s)\n", a->report, strerror(errno));
    unlink(tmp);
    return 1;
  }
  return 0;
}

/** @brief Write the fit to --write FITTED.csv (and FITTED_cov.csv); nothing without it, so
 *         the shipped data's fitted.csv changes only when asked.  1 on failure. */
static int calib_write(const struct calib_args *a, const struct params *p, const struct scenario *s,
                       const struct calib_targets *T, const struct calib_spec *sp,
                       const struct calib_result *r)
{
  char err[1024];
  if (!a->write) {
    if (!a->quiet)
      fprintf(stderr,
              "hwsim calibrate: the fit is not saved (--write %s/fitted.csv saves it for "
              "hwsim run)\n",
              s->data_dir);
    return 0;
  }
  if (calib_write_fitted(a->write, p, s, T, sp, r, &a->o, err, sizeof err) != 0) {
    fprintf(stderr, "hwsim calibrate: %s\n", err);
    return 1;
  }
  if (!a->quiet) fprintf(stderr, "hwsim calibrate: wrote %s\n", a->write);
  return 0;
}

/**
 * @brief Whether writing @p path (what: "-o" or "--write") would overwrite an
 *        input: the scenario, a targets file, the evaluated cube, or a file of
 *        the data directory (--write may replace the data's fitted.csv and
 *        fitted_cov.csv, which is what it is for).  Refused before any work:
 *        also a directory, or a place under a file.
 * @return 0, or 2 after a one-line message.
 */
static int calib_check_output(const struct calib_args *a, const struct scenario *s,
                              const char *what, const char *path)
{
  struct stat st;
  char dir[1024], name[256];
  if (fs_parent_not_dir(path, dir, sizeof dir)) {
    fprintf(stderr, "hwsim calibrate: %s %s: %s is not a directory (expected a directory)\n", what,
            path, dir);
    return 2;
  }
  if (stat(path, &st) != 0) return 0;
  const char *input = NULL;
  if (S_ISDIR(st.st_mode)) input = "a directory";
  if (s && s->path[0] && fs_same_file(&st, s->path)) input = "the scenario file";
  if (a->evaluate && fs_same_file(&st, a->evaluate)) input = "the evaluated cube";
  for (int i = 0; i < a->nfiles; i++)
    if (fs_same_file(&st, a->files[i])) input = "a targets file";
  if (!input && s && fs_entry_of(s->data_dir, &st, name, sizeof name)) {
    int fit_file = strcmp(name, "fitted.csv") == 0 || strcmp(name, "fitted_cov.csv") == 0;
    if (!(fit_file && strcmp(what, "--write") == 0)) input = "a data file";
  }
  if (!input) return 0;
  fprintf(stderr,
          "hwsim calibrate: %s %s is %s (expected a new file name; no input is ever "
          "overwritten)\n",
          what, path, input);
  return 2;
}

/** @brief calib_check_output for -o and --write (and --write's _cov.csv companion). */
static int calib_check_outputs(const struct calib_args *a, const struct scenario *s)
{
  if (a->report && calib_check_output(a, s, "-o", a->report)) return 2;
  if (!a->write) return 0;
  if (calib_check_output(a, s, "--write", a->write)) return 2;
  char cov[2200];
  calib_cov_path(a->write, cov, sizeof cov);
  if (calib_check_output(a, s, "--write", cov)) return 2;
  if (a->report) {
    struct stat st;
    if (stat(a->report, &st) == 0 && (fs_same_file(&st, a->write) || fs_same_file(&st, cov))) {
      fprintf(stderr, "hwsim calibrate: -o %s and --write %s name one file (expected two)\n",
              a->report, a->write);
      return 2;
    }
  }
  if (strcmp(a->report ? a->report : "", a->write) == 0) {
    fprintf(stderr, "hwsim calibrate: -o and --write name one file, %s (expected two)\n", a->write);
    return 2;
  }
  return 0;
}

/** @brief The fit: load data and targets, fit, write fitted.csv, print the report. */
static int calib_run_fit(struct calib_args *a, struct scenario *s)
{
  char err[1024];
  if (a->has_seed) s->seed = a->seed;
  a->o.seed = s->seed;
  if (calib_check_outputs(a, s)) return 2;
  int rc = 1;
  struct params *p = hw_alloc(1, sizeof *p, "the parameters", err, sizeof err);
  struct calib_targets T = {0};
  struct calib_result r = {0};
  if (p) rc = 2;
  if (!p || params_load(p, s->data_dir, err, sizeof err) != 0 ||
      params_check_scenario(p, s, err, sizeof err) != 0) {
    fprintf(stderr, "hwsim calibrate: %s\n", err);
    goto out;
  }
  if (calib_load_targets(a, s->data_dir, s->start_year, &T)) goto out;
  int need = calib_targets_end_year(&T, s->start_year);
  if (a->end_year && a->end_year < need) {
    fprintf(stderr, "hwsim calibrate: --end-year %d is before %d, the last year the targets need\n",
            a->end_year, need);
    goto out;
  }
  s->end_year = a->end_year ? a->end_year : need;
  struct calib_spec sp;
  calib_spec_default(&sp);
  calib_spec_keep_docked(&sp, &T, s->start_year);
  rc = 1;
  if (calib_fit(p, s, &T, &sp, NULL, &a->o, &r, err, sizeof err) != 0) {
    fprintf(stderr, "hwsim calibrate: %s\n", err);
    goto out;
  }
  if (calib_write(a, p, s, &T, &sp, &r) == 0) rc = calib_print(a, &T, &sp, &r, NULL);
out:
  calib_result_free(&r);
  calib_targets_free(&T);
  free(p);
  return rc;
}

/**
 * @brief Mean over the cube's replicates of each target's per-replicate value
 *        (replicates where it is undefined left out), into sim[].
 * @return 0, or the exit code (2: the cube is not readable as this build's; 1: out of
 *         memory) with a reason in err.
 */
static int calib_evaluate_cube(const char *path, const struct calib_targets *T, int start_year,
                               int nrep, int nyears, double *sim, char *err, size_t errlen)
{
  int *cnt = hw_alloc((size_t)T->n + 1, sizeof *cnt, "the targets' counts", err, errlen);
  if (!cnt) return 1;
  for (int i = 0; i < T->n; i++)
    sim[i] = 0;
  int rc = 0;
  for (int r = 0; rc == 0 && r < nrep; r++) {
    struct replicate_out o;
    if (replicate_out_init(&o, nyears) != 0) {
      snprintf(err, errlen, "out of memory for a replicate's results");
      rc = 1;
      break;
    }
    /* a cube that cannot be read as this build's layout is bad input */
    rc = cube_read_replicate(path, r, &o, err, errlen) != 0 ? 2 : 0;
    if (rc == 0) calib_targets_accumulate(T, &o, start_year, sim, cnt);
    replicate_out_free(&o);
  }
  calib_targets_mean(T, sim, cnt);
  free(cnt);
  return rc;
}

/** @brief --evaluate: the targets' simulated values in a result cube. */
static int calib_run_evaluate(struct calib_args *a)
{
  char err[1024] = "";
  int nrep, start, nyears;
  if (cube_replicate_shape(a->evaluate, &nrep, &start, &nyears, err, sizeof err) != 0) {
    fprintf(stderr, "hwsim calibrate: %s\n", err);
    return 2;
  }
  if (nrep < 1) {
    fprintf(stderr, "hwsim calibrate: %s: no replicates (expected a cube with at least one)\n",
            a->evaluate);
    return 2;
  }
  struct scenario s = {0};
  int has_scen = a->nfiles == 0; /* the default targets are those of the scenario's data */
  if (has_scen &&
      scenario_load(&s, a->scen ? a->scen : scenario_default_path(), err, sizeof err) != 0) {
    fprintf(stderr, "hwsim calibrate: %s\n", err);
    return 2;
  }
  struct calib_targets T = {0};
  int rc = calib_check_outputs(a, has_scen ? &s : NULL);
  if (rc == 0) rc = calib_load_targets(a, s.data_dir, start, &T);
  double *sim = NULL;
  if (rc == 0 &&
      !(sim = hw_alloc((size_t)T.n + 1, sizeof *sim, "the targets' values", err, sizeof err)))
    rc = 1;
  if (rc == 0) rc = calib_evaluate_cube(a->evaluate, &T, start, nrep, nyears, sim, err, sizeof err);
  if (rc && err[0]) fprintf(stderr, "hwsim calibrate: %s\n", err);
  if (rc == 0) rc = calib_print(a, &T, NULL, NULL, sim);
  free(sim);
  calib_targets_free(&T);
  if (has_scen) scenario_free(&s);
  return rc;
}

int calibrate_main(int argc, char **argv)
{
  struct calib_args a;
  int rc = calib_parse(argc, argv, &a);
  if (rc) return rc == 1 ? 0 : rc;
  if (a.evaluate) return calib_run_evaluate(&a);
  char err[1024];
  struct scenario s;
  if (scenario_load(&s, a.scen ? a.scen : scenario_default_path(), err, sizeof err) != 0) {
    fprintf(stderr, "hwsim calibrate: %s\n", err);
    return 2;
  }
  rc = calib_run_fit(&a, &s);
  scenario_free(&s);
  return rc;
}
