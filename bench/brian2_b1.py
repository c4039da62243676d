#!/usr/bin/python3
"""Benchmark B1 "HH-3C" in Brian2, C++ standalone mode (docs/models.md section 8).

Prints one JSON line like neuron_b1.py, with "simulator": "brian2":

  {"simulator": "brian2", "n_cells": N, "compartments": 3N, "steps": 40000,
   "wall_s": ..., "ns_per_compartment_step": ..., "spikes_cell0": 95, ...}

Two formulations (--formulation):

* ``group`` (default): one NeuronGroup of N neurons, each neuron one
  three-compartment cable.  The per-neuron state is v0..v2 and the HH gates
  m, h, n of each compartment.  Every step, a ``run_regularly`` operation in
  the 'start' slot does NEURON's backward-Euler cable solve (conductances from
  the gates at t_n, exact 3x3 tridiagonal solve, the Thomas algorithm written
  out); the group's state updater then advances the gates with Brian2's
  ``exponential_euler`` at the new voltage.  This is the same scheme as NEURON
  (docs/models.md section 7), so spike times agree with the NEURON reference
  to the rounding of the listed values.  It scales to any N with one set of
  generated code.
* ``spatial``: one Brian2 ``SpatialNeuron`` per cell (a 60-um, 3-compartment
  Cylinder).  SpatialNeuron has no "N copies" option and one morphology is one
  tree, so N cells need N groups: each adds its own generated code objects
  (compile time grows with N) and per-step dispatch.  It is meant for N = 1
  (and small N) as a cross-check of the ``group`` formulation against Brian2's
  own cable solver.  Its scheme differs slightly (gates are advanced with the
  voltage of t_n before the implicit cable solve), so its spike times drift
  from NEURON's; the count is still 95.

Timing: the project is generated and compiled once (not timed); the compiled
binary is then run --repeats times.  wall_s is the median of the run time that
the binary measures itself around its main simulation loop (Brian2's
``last_run_info.txt``; without OpenMP this is CPU time from std::clock(), equal
to wall time for this single-threaded, CPU-bound loop).  Each repeat's
process wall time (start to exit of the binary, including allocation and
writing the results) is reported as well.

The device runs single-threaded (no OpenMP) with Brian2's default C++ flags
(-O3 -ffast-math -march=native on this platform).

If Brian2 or its standalone build fails, the script prints a JSON line with
an "error" key and exits with status 3, so a harness can continue.
"""

import argparse
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
import traceback

T_PROCESS_START = time.perf_counter()

NSEG = 3
DT_MS = 0.025
TSTOP_MS = 1000.0
EXPECTED_SPIKES = 95


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cells", "-n", type=int, default=1, help="number of independent cells N")
    p.add_argument("--repeats", type=int, default=3, help="timed runs of the binary; median reported")
    p.add_argument("--formulation", choices=("group", "spatial"), default="group")
    p.add_argument("--amp", type=float, default=0.1, help="stimulus in nA (default 0.1)")
    p.add_argument("--delay", type=float, default=0.0,
                   help="stimulus delay in ms (default 0: B1 stimulates from t = 0)")
    p.add_argument("--expect-spikes", type=int, default=None,
                   help="required spike count of cell 0 (default 95 at 0.1 nA, none otherwise)")
    p.add_argument("--build-dir", default=None,
                   help="standalone project directory (default: a temporary directory, removed)")
    p.add_argument("--keep", action="store_true", help="keep the standalone project directory")
    return p.parse_args(argv)


