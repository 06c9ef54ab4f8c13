/** Standardisation: each feature column to mean 0 and standard deviation 1, fitted on train. */
import { Tensor } from '../tensor.js'

export interface ScalerState {
  mean: number[]
  scale: number[]
}

/**
 * const scaler = new StandardScaler().fit(XTrain); scaler.transform(XTest)
 *
 * As scikit-learn's: the population standard deviation (ddof 0); a constant column (such as a
 * digit image's always-blank corner pixel) scales by 1, never to NaN.
 */
export class StandardScaler {
  mean: Float64Array | null = null
  scale: Float64Array | null = null

  fit(X: Tensor): this {
    if (X.shape.length !== 2 || X.shape[0] === 0) throw new Error(`StandardScaler.fit: X must be [N, features] with N ≥ 1, got [${X.shape.join(',')}]`)
    const [n, f] = X.shape
    const mean = new Float64Array(f)
    const scale = new Float64Array(f)
    for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j] += X.data[i * f + j]
    for (let j = 0; j < f; j++) mean[j] /= n
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < f; j++) {
        const d = X.data[i * f + j] - mean[j]
        scale[j] += d * d
      }
    }
    for (let j = 0; j < f; j++) {
      const std = Math.sqrt(scale[j] / n)
      scale[j] = std > 0 ? std : 1
    }
    this.mean = mean
    this.scale = scale
    return this
  }

  /**
   * (X − mean) / scale, column by column, as a new tensor; with `{ inPlace: true }` into X's own
   * numbers, which saves a copy of a big dataset (X must then be yours alone to change).
   */
  transform(X: Tensor, { inPlace = false }: { inPlace?: boolean } = {}): Tensor {
    const { mean, scale } = this
    if (mean === null || scale === null) throw new Error('StandardScaler.transform: call fit(XTrain) first')
    const f = mean.length
    if (X.shape.length !== 2 || X.shape[1] !== f) {
      throw new Error(`StandardScaler.transform: the scaler was fitted on ${f} features, X is [${X.shape.join(',')}]`)
    }
    if (inPlace && X.requiresGrad) throw new Error('StandardScaler.transform: X requires a gradient, so its numbers cannot be changed in place')
    const x = X.data
    const out = inPlace ? x : new Float64Array(X.size)
    for (let i = 0; i < X.size; i++) {
      const j = i % f
      out[i] = (x[i] - mean[j]) / scale[j]
    }
    return inPlace ? X : new Tensor(out, X.shape.slice())
  }

  fitTransform(X: Tensor): Tensor {
    return this.fit(X).transform(X)
  }

  /** The fitted state as plain numbers (model files carry it). */
  toJSON(): ScalerState {
    if (this.mean === null || this.scale === null) throw new Error('StandardScaler.toJSON: the scaler is not fitted yet')
    return { mean: Array.from(this.mean), scale: Array.from(this.scale) }
  }

  /** The scaler a model file carried: StandardScaler.fromJSON(metadata.scaler). */
  static fromJSON(state: ScalerState): StandardScaler {
    const ok =
      Array.isArray(state?.mean) && Array.isArray(state?.scale) && state.mean.length === state.scale.length &&
      state.mean.every(Number.isFinite) && state.scale.every((s) => Number.isFinite(s) && s > 0)
    if (!ok) throw new Error('StandardScaler.fromJSON: expected { mean: number[], scale: number[] } of equal length, finite, with scale > 0')
    const s = new StandardScaler()
    s.mean = Float64Array.from(state.mean)
    s.scale = Float64Array.from(state.scale)
    return s
  }
}
