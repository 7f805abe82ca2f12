/**
 * @file csvtab.c
 * @brief Strict CSV table loader with file:line error messages (see csvtab.h).
 */
#include "csvtab.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dims.h"
#include "hash.h"

/** @brief Slurp a whole file into a NUL-terminated buffer (caller frees). */
static char *read_file(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (n + 4096 + 1 > cap) {
      cap *= 2;
      buf = realloc(buf, cap);
    }
    size_t k = fread(buf + n, 1, cap - n - 1, f);
    n += k;
    if (k == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

/**
 * @brief Split one line into fields in place.  Double quotes wrap a field that
 *        holds commas; quotes inside fields are not allowed.
 * @return number of fields, or -1 on a malformed quote.
 */
static int split_fields(char *line, char **fields, int maxf)
{
  int n = 0;
  char *p = line;
  for (;;) {
    if (n == maxf) return maxf + 1;
    if (*p == '"') {
      char *end = strchr(p + 1, '"');
      if (!end || (end[1] != ',' && end[1] != '\0')) return -1;
      *end = '\0';
      fields[n++] = p + 1;
      if (end[1] == '\0') break;
      p = end + 2;
    } else {
      fields[n++] = p;
      char *comma = strchr(p, ',');
      if (!comma) break;
      *comma = '\0';
      p = comma + 1;
    }
  }
  return n;
}

/** @brief Parse a real; rejects empty strings, trailing junk, NaN and inf. */
static int parse_real(const char *s, double *out)
{
  if (!*s) return -1;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (*end || errno || !isfinite(v)) return -1;
  *out = v;
  return 0;
}

/** @brief A label column (group, sex, sector, a list): its index, CSVTAB_ALL, or -1 with err. */
static int parse_label(const struct csvtab *t, const struct csvtab_col *c, const char *s, int line,
                       double *out, char *err, size_t errlen)
{
  const int all = strcmp(s, "all") == 0;
  int idx;
  switch (c->kind) {
  case COL_GROUP:
    idx = all ? CSVTAB_ALL : dims_lookup(group_labels, N_GROUPS, s);
    if (idx == -1 && !all) {
      snprintf(err, errlen,
               "%s:%d: unknown group '%s' (expected a group id from brief.md or 'all')", t->path,
               line, s);
      return -1;
    }
    break;
  case COL_SEX:
    idx = all ? CSVTAB_ALL : dims_lookup(sex_labels, N_SEXES, s);
    if (idx == -1 && !all) {
      snprintf(err, errlen, "%s:%d: unknown sex '%s' (expected female, male or all)", t->path, line,
               s);
      return -1;
    }
    break;
  case COL_SECTOR:
  case COL_HSECTOR:
    idx = all ? CSVTAB_ALL : dims_lookup(sector_labels, c->kind == COL_SECTOR ? N_SECTORS : 3, s);
    if (idx == -1 && !all) {
      snprintf(err, errlen, "%s:%d: %s '%s' is not a %ssector (expected %s or all)", t->path, line,
               c->name, s, c->kind == COL_HSECTOR ? "health " : "",
               c->kind == COL_HSECTOR
                   ? "municipal, specialist, other_health"
                   : "municipal, specialist, other_health, outside, not_working");
      return -1;
    }
    break;
  default: /* COL_LABEL */
    idx = dims_lookup(c->labels, c->nlabels, s);
    if (idx < 0) {
      char list[1024] = "";
      size_t used = 0;
      for (int i = 0; i < c->nlabels && used < sizeof list; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", c->labels[i],
                         i + 1 < c->nlabels ? ", " : "");
        if (w < 0) break;
        used += (size_t)w;
      }
      snprintf(err, errlen, "%s:%d: %s '%s' is unknown (expected one of: %s)", t->path, line,
               c->name, s, list);
      return -1;
    }
    break;
  }
  *out = idx;
  return 0;
}

/** @brief Parse one field according to its column kind; fills err on failure. */
static int parse_cell(const struct csvtab *t, const struct csvtab_col *c, const char *s, int line,
                      double *out, char *err, size_t errlen)
{
  switch (c->kind) {
  case COL_GROUP:
  case COL_SEX:
  case COL_SECTOR:
  case COL_HSECTOR:
  case COL_LABEL:
    return parse_label(t, c, s, line, out, err, errlen);
  case COL_TEXT:
    *out = 0;
    return 0;
  default:
    break;
  }
  double v;
  if (parse_real(s, &v) != 0) {
    snprintf(err, errlen, "%s:%d: %s = '%s' is not a number", t->path, line, c->name, s);
    return -1;
  }
  const char *why = NULL;
  char range[96];
  switch (c->kind) {
  case COL_INT:
    if (v != floor(v) || v < c->lo || v > c->hi) {
      snprintf(range, sizeof range, "an integer in [%g, %g]", c->lo, c->hi);
      why = range;
    }
    break;
  case COL_RATE:
    if (v < 0) why = "a rate >= 0";
    break;
  case COL_PROB:
    if (v < 0 || v > 1) why = "a probability or share in [0, 1]";
    break;
  case COL_COUNT:
    if (v < 0 || v != floor(v))
      why = "a non-negative whole count";
    else if (v > CSVTAB_COUNT_MAX)
      why = "a whole count up to " CSVTAB_COUNT_MAX_TEXT " (one cell of Norway's health workforce)";
    break;
  case COL_REAL:
    if (v < c->lo || v > c->hi) {
      snprintf(range, sizeof range, "a value in [%g, %g]", c->lo, c->hi);
      why = range;
    }
    break;
  default:
    break;
  }
  if (why) {
    snprintf(err, errlen, "%s:%d: %s = %s is out of range (expected %s)", t->path, line, c->name, s,
             why);
    return -1;
  }
  *out = v;
  return 0;
}

int csvtab_load(struct csvtab *t, const char *path, const struct csvtab_col *cols, int ncols,
                char *err, size_t errlen)
{
  memset(t, 0, sizeof *t);
  snprintf(t->path, sizeof t->path, "%s", path);
  t->ncols = ncols;
  memcpy(t->cols, cols, sizeof(*cols) * (size_t)ncols);
  size_t len;
  char *buf = read_file(path, &len);
  if (!buf) {
    snprintf(err, errlen, "%s: cannot read file: %s", path, strerror(errno ? errno : EIO));
    return -1;
  }
  sha256_hex(buf, len, t->sha256);
  int cap = 64, line = 0, rc = -1;
  t->rows = malloc(sizeof *t->rows * (size_t)cap);
  char *save = NULL;
  char *p = buf;
  while (p && *p) {
    char *nl = strchr(p, '\n');
    if (nl) *nl = '\0';
    char *ln = p;
    p = nl ? nl + 1 : NULL;
    line++;
    size_t L = strlen(ln);
    if (L && ln[L - 1] == '\r') ln[--L] = '\0';
    if (L == 0) {
      snprintf(err, errlen, "%s:%d: empty line (expected a data row)", path, line);
      goto out;
    }
    char *f[CSVTAB_MAX_COLS + 2];
    int nf = split_fields(ln, f, CSVTAB_MAX_COLS + 1);
    if (nf < 0) {
      snprintf(err, errlen, "%s:%d: malformed quoting (expected \"...\" around a whole field)",
               path, line);
      goto out;
    }
    if (line == 1) {
      int ok = nf == ncols;
      for (int i = 0; ok && i < ncols; i++)
        ok = strcmp(f[i], cols[i].name) == 0;
      if (!ok) {
        char want[512] = "";
        for (int i = 0; i < ncols; i++) {
          strncat(want, cols[i].name, sizeof want - strlen(want) - 2);
          if (i + 1 < ncols) strcat(want, ",");
        }
        snprintf(err, errlen, "%s:1: header does not match (expected %s)", path, want);
        goto out;
      }
      continue;
    }
    if (nf != ncols) {
      snprintf(err, errlen, "%s:%d: %d fields (expected %d)", path, line, nf, ncols);
      goto out;
    }
    if (t->nrows == cap) {
      cap *= 2;
      t->rows = realloc(t->rows, sizeof *t->rows * (size_t)cap);
    }
    struct csvtab_row *r = &t->rows[t->nrows];
    r->line = line;
    for (int i = 0; i < ncols; i++)
      if (parse_cell(t, &cols[i], f[i], line, &r->v[i], err, errlen) != 0) goto out;
    t->nrows++;
  }
  if (line == 0) {
    snprintf(err, errlen, "%s: file is empty (expected a header line)", path);
    goto out;
  }
  if (t->nrows == 0) {
    snprintf(err, errlen, "%s: no data rows after the header", path);
    goto out;
  }
  rc = 0;
out:
  (void)save;
  free(buf);
  if (rc != 0) csvtab_free(t);
  return rc;
}

void csvtab_free(struct csvtab *t)
{
  free(t->rows);
  t->rows = NULL;
  t->nrows = 0;
}

int csvtab_row_specificity(const struct csvtab *t, const struct csvtab_row *r)
{
  int s = 0;
  for (int i = 0; i < t->ncols; i++) {
    enum csvtab_kind k = t->cols[i].kind;
    if ((k == COL_GROUP || k == COL_SEX || k == COL_SECTOR || k == COL_HSECTOR) &&
        r->v[i] != CSVTAB_ALL)
      s++;
  }
  return s;
}
