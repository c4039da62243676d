// RIGLINK/1 reference firmware for an Arduino or Teensy reward board (rig.md §3; docs/rig-setup.md).
// The protocol lives in riglink_core.{h,cpp} beside this file, the same code apical-rig-emulator runs
// in the tests; this sketch only connects it to pins, interrupts, the USB serial port and EEPROM.
//
// Wiring (change the pin numbers below to suit the board):
//   VALVE_PINS      -> gate of a logic-level MOSFET (or driver board) switching each 12/24 V solenoid,
//                      with a flyback diode across the coil
//   LICK_PIN        <- lick sensor output (capacitive touch or beam break), interrupt-capable pin
//   FRAME_CLOCK_PIN <- microscope frame-clock TTL (3.3 V boards need a level shifter for 5 V TTL),
//                      interrupt-capable pin
//   PHOTODIODE_PIN  <- comparator output of a photodiode taped over the display's photodiode patch
//                      (high = bright), interrupt-capable pin (Leonardo/Micro: 0, 1, 2, 3 or 7; an
//                      Uno has only 2 and 3, so it cannot have all three inputs)
//   OUTPUT_PINS     -> logic outputs, in riglink_core.h's order: TTL line 0 and 1 (trial start, camera
//                      trigger), SYNC (random-interval pulses to the other acquisition systems), the opto
//                      LED driver's modulation input, the PMT gate (high = PMTs gated off)
//   SEED_PIN        unconnected analog pin: its noise seeds the SYNC intervals at power-up
// Prefer a native-USB board (Leonardo, Micro, Teensy, Zero): it ignores the baud rate and answers
// within a USB poll (1 ms). Uno and Nano restart when the host opens the port (about 2 s).
#include <Arduino.h>
#if defined(__AVR__) || defined(TEENSYDUINO)
#include <EEPROM.h>
#define RIGLINK_HAS_EEPROM 1
#endif

#include "riglink_core.h"

const uint8_t VALVE_PINS[riglink::kValves] = {8, 9, 10, 11};
const uint8_t LICK_PIN = 2;
const uint8_t FRAME_CLOCK_PIN = 3;
const uint8_t PHOTODIODE_PIN = 7;
const uint8_t OUTPUT_PINS[riglink::kOutputs] = {4, 5, 12, 6, A0};  // TTL 0, TTL 1, SYNC, LED, PMT gate
const uint8_t SEED_PIN = A1;
const bool LICK_ACTIVE_HIGH = true;  // a capacitive sensor drives high on touch; a beam break, low
// The glitch filter: half the width of the microscope's frame-clock pulse (measure it on a scope).
const uint32_t FRAME_PULSE_MIN_US = 50;
// The photodiode filter: a level must hold this long to be a flip (longer than the backlight's PWM
// blips, shorter than a frame of the display).
const uint32_t PHOTODIODE_MIN_US = 1000;
const char BOARD_ID[] = "arduino";

// Sensor edges, stamped in their interrupts and handed to the core from loop().
struct Edge {
  uint8_t source;  // kLickSource, kFrameSource or kPhotodiodeSource
  uint8_t level;
  uint32_t at_us;
};
const uint8_t kLickSource = 0, kFrameSource = 1, kPhotodiodeSource = 2;
const uint8_t kEdgeSlots = 16;  // a power of two; loop() drains it every pass, well under a millisecond
volatile Edge edges[kEdgeSlots];
volatile uint8_t edges_written = 0, edges_read = 0;

void record_edge(uint8_t source, uint8_t pin) {
  const uint8_t slot = edges_written % kEdgeSlots;
  if (static_cast<uint8_t>(edges_written - edges_read) == kEdgeSlots) return;  // full: loop() is stuck
  edges[slot].source = source;
  edges[slot].level = digitalRead(pin);
  edges[slot].at_us = micros();
  ++edges_written;
}

void on_lick_change() { record_edge(kLickSource, LICK_PIN); }
void on_frame_clock_change() { record_edge(kFrameSource, FRAME_CLOCK_PIN); }
void on_photodiode_change() { record_edge(kPhotodiodeSource, PHOTODIODE_PIN); }

