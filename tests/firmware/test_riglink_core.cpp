// The RIGLINK/1 reference firmware's core (firmware/riglink/riglink_core.h) on a fake board with a
// hand-driven clock: framing and CRC checked by the host's own parser, one reply per command, the reply
// cache, rewards (calibration, MAXOPEN, the reward gap, disarmed), the watchdog, lick debounce, the
// photodiode filter, TIME, the frame-clock glitch filter, the 64-bit extension of micros(), and the
// timed outputs to the µs: TTL pulses, random-interval SYNC pulses, the frame-locked opto LED and PMT
// gate (switched off by OPTO off, ESTOP and the watchdog), and STIM.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "apical/bridge/riglink_line.hpp"
#include "riglink_core.h"

namespace host = apical::bridge::riglink;
using Catch::Matchers::StartsWith;

namespace {

class FakeBoard : public riglink::Board {
 public:
  explicit FakeBoard(const std::uint32_t& clock) : clock_(clock) {}

  std::vector<std::string> bodies;  // every line sent, checked and stripped of " *HH\n"
  bool valve[riglink::kValves] = {};
  bool output[riglink::kOutputs] = {};
  struct Switch {
    std::uint8_t output;
    bool high;
    std::uint32_t at_us;  // the clock when the core switched it
  };
  std::vector<Switch> switches;
  std::vector<riglink::Happening> happened;
  float stored_a = 0;

  void write_valve(std::uint8_t v, bool open) override { valve[v] = open; }
  void write_output(std::uint8_t o, bool high) override {
    REQUIRE(o < riglink::kOutputs);
    if (output[o] != high) switches.push_back({o, high, clock_});
    output[o] = high;
  }
  void write_line(const char* line, std::uint8_t length) override {
    std::string text(line, length);
    REQUIRE(text.size() <= host::kMaxLineBytes);
    REQUIRE(text.back() == '\n');
    text.pop_back();
    const host::ParsedLine parsed = host::parse(text);
    INFO(parsed.error);
    REQUIRE(parsed.body);
    bodies.push_back(*parsed.body);
  }
  void store_calibration(std::uint8_t, float a, float) override { stored_a = a; }
  void log(riglink::Happening what, std::uint8_t, std::uint32_t) override { happened.push_back(what); }

  std::string last() const { return bodies.empty() ? "" : bodies.back(); }
  std::size_t count(riglink::Happening what) const {
    std::size_t n = 0;
    for (riglink::Happening h : happened) n += h == what;
    return n;
  }
  // Event lines of one kind ("SYN", "OPT", ...), in the order sent.
  std::vector<std::string> events(const std::string& kind) const {
    std::vector<std::string> found;
    const std::string word = " " + kind;
    for (const std::string& b : bodies) {
      if (b.rfind("EVT ", 0) != 0) continue;
      const std::size_t at = b.find(word);
      if (at != std::string::npos && (at + word.size() == b.size() || b[at + word.size()] == ' ')) found.push_back(b);
    }
    return found;
  }

 private:
  const std::uint32_t& clock_;
};

struct Rig {
  std::uint32_t now = 0;
  FakeBoard board{now};
  riglink::Settings settings;
  riglink::Device device;
  int seq = 0;

  explicit Rig(std::uint32_t frame_pulse_min_us = 0, std::uint32_t random_seed = 1)
      : settings(with_board_name(frame_pulse_min_us, random_seed)), device(board, settings) {
    device.boot(now);
  }
  static riglink::Settings with_board_name(std::uint32_t frame_pulse_min_us, std::uint32_t random_seed) {
    riglink::Settings s;
    s.board = "test";
    s.frame_pulse_min_us = frame_pulse_min_us;
    s.random_seed = random_seed;
    return s;
  }
  void send_raw(const std::string& bytes) {
    for (const char c : bytes) device.receive(c, now);
  }
  // Sends `seq text` framed and returns the reply body without its seq.
  std::string command(const std::string& text) {
    const std::string id = std::to_string(seq++);
    send_raw(host::frame(id + " " + text));
    const std::string reply = board.last();
    REQUIRE_THAT(reply, StartsWith(id + " "));
    return reply.substr(id.size() + 1);
  }
  void advance_to(std::uint32_t t) {
    now = t;
    device.update(now);
  }
  void arm_with_calibration(const std::string& a = "0.1", const std::string& b = "0") {
    REQUIRE(command("ARM") == "OK ARM");
    REQUIRE(command("CAL 0 " + a + " " + b) == "OK CAL 0 " + a + " " + b);
  }
};

}  // namespace

