/** The --activation flag of train and graph: its help and its check, both written from nn.ACTIVATIONS. */
import { ACTIVATIONS, type ActivationName } from '../nn/mlp.js'
import { choiceFlag, type ParsedArgs } from './args.js'

const NAMES = Object.keys(ACTIVATIONS) as ActivationName[]

/** The help lines of --activation: the default, then each name with its formula. */
export function activationHelp(fallback: ActivationName): string {
  const width = Math.max(...NAMES.map((name) => name.length))
  const rows = NAMES.map((name) => `                           ${name.padEnd(width)}  ${ACTIVATIONS[name].formula}`)
  return [`  --activation NAME      the activation between layers (default ${fallback}):`, ...rows].join('\n')
}

/** --activation's value (in any case), or `fallback`; a name not in nn.ACTIVATIONS is an error listing them. */
export function activationFlag(command: string, args: ParsedArgs, fallback: ActivationName): ActivationName {
  return choiceFlag(command, args, 'activation', NAMES, fallback)
}
