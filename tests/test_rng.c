/**
 * @file test_rng.c
 * @brief PCG32 against the published known-answer vector, jump-ahead against
 *        stepping, stream independence, and the moments of the draws.
 */
#include <criterion/criterion.h>
#include <math.h>

#include "rng.h"

/* pcg32-demo.c of the reference implementation (pcg-random.org), seeded with
 * pcg32_srandom_r(&rng, 42u, 54u), prints these first six outputs. */
Test(rng, known_answer_vector)
{
  static const uint32_t expect[6] = {0xa15c02b7, 0x7b47f409, 0xba1d3330,
                                     0x83d2f293, 0xbfa4784b, 0xcbed606e};
  struct pcg32 r;
  pcg32_seed(&r, 42u, 54u);
  for (int i = 0; i < 6; i++)
    cr_expect_eq(pcg32_next(&r), expect[i], "output %d", i);
}

Test(rng, jump_ahead_equals_stepping)
{
  const uint64_t deltas[] = {0, 1, 2, 7, 1000, 123457};
  for (size_t d = 0; d < sizeof deltas / sizeof deltas[0]; d++) {
    struct pcg32 a, b;
    pcg32_seed(&a, 42u, 54u);
    b = a;
    for (uint64_t i = 0; i < deltas[d]; i++)
      pcg32_next(&a);
    pcg32_advance(&b, deltas[d]);
    cr_expect_eq(a.state, b.state, "delta %llu", (unsigned long long)deltas[d]);
    cr_expect_eq(pcg32_next(&a), pcg32_next(&b));
  }
  /* a full-period jump (2^64 steps) is the identity: advance by 2^63 twice */
  struct pcg32 c, c0;
  pcg32_seed(&c, 7u, 3u);
  c0 = c;
  pcg32_advance(&c, 1ull << 63);
  cr_expect_neq(c.state, c0.state);
  pcg32_advance(&c, 1ull << 63);
  cr_expect_eq(c.state, c0.state);
}

Test(rng, agent_streams_are_distinct_and_uncorrelated)
{
  /* Neighbouring agent ids must give unrelated streams: no equal outputs in
   * lockstep, and a sample correlation of uniforms within 5 standard errors
   * of zero (se = 1/sqrt(n)). */
  const int n = 200000;
  for (uint64_t id = 0; id < 4; id++) {
    struct pcg32 a, b;
    rng_agent_stream(&a, 1234, 0, id);
    rng_agent_stream(&b, 1234, 0, id + 1);
    double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
    int equal = 0;
    for (int i = 0; i < n; i++) {
      uint32_t xa = pcg32_next(&a), xb = pcg32_next(&b);
      equal += xa == xb;
      double ua = xa / 4294967296.0, ub = xb / 4294967296.0;
      sa += ua, sb += ub, sab += ua * ub, saa += ua * ua, sbb += ub * ub;
    }
    double cov = sab / n - (sa / n) * (sb / n);
    double corr = cov / sqrt((saa / n - (sa / n) * (sa / n)) * (sbb / n - (sb / n) * (sb / n)));
    cr_expect_lt(fabs(corr), 5.0 / sqrt(n), "corr %g between agents %llu and %llu", corr,
                 (unsigned long long)id, (unsigned long long)id + 1);
    cr_expect_lt(equal, 5, "%d equal outputs in lockstep", equal);
  }
  /* the replicate and the seed change the stream too */
  struct pcg32 a, b, c;
  rng_agent_stream(&a, 1, 0, 9);
  rng_agent_stream(&b, 1, 1, 9);
  rng_agent_stream(&c, 2, 0, 9);
  uint32_t xa = pcg32_next(&a);
  cr_expect_neq(xa, pcg32_next(&b));
  cr_expect_neq(xa, pcg32_next(&c));
}

Test(rng, exponential_mean_and_variance)
{
  /* Exp(lambda): mean 1/lambda, variance 1/lambda^2.  With n = 1e6 draws the
   * standard error of the mean is 1/(lambda sqrt n) and of the variance
   * sqrt(8)/(lambda^2 sqrt n); we allow 5 standard errors. */
  const double lambda = 2.0;
  const int n = 1000000;
  struct pcg32 r;
  pcg32_seed(&r, 99u, 1u);
  double s = 0, s2 = 0;
  for (int i = 0; i < n; i++) {
    double w = pcg32_exponential(&r, lambda);
    cr_assert_gt(w, 0.0);
    s += w;
    s2 += w * w;
  }
  double mean = s / n, var = s2 / n - mean * mean;
  cr_expect_lt(fabs(mean - 1 / lambda), 5 * (1 / lambda) / sqrt(n), "mean %g", mean);
  cr_expect_lt(fabs(var - 1 / (lambda * lambda)), 5 * sqrt(8.0) / (lambda * lambda) / sqrt(n),
               "variance %g", var);
}

