/**
 * @file interventions.c
 * @brief Scenario interventions acting on the people they target.
 *
 * Two kinds.  Hazard measures (disability, sick leave, retention, completion,
 * later retirement) change the year's hazard rows for the targeted group x
 * sector x age cells; with uptake u < 1 a hazard factor f acts as the
 * expected factor 1 - u (1 - f).  Person measures (position-share floor,
 * long-shift rotas, later retirement) act on individuals: a person is covered
 * when a stateless hash of (seed, replicate, agent key, measure index) falls
 * below the uptake in force, so coverage grows monotonically during a ramp,
 * and no draw is taken from the agent's own stream: people the measure does
 * not reach live exactly the same life as in the baseline (common random
 * numbers).  Cohort measures (study places, recruitment abroad) are applied
 * in education.c and migration.c.  A measure of size zero (factor 1, level 0,
 * years 0, add 0) changes nothing, bit for bit.
 */
#include "process.h"

#include "scenario.h"

double interventions_effective_factor(const struct intervention *iv, double factor, int year)
{
  double u = intervention_uptake(iv, year);
  return 1.0 - u * (1.0 - factor);
}

/** @brief Whether @p iv multiplies a hazard of the event loop (a hazard measure). */
static int iv_is_hazard(const struct intervention *iv)
{
  return iv->type == IV_DISABILITY || iv->type == IV_SICK_LEAVE || iv->type == IV_RETENTION ||
         iv->type == IV_COMPLETION;
}

/**
 * @brief The factor a hazard measure puts on the shared rows in year y: at full uptake the
 *        factor itself (as 1 - u (1 - f), so results at uptake 1 are unchanged); with uptake
 *        u < 1 the envelope max(1, f), which the loop thins person by person to f for the
 *        covered and to 1 for the others (interventions_accept).
 */
static double row_factor(const struct intervention *iv, double f, int y)
{
  if (intervention_uptake(iv, y) >= 1.0) return interventions_effective_factor(iv, f, y);
  return f > 1.0 ? f : 1.0;
}

/** @brief Whether cell (g, s, age) is targeted by @p iv. */
static inline int iv_targets(const struct intervention *iv, int g, int s, int age)
{
  return (iv->groups >> g & 1u) && (iv->sectors >> s & 1u) && age >= iv->age_from &&
         age <= iv->age_to;
}

/** @brief Uniform in [0, 1) from the hash of (seed, replicate, key, measure). */
static inline double iv_uniform(const struct engine_ctx *ctx, const struct agent *a, int k)
{
  return rng_key_uniform(ctx->seed, ctx->replicate, a->key, RNG_IV_BASE + (uint64_t)k);
}

/** @brief Measure k's year-wide effects: person measures, dropout, spell length, early careers. */
static void iv_prepare_context(struct engine_ctx *ctx, const struct intervention *iv, int k, int y)
{
  switch (iv->type) {
  case IV_PSHARE_FLOOR:
  case IV_LONG_SHIFTS:
    ctx->has_person_iv = 1;
    break;
  case IV_LATER_RETIREMENT:
    ctx->has_person_iv = 1;
    ctx->late_iv = k;
    break;
  case IV_EXTEND_WORKING_LIFE:
    ctx->ext_iv = k;
    break;
  case IV_COMPLETION:
    for (int g = 0; g < N_GROUPS; g++)
      if (iv->groups >> g & 1u) ctx->dropout[g] *= row_factor(iv, iv->factor, y);
    break;
  case IV_SICK_LEAVE: {
    /* with uptake < 1 the covered persons' spells are lengthened one by one
     * (interventions_sick_duration), not everyone's by the expected factor */
    double fd = intervention_uptake(iv, y) >= 1.0
                    ? interventions_effective_factor(iv, iv->duration_factor, y)
                    : 1.0;
    for (int g = 0; g < N_GROUPS; g++)
      for (int sx = 0; sx < N_SEXES; sx++)
        for (int sec = 0; sec < N_HSECTORS; sec++)
          if ((iv->groups >> g & 1u) && (iv->sectors >> sec & 1u) && fd != 1.0)
            for (int t = 0; t < N_SICK_TYPES; t++)
              ctx->sick_mu[g][sx][sec][t] += log(fd);
    break;
  }
  case IV_RETENTION:
    if (iv->first_years > 0) {
      double f = row_factor(iv, iv->factor, y);
      for (int g = 0; g < N_GROUPS; g++)
        if (iv->groups >> g & 1u)
          for (int yy = 0; yy < iv->first_years && yy < N_CAREER_YEARS; yy++)
            ctx->ec[g][yy] *= f;
    }
    break;
  default:
    break;
  }
}

