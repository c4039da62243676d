#pragma once
// Small helpers over the HDF5 C API for the BCI run folder (mice/mNN.h5): owned identifiers, typed
// datasets and attributes, and a reader whose every failure is an InputError naming the file and the
// HDF5 path of the object. Debian's libhdf5 is not built thread-safe, so every caller holds
// h5::library_mutex() around its HDF5 calls.
#include <hdf5.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace apical::h5 {

// One lock for every HDF5 call in the process.
std::mutex& library_mutex();

// Errors become return codes (and then exceptions), not stderr dumps. Call with the lock held.
void silence_errors();

// Owns one HDF5 identifier; `close` is the matching H5?close function. A negative id is "none".
class Handle {
 public:
  Handle() = default;
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = other.id_;
      close_ = other.close_;
      other.id_ = -1;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  [[nodiscard]] hid_t id() const { return id_; }
  [[nodiscard]] bool valid() const { return id_ >= 0; }
  void reset() {
    if (id_ >= 0 && close_ != nullptr) close_(id_);
    id_ = -1;
  }

 private:
  hid_t id_ = -1;
  herr_t (*close_)(hid_t) = nullptr;
};

// File and stored (little-endian) types of the element types we write.
template <class T>
struct Type;
template <>
struct Type<double> {
  static hid_t memory() { return H5T_NATIVE_DOUBLE; }
  static hid_t file() { return H5T_IEEE_F64LE; }
};
template <>
struct Type<std::uint8_t> {
  static hid_t memory() { return H5T_NATIVE_UINT8; }
  static hid_t file() { return H5T_STD_U8LE; }
};
template <>
struct Type<std::int32_t> {
  static hid_t memory() { return H5T_NATIVE_INT32; }
  static hid_t file() { return H5T_STD_I32LE; }
};
template <>
struct Type<std::int64_t> {
  static hid_t memory() { return H5T_NATIVE_INT64; }
  static hid_t file() { return H5T_STD_I64LE; }
};

// ---- writing: failures throw std::runtime_error naming `file` and the object --------------------

class Writer {
 public:
  explicit Writer(std::string file) : file_(std::move(file)) {}
  [[nodiscard]] const std::string& file() const { return file_; }

  Handle create_group(hid_t parent, const std::string& name) const;
  void text(hid_t object, const std::string& name, const std::string& value) const;
  void integer(hid_t object, const std::string& name, std::int64_t value) const;
  void unsigned_integer(hid_t object, const std::string& name, std::uint64_t value) const;
  void number(hid_t object, const std::string& name, double value) const;

  // A dataset of shape `dims` (1 or 2 dimensions, row-major, possibly empty) with a "units"
  // attribute unless units is empty.
  template <class T>
  void dataset(hid_t parent, const std::string& name, const std::vector<T>& values, std::vector<hsize_t> dims,
               const std::string& units) const {
    write_raw(parent, name, values.empty() ? nullptr : values.data(), values.size(), std::move(dims), Type<T>::memory(),
              Type<T>::file(), units);
  }
  // Traces [rows × columns] stored as float32 (ΔF/F needs no more than 7 digits; halves the run folder),
  // chunked by row and compressed (shuffle + deflate) where the library has the filters. Read back as
  // double by dataset<double>().
  void float_traces(hid_t parent, const std::string& name, const std::vector<double>& values,
                    std::vector<hsize_t> dims, const std::string& units) const;
  template <class T>
  void vector(hid_t parent, const std::string& name, const std::vector<T>& values, const std::string& units) const {
    dataset(parent, name, values, {values.size()}, units);
  }

  void check(herr_t status, const std::string& what) const;

 private:
  void write_raw(hid_t parent, const std::string& name, const void* data, std::size_t size, std::vector<hsize_t> dims,
                 hid_t memory_type, hid_t file_type, const std::string& units, hid_t creation = H5P_DEFAULT) const;
  std::string file_;
};

// ---- reading: failures throw InputError(file, "/hdf5/path", detail) -------------------------------

class Reader {
 public:
  // Opens `file` read-only; a missing, truncated or foreign file is an InputError.
  explicit Reader(std::string file);
  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] hid_t root() const { return handle_.id(); }

  [[noreturn]] void fail(const std::string& path, const std::string& detail) const;

  [[nodiscard]] bool exists(hid_t parent, const std::string& name) const;
  Handle group(hid_t parent, const std::string& parent_path, const std::string& name) const;
  // Names of the links in a group, in name order.
  [[nodiscard]] std::vector<std::string> children(hid_t group, const std::string& path) const;

  [[nodiscard]] bool has_attribute(hid_t object, const std::string& name) const;
  [[nodiscard]] std::string text(hid_t object, const std::string& path, const std::string& name) const;
  [[nodiscard]] std::int64_t integer(hid_t object, const std::string& path, const std::string& name) const;
  [[nodiscard]] std::uint64_t unsigned_integer(hid_t object, const std::string& path, const std::string& name) const;
  [[nodiscard]] double number(hid_t object, const std::string& path, const std::string& name) const;

  // The whole dataset, converted to T, row-major; `dims` receives its shape.
  template <class T>
  std::vector<T> dataset(hid_t parent, const std::string& parent_path, const std::string& name,
                         std::vector<hsize_t>* dims = nullptr) const {
    std::vector<T> out;
    read_raw(parent, parent_path, name, Type<T>::memory(), [&](std::size_t n) {
               out.resize(n);
               return static_cast<void*>(out.data());
             },
             dims);
    return out;
  }
  // A dataset that must have exactly `expected` elements (any shape).
  template <class T>
  std::vector<T> dataset(hid_t parent, const std::string& parent_path, const std::string& name,
                         std::size_t expected) const {
    std::vector<T> out = dataset<T>(parent, parent_path, name);
    if (out.size() != expected)
      fail(parent_path + "/" + name,
           "has " + std::to_string(out.size()) + " values, expected " + std::to_string(expected));
    return out;
  }

 private:
  template <class Allocate>
  void read_raw(hid_t parent, const std::string& parent_path, const std::string& name, hid_t memory_type,
                Allocate&& allocate, std::vector<hsize_t>* dims) const;
  std::string file_;
  Handle handle_;
};

// ---- the read_raw template, kept here so that each element type instantiates it ----------------

template <class Allocate>
void Reader::read_raw(hid_t parent, const std::string& parent_path, const std::string& name, hid_t memory_type,
                      Allocate&& allocate, std::vector<hsize_t>* dims) const {
  const std::string path = parent_path + "/" + name;
  if (!exists(parent, name)) fail(path, "missing dataset");
  const Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) fail(path, "cannot open the dataset");
  const Handle space(H5Dget_space(dataset.id()), H5Sclose);
  if (!space.valid()) fail(path, "cannot read the dataset's shape");
  const int rank = H5Sget_simple_extent_ndims(space.id());
  if (rank < 0 || rank > 2) fail(path, "expected 1 or 2 dimensions");
  std::vector<hsize_t> shape(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.id(), shape.data(), nullptr) < 0)
    fail(path, "cannot read the dataset's shape");
  std::size_t count = 1;
  for (hsize_t d : shape) count *= static_cast<std::size_t>(d);
  const Handle stored(H5Dget_type(dataset.id()), H5Tclose);
  if (!stored.valid() || H5Tget_class(stored.id()) != H5Tget_class(memory_type))
    fail(path, "has the wrong element type");
  void* data = allocate(count);
  if (count > 0 && H5Dread(dataset.id(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
    fail(path, "cannot read the data (truncated or corrupt file?)");
  if (dims != nullptr) *dims = std::move(shape);
}

}  // namespace apical::h5
