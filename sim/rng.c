/**
 * @file rng.c
 * @brief Out-of-line PCG32 routines: jump-ahead and bounded integers.
 */
#include "rng.h"

void pcg32_advance(struct pcg32 *r, uint64_t delta)
{
  /* Compose the LCG step (x -> a x + c) with itself by squaring: after the
   * loop acc_mult, acc_plus are the coefficients of the delta-fold step. */
  uint64_t cur_mult = PCG32_MULT, cur_plus = r->inc;
  uint64_t acc_mult = 1u, acc_plus = 0u;
  while (delta > 0) {
    if (delta & 1u) {
      acc_mult *= cur_mult;
      acc_plus = acc_plus * cur_mult + cur_plus;
    }
    cur_plus = (cur_mult + 1u) * cur_plus;
    cur_mult *= cur_mult;
    delta >>= 1u;
  }
  r->state = acc_mult * r->state + acc_plus;
}

uint32_t pcg32_bounded(struct pcg32 *r, uint32_t bound)
{
  /* Lemire's nearly-divisionless method: the product's high word is the
   * result; reject the few low words that would bias it. */
  uint64_t m = (uint64_t)pcg32_next(r) * bound;
  uint32_t low = (uint32_t)m;
  if (low < bound) {
    uint32_t threshold = (uint32_t)(-bound) % bound;
    while (low < threshold) {
      m = (uint64_t)pcg32_next(r) * bound;
      low = (uint32_t)m;
    }
  }
  return (uint32_t)(m >> 32);
}

double rng_normal_q[RNG_NQ + 1];

double rng_normal_icdf(double p)
{
  /* P. J. Acklam (2003), "An algorithm for computing the inverse normal
   * cumulative distribution function": rational approximations in a central
   * and two tail regions. */
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                             -2.759285104469687e+02, 1.383577518672690e+02,
                             -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                             -1.556989798598866e+02, 6.680131188771972e+01,
                             -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                             -2.400758277161838e+00, -2.549732539343734e+00,
                             4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                             2.445134137142996e+00, 3.754408661907416e+00};
  const double plow = 0.02425, phigh = 1 - plow;
  if (p < plow) {
    double q = sqrt(-2 * log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > phigh) {
    double q = sqrt(-2 * log(1 - p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

uint32_t rng_zig_k[256];
double rng_zig_w[256], rng_zig_f[256];

/** @brief Marsaglia-Tsang ziggurat tables for exp(-x), 256 layers of equal area. */
static void rng_zig_init(void)
{
  const double m = 4294967296.0;
  double de = 7.697117470131487, te = de;
  const double ve = 3.949659822581572e-3;
  double q = ve / exp(-de);
  rng_zig_k[0] = (uint32_t)((de / q) * m);
  rng_zig_k[1] = 0;
  rng_zig_w[0] = q / m;
  rng_zig_w[255] = de / m;
  rng_zig_f[0] = 1.0;
  rng_zig_f[255] = exp(-de);
  for (int i = 254; i >= 1; i--) {
    de = -log(ve / de + exp(-de));
    rng_zig_k[i + 1] = (uint32_t)((de / te) * m);
    te = de;
    rng_zig_f[i] = exp(-de);
    rng_zig_w[i] = de / m;
  }
}

double rng_exp_fix(struct pcg32 *r, uint32_t j, int i)
{
  for (;;) {
    if (i == 0) return 7.697117470131487 - log(pcg32_uniform(r)); /* the tail */
    double x = (double)j * rng_zig_w[i];
    if (rng_zig_f[i] + pcg32_uniform(r) * (rng_zig_f[i - 1] - rng_zig_f[i]) < exp(-x)) return x;
    i = (int)(pcg32_next(r) & 255u);
    j = pcg32_next(r);
    if (j < rng_zig_k[i]) return (double)j * rng_zig_w[i];
  }
}

void rng_init_tables(void)
{
  if (rng_zig_k[0] == 0) rng_zig_init();
  if (rng_normal_q[RNG_NQ] != 0) return;
  for (int k = 1; k < RNG_NQ; k++) rng_normal_q[k] = rng_normal_icdf((double)k / RNG_NQ);
  rng_normal_q[0] = rng_normal_icdf(0.5 / RNG_NQ);
  rng_normal_q[RNG_NQ] = -rng_normal_q[0];
}
