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

#include "population.h"
#include "uncertainty.h"
#include "process.h"
#include "rng.h"

void replicate_out_init(struct replicate_out *o, int nyears)
{
  memset(o, 0, sizeof *o);
  o->nyears = nyears;
  size_t ny = (size_t)nyears;
  o->persons = calloc(ny * N_CELLS, sizeof(int32_t));
  o->fte = calloc(ny * N_CELLS, sizeof(int32_t));
  o->fte_avg = calloc(ny * N_CELLS, sizeof(int32_t));
  o->fte_worked = calloc(ny * N_CELLS, sizeof(int32_t));
  o->sick = calloc(ny * N_CELLS * N_SICK_TYPES, sizeof(int32_t));
  o->entries = calloc(ny * N_ENTRY_SOURCES * N_CELLS, sizeof(int32_t));
  o->exits = calloc(ny * N_EXIT_CAUSES * N_CELLS, sizeof(int32_t));
  o->transitions = calloc(ny * N_GROUPS * N_SECTORS * N_SECTORS, sizeof(int32_t));
  o->pshare_band = calloc(ny * N_GROUPS * N_SECTORS * N_PSHARE_BANDS, sizeof(int32_t));
  o->students = calloc(ny * N_GROUPS * N_SEXES, sizeof(int32_t));
  o->exits_age = calloc(ny * N_EXIT_CAUSES * N_GROUPS * N_AGES, sizeof(int32_t));
  o->graduates = calloc(ny * N_GROUPS * N_GRAD_YEARS * N_SECTORS, sizeof(int32_t));
  o->demand = calloc(ny * N_GROUPS, sizeof(int32_t));
  o->gap = calloc(ny * N_GROUPS, sizeof(int32_t));
  o->doctors = calloc(ny * N_OUT_STAGES * N_SPECIALTIES * N_SECTORS, sizeof(int32_t));
  o->doctor_fte = calloc(ny * N_OUT_STAGES * N_SPECIALTIES * N_SECTORS, sizeof(int32_t));
  o->doctor_flows = calloc(ny * N_DOCTOR_FLOWS, sizeof(int32_t));
  o->new_specialists = calloc(ny * N_SPECIALTIES * N_APPROVAL_ROUTES, sizeof(int32_t));
}

void replicate_out_free(struct replicate_out *o)
{
  free(o->persons);
  free(o->fte);
  free(o->fte_avg);
  free(o->fte_worked);
  free(o->sick);
  free(o->entries);
  free(o->exits);
  free(o->transitions);
  free(o->pshare_band);
  free(o->students);
  free(o->exits_age);
  free(o->graduates);
  free(o->demand);
  free(o->gap);
  free(o->doctors);
  free(o->doctor_fte);
  free(o->doctor_flows);
  free(o->new_specialists);
  memset(o, 0, sizeof *o);
}

/** @brief Round a micro-percent-year integral to hundredths of an FTE-year. */
static int32_t from_micro(int64_t u)
{
  return (int32_t)((u + (int64_t)(MICRO / 2)) / (int64_t)MICRO);
}

/**
 * @brief Demand (HELSEMOD alternative of the scenario) and the gap = supply -
 *        demand, supply being contracted FTE in the health sectors at 31 Dec;
 *        both in hundredths of an FTE, zero for groups without demand data.
 */
static void store_demand(struct replicate_out *o, int yi, const struct params *p,
                         const struct scenario *s)
{
  size_t y = (size_t)yi;
  for (int g = 0; g < N_GROUPS; g++) {
    if (!p->has_demand[g]) continue;
    double d = params_demand(p, s->demand, g, s->start_year + yi, s->productivity_growth);
    int64_t supply = 0;
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int b = 0; b < N_AGE_BANDS; b++)
        for (int sec = 0; sec < N_HSECTORS; sec++) supply += o->fte[y * N_CELLS + CELL(g, sx, b, sec)];
    int32_t dem = (int32_t)llround(d * 100.0);
    o->demand[y * N_GROUPS + g] = dem;
    o->gap[y * N_GROUPS + g] = (int32_t)(supply - dem);
  }
}

