// Original file: proto/monitoring/monitoring.proto

import type { Long } from '@grpc/proto-loader';

export interface ReferenceCategory {
  'value'?: (string);
  'count'?: (number | string | Long);
  'share'?: (number | string);
}

export interface ReferenceCategory__Output {
  'value': (string);
  'count': (string);
  'share': (number);
}
