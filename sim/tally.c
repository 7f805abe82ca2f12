/**
 * @file tally.c
 * @brief Reduction of per-thread tallies.
 */
#include "tally.h"

#include <stddef.h>

static const size_t tally_offset[N_MEASURES] = {
#define X(id, field, kind, name, long_name, units, cm, scale, axes)                                \
  [M_##id] = offsetof(struct tally, field),
    HWSIM_MEASURES(X)
#undef X
};

const int64_t *tally_measure(const struct tally *T, int m)
{
  return (const int64_t *)((const char *)T + tally_offset[m]);
}

void tally_add(struct tally *dst, const struct tally *src)
{
  /* struct tally is a flat array of int64: add it word by word. */
  int64_t *d = (int64_t *)dst;
  const int64_t *s = (const int64_t *)src;
  size_t n = sizeof(struct tally) / sizeof(int64_t);
  for (size_t i = 0; i < n; i++)
    d[i] += s[i];
}
