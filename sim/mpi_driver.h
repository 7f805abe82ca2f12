/**
 * @file mpi_driver.h
 * @brief Replicates distributed over MPI ranks (the optional -DHWSIM_MPI=ON build).
 *
 * Replicate r runs on rank r % size, each rank with its own OpenMP threads.
 * Rank 0 alone touches the result file: it receives every finished
 * replicate's slabs and appends them in replicate order, so the cube is the
 * same whatever the number of ranks (a replicate depends only on the seed and
 * its index, shared/design/architecture.md "Determinism").
 *
 * In a build without MPI every function here is a stub for one rank (rank 0
 * of 1) and the program holds no MPI symbol; run.c calls the same functions
 * in both builds.  Started without mpirun/srun, the MPI build is one rank too.
 */
#ifndef HWSIM_MPI_DRIVER_H
#define HWSIM_MPI_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "cube.h"
#include "params.h"
#include "scenario.h"

/** @brief Start MPI if this is an MPI build (threads: FUNNELED). 0 on success. */
int mpi_driver_init(void);

/** @brief Finish MPI (MPI build); nothing otherwise. */
void mpi_driver_finalize(void);

/** @brief This process's rank (0 without MPI). */
int mpi_driver_rank(void);

/** @brief Number of ranks (1 without MPI). */
int mpi_driver_size(void);

/** @brief The MPI library for provenance, e.g. "Open MPI v4.1.4 (MPI 3.1)"; "none (serial build)".
 */
void mpi_driver_version(char *buf, size_t len);

/**
 * @brief Agree on a setup step's outcome: every rank passes its own exit code
 *        @p rc and one-line message @p msg (empty when rc is 0).
 *
 * Rank 0 prints its message when it failed; a rank other than 0 prints its own
 * (prefixed with its rank) only when rank 0 did not fail, so a failure every
 * rank shares (a bad scenario) is reported once.
 * @return the largest exit code of all ranks (0 when every rank succeeded).
 */
int mpi_driver_agree(int rc, const char *msg);

/** @brief Broadcast @p n ints from rank 0 (no-op without MPI). */
void mpi_driver_bcast_ints(int *v, int n);

/** What the distributed replicate loop needs. */
struct mpi_run {
  const struct params *p;
  const struct scenario *s;
  const struct cube_layout *L; /**< for the slab sizes */
  int threads;                 /**< OpenMP threads per rank */
  struct cube_writer *w;       /**< rank 0 only; NULL elsewhere */
  int first;                   /**< replicates already in the file (resume) */
  int progress, tty;           /**< rank 0: a line per appended batch on stderr */
  volatile int *stop;          /**< set by a signal: stop after the replicates in flight */
  volatile int *hurry;         /**< set by a second signal: abandon them at the next year */
};

/**
 * @brief Run replicates first..s->replicates-1 over all ranks (size > 1).
 *
 * Works in rounds of one replicate per rank.  After each round rank 0 appends
 * the round's replicates in order, and all ranks agree (one reduction) whether
 * a rank was signalled or rank 0 failed to write; then all stop together.
 * @param done        rank 0: replicates in the file at the end
 * @param events, agent_years  rank 0: totals over the replicates this run made
 * @return 0 when every replicate is in the file, 130 (HWSIM_EXIT_STOPPED) when stopped by a signal,
 *         1 when rank 0 could not write (reason in err on rank 0).
 */
int mpi_driver_run(const struct mpi_run *m, int *done, int64_t *events, int64_t *agent_years,
                   char *err, size_t errlen);

#endif
