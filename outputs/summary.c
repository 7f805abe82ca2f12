/**
 * @file summary.c
 * @brief The `hwsim summary` / `hwsim compare` commands (see summary.h):
 *        options (parsed by sim/cli.c), usage, and the printed tables.
 */
#include "summary.h"

#include "alloc.h"
#include "cli.h"
#include "cube_read.h"
#include "stats.h"
#include "summary_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char summary_usage[] =
    "usage: hwsim summary OUT.h5 [--measure M] [--by DIM[,DIM]] [--years Y1,Y2,...]\n"
    "                     [--group G[,G...]] [--sector S[,S...]] [--csv] [--decompose]\n"
    "Mean and quantiles (p05, p50, p95; R type 7) across replicates.\n"
    "Summing over sector counts municipal+specialist+other_health only, unless --sector.\n"
    "  --measure M      the dataset to summarise (default fte)\n"
    "  --by DIM[,DIM]   break down by these dimensions (year is always shown)\n"
    "  --years Y1,...   only these years (default: all)\n"
    "  --group G,...    only these groups: their rows with --by group, else their sum\n"
    "  --sector S,...   only these sectors, instead of the headline rule: their rows with\n"
    "                   --by sector, else their sum\n"
    "  --csv            comma-separated values\n"
    "  --decompose      split the variance across replicates into parameter (between draws)\n"
    "                   and Monte Carlo (within draws) parts; needs a run with\n"
    "                   --replicates-per-draw K >= 2\n";

static const char compare_usage[] =
    "usage: hwsim compare BASE.h5 VARIANT.h5 [--measure M] [--by DIM[,DIM]] [--years Y1,Y2,...]\n"
    "                     [--group G[,G...]] [--sector S[,S...]] [--csv]\n"
    "Paired difference VARIANT - BASE per replicate: mean, p05, p50, p95.\n"
    "Summing over sector counts municipal+specialist+other_health only, unless --sector.\n"
    "  --measure M      the dataset to compare (default fte)\n"
    "  --by DIM[,DIM]   break down by these dimensions (year is always shown)\n"
    "  --years Y1,...   only these years (default: all)\n"
    "  --group G,...    only these groups: their rows with --by group, else their sum\n"
    "  --sector S,...   only these sectors, instead of the headline rule: their rows with\n"
    "                   --by sector, else their sum\n"
    "  --csv            comma-separated values\n";

/** Parsed command line shared by summary and compare. */
struct summary_opts {
  const char *files[2];
  int nfiles;
  const char *measure;
  const char *by;
  const char *years;
  const char *group;  /**< --group labels, or NULL */
  const char *sector; /**< --sector labels, or NULL */
  int csv;
  int decompose; /**< summary only */
  /** The --group / --sector filters given, for summary_load. */
  struct summary_filter filters[2];
  int nfilters;
};

/** @brief o->filters: one summary_filter per label option given (--group, --sector). */
static void summary_opts_filters(struct summary_opts *o)
{
  const char *dims[2] = {"group", "sector"}, *labels[2] = {o->group, o->sector};
  o->nfilters = 0;
  for (int i = 0; i < 2; i++)
    if (labels[i]) o->filters[o->nfilters++] = (struct summary_filter){dims[i], labels[i]};
}

/**
 * @brief Parse argv of summary (@p nfiles 1) or compare (2).
 * @return 0; 1 when --help was printed (exit 0); 2 with an error line already printed.
 */
