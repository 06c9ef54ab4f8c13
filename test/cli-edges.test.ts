/**
 * The command line at its edges (DESIGN.md, "At the edges"): a closed pipe, a full disk, flags
 * and arguments a command does not use, the one seed range, model files that disagree with
 * their network. Each ends with exit 0, or exit 2 and one line on stderr; never a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, spawnCli, bash, root, STACK_TRACE, type CliResult } from './cli-run.js'

const tmp = mkdtempSync(join(tmpdir(), 'softgrad-edges-'))
const model = join(tmp, 'iris.safetensors')
const iris = join(root, 'datasets/iris.csv')

beforeAll(async () => {
  const r = await runCli(['train', '--data', iris, '--label', 'species', '--epochs', '5', '--out', model, '--json'])
  expect(r.code).toBe(0)
})
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** Exit 2, nothing on stdout, one line on stderr that matches `pattern`. */
function expectOneLineError(r: CliResult, pattern: RegExp): void {
  expect(r.stdout).toBe('')
  expect(r.stderr).not.toMatch(STACK_TRACE)
  expect(r.stderr.endsWith('\n') && r.stderr.split('\n').length === 2, `one line on stderr, got ${JSON.stringify(r.stderr)}`).toBe(true)
  expect(r.stderr).toMatch(pattern)
  expect(r.code).toBe(2)
}

describe('every command rejects flags and arguments it does not use, naming them and its --help', () => {
  const cases: Array<[string[], RegExp]> = [
    [['predict', '--model', model, '--data', iris, '--json'], /^softgrad predict: unknown flag --json \(see softgrad predict --help\)$/m],
    [['predict', '--model', model, '--data', iris, '--label', 'species'], /^softgrad predict: unknown flag --label \(see softgrad predict --help\)$/m],
    [['predict', '--model', model, '--data', iris, 'extra'], /^softgrad predict: unexpected argument 'extra' \(see softgrad predict --help\)$/m],
    [['evaluate', '--model', model, '--data', iris, '--min-confidence', '0.5'], /^softgrad evaluate: unknown flag --min-confidence \(see softgrad evaluate --help\)$/m],
    [['explain', 'extra'], /^softgrad explain: unexpected argument 'extra' \(see softgrad explain --help\)$/m],
    [['explain', '--json'], /^softgrad explain: unknown flag --json \(see softgrad explain --help\)$/m],
    [['softmax', '1', '2', '--seed', '3'], /^softgrad softmax: unknown flag --seed \(see softgrad softmax --help\)$/m],
    [['graph', '--out', join(tmp, 'g.dot'), 'extra'], /^softgrad graph: unexpected argument 'extra' \(see softgrad graph --help\)$/m],
    [['train', '--dataset', 'xor', 'extra'], /^softgrad train: unexpected argument 'extra' \(see softgrad train --help\)$/m],
    [['explain', '--seed', '1', '--seed', '2'], /^softgrad explain: --seed is given twice; give it once \(see softgrad explain --help\)$/m],
    [['softmax', '1', '--json', '--json'], /^softgrad softmax: --json is given twice/m],
    [['--version', 'extra'], /^softgrad: --version takes nothing after it, got 'extra'/m],
    [['toString'], /^softgrad: unknown command 'toString'; the commands are train, predict/m],
    [['help', 'fly'], /^softgrad: unknown command 'fly'; the commands are train, predict/m],
  ]
  for (const [args, pattern] of cases) {
    it(`softgrad ${args.map((a) => a.replace(tmp, '$TMP').replace(root, '')).join(' ')}`, async () => {
      expectOneLineError(await runCli(args), pattern)
    })
  }

  it('softgrad help explain is softgrad explain --help', async () => {
    const r = await runCli(['help', 'explain'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe((await runCli(['explain', '--help'])).stdout)
    expect(r.stdout).toMatch(/^Usage: softgrad explain/)
  })

  it('softmax --json, documented in its help, still works', async () => {
    const r = await runCli(['softmax', '1', '2', '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).probabilities).toHaveLength(2)
    expect((await runCli(['softmax', '--help'])).stdout).toContain('--json')
  })
})

describe('--seed is a whole number from 0 to 4294967295 in every command', () => {
  for (const command of [['explain'], ['train', '--dataset', 'xor', '--epochs', '1'], ['graph', '--out', join(tmp, 'seed.dot')]]) {
    for (const seed of ['1.5', '-1', '4294967296', 'abc', '1e400', '']) {
      it(`${command[0]} --seed '${seed}' is refused`, async () => {
        const r = await runCli([...command, `--seed=${seed}`])
        expectOneLineError(r, new RegExp(`^softgrad ${command[0]}: --seed must be a whole number from 0 to 4294967295, got `))
      })
    }
    it(`${command[0]} takes --seed 4294967295`, async () => {
      expect((await runCli([...command, '--seed', '4294967295', ...(command[0] === 'train' ? ['--json'] : [])])).code).toBe(0)
    })
  }
})

describe('a model file that disagrees with its network is an error naming the file, before any output', () => {
  /** The model file with some __metadata__ fields replaced (JSON text, as safetensors keeps them) or, when undefined, removed. */
  function withMetadata(name: string, fields: Record<string, string | undefined>): string {
    const bytes = readFileSync(model)
    const length = Number(bytes.readBigUInt64LE(0))
    const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'))
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) delete header.__metadata__[key]
      else header.__metadata__[key] = value
    }
    const json = Buffer.from(JSON.stringify(header))
    const padded = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, ' ')])
    const size = Buffer.alloc(8)
    size.writeBigUInt64LE(BigInt(padded.length))
    const path = join(tmp, name)
    writeFileSync(path, Buffer.concat([size, padded, bytes.subarray(8 + length)]))
    return path
  }
  const setosaAndVersicolor = join(tmp, 'two-species.csv')
  beforeAll(() => {
    writeFileSync(setosaAndVersicolor, readFileSync(iris, 'utf8').split('\n').filter((l) => !l.includes('virginica')).join('\n'))
  })

  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['two class names for three outputs', { classes: '["setosa","versicolor"]' }, /model file: __metadata__\.classes lists 2 names but the network has 3 outputs \(one per class\)$/m],
    ['a class name twice', { classes: '["setosa","setosa","virginica"]' }, /classes names "setosa" twice/],
    ['three feature names for four inputs', { featureNames: '["sepal_length","sepal_width","petal_length"]' }, /featureNames lists 3 names but the network has 4 inputs/],
    ['a scaler for two features', { scaler: '{"mean":[1,2],"scale":[1,1]}' }, /scaler\.mean has 2 numbers but the network has 4 inputs/],
    ['a scaler that is not a StandardScaler', { scaler: '"hello"' }, /its scaler is not one softgrad train writes/],
  ]
  for (const [what, fields, pattern] of cases) {
    it(`${what}: predict and evaluate both refuse it`, async () => {
      const path = withMetadata(`${what.replace(/\W+/g, '-')}.safetensors`, fields)
      for (const command of ['predict', 'evaluate']) {
        const r = await runCli([command, '--model', path, '--data', setosaAndVersicolor])
        expectOneLineError(r, new RegExp(`^softgrad ${command}: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `))
        expect(r.stderr).toMatch(pattern)
      }
    })
  }

  it('a model file that does not record its label column names the file when evaluate needs it', async () => {
    const path = withMetadata('no-label.safetensors', { label: undefined })
    expectOneLineError(await runCli(['evaluate', '--model', path, '--data', iris]), /no-label\.safetensors does not record its label column; pass --label COLUMN$/m)
    expect((await runCli(['evaluate', '--model', path, '--data', iris, '--label', 'species'])).code).toBe(0)
  })
})

