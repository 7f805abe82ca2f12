/**
 * @file event_table.c
 * @brief The one table of events (agents/event.h): for each competing
 *        event of an active agent, its hazard term and rank in that term's
 *        sum, its fitted multiplier and the handler of the module that owns it.
 *
 * Row order is the order of the categorical draw (enum event).  The ranks
 * fix the order of the float sums of the terms (and so the results, bit for
 * bit); tests/test_events.c checks that every term's ranks are 0, 1, ... .
 */
#include "process.h"

const struct event_def event_table[N_EVENTS] = {
    [EV_SICK_SELF] = {"sick_self", HT_SICK, 0, MP_SICK, sickleave_apply},
    [EV_SICK_DOCTOR] = {"sick_doctor", HT_SICK, 1, MP_SICK, sickleave_apply},
    [EV_PSHARE_UP] = {"pshare_up", HT_UP, 0, -1, position_apply},
    [EV_PSHARE_DOWN] = {"pshare_down", HT_DOWN, 0, MP_PSHARE_DOWN, position_apply},
    [EV_EXIT_OUTSIDE] = {"exit_outside", HT_EXIT, 0, MP_EXIT, employment_apply},
    [EV_EXIT_NOT_WORKING] = {"exit_not_working", HT_EXIT, 1, MP_EXIT, employment_apply},
    [EV_MOVE_1] = {"move_1", HT_OTHER, 2, MP_MOVE, employment_apply},
    [EV_MOVE_2] = {"move_2", HT_OTHER, 3, MP_MOVE, employment_apply},
    [EV_REENTRY] = {"reentry", HT_OTHER, 4, MP_REENTRY, employment_apply},
    [EV_DEATH] = {"death", HT_OTHER, 0, -1, demography_apply},
    [EV_EMIGRATION] = {"emigration", HT_EMIG, 0, -1, demography_apply},
    [EV_EMIGRATION_ABROAD] = {"emigration_abroad", HT_EMIG_ABROAD, 0, -1, demography_apply},
    [EV_DISABILITY] = {"disability", HT_OTHER, 1, MP_DISABILITY, retirement_apply},
    [EV_RETIREMENT] = {"retirement", HT_RETIRE, 0, MP_RETIREMENT, retirement_apply},
    [EV_RETIREMENT_LATE] = {"retirement_late", HT_RETIRE_LATE, 0, MP_RETIREMENT, retirement_apply},
};
