#!/bin/sh
# Builds the RIGLINK/1 reference firmware for an Arduino Leonardo (ATmega32U4) with avr-gcc, to catch
# code that compiles on the host but not on the board, and compiles the CLOOSE sketch for an Uno. Needs gcc-avr and avr-libc; with Debian's
# arduino-core-avr as well it links the whole sketch and checks that at least 512 bytes of the 2560-byte
# RAM stay free for the stack. Exits 77 (ctest: skipped) when avr-g++ is not installed.
#   avr_build.sh SOURCE_DIR WORK_DIR
set -eu
source_dir=$1
work=$2
firmware=$source_dir/firmware/riglink
arduino=/usr/share/arduino/hardware/arduino/avr

if ! command -v avr-g++ >/dev/null 2>&1; then
  echo "avr-g++ not found (apt-get install gcc-avr avr-libc): skipped"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work"
mcu="-mmcu=atmega32u4 -DF_CPU=16000000L"
cxx="avr-g++ -std=gnu++11 $mcu -Os -ffunction-sections -fdata-sections -fno-exceptions -fno-threadsafe-statics"

$cxx -Wall -Wextra -Werror -I"$firmware" -c "$firmware/riglink_core.cpp" -o "$work/riglink_core.o"
echo "riglink_core.cpp compiles for the ATmega32U4"

if [ ! -d "$arduino/cores/arduino" ]; then
  echo "Arduino core not found ($arduino; apt-get install arduino-core-avr): sketch not linked"
  exit 0
fi
board="-DARDUINO=10807 -DARDUINO_ARCH_AVR -DARDUINO_AVR_LEONARDO -DUSB_VID=0x2341 -DUSB_PID=0x8036"
includes="-I$arduino/cores/arduino -I$arduino/variants/leonardo -I$arduino/libraries/EEPROM/src -I$firmware"
$cxx $board $includes -Wall -Wextra -Werror -x c++ -c "$firmware/riglink.ino" -o "$work/riglink_ino.o"
# The Arduino core, as the IDE builds it (String is left out: the sketch does not use it, and Debian's
# copy needs a DECIMAL_DIG that avr-libc 2.0 lacks).
for f in "$arduino"/cores/arduino/*.c; do
  avr-gcc -std=gnu11 $mcu -Os -ffunction-sections -fdata-sections $board $includes -c "$f" -o "$work/$(basename "$f").o"
done
for f in "$arduino"/cores/arduino/*.cpp; do
  [ "$(basename "$f")" = WString.cpp ] && continue
  $cxx $board $includes -c "$f" -o "$work/$(basename "$f").o"
done
for f in "$arduino"/cores/arduino/*.S; do
  avr-gcc -x assembler-with-cpp $mcu $board $includes -c "$f" -o "$work/$(basename "$f").o"
done
avr-gcc $mcu -Os -Wl,--gc-sections -o "$work/riglink.elf" "$work"/*.o -lm
avr-size -C --mcu=atmega32u4 "$work/riglink.elf"
uno="-mmcu=atmega328p -DF_CPU=16000000L -DARDUINO=10807 -DARDUINO_ARCH_AVR -DARDUINO_AVR_UNO"
avr-g++ -std=gnu++11 $uno -Os -fno-exceptions -Wall -Wextra -Werror -I"$arduino/cores/arduino" -I"$arduino/variants/standard" \
  -x c++ -c "$source_dir/firmware/cloose/cloose.ino" -o "$work/cloose_ino.o"
echo "cloose.ino compiles for the Uno"
ram=$(avr-size -A "$work/riglink.elf" | awk '$1 == ".data" || $1 == ".bss" || $1 == ".noinit" {s += $2} END {print s}')
flash=$(avr-size -A "$work/riglink.elf" | awk '$1 == ".text" || $1 == ".data" {s += $2} END {print s}')
echo "Leonardo: flash $flash of 28672 bytes, static RAM $ram of 2560 bytes"
[ "$flash" -le 28672 ] || { echo "the sketch does not fit the Leonardo's flash"; exit 1; }
[ "$ram" -le 2048 ] || { echo "less than 512 bytes of RAM left for the stack"; exit 1; }
