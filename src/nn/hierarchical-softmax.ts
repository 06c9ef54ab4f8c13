/**
 * A two-level hierarchical softmax (Goodman 2001): the classes are split into clusters, and
 *
 *   log p(c | h) = log p(k | h) + log p(c | k, h)        k = the cluster of c
 *   p(k | h)    = softmax(h·Vᵀ + a)  over the K clusters      V [K, d]: cluster.weight
 *   p(c | k, h) = softmax(h·Wᵀ + b)  over the classes of k    W [C, d]: classes.weight
 *
 * A class's probability needs only the K cluster logits and the logits of its own cluster's
 * classes: with ⌈√C⌉ clusters of about √C classes that is O(√C·d) per row instead of a flat
 * softmax's O(C·d). Built from ops only (linear, linearRows, logSoftmax, gather), so autograd
 * gives the gradient and test/hsoftmax.test.ts checks it against finite differences.
 *
 * The class weights are one matrix W [C, d] whose row c belongs to class c, whatever cluster c
 * sits in (PyTorch's Linear layout): the state dict reads cluster.weight [K, d], cluster.bias
 * [K], classes.weight [C, d], classes.bias [C]. A row gather (linearRows) picks each sample's
 * cluster rows out of it, so clusters need not be ranges of consecutive classes.
 *
 *   const hs = new nn.HierarchicalSoftmax(64, 10_000, { rng })   // 100 clusters of 100
 *   hs.loss(h [N, 64], labels)  → scalar;   hs.predict(h) → Int32Array
 */
import { Tensor, noGrad } from '../tensor.js'
import { linear, linearRows, logSoftmax, gather, add, neg, mean, reshape } from '../ops/index.js'
import { formatShape } from '../shape.js'
import type { Rng } from '../random.js'
import { Linear } from './layers.js'
import { Module } from './module.js'
import { registerModule } from './registry.js'

export interface HierarchicalSoftmaxOptions {
  /** each cluster a list of class indices; together they hold every class exactly once */
  clusters?: ReadonlyArray<ReadonlyArray<number>>
  rng?: Rng
}

/**
 * The default tree: ⌈√C⌉ clusters of consecutive classes, ⌈C / ⌈√C⌉⌉ classes each, the last
 * one smaller when C does not divide.
 *
 *   defaultClusters(10) → [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
 *
 * NOTE: the formula never leaves a cluster empty. With K = ⌈√C⌉ and s = ⌈C/K⌉, an empty last
 * cluster would need (K − 1)·s ≥ C, i.e. s − C/K ≥ C/(K(K − 1)) > (K − 1)/K because
 * (K − 1)² < C; but s − C/K is at most (K − 1)/K. The loop still stops when the classes run
 * out, so a cluster is never made without a class in it.
 */
export function defaultClusters(numClasses: number): number[][] {
  const k = Math.ceil(Math.sqrt(numClasses))
  const size = Math.ceil(numClasses / k)
  const clusters: number[][] = []
  for (let start = 0; start < numClasses; start += size) {
    clusters.push(Array.from({ length: Math.min(size, numClasses - start) }, (_, j) => start + j))
  }
  return clusters
}

export class HierarchicalSoftmax extends Module {
  readonly inFeatures: number
  readonly numClasses: number
  /** the class indices of each cluster, as given (or the default) */
  readonly clusters: ReadonlyArray<ReadonlyArray<number>>
  /** the cluster logits h·Vᵀ + a: [K, d] and [K] */
  cluster: Linear
  /** the class logits h·Wᵀ + b: row c of the [C, d] weight is class c */
  classes: Linear
  /** clusterOf[c] = k, and c is class number positionOf[c] inside cluster k */
  private readonly clusterOf: Int32Array
  private readonly positionOf: Int32Array
  /** the largest cluster's size S: every cluster is padded to S slots */
  private readonly slots: number
  /** members[k·S + j] = the class in slot j of cluster k; padding repeats the cluster's first class */
  private readonly members: Int32Array
  /** 0 for a real slot, −∞ for padding: a padded slot gets probability exactly 0. null if no padding */
  private readonly padMask: Float64Array | null