TEST_CASE("firmware: CRC-8 and lines agree with the host's parser", "[firmware]") {
  CHECK(riglink::crc8("123456789", 9) == 0xF4);
  CHECK(riglink::crc8("17 REWARD 0 40", 14) == host::crc8("17 REWARD 0 40"));
  Rig rig;
  CHECK(rig.board.last() == "EVT 0 BOOT ref-1");
  CHECK(rig.command("HELLO") == "OK HELLO RIGLINK/1 fw=ref-1 id=test");
  rig.send_raw(host::frame("7 HELLO").insert(11, "\r"));  // CR LF from a terminal program
  CHECK(rig.board.last() == "7 OK HELLO RIGLINK/1 fw=ref-1 id=test");
  CHECK(rig.command("PULSE 0 50") == "ERR 2 unknown command PULSE");
  CHECK(rig.command("") == "ERR 2 no command");
}

TEST_CASE("firmware: a damaged, unframed or overlong line is answered with its error and nothing runs", "[firmware]") {
  Rig rig;
  rig.command("ARM");
  std::string damaged = host::frame("5 REWARD 0 40");
  damaged[2] = 'T';  // "5 TEWARD" with the CRC of "5 REWARD"
  rig.send_raw(damaged);
  CHECK(rig.board.last() == "5 ERR 1 bad CRC");
  rig.send_raw("6 REWARD 0 40\n");
  CHECK(rig.board.last() == "6 ERR 3 no checksum");
  rig.send_raw("8 " + std::string(120, 'X') + "\n");
  CHECK(rig.board.last() == "8 ERR 7 line too long");
  CHECK_FALSE(rig.board.valve[0]);
  CHECK(rig.board.count(riglink::Happening::line_rejected) == 3);
  // The bad-CRC line was not cached: its resend, intact, is executed.
  rig.send_raw(host::frame("5 REWARD 0 40"));
  CHECK(rig.board.last() == "5 OK REWARD 0 40");
  CHECK(rig.board.valve[0]);
}

TEST_CASE("firmware: a calibrated reward opens the valve for (v - b) / a and reports RWD when it closes", "[firmware]") {
  Rig rig;
  CHECK(rig.command("REWARD 0 40") == "ERR 6 DISARMED");
  CHECK(rig.command("REWARD_UL 0 4") == "ERR 3 valve 0 has no calibration");
  CHECK(rig.command("CAL 0 0 0") == "ERR 3 CAL needs valve a b with a > 0");
  rig.arm_with_calibration("0.08", "0.5");
  CHECK(rig.board.stored_a == Approx(0.08f));
  rig.advance_to(1000000);
  REQUIRE(rig.command("HB") == "OK HB");
  CHECK(rig.command("REWARD_UL 0 2.5") == "OK REWARD_UL 0 2.5 25");  // (2.5 - 0.5) / 0.08 = 25 ms
  CHECK(rig.board.valve[0]);
  rig.advance_to(1024999);
  CHECK(rig.board.valve[0]);
  rig.advance_to(1025000);
  CHECK_FALSE(rig.board.valve[0]);
  CHECK(rig.board.last() == "EVT 1025000 RWD 0 1000000 1025000");
  CHECK(rig.command("REWARD_UL 0 0.4") == "ERR 5 valve time not positive");
  CHECK(rig.command("REWARD_UL 4 2") == "ERR 5 no valve 4");
  CHECK(rig.command("REWARD 0") == "ERR 3 REWARD needs valve and amount");
}

