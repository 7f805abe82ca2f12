/**
 * @file fuzz_csvtab.c
 * @brief libFuzzer harness for the CSV table loader (calibration/csvtab.c),
 *        with the columns of a typical table (group, sex, an age range, a
 *        count, a rate, a probability, a label, source, note): any bytes must
 *        give a table or a one-line FILE:LINE error, never a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csvtab.h"
#include "fuzz_file.h"

static const char *const alt[] = {"low", "middle", "high"};
static const struct csvtab_col cols[] = {
    {"group", COL_GROUP, 0, 0, NULL, 0},   {"sex", COL_SEX, 0, 0, NULL, 0},
    {"sector", COL_SECTOR, 0, 0, NULL, 0}, {"age_from", COL_INT, 15, 74, NULL, 0},
    {"age_to", COL_INT, 15, 74, NULL, 0},  {"persons", COL_COUNT, 0, 0, NULL, 0},
    {"rate", COL_RATE, 0, 0, NULL, 0},     {"share", COL_PROB, 0, 0, NULL, 0},
    {"alt", COL_LABEL, 0, 0, alt, 3},      {"x", COL_REAL, -1, 1, NULL, 0},
    {"source", COL_TEXT, 0, 0, NULL, 0},   {"note", COL_TEXT, 0, 0, NULL, 0},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char path[64], err[1024];
  if (fuzz_file(data, size, "csv", path) != 0) return 0;
  struct csvtab t;
  if (csvtab_load(&t, path, cols, (int)(sizeof cols / sizeof cols[0]), err, sizeof err) == 0)
    csvtab_free(&t);
  else if (!err[0] || strchr(err, '\n'))
    __builtin_trap(); /* an error must come with exactly one line of reason */
  return 0;
}
