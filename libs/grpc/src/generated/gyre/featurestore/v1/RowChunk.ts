// Original file: proto/featurestore/feature_store.proto

import type { ColumnValues as _gyre_featurestore_v1_ColumnValues, ColumnValues__Output as _gyre_featurestore_v1_ColumnValues__Output } from '../../../gyre/featurestore/v1/ColumnValues.ts';
import type { Long } from '@grpc/proto-loader';

export interface RowChunk {
  'first_row'?: (number | string | Long);
  'row_count'?: (number);
  'holdout'?: (boolean)[];
  'columns'?: (_gyre_featurestore_v1_ColumnValues)[];
}

export interface RowChunk__Output {
  'first_row': (string);
  'row_count': (number);
  'holdout': (boolean)[];
  'columns': (_gyre_featurestore_v1_ColumnValues__Output)[];
}
