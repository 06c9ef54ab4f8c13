/**
 * A softgrad model as one Python file for PyTorch, so a user who outgrows softgrad keeps training
 * (torch.optim, torchrun and DistributedDataParallel) or serves the model with PyTorch.
 *
 *   pytorchScript(metadata, { weightsFile: 'iris.safetensors' }) → the text of iris.py
 *
 * The file needs only torch and the standard library. It rebuilds the network as PyTorch's own
 * layers (nn.Sequential, nn.Linear, nn.ReLU, …), whose state-dict names ('0.weight', '0.bias', …)
 * are the names softgrad saves under, so `load_state_dict` takes the safetensors file's tensors
 * as they are; it reads that file itself (8 bytes of header length, a JSON header, raw
 * little-endian numbers: struct, json and array do it), and run as `python3 iris.py --data x.csv`
 * it prints the CSV `softgrad predict` prints: the same scaler, the same fitted temperature, the
 * same columns, numbers written as JavaScript writes them.
 *
 * A layer PyTorch has no twin for (HierarchicalSoftmax, a layer your program registered, a
 * softmax with a temperature or over the rows) is refused with an error naming it: a script that
 * computed something else would be worse than none. Browser-safe: metadata in, text out.
 */
import type { LoadedMetadata } from '../io/model-bytes.js'
import type { LayerSpec } from '../nn/architecture.js'

export interface PytorchScriptOptions {
  /**
   * The model's .safetensors file as the script finds it: relative to the script's own folder
   * (or absolute), '/' between folders, e.g. 'iris.safetensors' when the two sit side by side,
   * or `relative(dirname(out), model)` with its separators made '/'.
   */
  weightsFile: string
  /** The script's own file name, for the usage lines in its docstring (default: weightsFile's name with .py). */
  scriptFile?: string
}

/**
 * The text of one Python file, needing only torch, that rebuilds the model with PyTorch's own
 * layers under softgrad's state-dict names and, run as `python3 m.py --data x.csv`, prints what
 * `softgrad predict` prints. It reads the weights from `weightsFile`, found from its own folder,
 * and offers load_model(), load_metadata(), read_csv(), standardize() and predict_proba() to
 * import. `metadata` is what decodeModel or loadModel read from the model file; a layer PyTorch
 * has no twin for is an error naming it.
 *
 *   const { metadata } = loadModel('iris.safetensors')
 *   writeFileSync('iris.py', pytorchScript(metadata, { weightsFile: 'iris.safetensors' }))
 */
export function pytorchScript(metadata: LoadedMetadata, { weightsFile, scriptFile }: PytorchScriptOptions): string {
  checkFileName(weightsFile, 'weightsFile')
  const script = scriptFile ?? `${baseName(weightsFile).replace(/\.safetensors$/, '')}.py`
  checkFileName(script, 'scriptFile')
  const spec = metadata?.architecture
  if (typeof spec !== 'object' || spec === null || typeof spec.type !== 'string') {
    throw new Error('pytorchScript: metadata.architecture is missing; pass the metadata decodeModel or loadModel read from the model file')
  }
  const net = translate(spec, '')
  if (net.parameters.length === 0) throw new Error(`pytorchScript: the model (${spec.type}) has no weights, so there is nothing to export`)
  const head = softmaxHead(spec)
  return [
    docstring(net, head, { weightsFile, script, metadata }),
    PREAMBLE.replace('__WEIGHTS__', JSON.stringify(weightsFile)),
    buildModel(net),
    SHARED,
    predictProba(head),
    MAIN,
  ].join('\n')
}

// ---------------------------------------------------------------------------------------------
// softgrad's layers → PyTorch's

/** A layer as Python: the expression that builds it, and the state-dict names its weights take. */
interface Translated {
  /** Python lines, without indentation: one line for a layer, several for an nn.Sequential */
  lines: string[]
  /** ['0.weight', '0.bias', …] with each one's shape */
  parameters: Array<{ name: string; shape: number[] }>
}

