// Original file: proto/monitoring/monitoring.proto

import type { Long } from '@grpc/proto-loader';

export interface LabelCounts {
  'received'?: (number | string | Long);
  'duplicates'?: (number | string | Long);
  'conflicting'?: (number | string | Long);
  'late'?: (number | string | Long);
  'unmatched'?: (number | string | Long);
  'unlabelled'?: (number | string | Long);
}

export interface LabelCounts__Output {
  'received': (string);
  'duplicates': (string);
  'conflicting': (string);
  'late': (string);
  'unmatched': (string);
  'unlabelled': (string);
}
