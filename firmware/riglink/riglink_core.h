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
//   * HELLO, TIME, HB, ARM, DISARM, ESTOP, CAL valve a b, REWARD valve ms, REWARD_UL valve uL,
//     TTL line width_us, SYNC start mean_ms width_ms | SYNC stop, OPTO on led_us gate_us | OPTO off,
//     STIM angle_cdeg; anything else answers ERR 2. Valves and the LED need ARM (ERR 6 DISARMED);
//     TTL and SYNC drive logic inputs of other instruments, not actuators, and work armed or not;
//   * SYNC pulses start at intervals drawn uniformly from [0.1, 1.9]·mean (pyControl's Rsync), from a
//     xorshift generator seeded by Settings::random_seed, so that the host can match the sequence;
//   * OPTO on: at every frame-clock rising edge the LED goes on for led_us and the PMT gate for
//     gate_us (gate_us ≥ led_us: the gate covers the LED), both timed from the edge; an edge while the
//     LED is still on does not restart it. OPTO off, DISARM, ESTOP and the watchdog switch the LED off
//     at once (a gate pulse runs its course) and end OPTO until the next OPTO on;
//   * events `EVT t_us KIND ...` on the device's µs clock extended to 64 bits: BOOT, LICK port 0|1
//     (after the lick debounce), FRM n (frame-clock pulses that pass the glitch filter), PHD 0|1 (a
//     stimulus photodiode's level, once it has held for the photodiode filter time), RWD valve
//     open_us close_us (when the valve closes), WDOG (no HB for the watchdog time while armed: valves
//     closed, LED off, disarmed). LICK and PHD carry the time of the edge, not of the filter's verdict.
//     Pulses are reported when they end, stamped with their start: TTL line, SYN n (n counts sync
//     pulses from boot), OPT n on_us (n counts LED pulses from boot, on_us is how long the LED was on:
//     led_us, or less when it was switched off early; t is the frame-clock edge's, the t of that
//     pulse's FRM).
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
// A reply's text after "seq ", as cached and sent: the firmware's own replies fit (the longest is 48
// bytes); an echo of over-long arguments is cut. Eight cached replies of the full body length would
// leave the Leonardo too little RAM for its stack.
const uint8_t kMaxReplyBytes = 56;
const uint8_t kTtlLines = 2;
// The logic outputs, as Board::write_output numbers them: the TTL lines, then these.
const uint8_t kSyncOutput = kTtlLines;
const uint8_t kLedOutput = kTtlLines + 1;
const uint8_t kPmtGateOutput = kTtlLines + 2;
const uint8_t kOutputs = kTtlLines + 3;
// Bounds of the commands' arguments (beyond them: ERR 5).
const uint32_t kMaxTtlWidthUs = 1000000;
const uint32_t kMinSyncMeanMs = 10, kMaxSyncMeanMs = 600000;  // a width must stay below 0.1·mean
const uint32_t kMaxOptoUs = 100000;                           // LED and gate: under 1.5 frames at 15 Hz
const uint32_t kMaxStimulusCdeg = 36000;

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
  uint32_t random_seed;          // the SYNC interval generator's seed (1); the sketch draws one at power-up
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
  ttl_pulse,        // index = line, value = width in µs
  sync_started,     // value = mean interval in ms
  sync_stopped,
  opto_started,     // value = LED µs per frame
  opto_stopped,     // by OPTO off, DISARM, ESTOP or the watchdog; value = 1 if it cut an LED pulse short
  stimulus_angle,   // value = angle in centidegrees
};

// The hardware, as the core sees it.
class Board {
 public:
  virtual void write_valve(uint8_t valve, bool open) = 0;
  // A logic output: TTL line 0 .. kTtlLines - 1, kSyncOutput, kLedOutput or kPmtGateOutput.
  virtual void write_output(uint8_t output, bool high) = 0;
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
  bool led_on() const { return led_.high; }
  // The last STIM angle, for a board that draws the stimulus itself (-1: none yet).
  int32_t stimulus_angle_cdeg() const { return stimulus_angle_cdeg_; }

 private:
  struct CachedReply {
    bool used;
    uint16_t seq;
    uint8_t command_crc;  // a new command that reuses a seq (the host restarted) is not a resend
    char text[kMaxReplyBytes + 1];
  };
  struct Calibration {
    bool set;
    float a, b;  // v (µL) = a (µL/ms) · t (ms) + b (µL)
  };
  // An output pulse on a device timer: high from `since` until `until`.
  struct Pulse {
    bool high;
    uint64_t since, until;
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
  void ttl(char** args, uint8_t count, Text& reply);
  void sync(char** args, uint8_t count, Text& reply);
  void opto(char** args, uint8_t count, Text& reply);
  void stimulus(char** args, uint8_t count, Text& reply);
  static void echo(Text& reply, const char* name, char** args, uint8_t count);  // OK NAME args
  static void bad_arguments(Text& reply, const char* name, const char* usage);  // ERR 3
  static void out_of_range(Text& reply, const char* name, const char* argument);  // ERR 5
  // Ends the pulses whose time is up and starts the next sync pulse when it is due.
  void run_pulses(uint64_t now);
  void start_pulse(Pulse& pulse, uint8_t output, uint64_t at, uint32_t width_us);
  void end_pulse(Pulse& pulse, uint8_t output);
  // Switches the LED off and reports the pulse (OPT) with how long it was on.
  void end_led_pulse(uint64_t at);
  void stop_opto();
  uint32_t next_sync_interval_us();
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
  Pulse ttl_[kTtlLines];
  bool sync_running_ = false;
  uint32_t sync_mean_us_ = 0, sync_width_us_ = 0;
  uint64_t sync_next_at_ = 0;
  Pulse sync_pulse_;
  uint32_t sync_pulses_ = 0;
  uint32_t random_state_;  // xorshift32; never 0
  bool opto_on_ = false;
  uint32_t led_us_ = 0, gate_us_ = 0;
  Pulse led_, gate_;
  uint32_t led_pulses_ = 0;
  int32_t stimulus_angle_cdeg_ = -1;
};

}  // namespace riglink

#endif
