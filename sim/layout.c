/**
 * @file layout.c
 * @brief The cube layout from the measures table (sim/measures.h); the
 *        output dictionary is docs/outputs.md.
 */
#include "layout.h"

#include <string.h>

_Static_assert(N_AXES <= CUBE_MAX_LAYOUT_AXES, "more axes than a cube layout holds");
_Static_assert(N_MEASURES <= CUBE_MAX_MEASURES, "more measures than a cube layout holds");
_Static_assert(MEASURE_MAX_AXES <= CUBE_MAX_AXES, "a measure has more axes than a cube holds");

void layout_build(struct cube_layout *L, int start, int end, int *years)
{
  memset(L, 0, sizeof *L);
  for (int y = start; y <= end; y++)
    years[y - start] = y;
  L->naxes = N_AXES;
  for (int i = 0; i < N_AXES; i++) {
    const struct axis_def *a = &axis_defs[i];
    L->axes[i] = (struct cube_axis){a->name, a->long_name, a->n, a->labels, a->values};
  }
  L->axes[A_YEAR].n = end - start + 1;
  L->axes[A_YEAR].values = years;
  L->nmeasures = N_MEASURES;
  for (int m = 0; m < N_MEASURES; m++) {
    const struct measure_def *d = &measure_defs[m];
    struct cube_measure *c = &L->measures[m];
    c->name = d->name;
    c->long_name = d->long_name;
    c->units = d->units;
    c->cell_method = d->cell_method;
    c->scale_factor = d->scale_factor;
    c->naxes = d->naxes;
    memcpy(c->axes, d->axes, sizeof(int) * (size_t)d->naxes);
  }
}

void layout_slabs(const struct replicate_out *o, const int32_t *slabs[N_MEASURES])
{
  for (int m = 0; m < N_MEASURES; m++)
    slabs[m] = o->m[m];
}

void layout_print_datasets(FILE *out)
{
  fputs("dataset,axes,units,scale_factor,long_name\n", out);
  for (int m = 0; m < N_MEASURES; m++) {
    const struct measure_def *d = &measure_defs[m];
    fprintf(out, "%s,\"", d->name);
    for (int k = 0; k < d->naxes; k++)
      fprintf(out, "%s%s", k ? ", " : "", axis_defs[d->axes[k]].name);
    fprintf(out, "\",\"%s\",%g,\"%s\"\n", d->units, d->scale_factor, d->long_name);
  }
}
