// Original file: proto/monitoring/monitoring.proto

import type { ColumnReference as _gyre_monitoring_v1_ColumnReference, ColumnReference__Output as _gyre_monitoring_v1_ColumnReference__Output } from '../../../gyre/monitoring/v1/ColumnReference.ts';
import type { Long } from '@grpc/proto-loader';

export interface ReferenceStatistics {
  'dataset'?: (string);
  'model_version'?: (number | string | Long);
  'run_id'?: (string);
  'rows'?: (number | string | Long);
  'columns'?: (_gyre_monitoring_v1_ColumnReference)[];
  'label'?: (_gyre_monitoring_v1_ColumnReference | null);
}

export interface ReferenceStatistics__Output {
  'dataset': (string);
  'model_version': (string);
  'run_id': (string);
  'rows': (string);
  'columns': (_gyre_monitoring_v1_ColumnReference__Output)[];
  'label': (_gyre_monitoring_v1_ColumnReference__Output | null);
}
