/** softgrad train and evaluate at the edges: the files train writes, calibration that cannot fit, a million rows, many classes. */
import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadModel, toy } from '../src/index.js'
import { classCount, rowsPerClass } from '../src/train/metrics.js'
import { confusionReport, smallClassesWarning, table } from '../src/cli/format.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const tmp = mkdtempSync(join(tmpdir(), 'softgrad-edges-'))
const iris = join(root, 'datasets/iris.csv')

/** softgrad run from inside `dir`, so relative paths are the user's relative paths. */
function softgradIn(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', join(root, 'node_modules/tsx/dist/esm/index.mjs'), join(root, 'src/cli.ts'), ...args], {
    cwd: dir, encoding: 'utf8', timeout: 120_000,
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A fresh directory holding a copy of iris.csv as x.csv. */
function workDir(name: string): string {
  const dir = join(tmp, name)
  mkdirSync(dir)
  copyFileSync(iris, join(dir, 'x.csv'))
  return dir
}

const trainIris = ['train', '--data', 'x.csv', '--label', 'species', '--epochs', '2']

describe('softgrad train checks every file it will write before it trains', () => {
  it.each([
    ['./x.csv', './x.csv'],
    ['an absolute path', 'ABSOLUTE'],
    ['a symlink to it', 'link.csv'],
  ])('refuses --out %s when that is the data file, and leaves the data as it was', (_, spelling) => {
    const dir = workDir(`same-${spelling.replace(/\W/g, '')}`)
    symlinkSync('x.csv', join(dir, 'link.csv'))
    const out = spelling === 'ABSOLUTE' ? join(dir, 'x.csv') : spelling
    const r = softgradIn(dir, ...trainIris, '--out', out)
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`softgrad train: refusing to overwrite ${out}: it is the data file; save the model to a file of its own, like x.safetensors\n`)
    expect(r.stdout).toBe('') // not even the header: nothing was trained
    expect(readFileSync(join(dir, 'x.csv'))).toEqual(readFileSync(iris))
    expect(lstatSync(join(dir, 'link.csv')).isSymbolicLink()).toBe(true)
  })

  it('refuses to overwrite an existing --out that is not a model file, whatever its extension', () => {
    const dir = workDir('not-a-model')
    writeFileSync(join(dir, 'notes.csv'), 'my notes\n')
    writeFileSync(join(dir, 'fake.safetensors'), 'not safetensors at all')
    for (const name of ['notes.csv', 'fake.safetensors']) {
      const before = readFileSync(join(dir, name))
      const r = softgradIn(dir, ...trainIris, '--out', name)
      expect(r.code).toBe(2)
      expect(r.stderr).toBe(`softgrad train: refusing to overwrite ${name}: it is not a model file\n`)
      expect(readFileSync(join(dir, name))).toEqual(before)
    }
  })

  it('replaces an existing model file, and through a symlink writes the target so the link stays a link', () => {
    const dir = workDir('replace')
    expect(softgradIn(dir, ...trainIris, '--out', 'models/m.safetensors').code).toBe(0)
    symlinkSync('models/m.safetensors', join(dir, 'link.safetensors'))
    const r = softgradIn(dir, 'train', '--data', 'x.csv', '--label', 'species', '--epochs', '3', '--out', 'link.safetensors')
    expect(r.code).toBe(0)
    expect(lstatSync(join(dir, 'link.safetensors')).isSymbolicLink()).toBe(true)
    expect(loadModel(join(dir, 'models/m.safetensors')).metadata.hyperparameters!.epochs).toBe(3)
    expect(readdirSync(join(dir, 'models'))).toEqual(['m.safetensors']) // no temp file left beside it
  })

  it('creates a missing directory for --out, as --plot does', () => {
    const dir = workDir('mkdir')
    const r = softgradIn(dir, ...trainIris, '--out', 'new/deeper/m.safetensors')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('saved the model to new/deeper/m.safetensors')
    expect(loadModel(join(dir, 'new/deeper/m.safetensors')).metadata.classes).toEqual(['setosa', 'versicolor', 'virginica'])
  })

  it('says before training that --out is a directory, --plot is a file, or --out’s directory cannot be made', () => {
    const dir = workDir('wrong-kind')
    mkdirSync(join(dir, 'models'))
    writeFileSync(join(dir, 'plot.svg'), '<svg/>')
    const cases: [string[], string][] = [
      [['--out', 'models'], '--out models is a directory; give the model a file name, like models/model.safetensors'],
      [['--plot', 'plot.svg'], '--plot plot.svg is a file; --plot takes a directory to write the SVG files into, like plots'],
      [['--out', 'plot.svg/m.safetensors'], 'cannot make the directory for --out plot.svg/m.safetensors: plot.svg is a file, not a directory'],
      [['--plot', 'plot.svg/plots'], 'cannot make the directory for --plot plot.svg/plots: plot.svg is a file, not a directory'],
    ]
    for (const [flags, message] of cases) {
      const r = softgradIn(dir, ...trainIris, ...flags)
      expect(r).toEqual({ code: 2, stdout: '', stderr: `softgrad train: ${message}\n` })
    }
    expect(readFileSync(join(dir, 'plot.svg'), 'utf8')).toBe('<svg/>')
  })
})

