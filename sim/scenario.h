/**
 * @file scenario.h
 * @brief Scenario files (YAML, loaded with libcyaml against a schema).
 */
#ifndef HWSIM_SCENARIO_H
#define HWSIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

/** Intervention types (the `type:` of an entry under `interventions:`). */
enum iv_type {
  IV_PSHARE_FLOOR,     /**< everyone below `level` % raised to it (or only those wanting more) */
  IV_LONG_SHIFTS,      /**< long-shift rotas: + `level` percentage points of position size */
  IV_LATER_RETIREMENT, /**< those who would retire before `before_age` work `years` more */
  IV_DISABILITY,       /**< disability hazard x `factor` */
  IV_SICK_LEAVE,       /**< sick-leave incidence x `factor`, spell length x `duration_factor` */
  IV_RETENTION,    /**< exit hazards x `factor` (only the first `first_years` after entry if > 0) */
  IV_STUDY_PLACES, /**< study intake + `add` a year (only the start year if `once`) */
  IV_COMPLETION,   /**< students' dropout hazard x `factor` */
  IV_RECRUITMENT_ABROAD, /**< immigration x `factor` + `add` a year */
  IV_ALIS,               /**< `level` new ALIS (GPs in specialisation) a year */
  IV_LIS1_POSTS,         /**< LIS1 posts + `add` a year */
  IV_LIST_NORM,          /**< GP list norm: `level` patients per full-time GP (base 1 500) */
  IV_GP_HOURS,           /**< GPs' mean weekly hours become `level` (base 55.6) */
  IV_TASK_SHARING,  /**< demand: `share` of `groups`' demand moves to `to_group`, x `conversion` */
  IV_DEMAND_FACTOR, /**< demand of `groups` in `sectors` x `factor` (technology, priorities) */
  IV_EXTEND_WORKING_LIFE, /**< exits from work before `before_age` happen `years` later */
  IV_GP_RETENTION,        /**< GPs' list-leaving hazard x `factor`, and `share` of its fitted
                               late growth (gp_quit_late) undone */
  N_IV_TYPES
};
extern const char *const iv_type_labels[N_IV_TYPES];

#define MAX_INTERVENTIONS 32

/* The years and replicate counts a run accepts, from the scenario or the command line
 * (sim/main.c, sim/run.c): sanity bounds, not model assumptions (docs/scenarios.md). */
#define SCN_YEAR_MIN 2000                 /**< earliest start_year or --end-year */
#define SCN_START_YEAR_MAX 2100           /**< latest start_year */
#define SCN_END_YEAR_MAX 2150             /**< latest end_year or --end-year */
#define SCN_REPLICATES_MAX 1000000        /**< most replicates */
#define SCN_REPLICATES_PER_DRAW_MAX 10000 /**< most replicates sharing a parameter draw */
/** Replicates sharing a draw by default: nested, so that `summary --decompose` can split the
 *  spread of any run that draws something (issue 17) */
#define SCN_REPLICATES_PER_DRAW_DEFAULT 2

/** The sources of uncertainty a run may draw per parameter draw, besides Monte Carlo noise. */
enum unc_source { UNC_FITTED, UNC_ASSUMED, UNC_DEMAND, N_UNC_SOURCES };
extern const char *const unc_source_labels[N_UNC_SOURCES];

/** The sizes a scenario may give a range for (`factor_range`, `share_range`, `uptake_range`). */
enum iv_range { IVR_FACTOR, IVR_SHARE, IVR_UPTAKE, N_IV_RANGES };

/** One intervention, resolved: defaults filled in, labels turned into masks. */
struct intervention {
  enum iv_type type;
  int line;             /**< line of its `- type:` in the scenario file */
  int start, end;       /**< first and last calendar year in force */
  uint32_t groups;      /**< bit per group id (default all) */
  uint32_t sectors;     /**< bit per sector (default the three health sectors) */
  int age_from, age_to; /**< ages covered (default 15..74) */
  double uptake;        /**< share of the targeted persons covered (default 1) */
  int ramp_years;       /**< uptake rises linearly over this many years (default 0) */
  double level;         /**< pshare_floor: percent; long_shifts: percentage points */
  double want_more;     /**< pshare_floor: share of part-timers who want more (default 1) */
  int years;            /**< later_retirement: k more working years */
  int before_age; /**< later_retirement: applies to retirements before this age (default 65) */
  double factor;  /**< hazard multiplier (default 1) */
  double duration_factor; /**< sick_leave: spell length multiplier (default 1) */
  int first_years;        /**< retention: 0 = all years, else the first n years after entry */
  double add;             /**< study_places / recruitment_abroad: persons a year */
  double capacity;   /**< study_places: the programme's intake is at most this a year (0: none) */
  int once;          /**< study_places: only in the start year */
  int to_group;      /**< task_sharing: the group that takes the tasks over (-1: none) */
  double share;      /**< task_sharing: share of the from-group's demand moved */
  double conversion; /**< task_sharing: to-group FTE per FTE of tasks moved (default 1) */
  double full_time_cap; /**< pshare_floor: at most this share of the targeted employed of a
                             (group, sector, age) who work rotating shifts (rota.csv) holds
                             the floor or more (0: no cap); day workers are not limited */
  int weekend_every;    /**< pshare_floor with full_time_cap: weekend work every k-th weekend
                             (averaging of working time; default 3, the cap's own rota): the cap
                             becomes min(1, cap x 3 / k) */
  int cap_at_age;       /**< extend_working_life: the postponed exit comes at before_age at
                             the latest (default 0: `years` later whatever the age) */
  /** `factor_range`, `share_range`, `uptake_range`: the size's range [lo, hi], bit k of
   *  `ranges` set when given; with assumed_uncertainty each parameter draw draws the size
   *  uniformly in it (scenario_draw_ranges), else the key's own value holds */
  double range_lo[N_IV_RANGES], range_hi[N_IV_RANGES];
  unsigned ranges;
};

