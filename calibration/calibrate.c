/**
 * @file calibrate.c
 * @brief `hwsim calibrate` (see calibrate.h and docs/calibration.md).
 *
 * The objective is chi^2(theta) = sum_i ((sim_i(theta) - target_i) / tol_i)^2
 * over the targets, minimised by GSL's trust-region Levenberg-Marquardt
 * (gsl_multifit_nlinear) on the residual vector.  Every evaluation simulates
 * the same replicates 0..R-1 with the same seed (common random numbers), so
 * the objective changes smoothly with theta and the finite-difference
 * Jacobian (our own, with a step large enough to see through the
 * discreteness of the events) measures the effect of theta, not noise.  The
 * engine is bit-identical across thread counts and everything here is
 * sequential, so the fit is deterministic and thread-count independent.
 */
#include "calibrate.h"

#include "cli.h"

#include <errno.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csvtab.h"
#include "hash.h"
#include "hwsim_gitrev.h"

/* ---- targets ------------------------------------------------------------ */

#define N_FIXED_MEASURES CM_RETENTION
static const char *const fixed_measure_labels[N_FIXED_MEASURES] = {
    "fte", "persons", "share_55plus", "mean_pshare", "parttime_share", "male_share",
    "sick_leave_total_pct", "sick_leave_doctor_pct", "sick_leave_self_pct",
    "mean_retirement_age", "mean_disability_age"};
#define N_MEASURE_LABELS (N_FIXED_MEASURES + N_GRAD_YEARS)
static char retention_buf[N_GRAD_YEARS][24];
static const char *measure_labels[N_MEASURE_LABELS];

static void init_measure_labels(void)
{
  if (measure_labels[0]) return;
  for (int i = 0; i < N_FIXED_MEASURES; i++) measure_labels[i] = fixed_measure_labels[i];
  for (int k = 0; k < N_GRAD_YEARS; k++) {
    snprintf(retention_buf[k], sizeof retention_buf[k], "retention_%dy", k);
    measure_labels[N_FIXED_MEASURES + k] = retention_buf[k];
  }
}

#define N_AGE_LABELS (N_AGE_BANDS + 2)
static const char *const age_labels[N_AGE_LABELS] = {
    "all", "15-61", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44",
    "45-49", "50-54", "55-59", "60-64", "65-69", "70-74"};


static int is_share(int m)
{
  return m == CM_SHARE_55PLUS || m == CM_MEAN_PSHARE || m == CM_PARTTIME_SHARE ||
         m == CM_MALE_SHARE || m == CM_RETENTION;
}
static int is_sick(int m) { return m == CM_SICK_TOTAL || m == CM_SICK_DOCTOR || m == CM_SICK_SELF; }
static int is_age_measure(int m) { return m == CM_MEAN_RETIREMENT_AGE || m == CM_MEAN_DISABILITY_AGE; }
/** Measures whose year is a calendar year of the simulation (not a cohort label). */
static int is_dated(int m) { return m != CM_RETENTION && !is_age_measure(m); }

