#!/usr/bin/env bash
# Sweep throughput: runs per minute of 'apical sweep' with 1 and 2 workers, as local threads
# (--threads 1, --threads 2) and as MPI ranks (mpirun -n 1, mpirun -n 2 ... --mpi), and the parallel
# efficiency: the speed-up over the 1-worker baseline of the same kind, measured in this invocation,
# divided by the workers. Every configuration runs bench/sweep_bench.json (12 runs) into a fresh
# folder, and their sweep.csv files must be identical. The configurations take turns (one round each
# per repeat), and the CPU seconds per run (user + system of every process) show how much of a
# speed-up a busy machine withheld. See docs/performance.md, "Parameter sweeps".
#
# Usage: bench/sweep_bench.sh [--apical PATH] [--repeats R] [--out FILE] [--no-build] [--no-mpi]
#
#   --apical PATH  the apical executable (default: build-bench/cli/apical, built here unless --no-build)
#   --repeats R    rounds; each times every configuration once, and the median is reported (default 1)
#   --out FILE     JSON-lines result file (default build-bench/sweep-bench-results.jsonl)
#   --no-build     use build-bench/cli/apical as it is
#   --no-mpi       measure the local threads only
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

apical="build-bench/cli/apical"
repeats=1
out="build-bench/sweep-bench-results.jsonl"
build=1
mpi=1
while [ $# -gt 0 ]; do
    case "$1" in
        --apical) apical="$2"; build=0; shift ;;
        --repeats) repeats="$2"; shift ;;
        --out) out="$2"; shift ;;
        --no-build) build=0 ;;
        --no-mpi) mpi=0 ;;
        -h|--help) sed -n '2,16p' "$here/sweep_bench.sh"; exit 0 ;;
        *) echo "sweep_bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

if [ "$build" = 1 ]; then
    echo "=== building apical (Release) in build-bench/" >&2
    cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DAPICAL_BUILD_TESTS=OFF >&2 &&
        cmake --build build-bench -j2 --target apical >&2 || { echo "sweep_bench.sh: build failed" >&2; exit 1; }
fi
[ -x "$apical" ] || { echo "sweep_bench.sh: no apical at $apical" >&2; exit 1; }
apical="$(cd "$(dirname "$apical")" && pwd)/$(basename "$apical")"

mpirun_cmd=()
if [ "$mpi" = 1 ]; then
    if ! command -v mpirun >/dev/null 2>&1; then
        echo "sweep_bench.sh: mpirun not found (Debian: openmpi-bin); MPI not measured" >&2; mpi=0
    else
        # As root, OpenMPI's mpirun needs these two; harmless otherwise.
        export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
        mpirun_cmd=(mpirun --oversubscribe)
    fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")"
: > "$out"
{
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(uname -srm)"
    echo "# cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores"
    echo "# loadavg before: $(cat /proc/loadavg 2>/dev/null)"
} >> "$out"

