/**
 * @file sickleave.c
 * @brief Sick leave as spells: self-certified (at most 8 days) and
 *        doctor-certified (sickness benefit for at most a year).  Incidence
 *        per person-year at risk by group, sex, sector and type, with
 *        quarterly seasonality applied by thinning; lognormal spell lengths.
 *        A doctor-certified spell that reaches the one-year cap ends in
 *        work-assessment allowance: the person moves to not_working (and
 *        can re-enter or leave through disability from there, at the same
 *        disability hazard as everyone of that group, sex and age).  The base population starts in
 * the stationary state of this renewal process.
 */
#include "process.h"

void sickleave_rates(struct hazard_row *h, const struct params *p, int g, int sx, int s, int ai,
                     double season_max)
{
  (void)ai;
  if (SECTOR_IS_HEALTH(s)) {
    h->lam[EV_SICK_SELF] = (float)(p->sick_spells[g][sx][s][SICK_SELF] * season_max);
    h->lam[EV_SICK_DOCTOR] = (float)(p->sick_spells[g][sx][s][SICK_DOCTOR] * season_max);
  }
}

/** @brief Log-mean and log-sd of the lognormal with mean @p m and sd @p sd (days). */
static void lognormal_params(double m, double sd, double *mu, double *sg)
{
  double s2 = m > 0 ? log(1.0 + (sd * sd) / (m * m)) : 0;
  *mu = m > 0 ? log(m) - 0.5 * s2 : 0;
  *sg = sqrt(s2);
}

void sickleave_prepare(struct engine_ctx *ctx)
{
  const struct params *p = ctx->p;
  double smax = 0;
  for (int q = 0; q < N_QUARTERS; q++)
    if (p->sick_season[q] > smax) smax = p->sick_season[q];
  ctx->season_max = smax;
  for (int q = 0; q < N_QUARTERS; q++)
    ctx->season_accept[q] = smax > 0 ? p->sick_season[q] / smax : 0;
  /* lognormal parameters with the tables' mean and sd of spell length (days) */
  for (int g = 0; g < N_GROUPS; g++)
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int s = 0; s < N_HSECTORS; s++)
        for (int k = 0; k < N_SICK_TYPES; k++) {
          lognormal_params(p->sick_mean_days[g][sx][s][k], p->sick_sd_days[g][sx][s][k],
                           &ctx->sick_mu[g][sx][s][k], &ctx->sick_sigma[g][sx][s][k]);
          /* an assumed-input draw of the spell length scales the median (1: unchanged) */
          const double m = p->mult[MP_SICK_DURATION][g][0];
          if (m != 1.0) ctx->sick_mu[g][sx][s][k] += log(m);
        }
}

/** @brief E[min(max(X, 1), cap)] for X lognormal(mu, sigma): the mean spell length in days. */
double sickleave_capped_mean_days(double mu, double sigma, double cap)
{
  if (sigma <= 0) {
    double d = exp(mu);
    return d < 1 ? 1 : d > cap ? cap : d;
  }
  const double s2 = sigma * sigma, lo = 0.0, hi = log(cap);
#define PHI(x) (0.5 * (1.0 + erf((x) / sqrt(2.0))))
  double mid = exp(mu + 0.5 * s2) * (PHI((hi - mu - s2) / sigma) - PHI((lo - mu - s2) / sigma));
  double m = PHI((lo - mu) / sigma) + mid + (1.0 - PHI((hi - mu) / sigma)) * cap;
#undef PHI
  return m;
}

void sickleave_init_prepare(const struct params *p, struct sick_init *si)
{
  static const double cap[N_SICK_TYPES] = {SICK_CAP_SELF_DAYS, SICK_CAP_DOCTOR_DAYS};
  for (int g = 0; g < N_GROUPS; g++)
    for (int sx = 0; sx < N_SEXES; sx++)
      for (int s = 0; s < N_HSECTORS; s++)
        for (int k = 0; k < N_SICK_TYPES; k++) {
          double m = p->sick_mean_days[g][sx][s][k];
          lognormal_params(m, p->sick_sd_days[g][sx][s][k], &si->mu[g][sx][s][k],
                           &si->sg[g][sx][s][k]);
          si->id[g][sx][s][k] = m > 0 ? p->sick_spells[g][sx][s][k] *
                                            sickleave_capped_mean_days(
                                                si->mu[g][sx][s][k], si->sg[g][sx][s][k], cap[k]) /
                                            DAYS_PER_YEAR
                                      : 0;
        }
}

void sickleave_init_state_t(struct agent *a, const struct sick_init *si, double t0, struct pcg32 *r)
{
  /* Start in the stationary state of the spell process, so the first year is
   * not a burn-in: by renewal theory a person is on leave of type k with
   * probability i_k d_k / (1 + sum_j i_j d_j), and the time left of a spell in
   * progress is U x D*, where D* is length-biased: for a lognormal(mu, s) the
   * length-biased law is lognormal(mu + s^2, s). */
  if (!SECTOR_IS_HEALTH(a->sector) || a->status != ST_ACTIVE) return;
  static const double cap[N_SICK_TYPES] = {SICK_CAP_SELF_DAYS, SICK_CAP_DOCTOR_DAYS};
  const double *id = si->id[a->group][a->sex][a->sector];
  const double *mu = si->mu[a->group][a->sex][a->sector];
  const double *sg = si->sg[a->group][a->sex][a->sector];
  double tot = 1.0;
  for (int k = 0; k < N_SICK_TYPES; k++)
    tot += id[k];
  double u = pcg32_uniform(r) * tot;
  for (int k = 0; k < N_SICK_TYPES; k++) {
    if (u >= id[k]) {
      u -= id[k];
      continue;
    }
    double full = exp(mu[k] + sg[k] * sg[k] + sg[k] * pcg32_normal_fast(r));
    int capped = full >= cap[k];
    if (capped) full = cap[k];
    if (full < 1.0) full = 1.0;
    a->flags |= k == SICK_SELF ? AF_SICK_SELF : AF_SICK_DOC;
    if (capped && k == SICK_DOCTOR) a->flags |= AF_SICK_LONG;
    a->t_mark = t0 + pcg32_uniform(r) * full / DAYS_PER_YEAR;
    return;
  }
}

void sickleave_init_state(struct agent *a, const struct params *p, double t0, struct pcg32 *r)
{
  struct sick_init si; /* one agent at a time (tests and tools): 4 KiB on the stack */
  sickleave_init_prepare(p, &si);
  sickleave_init_state_t(a, &si, t0, r);
}
