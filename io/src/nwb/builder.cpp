#include "builder.hpp"

#include <cstdio>

#include "apical/io/nwb/session_writer.hpp"

namespace apical::nwb::detail {

namespace {

herr_t keep_innermost(unsigned position, const H5E_error2_t* error, void* innermost) {
  if (position == 0 && error->desc != nullptr) *static_cast<std::string*>(innermost) = error->desc;
  return 0;
}

}  // namespace

std::string hdf5_error_detail() {
  std::string innermost;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &innermost);
  H5Eclear2(H5E_DEFAULT);
  return innermost;
}

h5::Handle text_type() {
  h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  if (type.valid() && (H5Tset_size(type.id(), H5T_VARIABLE) < 0 || H5Tset_cset(type.id(), H5T_CSET_UTF8) < 0))
    type.reset();
  return type;
}

h5::Handle fixed_text_type(std::size_t bytes) {
  h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  if (type.valid() && (H5Tset_size(type.id(), bytes) < 0 || H5Tset_strpad(type.id(), H5T_STR_NULLPAD) < 0 ||
                       H5Tset_cset(type.id(), H5T_CSET_UTF8) < 0))
    type.reset();
  return type;
}

Builder::Builder(std::string file, hid_t file_id)
    : file_(std::move(file)), file_id_(file_id), uuid_bits_(std::random_device{}()) {}

Node Builder::root() const {
  Node root{h5::Handle(H5Gopen2(file_id_, "/", H5P_DEFAULT), H5Gclose), "/"};
  if (!root.handle.valid()) fail("/", "cannot open the root group");
  return root;
}

void Builder::fail(const std::string& path, const std::string& detail) const {
  const std::string hdf5 = hdf5_error_detail();
  throw WriteError(file_, path, hdf5.empty() ? detail : detail + " (HDF5: " + hdf5 + ")");
}

Node Builder::group(const Node& parent, const std::string& name) const {
  Node group{h5::Handle(H5Gcreate2(parent.id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose),
             parent.child(name)};
  if (!group.handle.valid()) fail(group.path, "cannot create the group");
  return group;
}

Node Builder::typed_group(const Node& parent, const std::string& name, const char* type, const char* ns) {
  Node node = group(parent, name);
  type_attributes(node, type, ns);
  return node;
}

void Builder::type_attributes(const Node& object, const char* type, const char* ns) {
  text_attribute(object, "namespace", ns);
  text_attribute(object, "neurodata_type", type);
  text_attribute(object, "object_id", uuid4());
}

std::string Builder::uuid4() {
  const std::uint64_t high = (uuid_bits_() & ~0xF000ull) | 0x4000ull;                        // version 4
  const std::uint64_t low = (uuid_bits_() & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;  // variant 10
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xFFFF), static_cast<unsigned>(high & 0xFFFF),
                static_cast<unsigned>(low >> 48), static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFull));
  return text;
}

