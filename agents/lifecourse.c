/**
 * @file lifecourse.c
 * @brief One agent's year in continuous time: competing risks with
 *        piecewise-constant hazards.
 *
 * Method.  Between two "boundaries" (a birthday, an anniversary of entry
 * into work while the early-career multipliers still change, the end of a
 * sick spell, graduation, year end) every hazard is constant; the quarterly
 * seasonality of sick leave is handled by thinning instead of boundaries.  The competing-risk clock of K independent
 * exponential events with rates l_1..l_K is equivalent to one exponential
 * waiting time with rate L = sum l_k followed by a categorical choice of the
 * event with probabilities l_k / L (the minimum of independent exponentials
 * is exponential with the summed rate and its argmin is independent of it).
 * The waiting time is drawn by integrated-hazard inversion: a unit
 * exponential budget E is spent at rate L across segments, and the event
 * happens where it runs out (equivalent, by memorylessness, to redrawing at
 * each boundary, but boundaries then cost no random number).  All draws come
 * from the agent's own PCG32 stream, so the result does not depend on which
 * thread advances the agent.
 *
 * The processes live in their own modules (agents/process.h lists them);
 * each fills its part of the year's hazard rows, and this loop dispatches
 * the events to them.
 */
#include <string.h>

#include "process.h"

void lifecourse_prepare_year(struct engine_ctx *ctx, struct hazard_row *rows)
{
  const struct params *p = ctx->p;
  sickleave_prepare(ctx);
  for (int g = 0; g < N_GROUPS; g++) {
    ctx->dropout[g] = education_dropout(p, g, ctx->year);
    for (int y = 0; y < N_CAREER_YEARS; y++) ctx->ec[g][y] = p->early_career[g][y];
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
          /* fitted multipliers (calibration), before any intervention */
          const int b = AGE_BAND(ai + AGE_MIN);
          h->exit_out = (float)(h->exit_out * p->mult[MP_EXIT][g][b]);
          h->exit_nw = (float)(h->exit_nw * p->mult[MP_EXIT][g][b]);
          h->reentry = (float)(h->reentry * p->mult[MP_REENTRY][g][b]);
          h->move1 = (float)(h->move1 * p->mult[MP_MOVE][g][b]);
          h->move2 = (float)(h->move2 * p->mult[MP_MOVE][g][b]);
          h->retire = (float)(h->retire * p->mult[MP_RETIREMENT][g][b]);
          h->disab = (float)(h->disab * p->mult[MP_DISABILITY][g][b]);
          h->sick_self = (float)(h->sick_self * p->mult[MP_SICK][g][b]);
          h->sick_doc = (float)(h->sick_doc * p->mult[MP_SICK][g][b]);
          h->down = (float)(h->down * p->mult[MP_PSHARE_DOWN][g][b]);
          h->retire_late = h->retire;
        }
  interventions_prepare_year(ctx, rows);
  /* spell-length tables, after the interventions (which may scale lengths) */
  double sig[N_SIG_TABLES];
  int nsig = 0;
  for (int g = 0; g < N_GROUPS; g++)
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int s = 0; s < N_HSECTORS; s++)
        for (int k = 0; k < N_SICK_TYPES; k++) {
          double sg = ctx->sick_sigma[g][sx][s][k];
          int j = 0;
          while (j < nsig && sig[j] != sg) j++;
          if (j == nsig && nsig < N_SIG_TABLES && ctx->sig_tab) {
            sig[nsig] = sg;
            double *T = ctx->sig_tab + (size_t)nsig * (RNG_NQ + 1);
            for (int i = 0; i <= RNG_NQ; i++) T[i] = exp(sg * rng_normal_q[i]);
            nsig++;
          }
          ctx->sick_sidx[g][sx][s][k] = (signed char)(j < nsig ? j : -1);
          ctx->sick_emu[g][sx][s][k] = exp(ctx->sick_mu[g][sx][s][k]);
        }
  for (int g = 0; g < N_GROUPS; g++) ctx->ec_const_from[g] = employment_ec_const_from(ctx->ec[g]);
  for (int i = 0; i < N_HROWS; i++) {
    struct hazard_row *h = &rows[i];
    h->other = h->death + h->disab + h->move1 + h->move2 + h->reentry;
    h->exit_sum = h->exit_out + h->exit_nw;
    h->sick_sum = h->sick_self + h->sick_doc;
  }
}

