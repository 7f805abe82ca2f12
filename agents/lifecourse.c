/**
 * @file lifecourse.c
 * @brief One agent's year in continuous time: competing risks with
 *        piecewise-constant hazards.
 *
 * Method.  Between two "boundaries" (a birthday, an anniversary of entry
 * into work while the early-career multipliers still change, the end of a
 * sick spell, graduation, year end) every hazard is constant; the quarterly
 * seasonality of sick leave is handled by thinning instead of boundaries.  The competing-risk clock
 * of K independent exponential events with rates l_1..l_K is equivalent to one exponential waiting
 * time with rate L = sum l_k followed by a categorical choice of the event with probabilities l_k /
 * L (the minimum of independent exponentials is exponential with the summed rate and its argmin is
 * independent of it). The waiting time is drawn by integrated-hazard inversion: a unit exponential
 * budget E is spent at rate L across segments, and the event happens where it runs out (equivalent,
 * by memorylessness, to redrawing at each boundary, but boundaries then cost no random number). All
 * draws come from the agent's own PCG32 stream, so the result does not depend on which thread
 * advances the agent.
 *
 * The processes live in their own modules (agents/process.h lists them);
 * each fills its part of the year's hazard rows and handles its own events.
 * The table of events (event_table, below) says which term of the total each
 * hazard belongs to; this loop derives the total and the choice of the event
 * from it and dispatches the event to its module's handler.
 */
#include "lifecourse.h"

#include <math.h>
#include <string.h>

#include "doctors.h"
#include "process.h"
#include "sickleave.h"

/*
 * The one table of events (agents/event.h): for each competing event of an
 * active agent, its hazard term and rank in that term's sum, its fitted
 * multiplier and the handler of the module that owns it.  Row order is the
 * order of the categorical draw (enum event).  The ranks fix the order of the
 * float sums of the terms (and so the results, bit for bit);
 * tests/test_events.c checks that every term's ranks are 0, 1, ... .  The
 * table lives here, beside the loop that reads it, so that the compiler sees
 * its constants in the hot path.
 */
const struct event_def event_table[N_EVENTS] = {
    [EV_SICK_SELF] = {"sick_self", HT_SICK, 0, MP_SICK, sickleave_apply},
    [EV_SICK_DOCTOR] = {"sick_doctor", HT_SICK, 1, MP_SICK, sickleave_apply},
    [EV_PSHARE_UP] = {"pshare_up", HT_UP, 0, -1, position_apply},
    [EV_PSHARE_DOWN] = {"pshare_down", HT_DOWN, 0, MP_PSHARE_DOWN, position_apply},
    [EV_EXIT_OUTSIDE] = {"exit_outside", HT_EXIT, 0, MP_EXIT, employment_apply},
    [EV_EXIT_NOT_WORKING] = {"exit_not_working", HT_EXIT, 1, MP_EXIT, employment_apply},
    [EV_MOVE_1] = {"move_1", HT_OTHER, 2, MP_MOVE, employment_apply},
    [EV_MOVE_2] = {"move_2", HT_OTHER, 3, MP_MOVE, employment_apply},
    [EV_REENTRY] = {"reentry", HT_OTHER, 4, MP_REENTRY, employment_apply},
    [EV_DEATH] = {"death", HT_OTHER, 0, -1, demography_apply},
    [EV_EMIGRATION] = {"emigration", HT_EMIG, 0, MP_EMIGRATION, demography_apply},
    [EV_EMIGRATION_ABROAD] = {"emigration_abroad", HT_EMIG_ABROAD, 0, MP_EMIGRATION,
                              demography_apply},
    [EV_DISABILITY] = {"disability", HT_OTHER, 1, MP_DISABILITY, retirement_apply},
    [EV_RETIREMENT] = {"retirement", HT_RETIRE, 0, MP_RETIREMENT, retirement_apply},
    [EV_RETIREMENT_LATE] = {"retirement_late", HT_RETIRE_LATE, 0, MP_RETIREMENT, retirement_apply},
    [EV_CONVERT] = {"convert", HT_OTHER, 5, -1, conversion_apply},
};

/** @brief Fitted multipliers (calibration) of one row, before any intervention. */
static void apply_fitted(struct hazard_row *h, const struct params *p, int g, int b)
{
  for (int k = 0; k < N_EVENTS; k++)
    if (event_table[k].mult >= 0)
      h->lam[k] = (float)(h->lam[k] * p->mult[event_table[k].mult][g][b]);
}

