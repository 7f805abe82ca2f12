/**
 * @file dims.h
 * @brief The model's categorical dimensions: ids, labels and sizes.
 *
 * These labels are a contract (shared/domain/brief.md): they appear in the
 * calibration CSV files, in the HDF5 cube's coordinate datasets and in the
 * CLI's --by columns.  Order matters only inside one build; files carry labels.
 */
#ifndef HWSIM_DIMS_H
#define HWSIM_DIMS_H

enum group_id {
  G_NURSE,
  G_HEALTH_CARE_WORKER,
  G_PHYSICIAN,
  G_SOCIAL_EDUCATOR,
  G_MEDICAL_SECRETARY,
  G_PHYSIOTHERAPIST,
  G_PSYCHOLOGIST,
  G_BIOMEDICAL_LAB_SCIENTIST,
  G_DENTIST,
  G_PUBLIC_HEALTH_NURSE,
  G_OCCUPATIONAL_THERAPIST,
  G_RADIOGRAPHER,
  G_MIDWIFE,
  G_DENTAL_HYGIENIST,
  G_ASSISTANT,
  N_GROUPS
};

enum sex_id { SEX_FEMALE, SEX_MALE, N_SEXES };

/** Where a person works. The first three are the health and care services. */
enum sector_id {
  SEC_MUNICIPAL,    /**< municipal health and care (KHOT) */
  SEC_SPECIALIST,   /**< specialist services, hospitals (SHT) */
  SEC_OTHER_HEALTH, /**< other health: private practice, dental, labs */
  SEC_OUTSIDE,      /**< employed outside the health and care services */
  SEC_NOT_WORKING,  /**< not employed (but alive, resident, below the age limit) */
  N_SECTORS
};
#define SECTOR_IS_HEALTH(s) ((s) <= SEC_OTHER_HEALTH)

/** Single-year ages run from AGE_MIN to AGE_MAX; 5-year bands for output. */
#define AGE_MIN 15
#define AGE_MAX 74
#define N_AGES (AGE_MAX - AGE_MIN + 1)
#define N_AGE_BANDS 12 /* 15-19, 20-24, ..., 70-74 */
#define AGE_BAND(age) (((age)-AGE_MIN) / 5)

/** @brief @p age clamped to the model's single-year ages AGE_MIN..AGE_MAX. */
static inline int age_clamp(int age)
{
  return age < AGE_MIN ? AGE_MIN : age > AGE_MAX ? AGE_MAX : age;
}

/** Reasons a person leaves a cube cell (group x sex x age band x sector). */
enum exit_cause {
  EXIT_DEATH,
  EXIT_EMIGRATION,
  EXIT_DISABILITY,
  EXIT_RETIREMENT,
  EXIT_TRANSFER_OUT, /**< moved to another sector (see the transitions dataset) */
  EXIT_AGE_OUT,      /**< aged into the next age band */
  EXIT_CONVERSION,   /**< changed group: qualified in another (see the conversions dataset) */
  N_EXIT_CAUSES
};

/** Ways a person enters a cube cell. */
enum entry_source {
  ENTRY_GRADUATION,  /**< completed a Norwegian education programme */
  ENTRY_ABROAD_GRAD, /**< Norwegian who studied abroad, returning */
  ENTRY_IMMIGRATION, /**< foreign-educated, new authorisation */
  ENTRY_RECRUITMENT, /**< hired without health or social education (assistants) */
  ENTRY_TRANSFER_IN, /**< moved in from another sector */
  ENTRY_AGE_IN,      /**< aged in from the previous age band */
  ENTRY_CONVERSION,  /**< qualified from another group (see the conversions dataset) */
  N_ENTRY_SOURCES
};

/** Completed years since graduation tracked for early-career retention. */
#define N_GRAD_YEARS 16

/** Quarters of the year (sick-leave seasonality, sick_season.csv). */
#define N_QUARTERS 4

/** Sick-leave types. */
enum sick_type { SICK_SELF, SICK_DOCTOR, N_SICK_TYPES };

/** A full-time position share, in percent: the top of the ladder and of every measure. */
#define PSHARE_FULL 100

/** Position-share bands for the band-count dataset (upper bounds in percent). */
#define N_PSHARE_BANDS 5 /* <50, 50-69, 70-89, 90-99, 100 */
#define PSHARE_BAND(p) ((p) < 50 ? 0 : (p) < 70 ? 1 : (p) < 90 ? 2 : (p) < PSHARE_FULL ? 3 : 4)

