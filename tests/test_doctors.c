/**
 * @file test_doctors.c
 * @brief The physicians' career track (agents/doctors.c).
 *
 *  - the LIS1 rounds never give more posts than there are, and give them all
 *    when there are enough applicants (posts / 2 per round, by hand);
 *  - with no exits, every LIS1 entrant is a specialist exactly 1.5 + 5 years
 *    after the start (the minimum durations, delays set to zero), so the
 *    approvals fall in the years computed by hand and nowhere else;
 *  - year by year, every physician's stage follows the allowed order and a
 *    specialist's specialty is the one of its LIS;
 *  - an ALIS quota sets the number of completers who start in general practice;
 *  - the Norway run gives identical doctor outputs on 1 and 2 threads;
 *  - a GP's list-leaving hazard follows its hours and list-length elasticities
 *    (1 - exp(-q r^e) within a year), is a fixed hazard bit for bit at
 *    elasticity 0, and follows the calendar trend up to its end year; the
 *    hires into vacant lists follow the matching function round(mu sqrt(V U));
 *  - bad doctor tables are refused with file:line.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basepop.h"
#include "doctors.h"
#include "engine.h"
#include "lifecourse.h"
#include "params.h"
#include "population.h"
#include "process.h"
#include "rng.h"
#include "same.h"
#include "toy.h"

#define START_YEAR 2019
#include "norway.h"

#define T0 ((double)START_YEAR + 1.0)

static struct params P; /* large: static, reloaded by each test */

/** @brief The shipped Norway data, which must have the doctors' track. */
static void load_norway_doctors(struct params *p)
{
  load_norway(p);
  cr_assert(p->doc.on, "calibration/norway has no doctors.csv");
}

/** @brief No exits, moves, sick leave, give-ups, list leaving or delays. */
static void no_exits(struct params *p)
{
  zero_removals(p);
  zero_careers(p);
  zero_sick(p);
  p->doc.wait_giveup = 0;
  p->doc.gp_quit = 0;
  p->doc.gp_match = 0;
  p->doc.n_lists = 0;
  for (int f = 0; f < N_SPECIALTIES; f++)
    p->doc.delay_mean[f] = 0;
}

/** @brief LIS1 posts: @p n in 2020 only (the table interpolates between rows). */
static void posts_once(struct params *p, double n)
{
  p->doc.n_posts = 2;
  p->doc.post_year[0] = 2020;
  p->doc.posts[0] = n;
  p->doc.post_year[1] = 2021;
  p->doc.posts[1] = 0;
}

/** @brief An active physician waiting for LIS1 (as the base assignment makes them). */
static struct agent *add_waiting(struct population *pop, uint32_t i, uint64_t seed,
                                 double giveup_at)
{
  struct agent *a = population_push(pop);
  a->key = population_key(0, POP_KEY_BASE, G_PHYSICIAN, 0, i);
  a->group = G_PHYSICIAN;
  a->sex = (uint8_t)(i % 2);
  a->status = ST_ACTIVE;
  a->birth = T0 - 28.3;
  a->sector = SEC_SPECIALIST;
  a->pshare = 100;
  a->t_career = (float)(T0 - 1.0);
  a->career = CS_WAITING;
  a->t_stage = (float)giveup_at;
  population_seed_agent(a, seed, 0);
  return a;
}

static int count_set(const struct population *pop, double round_t)
{
  int n = 0;
  for (size_t i = 0; i < pop->n; i++)
    if ((pop->a[i].career & CR_SET) && fabs((double)pop->a[i].t_stage - round_t) < 1e-3) n++;
  return n;
}

