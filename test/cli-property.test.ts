/**
 * A property of the whole command line: whatever flags it is given (valid and invalid flags and
 * values, for every command) and however its CSV and model files are damaged (truncated, bytes
 * flipped, header changed, JSON metadata corrupted), a run ends with exit 0, or exit 2 and
 * exactly one line on stderr; never a stack trace or a bug's message; and it changes no file it
 * was not asked to write (its --out and --plot targets). In-process through main(), seeded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { runCli, root, STACK_TRACE } from './cli-run.js'

const scratch = mkdtempSync(join(tmpdir(), 'softgrad-property-'))
const at = (name: string) => join(scratch, name)
/** 40 iris rows (every species), so a run trains and predicts in milliseconds. */
const irisText = (() => {
  const lines = readFileSync(join(root, 'datasets/iris.csv'), 'utf8').trim().split('\n')
  return [lines[0], ...lines.slice(1).filter((_, i) => i % 4 === 0)].join('\n') + '\n'
})()
let modelBytes: Uint8Array

beforeAll(async () => {
  writeFileSync(at('good.csv'), irisText)
  mkdirSync(at('a-directory'))
  const r = await runCli(['train', '--data', at('good.csv'), '--label', 'species', '--epochs', '3', '--hidden', '4', '--out', at('good.safetensors'), '--json'])
  expect(r.code).toBe(0)
  modelBytes = readFileSync(at('good.safetensors'))
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

// ---------------------------------------------------------------------------------------------
// Damaged files

/** How to damage a file's bytes; 'intact' leaves them. */
const damage = fc.oneof(
  fc.constant({ kind: 'intact' as const }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('flip' as const), bytes: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('header' as const), text: fc.constantFrom('', 'a,b,c', 'species', 'sepal_length,sepal_length,species', '\uFEFFsepal_length,sepal_width,petal_length,petal_width,species', 'x;y;z') }),
  fc.record({ kind: fc.constant('metadata' as const), key: fc.constantFrom('classes', 'featureNames', 'scaler', 'label', 'temperature', 'seed', 'format', 'architecture', 'hyperparameters'), value: fc.oneof(fc.json(), fc.string()) }),
  // Metadata that parses but disagrees with the 4 → 4 → 3 network.
  fc.constantFrom(
    { key: 'classes', value: '["setosa","versicolor"]' }, { key: 'classes', value: '["a","b","c","d"]' }, { key: 'classes', value: '["a","a","b"]' },
    { key: 'featureNames', value: '["sepal_length","sepal_width","petal_length"]' }, { key: 'scaler', value: '{"mean":[0,0],"scale":[1,1]}' },
    { key: 'scaler', value: '{"mean":[0,0,0,0],"scale":[1,1,1,0]}' }, { key: 'scaler', value: '[1,2]' }, { key: 'label', value: '"sepal_width"' },
  ).map((field) => ({ kind: 'metadata' as const, ...field })),
)
type Damage = typeof damage extends fc.Arbitrary<infer D> ? D : never

function damaged(bytes: Uint8Array, d: Damage): Uint8Array {
  const out = Uint8Array.from(bytes)
  if (d.kind === 'truncate') return out.subarray(0, Math.floor(d.at * bytes.length))
  if (d.kind === 'flip') {
    for (const [where, value] of d.bytes) out[Math.min(out.length - 1, Math.floor(where * out.length))] = value
    return out
  }
  if (d.kind === 'header') {
    const text = new TextDecoder().decode(bytes)
    if (text.startsWith('sepal_length')) return new TextEncoder().encode(d.text + text.slice(text.indexOf('\n')))
    return out // a model file has no CSV header: its metadata is damaged by 'metadata'
  }
  if (d.kind === 'metadata') {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (bytes.length < 8) return out
    const n = Number(view.getBigUint64(0, true))
    let header: { __metadata__?: Record<string, string> }
    try {
      header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)))
    } catch {
      return out // not a model file (a CSV): nothing to corrupt this way
    }
    header.__metadata__ = { ...header.__metadata__, [d.key]: d.value }
    const json = new TextEncoder().encode(JSON.stringify(header))
    const length = json.length + ((8 - (json.length % 8)) % 8)
    const file = new Uint8Array(8 + length + bytes.length - 8 - n).fill(0x20, 8, 8 + length)
    new DataView(file.buffer).setBigUint64(0, BigInt(length), true)
    file.set(json, 8)
    file.set(bytes.subarray(8 + n), 8 + length)
    return file
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Command lines: each command with what it needs, some optional flags, sometimes a wrong token

