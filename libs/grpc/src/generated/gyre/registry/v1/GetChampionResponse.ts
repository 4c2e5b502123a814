// Original file: proto/registry/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface GetChampionResponse {
  'dataset'?: (string);
  'version'?: (number | string | Long);
  'artifact_key'?: (string);
  'metrics'?: ({[key: string]: number | string});
  'run_id'?: (string);
  'spec_revision'?: (number | string | Long);
  'backend'?: (string);
  'since'?: (string);
}

export interface GetChampionResponse__Output {
  'dataset': (string);
  'version': (string);
  'artifact_key': (string);
  'metrics': ({[key: string]: number});
  'run_id': (string);
  'spec_revision': (string);
  'backend': (string);
  'since': (string);
}
