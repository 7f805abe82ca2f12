/**
 * @file run.c
 * @brief `hwsim run`: load scenario and data, run replicates in order, append
 *        each finished replicate to the cube, rename it when complete.
 */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "demand.h"
#include "engine.h"
#include "fsutil.h"
#include "hwsim_gitrev.h"
#include "layout.h"
#include "mpi_driver.h"
#include "params.h"
#include "params_check.h"
#include "scenario.h"
#include "uncertainty.h"

static double now_s(void)
{
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (double)tv.tv_sec + 1e-6 * (double)tv.tv_usec;
}

struct progress_ctx {
  int enabled, tty, nrep, nyears_per_rep, start_year;
  double t0;
  int years_done_before;
};

/** @brief One progress line per simulated year: replicate, year, agents, events, elapsed, ETA. */
static void progress_line(void *vctx, int r, int year, size_t agents, int64_t events)
{
  struct progress_ctx *c = vctx;
  if (!c->enabled) return;
  int done = r * c->nyears_per_rep + (year - c->start_year) - c->years_done_before;
  int total = c->nrep * c->nyears_per_rep - c->years_done_before;
  double el = now_s() - c->t0;
  double eta = done > 0 ? el * (double)(total - done) / (double)done : 0;
  fprintf(stderr,
          "%sreplicate %d/%d  year %d  agents %zu  events %.1fM  elapsed %.1fs  ETA %.0fs%s",
          c->tty ? "\r" : "", r + 1, c->nrep, year, agents, (double)events / 1e6, el, eta,
          c->tty ? "   " : "\n");
  fflush(stderr);
}

/** @brief The input of this run that @p st is (scenario or a file of the data directory), or NULL.
 */
static const char *run_input_named(const struct scenario *s, const struct stat *st, char *buf,
                                   size_t len)
{
  char name[256];
  if (fs_same_file(st, s->path)) return "the scenario file";
  if (!fs_entry_of(s->data_dir, st, name, sizeof name)) return NULL;
  snprintf(buf, len, "the data file %.200s", name);
  return buf;
}

/**
 * @brief Refuse an output that cannot be right, before anything is simulated:
 *        a directory, an input of this run (scenario or data file, also as the
 *        .partial), or a place whose directory part is not a directory.
 * @return 0, or 2 after a one-line message.
 */
static int run_check_output(const struct scenario *s, const char *out)
{
  struct stat st;
  char partial[1100], buf[256];
  if (stat(out, &st) == 0 && S_ISDIR(st.st_mode)) {
    fprintf(stderr, "hwsim run: -o %s is a directory (expected a file name for the result cube)\n",
            out);
    return 2;
  }
  snprintf(partial, sizeof partial, "%s.partial", out);
  const char *cand[2] = {out, partial};
  for (int i = 0; i < 2; i++) {
    const char *what = stat(cand[i], &st) == 0 ? run_input_named(s, &st, buf, sizeof buf) : NULL;
    if (what) {
      fprintf(stderr,
              "hwsim run: -o %s would overwrite %s of this run (expected a new file name)\n", out,
              what);
      return 2;
    }
  }
  char dir[1024];
  if (fs_parent_not_dir(out, dir, sizeof dir)) {
    fprintf(stderr, "hwsim run: -o %s: %s is not a directory (expected a directory to write in)\n",
            out, dir);
    return 2;
  }
  return 0;
}

/**
 * @brief Load and check the scenario and data: every rank does this itself.
 * @return 0, or the exit code with a one-line reason in msg (not printed here:
 *         mpi_driver_agree decides which rank reports it).
 */
