#include "apical/sweep/slurm.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "apical/sweep/sweep_csv.hpp"

namespace apical::sweep {
namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text, bool executable) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  out << text;
  if (!out.flush()) throw std::runtime_error("error while writing " + path.string());
  out.close();
  if (executable) {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add, ec);
  }
}

std::string file_in(const SlurmJob& job, const std::string& name) { return (fs::path(job.dir) / name).string(); }

}  // namespace

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string slurm_array_script(const SlurmJob& job, const Sweep& sweep) {
  const std::size_t n = sweep.runs();
  std::ostringstream s;
  s << "#!/bin/bash\n"
    << "# Slurm job array of the apical sweep " << sweep.name << ": " << n << (n == 1 ? " run" : " runs")
    << ", array task I runs line I of manifest.tsv\n"
    << "# on one core (written by 'apical sweep --emit-slurm'). Submit with submit.sh, which also queues\n"
    << "# the merge into sweep.csv; cluster options go on its command line, e.g.\n"
    << "#   " << file_in(job, "submit.sh") << " --time=04:00:00 --partition=compute --array=0-" << n - 1 << "%50\n"
    << "# Finished runs are skipped, so the array can be submitted again after an interruption.\n"
    << "#SBATCH --job-name=apical-" << sweep.name << "\n"
    << "#SBATCH --array=0-" << n - 1 << "\n"
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --cpus-per-task=1\n"
    << "#SBATCH --output=" << file_in(job, "logs/run-%a.log") << "\n"
    << "set -eu\n"
    << "exec " << shell_quote(job.apical) << " sweep " << shell_quote(job.sweep) << " --out " << shell_quote(job.out)
    << " --run-index \"$SLURM_ARRAY_TASK_ID\" --manifest " << shell_quote(file_in(job, "manifest.tsv")) << "\n";
  return s.str();
}

std::string slurm_merge_script(const SlurmJob& job, const Sweep& sweep) {
  std::ostringstream s;
  s << "#!/bin/bash\n"
    << "# Writes sweep.csv of the apical sweep " << sweep.name << " from its finished run folders.\n"
    << "#SBATCH --job-name=apical-" << sweep.name << "-merge\n"
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --cpus-per-task=1\n"
    << "#SBATCH --output=" << file_in(job, "logs/merge.log") << "\n"
    << "set -eu\n"
    << "exec " << shell_quote(job.apical) << " sweep " << shell_quote(job.sweep) << " --out " << shell_quote(job.out)
    << " --merge\n";
  return s.str();
}

std::string slurm_submit_script(const SlurmJob& job) {
  std::ostringstream s;
  s << "#!/bin/sh\n"
    << "# Submits the array, then the merge, to start when every array task has ended (afterany: a failed\n"
    << "# run is recorded in sweep.csv like the others). Arguments go to both sbatch calls.\n"
    << "set -eu\n"
    << "array=$(sbatch --parsable \"$@\" " << shell_quote(file_in(job, "sweep.slurm")) << ")\n"
    << "array=${array%%;*}\n"
    << "echo \"array job $array\"\n"
    << "sbatch --dependency=afterany:\"$array\" \"$@\" " << shell_quote(file_in(job, "merge.slurm")) << "\n";
  return s.str();
}

std::vector<std::string> emit_slurm(SlurmJob job, const Sweep& sweep, const std::vector<Run>& runs) {
  job.apical = fs::absolute(job.apical).lexically_normal().string();
  job.sweep = fs::absolute(job.sweep).lexically_normal().string();
  job.out = fs::absolute(job.out).lexically_normal().string();
  job.dir = fs::absolute(job.dir).lexically_normal().string();
  std::error_code ec;
  fs::create_directories(fs::path(job.dir) / "logs", ec);
  if (ec) throw std::runtime_error("cannot create " + job.dir + "/logs: " + ec.message());
  const std::vector<std::pair<std::string, std::string>> files{
      {"sweep.slurm", slurm_array_script(job, sweep)},
      {"merge.slurm", slurm_merge_script(job, sweep)},
      {"submit.sh", slurm_submit_script(job)},
      {"manifest.tsv", manifest_text(sweep, runs)}};
  std::vector<std::string> written;
  for (const auto& [name, text] : files) {
    write_text(fs::path(job.dir) / name, text, name != "manifest.tsv");
    written.push_back(file_in(job, name));
  }
  return written;
}

void check_manifest(const std::string& manifest, const Run& run) {
  std::ifstream in(manifest, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the manifest " + manifest);
  std::string line;
  std::getline(in, line);  // the header
  for (std::size_t i = 0; i <= run.index; ++i)
    if (!std::getline(in, line))
      throw std::runtime_error(manifest + " has no run " + std::to_string(run.index) +
                               ": the sweep changed since it was written; emit the scripts again");
  std::istringstream fields(line);
  std::string index, folder;
  std::getline(fields, index, '\t');
  std::getline(fields, folder, '\t');
  const std::string expected = run.loads() ? run.folder : "-";
  if (index != std::to_string(run.index) || folder != expected)
    throw std::runtime_error(manifest + ": run " + std::to_string(run.index) + " is " + folder + " there but " +
                             expected + " now: the sweep or its base scenario changed since the manifest was "
                             "written; emit the scripts again");
}

}  // namespace apical::sweep
