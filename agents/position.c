/**
 * @file position.c
 * @brief Position share (stillingsandel): a distribution over the ladder
 *        20, 40, 50, 60, 75, 80, 90, 100 % by group, sector and age for
 *        people starting a job, and moves one step up or down the ladder at
 *        hazards by group and age (part-time rising from about 60: partial
 *        retirement).  Contracted FTE is the sum of position shares.
 */
#include "process.h"

#include "lifecourse.h"

void position_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai)
{
  (void)sx;
  if (s != SEC_NOT_WORKING) {
    h->lam[EV_PSHARE_UP] = (float)p->pshare_up[g][ai];
    h->lam[EV_PSHARE_DOWN] = (float)p->pshare_down[g][ai];
  }
}

enum ev_outcome position_apply(struct ev_loop *L, int ev)
{
  ev_flush(L);
  L->a->pshare = position_step(L->a->pshare, ev == EV_PSHARE_UP ? +1 : -1);
  ev_ivfix(L);
  return EVO_DONE;
}

uint8_t position_draw(const struct params *p, int g, int sector, int age, double u)
{
  if (sector == SEC_NOT_WORKING) return 0;
  const struct pshare_dist *d = PARAMS_PSHARE_DIST(p, g, sector, age);
  for (int k = 0; k < MAX_PSHARE_LEVELS; k++)
    if (u < d->cum[k]) return pshare_ladder[k];
  return PSHARE_FULL;
}

/** @brief Next ladder value above (dir > 0) or below the current position share. */
uint8_t position_step(uint8_t cur, int dir)
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