/** The layer at state-dict prefix `at` ('' for the whole model, '2.' for a Sequential's third child). */
function translate(spec: LayerSpec, at: string): Translated {
  const where = at === '' ? `the model (${spec.type})` : `layer ${at.slice(0, -1)} (${spec.type})`
  const refuse = (why: string): never => {
    throw new Error(`pytorchScript: ${where} ${why}`)
  }
  const number = (key: string): string => {
    const v = spec[key]
    if (typeof v !== 'number' || !Number.isFinite(v)) refuse(`has ${key} ${JSON.stringify(v)}; expected a finite number`)
    return String(v) // JavaScript's shortest form of a number is a Python float literal too (0.01, 1e-7)
  }
  const width = (key: string): number => {
    const v = spec[key]
    if (!Number.isSafeInteger(v) || (v as number) < 1) refuse(`has ${key} ${JSON.stringify(v)}; expected a whole number ≥ 1`)
    return v as number
  }
  const simple = (line: string): Translated => ({ lines: [line], parameters: [] })

  switch (spec.type) {
    case 'Sequential': {
      if (!Array.isArray(spec.layers)) refuse('has no list of layers')
      const children = (spec.layers as LayerSpec[]).map((child, i) => translate(child, `${at}${i}.`))
      if (children.length === 0) return simple('nn.Sequential()')
      const lines = ['nn.Sequential(']
      for (const child of children) {
        const [first, ...rest] = child.lines
        const note = child.lines.length === 1 && child.parameters.length > 0 ? `  # ${describeParameters(child.parameters)}` : ''
        lines.push(`    ${first}${rest.length === 0 ? `,${note}` : ''}`)
        rest.forEach((line, j) => lines.push(`    ${line}${j === rest.length - 1 ? ',' : ''}`))
      }
      lines.push(')')
      return { lines, parameters: children.flatMap((c) => c.parameters) }
    }
    case 'Linear': {
      const inFeatures = width('inFeatures')
      const outFeatures = width('outFeatures')
      const bias = spec.bias !== false
      return {
        lines: [`nn.Linear(${inFeatures}, ${outFeatures}${bias ? '' : ', bias=False'})`],
        parameters: [
          { name: `${at}weight`, shape: [outFeatures, inFeatures] },
          ...(bias ? [{ name: `${at}bias`, shape: [outFeatures] }] : []),
        ],
      }
    }
    case 'ReLU':
      return simple('nn.ReLU()')
    case 'LeakyReLU':
      return simple(`nn.LeakyReLU(negative_slope=${number('negativeSlope')})`)
    case 'Tanh':
      return simple('nn.Tanh()')
    case 'Sigmoid':
      return simple('nn.Sigmoid()')
    case 'Dropout':
      return simple(`nn.Dropout(p=${number('p')})`) // identity in eval(), as softgrad's
    case 'Softmax':
    case 'LogSoftmax': {
      // On the [N, C] a layer sees, softgrad's dim -1 and 1 are the classes; 0 would mix the rows of a batch.
      const dim = spec.dim ?? -1
      if (dim !== -1 && dim !== 1) {
        refuse(`works over dim ${JSON.stringify(dim)}, across the rows of a batch, so its output depends on how the rows are batched; ` +
          `only a ${spec.type} over the classes (dim -1) can be exported: rebuild the layer with dim -1`)
      }
      const temperature = spec.temperature ?? 1
      if (temperature !== 1) {
        refuse(`has temperature ${JSON.stringify(temperature)}, and PyTorch's nn.${spec.type} has none; rebuild the layer with temperature 1 ` +
          `(a temperature fitted for calibration belongs in the model file's metadata, which the script applies)`)
      }
      return simple(`nn.${spec.type}(dim=${dim})`)
    }
    case 'HierarchicalSoftmax':
      return refuse('has no PyTorch layer: its two-level tree of clusters is softgrad\'s own (nn.AdaptiveLogSoftmaxWithLoss is a different model, ' +
        'with other weights); predict with softgrad predict, or train a model that ends in Linear(d, classes) to export it')
    default:
      return refuse(`is a layer registered by your program (nn.registerModule), and PyTorch has no layer of that name, so the script cannot rebuild it; ` +
        `pytorchScript exports Sequential, Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Dropout, Softmax and LogSoftmax: ` +
        `export a model built from those, or write the layer's PyTorch twin yourself`)
  }
}

/** '0.weight [16, 4], 0.bias [16]' */
function describeParameters(parameters: Translated['parameters']): string {
  return parameters.map((p) => `${p.name} [${p.shape.join(', ')}]`).join(', ')
}

/** What predict makes of the network's output; it follows softgrad predict's rule (train/trainer.ts). */
type Head = 'logits' | 'softmax' | 'logSoftmax'

