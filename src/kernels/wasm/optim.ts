// AssemblyScript (see matmul.ts): SGD's momentum step, two parameters at a time.
//
// The twin of the loops in ../../optim/sgd.ts after the first step. Each lane does the JS
// arithmetic in the JS order, one rounding per operation (WebAssembly never fuses a multiply
// and an add), so the parameters and the momentum buffers come out with the same bits:
//
//   g = grad + wd·θ
//   b = buf·μ + keep·g           keep = 1 − dampening;  buf ← b
//   θ = θ + negLr·(nesterov ? g + μ·b : b)      negLr = −lr
//
// The speed comes from doing two of each operation per instruction; the caller copies θ, grad
// and buf in and θ and buf out, which costs about half a nanosecond a parameter.

/** The momentum step for i < n, in place on theta and buf. */
export function sgdMomentum(
  theta: usize, grad: usize, buf: usize, n: i32,
  negLr: f64, mu: f64, keep: f64, wd: f64, nesterov: bool,
): void {
  const vNegLr = f64x2.splat(negLr)
  const vMu = f64x2.splat(mu)
  const vKeep = f64x2.splat(keep)
  const vWd = f64x2.splat(wd)
  let i = 0
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 3
    const t = v128.load(theta + at)
    const g = f64x2.add(v128.load(grad + at), f64x2.mul(vWd, t))
    const b = f64x2.add(f64x2.mul(v128.load(buf + at), vMu), f64x2.mul(vKeep, g))
    v128.store(buf + at, b)
    const step = nesterov ? f64x2.add(g, f64x2.mul(vMu, b)) : b
    v128.store(theta + at, f64x2.add(t, f64x2.mul(vNegLr, step)))
  }
  if (i < n) {
    const at = <usize>i << 3
    const t = load<f64>(theta + at)
    const g = load<f64>(grad + at) + wd * t
    const b = load<f64>(buf + at) * mu + keep * g
    store<f64>(buf + at, b)
    store<f64>(theta + at, t + negLr * (nesterov ? g + mu * b : b))
  }
}
