import { describe, expect, it } from 'vitest'
import { nn, makeRng, manualSeed, rand, randn, tensor, gradcheck, type Tensor } from '../src/index.js'

const mlp = (seed = 0) => {
  const rng = makeRng(seed)
  return new nn.Sequential(new nn.Linear(2, 4, { rng }), new nn.Tanh(), new nn.Linear(4, 3, { rng }))
}

describe('Module and Sequential', () => {
  it('Sequential names its parameters as PyTorch does', () => {
    expect(mlp().namedParameters().map(([name, p]) => [name, p.shape])).toEqual([
      ['0.weight', [4, 2]],
      ['0.bias', [4]],
      ['2.weight', [3, 4]],
      ['2.bias', [3]],
    ])
    expect(mlp().parameters()).toHaveLength(4)
  })

  it('nested modules get dotted names', () => {
    class Net extends nn.Module {
      body = mlp()
      head = new nn.Linear(3, 2, { rng: makeRng(1) })
      forward(x: Tensor) {
        return this.head.forward(this.body.forward(x))
      }
    }
    expect(new Net().namedParameters().map(([n]) => n)).toEqual(['body.0.weight', 'body.0.bias', 'body.2.weight', 'body.2.bias', 'head.weight', 'head.bias'])
  })

  it('stateDict copies the numbers and loadStateDict writes them back in place', () => {
    const a = mlp(0)
    const b = mlp(1)
    const weight = b.parameters()[0]
    b.loadStateDict(a.stateDict())
    expect(b.parameters()[0]).toBe(weight) // same tensor, new numbers
    const x = randn([5, 2], { rng: makeRng(2) })
    expect(Array.from(b.forward(x).data)).toEqual(Array.from(a.forward(x).data))
    const sd = a.stateDict()
    sd['0.weight'].data[0] = 99
    expect(a.parameters()[0].data[0]).not.toBe(99)
  })

  it('loadStateDict names what is missing, unexpected or the wrong shape', () => {
    const m = mlp()
    const sd = m.stateDict()
    delete sd['2.bias']
    expect(() => m.loadStateDict(sd)).toThrow(/loadStateDict: the names do not match the module: missing 2.bias/)
    expect(() => m.loadStateDict({ ...m.stateDict(), extra: tensor([1]) })).toThrow(/unexpected extra/)
    expect(() => m.loadStateDict({ ...m.stateDict(), '0.weight': tensor([[1, 2]]) })).toThrow(
      'loadStateDict: 0.weight has shape [1,2] in the state dict but [4,2] in the module',
    )
  })

  it('train() and eval() reach every child, and zeroGrad clears every gradient', () => {
    const m = new nn.Sequential(new nn.Linear(2, 2), new nn.Dropout(0.5))
    m.eval()
    expect(m.layers.every((l) => !l.training)).toBe(true)
    m.train()
    expect(m.layers.every((l) => l.training)).toBe(true)
    m.forward(randn([3, 2])).sum().backward()
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true)
    m.zeroGrad()
    expect(m.parameters().every((p) => p.grad === null)).toBe(true)
  })
})

describe('layers', () => {
  it('Linear has PyTorch’s layout and init: weight [out, in], all parameters within ±1/√in', () => {
    const l = new nn.Linear(16, 8, { rng: makeRng(0) })
    expect(l.weight.shape).toEqual([8, 16])
    expect(l.bias!.shape).toEqual([8])
    const bound = 1 / Math.sqrt(16)
    for (const p of l.parameters()) for (const v of p.data) expect(Math.abs(v)).toBeLessThanOrEqual(bound)
    const spread = Math.max(...l.weight.data) - Math.min(...l.weight.data)
    expect(spread).toBeGreaterThan(bound) // uniform over the whole range, not a narrow band
    expect(new nn.Linear(3, 2, { bias: false }).parameters()).toHaveLength(1)
  })

  it('the same rng seed gives the same weights', () => {
    expect(Array.from(mlp(5).parameters()[0].data)).toEqual(Array.from(mlp(5).parameters()[0].data))
  })

  it('Linear computes x·Wᵀ + b and rejects inputs of the wrong width', () => {
    const l = new nn.Linear(2, 1)
    l.weight.data.set([2, -1])
    l.bias!.data.set([0.5])
    expect(l.forward(tensor([[1, 1], [3, 2]])).toArray()).toEqual([[1.5], [4.5]])
    expect(() => l.forward(tensor([[1, 2, 3]]))).toThrow('nn.Linear(2, 1): expects input [N, 2], got [1,3]')
  })

  it('the activations compute what their names say', () => {
    const x = tensor([-2, 0.5])
    expect(new nn.ReLU().forward(x).toArray()).toEqual([0, 0.5])
    expect(new nn.LeakyReLU(0.1).forward(x).toArray()).toEqual([-0.2, 0.5])
    expect(new nn.Tanh().forward(x).toArray()).toEqual([Math.tanh(-2), Math.tanh(0.5)])
    expect((new nn.Sigmoid().forward(tensor([0])).toArray() as number[])[0]).toBe(0.5)
  })

  it('Dropout zeroes about p of the numbers in train() and scales the rest; eval() passes x through', () => {
    const d = new nn.Dropout(0.25, { rng: makeRng(3) })
    const out = d.forward(tensor(new Float64Array(4000).fill(1))).data
    const zeros = out.filter((v) => v === 0).length / out.length
    expect(Math.abs(zeros - 0.25)).toBeLessThan(0.03)
    expect(out.filter((v) => v !== 0).every((v) => v === 1 / 0.75)).toBe(true)
    d.eval()
    const x = tensor([1, 2, 3])
    expect(d.forward(x)).toBe(x)
  })

  it('describeModel and buildModel round-trip an architecture', () => {
    const m = new nn.Sequential(new nn.Linear(4, 8), new nn.LeakyReLU(0.2), new nn.Dropout(0.1), new nn.Linear(8, 3), new nn.Softmax({ temperature: 2 }))
    const spec = nn.describeModel(m)
    expect(nn.describeModel(nn.buildModel(spec))).toEqual(spec)
    expect(() => nn.buildModel({ type: 'Conv2d' })).toThrow(/layer 'Conv2d', which this program has not registered.*nn\.registerModule\(Conv2d\)/)
  })
})