TEST_CASE("firmware: rewards are clamped to MAXOPEN and kept 200 ms apart", "[firmware]") {
  Rig rig;
  rig.arm_with_calibration("1e-01", "0");
  CHECK(rig.command("REWARD 0 900") == "OK REWARD 0 900");
  CHECK(rig.command("REWARD 0 10") == "ERR 4 busy");  // the valve is still open
  rig.advance_to(500000);
  CHECK(rig.board.last() == "EVT 500000 RWD 0 0 500000");
  CHECK(rig.command("HB") == "OK HB");
  CHECK(rig.command("REWARD_UL 0 1.25") == "OK REWARD_UL 0 1.25 12.5");
  rig.advance_to(600000);
  CHECK(rig.command("REWARD 0 10") == "ERR 4 busy");  // 100 ms after the last opening
  rig.advance_to(700000);
  CHECK(rig.command("REWARD 0 10") == "OK REWARD 0 10");
}

TEST_CASE("firmware: a resent command is answered from the cache and not executed again", "[firmware]") {
  Rig rig;
  rig.arm_with_calibration();
  const std::string reward = host::frame("40 REWARD_UL 0 4");
  rig.send_raw(reward);
  CHECK(rig.board.last() == "40 OK REWARD_UL 0 4 40");
  rig.advance_to(300000);  // closed, and past the reward gap: a second execution would open it again
  rig.send_raw(reward);
  CHECK(rig.board.last() == "40 OK REWARD_UL 0 4 40");
  CHECK_FALSE(rig.board.valve[0]);
  CHECK(rig.board.count(riglink::Happening::repeat_answered) == 1);
  CHECK(rig.board.count(riglink::Happening::valve_opened) == 1);
  // The same seq with another command is a restarted host, not a resend.
  rig.send_raw(host::frame("40 REWARD 0 10"));
  CHECK(rig.board.last() == "40 OK REWARD 0 10");
  CHECK(rig.board.count(riglink::Happening::valve_opened) == 2);
}

TEST_CASE("firmware: the watchdog closes the valve and disarms when HB stops", "[firmware]") {
  Rig rig;
  rig.arm_with_calibration();
  for (std::uint32_t t = 250000; t <= 2000000; t += 250000) {
    rig.advance_to(t);
    REQUIRE(rig.command("HB") == "OK HB");
  }
  rig.advance_to(2750000);
  CHECK(rig.command("REWARD 0 400") == "OK REWARD 0 400");
  rig.advance_to(3000000);
  CHECK(rig.device.armed());  // exactly the watchdog time since the last HB: not yet
  CHECK(rig.board.valve[0]);
  rig.advance_to(3000001);
  CHECK_FALSE(rig.device.armed());
  CHECK_FALSE(rig.board.valve[0]);
  CHECK(rig.board.last() == "EVT 3000001 WDOG");
  CHECK(rig.command("REWARD 0 40") == "ERR 6 DISARMED");
  CHECK(rig.command("ARM") == "OK ARM");
}

TEST_CASE("firmware: lick edges are debounced and stamped when the level settled", "[firmware]") {
  Rig rig;
  rig.advance_to(10000);
  rig.device.lick_edge(0, true, 10000);
  rig.device.lick_edge(0, false, 10100);  // contact bounce
  rig.device.lick_edge(0, true, 10200);
  rig.advance_to(15100);
  CHECK(rig.board.last() == "EVT 0 BOOT ref-1");
  rig.advance_to(15200);
  CHECK(rig.board.last() == "EVT 10200 LICK 0 1");
  rig.device.lick_edge(0, false, 40000);
  rig.device.lick_edge(0, true, 42000);  // a 2-ms gap is a bounce, not a new lick
  rig.advance_to(50000);
  CHECK(rig.board.last() == "EVT 10200 LICK 0 1");
  rig.device.lick_edge(1, true, 50000);
  rig.advance_to(60000);
  CHECK(rig.board.last() == "EVT 50000 LICK 1 1");
}

TEST_CASE("firmware: photodiode flips are reported with their edge's time once the level has held", "[firmware]") {
  Rig rig;
  rig.advance_to(20000);
  rig.device.photodiode_edge(true, 20000);
  rig.advance_to(20999);
  CHECK(rig.board.last() == "EVT 0 BOOT ref-1");  // not yet held for the 1-ms filter
  rig.advance_to(21000);
  CHECK(rig.board.last() == "EVT 20000 PHD 1");
  rig.device.photodiode_edge(false, 30000);
  rig.device.photodiode_edge(true, 30400);  // a backlight-PWM blip: no flip
  rig.advance_to(40000);
  CHECK(rig.board.last() == "EVT 20000 PHD 1");
  rig.device.photodiode_edge(false, 36700);  // the next flip, stamped before the last update
  rig.advance_to(40000);
  CHECK(rig.board.last() == "EVT 36700 PHD 0");
}

