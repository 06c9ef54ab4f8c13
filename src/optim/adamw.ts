/**
 * AdamW (Loshchilov & Hutter, 2019), exactly torch.optim.AdamW: Adam (adam.ts) with the weight
 * decay taken out of the gradient and applied to θ directly, before the Adam step:
 *
 *   θ ← θ − lr·λ·θ                        decoupled weight decay λ (torch writes θ·(1 − lr·λ))
 *   t ← t + 1
 *   m ← β₁·m + (1 − β₁)·∇θ                the moments see the bare gradient
 *   v ← β₂·v + (1 − β₂)·∇θ²
 *   v ← max(vmax, v)  (amsgrad)
 *   θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
 *
 * With Adam's coupled decay, λθ passes through the √v normalisation, so heavily-updated weights
 * are decayed less; here every weight shrinks by the same factor. The default λ is 1e-2.
 */
import type { Tensor } from '../tensor.js'
import { AdamBase, type AdamOptions } from './adam.js'

/** new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 1e-2 }) */
export class AdamW extends AdamBase {
  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    super('AdamW', params, options, 1e-2)
  }
}
