/** The text of src/ops/index.ts for the op files in `dir` (src/ops/ by default). */
export function gatherOps(dir?: string): string
