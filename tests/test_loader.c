/**
 * @file test_loader.c
 * @brief The calibration loaders reject malformed tables with file, line and
 *        reason: missing column, out-of-range probability, negative rate and
 *        count, unknown group, duplicate cell, gap in coverage, bad number.
 */
#include <criterion/criterion.h>

#include "params.h"
#include "toy.h"

static const struct toy ok = {.persons = 10, .base_age = 30, .death = 0.01};

/** @brief Replace one file of a valid toy set and return params_load's message. */
static int load_with(const char *name, const char *text, char *err, size_t errlen)
{
  char *dir = toy_write(&ok);
  toy_file(dir, name, text);
  static struct params p;
  err[0] = '\0';
  int rc = params_load(&p, dir, err, errlen);
  toy_remove(dir);
  return rc;
}

Test(loader, valid_toy_loads)
{
  char *dir = toy_write(&ok);
  static struct params p;
  char err[512] = "";
  cr_expect_eq(params_load(&p, dir, err, sizeof err), 0, "%s", err);
  cr_expect_eq(p.base_persons[G_NURSE][SEX_FEMALE][30 - AGE_MIN], 10);
  cr_expect_float_eq(p.mortality[SEX_MALE][60 - AGE_MIN], 0.01, 1e-12);
  cr_expect_eq(p.nfiles, 16); /* the 16 tables listed in calibration/norway/README.md */
  toy_remove(dir);
}

Test(loader, missing_column)
{
  char err[512];
  cr_assert_eq(load_with("mortality.csv", "sex,age_from,age_to,source,note\nall,15,74,test,\n", err,
                         sizeof err),
               -1);
  cr_expect(strstr(err, "mortality.csv:1: header does not match (expected "
                        "sex,age_from,age_to,rate,source,note)") != NULL,
            "%s", err);
}

Test(loader, probability_above_one)
{
  char err[512];
  cr_assert_eq(load_with("base_sector.csv",
                         "group,sector,share,source,note\nall,municipal,1.2,test,\n", err,
                         sizeof err),
               -1);
  cr_expect(strstr(err, "base_sector.csv:2: share = 1.2 is out of range (expected a probability or "
                        "share in [0, 1])") != NULL,
            "%s", err);
}

Test(loader, negative_rate)
{
  char err[512];
  cr_assert_eq(
      load_with("retirement.csv",
                "group,age_from,age_to,rate,source,note\nall,15,60,0,x,\nall,61,74,-0.5,x,\n", err,
                sizeof err),
      -1);
  cr_expect(
      strstr(err, "retirement.csv:3: rate = -0.5 is out of range (expected a rate in [0, 100])") !=
          NULL,
      "%s", err);
}

Test(loader, negative_count)
{
  char err[512];
  cr_assert_eq(load_with("base_age.csv",
                         "group,sex,age,persons,source,note\nnurse,female,30,-4,x,\n", err,
                         sizeof err),
               -1);
  cr_expect(
      strstr(
          err,
          "base_age.csv:2: persons = -4 is out of range (expected a non-negative whole count)") !=
          NULL,
      "%s", err);
}

Test(loader, counts_are_bounded_not_wrapped)
{
  /* 1e20 used to wrap through an int32 cast; 2e9 in one cell exhausted memory. */
  char err[512];
  cr_assert_eq(
      load_with("base_age.csv",
                "group,sex,age,persons,source,note\nnurse,female,30,99999999999999999999,x,\n", err,
                sizeof err),
      -1);
  cr_expect(strstr(err,
                   "base_age.csv:2: persons = 99999999999999999999 is out of range (expected a "
                   "whole count up to 10000000") != NULL,
            "%s", err);
  cr_assert_eq(load_with("base_age.csv",
                         "group,sex,age,persons,source,note\nnurse,female,30,2000000000,x,\n", err,
                         sizeof err),
               -1);
  cr_expect(strstr(err, "persons = 2000000000 is out of range") != NULL, "%s", err);
  /* each cell within bounds, but more than 10 million in all */
  cr_assert_eq(load_with("base_age.csv",
                         "group,sex,age,persons,source,note\nnurse,female,30,6000000,x,\n"
                         "nurse,male,30,6000000,x,\n",
                         err, sizeof err),
               -1);
  cr_expect(strstr(err, "base_age.csv: 12000000 persons in all (expected at most 10000000") != NULL,
            "%s", err);
}

Test(loader, unknown_group)
{
  char err[512];
  cr_assert_eq(load_with("retirement.csv",
                         "group,age_from,age_to,rate,source,note\nnurses,15,74,0.1,x,\n", err,
                         sizeof err),
               -1);
  cr_expect(strstr(err, "retirement.csv:2: unknown group 'nurses'") != NULL, "%s", err);
}

