/**
 * @file cli.h
 * @brief One table-driven option parser for every subcommand (run, summary,
 *        compare, bench, calibrate).
 *
 * A subcommand lists its options in a `struct cli_opt` table; `cli_parse`
 * walks argv once and gives every error the same one-line form:
 *   hwsim run: unknown option '--fast' (expected -o, --replicates, ...)
 *   hwsim run: option '-o' needs a value
 *   hwsim run: --seed 'abc' is not a seed (expected a non-negative integer)
 *   hwsim run: --threads '0' is not a thread count (expected 1..1024)
 * `--name=value` is accepted as well as `--name value`.
 */
#ifndef HWSIM_CLI_H
#define HWSIM_CLI_H

/** The exit codes of every subcommand (README, "Failure modes"). */
enum hwsim_exit {
  HWSIM_EXIT_OK = 0,
  HWSIM_EXIT_FAILED = 1,    /**< an I/O or internal failure */
  HWSIM_EXIT_BAD_INPUT = 2, /**< bad arguments or input files */
  HWSIM_EXIT_STOPPED =
      130 /**< stopped cleanly by a signal (128 + SIGINT, as a shell reports Ctrl-C) */
};

/** What an option takes. */
enum cli_kind {
  CLI_FLAG, /**< no value: stores `flag_value` into *(int *)dst */
  CLI_STR,  /**< a non-empty string: stores the argument into *(const char **)dst */
  CLI_INT,  /**< a whole number in [min, max]: stores into *(int *)dst */
  CLI_U64   /**< a non-negative whole number up to max (0: any): *(unsigned long long *)dst */
};

/** One option of a subcommand. */
struct cli_opt {
  const char *name;  /**< long name, e.g. "--replicates" */
  const char *alias; /**< short alias, e.g. "-o", or NULL */
  enum cli_kind kind;
  void *dst;          /**< where the value goes (see cli_kind) */
  long long min, max; /**< bounds of CLI_INT (and max of CLI_U64, 0 = unbounded) */
  const char *what;   /**< for errors: "a replicate count", "a seed", "a year" */
  int flag_value;     /**< the value a CLI_FLAG stores (usually 1) */
  int *seen;          /**< set to 1 when the option is given (may be NULL) */
};

/** A subcommand's options and positional arguments. */
struct cli_spec {
  const char *cmd;            /**< "hwsim run": the prefix of every message */
  const struct cli_opt *opts; /**< the option table */
  int nopts;
  const char **pos;     /**< positional arguments are stored here, */
  int max_pos;          /**< up to this many; one more is an error, */
  int *npos;            /**< and counted here */
  const char *pos_what; /**< for that error: "one scenario file" */
  const char *usage;    /**< printed to stdout for -h / --help */
};

/**
 * @brief Parse argv[1..argc) against @p spec.
 * @return 0 when parsed; 1 when help was asked for and printed (exit 0);
 *         2 after printing a one-line error to stderr (exit 2).
 */
int cli_parse(const struct cli_spec *spec, int argc, char **argv);

/** @brief Parse a whole non-negative decimal integer; -1 if @p s is not one. */
int cli_parse_u64(const char *s, unsigned long long *out);

#endif
