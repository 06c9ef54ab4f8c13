/**
 * ReLU's loops, forward and backward. Where WebAssembly SIMD runs, arrays of more than a few
 * hundred values go to the twins in wasm/activations.ts instead, which give the same values
 * (see there for why they are faster: no branch for the processor to guess).
 */
import { elementwiseInWasm } from './wasm.js'

/** out[i] = x[i] > 0 ? x[i] : 0   (NaN and -0 give 0) */
export function reluKernel(x: Float64Array, out: Float64Array): void {
  if (elementwiseInWasm('reluForward', [x], out)) return
  for (let i = 0; i < out.length; i++) out[i] = x[i] > 0 ? x[i] : 0
}

/** dX[i] = out[i] > 0 ? dOut[i] : 0: the gradient flows where the unit was on. */
export function reluBackwardKernel(out: Float64Array, dOut: Float64Array, dX: Float64Array): void {
  if (elementwiseInWasm('reluBackward', [out, dOut], dX)) return
  for (let i = 0; i < dX.length; i++) dX[i] = out[i] > 0 ? dOut[i] : 0
}
