// Original file: proto/registry/registry.proto

import type { Trigger as _gyre_registry_v1_Trigger, Trigger__Output as _gyre_registry_v1_Trigger__Output } from '../../../gyre/registry/v1/Trigger.ts';
import type { BatchRef as _gyre_registry_v1_BatchRef, BatchRef__Output as _gyre_registry_v1_BatchRef__Output } from '../../../gyre/registry/v1/BatchRef.ts';
import type { ExternalOrigin as _gyre_registry_v1_ExternalOrigin, ExternalOrigin__Output as _gyre_registry_v1_ExternalOrigin__Output } from '../../../gyre/registry/v1/ExternalOrigin.ts';
import type { Long } from '@grpc/proto-loader';

export interface Lineage {
  'dataset'?: (string);
  'version'?: (number | string | Long);
  'run_id'?: (string);
  'snapshot_id'?: (string);
  'spec_revision'?: (number | string | Long);
  'code_version'?: (string);
  'backend'?: (string);
  'artifact_key'?: (string);
  'trigger'?: (_gyre_registry_v1_Trigger | null);
  'batches'?: (_gyre_registry_v1_BatchRef)[];
  'external'?: (_gyre_registry_v1_ExternalOrigin | null);
}

export interface Lineage__Output {
  'dataset': (string);
  'version': (string);
  'run_id': (string);
  'snapshot_id': (string);
  'spec_revision': (string);
  'code_version': (string);
  'backend': (string);
  'artifact_key': (string);
  'trigger': (_gyre_registry_v1_Trigger__Output | null);
  'batches': (_gyre_registry_v1_BatchRef__Output)[];
  'external': (_gyre_registry_v1_ExternalOrigin__Output | null);
}
