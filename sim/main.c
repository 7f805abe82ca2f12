/**
 * @file main.c
 * @brief The `hwsim` command: run, summary, compare, bench.
 */
#include <errno.h>
#include <stdio.h>

#include "cli.h"
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "calibrate.h"
#include "hwsim_gitrev.h"
#include "run.h"
#include "summary.h"

static const char usage[] =
    "usage:\n"
    "  hwsim run [SCENARIO.yaml] [-o OUT.h5] [--replicates N] [--seed S] [--threads T] [--resume]\n"
    "            [--end-year Y] [--no-param-uncertainty] [--replicates-per-draw K]\n"
    "            [--progress | --no-progress] [--quiet]\n"
    "  hwsim summary OUT.h5 [--measure M] [--by DIM[,DIM]] [--years Y1,Y2,...] [--csv]\n"
    "  hwsim compare BASE.h5 VARIANT.h5 [--measure M] [--by DIM] [--years ...] [--csv]\n"
    "  hwsim bench [--threads T] [--end-year Y]\n"
    "  hwsim calibrate [TARGETS.csv ...] [-o REPORT] [--write FITTED.csv | --no-write] [--replicates R] [--seed S] [--threads T]\n"
    "  hwsim --version\n";


static int run_cmd(int argc, char **argv)
{
  struct run_opts o = {0};
  o.progress = -1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    unsigned long long v;
    int has_val = i + 1 < argc;
    if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
      if (!has_val) goto missing;
      o.out = argv[++i];
    } else if (strcmp(a, "--replicates") == 0) {
      if (!has_val) goto missing;
      if (cli_parse_u64(argv[++i], &v) || v < 1 || v > 1000000) {
        fprintf(stderr, "hwsim run: --replicates '%s' is not a replicate count (expected 1..1000000)\n", argv[i]);
        return 2;
      }
      o.replicates = (int)v;
    } else if (strcmp(a, "--seed") == 0) {
      if (!has_val) goto missing;
      if (cli_parse_u64(argv[++i], &v)) {
        fprintf(stderr, "hwsim run: --seed '%s' is not a seed (expected a non-negative integer)\n", argv[i]);
        return 2;
      }
      o.seed = v;
      o.has_seed = 1;
    } else if (strcmp(a, "--threads") == 0) {
      if (!has_val) goto missing;
      if (cli_parse_u64(argv[++i], &v) || v < 1 || v > 1024) {
        fprintf(stderr, "hwsim run: --threads '%s' is not a thread count (expected 1..1024)\n", argv[i]);
        return 2;
      }
      o.threads = (int)v;
    } else if (strcmp(a, "--end-year") == 0) {
      if (!has_val) goto missing;
      if (cli_parse_u64(argv[++i], &v) || v < 2000 || v > 2150) {
        fprintf(stderr, "hwsim run: --end-year '%s' is not a year (expected 2000..2150)\n", argv[i]);
        return 2;
      }
      o.end_year = (int)v;
    } else if (strcmp(a, "--no-param-uncertainty") == 0) {
      o.no_param_uncertainty = 1;
    } else if (strcmp(a, "--replicates-per-draw") == 0) {
      if (!has_val) goto missing;
      if (cli_parse_u64(argv[++i], &v) || v < 1 || v > 10000) {
        fprintf(stderr, "hwsim run: --replicates-per-draw '%s' is not a count (expected 1..10000)\n", argv[i]);
        return 2;
      }
      o.replicates_per_draw = (int)v;
    } else if (strcmp(a, "--resume") == 0) {
      o.resume = 1;
    } else if (strcmp(a, "--progress") == 0) {
      o.progress = 1;
    } else if (strcmp(a, "--no-progress") == 0) {
      o.progress = 0;
    } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
      o.quiet = 1;
    } else if (a[0] == '-') {
      fprintf(stderr, "hwsim run: unknown option '%s' (expected -o, --replicates, --seed, --threads, --end-year, --no-param-uncertainty, --replicates-per-draw, --resume, --progress, --no-progress, --quiet)\n", a);
      return 2;
    } else if (!o.scenario) {
      o.scenario = a;
    } else {
      fprintf(stderr, "hwsim run: unexpected argument '%s' (expected one scenario file)\n", a);
      return 2;
    }
    continue;
  missing:
    fprintf(stderr, "hwsim run: option '%s' needs a value\n", a);
    return 2;
  }
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
  fprintf(stderr, "hwsim: unknown subcommand '%s' (expected run, summary, compare, bench or calibrate)\n", cmd);
  return 2;
}
