#include "apical/io/cohort_recorder.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <tuple>

#include "apical/io/bci_mouse_file.hpp"
#include "apical/io/units.hpp"
#include "text_file.hpp"

namespace apical {
namespace {

using detail::finish;
using detail::open_for_writing;

double mean_rate(const bci::SessionRecord& s, loop::Role role) {
  double sum = 0;
  std::size_t n = 0;
  for (const bci::NeuronTrace& t : s.neurons)
    if (t.role == role) sum += t.rate_hz, ++n;
  return n != 0 ? sum / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}

template <class Row>
bool before(const Row& a, const Row& b) {
  return std::tie(a.mouse, a.day, a.session) < std::tie(b.mouse, b.day, b.session);
}

}  // namespace

const char* outcome_name(bci::TrialOutcome outcome) {
  switch (outcome) {
    case bci::TrialOutcome::hit: return "hit";
    case bci::TrialOutcome::miss: return "miss";
    case bci::TrialOutcome::incomplete: return "incomplete";
  }
  return "?";
}

CohortRecorder::CohortRecorder(std::string folder, std::string scenario)
    : folder_(std::move(folder)), scenario_(std::move(scenario)) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(folder_) / "mice", ec);
  if (ec) throw std::runtime_error("cannot create " + folder_ + "/mice: " + ec.message());
}

void CohortRecorder::record(const bci::MouseSetup& setup, bci::SessionRecord&& session) {
  std::string path;
  bool first = false;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    auto [it, inserted] = files_.try_emplace(setup.mouse, "");
    if (inserted) it->second = (std::filesystem::path(folder_) / "mice" / (setup.mouse_id + ".h5")).string();
    path = it->second;
    first = inserted;
  }
  // One mouse's sessions come from one thread, in order: only that thread touches its file.
  if (first) create_mouse_file(path, scenario_, setup);
  append_session(path, setup, session);

  SessionRow row{setup.mouse, session.mouse_id, session.day, session.session, session.trials.size(),
                 session.hits, session.misses, session.accuracy, session.rewards_per_min, session.chance,
                 session.chance_baseline, session.reward_baseline, mean_rate(session, loop::Role::plus),
                 mean_rate(session, loop::Role::minus), mean_rate(session, loop::Role::zero)};
  std::vector<TrialCsvRow> trials;
  trials.reserve(session.trials.size());
  for (std::size_t t = 0; t < session.trials.size(); ++t)
    trials.push_back({setup.mouse, session.mouse_id, session.day, session.session, t, session.trials[t]});
  const std::lock_guard<std::mutex> lock(mutex_);
  sessions_.push_back(std::move(row));
  trials_.insert(trials_.end(), trials.begin(), trials.end());
}

std::vector<SessionRow> CohortRecorder::session_rows() const {
  std::vector<SessionRow> rows;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    rows = sessions_;
  }
  std::sort(rows.begin(), rows.end(), before<SessionRow>);
  return rows;
}

std::vector<TrialCsvRow> CohortRecorder::trial_rows() const {
  std::vector<TrialCsvRow> rows;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    rows = trials_;
  }
  // Stable: a session's trials arrive together and in order.
  std::stable_sort(rows.begin(), rows.end(), before<TrialCsvRow>);
  return rows;
}

std::vector<std::string> CohortRecorder::mouse_files() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [mouse, path] : files_) out.push_back(path);
  return out;
}

std::vector<std::string> CohortRecorder::write_tables() const {
  const std::string days_path = (std::filesystem::path(folder_) / "days.csv").string();
  std::ofstream days = open_for_writing(days_path);
  days << "mouse,day,session,trials,hits,misses,accuracy,rewards_per_min,chance,chance_baseline,reward_baseline,"
          "rate_plus_hz,rate_minus_hz,rate_zero_hz\n";
  for (const SessionRow& r : session_rows())
    days << r.mouse_id << ',' << r.day << ',' << r.session << ',' << r.trials << ',' << r.hits << ',' << r.misses
         << ',' << format_number(r.accuracy) << ',' << format_number(r.rewards_per_min) << ','
         << format_number(r.chance) << ',' << format_number(r.chance_baseline) << ','
         << format_number(r.reward_baseline) << ','
         << format_number(r.rate_plus_hz) << ',' << format_number(r.rate_minus_hz) << ','
         << format_number(r.rate_zero_hz) << '\n';
  finish(days, days_path);

  const std::string trials_path = (std::filesystem::path(folder_) / "trials.csv").string();
  std::ofstream trials = open_for_writing(trials_path);
  trials << "mouse,day,session,trial,start_frame,end_frame,hit_frame,reward_frame,outcome\n";
  for (const TrialCsvRow& r : trial_rows())
    trials << r.mouse_id << ',' << r.day << ',' << r.session << ',' << r.trial << ',' << r.row.start_frame << ','
           << r.row.end_frame << ',' << r.row.hit_frame << ',' << r.row.reward_frame << ','
           << outcome_name(r.row.outcome) << '\n';
  finish(trials, trials_path);
  return {days_path, trials_path};
}

}  // namespace apical
