/**
 * @file test_demand.c
 * @brief Demand by sector, the demand measures and the demand draw (sim/demand.h), against
 *        expectations computed here from the published tables: Table 2.5's 2019 demand by
 *        group, Table 2.2's 2019 sector split of the base data (base_sector.csv notes),
 *        Table 2.4's service areas, and the closed forms of task sharing (moving s of A's
 *        demand to B changes A's gap by +s D_A and B's by -c s D_A) and of a demand factor.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demand.h"
#include "engine.h"
#include "params.h"
#include "rng.h"
#include "scenario.h"

#define START_YEAR 2019
#include "norway.h"
#include "same.h"

static struct params P; /* large: off the stack; each test runs in its own process */

/** @brief Element (g, sec) of year y of a (year, group, sector) measure. */
static int32_t gs_at(const struct replicate_out *o, int m, int y, int g, int sec)
{
  return o->m[m][((size_t)y * N_GROUPS + (size_t)g) * N_SECTORS + (size_t)sec];
}

/** @brief Run the shipped data for @p years years (one replicate, seed 31) into @p o. */
static void run(const struct scenario *s, int years, struct replicate_out *o)
{
  cr_assert_eq(replicate_out_init(o, years + 1), 0);
  cr_assert_eq(engine_run_replicate(&P, s, 0, 2, o, NULL, NULL, NULL), 0, "%s", o->err);
}

/** @brief group id of @p label (asserts it exists). */
static int group_of(const char *label)
{
  for (int g = 0; g < N_GROUPS; g++)
    if (strcmp(group_labels[g], label) == 0) return g;
  cr_assert_fail("no group %s", label);
  return -1;
}

Test(demand, base_year_split_is_the_published_base)
{
  /* Table 2.5's 2019 demand (facts.md A 4.5), 1 000 normalårsverk, and the 2019 FTE split of
   * the base data (base_sector.csv notes, facts.md A 2.2-2.5): the engine's 2019 demand by
   * sector is the group total times the split, and its sectors add up to the total exactly. */
  static const struct {
    const char *g;
    double d2019, mun, spec, oth; /* FTE */
  } rows[] = {
      {"nurse", 87000, 35600, 43900, 2000},    {"health_care_worker", 57000, 48000, 6000, 1300},
      {"physician", 27800, 6000, 18600, 2100}, {"psychologist", 6500, 400, 5000, 700},
      {"dentist", 4900, 50, 150, 4600},
  };
  static const double t25[] = {4900,  3400, 9800, 57000, 10500, 3700, 2800,
                               27800, 6500, 3100, 87000, 4900,  1100, 12500};
  load_norway(&P);
  struct scenario s;
  scenario_years(&s, 1, 31);
  struct replicate_out o;
  run(&s, 1, &o);
  double want_sum = 0, got_sum = 0;
  for (size_t i = 0; i < sizeof t25 / sizeof *t25; i++)
    want_sum += t25[i];
  for (int g = 0; g < N_GROUPS; g++)
    for (int sec = 0; sec < N_HSECTORS; sec++)
      got_sum += gs_at(&o, M_DEMAND, 0, g, sec);
  cr_expect_eq(llround(got_sum), llround(want_sum * 100), "2019 demand %.0f, Table 2.5 sum %.0f",
               got_sum / 100, want_sum);
  for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
    const int g = group_of(rows[i].g);
    const double tot = rows[i].mun + rows[i].spec + rows[i].oth;
    const double want[3] = {rows[i].d2019 * rows[i].mun / tot, rows[i].d2019 * rows[i].spec / tot,
                            rows[i].d2019 * rows[i].oth / tot};
    int64_t sum = 0;
    for (int sec = 0; sec < N_HSECTORS; sec++) {
      const double got = gs_at(&o, M_DEMAND, 0, g, sec) / 100.0;
      sum += gs_at(&o, M_DEMAND, 0, g, sec);
      cr_expect(fabs(got - want[sec]) <= 0.011, "%s %s: %.2f, expected %.2f", rows[i].g,
                sector_labels[sec], got, want[sec]);
    }
    cr_expect_eq(sum, llround(rows[i].d2019 * 100), "%s: sectors add up to %lld", rows[i].g,
                 (long long)sum);
  }
  replicate_out_free(&o);
}