Test(loader, duplicate_cell)
{
  char err[512];
  cr_assert_eq(
      load_with("retirement.csv",
                "group,age_from,age_to,rate,source,note\nall,15,74,0.1,x,\nall,60,64,0.2,x,\n", err,
                sizeof err),
      -1);
  cr_expect(strstr(err, "retirement.csv:3: duplicate cell (line 2 already gives it, age 60") !=
                NULL,
            "%s", err);
}

Test(loader, explicit_row_overrides_all)
{
  /* not a duplicate: a group row is more specific than an `all` row */
  char *dir = toy_write(&ok);
  toy_file(dir, "retirement.csv",
           "group,age_from,age_to,rate,source,note\nall,15,74,0.1,x,\nnurse,60,74,0.3,x,\nnurse,15,"
           "59,0,x,\n");
  static struct params p;
  char err[512] = "";
  cr_assert_eq(params_load(&p, dir, err, sizeof err), 0, "%s", err);
  cr_expect_float_eq(p.retirement[G_NURSE][62 - AGE_MIN], 0.3, 1e-12);
  cr_expect_float_eq(p.retirement[G_NURSE][30 - AGE_MIN], 0.0, 1e-12);
  cr_expect_float_eq(p.retirement[G_PHYSICIAN][62 - AGE_MIN], 0.1, 1e-12);
  toy_remove(dir);
}

Test(loader, coverage_gap)
{
  char err[512];
  cr_assert_eq(
      load_with("mortality.csv",
                "sex,age_from,age_to,rate,source,note\nall,15,49,0.001,x,\nall,51,74,0.01,x,\n",
                err, sizeof err),
      -1);
  cr_expect(strstr(err, "mortality.csv: no row covers") != NULL && strstr(err, "age 50") != NULL,
            "%s", err);
}

Test(loader, not_a_number_and_field_count)
{
  char err[512];
  cr_assert_eq(load_with("mortality.csv",
                         "sex,age_from,age_to,rate,source,note\nall,15,74,abc,x,\n", err,
                         sizeof err),
               -1);
  cr_expect(strstr(err, "mortality.csv:2: rate = 'abc' is not a number") != NULL, "%s", err);
  cr_assert_eq(load_with("mortality.csv", "sex,age_from,age_to,rate,source,note\nall,15,74,0.1\n",
                         err, sizeof err),
               -1);
  cr_expect(strstr(err, "mortality.csv:2: 4 fields (expected 6)") != NULL, "%s", err);
}

Test(loader, missing_file)
{
  char *dir = toy_write(&ok);
  char path[600];
  snprintf(path, sizeof path, "%s/exit.csv", dir);
  unlink(path);
  static struct params p;
  char err[512] = "";
  cr_assert_eq(params_load(&p, dir, err, sizeof err), -1);
  cr_expect(strstr(err, "exit.csv: cannot read file") != NULL, "%s", err);
  toy_remove(dir);
}

Test(loader, shares_must_sum_to_one)
{
  char err[512];
  cr_assert_eq(
      load_with("position_share.csv",
                "group,sector,age_from,age_to,pshare,share,source,note\nall,all,15,74,100,0.7,x,\n",
                err, sizeof err),
      -1);
  cr_expect(strstr(err, "position_share.csv: shares for group nurse, sector municipal, age 15 sum "
                        "to 0.700000 (expected 1)") != NULL,
            "%s", err);
}

/** @brief Like load_with, but the file's bytes (which may hold a NUL) are given with a length. */
static int load_bytes(const char *name, const char *data, size_t len, char *err, size_t errlen)
{
  char *dir = toy_write(&ok);
  char path[600];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f);
  cr_assert_eq(fwrite(data, 1, len, f), len);
  fclose(f);
  static struct params p;
  err[0] = '\0';
  int rc = params_load(&p, dir, err, errlen);
  toy_remove(dir);
  return rc;
}

Test(loader, nul_byte_is_refused_not_a_silent_end_of_file)
{
  /* before: the NUL ended the text, so row 3 (and any row after it) was silently dropped */
  static const char t[] = "sex,age_from,age_to,rate,source,note\nall,15,74,0.01,x,\n\0all,15,74,"
                          "0.5,x,\n";
  char err[512];
  cr_assert_eq(load_bytes("mortality.csv", t, sizeof t - 1, err, sizeof err), -1);
  cr_expect(strstr(err, "mortality.csv:3: NUL byte (expected a text file)") != NULL, "%s", err);
}

Test(loader, byte_order_mark_and_crlf_are_accepted)
{
  char err[512];
  cr_expect_eq(
      load_with("mortality.csv",
                "\xef\xbb\xbfsex,age_from,age_to,rate,source,note\r\nall,15,74,0.01,x,\r\n", err,
                sizeof err),
      0, "%s", err);
}

Test(loader, zero_count_cell_given_twice_is_a_duplicate)
{
  /* before: a cell whose first row said 0 persons could be given again (the last row won) */
  char err[512];
  cr_assert_eq(load_with("base_age.csv",
                         "group,sex,age,persons,source,note\nnurse,female,30,0,x,\n"
                         "nurse,female,30,10,x,\n",
                         err, sizeof err),
               -1);
  cr_expect(strstr(err, "base_age.csv:3: duplicate cell (nurse, female, age 30 given twice)") !=
                NULL,
            "%s", err);
}

