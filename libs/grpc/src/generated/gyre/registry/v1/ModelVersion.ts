// Original file: proto/registry/registry.proto

import type { ExternalOrigin as _gyre_registry_v1_ExternalOrigin, ExternalOrigin__Output as _gyre_registry_v1_ExternalOrigin__Output } from '../../../gyre/registry/v1/ExternalOrigin.ts';
import type { Long } from '@grpc/proto-loader';

export interface ModelVersion {
  'dataset'?: (string);
  'version'?: (number | string | Long);
  'run_id'?: (string);
  'status'?: (string);
  'aliases'?: (string)[];
  'metrics'?: ({[key: string]: number | string});
  'champion_metrics'?: ({[key: string]: number | string});
  'compared_with_version'?: (number | string | Long);
  'artifact_key'?: (string);
  'spec_revision'?: (number | string | Long);
  'backend'?: (string);
  'code_version'?: (string);
  'snapshot_id'?: (string);
  'decision_reason'?: (string);
  'created_at'?: (string);
  'external'?: (_gyre_registry_v1_ExternalOrigin | null);
}

export interface ModelVersion__Output {
  'dataset': (string);
  'version': (string);
  'run_id': (string);
  'status': (string);
  'aliases': (string)[];
  'metrics': ({[key: string]: number});
  'champion_metrics': ({[key: string]: number});
  'compared_with_version': (string);
  'artifact_key': (string);
  'spec_revision': (string);
  'backend': (string);
  'code_version': (string);
  'snapshot_id': (string);
  'decision_reason': (string);
  'created_at': (string);
  'external': (_gyre_registry_v1_ExternalOrigin__Output | null);
}