int calib_targets_load(struct calib_targets *T, const char *path, int start_year, char *err,
                       size_t errlen)
{
  init_measure_labels();
  static const struct csvtab_col cols[] = {
      {"measure", COL_LABEL, 0, 0, measure_labels, N_MEASURE_LABELS},
      {"group", COL_GROUP, 0, 0, NULL, 0},
      {"sex", COL_SEX, 0, 0, NULL, 0},
      {"age_band", COL_LABEL, 0, 0, age_labels, N_AGE_LABELS},
      {"sector", COL_SECTOR, 0, 0, NULL, 0},
      {"year", COL_INT, 1900, 2200, NULL, 0},
      {"value", COL_REAL, -1e15, 1e15, NULL, 0},
      {"tolerance", COL_RATE, 0, 0, NULL, 0},
      {"source", COL_TEXT, 0, 0, NULL, 0},
      {"note", COL_TEXT, 0, 0, NULL, 0}};
  /* csvtab keeps a pointer to the labels: the array above is filled before use. */
  if (T->nfiles >= CALIB_MAX_FILES) {
    snprintf(err, errlen, "%s: too many target files (expected at most %d)", path, CALIB_MAX_FILES);
    return -1;
  }
  struct csvtab tab;
  if (csvtab_load(&tab, path, cols, (int)(sizeof cols / sizeof cols[0]), err, errlen)) return -1;
  int fi = T->nfiles;
  snprintf(T->path[fi], sizeof T->path[fi], "%s", path);
  memcpy(T->sha256[fi], tab.sha256, 65);
  struct calib_target *nt = realloc(T->t, sizeof *nt * (size_t)(T->n + tab.nrows + 1));
  if (!nt) {
    snprintf(err, errlen, "%s: out of memory", path);
    csvtab_free(&tab);
    return -1;
  }
  T->t = nt;
  int rc = -1, n0 = T->n;
#define BAD(...)                                                              \
  do {                                                                        \
    int o_ = snprintf(err, errlen, "%s:%d: ", path, r->line);                 \
    if (o_ >= 0 && (size_t)o_ < errlen) snprintf(err + o_, errlen - (size_t)o_, __VA_ARGS__); \
    goto out;                                                                 \
  } while (0)
  for (int i = 0; i < tab.nrows; i++) {
    const struct csvtab_row *r = &tab.rows[i];
    struct calib_target t = {.line = r->line, .file = fi};
    int mi = (int)r->v[0];
    t.measure = mi < N_FIXED_MEASURES ? mi : CM_RETENTION;
    t.k = mi < N_FIXED_MEASURES ? 0 : mi - N_FIXED_MEASURES;
    t.group = (int)r->v[1];
    t.sex = (int)r->v[2];
    int al = (int)r->v[3];
    t.age = al == 0 ? CALIB_AGE_ALL : al == 1 ? CALIB_AGE_UNDER62 : al - 2;
    t.sector = (int)r->v[4];
    t.year = (int)r->v[5];
    t.value = r->v[6];
    t.tol = r->v[7];
    const char *mn = measure_labels[mi];
    if (!(t.tol > 0)) BAD("tolerance %g is not positive (expected a tolerance > 0 in the measure's unit)", t.tol);
    if (is_share(t.measure) && (t.value < 0 || t.value > 1))
      BAD("%s value %g is outside [0, 1] (expected a share)", mn, t.value);
    if (is_sick(t.measure) && (t.value < 0 || t.value > 100))
      BAD("%s value %g is outside [0, 100] (expected a percentage)", mn, t.value);
    if ((t.measure == CM_FTE || t.measure == CM_PERSONS) && t.value < 0)
      BAD("%s value %g is negative (expected a count >= 0)", mn, t.value);
    if (is_age_measure(t.measure) && (t.value < AGE_MIN || t.value > AGE_MAX + 1))
      BAD("%s value %g is not an age in %d..%d", mn, t.value, AGE_MIN, AGE_MAX + 1);
    /* dimensions each measure has */
    int cellwise = t.measure == CM_FTE || t.measure == CM_PERSONS || t.measure == CM_MEAN_PSHARE ||
                   is_sick(t.measure);
    if (t.age != CALIB_AGE_ALL && !cellwise)
      BAD("%s has no age_band dimension (expected all)", mn);
    if (t.age == CALIB_AGE_UNDER62 && t.measure != CM_MEAN_PSHARE && t.measure != CM_FTE &&
        t.measure != CM_PERSONS)
      BAD("age_band 15-61 is defined for fte, persons and mean_pshare only (expected all or a 5-year band)");
    if (t.sex != CSVTAB_ALL &&
        (t.measure == CM_PARTTIME_SHARE || t.measure == CM_MALE_SHARE || t.measure == CM_RETENTION ||
         is_age_measure(t.measure)))
      BAD("%s has no sex dimension (expected all)", mn);
    if (t.sector != CSVTAB_ALL && (t.measure == CM_RETENTION || is_age_measure(t.measure)))
      BAD("%s has no sector dimension (expected all)", mn);
    if (t.sector != CSVTAB_ALL && !SECTOR_IS_HEALTH(t.sector) &&
        (is_sick(t.measure) || t.measure == CM_PARTTIME_SHARE || t.measure == CM_MEAN_PSHARE))
      BAD("%s is defined in the health sectors only (expected municipal, specialist, other_health or all)", mn);
    if (is_dated(t.measure) && t.year < start_year)
      BAD("year %d is before the base year %d (expected a year the simulation reaches)", t.year, start_year);
    if (t.measure == CM_PARTTIME_SHARE && t.year == start_year) {
      /* the base year's band counts are the synthesised stock: allowed */
    }
    snprintf(t.label, sizeof t.label, "%s,%s,%s,%s,%s,%d", mn,
             t.group == CSVTAB_ALL ? "all" : group_labels[t.group],
             t.sex == CSVTAB_ALL ? "all" : sex_labels[t.sex], age_labels[al],
             t.sector == CSVTAB_ALL ? "all" : sector_labels[t.sector], t.year);
    for (int j = 0; j < T->n; j++)
      if (strcmp(T->t[j].label, t.label) == 0)
        BAD("duplicate target (%s:%d already gives %s; expected one row per target)",
            T->path[T->t[j].file], T->t[j].line, t.label);
    T->t[T->n++] = t;
  }
#undef BAD
  if (tab.nrows == 0) {
    snprintf(err, errlen, "%s: no targets (expected at least one row)", path);
    goto out;
  }
  T->nfiles++;
  rc = 0;
out:
  if (rc) T->n = n0;
  csvtab_free(&tab);
  return rc;
}

void calib_targets_free(struct calib_targets *T)
{
  free(T->t);
  memset(T, 0, sizeof *T);
}

int calib_targets_end_year(const struct calib_targets *T, int start_year)
{
  int end = start_year + 1;
  for (int i = 0; i < T->n; i++) {
    const struct calib_target *t = &T->t[i];
    int need = is_dated(t->measure) ? t->year : start_year + 1;
    if (t->measure == CM_RETENTION) need = start_year + t->k + 1;
    if (need > end) end = need;
  }
  return end;
}