static int run_load(const struct run_opts *o, const char *spath, struct scenario *sp,
                    struct params **pp, char *msg, size_t msglen)
{
  char err[1024];
  struct scenario s;
  *pp = NULL;
  memset(sp, 0, sizeof *sp);
  if (scenario_load(&s, spath, err, sizeof err) != 0) {
    snprintf(msg, msglen, "hwsim run: %s", err);
    return 2;
  }
  if (o->replicates > 0) s.replicates = o->replicates;
  if (o->has_seed) s.seed = o->seed;
  if (o->end_year) {
    if (o->end_year <= s.start_year || o->end_year > SCN_END_YEAR_MAX) {
      snprintf(msg, msglen, "hwsim run: --end-year %d is out of range (expected %d..%d)",
               o->end_year, s.start_year + 1, SCN_END_YEAR_MAX);
      scenario_free(&s);
      return 2;
    }
    for (int k = 0; k < s.n_iv; k++) {
      if (s.iv[k].start > o->end_year) {
        snprintf(msg, msglen, "hwsim run: %s:%d: intervention %d starts in %d, after --end-year %d",
                 s.path, s.iv[k].line, k + 1, s.iv[k].start, o->end_year);
        scenario_free(&s);
        return 2;
      }
      if (s.iv[k].end == s.end_year || s.iv[k].end > o->end_year) s.iv[k].end = o->end_year;
    }
    s.end_year = o->end_year;
  }
  if (o->no_param_uncertainty) s.param_uncertainty = s.assumed_uncertainty = 0;
  if (o->replicates_per_draw > 0) s.replicates_per_draw = o->replicates_per_draw;
  struct params *p = hw_alloc(1, sizeof *p, "the parameters", err, sizeof err);
  if (!p) {
    snprintf(msg, msglen, "hwsim run: %s", err);
    scenario_free(&s);
    return 1;
  }
  if (params_load(p, s.data_dir, err, sizeof err) != 0) {
    snprintf(msg, msglen, "hwsim run: %s", err);
    free(p);
    scenario_free(&s);
    return 2;
  }
  if (params_check_scenario(p, &s, err, sizeof err) != 0 ||
      demand_check(p, &s, err, sizeof err) != 0) {
    snprintf(msg, msglen, "hwsim run: %s", err);
    free(p);
    scenario_free(&s);
    return 2;
  }
  p->draws = NULL;
  /* no assumed.csv and no ranged measure: nothing to draw */
  if (p->n_assumed == 0 && !scenario_has_ranges(&s)) s.assumed_uncertainty = 0;
  if (s.param_uncertainty) {
    struct param_draws *u = hw_alloc(1, sizeof *u, "the parameter draws", err, sizeof err);
    if (!u || uncertainty_load(u, s.data_dir, err, sizeof err) != 0) {
      snprintf(msg, msglen, "hwsim run: %s", err);
      free(u);
      free(p);
      scenario_free(&s);
      return u ? 2 : 1;
    }
    if (u->np > 0)
      p->draws = u;
    else {
      free(u);
      s.param_uncertainty = 0; /* no fitted_cov.csv: nothing to draw */
    }
  }
  *sp = s;
  *pp = p;
  return 0;
}

/** Room for the data files' hashes, "name=sha256;...": 132 bytes an entry (64 name, 64 hex). */
#define RUN_DATA_HASHES_LEN (N_DATA_FILES * 132)

/** @brief The data files' hashes into @p buf (at most RUN_DATA_HASHES_LEN bytes are needed). */
static void run_data_hashes(const struct params *p, char *buf, size_t len)
{
  size_t used = 0;
  buf[0] = '\0';
  for (int i = 0; i < p->nfiles && used < len; i++) {
    int w = snprintf(buf + used, len - used, "%s%s=%s", i ? ";" : "", p->file_name[i],
                     p->file_sha256[i]);
    if (w > 0) used += (size_t)w;
  }
}

/**
 * @brief Create the cube with its provenance: everything a result depends on, and the build
 *        that made it.  @return the writer, or NULL with err.
 */
