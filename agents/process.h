/**
 * @file process.h
 * @brief The life-course processes, one module each, and the small inline
 *        helpers they share with the event loop (agents/lifecourse.c).
 *
 *  - demography.c  death and emigration
 *  - retirement.c  old-age retirement and disability
 *  - employment.c  entry into work, exits from and re-entry to the health
 *                  services, moves between health sectors, early-career effects
 *  - position.c    position share: distributions and moves on the ladder
 *  - sickleave.c   self- and doctor-certified spells, seasonality, long spells
 *  - education.c   study intake, the pipeline at base, dropout, graduation
 *  - migration.c   immigration, returning graduates from abroad, recruitment
 *
 * Each module fills its part of the year's hazard rows (struct hazard_row:
 * lam[event]) and applies its own events through the handler that the table
 * of events (agents/lifecourse.c) names.
 */
#ifndef HWSIM_PROCESS_H
#define HWSIM_PROCESS_H

#include <math.h>

#include "agent.h"
#include "event.h"
#include "rng.h"
#include "tally.h"

struct population;

#define DAYS_PER_YEAR 365.25
#define SICK_CAP_SELF_DAYS 8.0     /* self-certified absence is at most 8 days (IA rules) */
#define SICK_CAP_DOCTOR_DAYS 365.0 /* sickness benefit ends after one year -> AAP */

/** @brief Integer age at time t, robust to rounding at the birthday itself. */
static inline int age_at(double birth, double t)
{
  int a = (int)(t - birth); /* t > birth for everyone alive: truncation is floor */
  if (birth + (double)(a + 1) <= t)
    a++;
  else if (birth + (double)a > t)
    a--;
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
  T->exits[IX2(cause, N_CELLS, cell_of(a, age))]++;
  T->exits_age[IX3(cause, N_GROUPS, a->group, N_AGES, age - AGE_MIN)]++;
}

/** @brief Sick-spell length in years: lognormal (log-mean mu, log-sd sigma), at least one day,
 * capped. */
static inline double sickleave_duration(struct pcg32 *r, double mu, double sigma, double cap_days,
                                        int *capped)
{
  double days = exp(mu + sigma * pcg32_normal_fast(r));
  if (days < 1.0) days = 1.0;
  *capped = days >= cap_days;
  if (*capped) days = cap_days;
  return days / DAYS_PER_YEAR;
}

/**
 * @brief The same draw through a table: days = exp(mu) x T(u), T the table of
 *        exp(sigma z) on the normal quantile grid, interpolated linearly
 *        exactly where pcg32_normal_fast interpolates z (one uniform either way).
 */
static inline double sickleave_duration_tab(struct pcg32 *r, double emu, const double *T,
                                            double cap_days, int *capped)
{
  double x = pcg32_uniform(r) * RNG_NQ;
  int i = (int)x;
  double days = emu * (T[i] + (x - i) * (T[i + 1] - T[i]));
  if (days < 1.0) days = 1.0;
  *capped = days >= cap_days;
  if (*capped) days = cap_days;
  return days / DAYS_PER_YEAR;
}

/** @brief Accumulate position-share x time over a segment into the flow tallies. */
static inline void integrate(const struct agent *a, int c, double dt, struct tally *T)
{
  if (a->pshare == 0 || dt <= 0 || a->status != ST_ACTIVE) return;
  int64_t u = (int64_t)((double)a->pshare * dt * MICRO + 0.5); /* positive: round half up */
  T->fte_avg[c] += u;
  if (a->flags & AF_SICK_MASK)
    T->sick[IX2(c, N_SICK_TYPES, (a->flags & AF_SICK_DOC) ? SICK_DOCTOR : SICK_SELF)] += u;
  else
    T->fte_worked[c] += u;
}

/* ---- demography.c ---- */
/** @brief Death and emigration hazards of row h (group g, sex sx, sector s, age index ai). */
void demography_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai);

/** @brief Death and emigration (EV_DEATH, EV_EMIGRATION, EV_EMIGRATION_ABROAD). */
enum ev_outcome demography_apply(struct ev_loop *L, int ev);

