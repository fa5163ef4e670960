/**
 * framescope analysis: derived quantities, time statistics, line profiles, regions and point
 * histories. Pure TypeScript without DOM: runs in Node and in the workers.
 */
export { deriveField, deriveFromField, deriveMany, type DeriveOptions } from './derive';
export { QUANTITIES, availableQuantities, quantitiesByKind, quantityInfo, type QuantityChoice, type QuantityInfo } from './quantities';
export { describeSmoothing, type SmoothOptions } from './smooth';
