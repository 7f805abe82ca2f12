/**
 * @file lifecourse.c
 * @brief One agent's year in continuous time: competing risks with
 *        piecewise-constant hazards.
 *
 * Method.  Between two "boundaries" (a birthday, a quarter end for the
 * seasonal sick-leave incidence, an anniversary of entry into work for the
 * early-career multipliers, the end of a sick spell, graduation, year end)
 * every hazard is constant.  The competing-risk clock of K independent
 * exponential events with rates l_1..l_K is equivalent to one exponential
 * waiting time with rate L = sum l_k followed by a categorical choice of the
 * event with probabilities l_k / L (the minimum of independent exponentials
 * is exponential with the summed rate and its argmin is independent of it).
 * Because the exponential is memoryless, a waiting time that crosses a
 * boundary is discarded and redrawn from the boundary: this is exact, and
 * only the hazards the boundary changed differ in the redraw.  All draws come
 * from the agent's own PCG32 stream, so the result does not depend on which
 * thread advances the agent.
 *
 * The processes, each a section below: demography (death, emigration),
 * retirement and disability, employment (exit from the health services,
 * re-entry, moves between health sectors), position share, sick leave,
 * education (graduation, dropout).
 */
#include <math.h>
#include <string.h>

#include "engine.h"
#include "rng.h"

#define DAYS_PER_YEAR 365.25
#define SICK_CAP_SELF_DAYS 8.0    /* self-certified absence is at most 8 days (IA rules) */
#define SICK_CAP_DOCTOR_DAYS 365.0 /* sickness benefit ends after one year -> AAP */

enum event {
  EV_DEATH, EV_EMIGRATION, EV_DISABILITY, EV_RETIREMENT, /* leave the model */
  EV_EXIT_OUTSIDE, EV_EXIT_NOT_WORKING,                  /* leave the health services */
  EV_MOVE_1, EV_MOVE_2,                                  /* to the other two health sectors */
  EV_REENTRY,                                            /* back into a health sector */
  EV_SICK_SELF, EV_SICK_DOCTOR,                          /* a sick spell starts */
  EV_PSHARE_UP, EV_PSHARE_DOWN,                          /* position share changes */
  EV_DROPOUT,                                            /* student leaves the programme */
  N_EVENTS
};

/** @brief Integer age at time t, robust to rounding at the birthday itself. */
static inline int age_at(double birth, double t)
{
  int a = (int)(t - birth); /* t > birth for everyone alive: truncation is floor */
  if (birth + (double)(a + 1) <= t) a++;
  else if (birth + (double)a > t) a--;
  return a;
}

/** @brief Completed whole years since time t0 (same rounding rule as age_at). */
static inline int years_since(double t0, double t)
{
  return age_at(t0, t);
}

static inline int cell_of(const struct agent *a, int age)
{
  return CELL(a->group, a->sex, AGE_BAND(age), a->sector);
}

/** @brief Count an exit from the agent's cell, also by single-year age. */
static inline void tally_exit(struct tally *T, const struct agent *a, int age, int cause)
{
  T->exits[cause][cell_of(a, age)]++;
  T->exits_age[cause][a->group][age - AGE_MIN]++;
}

int lifecourse_entry_sector(const struct params *p, int g, double u)
{
  /* New graduates, immigrants with a new authorisation and new hires start
   * in a health sector, in the proportions of the group's base stock across
   * the three health sectors (assumption: they enter the health and care
   * services, HELSEMOD's "entry"; leaving is the exit hazards' job, and the
   * nurse cohort studies show > 90 % in the services two years out). */
  double tot = p->base_sector[g][0] + p->base_sector[g][1] + p->base_sector[g][2];
  if (tot <= 0) return SEC_MUNICIPAL;
  double x = u * tot;
  if (x < p->base_sector[g][0]) return SEC_MUNICIPAL;
  if (x < p->base_sector[g][0] + p->base_sector[g][1]) return SEC_SPECIALIST;
  return SEC_OTHER_HEALTH;
}

