#pragma once
// Multi-page 16-bit grayscale TIFF files (ScanImage and suite2p style), through libtiff: the replay
// source, label-image ROIs and reference images read them. uint16 pages are read as they are; int16
// pages (ScanImage's default) have their negative pixels, PMT offset noise, clamped to 0 and counted.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "apical/bridge/frame.hpp"

namespace apical::bridge {

class TiffReader {
 public:
  // Throws std::runtime_error naming the file (and libtiff's own message) if it cannot be read or its
  // first page is not one-sample 16-bit grayscale.
  explicit TiffReader(const std::string& path);
  ~TiffReader();
  TiffReader(const TiffReader&) = delete;
  TiffReader& operator=(const TiffReader&) = delete;

  [[nodiscard]] std::size_t pages() const { return pages_; }
  [[nodiscard]] std::uint32_t width() const { return width_; }
  [[nodiscard]] std::uint32_t height() const { return height_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  // Negative int16 pixels clamped to 0 so far.
  [[nodiscard]] std::uint64_t clamped_pixels() const { return clamped_; }

  // Reads one page into a row-major frame (seq = page). Throws std::runtime_error naming file and page
  // if the page differs in size or format from the first.
  void read(std::size_t page, Frame& into);

 private:
  struct Handle;
  std::unique_ptr<Handle> tiff_;
  std::string path_;
  std::size_t pages_ = 0;
  std::uint32_t width_ = 0, height_ = 0;
  bool is_signed_ = false;
  std::uint64_t clamped_ = 0;
};

// Writes frames (all of one size) as a multi-page uint16 TIFF; throws std::runtime_error on failure.
void write_tiff_stack(const std::string& path, std::span<const Frame> frames);

}  // namespace apical::bridge
