// A RIGLINK/1 device (rig.md §3): boots DISARMED with valves closed, answers every command once,
// caches its last 8 (seq, reply) pairs and answers a repeated seq from the cache without re-executing,
// opens valves on timers clamped to MAXOPEN with 200 ms between rewards, converts REWARD_UL with the
// stored calibration, and closes every valve and disarms when no HB arrives for the watchdog time.
// Faults (dropped, corrupted and garbage replies) act on the way out, after the cache.
#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <utility>

#include "apical/bridge/riglink_line.hpp"
#include "apical/io/units.hpp"
#include "emulator_options.hpp"
#include "lick_generator.hpp"

namespace apical::emulator {
namespace {

namespace riglink = apical::bridge::riglink;

constexpr std::int64_t kMaxOpenUs = 500000;         // MAXOPEN
constexpr std::int64_t kMinRewardGapUs = 200000;    // minimum interval between rewards
constexpr std::size_t kReplyCache = 8;

struct Calibration {
  double a = 0, b = 0;  // v (uL) = a (uL/ms) * t (ms) + b (uL)
};

bool parse_number(const std::string& text, double& into) {
  char* end = nullptr;
  into = std::strtod(text.c_str(), &end);
  return end != text.c_str() && *end == '\0';
}

class RiglinkDevice final : public EmulatedDevice {
 public:
  RiglinkDevice(const Options& o, Send send)
      : o_(o), send_(std::move(send)), licks_(o.lick_interval_ms),
        frame_period_us_(o.frame_hz > 0 ? static_cast<std::int64_t>(1e6 / o.frame_hz) : 0) {}

  void receive(std::string_view bytes, std::int64_t now_us) override {
    std::vector<std::string> lines, overlong;
    splitter_.feed(bytes, lines, overlong);
    for (std::size_t k = 0; k < overlong.size(); ++k) reply("0", "ERR 7 line too long");
    for (const std::string& line : lines) command(line, now_us);
  }

  void tick(std::int64_t now_us) override {
    if (valve_open_ && now_us >= close_at_us_) {
      valve_open_ = false;
      report("VALVE " + std::to_string(open_valve_) + " CLOSED");
      event(now_us, "RWD " + std::to_string(open_valve_) + " " + std::to_string(opened_at_us_) + " " + std::to_string(now_us));
    }
    if (armed_ && now_us - last_hb_us_ > o_.watchdog_ms * 1000) {
      const bool was_open = valve_open_;
      valve_open_ = false;
      armed_ = false;
      report(std::string("WDOG no HB for ") + std::to_string(o_.watchdog_ms) + " ms: valves closed (" +
             (was_open ? "one was open" : "all were closed") + "), LED off, disarmed");
      event(now_us, "WDOG");
    }
    if (const int lick = licks_.step(now_us); lick != 0) event(now_us, lick > 0 ? "LICK 0 1" : "LICK 0 0");
    if (frame_period_us_ > 0 && now_us >= next_frame_us_) {
      next_frame_us_ = now_us + frame_period_us_;
      event(now_us, "FRM " + std::to_string(frames_++));
    }
  }

  [[nodiscard]] bool settled_after_unplug() const override { return !armed_ && !valve_open_; }

 private:
  void event(std::int64_t now_us, const std::string& what) { send_(riglink::frame("EVT " + std::to_string(now_us) + " " + what)); }

  // Sends a reply through the fault injector; the cache always holds the true reply.
  void reply(const std::string& seq, const std::string& text) {
    ++replies_;
    if (o_.garbage_every > 0 && replies_ % o_.garbage_every == 0) {
      report("GARBAGE before reply " + std::to_string(replies_));
      send_("\x01\x7f~noise without a checksum\n");
    }
    if (o_.drop_reply_every > 0 && replies_ % o_.drop_reply_every == 0) {
      report("DROP reply '" + seq + " " + text + "'");
      return;
    }
    std::string line = riglink::frame(seq + " " + text);
    if (o_.corrupt_crc_every > 0 && replies_ % o_.corrupt_crc_every == 0) {
      char& digit = line[line.size() - 2];
      digit = digit == '0' ? '1' : '0';
      report("CORRUPT CRC of reply '" + seq + " " + text + "'");
    }
    send_(line);
  }