Test(demand, sector_growth_closed_form_2040)
{
  /* Nurses, middle alternative, 2040, HELSEMOD's own 0.5 % productivity (so no rescaling):
   * Table 2.5 gives 132 800.  Table 2.4's areas summed by the sector that runs them
   * (docs/model.md): municipal 143.8+14.7+6.9+12.3 = 177.7 -> 237.2+19.3+9.7+15.1 = 281.3,
   * specialist 86.4+4.3+19.3+7.1 = 117.1 -> 120.3+4.4+22.9+8.0 = 155.6, other 11.3+21.7 =
   * 33.0 -> 13.8+30.3 = 44.1.  D[s] = D q[s] G[s] / sum q G with q the 2019 split. */
  load_norway(&P);
  struct scenario s;
  scenario_years(&s, 1, 31);
  s.productivity_growth = 0.005;
  const double q[3] = {35600 / 81500.0, 43900 / 81500.0, 2000 / 81500.0};
  const double G[3] = {281.3 / 177.7, 155.6 / 117.1, 44.1 / 33.0};
  double wsum = 0;
  for (int k = 0; k < 3; k++)
    wsum += q[k] * G[k];
  double out[N_GROUPS][N_HSECTORS];
  demand_year(&P, &s, DEMAND_MIDDLE, 2040, NULL, out);
  const int g = group_of("nurse");
  double sum = 0;
  for (int k = 0; k < 3; k++) {
    const double want = 132800 * q[k] * G[k] / wsum;
    cr_expect(fabs(out[g][k] - want) < 1e-6 * want, "nurse %s 2040: %.1f, expected %.1f",
              sector_labels[k], out[g][k], want);
    sum += out[g][k];
  }
  cr_expect(fabs(sum - 132800) < 1e-6, "nurse 2040 total %.3f, Table 2.5 132 800", sum);
  /* the municipal share rises: 43.7 % of 2019 demand, 48.0 % of 2040s */
  cr_expect_gt(out[g][SEC_MUNICIPAL] / sum, q[0] + 0.03);
}

Test(demand, task_sharing_moves_s_of_the_demand_closed_form)
{
  /* 10 % of nurses' municipal demand moves to health care workers at 0.8 FTE per FTE of
   * tasks, from 2020 ramped over 2 years (uptake 0.5 in 2020, 1 from 2021).  Supply is the
   * same in both runs (common random numbers; demand does not act on supply), so the gaps
   * change by exactly minus the demand change: nurses +0.1 u D, HFA -0.8 x 0.1 u D (D the
   * baseline's nurse municipal demand), within the rounding to hundredths; nothing else. */
  load_norway(&P);
  struct scenario b, v;
  scenario_years(&b, 3, 31);
  v = b;
  const int nurse = group_of("nurse"), hfa = group_of("health_care_worker");
  v.iv[0] = (struct intervention){.type = IV_TASK_SHARING,
                                  .start = 2020,
                                  .end = 2022,
                                  .groups = 1u << nurse,
                                  .sectors = 1u << SEC_MUNICIPAL,
                                  .uptake = 1,
                                  .ramp_years = 2,
                                  .share = 0.1,
                                  .conversion = 0.8,
                                  .to_group = hfa};
  v.n_iv = 1;
  char err[256];
  cr_assert_eq(demand_check(&P, &v, err, sizeof err), 0, "%s", err);
  struct replicate_out ob, ov;
  run(&b, 3, &ob);
  run(&v, 3, &ov);
  const double u[4] = {0, 0.5, 1, 1};
  for (int y = 0; y < 4; y++)
    for (int g = 0; g < N_GROUPS; g++)
      for (int sec = 0; sec < N_SECTORS; sec++) {
        const double dgap = gs_at(&ov, M_GAP, y, g, sec) - gs_at(&ob, M_GAP, y, g, sec);
        const double d = gs_at(&ob, M_DEMAND, y, nurse, SEC_MUNICIPAL);
        double want = 0;
        if (sec == SEC_MUNICIPAL && g == nurse) want = 0.1 * u[y] * d;
        if (sec == SEC_MUNICIPAL && g == hfa) want = -0.8 * 0.1 * u[y] * d;
        cr_expect(fabs(dgap - want) <= 2.0, "%s %s %d: gap change %.0f, expected %.1f (hundredths)",
                  group_labels[g], sector_labels[sec], 2019 + y, dgap, want);
        cr_expect_eq(gs_at(&ov, M_DEMAND, y, g, sec) - gs_at(&ob, M_DEMAND, y, g, sec),
                     -(int32_t)dgap, "demand change = - gap change");
      }
  replicate_out_free(&ob);
  replicate_out_free(&ov);
}