Test(doctors, lis1_rounds_never_give_more_than_the_posts)
{
  load_norway_doctors(&P);
  struct scenario s;
  scenario_years(&s, 1, 11);
  const double spring = 2020 + P.doc.round_spring, autumn = 2020 + P.doc.round_autumn;
  /* 300 applicants for 41 posts: 20 in spring, 21 in autumn, no more */
  posts_once(&P, 41);
  struct population pop = {0};
  for (uint32_t i = 0; i < 300; i++)
    add_waiting(&pop, i, 11, INFINITY);
  struct doctor_year dy;
  doctors_prepare_year(&P, &s, 0, 2020, &pop, &dy, NULL);
  cr_expect_eq(dy.posts, 41);
  cr_expect_eq(count_set(&pop, spring), 20, "spring round gave %d posts", count_set(&pop, spring));
  cr_expect_eq(count_set(&pop, autumn), 21, "autumn round gave %d posts", count_set(&pop, autumn));
  /* applicants: 300 in spring, the 280 left in autumn */
  cr_expect_eq(dy.applicants, 580);
  free(pop.a);
  /* 10 applicants for 41 posts: all 10 placed (spring), nobody twice */
  struct population few = {0};
  for (uint32_t i = 0; i < 10; i++)
    add_waiting(&few, i, 11, INFINITY);
  doctors_prepare_year(&P, &s, 0, 2020, &few, &dy, NULL);
  cr_expect_eq(count_set(&few, spring), 10);
  cr_expect_eq(count_set(&few, autumn), 0);
  /* someone who gives up before the spring round does not apply to either */
  struct population late = {0};
  add_waiting(&late, 0, 11, 2020.05);
  add_waiting(&late, 1, 11, 2020.5); /* gives up between the rounds: spring only */
  doctors_prepare_year(&P, &s, 0, 2020, &late, &dy, NULL);
  cr_expect_eq(late.a[0].career & CR_SET, 0);
  cr_expect(late.a[1].career & CR_SET);
  cr_expect_eq(dy.applicants, 1);
  free(few.a);
  free(late.a);
}

Test(doctors, norway_starts_never_exceed_posts)
{
  load_norway_doctors(&P);
  struct scenario s;
  scenario_years(&s, 8, 20190101);
  struct replicate_out o;
  replicate_out_init(&o, 9);
  cr_assert_eq(engine_run_replicate(&P, &s, 0, 1, &o, NULL, NULL, NULL), 0);
  for (int y = 1; y <= 8; y++) {
    const int32_t *f = &o.m[M_DOCTOR_FLOWS][(size_t)y * N_DOCTOR_FLOWS];
    cr_expect(f[DF_LIS1_POSTS] > 0);
    cr_expect(f[DF_LIS1_STARTS] <= f[DF_LIS1_POSTS], "year %d: %d starts for %d posts", 2019 + y,
              f[DF_LIS1_STARTS], f[DF_LIS1_POSTS]);
    /* the queue is long in Norway: (almost) every post is filled; a post is
     * lost only when its holder leaves between the draw and the start */
    cr_expect(f[DF_LIS1_STARTS] >= f[DF_LIS1_POSTS] * 0.97, "year %d: %d starts for %d posts",
              2019 + y, f[DF_LIS1_STARTS], f[DF_LIS1_POSTS]);
    cr_expect(f[DF_LIS1_APPLICANTS] >= f[DF_LIS1_STARTS]);
  }
  replicate_out_free(&o);
}

