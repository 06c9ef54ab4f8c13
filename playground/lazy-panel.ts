/**
 * A panel whose code loads the first time it is opened: a <details> element, closed as the page
 * opens, so what only that panel needs stays out of the page's first load. While it is open,
 * `view` is its drawing code; main.ts draws it with the other panels.
 *
 *   const network = new LazyPanel(details, () => import('./network-view.js').then(...), draw, say)
 *   network.view?.draw(experiment, selected)   // null while closed or loading
 */
export class LazyPanel<View> {
  private readonly details: HTMLDetailsElement
  private loaded: View | null = null

  /** `load` makes the view (importing its module); `ready` draws the page once it has; `failed` says why it could not. */
  constructor(details: HTMLDetailsElement, load: () => Promise<View>, ready: () => void, failed: (error: unknown) => void) {
    this.details = details
    let loading: Promise<void> | null = null
    details.addEventListener('toggle', () => {
      if (details.open) {
        loading ??= load().then((view) => {
          this.loaded = view
        })
        loading.then(ready, failed)
      }
    })
  }

  /** The panel's view while it is open and loaded, else null. */
  get view(): View | null {
    return this.details.open ? this.loaded : null
  }
}
