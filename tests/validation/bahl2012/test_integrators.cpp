// The Bahl cell under the other integrators: CVODE (variable-step BDF) and Crank–Nicolson differ
// from NEURON's backward Euler only by discretisation error, so the BAC protocol keeps its Ca spike
// and its two somatic spikes, with spike times within the 0.5 ms of the reference.
#include <catch2/catch.hpp>

#include "../../support/bahl.hpp"
#include "../../support/reference.hpp"

using namespace apical;

TEST_CASE("CVODE and Crank-Nicolson reproduce BAC firing within 0.5 ms", "[validation][bahl2012][integrators]") {
  const auto bac = test::read_json("bahl2012/features.json").at("features").at("bac_firing").at("grid_5nS");
  std::vector<double> reference;
  for (const auto& row : bac)
    if (row.at("g_nS").get<double>() == 15.0) reference = row.at("soma_spike_times_ms").get<std::vector<double>>();
  REQUIRE(reference.size() == 2);

  for (const Integrator integrator : {Integrator::cvode, Integrator::crank_nicolson}) {
    ProtocolSpec spec = test::bahl_protocol(1, 200, 0.025);
    spec.integrator = integrator;
    spec.cvode = {1e-6, 1e-6, 0.0};
    test::add_iclamp(spec, "soma(0.5)", {100}, {5}, {1.0});
    test::add_tuft_epsp(spec, {15});
    test::record(spec, "tuft(0.75)");
    const ProtocolResult r = run_protocol(spec, builtin_mechanisms());
    INFO((integrator == Integrator::cvode ? "cvode" : "crank_nicolson"));
    REQUIRE(r.spike_times_ms[0].size() == 2);
    for (std::size_t k = 0; k < 2; ++k) CHECK(r.spike_times_ms[0][k] == Approx(reference[k]).margin(0.5));
    CHECK(test::longest_above(r.time_ms, r.traces[0][0], -10.0) > 10.0);
  }
}