Test(doctors, without_exits_every_lis1_entrant_is_a_specialist_after_6_5_years)
{
  load_norway_doctors(&P);
  no_exits(&P);
  posts_once(&P, 200);
  P.doc.choice[SP_NONE] = 0;
  P.doc.choice[SP_OTHER] = 1.0 - P.doc.choice[SP_GENERAL_PRACTICE] - P.doc.choice[SP_PSYCHIATRY] -
                           P.doc.choice[SP_CHILD_PSYCHIATRY];
  for (int f = 1; f < N_SPECIALTIES; f++)
    P.doc.min_years[f] = 5.0;
  P.doc.lis1_hospital_years = 1.0;
  P.doc.lis1_municipal_years = 0.5;
  struct scenario s;
  scenario_years(&s, 9, 7);
  struct population pop = {0};
  for (uint32_t i = 0; i < 200; i++)
    add_waiting(&pop, i, 7, INFINITY);
  struct replicate_out o;
  replicate_out_init(&o, 10);
  cr_assert_eq(engine_run_population(&P, &s, 0, 1, &pop, 0, &o, NULL, NULL, NULL), 0);
  /* By hand: 100 start 1 March 2020 (2020.1667) and 100 on 1 September
   * (2020.6667); LIS1 ends 1.5 years later (2021.67, 2022.17); the specialty
   * 5.0 years after that: 2026.67 and 2027.17.  So 100 approvals in 2026,
   * 100 in 2027, none in any other year. */
  for (int y = 1; y <= 9; y++) {
    const int year = 2019 + y;
    const int32_t *f = &o.m[M_DOCTOR_FLOWS][(size_t)y * N_DOCTOR_FLOWS];
    int32_t starts = year == 2020 ? 200 : 0;
    int32_t done = year == 2021 || year == 2022 ? 100 : 0;
    int32_t appr = year == 2026 || year == 2027 ? 100 : 0;
    cr_expect_eq(f[DF_LIS1_STARTS], starts, "%d: LIS1 starts %d", year, f[DF_LIS1_STARTS]);
    cr_expect_eq(f[DF_LIS1_COMPLETIONS], done, "%d: LIS1 completions %d", year,
                 f[DF_LIS1_COMPLETIONS]);
    cr_expect_eq(f[DF_LIS_STARTS], done, "%d: LIS starts %d", year, f[DF_LIS_STARTS]);
    cr_expect_eq(f[DF_NEW_SPECIALISTS], appr, "%d: approvals %d", year, f[DF_NEW_SPECIALISTS]);
    cr_expect_eq(f[DF_LIS_DROPOUTS], 0);
    int32_t by_spec = 0;
    for (int sp = 0; sp < N_SPECIALTIES; sp++)
      by_spec += o.m[M_NEW_SPECIALISTS]
                    [((size_t)y * N_SPECIALTIES + sp) * N_APPROVAL_ROUTES + AR_NORWEGIAN];
    cr_expect_eq(by_spec, appr);
  }
  /* at the end of 2027 all 200 are specialists (stock by stage, all sectors) */
  int32_t spec = 0, other = 0;
  const size_t nc = N_OUT_STAGES * N_SPECIALTIES * N_SECTORS;
  for (size_t i = 0; i < nc; i++) {
    int32_t v = o.m[M_DOCTORS][8 * nc + i];
    if ((int)(i / (N_SPECIALTIES * N_SECTORS)) == CS_SPECIALIST - 1)
      spec += v;
    else
      other += v;
  }
  cr_expect_eq(spec, 200);
  cr_expect_eq(other, 0);
  replicate_out_free(&o);
}

/** @brief Whether stage @p b at a year end can follow stage @p a a year before. */
static int allowed(unsigned a, unsigned b, unsigned spec_a)
{
  switch (a) {
  case CS_STUDENT:
    return b == CS_STUDENT || b == CS_WAITING || b == CS_LIS1_HOSPITAL || b == CS_NO_SPECIALTY;
  case CS_WAITING:
    return b == CS_WAITING || b == CS_LIS1_HOSPITAL || b == CS_NO_SPECIALTY;
  case CS_LIS1_HOSPITAL:
    return b == CS_LIS1_HOSPITAL || b == CS_LIS1_MUNI || b == CS_LIS || b == CS_NO_SPECIALTY;
  case CS_LIS1_MUNI:
    return b == CS_LIS1_MUNI || b == CS_LIS || b == CS_NO_SPECIALTY;
  case CS_LIS:
    return b == CS_LIS || b == CS_SPECIALIST || b == CS_NO_SPECIALTY;
  case CS_SPECIALIST:
    return b == CS_SPECIALIST;
  case CS_NO_SPECIALTY: /* ALIS hires come from those who finished LIS1 */
    return b == CS_NO_SPECIALTY || (b == CS_LIS && spec_a == SP_LIS1_DONE);
  default:
    return 0;
  }
}