static int summary_parse_opts(int argc, char **argv, int nfiles, struct summary_opts *o)
{
  const char *cmd = nfiles == 1 ? "hwsim summary" : "hwsim compare";
  memset(o, 0, sizeof *o);
  o->measure = "fte";
  const struct cli_opt opts[] = {
      {"--measure", NULL, CLI_STR, &o->measure, 0, 0, NULL, 0, NULL},
      {"--by", NULL, CLI_STR, &o->by, 0, 0, NULL, 0, NULL},
      {"--years", NULL, CLI_STR, &o->years, 0, 0, NULL, 0, NULL},
      {"--group", NULL, CLI_STR, &o->group, 0, 0, NULL, 0, NULL},
      {"--sector", NULL, CLI_STR, &o->sector, 0, 0, NULL, 0, NULL},
      {"--csv", NULL, CLI_FLAG, &o->csv, 0, 0, NULL, 1, NULL},
      {"--decompose", NULL, CLI_FLAG, &o->decompose, 0, 0, NULL, 1, NULL}, /* last: summary only */
  };
  int nopts = (int)(sizeof opts / sizeof *opts) - (nfiles == 1 ? 0 : 1);
  const char *what = nfiles == 1 ? "one cube file" : "BASE.h5 VARIANT.h5";
  const char *usage = nfiles == 1 ? summary_usage : compare_usage;
  const struct cli_spec spec = {cmd, opts, nopts, o->files, nfiles, &o->nfiles, what, usage};
  int rc = cli_parse(&spec, argc, argv);
  if (rc) return rc;
  if (o->nfiles != nfiles) {
    fprintf(stderr, "%s: missing file argument (expected %s [options])\n", cmd,
            nfiles == 1 ? "hwsim summary OUT.h5" : "hwsim compare BASE.h5 VARIANT.h5");
    return 2;
  }
  summary_opts_filters(o);
  return 0;
}

/** @brief Print summary_load's error line; @return the exit code (2 bad input, 1 otherwise). */
static int summary_fail(const char *cmd, int rc, const char *err)
{
  fprintf(stderr, "%s: %s\n", cmd, err);
  return rc == SUMMARY_EINPUT ? 2 : 1;
}

/** @brief Print a CSV field, quoting it if it holds a comma, quote or newline. */
static void summary_csv_field(const char *s)
{
  if (!strpbrk(s, ",\"\n")) {
    fputs(s, stdout);
    return;
  }
  putchar('"');
  for (; *s; s++) {
    if (*s == '"') putchar('"');
    putchar(*s);
  }
  putchar('"');
}

/** @brief The --by columns of cell @p c as CSV fields, each followed by a comma. */
static void summary_csv_cells(const struct summary_table *t, size_t c)
{
  for (int k = 0; k < t->nby; k++) {
    summary_csv_field(summary_cell_label(t, c, k));
    putchar(',');
  }
}

/** @brief The CSV header: the --by dimension names, then @p rest. */
static void summary_csv_header(const struct summary_table *t, const char *rest)
{
  for (int k = 0; k < t->nby; k++) {
    summary_csv_field(t->dims[t->by_dim[k]].name);
    putchar(',');
  }
  puts(rest);
}

/** @brief x[r] = vals[r][y][c] for every replicate r. */
static void summary_gather(const struct summary_table *t, const double *vals, int nrep, int y,
                           size_t c, double *x)
{
  for (int r = 0; r < nrep; r++)
    x[r] = vals[((size_t)r * (size_t)t->nyears + (size_t)y) * t->ncells + c];
}

/**
 * @brief Print the statistics table: rows per --by cell and year, stats across x[r].
 * @param vals  [nrep][nyears][ncells] values (per-replicate aggregates or differences)
 */
static int summary_print(const char *cmd, const struct summary_table *t, const double *vals,
                         int nrep, int csv, const char *title)
{
  char err[256];
  double *x = hw_alloc((size_t)nrep, sizeof *x, "a cell's replicates", err, sizeof err);
  int wby[SUMMARY_MAX_DIMS];
  if (!x) {
    fprintf(stderr, "%s: %s\n", cmd, err);
    return 1;
  }
  for (int k = 0; k < t->nby; k++) {
    const struct cube_coord *d = &t->dims[t->by_dim[k]];
    wby[k] = (int)strlen(d->name);
    for (int i = 0; i < d->n; i++)
      if ((int)strlen(d->labels[i]) > wby[k]) wby[k] = (int)strlen(d->labels[i]);
  }
  if (csv) {
    summary_csv_header(t, "year,mean,p05,p50,p95");
  } else {
    printf("%s\n", title);
    for (int k = 0; k < t->nby; k++)
      printf("%-*s  ", wby[k], t->dims[t->by_dim[k]].name);
    printf("%4s  %14s  %14s  %14s  %14s\n", "year", "mean", "p05", "p50", "p95");
  }
  for (size_t c = 0; c < t->ncells; c++)
    for (int y = 0; y < t->nyears; y++) {
      double st[4];
      summary_gather(t, vals, nrep, y, c, x);
      if (summary_stats(x, nrep, st) != 0) {
        free(x);
        fflush(stdout);
        fprintf(stderr, "%s: out of memory for the quantiles of %d replicates\n", cmd, nrep);
        return 1;
      }
      for (int k = 0; k < 4; k++)
        if (st[k] == 0.0) st[k] = 0.0; /* no "-0.00" */
      if (csv) {
        summary_csv_cells(t, c);
        printf("%d,%.2f,%.2f,%.2f,%.2f\n", t->years[y], st[0], st[1], st[2], st[3]);
      } else {
        for (int k = 0; k < t->nby; k++)
          printf("%-*s  ", wby[k], summary_cell_label(t, c, k));
        printf("%4d  %14.2f  %14.2f  %14.2f  %14.2f\n", t->years[y], st[0], st[1], st[2], st[3]);
      }
    }
  free(x);
  return fflush(stdout) == 0 ? 0 : 1;
}

