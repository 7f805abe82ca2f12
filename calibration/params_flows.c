/**
 * @file params_flows.c
 * @brief The flows into and between groups: the entry propensity of
 *        entry.csv's shares (the table itself is read by the generic filler in
 *        params.c) and conversion.csv (hazards of changing group while working
 *        in the health services).  Formats in calibration/norway/README.md.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "csvtab.h"
#include "params.h"
#include "params_load.h"

double params_entry_share(const struct params *p, int g, int channel, int age)
{
  double s = p->entry_health[g][channel];
  if (channel != ENTRY_GRADUATION && channel != ENTRY_ABROAD_GRAD) return s;
  const double m = p->mult[MP_ENTRY][g][AGE_BAND(age_clamp(age))];
  if (m == 1.0 || s <= 0.0 || s >= 1.0) return s; /* odds 0 and infinity stay put */
  const double odds = s / (1.0 - s) * m;
  return odds / (1.0 + odds);
}

/** @brief The slot of destination @p to among g's conversions, added if new; -1 when full. */
static int conv_slot(struct params *p, int g, int to)
{
  for (int k = 0; k < p->n_conv[g]; k++)
    if (p->conv_to[g][k] == to) return k;
  if (p->n_conv[g] == MAX_CONV_TO) return -1;
  p->conv_to[g][p->n_conv[g]] = to;
  return p->n_conv[g]++;
}

/** What conversion.csv's `sector` column may say: the person keeps its sector, or starts in one
 *  drawn from the destination group's base stock. */
static const char *const conv_sector_labels[] = {"keep", "entry"};

int params_load_conversion(struct params *p, const char *dir, char *err, size_t errlen)
{
  memset(p->n_conv, 0, sizeof p->n_conv);
  memset(p->conv, 0, sizeof p->conv);
  memset(p->conv_sector_entry, 0, sizeof p->conv_sector_entry);
  char path[512];
  if (access(params_path(path, sizeof path, dir, "conversion.csv"), F_OK) != 0) return 0;
  static const struct csvtab_col cols[] = {{"from_group", COL_GROUP, 0, 0, NULL, 0},
                                           {"to_group", COL_GROUP, 0, 0, NULL, 0},
                                           AGES,
                                           {"rate", COL_RATE, 0, 0, NULL, 0},
                                           {"sector", COL_LABEL, 0, 0, conv_sector_labels, 2},
                                           SRC};
  struct csvtab t;
  if (params_table_load(p, &t, dir, "conversion.csv", cols, NCOLS(cols), err, errlen)) return -1;
  int line_at[N_GROUPS][MAX_CONV_TO][N_AGES]; /* the row that gave a cell; 0 = none */
  int sector_line[N_GROUPS][MAX_CONV_TO];     /* the first row that gave the pair's sector */
  memset(line_at, 0, sizeof line_at);
  memset(sector_line, 0, sizeof sector_line);
  int rc = -1;
  for (int i = 0; i < t.nrows; i++) {
    const struct csvtab_row *r = &t.rows[i];
    const int g = (int)r->v[0], to = (int)r->v[1], a0 = (int)r->v[2], a1 = (int)r->v[3];
    if (g == CSVTAB_ALL || to == CSVTAB_ALL) {
      snprintf(err, errlen,
               "%s:%d: group 'all' is not allowed here (expected one from_group and one to_group)",
               t.path, r->line);
      goto out;
    }
    if (g == to) {
      snprintf(err, errlen, "%s:%d: from_group and to_group are both %s (expected two groups)",
               t.path, r->line, group_labels[g]);
      goto out;
    }
    if (a1 < a0) {
      snprintf(err, errlen, "%s:%d: age_to %d < age_from %d (expected an increasing range)", t.path,
               r->line, a1, a0);
      goto out;
    }
    const int k = conv_slot(p, g, to);
    if (k < 0) {
      snprintf(err, errlen, "%s:%d: too many to_groups for %s (expected at most %d)", t.path,
               r->line, group_labels[g], MAX_CONV_TO);
      goto out;
    }
    const int entry = (int)r->v[5];
    if (sector_line[g][k] && p->conv_sector_entry[g][k] != entry) {
      snprintf(err, errlen,
               "%s:%d: sector '%s' for %s to %s, but line %d says '%s' (expected one sector rule "
               "per pair of groups)",
               t.path, r->line, conv_sector_labels[entry], group_labels[g], group_labels[to],
               sector_line[g][k], conv_sector_labels[p->conv_sector_entry[g][k]]);
      goto out;
    }
    if (!sector_line[g][k]) sector_line[g][k] = r->line;
    p->conv_sector_entry[g][k] = entry;
    for (int a = a0; a <= a1; a++) {
      if (line_at[g][k][a - AGE_MIN]) {
        snprintf(err, errlen, "%s:%d: duplicate cell (%s to %s at age %d: line %d gives it)",
                 t.path, r->line, group_labels[g], group_labels[to], a, line_at[g][k][a - AGE_MIN]);
        goto out;
      }
      line_at[g][k][a - AGE_MIN] = r->line;
      p->conv[g][k][a - AGE_MIN] = r->v[4];
    }
  }
  rc = 0;
out:
  csvtab_free(&t);
  return rc;
}