uint8_t lifecourse_draw_pshare(const struct params *p, int g, int sector, int age, double u)
{
  if (sector == SEC_NOT_WORKING) return 0;
  if (age < AGE_MIN) age = AGE_MIN;
  if (age > AGE_MAX) age = AGE_MAX;
  const struct pshare_dist *d = &p->pshare[g][sector][age - AGE_MIN];
  for (int k = 0; k < MAX_PSHARE_LEVELS; k++)
    if (u < d->cum[k]) return pshare_ladder[k];
  return 100;
}

/** @brief Next ladder value above (dir > 0) or below the current position share. */
static uint8_t pshare_step(uint8_t cur, int dir)
{
  if (dir > 0) {
    for (int k = 0; k < MAX_PSHARE_LEVELS; k++)
      if (pshare_ladder[k] > cur) return pshare_ladder[k];
    return cur;
  }
  for (int k = MAX_PSHARE_LEVELS - 1; k >= 0; k--)
    if (pshare_ladder[k] < cur) return pshare_ladder[k];
  return cur;
}

/** @brief Sick-spell length in years: lognormal (log-mean mu, log-sd sigma), at least one day, capped. */
static inline double sick_duration(struct pcg32 *r, double mu, double sigma, double cap_days,
                                   int *capped)
{
  double days = exp(mu + sigma * pcg32_normal_fast(r));
  if (days < 1.0) days = 1.0;
  *capped = days >= cap_days;
  if (*capped) days = cap_days;
  return days / DAYS_PER_YEAR;
}

/** @brief E[min(max(X, 1), cap)] for X lognormal(mu, sigma): the mean spell length in days. */
static double capped_mean_days(double mu, double sigma, double cap)
{
  if (sigma <= 0) {
    double d = exp(mu);
    return d < 1 ? 1 : d > cap ? cap : d;
  }
  const double s2 = sigma * sigma, lo = 0.0, hi = log(cap);
#define PHI(x) (0.5 * (1.0 + erf((x) / sqrt(2.0))))
  double mid = exp(mu + 0.5 * s2) * (PHI((hi - mu - s2) / sigma) - PHI((lo - mu - s2) / sigma));
  double m = PHI((lo - mu) / sigma) + mid + (1.0 - PHI((hi - mu) / sigma)) * cap;
#undef PHI
  return m;
}

void lifecourse_init_sick(struct agent *a, const struct params *p, double t0, struct pcg32 *r)
{
  /* Start in the stationary state of the spell process, so the first year is
   * not a burn-in: by renewal theory a person is on leave of type k with
   * probability i_k d_k / (1 + sum_j i_j d_j), and the time left of a spell in
   * progress is U x D*, where D* is length-biased: for a lognormal(mu, s) the
   * length-biased law is lognormal(mu + s^2, s). */
  if (!SECTOR_IS_HEALTH(a->sector) || a->status != ST_ACTIVE) return;
  double id[N_SICK_TYPES], mu[N_SICK_TYPES], sg[N_SICK_TYPES], tot = 1.0;
  static const double cap[N_SICK_TYPES] = {SICK_CAP_SELF_DAYS, SICK_CAP_DOCTOR_DAYS};
  for (int k = 0; k < N_SICK_TYPES; k++) {
    double m = p->sick_mean_days[a->group][a->sex][a->sector][k];
    double sd = p->sick_sd_days[a->group][a->sex][a->sector][k];
    double s2 = m > 0 ? log(1.0 + (sd * sd) / (m * m)) : 0;
    mu[k] = m > 0 ? log(m) - 0.5 * s2 : 0;
    sg[k] = sqrt(s2);
    id[k] = m > 0 ? p->sick_spells[a->group][a->sex][a->sector][k] *
                        capped_mean_days(mu[k], sg[k], cap[k]) / DAYS_PER_YEAR
                  : 0;
    tot += id[k];
  }
  double u = pcg32_uniform(r) * tot;
  for (int k = 0; k < N_SICK_TYPES; k++) {
    if (u >= id[k]) {
      u -= id[k];
      continue;
    }
    double full = exp(mu[k] + sg[k] * sg[k] + sg[k] * pcg32_normal_fast(r));
    int capped = full >= cap[k];
    if (capped) full = cap[k];
    if (full < 1.0) full = 1.0;
    a->flags |= k == SICK_SELF ? AF_SICK_SELF : AF_SICK_DOC;
    if (capped && k == SICK_DOCTOR) a->flags |= AF_SICK_LONG;
    a->t_mark = t0 + pcg32_uniform(r) * full / DAYS_PER_YEAR;
    return;
  }
}