# Rate functions of NEURON's hh (V in mV, rates in 1/ms).  NEURON's
# vtrap(x, y) = x/(exp(x/y) - 1) equals y/exprel(x/y); Brian2's exprel is
# exact near 0 where NEURON switches to a series.
def rate_equations(k):
    """Brian2 equations for the gates of compartment k (voltage v<k>)."""
    v = "(v%d/mV)" % k if k is not None else "(v/mV)"
    s = "" if k is None else str(k)
    return f"""
dm{s}/dt = alpham{s}*(1 - m{s}) - betam{s}*m{s} : 1
dh{s}/dt = alphah{s}*(1 - h{s}) - betah{s}*h{s} : 1
dn{s}/dt = alphan{s}*(1 - n{s}) - betan{s}*n{s} : 1
alpham{s} = 1.0/exprel(-({v} + 40.0)/10.0)/ms : Hz
betam{s} = 4.0*exp(-({v} + 65.0)/18.0)/ms : Hz
alphah{s} = 0.07*exp(-({v} + 65.0)/20.0)/ms : Hz
betah{s} = 1.0/(exp(-({v} + 35.0)/10.0) + 1.0)/ms : Hz
alphan{s} = 0.1/exprel(-({v} + 55.0)/10.0)/ms : Hz
betan{s} = 0.125*exp(-({v} + 65.0)/80.0)/ms : Hz
"""


def steady_state_gates(v_mv):
    import math

    def exprel(x):
        return 1.0 + x / 2.0 if abs(x) < 1e-9 else math.expm1(x) / x

    am = 1.0 / exprel(-(v_mv + 40.0) / 10.0)
    bm = 4.0 * math.exp(-(v_mv + 65.0) / 18.0)
    ah = 0.07 * math.exp(-(v_mv + 65.0) / 20.0)
    bh = 1.0 / (math.exp(-(v_mv + 35.0) / 10.0) + 1.0)
    an = 0.1 / exprel(-(v_mv + 55.0) / 10.0)
    bn = 0.125 * math.exp(-(v_mv + 65.0) / 80.0)
    return am / (am + bm), ah / (ah + bh), an / (an + bn)


def build_group(b2, n_cells, amp_na, delay_ms):
    """N cells in one NeuronGroup; returns (groups, monitors)."""
    from brian2 import (NeuronGroup, SpikeMonitor, Equations, mV, ms, nA, um, uF, cm, ohm,
                        siemens, pi)

    # Geometry and passive constants (hh3c README): 3 x 20 um, diameter 2 um.
    seg_len = 20 * um
    diam = 2 * um
    area = pi * diam * seg_len                                   # 125.66 um^2
    c_m = 1 * uF / cm ** 2 * area                                # capacitance per compartment
    r_a = 35.4 * ohm * cm * seg_len / (pi * (diam / 2) ** 2)     # centre to centre, 2.2536 MOhm
    g_a = 1.0 / r_a
    namespace = {
        "C_m": c_m, "g_a": g_a,
        "gNa_c": 0.12 * siemens / cm ** 2 * area,
        "gK_c": 0.036 * siemens / cm ** 2 * area,
        "gL_c": 0.0003 * siemens / cm ** 2 * area,
        "ENa": 50 * mV, "EK": -77 * mV, "EL": -54.3 * mV,
        "I_amp": amp_na * nA, "I_delay": delay_ms * ms,
    }
    eqs = Equations("v0 : volt\nv1 : volt\nv2 : volt\n")
    for k in range(NSEG):
        eqs += Equations(rate_equations(k))
    group = NeuronGroup(n_cells, eqs, method="exponential_euler",
                        threshold="v0 > 0*mV", refractory="v0 > 0*mV",
                        namespace=namespace, name="hh3c")

    # Backward-Euler cable step with the gates of t_n (NEURON's order): for
    # compartment k the membrane is a conductance gm_k to a battery e_k, so
    #   (C/dt + gm_k + sum g_a) V_k' - g_a (neighbours') = C/dt V_k + gm_k e_k + I_k.
    lines = []
    for k in range(NSEG):
        lines.append(f"_gna{k} = gNa_c*m{k}*m{k}*m{k}*h{k}")
        lines.append(f"_gk{k} = gK_c*n{k}*n{k}*n{k}*n{k}")
        lines.append(f"_gm{k} = _gna{k} + _gk{k} + gL_c")
        lines.append(f"_b{k} = C_m/dt*v{k} + _gna{k}*ENa + _gk{k}*EK + gL_c*EL")
    lines += [
        "_b0 = _b0 + I_amp*int(t + 0.5*dt >= I_delay)",
        "_d0 = C_m/dt + _gm0 + g_a",
        "_d1 = C_m/dt + _gm1 + 2*g_a",
        "_d2 = C_m/dt + _gm2 + g_a",
        # forward elimination (off-diagonals are -g_a)
        "_d1 = _d1 - g_a*g_a/_d0",
        "_b1 = _b1 + g_a*_b0/_d0",
        "_d2 = _d2 - g_a*g_a/_d1",
        "_b2 = _b2 + g_a*_b1/_d1",
        # back substitution
        "v2 = _b2/_d2",
        "v1 = (_b1 + g_a*v2)/_d1",
        "v0 = (_b0 + g_a*v1)/_d0",
    ]
    group.run_regularly("\n".join(lines), when="start", name="hh3c_cable")
    v_init = -65.0
    m_inf, h_inf, n_inf = steady_state_gates(v_init)
    for k in range(NSEG):
        setattr(group, "v%d" % k, v_init * mV)
        setattr(group, "m%d" % k, m_inf)
        setattr(group, "h%d" % k, h_inf)
        setattr(group, "n%d" % k, n_inf)
    mon0 = SpikeMonitor(group[:1], name="spikes_first")
    monitors = [mon0]
    if n_cells > 1:
        monitors.append(SpikeMonitor(group[n_cells - 1:], name="spikes_last"))
    return [group], monitors


