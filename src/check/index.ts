export { gradcheck, jacobian, numericJacobian, type GradcheckOptions, type GradcheckResult, type GradcheckWorst } from './gradcheck.js'
