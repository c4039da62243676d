#include "apical/viz/movie.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace apical::viz {

bool encode_mp4(const std::string& frame_pattern, double fps, const std::string& mp4) {
  const std::string rate = std::to_string(fps);
  // H.264 needs even dimensions; pad by a pixel rather than fail on odd picture sizes.
  std::vector<std::string> args{"ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-framerate", rate,
                                "-i", frame_pattern, "-c:v", "libx264", "-pix_fmt", "yuv420p",
                                "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", mp4};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, "ffmpeg", nullptr, nullptr, argv.data(), environ);
  if (spawned == ENOENT) return false;
  if (spawned != 0) throw std::runtime_error(std::string("cannot start ffmpeg: ") + std::strerror(spawned));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("waiting for ffmpeg: ") + std::strerror(errno));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("ffmpeg failed to encode " + mp4 + " from " + frame_pattern);
  return true;
}

}  // namespace apical::viz
