/**
 * @file dims.c
 * @brief Label tables for the categorical dimensions (see dims.h).
 */
#include "dims.h"

#include <string.h>

const char *const group_labels[N_GROUPS] = {"nurse",
                                            "health_care_worker",
                                            "physician",
                                            "social_educator",
                                            "medical_secretary",
                                            "physiotherapist",
                                            "psychologist",
                                            "biomedical_lab_scientist",
                                            "dentist",
                                            "public_health_nurse",
                                            "occupational_therapist",
                                            "radiographer",
                                            "midwife",
                                            "dental_hygienist",
                                            "assistant"};
const char *const sex_labels[N_SEXES] = {"female", "male"};
const char *const sector_labels[N_SECTORS] = {"municipal", "specialist", "other_health", "outside",
                                              "not_working"};
const char *const age_band_labels[N_AGE_BANDS] = {"15-19", "20-24", "25-29", "30-34",
                                                  "35-39", "40-44", "45-49", "50-54",
                                                  "55-59", "60-64", "65-69", "70-74"};
const char *const exit_cause_labels[N_EXIT_CAUSES] = {
    "death", "emigration", "disability", "retirement", "transfer_out", "age_out", "conversion_out"};
const char *const entry_source_labels[N_ENTRY_SOURCES] = {
    "graduation", "abroad_graduation", "immigration", "recruitment", "transfer_in",
    "age_in",     "conversion_in"};
const char *const sick_type_labels[N_SICK_TYPES] = {"self_certified", "doctor_certified"};
const char *const pshare_band_labels[N_PSHARE_BANDS] = {"lt50", "50-69", "70-89", "90-99", "100"};

const char *const career_stage_labels[N_OUT_STAGES] = {
    "student", "waiting_lis1", "lis1_hospital", "lis1_municipal",
    "lis",     "specialist",   "no_specialty"};
const char *const specialty_labels[N_SPECIALTIES] = {"none", "general_practice", "psychiatry",
                                                     "child_psychiatry", "other_specialty"};
const char *const doctor_flow_labels[N_DOCTOR_FLOWS] = {"lis1_posts",
                                                        "lis1_applicants",
                                                        "lis1_starts",
                                                        "lis1_queue",
                                                        "lis1_completions",
                                                        "alis_starts",
                                                        "lis_starts",
                                                        "lis_dropouts",
                                                        "new_specialists",
                                                        "gps",
                                                        "gp_lists",
                                                        "lists_without_gp",
                                                        "inhabitants_without_gp",
                                                        "gp_quits",
                                                        "lis1_wait_giveups",
                                                        "mean_list_length",
                                                        "gp_pool",
                                                        "gp_vacancy_hires",
                                                        "gp_locum_spells",
                                                        "lis1_wait_days"};
const char *const approval_route_labels[N_APPROVAL_ROUTES] = {"norwegian_training",
                                                              "eea_conversion"};

int dims_lookup(const char *const *labels, int n, const char *label)
{
  for (int i = 0; i < n; i++)
    if (strcmp(labels[i], label) == 0) return i;
  return -1;
}