/** @brief Total hazard of an active agent (the hot path). */
static inline double active_total(const struct hazard_row *h, int abroad, double ec, int sick,
                                  int pshare, int late)
{
  double L = (double)h->other + (double)h->emig[abroad] + ec * (double)h->exit_sum +
             (double)(late ? h->retire_late : h->retire);
  if (!sick) L += h->sick_sum;
  if (pshare < 100) L += h->up;
  if (pshare > pshare_ladder[0]) L += h->down;
  return L;
}

/**
 * @brief Which event, for x uniform on [0, L): walk the hazards in the order
 *        of enum event (most frequent first) until their running sum exceeds x.
 *        The terms are those of active_total; if rounding leaves x beyond the
 *        last sum, the last event with a positive hazard is taken.
 */
static inline int active_select(const struct hazard_row *h, int abroad, double ec, int sick,
                                int pshare, int late, double x)
{
  const double lam[N_EVENTS - 1] = {
      sick ? 0.0 : h->sick_self, sick ? 0.0 : h->sick_doc,
      pshare < 100 ? h->up : 0.0, pshare > pshare_ladder[0] ? h->down : 0.0,
      ec * h->exit_out, ec * h->exit_nw, h->move1, h->move2, h->reentry,
      h->death, h->emig[abroad], h->disab, late ? h->retire_late : h->retire};
  double cum = 0;
  int last = 0;
  for (int k = 0; k < N_EVENTS - 1; k++) {
    if (lam[k] <= 0) continue;
    cum += lam[k];
    last = k;
    if (x < cum) return k;
  }
  return last;
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
    if (k >= 0 && k < N_GRAD_YEARS) T->graduates[IX3(a->group, N_GRAD_YEARS, k, N_SECTORS, a->sector)]++;
  }
  if (a->sector != SEC_NOT_WORKING) {
    T->fte[c] += a->pshare;
    T->pshare_band[IX3(a->group, N_SECTORS, a->sector, N_PSHARE_BANDS, PSHARE_BAND(a->pshare))]++;
  }
  if (a->career) doctors_snapshot(a, T);
}

void lifecourse_advance_year(struct agent *a, const struct engine_ctx *ctx, struct tally *T)
{
  if (a->status == ST_GONE) return;
  T->agent_years++;
  const struct params *p = ctx->p;
  const double y0 = (double)ctx->year, t_end = y0 + 1.0;
  struct pcg32 rng = {a->rng, rng_agent_inc(ctx->seed, ctx->replicate, a->key)};
  double t = y0;
  const int g = a->group, sx = a->sex;
  int64_t events = 0;
  if (a->status == ST_PENDING) {
    if (a->t_mark >= t_end) goto done;
    t = a->t_mark > y0 ? a->t_mark : y0;
    employment_enter(a, age_at(a->birth, t), t, a->entry_src, T, &rng, p);
    if (a->career) doctors_on_entry(a, ctx, T, age_at(a->birth, t), t, &rng);
  }
  if (a->status == ST_STUDENT && (double)a->t_career > t) t = (double)a->t_career; /* admitted later this year */
  int age = age_at(a->birth, t);
  double nb = a->birth + (double)(age + 1); /* next birthday */
  /* next early-career anniversary (infinity once the multiplier is constant) */
  int yrs = 0;
  double cb = INFINITY;
#define CAREER() do { \
    yrs = years_since((double)a->t_career, t); \
    if (yrs < 0) yrs = 0; \
    if (yrs < ctx->ec_const_from[g]) cb = (double)a->t_career + (double)(yrs + 1); \
    else { yrs = ctx->ec_const_from[g]; cb = INFINITY; } \
  } while (0)
  if (a->status == ST_ACTIVE) CAREER();
  /* per-person measures act from the start of the year (nothing to flush yet) */
