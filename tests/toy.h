/**
 * @file toy.h
 * @brief Test support: write a complete synthetic data directory whose rates
 *        are chosen by the test, so expected values follow by hand.
 */
#ifndef HWSIM_TEST_TOY_H
#define HWSIM_TEST_TOY_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "params.h"
#include "scenario.h"

struct toy {
  int persons; /* nurses, female, at base_age (all in one cell) */
  int base_age;
  double death; /* constant hazards for every age */
  double exit_outside, exit_not_working, reentry, move, retirement, disability;
  double emigration;
  double sick_self, sick_doctor; /* spells per year */
  double pshare_up, pshare_down;
  double intake;      /* nursing intake per year (3-year programme, completion 0.9) */
  double immigration; /* nurse immigrants per year */
  double early_mult;  /* early-career multiplier for years 0-1 (1 = none) */
};

static inline void toy_file(const char *dir, const char *name, const char *text)
{
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f) abort();
  fputs(text, f);
  fclose(f);
}

/** @brief Write the toy data set into a fresh temporary directory (returned, malloc'd). */
static inline char *toy_write(const struct toy *t)
{
  char *dir = strdup("/tmp/hwsim-toy-XXXXXX");
  if (!mkdtemp(dir)) abort();
  char b[4096];
  snprintf(b, sizeof b, "group,sex,age,persons,source,note\nnurse,female,%d,%d,test,\n",
           t->base_age, t->persons);
  toy_file(dir, "base_age.csv", b);
  toy_file(dir, "base_sector.csv",
           "group,sector,share,source,note\nall,municipal,0.6,test,\nall,specialist,0.3,test,\n"
           "all,other_health,0.1,test,\nall,outside,0,test,\nall,not_working,0,test,\n");
  toy_file(
      dir, "position_share.csv",
      "group,sector,age_from,age_to,pshare,share,source,note\n"
      "all,all,15,74,50,0.25,test,\nall,all,15,74,80,0.25,test,\nall,all,15,74,100,0.5,test,\n");
  snprintf(b, sizeof b,
           "group,age_from,age_to,rate_up,rate_down,source,note\nall,15,74,%g,%g,test,\n",
           t->pshare_up, t->pshare_down);
  toy_file(dir, "pshare_change.csv", b);
  snprintf(b, sizeof b, "sex,age_from,age_to,rate,source,note\nall,15,74,%g,test,\n", t->death);
  toy_file(dir, "mortality.csv", b);
  snprintf(
      b, sizeof b,
      "origin,age_from,age_to,rate,source,note\nnorway,15,74,%g,test,\nabroad,15,74,%g,test,\n",
      t->emigration, t->emigration);
  toy_file(dir, "emigration.csv", b);
  snprintf(
      b, sizeof b,
      "group,age_from,age_to,rate_outside,rate_not_working,source,note\nall,15,74,%g,%g,test,\n",
      t->exit_outside, t->exit_not_working);
  toy_file(dir, "exit.csv", b);
  snprintf(b, sizeof b,
           "group,years_from,years_to,multiplier,source,note\nall,0,1,%g,test,\nall,2,99,1,test,\n",
           t->early_mult > 0 ? t->early_mult : 1.0);
  toy_file(dir, "early_career.csv", b);
  snprintf(b, sizeof b,
           "group,from_sector,age_from,age_to,rate,source,note\nall,outside,15,74,%g,test,\nall,"
           "not_working,15,74,%g,test,\n",
           t->reentry, t->reentry);
  toy_file(dir, "reentry.csv", b);
  snprintf(b, sizeof b, "group,from_sector,to_sector,rate,source,note\nall,all,all,%g,test,\n",
           t->move);
  toy_file(dir, "sector_move.csv", b);
  snprintf(b, sizeof b, "group,age_from,age_to,rate,source,note\nall,15,74,%g,test,\n",
           t->retirement);
  toy_file(dir, "retirement.csv", b);
  snprintf(b, sizeof b, "group,sex,age_from,age_to,rate,source,note\nall,all,15,74,%g,test,\n",
           t->disability);
  toy_file(dir, "disability.csv", b);
  snprintf(
      b, sizeof b,
      "group,sex,sector,type,spells_per_year,mean_days,sd_days,source,note\n"
      "all,all,all,self_certified,%g,2.5,1.5,test,\nall,all,all,doctor_certified,%g,30,45,test,\n",
      t->sick_self, t->sick_doctor);
  toy_file(dir, "sick_leave.csv", b);
  toy_file(dir, "sick_season.csv",
           "quarter,multiplier,source,note\n1,1,test,\n2,1,test,\n3,1,test,\n4,1,test,\n");
  snprintf(b, sizeof b,
           "group,year_from,intake,duration_years,completion_share,male_share,age_mean,age_sd,"
           "source,note\n"
           "nurse,2000,%g,3,0.9,0.1,21,2,test,\n",
           t->intake);
  toy_file(dir, "education.csv", b);
  snprintf(b, sizeof b,
           "group,channel,persons_per_year,male_share,age_mean,age_sd,source,note\n"
           "nurse,immigration,%g,0.2,32,5,test,\n",
           t->immigration);
  toy_file(dir, "inflow.csv", b);
  return dir;
}

/** @brief Remove the toy directory. */
static inline void toy_remove(char *dir)
{
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) { /* best effort */
  }
  free(dir);
}

/** @brief A scenario for the toy data (no YAML file needed). */
static inline void toy_scenario(struct scenario *s, const char *dir, int years, uint64_t seed)
{
  memset(s, 0, sizeof *s);
  snprintf(s->name, sizeof s->name, "toy");
  s->start_year = 2019;
  s->end_year = 2019 + years;
  s->replicates = 1;
  s->seed = seed;
  snprintf(s->data_dir, sizeof s->data_dir, "%s", dir);
}

#endif