describe('registered layers', () => {
  it('every built-in layer is registered under its own name', () => {
    const builtins = [nn.Linear, nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.Sigmoid, nn.Dropout, nn.Softmax, nn.LogSoftmax, nn.Sequential, nn.HierarchicalSoftmax]
    for (const Class of builtins) expect(nn.registeredModule(Class.name), Class.name).toBe(Class)
    expect(nn.registeredModule('LayerNorm')).toBeUndefined()
  })

  it('buildModel(spec, rng) draws the fresh weights from rng, as the constructor would, and leaves the default generator alone', () => {
    manualSeed(4)
    const expected = rand([3]).data
    manualSeed(4)
    const built = nn.buildModel({ type: 'Sequential', layers: [{ type: 'Linear', inFeatures: 2, outFeatures: 3, bias: true }] }, makeRng(5))
    expect(Array.from(built.parameters()[0].data)).toEqual(Array.from(new nn.Linear(2, 3, { rng: makeRng(5) }).weight.data))
    expect(Array.from(rand([3]).data)).toEqual(Array.from(expected))
  })

  it('registering the same class again under its name is harmless', () => {
    expect(() => nn.registerModule(nn.Linear, 'Linear')).not.toThrow()
    expect(nn.registeredModule('Linear')).toBe(nn.Linear)
  })

  it('a name another class holds, a second name, or an unusable name is an error saying what to do', () => {
    class Swish extends nn.Module {
      forward(x: Tensor): Tensor {
        return x.mul(x.sigmoid())
      }
      config() {
        return {}
      }
      static fromConfig(): Swish {
        return new Swish()
      }
    }
    expect(() => nn.registerModule(Swish, 'Linear')).toThrow(
      "nn.registerModule: the name 'Linear' is already registered for another class (Linear); register Swish under a name of its own: nn.registerModule(Swish, 'MyLinear')",
    )
    expect(() => nn.registerModule(nn.ReLU, 'Rectifier')).toThrow("nn.registerModule: ReLU is already registered as 'ReLU'; a class has one name in model files")
    for (const name of ['', 'two words', '1st']) {
      expect(() => nn.registerModule(Swish, name)).toThrow(`nn.registerModule: ${JSON.stringify(name)} is not a name a model file can use for Swish`)
    }
    expect(nn.registeredModule('Swish')).toBeUndefined()
  })

  it('a class without config() or its own static fromConfig is an error naming what to add', () => {
    class Scale extends nn.Module {
      forward(x: Tensor): Tensor {
        return x.mul(2)
      }
    }
    expect(() => nn.registerModule(Scale as unknown as nn.ModuleClass)).toThrow(/^nn\.registerModule: Scale has no config\(\) method; add one that returns its constructor arguments/)
    class Halve extends Scale {
      config() {
        return {}
      }
    }
    expect(() => nn.registerModule(Halve as unknown as nn.ModuleClass)).toThrow(/^nn\.registerModule: Halve has no static fromConfig\(config\); add a static fromConfig\(config\) that rebuilds a Halve/)
    // A subclass would be rebuilt as its parent by the parent's fromConfig: refused.
    class WideLinear extends nn.Linear {}
    expect(() => nn.registerModule(WideLinear)).toThrow(/^nn\.registerModule: WideLinear inherits fromConfig from Linear, which would build a Linear; add a static fromConfig/)
    expect(() => nn.registerModule({} as nn.ModuleClass)).toThrow(/^nn\.registerModule: expected a class that extends nn\.Module/)
  })

  it('an unregistered subclass of a registered layer is not described as its parent', () => {
    class WideLinear extends nn.Linear {}
    expect(() => nn.describeModel(new WideLinear(2, 2))).toThrow(/^describeModel: WideLinear is not registered/)
  })

  it('a config() that JSON cannot hold is an error naming the layer and the setting', () => {
    class Gate extends nn.Module {
      constructor(readonly settings: object) {
        super()
      }
      forward(x: Tensor): Tensor {
        return x
      }
      config() {
        return this.settings
      }
      static fromConfig(config: object): Gate {
        return new Gate(config)
      }
    }
    nn.registerModule(Gate)
    expect(nn.describeModel(new Gate({ slope: 0.5, bias: undefined, sizes: [1, 2], name: 'g', on: true, tag: null }))).toEqual({
      type: 'Gate', slope: 0.5, bias: undefined, sizes: [1, 2], name: 'g', on: true, tag: null,
    })
    expect(() => nn.describeModel(new Gate({ slope: NaN }))).toThrow(/^describeModel: Gate\.config\(\) gives slope = NaN, which JSON cannot hold; config\(\) returns a plain object of JSON-safe values/)
    expect(() => nn.describeModel(new Gate({ w: { v: new Float64Array(2) } }))).toThrow(/Gate\.config\(\) gives w\.v = Float64Array, which JSON cannot hold/)
    expect(() => nn.describeModel(new Gate({ sizes: [1, Infinity] }))).toThrow(/Gate\.config\(\) gives sizes\[1\] = Infinity/)
    expect(() => nn.describeModel(new Gate({ type: 'x' }))).toThrow(/Gate\.config\(\) has a key 'type', which the model file uses for the layer's name/)
    expect(() => nn.describeModel(new Gate([1, 2]))).toThrow(/Gate\.config\(\) returned an array, not a plain object/)
  })

  it('a fromConfig that does not return its own class is an error', () => {
    class Echo extends nn.Module {
      forward(x: Tensor): Tensor {
        return x
      }
      config() {
        return {}
      }
      static fromConfig(): Echo {
        return new nn.ReLU() as unknown as Echo
      }
    }
    nn.registerModule(Echo)
    expect(() => nn.buildModel({ type: 'Echo' })).toThrow('buildModel: Echo.fromConfig returned ReLU; it must return a new Echo(...)')
  })
})

describe('a tiny MLP with the fused loss passes gradcheck end to end', () => {
  it('with respect to every parameter', () => {
    const rng = makeRng(9)
    const model = new nn.Sequential(new nn.Linear(3, 5, { rng }), new nn.Tanh(), new nn.Linear(5, 4, { rng }), new nn.LeakyReLU(0.1), new nn.Linear(4, 3, { rng }))
    const x = randn([6, 3], { rng })
    const y = [0, 2, 1, 1, 0, 2]
    const loss = new nn.SoftmaxCrossEntropy({ labelSmoothing: 0.05 })
    const params = model.parameters()
    const result = gradcheck(() => loss.forward(model.forward(x), y), params)
    expect(result.ok, JSON.stringify(result.worst)).toBe(true)
  })
})

describe('nn.mlp', () => {
  it('puts an activation between Linear layers, none after the last, with PyTorch names', () => {
    const model = nn.mlp([2, 16, 8, 3], { activation: 'tanh', seed: 0 })
    expect(model.namedParameters().map(([name, p]) => [name, p.shape])).toEqual([
      ['0.weight', [16, 2]], ['0.bias', [16]],
      ['2.weight', [8, 16]], ['2.bias', [8]],
      ['4.weight', [3, 8]], ['4.bias', [3]],
    ])
    expect(model.layers.map((m) => m.constructor.name)).toEqual(['Linear', 'Tanh', 'Linear', 'Tanh', 'Linear'])
  })

  it('the same seed gives the same weights; another seed others', () => {
    const weights = (seed: number) => nn.mlp([4, 5, 2], { seed }).parameters().map((p) => Array.from(p.data))
    expect(weights(3)).toEqual(weights(3))
    expect(weights(3)).not.toEqual(weights(4))
  })

  it('says what is wrong with sizes or an activation', () => {
    expect(() => nn.mlp([4])).toThrow(/mlp: sizes must be at least two whole numbers ≥ 1.*got \[4\]/)
    expect(() => nn.mlp([4, 0, 2])).toThrow(/got \[4, 0, 2\]/)
    expect(() => nn.mlp([4, 2], { activation: 'gelu' as nn.ActivationName })).toThrow("mlp: activation must be one of relu, leakyrelu, tanh, sigmoid, got 'gelu'")
  })
})