/* ---- retirement.c ---- */
/** @brief Old-age retirement and disability hazards of row h. */
void retirement_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai);

/** @brief Disability and old-age retirement (EV_DISABILITY, EV_RETIREMENT, EV_RETIREMENT_LATE). */
enum ev_outcome retirement_apply(struct ev_loop *L, int ev);

/* ---- employment.c ---- */
/** @brief Exit, re-entry and sector-move hazards of row h. */
void employment_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai);
/** @brief First completed year from which the early-career multipliers ec[] are constant. */
int employment_ec_const_from(const double *ec);
/** @brief Health sector for an entrant or re-entrant, by the base health-sector shares. */
int employment_entry_sector(const struct params *p, int g, double u);
/** @brief Move an active agent to another sector, with its tallies (and, for a physician,
 * doctors_on_move). */
void employment_change_sector(struct agent *a, int age, int to, struct tally *T, struct pcg32 *r,
                              const struct params *p);
/** @brief An arriving or graduating person starts work at time t, age @p age. */
void employment_enter(struct agent *a, int age, double t, int src, struct tally *T, struct pcg32 *r,
                      const struct params *p);

/** @brief Leaving the health services, moving between its sectors, re-entry. */
enum ev_outcome employment_apply(struct ev_loop *L, int ev);

/* ---- position.c ---- */
/** @brief Position-share ladder hazards of row h. */
void position_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai);
/** @brief Draw a position share for an employed person (ladder value, percent). */
uint8_t position_draw(const struct params *p, int g, int sector, int age, double u);
/** @brief Next ladder value above (dir > 0) or below the current position share. */
uint8_t position_step(uint8_t cur, int dir);

/** @brief A step up or down the position-share ladder. */
enum ev_outcome position_apply(struct ev_loop *L, int ev);

/* ---- sickleave.c ---- */
/** @brief Sick-spell incidence of row h, at the seasonal maximum (thinning). */
void sickleave_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai,
                     double season_max);
/** @brief The year's seasonal acceptance ratios and lognormal spell parameters. */
void sickleave_prepare(struct engine_ctx *ctx);
/** Per (group, sex, health sector, type): i d (share of time on leave), lognormal mu, sigma. */
struct sick_init {
  double id[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES];
  double mu[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES];
  double sg[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES];
};
/** @brief Fill the table sickleave_init_state_t reads. */
void sickleave_init_prepare(const struct params *p, struct sick_init *si);
/** @brief Put a base-population agent in the stationary sick-leave state (may leave it well). */
void sickleave_init_state_t(struct agent *a, const struct sick_init *si, double t0,
                            struct pcg32 *r);
/** @brief The same, computing the table on the spot (for single agents: tests and tools). */
void sickleave_init_state(struct agent *a, const struct params *p, double t0, struct pcg32 *r);
/** @brief E[min(max(X, 1), cap)] days for X lognormal(mu, sigma). */
double sickleave_capped_mean_days(double mu, double sigma, double cap);

/* ---- conversion.c ---- */
/** @brief The hazard of changing group (conversion.csv) of row h: health sectors only. */
void conversion_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai);
/** @brief Change group (EV_CONVERT): the destination drawn in proportion to its hazard. */
enum ev_outcome conversion_apply(struct ev_loop *L, int ev);

/* ---- education.c ---- */
/** @brief Students' dropout hazard in @p year for group g (from the completion share). */
double education_dropout(const struct params *p, int g, int year);
/** @brief The students in the pipeline at the base date (sequential phase). */
void education_base_students(const struct params *p, const struct scenario *s, int r,
                             struct pcg32 *rng, struct population *pop);
/** @brief This year's study intake (sequential phase). */
void education_intake(const struct params *p, const struct scenario *s, int r, int year,
                      struct population *pop);

/* ---- interventions.c ---- */
/**
 * @brief The per-person measures (position-share floor, long shifts) for an
 *        active agent at age @p age: may raise its position share.  Coverage
 *        is a stateless hash of (seed, replicate, agent key, measure), so it
 *        never consumes the agent's own stream (common random numbers).
 * @return 1 if the position share changed.
 */