describe('output that cannot be written: a closed pipe ends quietly, a full disk is one line (real processes)', () => {
  const big = join(tmp, 'big.csv')
  beforeAll(() => {
    // 30,000 rows: far more than a pipe holds, so predict is still writing when head exits.
    const rows = readFileSync(iris, 'utf8').trim().split('\n')
    writeFileSync(big, [rows[0], ...Array.from({ length: 200 }, () => rows.slice(1)).flat()].join('\n') + '\n')
  })
  it('softgrad predict ... | head -1 prints the header and exits 0 with nothing on stderr', () => {
    const r = bash(`node --import tsx src/cli.ts predict --model '${model}' --data '${big}' | head -1; exit \${PIPESTATUS[0]}`)
    expect(r.stdout).toBe('class,p_setosa,p_versicolor,p_virginica\n')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })

  it('softgrad explain | head -1 exits 0 with nothing on stderr', () => {
    const r = bash('node --import tsx src/cli.ts explain | head -1; exit ${PIPESTATUS[0]}')
    expect(r.stdout).toMatch(/^softgrad explain: one forward and one backward pass/)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
  })

  it.runIf(existsSync('/dev/full'))('softgrad predict ... > /dev/full is one line on stderr and exit 2', () => {
    const full = openSync('/dev/full', 'w')
    try {
      const r = spawnCli(['predict', '--model', model, '--data', iris], { stdio: ['ignore', full, 'pipe'] })
      expect(r.stderr).toBe('softgrad predict: cannot write the output: no space left on device (ENOSPC); free some space or write the output somewhere else\n')
      expect(r.code).toBe(2)
    } finally {
      closeSync(full)
    }
  })
})
