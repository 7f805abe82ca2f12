/**
 * @file same.h
 * @brief Test helper: compare two replicates' results over every measure of
 *        the measures table (no hand-written list of datasets).
 */
#ifndef HWSIM_TEST_SAME_H
#define HWSIM_TEST_SAME_H

#include <string.h>

#include "measures.h"

/** @brief The first measure whose slabs differ (or whose years differ), or -1 if all agree. */
static inline int replicates_differ(const struct replicate_out *a, const struct replicate_out *b)
{
  if (a->nyears != b->nyears) return 0;
  for (int m = 0; m < N_MEASURES; m++)
    if (memcmp(a->m[m], b->m[m], measure_size(m, a->nyears) * sizeof(int32_t)) != 0) return m;
  return -1;
}

#endif
