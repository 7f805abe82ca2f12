/**
 * @file doctors.h
 * @brief The physicians' career track: medical school, the LIS1 queue and
 *        posts, LIS1 (hospital then municipality), specialisation (LIS2/3,
 *        ALIS for general practice) in a specialty family, specialist
 *        approval, and the GP scheme's lists (agents/doctors.c).
 *
 * The stage lives in the agent's `career` byte and its next scheduled event
 * in `t_stage`; the event loop treats t_stage as one more boundary, so for
 * everyone else (t_stage = infinity) the track costs one comparison.
 */
#ifndef HWSIM_DOCTORS_H
#define HWSIM_DOCTORS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "agent.h"
#include "dims.h"

/* career byte: bits 0-2 stage, 3-5 specialty, 6 GP list holder, 7 "set" */
#define CR_STAGE_MASK 7u                             /**< the stage's bits */
#define CR_SPEC_SHIFT 3                              /**< the specialty's first bit */
#define CR_SPEC_BITS 7u                              /**< the specialty's bits, shifted down */
#define CR_SPEC_MASK (CR_SPEC_BITS << CR_SPEC_SHIFT) /**< the specialty's bits in place */
#define CR_STAGE(a) ((a)->career & CR_STAGE_MASK)
#define CR_SPEC(a) (((a)->career >> CR_SPEC_SHIFT) & CR_SPEC_BITS)
#define CR_GP 0x40u /**< holds a GP list (fastlege) */
#define CR_SET                                                                                     \
  0x80u /**< waiting/student: has a LIS1 post; LIS1: specialty decided;                            \
             no_specialty: recruited to ALIS (starts at t_stage) */
/** Internal specialty value of a doctor without specialty who finished LIS1
 *  (eligible for ALIS); shown as "none" in the outputs. */
#define SP_LIS1_DONE 7u

static inline void cr_set(struct agent *a, unsigned stage, unsigned spec)
{
  a->career = (uint8_t)((a->career & (CR_GP | CR_SET)) | stage | spec << CR_SPEC_SHIFT);
}

/** @brief Output specialty index of an agent (SP_LIS1_DONE shows as none). */
static inline int cr_spec_out(const struct agent *a)
{
  unsigned sp = CR_SPEC(a);
  return sp < N_SPECIALTIES ? (int)sp : SP_NONE;
}

/** @brief In a training post or holding a list: generic sector moves do not apply. */
static inline int doctors_locked(const struct agent *a)
{
  unsigned st = CR_STAGE(a);
  return (a->career & CR_GP) || st == CS_LIS1_HOSPITAL || st == CS_LIS1_MUNI || st == CS_LIS;
}

/** What the sequential phase decides for the year (engine_ctx.doc). */
struct doctor_year {
  int on;
  double hours;             /**< mean weekly GP hours in force */
  double list_factor;       /**< patients per list relative to the base (list norm x hours) */
  double lists;             /**< lists to staff at 31 December */
  double listed;            /**< inhabitants on a GP list at 31 December */
  int32_t posts;            /**< LIS1 posts of the year's two rounds */
  int32_t applicants;       /**< applicants, summed over the rounds */
  int year;                 /**< the calendar year prepared */
  int32_t gp_pool;          /**< doctors the municipalities could hire into vacant lists */
  int32_t gp_vacancy_hires; /**< hires into vacant lists the matching gives (before an ALIS
                                 measure sets the total) */
};

/**
 * The physicians' slots in the agent store, kept between years so that the
 * sequential phase reads ~7 % of the store instead of all of it: slots from
 * `scanned` on are new since the last call; a compaction moves agents, so the
 * engine resets the index after one (doctors_index_reset).
 */
struct doctor_index {
  size_t *idx;
  size_t n, cap, scanned;
};

/** @brief Forget the slots (after a compaction); keeps the allocation. */
static inline void doctors_index_reset(struct doctor_index *x)
{
  if (x) x->n = x->scanned = 0;
}

struct params;
struct scenario;
struct population;
struct engine_ctx;
struct tally;
struct pcg32;

/** @brief Give every base physician a stage (doctor_base.csv); sequential.  Out of memory:
 *         the reason in pop->err, as in doctors_prepare_year. */
void doctors_base_assign(const struct params *p, const struct scenario *s, int r,
                         struct population *pop);

/**
 * @brief The year's sequential decisions: new physicians' stages, the two
 *        LIS1 rounds (who gets the posts), the specialty of this year's LIS1
 *        completers (ALIS quota), GPs' list-leaving times, lists to staff.
 *        @p x (may be NULL: scan the whole store) caches the physicians' slots.
 */
void doctors_prepare_year(const struct params *p, const struct scenario *s, int r, int year,
                          struct population *pop, struct doctor_year *dy, struct doctor_index *x);

/** @brief The agent's scheduled career event at time t (parallel phase). */
void doctors_stage_event(struct agent *a, const struct engine_ctx *ctx, struct tally *T, int age,
                         double t, struct pcg32 *r);

/** @brief A physician starts work (graduation or arrival) at time t. */
void doctors_on_entry(struct agent *a, const struct engine_ctx *ctx, struct tally *T, int age,
                      double t, struct pcg32 *r);

/** @brief After a move to sector `a->sector`: training ends outside health, a GP leaves the list.
 */
void doctors_on_move(struct agent *a, struct tally *T);

/**
 * @brief The year's lists to staff and inhabitants on a list (gp_lists.csv)
 *        for patients per list x @p list_factor (1 = base norm and hours).
 */
void doctors_year_lists(const struct params *p, int year, double list_factor,
                        struct doctor_year *dy);

/** @brief Year-end stocks of one physician. */
void doctors_snapshot(const struct agent *a, struct tally *T);

#endif