  void command(const std::string& line, std::int64_t now_us) {
    const riglink::ParsedLine parsed = riglink::parse(line);
    if (!parsed.body) {
      const std::vector<std::string> w = riglink::words(line);
      const bool has_seq = !w.empty() && w[0].find_first_not_of("0123456789") == std::string::npos;
      report("REJECTED host line: " + parsed.error);
      if (has_seq) reply(w[0], parsed.bad_crc ? "ERR 1 bad CRC" : "ERR 3 malformed line");
      return;
    }
    const std::vector<std::string> w = riglink::words(*parsed.body);
    if (w.size() < 2) return reply(w.empty() ? "0" : w[0], "ERR 2 no command");
    for (const auto& [seq, cached] : cache_) {
      if (seq == w[0]) {
        report("REPEAT seq " + seq + " answered from the cache");
        return reply(seq, cached);
      }
    }
    const std::string answer = execute(std::vector<std::string>(w.begin() + 1, w.end()), now_us);
    cache_.emplace_back(w[0], answer);
    if (cache_.size() > kReplyCache) cache_.pop_front();
    reply(w[0], answer);
  }

  std::string execute(const std::vector<std::string>& w, std::int64_t now_us) {
    const std::string& cmd = w[0];
    const std::size_t args = w.size() - 1;
    if (cmd == "HELLO") return "OK HELLO RIGLINK/1 fw=apical-emulator-1 id=emulator";
    if (cmd == "TIME") return "OK TIME " + std::to_string(now_us);
    if (cmd == "HB") {
      last_hb_us_ = now_us;
      return "OK HB";
    }
    if (cmd == "ARM") {
      armed_ = true;
      last_hb_us_ = now_us;  // the watchdog counts from the moment outputs are enabled
      report("ARMED");
      return "OK ARM";
    }
    if (cmd == "DISARM" || cmd == "ESTOP") {
      armed_ = false;
      if (valve_open_) report("VALVE " + std::to_string(open_valve_) + " CLOSED by " + cmd);
      valve_open_ = false;
      return "OK " + cmd;
    }
    if (cmd == "CAL") {
      Calibration c;
      double valve = 0;
      if (args != 3 || !parse_number(w[1], valve) || !parse_number(w[2], c.a) || !parse_number(w[3], c.b) || c.a <= 0)
        return "ERR 3 CAL needs valve a b with a > 0";
      calibration_[static_cast<int>(valve)] = c;
      report("CAL valve " + w[1] + " a=" + w[2] + " uL/ms b=" + w[3] + " uL");
      return "OK CAL " + w[1] + " " + w[2] + " " + w[3];
    }
    if (cmd == "REWARD" || cmd == "REWARD_UL") {
      double valve = 0, amount = 0;
      if (args != 2 || !parse_number(w[1], valve) || !parse_number(w[2], amount)) return "ERR 3 " + cmd + " needs valve and amount";
      double ms = amount;
      if (cmd == "REWARD_UL") {
        const auto it = calibration_.find(static_cast<int>(valve));
        if (it == calibration_.end()) return "ERR 3 valve " + w[1] + " has no calibration";
        ms = (amount - it->second.b) / it->second.a;
      }
      if (ms <= 0) return "ERR 5 valve time " + apical::format_number(ms) + " ms is not positive";
      if (!armed_) return "ERR 6 DISARMED";
      if (valve_open_ || now_us - last_reward_us_ < kMinRewardGapUs) return "ERR 4 busy";
      const std::int64_t open_us = std::min(static_cast<std::int64_t>(ms * 1000), kMaxOpenUs);
      valve_open_ = true;
      open_valve_ = static_cast<int>(valve);
      opened_at_us_ = last_reward_us_ = now_us;
      close_at_us_ = now_us + open_us;
      report("VALVE " + w[1] + " OPEN " + std::to_string(open_us) + " us");
      return "OK " + cmd + " " + w[1] + " " + w[2] + (cmd == "REWARD_UL" ? " " + apical::format_number(open_us / 1000.0) : "");
    }
    return "ERR 2 unknown command " + cmd;
  }

  Options o_;
  Send send_;
  LickGenerator licks_;
  riglink::LineSplitter splitter_;
  std::deque<std::pair<std::string, std::string>> cache_;
  std::map<int, Calibration> calibration_;
  std::int64_t frame_period_us_, next_frame_us_ = 0, frames_ = 0;
  std::int64_t replies_ = 0;
  std::int64_t last_hb_us_ = 0, last_reward_us_ = -kMinRewardGapUs;
  std::int64_t opened_at_us_ = 0, close_at_us_ = 0;
  int open_valve_ = 0;
  bool armed_ = false, valve_open_ = false;
};

}  // namespace

std::unique_ptr<EmulatedDevice> make_riglink_device(const Options& options, Send send) {
  return std::make_unique<RiglinkDevice>(options, std::move(send));
}

}  // namespace apical::emulator
