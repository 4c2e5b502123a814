// Original file: proto/trainer/trainer.proto

import type { BatchRef as _gyre_trainer_v1_BatchRef, BatchRef__Output as _gyre_trainer_v1_BatchRef__Output } from '../../../gyre/trainer/v1/BatchRef.ts';
import type { Long } from '@grpc/proto-loader';

export interface EvaluateExternalModelResponse {
  'metrics'?: ({[key: string]: number | string});
  'champion_version'?: (number | string | Long);
  'champion_metrics'?: ({[key: string]: number | string});
  'snapshot_id'?: (string);
  'batches'?: (_gyre_trainer_v1_BatchRef)[];
  'spec_revision'?: (number | string | Long);
  'holdout_rows'?: (number | string | Long);
  'train_rows'?: (number | string | Long);
  'code_version'?: (string);
}

export interface EvaluateExternalModelResponse__Output {
  'metrics': ({[key: string]: number});
  'champion_version': (string);
  'champion_metrics': ({[key: string]: number});
  'snapshot_id': (string);
  'batches': (_gyre_trainer_v1_BatchRef__Output)[];
  'spec_revision': (string);
  'holdout_rows': (string);
  'train_rows': (string);
  'code_version': (string);
}