/* ---- simulated values ----------------------------------------------------- */

static int group_in(const struct calib_target *t, int g, int excl_assistant)
{
  if (t->group == CSVTAB_ALL) return !(excl_assistant && g == G_ASSISTANT);
  return g == t->group;
}
static int sector_in(int want, int s) { return want == CSVTAB_ALL ? SECTOR_IS_HEALTH(s) : s == want; }
static double age_weight(int want, int b)
{
  if (want == CALIB_AGE_ALL) return 1.0;
  if (want == CALIB_AGE_UNDER62) return b <= 8 ? 1.0 : b == 9 ? 0.4 : 0.0;
  return b == want ? 1.0 : 0.0;
}

/** Sum of slab[(y * N_CELLS + c) * stride + off] over the target's cells (sex override -2 = all). */
static double cellsum(const int32_t *slab, int y, int stride, int off, const struct calib_target *t,
                      int excl_assistant, int sex, int age_mode, int band_lo)
{
  double sum = 0;
  for (int g = 0; g < N_GROUPS; g++) {
    if (!group_in(t, g, excl_assistant)) continue;
    for (int sx = 0; sx < N_SEXES; sx++) {
      if (sex != CSVTAB_ALL && sx != sex) continue;
      for (int b = band_lo; b < N_AGE_BANDS; b++) {
        double w = age_weight(age_mode, b);
        if (w == 0) continue;
        for (int s = 0; s < N_SECTORS; s++) {
          if (!sector_in(t->sector, s)) continue;
          sum += w * slab[((size_t)y * N_CELLS + CELL(g, sx, b, s)) * (size_t)stride + (size_t)off];
        }
      }
    }
  }
  return sum;
}

static double ratio(double a, double b) { return b > 0 ? a / b : NAN; }

double calib_simulated(const struct calib_target *t, const struct replicate_out *o, int start_year)
{
  int y = t->year - start_year;
  if (is_dated(t->measure) && (y < 0 || y >= o->nyears)) return NAN;
  switch (t->measure) {
  case CM_FTE:
    return cellsum(o->fte, y, 1, 0, t, t->group == CSVTAB_ALL && t->sector == CSVTAB_ALL, t->sex,
                   t->age, 0) / 100.0;
  case CM_PERSONS:
    return cellsum(o->persons, y, 1, 0, t, 0, t->sex, t->age, 0);
  case CM_SHARE_55PLUS:
    return ratio(cellsum(o->persons, y, 1, 0, t, 0, t->sex, CALIB_AGE_ALL, 8),
                 cellsum(o->persons, y, 1, 0, t, 0, t->sex, CALIB_AGE_ALL, 0));
  case CM_MEAN_PSHARE:
    return ratio(cellsum(o->fte, y, 1, 0, t, 0, t->sex, t->age, 0) / 100.0,
                 cellsum(o->persons, y, 1, 0, t, 0, t->sex, t->age, 0));
  case CM_MALE_SHARE:
    return ratio(cellsum(o->persons, y, 1, 0, t, 0, SEX_MALE, CALIB_AGE_ALL, 0),
                 cellsum(o->persons, y, 1, 0, t, 0, CSVTAB_ALL, CALIB_AGE_ALL, 0));
  case CM_SICK_TOTAL:
  case CM_SICK_DOCTOR:
  case CM_SICK_SELF: {
    if (y == 0) y = 1; /* the base year has no flows: the first simulated year */
    if (y >= o->nyears) return NAN;
    double sick = 0;
    if (t->measure != CM_SICK_DOCTOR) sick += cellsum(o->sick, y, N_SICK_TYPES, SICK_SELF, t, 0, t->sex, t->age, 0);
    if (t->measure != CM_SICK_SELF) sick += cellsum(o->sick, y, N_SICK_TYPES, SICK_DOCTOR, t, 0, t->sex, t->age, 0);
    return 100.0 * ratio(sick, cellsum(o->fte_avg, y, 1, 0, t, 0, t->sex, t->age, 0));
  }
  case CM_PARTTIME_SHARE: {
    double part = 0, all = 0;
    for (int g = 0; g < N_GROUPS; g++) {
      if (!group_in(t, g, 0)) continue;
      for (int s = 0; s < N_SECTORS; s++) {
        if (!sector_in(t->sector, s)) continue;
        const int32_t *pb = &o->pshare_band[(((size_t)y * N_GROUPS + g) * N_SECTORS + s) * N_PSHARE_BANDS];
        for (int b = 0; b < N_PSHARE_BANDS; b++) {
          all += pb[b];
          if (b < N_PSHARE_BANDS - 1) part += pb[b];
        }
      }
    }
    return ratio(part, all);
  }
  case CM_RETENTION: {
    double in = 0, all = 0;
    for (int yy = 0; yy < o->nyears; yy++)
      for (int g = 0; g < N_GROUPS; g++) {
        if (!group_in(t, g, 0)) continue;
        for (int s = 0; s < N_SECTORS; s++) {
          double v = o->graduates[(((size_t)yy * N_GROUPS + g) * N_GRAD_YEARS + t->k) * N_SECTORS + s];
          all += v;
          if (SECTOR_IS_HEALTH(s)) in += v;
        }
      }
    return ratio(in, all);
  }
  case CM_MEAN_RETIREMENT_AGE:
  case CM_MEAN_DISABILITY_AGE: {
    int cause = t->measure == CM_MEAN_RETIREMENT_AGE ? EXIT_RETIREMENT : EXIT_DISABILITY;
    double n = 0, sa = 0;
    for (int yy = 1; yy < o->nyears; yy++)
      for (int g = 0; g < N_GROUPS; g++) {
        if (!group_in(t, g, 0)) continue;
        const int32_t *ea = &o->exits_age[(((size_t)yy * N_EXIT_CAUSES + cause) * N_GROUPS + g) * N_AGES];
        for (int ai = 0; ai < N_AGES; ai++) {
          n += ea[ai];
          sa += ea[ai] * (ai + AGE_MIN + 0.5);
        }
      }
    return ratio(sa, n);
  }
  default:
    return NAN;
  }
}

