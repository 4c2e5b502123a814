// Original file: proto/registry/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface RegisterExternalModelResponse {
  'dataset'?: (string);
  'version'?: (number | string | Long);
  'promoted'?: (boolean);
  'decision_reason'?: (string);
  'sha256'?: (string);
  'artifact_key'?: (string);
  'metrics'?: ({[key: string]: number | string});
  'compared_with_version'?: (number | string | Long);
  'champion_metrics'?: ({[key: string]: number | string});
  'created'?: (boolean);
}

export interface RegisterExternalModelResponse__Output {
  'dataset': (string);
  'version': (string);
  'promoted': (boolean);
  'decision_reason': (string);
  'sha256': (string);
  'artifact_key': (string);
  'metrics': ({[key: string]: number});
  'compared_with_version': (string);
  'champion_metrics': ({[key: string]: number});
  'created': (boolean);
}
