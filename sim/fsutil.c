/**
 * @file fsutil.c
 * @brief File-system checks for the commands that write files (see fsutil.h).
 */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int fs_same_file(const struct stat *a, const char *b)
{
  struct stat sb;
  return stat(b, &sb) == 0 && sb.st_dev == a->st_dev && sb.st_ino == a->st_ino;
}

const char *fs_entry_of(const char *dir, const struct stat *st, char *name, size_t len)
{
  DIR *d = opendir(dir);
  const char *found = NULL;
  for (struct dirent *e; d && !found && (e = readdir(d));) {
    char path[2200];
    snprintf(path, sizeof path, "%.1900s/%.255s", dir, e->d_name);
    if (e->d_name[0] != '.' && fs_same_file(st, path)) {
      snprintf(name, len, "%s", e->d_name);
      found = name;
    }
  }
  if (d) closedir(d);
  return found;
}

int fs_make_parent_dirs(const char *path)
{
  char buf[1024];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  return 0;
}

int fs_parent_not_dir(const char *path, char *dir, size_t len)
{
  snprintf(dir, len, "%s", path);
  char *slash = strrchr(dir, '/');
  if (!slash || slash == dir) return 0;
  *slash = '\0';
  struct stat st;
  return stat(dir, &st) == 0 && !S_ISDIR(st.st_mode);
}