/* ---- evaluation ---------------------------------------------------------------- */

struct fitctx {
  struct params *p; /* working copy */
  const struct scenario *s;
  const struct calib_targets *T;
  const struct calib_spec *sp;
  const struct calib_opts *o;
  int n_eval;
  double last_theta[CALIB_MAX_PARAMS];
  double *last_sim;
  int has_last;
  double t0;
};

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/** Simulate at theta into sim[] (mean over replicates of the per-replicate values). */
static void eval_into(struct fitctx *c, const double *theta, double *sim)
{
  const struct calib_targets *T = c->T;
  calib_apply(c->sp, theta, c->p);
  int R = c->o->replicates > 0 ? c->o->replicates : 1;
  int *cnt = calloc((size_t)T->n, sizeof *cnt);
  for (int i = 0; i < T->n; i++) sim[i] = 0;
  struct replicate_out out;
  for (int r = 0; r < R; r++) {
    replicate_out_init(&out, c->s->end_year - c->s->start_year + 1);
    engine_run_replicate(c->p, c->s, r, c->o->threads > 0 ? c->o->threads : 1, &out, NULL, NULL, NULL);
    for (int i = 0; i < T->n; i++) {
      double v = calib_simulated(&T->t[i], &out, c->s->start_year);
      if (isfinite(v)) {
        sim[i] += v;
        cnt[i]++;
      }
    }
    replicate_out_free(&out);
  }
  for (int i = 0; i < T->n; i++) sim[i] = cnt[i] ? sim[i] / cnt[i] : NAN;
  free(cnt);
  c->n_eval++;
  memcpy(c->last_theta, theta, sizeof(double) * (size_t)c->sp->np);
  memcpy(c->last_sim, sim, sizeof(double) * (size_t)T->n);
  c->has_last = 1;
}

static void sims_at(struct fitctx *c, const double *theta, double *sim)
{
  if (c->has_last && memcmp(theta, c->last_theta, sizeof(double) * (size_t)c->sp->np) == 0) {
    memcpy(sim, c->last_sim, sizeof(double) * (size_t)c->T->n);
    return;
  }
  eval_into(c, theta, sim);
}

static void residuals(const struct calib_targets *T, const double *sim, double *res)
{
  for (int i = 0; i < T->n; i++)
    res[i] = isfinite(sim[i]) ? (sim[i] - T->t[i].value) / T->t[i].tol : 0.0;
}

static int gsl_f(const gsl_vector *x, void *params, gsl_vector *f)
{
  struct fitctx *c = params;
  double th[CALIB_MAX_PARAMS];
  for (int j = 0; j < c->sp->np; j++) th[j] = gsl_vector_get(x, (size_t)j);
  double *sim = malloc(sizeof(double) * (size_t)c->T->n), *res = malloc(sizeof(double) * (size_t)c->T->n);
  sims_at(c, th, sim);
  residuals(c->T, sim, res);
  for (int i = 0; i < c->T->n; i++) gsl_vector_set(f, (size_t)i, res[i]);
  free(sim);
  free(res);
  return GSL_SUCCESS;
}

/** Forward differences with a fixed step in theta (common random numbers make them meaningful). */
static int gsl_df(const gsl_vector *x, void *params, gsl_matrix *J)
{
  struct fitctx *c = params;
  const int n = c->T->n, np = c->sp->np;
  double th[CALIB_MAX_PARAMS];
  for (int j = 0; j < np; j++) th[j] = gsl_vector_get(x, (size_t)j);
  double *sim = malloc(sizeof(double) * (size_t)n), *r0 = malloc(sizeof(double) * (size_t)n),
         *r1 = malloc(sizeof(double) * (size_t)n);
  sims_at(c, th, sim);
  residuals(c->T, sim, r0);
  double h = c->o->fd_step > 0 ? c->o->fd_step : 0.05;
  for (int j = 0; j < np; j++) {
    double tj[CALIB_MAX_PARAMS];
    memcpy(tj, th, sizeof tj);
    /* step towards the inside of the clamp so the difference is not flat */
    double hj = th[j] + h > CALIB_THETA_MAX ? -h : h;
    tj[j] += hj;
    eval_into(c, tj, sim);
    residuals(c->T, sim, r1);
    for (int i = 0; i < n; i++) gsl_matrix_set(J, (size_t)i, (size_t)j, (r1[i] - r0[i]) / hj);
  }
  free(sim);
  free(r0);
  free(r1);
  return GSL_SUCCESS;
}

