#!/usr/bin/env bash
# Install the Debian packages hwsim needs, only those missing, saying which.
#
#   tools/install-deps.sh [run|brief|test|mpi|fuzz ...]      (no argument: run)
#
#   run   what `make run` needs: compiler, CMake, the libraries hwsim links
#   brief `hwsim brief` / `make brief`: Debian's python3 with matplotlib, numpy and h5py
#   test  run + brief + what `make test` / `make test-fast` / `make format-check` need:
#         Criterion, the HDF5 command-line tools and Python readers the end-to-end tests use,
#         clang-format, and pdfinfo and a headless browser for the brief's test
#   mpi   the optional MPI build (`make test-mpi`, docs/hpc.md); combine it with run or test
#   fuzz  `make fuzz`: clang and its libFuzzer / sanitizer runtimes
#
# Runs as root directly, or through sudo when available (only when something is missing).
# Not a Debian system (no dpkg-query or apt-get, e.g. a cluster with modules): checks
# nothing and exits 0; CMake's find_package then reports whatever is missing.
set -euo pipefail

run_pkgs=(build-essential cmake pkg-config libhdf5-dev libcyaml-dev libssl-dev libgsl-dev)
# tools/brief.py: charts and the PDF (matplotlib, Agg backend), the cube's attributes (h5py).
brief_pkgs=(python3 python3-matplotlib python3-numpy python3-h5py-serial)
# hdf5-tools: h5dump/h5diff/h5ls in the script tests.  Python: the tests import numpy,
# xarray, h5py and h5netcdf (python3-xarray pulls in pandas; h5netcdf pulls in h5py-serial).
test_pkgs=(libcriterion-dev hdf5-tools clang-format python3 python3-numpy python3-xarray
           python3-h5netcdf python3-h5py-serial python3-pandas
           # tests/test_brief.py: the PDF's page count (pdfinfo), the HTML in a real browser
           poppler-utils chromium)
# procps: pgrep in tests/mpi/test_mpi_resume.sh
mpi_pkgs=(libopenmpi-dev openmpi-bin procps)

# clang with libFuzzer (libclang-rt-14-dev) for `make fuzz`
fuzz_pkgs=(clang libclang-rt-14-dev)

usage() { echo "usage: tools/install-deps.sh [run|brief|test|mpi|fuzz ...]" >&2; exit 2; }

[ $# -eq 0 ] && set -- run
pkgs=()
for set_name in "$@"; do
  case $set_name in
    run) pkgs+=("${run_pkgs[@]}") ;;
    brief) pkgs+=("${brief_pkgs[@]}") ;;
    test) pkgs+=("${run_pkgs[@]}" "${brief_pkgs[@]}" "${test_pkgs[@]}") ;;
    mpi) pkgs+=("${mpi_pkgs[@]}") ;;
    fuzz) pkgs+=("${fuzz_pkgs[@]}") ;;
    -h | --help) usage ;;
    *) echo "tools/install-deps.sh: unknown set '$set_name'" >&2; usage ;;
  esac
done

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "hwsim: not a Debian system (no dpkg-query/apt-get): not checking packages; CMake will report what is missing"
  exit 0
fi

missing=()
for p in "${pkgs[@]}"; do
  case " ${missing[*]} " in *" $p "*) continue ;; esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "hwsim: installing missing packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "hwsim: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "hwsim: installed ${missing[*]}"