/** @brief A buffer for one cell's replicates, or NULL with the reason on stderr. */
static double *decompose_buffer(const struct summary_table *t)
{
  char err[256];
  double *x = hw_alloc((size_t)t->nrep, sizeof *x, "a cell's replicates", err, sizeof err);
  if (!x) fprintf(stderr, "hwsim summary: %s\n", err);
  return x;
}

/** @brief The title and the `--by` columns' names that open a --decompose table. */
static void decompose_head(const struct summary_table *t, const char *title)
{
  printf("%s\n", title);
  for (int b = 0; b < t->nby; b++)
    printf("%s  ", t->dims[t->by_dim[b]].name);
}

/** @brief `summary --decompose`: parameter vs Monte Carlo variance per cell and year. */
static int summary_print_decompose(const struct summary_table *t, int k, int csv, const char *title)
{
  double *x = decompose_buffer(t);
  if (!x) return 1;
  if (csv) {
    summary_csv_header(t, "year,mean,var_param,var_mc,param_share,ss_between,ss_within,ss_total");
  } else {
    decompose_head(t, title);
    printf("%4s  %14s  %14s  %14s  %11s\n", "year", "mean", "sd_param", "sd_mc", "param_share");
  }
  for (size_t c = 0; c < t->ncells; c++)
    for (int y = 0; y < t->nyears; y++) {
      double o[7];
      summary_gather(t, t->values, t->nrep, y, c, x);
      summary_decompose(x, t->nrep, k, o);
      if (csv) {
        summary_csv_cells(t, c);
        printf("%d,%.4f,%.6g,%.6g,%.4f,%.6g,%.6g,%.6g\n", t->years[y], o[0], o[1], o[2], o[3], o[4],
               o[5], o[6]);
      } else {
        for (int b = 0; b < t->nby; b++)
          printf("%s  ", summary_cell_label(t, c, b));
        printf("%4d  %14.2f  %14.2f  %14.2f  %11.3f\n", t->years[y], o[0], sqrt(o[1]), sqrt(o[2]),
               o[3]);
      }
    }
  free(x);
  return fflush(stdout) == 0 ? 0 : 1;
}

/**
 * @brief `summary --decompose` of a run of the source design (draws_per_block > 1): each
 *        source's first-order share of a replicate's variance with its standard error.
 */