static void gsl_cb(const size_t iter, void *params, const gsl_multifit_nlinear_workspace *w)
{
  struct fitctx *c = params;
  if (!c->o->verbose) return;
  gsl_vector *f = gsl_multifit_nlinear_residual(w), *x = gsl_multifit_nlinear_position(w);
  double chi2;
  gsl_blas_ddot(f, f, &chi2);
  fprintf(stderr, "hwsim calibrate: iteration %zu, chi2 %.3f, %d evaluations, %.0f s; theta", iter,
          chi2, c->n_eval, now_s() - c->t0);
  for (size_t j = 0; j < x->size; j++) fprintf(stderr, " %.4f", gsl_vector_get(x, j));
  fputc('\n', stderr);
}

static void score(const struct calib_targets *T, const double *sim, double *chi2, int *within)
{
  *chi2 = 0;
  *within = 0;
  for (int i = 0; i < T->n; i++) {
    if (!isfinite(sim[i])) continue;
    double z = (sim[i] - T->t[i].value) / T->t[i].tol;
    *chi2 += z * z;
    if (fabs(sim[i] - T->t[i].value) <= T->t[i].tol) (*within)++;
  }
}

void calib_evaluate(const struct params *base, const struct scenario *s,
                    const struct calib_targets *T, const struct calib_spec *sp,
                    const double *theta, const struct calib_opts *o, double *sim)
{
  struct params *p = malloc(sizeof *p);
  memcpy(p, base, sizeof *p);
  struct fitctx c = {.p = p, .s = s, .T = T, .sp = sp, .o = o};
  c.last_sim = malloc(sizeof(double) * (size_t)(T->n + 1));
  eval_into(&c, theta, sim);
  free(c.last_sim);
  free(p);
}

void calib_result_free(struct calib_result *r)
{
  free(r->sim0);
  free(r->sim);
  r->sim0 = r->sim = NULL;
}

int calib_fit(const struct params *base, const struct scenario *s, const struct calib_targets *T,
              const struct calib_spec *sp, const double *theta0, const struct calib_opts *o,
              struct calib_result *res, char *err, size_t errlen)
{
  memset(res, 0, sizeof *res);
  if (s->n_iv > 0) {
    snprintf(err, errlen, "%s: scenario has %d interventions (expected none: calibration must not absorb an intervention's effect)",
             s->path, s->n_iv);
    return -1;
  }
  if (sp->np < 1 || T->n < sp->np) {
    snprintf(err, errlen, "%d targets for %d free parameters (expected at least as many targets as parameters, and one parameter)",
             T->n, sp->np);
    return -1;
  }
  const int n = T->n, np = sp->np;
  res->np = np;
  res->n = n;
  res->start_year = s->start_year;
  res->end_year = s->end_year;
  res->sim0 = malloc(sizeof(double) * (size_t)n);
  res->sim = malloc(sizeof(double) * (size_t)n);
  for (int j = 0; j < np; j++) res->theta0[j] = theta0 ? theta0[j] : 0.0;

  struct params *p = malloc(sizeof *p);
  memcpy(p, base, sizeof *p);
  struct fitctx c = {.p = p, .s = s, .T = T, .sp = sp, .o = o, .t0 = now_s()};
  c.last_sim = malloc(sizeof(double) * (size_t)n);

  eval_into(&c, res->theta0, res->sim0);
  score(T, res->sim0, &res->chi2_0, &res->within0);
  if (o->verbose)
    fprintf(stderr, "hwsim calibrate: %d targets, %d parameters, %d-%d, %d replicates, start chi2 %.3f (%d within tolerance), %.1f s per evaluation\n",
            n, np, s->start_year, s->end_year, o->replicates, res->chi2_0, res->within0,
            now_s() - c.t0);

