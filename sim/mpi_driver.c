/**
 * @file mpi_driver.c
 * @brief Replicates over MPI ranks; stubs for one rank in a build without MPI.
 *
 * Why rank 0 writes everything rather than parallel HDF5 or per-rank files:
 * one replicate's slabs are a few MB, written in milliseconds, against
 * seconds of simulation, so funnelling them through rank 0 costs little; it
 * keeps one file format, one writer (cube.c, serial HDF5 as Debian ships it)
 * and a .partial that --resume reads the same way after a serial or an MPI
 * run.  Appending in replicate order makes the file independent of the rank
 * count.
 */
#include "mpi_driver.h"

#include <stdio.h>
#include <string.h>

#ifdef HWSIM_MPI

#include <mpi.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

#include "engine.h"
#include "layout.h"

/* No state of our own: MPI keeps it (rank, size, whether we started it). */
static int drv_started_here(void)
{
  int inited = 0, finalized = 0;
  MPI_Initialized(&inited);
  MPI_Finalized(&finalized);
  return inited && !finalized;
}

int mpi_driver_init(void)
{
  int inited = 0, finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return 0; /* a second run in one process: MPI cannot restart; one rank */
  MPI_Initialized(&inited);
  if (!inited) {
    /* Only the main thread calls MPI; OpenMP threads only simulate. */
    int provided = 0;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) return -1;
  }
  return 0;
}

void mpi_driver_finalize(void)
{
  if (drv_started_here()) MPI_Finalize();
}

