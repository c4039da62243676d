// CLOOSE reward board (rig.md §1.1; docs/reward-devices.md): 'a' starts the lick-counter stream, 'b'
// opens the valve for VALVE_MS. The protocol has no volume and no acknowledgement: VALVE_MS sets the
// reward, so calibrate the valve at this duration and give apical the volume as reward_volume_uL.
// 9600 baud on an Uno or any Arduino; opening the port restarts an Uno (about 2 s).
#include <Arduino.h>

const uint8_t VALVE_PIN = 8;  // gate of the valve's MOSFET driver
const uint8_t LICK_PIN = 2;   // lick sensor, active high, on an interrupt-capable pin
const unsigned long VALVE_MS = 40, STREAM_MS = 10, DEBOUNCE_MS = 5;

volatile uint8_t licks = 0;  // wraps at 256; the host counts the steps
volatile unsigned long last_lick_edge_ms = 0;
bool running = false, valve_open = false;
unsigned long valve_opened_ms = 0, last_byte_ms = 0;

void on_lick() {
  const unsigned long now = millis();
  if (now - last_lick_edge_ms >= DEBOUNCE_MS) licks++;
  last_lick_edge_ms = now;  // a bounce restarts the debounce time
}

void setup() {
  digitalWrite(VALVE_PIN, LOW);
  pinMode(VALVE_PIN, OUTPUT);
  pinMode(LICK_PIN, INPUT);
  attachInterrupt(digitalPinToInterrupt(LICK_PIN), on_lick, RISING);
  Serial.begin(9600);
}

void loop() {
  const unsigned long now = millis();
  while (Serial.available() > 0) {
    const int c = Serial.read();
    if (c == 'a') running = true;
    if (c == 'b' && !valve_open) {
      digitalWrite(VALVE_PIN, HIGH);
      valve_open = true;
      valve_opened_ms = now;
    }
  }
  if (valve_open && now - valve_opened_ms >= VALVE_MS) {  // a timer, never delay(): licks keep streaming
    digitalWrite(VALVE_PIN, LOW);
    valve_open = false;
  }
  if (running && now - last_byte_ms >= STREAM_MS) {
    last_byte_ms = now;
    Serial.write(licks);
  }
}
