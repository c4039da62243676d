// The RIGLINK/1 reference firmware's core (firmware/riglink/riglink_core.h) on a fake board with a
// hand-driven clock: framing and CRC checked by the host's own parser, one reply per command, the reply
// cache, rewards (calibration, MAXOPEN, the reward gap, disarmed), the watchdog, lick debounce, the
// photodiode filter, TIME, the frame-clock glitch filter and the 64-bit extension of micros().
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "apical/bridge/riglink_line.hpp"
#include "riglink_core.h"

namespace host = apical::bridge::riglink;
using Catch::Matchers::StartsWith;

namespace {

class FakeBoard : public riglink::Board {
 public:
  std::vector<std::string> bodies;  // every line sent, checked and stripped of " *HH\n"
  bool valve[riglink::kValves] = {};
  std::vector<riglink::Happening> happened;
  float stored_a = 0;

  void write_valve(std::uint8_t v, bool open) override { valve[v] = open; }
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
};

struct Rig {
  FakeBoard board;
  riglink::Settings settings;
  riglink::Device device;
  std::uint32_t now = 0;
  int seq = 0;

  explicit Rig(std::uint32_t frame_pulse_min_us = 0)
      : settings(with_board_name(frame_pulse_min_us)), device(board, settings) {
    device.boot(now);
  }
  static riglink::Settings with_board_name(std::uint32_t frame_pulse_min_us) {
    riglink::Settings s;
    s.board = "test";
    s.frame_pulse_min_us = frame_pulse_min_us;
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
  CHECK(rig.command("SYNC start 5000 50") == "ERR 2 unknown command SYNC");
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
