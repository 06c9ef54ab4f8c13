/**
 * The controls: each form element stands for one field of the state. `show` writes a state
 * into the elements; editing an element reads its text with the same rules the URL uses and
 * reports the change, or marks the element invalid and reports nothing.
 */
import {
  DEFAULT_NOISE, MULTICLASS, formatField, readField,
  type DatasetName, type PlaygroundState,
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

/** The change an edit makes; picking a toy dataset also sets that dataset's own noise. */
function changeOf(id: TestId, text: string): Partial<PlaygroundState> | undefined {
  const key = FIELDS[id]
  const value = readField(key, text)
  if (value === undefined) return undefined
  if (key === 'dataset' && value !== 'csv') return { dataset: value as DatasetName, noise: DEFAULT_NOISE[value as Exclude<DatasetName, 'csv'>] }
  return { [key]: value }
}

export class Controls {
  private readonly elements = new Map<TestId, FormElement>()
  private readonly labelField = byTestId<HTMLElement>('label-field')

  constructor(onChange: (change: Partial<PlaygroundState>) => void) {
    for (const id of Object.keys(FIELDS) as TestId[]) {
      const element = byTestId<FormElement>(id)
      this.elements.set(id, element)
      element.addEventListener('input', () => {
        const change = changeOf(id, textOf(element))
        element.setAttribute('aria-invalid', String(change === undefined))
        if (change !== undefined) onChange(change)
      })
    }
  }

  /** Show a state in the controls; the element being typed in keeps the user's text. */
  show(state: PlaygroundState): void {
    for (const [id, element] of this.elements) {
      const typing = element === document.activeElement && element instanceof HTMLInputElement && element.type !== 'range' && element.type !== 'checkbox'
      if (!typing) setText(element, formatField(state, FIELDS[id]))
      element.setAttribute('aria-invalid', 'false')
    }
    const toy = state.dataset === 'csv' ? null : state.dataset
    this.elements.get('classes')!.disabled = toy === null || !MULTICLASS.includes(toy)
    for (const id of ['points', 'noise'] as const) this.elements.get(id)!.disabled = toy === null
    this.labelField.hidden = toy !== null
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
