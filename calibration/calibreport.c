/**
 * @file calibreport.c
 * @brief fitted.csv, fitted_cov.csv and the fit report (see calibreport.h).
 */
#include "calibreport.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "csvtab.h"
#include "hash.h"
#include "hwsim_gitrev.h"

/** SHA-256 over the data files' names and hashes (fitted.csv left out: it is the output). */
static void data_hash(const struct params *p, char out[65])
{
  char buf[N_DATA_FILES * 140];
  size_t len = 0;
  buf[0] = '\0';
  for (int i = 0; i < p->nfiles; i++) {
    if (strcmp(p->file_name[i], "fitted.csv") == 0) continue;
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s:%s\n", p->file_name[i],
                            p->file_sha256[i]);
  }
  sha256_hex(buf, len, out);
}

static void targets_hash(const struct calib_targets *T, char out[65])
{
  char buf[CALIB_MAX_FILES * 70];
  size_t len = 0;
  for (int i = 0; i < T->nfiles; i++)
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\n", T->sha256[i]);
  sha256_hex(buf, len, out);
}

/** @brief The fitted.csv rows: one per (process, group, band) cell a parameter touches. */
static void write_fitted_rows(FILE *f, const struct params *p, const struct scenario *s,
                              const struct calib_spec *sp, const struct calib_result *r,
                              const struct calib_opts *o, const char *dh, const char *th)
{
  for (int k = 0; k < N_MULT_PROCS; k++)
    for (int g = 0; g < N_GROUPS; g++)
      for (int b = 0; b < N_AGE_BANDS; b++) {
        char names[512] = "";
        for (int j = 0; j < sp->np; j++) {
          const struct calib_param *q = &sp->prm[j];
          if (q->process != k || (q->group != CSVTAB_ALL && q->group != g) || b < q->band_from ||
              b > q->band_to)
            continue;
          char part[128];
          snprintf(part, sizeof part, "%s%s theta %.5f se %.5f", names[0] ? "; " : "", q->name,
                   r->theta[j], r->se[j]);
          strncat(names, part, sizeof names - strlen(names) - 1);
        }
        if (!names[0]) continue;
        fprintf(f,
                "%s,%s,%s,%.6f,hwsim calibrate %s data sha256 %s targets sha256 %s,"
                "%s; seed %llu; %d replicates; %d-%d; chi2 %.3f -> %.3f\n",
                mult_proc_labels[k], group_labels[g], age_band_labels[b], p->mult[k][g][b],
                HWSIM_GIT_REV, dh, th, names, (unsigned long long)s->seed, o->replicates,
                r->start_year, r->end_year, r->chi2_0, r->chi2);
      }
}

/** @brief fitted_cov.csv beside @p path (fitted.csv -> fitted_cov.csv): the covariance of theta. */
void calib_cov_path(const char *path, char *cpath, size_t len)
{
  snprintf(cpath, len, "%s", path);
  char *dot = strrchr(cpath, '.');
  char *slash = strrchr(cpath, '/');
  if (dot && (!slash || dot > slash)) *dot = '\0';
  strncat(cpath, "_cov.csv", len - strlen(cpath) - 1);
}

/** @brief Close @p f and rename @p tmp to @p path; on failure remove @p tmp.  0 or -1 (err). */
static int commit_file(FILE *f, const char *tmp, const char *path, char *err, size_t errlen)
{
  int bad = ferror(f);
  bad |= fclose(f);
  if (bad || rename(tmp, path) != 0) {
    snprintf(err, errlen, "%s: cannot write (%s)", path, strerror(errno));
    unlink(tmp);
    return -1;
  }
  return 0;
}

