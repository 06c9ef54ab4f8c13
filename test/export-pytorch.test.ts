/**
 * The PyTorch export (src/export/pytorch.ts), checked against a real PyTorch without running
 * Python here: scripts/pytorch/export_check.py ran each exported script with Debian's torch and
 * recorded what it printed in test/fixtures/pytorch-export.json. This suite builds the same
 * models again (scripts/pytorch/write-exports.ts, from fixed seeds), checks that today's scripts
 * and model files hash to the recorded ones, so the fixture cannot go stale unnoticed, and
 * compares each recorded CSV with what softgrad predict prints for the same model and rows.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeModel, encodeModel, nn, pytorchScript, type LoadedMetadata, type Tensor } from '../src/index.js'
import { exportCases } from '../scripts/pytorch/write-exports.js'
import { runCli } from './cli-run.js'

interface Recorded {
  name: string
  about: string
  sha256: { script: string; model: string; data: string }
  code: number
  stdout: string
  stderr: string
}
interface Misuse {
  args: string[]
  code: number
  stdout: string
  stderr: string
}
const fixture: { torch: string; models: Recorded[]; misuse: Misuse[]; numbers: string[] } = JSON.parse(
  readFileSync(new URL('./fixtures/pytorch-export.json', import.meta.url), 'utf8'),
)
const cases = new Map(exportCases().map((c) => [c.name, c]))
const dir = mkdtempSync(join(tmpdir(), 'softgrad-pytorch-export-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const RERUN = 'the export changed since the fixture was made: run npx tsx scripts/pytorch/write-exports.ts /tmp/softgrad-pytorch-export, ' +
  'then /usr/bin/python3 scripts/pytorch/export_check.py /tmp/softgrad-pytorch-export, and commit test/fixtures/pytorch-export.json'

/** A CSV as rows of fields (predict's output: no quoted fields in these cases). */
const rows = (text: string) => text.trimEnd().split('\n').map((line) => line.split(','))

describe(`the PyTorch fixture (torch ${fixture.torch})`, () => {
  it('covers iris, wine, digits and each activation, Dropout and the Softmax and LogSoftmax heads', () => {
    expect(fixture.models.map((m) => m.name)).toEqual([...cases.keys()])
    expect([...cases.keys()]).toEqual(expect.arrayContaining(['iris', 'wine', 'digits', 'leakyrelu', 'tanh', 'sigmoid', 'dropout', 'softmax-head', 'logsoftmax-head']))
  })

  describe.each(fixture.models)('$name', (recorded) => {
    const today = cases.get(recorded.name)!

    it('was made from today\'s script, model file and rows', () => {
      expect(sha256(today.script), RERUN).toBe(recorded.sha256.script)
      expect(sha256(today.model), RERUN).toBe(recorded.sha256.model)
      expect(sha256(today.data), RERUN).toBe(recorded.sha256.data)
    })

    it('ran under PyTorch with no error', () => {
      expect(recorded.stderr).toBe('')
      expect(recorded.code).toBe(0)
    })

    it('printed softgrad predict\'s CSV: the same header and classes, every probability within 1e-12', async () => {
      const model = join(dir, `${recorded.name}.safetensors`)
      const data = join(dir, `${recorded.name}.csv`)
      writeFileSync(model, today.model)
      writeFileSync(data, today.data)
      const predicted = await runCli(['predict', '--model', model, '--data', data])
      expect(predicted.code, predicted.stderr).toBe(0)

      const want = rows(predicted.stdout)
      const got = rows(recorded.stdout)
      expect(got[0]).toEqual(want[0])
      expect(got.length).toBe(want.length)
      let worst = 0
      for (let i = 1; i < want.length; i++) {
        expect(got[i][0], `row ${i}'s class`).toBe(want[i][0])
        expect(got[i].length).toBe(want[i].length)
        for (let k = 1; k < want[i].length; k++) worst = Math.max(worst, Math.abs(Number(got[i][k]) - Number(want[i][k])))
      }
      expect(worst).toBeLessThanOrEqual(1e-12)
    })
  })

  it('the scripts write numbers as softgrad predict does: JavaScript\'s String(x), for 2,000 numbers of every size', () => {
    const view = new DataView(new ArrayBuffer(8))
    const wrong = fixture.numbers.filter((pair) => {
      const [bits, text] = pair.split(' ') // the number's 64 bits in hex, then the script's text for it
      view.setBigUint64(0, BigInt(`0x${bits}`))
      return String(view.getFloat64(0)) !== text
    })
    expect(fixture.numbers.length).toBe(2000)
    expect(wrong).toEqual([])
  })

  describe('a user\'s mistakes with the iris script', () => {
    it.each(fixture.misuse.filter((m) => m.args[1] !== '--help'))('$args end in one line on stderr and exit code 2', (m) => {
      expect(m.code).toBe(2)
      expect(m.stdout).toBe('')
      expect(m.stderr).toMatch(/^iris\.py: [^\n]+\n$/)
      expect(m.stderr).not.toMatch(/Traceback/)
    })

    it('say what is wrong', () => {
      const said = (file: string) => fixture.misuse.find((m) => m.args.includes(file))!.stderr
      expect(said('no-such-file.csv')).toContain('there is no file no-such-file.csv')
      expect(said('missing-column.csv')).toContain("there is no column 'petal_width', which the model needs")
      expect(said('not-a-number.csv')).toContain("line 2, column 'petal_length' (3): \"x\" is not a number")
      expect(said('--bogus')).toContain('unrecognized arguments: --bogus')
    })

    it('--help explains --data and exits 0', () => {
      const help = fixture.misuse.find((m) => m.args[1] === '--help')!
      expect(help.code).toBe(0)
      expect(help.stdout).toMatch(/^usage: iris\.py .*--data FILE\.csv/)
    })
  })
})

