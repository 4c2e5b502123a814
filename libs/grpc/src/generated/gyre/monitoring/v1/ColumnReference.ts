// Original file: proto/monitoring/monitoring.proto

import type { ReferenceQuantile as _gyre_monitoring_v1_ReferenceQuantile, ReferenceQuantile__Output as _gyre_monitoring_v1_ReferenceQuantile__Output } from '../../../gyre/monitoring/v1/ReferenceQuantile.ts';
import type { ReferenceCategory as _gyre_monitoring_v1_ReferenceCategory, ReferenceCategory__Output as _gyre_monitoring_v1_ReferenceCategory__Output } from '../../../gyre/monitoring/v1/ReferenceCategory.ts';
import type { Long } from '@grpc/proto-loader';

export interface ColumnReference {
  'name'?: (string);
  'kind'?: (string);
  'count'?: (number | string | Long);
  'missing'?: (number | string | Long);
  'mean'?: (number | string);
  'std'?: (number | string);
  'min'?: (number | string);
  'max'?: (number | string);
  'quantiles'?: (_gyre_monitoring_v1_ReferenceQuantile)[];
  'histogram_edges'?: (number | string)[];
  'histogram_counts'?: (number | string | Long)[];
  'categories'?: (_gyre_monitoring_v1_ReferenceCategory)[];
  'unknown'?: (number | string | Long);
}

export interface ColumnReference__Output {
  'name': (string);
  'kind': (string);
  'count': (string);
  'missing': (string);
  'mean': (number);
  'std': (number);
  'min': (number);
  'max': (number);
  'quantiles': (_gyre_monitoring_v1_ReferenceQuantile__Output)[];
  'histogram_edges': (number)[];
  'histogram_counts': (string)[];
  'categories': (_gyre_monitoring_v1_ReferenceCategory__Output)[];
  'unknown': (string);
}
