# Shared by the MPI tests (sourced, not a test itself): the launcher from CMake's
# MPIEXEC variables, and a dataset-by-dataset comparison of two cubes.
BIN=${HWSIM_BIN:?HWSIM_BIN must point at the hwsim binary}
SRC=${HWSIM_SOURCE_DIR:?}
MPIEXEC=${MPIEXEC_EXECUTABLE:?MPIEXEC_EXECUTABLE must name the MPI launcher (CMake sets it)}
NPFLAG=${MPIEXEC_NUMPROC_FLAG:--n}
TOY=$SRC/tests/data/toy.yaml
# Open MPI refuses more ranks than cores (this CI machine has 2) unless told.
OVERSUB=""
if "$MPIEXEC" --version 2>&1 | grep -q "Open MPI\|OpenRTE"; then OVERSUB=--oversubscribe; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# mpi NP ARGS...: hwsim ARGS under NP ranks
mpi() {
  local np=$1; shift
  # shellcheck disable=SC2086  # the flags are word lists by design
  "$MPIEXEC" $NPFLAG "$np" $OVERSUB ${MPIEXEC_PREFLAGS:-} "$BIN" ${MPIEXEC_POSTFLAGS:-} "$@"
}

# mpi_bg NP ARGS... &: the same as a background job whose pid ($!) is the launcher's,
# so that a signal sent to $! reaches the launcher (and, forwarded, the ranks)
mpi_bg() {
  local np=$1; shift
  # shellcheck disable=SC2086
  exec "$MPIEXEC" $NPFLAG "$np" $OVERSUB ${MPIEXEC_PREFLAGS:-} "$BIN" ${MPIEXEC_POSTFLAGS:-} "$@"
}

# same_cube WHAT A.h5 B.h5: every dataset of A (measures and coordinates) equal in B
same_cube() {
  local what=$1 a=$2 b=$3 n=0 d
  for d in $(h5ls "$a" | awk '{print $1}'); do
    n=$((n + 1))
    if ! h5diff "$a" "$b" "/$d" "/$d" >/dev/null 2>&1; then bad "$what: dataset $d differs"; return; fi
  done
  if [ "$n" -ge 20 ]; then ok; else bad "$what: only $n datasets in $a"; fi
}

finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
