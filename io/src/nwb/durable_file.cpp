#include "durable_file.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "apical/io/nwb/session_writer.hpp"
#include "builder.hpp"

namespace apical::nwb::detail {

h5::Handle create_session_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec))
    throw WriteError(path, "/", "the file exists; a session file is never replaced");
  h5::Handle file(H5Fcreate(path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) {
    const std::string hdf5 = hdf5_error_detail();
    throw WriteError(path, "/", "cannot create the file" + (hdf5.empty() ? "" : " (HDF5: " + hdf5 + ")"));
  }
  return file;
}

void flush_to_disk(hid_t file, const std::string& path) {
  if (H5Fflush(file, H5F_SCOPE_LOCAL) < 0) {
    const std::string hdf5 = hdf5_error_detail();
    throw WriteError(path, "/", "cannot flush the file" + (hdf5.empty() ? "" : " (HDF5: " + hdf5 + ")"));
  }
  void* handle = nullptr;
  if (H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) < 0 || handle == nullptr)
    throw WriteError(path, "/", "cannot reach the file's descriptor to sync it");
  if (fsync(*static_cast<int*>(handle)) != 0)
    throw WriteError(path, "/", std::string("cannot sync the file to the disk: ") + std::strerror(errno));
}

std::uint64_t free_bytes(const std::string& path) {
  struct statvfs info {};
  if (statvfs(path.c_str(), &info) != 0) return UINT64_MAX;  // cannot tell; let the write itself report
  return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
}

}  // namespace apical::nwb::detail