/** The last layer, looking into nested Sequentials as softgrad's predict does. */
function softmaxHead(spec: LayerSpec): Head {
  if (spec.type === 'Softmax') return 'softmax'
  if (spec.type === 'LogSoftmax') return 'logSoftmax'
  if (spec.type === 'Sequential' && Array.isArray(spec.layers) && spec.layers.length > 0) return softmaxHead(spec.layers[spec.layers.length - 1] as LayerSpec)
  return 'logits'
}

/**
 * The Python expression for the network without its final Softmax, the part that gives the
 * logits nn.CrossEntropyLoss takes: model[:-1], or deeper when the Softmax ends a nested Sequential.
 */
function withoutFinalSoftmax(spec: LayerSpec, expr: string): string | null {
  if (spec.type === 'Softmax') return null
  const layers = spec.layers as LayerSpec[]
  const inner = withoutFinalSoftmax(layers[layers.length - 1], `${expr}[-1]`)
  return inner === null ? `${expr}[:-1]` : `nn.Sequential(*${expr}[:-1], ${inner})`
}

// ---------------------------------------------------------------------------------------------
// The file, part by part

function docstring(net: Translated, head: Head, { weightsFile, script, metadata }: { weightsFile: string; script: string; metadata: LoadedMetadata }): string {
  const module = script.replace(/\.py$/, '')
  const importable = /^[A-Za-z_][A-Za-z0-9_]*$/.test(module)
  const from = importable ? `from ${module} import` : `from model import` // NOTE: `import` needs a module name that is a Python identifier
  const features = Array.isArray(metadata.featureNames) ? `${metadata.featureNames.length} features` : 'its features'
  const classes = Array.isArray(metadata.classes) ? `${metadata.classes.length} classes` : 'its classes'
  const network = buildExpression(net).map((line) => `    ${line}`).join('\n')

  // The label column the model was trained on names y in the examples; softgrad train records it.
  const recorded = typeof metadata.label === 'string' && /^[\w .\/-]+$/.test(metadata.label)
  const label = recorded ? (metadata.label as string) : 'label'

  // What to train, and with which loss: nn.CrossEntropyLoss takes logits.
  const trainable = head === 'softmax' ? withoutFinalSoftmax(metadata.architecture, 'model') : null
  const netLine = trainable === null ? '' : `\n    net = ${trainable}  # the layers before the final Softmax: they give the logits`
  const net_ = trainable === null ? 'model' : 'net'
  const lossLine = head === 'logSoftmax'
    ? 'loss_fn = nn.NLLLoss()  # takes the log-probabilities LogSoftmax gives'
    : 'loss_fn = nn.CrossEntropyLoss()  # takes the logits'
  const output = head === 'softmax' ? 'probabilities (it ends in Softmax)' : head === 'logSoftmax' ? 'log-probabilities (it ends in LogSoftmax)' : 'logits'
  const lossText = {
    logits: 'nn.CrossEntropyLoss takes the logits, the network\'s output. A fitted temperature T only turns\n' +
      'logits into probabilities (predict_proba); it takes no part in training: fit it again after.',
    logSoftmax: 'The network ends in LogSoftmax, and nn.NLLLoss takes its log-probabilities. A fitted temperature\n' +
      'T takes no part in training (predict_proba applies it): fit it again after.',
    softmax: 'The network ends in Softmax, and nn.CrossEntropyLoss takes logits: train net, the layers before\n' +
      'the Softmax (they are the model\'s own, so training net trains the model).',
  }[head]

  return `r"""A softgrad model rebuilt in PyTorch (written by softgrad export --format pytorch).

It needs only torch and Python's standard library. The weights, the scaler, the feature names
and the classes come from the model file

    ${weightsFile}

found from this file's folder (a safetensors file: 8 bytes of header length, a JSON header, then
the numbers, little-endian). The network is rebuilt as

${network}

in float64. Its state-dict names are the file's, so model.load_state_dict takes the tensors as
they are. It reads ${features} and gives the ${output} of ${classes}.

Predict: the same CSV softgrad predict --model ${weightsFile} --data x.csv prints (the feature
columns found by name, the scaler and the fitted temperature applied):

    /usr/bin/python3 ${script} --data x.csv

From Python${importable ? '' : ` (rename ${script} to a Python identifier, say model.py, to import it)`}:

    ${from} load_model, load_metadata, predict_proba, read_csv, standardize
    model = load_model()               # the nn.Sequential with the file's weights, eval mode
    x, _ = read_csv('x.csv')           # the features [N, F], float64 (with label=..., y: class indices)
    probs = predict_proba(x)           # [N, classes], as softgrad predict

Continue training with torch.optim.
${lossText}

    import torch
    from torch import nn
    ${from} load_model, load_metadata, read_csv, standardize

    model = load_model().train()       # train() turns Dropout on${netLine}
    x, y = read_csv('train.csv', label='${label}')
    x = standardize(x, load_metadata())   # the scaler the model was trained with
    optimizer = torch.optim.SGD(${net_}.parameters(), lr=0.01, momentum=0.9)
    ${lossLine}
    for epoch in range(100):
        for batch in torch.randperm(len(y)).split(32):
            optimizer.zero_grad()
            loss = loss_fn(${net_}(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
    torch.save(model.state_dict(), 'trained.pt')   # later: model.load_state_dict(torch.load('trained.pt'))

Across processes and machines: torchrun starts the processes, DistributedDataParallel (DDP)
averages the gradients between them during backward, and DistributedSampler hands each
process its own share of the rows. Save this as train_ddp.py beside ${script}:

    import torch
    import torch.distributed as dist
    from torch import nn
    from torch.nn.parallel import DistributedDataParallel
    from torch.utils.data import DataLoader, DistributedSampler, TensorDataset
    ${from} load_model, load_metadata, read_csv, standardize

    dist.init_process_group('gloo')    # 'nccl' on GPUs (and move the model and batches there)
    model = load_model().train()${netLine}
    ddp = DistributedDataParallel(${net_})
    x, y = read_csv('train.csv', label='${label}')
    data = TensorDataset(standardize(x, load_metadata()), y)
    sampler = DistributedSampler(data)   # this process's rows, shuffled
    loader = DataLoader(data, batch_size=32, sampler=sampler)
    optimizer = torch.optim.SGD(ddp.parameters(), lr=0.01, momentum=0.9)
    ${lossLine}
    for epoch in range(100):
        sampler.set_epoch(epoch)         # a new shuffle each epoch, the same in every process
        for xb, yb in loader:
            optimizer.zero_grad()
            loss_fn(ddp(xb), yb).backward()   # DDP averages the gradients here
            optimizer.step()
    if dist.get_rank() == 0:
        torch.save(model.state_dict(), 'trained.pt')
    dist.destroy_process_group()

and run it on one machine with 2 processes, or on 2 machines with 4 each:

    torchrun --nproc_per_node 2 train_ddp.py
    torchrun --nnodes 2 --nproc_per_node 4 --node_rank 0 --master_addr HOST --master_port 29500 train_ddp.py
    torchrun --nnodes 2 --nproc_per_node 4 --node_rank 1 --master_addr HOST --master_port 29500 train_ddp.py

(HOST: the address of the machine with node_rank 0${recorded ? '' : "; 'label' above stands for your label column"}.)
NOTE: torchrun from torch 1.13 on Python 3.11 (Debian 12's python3-torch) stops at start-up with
AttributeError: 'NoneType' object has no attribute 'get'; there, add --redirects 2 --tee 2 --log_dir logs.
"""`
}

