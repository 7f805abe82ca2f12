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

#include "rng.h"

/* Agent keys: (year << 40) | (kind << 32) | index.  Keys, not array slots,
 * seed the streams, so an intervention that adds study places in one group
 * leaves every other agent's stream untouched (common random numbers). */
enum key_kind { KEY_BASE = 0, KEY_BASE_STUDENT = 1, KEY_INTAKE = 2, KEY_INFLOW = 3 };
static uint64_t agent_key(int year, int kind, int g, int sub, uint32_t index)
{
  return ((uint64_t)(uint32_t)year << 40) |
         ((uint64_t)((kind * 4 + sub) * N_GROUPS + g) << 32) | index;
}

static struct agent *pop_push(struct population *pop)
{
  if (pop->n == pop->cap) {
    pop->cap = pop->cap ? pop->cap * 3 / 2 : 1 << 16;
    pop->a = realloc(pop->a, pop->cap * sizeof *pop->a);
    if (!pop->a) {
      fprintf(stderr, "hwsim: out of memory growing the agent store to %zu agents\n", pop->cap);
      exit(1);
    }
  }
  struct agent *a = &pop->a[pop->n++];
  memset(a, 0, sizeof *a);
  return a;
}

/** @brief Initialise an agent's stream state from its key. */
static void agent_seed(struct agent *a, const struct scenario *s, int r)
{
  struct pcg32 g;
  rng_agent_stream(&g, s->seed, (uint64_t)r, a->key);
  a->rng = g.state;
}

/** @brief Apportion n items to shares by largest remainder (exact total). */
static void apportion(int n, const double *share, int k, int *out)
{
  double tot = 0;
  for (int i = 0; i < k; i++) tot += share[i];
  int given = 0;
  double rem[16];
  for (int i = 0; i < k; i++) {
    double x = tot > 0 ? n * share[i] / tot : 0;
    out[i] = (int)floor(x);
    rem[i] = x - out[i];
    given += out[i];
  }
  while (given < n) {
    int best = 0;
    for (int i = 1; i < k; i++)
      if (rem[i] > rem[best]) best = i;
    out[best]++;
    rem[best] = -1;
    given++;
  }
}

/** @brief A clipped normal age draw for an entrant. */
static double draw_age(struct pcg32 *r, double mean, double sd, double lo, double hi)
{
  double x = mean + sd * pcg32_normal(r);
  return x < lo ? lo : x > hi ? hi : x;
}

