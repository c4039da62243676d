#!/usr/bin/env python3
"""Independent reference numbers for tests/io/test_morphology_import.cpp.

Reads the two shared morphologies with the Python standard library only (no code shared with apical)
and prints, per neurite type: samples, sections, length (um) and lateral membrane area (um^2), plus
the soma area and the total d-lambda segment count (d_lambda 0.1 at 100 Hz, Ra 100 ohm cm, cm 1 uF/cm2).
Rules (docs/morphologies.md): a section starts at a tree's first sample unless that sample branches at
once, and at every child of a sample that does not simply continue (one child of the same type).
Soma stems (soma centre -> first neurite sample) belong to no section.

usage: python3 tests/io/morphology_reference.py [DATA_DIR]
"""
import math
import os
import re
import sys

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "morphologies")
NAMES = {2: "axon", 3: "dend", 4: "apic"}


def read_swc(path):
    rows = {}
    for line in open(path):
        line = line.split("#")[0].split()
        if line:
            i, t, x, y, z, r, p = line
            rows[int(i)] = (int(t), float(x), float(y), float(z), float(r), int(p))
    return rows


def read_asc(path):
    """Returns (soma contour points, samples dict id -> (type, x, y, z, r, parent id))."""
    text = re.sub(r";[^\n]*", "", open(path).read())
    tokens = re.findall(r'\(|\)|\||"[^"]*"|[^\s()|",]+', text)
    pos = 0

    def parse():
        nonlocal pos
        out = []
        while pos < len(tokens):
            tok = tokens[pos]
            pos += 1
            if tok == "(":
                out.append(parse())
            elif tok == ")":
                return out
            else:
                out.append(tok)
        return out

    def number(tok):
        try:
            return float(tok)
        except (TypeError, ValueError):
            return None

    top = parse()
    samples, contour = {}, []

    def walk(items, parent, kind):
        for item in items:
            if not isinstance(item, list) or not item:
                continue
            if number(item[0]) is not None:
                x, y, z, d = (float(v) for v in item[:4])
                samples[len(samples) + 1] = (kind, x, y, z, d / 2, parent)
                parent = len(samples)
            elif isinstance(item[0], list) or item[0] == "|":
                branch = []
                for sub in item + ["|"]:
                    if sub == "|":
                        walk(branch, parent, kind)
                        branch = []
                    else:
                        branch.append(sub)

    for block in top:
        labels = [b[0] for b in block if isinstance(b, list) and len(b) == 1]
        if "CellBody" in labels:
            contour = [tuple(float(v) for v in b[:3]) for b in block if isinstance(b, list) and number(b[0]) is not None]
        for label, kind in (("Axon", 2), ("Dendrite", 3), ("Apical", 4)):
            if label in labels:
                walk(block, -1, kind)
    return contour, samples


def contour_soma_area(points):
    """Planar outline: principal axis in its plane, width at 21 slice centres, frusta (ends extended)."""
    n = len(points)
    cx, cy = sum(p[0] for p in points) / n, sum(p[1] for p in points) / n
    sxx = sum((p[0] - cx) ** 2 for p in points)
    syy = sum((p[1] - cy) ** 2 for p in points)
    sxy = sum((p[0] - cx) * (p[1] - cy) for p in points)
    th = 0.5 * math.atan2(2 * sxy, sxx - syy)
    a, b = (math.cos(th), math.sin(th)), (-math.sin(th), math.cos(th))
    pts = [((x - cx) * a[0] + (y - cy) * a[1], (x - cx) * b[0] + (y - cy) * b[1]) for x, y, _ in points]
    t0, t1 = min(p[0] for p in pts), max(p[0] for p in pts)

    def width(t):
        s = [p[1] + (q[1] - p[1]) * (t - p[0]) / (q[0] - p[0])
             for p, q in zip(pts, pts[1:] + pts[:1]) if (p[0] - t) * (q[0] - t) <= 0 and p[0] != q[0]]
        return max(s) - min(s)

    ts = [t0 + (k + 0.5) * (t1 - t0) / 21 for k in range(21)]
    prof = [(t0, width(ts[0]))] + [(t, width(t)) for t in ts] + [(t1, width(ts[-1]))]
    area = sum(math.pi * (d0 + d1) / 2 * math.hypot(u1 - u0, (d0 - d1) / 2) for (u0, d0), (u1, d1) in zip(prof, prof[1:]))
    return t1 - t0, area


def summarise(samples, soma_area):
    children = {i: [] for i in samples}
    for i, s in samples.items():
        if s[5] in samples:
            children[s[5]].append(i)

    def continues(i):
        return len(children[i]) == 1 and samples[children[i][0]][0] == samples[i][0]

    stats = {k: [0, 0, 0.0, 0.0] for k in NAMES}  # samples, sections, length, area
    nseg = 1
    lam = lambda d: 1e5 * math.sqrt(d / (4 * math.pi * 100 * 100 * 1.0))
    electrotonic = {}  # section start -> L/lambda
    start_of = {}
    for i in sorted(samples, key=lambda i: order(samples, i)):
        t, x, y, z, r, p = samples[i]
        if t == 1:
            continue
        st = stats[t]
        st[0] += 1
        neurite_parent = p in samples and samples[p][0] != 1
        root = not neurite_parent
        if (root and continues(i)) or (neurite_parent and not continues(p)):
            st[1] += 1
            start_of[i] = i
            electrotonic[i] = 0.0
        elif neurite_parent:
            start_of[i] = start_of[p]
        if neurite_parent:
            q = samples[p]
            length = math.dist((x, y, z), q[1:4])
            st[2] += length
            st[3] += math.pi * (r + q[4]) * math.hypot(length, r - q[4])
            electrotonic[start_of[i]] += length / lam(r + q[4])
    for e in electrotonic.values():
        nseg += 2 * int((e / 0.1 + 0.9) / 2) + 1
    for k, (n, secs, length, area) in stats.items():
        print(f"  {NAMES[k]}: samples {n}, sections {secs}, length {length:.3f} um, area {area:.3f} um2")
    print(f"  soma area {soma_area:.3f} um2; total nseg (soma 1) {nseg}")


def order(samples, i):
    depth = 0
    while i in samples:
        i = samples[i][5]
        depth += 1
    return depth


swc = read_swc(f"{DATA}/Rbp4-Cre_KL100_Ai14-180747.06.01.01_495335491_m.swc")
soma = [s for s in swc.values() if s[0] == 1]
print("SWC:")
summarise(swc, 4 * math.pi * soma[0][4] ** 2)
contour, asc = read_asc(f"{DATA}/cell1.asc")
length, area = contour_soma_area(contour)
print(f"ASC: soma contour {len(contour)} points, soma length {length:.3f} um")
summarise(asc, area)