Test(doctors, stages_follow_the_allowed_order)
{
  load_norway_doctors(&P);
  struct scenario s;
  scenario_years(&s, 10, 99);
  /* the Norway base, physicians only */
  struct population all = {0}, pop = {0};
  basepop_synthesise(&P, &s, 0, 1, &all);
  for (size_t i = 0; i < all.n; i++)
    if (all.a[i].group == G_PHYSICIAN) *population_push(&pop) = all.a[i];
  free(all.a);
  cr_assert(pop.n > 20000);
  uint8_t *prev = malloc(pop.n);
  struct hazard_row *rows = malloc(sizeof *rows * N_HROWS);
  double *sig = malloc(sizeof(double) * N_SIG_TABLES * (RNG_NQ + 1));
  struct tally *T = calloc(1, sizeof *T);
  cr_assert(prev && rows && sig && T);
  int64_t bad = 0, transitions = 0, gp_outside = 0;
  for (int year = 2020; year <= 2029; year++) {
    struct doctor_year dy;
    doctors_prepare_year(&P, &s, 0, year, &pop, &dy,
                         NULL); /* may assign stages to nobody new here */
    for (size_t i = 0; i < pop.n; i++)
      prev[i] = pop.a[i].career;
    struct engine_ctx ctx = {.p = &P,
                             .seed = s.seed,
                             .replicate = 0,
                             .year = year,
                             .rows = rows,
                             .scn = &s,
                             .sig_tab = sig,
                             .doc = &dy};
    lifecourse_prepare_year(&ctx, rows);
    for (size_t i = 0; i < pop.n; i++) {
      struct agent *a = &pop.a[i];
      if (a->status == ST_GONE) continue;
      lifecourse_advance_year(a, &ctx, T);
      if (a->status != ST_ACTIVE && a->status != ST_STUDENT) continue;
      unsigned sa = prev[i] & 7u, sb = CR_STAGE(a), spa = (prev[i] >> 3) & 7u;
      transitions += sa != sb;
      if (!allowed(sa, sb, spa)) {
        if (bad < 5) cr_log_error("%d: agent %zu went %u -> %u", year, i, sa, sb);
        bad++;
      }
      /* a specialty does not change during LIS, nor from LIS to specialist */
      if (sa == CS_LIS && (sb == CS_LIS || sb == CS_SPECIALIST) && spa != CR_SPEC(a)) bad++;
      if ((a->career & CR_GP) && a->sector != SEC_MUNICIPAL) gp_outside++;
    }
  }
  cr_expect_eq(bad, 0, "%lld transitions outside the allowed order", (long long)bad);
  cr_expect(transitions > 10000, "only %lld stage changes in ten years", (long long)transitions);
  cr_expect_eq(gp_outside, 0, "%lld GPs outside the municipal sector", (long long)gp_outside);
  free(prev);
  free(rows);
  free(sig);
  free(T);
  free(pop.a);
}

Test(doctors, alis_quota_sets_the_completers_who_start_general_practice)
{
  load_norway_doctors(&P);
  no_exits(&P);
  struct scenario s;
  scenario_years(&s, 2, 5);
  s.n_iv = 1;
  s.iv[0] = (struct intervention){
      .type = IV_ALIS, .start = 2020, .end = 2021, .uptake = 1.0, .level = 37};
  /* 120 doctors in the municipal part of LIS1, all finishing in 2020 */
  struct population pop = {0};
  for (uint32_t i = 0; i < 120; i++) {
    struct agent *a = add_waiting(&pop, i, 5, INFINITY);
    a->career = CS_LIS1_MUNI;
    a->sector = SEC_MUNICIPAL;
    a->t_stage = (float)(2020.2 + 0.005 * i);
  }
  struct doctor_year dy;
  doctors_prepare_year(&P, &s, 0, 2020, &pop, &dy, NULL);
  int gp = 0, decided = 0;
  for (size_t i = 0; i < pop.n; i++) {
    decided += (pop.a[i].career & CR_SET) != 0;
    gp += CR_SPEC(&pop.a[i]) == SP_GENERAL_PRACTICE;
  }
  cr_expect_eq(decided, 120);
  cr_expect_eq(gp, 37, "%d of 120 completers start ALIS (quota 37)", gp);
  free(pop.a);
}

/* ---- the GPs' list-leaving hazard (issue 19) ---- */

#define N_GP_TEST 20000

/**
 * @brief The shipped data without exits, with every GP at the mean hours (log-sd 0), no
 *        trend, no fitted multipliers on the list-leaving hazard, the list-leaving hazard @p q,
 *        hours elasticity @p e and list-length elasticity @p el, and one gp_lists.csv row that
 *        gives N_GP_TEST lists (no vacancy) with @p len_ratio x gp_list_length_ref inhabitants
 *        each.
 */
static void gp_setup(double q, double e, double el, double len_ratio)
{
  load_norway_doctors(&P);
  no_exits(&P);
  P.doc.gp_quit = q;
  P.doc.gp_elasticity = e;
  P.doc.gp_list_elasticity = el;
  P.doc.gp_hours_sigma = 0;
  P.doc.gp_quit_trend = 0;
  for (int b = 0; b < N_AGE_BANDS; b++)
    P.mult[MP_GP_QUIT][G_PHYSICIAN][b] = P.mult[MP_GP_QUIT_LATE][G_PHYSICIAN][b] = 1.0;
  P.doc.n_lists = 1;
  P.doc.list_year[0] = 2019;
  P.doc.lists[0] = N_GP_TEST;
  P.doc.listed[0] = N_GP_TEST * len_ratio * P.doc.gp_list_length_ref;
}

