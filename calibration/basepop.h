/**
 * @file basepop.h
 * @brief The base population: the 2019 register stock synthesised from the
 *        published marginals (calibration/norway/base_*.csv).
 */
#ifndef HWSIM_BASEPOP_H
#define HWSIM_BASEPOP_H

#include "params.h"
#include "population.h"
#include "scenario.h"

/** @brief Synthesise replicate @p r's base population into @p pop (on @p threads threads);
 *         out of memory leaves the reason in pop->err. */
void basepop_synthesise(const struct params *p, const struct scenario *s, int r, int threads,
                        struct population *pop);

#endif
