/**
 * The softmax lab's state: the logits, the temperature, the true class and the Gumbel seed, one
 * plain object that the URL serialises (`softmax.html#logits=1000,999&temperature=1`), so a
 * teacher can send a link that opens on the numbers to look at. Each field is read from text
 * with the rules the inputs use: a value, or a sentence that says why the text is refused.
 *
 *   parseLogits('4,2,-1')  // { value: [4, 2, -1] }
 *   parseLogits('4,,x')    // { refused: 'Logits are numbers separated by commas, such as 4,2,-1; 4,,x has an empty one.' }
 */
import { SEED_MIN, SEED_MAX } from '../src/random.js'
import { checkNumber, type Reading } from './state.js'

export interface LabState {
  /** z, one number a class */
  logits: number[]
  /** T: every panel reads z / T */
  temperature: number
  /** y, the true class the loss is taken against */
  label: number
  /** the seed of the Gumbel noise; Resample adds 1 (after SEED_MAX comes SEED_MIN) */
  seed: number
}

export const LAB_DEFAULTS: LabState = { logits: [4, 2, -1], temperature: 1, label: 0, seed: 0 }

/** Two classes at least (one is always certain), ten at most (the bars and the Jacobian stay readable). */
export const MIN_CLASSES = 2
export const MAX_CLASSES = 10

/** T's range: 0.001 is small enough to overflow the naive formula on 4,2,-1 (e^4000). */
export const MIN_TEMPERATURE = 0.001
export const MAX_TEMPERATURE = 1000

/** '4, 2, -1' → [4, 2, -1]; an empty one, a word, an infinite number or the wrong count is refused in words. */
export function parseLogits(text: string): Reading<number[]> {
  const trimmed = text.trim()
  const example = 'Logits are numbers separated by commas, such as 4,2,-1'
  if (trimmed === '') return { refused: `${example}.` }
  const parts = trimmed.split(',')
  const logits: number[] = []
  for (const part of parts) {
    const word = part.trim()
    if (word === '') return { refused: `${example}; ${trimmed} has an empty one.` }
    const value = Number(word)
    if (Number.isNaN(value)) return { refused: `Each logit must be a number; ${word} is not a number.` }
    if (!Number.isFinite(value)) return { refused: `Each logit must be a finite number; ${word} is too large for float64.` }
    logits.push(value)
  }
  if (logits.length < MIN_CLASSES) return { refused: `Give at least ${MIN_CLASSES} logits, such as 4,2,-1; ${trimmed} has ${logits.length}.` }
  if (logits.length > MAX_CLASSES) return { refused: `At most ${MAX_CLASSES} logits; ${trimmed} has ${logits.length}.` }
  return { value: logits }
}

export function parseTemperature(text: string): Reading<number> {
  return checkNumber(text, 'The temperature', MIN_TEMPERATURE, MAX_TEMPERATURE)
}

/** A class of `classes`: a whole number from 0 to classes − 1. */
export function parseLabel(text: string, classes: number): Reading<number> {
  return checkNumber(text, 'The true class', 0, classes - 1, true)
}

export function parseSeed(text: string): Reading<number> {
  return checkNumber(text, 'The Gumbel seed', SEED_MIN, SEED_MAX, true)
}

/** A parameter of the URL that was not used, and why. */
export interface LabUrlRefusal {
  key: keyof LabState
  text: string
  refused: string
}

/** The state a URL hash names, the defaults where it names nothing or something refused. */
export function readLabUrl(hash: string): { state: LabState; refusals: LabUrlRefusal[] } {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const state = { ...LAB_DEFAULTS }
  const refusals: LabUrlRefusal[] = []
  /** Read one parameter with its parser; the logits come first, since the label depends on their count. */
  const take = <K extends keyof LabState>(key: K, parse: (text: string) => Reading<LabState[K]>): void => {
    const text = params.get(key)
    if (text === null) return
    const reading = parse(text)
    if ('refused' in reading) refusals.push({ key, text, refused: reading.refused })
    else state[key] = reading.value
  }
  take('logits', parseLogits)
  take('temperature', parseTemperature)
  take('label', (text) => parseLabel(text, state.logits.length))
  take('seed', parseSeed)
  return { state, refusals }
}

/** '#logits=4,2,-1&temperature=3&label=0&seed=0' */
export function writeLabState(state: LabState): string {
  const params = new URLSearchParams({
    logits: state.logits.join(','),
    temperature: String(state.temperature),
    label: String(state.label),
    seed: String(state.seed),
  })
  // Commas are safe in a hash; unescaped, logits=4,2,-1 reads as it does in the box.
  return '#' + params.toString().replaceAll('%2C', ',')
}
