/**
 * @file main.c
 * @brief The `hwsim` command: run, summary, compare, bench, calibrate, datasets, brief.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "bench.h"
#include "calibrate.h"
#include "cli.h"
#include "hwsim_gitrev.h"
#include "layout.h"
#include "run.h"
#include "scenario.h"
#include "summary.h"

#define RUN_THREADS_MAX 1024 /**< most OpenMP threads --threads accepts (a sanity bound) */

static const char usage[] =
    "usage:\n"
    "  hwsim run [SCENARIO.yaml] [-o OUT.h5] [--replicates N] [--seed S] [--threads T] [--resume]\n"
    "            [--end-year Y] [--no-param-uncertainty] [--replicates-per-draw K]\n"
    "            [--progress | --no-progress] [--quiet]\n"
    "  hwsim summary OUT.h5 [--measure M] [--by DIM[,DIM]] [--years Y1,Y2,...]\n"
    "                [--group G[,G...]] [--sector S[,S...]] [--csv] [--decompose]\n"
    "  hwsim compare BASE.h5 VARIANT.h5 [--measure M] [--by DIM[,DIM]] [--years ...]\n"
    "                [--group G[,G...]] [--sector S[,S...]] [--csv]\n"
    "  hwsim bench [--threads T] [--end-year Y]\n"
    "  hwsim calibrate [TARGETS.csv ...] [-o REPORT] [--write FITTED.csv | --no-write] "
    "[--replicates R] [--seed S] [--threads T]\n"
    "  hwsim calibrate --evaluate OUT.h5 [TARGETS.csv ...] [--csv]\n"
    "  hwsim datasets       (the cube's datasets: name, axes, units, scale)\n"
    "  hwsim brief BASE.h5 [VARIANT.h5 ...] -o DIR   (policy brief: HTML, PDF, charts, CSV)\n"
    "  hwsim --version\n";

static const char run_usage[] =
    "usage: hwsim run [SCENARIO.yaml] [-o OUT.h5] [--replicates N] [--seed S] [--threads T]\n"
    "                 [--resume] [--end-year Y] [--no-param-uncertainty] [--replicates-per-draw "
    "K]\n"
    "                 [--progress | --no-progress] [--quiet]\n"
    "Simulate SCENARIO (default sim/scenarios/baseline.yaml) and write the result cube\n"
    "(default results/NAME.h5; written as OUT.h5.partial and renamed when complete).\n";

/* The only mutable globals: the signal flags, which a handler must reach. */
static volatile int stop_requested, hurry_requested;

/** @brief SIGINT/SIGTERM/SIGUSR1: stop cleanly; a second signal says hurry (MPI runs). */
static void on_signal(int sig)
{
  (void)sig;
  if (stop_requested) hurry_requested = 1;
  stop_requested = 1;
}

static int run_cmd(int argc, char **argv)
{
  struct run_opts o = {.stop = &stop_requested, .hurry = &hurry_requested, .on_signal = on_signal};
  o.progress = -1;
  unsigned long long seed = 0;
  const char *scenario = NULL;
  int npos = 0;
  const struct cli_opt opts[] = {
      {"--output", "-o", CLI_STR, &o.out, 0, 0, NULL, 0, NULL},
      {"--replicates", NULL, CLI_INT, &o.replicates, 1, SCN_REPLICATES_MAX, "a replicate count", 0,
       NULL},
      {"--seed", NULL, CLI_U64, &seed, 0, 0, "a seed", 0, &o.has_seed},
      {"--threads", NULL, CLI_INT, &o.threads, 1, RUN_THREADS_MAX, "a thread count", 0, NULL},
      {"--end-year", NULL, CLI_INT, &o.end_year, SCN_YEAR_MIN, SCN_END_YEAR_MAX, "a year", 0, NULL},
      {"--no-param-uncertainty", NULL, CLI_FLAG, &o.no_param_uncertainty, 0, 0, NULL, 1, NULL},
      {"--replicates-per-draw", NULL, CLI_INT, &o.replicates_per_draw, 1,
       SCN_REPLICATES_PER_DRAW_MAX, "a count", 0, NULL},
      {"--resume", NULL, CLI_FLAG, &o.resume, 0, 0, NULL, 1, NULL},
      {"--progress", NULL, CLI_FLAG, &o.progress, 0, 0, NULL, 1, NULL},
      {"--no-progress", NULL, CLI_FLAG, &o.progress, 0, 0, NULL, 0, NULL},
      {"--quiet", "-q", CLI_FLAG, &o.quiet, 0, 0, NULL, 1, NULL},
  };
  const struct cli_spec spec = {"hwsim run",         opts,     (int)(sizeof opts / sizeof *opts),
                                &scenario,           1,        &npos,
                                "one scenario file", run_usage};
  int rc = cli_parse(&spec, argc, argv);
  if (rc) return rc == 1 ? 0 : rc;
  o.seed = seed;
  o.scenario = scenario;
  return run_main(&o);
}

