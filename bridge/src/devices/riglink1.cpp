// riglink1: the RIGLINK/1 reward, lick and frame-clock microcontroller (rig.md §3). Every command is
// `seq CMD args *HH` and gets exactly one reply, `seq OK CMD ...` or `seq ERR code text`; without a
// reply within reply_timeout the same seq is sent again, at most `retries` times (the device answers a
// repeated seq from its cache without re-executing, so a retried REWARD is safe), after which the rig
// fault is logged, the device marked lost and reopened later. Unsolicited `EVT t_us KIND ...` lines
// become DeviceEvents stamped with the host's monotonic clock and the device's µs clock. poll() sends
// the HB keep-alive every heartbeat_interval; the device's own watchdog closes the valves if they stop.
// A session starts with HELLO, a burst of TIME pings, CAL (the valve calibration v = a·t + b, stored on
// the device), ARM, then SYNC start when sync pulses are configured and OPTO on when the session had
// the light on before the device was lost; rewards go out as REWARD_UL, which the device converts to a
// valve time with that calibration. A trial start is a TTL pulse on the configured line; the opto light
// is OPTO on led_us gate_us / OPTO off. TTL, SYN and OPT events come back as DeviceEvents.
//
// Clock synchronisation (rig.md §5): every clock_sync_interval poll() sends TIME, noting the host's
// CLOCK_MONOTONIC before sending (t0) and when the reply was read (t1); ClockSync fits the device clock
// to the host's from these pings, and every event handed out carries its device time mapped onto the
// host clock by the latest fit. The pings are kept for the recording, so the map can be refitted
// offline. All of it runs where poll() runs: the device thread, never the frame loop.
#include <cmath>
#include <cstdlib>
#include <thread>

#include "apical/bridge/frame.hpp"
#include "apical/bridge/reward_device.hpp"
#include "apical/bridge/riglink_line.hpp"
#include "apical/io/units.hpp"
#include "serial_link.hpp"

namespace apical::bridge {
namespace {

using std::chrono::milliseconds;
using Clock = SerialLink::Clock;

struct Reply {
  enum class Status { ok, error, none } status = Status::none;
  std::vector<std::string> words;  // the reply's words after "seq"
  std::int64_t received_ns = 0;    // CLOCK_MONOTONIC when its line was read
};

// Enough pings at the start that the first events map well before the periodic pings accumulate.
constexpr int start_pings = 5;

bool parse_integer(const std::string& word, std::int64_t& into) {
  char* end = nullptr;
  into = std::strtoll(word.c_str(), &end, 10);
  return *end == '\0' && end != word.c_str();
}

class Riglink1 final : public RewardDevice {
 public:
  Riglink1(const SourceSettings& s, EventLog log)
      : RewardDevice(std::move(log)),
        link_(s),
        valve_(static_cast<int>(s.integer("valve"))),
        a_(s.number("valve_a_uL_per_ms")),
        b_(s.number("valve_b_uL")),
        reply_timeout_(static_cast<long long>(s.number("reply_timeout"))),
        retries_(static_cast<int>(s.integer("retries"))),
        heartbeat_(static_cast<long long>(s.number("heartbeat_interval"))),
        clock_sync_interval_(static_cast<long long>(s.number("clock_sync_interval"))),
        trial_ttl_line_(static_cast<int>(s.integer("trial_ttl_line"))),
        trial_ttl_width_us_(std::llround(s.number("trial_ttl_width"))),
        sync_mean_ms_(whole_ms(s, "sync_mean_interval")),
        sync_width_ms_(whole_ms(s, "sync_width")) {
    if (sync_mean_ms_ > 0 && sync_mean_ms_ < 10)
      s.fail("sync_mean_interval", "sync pulses need a mean interval of at least 10 ms (0 ms: no sync pulses)");
    if (sync_mean_ms_ > 0 && sync_width_ms_ * 10 >= sync_mean_ms_)
      s.fail("sync_width", std::to_string(sync_width_ms_) + " ms is not below a tenth of the mean interval (" +
                               std::to_string(sync_mean_ms_) + " ms): the shortest intervals would merge pulses");
  }

