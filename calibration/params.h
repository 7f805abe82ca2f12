/**
 * @file params.h
 * @brief The model's rate tables, dense and ready for the event loop, loaded
 *        from the long-format CSV files of a data directory (calibration/norway).
 *
 * Every table is indexed by single-year age (AGE_MIN..AGE_MAX) where it has an
 * age dimension; `all` rows fill every cell and more specific rows override.
 */
#ifndef HWSIM_PARAMS_H
#define HWSIM_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "dims.h"

#define N_HSECTORS 3 /* municipal, specialist, other_health */
#define MAX_PSHARE_LEVELS 8
#define MAX_EDU_ROWS 16
#define N_CAREER_YEARS 41 /* early-career multipliers for completed years 0..40 */
#define N_INFLOW_CHANNELS 3
/* entry.csv: the first four entry sources (graduation .. recruitment) */
#define N_ENTRY_CHANNELS 4
#define MAX_CONV_TO 2 /* conversion.csv: destinations per from-group */
#define N_DATA_FILES 48
/** The year of the base stock in the data tables (base_age.csv, base_sector.csv, ...): the 2019
 *  register, HELSEMOD's base year.  A scenario must start there. */
#define PARAMS_BASE_YEAR 2019
#define N_DEMAND_ALTS_P 3 /* low, middle, high (scenario.h enum demand_alt) */

/** Most rows of assumed.csv, and the bounds of a range's ends (multipliers). */
#define MAX_ASSUMED 64
#define ASSUMED_MULT_MIN 0.01
#define ASSUMED_MULT_MAX 100.0

/** One assumed input's range (assumed.csv): the multiplier of `process` for `group` (or
 *  CSVTAB_ALL) in age bands band_from..band_to is drawn uniformly in [low, high]. */
struct assumed_range {
  int process, group, band_from, band_to, line;
  double low, high;
};

/** Processes with fitted multipliers (the `process` column of fitted.csv). */
enum mult_proc {
  MP_EXIT,
  MP_REENTRY,
  MP_MOVE,
  MP_RETIREMENT,
  MP_DISABILITY,
  MP_SICK,
  MP_PSHARE_DOWN,
  MP_ENTRY,         /**< odds multiplier of the entry propensity (graduates), not a hazard */
  MP_CONVERT,       /**< conversions into the group (indexed by the group converted to) */
  MP_IMMIGRATION,   /**< inflow.csv's immigration (the take-up of authorisations), by the band of
                         the channel's mean age */
  MP_GP_QUIT,       /**< GPs' list-leaving hazard (physicians, by the GP's age band) */
  MP_GP_HIRE,       /**< hiring into vacant GP lists: the matching efficiency, by the band of each
                         doctor in the pool (their mean scales the year's hires) */
  MP_EMIGRATION,    /**< emigration hazards (both origins), by group and age band */
  MP_DROPOUT,       /**< students' dropout hazard, by group (its band 0 holds it: all ages) */
  MP_SICK_DURATION, /**< sick spells' length (lognormal median), by group (band 0, all ages) */
  MP_GP_QUIT_LATE,  /**< GPs' list leaving after the published trend: the hazard x this per year
                         from gp_quit_trend_end + 1 to gp_quit_late_end (physicians, by age band) */
  N_MULT_PROCS
};
extern const char *const mult_proc_labels[N_MULT_PROCS];

/** Inflow channels (new people who are not Norwegian graduates). */
enum inflow_channel { INFLOW_IMMIGRATION, INFLOW_ABROAD_GRAD, INFLOW_RECRUITMENT };

/** The position-share ladder: the values a position share can take, in percent. */
extern const uint8_t pshare_ladder[MAX_PSHARE_LEVELS];

/** A discrete distribution over the ladder (cumulative shares). */
struct pshare_dist {
  float cum[MAX_PSHARE_LEVELS];
};

/** @brief The share of distribution @p d on ladder rung @p k. */
static inline double pshare_dist_prob(const struct pshare_dist *d, int k)
{
  return d->cum[k] - (k > 0 ? (double)d->cum[k - 1] : 0.0);
}

/** One education intake row, valid from year_from on. */
struct edu_row {
  int year_from;
  double intake, duration, completion, male_share, age_mean, age_sd;
};

struct inflow {
  double per_year, male_share, age_mean, age_sd;
};

struct param_draws; /* calibration/uncertainty.h */

#define MAX_DOC_YEARS 32 /* rows of lis1_posts.csv and gp_lists.csv */
#define MAX_DOC_BASE 32  /* rows of doctor_base.csv */

/** One row of doctor_base.csv: how many base physicians hold a stage. */
struct doctor_base_row {
  int line;
  int stage, specialty, sector, age_from, age_to, gp;
  double persons;
};

