#pragma once
// Reads text from an HDF5 file, variable-length (as NWB writers store it) or fixed-length, through an
// h5::Reader: failures are InputErrors naming the file and the object's path. Callers hold the lock.
#include <string>
#include <vector>

#include "../h5_util.hpp"

namespace apical::nwb::detail {

std::string read_text_attribute(const h5::Reader& reader, hid_t object, const std::string& path,
                                const std::string& name);
// A scalar text dataset (a 1-element array is accepted too).
std::string read_text_dataset(const h5::Reader& reader, hid_t parent, const std::string& parent_path,
                              const std::string& name);
// A 1-D text dataset.
std::vector<std::string> read_text_list(const h5::Reader& reader, hid_t parent, const std::string& parent_path,
                                        const std::string& name);

}  // namespace apical::nwb::detail