  constructor(inFeatures: number, numClasses: number, { clusters, rng }: HierarchicalSoftmaxOptions = {}) {
    super()
    for (const [name, v] of [['inFeatures', inFeatures], ['numClasses', numClasses]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`nn.HierarchicalSoftmax: ${name} must be a whole number ≥ 1, got ${v}`)
    }
    if (numClasses < 2) throw new Error(`nn.HierarchicalSoftmax: numClasses must be at least 2, got ${numClasses}`)
    this.inFeatures = inFeatures
    this.numClasses = numClasses
    this.clusters = clusters === undefined ? defaultClusters(numClasses) : checkClusters(clusters, numClasses)

    const k = this.clusters.length
    this.slots = Math.max(...this.clusters.map((members) => members.length))
    this.clusterOf = new Int32Array(numClasses)
    this.positionOf = new Int32Array(numClasses)
    this.members = new Int32Array(k * this.slots)
    const mask = new Float64Array(k * this.slots)
    let padded = false
    this.clusters.forEach((members, cluster) => {
      for (let j = 0; j < this.slots; j++) {
        if (j < members.length) {
          this.clusterOf[members[j]] = cluster
          this.positionOf[members[j]] = j
          this.members[cluster * this.slots + j] = members[j]
        } else {
          this.members[cluster * this.slots + j] = members[0]
          mask[cluster * this.slots + j] = -Infinity
          padded = true
        }
      }
    })
    this.padMask = padded ? mask : null

    this.cluster = new Linear(inFeatures, k, { rng })
    this.classes = new Linear(inFeatures, numClasses, { rng })
  }

  /** The number of clusters K. */
  get numClusters(): number {
    return this.clusters.length
  }

  /**
   * log p(target[n] | h[n]) for each row, [N]: the cluster's log-probability plus the class's
   * log-probability inside its cluster. Costs (K + S)·d per row: only the target's cluster's
   * class logits are computed, never all C.
   */
  logProb(h: Tensor, target: Int32Array | readonly number[]): Tensor {
    this.checkInput(h, 'logProb')
    const n = h.shape[0]
    const labels = this.checkTarget(target, n)
    const s = this.slots

    // Level 1: which cluster. log p(k | h) for every k, then each row's own cluster's entry.
    const clusterPick = new Int32Array(n)
    const slotPick = new Int32Array(n)
    const rows = new Int32Array(n * s) // row n's class rows of W: its cluster's members
    for (let i = 0; i < n; i++) {
      const k = this.clusterOf[labels[i]]
      clusterPick[i] = k
      slotPick[i] = this.positionOf[labels[i]]
      rows.set(this.members.subarray(k * s, (k + 1) * s), i * s)
    }
    const logPCluster = gather(logSoftmax(linear(h, this.cluster.weight, this.cluster.bias)), 1, clusterPick) // [N, 1]

    // Level 2: which class inside that cluster, from S logits per row.
    let z = linearRows(h, this.classes.weight, this.classes.bias, rows) // [N, S]
    if (this.padMask !== null) {
      const mask = new Float64Array(n * s)
      for (let i = 0; i < n; i++) mask.set(this.padMask.subarray(clusterPick[i] * s, (clusterPick[i] + 1) * s), i * s)
      z = add(z, new Tensor(mask, [n, s]))
    }
    const logPClass = gather(logSoftmax(z), 1, slotPick) // [N, 1]
    return reshape(add(logPCluster, logPClass), [n])
  }

