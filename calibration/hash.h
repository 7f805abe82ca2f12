/**
 * @file hash.h
 * @brief SHA-256 digests as lowercase hex, for provenance: the data tables,
 *        the scenario text and the targets a run or a fit was made from.
 */
#ifndef HWSIM_HASH_H
#define HWSIM_HASH_H

#include <stddef.h>

/** @brief Hex SHA-256 of a buffer into @p out (64 digits and a NUL). */
void sha256_hex(const void *data, size_t len, char out[65]);

/** @brief Hex SHA-256 of a file's bytes into @p out. @return 0, or -1 if it cannot be read. */
int sha256_file_hex(const char *path, char out[65]);

#endif
