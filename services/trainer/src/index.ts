export { BUNDLE_FILES, loadBundle, type SerializedModel, saveBundle, serializeModel } from "./artifact.ts";
export {
  BACKENDS,
  type BackendChoice,
  type BackendName,
  currentBackend,
  selectBackend,
  UnknownBackendError,
} from "./backend.ts";
export { disposeBundle, type ModelBundle, type Predictions, predict } from "./bundle.ts";
export { codeVersion } from "./code-version.ts";
export {
  ArtifactCorruptError,
  ArtifactMissingError,
  InvalidFeatureValueError,
  TrainingDivergedError,
  TrainingInputError,
  type TrainingInputProblem,
} from "./errors.ts";
export { type Evaluation, evaluate } from "./evaluate.ts";
export { type EpochLog, progressMetrics } from "./fit.ts";
export type { RunInfo, RunMetadata } from "./metadata.ts";
export { higherIsBetter, type MetricName, type ModelMetrics } from "./metrics.ts";
export { type FeatureRow, type Preprocessing, transformRows } from "./preprocessing.ts";
export type { ReferenceStats } from "./reference-stats.ts";
export type { ModelSignature } from "./signature.ts";
export { type TrainedModel, type TrainInput, trainModel } from "./train.ts";
