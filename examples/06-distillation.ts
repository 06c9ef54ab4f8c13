// 06 · temperature and knowledge distillation: a big teacher's softmax at T > 1 shows which wrong digits look alike
// ("dark knowledge"); a small student learns from those soft targets and is compared with one trained on hard labels.
import { fileURLToPath } from 'node:url'
import { StandardScaler, Tensor, evaluate, fit, loadCsv, makeRng, nn, optim, predict, trainTestSplit } from '../src/index.js'

const quick = process.env.SOFTGRAD_QUICK === '1' // the test suite runs a short version of every example
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

/** A table: the first column left-aligned, the others right-aligned, two spaces apart. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]): string => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ')
  return [line(header), ...rows.map(line)].map((l) => '   ' + l.trimEnd()).join('\n')
}

// The digits, split and standardised as in example 05.
const csvPath = fileURLToPath(new URL('../datasets/digits.csv', import.meta.url))
const { X, y, classes } = loadCsv(csvPath, { label: 'digit' })
const { XTrain, yTrain, XTest, yTest } = trainTestSplit(X, y, { testFraction: 0.2, seed: 0 })
const scaler = new StandardScaler().fit(XTrain)
const train = { X: scaler.transform(XTrain), y: yTrain }
const test = { X: scaler.transform(XTest), y: yTest }
const countParameters = (m: nn.Module): number => m.parameters().reduce((n, p) => n + p.size, 0)

// ── 1. The teacher: big, trained on hard labels ─────────────────────────────────────────────
const rng = makeRng(0)
const teacher = new nn.Sequential(
  new nn.Linear(64, 128, { rng }), new nn.ReLU(),
  new nn.Linear(128, 128, { rng }), new nn.ReLU(),
  new nn.Linear(128, 10, { rng }),
)
const teacherEpochs = quick ? 3 : 30
fit(teacher, train, { optimizer: new optim.SGD(teacher.parameters(), { lr: 0.05, momentum: 0.9 }), epochs: teacherEpochs, batchSize: 32, seed: 0 })
console.log(`teacher 64-128-128-10 (${countParameters(teacher)} parameters), ${teacherEpochs} epochs: test accuracy ${pct(evaluate(teacher, test).accuracy)}`)

// ── 2. Dark knowledge: one training image's targets ─────────────────────────────────────────
const T = 4
const example = yTrain.indexOf(3) // the first 3 among the training images
const exampleX = new Tensor(train.X.data.slice(example * 64, example * 64 + 64), [1, 64])
const at = (temperature: number): number[] => Array.from(predict(teacher, exampleX, { temperature }).probs.data)
console.log(`\nThe targets for training image ${example}, a ${classes[yTrain[example]]}:\n`)
console.log(table(
  ['', ...classes],
  [
    ['hard label (one-hot)', ...classes.map((_, k) => (k === yTrain[example] ? '1' : '0'))],
    ['teacher, T = 1', ...at(1).map((p) => p.toFixed(3))],
    [`teacher, T = ${T}`, ...at(T).map((p) => p.toFixed(3))],
  ],
))
const soft1 = at(1)
const aDigit = (name: string): string => (name === '8' ? `an ${name}` : `a ${name}`)
const othersAtT1 = Math.max(...soft1.filter((_, k) => k !== yTrain[example]))
const runnerUp = at(T).map((p, k) => [p, k] as const).filter(([, k]) => k !== yTrain[example]).sort((a, b) => b[0] - a[0])[0]
console.log(`\n   At T = 1 the teacher gives the 3 p = ${soft1[yTrain[example]].toFixed(3)} and no other digit more than ${othersAtT1.toFixed(3)};`)
console.log(`   at T = ${T} the small probabilities show: this 3 looks most like ${aDigit(classes[runnerUp[1]])} (p = ${runnerUp[0].toFixed(3)}).`)
console.log('   A hard label says only "3"; soft targets also say what the image resembles, and how much.')

// ── 3. Two small students ───────────────────────────────────────────────────────────────────
/** The same small student every time: the same architecture, the same initial weights. */
const makeStudent = (): nn.Sequential => {
  const r = makeRng(1)
  return new nn.Sequential(new nn.Linear(64, 16, { rng: r }), new nn.ReLU(), new nn.Linear(16, 10, { rng: r }))
}
/** Hinton's distillation loss: cross-entropy against the teacher's softmax at T, times T² so the gradients keep their size as T grows. */
function distillationLoss(temperature: number): nn.Loss {
  const crossEntropy = new nn.SoftmaxCrossEntropy({ temperature })
  return { forward: (logits, softTargets) => crossEntropy.forward(logits, softTargets).mul(temperature * temperature) }
}
const studentEpochs = quick ? 3 : 30
const studentOptions = { epochs: studentEpochs, batchSize: 32, seed: 0 }
const sgd = (m: nn.Module): optim.SGD => new optim.SGD(m.parameters(), { lr: 0.02, momentum: 0.9 })

