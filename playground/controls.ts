/**
 * The controls: each form element stands for one field of the state. `show` writes a state
 * into the elements; editing an element reads its text with the same rules the URL uses and
 * reports the change, or marks the element invalid, says under it in words why, and reports
 * nothing, so a refused value is never used.
 */
import { nn } from '../src/browser.js'
import {
  DEFAULT_NOISE, MULTICLASS, formatField, readField,
  type DatasetName, type PlaygroundState, type Reading, type UrlRefusal,
} from './state.js'

type FormElement = HTMLInputElement | HTMLSelectElement

/** Which field of the state each control (by data-testid) edits. */
const FIELDS = {
  dataset: 'dataset',
  classes: 'classes',
  points: 'points',
  noise: 'noise',
  'train-fraction': 'trainFraction',
  seed: 'seed',
  label: 'label',
  hidden: 'hidden',
  activation: 'activation',
  optimizer: 'optimizer',
  lr: 'lr',
  'batch-size': 'batchSize',
  calibrate: 'calibrate',
  temperature: 'temperature',
} as const satisfies Record<string, keyof PlaygroundState>

type TestId = keyof typeof FIELDS

export function byTestId<T extends HTMLElement>(id: string): T {
  const element = document.querySelector<T>(`[data-testid="${id}"]`)
  if (element === null) throw new Error(`playground: index.html has no element with data-testid="${id}"`)
  return element
}

/** A control's value as the URL spells it: a checkbox is '1' or '0'. */
function textOf(element: FormElement): string {
  if (element instanceof HTMLInputElement && element.type === 'checkbox') return element.checked ? '1' : '0'
  return element.value
}

/** Show a field's URL text in its control. */
function setText(element: FormElement, text: string): void {
  if (element instanceof HTMLInputElement && element.type === 'checkbox') element.checked = text === '1'
  else element.value = text
}

/** The change an edit makes, or why its text is refused; picking a toy dataset also sets that dataset's own noise. */
function changeOf(id: TestId, text: string): Reading<Partial<PlaygroundState>> {
  const key = FIELDS[id]
  const reading = readField(key, text)
  if ('refused' in reading) return reading
  const value = reading.value
  if (key === 'dataset' && value !== 'csv') return { value: { dataset: value as DatasetName, noise: DEFAULT_NOISE[value as Exclude<DatasetName, 'csv'>] } }
  return { value: { [key]: value } }
}

/** The control (by data-testid) that edits a field of the state, if one does. */
function controlOf(key: keyof PlaygroundState): TestId | undefined {
  return (Object.keys(FIELDS) as TestId[]).find((id) => FIELDS[id] === key)
}

/** The sentence under a control that says why its text is refused: `<p data-testid="lr-refused">`, hidden until then. */
function refusalNote(element: FormElement, id: TestId): HTMLElement {
  const note = document.createElement('p')
  note.className = 'refusal'
  note.id = `${id}-refused`
  note.dataset.testid = note.id
  note.setAttribute('role', 'status')
  note.hidden = true
  element.setAttribute('aria-describedby', note.id)
  const label = element.closest('label') ?? element
  label.after(note)
  return note
}

/** The activation picker offers each row of nn.ACTIVATIONS, the table mlp builds from; its formula is the tooltip. */
function offerActivations(select: HTMLSelectElement): void {
  select.replaceChildren(
    ...Object.entries(nn.ACTIVATIONS).map(([name, { formula }]) => {
      const option = document.createElement('option')
      option.value = name
      option.textContent = name
      option.title = formula
      return option
    }),
  )
}

export class Controls {
  private readonly elements = new Map<TestId, FormElement>()
  private readonly notes = new Map<TestId, HTMLElement>()
  private readonly labelField = byTestId<HTMLElement>('label-field')

  constructor(onChange: (change: Partial<PlaygroundState>) => void) {
    offerActivations(byTestId<HTMLSelectElement>('activation'))
    for (const id of Object.keys(FIELDS) as TestId[]) {
      const element = byTestId<FormElement>(id)
      this.elements.set(id, element)
      this.notes.set(id, refusalNote(element, id))
      element.addEventListener('input', () => {
        const change = changeOf(id, textOf(element))
        const refused = 'refused' in change
        element.setAttribute('aria-invalid', String(refused))
        this.say(id, refused ? change.refused : null)
        if (!refused) onChange(change.value)
      })
    }
  }

  /** Show a state in the controls; the element being typed in keeps the user's text. Clears every refusal. */
  show(state: PlaygroundState): void {
    for (const [id, element] of this.elements) {
      const typing = element === document.activeElement && element instanceof HTMLInputElement && element.type !== 'range' && element.type !== 'checkbox'
      if (!typing) setText(element, formatField(state, FIELDS[id]))
      element.setAttribute('aria-invalid', 'false')
      this.say(id, null)
    }
    const toy = state.dataset === 'csv' ? null : state.dataset
    this.elements.get('classes')!.disabled = toy === null || !MULTICLASS.includes(toy)
    for (const id of ['points', 'noise'] as const) this.elements.get(id)!.disabled = toy === null
    this.labelField.hidden = toy !== null
  }

  /** Say under its control why a parameter of the URL was not used; the control shows the value used instead. */
  showUrlRefusal({ key, text, refused }: UrlRefusal): void {
    const id = controlOf(key)
    if (id !== undefined) this.say(id, `The URL's ${key}=${text} was not used. ${refused}`)
  }

  /** The sentence under a control (null: none). */
  private say(id: TestId, sentence: string | null): void {
    const note = this.notes.get(id)!
    note.hidden = sentence === null
    note.textContent = sentence ?? ''
  }

  /** Offer the loaded CSV in the dataset picker (or take it away with null). */
  setCsvOption(name: string | null): void {
    const select = this.elements.get('dataset') as HTMLSelectElement
    select.querySelector('option[value="csv"]')?.remove()
    if (name === null) return
    const option = document.createElement('option')
    option.value = 'csv'
    option.textContent = `CSV: ${name}`
    select.append(option)
  }

  /** The columns the label picker offers: a CSV's header. */
  setLabelColumns(names: string[]): void {
    const select = this.elements.get('label') as HTMLSelectElement
    select.replaceChildren(
      ...names.map((name) => {
        const option = document.createElement('option')
        option.value = name
        option.textContent = name
        return option
      }),
    )
  }
}