/** @brief N_GP_TEST specialist GPs aged 45 at the start of 2020 in the municipal sector,
 *         list-leaving times set for @p year under scenario @p s; returns the share whose time
 *         falls in that year. */
static double gp_quit_share_in(const struct scenario *s, struct population *pop, int year)
{
  for (uint32_t i = 0; i < N_GP_TEST; i++) {
    struct agent *a = add_waiting(pop, i, 17, INFINITY);
    a->career = (uint8_t)(CS_SPECIALIST | SP_GENERAL_PRACTICE << CR_SPEC_SHIFT | CR_GP);
    a->sector = SEC_MUNICIPAL;
    a->birth = T0 - 45.5;
  }
  struct doctor_year dy;
  doctors_prepare_year(&P, s, 0, year, pop, &dy, NULL);
  int n = 0;
  for (size_t i = 0; i < pop->n; i++)
    n += (double)pop->a[i].t_stage < year + 1.0;
  return (double)n / N_GP_TEST;
}

/** @brief gp_quit_share_in for 2020. */
static double gp_quit_share(const struct scenario *s, struct population *pop)
{
  return gp_quit_share_in(s, pop, 2020);
}

/** @brief A scenario of 2 years whose GPs work @p hours a week from 2020 (0: no measure). */
static void hours_scenario(struct scenario *s, double hours)
{
  scenario_years(s, 2, 5);
  if (hours > 0) {
    s->n_iv = 1;
    s->iv[0] = (struct intervention){
        .type = IV_GP_HOURS, .start = 2020, .end = 2021, .uptake = 1.0, .level = hours};
  }
}

Test(doctors, gp_list_leaving_follows_the_hours_elasticity)
{
  /* Every GP works W = 1.5 x 55.6 hours (a gp_hours measure), list-leaving
   * hazard q = 0.1 at the mean hours, elasticity e: a GP leaves the list
   * within the year with probability 1 - exp(-q 1.5^e) (exponential
   * waiting time): e = 0: 0.0952, e = 1: 0.1393, e = 2: 0.2015.  Tolerance
   * 4 binomial se (n = 20 000: se <= 0.0029). */
  const double q = 0.1, e_list[] = {0, 1, 2};
  for (int k = 0; k < 3; k++) {
    gp_setup(q, e_list[k], 0, 1.0);
    struct scenario s;
    hours_scenario(&s, 1.5 * P.doc.gp_hours);
    struct population pop = {0};
    const double got = gp_quit_share(&s, &pop);
    const double want = 1 - exp(-q * pow(1.5, e_list[k]));
    const double se = sqrt(want * (1 - want) / N_GP_TEST);
    cr_log_info("elasticity %.0f: share leaving %.4f, expected %.4f", e_list[k], got, want);
    cr_expect_lt(fabs(got - want), 4 * se, "elasticity %g: %.4f, expected %.4f +- %.4f", e_list[k],
                 got, want, 4 * se);
    free(pop.a);
  }
}

Test(doctors, gp_list_leaving_follows_the_list_length)
{
  /* No hours measure; lists twice the reference length: the workload is
   * W = 55.6 x 2^el, and at hours elasticity 1 and list elasticity el = 1 a
   * GP leaves with probability 1 - exp(-0.1 x 2) = 0.1813; at el = 0.5,
   * 1 - exp(-0.1 x sqrt 2) = 0.1319. */
  const double el_list[] = {1, 0.5};
  for (int k = 0; k < 2; k++) {
    gp_setup(0.1, 1.0, el_list[k], 2.0);
    struct scenario s;
    hours_scenario(&s, 0);
    struct population pop = {0};
    const double got = gp_quit_share(&s, &pop);
    const double want = 1 - exp(-0.1 * pow(2.0, el_list[k]));
    const double se = sqrt(want * (1 - want) / N_GP_TEST);
    cr_log_info("list elasticity %.1f: share leaving %.4f, expected %.4f", el_list[k], got, want);
    cr_expect_lt(fabs(got - want), 4 * se);
    free(pop.a);
  }
}