Test(rng, uniform_open_interval_and_mean)
{
  struct pcg32 r;
  pcg32_seed(&r, 5u, 5u);
  double s = 0;
  const int n = 1000000;
  for (int i = 0; i < n; i++) {
    double u = pcg32_uniform(&r);
    cr_assert(u > 0.0 && u < 1.0);
    s += u;
  }
  /* mean 1/2, se = sqrt(1/12)/sqrt(n) */
  cr_expect_lt(fabs(s / n - 0.5), 5 * sqrt(1.0 / 12) / sqrt(n));
}

Test(rng, bounded_is_unbiased)
{
  /* bound 3 does not divide 2^32: a biased modulo would favour 0 by 1 part
   * in 2^32/3, invisible here, so test the chi-square of a bound of 6 and
   * the range of a huge bound near 2^32 where modulo bias is large. */
  struct pcg32 r;
  pcg32_seed(&r, 11u, 13u);
  const int n = 600000, k = 6;
  int cnt[6] = {0};
  for (int i = 0; i < n; i++) {
    uint32_t x = pcg32_bounded(&r, k);
    cr_assert_lt(x, (uint32_t)k);
    cnt[x]++;
  }
  double chi2 = 0, e = (double)n / k;
  for (int i = 0; i < k; i++)
    chi2 += (cnt[i] - e) * (cnt[i] - e) / e;
  cr_expect_lt(chi2, 20.5, "chi2 %g (5 df, p = 0.001 critical value 20.5)", chi2);
  /* bound = 3 * 2^30: modulo reduction would put 2/3 of the mass in the lower
   * half [0, 1.5 * 2^30); unbiased gives 1/2. */
  const uint32_t big = 3u << 30;
  int low = 0;
  const int m = 200000;
  for (int i = 0; i < m; i++)
    low += pcg32_bounded(&r, big) < big / 2;
  cr_expect_lt(fabs((double)low / m - 0.5), 5 * 0.5 / sqrt(m), "low half share %g",
               (double)low / m);
}

Test(rng, normal_quantile_table)
{
  /* Acklam's approximation against textbook quantiles of N(0,1):
   * Phi^-1(0.975) = 1.959963985, Phi^-1(0.5) = 0, Phi^-1(0.001) = -3.090232306. */
  cr_expect_lt(fabs(rng_normal_icdf(0.975) - 1.959963985), 1e-8);
  cr_expect_lt(fabs(rng_normal_icdf(0.5)), 1e-12);
  cr_expect_lt(fabs(rng_normal_icdf(0.001) + 3.090232306), 1e-8);
  /* Draws from the interpolated table: mean 0 and variance 1 within 5
   * standard errors (se 1/sqrt(n) and sqrt(2/n)); the clamped tails cost
   * about 1e-3 of variance, well inside. */
  struct pcg32 r;
  pcg32_seed(&r, 3u, 4u);
  const int n = 1000000;
  double s = 0, s2 = 0;
  int below = 0;
  for (int i = 0; i < n; i++) {
    double z = pcg32_normal_fast(&r);
    s += z;
    s2 += z * z;
    below += z < 1.959963985;
  }
  double mean = s / n, var = s2 / n - mean * mean;
  cr_expect_lt(fabs(mean), 5 / sqrt(n), "mean %g", mean);
  cr_expect_lt(fabs(var - 1), 5 * sqrt(2.0 / n), "variance %g", var);
  /* P(Z < 1.96) = 0.975, binomial se sqrt(0.975 * 0.025 / n) */
  cr_expect_lt(fabs((double)below / n - 0.975), 5 * sqrt(0.975 * 0.025 / n));
}

Test(rng, exponential_shape_chi_square)
{
  /* The ziggurat must give Exp(1) everywhere, wedges and tail included: 40
   * bins of equal probability 1/40 (edges -log(1 - k/40)), n = 2e6 draws;
   * chi-square with 39 df stays below 72.1 (p = 0.001).  The last bin is the
   * tail beyond -log(1/40) = 3.69; the ziggurat's own tail starts at 7.70, so
   * a separate check counts draws above 7.7: expected n exp(-7.7) = 905.6,
   * within 5 sd (sqrt 905.6 = 30). */
  struct pcg32 r;
  pcg32_seed(&r, 2024u, 7u);
  const int n = 2000000, K = 40;
  int cnt[40] = {0}, tail = 0;
  for (int i = 0; i < n; i++) {
    double x = pcg32_exp1(&r);
    cr_assert_geq(x, 0.0);
    int k = (int)(K * (1.0 - exp(-x)));
    if (k >= K) k = K - 1;
    cnt[k]++;
    tail += x > 7.7;
  }
  double chi2 = 0, e = (double)n / K;
  for (int k = 0; k < K; k++)
    chi2 += (cnt[k] - e) * (cnt[k] - e) / e;
  cr_expect_lt(chi2, 72.1, "chi2 %g over 40 equiprobable bins", chi2);
  double et = n * exp(-7.7);
  cr_expect_lt(fabs(tail - et), 5 * sqrt(et), "%d draws beyond 7.7, expected %.1f", tail, et);
}
