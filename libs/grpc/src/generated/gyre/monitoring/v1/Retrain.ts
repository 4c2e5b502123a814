// Original file: proto/monitoring/monitoring.proto

import type { Long } from '@grpc/proto-loader';

export interface Retrain {
  'version'?: (number | string | Long);
  'previous_version'?: (number | string | Long);
  'run_id'?: (string);
  'promoted_at'?: (string);
  'after_drift_event_id'?: (string);
  'after_drift_kind'?: (string);
  'trigger_reason'?: (string);
  'trigger_event_ids'?: (string)[];
  'triggered_by_drift'?: (boolean);
  'seconds_after_drift'?: (number | string);
}

export interface Retrain__Output {
  'version': (string);
  'previous_version': (string);
  'run_id': (string);
  'promoted_at': (string);
  'after_drift_event_id': (string);
  'after_drift_kind': (string);
  'trigger_reason': (string);
  'trigger_event_ids': (string)[];
  'triggered_by_drift': (boolean);
  'seconds_after_drift': (number);
}
