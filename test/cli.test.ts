/** The softgrad command, run as a child process the way a user runs it. */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadModel, nn } from '../src/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const tmp = mkdtempSync(join(tmpdir(), 'softgrad-cli-'))

function softgrad(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function trainJson(...args: string[]) {
  const r = softgrad('train', ...args, '--json')
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout) as { trainAccuracy: number; testAccuracy: number; loss: number; epochs: number; seconds: number }
}

describe('softgrad train reaches the README’s accuracies with its defaults (seed 0)', () => {
  it('iris ≥ 93% test accuracy', () => {
    const r = trainJson('--data', 'datasets/iris.csv', '--label', 'species')
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0.93)
    expect(r.epochs).toBe(200)
    for (const key of ['trainAccuracy', 'testAccuracy', 'loss', 'epochs', 'seconds']) expect(r).toHaveProperty(key)
  })

  it('wine ≥ 95%', () => {
    expect(trainJson('--data', 'datasets/wine.csv', '--label', 'cultivar').testAccuracy).toBeGreaterThanOrEqual(0.95)
  })

  it('digits ≥ 95%', () => {
    expect(trainJson('--data', 'datasets/digits.csv', '--label', 'digit').testAccuracy).toBeGreaterThanOrEqual(0.95)
  })

  it('spirals ≥ 97%', () => {
    expect(trainJson('--dataset', 'spirals').testAccuracy).toBeGreaterThanOrEqual(0.97)
  })
})

describe('the report, the model file and the plots', () => {
  const model = join(tmp, 'iris.safetensors')
  const plots = join(tmp, 'plots')

  it('train prints train and test accuracy and a confusion matrix with class names, and saves the model', () => {
    const r = softgrad('train', '--data', 'datasets/iris.csv', '--label', 'species', '--epochs', '60', '--out', model, '--plot', plots)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/train accuracy \d+\.\d%   test accuracy \d+\.\d%/)
    expect(r.stdout).toMatch(/true \\ predicted\s+setosa\s+versicolor\s+virginica/)
    expect(r.stdout).toContain(`saved the model to ${model}`)
    const { metadata } = loadModel(model)
    expect(metadata.classes).toEqual(['setosa', 'versicolor', 'virginica'])
    expect(metadata.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width'])
  })

  it('--plot writes the loss curves and the softmax bars as SVG, and a decision boundary for 2-D data', () => {
    for (const name of ['loss-curves.svg', 'softmax-temperatures.svg']) expect(readFileSync(join(plots, name), 'utf8')).toMatch(/^<svg/)
    const dir = join(tmp, 'moons')
    expect(softgrad('train', '--dataset', 'moons', '--epochs', '20', '--plot', dir).code).toBe(0)
    expect(readFileSync(join(dir, 'decision-boundary.svg'), 'utf8')).toMatch(/^<svg/)
  })

  it('predict prints CSV: the class and one probability column per class, read by feature name', () => {
    const shuffled = join(tmp, 'reordered.csv')
    writeFileSync(shuffled, 'petal_width,species,sepal_length,petal_length,sepal_width\n0.2,setosa,5.1,1.4,3.5\n2.3,virginica,6.7,5.7,3.3\n')
    const r = softgrad('predict', '--model', model, '--data', shuffled)
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toBe('class,p_setosa,p_versicolor,p_virginica')
    expect(lines[1].split(',')[0]).toBe('setosa')
    expect(lines[2].split(',')[0]).toBe('virginica')
    const p = lines[1].split(',').slice(1).map(Number)
    expect(p.reduce((a, b) => a + b)).toBeCloseTo(1, 12)
  })

  it('evaluate scores the model on a labelled file', () => {
    const r = softgrad('evaluate', '--model', model, '--data', 'datasets/iris.csv', '--json')
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.rows).toBe(150)
    expect(result.accuracy).toBeGreaterThan(0.9)
  })
})