/** Physicians' career stages (agents/doctors.c).  CS_NONE: not a physician. */
enum career_stage {
  CS_NONE,
  CS_STUDENT,       /**< medical student in Norway (abroad: arrives as waiting) */
  CS_WAITING,       /**< authorised, waiting for a LIS1 post */
  CS_LIS1_HOSPITAL, /**< LIS1, the 12 months in a hospital */
  CS_LIS1_MUNI,     /**< LIS1, the 6 months in a municipality */
  CS_LIS,           /**< LIS2/LIS3 in a specialty (ALIS for general practice) */
  CS_SPECIALIST,    /**< approved specialist */
  CS_NO_SPECIALTY,  /**< finished LIS1 (or gave up waiting, or left training): no specialty */
  N_CAREER_STAGES
};
#define N_OUT_STAGES (N_CAREER_STAGES - 1) /* the cube's career_stage axis: all but CS_NONE */

/** Specialty families of LIS and specialists. */
enum specialty {
  SP_NONE,
  SP_GENERAL_PRACTICE,
  SP_PSYCHIATRY,
  SP_CHILD_PSYCHIATRY,
  SP_OTHER,
  N_SPECIALTIES
};

/** Doctors' yearly flows and stocks (the doctor_flows dataset). */
enum doctor_flow {
  DF_LIS1_POSTS,             /**< LIS1 posts advertised in the year's two rounds */
  DF_LIS1_APPLICANTS,        /**< applicants, summed over the two rounds */
  DF_LIS1_STARTS,            /**< doctors who started LIS1 */
  DF_LIS1_QUEUE,             /**< waiting for a LIS1 post at 31 December */
  DF_LIS1_COMPLETIONS,       /**< finished LIS1 */
  DF_ALIS_STARTS,            /**< started specialisation in general practice (ALIS) */
  DF_LIS_STARTS,             /**< started LIS2/LIS3 in any specialty (ALIS included) */
  DF_LIS_DROPOUTS,           /**< left LIS1 or LIS2/3 without finishing */
  DF_NEW_SPECIALISTS,        /**< specialist approvals (Norwegian training + EEA conversions) */
  DF_GPS,                    /**< GPs holding a list at 31 December */
  DF_GP_LISTS,               /**< lists to be staffed at 31 December */
  DF_LISTS_WITHOUT_GP,       /**< lists without a GP at 31 December */
  DF_INHABITANTS_WITHOUT_GP, /**< inhabitants on lists without a GP */
  DF_GP_QUITS,               /**< GPs who gave up their list (staying in work) */
  DF_WAIT_GIVEUPS,           /**< stopped applying for LIS1 */
  DF_MEAN_LIST_LENGTH,       /**< inhabitants on lists held by a GP / GPs, 31 December */
  DF_GP_POOL,                /**< doctors the municipalities could hire into vacant lists */
  DF_GP_VACANCY_HIRES,       /**< hires into vacant lists the matching gave (start of year) */
  DF_GP_LOCUM_SPELLS,        /**< GPs' sick spells of a month or more started (a locum serves) */
  DF_LIS1_WAIT_DAYS,         /**< days from entry into work to the LIS1 start, summed over the
                                  year's starts (mean wait = lis1_wait_days / lis1_starts) */
  N_DOCTOR_FLOWS
};

/** How a specialist approval came about. */
enum approval_route { AR_NORWEGIAN, AR_EEA, N_APPROVAL_ROUTES };

extern const char *const career_stage_labels[N_OUT_STAGES];
extern const char *const specialty_labels[N_SPECIALTIES];
extern const char *const doctor_flow_labels[N_DOCTOR_FLOWS];
extern const char *const approval_route_labels[N_APPROVAL_ROUTES];
extern const char *const group_labels[N_GROUPS];
extern const char *const sex_labels[N_SEXES];
extern const char *const sector_labels[N_SECTORS];
extern const char *const age_band_labels[N_AGE_BANDS];
extern const char *const exit_cause_labels[N_EXIT_CAUSES];
extern const char *const entry_source_labels[N_ENTRY_SOURCES];
extern const char *const sick_type_labels[N_SICK_TYPES];
extern const char *const pshare_band_labels[N_PSHARE_BANDS];

/** @brief Index of @p label in @p labels[0..n), or -1. */
int dims_lookup(const char *const *labels, int n, const char *label);

#endif
