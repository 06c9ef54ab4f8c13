/**
 * The playground's whole state: one plain object, and its round trip through the URL's hash.
 * Everything that decides the trained model is here (data, split, network, optimiser, seed),
 * so the same URL trains the same model; so is what the page shows (temperature, the selected
 * point). Drawing reads this object and never changes it; controls.ts is what changes it.
 *
 *   readUrl('#dataset=moons&noise=0.1&lr=1000').state → { ...DEFAULTS, dataset: 'moons', noise: 0.1 }
 *   readUrl('#dataset=moons&noise=0.1&lr=1000').refusals
 *   // [{ key: 'lr', text: '1000', refused: 'The learning rate must be a number from 0.000001 to 10; 1000 is too large.' }]
 *   writeState(state) → '#dataset=moons&...'
 */
import { nn, optim, SEED_MIN, SEED_MAX } from '../src/browser.js'

export const TOY_DATASETS = ['spirals', 'moons', 'circles', 'blobs', 'xor'] as const
export type ToyName = (typeof TOY_DATASETS)[number]
/** A toy generator, or 'csv': the file named by `csvName`, which the URL names but cannot hold. */
export type DatasetName = ToyName | 'csv'

/** The names of nn.ACTIVATIONS, the table mlp builds its layers from. */
export const ACTIVATIONS = Object.keys(nn.ACTIVATIONS) as ActivationName[]
export type ActivationName = nn.ActivationName

export const OPTIMIZERS = optim.OPTIMIZERS
export type OptimizerName = optim.OptimizerName

/** The playground draws one colour a class, and has ten. */
export const MAX_CLASSES = 10

/** Each toy generator's own default noise, as toy.ts defines it; picking a dataset resets noise to it. */
export const DEFAULT_NOISE: Record<ToyName, number> = { spirals: 0.2, moons: 0.1, circles: 0.05, blobs: 1, xor: 0 }

/** The datasets that take a number of classes; the others have exactly two. */
export const MULTICLASS: readonly ToyName[] = ['spirals', 'blobs']

/** A point of the data, picked by clicking it: which part of the split, and its row there. */
export interface Selection {
  part: 'train' | 'test'
  index: number
}

export interface PlaygroundState {
  dataset: DatasetName
  /** the dropped file's name and label column, when dataset is 'csv' */
  csvName: string
  label: string
  /** toy data: number of points, classes (spirals and blobs), noise */
  points: number
  classes: number
  noise: number
  /** the fraction of rows to train on; the rest is the test set */
  trainFraction: number
  /** seeds the data, the split, the initial weights and the batch order */
  seed: number
  hidden: number[]
  activation: ActivationName
  optimizer: OptimizerName
  lr: number
  batchSize: number
  /** hold out a fifth of the training rows and fit a temperature on them (`softgrad train --calibrate`) */
  calibrate: boolean
  /** the softmax panel's temperature (display only: training uses T = 1) */
  temperature: number
  /** the point the softmax panel shows; null: the first test point */
  selected: Selection | null
}

/**
 * The page as it opens. Spirals with a 16-16 ReLU network and Adam at lr 0.01 passes 90% test
 * accuracy within about 15 epochs (a fraction of a second).
 */
export const DEFAULTS: PlaygroundState = {
  dataset: 'spirals',
  csvName: '',
  label: '',
  points: 300,
  classes: 3,
  noise: DEFAULT_NOISE.spirals,
  trainFraction: 0.8,
  seed: 0,
  hidden: [16, 16],
  activation: 'relu',
  optimizer: 'adam',
  lr: 0.01,
  batchSize: 32,
  calibrate: false,
  temperature: 1,
  selected: null,
}

/** The settings that decide the trained model: changing one starts training again from epoch 0. */
export const TRAINING_KEYS: ReadonlyArray<keyof PlaygroundState> = [
  'dataset', 'csvName', 'label', 'points', 'classes', 'noise', 'trainFraction', 'seed',
  'hidden', 'activation', 'optimizer', 'lr', 'batchSize', 'calibrate',
]

