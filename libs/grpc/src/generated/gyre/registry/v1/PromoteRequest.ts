// Original file: proto/registry/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface PromoteRequest {
  'dataset'?: (string);
  'version'?: (number | string | Long);
  'actor'?: (string);
  'reason'?: (string);
  'request_id'?: (string);
}

export interface PromoteRequest__Output {
  'dataset': (string);
  'version': (string);
  'actor': (string);
  'reason': (string);
  'request_id': (string);
}