static int write_cov(const char *path, const struct calib_spec *sp, const struct calib_result *r,
                     const char *dh, const char *th, char *err, size_t errlen)
{
  char cpath[1100], tmp[1200];
  calib_cov_path(path, cpath, sizeof cpath);
  snprintf(tmp, sizeof tmp, "%s.partial", cpath);
  FILE *cf = fopen(tmp, "w");
  if (!cf) {
    snprintf(err, errlen, "%s: cannot write (%s)", tmp, strerror(errno));
    return -1;
  }
  fprintf(cf, "param_i,param_j,theta_i,theta_j,covariance,source,note\n");
  for (int i = 0; i < r->np; i++)
    for (int j = 0; j < r->np; j++)
      fprintf(cf,
              "%s,%s,%.6f,%.6f,%.8g,hwsim calibrate %s data sha256 %s targets sha256 %s,"
              "Gaussian approximation (J'J)^-1 with residuals in tolerance units; "
              "theta = log multiplier\n",
              sp->prm[i].name, sp->prm[j].name, r->theta[i], r->theta[j], r->cov[i * r->np + j],
              HWSIM_GIT_REV, dh, th);
  return commit_file(cf, tmp, cpath, err, errlen);
}

int calib_write_fitted(const char *path, const struct params *base, const struct scenario *s,
                       const struct calib_targets *T, const struct calib_spec *sp,
                       const struct calib_result *r, const struct calib_opts *o, char *err,
                       size_t errlen)
{
  char dh[65], th[65];
  data_hash(base, dh);
  targets_hash(T, th);
  struct params *p = hw_alloc(1, sizeof *p, "the fitted parameters", err, errlen);
  if (!p) return -1;
  calib_apply(sp, r->theta, p);
  char tmp[1100];
  snprintf(tmp, sizeof tmp, "%s.partial", path);
  FILE *f = fopen(tmp, "w");
  if (!f) {
    snprintf(err, errlen, "%s: cannot write (%s)", tmp, strerror(errno));
    free(p);
    return -1;
  }
  fprintf(f, "process,group,age_band,multiplier,source,note\n");
  write_fitted_rows(f, p, s, sp, r, o, dh, th);
  free(p);
  if (commit_file(f, tmp, path, err, errlen) != 0) return -1;
  return r->has_cov ? write_cov(path, sp, r, dh, th, err, errlen) : 0;
}

static void fmtv(char *b, size_t n, double v, double target)
{
  if (!isfinite(v))
    snprintf(b, n, "n/a");
  else if (fabs(target) >= 100)
    snprintf(b, n, "%.0f", v);
  else
    snprintf(b, n, "%.3f", v);
}

/** @brief Whether simulated value @p v is defined and within the target's tolerance. */
static int within_tol(const struct calib_target *t, double v)
{
  return isfinite(v) && fabs(v - t->value) <= t->tol;
}

/** @brief The target's label "measure,group,...,year" as Markdown table cells. */
static void label_cells(FILE *f, const struct calib_target *t)
{
  fputs("| ", f);
  for (const char *c = t->label; *c; c++)
    if (*c == ',')
      fputs(" | ", f);
    else
      fputc(*c, f);
}

/** @brief The report as CSV: one row per target. */
static void report_csv(FILE *f, const struct calib_targets *T, const struct calib_result *r)
{
  fprintf(f, "measure,group,sex,age_band,sector,year,target,tolerance,"
             "simulated_start,simulated_fit,difference,within_tolerance\n");
  for (int i = 0; i < T->n; i++) {
    const struct calib_target *t = &T->t[i];
    fprintf(f, "%s,%.10g,%.10g,%.10g,%.10g,%.10g,%s\n", t->label, t->value, t->tol, r->sim0[i],
            r->sim[i], r->sim[i] - t->value, within_tol(t, r->sim[i]) ? "yes" : "no");
  }
}

