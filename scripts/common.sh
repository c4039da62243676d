# Shared by run_main.sh and run_tests.sh: install what is missing, then configure and build (Release).
set -euo pipefail

APICAL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APICAL_BUILD="${APICAL_BUILD:-$APICAL_ROOT/build}"

# Debian 12 packages apical builds and tests with; each has a job (see docs/getting-started.md).
APICAL_PACKAGES=(
  g++ cmake make pkg-config
  libeigen3-dev      # dense reference solves in tests
  libboost-dev       # Boost.Odeint, the independent reference integrator
  libsundials-dev    # CVODE, the accurate variable-step path
  nlohmann-json3-dev # scenario and cell files
  libhdf5-dev        # HDF5 trace files
  catch2             # the test suite
  openmpi-bin        # mpirun: 'apical sweep' across MPI ranks, and its test
  libopenmpi-dev     # the MPI backend of 'apical sweep' (optional at build time)
  libvtk9-dev        # pictures and ParaView exports (viz/)
  libpng-dev         # the picture tests read the PNGs back
  xvfb               # the virtual X display VTK draws into on headless machines
  ffmpeg             # MP4 animations from apical render's PNG frames
  libfftw3-dev       # the rig's online registration (phase correlation)
  libtiff-dev        # the rig's TIFF replay source and label-image ROIs
  libsdl2-dev        # the rig's built-in grating display: window, OpenGL context, vsync (pulls in libgl-dev)
  python3-h5py       # the NWB test reads session files with h5py, as docs/nwb.md shows
  hdf5-tools         # h5clear, which docs/nwb.md prescribes after a kill during a flush (tested)
)

install_missing_packages() {
  local missing=()
  for package in "${APICAL_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "apical: installing ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "apical: run as root (or install sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=600 "${missing[@]}"
}

build_apical() {
  cmake -S "$APICAL_ROOT" -B "$APICAL_BUILD" -DCMAKE_BUILD_TYPE=Release "$@"
  cmake --build "$APICAL_BUILD" -j "$(nproc)"
}