/** @brief Copy one year's reduced tally into the output slabs at year index yi. */
static void store_year(struct replicate_out *o, int yi, const struct tally *T)
{
  size_t y = (size_t)yi;
  for (int c = 0; c < N_CELLS; c++) {
    o->persons[y * N_CELLS + c] = (int32_t)T->persons[c];
    o->fte[y * N_CELLS + c] = (int32_t)T->fte[c];
    o->fte_avg[y * N_CELLS + c] = from_micro(T->fte_avg_u[c]);
    o->fte_worked[y * N_CELLS + c] = from_micro(T->fte_worked_u[c]);
    for (int k = 0; k < N_SICK_TYPES; k++)
      o->sick[(y * N_CELLS + c) * N_SICK_TYPES + k] = from_micro(T->sick_u[c][k]);
  }
  for (int k = 0; k < N_ENTRY_SOURCES; k++)
    for (int c = 0; c < N_CELLS; c++)
      o->entries[(y * N_ENTRY_SOURCES + k) * N_CELLS + c] = (int32_t)T->entries[k][c];
  for (int k = 0; k < N_EXIT_CAUSES; k++)
    for (int c = 0; c < N_CELLS; c++)
      o->exits[(y * N_EXIT_CAUSES + k) * N_CELLS + c] = (int32_t)T->exits[k][c];
  const int64_t *tr = &T->transitions[0][0][0];
  for (int i = 0; i < N_GROUPS * N_SECTORS * N_SECTORS; i++)
    o->transitions[y * N_GROUPS * N_SECTORS * N_SECTORS + i] = (int32_t)tr[i];
  const int64_t *pb = &T->pshare_band[0][0][0];
  for (int i = 0; i < N_GROUPS * N_SECTORS * N_PSHARE_BANDS; i++)
    o->pshare_band[y * N_GROUPS * N_SECTORS * N_PSHARE_BANDS + i] = (int32_t)pb[i];
  for (int g = 0; g < N_GROUPS; g++)
    for (int s = 0; s < N_SEXES; s++)
      o->students[(y * N_GROUPS + g) * N_SEXES + s] = (int32_t)T->students[g][s];
  const int64_t *ea = &T->exits_age[0][0][0];
  for (int i = 0; i < N_EXIT_CAUSES * N_GROUPS * N_AGES; i++)
    o->exits_age[y * N_EXIT_CAUSES * N_GROUPS * N_AGES + i] = (int32_t)ea[i];
  const int64_t *gr = &T->graduates[0][0][0];
  for (int i = 0; i < N_GROUPS * N_GRAD_YEARS * N_SECTORS; i++)
    o->graduates[y * N_GROUPS * N_GRAD_YEARS * N_SECTORS + i] = (int32_t)gr[i];
}

/**
 * @brief The doctors' outputs of year index yi: the reduced tally's stocks
 *        and flows, the sequential phase's posts and applicants, and the GP
 *        lists (lists to staff, those without a GP and their inhabitants).
 */
static void store_doctors(struct replicate_out *o, int yi, const struct tally *T,
                          const struct doctor_year *dy, const struct params *p)
{
  if (!dy->on) return;
  size_t y = (size_t)yi;
  const int64_t *dp = &T->doc_persons[0][0][0], *df = &T->doc_fte[0][0][0];
  const size_t nc = N_OUT_STAGES * N_SPECIALTIES * N_SECTORS;
  for (size_t i = 0; i < nc; i++) {
    o->doctors[y * nc + i] = (int32_t)dp[i];
    o->doctor_fte[y * nc + i] = (int32_t)df[i];
  }
  int32_t *f = &o->doctor_flows[y * N_DOCTOR_FLOWS];
  for (int k = 0; k < N_DOCTOR_FLOWS; k++) f[k] = (int32_t)T->doc_flow[k];
  f[DF_LIS1_POSTS] = dy->posts;
  f[DF_LIS1_APPLICANTS] = dy->applicants;
  int32_t lists = (int32_t)llround(dy->lists);
  int32_t without = lists > f[DF_GPS] ? lists - f[DF_GPS] : 0;
  f[DF_GP_LISTS] = lists;
  f[DF_LISTS_WITHOUT_GP] = without;
  f[DF_INHABITANTS_WITHOUT_GP] =
      (int32_t)llround(without * p->doc.vacant_list_inhabitants * dy->list_factor);
  f[DF_MEAN_LIST_LENGTH] = f[DF_GPS] > 0 ? (int32_t)llround((dy->listed - f[DF_INHABITANTS_WITHOUT_GP]) /
                                                            (double)f[DF_GPS])
                                         : 0;
  for (int sp = 0; sp < N_SPECIALTIES; sp++)
    for (int k = 0; k < N_APPROVAL_ROUTES; k++)
      o->new_specialists[(y * N_SPECIALTIES + sp) * N_APPROVAL_ROUTES + k] = (int32_t)T->approvals[sp][k];
}

