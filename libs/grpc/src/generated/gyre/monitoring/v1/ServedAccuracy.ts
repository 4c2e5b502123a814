// Original file: proto/monitoring/monitoring.proto

import type { Long } from '@grpc/proto-loader';

export interface ServedAccuracy {
  'model_version'?: (number | string | Long);
  'role'?: (string);
  'logged'?: (number | string | Long);
  'labelled'?: (number | string | Long);
  'correct'?: (number | string | Long);
  'accuracy'?: (number | string);
  'mae'?: (number | string);
  'period_start'?: (string);
}

export interface ServedAccuracy__Output {
  'model_version': (string);
  'role': (string);
  'logged': (string);
  'labelled': (string);
  'correct': (string);
  'accuracy': (number);
  'mae': (number);
  'period_start': (string);
}