/** A model's metadata as decodeModel reads it back from the model's bytes. */
function metadataOf(model: nn.Module, extra: Record<string, unknown> = {}): LoadedMetadata {
  return decodeModel(encodeModel(model, extra)).metadata
}

describe('pytorchScript', () => {
  const mlp = new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Linear(16, 3))
  const script = pytorchScript(metadataOf(mlp, { classes: ['a', 'b', 'c'], featureNames: ['w', 'x', 'y', 'z'], label: 'kind' }), { weightsFile: 'm.safetensors' })

  it('builds PyTorch\'s own layers under softgrad\'s state-dict names', () => {
    expect(script).toContain([
      'def build_model():',
      '    """The network with fresh weights: softgrad\'s layers as PyTorch\'s, under the same state-dict names."""',
      '    return nn.Sequential(',
      '        nn.Linear(4, 16),  # 0.weight [16, 4], 0.bias [16]',
      '        nn.ReLU(),',
      '        nn.Linear(16, 3),  # 2.weight [3, 16], 2.bias [3]',
      '    )',
    ].join('\n'))
  })

  it('names in its comments exactly the tensors the model file holds, nested Sequentials included', () => {
    const nested = new nn.Sequential(
      new nn.Sequential(new nn.Linear(3, 5, { bias: false }), new nn.Tanh()), new nn.Dropout(0.5), new nn.LeakyReLU(0.3), new nn.Sigmoid(), new nn.Linear(5, 2), new nn.LogSoftmax(),
    )
    const text = pytorchScript(metadataOf(nested), { weightsFile: 'n.safetensors' })
    const named = [...text.split('def build_model')[1].matchAll(/([\w.]+) \[([\d, ]+)\]/g)].map(([, name, shape]) => `${name} [${shape}]`)
    expect(named).toEqual(nested.namedParameters().map(([name, p]: [string, Tensor]) => `${name} [${p.shape.join(', ')}]`))
    expect(text).toContain('nn.Linear(3, 5, bias=False),')
    expect(text).toContain('nn.Dropout(p=0.5),')
    expect(text).toContain('nn.LeakyReLU(negative_slope=0.3),')
    expect(text).toContain('nn.LogSoftmax(dim=-1),')
  })

  it('reads the model file from its own folder, with the standard library and torch only', () => {
    expect(pytorchScript(metadataOf(mlp), { weightsFile: 'models/m.safetensors' })).toContain('WEIGHTS = pathlib.Path(__file__).parent / "models/m.safetensors"')
    const imported = [...script.matchAll(/^(?:import|from) ([\w.]+)/gm)].map(([, name]) => name.split('.')[0])
    expect(new Set(imported)).toEqual(new Set(['argparse', 'array', 'csv', 'io', 'json', 'math', 'os', 'pathlib', 're', 'struct', 'sys', 'torch']))
    expect(script).toContain("struct.unpack('<Q', data[:8])")
    expect(script).toContain('torch.frombuffer')
  })

  it('opens with a docstring on what it is, how to run it, and how to train on with torch.optim, torchrun and DistributedDataParallel', () => {
    const doc = script.slice(0, script.indexOf('"""', 5))
    expect(doc.startsWith('r"""A softgrad model rebuilt in PyTorch')).toBe(true)
    for (const phrase of ['m.safetensors', 'python3 m.py --data x.csv', 'from m import load_model', 'torch.optim.SGD', 'nn.CrossEntropyLoss()',
      'torchrun --nproc_per_node 2 train_ddp.py', '--nnodes 2', 'DistributedDataParallel', 'DistributedSampler', "label='kind'"]) {
      expect(doc).toContain(phrase)
    }
  })

  it('mirrors predict: softmax at the fitted temperature, but a Softmax head\'s output as it is', () => {
    expect(script).toContain('return torch.softmax(out / temperature(metadata), dim=-1)')
    const head = pytorchScript(metadataOf(new nn.Sequential(new nn.Linear(2, 3), new nn.Softmax())), { weightsFile: 's.safetensors' })
    expect(head).not.toContain('torch.softmax(out')
    expect(head).toContain('    return out\n')
    expect(head).toContain('net = model[:-1]') // the logits, for nn.CrossEntropyLoss
  })

  it('refuses HierarchicalSoftmax, naming the layer', () => {
    const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.HierarchicalSoftmax(8, 10))
    expect(() => pytorchScript(metadataOf(model), { weightsFile: 'h.safetensors' })).toThrow(/layer 2 \(HierarchicalSoftmax\) has no PyTorch layer.*softgrad predict/)
  })

  it('refuses a layer the program registered, naming it and the layers it exports', () => {
    class Doubler extends nn.Module {
      forward(x: Tensor): Tensor {
        return x.mul(2)
      }
      config() {
        return {}
      }
      static fromConfig(): Doubler {
        return new Doubler()
      }
    }
    nn.registerModule(Doubler, 'PytorchTestDoubler')
    const model = new nn.Sequential(new nn.Linear(4, 3), new nn.Sequential(new nn.ReLU(), new Doubler()))
    expect(() => pytorchScript(metadataOf(model), { weightsFile: 'd.safetensors' }))
      .toThrow(/layer 1\.1 \(PytorchTestDoubler\) is a layer registered by your program.*exports Sequential, Linear/)
  })

  it('refuses a softmax layer with a temperature, or over the rows of a batch', () => {
    const warm = new nn.Sequential(new nn.Linear(4, 3), new nn.Softmax({ temperature: 2 }))
    expect(() => pytorchScript(metadataOf(warm), { weightsFile: 'w.safetensors' })).toThrow(/layer 1 \(Softmax\) has temperature 2, and PyTorch's nn.Softmax has none/)
    const rowwise = new nn.Sequential(new nn.Linear(4, 3), new nn.LogSoftmax({ dim: 0 }))
    expect(() => pytorchScript(metadataOf(rowwise), { weightsFile: 'r.safetensors' })).toThrow(/layer 1 \(LogSoftmax\) works over dim 0/)
  })

  it('refuses a file name Python or its docstring would misread', () => {
    expect(() => pytorchScript(metadataOf(mlp), { weightsFile: 'models\\m.safetensors' })).toThrow(/write folders with '\/'/)
    expect(() => pytorchScript(metadataOf(mlp), { weightsFile: '' })).toThrow(/weightsFile must name a file/)
  })
})