/** Does going from `a` to `b` change the model that training makes? */
export function changesTraining(a: PlaygroundState, b: PlaygroundState): boolean {
  return TRAINING_KEYS.some((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
}

// ---------------------------------------------------------------------------------------------
// Checking values: each gives the value, or says in words why the text is refused

/** What reading a field's text gives: its value, or why the text is refused, as a sentence. */
export type Reading<T> = { value: T } | { refused: string }


/**
 * A number within [min, max], whole when `integer`; `name` starts the sentence that refuses one.
 *
 *   checkNumber('1000', 'The learning rate', 1e-6, 10)
 *   // { refused: 'The learning rate must be a number from 0.000001 to 10; 1000 is too large.' }
 */
export function checkNumber(text: string, name: string, min: number, max: number, integer = false): Reading<number> {
  const rule = `${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`
  const trimmed = text.trim()
  if (trimmed === '') return { refused: `${rule}.` }
  const value = Number(trimmed)
  const why = Number.isNaN(value) ? 'not a number'
    : value < min ? 'too small'
    : value > max ? 'too large'
    : integer && !Number.isInteger(value) ? 'not a whole number'
    : null
  return why === null ? { value } : { refused: `${rule}; ${trimmed} is ${why}.` }
}

/** The most hidden layers the page builds, and the widest. */
const MAX_LAYERS = 6
const MAX_WIDTH = 256

/** '16,16' → [16, 16]; '' or '0' → [] (no hidden layer: a linear classifier); anything else is refused. */
export function parseHidden(text: string): Reading<number[]> {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed === '0') return { value: [] }
  const parts = trimmed.split(',')
  if (parts.length > MAX_LAYERS) return { refused: `At most ${MAX_LAYERS} hidden layers; ${trimmed} has ${parts.length}.` }
  const sizes: number[] = []
  for (const part of parts) {
    const size = checkNumber(part, 'Each hidden layer size', 1, MAX_WIDTH, true)
    if ('refused' in size) return { refused: part.trim() === '' ? `Hidden layer sizes are whole numbers separated by commas, such as 16,16; ${trimmed} has an empty one.` : size.refused }
    sizes.push(size.value)
  }
  return { value: sizes }
}

/** One of a few names: `oneOf('fast', 'The kernels', ['js', 'wasm'])` → { refused: 'The kernels must be one of js, wasm; fast is not.' } */
export function oneOf<T extends string>(text: string, name: string, allowed: readonly T[]): Reading<T> {
  return (allowed as readonly string[]).includes(text) ? { value: text as T } : { refused: `${name} must be one of ${allowed.join(', ')}; ${text} is not.` }
}

/** '1' → true, '0' → false, as the URL writes a switch; 'true' and 'false' are read too. */
function parseSwitch(text: string): Reading<boolean> {
  if (text === '1' || text === 'true') return { value: true }
  if (text === '0' || text === 'false') return { value: false }
  return { refused: `A switch is 1 or 0; ${text} is neither.` }
}

/** 'test.3' → { part: 'test', index: 3 } */
function parseSelection(text: string): Reading<Selection> {
  const [part, index] = text.split('.')
  const row = checkNumber(index ?? '', 'The row', 0, 1e9, true)
  if ((part !== 'train' && part !== 'test') || 'refused' in row) return { refused: `A selected point is train.N or test.N; ${text} is not.` }
  return { value: { part, index: row.value } }
}

// ---------------------------------------------------------------------------------------------
// The URL

/** How each field is read from its text (a URL parameter or a control). */
const READERS: { [K in keyof PlaygroundState]: (text: string) => Reading<PlaygroundState[K]> } = {
  dataset: (t) => oneOf<DatasetName>(t, 'The dataset', [...TOY_DATASETS, 'csv']),
  csvName: (t) => ({ value: t }),
  label: (t) => ({ value: t }),
  points: (t) => checkNumber(t, 'The number of points', 10, 5000, true),
  classes: (t) => checkNumber(t, 'The number of classes', 2, MAX_CLASSES, true),
  noise: (t) => checkNumber(t, 'The noise', 0, 10),
  trainFraction: (t) => checkNumber(t, 'The train fraction', 0.1, 0.9),
  // A seed is a whole number from SEED_MIN to SEED_MAX (0 to 2³² − 1), in the page as in the command line and the API.
  seed: (t) => checkNumber(t, 'The seed', SEED_MIN, SEED_MAX, true),
  hidden: parseHidden,
  activation: (t) => oneOf(t, 'The activation', ACTIVATIONS),
  optimizer: (t) => oneOf(t, 'The optimiser', OPTIMIZERS),
  lr: (t) => checkNumber(t, 'The learning rate', 1e-6, 10),
  batchSize: (t) => checkNumber(t, 'The batch size', 1, 10_000, true),
  calibrate: parseSwitch,
  temperature: (t) => checkNumber(t, 'The temperature', 0.05, 20),
  selected: parseSelection,
}

/** The URL text of a field's value. */
function formatValue(value: PlaygroundState[keyof PlaygroundState]): string {
  if (Array.isArray(value)) return value.length === 0 ? '0' : value.join(',') // '0': no hidden layer, as the CLI writes it
  if (value !== null && typeof value === 'object') return `${value.part}.${value.index}`
  if (typeof value === 'boolean') return value ? '1' : '0'
  return String(value)
}

/** A field's value from its text (a URL parameter or a control), or why it is refused. */
export function readField<K extends keyof PlaygroundState>(key: K, text: string): Reading<PlaygroundState[K]> {
  return READERS[key](text)
}

/** A field's value as text, as the URL and the controls show it. */
export function formatField(state: PlaygroundState, key: keyof PlaygroundState): string {
  const value = state[key]
  return value === null ? '' : formatValue(value)
}

/** A URL parameter the page did not use, and why. */
export interface UrlRefusal {
  key: keyof PlaygroundState
  text: string
  refused: string
}

/**
 * The state a URL hash describes: each field it names and allows, the defaults for the rest;
 * and the parameters it refused, so the page can say why it did not use them.
 */
export function readUrl(hash: string): { state: PlaygroundState; refusals: UrlRefusal[] } {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const state: PlaygroundState = { ...DEFAULTS }
  const refusals: UrlRefusal[] = []
  for (const key of Object.keys(READERS) as Array<keyof PlaygroundState>) {
    const text = params.get(key)
    if (text === null) continue
    const reading = readField(key, text)
    if ('refused' in reading) refusals.push({ key, text, refused: reading.refused })
    else (state as unknown as Record<string, unknown>)[key] = reading.value
  }
  return { state, refusals }
}

/** The URL hash of a state: every field, so a link keeps its meaning when the defaults change. */
export function writeState(state: PlaygroundState): string {
  const params = new URLSearchParams()
  for (const key of Object.keys(READERS) as Array<keyof PlaygroundState>) {
    const text = formatField(state, key)
    if (text !== '') params.set(key, text)
  }
  // Commas are safe in a hash; left unescaped, hidden=16,16 reads as it does in the box.
  return `#${params.toString().replace(/%2C/g, ',')}`
}
