/**
 * @file cli.h
 * @brief Small helpers shared by the subcommands' argument parsers.
 */
#ifndef HWSIM_CLI_H
#define HWSIM_CLI_H

#include <errno.h>
#include <stdlib.h>

/** @brief Parse a whole non-negative decimal integer; -1 if @p s is not one. */
static inline int cli_parse_u64(const char *s, unsigned long long *out)
{
  if (!*s || *s == '-' || *s == '+') return -1;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (*end || errno) return -1;
  *out = v;
  return 0;
}

#endif
