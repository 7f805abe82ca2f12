/**
 * @file engine.c
 * @brief Replicate driver: base population, yearly sequential cohort phase,
 *        parallel advance of every agent (OpenMP), integer reductions.
 */
#include "engine.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "basepop.h"
#include "demand.h"
#include "doctors.h"
#include "lifecourse.h"
#include "population.h"
#include "process.h"
#include "rng.h"
#include "uncertainty.h"

/** The cube's FTE measures (demand and gap too) are in hundredths of an FTE. */
#define FTE_HUNDREDTHS 100.0
/** Years between compactions of the agent store (see the year loop). */
#define COMPACT_EVERY_YEARS 1

/** @brief Round a micro-percent-year integral to hundredths of an FTE-year. */
static int32_t from_micro(int64_t u)
{
  return (int32_t)((u + (int64_t)(MICRO / 2)) / (int64_t)MICRO);
}

/** @brief Measure @p m of group g in sector @p sec summed over sex and age band, year y. */
static int64_t sector_sum(const struct replicate_out *o, int m, size_t y, int g, int sec)
{
  int64_t n = 0;
  for (int sx = 0; sx < N_SEXES; sx++)
    for (int b = 0; b < N_AGE_BANDS; b++)
      n += o->m[m][y * N_CELLS + CELL(g, sx, b, sec)];
  return n;
}

/**
 * @brief Split the sum of @p d (FTE) into whole hundredths: out[s] sums to llround(100 x sum d),
 *        each the floor of 100 d[s] plus one for the largest remainders (ties to the lower
 *        sector), so the sectors add up to the group total exactly.
 */
static void apportion_hundredths(const double d[N_HSECTORS], int64_t out[N_HSECTORS])
{
  double sum = 0, rem[N_HSECTORS];
  int64_t got = 0;
  for (int s = 0; s < N_HSECTORS; s++) {
    const double x = d[s] * FTE_HUNDREDTHS;
    sum += d[s];
    out[s] = (int64_t)floor(x);
    rem[s] = x - (double)out[s];
    got += out[s];
  }
  for (int64_t left = llround(sum * FTE_HUNDREDTHS) - got; left > 0; left--) {
    int best = 0;
    for (int s = 1; s < N_HSECTORS; s++)
      if (rem[s] > rem[best]) best = s;
    out[best]++;
    rem[best] = -1;
  }
}

/**
 * @brief Demand (the replicate's HELSEMOD alternative @p alt, by health sector, after the
 *        scenario's demand measures: sim/demand.h) and the gaps, in hundredths of an FTE, by
 *        group and sector; zero for groups without demand data and outside the health sectors:
 *        gap = contracted FTE in the sector at 31 Dec - demand;
 *        gap_worked = worked FTE (net of sick leave) in the sector over the year - r x demand,
 *        r the group's worked / contracted FTE in that sector in the first simulated year, so
 *        that demand counts the sick leave of the base pattern and a change in sick leave
 *        shows.  The base year has no flows: its gap_worked is r x gap, filled in with the
 *        first simulated year.  The sectors of a group add up to its total demand exactly.
 */
static void store_demand(struct replicate_out *o, int yi, const struct params *p,
                         const struct scenario *s, int alt)
{
  const size_t y = (size_t)yi, ys = (size_t)N_GROUPS * N_SECTORS;
  double base[N_GROUPS][N_HSECTORS], d[N_GROUPS][N_HSECTORS];
  for (int g = 0; g < N_GROUPS; g++)
    for (int sec = 0; sec < N_HSECTORS; sec++)
      base[g][sec] = (double)sector_sum(o, M_FTE, 0, g, sec);
  demand_year(p, s, alt, s->start_year + yi, (const double(*)[N_HSECTORS])base, d);
  for (int g = 0; g < N_GROUPS; g++) {
    if (!p->has_demand[g]) continue;
    int64_t dem[N_HSECTORS];
    apportion_hundredths(d[g], dem);
    for (int sec = 0; sec < N_HSECTORS; sec++) {
      const size_t c = (size_t)g * N_SECTORS + (size_t)sec, i = y * ys + c;
      o->m[M_DEMAND][i] = (int32_t)dem[sec];
      o->m[M_GAP][i] = (int32_t)(sector_sum(o, M_FTE, y, g, sec) - dem[sec]);
      if (yi < 1) continue;
      const int64_t avg1 = sector_sum(o, M_FTE_AVG, 1, g, sec);
      const double r =
          avg1 > 0 ? (double)sector_sum(o, M_FTE_WORKED, 1, g, sec) / (double)avg1 : 1.0;
      o->m[M_GAP_WORKED][i] =
          (int32_t)(sector_sum(o, M_FTE_WORKED, y, g, sec) - llround(r * (double)dem[sec]));
      if (yi == 1) o->m[M_GAP_WORKED][c] = (int32_t)llround(r * o->m[M_GAP][c]);
    }
  }
}

