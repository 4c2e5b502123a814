// Original file: proto/monitoring/monitoring.proto

import type { Long } from '@grpc/proto-loader';

export interface PrequentialPoint {
  'batch_id'?: (string);
  'model_version'?: (number | string | Long);
  'metric'?: (string);
  'value'?: (number | string);
  'champion_holdout_value'?: (number | string);
  'rows'?: (number | string | Long);
  'performance_drift'?: (boolean);
  'measured_at'?: (string);
}

export interface PrequentialPoint__Output {
  'batch_id': (string);
  'model_version': (string);
  'metric': (string);
  'value': (number);
  'champion_holdout_value': (number);
  'rows': (string);
  'performance_drift': (boolean);
  'measured_at': (string);
}
