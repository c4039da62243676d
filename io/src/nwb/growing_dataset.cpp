#include "growing_dataset.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace apical::nwb::detail {

namespace {

constexpr hsize_t min_chunk_rows = 16, max_chunk_rows = 65536;

template <class T>
hid_t memory_type();
template <>
hid_t memory_type<double>() {
  return H5T_NATIVE_DOUBLE;
}
template <>
hid_t memory_type<std::int64_t>() {
  return H5T_NATIVE_INT64;
}

}  // namespace

template <class T>
GrowingDataset<T>::GrowingDataset(const Builder& builder, const Node& parent, const std::string& name, hid_t file_type,
                                  std::size_t width, std::size_t chunk_bytes)
    : width_(width), text_bytes_(std::is_same_v<T, std::string> ? H5Tget_size(file_type) : 0) {
  const std::string path = parent.child(name);
  const int rank = width_ == 0 ? 1 : 2;
  const hsize_t row_bytes = H5Tget_size(file_type) * std::max<hsize_t>(width_, 1);
  const hsize_t chunk_rows = std::clamp<hsize_t>(chunk_bytes / row_bytes, min_chunk_rows, max_chunk_rows);
  const hsize_t dims[2] = {0, width_}, max_dims[2] = {H5S_UNLIMITED, width_}, chunk[2] = {chunk_rows, width_};
  const h5::Handle space(H5Screate_simple(rank, dims, max_dims), H5Sclose);
  const h5::Handle creation = builder.dataset_creation();
  builder.check(H5Pset_chunk(creation.id(), rank, chunk), path, "cannot set the chunk size");
  if constexpr (std::is_same_v<T, double>) {
    // Rows a flush cut short by a kill would leave unwritten read as NaN, never as plausible zeros.
    const double fill = std::numeric_limits<double>::quiet_NaN();
    builder.check(H5Pset_fill_value(creation.id(), H5T_NATIVE_DOUBLE, &fill), path, "cannot set the fill value");
  }
  // Room for the chunk being appended to and the one before it, so a flush never reads a chunk back.
  const h5::Handle access(H5Pcreate(H5P_DATASET_ACCESS), H5Pclose);
  const std::size_t cache_bytes = std::max<std::size_t>(1 << 20, 3 * chunk_rows * row_bytes);
  builder.check(H5Pset_chunk_cache(access.id(), 521, cache_bytes, 0.75), path, "cannot set the chunk cache");
  node_ = Node{
      h5::Handle(H5Dcreate2(parent.id(), name.c_str(), file_type, space.id(), H5P_DEFAULT, creation.id(), access.id()),
                 H5Dclose),
      path};
  if (!node_.handle.valid()) builder.fail(path, "cannot create the dataset");
  make_chunk_index(builder, file_type, row_bytes);
}

template <class T>
void GrowingDataset<T>::make_chunk_index(const Builder& builder, hid_t file_type, hsize_t row_bytes) {
  // HDF5 makes the index with the first chunk it writes. Made here, with a row written and dropped
  // again, it exists before the file's first flush; otherwise a kill during the flush that brings a
  // dataset's first rows could leave it pointing at an index not yet on disk (docs/nwb.md).
  const hsize_t one_row[2] = {1, width_}, no_row[2] = {0, width_};
  const std::vector<char> zeros(row_bytes, 0);
  builder.check(H5Dset_extent(node_.id(), one_row), node_.path, "cannot extend the dataset");
  builder.check(H5Dwrite(node_.id(), file_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, zeros.data()), node_.path,
                "cannot write a first row");
  builder.check(H5Dflush(node_.id()), node_.path, "cannot flush the dataset");
  builder.check(H5Dset_extent(node_.id(), no_row), node_.path, "cannot empty the dataset");
}

template <class T>
void GrowingDataset<T>::write_pending(const Builder& builder) {
  if (pending_.empty()) return;
  const hsize_t columns = std::max<hsize_t>(width_, 1);
  const hsize_t new_rows = pending_.size() / columns;
  const int rank = width_ == 0 ? 1 : 2;
  const hsize_t extent[2] = {rows_ + new_rows, width_}, start[2] = {rows_, 0}, count[2] = {new_rows, width_};
  builder.check(H5Dset_extent(node_.id(), extent), node_.path, "cannot extend the dataset");
  const h5::Handle file_space(H5Dget_space(node_.id()), H5Sclose);
  const h5::Handle memory_space(H5Screate_simple(rank, count, nullptr), H5Sclose);
  builder.check(file_space.valid() && memory_space.valid()
                    ? H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, start, nullptr, count, nullptr)
                    : -1,
                node_.path, "cannot select the new rows");
  herr_t written = -1;
  if constexpr (std::is_same_v<T, std::string>) {
    std::vector<char> texts(pending_.size() * text_bytes_, '\0');
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      if (pending_[i].size() > text_bytes_)
        throw std::logic_error(node_.path + ": a text longer than " + std::to_string(text_bytes_) + " bytes");
      pending_[i].copy(texts.data() + i * text_bytes_, text_bytes_);
    }
    const h5::Handle type = fixed_text_type(text_bytes_);
    written = H5Dwrite(node_.id(), type.id(), memory_space.id(), file_space.id(), H5P_DEFAULT, texts.data());
  } else {
    written = H5Dwrite(node_.id(), memory_type<T>(), memory_space.id(), file_space.id(), H5P_DEFAULT, pending_.data());
  }
  builder.check(written, node_.path, "cannot write " + std::to_string(new_rows) + " rows");
  rows_ += new_rows;
  pending_.clear();
}

template class GrowingDataset<double>;
template class GrowingDataset<std::int64_t>;
template class GrowingDataset<std::string>;

}  // namespace apical::nwb::detail
