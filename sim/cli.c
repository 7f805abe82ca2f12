/**
 * @file cli.c
 * @brief The table-driven option parser shared by every subcommand.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_parse_u64(const char *s, unsigned long long *out)
{
  if (!*s || *s == '-' || *s == '+') return -1;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (*end || errno) return -1;
  *out = v;
  return 0;
}

/** @brief The table entry named @p a (exactly, or as `NAME=...`); *val points past '='. */
static const struct cli_opt *cli_find(const struct cli_spec *sp, const char *a, const char **val)
{
  *val = NULL;
  for (int k = 0; k < sp->nopts; k++) {
    const struct cli_opt *o = &sp->opts[k];
    if (strcmp(a, o->name) == 0 || (o->alias && strcmp(a, o->alias) == 0)) return o;
    size_t n = strlen(o->name);
    if (o->kind != CLI_FLAG && strncmp(a, o->name, n) == 0 && a[n] == '=') {
      *val = a + n + 1;
      return o;
    }
  }
  return NULL;
}

/** @brief "unknown option" with the list of the table's names. */
static void cli_unknown(const struct cli_spec *sp, const char *a)
{
  fprintf(stderr, "%s: unknown option '%s' (expected ", sp->cmd, a);
  for (int k = 0; k < sp->nopts; k++)
    fprintf(stderr, "%s%s", k ? ", " : "",
            sp->opts[k].alias ? sp->opts[k].alias : sp->opts[k].name);
  fprintf(stderr, "%s--help)\n", sp->nopts ? ", " : "");
}

/** @brief Store @p val into option @p o; 2 after an error line. */
static int cli_store(const struct cli_spec *sp, const struct cli_opt *o, const char *a,
                     const char *val)
{
  unsigned long long v;
  switch (o->kind) {
  case CLI_FLAG:
    *(int *)o->dst = o->flag_value;
    return 0;
  case CLI_STR:
    if (!*val) {
      fprintf(stderr, "%s: %s is empty (expected a value)\n", sp->cmd, a);
      return 2;
    }
    *(const char **)o->dst = val;
    return 0;
  case CLI_INT:
    if (cli_parse_u64(val, &v) || (long long)v < o->min || (long long)v > o->max) {
      fprintf(stderr, "%s: %s '%s' is not %s (expected %lld..%lld)\n", sp->cmd, a, val, o->what,
              o->min, o->max);
      return 2;
    }
    *(int *)o->dst = (int)v;
    return 0;
  case CLI_U64:
    if (cli_parse_u64(val, &v) || (o->max > 0 && v > (unsigned long long)o->max)) {
      if (o->max > 0)
        fprintf(stderr, "%s: %s '%s' is not %s (expected 0..%lld)\n", sp->cmd, a, val, o->what,
                o->max);
      else
        fprintf(stderr, "%s: %s '%s' is not %s (expected a non-negative integer)\n", sp->cmd, a,
                val, o->what);
      return 2;
    }
    *(unsigned long long *)o->dst = v;
    return 0;
  }
  return 2;
}

int cli_parse(const struct cli_spec *sp, int argc, char **argv)
{
  if (sp->npos) *sp->npos = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(sp->usage, stdout);
      return 1;
    }
    const char *val;
    const struct cli_opt *o = cli_find(sp, a, &val);
    if (o) {
      const char *name = val ? o->name : a;
      if (o->kind != CLI_FLAG && !val) {
        if (i + 1 >= argc) {
          fprintf(stderr, "%s: option '%s' needs a value\n", sp->cmd, a);
          return 2;
        }
        val = argv[++i];
      }
      if (cli_store(sp, o, name, val)) return 2;
      if (o->seen) *o->seen = 1;
    } else if (a[0] == '-' && a[1] != '\0') {
      cli_unknown(sp, a);
      return 2;
    } else if (sp->npos && *sp->npos < sp->max_pos) {
      sp->pos[(*sp->npos)++] = a;
    } else {
      fprintf(stderr, "%s: unexpected argument '%s' (expected %s)\n", sp->cmd, a,
              sp->pos_what ? sp->pos_what : "no arguments");
      return 2;
    }
  }
  return 0;
}