describe('softgrad softmax', () => {
  it('prints the exact probabilities of 4 2 −1 at T = 3 (negative numbers are values)', () => {
    const r = softgrad('softmax', '4', '2', '-1', '--temperature', '3')
    expect(r.code).toBe(0)
    const ps = [...r.stdout.matchAll(/^\S+\s+(0\.\d{3})\s/gm)].map((m) => m[1])
    expect(ps).toEqual(['0.587', '0.302', '0.111'])
  })
})

describe('bad input ends with one clear line on stderr and exit code 2', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a missing file', ['train', '--data', 'nope.csv', '--label', 'y'], /^softgrad train: loadCsv: there is no file nope.csv/],
    ['a broken CSV', ['train', '--data', '$BAD', '--label', 'y'], /line 3, column 'b' \(2\): "zz" is not a number/],
    ['an unknown flag', ['train', '--dataset', 'moons', '--bogus'], /^softgrad train: unknown flag --bogus \(see softgrad train --help\)$/],
    ['a bad temperature', ['softmax', '1', '2', '--temperature', '0'], /^softgrad softmax: --temperature must be a number > 0, got '0'$/],
    ['a file that is not a model', ['predict', '--model', 'datasets/iris.csv', '--data', 'datasets/iris.csv'], /^softgrad predict: datasets\/iris.csv: model file: /],
    ['an unknown command', ['fly'], /^softgrad: unknown command 'fly'/],
    ['an unknown dataset', ['train', '--dataset', 'mnist'], /--dataset must be spirals, moons, circles, blobs or xor, got 'mnist'/],
  ]
  const bad = join(tmp, 'bad.csv')
  writeFileSync(bad, 'a,b,y\n1,2,x\n3,zz,y\n')
  for (const [what, args, pattern] of cases) {
    it(what, () => {
      const r = softgrad(...args.map((a) => (a === '$BAD' ? bad : a)))
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      const lines = r.stderr.trimEnd().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(pattern)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    })
  }
})

describe('help', () => {
  for (const command of ['train', 'predict', 'evaluate', 'softmax']) {
    it(`softgrad ${command} --help says how to use it`, () => {
      const r = softgrad(command, '--help')
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(new RegExp(`^Usage: softgrad ${command}`))
    })
  }

  it('softgrad --help lists the commands, and the installed bin runs', () => {
    expect(softgrad('--help').stdout).toMatch(/train\s+train a classifier/)
    expect(existsSync(join(root, 'dist/cli.js'))).toBe(true) // built by npm install / npm ci (prepare)
    const r = spawnSync(process.execPath, ['bin/softgrad.js', '--version'], { cwd: root, encoding: 'utf8' })
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version)
  })
})

describe('softgrad train with the newer optimisers', () => {
  it('--optimizer adam --schedule cosine reaches ≥ 97% test accuracy on spirals (seed 0)', () => {
    expect(trainJson('--dataset', 'spirals', '--optimizer', 'adam', '--schedule', 'cosine').testAccuracy).toBeGreaterThanOrEqual(0.97)
  })

  it('records the optimiser and schedule in the model file, and --patience stops early', () => {
    const out = join(tmp, 'adamw.safetensors')
    const r = trainJson('--dataset', 'moons', '--optimizer', 'adamw', '--schedule', 'onecycle', '--clip', '1', '--patience', '5', '--epochs', '300', '--out', out)
    expect(r.epochs).toBeLessThan(300)
    const { metadata } = loadModel(out)
    expect(metadata.hyperparameters).toMatchObject({ optimizer: 'adamw', schedule: 'onecycle', clip: 1, patience: 5, epochs: 300 })
  })

  it('bad values say what is allowed', () => {
    for (const [args, pattern] of [
      [['--optimizer', 'lbfgs'], /--optimizer must be sgd, adam, adamw or rmsprop, got 'lbfgs'/],
      [['--schedule', 'warmup'], /--schedule must be none, step, cosine, onecycle or plateau, got 'warmup'/],
      [['--clip', '-1'], /--clip must be a number > 0, got '-1'/],
      [['--patience', '0'], /--patience must be a whole number ≥ 1, got '0'/],
    ] as const) {
      const r = softgrad('train', '--dataset', 'xor', ...args)
      expect(r.code).toBe(2)
      expect(r.stderr.trim()).toMatch(pattern)
    }
  })
})