/**
 * @brief The later-retirement hazard of row (g, sx, sec, ai): those who would retire before
 *        `before_age` do so k years later.  The hazard curve is shifted by k years below that
 *        age, and from it on the original curve (the legal age limits) still applies wherever it
 *        is higher.
 */
static void iv_late_row(struct hazard_row *rows, int g, int sx, int sec, int ai,
                        const struct intervention *iv)
{
  struct hazard_row *h = &rows[HROW(g, sx, sec, ai)];
  const int age = ai + AGE_MIN;
  const int kk = iv->years;
  double shifted = ai - kk >= 0 ? rows[HROW(g, sx, sec, ai - kk)].lam[EV_RETIREMENT] : 0.0;
  double orig = h->lam[EV_RETIREMENT];
  float *late = &h->lam[EV_RETIREMENT_LATE];
  if (age < iv->before_age)
    *late = (float)shifted;
  else if (age < iv->before_age + kk)
    *late = (float)(shifted > orig ? shifted : orig);
  else
    *late = (float)orig;
}

/** @brief The hazard-row measures in force in year y on row (g, sx, sec, ai), in scenario order. */
static void iv_prepare_row(const struct scenario *s, int y, struct hazard_row *rows, int g, int sx,
                           int sec, int ai)
{
  struct hazard_row *h = &rows[HROW(g, sx, sec, ai)];
  const int age = ai + AGE_MIN;
  for (int k = 0; k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (y < iv->start || y > iv->end || !iv_targets(iv, g, sec, age)) continue;
    double f = row_factor(iv, iv->factor, y);
    switch (iv->type) {
    case IV_DISABILITY:
      h->lam[EV_DISABILITY] = (float)(h->lam[EV_DISABILITY] * f);
      break;
    case IV_SICK_LEAVE:
      h->lam[EV_SICK_SELF] = (float)(h->lam[EV_SICK_SELF] * f);
      h->lam[EV_SICK_DOCTOR] = (float)(h->lam[EV_SICK_DOCTOR] * f);
      break;
    case IV_RETENTION:
      if (iv->first_years == 0) {
        h->lam[EV_EXIT_OUTSIDE] = (float)(h->lam[EV_EXIT_OUTSIDE] * f);
        h->lam[EV_EXIT_NOT_WORKING] = (float)(h->lam[EV_EXIT_NOT_WORKING] * f);
      }
      break;
    case IV_LATER_RETIREMENT:
      iv_late_row(rows, g, sx, sec, ai, iv);
      break;
    default:
      break;
    }
  }
}

static void behaviour_prepare_rows(struct engine_ctx *ctx, struct hazard_row *rows);

void interventions_prepare_year(struct engine_ctx *ctx, struct hazard_row *rows)
{
  const struct scenario *s = ctx->scn;
  ctx->has_person_iv = 0;
  ctx->late_iv = -1;
  ctx->ext_iv = -1;
  ctx->thin_iv = 0;
  ctx->behaviour = 0;
  if (!s) return;
  const int y = ctx->year;
  for (int k = 0; k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (y < iv->start || y > iv->end) continue;
    iv_prepare_context(ctx, iv, k, y);
    if (iv_is_hazard(iv) && intervention_uptake(iv, y) < 1.0) ctx->thin_iv = 1;
  }
  /* hazard-row measures */
  for (int g = 0; g < N_GROUPS; g++)
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int sec = 0; sec < N_SECTORS; sec++)
        for (int ai = 0; ai < N_AGES; ai++)
          iv_prepare_row(s, y, rows, g, sx, sec, ai);
  behaviour_prepare_rows(ctx, rows);
}

