// Original file: proto/featurestore/feature_store.proto

import type { ColumnType as _gyre_featurestore_v1_ColumnType, ColumnType__Output as _gyre_featurestore_v1_ColumnType__Output } from '../../../gyre/featurestore/v1/ColumnType.ts';
import type { ColumnRole as _gyre_featurestore_v1_ColumnRole, ColumnRole__Output as _gyre_featurestore_v1_ColumnRole__Output } from '../../../gyre/featurestore/v1/ColumnRole.ts';

export interface Column {
  'name'?: (string);
  'type'?: (_gyre_featurestore_v1_ColumnType);
  'role'?: (_gyre_featurestore_v1_ColumnRole);
  'categories'?: (string)[];
  'spec_type'?: (string);
}

export interface Column__Output {
  'name': (string);
  'type': (_gyre_featurestore_v1_ColumnType__Output);
  'role': (_gyre_featurestore_v1_ColumnRole__Output);
  'categories': (string)[];
  'spec_type': (string);
}