  bool start_session() override {
    std::string error;
    if (!link_.open(error)) {
      mark_lost(error);
      return false;
    }
    splitter_ = {};
    const Reply hello = command("HELLO");
    if (hello.status != Reply::Status::ok) return false;
    if (hello.words.size() < 3 || hello.words[2] != "RIGLINK/1") {
      link_.close();
      mark_lost("the device does not speak RIGLINK/1 (HELLO answered '" + join(hello.words) + "')");
      return false;
    }
    sync_ = ClockSync{};  // a device that comes back may have restarted its clock
    for (int k = 0; k < start_pings && !lost_; ++k) ping();
    next_ping_ = Clock::now() + clock_sync_interval_;
    const std::string calibration = std::to_string(valve_) + " " + format_number(a_) + " " + format_number(b_);
    if (command("CAL " + calibration).status != Reply::Status::ok) return false;
    if (command("ARM").status != Reply::Status::ok) return false;
    log("START " + describe() + ": " + join(hello.words) + ", valve " + std::to_string(valve_) + " calibrated v = " +
        format_number(a_) + " uL/ms * t + " + format_number(b_) + " uL, armed");
    // Sync pulses and the light are not worth failing the start for: a refusal is logged by command().
    if (sync_mean_ms_ > 0)
      command("SYNC start " + std::to_string(sync_mean_ms_) + " " + std::to_string(sync_width_ms_));
    if (opto_) command(opto_command(opto_));  // the light the session had on before the device was lost
    if (lost_) {
      lost_ = false;
      ++counters_.reconnects;
      log("RECONNECT " + describe());
    }
    return true;
  }

  bool deliver_reward(double volume_uL) override {
    if (lost_) {
      refuse("device lost");
      return false;
    }
    if (volume_uL <= b_) {
      refuse(format_number(volume_uL) + " uL is not above the calibration offset b = " + format_number(b_) + " uL");
      return false;
    }
    const Reply reply = command("REWARD_UL " + std::to_string(valve_) + " " + format_number(volume_uL));
    if (reply.status != Reply::Status::ok) {
      refuse(reply.status == Reply::Status::error ? "device answered '" + join(reply.words) + "'" : "no reply");
      return false;
    }
    ++counters_.rewards;
    return true;
  }

  void mark_trial_start() override {
    if (lost_ || trial_ttl_line_ < 0) return;
    command("TTL " + std::to_string(trial_ttl_line_) + " " + std::to_string(trial_ttl_width_us_));
  }

  bool set_opto(const std::optional<OptoPulses>& pulses) override {
    opto_ = pulses;
    if (lost_) return false;  // sent again when the device comes back
    return command(opto_command(pulses)).status == Reply::Status::ok;
  }

  void poll(std::vector<DeviceEvent>& out, milliseconds wait) override {
    const Clock::time_point deadline = Clock::now() + wait;
    if (lost_ && link_.reopen_due()) start_session();
    if (!lost_ && Clock::now() >= next_heartbeat_) {
      next_heartbeat_ = Clock::now() + heartbeat_;
      command("HB");
    }
    if (!lost_ && Clock::now() >= next_ping_) {
      next_ping_ = Clock::now() + clock_sync_interval_;
      ping();
    }
    if (!lost_) {
      for (Clock::time_point until = deadline; read_lines(until);) until = Clock::now();
    }
    if (const std::optional<ClockFit>& fit = sync_.fit())
      for (DeviceEvent& e : pending_) e.mapped_ns = fit->host_ns_at(e.device_us);
    out.insert(out.end(), pending_.begin(), pending_.end());
    pending_.clear();
    if (lost_) std::this_thread::sleep_until(deadline);
  }

  [[nodiscard]] std::string describe() const override { return "riglink1 on " + link_.path(); }
  [[nodiscard]] std::optional<ClockFit> clock_fit() const override { return sync_.fit(); }

 private:
  static std::int64_t whole_ms(const SourceSettings& s, const std::string& name) {
    const double ms = s.number(name);
    if (std::abs(ms - std::round(ms)) > 1e-9)
      s.fail(name, "RIGLINK/1 takes whole milliseconds, not " + format_number(ms) + " ms");
    return std::llround(ms);
  }

  static std::string opto_command(const std::optional<OptoPulses>& pulses) {
    return pulses ? "OPTO on " + std::to_string(pulses->led_us) + " " + std::to_string(pulses->gate_us) : "OPTO off";
  }

  static std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
  }

  // One TIME ping: t0, the device's clock, t1 (rig.md §5). A device without TIME is logged by
  // command() and its events keep no mapped time.
  void ping() {
    const std::int64_t sent_ns = monotonic_ns();
    const Reply reply = command("TIME");
    if (reply.status != Reply::Status::ok) return;
    std::int64_t device_us = 0;
    if (reply.words.size() != 3 || !parse_integer(reply.words[2], device_us))
      return corrupt("TIME reply without a device time: '" + join(reply.words) + "'");
    const ClockPing p{sent_ns, device_us, reply.received_ns};
    sync_.add(p);
    clock_pings_.push_back(p);
    ++counters_.clock_pings;
  }

