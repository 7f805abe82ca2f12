/**
 * @file event.h
 * @brief The event loop's types: the competing events and their table, the
 *        year's hazard rows, the context of one simulated year, and the loop
 *        state that event handlers act on.  The loop itself is
 *        agents/lifecourse.c.
 *
 * One table of events (agents/lifecourse.c, `event_table`) lists, for every
 * competing event of an active agent, the hazard term it belongs to, its
 * place in that term's sum, the fitted multiplier that scales it and the
 * handler (in the module that owns the process) that applies it.  The loop
 * derives both the total hazard and the categorical choice of the event from
 * that table, so the two can never disagree.  docs/developing.md shows how to
 * add a process.
 */
#ifndef HWSIM_EVENT_H
#define HWSIM_EVENT_H

#include <stdint.h>

#include "agent.h"
#include "params.h"
#include "rng.h"
#include "scenario.h"
#include "tally.h"

struct doctor_year;

/**
 * The competing events of an active agent, in the order of the categorical
 * draw (most frequent first); students have their own two (death, dropout).
 * Emigration and retirement come in two variants each, of which the agent's
 * state switches exactly one on (educated abroad; covered by a later-retirement
 * measure).
 */
enum event {
  EV_SICK_SELF,
  EV_SICK_DOCTOR, /* a sick spell starts */
  EV_PSHARE_UP,
  EV_PSHARE_DOWN, /* position share changes */
  EV_EXIT_OUTSIDE,
  EV_EXIT_NOT_WORKING, /* leave the health services */
  EV_MOVE_1,
  EV_MOVE_2,  /* to the other two health sectors */
  EV_REENTRY, /* back into a health sector */
  EV_DEATH,
  EV_EMIGRATION,
  EV_EMIGRATION_ABROAD,
  EV_DISABILITY,
  EV_RETIREMENT,
  EV_RETIREMENT_LATE, /* leave the model */
  EV_CONVERT,         /* qualify into another group (conversion.c) */
  N_EVENTS
};

/**
 * Hazard terms: events whose hazards the agent's state switches on, off or
 * scales together.  The total hazard is the sum of the terms in this order,
 * each times its gate (0, 1, or the early-career multiplier).
 */
enum hazard_term {
  HT_OTHER,       /**< always on: death, disability, sector moves, re-entry, conversion */
  HT_EMIG,        /**< educated in Norway */
  HT_EMIG_ABROAD, /**< educated abroad */
  HT_EXIT,        /**< x the early-career multiplier */
  HT_RETIRE,      /**< not covered by a later-retirement measure */
  HT_RETIRE_LATE, /**< covered by one */
  HT_SICK,        /**< not on sick leave */
  HT_UP,          /**< position share below 100 % */
  HT_DOWN,        /**< position share above the lowest step */
  N_TERMS
};

/**
 * Hazards in force for one (group, sex, sector, single-year age) in one year,
 * precomputed in the sequential phase.  Sick-leave incidence is stored at its
 * seasonal maximum (thinning); exit hazards before the early-career multiplier.
 */
struct hazard_row {
  float lam[N_EVENTS]; /**< each event's hazard */
  float term[N_TERMS]; /**< each term's sum, in event_table's rank order */
};
#define N_SIG_TABLES 8
#define HROW(g, sx, s, ai) ((((g)*N_SEXES + (sx)) * N_SECTORS + (s)) * N_AGES + (ai))
#define N_HROWS (N_GROUPS * N_SEXES * N_SECTORS * N_AGES)

/** Everything one year's advance needs, read-only in the parallel phase. */
struct engine_ctx {
  const struct params *p;
  uint64_t seed;
  uint64_t replicate;
  int year;                      /**< calendar year being simulated: t in [year, year + 1) */
  const struct hazard_row *rows; /**< N_HROWS rows for this year */
  double season_max;             /**< max of the quarterly sick-leave multipliers */
  double season_accept[4];       /**< season[q] / season_max */
  double dropout[N_GROUPS];      /**< students' dropout hazard this year */
  int ec_const_from[N_GROUPS];   /**< early-career multiplier constant from this year on */
  double sick_mu[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES];    /**< lognormal log-mean */
  double sick_sigma[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES]; /**< lognormal log-sd */
  double ec[N_GROUPS][N_CAREER_YEARS]; /**< early-career exit multipliers in force this year */
  /* Spell lengths without exp(): days = exp(mu) x exp(sigma z) with exp(sigma z)
   * tabulated on the normal quantile grid for each distinct sigma (a handful). */
  double *sig_tab; /**< [N_SIG_TABLES][RNG_NQ + 1], owned by the engine */
  double sick_emu[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES];       /**< exp(mu) */
  signed char sick_sidx[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES]; /**< table, or -1: exp() */
  const struct scenario *scn; /**< for the per-person interventions */
  int has_person_iv;          /**< a pshare floor, long shifts or later retirement is in force */
  int late_iv;                /**< index of the later-retirement measure in force, or -1 */
  int ext_iv;                 /**< index of the extend-working-life measure in force, or -1 */
  int thin_iv;   /**< a hazard measure with uptake < 1 is in force: persons are thinned */
  int behaviour; /**< the scenario's behaviour (position-share elasticities, shift-work ratio)
                      is on: its candidates are thinned too */
  /** behaviour's reference position share p_ref and envelope of (p / p_ref)^e per (exits 0 or
   *  sick leave 1, group, health sector, age), set with the rows (interventions.c) */
  double beh_pref[2][N_GROUPS][N_HSECTORS][N_AGES], beh_env[2][N_GROUPS][N_HSECTORS][N_AGES];
  /** behaviour's shift-work ratio r (1: off) and, per (group, health sector) with rota share s,
   *  the day worker's exit factor 1 / (s r + 1 - s) and the envelope max(r, 1) of it */
  double beh_shift_r, beh_shift_norm[N_GROUPS][N_HSECTORS], beh_shift_env[N_GROUPS][N_HSECTORS];
  const struct doctor_year *doc; /**< the doctors' track this year (NULL or doc->on = 0: off) */
};

/** The state of one agent's year that the loop and the event handlers share. */
struct ev_loop {
  struct agent *a;
  const struct engine_ctx *ctx;
  struct tally *T;
  struct pcg32 rng;
  double t;     /**< now */
  double t_seg; /**< start of the flow segment not yet integrated */
  int age;      /**< completed years at t */
  int c_seg;    /**< the cube cell of the segment */
};

/** What an event handler did. */
enum ev_outcome {
  EVO_DONE,    /**< the event happened; the agent is still in the model */
  EVO_LEFT,    /**< the agent left the model (flows already flushed) */
  EVO_REJECTED /**< a thinned candidate that did not happen (not counted) */
};

/** One row of the event table. */
struct event_def {
  const char *name;
  enum hazard_term term; /**< the term whose gate applies */
  int rank;              /**< position in that term's sum (float sums keep their order) */
  int mult;              /**< fitted multiplier (enum mult_process in params.h), or -1 */
  enum ev_outcome (*apply)(struct ev_loop *L, int ev); /**< the owning module's handler */
};

/** The table, in enum event order (agents/lifecourse.c). */
extern const struct event_def event_table[N_EVENTS];

/** @brief Apply the scenario's interventions in force to the year's rows and ctx (interventions.c).
 */
void interventions_prepare_year(struct engine_ctx *ctx, struct hazard_row *rows);

#endif
