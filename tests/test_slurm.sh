#!/usr/bin/env bash
# The Slurm example (slurm/hwsim.sbatch), without a cluster: bash syntax; every
# #SBATCH line a known option in the form sbatch accepts; the OpenMP binding,
# srun, --signal and --resume are there.  Then the script itself, with stand-in
# srun and scontrol: an array task runs its scenario to the final file; USR1
# (what --signal=B:USR1@300 sends) stops hwsim cleanly and requeues the task;
# the requeued task resumes and completes the file.
set -u
BIN=${HWSIM_BIN:?HWSIM_BIN must point at the hwsim binary}
SRC=${HWSIM_SOURCE_DIR:?}
SB=$SRC/slurm/hwsim.sbatch
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if bash -n "$SB"; then ok; else bad "bash -n $SB"; fi
if head -1 "$SB" | grep -q '^#!/bin/bash'; then ok; else bad "no #!/bin/bash line"; fi

# #SBATCH lines: sbatch stops reading them at the first command, so they must all come first
first_cmd=$(grep -n -v -E '^\s*(#|$)' "$SB" | head -1 | cut -d: -f1)
last_sbatch=$(grep -n '^#SBATCH' "$SB" | tail -1 | cut -d: -f1)
if [ -n "$last_sbatch" ] && [ "$last_sbatch" -lt "$first_cmd" ]; then ok; else bad "#SBATCH lines after the first command"; fi
n=0
while IFS= read -r line; do
  n=$((n + 1))
  if ! [[ $line =~ ^#SBATCH\ --([a-z][a-z-]*)(=([^[:space:]]+))?$ ]]; then bad "malformed: '$line'"; continue; fi
  opt=${BASH_REMATCH[1]} val=${BASH_REMATCH[3]}
  case $opt in
    job-name|output|error|partition|account|qos|constraint) re='^.+$' ;;
    array) re='^[0-9]+(-[0-9]+)?(:[0-9]+)?(,[0-9]+(-[0-9]+)?)*(%[0-9]+)?$' ;;
    nodes|ntasks|ntasks-per-node|cpus-per-task) re='^[0-9]+$' ;;
    mem|mem-per-cpu) re='^[0-9]+[KMGT]?$' ;;
    time) re='^([0-9]+-)?[0-9]+(:[0-9]{2}){0,2}$' ;;
    signal) re='^((B|R|RB|BR):)?(USR1|USR2|TERM|INT|HUP|SIGUSR1|SIGUSR2|SIGTERM|[0-9]+)(@[0-9]+)?$' ;;
    open-mode) re='^(append|truncate)$' ;;
    requeue|no-requeue|exclusive) re='^$' ;;
    *) bad "unknown sbatch option --$opt"; continue ;;
  esac
  if [[ $val =~ $re ]]; then ok; else bad "--$opt has a malformed value '$val'"; fi
done < <(grep '^#SBATCH' "$SB")
if [ $n -ge 8 ]; then ok; else bad "only $n #SBATCH lines"; fi
for want in '^#SBATCH --array=' '^#SBATCH --signal=B:USR1@' '^#SBATCH --requeue' \
            'OMP_NUM_THREADS=\$\{SLURM_CPUS_PER_TASK' 'OMP_PROC_BIND=close' 'OMP_PLACES=cores' \
            '^srun ' -- '--resume' 'scontrol requeue'; do
  [ "$want" = -- ] && continue
  if grep -q -E -- "$want" "$SB"; then ok; else bad "$SB lacks '$want'"; fi
done

# --- the script, run as array task 0 with stand-in srun and scontrol -----------
mkdir -p "$T/bin"
printf '#!/bin/bash\n# stand-in srun: drop its options, run the command (one rank)\nwhile [ $# -gt 0 ] && [ "${1#--}" != "$1" ]; do shift; done\nexec "$@"\n' >"$T/bin/srun"
printf '#!/bin/bash\necho "$*" >>"%s/scontrol.log"\n' "$T" >"$T/bin/scontrol"
chmod +x "$T/bin/srun" "$T/bin/scontrol"
task() {
  ${EXEC:-} env PATH="$T/bin:$PATH" SLURM_SUBMIT_DIR="$T" SLURM_ARRAY_TASK_ID=0 SLURM_JOB_ID=4242 \
    SLURM_CPUS_PER_TASK=1 HWSIM="$BIN" HWSIM_SCENARIOS="$SRC/tests/data/toy.yaml" RESULTS="$T/res" "$@"
}
task REPLICATES=3 bash "$SB" >"$T/log" 2>&1; rc=$?
if [ $rc -eq 0 ] && [ -e "$T/res/toy.h5" ]; then ok; else bad "array task: exit $rc, $(cat "$T/log")"; fi
task REPLICATES=3 SLURM_ARRAY_TASK_ID=5 bash "$SB" >"$T/log" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q "nothing to do" "$T/log"; then ok; else bad "task beyond the scenario list: exit $rc"; fi

# USR1 to the batch shell: hwsim stops cleanly (exit 130) and the task is requeued
# (exec: the background job's pid is the batch shell's, which the signal must reach)
EXEC=exec task REPLICATES=60 RESULTS="$T/res2" bash "$SB" >"$T/log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do [ -e "$T/res2/toy.h5.partial" ] && break; sleep 0.05; done
sleep 0.8
kill -USR1 $pid; wait $pid; rc=$?
if [ $rc -eq 0 ] && grep -q "requeue 4242" "$T/scontrol.log" 2>/dev/null; then ok; else bad "USR1: exit $rc, no requeue: $(cat "$T/log")"; fi
if [ -e "$T/res2/toy.h5.partial" ] && [ ! -e "$T/res2/toy.h5" ]; then ok; else bad "USR1: no .partial kept: $(cat "$T/log")"; fi
task REPLICATES=60 RESULTS="$T/res2" SLURM_RESTART_COUNT=1 bash "$SB" >"$T/log" 2>&1; rc=$?
kept=$(h5dump -H -d replicate "$T/res2/toy.h5" 2>/dev/null | grep -o 'DATASPACE  SIMPLE { ( [0-9]* )' | grep -o '[0-9]*' | head -1)
if [ $rc -eq 0 ] && [ "${kept:-0}" -eq 60 ] && [ ! -e "$T/res2/toy.h5.partial" ]; then ok; else bad "requeued task: exit $rc, ${kept:-?} replicates: $(cat "$T/log")"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