TEST_CASE("firmware: TIME answers the device clock when the command's last byte arrived", "[firmware]") {
  Rig rig;
  rig.advance_to(1000);
  const std::string line = host::frame(std::to_string(rig.seq++) + " TIME");
  for (std::size_t i = 0; i + 1 < line.size(); ++i) rig.device.receive(line[i], 1500);
  rig.device.receive('\n', 2345);  // the reply goes out as the LF arrives
  CHECK(rig.board.last() == "0 OK TIME 2345");
  rig.advance_to(5000);
  CHECK(rig.command("TIME") == "OK TIME 5000");
}

TEST_CASE("firmware: frame-clock pulses shorter than the glitch filter are not frames", "[firmware]") {
  Rig rig(1000);
  rig.advance_to(100000);
  rig.device.frame_clock_edge(true, 66000);
  rig.device.frame_clock_edge(false, 68000);
  CHECK(rig.board.last() == "EVT 66000 FRM 0");
  rig.device.frame_clock_edge(true, 80000);
  rig.device.frame_clock_edge(false, 80050);  // a valve-switching spike
  CHECK(rig.board.count(riglink::Happening::frame_glitch) == 1);
  rig.device.frame_clock_edge(true, 132000);  // stamped just after the last update: still in order
  rig.device.frame_clock_edge(false, 134000);
  CHECK(rig.board.last() == "EVT 132000 FRM 1");
}

TEST_CASE("firmware: the device clock extends micros() past its 32-bit wrap", "[firmware]") {
  Rig rig;
  const std::uint64_t wrap = std::uint64_t(1) << 32;
  for (std::uint64_t t = 0; t < wrap + 5000000; t += 1000000000) rig.advance_to(static_cast<std::uint32_t>(t));
  rig.advance_to(static_cast<std::uint32_t>(wrap - 1000));
  rig.device.lick_edge(0, true, static_cast<std::uint32_t>(wrap - 2000));
  rig.advance_to(static_cast<std::uint32_t>(wrap + 4000));  // micros() has wrapped to 4000
  CHECK(rig.board.last() == "EVT " + std::to_string(wrap - 2000) + " LICK 0 1");
  CHECK(rig.command("TIME") == "OK TIME " + std::to_string(wrap + 4000));
}

namespace {

// Steps the device clock to `until` in `step_us` increments, as a busy main loop would.
void run_until(Rig& rig, std::uint32_t until, std::uint32_t step_us = 1) {
  while (rig.now < until) rig.advance_to(std::min(until, rig.now + step_us));
}

// The device times (µs) of the event lines given.
std::vector<std::uint64_t> event_times(const std::vector<std::string>& lines) {
  std::vector<std::uint64_t> times;
  for (const std::string& line : lines) times.push_back(std::stoull(line.substr(4)));
  return times;
}

// How long each high stretch of `output` lasted, from the board's switch log.
std::vector<std::uint32_t> high_widths(const FakeBoard& board, std::uint8_t output) {
  std::vector<std::uint32_t> widths;
  std::uint32_t rose = 0;
  for (const FakeBoard::Switch& s : board.switches) {
    if (s.output != output) continue;
    if (s.high) rose = s.at_us;
    else widths.push_back(s.at_us - rose);
  }
  return widths;
}

}  // namespace

