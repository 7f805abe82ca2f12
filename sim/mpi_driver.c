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

#include "cli.h"
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

enum { ST_OK = 0, ST_ABANDONED = 1, ST_FAILED = 2 };
enum { TAG_HEADER = 1, TAG_SLAB = 100 };
/** The header each replicate's result travels with: status, events, agent-years. */
enum { HDR_STATUS, HDR_EVENTS, HDR_AGENT_YEARS, HDR_LEN };

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

/** The distributed replicate loop's state, shared by its steps. */
struct mpi_loop {
  const struct mpi_run *m;
  int nrep, size, rank, nyears;
  size_t count[N_MEASURES]; /**< elements of each measure's slab */
  struct replicate_out in;  /**< rank 0: other ranks' replicates arrive here */
  int rc;                   /**< 0, 1 (a write failed) or HWSIM_EXIT_STOPPED */
  int broken;               /**< rank 0: a replicate is missing or a write failed */
  int *done;                /**< rank 0: replicates in the file */
  int64_t *events, *agent_years;
  char *err;
  size_t errlen;
};

/** @brief Run replicate r on this rank; its status, events and agent-years into @p hdr. */
static void mpi_run_mine(const struct mpi_loop *L, int r, struct replicate_out *ro, int64_t *hdr)
{
  const struct mpi_run *m = L->m;
  int erc = replicate_out_init(ro, L->nyears) != 0
                ? ENGINE_EFAIL
                : engine_run_replicate(m->p, m->s, r, m->threads, ro, NULL, NULL, m->hurry);
  if (erc == ENGINE_EFAIL) {
    /* reported here, by the rank that knows why; rank 0 ends the run with exit 1 */
    fprintf(stderr, "hwsim run: rank %d, replicate %d: %s\n", L->rank, r,
            ro->err[0] ? ro->err : "out of memory for its results");
    hdr[HDR_STATUS] = ST_FAILED;
  } else if (erc != 0)
    hdr[HDR_STATUS] = ST_ABANDONED;
  hdr[HDR_EVENTS] = ro->events;
  hdr[HDR_AGENT_YEARS] = ro->agent_years;
}

/** @brief A rank other than 0: send the header, and the slabs when the replicate finished. */
static void mpi_send_mine(const struct mpi_loop *L, const struct replicate_out *ro,
                          const int64_t *hdr)
{
  /* Blocking sends: the next round needs rank 0's verdict anyway. */
  MPI_Send(hdr, HDR_LEN, MPI_INT64_T, 0, TAG_HEADER, MPI_COMM_WORLD);
  if (hdr[HDR_STATUS] != ST_OK) return;
  const int32_t *slabs[N_MEASURES];
  layout_slabs(ro, slabs);
  for (int k = 0; k < N_MEASURES; k++)
    MPI_Send(slabs[k], (int)L->count[k], MPI_INT32_T, 0, TAG_SLAB + k, MPI_COMM_WORLD);
}

