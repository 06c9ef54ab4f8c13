/**
 * Gradient clipping by the global norm, exactly torch.nn.utils.clip_grad_norm_:
 *
 *   ‖g‖ = √(Σ over every parameter's gradient of Σ g²)     one norm over all of them together
 *   g ← g · maxNorm / (‖g‖ + 1e-6)                       only when that factor is below 1
 *
 * Every gradient is scaled by the same factor, so the update keeps its direction and only its
 * length is capped. The norm is computed as torch does: each gradient's norm first, then the
 * norm of those norms.
 */
import type { Tensor } from '../tensor.js'

/** clipGradNorm(model.parameters(), 1.0) between backward() and step(); returns the norm before clipping. */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number): number {
  if (typeof maxNorm !== 'number' || !(maxNorm > 0) || maxNorm === Infinity) {
    throw new Error(`clipGradNorm: maxNorm must be a finite number > 0, got ${String(maxNorm)}`)
  }
  const grads: Float64Array[] = []
  for (const p of params) if (p.grad !== null) grads.push(p.grad.data) // parameters without a gradient are skipped
  let total = 0
  for (const g of grads) {
    let sumSq = 0
    for (let i = 0; i < g.length; i++) sumSq += g[i] * g[i]
    const norm = Math.sqrt(sumSq)
    total += norm * norm
  }
  const norm = Math.sqrt(total)
  const coefficient = maxNorm / (norm + 1e-6)
  if (coefficient < 1) {
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i] * coefficient
  }
  return norm
}