  // Sends `seq CMD args` and waits for its reply, resending on silence; events that arrive meanwhile
  // are kept for poll().
  Reply command(const std::string& text) {
    const std::string seq = std::to_string(seq_++);
    const std::string line = riglink::frame(seq + " " + text);
    for (int attempt = 0; attempt <= retries_; ++attempt) {
      if (attempt > 0) ++counters_.retries;
      if (!link_.port().write_all(line)) {
        mark_lost(link_.port().lost_reason());
        return {};
      }
      awaited_seq_ = seq;
      awaited_ = {};
      const Clock::time_point until = Clock::now() + reply_timeout_;
      while (awaited_.status == Reply::Status::none && read_lines(until)) {
      }
      if (!link_.is_open()) return {};
      // ERR 1: the device got our line damaged; sending it again is the cure.
      if (awaited_.status == Reply::Status::error && awaited_.words.size() > 1 && awaited_.words[1] == "1") continue;
      if (awaited_.status != Reply::Status::none) {
        if (awaited_.status == Reply::Status::error) log("ERROR " + describe() + " refused '" + seq + " " + text + "': " + join(awaited_.words));
        return awaited_;
      }
    }
    link_.close();
    mark_lost("rig fault: no reply to '" + seq + " " + text + "' after " + std::to_string(retries_) + " retries");
    return {};
  }

  // Reads what arrives before `until` and handles every complete line; false on timeout or loss.
  bool read_lines(Clock::time_point until) {
    char bytes[256];
    std::size_t got = 0;
    const SerialPort::ReadStatus status = link_.port().read_some(bytes, until, got);
    if (status == SerialPort::ReadStatus::lost) mark_lost(link_.port().lost_reason());
    if (status != SerialPort::ReadStatus::data) return false;
    const std::int64_t host_ns = monotonic_ns();
    std::vector<std::string> lines, overlong;
    splitter_.feed(std::string_view(bytes, got), lines, overlong);
    for (const std::string& start : overlong) corrupt("line longer than 96 bytes: " + start);
    for (const std::string& line : lines) handle(line, host_ns);
    return true;
  }

  void corrupt(const std::string& why) {
    ++counters_.corrupt_lines;
    log("CORRUPT LINE from " + describe() + ": " + why + "; line ignored");
  }

  void handle(const std::string& line, std::int64_t host_ns) {
    const riglink::ParsedLine parsed = riglink::parse(line);
    if (!parsed.body) {
      if (parsed.bad_crc) {
        ++counters_.bad_crc;
        log("BAD CRC from " + describe() + ": " + parsed.error + "; line ignored");
      } else {
        corrupt(parsed.error);
      }
      return;
    }
    std::vector<std::string> w = riglink::words(*parsed.body);
    if (w.empty()) return corrupt("empty line");
    if (w[0] == "HB") return;  // the device's own heartbeat: it is alive
    if (w[0] == "EVT") return event(w, host_ns);
    if (w[0].find_first_not_of("0123456789") != std::string::npos) return corrupt("unknown line '" + *parsed.body + "'");
    if (w[0] != awaited_seq_) return;  // a late reply to an earlier attempt, already answered
    if (w.size() < 2 || (w[1] != "OK" && w[1] != "ERR")) return corrupt("reply is neither OK nor ERR: '" + *parsed.body + "'");
    awaited_.status = w[1] == "OK" ? Reply::Status::ok : Reply::Status::error;
    awaited_.words.assign(w.begin() + 1, w.end());
    awaited_.received_ns = host_ns;
    awaited_seq_.clear();
  }

  void event(const std::vector<std::string>& w, std::int64_t host_ns) {
    const auto number = [&](std::size_t i, std::int64_t& into) { return i < w.size() && parse_integer(w[i], into); };
    std::int64_t t = 0, a = 0, b = 0, c = 0;
    if (w.size() < 3 || !number(1, t)) return corrupt("event without a device time: '" + join(w) + "'");
    const std::string& kind = w[2];
    if (kind == "LICK" && number(3, a) && number(4, b)) {
      pending_.push_back({DeviceEvent::Kind::lick, host_ns, t, static_cast<int>(a), b, {}});
      if (b == 1) ++counters_.licks;
    } else if (kind == "RWD" && number(3, a) && number(4, b) && number(5, c)) {
      pending_.push_back({DeviceEvent::Kind::reward, host_ns, b, static_cast<int>(a), c - b, {}});  // at the opening
    } else if (kind == "FRM" && number(3, a)) {
      pending_.push_back({DeviceEvent::Kind::frame_clock, host_ns, t, 0, a, {}});
    } else if (kind == "PHD" && number(3, a)) {
      pending_.push_back({DeviceEvent::Kind::photodiode, host_ns, t, 0, a, {}});
    } else if (kind == "WDOG") {
      pending_.push_back({DeviceEvent::Kind::watchdog, host_ns, t, 0, 0, {}});
      log("WATCHDOG " + describe() + ": the device heard no HB in time, closed its valves, switched the LED off and disarmed");
    } else if (kind == "BOOT") {
      log("BOOT " + describe() + " restarted (" + join(w) + "); it is disarmed until the next session start");
    } else if (kind == "TTL" && number(3, a)) {
      pending_.push_back({DeviceEvent::Kind::ttl, host_ns, t, static_cast<int>(a), 0, {}});
    } else if (kind == "SYN" && number(3, a)) {
      pending_.push_back({DeviceEvent::Kind::sync, host_ns, t, 0, a, {}});
    } else if (kind == "OPT" && number(3, a) && number(4, b)) {
      pending_.push_back({DeviceEvent::Kind::opto, host_ns, t, 0, b, {}});  // the pulse count a is the device's own
    } else {
      corrupt("unknown or malformed event '" + join(w) + "'");
    }
  }