describe('nothing after training discards the model', () => {
  it('--calibrate with every held-out row already right warns, keeps T = 1 and saves (exit 0)', () => {
    const dir = workDir('calibrate')
    const r = softgradIn(dir, 'train', '--dataset', 'blobs', '--calibrate', '--out', 'b.safetensors')
    expect(r.code).toBe(0)
    expect(r.stderr).toBe(
      'softgrad train: warning: --calibrate could not fit a temperature: the model already classifies every one of the 48 held-out rows right, ' +
        'so no finite T fits them; keeping T = 1\n',
    )
    expect(r.stdout).toContain('temperature scaling: no temperature could be fitted, so T = 1')
    expect(r.stdout).toContain('saved the model to b.safetensors')
    const { model, metadata } = loadModel(join(dir, 'b.safetensors'))
    expect(metadata.temperature).toBeUndefined()
    expect(model.calibratedTemperature).toBeUndefined()
    const json = softgradIn(dir, 'train', '--dataset', 'blobs', '--calibrate', '--out', 'b.safetensors', '--json')
    expect(json.code).toBe(0)
    expect(JSON.parse(json.stdout)).toMatchObject({ calibrated: false, temperature: 1 })
  })
})

describe('no spread over data: a million rows', () => {
  const n = 1_000_000

  it.each(['spirals', 'moons', 'circles', 'blobs', 'xor'] as const)('toy.%s makes a million rows, and classCount counts their classes', (name) => {
    const { X, y } = toy[name]({ n, seed: 1 })
    expect(X.shape).toEqual([n, 2])
    expect(classCount(y)).toBe(name === 'spirals' || name === 'blobs' ? 3 : 2)
  })

  it('toy.manyBlobs makes a million rows of 1000 classes', () => {
    const { X, y } = toy.manyBlobs({ n, dim: 2, seed: 1 })
    expect(X.shape).toEqual([n, 2])
    expect(classCount(y)).toBe(1000)
    expect(rowsPerClass(y, 1000).every((rows) => rows === 1000)).toBe(true)
  })

  it('the report’s helpers take a million rows or classes', () => {
    const labels = new Int32Array(n).map((_, i) => i)
    expect(classCount(labels)).toBe(n)
    const counts = rowsPerClass(labels, n)
    expect(smallClassesWarning(counts, Array.from({ length: n }, (_, k) => `c${k}`), 'in x.csv', 'why')).toBe(
      "warning: 1000000 classes have fewer than 2 rows in x.csv ('c0' 1, 'c1' 1, 'c2' 1, 'c3' 1, 'c4' 1, and 999995 more); why",
    )
    const lines = table(['row', 'value'], Array.from({ length: n }, (_, i) => [`r${i}`, String(i)])).split('\n')
    expect(lines).toHaveLength(n + 1)
    expect(lines[n]).toBe(`r${n - 1}`.padEnd(7) + '  ' + String(n - 1).padStart(6))
  })

  it('softgrad train --dataset xor --n 130000 (once Maximum call stack size exceeded) and --n 1000000 train', () => {
    for (const rows of ['130000', '1000000']) {
      const r = softgradIn(tmp, 'train', '--dataset', 'xor', '--n', rows, '--epochs', '1', '--batch-size', '4096', '--hidden', '4', '--json')
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout).confusion.flat().reduce((a: number, b: number) => a + b)).toBe(Number(rows) / 5)
    }
  })
})

