// Original file: proto/featurestore/feature_store.proto

import type { TrainingSetHeader as _gyre_featurestore_v1_TrainingSetHeader, TrainingSetHeader__Output as _gyre_featurestore_v1_TrainingSetHeader__Output } from '../../../gyre/featurestore/v1/TrainingSetHeader.ts';
import type { RowChunk as _gyre_featurestore_v1_RowChunk, RowChunk__Output as _gyre_featurestore_v1_RowChunk__Output } from '../../../gyre/featurestore/v1/RowChunk.ts';

export interface ExportTrainingSetResponse {
  'header'?: (_gyre_featurestore_v1_TrainingSetHeader | null);
  'rows'?: (_gyre_featurestore_v1_RowChunk | null);
  'part'?: "header"|"rows";
}

export interface ExportTrainingSetResponse__Output {
  'header'?: (_gyre_featurestore_v1_TrainingSetHeader__Output | null);
  'rows'?: (_gyre_featurestore_v1_RowChunk__Output | null);
  'part'?: "header"|"rows";
}