runs=$("$apical" sweep bench/sweep_bench.json --list | tail -n +2 | wc -l)
reference=""
failures=0
calc() { awk "BEGIN {print $*}"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# measure KIND WORKERS OPTIONS...: times "${launcher[@]}" apical sweep bench/sweep_bench.json --out DIR
# OPTIONS once, into a fresh folder, and adds the wall seconds to times[KIND WORKERS].
declare -A times cpus wall cpu_median
launcher=()
measure() {
    local kind="$1" workers="$2"; shift 2
    local folder="$work/$kind-$workers-$rep" start end rc cpu
    start=$(date +%s.%N)
    # bash's time keyword: user + system CPU seconds of the command and everything it waited for
    # (mpirun waits for its ranks).
    {
        TIMEFORMAT='%3U %3S'
        time {
            "${launcher[@]}" "$apical" sweep "$root/bench/sweep_bench.json" --out "$folder" "$@" > "$work/log" 2>&1
            echo $? > "$work/rc"
        }
    } 2> "$work/cpu"
    end=$(date +%s.%N)
    rc=$(cat "$work/rc")
    cpu=$(awk '{print $1 + $2}' "$work/cpu")
    if [ $rc -ne 0 ]; then
        echo "sweep_bench.sh: $kind with $workers worker(s) exited with status $rc:" >&2
        cat "$work/log" >&2
        failures=$((failures + 1))
        return 1
    fi
    if [ -z "$reference" ]; then
        reference="$work/reference.csv"
        cp "$folder/sweep.csv" "$reference"
    elif ! cmp -s "$reference" "$folder/sweep.csv"; then
        echo "sweep_bench.sh: $kind with $workers worker(s): sweep.csv differs from the first configuration" >&2
        failures=$((failures + 1))
    fi
    times[$kind$workers]="${times[$kind$workers]:-} $(calc "$end - $start")"
    cpus[$kind$workers]="${cpus[$kind$workers]:-} $cpu"
    rm -rf "$folder"
}

# The configurations take turns, so that a change in the machine's load falls on all of them alike.
kinds=(local)
[ "$mpi" = 1 ] && kinds+=(mpi)
for ((rep = 0; rep < repeats; rep++)); do
    for kind in "${kinds[@]}"; do
        for workers in 1 2; do
            echo "=== round $((rep + 1))/$repeats: $kind, $workers worker(s)" >&2
            if [ "$kind" = local ]; then
                launcher=()
                measure local "$workers" --threads "$workers"
            else
                launcher=("${mpirun_cmd[@]}" -n "$workers")
                measure mpi "$workers" --mpi
            fi
        done
    done
done
for kind in "${kinds[@]}"; do
    for workers in 1 2; do
        list=${times[$kind$workers]:-}
        [ -n "$list" ] || continue
        t=$(median $list)
        c=$(median ${cpus[$kind$workers]})
        wall[$kind$workers]=$t
        cpu_median[$kind$workers]=$c
        printf '{"benchmark":"sweep","kind":"%s","workers":%d,"runs":%d,"wall_s":%.3f,"runs_per_min":%.3f,"cpu_s":%.3f,"walls_s":[%s],"cpus_s":[%s]}\n' \
            "$kind" "$workers" "$runs" "$t" "$(calc "$runs * 60 / $t")" "$c" "$(echo $list | tr ' ' ',')" \
            "$(echo ${cpus[$kind$workers]} | tr ' ' ',')" >> "$out"
    done
done
echo "# loadavg after: $(cat /proc/loadavg 2>/dev/null)" >> "$out"

echo
echo "sweep throughput: bench/sweep_bench.json, $runs runs, median of $repeats; $(nproc) cores"
echo "load average before and after: $(sed -n 's/^# loadavg //p' "$out" | tr '\n' ' ')"
printf '%-6s %8s %9s %9s %15s %11s %11s %10s\n' kind workers "wall (s)" runs/min "vs same kind 1" "vs local 1" \
    efficiency "CPU s/run"
for kind in local mpi; do
    for workers in 1 2; do
        t=${wall[$kind$workers]:-}
        [ -n "$t" ] || continue
        base=${wall[${kind}1]:-}
        local1=${wall[local1]:-}
        same="-"; vs_local="-"; efficiency="-"
        if [ -n "$base" ]; then
            same=$(calc "$base / $t")
            efficiency=$(printf '%.2f' "$(calc "$base / $t / $workers")")
            same=$(printf '%.2f' "$same")
        fi
        [ -n "$local1" ] && vs_local=$(printf '%.2f' "$(calc "$local1 / $t")")
        printf '%-6s %8d %9.1f %9.2f %15s %11s %11s %10.2f\n' "$kind" "$workers" "$t" "$(calc "$runs * 60 / $t")" \
            "$same" "$vs_local" "$efficiency" "$(calc "${cpu_median[$kind$workers]} / $runs")"
    done
done
[ "$failures" -eq 0 ] || { echo "sweep_bench.sh: $failures configuration(s) failed" >&2; exit 1; }