double interventions_cap_coverage(const struct params *p, double level, double cap, int g,
                                  int sector, int age)
{
  if (cap <= 0) return 1.0;
  const struct pshare_dist *d = PARAMS_PSHARE_DIST(p, g, sector, age);
  double at_or_above = 0;
  for (int k = 0; k < MAX_PSHARE_LEVELS; k++)
    if ((double)pshare_ladder[k] >= level) at_or_above += pshare_dist_prob(d, k);
  if (at_or_above >= cap || at_or_above >= 1.0) return 0.0;
  return (cap - at_or_above) / (1.0 - at_or_above);
}

int interventions_on_shifts(const struct agent *a, const struct engine_ctx *ctx)
{
  if (!SECTOR_IS_HEALTH(a->sector)) return 0;
  const double share = ctx->p->rota_share[a->group][a->sector];
  if (share <= 0) return 0;
  return rng_key_uniform(ctx->seed, ctx->replicate, a->key, RNG_SHIFT) < share;
}

/** @brief A pshare_floor's full_time_cap after averaging of working time: weekend work every
 *         k-th weekend instead of the cap's every third needs 3 / k as many persons for weekend
 *         cover (Table 9.2 models 1, 5 and 6: 24, 16 and 32 employees for the same 12 FTE), so
 *         the cap scales by 3 / k, at most 1 (no cap). */
static double iv_rota_cap(const struct intervention *iv)
{
  if (iv->full_time_cap <= 0) return 0;
  const int k = iv->weekend_every > 0 ? iv->weekend_every : 3;
  const double c = iv->full_time_cap * 3.0 / k;
  return c >= 1.0 ? 0 : c;
}

int interventions_fix_pshare(struct agent *a, const struct engine_ctx *ctx, int age)
{
  const struct scenario *s = ctx->scn;
  if (a->sector == SEC_NOT_WORKING || a->pshare == 0) return 0;
  int changed = 0;
  for (int k = 0; k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (iv->type != IV_PSHARE_FLOOR && iv->type != IV_LONG_SHIFTS) continue;
    if (ctx->year < iv->start || ctx->year > iv->end) continue;
    if (!iv_targets(iv, a->group, a->sector, age)) continue;
    double cover = intervention_uptake(iv, ctx->year);
    if (iv->type == IV_PSHARE_FLOOR) {
      if ((double)a->pshare >= iv->level) continue;
      /* the rota limit binds the shift workers; day workers take the floor freely */
      const double cap = iv_rota_cap(iv);
      const double rota =
          cap > 0 && interventions_on_shifts(a, ctx)
              ? interventions_cap_coverage(ctx->p, iv->level, cap, a->group, a->sector, age)
              : 1.0;
      if (iv_uniform(ctx, a, k) >= cover * iv->want_more * rota) continue;
      a->pshare = (uint8_t)(iv->level + 0.5);
      changed = 1;
    } else if (!(a->flags & AF_LONG_SHIFTS)) {
      if (iv_uniform(ctx, a, k) >= cover) continue;
      int v = a->pshare + (int)(iv->level + 0.5);
      a->pshare = (uint8_t)(v > PSHARE_FULL ? PSHARE_FULL : v);
      a->flags |= AF_LONG_SHIFTS;
      changed = 1;
    }
  }
  return changed;
}

int interventions_late_covered(const struct agent *a, const struct engine_ctx *ctx)
{
  const struct intervention *iv = &ctx->scn->iv[ctx->late_iv];
  return iv_uniform(ctx, a, ctx->late_iv) < intervention_uptake(iv, ctx->year);
}

int interventions_late_targets(const struct agent *a, const struct engine_ctx *ctx, int age)
{
  return iv_targets(&ctx->scn->iv[ctx->late_iv], a->group, a->sector, age);
}

/** @brief (p / p_ref)^e at its largest over the position shares 20..100 (the ladder's ends). */
static double behaviour_envelope(double e, double pref)
{
  const double lo = pow(pshare_ladder[0] / pref, e), hi = pow(PSHARE_FULL / pref, e);
  return lo > hi ? lo : hi;
}