Test(doctors, gp_elasticity_zero_is_a_fixed_hazard_bit_for_bit)
{
  /* With both elasticities 0 neither the hours (a measure at 1.5 x 55.6)
   * nor the list length (twice the reference) may change any GP's
   * list-leaving time: the times equal those of the plain hazard q,
   * bit for bit. */
  struct scenario s0, s1;
  hours_scenario(&s0, 0);
  hours_scenario(&s1, 1.5 * 55.6);
  struct population a = {0}, b = {0};
  gp_setup(0.07, 0, 0, 1.0);
  gp_quit_share(&s0, &a);
  gp_setup(0.07, 0, 0, 2.0);
  gp_quit_share(&s1, &b);
  cr_assert_eq(a.n, b.n);
  size_t differ = 0;
  for (size_t i = 0; i < a.n; i++)
    differ += memcmp(&a.a[i].t_stage, &b.a[i].t_stage, sizeof a.a[i].t_stage) != 0;
  cr_expect_eq(differ, 0, "%zu of %zu list-leaving times differ", differ, a.n);
  free(a.a);
  free(b.a);
}

Test(doctors, gp_list_leaving_trend_holds_after_its_end)
{
  /* gp_quit_trend 0.1 a year to 2020: in 2020 the hazard is q x 1.1 (one
   * year after the base year 2019), so the share leaving is
   * 1 - exp(-0.1 x 1.1) = 0.1042; with the trend's end at 2019 it is q. */
  const int ends[] = {2020, 2019};
  const double factor[] = {1.1, 1.0};
  for (int k = 0; k < 2; k++) {
    gp_setup(0.1, 1.0, 0, 1.0);
    P.doc.gp_quit_trend = 0.1;
    P.doc.gp_quit_trend_end = ends[k];
    struct scenario s;
    hours_scenario(&s, 0);
    struct population pop = {0};
    const double got = gp_quit_share(&s, &pop);
    const double want = 1 - exp(-0.1 * factor[k]);
    cr_expect_lt(fabs(got - want), 4 * sqrt(want * (1 - want) / N_GP_TEST),
                 "trend to %d: %.4f, expected %.4f", ends[k], got, want);
    free(pop.a);
  }
}

/** @brief gp_setup(0.1, 0, 0, 1) with the published trend off to 2020 and the late growth
 *         gp_quit_late = @p m in every age band from 2021 to 2022. */
static void late_setup(double m)
{
  gp_setup(0.1, 0, 0, 1.0);
  P.doc.gp_quit_trend_end = 2020;
  P.doc.gp_quit_late_end = 2022;
  for (int b = 0; b < N_AGE_BANDS; b++)
    P.mult[MP_GP_QUIT_LATE][G_PHYSICIAN][b] = m;
}

/** @brief A scenario with one gp_retention measure from 2021 (@p factor, @p share; none when
 *         both are at their defaults 1 and 0). */
static void retention_scenario(struct scenario *s, double factor, double share)
{
  hours_scenario(s, 0);
  if (factor != 1.0 || share != 0.0) {
    s->n_iv = 1;
    s->iv[0] = (struct intervention){.type = IV_GP_RETENTION,
                                     .start = 2021,
                                     .end = 2040,
                                     .uptake = 1.0,
                                     .factor = factor,
                                     .share = share};
  }
}

Test(doctors, gp_list_leaving_late_growth_and_the_retention_measure)
{
  /* Hazard q = 0.1 with the late growth m = 1.3 a year after 2020 to 2022:
   * in 2021 q x 1.3, in 2022 and (flat after) 2023 q x 1.69, so the share
   * leaving in the year is 1 - exp(-0.1 m^k): 0.1219, 0.1555, 0.1555.
   * gp_retention from 2021 with share 1 undoes the growth (0.0952 in 2023),
   * share 0.5 half of it (exponent 1: 0.1219), factor 0.5 halves the hazard
   * (1 - exp(-0.0845) = 0.0810). */
  const struct {
    int year;
    double factor, share, hazard;
  } c[] = {{2020, 1, 0, 0.1}, {2021, 1, 0, 0.13},   {2022, 1, 0, 0.169},   {2023, 1, 0, 0.169},
           {2023, 1, 1, 0.1}, {2023, 1, 0.5, 0.13}, {2023, 0.5, 0, 0.0845}};
  for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
    late_setup(1.3);
    struct scenario s;
    retention_scenario(&s, c[k].factor, c[k].share);
    struct population pop = {0};
    const double got = gp_quit_share_in(&s, &pop, c[k].year);
    const double want = 1 - exp(-c[k].hazard);
    const double se = sqrt(want * (1 - want) / N_GP_TEST);
    cr_log_info("%d factor %.1f share %.1f: share leaving %.4f, expected %.4f", c[k].year,
                c[k].factor, c[k].share, got, want);
    cr_expect_lt(fabs(got - want), 4 * se, "%d factor %g share %g: %.4f, expected %.4f +- %.4f",
                 c[k].year, c[k].factor, c[k].share, got, want, 4 * se);
    free(pop.a);
  }
}

