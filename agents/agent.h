/**
 * @file agent.h
 * @brief The agent record: one health worker (or student), 56 bytes, hot
 *        fields first.  Physicians also carry a career stage (agents/doctors.c); a postponed
 *        exit (extend_working_life) its due time and event.  The random
 * stream's increment is not stored: it is recomputed from (seed, replicate, key) when the agent is
 * advanced.
 */
#ifndef HWSIM_AGENT_H
#define HWSIM_AGENT_H

#include <stdint.h>

enum agent_status {
  ST_ACTIVE,  /**< in the stock: has the education, age AGE_MIN..AGE_MAX */
  ST_STUDENT, /**< in a Norwegian programme; t_mark = planned graduation */
  ST_PENDING, /**< created this year, arrives at t_mark (immigrant, returning graduate, hire) */
  ST_GONE     /**< left the model (death, emigration, disability, retirement, dropout) */
};

/** flags bits */
#define AF_ABROAD 0x01u /**< educated abroad */
#define AF_SICK_SELF 0x02u
#define AF_SICK_DOC 0x04u
#define AF_SICK_MASK (AF_SICK_SELF | AF_SICK_DOC)
#define AF_SICK_LONG 0x08u /**< current doctor-certified spell reached the one-year cap */
#define AF_GRADUATE 0x10u  /**< graduated from a Norwegian programme during the run */
#define AF_LONG_SHIFTS                                                                             \
  0x20u /**< moved to a long-shift rota (its extra position share is given once) */

struct agent {
  uint64_t rng;   /**< PCG32 state */
  double birth;   /**< calendar time of birth (years) */
  double t_mark;  /**< sick-spell end, graduation time or arrival time (by status) */
  uint64_t key;   /**< stable id: keys the random stream (see engine_agent_key) */
  float t_career; /**< calendar time of entry into work (early-career effects) */
  uint8_t group, sex, sector, pshare; /**< pshare in percent (0 when not employed) */
  uint8_t status, flags, entry_src;
  uint8_t career;  /**< physicians: CAREER_STAGE | specialty << 3 | CR_GP | CR_SET (doctors.h) */
  float t_stage;   /**< physicians: time of the next career event; INFINITY when none */
  float t_exit;    /**< a postponed exit from work falls due (valid when exit_ev != 0) */
  uint8_t exit_ev; /**< the postponed exit's event + 1 (extend_working_life), 0 when none */
};

#endif