int engine_run_replicate(const struct params *p, const struct scenario *s, int r, int threads,
                         struct replicate_out *out, engine_progress_fn progress, void *pctx,
                         volatile int *stop)
{
  /* Parameter uncertainty: replicate r runs with parameter draw r / K (K =
   * replicates_per_draw), keyed by (seed, draw) only, so any rank or thread
   * count gives replicate r the same parameters. */
  struct params *pr = NULL;
  if (s->param_uncertainty && p->draws) {
    pr = malloc(sizeof *pr);
    if (!pr) {
      fprintf(stderr, "hwsim: out of memory for a parameter draw\n");
      exit(1);
    }
    *pr = *p;
    uncertainty_apply(p->draws, s->seed, r / (s->replicates_per_draw > 0 ? s->replicates_per_draw : 1), pr);
    p = pr;
  }
  struct population pop = {0};
  basepop_synthesise(p, s, r, threads, &pop);
  int rc = engine_run_population(p, s, r, threads, &pop, 1, out, progress, pctx, stop);
  free(pr);
  return rc;
}

int engine_run_population(const struct params *p, const struct scenario *s, int r, int threads,
                          struct population *popp, int cohorts, struct replicate_out *out,
                          engine_progress_fn progress, void *pctx, volatile int *stop)
{
  struct population pop = *popp;
  rng_init_tables(); /* the normal quantile table, before any parallel draw */
  if (threads < 1) threads = 1;
  struct tally *tt = calloc((size_t)threads, sizeof *tt);
  struct tally *sum = calloc(1, sizeof *sum);
  struct hazard_row *rows = malloc(sizeof *rows * N_HROWS);
  double *sig_tab = malloc(sizeof(double) * N_SIG_TABLES * (RNG_NQ + 1));
  if (!tt || !sum || !rows || !sig_tab) {
    fprintf(stderr, "hwsim: out of memory for %d thread tallies\n", threads);
    exit(1);
  }
  /* Year 0 of the output is the base stock itself (flows zero). */
  for (size_t i = 0; i < pop.n; i++) lifecourse_snapshot(&pop.a[i], s->start_year + 1.0, sum);
  store_year(out, 0, sum);
  store_demand(out, 0, p, s);
  struct doctor_year dy = {0};
  doctors_year_lists(p, s->start_year, 1.0, &dy); /* the base year: base norm and hours */
  store_doctors(out, 0, sum, &dy, p);
  struct doctor_index dix = {0};
  out->events = 0;
  out->sick_spells = 0;
  out->agent_years = 0;
  int rc = 0;
  for (int year = s->start_year + 1; year <= s->end_year; year++) {
    if (stop && *stop) {
      rc = -1;
      break;
    }
    if (cohorts) {
      education_intake(p, s, r, year, &pop);
      migration_arrivals(p, s, r, year, &pop);
    }
    doctors_prepare_year(p, s, r, year, &pop, &dy, &dix);
    struct engine_ctx ctx = {.p = p, .seed = s->seed, .replicate = (uint64_t)r, .year = year,
                             .rows = rows, .scn = s, .sig_tab = sig_tab, .doc = &dy};
    lifecourse_prepare_year(&ctx, rows);
    memset(tt, 0, sizeof *tt * (size_t)threads);
    struct agent *agents = pop.a;
    const long n = (long)pop.n;
#pragma omp parallel num_threads(threads)
    {
      struct tally *T = &tt[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 2048)
      for (long i = 0; i < n; i++) lifecourse_advance_year(&agents[i], &ctx, T);
    }
    memset(sum, 0, sizeof *sum);
    for (int k = 0; k < threads; k++) tally_add(sum, &tt[k]);
    store_year(out, year - s->start_year, sum);
    store_demand(out, year - s->start_year, p, s);
    store_doctors(out, year - s->start_year, sum, &dy, p);
    out->events += sum->events;
    out->sick_spells += sum->sick_spells_started;
    out->agent_years += sum->agent_years;
    /* Compact every fifth year: the advance loop skips the departed at the
     * cost of one load each, while a compaction copies the whole store (a few
     * per cent of the people leave in a year). */
    if ((year - s->start_year) % 5 == 0) {
      population_compact(&pop);
      doctors_index_reset(&dix); /* slots moved */
    }
    if (progress) progress(pctx, r, year, (size_t)sum->agent_years, out->events);
  }
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