Test(doctors, gp_late_growth_one_or_undone_is_the_plain_hazard_bit_for_bit)
{
  /* In 2022 the list-leaving times with gp_quit_late = 1, and with 1.3 but
   * a gp_retention share of 1, equal those of the plain hazard (the late
   * growth ending with the published trend), bit for bit. */
  struct population a = {0}, b = {0}, c = {0};
  struct scenario s0, s1;
  retention_scenario(&s0, 1, 0);
  retention_scenario(&s1, 1, 1);
  late_setup(1.0);
  P.doc.gp_quit_late_end = 2020;
  gp_quit_share_in(&s0, &a, 2022);
  late_setup(1.0);
  gp_quit_share_in(&s0, &b, 2022);
  late_setup(1.3);
  gp_quit_share_in(&s1, &c, 2022);
  cr_assert(a.n == b.n && a.n == c.n);
  size_t differ_b = 0, differ_c = 0;
  for (size_t i = 0; i < a.n; i++) {
    differ_b += memcmp(&a.a[i].t_stage, &b.a[i].t_stage, sizeof a.a[i].t_stage) != 0;
    differ_c += memcmp(&a.a[i].t_stage, &c.a[i].t_stage, sizeof a.a[i].t_stage) != 0;
  }
  cr_expect_eq(differ_b, 0, "growth 1: %zu of %zu list-leaving times differ", differ_b, a.n);
  cr_expect_eq(differ_c, 0, "undone: %zu of %zu list-leaving times differ", differ_c, a.n);
  free(a.a);
  free(b.a);
  free(c.a);
}

Test(doctors, vacancy_hires_follow_the_matching_function)
{
  /* V lists without a GP and a pool of U doctors who finished LIS1 without a
   * specialty (aged 35, active): the year's hires are round(mu sqrt(V U)),
   * at most V and U.  V = 100, U = 400, mu = 0.3: 60; mu = 2: capped at V. */
  const double mus[] = {0.3, 2.0};
  const int want[] = {60, 100};
  for (int k = 0; k < 2; k++) {
    load_norway_doctors(&P);
    no_exits(&P);
    for (int b = 0; b < N_AGE_BANDS; b++)
      P.mult[MP_GP_HIRE][G_PHYSICIAN][b] = 1.0;
    P.doc.gp_match = mus[k];
    P.doc.n_lists = 1;
    P.doc.list_year[0] = 2019;
    P.doc.lists[0] = 100;
    P.doc.listed[0] = 100 * 604.0;
    struct scenario s;
    hours_scenario(&s, 0);
    struct population pop = {0};
    for (uint32_t i = 0; i < 400; i++) {
      struct agent *a = add_waiting(&pop, i, 23, INFINITY);
      a->career = (uint8_t)(CS_NO_SPECIALTY | SP_LIS1_DONE << CR_SPEC_SHIFT);
      a->birth = T0 - 35.5;
    }
    struct doctor_year dy;
    doctors_prepare_year(&P, &s, 0, 2020, &pop, &dy, NULL);
    int hired = 0;
    for (size_t i = 0; i < pop.n; i++)
      hired += (pop.a[i].career & CR_SET) != 0;
    cr_expect_eq(dy.gp_pool, 400);
    cr_expect_eq(dy.gp_vacancy_hires, want[k], "mu %g: %d hires, expected %d", mus[k],
                 dy.gp_vacancy_hires, want[k]);
    cr_expect_eq(hired, want[k]);
    free(pop.a);
  }
}

Test(doctors, identical_on_1_and_2_threads)
{
  load_norway_doctors(&P);
  struct scenario s;
  scenario_years(&s, 4, 424242);
  struct replicate_out o1, o2;
  replicate_out_init(&o1, 5);
  replicate_out_init(&o2, 5);
  engine_run_replicate(&P, &s, 0, 1, &o1, NULL, NULL, NULL);
  engine_run_replicate(&P, &s, 0, 2, &o2, NULL, NULL, NULL);
  int m = replicates_differ(&o1, &o2);
  cr_expect_eq(m, -1, "1 vs 2 threads differ in %s", m >= 0 ? measure_defs[m].name : "-");
  replicate_out_free(&o1);
  replicate_out_free(&o2);
}