  gsl_set_error_handler_off();
  gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
  fp.trs = gsl_multifit_nlinear_trs_lm;
  fp.scale = gsl_multifit_nlinear_scale_more;
  fp.solver = gsl_multifit_nlinear_solver_qr;
  gsl_multifit_nlinear_workspace *w =
      gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, (size_t)n, (size_t)np);
  gsl_multifit_nlinear_fdf fdf = {.f = gsl_f, .df = gsl_df, .fvv = NULL, .n = (size_t)n,
                                  .p = (size_t)np, .params = &c};
  gsl_vector *x = gsl_vector_alloc((size_t)np);
  for (int j = 0; j < np; j++) gsl_vector_set(x, (size_t)j, res->theta0[j]);
  int rc = -1;
  if (gsl_multifit_nlinear_init(x, &fdf, w) != GSL_SUCCESS) {
    snprintf(err, errlen, "optimiser failed to start");
    goto out;
  }
  int info = 0;
  int maxit = o->max_iter > 0 ? o->max_iter : 20;
  /* xtol: theta moves less than 1e-3 (0.1 % on a multiplier) */
  res->gsl_status = gsl_multifit_nlinear_driver((size_t)maxit, 1e-3, 1e-6, 1e-6, gsl_cb, &c, &info, w);
  res->gsl_info = info;
  res->iterations = (int)gsl_multifit_nlinear_niter(w);
  gsl_vector *xf = gsl_multifit_nlinear_position(w);
  for (int j = 0; j < np; j++) res->theta[j] = calib_theta_clamp(gsl_vector_get(xf, (size_t)j));
  /* covariance of theta: residuals are in tolerance units (tolerance as a standard error) */
  {
    gsl_matrix *J = gsl_multifit_nlinear_jac(w);
    gsl_matrix *cov = gsl_matrix_alloc((size_t)np, (size_t)np);
    if (gsl_multifit_nlinear_covar(J, 1e-8, cov) == GSL_SUCCESS) {
      res->has_cov = 1;
      for (int i = 0; i < np; i++) {
        for (int j = 0; j < np; j++) res->cov[i * np + j] = gsl_matrix_get(cov, (size_t)i, (size_t)j);
        double v = res->cov[i * np + i];
        res->se[i] = v > 0 ? sqrt(v) : 0.0;
      }
    }
    gsl_matrix_free(cov);
  }
  sims_at(&c, res->theta, res->sim);
  score(T, res->sim, &res->chi2, &res->within);
  res->n_eval = c.n_eval;
  res->seconds = now_s() - c.t0;
  rc = 0;
out:
  gsl_vector_free(x);
  gsl_multifit_nlinear_free(w);
  free(c.last_sim);
  free(p);
  return rc;
}

/* ---- outputs ------------------------------------------------------------------ */

/** SHA-256 over the data files' names and hashes (fitted.csv left out: it is the output). */
static void data_hash(const struct params *p, char out[65])
{
  char buf[N_DATA_FILES * 140];
  size_t len = 0;
  buf[0] = '\0';
  for (int i = 0; i < p->nfiles; i++) {
    if (strcmp(p->file_name[i], "fitted.csv") == 0) continue;
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s:%s\n", p->file_name[i], p->file_sha256[i]);
  }
  sha256_hex(buf, len, out);
}

static void targets_hash(const struct calib_targets *T, char out[65])
{
  char buf[CALIB_MAX_FILES * 70];
  size_t len = 0;
  for (int i = 0; i < T->nfiles; i++) len += (size_t)snprintf(buf + len, sizeof buf - len, "%s\n", T->sha256[i]);
  sha256_hex(buf, len, out);
}

int calib_write_fitted(const char *path, const struct params *base, const struct scenario *s,
                       const struct calib_targets *T, const struct calib_spec *sp,
                       const struct calib_result *r, const struct calib_opts *o, char *err,
                       size_t errlen)
{
  char dh[65], th[65];
  data_hash(base, dh);
  targets_hash(T, th);
  struct params *p = malloc(sizeof *p);
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
        fprintf(f, "%s,%s,%s,%.6f,hwsim calibrate %s data sha256 %s targets sha256 %s,"
                   "%s; seed %llu; %d replicates; %d-%d; chi2 %.3f -> %.3f\n",
                mult_proc_labels[k], group_labels[g], age_band_labels[b], p->mult[k][g][b],
                HWSIM_GIT_REV, dh, th, names, (unsigned long long)s->seed, o->replicates,
                r->start_year, r->end_year, r->chi2_0, r->chi2);
      }
  int bad = ferror(f);
  bad |= fclose(f);
  free(p);
  if (bad || rename(tmp, path) != 0) {
    snprintf(err, errlen, "%s: cannot write (%s)", path, strerror(errno));
    return -1;
  }
  if (r->has_cov) {
    char cpath[1100];
    snprintf(cpath, sizeof cpath, "%s", path);
    char *dot = strrchr(cpath, '.');
    char *slash = strrchr(cpath, '/');
    if (dot && (!slash || dot > slash)) *dot = '\0';
    strncat(cpath, "_cov.csv", sizeof cpath - strlen(cpath) - 1);
    FILE *cf = fopen(cpath, "w");
    if (!cf) {
      snprintf(err, errlen, "%s: cannot write (%s)", cpath, strerror(errno));
      return -1;
    }
    fprintf(cf, "param_i,param_j,theta_i,theta_j,covariance,source,note\n");
    for (int i = 0; i < r->np; i++)
      for (int j = 0; j < r->np; j++)
        fprintf(cf, "%s,%s,%.6f,%.6f,%.8g,hwsim calibrate %s data sha256 %s targets sha256 %s,"
                    "Gaussian approximation (J'J)^-1 with residuals in tolerance units; theta = log multiplier\n",
                sp->prm[i].name, sp->prm[j].name, r->theta[i], r->theta[j], r->cov[i * r->np + j],
                HWSIM_GIT_REV, dh, th);
    if (fclose(cf) != 0) {
      snprintf(err, errlen, "%s: cannot write", cpath);
      return -1;
    }
  }
  return 0;
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

