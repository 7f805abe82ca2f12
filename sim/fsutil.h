/**
 * @file fsutil.h
 * @brief Small file-system checks shared by the commands that write files:
 *        whether two names are one file, which file of a directory a file is,
 *        and creating an output's directories.  They keep an output from ever
 *        landing on an input (issue 14).
 */
#ifndef HWSIM_FSUTIL_H
#define HWSIM_FSUTIL_H

#include <stddef.h>
#include <sys/stat.h>

/** @brief Whether the existing file @p b is the file @p a describes (device and inode). */
int fs_same_file(const struct stat *a, const char *b);

/**
 * @brief The name of the entry of directory @p dir that is the file @p st,
 *        copied into @p name; NULL when none is (or @p dir cannot be read).
 */
const char *fs_entry_of(const char *dir, const struct stat *st, char *name, size_t len);

/** @brief mkdir -p for the directory part of @p path.  @return 0, or -1 with errno set. */
int fs_make_parent_dirs(const char *path);

/**
 * @brief Whether the directory part of @p path exists but is not a directory
 *        (so nothing can be written there); that part is copied into @p dir.
 */
int fs_parent_not_dir(const char *path, char *dir, size_t len);

#endif