void engine_base_population(const struct params *p, const struct scenario *s, int r,
                            struct population *pop)
{
  rng_init_tables();
  /* The base stock describes 31 December of start_year, i.e. t = start_year + 1. */
  const double t0 = (double)s->start_year + 1.0;
  struct pcg32 rng;
  pcg32_seed(&rng, rng_key(s->seed, (uint64_t)r, 0, RNG_BASE_POP), RNG_BASE_POP);
  for (int g = 0; g < N_GROUPS; g++) {
    size_t first = pop->n;
    uint32_t idx = 0;
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int ai = 0; ai < N_AGES; ai++)
        for (int32_t i = 0; i < p->base_persons[g][sx][ai]; i++) {
          struct agent *a = pop_push(pop);
          a->key = agent_key(0, KEY_BASE, g, 0, idx++);
          a->group = (uint8_t)g;
          a->sex = (uint8_t)sx;
          a->status = ST_ACTIVE;
          int age = ai + AGE_MIN;
          a->birth = t0 - age - pcg32_uniform(&rng);
          /* Entry into work is not in the register marginals: assume age 23
           * (end of a 3-year bachelor), so only the under-30s are early-career. */
          double tc = a->birth + 23.0;
          a->t_career = (float)(tc < t0 ? tc : t0 - 0.5 * pcg32_uniform(&rng));
          agent_seed(a, s, r);
        }
    size_t n = pop->n - first;
    if (n == 0) continue;
    /* Sectors: exact counts by largest remainder, assigned over a random
     * permutation, so each group's sector totals are reproduced exactly. */
    int cnt[N_SECTORS];
    apportion((int)n, p->base_sector[g], N_SECTORS, cnt);
    uint32_t *perm = malloc(n * sizeof *perm);
    for (size_t i = 0; i < n; i++) perm[i] = (uint32_t)i;
    for (size_t i = n - 1; i > 0; i--) {
      uint32_t j = pcg32_bounded(&rng, (uint32_t)(i + 1));
      uint32_t tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    size_t k = 0;
    for (int sec = 0; sec < N_SECTORS; sec++)
      for (int c = 0; c < cnt[sec]; c++) pop->a[first + perm[k++]].sector = (uint8_t)sec;
    /* Position shares: stratified uniforms (i + U) / n_sector over the same
     * random order, so each sector's mean matches its distribution closely. */
    int seen[N_SECTORS] = {0};
    double u0 = pcg32_uniform(&rng);
    for (size_t i = 0; i < n; i++) {
      struct agent *a = &pop->a[first + perm[i]];
      int sec = a->sector;
      double u = ((double)seen[sec]++ + u0) / (double)cnt[sec];
      int age = (int)floor(t0 - a->birth);
      a->pshare = lifecourse_draw_pshare(p, g, sec, age, u);
    }
    for (size_t i = 0; i < n; i++) lifecourse_init_sick(&pop->a[first + i], p, t0, &rng);
    free(perm);
  }
  /* Students in the pipeline at t0: cohorts admitted in the last `duration`
   * years, thinned by the dropout they have already had. */
  for (int g = 0; g < N_GROUPS; g++) {
    uint32_t idx = 0;
    for (int c = s->start_year; c > s->start_year - 12; c--) {
      const struct edu_row *e = params_edu_row(p, g, c);
      if (!e) continue;
      double t_in = c + 0.625, t_grad = t_in + e->duration - 0.125;
      if (t_grad <= t0) continue;
      double left = e->completion > 0 ? pow(e->completion, (t0 - t_in) / e->duration) : 0;
      int n = (int)lround(e->intake * left);
      int nm = (int)lround(n * e->male_share);
      for (int i = 0; i < n; i++) {
        struct agent *a = pop_push(pop);
        a->key = agent_key(0, KEY_BASE_STUDENT, g, 0, idx++);
        a->group = (uint8_t)g;
        a->sex = i < nm ? SEX_MALE : SEX_FEMALE;
        a->status = ST_STUDENT;
        a->birth = t_in - draw_age(&rng, e->age_mean, e->age_sd, 17.0, 55.0);
        a->t_mark = t_grad;
        a->t_career = (float)t_in;
        agent_seed(a, s, r);
      }
    }
  }
}

