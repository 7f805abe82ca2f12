/**
 * @file oututil.h
 * @brief Two small helpers shared by the cube writer and the summary reader.
 */
#ifndef HWSIM_OUTUTIL_H
#define HWSIM_OUTUTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** @brief printf into err (if any), always NUL-terminated. */
static inline void out_set_err(char *err, size_t errlen, const char *fmt, ...)
{
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/** @brief malloc'd copy of a string (strdup is POSIX, not C11). */
static inline char *out_strdup(const char *s)
{
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p) memcpy(p, s, n);
  return p;
}

#endif
