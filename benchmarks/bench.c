/**
 * @file bench.c
 * @brief `hwsim bench`: the full default model on one replicate, timed on 1
 *        thread and on T threads, against a bare loop that only draws the
 *        random numbers an event needs (the practical limit of the engine).
 */
#include "bench.h"
#include "cli.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>

#include "alloc.h"
#include "engine.h"
#include "params.h"
#include "params_check.h"
#include "rng.h"
#include "scenario.h"

static double now_s(void)
{
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return (double)tv.tv_sec + 1e-6 * (double)tv.tv_usec;
}

/** @brief Run one replicate; return wall seconds and fill counters (-1: failed, reason in err). */
static double bench_model(const struct params *p, const struct scenario *s, int threads,
                          int64_t *events, int64_t *agent_years, int64_t *sick_spells,
                          uint64_t *digest, char *err, size_t errlen)
{
  struct replicate_out o;
  int nyears = s->end_year - s->start_year + 1;
  if (replicate_out_init(&o, nyears) != 0) {
    snprintf(err, errlen, "out of memory for a replicate's results");
    return -1;
  }
  double t0 = now_s();
  if (engine_run_replicate(p, s, 0, threads, &o, NULL, NULL, NULL) != 0) {
    snprintf(err, errlen, "%s", o.err);
    replicate_out_free(&o);
    return -1;
  }
  double el = now_s() - t0;
  *events = o.events;
  *agent_years = o.agent_years;
  *sick_spells = o.sick_spells;
  uint64_t h = 0;
  for (size_t i = 0; i < measure_size(M_FTE, nyears); i++)
    h = rng_mix64(h ^ (uint64_t)o.m[M_FTE][i]);
  *digest = h;
  replicate_out_free(&o);
  return el;
}

/** @brief The bare loop: per event one exponential waiting time and one uniform choice. */
static double bench_bare(int64_t n, double *sink)
{
  struct pcg32 r;
  pcg32_seed(&r, 42u, 54u);
  double acc = 0, t0 = now_s();
  for (int64_t i = 0; i < n; i++) {
    acc += pcg32_exponential(&r, 1.3);
    acc += pcg32_uniform(&r);
  }
  *sink = acc;
  return now_s() - t0;
}

int bench_main(int argc, char **argv)
{
  int threads = omp_get_max_threads();
  int end_year = 0;
  const struct cli_opt opts[] = {
      {"--threads", NULL, CLI_INT, &threads, 1, 1024, "a thread count", 0, NULL},
      {"--end-year", NULL, CLI_INT, &end_year, 2020, 2150, "a year", 0, NULL},
  };
  const struct cli_spec spec = {"hwsim bench",
                                opts,
                                (int)(sizeof opts / sizeof *opts),
                                NULL,
                                0,
                                NULL,
                                NULL,
                                "usage: hwsim bench [--threads T] [--end-year Y]\n"
                                "Time the engine on the shipped baseline: events and agent-years\n"
                                "per second per core, bytes per agent.\n"};
  int prc = cli_parse(&spec, argc, argv);
  if (prc) return prc == 1 ? 0 : prc;
  char err[1024];
  struct scenario s;
  if (scenario_load(&s, scenario_default_path(), err, sizeof err) != 0) {
    fprintf(stderr, "hwsim bench: %s\n", err);
    return 2;
  }
  if (end_year) s.end_year = end_year;
  struct params *p = hw_alloc(1, sizeof *p, "the parameters", err, sizeof err);
  int lrc = !p ? 1 : params_load(p, s.data_dir, err, sizeof err) != 0 ? 2 : 0;
  if (lrc == 0 && params_check_scenario(p, &s, err, sizeof err) != 0) lrc = 2;
  if (lrc) {
    fprintf(stderr, "hwsim bench: %s\n", err);
    free(p);
    scenario_free(&s);
    return lrc;
  }
  int64_t ev1, ay1, evT, ayT, sick1, sickT;
  uint64_t d1, dT;
  /* warm-up run (page faults, caches), not timed */
  double tw = bench_model(p, &s, threads, &evT, &ayT, &sickT, &dT, err, sizeof err);
  double t1 = tw < 0 ? -1 : bench_model(p, &s, 1, &ev1, &ay1, &sick1, &d1, err, sizeof err);
  double tT = t1 < 0 || threads == 1
                  ? t1
                  : bench_model(p, &s, threads, &evT, &ayT, &sickT, &dT, err, sizeof err);
  if (tT < 0) {
    fprintf(stderr, "hwsim bench: %s\n", err);
    free(p);
    scenario_free(&s);
    return 1;
  }
  double sink;
  double tb = bench_bare(ev1, &sink);
  double ev_rate = (double)ev1 / t1;
  double limit = (double)ev1 / tb;
  printf("scenario=%s\n", s.name);
  printf("years=%d-%d\n", s.start_year, s.end_year);
  printf("agent_years=%lld\n", (long long)ay1);
  printf("events=%lld\n", (long long)ev1);
  printf("events_per_agent_year=%.3f\n", (double)ev1 / (double)ay1);
  printf("sick_spells_per_agent_year=%.3f\n", (double)sick1 / (double)ay1);
  printf("seconds_1_thread=%.3f\n", t1);
  printf("events_per_sec_per_core=%.0f\n", ev_rate);
  printf("agent_years_per_sec_per_core=%.0f\n", (double)ay1 / t1);
  printf("limit_events_per_sec=%.0f\n", limit);
  printf("limit_ratio=%.3f\n", ev_rate / limit);
  printf("bytes_per_agent=%zu\n", sizeof(struct agent));
  /* whole-process peak memory (store, tallies, tables, libraries) per agent */
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double mean_agents = (double)ay1 / (double)(s.end_year - s.start_year);
  printf("peak_rss_mib=%.1f\n", ru.ru_maxrss / 1024.0);
  printf("peak_rss_bytes_per_agent=%.0f\n", ru.ru_maxrss * 1024.0 / mean_agents);
  printf("threads=%d\n", threads);
  printf("seconds_threads=%.3f\n", tT);
  printf("speedup_vs_1_thread=%.3f\n", t1 / tT);
  printf("deterministic_across_threads=%s\n", d1 == dT && ev1 == evT ? "yes" : "NO");
  printf("bare_loop_checksum=%.3f\n", sink);
  free(p);
  scenario_free(&s);
  return d1 == dT ? 0 : 1;
}