/* ---- bad input ---- */

static void write_doctors(const char *dir, const char *base_rows, int drop_param)
{
  const char *params[] = {"lis1_hospital_years,1",
                          "lis1_municipal_years,0.5",
                          "lis1_round_spring,0.1667",
                          "lis1_round_autumn,0.6667",
                          "min_years_general_practice,5",
                          "min_years_psychiatry,5",
                          "min_years_child_psychiatry,5",
                          "min_years_other_specialty,5",
                          "delay_mean_general_practice,1",
                          "delay_mean_psychiatry,1",
                          "delay_mean_child_psychiatry,1",
                          "delay_mean_other_specialty,1",
                          "choice_none,0.05",
                          "choice_general_practice,0.2",
                          "choice_psychiatry,0.1",
                          "choice_child_psychiatry,0.05",
                          "other_specialty_outside_hospitals,0.1",
                          "lis1_wait_giveup_rate,0.1",
                          "immigrant_specialist_share,0.5",
                          "gp_hours,55.6",
                          "gp_hours_log_sd,0.27",
                          "gp_quit_rate,0.02",
                          "gp_workload_elasticity,1",
                          "list_norm,1500",
                          "inhabitants_per_vacant_list,600",
                          "gp_quit_trend,0",
                          "gp_quit_trend_end,2020",
                          "gp_quit_late_end,2020",
                          "gp_list_elasticity,1",
                          "gp_list_length_ref,1000",
                          "gp_match_efficiency,0.2"};
  char b[4096] = "parameter,value,source,note\n";
  for (size_t k = 0; k < sizeof params / sizeof params[0]; k++) {
    if ((int)k == drop_param) continue;
    strcat(b, params[k]);
    strcat(b, ",test,\n");
  }
  toy_file(dir, "doctors.csv", b);
  toy_file(dir, "lis1_posts.csv", "year,posts,source,note\n2019,100,test,\n");
  toy_file(dir, "gp_lists.csv", "year,lists,inhabitants,source,note\n2019,50,50000,test,\n");
  snprintf(b, sizeof b, "stage,specialty,sector,age_from,age_to,persons,gp,source,note\n%s",
           base_rows);
  toy_file(dir, "doctor_base.csv", b);
}

Test(doctors, bad_tables_are_refused_with_file_and_line)
{
  struct toy t = {.persons = 10, .base_age = 40};
  char *dir = toy_write(&t);
  char err[512];
  /* a good set loads */
  write_doctors(dir, "lis,psychiatry,specialist,28,45,5,no,test,\n", -1);
  cr_assert_eq(params_load(&P, dir, err, sizeof err), 0, "%s", err);
  cr_expect(P.doc.on);
  cr_expect_float_eq(P.doc.choice[SP_OTHER], 0.6, 1e-12);
  /* a waiting doctor with a specialty: line 3 */
  write_doctors(dir,
                "lis,psychiatry,specialist,28,45,5,no,test,\nwaiting_lis1,psychiatry,specialist,24,"
                "34,5,no,test,\n",
                -1);
  cr_expect_neq(params_load(&P, dir, err, sizeof err), 0);
  cr_expect(strstr(err, "doctor_base.csv:3:") != NULL, "got: %s", err);
  /* a GP outside the municipal sector */
  write_doctors(dir, "specialist,general_practice,specialist,35,74,5,yes,test,\n", -1);
  cr_expect_neq(params_load(&P, dir, err, sizeof err), 0);
  cr_expect(strstr(err, "doctor_base.csv:2:") && strstr(err, "municipal"), "got: %s", err);
  /* an unknown stage */
  write_doctors(dir, "resident,none,specialist,24,34,5,no,test,\n", -1);
  cr_expect_neq(params_load(&P, dir, err, sizeof err), 0);
  cr_expect(strstr(err, "doctor_base.csv:2") != NULL, "got: %s", err);
  /* a missing parameter is named */
  write_doctors(dir, "lis,psychiatry,specialist,28,45,5,no,test,\n", 5);
  cr_expect_neq(params_load(&P, dir, err, sizeof err), 0);
  cr_expect(strstr(err, "min_years_psychiatry") != NULL, "got: %s", err);
  toy_remove(dir);
}
