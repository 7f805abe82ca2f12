/**
 * @file demography.c
 * @brief Death and emigration: hazards by sex and age (mortality) and by
 *        place of education and age (emigration); both remove the person.
 */
#include "process.h"

#include "lifecourse.h"

void demography_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai)
{
  (void)g;
  (void)s;
  h->lam[EV_DEATH] = (float)p->mortality[sx][ai];
  h->lam[EV_EMIGRATION] = (float)p->emigration[0][ai];        /* educated in Norway */
  h->lam[EV_EMIGRATION_ABROAD] = (float)p->emigration[1][ai]; /* educated abroad */
}

enum ev_outcome demography_apply(struct ev_loop *L, int ev)
{
  return lifecourse_leave(L, ev == EV_DEATH ? EXIT_DEATH : EXIT_EMIGRATION);
}
