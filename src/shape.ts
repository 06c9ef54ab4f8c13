/** Small helpers about shapes, shared by tensors, ops and kernels. */

/** `[2,3]`: how every error message writes a shape. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`
}

/** The number of elements in a tensor of this shape (1 for a 0-d scalar). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1
  for (const d of shape) n *= d
  return n
}

/** Turn a possibly negative `dim` into 0..ndim-1, or throw naming the op. */
export function normaliseDim(dim: number, ndim: number, op: string): number {
  const d = dim < 0 ? dim + ndim : dim
  if (!Number.isInteger(dim) || d < 0 || d >= ndim) {
    throw new Error(`${op}: dim ${dim} is out of range for a tensor with ${ndim} dims (use ${-ndim}..${ndim - 1})`)
  }
  return d
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