describe('the text report', () => {
  it('says when early stopping ended the run, and which epoch’s weights the model keeps', () => {
    const json = JSON.parse(softgradIn(tmp, 'train', '--dataset', 'spirals', '--patience', '5', '--json').stdout)
    expect(json.epochs).toBeLessThan(200)
    const r = softgradIn(tmp, 'train', '--dataset', 'spirals', '--patience', '5')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`stopped early at epoch ${json.epochs} of 200: the validation loss did not improve for 5 epochs\n`)
    expect(r.stdout).toMatch(new RegExp(`the model keeps the weights of epoch ${json.epochs - 5}, whose validation loss \\d\\.\\d{4} was the lowest`))
  })

  it('says nothing of early stopping when the run used every epoch', () => {
    const r = softgradIn(tmp, 'train', '--dataset', 'spirals', '--patience', '500', '--epochs', '20')
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain('stopped early')
  })

  /** A CSV of `classes` well-separated classes, `rows` rows each, labelled k0, k1, …; class k0 gets `first` rows. */
  function manyClasses(name: string, classes: number, rows: number, first = rows): string {
    const path = join(tmp, name)
    const lines = ['a,b,label']
    for (let k = 0; k < classes; k++) for (let i = 0; i < (k === 0 ? first : rows); i++) lines.push(`${k},${(k * 7919) % classes},k${k}`)
    writeFileSync(path, lines.join('\n') + '\n')
    return path
  }

  it('prints the confusion matrix up to 20 classes, and above that the most frequent confusions and per-class scores', () => {
    const twenty = softgradIn(tmp, 'train', '--data', manyClasses('c20.csv', 20, 5), '--label', 'label', '--epochs', '1')
    expect(twenty.code).toBe(0)
    expect(twenty.stdout).toContain('confusion matrix on the 20 test rows:\ntrue \\ predicted  k0  k1')

    const data = manyClasses('c500.csv', 500, 5)
    const out = join(tmp, 'c500.safetensors')
    const r = softgradIn(tmp, 'train', '--data', data, '--label', 'label', '--epochs', '1', '--out', out)
    expect(r.code).toBe(0)
    expect(r.stdout).not.toContain('true \\ predicted')
    expect(r.stdout).toContain('the most frequent confusions on the 500 test rows (500 classes are too many for a confusion matrix; --json prints it whole):\ntrue')
    expect(r.stdout).toMatch(/\nk499 +\d+\.\d% +\d+\.\d% +1\n/) // the per-class table has every class
    expect(r.stdout.length).toBeLessThan(40_000) // was 1.5 MB
    const json = JSON.parse(softgradIn(tmp, 'train', '--data', data, '--label', 'label', '--epochs', '1', '--json').stdout)
    expect(json.confusion).toHaveLength(500)
    expect(json.confusion[0]).toHaveLength(500)

    const evaluated = softgradIn(tmp, 'evaluate', '--model', out, '--data', data)
    expect(evaluated.code).toBe(0)
    expect(evaluated.stdout).toContain('the most frequent confusions on the 2500 rows (500 classes are too many')
    expect(evaluated.stdout).toMatch(/\nk499 +\d+\.\d% +\d+\.\d% +5\n/)
    expect(evaluated.stdout.length).toBeLessThan(40_000)
  })

  it('lists the most frequent confusions, largest first', () => {
    const classes = Array.from({ length: 21 }, (_, k) => `c${k}`)
    const confusion = classes.map((_, t) => classes.map((_, p): number => (t === p ? 10 : 0)))
    confusion[3][4] = 7
    confusion[5][1] = 9
    expect(confusionReport(confusion, classes, 'the test rows', 2)).toBe(
      'the most frequent confusions on the test rows (21 classes are too many for a confusion matrix; --json prints it whole):\n' +
        'true  predicted  rows\nc5           c1     9\nc3           c4     7',
    )
    confusion[0][1] = 1
    expect(confusionReport(confusion, classes, 'the test rows', 2)).toMatch(/c3           c4     7\n… and 1 more pairs of classes confused$/)
  })

  it('warns on stderr of a class with fewer than 2 rows, in train and in evaluate', () => {
    const data = manyClasses('lonely.csv', 3, 20, 1)
    const out = join(tmp, 'lonely.safetensors')
    const r = softgradIn(tmp, 'train', '--data', data, '--label', 'label', '--epochs', '1', '--out', out)
    expect(r.code).toBe(0)
    expect(r.stderr).toBe(`softgrad train: warning: class 'k0' has 1 row in ${data}; a class needs at least 2 rows, one to learn from and one to test on\n`)
    const evaluated = softgradIn(tmp, 'evaluate', '--model', out, '--data', data)
    expect(evaluated.code).toBe(0)
    expect(evaluated.stderr).toBe("softgrad evaluate: warning: class 'k0' has 1 row among the 41 rows; a recall on fewer than 2 rows says little\n")
  })
})
