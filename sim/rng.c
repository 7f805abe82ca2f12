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

double rng_exp_fix(struct pcg32 *r, uint32_t j, int i)
{
  for (;;) {
    if (i == 0) return RNG_ZIG_R - log(pcg32_uniform(r)); /* the tail */
    double x = (double)j * rng_zig_w[i];
    if (rng_zig_f[i] + pcg32_uniform(r) * (rng_zig_f[i - 1] - rng_zig_f[i]) < exp(-x)) return x;
    i = (int)(pcg32_next(r) & RNG_ZIG_MASK);
    j = pcg32_next(r);
    if (j < rng_zig_k[i]) return (double)j * rng_zig_w[i];
  }
}
