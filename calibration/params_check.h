/**
 * @file params_check.h
 * @brief Whether a scenario can run on loaded data: the checks every command
 *        that simulates (run, calibrate, bench) makes before it starts.
 */
#ifndef HWSIM_PARAMS_CHECK_H
#define HWSIM_PARAMS_CHECK_H

#include <stddef.h>

#include "params.h"
#include "scenario.h"

/**
 * @brief The scenario starts in the data's base year (the stock is that
 *        year's register), and an intervention on the doctors' track has that
 *        track in the data.
 * @return 0, or -1 with "FILE[:LINE]: what is wrong (expected ...)" in err.
 */
int params_check_scenario(const struct params *p, const struct scenario *s, char *err,
                          size_t errlen);

#endif