def build_spatial(b2, n_cells, amp_na, delay_ms):
    """One SpatialNeuron per cell; returns (groups, monitors)."""
    from brian2 import (SpatialNeuron, SpikeMonitor, Cylinder, Equations, mV, nA, um, uF,
                        cm, ohm, siemens)

    if delay_ms > 0:
        raise SystemExit("brian2_b1: --formulation spatial supports only --delay 0")
    namespace = {
        "gNa": 0.12 * siemens / cm ** 2, "gK": 0.036 * siemens / cm ** 2,
        "gL": 0.0003 * siemens / cm ** 2,
        "ENa": 50 * mV, "EK": -77 * mV, "EL": -54.3 * mV,
    }
    eqs = Equations("""
Im = gNa*m*m*m*h*(ENa - v) + gK*n*n*n*n*(EK - v) + gL*(EL - v) : amp/meter**2
I : amp (point current)
""") + Equations(rate_equations(None))
    m_inf, h_inf, n_inf = steady_state_gates(-65.0)
    groups = []
    monitors = []
    for i in range(n_cells):
        morpho = Cylinder(length=60 * um, diameter=2 * um, n=NSEG)
        cell = SpatialNeuron(morphology=morpho, model=eqs, method="exponential_euler",
                             Cm=1 * uF / cm ** 2, Ri=35.4 * ohm * cm,
                             threshold="v > 0*mV", threshold_location=0,
                             refractory="v > 0*mV", namespace=namespace,
                             name="hh3c_%d" % i)
        cell.v = -65 * mV
        cell.m = m_inf
        cell.h = h_inf
        cell.n = n_inf
        cell.I[0] = amp_na * nA
        groups.append(cell)
        if i == 0 or i == n_cells - 1:
            monitors.append(SpikeMonitor(cell, name="spikes_%d" % i))
    return groups, monitors


def error_line(args, msg):
    return json.dumps({"simulator": "brian2", "benchmark": "b1", "n_cells": args.cells,
                       "compartments": NSEG * args.cells, "steps": int(round(TSTOP_MS / DT_MS)),
                       "formulation": args.formulation, "error": msg})


