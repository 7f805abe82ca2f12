/**
 * @file rng.h
 * @brief PCG32 (XSH-RR, 64-bit state; O'Neill 2014) and the stateless hashing
 *        that keys one stream per (seed, replicate, agent id).
 *
 * Why our own: it is 40 lines, checked against the published known-answer
 * vector (seed 42, stream 54), and inlining it into the event loop matters.
 */
#ifndef HWSIM_RNG_H
#define HWSIM_RNG_H

#include <math.h>
#include <stdint.h>

/** A PCG32 generator: 64-bit LCG state and an odd increment selecting the stream. */
struct pcg32 {
  uint64_t state;
  uint64_t inc;
};

#define PCG32_MULT 6364136223846793005ULL

/** @brief Next 32-bit output (pcg32_random_r of the reference implementation). */
static inline uint32_t pcg32_next(struct pcg32 *r)
{
  uint64_t old = r->state;
  r->state = old * PCG32_MULT + r->inc;
  uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
  uint32_t rot = (uint32_t)(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

/** @brief Seed like pcg32_srandom_r(initstate, initseq) of the reference code. */
static inline void pcg32_seed(struct pcg32 *r, uint64_t initstate, uint64_t initseq)
{
  r->state = 0u;
  r->inc = (initseq << 1u) | 1u;
  pcg32_next(r);
  r->state += initstate;
  pcg32_next(r);
}

/** @brief Jump the generator ahead by @p delta steps in O(log delta) (Brown 1994). */
void pcg32_advance(struct pcg32 *r, uint64_t delta);

/** @brief Uniform double in the open interval (0, 1), from one 32-bit output. */
static inline double pcg32_uniform(struct pcg32 *r)
{
  return ((double)pcg32_next(r) + 0.5) * (1.0 / 4294967296.0);
}

/* Ziggurat tables for the unit exponential (Marsaglia and Tsang 2000), 256
 * layers: constants generated at build time (tools/gen_rng_tables.c). */
#define RNG_ZIG_LAYERS 256                 /**< layers of equal area (a power of 2) */
#define RNG_ZIG_MASK (RNG_ZIG_LAYERS - 1u) /**< a 32-bit output's layer bits */
#define RNG_ZIG_R 7.697117470131487        /**< where the tail starts (Marsaglia and Tsang 2000) */
extern const uint32_t rng_zig_k[RNG_ZIG_LAYERS];
extern const double rng_zig_w[RNG_ZIG_LAYERS], rng_zig_f[RNG_ZIG_LAYERS];

/** @brief The ziggurat's slow path (wedges and tail), out of line. */
double rng_exp_fix(struct pcg32 *r, uint32_t j, int i);

/**
 * @brief Unit exponential by the ziggurat method: in about 98.9 % of draws two
 *        32-bit outputs (layer, position) and one multiply, no logarithm.  The
 *        layer and the position use separate outputs (no layer/value
 *        correlation, Doornik 2005).
 */
static inline double pcg32_exp1(struct pcg32 *r)
{
  int i = (int)(pcg32_next(r) & RNG_ZIG_MASK);
  uint32_t j = pcg32_next(r);
  if (j < rng_zig_k[i]) return (double)j * rng_zig_w[i];
  return rng_exp_fix(r, j, i);
}

/** @brief Exponential waiting time with rate @p lambda (> 0) (ziggurat). */
static inline double pcg32_exponential(struct pcg32 *r, double lambda)
{
  return pcg32_exp1(r) / lambda;
}

/** @brief Standard normal by Box-Muller (uses two outputs, discards the twin). */
static inline double pcg32_normal(struct pcg32 *r)
{
  double u1 = pcg32_uniform(r), u2 = pcg32_uniform(r);
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

/**
 * Standard-normal quantiles at k / RNG_NQ, k = 0..RNG_NQ (ends clamped), for
 * fast draws: constants generated at build time (tools/gen_rng_tables.c).
 */
#define RNG_NQ 4096
extern const double rng_normal_q[RNG_NQ + 1];

/** @brief Acklam's rational approximation of the standard normal quantile (|rel err| < 1.2e-9). */
double rng_normal_icdf(double p);

/**
 * @brief The standard normal quantile of u in [0, 1) by linear interpolation
 *        in the quantile table: no transcendental call.  The table's end cells are
 *        clamped at the quantiles of 0.5/RNG_NQ (|z| <= 3.67); the quantile
 *        error elsewhere is below 1e-4.
 */
static inline double rng_normal_at(double u)
{
  double x = u * RNG_NQ;
  int i = (int)x;
  double f = x - i;
  return rng_normal_q[i] + f * (rng_normal_q[i + 1] - rng_normal_q[i]);
}

/** @brief A standard normal from the agent's stream via rng_normal_at. */
static inline double pcg32_normal_fast(struct pcg32 *r)
{
  return rng_normal_at(pcg32_uniform(r));
}

/** @brief Unbiased integer in [0, bound) (Lemire 2019, multiply and reject). */
uint32_t pcg32_bounded(struct pcg32 *r, uint32_t bound);

/** @brief SplitMix64 finaliser: a bijective 64-bit mix. */
static inline uint64_t rng_mix64(uint64_t z)
{
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/** @brief Hash of a key tuple (seed, replicate, id, purpose) to 64 bits. */
static inline uint64_t rng_key(uint64_t seed, uint64_t replicate, uint64_t id, uint64_t purpose)
{
  return rng_mix64(rng_mix64(rng_mix64(rng_mix64(seed) ^ replicate) ^ id) ^ purpose);
}

/**
 * @brief A uniform in [0, 1) from the hash of (seed, replicate, id, purpose):
 *        a stateless draw that consumes nothing from any stream (intervention
 *        coverage, the doctors' lotteries).
 */
static inline double rng_key_uniform(uint64_t seed, uint64_t replicate, uint64_t id,
                                     uint64_t purpose)
{
  return (double)(rng_key(seed, replicate, id, purpose) >> 11) * (1.0 / 9007199254740992.0);
}

/**
 * Every purpose that keys a stream or a hash draw, in one place so that no two
 * uses can share a key.  The values are part of the results (changing one
 * changes every run); ranges are reserved where a purpose is offset by an
 * index.
 */
enum rng_purpose {
  RNG_AGENT = 0,       /**< an agent's own stream: state */
  RNG_AGENT_INC = 1,   /**< an agent's own stream: increment */
  RNG_BASE_POP = 2,    /**< the base population's synthesis */
  RNG_INTAKE = 3,      /**< a year's study intake */
  RNG_INFLOW = 4,      /**< a year's immigrants, returning graduates and recruits */
  RNG_PARAMS = 5,      /**< a parameter-uncertainty draw */
  RNG_DEMAND = 6,      /**< a draw's demand alternative (`demand: draw`) */
  RNG_SHIFT = 7,       /**< whether a person works rotating shifts (rota.csv) */
  RNG_ASSUMED = 8,     /**< an assumed input's draw (assumed.csv), keyed by (seed, draw, row);
                            a measure's ranged size by id RNG_RANGE_ID0 + 3 measure + size */
  RNG_IV_BASE = 100,   /**< + measure index (< 100): a per-person measure's coverage */
  RNG_DOC_BASE = 200,  /**< + doctor_base.csv row (< 60): the doctors' base stages */
  RNG_DOC_TIMER = 260, /**< the doctors' base timers */
  RNG_DOC_NEW = 270,   /**< an immigrant doctor: specialist or not, and which specialty */
  RNG_DOC_HOURS = 280, /**< a GP's individual hours multiplier */
  RNG_DOC_YEAR = 1000  /**< + RNG_DOC_YEAR_KEYS x (year - RNG_YEAR_ORIGIN) + k: LIS1 rounds,
                            lottery, quit times */
};
#define RNG_RANGE_ID0 1000u  /**< RNG_ASSUMED ids of the measures' ranged sizes start here */
#define RNG_YEAR_ORIGIN 1900 /**< yearly keys count calendar years from here */
#define RNG_DOC_YEAR_KEYS 8u /**< hash purposes a year from RNG_DOC_YEAR (k < 8) */
/** Stream ids of the yearly cohorts: year x RNG_GROUP_SLOTS + group (study intake), and for
 *  the inflow channels (year x RNG_GROUP_SLOTS + group) x RNG_CHANNEL_SLOTS + channel. */
#define RNG_GROUP_SLOTS 64
#define RNG_CHANNEL_SLOTS 4

/** @brief The stream increment of agent @p id (recomputed, never stored). */
static inline uint64_t rng_agent_inc(uint64_t seed, uint64_t replicate, uint64_t id)
{
  return (rng_key(seed, replicate, id, RNG_AGENT_INC) << 1u) | 1u;
}

/** @brief Initialise agent @p id's stream: state and increment both from the key. */
static inline void rng_agent_stream(struct pcg32 *r, uint64_t seed, uint64_t replicate, uint64_t id)
{
  pcg32_seed(r, rng_key(seed, replicate, id, RNG_AGENT),
             rng_key(seed, replicate, id, RNG_AGENT_INC));
}

#endif
