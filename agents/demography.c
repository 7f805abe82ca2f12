/**
 * @file demography.c
 * @brief Death and emigration: hazards by sex and age (mortality) and by
 *        place of education and age (emigration); both remove the person.
 */
#include "process.h"

void demography_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai)
{
  (void)g;
  (void)s;
  h->death = (float)p->mortality[sx][ai];
  h->emig[0] = (float)p->emigration[0][ai]; /* educated in Norway */
  h->emig[1] = (float)p->emigration[1][ai]; /* educated abroad */
}
