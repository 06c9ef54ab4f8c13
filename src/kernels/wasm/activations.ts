// AssemblyScript (see matmul.ts): ReLU's forward and backward, two lanes at a time, branch-free.
//
// The JS twins in ../activations.ts write `x > 0 ? x : 0`: JavaScript compiles that to a
// branch, and on data whose signs are a coin toss (a layer's pre-activations) the processor
// guesses half of them wrong. Here a comparison makes a mask of all-ones or all-zeros bits per
// lane, and an AND keeps x or makes +0: the same values as the JS (NaN > 0 is false, so NaN
// gives 0 in both; -0 gives +0 in both), with no branch to guess.

/** out[i] = x[i] > 0 ? x[i] : 0 for i < n (n values of f64 at x and out). */
export function reluForward(x: usize, out: usize, n: i32): void {
  const zero = f64x2.splat(0)
  let i = 0
  for (; i + 2 <= n; i += 2) {
    const v = v128.load(x + (<usize>i << 3))
    v128.store(out + (<usize>i << 3), v128.and(v, f64x2.gt(v, zero)))
  }
  if (i < n) {
    const v = load<f64>(x + (<usize>i << 3))
    store<f64>(out + (<usize>i << 3), v > 0 ? v : 0)
  }
}

/** dX[i] = out[i] > 0 ? dOut[i] : 0 for i < n. */
export function reluBackward(out: usize, dOut: usize, dX: usize, n: i32): void {
  const zero = f64x2.splat(0)
  let i = 0
  for (; i + 2 <= n; i += 2) {
    const o = v128.load(out + (<usize>i << 3))
    const d = v128.load(dOut + (<usize>i << 3))
    v128.store(dX + (<usize>i << 3), v128.and(d, f64x2.gt(o, zero)))
  }
  if (i < n) {
    const o = load<f64>(out + (<usize>i << 3))
    store<f64>(dX + (<usize>i << 3), o > 0 ? load<f64>(dOut + (<usize>i << 3)) : 0)
  }
}
