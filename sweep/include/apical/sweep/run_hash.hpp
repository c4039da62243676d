#pragma once
// The name of a run's folder: a stable hash of the run's canonical resolved scenario (docs/sweeps.md).
//
//   folder = 16 lowercase hex digits of FNV-1a 64 (offset basis 0xcbf29ce484222325, prime
//            0x100000001b3) over the bytes of resolved.dump(): nlohmann_json's compact dump, keys
//            sorted, numbers in their shortest round-trip form, strings UTF-8.
//
// The resolved scenario (resolved_bci_scenario) writes out every setting, the seed included, in the
// unit each field is stored in, so two ways of writing the same run ("30 min", "0.5 h"; a default
// given or left out) share a folder, and any difference in a setting or the seed gives another.
// The name does not depend on the sweep, the grid order, the machine or the apical build.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace apical::sweep {

std::uint64_t fnv1a64(std::string_view bytes);

// 16 lowercase hex digits of fnv1a64(resolved.dump()).
std::string run_folder_name(const nlohmann::json& resolved);

}  // namespace apical::sweep
