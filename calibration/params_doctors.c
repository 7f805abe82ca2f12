/**
 * @file params_doctors.c
 * @brief The physicians' career track tables of a data directory (doctors.csv,
 *        lis1_posts.csv, gp_lists.csv, doctor_base.csv) into struct
 *        doctor_params: part of params_load (see params_load.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "csvtab.h"
#include "params.h"
#include "params_load.h"

/** The scalar parameters of doctors.csv, in struct doctor_params order. */
enum doc_key {
  DK_LIS1_HOSP,
  DK_LIS1_MUNI,
  DK_ROUND_SPRING,
  DK_ROUND_AUTUMN,
  DK_MIN_GP,
  DK_MIN_PSY,
  DK_MIN_BUP,
  DK_MIN_OTHER,
  DK_DELAY_GP,
  DK_DELAY_PSY,
  DK_DELAY_BUP,
  DK_DELAY_OTHER,
  DK_CHOICE_NONE,
  DK_CHOICE_GP,
  DK_CHOICE_PSY,
  DK_CHOICE_BUP,
  DK_OTHER_OUTSIDE_HF,
  DK_WAIT_GIVEUP,
  DK_IMM_SPECIALIST,
  DK_GP_HOURS,
  DK_GP_HOURS_SIGMA,
  DK_GP_QUIT,
  DK_GP_ELASTICITY,
  DK_LIST_NORM,
  DK_VACANT_INHAB,
  DK_GP_QUIT_TREND,
  DK_GP_QUIT_TREND_END,
  DK_GP_LIST_ELASTICITY,
  DK_GP_LIST_LENGTH_REF,
  DK_GP_MATCH,
  DK_GP_QUIT_LATE_END,
  N_DOC_KEYS
};
static const char *const doc_key_labels[N_DOC_KEYS] = {"lis1_hospital_years",
                                                       "lis1_municipal_years",
                                                       "lis1_round_spring",
                                                       "lis1_round_autumn",
                                                       "min_years_general_practice",
                                                       "min_years_psychiatry",
                                                       "min_years_child_psychiatry",
                                                       "min_years_other_specialty",
                                                       "delay_mean_general_practice",
                                                       "delay_mean_psychiatry",
                                                       "delay_mean_child_psychiatry",
                                                       "delay_mean_other_specialty",
                                                       "choice_none",
                                                       "choice_general_practice",
                                                       "choice_psychiatry",
                                                       "choice_child_psychiatry",
                                                       "other_specialty_outside_hospitals",
                                                       "lis1_wait_giveup_rate",
                                                       "immigrant_specialist_share",
                                                       "gp_hours",
                                                       "gp_hours_log_sd",
                                                       "gp_quit_rate",
                                                       "gp_workload_elasticity",
                                                       "list_norm",
                                                       "inhabitants_per_vacant_list",
                                                       "gp_quit_trend",
                                                       "gp_quit_trend_end",
                                                       "gp_list_elasticity",
                                                       "gp_list_length_ref",
                                                       "gp_match_efficiency",
                                                       "gp_quit_late_end"};

/**
 * @brief Read a table of strictly increasing years and one or two value
 *        columns (@p vname2 NULL: one) into years[], v[] and v2[].
 */