  /**
   * log p(c | h[n]) for every class, [N, C]; each row's exp sums to 1. Costs C·d per row, as a
   * flat softmax: for evaluation and predict, not for the training loss.
   */
  logProbAll(h: Tensor): Tensor {
    this.checkInput(h, 'logProbAll')
    const n = h.shape[0]
    const k = this.numClusters
    const s = this.slots
    const logPCluster = logSoftmax(linear(h, this.cluster.weight, this.cluster.bias)) // [N, K]

    // Every class logit, laid out cluster by cluster as [N, K, S] so one logSoftmax over the
    // last dim normalises each cluster on its own.
    const z = linear(h, this.classes.weight, this.classes.bias) // [N, C], class order
    const bySlot = new Int32Array(n * k * s)
    for (let i = 0; i < n; i++) bySlot.set(this.members, i * k * s)
    let grouped = reshape(gather(z, 1, bySlot), [n, k, s])
    if (this.padMask !== null) grouped = add(grouped, new Tensor(this.padMask, [k, s]))
    const joint = add(logSoftmax(grouped), reshape(logPCluster, [n, k, 1])) // log p(k) + log p(c | k)

    // Back to class order: class c sits in slot clusterOf[c]·S + positionOf[c].
    const slotOfClass = new Int32Array(n * this.numClasses)
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < this.numClasses; c++) slotOfClass[i * this.numClasses + c] = this.clusterOf[c] * s + this.positionOf[c]
    }
    return gather(reshape(joint, [n, k * s]), 1, slotOfClass)
  }

  /** The clusters are written out, so a file keeps its tree even if the default tree changes. */
  config(): { inFeatures: number; numClasses: number; clusters: number[][] } {
    return { inFeatures: this.inFeatures, numClasses: this.numClasses, clusters: this.clusters.map((members) => [...members]) }
  }

  static fromConfig({ inFeatures, numClasses, clusters }: { inFeatures: number; numClasses: number; clusters: number[][] }): HierarchicalSoftmax {
    return new HierarchicalSoftmax(inFeatures, numClasses, { clusters })
  }

  /** The module's output: logProbAll(h), [N, C]. */
  forward(h: Tensor): Tensor {
    return this.logProbAll(h)
  }

  /** The mean negative log-probability of the targets, a scalar: the training loss, O(√C) per row. */
  loss(h: Tensor, target: Int32Array | readonly number[]): Tensor {
    return mean(neg(this.logProb(h, target)))
  }

  /**
   * The most probable class of each row over all C classes. NOTE: not the greedy pick (best
   * cluster, then its best class), which can miss a class of a less likely but more decided cluster.
   */
  predict(h: Tensor): Int32Array {
    return noGrad(() => this.logProbAll(h)).argmax(1)
  }

  private checkInput(h: Tensor, method: string): void {
    if (h.shape.length !== 2 || h.shape[1] !== this.inFeatures) {
      throw new Error(
        `nn.HierarchicalSoftmax(${this.inFeatures}, ${this.numClasses}).${method}: expects h of shape [N, ${this.inFeatures}], got ${formatShape(h.shape)}`,
      )
    }
  }

  private checkTarget(target: Int32Array | readonly number[], n: number): Int32Array {
    if (target.length !== n) {
      throw new Error(`nn.HierarchicalSoftmax: ${target.length} targets for ${n} rows of h; give one class index per row`)
    }
    for (let i = 0; i < n; i++) {
      const c = target[i]
      if (!Number.isInteger(c) || c < 0 || c >= this.numClasses) {
        throw new Error(`nn.HierarchicalSoftmax: target ${String(c)} at row ${i} is outside [0, ${this.numClasses}) for ${this.numClasses} classes`)
      }
    }
    return target instanceof Int32Array ? target : Int32Array.from(target)
  }
}
registerModule(HierarchicalSoftmax, 'HierarchicalSoftmax')

/** The user's clusters, checked: non-empty lists of whole numbers in [0, C), every class exactly once. */
function checkClusters(clusters: ReadonlyArray<ReadonlyArray<number>>, numClasses: number): number[][] {
  const op = 'nn.HierarchicalSoftmax'
  if (!Array.isArray(clusters) || clusters.length === 0) {
    throw new Error(`${op}: clusters must be a non-empty array of class-index arrays, got ${String(clusters)}`)
  }
  const seenIn = new Int32Array(numClasses).fill(-1)
  clusters.forEach((members, k) => {
    if (!Array.isArray(members) || members.length === 0) {
      throw new Error(`${op}: cluster ${k} is empty; every cluster needs at least one class`)
    }
    for (const c of members) {
      if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
        throw new Error(`${op}: cluster ${k} holds class ${String(c)}, outside [0, ${numClasses}) for ${numClasses} classes`)
      }
      if (seenIn[c] !== -1) {
        throw new Error(`${op}: class ${c} is repeated: it is in cluster ${seenIn[c]} and again in cluster ${k}; each class belongs to exactly one cluster`)
      }
      seenIn[c] = k
    }
  })
  const missing: number[] = []
  for (let c = 0; c < numClasses; c++) if (seenIn[c] === -1) missing.push(c)
  if (missing.length > 0) {
    const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? `, … (${missing.length} in all)` : '')
    throw new Error(`${op}: the clusters miss class${missing.length > 1 ? 'es' : ''} ${shown}; every class in [0, ${numClasses}) must be in exactly one cluster`)
  }
  return clusters.map((members) => members.slice())
}
