/**
 * @file bench.h
 * @brief `hwsim bench` entry point.
 */
#ifndef HWSIM_BENCH_H
#define HWSIM_BENCH_H

/** @brief `hwsim bench [--threads T] [--end-year Y]`; returns the exit code. */
int bench_main(int argc, char **argv);

#endif
