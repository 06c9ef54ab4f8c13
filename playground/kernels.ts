/**
 * Which kernels train: the URL's query may ask for them (`?kernels=js` or `?kernels=wasm`), and
 * the footer says which run. The JS and WebAssembly kernels give the same bits (src/kernels/
 * wasm.ts), so the choice changes only the speed: it is not part of the experiment the hash
 * holds, and `?kernels=js#...` trains the same model, epoch for epoch, as `#...`.
 *
 *   readKernels('?kernels=js')   → { value: 'js' }
 *   readKernels('?kernels=fast') → { refused: 'The kernels must be one of js, wasm; fast is not.' }
 *   readKernels('?dataset=moons') → null (none asked for: the default, WebAssembly where it loads)
 */
import { kernelsInfo, setKernels, type KernelsInfo, type KernelsName } from '../src/browser.js'
import { oneOf, type Reading } from './state.js'

const KERNELS: readonly KernelsName[] = ['js', 'wasm']

/** The kernels a URL's query asks for, or why its `kernels` is refused; null when it names none. */
export function readKernels(search: string): Reading<KernelsName> | null {
  const text = new URLSearchParams(search).get('kernels')
  return text === null ? null : oneOf(text, 'The kernels', KERNELS)
}

/**
 * Ask for the kernels the URL's query names; call it before anything trains. Returns the
 * sentence that says why they were not used (a wrong name, or WebAssembly that cannot run
 * here: setKernels says why), or null.
 */
export function useUrlKernels(search: string): string | null {
  const reading = readKernels(search)
  if (reading === null) return null
  const asked = `The URL's kernels=${new URLSearchParams(search).get('kernels')} was not used.`
  if ('refused' in reading) return `${asked} ${reading.refused}`
  try {
    setKernels(reading.value)
    return null
  } catch (e) {
    return `${asked} ${e instanceof Error ? e.message : String(e)}`
  }
}

/** 'kernels: WebAssembly SIMD', or 'kernels: JS (why)'. */
export function describeKernels(info: KernelsInfo): string {
  if (info.active === 'wasm') return 'kernels: WebAssembly SIMD'
  // In the page only the URL calls setKernels: say so in its words rather than "setKernels('js')".
  return `kernels: JS (${info.requested === 'js' ? 'kernels=js in the URL' : info.reason})`
}

/** How often to look again while the WebAssembly kernels compile in the background. */
const LOADING_RECHECK_MS = 100

/** Show which kernels run (text, and `data-active` js or wasm); while WebAssembly compiles, look again until it is ready. */
export function showKernels(element: HTMLElement): void {
  const info = kernelsInfo()
  element.textContent = describeKernels(info)
  element.dataset.active = info.active
  if (info.wasm === 'loading') setTimeout(() => showKernels(element), LOADING_RECHECK_MS)
}
