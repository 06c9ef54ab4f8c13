/** plot: standalone SVG pictures as strings (browser-safe); the command line writes them to files. */
export { lossCurves, type CurveRow } from './curves.js'
export { decisionBoundary, type DecisionBoundaryOptions } from './boundary.js'
export { softmaxBars, type SoftmaxBarsOptions } from './softmax-bars.js'
export { reliabilityDiagram, type ReliabilityDiagramOptions } from './reliability.js'