/** @brief Rank 0: receive rank j's header into @p h, and its slabs into L->in when it finished. */
static void mpi_recv_rank(struct mpi_loop *L, int j, int64_t *h)
{
  MPI_Recv(h, HDR_LEN, MPI_INT64_T, j, TAG_HEADER, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  if (h[HDR_STATUS] != ST_OK) return;
  const int32_t *cslabs[N_MEASURES];
  layout_slabs(&L->in, cslabs);
  for (int k = 0; k < N_MEASURES; k++)
    MPI_Recv((int32_t *)cslabs[k], (int)L->count[k], MPI_INT32_T, j, TAG_SLAB + k, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
}

/** @brief Rank 0: append replicate rj (header @p h, slabs in @p src) unless the file is broken. */
static void mpi_append(struct mpi_loop *L, int rj, const struct replicate_out *src,
                       const int64_t *h)
{
  if (L->broken) return; /* drained, not appended: order must have no hole */
  if (h[HDR_STATUS] != ST_OK) {
    L->broken = 1;
    L->rc = h[HDR_STATUS] == ST_FAILED ? 1 : HWSIM_EXIT_STOPPED;
    if (h[HDR_STATUS] == ST_FAILED)
      snprintf(L->err, L->errlen, "replicate %d failed (its rank's message above)", rj);
    return;
  }
  const int32_t *slabs[N_MEASURES];
  layout_slabs(src, slabs);
  if (cube_append(L->m->w, rj, slabs, L->err, L->errlen) != 0) {
    L->broken = 1;
    L->rc = 1;
    return;
  }
  *L->done = rj + 1;
  *L->events += h[HDR_EVENTS];
  *L->agent_years += h[HDR_AGENT_YEARS];
}

/** @brief Rank 0: collect the round starting at b (its own replicate in @p ro) in order. */
static void mpi_collect(struct mpi_loop *L, int b, const struct replicate_out *ro,
                        const int64_t *hdr, double t0)
{
  for (int j = 0; j < L->size; j++) {
    int rj = b + j;
    if (rj < L->m->first || rj >= L->nrep) continue;
    const struct replicate_out *src = ro;
    int64_t h[HDR_LEN] = {hdr[HDR_STATUS], hdr[HDR_EVENTS], hdr[HDR_AGENT_YEARS]};
    if (j != 0) {
      mpi_recv_rank(L, j, h);
      src = &L->in;
    }
    mpi_append(L, rj, src, h);
  }
  progress_batch(L->m, *L->done, t0);
}

/**
 * @brief One verdict for all after the round starting at b: any rank signalled, or rank 0
 *        failed to write.  @return 1 to stop (L->rc set), 0 to go on.
 */
static int mpi_verdict(struct mpi_loop *L, int b)
{
  int flags[2] = {*L->m->stop ? 1 : 0, L->rank == 0 ? L->rc : 0}, all[2];
  MPI_Allreduce(flags, all, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (all[1] == 1) {
    L->rc = 1;
    return 1;
  }
  if (all[1] == HWSIM_EXIT_STOPPED || (all[0] && b + L->size < L->nrep)) {
    L->rc = HWSIM_EXIT_STOPPED;
    return 1;
  }
  return 0;
}

int mpi_driver_run(const struct mpi_run *m, int *done, int64_t *events, int64_t *agent_years,
                   char *err, size_t errlen)
{
  struct mpi_loop L = {.m = m,
                       .nrep = m->s->replicates,
                       .size = mpi_driver_size(),
                       .rank = mpi_driver_rank(),
                       .nyears = m->s->end_year - m->s->start_year + 1,
                       .done = done,
                       .events = events,
                       .agent_years = agent_years,
                       .err = err,
                       .errlen = errlen};
  for (int k = 0; k < N_MEASURES; k++)
    L.count[k] = cube_measure_size(m->L, k);
  /* Rank 0 receives other ranks' replicates into one reused buffer. */
  if (L.rank == 0) replicate_out_init(&L.in, L.nyears);
  *done = m->first;
  *events = *agent_years = 0;
  double t0 = now_s();
  /* Rounds start on a multiple of size so that replicate r stays on rank r % size. */
  for (int b = m->first - m->first % L.size; b < L.nrep; b += L.size) {
    int r = b + L.rank, mine = r >= m->first && r < L.nrep;
    struct replicate_out ro;
    int64_t hdr[HDR_LEN] = {ST_OK, 0, 0};
    if (mine) mpi_run_mine(&L, r, &ro, hdr);
    if (L.rank != 0 && mine) mpi_send_mine(&L, &ro, hdr);
    if (L.rank == 0) mpi_collect(&L, b, &ro, hdr, t0);
    if (mine) replicate_out_free(&ro);
    if (mpi_verdict(&L, b)) break;
  }
  if (L.rank == 0) {
    if (m->progress && m->tty) fprintf(stderr, "\n");
    replicate_out_free(&L.in);
  }
  return L.rc;
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
