#!/usr/bin/env bash
# Benchmarks B1 "HH-3C" (apical, NEURON, Brian2) and B2 "Bahl-2" (apical).
# See bench/README.md and docs/performance.md.
#
# Usage: bench/run.sh [--large] [--repeats R] [--sizes "1 100 1000"] [--out FILE]
#                     [--no-install] [--no-build] [--skip apical|neuron|brian2|b2 ...]
#
#   --large       also run N = 10000 (about 20-25 more minutes, mostly NEURON)
#   --repeats R   timed runs per measurement; the median is reported (default 3)
#   --sizes LIST  B1 sizes (default "1 100 1000")
#   --out FILE    JSON-lines result file (default build-bench/bench-results.jsonl)
#   --no-install  do not apt-get missing packages
#   --no-build    do not (re)build apical_bench
#   --skip X      leave out one part (repeatable)
#
# Run from anywhere; the repository root is found from this script's location.
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

sizes="1 100 1000"
repeats=3
large=0
install=1
build=1
out="build-bench/bench-results.jsonl"
skip=" "
while [ $# -gt 0 ]; do
    case "$1" in
        --large) large=1 ;;
        --repeats) repeats="$2"; shift ;;
        --sizes) sizes="$2"; shift ;;
        --out) out="$2"; shift ;;
        --no-install) install=0 ;;
        --no-build) build=0 ;;
        --skip) skip="$skip$2 "; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ "$large" = 1 ] && sizes="$sizes 10000"
skipped() { case "$skip" in *" $1 "*) return 0 ;; esac; return 1; }

# The simulators' Python modules are Debian packages for the system Python;
# a pyenv or venv "python3" earlier on PATH would not see them.
PY=/usr/bin/python3
[ -x "$PY" ] || PY="$(command -v python3)"

log() { printf '\n=== %s\n' "$*" >&2; }

# ---- 1. packages -----------------------------------------------------------
need=()
for p in neuron python3-neuron python3-brian; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
# Brian2 standalone needs a C++ compiler and make; apical needs cmake.
for p in g++ make cmake; do
    command -v "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    if [ "$install" = 1 ] && [ "$(id -u)" = 0 ]; then
        log "installing ${need[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get -o DPkg::Lock::Timeout=900 update -qq >&2 || true
        apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${need[@]}" >&2 \
            || echo "run.sh: apt-get failed; continuing with what is installed" >&2
    else
        echo "run.sh: missing packages (${need[*]}); install them as root or run without --no-install" >&2
    fi
fi

# ---- 2. build apical_bench -------------------------------------------------
bench_bin="build-bench/bench/apical_bench"
if [ "$build" = 1 ] && ! skipped apical; then
    log "building apical_bench (Release) in build-bench/"
    if ! { cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DAPICAL_BUILD_TESTS=OFF >&2 &&
           cmake --build build-bench -j2 --target apical_bench >&2; }; then
        echo "run.sh: apical_bench did not build; continuing without apical" >&2
    fi
fi
have_apical=0
[ -x "$bench_bin" ] && have_apical=1

# ---- 3. run ----------------------------------------------------------------
pin=()
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
    pin=(taskset -c 0)
else
    echo "run.sh: taskset not available; runs are not pinned" >&2
fi

mkdir -p "$(dirname "$out")"
: > "$out"
{
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm)"
    echo "# loadavg before: $(cat /proc/loadavg 2>/dev/null)"
    echo "# cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
} >> "$out"

# run SIM BENCH N LABEL CMD...: runs CMD and appends its JSON result line(s) to
# $out; a run that fails without printing one gets an "error" line instead.
failures=0
run() {
    local sim="$1" bench="$2" n="$3" what="$4"; shift 4
    log "$what: ${pin[*]} $*"
    local tmp
    tmp="$(mktemp)"
    "${pin[@]}" "$@" > "$tmp"
    local rc=$?
    grep '^{"simulator"' "$tmp" | tee -a "$out"
    if [ $rc -ne 0 ]; then
        echo "run.sh: $what exited with status $rc" >&2
        failures=$((failures + 1))
        if ! grep -q '^{"simulator"' "$tmp"; then
            printf '{"simulator":"%s","benchmark":"%s","n_cells":%s,"error":"exited with status %d, no result"}\n' \
                "$sim" "$bench" "$n" "$rc" >> "$out"
        fi
    fi
    rm -f "$tmp"
}

for n in $sizes; do
    if ! skipped apical; then
        if [ "$have_apical" = 1 ]; then
            run apical b1 "$n" "apical B1 N=$n" "$bench_bin" b1 --cells "$n" --repeats "$repeats"
        else
            echo "run.sh: $bench_bin not found; apical B1 skipped" >&2
        fi
    fi
    if ! skipped neuron; then
        run neuron b1 "$n" "NEURON B1 N=$n" "$PY" bench/neuron_b1.py --cells "$n" --repeats "$repeats"
    fi
    if ! skipped brian2; then
        run brian2 b1 "$n" "Brian2 B1 N=$n" "$PY" bench/brian2_b1.py --cells "$n" --repeats "$repeats"
        # Brian2's own SpatialNeuron solver needs one group (and one compiled
        # set of code objects) per cell, so it is measured for N = 1 only.
        if [ "$n" = 1 ]; then
            run brian2 b1 1 "Brian2 SpatialNeuron B1 N=1" "$PY" bench/brian2_b1.py --cells 1 \
                --formulation spatial --repeats "$repeats"
        fi
    fi
done

if ! skipped b2 && ! skipped apical; then
    if [ "$have_apical" = 1 ]; then
        run apical b2 1 "apical B2" "$bench_bin" b2 --repeats "$repeats"
    else
        echo "run.sh: $bench_bin not found; apical B2 skipped" >&2
    fi
fi

# ---- 4. report -------------------------------------------------------------
echo "# loadavg after: $(cat /proc/loadavg 2>/dev/null)" >> "$out"
log "results in $out"
"$PY" bench/report.py "$out"
[ "$failures" -eq 0 ] || { echo "run.sh: $failures run(s) failed" >&2; exit 1; }
exit 0
