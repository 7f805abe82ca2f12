/**
 * @file stats.c
 * @brief Mean, type-7 quantiles, variance decomposition and sorting (see stats.h).
 */
#include "stats.h"

#include "alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double summary_quantile(const double *sorted, int n, double p)
{
  /* R type 7: h = (n-1)p, interpolate linearly between the order statistics around h. */
  double h = (double)(n - 1) * p;
  int lo = (int)h;
  if (lo >= n - 1) return sorted[n - 1];
  if (lo < 0) return sorted[0];
  return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/** @brief qsort comparator for doubles. */
static int stats_cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void stats_sort(double *x, size_t n)
{
  qsort(x, n, sizeof *x, stats_cmp_double);
}

int summary_stats(const double *x, int n, double out[4])
{
  double *s = hw_alloc((size_t)n, sizeof *s, "the quantiles' sort", NULL, 0);
  double sum = 0.0;
  for (int i = 0; i < n; i++)
    sum += x[i];
  out[0] = sum / n;
  if (!s) { /* the mean, not garbage; the caller reports the failure */
    out[1] = out[2] = out[3] = out[0];
    return -1;
  }
  memcpy(s, x, (size_t)n * sizeof *s);
  stats_sort(s, (size_t)n);
  out[1] = summary_quantile(s, n, 0.05);
  out[2] = summary_quantile(s, n, 0.50);
  out[3] = summary_quantile(s, n, 0.95);
  free(s);
  return 0;
}

/** A key with the index it came from: sorting these needs no context beyond the pair. */
struct stats_keyed {
  int key;
  int idx;
};

/** @brief qsort comparator: by key, then by index (so the order is total and stable). */
static int stats_cmp_keyed(const void *a, const void *b)
{
  const struct stats_keyed *x = a, *y = b;
  if (x->key != y->key) return (x->key > y->key) - (x->key < y->key);
  return (x->idx > y->idx) - (x->idx < y->idx);
}

int stats_order_int(const int *keys, int n, int *order)
{
  struct stats_keyed *k = hw_alloc((size_t)n + 1, sizeof *k, "the replicate order", NULL, 0);
  if (!k) return -1;
  for (int i = 0; i < n; i++) {
    k[i].key = keys[i];
    k[i].idx = i;
  }
  qsort(k, (size_t)n, sizeof *k, stats_cmp_keyed);
  for (int i = 0; i < n; i++)
    order[i] = k[i].idx;
  free(k);
  return 0;
}

int summary_decompose(const double *x, int nrep, int k, double out[7])
{
  /* One-way random-effects analysis of variance over D = nrep / k parameter
   * draws with k replicates each: SS_total = SS_between + SS_within exactly;
   * E[MS_within] = var_mc, E[MS_between] = var_mc + k var_param. */
  if (k < 2 || nrep % k != 0 || nrep / k < 2) return -1;
  int D = nrep / k;
  double mean = 0;
  for (int r = 0; r < nrep; r++)
    mean += x[r];
  mean /= nrep;
  double ssb = 0, ssw = 0, sst = 0;
  for (int d = 0; d < D; d++) {
    double md = 0;
    for (int j = 0; j < k; j++)
      md += x[d * k + j];
    md /= k;
    ssb += k * (md - mean) * (md - mean);
    for (int j = 0; j < k; j++)
      ssw += (x[d * k + j] - md) * (x[d * k + j] - md);
  }
  for (int r = 0; r < nrep; r++)
    sst += (x[r] - mean) * (x[r] - mean);
  double var_mc = ssw / (double)(D * (k - 1));
  double var_param = (ssb / (double)(D - 1) - var_mc) / k;
  if (var_param < 0) var_param = 0;
  out[0] = mean;
  out[1] = var_param;
  out[2] = var_mc;
  out[3] = var_param + var_mc > 0 ? var_param / (var_param + var_mc) : 0;
  out[4] = ssb;
  out[5] = ssw;
  out[6] = sst;
  return 0;
}

int summary_decompose_sources(const double *x, int nrep, int k, int block, int nsrc, double *out)
{
  /* The pick-freeze design (scenario_draw_block): D = nrep / k draws of k replicates, in
   * B = D / block blocks of block = nsrc + 1 draws; in block b draw 0 is the base and draw
   * s + 1 shares source s's values with it and draws the others afresh.  With m the draw
   * means, var_mc the pooled within-draw variance, and every position j of a block
   * independent across blocks:
   *   E[var_b(m_j)] = V_param + var_mc / k           (each j, averaged over j)
   *   E[cov_b(m_0, m_{s+1})] = V_s = Var(E[Y | source s])   (Sobol 1993, Saltelli 2002),
   * the Monte Carlo noise being independent across draws. */
  if (k < 2 || block != nsrc + 1 || nsrc < 2 || nsrc > UNC_MAX_SOURCES || nrep % k != 0) return -1;
  const int D = nrep / k;
  if (D % block != 0 || D / block < 3) return -1;
  const int B = D / block;
  double *m = hw_alloc((size_t)D, sizeof *m, "the draw means", NULL, 0);
  if (!m) return -1;
  double mean = 0, ssw = 0;
  for (int d = 0; d < D; d++) {
    double md = 0;
    for (int j = 0; j < k; j++)
      md += x[d * k + j];
    md /= k;
    m[d] = md;
    mean += md;
    for (int j = 0; j < k; j++)
      ssw += (x[d * k + j] - md) * (x[d * k + j] - md);
  }
  mean /= D;
  const double var_mc = ssw / (double)(D * (k - 1));
  double mj[UNC_MAX_SOURCES + 1], s2 = 0;
  for (int j = 0; j < block; j++) {
    mj[j] = 0;
    for (int b = 0; b < B; b++)
      mj[j] += m[b * block + j];
    mj[j] /= B;
    double v = 0;
    for (int b = 0; b < B; b++)
      v += (m[b * block + j] - mj[j]) * (m[b * block + j] - mj[j]);
    s2 += v / (B - 1);
  }
  s2 /= block;
  const double var_param = s2 - var_mc / k;
  out[0] = mean;
  out[1] = var_mc;
  /* Var(s^2) = 2 sigma^4 / (B - 1) for normal draw means; the positions are averaged, which
   * can only help, so this is a conservative standard error */
  out[2] = var_mc * sqrt(2.0 / (D * (k - 1)));
  out[3] = var_param;
  out[4] = sqrt(2.0 / (B - 1)) * s2;
  double sum_s = 0;
  for (int s = 0; s < nsrc; s++) {
    double c = 0, c2 = 0;
    for (int b = 0; b < B; b++) {
      const double pr = (m[b * block] - mj[0]) * (m[b * block + s + 1] - mj[s + 1]);
      c += pr;
      c2 += pr * pr;
    }
    const double vs = c / (B - 1), mp = c / B;
    const double sd = sqrt(fmax(0.0, c2 / B - mp * mp) * B / (B - 1));
    out[5 + 2 * s] = vs;
    out[6 + 2 * s] = sd / sqrt((double)B);
    sum_s += vs;
  }
  out[5 + 2 * nsrc] = var_param - sum_s; /* interactions (and the estimators' noise) */
  free(m);
  return 0;
}