static struct cube_writer *run_create_cube(const struct scenario *s, const struct params *p,
                                           const struct cube_layout *L, const char *out, char *err,
                                           size_t errlen)
{
  char created[64], seedbuf[32], hdf5v[32], mpiv[160], data_hashes[RUN_DATA_HASHES_LEN];
  char demand_text[128];
  time_t tnow = time(NULL);
  if (s->demand_draw)
    snprintf(demand_text, sizeof demand_text,
             "drawn per parameter draw: low %.3g, middle %.3g, "
             "high %.3g",
             s->demand_weights[0], s->demand_weights[1], s->demand_weights[2]);
  else
    snprintf(demand_text, sizeof demand_text, "fixed: %s", demand_alt_labels[s->demand]);
  /* what a replicate varies by: Monte Carlo noise, then the sources drawn per draw */
  char sources[96] = "monte_carlo";
  for (int k = 0; k < N_UNC_SOURCES; k++)
    if (scenario_source_on(s, k)) {
      strcat(sources, ",");
      strcat(sources, unc_source_labels[k]);
    }
  strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", gmtime(&tnow));
  snprintf(seedbuf, sizeof seedbuf, "%llu", (unsigned long long)s->seed);
  unsigned maj, min, rel;
  H5get_libversion(&maj, &min, &rel);
  snprintf(hdf5v, sizeof hdf5v, "%u.%u.%u", maj, min, rel);
  mpi_driver_version(mpiv, sizeof mpiv);
  run_data_hashes(p, data_hashes, sizeof data_hashes);
  struct cube_attr attrs[] = {
      {"title", "hwsim: Norway health workforce microsimulation results", 0},
      {"model_version", HWSIM_VERSION, 0},
      {"git_revision", HWSIM_GIT_REV, 0},
      {"seed", NULL, (int64_t)s->seed},
      {"seed_text", seedbuf, 0},
      {"replicates", NULL, s->replicates},
      {"start_year", NULL, s->start_year},
      {"end_year", NULL, s->end_year},
      {"scenario_name", s->name, 0},
      {"scenario_text", s->text, 0},
      {"scenario_sha256", s->sha256, 0},
      {"data_dir", s->data_dir, 0},
      {"data_sha256", data_hashes, 0},
      {"compiler", HWSIM_COMPILER, 0},
      {"cflags", HWSIM_CFLAGS, 0},
      {"hdf5_version", hdf5v, 0},
      {"mpi_version", mpiv, 0},
      {"parameter_uncertainty", NULL, s->param_uncertainty},
      {"replicates_per_draw", NULL, scenario_draw_size(s)},
      {"demand_uncertainty", NULL, s->demand_draw},
      {"demand_alternatives", demand_text, 0},
      {"assumed_uncertainty", NULL, s->assumed_uncertainty},
      {"uncertainty_sources", sources, 0},
      {"draws_per_block", NULL, scenario_draw_block(s)},
      {"created", created, 0},
      {"Conventions", "CF-1.8", 0},
  };
  return cube_create(out, L, attrs, (int)(sizeof attrs / sizeof attrs[0]), err, errlen);
}

/**
 * @brief Whether the .partial at @p partial was written by a run with this
 *        run's identity: seed, years, parameter-uncertainty settings, scenario
 *        text and data files (their SHA-256).  @return 0, or -1 with the first
 *        differing field in @p why.
 */
static int run_same_identity(const char *partial, const struct scenario *s, const struct params *p,
                             char *why, size_t len)
{
  const struct {
    const char *key;
    int64_t want;
  } ints[] = {
      {"seed", (int64_t)s->seed},
      {"start_year", s->start_year},
      {"end_year", s->end_year},
      {"parameter_uncertainty", s->param_uncertainty},
      {"replicates_per_draw", scenario_draw_size(s)},
      {"demand_uncertainty", s->demand_draw},
      {"assumed_uncertainty", s->assumed_uncertainty},
      {"draws_per_block", scenario_draw_block(s)},
  };
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    int64_t got;
    if (cube_read_attr_i64(partial, ints[i].key, &got) != 0 || got != ints[i].want) {
      snprintf(why, len, "its %s differs from this run's %lld", ints[i].key,
               (long long)ints[i].want);
      return -1;
    }
  }
  char *data = hw_alloc(RUN_DATA_HASHES_LEN, 2, "the data files' hashes", why, len);
  char *got = data ? data + RUN_DATA_HASHES_LEN : NULL;
  int rc = 0;
  if (!data) {
    rc = -1;
  } else {
    run_data_hashes(p, data, RUN_DATA_HASHES_LEN);
    if (cube_read_attr_str(partial, "git_revision", got, RUN_DATA_HASHES_LEN) != 0 ||
        strcmp(got, HWSIM_GIT_REV) != 0) {
      snprintf(why, len, "it was written by build %.64s, this is %s (git_revision)", got,
               HWSIM_GIT_REV);
      rc = -1;
    } else if (cube_read_attr_str(partial, "scenario_sha256", got, RUN_DATA_HASHES_LEN) != 0 ||
               strcmp(got, s->sha256) != 0) {
      snprintf(why, len, "its scenario text (scenario_sha256) differs from this run's");
      rc = -1;
    } else if (cube_read_attr_str(partial, "data_sha256", got, RUN_DATA_HASHES_LEN) != 0 ||
               strcmp(got, data) != 0) {
      snprintf(why, len, "its data files (data_sha256) differ from this run's");
      rc = -1;
    }
  }
  free(data);
  return rc;
}