void calib_report(FILE *f, const struct calib_targets *T, const struct calib_spec *sp,
                  const struct calib_result *r, const struct calib_opts *o, int csv)
{
  if (csv) {
    fprintf(f, "measure,group,sex,age_band,sector,year,target,tolerance,simulated_start,simulated_fit,difference,within_tolerance\n");
    for (int i = 0; i < T->n; i++) {
      const struct calib_target *t = &T->t[i];
      int ok = isfinite(r->sim[i]) && fabs(r->sim[i] - t->value) <= t->tol;
      fprintf(f, "%s,%.10g,%.10g,%.10g,%.10g,%.10g,%s\n", t->label, t->value, t->tol, r->sim0[i],
              r->sim[i], r->sim[i] - t->value, ok ? "yes" : "no");
    }
    return;
  }
  fprintf(f, "# hwsim calibrate: fit report\n\n");
  fprintf(f, "Simulated %d-%d, %d replicates per evaluation (seed %llu, common random numbers), "
             "%d evaluations, %d Levenberg-Marquardt iterations, %.1f s (git %s).\n\n",
          r->start_year, r->end_year, o->replicates, (unsigned long long)o->seed, r->n_eval,
          r->iterations, r->seconds, HWSIM_GIT_REV);
  fprintf(f, "## Parameters (log multipliers)\n\n| parameter | start | fitted | multiplier | std. error |\n|---|---|---|---|---|\n");
  for (int j = 0; j < sp->np; j++)
    fprintf(f, "| %s | %.4f | %.4f | %.4f | %.4f |\n", sp->prm[j].name, r->theta0[j], r->theta[j],
            exp(r->theta[j]), r->se[j]);
  fprintf(f, "\n## Targets\n\n| measure | group | sex | age | sector | year | target | tolerance | start | fitted | diff | ok |\n"
             "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (int i = 0; i < T->n; i++) {
    const struct calib_target *t = &T->t[i];
    char lab[160];
    snprintf(lab, sizeof lab, "%s", t->label);
    for (char *c = lab; *c; c++)
      if (*c == ',') *c = '\x01';
    char a[32], b[32], d[32], tv[32], tl[32];
    fmtv(tv, sizeof tv, t->value, t->value);
    fmtv(tl, sizeof tl, t->tol, t->value);
    fmtv(a, sizeof a, r->sim0[i], t->value);
    fmtv(b, sizeof b, r->sim[i], t->value);
    fmtv(d, sizeof d, r->sim[i] - t->value, t->value);
    int ok = isfinite(r->sim[i]) && fabs(r->sim[i] - t->value) <= t->tol;
    fputs("| ", f);
    for (const char *c = lab; *c; c++)
      if (*c == '\x01')
        fputs(" | ", f);
      else
        fputc(*c, f);
    fprintf(f, " | %s | %s | %s | %s | %s | %s |\n", tv, tl, a, b, d, ok ? "yes" : "**no**");
  }
  fprintf(f, "\nWithin tolerance: %d of %d targets at the start, %d of %d after the fit (%.0f %%).\n",
          r->within0, r->n, r->within, r->n, 100.0 * r->within / (r->n ? r->n : 1));
  fprintf(f, "Fit statistic chi2 = sum ((simulated - target) / tolerance)^2: %.3f at the start, %.3f after "
             "the fit (%d targets, %d parameters; chi2 / (n - p) = %.3f).\n",
          r->chi2_0, r->chi2, r->n, r->np, r->n > r->np ? r->chi2 / (r->n - r->np) : NAN);
}

/* ---- command -------------------------------------------------------------------- */


static const char calib_usage[] =
    "usage: hwsim calibrate [TARGETS.csv ...] [-o REPORT] [--scenario S.yaml] [--write FITTED.csv | --no-write]\n"
    "                       [--replicates R] [--seed S] [--threads T] [--end-year Y] [--max-iter N]\n"
    "                       [--csv] [--quiet]\n";