/** The interpreter `hwsim brief` runs: Debian's, whose python3-matplotlib and h5py the
 *  `brief` package set of tools/install-deps.sh installs (not the first python3 on PATH). */
#define BRIEF_PYTHON "/usr/bin/python3"
#ifndef HWSIM_SOURCE_DIR
#define HWSIM_SOURCE_DIR "."
#endif
/** The brief's script, in the source tree this binary was built from. */
#define BRIEF_SCRIPT HWSIM_SOURCE_DIR "/tools/brief.py"

/**
 * @brief `hwsim brief ...`: replace this process by `python3 tools/brief.py --hwsim SELF ...`.
 *
 * The brief's numbers come from this very binary's `summary` and `compare` (the script calls
 * SELF as a subprocess), so the script is told the path of the running executable
 * (/proc/self/exe; argv[0] where there is no /proc).  Arguments, `--help` and every error are
 * the script's; only a missing interpreter or script is reported here (exit 1).
 */
static int brief_cmd(int argc, char **argv, const char *argv0)
{
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0)
    self[n] = '\0';
  else if (!realpath(argv0, self))
    snprintf(self, sizeof self, "%s", argv0);
  if (access(BRIEF_SCRIPT, R_OK) != 0) {
    fprintf(stderr, "hwsim brief: %s: %s (expected the source tree this binary was built from)\n",
            BRIEF_SCRIPT, strerror(errno));
    return 1;
  }
  /* python3 SCRIPT --hwsim SELF ARGS... NULL: argc - 1 arguments after "brief", 4 before. */
  char err[128];
  char **args = hw_alloc((size_t)argc + 4, sizeof *args, "the brief's arguments", err, sizeof err);
  if (!args) {
    fprintf(stderr, "hwsim brief: %s\n", err);
    return 1;
  }
  args[0] = BRIEF_PYTHON;
  args[1] = BRIEF_SCRIPT;
  args[2] = "--hwsim";
  args[3] = self;
  for (int i = 1; i < argc; i++)
    args[3 + i] = argv[i];
  args[argc + 3] = NULL;
  fflush(NULL);
  execv(BRIEF_PYTHON, args);
  fprintf(stderr,
          "hwsim brief: cannot run %s: %s (expected Debian's python3 with matplotlib and h5py: "
          "tools/install-deps.sh brief)\n",
          BRIEF_PYTHON, strerror(errno));
  free(args);
  return 1;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fputs(usage, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    fputs(usage, stdout);
    return 0;
  }
  if (strcmp(cmd, "--version") == 0) {
    printf("hwsim %s (%s)\n", HWSIM_VERSION, HWSIM_GIT_REV);
    return 0;
  }
  if (strcmp(cmd, "run") == 0) return run_cmd(argc - 1, argv + 1);
  if (strcmp(cmd, "summary") == 0) return summary_main(argc - 1, argv + 1);
  if (strcmp(cmd, "compare") == 0) return compare_main(argc - 1, argv + 1);
  if (strcmp(cmd, "bench") == 0) return bench_main(argc - 1, argv + 1);
  if (strcmp(cmd, "calibrate") == 0) return calibrate_main(argc - 1, argv + 1);
  if (strcmp(cmd, "brief") == 0) return brief_cmd(argc - 1, argv + 1, argv[0]);
  if (strcmp(cmd, "datasets") == 0) {
    const struct cli_spec spec = {"hwsim datasets",
                                  NULL,
                                  0,
                                  NULL,
                                  0,
                                  NULL,
                                  NULL,
                                  "usage: hwsim datasets\n"
                                  "The cube's datasets as CSV: name, axes, units, scale_factor, "
                                  "long_name.\n"};
    int rc = cli_parse(&spec, argc - 1, argv + 1);
    if (rc) return rc == 1 ? 0 : rc;
    layout_print_datasets(stdout);
    return 0;
  }
  fprintf(stderr,
          "hwsim: unknown subcommand '%s' (expected run, summary, compare, bench, calibrate, "
          "datasets or brief)\n",
          cmd);
  return 2;
}
