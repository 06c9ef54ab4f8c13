/**
 * CSV input: a file chosen with the file input, or dropped anywhere on the page, is read as
 * text and handed on with its name (errors name the file, as the command line's do).
 */
import type { CsvFile } from './data.js'

async function readFile(file: File): Promise<CsvFile> {
  return { name: file.name, text: await file.text() }
}

/** Call `onFile` with each CSV the user picks or drops; `onError` if one cannot be read. */
export function watchCsvInput(input: HTMLInputElement, onFile: (file: CsvFile) => void, onError: (error: Error) => void): void {
  const take = (file: File | undefined) => {
    if (file !== undefined) readFile(file).then(onFile, onError)
  }
  input.addEventListener('change', () => {
    take(input.files?.[0])
    input.value = '' // so choosing the same file again is a change too
  })
  const page = document.body
  page.addEventListener('dragover', (event) => {
    event.preventDefault() // without this the browser opens the file instead of dropping it here
    page.classList.add('dragging')
  })
  page.addEventListener('dragleave', () => page.classList.remove('dragging'))
  page.addEventListener('drop', (event) => {
    event.preventDefault()
    page.classList.remove('dragging')
    take(event.dataTransfer?.files[0])
  })
}
