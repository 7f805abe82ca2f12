#!/usr/bin/env bash
# Install the Debian packages hwsim needs, only those missing, saying which.
# Runs as root directly, or through sudo when available.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libhdf5-dev hdf5-tools libcriterion-dev libcyaml-dev
      libssl-dev libgsl-dev python3 python3-numpy python3-xarray python3-h5netcdf python3-pandas
      # MPI for the optional cluster build (make test-mpi, docs/hpc.md); `make test` needs none
      libopenmpi-dev openmpi-bin)
missing=()
for p in "${pkgs[@]}"; do
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