Test(loader, position_share_reversed_age_range)
{
  /* before: a row with age_to < age_from covered no age and was silently ignored */
  char err[512];
  cr_assert_eq(load_with("position_share.csv",
                         "group,sector,age_from,age_to,pshare,share,source,note\n"
                         "all,all,15,74,100,1,x,\nnurse,all,60,20,100,1,x,\n",
                         err, sizeof err),
               -1);
  cr_expect(strstr(err, "position_share.csv:3: age_to 20 < age_from 60 (expected an increasing "
                        "range)") != NULL,
            "%s", err);
}

Test(loader, numbers_are_plain_decimals)
{
  char err[512];
  static const char *const bad[] = {"0x1p-4", " 0.01", "0.01 ", "1e999", "nan", "-inf", "1,5"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    char t[256];
    snprintf(t, sizeof t, "sex,age_from,age_to,rate,source,note\nall,15,74,\"%s\",x,\n", bad[k]);
    cr_expect_eq(load_with("mortality.csv", t, err, sizeof err), -1, "'%s' accepted", bad[k]);
    cr_expect(strstr(err, "mortality.csv:2: rate = ") != NULL &&
                  strstr(err, "is not a number (expected a finite decimal number") != NULL,
              "'%s': %s", bad[k], err);
  }
  /* an integer column takes digits only: 15.0 is not an age */
  cr_assert_eq(load_with("mortality.csv",
                         "sex,age_from,age_to,rate,source,note\nall,15.0,74,0.01,x,\n", err,
                         sizeof err),
               -1);
  cr_expect(strstr(err, "mortality.csv:2: age_from = 15.0 is out of range (expected an integer in "
                        "[15, 74])") != NULL,
            "%s", err);
}

Test(loader, field_count_is_exact_beyond_the_column_limit)
{
  /* before: any line of more than 16 fields was reported as 17 */
  char err[512];
  cr_assert_eq(
      load_with("mortality.csv",
                "sex,age_from,age_to,rate,source,note\nall,15,74,0.01,x,,,,,,,,,,,,,,,,,,\n", err,
                sizeof err),
      -1);
  cr_expect(strstr(err, "mortality.csv:2: 23 fields (expected 6)") != NULL, "%s", err);
}

Test(loader, rates_have_an_upper_bound)
{
  char err[512];
  cr_assert_eq(load_with("mortality.csv",
                         "sex,age_from,age_to,rate,source,note\nall,15,74,1e300,x,\n", err,
                         sizeof err),
               -1);
  cr_expect(strstr(err, "mortality.csv:2: rate = 1e300 is out of range (expected a rate in [0, "
                        "100])") != NULL,
            "%s", err);
}

Test(loader, coverage_and_duplicate_messages_name_the_cell)
{
  /* before: "no row covers group nurse0" (the sector left out, a stray 0 for the missing age)
   * and "line 2 already gives it0" */
  char err[512];
  cr_assert_eq(load_with("base_sector.csv",
                         "group,sector,share,source,note\nall,municipal,0.6,x,\n"
                         "all,specialist,0.3,x,\nall,other_health,0.1,x,\nall,outside,0,x,\n",
                         err, sizeof err),
               -1);
  cr_expect(strstr(err, "base_sector.csv: no row covers group nurse, sector not_working (expected "
                        "every cell to be given)") != NULL,
            "%s", err);
  cr_assert_eq(load_with("sector_move.csv",
                         "group,from_sector,to_sector,rate,source,note\nall,all,all,0.05,x,\n"
                         "all,all,all,0.05,x,\n",
                         err, sizeof err),
               -1);
  cr_expect(strstr(err, "sector_move.csv:3: duplicate cell (line 2 already gives it; expected one "
                        "row per cell)") != NULL,
            "%s", err);
}

Test(loader, quoted_field_is_one_readable_line)
{
  /* a control byte in a field is shown as '?', and a long field is cut at 60 bytes */
  char err[512];
  cr_assert_eq(load_with("retirement.csv",
                         "group,age_from,age_to,rate,source,note\nnur\rse\x1b,15,74,0.02,x,\n", err,
                         sizeof err),
               -1);
  cr_expect(strstr(err, "retirement.csv:2: unknown group 'nur?se?' (expected") != NULL, "%s", err);
  char t[400] = "group,age_from,age_to,rate,source,note\nall,15,74,";
  memset(t + strlen(t), '9', 200);
  strcat(t, ",x,\n");
  cr_assert_eq(load_with("retirement.csv", t, err, sizeof err), -1);
  cr_expect(strstr(err,
                   "retirement.csv:2: rate = 999999999999999999999999999999999999999999999999999"
                   "999999999... is out of range") != NULL,
            "%s", err);
}
