/**
 * @file conversion.c
 * @brief Changing group without entering or leaving the workforce: an
 *        assistant who takes the health care worker's trade certificate at
 *        work (practice candidate, "fagbrev på jobb"), a nurse who qualifies
 *        as a public health nurse or a midwife.  The person keeps its age,
 *        years in work and sick spell, and its sector when conversion.csv says
 *        `keep` (the certificate at work); with `entry` (the further
 *        education, whose posts are in health stations and delivery wards) it
 *        starts in a sector drawn from the destination group's base stock, as
 *        that group's graduates do; that move is part of the conversion, not a
 *        `transitions` count.  It leaves its cell as `conversion_out` and
 *        enters the new group's as `conversion_in`, and the `conversions`
 *        dataset counts the move by from-group and to-group, so no person is
 *        ever in two groups and none is added.  Hazards from conversion.csv,
 *        in the health sectors only (the certificate and the further
 *        education are taken while working there).
 */
#include "process.h"

#include "lifecourse.h"

/** @brief The hazard of g's k-th conversion at age index ai, times the fitted multiplier of
 *         conversions into its destination (mult[MP_CONVERT][to]). */
static double conversion_rate(const struct params *p, int g, int k, int ai)
{
  return p->conv[g][k][ai] * p->mult[MP_CONVERT][p->conv_to[g][k]][AGE_BAND(ai + AGE_MIN)];
}

void conversion_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai)
{
  (void)sx;
  if (!SECTOR_IS_HEALTH(s)) return;
  double tot = 0;
  for (int k = 0; k < p->n_conv[g]; k++)
    tot += conversion_rate(p, g, k, ai);
  h->lam[EV_CONVERT] = (float)tot;
}

enum ev_outcome conversion_apply(struct ev_loop *L, int ev)
{
  (void)ev;
  struct agent *a = L->a;
  const struct params *p = L->ctx->p;
  const int g = a->group, ai = L->age - AGE_MIN;
  /* the destination in proportion to its hazard (one uniform), the new
   * position share from the new group's distribution (another) */
  double tot = 0;
  for (int k = 0; k < p->n_conv[g]; k++)
    tot += conversion_rate(p, g, k, ai);
  const double x = pcg32_uniform(&L->rng) * tot;
  int k = 0;
  for (double cum = conversion_rate(p, g, 0, ai); k + 1 < p->n_conv[g] && x >= cum;
       cum += conversion_rate(p, g, k, ai))
    k++;
  const int to = p->conv_to[g][k];
  ev_flush(L);
  tally_exit(L->T, a, L->age, EXIT_CONVERSION);
  L->T->conversions[IX2(g, N_GROUPS, to)]++;
  a->group = (uint8_t)to;
  a->flags &= (uint8_t)~AF_GRADUATE; /* the graduate cohorts follow a programme's own graduates */
  if (p->conv_sector_entry[g][k])    /* qualified for posts elsewhere: the destination's sectors */
    a->sector = (uint8_t)employment_entry_sector(p, to, pcg32_uniform(&L->rng));
  a->pshare = position_draw(p, to, a->sector, L->age, pcg32_uniform(&L->rng));
  L->T->entries[IX2(ENTRY_CONVERSION, N_CELLS, cell_of(a, L->age))]++;
  ev_recell(L);
  ev_ivfix(L);
  return EVO_DONE;
}
