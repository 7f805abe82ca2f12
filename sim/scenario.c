/**
 * @file scenario.c
 * @brief Scenario loading with libcyaml: unknown keys, wrong types and
 *        out-of-range values are rejected with file and line.
 */
#include "scenario.h"

#include <ctype.h>
#include <cyaml/cyaml.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alloc.h"
#include "dims.h"
#include "hash.h"
#include "rng.h"

#ifndef HWSIM_SOURCE_DIR
#define HWSIM_SOURCE_DIR "."
#endif

/** Productivity growth a year when the scenario gives none: HELSEMOD's demand alternatives
 *  assume 0.5 % (docs/scenarios.md; docs/parameters.md, demand.csv). */
#define PRODUCTIVITY_DEFAULT 0.005
/** Productivity growth must lie strictly within +-this a year (a sanity bound). */
#define PRODUCTIVITY_BOUND 0.05

/* Defaults and ranges of the interventions' keys (docs/scenarios.md).  The ranges are sanity
 * bounds unless noted. */
#define IV_ALL_GROUPS ((1u << N_GROUPS) - 1) /**< default `groups`: all */
#define IV_HEALTH_SECTORS                                                                          \
  (1u << SEC_MUNICIPAL | 1u << SEC_SPECIALIST | 1u << SEC_OTHER_HEALTH) /**< default `sectors` */
#define IV_RAMP_YEARS_MAX 50                                            /**< `ramp_years` */
#define IV_FACTOR_MAX 100.0        /**< `factor` and `duration_factor` */
#define IV_FIRST_YEARS_MAX 40      /**< retention's `first_years` */
#define IV_ADD_MAX 100000.0        /**< |`add`|, persons a year */
#define IV_YEARS_MAX 10            /**< later_retirement's `years` */
#define IV_BEFORE_AGE_DEFAULT 65   /**< later_retirement's `before_age`: the usual retirement age */
#define IV_BEFORE_AGE_MIN 50       /**< later_retirement's `before_age`, lowest */
#define IV_WEEKEND_EVERY_DEFAULT 3 /**< pshare_floor's `weekend_every`: the cap's own rota */
#define IV_WEEKEND_EVERY_MIN 2     /**< the law allows weekend work every second weekend */
#define IV_WEEKEND_EVERY_MAX 6     /**< `weekend_every`, highest */
#define IV_ALIS_MAX 10000.0        /**< alis `level`: new ALIS a year */
#define IV_LIST_NORM_MIN 300.0     /**< list_norm `level`: patients per full-time GP, lowest */
#define IV_LIST_NORM_MAX 2500.0    /**< ... highest: the maximum list length, 2 500 patients */
#define IV_GP_HOURS_MIN 20.0       /**< gp_hours `level`: mean weekly hours, lowest */
#define IV_GP_HOURS_MAX 80.0       /**< ... highest */
#define IV_CONVERSION_MAX 10.0     /**< task_sharing `conversion`: to-group FTE per FTE moved */

#define STR(x) #x
#define XSTR(x) STR(x) /**< a macro's value as a string literal */

const char *const iv_type_labels[N_IV_TYPES] = {
    "pshare_floor",       "long_shifts",  "later_retirement", "disability",
    "sick_leave",         "retention",    "study_places",     "completion",
    "recruitment_abroad", "alis",         "lis1_posts",       "list_norm",
    "gp_hours",           "task_sharing", "demand_factor",    "extend_working_life",
    "gp_retention"};
const char *const demand_alt_labels[N_DEMAND_ALTS] = {"low", "middle", "high"};

static const cyaml_strval_t iv_type_strings[] = {{"pshare_floor", IV_PSHARE_FLOOR},
                                                 {"long_shifts", IV_LONG_SHIFTS},
                                                 {"later_retirement", IV_LATER_RETIREMENT},
                                                 {"disability", IV_DISABILITY},
                                                 {"sick_leave", IV_SICK_LEAVE},
                                                 {"retention", IV_RETENTION},
                                                 {"study_places", IV_STUDY_PLACES},
                                                 {"completion", IV_COMPLETION},
                                                 {"recruitment_abroad", IV_RECRUITMENT_ABROAD},
                                                 {"alis", IV_ALIS},
                                                 {"lis1_posts", IV_LIS1_POSTS},
                                                 {"list_norm", IV_LIST_NORM},
                                                 {"gp_hours", IV_GP_HOURS},
                                                 {"task_sharing", IV_TASK_SHARING},
                                                 {"demand_factor", IV_DEMAND_FACTOR},
                                                 {"extend_working_life", IV_EXTEND_WORKING_LIFE},
                                                 {"gp_retention", IV_GP_RETENTION}};
/** `demand:` one alternative, or `draw` (the value after the alternatives). */
#define DEMAND_DRAW_VALUE N_DEMAND_ALTS
static const cyaml_strval_t demand_strings[] = {{"low", DEMAND_LOW},
                                                {"middle", DEMAND_MIDDLE},
                                                {"high", DEMAND_HIGH},
                                                {"draw", DEMAND_DRAW_VALUE}};
/** The alternatives' default weights under `demand: draw`: a stated judgement
 *  (docs/scenarios.md, "Demand uncertainty"): SSB calls the middle alternative the most
 *  realistic and the high one less likely (facts.md B 6.1). */
static const double demand_weights_default[N_DEMAND_ALTS] = {0.25, 0.5, 0.25};

/** One `interventions:` entry as libcyaml fills it (optional numbers are pointers). */
struct iv_yaml {
  int type;
  /* whole numbers are read as text and parsed strictly (iv_whole_numbers) into the int
   * pointers below, which then point at the *_v members (NULL when the key is absent) */
  char *start_s, *end_s, *ramp_years_s, *years_s, *before_age_s, *first_years_s, *weekend_every_s;
  char **ages_s;
  unsigned ages_s_count;
  int *start, *end, *ramp_years, *years, *before_age, *first_years, *weekend_every;
  int start_v, end_v, ramp_years_v, years_v, before_age_v, first_years_v, weekend_every_v,
      ages_v[2];
  double *uptake, *level, *want_more, *factor, *duration_factor, *add, *share, *conversion,
      *full_time_cap, *capacity;
  double *factor_range, *share_range, *uptake_range; /**< [lo, hi] each */
  unsigned factor_range_count, share_range_count, uptake_range_count;
  char *once, *cap_at_age; /**< true/false, parsed strictly (libcyaml's bool takes any word) */
  char *to_group;
  char **groups;
  unsigned groups_count;
  char **sectors;
  unsigned sectors_count;
  int *ages;
};

static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, 64),
};
/** Whole numbers as text, parsed strictly by hand (libcyaml truncates 1.5 and wraps -1). */
static const cyaml_schema_value_t number_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, 64),
};
#define NUMBER_FIELD(key, flags, structure, member)                                                \
  CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER | (flags), structure, member, 0, 64)

static const cyaml_schema_value_t range_entry = {
    CYAML_VALUE_FLOAT(CYAML_FLAG_DEFAULT, double),
};

