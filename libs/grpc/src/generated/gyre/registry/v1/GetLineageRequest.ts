// Original file: proto/registry/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface GetLineageRequest {
  'dataset'?: (string);
  'version'?: (number | string | Long);
}

export interface GetLineageRequest__Output {
  'dataset': (string);
  'version': (string);
}
