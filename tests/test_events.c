/**
 * @file test_events.c
 * @brief The table of events (agents/lifecourse.c) is well formed, and the
 *        hazard rows the loop reads agree with it on the Norway data.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lifecourse.h"
#include "params.h"
#include "rng.h"

#define START_YEAR 2019
#include "norway.h"

static struct params P;

Test(events, every_event_has_a_handler_a_name_and_a_term)
{
  for (int k = 0; k < N_EVENTS; k++) {
    const struct event_def *e = &event_table[k];
    cr_expect(e->name && *e->name, "event %d has no name", k);
    cr_expect(e->apply != NULL, "event %s has no handler", e->name);
    cr_expect(e->term >= 0 && e->term < N_TERMS, "event %s: term %d", e->name, (int)e->term);
    for (int j = 0; j < k; j++)
      cr_expect(strcmp(e->name, event_table[j].name) != 0, "two events named %s", e->name);
  }
}

Test(events, each_terms_ranks_are_0_to_n_minus_1)
{
  /* The ranks fix the order of each term's float sum: they must number the
   * term's members 0, 1, ..., n-1 with no gap and no repeat. */
  for (int t = 0; t < N_TERMS; t++) {
    int n = 0, seen[N_EVENTS] = {0};
    for (int k = 0; k < N_EVENTS; k++)
      if ((int)event_table[k].term == t) {
        n++;
        int r = event_table[k].rank;
        cr_assert(r >= 0 && r < N_EVENTS, "event %s: rank %d", event_table[k].name, r);
        seen[r]++;
      }
    cr_expect(n >= 1, "term %d has no event", t);
    for (int r = 0; r < n; r++)
      cr_expect_eq(seen[r], 1, "term %d: rank %d used %d times", t, r, seen[r]);
  }
}

Test(events, term_sums_are_the_sums_of_their_events_on_the_norway_rows)
{
  /* What the loop uses as the total hazard (the terms) and what it draws the
   * event from (the events' own hazards) must describe the same hazards:
   * term t = sum of lam[k] over the events of t, row by row (float sums, so
   * to float precision). */
  load_norway(&P);
  struct hazard_row *rows = malloc(sizeof *rows * N_HROWS);
  double *sig = malloc(sizeof(double) * N_SIG_TABLES * (RNG_NQ + 1));
  cr_assert(rows && sig);
  struct engine_ctx ctx = {.p = &P, .seed = 1, .year = 2025, .rows = rows, .sig_tab = sig};
  lifecourse_prepare_year(&ctx, rows);
  long bad = 0, positive = 0;
  for (int i = 0; i < N_HROWS; i++) {
    double sum[N_TERMS] = {0};
    for (int k = 0; k < N_EVENTS; k++) {
      sum[event_table[k].term] += rows[i].lam[k];
      positive += rows[i].lam[k] > 0;
    }
    for (int t = 0; t < N_TERMS; t++)
      if (fabs(sum[t] - rows[i].term[t]) > 1e-6 * fabs(sum[t]) + 1e-12) bad++;
  }
  cr_expect_eq(bad, 0, "%ld (row, term) sums disagree", bad);
  cr_expect_gt(positive, N_HROWS, "the rows hold hazards (%ld positive)", positive);
  free(rows);
  free(sig);
}
