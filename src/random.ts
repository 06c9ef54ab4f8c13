/**
 * Seeded randomness. Every random thing in softgrad takes an optional `rng`; without one it
 * uses the default generator, which `manualSeed` reseeds (seeded 0 at start-up, as a script
 * without seeds should still be reproducible).
 */
import seedrandom from 'seedrandom'

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number

/** The smallest seed. A seed is a whole number from SEED_MIN to SEED_MAX, in the API, the CLI and the playground. */
export const SEED_MIN = 0
/** The largest seed, 2³² − 1: every seed fits an unsigned 32-bit integer, as NumPy's do. */
export const SEED_MAX = 4294967295

/**
 * The one check of a seed: checkSeed(7, 'toy.spirals') → 7; 1.5, -1, 2³², NaN or '7' throw an
 * error that names `where` and the range. `name` is what the caller calls it ('--seed' in the CLI).
 */
export function checkSeed(seed: unknown, where: string, name = 'seed'): number {
  if (typeof seed === 'number' && Number.isInteger(seed) && seed >= SEED_MIN && seed <= SEED_MAX) return seed
  const got = typeof seed === 'string' ? `'${seed}'` : String(seed)
  throw new RangeError(
    `${where}: ${name} must be a whole number from ${SEED_MIN} to ${SEED_MAX}, got ${got}; ` +
      'a seed only names a random stream, so any whole number in that range gives a reproducible run',
  )
}

/** makeRng(42)() → the same number on every machine. `0` and `'0'` give the same stream; a number must pass checkSeed. */
export function makeRng(seed: number | string): Rng {
  const prng = seedrandom(String(typeof seed === 'string' ? seed : checkSeed(seed, 'makeRng')))
  return () => prng()
}

let defaultRng: Rng = makeRng(0)

/** Reseed the default generator, like `torch.manual_seed(seed)`; a number must pass checkSeed. */
export function manualSeed(seed: number | string): void {
  defaultRng = makeRng(typeof seed === 'string' ? seed : checkSeed(seed, 'manualSeed'))
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
