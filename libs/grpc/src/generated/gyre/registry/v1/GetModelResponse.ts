// Original file: proto/registry/registry.proto

import type { ModelVersion as _gyre_registry_v1_ModelVersion, ModelVersion__Output as _gyre_registry_v1_ModelVersion__Output } from '../../../gyre/registry/v1/ModelVersion.ts';
import type { AuditEntry as _gyre_registry_v1_AuditEntry, AuditEntry__Output as _gyre_registry_v1_AuditEntry__Output } from '../../../gyre/registry/v1/AuditEntry.ts';
import type { Long } from '@grpc/proto-loader';

export interface GetModelResponse {
  'dataset'?: (string);
  'created_at'?: (string);
  'versions'?: (_gyre_registry_v1_ModelVersion)[];
  'aliases'?: ({[key: string]: number | string | Long});
  'audit'?: (_gyre_registry_v1_AuditEntry)[];
}

export interface GetModelResponse__Output {
  'dataset': (string);
  'created_at': (string);
  'versions': (_gyre_registry_v1_ModelVersion__Output)[];
  'aliases': ({[key: string]: string});
  'audit': (_gyre_registry_v1_AuditEntry__Output)[];
}
