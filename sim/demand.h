/**
 * @file demand.h
 * @brief The demand side of a replicate: which HELSEMOD alternative it uses (fixed, or drawn
 *        per parameter draw), each group's demand by health sector, and the scenario's demand
 *        measures (demand_factor, task_sharing).  docs/model.md, "Demand by sector".
 */
#ifndef HWSIM_DEMAND_H
#define HWSIM_DEMAND_H

#include <stddef.h>

#include "params.h"
#include "scenario.h"

/**
 * @brief The demand alternative of replicate @p r: the scenario's, or under `demand: draw`
 *        one drawn with the scenario's weights, keyed by (seed, draw) with draw =
 *        r / replicates_per_draw, so replicates that share a parameter draw share it, and a
 *        baseline and a variant with the same seed draw the same alternative.
 */
int demand_alternative(const struct scenario *s, int r);

/**
 * @brief Every group's demand in @p year by health sector (FTE) under alternative @p alt,
 *        after the scenario's demand measures: first each demand_factor (demand x
 *        1 + (factor - 1) x uptake of the year), then each task_sharing in file order
 *        (moved = share x uptake x the from-group's demand in each covered sector; the
 *        from-group loses it, the to-group gains conversion x moved).  Groups without demand
 *        data get 0.
 * @param fallback  the groups' simulated base-year FTE by health sector, used for the 2019
 *                  split where the data have no demand_sector.csv row (may be NULL)
 */
void demand_year(const struct params *p, const struct scenario *s, int alt, int year,
                 const double (*fallback)[N_HSECTORS], double out[N_GROUPS][N_HSECTORS]);

/**
 * @brief The scenario's demand measures against the data: a task_sharing between groups that
 *        both have demand (demand.csv).
 * @return 0, or -1 with "SCENARIO:LINE: reason" in err.
 */
int demand_check(const struct params *p, const struct scenario *s, char *err, size_t errlen);

#endif
