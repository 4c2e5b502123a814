// Names for the generated feature store types that the feature store and its clients (the trainer) use.
// `__Output` types are what a receiver gets (every field present, int64 as string); plain types are what it may send.

export type { ProtoGrpcType as FeatureStoreProto } from "./generated/feature_store.ts";
export type { BatchRef, BatchRef__Output } from "./generated/gyre/featurestore/v1/BatchRef.ts";
export type {
  Column as FeatureColumn,
  Column__Output as FeatureColumn__Output,
} from "./generated/gyre/featurestore/v1/Column.ts";
export type { ColumnRole__Output as FeatureColumnRole } from "./generated/gyre/featurestore/v1/ColumnRole.ts";
export type { ColumnType__Output as FeatureColumnType } from "./generated/gyre/featurestore/v1/ColumnType.ts";
export type { ColumnValues, ColumnValues__Output } from "./generated/gyre/featurestore/v1/ColumnValues.ts";
export type { EntityFeatures, EntityFeatures__Output } from "./generated/gyre/featurestore/v1/EntityFeatures.ts";
export type { EventTimeRange, EventTimeRange__Output } from "./generated/gyre/featurestore/v1/EventTimeRange.ts";
export type {
  ExportTrainingSetRequest,
  ExportTrainingSetRequest__Output,
} from "./generated/gyre/featurestore/v1/ExportTrainingSetRequest.ts";
export type {
  ExportTrainingSetResponse,
  ExportTrainingSetResponse__Output,
} from "./generated/gyre/featurestore/v1/ExportTrainingSetResponse.ts";
export type {
  FeatureStoreClient,
  FeatureStoreHandlers,
} from "./generated/gyre/featurestore/v1/FeatureStore.ts";
export type { FeatureValue, FeatureValue__Output } from "./generated/gyre/featurestore/v1/FeatureValue.ts";
export type {
  GetOnlineFeaturesRequest,
  GetOnlineFeaturesRequest__Output,
} from "./generated/gyre/featurestore/v1/GetOnlineFeaturesRequest.ts";
export type {
  GetOnlineFeaturesResponse,
  GetOnlineFeaturesResponse__Output,
} from "./generated/gyre/featurestore/v1/GetOnlineFeaturesResponse.ts";
export type { HistoryRow, HistoryRow__Output } from "./generated/gyre/featurestore/v1/HistoryRow.ts";
export type { RowChunk, RowChunk__Output } from "./generated/gyre/featurestore/v1/RowChunk.ts";
export type {
  TrainingSetHeader,
  TrainingSetHeader__Output,
} from "./generated/gyre/featurestore/v1/TrainingSetHeader.ts";