/** @brief Behaviour's reference position share of (g, sector, age) for elasticity @p e != 0:
 *         the power mean (sum_k w_k p_k^e)^(1/e) of the data's distribution, so that the mean
 *         of (p / p_ref)^e over the base distribution is 1. */
static double behaviour_pref(const struct params *p, int g, int sector, int age, double e)
{
  const struct pshare_dist *d = PARAMS_PSHARE_DIST(p, g, sector, age);
  double m = 0;
  for (int k = 0; k < MAX_PSHARE_LEVELS; k++)
    m += pshare_dist_prob(d, k) * pow((double)pshare_ladder[k], e);
  return m > 0 ? pow(m, 1.0 / e) : PSHARE_FULL;
}

/**
 * @brief Behaviour (scenario `behaviour:`): the rows of the health sectors carry the envelope
 *        of (p / p_ref)^e on the exit hazards and the sick-leave incidence; the loop thins each
 *        candidate to the person's own factor (interventions_accept).
 */
static void behaviour_prepare_rows(struct engine_ctx *ctx, struct hazard_row *rows)
{
  const struct scenario *s = ctx->scn;
  const double e[2] = {s->exit_pshare_elasticity, s->sick_pshare_elasticity};
  const double r = s->exit_shift_ratio > 0 ? s->exit_shift_ratio : 1.0; /* 0: a zeroed struct */
  ctx->beh_shift_r = r;
  if (e[0] == 0.0 && e[1] == 0.0 && r == 1.0) return;
  ctx->behaviour = 1;
  for (int g = 0; g < N_GROUPS; g++)
    for (int sec = 0; sec < N_HSECTORS; sec++) {
      const double sh = ctx->p->rota_share[g][sec];
      ctx->beh_shift_norm[g][sec] = 1.0 / (sh * r + 1.0 - sh);
      ctx->beh_shift_env[g][sec] = (r > 1.0 && sh > 0 ? r : 1.0) * ctx->beh_shift_norm[g][sec];
    }
  for (int g = 0; g < N_GROUPS; g++)
    for (int sec = 0; sec < N_HSECTORS; sec++)
      for (int ai = 0; ai < N_AGES; ai++) {
        for (int k = 0; k < 2; k++) {
          const double pref = e[k] != 0.0 ? behaviour_pref(ctx->p, g, sec, ai + AGE_MIN, e[k]) : 0;
          ctx->beh_pref[k][g][sec][ai] = pref;
          ctx->beh_env[k][g][sec][ai] = e[k] != 0.0 ? behaviour_envelope(e[k], pref) : 1.0;
        }
        const double fx = ctx->beh_env[0][g][sec][ai] * ctx->beh_shift_env[g][sec],
                     fs = ctx->beh_env[1][g][sec][ai];
        for (int sx = 0; sx < N_SEXES; sx++) {
          struct hazard_row *h = &rows[HROW(g, sx, sec, ai)];
          h->lam[EV_EXIT_OUTSIDE] = (float)(h->lam[EV_EXIT_OUTSIDE] * fx);
          h->lam[EV_EXIT_NOT_WORKING] = (float)(h->lam[EV_EXIT_NOT_WORKING] * fx);
          h->lam[EV_SICK_SELF] = (float)(h->lam[EV_SICK_SELF] * fs);
          h->lam[EV_SICK_DOCTOR] = (float)(h->lam[EV_SICK_DOCTOR] * fs);
        }
      }
}

/** @brief The person's behaviour factor over its envelope for event @p ev (1: not affected). */
static double behaviour_accept(const struct agent *a, const struct engine_ctx *ctx, int ev, int age)
{
  const struct scenario *s = ctx->scn;
  int k;
  if (ev == EV_EXIT_OUTSIDE || ev == EV_EXIT_NOT_WORKING)
    k = 0;
  else if (ev == EV_SICK_SELF || ev == EV_SICK_DOCTOR)
    k = 1;
  else
    return 1.0;
  const double e = k == 0 ? s->exit_pshare_elasticity : s->sick_pshare_elasticity;
  if (!SECTOR_IS_HEALTH(a->sector) || a->pshare == 0) return 1.0;
  double acc = 1.0;
  if (k == 0 && ctx->beh_shift_r != 1.0) {
    const double norm = ctx->beh_shift_norm[a->group][a->sector];
    acc = (interventions_on_shifts(a, ctx) ? ctx->beh_shift_r * norm : norm) /
          ctx->beh_shift_env[a->group][a->sector];
  }
  if (e == 0.0) return acc;
  const int ai = age_clamp(age) - AGE_MIN;
  return acc * pow(a->pshare / ctx->beh_pref[k][a->group][a->sector][ai], e) /
         ctx->beh_env[k][a->group][a->sector][ai];
}