static const cyaml_schema_field_t iv_fields[] = {
    CYAML_FIELD_ENUM("type", CYAML_FLAG_STRICT, struct iv_yaml, type, iv_type_strings,
                     CYAML_ARRAY_LEN(iv_type_strings)),
    NUMBER_FIELD("start", CYAML_FLAG_OPTIONAL, struct iv_yaml, start_s),
    NUMBER_FIELD("end", CYAML_FLAG_OPTIONAL, struct iv_yaml, end_s),
    CYAML_FIELD_SEQUENCE("groups", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct iv_yaml, groups,
                         &string_entry, 1, 16),
    CYAML_FIELD_SEQUENCE("sectors", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct iv_yaml,
                         sectors, &string_entry, 1, N_SECTORS),
    CYAML_FIELD_SEQUENCE("ages", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct iv_yaml, ages_s,
                         &number_entry, 2, 2),
    CYAML_FIELD_FLOAT_PTR("uptake", CYAML_FLAG_OPTIONAL, struct iv_yaml, uptake),
    NUMBER_FIELD("ramp_years", CYAML_FLAG_OPTIONAL, struct iv_yaml, ramp_years_s),
    CYAML_FIELD_FLOAT_PTR("level", CYAML_FLAG_OPTIONAL, struct iv_yaml, level),
    CYAML_FIELD_FLOAT_PTR("want_more", CYAML_FLAG_OPTIONAL, struct iv_yaml, want_more),
    NUMBER_FIELD("years", CYAML_FLAG_OPTIONAL, struct iv_yaml, years_s),
    NUMBER_FIELD("before_age", CYAML_FLAG_OPTIONAL, struct iv_yaml, before_age_s),
    CYAML_FIELD_FLOAT_PTR("factor", CYAML_FLAG_OPTIONAL, struct iv_yaml, factor),
    CYAML_FIELD_FLOAT_PTR("duration_factor", CYAML_FLAG_OPTIONAL, struct iv_yaml, duration_factor),
    NUMBER_FIELD("first_years", CYAML_FLAG_OPTIONAL, struct iv_yaml, first_years_s),
    CYAML_FIELD_FLOAT_PTR("add", CYAML_FLAG_OPTIONAL, struct iv_yaml, add),
    CYAML_FIELD_STRING_PTR("once", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct iv_yaml, once,
                           0, 64),
    CYAML_FIELD_STRING_PTR("to_group", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct iv_yaml,
                           to_group, 1, 64),
    CYAML_FIELD_FLOAT_PTR("share", CYAML_FLAG_OPTIONAL, struct iv_yaml, share),
    CYAML_FIELD_FLOAT_PTR("conversion", CYAML_FLAG_OPTIONAL, struct iv_yaml, conversion),
    CYAML_FIELD_STRING_PTR("cap_at_age", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct iv_yaml,
                           cap_at_age, 0, 64),
    CYAML_FIELD_FLOAT_PTR("full_time_cap", CYAML_FLAG_OPTIONAL, struct iv_yaml, full_time_cap),
    CYAML_FIELD_FLOAT_PTR("capacity", CYAML_FLAG_OPTIONAL, struct iv_yaml, capacity),
    NUMBER_FIELD("weekend_every", CYAML_FLAG_OPTIONAL, struct iv_yaml, weekend_every_s),
    CYAML_FIELD_SEQUENCE("factor_range", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct iv_yaml,
                         factor_range, &range_entry, 2, 2),
    CYAML_FIELD_SEQUENCE("share_range", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct iv_yaml,
                         share_range, &range_entry, 2, 2),
    CYAML_FIELD_SEQUENCE("uptake_range", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct iv_yaml,
                         uptake_range, &range_entry, 2, 2),
    CYAML_FIELD_END};

static const cyaml_schema_value_t iv_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct iv_yaml, iv_fields),
};

static const cyaml_schema_value_t weight_entry = {
    CYAML_VALUE_FLOAT(CYAML_FLAG_DEFAULT, double),
};

/** `behaviour:` as libcyaml fills it. */
struct behaviour_yaml {
  double *exit_pshare_elasticity, *sick_pshare_elasticity, *exit_shift_ratio;
};
static const cyaml_schema_field_t behaviour_fields[] = {
    CYAML_FIELD_FLOAT_PTR("exit_pshare_elasticity", CYAML_FLAG_OPTIONAL, struct behaviour_yaml,
                          exit_pshare_elasticity),
    CYAML_FIELD_FLOAT_PTR("sick_pshare_elasticity", CYAML_FLAG_OPTIONAL, struct behaviour_yaml,
                          sick_pshare_elasticity),
    CYAML_FIELD_FLOAT_PTR("exit_shift_ratio", CYAML_FLAG_OPTIONAL, struct behaviour_yaml,
                          exit_shift_ratio),
    CYAML_FIELD_END};

/** The YAML document as libcyaml fills it. */
struct scenario_yaml {
  char *name;
  char *description;
  char *start_year_s, *end_year_s, *replicates_s, *seed_s; /**< parsed by scenario_numbers */
  char *data;
  int *demand;
  double *demand_weights;
  unsigned demand_weights_count;
  double *productivity_growth;
  char *parameter_uncertainty, *assumed_uncertainty; /**< true/false, parsed strictly */
  char *replicates_per_draw_s;
  struct behaviour_yaml *behaviour;
  struct iv_yaml *interventions;
  unsigned interventions_count;
};

static const cyaml_schema_field_t scenario_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, struct scenario_yaml, name, 1, 127),
    CYAML_FIELD_STRING_PTR("description", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                           struct scenario_yaml, description, 0, CYAML_UNLIMITED),
    NUMBER_FIELD("start_year", CYAML_FLAG_DEFAULT, struct scenario_yaml, start_year_s),
    NUMBER_FIELD("end_year", CYAML_FLAG_DEFAULT, struct scenario_yaml, end_year_s),
    NUMBER_FIELD("replicates", CYAML_FLAG_DEFAULT, struct scenario_yaml, replicates_s),
    NUMBER_FIELD("seed", CYAML_FLAG_DEFAULT, struct scenario_yaml, seed_s),
    CYAML_FIELD_STRING_PTR("data", CYAML_FLAG_POINTER, struct scenario_yaml, data, 1, 900),
    CYAML_FIELD_ENUM_PTR("demand", CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT, struct scenario_yaml,
                         demand, demand_strings, CYAML_ARRAY_LEN(demand_strings)),
    CYAML_FIELD_SEQUENCE("demand_weights", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                         struct scenario_yaml, demand_weights, &weight_entry, N_DEMAND_ALTS,
                         N_DEMAND_ALTS),
    CYAML_FIELD_FLOAT_PTR("productivity_growth", CYAML_FLAG_OPTIONAL, struct scenario_yaml,
                          productivity_growth),
    CYAML_FIELD_STRING_PTR("parameter_uncertainty", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                           struct scenario_yaml, parameter_uncertainty, 0, 64),
    CYAML_FIELD_STRING_PTR("assumed_uncertainty", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                           struct scenario_yaml, assumed_uncertainty, 0, 64),
    NUMBER_FIELD("replicates_per_draw", CYAML_FLAG_OPTIONAL, struct scenario_yaml,
                 replicates_per_draw_s),
    CYAML_FIELD_MAPPING_PTR("behaviour", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                            struct scenario_yaml, behaviour, behaviour_fields),
    CYAML_FIELD_SEQUENCE("interventions", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                         struct scenario_yaml, interventions, &iv_entry, 0, MAX_INTERVENTIONS),
    CYAML_FIELD_END};

static const cyaml_schema_value_t scenario_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct scenario_yaml, scenario_fields),
};

/** libcyaml log sink: the first error message (without its newline), and the position of the
 *  innermost mapping field of libcyaml's backtrace ("in mapping field 'K' (line: L, column:
 *  C)"), when it gives one. */
struct log_ctx {
  char msg[256];
  char field[128];
  int line, col;
};
static void scenario_log(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
  struct log_ctx *c = ctx;
  if (level < CYAML_LOG_ERROR) return;
  char m[256];
  vsnprintf(m, sizeof m, fmt, args);
  const char *q = strstr(m, "in mapping field '");
  if (q && !c->line) {
    if (sscanf(q, "in mapping field '%127[^']' (line: %d, column: %d)", c->field, &c->line,
               &c->col) != 3)
      c->line = c->col = 0;
    return;
  }
  if (c->msg[0] || strstr(m, "Backtrace") || strncmp(m, "  in ", 5) == 0) return;
  snprintf(c->msg, sizeof c->msg, "%s", m);
  size_t n = strlen(c->msg);
  while (n && (c->msg[n - 1] == '\n' || c->msg[n - 1] == ' '))
    c->msg[--n] = '\0';
}