int mpi_driver_rank(void)
{
  int r = 0;
  if (drv_started_here()) MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int mpi_driver_size(void)
{
  int n = 1;
  if (drv_started_here()) MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

void mpi_driver_version(char *buf, size_t len)
{
  char lib[MPI_MAX_LIBRARY_VERSION_STRING];
  int n = 0, ver = 0, sub = 0;
  MPI_Get_library_version(lib, &n);
  MPI_Get_version(&ver, &sub);
  lib[strcspn(lib, ",\n")] = '\0'; /* "Open MPI v4.1.4, package: ..." -> "Open MPI v4.1.4" */
  snprintf(buf, len, "%s (MPI %d.%d)", lib, ver, sub);
}

int mpi_driver_agree(int rc, const char *msg)
{
  int rc0 = rc, rcmax = rc;
  if (mpi_driver_size() > 1) {
    MPI_Bcast(&rc0, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Allreduce(&rc, &rcmax, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  }
  if (rc && msg && msg[0]) {
    if (mpi_driver_rank() == 0)
      fprintf(stderr, "%s\n", msg);
    else if (rc0 == 0)
      fprintf(stderr, "(rank %d) %s\n", mpi_driver_rank(), msg);
  }
  return rcmax;
}

void mpi_driver_bcast_ints(int *v, int n)
{
  if (mpi_driver_size() > 1) MPI_Bcast(v, n, MPI_INT, 0, MPI_COMM_WORLD);
}

static double now_s(void)
{
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (double)tv.tv_sec + 1e-6 * (double)tv.tv_usec;
}

enum { ST_OK = 0, ST_ABANDONED = 1 };
enum { TAG_HEADER = 1, TAG_SLAB = 100 };

/** @brief Rank 0: one progress line: replicates done / total, rate, ETA. */
static void progress_batch(const struct mpi_run *m, int done, double t0)
{
  if (!m->progress) return;
  double el = now_s() - t0;
  int made = done - m->first, left = m->s->replicates - done;
  double rate = el > 0 ? made / el : 0;
  fprintf(stderr, "%sreplicates %d/%d  %.2f replicates/s on %d ranks  elapsed %.1fs  ETA %.0fs%s",
          m->tty ? "\r" : "", done, m->s->replicates, rate, mpi_driver_size(), el,
          rate > 0 ? left / rate : 0, m->tty ? "   " : "\n");
  fflush(stderr);
}

int mpi_driver_run(const struct mpi_run *m, int *done, int64_t *events, int64_t *agent_years,
                   char *err, size_t errlen)
{
  const int nrep = m->s->replicates, size = mpi_driver_size(), rank = mpi_driver_rank();
  const int nyears = m->s->end_year - m->s->start_year + 1;
  size_t count[N_MEASURES];
  for (int k = 0; k < N_MEASURES; k++)
    count[k] = cube_measure_size(m->L, k);
  /* Rank 0 receives other ranks' replicates into one reused buffer. */
  struct replicate_out in;
  if (rank == 0) replicate_out_init(&in, nyears);
  int rc = 0;
  int broken = 0; /* rank 0: a replicate is missing or a write failed; append no more */
  *done = m->first;
  *events = *agent_years = 0;
  double t0 = now_s();
  /* Rounds start on a multiple of size so that replicate r stays on rank r % size. */
  for (int b = m->first - m->first % size; b < nrep; b += size) {
    int r = b + rank, mine = r >= m->first && r < nrep;
    struct replicate_out ro;
    int64_t hdr[3] = {ST_OK, 0, 0}; /* status, events, agent-years */
    if (mine) {
      replicate_out_init(&ro, nyears);
      if (engine_run_replicate(m->p, m->s, r, m->threads, &ro, NULL, NULL, m->hurry) != 0)
        hdr[0] = ST_ABANDONED;
      hdr[1] = ro.events;
      hdr[2] = ro.agent_years;
    }
    if (rank != 0 && mine) {
      /* Blocking sends: the next round needs rank 0's verdict anyway. */
      MPI_Send(hdr, 3, MPI_INT64_T, 0, TAG_HEADER, MPI_COMM_WORLD);
      if (hdr[0] == ST_OK) {
        const int32_t *slabs[N_MEASURES];
        layout_slabs(&ro, slabs);
        for (int k = 0; k < N_MEASURES; k++)
          MPI_Send(slabs[k], (int)count[k], MPI_INT32_T, 0, TAG_SLAB + k, MPI_COMM_WORLD);
      }
    }
    if (rank == 0) {
      for (int j = 0; j < size; j++) {
        int rj = b + j;
        if (rj < m->first || rj >= nrep) continue;
        const struct replicate_out *src = &ro;
        int64_t h[3] = {hdr[0], hdr[1], hdr[2]};
        if (j != 0) {
          MPI_Recv(h, 3, MPI_INT64_T, j, TAG_HEADER, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          if (h[0] == ST_OK) {
            const int32_t *cslabs[N_MEASURES];
            layout_slabs(&in, cslabs);
            for (int k = 0; k < N_MEASURES; k++)
              MPI_Recv((int32_t *)cslabs[k], (int)count[k], MPI_INT32_T, j, TAG_SLAB + k,
                       MPI_COMM_WORLD, MPI_STATUS_IGNORE);
          }
          src = &in;
        }
        if (broken) continue; /* drained, not appended: order must have no hole */
        if (h[0] != ST_OK) {
          broken = 1;
          rc = 130;
          continue;
        }
        const int32_t *slabs[N_MEASURES];
        layout_slabs(src, slabs);
        if (cube_append(m->w, rj, slabs, err, errlen) != 0) {
          broken = 1;
          rc = 1;
          continue;
        }
        *done = rj + 1;
        *events += h[1];
        *agent_years += h[2];
      }
      progress_batch(m, *done, t0);
    }
    if (mine) replicate_out_free(&ro);
    /* One verdict for all: any rank signalled, or rank 0 failed to write. */
    int flags[2] = {*m->stop ? 1 : 0, rank == 0 ? rc : 0}, all[2];
    MPI_Allreduce(flags, all, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (all[1] == 1) {
      rc = 1;
      break;
    }
    if (all[1] == 130 || (all[0] && b + size < nrep)) {
      rc = 130;
      break;
    }
  }
  if (rank == 0) {
    if (m->progress && m->tty) fprintf(stderr, "\n");
    replicate_out_free(&in);
  }
  return rc;
}

#else /* no MPI: one rank, and not one MPI symbol in the program */

int mpi_driver_init(void)
{
  return 0;
}
void mpi_driver_finalize(void)
{
}
int mpi_driver_rank(void)
{
  return 0;
}
int mpi_driver_size(void)
{
  return 1;
}

void mpi_driver_version(char *buf, size_t len)
{
  snprintf(buf, len, "none (serial build)");
}

int mpi_driver_agree(int rc, const char *msg)
{
  if (rc && msg && msg[0]) fprintf(stderr, "%s\n", msg);
  return rc;
}

void mpi_driver_bcast_ints(int *v, int n)
{
  (void)v;
  (void)n;
}

int mpi_driver_run(const struct mpi_run *m, int *done, int64_t *events, int64_t *agent_years,
                   char *err, size_t errlen)
{
  (void)m;
  (void)events;
  (void)agent_years;
  *done = 0;
  snprintf(err, errlen, "this hwsim was built without MPI (configure with -DHWSIM_MPI=ON)");
  return 1;
}

#endif
