/** teach: seeing backprop. The backward pass traced op by op, and the graph drawn. */
export { traceBackward, formatTrace, gradientsFromTrace, type TraceStep, type TraceTensor, type TraceInput, type FormatTraceOptions } from './trace.js'
export { drawGraph, buildDrawGraph, toDot, toMermaid, type DrawOptions, type DrawFormat, type DrawnGraph, type DrawNode } from './draw.js'