/** Train one student on hard labels and one per temperature on the teacher's soft targets; return the models. */
function trainStudents(Xs: Tensor, ys: Int32Array, temperatures: number[]): Array<[string, nn.Sequential]> {
  const hard = makeStudent()
  fit(hard, { X: Xs, y: ys }, { ...studentOptions, optimizer: sgd(hard) })
  const students: Array<[string, nn.Sequential]> = [['hard labels', hard]]
  for (const temperature of temperatures) {
    const softTargets = predict(teacher, Xs, { temperature }).probs // [N, 10], each row sums to 1
    const student = makeStudent()
    fit(student, { X: Xs, y: softTargets }, { ...studentOptions, loss: distillationLoss(temperature), optimizer: sgd(student) })
    students.push([`soft targets, T = ${temperature}`, student])
  }
  return students
}
const temperatures = [1, 2, 4, 8]
const started = performance.now()
const students = trainStudents(train.X, yTrain, temperatures)
const student = students[0][1]
console.log(`\nStudents: 64-16-10 (${countParameters(student)} parameters, ${Math.round(countParameters(teacher) / countParameters(student))}× smaller),` +
  ` the same initial weights, SGD lr 0.02, momentum 0.9, ${studentEpochs} epochs`)
console.log('trained on all training images, with the hard labels or with the teacher\'s soft targets:\n')
const results = students.map(([name, m]) => [name, evaluate(m, test).accuracy] as const)
console.log(table(['student trained on', 'test accuracy'], results.map(([name, acc]) => [name, pct(acc)])))
const hardAccuracy = results[0][1]
const bestSoft = results.slice(1).reduce((a, b) => (b[1] > a[1] ? b : a))
const compare = bestSoft[1] > hardAccuracy ? 'above' : bestSoft[1] < hardAccuracy ? 'below' : 'level with'
console.log(`\n   The best distilled student (${bestSoft[0]}) is ${compare} the hard-label student: ${pct(bestSoft[1])} vs ${pct(hardAccuracy)}.`)
if (compare !== 'above') console.log('   With every digit well represented, the hard labels taught this student as much as the soft targets did.')

// ── 4. Hinton's experiment: a student that never sees a 3 ───────────────────────────────────
const keep: number[] = []
for (let i = 0; i < yTrain.length; i++) if (yTrain[i] !== 3) keep.push(i)
const noThreesX = new Tensor(new Float64Array(keep.length * 64), [keep.length, 64])
keep.forEach((row, i) => noThreesX.data.set(train.X.data.subarray(row * 64, row * 64 + 64), i * 64))
const noThreesY = Int32Array.from(keep, (row) => yTrain[row])
const blind = trainStudents(noThreesX, noThreesY, temperatures)
const threes = yTest.filter((d) => d === 3).length
console.log(`\nNow the students train on the ${keep.length} training images that are not a 3 (the teacher still saw them all).`)
console.log(`The hard-label student cannot know 3 exists; what can the soft targets teach about 3s? (${threes} 3s in the test set)\n`)
console.log(table(
  ['student trained on', 'test accuracy', 'test 3s recognised'],
  blind.map(([name, m]) => {
    const { accuracy, confusion } = evaluate(m, test)
    return [name, pct(accuracy), `${confusion[3][3]} of ${threes} (${pct(confusion[3][3] / threes)})`]
  }),
))
console.log('\n   Every 3 a distilled student recognises, it learned from how much the other digits looked like a 3')
console.log('   to the teacher. A higher T shows more of those small probabilities (Hinton, Vinyals and Dean 2015).')
console.log(`\n(students trained in ${((performance.now() - started) / 1000).toFixed(1)} s)`)
