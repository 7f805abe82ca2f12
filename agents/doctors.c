/**
 * @file doctors.c
 * @brief The physicians' career track and the GP scheme (see doctors.h and
 *        docs/model.md, "Doctors' career track").
 *
 * Sequential phase (doctors_prepare_year, once a year, before the agents
 * move): new physicians get a stage; the two LIS1 rounds (1 March, 1
 * September by default) give `posts / 2` posts each to applicants ranked by
 * a stateless hash of (seed, replicate, key, year, round) -- a lottery, so
 * the result does not depend on the order of the agent store or on threads;
 * the specialty of everyone who finishes LIS1 during the year is decided by
 * quotas (shares of completers, or the scenario's ALIS number), again in
 * hash order; GPs get this year's list-leaving time.  Parallel phase
 * (doctors_stage_event): the scheduled events happen at t_stage, drawing
 * only from the agent's own stream.  Every random choice is therefore a
 * function of (seed, replicate, agent key), whatever the thread count.
 */
#include "doctors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "population.h"
#include "process.h"
#include "scenario.h"

/**
 * Base year (docs/model.md, section 4.8, "Base year"; an assumption): the physicians no row of
 * doctor_base.csv takes are without specialty under BASE_SPECIALIST_AGE, those from
 * BASE_LIS1_DONE_AGE counting as having done LIS1, and specialists from BASE_SPECIALIST_AGE.
 */
#define BASE_SPECIALIST_AGE 35
#define BASE_LIS1_DONE_AGE 27

/** ALIS hiring into vacant lists takes doctors without specialty under this age (docs/model.md,
 *  section 4.8, step 4; an assumption). */
#define ALIS_HIRE_AGE_LIMIT 50

/** The year's hash purposes, from RNG_DOC_YEAR + RNG_DOC_YEAR_KEYS x (year - RNG_YEAR_ORIGIN). */
enum {
  YK_GP_QUIT,    /**< a GP's list-leaving time */
  YK_COMPLETER,  /**< a LIS1 completer's place in the specialty lottery */
  YK_APPLICANT,  /**< a LIS1 applicant's place in the lottery */
  YK_ALIS_POOL,  /**< a place in the lottery of ALIS hiring into vacant lists */
  YK_ALIS_START, /**< when during the year that ALIS starts */
  N_YK
};
_Static_assert(N_YK <= RNG_DOC_YEAR_KEYS, "the year's doctor keys overlap the next year's");

/** First capacity (slots) of the physicians' index; it doubles as needed. */
#define DOC_INDEX_CAP0 4096

/** @brief A uniform in [0, 1) from the hash of (seed, replicate, key, purpose). */
static inline double hash_u(uint64_t seed, int r, uint64_t key, uint64_t purpose)
{
  return rng_key_uniform(seed, (uint64_t)r, key, purpose);
}

/** @brief A unit exponential from a hash uniform. */
static inline double hash_exp(uint64_t seed, int r, uint64_t key, uint64_t purpose)
{
  return -log1p(-hash_u(seed, r, key, purpose));
}

/**
 * @brief Specialty from the shares of those who specialise, for u in [0, 1),
 *        among the families from @p first on (SP_PSYCHIATRY: hospital only).
 */
static unsigned spec_from_shares(const struct doctor_params *d, double u, int first)
{
  double tot = 0;
  for (int f = first; f < N_SPECIALTIES; f++)
    tot += d->choice[f];
  double x = u * tot, c = 0;
  for (int f = first; f < N_SPECIALTIES; f++) {
    c += d->choice[f];
    if (x < c) return (unsigned)f;
  }
  return SP_OTHER;
}

/**
 * @brief A GP's weekly hours relative to the mean: a lognormal multiplier
 *        with mean 1 and log-sd sigma, fixed per person (a hash of the key).
 */
static double gp_hours_mult(const struct doctor_params *d, uint64_t seed, int r, uint64_t key)
{
  double z = rng_normal_at(hash_u(seed, r, key, RNG_DOC_HOURS));
  return exp(d->gp_hours_sigma * z - 0.5 * d->gp_hours_sigma * d->gp_hours_sigma);
}

/* ---- base population ---------------------------------------------------- */

/** @brief Bring the index up to date with the store (append the new physicians' slots).
 *  @return 0, or -1 when out of memory (the reason in pop->err). */
static int index_update(struct doctor_index *x, struct population *pop)
{
  for (size_t i = x->scanned; i < pop->n; i++) {
    if (pop->a[i].group != G_PHYSICIAN) continue;
    if (x->n == x->cap) {
      size_t cap = x->cap ? x->cap * 2 : DOC_INDEX_CAP0;
      size_t *idx = hw_realloc(x->idx, cap, sizeof *x->idx, "the physicians' index", pop->err,
                               sizeof pop->err);
      if (!idx) return -1;
      x->idx = idx;
      x->cap = cap;
    }
    x->idx[x->n++] = i;
  }
  x->scanned = pop->n;
  return 0;
}