/**
 * @brief --resume: reopen the .partial of @p out if there is one (*wp, *donep).
 * @return -1 to go on (*wp may still be NULL), else the exit code (reported here).
 */
static int run_reopen(const struct scenario *s, const struct params *p, const struct cube_layout *L,
                      const char *out, struct cube_writer **wp, int *donep, char *err,
                      size_t errlen)
{
  char partial[1100];
  snprintf(partial, sizeof partial, "%s.partial", out);
  if (access(partial, F_OK) == 0) {
    struct cube_writer *w = cube_reopen(out, L, donep, err, errlen);
    if (!w) {
      fprintf(stderr, "hwsim run: cannot resume: %s (the .partial is kept)\n", err);
      return 2;
    }
    char why[512];
    if (run_same_identity(partial, s, p, why, sizeof why) != 0) {
      fprintf(stderr,
              "hwsim run: %s: cannot resume: %s (expected the same scenario, data, seed and "
              "settings; the .partial is kept)\n",
              partial, why);
      cube_abandon(w);
      return 2;
    }
    if (*donep > s->replicates) {
      fprintf(stderr,
              "hwsim run: %s: cannot resume: it already holds %d replicates, more than the %d "
              "asked for (expected --replicates %d or more; the .partial is kept)\n",
              partial, *donep, s->replicates, *donep);
      cube_abandon(w);
      return 2;
    }
    /* Continuing to another replicate count (--replicates): the attribute says the new one. */
    if (cube_set_root_i64(w, "replicates", s->replicates, err, errlen) != 0) {
      fprintf(stderr, "hwsim run: %s (the .partial is kept)\n", err);
      cube_abandon(w);
      return 1;
    }
    *wp = w;
  } else if (access(out, F_OK) == 0) {
    fprintf(stderr, "hwsim run: %s is already complete; nothing to resume\n", out);
    return 0;
  }
  return -1;
}

/**
 * @brief Claim @p out for this run: an exclusive advisory lock (flock) on
 *        OUT.lock, held until the run ends.  A second run on the same output
 *        is refused at once instead of mixing its replicates into the first's.
 * @return the lock's file descriptor, or -1 after a one-line message.
 */
static int run_claim(const char *out)
{
  char lock[1100];
  snprintf(lock, sizeof lock, "%s.lock", out);
  int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) {
    fprintf(stderr,
            "hwsim run: -o %s: cannot create a file beside it (%s: %s; expected a directory you "
            "can write in)\n",
            out, lock, strerror(errno));
    return -1;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    fprintf(stderr,
            "hwsim run: %s is being written by another hwsim run (its lock %s is held; expected "
            "one run per output)\n",
            out, lock);
    close(fd);
    return -1;
  }
  return fd;
}

/** @brief Release run_claim's lock and remove the lock file. */
static void run_release(const char *out, int fd)
{
  if (fd < 0) return;
  char lock[1100];
  snprintf(lock, sizeof lock, "%s.lock", out);
  unlink(lock);
  close(fd);
}

/**
 * @brief Rank 0: create the cube, or reopen the .partial for --resume.
 * @return -1 to go on (*w open, *done replicates in it), else the exit code
 *         (reported here).
 */
static int run_open_cube(const struct run_opts *o, const struct scenario *s, const struct params *p,
                         const struct cube_layout *L, const char *out, struct cube_writer **wp,
                         int *donep, int *lockfd)
{
  char err[1024] = "";
  int crc = run_check_output(s, out);
  if (crc) return crc;
  if (fs_make_parent_dirs(out) != 0) {
    fprintf(stderr, "hwsim run: %s: cannot create its directory: %s\n", out, strerror(errno));
    return 2;
  }
  if ((*lockfd = run_claim(out)) < 0) return 2;
  int done = 0;
  struct cube_writer *w = NULL;
  if (o->resume) {
    int rc = run_reopen(s, p, L, out, &w, &done, err, sizeof err);
    if (rc >= 0) {
      run_release(out, *lockfd);
      *lockfd = -1;
      return rc;
    }
  }
  if (!w) {
    w = run_create_cube(s, p, L, out, err, sizeof err);
    done = 0;
  }
  if (!w) {
    fprintf(stderr, "hwsim run: %s\n", err);
    run_release(out, *lockfd);
    *lockfd = -1;
    return 1;
  }
  *wp = w;
  *donep = done;
  return -1;
}

