/** calibrate: measure overconfidence (ece) and fix it with one number (fitTemperature). Browser-safe. */
export { ece, type EceOptions, type EceResult, type ReliabilityBin } from './ece.js'
export { fitTemperature } from './temperature.js'
export { temperatureScaling, type CalibrationReport, type CalibrationMeasure } from './scaling.js'
