// Original file: proto/monitoring/monitoring.proto

import type { Long } from '@grpc/proto-loader';

export interface UnscoredBatch {
  'batch_id'?: (string);
  'model_version'?: (number | string | Long);
  'run_id'?: (string);
  'reason'?: (string);
  'recorded_at'?: (string);
}

export interface UnscoredBatch__Output {
  'batch_id': (string);
  'model_version': (string);
  'run_id': (string);
  'reason': (string);
  'recorded_at': (string);
}
