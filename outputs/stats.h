/**
 * @file stats.h
 * @brief Statistics across replicates: mean, quantiles (R type 7), the
 *        one-way variance decomposition over parameter draws, and sorting.
 *
 * Quantiles are R type 7 / numpy's default: for sorted x[0..n-1] and level p,
 * h = (n-1)p, q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 *
 * The three statistics keep the `summary_` names they had when they lived in
 * summary.c (the tests call them by those names); summary.h
 * includes this header.
 */
#ifndef HWSIM_STATS_H
#define HWSIM_STATS_H

#include <stddef.h>

/** @brief Type-7 quantile of sorted x[0..n-1] at level p in [0,1]; n >= 1. */
double summary_quantile(const double *sorted, int n, double p);

/**
 * @brief out = {mean, p05, p50, p95} of x[0..n-1] (x is not modified); n >= 1.
 * @return 0, or -1 if out of memory (out[0] is the mean, the quantiles are the mean too).
 */
int summary_stats(const double *x, int n, double out[4]);

/**
 * @brief One-way ANOVA of nrep = D x k values grouped in D consecutive blocks
 *        of k (parameter draws): out = {mean, var_param, var_mc, param share,
 *        SS_between, SS_within, SS_total}.  @return 0, or -1 if k < 2, nrep is
 *        not a multiple of k or D < 2.
 */
int summary_decompose(const double *x, int nrep, int k, double out[7]);

/** Most sources of the pick-freeze design (fitted, assumed, demand). */
#define UNC_MAX_SOURCES 3

/**
 * @brief Each source's first-order variance from a run of the pick-freeze design: nrep = D x k
 *        values in D draws of k replicates, the draws in blocks of block = nsrc + 1 (a base
 *        draw, then one sharing each source with it; scenario_draw_block).  out = {mean, var_mc,
 *        its se, var_param (all sources together), its se, then for each source s V_s and its
 *        se, then var_param - sum V_s (interactions)}: 6 + 2 nsrc values.  var_mc + var_param
 *        is the variance of one replicate.  @return 0, or -1 if k < 2, nsrc < 2, the values do
 *        not make whole blocks or there are fewer than 3 blocks.
 */
int summary_decompose_sources(const double *x, int nrep, int k, int block, int nsrc, double *out);

/** @brief Sort x[0..n-1] ascending in place. */
void stats_sort(double *x, size_t n);

/**
 * @brief order[0..n-1] = the indices of keys[] in ascending order of key
 *        (equal keys in index order).  @return 0, or -1 if out of memory.
 */
int stats_order_int(const int *keys, int n, int *order);

#endif
