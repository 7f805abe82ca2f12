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

#include "alloc.h"
#include "dims.h"
#include "hash.h"

/**
 * @brief Slurp a whole file into a NUL-terminated buffer (caller frees).
 * @return the buffer, or NULL with errno set (EFBIG: larger than CSVTAB_MAX_BYTES; ENOMEM:
 *         out of memory, with the reason in oom).
 */
static char *read_file(const char *path, size_t *len, char *oom, size_t oomlen)
{
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = hw_alloc(cap, 1, "the table's text", oom, oomlen);
  int e = buf ? 0 : ENOMEM;
  while (!e) {
    if (n + 4096 + 1 > cap) {
      char *nb = cap > CSVTAB_MAX_BYTES
                     ? NULL
                     : hw_realloc(buf, cap *= 2, 1, "the table's text", oom, oomlen);
      if (!nb) {
        e = cap > CSVTAB_MAX_BYTES ? EFBIG : ENOMEM;
        break;
      }
      buf = nb;
    }
    size_t k = fread(buf + n, 1, cap - n - 1, f);
    n += k;
    if (n > CSVTAB_MAX_BYTES) e = EFBIG;
    if (k == 0) break;
  }
  if (!e && ferror(f)) e = errno ? errno : EIO;
  fclose(f);
  if (e) {
    free(buf);
    errno = e;
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

/** @brief Line number (1-based) of the first NUL byte in buf[0..len), or 0 if there is none. */
static int nul_line(const char *buf, size_t len)
{
  const char *z = memchr(buf, '\0', len);
  if (!z) return 0;
  int line = 1;
  for (const char *q = buf; q < z; q++)
    line += *q == '\n';
  return line;
}

/**
 * @brief Split one line into fields in place.  Double quotes wrap a field that
 *        holds commas; quotes inside fields are not allowed.  Only the first
 *        @p maxf fields are stored, but all are counted.
 * @return number of fields, or -1 on a malformed quote.
 */
static int split_fields(char *line, char **fields, int maxf)
{
  int n = 0;
  char *p = line;
  for (;;) {
    char *f = p, *next;
    if (*p == '"') {
      char *end = strchr(p + 1, '"');
      if (!end || (end[1] != ',' && end[1] != '\0')) return -1;
      *end = '\0';
      f = p + 1;
      next = end[1] ? end + 2 : NULL;
    } else {
      char *comma = strchr(p, ',');
      if (comma) *comma = '\0';
      next = comma ? comma + 1 : NULL;
      if (strchr(p, '"')) return -1; /* a quote inside an unquoted field */
    }
    if (n < maxf) fields[n] = f;
    n++;
    if (!next) break;
    p = next;
  }
  return n;
}

/**
 * @brief Parse a real: plain decimal notation only ([+-]digits[.digits][e[+-]digits]).
 *        Rejects empty strings, spaces, hex, trailing junk, NaN, inf and overflow.
 */
static int parse_real(const char *s, double *out)
{
  if (!*s || strspn(s, "0123456789+-.eE") != strlen(s)) return -1;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end || errno == ERANGE || !isfinite(v)) return -1;
  *out = v;
  return 0;
}

/**
 * @brief A field as an error message quotes it: control bytes (a CR, a tab, an escape) as '?'
 *        and at most 60 bytes, so that the message stays one readable line.
 */
static const char *shown(const char *s, char *buf, size_t n)
{
  size_t k = 0;
  for (; s[k] && k + 4 < n && k < 60; k++)
    buf[k] = (unsigned char)s[k] < 0x20 || s[k] == 0x7f ? '?' : s[k];
  buf[k] = '\0';
  if (s[k]) strcat(buf, "...");
  return buf;
}

/** @brief A label column (group, sex, sector, a list): its index, CSVTAB_ALL, or -1 with err. */
static int parse_label(const struct csvtab *t, const struct csvtab_col *c, const char *field,
                       int line, double *out, char *err, size_t errlen)
{
  char s[72];
  shown(field, s, sizeof s);
  const int all = strcmp(field, "all") == 0;
  int idx;
  switch (c->kind) {
  case COL_GROUP:
    idx = all ? CSVTAB_ALL : dims_lookup(group_labels, N_GROUPS, field);
    if (idx == -1 && !all) {
      snprintf(err, errlen,
               "%s:%d: unknown group '%s' (expected one of the groups of "
               "calibration/norway/README.md, e.g. nurse, or all)",
               t->path, line, s);
      return -1;
    }
    break;
  case COL_SEX:
    idx = all ? CSVTAB_ALL : dims_lookup(sex_labels, N_SEXES, field);
    if (idx == -1 && !all) {
      snprintf(err, errlen, "%s:%d: unknown sex '%s' (expected female, male or all)", t->path, line,
               s);
      return -1;
    }
    break;
  case COL_SECTOR:
  case COL_HSECTOR:
    idx =
        all ? CSVTAB_ALL : dims_lookup(sector_labels, c->kind == COL_SECTOR ? N_SECTORS : 3, field);
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
    idx = dims_lookup(c->labels, c->nlabels, field);
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
  char shown_s[72];
  if (parse_real(s, &v) != 0) {
    snprintf(err, errlen, "%s:%d: %s = '%s' is not a number (expected %s)", t->path, line, c->name,
             shown(s, shown_s, sizeof shown_s),
             c->kind == COL_INT ? "an integer" : "a finite decimal number, e.g. 0.25 or 1e-3");
    return -1;
  }
  const char *why = NULL;
  char range[96];
  switch (c->kind) {
  case COL_INT:
    if (strpbrk(s, ".eE") || v < c->lo || v > c->hi) {
      snprintf(range, sizeof range, "an integer in [%.15g, %.15g]", c->lo, c->hi);
      why = range;
    }
    break;
  case COL_RATE:
    if (v < 0 || v > (c->hi > 0 ? c->hi : CSVTAB_RATE_MAX)) {
      if (c->hi > 0)
        snprintf(range, sizeof range, "a value in [0, %.15g]", c->hi);
      else
        snprintf(range, sizeof range, "a rate in [0, %g]", CSVTAB_RATE_MAX);
      why = range;
    }
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
      snprintf(range, sizeof range, "a value in [%.15g, %.15g]", c->lo, c->hi);
      why = range;
    }
    break;
  default:
    break;
  }
  if (why) {
    snprintf(err, errlen, "%s:%d: %s = %s is out of range (expected %s)", t->path, line, c->name,
             shown(s, shown_s, sizeof shown_s), why);
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
  errno = 0;
  char oom[160] = "";
  char *buf = read_file(path, &len, oom, sizeof oom);
  if (!buf) {
    if (errno == ENOMEM && oom[0])
      snprintf(err, errlen, "%s: %s", path, oom);
    else if (errno == EFBIG)
      snprintf(err, errlen, "%s: table is larger than %d MiB (expected a smaller CSV table)", path,
               CSVTAB_MAX_BYTES >> 20);
    else
      snprintf(err, errlen, "%s: cannot read file: %s (expected a readable CSV table)", path,
               strerror(errno ? errno : EIO));
    return -1;
  }
  sha256_hex(buf, len, t->sha256);
  int cap = 64, line = 0, rc = -1;
  t->rows = hw_alloc((size_t)cap, sizeof *t->rows, "the table's rows", oom, sizeof oom);
  char *p = buf;
  if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) p += 3; /* a UTF-8 byte-order mark */
  int nul = nul_line(buf, len);
  if (nul) {
    snprintf(err, errlen, "%s:%d: NUL byte (expected a text file)", path, nul);
    goto out;
  }
  if (!t->rows) goto oom;
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
    char *f[CSVTAB_MAX_COLS];
    int nf = split_fields(ln, f, CSVTAB_MAX_COLS);
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
      struct csvtab_row *nr = hw_realloc(t->rows, (size_t)cap * 2, sizeof *t->rows,
                                         "the table's rows", oom, sizeof oom);
      if (!nr) goto oom;
      t->rows = nr;
      cap *= 2;
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
    snprintf(err, errlen, "%s: no data rows after the header (expected at least one row)", path);
    goto out;
  }
  rc = 0;
  goto out;
oom:
  snprintf(err, errlen, "%s: %s", path, oom);
out:
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
