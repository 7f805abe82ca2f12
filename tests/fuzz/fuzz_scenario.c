/**
 * @file fuzz_scenario.c
 * @brief libFuzzer harness for the scenario loader (sim/scenario.c): any
 *        bytes as a scenario file must give 0 or a one-line error, never a
 *        crash, a leak or undefined behaviour.  `make fuzz` builds and runs it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_file.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char path[64], err[1024];
  if (fuzz_file(data, size, "yaml", path) != 0) return 0;
  struct scenario s;
  if (scenario_load(&s, path, err, sizeof err) == 0) {
    scenario_free(&s);
  } else if (!err[0] || strchr(err, '\n')) {
    __builtin_trap(); /* an error must come with exactly one line of reason */
  }
  return 0;
}