/** @brief Accumulate position-share x time over a segment into the flow tallies. */
static inline void integrate(const struct agent *a, int c, double dt, struct tally *T)
{
  if (a->pshare == 0 || dt <= 0 || a->status != ST_ACTIVE) return;
  int64_t u = (int64_t)((double)a->pshare * dt * MICRO + 0.5); /* positive: round half up */
  T->fte_avg_u[c] += u;
  if (a->flags & AF_SICK_MASK)
    T->sick_u[c][(a->flags & AF_SICK_DOC) ? SICK_DOCTOR : SICK_SELF] += u;
  else
    T->fte_worked_u[c] += u;
}

/** @brief Move an active agent to another sector, with its tallies. */
static void change_sector(struct agent *a, int age, int to, struct tally *T, struct pcg32 *r,
                          const struct params *p)
{
  int from = a->sector;
  tally_exit(T, a, age, EXIT_TRANSFER_OUT);
  T->transitions[a->group][from][to]++;
  a->sector = (uint8_t)to;
  a->flags &= (uint8_t)~(AF_SICK_MASK | AF_SICK_LONG);
  if (to == SEC_NOT_WORKING)
    a->pshare = 0;
  else if (a->pshare == 0 || from == SEC_OUTSIDE || to == SEC_OUTSIDE)
    a->pshare = lifecourse_draw_pshare(p, a->group, to, age, pcg32_uniform(r));
  T->entries[ENTRY_TRANSFER_IN][cell_of(a, age)]++;
}

/** @brief An arriving or graduating person becomes active at age @p age. */
static void become_active(struct agent *a, int age, double t, int src, struct tally *T,
                          struct pcg32 *r, const struct params *p)
{
  a->status = ST_ACTIVE;
  a->sector = (uint8_t)lifecourse_entry_sector(p, a->group, pcg32_uniform(r));
  a->pshare = lifecourse_draw_pshare(p, a->group, a->sector, age, pcg32_uniform(r));
  a->t_career = (float)t;
  a->flags &= (uint8_t)~(AF_SICK_MASK | AF_SICK_LONG);
  if (src == ENTRY_GRADUATION) a->flags |= AF_GRADUATE;
  T->entries[src][cell_of(a, age)]++;
}

void lifecourse_snapshot(const struct agent *a, double t_end, struct tally *T)
{
  if (a->status == ST_STUDENT) {
    T->students[a->group][a->sex]++;
    return;
  }
  if (a->status != ST_ACTIVE) return;
  int age = age_at(a->birth, t_end);
  int c = cell_of(a, age);
  T->persons[c]++;
  if (a->flags & AF_GRADUATE) {
    int k = (int)(t_end - (double)a->t_career);
    if (k >= 0 && k < N_GRAD_YEARS) T->graduates[a->group][k][a->sector]++;
  }
  if (a->sector != SEC_NOT_WORKING) {
    T->fte[c] += a->pshare;
    T->pshare_band[a->group][a->sector][PSHARE_BAND(a->pshare)]++;
  }
}

