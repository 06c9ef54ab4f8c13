/**
 * softgrad export: writes exportOnnx's bytes for a saved model, and at every edge (a missing or
 * wrong model file, a format or dtype it does not know, an --out it must not overwrite) ends
 * with exit 2 and one line on stderr, having written nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { nn, loadModel, saveModel, exportOnnx, pytorchScript, type Tensor } from '../src/index.js'
import { runCli, spawnCli, root, STACK_TRACE, type CliResult } from './cli-run.js'

const tmp = mkdtempSync(join(tmpdir(), 'softgrad-export-'))
const model = join(tmp, 'iris.safetensors')
const iris = join(root, 'datasets/iris.csv')

beforeAll(async () => {
  const r = await runCli(['train', '--data', iris, '--label', 'species', '--hidden', '8', '--epochs', '5', '--calibrate', '--out', model, '--json'])
  expect(r.code).toBe(0)
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** Exit 2, nothing on stdout, one line on stderr that matches `pattern`. */
function expectOneLineError(r: CliResult, pattern: RegExp | string): void {
  expect(r.stdout).toBe('')
  expect(r.stderr).not.toMatch(STACK_TRACE)
  expect(r.stderr.endsWith('\n') && r.stderr.split('\n').length === 2, `one line on stderr, got ${JSON.stringify(r.stderr)}`).toBe(true)
  if (typeof pattern === 'string') expect(r.stderr).toBe(pattern)
  else expect(r.stderr).toMatch(pattern)
  expect(r.code).toBe(2)
}

/** A fresh directory inside the test's temporary one. */
function dir(name: string): string {
  const d = join(tmp, name)
  mkdirSync(d, { recursive: true })
  return d
}