/** The network's Python expression as lines, the state-dict names noted beside each Linear. */
function buildExpression(net: Translated): string[] {
  if (net.lines.length === 1 && net.parameters.length > 0) return [`${net.lines[0]}  # ${describeParameters(net.parameters)}`]
  return net.lines
}

function buildModel(net: Translated): string {
  const [first, ...rest] = buildExpression(net)
  return `
def build_model():
    """The network with fresh weights: softgrad's layers as PyTorch's, under the same state-dict names."""
    return ${[first, ...rest.map((line) => `    ${line}`)].join('\n')}
`
}

/** predict_proba's last lines follow softgrad predict's rule for the network's output. */
function predictProba(head: Head): string {
  const last = head === 'softmax'
    ? `    # The network ends in Softmax: its output is the probabilities, taken as they are (as softgrad
    # predict does, which applies no fitted temperature to such a model).
    return out`
    : `    # Softmax at the fitted temperature T (1 when none was fitted), as softgrad predict${head === 'logSoftmax' ? ` does: it
    # applies it to any output but a Softmax's, so to these log-probabilities too.` : '.'}
    return torch.softmax(out / temperature(metadata), dim=-1)`
  return String.raw`
def predict_proba(x, model=None, metadata=None):
    """Class probabilities [N, classes] of raw features x [N, F] (columns in the order of the
    metadata's featureNames): the scaler, the network and the temperature, as softgrad predict.
    model and metadata default to the file's."""
    model = load_model() if model is None else model
    metadata = load_metadata() if metadata is None else metadata
    was_training = model.training
    model.eval()  # Dropout off, as softgrad's predict
    try:
        with torch.no_grad():
            out = model(standardize(torch.as_tensor(x, dtype=torch.float64), metadata))
    finally:
        model.train(was_training)
${last}
`
}

const PREAMBLE = String.raw`import argparse
import array
import csv
import io
import json
import math
import os
import pathlib
import re
import struct
import sys

import torch
from torch import nn

# The model file, found from this file's folder (not from the working directory).
WEIGHTS = pathlib.Path(__file__).parent / __WEIGHTS__
`

/** The parts every exported file shares: reading the model file, the scaler, the CSV, numbers as text. */
const SHARED = String.raw`
# safetensors dtypes and the array module's type codes of the same width
TYPECODES = {'F64': 'd', 'F32': 'f'}


def read_safetensors(path=WEIGHTS):
    """(tensors by name as float64, the header's __metadata__) of a safetensors file:
    | header length N: 8 bytes, little-endian | N bytes of JSON | the tensors' bytes |"""
    path = pathlib.Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValueError(f'there is no model file {path}; this script reads its weights from it '
                         f'(keep the two together, or export the script again)') from None
    except OSError as e:
        raise ValueError(f'cannot read the model file {path}: {e.strerror}') from None
    try:
        (n,) = struct.unpack('<Q', data[:8])
        if n > len(data) - 8:
            raise ValueError('the header runs past the end of the file')
        header = json.loads(data[8:8 + n])
        metadata = header.pop('__metadata__', {})
        body = memoryview(data)[8 + n:]
        tensors = {}
        for name, entry in header.items():
            typecode = TYPECODES[entry['dtype']]
            begin, end = entry['data_offsets']
            values = array.array(typecode)
            values.frombytes(body[begin:end])
            if sys.byteorder == 'big':
                values.byteswap()  # the file is little-endian
            tensor = torch.frombuffer(values, dtype=torch.float64 if typecode == 'd' else torch.float32)
            tensors[name] = tensor.to(torch.float64).reshape(entry['shape']).clone()
    except (struct.error, ValueError, AttributeError, KeyError, TypeError, RuntimeError):
        raise ValueError(f'{path} is not a safetensors file softgrad wrote (it is truncated or corrupt, '
                         f'or holds other dtypes than F64 and F32)') from None
    return tensors, metadata


def load_model(path=WEIGHTS):
    """The network with the file's weights, in float64 and eval mode (Dropout off); call .train() to train it."""
    tensors, _ = read_safetensors(path)
    model = build_model().double()
    try:
        model.load_state_dict(tensors)  # every name and shape must match
    except RuntimeError as e:
        why = ' '.join(str(e).split())
        raise ValueError(f'{path} does not hold this network ({why}); export the script again from it') from None
    return model.eval()


def load_metadata(path=WEIGHTS):
    """What softgrad saved beside the weights: featureNames, classes, scaler {mean, scale},
    temperature, label, ... (each stored as JSON text, as safetensors keeps only strings)."""
    _, strings = read_safetensors(path)
    if not str(strings.get('format', '')).startswith('softgrad/'):
        raise ValueError(f'{path} is not a softgrad model file (its header has no format "softgrad/1")')
    metadata = {}
    for key, text in strings.items():
        try:
            metadata[key] = text if key == 'format' else json.loads(text)
        except ValueError:
            metadata[key] = text  # another program's plain string
    return metadata


def standardize(x, metadata):
    """(x - mean) / scale with the scaler the model was trained with; x as it is when it had none."""
    scaler = metadata.get('scaler')
    if scaler is None:
        return x
    mean = torch.tensor(scaler['mean'], dtype=torch.float64)
    scale = torch.tensor(scaler['scale'], dtype=torch.float64)
    return (x - mean) / scale


def temperature(metadata):
    """The softmax temperature fitted for calibration (softgrad train --calibrate), else 1."""
    t = metadata.get('temperature')
    return t if isinstance(t, (int, float)) else 1


# A finite decimal number, as softgrad reads one: 3, -0.5, .5, 1e-3. Not nan, inf, hex or ''.
DECIMAL = re.compile(r'[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?')


def read_csv(path, metadata=None, label=None):
    """(x, y) of a CSV file with a header row: x the model's feature columns [N, F] in float64,
    found by name wherever they stand (other columns are ignored); y the class indices of the
    label column when label names one, else None. Comma, semicolon or tab, as the file has it."""
    metadata = load_metadata() if metadata is None else metadata
    features, classes = metadata['featureNames'], metadata['classes']
    try:
        with open(path, encoding='utf-8-sig', newline='') as f:
            text = f.read()
    except FileNotFoundError:
        raise ValueError(f'there is no file {path} (looked at {os.path.abspath(path)}); check the path, '
                         f'which is relative to the working directory {os.getcwd()}') from None
    except IsADirectoryError:
        raise ValueError(f'{path} is a directory; pass the path of a CSV file') from None
    except UnicodeDecodeError as e:
        raise ValueError(f'{path} is not UTF-8 (byte {e.start} is not): save it as UTF-8') from None
    if not text.strip():
        raise ValueError(f'{path}: the file is empty; a CSV needs a header line naming the columns, then one line per sample')

    reader = csv.reader(io.StringIO(text, newline=''), delimiter=delimiter_of(text))
    names, columns, label_column = None, [], -1
    rows, labels = [], []
    ended = blank = 0
    try:
        for fields in reader:
            line, ended = ended + 1, reader.line_num  # a row starts on the line after the last one ended
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                blank = blank or line
                continue
            if blank:
                raise ValueError(f'{path}, line {blank}: the line is blank; blank lines may only come at the end of the file: remove it')
            if names is None:
                names = [name.strip() for name in fields]
                missing = [name for name in features if name not in names]
                if missing:
                    raise ValueError(f"{path}, line 1: there is no column '{missing[0]}', which the model needs; it needs "
                                     f"{', '.join(repr(n) for n in features)} and the file has {', '.join(repr(n) for n in names)}")
                columns = [names.index(name) for name in features]
                label_column = names.index(label) if label in names else -1
                if label is not None and label_column < 0:
                    raise ValueError(f"{path}, line 1: there is no label column '{label}'")
            elif len(fields) != len(names):
                raise ValueError(f'{path}, line {line}: expected {len(names)} fields, as in the header, but found {len(fields)}; '
                                 f'look for a missing or extra delimiter, or quote a value that contains one')
            else:
                rows.append([number(fields[j].strip(), f"{path}, line {line}, column '{names[j]}' ({j + 1})") for j in columns])
                if label_column >= 0:
                    value = fields[label_column].strip()
                    if value not in classes:
                        raise ValueError(f"{path}, line {line}: the label {json.dumps(value)} is not one of the model's classes {classes}")
                    labels.append(classes.index(value))
    except csv.Error as e:
        raise ValueError(f'{path}, line {reader.line_num}: {e}') from None
    if not rows:
        raise ValueError(f'{path}: the header (line 1) has no data rows after it; add one line per sample below it')
    x = torch.tensor(rows, dtype=torch.float64)
    return x, (torch.tensor(labels, dtype=torch.long) if label_column >= 0 else None)


def number(text, where):
    """A feature value as a float; anything but a finite decimal number is an error saying where."""
    x = float(text) if DECIMAL.fullmatch(text) else math.nan
    if math.isfinite(x):
        return x
    if text == '':
        raise ValueError(f'{where}: the value is empty ""; every feature value must be a finite number: fill it in or remove the row')
    if DECIMAL.fullmatch(text) or re.fullmatch(r'[+-]?(nan|inf|infinity)', text, re.IGNORECASE):  # 1e999, NaN, inf
        raise ValueError(f'{where}: {json.dumps(text)} is not a finite number; every feature value must be a finite number: '
                         f'fill in or remove missing and infinite values')
    raise ValueError(f'{where}: {json.dumps(text)} is not a number; every feature value must be a finite number')


def delimiter_of(text):
    """Comma, semicolon or tab, as softgrad tells them: the one that splits the header into the
    most fields (at least 2) and the first data row into as many; ties go to the earlier one."""
    best = None
    for delimiter in ',;\t':
        rows = []
        try:
            for row in csv.reader(io.StringIO(text, newline=''), delimiter=delimiter):
                rows.append(row)
                if len(rows) == 2:
                    break
        except csv.Error:
            rows = []
        fields = len(rows[0]) if rows else 0
        consistent = fields >= 2 and (len(rows) < 2 or len(rows[1]) in (0, fields) or (len(rows[1]) == 1 and not rows[1][0].strip()))
        if best is None or (consistent, fields) > best[1:]:
            best = (delimiter, consistent, fields)
    return best[0]


def js_number(x):
    """x as JavaScript's String(x) writes it, as softgrad predict prints: the shortest digits that
    read back as x (Python's repr finds the same ones), laid out by JavaScript's rules
    (0.000008422678200625518, 1.7248243685378183e-10, 1 rather than 1.0)."""
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    if x == 0:
        return '0'
    sign = '-' if x < 0 else ''
    mantissa, _, exponent = repr(abs(x)).partition('e')
    whole, _, fraction = mantissa.partition('.')
    digits = (whole + fraction).lstrip('0')
    point = len(whole) + int(exponent or 0) - (len(whole + fraction) - len(digits))  # x = 0.digits × 10^point
    digits = digits.rstrip('0')
    k = len(digits)
    if k <= point <= 21:
        text = digits + '0' * (point - k)
    elif 0 < point <= 21:
        text = digits[:point] + '.' + digits[point:]
    elif -6 < point <= 0:
        text = '0.' + '0' * -point + digits
    else:
        e = point - 1
        text = digits[0] + ('.' + digits[1:] if k > 1 else '') + 'e' + ('+' if e >= 0 else '-') + str(abs(e))
    return sign + text


def quote(text):
    """A CSV field: quoted when it holds a quote, a comma or a line end, as softgrad writes them."""
    return '"' + text.replace('"', '""') + '"' if re.search(r'[",\n\r]', text) else text
`

const MAIN = String.raw`
class Arguments(argparse.ArgumentParser):
    """argparse, its errors one line and exit code 2, as softgrad's own commands."""

    def error(self, message):
        self.exit(2, f'{self.prog}: {message} (see {self.prog} --help)\n')


def main(argv=None):
    parser = Arguments(
        allow_abbrev=False,
        description='Print, as CSV on stdout, each row\'s predicted class and one probability column per class '
                    '(p_<class>), as softgrad predict does. The feature columns are found by name; others are ignored.')
    parser.add_argument('--data', required=True, metavar='FILE.csv', help='a CSV file with a header row')
    parser.add_argument('--min-confidence', type=float, metavar='P',
                        help="write 'uncertain' as the class of rows whose most probable class has a probability below P (in (0, 1])")
    args = parser.parse_args(argv)
    if args.min_confidence is not None and not 0 < args.min_confidence <= 1:
        parser.error(f'--min-confidence must be in (0, 1], got {args.min_confidence}')
    min_confidence = args.min_confidence or 0  # 0: decide every row
    try:
        model, metadata = load_model(), load_metadata()
        if not isinstance(metadata.get('featureNames'), list) or not isinstance(metadata.get('classes'), list):
            raise ValueError(f'{WEIGHTS} does not record its feature names and classes; save models with softgrad train --out')
        x, _ = read_csv(args.data, metadata)
        probs = predict_proba(x, model, metadata)
    except ValueError as e:
        parser.exit(2, f'{parser.prog}: {e}\n')

    classes = metadata['classes']
    top, predicted = (t.tolist() for t in probs.max(dim=1))  # the first of equal maxima, as softgrad's argmax
    lines = [','.join(quote(name) for name in ['class'] + [f'p_{c}' for c in classes])]
    for i, row in enumerate(probs.tolist()):
        name = 'uncertain' if top[i] < min_confidence else quote(classes[predicted[i]])
        lines.append(','.join([name] + [js_number(p) for p in row]))
    try:
        sys.stdout.write('\n'.join(lines) + '\n')
        sys.stdout.flush()
    except BrokenPipeError:  # the reader has gone (| head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == '__main__':
    sys.exit(main())
`

function checkFileName(name: unknown, option: string): void {
  if (typeof name !== 'string' || name === '') throw new Error(`pytorchScript: ${option} must name a file, got ${JSON.stringify(name)}`)
  if (/["\\\u0000-\u001f]/.test(name)) {
    throw new Error(`pytorchScript: ${option} ${JSON.stringify(name)} holds a quote, a backslash or a control character; ` +
      `write folders with '/' (the script's pathlib reads that on every system) and rename a file whose name has the others`)
  }
}

/** The part after the last '/'. */
function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}
