/**
 * @file layout.c
 * @brief The output dictionary in code: see docs/outputs.md.
 */
#include "layout.h"

#include <string.h>

enum axis_id { A_YEAR, A_GROUP, A_SEX, A_AGE, A_SECTOR, A_SICK, A_SOURCE, A_CAUSE, A_FROM, A_TO,
               A_PBAND, A_SAGE, A_GYEARS, A_STAGE, A_SPEC, A_DFLOW, A_ROUTE, N_AXES };

static int single_ages[N_AGES], grad_years[N_GRAD_YEARS];

static void axis(struct cube_layout *L, int i, const char *name, const char *long_name, int n,
                 const char *const *labels, const int *values)
{
  L->axes[i] = (struct cube_axis){name, long_name, n, labels, values};
}

static void measure(struct cube_layout *L, int m, const char *name, const char *long_name,
                    const char *units, const char *cell_method, double scale, int naxes,
                    const int *axes)
{
  struct cube_measure *c = &L->measures[m];
  c->name = name;
  c->long_name = long_name;
  c->units = units;
  c->cell_method = cell_method;
  c->scale_factor = scale;
  c->naxes = naxes;
  memcpy(c->axes, axes, sizeof(int) * (size_t)naxes);
}

void layout_build(struct cube_layout *L, int start, int end, int *years)
{
  memset(L, 0, sizeof *L);
  for (int y = start; y <= end; y++) years[y - start] = y;
  L->naxes = N_AXES;
  axis(L, A_YEAR, "year", "calendar year (stocks at 31 December; the first year is the base stock)",
       end - start + 1, NULL, years);
  axis(L, A_GROUP, "group", "personnel group by education (HELSEMOD groups + assistant)",
       N_GROUPS, group_labels, NULL);
  axis(L, A_SEX, "sex", "sex", N_SEXES, sex_labels, NULL);
  axis(L, A_AGE, "age_band", "age at 31 December, 5-year bands", N_AGE_BANDS, age_band_labels,
       NULL);
  axis(L, A_SECTOR, "sector", "where the person works", N_SECTORS, sector_labels, NULL);
  axis(L, A_SICK, "sick_type", "type of sick leave", N_SICK_TYPES, sick_type_labels, NULL);
  axis(L, A_SOURCE, "source", "how a person entered the cell", N_ENTRY_SOURCES,
       entry_source_labels, NULL);
  axis(L, A_CAUSE, "cause", "why a person left the cell", N_EXIT_CAUSES, exit_cause_labels, NULL);
  axis(L, A_FROM, "from_sector", "sector before a move", N_SECTORS, sector_labels, NULL);
  axis(L, A_TO, "to_sector", "sector after a move", N_SECTORS, sector_labels, NULL);
  axis(L, A_PBAND, "pshare_band", "position-share band (percent of full time)", N_PSHARE_BANDS,
       pshare_band_labels, NULL);
  for (int a = 0; a < N_AGES; a++) single_ages[a] = AGE_MIN + a;
  for (int k = 0; k < N_GRAD_YEARS; k++) grad_years[k] = k;
  axis(L, A_SAGE, "age", "age in completed years at the event", N_AGES, NULL, single_ages);
  axis(L, A_GYEARS, "years_since_graduation", "completed years since graduation at 31 December",
       N_GRAD_YEARS, NULL, grad_years);
  axis(L, A_STAGE, "career_stage", "physicians' career stage at 31 December", N_OUT_STAGES,
       career_stage_labels, NULL);
  axis(L, A_SPEC, "specialty", "specialty family (of LIS and specialists; none otherwise)",
       N_SPECIALTIES, specialty_labels, NULL);
  axis(L, A_DFLOW, "doctor_flow", "doctors' flows (sum over the year) and stocks (31 December)",
       N_DOCTOR_FLOWS, doctor_flow_labels, NULL);
  axis(L, A_ROUTE, "route", "how a specialist approval came about", N_APPROVAL_ROUTES,
       approval_route_labels, NULL);
  const int cellax[] = {A_YEAR, A_GROUP, A_SEX, A_AGE, A_SECTOR};
  const int sickax[] = {A_YEAR, A_GROUP, A_SEX, A_AGE, A_SECTOR, A_SICK};
  const int entax[] = {A_YEAR, A_SOURCE, A_GROUP, A_SEX, A_AGE, A_SECTOR};
  const int exax[] = {A_YEAR, A_CAUSE, A_GROUP, A_SEX, A_AGE, A_SECTOR};
  const int trax[] = {A_YEAR, A_GROUP, A_FROM, A_TO};
  const int pbax[] = {A_YEAR, A_GROUP, A_SECTOR, A_PBAND};
  const int stax[] = {A_YEAR, A_GROUP, A_SEX};
  const int eaax[] = {A_YEAR, A_CAUSE, A_GROUP, A_SAGE};
  const int grax[] = {A_YEAR, A_GROUP, A_GYEARS, A_SECTOR};
  const int ygax[] = {A_YEAR, A_GROUP};
  const int docax[] = {A_YEAR, A_STAGE, A_SPEC, A_SECTOR};
  const int dfax[] = {A_YEAR, A_DFLOW};
  const int nsax[] = {A_YEAR, A_SPEC, A_ROUTE};
  L->nmeasures = N_MEASURES;
  measure(L, M_PERSONS, "persons", "persons (headcount)", "persons", "point: 31 December", 1, 5,
          cellax);
  measure(L, M_FTE, "fte", "contracted FTE (sum of position shares)", "FTE",
          "point: 31 December", 0.01, 5, cellax);
  measure(L, M_FTE_AVG, "fte_avg", "contracted FTE averaged over the year", "FTE-years",
          "mean: year", 0.01, 5, cellax);
  measure(L, M_FTE_WORKED, "fte_worked", "worked FTE averaged over the year, net of sick leave",
          "FTE-years", "mean: year", 0.01, 5, cellax);
  measure(L, M_SICK, "sick_leave_fte", "FTE-years absent on sick leave", "FTE-years",
          "sum: year", 0.01, 6, sickax);
  measure(L, M_ENTRIES, "entries", "persons entering the cell during the year", "persons",
          "sum: year", 1, 6, entax);
  measure(L, M_EXITS, "exits", "persons leaving the cell during the year", "persons",
          "sum: year", 1, 6, exax);
  measure(L, M_TRANSITIONS, "transitions", "moves between sectors during the year", "persons",
          "sum: year", 1, 4, trax);
  measure(L, M_PSHARE_BAND, "persons_by_pshare", "employed persons by position-share band",
          "persons", "point: 31 December", 1, 4, pbax);
  measure(L, M_STUDENTS, "students", "students in Norwegian programmes", "persons",
          "point: 31 December", 1, 3, stax);
  measure(L, M_EXITS_AGE, "exits_by_age", "persons leaving a cell during the year, by age",
          "persons", "sum: year", 1, 4, eaax);
  measure(L, M_GRADUATES, "graduates",
          "Norwegian graduates of the simulated years by years since graduation and sector",
          "persons", "point: 31 December", 1, 4, grax);
  measure(L, M_DEMAND, "demand",
          "HELSEMOD demand (scenario's alternative and productivity growth); 0 where not published",
          "FTE", "point: year", 0.01, 2, ygax);
  measure(L, M_GAP, "gap",
          "supply - demand: contracted FTE in the health services at 31 December minus demand",
          "FTE", "point: 31 December", 0.01, 2, ygax);
  measure(L, M_DOCTORS, "doctors",
          "physicians by career stage, specialty family and sector (students under not_working)",
          "persons", "point: 31 December", 1, 4, docax);
  measure(L, M_DOCTOR_FTE, "doctor_fte", "physicians' contracted FTE by career stage, specialty and sector",
          "FTE", "point: 31 December", 0.01, 4, docax);
  measure(L, M_DOCTOR_FLOWS, "doctor_flows",
          "LIS1 posts, applicants, starts, queue; LIS and ALIS starts; approvals; GPs and lists",
          "persons (lists for gp_lists and lists_without_gp)", "see doctor_flow", 1, 2, dfax);
  measure(L, M_NEW_SPECIALISTS, "new_specialists", "specialist approvals by specialty and route",
          "persons", "sum: year", 1, 3, nsax);
}

void layout_slabs(const struct replicate_out *o, const int32_t *slabs[N_MEASURES])
{
  slabs[M_PERSONS] = o->persons;
  slabs[M_FTE] = o->fte;
  slabs[M_FTE_AVG] = o->fte_avg;
  slabs[M_FTE_WORKED] = o->fte_worked;
  slabs[M_SICK] = o->sick;
  slabs[M_ENTRIES] = o->entries;
  slabs[M_EXITS] = o->exits;
  slabs[M_TRANSITIONS] = o->transitions;
  slabs[M_PSHARE_BAND] = o->pshare_band;
  slabs[M_STUDENTS] = o->students;
  slabs[M_EXITS_AGE] = o->exits_age;
  slabs[M_GRADUATES] = o->graduates;
  slabs[M_DEMAND] = o->demand;
  slabs[M_GAP] = o->gap;
  slabs[M_DOCTORS] = o->doctors;
  slabs[M_DOCTOR_FTE] = o->doctor_fte;
  slabs[M_DOCTOR_FLOWS] = o->doctor_flows;
  slabs[M_NEW_SPECIALISTS] = o->new_specialists;
}
