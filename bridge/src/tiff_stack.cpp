#include "apical/bridge/tiff_stack.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <stdexcept>
#include <tiffio.h>
#include <vector>

namespace apical::bridge {
namespace {

// libtiff reports through handlers; collect its text so it travels inside our exception instead of
// going to stderr.
int keep_message(TIFF*, void* user_data, const char* module, const char* format, va_list args) {
  char text[512];
  std::vsnprintf(text, sizeof text, format, args);
  auto* message = static_cast<std::string*>(user_data);
  *message = std::string(module ? module : "libtiff") + ": " + text;
  return 1;
}

int ignore_warning(TIFF*, void*, const char*, const char*, va_list) { return 1; }

TIFF* open_tiff(const std::string& path, const char* mode, std::string& message) {
  TIFFOpenOptions* options = TIFFOpenOptionsAlloc();
  TIFFOpenOptionsSetErrorHandlerExtR(options, keep_message, &message);
  TIFFOpenOptionsSetWarningHandlerExtR(options, ignore_warning, nullptr);
  TIFF* tiff = TIFFOpenExt(path.c_str(), mode, options);
  TIFFOpenOptionsFree(options);
  return tiff;
}

}  // namespace

struct TiffReader::Handle {
  TIFF* tiff = nullptr;
  std::string message;  // libtiff's last error; must outlive `tiff`
  std::vector<std::uint16_t> line;
  ~Handle() {
    if (tiff) TIFFClose(tiff);
  }
};

TiffReader::TiffReader(const std::string& path) : tiff_(std::make_unique<Handle>()), path_(path) {
  tiff_->tiff = open_tiff(path, "r", tiff_->message);
  if (!tiff_->tiff) throw std::runtime_error("cannot read TIFF '" + path + "': " + tiff_->message);
  pages_ = TIFFNumberOfDirectories(tiff_->tiff);
  std::uint16_t bits = 0, samples = 1, format = SAMPLEFORMAT_UINT;
  TIFFGetField(tiff_->tiff, TIFFTAG_IMAGEWIDTH, &width_);
  TIFFGetField(tiff_->tiff, TIFFTAG_IMAGELENGTH, &height_);
  TIFFGetFieldDefaulted(tiff_->tiff, TIFFTAG_BITSPERSAMPLE, &bits);
  TIFFGetFieldDefaulted(tiff_->tiff, TIFFTAG_SAMPLESPERPIXEL, &samples);
  TIFFGetFieldDefaulted(tiff_->tiff, TIFFTAG_SAMPLEFORMAT, &format);
  if (bits != 16 || samples != 1 || (format != SAMPLEFORMAT_UINT && format != SAMPLEFORMAT_INT))
    throw std::runtime_error("TIFF '" + path + "' holds " + std::to_string(samples) + " sample(s) of " +
                             std::to_string(bits) + " bits per pixel; frames must be 16-bit grayscale (uint16 or int16)");
  if (TIFFIsTiled(tiff_->tiff)) throw std::runtime_error("TIFF '" + path + "' is tiled; frames must be stored in strips");
  is_signed_ = format == SAMPLEFORMAT_INT;
  tiff_->line.resize(width_);
}

TiffReader::~TiffReader() = default;

void TiffReader::read(std::size_t page, Frame& into) {
  const std::string where = "TIFF '" + path_ + "' page " + std::to_string(page);
  if (page >= pages_) throw std::runtime_error(where + " does not exist (" + std::to_string(pages_) + " pages)");
  TIFF* tiff = tiff_->tiff;
  if (!TIFFSetDirectory(tiff, static_cast<tdir_t>(page))) throw std::runtime_error(where + ": " + tiff_->message);
  std::uint32_t w = 0, h = 0;
  std::uint16_t bits = 0;
  TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &w);
  TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &h);
  TIFFGetFieldDefaulted(tiff, TIFFTAG_BITSPERSAMPLE, &bits);
  if (w != width_ || h != height_ || bits != 16)
    throw std::runtime_error(where + " is " + std::to_string(w) + "x" + std::to_string(h) + " at " + std::to_string(bits) +
                             " bits; page 0 is " + std::to_string(width_) + "x" + std::to_string(height_) + " at 16 bits");
  into.resize(w, h);
  into.seq = page;
  for (std::uint32_t y = 0; y < h; ++y) {
    if (TIFFReadScanline(tiff, tiff_->line.data(), y, 0) < 0)
      throw std::runtime_error(where + " line " + std::to_string(y) + ": " + tiff_->message);
    std::uint16_t* row = into.pixels.data() + std::size_t(y) * w;
    if (!is_signed_) {
      std::copy(tiff_->line.begin(), tiff_->line.end(), row);
      continue;
    }
    for (std::uint32_t x = 0; x < w; ++x) {
      const auto v = static_cast<std::int16_t>(tiff_->line[x]);
      clamped_ += v < 0;
      row[x] = v < 0 ? 0 : static_cast<std::uint16_t>(v);
    }
  }
}

void write_tiff_stack(const std::string& path, std::span<const Frame> frames) {
  std::string message;
  TIFF* tiff = open_tiff(path, "w", message);
  if (!tiff) throw std::runtime_error("cannot write TIFF '" + path + "': " + message);
  for (const Frame& f : frames) {
    if (f.width != frames[0].width || f.height != frames[0].height) {
      TIFFClose(tiff);
      throw std::runtime_error("write_tiff_stack: frames of different sizes for '" + path + "'");
    }
    TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, f.width);
    TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, f.height);
    TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 16);
    TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(tiff, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
    TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, f.height);
    TIFFSetField(tiff, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
    std::vector<std::uint16_t> row(f.width);
    for (std::uint32_t y = 0; y < f.height; ++y) {
      std::copy_n(f.pixels.begin() + std::ptrdiff_t(y) * f.width, f.width, row.begin());
      if (TIFFWriteScanline(tiff, row.data(), y, 0) < 0) {
        TIFFClose(tiff);
        throw std::runtime_error("cannot write TIFF '" + path + "': " + message);
      }
    }
    TIFFWriteDirectory(tiff);
  }
  TIFFClose(tiff);
}

}  // namespace apical::bridge
