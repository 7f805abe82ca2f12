/**
 * @file oututil.h
 * @brief Small string helpers shared by the cube writer, the cube reader and the summary.
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

/** @brief Append ", s" (or "s" when empty) to buf, bounded. */
static inline void out_list_add(char *buf, size_t len, const char *s)
{
  size_t used = strlen(buf);
  if (used + 1 >= len) return;
  snprintf(buf + used, len - used, "%s%s", used ? ", " : "", s);
}

#endif