struct cand {
  double u;
  size_t i;
};

static int cand_cmp(const void *x, const void *y)
{
  const struct cand *a = x, *b = y;
  if (a->u < b->u) return -1;
  if (a->u > b->u) return 1;
  return a->i < b->i ? -1 : a->i > b->i;
}

/** @brief Total LIS duration after LIS1: minimum plus an exponential delay. */
static double lis_duration(const struct doctor_params *d, unsigned sp, double e1)
{
  return d->min_years[sp] + d->delay_mean[sp] * e1;
}

/**
 * @brief First t_stage of a base physician of stage @p stage in specialty @p sp, the j-th taken
 *        of its row, from the hash uniform u and unit exponential e.
 */
static float base_stage_time(const struct doctor_params *d, int stage, int sp, size_t j, double t0,
                             double u, double e)
{
  float ts;
  switch (stage) {
  case CS_WAITING:
    return d->wait_giveup > 0 ? (float)(t0 + e / d->wait_giveup) : INFINITY;
  case CS_LIS1_HOSPITAL: /* the spring and autumn cohorts of the base year */
    ts = (float)(t0 - 1.0 + (j % 2 ? d->round_autumn : d->round_spring) + d->lis1_hospital_years);
    if ((double)ts <= t0) ts = (float)(t0 + u * d->lis1_hospital_years);
    return ts;
  case CS_LIS1_MUNI: /* the autumn cohort of the year before */
    ts = (float)(t0 - 2.0 + d->round_autumn + d->lis1_hospital_years + d->lis1_municipal_years);
    if ((double)ts <= t0) ts = (float)(t0 + u * d->lis1_municipal_years);
    return ts;
  case CS_LIS: /* stationary pipeline: uniform remaining share of a drawn duration */
    return (float)(t0 + u * lis_duration(d, (unsigned)sp, e));
  default:
    return INFINITY;
  }
}

/**
 * @brief Row k of doctor_base.csv: its `persons` from the active physicians of its sector and
 *        ages who have no stage yet, in lottery order (c: scratch for all physicians).
 */
static void base_assign_row(const struct doctor_params *d, int k, const struct scenario *s, int r,
                            double t0, const struct doctor_index *x, struct population *pop,
                            struct cand *c)
{
  const struct doctor_base_row *b = &d->base[k];
  size_t n = 0;
  for (size_t jj = 0; jj < x->n; jj++) {
    const size_t i = x->idx[jj];
    const struct agent *a = &pop->a[i];
    if (a->status != ST_ACTIVE || a->career || a->sector != b->sector) continue;
    int age = age_at(a->birth, t0);
    if (age < b->age_from || age > b->age_to) continue;
    c[n].u = hash_u(s->seed, r, a->key, RNG_DOC_BASE + (uint64_t)k);
    c[n].i = i;
    n++;
  }
  size_t want = (size_t)llround(b->persons);
  if (n < want)
    fprintf(stderr,
            "hwsim: warning: doctor_base.csv:%d: %zu eligible physicians for %zu %s (%s, %s, "
            "ages %d-%d); all taken\n",
            b->line, n, want, career_stage_labels[b->stage - 1], specialty_labels[b->specialty],
            sector_labels[b->sector], b->age_from, b->age_to);
  qsort(c, n, sizeof *c, cand_cmp);
  size_t take = want < n ? want : n;
  for (size_t j = 0; j < take; j++) {
    struct agent *a = &pop->a[c[j].i];
    a->career =
        (uint8_t)(b->stage | (unsigned)b->specialty << CR_SPEC_SHIFT | (b->gp ? CR_GP : 0u));
    double u = hash_u(s->seed, r, a->key, RNG_DOC_TIMER);
    double e = hash_exp(s->seed, r, a->key, RNG_DOC_TIMER + 1);
    a->t_stage = base_stage_time(d, b->stage, b->specialty, j, t0, u, e);
  }
}

/** @brief The base physicians no row took: students; the young without specialty; specialists. */
static void base_assign_rest(const struct doctor_index *x, struct population *pop, double t0)
{
  for (size_t jj = 0; jj < x->n; jj++) {
    struct agent *a = &pop->a[x->idx[jj]];
    if (a->career) continue;
    if (a->status == ST_STUDENT) {
      a->career = CS_STUDENT;
      continue;
    }
    int age = age_at(a->birth, t0);
    if (age < BASE_SPECIALIST_AGE)
      a->career = (uint8_t)(CS_NO_SPECIALTY |
                            (age >= BASE_LIS1_DONE_AGE ? SP_LIS1_DONE << CR_SPEC_SHIFT : 0u));
    else
      a->career =
          (uint8_t)(CS_SPECIALIST | (a->sector == SEC_MUNICIPAL ? SP_GENERAL_PRACTICE : SP_OTHER)
                                        << CR_SPEC_SHIFT);
  }
}

