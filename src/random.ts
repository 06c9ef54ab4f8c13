/**
 * Seeded randomness. Every random thing in softgrad takes an optional `rng`; without one it
 * uses the default generator, which `manualSeed` reseeds (seeded 0 at start-up, as a script
 * without seeds should still be reproducible).
 */
import seedrandom from 'seedrandom'

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number

/** makeRng(42)() → the same number on every machine. `0` and `'0'` give the same stream. */
export function makeRng(seed: number | string): Rng {
  const prng = seedrandom(String(seed))
  return () => prng()
}

let defaultRng: Rng = makeRng(0)

/** Reseed the default generator, like `torch.manual_seed(seed)`. */
export function manualSeed(seed: number | string): void {
  defaultRng = makeRng(seed)
}

/** The generator to use when a caller passed none. */
export function getRng(rng?: Rng): Rng {
  return rng ?? defaultRng
}

/**
 * Run `fn` with `rng` as the default generator, then put the old one back (also on a throw):
 * for code that draws from the default and takes no rng, such as fromConfig.
 *
 *   withDefaultRng(makeRng(1), () => new nn.Linear(2, 3))   // the same weights as { rng: makeRng(1) }
 */
export function withDefaultRng<T>(rng: Rng, fn: () => T): T {
  const saved = defaultRng
  defaultRng = rng
  try {
    return fn()
  } finally {
    defaultRng = saved
  }
}

/** One standard normal sample (Box–Muller; 1 − u keeps log away from 0). */
export function normal(rng: Rng): number {
  const u = 1 - rng()
  const v = rng()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** A seeded Fisher–Yates permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n)
  for (let i = 0; i < n; i++) p[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    const t = p[i]
    p[i] = p[j]
    p[j] = t
  }
  return p
}