bool take_edge(Edge& edge) {
  noInterrupts();
  const bool any = edges_read != edges_written;
  if (any) {
    const uint8_t slot = edges_read % kEdgeSlots;
    edge.source = edges[slot].source;
    edge.level = edges[slot].level;
    edge.at_us = edges[slot].at_us;
    ++edges_read;
  }
  interrupts();
  return any;
}

#ifdef RIGLINK_HAS_EEPROM
// One record per valve: a calibration survives power cycles, for rewards in µL before the host's CAL.
struct StoredCalibration {
  uint16_t marker;
  float a_uL_per_ms, b_uL;
};
const uint16_t kCalibrationMarker = 0xCA11;
#endif

class ArduinoBoard : public riglink::Board {
 public:
  void write_valve(uint8_t valve, bool open) override { digitalWrite(VALVE_PINS[valve], open ? HIGH : LOW); }
  void write_output(uint8_t output, bool high) override { digitalWrite(OUTPUT_PINS[output], high ? HIGH : LOW); }
  void write_line(const char* line, uint8_t length) override { Serial.write(reinterpret_cast<const uint8_t*>(line), length); }
  void store_calibration(uint8_t valve, float a, float b) override {
#ifdef RIGLINK_HAS_EEPROM
    const StoredCalibration record = {kCalibrationMarker, a, b};
    EEPROM.put(valve * sizeof(StoredCalibration), record);  // put() skips bytes that are unchanged
#else
    (void)valve, (void)a, (void)b;
#endif
  }
};

riglink::Settings board_settings() {
  riglink::Settings s;
  s.board = BOARD_ID;
  s.frame_pulse_min_us = FRAME_PULSE_MIN_US;
  s.photodiode_min_us = PHOTODIODE_MIN_US;
  // Two boards started together must not send the same SYNC sequence.
  s.random_seed = (static_cast<uint32_t>(analogRead(SEED_PIN)) << 16) ^ micros();
  return s;
}

ArduinoBoard board;

// Made on first use, in setup(): the seed needs the ADC and the timer, which are off while globals
// are constructed.
riglink::Device& device() {
  static riglink::Device the_device(board, board_settings());
  return the_device;
}

void setup() {
  for (uint8_t v = 0; v < riglink::kValves; ++v) {
    digitalWrite(VALVE_PINS[v], LOW);  // closed before the pin becomes an output
    pinMode(VALVE_PINS[v], OUTPUT);
  }
  for (uint8_t o = 0; o < riglink::kOutputs; ++o) {
    digitalWrite(OUTPUT_PINS[o], LOW);  // LED off and TTL lines low before the pins drive anything
    pinMode(OUTPUT_PINS[o], OUTPUT);
  }
  pinMode(LICK_PIN, INPUT);
  pinMode(FRAME_CLOCK_PIN, INPUT);
  pinMode(PHOTODIODE_PIN, INPUT);
#ifdef RIGLINK_HAS_EEPROM
  for (uint8_t v = 0; v < riglink::kValves; ++v) {
    StoredCalibration record;
    EEPROM.get(v * sizeof(StoredCalibration), record);
    if (record.marker == kCalibrationMarker) device().restore_calibration(v, record.a_uL_per_ms, record.b_uL);
  }
#endif
  Serial.begin(115200);
  attachInterrupt(digitalPinToInterrupt(LICK_PIN), on_lick_change, CHANGE);
  attachInterrupt(digitalPinToInterrupt(FRAME_CLOCK_PIN), on_frame_clock_change, CHANGE);
  attachInterrupt(digitalPinToInterrupt(PHOTODIODE_PIN), on_photodiode_change, CHANGE);
  device().boot(micros());
}

void loop() {
  riglink::Device& core = device();
  while (Serial.available() > 0) core.receive(static_cast<char>(Serial.read()), micros());
  core.update(micros());
  Edge edge;
  while (take_edge(edge)) {
    if (edge.source == kFrameSource) core.frame_clock_edge(edge.level == HIGH, edge.at_us);
    else if (edge.source == kPhotodiodeSource) core.photodiode_edge(edge.level == HIGH, edge.at_us);
    else core.lick_edge(0, (edge.level == HIGH) == LICK_ACTIVE_HIGH, edge.at_us);
  }
}
