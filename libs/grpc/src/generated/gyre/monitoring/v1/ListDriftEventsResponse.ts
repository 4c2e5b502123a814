// Original file: proto/monitoring/monitoring.proto

import type { DriftEvent as _gyre_monitoring_v1_DriftEvent, DriftEvent__Output as _gyre_monitoring_v1_DriftEvent__Output } from '../../../gyre/monitoring/v1/DriftEvent.ts';

export interface ListDriftEventsResponse {
  'dataset'?: (string);
  'events'?: (_gyre_monitoring_v1_DriftEvent)[];
}

export interface ListDriftEventsResponse__Output {
  'dataset': (string);
  'events': (_gyre_monitoring_v1_DriftEvent__Output)[];
}
