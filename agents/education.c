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

double education_dropout(const struct params *p, int g, int year)
{
  /* A student is enrolled from August (intake + 0.625) to June (graduation
   * at intake + duration - 0.125), i.e. for duration - 0.125 years, so
   * P(complete) = exp(-h (duration - 0.125)) = completion share (ignoring death). */
  const struct edu_row *e = params_edu_row(p, g, year);
  if (!e) return 0;
  if (e->completion <= 0) return 50.0;
  if (e->completion >= 1) return 0;
  double enrolled = e->duration - 0.125;
  return -log(e->completion) / (enrolled > 0.1 ? enrolled : 0.1);
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
    for (int c = s->start_year; c > s->start_year - 12; c--) {
      const struct edu_row *e = params_edu_row(p, g, c);
      if (!e) continue;
      double t_in = c + 0.625, t_grad = t_in + e->duration - 0.125;
      if (t_grad <= t0) continue;
      double left = e->completion > 0 ? pow(e->completion, (t0 - t_in) / (e->duration - 0.125)) : 0;
      int n = (int)lround(e->intake * left);
      int nm = (int)lround(n * e->male_share);
      for (int i = 0; i < n; i++) {
        struct agent *a = population_push(pop);
        a->key = population_key(0, POP_KEY_BASE_STUDENT, g, 0, idx++);
        a->group = (uint8_t)g;
        a->sex = i < nm ? SEX_MALE : SEX_FEMALE;
        a->status = ST_STUDENT;
        a->birth = t_in - population_draw_age(&rng, e->age_mean, e->age_sd, 17.0, 55.0);
        a->t_mark = t_grad;
        a->t_career = (float)t_in;
        population_seed_agent(a, s->seed, r);
      }
    }
  }
  *rng_in = rng;
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
    pcg32_seed(&rng, rng_key(s->seed, (uint64_t)r, (uint64_t)year * 64 + (uint64_t)g, RNG_INTAKE),
               RNG_INTAKE);
    double places = e->intake + education_extra_places(s, g, year);
    int n = places > 0 ? (int)lround(places) : 0;
    double t_in = year + 0.625;
    for (int i = 0; i < n; i++) {
      struct agent *a = population_push(pop);
      a->key = population_key(year, POP_KEY_INTAKE, g, 0, (uint32_t)i);
      a->group = (uint8_t)g;
      a->sex = pcg32_uniform(&rng) < e->male_share ? SEX_MALE : SEX_FEMALE;
      a->status = ST_STUDENT;
      /* Admitted in August: the agent is a student from t_in; before that it
       * does not exist, which the year loop handles by starting it at t_in. */
      a->birth = t_in - population_draw_age(&rng, e->age_mean, e->age_sd, 17.0, 55.0);
      a->t_mark = t_in + e->duration - 0.125; /* graduation in June */
      a->t_career = (float)t_in; /* for a student: admission time; the clock starts there */
      population_seed_agent(a, s->seed, r);
    }
  }
}
