/**
 * @file fuzz_file.h
 * @brief For the libFuzzer harnesses: the input as a file, since the loaders
 *        under test read paths.
 */
#ifndef HWSIM_FUZZ_FILE_H
#define HWSIM_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

/** @brief Write @p data to /tmp/hwsim-fuzz-PID.EXT; its path in path[64].  @return 0, or -1. */
static inline int fuzz_file(const uint8_t *data, size_t size, const char *ext, char path[64])
{
  snprintf(path, 64, "/tmp/hwsim-fuzz-%d.%s", (int)getpid(), ext);
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  fwrite(data, 1, size, f);
  fclose(f);
  return 0;
}

#endif
