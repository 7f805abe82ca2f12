/**
 * @file employment.c
 * @brief Entry into work, exits from the health and care services (to work
 *        outside health, or to not working), re-entry, and moves between the
 *        three health sectors (turnover within health is not a loss to the
 *        system).  Exit hazards are multiplied by an early-career factor by
 *        completed years since entry into work (the nurse cohort studies).
 */
#include "process.h"

#include "lifecourse.h"

#include "doctors.h"

void employment_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai)
{
  (void)sx;
  if (SECTOR_IS_HEALTH(s)) {
    h->lam[EV_EXIT_OUTSIDE] = (float)p->exit_outside[g][ai];
    h->lam[EV_EXIT_NOT_WORKING] = (float)p->exit_not_working[g][ai];
    h->lam[EV_MOVE_1] = (float)p->sector_move[g][s][(s + 1) % N_HSECTORS];
    h->lam[EV_MOVE_2] = (float)p->sector_move[g][s][(s + 2) % N_HSECTORS];
  } else {
    h->lam[EV_REENTRY] = (float)p->reentry[g][s == SEC_OUTSIDE ? 0 : 1][ai];
  }
}

enum ev_outcome employment_apply(struct ev_loop *L, int ev)
{
  struct agent *a = L->a;
  if ((ev == EV_MOVE_1 || ev == EV_MOVE_2) && doctors_locked(a))
    return EVO_DONE; /* in a training post or holding a list: the programme decides the sector */
  const struct params *p = L->ctx->p;
  int to = ev == EV_EXIT_OUTSIDE       ? SEC_OUTSIDE
           : ev == EV_EXIT_NOT_WORKING ? SEC_NOT_WORKING
           : ev == EV_MOVE_1           ? (a->sector + 1) % N_HSECTORS
           : ev == EV_MOVE_2           ? (a->sector + 2) % N_HSECTORS
                             : employment_entry_sector(p, a->group, pcg32_uniform(&L->rng));
  ev_flush(L);
  employment_change_sector(a, L->age, to, L->T, &L->rng, p);
  ev_recell(L);
  ev_ivfix(L);
  return EVO_DONE;
}

int employment_ec_const_from(const double *ec)
{
  /* Past this many completed years the multiplier no longer changes, so the
   * event loop stops placing anniversary boundaries. */
  int from = N_CAREER_YEARS - 1;
  while (from > 0 && ec[from - 1] == ec[N_CAREER_YEARS - 1])
    from--;
  return from;
}

int employment_entry_sector(const struct params *p, int g, double u)
{
  /* New graduates, immigrants with a new authorisation and new hires start
   * in a health sector, in the proportions of the group's base stock across
   * the three health sectors (assumption: they enter the health and care
   * services, HELSEMOD's "entry"; leaving is the exit hazards' job, and the
   * nurse cohort studies show > 90 % in the services two years out). */
  double tot = p->base_sector[g][0] + p->base_sector[g][1] + p->base_sector[g][2];
  if (tot <= 0) return SEC_MUNICIPAL;
  double x = u * tot;
  if (x < p->base_sector[g][0]) return SEC_MUNICIPAL;
  if (x < p->base_sector[g][0] + p->base_sector[g][1]) return SEC_SPECIALIST;
  return SEC_OTHER_HEALTH;
}

/**
 * @brief Move an active agent to another sector, with its tallies; for a
 *        physician, the career track's consequences (doctors_on_move).
 */
void employment_change_sector(struct agent *a, int age, int to, struct tally *T, struct pcg32 *r,
                              const struct params *p)
{
  int from = a->sector;
  tally_exit(T, a, age, EXIT_TRANSFER_OUT);
  T->transitions[IX3(a->group, N_SECTORS, from, N_SECTORS, to)]++;
  a->sector = (uint8_t)to;
  a->flags &= (uint8_t) ~(AF_SICK_MASK | AF_SICK_LONG);
  if (to == SEC_NOT_WORKING)
    a->pshare = 0;
  else if (a->pshare == 0 || from == SEC_OUTSIDE || to == SEC_OUTSIDE)
    a->pshare = position_draw(p, a->group, to, age, pcg32_uniform(r));
  T->entries[IX2(ENTRY_TRANSFER_IN, N_CELLS, cell_of(a, age))]++;
  if (a->career) doctors_on_move(a, T); /* training ends outside health, a GP off the list */
}

/**
 * @brief Where an entrant who does not start in the health services starts:
 *        outside or not working, in the proportions of the group's base stock.
 */
static int employment_entry_elsewhere(const struct params *p, int g, double u)
{
  const double out = p->base_sector[g][SEC_OUTSIDE], nw = p->base_sector[g][SEC_NOT_WORKING];
  if (out + nw <= 0) return SEC_OUTSIDE;
  return u * (out + nw) < out ? SEC_OUTSIDE : SEC_NOT_WORKING;
}

/**
 * @brief An arriving or graduating person becomes active at age @p age: in a
 *        health sector with the channel's entry propensity (params_entry_share),
 *        else outside or not working, from where re-entry may bring them in.
 *        A propensity of 1 draws no number for it, so data without entry.csv
 *        give the same streams as before it existed.
 */
void employment_enter(struct agent *a, int age, double t, int src, struct tally *T, struct pcg32 *r,
                      const struct params *p)
{
  a->status = ST_ACTIVE;
  const double share = src < N_ENTRY_CHANNELS ? params_entry_share(p, a->group, src, age) : 1.0;
  if (share < 1.0 && pcg32_uniform(r) >= share)
    a->sector = (uint8_t)employment_entry_elsewhere(p, a->group, pcg32_uniform(r));
  else
    a->sector = (uint8_t)employment_entry_sector(p, a->group, pcg32_uniform(r));
  a->pshare = position_draw(p, a->group, a->sector, age, pcg32_uniform(r));
  a->t_career = (float)t;
  a->flags &= (uint8_t) ~(AF_SICK_MASK | AF_SICK_LONG);
  if (src == ENTRY_GRADUATION) a->flags |= AF_GRADUATE;
  T->entries[IX2(src, N_CELLS, cell_of(a, age))]++;
}
