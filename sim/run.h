/**
 * @file run.h
 * @brief `hwsim run`: simulate a scenario's replicates and write the cube.
 */
#ifndef HWSIM_RUN_H
#define HWSIM_RUN_H

#include <stdint.h>

#include "cli.h"

struct run_opts {
  const char *scenario; /**< NULL = shipped baseline */
  const char *out;      /**< NULL = results/<scenario name>.h5 */
  int replicates;       /**< 0 = scenario's */
  int has_seed;
  uint64_t seed;
  int threads;              /**< 0 = OpenMP default */
  int end_year;             /**< 0 = scenario's */
  int no_param_uncertainty; /**< 1 = every replicate uses the point estimate */
  int replicates_per_draw;  /**< 0 = scenario's; K replicates share a parameter draw */
  int resume;
  int progress; /**< -1 auto (terminal), 0 off, 1 on */
  int quiet;
  /* Clean stops (main.c owns the signal flags): SIGINT, SIGTERM and SIGUSR1 run
   * on_signal, which sets *stop (stop after the year in progress) and, on a
   * second signal, *hurry (MPI runs: abandon the replicates in flight). */
  volatile int *stop;
  volatile int *hurry;
  void (*on_signal)(int);
};

/** @brief Run; returns the process exit code (0 ok, 1 failure, 2 bad input, HWSIM_EXIT_STOPPED). */
int run_main(const struct run_opts *o);

#endif