/** @brief Sequential phase: this year's study intake and inflows, in key order. */
static void engine_cohorts(const struct params *p, const struct scenario *s, int r, int year,
                           struct population *pop)
{
  struct pcg32 rng;
  pcg32_seed(&rng, rng_key(s->seed, (uint64_t)r, (uint64_t)year, RNG_INTAKE), RNG_INTAKE);
  for (int g = 0; g < N_GROUPS; g++) {
    const struct edu_row *e = params_edu_row(p, g, year);
    if (!e) continue;
    int n = (int)lround(e->intake), nm = (int)lround(n * e->male_share);
    double t_in = year + 0.625;
    for (int i = 0; i < n; i++) {
      struct agent *a = pop_push(pop);
      a->key = agent_key(year, KEY_INTAKE, g, 0, (uint32_t)i);
      a->group = (uint8_t)g;
      a->sex = i < nm ? SEX_MALE : SEX_FEMALE;
      a->status = ST_STUDENT;
      /* Admitted in August: the agent is a student from t_in; before that it
       * does not exist, which the year loop handles by starting it at t_in. */
      a->birth = t_in - draw_age(&rng, e->age_mean, e->age_sd, 17.0, 55.0);
      a->t_mark = t_in + e->duration - 0.125; /* graduation in June */
      a->t_career = (float)t_in; /* for a student: admission time; the clock starts there */
      agent_seed(a, s, r);
    }
  }
  pcg32_seed(&rng, rng_key(s->seed, (uint64_t)r, (uint64_t)year, RNG_INFLOW), RNG_INFLOW);
  static const int src[N_INFLOW_CHANNELS] = {ENTRY_IMMIGRATION, ENTRY_ABROAD_GRAD,
                                             ENTRY_RECRUITMENT};
  for (int g = 0; g < N_GROUPS; g++)
    for (int ch = 0; ch < N_INFLOW_CHANNELS; ch++) {
      const struct inflow *in = &p->inflow[g][ch];
      if (in->per_year <= 0) continue;
      /* stochastic rounding keeps the expected inflow exact */
      double whole = floor(in->per_year);
      int n = (int)whole + (pcg32_uniform(&rng) < in->per_year - whole);
      int nm = (int)lround(n * in->male_share);
      for (int i = 0; i < n; i++) {
        struct agent *a = pop_push(pop);
        a->key = agent_key(year, KEY_INFLOW, g, ch, (uint32_t)i);
        a->group = (uint8_t)g;
        a->sex = i < nm ? SEX_MALE : SEX_FEMALE;
        a->status = ST_PENDING;
        a->entry_src = (uint8_t)src[ch];
        a->t_mark = year + pcg32_uniform(&rng);
        a->birth = a->t_mark - draw_age(&rng, in->age_mean, in->age_sd, 20.0, 66.0);
        if (ch != INFLOW_RECRUITMENT) a->flags |= ch == INFLOW_IMMIGRATION ? AF_ABROAD : 0;
        agent_seed(a, s, r);
      }
    }
}

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
  memset(o, 0, sizeof *o);
}

/** @brief Round a micro-percent-year integral to hundredths of an FTE-year. */
static int32_t from_micro(int64_t u)
{
  return (int32_t)((u + (int64_t)(MICRO / 2)) / (int64_t)MICRO);
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

/** @brief Drop agents who left, keeping order (deterministic, O(n)). */
static void pop_compact(struct population *pop)
{
  size_t j = 0;
  for (size_t i = 0; i < pop->n; i++)
    if (pop->a[i].status != ST_GONE) pop->a[j++] = pop->a[i];
  pop->n = j;
}

int engine_run_replicate(const struct params *p, const struct scenario *s, int r, int threads,
                         struct replicate_out *out, engine_progress_fn progress, void *pctx,
                         volatile int *stop)
{
  struct population pop = {0};
  engine_base_population(p, s, r, &pop);
  if (threads < 1) threads = 1;
  struct tally *tt = calloc((size_t)threads, sizeof *tt);
  struct tally *sum = calloc(1, sizeof *sum);
  struct hazard_row *rows = malloc(sizeof *rows * N_HROWS);
  if (!tt || !sum || !rows) {
    fprintf(stderr, "hwsim: out of memory for %d thread tallies\n", threads);
    exit(1);
  }
  /* Year 0 of the output is the base stock itself (flows zero). */
  for (size_t i = 0; i < pop.n; i++) lifecourse_snapshot(&pop.a[i], s->start_year + 1.0, sum);
  store_year(out, 0, sum);
  out->events = 0;
  out->agent_years = 0;
  int rc = 0;
  for (int year = s->start_year + 1; year <= s->end_year; year++) {
    if (stop && *stop) {
      rc = -1;
      break;
    }
    engine_cohorts(p, s, r, year, &pop);
    struct engine_ctx ctx = {.p = p, .seed = s->seed, .replicate = (uint64_t)r, .year = year,
                             .rows = rows};
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
    out->events += sum->events;
    out->agent_years += n;
    pop_compact(&pop);
    if (progress) progress(pctx, r, year, pop.n, out->events);
  }
  free(tt);
  free(sum);
  free(rows);
  free(pop.a);
  return rc;
}
