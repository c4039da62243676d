#!/usr/bin/env python3
"""A reference APF/1 frame sender (docs/frame-protocol.md), for acquisition PCs that run Python.

As a module, inside the program that has the frames (a Bruker PrairieLink forwarder, a Scanbox
memory-map reader, a ScanImage bridge):

    from apf_sender import ApfSender
    sender = ApfSender("192.168.1.10", 47800, rate_hz=15)
    sender.send_frame(frame, width=796, height=512, t_acq_ns=...)  # once per frame, as it arrives
    sender.close()                                                  # sends end-of-stream

`frame` is a row-major (x fastest) uint16 image: bytes, or anything with .astype and .tobytes (a
numpy array; int16 data are clipped to 0 first). As a program, it sends a raw file of uint16
little-endian frames at a set rate, to try a set-up:

    apf_sender.py frames.raw --width 796 --height 512 --rate 15 --host BRIDGE_HOST --port 47800

Frames go out without the optional CRC-32C (flag bit 2), which pure Python cannot compute at 15 Hz.
"""
import argparse
import json
import socket
import struct
import sys
import time
import uuid

HEADER = struct.Struct("<4sHHQQQHHBBBBBBHI")  # 48 bytes, the field order of the APF/1 header
KIND_FRAME, KIND_METADATA, KIND_END = 1, 2, 3
PIXEL_U16 = 1
LAYOUT_ROW_MAJOR = 0


class ApfSender:
    """One APF/1 stream: connects to the bridge, numbers the frames from 0, opens with metadata."""

    def __init__(self, host, port=47800, rate_hz=None, sender="apf_sender.py"):
        self.socket = socket.create_connection((host, port), timeout=5)
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.seq = 0
        metadata = {"sender": sender, "session_id": str(uuid.uuid4())}
        if rate_hz:
            metadata["frame_rate_hz"] = rate_hz
        self._send(KIND_METADATA, 0, 0, json.dumps(metadata).encode(), seq=0)

    def send_frame(self, frame, width, height, t_acq_ns=0, plane=0, n_planes=1, channel=0):
        if hasattr(frame, "astype"):
            frame = frame.clip(0, 65535).astype("<u2").tobytes()
        if len(frame) != width * height * 2:
            raise ValueError(f"a {width}x{height} uint16 frame is {width * height * 2} bytes, not {len(frame)}")
        self._send(KIND_FRAME, width, height, frame, self.seq, t_acq_ns, plane, n_planes, channel)
        self.seq += 1

    def close(self):
        self._send(KIND_END, 0, 0, b"", self.seq)
        self.socket.close()

    def _send(self, kind, width, height, payload, seq, t_acq_ns=0, plane=0, n_planes=1, channel=0):
        header = HEADER.pack(b"APFR", 1, HEADER.size, seq, t_acq_ns, time.monotonic_ns(), width, height,
                             PIXEL_U16, LAYOUT_ROW_MAJOR, plane, n_planes, channel, kind, 0, len(payload))
        self.socket.sendall(header + payload)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("raw", help="uint16 little-endian frames, row-major, one after another")
    parser.add_argument("--width", type=int, required=True)
    parser.add_argument("--height", type=int, required=True)
    parser.add_argument("--rate", type=float, default=15, help="frames per second (default 15)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=47800)
    args = parser.parse_args()
    frame_bytes = args.width * args.height * 2
    try:
        sender = ApfSender(args.host, args.port, args.rate)
        next_send = time.monotonic()
        with open(args.raw, "rb") as f:
            while len(frame := f.read(frame_bytes)) == frame_bytes:
                time.sleep(max(0.0, next_send - time.monotonic()))
                sender.send_frame(frame, args.width, args.height, t_acq_ns=time.monotonic_ns())
                next_send += 1 / args.rate
        sender.close()
    except OSError as e:
        sys.exit(f"apf_sender.py: {e}")
    print(f"sent {sender.seq} frames")


if __name__ == "__main__":
    main()
