#!/usr/bin/env bash
# Checkpoint and resume under 2 ranks.  SIGKILL to the launcher's whole
# process group (a node failure, or Slurm's last word) mid-run: the .partial
# keeps the replicates rank 0 had appended, and --resume (again under 2
# ranks) completes a cube identical to an uninterrupted run.  SIGUSR1 (what
# `sbatch --signal` sends; mpirun forwards it to every rank): a clean stop
# after the replicates in flight, exit 130, then --resume completes it.
set -u
. "$(dirname "$0")/common.bash"
N=40

"$BIN" run "$TOY" --replicates $N --threads 1 -o "$T/ref.h5" --quiet >/dev/null 2>&1 || bad "reference run failed"

# wait_done FILE K: until rank 0's progress on stderr says K replicates are in the file
wait_done() {
  local i
  for i in $(seq 1 600); do
    if grep -Eq "^replicates ([0-9]+)/" "$1" &&
       [ "$(grep -Eo '^replicates [0-9]+' "$1" | tail -1 | grep -Eo '[0-9]+$')" -ge "$2" ]; then return 0; fi
    sleep 0.1
  done
  return 1
}

# --- SIGKILL to the launcher's process group, then --resume --------------------
# setsid: the launcher leads its own process group, as a batch step would.
setsid bash -c "exec \"$MPIEXEC\" $NPFLAG 2 $OVERSUB ${MPIEXEC_PREFLAGS:-} \"$BIN\" ${MPIEXEC_POSTFLAGS:-} run \"$TOY\" --replicates $N --threads 1 -o \"$T/k.h5\" --progress" \
  >/dev/null 2>"$T/kerr" &
pid=$!
wait_done "$T/kerr" 6 || bad "no progress from the run to kill: $(cat "$T/kerr")"
ranks=$(pgrep -P "$pid")       # the launcher's children (the ranks, run locally)
kill -KILL -- -"$pid" 2>/dev/null
for r in $ranks; do kill -KILL "$r" 2>/dev/null; done
wait "$pid" 2>/dev/null
sleep 0.5
if [ -e "$T/k.h5" ]; then bad "a killed run left a file under the final name"; else ok; fi
kept=$(h5dump -H -d replicate "$T/k.h5.partial" 2>/dev/null | grep -o 'DATASPACE  SIMPLE { ( [0-9]* )' | grep -o '[0-9]*' | head -1)
if [ -n "${kept:-}" ] && [ "$kept" -ge 6 ] && [ "$kept" -lt $N ]; then ok; else bad "partial holds '${kept:-?}' replicates, expected 6..$((N - 1))"; fi
mpi 2 run "$TOY" --replicates $N --threads 1 -o "$T/k.h5" --resume >/dev/null 2>"$T/err" || bad "resume under 2 ranks failed: $(cat "$T/err")"
if grep -q "replicates already done" "$T/err"; then ok; else bad "resume did not resume: $(cat "$T/err")"; fi
if [ -e "$T/k.h5" ] && [ ! -e "$T/k.h5.partial" ]; then ok; else bad "resume did not produce the final file"; fi
same_cube "kill -9 + resume (2 ranks) vs uninterrupted" "$T/ref.h5" "$T/k.h5"

# --- SIGUSR1: clean stop after the replicates in flight, exit 130 ------------
mpi_bg 2 run "$TOY" --replicates $N --threads 1 -o "$T/u.h5" --progress >/dev/null 2>"$T/uerr" &
pid=$!
wait_done "$T/uerr" 4 || bad "no progress from the run to stop: $(cat "$T/uerr")"
kill -USR1 "$pid"
wait "$pid"; rc=$?
if [ $rc -eq 130 ]; then ok; else bad "SIGUSR1 under 2 ranks: exit $rc, expected 130: $(cat "$T/uerr")"; fi
if grep -q "continue with --resume" "$T/uerr" && [ -e "$T/u.h5.partial" ] && [ ! -e "$T/u.h5" ]; then ok; else bad "SIGUSR1 did not stop cleanly: $(cat "$T/uerr")"; fi
# resume with a different rank count: the mapping is r % size from the first undone replicate
mpi 1 run "$TOY" --replicates $N --threads 1 -o "$T/u.h5" --resume --quiet >/dev/null 2>"$T/err" || bad "resume under 1 rank failed: $(cat "$T/err")"
same_cube "SIGUSR1 + resume (1 rank) vs uninterrupted" "$T/ref.h5" "$T/u.h5"

finish