void calib_report(FILE *f, const struct calib_targets *T, const struct calib_spec *sp,
                  const struct calib_result *r, const struct calib_opts *o, int csv)
{
  if (csv) {
    report_csv(f, T, r);
    return;
  }
  fprintf(f, "# hwsim calibrate: fit report\n\n");
  fprintf(f,
          "Simulated %d-%d, %d replicates per evaluation (seed %llu, common random numbers), "
          "%d evaluations, %d Levenberg-Marquardt iterations, %.1f s (git %s).\n\n",
          r->start_year, r->end_year, o->replicates, (unsigned long long)o->seed, r->n_eval,
          r->iterations, r->seconds, HWSIM_GIT_REV);
  fprintf(f, "## Parameters (log multipliers)\n\n"
             "| parameter | start | fitted | multiplier | std. error |\n|---|---|---|---|---|\n");
  for (int j = 0; j < sp->np; j++)
    fprintf(f, "| %s | %.4f | %.4f | %.4f | %.4f |\n", sp->prm[j].name, r->theta0[j], r->theta[j],
            exp(r->theta[j]), r->se[j]);
  fprintf(f, "\n## Targets\n\n| measure | group | sex | age | sector | year | target | tolerance | "
             "start | fitted | diff | ok |\n"
             "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (int i = 0; i < T->n; i++) {
    const struct calib_target *t = &T->t[i];
    char a[32], b[32], d[32], tv[32], tl[32];
    fmtv(tv, sizeof tv, t->value, t->value);
    fmtv(tl, sizeof tl, t->tol, t->value);
    fmtv(a, sizeof a, r->sim0[i], t->value);
    fmtv(b, sizeof b, r->sim[i], t->value);
    fmtv(d, sizeof d, r->sim[i] - t->value, t->value);
    label_cells(f, t);
    fprintf(f, " | %s | %s | %s | %s | %s | %s |\n", tv, tl, a, b, d,
            within_tol(t, r->sim[i]) ? "yes" : "**no**");
  }
  fprintf(f,
          "\nWithin tolerance: %d of %d targets at the start, %d of %d after the fit (%.0f %%).\n",
          r->within0, r->n, r->within, r->n, 100.0 * r->within / (r->n ? r->n : 1));
  fprintf(f,
          "Fit statistic chi2 = sum ((simulated - target) / tolerance)^2: %.3f at the start, %.3f "
          "after the fit (%d targets, %d parameters; chi2 / (n - p) = %.3f).\n",
          r->chi2_0, r->chi2, r->n, r->np, r->n > r->np ? r->chi2 / (r->n - r->np) : NAN);
}

void calib_report_values(FILE *f, const struct calib_targets *T, const double *sim, int csv)
{
  if (csv) {
    /* %.17g: the exact double, for tools/validate.py to format as it likes */
    fprintf(f, "measure,group,sex,age_band,sector,year,target,tolerance,simulated\n");
    for (int i = 0; i < T->n; i++) {
      const struct calib_target *t = &T->t[i];
      if (isfinite(sim[i]))
        fprintf(f, "%s,%.10g,%.10g,%.17g\n", t->label, t->value, t->tol, sim[i]);
      else
        fprintf(f, "%s,%.10g,%.10g,nan\n", t->label, t->value, t->tol);
    }
    return;
  }
  fprintf(f, "| measure | group | sex | age | sector | year | target | tolerance | simulated | "
             "diff | ok |\n"
             "|---|---|---|---|---|---|---|---|---|---|---|\n");
  int n_ok = 0;
  for (int i = 0; i < T->n; i++) {
    const struct calib_target *t = &T->t[i];
    char tv[32], tl[32], sv[32], d[32];
    fmtv(tv, sizeof tv, t->value, t->value);
    fmtv(tl, sizeof tl, t->tol, t->value);
    fmtv(sv, sizeof sv, sim[i], t->value);
    fmtv(d, sizeof d, sim[i] - t->value, t->value);
    int ok = within_tol(t, sim[i]);
    n_ok += ok;
    label_cells(f, t);
    fprintf(f, " | %s | %s | %s | %s | %s |\n", tv, tl, sv, d, ok ? "yes" : "**no**");
  }
  fprintf(f, "\nWithin tolerance: %d of %d targets.\n", n_ok, T->n);
}