def main(argv):
    args = parse_args(argv)
    if args.cells < 1 or args.repeats < 1:
        sys.exit("brian2_b1: --cells and --repeats must be >= 1")
    expect = args.expect_spikes
    if expect is None and abs(args.amp - 0.1) < 1e-12:
        expect = EXPECTED_SPIKES

    try:
        import brian2 as b2
    except Exception as exc:  # noqa: BLE001 - any import failure is reported
        print(error_line(args, "cannot import brian2: %s" % exc), flush=True)
        return 3

    own_dir = args.build_dir is None
    build_dir = args.build_dir or tempfile.mkdtemp(prefix="brian2_b1_")
    try:
        b2.set_device("cpp_standalone", directory=build_dir, build_on_run=False)
        b2.prefs.devices.cpp_standalone.openmp_threads = 0   # single thread, no OpenMP
        b2.prefs.logging.console_log_level = "WARNING"
        b2.defaultclock.dt = DT_MS * b2.ms

        t_setup0 = time.perf_counter()
        builder = build_group if args.formulation == "group" else build_spatial
        groups, monitors = builder(b2, args.cells, args.amp, args.delay)
        net = b2.Network(*groups, *monitors)
        net.run(TSTOP_MS * b2.ms)
        dev = b2.get_device()
        t_gen0 = time.perf_counter()
        dev.build(directory=build_dir, compile=True, run=False, with_output=False)
        build_s = time.perf_counter() - t_setup0
        compile_s = time.perf_counter() - t_gen0

        run_times = []
        process_walls = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            dev.run(build_dir, with_output=False, run_args=[])
            process_walls.append(time.perf_counter() - t0)
            run_times.append(float(dev._last_run_time))
            if abs(float(dev._last_run_completed_fraction) - 1.0) > 1e-9:
                raise RuntimeError("run did not complete")
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - report and let the harness go on
        traceback.print_exc(file=sys.stderr)
        print(error_line(args, "brian2 standalone build/run failed: %s: %s"
                         % (type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")),
              flush=True)
        if own_dir and not args.keep:
            shutil.rmtree(build_dir, ignore_errors=True)
        return 3

    counts = [int(m.num_spikes) for m in monitors]
    first = monitors[0].t[:]
    spikes0 = counts[0]
    spikes_last = counts[-1]
    steps = int(round(TSTOP_MS / DT_MS))
    comps = NSEG * args.cells
    wall = statistics.median(run_times)
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Largest child (compiler or binary); a forked child starts with the parent's
    # RSS, so this is never below the Python process's own peak.
    rss_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = {
        "simulator": "brian2",
        "benchmark": "b1",
        "formulation": args.formulation,
        "n_cells": args.cells,
        "compartments": comps,
        "steps": steps,
        "wall_s": wall,
        "ns_per_compartment_step": wall / (comps * steps) * 1e9,
        "spikes_cell0": spikes0,
        "spikes_cell_last": spikes_last,
        "first_spike_ms": (float(first[0] / b2.ms) if spikes0 else None),
        "walls_s": run_times,
        "process_walls_s": process_walls,
        "build_s": build_s,
        "compile_s": compile_s,
        "wall_total_s": time.perf_counter() - T_PROCESS_START,
        "peak_rss_mb_python": rss_self / 1024.0,
        "peak_rss_mb_children": rss_child / 1024.0,
        "version": b2.__version__,
        "amp_nA": args.amp,
        "delay_ms": args.delay,
    }
    print(json.dumps(out), flush=True)
    if own_dir and not args.keep:
        shutil.rmtree(build_dir, ignore_errors=True)
    elif args.keep or not own_dir:
        print("brian2_b1: project kept in %s" % build_dir, file=sys.stderr)
    if expect is not None and (spikes0 != expect or spikes_last != expect):
        print("brian2_b1: expected %d spikes, got %d (cell 0) and %d (last cell)"
              % (expect, spikes0, spikes_last), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
