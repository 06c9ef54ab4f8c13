"""What the Python files softgrad's PyTorch export writes print, run by a real PyTorch.

Run with Debian's PyTorch, after writing the files:

    npx tsx scripts/pytorch/write-exports.ts /tmp/softgrad-pytorch-export
    /usr/bin/python3 scripts/pytorch/export_check.py /tmp/softgrad-pytorch-export

Writes test/fixtures/pytorch-export.json, which test/export-pytorch.test.ts reads. Tests never
run Python: the test builds the same models again, checks that the scripts and model files
hash to what is recorded here (so the fixture describes today's export), and compares the CSV
each script printed with what softgrad predict prints, to 1e-12.

For each case in DIR/cases.json, `python3 <name>.py --data <name>.csv` runs in a subprocess
from another working directory (so the script must find its model file from its own folder);
recorded are the sha256 of the .py, the .safetensors and the .csv, the exit code, stdout and
stderr. Then the iris script runs as a user may get it wrong (--help, no --data, a missing file,
a CSV without a feature column, a value that is not a number, an unknown flag), from DIR, and
each exit code and output is recorded. Last, the scripts' js_number writes 2,000 numbers (random
bit patterns and the edges of JavaScript's layout rules), which the test compares with String(x).
"""
import hashlib
import json
import math
import pathlib
import random
import struct
import subprocess
import sys
import tempfile

import torch

root = pathlib.Path(__file__).resolve().parent.parent.parent
folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '/tmp/softgrad-pytorch-export').resolve()
python = sys.executable


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(args, cwd):
    r = subprocess.run([python, *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    return {'args': args, 'code': r.returncode, 'stdout': r.stdout, 'stderr': r.stderr}


cases = json.loads((folder / 'cases.json').read_text())
models = []
with tempfile.TemporaryDirectory() as elsewhere:
    for case in cases:
        name = case['name']
        files = {kind: folder / f'{name}.{ext}' for kind, ext in [('script', 'py'), ('model', 'safetensors'), ('data', 'csv')]}
        result = run([str(files['script']), '--data', str(files['data'])], cwd=elsewhere)
        print(f"{name}: exit {result['code']}, {result['stdout'].count(chr(10))} lines", result['stderr'].strip())
        models.append({
            'name': name,
            'about': case['about'],
            'sha256': {kind: sha256(path) for kind, path in files.items()},
            'code': result['code'],
            'stdout': result['stdout'],
            'stderr': result['stderr'],
        })

# A user's mistakes, each to end in one line on stderr and exit code 2 (--help: exit 0).
(folder / 'missing-column.csv').write_text('sepal_length,sepal_width,petal_length\n5.1,3.5,1.4\n')
(folder / 'not-a-number.csv').write_text('sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,x,0.2\n')
mistakes = [
    ['iris.py', '--help'],
    ['iris.py'],
    ['iris.py', '--data', 'no-such-file.csv'],
    ['iris.py', '--data', 'missing-column.csv'],
    ['iris.py', '--data', 'not-a-number.csv'],
    ['iris.py', '--data', 'iris.csv', '--bogus'],
]
misuse = [run(args, cwd=folder) for args in mistakes]
for m in misuse:
    print(' '.join(m['args']), '→ exit', m['code'], m['stderr'].strip())

# The scripts print numbers as JavaScript's String(x) does: js_number on numbers of every size
# (random bit patterns, so every exponent and digit count) and the edges of its layout rules.
sys.path.insert(0, str(folder))
from iris import js_number  # noqa: E402

random.seed(0)
edges = [0.0, -0.0, 1.0, -1.0, 0.1, 1e-6, 1e-7, 1.5e-7, 9.99999e-7, 1e20, 1e21, 1.5e21, 123456789012345680000.0,
         5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.000001234, 1 / 3, 2 / 3, 100.0, 1e100]
bits = [struct.unpack('<Q', struct.pack('<d', x))[0] for x in edges]
while len(bits) < 2000:
    b = random.getrandbits(64)
    if math.isfinite(struct.unpack('<d', struct.pack('<Q', b))[0]):
        bits.append(b)
numbers = [f"{b:016x} {js_number(struct.unpack('<d', struct.pack('<Q', b))[0])}" for b in bits]  # the bits, then the text

out = root / 'test' / 'fixtures' / 'pytorch-export.json'
out.write_text(json.dumps({
    'torch': torch.__version__,
    'python': sys.version.split()[0],
    'models': models,
    'misuse': misuse,
    'numbers': numbers,
}, indent=1) + '\n')
print(f'wrote {out.relative_to(root)} (torch {torch.__version__})')
