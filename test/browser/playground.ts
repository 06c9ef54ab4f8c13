/**
 * What every browser test needs: Debian's Chromium through playwright-core (never a browser
 * download), the playground opened at a URL with every page error and console error collected,
 * the numbers the page shows, and the softgrad command line run from the repository.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { inject } from 'vitest'

export const root = fileURLToPath(new URL('../..', import.meta.url))
/** Screenshots, downloads and files the tests make; not committed. */
export const resultsDir = join(root, 'test-results')
mkdirSync(resultsDir, { recursive: true })

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking'],
  })
}

export interface OpenPage {
  page: Page
  /** every uncaught page error and console error, as text: a test ends by expecting none */
  problems: string[]
  /** the address of every request the page made, from its first load on */
  requests: string[]
}

export interface OpenOptions {
  /** JavaScript to run in the page before any of its own (page.addInitScript), e.g. to take a feature away */
  initScript?: string
}

/**
 * Open the playground at `suffix`, a hash (e.g. '#dataset=moons') or a query and a hash
 * ('?kernels=js#dataset=moons'), in a fresh page that records its problems and requests.
 */
export async function openPlayground(browser: Browser, suffix = '', options: OpenOptions = {}): Promise<OpenPage> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 }, acceptDownloads: true })
  const watched = watchPage(page)
  if (options.initScript !== undefined) await page.addInitScript(options.initScript)
  await page.goto(inject('playgroundUrl') + suffix)
  await page.getByTestId('epoch').waitFor()
  return watched
}

/** Start recording a page's uncaught errors, console errors and requests (call it before goto). */
export function watchPage(page: Page): OpenPage {
  const problems: string[] = []
  const requests: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
  })
  page.on('request', (request) => requests.push(request.url()))
  return { page, problems, requests }
}

/** The text of an element by its data-testid. */
export async function textOf(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).textContent()) ?? ''
}

/** A number the page shows, as written (4 decimals for accuracies and losses). */
export async function numberOf(page: Page, testId: string): Promise<number> {
  return Number(await textOf(page, testId))
}

/** The full-precision number behind a shown one (its data-value). */
export async function exactNumberOf(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).getAttribute('data-value'))
}

/** Press Play with the test hook set to pause at `epoch`, and wait until the page has paused there. */
export async function playUntilEpoch(page: Page, epoch: number, frameBudgetMs?: number): Promise<void> {
  await page.evaluate(([e, ms]) => {
    window.softgradPlayground!.pauseAt(e)
    if (ms !== undefined) window.softgradPlayground!.setFrameBudget(ms)
  }, [epoch, frameBudgetMs] as const)
  await page.getByTestId('play').click()
  await page.waitForFunction(
    (e) => document.querySelector('[data-testid="epoch"]')?.textContent === String(e) &&
      document.querySelector('[data-testid="play"]')?.textContent === 'Play',
    epoch,
    { timeout: 60_000 },
  )
}

/** What `softgrad ...` printed and its exit code, run with tsx from the repository's source. */
export function runCli(args: string[], cwd = root): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}