/** HELSEMOD demand alternatives (Table 2.5). */
enum demand_alt { DEMAND_LOW, DEMAND_MIDDLE, DEMAND_HIGH, N_DEMAND_ALTS };
extern const char *const demand_alt_labels[N_DEMAND_ALTS];

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
  int n_iv;
  struct intervention iv[MAX_INTERVENTIONS];
  enum demand_alt demand; /**< default middle (the nominal one when demand_draw) */
  int demand_draw;        /**< `demand: draw`: each parameter draw draws its alternative */
  double demand_weights[N_DEMAND_ALTS]; /**< the alternatives' probabilities when drawn */
  double productivity_growth;           /**< annual; HELSEMOD assumes 0.005 (default) */
  int param_uncertainty;                /**< draw fitted multipliers per replicate (default 1) */
  int assumed_uncertainty; /**< draw the assumed inputs of assumed.csv per draw (default 1) */
  int replicates_per_draw; /**< nested replicates: K replicates share a draw (default 1) */
  /** `behaviour:` (opt-in; 0 = off): a person's exit hazards (leaving the health services) and
   *  sick-leave incidence x (pshare / p_ref)^e, p_ref the power mean of the data's position
   *  shares in the person's (group, sector, age) (docs/model.md section 6) */
  double exit_pshare_elasticity, sick_pshare_elasticity;
  /** `behaviour: exit_shift_ratio` (default 1 = off): the exit hazards of a person on rotating
   *  shifts are r times a day worker's in the same cell, normalised so that the cell's mean at
   *  its rota.csv share is the data's hazard (docs/model.md section 6) */
  double exit_shift_ratio;
};

/**
 * @brief The share of targeted persons an intervention covers in @p year:
 *        0 outside [start, end], uptake after the ramp, linear during it.
 */
double intervention_uptake(const struct intervention *iv, int year);

/**
 * @brief Replicates that share one draw of the uncertain inputs (fitted parameters, demand
 *        alternative): replicates_per_draw when anything is drawn, else 1.
 */
int scenario_draw_size(const struct scenario *s);

/** @brief Whether source @p src (enum unc_source) is drawn, and how many are. */
int scenario_source_on(const struct scenario *s, int src);
int scenario_n_sources(const struct scenario *s);

/**
 * @brief Draws per block of the source design: with two or more sources drawn, n + 1 (a base
 *        draw, then for each source a draw that shares that source's values with the base and
 *        draws the others afresh: Sobol's pick-freeze design, so that `summary --decompose`
 *        can estimate each source's first-order variance); else 1.
 */
int scenario_draw_block(const struct scenario *s);

/**
 * @brief The key that draws source @p src in parameter draw @p d: d itself, or in a block's
 *        shared draw the block's base draw.  Every draw is still a draw from the full joint
 *        distribution, so the bands over all replicates are those of every source.
 */
uint64_t scenario_draw_key(const struct scenario *s, int src, int d);

/**
 * @brief Load and validate a scenario; relative data paths resolve against the
 *        scenario file's directory.
 * @return 0, or -1 with "FILE:LINE: reason" in err.
 */
int scenario_load(struct scenario *s, const char *path, char *err, size_t errlen);

/** @brief Whether any intervention gives a range for its size. */
int scenario_has_ranges(const struct scenario *s);

/**
 * @brief @p out = @p s with each ranged size of the interventions drawn for parameter draw
 *        @p d: uniform in its range from the hash of (seed, the assumed inputs' key of d,
 *        measure, size), so a variant with the same seed draws the same value; sizes without a
 *        range keep their value.  Only when s->assumed_uncertainty is on (else out = s).
 */
void scenario_draw_ranges(const struct scenario *s, int d, struct scenario *out);

/** @brief Line (1-based) of top-level key @p key in the scenario's text, or 0. */
int scenario_key_line(const struct scenario *s, const char *key);

/** @brief Free the scenario's text. */
void scenario_free(struct scenario *s);

/** @brief Path of the shipped baseline scenario (compiled-in source dir). */
const char *scenario_default_path(void);

#endif
