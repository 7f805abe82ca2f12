/**
 * @file scenario.h
 * @brief Scenario files (YAML, loaded with libcyaml against a schema).
 */
#ifndef HWSIM_SCENARIO_H
#define HWSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

struct scenario {
  char name[128];
  int start_year; /**< base year of the stock (HELSEMOD: 2019) */
  int end_year;   /**< last simulated year */
  int replicates;
  uint64_t seed;
  char data_dir[2048]; /**< resolved path of the calibration data directory */
  char path[1024];     /**< the scenario file */
  char *text;          /**< the file's text, stored in the output (malloc'd) */
  char sha256[65];
};

/**
 * @brief Load and validate a scenario; relative data paths resolve against the
 *        scenario file's directory.
 * @return 0, or -1 with "FILE:LINE: reason" in err.
 */
int scenario_load(struct scenario *s, const char *path, char *err, size_t errlen);

/** @brief Free the scenario's text. */
void scenario_free(struct scenario *s);

/** @brief Path of the shipped baseline scenario (compiled-in source dir). */
const char *scenario_default_path(void);

#endif