void doctors_base_assign(const struct params *p, const struct scenario *s, int r,
                         struct population *pop)
{
  const struct doctor_params *d = &p->doc;
  if (!d->on) return;
  const double t0 = (double)s->start_year + 1.0;
  struct doctor_index x = {0};
  struct cand *c = NULL;
  if (index_update(&x, pop) != 0 ||
      !(c = hw_alloc(x.n + 1, sizeof *c, "assigning the doctors' stages", pop->err,
                     sizeof pop->err))) {
    free(x.idx);
    return;
  }
  for (int k = 0; k < d->n_base; k++)
    base_assign_row(d, k, s, r, t0, &x, pop, c);
  free(c);
  base_assign_rest(&x, pop, t0);
  free(x.idx);
}

/* ---- the year's sequential decisions ------------------------------------ */

void doctors_year_lists(const struct params *p, int year, double list_factor,
                        struct doctor_year *dy)
{
  const struct doctor_params *d = &p->doc;
  dy->on = d->on;
  dy->list_factor = list_factor;
  dy->lists = params_year_interp(d->list_year, d->lists, d->n_lists, year) / list_factor;
  dy->listed = params_year_interp(d->list_year, d->listed, d->n_lists, year);
}

/**
 * @brief @p base shifted by the uptake-weighted level (or `add`) of the measures of type @p ty
 *        in force.
 */
static double iv_level(const struct scenario *s, int year, enum iv_type ty, double base)
{
  double v = base;
  for (int k = 0; s && k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (iv->type != ty || year < iv->start || year > iv->end) continue;
    double u = intervention_uptake(iv, year);
    v += u * ((ty == IV_LIS1_POSTS ? base + iv->add : iv->level) - base);
  }
  return v;
}

/**
 * @brief Whether @p a applies in the LIS1 round starting at @p tr: waiting
 *        without a post (and not giving up before the round), or graduating
 *        or arriving before it.
 */
static int round_eligible(const struct agent *a, double tr)
{
  if (a->career & CR_SET) return 0;
  unsigned st = CR_STAGE(a);
  if (st == CS_WAITING)
    return a->status == ST_ACTIVE ? (double)a->t_stage > tr
                                  : a->status == ST_PENDING && a->t_mark < tr;
  return st == CS_STUDENT && a->status == ST_STUDENT && a->t_mark < tr;
}

/** @brief Quota sizes, capped in order by what is left of n. */
static int take(int want, int *left)
{
  if (want < 0) want = 0;
  if (want > *left) want = *left;
  *left -= want;
  return want;
}

/** The year's sequential phase: what its steps share. */
struct prep {
  const struct doctor_params *d;
  struct population *pop;
  const struct doctor_index *x;
  uint64_t seed;
  int r;
  double y0, y1;        /**< the year's start and end */
  uint64_t yk;          /**< first hash purpose of the year's draws */
  double rt[2];         /**< the two LIS1 rounds (spring, autumn) */
  double qrate;         /**< GPs' list-leaving rate at the hours, list length and trend in force */
  const double *m_quit; /**< fitted multipliers of the list-leaving hazard by age band */
  double late[N_AGE_BANDS]; /**< the fitted late growth in force by age band (prep_retention) */
  double ret_factor;        /**< gp_retention measures' hazard multiplier (1: none) */
  const double *m_hire;     /**< fitted multipliers of the matching efficiency by age band */
  double alis_u;            /**< uptake of the ALIS measure in force (0: none) */
  double alis_level;        /**< its level: new ALIS a year */
  struct cand *app;         /**< LIS1 applicants */
  struct cand *done;        /**< this year's LIS1 completers */
  size_t na, nd, nphys;     /**< applicants, completers, candidate capacity */
  int64_t gps;              /**< GPs holding a list at the start of the year */
};

/**
 * @brief The year's levels from the scenario's measures: GP hours, lists to staff, LIS1 posts
 *        (into @p dy) and the ALIS measure in force (the last one listed).
 */
