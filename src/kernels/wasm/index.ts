// AssemblyScript: the module scripts/build-wasm.mjs compiles. Each kernel file's exports become
// the WebAssembly module's exports, which ../wasm.ts calls.
export { gemm, heapBase, scratchBytes } from './matmul'
export { reluBackward, reluForward } from './activations'
export { sgdMomentum } from './optim'