static int load_year_table(struct params *p, const char *dir, const char *name, const char *vname,
                           const char *vname2, int *years, double *v, double *v2, int *n, char *err,
                           size_t errlen)
{
  /* year, value(s), then source and note */
  const struct csvtab_col src[] = {SRC};
  struct csvtab_col cols[5] = {{"year", COL_INT, 1990, 2100, NULL, 0},
                               {vname, COL_RATE, 0, CSVTAB_COUNT_MAX, NULL, 0},
                               {vname2, COL_RATE, 0, CSVTAB_COUNT_MAX, NULL, 0}};
  const int nv = vname2 ? 3 : 2;
  cols[nv] = src[0];
  cols[nv + 1] = src[1];
  struct csvtab t;
  if (params_table_load(p, &t, dir, name, cols, nv + 2, err, errlen)) return -1;
  int rc = 0;
  if (t.nrows < 1 || t.nrows > MAX_DOC_YEARS) {
    snprintf(err, errlen, "%s: %d rows (expected 1..%d years)", t.path, t.nrows, MAX_DOC_YEARS);
    rc = -1;
  }
  for (int i = 0; rc == 0 && i < t.nrows; i++) {
    years[i] = (int)t.rows[i].v[0];
    v[i] = t.rows[i].v[1];
    if (vname2) v2[i] = t.rows[i].v[2];
    if (i > 0 && years[i] <= years[i - 1]) {
      snprintf(err, errlen, "%s:%d: year %d does not follow %d (expected increasing years)", t.path,
               t.rows[i].line, years[i], years[i - 1]);
      rc = -1;
    }
  }
  *n = rc == 0 ? t.nrows : 0;
  csvtab_free(&t);
  return rc;
}

/** @brief Check the scalars' ranges and the choice shares; -1 with a reason in err. */
static int doctor_scalars_check(const char *path, const double *v, char *err, size_t errlen)
{
  double cs = v[DK_CHOICE_NONE] + v[DK_CHOICE_GP] + v[DK_CHOICE_PSY] + v[DK_CHOICE_BUP];
  const int shares[] = {DK_CHOICE_NONE, DK_CHOICE_GP,        DK_CHOICE_PSY,
                        DK_CHOICE_BUP,  DK_OTHER_OUTSIDE_HF, DK_IMM_SPECIALIST};
  for (size_t j = 0; j < sizeof shares / sizeof shares[0]; j++)
    if (v[shares[j]] > 1) {
      snprintf(err, errlen, "%s: %s = %g (expected a share in [0, 1])", path,
               doc_key_labels[shares[j]], v[shares[j]]);
      return -1;
    }
  if (cs > 1 + 1e-9) {
    snprintf(
        err, errlen,
        "%s: the choice_* shares sum to %g (expected at most 1: other_specialty takes the rest)",
        path, cs);
    return -1;
  }
  if (v[DK_LIS1_HOSP] <= 0 || v[DK_LIS1_MUNI] < 0 || v[DK_ROUND_SPRING] >= 1 ||
      v[DK_ROUND_AUTUMN] >= 1 || v[DK_ROUND_AUTUMN] <= v[DK_ROUND_SPRING] || v[DK_GP_HOURS] <= 0 ||
      v[DK_LIST_NORM] <= 0 || v[DK_GP_LIST_LENGTH_REF] <= 0 || v[DK_GP_QUIT_TREND] > 1 ||
      v[DK_GP_QUIT_TREND_END] < PARAMS_BASE_YEAR || v[DK_GP_QUIT_TREND_END] > 2100 ||
      v[DK_GP_QUIT_TREND_END] != floor(v[DK_GP_QUIT_TREND_END]) ||
      v[DK_GP_QUIT_LATE_END] < v[DK_GP_QUIT_TREND_END] || v[DK_GP_QUIT_LATE_END] > 2100 ||
      v[DK_GP_QUIT_LATE_END] != floor(v[DK_GP_QUIT_LATE_END])) {
    snprintf(err, errlen,
             "%s: expected lis1_hospital_years > 0, 0 <= lis1_round_spring < lis1_round_autumn < "
             "1, gp_hours > 0, list_norm > 0, gp_list_length_ref > 0, gp_quit_trend <= 1, "
             "gp_quit_trend_end a year from %d to 2100 and gp_quit_late_end a year from "
             "gp_quit_trend_end to 2100",
             path, PARAMS_BASE_YEAR);
    return -1;
  }
  return 0;
}