static void prep_levels(const struct params *p, const struct scenario *s, int year,
                        struct doctor_year *dy, struct prep *P)
{
  const struct doctor_params *d = &p->doc;
  dy->hours = iv_level(s, year, IV_GP_HOURS, d->gp_hours);
  double norm = iv_level(s, year, IV_LIST_NORM, d->list_norm);
  doctors_year_lists(p, year, (norm / d->list_norm) * (dy->hours / d->gp_hours), dy);
  double posts = params_year_interp(d->post_year, d->posts, d->n_posts, year);
  posts = iv_level(s, year, IV_LIS1_POSTS, posts);
  dy->posts = posts > 0 ? (int32_t)llround(posts) : 0;
  P->alis_u = 0;
  P->alis_level = 0;
  for (int k = 0; s && k < s->n_iv; k++)
    if (s->iv[k].type == IV_ALIS && year >= s->iv[k].start && year <= s->iv[k].end) {
      P->alis_u = intervention_uptake(&s->iv[k], year);
      P->alis_level = s->iv[k].level;
    }
}

/**
 * @brief The list-leaving hazard's late growth and the gp_retention measures of @p year: by age
 *        band, gp_quit_late^x with x = (min(year, gp_quit_late_end) - gp_quit_trend_end)^+ x (1
 *        - the uptake-weighted `share` undone, at most 1) (1 where x is 0), and the product of 1
 *        + uptake x (`factor` - 1).
 */
static void prep_retention(const struct params *p, const struct scenario *s, int year,
                           struct prep *P)
{
  const struct doctor_params *d = &p->doc;
  const int ly = year < d->gp_quit_late_end ? year : d->gp_quit_late_end;
  const int late_years = ly > d->gp_quit_trend_end ? ly - d->gp_quit_trend_end : 0;
  double undo = 0;
  P->ret_factor = 1.0;
  for (int k = 0; s && k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (iv->type != IV_GP_RETENTION || year < iv->start || year > iv->end) continue;
    const double u = intervention_uptake(iv, year);
    P->ret_factor *= 1.0 + u * (iv->factor - 1.0);
    undo += u * iv->share;
  }
  const double x = late_years * (1.0 - (undo < 1.0 ? undo : 1.0));
  for (int b = 0; b < N_AGE_BANDS; b++)
    P->late[b] = x != 0 ? pow(p->mult[MP_GP_QUIT_LATE][G_PHYSICIAN][b], x) : 1.0;
}

/**
 * @brief The mean list length at the start of @p year (what the cube's mean_list_length gives
 *        for the year before): inhabitants on a list held by a GP / GPs holding a list, with
 *        the lists to staff and inhabitants of gp_lists.csv at 31 December of year - 1 and the
 *        year's list factor; the reference length when there are no GPs.
 */
static double list_length_start(const struct params *p, const struct doctor_year *dy, int64_t gps)
{
  const struct doctor_params *d = &p->doc;
  if (gps <= 0 || d->n_lists == 0) return d->gp_list_length_ref;
  const int prev = dy->year - 1;
  const double lists =
      params_year_interp(d->list_year, d->lists, d->n_lists, prev) / dy->list_factor;
  const double listed = params_year_interp(d->list_year, d->listed, d->n_lists, prev);
  const double vac = lists > (double)gps ? lists - (double)gps : 0.0;
  const double len = (listed - vac * d->vacant_list_inhabitants * dy->list_factor) / (double)gps;
  return len > 0 ? len : d->gp_list_length_ref;
}

/**
 * @brief The GPs' list-leaving hazard of @p year at the mean hours (before each GP's own hours
 *        multiplier, the fitted multiplier of its age band, the fitted late growth and the
 *        retention measures, prep_retention): gp_quit_rate x (1 +
 *        gp_quit_trend)^(min(year, gp_quit_trend_end) - base year) x (W / gp_hours)^e, where the
 *        workload W is a gp_hours measure's level where one is in force, and otherwise the hours
 *        that go with the mean list length, gp_hours x (len / gp_list_length_ref)^(list
 *        elasticity) (hours proportional to patients at elasticity 1, the documents' own working
 *        for the 45-hour week).
 */
static double gp_quit_year(const struct params *p, const struct scenario *s,
                           const struct doctor_year *dy, double len)
{
  const struct doctor_params *d = &p->doc;
  const int ty = dy->year < d->gp_quit_trend_end ? dy->year : d->gp_quit_trend_end;
  double q = d->gp_quit * pow(1.0 + d->gp_quit_trend, (double)(ty - PARAMS_BASE_YEAR));
  double w = d->gp_hours;
  if (d->gp_list_elasticity != 0) w *= pow(len / d->gp_list_length_ref, d->gp_list_elasticity);
  w = iv_level(s, dy->year, IV_GP_HOURS, w);
  return q * pow(w / d->gp_hours, d->gp_elasticity);
}