static int summary_print_sources(const struct summary_table *t, int k, int block, int csv,
                                 const char *title)
{
  const char *src[UNC_MAX_SOURCES];
  int nsrc = 0;
  if (t->param_uncertainty == 1) src[nsrc++] = "fitted";
  if (t->assumed_uncertainty == 1) src[nsrc++] = "assumed";
  if (t->demand_uncertainty == 1) src[nsrc++] = "demand";
  double *x = decompose_buffer(t);
  if (!x) return 1;
  if (csv) {
    char head[512];
    size_t n = (size_t)snprintf(head, sizeof head,
                                "year,mean,var_total,var_mc,se_var_mc,var_param,se_var_param");
    for (int s = 0; s < nsrc; s++)
      n += (size_t)snprintf(head + n, sizeof head - n, ",var_%s,se_var_%s", src[s], src[s]);
    snprintf(head + n, sizeof head - n, ",var_interaction");
    summary_csv_header(t, head);
  } else {
    decompose_head(t, title);
    printf("%4s  %12s  %12s  %15s", "year", "mean", "sd_total", "monte_carlo");
    for (int s = 0; s < nsrc; s++)
      printf("  %15s", src[s]);
    printf("  %12s\n", "interaction");
  }
  for (size_t c = 0; c < t->ncells; c++)
    for (int y = 0; y < t->nyears; y++) {
      double o[6 + 2 * UNC_MAX_SOURCES];
      summary_gather(t, t->values, t->nrep, y, c, x);
      summary_decompose_sources(x, t->nrep, k, block, nsrc, o);
      const double tot = o[1] + o[3];
      if (csv) {
        summary_csv_cells(t, c);
        printf("%d,%.4f,%.6g,%.6g,%.6g,%.6g,%.6g", t->years[y], o[0], tot, o[1], o[2], o[3], o[4]);
        for (int s = 0; s < nsrc; s++)
          printf(",%.6g,%.6g", o[5 + 2 * s], o[6 + 2 * s]);
        printf(",%.6g\n", o[5 + 2 * nsrc]);
      } else {
        for (int b = 0; b < t->nby; b++)
          printf("%s  ", summary_cell_label(t, c, b));
        /* shares of a replicate's variance, +- a standard error */
        const double d = tot > 0 ? tot : 1;
        printf("%4d  %12.2f  %12.2f  %6.3f +-%5.3f", t->years[y], o[0], sqrt(tot > 0 ? tot : 0),
               o[1] / d, o[2] / d);
        for (int s = 0; s < nsrc; s++)
          printf("  %6.3f +-%5.3f", o[5 + 2 * s] / d, o[6 + 2 * s] / d);
        printf("  %12.3f\n", o[5 + 2 * nsrc] / d);
      }
    }
  free(x);
  return fflush(stdout) == 0 ? 0 : 1;
}

/** @brief `summary --decompose` on a loaded table: check the nesting, title, print. */
static int summary_run_decompose(const struct summary_opts *o, const struct summary_table *t)
{
  char title[4096];
  int64_t k = 0;
  if (cube_read_attr_i64(o->files[0], "replicates_per_draw", &k) != 0 || k < 2 ||
      t->nrep % k != 0 || t->nrep / k < 2) {
    fprintf(stderr,
            "hwsim summary: %s: --decompose needs nested replicates (expected a run with "
            "replicates_per_draw >= 2, at least 2 draws and whole draws; this file has %d "
            "replicates, replicates_per_draw %lld)\n",
            o->files[0], t->nrep, (long long)k);
    return 2;
  }
  const int block = t->draws_per_block > 1 ? (int)t->draws_per_block : 1;
  if (block > 1) {
    const int D = t->nrep / (int)k;
    if (D % block != 0 || D / block < 3) {
      fprintf(stderr,
              "hwsim summary: %s: --decompose by source needs whole blocks of %d draws, at least "
              "3 (expected replicates a multiple of %lld; this file has %d replicates)\n",
              o->files[0], block, (long long)(block * k), t->nrep);
      return 2;
    }
    snprintf(title, sizeof title,
             "%s: %s [%s], %d replicates = %d blocks x %d parameter draws x %lld; shares of a "
             "replicate's variance (+- one standard error): Monte Carlo (within draws) and each "
             "source's first-order part (Sobol pick-freeze); interaction = the rest%s%s%s%s",
             t->measure, t->long_name[0] ? t->long_name : t->measure, t->units[0] ? t->units : "1",
             t->nrep, t->nrep / (int)k / block, block, (long long)k,
             t->note[0] ? "; summed over " : "", t->note, t->sel_note[0] ? "; " : "", t->sel_note);
    return summary_print_sources(t, (int)k, block, o->csv, title);
  }
  snprintf(title, sizeof title,
           "%s: %s [%s], %d replicates = %d parameter draws x %lld; variance split into parameter "
           "(between draws) and Monte Carlo (within draws)%s%s%s%s",
           t->measure, t->long_name[0] ? t->long_name : t->measure, t->units[0] ? t->units : "1",
           t->nrep, t->nrep / (int)k, (long long)k, t->note[0] ? "; summed over " : "", t->note,
           t->sel_note[0] ? "; " : "", t->sel_note);
  return summary_print_decompose(t, (int)k, o->csv, title);
}

/**
 * @brief What the spread across replicates holds, from the cube's parameter_uncertainty and
 *        demand_uncertainty attributes: "; p05-p95: 90 % interval of Monte Carlo and ..."
 *        (empty for an older cube without them).  @p demand: whether the demand alternative was
 *        drawn (in either cube, for compare).
 */
