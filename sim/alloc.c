/**
 * @file alloc.c
 * @brief The one allocation helper (see alloc.h).
 */
#include "alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** @brief The message for a failed request of n x size bytes. */
static void *alloc_fail(size_t n, size_t size, const char *what, char *err, size_t errlen)
{
  if (err && errlen) {
    if (size && n > SIZE_MAX / size)
      snprintf(err, errlen, "out of memory for %s (%zu x %zu bytes overflows)", what, n, size);
    else
      snprintf(err, errlen, "out of memory for %s (%zu bytes)", what, n * size);
  }
  return NULL;
}

void *hw_alloc(size_t n, size_t size, const char *what, char *err, size_t errlen)
{
  if (size && n > SIZE_MAX / size) return alloc_fail(n, size, what, err, errlen);
  void *p = calloc(n ? n : 1, size ? size : 1);
  return p ? p : alloc_fail(n, size, what, err, errlen);
}

void *hw_realloc(void *p, size_t n, size_t size, const char *what, char *err, size_t errlen)
{
  if (size && n > SIZE_MAX / size) return alloc_fail(n, size, what, err, errlen);
  size_t bytes = n * size;
  void *q = realloc(p, bytes ? bytes : 1);
  return q ? q : alloc_fail(n, size, what, err, errlen);
}

char *hw_strdup(const char *s, const char *what, char *err, size_t errlen)
{
  size_t n = strlen(s) + 1;
  char *d = hw_alloc(n, 1, what, err, errlen);
  if (d) memcpy(d, s, n);
  return d;
}
