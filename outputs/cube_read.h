/**
 * @file cube_read.h
 * @brief Reading HDF5 result cubes: opening a file, finding measures and
 *        their dimension scales, reading coordinates, shapes, slabs and
 *        attributes.  Shared by the reader (`hwsim summary` / `compare`,
 *        summary_table.c) and the writer's cube_reopen (cube.c).
 *
 * Every function checks its HDF5 calls and reports failure by its return
 * value; callers that want one-line errors silence HDF5's own error stack
 * with cube_read_hush_begin() / cube_read_hush_end().
 */
#ifndef HWSIM_CUBE_READ_H
#define HWSIM_CUBE_READ_H

#include <hdf5.h>
#include <stddef.h>
#include <stdint.h>

/** Return codes: the file is not as expected (the user's input), or out of memory. */
#define CUBE_READ_EBAD (-1)
#define CUBE_READ_ENOMEM (-2)

/** Longest coordinate read (the replicate axis holds at most SCN_REPLICATES_MAX = 10^6). */
#define CUBE_READ_MAX_COORD (1 << 24)
/** Widest fixed-length label read (hwsim writes variable-length strings; labels are short). */
#define CUBE_READ_MAX_LABEL 4096
/** Most labels a string coordinate may have (hwsim's have at most a few hundred). */
#define CUBE_READ_MAX_LABELS 65536

/** Saved HDF5 automatic error printer, so errors reach the caller as one line. */
struct cube_read_hush {
  H5E_auto2_t func;
  void *data;
};

/** @brief Silence HDF5's error-stack printing (we report our own one-line errors). */
void cube_read_hush_begin(struct cube_read_hush *h);

/** @brief Restore the HDF5 error printer saved by cube_read_hush_begin(). */
void cube_read_hush_end(const struct cube_read_hush *h);

/** One coordinate (dimension scale) as read from a file. */
struct cube_coord {
  char *name;    /**< scale (coordinate dataset) name: set by the caller, freed with the rest */
  int n;         /**< length */
  char **labels; /**< n labels; integer coordinates are formatted with %d */
  int *ivalues;  /**< n integer values, or NULL for string coordinates */
};

/** @brief Free a coordinate's name, labels and values (safe on a zeroed one); zero it. */
void cube_read_coord_free(struct cube_coord *c);

/**
 * @brief Read the 1-D coordinate dataset @p name of @p file, of length @p expect,
 *        into @p c (labels always; ivalues too when it holds integers).
 *        Fixed- and variable-length strings are read in the file's character set.
 * @param path for messages: "PATH: coordinate NAME ..." goes to err (may be NULL)
 * @return 0, CUBE_READ_EBAD or CUBE_READ_ENOMEM; on failure @p c may hold
 *         part of the labels (free it with cube_read_coord_free).
 */
int cube_read_coord(hid_t file, const char *name, hsize_t expect, struct cube_coord *c,
                    const char *path, char *err, size_t errlen);

/**
 * @brief Open the cube @p path read-only.
 * @return 0, or -1 with "PATH: cannot open: ..." / "PATH: not an HDF5 file ..." in err.
 */
int cube_read_open(const char *path, hid_t *file, char *err, size_t errlen);

/**
 * @brief Whether @p v[0..n-1] holds a value twice (the smallest such in *dup).
 * @return 0 if all distinct, 1 if not, CUBE_READ_ENOMEM.
 */
int cube_read_duplicate(const int *v, int n, int *dup);

/** @brief Open dataset @p name of @p file if it exists; -1 otherwise. */
hid_t cube_read_dataset(hid_t file, const char *name);

/** @brief Open measure @p name: a root dataset that is not a dimension scale; -1 otherwise. */
hid_t cube_read_measure(hid_t file, const char *name);

/** @brief The names of the measures of @p file, comma-separated, into buf ("" if none). */
void cube_read_list_measures(hid_t file, char *buf, size_t len);

/** @brief 1 if dataset @p d holds integers or floating-point numbers, else 0. */
int cube_read_is_numeric(hid_t d);

/**
 * @brief Rank of dataset @p d, with its dimensions in dims[] when rank <= @p maxrank
 *        (dims is left alone otherwise).  @return the rank, or -1 on failure.
 */
int cube_read_shape(hid_t d, int maxrank, hsize_t *dims);

/** @brief Length of a 1-D dataset, or -1 if it is not 1-D. */
long long cube_read_len_1d(hid_t d);

/**
 * @brief Name of the dimension scale attached to dimension @p dim of @p d (the
 *        last one when several are, as netCDF does) into buf.  @return 0, or -1 if none.
 */
int cube_read_scale_name(hid_t d, unsigned dim, char *buf, size_t len);

/**
 * @brief Read the hyperslab start[] + count[] of dataset @p d (rank @p rank <=
 *        H5S_MAX_RANK) into @p buf, converted to memory type @p mtype, in C order.
 * @return 0, or -1 on failure.
 */
int cube_read_slab(hid_t d, hid_t mtype, int rank, const hsize_t *start, const hsize_t *count,
                   void *buf);

/**
 * @brief Read string attribute @p key of @p obj (fixed or variable length) into buf
 *        (truncated to len; "" on failure).
 * @return 0; -1 if absent; -2 if present but not a readable string.
 */
int cube_read_attr_str_of(hid_t obj, const char *key, char *buf, size_t len);

/** @brief Read integer attribute @p key of @p obj. @return 0; -1 if absent; -2 if unreadable. */
int cube_read_attr_i64_of(hid_t obj, const char *key, int64_t *out);

/** @brief Read numeric attribute @p key of @p obj as a double. @return 0; -1 absent; -2 bad. */
int cube_read_attr_f64_of(hid_t obj, const char *key, double *out);

/** @brief Read integer root attribute @p key of the HDF5 file @p path. @return 0, or -1. */
int cube_read_attr_i64(const char *path, const char *key, int64_t *out);

/**
 * @brief Read string root attribute @p key of the HDF5 file @p path into buf (truncated to len).
 * @return 0, or -1 if absent.
 */
int cube_read_attr_str(const char *path, const char *key, char *buf, size_t len);

#endif