/** @brief A physician without a stage yet: a student, an EEA specialist, employed, or waiting. */
static void prep_classify(const struct prep *P, struct agent *a)
{
  const struct doctor_params *d = P->d;
  if (a->status == ST_STUDENT) {
    a->career = CS_STUDENT;
  } else if (a->status == ST_PENDING && a->entry_src == ENTRY_IMMIGRATION &&
             hash_u(P->seed, P->r, a->key, RNG_DOC_NEW) < d->imm_specialist) {
    /* an EEA specialist: approval by conversion on arrival, in a hospital
     * specialty (the ~190 new GP specialists a year all come from ALIS) */
    unsigned sp =
        spec_from_shares(d, hash_u(P->seed, P->r, a->key, RNG_DOC_NEW + 1), SP_PSYCHIATRY);
    a->career = (uint8_t)(CS_SPECIALIST | sp << CR_SPEC_SHIFT);
  } else {
    a->career = a->status == ST_ACTIVE ? CS_NO_SPECIALTY : CS_WAITING;
  }
}

/** @brief Append slot i to a candidate list with the hash uniform of @p purpose. */
static void cand_push(struct cand *c, size_t *n, const struct prep *P, const struct agent *a,
                      size_t i, uint64_t purpose)
{
  c[*n].u = hash_u(P->seed, P->r, a->key, purpose);
  c[*n].i = i;
  (*n)++;
}

/** @brief GPs holding a list at the start of the year (before prep_scan, whose list-leaving
 *         hazard needs the mean list length, and so this count). */
static int64_t count_gps(const struct prep *P)
{
  int64_t n = 0;
  for (size_t j = 0; j < P->x->n; j++) {
    const struct agent *a = &P->pop->a[P->x->idx[j]];
    n += (a->career & CR_GP) && a->status == ST_ACTIVE;
  }
  return n;
}

/**
 * @brief One pass over the physicians: classify newcomers, give GPs this year's list-leaving
 *        time, collect this year's LIS1 completers and the LIS1 applicants (count_gps has
 *        counted the GPs).
 */
static void prep_scan(struct prep *P)
{
  const struct doctor_params *d = P->d;
  for (size_t j = 0; j < P->x->n; j++) {
    const size_t i = P->x->idx[j];
    struct agent *a = &P->pop->a[i];
    if (a->status == ST_GONE) continue;
    if (!a->career) prep_classify(P, a);
    unsigned st = CR_STAGE(a);
    if ((a->career & CR_GP) && a->status == ST_ACTIVE &&
        (st == CS_SPECIALIST || st == CS_NO_SPECIALTY)) {
      const int b = AGE_BAND(age_clamp(age_at(a->birth, P->y0)));
      double rate =
          P->qrate * pow(gp_hours_mult(d, P->seed, P->r, a->key), d->gp_elasticity) * P->m_quit[b];
      rate *= P->late[b]; /* x 1 is exact: no growth or measure leaves the rate bit for bit */
      rate *= P->ret_factor;
      a->t_stage = rate > 0
                       ? (float)(P->y0 + hash_exp(P->seed, P->r, a->key, P->yk + YK_GP_QUIT) / rate)
                       : INFINITY;
      continue;
    }
    if ((st == CS_LIS1_HOSPITAL || st == CS_LIS1_MUNI) && !(a->career & CR_SET)) {
      double end = (double)a->t_stage + (st == CS_LIS1_HOSPITAL ? d->lis1_municipal_years : 0.0);
      if (end < P->y1) cand_push(P->done, &P->nd, P, a, i, P->yk + YK_COMPLETER);
      continue;
    }
    /* applicants: waiting now, or graduating / arriving before a round */
    if (round_eligible(a, P->rt[0]) || round_eligible(a, P->rt[1]))
      cand_push(P->app, &P->na, P, a, i, P->yk + YK_APPLICANT);
  }
}

/** @brief The two LIS1 rounds: `posts / 2` posts each, a lottery among the round's applicants. */
static void prep_rounds(struct prep *P, struct doctor_year *dy)
{
  qsort(P->app, P->na, sizeof *P->app, cand_cmp);
  int32_t per_round[2] = {dy->posts / 2, dy->posts - dy->posts / 2};
  for (int k = 0; k < 2; k++) {
    int32_t given = 0;
    for (size_t j = 0; j < P->na; j++) {
      struct agent *a = &P->pop->a[P->app[j].i];
      if (!round_eligible(a, P->rt[k])) continue;
      dy->applicants++;
      if (given < per_round[k]) {
        a->career |= CR_SET;
        a->t_stage = (float)P->rt[k];
        given++;
      }
    }
  }
}

/**
 * @brief This year's LIS1 completers: specialty quotas in lottery order, general practice first
 *        (@p from_done of them); returns how many chose general practice.
 */