  SerialLink link_;
  int valve_;
  double a_, b_;  // calibration: volume (uL) = a (uL/ms) * open time (ms) + b (uL)
  milliseconds reply_timeout_;
  int retries_;
  milliseconds heartbeat_;
  milliseconds clock_sync_interval_;
  int trial_ttl_line_;  // -1: no trial-start pulse
  std::int64_t trial_ttl_width_us_;
  std::int64_t sync_mean_ms_, sync_width_ms_;  // mean 0: no sync pulses
  std::optional<OptoPulses> opto_;             // the light the session asked for last
  ClockSync sync_;
  Clock::time_point next_ping_{};
  std::uint16_t seq_ = 0;  // wraps at 65535 as the protocol says
  riglink::LineSplitter splitter_;
  std::string awaited_seq_;
  Reply awaited_;
  std::vector<DeviceEvent> pending_;
  Clock::time_point next_heartbeat_{};
};

}  // namespace

void register_riglink1(RewardDeviceRegistry& registry) {
  using Kind = SourceParameter::Kind;
  registry.add(
      {"riglink1",
       "RIGLINK/1 microcontroller: CRC-checked, sequence-numbered commands with one reply each, timestamped lick, "
       "reward, frame-clock, photodiode, TTL, sync and opto events mapped to the host clock by TIME pings, a device "
       "watchdog fed by HB, valve calibration in uL, a TTL pulse at each trial start, random-interval sync pulses, "
       "the frame-locked opto LED",
       {serial_parameters::path(),
        serial_parameters::baud(115200),
        {"valve", Kind::integer, "1", 0, 15, {}, 0, "the reward valve's index on the device"},
        {"valve_a_uL_per_ms", Kind::quantity, "1", 1e-6, 1000, {}, nullptr,
         "calibration slope a of v = a*t + b: uL per ms of valve opening (rig.md §4)"},
        {"valve_b_uL", Kind::quantity, "1", -1000, 1000, {}, 0, "calibration offset b of v = a*t + b, in uL"},
        {"reply_timeout", Kind::quantity, "ms", 1, 10000, {}, "50 ms", "wait for a reply before sending the command again"},
        {"retries", Kind::integer, "1", 0, 100, {}, 3, "resends of an unanswered command before a rig fault"},
        {"heartbeat_interval", Kind::quantity, "ms", 10, 10000, {}, "250 ms",
         "HB keep-alive period; the device closes its valves when HB stops (its watchdog, 1000 ms by default)"},
        {"clock_sync_interval", Kind::quantity, "ms", 100, 60000, {}, "2000 ms",
         "TIME ping period of the host-device clock fit (rig.md §5: every 2 s, fit over the last 60 s)"},
        {"trial_ttl_line", Kind::integer, "1", -1, 1, {}, -1,
         "TTL line pulsed at every trial start (RIGLINK/1 has lines 0 and 1; -1: no pulse)"},
        {"trial_ttl_width", Kind::quantity, "us", 1, 1e6, {}, "1000 us", "width of the trial-start TTL pulse"},
        {"sync_mean_interval", Kind::quantity, "ms", 0, 600000, {}, "0 ms",
         "mean interval of the random-interval sync pulses (uniform on [0.1, 1.9] x mean, rig.md §5: 5 s), started "
         "with the session; 0 ms: none"},
        {"sync_width", Kind::quantity, "ms", 1, 60000, {}, "50 ms", "width of each sync pulse (rig.md §5: 50 ms)"},
        serial_parameters::reconnect_interval()}},
      [](const SourceSettings& s, RewardDevice::EventLog log) { return std::make_unique<Riglink1>(s, std::move(log)); });
}

}  // namespace apical::bridge
