// Original file: proto/trainer/trainer.proto

import type { Trigger as _gyre_trainer_v1_Trigger, Trigger__Output as _gyre_trainer_v1_Trigger__Output } from '../../../gyre/trainer/v1/Trigger.ts';
import type { Epoch as _gyre_trainer_v1_Epoch, Epoch__Output as _gyre_trainer_v1_Epoch__Output } from '../../../gyre/trainer/v1/Epoch.ts';
import type { BatchRef as _gyre_trainer_v1_BatchRef, BatchRef__Output as _gyre_trainer_v1_BatchRef__Output } from '../../../gyre/trainer/v1/BatchRef.ts';
import type { Long } from '@grpc/proto-loader';

export interface Run {
  'run_id'?: (string);
  'dataset'?: (string);
  'status'?: (string);
  'trigger'?: (_gyre_trainer_v1_Trigger | null);
  'params_json'?: (string);
  'epochs'?: (_gyre_trainer_v1_Epoch)[];
  'metrics'?: ({[key: string]: number | string});
  'champion_metrics'?: ({[key: string]: number | string});
  'champion_version'?: (number | string | Long);
  'snapshot_id'?: (string);
  'batches'?: (_gyre_trainer_v1_BatchRef)[];
  'train_rows'?: (number | string | Long);
  'holdout_rows'?: (number | string | Long);
  'spec_revision'?: (number | string | Long);
  'code_version'?: (string);
  'backend'?: (string);
  'duration_ms'?: (number | string | Long);
  'artifact_key'?: (string);
  'error'?: (string);
  'error_kind'?: (string);
  'started_at'?: (string);
  'finished_at'?: (string);
  'reproduces'?: (string);
  'published'?: (boolean);
}

export interface Run__Output {
  'run_id': (string);
  'dataset': (string);
  'status': (string);
  'trigger': (_gyre_trainer_v1_Trigger__Output | null);
  'params_json': (string);
  'epochs': (_gyre_trainer_v1_Epoch__Output)[];
  'metrics': ({[key: string]: number});
  'champion_metrics': ({[key: string]: number});
  'champion_version': (string);
  'snapshot_id': (string);
  'batches': (_gyre_trainer_v1_BatchRef__Output)[];
  'train_rows': (string);
  'holdout_rows': (string);
  'spec_revision': (string);
  'code_version': (string);
  'backend': (string);
  'duration_ms': (string);
  'artifact_key': (string);
  'error': (string);
  'error_kind': (string);
  'started_at': (string);
  'finished_at': (string);
  'reproduces': (string);
  'published': (boolean);
}