int calibrate_main(int argc, char **argv)
{
  const char *files[CALIB_MAX_FILES];
  int nfiles = 0;
  const char *report = NULL, *scen = NULL, *write = NULL;
  int no_write = 0, csv = 0, quiet = 0, end_year = 0, has_seed = 0;
  struct calib_opts o = {.replicates = 2, .threads = 0, .max_iter = 20, .fd_step = 0.05, .verbose = 1};
  unsigned long long v, seed = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int has_val = i + 1 < argc;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(calib_usage, stdout);
      return 0;
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
      if (!has_val) goto missing;
      report = argv[++i];
    } else if (strcmp(a, "--scenario") == 0) {
      if (!has_val) goto missing;
      scen = argv[++i];
    } else if (strcmp(a, "--write") == 0) {
      if (!has_val) goto missing;
      write = argv[++i];
    } else if (strcmp(a, "--no-write") == 0) {
      no_write = 1;
    } else if (strcmp(a, "--csv") == 0) {
      csv = 1;
    } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
      quiet = 1;
    } else if (strcmp(a, "--replicates") == 0 || strcmp(a, "--seed") == 0 ||
               strcmp(a, "--threads") == 0 || strcmp(a, "--end-year") == 0 ||
               strcmp(a, "--max-iter") == 0) {
      if (!has_val) goto missing;
      const char *val = argv[++i];
      if (cli_parse_u64(val, &v)) {
        fprintf(stderr, "hwsim calibrate: %s '%s' is not a non-negative integer\n", a, val);
        return 2;
      }
      if (strcmp(a, "--replicates") == 0) {
        if (v < 1 || v > 1000) {
          fprintf(stderr, "hwsim calibrate: --replicates '%s' is out of range (expected 1..1000)\n", val);
          return 2;
        }
        o.replicates = (int)v;
      } else if (strcmp(a, "--seed") == 0) {
        seed = v;
        has_seed = 1;
      } else if (strcmp(a, "--threads") == 0) {
        if (v < 1 || v > 1024) {
          fprintf(stderr, "hwsim calibrate: --threads '%s' is out of range (expected 1..1024)\n", val);
          return 2;
        }
        o.threads = (int)v;
      } else if (strcmp(a, "--end-year") == 0) {
        if (v < 2000 || v > 2150) {
          fprintf(stderr, "hwsim calibrate: --end-year '%s' is not a year (expected 2000..2150)\n", val);
          return 2;
        }
        end_year = (int)v;
      } else {
        if (v < 1 || v > 1000) {
          fprintf(stderr, "hwsim calibrate: --max-iter '%s' is out of range (expected 1..1000)\n", val);
          return 2;
        }
        o.max_iter = (int)v;
      }
    } else if (a[0] == '-') {
      fprintf(stderr, "hwsim calibrate: unknown option '%s' (expected -o, --scenario, --write, --no-write, --replicates, --seed, --threads, --end-year, --max-iter, --csv, --quiet)\n", a);
      return 2;
    } else {
      if (nfiles >= CALIB_MAX_FILES) {
        fprintf(stderr, "hwsim calibrate: too many target files (expected at most %d)\n", CALIB_MAX_FILES);
        return 2;
      }
      files[nfiles++] = a;
    }
    continue;
  missing:
    fprintf(stderr, "hwsim calibrate: option '%s' needs a value\n", a);
    return 2;
  }
  o.verbose = !quiet;
  if (o.threads < 1) o.threads = omp_get_max_threads();

  char err[1024];
  struct scenario s;
  if (scenario_load(&s, scen ? scen : scenario_default_path(), err, sizeof err) != 0) {
    fprintf(stderr, "hwsim calibrate: %s\n", err);
    return 2;
  }
  if (has_seed) s.seed = seed;
  o.seed = s.seed;
  int rc = 2;
  struct params *p = malloc(sizeof *p);
  struct calib_targets T = {0};
  struct calib_result r = {0};
  if (params_load(p, s.data_dir, err, sizeof err) != 0) {
    fprintf(stderr, "hwsim calibrate: %s\n", err);
    goto out;
  }
  char defpath[2200];
  snprintf(defpath, sizeof defpath, "%s/targets.csv", s.data_dir);
  if (nfiles == 0) files[nfiles++] = defpath;
  for (int i = 0; i < nfiles; i++)
    if (calib_targets_load(&T, files[i], s.start_year, err, sizeof err) != 0) {
      fprintf(stderr, "hwsim calibrate: %s\n", err);
      goto out;
    }
  int need = calib_targets_end_year(&T, s.start_year);
  if (end_year && end_year < need) {
    fprintf(stderr, "hwsim calibrate: --end-year %d is before %d, the last year the targets need\n",
            end_year, need);
    goto out;
  }
  s.end_year = end_year ? end_year : need;
  struct calib_spec sp;
  calib_spec_default(&sp);
  if (calib_fit(p, &s, &T, &sp, NULL, &o, &r, err, sizeof err) != 0) {
    fprintf(stderr, "hwsim calibrate: %s\n", err);
    rc = 1;
    goto out;
  }
  rc = 1;
  if (!no_write) {
    char fpath[2200];
    if (write)
      snprintf(fpath, sizeof fpath, "%s", write);
    else
      snprintf(fpath, sizeof fpath, "%s/fitted.csv", s.data_dir);
    if (calib_write_fitted(fpath, p, &s, &T, &sp, &r, &o, err, sizeof err) != 0) {
      fprintf(stderr, "hwsim calibrate: %s\n", err);
      goto out;
    }
    if (!quiet) fprintf(stderr, "hwsim calibrate: wrote %s\n", fpath);
  }
  FILE *rf = stdout;
  if (report && !(rf = fopen(report, "w"))) {
    fprintf(stderr, "hwsim calibrate: %s: cannot write (%s)\n", report, strerror(errno));
    goto out;
  }
  calib_report(rf, &T, &sp, &r, &o, csv);
  if (rf != stdout && fclose(rf) != 0) {
    fprintf(stderr, "hwsim calibrate: %s: cannot write\n", report);
    goto out;
  }
  rc = 0;
out:
  calib_result_free(&r);
  calib_targets_free(&T);
  free(p);
  scenario_free(&s);
  return rc;
}
