/**
 * @file main.c
 * @brief The `hwsim` command: run, summary, compare, bench.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    "  hwsim summary OUT.h5 [--measure M] [--by DIM[,DIM]] [--years Y1,Y2,...] [--csv] "
    "[--decompose]\n"
    "  hwsim compare BASE.h5 VARIANT.h5 [--measure M] [--by DIM] [--years ...] [--csv]\n"
    "  hwsim bench [--threads T] [--end-year Y]\n"
    "  hwsim calibrate [TARGETS.csv ...] [-o REPORT] [--write FITTED.csv | --no-write] "
    "[--replicates R] [--seed S] [--threads T]\n"
    "  hwsim calibrate --evaluate OUT.h5 [TARGETS.csv ...] [--csv]\n"
    "  hwsim datasets       (the cube's datasets: name, axes, units, scale)\n"
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
          "hwsim: unknown subcommand '%s' (expected run, summary, compare, bench, calibrate or "
          "datasets)\n",
          cmd);
  return 2;
}