void Builder::scalar_attribute(const Node& object, const std::string& name, hid_t file_type, hid_t memory_type,
                               const void* value) const {
  const h5::Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  const h5::Handle attribute(H5Acreate2(object.id(), name.c_str(), file_type, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                             H5Aclose);
  if (!attribute.valid()) fail(object.path, "cannot create attribute '" + name + "'");
  check(H5Awrite(attribute.id(), memory_type, value), object.path, "cannot write attribute '" + name + "'");
}

void Builder::text_attribute(const Node& object, const std::string& name, const std::string& value) const {
  const h5::Handle type = text_type();
  const char* text = value.c_str();
  scalar_attribute(object, name, type.id(), type.id(), &text);
}

void Builder::text_list_attribute(const Node& object, const std::string& name,
                                  const std::vector<std::string>& values) const {
  const h5::Handle type = text_type();
  std::vector<const char*> texts;
  for (const std::string& value : values) texts.push_back(value.c_str());
  const hsize_t count = texts.size();
  const h5::Handle space(H5Screate_simple(1, &count, nullptr), H5Sclose);
  const h5::Handle attribute(H5Acreate2(object.id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
                             H5Aclose);
  if (!attribute.valid()) fail(object.path, "cannot create attribute '" + name + "'");
  if (count > 0)
    check(H5Awrite(attribute.id(), type.id(), texts.data()), object.path, "cannot write attribute '" + name + "'");
}

void Builder::float32_attribute(const Node& object, const std::string& name, double value) const {
  scalar_attribute(object, name, H5T_IEEE_F32LE, H5T_NATIVE_DOUBLE, &value);
}

void Builder::int32_attribute(const Node& object, const std::string& name, std::int32_t value) const {
  scalar_attribute(object, name, H5T_STD_I32LE, H5T_NATIVE_INT32, &value);
}

void Builder::reference_attribute(const Node& object, const std::string& name, const Node& target) const {
  hobj_ref_t reference;
  check(H5Rcreate(&reference, file_id_, target.path.c_str(), H5R_OBJECT, -1), target.path,
        "cannot make a reference to the object");
  scalar_attribute(object, name, H5T_STD_REF_OBJ, H5T_STD_REF_OBJ, &reference);
}

Node Builder::text_dataset(const Node& parent, const std::string& name, const std::string& value) const {
  const h5::Handle type = text_type();
  const h5::Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  const h5::Handle creation = dataset_creation();
  Node dataset{
      h5::Handle(H5Dcreate2(parent.id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, creation.id(), H5P_DEFAULT),
                 H5Dclose),
      parent.child(name)};
  if (!dataset.handle.valid()) fail(dataset.path, "cannot create the dataset");
  rewrite_text(dataset, value);
  return dataset;
}

void Builder::rewrite_text(const Node& dataset, const std::string& value) const {
  const h5::Handle type = text_type();
  const char* text = value.c_str();
  check(H5Dwrite(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &text), dataset.path, "cannot write the text");
}

Node Builder::float32_dataset(const Node& parent, const std::string& name, double value) const {
  const h5::Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  const h5::Handle creation = dataset_creation();
  Node dataset{h5::Handle(H5Dcreate2(parent.id(), name.c_str(), H5T_IEEE_F32LE, space.id(), H5P_DEFAULT, creation.id(),
                                     H5P_DEFAULT),
                          H5Dclose),
               parent.child(name)};
  if (!dataset.handle.valid()) fail(dataset.path, "cannot create the dataset");
  check(H5Dwrite(dataset.id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value), dataset.path,
        "cannot write the value");
  return dataset;
}

Node Builder::array_dataset(const Node& parent, const std::string& name, hid_t file_type, hid_t memory_type,
                            const void* data, hsize_t count) const {
  const h5::Handle space(H5Screate_simple(1, &count, nullptr), H5Sclose);
  const h5::Handle creation = dataset_creation();
  Node dataset{
      h5::Handle(H5Dcreate2(parent.id(), name.c_str(), file_type, space.id(), H5P_DEFAULT, creation.id(), H5P_DEFAULT),
                 H5Dclose),
      parent.child(name)};
  if (!dataset.handle.valid()) fail(dataset.path, "cannot create the dataset");
  if (count > 0)
    check(H5Dwrite(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), dataset.path,
          "cannot write the values");
  return dataset;
}

Node Builder::text_list_dataset(const Node& parent, const std::string& name,
                                const std::vector<std::string>& values) const {
  const h5::Handle type = text_type();
  std::vector<const char*> texts;
  for (const std::string& value : values) texts.push_back(value.c_str());
  const hsize_t count = texts.size(), unlimited = H5S_UNLIMITED, chunk = 8;
  const h5::Handle space(H5Screate_simple(1, &count, &unlimited), H5Sclose);
  const h5::Handle creation = dataset_creation();
  check(H5Pset_chunk(creation.id(), 1, &chunk), parent.child(name), "cannot set the chunk size");
  Node dataset{
      h5::Handle(H5Dcreate2(parent.id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT, creation.id(), H5P_DEFAULT),
                 H5Dclose),
      parent.child(name)};
  if (!dataset.handle.valid()) fail(dataset.path, "cannot create the dataset");
  if (count > 0)
    check(H5Dwrite(dataset.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), dataset.path,
          "cannot write the text");
  return dataset;
}

void Builder::soft_link(const Node& parent, const std::string& name, const std::string& target_path) const {
  check(H5Lcreate_soft(target_path.c_str(), parent.id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), parent.child(name),
        "cannot create the link to " + target_path);
}

h5::Handle Builder::dataset_creation() const {
  h5::Handle creation(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  if (!creation.valid() || H5Pset_obj_track_times(creation.id(), 0) < 0)
    fail("/", "cannot make dataset creation properties");
  return creation;
}

}  // namespace apical::nwb::detail
