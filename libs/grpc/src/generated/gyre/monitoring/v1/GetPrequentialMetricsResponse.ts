// Original file: proto/monitoring/monitoring.proto

import type { PrequentialPoint as _gyre_monitoring_v1_PrequentialPoint, PrequentialPoint__Output as _gyre_monitoring_v1_PrequentialPoint__Output } from '../../../gyre/monitoring/v1/PrequentialPoint.ts';
import type { UnscoredBatch as _gyre_monitoring_v1_UnscoredBatch, UnscoredBatch__Output as _gyre_monitoring_v1_UnscoredBatch__Output } from '../../../gyre/monitoring/v1/UnscoredBatch.ts';

export interface GetPrequentialMetricsResponse {
  'dataset'?: (string);
  'points'?: (_gyre_monitoring_v1_PrequentialPoint)[];
  'unscored'?: (_gyre_monitoring_v1_UnscoredBatch)[];
}

export interface GetPrequentialMetricsResponse__Output {
  'dataset': (string);
  'points': (_gyre_monitoring_v1_PrequentialPoint__Output)[];
  'unscored': (_gyre_monitoring_v1_UnscoredBatch__Output)[];
}
