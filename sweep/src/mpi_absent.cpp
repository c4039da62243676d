// apical built without MPI: 'apical sweep --mpi' says so instead of running every run on every rank.
#include <cstdlib>
#include <stdexcept>

#include "apical/sweep/sweep_runner.hpp"

namespace apical::sweep {

bool mpi_built_in() { return false; }

MpiSession::MpiSession() {
  throw std::runtime_error(
      "this apical is built without MPI: install an MPI library (Debian: openmpi-bin libopenmpi-dev) and "
      "configure again, or run the sweep locally (--threads N) or as a Slurm array (--emit-slurm DIR)");
}

MpiSession::~MpiSession() = default;

bool MpiSession::all(bool ok) const { return ok; }

void MpiSession::abort(int code) const { std::_Exit(code); }

SweepResult run_mpi(const MpiSession&, const std::vector<Run>&, const std::string&, const SweepOptions&) {
  throw std::runtime_error("this apical is built without MPI");
}

}  // namespace apical::sweep
