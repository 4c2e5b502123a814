// Original file: proto/registry/registry.proto

import type { Trigger as _gyre_registry_v1_Trigger, Trigger__Output as _gyre_registry_v1_Trigger__Output } from '../../../gyre/registry/v1/Trigger.ts';
import type { Long } from '@grpc/proto-loader';

export interface Run {
  'run_id'?: (string);
  'dataset'?: (string);
  'outcome'?: (string);
  'version'?: (number | string | Long);
  'refusal_reason'?: (string);
  'metrics'?: ({[key: string]: number | string});
  'champion_metrics'?: ({[key: string]: number | string});
  'compared_with_version'?: (number | string | Long);
  'backend'?: (string);
  'code_version'?: (string);
  'spec_revision'?: (number | string | Long);
  'trigger'?: (_gyre_registry_v1_Trigger | null);
  'snapshot_id'?: (string);
  'batch_count'?: (number | string | Long);
  'artifact_key'?: (string);
  'recorded_at'?: (string);
  'params'?: ({[key: string]: string});
}

export interface Run__Output {
  'run_id': (string);
  'dataset': (string);
  'outcome': (string);
  'version': (string);
  'refusal_reason': (string);
  'metrics': ({[key: string]: number});
  'champion_metrics': ({[key: string]: number});
  'compared_with_version': (string);
  'backend': (string);
  'code_version': (string);
  'spec_revision': (string);
  'trigger': (_gyre_registry_v1_Trigger__Output | null);
  'snapshot_id': (string);
  'batch_count': (string);
  'artifact_key': (string);
  'recorded_at': (string);
  'params': ({[key: string]: string});
}