/** @brief Each term's sum in rank order: float sums, so the order is part of the result. */
static void sum_terms(struct hazard_row *rows)
{
  int order[N_EVENTS], n = 0;
  for (int term = 0; term < N_TERMS; term++)
    for (int rank = 0; rank < N_EVENTS; rank++)
      for (int k = 0; k < N_EVENTS; k++)
        if ((int)event_table[k].term == term && event_table[k].rank == rank) order[n++] = k;
  for (int i = 0; i < N_HROWS; i++) {
    struct hazard_row *h = &rows[i];
    for (int term = 0; term < N_TERMS; term++)
      h->term[term] = 0.0f;
    for (int j = 0; j < n; j++)
      h->term[event_table[order[j]].term] += h->lam[order[j]];
  }
}

/** @brief Spell-length tables for the handful of distinct sigmas (after the interventions). */
static void prepare_spell_tables(struct engine_ctx *ctx)
{
  double sig[N_SIG_TABLES];
  int nsig = 0;
  for (int g = 0; g < N_GROUPS; g++)
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int s = 0; s < N_HSECTORS; s++)
        for (int k = 0; k < N_SICK_TYPES; k++) {
          double sg = ctx->sick_sigma[g][sx][s][k];
          int j = 0;
          while (j < nsig && sig[j] != sg)
            j++;
          if (j == nsig && nsig < N_SIG_TABLES && ctx->sig_tab) {
            sig[nsig] = sg;
            double *T = ctx->sig_tab + (size_t)nsig * (RNG_NQ + 1);
            for (int i = 0; i <= RNG_NQ; i++)
              T[i] = exp(sg * rng_normal_q[i]);
            nsig++;
          }
          ctx->sick_sidx[g][sx][s][k] = (signed char)(j < nsig ? j : -1);
          ctx->sick_emu[g][sx][s][k] = exp(ctx->sick_mu[g][sx][s][k]);
        }
}

void lifecourse_prepare_year(struct engine_ctx *ctx, struct hazard_row *rows)
{
  const struct params *p = ctx->p;
  sickleave_prepare(ctx);
  for (int g = 0; g < N_GROUPS; g++) {
    ctx->dropout[g] = education_dropout(p, g, ctx->year) * p->mult[MP_DROPOUT][g][0];
    for (int y = 0; y < N_CAREER_YEARS; y++)
      ctx->ec[g][y] = p->early_career[g][y];
  }
  for (int g = 0; g < N_GROUPS; g++)
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int s = 0; s < N_SECTORS; s++)
        for (int ai = 0; ai < N_AGES; ai++) {
          struct hazard_row *h = &rows[HROW(g, sx, s, ai)];
          memset(h, 0, sizeof *h);
          demography_rates(h, p, g, sx, s, ai);
          retirement_rates(h, p, g, sx, s, ai);
          employment_rates(h, p, g, sx, s, ai);
          position_rates(h, p, g, sx, s, ai);
          sickleave_rates(h, p, g, sx, s, ai, ctx->season_max);
          conversion_rates(h, p, g, sx, s, ai);
          apply_fitted(h, p, g, AGE_BAND(ai + AGE_MIN));
        }
  interventions_prepare_year(ctx, rows);
  prepare_spell_tables(ctx);
  for (int g = 0; g < N_GROUPS; g++)
    ctx->ec_const_from[g] = employment_ec_const_from(ctx->ec[g]);
  sum_terms(rows);
}

/** The agent's state that switches the hazard terms on and off (agents/event.h). */
struct gates {
  double ec;              /**< the early-career multiplier of the exit term */
  int abroad, late, sick; /**< educated abroad; covered by later retirement; on sick leave */
  int pshare;             /**< position share, percent */
};

static inline struct gates gates_of(const struct agent *a, double ec, int late)
{
  return (struct gates){ec, (a->flags & AF_ABROAD) != 0, late, (a->flags & AF_SICK_MASK) != 0,
                        a->pshare};
}

/** @brief Whether term @p t is on for state @p s (t is a constant once the loops are unrolled). */
static inline int term_on(int t, const struct gates *s)
{
  switch (t) {
  case HT_EMIG:
    return !s->abroad;
  case HT_EMIG_ABROAD:
    return s->abroad;
  case HT_RETIRE:
    return !s->late;
  case HT_RETIRE_LATE:
    return s->late;
  case HT_SICK:
    return !s->sick;
  case HT_UP:
    return s->pshare < 100;
  case HT_DOWN:
    return s->pshare > pshare_ladder[0];
  default:
    return 1; /* HT_OTHER, HT_EXIT */
  }
}

