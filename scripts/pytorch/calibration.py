"""Reference values for softgrad's calibration: ECE / MCE / reliability bins and the NLL-optimal temperature.

Run with Debian's PyTorch:  /usr/bin/python3 scripts/pytorch/calibration.py
Writes test/fixtures/calibration.json, which test/calibrate.test.ts reads. Tests never run Python.

Written independently of softgrad, in float64:
- ECE: each bin b of B is the mask lo < conf <= hi with lo = b/B, hi = (b+1)/B (the first bin also
  takes conf = 0), exactly as ../shared/DESIGN.md defines it; numpy does the counting.
- Temperature: NLL is convex in beta = 1/T, so its minimum is the one root of the analytic
  derivative d NLL / d beta = mean(E_p[z] - z_y). Plain bisection on that derivative's sign
  (no Newton steps, unlike softgrad) runs until the bracket is 1e-15 relative; torch's
  cross_entropy gives the NLL values stored alongside, and checks the optimum is a minimum.
"""
import json
import pathlib

import numpy as np
import torch

rng = np.random.default_rng(0)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def reference_ece(probs, labels, bins):
    probs = np.asarray(probs, dtype=np.float64)
    labels = np.asarray(labels)
    conf = probs.max(axis=1)
    right = probs.argmax(axis=1) == labels  # numpy's argmax takes the first index at ties
    n = len(labels)
    table, ece, mce = [], 0.0, 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        mask = (conf <= hi) & ((conf > lo) if b > 0 else (conf >= 0))
        count = int(mask.sum())
        if count == 0:
            table.append({"lo": lo, "hi": hi, "count": 0, "confidence": 0.0, "accuracy": 0.0})
            continue
        c = float(conf[mask].mean())
        a = float(right[mask].mean())
        ece += count / n * abs(a - c)
        mce = max(mce, abs(a - c))
        table.append({"lo": lo, "hi": hi, "count": count, "confidence": c, "accuracy": a})
    return {"ece": ece, "mce": mce, "bins": table}


def rows_with_top(tops, classes):
    """One row per confidence: the top class gets exactly `top`, the others share the rest evenly."""
    rows = []
    for i, top in enumerate(tops):
        rest = (1 - top) / (classes - 1)
        assert rest < top
        row = [rest] * classes
        row[i % classes] = top
        rows.append(row)
    return rows


ece_cases = []


def add_ece(name, probs, labels, bins):
    probs = [list(map(float, r)) for r in probs]
    labels = [int(v) for v in labels]
    ece_cases.append({"name": name, "probs": probs, "labels": labels, "binCount": bins, **reference_ece(probs, labels, bins)})


# Random softmax outputs at several sharpnesses and bin counts.
for n, c, scale, bins in [(200, 5, 3.0, 15), (200, 5, 3.0, 10), (150, 10, 6.0, 15), (120, 3, 1.0, 7), (50, 4, 2.0, 1), (80, 2, 4.0, 20)]:
    z = rng.normal(size=(n, c)) * scale
    p = softmax(z)
    labels = [rng.choice(c, p=row) if rng.random() < 0.7 else rng.integers(c) for row in p]
    add_ece(f"random {n}x{c}, scale {scale}, {bins} bins", p, labels, bins)

# Confidences exactly on the bin edges k/B (computed as k/B): each belongs to the bin below its edge.
for bins, classes in [(15, 20), (10, 12), (4, 5), (3, 4)]:
    tops = [k / bins for k in range(1, bins + 1) if k / bins > 1 / classes] * 2
    probs = rows_with_top(tops, classes)
    labels = [(i % classes) if i % 3 else (i + 1) % classes for i in range(len(tops))]
    add_ece(f"confidences on the edges k/{bins}", probs, labels, bins)

# Very confident rows: most bins empty.
z = rng.normal(size=(60, 6)) * 20
p = softmax(z)
add_ece("very confident: most bins empty", p, [int(np.argmax(r)) if i % 5 else (int(np.argmax(r)) + 1) % 6 for i, r in enumerate(p)], 15)

# Ties: the top class is the first of the tied largest probabilities.
add_ece("ties break to the first index", [[0.4, 0.4, 0.2], [0.25, 0.25, 0.25, 0.25][:3], [0.5, 0.5, 0.0], [0.2, 0.4, 0.4]], [0, 1, 0, 2], 5)

# One-hot rows (confidence exactly 1) and one row.
add_ece("one-hot rows", [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [0, 2, 2], 15)
add_ece("one row", [[0.3, 0.7]], [1], 15)


def nll(z, labels, temperature):
    z = torch.tensor(z, dtype=torch.float64)
    y = torch.tensor(labels)
    return float(torch.nn.functional.cross_entropy(z / temperature, y))


def slope(z, labels, beta):
    """d NLL / d beta = mean(E_p[z] - z_y) with p = softmax(beta z)."""
    p = softmax(beta * z)
    return float(np.mean((p * z).sum(axis=1) - z[np.arange(len(labels)), labels]))


def optimal_temperature(z, labels):
    z = np.asarray(z, dtype=np.float64)
    labels = np.asarray(labels)
    lo, hi = 0.0, 1.0
    assert slope(z, labels, lo) < 0
    while slope(z, labels, hi) <= 0:
        lo, hi = hi, hi * 2
    while hi - lo > 1e-15 * hi:
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if slope(z, labels, mid) < 0:
            lo = mid
        else:
            hi = mid
    T = 2 / (lo + hi)
    best = nll(z, labels, T)
    assert best <= nll(z, labels, T * (1 + 1e-4)) and best <= nll(z, labels, T * (1 - 1e-4))
    return T


temperature_cases = []
for n, c, scale, overconfidence in [(500, 10, 2.0, 3.0), (200, 3, 1.0, 1.0), (50, 5, 3.0, 0.4), (300, 4, 5.0, 8.0), (4, 3, 1.0, 1.0), (400, 10, 1.5, 2.0)]:
    truth = rng.normal(size=(n, c)) * scale  # the logits that generate the labels (calibrated at T = 1)
    labels = np.array([rng.choice(c, p=row) for row in softmax(truth)])
    z = truth * overconfidence  # a model that is overconfident (> 1) or underconfident (< 1)
    if n == 4:
        z = np.array([[2.0, 0.5, -1.0], [0.1, 1.2, 0.3], [-0.5, 0.2, 0.9], [1.0, 1.0, -2.0]])
        labels = np.array([0, 2, 2, 1])
    T = optimal_temperature(z, labels)
    temperature_cases.append({
        "name": "4x3, written by hand" if n == 4 else f"{n}x{c}, logits {overconfidence} times the calibrated ones",
        "logits": z.tolist(),
        "labels": labels.tolist(),
        "temperature": T,
        "nllAtOne": nll(z, labels, 1.0),
        "nllAtOptimum": nll(z, labels, T),
    })

out = pathlib.Path(__file__).resolve().parents[2] / "test" / "fixtures" / "calibration.json"
# one case a line: small enough to commit, still readable with a JSON viewer
def lines(cases):
    return "[\n" + ",\n".join(json.dumps(case) for case in cases) + "\n]"


out.write_text('{\n"ece": ' + lines(ece_cases) + ',\n"temperature": ' + lines(temperature_cases) + "\n}\n")
print(f"wrote {out}: {len(ece_cases)} ECE cases, {len(temperature_cases)} temperature cases")
for t in temperature_cases:
    print(f"  {t['name']}: T = {t['temperature']:.12g}, NLL {t['nllAtOne']:.6f} -> {t['nllAtOptimum']:.6f}")
