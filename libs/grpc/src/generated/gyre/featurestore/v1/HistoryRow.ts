// Original file: proto/featurestore/feature_store.proto

import type { FeatureValue as _gyre_featurestore_v1_FeatureValue, FeatureValue__Output as _gyre_featurestore_v1_FeatureValue__Output } from '../../../gyre/featurestore/v1/FeatureValue.ts';
import type { Long } from '@grpc/proto-loader';

export interface HistoryRow {
  'event_time'?: (string);
  'batch_seq'?: (number | string | Long);
  'row_index'?: (number);
  'values'?: ({[key: string]: _gyre_featurestore_v1_FeatureValue});
}

export interface HistoryRow__Output {
  'event_time': (string);
  'batch_seq': (string);
  'row_index': (number);
  'values': ({[key: string]: _gyre_featurestore_v1_FeatureValue__Output});
}