TEST_CASE("firmware: TTL raises a line for width_us on a device timer and reports it when it falls", "[firmware]") {
  Rig rig;  // disarmed: TTL lines drive other instruments' inputs, not actuators
  rig.advance_to(10000);
  CHECK(rig.command("TTL 1 2500") == "OK TTL 1 2500");
  CHECK(rig.board.output[1]);
  CHECK_FALSE(rig.board.output[0]);
  CHECK(rig.command("TTL 1 100") == "ERR 4 busy");  // the line is still high
  rig.advance_to(12499);
  CHECK(rig.board.output[1]);
  CHECK(rig.board.events("TTL").empty());
  rig.advance_to(12500);
  CHECK_FALSE(rig.board.output[1]);
  CHECK(rig.board.last() == "EVT 10000 TTL 1");  // stamped with the rising edge
  REQUIRE(high_widths(rig.board, 1) == std::vector<std::uint32_t>{2500});
  CHECK(rig.command("TTL 2 100") == "ERR 5 TTL line out of range");
  CHECK(rig.command("TTL 0 0") == "ERR 5 TTL width_us out of range");
  CHECK(rig.command("TTL 0 1000001") == "ERR 5 TTL width_us out of range");
  CHECK(rig.command("TTL 0") == "ERR 3 TTL needs line width_us");
  CHECK(rig.command("TTL 0 -5") == "ERR 3 TTL needs line width_us");
  CHECK(rig.command("TTL x 5") == "ERR 3 TTL needs line width_us");
  CHECK(rig.board.count(riglink::Happening::ttl_pulse) == 1);
}

TEST_CASE("firmware: SYNC sends pulses at seeded random intervals uniform on [0.1, 1.9] x mean until stopped",
          "[firmware]") {
  Rig rig(0, 12345);
  CHECK(rig.command("SYNC start 20 1") == "OK SYNC start 20 1");
  run_until(rig, 3000000);
  const std::vector<std::string> pulses = rig.board.events("SYN");
  const std::vector<std::uint64_t> starts = event_times(pulses);
  REQUIRE(starts.size() >= 100);
  double sum_ms = 0, shortest_ms = 1e9, longest_ms = 0;
  for (std::size_t k = 1; k < starts.size(); ++k) {
    const double interval_ms = static_cast<double>(starts[k] - starts[k - 1]) * 1e-3;
    sum_ms += interval_ms;
    shortest_ms = std::min(shortest_ms, interval_ms);
    longest_ms = std::max(longest_ms, interval_ms);
  }
  const double mean_ms = sum_ms / static_cast<double>(starts.size() - 1);
  INFO("intervals " << shortest_ms << " to " << longest_ms << " ms, mean " << mean_ms << " ms over " << starts.size() << " pulses");
  CHECK(shortest_ms >= 2.0);
  CHECK(longest_ms < 38.0);
  CHECK(shortest_ms < 6.0);   // the draws fill the range
  CHECK(longest_ms > 34.0);
  CHECK(std::abs(mean_ms - 20.0) < 4.0);
  for (std::size_t k = 0; k < pulses.size(); ++k) CHECK(pulses[k] == "EVT " + std::to_string(starts[k]) + " SYN " + std::to_string(k));
  for (const std::uint32_t width : high_widths(rig.board, riglink::kSyncOutput)) CHECK(width == 1000);

  // The same seed gives the same sequence, another seed another one.
  Rig twin(0, 12345), other(0, 777);
  for (Rig* r : {&twin, &other}) {
    REQUIRE(r->command("SYNC start 20 1") == "OK SYNC start 20 1");
    run_until(*r, 3000000, 1);
  }
  CHECK(event_times(twin.board.events("SYN")) == starts);
  CHECK(event_times(other.board.events("SYN")) != starts);

  CHECK(rig.command("SYNC stop") == "OK SYNC stop");
  const std::size_t sent = rig.board.events("SYN").size();
  run_until(rig, 3200000, 10);
  CHECK(rig.board.events("SYN").size() <= sent + 1);  // a pulse under way at the stop still ends and is reported
  CHECK_FALSE(rig.board.output[riglink::kSyncOutput]);
  const std::size_t after_stop = rig.board.events("SYN").size();
  run_until(rig, 3400000, 10);
  CHECK(rig.board.events("SYN").size() == after_stop);

  CHECK(rig.command("SYNC start 5000") == "ERR 3 SYNC needs start mean_ms width_ms, or stop");
  CHECK(rig.command("SYNC go 5000 50") == "ERR 3 SYNC needs start mean_ms width_ms, or stop");
  CHECK(rig.command("SYNC start 5 1") == "ERR 5 SYNC mean_ms out of range");
  CHECK(rig.command("SYNC start 600001 50") == "ERR 5 SYNC mean_ms out of range");
  CHECK(rig.command("SYNC start 5000 500") == "ERR 5 SYNC width_ms out of range");  // as long as the shortest interval
  CHECK(rig.command("SYNC start 5000 0") == "ERR 5 SYNC width_ms out of range");
  CHECK(rig.command("SYNC start 5000 50") == "OK SYNC start 5000 50");
}