/** Repeats weight the choice: the damaged files come up most. */
const DATA = ['data.csv', 'data.csv', 'data.csv', 'good.csv', 'model.safetensors', 'missing.csv', 'a-directory'].map(at)
const MODELS = ['model.safetensors', 'model.safetensors', 'model.safetensors', 'good.safetensors', 'data.csv', 'missing.safetensors', 'a-directory'].map(at)
const MODEL_OUTS = ['out/model.safetensors', 'out/model.safetensors', 'out/new/model.safetensors', 'data.csv', 'good.safetensors'].map(at)
const GRAPH_OUTS = ['out/graph.dot', 'out/graph.dot', 'out/graph.mmd', 'out/graph.svg', 'out/graph.txt', 'good.safetensors'].map(at)
const SEEDS = ['0', '7', '4294967295', '4294967296', '-1', '1.5', 'x', '']

interface CommandSpec {
  /** what a run of the command needs, as alternatives (train: a CSV file or a toy dataset) */
  required: string[][]
  /** optional flags that take a value, with the values to try (valid, invalid, odd) */
  values: Record<string, string[]>
  booleans: string[]
}

const COMMANDS: Record<string, CommandSpec> = {
  train: {
    required: [['data', 'label'], ['dataset']],
    values: {
      data: DATA, label: ['species', 'species', 'sepal_length', 'nope', ''], dataset: ['xor', 'moons', 'circles', 'blobs', 'spirals', 'mnist'],
      delimiter: [',', ';', 'tab', '|'], n: ['10', '40', '9', 'x'], classes: ['2', '3', '11', '1.5'], noise: ['0', '0.2', '-1'],
      hidden: ['4', '3,2', '0', '', '-1', 'a'], activation: ['relu', 'TANH', 'gelu', 'nope'], epochs: ['1', '2', '0', '1.5'],
      lr: ['0.1', '0', '-1', '1e400'], momentum: ['0.5', '2'], 'batch-size': ['8', '0', '1000'], 'test-fraction': ['0.2', '0.5', '0.9', '0'],
      seed: SEEDS, out: MODEL_OUTS, plot: [at('out/plots'), at('good.csv')], optimizer: ['sgd', 'adam', 'rmsprop', 'nope'],
      schedule: ['none', 'step', 'onecycle', 'plateau', 'x'], clip: ['1', '0'], patience: ['1', '0'],
    },
    booleans: ['json', 'no-standardize', 'calibrate'],
  },
  predict: { required: [['model', 'data']], values: { model: MODELS, data: DATA, 'min-confidence': ['0.5', '1', '0', '2', 'x'] }, booleans: [] },
  evaluate: { required: [['model', 'data']], values: { model: MODELS, data: DATA, label: ['species', 'species', 'petal_width', 'nope'] }, booleans: ['json'] },
  softmax: { required: [], values: { temperature: ['1', '0.5', '0', '-1', '1e-300', 'x'] }, booleans: ['json'] },
  explain: { required: [], values: { temperature: ['2', '0', 'x'], seed: SEEDS }, booleans: [] },
  graph: {
    required: [['out']],
    values: {
      out: GRAPH_OUTS, dataset: ['xor', 'moons', 'blobs', 'mnist'], hidden: ['3', '4,3', '0', '65', 'x'], activation: ['tanh', 'relu', 'nope'],
      batch: ['3', '1', '0', '65'], seed: SEEDS,
    },
    booleans: ['no-values'],
  },
}

/** `--name value` or `--name=value`. */
const flag = (name: string, values: string[]) =>
  fc.tuple(fc.constantFrom(...values), fc.boolean()).map(([value, inline]) => (inline ? [`--${name}=${value}`] : [`--${name}`, value]))

/** A wrong token: an unknown flag, a stray argument, a flag given twice or without its value, --help. */
const wrongToken = fc.constantFrom<string[]>(['--bogus'], ['extra'], ['-x'], ['--'], ['--json=yes'], ['--seed'], ['--help'], ['--seed', '1', '--seed', '2'])

const LOGITS = ['4', '2', '-1', '0', '1e308', '-1e308', 'NaN', 'Infinity', '-', 'x', '']