/** @brief doctors.csv: every scalar parameter exactly once, into v[] (enum doc_key order). */
static int doctor_scalars_read(struct params *p, const char *dir, double *v, char *err,
                               size_t errlen)
{
  const struct csvtab_col cols[] = {{"parameter", COL_LABEL, 0, 0, doc_key_labels, N_DOC_KEYS},
                                    {"value", COL_REAL, 0, 100000, NULL, 0},
                                    SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "doctors.csv", cols, NCOLS(cols), err, errlen)) return -1;
  int seen[N_DOC_KEYS] = {0};
  int rc = 0;
  for (int i = 0; rc == 0 && i < t.nrows; i++) {
    int k = (int)t.rows[i].v[0];
    if (seen[k]) {
      snprintf(err, errlen, "%s:%d: parameter %s given twice (expected one row per parameter)",
               t.path, t.rows[i].line, doc_key_labels[k]);
      rc = -1;
    }
    seen[k] = 1;
    v[k] = t.rows[i].v[1];
  }
  for (int k = 0; rc == 0 && k < N_DOC_KEYS; k++)
    if (!seen[k]) {
      snprintf(err, errlen, "%s: parameter %s is missing (expected one row per parameter)", t.path,
               doc_key_labels[k]);
      rc = -1;
    }
  if (rc == 0) rc = doctor_scalars_check(t.path, v, err, errlen);
  csvtab_free(&t);
  return rc;
}

/** @brief The scalars of doctors.csv into @p d (other_specialty takes the rest of the choices). */
static void doctor_scalars_set(struct doctor_params *d, const double *v)
{
  d->lis1_hospital_years = v[DK_LIS1_HOSP];
  d->lis1_municipal_years = v[DK_LIS1_MUNI];
  d->round_spring = v[DK_ROUND_SPRING];
  d->round_autumn = v[DK_ROUND_AUTUMN];
  for (int f = SP_GENERAL_PRACTICE; f <= SP_OTHER; f++) {
    d->min_years[f] = v[DK_MIN_GP + f - SP_GENERAL_PRACTICE];
    d->delay_mean[f] = v[DK_DELAY_GP + f - SP_GENERAL_PRACTICE];
  }
  d->choice[SP_NONE] = v[DK_CHOICE_NONE];
  d->choice[SP_GENERAL_PRACTICE] = v[DK_CHOICE_GP];
  d->choice[SP_PSYCHIATRY] = v[DK_CHOICE_PSY];
  d->choice[SP_CHILD_PSYCHIATRY] = v[DK_CHOICE_BUP];
  d->choice[SP_OTHER] = 1.0 - d->choice[SP_NONE] - d->choice[SP_GENERAL_PRACTICE] -
                        d->choice[SP_PSYCHIATRY] - d->choice[SP_CHILD_PSYCHIATRY];
  if (d->choice[SP_OTHER] < 0) d->choice[SP_OTHER] = 0;
  d->other_outside_hf = v[DK_OTHER_OUTSIDE_HF];
  d->wait_giveup = v[DK_WAIT_GIVEUP];
  d->imm_specialist = v[DK_IMM_SPECIALIST];
  d->gp_hours = v[DK_GP_HOURS];
  d->gp_hours_sigma = v[DK_GP_HOURS_SIGMA];
  d->gp_quit = v[DK_GP_QUIT];
  d->gp_elasticity = v[DK_GP_ELASTICITY];
  d->list_norm = v[DK_LIST_NORM];
  d->vacant_list_inhabitants = v[DK_VACANT_INHAB];
  d->gp_quit_trend = v[DK_GP_QUIT_TREND];
  d->gp_quit_trend_end = (int)v[DK_GP_QUIT_TREND_END];
  d->gp_quit_late_end = (int)v[DK_GP_QUIT_LATE_END];
  d->gp_list_elasticity = v[DK_GP_LIST_ELASTICITY];
  d->gp_list_length_ref = v[DK_GP_LIST_LENGTH_REF];
  d->gp_match = v[DK_GP_MATCH];
}