/** @brief A term's hazard as the agent faces it: x the early-career multiplier for exits. */
static inline double term_scaled(int t, const struct gates *s, float v)
{
  return t == HT_EXIT ? s->ec * (double)v : (double)v;
}

/** @brief Total hazard of an active agent: the terms that are on, summed in term order (the hot
 * path). */
static inline double active_total(const struct hazard_row *h, const struct gates *s)
{
  double L = 0.0;
#pragma GCC unroll 16
  for (int t = 0; t < N_TERMS; t++)
    if (term_on(t, s)) L += term_scaled(t, s, h->term[t]);
  return L;
}

/**
 * @brief Which event, for x uniform on [0, L): walk the events in table order
 *        until the running sum of their hazards (those whose term is on)
 *        exceeds x.  If rounding leaves x beyond the last sum, the last event
 *        with a positive hazard is taken.
 */
static inline int active_select(const struct hazard_row *h, const struct gates *s, double x)
{
  double cum = 0;
  int last = 0;
#pragma GCC unroll 16
  for (int k = 0; k < N_EVENTS; k++) {
    const int t = event_table[k].term;
    if (!term_on(t, s)) continue;
    const double lam = term_scaled(t, s, h->lam[k]);
    if (lam <= 0) continue;
    cum += lam;
    last = k;
    if (x < cum) return k;
  }
  return last;
}

/**
 * @brief Apply event k through its table row.  Sick spells are the most
 *        frequent events: when the row's handler is the (inline) sick-leave
 *        handler it is called directly, so the compiler inlines it; any
 *        other handler is called through the table.
 */
static inline enum ev_outcome apply_event(struct ev_loop *L, int k)
{
  if (event_table[k].apply == sickleave_apply) return sickleave_apply(L, k);
  return event_table[k].apply(L, k);
}

void lifecourse_snapshot(const struct agent *a, double t_end, struct tally *T)
{
  if (a->status == ST_STUDENT) {
    T->students[IX2(a->group, N_SEXES, a->sex)]++;
    if (a->career) doctors_snapshot(a, T);
    return;
  }
  if (a->status != ST_ACTIVE) return;
  int age = age_at(a->birth, t_end);
  int c = cell_of(a, age);
  T->persons[c]++;
  if (a->flags & AF_GRADUATE) {
    int k = (int)(t_end - (double)a->t_career);
    if (k >= 0 && k < N_GRAD_YEARS)
      T->graduates[IX3(a->group, N_GRAD_YEARS, k, N_SECTORS, a->sector)]++;
  }
  if (a->sector != SEC_NOT_WORKING) {
    T->fte[c] += a->pshare;
    T->pshare_band[IX3(a->group, N_SECTORS, a->sector, N_PSHARE_BANDS, PSHARE_BAND(a->pshare))]++;
  }
  if (a->career) doctors_snapshot(a, T);
}

enum ev_outcome lifecourse_leave(struct ev_loop *L, int cause)
{
  if (L->a->status == ST_ACTIVE) {
    ev_flush(L);
    tally_exit(L->T, L->a, L->age, cause);
  }
  L->a->status = ST_GONE;
  return EVO_LEFT;
}

/** The loop's own clocks: next birthday, next early-career anniversary. */
struct clocks {
  double nb;      /**< next birthday */
  double cb;      /**< next early-career anniversary (infinity once the multiplier is constant) */
  int yrs;        /**< completed years in work, capped where the multiplier becomes constant */
  int64_t events; /**< events of the year */
};

/** @brief Completed years in work at L->t and the next anniversary that changes the multiplier. */
static inline void career_clock(const struct ev_loop *L, struct clocks *c)
{
  const struct agent *a = L->a;
  const int from = L->ctx->ec_const_from[a->group];
  c->yrs = years_since((double)a->t_career, L->t);
  if (c->yrs < 0) c->yrs = 0;
  if (c->yrs < from) {
    c->cb = (double)a->t_career + (double)(c->yrs + 1);
  } else {
    c->yrs = from;
    c->cb = INFINITY;
  }
}

