/**
 * topologicalOrder: the tensors a result was made from, inputs before outputs. backward walks
 * it in reverse; drawGraph and the trace walk it forwards, following every input.
 */
import type { Tensor } from './tensor.js'

export interface WalkOptions {
  /** which inputs to walk into (default: those that need grad, which is what backward walks) */
  follow?: (input: Tensor) => boolean
  /**
   * Among an op's inputs, put the first one's branch first (drawings read left to right). The
   * default, the last input's branch first, is backward's order: the order in which it adds a
   * tensor's gradient contributions, which matches PyTorch's sums to the bit.
   */
  firstInputFirst?: boolean
}

/**
 * The tensors `root` was made from, inputs before outputs. An explicit stack instead of
 * recursion, so a chain of 100,000 ops is fine.
 */
export function topologicalOrder(root: Tensor, { follow = (input) => input.requiresGrad, firstInputFirst = false }: WalkOptions = {}): Tensor[] {
  const order: Tensor[] = []
  const visited = new Set<Tensor>()
  const stack: Array<[Tensor, boolean]> = [[root, false]]
  while (stack.length > 0) {
    const [t, inputsDone] = stack.pop()!
    if (inputsDone) {
      order.push(t)
      continue
    }
    if (visited.has(t)) continue
    visited.add(t)
    stack.push([t, true])
    // The stack pops the last push first.
    const inputs = t.node?.inputs ?? []
    const pushOrder = firstInputFirst ? [...inputs].reverse() : inputs
    for (const input of pushOrder) if (follow(input) && !visited.has(input)) stack.push([input, false])
  }
  return order
}