static int run_ranks(const struct run_opts *o);

int run_main(const struct run_opts *o)
{
  if (mpi_driver_init() != 0) {
    fprintf(stderr, "hwsim run: MPI could not be started\n");
    return 1;
  }
  int rc = run_ranks(o);
  mpi_driver_finalize();
  return rc;
}

/** What run_ranks sets up for the replicate loop and the closing messages. */
struct run_state {
  const struct run_opts *o;
  const char *spath;
  struct scenario s;
  struct params *p;
  struct cube_layout L;
  int *years, nyears, threads, rank, size;
  char out[1024], ranks[48];
  struct cube_writer *w;
  int done;
  int lockfd; /**< rank 0: the output's lock (run_claim), or -1 */
  struct progress_ctx pc;
  int64_t events, agent_years;
};

/** @brief Install the caller's clean-stop handler for SIGINT, SIGTERM and SIGUSR1. */
static void run_signals(const struct run_opts *o, int size)
{
  if (!o->on_signal) return;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = o->on_signal;
  /* Several ranks: let MPI's system calls resume after the handler has run. */
  sa.sa_flags = size > 1 ? SA_RESTART : 0;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGUSR1, &sa, NULL);
}

/** @brief The progress lines and the opening message (rank 0). */
static void run_announce(struct run_state *st)
{
  const struct run_opts *o = st->o;
  const struct scenario *s = &st->s;
  struct progress_ctx *pc = &st->pc;
  memset(pc, 0, sizeof *pc);
  pc->tty = isatty(2);
  pc->enabled = st->rank == 0 && (o->progress < 0 ? pc->tty : o->progress);
  pc->nrep = s->replicates;
  pc->nyears_per_rep = st->nyears - 1;
  pc->start_year = s->start_year;
  pc->years_done_before = st->done * (st->nyears - 1);
  pc->t0 = now_s();
  st->ranks[0] = '\0';
  if (st->size > 1) snprintf(st->ranks, sizeof st->ranks, "%d ranks x ", st->size);
  if (o->quiet || st->rank != 0) return;
  fprintf(stderr, "hwsim run: scenario %s (%s), %d replicates, seed %llu, %d-%d, %s%d threads%s\n",
          s->name, st->spath, s->replicates, (unsigned long long)s->seed, s->start_year,
          s->end_year, st->ranks, st->threads, st->done ? " (resuming)" : "");
  if (st->done) fprintf(stderr, "hwsim run: %d replicates already done\n", st->done);
}

/** @brief One rank: replicates in order, each appended when finished.  @return exit code. */
static int run_serial(struct run_state *st, char *err, size_t errlen)
{
  const struct run_opts *o = st->o;
  int rc = 0;
  for (int r = st->done; r < st->s.replicates; r++) {
    struct replicate_out ro;
    if (replicate_out_init(&ro, st->nyears) != 0) {
      snprintf(err, errlen, "out of memory for replicate %d's results", r);
      fprintf(stderr, "\nhwsim run: %s\n", err);
      return 1;
    }
    int erc =
        engine_run_replicate(st->p, &st->s, r, st->threads, &ro, progress_line, &st->pc, o->stop);
    if (erc == ENGINE_EFAIL) {
      snprintf(err, errlen, "replicate %d: %s", r, ro.err);
      fprintf(stderr, "\nhwsim run: %s\n", err);
      replicate_out_free(&ro);
      rc = 1;
      break;
    }
    if (erc != 0 || (o->stop && *o->stop)) {
      replicate_out_free(&ro);
      rc = HWSIM_EXIT_STOPPED;
      break;
    }
    const int32_t *slabs[N_MEASURES];
    layout_slabs(&ro, slabs);
    if (cube_append(st->w, r, slabs, err, errlen) != 0) {
      fprintf(stderr, "\nhwsim run: %s\n", err);
      replicate_out_free(&ro);
      rc = 1;
      break;
    }
    st->events += ro.events;
    st->agent_years += ro.agent_years;
    st->done = r + 1;
    replicate_out_free(&ro);
  }
  if (st->pc.enabled && st->pc.tty) fprintf(stderr, "\n");
  return rc;
}

