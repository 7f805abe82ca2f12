/**
 * @file norway.h
 * @brief Test support for the tests that run the shipped Norway data:
 *        loading it, a scenario of n years, and switching processes off in a
 *        (static) copy of the parameters so expected values follow by hand.
 *        Include after criterion.h, params.h, scenario.h and rng.h, with
 *        START_YEAR defined.
 */
#ifndef HWSIM_TEST_NORWAY_H
#define HWSIM_TEST_NORWAY_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void load_norway(struct params *p)
{
  const char *src = getenv("HWSIM_SOURCE_DIR");
  if (!src || !*src) src = HWSIM_SOURCE_DIR; /* compile-time fallback (hwsimcore's definition) */
  char dir[1024], err[512];
  snprintf(dir, sizeof dir, "%s/calibration/norway", src);
  int rc = params_load(p, dir, err, sizeof err);
  cr_assert_eq(rc, 0, "calibration/norway failed to load: %s", err);
  /* The event loop's lognormal spell lengths use the normal-quantile table;
   * basepop_synthesise initialises it, engine_run_population does not. */
}

static inline void scenario_years(struct scenario *s, int years, uint64_t seed)
{
  memset(s, 0, sizeof *s);
  snprintf(s->name, sizeof s->name, "test");
  s->start_year = START_YEAR;
  s->end_year = START_YEAR + years;
  s->replicates = 1;
  s->seed = seed;
}

/* ---- switching processes off in the static copy ---- */

static inline void zero_removals(struct params *p) /* death, emigration, disability, retirement */
{
  memset(p->mortality, 0, sizeof p->mortality);
  memset(p->emigration, 0, sizeof p->emigration);
  memset(p->disability, 0, sizeof p->disability);
  memset(p->retirement, 0, sizeof p->retirement);
}

static inline void
zero_careers(struct params *p) /* exits, re-entry, moves between health sectors, conversions */
{
  memset(p->n_conv, 0, sizeof p->n_conv);
  memset(p->exit_outside, 0, sizeof p->exit_outside);
  memset(p->exit_not_working, 0, sizeof p->exit_not_working);
  memset(p->reentry, 0, sizeof p->reentry);
  memset(p->sector_move, 0, sizeof p->sector_move);
}

static inline void zero_sick(struct params *p)
{
  memset(p->sick_spells, 0, sizeof p->sick_spells);
}

static inline void zero_pshare_moves(struct params *p)
{
  memset(p->pshare_up, 0, sizeof p->pshare_up);
  memset(p->pshare_down, 0, sizeof p->pshare_down);
}

#endif
