#!/usr/bin/python3
"""Benchmark B1 "HH-3C" in NEURON (docs/models.md section 8, shared reference hh3c/README.md).

Builds N independent three-compartment Hodgkin-Huxley cables, runs 1000 ms at
dt = 0.025 ms with NEURON's fixed-step backward Euler (single thread, rate
tables off), times the run only (cell construction and finitialize excluded)
and prints one JSON line:

  {"simulator": "neuron", "n_cells": N, "compartments": 3N, "steps": 40000,
   "wall_s": ..., "ns_per_compartment_step": ..., "spikes_cell0": 95, ...}

wall_s is the median wall-clock time over --repeats runs (cpu_s: the median
process CPU time of the same runs).  Extra keys: every repeat's time,
wall_total_s (interpreter start to the end of the last run, setup included),
peak_rss_mb, first_spike_ms of cell 0 and the spike count of the last cell.

Run with the system Python (/usr/bin/python3) where the Debian packages
`neuron` and `python3-neuron` are installed.
"""

import argparse
import json
import resource
import statistics
import sys
import time

T_PROCESS_START = time.perf_counter()

# Model constants, exactly as in the hh3c reference README.
SEC_L_UM = 60.0
SEC_DIAM_UM = 2.0
NSEG = 3
CM_UF_CM2 = 1.0
RA_OHM_CM = 35.4
CELSIUS = 6.3
DT_MS = 0.025
TSTOP_MS = 1000.0
V_INIT_MV = -65.0
STIM_X = 1.0 / 6.0  # centre of compartment 0
SPIKE_THRESHOLD_MV = 0.0
EXPECTED_SPIKES = 95


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cells", "-n", type=int, default=1, help="number of independent cells N")
    p.add_argument("--repeats", type=int, default=3, help="timed runs; the median is reported")
    p.add_argument("--amp", type=float, default=0.1, help="IClamp amplitude in nA (default 0.1)")
    p.add_argument("--delay", type=float, default=0.0,
                   help="IClamp delay in ms (default 0: B1 stimulates from t = 0)")
    p.add_argument("--expect-spikes", type=int, default=None,
                   help="required spike count of cell 0 (default 95 at 0.1 nA, none otherwise)")
    return p.parse_args(argv)


def build(h, n_cells, amp, delay):
    cells = []
    stims = []
    for i in range(n_cells):
        sec = h.Section(name="cell%d" % i)
        sec.L = SEC_L_UM
        sec.diam = SEC_DIAM_UM
        sec.nseg = NSEG
        sec.cm = CM_UF_CM2
        sec.Ra = RA_OHM_CM
        sec.insert("hh")  # built-in hh with its default densities and reversals
        stim = h.IClamp(sec(STIM_X))
        stim.delay = delay
        stim.dur = 1e9
        stim.amp = amp
        cells.append(sec)
        stims.append(stim)
    return cells, stims


def spike_counter(h, sec):
    """NetCon on the compartment-0 voltage, threshold 0 mV, recording spike times."""
    nc = h.NetCon(sec(STIM_X)._ref_v, None, sec=sec)
    nc.threshold = SPIKE_THRESHOLD_MV
    times = h.Vector()
    nc.record(times)
    return nc, times


def main(argv):
    args = parse_args(argv)
    if args.cells < 1 or args.repeats < 1:
        sys.exit("neuron_b1: --cells and --repeats must be >= 1")
    expect = args.expect_spikes
    if expect is None and abs(args.amp - 0.1) < 1e-12:
        expect = EXPECTED_SPIKES

    from neuron import h
    h.load_file("stdrun.hoc")

    h.celsius = CELSIUS
    h.usetable_hh = 0          # rate tables off: formulas evaluated every step
    h.secondorder = 0          # backward Euler
    h.cvode.active(0)          # fixed step
    h.dt = DT_MS
    h.steps_per_ms = 1.0 / DT_MS
    h.tstop = TSTOP_MS
    pc = h.ParallelContext()
    pc.nthread(1)              # single thread

    t_build0 = time.perf_counter()
    cells, stims = build(h, args.cells, args.amp, args.delay)
    nc0, times0 = spike_counter(h, cells[0])
    # NetCon.record belongs to the source (one per voltage), so a single cell
    # gets one counter; with N > 1 the last cell is checked as well.
    if args.cells > 1:
        nc_last, times_last = spike_counter(h, cells[-1])
    else:
        times_last = times0
    build_s = time.perf_counter() - t_build0

    # psolve advances in intervals of at most maxstep ms between (here empty)
    # spike exchanges; 10 ms keeps that overhead negligible (100 intervals).
    pc.set_maxstep(10)

    walls = []
    cpus = []
    for _ in range(args.repeats):
        h.finitialize(V_INIT_MV)
        c0 = time.process_time()
        t0 = time.perf_counter()
        # psolve runs the fixed-step loop in compiled code (no per-step
        # interpreter work), which is how NEURON is run for performance.
        pc.psolve(TSTOP_MS)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        steps = int(round(h.t / DT_MS))
        if steps != int(round(TSTOP_MS / DT_MS)):
            sys.exit("neuron_b1: run stopped at t = %g ms" % h.t)

    spikes0 = int(times0.size())
    spikes_last = int(times_last.size())
    steps = int(round(TSTOP_MS / DT_MS))
    comps = NSEG * args.cells
    wall = statistics.median(walls)
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {
        "simulator": "neuron",
        "benchmark": "b1",
        "n_cells": args.cells,
        "compartments": comps,
        "steps": steps,
        "wall_s": wall,
        "ns_per_compartment_step": wall / (comps * steps) * 1e9,
        "spikes_cell0": spikes0,
        "spikes_cell_last": spikes_last,
        "first_spike_ms": (float(times0[0]) if spikes0 else None),
        "walls_s": walls,
        "cpu_s": statistics.median(cpus),
        "build_s": build_s,
        "wall_total_s": time.perf_counter() - T_PROCESS_START,
        "peak_rss_mb": rss_kb / 1024.0,
        "version": h.nrnversion(),
        "amp_nA": args.amp,
        "delay_ms": args.delay,
    }
    print(json.dumps(out), flush=True)
    if expect is not None and (spikes0 != expect or spikes_last != expect):
        print("neuron_b1: expected %d spikes, got %d (cell 0) and %d (last cell)"
              % (expect, spikes0, spikes_last), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