/** @brief Check one doctor_base.csv row (row @p i of the file); -1 with a reason in err. */
static int doctor_base_check(const char *path, int i, const struct doctor_base_row *b, char *err,
                             size_t errlen)
{
  if (i >= MAX_DOC_BASE)
    snprintf(err, errlen, "%s:%d: too many rows (expected at most %d)", path, b->line,
             MAX_DOC_BASE);
  else if (b->age_to < b->age_from)
    snprintf(err, errlen, "%s:%d: age_to %d < age_from %d", path, b->line, b->age_to, b->age_from);
  else if (b->stage == CS_STUDENT)
    snprintf(err, errlen,
             "%s:%d: stage student is not a base stock row (students come from education.csv)",
             path, b->line);
  else if ((b->stage == CS_LIS || b->stage == CS_SPECIALIST) != (b->specialty != SP_NONE))
    snprintf(
        err, errlen,
        "%s:%d: specialty %s with stage %s (expected a specialty exactly for lis and specialist)",
        path, b->line, specialty_labels[b->specialty], career_stage_labels[b->stage - 1]);
  else if (b->gp && b->sector != SEC_MUNICIPAL)
    snprintf(err, errlen, "%s:%d: a GP (gp = yes) works in the municipal sector", path, b->line);
  else
    return 0;
  return -1;
}

/** @brief doctor_base.csv: the base year's physicians by stage, specialty, sector and ages. */
static int doctor_base_load(struct params *p, const char *dir, char *err, size_t errlen)
{
  static const char *const yesno[] = {"no", "yes"};
  const struct csvtab_col bcols[] = {
      {"stage", COL_LABEL, 0, 0, career_stage_labels, N_OUT_STAGES},
      {"specialty", COL_LABEL, 0, 0, specialty_labels, N_SPECIALTIES},
      {"sector", COL_LABEL, 0, 0, sector_labels, N_SECTORS},
      {"age_from", COL_INT, AGE_MIN, AGE_MAX, NULL, 0},
      {"age_to", COL_INT, AGE_MIN, AGE_MAX, NULL, 0},
      {"persons", COL_COUNT, 0, 0, NULL, 0},
      {"gp", COL_LABEL, 0, 0, yesno, 2},
      SRC};
  struct doctor_params *d = &p->doc;
  struct csvtab t;
  if (params_table_load(p, &t, dir, "doctor_base.csv", bcols, NCOLS(bcols), err, errlen)) return -1;
  int rc = 0;
  for (int i = 0; rc == 0 && i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    struct doctor_base_row b = {r->line,      (int)r->v[0] + 1, (int)r->v[1], (int)r->v[2],
                                (int)r->v[3], (int)r->v[4],     (int)r->v[6], r->v[5]};
    rc = doctor_base_check(t.path, i, &b, err, errlen);
    if (rc == 0) d->base[d->n_base++] = b;
  }
  csvtab_free(&t);
  return rc;
}

int params_load_doctors(struct params *p, const char *dir, char *err, size_t errlen)
{
  struct doctor_params *d = &p->doc;
  memset(d, 0, sizeof *d);
  char path[512];
  if (access(params_path(path, sizeof path, dir, "doctors.csv"), F_OK) != 0) return 0;
  double v[N_DOC_KEYS];
  if (doctor_scalars_read(p, dir, v, err, errlen)) return -1;
  doctor_scalars_set(d, v);
  if (load_year_table(p, dir, "lis1_posts.csv", "posts", NULL, d->post_year, d->posts, NULL,
                      &d->n_posts, err, errlen) ||
      load_year_table(p, dir, "gp_lists.csv", "lists", "inhabitants", d->list_year, d->lists,
                      d->listed, &d->n_lists, err, errlen) ||
      doctor_base_load(p, dir, err, errlen))
    return -1;
  d->on = 1;
  return 0;
}
