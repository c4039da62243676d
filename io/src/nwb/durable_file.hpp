#pragma once
// The session file itself: created without ever replacing a file, flushed all the way to the disk,
// and guarded against flushing onto a full one. Callers hold h5::library_mutex().
#include <cstdint>
#include <string>

#include "../h5_util.hpp"

namespace apical::nwb::detail {

// Creates `path` with the default file format (superblock 0: no SWMR or "open for writing" flags, so a
// file left behind by a crash opens as it is). WriteError if it exists or cannot be made.
h5::Handle create_session_file(const std::string& path);

// H5Fflush, then fsync: the file on disk holds everything written so far. WriteError on failure.
void flush_to_disk(hid_t file, const std::string& path);

// Bytes free to an unprivileged user on the file system holding `path`.
std::uint64_t free_bytes(const std::string& path);

}  // namespace apical::nwb::detail
