// Original file: proto/featurestore/feature_store.proto

import type { Column as _gyre_featurestore_v1_Column, Column__Output as _gyre_featurestore_v1_Column__Output } from '../../../gyre/featurestore/v1/Column.ts';
import type { EntityFeatures as _gyre_featurestore_v1_EntityFeatures, EntityFeatures__Output as _gyre_featurestore_v1_EntityFeatures__Output } from '../../../gyre/featurestore/v1/EntityFeatures.ts';
import type { Long } from '@grpc/proto-loader';

export interface GetOnlineFeaturesResponse {
  'dataset'?: (string);
  'spec_revision'?: (number | string | Long);
  'columns'?: (_gyre_featurestore_v1_Column)[];
  'entities'?: (_gyre_featurestore_v1_EntityFeatures)[];
  'at'?: (string);
}

export interface GetOnlineFeaturesResponse__Output {
  'dataset': (string);
  'spec_revision': (string);
  'columns': (_gyre_featurestore_v1_Column__Output)[];
  'entities': (_gyre_featurestore_v1_EntityFeatures__Output)[];
  'at': (string);
}
