#pragma once
// MP4 movies from numbered PNG frames, by running ffmpeg (when installed) as a separate process.
#include <string>

namespace apical::viz {

// Encodes frames matching `frame_pattern` (printf style, e.g. "dir/frame_%04d.png", numbered from 0)
// at `fps` into `mp4` (H.264, yuv420p, so that common players open it). Returns false when ffmpeg is
// not on PATH; throws std::runtime_error when ffmpeg fails.
bool encode_mp4(const std::string& frame_pattern, double fps, const std::string& mp4);

}  // namespace apical::viz