TEST_CASE("firmware: OPTO lights the LED and gates the PMTs on every frame-clock edge, timed from the edge", "[firmware]") {
  Rig rig(1000);  // the glitch filter: the spikes below are no frames
  CHECK(rig.command("OPTO on 6000 7000") == "ERR 6 DISARMED");
  REQUIRE(rig.command("ARM") == "OK ARM");
  CHECK(rig.command("OPTO on 6000") == "ERR 3 OPTO needs on led_us gate_us, or off");
  CHECK(rig.command("OPTO dim 6000 7000") == "ERR 3 OPTO needs on led_us gate_us, or off");
  CHECK(rig.command("OPTO on 0 7000") == "ERR 5 OPTO led_us out of range");
  CHECK(rig.command("OPTO on 100001 100001") == "ERR 5 OPTO led_us out of range");
  CHECK(rig.command("OPTO on 6000 5000") == "ERR 5 OPTO gate_us out of range");  // the gate must cover the LED
  CHECK_FALSE(rig.device.led_on());
  rig.advance_to(50000);
  rig.device.frame_clock_edge(true, 50000);  // before OPTO on: no light
  CHECK_FALSE(rig.board.output[riglink::kLedOutput]);
  rig.device.frame_clock_edge(false, 52000);
  CHECK(rig.command("OPTO on 6000 7000") == "OK OPTO on 6000 7000");

  for (std::uint32_t edge = 116667; edge < 400000; edge += 66667) {
    rig.advance_to(edge);
    rig.device.frame_clock_edge(true, edge);
    CHECK(rig.board.output[riglink::kLedOutput]);
    CHECK(rig.board.output[riglink::kPmtGateOutput]);
    rig.advance_to(edge + 2000);
    rig.device.frame_clock_edge(false, edge + 2000);
    rig.device.frame_clock_edge(true, edge + 3000);  // a spike while lit does not restart the pulse
    rig.device.frame_clock_edge(false, edge + 3050);
    rig.advance_to(edge + 5999);
    CHECK(rig.device.led_on());
    rig.advance_to(edge + 6000);
    CHECK_FALSE(rig.device.led_on());
    CHECK(rig.board.output[riglink::kPmtGateOutput]);
    rig.advance_to(edge + 7000);
    CHECK_FALSE(rig.board.output[riglink::kPmtGateOutput]);
  }
  const std::vector<std::string> pulses = rig.board.events("OPT");
  REQUIRE(pulses.size() == 5);
  CHECK(pulses[0] == "EVT 116667 OPT 0 6000");  // the t of that edge's FRM
  CHECK(pulses[4] == "EVT 383335 OPT 4 6000");
  for (const std::uint32_t w : high_widths(rig.board, riglink::kLedOutput)) CHECK(w == 6000);
  for (const std::uint32_t w : high_widths(rig.board, riglink::kPmtGateOutput)) CHECK(w == 7000);
  CHECK(rig.board.events("FRM").size() == 6);  // the frame clock is reported as before

  // OPTO off mid-pulse: the LED goes off at once, the pulse is reported with its true length, and the
  // next edge stays dark.
  rig.advance_to(450000);
  rig.device.frame_clock_edge(true, 450000);
  rig.advance_to(452500);
  CHECK(rig.command("OPTO off") == "OK OPTO off");
  CHECK_FALSE(rig.device.led_on());
  CHECK(rig.board.events("OPT").back() == "EVT 450000 OPT 5 2500");
  rig.advance_to(516667);
  rig.device.frame_clock_edge(true, 516667);
  CHECK_FALSE(rig.board.output[riglink::kLedOutput]);
  CHECK(rig.board.count(riglink::Happening::opto_stopped) == 1);
}

