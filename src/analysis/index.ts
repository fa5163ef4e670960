/**
 * framescope analysis: derived quantities, time statistics, line profiles, regions of interest and
 * point histories. Pure TypeScript without DOM: runs in Node and in the workers. Conventions are
 * written in quantities.ts (derivatives, units, sign rules), statistics.ts (ddof = 0, masks),
 * profile.ts (sampling) and region.ts (cell membership).
 */
export { deriveField, deriveFromField, deriveMany, type DeriveOptions } from './derive';
export {
  QUANTITIES,
  availableQuantities,
  quantitiesByKind,
  quantityInfo,
  quantityUnit,
  type QuantityChoice,
  type QuantityInfo,
} from './quantities';
export { describeSmoothing, kernelOf, type SmoothOptions } from './smooth';
export {
  STATISTICS,
  SCALAR_STATS,
  VECTOR_STATS,
  StatsAccumulator,
  availableStatistics,
  fluctuation,
  statisticsSource,
  timeStatistics,
  type StatInfo,
  type StatName,
  type StatisticsSourceOptions,
  type TimeStatisticsRequest,
} from './statistics';
export { lineProfile, pointHistory, type LineProfile, type PointHistory, type PointHistoryRequest, type ProfileOptions } from './profile';
export {
  regionMask,
  regionSeries,
  regionStats,
  type Point,
  type Region,
  type RegionOptions,
  type RegionSeries,
  type RegionSeriesRequest,
  type RegionStats,
  type SeriesColumns,
  type Stats,
} from './region';
export { defaultQuantity, scalarView, type ScalarView } from './scalar-view';
export { deriveFrame, derivedName, withDerivedFields, type DerivedSpec } from './derived-source';
export { runAnalysisJob, transferablesOf, type AnalysisJob, type AnalysisResultMap, type FrameReader } from './jobs';
export { frameList, streamFrames, type AnalysisControl } from './stream';
export { columnsToCsv, historyToCsv, historyToJson, profileToCsv, profileToJson, seriesToCsv, seriesToJson, type Column } from './csv';
export { divideUnits, lengthFactor, parseUnit, powerUnit } from './units';
export { serveAnalysis, type AnalysisMessage, type AnalysisRequest, type WorkerScope } from './worker-host';
