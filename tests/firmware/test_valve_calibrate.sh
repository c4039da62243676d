#!/bin/sh
# tools/valve_calibrate.py against the reference firmware's core in apical-rig-emulator: `run` opens the
# valve the asked number of times at each duration (the emulator's log counts them) and writes the CSV;
# `fit` recovers a and b from weights made with a known line. Exits 77 (skipped) without python3.
#   test_valve_calibrate.sh EMULATOR SOURCE_DIR WORK_DIR
set -eu
emulator=$1
tool=$2/tools/valve_calibrate.py
work=$3
command -v python3 >/dev/null 2>&1 || { echo "python3 not found: skipped"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
"$emulator" --protocol riglink1 --frame-hz 0 > "$work/emulator.log" &
emulator_pid=$!
trap 'kill $emulator_pid 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s "$work/emulator.log" ] && break; sleep 0.1; done
device=$(head -n 1 "$work/emulator.log")

python3 "$tool" run --device "$device" --durations 10,25 --openings 3 --interval 220 --out "$work/cal.csv"
[ "$(grep -c 'VALVE 0 OPEN 10000 us' "$work/emulator.log")" -eq 3 ]
[ "$(grep -c 'VALVE 0 OPEN 25000 us' "$work/emulator.log")" -eq 3 ]
grep -q '^10,3,3,' "$work/cal.csv"
grep -q '^25,3,3,' "$work/cal.csv"

# Weights from v = 0.08 uL/ms * t + 0.3 uL, three openings each: 10 ms -> 3.3 mg, 25 ms -> 6.9 mg.
sed -e 's/^\(10,3,3,[0-9.]*\),$/\1,3.3/' -e 's/^\(25,3,3,[0-9.]*\),$/\1,6.9/' "$work/cal.csv" > "$work/filled.csv"
python3 "$tool" fit "$work/filled.csv" | tee "$work/fit.txt"
grep -q '"valve_a_uL_per_ms": 0.08, "valve_b_uL": 0.3' "$work/fit.txt"
echo "valve calibration round trip: ok"
