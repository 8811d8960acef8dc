export type { Analysis, AnalyzeOptions, RestoredImage } from './analysis.ts';
export {
  ageModelMetrics,
  createEngine,
  type Engine,
  type EngineDeps,
  NO_FACE_ERROR,
  selectMetrics,
} from './analyze.ts';
export { EngineError, type EngineErrorCode, isEngineError } from './errors.ts';
export type { AgeEstimator } from './face/age-model.ts';
export { AgeModelThread } from './face/age-model-thread.ts';
export { type DetectedFace, FaceModels } from './face/face-models.ts';
export { LEFT_BROW, LEFT_EYE, RIGHT_BROW, RIGHT_EYE } from './face/mesh-indices.ts';
export type { InputProvider, MetricContext, MetricModule, MetricOutput } from './framework/metric.ts';
export { type AlgorithmInfo, MetricRegistry } from './framework/registry.ts';
export { AREA_NAMES, type AreaName } from './geometry/areas.ts';
export { originalToRestored, type RestoreTransform, restoredToOriginal } from './geometry/restore.ts';
export {
  DEFAULT_DECODE_LIMITS,
  type DecodeLimits,
  decodeImage,
  type ImageHeader,
  readImageHeader,
  verifyImage,
} from './image/decode.ts';
export { DEFAULT_METRICS, defaultRegistry } from './metrics/default-registry.ts';
export {
  createEnginePool,
  type EnginePool,
  type EnginePoolOptions,
  listAlgorithms,
  validateImage,
} from './pool/engine-pool.ts';
export type { WorkerMemory } from './pool/worker-protocol.ts';
export * from './result/result-shape.ts';