/** @brief Copy one year's reduced tally into every tallied measure's slab at year index yi. */
static void store_year(struct replicate_out *o, int yi, const struct tally *T)
{
  for (int m = 0; m < N_MEASURES; m++) {
    const struct measure_def *d = &measure_defs[m];
    if (d->kind == MK_SEQ) continue;
    const int64_t *src = tally_measure(T, m);
    int32_t *dst = o->m[m] + (size_t)yi * d->year_size;
    if (d->kind == MK_MICRO)
      for (size_t i = 0; i < d->year_size; i++)
        dst[i] = from_micro(src[i]);
    else
      for (size_t i = 0; i < d->year_size; i++)
        dst[i] = (int32_t)src[i];
  }
}

/**
 * @brief The doctors' outputs of year index yi: the reduced tally's stocks
 *        and flows, the sequential phase's posts and applicants, and the GP
 *        lists (lists to staff, those without a GP and their inhabitants).
 */
static void store_doctors(struct replicate_out *o, int yi, const struct doctor_year *dy,
                          const struct params *p)
{
  if (!dy->on) return;
  int32_t *f = &o->m[M_DOCTOR_FLOWS][(size_t)yi * N_DOCTOR_FLOWS];
  f[DF_LIS1_POSTS] = dy->posts;
  f[DF_LIS1_APPLICANTS] = dy->applicants;
  f[DF_GP_POOL] = dy->gp_pool;
  f[DF_GP_VACANCY_HIRES] = dy->gp_vacancy_hires;
  int32_t lists = (int32_t)llround(dy->lists);
  int32_t without = lists > f[DF_GPS] ? lists - f[DF_GPS] : 0;
  f[DF_GP_LISTS] = lists;
  f[DF_LISTS_WITHOUT_GP] = without;
  f[DF_INHABITANTS_WITHOUT_GP] =
      (int32_t)llround(without * p->doc.vacant_list_inhabitants * dy->list_factor);
  f[DF_MEAN_LIST_LENGTH] =
      f[DF_GPS] > 0
          ? (int32_t)llround((dy->listed - f[DF_INHABITANTS_WITHOUT_GP]) / (double)f[DF_GPS])
          : 0;
}

int engine_run_replicate(const struct params *p, const struct scenario *s, int r, int threads,
                         struct replicate_out *out, engine_progress_fn progress, void *pctx,
                         volatile int *stop)
{
  /* Parameter uncertainty: replicate r runs with parameter draw d = r / K (K =
   * replicates_per_draw); each source is keyed by (seed, its key of d) only
   * (scenario_draw_key), so any rank or thread count gives replicate r the
   * same parameters.  The fitted multipliers first (they set every
   * multiplier), then the assumed inputs' multipliers on top. */
  struct params *pr = NULL;
  struct scenario *sr = NULL;
  if (s->assumed_uncertainty && scenario_has_ranges(s)) {
    /* the measures' ranged sizes: drawn with the assumed inputs */
    sr = hw_alloc(1, sizeof *sr, "a scenario draw", out->err, sizeof out->err);
    if (!sr) return ENGINE_EFAIL;
    scenario_draw_ranges(s, r / scenario_draw_size(s), sr);
    s = sr;
  }
  const int fitted = s->param_uncertainty && p->draws;
  const int assumed = s->assumed_uncertainty && p->n_assumed > 0;
  if (fitted || assumed) {
    pr = hw_alloc(1, sizeof *pr, "a parameter draw", out->err, sizeof out->err);
    if (!pr) {
      free(sr);
      return ENGINE_EFAIL;
    }
    *pr = *p;
    const int d = r / scenario_draw_size(s);
    if (fitted) uncertainty_apply(p->draws, s->seed, (int)scenario_draw_key(s, UNC_FITTED, d), pr);
    if (assumed) params_assumed_apply(pr, s->seed, scenario_draw_key(s, UNC_ASSUMED, d));
    p = pr;
  }
  struct population pop = {0};
  basepop_synthesise(p, s, r, threads, &pop);
  if (pop.err[0]) {
    snprintf(out->err, sizeof out->err, "%s", pop.err);
    free(pop.a);
    free(pr);
    free(sr);
    return ENGINE_EFAIL;
  }
  int rc = engine_run_population(p, s, r, threads, &pop, 1, out, progress, pctx, stop);
  free(pr);
  free(sr);
  return rc;
}

