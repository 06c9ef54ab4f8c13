/**
 * The softmax lab's wiring: one state (read from the URL), the inputs that change it, and one
 * draw that shows every panel from labNumbers(state). A refused input is said in words under
 * it and changes nothing; whatever a draw throws is said in the page, never left uncaught.
 */
import { byTestId } from './controls.js'
import { labNumbers } from './lab-numbers.js'
import { classNames, drawBars, drawHeatmap, shown } from './lab-draw.js'
import { parseLogits, parseTemperature, readLabUrl, writeLabState, type LabState } from './lab-state.js'
import { SEED_MAX, SEED_MIN } from '../src/random.js'
import type { Reading } from './state.js'

const logitsInput = byTestId<HTMLInputElement>('lab-logits')
const temperatureInput = byTestId<HTMLInputElement>('lab-temperature')
const slider = byTestId<HTMLInputElement>('lab-temperature-slider')
const labelSelect = byTestId<HTMLSelectElement>('lab-label')
const error = byTestId<HTMLElement>('lab-error')

/** Say `sentence` in a note (null: hide it). */
function say(note: HTMLElement, sentence: string | null): void {
  note.hidden = sentence === null
  note.textContent = sentence ?? ''
}

const url = readLabUrl(location.hash)
let state: LabState = url.state

/** Show the state in the inputs; the input being typed in keeps the user's text. */
function showInputs(): void {
  if (document.activeElement !== logitsInput) logitsInput.value = state.logits.join(',')
  if (document.activeElement !== temperatureInput) temperatureInput.value = String(state.temperature)
  slider.value = String(state.temperature)
  const names = classNames(state.logits)
  labelSelect.replaceChildren(...names.map((name, k) => new Option(`class ${k} (${name})`, String(k), false, k === state.label)))
}

/** Every panel, from the numbers of the state. */
function drawLab(): void {
  const numbers = labNumbers(state)
  const names = classNames(state.logits)
  const { label } = state
  byTestId('lab-cli').textContent = `softgrad softmax ${state.logits.join(' ')} --temperature ${state.temperature}`
  drawBars(byTestId('lab-probs'), numbers.probs.values, { names, total: numbers.probs.total })
  byTestId('lab-log-probs').textContent = numbers.logProbs.map((v) => shown(v)).join(', ')
  drawBars(byTestId('lab-naive'), numbers.naive.values, { names, total: numbers.naive.total })
  drawBars(byTestId('lab-stable'), numbers.stable.values, { names, total: numbers.stable.total })
  drawHeatmap(byTestId('lab-jacobian'), numbers.jacobian, numbers.jacobianRowSums, names)
  const loss = byTestId('lab-loss')
  loss.textContent = shown(numbers.loss, 4)
  loss.dataset.value = String(numbers.loss)
  drawBars(byTestId('lab-grad'), numbers.grad, { names, signed: true, mark: label })
  drawBars(byTestId('lab-numeric'), numbers.numeric, { names, signed: true, mark: label })
  for (const name of ['sparsemax', 'hardmax', 'gumbel', 'sigmoid'] as const) {
    drawBars(byTestId(`lab-${name}`), numbers[name].values, { names, total: numbers[name].total })
  }
  byTestId('lab-gumbel-seed').textContent = String(state.seed)
}

/** Take a change: the new state goes to the URL and every panel is drawn again. */
function update(change: Partial<LabState>): void {
  state = { ...state, ...change }
  history.replaceState(null, '', writeLabState(state))
  showInputs()
  try {
    drawLab()
    say(error, null)
  } catch (e) {
    say(error, `The lab could not draw these numbers: ${e instanceof Error ? e.message : String(e)}`)
  }
}

/** On each edit of `input`, read its text: a value goes to `use`, a refusal is said under the input and nothing changes. */
function watch<T>(input: HTMLInputElement, read: (text: string) => Reading<T>, use: (value: T) => void): void {
  const note = byTestId(`${input.dataset.testid}-refused`)
  input.addEventListener('input', () => {
    const reading = read(input.value)
    const refused = 'refused' in reading
    input.setAttribute('aria-invalid', String(refused))
    say(note, refused ? reading.refused : null)
    if (!refused) use(reading.value)
  })
}

watch(logitsInput, parseLogits, (logits) => update({ logits, label: state.label < logits.length ? state.label : 0 }))
watch(temperatureInput, parseTemperature, (temperature) => update({ temperature }))
slider.addEventListener('input', () => {
  temperatureInput.setAttribute('aria-invalid', 'false')
  say(byTestId('lab-temperature-refused'), null)
  temperatureInput.value = slider.value
  update({ temperature: Number(slider.value) })
})
labelSelect.addEventListener('change', () => update({ label: Number(labelSelect.value) }))
byTestId('lab-gumbel-resample').addEventListener('click', () => update({ seed: state.seed === SEED_MAX ? SEED_MIN : state.seed + 1 }))

// A URL value that was refused is said where it would have gone; the default is used instead.
for (const { key, text, refused } of url.refusals) {
  const where = key === 'logits' || key === 'temperature' ? `lab-${key}-refused` : 'lab-url-refused'
  say(byTestId(where), `The URL's ${key}=${text} was not used. ${refused}`)
}
update({})
