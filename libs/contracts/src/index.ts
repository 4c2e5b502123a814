export { type CloudEvent, cloudEventSchema, type NewEventOptions, newCloudEvent } from "./envelope.ts";
export {
  BATCH_FORMATS,
  type BatchFormat,
  type DataArrived,
  type DataIngested,
  dataArrivedSchema,
  dataIngestedSchema,
  type FeaturesUpdated,
  featuresUpdatedSchema,
  jsonRowSchema,
  type OnlineRow,
  onlineRowSchema,
} from "./events/data.ts";
export { MAX_INLINE_BYTES, S3_REF_PATTERN } from "./events/fields.ts";
export { SCHEMA_BASE_URL, schemaId, toJsonSchemas } from "./events/json-schema.ts";
export {
  type ModelPromoted,
  type ModelRejected,
  type ModelTrained,
  modelPromotedSchema,
  modelRejectedSchema,
  modelTrainedSchema,
  TRAINING_TRIGGERS,
  type TrainingProgress,
  type TrainingSnapshot,
  type TrainingTrigger,
  trainingProgressSchema,
  trainingSnapshotSchema,
} from "./events/model.ts";
export {
  DRIFT_CORRECTIONS,
  DRIFT_KINDS,
  DRIFT_TESTS,
  type DriftDetected,
  driftDetectedSchema,
  type FeatureDrift,
  featureDriftSchema,
  type PerformanceMeasured,
  type PredictionRecord,
  type PredictionsLogged,
  performanceMeasuredSchema,
  predictionRecordSchema,
  predictionsLoggedSchema,
  SERVING_ROLES,
  type ServingRole,
} from "./events/monitoring.ts";
export {
  type Anomaly,
  anomalySchema,
  type DataRejected,
  type DataValidated,
  dataRejectedSchema,
  dataValidatedSchema,
  type FeatureStatistics,
  featureStatisticsSchema,
} from "./events/validation.ts";
export {
  type EventData,
  eventDataSchemas,
  eventSchemas,
  type GyreEvent,
  newEvent,
  type ParseEventResult,
  parseEvent,
} from "./events.ts";
export {
  datasetNameSchema,
  InvalidNameError,
  isValidName,
  namespaceSchema,
  parseDatasetName,
  parseName,
  serviceNameSchema,
} from "./names.ts";
export {
  dlqSubject,
  EVENT_TYPES,
  type EventType,
  eventFilter,
  eventSubject,
  isEventType,
  type ParsedSubject,
  parseEventSubject,
} from "./subjects.ts";