describe('calibrated confidence on the command line', () => {
  const model = join(tmp, 'moons-calibrated.safetensors')

  it('train --calibrate fits T on held-out rows, reports test ECE and NLL before and after, and saves T', () => {
    const r = trainJson('--dataset', 'moons', '--epochs', '60', '--calibrate', '--out', model) as unknown as Record<string, number>
    expect(r.temperature).toBeGreaterThan(0)
    expect(r.calibrated).toBe(true)
    for (const key of ['eceBefore', 'eceAfter', 'nllBefore', 'nllAfter']) expect(Number.isFinite(r[key])).toBe(true)
    expect(loadModel(model).metadata.temperature).toBe(r.temperature)
    const text = softgrad('train', '--dataset', 'moons', '--epochs', '20', '--calibrate', '--plot', join(tmp, 'cal'))
    expect(text.stdout).toMatch(/temperature scaling: T = \d+\.\d{4}/)
    expect(readFileSync(join(tmp, 'cal', 'reliability-after.svg'), 'utf8')).toMatch(/^<svg/)
  })

  it('predict --min-confidence marks the rows it will not decide as uncertain', () => {
    const points = join(tmp, 'points.csv')
    writeFileSync(points, 'x1,x2\n-1,0.5\n2,-0.2\n0.5,0.25\n0.6,0.2\n')
    const r = softgrad('predict', '--model', model, '--data', points, '--min-confidence', '0.9')
    expect(r.code).toBe(0)
    const rows = r.stdout.trim().split('\n').slice(1).map((l) => l.split(','))
    for (const [cls, ...ps] of rows) {
      const top = Math.max(...ps.map(Number))
      expect(cls === 'uncertain').toBe(top < 0.9)
    }
    expect(softgrad('predict', '--model', model, '--data', points, '--min-confidence', '1.5').stderr).toMatch(/--min-confidence must be a number > 0 and ≤ 1/)
  })
})

describe('seeing backprop from the command line', () => {
  it('softgrad explain prints the passes and ends with p − y beside finite differences', () => {
    const r = softgrad('explain', '--temperature', '2', '--seed', '1')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/p − y/)
    expect(softgrad('explain', '--temperature', '0').code).toBe(2)
  })

  it('softgrad graph writes the drawing of one training step’s loss', () => {
    const out = join(tmp, 'graph.svg')
    const r = softgrad('graph', '--dataset', 'xor', '--hidden', '3', '--out', out)
    expect(r.code).toBe(0)
    expect(readFileSync(out, 'utf8')).toMatch(/^<svg/)
    const bad = softgrad('graph', '--dataset', 'xor')
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
  })
})

describe('--activation is written from the one table nn.ACTIVATIONS', () => {
  const names = Object.keys(nn.ACTIVATIONS)

  for (const command of ['train', 'graph']) {
    it(`softgrad ${command} --help lists every activation with its formula, and a bad name is an error listing them all`, () => {
      const helpRows = softgrad(command, '--help').stdout.split('\n').map((line) => line.trim().split(/\s{2,}/))
      for (const [name, { formula }] of Object.entries(nn.ACTIVATIONS)) expect(helpRows).toContainEqual([name, formula])

      const out = join(tmp, `never-${command}.svg`)
      const r = softgrad(command, '--dataset', 'xor', '--out', out, '--activation', 'GELU')
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      const listed = r.stderr.match(new RegExp(`^softgrad ${command}: --activation must be (.+), got 'gelu'\n$`))
      expect(listed?.[1].split(/, | or /)).toEqual(names)
      expect(existsSync(out)).toBe(false)
    })
  }

  it('every name in the table trains, in any case', () => {
    for (const name of names) {
      const r = softgrad('train', '--dataset', 'xor', '--epochs', '1', '--activation', name.toUpperCase())
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(`(${name}), sgd`)
    }
  })
})