#define IVFIX() do { if (ctx->has_person_iv && a->status == ST_ACTIVE) interventions_fix_pshare(a, ctx, age); } while (0)
  IVFIX();
  /* the coverage draw of a later-retirement measure, once a year (a hash) */
  const int late_covered = ctx->late_iv >= 0 && a->status != ST_GONE && interventions_late_covered(a, ctx);
  /* Integrated-hazard inversion: E is a unit exponential "budget"; each
   * constant-hazard segment spends L * dt of it; the event happens where the
   * budget runs out.  Boundaries cost no random number.  Flow integrals are
   * flushed only when the cell, position share or sick state changes. */
  double E = pcg32_exp1(&rng);
  double t_seg = t;
  int c_seg = a->status == ST_ACTIVE ? cell_of(a, age) : 0;
#define FLUSH() do { integrate(a, c_seg, t - t_seg, T); t_seg = t; } while (0)
#define RECELL() do { c_seg = cell_of(a, age); } while (0)
  while (t < t_end) {
    /* ---- boundaries reached at t: derived from t, so rounding cannot loop ---- */
    if (t >= nb) {
      int nage = age_at(a->birth, t);
      nb = a->birth + (double)(nage + 1);
      FLUSH();
      if (nage > AGE_MAX) { /* the model's age limit: everyone left retires */
        if (a->status == ST_ACTIVE) tally_exit(T, a, age, EXIT_RETIREMENT);
        a->status = ST_GONE;
        break;
      }
      if (a->status == ST_ACTIVE && AGE_BAND(nage) != AGE_BAND(age)) {
        tally_exit(T, a, age, EXIT_AGE_OUT);
        T->entries[IX2(ENTRY_AGE_IN, N_CELLS, cell_of(a, nage))]++;
      }
      age = nage;
      if (a->status == ST_ACTIVE) RECELL();
      IVFIX();
    }
    if (t >= cb) CAREER();
    if (a->status == ST_STUDENT && t >= a->t_mark) {
      employment_enter(a, age, t, ENTRY_GRADUATION, T, &rng, p); /* Norwegian programmes only */
      if (a->career) doctors_on_entry(a, ctx, T, age, t, &rng);
      events++;
      t_seg = t;
      RECELL();
      CAREER();
      IVFIX();
    }
    if ((a->flags & AF_SICK_MASK) && t >= a->t_mark) {
      FLUSH();
      int long_spell = (a->flags & AF_SICK_LONG) != 0;
      a->flags &= (uint8_t)~(AF_SICK_MASK | AF_SICK_LONG);
      events++;
      /* A doctor-certified spell that reached the one-year cap ends in
       * work-assessment allowance (AAP): the person is no longer working. */
      if (long_spell) {
        employment_change_sector(a, age, SEC_NOT_WORKING, T, &rng, p);
        RECELL();
      }
    }
    /* a physician's scheduled career event (t_stage is infinite for everyone else) */
    if (t >= (double)a->t_stage && a->status == ST_ACTIVE) {
      FLUSH();
      doctors_stage_event(a, ctx, T, age, t, &rng);
      events++;
      RECELL();
      IVFIX();
    }

    /* ---- total hazard in force from t to the next boundary ---- */
    const int ai = age - AGE_MIN;
    double bound = t_end;
    if (nb < bound) bound = nb;
    double L, ec = 1.0;
    int late = 0;
    const struct hazard_row *h = NULL;
    if (a->status == ST_STUDENT) {
      if (a->t_mark < bound) bound = a->t_mark;
      L = p->mortality[sx][ai] + ctx->dropout[g];
    } else {
      const int s = a->sector;
      h = &ctx->rows[HROW(g, sx, s, ai)];
      if (SECTOR_IS_HEALTH(s)) {
        if (cb < bound) bound = cb;
        ec = ctx->ec[g][yrs];
        if ((a->flags & AF_SICK_MASK) && a->t_mark < bound) bound = a->t_mark;
      }
      if ((double)a->t_stage < bound) bound = (double)a->t_stage;
      late = late_covered && interventions_late_targets(a, ctx, age);
      L = active_total(h, a->flags & AF_ABROAD, ec, a->flags & AF_SICK_MASK, a->pshare, late);
    }
    double dt = bound - t;
    if (L * dt < E) { /* nothing happens before the boundary: spend the budget */
      E -= L * dt;
      t = bound;
      continue;
    }
    t += E / L;
    if (t >= bound) t = bound; /* rounding: the event sits on the boundary */
    E = pcg32_exp1(&rng);

    /* ---- which event: categorical draw proportional to the hazards ---- */
    int k;
    if (a->status == ST_STUDENT) {
      k = pcg32_uniform(&rng) * L < p->mortality[sx][ai] ? EV_DEATH : EV_DROPOUT;
    } else {
      k = active_select(h, a->flags & AF_ABROAD, ec, a->flags & AF_SICK_MASK, a->pshare, late,
                        pcg32_uniform(&rng) * L);
    }
    if (k == EV_SICK_SELF || k == EV_SICK_DOCTOR) {
      /* Thinning: candidate spells arrive at the seasonal maximum rate and
       * are kept with probability season(q) / max (exact for a Poisson
       * process with a piecewise-constant rate). */
      int q = (int)((t - y0) * 4.0);
      if (q > 3) q = 3;
      if (pcg32_uniform(&rng) >= ctx->season_accept[q]) continue;
    }
    events++;

    switch (k) {
    case EV_DEATH:
    case EV_EMIGRATION:
    case EV_DISABILITY:
    case EV_RETIREMENT:
      if (a->status == ST_ACTIVE) {
        static const int cause[] = {EXIT_DEATH, EXIT_EMIGRATION, EXIT_DISABILITY,
                                    EXIT_RETIREMENT};
        FLUSH();
        tally_exit(T, a, age, cause[k - EV_DEATH]);
      }
      a->status = ST_GONE;
      goto done_events;
    case EV_DROPOUT:
      a->status = ST_GONE;
      goto done_events;
    case EV_EXIT_OUTSIDE:
    case EV_EXIT_NOT_WORKING:
    case EV_MOVE_1:
    case EV_MOVE_2:
    case EV_REENTRY: {
      if ((k == EV_MOVE_1 || k == EV_MOVE_2) && doctors_locked(a))
        break; /* in a training post or holding a list: the programme decides the sector */
      int to = k == EV_EXIT_OUTSIDE       ? SEC_OUTSIDE
               : k == EV_EXIT_NOT_WORKING ? SEC_NOT_WORKING
               : k == EV_MOVE_1           ? (a->sector + 1) % 3
               : k == EV_MOVE_2           ? (a->sector + 2) % 3
                                          : employment_entry_sector(p, g, pcg32_uniform(&rng));
      FLUSH();
      employment_change_sector(a, age, to, T, &rng, p);
      RECELL();
      IVFIX();
      break;
    }
    case EV_SICK_SELF:
    case EV_SICK_DOCTOR: {
      int type = k == EV_SICK_SELF ? SICK_SELF : SICK_DOCTOR, capped;
      const int s = a->sector;
      const int si = ctx->sick_sidx[g][sx][s][type];
      const double cap = type == SICK_SELF ? SICK_CAP_SELF_DAYS : SICK_CAP_DOCTOR_DAYS;
      double d = si >= 0 ? sickleave_duration_tab(&rng, ctx->sick_emu[g][sx][s][type],
                                                   ctx->sig_tab + (size_t)si * (RNG_NQ + 1), cap,
                                                   &capped)
                         : sickleave_duration(&rng, ctx->sick_mu[g][sx][s][type],
                                              ctx->sick_sigma[g][sx][s][type], cap, &capped);
      FLUSH();
      a->flags |= type == SICK_SELF ? AF_SICK_SELF : AF_SICK_DOC;
      if (capped && type == SICK_DOCTOR) a->flags |= AF_SICK_LONG;
      a->t_mark = t + d;
      T->sick_spells_started++;
      break;
    }
    case EV_PSHARE_UP:
    case EV_PSHARE_DOWN:
      FLUSH();
      a->pshare = position_step(a->pshare, k == EV_PSHARE_UP ? +1 : -1);
      IVFIX();
      break;
    default:
      break;
    }
  }
  FLUSH();
done_events:
  T->events += events;
done:
#undef FLUSH
#undef RECELL
#undef CAREER
#undef IVFIX
  a->rng = rng.state;
  if (a->status == ST_ACTIVE || a->status == ST_STUDENT) lifecourse_snapshot(a, t_end, T);
}
