/**
 * @file education.c
 * @brief Education: the yearly intake to each Norwegian programme (study
 *        places), the pipeline of students at the base date, dropout at a
 *        constant hazard that gives the published completion share over the
 *        programme's duration, and graduation (entry into work, employment.c).
 */
#include "process.h"

#include "population.h"
#include "scenario.h"

/* The academic year (docs/model.md, section 4.6). */
#define EDU_INTAKE_TIME 0.625 /**< admission in August: t_in = year + 0.625 */
#define EDU_GRAD_EARLY 0.125  /**< graduation in June: t_in + duration - 0.125 */

/** Dropout hazard (a year) when the completion share is 0: practically nobody completes
 *  (docs/model.md, section 4.6). */
#define EDU_DROPOUT_NO_COMPLETION 50.0
/** Least enrolled time (years) in the dropout hazard's denominator (docs/model.md, 4.6). */
#define EDU_ENROLLED_MIN 0.1

/** Admission years the base pipeline looks back over: the longest duration education.csv
 *  accepts (calibration/params.c), so every cohort still studying at base is created. */
#define EDU_PIPELINE_YEARS 12

/* Age at intake ~ N(age_mean, age_sd) clipped to [17, 55] (docs/model.md, section 4.6; an
 * assumption: education.csv gives only the mean and sd, docs/parameters.md). */
#define ENTRANT_AGE_MIN 17.0 /**< youngest entrant */
#define ENTRANT_AGE_MAX 55.0 /**< oldest entrant */

_Static_assert(N_GROUPS <= RNG_GROUP_SLOTS, "a year's intake streams need a slot per group");

double education_dropout(const struct params *p, int g, int year)
{
  /* A student is enrolled from August (intake + EDU_INTAKE_TIME) to June
   * (graduation at intake + duration - EDU_GRAD_EARLY), i.e. for duration -
   * EDU_GRAD_EARLY years, so P(complete) = exp(-h (duration - EDU_GRAD_EARLY))
   * = completion share (ignoring death). */
  const struct edu_row *e = params_edu_row(p, g, year);
  if (!e) return 0;
  if (e->completion <= 0) return EDU_DROPOUT_NO_COMPLETION;
  if (e->completion >= 1) return 0;
  double enrolled = e->duration - EDU_GRAD_EARLY;
  return -log(e->completion) / (enrolled > EDU_ENROLLED_MIN ? enrolled : EDU_ENROLLED_MIN);
}

void education_base_students(const struct params *p, const struct scenario *s, int r,
                             struct pcg32 *rng_in, struct population *pop)
{
  const double t0 = (double)s->start_year + 1.0;
  struct pcg32 rng = *rng_in;
  /* Students in the pipeline at t0: cohorts admitted in the last `duration`
   * years, thinned by the dropout they have already had. */
  for (int g = 0; g < N_GROUPS; g++) {
    uint32_t idx = 0;
    for (int c = s->start_year; c > s->start_year - EDU_PIPELINE_YEARS; c--) {
      const struct edu_row *e = params_edu_row(p, g, c);
      if (!e) continue;
      double t_in = c + EDU_INTAKE_TIME, t_grad = t_in + e->duration - EDU_GRAD_EARLY;
      if (t_grad <= t0) continue;
      double left =
          e->completion > 0 ? pow(e->completion, (t0 - t_in) / (e->duration - EDU_GRAD_EARLY)) : 0;
      int n = (int)lround(e->intake * left);
      int nm = (int)lround(n * e->male_share);
      for (int i = 0; i < n; i++) {
        struct agent *a = population_push(pop);
        if (!a) return; /* out of memory: pop->err says so */
        a->key = population_key(0, POP_KEY_BASE_STUDENT, g, 0, idx++);
        a->group = (uint8_t)g;
        a->sex = i < nm ? SEX_MALE : SEX_FEMALE;
        a->status = ST_STUDENT;
        a->birth = t_in - population_draw_age(&rng, e->age_mean, e->age_sd, ENTRANT_AGE_MIN,
                                              ENTRANT_AGE_MAX);
        a->t_mark = t_grad;
        a->t_career = (float)t_in;
        population_seed_agent(a, s->seed, r);
      }
    }
  }
  *rng_in = rng;
}

/** @brief The smallest `capacity` of the study_places measures in force for group g in @p year
 *         (practice placements, apprenticeships), or -1 when none caps the intake. */
static double education_capacity(const struct scenario *s, int g, int year)
{
  double cap = -1;
  for (int k = 0; k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (iv->type != IV_STUDY_PLACES || !(iv->groups >> g & 1u) || iv->capacity <= 0) continue;
    if (year < iv->start || year > iv->end || (iv->once && year != iv->start)) continue;
    if (cap < 0 || iv->capacity < cap) cap = iv->capacity;
  }
  return cap;
}

/** @brief Extra study places for group g in @p year from the scenario's study_places measures. */
static double education_extra_places(const struct scenario *s, int g, int year)
{
  double add = 0;
  for (int k = 0; k < s->n_iv; k++) {
    const struct intervention *iv = &s->iv[k];
    if (iv->type != IV_STUDY_PLACES || !(iv->groups >> g & 1u)) continue;
    if (iv->once && year != iv->start) continue;
    add += iv->add * intervention_uptake(iv, year);
  }
  return add;
}

void education_intake(const struct params *p, const struct scenario *s, int r, int year,
                      struct population *pop)
{
  for (int g = 0; g < N_GROUPS; g++) {
    const struct edu_row *e = params_edu_row(p, g, year);
    if (!e) continue;
    /* One stream per (year, programme), attributes drawn per student in
     * index order: extra places append students without changing anyone
     * else's draws (common random numbers). */
    struct pcg32 rng;
    pcg32_seed(
        &rng,
        rng_key(s->seed, (uint64_t)r, (uint64_t)year * RNG_GROUP_SLOTS + (uint64_t)g, RNG_INTAKE),
        RNG_INTAKE);
    double places = e->intake + education_extra_places(s, g, year);
    /* a capacity binds: the first `capacity` students are the same as without it, since the
     * extra ones are appended in index order */
    const double cap = education_capacity(s, g, year);
    if (cap >= 0 && places > cap) places = cap;
    int n = places > 0 ? (int)lround(places) : 0;
    double t_in = year + EDU_INTAKE_TIME;
    for (int i = 0; i < n; i++) {
      struct agent *a = population_push(pop);
      if (!a) return; /* out of memory: pop->err says so */
      a->key = population_key(year, POP_KEY_INTAKE, g, 0, (uint32_t)i);
      a->group = (uint8_t)g;
      a->sex = pcg32_uniform(&rng) < e->male_share ? SEX_MALE : SEX_FEMALE;
      a->status = ST_STUDENT;
      /* Admitted in August: the agent is a student from t_in; before that it
       * does not exist, which the year loop handles by starting it at t_in. */
      a->birth = t_in - population_draw_age(&rng, e->age_mean, e->age_sd, ENTRANT_AGE_MIN,
                                            ENTRANT_AGE_MAX);
      a->t_mark = t_in + e->duration - EDU_GRAD_EARLY; /* graduation in June */
      a->t_career = (float)t_in; /* for a student: admission time; the clock starts there */
      population_seed_agent(a, s->seed, r);
    }
  }
}
