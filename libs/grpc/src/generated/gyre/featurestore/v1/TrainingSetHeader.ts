// Original file: proto/featurestore/feature_store.proto

import type { Column as _gyre_featurestore_v1_Column, Column__Output as _gyre_featurestore_v1_Column__Output } from '../../../gyre/featurestore/v1/Column.ts';
import type { BatchRef as _gyre_featurestore_v1_BatchRef, BatchRef__Output as _gyre_featurestore_v1_BatchRef__Output } from '../../../gyre/featurestore/v1/BatchRef.ts';
import type { EventTimeRange as _gyre_featurestore_v1_EventTimeRange, EventTimeRange__Output as _gyre_featurestore_v1_EventTimeRange__Output } from '../../../gyre/featurestore/v1/EventTimeRange.ts';
import type { Long } from '@grpc/proto-loader';

export interface TrainingSetHeader {
  'snapshot_id'?: (string);
  'dataset'?: (string);
  'spec_revision'?: (number | string | Long);
  'columns'?: (_gyre_featurestore_v1_Column)[];
  'batches'?: (_gyre_featurestore_v1_BatchRef)[];
  'train_rows'?: (number | string | Long);
  'holdout_rows'?: (number | string | Long);
  'created_at'?: (string);
  'last_rows'?: (number | string | Long);
  'time_range'?: (_gyre_featurestore_v1_EventTimeRange | null);
  'holdout_share'?: (number | string);
  'include_unlabelled'?: (boolean);
  'created'?: (boolean);
  'window'?: "last_rows"|"time_range";
}

export interface TrainingSetHeader__Output {
  'snapshot_id': (string);
  'dataset': (string);
  'spec_revision': (string);
  'columns': (_gyre_featurestore_v1_Column__Output)[];
  'batches': (_gyre_featurestore_v1_BatchRef__Output)[];
  'train_rows': (string);
  'holdout_rows': (string);
  'created_at': (string);
  'last_rows'?: (string);
  'time_range'?: (_gyre_featurestore_v1_EventTimeRange__Output | null);
  'holdout_share': (number);
  'include_unlabelled': (boolean);
  'created': (boolean);
  'window'?: "last_rows"|"time_range";
}