Test(demand, factor_ramps_to_its_level)
{
  /* demand_factor 0.9 for health care workers in municipal and specialist services from 2020,
   * ramped over 2 years: x0.95 in 2020, x0.9 from 2021; other sectors and groups unchanged. */
  load_norway(&P);
  struct scenario b, v;
  scenario_years(&b, 3, 31);
  v = b;
  const int hfa = group_of("health_care_worker");
  v.iv[0] = (struct intervention){.type = IV_DEMAND_FACTOR,
                                  .start = 2020,
                                  .end = 2022,
                                  .groups = 1u << hfa,
                                  .sectors = 1u << SEC_MUNICIPAL | 1u << SEC_SPECIALIST,
                                  .uptake = 1,
                                  .ramp_years = 2,
                                  .factor = 0.9,
                                  .to_group = -1};
  v.n_iv = 1;
  const double m[4] = {1, 0.95, 0.9, 0.9};
  for (int y = 0; y < 4; y++) {
    double ob[N_GROUPS][N_HSECTORS], ov[N_GROUPS][N_HSECTORS];
    demand_year(&P, &b, DEMAND_MIDDLE, 2019 + y, NULL, ob);
    demand_year(&P, &v, DEMAND_MIDDLE, 2019 + y, NULL, ov);
    for (int g = 0; g < N_GROUPS; g++)
      for (int sec = 0; sec < N_HSECTORS; sec++) {
        const double want = ob[g][sec] * (g == hfa && sec != SEC_OTHER_HEALTH ? m[y] : 1.0);
        cr_expect(fabs(ov[g][sec] - want) <= 1e-9 * (1 + want), "%s %s %d: %.3f, expected %.3f",
                  group_labels[g], sector_labels[sec], 2019 + y, ov[g][sec], want);
      }
  }
}

Test(demand, draw_frequencies_and_pairing)
{
  /* `demand: draw` with weights 0.25 / 0.5 / 0.25: over 4 000 draws each alternative's count
   * is within 4 binomial standard deviations of 4 000 w; replicates that share a parameter
   * draw (K = 3) share the alternative; weights (0, 1, 0) give middle everywhere and (1, 0, 0)
   * low; without draw the scenario's alternative. */
  struct scenario s;
  scenario_years(&s, 1, 7);
  s.demand = DEMAND_HIGH;
  for (int r = 0; r < 50; r++)
    cr_expect_eq(demand_alternative(&s, r), DEMAND_HIGH);
  s.demand_draw = 1;
  s.replicates_per_draw = 1;
  const double w[3] = {0.25, 0.5, 0.25};
  memcpy(s.demand_weights, w, sizeof w);
  int n[3] = {0, 0, 0};
  for (int r = 0; r < 4000; r++)
    n[demand_alternative(&s, r)]++;
  for (int a = 0; a < 3; a++) {
    const double mu = 4000 * w[a], sd = sqrt(4000 * w[a] * (1 - w[a]));
    cr_expect(fabs(n[a] - mu) < 4 * sd, "%s drawn %d times, expected %.0f +- %.0f",
              demand_alt_labels[a], n[a], mu, 4 * sd);
  }
  s.replicates_per_draw = 3;
  for (int r = 0; r < 300; r += 3)
    cr_expect(demand_alternative(&s, r) == demand_alternative(&s, r + 1) &&
              demand_alternative(&s, r) == demand_alternative(&s, r + 2));
  const double mid[3] = {0, 1, 0}, low[3] = {1, 0, 0};
  for (int r = 0; r < 300; r++) {
    memcpy(s.demand_weights, mid, sizeof mid);
    cr_expect_eq(demand_alternative(&s, r), DEMAND_MIDDLE);
    memcpy(s.demand_weights, low, sizeof low);
    cr_expect_eq(demand_alternative(&s, r), DEMAND_LOW);
  }
}

Test(demand, draw_of_one_alternative_is_bit_identical)
{
  /* Drawing from (0, 1, 0) is the fixed middle alternative: every measure bit-identical. */
  load_norway(&P);
  struct scenario a, d;
  scenario_years(&a, 2, 31);
  a.demand = DEMAND_MIDDLE;
  d = a;
  d.demand_draw = 1;
  const double mid[3] = {0, 1, 0};
  memcpy(d.demand_weights, mid, sizeof mid);
  struct replicate_out oa, od;
  run(&a, 2, &oa);
  run(&d, 2, &od);
  const int m = replicates_differ(&oa, &od);
  cr_expect_eq(m, -1, "%s differs", m >= 0 ? measure_defs[m].name : "");
  replicate_out_free(&oa);
  replicate_out_free(&od);
}

Test(demand, task_sharing_needs_demand_on_both_sides)
{
  load_norway(&P);
  struct scenario s;
  scenario_years(&s, 2, 31);
  snprintf(s.path, sizeof s.path, "ts.yaml");
  s.iv[0] = (struct intervention){.type = IV_TASK_SHARING,
                                  .line = 12,
                                  .start = 2020,
                                  .end = 2021,
                                  .groups = 1u << group_of("nurse"),
                                  .sectors = 1u << SEC_MUNICIPAL,
                                  .uptake = 1,
                                  .share = 0.1,
                                  .conversion = 1,
                                  .to_group = group_of("assistant")};
  s.n_iv = 1;
  char err[256] = "";
  cr_expect_eq(demand_check(&P, &s, err, sizeof err), -1);
  cr_expect(strstr(err, "ts.yaml:12:") && strstr(err, "assistant"), "message: %s", err);
}
