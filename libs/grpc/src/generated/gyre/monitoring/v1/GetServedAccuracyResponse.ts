// Original file: proto/monitoring/monitoring.proto

import type { ServedAccuracy as _gyre_monitoring_v1_ServedAccuracy, ServedAccuracy__Output as _gyre_monitoring_v1_ServedAccuracy__Output } from '../../../gyre/monitoring/v1/ServedAccuracy.ts';
import type { LabelCounts as _gyre_monitoring_v1_LabelCounts, LabelCounts__Output as _gyre_monitoring_v1_LabelCounts__Output } from '../../../gyre/monitoring/v1/LabelCounts.ts';

export interface GetServedAccuracyResponse {
  'dataset'?: (string);
  'versions'?: (_gyre_monitoring_v1_ServedAccuracy)[];
  'over_time'?: (_gyre_monitoring_v1_ServedAccuracy)[];
  'labels'?: (_gyre_monitoring_v1_LabelCounts | null);
}

export interface GetServedAccuracyResponse__Output {
  'dataset': (string);
  'versions': (_gyre_monitoring_v1_ServedAccuracy__Output)[];
  'over_time': (_gyre_monitoring_v1_ServedAccuracy__Output)[];
  'labels': (_gyre_monitoring_v1_LabelCounts__Output | null);
}
