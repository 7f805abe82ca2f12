/**
 * @file sickleave.h
 * @brief The sick-leave module's event handler, inline: sick spells are the
 *        most frequent events, and the loop (agents/lifecourse.c) calls it
 *        directly from the table of events.  The rest of the module is
 *        agents/sickleave.c.
 */
#ifndef HWSIM_SICKLEAVE_H
#define HWSIM_SICKLEAVE_H

#include "doctors.h"
#include "process.h"

/** A GP's absence from this long on is served by a locum (a month; 004:L2101-2107 counts the
 *  practices served by a locum for a month or more). */
#define GP_LOCUM_MIN_YEARS (30.0 / 365.0)

/** @brief A candidate spell: kept by seasonal thinning, then its length is drawn. */
static inline __attribute__((always_inline)) enum ev_outcome sickleave_apply(struct ev_loop *L,
                                                                             int ev)
{
  struct agent *a = L->a;
  const struct engine_ctx *ctx = L->ctx;
  /* Thinning: candidate spells arrive at the seasonal maximum rate and are
   * kept with probability season(q) / max (exact for a Poisson process with
   * a piecewise-constant rate). */
  int q = (int)((L->t - (double)ctx->year) * N_QUARTERS);
  if (q > N_QUARTERS - 1) q = N_QUARTERS - 1;
  if (pcg32_uniform(&L->rng) >= ctx->season_accept[q]) return EVO_REJECTED;
  const int type = ev == EV_SICK_SELF ? SICK_SELF : SICK_DOCTOR, g = a->group, sx = a->sex,
            s = a->sector;
  const int si = ctx->sick_sidx[g][sx][s][type];
  const double cap = type == SICK_SELF ? SICK_CAP_SELF_DAYS : SICK_CAP_DOCTOR_DAYS;
  /* a sick_leave measure with uptake < 1 lengthens the covered persons' spells only */
  const double fd = ctx->thin_iv ? interventions_sick_duration(a, ctx, L->age) : 1.0;
  int capped;
  double d = si >= 0
                 ? sickleave_duration_tab(&L->rng, ctx->sick_emu[g][sx][s][type] * fd,
                                          ctx->sig_tab + (size_t)si * (RNG_NQ + 1), cap, &capped)
                 : sickleave_duration(&L->rng, ctx->sick_mu[g][sx][s][type] + log(fd),
                                      ctx->sick_sigma[g][sx][s][type], cap, &capped);
  ev_flush(L);
  a->flags |= type == SICK_SELF ? AF_SICK_SELF : AF_SICK_DOC;
  if (capped && type == SICK_DOCTOR) a->flags |= AF_SICK_LONG;
  a->t_mark = L->t + d;
  L->T->sick_spells_started++;
  /* a GP away a month or more: the list is served by a locum meanwhile */
  if ((a->career & CR_GP) && d >= GP_LOCUM_MIN_YEARS) L->T->doctor_flows[DF_GP_LOCUM_SPELLS]++;
  return EVO_DONE;
}

/** @brief The current spell ends at L->t (flows already flushed); a capped doctor-certified spell
 * ends in AAP. */
static inline void sickleave_end(struct ev_loop *L)
{
  struct agent *a = L->a;
  const int long_spell = (a->flags & AF_SICK_LONG) != 0;
  a->flags &= (uint8_t) ~(AF_SICK_MASK | AF_SICK_LONG);
  /* A doctor-certified spell that reached the one-year cap ends in
   * work-assessment allowance (AAP): the person is no longer working. */
  if (long_spell) {
    employment_change_sector(a, L->age, SEC_NOT_WORKING, L->T, &L->rng, L->ctx->p);
    ev_recell(L);
  }
}

#endif