static int prep_specialties(struct prep *P, int from_done)
{
  const struct doctor_params *d = P->d;
  const double nd = (double)P->nd;
  qsort(P->done, P->nd, sizeof *P->done, cand_cmp);
  int left = (int)P->nd;
  int q_gp = take(from_done, &left);
  int q_psy = take((int)llround(d->choice[SP_PSYCHIATRY] * nd), &left);
  int q_bup = take((int)llround(d->choice[SP_CHILD_PSYCHIATRY] * nd), &left);
  int q_none = take((int)llround(d->choice[SP_NONE] * nd), &left);
  for (size_t j = 0; j < P->nd; j++) {
    struct agent *a = &P->pop->a[P->done[j].i];
    int jj = (int)j;
    unsigned sp = jj < q_gp                            ? SP_GENERAL_PRACTICE
                  : jj < q_gp + q_psy                  ? SP_PSYCHIATRY
                  : jj < q_gp + q_psy + q_bup          ? SP_CHILD_PSYCHIATRY
                  : jj < q_gp + q_psy + q_bup + q_none ? SP_NONE
                                                       : SP_OTHER;
    a->career = (uint8_t)((a->career & ~CR_SPEC_MASK) | sp << CR_SPEC_SHIFT | CR_SET);
  }
  return q_gp;
}

/**
 * @brief The pool the municipalities hire into vacant lists from: doctors who finished LIS1
 *        without a specialty (active, under ALIS_HIRE_AGE_LIMIT, no list, not yet hired), each
 *        with its lottery number, into @p pool; returns how many, with the sum of their
 *        matching-efficiency multipliers in @p msum.
 */
static size_t prep_pool(const struct prep *P, struct cand *pool, double *msum)
{
  size_t np = 0;
  *msum = 0;
  for (size_t j = 0; j < P->x->n; j++) {
    const size_t i = P->x->idx[j];
    const struct agent *a = &P->pop->a[i];
    if (a->status != ST_ACTIVE || CR_STAGE(a) != CS_NO_SPECIALTY || CR_SPEC(a) != SP_LIS1_DONE ||
        (a->career & (CR_GP | CR_SET)))
      continue;
    const int age = age_at(a->birth, P->y0);
    if (age >= ALIS_HIRE_AGE_LIMIT) continue;
    cand_push(pool, &np, P, a, i, P->yk + YK_ALIS_POOL);
    *msum += P->m_hire[AGE_BAND(age_clamp(age))];
  }
  return np;
}

/** @brief Hire the first @p want of the pool (lottery order) into ALIS during the year. */
static void prep_hire(const struct prep *P, struct cand *pool, size_t np, int want)
{
  qsort(pool, np, sizeof *pool, cand_cmp);
  for (size_t j = 0; j < np && (int)j < want; j++) {
    struct agent *a = &P->pop->a[pool[j].i];
    a->career |= CR_SET;
    a->t_stage =
        (float)(P->y0 + hash_u(P->seed, P->r, a->key, P->yk + YK_ALIS_START)); /* during the year */
  }
}

/**
 * @brief The municipalities' hires into the V lists without a GP from a pool of U doctors:
 *        round(gp_match x m x sqrt(V x U)), m the pool's mean fitted multiplier, at most V and
 *        U (a Cobb-Douglas matching function with equal elasticities: hires grow with the
 *        vacancies and with the pool, each with diminishing returns).
 */
static int matching_hires(const struct doctor_params *d, double vac, size_t np, double msum)
{
  if (vac <= 0 || np == 0) return 0;
  const double u = (double)np;
  double h = d->gp_match * (msum / u) * sqrt(vac * u);
  if (h > vac) h = vac;
  if (h > u) h = u;
  return (int)llround(h);
}

/**
 * @brief ALIS intake: LIS1 completers who choose general practice, plus the municipalities'
 *        hires into vacant lists from the pool (matching_hires); an ALIS measure sets the total,
 *        the extra from the completers.
 */
static void prep_alis(struct prep *P, struct doctor_year *dy)
{
  const struct doctor_params *d = P->d;
  double vac = dy->lists - (double)P->gps;
  struct cand *pool =
      hw_alloc(P->nphys, sizeof *pool, "the ALIS pool", P->pop->err, sizeof P->pop->err);
  double msum = 0;
  const size_t np = pool ? prep_pool(P, pool, &msum) : 0;
  int q_vac = matching_hires(d, vac, np, msum);
  dy->gp_pool = (int32_t)np;
  dy->gp_vacancy_hires = q_vac;
  double def_gp = d->choice[SP_GENERAL_PRACTICE] * (double)P->nd;
  double total = def_gp + q_vac;
  total += P->alis_u * (P->alis_level - total);
  int from_done = (int)llround(total) - q_vac;
  int q_gp = prep_specialties(P, from_done);
  int want_pool = (int)llround(total) - q_gp;
  if (pool && want_pool > 0) prep_hire(P, pool, np, want_pool);
  free(pool);
}

