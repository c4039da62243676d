// RIGLINK/1 device core: everything the reward microcontroller decides, with no hardware in it
// (rig.md §3). The Arduino sketch (riglink.ino) feeds it serial bytes, sensor edges and the time, and
// gives it a Board to drive the valves and the serial line; apical-rig-emulator feeds it the same way
// from a pseudo-terminal, so the tests exercise this code and not a copy of it.
//
// Portable C++11 for avr-gcc 5 and host compilers alike: no heap, no exceptions, no standard library
// beyond <stdint.h>, <stddef.h> and <string.h>, no printf (avr-libc's has no 64-bit integers).
//
// Protocol, as implemented here:
//   * lines are `body *HH` LF (at most 96 bytes), HH the CRC-8 (poly 0x07) of the body; CR is ignored;
//   * host commands `seq CMD args`, each answered once with `seq OK CMD ...` or `seq ERR code text`;
//   * a command whose seq and body match one of the last 8 answered is a resend: its cached reply goes
//     out again and nothing is executed, so a retried REWARD opens the valve once;
//   * HELLO, TIME, HB, ARM, DISARM, ESTOP, CAL valve a b, REWARD valve ms, REWARD_UL valve uL;
//     other commands of rig.md (TTL, SYNC, OPTO, STIM) answer ERR 2;
//   * events `EVT t_us KIND ...` on the device's µs clock extended to 64 bits: BOOT, LICK port 0|1
//     (after the lick debounce), FRM n (frame-clock pulses that pass the glitch filter), PHD 0|1 (a
//     stimulus photodiode's level, once it has held for the photodiode filter time), RWD valve
//     open_us close_us (when the valve closes), WDOG (no HB for the watchdog time while armed: valves
//     closed, disarmed). LICK and PHD carry the time of the edge, not of the filter's verdict.
#ifndef APICAL_FIRMWARE_RIGLINK_CORE_H
#define APICAL_FIRMWARE_RIGLINK_CORE_H

#include <stddef.h>
#include <stdint.h>

namespace riglink {

const uint8_t kMaxLineBytes = 96;                 // including " *HH" and LF
const uint8_t kMaxBodyBytes = kMaxLineBytes - 5;  // what is left for the body
const uint8_t kValves = 4;
const uint8_t kLickPorts = 2;
const uint8_t kReplyCache = 8;

// CRC-8, polynomial 0x07, initial 0, no reflection, no final XOR: "123456789" gives 0xF4.
uint8_t crc8(const char* bytes, size_t length);

struct Settings {
  Settings();
  const char* firmware;          // reported by HELLO and BOOT, e.g. "ref-1"
  const char* board;             // reported by HELLO, e.g. "leonardo"
  uint32_t watchdog_ms;          // armed and no HB for this long: valves closed, disarmed (1000)
  uint32_t max_open_us;          // MAXOPEN: no opening lasts longer (500 ms)
  uint32_t min_reward_gap_us;    // rewards closer than this are refused as busy (200 ms)
  uint32_t lick_debounce_us;     // a lick level counts once it has held this long (5 ms)
  uint32_t frame_pulse_min_us;   // glitch filter: shorter frame-clock pulses are not frames; set it to
                                 // half the microscope's pulse width (0: every pulse counts)
  uint32_t photodiode_min_us;    // a photodiode level counts once it has held this long (1 ms): shorter
                                 // blips (backlight PWM, ringing) are not flips
};

// What the device did, for a board that has somewhere to log it (the emulator prints it; the sketch
// has no second port and ignores it).
enum class Happening : uint8_t {
  valve_opened,     // index = valve, value = open time in µs
  valve_closed,     // index = valve, value = µs it was open
  armed,
  disarmed,         // by DISARM or ESTOP
  watchdog,         // value = 1 if a valve was open
  repeat_answered,  // value = seq answered from the reply cache
  line_rejected,    // value = the error code sent back (1 bad CRC, 3 malformed, 7 too long)
  frame_glitch,     // value = width in µs of the rejected pulse
};

// The hardware, as the core sees it.
class Board {
 public:
  virtual void write_valve(uint8_t valve, bool open) = 0;
  // One whole line, " *HH" and LF included.
  virtual void write_line(const char* line, uint8_t length) = 0;
  virtual void store_calibration(uint8_t valve, float a_uL_per_ms, float b_uL) { (void)valve, (void)a_uL_per_ms, (void)b_uL; }
  virtual void log(Happening what, uint8_t index, uint32_t value) { (void)what, (void)index, (void)value; }

