/**
 * Numbers that arrive one at a time, as a CSV's values do, kept in float64 blocks of 65,536.
 * Memory grows with the data, a block at a time: no array twice too big, and no copy of
 * everything each time it fills. `take()` joins the blocks into one array of the exact length;
 * when the caller can tell how many values will come (a file's size says), `reserve` makes the
 * one array at once and `take()` copies nothing.
 *
 *   const values = new GrowingArray(); values.push(1.5); values.push(2); values.take() → Float64Array [1.5, 2]
 */
const BLOCK = 65536

export class GrowingArray {
  #blocks: Float64Array[] = []
  /** the last block, and how many values it holds */
  #block = new Float64Array(0)
  #used = 0
  length = 0

  push(x: number): void {
    if (this.#used === this.#block.length) this.#add(new Float64Array(BLOCK))
    this.#block[this.#used++] = x
    this.length++
  }

  /** Room for `total` values in one array (an estimate: more may still come, in blocks after it). */
  reserve(total: number): void {
    const n = this.length
    if (total <= n) return
    const all = new Float64Array(total)
    all.set(this.take())
    this.#add(all)
    this.#used = this.length = n
  }

  /** All the values in one array; the blocks are let go, so the peak is at most the values twice. */
  take(): Float64Array {
    const n = this.length
    const blocks = this.#blocks
    const last = this.#block.subarray(0, this.#used)
    this.#blocks = []
    this.#block = new Float64Array(0)
    this.#used = this.length = 0
    // One reserved array, nearly full: hand it over as it is (a view of its first n values).
    if (blocks.length === 1 && n >= 0.9 * blocks[0].length) return last
    const out = new Float64Array(n)
    let at = 0
    blocks.forEach((block, i) => {
      const values = i === blocks.length - 1 ? last : block
      out.set(values, at)
      at += values.length
    })
    return out
  }

  #add(block: Float64Array<ArrayBuffer>): void {
    this.#blocks.push(block)
    this.#block = block
    this.#used = 0
  }
}
