"""onnx.checker's verdict on softgrad's ONNX exports, recorded with each file's sha256.

Run with Debian's ONNX (apt-get install python3-onnx), from the repository root:

    /usr/bin/python3 scripts/onnx/check_exports.py

It runs scripts/onnx/write-exports.ts (through tsx) to export every model in
test/fixtures/onnx-*.safetensors in float32 and float64 into a temporary directory: iris, wine
and digits as softgrad train wrote them (relu, tanh and leakyrelu), iris-sigmoid, and
iris-layers / iris-softmax (Dropout, a Linear without bias, nested Sequentials, models ending in
LogSoftmax and in Softmax). Each file is loaded with onnx.load and checked with
onnx.checker.check_model(model, full_check=True), which also runs ONNX's strict shape inference.

Writes test/fixtures/onnx-checker.json: onnx's version and, for each file, its name, the model it
came from, its dtype, IR version, opset, operators, sha256 and whether the checker passed it (with
the checker's message if not). test/onnx-checker.test.ts exports the same models again and
requires the same sha256s, so the record stays true of today's exporter: when the export changes,
that test fails until this script is run again. Exits 1 if the checker refused any file.
Tests never run Python.
"""
import hashlib
import json
import pathlib
import subprocess
import sys
import tempfile

import onnx
import onnx.checker

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "test" / "fixtures" / "onnx-checker.json"


def export_all(directory):
    """The exported files, as write-exports.ts wrote them (one path a line)."""
    command = ["node", "--import", "tsx", "scripts/onnx/write-exports.ts", str(directory)]
    done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return [pathlib.Path(line) for line in done.stdout.split()]


def check(path):
    data = path.read_bytes()
    model = onnx.load_from_string(data)
    entry = {
        "name": path.name,
        "model": "test/fixtures/onnx-%s.safetensors" % path.stem.rsplit("-", 1)[0],
        "dtype": path.stem.rsplit("-", 1)[1],
        "sha256": hashlib.sha256(data).hexdigest(),
        "ir_version": model.ir_version,
        "opset": [{"domain": o.domain, "version": o.version} for o in model.opset_import],
        "ops": sorted({node.op_type for node in model.graph.node}),
    }
    try:
        onnx.checker.check_model(model, full_check=True)
        entry["passed"] = True
    except (onnx.checker.ValidationError, onnx.shape_inference.InferenceError) as e:
        entry["passed"] = False
        entry["error"] = str(e)
    return entry


def main():
    with tempfile.TemporaryDirectory() as directory:
        files = export_all(directory)
        entries = [check(path) for path in files]
    record = {
        "onnx": onnx.__version__,
        "checker": "onnx.checker.check_model(model, full_check=True)",
        "made_by": "/usr/bin/python3 scripts/onnx/check_exports.py",
        "files": entries,
    }
    OUT.write_text(json.dumps(record, indent=2) + "\n")
    for e in entries:
        print("%-6s %-26s %s" % ("passed" if e["passed"] else "FAILED", e["name"], e.get("error", e["sha256"])))
    print("onnx %s: wrote %s" % (onnx.__version__, OUT.relative_to(ROOT)))
    return 0 if all(e["passed"] for e in entries) else 1


if __name__ == "__main__":
    sys.exit(main())