int interventions_fix_pshare(struct agent *a, const struct engine_ctx *ctx, int age);
/**
 * @brief Whether the employed agent works rotating shifts: a stateless hash of (seed,
 *        replicate, agent key) below rota.csv's share of its group and health sector.  The same
 *        person in the same sector has the same answer in every scenario (common random
 *        numbers), and a move to a sector with a higher share never turns a shift worker into
 *        a day worker.  0 outside the health sectors.
 */
int interventions_on_shifts(const struct agent *a, const struct engine_ctx *ctx);
/** @brief Whether the later-retirement measure's uptake covers this agent this year (a hash). */
int interventions_late_covered(const struct agent *a, const struct engine_ctx *ctx);
/** @brief Whether the agent is in the measure's target cells now (group, sector, age). */
int interventions_late_targets(const struct agent *a, const struct engine_ctx *ctx, int age);
/**
 * @brief A pshare_floor's full_time_cap as coverage: of the employed of (g, sector, age) a share
 *        S0 holds `level` or more in the data's position-share distribution; raising a share
 *        theta of the others brings it to S0 + theta (1 - S0), so theta = (cap - S0) / (1 - S0)
 *        (0 when S0 >= cap) makes it the cap.  1 without a cap (cap 0).
 */
double interventions_cap_coverage(const struct params *p, double level, double cap, int g,
                                  int sector, int age);
/** @brief Whether event @p ev is an exit from work that extend_working_life postpones
 *         (old-age/AFP retirement, disability, leaving the labour force). */
int interventions_is_work_exit(int ev);
/**
 * @brief extend_working_life: if the measure in force covers this agent (a hash per person and
 *        measure below the uptake) and @p ev, due at time @p t and age @p age < before_age, is
 *        an exit from work, schedule it `years` later (at before_age at the latest with
 *        cap_at_age) in a->t_exit / a->exit_ev and return 1; else 0 (the event happens now).
 */
int interventions_postpone_exit(struct agent *a, const struct engine_ctx *ctx, int age, double t,
                                int ev);
/** The event code of a student's dropout for interventions_accept (students have their own
 *  two events, not in enum event). */
#define IV_EV_DROPOUT N_EVENTS
/**
 * @brief Hazard measures with uptake u < 1 cover persons, not an expected factor: the rows
 *        carry the envelope max(1, f) and a candidate event @p ev of this agent (age @p age,
 *        @p yrs completed years in work) is kept with this probability: the product over the
 *        measures in force with u < 1 acting on it of (covered ? f : 1) / max(1, f), covered
 *        being the person's hash below u.  1 when no such measure acts (no draw is needed).
 */
double interventions_accept(const struct agent *a, const struct engine_ctx *ctx, int ev, int age,
                            int yrs);
/** @brief The spell-length factor of the sick_leave measures with uptake < 1 that cover this
 *         agent (their duration_factor), 1 when none. */
double interventions_sick_duration(const struct agent *a, const struct engine_ctx *ctx, int age);
/** @brief Effective multiplier of a factor-type measure: 1 - uptake (1 - factor). */
double interventions_effective_factor(const struct intervention *iv, double factor, int year);

/* ---- migration.c ---- */
/** @brief This year's immigrants, returning graduates and recruits (sequential phase). */
void migration_arrivals(const struct params *p, const struct scenario *s, int r, int year,
                        struct population *pop);

/* ---- the event loop's helpers, for the event handlers (agents/lifecourse.c) ---- */
/** @brief Flush the flow integrals of the segment [t_seg, t) (before any change of state). */
static inline void ev_flush(struct ev_loop *L)
{
  integrate(L->a, L->c_seg, L->t - L->t_seg, L->T);
  L->t_seg = L->t;
}

/** @brief The agent's cell changed (sector, age band): the next segment's cell. */
static inline void ev_recell(struct ev_loop *L)
{
  L->c_seg = cell_of(L->a, L->age);
}

/** @brief Re-apply the per-person measures (position-share floors) after a change. */
static inline void ev_ivfix(struct ev_loop *L)
{
  if (L->ctx->has_person_iv && L->a->status == ST_ACTIVE)
    interventions_fix_pshare(L->a, L->ctx, L->age);
}

#endif