/** @brief Rank 0: rename the finished cube, or keep the .partial; the closing message. */
static int run_close(struct run_state *st, int rc, double el, char *err, size_t errlen)
{
  const struct scenario *s = &st->s;
  if (rc != 0) {
    cube_abandon(st->w);
    if (rc == HWSIM_EXIT_STOPPED)
      fprintf(stderr,
              "hwsim run: stopped by signal after %d of %d replicates; they are kept in %s.partial "
              "(continue with --resume)\n",
              st->done, s->replicates, st->out);
    return rc;
  }
  if (cube_finish(st->w, err, errlen) != 0) {
    fprintf(stderr, "hwsim run: %s\n", err);
    return 1;
  }
  if (!st->o->quiet) {
    fprintf(stderr,
            "hwsim run: %d replicates in %.1f s (%.2f M events/s, %.2f M agent-years/s on %s%d "
            "threads)\n",
            s->replicates, el, el > 0 ? st->events / el / 1e6 : 0,
            el > 0 ? st->agent_years / el / 1e6 : 0, st->ranks, st->threads);
    printf("%s\n", st->out);
  }
  return 0;
}

static void run_state_free(struct run_state *st)
{
  run_release(st->out, st->lockfd);
  free(st->years);
  free(st->p->draws);
  free(st->p);
  scenario_free(&st->s);
}

/** @brief run_main once MPI (if any) is up: on every rank. */
static int run_ranks(const struct run_opts *o)
{
  char err[1024] = "", msg[1200] = "";
  struct run_state st = {
      .o = o, .rank = mpi_driver_rank(), .size = mpi_driver_size(), .lockfd = -1};
  st.spath = o->scenario ? o->scenario : scenario_default_path();
  /* From the first step: a signal while loading or opening stops cleanly too. */
  run_signals(o, st.size);
  int lrc = run_load(o, st.spath, &st.s, &st.p, msg, sizeof msg);
  if (lrc == 0 && o->stop && *o->stop) {
    snprintf(msg, sizeof msg, "hwsim run: stopped by signal before the run began; nothing written");
    run_state_free(&st);
    lrc = HWSIM_EXIT_STOPPED;
  }
  int arc = mpi_driver_agree(lrc, msg);
  if (arc != 0) {
    if (lrc == 0) run_state_free(&st);
    return arc;
  }
  st.years = hw_alloc((size_t)(st.s.end_year - st.s.start_year + 1), sizeof *st.years,
                      "the years' labels", err, sizeof err);
  if (!st.years) {
    fprintf(stderr, "hwsim run: %s\n", err);
    run_state_free(&st);
    return 1;
  }
  if (o->out)
    snprintf(st.out, sizeof st.out, "%s", o->out);
  else
    snprintf(st.out, sizeof st.out, "results/%s.h5", st.s.name);
  st.threads = o->threads > 0 ? o->threads : omp_get_max_threads();
  st.nyears = st.s.end_year - st.s.start_year + 1;
  layout_build(&st.L, st.s.start_year, st.s.end_year, st.years);

  /* Rank 0 alone touches the file: it creates or reopens the cube, then tells
   * every rank {exit code or -1 to go on, replicates already done}. */
  int verdict[2] = {-1, 0};
  if (st.rank == 0) {
    verdict[0] = run_open_cube(o, &st.s, st.p, &st.L, st.out, &st.w, &st.done, &st.lockfd);
    verdict[1] = st.done;
  }
  mpi_driver_bcast_ints(verdict, 2);
  if (verdict[0] >= 0) {
    run_state_free(&st);
    return verdict[0];
  }
  st.done = verdict[1];
  run_announce(&st);

  int rc;
  double t_start = now_s();
  if (st.size > 1) {
    /* Replicate r on rank r % size; rank 0 appends in replicate order (mpi_driver.c). */
    struct mpi_run m = {st.p,    &st.s,         &st.L,     st.threads, st.w,
                        st.done, st.pc.enabled, st.pc.tty, o->stop,    o->hurry};
    rc = mpi_driver_run(&m, &st.done, &st.events, &st.agent_years, err, sizeof err);
    if (rc == 1 && st.rank == 0) fprintf(stderr, "\nhwsim run: %s\n", err);
  } else {
    rc = run_serial(&st, err, sizeof err);
  }
  if (st.rank == 0) rc = run_close(&st, rc, now_s() - t_start, err, sizeof err);
  if (st.size > 1) {
    /* Rank 0's cube_finish may have failed: every rank exits with the same code. */
    int v[1] = {rc};
    mpi_driver_bcast_ints(v, 1);
    rc = v[0];
  }
  run_state_free(&st);
  return rc;
}
