#!/usr/bin/env python3
"""Valve calibration for a RIGLINK/1 reward board (docs/rig-setup.md#valve-calibration).

  valve_calibrate.py run --device /dev/ttyACM0 --durations 20,40,60,80 --openings 100 --out cal.csv
      opens the valve `openings` times at each duration (ms), `interval` ms apart, waiting for Enter
      between durations (on a terminal) so the tube can be changed, and writes a CSV with one row per
      duration; weigh what each series dispensed and fill in the weight_mg column.
  valve_calibrate.py fit cal.csv
      fits v = a*t + b (uL per opening against ms open; 1 mg of water = 1 uL) and prints the rig file's
      "valve_a_uL_per_ms" and "valve_b_uL".

Only the Python standard library: the serial port is opened with termios, like apical does.
"""
import argparse
import csv
import datetime
import os
import select
import sys
import termios
import time
import tty

REPLY_TIMEOUT_S = 0.05  # RIGLINK/1: resend after 50 ms without a reply, at most 3 times
RETRIES = 3
HEARTBEAT_S = 0.25      # the board's watchdog closes the valve after 1 s without HB


def crc8(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


class Board:
    """One RIGLINK/1 board: sequence-numbered commands, each answered once; EVT lines are collected."""

    def __init__(self, path, baud):
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)
        attributes = termios.tcgetattr(self.fd)
        speed = getattr(termios, f"B{baud}")
        attributes[4] = attributes[5] = speed
        attributes[2] &= ~termios.HUPCL  # closing the port must not reset the board
        termios.tcsetattr(self.fd, termios.TCSANOW, attributes)
        termios.tcflush(self.fd, termios.TCIOFLUSH)
        self.seq = 0
        self.partial = b""
        self.events = []
        self.last_heartbeat = 0.0

    def close(self):
        os.close(self.fd)

    def _lines(self, until):
        while True:
            left = until - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return
            self.partial += os.read(self.fd, 256)
            while b"\n" in self.partial:
                line, self.partial = self.partial.split(b"\n", 1)
                line = line.rstrip(b"\r")
                if len(line) < 5 or line[-4:-2] != b" *" or int(line[-2:], 16) != crc8(line[:-4]):
                    print(f"ignored a damaged line from the board: {line!r}", file=sys.stderr)
                    continue
                yield line[:-4].decode()

    def command(self, text):
        """Sends `seq text`, resending on silence; returns the reply's words after the seq."""
        seq = str(self.seq)
        self.seq = (self.seq + 1) % 65536
        body = f"{seq} {text}".encode()
        line = body + b" *%02X\n" % crc8(body)
        for _ in range(RETRIES + 1):
            os.write(self.fd, line)
            for reply in self._lines(time.monotonic() + REPLY_TIMEOUT_S):
                words = reply.split()
                if words[0] == "EVT":
                    self.events.append(words)
                elif words[0] == seq:
                    if words[1:3] == ["ERR", "1"]:
                        break  # the board got our line damaged: send it again
                    return words[1:]
        raise RuntimeError(f"no reply to '{seq} {text}' after {RETRIES} retries")

    def keep_alive(self):
        if time.monotonic() - self.last_heartbeat >= HEARTBEAT_S:
            self.command("HB")
            self.last_heartbeat = time.monotonic()

    def wait(self, seconds):
        """Waits, feeding the watchdog and collecting events."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.keep_alive()
            for line in self._lines(min(end, time.monotonic() + 0.05)):
                if line.split()[0] == "EVT":
                    self.events.append(line.split())


def wait_for_enter(board, message):
    """Waits for the user while keeping the board's watchdog fed."""
    print(message, end="", flush=True)
    while not select.select([sys.stdin], [], [], 0)[0]:
        board.wait(0.1)
    sys.stdin.readline()


