/**
 * @file alloc.h
 * @brief The one allocation helper: every allocation of hwsim goes through
 *        hw_alloc / hw_realloc, which check the size for overflow and, on
 *        failure, return NULL with "out of memory for WHAT (N bytes)" in the
 *        caller's error buffer.  Nothing below the commands prints or exits:
 *        the error travels back up to the one place that reports it (exit 1).
 */
#ifndef HWSIM_ALLOC_H
#define HWSIM_ALLOC_H

#include <stddef.h>

/**
 * @brief @p n elements of @p size bytes, zeroed (at least one byte, so n = 0
 *        is not a failure).
 * @param what what is being allocated, for the message ("the agent store")
 * @param err  where the message goes (may be NULL)
 * @return the memory, or NULL with the message in @p err.
 */
void *hw_alloc(size_t n, size_t size, const char *what, char *err, size_t errlen);

/**
 * @brief Resize @p p to @p n elements of @p size bytes (new bytes not zeroed).
 * @return the memory, or NULL with the message in @p err; @p p is then still
 *         valid and still the caller's to free.
 */
void *hw_realloc(void *p, size_t n, size_t size, const char *what, char *err, size_t errlen);

/** @brief strdup through the same path. */
char *hw_strdup(const char *s, const char *what, char *err, size_t errlen);

#endif