void lifecourse_prepare_year(struct engine_ctx *ctx, struct hazard_row *rows)
{
  const struct params *p = ctx->p;
  double smax = 0;
  for (int q = 0; q < 4; q++)
    if (p->sick_season[q] > smax) smax = p->sick_season[q];
  ctx->season_max = smax;
  for (int q = 0; q < 4; q++) ctx->season_accept[q] = smax > 0 ? p->sick_season[q] / smax : 0;
  /* lognormal parameters with the tables' mean and sd of spell length (days) */
  for (int g = 0; g < N_GROUPS; g++)
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int s = 0; s < N_HSECTORS; s++)
        for (int k = 0; k < N_SICK_TYPES; k++) {
          double m = p->sick_mean_days[g][sx][s][k], sd = p->sick_sd_days[g][sx][s][k];
          double s2 = m > 0 ? log(1.0 + (sd * sd) / (m * m)) : 0;
          ctx->sick_mu[g][sx][s][k] = m > 0 ? log(m) - 0.5 * s2 : 0;
          ctx->sick_sigma[g][sx][s][k] = sqrt(s2);
        }
  for (int g = 0; g < N_GROUPS; g++) {
    const struct edu_row *e = params_edu_row(p, g, ctx->year);
    ctx->dropout[g] = 0;
    if (e && e->completion > 0 && e->completion < 1) ctx->dropout[g] = -log(e->completion) / e->duration;
    else if (e && e->completion <= 0) ctx->dropout[g] = 50.0;
    int from = N_CAREER_YEARS - 1;
    while (from > 0 && p->early_career[g][from - 1] == p->early_career[g][N_CAREER_YEARS - 1]) from--;
    ctx->ec_const_from[g] = from;
  }
  for (int g = 0; g < N_GROUPS; g++)
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int s = 0; s < N_SECTORS; s++)
        for (int ai = 0; ai < N_AGES; ai++) {
          struct hazard_row *h = &rows[HROW(g, sx, s, ai)];
          memset(h, 0, sizeof *h);
          h->death = (float)p->mortality[sx][ai];
          h->emig[0] = (float)p->emigration[0][ai];
          h->emig[1] = (float)p->emigration[1][ai];
          h->disab = (float)p->disability[g][sx][ai];
          h->retire = (float)p->retirement[g][ai];
          if (SECTOR_IS_HEALTH(s)) {
            h->exit_out = (float)p->exit_outside[g][ai];
            h->exit_nw = (float)p->exit_not_working[g][ai];
            h->move1 = (float)p->sector_move[g][s][(s + 1) % 3];
            h->move2 = (float)p->sector_move[g][s][(s + 2) % 3];
            h->sick_self = (float)(p->sick_spells[g][sx][s][SICK_SELF] * smax);
            h->sick_doc = (float)(p->sick_spells[g][sx][s][SICK_DOCTOR] * smax);
          } else {
            h->reentry = (float)p->reentry[g][s == SEC_OUTSIDE ? 0 : 1][ai];
          }
          if (s != SEC_NOT_WORKING) {
            h->up = (float)p->pshare_up[g][ai];
            h->down = (float)p->pshare_down[g][ai];
          }
          h->other = h->death + h->disab + h->retire + h->move1 + h->move2 + h->reentry;
          h->exit_sum = h->exit_out + h->exit_nw;
          h->sick_sum = h->sick_self + h->sick_doc;
        }
}

/** @brief The hazards of every event for an active agent, in the order of enum event. */
static inline double active_hazards(const struct hazard_row *h, int abroad, double ec, int sick,
                                    int pshare, double *lam)
{
  lam[EV_DEATH] = h->death;
  lam[EV_EMIGRATION] = h->emig[abroad];
  lam[EV_DISABILITY] = h->disab;
  lam[EV_RETIREMENT] = h->retire;
  lam[EV_EXIT_OUTSIDE] = ec * h->exit_out;
  lam[EV_EXIT_NOT_WORKING] = ec * h->exit_nw;
  lam[EV_MOVE_1] = h->move1;
  lam[EV_MOVE_2] = h->move2;
  lam[EV_REENTRY] = h->reentry;
  lam[EV_SICK_SELF] = sick ? 0.0 : h->sick_self;
  lam[EV_SICK_DOCTOR] = sick ? 0.0 : h->sick_doc;
  lam[EV_PSHARE_UP] = pshare < 100 ? h->up : 0.0;
  lam[EV_PSHARE_DOWN] = pshare > pshare_ladder[0] ? h->down : 0.0;
  lam[EV_DROPOUT] = 0;
  double L = 0;
  for (int k = 0; k < N_EVENTS; k++) L += lam[k];
  return L;
}

