// Original file: proto/registry/registry.proto

import type { Long } from '@grpc/proto-loader';

export interface ChampionChange {
  'dataset'?: (string);
  'version'?: (number | string | Long);
  'previous_version'?: (number | string | Long);
  'event_id'?: (string);
  'audit_id'?: (number | string | Long);
  'reason'?: (string);
}

export interface ChampionChange__Output {
  'dataset': (string);
  'version': (string);
  'previous_version': (string);
  'event_id': (string);
  'audit_id': (string);
  'reason': (string);
}
