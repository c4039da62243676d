#!/usr/bin/python3
"""Summarise benchmark JSON lines (B1 and B2) as plain-text tables.

Usage:  report.py RESULTS.jsonl [...]    (or JSON lines on standard input)

Every line that parses as a JSON object with a "simulator" key is a result;
anything else is ignored.  Results with an "error" key are listed as failures.
Simulators, sizes or the B2 line may be missing (for example before the apical
benchmark program exists); the tables show "-" for them.  If the same
simulator and size appear twice, the later line wins.
"""

import json
import sys

# NEURON's cost for one Bahl model-2 cell, 1 s of biological time, dt 0.025 ms,
# rate tables off: 0.238 s per biological second.  Measured with NEURON 8.2.2
# when tests/reference/bahl2012 was generated (its README, section 7), on a
# different machine from this run.
NEURON_B2_PUBLISHED_S_PER_BIO_S = 0.238

B1_LABELS = {
    ("apical", None): "apical",
    ("neuron", None): "NEURON",
    ("brian2", "group"): "Brian2",
    ("brian2", "spatial"): "Brian2 SpatialNeuron",
}


def load(lines):
    results = []
    for line in lines:
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and "simulator" in obj:
            results.append(obj)
    return results


def b1_key(r):
    sim = str(r.get("simulator"))
    form = r.get("formulation")
    if sim == "brian2":
        form = form or "group"
    else:
        form = None
    return sim, form


def label(key):
    return B1_LABELS.get(key, key[0] + (" " + key[1] if key[1] else ""))


def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def table(header, rows):
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    out = ["  ".join(str(c).rjust(w) for c, w in zip(header, widths))]
    out.append("  ".join("-" * w for w in widths))
    for row in rows:
        out.append("  ".join(str(c).rjust(w) for c, w in zip(row, widths)))
    return "\n".join(out)


def report(results, out=sys.stdout):
    b1 = {}
    b2 = None
    failures = []
    for r in results:
        bench = r.get("benchmark", "b1")
        if "error" in r:
            failures.append(r)
            continue
        if bench == "b2":
            b2 = r
        elif bench == "b1" and r.get("n_cells") is not None:
            b1[(b1_key(r), int(r["n_cells"]))] = r

    sizes = sorted({n for (_, n) in b1})
    keys = [k for k in B1_LABELS if any((k, n) in b1 for n in sizes)]
    keys += sorted({k for (k, _) in b1} - set(keys), key=str)
    if "apical" not in {k[0] for k in keys}:
        keys.insert(0, ("apical", None))

    print("B1 \"HH-3C\": ns per compartment-step (median of repeats; lower is faster)\n", file=out)
    header = ["N cells"] + [label(k) for k in keys]
    ratio_keys = [k for k in keys if k[0] != "apical"]
    header += ["%s/apical" % label(k) for k in ratio_keys]
    rows = []
    for n in sizes:
        row = [str(n)]
        base = b1.get((("apical", None), n), {}).get("ns_per_compartment_step")
        for k in keys:
            row.append(fmt(b1.get((k, n), {}).get("ns_per_compartment_step"), ".1f"))
        for k in ratio_keys:
            v = b1.get((k, n), {}).get("ns_per_compartment_step")
            row.append(fmt(v / base if (v is not None and base) else None, ".2f"))
        rows.append(row)
    if rows:
        print(table(header, rows), file=out)
    else:
        print("(no B1 results)", file=out)

    # Spike-count check: B1 expects 95 spikes in cell 0 at 0.1 nA.
    bad = []
    for (k, n), r in sorted(b1.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        s = r.get("spikes_cell0")
        amp = r.get("amp_nA", 0.1)
        if s is not None and abs(amp - 0.1) < 1e-12 and s != 95:
            bad.append("%s N=%d: %s spikes in cell 0 (expected 95)" % (label(k), n, s))
    print("", file=out)
    if bad:
        print("SPIKE-COUNT MISMATCH:\n  " + "\n  ".join(bad), file=out)
    elif b1:
        print("Spike check: every B1 run gave 95 spikes in cell 0.", file=out)

    print("\nB2 \"Bahl-2\" (one 20-segment model-2 cell, 1 s biological time)\n", file=out)
    rows = []
    if b2 is not None:
        rows.append(["apical (this machine)",
                     fmt(b2.get("wall_per_bio_s"), ".4f"),
                     fmt(b2.get("ns_per_segment_step"), ".1f")])
    else:
        rows.append(["apical (this machine)", "-", "-"])
    rows.append(["NEURON 8.2.2, tables off (measured elsewhere*)",
                 format(NEURON_B2_PUBLISHED_S_PER_BIO_S, ".3f"),
                 format(NEURON_B2_PUBLISHED_S_PER_BIO_S / (20 * 40000) * 1e9, ".1f")])
    print(table(["simulator", "wall s per bio-s", "ns per segment-step"], rows), file=out)
    if b2 is not None and b2.get("wall_per_bio_s"):
        print("\nNEURON(published)/apical: %.2f"
              % (NEURON_B2_PUBLISHED_S_PER_BIO_S / b2["wall_per_bio_s"]), file=out)
    print("* tests/reference/bahl2012/README.md section 7, NEURON 8.2.2 with all rate tables off;\n"
          "  not measured on this machine, so the ratio is indicative only.", file=out)

    if failures:
        print("\nFailed or skipped runs:", file=out)
        for r in failures:
            bench = str(r.get("benchmark", "b1")).upper()
            size = " N=%s" % r["n_cells"] if bench == "B1" and "n_cells" in r else ""
            print("  %s %s%s: %s" % (label(b1_key(r)), bench, size, r["error"]), file=out)


def main(argv):
    lines = []
    if argv:
        for path in argv:
            with open(path) as f:
                lines.extend(f.readlines())
    else:
        lines = sys.stdin.readlines()
    report(load(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