void doctors_prepare_year(const struct params *p, const struct scenario *s, int r, int year,
                          struct population *pop, struct doctor_year *dy, struct doctor_index *xi)
{
  const struct doctor_params *d = &p->doc;
  memset(dy, 0, sizeof *dy);
  if (!d->on) return;
  dy->on = 1;
  dy->year = year;
  struct prep P = {.d = d, .pop = pop, .seed = s->seed, .r = r};
  P.y0 = (double)year;
  P.y1 = P.y0 + 1.0;
  P.yk = RNG_DOC_YEAR + RNG_DOC_YEAR_KEYS * (uint64_t)(year - RNG_YEAR_ORIGIN);
  prep_levels(p, s, year, dy, &P);
  P.rt[0] = P.y0 + d->round_spring;
  P.rt[1] = P.y0 + d->round_autumn;
  P.m_quit = p->mult[MP_GP_QUIT][G_PHYSICIAN];
  P.m_hire = p->mult[MP_GP_HIRE][G_PHYSICIAN];
  prep_retention(p, s, year, &P);

  struct doctor_index local = {0};
  struct doctor_index *x = xi ? xi : &local;
  P.x = x;
  if (index_update(x, pop) != 0 ||
      !(P.app =
            hw_alloc(x->n + 1, sizeof *P.app, "the LIS1 allocation", pop->err, sizeof pop->err)) ||
      !(P.done =
            hw_alloc(x->n + 1, sizeof *P.done, "the LIS1 allocation", pop->err, sizeof pop->err))) {
    free(P.app);
    if (!xi) free(local.idx);
    return;
  }
  P.nphys = x->n + 1;
  P.gps = count_gps(&P);
  P.qrate = gp_quit_year(p, s, dy, list_length_start(p, dy, P.gps));
  prep_scan(&P);
  prep_rounds(&P, dy);
  free(P.app);
  prep_alis(&P, dy);
  free(P.done);
  if (!xi) free(local.idx);
}

/* ---- parallel phase ----------------------------------------------------- */

/** @brief Move to sector @p to if not there (with its tallies). */
static void to_sector(struct agent *a, int age, int to, struct tally *T, struct pcg32 *r,
                      const struct params *p)
{
  if (a->sector != to) employment_change_sector(a, age, to, T, r, p);
}

/** @brief Start LIS2/3 (or ALIS) in specialty @p sp at time t. */
static void start_lis(struct agent *a, unsigned sp, const struct engine_ctx *ctx, struct tally *T,
                      int age, double t, struct pcg32 *r)
{
  const struct doctor_params *d = &ctx->p->doc;
  a->career = (uint8_t)(CS_LIS | sp << CR_SPEC_SHIFT | (a->career & CR_GP));
  int to = sp == SP_GENERAL_PRACTICE                                  ? SEC_MUNICIPAL
           : sp == SP_OTHER && pcg32_uniform(r) < d->other_outside_hf ? SEC_OTHER_HEALTH
                                                                      : SEC_SPECIALIST;
  if (sp == SP_GENERAL_PRACTICE) {
    a->career |= CR_GP; /* an ALIS holds a list */
    T->doctor_flows[DF_ALIS_STARTS]++;
  }
  to_sector(a, age, to, T, r, ctx->p);
  T->doctor_flows[DF_LIS_STARTS]++;
  a->t_stage = (float)(t + lis_duration(d, sp, d->delay_mean[sp] > 0 ? pcg32_exp1(r) : 0.0));
}

