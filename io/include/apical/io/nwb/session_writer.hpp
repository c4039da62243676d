#pragma once
// Writes one rig session as one NWB 2.9.0 file (hdmf-common 1.8.0) with the HDF5 C API, while the
// session runs (layout: docs/nwb.md, after rig.md §9). Records are kept in memory and written in one
// go by every flush: at least once a second, when a record arrives or flush_if_due() is called.
//
// What survives a crash. Between flushes the writer makes no HDF5 call at all, so the file on disk is
// exactly what the last flush left: a complete HDF5 file in the default format (superblock 0, no SWMR
// or "open for writing" flags) that plain H5Fopen and h5py open after a kill -9, without h5clear,
// holding every record up to that flush with all per-frame arrays of one length. Buffering instead of
// appending through HDF5's caches is what guarantees that: an evicted cache entry written between
// flushes could point at space the last flush's index still uses. A kill during a flush (about 2-5 ms
// a second) is survived too, because growing datasets are neither compressed nor variable-length and
// their chunk indexes exist from the start (growing_dataset.hpp): of 1800 writers killed while flushing
// back to back, every file opened and read_session read each to at least its previous flush
// (docs/nwb.md). Each flush ends with fsync, so
// a power cut between flushes keeps the same promise (as far as the disk honours fsync).
//
// Faults lose no recorded data. A record that fails its checks (a wrong ROI count, a NaN time) throws
// std::invalid_argument and changes nothing. A failed flush (disk full, I/O error) throws WriteError and
// keeps every record it could not write for the next flush; the writer refuses to flush onto a disk
// with less than WriterOptions::min_free_bytes left, since a flush cut short by a full disk would leave
// the file half updated. A new file never replaces an existing one.
//
// One thread uses a writer; the HDF5 calls take h5::library_mutex() (libhdf5 is not thread-safe).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "apical/io/nwb/records.hpp"
#include "apical/io/nwb/session_info.hpp"

namespace apical::nwb {

// A file that cannot be created or written. The message reads "<file>: <HDF5 path>: <detail>".
class WriteError : public std::runtime_error {
 public:
  WriteError(std::string file, std::string object_path, std::string detail);
  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] const std::string& object_path() const { return object_path_; }  // "/" for the file
  [[nodiscard]] const std::string& detail() const { return detail_; }

 private:
  std::string file_, object_path_, detail_;
};

struct WriterOptions {
  std::chrono::duration<double> flush_interval{1.0};  // wall time between automatic flushes
  std::size_t chunk_bytes = 64 * 1024;                // chunk size target along time (docs/nwb.md: flush cost)
  std::uint64_t min_free_bytes = 64ull << 20;         // no flush onto a file system with less room than this
  // How a flush measures the room left on the file's disk; empty: the file system's own count
  // (statvfs). Tests put a full disk here.
  std::function<std::uint64_t(const std::string& path)> free_bytes;
};

class SessionWriter {
 public:
  // Creates `path` (never replacing a file) with the session's set-up and flushes it. Throws
  // std::invalid_argument naming the field for a bad `info`, WriteError when the file cannot be made.
  SessionWriter(const std::string& path, const SessionInfo& info, const WriterOptions& options = {});
  // Closes the file; a failure is swallowed (call close() to see it). Moving a writer onto another
  // closes the other's file the same way.
  ~SessionWriter();
  SessionWriter(SessionWriter&&) noexcept;
  SessionWriter& operator=(SessionWriter&&) noexcept;
  SessionWriter(const SessionWriter&) = delete;
  SessionWriter& operator=(const SessionWriter&) = delete;

  // Each append keeps the record, then flushes when the flush interval has passed since the last
  // flush (a failed flush throws WriteError; the record stays kept).
  void append_frame(const FrameRecord& frame);  // f, dff, f0 hold one value per ROI
  void append_lick(const Lick& lick);
  void append_reward(const Reward& reward);
  void append_trial(const Trial& trial);
  void append_epoch(const Interval& epoch);
  void append_invalid_time(const Interval& interval);
  void append_message(const LogMessage& message);
  void append_device_event(const DeviceEvent& event);
  void append_clock_ping(const ClockPing& ping);
  void append_screen_presentation(const ScreenPresentation& presentation);
  // Replaces /general/protocol at the next flush (e.g. once the calibration is known).
  void update_protocol(const std::string& protocol_json);

  void flush_if_due();
  void flush();
  // Flushes and closes; later calls do nothing. On failure the file stays open, so close() may be
  // called again once the disk has room.
  void close();

  [[nodiscard]] const std::string& path() const;
  [[nodiscard]] std::uint64_t frames() const;          // appended so far
  [[nodiscard]] std::uint64_t flushed_frames() const;  // on disk as of the last flush
  [[nodiscard]] std::uint64_t flushes() const;         // successful flushes, the one at opening included
  // Per ROI (SessionInfo::rois order): Pearson r of its ΔF/F and its partner's (Roi::paired_roi) over
  // the good frames appended so far; NaN for a ROI without a partner, or before two good frames. Every
  // flush writes it into the paired planes' pair_r columns, so the closed file holds the session's r.
  [[nodiscard]] std::vector<double> pair_r() const;

 private:
  void close_quietly() noexcept;  // the destructor's close

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace apical::nwb