/** @brief Total hazard only (the hot path): the terms of active_hazards, pre-summed. */
static inline double active_total(const struct hazard_row *h, int abroad, double ec, int sick,
                                  int pshare)
{
  double L = (double)h->other + (double)h->emig[abroad] + ec * (double)h->exit_sum;
  if (!sick) L += h->sick_sum;
  if (pshare < 100) L += h->up;
  if (pshare > pshare_ladder[0]) L += h->down;
  return L;
}

void lifecourse_advance_year(struct agent *a, const struct engine_ctx *ctx, struct tally *T)
{
  if (a->status == ST_GONE) return;
  const struct params *p = ctx->p;
  const double y0 = (double)ctx->year, t_end = y0 + 1.0;
  struct pcg32 rng = {a->rng, rng_agent_inc(ctx->seed, ctx->replicate, a->key)};
  double t = y0;
  const int g = a->group, sx = a->sex;
  int64_t events = 0;
  if (a->status == ST_PENDING) {
    if (a->t_mark >= t_end) goto done;
    t = a->t_mark > y0 ? a->t_mark : y0;
    become_active(a, age_at(a->birth, t), t, a->entry_src, T, &rng, p);
  }
  if (a->status == ST_STUDENT && (double)a->t_career > t) t = (double)a->t_career; /* admitted later this year */
  int age = age_at(a->birth, t);
  /* Integrated-hazard inversion: E is a unit exponential "budget"; each
   * constant-hazard segment spends L * dt of it; the event happens where the
   * budget runs out.  Boundaries cost no random number.  Flow integrals are
   * flushed only when the cell, position share or sick state changes. */
  double E = -log(pcg32_uniform(&rng));
  double t_seg = t;
  int c_seg = a->status == ST_ACTIVE ? cell_of(a, age) : 0;
#define FLUSH() do { integrate(a, c_seg, t - t_seg, T); t_seg = t; } while (0)
#define RECELL() do { c_seg = cell_of(a, age); } while (0)
  double lam[N_EVENTS];
  while (t < t_end) {
    /* ---- boundaries reached at t: derived from t, so rounding cannot loop ---- */
    int nage = age_at(a->birth, t);
    if (nage != age) {
      FLUSH();
      if (nage > AGE_MAX) { /* the model's age limit: everyone left retires */
        if (a->status == ST_ACTIVE) tally_exit(T, a, age, EXIT_RETIREMENT);
        a->status = ST_GONE;
        break;
      }
      if (a->status == ST_ACTIVE && AGE_BAND(nage) != AGE_BAND(age)) {
        tally_exit(T, a, age, EXIT_AGE_OUT);
        T->entries[ENTRY_AGE_IN][cell_of(a, nage)]++;
      }
      age = nage;
      if (a->status == ST_ACTIVE) RECELL();
    }
    if (a->status == ST_STUDENT && t >= a->t_mark) {
      become_active(a, age, t, (a->flags & AF_ABROAD) ? ENTRY_ABROAD_GRAD : ENTRY_GRADUATION, T,
                    &rng, p);
      events++;
      t_seg = t;
      RECELL();
    }
    if ((a->flags & AF_SICK_MASK) && t >= a->t_mark) {
      FLUSH();
      int long_spell = (a->flags & AF_SICK_LONG) != 0;
      a->flags &= (uint8_t)~(AF_SICK_MASK | AF_SICK_LONG);
      events++;
      /* A doctor-certified spell that reached the one-year cap ends in
       * work-assessment allowance (AAP): the person is no longer working. */
      if (long_spell) {
        change_sector(a, age, SEC_NOT_WORKING, T, &rng, p);
        RECELL();
      }
    }

    /* ---- total hazard in force from t to the next boundary ---- */
    const int ai = age - AGE_MIN;
    double bound = t_end, nb = a->birth + (double)(age + 1);
    if (nb < bound) bound = nb;
    double L, ec = 1.0;
    const struct hazard_row *h = NULL;
    if (a->status == ST_STUDENT) {
      if (a->t_mark < bound) bound = a->t_mark;
      L = p->mortality[sx][ai] + ctx->dropout[g];
    } else {
      const int s = a->sector;
      h = &ctx->rows[HROW(g, sx, s, ai)];
      if (SECTOR_IS_HEALTH(s)) {
        int yrs = years_since((double)a->t_career, t);
        if (yrs < 0) yrs = 0;
        if (yrs < ctx->ec_const_from[g]) {
          double cb = (double)a->t_career + (double)(yrs + 1);
          if (cb < bound) bound = cb;
        } else {
          yrs = ctx->ec_const_from[g];
        }
        ec = p->early_career[g][yrs];
        if ((a->flags & AF_SICK_MASK) && a->t_mark < bound) bound = a->t_mark;
      }
      L = active_total(h, a->flags & AF_ABROAD, ec, a->flags & AF_SICK_MASK, a->pshare);
    }
    double dt = bound - t;
    if (L * dt < E) { /* nothing happens before the boundary: spend the budget */
      E -= L * dt;
      t = bound;
      continue;
    }
    t += E / L;
    if (t >= bound) t = bound; /* rounding: the event sits on the boundary */
    E = -log(pcg32_uniform(&rng));

    /* ---- which event: categorical draw proportional to the hazards ---- */
    int k;
    if (a->status == ST_STUDENT) {
      k = pcg32_uniform(&rng) * L < p->mortality[sx][ai] ? EV_DEATH : EV_DROPOUT;
    } else {
      double Lk = active_hazards(h, a->flags & AF_ABROAD, ec, a->flags & AF_SICK_MASK, a->pshare, lam);
      double x = pcg32_uniform(&rng) * Lk, cum = 0;
      for (k = 0; k < N_EVENTS - 1; k++) {
        cum += lam[k];
        if (x < cum && lam[k] > 0) break;
      }
      while (lam[k] <= 0 && k > 0) k--; /* guard against x == L rounding */
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
        tally_exit(T, a, age, cause[k]);
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
      int to = k == EV_EXIT_OUTSIDE       ? SEC_OUTSIDE
               : k == EV_EXIT_NOT_WORKING ? SEC_NOT_WORKING
               : k == EV_MOVE_1           ? (a->sector + 1) % 3
               : k == EV_MOVE_2           ? (a->sector + 2) % 3
                                          : lifecourse_entry_sector(p, g, pcg32_uniform(&rng));
      FLUSH();
      change_sector(a, age, to, T, &rng, p);
      RECELL();
      break;
    }
    case EV_SICK_SELF:
    case EV_SICK_DOCTOR: {
      int type = k == EV_SICK_SELF ? SICK_SELF : SICK_DOCTOR, capped;
      const int s = a->sector;
      double d = sick_duration(&rng, ctx->sick_mu[g][sx][s][type], ctx->sick_sigma[g][sx][s][type],
                               type == SICK_SELF ? SICK_CAP_SELF_DAYS : SICK_CAP_DOCTOR_DAYS,
                               &capped);
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
      a->pshare = pshare_step(a->pshare, k == EV_PSHARE_UP ? +1 : -1);
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
  a->rng = rng.state;
  if (a->status == ST_ACTIVE || a->status == ST_STUDENT) lifecourse_snapshot(a, t_end, T);
}