function commandLineOf(command: string): fc.Arbitrary<string[]> {
  const spec = COMMANDS[command]
  const needed = spec.required.length === 0 ? fc.constant([] as string[]) : fc.constantFrom(...spec.required)
  return needed.chain((required) => {
    const optional = Object.keys(spec.values).filter((name) => !spec.required.flat().includes(name))
    return fc.tuple(
      fc.tuple(...required.map((name) => flag(name, spec.values[name]))),
      fc.uniqueArray(fc.constantFrom(...optional), { maxLength: 4 }).chain((names) => fc.tuple(...names.map((name) => flag(name, spec.values[name])))),
      spec.booleans.length === 0 ? fc.constant([] as string[]) : fc.subarray(spec.booleans, { maxLength: Math.min(2, spec.booleans.length) }),
      command === 'softmax' ? fc.array(fc.constantFrom(...LOGITS), { minLength: 1, maxLength: 4 }) : fc.constant([] as string[]),
      fc.oneof({ weight: 4, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: wrongToken }),
    ).map(([needs, options, booleans, logits, wrong]) => {
      const args = [command, ...logits, ...needs.flat(), ...options.flat(), ...booleans.map((b) => `--${b}`), ...wrong]
      // Training is the one slow command: unless the line sets them, few epochs, points and units.
      if (command === 'train') {
        for (const [name, value] of [['epochs', '2'], ['n', '40'], ['hidden', '4']]) {
          if (!args.some((a) => a === `--${name}` || a.startsWith(`--${name}=`))) args.push(`--${name}`, value)
        }
      }
      return args
    })
  })
}

const commandLine = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...Object.keys(COMMANDS)).chain(commandLineOf) },
  { weight: 1, arbitrary: fc.constantFrom<string[]>(['fly'], ['--version', 'x'], ['toString'], ['--help']) },
)

// ---------------------------------------------------------------------------------------------
// What may change

/** Every file below the scratch folder, by its path, with a hash of its bytes. */
function snapshot(): Map<string, string> {
  const files = new Map<string, string>()
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else files.set(path, createHash('sha256').update(readFileSync(path)).digest('hex'))
    }
  }
  walk(scratch)
  return files
}

/** The files a command line asked to write: its --out and everything under its --plot folder. */
function targets(args: string[]): string[] {
  const found: string[] = []
  args.forEach((a, i) => {
    for (const flag of ['out', 'plot']) {
      if (a === `--${flag}` && i + 1 < args.length) found.push(args[i + 1])
      if (a.startsWith(`--${flag}=`)) found.push(a.slice(flag.length + 3))
    }
  })
  return found
}

/** predict's CSV: a p_ column per class, and every row's probabilities (one per class) sum to 1. */
function expectProbabilityTable(stdout: string, shown: string): void {
  const [header, ...rows] = stdout.trimEnd().split('\n')
  const classes = header.split(',').length - 1
  expect(classes, shown).toBeGreaterThanOrEqual(1)
  for (const row of rows) {
    const p = row.split(',').slice(-classes).map(Number)
    expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1), `${row}: ${shown}`).toBeLessThan(1e-9)
  }
}

/** What a bug (not a user's mistake) says; such a message must never reach the user. */
const BUG = /Cannot read propert|is not a function|is not iterable|undefined \(reading|Maximum call stack|Invalid array length|is not defined/

describe('the command line, under random flags and damaged files', () => {
  it('always ends with exit 0, or exit 2 and one line on stderr, and writes only what it was asked to', async () => {
    await fc.assert(
      fc.asyncProperty(commandLine, damage, damage, async (args, csvDamage, modelDamage) => {
        writeFileSync(at('data.csv'), damaged(new TextEncoder().encode(irisText), csvDamage))
        writeFileSync(at('model.safetensors'), damaged(modelBytes, modelDamage))
        const before = snapshot()
        const r = await runCli(args)
        const after = snapshot()

        const shown = `softgrad ${args.map((a) => a.replaceAll(`${scratch}/`, '')).join(' ')}\n${r.stderr}`
        expect(r.stderr, shown).not.toMatch(STACK_TRACE)
        expect(r.stderr, shown).not.toMatch(BUG)
        expect([0, 2], shown).toContain(r.code)
        if (r.code === 2) expect(r.stderr.endsWith('\n') && r.stderr.split('\n').length === 2, `one line on stderr: ${shown}`).toBe(true)
        if (r.code === 0 && args[0] === 'predict' && !args.includes('--help')) expectProbabilityTable(r.stdout, shown)

        const allowed = targets(args)
        const isTarget = (path: string) => allowed.some((t) => path === t || path.startsWith(`${t}/`))
        for (const [path, hash] of before) {
          if (!isTarget(path)) expect(after.get(path), `${relative(scratch, path)} changed: ${shown}`).toBe(hash)
        }
        for (const path of after.keys()) {
          if (!before.has(path)) expect(isTarget(path), `${relative(scratch, path)} appeared: ${shown}`).toBe(true)
        }
      }),
      { numRuns: 1000, seed: 17, endOnFailure: true },
    )
  })
})
