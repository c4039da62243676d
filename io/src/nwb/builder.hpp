#pragma once
// Creates the objects of an NWB file with the HDF5 C API: groups, typed objects (neurodata_type,
// namespace, object_id), variable-length UTF-8 text, object-reference attributes and soft links
// (rig.md §10). Every failure throws WriteError naming the file and the object's HDF5 path, with the
// innermost message of HDF5's error stack. Callers hold h5::library_mutex().
#include <hdf5.h>

#include <random>
#include <string>
#include <vector>

#include "../h5_util.hpp"

namespace apical::nwb::detail {

// An open object and its absolute path (for messages and soft links).
struct Node {
  h5::Handle handle;
  std::string path;
  [[nodiscard]] hid_t id() const { return handle.id(); }
  [[nodiscard]] std::string child(const std::string& name) const { return (path == "/" ? "" : path) + "/" + name; }
};

// The innermost message on HDF5's error stack ("" if none); clears the stack.
std::string hdf5_error_detail();

// A variable-length UTF-8 string type (owned).
h5::Handle text_type();
// A fixed-length UTF-8 string type of `bytes` bytes, padded with NULs (owned).
h5::Handle fixed_text_type(std::size_t bytes);

class Builder {
 public:
  Builder(std::string file, hid_t file_id);

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] Node root() const;

  [[noreturn]] void fail(const std::string& path, const std::string& detail) const;
  void check(herr_t status, const std::string& path, const std::string& what) const {
    if (status < 0) fail(path, what);
  }

  Node group(const Node& parent, const std::string& name) const;
  // A group that is an NWB object: neurodata_type, namespace ("core" or "hdmf-common") and object_id.
  Node typed_group(const Node& parent, const std::string& name, const char* type, const char* ns = "core");
  void type_attributes(const Node& object, const char* type, const char* ns = "core");

  void text_attribute(const Node& object, const std::string& name, const std::string& value) const;
  void text_list_attribute(const Node& object, const std::string& name, const std::vector<std::string>& values) const;
  void float32_attribute(const Node& object, const std::string& name, double value) const;
  void int32_attribute(const Node& object, const std::string& name, std::int32_t value) const;
  // An H5R_OBJECT reference to `target` (DynamicTableRegion.table, VectorIndex.target).
  void reference_attribute(const Node& object, const std::string& name, const Node& target) const;

  // Scalar datasets.
  Node text_dataset(const Node& parent, const std::string& name, const std::string& value) const;
  Node float32_dataset(const Node& parent, const std::string& name, double value) const;
  void rewrite_text(const Node& dataset, const std::string& value) const;
  // A 1-D dataset of `count` values (contiguous; `data` in `memory_type`).
  Node array_dataset(const Node& parent, const std::string& name, hid_t file_type, hid_t memory_type, const void* data,
                     hsize_t count) const;
  // A 1-D text dataset that may grow later (file_create_date).
  Node text_list_dataset(const Node& parent, const std::string& name, const std::vector<std::string>& values) const;

  // An HDF5 soft link parent/name -> target_path (an NWB link, or a shared timestamps dataset).
  void soft_link(const Node& parent, const std::string& name, const std::string& target_path) const;

  // Dataset creation properties shared by every dataset: no modification times (they would make each
  // flush rewrite every object header, and files differ by nothing but the clock).
  [[nodiscard]] h5::Handle dataset_creation() const;

 private:
  std::string uuid4();
  void scalar_attribute(const Node& object, const std::string& name, hid_t file_type, hid_t memory_type,
                        const void* value) const;

  std::string file_;
  hid_t file_id_;
  std::mt19937_64 uuid_bits_;
};

}  // namespace apical::nwb::detail