/** @brief Whether hazard measure @p iv acts on event @p ev (IV_EV_DROPOUT: a student's). */
static int iv_acts_on(const struct intervention *iv, int ev, int yrs)
{
  switch (iv->type) {
  case IV_DISABILITY:
    return ev == EV_DISABILITY;
  case IV_SICK_LEAVE:
    return ev == EV_SICK_SELF || ev == EV_SICK_DOCTOR;
  case IV_RETENTION:
    return (ev == EV_EXIT_OUTSIDE || ev == EV_EXIT_NOT_WORKING) &&
           (iv->first_years == 0 || yrs < iv->first_years);
  case IV_COMPLETION:
    return ev == IV_EV_DROPOUT;
  default:
    return 0;
  }
}

double interventions_accept(const struct agent *a, const struct engine_ctx *ctx, int ev, int age,
                            int yrs)
{
  const struct scenario *s = ctx->scn;
  double acc = ctx->behaviour && ev != IV_EV_DROPOUT ? behaviour_accept(a, ctx, ev, age) : 1.0;
  for (int k = 0; k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (ctx->year < iv->start || ctx->year > iv->end || !iv_is_hazard(iv)) continue;
    const double u = intervention_uptake(iv, ctx->year);
    if (u >= 1.0 || !iv_acts_on(iv, ev, yrs)) continue;
    /* completion acts on the group's students; the others on the targeted cells */
    if (ev == IV_EV_DROPOUT ? !(iv->groups >> a->group & 1u)
                            : !iv_targets(iv, a->group, a->sector, age))
      continue;
    const double env = iv->factor > 1.0 ? iv->factor : 1.0;
    acc *= (iv_uniform(ctx, a, k) < u ? iv->factor : 1.0) / env;
  }
  return acc;
}

double interventions_sick_duration(const struct agent *a, const struct engine_ctx *ctx, int age)
{
  const struct scenario *s = ctx->scn;
  double f = 1.0;
  for (int k = 0; k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (iv->type != IV_SICK_LEAVE || ctx->year < iv->start || ctx->year > iv->end) continue;
    const double u = intervention_uptake(iv, ctx->year);
    if (u < 1.0 && iv_targets(iv, a->group, a->sector, age) && iv_uniform(ctx, a, k) < u)
      f *= iv->duration_factor;
  }
  return f;
}

int interventions_is_work_exit(int ev)
{
  return ev == EV_RETIREMENT || ev == EV_RETIREMENT_LATE || ev == EV_DISABILITY ||
         ev == EV_EXIT_NOT_WORKING;
}

int interventions_postpone_exit(struct agent *a, const struct engine_ctx *ctx, int age, double t,
                                int ev)
{
  if (ctx->ext_iv < 0 || !interventions_is_work_exit(ev)) return 0;
  const struct intervention *iv = &ctx->scn->iv[ctx->ext_iv];
  if (age >= iv->before_age || !iv_targets(iv, a->group, a->sector, age)) return 0;
  if (iv_uniform(ctx, a, ctx->ext_iv) >= intervention_uptake(iv, ctx->year)) return 0;
  double due = t + iv->years;
  const double at_age = a->birth + iv->before_age;
  if (iv->cap_at_age && at_age < due) due = at_age;
  if (!(due > t)) return 0; /* years 0: the exit happens now, exactly as without the measure */
  a->t_exit = (float)due;
  if ((double)a->t_exit < t) a->t_exit = (float)t; /* float rounding never moves it earlier */
  a->exit_ev = (uint8_t)(ev + 1);
  return 1;
}
