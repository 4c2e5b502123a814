// Original file: proto/featurestore/feature_store.proto

import type { FeatureValue as _gyre_featurestore_v1_FeatureValue, FeatureValue__Output as _gyre_featurestore_v1_FeatureValue__Output } from '../../../gyre/featurestore/v1/FeatureValue.ts';
import type { HistoryRow as _gyre_featurestore_v1_HistoryRow, HistoryRow__Output as _gyre_featurestore_v1_HistoryRow__Output } from '../../../gyre/featurestore/v1/HistoryRow.ts';

export interface EntityFeatures {
  'entity_key'?: (string);
  'found'?: (boolean);
  'event_time'?: (string);
  'values'?: ({[key: string]: _gyre_featurestore_v1_FeatureValue});
  'batch_id'?: (string);
  'history'?: (_gyre_featurestore_v1_HistoryRow)[];
  'latest_event_time'?: (string);
}

export interface EntityFeatures__Output {
  'entity_key': (string);
  'found': (boolean);
  'event_time': (string);
  'values': ({[key: string]: _gyre_featurestore_v1_FeatureValue__Output});
  'batch_id': (string);
  'history': (_gyre_featurestore_v1_HistoryRow__Output)[];
  'latest_event_time': (string);
}
