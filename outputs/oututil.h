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

/**
 * @brief printf into err (if any), always NUL-terminated and one line: control
 *        characters (a newline in a quoted name or label from the file or the
 *        command line) become '?', so that the error stays the one line on stderr
 *        that the error contract promises.
 */
static inline void out_set_err(char *err, size_t errlen, const char *fmt, ...)
{
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
  for (char *p = err; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
}

/** @brief Append ", s" (or "s" when empty) to buf, bounded. */
static inline void out_list_add(char *buf, size_t len, const char *s)
{
  size_t used = strlen(buf);
  if (used + 1 >= len) return;
  snprintf(buf + used, len - used, "%s%s", used ? ", " : "", s);
}

#endif