/** @brief Year index yi's outputs: the tallied measures, demand and gap, the doctors'. */
static void store_all(struct replicate_out *out, int yi, const struct tally *sum,
                      const struct doctor_year *dy, const struct params *p,
                      const struct scenario *s, int alt)
{
  store_year(out, yi, sum);
  store_demand(out, yi, p, s, alt);
  store_doctors(out, yi, dy, p);
}

/** @brief Every agent through the year, in parallel; the threads' tallies summed into @p sum. */
static void advance_year(const struct engine_ctx *ctx, const struct population *pop,
                         struct tally *tt, struct tally *sum, int threads)
{
  memset(tt, 0, sizeof *tt * (size_t)threads);
  struct agent *agents = pop->a;
  const long n = (long)pop->n;
#pragma omp parallel num_threads(threads)
  {
    struct tally *T = &tt[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 2048)
    for (long i = 0; i < n; i++)
      lifecourse_advance_year(&agents[i], ctx, T);
  }
  memset(sum, 0, sizeof *sum);
  for (int k = 0; k < threads; k++)
    tally_add(sum, &tt[k]);
}

int engine_run_population(const struct params *p, const struct scenario *s, int r, int threads,
                          struct population *popp, int cohorts, struct replicate_out *out,
                          engine_progress_fn progress, void *pctx, volatile int *stop)
{
  struct population pop = *popp;
  if (threads < 1) threads = 1;
  char *e = out->err;
  const size_t el = sizeof out->err;
  struct tally *tt = hw_alloc((size_t)threads, sizeof *tt, "the threads' tallies", e, el);
  struct tally *sum = tt ? hw_alloc(1, sizeof *sum, "the year's tally", e, el) : NULL;
  struct hazard_row *rows = sum ? hw_alloc(N_HROWS, sizeof *rows, "the hazard rows", e, el) : NULL;
  double *sig_tab =
      rows ? hw_alloc(N_SIG_TABLES * (RNG_NQ + 1), sizeof *sig_tab, "the sickness tables", e, el)
           : NULL;
  struct doctor_year dy = {0};
  struct doctor_index dix = {0};
  const int alt = demand_alternative(s, r);
  int rc = ENGINE_EFAIL;
  if (!sig_tab) goto done; /* the reason is in out->err */
  /* Year 0 of the output is the base stock itself (flows zero). */
  for (size_t i = 0; i < pop.n; i++)
    lifecourse_snapshot(&pop.a[i], s->start_year + 1.0, sum);
  doctors_year_lists(p, s->start_year, 1.0, &dy); /* the base year: base norm and hours */
  store_all(out, 0, sum, &dy, p, s, alt);
  out->events = 0;
  out->sick_spells = 0;
  out->agent_years = 0;
  rc = 0;
  for (int year = s->start_year + 1; year <= s->end_year; year++) {
    if (stop && *stop) {
      rc = ENGINE_STOPPED;
      break;
    }
    if (cohorts) {
      education_intake(p, s, r, year, &pop);
      migration_arrivals(p, s, r, year, &pop);
    }
    doctors_prepare_year(p, s, r, year, &pop, &dy, &dix);
    if (pop.err[0]) { /* the store or the doctors' index could not grow */
      snprintf(out->err, sizeof out->err, "%s in %d", pop.err, year);
      rc = ENGINE_EFAIL;
      break;
    }
    struct engine_ctx ctx = {.p = p,
                             .seed = s->seed,
                             .replicate = (uint64_t)r,
                             .year = year,
                             .rows = rows,
                             .scn = s,
                             .sig_tab = sig_tab,
                             .doc = &dy};
    lifecourse_prepare_year(&ctx, rows);
    advance_year(&ctx, &pop, tt, sum, threads);
    store_all(out, year - s->start_year, sum, &dy, p, s, alt);
    out->events += sum->events;
    out->sick_spells += sum->sick_spells_started;
    out->agent_years += sum->agent_years;
    /* Compact every year: the departed would cost one load each in the advance
     * loop and, more, the pages of the store they hold; a compaction copies the
     * live part of the store (about 10 ms), and the results do not depend on it
     * (measured: every fifth year instead, the same results, the same speed,
     * peak memory 99 instead of 92 bytes per agent). */
    if ((year - s->start_year) % COMPACT_EVERY_YEARS == 0) {
      population_compact(&pop);
      doctors_index_reset(&dix); /* slots moved */
    }
    if (progress) progress(pctx, r, year, (size_t)sum->agent_years, out->events);
  }
done:
  free(dix.idx);
  free(tt);
  free(sum);
  free(rows);
  free(sig_tab);
  free(pop.a);
  popp->a = NULL;
  popp->n = popp->cap = 0;
  return rc;
}
