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
  int a = (int)floor(t - birth);
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

int lifecourse_entry_sector(const struct params *p, int g, double u)
{
  /* New entrants go to a health sector or work outside health in the
   * proportions of the base stock, excluding not_working (assumption: a new
   * graduate, immigrant or hire has a job to come to). */
  double tot = 0;
  for (int s = 0; s < SEC_NOT_WORKING; s++) tot += p->base_sector[g][s];
  double x = u * tot, c = 0;
  for (int s = 0; s < SEC_NOT_WORKING; s++) {
    c += p->base_sector[g][s];
    if (x < c) return s;
  }
  return SEC_MUNICIPAL;
}

/** @brief Health sector for a person re-entering, by the base health-sector shares. */
static int reentry_sector(const struct params *p, int g, double u)
{
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

/** @brief Sick-spell length in years: lognormal with the given mean and sd (days), capped. */
static double sick_duration(struct pcg32 *r, double mean, double sd, double cap_days, int *capped)
{
  double days = mean;
  if (sd > 0) {
    double s2 = log(1.0 + (sd * sd) / (mean * mean));
    days = exp(log(mean) - 0.5 * s2 + sqrt(s2) * pcg32_normal(r));
  }
  if (days < 1.0) days = 1.0;
  *capped = days >= cap_days;
  if (*capped) days = cap_days;
  return days / DAYS_PER_YEAR;
}

/** @brief Accumulate position-share x time over [t0, t1) into the flow tallies. */
static inline void integrate(const struct agent *a, int c, double dt, struct tally *T)
{
  if (a->pshare == 0 || dt <= 0) return;
  int64_t u = llround((double)a->pshare * dt * MICRO);
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
  T->exits[EXIT_TRANSFER_OUT][cell_of(a, age)]++;
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
  if (a->sector != SEC_NOT_WORKING) {
    T->fte[c] += a->pshare;
    T->pshare_band[a->group][a->sector][PSHARE_BAND(a->pshare)]++;
  }
}

void lifecourse_advance_year(struct agent *a, const struct engine_ctx *ctx, struct tally *T)
{
  if (a->status == ST_GONE) return;
  const struct params *p = ctx->p;
  const double y0 = (double)ctx->year, t_end = y0 + 1.0;
  struct pcg32 rng = {a->rng, rng_agent_inc(ctx->seed, ctx->replicate, a->key)};
  double t = y0;
  const int g = a->group, sx = a->sex;
  int age;
  if (a->status == ST_PENDING) {
    if (a->t_mark >= t_end) goto done;
    t = a->t_mark > y0 ? a->t_mark : y0;
    age = age_at(a->birth, t);
    become_active(a, age, t, a->entry_src, T, &rng, p);
  }
  if (a->status == ST_STUDENT && (double)a->t_career > t) t = (double)a->t_career; /* admitted later this year */
  age = age_at(a->birth, t);
  int64_t events = 0;
  double lam[N_EVENTS];
  while (t < t_end) {
    /* ---- boundaries reached at t: derived from t, so rounding cannot loop ---- */
    int nage = age_at(a->birth, t);
    if (nage != age) {
      if (nage > AGE_MAX) { /* the model's age limit: everyone left retires */
        if (a->status == ST_ACTIVE) T->exits[EXIT_RETIREMENT][cell_of(a, age)]++;
        a->status = ST_GONE;
        break;
      }
      if (a->status == ST_ACTIVE && AGE_BAND(nage) != AGE_BAND(age)) {
        T->exits[EXIT_AGE_OUT][cell_of(a, age)]++;
        T->entries[ENTRY_AGE_IN][cell_of(a, nage)]++;
      }
      age = nage;
    }
    if (a->status == ST_STUDENT && t >= a->t_mark) {
      become_active(a, age, t, (a->flags & AF_ABROAD) ? ENTRY_ABROAD_GRAD : ENTRY_GRADUATION, T,
                    &rng, p);
      events++;
    }
    if ((a->flags & AF_SICK_MASK) && t >= a->t_mark) {
      int long_spell = (a->flags & AF_SICK_LONG) != 0;
      a->flags &= (uint8_t)~(AF_SICK_MASK | AF_SICK_LONG);
      events++;
      /* A doctor-certified spell that reached the one-year cap ends in
       * work-assessment allowance (AAP): the person is no longer working. */
      if (long_spell) change_sector(a, age, SEC_NOT_WORKING, T, &rng, p);
    }

    /* ---- hazards in force from t to the next boundary ---- */
    const int ai = age - AGE_MIN;
    double bound = t_end, nb = a->birth + (double)(age + 1);
    if (nb < bound) bound = nb;
    double L = 0;
    for (int k = 0; k < N_EVENTS; k++) lam[k] = 0;
    if (a->status == ST_STUDENT) {
      if (a->t_mark < bound) bound = a->t_mark;
      const struct edu_row *e = params_edu_row(p, g, ctx->year);
      lam[EV_DEATH] = p->mortality[sx][ai];
      if (e && e->completion > 0 && e->completion < 1)
        lam[EV_DROPOUT] = -log(e->completion) / e->duration;
      else if (e && e->completion <= 0)
        lam[EV_DROPOUT] = 50.0;
    } else {
      const int s = a->sector;
      lam[EV_DEATH] = p->mortality[sx][ai];
      lam[EV_EMIGRATION] = p->emigration[(a->flags & AF_ABROAD) ? 1 : 0][ai];
      lam[EV_DISABILITY] = p->disability[g][sx][ai];
      lam[EV_RETIREMENT] = p->retirement[g][ai];
      if (SECTOR_IS_HEALTH(s)) {
        int yrs = years_since((double)a->t_career, t);
        if (yrs < 0) yrs = 0;
        if (yrs < N_CAREER_YEARS - 1) {
          double cb = (double)a->t_career + (double)(yrs + 1);
          if (cb < bound) bound = cb;
        } else {
          yrs = N_CAREER_YEARS - 1;
        }
        double ec = p->early_career[g][yrs];
        lam[EV_EXIT_OUTSIDE] = p->exit_outside[g][ai] * ec;
        lam[EV_EXIT_NOT_WORKING] = p->exit_not_working[g][ai] * ec;
        lam[EV_MOVE_1] = p->sector_move[g][s][(s + 1) % 3];
        lam[EV_MOVE_2] = p->sector_move[g][s][(s + 2) % 3];
        if (a->flags & AF_SICK_MASK) {
          if (a->t_mark < bound) bound = a->t_mark;
        } else {
          int q = (int)((t - y0) * 4.0);
          if (q > 3) q = 3;
          double qb = y0 + 0.25 * (double)(q + 1);
          if (qb <= t) qb += 0.25, q = q < 3 ? q + 1 : 3;
          if (qb < bound) bound = qb;
          double season = p->sick_season[q];
          lam[EV_SICK_SELF] = p->sick_spells[g][sx][s][SICK_SELF] * season;
          lam[EV_SICK_DOCTOR] = p->sick_spells[g][sx][s][SICK_DOCTOR] * season;
        }
      } else {
        lam[EV_REENTRY] = p->reentry[g][s == SEC_OUTSIDE ? 0 : 1][ai];
      }
      if (s != SEC_NOT_WORKING) {
        if (a->pshare < 100) lam[EV_PSHARE_UP] = p->pshare_up[g][ai];
        if (a->pshare > pshare_ladder[0]) lam[EV_PSHARE_DOWN] = p->pshare_down[g][ai];
      }
    }
    for (int k = 0; k < N_EVENTS; k++) L += lam[k];

    const int c = a->status == ST_ACTIVE ? cell_of(a, age) : 0;
    double w = L > 0 ? pcg32_exponential(&rng, L) : INFINITY;
    if (t + w >= bound) { /* nothing happens before the boundary: redraw from there */
      if (a->status == ST_ACTIVE) integrate(a, c, bound - t, T);
      t = bound;
      continue;
    }
    if (a->status == ST_ACTIVE) integrate(a, c, w, T);
    t += w;
    events++;

    /* ---- which event: categorical draw proportional to the hazards ---- */
    double x = pcg32_uniform(&rng) * L, cum = 0;
    int k = 0;
    for (; k < N_EVENTS - 1; k++) {
      cum += lam[k];
      if (x < cum && lam[k] > 0) break;
    }
    while (lam[k] <= 0 && k > 0) k--; /* guard against x == L rounding */

    switch (k) {
    case EV_DEATH:
    case EV_EMIGRATION:
    case EV_DISABILITY:
    case EV_RETIREMENT:
      if (a->status == ST_ACTIVE) {
        static const int cause[] = {EXIT_DEATH, EXIT_EMIGRATION, EXIT_DISABILITY,
                                    EXIT_RETIREMENT};
        T->exits[cause[k]][c]++;
      }
      a->status = ST_GONE;
      goto done_events;
    case EV_DROPOUT:
      a->status = ST_GONE;
      goto done_events;
    case EV_EXIT_OUTSIDE:
      change_sector(a, age, SEC_OUTSIDE, T, &rng, p);
      break;
    case EV_EXIT_NOT_WORKING:
      change_sector(a, age, SEC_NOT_WORKING, T, &rng, p);
      break;
    case EV_MOVE_1:
    case EV_MOVE_2:
      change_sector(a, age, (a->sector + (k == EV_MOVE_1 ? 1 : 2)) % 3, T, &rng, p);
      break;
    case EV_REENTRY:
      change_sector(a, age, reentry_sector(p, g, pcg32_uniform(&rng)), T, &rng, p);
      break;
    case EV_SICK_SELF:
    case EV_SICK_DOCTOR: {
      int type = k == EV_SICK_SELF ? SICK_SELF : SICK_DOCTOR, capped;
      const int s = a->sector;
      double d = sick_duration(&rng, p->sick_mean_days[g][sx][s][type],
                               p->sick_sd_days[g][sx][s][type],
                               type == SICK_SELF ? SICK_CAP_SELF_DAYS : SICK_CAP_DOCTOR_DAYS,
                               &capped);
      a->flags |= type == SICK_SELF ? AF_SICK_SELF : AF_SICK_DOC;
      if (capped && type == SICK_DOCTOR) a->flags |= AF_SICK_LONG;
      a->t_mark = t + d;
      T->sick_spells_started++;
      break;
    }
    case EV_PSHARE_UP:
      a->pshare = pshare_step(a->pshare, +1);
      break;
    case EV_PSHARE_DOWN:
      a->pshare = pshare_step(a->pshare, -1);
      break;
    default:
      break;
    }
  }
done_events:
  T->events += events;
done:
  a->rng = rng.state;
  if (a->status != ST_GONE && a->status != ST_PENDING) lifecourse_snapshot(a, t_end, T);
  else if (a->status == ST_PENDING) { /* arrives next year: nothing to tally */ }
}