/** @brief A birthday at L->t: age band moves, the age limit.  @return 1 if the agent left. */
static int birthday(struct ev_loop *L, struct clocks *c)
{
  struct agent *a = L->a;
  const int nage = age_at(a->birth, L->t);
  c->nb = a->birth + (double)(nage + 1);
  ev_flush(L);
  if (nage > AGE_MAX) { /* the model's age limit: everyone left retires */
    if (a->status == ST_ACTIVE) tally_exit(L->T, a, L->age, EXIT_RETIREMENT);
    a->status = ST_GONE;
    return 1;
  }
  if (a->status == ST_ACTIVE && AGE_BAND(nage) != AGE_BAND(L->age)) {
    tally_exit(L->T, a, L->age, EXIT_AGE_OUT);
    L->T->entries[IX2(ENTRY_AGE_IN, N_CELLS, cell_of(a, nage))]++;
  }
  L->age = nage;
  if (a->status == ST_ACTIVE) ev_recell(L);
  ev_ivfix(L);
  return 0;
}

/**
 * @brief The scheduled changes due at L->t, derived from t so that rounding
 *        cannot loop: birthday, anniversary, graduation, end of a sick spell,
 *        a physician's career event.  @return 1 if the agent left the model.
 */
static int boundaries(struct ev_loop *L, struct clocks *c)
{
  struct agent *a = L->a;
  const struct engine_ctx *ctx = L->ctx;
  if (L->t >= c->nb && birthday(L, c)) return 1;
  if (L->t >= c->cb) career_clock(L, c);
  if (a->status == ST_STUDENT && L->t >= a->t_mark) {
    employment_enter(a, L->age, L->t, ENTRY_GRADUATION, L->T, &L->rng,
                     ctx->p); /* Norwegian programmes only */
    if (a->career) doctors_on_entry(a, ctx, L->T, L->age, L->t, &L->rng);
    c->events++;
    L->t_seg = L->t;
    ev_recell(L);
    career_clock(L, c);
    ev_ivfix(L);
  }
  if ((a->flags & AF_SICK_MASK) && L->t >= a->t_mark) {
    ev_flush(L);
    sickleave_end(L);
    c->events++;
  }
  /* a postponed exit from work falls due (extend_working_life): it happens now, as it would
   * have without the measure */
  if (a->exit_ev && L->t >= (double)a->t_exit && a->status == ST_ACTIVE) {
    const int k = a->exit_ev - 1;
    a->exit_ev = 0;
    c->events++;
    if (apply_event(L, k) == EVO_LEFT) return 1;
  }
  /* a physician's scheduled career event (t_stage is infinite for everyone else) */
  if (L->t >= (double)a->t_stage && a->status == ST_ACTIVE) {
    ev_flush(L);
    doctors_stage_event(a, ctx, L->T, L->age, L->t, &L->rng);
    c->events++;
    ev_recell(L);
    ev_ivfix(L);
  }
  return 0;
}

/** @brief A pending arrival or a later admission: where the year starts for this agent. */
static void year_start(struct ev_loop *L)
{
  struct agent *a = L->a;
  if (a->status == ST_PENDING) {
    L->t = a->t_mark > L->t ? a->t_mark : L->t;
    employment_enter(a, age_at(a->birth, L->t), L->t, a->entry_src, L->T, &L->rng, L->ctx->p);
    if (a->career) doctors_on_entry(a, L->ctx, L->T, age_at(a->birth, L->t), L->t, &L->rng);
  }
  if (a->status == ST_STUDENT && (double)a->t_career > L->t)
    L->t = (double)a->t_career; /* admitted later this year */
}

/**
 * @brief Spend the agent's year: segments of constant hazard between
 *        boundaries, events by integrated-hazard inversion (a unit
 *        exponential budget E spent at rate L; boundaries cost no random
 *        number), each event applied by its module's handler.
 */
