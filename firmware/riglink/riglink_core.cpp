#include "riglink_core.h"

#include <string.h>

namespace riglink {

uint8_t crc8(const char* bytes, size_t length) {
  uint8_t crc = 0;
  for (size_t i = 0; i < length; ++i) {
    crc ^= static_cast<uint8_t>(bytes[i]);
    for (uint8_t bit = 0; bit < 8; ++bit) crc = static_cast<uint8_t>((crc & 0x80) ? (crc << 1) ^ 0x07 : crc << 1);
  }
  return crc;
}

Settings::Settings()
    : firmware("ref-1"),
      board("arduino"),
      watchdog_ms(1000),
      max_open_us(500000),
      min_reward_gap_us(200000),
      lick_debounce_us(5000),
      frame_pulse_min_us(0),
      photodiode_min_us(1000),
      random_seed(1) {}

uint64_t DeviceClock::advance(uint32_t now_us) {
  now_ += static_cast<uint32_t>(now_us - last_);  // unsigned difference: right across a wrap
  last_ = now_us;
  return now_;
}

uint64_t DeviceClock::at(uint32_t stamp_us) const {
  const int32_t since_last = static_cast<int32_t>(stamp_us - last_);  // negative: before the last sample
  return now_ + static_cast<uint64_t>(static_cast<int64_t>(since_last));
}

namespace {

// Decimal digits only, no sign, at most `max`.
bool parse_uint(const char* s, uint32_t max, uint32_t& out) {
  if (*s == 0) return false;
  uint32_t value = 0;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9') return false;
    const uint32_t digit = static_cast<uint32_t>(*s - '0');
    if (value > (max - digit) / 10) return false;
    value = value * 10 + digit;
  }
  out = value;
  return true;
}

// [+-]digits[.digits][e[+-]digits], the whole word (the host writes "0.05", "4", "1e-06").
bool parse_decimal(const char* s, float& out) {
  bool negative = false;
  if (*s == '+' || *s == '-') negative = *s++ == '-';
  float value = 0;
  bool digits = false;
  for (; *s >= '0' && *s <= '9'; ++s, digits = true) value = value * 10 + static_cast<float>(*s - '0');
  if (*s == '.') {
    float scale = 0.1f;
    for (++s; *s >= '0' && *s <= '9'; ++s, digits = true, scale /= 10) value += scale * static_cast<float>(*s - '0');
  }
  if (!digits) return false;
  if (*s == 'e' || *s == 'E') {
    ++s;
    bool negative_exponent = false;
    if (*s == '+' || *s == '-') negative_exponent = *s++ == '-';
    uint32_t exponent = 0;
    if (!parse_uint(s, 38, exponent)) return false;
    for (; exponent > 0; --exponent) value = negative_exponent ? value / 10 : value * 10;
    s += strlen(s);
  }
  if (*s != 0) return false;
  out = negative ? -value : value;
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Splits in place on spaces; false if there are more than `max` words.
bool split_words(char* body, char** words, uint8_t max, uint8_t& count) {
  count = 0;
  for (char* p = body; *p;) {
    if (*p == ' ') {
      *p++ = 0;
      continue;
    }
    if (count == max) return false;
    words[count++] = p;
    while (*p && *p != ' ') ++p;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Device::Text& Device::Text::add(const char* s) {
  while (*s && length_ < kMaxBodyBytes) text_[length_++] = *s++;
  text_[length_] = 0;
  return *this;
}

void Device::Text::seal() {
  const char hex[] = "0123456789ABCDEF";
  const uint8_t crc = crc8(text_, length_);
  text_[length_++] = ' ';
  text_[length_++] = '*';
  text_[length_++] = hex[crc >> 4];
  text_[length_++] = hex[crc & 0x0F];
  text_[length_++] = '\n';
  text_[length_] = 0;
}

Device::Text& Device::Text::add_uint(uint64_t value) {
  char digits[21];
  uint8_t n = sizeof digits - 1;
  digits[n] = 0;
  do {
    digits[--n] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  return add(digits + n);
}

Device::Text& Device::Text::add_millis(uint32_t us) {
  add_uint(us / 1000);
  uint32_t fraction = us % 1000;
  if (fraction == 0) return *this;
  char digits[5] = {'.', 0, 0, 0, 0};
  for (int i = 3; i >= 1; --i, fraction /= 10) digits[i] = static_cast<char>('0' + fraction % 10);
  for (int i = 3; digits[i] == '0'; --i) digits[i] = 0;  // 12.500 -> 12.5
  return add(digits);
}

Device::Device(Board& board, const Settings& settings)
    : board_(board),
      settings_(settings),
      cache_(),
      calibration_(),
      licks_(),
      photodiode_(),
      ttl_(),
      sync_pulse_(),
      random_state_(settings.random_seed != 0 ? settings.random_seed : 1),  // 0 is xorshift's fixed point
      led_(),
      gate_() {}

void Device::boot(uint32_t now_us) {
  clock_.advance(now_us);
  for (uint8_t v = 0; v < kValves; ++v) board_.write_valve(v, false);
  for (uint8_t o = 0; o < kOutputs; ++o) board_.write_output(o, false);
  Text what;
  send_event(clock_.now(), what.add("BOOT ").add(settings_.firmware));
}

void Device::receive(char byte, uint32_t now_us) {
  clock_.advance(now_us);
  if (byte == '\n') {
    if (line_overlong_) {
      line_overlong_ = false;
      line_length_ = 0;
      return;
    }
    handle_line();
    line_length_ = 0;
    return;
  }
  if (line_overlong_) return;
  if (line_length_ + 1 >= kMaxLineBytes) {  // the LF would make the line longer than allowed
    line_[line_length_] = 0;
    uint32_t seq = 0;
    char* end = line_;
    while (is_digit(*end) && end < line_ + 5) ++end;
    *end = 0;
    parse_uint(line_, 65535, seq);  // the seq when the line starts with one, so the host can match it
    board_.log(Happening::line_rejected, 0, 7);
    send_reply(static_cast<uint16_t>(seq), "ERR 7 line too long");
    line_overlong_ = true;
    return;
  }
  line_[line_length_++] = byte;
}

void Device::handle_line() {
  uint8_t n = line_length_;
  if (n > 0 && line_[n - 1] == '\r') --n;  // a terminal program may send CR LF
  line_[n] = 0;
  uint32_t seq = 0;
  uint8_t digits = 0;
  while (digits < n && is_digit(line_[digits])) ++digits;
  const bool has_seq = digits > 0 && digits < n && line_[digits] == ' ';
  if (has_seq) {
    const char saved = line_[digits];
    line_[digits] = 0;
    if (!parse_uint(line_, 65535, seq)) seq = 0;
    line_[digits] = saved;
  }
  if (n < 5 || line_[n - 4] != ' ' || line_[n - 3] != '*') {
    board_.log(Happening::line_rejected, 0, 3);
    if (has_seq) send_reply(static_cast<uint16_t>(seq), "ERR 3 no checksum");
    return;
  }
  const int hi = hex_value(line_[n - 2]), lo = hex_value(line_[n - 1]);
  const uint8_t body_length = static_cast<uint8_t>(n - 4);
  const uint8_t crc = crc8(line_, body_length);
  if (hi < 0 || lo < 0 || crc != hi * 16 + lo) {
    board_.log(Happening::line_rejected, 0, 1);
    if (has_seq) send_reply(static_cast<uint16_t>(seq), "ERR 1 bad CRC");
    return;
  }
  line_[body_length] = 0;
  if (!has_seq) {
    board_.log(Happening::line_rejected, 0, 3);
    return;  // no seq to answer to; the host's retry will come with one
  }
  char* words[8];
  uint8_t count = 0;
  if (!split_words(line_, words, 8, count)) {
    send_reply(static_cast<uint16_t>(seq), "ERR 3 too many arguments");
    return;
  }
  execute(static_cast<uint16_t>(seq), crc, words + 1, static_cast<uint8_t>(count - 1));
}

void Device::execute(uint16_t seq, uint8_t command_crc, char** words, uint8_t count) {
  for (uint8_t i = 0; i < kReplyCache; ++i) {
    const CachedReply& c = cache_[i];
    if (c.used && c.seq == seq && c.command_crc == command_crc) {
      board_.log(Happening::repeat_answered, 0, seq);
      send_reply(seq, c.text);
      return;
    }
  }
  Text reply;
  if (count == 0) reply.add("ERR 2 no command");
  else command(words[0], words + 1, static_cast<uint8_t>(count - 1), reply);
  CachedReply& slot = cache_[cache_next_];
  cache_next_ = static_cast<uint8_t>((cache_next_ + 1) % kReplyCache);
  slot.used = true;
  slot.seq = seq;
  slot.command_crc = command_crc;
  uint8_t length = 0;  // cut at kMaxReplyBytes, so that a resend repeats exactly what went out
  for (const char* c = reply.c_str(); *c && length < kMaxReplyBytes; ++c) slot.text[length++] = *c;
  slot.text[length] = 0;
  send_reply(seq, slot.text);
}

void Device::command(const char* name, char** args, uint8_t count, Text& reply) {
  if (!strcmp(name, "HELLO")) {
    reply.add("OK HELLO RIGLINK/1 fw=").add(settings_.firmware).add(" id=").add(settings_.board);
  } else if (!strcmp(name, "TIME")) {
    reply.add("OK TIME ").add_uint(clock_.now());
  } else if (!strcmp(name, "HB")) {
    last_hb_ = clock_.now();
    reply.add("OK HB");
  } else if (!strcmp(name, "ARM")) {
    armed_ = true;
    last_hb_ = clock_.now();  // the watchdog counts from the moment outputs are enabled
    board_.log(Happening::armed, 0, 0);
    reply.add("OK ARM");
  } else if (!strcmp(name, "DISARM") || !strcmp(name, "ESTOP")) {
    close_everything();
    board_.log(Happening::disarmed, 0, 0);
    reply.add("OK ").add(name);
  } else if (!strcmp(name, "CAL")) {
    uint32_t valve = 0;
    float a = 0, b = 0;
    if (count != 3 || !parse_uint(args[0], kValves - 1, valve) || !parse_decimal(args[1], a) || !parse_decimal(args[2], b) ||
        !(a > 0)) {
      reply.add("ERR 3 CAL needs valve a b with a > 0");
      return;
    }
    restore_calibration(static_cast<uint8_t>(valve), a, b);
    board_.store_calibration(static_cast<uint8_t>(valve), a, b);
    reply.add("OK CAL ").add(args[0]).add(" ").add(args[1]).add(" ").add(args[2]);
  } else if (!strcmp(name, "REWARD") || !strcmp(name, "REWARD_UL")) {
    reward(name, args, count, reply);
  } else if (!strcmp(name, "TTL")) {
    ttl(args, count, reply);
  } else if (!strcmp(name, "SYNC")) {
    sync(args, count, reply);
  } else if (!strcmp(name, "OPTO")) {
    opto(args, count, reply);
  } else if (!strcmp(name, "STIM")) {
    stimulus(args, count, reply);
  } else {
    reply.add("ERR 2 unknown command ").add(name);
  }
}

void Device::reward(const char* name, char** args, uint8_t count, Text& reply) {
  const bool in_uL = !strcmp(name, "REWARD_UL");
  uint32_t valve = 0;
  float amount = 0;
  if (count != 2 || !parse_uint(args[0], 255, valve) || !parse_decimal(args[1], amount)) {
    reply.add("ERR 3 ").add(name).add(" needs valve and amount");
    return;
  }
  if (valve >= kValves) {
    reply.add("ERR 5 no valve ").add(args[0]);
    return;
  }
  float ms = amount;
  if (in_uL) {
    const Calibration& c = calibration_[valve];
    if (!c.set) {
      reply.add("ERR 3 valve ").add(args[0]).add(" has no calibration");
      return;
    }
    ms = (amount - c.b) / c.a;
  }
  if (!(ms > 0)) {
    reply.add("ERR 5 valve time not positive");
    return;
  }
  if (!armed_) {
    reply.add("ERR 6 DISARMED");
    return;
  }
  if (valve_open_ || (rewarded_ && clock_.now() - opened_at_ < settings_.min_reward_gap_us)) {
    reply.add("ERR 4 busy");
    return;
  }
  const float max_ms = static_cast<float>(settings_.max_open_us) / 1000;
  open_for_us_ = ms >= max_ms ? settings_.max_open_us : static_cast<uint32_t>(ms * 1000 + 0.5f);
  open_valve_ = static_cast<uint8_t>(valve);
  opened_at_ = clock_.now();
  valve_open_ = rewarded_ = true;
  board_.write_valve(open_valve_, true);
  board_.log(Happening::valve_opened, open_valve_, open_for_us_);
  reply.add("OK ").add(name).add(" ").add(args[0]).add(" ").add(args[1]);
  if (in_uL) reply.add(" ").add_millis(open_for_us_);
}

// Replies shared by TTL, SYNC, OPTO and STIM; the texts are short because on an AVR every string
// literal takes RAM.
void Device::echo(Text& reply, const char* name, char** args, uint8_t count) {
  reply.add("OK ").add(name);
  for (uint8_t i = 0; i < count; ++i) reply.add(" ").add(args[i]);
}

void Device::bad_arguments(Text& reply, const char* name, const char* usage) {
  reply.add("ERR 3 ").add(name).add(" needs ").add(usage);
}

void Device::out_of_range(Text& reply, const char* name, const char* argument) {
  reply.add("ERR 5 ").add(name).add(" ").add(argument).add(" out of range");
}

void Device::ttl(char** args, uint8_t count, Text& reply) {
  uint32_t line = 0, width_us = 0;
  if (count != 2 || !parse_uint(args[0], 255, line) || !parse_uint(args[1], 0xFFFFFFFF, width_us))
    return bad_arguments(reply, "TTL", "line width_us");
  if (line >= kTtlLines) return out_of_range(reply, "TTL", "line");
  if (width_us == 0 || width_us > kMaxTtlWidthUs) return out_of_range(reply, "TTL", "width_us");
  Pulse& pulse = ttl_[line];
  if (pulse.high) {
    reply.add("ERR 4 busy");
    return;
  }
  start_pulse(pulse, static_cast<uint8_t>(line), clock_.now(), width_us);
  board_.log(Happening::ttl_pulse, static_cast<uint8_t>(line), width_us);
  echo(reply, "TTL", args, count);
}

void Device::sync(char** args, uint8_t count, Text& reply) {
  if (count == 1 && !strcmp(args[0], "stop")) {
    if (sync_running_) board_.log(Happening::sync_stopped, 0, 0);
    sync_running_ = false;  // a pulse under way runs its course
    return echo(reply, "SYNC", args, count);
  }
  uint32_t mean_ms = 0, width_ms = 0;
  if (count != 3 || strcmp(args[0], "start") || !parse_uint(args[1], 0xFFFFFFFF, mean_ms) ||
      !parse_uint(args[2], 0xFFFFFFFF, width_ms))
    return bad_arguments(reply, "SYNC", "start mean_ms width_ms, or stop");
  if (mean_ms < kMinSyncMeanMs || mean_ms > kMaxSyncMeanMs) return out_of_range(reply, "SYNC", "mean_ms");
  // A pulse must end before the earliest next one (0.1·mean) or two would merge.
  if (width_ms == 0 || static_cast<uint64_t>(width_ms) * 10 >= mean_ms) return out_of_range(reply, "SYNC", "width_ms");
  sync_running_ = true;
  sync_mean_us_ = mean_ms * 1000;
  sync_width_us_ = width_ms * 1000;
  sync_next_at_ = clock_.now() + next_sync_interval_us();
  board_.log(Happening::sync_started, 0, mean_ms);
  echo(reply, "SYNC", args, count);
}

void Device::opto(char** args, uint8_t count, Text& reply) {
  if (count == 1 && !strcmp(args[0], "off")) {
    stop_opto();
    return echo(reply, "OPTO", args, count);
  }
  uint32_t led_us = 0, gate_us = 0;
  if (count != 3 || strcmp(args[0], "on") || !parse_uint(args[1], 0xFFFFFFFF, led_us) ||
      !parse_uint(args[2], 0xFFFFFFFF, gate_us))
    return bad_arguments(reply, "OPTO", "on led_us gate_us, or off");
  if (led_us == 0 || led_us > kMaxOptoUs) return out_of_range(reply, "OPTO", "led_us");
  // The gate must cover the LED pulse, or the PMTs see the light.
  if (gate_us < led_us || gate_us > kMaxOptoUs) return out_of_range(reply, "OPTO", "gate_us");
  if (!armed_) {
    reply.add("ERR 6 DISARMED");
    return;
  }
  opto_on_ = true;
  led_us_ = led_us;  // from the next frame-clock edge on
  gate_us_ = gate_us;
  board_.log(Happening::opto_started, 0, led_us);
  echo(reply, "OPTO", args, count);
}

void Device::stimulus(char** args, uint8_t count, Text& reply) {
  uint32_t angle = 0;
  if (count != 1 || !parse_uint(args[0], 0xFFFFFFFF, angle)) return bad_arguments(reply, "STIM", "angle_cdeg");
  if (angle > kMaxStimulusCdeg) return out_of_range(reply, "STIM", "angle_cdeg");
  stimulus_angle_cdeg_ = static_cast<int32_t>(angle);
  board_.log(Happening::stimulus_angle, 0, angle);
  echo(reply, "STIM", args, count);
}

uint32_t Device::next_sync_interval_us() {
  random_state_ ^= random_state_ << 13;
  random_state_ ^= random_state_ >> 17;
  random_state_ ^= random_state_ << 5;
  // uniform on [0.1, 1.9)·mean, from the generator's top 24 bits
  const uint64_t span_us = static_cast<uint64_t>(sync_mean_us_) * 18 / 10;
  return sync_mean_us_ / 10 + static_cast<uint32_t>((span_us * (random_state_ >> 8)) >> 24);
}

void Device::start_pulse(Pulse& pulse, uint8_t output, uint64_t at, uint32_t width_us) {
  pulse.high = true;
  pulse.since = at;
  pulse.until = at + width_us;
  board_.write_output(output, true);
}

void Device::end_pulse(Pulse& pulse, uint8_t output) {
  pulse.high = false;
  board_.write_output(output, false);
}

void Device::end_led_pulse(uint64_t at) {
  end_pulse(led_, kLedOutput);
  Text what;
  what.add("OPT ").add_uint(led_pulses_++).add(" ").add_uint(at - led_.since);
  send_event(led_.since, what);
}

void Device::stop_opto() {
  const bool cut_short = led_.high;
  if (cut_short) end_led_pulse(clock_.now());
  if (opto_on_) board_.log(Happening::opto_stopped, 0, cut_short);
  opto_on_ = false;
}

void Device::run_pulses(uint64_t now) {
  for (uint8_t line = 0; line < kTtlLines; ++line) {
    Pulse& pulse = ttl_[line];
    if (!pulse.high || now < pulse.until) continue;
    end_pulse(pulse, line);
    Text what;
    send_event(pulse.since, what.add("TTL ").add_uint(line));
  }
  if (sync_pulse_.high && now >= sync_pulse_.until) {
    end_pulse(sync_pulse_, kSyncOutput);
    Text what;
    send_event(sync_pulse_.since, what.add("SYN ").add_uint(sync_pulses_++));
  }
  if (sync_running_ && !sync_pulse_.high && now >= sync_next_at_) {
    start_pulse(sync_pulse_, kSyncOutput, now, sync_width_us_);
    sync_next_at_ = now + next_sync_interval_us();
  }
  if (led_.high && now >= led_.until) end_led_pulse(now);
  if (gate_.high && now >= gate_.until) end_pulse(gate_, kPmtGateOutput);
}

void Device::restore_calibration(uint8_t valve, float a_uL_per_ms, float b_uL) {
  if (valve >= kValves || !(a_uL_per_ms > 0)) return;
  calibration_[valve].set = true;
  calibration_[valve].a = a_uL_per_ms;
  calibration_[valve].b = b_uL;
}

void Device::update(uint32_t now_us) {
  const uint64_t now = clock_.advance(now_us);
  if (valve_open_ && now - opened_at_ >= open_for_us_) {
    close_valve();
    Text what;
    what.add("RWD ").add_uint(open_valve_).add(" ").add_uint(opened_at_).add(" ").add_uint(now);
    send_event(now, what);
  }
  run_pulses(now);
  if (armed_ && now - last_hb_ > static_cast<uint64_t>(settings_.watchdog_ms) * 1000) {
    const bool was_open = valve_open_;
    close_everything();
    board_.log(Happening::watchdog, 0, was_open);
    Text what;
    send_event(now, what.add("WDOG"));
  }
  for (uint8_t port = 0; port < kLickPorts; ++port) {
    const SettlingInput& lick = licks_[port];
    if (!settle(licks_[port], settings_.lick_debounce_us, now)) continue;
    Text what;
    send_event(lick.level_since, what.add("LICK ").add_uint(port).add(lick.level ? " 1" : " 0"));
  }
  if (settle(photodiode_, settings_.photodiode_min_us, now)) {
    Text what;
    send_event(photodiode_.level_since, what.add(photodiode_.level ? "PHD 1" : "PHD 0"));
  }
}

bool Device::settle(SettlingInput& input, uint32_t hold_us, uint64_t now) {
  if (input.level == input.reported || now - input.level_since < hold_us) return false;
  input.reported = input.level;
  return true;
}

void Device::lick_edge(uint8_t port, bool touching, uint32_t at_us) {
  if (port >= kLickPorts) return;
  licks_[port].level = touching;
  licks_[port].level_since = clock_.at(at_us);  // a bounce restarts the debounce time
}

void Device::photodiode_edge(bool bright, uint32_t at_us) {
  photodiode_.level = bright;
  photodiode_.level_since = clock_.at(at_us);  // a blip restarts the filter time
}

void Device::frame_clock_edge(bool high, uint32_t at_us) {
  const uint64_t at = clock_.at(at_us);
  if (high) {
    frame_high_ = true;
    frame_rose_at_ = at;
    if (opto_on_ && !led_.high) {  // frame-locked light: the LED and the PMT gate from this edge
      start_pulse(led_, kLedOutput, at, led_us_);
      if (!gate_.high || gate_.until < at + gate_us_) start_pulse(gate_, kPmtGateOutput, at, gate_us_);
    }
    return;
  }
  if (!frame_high_) return;
  frame_high_ = false;
  const uint64_t width = at - frame_rose_at_;
  if (width < settings_.frame_pulse_min_us) {
    board_.log(Happening::frame_glitch, 0, static_cast<uint32_t>(width));
    return;
  }
  Text what;
  send_event(frame_rose_at_, what.add("FRM ").add_uint(frames_++));
}

void Device::close_valve() {
  if (!valve_open_) return;
  valve_open_ = false;
  board_.write_valve(open_valve_, false);
  board_.log(Happening::valve_closed, open_valve_, static_cast<uint32_t>(clock_.now() - opened_at_));
}

void Device::close_everything() {
  close_valve();
  for (uint8_t v = 0; v < kValves; ++v) board_.write_valve(v, false);
  stop_opto();
  board_.write_output(kLedOutput, false);
  armed_ = false;
}

void Device::send_reply(uint16_t seq, const char* text) {
  Text line;
  line.add_uint(seq).add(" ").add(text);
  send_line(line);
}

void Device::send_event(uint64_t at_us, const Text& what) {
  Text line;
  line.add("EVT ").add_uint(at_us).add(" ").add(what.c_str());
  send_line(line);
}

void Device::send_line(Text& line) {
  line.seal();
  board_.write_line(line.c_str(), line.length());
}

}  // namespace riglink