describe('softgrad export --format onnx', () => {
  it('writes exportOnnx\'s bytes for the model file and says what it wrote in one line', async () => {
    const out = join(dir('plain'), 'iris.onnx')
    const r = await runCli(['export', '--model', model, '--format', 'onnx', '--out', out])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^wrote ${out}: 4 → 8 → 3 \\(relu\\), scaled, T [\\d.]+, float32, opset 17, [\\d.]+ KB\\n$`))
    const { model: m, metadata } = loadModel(model)
    expect(readFileSync(out)).toEqual(Buffer.from(exportOnnx(m, metadata)))
  })

  it('--dtype float64 writes the float64 graph, and an earlier export is replaced', async () => {
    const out = join(dir('float64'), 'iris.onnx')
    expect((await runCli(['export', '--model', model, '--format', 'onnx', '--out', out])).code).toBe(0)
    const r = await runCli(['export', '--model', model, '--format', 'ONNX', '--out', out, '--dtype', 'float64'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/, float64, opset 17, /)
    const { model: m, metadata } = loadModel(model)
    expect(readFileSync(out)).toEqual(Buffer.from(exportOnnx(m, metadata, { dtype: 'float64' })))
  })

  it('makes a missing directory for --out', async () => {
    const out = join(tmp, 'made', 'for', 'it', 'iris.onnx')
    expect((await runCli(['export', '--model', model, '--format', 'onnx', '--out', out])).code).toBe(0)
    expect(existsSync(out)).toBe(true)
  })

  it('writes through a symlink to an earlier export, and the link stays a link', async () => {
    const d = dir('link')
    expect((await runCli(['export', '--model', model, '--format', 'onnx', '--out', join(d, 'real.onnx')])).code).toBe(0)
    symlinkSync('real.onnx', join(d, 'link.onnx'))
    expect((await runCli(['export', '--model', model, '--format', 'onnx', '--out', join(d, 'link.onnx'), '--dtype', 'float64'])).code).toBe(0)
    expect(lstatSync(join(d, 'link.onnx')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(d, 'real.onnx')).length).toBeGreaterThan(0)
  })

  it('--help says how to use it, and softgrad --help lists it', async () => {
    const r = await runCli(['export', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: softgrad export --model MODEL.safetensors --format onnx|pytorch --out FILE/)
    expect((await runCli(['help', 'export'])).stdout).toBe(r.stdout)
    expect((await runCli(['--help'])).stdout).toMatch(/\n {2}export +a saved model as an ONNX file/)
  })

  it('runs as a real process: exit 0 and the one line', () => {
    const out = join(dir('process'), 'iris.onnx')
    const r = spawnCli(['export', '--model', model, '--format', 'onnx', '--out', out])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')).toHaveLength(2)
  })
})

describe('softgrad export at the edges: one line, exit 2, nothing written', () => {
  const out = () => join(dir('edges'), 'never.onnx')

  it('a model file that does not exist, or is not a model file, is named', async () => {
    expectOneLineError(await runCli(['export', '--model', join(tmp, 'nope.safetensors'), '--format', 'onnx', '--out', out()]),
      `softgrad export: loadModel: there is no file ${join(tmp, 'nope.safetensors')}\n`)
    expectOneLineError(await runCli(['export', '--model', iris, '--format', 'onnx', '--out', out()]), new RegExp(`^softgrad export: ${iris}: model file: `))
    expect(existsSync(out())).toBe(false)
  })

  it('a format or dtype it does not know lists the ones it does', async () => {
    expectOneLineError(await runCli(['export', '--model', model, '--format', 'tflite', '--out', out()]), "softgrad export: --format must be onnx or pytorch, got 'tflite'\n")
    expectOneLineError(await runCli(['export', '--model', model, '--format', 'onnx', '--out', out(), '--dtype', 'float16']),
      "softgrad export: --dtype must be float32 or float64, got 'float16'\n")
    expect(existsSync(out())).toBe(false)
  })

  it('--model, --format and --out are all needed', async () => {
    const needs = 'softgrad export: needs --model FILE, --format onnx|pytorch and --out FILE (see softgrad export --help)\n'
    expectOneLineError(await runCli(['export', '--model', model, '--format', 'onnx']), needs)
    expectOneLineError(await runCli(['export', '--model', model, '--out', out()]), needs)
    expectOneLineError(await runCli(['export', '--format', 'onnx', '--out', out()]), needs)
  })

  it('flags and arguments it does not use are refused', async () => {
    expectOneLineError(await runCli(['export', '--model', model, '--format', 'onnx', '--out', out(), '--json']),
      'softgrad export: unknown flag --json (see softgrad export --help)\n')
    expectOneLineError(await runCli(['export', '--model', model, '--format', 'onnx', '--out', out(), 'extra']),
      "softgrad export: unexpected argument 'extra' (see softgrad export --help)\n")
    expectOneLineError(await runCli(['export', '--model', model, '--model', model, '--format', 'onnx', '--out', out()]), /--model is given twice/)
  })

  it.each([
    ['the same path', (m: string) => m],
    ['a relative spelling', (m: string) => relative(process.cwd(), m)],
    ['a symlink to it', (m: string) => {
      const link = join(dir('model-link'), 'link.safetensors')
      if (!existsSync(link)) symlinkSync(m, link)
      return link
    }],
  ])('--out that is the model file (%s) is refused, and the model is as it was', async (_, spell) => {
    const before = readFileSync(model)
    const target = spell(model)
    expectOneLineError(await runCli(['export', '--model', model, '--format', 'onnx', '--out', target]),
      `softgrad export: refusing to overwrite ${target}: it is the model file; write the export to a file of its own, like iris.onnx\n`)
    expect(readFileSync(model)).toEqual(before)
  })

  it('an existing --out that is not an ONNX file (a CSV file, a model file, an empty file) is left as it was', async () => {
    const d = dir('not-onnx')
    writeFileSync(join(d, 'x.csv'), readFileSync(iris))
    writeFileSync(join(d, 'other.safetensors'), readFileSync(model))
    writeFileSync(join(d, 'empty.onnx'), '')
    writeFileSync(join(d, 'notes.onnx'), 'an onnx file, I promise\n')
    for (const name of ['x.csv', 'other.safetensors', 'empty.onnx', 'notes.onnx']) {
      const path = join(d, name)
      const before = readFileSync(path)
      expectOneLineError(await runCli(['export', '--model', model, '--format', 'onnx', '--out', path]), `softgrad export: refusing to overwrite ${path}: it is not an ONNX file\n`)
      expect(readFileSync(path)).toEqual(before)
    }
  })

  it('--out that is a directory, or under a file, is refused', async () => {
    const d = dir('a-directory')
    expectOneLineError(await runCli(['export', '--model', model, '--format', 'onnx', '--out', d]),
      `softgrad export: --out ${d} is a directory; give the export a file name, like ${d}/model.onnx\n`)
    const file = join(dir('under-a-file'), 'plain.txt')
    writeFileSync(file, 'text\n')
    expectOneLineError(await runCli(['export', '--model', model, '--format', 'onnx', '--out', join(file, 'm.onnx')]),
      `softgrad export: cannot make the directory for --out ${join(file, 'm.onnx')}: ${file} is a file, not a directory\n`)
  })

  it('a model with a layer ONNX cannot express names the file and the layer, and makes no directory', async () => {
    const hs = join(tmp, 'hsoftmax.safetensors')
    saveModel(hs, new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.HierarchicalSoftmax(8, 3)), {})
    const target = join(tmp, 'not-made', 'hs.onnx')
    expectOneLineError(await runCli(['export', '--model', hs, '--format', 'onnx', '--out', target]),
      new RegExp(`^softgrad export: ${hs}: layer 2 is HierarchicalSoftmax, which has no ONNX mapping; train with a flat softmax`))
    expect(existsSync(join(tmp, 'not-made'))).toBe(false)
  })

  it('a registered custom layer is refused by name, never exported as something else', async () => {
    class Cube extends nn.Module {
      forward(x: Tensor): Tensor {
        return x.mul(x).mul(x)
      }

      config(): Record<string, never> {
        return {}
      }

      static fromConfig(): Cube {
        return new Cube()
      }
    }
    nn.registerModule(Cube)
    const custom = join(tmp, 'custom.safetensors')
    saveModel(custom, new nn.Sequential(new nn.Linear(4, 3), new Cube()), {})
    expectOneLineError(await runCli(['export', '--model', custom, '--format', 'onnx', '--out', out()]),
      new RegExp(`^softgrad export: ${custom}: layer 1 is Cube \\(a registered custom layer\\), which has no ONNX mapping`))
  })
})

describe('softgrad export --format pytorch', () => {
  it('writes pytorchScript\'s text, reading the weights from the model file relative to the script', async () => {
    const out = join(dir('pytorch'), 'nested', 'iris.py')
    const r = await runCli(['export', '--model', model, '--format', 'pytorch', '--out', out])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`^wrote ${out}: 4 → 8 → 3 \\(relu\\), scaled, T [\\d.]+, float64, PyTorch`))
    const { metadata } = loadModel(model)
    const weightsFile = relative(join(dir('pytorch'), 'nested'), model)
    expect(weightsFile).toBe('../../iris.safetensors')
    expect(readFileSync(out, 'utf8')).toBe(pytorchScript(metadata, { weightsFile, scriptFile: 'iris.py' }))
    // An earlier export is replaced; anything else is not.
    expect((await runCli(['export', '--model', model, '--format', 'pytorch', '--out', out])).code).toBe(0)
    const notes = join(dir('pytorch'), 'notes.py')
    writeFileSync(notes, 'print("mine")\n')
    expectOneLineError(await runCli(['export', '--model', model, '--format', 'pytorch', '--out', notes]),
      `softgrad export: refusing to overwrite ${notes}: it is not a PyTorch script softgrad export wrote\n`)
    expect(readFileSync(notes, 'utf8')).toBe('print("mine")\n')
  })

  it('takes only float64', async () => {
    expectOneLineError(await runCli(['export', '--model', model, '--format', 'pytorch', '--out', join(dir('pytorch32'), 'm.py'), '--dtype', 'float32']),
      "softgrad export: --dtype must be float64, got 'float32'\n")
  })
})
