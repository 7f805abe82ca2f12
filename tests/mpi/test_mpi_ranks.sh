#!/usr/bin/env bash
# The same run without a launcher, under 1 rank and under 2 ranks: every
# dataset identical (replicate r runs on rank r % size, and rank 0 appends in
# replicate order, so the cube does not depend on the rank count).  Bad input
# under 2 ranks: one line on stderr, exit 2 from every rank, no file.
set -u
. "$(dirname "$0")/common.bash"

"$BIN" run "$TOY" --replicates 6 --threads 1 -o "$T/serial.h5" --quiet >/dev/null 2>"$T/err" || bad "serial run failed: $(cat "$T/err")"
mpi 1 run "$TOY" --replicates 6 --threads 1 -o "$T/np1.h5" --quiet >/dev/null 2>"$T/err" || bad "np 1 failed: $(cat "$T/err")"
mpi 2 run "$TOY" --replicates 6 --threads 1 -o "$T/np2.h5" --no-progress >"$T/out" 2>"$T/err" || bad "np 2 failed: $(cat "$T/err")"
same_cube "np 1 vs serial" "$T/serial.h5" "$T/np1.h5"
same_cube "np 2 vs serial" "$T/serial.h5" "$T/np2.h5"
same_cube "np 2 vs np 1" "$T/np1.h5" "$T/np2.h5"
# rank 0 alone prints: the file name once on stdout, its two lines on stderr
if [ "$(cat "$T/out")" = "$T/np2.h5" ] && [ "$(wc -l <"$T/err")" -eq 2 ] &&
   grep -q "2 ranks x 1 threads" "$T/err"; then ok; else bad "np 2 output: '$(cat "$T/out")' / '$(cat "$T/err")'"; fi
if h5dump -a mpi_version "$T/np2.h5" 2>/dev/null | grep -q "MPI [0-9]"; then ok; else bad "no MPI library in the provenance"; fi

# an odd count that does not fill the last round, and 2 threads per rank
mpi 2 run "$TOY" --replicates 5 --threads 2 -o "$T/np2odd.h5" --quiet >/dev/null 2>&1 || bad "np 2, 5 replicates failed"
"$BIN" run "$TOY" --replicates 5 --threads 1 -o "$T/serial5.h5" --quiet >/dev/null 2>&1
same_cube "np 2 x 2 threads, 5 replicates" "$T/serial5.h5" "$T/np2odd.h5"

# progress on rank 0: replicates done / total, rate and ETA
mpi 2 run "$TOY" --replicates 4 --threads 1 -o "$T/prog.h5" --progress >/dev/null 2>"$T/err"
if grep -q "^replicates 4/4 .*replicates/s.*ETA" "$T/err"; then ok; else bad "no progress line: $(cat "$T/err")"; fi

# a scenario error: every rank loads it, rank 0 alone reports, all exit 2, no file
printf 'name: x\nstart_year: 2019\nend_year: 2010\nreplicates: 1\nseed: 1\ndata: %s/tests/data/toy\n' "$SRC" >"$T/range.yaml"
(cd "$T" && mpi 2 run "$T/range.yaml" -o "$T/x.h5" >/dev/null 2>"$T/err"); rc=$?
if [ $rc -eq 2 ]; then ok; else bad "bad scenario under 2 ranks: exit $rc, expected 2"; fi
# the launcher may add its own lines about the non-zero exit; ours is there once
if [ "$(grep -c 'range.yaml:3: end_year 2010 is out of range' "$T/err")" -eq 1 ]; then ok; else bad "bad scenario stderr: $(cat "$T/err")"; fi
if ls "$T"/x.h5* >/dev/null 2>&1; then bad "bad scenario left a file"; else ok; fi

finish