void doctors_stage_event(struct agent *a, const struct engine_ctx *ctx, struct tally *T, int age,
                         double t, struct pcg32 *r)
{
  const struct doctor_params *d = &ctx->p->doc;
  unsigned st = CR_STAGE(a), sp = CR_SPEC(a);
  a->t_stage = INFINITY;
  if (a->status != ST_ACTIVE) return;
  switch (st) {
  case CS_WAITING:
    if (a->career & CR_SET) { /* a LIS1 post starts: the hospital part first */
      a->career = (uint8_t)((a->career & ~(CR_SET | CR_STAGE_MASK)) | CS_LIS1_HOSPITAL);
      to_sector(a, age, SEC_SPECIALIST, T, r, ctx->p);
      a->t_stage = (float)(t + d->lis1_hospital_years);
      T->doctor_flows[DF_LIS1_STARTS]++;
      /* the wait, from entry into work (graduation or arrival) to the start, in whole days */
      if (t > (double)a->t_career)
        T->doctor_flows[DF_LIS1_WAIT_DAYS] += llround((t - (double)a->t_career) * 365.0);
    } else { /* gave up waiting */
      cr_set(a, CS_NO_SPECIALTY, SP_NONE);
      T->doctor_flows[DF_WAIT_GIVEUPS]++;
    }
    break;
  case CS_LIS1_HOSPITAL:
    cr_set(a, CS_LIS1_MUNI, sp);
    to_sector(a, age, SEC_MUNICIPAL, T, r, ctx->p);
    a->t_stage = (float)(t + d->lis1_municipal_years);
    if (d->lis1_municipal_years > 0) break;
    /* no municipal part: LIS1 ends now */
    __attribute__((fallthrough));
  case CS_LIS1_MUNI:
    T->doctor_flows[DF_LIS1_COMPLETIONS]++;
    if (!(a->career & CR_SET)) /* not decided in the sequential phase (edge of the year) */
      sp = pcg32_uniform(r) < d->choice[SP_NONE]
               ? SP_NONE
               : spec_from_shares(d, pcg32_uniform(r), SP_GENERAL_PRACTICE);
    a->career &= (uint8_t)~CR_SET;
    if (sp == SP_NONE || sp >= N_SPECIALTIES) {
      cr_set(a, CS_NO_SPECIALTY, SP_LIS1_DONE);
      a->t_stage = INFINITY;
    } else {
      start_lis(a, sp, ctx, T, age, t, r);
    }
    break;
  case CS_LIS:
    cr_set(a, CS_SPECIALIST, sp);
    T->new_specialists[IX2(sp, N_APPROVAL_ROUTES, AR_NORWEGIAN)]++;
    T->doctor_flows[DF_NEW_SPECIALISTS]++;
    break;
  case CS_SPECIALIST:
  case CS_NO_SPECIALTY:
    if (a->career & CR_GP) { /* leaves the list, stays in work */
      a->career &= (uint8_t)~CR_GP;
      T->doctor_flows[DF_GP_QUITS]++;
    } else if (a->career & CR_SET) { /* recruited to ALIS */
      a->career &= (uint8_t)~CR_SET;
      start_lis(a, SP_GENERAL_PRACTICE, ctx, T, age, t, r);
    }
    break;
  default:
    break;
  }
}

void doctors_on_entry(struct agent *a, const struct engine_ctx *ctx, struct tally *T, int age,
                      double t, struct pcg32 *r)
{
  const struct doctor_params *d = &ctx->p->doc;
  unsigned st = CR_STAGE(a), sp = CR_SPEC(a);
  if (st == CS_SPECIALIST) { /* EEA conversion */
    T->new_specialists[IX2(sp, N_APPROVAL_ROUTES, AR_EEA)]++;
    T->doctor_flows[DF_NEW_SPECIALISTS]++;
    if (sp == SP_GENERAL_PRACTICE) {
      a->career |= CR_GP;
      to_sector(a, age, SEC_MUNICIPAL, T, r, ctx->p);
    }
    return;
  }
  if (st == CS_STUDENT || st == CS_NONE) cr_set(a, CS_WAITING, SP_NONE);
  if (!(a->career & CR_SET)) /* no post yet: waits, and may give up */
    a->t_stage = d->wait_giveup > 0 ? (float)(t + pcg32_exp1(r) / d->wait_giveup) : INFINITY;
}

void doctors_on_move(struct agent *a, struct tally *T)
{
  unsigned st = CR_STAGE(a);
  if ((a->career & CR_GP) && a->sector != SEC_MUNICIPAL) a->career &= (uint8_t)~CR_GP;
  if ((st == CS_LIS1_HOSPITAL || st == CS_LIS1_MUNI || st == CS_LIS) &&
      !SECTOR_IS_HEALTH(a->sector)) {
    a->career = (uint8_t)(CS_NO_SPECIALTY | (st == CS_LIS ? SP_LIS1_DONE << CR_SPEC_SHIFT : 0u));
    a->t_stage = INFINITY;
    T->doctor_flows[DF_LIS_DROPOUTS]++;
  }
}

void doctors_snapshot(const struct agent *a, struct tally *T)
{
  unsigned st = CR_STAGE(a);
  if (st == CS_NONE) return;
  int sec = a->status == ST_STUDENT ? SEC_NOT_WORKING : a->sector;
  int sp = cr_spec_out(a);
  T->doctors[IX3(st - 1, N_SPECIALTIES, sp, N_SECTORS, sec)]++;
  if (a->status == ST_ACTIVE && sec != SEC_NOT_WORKING)
    T->doctor_fte[IX3(st - 1, N_SPECIALTIES, sp, N_SECTORS, sec)] += a->pshare;
  if (a->status != ST_ACTIVE) return;
  if (a->career & CR_GP) T->doctor_flows[DF_GPS]++;
  if (st == CS_WAITING && !(a->career & CR_SET)) T->doctor_flows[DF_LIS1_QUEUE]++;
}