static const char *band_sources(const struct summary_table *t, int demand)
{
  static char buf[320];
  if (t->param_uncertainty < 0) return ""; /* an older cube: nothing recorded */
  const int on[3] = {t->param_uncertainty == 1, t->assumed_uncertainty == 1, demand};
  const char *name[3] = {"fitted parameters", "assumed inputs", "demand"};
  if (!on[0] && !on[1] && !on[2])
    return "; p05-p95: 90 % interval of Monte Carlo noise only (no parameter draws; not of fitted "
           "parameters, assumed inputs, demand, the data's own error or the model's structure)";
  size_t n = (size_t)snprintf(buf, sizeof buf, "; p05-p95: 90 %% interval of Monte Carlo noise");
  for (int k = 0; k < 3; k++)
    if (on[k])
      n += (size_t)snprintf(buf + n, sizeof buf - n, " + %s%s", name[k],
                            k == 2 ? " (the HELSEMOD alternative drawn per draw)" : "");
  n += (size_t)snprintf(buf + n, sizeof buf - n, " (not of");
  const char *sep = " ";
  for (int k = 0; k < 3; k++)
    if (!on[k]) {
      n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", sep, name[k]);
      sep = ", ";
    }
  snprintf(buf + n, sizeof buf - n, "%sthe data's own error or the model's structure)", sep);
  return buf;
}

int summary_main(int argc, char **argv)
{
  struct summary_opts o;
  struct summary_table t;
  char err[1536], title[4096];
  int rc = summary_parse_opts(argc, argv, 1, &o);
  if (rc) return rc == 1 ? 0 : rc;
  rc = summary_load(o.files[0], o.measure, o.by, o.years, o.filters, o.nfilters, &t, err,
                    sizeof err);
  if (rc < 0) return summary_fail("hwsim summary", rc, err);
  if (o.decompose) {
    rc = summary_run_decompose(&o, &t);
  } else {
    snprintf(
        title, sizeof title,
        "%s: %s [%s], %d replicate%s; mean and quantiles across replicates (R type 7)%s%s%s%s%s",
        t.measure, t.long_name[0] ? t.long_name : t.measure, t.units[0] ? t.units : "1", t.nrep,
        t.nrep == 1 ? "" : "s", t.note[0] ? "; summed over " : "", t.note,
        t.sel_note[0] ? "; " : "", t.sel_note, band_sources(&t, t.demand_uncertainty == 1));
    rc = summary_print("hwsim summary", &t, t.values, t.nrep, o.csv, title);
  }
  summary_table_free(&t);
  return rc;
}

int compare_main(int argc, char **argv)
{
  struct summary_opts o;
  struct summary_table b, v;
  char err[1536], title[4096];
  double *diff = NULL;
  int rc = summary_parse_opts(argc, argv, 2, &o);
  if (rc) return rc == 1 ? 0 : rc;
  rc = summary_load(o.files[0], o.measure, o.by, o.years, o.filters, o.nfilters, &b, err,
                    sizeof err);
  if (rc < 0) return summary_fail("hwsim compare", rc, err);
  rc = summary_load(o.files[1], o.measure, o.by, o.years, o.filters, o.nfilters, &v, err,
                    sizeof err);
  if (rc < 0) {
    summary_table_free(&b);
    return summary_fail("hwsim compare", rc, err);
  }
  rc = summary_table_diff(&b, &v, o.files[0], o.files[1], &diff, err, sizeof err);
  if (rc < 0) {
    rc = summary_fail("hwsim compare", rc, err);
  } else {
    snprintf(title, sizeof title,
             "%s: %s [%s], difference %s - %s paired by replicate, %d replicates; mean and "
             "quantiles of the differences (R type 7)%s%s%s%s%s",
             b.measure, b.long_name[0] ? b.long_name : b.measure, b.units[0] ? b.units : "1",
             o.files[1], o.files[0], b.nrep, b.note[0] ? "; summed over " : "", b.note,
             b.sel_note[0] ? "; " : "", b.sel_note,
             band_sources(&b, b.demand_uncertainty == 1 || v.demand_uncertainty == 1));
    rc = summary_print("hwsim compare", &b, diff, b.nrep, o.csv, title);
  }
  free(diff);
  summary_table_free(&b);
  summary_table_free(&v);
  return rc;
}
