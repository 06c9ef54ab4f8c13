"""softgrad's ONNX exports run in ONNX Runtime for Python, recorded for the tests.

ONNX Runtime is not a Debian package; install it with pip into the Python you run this with
(onnxruntime 1.30.0 is the version recorded; it brings numpy), then, from the repository root:

    python3 -m pip install onnxruntime==1.30.0
    python3 scripts/onnx/ort_python.py

It runs scripts/onnx/write-exports.ts (through tsx), which exports every model in
test/fixtures/onnx-*.safetensors in float32 and float64 and writes beside each the test rows
`softgrad train` held out (<name>-rows.csv, under the feature names) and what `softgrad predict`
prints for them (<name>-predict.csv). For each .onnx file it picks the feature columns the file's
own metadata_props name (featureNames), runs an InferenceSession (CPUExecutionProvider) on them,
and prints the worst |probs - predict| per file.

Writes test/fixtures/onnx-ort-python.json: the versions, and for each file its sha256, the rows'
sha256 and the probabilities ONNX Runtime returned, row by row. test/onnx-ort-python.test.ts
exports the same models again, requires the same sha256s, and compares the recorded
probabilities with softgrad predict's to 1e-5 (float32) and 1e-12 (float64). Exits 1 when a file
is over its tolerance. Tests never run Python.
"""
import csv
import hashlib
import json
import pathlib
import platform
import subprocess
import sys
import tempfile

import numpy as np
import onnxruntime as ort

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "test" / "fixtures" / "onnx-ort-python.json"
TOLERANCE = {"float32": 1e-5, "float64": 1e-12}


def export_all(directory):
    """The exported .onnx files, as write-exports.ts wrote them (one path a line)."""
    command = ["node", "--import", "tsx", "scripts/onnx/write-exports.ts", str(directory)]
    done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return [pathlib.Path(line) for line in done.stdout.split()]


def read_csv(path):
    """A CSV's header and its rows as lists of strings."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def run(path):
    name, dtype = path.stem.rsplit("-", 1)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    meta = session.get_modelmeta().custom_metadata_map
    features = json.loads(meta["featureNames"])

    header, rows = read_csv(path.with_name(name + "-rows.csv"))
    columns = [header.index(f) for f in features]
    x = np.array([[float(row[c]) for c in columns] for row in rows], dtype=dtype)
    (probs,) = session.run(["probs"], {"x": x})
    assert probs.dtype == np.dtype(dtype), "probs came back as %s, not %s" % (probs.dtype, dtype)

    _, predicted = read_csv(path.with_name(name + "-predict.csv"))
    want = np.array([[float(v) for v in row[1:]] for row in predicted])
    worst = float(np.max(np.abs(probs.astype(np.float64) - want)))
    return {
        "name": path.name,
        "model": "test/fixtures/onnx-%s.safetensors" % name,
        "dtype": dtype,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "rows_sha256": hashlib.sha256(path.with_name(name + "-rows.csv").read_bytes()).hexdigest(),
        "worst": worst,
        # float32 values widen to float64 exactly; json writes each as the shortest exact repr
        "probs": [[float(p) for p in row] for row in probs],
    }


def main():
    with tempfile.TemporaryDirectory() as directory:
        entries = [run(path) for path in export_all(directory)]
    record = {
        "onnxruntime": ort.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "provider": "CPUExecutionProvider",
        "made_by": "python3 scripts/onnx/ort_python.py",
        "files": entries,
    }
    OUT.write_text(json.dumps(record, indent=1) + "\n")
    print("onnxruntime %s (Python %s, CPUExecutionProvider) against softgrad predict, on each model's test rows"
          % (ort.__version__, platform.python_version()))
    failed = 0
    for e in entries:
        ok = e["worst"] <= TOLERANCE[e["dtype"]]
        failed += not ok
        print("%s  %-26s worst |dp| %9.2e (<= %g)  on %d rows" % ("ok  " if ok else "FAIL", e["name"], e["worst"], TOLERANCE[e["dtype"]], len(e["probs"])))
    print("wrote %s" % OUT.relative_to(ROOT))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