TEST_CASE("firmware: ESTOP, DISARM and the watchdog switch the LED off and end OPTO until the next OPTO on", "[firmware]") {
  // Each section starts from an armed rig with the light on (Catch runs this set-up once per section).
  Rig rig;
  rig.command("ARM");
  REQUIRE(rig.command("OPTO on 6000 7000") == "OK OPTO on 6000 7000");
  SECTION("ESTOP") {
    rig.advance_to(100000);
    rig.device.frame_clock_edge(true, 100000);
    rig.advance_to(103000);
    CHECK(rig.command("ESTOP") == "OK ESTOP");
    CHECK_FALSE(rig.board.output[riglink::kLedOutput]);
    CHECK(rig.board.events("OPT").back() == "EVT 100000 OPT 0 3000");
    CHECK_FALSE(rig.device.armed());
    rig.advance_to(166667);
    rig.device.frame_clock_edge(true, 166667);
    CHECK_FALSE(rig.board.output[riglink::kLedOutput]);
    CHECK(rig.command("OPTO on 6000 7000") == "ERR 6 DISARMED");
    REQUIRE(rig.command("ARM") == "OK ARM");
    rig.advance_to(233334);
    rig.device.frame_clock_edge(true, 233334);
    CHECK_FALSE(rig.board.output[riglink::kLedOutput]);  // ARM alone does not bring the light back
  }
  SECTION("DISARM") {
    rig.device.frame_clock_edge(true, 0);
    CHECK(rig.command("DISARM") == "OK DISARM");
    CHECK_FALSE(rig.device.led_on());
    CHECK(rig.board.events("OPT").back() == "EVT 0 OPT 0 0");
  }
  SECTION("watchdog") {
    std::uint32_t edge = 0;
    for (; edge < 1100000; edge += 66667) {  // no HB since ARM at 0: the watchdog fires after 1,000,000 us
      run_until(rig, edge, 500);
      rig.device.frame_clock_edge(true, edge);
    }
    CHECK_FALSE(rig.device.armed());
    CHECK_FALSE(rig.board.output[riglink::kLedOutput]);
    const std::vector<std::string> pulses = rig.board.events("OPT");
    REQUIRE(pulses.size() == 15);  // edges 0 .. 933,338; those from 1,000,005 on stay dark
    CHECK(pulses.back() == "EVT 933338 OPT 14 6000");
    CHECK(rig.board.events("WDOG").size() == 1);
    CHECK(rig.board.count(riglink::Happening::opto_stopped) == 1);
  }
  SECTION("the watchdog in the middle of a pulse") {
    rig.advance_to(998000);
    rig.device.frame_clock_edge(true, 998000);
    rig.advance_to(1000001);
    CHECK_FALSE(rig.board.output[riglink::kLedOutput]);
    CHECK(rig.board.events("OPT").back() == "EVT 998000 OPT 0 2001");
    CHECK(rig.board.last() == "EVT 1000001 WDOG");
  }
}

TEST_CASE("firmware: STIM stores the angle and echoes it", "[firmware]") {
  Rig rig;
  CHECK(rig.device.stimulus_angle_cdeg() == -1);
  CHECK(rig.command("STIM 4500") == "OK STIM 4500");
  CHECK(rig.device.stimulus_angle_cdeg() == 4500);
  CHECK(rig.command("STIM 36001") == "ERR 5 STIM angle_cdeg out of range");
  CHECK(rig.command("STIM -5") == "ERR 3 STIM needs angle_cdeg");
  CHECK(rig.command("STIM") == "ERR 3 STIM needs angle_cdeg");
  CHECK(rig.device.stimulus_angle_cdeg() == 4500);
}

TEST_CASE("firmware: a reply longer than the cache's 56 bytes is cut, the same way when it is resent", "[firmware]") {
  Rig rig;
  const std::string name(70, 'Q');
  const std::string line = host::frame("9 " + name);
  rig.send_raw(line);
  const std::string first = rig.board.last();
  CHECK(first.size() == 2 + riglink::kMaxReplyBytes);
  CHECK_THAT(first, StartsWith("9 ERR 2 unknown command QQQ"));
  rig.send_raw(line);
  CHECK(rig.board.last() == first);
  CHECK(rig.board.count(riglink::Happening::repeat_answered) == 1);
}