/** The doctors' career track (doctors.csv and friends; all optional together). */
struct doctor_params {
  int on; /**< 1 when doctors.csv is in the data directory */
  double lis1_hospital_years, lis1_municipal_years;
  double round_spring, round_autumn; /**< LIS1 start dates, fraction of the year */
  double min_years[N_SPECIALTIES];   /**< LIS2/3 minimum after LIS1 */
  double delay_mean[N_SPECIALTIES];  /**< mean delay beyond the minimum (exponential) */
  double choice[N_SPECIALTIES]; /**< shares of LIS1 completers; [SP_NONE] = no specialty; [SP_OTHER]
                                   = the rest */
  double other_outside_hf;      /**< share of other-specialty LIS outside hospitals */
  double wait_giveup;           /**< hazard of giving up waiting for LIS1 */
  double imm_specialist;        /**< share of immigrant doctors arriving as specialists */
  double gp_hours, gp_hours_sigma; /**< mean weekly hours; log-sd across GPs */
  double gp_quit, gp_elasticity;   /**< list-leaving hazard at mean hours; workload elasticity */
  double gp_quit_trend;            /**< yearly growth of the list-leaving hazard ... */
  int gp_quit_trend_end;           /**< ... from the base year up to this year, flat after */
  int gp_quit_late_end; /**< the fitted late growth (gp_quit_late) holds to this year, flat after */
  double gp_list_elasticity;      /**< list-leaving hazard x (mean list length / ref)^this */
  double gp_list_length_ref;      /**< the mean list length of the base year */
  double gp_match;                /**< matching efficiency: hires = gp_match sqrt(V x pool) */
  double list_norm;               /**< patients per full-time GP (the norm) */
  double vacant_list_inhabitants; /**< mean inhabitants on a list without a GP */
  int n_posts, post_year[MAX_DOC_YEARS];
  double posts[MAX_DOC_YEARS];
  int n_lists, list_year[MAX_DOC_YEARS];
  double lists[MAX_DOC_YEARS];  /**< lists to staff at 31 December */
  double listed[MAX_DOC_YEARS]; /**< inhabitants on a GP list at 31 December */
  int n_base;
  struct doctor_base_row base[MAX_DOC_BASE];
};

struct params {
  /* base population, 2019 */
  int32_t base_persons[N_GROUPS][N_SEXES][N_AGES];
  double base_sector[N_GROUPS][N_SECTORS];
  /* share aged 55+ within a sector (base_sector_55plus.csv, optional); < 0 = not given */
  double base_sector55[N_GROUPS][N_SECTORS];
  /* position share: distribution by group, employed sector (not not_working), age */
  struct pshare_dist pshare[N_GROUPS][N_SECTORS - 1][N_AGES];
  double pshare_up[N_GROUPS][N_AGES], pshare_down[N_GROUPS][N_AGES];
  /* demography */
  double mortality[N_SEXES][N_AGES];
  double emigration[2][N_AGES]; /* [0] educated in Norway, [1] abroad */
  /* careers */
  double exit_outside[N_GROUPS][N_AGES], exit_not_working[N_GROUPS][N_AGES];
  double early_career[N_GROUPS][N_CAREER_YEARS];
  double reentry[N_GROUPS][2][N_AGES]; /* from outside, from not_working */
  double sector_move[N_GROUPS][N_HSECTORS][N_HSECTORS];
  double retirement[N_GROUPS][N_AGES];
  double disability[N_GROUPS][N_SEXES][N_AGES];
  /* sick leave: spells per year, mean and sd of duration in days */
  double sick_spells[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES];
  double sick_mean_days[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES];
  double sick_sd_days[N_GROUPS][N_SEXES][N_HSECTORS][N_SICK_TYPES];
  double sick_season[4];
  /* entrants */
  int n_edu[N_GROUPS];
  struct edu_row edu[N_GROUPS][MAX_EDU_ROWS];
  struct inflow inflow[N_GROUPS][N_INFLOW_CHANNELS];
  /* Entry propensity (entry.csv, optional; 1 when absent): the share of a
   * channel's entrants (enum entry_source, graduation .. recruitment) who
   * start in a health sector; the rest start outside or not working, in the
   * proportions of the base stock.  For graduates it is scaled on the odds
   * scale by the fitted multiplier mult[MP_ENTRY] (params_entry_share). */
  double entry_health[N_GROUPS][N_ENTRY_CHANNELS];
  /** rota.csv: share of the employed of (group, health sector) working rotating shifts (0
   *  where not given); has_rota: the file was there */
  double rota_share[N_GROUPS][N_HSECTORS];
  int has_rota;
  /** assumed.csv: the ranges of the assumed inputs, drawn per parameter draw (issue 17) */
  int n_assumed;
  struct assumed_range assumed[MAX_ASSUMED];
  /* Conversions (conversion.csv, optional): hazards, by single-year age, of
   * changing group while working in a health sector (an assistant takes the
   * health care worker's certificate at work; a nurse qualifies as a public
   * health nurse or midwife).  n_conv[g] destinations conv_to[g][k];
   * conv_sector_entry[g][k] = 1 when the converted person starts in a sector
   * drawn from the destination's base stock (`entry`), 0 when it keeps its own. */
  int n_conv[N_GROUPS];
  int conv_to[N_GROUPS][MAX_CONV_TO];
  int conv_sector_entry[N_GROUPS][MAX_CONV_TO];
  double conv[N_GROUPS][MAX_CONV_TO][N_AGES];
  /* HELSEMOD demand by alternative and group, in FTE: [alt][g][0] = 2019, [1] = 2040 */
  double demand[N_DEMAND_ALTS_P][N_GROUPS][2];
  int has_demand[N_GROUPS];
  /* Demand by health sector (params_demand.c): q[g][s], the 2019 split of group g's demand
   * (demand_sector.csv; has_demand_split[g] = 0 without a row for g), and the service areas'
   * FTE summed by the sector that runs them, [alt][s][0] = 2019, [1] = 2040 (demand_area.csv;
   * has_demand_area = 0 without the file: no sector grows faster than another). */
  double demand_split[N_GROUPS][N_HSECTORS];
  int has_demand_split[N_GROUPS];
  double demand_area[N_DEMAND_ALTS_P][N_HSECTORS][2];
  int has_demand_area;
  /* Fitted hazard multipliers (calibration/norway/fitted.csv, written by
   * `hwsim calibrate`; all 1 when the file is absent), by process, group and
   * 5-year age band; applied to the hazard rows every year. */
  double mult[N_MULT_PROCS][N_GROUPS][N_AGE_BANDS];
  int has_fitted;
  /* the physicians' career track (doctors.csv etc., optional) */
  struct doctor_params doc;
  /* the Gaussian approximation of the fitted multipliers (fitted_cov.csv),
   * loaded by uncertainty_load; NULL = no parameter uncertainty available */
  struct param_draws *draws;
  /* provenance: the files read and their SHA-256 */
  int nfiles;
  char file_name[N_DATA_FILES][64];
  char file_sha256[N_DATA_FILES][65];
};

