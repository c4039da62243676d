#include "h5_util.hpp"

#include <filesystem>
#include <stdexcept>

#include "apical/io/input_error.hpp"

namespace apical::h5 {

std::mutex& library_mutex() {
  static std::mutex mutex;
  return mutex;
}

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

// ---- Writer ---------------------------------------------------------------------------------------

void Writer::check(herr_t status, const std::string& what) const {
  if (status < 0) throw std::runtime_error("HDF5: cannot write " + what + " in " + file_);
}

Handle Writer::create_group(hid_t parent, const std::string& name) const {
  Handle group(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose);
  if (!group.valid()) throw std::runtime_error("HDF5: cannot create group " + name + " in " + file_);
  return group;
}

void Writer::text(hid_t object, const std::string& name, const std::string& value) const {
  const Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  check(type.valid() ? 0 : -1, "attribute " + name);
  check(H5Tset_size(type.id(), value.empty() ? 1 : value.size()), "attribute " + name);
  check(H5Tset_cset(type.id(), H5T_CSET_UTF8), "attribute " + name);
  const Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  const Handle attribute(H5Acreate2(object, name.c_str(), type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  check(attribute.valid() ? 0 : -1, "attribute " + name);
  check(H5Awrite(attribute.id(), type.id(), value.empty() ? "" : value.data()), "attribute " + name);
}

void Writer::integer(hid_t object, const std::string& name, std::int64_t value) const {
  const Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  const Handle attribute(H5Acreate2(object, name.c_str(), H5T_STD_I64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                         H5Aclose);
  check(attribute.valid() ? 0 : -1, "attribute " + name);
  check(H5Awrite(attribute.id(), H5T_NATIVE_INT64, &value), "attribute " + name);
}

void Writer::unsigned_integer(hid_t object, const std::string& name, std::uint64_t value) const {
  const Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  const Handle attribute(H5Acreate2(object, name.c_str(), H5T_STD_U64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                         H5Aclose);
  check(attribute.valid() ? 0 : -1, "attribute " + name);
  check(H5Awrite(attribute.id(), H5T_NATIVE_UINT64, &value), "attribute " + name);
}

void Writer::number(hid_t object, const std::string& name, double value) const {
  const Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  const Handle attribute(H5Acreate2(object, name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                         H5Aclose);
  check(attribute.valid() ? 0 : -1, "attribute " + name);
  check(H5Awrite(attribute.id(), H5T_NATIVE_DOUBLE, &value), "attribute " + name);
}

void Writer::float_traces(hid_t parent, const std::string& name, const std::vector<double>& values,
                          std::vector<hsize_t> dims, const std::string& units) const {
  Handle creation(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  check(creation.valid() ? 0 : -1, "dataset " + name);
  if (dims.size() == 2 && dims[0] > 0 && dims[1] > 0) {
    const hsize_t chunk[2] = {1, dims[1]};
    check(H5Pset_chunk(creation.id(), 2, chunk), "dataset " + name);
    if (H5Zfilter_avail(H5Z_FILTER_SHUFFLE) > 0) check(H5Pset_shuffle(creation.id()), "dataset " + name);
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) check(H5Pset_deflate(creation.id(), 4), "dataset " + name);
  }
  write_raw(parent, name, values.empty() ? nullptr : values.data(), values.size(), std::move(dims),
            H5T_NATIVE_DOUBLE, H5T_IEEE_F32LE, units, creation.id());
}

void Writer::write_raw(hid_t parent, const std::string& name, const void* data, std::size_t size,
                       std::vector<hsize_t> dims, hid_t memory_type, hid_t file_type, const std::string& units,
                       hid_t creation) const {
  std::size_t count = 1;
  for (hsize_t d : dims) count *= static_cast<std::size_t>(d);
  if (count != size)
    throw std::logic_error("HDF5 dataset " + name + ": " + std::to_string(size) + " values do not fill its shape");
  const Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  check(space.valid() ? 0 : -1, "dataset " + name);
  const Handle dataset(H5Dcreate2(parent, name.c_str(), file_type, space.id(), H5P_DEFAULT, creation, H5P_DEFAULT),
                       H5Dclose);
  check(dataset.valid() ? 0 : -1, "dataset " + name);
  if (size > 0) check(H5Dwrite(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "dataset " + name);
  if (!units.empty()) text(dataset.id(), "units", units);
}

// ---- Reader ---------------------------------------------------------------------------------------

Reader::Reader(std::string file) : file_(std::move(file)) {
  silence_errors();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file_, ec)) fail("", "no such file");
  if (H5Fis_hdf5(file_.c_str()) <= 0) fail("", "not an HDF5 file (truncated or corrupt?)");
  handle_ = Handle(H5Fopen(file_.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!handle_.valid()) fail("", "cannot open the HDF5 file (truncated or corrupt?)");
}

void Reader::fail(const std::string& path, const std::string& detail) const { throw InputError(file_, path, detail); }

bool Reader::exists(hid_t parent, const std::string& name) const {
  return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0 &&
         H5Oexists_by_name(parent, name.c_str(), H5P_DEFAULT) > 0;
}

Handle Reader::group(hid_t parent, const std::string& parent_path, const std::string& name) const {
  const std::string path = parent_path + "/" + name;
  if (!exists(parent, name)) fail(path, "missing group");
  Handle group(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose);
  if (!group.valid()) fail(path, "cannot open the group");
  return group;
}

std::vector<std::string> Reader::children(hid_t group, const std::string& path) const {
  H5G_info_t info;
  if (H5Gget_info(group, &info) < 0) fail(path, "cannot list the group");
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t length =
        H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (length < 0) fail(path, "cannot list the group");
    std::string name(static_cast<std::size_t>(length), '\0');
    if (H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1, H5P_DEFAULT) < 0)
      fail(path, "cannot list the group");
    names.push_back(std::move(name));
  }
  return names;
}

bool Reader::has_attribute(hid_t object, const std::string& name) const {
  return H5Aexists(object, name.c_str()) > 0;
}

namespace {

Handle open_attribute(const Reader& reader, hid_t object, const std::string& path, const std::string& name) {
  if (!reader.has_attribute(object, name)) reader.fail(path, "missing attribute '" + name + "'");
  Handle attribute(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attribute.valid()) reader.fail(path, "cannot open attribute '" + name + "'");
  const Handle space(H5Aget_space(attribute.id()), H5Sclose);
  if (!space.valid() || H5Sget_simple_extent_npoints(space.id()) != 1)
    reader.fail(path, "attribute '" + name + "' is not a single value");
  return attribute;
}

}  // namespace

std::string Reader::text(hid_t object, const std::string& path, const std::string& name) const {
  const Handle attribute = open_attribute(*this, object, path, name);
  const Handle type(H5Aget_type(attribute.id()), H5Tclose);
  if (!type.valid() || H5Tget_class(type.id()) != H5T_STRING || H5Tis_variable_str(type.id()) != 0)
    fail(path, "attribute '" + name + "' is not a fixed-length string");
  const std::size_t size = H5Tget_size(type.id());
  std::string value(size, '\0');
  if (H5Aread(attribute.id(), type.id(), value.data()) < 0) fail(path, "cannot read attribute '" + name + "'");
  while (!value.empty() && value.back() == '\0') value.pop_back();
  return value;
}

std::int64_t Reader::integer(hid_t object, const std::string& path, const std::string& name) const {
  const Handle attribute = open_attribute(*this, object, path, name);
  const Handle type(H5Aget_type(attribute.id()), H5Tclose);
  if (!type.valid() || H5Tget_class(type.id()) != H5T_INTEGER)
    fail(path, "attribute '" + name + "' is not an integer");
  std::int64_t value = 0;
  if (H5Aread(attribute.id(), H5T_NATIVE_INT64, &value) < 0) fail(path, "cannot read attribute '" + name + "'");
  return value;
}

std::uint64_t Reader::unsigned_integer(hid_t object, const std::string& path, const std::string& name) const {
  const Handle attribute = open_attribute(*this, object, path, name);
  const Handle type(H5Aget_type(attribute.id()), H5Tclose);
  if (!type.valid() || H5Tget_class(type.id()) != H5T_INTEGER)
    fail(path, "attribute '" + name + "' is not an integer");
  std::uint64_t value = 0;
  if (H5Aread(attribute.id(), H5T_NATIVE_UINT64, &value) < 0) fail(path, "cannot read attribute '" + name + "'");
  return value;
}

double Reader::number(hid_t object, const std::string& path, const std::string& name) const {
  const Handle attribute = open_attribute(*this, object, path, name);
  const Handle type(H5Aget_type(attribute.id()), H5Tclose);
  if (!type.valid() || H5Tget_class(type.id()) != H5T_FLOAT) fail(path, "attribute '" + name + "' is not a number");
  double value = 0;
  if (H5Aread(attribute.id(), H5T_NATIVE_DOUBLE, &value) < 0) fail(path, "cannot read attribute '" + name + "'");
  return value;
}

}  // namespace apical::h5
