#pragma once
// A chunked dataset that grows along its first dimension (time, or table rows): rows are kept in
// memory by append() and written by write_pending() at the next flush, so between flushes the file is
// not touched (session_writer.hpp).
//
// Uncompressed on purpose. A flush rewrites the chunk it appends to; a compressed chunk changes size,
// so HDF5 moves it and frees its old place for later allocations, and a kill during a flush then left
// the index pointing at overwritten bytes in most stress runs (docs/nwb.md). An uncompressed chunk
// keeps its place and only gains rows. Chunks span chunk_rows rows, chunk_rows = chunk_bytes / (row
// size) within [16, 65536].
#include <span>
#include <string>
#include <vector>

#include "builder.hpp"

namespace apical::nwb::detail {

// T is the type in memory: double (float file types; NaN is the fill value), std::int64_t (integer file
// types) or std::string (fixed-length UTF-8 text, fixed_text_type). Text that grows is fixed-length:
// variable-length strings live in HDF5's global heap, a separate object, so a kill between a flush's
// writing a dataset's new size and its heap block would leave rows pointing nowhere; a fixed-length
// row is in the chunk itself.
template <class T>
class GrowingDataset {
 public:
  GrowingDataset() = default;
  // A dataset of rows of `width` values (width 0: a 1-D dataset of single values).
  GrowingDataset(const Builder& builder, const Node& parent, const std::string& name, hid_t file_type,
                 std::size_t width, std::size_t chunk_bytes);

  void append(const T& value) { pending_.push_back(value); }
  void append(std::span<const T> row) { pending_.insert(pending_.end(), row.begin(), row.end()); }

  // Extends the dataset and writes the pending rows; they are dropped only once written.
  void write_pending(const Builder& builder);

  [[nodiscard]] const Node& node() const { return node_; }

 private:
  void make_chunk_index(const Builder& builder, hid_t file_type, hsize_t row_bytes);

  Node node_;
  hsize_t width_ = 0;           // 0 = 1-D
  std::size_t text_bytes_ = 0;  // the fixed length of a text dataset
  hsize_t rows_ = 0;
  std::vector<T> pending_;
};

extern template class GrowingDataset<double>;
extern template class GrowingDataset<std::int64_t>;
extern template class GrowingDataset<std::string>;

}  // namespace apical::nwb::detail