/**
 * @brief Load every table of data directory @p dir into @p p.
 * @return 0, or -1 with "FILE:LINE: reason" in err.
 */
int params_load(struct params *p, const char *dir, char *err, size_t errlen);

/** @brief Assumed input @p k's multiplier in the draw keyed @p key: uniform in its range, from
 *         the hash of (seed, key, k); the same on any thread or rank. */
double params_assumed_draw(const struct params *p, int k, uint64_t seed, uint64_t key);

/** @brief Multiply p's multipliers by the assumed inputs' draws keyed @p key (p a copy). */
void params_assumed_apply(struct params *p, uint64_t seed, uint64_t key);

/**
 * @brief The share of a channel's entrants in group g, aged @p age, who start
 *        in a health sector: entry.csv's share, for graduates (Norwegian and
 *        abroad) with its odds times the fitted multiplier mult[MP_ENTRY].
 */
double params_entry_share(const struct params *p, int g, int channel, int age);

/** @brief The education row in force in @p year for group g, or NULL. */
const struct edu_row *params_edu_row(const struct params *p, int g, int year);

/**
 * @brief Demand for group g in @p year under alternative @p alt (FTE):
 *        geometric interpolation between 2019 and 2040 (and extrapolation),
 *        scaled by ((1 + 0.005) / (1 + productivity))^(year - 2019) because
 *        HELSEMOD's alternatives assume 0.5 % productivity growth a year.
 *        0 for groups without demand data.
 */
double params_demand(const struct params *p, int alt, int g, int year, double productivity);

/**
 * @brief Group g's demand in @p year split over the three health sectors (FTE), summing to
 *        params_demand(): out[s] = D x q[s] G[s] / sum q G, q the 2019 split (demand_sector.csv,
 *        else @p fallback, the group's simulated 2019 FTE by sector, else equal thirds), G[s]
 *        the growth index of the service areas sector s runs (demand_area.csv; 1 without it).
 */
void params_demand_sectors(const struct params *p, int alt, int g, int year, double productivity,
                           const double *fallback, double out[N_HSECTORS]);

/** @brief Mean of a position-share distribution, in percent. */
/** @brief Linear interpolation in a (year, value) table, flat outside it. */
double params_year_interp(const int *years, const double *v, int n, int year);

double pshare_dist_mean(const struct pshare_dist *d);

/** @brief The data's position-share distribution of the employed of (g, sector, age). */
#define PARAMS_PSHARE_DIST(p, g, sector, age) (&(p)->pshare[g][sector][age_clamp(age) - AGE_MIN])

#endif