 protected:
  ~Board() {}  // not virtual: the core never deletes a Board, and AVR has no operator delete
};

// The 32-bit µs counter (micros() wraps every 71.6 minutes) extended to 64 bits. Needs a sample at
// least once per wrap; the device loop gives one every pass.
class DeviceClock {
 public:
  uint64_t advance(uint32_t now_us);
  // A counter value from within ±35 minutes of the last advance(), e.g. an edge an interrupt stamped.
  uint64_t at(uint32_t stamp_us) const;
  uint64_t now() const { return now_; }

 private:
  uint64_t now_ = 0;
  uint32_t last_ = 0;
};

class Device {
 public:
  Device(Board& board, const Settings& settings);

  // Sends EVT BOOT. Valves closed, disarmed.
  void boot(uint32_t now_us);
  // One byte from the host; a complete line is answered at once.
  void receive(char byte, uint32_t now_us);
  // Timers: closes the valve when its time is up, fires the watchdog, reports settled lick levels.
  // Call every pass of the main loop, before handing over the sensor edges stamped since the last pass.
  void update(uint32_t now_us);
  // A raw lick-sensor level change, stamped when it happened (an interrupt's micros()).
  void lick_edge(uint8_t port, bool touching, uint32_t at_us);
  // A raw frame-clock level change (active high). A pulse counts as a frame at its falling edge if it
  // was at least frame_pulse_min_us wide; FRM carries the rising edge's time.
  void frame_clock_edge(bool high, uint32_t at_us);
  // A raw change of the stimulus photodiode's comparator output (bright = high), stamped when it
  // happened; the display toggles its photodiode patch at every flip, so each settled edge is a flip.
  void photodiode_edge(bool bright, uint32_t at_us);
  // A calibration kept from an earlier CAL (EEPROM), for rewards in µL before the host sends one.
  void restore_calibration(uint8_t valve, float a_uL_per_ms, float b_uL);

  bool armed() const { return armed_; }
  bool valve_open() const { return valve_open_; }

 private:
  struct CachedReply {
    bool used;
    uint16_t seq;
    uint8_t command_crc;  // a new command that reuses a seq (the host restarted) is not a resend
    char text[kMaxBodyBytes + 1];
  };
  struct Calibration {
    bool set;
    float a, b;  // v (µL) = a (µL/ms) · t (ms) + b (µL)
  };
  // A digital input reported once its level has held for a filter time (lick debounce, photodiode).
  struct SettlingInput {
    bool reported, level;
    uint64_t level_since;
  };
  // A line under construction: appends stop at the body limit, and seal() adds " *HH" and LF in the
  // same buffer (RAM is scarce on an AVR: one buffer per line, no copies).
  class Text {
   public:
    Text() { text_[0] = 0; }
    Text& add(const char* s);
    Text& add_uint(uint64_t value);
    Text& add_millis(uint32_t us);  // "40", "12.5"
    void seal();
    const char* c_str() const { return text_; }
    uint8_t length() const { return length_; }

   private:
    char text_[kMaxLineBytes + 1];
    uint8_t length_ = 0;
  };

  void handle_line();
  void execute(uint16_t seq, uint8_t command_crc, char** words, uint8_t count);
  void command(const char* name, char** args, uint8_t count, Text& reply);
  void reward(const char* name, char** args, uint8_t count, Text& reply);
  void close_valve();
  void close_everything();
  void send_reply(uint16_t seq, const char* text);
  void send_event(uint64_t at_us, const Text& what);
  void send_line(Text& line);
  // True once when the input's new level has held for hold_us: it is then reported.
  static bool settle(SettlingInput& input, uint32_t hold_us, uint64_t now);

  Board& board_;
  Settings settings_;
  DeviceClock clock_;
  char line_[kMaxLineBytes];
  uint8_t line_length_ = 0;
  bool line_overlong_ = false;
  CachedReply cache_[kReplyCache];
  uint8_t cache_next_ = 0;
  Calibration calibration_[kValves];
  SettlingInput licks_[kLickPorts];
  SettlingInput photodiode_;
  bool armed_ = false;
  bool valve_open_ = false;
  uint8_t open_valve_ = 0;
  uint32_t open_for_us_ = 0;
  uint64_t opened_at_ = 0;
  bool rewarded_ = false;  // the reward gap applies only after a first reward
  uint64_t last_hb_ = 0;
  bool frame_high_ = false;
  uint64_t frame_rose_at_ = 0;
  uint32_t frames_ = 0;
};

}  // namespace riglink

#endif
