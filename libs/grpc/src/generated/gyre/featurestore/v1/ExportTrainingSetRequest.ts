// Original file: proto/featurestore/feature_store.proto

import type { EventTimeRange as _gyre_featurestore_v1_EventTimeRange, EventTimeRange__Output as _gyre_featurestore_v1_EventTimeRange__Output } from '../../../gyre/featurestore/v1/EventTimeRange.ts';
import type { Long } from '@grpc/proto-loader';

export interface ExportTrainingSetRequest {
  'dataset'?: (string);
  'last_rows'?: (number | string | Long);
  'time_range'?: (_gyre_featurestore_v1_EventTimeRange | null);
  'holdout_share'?: (number | string);
  'snapshot_id'?: (string);
  'include_unlabelled'?: (boolean);
  'chunk_rows'?: (number);
  'window'?: "last_rows"|"time_range";
}

export interface ExportTrainingSetRequest__Output {
  'dataset': (string);
  'last_rows'?: (string);
  'time_range'?: (_gyre_featurestore_v1_EventTimeRange__Output | null);
  'holdout_share': (number);
  'snapshot_id': (string);
  'include_unlabelled': (boolean);
  'chunk_rows': (number);
  'window'?: "last_rows"|"time_range";
}
