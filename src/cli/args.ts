/**
 * A small, strict flag parser for the command line: `--name value`, `--name=value` and boolean
 * `--flag`. Unknown flags and a flag given twice are errors. A token like `-1` or `-2.5e3` is a
 * value (a negative number), never a flag, so `softgrad softmax 4 2 -1` works.
 */

import { orList } from './format.js'
import { checkSeed } from '../random.js'

export class UsageError extends Error {}

export interface FlagSpec {
  /** flags that take a value */
  values: readonly string[]
  /** flags that are on or off */
  booleans?: readonly string[]
}

export interface ParsedArgs {
  flags: Map<string, string | true>
  positionals: string[]
}

const NUMBER = /^-(\d|\.\d|Infinity$)/

export function parseArgs(command: string, args: readonly string[], spec: FlagSpec): ParsedArgs {
  const flags = new Map<string, string | true>()
  const positionals: string[] = []
  const values = new Set(spec.values)
  const booleans = new Set(spec.booleans ?? [])
  for (let i = 0; i < args.length; i++) {
    const token = args[i]
    if (!token.startsWith('-') || NUMBER.test(token) || token === '-') {
      positionals.push(token)
      continue
    }
    const [rawName, inline] = token.startsWith('--') ? splitOnce(token.slice(2), '=') : [token.slice(1), undefined]
    const name = rawName
    if (flags.has(name)) {
      throw new UsageError(`${command}: --${name} is given twice; give it once (see softgrad ${command} --help)`)
    }
    if (booleans.has(name)) {
      if (inline !== undefined) throw new UsageError(`${command}: --${name} takes no value (see softgrad ${command} --help)`)
      flags.set(name, true)
    } else if (values.has(name)) {
      const value = inline ?? args[++i]
      if (value === undefined || (value.startsWith('--') && inline === undefined)) {
        throw new UsageError(`${command}: --${name} needs a value (see softgrad ${command} --help)`)
      }
      flags.set(name, value)
    } else {
      throw new UsageError(`${command}: unknown flag ${token.split('=')[0]} (see softgrad ${command} --help)`)
    }
  }
  return { flags, positionals }
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const k = s.indexOf(sep)
  return k < 0 ? [s, undefined] : [s.slice(0, k), s.slice(k + 1)]
}

/** A flag's value as a number within [min, max] (integer when asked), or the default. */
export function numberFlag(
  command: string,
  args: ParsedArgs,
  name: string,
  fallback: number,
  { min = -Infinity, max = Infinity, integer = false, exclusiveMin = false }: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): number {
  const raw = args.flags.get(name)
  if (raw === undefined) return fallback
  const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN
  const lower = min > -Infinity ? `${exclusiveMin ? '>' : '≥'} ${min}` : ''
  const range = [lower, max < Infinity ? `≤ ${max}` : ''].filter((s) => s !== '').join(' and ')
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v)) || (exclusiveMin ? v <= min : v < min) || v > max) {
    throw new UsageError(`${command}: --${name} must be ${integer ? 'a whole number' : 'a number'}${range === '' ? '' : ` ${range}`}, got '${String(raw)}'`)
  }
  return v
}

/** --seed's value, checked by the API's own checkSeed (a whole number from SEED_MIN to SEED_MAX), or 0. */
export function seedFlag(command: string, args: ParsedArgs): number {
  const raw = args.flags.get('seed')
  if (typeof raw !== 'string') return 0
  // A number is checked as a number; anything else ('abc', '') is shown as typed.
  return checkSeed(raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw, command, '--seed')
}

export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name)
  return typeof v === 'string' ? v : undefined
}

/** Is `value` one of `names`? A type guard: after it, `value` has the names' type. */
export function isOneOf<T extends string>(value: string, names: readonly T[]): value is T {
  return (names as readonly string[]).includes(value)
}

/** A flag naming one of `names` (in any case), or the default; a name not among them is an error listing them. */
export function choiceFlag<T extends string>(command: string, args: ParsedArgs, name: string, names: readonly T[], fallback: T): T {
  const value = (stringFlag(args, name) ?? fallback).toLowerCase()
  if (!isOneOf(value, names)) throw new UsageError(`${command}: --${name} must be ${orList(names)}, got '${value}'`)
  return value
}

/** A command that takes no positional arguments refuses the first one: `explain extra` → exit 2, one line. */
export function refusePositionals(command: string, args: ParsedArgs): void {
  if (args.positionals.length > 0) throw new UsageError(`${command}: unexpected argument '${args.positionals[0]}' (see softgrad ${command} --help)`)
}
