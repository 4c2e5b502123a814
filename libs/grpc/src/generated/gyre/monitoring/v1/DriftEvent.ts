// Original file: proto/monitoring/monitoring.proto

import type { FeatureDrift as _gyre_monitoring_v1_FeatureDrift, FeatureDrift__Output as _gyre_monitoring_v1_FeatureDrift__Output } from '../../../gyre/monitoring/v1/FeatureDrift.ts';
import type { Long } from '@grpc/proto-loader';

export interface DriftEvent {
  'id'?: (string);
  'event_id'?: (string);
  'kind'?: (string);
  'status'?: (string);
  'source'?: (string);
  'window_rows'?: (number | string | Long);
  'model_version'?: (number | string | Long);
  'share'?: (number | string);
  'share_threshold'?: (number | string);
  'correction'?: (string);
  'features'?: (_gyre_monitoring_v1_FeatureDrift)[];
  'report_key'?: (string);
  'checked_at'?: (string);
  'suppressed_by'?: (string);
}

export interface DriftEvent__Output {
  'id': (string);
  'event_id': (string);
  'kind': (string);
  'status': (string);
  'source': (string);
  'window_rows': (string);
  'model_version': (string);
  'share': (number);
  'share_threshold': (number);
  'correction': (string);
  'features': (_gyre_monitoring_v1_FeatureDrift__Output)[];
  'report_key': (string);
  'checked_at': (string);
  'suppressed_by': (string);
}
