/**
 * @file scenario.c
 * @brief Scenario loading with libcyaml: unknown keys, wrong types and
 *        out-of-range values are rejected with file and line.
 */
#include "scenario.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvtab.h"

#ifndef HWSIM_SOURCE_DIR
#define HWSIM_SOURCE_DIR "."
#endif

/** The YAML document as libcyaml fills it. */
struct scenario_yaml {
  char *name;
  char *description;
  int start_year;
  int end_year;
  unsigned replicates;
  unsigned long long seed;
  char *data;
};

static const cyaml_schema_field_t scenario_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct scenario_yaml, name, 1, 127),
    CYAML_FIELD_STRING_PTR("description", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                           struct scenario_yaml, description, 0, CYAML_UNLIMITED),
    CYAML_FIELD_INT("start_year", CYAML_FLAG_DEFAULT, struct scenario_yaml, start_year),
    CYAML_FIELD_INT("end_year", CYAML_FLAG_DEFAULT, struct scenario_yaml, end_year),
    CYAML_FIELD_UINT("replicates", CYAML_FLAG_DEFAULT, struct scenario_yaml, replicates),
    CYAML_FIELD_UINT("seed", CYAML_FLAG_DEFAULT, struct scenario_yaml, seed),
    CYAML_FIELD_STRING_PTR("data", CYAML_FLAG_POINTER, struct scenario_yaml, data, 1, 900),
    CYAML_FIELD_END};

static const cyaml_schema_value_t scenario_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct scenario_yaml, scenario_fields),
};

/** libcyaml log sink: keep the first error message (without its newline). */
struct log_ctx {
  char msg[256];
};
static void scenario_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
  struct log_ctx *c = ctx;
  if (level < CYAML_LOG_ERROR || c->msg[0]) return;
  vsnprintf(c->msg, sizeof c->msg, fmt, args);
  size_t n = strlen(c->msg);
  while (n && (c->msg[n - 1] == '\n' || c->msg[n - 1] == ' ')) c->msg[--n] = '\0';
}

/** @brief Line (1-based) where top-level key @p key is defined in @p text, or 0. */
static int key_line(const char *text, const char *key)
{
  int line = 1;
  size_t k = strlen(key);
  for (const char *p = text; *p; p++) {
    if ((p == text || p[-1] == '\n') && strncmp(p, key, k) == 0 && (p[k] == ':' || p[k] == ' '))
      return line;
    if (*p == '\n') line++;
  }
  return 0;
}

/** @brief Pull a quoted key name out of a libcyaml message, for locating it. */
static int message_line(const char *text, const char *msg)
{
  const char *q = strstr(msg, ": ");
  while (q) {
    char word[64];
    if (sscanf(q + 2, "%63[A-Za-z_0-9]", word) == 1) {
      int l = key_line(text, word);
      if (l) return l;
    }
    q = strstr(q + 2, ": ");
  }
  return 0;
}

const char *scenario_default_path(void)
{
  return HWSIM_SOURCE_DIR "/sim/scenarios/baseline.yaml";
}

int scenario_load(struct scenario *s, const char *path, char *err, size_t errlen)
{
  memset(s, 0, sizeof *s);
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: cannot open scenario: %s", path, strerror(errno));
    return -1;
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  s->text = malloc((size_t)n + 1);
  size_t got = fread(s->text, 1, (size_t)n, f);
  fclose(f);
  s->text[got] = '\0';
  sha256_hex(s->text, got, s->sha256);
  snprintf(s->path, sizeof s->path, "%s", path);

  struct log_ctx lc = {{0}};
  cyaml_config_t cfg = {.log_fn = scenario_log, .log_ctx = &lc, .mem_fn = cyaml_mem,
                        .log_level = CYAML_LOG_ERROR, .flags = CYAML_CFG_DEFAULT};
  struct scenario_yaml *y = NULL;
  cyaml_err_t e = cyaml_load_data((const uint8_t *)s->text, got, &cfg, &scenario_schema,
                                  (cyaml_data_t **)&y, NULL);
  if (e != CYAML_OK) {
    int line = message_line(s->text, lc.msg);
    if (line)
      snprintf(err, errlen, "%s:%d: %s (%s)", path, line, lc.msg[0] ? lc.msg : cyaml_strerror(e),
               cyaml_strerror(e));
    else
      snprintf(err, errlen, "%s: %s (%s; expected keys name, description, start_year, end_year, replicates, seed, data)",
               path, lc.msg[0] ? lc.msg : cyaml_strerror(e), cyaml_strerror(e));
    scenario_free(s);
    return -1;
  }
  int rc = -1;
  if (y->start_year < 2000 || y->start_year > 2100) {
    snprintf(err, errlen, "%s:%d: start_year %d is out of range (expected 2000..2100)", path,
             key_line(s->text, "start_year"), y->start_year);
    goto out;
  }
  if (y->end_year <= y->start_year || y->end_year > 2150) {
    snprintf(err, errlen, "%s:%d: end_year %d is out of range (expected start_year+1..2150)", path,
             key_line(s->text, "end_year"), y->end_year);
    goto out;
  }
  if (y->replicates < 1 || y->replicates > 1000000) {
    snprintf(err, errlen, "%s:%d: replicates %u is out of range (expected 1..1000000)", path,
             key_line(s->text, "replicates"), y->replicates);
    goto out;
  }
  snprintf(s->name, sizeof s->name, "%s", y->name);
  s->start_year = y->start_year;
  s->end_year = y->end_year;
  s->replicates = (int)y->replicates;
  s->seed = y->seed;
  if (y->data[0] == '/') {
    snprintf(s->data_dir, sizeof s->data_dir, "%s", y->data);
  } else {
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
      *slash = '\0';
    else
      snprintf(dir, sizeof dir, ".");
    snprintf(s->data_dir, sizeof s->data_dir, "%s/%s", dir, y->data);
  }
  rc = 0;
out:
  cyaml_free(&cfg, &scenario_schema, y, 0);
  if (rc) scenario_free(s);
  return rc;
}

void scenario_free(struct scenario *s)
{
  free(s->text);
  s->text = NULL;
}
