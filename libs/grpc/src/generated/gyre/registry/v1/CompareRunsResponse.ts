// Original file: proto/registry/registry.proto

import type { Run as _gyre_registry_v1_Run, Run__Output as _gyre_registry_v1_Run__Output } from '../../../gyre/registry/v1/Run.ts';
import type { MetricDifference as _gyre_registry_v1_MetricDifference, MetricDifference__Output as _gyre_registry_v1_MetricDifference__Output } from '../../../gyre/registry/v1/MetricDifference.ts';
import type { ParamDifference as _gyre_registry_v1_ParamDifference, ParamDifference__Output as _gyre_registry_v1_ParamDifference__Output } from '../../../gyre/registry/v1/ParamDifference.ts';

export interface CompareRunsResponse {
  'a'?: (_gyre_registry_v1_Run | null);
  'b'?: (_gyre_registry_v1_Run | null);
  'metrics'?: (_gyre_registry_v1_MetricDifference)[];
  'params'?: (_gyre_registry_v1_ParamDifference)[];
}

export interface CompareRunsResponse__Output {
  'a': (_gyre_registry_v1_Run__Output | null);
  'b': (_gyre_registry_v1_Run__Output | null);
  'metrics': (_gyre_registry_v1_MetricDifference__Output)[];
  'params': (_gyre_registry_v1_ParamDifference__Output)[];
}
