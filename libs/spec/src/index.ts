export { type LabelKind, labelKind, type ModelInputColumn, modelInputColumns } from "./columns.ts";
export { canonicalJson, specDigest } from "./digest.ts";
export {
  applyTransforms,
  entityOf,
  eventMillis,
  reachableHistory,
  requestFeatures,
  type TimedRow,
  withTransforms,
} from "./entityWindows.ts";
export { SpecInferenceError, SpecInvalidError, UnknownDatasetError, UnknownSpecRevisionError } from "./errors.ts";
export { type CsvSource, type InferOptions, type InferredSpec, inferDatasetSpec } from "./infer.ts";
export { parseDatasetSpec, type SpecFormat, stringifySpec, validateDatasetSpec } from "./parse.ts";
export {
  columnNameSchema,
  type DatasetSpec,
  type DatasetSpecInput,
  DRIFT_RULES,
  type DriftRule,
  datasetSpecSchema,
  driftPolicySchema,
  durationMillis,
  durationSchema,
  FEATURE_TYPES,
  type FeatureSpec,
  type FeatureType,
  featureSpecSchema,
  type LabelSpec,
  labelSpecSchema,
  modelSpecSchema,
  promotionPolicySchema,
  type TransformSpec,
  trainingPolicySchema,
  transformSpecSchema,
  validationPolicySchema,
} from "./schema.ts";
export {
  type ApplyResult,
  SPEC_HISTORY,
  type SpecChange,
  type SpecRevision,
  SpecStore,
  type SpecWatch,
  specBucketName,
} from "./store.ts";
export {
  type CellValue,
  type DatePart,
  datePart,
  historyColumns,
  historyDepth,
  isWindowTransform,
  normalizeTimestamp,
  parseUtcMillis,
  RowValueError,
  ratio,
  scalarTransformValue,
  timestampMillis,
  transformInputs,
  windowSpan,
  writeTransformValues,
} from "./transforms.ts";
