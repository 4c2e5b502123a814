// Original file: proto/registry/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface ModelSummary {
  'dataset'?: (string);
  'created_at'?: (string);
  'version_count'?: (number | string | Long);
  'latest_version'?: (number | string | Long);
  'champion_version'?: (number | string | Long);
  'challenger_version'?: (number | string | Long);
}

export interface ModelSummary__Output {
  'dataset': (string);
  'created_at': (string);
  'version_count': (string);
  'latest_version': (string);
  'champion_version': (string);
  'challenger_version': (string);
}