static void spend_year(struct ev_loop *L, struct clocks *c, int late_covered)
{
  struct agent *a = L->a;
  const struct engine_ctx *ctx = L->ctx;
  const struct params *p = ctx->p;
  const double t_end = (double)ctx->year + 1.0;
  const int sx = a->sex;
  double E = pcg32_exp1(&L->rng);
  while (L->t < t_end) {
    if (boundaries(L, c)) break;
    const int g = a->group; /* a conversion changes it */
    /* ---- total hazard in force from t to the next boundary ---- */
    const int ai = L->age - AGE_MIN;
    double bound = t_end < c->nb ? t_end : c->nb, lam_tot;
    struct gates gs;
    const struct hazard_row *h = NULL;
    if (a->status == ST_STUDENT) {
      if (a->t_mark < bound) bound = a->t_mark;
      lam_tot = p->mortality[sx][ai] + ctx->dropout[g];
      gs = gates_of(a, 1.0, 0); /* unused: students have their own two events */
    } else {
      h = &ctx->rows[HROW(g, sx, a->sector, ai)];
      double ec = 1.0;
      if (SECTOR_IS_HEALTH(a->sector)) {
        if (c->cb < bound) bound = c->cb;
        ec = ctx->ec[g][c->yrs];
        if ((a->flags & AF_SICK_MASK) && a->t_mark < bound) bound = a->t_mark;
      }
      if ((double)a->t_stage < bound) bound = (double)a->t_stage;
      if (a->exit_ev && (double)a->t_exit < bound) bound = (double)a->t_exit;
      gs = gates_of(a, ec, late_covered && interventions_late_targets(a, ctx, L->age));
      lam_tot = active_total(h, &gs);
    }
    const double dt = bound - L->t;
    if (lam_tot * dt < E) { /* nothing happens before the boundary: spend the budget */
      E -= lam_tot * dt;
      L->t = bound;
      continue;
    }
    L->t += E / lam_tot;
    if (L->t >= bound) L->t = bound; /* rounding: the event sits on the boundary */
    E = pcg32_exp1(&L->rng);
    /* ---- which event: categorical draw proportional to the hazards ---- */
    if (a->status == ST_STUDENT) { /* death or dropout: either way the student leaves */
      const double x = pcg32_uniform(&L->rng) * lam_tot;
      /* a completion measure with uptake < 1: a covered student's dropout is thinned */
      if (ctx->thin_iv && x >= p->mortality[sx][ai]) {
        const double acc = interventions_accept(a, ctx, IV_EV_DROPOUT, L->age, 0);
        if (acc < 1.0 && pcg32_uniform(&L->rng) >= acc) continue;
      }
      c->events++;
      a->status = ST_GONE;
      return;
    }
    const int k = active_select(h, &gs, pcg32_uniform(&L->rng) * lam_tot);
    /* extend_working_life: an agent with a postponed exit has decided; another exit from work
     * is a candidate that does not happen (thinning with acceptance 0: its hazard is off) */
    if (a->exit_ev && interventions_is_work_exit(k)) continue;
    /* hazard measures with uptake < 1: the covered keep f of the candidates, the others 1;
     * behaviour: each keeps its own (p / p_ref)^e of the envelope.  Before the postponement:
     * only a candidate that is a real event may be postponed */
    if (ctx->thin_iv || ctx->behaviour) {
      /* completed years in work, uncapped (c->yrs stops where the multiplier is constant) */
      const double acc =
          interventions_accept(a, ctx, k, L->age, years_since((double)a->t_career, L->t));
      if (acc < 1.0 && pcg32_uniform(&L->rng) >= acc) continue;
    }
    if (ctx->ext_iv >= 0 && interventions_postpone_exit(a, ctx, L->age, L->t, k)) continue;
    const enum ev_outcome o = apply_event(L, k);
    if (o == EVO_REJECTED) continue;
    if (a->group != g) career_clock(L, c); /* a conversion: the new group's early career */
    c->events++;
    if (o == EVO_LEFT) return;
  }
  ev_flush(L);
}

void lifecourse_advance_year(struct agent *a, const struct engine_ctx *ctx, struct tally *T)
{
  if (a->status == ST_GONE) return;
  T->agent_years++;
  const double y0 = (double)ctx->year, t_end = y0 + 1.0;
  struct ev_loop L = {.a = a,
                      .ctx = ctx,
                      .T = T,
                      .t = y0,
                      .rng = {a->rng, rng_agent_inc(ctx->seed, ctx->replicate, a->key)}};
  if (a->status == ST_PENDING && a->t_mark >= t_end) goto done; /* arrives in a later year */
  year_start(&L);
  L.age = age_at(a->birth, L.t);
  struct clocks c = {.nb = a->birth + (double)(L.age + 1), .cb = INFINITY};
  if (a->status == ST_ACTIVE) career_clock(&L, &c);
  ev_ivfix(&L); /* per-person measures act from the start of the year */
  /* the coverage draw of a later-retirement measure, once a year (a hash) */
  const int late_covered = ctx->late_iv >= 0 && interventions_late_covered(a, ctx);
  L.t_seg = L.t;
  L.c_seg = a->status == ST_ACTIVE ? cell_of(a, L.age) : 0;
  spend_year(&L, &c, late_covered);
  T->events += c.events;
done:
  a->rng = L.rng.state;
  if (a->status == ST_ACTIVE || a->status == ST_STUDENT) lifecourse_snapshot(a, t_end, T);
}
