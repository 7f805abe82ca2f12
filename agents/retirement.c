/**
 * @file retirement.c
 * @brief Old-age / AFP retirement and disability: hazards by group (and sex
 *        for disability) and age, for everyone in the stock whatever their
 *        sector.  The nurses' special age limit (65, the 85-year rule from 62)
 *        is in the shape of the retirement hazards; everyone still present at
 *        75 leaves at that birthday (the model's age limit, in lifecourse.c).
 *        Long doctor-certified spells lead to disability through the
 *        not-working state (see sickleave.c).
 */
#include "process.h"

#include "lifecourse.h"

void retirement_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai)
{
  (void)s;
  h->lam[EV_DISABILITY] = (float)p->disability[g][sx][ai];
  h->lam[EV_RETIREMENT] = (float)p->retirement[g][ai];
  /* those a later-retirement measure covers: the same until interventions.c shifts it */
  h->lam[EV_RETIREMENT_LATE] = h->lam[EV_RETIREMENT];
}

enum ev_outcome retirement_apply(struct ev_loop *L, int ev)
{
  return lifecourse_leave(L, ev == EV_DISABILITY ? EXIT_DISABILITY : EXIT_RETIREMENT);
}