def run(args):
    durations = [float(d) for d in args.durations.split(",")]
    board = Board(args.device, args.baud)
    try:
        hello = board.command("HELLO")
        if "RIGLINK/1" not in hello:
            raise RuntimeError(f"the board does not speak RIGLINK/1: {' '.join(hello)}")
        if board.command("ARM")[0] != "OK":
            raise RuntimeError("the board refused ARM")
        rows = []
        for index, duration in enumerate(durations):
            if index > 0 and sys.stdin.isatty():
                wait_for_enter(board, f"put a fresh weighed tube under the spout for {duration:g} ms, then press Enter ")
            board.events.clear()
            for opening in range(args.openings):
                reply = board.command(f"REWARD {args.valve} {duration:g}")
                if reply[0] != "OK":
                    raise RuntimeError(f"REWARD {duration:g} ms refused: {' '.join(reply)}")
                board.wait(args.interval / 1000)
                print(f"\r{duration:g} ms: {opening + 1}/{args.openings}", end="", flush=True)
            board.wait(duration / 1000 + 0.05)  # the last opening's RWD
            open_us = [int(e[5]) - int(e[4]) for e in board.events if len(e) >= 6 and e[2] == "RWD"]
            mean_ms = sum(open_us) / len(open_us) / 1000 if open_us else ""
            rows.append([f"{duration:g}", args.openings, len(open_us), mean_ms and f"{mean_ms:.3f}", ""])
            print()
        board.command("DISARM")
    finally:
        board.close()
    with open(args.out, "w", newline="") as f:
        f.write(f"# valve {args.valve} on {args.device} ({' '.join(hello[1:])}), {datetime.datetime.now():%Y-%m-%d %H:%M}\n")
        f.write("# fill in weight_mg (what each series dispensed; 1 mg of water = 1 uL), then: valve_calibrate.py fit\n")
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["duration_ms", "openings", "rwd_events", "mean_open_ms", "weight_mg"])
        writer.writerows(rows)
    print(f"wrote {args.out}: weigh each series and fill in weight_mg")


def fit(args):
    with open(args.csv) as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    points = []
    for row in rows:
        if not row["weight_mg"].strip():
            sys.exit(f"{args.csv}: weight_mg is empty for {row['duration_ms']} ms")
        points.append((float(row["duration_ms"]), float(row["weight_mg"]) / int(row["openings"])))
    if len(points) < 2:
        sys.exit(f"{args.csv}: a line needs at least two durations")
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    a = sum((t - mean_t) * (v - mean_v) for t, v in points) / sum((t - mean_t) ** 2 for t, _ in points)
    b = mean_v - a * mean_t
    print("duration_ms  uL_per_opening  fitted  residual")
    worst = 0.0
    for t, v in points:
        residual = (v - (a * t + b)) / v
        worst = max(worst, abs(residual))
        print(f"{t:11g}  {v:14.4f}  {a * t + b:6.4f}  {100 * residual:+7.2f} %")
    print(f'\n"valve_a_uL_per_ms": {a:.6g}, "valve_b_uL": {b:.6g}')
    if a <= 0:
        sys.exit("the slope is not positive: check the weights")
    if worst > 0.05:
        print(f"warning: a residual of {100 * worst:.1f} % exceeds 5 %: the valve is not linear over these "
              "durations; calibrate over the range you use, or check the head height", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="action", required=True)
    r = sub.add_parser("run", help="open the valve N times per duration and write the CSV to fill in")
    r.add_argument("--device", required=True, help="serial device of the RIGLINK/1 board")
    r.add_argument("--baud", type=int, default=115200)
    r.add_argument("--valve", type=int, default=0)
    r.add_argument("--durations", default="20,40,60,80", help="ms, comma-separated (default 20,40,60,80)")
    r.add_argument("--openings", type=int, default=100, help="openings per duration (default 100)")
    r.add_argument("--interval", type=float, default=300, help="ms from one opening to the next (default 300)")
    r.add_argument("--out", required=True, help="CSV to write")
    f = sub.add_parser("fit", help="fit v = a*t + b to a filled-in CSV")
    f.add_argument("csv")
    args = parser.parse_args()
    try:
        run(args) if args.action == "run" else fit(args)
    except (OSError, RuntimeError) as e:
        sys.exit(f"valve_calibrate.py: {e}")


if __name__ == "__main__":
    main()