/** @brief Line and column (1-based) of the first tab in @p text; 0 if none. */
static void tab_position(const char *text, int *line, int *col)
{
  const char *t = strchr(text, '\t');
  *line = *col = 0;
  if (!t) return;
  *line = 1;
  const char *ls = text;
  for (const char *p = text; p < t; p++)
    if (*p == '\n') {
      (*line)++;
      ls = p + 1;
    }
  *col = (int)(t - ls) + 1;
}

/** @brief Line (1-based) of the first line after line @p after whose text (past indentation and
 *         a "- ") starts with "KEY:", the repeat of a duplicated key; 0 if none. */
static int repeat_line(const char *text, const char *key, int after)
{
  size_t k = strlen(key);
  int l = 1;
  for (const char *p = text; *p; l++) {
    const char *q = p;
    while (*q == ' ')
      q++;
    if (q[0] == '-' && q[1] == ' ') q += 2;
    while (*q == ' ')
      q++;
    if (l > after && strncmp(q, key, k) == 0 && (q[k] == ':' || q[k] == ' ')) return l;
    p = strchr(p, '\n');
    if (!p) break;
    p++;
  }
  return 0;
}

/** @brief "a list", "a mapping" or "a single value" for a libcyaml event or type name. */
static const char *yaml_kind(const char *w)
{
  if (strncmp(w, "SEQUENCE", 8) == 0) return "a list";
  if (strncmp(w, "MAPPING", 7) == 0) return "a mapping";
  return "a single value";
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

int scenario_key_line(const struct scenario *s, const char *key)
{
  return s->text ? key_line(s->text, key) : 0;
}

/** @brief Line and column (1-based) of the first whole-word occurrence of @p word. */
static void word_position(const char *text, const char *word, int *line, int *col)
{
  size_t n = strlen(word);
  int l = 1;
  const char *ls = text;
  *line = *col = 0;
  for (const char *p = text; *p; p++) {
    if (*p == '\n') {
      l++;
      ls = p + 1;
      continue;
    }
    if (strncmp(p, word, n) == 0 &&
        (p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
        !(isalnum((unsigned char)p[n]) || p[n] == '_')) {
      /* skip comment lines */
      const char *q = ls;
      while (*q == ' ')
        q++;
      if (*q == '#') continue;
      *line = l;
      *col = (int)(p - ls) + 1;
      return;
    }
  }
}

/**
 * @brief Turn a libcyaml error into "FILE:LINE:COL: reason (expected ...)":
 *        libcyaml names the offending key or value but not its position, so
 *        the token is located in the text.
 */
static void cyaml_message(const char *path, const char *text, const struct log_ctx *lc,
                          cyaml_err_t e, char *err, size_t errlen)
{
  const char *msg = lc->msg;
  char kind[32], got[32], dup[128];
  if (strstr(msg, "tab character")) {
    int tl, tc;
    tab_position(text, &tl, &tc);
    snprintf(err, errlen, "%s:%d:%d: tab character (expected spaces for indentation)", path, tl,
             tc);
    return;
  }
  if (sscanf(msg, "Load: Mapping field already seen: %127s", dup) == 1) {
    int dl = repeat_line(text, dup, lc->line);
    snprintf(err, errlen, "%s:%d: key '%s' is given twice (expected each key once)", path,
             dl ? dl : lc->line, dup);
    return;
  }
  if (sscanf(msg, "Load: Expecting %31[A-Z_], got event: %31[A-Z_]", kind, got) == 2 && lc->line) {
    snprintf(err, errlen, "%s:%d:%d: %s is %s (expected %s; see docs/scenarios.md)", path, lc->line,
             lc->col, lc->field, yaml_kind(got), yaml_kind(kind));
    return;
  }
  if (sscanf(msg, "Load: Expecting %31[A-Z_], got event: %31[A-Z_]", kind, got) == 2) {
    snprintf(err, errlen,
             "%s: the scenario is %s (expected a YAML mapping with name, start_year, end_year, "
             "replicates, seed, data)",
             path, yaml_kind(got));
    return;
  }
  char tok[128] = "";
  const char *q;
  static const char unexpected[] = "Unexpected key: ",
                    missing[] = "Missing required mapping field: ";
  if ((q = strstr(msg, unexpected)))
    sscanf(q + sizeof unexpected - 1, "%127[^ \n]", tok);
  else if ((q = strchr(msg, '\'')))
    sscanf(q + 1, "%127[^']", tok);
  else if ((q = strstr(msg, "Invalid ENUM value: ")))
    sscanf(q + strlen("Invalid ENUM value: "), "%127[^ \n]", tok);
  else if ((q = strstr(msg, missing)))
    sscanf(q + sizeof missing - 1, "%127[^ \n]", tok);
  int line = 0, col = 0;
  /* a number where a name belongs: libcyaml's own position (a search for "1" would find
   * the first 1 of the file) */
  if (tok[0] && !strstr(msg, "Missing required") && !strstr(msg, "Invalid ENUM value"))
    word_position(text, tok, &line, &col);
  if (!line && lc->line && !strstr(msg, "Missing required")) {
    line = lc->line;
    col = lc->col;
  }
  const char *what = msg[0] ? msg : cyaml_strerror(e);
  static const char load[] = "Load: ";
  if (strncmp(what, load, sizeof load - 1) == 0) what += sizeof load - 1;
  char expected[400];
  if (strstr(msg, "Invalid INT value") || strstr(msg, "Invalid enumeration") ||
      strstr(msg, "Invalid ENUM value")) {
    /* an unknown enum value: the only enums are intervention types and demand */
    char list[300] = "";
    for (int i = 0; i < N_IV_TYPES; i++) {
      strcat(list, iv_type_labels[i]);
      if (i + 1 < N_IV_TYPES) strcat(list, ", ");
    }
    snprintf(expected, sizeof expected,
             "expected an intervention type (%s), or for demand low, middle, high or draw)", list);
    if (line)
      snprintf(err, errlen, "%s:%d:%d: unknown value '%s' (%s)", path, line, col, tok, expected);
    else
      snprintf(err, errlen, "%s: unknown value '%s' (%s)", path, tok, expected);
    return;
  }
  if (strstr(msg, "Invalid") && strstr(msg, "value"))
    snprintf(expected, sizeof expected,
             "expected a number of the key's type; see docs/scenarios.md");
  else if (strstr(msg, "Unexpected key") && strcmp(lc->field, "behaviour") == 0)
    snprintf(expected, sizeof expected,
             "expected behaviour keys exit_pshare_elasticity, sick_pshare_elasticity, "
             "exit_shift_ratio; see docs/scenarios.md");
  else
    snprintf(expected, sizeof expected,
             "expected keys name, description, start_year, end_year, replicates, seed, data, "
             "demand, demand_weights, productivity_growth, parameter_uncertainty, "
             "assumed_uncertainty, replicates_per_draw, behaviour, "
             "interventions; see docs/scenarios.md");
  if (line)
    snprintf(err, errlen, "%s:%d:%d: %s (%s)", path, line, col, what, expected);
  else
    snprintf(err, errlen, "%s: %s (%s)", path, what, expected);
}

/** How a whole number parsed (whole()). */
enum whole_rc { WHOLE_OK, WHOLE_NOT, WHOLE_RANGE };

/**
 * @brief Parse @p v strictly as a decimal whole number: an optional sign and digits, nothing
 *        else (no fraction, exponent, hex or spaces); WHOLE_RANGE past +-UINT64_MAX.
 */
static enum whole_rc whole(const char *v, bool *neg, uint64_t *mag)
{
  const char *p = v;
  *neg = false;
  *mag = 0;
  if (*p == '+' || *p == '-') *neg = *p++ == '-';
  if (!isdigit((unsigned char)*p)) return WHOLE_NOT;
  bool over = false;
  for (; isdigit((unsigned char)*p); p++) {
    unsigned d = (unsigned)(*p - '0');
    if (*mag > (UINT64_MAX - d) / 10) over = true;
    *mag = *mag * 10 + d;
  }
  if (*p) return WHOLE_NOT;
  return over ? WHOLE_RANGE : WHOLE_OK;
}

/** @brief Parse @p v as a whole number within [lo, hi] into @p out. */
static enum whole_rc whole_in(const char *v, long long lo, long long hi, long long *out)
{
  bool neg;
  uint64_t mag;
  enum whole_rc rc = whole(v, &neg, &mag);
  if (rc != WHOLE_OK) return rc;
  if (mag > (uint64_t)LLONG_MAX) return WHOLE_RANGE;
  *out = neg ? -(long long)mag : (long long)mag;
  return *out < lo || *out > hi ? WHOLE_RANGE : WHOLE_OK;
}

const char *scenario_default_path(void)
{
  return HWSIM_SOURCE_DIR "/sim/scenarios/baseline.yaml";
}

/** @brief Line and column (1-based) of the k-th "- type:" entry (k from 0) in text. */
static void iv_position(const char *text, unsigned k, int *line, int *col)
{
  *line = 0;
  *col = 0;
  int l = 1;
  unsigned seen = 0;
  const char *ls = text;
  for (const char *p = text; *p; p++) {
    if (p == ls) {
      const char *q = p;
      while (*q == ' ')
        q++;
      if (q[0] == '-' && strncmp(q + 1, " type:", sizeof " type:" - 1) == 0) {
        if (seen++ == k) {
          *line = l;
          *col = (int)(q - ls) + 1;
          return;
        }
      }
    }
    if (*p == '\n') {
      l++;
      ls = p + 1;
    }
  }
}

double intervention_uptake(const struct intervention *iv, int year)
{
  if (year < iv->start || year > iv->end) return 0;
  if (iv->ramp_years <= 0) return iv->uptake;
  double f = (double)(year - iv->start + 1) / (double)iv->ramp_years;
  return iv->uptake * (f < 1 ? f : 1);
}

int scenario_draw_size(const struct scenario *s)
{
  return scenario_n_sources(s) > 0 && s->replicates_per_draw > 0 ? s->replicates_per_draw : 1;
}

const char *const unc_source_labels[N_UNC_SOURCES] = {"fitted", "assumed", "demand"};

int scenario_source_on(const struct scenario *s, int src)
{
  switch (src) {
  case UNC_FITTED:
    return s->param_uncertainty != 0;
  case UNC_ASSUMED:
    return s->assumed_uncertainty != 0;
  case UNC_DEMAND:
    return s->demand_draw != 0;
  default:
    return 0;
  }
}

int scenario_n_sources(const struct scenario *s)
{
  int n = 0;
  for (int k = 0; k < N_UNC_SOURCES; k++)
    n += scenario_source_on(s, k);
  return n;
}

int scenario_draw_block(const struct scenario *s)
{
  const int n = scenario_n_sources(s);
  return n >= 2 ? n + 1 : 1;
}

uint64_t scenario_draw_key(const struct scenario *s, int src, int d)
{
  const int block = scenario_draw_block(s);
  if (block == 1) return (uint64_t)d;
  int idx = 0; /* the source's place among the drawn ones */
  for (int k = 0; k < src; k++)
    idx += scenario_source_on(s, k);
  const int j = d % block, base = d - j;
  return (uint64_t)(j == 0 || j == idx + 1 ? base : d);
}

/** Where one `interventions:` entry is, for its error messages. */
struct iv_where {
  const char *path;
  int line, col;
  unsigned k;        /**< index of the entry, from 0 */
  const char *tname; /**< its type */
  char *err;
  size_t errlen;
};

/** @brief "FILE:LINE:COL: intervention K (TYPE): message" into the error buffer; returns -1. */
static int iv_err(const struct iv_where *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int iv_err(const struct iv_where *w, const char *fmt, ...)
{
  char m[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, sizeof m, fmt, ap);
  va_end(ap);
  snprintf(w->err, w->errlen, "%s:%d:%d: intervention %u (%s): %s", w->path, w->line, w->col,
           w->k + 1, w->tname, m);
  return -1;
}

/** @brief One optional whole number of an intervention: @p str parsed into @p *dst (pointed at
 *         @p v), or -1 with err naming @p key and what was @p expected. */
static int iv_whole(const struct iv_where *w, const char *key, const char *str, int lo, int hi,
                    const char *expected, int **dst, int *v)
{
  *dst = NULL;
  if (!str) return 0;
  long long x = 0;
  enum whole_rc rc = whole_in(str, lo, hi, &x);
  if (rc == WHOLE_NOT)
    return iv_err(w, "%s '%s' is not a whole number (expected %s)", key, str, expected);
  if (rc == WHOLE_RANGE)
    return iv_err(w, "%s %s is out of range (expected %s)", key, str, expected);
  *v = (int)x;
  *dst = v;
  return 0;
}

/** @brief A YAML boolean, strictly: 1 for true, 0 for false, -1 for anything else. */
static int strict_bool(const char *v)
{
  if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0 || strcmp(v, "TRUE") == 0) return 1;
  if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0 || strcmp(v, "FALSE") == 0) return 0;
  return -1;
}

/** @brief The entry's whole numbers, parsed strictly (wide bounds here: the resolvers check
 *         the ranges that depend on the scenario); 0 or -1 with err. */
static int iv_whole_numbers(struct iv_yaml *y, const struct iv_where *w)
{
  char ages_exp[64];
  snprintf(ages_exp, sizeof ages_exp, "[from, to] within %d..%d", AGE_MIN, AGE_MAX);
  if (iv_whole(w, "start", y->start_s, INT_MIN, INT_MAX, "a calendar year", &y->start,
               &y->start_v) ||
      iv_whole(w, "end", y->end_s, INT_MIN, INT_MAX, "a calendar year", &y->end, &y->end_v) ||
      iv_whole(w, "ramp_years", y->ramp_years_s, INT_MIN, INT_MAX, "0.." XSTR(IV_RAMP_YEARS_MAX),
               &y->ramp_years, &y->ramp_years_v) ||
      iv_whole(w, "years", y->years_s, INT_MIN, INT_MAX, "0.." XSTR(IV_YEARS_MAX), &y->years,
               &y->years_v) ||
      iv_whole(w, "before_age", y->before_age_s, INT_MIN, INT_MAX,
               XSTR(IV_BEFORE_AGE_MIN) ".." XSTR(AGE_MAX), &y->before_age, &y->before_age_v) ||
      iv_whole(w, "first_years", y->first_years_s, INT_MIN, INT_MAX, "0.." XSTR(IV_FIRST_YEARS_MAX),
               &y->first_years, &y->first_years_v) ||
      iv_whole(w, "weekend_every", y->weekend_every_s, INT_MIN, INT_MAX,
               XSTR(IV_WEEKEND_EVERY_MIN) ".." XSTR(IV_WEEKEND_EVERY_MAX), &y->weekend_every,
               &y->weekend_every_v))
    return -1;
  y->ages = NULL;
  if (y->ages_s) {
    int *p;
    for (unsigned i = 0; i < 2 && i < y->ages_s_count; i++)
      if (iv_whole(w, "ages", y->ages_s[i], INT_MIN, INT_MAX, ages_exp, &p, &y->ages_v[i]))
        return -1;
    y->ages = y->ages_v;
  }
  return 0;
}

/** @brief The years in force: start and end within the simulated years; 0 or -1 with err. */
static int iv_resolve_years(const struct scenario *s, const struct iv_yaml *y,
                            struct intervention *iv, const struct iv_where *w)
{
  iv->start = y->start ? *y->start : s->start_year + 1;
  iv->end = y->end ? *y->end : s->end_year;
  if (iv->start <= s->start_year || iv->start > s->end_year)
    return iv_err(w, "start %d is outside the simulated years (expected %d..%d)", iv->start,
                  s->start_year + 1, s->end_year);
  if (iv->end < iv->start || iv->end > s->end_year)
    return iv_err(w, "end %d is out of range (expected start..%d)", iv->end, s->end_year);
  return 0;
}

/** @brief Whom it targets: groups, sectors and ages (default all); 0 or -1 with err. */
static int iv_resolve_targets(const struct iv_yaml *y, struct intervention *iv,
                              const struct iv_where *w)
{
  iv->groups = y->groups ? 0 : IV_ALL_GROUPS;
  for (unsigned i = 0; y->groups && i < y->groups_count; i++) {
    int g = dims_lookup(group_labels, N_GROUPS, y->groups[i]);
    if (g < 0)
      return iv_err(w, "unknown group '%s' (expected a group id from brief.md)", y->groups[i]);
    iv->groups |= 1u << g;
  }
  iv->sectors = y->sectors ? 0 : IV_HEALTH_SECTORS;
  for (unsigned i = 0; y->sectors && i < y->sectors_count; i++) {
    int sec = dims_lookup(sector_labels, N_SECTORS, y->sectors[i]);
    if (sec < 0)
      return iv_err(w,
                    "unknown sector '%s' (expected municipal, specialist, other_health, outside "
                    "or not_working)",
                    y->sectors[i]);
    iv->sectors |= 1u << sec;
  }
  iv->age_from = y->ages ? y->ages[0] : AGE_MIN;
  iv->age_to = y->ages ? y->ages[1] : AGE_MAX;
  if (iv->age_from < AGE_MIN || iv->age_to > AGE_MAX || iv->age_to < iv->age_from)
    return iv_err(w, "ages [%d, %d] out of range (expected [from, to] within %d..%d)", iv->age_from,
                  iv->age_to, AGE_MIN, AGE_MAX);
  return 0;
}

/** @brief The optional sizes, with their defaults and ranges; 0 or -1 with err. */
static int iv_resolve_sizes(const struct iv_yaml *y, struct intervention *iv,
                            const struct iv_where *w)
{
  iv->uptake = y->uptake ? *y->uptake : 1.0;
  if (!(iv->uptake >= 0 && iv->uptake <= 1))
    return iv_err(w, "uptake %g is out of range (expected a share in [0, 1])", iv->uptake);
  iv->ramp_years = y->ramp_years ? *y->ramp_years : 0;
  if (iv->ramp_years < 0 || iv->ramp_years > IV_RAMP_YEARS_MAX)
    return iv_err(w, "ramp_years %d is out of range (expected 0..%d)", iv->ramp_years,
                  IV_RAMP_YEARS_MAX);
  iv->want_more = y->want_more ? *y->want_more : 1.0;
  if (!(iv->want_more >= 0 && iv->want_more <= 1))
    return iv_err(w, "want_more %g is out of range (expected a share in [0, 1])", iv->want_more);
  iv->factor = y->factor ? *y->factor : 1.0;
  if (!(iv->factor >= 0 && iv->factor <= IV_FACTOR_MAX))
    return iv_err(w, "factor %g is out of range (expected 0..%g)", iv->factor, IV_FACTOR_MAX);
  iv->duration_factor = y->duration_factor ? *y->duration_factor : 1.0;
  if (!(iv->duration_factor > 0 && iv->duration_factor <= IV_FACTOR_MAX))
    return iv_err(w, "duration_factor %g is out of range (expected > 0 and <= %g)",
                  iv->duration_factor, IV_FACTOR_MAX);
  iv->first_years = y->first_years ? *y->first_years : 0;
  if (iv->first_years < 0 || iv->first_years > IV_FIRST_YEARS_MAX)
    return iv_err(w, "first_years %d is out of range (expected 0..%d)", iv->first_years,
                  IV_FIRST_YEARS_MAX);
  iv->add = y->add ? *y->add : 0.0;
  if (!(iv->add >= -IV_ADD_MAX && iv->add <= IV_ADD_MAX))
    return iv_err(w, "add %g is out of range (expected -%g..%g persons a year)", iv->add,
                  IV_ADD_MAX, IV_ADD_MAX);
  iv->once = y->once ? strict_bool(y->once) : 0;
  if (iv->once < 0)
    return iv_err(w, "once '%s' is not a boolean (expected true or false)", y->once);
  iv->years = y->years ? *y->years : 0;
  iv->before_age = y->before_age ? *y->before_age : IV_BEFORE_AGE_DEFAULT;
  iv->level = y->level ? *y->level : 0.0;
  iv->share = y->share ? *y->share : 0.0;
  iv->cap_at_age = y->cap_at_age ? strict_bool(y->cap_at_age) : 0;
  if (iv->cap_at_age < 0)
    return iv_err(w, "cap_at_age '%s' is not a boolean (expected true or false)", y->cap_at_age);
  iv->full_time_cap = y->full_time_cap ? *y->full_time_cap : 0.0;
  iv->capacity = y->capacity ? *y->capacity : 0.0;
  if (y->capacity && iv->type != IV_STUDY_PLACES)
    return iv_err(w, "capacity applies to study_places only");
  if (y->capacity && !(iv->capacity > 0 && iv->capacity <= IV_ADD_MAX))
    return iv_err(w, "capacity %g is out of range (expected > 0 and <= %g persons a year)",
                  iv->capacity, IV_ADD_MAX);
  if (y->full_time_cap && iv->type != IV_PSHARE_FLOOR)
    return iv_err(w, "full_time_cap applies to pshare_floor only");
  if (y->full_time_cap && !(iv->full_time_cap > 0 && iv->full_time_cap <= 1))
    return iv_err(w, "full_time_cap %g is out of range (expected a share in (0, 1])",
                  iv->full_time_cap);
  iv->weekend_every = y->weekend_every ? *y->weekend_every : IV_WEEKEND_EVERY_DEFAULT;
  if (y->weekend_every && !y->full_time_cap)
    return iv_err(w, "weekend_every needs full_time_cap (it scales the rota limit)");
  if (iv->weekend_every < IV_WEEKEND_EVERY_MIN || iv->weekend_every > IV_WEEKEND_EVERY_MAX)
    return iv_err(w,
                  "weekend_every %d is out of range (expected %d..%d: weekend work every k-th "
                  "weekend)",
                  iv->weekend_every, IV_WEEKEND_EVERY_MIN, IV_WEEKEND_EVERY_MAX);
  iv->conversion = y->conversion ? *y->conversion : 1.0;
  iv->to_group = -1;
  if (y->to_group) {
    iv->to_group = dims_lookup(group_labels, N_GROUPS, y->to_group);
    if (iv->to_group < 0)
      return iv_err(w, "unknown to_group '%s' (expected a group id from brief.md)", y->to_group);
  }
  return 0;
}

/** @brief The demand measures' own checks (task_sharing, demand_factor); 0 or -1 with err. */
static int iv_check_demand(const struct iv_yaml *y, const struct intervention *iv,
                           const struct iv_where *w)
{
  if (iv->sectors & ~IV_HEALTH_SECTORS)
    return iv_err(w, "sectors must be health sectors (expected municipal, specialist or "
                     "other_health: demand is defined there only)");
  if (y->ages) return iv_err(w, "ages do not apply to demand (expected no `ages`)");
  if (iv->type == IV_DEMAND_FACTOR) {
    if (!y->factor) return iv_err(w, "needs `factor` (demand multiplier after the ramp)");
    if (!(iv->factor > 0)) return iv_err(w, "factor %g is out of range (expected > 0)", iv->factor);
    return 0;
  }
  if (!y->groups || y->groups_count != 1)
    return iv_err(w, "needs `groups` with one group (whose tasks move)");
  if (iv->to_group < 0) return iv_err(w, "needs `to_group` (the group that takes the tasks)");
  if (iv->groups == 1u << iv->to_group)
    return iv_err(w, "to_group is the group itself (expected another group)");
  if (!y->share) return iv_err(w, "needs `share` (of the group's demand that moves)");
  if (!(iv->share > 0 && iv->share <= 1))
    return iv_err(w, "share %g is out of range (expected a share in (0, 1])", iv->share);
  if (!(iv->conversion > 0 && iv->conversion <= IV_CONVERSION_MAX))
    return iv_err(w, "conversion %g is out of range (expected > 0 and <= %g)", iv->conversion,
                  IV_CONVERSION_MAX);
  return 0;
}

/** @brief What each type needs, and the ranges of its level; 0 or -1 with err. */
static int iv_check_type(const struct iv_yaml *y, const struct intervention *iv,
                         const struct iv_where *w)
{
  switch (iv->type) {
  case IV_PSHARE_FLOOR:
    if (!y->level) return iv_err(w, "needs `level` (the floor, percent of full time)");
    if (!(iv->level >= 0 && iv->level <= PSHARE_FULL))
      return iv_err(w, "level %g is out of range (expected 0..%d percent)", iv->level, PSHARE_FULL);
    break;
  case IV_LONG_SHIFTS:
    if (!y->level) return iv_err(w, "needs `level` (percentage points added to the position)");
    if (!(iv->level >= 0 && iv->level <= PSHARE_FULL))
      return iv_err(w, "level %g is out of range (expected 0..%d percentage points)", iv->level,
                    PSHARE_FULL);
    break;
  case IV_EXTEND_WORKING_LIFE:
    if (iv->sectors >> SEC_NOT_WORKING & 1u)
      return iv_err(w, "sectors must not include not_working (expected the sectors of those who "
                       "work: an exit from not_working is not an exit from work)");
    /* years and before_age as later_retirement */
    __attribute__((fallthrough));
  case IV_LATER_RETIREMENT:
    if (!y->years) return iv_err(w, "needs `years` (more working years, e.g. 1 or 2)");
    if (iv->years < 0 || iv->years > IV_YEARS_MAX)
      return iv_err(w, "years %d is out of range (expected 0..%d)", iv->years, IV_YEARS_MAX);
    if (iv->before_age < IV_BEFORE_AGE_MIN || iv->before_age > AGE_MAX)
      return iv_err(w, "before_age %d is out of range (expected %d..%d)", iv->before_age,
                    IV_BEFORE_AGE_MIN, AGE_MAX);
    break;
  case IV_DISABILITY:
  case IV_RETENTION:
  case IV_COMPLETION:
    if (!y->factor) return iv_err(w, "needs `factor` (hazard multiplier)");
    break;
  case IV_SICK_LEAVE:
    if (!y->factor && !y->duration_factor)
      return iv_err(w, "needs `factor` and/or `duration_factor`");
    break;
  case IV_STUDY_PLACES:
    if (!y->add && !y->capacity)
      return iv_err(w, "needs `add` (study places a year) and/or `capacity` (the most a year)");
    if (iv->groups == IV_ALL_GROUPS) return iv_err(w, "needs `groups` (which programmes)");
    break;
  case IV_RECRUITMENT_ABROAD:
    if (!y->factor && !y->add) return iv_err(w, "needs `factor` and/or `add`");
    break;
  case IV_ALIS:
    if (!y->level) return iv_err(w, "needs `level` (new ALIS a year)");
    if (!(iv->level >= 0 && iv->level <= IV_ALIS_MAX))
      return iv_err(w, "level %g is out of range (expected 0..%g ALIS a year)", iv->level,
                    IV_ALIS_MAX);
    break;
  case IV_LIS1_POSTS:
    if (!y->add) return iv_err(w, "needs `add` (LIS1 posts a year)");
    break;
  case IV_LIST_NORM:
    if (!y->level) return iv_err(w, "needs `level` (patients per full-time GP)");
    if (!(iv->level >= IV_LIST_NORM_MIN && iv->level <= IV_LIST_NORM_MAX))
      return iv_err(w,
                    "level %g is out of range (expected %g..%g patients; the maximum list is "
                    "2 500)",
                    iv->level, IV_LIST_NORM_MIN, IV_LIST_NORM_MAX);
    break;
  case IV_TASK_SHARING:
  case IV_DEMAND_FACTOR:
    return iv_check_demand(y, iv, w);
  case IV_GP_RETENTION:
    if (!y->factor && !y->share)
      return iv_err(w, "needs `factor` (list-leaving hazard multiplier) and/or `share` (of the "
                       "fitted late growth gp_quit_late undone)");
    if (!(iv->share >= 0 && iv->share <= 1))
      return iv_err(w, "share %g is out of range (expected a share in [0, 1])", iv->share);
    if (iv->groups != IV_ALL_GROUPS && iv->groups != 1u << G_PHYSICIAN)
      return iv_err(w, "groups must be physician (GPs are physicians)");
    break;
  case IV_GP_HOURS:
    if (!y->level) return iv_err(w, "needs `level` (mean weekly hours)");
    if (!(iv->level >= IV_GP_HOURS_MIN && iv->level <= IV_GP_HOURS_MAX))
      return iv_err(w, "level %g is out of range (expected %g..%g hours a week)", iv->level,
                    IV_GP_HOURS_MIN, IV_GP_HOURS_MAX);
    break;
  default:
    break;
  }
  return 0;
}

/** @brief Whether a measure of type @p t has size @p k (enum iv_range). */
static int iv_has_size(enum iv_type t, int k)
{
  switch (k) {
  case IVR_FACTOR:
    return t == IV_DISABILITY || t == IV_SICK_LEAVE || t == IV_RETENTION || t == IV_COMPLETION ||
           t == IV_RECRUITMENT_ABROAD || t == IV_DEMAND_FACTOR || t == IV_GP_RETENTION;
  case IVR_SHARE:
    return t == IV_TASK_SHARING || t == IV_GP_RETENTION;
  default:
    return 1; /* uptake */
  }
}

/** @brief `factor_range`, `share_range`, `uptake_range`: a range around the key's own value,
 *         within the key's own bounds; 0 or -1 with err. */
static int iv_resolve_ranges(const struct iv_yaml *y, struct intervention *iv,
                             const struct iv_where *w)
{
  const char *name[N_IV_RANGES] = {"factor", "share", "uptake"};
  const double *v[N_IV_RANGES] = {y->factor_range, y->share_range, y->uptake_range};
  const double nominal[N_IV_RANGES] = {iv->factor, iv->share, iv->uptake};
  const double lo_min[N_IV_RANGES] = {0, 0, 0}, hi_max[N_IV_RANGES] = {IV_FACTOR_MAX, 1, 1};
  iv->ranges = 0;
  for (int k = 0; k < N_IV_RANGES; k++) {
    if (!v[k]) continue;
    if (!iv_has_size(iv->type, k))
      return iv_err(w, "%s_range: %s has no %s (expected a range only for a size the measure has)",
                    name[k], iv_type_labels[iv->type], name[k]);
    const double lo = v[k][0], hi = v[k][1];
    if (!(lo >= lo_min[k] && hi <= hi_max[k] && lo < hi))
      return iv_err(w, "%s_range [%g, %g] is out of range (expected low < high within %g..%g)",
                    name[k], lo, hi, lo_min[k], hi_max[k]);
    if (!(nominal[k] >= lo && nominal[k] <= hi))
      return iv_err(w,
                    "%s %g is outside its %s_range [%g, %g] (expected the value the run uses "
                    "without draws inside the range)",
                    name[k], nominal[k], name[k], lo, hi);
    iv->range_lo[k] = lo;
    iv->range_hi[k] = hi;
    iv->ranges |= 1u << k;
  }
  return 0;
}

int scenario_has_ranges(const struct scenario *s)
{
  for (int k = 0; k < s->n_iv; k++)
    if (s->iv[k].ranges) return 1;
  return 0;
}

void scenario_draw_ranges(const struct scenario *s, int d, struct scenario *out)
{
  *out = *s;
  if (!s->assumed_uncertainty) return;
  const uint64_t key = scenario_draw_key(s, UNC_ASSUMED, d);
  for (int k = 0; k < s->n_iv; k++) {
    struct intervention *iv = &out->iv[k];
    double *dst[N_IV_RANGES] = {&iv->factor, &iv->share, &iv->uptake};
    for (int j = 0; j < N_IV_RANGES; j++)
      if (iv->ranges >> j & 1u) {
        const double u = rng_key_uniform(
            s->seed, key, RNG_RANGE_ID0 + (uint64_t)(N_IV_RANGES * k + j), RNG_ASSUMED);
        *dst[j] = iv->range_lo[j] + u * (iv->range_hi[j] - iv->range_lo[j]);
      }
  }
}

/** @brief Turn one YAML entry into a resolved intervention; 0 or -1 with err. */
static int iv_resolve(const struct scenario *s, struct iv_yaml *y, unsigned k,
                      struct intervention *iv, char *err, size_t errlen)
{
  struct iv_where w = {
      .path = s->path, .k = k, .tname = iv_type_labels[y->type], .err = err, .errlen = errlen};
  iv_position(s->text, k, &w.line, &w.col);
  memset(iv, 0, sizeof *iv);
  iv->type = (enum iv_type)y->type;
  iv->line = w.line;
  if (iv_whole_numbers(y, &w) || iv_resolve_years(s, y, iv, &w) || iv_resolve_targets(y, iv, &w) ||
      iv_resolve_sizes(y, iv, &w) || iv_check_type(y, iv, &w))
    return -1;
  return iv_resolve_ranges(y, iv, &w);
}

/** The largest scenario file read (a scenario is a few KiB of YAML). */
#define SCENARIO_MAX_BYTES (1L << 20)

/**
 * @brief Read the scenario file into s->text (with its SHA-256 and path), in a bounded loop
 *        that works for pipes too; a directory, a file over SCENARIO_MAX_BYTES or a read error
 *        is refused.  A UTF-8 byte-order mark is dropped from the text (the hash covers the
 *        file as read).
 * @return the bytes of text, or -1 with err.
 */
static long scenario_read(struct scenario *s, const char *path, char *err, size_t errlen)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: cannot open scenario: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    fclose(f);
    snprintf(err, errlen, "%s: is a directory (expected a scenario file)", path);
    return -1;
  }
  size_t cap = 4096, got = 0;
  s->text = hw_alloc(cap + 1, 1, "the scenario's text", err, errlen);
  for (;;) {
    if (!s->text) {
      fclose(f);
      return -1;
    }
    size_t n = fread(s->text + got, 1, cap - got, f);
    got += n;
    if (got > (size_t)SCENARIO_MAX_BYTES) {
      fclose(f);
      scenario_free(s);
      snprintf(err, errlen, "%s: scenario is larger than %ld KiB (expected a small YAML file)",
               path, SCENARIO_MAX_BYTES / 1024);
      return -1;
    }
    if (n == 0 || got < cap) {
      if (ferror(f)) {
        int e = errno;
        fclose(f);
        scenario_free(s);
        snprintf(err, errlen, "%s: cannot read scenario: %s", path, strerror(e));
        return -1;
      }
      if (feof(f)) break;
      continue;
    }
    cap *= 2;
    char *t = hw_realloc(s->text, cap + 1, 1, "the scenario's text", err, errlen);
    if (!t) scenario_free(s);
    s->text = t;
  }
  fclose(f);
  s->text[got] = '\0';
  sha256_hex(s->text, got, s->sha256);
  snprintf(s->path, sizeof s->path, "%s", path);
  static const char bom[] = "\xef\xbb\xbf";
  if (got >= 3 && memcmp(s->text, bom, 3) == 0) {
    memmove(s->text, s->text + 3, got - 3 + 1);
    got -= 3;
  }
  size_t len = strlen(s->text);
  if (len != got) {
    int line = 1;
    for (size_t i = 0; i < len; i++)
      line += s->text[i] == '\n';
    snprintf(err, errlen, "%s:%d: NUL byte in the scenario (expected a YAML text file)", path,
             line);
    scenario_free(s);
    return -1;
  }
  return (long)got;
}

/** @brief The data directory: @p data as given when absolute, else relative to the scenario's. */
static void scenario_data_dir(struct scenario *s, const char *path, const char *data)
{
  if (data[0] == '/') {
    snprintf(s->data_dir, sizeof s->data_dir, "%s", data);
    return;
  }
  char dir[1024];
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (slash)
    *slash = '\0';
  else
    snprintf(dir, sizeof dir, ".");
  snprintf(s->data_dir, sizeof s->data_dir, "%s/%s", dir, data);
}

/** @brief "FILE:LINE: " + message into err, LINE that of top-level @p key; returns -1. */
static int key_err(const struct scenario *s, const char *key, char *err, size_t errlen,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int key_err(const struct scenario *s, const char *key, char *err, size_t errlen,
                   const char *fmt, ...)
{
  char m[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, sizeof m, fmt, ap);
  va_end(ap);
  snprintf(err, errlen, "%s:%d: %s", s->path, key_line(s->text, key), m);
  return -1;
}

/**
 * @brief Top-level whole number @p key (text @p v) within [lo, hi] into @p out; else -1 with
 *        "KEY V is not a whole number" or "KEY V is out of range" and what was @p expected.
 */
static int top_whole(const struct scenario *s, const char *key, const char *v, long long lo,
                     long long hi, const char *expected, long long *out, char *err, size_t errlen)
{
  enum whole_rc rc = whole_in(v, lo, hi, out);
  if (rc == WHOLE_NOT)
    return key_err(s, key, err, errlen, "%s '%s' is not a whole number (expected %s)", key, v,
                   expected);
  if (rc == WHOLE_RANGE)
    return key_err(s, key, err, errlen, "%s %s is out of range (expected %s)", key, v, expected);
  return 0;
}

/** @brief The seed: a whole number 0..UINT64_MAX; 0 or -1 with err. */
static int scenario_seed(struct scenario *s, const char *v, char *err, size_t errlen)
{
  bool neg;
  uint64_t mag;
  enum whole_rc rc = whole(v, &neg, &mag);
  if (rc == WHOLE_NOT)
    return key_err(s, "seed", err, errlen,
                   "seed '%s' is not a whole number (expected 0..%" PRIu64 ")", v, UINT64_MAX);
  if (rc == WHOLE_RANGE || (neg && mag))
    return key_err(s, "seed", err, errlen, "seed %s is out of range (expected 0..%" PRIu64 ")", v,
                   UINT64_MAX);
  s->seed = mag;
  return 0;
}

/** @brief The name becomes results/NAME.h5: a plain file name; 0 or -1 with err. */
static int scenario_name(struct scenario *s, const char *name, char *err, size_t errlen)
{
  bool plain = name[0] && name[0] != '.';
  for (const char *p = name; plain && *p; p++)
    plain = isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.';
  if (!plain)
    return key_err(s, "name", err, errlen,
                   "name '%s' is not a plain file name (expected letters, digits, '_', '-', '.')",
                   name);
  snprintf(s->name, sizeof s->name, "%s", name);
  return 0;
}

/** @brief The run's name, years, replicate count and seed, parsed and in range; 0 or -1. */
static int scenario_check_run(struct scenario *s, const struct scenario_yaml *y, char *err,
                              size_t errlen)
{
  char exp[64];
  long long start, end, reps;
  if (scenario_name(s, y->name, err, errlen)) return -1;
  snprintf(exp, sizeof exp, "%d..%d", SCN_YEAR_MIN, SCN_START_YEAR_MAX);
  if (top_whole(s, "start_year", y->start_year_s, SCN_YEAR_MIN, SCN_START_YEAR_MAX, exp, &start,
                err, errlen))
    return -1;
  snprintf(exp, sizeof exp, "start_year+1..%d", SCN_END_YEAR_MAX);
  if (top_whole(s, "end_year", y->end_year_s, start + 1, SCN_END_YEAR_MAX, exp, &end, err, errlen))
    return -1;
  snprintf(exp, sizeof exp, "1..%d", SCN_REPLICATES_MAX);
  if (top_whole(s, "replicates", y->replicates_s, 1, SCN_REPLICATES_MAX, exp, &reps, err, errlen))
    return -1;
  if (scenario_seed(s, y->seed_s, err, errlen)) return -1;
  s->start_year = (int)start;
  s->end_year = (int)end;
  s->replicates = (int)reps;
  s->replicates_per_draw = SCN_REPLICATES_PER_DRAW_DEFAULT;
  if (y->replicates_per_draw_s) {
    long long k;
    snprintf(exp, sizeof exp, "1..%d", SCN_REPLICATES_PER_DRAW_MAX);
    if (top_whole(s, "replicates_per_draw", y->replicates_per_draw_s, 1,
                  SCN_REPLICATES_PER_DRAW_MAX, exp, &k, err, errlen))
      return -1;
    s->replicates_per_draw = (int)k;
  }
  return 0;
}

/** @brief `demand` (an alternative, or draw) and `demand_weights` (with draw only: three
 *         shares that sum to one); 0 or -1 with err. */
static int scenario_demand(struct scenario *s, const struct scenario_yaml *y, char *err,
                           size_t errlen)
{
  s->demand_draw = y->demand && *y->demand == DEMAND_DRAW_VALUE;
  s->demand = y->demand && !s->demand_draw ? (enum demand_alt)(*y->demand) : DEMAND_MIDDLE;
  memcpy(s->demand_weights, demand_weights_default, sizeof s->demand_weights);
  if (!y->demand_weights) return 0;
  if (!s->demand_draw)
    return key_err(s, "demand_weights", err, errlen,
                   "demand_weights apply to `demand: draw` only (expected demand: draw, or no "
                   "demand_weights)");
  double sum = 0;
  for (int k = 0; k < N_DEMAND_ALTS; k++) {
    double v = y->demand_weights[k];
    if (!(v >= 0 && v <= 1))
      return key_err(s, "demand_weights", err, errlen,
                     "demand_weights: %s weight %g is out of range (expected a share in [0, 1])",
                     demand_alt_labels[k], v);
    s->demand_weights[k] = v;
    sum += v;
  }
  if (fabs(sum - 1.0) > 1e-9)
    return key_err(s, "demand_weights", err, errlen,
                   "demand_weights sum to %g (expected [low, middle, high] summing to 1)", sum);
  return 0;
}

/** Elasticities of `behaviour:` must lie within +-this (a sanity bound: at 3, a 20 % position
 *  has 125 times the hazard of a full-time one). */
#define BEHAVIOUR_ELASTICITY_MAX 3.0
/** exit_shift_ratio's sanity bound: shift workers leave at most 10 times as fast as day workers */
#define BEHAVIOUR_SHIFT_RATIO_MAX 10.0

/** @brief `behaviour:`'s elasticities, default 0 (off); 0 or -1 with err. */
static int scenario_behaviour(struct scenario *s, const struct behaviour_yaml *b, char *err,
                              size_t errlen)
{
  s->exit_pshare_elasticity = b && b->exit_pshare_elasticity ? *b->exit_pshare_elasticity : 0.0;
  s->sick_pshare_elasticity = b && b->sick_pshare_elasticity ? *b->sick_pshare_elasticity : 0.0;
  const double e[2] = {s->exit_pshare_elasticity, s->sick_pshare_elasticity};
  const char *name[2] = {"exit_pshare_elasticity", "sick_pshare_elasticity"};
  for (int k = 0; k < 2; k++)
    if (!(fabs(e[k]) <= BEHAVIOUR_ELASTICITY_MAX))
      return key_err(s, "behaviour", err, errlen,
                     "behaviour: %s %g is out of range (expected -%g..%g)", name[k], e[k],
                     BEHAVIOUR_ELASTICITY_MAX, BEHAVIOUR_ELASTICITY_MAX);
  s->exit_shift_ratio = b && b->exit_shift_ratio ? *b->exit_shift_ratio : 1.0;
  if (!(s->exit_shift_ratio > 0 && s->exit_shift_ratio <= BEHAVIOUR_SHIFT_RATIO_MAX))
    return key_err(s, "behaviour", err, errlen,
                   "behaviour: exit_shift_ratio %g is out of range (expected > 0 and <= %g; 1 is "
                   "off)",
                   s->exit_shift_ratio, BEHAVIOUR_SHIFT_RATIO_MAX);
  return 0;
}

/** @brief Fill @p s from the parsed document, checking ranges; 0 or -1 with err. */
static int scenario_from_yaml(struct scenario *s, struct scenario_yaml *y, const char *path,
                              char *err, size_t errlen)
{
  if (scenario_check_run(s, y, err, errlen)) return -1;
  scenario_data_dir(s, path, y->data);
  if (scenario_demand(s, y, err, errlen)) return -1;
  s->productivity_growth = y->productivity_growth ? *y->productivity_growth : PRODUCTIVITY_DEFAULT;
  if (!(s->productivity_growth > -PRODUCTIVITY_BOUND &&
        s->productivity_growth < PRODUCTIVITY_BOUND)) {
    snprintf(err, errlen, "%s:%d: productivity_growth %g is out of range (expected -%g..%g a year)",
             path, key_line(s->text, "productivity_growth"), s->productivity_growth,
             PRODUCTIVITY_BOUND, PRODUCTIVITY_BOUND);
    return -1;
  }
  const char *bkey[2] = {"parameter_uncertainty", "assumed_uncertainty"};
  const char *bval[2] = {y->parameter_uncertainty, y->assumed_uncertainty};
  int *bdst[2] = {&s->param_uncertainty, &s->assumed_uncertainty};
  for (int k = 0; k < 2; k++) {
    *bdst[k] = bval[k] ? strict_bool(bval[k]) : 1;
    if (*bdst[k] < 0)
      return key_err(s, bkey[k], err, errlen, "%s '%s' is not a boolean (expected true or false)",
                     bkey[k], bval[k]);
  }
  if (scenario_behaviour(s, y->behaviour, err, errlen)) return -1;
  s->n_iv = 0;
  for (unsigned k = 0; k < y->interventions_count; k++) {
    if (iv_resolve(s, &y->interventions[k], k, &s->iv[s->n_iv], err, errlen) != 0) return -1;
    s->n_iv++;
  }
  return 0;
}

static int scenario_load_text(struct scenario *s, const char *path, char *err, size_t errlen)
{
  memset(s, 0, sizeof *s);
  long got = scenario_read(s, path, err, errlen);
  if (got < 0) return -1;
  struct log_ctx lc = {{0}, {0}, 0, 0};
  cyaml_config_t cfg = {.log_fn = scenario_log,
                        .log_ctx = &lc,
                        .mem_fn = cyaml_mem,
                        .log_level = CYAML_LOG_ERROR,
                        .flags = CYAML_CFG_DEFAULT};
  struct scenario_yaml *y = NULL;
  cyaml_err_t e = cyaml_load_data((const uint8_t *)s->text, (size_t)got, &cfg, &scenario_schema,
                                  (cyaml_data_t **)&y, NULL);
  if (e != CYAML_OK) {
    cyaml_message(path, s->text, &lc, e, err, errlen);
    scenario_free(s);
    return -1;
  }
  if (!y) { /* libcyaml: no document at all (empty, only comments) */
    snprintf(err, errlen,
             "%s: empty scenario (expected a YAML mapping with name, start_year, end_year, "
             "replicates, seed, data)",
             path);
    scenario_free(s);
    return -1;
  }
  int rc = scenario_from_yaml(s, y, path, err, errlen);
  cyaml_free(&cfg, &scenario_schema, y, 0);
  if (rc) scenario_free(s);
  return rc;
}

int scenario_load(struct scenario *s, const char *path, char *err, size_t errlen)
{
  int rc = scenario_load_text(s, path, err, errlen);
  /* A message may quote a value from the file, which can span lines or hold control
   * characters: the error stays one line. */
  if (rc != 0)
    for (char *c = err; *c; c++)
      if ((unsigned char)*c < ' ') *c = ' ';
  return rc;
}

void scenario_free(struct scenario *s)
{
  free(s->text);
  s->text = NULL;
}
